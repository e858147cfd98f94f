/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-lead.h"
#include "lk-store-import.h"

G_BEGIN_DECLS

/* Leads that are one customer by the keys of lk-dedup: one group of the
 * duplicates view and of `leadkeeper-cli dedup`. */

#define LK_TYPE_DUPLICATE_GROUP (lk_duplicate_group_get_type ())
G_DECLARE_FINAL_TYPE (LkDuplicateGroup, lk_duplicate_group, LK, DUPLICATE_GROUP, GObject)

LkDuplicateGroup *lk_duplicate_group_new         (LkDuplicateKey    key);
void              lk_duplicate_group_add_lead    (LkDuplicateGroup *self,
                                                  LkLead           *lead);
LkDuplicateKey    lk_duplicate_group_get_key     (LkDuplicateGroup *self);
GPtrArray        *lk_duplicate_group_get_leads   (LkDuplicateGroup *self);
guint             lk_duplicate_group_get_n_leads (LkDuplicateGroup *self);
LkLead           *lk_duplicate_group_get_lead    (LkDuplicateGroup *self,
                                                  guint             index);
const char       *lk_duplicate_key_to_string     (LkDuplicateKey    key);

G_END_DECLS
