/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "lk-report-query.h"
#include "lk-store.h"

G_BEGIN_DECLS

/* The numbers of one report; README "Reports" defines each of them.
 * Rates and averages are NAN when there is nothing to divide by. Amounts
 * are in minor units. */
typedef struct
{
  gint64 new_leads;         /* leads created in the period (the cohort) */
  gint64 qualified;         /* of them, those that ever reached Qualified or a later stage */
  double qualified_rate;
  gint64 won;               /* leads moved to Won in the period */
  gint64 lost;              /* leads moved to Lost in the period and not to Won */
  double win_rate;          /* won / (won + lost) */
  gint64 won_amount;
  double avg_cycle_days;    /* creation → Won, over the won leads */
  gint64 contacted;         /* cohort leads with a first contact */
  double median_speed_hours;/* creation → first contact */
  gint64 open_count;        /* open leads now */
  gint64 open_value;
  gint64 weighted_value;    /* Σ amount × the stage's win probability */
  gint64 overdue;           /* open leads whose follow-up date is before today */
} LkReportKpis;

typedef struct
{
  char   *stage_id;
  char   *name;
  gint64  reached;          /* cohort leads that reached this stage or a later one */
  gint64  lost_here;        /* cohort leads now Lost that were lost from this stage */
  double  conversion;       /* reached(next) / reached(this); NAN for the last */
} LkReportFunnelRow;

typedef struct
{
  char   *source;
  gint64  leads;
  gint64  won;
  double  conversion;
  double  avg_deal;         /* minor units, over the won leads */
} LkReportSourceRow;

typedef struct
{
  gint64  start_ms;
  gint64  new_leads;
  gint64  won;
} LkReportWeekRow;

typedef struct
{
  char   *user_id;          /* "" for leads without an owner */
  char   *name;
  gint64  won_amount;
  gint64  won;
  gint64  followups;
} LkReportRepRow;

typedef struct
{
  char   *stage_id;
  char   *name;
  gint64  stays;
  double  avg_days;
} LkReportStageTimeRow;

typedef struct
{
  char   *reason;
  char   *label;
  gint64  count;
} LkReportReasonRow;

typedef struct
{
  char   *month;            /* "2024-05" */
  gint64  leads;
  gint64  grade_a;
  gint64  grade_b;
  gint64  grade_c;
  gint64  won;
  double  conversion;
  double  avg_cycle_days;
  char   *most_lost_stage;  /* stage id; NULL when none was lost */
  char   *most_lost_name;
  gint64  most_lost_count;
} LkReportMonthRow;

/* The charts and tables a report shows (and exports). */
typedef enum
{
  LK_REPORT_FUNNEL,
  LK_REPORT_SOURCES,
  LK_REPORT_WEEKLY,
  LK_REPORT_LEADERBOARD,
  LK_REPORT_STAGE_TIME,
  LK_REPORT_LOST_REASONS,
  LK_REPORT_MONTHLY,
  LK_REPORT_N_TABLES
} LkReportTableKind;

/* A table as text, for the "Show as Table" view, CSV and PDF. */
typedef struct
{
  char      *title;
  GStrv      headers;
  GPtrArray *rows;          /* GStrv, as many cells as headers */
} LkReportTable;

void lk_report_table_free (LkReportTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkReportTable, lk_report_table_free)

/* A KPI tile as text, the same on screen and on paper. */
typedef struct
{
  char *title;
  char *value;
  char *detail;             /* how it was counted, for the tooltip and the PDF */
} LkReportTile;

void lk_report_tile_free (LkReportTile *tile);

#define LK_TYPE_REPORT (lk_report_get_type ())
G_DECLARE_FINAL_TYPE (LkReport, lk_report, LK, REPORT, GObject)

LkReport      *lk_report_compute          (LkStore            *store,
                                           LkReportQuery      *query,
                                           GCancellable       *cancellable,
                                           GError            **error);
void           lk_report_compute_async    (LkStore            *store,
                                           LkReportQuery      *query,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
LkReport      *lk_report_compute_finish   (GAsyncResult       *result,
                                           GError            **error);

LkReportQuery *lk_report_get_query        (LkReport           *self);
const char    *lk_report_get_currency     (LkReport           *self);
GTimeZone     *lk_report_get_timezone     (LkReport           *self);
const LkReportKpis *lk_report_get_kpis    (LkReport           *self);
GPtrArray     *lk_report_get_funnel       (LkReport           *self);
GPtrArray     *lk_report_get_sources      (LkReport           *self);
GArray        *lk_report_get_weeks        (LkReport           *self);
GPtrArray     *lk_report_get_reps         (LkReport           *self);
GPtrArray     *lk_report_get_stage_times  (LkReport           *self);
GPtrArray     *lk_report_get_lost_reasons (LkReport           *self);
GPtrArray     *lk_report_get_months       (LkReport           *self);

const char    *lk_report_table_title      (LkReportTableKind   kind);
LkReportTable *lk_report_get_table        (LkReport           *self,
                                           LkReportTableKind   kind);
char          *lk_report_table_to_csv     (LkReportTable      *table);
gboolean       lk_report_write_csv        (LkReport           *self,
                                           LkReportTableKind   kind,
                                           const char         *path,
                                           GError            **error);
GPtrArray     *lk_report_get_tiles        (LkReport           *self);
char          *lk_report_describe_period  (LkReport           *self);
JsonNode      *lk_report_to_json          (LkReport           *self);

G_END_DECLS
