/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-store.h"

G_BEGIN_DECLS

/* The store's side of sync (SYNC.md "Tables"): the outbox, the merge
 * ancestors (sync_base), the checkpoint (sync_state) and the true
 * conflicts the user decides (sync_conflicts). The primitives the sync
 * client uses are declared below the conflict API and documented where
 * they are defined (lk-store-sync.c). */

typedef enum
{
  LK_CONFLICT_FIELD,         /* both changed one field to different values */
  LK_CONFLICT_THEY_DELETED,  /* I edited a lead someone else deleted: Restore or accept */
  LK_CONFLICT_I_DELETED,     /* I deleted a lead someone else edited: Restore or delete */
} LkConflictKind;

typedef struct
{
  gint64          id;
  char           *doc_id;
  LkConflictKind  kind;
  char           *field;       /* the document field, for LK_CONFLICT_FIELD; else NULL */
  char           *base;        /* JSON text of each value ("null" when absent) */
  char           *mine;
  char           *theirs;
  char           *theirs_rev;
  gint64          created_at;  /* Unix ms */
} LkSyncConflict;

void lk_sync_conflict_free (LkSyncConflict *conflict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkSyncConflict, lk_sync_conflict_free)

/* Open (unresolved) conflicts, oldest first; (transfer full) of LkSyncConflict. */
GPtrArray *lk_store_list_conflicts   (LkStore   *self,
                                      GError   **error);
gint64     lk_store_count_conflicts  (LkStore   *self,
                                      GError   **error);
/* Use mine: my value (or my edited document, or my delete) becomes a local
 * edit that syncs. Keep theirs: the server's version stays. Either way the
 * conflict is resolved; one transaction, then ::changed. */
gboolean   lk_store_resolve_conflict (LkStore   *self,
                                      gint64     conflict_id,
                                      gboolean   use_mine,
                                      GError   **error);

G_END_DECLS
