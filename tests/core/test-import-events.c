/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "lk-import.h"
#include "lk-scoring.h"
#include "lk-store-import.h"
#include "lk-store-rules.h"
#include "lk-test-util.h"

/* Behaviour events through the CSV import (issue 5 item 4): the event
 * column and its time, activities of kind `event` written with the rows,
 * the score, invalid types, the skip policy, dry runs and Undo import. */

static void
enable_scoring (LkStore *store)
{
  g_autoptr(LkScoring) scoring = lk_scoring_new_default ();
  g_autoptr(GError) error = NULL;

  lk_scoring_set_enabled (scoring, TRUE);
  g_assert_true (lk_store_set_scoring (store, scoring, &error));
  g_assert_no_error (error);
}

static char *
write_file (LkTestDb   *db,
            const char *name,
            const char *text)
{
  char *path = g_build_filename (db->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
  return path;
}

static LkImport *
run_import (LkTestDb       *db,
            const char     *path,
            LkImportPolicy  policy,
            gboolean        dry_run)
{
  g_autoptr(LkImport) import = lk_import_new (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_import_open (import, NULL, 0, &error));
  g_assert_no_error (error);
  lk_import_set_policy (import, policy);
  g_assert_true (lk_import_run (import, db->store, dry_run, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&import);
}

static LkLead *
find_by_company (LkStore    *store,
                 const char *company)
{
  g_autoptr(LkLeadQuery) query = lk_lead_query_new ();
  g_autoptr(GPtrArray) leads = lk_store_query_leads (store, query, 0, NULL);

  for (guint i = 0; leads != NULL && i < leads->len; i++)
    if (g_str_equal (lk_lead_get_company (g_ptr_array_index (leads, i)), company))
      return g_object_ref (g_ptr_array_index (leads, i));
  return NULL;
}

/* The live events of a lead, oldest first, as "type@at" */
static char *
events_of (LkStore    *store,
           const char *lead_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) activities = lk_store_list_activities (store, lead_id, &error);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = activities->len; i > 0; i--)
    {
      LkRecord *activity = g_ptr_array_index (activities, i - 1);

      if (!g_str_equal (lk_record_get_string (activity, LK_ACTIVITY_KIND), "event"))
        continue;
      g_string_append_printf (out, "%s%s@%" G_GINT64_FORMAT, out->len > 0 ? " " : "",
                              lk_record_get_string (activity, LK_ACTIVITY_EVENT_TYPE),
                              lk_record_get_int (activity, LK_ACTIVITY_AT));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gint64
local_time (LkTestDb *db,
            int       year,
            int       month,
            int       day,
            int       hour,
            int       minute)
{
  g_autoptr(GDateTime) dt = g_date_time_new (lk_clock_get_timezone (db->clock), year, month, day, hour, minute, 0);

  return g_date_time_to_unix (dt) * 1000;
}

static void
test_guess_targets (void)
{
  const struct
  {
    const char     *header;
    LkImportTarget  target;
  } cases[] = {
    { "行为", LK_IMPORT_EVENTS }, { "行为事件", LK_IMPORT_EVENTS }, { "互动行为", LK_IMPORT_EVENTS },
    { "事件", LK_IMPORT_EVENTS }, { "行為", LK_IMPORT_EVENTS }, { "互動", LK_IMPORT_EVENTS },
    { "Behaviour", LK_IMPORT_EVENTS }, { "Behavior", LK_IMPORT_EVENTS }, { "Events", LK_IMPORT_EVENTS },
    { "Activities", LK_IMPORT_EVENTS }, { "Actions", LK_IMPORT_EVENTS },
    { "行为时间", LK_IMPORT_EVENT_TIME }, { "行為時間", LK_IMPORT_EVENT_TIME },
    { "Event time", LK_IMPORT_EVENT_TIME }, { "Event Date", LK_IMPORT_EVENT_TIME },
    /* What meant a campaign still does */
    { "活动", LK_IMPORT_CAMPAIGN }, { "Event", LK_IMPORT_CAMPAIGN },
  };
  LkImportTarget target;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].header);
      g_assert_cmpint (lk_import_guess_target (cases[i].header), ==, cases[i].target);
    }
  g_assert_true (lk_import_target_from_name ("events", &target));
  g_assert_cmpint (target, ==, LK_IMPORT_EVENTS);
  g_assert_true (lk_import_target_from_name ("event_time", &target));
  g_assert_cmpint (target, ==, LK_IMPORT_EVENT_TIME);
  g_assert_cmpstr (lk_import_target_get_name (LK_IMPORT_EVENTS), ==, "events");
}

/* Two events on a row: two activities with their types and the row's
 * time, and a score that counts them; a row without a time gets the
 * import's. */
static void
test_events_scored (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autofree char *path = write_file (db, "events.csv",
                                      "公司,联系人,行为,行为时间\n"
                                      "甲公司,张三,pricing_page; Asked for a quote,2024-05-03 14:30\n"
                                      "乙公司,李四,,\n"
                                      "丙公司,王五,WEBINAR,\n");
  g_autoptr(LkImport) import = NULL;
  g_autoptr(LkLead) with_events = NULL;
  g_autoptr(LkLead) without = NULL;
  g_autoptr(LkLead) webinar = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *events = NULL;
  g_autofree char *expected_now = NULL;
  g_autofree char *events_now = NULL;
  gint64 now = lk_clock_now_ms (db->clock);

  enable_scoring (db->store);
  import = run_import (db, path, LK_IMPORT_DUPLICATES_SKIP, FALSE);
  g_assert_cmpuint (lk_import_get_n_created (import), ==, 3);
  g_assert_cmpuint (lk_import_get_n_invalid (import), ==, 0);
  g_assert_cmpuint (lk_import_get_n_events (import), ==, 3);

  with_events = find_by_company (db->store, "甲公司");
  without = find_by_company (db->store, "乙公司");
  webinar = find_by_company (db->store, "丙公司");
  g_assert_nonnull (with_events);
  g_assert_nonnull (without);
  g_assert_nonnull (webinar);
  expected = g_strdup_printf ("pricing_page@%" G_GINT64_FORMAT " quote_request@%" G_GINT64_FORMAT,
                              local_time (db, 2024, 5, 3, 14, 30), local_time (db, 2024, 5, 3, 14, 30));
  events = events_of (db->store, lk_record_get_id (LK_RECORD (with_events)));
  g_assert_cmpstr (events, ==, expected);
  expected_now = g_strdup_printf ("webinar@%" G_GINT64_FORMAT, now);
  events_now = events_of (db->store, lk_record_get_id (LK_RECORD (webinar)));
  g_assert_cmpstr (events_now, ==, expected_now);
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db),
                                    "SELECT count(*) FROM activities WHERE kind = 'event' AND deleted = 0", NULL),
                   ==, 3);

  /* Default points: pricing page 10, a quote 25, a webinar 10 */
  g_assert_cmpint (lk_record_get_int (LK_RECORD (with_events), LK_LEAD_SCORE) -
                   lk_record_get_int (LK_RECORD (without), LK_LEAD_SCORE), ==, 35);
  g_assert_cmpint (lk_record_get_int (LK_RECORD (webinar), LK_LEAD_SCORE) -
                   lk_record_get_int (LK_RECORD (without), LK_LEAD_SCORE), ==, 10);
  /* The events sync, as the leads do */
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db),
                                    "SELECT count(*) FROM outbox WHERE doc_id IN "
                                    "(SELECT id FROM activities WHERE kind = 'event')", NULL),
                   ==, 3);
}

/* A type nobody knows makes its row invalid, with the line and the known
 * types; the other rows import, their events too. */
static void
test_unknown_type (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autofree char *path = write_file (db, "unknown.csv",
                                      "Company,Contact,Events,Event time\n"
                                      "Acme,Ann,whitepaper,2024-05-03\n"
                                      "Globex,Bob,\"pricing_page, flew to the moon\",\n"
                                      "Initech,Cid,demo_request,yesterday\n"
                                      "Umbrella,Dee,Downloaded a whitepaper,\n");
  g_autoptr(LkImport) import = run_import (db, path, LK_IMPORT_DUPLICATES_SKIP, FALSE);
  GPtrArray *problems = lk_import_get_problems (import);
  LkImportProblem *problem;

  g_assert_cmpuint (lk_import_get_n_created (import), ==, 2);
  g_assert_cmpuint (lk_import_get_n_invalid (import), ==, 2);
  g_assert_cmpuint (lk_import_get_n_events (import), ==, 2);
  g_assert_cmpuint (problems->len, ==, 2);
  problem = g_ptr_array_index (problems, 0);
  g_assert_cmpuint (problem->line, ==, 3);
  g_assert_nonnull (strstr (problem->reason, "“flew to the moon” is not a behaviour event"));
  g_assert_nonnull (strstr (problem->reason, "pricing_page, whitepaper, webinar, quote_request, demo_request"));
  problem = g_ptr_array_index (problems, 1);
  g_assert_cmpuint (problem->line, ==, 4);
  g_assert_nonnull (strstr (problem->reason, "“yesterday” is not a date"));
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, 2);
  /* Nothing of the invalid rows was written: not even the known event */
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db),
                                    "SELECT count(*) FROM activities WHERE kind = 'event' AND event_type = 'pricing_page'",
                                    NULL),
                   ==, 0);
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db),
                                    "SELECT count(*) FROM activities WHERE kind = 'event' AND event_type = 'whitepaper'",
                                    NULL),
                   ==, 2);
}

/* Skip leaves the lead's fields but records the row's events on it; a dry
 * run counts them and writes nothing; Undo import takes them back, and
 * the score with them. */
static void
test_skip_dry_run_and_undo (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) existing = NULL;
  g_autoptr(LkLead) after = NULL;
  g_autoptr(LkLead) undone = NULL;
  g_autoptr(LkImport) dry = NULL;
  g_autoptr(LkImport) import = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_file (db, "skip.csv",
                                      "公司,联系人,手机,职位,互动行为\n"
                                      "华信科技,李雷,13800138000,新职位,价格页;pricing page、Asked for a demo\n"
                                      "恒达物流,王芳,13900000000,,whitepaper\n");
  g_autofree char *events = NULL;
  sqlite3 *peek = lk_test_db_peek (db);
  gint64 outbox, score;
  const char *id;

  enable_scoring (db->store);
  existing = lk_test_create_lead (db->store, "company", "华信科技", "contact", "李雷",
                                  "phone", "+86 138-0013-8000", "title", "老职位", NULL);
  id = lk_record_get_id (LK_RECORD (existing));
  score = lk_record_get_int (LK_RECORD (existing), LK_LEAD_SCORE);
  outbox = lk_store_count_outbox (db->store, NULL);

  /* "价格页" is no event: the row is invalid. Without it, three events. */
  dry = run_import (db, path, LK_IMPORT_DUPLICATES_SKIP, TRUE);
  g_assert_cmpuint (lk_import_get_n_invalid (dry), ==, 1);
  g_assert_cmpuint (lk_import_get_n_events (dry), ==, 1);
  g_clear_object (&dry);
  g_free (path);
  path = write_file (db, "skip.csv",
                     "公司,联系人,手机,职位,互动行为\n"
                     "华信科技,李雷,13800138000,新职位,pricing page、Asked for a demo\n"
                     "恒达物流,王芳,13900000000,,whitepaper\n");

  dry = run_import (db, path, LK_IMPORT_DUPLICATES_SKIP, TRUE);
  g_assert_cmpuint (lk_import_get_n_skipped (dry), ==, 1);
  g_assert_cmpuint (lk_import_get_n_new (dry), ==, 1);
  g_assert_cmpuint (lk_import_get_n_events (dry), ==, 3);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM activities WHERE kind = 'event'", NULL), ==, 0);
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, 1);
  g_assert_cmpint (lk_store_count_outbox (db->store, NULL), ==, outbox);

  import = run_import (db, path, LK_IMPORT_DUPLICATES_SKIP, FALSE);
  g_assert_cmpuint (lk_import_get_n_skipped (import), ==, 1);
  g_assert_cmpuint (lk_import_get_n_created (import), ==, 1);
  g_assert_cmpuint (lk_import_get_n_events (import), ==, 3);
  after = lk_store_get_lead (db->store, id, &error);
  g_assert_no_error (error);
  /* The skipped row's fields are not taken… */
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (after), LK_LEAD_TITLE), ==, "老职位");
  /* …its events are, and they score (pricing page 10, a demo 20). */
  events = events_of (db->store, id);
  g_assert_nonnull (strstr (events, "pricing_page@"));
  g_assert_nonnull (strstr (events, "demo_request@"));
  g_assert_cmpint (lk_record_get_int (LK_RECORD (after), LK_LEAD_SCORE), ==, score + 30);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM import_activities", NULL), ==, 3);

  g_assert_true (lk_import_undo (db->store, lk_import_get_id (import), NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, 1);
  g_clear_pointer (&events, g_free);
  events = events_of (db->store, id);
  g_assert_cmpstr (events, ==, "");
  /* Deleted as tombstones that sync */
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM activities WHERE kind = 'event' AND deleted = 1", NULL),
                   ==, 3);
  g_assert_cmpint (lk_test_sql_int (peek,
                                    "SELECT count(*) FROM outbox WHERE doc_id IN "
                                    "(SELECT id FROM activities WHERE kind = 'event')", NULL),
                   ==, 3);
  undone = lk_store_get_lead (db->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_record_get_int (LK_RECORD (undone), LK_LEAD_SCORE), ==, score);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (undone), LK_LEAD_TITLE), ==, "老职位");
}

/* Update: the events go on the updated lead, in the row's transaction. */
static void
test_update_policy (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) existing = NULL;
  g_autoptr(LkImport) import = NULL;
  g_autofree char *path = write_file (db, "update.csv",
                                      "Company,Contact,Email,Title,Behaviour\n"
                                      "Acme,Ann,ann@acme.example,CTO,webinar\n");
  g_autofree char *events = NULL;

  existing = lk_test_create_lead (db->store, "company", "Acme", "contact", "Ann", "email", "ann@acme.example", NULL);
  import = run_import (db, path, LK_IMPORT_DUPLICATES_UPDATE, FALSE);
  g_assert_cmpuint (lk_import_get_n_updated (import), ==, 1);
  g_assert_cmpuint (lk_import_get_n_events (import), ==, 1);
  events = events_of (db->store, lk_record_get_id (LK_RECORD (existing)));
  g_assert_true (g_str_has_prefix (events, "webinar@"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import-events/guess-targets", test_guess_targets);
  g_test_add_func ("/import-events/scored", test_events_scored);
  g_test_add_func ("/import-events/unknown-type", test_unknown_type);
  g_test_add_func ("/import-events/skip-dry-run-undo", test_skip_dry_run_and_undo);
  g_test_add_func ("/import-events/update", test_update_policy);

  return g_test_run ();
}
