/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-report.h"

G_BEGIN_DECLS

#define LK_TYPE_REPORT_TABLE_VIEW (lk_report_table_view_get_type ())
G_DECLARE_FINAL_TYPE (LkReportTableView, lk_report_table_view, LK, REPORT_TABLE_VIEW, AdwBin)

GtkWidget *lk_report_table_view_new        (LkReportTableKind  kind);
void       lk_report_table_view_set_report (LkReportTableView *self,
                                            LkReport          *report);
/* Returns: (transfer none) (nullable): the label of a cell, for tests */
GtkLabel  *lk_report_table_view_get_cell   (LkReportTableView *self,
                                            guint              row,
                                            guint              column);

G_END_DECLS
