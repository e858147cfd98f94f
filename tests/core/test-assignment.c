/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-assignment"

#include <string.h>

#include "lk-store-rules.h"
#include "lk-test-util.h"

/* Assignment rules: round-robin fair within a run and across runs,
 * fewest open leads and capacity-weighted over many leads, senior-only
 * A leads, ordered rules (first match wins), dry runs, the log on each
 * lead, automatic assignment of new leads, and settings:assignment. */

static void
add_member (LkStore    *store,
            const char *name,
            const char *role,
            gboolean    senior,
            gint64      capacity,
            const char *region)
{
  g_autoptr(LkUser) user = lk_user_new (name, NULL, role);
  g_autoptr(GError) error = NULL;

  lk_record_set_bool (LK_RECORD (user), LK_USER_SENIOR, senior);
  lk_record_set_int (LK_RECORD (user), LK_USER_CAPACITY, capacity);
  if (region != NULL)
    lk_record_set_tags (LK_RECORD (user), LK_USER_REGIONS, (const char * const[]) { region, NULL });
  g_assert_true (lk_store_save_user (store, user, &error));
  g_assert_no_error (error);
}

static void
add_pool_leads (LkStore    *store,
                guint       n,
                const char *first_field,
                const char *first_value)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *company = g_strdup_printf ("Pool %03u", i);
      g_autoptr(LkLead) lead = lk_test_create_lead (store, "company", company, first_field, first_value, NULL);
    }
}

static void
add_owned (LkStore    *store,
           guint       n,
           const char *owner,
           const char *stage)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LkLead) lead = lk_test_create_lead (store, "company", "Owned", "owner", owner, "stage", stage, NULL);
    }
}

static gint64
open_of (LkTestDb   *db,
         const char *owner)
{
  return lk_test_sql_int (lk_test_db_peek (db),
                          "SELECT count(*) FROM leads WHERE owner = ? AND stage NOT IN ('won', 'lost')",
                          owner, NULL);
}

static LkAssignment *
assignment_from_json (const char  *text,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return lk_assignment_new_from_json (json_node_get_object (json_parser_get_root (parser)), error);
}

static GPtrArray *
run (LkTestDb           *db,
     const char * const *ids,
     gboolean            dry_run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkAssignment) assignment = lk_store_get_assignment (db->store, &error);
  GPtrArray *results;

  g_assert_no_error (error);
  results = lk_assignment_run (assignment, db->store, ids, dry_run, &error);
  g_assert_no_error (error);
  g_assert_nonnull (results);
  return results;
}

/* The owners the results name, by user name: "anna|bob|…" */
static char *
owners (GPtrArray *results)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < results->len; i++)
    {
      LkAssignResult *result = g_ptr_array_index (results, i);

      g_string_append_printf (out, "%s%s", i > 0 ? "|" : "",
                              result->to_owner ? lk_user_id_get_name (result->to_owner) : "-");
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_round_robin (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const reps[] = { "anna", "bob", "chen", "dai" };
  const char *lead_id;
  gint64 outbox;

  for (guint i = 0; i < G_N_ELEMENTS (reps); i++)
    add_member (db->store, reps[i], "rep", FALSE, 0, NULL);
  add_member (db->store, "manager", "manager", TRUE, 0, NULL);
  add_pool_leads (db->store, 100, "grade", "B");

  /* A dry run plans the whole pool as a real one would, and writes nothing */
  outbox = lk_store_count_outbox (db->store, NULL);
  results = run (db, NULL, TRUE);
  g_assert_cmpuint (results->len, ==, 100);
  g_assert_cmpint (lk_store_count_outbox (db->store, NULL), ==, outbox);
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT count(*) FROM leads WHERE owner IS NOT NULL",
                                    NULL), ==, 0);
  g_clear_pointer (&results, g_ptr_array_unref);

  /* The pool: every rep gets a quarter, in turn; the manager none */
  results = run (db, NULL, FALSE);
  g_assert_cmpuint (results->len, ==, 100);
  for (guint i = 0; i < G_N_ELEMENTS (reps); i++)
    {
      g_autofree char *id = lk_user_id_for_name (reps[i]);

      g_assert_cmpint (open_of (db, id), ==, 25);
    }
  g_assert_cmpint (open_of (db, "user:manager"), ==, 0);
  for (guint i = 0; i < 8; i++)
    {
      LkAssignResult *result = g_ptr_array_index (results, i);

      g_assert_cmpstr (lk_user_id_get_name (result->to_owner), ==, reps[i % 4]);
      g_assert_null (result->from_owner);
      g_assert_cmpstr (result->rule_id, ==, "everyone");
      g_assert_cmpstr (result->rule_name, ==, "Every rep in turn");
      g_assert_null (result->problem);
    }
  /* Each lead: owned, assigned now, moved to Assigned, the assignment logged */
  lead_id = ((LkAssignResult *) g_ptr_array_index (results, 0))->lead_id;
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT assigned_at FROM leads WHERE id = ?", lead_id, NULL),
                   ==, LK_TEST_NOW_MS);
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT count(*) FROM leads WHERE stage = 'assigned'", NULL),
                   ==, 100);
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db),
                                    "SELECT count(*) FROM activities WHERE kind = 'assignment' AND reason = 'assign' "
                                    "AND rule = 'everyone' AND owner_from IS NULL AND by_user = 'user:tester'", NULL),
                   ==, 100);
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT count(*) FROM stage_changes WHERE to_stage = 'assigned'",
                                    NULL), ==, 100);
  g_clear_pointer (&results, g_ptr_array_unref);

  /* Fair across runs: the turn goes on where the last run stopped (dai
   * had the 100th lead), and a dry run does not take it */
  add_pool_leads (db->store, 3, "grade", "C");
  results = run (db, NULL, TRUE);
  {
    g_autofree char *names = owners (results);

    g_assert_cmpstr (names, ==, "anna|bob|chen");
  }
  g_clear_pointer (&results, g_ptr_array_unref);
  results = run (db, NULL, FALSE);
  {
    g_autofree char *names = owners (results);

    g_assert_cmpstr (names, ==, "anna|bob|chen");
  }
  g_clear_pointer (&results, g_ptr_array_unref);
  add_pool_leads (db->store, 2, "grade", "C");
  results = run (db, NULL, FALSE);
  {
    g_autofree char *names = owners (results);

    g_assert_cmpstr (names, ==, "dai|anna");
  }
  /* A new member joins the turn in id order */
  add_member (db->store, "bao", "rep", FALSE, 0, NULL);
  add_pool_leads (db->store, 2, "grade", "C");
  g_clear_pointer (&results, g_ptr_array_unref);
  results = run (db, NULL, FALSE);
  {
    g_autofree char *names = owners (results);

    g_assert_cmpstr (names, ==, "bao|bob");
  }
}

static void
test_fewest_open (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  add_member (db->store, "anna", "rep", FALSE, 0, NULL);
  add_member (db->store, "bob", "rep", FALSE, 0, NULL);
  add_member (db->store, "chen", "rep", FALSE, 0, NULL);
  add_owned (db->store, 10, "user:anna", "contacted");
  add_owned (db->store, 5, "user:chen", "qualified");
  add_owned (db->store, 24, "user:bob", "won");   /* closed leads are no load */
  add_pool_leads (db->store, 30, "grade", "B");
  g_assert_true (lk_store_set_rules_json (db->store, "assignment",
                                          "{\"rules\": [{\"id\": \"load\", \"strategy\": \"fewest_open\"}]}", &error));
  g_assert_no_error (error);

  /* 15 + 30 open leads end 15 each: bob gets 15, chen 10, anna 5 */
  results = run (db, NULL, FALSE);
  g_assert_cmpuint (results->len, ==, 30);
  g_assert_cmpint (open_of (db, "user:anna"), ==, 15);
  g_assert_cmpint (open_of (db, "user:bob"), ==, 15);
  g_assert_cmpint (open_of (db, "user:chen"), ==, 15);
  /* The first ten all went to bob, who had none */
  for (guint i = 0; i < 5; i++)
    g_assert_cmpstr (((LkAssignResult *) g_ptr_array_index (results, i))->to_owner, ==, "user:bob");
  g_clear_pointer (&results, g_ptr_array_unref);

  /* Equal loads: in turn */
  add_pool_leads (db->store, 6, "grade", "B");
  results = run (db, NULL, FALSE);
  g_assert_cmpint (open_of (db, "user:anna"), ==, 17);
  g_assert_cmpint (open_of (db, "user:bob"), ==, 17);
  g_assert_cmpint (open_of (db, "user:chen"), ==, 17);
}

static void
test_capacity (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  guint stuck = 0;

  add_member (db->store, "anna", "rep", FALSE, 10, NULL);
  add_member (db->store, "bob", "rep", FALSE, 20, NULL);
  add_member (db->store, "chen", "rep", FALSE, 30, NULL);
  add_pool_leads (db->store, 30, "grade", "B");
  g_assert_true (lk_store_set_rules_json (db->store, "assignment",
                                          "{\"rules\": [{\"id\": \"share\", \"strategy\": \"capacity\"}]}", &error));

  /* Shares by capacity: 5, 10, 15 */
  results = run (db, NULL, FALSE);
  g_assert_cmpint (open_of (db, "user:anna"), ==, 5);
  g_assert_cmpint (open_of (db, "user:bob"), ==, 10);
  g_assert_cmpint (open_of (db, "user:chen"), ==, 15);
  g_clear_pointer (&results, g_ptr_array_unref);

  /* Nobody gets more than their capacity, whatever the strategy: 30 more
   * leads fill the 30 free places, the rest stay in the pool and say why */
  add_pool_leads (db->store, 35, "grade", "B");
  results = run (db, NULL, FALSE);
  g_assert_cmpint (open_of (db, "user:anna"), ==, 10);
  g_assert_cmpint (open_of (db, "user:bob"), ==, 20);
  g_assert_cmpint (open_of (db, "user:chen"), ==, 30);
  for (guint i = 0; i < results->len; i++)
    {
      LkAssignResult *result = g_ptr_array_index (results, i);

      if (result->to_owner == NULL)
        {
          stuck++;
          g_assert_nonnull (strstr (result->problem, "capacity"));
        }
    }
  g_assert_cmpuint (stuck, ==, 5);
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT count(*) FROM leads WHERE owner IS NULL", NULL),
                   ==, 5);
}

static void
test_senior_only (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  add_member (db->store, "anna", "rep", TRUE, 0, NULL);
  add_member (db->store, "bob", "rep", FALSE, 0, NULL);
  add_member (db->store, "chen", "rep", TRUE, 0, NULL);
  add_member (db->store, "dai", "rep", FALSE, 0, NULL);
  add_pool_leads (db->store, 6, "grade", "A");

  /* A leads go to the senior reps only, in turn between them */
  results = run (db, NULL, FALSE);
  {
    g_autofree char *names = owners (results);

    g_assert_cmpstr (names, ==, "anna|chen|anna|chen|anna|chen");
  }
  g_clear_pointer (&results, g_ptr_array_unref);
  /* Other grades go to anyone */
  add_pool_leads (db->store, 2, "grade", "B");
  results = run (db, NULL, FALSE);
  {
    g_autofree char *names = owners (results);

    g_assert_cmpstr (names, ==, "dai|anna");
  }
  g_clear_pointer (&results, g_ptr_array_unref);

  /* A rule naming no senior member does not take A leads: the next rule
   * does; with none, the lead stays and says why */
  g_assert_true (lk_store_set_rules_json (db->store, "assignment",
                                          "{\"rules\": [{\"id\": \"juniors\", \"to\": {\"members\": [\"bob\", \"dai\"]}},"
                                          "             {\"id\": \"seniors\", \"when\": {\"grade\": [\"A\"]},"
                                          "              \"to\": {\"member\": \"user:chen\"}}]}", &error));
  g_assert_no_error (error);
  add_pool_leads (db->store, 1, "grade", "A");
  results = run (db, NULL, FALSE);
  g_assert_cmpstr (((LkAssignResult *) g_ptr_array_index (results, 0))->to_owner, ==, "user:chen");
  g_assert_cmpstr (((LkAssignResult *) g_ptr_array_index (results, 0))->rule_id, ==, "seniors");
  g_clear_pointer (&results, g_ptr_array_unref);
  g_assert_true (lk_store_set_rules_json (db->store, "assignment",
                                          "{\"rules\": [{\"id\": \"juniors\", \"to\": {\"members\": [\"bob\", \"dai\"]}}]}",
                                          &error));
  add_pool_leads (db->store, 1, "grade", "A");
  results = run (db, NULL, TRUE);
  g_assert_null (((LkAssignResult *) g_ptr_array_index (results, 0))->to_owner);
  g_assert_nonnull (strstr (((LkAssignResult *) g_ptr_array_index (results, 0))->problem, "senior"));
  g_clear_pointer (&results, g_ptr_array_unref);

  /* Turned off: A leads go to anyone */
  g_assert_true (lk_store_set_rules_json (db->store, "assignment",
                                          "{\"senior_only_grade_a\": false,"
                                          " \"rules\": [{\"id\": \"juniors\", \"to\": {\"members\": [\"bob\", \"dai\"]}}]}",
                                          &error));
  results = run (db, NULL, FALSE);
  g_assert_cmpstr (((LkAssignResult *) g_ptr_array_index (results, 0))->to_owner, ==, "user:bob");
}

static void
test_rules_in_order (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) shanghai = NULL;
  g_autoptr(LkLead) beijing_factory = NULL;
  g_autoptr(LkLead) beijing_shop = NULL;
  g_autoptr(LkLead) hot_fair = NULL;
  g_autoptr(LkLead) guangzhou = NULL;
  g_autoptr(LkLead) nowhere = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  add_member (db->store, "lilei", "rep", FALSE, 0, "上海");
  add_member (db->store, "han", "rep", FALSE, 0, "北京");
  add_member (db->store, "wang", "rep", FALSE, 0, "北京");
  add_member (db->store, "zhou", "rep", FALSE, 0, "广州");
  add_member (db->store, "boss", "manager", FALSE, 0, NULL);
  g_assert_true (lk_store_set_rules_json (db->store, "assignment",
                                          "{\"version\": 1, \"rules\": ["
                                          " {\"id\": \"shanghai\", \"when\": {\"region\": [\"上海\"]}, \"to\": {\"member\": \"lilei\"}},"
                                          " {\"id\": \"factories\", \"name\": \"Factories\", \"when\": {\"industry\": [\"manufacturing\"]},"
                                          "  \"to\": {\"members\": [\"han\", \"wang\"]}, \"strategy\": \"fewest_open\"},"
                                          " {\"id\": \"hot-fair\", \"when\": {\"source\": [\"exhibition\"], \"temperature\": [\"hot\"],"
                                          "  \"grade\": [\"B\"]}, \"to\": {\"member\": \"boss\"}},"
                                          " {\"id\": \"by-region\", \"when\": {\"region\": [\"广州\", \"北京\"]},"
                                          "  \"to\": {\"match_region\": true}}]}",
                                          &error));
  g_assert_no_error (error);
  shanghai = lk_test_create_lead (db->store, "company", "A", "region", "上海", "industry", "Manufacturing", NULL);
  beijing_factory = lk_test_create_lead (db->store, "company", "B", "region", "北京", "industry", "MANUFACTURING", NULL);
  beijing_shop = lk_test_create_lead (db->store, "company", "C", "region", "北京", "industry", "Retail", NULL);
  hot_fair = lk_test_create_lead (db->store, "company", "D", "source", "exhibition", "temperature", "hot",
                                  "grade", "B", "region", "广州", NULL);
  guangzhou = lk_test_create_lead (db->store, "company", "E", "region", "广州", NULL);
  nowhere = lk_test_create_lead (db->store, "company", "F", "region", "成都", NULL);

  results = run (db, (const char * const[]) {
    lk_record_get_id (LK_RECORD (shanghai)), lk_record_get_id (LK_RECORD (beijing_factory)),
    lk_record_get_id (LK_RECORD (beijing_shop)), lk_record_get_id (LK_RECORD (hot_fair)),
    lk_record_get_id (LK_RECORD (guangzhou)), lk_record_get_id (LK_RECORD (nowhere)), NULL }, FALSE);
  {
    g_autofree char *names = owners (results);

    /* First match wins; a region rule sends a lead to whoever covers it */
    g_assert_cmpstr (names, ==, "lilei|han|han|boss|zhou|-");
  }
  g_assert_cmpstr (((LkAssignResult *) g_ptr_array_index (results, 1))->rule_name, ==, "Factories");
  g_assert_cmpstr (((LkAssignResult *) g_ptr_array_index (results, 2))->rule_id, ==, "by-region");
  g_assert_cmpstr (((LkAssignResult *) g_ptr_array_index (results, 5))->problem, ==,
                   "No assignment rule matches the lead");
  /* A manager named by a rule takes leads; their stage moved too */
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT count(*) FROM leads WHERE owner = 'user:boss' "
                                                         "AND stage = 'assigned'", NULL), ==, 1);
  g_clear_pointer (&results, g_ptr_array_unref);

  /* A selection of owned leads is routed again; a lead already with the
   * member the rules pick is left alone */
  {
    gint64 outbox = lk_store_count_outbox (db->store, NULL);

    results = run (db, (const char * const[]) { lk_record_get_id (LK_RECORD (shanghai)), NULL }, FALSE);
    g_assert_cmpstr (((LkAssignResult *) g_ptr_array_index (results, 0))->to_owner, ==, "user:lilei");
    g_assert_cmpstr (((LkAssignResult *) g_ptr_array_index (results, 0))->from_owner, ==, "user:lilei");
    g_assert_cmpint (lk_store_count_outbox (db->store, NULL), ==, outbox);
  }
  /* A deleted lead in a selection is refused, and nothing is written */
  g_assert_true (lk_store_delete_lead (db->store, lk_record_get_id (LK_RECORD (nowhere)), &error));
  {
    g_autoptr(LkAssignment) assignment = lk_store_get_assignment (db->store, &error);
    g_autoptr(GPtrArray) none = lk_assignment_run (assignment, db->store, (const char * const[]) {
      lk_record_get_id (LK_RECORD (nowhere)), NULL }, FALSE, &error);

    g_assert_null (none);
    g_assert_error (error, LK_ERROR, LK_ERROR_NOT_FOUND);
  }
}

static void
test_no_team (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(GPtrArray) results = NULL;

  add_pool_leads (db->store, 2, "grade", "B");
  results = run (db, NULL, FALSE);
  g_assert_cmpuint (results->len, ==, 2);
  g_assert_null (((LkAssignResult *) g_ptr_array_index (results, 0))->to_owner);
  g_assert_nonnull (strstr (((LkAssignResult *) g_ptr_array_index (results, 0))->problem, "no team member"));
  g_assert_cmpint (lk_store_count_outbox (db->store, NULL), ==, 4);  /* the two leads and their creation */
}

static void
test_auto_assign (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) first = NULL;
  g_autoptr(LkLead) second = NULL;
  g_autoptr(LkLead) own = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;

  add_member (db->store, "anna", "rep", FALSE, 0, NULL);
  add_member (db->store, "bob", "rep", FALSE, 0, NULL);

  /* Off by default: new leads wait in the pool */
  first = lk_test_create_lead (db->store, "company", "Waits", NULL);
  g_assert_null (lk_lead_get_owner (first));

  g_assert_true (lk_store_set_rules_json (db->store, "assignment", "{\"auto_assign_new\": true}", &error));
  g_assert_no_error (error);
  g_clear_object (&first);
  first = lk_test_create_lead (db->store, "company", "First", NULL);
  second = lk_test_create_lead (db->store, "company", "Second", NULL);
  own = lk_test_create_lead (db->store, "company", "Own", "owner", "user:tester", NULL);
  g_assert_cmpstr (lk_lead_get_owner (first), ==, "user:anna");
  g_assert_cmpstr (lk_lead_get_owner (second), ==, "user:bob");
  g_assert_cmpstr (lk_lead_get_owner (own), ==, "user:tester");
  g_assert_cmpstr (lk_lead_get_stage (first), ==, "assigned");
  g_assert_cmpint (lk_record_get_int (LK_RECORD (first), LK_LEAD_ASSIGNED_AT), ==, LK_TEST_NOW_MS);
  reason = lk_test_sql_text (lk_test_db_peek (db), "SELECT reason FROM activities WHERE lead_id = ? "
                                                   "AND kind = 'assignment'",
                             lk_record_get_id (LK_RECORD (first)), NULL);
  g_assert_cmpstr (reason, ==, "auto");
  /* The creation is recorded in the stage it ended in */
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT count(*) FROM stage_changes WHERE lead_id = ? "
                                                         "AND to_stage = 'assigned'",
                                    lk_record_get_id (LK_RECORD (first)), NULL), ==, 1);
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT count(*) FROM activities WHERE lead_id = ?",
                                    lk_record_get_id (LK_RECORD (own)), NULL), ==, 0);
}

static void
test_settings (void)
{
  g_autoptr(LkAssignment) defaults = lk_assignment_new_default ();
  g_autoptr(LkAssignment) parsed = NULL;
  g_autoptr(LkAssignment) copy = NULL;
  g_autoptr(GError) error = NULL;
  LkAssignRule *rule;
  static const struct
  {
    const char *json;
    const char *says;
  } errors[] = {
    { "{\"rules\": [{\"strategy\": \"random\"}]}",
      "“rules[0].strategy” must be “round_robin”, “fewest_open” or “capacity”, not “random”" },
    { "{\"rules\": [{\"to\": {\"member\": \"a\", \"members\": [\"b\"]}}]}",
      "“rules[0].to.member” and “members” cannot both be given" },
    { "{\"rules\": [{\"to\": {\"members\": []}}]}", "“rules[0].to.members” must name at least one team member" },
    { "{\"rules\": [{\"when\": {\"grade\": [\"AA\"]}}]}", "“rules[0].when.grade” must list grades A, B or C, not “AA”" },
    { "{\"rules\": [{\"when\": {\"temperature\": \"tepid\"}}]}", "must list temperatures hot, warm or cold, not “tepid”" },
    { "{\"rules\": [{\"when\": {\"region\": [3]}}]}", "“rules[0].when.region” must be a list of texts" },
    { "{\"rules\": [{\"id\": \"x\"}, {\"id\": \"x\"}]}", "“rules[1].id” “x” is the id of an earlier rule too" },
    { "{\"rules\": [7]}", "“rules[0]” must be an object" },
    { "{\"auto_assign_new\": 1}", "“auto_assign_new” must be true or false" },
  };

  g_assert_false (lk_assignment_get_auto_assign (defaults));
  g_assert_true (lk_assignment_get_senior_only_a (defaults));
  g_assert_cmpstr (lk_assignment_get_assigned_stage (defaults), ==, "assigned");
  g_assert_cmpuint (lk_assignment_get_rules (defaults)->len, ==, 1);

  parsed = assignment_from_json ("{\"assigned_stage\": \"\", \"future\": 1, \"rules\": ["
                                 "{\"name\": \"East\", \"when\": {\"region\": \"上海\"},"
                                 " \"to\": {\"members\": [\"lilei\", \"user:han\"], \"match_industry\": true},"
                                 " \"strategy\": \"capacity\"}]}", &error);
  g_assert_no_error (error);
  rule = g_ptr_array_index (lk_assignment_get_rules (parsed), 0);
  g_assert_cmpstr (rule->id, ==, "rule-1");
  g_assert_cmpstr (rule->regions[0], ==, "上海");
  g_assert_cmpstr (rule->members[0], ==, "user:lilei");
  g_assert_cmpstr (rule->members[1], ==, "user:han");
  g_assert_true (rule->match_industry);
  g_assert_cmpint (rule->strategy, ==, LK_ASSIGN_CAPACITY);
  g_assert_cmpstr (lk_assignment_get_assigned_stage (parsed), ==, "");
  copy = lk_assignment_copy (parsed);
  rule = g_ptr_array_index (lk_assignment_get_rules (copy), 0);
  g_assert_cmpstr (rule->name, ==, "East");
  g_assert_cmpstr (rule->members[1], ==, "user:han");
  {
    g_autoptr(JsonObject) json = lk_assignment_to_json (copy);

    g_assert_true (json_object_has_member (json, "future"));
  }

  for (guint i = 0; i < G_N_ELEMENTS (errors); i++)
    {
      g_autoptr(LkAssignment) bad = NULL;

      g_clear_error (&error);
      bad = assignment_from_json (errors[i].json, &error);
      g_test_message ("%s", errors[i].json);
      g_assert_null (bad);
      g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, "settings:assignment: "));
      if (strstr (error->message, errors[i].says) == NULL)
        g_error ("“%s” does not say “%s”", error->message, errors[i].says);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/assignment/round-robin", test_round_robin);
  g_test_add_func ("/assignment/fewest-open", test_fewest_open);
  g_test_add_func ("/assignment/capacity", test_capacity);
  g_test_add_func ("/assignment/senior-only", test_senior_only);
  g_test_add_func ("/assignment/rules-in-order", test_rules_in_order);
  g_test_add_func ("/assignment/no-team", test_no_team);
  g_test_add_func ("/assignment/auto", test_auto_assign);
  g_test_add_func ("/assignment/settings", test_settings);

  return g_test_run ();
}
