/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-pool"

#include <string.h>

#include "lk-maintain.h"
#include "lk-store-followups.h"
#include "lk-store-rules.h"
#include "lk-test-util.h"

/* The pool: claiming, recycling leads nobody contacted (to the hour),
 * flagging leads nobody claimed, and lk_maintain() that runs both.
 *
 * Not here: two reps claiming the same lead on two desktops. Both claims
 * succeed locally; which one stands is decided by sync's merge (the first
 * to reach the server; the other becomes a conflict on the owner). That
 * needs two clients and a server: the sync harness's tests. */

static LkPool *
pool_of (LkTestDb *db)
{
  g_autoptr(GError) error = NULL;
  LkPool *pool = lk_store_get_pool (db->store, &error);

  g_assert_no_error (error);
  return pool;
}

static LkLead *
reread (LkTestDb   *db,
        const char *id)
{
  g_autoptr(GError) error = NULL;
  LkLead *lead = lk_store_get_lead (db->store, id, &error);

  g_assert_no_error (error);
  return lead;
}

static LkMaintainReport *
maintain (LkTestDb *db,
          gboolean  dry_run)
{
  g_autoptr(GError) error = NULL;
  LkMaintainReport *report = lk_maintain (db->store, dry_run, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static void
add_member (LkStore    *store,
            const char *name,
            gint64      capacity)
{
  g_autoptr(LkUser) user = lk_user_new (name, NULL, "rep");

  lk_record_set_int (LK_RECORD (user), LK_USER_CAPACITY, capacity);
  g_assert_true (lk_store_save_user (store, user, NULL));
}

static void
test_claim (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkPool) pool = pool_of (db);
  g_autoptr(LkLead) created = lk_test_create_lead (db->store, "company", "Acme", "tags", "unclaimed,VIP", NULL);
  g_autoptr(LkLead) gone = lk_test_create_lead (db->store, "company", "Gone", NULL);
  const char *id = lk_record_get_id (LK_RECORD (created));
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *by = NULL;
  g_autofree char *tags = NULL;

  add_member (db->store, "tester", 0);
  add_member (db->store, "anna", 0);
  lk_clock_advance_ms (db->clock, LK_TEST_HOUR_MS);

  /* The store's user claims it: theirs, Assigned, logged, no longer flagged */
  g_assert_true (lk_pool_claim (pool, db->store, id, NULL, &error));
  g_assert_no_error (error);
  lead = reread (db, id);
  g_assert_cmpstr (lk_lead_get_owner (lead), ==, "user:tester");
  g_assert_cmpstr (lk_lead_get_stage (lead), ==, "assigned");
  g_assert_cmpint (lk_record_get_int (LK_RECORD (lead), LK_LEAD_ASSIGNED_AT), ==, LK_TEST_NOW_MS + LK_TEST_HOUR_MS);
  tags = g_strjoinv (",", (char **) lk_record_get_tags (LK_RECORD (lead), LK_LEAD_TAGS));
  g_assert_cmpstr (tags, ==, "VIP");
  reason = lk_test_sql_text (lk_test_db_peek (db), "SELECT reason FROM activities WHERE lead_id = ? "
                                                   "AND kind = 'assignment' AND owner_to = 'user:tester'", id, NULL);
  g_assert_cmpstr (reason, ==, "claim");
  by = lk_test_sql_text (lk_test_db_peek (db), "SELECT by_user FROM activities WHERE lead_id = ?", id, NULL);
  g_assert_cmpstr (by, ==, "user:tester");

  /* Claiming one's own lead again changes nothing */
  g_assert_true (lk_pool_claim (pool, db->store, id, "user:tester", &error));
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT count(*) FROM activities WHERE lead_id = ?",
                                    id, NULL), ==, 1);

  /* Someone else's lead is not in the pool: refused, with whose it is */
  g_assert_false (lk_pool_claim (pool, db->store, id, "user:anna", &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_GATE);
  g_assert_cmpstr (error->message, ==, "“Acme” is not in the pool: tester owns it");
  g_clear_error (&error);

  g_assert_true (lk_store_delete_lead (db->store, lk_record_get_id (LK_RECORD (gone)), NULL));
  g_assert_false (lk_pool_claim (pool, db->store, lk_record_get_id (LK_RECORD (gone)), "user:anna", &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (lk_pool_claim (pool, db->store, "lead:nope", "user:anna", &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_NOT_FOUND);
}

static void
test_claim_capacity (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkPool) pool = pool_of (db);
  g_autoptr(LkLead) owned = lk_test_create_lead (db->store, "company", "Owned", "owner", "user:anna", NULL);
  g_autoptr(LkLead) closed = lk_test_create_lead (db->store, "company", "Closed", "owner", "user:anna",
                                                  "stage", "won", NULL);
  g_autoptr(LkLead) first = lk_test_create_lead (db->store, "company", "First", NULL);
  g_autoptr(LkLead) second = lk_test_create_lead (db->store, "company", "Second", NULL);
  g_autoptr(GError) error = NULL;

  add_member (db->store, "anna", 2);
  /* One open lead (the won one does not count): one more fits */
  g_assert_true (lk_pool_claim (pool, db->store, lk_record_get_id (LK_RECORD (first)), "user:anna", &error));
  g_assert_no_error (error);
  g_assert_false (lk_pool_claim (pool, db->store, lk_record_get_id (LK_RECORD (second)), "user:anna", &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_GATE);
  g_assert_nonnull (strstr (error->message, "anna has 2 open leads, as many as their capacity"));
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT count(*) FROM leads WHERE owner IS NULL", NULL),
                   ==, 1);
}

static void
test_recycle_timing (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) assigned = lk_test_create_lead (db->store, "company", "Assigned", "owner", "user:anna",
                                                    "stage", "assigned", NULL);
  g_autoptr(LkLead) contacted = lk_test_create_lead (db->store, "company", "Called", "owner", "user:anna",
                                                     "stage", "assigned", NULL);
  g_autoptr(LkLead) moved_on = lk_test_create_lead (db->store, "company", "Moved on", "owner", "user:anna",
                                                    "stage", "qualified", NULL);
  g_autoptr(LkLead) won = lk_test_create_lead (db->store, "company", "Won", "owner", "user:anna",
                                               "stage", "won", NULL);
  const char *id = lk_record_get_id (LK_RECORD (assigned));
  g_autoptr(LkMaintainReport) report = NULL;
  g_autoptr(LkActivity) followup = lk_activity_new (lk_record_get_id (LK_RECORD (contacted)), "followup");
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *activity_id = NULL;
  g_autofree char *recycle_id = NULL;
  g_autofree char *rule = NULL;
  g_autofree char *from = NULL;
  gint64 outbox;

  lk_record_set_string (LK_RECORD (followup), LK_ACTIVITY_METHOD, "phone");
  lk_record_set_string (LK_RECORD (followup), LK_ACTIVITY_SUMMARY, "Reached them");
  g_assert_true (lk_store_log_followup (db->store, followup, NULL, &error));
  g_assert_no_error (error);

  /* A minute short of 48 hours: nothing */
  lk_clock_advance_ms (db->clock, 48 * LK_TEST_HOUR_MS - 60 * 1000);
  report = maintain (db, FALSE);
  g_assert_cmpuint (report->n_recycled, ==, 0);
  g_clear_pointer (&report, lk_maintain_report_free);

  /* At 48 hours: a dry run says so and writes nothing */
  lk_clock_advance_ms (db->clock, 60 * 1000);
  outbox = lk_store_count_outbox (db->store, NULL);
  report = maintain (db, TRUE);
  g_assert_cmpuint (report->n_recycled, ==, 2);
  g_assert_cmpint (lk_store_count_outbox (db->store, NULL), ==, outbox);
  g_clear_pointer (&report, lk_maintain_report_free);
  lead = reread (db, id);
  g_assert_cmpstr (lk_lead_get_owner (lead), ==, "user:anna");
  g_clear_object (&lead);

  /* … and the real run returns the two nobody called: the oldest first */
  report = maintain (db, FALSE);
  g_assert_cmpuint (report->n_recycled, ==, 2);
  g_assert_cmpuint (report->changes->len, ==, 2);
  {
    LkPoolChange *change = g_ptr_array_index (report->changes, 0);

    g_assert_cmpint (change->kind, ==, LK_POOL_RECYCLED);
    g_assert_cmpstr (change->lead_id, ==, id);
    g_assert_cmpstr (change->lead_name, ==, "Assigned");
    g_assert_cmpstr (change->owner, ==, "user:anna");
    g_assert_cmpint (change->since, ==, LK_TEST_NOW_MS);
  }
  lead = reread (db, id);
  g_assert_null (lk_lead_get_owner (lead));
  g_assert_cmpint (lk_record_get_int (LK_RECORD (lead), LK_LEAD_ASSIGNED_AT), ==, 0);
  /* Back to New from Assigned; a lead further on keeps its stage */
  g_assert_cmpstr (lk_lead_get_stage (lead), ==, "new");
  g_clear_object (&lead);
  lead = reread (db, lk_record_get_id (LK_RECORD (moved_on)));
  g_assert_null (lk_lead_get_owner (lead));
  g_assert_cmpstr (lk_lead_get_stage (lead), ==, "qualified");
  g_clear_object (&lead);
  lead = reread (db, lk_record_get_id (LK_RECORD (contacted)));
  g_assert_cmpstr (lk_lead_get_owner (lead), ==, "user:anna");
  g_clear_object (&lead);
  lead = reread (db, lk_record_get_id (LK_RECORD (won)));
  g_assert_cmpstr (lk_lead_get_owner (lead), ==, "user:anna");

  /* The logged reason: the same document whichever desktop writes it */
  recycle_id = g_strdup_printf ("activity:recycle-%s-%" G_GINT64_FORMAT, id + strlen ("lead:"), LK_TEST_NOW_MS);
  activity_id = lk_test_sql_text (lk_test_db_peek (db), "SELECT id FROM activities WHERE lead_id = ? "
                                                        "AND reason = 'recycle'", id, NULL);
  g_assert_cmpstr (activity_id, ==, recycle_id);
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT at FROM activities WHERE id = ?", recycle_id, NULL),
                   ==, LK_TEST_NOW_MS + 48 * LK_TEST_HOUR_MS);
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT by_user = '' FROM activities WHERE id = ?",
                                    recycle_id, NULL), ==, 1);
  rule = lk_test_sql_text (lk_test_db_peek (db), "SELECT rule FROM activities WHERE id = ?", recycle_id, NULL);
  g_assert_cmpstr (rule, ==, "recycle_hours=48");
  from = lk_test_sql_text (lk_test_db_peek (db), "SELECT owner_from FROM activities WHERE id = ?", recycle_id, NULL);
  g_assert_cmpstr (from, ==, "user:anna");
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT count(*) FROM stage_changes WHERE lead_id = ? "
                                                         "AND from_stage = 'assigned' AND to_stage = 'new'", id, NULL),
                   ==, 1);
  g_clear_pointer (&report, lk_maintain_report_free);

  /* Run again: nothing more */
  report = maintain (db, FALSE);
  g_assert_cmpuint (report->changes->len, ==, 0);
}

static void
test_recycle_settings (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) lead = lk_test_create_lead (db->store, "company", "Acme", "owner", "user:anna", NULL);
  g_autoptr(LkMaintainReport) report = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_store_set_rules_json (db->store, "pool", "{\"version\": 1, \"recycle_hours\": 24}", &error));
  g_assert_no_error (error);
  lk_clock_advance_ms (db->clock, 24 * LK_TEST_HOUR_MS);
  g_assert_true (lk_store_set_rules_json (db->store, "pool", "{\"recycle\": false}", &error));
  report = maintain (db, FALSE);
  g_assert_cmpuint (report->n_recycled, ==, 0);
  g_clear_pointer (&report, lk_maintain_report_free);
  g_assert_true (lk_store_set_rules_json (db->store, "pool", "{\"recycle_hours\": 24}", &error));
  report = maintain (db, FALSE);
  g_assert_cmpuint (report->n_recycled, ==, 1);
  g_clear_pointer (&report, lk_maintain_report_free);

  /* A malformed settings:pool stops the upkeep, with the reason */
  g_assert_true (lk_store_set_setting (db->store, "pool", "{\"recycle_hours\": -1}", &error));
  g_assert_null (lk_maintain (db->store, FALSE, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "settings:pool: “recycle_hours” must be a whole number from 1 to 8760, not -1");
  g_clear_error (&error);
  g_assert_false (lk_store_set_rules_json (db->store, "pool", "{\"flag_tag\": \" \"}", &error));
  g_assert_nonnull (strstr (error->message, "“flag_tag” must be a tag"));
}

static void
test_flag_unclaimed (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) old = lk_test_create_lead (db->store, "company", "Old", NULL);
  g_autoptr(LkLead) recycled = lk_test_create_lead (db->store, "company", "Recycled", "owner", "user:anna", NULL);
  g_autoptr(LkLead) closed = lk_test_create_lead (db->store, "company", "Lost", "stage", "lost",
                                                  "lost_reason", "No budget", NULL);
  g_autoptr(LkLead) newer = NULL;
  g_autoptr(LkMaintainReport) report = NULL;
  g_autoptr(LkPool) pool = pool_of (db);
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(LkLeadQuery) query = lk_lead_query_new ();
  g_autoptr(GArray) flagged = NULL;
  g_autoptr(GError) error = NULL;
  const char *old_id = lk_record_get_id (LK_RECORD (old));

  /* Twenty days on, a new lead; "Recycled" goes back to the pool when its
   * 48 hours are up */
  lk_clock_advance_ms (db->clock, 20 * LK_TEST_DAY_MS);
  newer = lk_test_create_lead (db->store, "company", "Newer", NULL);
  report = maintain (db, FALSE);
  g_assert_cmpuint (report->n_recycled, ==, 1);
  g_assert_cmpuint (report->n_flagged, ==, 0);
  g_clear_pointer (&report, lk_maintain_report_free);

  /* A minute before 30 days in the pool, and at 30 days */
  lk_clock_advance_ms (db->clock, 10 * LK_TEST_DAY_MS - 60 * 1000);
  report = maintain (db, FALSE);
  g_assert_cmpuint (report->n_flagged, ==, 0);
  g_clear_pointer (&report, lk_maintain_report_free);
  lk_clock_advance_ms (db->clock, 60 * 1000);
  report = maintain (db, TRUE);
  g_assert_cmpuint (report->n_flagged, ==, 1);
  g_clear_pointer (&report, lk_maintain_report_free);
  report = maintain (db, FALSE);
  /* Only "Old": "Recycled" entered the pool 28 days ago, "Newer" 10, a
   * lost lead needs nobody */
  g_assert_cmpuint (report->n_flagged, ==, 1);
  g_assert_cmpstr (((LkPoolChange *) g_ptr_array_index (report->changes, 0))->lead_id, ==, old_id);
  g_assert_cmpint (((LkPoolChange *) g_ptr_array_index (report->changes, 0))->since, ==, LK_TEST_NOW_MS);
  g_clear_pointer (&report, lk_maintain_report_free);
  /* The flag is a tag: the board's and the table's tag filter find it */
  lk_lead_query_set_tag (query, "unclaimed");
  flagged = lk_store_query_rowids (db->store, query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (flagged->len, ==, 1);
  g_assert_cmpint (g_array_index (flagged, gint64, 0), ==, lk_store_lookup_rowid (db->store, old_id));
  g_clear_pointer (&flagged, g_array_unref);

  /* Flagged once only */
  report = maintain (db, FALSE);
  g_assert_cmpuint (report->changes->len, ==, 0);
  g_clear_pointer (&report, lk_maintain_report_free);

  /* Claimed: the tag goes at once */
  g_assert_true (lk_pool_claim (pool, db->store, old_id, "user:anna", &error));
  flagged = lk_store_query_rowids (db->store, query, &error);
  g_assert_cmpuint (flagged->len, ==, 0);
  g_clear_pointer (&flagged, g_array_unref);

  /* Recycled (28 days ago) reaches 30 days; then it gets an owner the way
   * an import or another desktop gives one, without the rules: the next
   * upkeep takes the tag off */
  lk_clock_advance_ms (db->clock, 2 * LK_TEST_DAY_MS);
  report = maintain (db, FALSE);
  g_assert_cmpuint (report->n_flagged, ==, 1);
  g_clear_pointer (&report, lk_maintain_report_free);
  lead = reread (db, lk_record_get_id (LK_RECORD (recycled)));
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_OWNER, "user:bob");
  {
    g_autoptr(GPtrArray) records = g_ptr_array_new ();

    g_ptr_array_add (records, lead);
    g_assert_true (lk_store_put_records (db->store, records, &error));
  }
  report = maintain (db, FALSE);
  g_assert_cmpuint (report->n_unflagged, ==, 1);
  g_assert_cmpuint (report->n_flagged, ==, 0);
  g_clear_object (&lead);
  lead = reread (db, lk_record_get_id (LK_RECORD (recycled)));
  g_assert_null (lk_record_get_tags (LK_RECORD (lead), LK_LEAD_TAGS)[0]);
  g_clear_pointer (&report, lk_maintain_report_free);

  /* unclaimed_days 0: no flags */
  g_assert_true (lk_store_set_rules_json (db->store, "pool", "{\"unclaimed_days\": 0}", &error));
  lk_clock_advance_ms (db->clock, 100 * LK_TEST_DAY_MS);
  report = maintain (db, FALSE);
  g_assert_cmpuint (report->n_flagged, ==, 0);
  (void) closed;
  (void) newer;
}

static void
test_maintain_order (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) forgotten = lk_test_create_lead (db->store, "company", "Forgotten", "owner", "user:anna", NULL);
  g_autoptr(LkMaintainReport) dry = NULL;
  g_autoptr(LkMaintainReport) real = NULL;
  g_autoptr(LkMaintainReport) next = NULL;

  /* Forty days without upkeep: the lead was due back 38 days ago. The run
   * that returns it does not flag it too, and its dry run says the same;
   * the next run flags it */
  lk_clock_advance_ms (db->clock, 40 * LK_TEST_DAY_MS);
  dry = maintain (db, TRUE);
  real = maintain (db, FALSE);
  g_assert_cmpuint (dry->n_recycled, ==, 1);
  g_assert_cmpuint (dry->n_flagged, ==, 0);
  g_assert_cmpuint (real->n_recycled, ==, dry->n_recycled);
  g_assert_cmpuint (real->n_flagged, ==, dry->n_flagged);
  lk_clock_advance_ms (db->clock, LK_TEST_HOUR_MS);
  next = maintain (db, FALSE);
  g_assert_cmpuint (next->n_flagged, ==, 1);
  g_assert_cmpint (((LkPoolChange *) g_ptr_array_index (next->changes, 0))->since, ==,
                   LK_TEST_NOW_MS + 48 * LK_TEST_HOUR_MS);
  (void) forgotten;
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/pool/claim", test_claim);
  g_test_add_func ("/pool/claim-capacity", test_claim_capacity);
  g_test_add_func ("/pool/recycle-timing", test_recycle_timing);
  g_test_add_func ("/pool/recycle-settings", test_recycle_settings);
  g_test_add_func ("/pool/flag-unclaimed", test_flag_unclaimed);
  g_test_add_func ("/pool/maintain-order", test_maintain_order);

  return g_test_run ();
}
