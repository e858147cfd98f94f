/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "cli-test-util.h"

/* The commands on one lead (lead add | move | show | set | delete) and the
 * general usage rules, run end to end on the real binary. */

static const char *all_stages = "new, assigned, contacted, qualified, proposal, won, lost";

static void
test_usage_version_help (void)
{
  g_auto(CliResult) r = { 0 };

  g_assert_cmpint (cli_run (&r, NULL, "--version", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "leadkeeper-cli "));
  g_assert_true (g_str_has_suffix (r.out, "\n"));

  g_assert_cmpint (cli_run (&r, NULL, "--help", NULL), ==, 0);
  for (const char * const *name = (const char * const[]) {
         "demo", "lead add", "lead move", "lead show", "lead set", "lead delete",
         "leads list", "stats", "check", "--db", NULL };
       *name != NULL; name++)
    g_assert_nonnull (strstr (r.out, *name));
  g_assert_cmpstr (r.err, ==, "");

  g_assert_cmpint (cli_run (&r, NULL, "lead", "add", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "--company"));
  g_assert_nonnull (strstr (r.out, "--owner"));

  /* "help COMMAND" is "COMMAND --help"; lead set lists the fields */
  g_assert_cmpint (cli_run (&r, NULL, "help", "lead", "set", NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "bant.budget"));
  g_assert_nonnull (strstr (r.out, "next_followup_at"));

  g_assert_cmpint (cli_run (&r, NULL, "lead", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "lead move"));
  g_assert_null (strstr (r.out, "leads list"));
}

static void
test_usage_errors (void)
{
  g_autofree char *db = cli_db_path ("usage.db");
  g_auto(CliResult) r = { 0 };

  /* No command: the help, on stderr */
  g_assert_cmpint (cli_run (&r, NULL, NULL), ==, 2);
  g_assert_nonnull (strstr (r.err, "lead add"));
  g_assert_cmpstr (r.out, ==, "");

  g_assert_cmpint (cli_run (&r, db, "frobnicate", NULL), ==, 2);
  g_assert_true (g_str_has_prefix (r.err, "leadkeeper-cli: "));
  g_assert_nonnull (strstr (r.err, "“frobnicate” is not a command"));
  g_assert_nonnull (strstr (r.err, "leadkeeper-cli --help"));

  g_assert_cmpint (cli_run (&r, db, "lead", "frobnicate", NULL), ==, 2);
  g_assert_nonnull (strstr (r.err, "add, move, show, set, delete"));
  g_assert_cmpint (cli_run (&r, db, "lead", NULL), ==, 2);
  g_assert_cmpint (cli_run (&r, db, "--frobnicate", "leads", "list", NULL), ==, 2);

  g_assert_cmpint (cli_run (&r, db, "leads", "list", "--bogus", NULL), ==, 2);
  g_assert_nonnull (strstr (r.err, "--bogus"));
  g_assert_nonnull (strstr (r.err, "leadkeeper-cli leads list --help"));

  /* Missing arguments */
  g_assert_cmpint (cli_run (&r, db, "lead", "move", "XS2024001", NULL), ==, 2);
  g_assert_nonnull (strstr (r.err, "ID STAGE"));
  g_assert_cmpint (cli_run (&r, db, "lead", "show", NULL), ==, 2);
  g_assert_cmpint (cli_run (&r, db, "lead", "set", "XS2024001", NULL), ==, 2);
  g_assert_cmpint (cli_run (&r, db, "lead", "delete", NULL), ==, 2);
  g_assert_cmpint (cli_run (&r, db, "lead", "add", "--company", NULL), ==, 2);
  g_assert_nonnull (strstr (r.err, "--company"));
  g_assert_cmpint (cli_run (&r, NULL, "--db", NULL), ==, 2);
  /* … and too many */
  g_assert_cmpint (cli_run (&r, db, "lead", "show", "a", "b", NULL), ==, 2);
  g_assert_nonnull (strstr (r.err, "“b”"));
  g_assert_cmpint (cli_run (&r, db, "demo", "--count", "many", NULL), ==, 2);
  g_assert_cmpint (cli_run (&r, db, "demo", "--count", "0", NULL), ==, 2);

  /* Wrong usage never creates or touches a database. */
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));

  /* Reading commands do not create a database at a mistyped path. */
  g_assert_cmpint (cli_run (&r, db, "leads", "list", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, db));
  g_assert_cmpint (cli_run (&r, db, "lead", "show", "XS2024001", NULL), ==, 1);
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
}

static void
test_add_show_round_trip (void)
{
  g_autofree char *db = cli_db_path ("add.db");
  g_autofree char *id = NULL;
  g_autofree char *other = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonObject) doc2 = NULL;
  g_auto(CliResult) r = { 0 };
  JsonObject *bant;

  id = cli_add_lead (db,
                     "--company", "上海华信科技有限公司",
                     "--contact", "李雷",
                     "--phone", "138 0013 8000",
                     "--email", "li.lei@huaxin.com.cn",
                     "--source", "exhibition",
                     "--amount", "1250.50",
                     "--owner", "lilei",
                     NULL);

  doc = cli_show_json (db, id);
  g_assert_cmpstr (json_object_get_string_member (doc, "_id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (doc, "type"), ==, "lead");
  g_assert_cmpint (json_object_get_int_member (doc, "schema"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (doc, "company"), ==, "上海华信科技有限公司");
  g_assert_cmpstr (json_object_get_string_member (doc, "contact"), ==, "李雷");
  g_assert_cmpstr (json_object_get_string_member (doc, "phone"), ==, "+8613800138000");
  g_assert_cmpstr (json_object_get_string_member (doc, "email"), ==, "li.lei@huaxin.com.cn");
  g_assert_cmpstr (json_object_get_string_member (doc, "source"), ==, "exhibition");
  g_assert_cmpint (json_object_get_int_member (doc, "amount"), ==, 125050);
  g_assert_cmpstr (json_object_get_string_member (doc, "currency"), ==, "CNY");
  g_assert_cmpstr (json_object_get_string_member (doc, "owner"), ==, "user:lilei");
  g_assert_cmpstr (json_object_get_string_member (doc, "stage"), ==, "new");
  g_assert_cmpint (json_object_get_int_member (doc, "created_at"), >, 0);
  g_assert_cmpint (json_object_get_int_member (doc, "assigned_at"), >, 0);
  bant = json_object_get_object_member (doc, "bant");
  g_assert_nonnull (bant);
  g_assert_false (json_object_get_boolean_member (bant, "need"));
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (doc, "tags")));

  /* The readable listing */
  g_assert_cmpint (cli_run (&r, db, "lead", "show", id, NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, id));
  g_assert_nonnull (strstr (r.out, "Company:"));
  g_assert_nonnull (strstr (r.out, "上海华信科技有限公司"));
  g_assert_nonnull (strstr (r.out, "+8613800138000"));
  g_assert_nonnull (strstr (r.out, "1250.50 CNY"));
  g_assert_nonnull (strstr (r.out, "Stage history:"));
  g_assert_nonnull (strstr (r.out, "Created in New"));
  g_assert_nonnull (strstr (r.out, "Follow-ups:"));

  /* A contact is enough; user:NAME is taken as it is; no owner is the pool */
  other = cli_add_lead (db, "--contact", "Anna Weber", "--owner", "user:anna", "--phone", "+49 30 1234 5678", NULL);
  doc2 = cli_show_json (db, other);
  g_assert_cmpstr (json_object_get_string_member (doc2, "company"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (doc2, "owner"), ==, "user:anna");
  g_assert_cmpstr (json_object_get_string_member (doc2, "phone"), ==, "+493012345678");
  g_clear_pointer (&doc2, json_object_unref);
  g_free (other);
  other = cli_add_lead (db, "--company", "Pool GmbH", NULL);
  doc2 = cli_show_json (db, other);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (doc2, "owner")));
}

static void
test_add_invalid (void)
{
  g_autofree char *db = cli_db_path ("invalid.db");
  g_autoptr(JsonArray) leads = NULL;
  g_auto(CliResult) r = { 0 };

  g_assert_cmpint (cli_run (&r, db, "lead", "add", "--company", "Huaxin", "--email", "li.lei@huaxin", NULL), ==, 1);
  g_assert_true (g_str_has_prefix (r.err, "leadkeeper-cli: "));
  g_assert_nonnull (strstr (r.err, "“li.lei@huaxin” is not an email address"));
  g_assert_cmpstr (r.out, ==, "");

  g_assert_cmpint (cli_run (&r, db, "lead", "add", "--company", "Huaxin", "--phone", "138-abc", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "is not a phone number"));
  g_assert_cmpint (cli_run (&r, db, "lead", "add", "--company", "Huaxin", "--phone", "12345", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "not a possible phone number"));

  g_assert_cmpint (cli_run (&r, db, "lead", "add", "--phone", "13800138000", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "needs a company or a contact"));

  g_assert_cmpint (cli_run (&r, db, "lead", "add", "--company", "Huaxin", "--amount", "lots", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "1250.50"));

  g_assert_cmpint (cli_run (&r, db, "lead", "add", "--company", "Huaxin", "--stage", "negotiation", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, all_stages));

  g_assert_cmpint (cli_run (&r, db, "lead", "add", "--company", "Huaxin", "--stage", "lost", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "needs a reason"));

  /* None of them was saved. */
  leads = cli_list_json (db, NULL);
  g_assert_cmpuint (json_array_get_length (leads), ==, 0);
}

static const char *
stage_of (const char *db,
          const char *id)
{
  static char stage[64];
  g_autoptr(JsonObject) doc = cli_show_json (db, id);

  g_strlcpy (stage, json_object_get_string_member (doc, "stage"), sizeof stage);
  return stage;
}

static void
test_move (void)
{
  g_autofree char *db = cli_db_path ("move.db");
  g_autofree char *id = cli_add_lead (db, "--company", "北京恒达物流有限公司", NULL);
  g_autoptr(JsonObject) doc = NULL;
  g_auto(CliResult) r = { 0 };

  g_assert_cmpint (cli_run (&r, db, "lead", "move", id, "contacted", NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "Contacted"));
  g_assert_cmpstr (stage_of (db, id), ==, "contacted");

  /* An unknown stage: the message lists the valid ones */
  g_assert_cmpint (cli_run (&r, db, "lead", "move", id, "negotiation", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "“negotiation”"));
  g_assert_nonnull (strstr (r.err, all_stages));
  g_assert_cmpstr (stage_of (db, id), ==, "contacted");

  /* Lost needs a reason */
  g_assert_cmpint (cli_run (&r, db, "lead", "move", id, "lost", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "needs a reason"));
  g_assert_nonnull (strstr (r.err, "--reason"));
  g_assert_cmpstr (stage_of (db, id), ==, "contacted");
  g_assert_cmpint (cli_run (&r, db, "lead", "move", id, "lost", "--reason", "   ", NULL), ==, 1);
  g_assert_cmpstr (stage_of (db, id), ==, "contacted");

  g_assert_cmpint (cli_run (&r, db, "lead", "move", id, "lost", "--reason", "Chose a competitor", NULL), ==, 0);
  doc = cli_show_json (db, id);
  g_assert_cmpstr (json_object_get_string_member (doc, "stage"), ==, "lost");
  g_assert_cmpstr (json_object_get_string_member (doc, "lost_reason"), ==, "Chose a competitor");

  /* The history shows each move */
  g_assert_cmpint (cli_run (&r, db, "lead", "show", id, NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "New → Contacted"));
  g_assert_nonnull (strstr (r.out, "Contacted → Lost"));
  g_assert_nonnull (strstr (r.out, "Chose a competitor"));

  /* Back from Lost: a reopen */
  g_assert_cmpint (cli_run (&r, db, "lead", "move", id, "qualified", NULL), ==, 0);
  g_assert_cmpint (cli_run (&r, db, "lead", "show", id, NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "Lost → Qualified (reopened)"));

  /* Moving to where it is changes nothing and is not an error */
  g_assert_cmpint (cli_run (&r, db, "lead", "move", id, "qualified", NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "already"));

  g_assert_cmpint (cli_run (&r, db, "lead", "move", "lead:00000000-0000-7000-8000-000000000000", "won", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "There is no lead"));
}

static gint64
local_ms (int year,
          int month,
          int day,
          int hour,
          int minute)
{
  g_autoptr(GDateTime) dt = g_date_time_new_local (year, month, day, hour, minute, 0);

  return g_date_time_to_unix (dt) * 1000;
}

static void
test_set (void)
{
  g_autofree char *db = cli_db_path ("set.db");
  g_autofree char *id = cli_add_lead (db, "--company", "Huaxin", "--contact", "Li Lei", NULL);
  g_autoptr(JsonObject) doc = NULL;
  g_auto(CliResult) r = { 0 };
  JsonArray *tags;

  g_assert_cmpint (cli_run (&r, db, "lead", "set", id,
                            "bant.need=true", "bant_timeline=yes", "tags=VIP, 急需,VIP",
                            "amount=1250.50", "budget=12,000", "next_followup_at=2024-05-03",
                            "first_contacted_at=2024-05-03T14:30", "company=上海华信科技有限公司",
                            "title=CTO", "grade=A", "score=87", "phone=021-5080 1234",
                            "owner=wangfang", "notes=第一行\n第二行",
                            NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "Updated"));
  doc = cli_show_json (db, id);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (doc, "bant"), "need"));
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (doc, "bant"), "timeline"));
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (doc, "bant"), "budget"));
  tags = json_object_get_array_member (doc, "tags");
  g_assert_cmpuint (json_array_get_length (tags), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (tags, 0), ==, "VIP");
  g_assert_cmpstr (json_array_get_string_element (tags, 1), ==, "急需");
  g_assert_cmpint (json_object_get_int_member (doc, "amount"), ==, 125050);
  g_assert_cmpint (json_object_get_int_member (doc, "budget"), ==, 1200000);
  g_assert_cmpint (json_object_get_int_member (doc, "next_followup_at"), ==, local_ms (2024, 5, 3, 0, 0));
  g_assert_cmpint (json_object_get_int_member (doc, "first_contacted_at"), ==, local_ms (2024, 5, 3, 14, 30));
  g_assert_cmpstr (json_object_get_string_member (doc, "company"), ==, "上海华信科技有限公司");
  g_assert_cmpstr (json_object_get_string_member (doc, "contact"), ==, "Li Lei");
  g_assert_cmpstr (json_object_get_string_member (doc, "title"), ==, "CTO");
  g_assert_cmpstr (json_object_get_string_member (doc, "grade"), ==, "A");
  g_assert_cmpint (json_object_get_int_member (doc, "score"), ==, 87);
  g_assert_cmpstr (json_object_get_string_member (doc, "phone"), ==, "+862150801234");
  g_assert_cmpstr (json_object_get_string_member (doc, "owner"), ==, "user:wangfang");
  g_assert_cmpstr (json_object_get_string_member (doc, "notes"), ==, "第一行\n第二行");
  g_clear_pointer (&doc, json_object_unref);

  /* Times in ms, empty values clear */
  cli_set (db, id, "next_followup_at=1715767200000", "tags=", "owner=", "title=", NULL);
  doc = cli_show_json (db, id);
  g_assert_cmpint (json_object_get_int_member (doc, "next_followup_at"), ==, G_GINT64_CONSTANT (1715767200000));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (doc, "tags")), ==, 0);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (doc, "owner")));
  g_assert_cmpstr (json_object_get_string_member (doc, "title"), ==, "");
  g_clear_pointer (&doc, json_object_unref);

  /* The same value again: nothing to save */
  g_assert_cmpint (cli_run (&r, db, "lead", "set", id, "title=", NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "Nothing changed"));
}

static void
test_set_invalid (void)
{
  g_autofree char *db = cli_db_path ("set-invalid.db");
  g_autofree char *id = cli_add_lead (db, "--company", "Huaxin", "--email", "li@huaxin.cn", NULL);
  g_autoptr(JsonObject) doc = NULL;
  g_auto(CliResult) r = { 0 };

  /* An unknown field lists the fields; nothing is written */
  g_assert_cmpint (cli_run (&r, db, "lead", "set", id, "company=Changed", "colour=blue", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "“colour”"));
  g_assert_nonnull (strstr (r.err, "company, industry"));
  g_assert_nonnull (strstr (r.err, "bant.budget"));
  g_assert_nonnull (strstr (r.err, "next_followup_at"));

  /* One bad value of several: nothing is written */
  g_assert_cmpint (cli_run (&r, db, "lead", "set", id, "company=Changed", "amount=-3", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "amount"));
  g_assert_cmpint (cli_run (&r, db, "lead", "set", id, "company=Changed", "bant.need=maybe", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "true or false"));
  g_assert_cmpint (cli_run (&r, db, "lead", "set", id, "company=Changed", "next_followup_at=soon", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "2024-05-03"));
  g_assert_cmpint (cli_run (&r, db, "lead", "set", id, "company=Changed", "email=li.huaxin.cn", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "not an email address"));
  g_assert_cmpint (cli_run (&r, db, "lead", "set", id, "company=Changed", "phone=call me", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "phone"));
  g_assert_cmpint (cli_run (&r, db, "lead", "set", id, "company=Changed", "grade=Z", NULL), ==, 1);
  g_assert_cmpint (cli_run (&r, db, "lead", "set", id, "company=Changed", "stage=negotiation", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, all_stages));
  g_assert_cmpint (cli_run (&r, db, "lead", "set", id, "company=", "contact=", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "needs a company or a contact"));
  g_assert_cmpint (cli_run (&r, db, "lead", "set", id, "updated_at=2024-01-01", NULL), ==, 1);

  /* Not FIELD=VALUE: wrong usage */
  g_assert_cmpint (cli_run (&r, db, "lead", "set", id, "company", NULL), ==, 2);
  g_assert_cmpint (cli_run (&r, db, "lead", "set", id, "=x", NULL), ==, 2);

  /* A stage change to lost needs a reason, in the same command */
  g_assert_cmpint (cli_run (&r, db, "lead", "set", id, "company=Changed", "stage=lost", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "needs a reason"));

  doc = cli_show_json (db, id);
  g_assert_cmpstr (json_object_get_string_member (doc, "company"), ==, "Huaxin");
  g_assert_cmpstr (json_object_get_string_member (doc, "email"), ==, "li@huaxin.cn");
  g_assert_cmpstr (json_object_get_string_member (doc, "stage"), ==, "new");
  g_clear_pointer (&doc, json_object_unref);

  cli_set (db, id, "stage=lost", "lost_reason=No budget", NULL);
  doc = cli_show_json (db, id);
  g_assert_cmpstr (json_object_get_string_member (doc, "stage"), ==, "lost");
  g_assert_cmpstr (json_object_get_string_member (doc, "lost_reason"), ==, "No budget");
  g_clear_pointer (&doc, json_object_unref);

  g_assert_cmpint (cli_run (&r, db, "lead", "set", id, "stage=qualified", NULL), ==, 0);
  g_assert_cmpint (cli_run (&r, db, "lead", "set", id, "stage=lost", "--reason", "No response", NULL), ==, 0);
  doc = cli_show_json (db, id);
  g_assert_cmpstr (json_object_get_string_member (doc, "lost_reason"), ==, "No response");
}

static void
test_code_lookup (void)
{
  g_autofree char *db = cli_db_path ("code.db");
  g_autofree char *id = cli_add_lead (db, "--company", "Huaxin", NULL);
  g_autofree char *twin = cli_add_lead (db, "--company", "Hengda", NULL);
  g_autoptr(JsonObject) doc = NULL;
  g_auto(CliResult) r = { 0 };

  cli_set (db, id, "code=XS2024099", NULL);
  cli_set (db, twin, "code=XS2024098", NULL);

  doc = cli_show_json (db, "XS2024099");
  g_assert_cmpstr (json_object_get_string_member (doc, "_id"), ==, id);
  g_clear_pointer (&doc, json_object_unref);
  /* Case does not matter; the id without "lead:" works too */
  doc = cli_show_json (db, "xs2024099");
  g_assert_cmpstr (json_object_get_string_member (doc, "_id"), ==, id);
  g_clear_pointer (&doc, json_object_unref);
  doc = cli_show_json (db, id + strlen ("lead:"));
  g_assert_cmpstr (json_object_get_string_member (doc, "_id"), ==, id);
  g_clear_pointer (&doc, json_object_unref);

  /* Codes name leads for every command */
  g_assert_cmpint (cli_run (&r, db, "lead", "move", "XS2024099", "contacted", NULL), ==, 0);
  g_assert_cmpstr (stage_of (db, id), ==, "contacted");
  g_assert_cmpstr (stage_of (db, twin), ==, "new");
  cli_set (db, "XS2024098", "notes=by code", NULL);
  doc = cli_show_json (db, twin);
  g_assert_cmpstr (json_object_get_string_member (doc, "notes"), ==, "by code");
  g_clear_pointer (&doc, json_object_unref);

  /* A prefix of a code is not the code */
  g_assert_cmpint (cli_run (&r, db, "lead", "show", "XS20240", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "There is no lead with the id or code “XS20240”"));
  g_assert_cmpint (cli_run (&r, db, "lead", "show", "XS2024097", NULL), ==, 1);

  /* Two leads with one code: the user must choose by id */
  cli_set (db, twin, "code=XS2024099", NULL);
  g_assert_cmpint (cli_run (&r, db, "lead", "show", "XS2024099", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, id));
  g_assert_nonnull (strstr (r.err, twin));
}

static void
test_delete (void)
{
  g_autofree char *db = cli_db_path ("delete.db");
  g_autofree char *id = cli_add_lead (db, "--company", "Huaxin", NULL);
  g_autofree char *kept = cli_add_lead (db, "--company", "Hengda", NULL);
  g_autoptr(JsonArray) leads = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_auto(CliResult) r = { 0 };

  cli_set (db, id, "code=XS2024001", NULL);
  g_assert_cmpint (cli_run (&r, db, "lead", "delete", "XS2024001", NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "Huaxin"));

  leads = cli_list_json (db, NULL);
  g_assert_cmpuint (json_array_get_length (leads), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (leads, 0), "_id"), ==, kept);

  /* Kept as a tombstone: its id still shows it, as deleted */
  doc = cli_show_json (db, id);
  g_assert_true (json_object_get_boolean_member_with_default (doc, "_deleted", FALSE));
  g_assert_cmpint (cli_run (&r, db, "lead", "show", id, NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "deleted"));

  /* Its code no longer finds it; it cannot be edited or moved */
  g_assert_cmpint (cli_run (&r, db, "lead", "show", "XS2024001", NULL), ==, 1);
  g_assert_cmpint (cli_run (&r, db, "lead", "move", id, "contacted", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "has been deleted"));
  g_assert_cmpint (cli_run (&r, db, "lead", "set", id, "notes=x", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "has been deleted"));

  /* Deleting twice is not an error */
  g_assert_cmpint (cli_run (&r, db, "lead", "delete", id, NULL), ==, 0);
  g_assert_cmpint (cli_run (&r, db, "lead", "delete", "XS0000000", NULL), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/usage/version-help", test_usage_version_help);
  g_test_add_func ("/cli/usage/errors", test_usage_errors);
  g_test_add_func ("/cli/lead/add-show-round-trip", test_add_show_round_trip);
  g_test_add_func ("/cli/lead/add-invalid", test_add_invalid);
  g_test_add_func ("/cli/lead/move", test_move);
  g_test_add_func ("/cli/lead/set", test_set);
  g_test_add_func ("/cli/lead/set-invalid", test_set_invalid);
  g_test_add_func ("/cli/lead/code-lookup", test_code_lookup);
  g_test_add_func ("/cli/lead/delete", test_delete);

  return g_test_run ();
}
