/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-report.h"

G_BEGIN_DECLS

struct _LkReport
{
  GObject        parent_instance;

  /* Owned */
  LkReportQuery *query;
  GTimeZone     *tz;
  char          *currency;
  LkReportKpis   kpis;
  GPtrArray     *funnel;        /* LkReportFunnelRow, in pipeline order, Won last */
  GPtrArray     *sources;       /* LkReportSourceRow, most leads first */
  GArray        *weeks;         /* LkReportWeekRow, one per 7 days of the period */
  GPtrArray     *reps;          /* LkReportRepRow, highest won amount first */
  GPtrArray     *stage_times;   /* LkReportStageTimeRow, in pipeline order */
  GPtrArray     *lost_reasons;  /* LkReportReasonRow, most frequent first */
  GPtrArray     *months;        /* LkReportMonthRow, oldest first */
};

LkReport *lk_report_new (LkReportQuery *query,
                         GTimeZone     *tz);

void lk_report_funnel_row_free     (LkReportFunnelRow    *row);
void lk_report_source_row_free     (LkReportSourceRow    *row);
void lk_report_rep_row_free        (LkReportRepRow       *row);
void lk_report_stage_time_row_free (LkReportStageTimeRow *row);
void lk_report_reason_row_free     (LkReportReasonRow    *row);
void lk_report_month_row_free      (LkReportMonthRow     *row);

G_END_DECLS
