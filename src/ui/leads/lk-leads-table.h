/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-context.h"
#include "lk-lead-query.h"

G_BEGIN_DECLS

#define LK_TYPE_LEADS_TABLE (lk_leads_table_get_type ())
G_DECLARE_FINAL_TYPE (LkLeadsTable, lk_leads_table, LK, LEADS_TABLE, AdwBin)

LkLeadsTable      *lk_leads_table_new           (LkContext    *context,
                                                 LkLeadQuery  *filter,
                                                 GSettings    *settings);
GtkSelectionModel *lk_leads_table_get_selection (LkLeadsTable *self);
GListModel        *lk_leads_table_get_model     (LkLeadsTable *self);
GMenuModel        *lk_leads_table_get_columns_menu    (LkLeadsTable *self);
GActionGroup      *lk_leads_table_get_columns_actions (LkLeadsTable *self);
gboolean           lk_leads_table_get_busy      (LkLeadsTable *self);
void               lk_leads_table_sort_by       (LkLeadsTable *self,
                                                 const char   *column_id,
                                                 GtkSortType   order);
void               lk_leads_table_bulk_move     (LkLeadsTable *self,
                                                 const char   *stage_id,
                                                 const char   *reason);
void               lk_leads_table_bulk_assign   (LkLeadsTable *self,
                                                 const char   *owner_id);
void               lk_leads_table_bulk_add_tag  (LkLeadsTable *self,
                                                 const char   *tag);
void               lk_leads_table_bulk_delete   (LkLeadsTable *self);
gboolean           lk_leads_table_can_undo      (LkLeadsTable *self);
void               lk_leads_table_undo          (LkLeadsTable *self);

G_END_DECLS
