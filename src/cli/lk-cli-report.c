/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-cli"

#include <stdio.h>

#include <glib/gi18n.h>

#include "lk-cli-private.h"
#include "lk-report-render.h"

/* leadkeeper-cli report: the dashboard's numbers (the same core code,
 * lk_report_compute()) as text, JSON or a PDF. */

static void
print_table (LkReportTable *table)
{
  guint n = g_strv_length (table->headers);
  g_autoptr(LkCliTable) out = lk_cli_table_new (n);

  for (guint c = 1; c < n; c++)
    lk_cli_table_align_right (out, c);
  lk_cli_table_add_row (out, (const char **) table->headers);
  for (guint i = 0; i < table->rows->len; i++)
    lk_cli_table_add_row (out, g_ptr_array_index (table->rows, i));
  printf ("%s\n", table->title);
  lk_cli_table_print (out);
  printf ("\n");
}

static void
print_report (LkReport *report)
{
  g_autoptr(GPtrArray) tiles = lk_report_get_tiles (report);
  g_autoptr(LkCliTable) out = lk_cli_table_new (2);
  g_autofree char *period = lk_report_describe_period (report);

  printf ("%s\n\n", period);
  lk_cli_table_align_right (out, 1);
  for (guint i = 0; i < tiles->len; i++)
    {
      LkReportTile *tile = g_ptr_array_index (tiles, i);

      lk_cli_table_add_row (out, (const char *[]) { tile->title, tile->value });
    }
  lk_cli_table_print (out);
  printf ("\n");
  for (LkReportTableKind kind = 0; kind < LK_REPORT_N_TABLES; kind++)
    {
      g_autoptr(LkReportTable) table = lk_report_get_table (report, kind);

      print_table (table);
    }
}

gboolean
lk_cli_report (LkCli   *cli,
               GStrv    args,
               GError **error)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *source = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *owner_id = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("The first day (default: the first of this month)"), N_("YYYY-MM-DD") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("The last day, included (default: today)"), N_("YYYY-MM-DD") },
    { "owner", 0, 0, G_OPTION_ARG_STRING, &owner, N_("Only leads of this owner (lilei or user:lilei)"), N_("USER") },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source, N_("Only leads from this source channel"), N_("SOURCE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON: amounts in minor units, rates as fractions"), NULL },
    { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &pdf, N_("Write the report with its charts as a PDF"), N_("FILE") },
    { NULL }
  };
  g_autoptr(LkReportQuery) query = NULL;
  g_autoptr(LkReport) report = NULL;
  LkStore *store;
  GTimeZone *tz;

  if (!lk_cli_parse_options (cli, entries,
                             _("The README’s “Reports” section defines every number."),
                             &args, 0, 0, error))
    return FALSE;
  if (json && pdf != NULL)
    {
      lk_cli_usage_error (error, _("Choose one of --json and --pdf"));
      return FALSE;
    }
  store = lk_cli_open_store (cli, error);
  if (store == NULL)
    return FALSE;
  tz = lk_clock_get_timezone (lk_store_get_clock (store));
  if (from == NULL || to == NULL)
    {
      g_autoptr(LkReportQuery) month = lk_report_query_new_period (LK_REPORT_PERIOD_THIS_MONTH,
                                                                   lk_store_get_clock (store));
      g_autoptr(GDateTime) utc = NULL;
      g_autoptr(GDateTime) local = NULL;

      if (from == NULL)
        {
          utc = g_date_time_new_from_unix_utc (lk_report_query_get_from (month) / 1000);
          local = g_date_time_to_timezone (utc, tz);
          from = g_date_time_format (local, "%Y-%m-%d");
          g_clear_pointer (&utc, g_date_time_unref);
          g_clear_pointer (&local, g_date_time_unref);
        }
      if (to == NULL)
        {
          utc = g_date_time_new_from_unix_utc (lk_report_query_get_to (month) / 1000 - 1);
          local = g_date_time_to_timezone (utc, tz);
          to = g_date_time_format (local, "%Y-%m-%d");
        }
    }
  query = lk_report_query_new_dates (from, to, tz, error);
  if (query == NULL)
    return FALSE;
  owner_id = lk_cli_user_id (owner);
  lk_report_query_set_owner (query, owner_id);
  lk_report_query_set_source (query, source);

  report = lk_report_compute (store, query, NULL, error);
  if (report == NULL)
    return FALSE;
  if (json)
    {
      g_autoptr(JsonNode) node = lk_report_to_json (report);

      lk_cli_print_json (node);
    }
  else if (pdf != NULL)
    {
      if (!lk_report_write_pdf (report, pdf, error))
        return FALSE;
      printf (_("Wrote the report to %s\n"), pdf);
    }
  else
    print_report (report);
  return TRUE;
}
