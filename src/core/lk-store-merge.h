/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-duplicate-group.h"
#include "lk-store.h"

G_BEGIN_DECLS

/* Duplicates after the fact: the leads a lead being typed may duplicate,
 * the groups of duplicates in the whole database, and the merge of a
 * group into one lead. */

GPtrArray *lk_store_find_duplicates_of (LkStore            *self,
                                        LkLead             *lead,
                                        guint               limit,
                                        GError            **error);
GPtrArray *lk_store_scan_duplicates    (LkStore            *self,
                                        GCancellable       *cancellable,
                                        GError            **error);

gboolean   lk_merge_field_is_choosable (const char         *name);
gboolean   lk_store_merge_leads        (LkStore            *self,
                                        const char         *primary_id,
                                        const char * const *other_ids,
                                        GHashTable         *choices,
                                        char              **merge_id,
                                        GError            **error);
gboolean   lk_store_merge_typed        (LkStore            *self,
                                        const char         *primary_id,
                                        LkLead             *typed,
                                        GHashTable         *choices,
                                        char              **merge_id,
                                        GError            **error);
gboolean   lk_store_unmerge            (LkStore            *self,
                                        const char         *merge_id,
                                        GError            **error);

G_END_DECLS
