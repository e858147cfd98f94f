/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>

#include "lk-report.h"

G_BEGIN_DECLS

/* Drawing a report's charts with cairo and Pango: the dashboard's widgets
 * draw with these into a GtkSnapshot, the PDF and PNG exports into their
 * own surfaces, so screen and paper show the same picture. A library of
 * its own (lk-report-render): cairo and Pango, never GTK. */

typedef struct
{
  double r, g, b, a;
} LkRgba;

typedef struct
{
  LkRgba   fg;          /* text, axes */
  LkRgba   dim;         /* grid lines, secondary text */
  LkRgba   bg;
  LkRgba   series[2];   /* the second series is also hatched */
  LkRgba   highlight;
  gboolean dark;
} LkChartStyle;

void      lk_chart_style_init        (LkChartStyle       *style,
                                      gboolean            dark);

/* @hover: the item under the pointer (from lk_report_chart_hit()), or -1 */
void      lk_report_chart_draw       (LkReport           *report,
                                      LkReportTableKind   kind,
                                      cairo_t            *cr,
                                      double              width,
                                      double              height,
                                      const LkChartStyle *style,
                                      int                 hover);
int       lk_report_chart_hit        (LkReport           *report,
                                      LkReportTableKind   kind,
                                      double              width,
                                      double              height,
                                      double              x,
                                      double              y);
char     *lk_report_chart_describe   (LkReport           *report,
                                      LkReportTableKind   kind,
                                      int                 item);
char     *lk_report_chart_summary    (LkReport           *report,
                                      LkReportTableKind   kind);

gboolean  lk_report_write_chart_png  (LkReport           *report,
                                      LkReportTableKind   kind,
                                      const char         *path,
                                      int                 width,
                                      int                 height,
                                      gboolean            dark,
                                      GError            **error);
gboolean  lk_report_write_pdf        (LkReport           *report,
                                      const char         *path,
                                      GError            **error);

G_END_DECLS
