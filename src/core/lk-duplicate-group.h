/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-lead.h"
#include "lk-store-import.h"
#include "lk-store.h"

G_BEGIN_DECLS

/* Leads that are one customer by the keys of lk-dedup: one group of the
 * duplicates view and of `leadkeeper-cli dedup`. A scan finds the rowids;
 * the leads are read when the group is shown (a view shows a few groups
 * of thousands). */

#define LK_TYPE_DUPLICATE_GROUP (lk_duplicate_group_get_type ())
G_DECLARE_FINAL_TYPE (LkDuplicateGroup, lk_duplicate_group, LK, DUPLICATE_GROUP, GObject)

LkDuplicateGroup *lk_duplicate_group_new         (LkDuplicateKey    key);
void              lk_duplicate_group_add_rowid   (LkDuplicateGroup *self,
                                                  gint64            rowid);
LkDuplicateKey    lk_duplicate_group_get_key     (LkDuplicateGroup *self);
GArray           *lk_duplicate_group_get_rowids  (LkDuplicateGroup *self);
guint             lk_duplicate_group_get_n_leads (LkDuplicateGroup *self);
GPtrArray        *lk_duplicate_group_load_leads  (LkDuplicateGroup *self,
                                                  LkStore          *store,
                                                  GError          **error);
LkLead           *lk_duplicate_group_get_lead    (LkDuplicateGroup *self,
                                                  guint             index);
const char       *lk_duplicate_key_to_string     (LkDuplicateKey    key);

G_END_DECLS
