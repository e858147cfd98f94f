/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "cli-test-util.h"

/* `export` with the filters of `leads list`, to stdout and to a file, and
 * `import` of vCard files, run end to end on the real binary. */

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "core", "data", name, NULL);
}

static char *
make_db (const char *name)
{
  char *db = cli_db_path (name);
  g_autofree char *a = cli_add_lead (db, "--company", "上海华信科技有限公司", "--contact", "李雷",
                                     "--phone", "13800138000", NULL);
  g_autofree char *b = cli_add_lead (db, "--company", "北京恒达物流有限公司", "--contact", "王芳", NULL);
  g_autofree char *c = cli_add_lead (db, "--company", "Northwind GmbH", "--contact", "Anna Weber", NULL);

  cli_set (db, a, "grade=A", NULL);
  cli_set (db, b, "grade=B", "notes=第一行\n\"第二行\"", NULL);
  cli_set (db, c, "grade=A", "tags=vip,展会", NULL);
  return db;
}

static void
test_csv (void)
{
  g_autofree char *db = make_db ("export-csv.db");
  g_auto(CliResult) r = { 0 };
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (cli_run (&r, db, "export", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "\xEF\xBB\xBFLead Code,Company,Contact,"));
  lines = g_strsplit (r.out, "\r\n", -1);
  /* The header, 3 leads (one with a line break inside quotes), the end */
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  g_assert_nonnull (strstr (r.out, "\"第一行\n\"\"第二行\"\"\""));
  g_assert_nonnull (strstr (r.out, "\"vip, 展会\""));
  g_clear_pointer (&lines, g_strfreev);
  cli_result_clear (&r);

  /* Filters as `leads list` has them */
  g_assert_cmpint (cli_run (&r, db, "export", "--grade", "a", "--search", "华信", NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "上海华信科技有限公司"));
  g_assert_null (strstr (r.out, "Northwind"));
  g_assert_null (strstr (r.out, "北京恒达"));
}

static void
test_gb18030_file (void)
{
  g_autofree char *db = make_db ("export-gb.db");
  g_autofree char *other = cli_db_path ("export-gb-import.db");
  g_autofree char *path = cli_db_path ("leads-gb18030.csv");
  g_autofree char *contents = NULL;
  g_autofree char *utf8 = NULL;
  g_autoptr(JsonArray) leads = NULL;
  g_autofree char *names = NULL;
  g_auto(CliResult) r = { 0 };
  gsize len = 0;

  g_assert_cmpint (cli_run (&r, db, "export", "--encoding", "gb18030", "--grade", "A", "--output", path, NULL), ==, 0);
  g_assert_nonnull (strstr (r.err, "Exported 2 leads to"));
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_false (g_utf8_validate_len (contents, len, NULL));
  utf8 = g_convert (contents, len, "UTF-8", "GB18030", NULL, NULL, NULL);
  g_assert_nonnull (strstr (utf8, "上海华信科技有限公司"));
  cli_result_clear (&r);

  /* The file imports into another database as it is */
  g_assert_cmpint (cli_run (&r, other, "import", path, NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "(GB18030, Comma)"));
  g_assert_nonnull (strstr (r.out, "Imported: 2 created"));
  leads = cli_list_json (other, NULL);
  names = cli_companies (leads);
  g_assert_cmpstr (names, ==, "Northwind GmbH|上海华信科技有限公司");
}

static void
test_json_and_vcf (void)
{
  g_autofree char *db = make_db ("export-json.db");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonArray) listed = NULL;
  g_auto(CliResult) r = { 0 };
  JsonArray *exported;

  g_assert_cmpint (cli_run (&r, db, "export", "--format", "json", "--grade", "A", NULL), ==, 0);
  node = cli_parse_json (r.out);
  exported = json_node_get_array (node);
  listed = cli_list_json (db, "--grade", "A", NULL);
  g_assert_cmpuint (json_array_get_length (exported), ==, 2);
  /* The same documents as `leads list --json` */
  for (guint i = 0; i < 2; i++)
    g_assert_true (json_node_equal (json_array_get_element (exported, i), json_array_get_element (listed, i)));
  cli_result_clear (&r);

  g_assert_cmpint (cli_run (&r, db, "export", "--format", "vcf", "--search", "Anna", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "BEGIN:VCARD\r\nVERSION:4.0\r\n"));
  g_assert_nonnull (strstr (r.out, "\r\nFN:Anna Weber\r\n"));
  g_assert_nonnull (strstr (r.out, "\r\nCATEGORIES:vip,展会\r\n"));
  g_assert_true (g_str_has_suffix (r.out, "END:VCARD\r\n"));
}

static void
test_usage (void)
{
  g_autofree char *db = make_db ("export-usage.db");
  g_auto(CliResult) r = { 0 };

  g_assert_cmpint (cli_run (&r, db, "export", "--format", "xlsx", NULL), ==, 2);
  g_assert_nonnull (strstr (r.err, "--format is csv, json or vcf, not “xlsx”"));
  cli_result_clear (&r);
  g_assert_cmpint (cli_run (&r, db, "export", "--format", "json", "--encoding", "gb18030", NULL), ==, 2);
  g_assert_nonnull (strstr (r.err, "Only a CSV export can be GB18030"));
  cli_result_clear (&r);
  g_assert_cmpint (cli_run (&r, db, "export", "--encoding", "latin1", NULL), ==, 2);
  g_assert_nonnull (strstr (r.err, "UTF-8 or GB18030, not “latin1”"));
  cli_result_clear (&r);
  g_assert_cmpint (cli_run (&r, db, "export", "--stage", "nope", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "There is no stage “nope”"));
  cli_result_clear (&r);
  g_assert_cmpint (cli_run (&r, db, "export", "--output", "/nonexistent-dir/x.csv", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "Could not write"));
}

static void
test_import_vcf (void)
{
  g_autofree char *db = cli_db_path ("import-vcf.db");
  g_autofree char *android = fixture ("android.vcf");
  g_autofree char *invalid = fixture ("invalid.vcf");
  g_autoptr(JsonArray) leads = NULL;
  g_autofree char *names = NULL;
  g_auto(CliResult) r = { 0 };

  g_assert_cmpint (cli_run (&r, db, "import", android, NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "android.vcf (vCard)"));
  g_assert_nonnull (strstr (r.out, "Imported: 2 created"));
  cli_result_clear (&r);

  /* Bad cards named by their line; the good ones import */
  g_assert_cmpint (cli_run (&r, db, "import", invalid, NULL), ==, 1);
  g_assert_nonnull (strstr (r.out, "Invalid: 4\n"));
  g_assert_nonnull (strstr (r.out, "line 9: Leadkeeper cannot read the character set “KLINGON”"));
  g_assert_nonnull (strstr (r.out, "line 25: the card that starts on this line has no END:VCARD"));
  g_assert_nonnull (strstr (r.err, "4 rows are invalid"));
  leads = cli_list_json (db, NULL);
  names = cli_companies (leads);
  g_assert_cmpstr (names, ==, "Acme Corp.|Navy Labs|北京恒达物流有限公司|杭州云帆网络科技有限公司");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/export/csv", test_csv);
  g_test_add_func ("/cli/export/gb18030-file", test_gb18030_file);
  g_test_add_func ("/cli/export/json-and-vcf", test_json_and_vcf);
  g_test_add_func ("/cli/export/usage", test_usage);
  g_test_add_func ("/cli/export/import-vcf", test_import_vcf);
  return g_test_run ();
}
