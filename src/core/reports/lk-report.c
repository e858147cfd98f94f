/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-report"

#include <math.h>

#include <glib/gi18n.h>

#include "lk-error.h"
#include "lk-format.h"
#include "lk-report-private.h"
#include "lk-vocabulary.h"

/* The result of one report: plain numbers (lk-report-compute.c fills
 * them), the same numbers as text tables (the dashboard's "Show as
 * Table", CSV, PDF) and as JSON (leadkeeper-cli report --json). */

G_DEFINE_FINAL_TYPE (LkReport, lk_report, G_TYPE_OBJECT)

void
lk_report_funnel_row_free (LkReportFunnelRow *row)
{
  g_free (row->stage_id);
  g_free (row->name);
  g_free (row);
}

void
lk_report_source_row_free (LkReportSourceRow *row)
{
  g_free (row->source);
  g_free (row);
}

void
lk_report_rep_row_free (LkReportRepRow *row)
{
  g_free (row->user_id);
  g_free (row->name);
  g_free (row);
}

void
lk_report_stage_time_row_free (LkReportStageTimeRow *row)
{
  g_free (row->stage_id);
  g_free (row->name);
  g_free (row);
}

void
lk_report_reason_row_free (LkReportReasonRow *row)
{
  g_free (row->reason);
  g_free (row->label);
  g_free (row);
}

void
lk_report_month_row_free (LkReportMonthRow *row)
{
  g_free (row->month);
  g_free (row->most_lost_stage);
  g_free (row->most_lost_name);
  g_free (row);
}

void
lk_report_table_free (LkReportTable *table)
{
  if (table == NULL)
    return;
  g_free (table->title);
  g_strfreev (table->headers);
  g_clear_pointer (&table->rows, g_ptr_array_unref);
  g_free (table);
}

static char *
format_rate (double value)
{
  return isnan (value) ? g_strdup ("—") : g_strdup_printf ("%.1f %%", value * 100);
}

static char *
format_days (double value)
{
  return isnan (value) ? g_strdup ("—") : g_strdup_printf ("%.1f", value);
}

static char *
format_int (gint64 value)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

static void
lk_report_finalize (GObject *object)
{
  LkReport *self = LK_REPORT (object);

  g_clear_object (&self->query);
  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_clear_pointer (&self->currency, g_free);
  g_clear_pointer (&self->funnel, g_ptr_array_unref);
  g_clear_pointer (&self->sources, g_ptr_array_unref);
  g_clear_pointer (&self->weeks, g_array_unref);
  g_clear_pointer (&self->reps, g_ptr_array_unref);
  g_clear_pointer (&self->stage_times, g_ptr_array_unref);
  g_clear_pointer (&self->lost_reasons, g_ptr_array_unref);
  g_clear_pointer (&self->months, g_ptr_array_unref);

  G_OBJECT_CLASS (lk_report_parent_class)->finalize (object);
}

static void
lk_report_class_init (LkReportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_report_finalize;
}

static void
lk_report_init (LkReport *self)
{
  self->currency = g_strdup ("CNY");
  self->funnel = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_report_funnel_row_free);
  self->sources = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_report_source_row_free);
  self->weeks = g_array_new (FALSE, TRUE, sizeof (LkReportWeekRow));
  self->reps = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_report_rep_row_free);
  self->stage_times = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_report_stage_time_row_free);
  self->lost_reasons = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_report_reason_row_free);
  self->months = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_report_month_row_free);
  self->kpis.qualified_rate = NAN;
  self->kpis.win_rate = NAN;
  self->kpis.avg_cycle_days = NAN;
  self->kpis.median_speed_hours = NAN;
}

LkReport *
lk_report_new (LkReportQuery *query,
               GTimeZone     *tz)
{
  LkReport *self = g_object_new (LK_TYPE_REPORT, NULL);

  self->query = lk_report_query_copy (query);
  self->tz = g_time_zone_ref (tz);
  return self;
}

LkReportQuery *
lk_report_get_query (LkReport *self)
{
  g_return_val_if_fail (LK_IS_REPORT (self), NULL);
  return self->query;
}

/* The currency of the sums: the team's (lk_store_get_currency()).
 * Amounts are added as stored, so a team that sells in several
 * currencies sees a sum of mixed units. */
const char *
lk_report_get_currency (LkReport *self)
{
  g_return_val_if_fail (LK_IS_REPORT (self), NULL);
  return self->currency;
}

GTimeZone *
lk_report_get_timezone (LkReport *self)
{
  g_return_val_if_fail (LK_IS_REPORT (self), NULL);
  return self->tz;
}

const LkReportKpis *
lk_report_get_kpis (LkReport *self)
{
  g_return_val_if_fail (LK_IS_REPORT (self), NULL);
  return &self->kpis;
}

/* Returns: (transfer none) (element-type LkReportFunnelRow) */
GPtrArray *
lk_report_get_funnel (LkReport *self)
{
  g_return_val_if_fail (LK_IS_REPORT (self), NULL);
  return self->funnel;
}

/* Returns: (transfer none) (element-type LkReportSourceRow) */
GPtrArray *
lk_report_get_sources (LkReport *self)
{
  g_return_val_if_fail (LK_IS_REPORT (self), NULL);
  return self->sources;
}

/* Returns: (transfer none) (element-type LkReportWeekRow) */
GArray *
lk_report_get_weeks (LkReport *self)
{
  g_return_val_if_fail (LK_IS_REPORT (self), NULL);
  return self->weeks;
}

/* Returns: (transfer none) (element-type LkReportRepRow) */
GPtrArray *
lk_report_get_reps (LkReport *self)
{
  g_return_val_if_fail (LK_IS_REPORT (self), NULL);
  return self->reps;
}

/* Returns: (transfer none) (element-type LkReportStageTimeRow) */
GPtrArray *
lk_report_get_stage_times (LkReport *self)
{
  g_return_val_if_fail (LK_IS_REPORT (self), NULL);
  return self->stage_times;
}

/* Returns: (transfer none) (element-type LkReportReasonRow) */
GPtrArray *
lk_report_get_lost_reasons (LkReport *self)
{
  g_return_val_if_fail (LK_IS_REPORT (self), NULL);
  return self->lost_reasons;
}

/* Returns: (transfer none) (element-type LkReportMonthRow) */
GPtrArray *
lk_report_get_months (LkReport *self)
{
  g_return_val_if_fail (LK_IS_REPORT (self), NULL);
  return self->months;
}

const char *
lk_report_table_title (LkReportTableKind kind)
{
  switch (kind)
    {
    case LK_REPORT_FUNNEL:
      return _("Funnel by stage");
    case LK_REPORT_SOURCES:
      return _("Leads and conversion by source");
    case LK_REPORT_WEEKLY:
      return _("New and won per week");
    case LK_REPORT_LEADERBOARD:
      return _("Leaderboard");
    case LK_REPORT_STAGE_TIME:
      return _("Average time in stage");
    case LK_REPORT_LOST_REASONS:
      return _("Lost reasons");
    case LK_REPORT_MONTHLY:
      return _("Monthly conversion");
    case LK_REPORT_N_TABLES:
    default:
      g_return_val_if_reached (NULL);
    }
}

static LkReportTable *
table_new (LkReportTableKind kind,
           const char       *first_header,
           ...)
{
  LkReportTable *table = g_new0 (LkReportTable, 1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  va_list args;

  table->title = g_strdup (lk_report_table_title (kind));
  va_start (args, first_header);
  for (const char *h = first_header; h != NULL; h = va_arg (args, const char *))
    g_strv_builder_add (builder, h);
  va_end (args);
  table->headers = g_strv_builder_end (builder);
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  return table;
}

/* Adds a row of cells the table takes: as many as the headers. */
static void
table_add (LkReportTable *table,
           char          *first_cell,
           ...)
{
  guint n = g_strv_length (table->headers);
  char **row = g_new0 (char *, n + 1);
  va_list args;

  row[0] = first_cell;
  va_start (args, first_cell);
  for (guint i = 1; i < n; i++)
    row[i] = va_arg (args, char *);
  va_end (args);
  g_ptr_array_add (table->rows, row);
}

void
lk_report_tile_free (LkReportTile *tile)
{
  g_free (tile->title);
  g_free (tile->value);
  g_free (tile->detail);
  g_free (tile);
}

static void
add_tile (GPtrArray  *tiles,
          const char *title,
          char       *value,
          char       *detail)
{
  LkReportTile *tile = g_new0 (LkReportTile, 1);

  tile->title = g_strdup (title);
  tile->value = value;
  tile->detail = detail;
  g_ptr_array_add (tiles, tile);
}

static char *
money (LkReport *self,
       double    minor)
{
  return isnan (minor) ? g_strdup ("—") : lk_format_money ((gint64) llround (minor), self->currency);
}

/**
 * lk_report_get_table:
 *
 * Returns: (transfer full): one chart's numbers (or the monthly table)
 *   as text, formatted for people
 */
LkReportTable *
lk_report_get_table (LkReport          *self,
                     LkReportTableKind  kind)
{
  LkReportTable *table = NULL;

  g_return_val_if_fail (LK_IS_REPORT (self), NULL);

  switch (kind)
    {
    case LK_REPORT_FUNNEL:
      table = table_new (kind, _("Stage"), _("Reached"), _("Conversion to next"),
                         _("Drop-off"), _("Lost at this stage"), NULL);
      for (guint i = 0; i < self->funnel->len; i++)
        {
          LkReportFunnelRow *row = g_ptr_array_index (self->funnel, i);

          table_add (table, g_strdup (row->name), format_int (row->reached),
                     format_rate (row->conversion), format_rate (1 - row->conversion),
                     format_int (row->lost_here));
        }
      break;
    case LK_REPORT_SOURCES:
      table = table_new (kind, _("Source"), _("Leads"), _("Won"), _("Conversion"),
                         _("Average deal"), NULL);
      for (guint i = 0; i < self->sources->len; i++)
        {
          LkReportSourceRow *row = g_ptr_array_index (self->sources, i);

          table_add (table, g_strdup (row->source[0] ? lk_vocabulary_source_name (row->source) : _("No source")),
                     format_int (row->leads), format_int (row->won),
                     format_rate (row->conversion), money (self, row->avg_deal));
        }
      break;
    case LK_REPORT_WEEKLY:
      table = table_new (kind, _("Week of"), _("New leads"), _("Won"), NULL);
      for (guint i = 0; i < self->weeks->len; i++)
        {
          LkReportWeekRow *row = &g_array_index (self->weeks, LkReportWeekRow, i);

          table_add (table, lk_format_date (row->start_ms, self->tz),
                     format_int (row->new_leads), format_int (row->won));
        }
      break;
    case LK_REPORT_LEADERBOARD:
      table = table_new (kind, _("Rep"), _("Won amount"), _("Won"), _("Follow-ups logged"), NULL);
      for (guint i = 0; i < self->reps->len; i++)
        {
          LkReportRepRow *row = g_ptr_array_index (self->reps, i);

          table_add (table, g_strdup (row->name), money (self, row->won_amount),
                     format_int (row->won), format_int (row->followups));
        }
      break;
    case LK_REPORT_STAGE_TIME:
      table = table_new (kind, _("Stage"), _("Average days"), _("Stays"), NULL);
      for (guint i = 0; i < self->stage_times->len; i++)
        {
          LkReportStageTimeRow *row = g_ptr_array_index (self->stage_times, i);

          table_add (table, g_strdup (row->name), format_days (row->avg_days), format_int (row->stays));
        }
      break;
    case LK_REPORT_LOST_REASONS:
      table = table_new (kind, _("Reason"), _("Leads"), NULL);
      for (guint i = 0; i < self->lost_reasons->len; i++)
        {
          LkReportReasonRow *row = g_ptr_array_index (self->lost_reasons, i);

          table_add (table, g_strdup (row->label), format_int (row->count));
        }
      break;
    case LK_REPORT_MONTHLY:
      table = table_new (kind, _("Month"), _("Leads"), C_("grade", "A"), C_("grade", "B"),
                         C_("grade", "C"), _("Won"), _("Conversion"), _("Average cycle (days)"),
                         _("Most lost at"), _("Suggestion"), NULL);
      for (guint i = 0; i < self->months->len; i++)
        {
          LkReportMonthRow *row = g_ptr_array_index (self->months, i);

          table_add (table, g_strdup (row->month), format_int (row->leads), format_int (row->grade_a),
                     format_int (row->grade_b), format_int (row->grade_c), format_int (row->won),
                     format_rate (row->conversion), format_days (row->avg_cycle_days),
                     g_strdup (row->most_lost_name ? row->most_lost_name : "—"), g_strdup (""));
        }
      break;
    case LK_REPORT_N_TABLES:
    default:
      g_return_val_if_reached (NULL);
    }
  return table;
}

/**
 * lk_report_get_tiles:
 *
 * Returns: (transfer container) (element-type LkReportTile): the KPI
 *   tiles in the order the dashboard shows them
 */
GPtrArray *
lk_report_get_tiles (LkReport *self)
{
  GPtrArray *tiles = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_report_tile_free);
  const LkReportKpis *k;

  g_return_val_if_fail (LK_IS_REPORT (self), NULL);

  k = &self->kpis;
  add_tile (tiles, _("New leads"), format_int (k->new_leads),
            g_strdup (_("Leads created in the period")));
  add_tile (tiles, _("Lead → qualified"), format_rate (k->qualified_rate),
            g_strdup_printf (_("%d of %d new leads reached Qualified or a later stage"),
                             (int) k->qualified, (int) k->new_leads));
  add_tile (tiles, _("Win rate"), format_rate (k->win_rate),
            g_strdup_printf (_("%d won, %d lost in the period"), (int) k->won, (int) k->lost));
  add_tile (tiles, _("Average sales cycle"),
            isnan (k->avg_cycle_days) ? g_strdup ("—")
                                      : g_strdup_printf (_("%.1f days"), k->avg_cycle_days),
            g_strdup (_("From creation to Won, over the leads won in the period")));
  add_tile (tiles, _("Median speed to lead"),
            isnan (k->median_speed_hours) ? g_strdup ("—")
                                          : g_strdup_printf (_("%.1f hours"), k->median_speed_hours),
            g_strdup_printf (_("From creation to first contact, over %d contacted new leads"),
                             (int) k->contacted));
  add_tile (tiles, _("Open pipeline"), money (self, k->open_value),
            g_strdup_printf (_("%d open leads today"), (int) k->open_count));
  add_tile (tiles, _("Weighted pipeline"), money (self, k->weighted_value),
            g_strdup (_("Open amounts × their stage’s win probability")));
  add_tile (tiles, _("Overdue follow-ups"), format_int (k->overdue),
            g_strdup (_("Open leads whose next follow-up was due before today")));
  return tiles;
}

/* Returns: (transfer full): "2024-04-01 – 2024-04-30" in the report's time zone */
char *
lk_report_describe_period (LkReport *self)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  g_return_val_if_fail (LK_IS_REPORT (self), NULL);

  from = lk_format_date (lk_report_query_get_from (self->query), self->tz);
  to = lk_format_date (lk_report_query_get_to (self->query) - 1, self->tz);
  return g_strdup_printf ("%s – %s", from, to);
}

static void
append_csv_cell (GString    *out,
                 const char *cell)
{
  if (strpbrk (cell, ",\"\r\n") == NULL)
    {
      g_string_append (out, cell);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = cell; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_csv_row (GString            *out,
                const char * const *cells)
{
  for (guint i = 0; cells[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_csv_cell (out, cells[i]);
    }
  g_string_append (out, "\r\n");
}

/* RFC 4180 CSV, UTF-8 with a byte order mark so that Excel reads Chinese. */
char *
lk_report_table_to_csv (LkReportTable *table)
{
  GString *out = g_string_new ("\xEF\xBB\xBF");

  g_return_val_if_fail (table != NULL, NULL);

  append_csv_row (out, (const char * const *) table->headers);
  for (guint i = 0; i < table->rows->len; i++)
    append_csv_row (out, g_ptr_array_index (table->rows, i));
  return g_string_free (out, FALSE);
}

gboolean
lk_report_write_csv (LkReport           *self,
                     LkReportTableKind   kind,
                     const char         *path,
                     GError            **error)
{
  g_autoptr(LkReportTable) table = NULL;
  g_autofree char *csv = NULL;

  g_return_val_if_fail (LK_IS_REPORT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  table = lk_report_get_table (self, kind);
  csv = lk_report_table_to_csv (table);
  if (!g_file_set_contents (path, csv, -1, error))
    {
      g_prefix_error (error, _("The table could not be saved: "));
      return FALSE;
    }
  return TRUE;
}

static void
add_double (JsonBuilder *b,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (b, name);
  if (isnan (value))
    json_builder_add_null_value (b);
  else
    json_builder_add_double_value (b, round (value * 10000) / 10000);
}

static void
add_int (JsonBuilder *b,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value == NULL)
    json_builder_add_null_value (b);
  else
    json_builder_add_string_value (b, value);
}

/**
 * lk_report_to_json:
 *
 * Returns: (transfer full): the report's numbers, with stage and user
 *   ids; amounts in minor units; rates as fractions (null when nothing
 *   to divide); days and hours as decimals rounded to 4 places
 */
JsonNode *
lk_report_to_json (LkReport *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const LkReportKpis *k;

  g_return_val_if_fail (LK_IS_REPORT (self), NULL);

  k = &self->kpis;
  json_builder_begin_object (b);
  add_int (b, "from", lk_report_query_get_from (self->query));
  add_int (b, "to", lk_report_query_get_to (self->query));
  add_string (b, "owner", lk_report_query_get_owner (self->query));
  add_string (b, "source", lk_report_query_get_source (self->query));
  add_string (b, "currency", self->currency);

  json_builder_set_member_name (b, "kpis");
  json_builder_begin_object (b);
  add_int (b, "new_leads", k->new_leads);
  add_int (b, "qualified", k->qualified);
  add_double (b, "qualified_rate", k->qualified_rate);
  add_int (b, "won", k->won);
  add_int (b, "lost", k->lost);
  add_double (b, "win_rate", k->win_rate);
  add_int (b, "won_amount", k->won_amount);
  add_double (b, "avg_cycle_days", k->avg_cycle_days);
  add_int (b, "contacted", k->contacted);
  add_double (b, "median_speed_hours", k->median_speed_hours);
  add_int (b, "open_count", k->open_count);
  add_int (b, "open_value", k->open_value);
  add_int (b, "weighted_value", k->weighted_value);
  add_int (b, "overdue", k->overdue);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "funnel");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->funnel->len; i++)
    {
      LkReportFunnelRow *row = g_ptr_array_index (self->funnel, i);

      json_builder_begin_object (b);
      add_string (b, "stage", row->stage_id);
      add_int (b, "reached", row->reached);
      add_double (b, "conversion", row->conversion);
      add_int (b, "lost_here", row->lost_here);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "sources");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->sources->len; i++)
    {
      LkReportSourceRow *row = g_ptr_array_index (self->sources, i);

      json_builder_begin_object (b);
      add_string (b, "source", row->source);
      add_int (b, "leads", row->leads);
      add_int (b, "won", row->won);
      add_double (b, "conversion", row->conversion);
      add_double (b, "avg_deal", row->avg_deal);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "weeks");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->weeks->len; i++)
    {
      LkReportWeekRow *row = &g_array_index (self->weeks, LkReportWeekRow, i);

      json_builder_begin_object (b);
      add_int (b, "start", row->start_ms);
      add_int (b, "new_leads", row->new_leads);
      add_int (b, "won", row->won);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "leaderboard");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->reps->len; i++)
    {
      LkReportRepRow *row = g_ptr_array_index (self->reps, i);

      json_builder_begin_object (b);
      add_string (b, "user", row->user_id);
      add_string (b, "name", row->name);
      add_int (b, "won_amount", row->won_amount);
      add_int (b, "won", row->won);
      add_int (b, "followups", row->followups);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "stage_time");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->stage_times->len; i++)
    {
      LkReportStageTimeRow *row = g_ptr_array_index (self->stage_times, i);

      json_builder_begin_object (b);
      add_string (b, "stage", row->stage_id);
      add_int (b, "stays", row->stays);
      add_double (b, "avg_days", row->avg_days);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "lost_reasons");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->lost_reasons->len; i++)
    {
      LkReportReasonRow *row = g_ptr_array_index (self->lost_reasons, i);

      json_builder_begin_object (b);
      add_string (b, "reason", row->reason);
      add_int (b, "count", row->count);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "monthly");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->months->len; i++)
    {
      LkReportMonthRow *row = g_ptr_array_index (self->months, i);

      json_builder_begin_object (b);
      add_string (b, "month", row->month);
      add_int (b, "leads", row->leads);
      add_int (b, "a", row->grade_a);
      add_int (b, "b", row->grade_b);
      add_int (b, "c", row->grade_c);
      add_int (b, "won", row->won);
      add_double (b, "conversion", row->conversion);
      add_double (b, "avg_cycle_days", row->avg_cycle_days);
      add_string (b, "most_lost_stage", row->most_lost_stage);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_end_object (b);
  return json_builder_get_root (b);
}
