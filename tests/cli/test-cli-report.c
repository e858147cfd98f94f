/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "cli-test-util.h"
#include "lk-report.h"
#include "lk-store.h"

/* leadkeeper-cli report: its JSON is the core's report (the dashboard's
 * numbers) for the same period and filters; --pdf writes a PDF; bad
 * dates and conflicting options are refused with a clear message. */

static char *
day (int offset)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, offset);

  return g_date_time_format (then, "%Y-%m-%d");
}

static char *
sample_db (void)
{
  g_auto(CliResult) result = { 0 };
  char *db = cli_db_path ("report.db");

  g_assert_cmpint (cli_run (&result, db, "demo", "--count", "150", "--seed", "3", NULL), ==, 0);
  return db;
}

static void
assert_same_as_core (const char *db,
                     const char *from,
                     const char *to,
                     const char *owner)
{
  g_auto(CliResult) result = { 0 };
  g_autoptr(JsonNode) printed = NULL;
  g_autoptr(JsonNode) expected = NULL;
  g_autoptr(LkStore) store = NULL;
  g_autoptr(LkReportQuery) query = NULL;
  g_autoptr(LkReport) report = NULL;
  g_autoptr(GError) error = NULL;

  if (owner != NULL)
    g_assert_cmpint (cli_run (&result, db, "report", "--from", from, "--to", to, "--owner", owner, "--json", NULL), ==, 0);
  else
    g_assert_cmpint (cli_run (&result, db, "report", "--from", from, "--to", to, "--json", NULL), ==, 0);
  printed = cli_parse_json (result.out);

  store = lk_store_open (db, NULL, &error);
  g_assert_no_error (error);
  query = lk_report_query_new_dates (from, to, lk_clock_get_timezone (lk_store_get_clock (store)), &error);
  g_assert_no_error (error);
  if (owner != NULL)
    {
      g_autofree char *id = g_strconcat ("user:", owner, NULL);

      lk_report_query_set_owner (query, id);
    }
  report = lk_report_compute (store, query, NULL, &error);
  g_assert_no_error (error);
  expected = lk_report_to_json (report);
  g_assert_true (json_node_equal (printed, expected));
  g_assert_cmpint (lk_report_get_kpis (report)->new_leads, >, 0);
}

static void
test_json_is_core (void)
{
  g_autofree char *db = sample_db ();
  g_autofree char *from = day (-365);
  g_autofree char *to = day (0);
  g_autofree char *recent = day (-60);

  assert_same_as_core (db, from, to, NULL);
  assert_same_as_core (db, recent, to, NULL);
}

static void
test_owner (void)
{
  g_autofree char *db = sample_db ();
  g_autofree char *from = day (-365);
  g_autofree char *to = day (0);
  g_auto(CliResult) result = { 0 };
  g_autoptr(JsonNode) all = NULL;
  JsonArray *board;
  const char *user;

  g_assert_cmpint (cli_run (&result, db, "report", "--from", from, "--to", to, "--json", NULL), ==, 0);
  all = cli_parse_json (result.out);
  board = json_object_get_array_member (json_node_get_object (all), "leaderboard");
  g_assert_cmpuint (json_array_get_length (board), >, 0);
  user = json_object_get_string_member (json_array_get_object_element (board, 0), "user");
  g_assert_true (g_str_has_prefix (user, "user:"));
  assert_same_as_core (db, from, to, user + strlen ("user:"));
}

static void
test_pdf (void)
{
  g_autofree char *db = sample_db ();
  g_autofree char *from = day (-365);
  g_autofree char *to = day (0);
  g_autofree char *pdf = cli_db_path ("report.pdf");
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_auto(CliResult) result = { 0 };

  g_assert_cmpint (cli_run (&result, db, "report", "--from", from, "--to", to, "--pdf", pdf, NULL), ==, 0);
  g_assert_true (g_file_get_contents (pdf, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 10000);
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  g_assert_nonnull (strstr (result.out, pdf));
}

static void
test_bad_input (void)
{
  g_autofree char *db = sample_db ();
  g_autofree char *pdf = cli_db_path ("nowhere/x.pdf");
  g_auto(CliResult) bad_date = { 0 };
  g_auto(CliResult) reversed = { 0 };
  g_auto(CliResult) both = { 0 };
  g_auto(CliResult) no_folder = { 0 };

  g_assert_cmpint (cli_run (&bad_date, db, "report", "--from", "2024-02-30", "--to", "2024-03-31", "--json", NULL), ==, 1);
  g_assert_nonnull (strstr (bad_date.err, "2024-02-30"));
  g_assert_nonnull (strstr (bad_date.err, "YYYY-MM-DD"));
  g_assert_cmpstr (bad_date.out, ==, "");

  g_assert_cmpint (cli_run (&reversed, db, "report", "--from", "2024-03-31", "--to", "2024-03-01", NULL), ==, 1);
  g_assert_nonnull (strstr (reversed.err, "swap"));

  g_assert_cmpint (cli_run (&both, db, "report", "--json", "--pdf", "x.pdf", NULL), ==, 2);
  g_assert_nonnull (strstr (both.err, "--json"));

  g_assert_cmpint (cli_run (&no_folder, db, "report", "--pdf", pdf, NULL), ==, 1);
  g_assert_nonnull (strstr (no_folder.err, "nowhere"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/report/json-is-core", test_json_is_core);
  g_test_add_func ("/cli/report/owner", test_owner);
  g_test_add_func ("/cli/report/pdf", test_pdf);
  g_test_add_func ("/cli/report/bad-input", test_bad_input);

  return g_test_run ();
}
