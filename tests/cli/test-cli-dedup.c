/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <locale.h>
#include <string.h>

#include "cli-test-util.h"

/* `dedup` and `merge`, end to end on the real binary. */

static gboolean
group_has (JsonObject *group,
           const char *id)
{
  JsonArray *leads = json_object_get_array_member (group, "leads");

  for (guint i = 0; i < json_array_get_length (leads); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (leads, i), "_id"), id))
      return TRUE;
  return FALSE;
}

static void
test_dedup_json (void)
{
  g_autofree char *db = cli_db_path ("dedup.db");
  g_autofree char *a = cli_add_lead (db, "--company", "上海华信科技有限公司", "--contact", "李雷",
                                     "--phone", "138 0013 8000", NULL);
  g_autofree char *b = cli_add_lead (db, "--company", "华信科技", "--contact", "Li Lei",
                                     "--phone", "+86 138-0013-8000", NULL);
  g_autofree char *c = cli_add_lead (db, "--company", "Blue River Co., Ltd.", "--contact", "Anna Weber",
                                     "--email", "anna@blueriver.com", NULL);
  g_autofree char *d = cli_add_lead (db, "--company", "BLUE RIVER", "--contact", "anna weber", NULL);
  g_autofree char *e = cli_add_lead (db, "--company", "恒达物流", NULL);
  g_auto(CliResult) r = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *groups;
  JsonObject *phone = NULL, *company = NULL;

  g_assert_cmpint (cli_run (&r, db, "dedup", "--json", NULL), ==, 0);
  root = cli_parse_json (r.out);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  groups = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (groups), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *group = json_array_get_object_element (groups, i);

      if (g_str_equal (json_object_get_string_member (group, "key"), "phone"))
        phone = group;
      else if (g_str_equal (json_object_get_string_member (group, "key"), "company"))
        company = group;
    }
  g_assert_nonnull (phone);
  g_assert_nonnull (company);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (phone, "leads")), ==, 2);
  g_assert_true (group_has (phone, a) && group_has (phone, b));
  g_assert_true (group_has (company, c) && group_has (company, d));
  g_assert_false (group_has (phone, e) || group_has (company, e));

  /* The table names each group's key and its leads */
  g_assert_cmpint (cli_run (&r, db, "dedup", NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "same phone"));
  g_assert_nonnull (strstr (r.out, "same company and contact"));
  g_assert_nonnull (strstr (r.out, a));
  g_assert_null (strstr (r.out, e));
}

static void
test_merge (void)
{
  g_autofree char *db = cli_db_path ("merge.db");
  g_autofree char *a = cli_add_lead (db, "--company", "上海华信科技有限公司", "--contact", "李雷",
                                     "--phone", "138 0013 8000", NULL);
  g_autofree char *b = cli_add_lead (db, "--company", "华信科技", "--contact", "Li Lei",
                                     "--phone", "+86 138-0013-8000", "--email", "li@huaxin.cn", NULL);
  g_auto(CliResult) r = { 0 };
  g_autoptr(JsonObject) merged = NULL;
  g_autoptr(JsonObject) gone = NULL;
  g_autofree char *field = g_strconcat ("contact=", b, NULL);
  g_autofree char *merge_id = NULL;

  /* Wrong usage: no other lead, a field that is not chosen, an outsider */
  g_assert_cmpint (cli_run (&r, db, "merge", a, NULL), ==, 2);
  g_assert_nonnull (strstr (r.err, "PRIMARY OTHER"));
  g_assert_cmpint (cli_run (&r, db, "merge", a, b, "--field", "created_at=x", NULL), ==, 2);
  g_assert_nonnull (strstr (r.err, "created_at"));
  g_assert_cmpint (cli_run (&r, db, "merge", a, b, "--field", "contact", NULL), ==, 2);

  g_assert_cmpint (cli_run (&r, db, "merge", a, b, "--field", field, NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "Merged 1 lead"));
  g_assert_nonnull (strstr (r.out, "unmerge "));
  merge_id = g_strdup (strstr (r.out, "unmerge ") + strlen ("unmerge "));
  g_strstrip (merge_id);
  merged = cli_show_json (db, a);
  g_assert_cmpstr (json_object_get_string_member (merged, "contact"), ==, "Li Lei");
  g_assert_cmpstr (json_object_get_string_member (merged, "company"), ==, "上海华信科技有限公司");
  g_assert_cmpstr (json_object_get_string_member (merged, "email"), ==, "li@huaxin.cn");

  /* The other is gone, and no duplicates are left */
  g_assert_cmpint (cli_run (&r, db, "lead", "show", b, NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "has been deleted"));
  g_assert_cmpint (cli_run (&r, db, "dedup", "--json", NULL), ==, 0);
  g_assert_cmpstr (g_strstrip (r.out), ==, "[]");
  g_assert_cmpint (cli_run (&r, db, "merge", a, b, NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "deleted"));

  /* The merge is on the primary's history */
  g_assert_cmpint (cli_run (&r, db, "lead", "show", a, NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "Merged with 华信科技"));

  /* unmerge: both leads again, one group of duplicates */
  g_assert_cmpint (cli_run (&r, db, "unmerge", merge_id, NULL), ==, 0);
  g_assert_cmpint (cli_run (&r, db, "dedup", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, a));
  g_assert_nonnull (strstr (r.out, b));
  g_assert_cmpint (cli_run (&r, db, "unmerge", merge_id, NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "not a merge that can be undone"));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/dedup-json", test_dedup_json);
  g_test_add_func ("/cli/merge", test_merge);
  return g_test_run ();
}
