/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "lk-report.h"

G_BEGIN_DECLS

#define LK_TYPE_REPORT_CHART (lk_report_chart_get_type ())
G_DECLARE_FINAL_TYPE (LkReportChart, lk_report_chart, LK, REPORT_CHART, GtkWidget)

GtkWidget         *lk_report_chart_new        (LkReportTableKind  kind);
LkReportTableKind  lk_report_chart_get_kind   (LkReportChart     *self);
LkReport          *lk_report_chart_get_report (LkReportChart     *self);
void               lk_report_chart_set_report (LkReportChart     *self,
                                               LkReport          *report);
int                lk_report_chart_get_hover  (LkReportChart     *self);

G_END_DECLS
