/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-demo"

#include "lk-demo.h"
#include "lk-test-util.h"

/* Sample data, and the store's own health check over it. */

#define N_DEMO 300

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  double *last = user_data;

  g_assert_cmpfloat (fraction, >, *last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  *last = fraction;
}

static LkTestDb *
demo_db (guint32 seed)
{
  LkTestDb *db = lk_test_db_new ();
  g_autoptr(GError) error = NULL;
  double last = 0.0;

  g_assert_true (lk_demo_generate (db->store, N_DEMO, seed, NULL, progress_cb, &last, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (last, ==, 1.0);
  return db;
}

static GPtrArray *
problems_of (LkStore *store)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *problems = lk_store_check (store, &error);

  g_assert_no_error (error);
  g_assert_nonnull (problems);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", (char *) g_ptr_array_index (problems, i));
  return problems;
}

static void
assert_healthy (LkStore *store)
{
  g_autoptr(GPtrArray) problems = problems_of (store);

  g_assert_cmpuint (problems->len, ==, 0);
}

static void
assert_problem (LkStore    *store,
                const char *words)
{
  g_autoptr(GPtrArray) problems = problems_of (store);
  gboolean found = FALSE;

  g_assert_cmpuint (problems->len, >=, 1);
  for (guint i = 0; i < problems->len; i++)
    if (strstr (g_ptr_array_index (problems, i), words) != NULL)
      found = TRUE;
  g_assert_true (found);
}

static char *
column_list (LkTestDb   *db,
             const char *sql)
{
  return lk_test_sql_text (lk_test_db_peek (db), sql, NULL);
}

static void
test_demo_data (void)
{
  g_autoptr(LkTestDb) db = demo_db (1);
  sqlite3 *peek = lk_test_db_peek (db);
  g_autoptr(GPtrArray) totals = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLeadQuery) all = lk_lead_query_new ();
  g_autoptr(GPtrArray) leads = NULL;
  guint n_contacted = 0;

  assert_healthy (db->store);
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, N_DEMO);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM users", NULL), ==, 6);

  /* Several reps own leads, and some wait in the pool */
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(DISTINCT owner) FROM leads", NULL), >=, 4);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM leads WHERE owner IS NULL", NULL), >, 0);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM leads WHERE owner IS NOT NULL "
                                          "AND owner NOT IN (SELECT id FROM users)", NULL), ==, 0);

  /* Leads in every stage */
  totals = lk_store_stage_totals (db->store, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < totals->len; i++)
    {
      LkStageTotal *total = g_ptr_array_index (totals, i);

      g_test_message ("%s: %" G_GINT64_FORMAT, total->stage, total->count);
      g_assert_cmpint (total->count, >, 0);
    }

  /* Every record written is queued for sync */
  g_assert_cmpint (lk_store_count_outbox (db->store, NULL), ==,
                   lk_test_sql_int (peek, "SELECT (SELECT count(*) FROM leads) + (SELECT count(*) FROM users) + "
                                          "(SELECT count(*) FROM activities) + (SELECT count(*) FROM stage_changes)",
                                    NULL));

  /* Each lead's history starts with its creation and ends where it is */
  leads = lk_store_query_leads (db->store, all, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (leads->len, ==, N_DEMO);
  for (guint i = 0; i < leads->len; i++)
    {
      LkLead *lead = g_ptr_array_index (leads, i);
      const char *id = lk_record_get_id (LK_RECORD (lead));
      g_autoptr(GPtrArray) history = lk_store_list_stage_changes (db->store, id, &error);
      LkRecord *first, *last;

      g_assert_no_error (error);
      g_assert_cmpuint (history->len, >=, 1);
      first = g_ptr_array_index (history, 0);
      last = g_ptr_array_index (history, history->len - 1);
      g_assert_cmpstr (lk_record_get_string (first, LK_STAGE_CHANGE_FROM), ==, "");
      g_assert_cmpstr (lk_record_get_string (first, LK_STAGE_CHANGE_TO), ==, "new");
      g_assert_cmpint (lk_record_get_int (first, LK_STAGE_CHANGE_AT), ==,
                       lk_record_get_int (LK_RECORD (lead), LK_LEAD_CREATED_AT));
      g_assert_cmpstr (lk_record_get_string (last, LK_STAGE_CHANGE_TO), ==, lk_lead_get_stage (lead));
      g_assert_cmpint (lk_record_get_int (last, LK_STAGE_CHANGE_AT), ==,
                       lk_record_get_int (LK_RECORD (lead), LK_LEAD_STAGE_ENTERED_AT));
      for (guint j = 1; j < history->len; j++)
        {
          LkRecord *prev = g_ptr_array_index (history, j - 1);
          LkRecord *change = g_ptr_array_index (history, j);

          /* A chain: each move starts where the previous one ended */
          g_assert_cmpstr (lk_record_get_string (change, LK_STAGE_CHANGE_FROM), ==,
                           lk_record_get_string (prev, LK_STAGE_CHANGE_TO));
          g_assert_cmpint (lk_record_get_int (change, LK_STAGE_CHANGE_AT), >=,
                           lk_record_get_int (prev, LK_STAGE_CHANGE_AT));
        }
      g_assert_cmpint (lk_record_get_int (LK_RECORD (lead), LK_LEAD_CREATED_AT), <, LK_TEST_NOW_MS);

      if (g_str_equal (lk_lead_get_stage (lead), "lost"))
        {
          const char *reason = lk_record_get_string (LK_RECORD (lead), LK_LEAD_LOST_REASON);

          g_assert_cmpstr (reason, !=, "");
          g_assert_cmpstr (lk_record_get_string (last, LK_STAGE_CHANGE_REASON), ==, reason);
        }
      if (g_str_equal (lk_lead_get_stage (lead), "contacted"))
        {
          g_autoptr(GPtrArray) activities = lk_store_list_activities (db->store, id, &error);

          /* Contacted leads were followed up, and say when */
          g_assert_no_error (error);
          g_assert_cmpuint (activities->len, >=, 1);
          g_assert_cmpstr (lk_record_get_string (g_ptr_array_index (activities, 0), LK_ACTIVITY_KIND), ==, "followup");
          g_assert_cmpint (lk_record_get_int (LK_RECORD (lead), LK_LEAD_FIRST_CONTACTED_AT), >, 0);
          g_assert_cmpint (lk_record_get_int (LK_RECORD (lead), LK_LEAD_LAST_CONTACTED_AT), >=,
                           lk_record_get_int (LK_RECORD (lead), LK_LEAD_FIRST_CONTACTED_AT));
          n_contacted++;
        }
    }
  g_assert_cmpuint (n_contacted, >, 0);

  /* Some follow-ups are overdue: the agenda has something to show */
  lk_lead_query_set_overdue (all, TRUE);
  {
    g_autoptr(GArray) overdue = lk_store_query_rowids (db->store, all, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (overdue->len, >, 0);
  }
}

static void
test_demo_same_seed (void)
{
  static const char companies_sql[] = "SELECT group_concat(company, '|') FROM (SELECT company FROM leads ORDER BY code)";
  static const char stages_sql[] = "SELECT group_concat(stage || '=' || n, ' ') FROM "
                                   "(SELECT stage, count(*) AS n FROM leads GROUP BY stage ORDER BY stage)";
  static const char amounts_sql[] = "SELECT sum(amount) FROM leads";
  g_autoptr(LkTestDb) a = demo_db (7);
  g_autoptr(LkTestDb) b = demo_db (7);
  g_autoptr(LkTestDb) c = demo_db (8);
  g_autofree char *companies_a = column_list (a, companies_sql);
  g_autofree char *companies_b = column_list (b, companies_sql);
  g_autofree char *companies_c = column_list (c, companies_sql);
  g_autofree char *stages_a = column_list (a, stages_sql);
  g_autofree char *stages_b = column_list (b, stages_sql);
  g_autofree char *stages_c = column_list (c, stages_sql);

  g_test_message ("%s", stages_a);
  g_assert_cmpstr (companies_a, ==, companies_b);
  g_assert_cmpstr (stages_a, ==, stages_b);
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (a), amounts_sql, NULL), ==,
                   lk_test_sql_int (lk_test_db_peek (b), amounts_sql, NULL));
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (a), "SELECT count(*) FROM activities", NULL), ==,
                   lk_test_sql_int (lk_test_db_peek (b), "SELECT count(*) FROM activities", NULL));
  /* … and another seed makes other data */
  g_assert_cmpstr (companies_a, !=, companies_c);
  g_assert_cmpstr (stages_a, !=, stages_c);
}

/* Sample data added twice continues the codes instead of repeating them */
static void
test_demo_twice (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  sqlite3 *peek = lk_test_db_peek (db);
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_demo_generate (db->store, 20, 1, NULL, NULL, NULL, &error));
  g_assert_true (lk_demo_generate (db->store, 20, 2, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, 40);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(DISTINCT code) FROM leads", NULL), ==, 40);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM users", NULL), ==, 6);
  assert_healthy (db->store);
}

static void
test_demo_cancel (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (lk_demo_generate (db->store, 50, 1, cancellable, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, 0);
}

static void
test_check_finds_problems (void)
{
  g_autoptr(LkTestDb) db = demo_db (3);
  sqlite3 *peek = lk_test_db_peek (db);
  g_autofree char *id = NULL;
  g_autofree char *tagged = NULL;
  g_autofree char *tag = NULL;
  g_autofree char *rowid = NULL;
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(GError) error = NULL;

  assert_healthy (db->store);

  /* A lead missing from the search index */
  id = lk_test_sql_text (peek, "SELECT id FROM leads WHERE deleted = 0 ORDER BY rowid LIMIT 1", NULL);
  lk_test_sql_exec (peek, "DELETE FROM leads_search WHERE rowid = (SELECT min(rowid) FROM leads)");
  assert_problem (db->store, "search index");
  /* An edit of a searched field indexes it again */
  lead = lk_store_get_lead (db->store, id, &error);
  g_assert_no_error (error);
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_NOTES, "re-indexed");
  g_assert_true (lk_store_update_lead (db->store, lead, NULL, &error));
  g_assert_no_error (error);
  assert_healthy (db->store);

  /* … and another, the last one */
  lk_test_sql_exec (peek, "DELETE FROM leads_search WHERE rowid = (SELECT max(rowid) FROM leads)");
  assert_problem (db->store, "search index");
  g_clear_object (&lead);
  g_free (id);
  id = lk_test_sql_text (peek, "SELECT id FROM leads ORDER BY rowid DESC LIMIT 1", NULL);
  lead = lk_store_get_lead (db->store, id, &error);
  g_assert_no_error (error);
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_CONTACT, "Re Indexed");
  g_assert_true (lk_store_update_lead (db->store, lead, NULL, &error));
  g_assert_no_error (error);
  assert_healthy (db->store);

  /* A tag row gone */
  tagged = lk_test_sql_text (peek, "SELECT lead_rowid FROM lead_tags ORDER BY lead_rowid LIMIT 1", NULL);
  g_assert_nonnull (tagged);
  tag = lk_test_sql_text (peek, "SELECT tag FROM lead_tags WHERE lead_rowid = ? LIMIT 1", tagged, NULL);
  lk_test_sql_int (peek, "DELETE FROM lead_tags WHERE lead_rowid = ? AND tag = ?", tagged, tag, NULL);
  assert_problem (db->store, "tag index");
  lk_test_sql_int (peek, "INSERT INTO lead_tags (tag, lead_rowid) VALUES (?, ?)", tag, tagged, NULL);
  assert_healthy (db->store);

  /* A search row of no lead */
  lk_test_sql_exec (peek, "INSERT INTO leads_search (rowid, body) VALUES (987654, 'ghost')");
  assert_problem (db->store, "no lead");
  lk_test_sql_exec (peek, "DELETE FROM leads_search WHERE rowid = 987654");
  assert_healthy (db->store);

  /* A text the search index was not made from */
  lk_test_sql_exec (peek, "UPDATE leads_search_content SET c0 = 'changed behind its back' "
                          "WHERE id = (SELECT min(id) FROM leads_search_content)");
  assert_problem (db->store, "does not match");
  lk_test_sql_exec (peek, "INSERT INTO leads_search (leads_search) VALUES ('rebuild')");
  assert_healthy (db->store);

  /* A stage the pipeline does not know */
  rowid = lk_test_sql_text (peek, "SELECT max(rowid) FROM leads", NULL);
  lk_test_sql_int (peek, "UPDATE leads SET stage = 'negotiation' WHERE rowid = ?", rowid, NULL);
  assert_problem (db->store, "negotiation");
  lk_test_sql_int (peek, "UPDATE leads SET stage = 'new' WHERE rowid = ?", rowid, NULL);
  assert_healthy (db->store);

  /* An edited lead that sync would never send */
  lk_test_sql_int (peek, "DELETE FROM outbox WHERE doc_id = ?", id, NULL);
  assert_problem (db->store, "not queued");
}

/* Sample data the window adds stays on this desktop: nothing is queued
 * for sync until someone edits a sample lead. */
static void
test_local_only (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) worker = lk_store_open_worker (db->store, &error);
  g_autofree char *id = NULL;
  sqlite3 *peek = lk_test_db_peek (db);

  g_assert_no_error (error);
  lk_store_set_local_only (worker, TRUE);
  g_assert_true (lk_demo_generate (worker, 30, 1, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM leads", NULL), ==, 30);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM outbox", NULL), ==, 0);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM leads WHERE dirty = 1", NULL), ==, 0);
  g_assert_cmpint (lk_store_count_outbox (db->store, NULL), ==, 0);

  /* An edit of a sample lead on the ordinary connection is an edit like any other */
  id = lk_test_sql_text (peek, "SELECT id FROM leads WHERE stage = 'new' ORDER BY rowid LIMIT 1", NULL);
  g_assert_true (lk_store_move_lead (db->store, id, "contacted", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM outbox WHERE doc_id = ?", id, NULL), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/demo/data", test_demo_data);
  g_test_add_func ("/demo/same-seed", test_demo_same_seed);
  g_test_add_func ("/demo/twice", test_demo_twice);
  g_test_add_func ("/demo/cancel", test_demo_cancel);
  g_test_add_func ("/check/finds-problems", test_check_finds_problems);

  g_test_add_func ("/demo/local-only", test_local_only);

  return g_test_run ();
}
