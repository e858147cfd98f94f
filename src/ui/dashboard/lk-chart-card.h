/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "lk-report.h"

G_BEGIN_DECLS

#define LK_TYPE_CHART_CARD (lk_chart_card_get_type ())
G_DECLARE_FINAL_TYPE (LkChartCard, lk_chart_card, LK, CHART_CARD, GtkBox)

GtkWidget         *lk_chart_card_new            (LkReportTableKind  kind);
LkReportTableKind  lk_chart_card_get_kind       (LkChartCard       *self);
void               lk_chart_card_set_report     (LkChartCard       *self,
                                                 LkReport          *report);
void               lk_chart_card_set_show_table (LkChartCard       *self,
                                                 gboolean           show_table);
gboolean           lk_chart_card_get_show_table (LkChartCard       *self);
GtkWidget         *lk_chart_card_get_chart      (LkChartCard       *self);
GtkWidget         *lk_chart_card_get_table      (LkChartCard       *self);

G_END_DECLS
