/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-followups"

#include <string.h>

#include "lk-store-followups.h"
#include "lk-store-private.h"
#include "lk-store-rules.h"
#include "lk-test-util.h"

/* Follow-ups, events and tasks in the store: one transaction each with
 * their lead's update; stage triggers on local moves only; the agenda's
 * buckets by local day; the schema step that brought them. Most tests run
 * in Shanghai, where the fake "now" (10:00 UTC) is 18:00 on Wednesday
 * 2024-05-15. */

#define MS(x) G_GINT64_CONSTANT (x)
#define TODAY_0800      MS (1715731200000)
#define TODAY_0900      MS (1715734800000)
#define TODAY_0030      MS (1715704200000)
#define TODAY_2330      MS (1715787000000)
#define TOMORROW_0010   MS (1715789400000)
#define TOMORROW_0900   MS (1715821200000)
#define YESTERDAY_2350  MS (1715701800000)
#define SATURDAY_0900   MS (1715994000000)

static LkTestDb *
db_in_shanghai (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");

  g_assert_nonnull (tz);
  return lk_test_db_new_full (tz);
}

static gint64
count_where (LkTestDb   *db,
             const char *sql,
             const char *id)
{
  return lk_test_sql_int (lk_test_db_peek (db), sql, id, NULL);
}

static gint64
n_activities (LkTestDb   *db,
              const char *lead_id,
              const char *kind)
{
  return lk_test_sql_int (lk_test_db_peek (db),
                          "SELECT count(*) FROM activities WHERE lead_id = ? AND kind = ? AND deleted = 0",
                          lead_id, kind, NULL);
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

static LkActivity *
followup_new (const char *lead_id,
              const char *method,
              const char *summary)
{
  LkActivity *followup = lk_activity_new (lead_id, NULL);

  lk_record_set_string (LK_RECORD (followup), LK_ACTIVITY_METHOD, method);
  lk_record_set_string (LK_RECORD (followup), LK_ACTIVITY_SUMMARY, summary);
  return followup;
}

static void
test_log_followup (void)
{
  g_autoptr(LkTestDb) db = db_in_shanghai ();
  g_autoptr(LkLead) created = lk_test_create_lead (db->store, "company", "华信科技", "grade", "B",
                                                   "owner", "user:tester", NULL);
  const char *id = lk_record_get_id (LK_RECORD (created));
  g_autoptr(LkActivity) followup = followup_new (id, "phone", "谈了报价");
  g_autoptr(LkActivity) stored = NULL;
  g_autoptr(LkTestChanges) changes = NULL;
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(GPtrArray) activities = NULL;
  g_autoptr(GError) error = NULL;
  gboolean too_often = TRUE;
  LkRecord *record;

  lk_test_sql_exec (lk_test_db_peek (db), "DELETE FROM outbox");
  changes = lk_test_changes_new (db->store);
  record = LK_RECORD (followup);
  lk_record_set_string (record, LK_ACTIVITY_FEEDBACK, "价格偏高");
  lk_record_set_string (record, LK_ACTIVITY_NEXT_STEP, "发送方案");
  lk_record_set_int (record, LK_ACTIVITY_NEXT_DUE_AT, TOMORROW_0900);
  lk_record_set_string (record, LK_ACTIVITY_GRADE_TO, "A");
  g_assert_true (lk_store_log_followup (db->store, followup, &too_often, &error));
  g_assert_no_error (error);
  g_assert_false (too_often);
  g_assert_nonnull (lk_record_get_id (record));
  g_assert_true (g_str_has_prefix (lk_record_get_id (record), "activity:"));

  /* The immutable activity, with the grade it changed from */
  activities = lk_store_list_activities (db->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (activities->len, ==, 1);
  stored = g_object_ref (g_ptr_array_index (activities, 0));
  record = LK_RECORD (stored);
  g_assert_cmpstr (lk_record_get_string (record, LK_ACTIVITY_KIND), ==, "followup");
  g_assert_cmpint (lk_record_get_int (record, LK_ACTIVITY_AT), ==, LK_TEST_NOW_MS);
  g_assert_cmpstr (lk_record_get_string (record, LK_ACTIVITY_BY), ==, "user:tester");
  g_assert_cmpstr (lk_record_get_string (record, LK_ACTIVITY_METHOD), ==, "phone");
  g_assert_cmpstr (lk_record_get_string (record, LK_ACTIVITY_FEEDBACK), ==, "价格偏高");
  g_assert_cmpstr (lk_record_get_string (record, LK_ACTIVITY_NEXT_STEP), ==, "发送方案");
  g_assert_cmpint (lk_record_get_int (record, LK_ACTIVITY_NEXT_DUE_AT), ==, TOMORROW_0900);
  g_assert_cmpstr (lk_record_get_string (record, LK_ACTIVITY_GRADE_FROM), ==, "B");
  g_assert_cmpstr (lk_record_get_string (record, LK_ACTIVITY_GRADE_TO), ==, "A");

  /* The lead: contacted now for the first time, next step tomorrow, A */
  lead = reread (db, id);
  record = LK_RECORD (lead);
  g_assert_cmpint (lk_record_get_int (record, LK_LEAD_LAST_CONTACTED_AT), ==, LK_TEST_NOW_MS);
  g_assert_cmpint (lk_record_get_int (record, LK_LEAD_FIRST_CONTACTED_AT), ==, LK_TEST_NOW_MS);
  g_assert_cmpint (lk_record_get_int (record, LK_LEAD_NEXT_FOLLOWUP_AT), ==, TOMORROW_0900);
  g_assert_cmpstr (lk_record_get_string (record, LK_LEAD_GRADE), ==, "A");

  /* One transaction: one ::changed per document type, both queued */
  g_assert_cmpuint (lk_test_changes_count (changes, "lead"), ==, 1);
  g_assert_cmpuint (lk_test_changes_count (changes, "activity"), ==, 1);
  g_assert_cmpint (count_where (db, "SELECT count(*) FROM outbox WHERE doc_id = ?", id), ==, 1);
  g_assert_cmpint (count_where (db, "SELECT count(*) FROM outbox WHERE doc_id = ?",
                                lk_record_get_id (LK_RECORD (followup))), ==, 1);
}

static void
test_followup_times (void)
{
  g_autoptr(LkTestDb) db = db_in_shanghai ();
  g_autoptr(LkLead) created = lk_test_create_lead (db->store, "company", "Acme", "grade", "C", NULL);
  const char *id = lk_record_get_id (LK_RECORD (created));
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) lead = NULL;

  /* Planned for 09:00 today: a call at 18:00 without a next step does it */
  lead = reread (db, id);
  lk_record_set_int (LK_RECORD (lead), LK_LEAD_NEXT_FOLLOWUP_AT, TODAY_0900);
  g_assert_true (lk_store_update_lead (db->store, lead, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(LkActivity) followup = followup_new (id, "wechat", "Sent the catalogue");

    lk_record_set_string (LK_RECORD (followup), LK_ACTIVITY_GRADE_TO, "C");  /* no change */
    g_assert_true (lk_store_log_followup (db->store, followup, NULL, &error));
    g_assert_no_error (error);
    /* The same grade is no grade change */
    g_assert_cmpstr (lk_record_get_string (LK_RECORD (followup), LK_ACTIVITY_GRADE_TO), ==, "");
    g_assert_cmpstr (lk_record_get_string (LK_RECORD (followup), LK_ACTIVITY_GRADE_FROM), ==, "");
  }
  g_clear_object (&lead);
  lead = reread (db, id);
  g_assert_cmpint (lk_record_get_int (LK_RECORD (lead), LK_LEAD_NEXT_FOLLOWUP_AT), ==, 0);

  /* A follow-up entered late (yesterday, before the last contact) moves
   * the first contact back, but neither the last one nor the plan */
  lk_record_set_int (LK_RECORD (lead), LK_LEAD_NEXT_FOLLOWUP_AT, SATURDAY_0900);
  g_assert_true (lk_store_update_lead (db->store, lead, NULL, &error));
  {
    g_autoptr(LkActivity) followup = followup_new (id, "visit", "Visited the plant");

    lk_record_set_int (LK_RECORD (followup), LK_ACTIVITY_AT, YESTERDAY_2350);
    g_assert_true (lk_store_log_followup (db->store, followup, NULL, &error));
    g_assert_no_error (error);
  }
  g_clear_object (&lead);
  lead = reread (db, id);
  g_assert_cmpint (lk_record_get_int (LK_RECORD (lead), LK_LEAD_NEXT_FOLLOWUP_AT), ==, SATURDAY_0900);
  g_assert_cmpint (lk_record_get_int (LK_RECORD (lead), LK_LEAD_LAST_CONTACTED_AT), ==, LK_TEST_NOW_MS);
  g_assert_cmpint (lk_record_get_int (LK_RECORD (lead), LK_LEAD_FIRST_CONTACTED_AT), ==, YESTERDAY_2350);
  g_assert_cmpint (n_activities (db, id, "followup"), ==, 2);

  /* The latest contact without a next step: no plan */
  {
    g_autoptr(LkActivity) followup = followup_new (id, "phone", "Not interested for now");

    lk_clock_advance_ms (db->clock, LK_TEST_HOUR_MS);
    g_assert_true (lk_store_log_followup (db->store, followup, NULL, &error));
  }
  g_clear_object (&lead);
  lead = reread (db, id);
  g_assert_cmpint (lk_record_get_int (LK_RECORD (lead), LK_LEAD_NEXT_FOLLOWUP_AT), ==, 0);
  g_assert_cmpint (lk_record_get_int (LK_RECORD (lead), LK_LEAD_LAST_CONTACTED_AT), ==, LK_TEST_NOW_MS + LK_TEST_HOUR_MS);
}

static void
test_followup_invalid (void)
{
  g_autoptr(LkTestDb) db = db_in_shanghai ();
  g_autoptr(LkLead) created = lk_test_create_lead (db->store, "company", "Acme", NULL);
  g_autoptr(LkLead) gone = lk_test_create_lead (db->store, "company", "Gone Ltd", NULL);
  const char *id = lk_record_get_id (LK_RECORD (created));
  g_autoptr(GError) error = NULL;
  static const struct
  {
    const char *method;
    const char *summary;
    const char *grade;
    gint64      next;
    const char *kind;
    const char *says;
  } cases[] = {
    { NULL,    "Called", NULL, 0, NULL, "needs a method: phone, email, visit, wechat, meeting, other" },
    { "fax",   "Called", NULL, 0, NULL, "“fax” is not a follow-up method" },
    { "phone", " \t",    NULL, 0, NULL, "needs a summary" },
    { "phone", "Called", "D",  0, NULL, "The grade must be A, B or C, not “D”" },
    { "phone", "Called", NULL, YESTERDAY_2350, NULL, "is before the follow-up itself" },
    { "phone", "Called", NULL, 0, "note", "cannot be logged as an activity of kind “note”" },
  };
  gint64 outbox;

  g_assert_true (lk_store_delete_lead (db->store, lk_record_get_id (LK_RECORD (gone)), &error));
  outbox = lk_store_count_outbox (db->store, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LkActivity) followup = followup_new (id, cases[i].method, cases[i].summary);

      g_clear_error (&error);
      if (cases[i].grade)
        lk_record_set_string (LK_RECORD (followup), LK_ACTIVITY_GRADE_TO, cases[i].grade);
      if (cases[i].next)
        lk_record_set_int (LK_RECORD (followup), LK_ACTIVITY_NEXT_DUE_AT, cases[i].next);
      if (cases[i].kind)
        lk_record_set_string (LK_RECORD (followup), LK_ACTIVITY_KIND, cases[i].kind);
      g_assert_false (lk_store_log_followup (db->store, followup, NULL, &error));
      g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
      if (strstr (error->message, cases[i].says) == NULL)
        g_error ("“%s” does not say “%s”", error->message, cases[i].says);
    }
  /* A lead that is not there, or deleted */
  {
    g_autoptr(LkActivity) followup = followup_new ("lead:nope", "phone", "Called");
    g_autoptr(LkActivity) late = followup_new (lk_record_get_id (LK_RECORD (gone)), "phone", "Called");

    g_clear_error (&error);
    g_assert_false (lk_store_log_followup (db->store, followup, NULL, &error));
    g_assert_error (error, LK_ERROR, LK_ERROR_NOT_FOUND);
    g_clear_error (&error);
    g_assert_false (lk_store_log_followup (db->store, late, NULL, &error));
    g_assert_error (error, LK_ERROR, LK_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "has been deleted"));
  }
  /* Nothing was written */
  g_assert_cmpint (lk_store_count_outbox (db->store, NULL), ==, outbox);
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT count(*) FROM activities", NULL), ==, 0);
}

static void
test_too_often (void)
{
  g_autoptr(LkTestDb) db = db_in_shanghai ();
  g_autoptr(LkLead) created = lk_test_create_lead (db->store, "company", "Acme", "grade", "A", NULL);
  const char *id = lk_record_get_id (LK_RECORD (created));
  g_autoptr(GError) error = NULL;
  gboolean too_often = TRUE;

  {
    g_autoptr(LkActivity) followup = followup_new (id, "phone", "Morning call");

    lk_record_set_int (LK_RECORD (followup), LK_ACTIVITY_AT, TODAY_0800);
    g_assert_true (lk_store_log_followup (db->store, followup, &too_often, &error));
    g_assert_no_error (error);
    g_assert_false (too_often);
  }
  /* A second contact the same day warns, before and after it is saved */
  g_assert_true (lk_store_check_too_often (db->store, id, NULL, LK_TEST_NOW_MS, &too_often, &error));
  g_assert_true (too_often);
  /* … unless the lead leaves A for C in the same follow-up? Still two in a
   * week is fine for C */
  g_assert_true (lk_store_check_too_often (db->store, id, "C", LK_TEST_NOW_MS, &too_often, &error));
  g_assert_false (too_often);
  /* Just after midnight is another day */
  g_assert_true (lk_store_check_too_often (db->store, id, NULL, TOMORROW_0010, &too_often, &error));
  g_assert_false (too_often);
  {
    g_autoptr(LkActivity) followup = followup_new (id, "email", "Evening email");

    g_assert_true (lk_store_log_followup (db->store, followup, &too_often, &error));
    g_assert_no_error (error);
    g_assert_true (too_often);  /* logged all the same */
  }
  g_assert_cmpint (n_activities (db, id, "followup"), ==, 2);

  /* A broken settings:cadence loses the warning, not the follow-up */
  g_assert_true (lk_store_set_setting (db->store, "cadence", "{\"grades\": 1}", &error));
  {
    g_autoptr(LkActivity) followup = followup_new (id, "phone", "Third call today");

    g_assert_true (lk_store_log_followup (db->store, followup, &too_often, &error));
    g_assert_no_error (error);
    g_assert_false (too_often);
  }
  g_assert_false (lk_store_check_too_often (db->store, id, NULL, LK_TEST_NOW_MS, &too_often, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
}

static void
test_event (void)
{
  g_autoptr(LkTestDb) db = db_in_shanghai ();
  g_autoptr(LkLead) created = lk_test_create_lead (db->store, "company", "Acme", "temperature", "warm", NULL);
  const char *id = lk_record_get_id (LK_RECORD (created));
  g_autoptr(LkActivity) event = NULL;
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GError) error = NULL;

  event = lk_store_log_event (db->store, id, " pricing_page ", 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (event);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (event), LK_ACTIVITY_KIND), ==, "event");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (event), LK_ACTIVITY_EVENT_TYPE), ==, "pricing_page");
  g_assert_cmpint (lk_record_get_int (LK_RECORD (event), LK_ACTIVITY_AT), ==, LK_TEST_NOW_MS);
  g_clear_object (&event);
  event = lk_store_log_event (db->store, id, "pricing_page", TODAY_0800, &error);
  g_assert_no_error (error);
  g_clear_object (&event);
  event = lk_store_log_event (db->store, id, "webinar", 0, &error);
  g_assert_no_error (error);
  counts = lk_store_count_events (db->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "pricing_page")), ==, 2);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "webinar")), ==, 1);

  /* An event is not a contact; with scoring off the lead is as it was */
  lead = reread (db, id);
  g_assert_cmpint (lk_record_get_int (LK_RECORD (lead), LK_LEAD_LAST_CONTACTED_AT), ==, 0);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_TEMPERATURE), ==, "warm");
  g_assert_cmpint (lk_record_get_int (LK_RECORD (lead), LK_LEAD_UPDATED_AT), ==, LK_TEST_NOW_MS);

  g_clear_object (&event);
  event = lk_store_log_event (db->store, id, "  ", 0, &error);
  g_assert_null (event);
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_clear_error (&error);
  event = lk_store_log_event (db->store, "lead:nope", "webinar", 0, &error);
  g_assert_null (event);
  g_assert_error (error, LK_ERROR, LK_ERROR_NOT_FOUND);
  g_assert_cmpint (n_activities (db, id, "event"), ==, 3);
}

static void
test_tasks (void)
{
  g_autoptr(LkTestDb) db = db_in_shanghai ();
  g_autoptr(LkLead) mine = lk_test_create_lead (db->store, "company", "Mine", "owner", "user:tester", NULL);
  g_autoptr(LkLead) theirs = lk_test_create_lead (db->store, "company", "Theirs", "owner", "user:anna", NULL);
  const char *mine_id = lk_record_get_id (LK_RECORD (mine));
  g_autoptr(LkActivity) soon = NULL;
  g_autoptr(LkActivity) later = NULL;
  g_autoptr(LkActivity) other = NULL;
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(GError) error = NULL;

  later = lk_store_add_task (db->store, mine_id, "Send the contract", SATURDAY_0900, &error);
  g_assert_no_error (error);
  soon = lk_store_add_task (db->store, mine_id, "Call back", TOMORROW_0900, &error);
  g_assert_no_error (error);
  other = lk_store_add_task (db->store, lk_record_get_id (LK_RECORD (theirs)), "Visit", TODAY_2330, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (soon), LK_ACTIVITY_KIND), ==, "task");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (soon), LK_ACTIVITY_SUMMARY), ==, "Call back");
  g_assert_cmpint (lk_record_get_int (LK_RECORD (soon), LK_ACTIVITY_NEXT_DUE_AT), ==, TOMORROW_0900);
  /* The soonest task is the lead's next follow-up */
  lead = reread (db, mine_id);
  g_assert_cmpint (lk_record_get_int (LK_RECORD (lead), LK_LEAD_NEXT_FOLLOWUP_AT), ==, TOMORROW_0900);

  tasks = lk_store_list_open_tasks (db->store, NULL, NULL, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 3);
  g_assert_cmpstr (lk_record_get_id (g_ptr_array_index (tasks, 0)), ==, lk_record_get_id (LK_RECORD (other)));
  g_clear_pointer (&tasks, g_ptr_array_unref);
  tasks = lk_store_list_open_tasks (db->store, "user:tester", NULL, 0, 0, &error);
  g_assert_cmpuint (tasks->len, ==, 2);
  g_assert_cmpstr (lk_record_get_id (g_ptr_array_index (tasks, 0)), ==, lk_record_get_id (LK_RECORD (soon)));
  g_clear_pointer (&tasks, g_ptr_array_unref);
  tasks = lk_store_list_open_tasks (db->store, NULL, mine_id, SATURDAY_0900, 0, &error);
  g_assert_cmpuint (tasks->len, ==, 1);
  g_clear_pointer (&tasks, g_ptr_array_unref);

  /* Completing, completing again (nothing to do), opening again */
  g_assert_true (lk_store_set_task_done (db->store, lk_record_get_id (LK_RECORD (soon)), TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_where (db, "SELECT done_at FROM activities WHERE id = ?",
                                lk_record_get_id (LK_RECORD (soon))), ==, LK_TEST_NOW_MS);
  lk_clock_advance_ms (db->clock, LK_TEST_HOUR_MS);
  g_assert_true (lk_store_set_task_done (db->store, lk_record_get_id (LK_RECORD (soon)), TRUE, &error));
  g_assert_cmpint (count_where (db, "SELECT done_at FROM activities WHERE id = ?",
                                lk_record_get_id (LK_RECORD (soon))), ==, LK_TEST_NOW_MS);
  tasks = lk_store_list_open_tasks (db->store, "user:tester", NULL, 0, 0, &error);
  g_assert_cmpuint (tasks->len, ==, 1);
  g_clear_pointer (&tasks, g_ptr_array_unref);
  g_assert_true (lk_store_set_task_done (db->store, lk_record_get_id (LK_RECORD (soon)), FALSE, &error));
  tasks = lk_store_list_open_tasks (db->store, "user:tester", NULL, 0, 0, &error);
  g_assert_cmpuint (tasks->len, ==, 2);

  /* Not a task, or no such task */
  g_assert_false (lk_store_set_task_done (db->store, "activity:nope", TRUE, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    g_autoptr(LkActivity) event = lk_store_log_event (db->store, mine_id, "webinar", 0, &error);

    g_assert_false (lk_store_set_task_done (db->store, lk_record_get_id (LK_RECORD (event)), TRUE, &error));
    g_assert_error (error, LK_ERROR, LK_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  g_assert_null (lk_store_add_task (db->store, mine_id, "", TOMORROW_0900, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (lk_store_add_task (db->store, mine_id, "Call", 0, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
}

static LkActivity *
only_open_task (LkTestDb   *db,
                const char *lead_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tasks = lk_store_list_open_tasks (db->store, NULL, lead_id, 0, 0, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (tasks->len, ==, 1);
  return g_object_ref (g_ptr_array_index (tasks, 0));
}

static void
test_stage_trigger (void)
{
  g_autoptr(LkTestDb) db = db_in_shanghai ();
  g_autoptr(LkLead) created = lk_test_create_lead (db->store, "company", "Acme", "stage", "qualified", NULL);
  const char *id = lk_record_get_id (LK_RECORD (created));
  g_autoptr(LkActivity) task = NULL;
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(GError) error = NULL;
  gint64 outbox;

  /* Entering Proposal at 18:00 on Wednesday: "Call about the quote" on
   * Saturday at 09:00 local, and that is the lead's next follow-up */
  outbox = lk_store_count_outbox (db->store, NULL);
  g_assert_true (lk_store_move_lead (db->store, id, "proposal", NULL, &error));
  g_assert_no_error (error);
  task = only_open_task (db, id);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (task), LK_ACTIVITY_SUMMARY), ==, "Call about the quote");
  g_assert_cmpint (lk_record_get_int (LK_RECORD (task), LK_ACTIVITY_NEXT_DUE_AT), ==, SATURDAY_0900);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (task), LK_ACTIVITY_RULE), ==, "stage:proposal");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (task), LK_ACTIVITY_BY), ==, "user:tester");
  lead = reread (db, id);
  g_assert_cmpint (lk_record_get_int (LK_RECORD (lead), LK_LEAD_NEXT_FOLLOWUP_AT), ==, SATURDAY_0900);
  /* The lead, its stage change and the task, in one go */
  g_assert_cmpint (lk_store_count_outbox (db->store, NULL), ==, outbox + 2);

  /* Leaving Proposal drops its open task: a move that is undone leaves
   * nothing behind */
  g_assert_true (lk_store_move_lead (db->store, id, "qualified", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_activities (db, id, "task"), ==, 0);
  g_assert_cmpint (count_where (db, "SELECT deleted FROM activities WHERE id = ?",
                                lk_record_get_id (LK_RECORD (task))), ==, 1);
  g_assert_cmpint (count_where (db, "SELECT count(*) FROM outbox WHERE doc_id = ? AND op = 'delete'",
                                lk_record_get_id (LK_RECORD (task))), ==, 1);

  /* An earlier plan stands: the task is later */
  g_clear_object (&lead);
  lead = reread (db, id);
  lk_record_set_int (LK_RECORD (lead), LK_LEAD_NEXT_FOLLOWUP_AT, TOMORROW_0900);
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_STAGE, "proposal");
  g_assert_true (lk_store_update_lead (db->store, lead, NULL, &error));
  g_clear_object (&lead);
  lead = reread (db, id);
  g_assert_cmpint (lk_record_get_int (LK_RECORD (lead), LK_LEAD_NEXT_FOLLOWUP_AT), ==, TOMORROW_0900);
  g_assert_cmpint (n_activities (db, id, "task"), ==, 1);

  /* A completed task stays when the lead moves on to Won */
  g_clear_object (&task);
  task = only_open_task (db, id);
  g_assert_true (lk_store_set_task_done (db->store, lk_record_get_id (LK_RECORD (task)), TRUE, &error));
  g_assert_true (lk_store_move_lead (db->store, id, "won", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_activities (db, id, "task"), ==, 1);
}

static void
test_stage_trigger_settings (void)
{
  g_autoptr(LkTestDb) db = db_in_shanghai ();
  g_autoptr(LkLead) created = lk_test_create_lead (db->store, "company", "Acme", NULL);
  const char *id = lk_record_get_id (LK_RECORD (created));
  g_autoptr(LkActivity) task = NULL;
  g_autoptr(GError) error = NULL;

  /* Triggers per stage, from settings:cadence */
  g_assert_true (lk_store_set_rules_json (db->store, "cadence",
                                          "{\"version\": 1, \"stage_triggers\": ["
                                          "{\"stage\": \"qualified\", \"title\": \"Send the brochure\", \"due_days\": 1}]}",
                                          &error));
  g_assert_no_error (error);
  g_assert_true (lk_store_move_lead (db->store, id, "qualified", NULL, &error));
  task = only_open_task (db, id);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (task), LK_ACTIVITY_SUMMARY), ==, "Send the brochure");
  g_assert_cmpint (lk_record_get_int (LK_RECORD (task), LK_ACTIVITY_NEXT_DUE_AT), ==, TOMORROW_0900);
  /* Proposal has none now */
  g_assert_true (lk_store_move_lead (db->store, id, "proposal", NULL, &error));
  g_assert_cmpint (n_activities (db, id, "task"), ==, 0);

  /* A malformed document (as a hand edit on the server might sync in)
   * is refused when saved here … */
  g_assert_false (lk_store_set_rules_json (db->store, "cadence", "{\"stage_triggers\": 3}", &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "settings:cadence: “stage_triggers” must be a list"));
  g_clear_error (&error);
  g_assert_false (lk_store_set_rules_json (db->store, "cadences", "{}", &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_clear_error (&error);
  /* … and when it arrives anyway, its rules stop while edits go on */
  g_assert_true (lk_store_set_setting (db->store, "cadence", "{\"stage_triggers\": [{\"stage\": 1}]}", &error));
  g_assert_false (lk_store_check_rules (db->store, "cadence", &error));
  g_assert_nonnull (strstr (error->message, "“stage_triggers[0].stage” must be text"));
  g_clear_error (&error);
  g_assert_null (lk_store_get_cadence (db->store, &error));
  g_clear_error (&error);
  g_assert_true (lk_store_move_lead (db->store, id, "qualified", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_activities (db, id, "task"), ==, 0);
  /* Fixed: read again at once */
  g_assert_true (lk_store_set_setting (db->store, "cadence", "{}", &error));
  g_assert_true (lk_store_move_lead (db->store, id, "proposal", NULL, &error));
  g_assert_cmpint (n_activities (db, id, "task"), ==, 1);
}

static void
test_stage_trigger_local_only (void)
{
  g_autoptr(LkTestDb) db = db_in_shanghai ();
  g_autoptr(LkLead) created = lk_test_create_lead (db->store, "company", "Acme", "stage", "proposal", NULL);
  g_autoptr(LkLead) imported = lk_test_lead_new ("company", "Imported", "stage", "qualified", NULL);
  g_autoptr(GPtrArray) records = g_ptr_array_new ();
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(GError) error = NULL;

  /* A lead created in Proposal did not enter it by a move */
  g_assert_cmpint (n_activities (db, lk_record_get_id (LK_RECORD (created)), "task"), ==, 0);

  /* Bulk writes (imports, merges: the caller writes the history) and so
   * documents as they arrive run no rules */
  g_ptr_array_add (records, imported);
  g_assert_true (lk_store_put_records (db->store, records, &error));
  g_assert_no_error (error);
  lead = reread (db, lk_record_get_id (LK_RECORD (imported)));
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_STAGE, "proposal");
  g_ptr_array_index (records, 0) = lead;
  g_assert_true (lk_store_put_records (db->store, records, &error));
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT count(*) FROM activities", NULL), ==, 0);
}

static void
test_assignment_logged (void)
{
  g_autoptr(LkTestDb) db = db_in_shanghai ();
  g_autoptr(LkLead) own = lk_test_create_lead (db->store, "company", "Own", "owner", "user:tester", NULL);
  g_autoptr(LkLead) given = lk_test_create_lead (db->store, "company", "Given", "owner", "user:anna", NULL);
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *from = NULL;

  /* Creating a lead for oneself is no assignment; for someone else it is */
  g_assert_cmpint (n_activities (db, lk_record_get_id (LK_RECORD (own)), "assignment"), ==, 0);
  g_assert_cmpint (n_activities (db, lk_record_get_id (LK_RECORD (given)), "assignment"), ==, 1);
  /* Back to the pool, by hand */
  lead = reread (db, lk_record_get_id (LK_RECORD (given)));
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_OWNER, NULL);
  g_assert_true (lk_store_update_lead (db->store, lead, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_activities (db, lk_record_get_id (LK_RECORD (given)), "assignment"), ==, 2);
  from = lk_test_sql_text (lk_test_db_peek (db),
                           "SELECT owner_from FROM activities WHERE lead_id = ? AND owner_to IS NULL",
                           lk_record_get_id (LK_RECORD (given)), NULL);
  g_assert_cmpstr (from, ==, "user:anna");

  /* What Anna's desktop tells her: one lead given to her, since then */
  {
    g_autoptr(GPtrArray) given_to_anna = lk_store_list_assignments (db->store, "user:anna", 0, &error);
    g_autoptr(GPtrArray) later = lk_store_list_assignments (db->store, "user:anna", LK_TEST_NOW_MS + 1, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (given_to_anna->len, ==, 1);
    g_assert_cmpstr (lk_record_get_string (g_ptr_array_index (given_to_anna, 0), LK_ACTIVITY_LEAD), ==,
                     lk_record_get_id (LK_RECORD (given)));
    g_assert_cmpstr (lk_record_get_string (g_ptr_array_index (given_to_anna, 0), LK_ACTIVITY_REASON), ==, "manual");
    g_assert_cmpuint (later->len, ==, 0);
  }
}

static void
add_due (LkTestDb   *db,
         const char *company,
         const char *owner,
         const char *stage,
         gint64      next)
{
  g_autoptr(LkLead) lead = lk_test_lead_new ("company", company, "stage", stage, NULL);

  lk_record_set_string (LK_RECORD (lead), LK_LEAD_OWNER, owner);
  lk_record_set_int (LK_RECORD (lead), LK_LEAD_NEXT_FOLLOWUP_AT, next);
  if (g_str_equal (stage, "lost"))
    lk_record_set_string (LK_RECORD (lead), LK_LEAD_LOST_REASON, "No budget");
  g_assert_true (lk_store_create_lead (db->store, lead, NULL));
}

static char *
companies (GPtrArray *leads)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < leads->len; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? "|" : "", lk_lead_get_company (g_ptr_array_index (leads, i)));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
assert_bucket (LkTestDb   *db,
               const char *owner,
               LkLeadDue   due,
               const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) leads = lk_store_agenda_leads (db->store, owner, due, 0, &error);
  g_autofree char *names = NULL;

  g_assert_no_error (error);
  names = companies (leads);
  g_assert_cmpstr (names, ==, expected);
}

static void
test_agenda (void)
{
  g_autoptr(LkTestDb) db = db_in_shanghai ();
  LkAgendaCounts counts;
  g_autoptr(GError) error = NULL;

  add_due (db, "Overdue", "user:tester", "contacted", YESTERDAY_2350);
  add_due (db, "Early today", "user:tester", "qualified", TODAY_0030);
  add_due (db, "Late today", "user:tester", "new", TODAY_2330);
  add_due (db, "Tomorrow", "user:tester", "proposal", TOMORROW_0010);
  add_due (db, "Saturday", "user:tester", "contacted", SATURDAY_0900);
  add_due (db, "No plan", "user:tester", "contacted", 0);
  add_due (db, "Won long ago", "user:tester", "won", YESTERDAY_2350);
  add_due (db, "Lost, no plan", "user:tester", "lost", 0);
  add_due (db, "Anna's", "user:anna", "contacted", YESTERDAY_2350);
  add_due (db, "Pool", NULL, "new", 0);

  /* Buckets by local day in Shanghai, most urgent first; Won and Lost
   * leads are in none */
  assert_bucket (db, "user:tester", LK_LEAD_DUE_OVERDUE, "Overdue");
  assert_bucket (db, "user:tester", LK_LEAD_DUE_TODAY, "Early today|Late today");
  assert_bucket (db, "user:tester", LK_LEAD_DUE_UPCOMING, "Tomorrow|Saturday");
  assert_bucket (db, "user:tester", LK_LEAD_DUE_NONE, "No plan");
  assert_bucket (db, NULL, LK_LEAD_DUE_OVERDUE, "Overdue|Anna's");
  assert_bucket (db, NULL, LK_LEAD_DUE_NONE, "No plan|Pool");

  g_assert_true (lk_store_count_agenda (db->store, "user:tester", &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpint (counts.overdue, ==, 1);
  g_assert_cmpint (counts.today, ==, 2);
  g_assert_cmpint (counts.upcoming, ==, 2);
  g_assert_cmpint (counts.none, ==, 1);
  g_assert_true (lk_store_count_agenda (db->store, NULL, &counts, &error));
  g_assert_cmpint (counts.overdue, ==, 2);
  g_assert_cmpint (counts.today, ==, 2);
  g_assert_cmpint (counts.upcoming, ==, 2);
  g_assert_cmpint (counts.none, ==, 2);
  g_assert_true (lk_store_count_agenda (db->store, "user:nobody", &counts, &error));
  g_assert_cmpint (counts.overdue + counts.today + counts.upcoming + counts.none, ==, 0);

  /* Past midnight the buckets move on: today's leads are overdue */
  lk_clock_set_now_ms (db->clock, TOMORROW_0010 + 60 * 1000);
  assert_bucket (db, "user:tester", LK_LEAD_DUE_OVERDUE, "Overdue|Early today|Late today");
  assert_bucket (db, "user:tester", LK_LEAD_DUE_TODAY, "Tomorrow");
  g_assert_true (lk_store_count_agenda (db->store, "user:tester", &counts, &error));
  g_assert_cmpint (counts.overdue, ==, 3);
  g_assert_cmpint (counts.today, ==, 1);
  g_assert_cmpint (counts.upcoming, ==, 1);

  /* The query a view's lazy list takes */
  {
    g_autoptr(LkLeadQuery) query = lk_agenda_query_new ("user:tester", LK_LEAD_DUE_UPCOMING);
    g_autoptr(LkLeadQuery) copy = lk_lead_query_copy (query);
    g_autoptr(GArray) rowids = lk_store_query_rowids (db->store, query, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (rowids->len, ==, 1);
    g_assert_true (lk_lead_query_equal (query, copy));
    lk_lead_query_set_due (copy, LK_LEAD_DUE_NONE);
    g_assert_false (lk_lead_query_equal (query, copy));
  }
}

static char *
query_plan (LkTestDb   *db,
            const char *sql)
{
  g_autoptr(GString) details = g_string_new (NULL);
  g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (lk_test_db_peek (db), explain, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (details, "%s / ", (const char *) sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  g_test_message ("%s", details->str);
  return g_string_free (g_steal_pointer (&details), FALSE);
}

static void
test_agenda_uses_indexes (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  /* The buckets as LkLeadQuery writes them: one owner's, and the team's */
  g_autofree char *mine = query_plan (db, "SELECT rowid FROM leads WHERE deleted = 0 AND owner = 'user:tester' "
                                          "AND coalesce(next_followup_at, 9223372036854775807) >= 1 "
                                          "AND coalesce(next_followup_at, 9223372036854775807) < 2 "
                                          "AND stage <> 'won' AND stage <> 'lost' "
                                          "ORDER BY coalesce(next_followup_at, 9223372036854775807), rowid");
  g_autofree char *overdue = query_plan (db, "SELECT rowid FROM leads WHERE deleted = 0 "
                                             "AND coalesce(next_followup_at, 9223372036854775807) < 1 "
                                             "AND stage <> 'won' AND stage <> 'lost' "
                                             "ORDER BY coalesce(next_followup_at, 9223372036854775807), rowid LIMIT 300");
  g_autofree char *none = query_plan (db, "SELECT rowid FROM leads WHERE deleted = 0 "
                                          "AND coalesce(next_followup_at, 9223372036854775807) >= 9223372036854775807 "
                                          "AND stage <> 'won' AND stage <> 'lost' "
                                          "ORDER BY coalesce(next_followup_at, 9223372036854775807), rowid LIMIT 300");

  /* Ranges of an index, read in the bucket's order: a view's window of
   * the first few hundred stops early however large the bucket (100,000
   * leads stay fast); one owner's range is sorted by rowid within a day
   * at most */
  g_assert_nonnull (strstr (mine, "USING INDEX leads_owner_due (owner=? AND <expr>>? AND <expr><?)"));
  g_assert_null (strstr (mine, "TEMP B-TREE FOR ORDER BY"));
  g_assert_nonnull (strstr (overdue, "USING INDEX leads_urgency (<expr><?)"));
  g_assert_null (strstr (overdue, "TEMP B-TREE"));
  g_assert_nonnull (strstr (none, "USING INDEX leads_urgency (<expr>>?)"));
  g_assert_null (strstr (none, "TEMP B-TREE"));
}

static void
test_migration (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) created = lk_test_create_lead (db->store, "company", "Acme", NULL);
  g_autoptr(LkStore) reopened = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *peek = lk_test_db_peek (db);

  /* Make it a database of the version before the rules (2) */
  g_clear_object (&db->store);
  lk_test_sql_exec (peek,
                    "DROP INDEX leads_owner_due; DROP INDEX leads_uncontacted;"
                    "DROP INDEX activities_open_tasks; DROP INDEX activities_assigned;"
                    "ALTER TABLE activities DROP COLUMN done_at; ALTER TABLE activities DROP COLUMN owner_from;"
                    "ALTER TABLE activities DROP COLUMN owner_to; ALTER TABLE activities DROP COLUMN reason;"
                    "ALTER TABLE activities DROP COLUMN rule;"
                    "INSERT INTO activities (id, lead_id, kind, at, summary) VALUES ('activity:old', 'x', 'note', 1, 'Kept');"
                    LK_TEST_SQL_SEARCH_BEFORE_8
                    "PRAGMA user_version = 2;");
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM pragma_table_info('activities') "
                                          "WHERE name = 'done_at'", NULL), ==, 0);

  reopened = lk_store_open (db->path, db->clock, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_test_sql_int (peek, "PRAGMA user_version", NULL), ==, LK_SCHEMA_VERSION);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM pragma_table_info('activities') "
                                          "WHERE name IN ('done_at', 'owner_from', 'owner_to', 'reason', 'rule')",
                                    NULL), ==, 5);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                                          "('leads_owner_due', 'leads_uncontacted', "
                                          "'activities_open_tasks', 'activities_assigned')", NULL), ==, 4);
  /* The data is all there, and the old activity reads with its new fields empty */
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM leads", NULL), ==, 1);
  {
    g_autoptr(GPtrArray) activities = lk_store_list_activities (reopened, "x", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (activities->len, ==, 1);
    g_assert_cmpstr (lk_record_get_string (g_ptr_array_index (activities, 0), LK_ACTIVITY_SUMMARY), ==, "Kept");
    g_assert_cmpstr (lk_record_get_string (g_ptr_array_index (activities, 0), LK_ACTIVITY_REASON), ==, "");
  }
  /* The step does no harm to a database that has it (a renumbered merge) */
  g_clear_object (&reopened);
  lk_test_sql_exec (peek, LK_TEST_SQL_SEARCH_BEFORE_8 "PRAGMA user_version = 2;");
  reopened = lk_store_open (db->path, db->clock, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_test_sql_int (peek, "PRAGMA user_version", NULL), ==, LK_SCHEMA_VERSION);
  db->store = g_steal_pointer (&reopened);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/followups/log", test_log_followup);
  g_test_add_func ("/followups/times", test_followup_times);
  g_test_add_func ("/followups/invalid", test_followup_invalid);
  g_test_add_func ("/followups/too-often", test_too_often);
  g_test_add_func ("/followups/event", test_event);
  g_test_add_func ("/followups/tasks", test_tasks);
  g_test_add_func ("/followups/stage-trigger", test_stage_trigger);
  g_test_add_func ("/followups/stage-trigger-settings", test_stage_trigger_settings);
  g_test_add_func ("/followups/stage-trigger-local-only", test_stage_trigger_local_only);
  g_test_add_func ("/followups/assignment-logged", test_assignment_logged);
  g_test_add_func ("/followups/agenda", test_agenda);
  g_test_add_func ("/followups/agenda-indexes", test_agenda_uses_indexes);
  g_test_add_func ("/followups/migration", test_migration);

  return g_test_run ();
}
