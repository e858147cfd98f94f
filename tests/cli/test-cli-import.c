/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <sqlite3.h>
#include <string.h>

#include "cli-test-util.h"

/* `import FILE` and `import undo`, run end to end on the real binary with
 * the fixtures of tests/core/data. */

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "core", "data", name, NULL);
}

static void
test_import_and_undo (void)
{
  g_autofree char *db = cli_db_path ("import.db");
  g_autofree char *path = fixture ("excel-gb18030.csv");
  g_autoptr(JsonArray) leads = NULL;
  g_autofree char *names = NULL;
  g_auto(CliResult) r = { 0 };

  /* A dry run counts and writes nothing */
  g_assert_cmpint (cli_run (&r, db, "import", path, "--dry-run", "--map", "负责人=ignore", NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "(GB18030, Comma)"));
  g_assert_nonnull (strstr (r.out, "New: 4\n"));
  g_assert_nonnull (strstr (r.out, "Dry run: nothing was written"));
  leads = cli_list_json (db, NULL);
  g_assert_cmpuint (json_array_get_length (leads), ==, 0);
  g_clear_pointer (&leads, json_array_unref);

  g_assert_cmpint (cli_run (&r, db, "import", path, "--map", "负责人=ignore", "--campaign", "2024 工博会", NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "Imported: 4 created, 0 updated, 0 duplicates skipped (import 1;"));
  leads = cli_list_json (db, "--search", "华信", NULL);
  g_assert_cmpuint (json_array_get_length (leads), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (leads, 0), "campaign"), ==, "2024 工博会");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (leads, 0), "phone"), ==, "+8613800138000");
  g_clear_pointer (&leads, json_array_unref);

  /* Again: all duplicates, skipped */
  g_assert_cmpint (cli_run (&r, db, "import", path, "--map", "负责人=ignore", NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "Duplicates: 4\n"));
  g_assert_nonnull (strstr (r.out, "Imported: 0 created, 0 updated, 4 duplicates skipped (import 2;"));

  /* Undo the first import by its number: the leads are gone */
  g_assert_cmpint (cli_run (&r, db, "import", "undo", "1", NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "Undid import 1 of “excel-gb18030.csv”: 4 leads deleted, 0 restored"));
  leads = cli_list_json (db, NULL);
  names = cli_companies (leads);
  g_assert_cmpstr (names, ==, "");
  g_assert_cmpint (cli_run (&r, db, "import", "undo", "1", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "has already been undone"));
}

static void
test_invalid_rows (void)
{
  g_autofree char *db = cli_db_path ("invalid.db");
  g_autofree char *path = fixture ("invalid-rows.csv");
  g_autoptr(JsonArray) leads = NULL;
  g_auto(CliResult) r = { 0 };

  /* The valid rows import; each invalid one is named by its line; the
   * exit status says rows were left out. */
  g_assert_cmpint (cli_run (&r, db, "import", path, "--duplicates", "update", NULL), ==, 1);
  g_assert_nonnull (strstr (r.out, "Invalid: 8\n"));
  g_assert_nonnull (strstr (r.out, "line 3: “12345” is not a possible phone number"));
  g_assert_nonnull (strstr (r.out, "line 9: 负责人: “王小明” is not a member of the team"));
  g_assert_nonnull (strstr (r.err, "8 rows are invalid and were left out"));
  leads = cli_list_json (db, NULL);
  g_assert_cmpuint (json_array_get_length (leads), ==, 2);
}

static gint64
count_events (const char *db,
              gboolean    deleted)
{
  sqlite3 *conn = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open_v2 (db, &conn, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (conn, "SELECT count(*) FROM activities WHERE kind = 'event' AND deleted = ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int (stmt, 1, deleted);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (conn);
  return n;
}

/* A column of behaviour events: the summary counts them, dry or not, an
 * unknown type is an invalid row, and undo takes them back. */
static void
test_events (void)
{
  g_autofree char *db = cli_db_path ("events.db");
  g_autofree char *path = cli_db_path ("events.csv");
  g_autoptr(GError) error = NULL;
  g_auto(CliResult) r = { 0 };

  g_assert_true (g_file_set_contents (path,
                                      "公司,联系人,行为,行为时间\n"
                                      "甲公司,张三,pricing_page、webinar,2024-05-03\n"
                                      "乙公司,李四,whitepaper,\n"
                                      "丙公司,王五,跳舞,\n",
                                      -1, &error));
  g_assert_no_error (error);

  g_assert_cmpint (cli_run (&r, db, "import", path, "--dry-run", NULL), ==, 1);
  g_assert_nonnull (strstr (r.out, "→ Behaviour Events\n"));
  g_assert_nonnull (strstr (r.out, "→ Event Time\n"));
  g_assert_nonnull (strstr (r.out, "It would record 3 behaviour events."));
  g_assert_nonnull (strstr (r.out, "line 4: 行为: “跳舞” is not a behaviour event; the events are pricing_page"));
  g_assert_cmpint (count_events (db, FALSE), ==, 0);

  g_assert_cmpint (cli_run (&r, db, "import", path, NULL), ==, 1);
  g_assert_nonnull (strstr (r.out, "Recorded 3 behaviour events."));
  g_assert_nonnull (strstr (r.out, "Imported: 2 created"));
  g_assert_cmpint (count_events (db, FALSE), ==, 3);

  g_assert_cmpint (cli_run (&r, db, "import", "undo", NULL), ==, 0);
  g_assert_cmpint (count_events (db, FALSE), ==, 0);
  g_assert_cmpint (count_events (db, TRUE), ==, 3);
}

static void
test_usage (void)
{
  g_autofree char *db = cli_db_path ("usage.db");
  g_autofree char *path = fixture ("excel-utf8.csv");
  g_autofree char *missing = cli_db_path ("no-such-file.csv");
  g_auto(CliResult) r = { 0 };

  g_assert_cmpint (cli_run (&r, db, "import", NULL), ==, 2);
  g_assert_cmpint (cli_run (&r, db, "import", path, "--duplicates", "merge", NULL), ==, 2);
  g_assert_nonnull (strstr (r.err, "--duplicates is skip, update or create"));
  g_assert_cmpint (cli_run (&r, db, "import", path, "--map", "Colour=company", NULL), ==, 2);
  g_assert_nonnull (strstr (r.err, "The file has no column “Colour”. Its columns are: 公司名称, 联系人"));
  g_assert_cmpint (cli_run (&r, db, "import", path, "--map", "公司名称=shoe_size", NULL), ==, 2);
  g_assert_nonnull (strstr (r.err, "“shoe_size” is not a field to import into"));
  g_assert_cmpint (cli_run (&r, db, "import", path, "--owner", "nobody", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "“nobody” is not a member of the team"));
  g_assert_cmpint (cli_run (&r, db, "import", missing, NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "no-such-file.csv"));
  g_assert_cmpint (cli_run (&r, db, "import", "undo", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "There is no import to undo"));
  g_assert_cmpint (cli_run (&r, db, "import", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "--duplicates"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/import/import-and-undo", test_import_and_undo);
  g_test_add_func ("/cli/import/invalid-rows", test_invalid_rows);
  g_test_add_func ("/cli/import/events", test_events);
  g_test_add_func ("/cli/import/usage", test_usage);
  return g_test_run ();
}
