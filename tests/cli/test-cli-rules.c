/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "cli-test-util.h"

/* followup add | event add | agenda | assign | claim | maintain | rules,
 * end to end on the real binary. It runs on the real clock: the tests
 * give times far from now (2000, 2099) or measure now around each run. */

#define DAY_MS G_GINT64_CONSTANT (86400000)

static gint64
sql_int (const char *db,
         const char *sql,
         const char *bind)
{
  sqlite3 *conn = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_open_v2 (db, &conn, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (conn, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (bind != NULL)
    sqlite3_bind_text (stmt, 1, bind, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (conn);
  return value;
}

static gint64
now_ms (void)
{
  return g_get_real_time () / 1000;
}

/* Local @date ("2099-01-05") at @hour:00, as Unix ms */
static gint64
local_ms (const char *date,
          int         hour)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autofree char *text = g_strdup_printf ("%sT%02d:00:00", date, hour);
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (text, tz);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt) * 1000;
}

/* Tomorrow (local) of @ms at 09:00 */
static gint64
tomorrow_nine (gint64 ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (local, 1);
  g_autofree char *date = g_date_time_format (tomorrow, "%Y-%m-%d");

  return local_ms (date, 9);
}

static char *
run_id (const char *db,
        ...)
{
  g_auto(CliResult) r = { 0 };
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (gpointer) "--db");
  g_ptr_array_add (args, (gpointer) db);
  va_start (ap, db);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  g_assert_cmpint (cli_runv (&r, NULL, (const char * const *) args->pdata), ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "activity:"));
  g_assert_true (g_str_has_suffix (r.out, "\n"));
  g_assert_null (strchr (r.out, ' '));
  return g_strstrip (g_strdup (r.out));
}

static JsonObject *
run_json (const char *db,
          ...)
{
  g_auto(CliResult) r = { 0 };
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (gpointer) "--db");
  g_ptr_array_add (args, (gpointer) db);
  va_start (ap, db);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  g_assert_cmpint (cli_runv (&r, NULL, (const char * const *) args->pdata), ==, 0);
  root = cli_parse_json (r.out);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_node_dup_object (root);
}

static void
add_member (const char *db,
            const char *name,
            gboolean    senior)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO users (id, name, display_name, role, senior) "
                                          "VALUES ('user:%s', '%s', '%s', 'rep', %d)",
                                          name, name, name, senior);

  cli_sql_exec (db, sql);
}

static char *
write_file (const char *name,
            const char *contents)
{
  char *path = cli_db_path (name);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static void
test_help (void)
{
  g_auto(CliResult) r = { 0 };

  g_assert_cmpint (cli_run (&r, NULL, "--help", NULL), ==, 0);
  for (const char * const *name = (const char * const[]) {
         "followup add", "event add", "agenda", "assign", "claim", "maintain", "rules", NULL };
       *name != NULL; name++)
    g_assert_nonnull (strstr (r.out, *name));
  g_assert_cmpint (cli_run (&r, NULL, "followup", "add", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "--method"));
  g_assert_nonnull (strstr (r.out, "phone, email, visit, wechat, meeting, other"));
  g_assert_nonnull (strstr (r.out, "--next"));
  g_assert_cmpint (cli_run (&r, NULL, "event", "add", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "pricing_page"));
  g_assert_cmpint (cli_run (&r, NULL, "followup", NULL), ==, 2);
  g_assert_nonnull (strstr (r.err, "“followup” needs a command: add"));
}

static void
test_followup_add (void)
{
  g_autofree char *db = cli_db_path ("followup.db");
  g_autofree char *id = cli_add_lead (db, "--company", "华信科技", NULL);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_auto(CliResult) r = { 0 };
  gint64 before, after, next;

  cli_set (db, id, "grade=B", NULL);
  /* Everything given: the lead's contact times, next follow-up and grade */
  before = now_ms ();
  first = run_id (db, "followup", "add", id, "--method", "phone", "--summary", "谈了报价",
                  "--feedback", "价格偏高", "--step", "发送方案", "--next", "2099-01-05", "--grade", "A", NULL);
  after = now_ms ();
  doc = cli_show_json (db, id);
  g_assert_cmpstr (json_object_get_string_member (doc, "grade"), ==, "A");
  g_assert_cmpint (json_object_get_int_member (doc, "next_followup_at"), ==, local_ms ("2099-01-05", 9));
  g_assert_cmpint (json_object_get_int_member (doc, "last_contacted_at"), >=, before - 1000);
  g_assert_cmpint (json_object_get_int_member (doc, "last_contacted_at"), <=, after);
  g_assert_cmpint (json_object_get_int_member (doc, "first_contacted_at"), ==,
                   json_object_get_int_member (doc, "last_contacted_at"));
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM activities WHERE id = ? AND kind = 'followup' "
                                "AND grade_from = 'B' AND grade_to = 'A' AND feedback = '价格偏高' "
                                "AND next_step = '发送方案'", first), ==, 1);
  g_assert_cmpint (cli_run (&r, db, "lead", "show", id, NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "谈了报价"));

  /* Without --next, the grade's cadence proposes: A, the next day at 09:00 */
  before = now_ms ();
  second = run_id (db, "followup", "add", id, "--method", "wechat", "--summary", "Sent the brochure", NULL);
  after = now_ms ();
  g_clear_pointer (&doc, json_object_unref);
  doc = cli_show_json (db, id);
  next = json_object_get_int_member (doc, "next_followup_at");
  g_assert_true (next == tomorrow_nine (before) || next == tomorrow_nine (after));
  /* --next none: no plan */
  g_free (run_id (db, "followup", "add", id, "--method", "email", "--summary", "Mailed", "--next", "none", NULL));
  g_clear_pointer (&doc, json_object_unref);
  doc = cli_show_json (db, id);
  g_assert_true (json_object_get_null_member (doc, "next_followup_at"));
  /* A follow-up from 2000 is the first contact now, not the last */
  g_free (run_id (db, "followup", "add", id, "--method", "visit", "--summary", "Met at a fair",
                  "--at", "2000-01-01T10:00", "--next", "none", NULL));
  g_clear_pointer (&doc, json_object_unref);
  doc = cli_show_json (db, id);
  g_assert_cmpint (json_object_get_int_member (doc, "first_contacted_at"), ==, local_ms ("2000-01-01", 10));
  g_assert_cmpint (json_object_get_int_member (doc, "last_contacted_at"), >=, before - 1000);
}

static void
test_followup_too_often_and_errors (void)
{
  g_autofree char *db = cli_db_path ("too-often.db");
  g_autofree char *id = cli_add_lead (db, "--company", "Acme", NULL);
  g_auto(CliResult) r = { 0 };
  gint64 activities;

  cli_set (db, id, "grade=A", NULL);
  g_free (run_id (db, "followup", "add", id, "--method", "phone", "--summary", "Morning",
                  "--at", "2024-05-15T08:00", "--next", "2024-05-16", NULL));
  /* A second contact on the same day: a warning, logged all the same */
  g_assert_cmpint (cli_run (&r, db, "followup", "add", id, "--method", "visit", "--summary", "Evening",
                            "--at", "2024-05-15T20:00", "--next", "2024-05-16", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "activity:"));
  g_assert_nonnull (strstr (r.err, "“Acme” was contacted too often: its grade calls for every 1–2 days, at most once a day"));
  /* The next day is fine */
  g_assert_cmpint (cli_run (&r, db, "followup", "add", id, "--method", "phone", "--summary", "Next day",
                            "--at", "2024-05-16T09:30", "--next", "2024-05-17", NULL), ==, 0);
  g_assert_cmpstr (r.err, ==, "");

  activities = sql_int (db, "SELECT count(*) FROM activities WHERE lead_id = ?", id);
  g_assert_cmpint (activities, ==, 3);
  /* Usage errors (2) and bad data (1); nothing is logged */
  g_assert_cmpint (cli_run (&r, db, "followup", "add", id, "--summary", "x", NULL), ==, 2);
  g_assert_nonnull (strstr (r.err, "needs --method"));
  g_assert_cmpint (cli_run (&r, db, "followup", "add", id, "--method", "phone", NULL), ==, 2);
  g_assert_nonnull (strstr (r.err, "needs --summary"));
  g_assert_cmpint (cli_run (&r, db, "followup", "add", "--method", "phone", "--summary", "x", NULL), ==, 2);
  g_assert_cmpint (cli_run (&r, db, "followup", "add", id, "--method", "fax", "--summary", "x", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "“fax” is not a follow-up method; the methods are phone, email, visit, wechat, meeting, other"));
  g_assert_cmpint (cli_run (&r, db, "followup", "add", id, "--method", "phone", "--summary", "x",
                            "--grade", "D", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "The grade must be A, B or C"));
  g_assert_cmpint (cli_run (&r, db, "followup", "add", id, "--method", "phone", "--summary", "x",
                            "--next", "soon", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "--next must be a date such as 2024-05-03"));
  g_assert_cmpint (cli_run (&r, db, "followup", "add", id, "--method", "phone", "--summary", "x",
                            "--at", "2024-05-15T08:00", "--next", "2024-05-14", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "is before the follow-up itself"));
  g_assert_cmpint (cli_run (&r, db, "followup", "add", "XS404", "--method", "phone", "--summary", "x", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "There is no lead with the id or code “XS404”"));
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM activities WHERE lead_id = ?", id), ==, activities);

  /* A broken settings:cadence (synced from a hand edit): a warning, and
   * the call is logged with the default cadence */
  cli_sql_exec (db, "INSERT INTO settings (name, json) VALUES ('cadence', '{\"due_hour\": 99}')");
  g_assert_cmpint (cli_run (&r, db, "followup", "add", id, "--method", "phone", "--summary", "Still there",
                            "--next", "2099-01-05", NULL), ==, 0);
  g_assert_nonnull (strstr (r.err, "settings:cadence: “due_hour” must be a whole number from 0 to 23, not 99; "
                                   "the default cadence proposes the next follow-up"));
  g_assert_cmpint (sql_int (db, "SELECT next_followup_at FROM leads WHERE id = ?", id), ==, local_ms ("2099-01-05", 9));
}

static void
test_event_and_scoring (void)
{
  g_autofree char *db = cli_db_path ("events.db");
  g_autofree char *id = cli_add_lead (db, "--company", "Acme", NULL);
  g_autofree char *rules = write_file ("scoring.json",
                                       "{\"version\": 1, \"enabled\": true,"
                                       " \"events\": [{\"type\": \"pricing_page\", \"points\": 10, \"max_count\": 3},"
                                       "              {\"type\": \"quote_request\", \"points\": 40}],"
                                       " \"thresholds\": {\"hot\": 50, \"warm\": 20}}");
  g_autoptr(JsonObject) doc = NULL;
  g_auto(CliResult) r = { 0 };

  /* Scoring off (the default): the event is recorded, the lead as it was */
  cli_set (db, id, "temperature=hot", NULL);
  g_free (run_id (db, "event", "add", id, "quote_request", NULL));
  doc = cli_show_json (db, id);
  g_assert_cmpstr (json_object_get_string_member (doc, "temperature"), ==, "hot");
  g_assert_cmpint (json_object_get_int_member (doc, "score"), ==, 0);

  /* On: each event scores the lead at once */
  g_assert_cmpint (cli_run (&r, db, "rules", "scoring", rules, NULL), ==, 0);
  g_assert_cmpstr (r.out, ==, "Saved settings:scoring\n");
  g_free (run_id (db, "event", "add", id, "pricing_page", "--at", "2024-05-15T10:00", NULL));
  g_clear_pointer (&doc, json_object_unref);
  doc = cli_show_json (db, id);
  g_assert_cmpint (json_object_get_int_member (doc, "score"), ==, 50);
  g_assert_cmpstr (json_object_get_string_member (doc, "temperature"), ==, "hot");
  g_assert_cmpint (sql_int (db, "SELECT at FROM activities WHERE lead_id = ? AND event_type = 'pricing_page'", id),
                   ==, local_ms ("2024-05-15", 10));
  /* A type the rules do not know: recorded, with a word of warning */
  g_assert_cmpint (cli_run (&r, db, "event", "add", id, "trade_show_scan", NULL), ==, 0);
  g_assert_nonnull (strstr (r.err, "The scoring rules give no points for “trade_show_scan”"));
  g_assert_cmpint (cli_run (&r, db, "event", "add", id, NULL), ==, 2);
  g_assert_cmpint (cli_run (&r, db, "event", "add", id, " ", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "An event needs its type"));
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM activities WHERE kind = 'event'", NULL), ==, 3);
}

static JsonArray *
bucket (JsonObject *agenda,
        const char *name)
{
  return json_object_get_array_member (agenda, name);
}

static void
test_agenda (void)
{
  g_autofree char *db = cli_db_path ("agenda.db");
  g_autofree char *today = NULL;
  g_autofree char *noon = NULL;
  g_autofree char *overdue = cli_add_lead (db, "--company", "Overdue", "--owner", "lilei", NULL);
  g_autofree char *due = cli_add_lead (db, "--company", "Due today", "--owner", "lilei", NULL);
  g_autofree char *later = cli_add_lead (db, "--company", "Later", "--owner", "lilei", NULL);
  g_autofree char *unplanned = cli_add_lead (db, "--company", "Unplanned", "--owner", "lilei", NULL);
  g_autofree char *quote = cli_add_lead (db, "--company", "Quote", "--owner", "hanmeimei", "--stage", "qualified", NULL);
  g_autofree char *won = cli_add_lead (db, "--company", "Won", "--owner", "lilei", "--stage", "won", NULL);
  g_autoptr(JsonObject) mine = NULL;
  g_autoptr(JsonObject) team = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_auto(CliResult) r = { 0 };
  JsonObject *counts;
  JsonObject *item;

  today = g_date_time_format (now, "%Y-%m-%d");
  noon = g_strdup_printf ("next_followup_at=%sT12:00", today);
  cli_set (db, overdue, "next_followup_at=2000-01-01T09:00", NULL);
  cli_set (db, due, noon, NULL);
  cli_set (db, later, "next_followup_at=2099-01-01T09:00", NULL);
  cli_set (db, won, "next_followup_at=2000-01-01T09:00", NULL);
  g_assert_cmpint (cli_run (&r, db, "lead", "move", quote, "proposal", NULL), ==, 0);

  mine = run_json (db, "agenda", "--owner", "lilei", "--json", NULL);
  g_assert_cmpstr (json_object_get_string_member (mine, "owner"), ==, "user:lilei");
  counts = json_object_get_object_member (mine, "counts");
  g_assert_cmpint (json_object_get_int_member (counts, "overdue"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (counts, "today"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (counts, "upcoming"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (counts, "none"), ==, 1);
  item = json_array_get_object_element (bucket (mine, "overdue"), 0);
  g_assert_cmpstr (json_object_get_string_member (item, "id"), ==, overdue);
  g_assert_cmpstr (json_object_get_string_member (item, "name"), ==, "Overdue");
  g_assert_cmpstr (json_object_get_string_member (item, "owner"), ==, "user:lilei");
  g_assert_cmpint (json_object_get_int_member (item, "next_followup_at"), ==, local_ms ("2000-01-01", 9));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (bucket (mine, "today"), 0), "id"),
                   ==, due);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (bucket (mine, "upcoming"), 0), "id"),
                   ==, later);
  item = json_array_get_object_element (bucket (mine, "none"), 0);
  g_assert_cmpstr (json_object_get_string_member (item, "id"), ==, unplanned);
  /* No plan: stale */
  g_assert_true (json_object_get_boolean_member (item, "stale"));

  /* The team: Proposal's task is Hanmeimei's next follow-up, in three days */
  team = run_json (db, "agenda", "--json", NULL);
  g_assert_true (json_object_get_null_member (team, "owner"));
  counts = json_object_get_object_member (team, "counts");
  g_assert_cmpint (json_object_get_int_member (counts, "upcoming"), ==, 2);
  item = json_array_get_object_element (bucket (team, "upcoming"), 0);
  g_assert_cmpstr (json_object_get_string_member (item, "id"), ==, quote);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (item, "tasks"), 0), "title"), ==, "Call about the quote");

  /* --limit cuts the lists, not the counts; text for people */
  g_clear_pointer (&team, json_object_unref);
  team = run_json (db, "agenda", "--json", "--limit", "1", NULL);
  g_assert_cmpuint (json_array_get_length (bucket (team, "upcoming")), ==, 1);
  g_assert_cmpint (cli_run (&r, db, "agenda", "--limit", "1", NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "Overdue (1)"));
  g_assert_nonnull (strstr (r.out, "Upcoming (2)"));
  g_assert_nonnull (strstr (r.out, "… and 1 more"));
  g_assert_nonnull (strstr (r.out, "No next step (1)"));
  /* --owner me: this desktop's user */
  g_assert_cmpint (cli_run (&r, db, "config", "user", "hanmeimei", NULL), ==, 0);
  g_clear_pointer (&mine, json_object_unref);
  mine = run_json (db, "agenda", "--owner", "me", "--json", NULL);
  g_assert_cmpstr (json_object_get_string_member (mine, "owner"), ==, "user:hanmeimei");
  g_assert_cmpuint (json_array_get_length (bucket (mine, "upcoming")), ==, 1);
  g_assert_cmpint (cli_run (&r, db, "agenda", "--limit", "-1", NULL), ==, 2);
}

static void
test_assign (void)
{
  g_autofree char *db = cli_db_path ("assign.db");
  g_autofree char *a = cli_add_lead (db, "--company", "A", NULL);
  g_autofree char *b = cli_add_lead (db, "--company", "B", NULL);
  g_autofree char *c = cli_add_lead (db, "--company", "C", NULL);
  g_autofree char *rules = write_file ("assignment.json",
                                       "{\"version\": 1, \"rules\": [{\"id\": \"only-bob\", \"name\": \"Bob's\","
                                       " \"to\": {\"member\": \"bob\"}}]}");
  g_autofree char *broken = write_file ("broken.json", "{\"rules\": [{\"strategy\": \"dice\"}]}");
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_auto(CliResult) r = { 0 };
  JsonArray *results;
  JsonObject *first;

  /* Nobody in the team yet: the leads stay, and say why */
  out = run_json (db, "assign", "--json", NULL);
  g_assert_cmpint (json_object_get_int_member (out, "assigned"), ==, 0);
  first = json_array_get_object_element (json_object_get_array_member (out, "results"), 0);
  g_assert_true (json_object_get_null_member (first, "to"));
  g_assert_nonnull (strstr (json_object_get_string_member (first, "problem"), "no team member"));

  add_member (db, "anna", FALSE);
  add_member (db, "bob", FALSE);
  /* A dry run: who would get what; nothing changes */
  g_clear_pointer (&out, json_object_unref);
  out = run_json (db, "assign", "--dry-run", "--json", NULL);
  g_assert_true (json_object_get_boolean_member (out, "dry_run"));
  g_assert_cmpint (json_object_get_int_member (out, "assigned"), ==, 3);
  results = json_object_get_array_member (out, "results");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0), "to"), ==, "user:anna");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 1), "to"), ==, "user:bob");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 2), "to"), ==, "user:anna");
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM leads WHERE owner IS NOT NULL", NULL), ==, 0);

  /* For real: the same, in turn, logged, Assigned */
  g_assert_cmpint (cli_run (&r, db, "assign", NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "→ anna (Every rep in turn)"));
  g_assert_nonnull (strstr (r.out, "3 leads assigned"));
  doc = cli_show_json (db, b);
  g_assert_cmpstr (json_object_get_string_member (doc, "owner"), ==, "user:bob");
  g_assert_cmpstr (json_object_get_string_member (doc, "stage"), ==, "assigned");
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM activities WHERE kind = 'assignment' AND reason = 'assign'", NULL),
                   ==, 3);
  g_assert_cmpint (cli_run (&r, db, "assign", NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "The pool is empty"));

  /* Leads named: routed again by the rules */
  g_assert_cmpint (cli_run (&r, db, "rules", "assignment", rules, NULL), ==, 0);
  g_clear_pointer (&out, json_object_unref);
  out = run_json (db, "assign", a, c, "--json", NULL);
  g_assert_cmpint (json_object_get_int_member (out, "assigned"), ==, 2);
  first = json_array_get_object_element (json_object_get_array_member (out, "results"), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "from"), ==, "user:anna");
  g_assert_cmpstr (json_object_get_string_member (first, "to"), ==, "user:bob");
  g_assert_cmpstr (json_object_get_string_member (first, "rule_name"), ==, "Bob's");

  /* Broken rules are refused when saved, and stop assignment when they
   * arrive anyway */
  g_assert_cmpint (cli_run (&r, db, "rules", "assignment", broken, NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "settings:assignment: “rules[0].strategy” must be"));
  cli_sql_exec (db, "UPDATE settings SET json = '{\"rules\": 5}' WHERE name = 'assignment'");
  g_assert_cmpint (cli_run (&r, db, "assign", "--dry-run", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "settings:assignment: “rules” must be a list"));
  g_assert_cmpint (cli_run (&r, db, "rules", NULL), ==, 0);
  g_assert_nonnull (strstr (r.out, "assignment  settings:assignment: “rules” must be a list"));
  g_assert_nonnull (strstr (r.out, "pool        the defaults"));
}

static void
test_claim_and_maintain (void)
{
  g_autofree char *db = cli_db_path ("pool.db");
  g_autofree char *pool_lead = cli_add_lead (db, "--company", "Pool", NULL);
  g_autofree char *forgotten = cli_add_lead (db, "--company", "Forgotten", "--owner", "anna", "--stage", "assigned", NULL);
  g_autofree char *fresh = cli_add_lead (db, "--company", "Fresh", "--owner", "anna", NULL);
  g_autofree char *old_pool = cli_add_lead (db, "--company", "Old pool", NULL);
  g_autofree char *assigned_at = g_strdup_printf ("assigned_at=%" G_GINT64_FORMAT, now_ms () - 3 * DAY_MS);
  g_autofree char *created_at = g_strdup_printf ("created_at=%" G_GINT64_FORMAT, now_ms () - 40 * DAY_MS);
  g_autofree char *bad_pool = write_file ("pool.json", "{\"unclaimed_days\": \"thirty\"}");
  g_autoptr(JsonObject) out = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_auto(CliResult) r = { 0 };
  JsonObject *item;

  cli_set (db, forgotten, assigned_at, NULL);
  cli_set (db, old_pool, created_at, NULL);

  /* maintain --dry-run says, changes nothing */
  out = run_json (db, "maintain", "--dry-run", "--json", NULL);
  g_assert_true (json_object_get_boolean_member (out, "dry_run"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (out, "recycled")), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (out, "flagged")), ==, 1);
  doc = cli_show_json (db, forgotten);
  g_assert_cmpstr (json_object_get_string_member (doc, "owner"), ==, "user:anna");
  g_clear_pointer (&doc, json_object_unref);

  /* For real: nobody called "Forgotten" in three days; "Old pool" has
   * waited forty */
  g_clear_pointer (&out, json_object_unref);
  out = run_json (db, "maintain", "--json", NULL);
  item = json_array_get_object_element (json_object_get_array_member (out, "recycled"), 0);
  g_assert_cmpstr (json_object_get_string_member (item, "lead"), ==, forgotten);
  g_assert_cmpstr (json_object_get_string_member (item, "owner"), ==, "user:anna");
  item = json_array_get_object_element (json_object_get_array_member (out, "flagged"), 0);
  g_assert_cmpstr (json_object_get_string_member (item, "lead"), ==, old_pool);
  doc = cli_show_json (db, forgotten);
  g_assert_true (json_object_get_null_member (doc, "owner"));
  g_assert_cmpstr (json_object_get_string_member (doc, "stage"), ==, "new");
  g_clear_pointer (&doc, json_object_unref);
  doc = cli_show_json (db, fresh);
  g_assert_cmpstr (json_object_get_string_member (doc, "owner"), ==, "user:anna");
  g_clear_pointer (&doc, json_object_unref);
  doc = cli_show_json (db, old_pool);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (doc, "tags"), 0), ==, "unclaimed");
  g_clear_pointer (&doc, json_object_unref);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM activities WHERE lead_id = ? AND reason = 'recycle'", forgotten),
                   ==, 1);
  g_assert_cmpint (cli_run (&r, db, "maintain", NULL), ==, 0);
  g_assert_cmpstr (r.out, ==, "Nothing to do\n");

  /* Claims: the flag goes; someone else's lead is refused */
  g_assert_cmpint (cli_run (&r, db, "claim", old_pool, "--user", "bob", NULL), ==, 0);
  g_assert_cmpstr (r.out, ==, "“Old pool” is now bob’s\n");
  doc = cli_show_json (db, old_pool);
  g_assert_cmpstr (json_object_get_string_member (doc, "owner"), ==, "user:bob");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (doc, "tags")), ==, 0);
  g_assert_cmpint (cli_run (&r, db, "claim", old_pool, "--user", "anna", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "“Old pool” is not in the pool: bob owns it"));
  g_assert_cmpint (cli_run (&r, db, "config", "user", "carol", NULL), ==, 0);
  g_assert_cmpint (cli_run (&r, db, "claim", pool_lead, NULL), ==, 0);
  g_assert_cmpstr (r.out, ==, "“Pool” is now carol’s\n");
  g_assert_cmpint (cli_run (&r, db, "claim", NULL), ==, 2);

  /* The rules: shown with their defaults, refused when wrong */
  g_clear_pointer (&out, json_object_unref);
  out = run_json (db, "rules", "pool", NULL);
  g_assert_cmpint (json_object_get_int_member (out, "recycle_hours"), ==, 48);
  g_assert_cmpint (json_object_get_int_member (out, "unclaimed_days"), ==, 30);
  g_assert_cmpint (cli_run (&r, db, "rules", "pool", bad_pool, NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "settings:pool: “unclaimed_days” must be a whole number"));
  g_assert_cmpint (cli_run (&r, db, "rules", "bogus", NULL), ==, 2);
  g_assert_nonnull (strstr (r.err, "the rules are cadence, scoring, assignment, pool"));
  g_assert_cmpint (cli_run (&r, db, "rules", "pool", "/nonexistent/pool.json", NULL), ==, 1);
  cli_sql_exec (db, "INSERT INTO settings (name, json) VALUES ('pool', '{\"version\": 9}')");
  g_assert_cmpint (cli_run (&r, db, "maintain", NULL), ==, 1);
  g_assert_nonnull (strstr (r.err, "settings:pool was written by a newer version of Leadkeeper"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/rules/help", test_help);
  g_test_add_func ("/cli/rules/followup-add", test_followup_add);
  g_test_add_func ("/cli/rules/followup-too-often-and-errors", test_followup_too_often_and_errors);
  g_test_add_func ("/cli/rules/event-and-scoring", test_event_and_scoring);
  g_test_add_func ("/cli/rules/agenda", test_agenda);
  g_test_add_func ("/cli/rules/assign", test_assign);
  g_test_add_func ("/cli/rules/claim-and-maintain", test_claim_and_maintain);

  return g_test_run ();
}
