/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "lk-clock.h"

G_BEGIN_DECLS

/* The periods the dashboard offers; CUSTOM takes its dates from the caller. */
typedef enum
{
  LK_REPORT_PERIOD_THIS_MONTH,
  LK_REPORT_PERIOD_LAST_30_DAYS,
  LK_REPORT_PERIOD_LAST_90_DAYS,
  LK_REPORT_PERIOD_THIS_QUARTER,
  LK_REPORT_PERIOD_THIS_YEAR,
  LK_REPORT_PERIOD_CUSTOM,
} LkReportPeriod;

#define LK_TYPE_REPORT_QUERY (lk_report_query_get_type ())
G_DECLARE_FINAL_TYPE (LkReportQuery, lk_report_query, LK, REPORT_QUERY, GObject)

LkReportQuery *lk_report_query_new          (gint64          from_ms,
                                             gint64          to_ms);
LkReportQuery *lk_report_query_new_period   (LkReportPeriod  period,
                                             LkClock        *clock);
LkReportQuery *lk_report_query_new_dates    (const char     *from_date,
                                             const char     *to_date,
                                             GTimeZone      *tz,
                                             GError        **error);
LkReportQuery *lk_report_query_copy         (LkReportQuery  *self);
gint64         lk_report_query_get_from     (LkReportQuery  *self);
gint64         lk_report_query_get_to       (LkReportQuery  *self);
const char    *lk_report_query_get_owner    (LkReportQuery  *self);
void           lk_report_query_set_owner    (LkReportQuery  *self,
                                             const char     *owner);
const char    *lk_report_query_get_source   (LkReportQuery  *self);
void           lk_report_query_set_source   (LkReportQuery  *self,
                                             const char     *source);

G_END_DECLS
