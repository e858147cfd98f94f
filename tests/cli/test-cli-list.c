/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "cli-test-util.h"

/* The commands over many leads (leads list, stats, check, demo) and the
 * choice and safety of the database, run end to end on the real binary. */

static void
test_search_cjk (void)
{
  g_autofree char *db = cli_db_path ("search.db");
  g_autofree char *huaxin = cli_add_lead (db, "--company", "上海华信科技有限公司", "--contact", "李雷", NULL);
  g_autofree char *hengda = cli_add_lead (db, "--company", "北京恒达物流有限公司", "--contact", "王芳", NULL);
  g_autofree char *summit = cli_add_lead (db, "--company", "Summit Apex Ltd.", "--contact", "Emma Brown", NULL);
  g_autoptr(JsonArray) found = NULL;
  g_autofree char *names = NULL;
  g_auto(CliResult) r = { 0 };

  /* Two Chinese characters: a prefix query of the search index */
  g_assert_cmpint (cli_run (&r, db, "leads", "list", "--search", "华信", NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "上海华信科技有限公司"));
  g_assert_null (strstr (r.out, "恒达"));
  g_assert_null (strstr (r.out, "Summit"));

  found = cli_list_json (db, "--search", "华信", NULL);
  g_assert_cmpuint (json_array_get_length (found), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (found, 0), "_id"), ==, huaxin);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (found, 0), "schema"), ==, 1);
  g_clear_pointer (&found, json_array_unref);

#define EXPECT_SEARCH(text, expected)                       \
  G_STMT_START {                                            \
    found = cli_list_json (db, "--search", text, NULL);     \
    names = cli_companies (found);                          \
    g_assert_cmpstr (names, ==, expected);                  \
    g_clear_pointer (&names, g_free);                       \
    g_clear_pointer (&found, json_array_unref);             \
  } G_STMT_END

  EXPECT_SEARCH ("华信科技", "上海华信科技有限公司");
  EXPECT_SEARCH ("李雷", "上海华信科技有限公司");
  EXPECT_SEARCH ("有限公司", "上海华信科技有限公司|北京恒达物流有限公司");
  EXPECT_SEARCH ("summit", "Summit Apex Ltd.");
  EXPECT_SEARCH ("北京 物流", "北京恒达物流有限公司");
  EXPECT_SEARCH ("不存在", "");
#undef EXPECT_SEARCH

  /* Nothing found: an empty table is no error, and says so on stderr */
  g_assert_cmpint (cli_run (&r, db, "leads", "list", "--search", "不存在", NULL), ==, 0);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_nonnull (strstr (r.err, "No leads match"));
}

static void
test_filters (void)
{
  g_autofree char *db = cli_db_path ("filters.db");
  g_autoptr(JsonArray) found = NULL;
  g_autofree char *names = NULL;
  g_auto(CliResult) r = { 0 };
  g_autofree char *a = cli_add_lead (db, "--company", "Alpha 甲", "--owner", "lilei", NULL);
  g_autofree char *b = cli_add_lead (db, "--company", "Bravo 乙", NULL);
  g_autofree char *c = cli_add_lead (db, "--company", "Charlie 丙", "--owner", "hanmeimei",
                                     "--stage", "contacted", "--amount", "300", NULL);
  g_autofree char *d = cli_add_lead (db, "--company", "Delta 丁", "--stage", "contacted", NULL);
  g_autofree char *e = cli_add_lead (db, "--company", "Echo 戊", "--owner", "lilei", "--stage", "won", NULL);
  g_autofree char *f = cli_add_lead (db, "--company", "Foxtrot", "--owner", "user:lilei", "--stage", "qualified",
                                     "--source", "webinar", "--amount", "500", NULL);

  cli_set (db, c, "tags=VIP,急需", NULL);
  /* Overdue: a follow-up planned before today; won leads never are */
  cli_set (db, d, "next_followup_at=2020-01-01", NULL);
  cli_set (db, e, "next_followup_at=2020-01-01", NULL);
  cli_set (db, f, "next_followup_at=2099-01-01", "grade=B", "temperature=hot", NULL);

#define EXPECT_LIST(expected, ...)                          \
  G_STMT_START {                                            \
    found = cli_list_json (db, __VA_ARGS__);                \
    names = cli_companies (found);                          \
    g_assert_cmpstr (names, ==, expected);                  \
    g_clear_pointer (&names, g_free);                       \
    g_clear_pointer (&found, json_array_unref);             \
  } G_STMT_END

  EXPECT_LIST ("Alpha 甲|Bravo 乙|Charlie 丙|Delta 丁|Echo 戊|Foxtrot", NULL);
  EXPECT_LIST ("Bravo 乙|Delta 丁", "--pool", NULL);
  EXPECT_LIST ("Charlie 丙|Delta 丁", "--stage", "contacted", NULL);
  EXPECT_LIST ("Delta 丁", "--pool", "--stage", "contacted", NULL);
  EXPECT_LIST ("Delta 丁", "--overdue", NULL);
  EXPECT_LIST ("Alpha 甲|Echo 戊|Foxtrot", "--owner", "lilei", NULL);
  EXPECT_LIST ("Alpha 甲|Echo 戊|Foxtrot", "--owner", "user:lilei", NULL);
  EXPECT_LIST ("Charlie 丙", "--tag", "VIP", NULL);
  EXPECT_LIST ("Charlie 丙", "--tag", "急需", NULL);
  EXPECT_LIST ("Foxtrot", "--source", "webinar", NULL);
  EXPECT_LIST ("Foxtrot", "--grade", "b", NULL);
  EXPECT_LIST ("Foxtrot", "--temperature", "Hot", NULL);
  EXPECT_LIST ("", "--stage", "lost", NULL);
#undef EXPECT_LIST

  /* Orders and the limit */
  found = cli_list_json (db, "--sort", "company", NULL);
  g_assert_cmpuint (json_array_get_length (found), ==, 6);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (found, 0), "_id"), ==, a);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (found, 5), "_id"), ==, f);
  g_clear_pointer (&found, json_array_unref);
  found = cli_list_json (db, "--sort", "company", "--reverse", "--limit", "2", NULL);
  g_assert_cmpuint (json_array_get_length (found), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (found, 0), "_id"), ==, f);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (found, 1), "_id"), ==, e);
  g_clear_pointer (&found, json_array_unref);
  found = cli_list_json (db, "--sort", "amount", NULL);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (found, 0), "_id"), ==, f);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (found, 1), "_id"), ==, c);
  g_clear_pointer (&found, json_array_unref);
  /* Urgency: the overdue follow-up first, nothing planned last */
  found = cli_list_json (db, "--sort", "urgency", NULL);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (found, 0), "company"), ==, "Delta 丁");
  g_clear_pointer (&found, json_array_unref);

  /* Wrong filters */
  g_assert_cmpint (cli_run (&r, db, "leads", "list", "--stage", "negotiation", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "new, assigned, contacted, qualified, proposal, won, lost"));
  g_assert_cmpint (cli_run (&r, db, "leads", "list", "--sort", "size", NULL), ==, 2);
  g_assert_nonnull (strstr (r.err, "urgency, amount, updated, created, company"));
  g_assert_cmpint (cli_run (&r, db, "leads", "list", "--pool", "--owner", "lilei", NULL), ==, 2);
  g_assert_cmpint (cli_run (&r, db, "leads", "list", "--limit", "-1", NULL), ==, 2);
  g_assert_cmpint (cli_run (&r, db, "leads", "list", "--limit", "ten", NULL), ==, 2);
  g_assert_cmpint (cli_run (&r, db, "leads", "list", "extra", NULL), ==, 2);
}

/* The display column where @needle starts (or ends) in @line */
static gsize
column_of (const char *line,
           const char *needle,
           gboolean    end)
{
  const char *at = strstr (line, needle);
  g_autofree char *prefix = NULL;

  g_assert_nonnull (at);
  prefix = g_strndup (line, (at - line) + (end ? strlen (needle) : 0));
  return cli_display_width (prefix);
}

static void
test_table (void)
{
  g_autofree char *db = cli_db_path ("table.db");
  g_autofree char *a = cli_add_lead (db, "--company", "上海华信科技有限公司", "--contact", "李雷",
                                     "--amount", "1250.50", "--owner", "lilei", NULL);
  g_autofree char *b = cli_add_lead (db, "--company", "Summit Apex Ltd.", "--contact", "Emma Brown",
                                     "--stage", "contacted", "--amount", "99", NULL);
  g_autofree char *c = cli_add_lead (db, "--company", "Ａ", "--contact", "欧阳芳芳",
                                     "--stage", "proposal", "--amount", "1000000", "--owner", "hanmeimei", NULL);
  g_auto(CliResult) r = { 0 };
  g_auto(GStrv) lines = NULL;
  /* In company order (by code points: Latin, then CJK, then full width) */
  const char *stages[] = { "Stage", "Contacted", "New", "Proposal" };
  const char *contacts[] = { "Contact", "Emma Brown", "李雷", "欧阳芳芳" };
  const char *amounts[] = { "Amount", "99.00 CNY", "1250.50 CNY", "1000000.00 CNY" };
  gsize contact_column, stage_column, amount_end, owner_column;

  cli_set (db, b, "code=XS2024001", NULL);
  cli_set (db, a, "code=XS2024002", NULL);
  cli_set (db, c, "code=XS2024003", NULL);

  g_assert_cmpint (cli_run (&r, db, "leads", "list", "--sort", "company", NULL), ==, 0);
  lines = g_strsplit (r.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  g_assert_cmpstr (lines[4], ==, "");
  g_assert_true (g_str_has_prefix (lines[0], "Code"));
  g_assert_true (g_str_has_prefix (lines[1], "XS2024001  Summit Apex Ltd."));
  g_assert_true (g_str_has_prefix (lines[2], "XS2024002  上海华信科技有限公司"));
  g_assert_true (g_str_has_prefix (lines[3], "XS2024003  Ａ"));

  /* Every column starts at the same cell, whatever the width of the
   * characters before it; amounts are aligned on the right. */
  contact_column = column_of (lines[0], contacts[0], FALSE);
  stage_column = column_of (lines[0], stages[0], FALSE);
  amount_end = column_of (lines[0], amounts[0], TRUE);
  owner_column = column_of (lines[0], "Owner", FALSE);
  g_assert_cmpuint (contact_column, ==, strlen ("XS2024001  ") + cli_display_width ("上海华信科技有限公司  "));
  for (guint i = 1; i < 4; i++)
    {
      g_assert_cmpuint (column_of (lines[i], contacts[i], FALSE), ==, contact_column);
      g_assert_cmpuint (column_of (lines[i], stages[i], FALSE), ==, stage_column);
      g_assert_cmpuint (column_of (lines[i], amounts[i], TRUE), ==, amount_end);
    }
  g_assert_cmpuint (column_of (lines[2], "lilei", FALSE), ==, owner_column);
  g_assert_cmpuint (column_of (lines[3], "hanmeimei", FALSE), ==, owner_column);
  /* The pool lead has no owner and no trailing blanks */
  g_assert_true (g_str_has_suffix (lines[1], "99.00 CNY"));
}

static void
test_stats (void)
{
  g_autofree char *db = cli_db_path ("stats.db");
  g_autofree char *gone = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_auto(CliResult) r = { 0 };
  JsonObject *object;
  JsonArray *stages;
  JsonObject *total;
  static const struct
  {
    const char *stage;
    const char *name;
    gint64      count;
    gint64      amount;
    gint64      weighted;
  } expected[] = {
    { "new",       "New",       1, 100000, 5000 },    /* 5 % */
    { "assigned",  "Assigned",  1, 0,      0 },       /* 10 % */
    { "contacted", "Contacted", 1, 200000, 40000 },   /* 20 % */
    { "qualified", "Qualified", 2, 400050, 160020 },  /* 40 % */
    { "proposal",  "Proposal",  1, 50000,  30000 },   /* 60 % */
    { "won",       "Won",       1, 75025,  75025 },   /* 100 % */
    { "lost",      "Lost",      1, 70000,  0 },       /* 0 % */
  };

  g_free (cli_add_lead (db, "--company", "N", "--amount", "1000", NULL));
  g_free (cli_add_lead (db, "--company", "A", "--stage", "assigned", NULL));
  g_free (cli_add_lead (db, "--company", "C", "--stage", "contacted", "--amount", "2000.00", NULL));
  g_free (cli_add_lead (db, "--company", "Q1", "--stage", "qualified", "--amount", "3000", NULL));
  g_free (cli_add_lead (db, "--company", "Q2", "--stage", "qualified", "--amount", "1000.50", NULL));
  g_free (cli_add_lead (db, "--company", "P", "--stage", "proposal", "--amount", "500", NULL));
  g_free (cli_add_lead (db, "--company", "W", "--stage", "won", "--amount", "750.25", NULL));
  g_free (cli_add_lead (db, "--company", "L", "--stage", "lost", "--reason", "No budget", "--amount", "700", NULL));
  /* A deleted lead counts nowhere */
  gone = cli_add_lead (db, "--company", "Gone", "--amount", "999", NULL);
  g_assert_cmpint (cli_run (&r, db, "lead", "delete", gone, NULL), ==, 0);

  g_assert_cmpint (cli_run (&r, db, "stats", "--json", NULL), ==, 0);
  root = cli_parse_json (r.out);
  object = json_node_get_object (root);
  stages = json_object_get_array_member (object, "stages");
  g_assert_cmpuint (json_array_get_length (stages), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      JsonObject *stage = json_array_get_object_element (stages, i);

      g_assert_cmpstr (json_object_get_string_member (stage, "stage"), ==, expected[i].stage);
      g_assert_cmpstr (json_object_get_string_member (stage, "name"), ==, expected[i].name);
      g_assert_cmpint (json_object_get_int_member (stage, "count"), ==, expected[i].count);
      g_assert_cmpint (json_object_get_int_member (stage, "amount"), ==, expected[i].amount);
      g_assert_cmpint (json_object_get_int_member (stage, "weighted"), ==, expected[i].weighted);
      /* Integers, not floats */
      g_assert_cmpint (json_node_get_value_type (json_object_get_member (stage, "amount")), ==, G_TYPE_INT64);
    }
  total = json_object_get_object_member (object, "total");
  g_assert_cmpint (json_object_get_int_member (total, "count"), ==, 8);
  g_assert_cmpint (json_object_get_int_member (total, "amount"), ==, 895075);
  g_assert_cmpint (json_object_get_int_member (total, "weighted"), ==, 310045);

  /* The table shows currency units, in the team's currency: without a
   * setting, the locale's (CNY for C) */
  g_assert_cmpint (cli_run (&r, db, "stats", NULL), ==, 0);
  g_assert_true (g_regex_match_simple ("^Qualified +2 +4000\\.50 CNY +1600\\.20 CNY$", r.out, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^Won +1 +750\\.25 CNY +750\\.25 CNY$", r.out, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("^Total +8 +8950\\.75 CNY +3100\\.45 CNY$", r.out, G_REGEX_MULTILINE, 0));

  /* LANGUAGE=zh_TW alone (the C locale) makes it TWD */
  g_assert_cmpint (cli_runv (&r, (const char *[]) { "LANGUAGE=zh_TW", NULL },
                             (const char *[]) { "--db", db, "stats", NULL }), ==, 0);
  g_assert_true (g_regex_match_simple ("^Total +8 +8950\\.75 TWD +3100\\.45 TWD$", r.out, G_REGEX_MULTILINE, 0));
}

static void
test_check (void)
{
  g_autofree char *db = cli_db_path ("check.db");
  g_auto(CliResult) r = { 0 };

  g_free (cli_add_lead (db, "--company", "上海华信科技有限公司", NULL));
  g_free (cli_add_lead (db, "--company", "北京恒达物流有限公司", "--stage", "contacted", NULL));

  g_assert_cmpint (cli_run (&r, db, "check", NULL), ==, 0);
  g_assert_cmpstr (r.out, ==, "Database is consistent\n");

  /* A lead the search would never find: its row of the search index is
   * gone. Whatever else the check makes of it, it is a problem. */
  cli_sql_exec (db, "DELETE FROM leads_search WHERE rowid = (SELECT min(rowid) FROM leads)");
  g_assert_cmpint (cli_run (&r, db, "check", NULL), ==, 1);
  g_assert_nonnull (strstr (r.out, "Leads missing from the search index: 1\n"));
  g_assert_null (strstr (r.out, "consistent"));

  /* A stage the pipeline does not know */
  cli_sql_exec (db, "UPDATE leads SET stage = 'negotiation' WHERE rowid = (SELECT max(rowid) FROM leads)");
  g_assert_cmpint (cli_run (&r, db, "check", NULL), ==, 1);
  g_assert_nonnull (strstr (r.out, "Leads missing from the search index: 1\n"));
  g_assert_nonnull (strstr (r.out, "“negotiation”: 1\n"));
}

static void
test_demo (void)
{
  g_autofree char *db = cli_db_path ("demo.db");
  g_autoptr(JsonArray) leads = NULL;
  g_autoptr(JsonNode) stats = NULL;
  g_auto(CliResult) r = { 0 };

  g_assert_cmpint (cli_run (&r, db, "demo", "--count", "50", NULL), ==, 0);
  g_assert_cmpstr (r.out, ==, "Added 50 sample leads\n");

  leads = cli_list_json (db, NULL);
  g_assert_cmpuint (json_array_get_length (leads), ==, 50);
  for (guint i = 0; i < 50; i++)
    {
      JsonObject *lead = json_array_get_object_element (leads, i);

      g_assert_true (g_str_has_prefix (json_object_get_string_member (lead, "code"), "XS2024"));
      g_assert_true (g_str_has_prefix (json_object_get_string_member (lead, "phone"), "+"));
    }
  g_clear_pointer (&leads, json_array_unref);
  leads = cli_list_json (db, "--limit", "10", NULL);
  g_assert_cmpuint (json_array_get_length (leads), ==, 10);

  g_assert_cmpint (cli_run (&r, db, "stats", "--json", NULL), ==, 0);
  stats = cli_parse_json (r.out);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (json_node_get_object (stats), "total"),
                                               "count"), ==, 50);

  /* The sample team names the owners; the history and follow-ups show */
  g_assert_cmpint (cli_run (&r, db, "lead", "show", "XS202400012", NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "XS202400012"));
  g_assert_nonnull (strstr (r.out, "Created in New"));

  g_assert_cmpint (cli_run (&r, db, "check", NULL), ==, 0);

  /* Owners are shown by name; an owner the team does not have is a
   * likely typo: saved, with a warning */
  g_assert_cmpint (cli_run (&r, db, "leads", "list", "--owner", "lilei", "--limit", "3", NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "李雷"));
  g_assert_cmpint (cli_run (&r, db, "lead", "add", "--company", "Typo Ltd", "--owner", "lilie", NULL), ==, 0);
  g_assert_nonnull (strstr (r.err, "“user:lilie”"));
  g_assert_cmpint (cli_run (&r, db, "lead", "add", "--company", "Right Ltd", "--owner", "lilei", NULL), ==, 0);
  g_assert_cmpstr (r.err, ==, "");

  /* The default is 200 */
  g_assert_cmpint (cli_run (&r, db, "demo", NULL), ==, 0);
  g_assert_cmpstr (r.out, ==, "Added 200 sample leads\n");
  g_clear_pointer (&leads, json_array_unref);
  leads = cli_list_json (db, NULL);
  g_assert_cmpuint (json_array_get_length (leads), ==, 252);
}

static void
test_newer_schema (void)
{
  g_autofree char *db = cli_db_path ("newer.db");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len, after_len;
  g_auto(CliResult) r = { 0 };

  g_free (cli_add_lead (db, "--company", "Huaxin", NULL));
  cli_sql_exec (db, "PRAGMA user_version = 99");
  g_assert_true (g_file_get_contents (db, &before, &before_len, NULL));

  g_assert_cmpint (cli_run (&r, db, "leads", "list", NULL), ==, 1);
  g_assert_true (g_str_has_prefix (r.err, "leadkeeper-cli: "));
  g_assert_nonnull (strstr (r.err, "newer version of Leadkeeper"));
  g_assert_nonnull (strstr (r.err, "99"));
  g_assert_cmpstr (r.out, ==, "");
  g_assert_cmpint (cli_run (&r, db, "lead", "add", "--company", "Hengda", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "newer version"));
  g_assert_cmpint (cli_run (&r, db, "demo", "--count", "5", NULL), ==, 1);
  g_assert_cmpint (cli_run (&r, db, "check", NULL), ==, 1);
  g_assert_cmpint (cli_run (&r, db, "stats", NULL), ==, 1);

  g_assert_true (g_file_get_contents (db, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
}

static void
test_database_choice (void)
{
  g_autofree char *db = cli_db_path ("env.db");
  g_autofree char *other = cli_db_path ("other.db");
  g_autofree char *env_db = g_strconcat ("LEADKEEPER_DB=", db, NULL);
  g_autofree char *default_db = g_build_filename (g_get_user_data_dir (), "leadkeeper", "leadkeeper.db", NULL);
  const char *env[] = { env_db, NULL };
  const char *empty_env[] = { "LEADKEEPER_DB=", NULL };
  g_autoptr(JsonNode) root = NULL;
  g_auto(CliResult) r = { 0 };

  /* $LEADKEEPER_DB instead of --db */
  g_assert_cmpint (cli_runv (&r, env, (const char *[]) { "lead", "add", "--company", "Env Ltd", NULL }), ==, 0);
  g_assert_true (g_file_test (db, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (cli_runv (&r, env, (const char *[]) { "leads", "list", "--json", NULL }), ==, 0);
  root = cli_parse_json (r.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (root), 0),
                                                  "company"), ==, "Env Ltd");

  /* --db wins, before or after the command */
  g_assert_cmpint (cli_runv (&r, env, (const char *[]) { "--db", other, "leads", "list", NULL }), ==, 1);
  g_assert_nonnull (strstr (r.err, other));
  g_assert_cmpint (cli_runv (&r, env, (const char *[]) { "leads", "list", "--db", other, NULL }), ==, 1);
  g_assert_cmpint (cli_runv (&r, env, (const char *[]) { "lead", "add", "--db", other, "--company", "Other", NULL }), ==, 0);
  g_assert_true (g_file_test (other, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (cli_runv (&r, env, (const char *[]) { "--db=", "leads", "list", NULL }), ==, 2);
  g_assert_cmpint (cli_runv (&r, env, (const char *[]) { "leads", "list", "--db", "", NULL }), ==, 2);

  /* Neither: the app's database in the user's data folder */
  g_assert_false (g_file_test (default_db, G_FILE_TEST_EXISTS));
  g_assert_cmpint (cli_runv (&r, empty_env, (const char *[]) { "lead", "add", "--company", "Default", NULL }), ==, 0);
  g_assert_true (g_file_test (default_db, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (cli_runv (&r, NULL, (const char *[]) { "leads", "list", NULL }), ==, 0);
  g_assert_nonnull (strstr (r.out, "Default"));
  g_assert_null (strstr (r.out, "Env Ltd"));
}

static void
test_config (void)
{
  g_autofree char *db = cli_db_path ("config.db");
  g_autofree char *id = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_auto(CliResult) r = { 0 };

  /* Phone numbers without a country code follow this desktop's region. */
  g_assert_cmpint (cli_run (&r, db, "config", "phone-region", NULL), ==, 0);
  g_assert_cmpstr (r.out, ==, "CN\n");
  g_assert_cmpint (cli_run (&r, db, "config", "phone-region", "tw", NULL), ==, 0);
  g_assert_cmpint (cli_run (&r, db, "config", "phone-region", NULL), ==, 0);
  g_assert_cmpstr (r.out, ==, "TW\n");
  id = cli_add_lead (db, "--company", "台北測試有限公司", "--contact", "陳雅婷", "--phone", "0912 345 678", NULL);
  doc = cli_show_json (db, id);
  g_assert_cmpstr (json_object_get_string_member (doc, "phone"), ==, "+886912345678");

  g_assert_cmpint (cli_run (&r, db, "config", "phone-region", "XX", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "CN, TW, HK"));
  g_assert_cmpint (cli_run (&r, db, "config", "colour", NULL), ==, 2);
  g_assert_nonnull (strstr (r.err, "user, phone-region"));

  /* Who works here: edits are recorded under that user. */
  g_assert_cmpint (cli_run (&r, db, "config", "user", "hanmeimei", NULL), ==, 0);
  g_assert_cmpint (cli_run (&r, db, "config", "user", NULL), ==, 0);
  g_assert_cmpstr (r.out, ==, "user:hanmeimei\n");
  cli_set (db, id, "notes=回访", NULL);
  g_clear_pointer (&doc, json_object_unref);
  doc = cli_show_json (db, id);
  g_assert_cmpstr (json_object_get_string_member (doc, "updated_by"), ==, "user:hanmeimei");
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/leads/search-cjk", test_search_cjk);
  g_test_add_func ("/cli/leads/filters", test_filters);
  g_test_add_func ("/cli/leads/table", test_table);
  g_test_add_func ("/cli/stats", test_stats);
  g_test_add_func ("/cli/check", test_check);
  g_test_add_func ("/cli/demo", test_demo);
  g_test_add_func ("/cli/db/newer-schema", test_newer_schema);
  g_test_add_func ("/cli/db/choice", test_database_choice);
  g_test_add_func ("/cli/config", test_config);

  return g_test_run ();
}
