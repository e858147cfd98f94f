/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The three-way merge of SYNC.md ("Merge, field by field"): pure
 * functions of JSON documents, safe on any thread. */

typedef struct
{
  char     *field;   /* the value's path: "company", "bant.budget" */
  JsonNode *base;    /* (nullable): absent from that version */
  JsonNode *mine;    /* (nullable) */
  JsonNode *theirs;  /* (nullable) */
} LkMergeConflict;

void        lk_merge_conflict_free (LkMergeConflict  *conflict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkMergeConflict, lk_merge_conflict_free)

JsonObject *lk_merge_documents     (JsonObject       *base,
                                    JsonObject       *mine,
                                    JsonObject       *theirs,
                                    GPtrArray       **conflicts);

/* lk_merge_documents() in the shape of LkStoreMergeFunc (lk-store-sync.h):
 * @conflicts receives LkSyncConflict. */
JsonObject *lk_merge_for_store     (JsonObject       *base,
                                    JsonObject       *mine,
                                    JsonObject       *theirs,
                                    GPtrArray        *conflicts,
                                    gpointer          user_data);

G_END_DECLS
