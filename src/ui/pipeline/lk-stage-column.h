/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-context.h"
#include "lk-lead-list.h"
#include "lk-store.h"

G_BEGIN_DECLS

#define LK_TYPE_STAGE_COLUMN (lk_stage_column_get_type ())
G_DECLARE_FINAL_TYPE (LkStageColumn, lk_stage_column, LK, STAGE_COLUMN, GtkBox)

LkStageColumn *lk_stage_column_new           (LkContext          *context,
                                              LkStage            *stage,
                                              LkLeadQuery        *filter);
LkStage       *lk_stage_column_get_stage     (LkStageColumn      *self);
LkLeadList    *lk_stage_column_get_leads     (LkStageColumn      *self);
LkLeadQuery   *lk_stage_column_get_query     (LkStageColumn      *self);
void           lk_stage_column_set_totals    (LkStageColumn      *self,
                                              const LkStageTotal *total);
const char    *lk_stage_column_get_count_text (LkStageColumn     *self);
const char    *lk_stage_column_get_sum_text  (LkStageColumn      *self);
void           lk_stage_column_set_collapsed (LkStageColumn      *self,
                                              gboolean            collapsed);
gboolean       lk_stage_column_get_collapsed (LkStageColumn      *self);
GtkListView   *lk_stage_column_get_list_view (LkStageColumn      *self);

G_END_DECLS
