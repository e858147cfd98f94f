/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-leads-table.h"

G_BEGIN_DECLS

/* For tests. */
GtkColumnView *lk_leads_table_get_column_view      (LkLeadsTable *self);
AdwToast      *lk_leads_table_get_last_toast       (LkLeadsTable *self);
void           lk_leads_table_set_worker_threshold (LkLeadsTable *self,
                                                    guint         n_leads);

G_END_DECLS
