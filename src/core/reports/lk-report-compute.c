/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-report"

#include <math.h>
#include <string.h>
#include <time.h>

#include <glib/gi18n.h>

#include "lk-error.h"
#include "lk-report-private.h"
#include "lk-store-private.h"
#include "lk-user.h"
#include "lk-utils.h"

/* The SQL of a report. Every statement takes the same named parameters
 * (bind_all binds those it names): :from and :to (the period, ms),
 * :owner and :source (NULL for all), :won and :lost (the terminal stage
 * ids), :order (",new,…,won,": the open stages in order, Won last),
 * :off (the time zone's offset, ms), :today (start of today, ms).
 * The README's "Reports" section defines what each number means. */

#define WEEK_MS G_GINT64_CONSTANT (604800000)
#define SHORT_PERIOD_MS (G_GINT64_CONSTANT (45) * 86400000)
#define DAY_MS  86400000.0
#define HOUR_MS 3600000.0

#define LEAD_FILTER \
  "l.deleted = 0 AND (:owner IS NULL OR l.owner = :owner) " \
  "AND (:source IS NULL OR l.source = :source)"

#define COHORT \
  "c AS (SELECT l.id, l.created_at, l.grade, l.stage, l.source, l.amount, " \
  "l.stage_entered_at, l.first_contacted_at FROM leads l INDEXED BY leads_cohort " \
  "WHERE " LEAD_FILTER " AND l.created_at >= :from AND l.created_at < :to)"

#define MONTH_OF(t) "strftime('%Y-%m', ((" t ") + :off) / 1000, 'unixepoch')"

/* The cohort lead by lead, added up in C (months, sources, weeks, the
 * median): one pass, no sort. Column 5 is when a won lead was won (its
 * last move into Won). */
static const char cohort_sql[] =
  "WITH " COHORT " "
  "SELECT c.created_at, c.source, c.grade, c.stage = :won, c.amount, "
  "CASE WHEN c.stage = :won THEN coalesce("
  "  (SELECT max(s.at) FROM stage_changes s INDEXED BY stage_changes_history"
  "   WHERE s.lead_id = c.id AND s.deleted = 0 AND s.to_stage = :won),"
  "  c.stage_entered_at, c.created_at) END, c.first_contacted_at "
  "FROM c";

/* How far each cohort lead got: :order is ",new,assigned,…,proposal,won,",
 * so the position of ",stage," in it grows along the pipeline (Lost is
 * not in it: 0). The largest over the lead's stage changes and its
 * current stage is its furthest stage. */
static const char reach_sql[] =
  "WITH " COHORT ", "
  "m AS MATERIALIZED (SELECT max(instr(:order, ',' || c.stage || ','),"
  "  coalesce((SELECT max(instr(:order, ',' || s.to_stage || ',')) FROM stage_changes s"
  "            INDEXED BY stage_changes_history WHERE s.lead_id = c.id AND s.deleted = 0), 0)) AS mp FROM c) "
  "SELECT mp, count(*) FROM m GROUP BY mp";

/* The same for a long period, as a merge of two passes in id order: the
 * leads that pass the filters and every lead's history. The same pass
 * finds what was won and lost in the period (read_closed's SQL, for a
 * short one), and the open pipeline (open_sql's). Both return plain
 * columns, in the order of their indexes (no sort): C finds a stage's position
 * (stage_position()) several times faster than instr() on a string
 * SQLite concatenates for each row. */
static const char reach_cohort_sql[] =
  "SELECT l.id, l.stage, l.created_at, l.amount, l.owner, l.source, l.grade, "
  "l.stage_entered_at, l.first_contacted_at, l.next_followup_at "
  "FROM leads l INDEXED BY leads_report WHERE " LEAD_FILTER " ORDER BY l.id";

static const char reach_history_sql[] =
  "SELECT s.lead_id, s.to_stage, s.at, s.from_stage, s.reason "
  "FROM stage_changes s INDEXED BY stage_changes_history WHERE s.deleted = 0 "
  "ORDER BY s.lead_id, s.at, s.to_stage, s.from_stage, s.reason, s.rowid";

static const char cohort_lost_sql[] =
  "WITH " COHORT " "
  "SELECT " MONTH_OF ("c.created_at") " AS month, "
  "  (SELECT s.from_stage FROM stage_changes s INDEXED BY stage_changes_history"
  "   WHERE s.lead_id = c.id AND s.deleted = 0"
  "   AND s.to_stage = :lost ORDER BY s.at DESC, s.rowid DESC LIMIT 1) AS fs, count(*) "
  "FROM c WHERE c.stage = :lost GROUP BY month, fs";

static const char closed_sql[] =
  "SELECT s.lead_id, s.to_stage, s.at, s.reason, l.created_at, l.amount, coalesce(l.owner, '') "
  "FROM stage_changes s INDEXED BY stage_changes_report "
  "JOIN leads l INDEXED BY leads_report ON l.id = s.lead_id "
  "WHERE s.at >= :from AND s.at < :to AND s.deleted = 0 "
  "AND s.to_stage IN (:won, :lost) AND " LEAD_FILTER " "
  "ORDER BY s.lead_id, s.at, s.rowid";

/* Follow-ups and stays in stages come in three forms. Without a filter:
 * everything, read from an index alone, less what belongs to deleted
 * leads (few: read through leads_deleted). With a filter: from the
 * matching leads, each one's rows by its id. Either way no row of the
 * large tables is read. */
#define FOLLOWUPS_OF(leads) \
  "SELECT a.by_user, count(*) FROM " leads " CROSS JOIN activities a INDEXED BY activities_followups_lead " \
  "WHERE a.lead_id = l.id AND a.at >= :from AND a.at < :to AND a.kind = 'followup' AND a.deleted = 0 " \
  "GROUP BY a.by_user"

static const char followups_sql[] =
  "SELECT a.by_user, count(*) FROM activities a INDEXED BY activities_followups "
  "WHERE a.at >= :from AND a.at < :to AND a.kind = 'followup' AND a.deleted = 0 GROUP BY a.by_user";

static const char followups_deleted_sql[] =
  FOLLOWUPS_OF ("(SELECT id FROM leads INDEXED BY leads_deleted WHERE deleted = 1) l");

static const char followups_filtered_sql[] =
  FOLLOWUPS_OF ("(SELECT l.id FROM leads l INDEXED BY leads_report WHERE " LEAD_FILTER ") l");

/* Each lead's changes in the order of stage_changes_history (no sort):
 * read_stage_times() ends each stay at the lead's next change, in C,
 * which is several times faster than SQLite's window functions. */
#define STAYS_OF(changes) \
  "SELECT s.lead_id, s.at, s.to_stage FROM " changes " " \
  "ORDER BY s.lead_id, s.at, s.to_stage, s.from_stage, s.reason, s.rowid"

/* A short period reads only the history of the leads that moved in it
 * (a long one's stays are measured by merge_reach()). */
static const char stage_time_recent_sql[] =
  STAYS_OF ("stage_changes s INDEXED BY stage_changes_history WHERE s.deleted = 0 AND s.lead_id IN "
            "(SELECT lead_id FROM stage_changes INDEXED BY stage_changes_report "
            "WHERE at >= :from AND at < :to AND deleted = 0)");


static const char stage_time_deleted_sql[] =
  STAYS_OF ("(SELECT id FROM leads INDEXED BY leads_deleted WHERE deleted = 1) l "
            "CROSS JOIN stage_changes s INDEXED BY stage_changes_history "
            "WHERE s.lead_id = l.id AND s.deleted = 0");

static const char stage_time_filtered_sql[] =
  STAYS_OF ("(SELECT l.id FROM leads l INDEXED BY leads_report WHERE " LEAD_FILTER ") l "
            "CROSS JOIN stage_changes s INDEXED BY stage_changes_history "
            "WHERE s.lead_id = l.id AND s.deleted = 0");

static const char open_sql[] =
  "SELECT l.stage, count(*), total(l.amount), "
  "total(l.next_followup_at IS NOT NULL AND l.next_followup_at < :today) "
  "FROM leads l INDEXED BY leads_board "
  "WHERE " LEAD_FILTER " AND l.stage <> :won AND l.stage <> :lost GROUP BY l.stage";

typedef struct
{
  LkStore       *store;
  LkPipeline    *pipeline;
  LkReportQuery *query;
  GCancellable  *cancellable;
  LkReport      *report;
  const char    *won;
  const char    *lost;
  char          *order;         /* ",new,assigned,…,won," */
  GArray        *offsets;       /* int: where position i's ",id," is in order (1-based) */
  GPtrArray     *stage_ids;     /* const char *: position i's stage id (the pipeline's) */
  gint64        *open_amounts;  /* a long period's open amounts by position (n_open) */
  GArray        *month_starts;  /* gint64: where each row of report->months starts */
  GHashTable    *reps;          /* user id → LkReportRepRow */
  GHashTable    *reasons;       /* lost reason → count */
  double         cycle_total;   /* ms from creation to Won, over the won leads */
  GHashTable    *by_source;     /* source → LkReportSourceRow (report->sources owns) */
  GArray        *speeds;        /* gint64: creation → first contact, per contacted cohort lead */
  guint          n_open;        /* open stages; Won's position */
  int            qualified_pos;
  gint64         today;
  gint64         offset_ms;
} Run;

static void close_lead (Run        *run,
                        gint64      won_at,
                        gint64      created,
                        gint64      amount,
                        const char *owner,
                        const char *lost_reason);

static void
bind_named (sqlite3_stmt *stmt,
            const char   *name,
            const char   *text)
{
  int i = sqlite3_bind_parameter_index (stmt, name);

  if (i > 0 && text != NULL)
    sqlite3_bind_text (stmt, i, text, -1, SQLITE_TRANSIENT);
}

static void
bind_named_int (sqlite3_stmt *stmt,
                const char   *name,
                gint64        value)
{
  int i = sqlite3_bind_parameter_index (stmt, name);

  if (i > 0)
    sqlite3_bind_int64 (stmt, i, value);
}

static sqlite3_stmt *
prepare (Run         *run,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt;

  if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
    return NULL;
  stmt = lk_store_prepare (run->store, sql, error);
  if (stmt == NULL)
    return NULL;
  bind_named_int (stmt, ":from", lk_report_query_get_from (run->query));
  bind_named_int (stmt, ":to", lk_report_query_get_to (run->query));
  bind_named (stmt, ":owner", lk_report_query_get_owner (run->query));
  bind_named (stmt, ":source", lk_report_query_get_source (run->query));
  bind_named (stmt, ":won", run->won);
  bind_named (stmt, ":lost", run->lost);
  bind_named (stmt, ":order", run->order);
  bind_named_int (stmt, ":off", run->offset_ms);
  bind_named_int (stmt, ":today", run->today);
  return stmt;
}

static gboolean
finish (Run           *run,
        sqlite3_stmt  *stmt,
        int            rc,
        GError       **error)
{
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return lk_store_fail (run->store, error, _("compute the report"));
  return TRUE;
}

static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* A period short enough that reading only what it touches beats one
 * pass over everything. */
static gboolean
is_short (Run *run)
{
  return lk_report_query_get_to (run->query) - lk_report_query_get_from (run->query) < SHORT_PERIOD_MS;
}

static gboolean
filtered (Run *run)
{
  return lk_report_query_get_owner (run->query) != NULL || lk_report_query_get_source (run->query) != NULL;
}

static double
ratio (double num,
       double den)
{
  return den > 0 ? num / den : NAN;
}

static const char *
stage_name (Run        *run,
            const char *stage_id)
{
  LkStage *stage = lk_pipeline_lookup (run->pipeline, stage_id);

  return stage != NULL ? lk_stage_get_name (stage) : stage_id;
}

static void
add_position (Run        *run,
              GString    *order,
              const char *stage_id)
{
  int offset = (int) order->len;  /* 1-based, of the comma before the id */

  g_array_append_val (run->offsets, offset);
  g_ptr_array_add (run->stage_ids, (gpointer) stage_id);
  g_string_append_printf (order, "%s,", stage_id);
}

static void
setup_run (Run *run)
{
  g_autoptr(GString) order = g_string_new (",");
  guint n = g_list_model_get_n_items (G_LIST_MODEL (run->pipeline));
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  LkClock *clock = lk_store_get_clock (run->store);

  run->won = lk_pipeline_get_won_id (run->pipeline);
  run->lost = lk_pipeline_get_lost_id (run->pipeline);
  run->qualified_pos = -1;
  run->offsets = g_array_new (FALSE, FALSE, sizeof (int));
  run->stage_ids = g_ptr_array_new ();
  run->month_starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  run->reps = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) lk_report_rep_row_free);
  run->reasons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->by_source = g_hash_table_new (g_str_hash, g_str_equal);
  run->speeds = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LkStage) stage = g_list_model_get_item (G_LIST_MODEL (run->pipeline), i);

      if (lk_stage_get_kind (stage) != LK_STAGE_KIND_OPEN)
        continue;
      if (g_str_equal (lk_stage_get_id (stage), "qualified"))
        run->qualified_pos = run->n_open;
      add_position (run, order, lk_stage_get_id (stage));
      run->n_open++;
    }
  add_position (run, order, run->won);
  /* A pipeline without a "qualified" stage: its last open stage. */
  if (run->qualified_pos < 0)
    run->qualified_pos = run->n_open > 0 ? (int) run->n_open - 1 : 0;
  run->order = g_string_free (g_steal_pointer (&order), FALSE);
  run->open_amounts = g_new0 (gint64, run->n_open + 1);
  run->today = lk_clock_start_of_day (clock, lk_clock_now_ms (clock));
  utc = g_date_time_new_from_unix_utc (lk_report_query_get_from (run->query) / 1000);
  local = g_date_time_to_timezone (utc, lk_clock_get_timezone (clock));
  run->offset_ms = g_date_time_get_utc_offset (local) / 1000;
}

/* The position in the pipeline of an instr() offset in run->order; -1
 * for none (Lost, or a stage the pipeline does not have). */
static int
position_of_offset (Run    *run,
                    gint64  offset)
{
  for (guint i = 0; i < run->offsets->len; i++)
    if (g_array_index (run->offsets, int, i) == offset)
      return i;
  return -1;
}

/* The position in the pipeline of @stage_id, as position_of_offset(). */
static int
stage_position (Run        *run,
                const char *stage_id)
{
  if (stage_id == NULL)
    return -1;
  for (guint i = 0; i < run->stage_ids->len; i++)
    if (strcmp (g_ptr_array_index (run->stage_ids, i), stage_id) == 0)
      return i;
  return -1;
}

static LkReportMonthRow *
find_month (GPtrArray  *months,
            const char *key)
{
  for (guint i = 0; i < months->len; i++)
    {
      LkReportMonthRow *row = g_ptr_array_index (months, i);

      if (g_str_equal (row->month, key))
        return row;
    }
  return NULL;
}

static void
add_months (Run    *run,
            GArray *starts)
{
  LkReport *report = run->report;
  gint64 from = lk_report_query_get_from (run->query);
  gint64 to = lk_report_query_get_to (run->query);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc ((from + run->offset_ms) / 1000);
  g_autoptr(GDateTime) month = g_date_time_new_utc (g_date_time_get_year (utc),
                                                    g_date_time_get_month (utc), 1, 0, 0, 0);

  /* Month starts stepped in the offset's wall time, as the SQL buckets. */
  while (g_date_time_to_unix (month) * 1000 - run->offset_ms < to && report->months->len < 1200)
    {
      LkReportMonthRow *row = g_new0 (LkReportMonthRow, 1);
      GDateTime *next;

      gint64 start = g_date_time_to_unix (month) * 1000 - run->offset_ms;

      g_array_append_val (starts, start);
      row->month = g_date_time_format (month, "%Y-%m");
      row->conversion = NAN;
      row->avg_cycle_days = NAN;
      g_ptr_array_add (report->months, row);
      next = g_date_time_add_months (month, 1);
      g_date_time_unref (month);
      month = next;
    }
}

static gint
compare_sources (gconstpointer a,
                 gconstpointer b)
{
  const LkReportSourceRow *x = *(LkReportSourceRow * const *) a;
  const LkReportSourceRow *y = *(LkReportSourceRow * const *) b;

  if (x->leads != y->leads)
    return x->leads > y->leads ? -1 : 1;
  return g_strcmp0 (x->source, y->source);
}

/* Returns: (nullable): the month row of a time in the period */
static LkReportMonthRow *
month_of (Run    *run,
          gint64  at)
{
  GArray *starts = run->month_starts;
  guint lo = 0, hi = starts->len;

  /* The last month that starts at or before @at */
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (starts, gint64, mid) <= at)
        lo = mid;
      else
        hi = mid;
    }
  return lo < run->report->months->len ? g_ptr_array_index (run->report->months, lo) : NULL;
}

/* One row per open stage, in pipeline order (so row i is position i):
 * nobody leaves a terminal stage in the normal course. */
static void
init_stage_times (Run *run)
{
  GListModel *stages = G_LIST_MODEL (run->pipeline);
  guint n = g_list_model_get_n_items (stages);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LkStage) stage = g_list_model_get_item (stages, i);
      LkReportStageTimeRow *row;

      if (lk_stage_get_kind (stage) != LK_STAGE_KIND_OPEN)
        continue;
      row = g_new0 (LkReportStageTimeRow, 1);
      row->stage_id = g_strdup (lk_stage_get_id (stage));
      row->name = g_strdup (lk_stage_get_name (stage));
      row->avg_days = NAN;
      g_ptr_array_add (run->report->stage_times, row);
    }
}

static void
init_weeks (Run *run)
{
  LkReport *report = run->report;
  gint64 span = lk_report_query_get_to (run->query) - lk_report_query_get_from (run->query);
  guint n_weeks = MIN ((span + WEEK_MS - 1) / WEEK_MS, 1000);

  g_array_set_size (report->weeks, n_weeks);
  for (guint i = 0; i < n_weeks; i++)
    g_array_index (report->weeks, LkReportWeekRow, i).start_ms =
      lk_report_query_get_from (run->query) + i * WEEK_MS;
}

static gint
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* One lead of the cohort: the monthly table, by source, new per week,
 * speed to lead, the new-leads tile. @won_at: when a lead now in Won
 * was won (its last move into Won); @first_contact: -1 for none. */
static void
add_cohort_lead (Run        *run,
                 gint64      created,
                 const char *source,
                 const char *grade,
                 gboolean    won,
                 gint64      amount,
                 gint64      won_at,
                 gint64      first_contact)
{
  LkReport *report = run->report;
  gint64 cycle = won ? MAX (0, won_at - created) : 0;
  LkReportSourceRow *src = g_hash_table_lookup (run->by_source, source);
  LkReportMonthRow *row = month_of (run, created);
  gint64 week = (created - lk_report_query_get_from (run->query)) / WEEK_MS;

  if (row != NULL)
    {
      row->leads++;
      row->grade_a += g_str_equal (grade, "A");
      row->grade_b += g_str_equal (grade, "B");
      row->grade_c += g_str_equal (grade, "C");
      row->won += won;
      /* Kept in avg_cycle_days as a sum of ms until the end. */
      row->avg_cycle_days = (isnan (row->avg_cycle_days) ? 0 : row->avg_cycle_days) + cycle;
    }
  if (src == NULL)
    {
      src = g_new0 (LkReportSourceRow, 1);
      src->source = g_strdup (source);
      g_ptr_array_add (report->sources, src);
      g_hash_table_insert (run->by_source, src->source, src);
    }
  src->leads++;
  src->won += won;
  if (won)
    src->avg_deal += amount;  /* a sum until the end */
  if (week >= 0 && week < report->weeks->len)
    g_array_index (report->weeks, LkReportWeekRow, week).new_leads++;
  if (first_contact >= 0)
    {
      gint64 speed = MAX (0, first_contact - created);

      g_array_append_val (run->speeds, speed);
    }
  report->kpis.new_leads++;
}

static void
finish_cohort (Run *run)
{
  LkReport *report = run->report;
  LkReportKpis *kpis = &report->kpis;
  GArray *speeds = run->speeds;

  for (guint i = 0; i < report->months->len; i++)
    {
      LkReportMonthRow *row = g_ptr_array_index (report->months, i);

      row->conversion = ratio (row->won, row->leads);
      row->avg_cycle_days = row->won > 0 ? row->avg_cycle_days / DAY_MS / row->won : NAN;
    }
  for (guint i = 0; i < report->sources->len; i++)
    {
      LkReportSourceRow *src = g_ptr_array_index (report->sources, i);

      src->conversion = ratio (src->won, src->leads);
      src->avg_deal = src->won > 0 ? src->avg_deal / src->won : NAN;
    }
  g_ptr_array_sort (report->sources, compare_sources);

  g_array_sort (speeds, compare_int64);
  kpis->contacted = speeds->len;
  if (speeds->len == 0)
    kpis->median_speed_hours = NAN;
  else if (speeds->len % 2 == 1)
    kpis->median_speed_hours = g_array_index (speeds, gint64, speeds->len / 2) / HOUR_MS;
  else
    kpis->median_speed_hours = (g_array_index (speeds, gint64, speeds->len / 2 - 1) +
                                g_array_index (speeds, gint64, speeds->len / 2)) / 2.0 / HOUR_MS;
}

/* A short period's cohort (a long one's comes from merge_reach()). */
static gboolean
read_cohort (Run     *run,
             GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  add_months (run, run->month_starts);
  init_weeks (run);
  init_stage_times (run);
  if (!is_short (run))
    return TRUE;
  stmt = prepare (run, cohort_sql, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    add_cohort_lead (run, sqlite3_column_int64 (stmt, 0), lk_store_column_text (stmt, 1),
                     lk_store_column_text (stmt, 2), sqlite3_column_int (stmt, 3) != 0,
                     sqlite3_column_int64 (stmt, 4), sqlite3_column_int64 (stmt, 5),
                     sqlite3_column_type (stmt, 6) != SQLITE_NULL ? sqlite3_column_int64 (stmt, 6) : -1);
  if (!finish (run, stmt, rc, error))
    return FALSE;
  finish_cohort (run);
  return TRUE;
}

/* The next row of the history, and its lead id (NULL at the end). */
static const char *
step_history (sqlite3_stmt *history,
              int          *rc)
{
  *rc = sqlite3_step (history);
  return *rc == SQLITE_ROW ? lk_store_column_text (history, 0) : NULL;
}

/* Counts each cohort lead at its furthest position in @at_pos (n_open +
 * 1 of them), merging the leads and the history, both in id order. The
 * two statements are distinct, so both stay open at once. */
static gboolean
merge_reach (Run        *run,
             gint64     *at_pos,
             GHashTable *lost,
             GError    **error)
{
  gint64 from = lk_report_query_get_from (run->query);
  gint64 to = lk_report_query_get_to (run->query);
  int n_open = (int) run->n_open;
  sqlite3_stmt *cohort, *history;
  const char *h_id;
  int rc_c, rc_h;

  cohort = prepare (run, reach_cohort_sql, error);
  if (cohort == NULL)
    return FALSE;
  history = prepare (run, reach_history_sql, error);
  if (history == NULL)
    {
      sqlite3_reset (cohort);
      return FALSE;
    }
  h_id = step_history (history, &rc_h);
  while ((rc_c = sqlite3_step (cohort)) == SQLITE_ROW)
    {
      const char *id = lk_store_column_text (cohort, 0);
      const char *stage = lk_store_column_text (cohort, 1);
      int now_at = stage_position (run, stage);
      int furthest = now_at;
      gboolean is_lost = now_at < 0 && g_strcmp0 (stage, run->lost) == 0;
      gint64 created = sqlite3_column_int64 (cohort, 2);
      gint64 amount = sqlite3_column_int64 (cohort, 3);
      const char *owner = lk_store_column_text (cohort, 4);
      gboolean in_cohort = created >= from && created < to;
      g_autofree char *lost_from = NULL;
      g_autofree char *lost_reason = NULL;
      gint64 won_at = -1;
      gint64 last_won = -1;
      gint64 entered = 0;
      int in = -1;  /* the open stage the lead was in, by position */
      int cmp;

      while (h_id != NULL && (cmp = strcmp (h_id, id)) <= 0)
        {
          const char *to_stage;
          gint64 at;
          int pos;
          gboolean to_lost, in_period;

          if (cmp < 0)
            {
              h_id = step_history (history, &rc_h);
              continue;
            }
          to_stage = lk_store_column_text (history, 1);
          at = sqlite3_column_int64 (history, 2);
          pos = stage_position (run, to_stage);
          to_lost = pos < 0 && g_strcmp0 (to_stage, run->lost) == 0;
          in_period = at >= from && at < to;
          /* A stay ends at the lead's next change, as read_stage_times() */
          if (in >= 0 && in_period)
            {
              LkReportStageTimeRow *row = g_ptr_array_index (run->report->stage_times, in);

              row->stays++;
              row->avg_days = (isnan (row->avg_days) ? 0 : row->avg_days) + (double) (at - entered);
            }
          entered = at;
          in = pos < n_open ? pos : -1;
          furthest = MAX (furthest, pos);
          /* The last move into Lost (the history is in time order) */
          if (is_lost && to_lost)
            lk_set_str (&lost_from, lk_store_column_text (history, 3));
          if (pos == n_open)
            last_won = at;
          /* As read_closed: the first win in the period; the last loss */
          if (in_period)
            {
              if (pos == n_open)
                won_at = won_at < 0 ? at : won_at;
              else if (to_lost)
                lk_set_str (&lost_reason, lk_store_column_text (history, 4));
            }
          h_id = step_history (history, &rc_h);
        }
      close_lead (run, won_at, created, amount, owner != NULL ? owner : "", lost_reason);
      /* As open_sql: in any stage but Won and Lost, today */
      if (stage != NULL && now_at != n_open && !is_lost)
        {
          LkReportKpis *kpis = &run->report->kpis;

          kpis->open_count++;
          kpis->open_value += amount;
          if (sqlite3_column_type (cohort, 9) != SQLITE_NULL && sqlite3_column_int64 (cohort, 9) < run->today)
            kpis->overdue++;
          if (now_at >= 0)
            run->open_amounts[now_at] += amount;
        }
      if (!in_cohort)
        continue;
      /* As cohort_sql: when it was last won, else when it entered Won */
      if (last_won < 0)
        last_won = sqlite3_column_type (cohort, 7) != SQLITE_NULL ? sqlite3_column_int64 (cohort, 7) : created;
      add_cohort_lead (run, created, lk_store_column_text (cohort, 5), lk_store_column_text (cohort, 6),
                       now_at == n_open, amount, last_won,
                       sqlite3_column_type (cohort, 8) != SQLITE_NULL ? sqlite3_column_int64 (cohort, 8) : -1);
      if (furthest >= 0)
        at_pos[furthest]++;
      if (lost_from != NULL && lost_from[0] != '\0')
        {
          LkReportMonthRow *row = month_of (run, created);
          char *key = g_strdup_printf ("%s\t%s", row != NULL ? row->month : "", lost_from);

          g_hash_table_insert (lost, key, GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (lost, key)) + 1));
        }
    }
  if (!finish (run, history, rc_h == SQLITE_ROW ? SQLITE_DONE : rc_h, error))
    {
      sqlite3_reset (cohort);
      return FALSE;
    }
  return finish (run, cohort, rc_c, error);
}

/* @count cohort leads of @month ("2024-05") now Lost were lost from @from */
static void
add_lost (Run        *run,
          GHashTable *lost_from,
          const char *month,
          const char *from,
          gint64      count)
{
  LkReportMonthRow *row = find_month (run->report->months, month);
  int from_pos = lk_pipeline_get_position (run->pipeline, from);
  int most_pos = row != NULL ? lk_pipeline_get_position (run->pipeline, row->most_lost_stage) : 0;

  if (from[0] == '\0')
    return;
  g_hash_table_insert (lost_from, g_strdup (from),
                       GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (lost_from, from)) + (int) count));
  /* Ties go to the earlier stage. */
  if (row != NULL &&
      (count > row->most_lost_count ||
       (count == row->most_lost_count && from_pos < most_pos)))
    {
      lk_set_str (&row->most_lost_stage, from);
      lk_set_str (&row->most_lost_name, stage_name (run, from));
      row->most_lost_count = count;
    }
}

static gboolean
read_funnel (Run     *run,
             GError **error)
{
  LkReport *report = run->report;
  g_autofree gint64 *at_pos = g_new0 (gint64, run->n_open + 1);
  g_autoptr(GHashTable) lost_from = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GListModel *stages = G_LIST_MODEL (run->pipeline);
  guint n = g_list_model_get_n_items (stages);
  sqlite3_stmt *stmt;
  int rc;

  if (is_short (run))
    {
      stmt = prepare (run, reach_sql, error);
      if (stmt == NULL)
        return FALSE;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          int pos = position_of_offset (run, sqlite3_column_int64 (stmt, 0));

          if (pos >= 0 && pos <= (int) run->n_open)
            at_pos[pos] += sqlite3_column_int64 (stmt, 1);
        }
      if (!finish (run, stmt, rc, error))
        return FALSE;
    }
  else
    {
      g_autoptr(GHashTable) lost = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      GHashTableIter iter;
      gpointer key, value;

      if (!merge_reach (run, at_pos, lost, error))
        return FALSE;
      finish_cohort (run);
      g_hash_table_iter_init (&iter, lost);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          g_auto(GStrv) parts = g_strsplit (key, "\t", 2);

          add_lost (run, lost_from, parts[0], parts[1], GPOINTER_TO_INT (value));
        }
    }

  if (is_short (run))
    {
      stmt = prepare (run, cohort_lost_sql, error);
      if (stmt == NULL)
        return FALSE;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        add_lost (run, lost_from, lk_store_column_text (stmt, 0), lk_store_column_text (stmt, 1),
                  sqlite3_column_int64 (stmt, 2));
      if (!finish (run, stmt, rc, error))
        return FALSE;
    }

  /* Reached = the cohort leads whose furthest stage is this one or later;
   * every cohort lead has reached the first stage. */
  {
    gint64 reached = 0;

    for (guint i = 0; i < n; i++)
      {
        g_autoptr(LkStage) stage = g_list_model_get_item (stages, i);
        LkReportFunnelRow *row;

        if (lk_stage_get_kind (stage) == LK_STAGE_KIND_LOST)
          continue;
        row = g_new0 (LkReportFunnelRow, 1);
        row->stage_id = g_strdup (lk_stage_get_id (stage));
        row->name = g_strdup (lk_stage_get_name (stage));
        row->lost_here = GPOINTER_TO_INT (g_hash_table_lookup (lost_from, row->stage_id));
        row->conversion = NAN;
        g_ptr_array_add (report->funnel, row);
      }
    /* Won last, whatever the pipeline's order. */
    for (guint i = 0; i + 1 < report->funnel->len; i++)
      {
        LkReportFunnelRow *row = g_ptr_array_index (report->funnel, i);

        if (g_str_equal (row->stage_id, run->won))
          {
            g_ptr_array_steal_index (report->funnel, i);
            g_ptr_array_add (report->funnel, row);
            break;
          }
      }
    for (int i = (int) report->funnel->len - 1; i >= 0; i--)
      {
        LkReportFunnelRow *row = g_ptr_array_index (report->funnel, i);

        reached += at_pos[i];
        row->reached = i == 0 ? report->kpis.new_leads : reached;
        if (i == run->qualified_pos)
          report->kpis.qualified = reached;
      }
    for (guint i = 0; i + 1 < report->funnel->len; i++)
      {
        LkReportFunnelRow *row = g_ptr_array_index (report->funnel, i);
        LkReportFunnelRow *next = g_ptr_array_index (report->funnel, i + 1);

        row->conversion = ratio (next->reached, row->reached);
      }
  }
  report->kpis.qualified_rate = ratio (report->kpis.qualified, report->kpis.new_leads);
  return TRUE;
}

static LkReportRepRow *
rep_row (GHashTable *reps,
         const char *user_id)
{
  LkReportRepRow *row = g_hash_table_lookup (reps, user_id);

  if (row == NULL)
    {
      row = g_new0 (LkReportRepRow, 1);
      row->user_id = g_strdup (user_id);
      g_hash_table_insert (reps, row->user_id, row);
    }
  return row;
}

static void
close_lead (Run        *run,
            gint64      won_at,
            gint64      created,
            gint64      amount,
            const char *owner,
            const char *lost_reason)
{
  LkReport *report = run->report;

  if (won_at >= 0)
    {
      LkReportRepRow *rep = rep_row (run->reps, owner);
      gint64 week = (won_at - lk_report_query_get_from (run->query)) / WEEK_MS;

      report->kpis.won++;
      report->kpis.won_amount += amount;
      run->cycle_total += MAX (0, won_at - created);
      rep->won++;
      rep->won_amount += amount;
      if (week >= 0 && week < report->weeks->len)
        g_array_index (report->weeks, LkReportWeekRow, week).won++;
    }
  else if (lost_reason != NULL)
    {
      report->kpis.lost++;
      g_hash_table_insert (run->reasons, g_strdup (lost_reason),
                           GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (run->reasons, lost_reason)) + 1));
    }
}

static gint
compare_reps (gconstpointer a,
              gconstpointer b)
{
  const LkReportRepRow *x = *(LkReportRepRow * const *) a;
  const LkReportRepRow *y = *(LkReportRepRow * const *) b;

  if (x->won_amount != y->won_amount)
    return x->won_amount > y->won_amount ? -1 : 1;
  if (x->won != y->won)
    return x->won > y->won ? -1 : 1;
  if (x->followups != y->followups)
    return x->followups > y->followups ? -1 : 1;
  return g_strcmp0 (x->name, y->name);
}

static gint
compare_reasons (gconstpointer a,
                 gconstpointer b)
{
  const LkReportReasonRow *x = *(LkReportReasonRow * const *) a;
  const LkReportReasonRow *y = *(LkReportReasonRow * const *) b;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return g_strcmp0 (x->reason, y->reason);
}

/* Won and lost in the period, the leaderboard, lost reasons. */
static gboolean
read_closed (Run     *run,
             GError **error)
{
  LkReport *report = run->report;
  GHashTable *reps = run->reps;
  GHashTable *reasons = run->reasons;
  GHashTable *users = lk_store_get_users_by_id (run->store);
  g_autofree char *lead = NULL, *owner = NULL, *lost_reason = NULL;
  gint64 won_at = -1, created = 0, amount = 0;
  sqlite3_stmt *stmt = NULL;
  GHashTableIter iter;
  gpointer key, value;
  int rc = SQLITE_DONE;

  /* A long period's were found by merge_reach(). */
  if (is_short (run))
    {
      stmt = prepare (run, closed_sql, error);
      if (stmt == NULL)
        return FALSE;
    }
  while (stmt != NULL && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = lk_store_column_text (stmt, 0);
      const char *to = lk_store_column_text (stmt, 1);

      if (lead == NULL || !g_str_equal (lead, id))
        {
          if (lead != NULL)
            close_lead (run, won_at, created, amount, owner, lost_reason);
          lk_set_str (&lead, id);
          lk_set_str (&owner, lk_store_column_text (stmt, 6));
          g_clear_pointer (&lost_reason, g_free);
          won_at = -1;
          created = sqlite3_column_int64 (stmt, 4);
          amount = sqlite3_column_int64 (stmt, 5);
        }
      /* The first win in the period counts; a loss counts only when the
       * lead is not also won in it, with the reason of its last loss. */
      if (g_str_equal (to, run->won))
        {
          if (won_at < 0)
            won_at = sqlite3_column_int64 (stmt, 2);
        }
      else
        lk_set_str (&lost_reason, lk_store_column_text (stmt, 3));
    }
  if (stmt != NULL && !finish (run, stmt, rc, error))
    return FALSE;
  if (lead != NULL)
    close_lead (run, won_at, created, amount, owner, lost_reason);
  report->kpis.win_rate = ratio (report->kpis.won, report->kpis.won + report->kpis.lost);
  report->kpis.avg_cycle_days = report->kpis.won > 0 ? run->cycle_total / DAY_MS / report->kpis.won : NAN;

  for (guint pass = 0; pass < (filtered (run) ? 1 : 2); pass++)
    {
      int sign = pass == 0 ? 1 : -1;

      stmt = prepare (run, filtered (run) ? followups_filtered_sql
                           : pass == 0 ? followups_sql : followups_deleted_sql, error);
      if (stmt == NULL)
        return FALSE;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        rep_row (reps, lk_store_column_text (stmt, 0))->followups += sign * sqlite3_column_int64 (stmt, 1);
      if (!finish (run, stmt, rc, error))
        return FALSE;
    }
  /* Nobody is left whose only follow-ups were on deleted leads. */
  g_hash_table_iter_init (&iter, reps);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      LkReportRepRow *row = value;

      if (row->won == 0 && row->followups == 0)
        g_hash_table_iter_remove (&iter);
    }

  g_hash_table_iter_init (&iter, reps);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      LkReportRepRow *row = value;
      LkUser *user = users != NULL ? g_hash_table_lookup (users, row->user_id) : NULL;

      if (user != NULL)
        row->name = g_strdup (lk_user_get_display_name (user));
      else if (row->user_id[0] == '\0')
        row->name = g_strdup (_("Nobody"));
      else
        row->name = g_strdup (lk_user_id_get_name (row->user_id));
      g_hash_table_iter_steal (&iter);
      g_ptr_array_add (report->reps, row);
    }
  g_ptr_array_sort (report->reps, compare_reps);

  g_hash_table_iter_init (&iter, reasons);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      LkReportReasonRow *row = g_new0 (LkReportReasonRow, 1);

      row->reason = g_strdup (key);
      row->label = g_strdup (row->reason[0] != '\0' ? lk_pipeline_translate_reason (row->reason)
                                                    : _("No reason given"));
      row->count = GPOINTER_TO_INT (value);
      g_ptr_array_add (report->lost_reasons, row);
    }
  g_ptr_array_sort (report->lost_reasons, compare_reasons);
  return TRUE;
}

static gboolean
read_stage_times (Run     *run,
                  GError **error)
{
  LkReport *report = run->report;
  sqlite3_stmt *stmt;
  int rc;

  /* A long period's were measured by merge_reach(). */
  for (guint pass = 0; is_short (run) && pass < (filtered (run) ? 1 : 2); pass++)
    {
      int sign = pass == 0 ? 1 : -1;
      g_autofree char *lead = NULL;
      gint64 from = lk_report_query_get_from (run->query);
      gint64 to = lk_report_query_get_to (run->query);
      gint64 entered = 0;
      LkReportStageTimeRow *in = NULL;  /* the stage the lead was in */

      stmt = prepare (run, filtered (run) ? stage_time_filtered_sql
                           : pass == 1 ? stage_time_deleted_sql
                           : stage_time_recent_sql, error);
      if (stmt == NULL)
        return FALSE;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          const char *id = lk_store_column_text (stmt, 0);
          gint64 at = sqlite3_column_int64 (stmt, 1);
          const char *stage = lk_store_column_text (stmt, 2);

          if (lead == NULL || !g_str_equal (lead, id))
            lk_set_str (&lead, id);
          else if (in != NULL && at >= from && at < to)
            {
              /* avg_days holds the sum of ms until the end */
              in->stays += sign;
              in->avg_days = (isnan (in->avg_days) ? 0 : in->avg_days) + sign * (double) (at - entered);
            }
          entered = at;
          in = NULL;
          for (guint i = 0; i < report->stage_times->len && in == NULL; i++)
            {
              LkReportStageTimeRow *row = g_ptr_array_index (report->stage_times, i);

              if (g_str_equal (row->stage_id, stage))
                in = row;
            }
        }
      if (!finish (run, stmt, rc, error))
        return FALSE;
    }
  for (guint i = 0; i < report->stage_times->len; i++)
    {
      LkReportStageTimeRow *row = g_ptr_array_index (report->stage_times, i);

      row->avg_days = row->stays > 0 ? row->avg_days / DAY_MS / row->stays : NAN;
    }
  return TRUE;
}

static gboolean
read_open (Run     *run,
           GError **error)
{
  LkReportKpis *kpis = &run->report->kpis;
  sqlite3_stmt *stmt;
  double weighted = 0;
  int rc;

  /* A long period's were added up by merge_reach(). */
  if (!is_short (run))
    {
      for (guint i = 0; i < run->n_open; i++)
        {
          LkStage *stage = lk_pipeline_lookup (run->pipeline, g_ptr_array_index (run->stage_ids, i));

          weighted += (double) run->open_amounts[i] * lk_stage_get_probability (stage) / 100.0;
        }
      kpis->weighted_value = (gint64) llround (weighted);
    }
  else
    {
      stmt = prepare (run, open_sql, error);
      if (stmt == NULL)
        return FALSE;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          LkStage *stage = lk_pipeline_lookup (run->pipeline, lk_store_column_text (stmt, 0));
          double amount = sqlite3_column_double (stmt, 2);

          kpis->open_count += sqlite3_column_int64 (stmt, 1);
          kpis->open_value += (gint64) amount;
          kpis->overdue += (gint64) sqlite3_column_double (stmt, 3);
          if (stage != NULL)
            weighted += amount * lk_stage_get_probability (stage) / 100.0;
        }
      kpis->weighted_value = (gint64) llround (weighted);
      if (!finish (run, stmt, rc, error))
        return FALSE;
    }

  /* Sums are shown in the team's currency; amounts in other currencies
   * are added as they are (no conversion). */
  g_free (run->report->currency);
  run->report->currency = lk_store_get_currency (run->store);
  return TRUE;
}

/**
 * lk_report_compute:
 *
 * Computes every number of a report with a few SQL statements, reading
 * only. Slow on a large database (see tests/bench/bench-report.c): the
 * dashboard runs it on a worker's connection, lk_report_compute_async().
 *
 * Returns: (transfer full): the report, or %NULL with @error set
 */
LkReport *
lk_report_compute (LkStore        *store,
                   LkReportQuery  *query,
                   GCancellable   *cancellable,
                   GError        **error)
{
  g_autoptr(LkReport) report = NULL;
  Run run = { 0 };
  gboolean outer, ok;

  g_return_val_if_fail (LK_IS_STORE (store), NULL);
  g_return_val_if_fail (LK_IS_REPORT_QUERY (query), NULL);

  report = lk_report_new (query, lk_clock_get_timezone (lk_store_get_clock (store)));
  run.store = store;
  run.pipeline = lk_store_get_pipeline (store);
  run.query = report->query;
  run.cancellable = cancellable;
  run.report = report;
  setup_run (&run);

  /* One read transaction (deferred: it takes no write lock), so that
   * every number comes from the same snapshot. */
  /* Reports read much of the file: mapped, its pages need no copying
   * into this connection's cache (a worker's connection starts cold). */
  lk_store_exec (store, "PRAGMA mmap_size = 1073741824", NULL);
  outer = store->depth == 0;
  ok = !outer || lk_store_exec (store, "BEGIN", error);
  if (ok)
    {
      static const struct
      {
        const char *name;
        gboolean  (*read) (Run *, GError **);
      } steps[] = {
        { "cohort", read_cohort }, { "funnel", read_funnel },
        { "closed", read_closed }, { "stage time", read_stage_times },
        { "open", read_open },
      };

      for (guint i = 0; ok && i < G_N_ELEMENTS (steps); i++)
        {
          double start = thread_cpu_ms ();

          ok = steps[i].read (&run, error);
          g_debug ("report: %s in %.1f ms of CPU", steps[i].name, thread_cpu_ms () - start);
        }
      if (outer)
        lk_store_exec (store, "COMMIT", NULL);
    }
  g_free (run.order);
  g_clear_pointer (&run.offsets, g_array_unref);
  g_clear_pointer (&run.stage_ids, g_ptr_array_unref);
  g_free (run.open_amounts);
  g_clear_pointer (&run.month_starts, g_array_unref);
  g_clear_pointer (&run.reps, g_hash_table_unref);
  g_clear_pointer (&run.reasons, g_hash_table_unref);
  g_clear_pointer (&run.by_source, g_hash_table_unref);
  g_clear_pointer (&run.speeds, g_array_unref);
  return ok ? g_steal_pointer (&report) : NULL;
}

typedef struct
{
  LkStore       *worker;
  LkReportQuery *query;
} Work;

static void
work_free (Work *work)
{
  g_clear_object (&work->worker);
  g_clear_object (&work->query);
  g_free (work);
}

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Work *work = task_data;
  GError *error = NULL;
  LkReport *report = lk_report_compute (work->worker, work->query, cancellable, &error);

  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, g_object_unref);
}

/**
 * lk_report_compute_async:
 *
 * Computes the report on a worker thread over its own connection to
 * @store's database; the main thread never waits for it.
 */
void
lk_report_compute_async (LkStore             *store,
                         LkReportQuery       *query,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Work *work;

  g_return_if_fail (LK_IS_STORE (store));
  g_return_if_fail (LK_IS_REPORT_QUERY (query));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_report_compute_async);
  work = g_new0 (Work, 1);
  work->query = lk_report_query_copy (query);
  work->worker = lk_store_open_worker (store, &error);
  g_task_set_task_data (task, work, (GDestroyNotify) work_free);
  if (work->worker == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_run_in_thread (task, compute_thread);
}

LkReport *
lk_report_compute_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
