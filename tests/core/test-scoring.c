/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-scoring"

#include <string.h>

#include "lk-scoring.h"
#include "lk-store-followups.h"
#include "lk-store-rules.h"
#include "lk-test-util.h"

/* Scoring: each kind of rule (profile equals / contains / one of, events
 * with their counts, BANT), the thresholds, the explanation, the
 * settings, and the store scoring leads in the transaction of each local
 * change. */

static LkScoring *
scoring_from_json (const char  *text,
                   GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return lk_scoring_new_from_json (json_node_get_object (json_parser_get_root (parser)), error);
}

static const char *team_rules =
  "{\"version\": 1, \"enabled\": true,"
  " \"profile\": ["
  "   {\"field\": \"industry\", \"op\": \"equals\", \"value\": \"Manufacturing\", \"points\": 15},"
  "   {\"field\": \"title\", \"op\": \"contains\", \"value\": \"经理\", \"points\": 10},"
  "   {\"field\": \"region\", \"op\": \"one_of\", \"values\": [\"上海\", \"北京\"], \"points\": 5},"
  "   {\"field\": \"tags\", \"op\": \"one_of\", \"values\": [\"comparing competitors\"], \"points\": -5},"
  "   {\"field\": \"source\", \"op\": \"equals\", \"value\": \"exhibition\", \"points\": 5},"
  "   {\"field\": \"email\", \"op\": \"contains\", \"value\": \"@qq.com\", \"points\": -10, \"label\": \"Personal email\"}],"
  " \"events\": [{\"type\": \"pricing_page\", \"points\": 10, \"max_count\": 3},"
  "              {\"type\": \"quote_request\", \"points\": 25},"
  "              {\"type\": \"trade_show_scan\", \"name\": \"Badge scanned\", \"points\": 2, \"max_count\": 0}],"
  " \"bant\": {\"budget\": 10, \"authority\": 10, \"need\": 5, \"timeline\": 0},"
  " \"thresholds\": {\"hot\": 60, \"warm\": 30, \"mql\": 30, \"sql\": 60}}";

static GHashTable *
counts_new (const char *first,
            ...)
{
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *type = first;
  va_list args;

  va_start (args, first);
  while (type != NULL)
    {
      guint n = va_arg (args, guint);

      g_hash_table_insert (counts, g_strdup (type), GUINT_TO_POINTER (n));
      type = va_arg (args, const char *);
    }
  va_end (args);
  return counts;
}

/* "description +points|…" */
static char *
explain (LkScoreResult *result)
{
  g_autoptr(GString) out = g_string_new (NULL);
  int sum = 0;

  for (guint i = 0; i < result->reasons->len; i++)
    {
      LkScoreReason *reason = g_ptr_array_index (result->reasons, i);

      g_string_append_printf (out, "%s%s %+d", i > 0 ? "|" : "", reason->description, reason->points);
      sum += reason->points;
    }
  /* The explanation adds up to the score */
  g_assert_cmpint (sum, ==, result->score);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_profile_rules (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkScoring) scoring = scoring_from_json (team_rules, &error);
  g_autoptr(LkLead) fits = lk_test_lead_new ("industry", "manufacturing", "title", "销售部经理",
                                            "region", "上海", "source", "exhibition", NULL);
  g_autoptr(LkLead) misses = lk_test_lead_new ("industry", "Manufacturing Services", "title", "Engineer",
                                              "region", "上海市", "source", "website",
                                              "email", "zhang@qq.com", "tags", "comparing competitors,VIP", NULL);
  g_autoptr(LkScoreResult) first = NULL;
  g_autoptr(LkScoreResult) second = NULL;
  g_autofree char *why_first = NULL;
  g_autofree char *why_second = NULL;

  g_assert_no_error (error);
  g_assert_true (lk_scoring_get_enabled (scoring));
  /* equals (whatever the case), contains, one of, a source by its name */
  first = lk_scoring_compute (scoring, fits, NULL);
  why_first = explain (first);
  g_assert_cmpstr (why_first, ==,
                   "Industry is “manufacturing” +15|Job title contains “经理” +10|"
                   "Region is “上海” +5|Source is “Exhibition” +5");
  g_assert_cmpint (first->score, ==, 35);
  /* Near misses score nothing; a tag and a label that take points off */
  second = lk_scoring_compute (scoring, misses, NULL);
  why_second = explain (second);
  g_assert_cmpstr (why_second, ==, "Tagged “comparing competitors” -5|Personal email -10");
  g_assert_cmpint (second->score, ==, -15);
  g_assert_cmpstr (second->temperature, ==, "cold");
}

static void
test_events_and_bant (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkScoring) scoring = scoring_from_json (team_rules, &error);
  g_autoptr(LkLead) lead = lk_test_lead_new ("company", "Acme", "bant.budget", "true",
                                            "bant.need", "true", "bant.timeline", "true", NULL);
  g_autoptr(GHashTable) counts = counts_new ("pricing_page", 5u, "quote_request", 1u,
                                             "trade_show_scan", 4u, "webinar", 2u, NULL);
  g_autoptr(LkScoreResult) result = NULL;
  g_autofree char *why = NULL;

  g_assert_no_error (error);
  result = lk_scoring_compute (scoring, lead, counts);
  why = explain (result);
  /* Five pricing-page visits count three times; a type without points
   * (webinar, here) scores nothing; timeline is worth 0 */
  g_assert_cmpstr (why, ==,
                   "Visited the pricing page (5 times) +30|Asked for a quote +25|Badge scanned (4 times) +8|"
                   "Budget confirmed +10|Need confirmed +5");
  g_assert_cmpint (result->score, ==, 78);
  g_assert_cmpstr (result->temperature, ==, "hot");
  g_assert_true (result->mql);
  g_assert_true (result->sql);
  g_assert_cmpstr (lk_scoring_event_name (scoring, "trade_show_scan"), ==, "Badge scanned");
  g_assert_cmpstr (lk_scoring_event_name (scoring, "whitepaper"), ==, "Downloaded a whitepaper");
  g_assert_cmpstr (lk_scoring_event_name (NULL, "own_type"), ==, "own_type");
}

static void
test_thresholds (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkScoring) scoring = scoring_from_json (team_rules, &error);
  static const struct
  {
    guint       visits;  /* 10 points each, up to three */
    guint       scans;   /* 2 points each */
    const char *temperature;
    gboolean    mql, sql;
  } cases[] = {
    { 0, 0,  "cold", FALSE, FALSE },
    { 2, 4,  "cold", FALSE, FALSE },  /* 28 */
    { 3, 0,  "warm", TRUE,  FALSE },  /* 30 */
    { 3, 14, "warm", TRUE,  FALSE },  /* 58 */
    { 3, 15, "hot",  TRUE,  TRUE },   /* 60 */
  };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LkLead) lead = lk_test_lead_new ("company", "Acme", NULL);
      g_autoptr(GHashTable) counts = counts_new ("pricing_page", cases[i].visits,
                                                 "trade_show_scan", cases[i].scans, NULL);
      g_autoptr(LkScoreResult) result = lk_scoring_compute (scoring, lead, counts);

      g_test_message ("score %d", (int) result->score);
      g_assert_cmpstr (result->temperature, ==, cases[i].temperature);
      g_assert_cmpint (result->mql, ==, cases[i].mql);
      g_assert_cmpint (result->sql, ==, cases[i].sql);
    }

  /* Without thresholds the temperature and flags stay as typed */
  {
    g_autoptr(LkScoring) partial = scoring_from_json ("{\"enabled\": true, \"thresholds\": {\"sql\": 10}}", &error);
    g_autoptr(LkLead) lead = lk_test_lead_new ("company", "Acme", "temperature", "hot", "mql", "true",
                                              "bant.budget", "true", NULL);
    gint64 points = 0;

    g_assert_no_error (error);
    g_assert_false (lk_scoring_get_threshold (partial, "hot", NULL));
    g_assert_true (lk_scoring_get_threshold (partial, "sql", &points));
    g_assert_cmpint (points, ==, 10);
    g_assert_true (lk_scoring_apply (partial, lead, NULL));
    g_assert_cmpint (lk_record_get_int (LK_RECORD (lead), LK_LEAD_SCORE), ==, 10);
    g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_TEMPERATURE), ==, "hot");
    g_assert_true (lk_record_get_bool (LK_RECORD (lead), LK_LEAD_MQL));
    g_assert_true (lk_record_get_bool (LK_RECORD (lead), LK_LEAD_SQL));
    /* Applying again changes nothing */
    g_assert_false (lk_scoring_apply (partial, lead, NULL));
  }
}

static void
test_settings (void)
{
  g_autoptr(LkScoring) defaults = lk_scoring_new_default ();
  g_autoptr(GError) error = NULL;
  g_autoptr(LkScoring) scoring = NULL;
  g_autoptr(LkScoring) copy = NULL;
  g_autoptr(JsonObject) json = NULL;
  static const struct
  {
    const char *json;
    const char *says;
  } errors[] = {
    { "{\"profile\": [{\"field\": \"budget\", \"op\": \"equals\", \"value\": \"1\", \"points\": 1}]}",
      "“profile[0].field” must be a text field of a lead" },
    { "{\"profile\": [{\"field\": \"industry\", \"op\": \"regex\", \"value\": \"x\"}]}",
      "“profile[0].op” must be “equals”, “contains” or “one_of”, not “regex”" },
    { "{\"profile\": [{\"field\": \"industry\", \"op\": \"one_of\", \"value\": \"x\"}]}",
      "“profile[0].values” must list the values that score" },
    { "{\"profile\": [{\"field\": \"industry\", \"op\": \"equals\", \"points\": 3}]}",
      "“profile[0].value” must give the text that scores" },
    { "{\"profile\": [{\"field\": \"industry\", \"op\": \"equals\", \"value\": \"x\", \"points\": 5000}]}",
      "“profile[0].points” must be a whole number from -1000 to 1000, not 5000" },
    { "{\"events\": [{\"type\": \"webinar\"}, {\"type\": \"webinar\"}]}",
      "“events[1].type” names the event type “webinar” a second time" },
    { "{\"events\": [{\"points\": 3}]}", "“events[0].type” must name the event type" },
    { "{\"bant\": {\"budget\": \"ten\"}}", "“bant.budget” must be a whole number" },
    { "{\"thresholds\": {\"hot\": 20, \"warm\": 30}}", "“thresholds.warm” must not be more than the hot threshold (20)" },
    { "{\"enabled\": \"yes\"}", "“enabled” must be true or false" },
    { "[1]", NULL },
  };

  /* Off until a team turns it on; the seeds' behaviour points */
  g_assert_false (lk_scoring_get_enabled (defaults));
  g_assert_cmpint (lk_scoring_find_event (defaults, "pricing_page")->points, ==, 10);
  g_assert_cmpint (lk_scoring_find_event (defaults, "quote_request")->points, ==, 25);
  g_assert_cmpint (lk_scoring_get_bant_points (defaults, LK_LEAD_BANT_AUTHORITY), ==, 10);
  g_assert_cmpuint (lk_scoring_get_profile_rules (defaults)->len, ==, 0);

  scoring = scoring_from_json (team_rules, &error);
  g_assert_no_error (error);
  json = lk_scoring_to_json (scoring);
  copy = lk_scoring_copy (scoring);
  g_assert_cmpuint (lk_scoring_get_profile_rules (copy)->len, ==, 6);
  g_assert_cmpuint (lk_scoring_get_events (copy)->len, ==, 3);
  g_assert_cmpint (lk_scoring_get_bant_points (copy, LK_LEAD_BANT_NEED), ==, 5);
  g_assert_cmpstr (((LkScoreRule *) g_ptr_array_index (lk_scoring_get_profile_rules (copy), 5))->label, ==,
                   "Personal email");

  for (guint i = 0; i < G_N_ELEMENTS (errors); i++)
    {
      g_autoptr(LkScoring) bad = NULL;

      if (errors[i].says == NULL)
        continue;
      g_clear_error (&error);
      bad = scoring_from_json (errors[i].json, &error);
      g_test_message ("%s", errors[i].json);
      g_assert_null (bad);
      g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, "settings:scoring: "));
      if (strstr (error->message, errors[i].says) == NULL)
        g_error ("“%s” does not say “%s”", error->message, errors[i].says);
    }
}

static void
test_store_default_off (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) created = lk_test_create_lead (db->store, "company", "Acme", "temperature", "hot",
                                                   "score", "42", NULL);
  const char *id = lk_record_get_id (LK_RECORD (created));
  g_autoptr(LkActivity) event = NULL;
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(GError) error = NULL;

  /* No settings:scoring: score and temperature are what people typed */
  event = lk_store_log_event (db->store, id, "quote_request", 0, &error);
  g_assert_no_error (error);
  lead = lk_store_get_lead (db->store, id, &error);
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_NOTES, "edited");
  g_assert_true (lk_store_update_lead (db->store, lead, NULL, &error));
  g_clear_object (&lead);
  lead = lk_store_get_lead (db->store, id, &error);
  g_assert_cmpint (lk_record_get_int (LK_RECORD (lead), LK_LEAD_SCORE), ==, 42);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_TEMPERATURE), ==, "hot");
}

static void
test_store_recomputes (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) before = lk_test_create_lead (db->store, "company", "Before", "industry", "Manufacturing", NULL);
  g_autoptr(LkLead) created = NULL;
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(LkActivity) event = NULL;
  g_autoptr(LkTestChanges) changes = NULL;
  g_autoptr(LkScoreResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;
  const char *id;
  guint n_changed = 99;

  g_assert_true (lk_store_set_rules_json (db->store, "scoring", team_rules, &error));
  g_assert_no_error (error);

  /* A new lead is scored as it is saved */
  created = lk_test_create_lead (db->store, "company", "Acme", "industry", "Manufacturing",
                                 "temperature", "hot", NULL);
  id = lk_record_get_id (LK_RECORD (created));
  g_assert_cmpint (lk_record_get_int (LK_RECORD (created), LK_LEAD_SCORE), ==, 15);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (created), LK_LEAD_TEMPERATURE), ==, "cold");

  /* An edit that matters */
  lead = lk_store_get_lead (db->store, id, &error);
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_TITLE, "采购经理");
  lk_record_set_bool (LK_RECORD (lead), LK_LEAD_BANT_BUDGET, TRUE);
  g_assert_true (lk_store_update_lead (db->store, lead, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lk_record_get_int (LK_RECORD (lead), LK_LEAD_SCORE), ==, 35);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_TEMPERATURE), ==, "warm");
  g_assert_true (lk_record_get_bool (LK_RECORD (lead), LK_LEAD_MQL));

  /* An event, scored in its own transaction: one ::changed for the lead */
  changes = lk_test_changes_new (db->store);
  event = lk_store_log_event (db->store, id, "quote_request", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_test_changes_count (changes, "lead"), ==, 1);
  g_assert_cmpuint (lk_test_changes_count (changes, "activity"), ==, 1);
  g_clear_object (&lead);
  lead = lk_store_get_lead (db->store, id, &error);
  g_assert_cmpint (lk_record_get_int (LK_RECORD (lead), LK_LEAD_SCORE), ==, 60);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_TEMPERATURE), ==, "hot");
  g_assert_true (lk_record_get_bool (LK_RECORD (lead), LK_LEAD_SQL));
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT score FROM leads WHERE id = ?", id, NULL), ==, 60);

  /* What the editor shows */
  result = lk_store_explain_score (db->store, lead, &error);
  g_assert_no_error (error);
  why = explain (result);
  g_assert_cmpstr (why, ==, "Industry is “Manufacturing” +15|Job title contains “经理” +10|"
                            "Asked for a quote +25|Budget confirmed +10");

  /* A lead saved before scoring was on is scored when asked; a second run
   * finds nothing to change */
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT score FROM leads WHERE id = ?",
                                    lk_record_get_id (LK_RECORD (before)), NULL), ==, 0);
  g_assert_true (lk_store_rescore_leads (db->store, NULL, &n_changed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_changed, ==, 1);
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT score FROM leads WHERE id = ?",
                                    lk_record_get_id (LK_RECORD (before)), NULL), ==, 15);
  g_assert_true (lk_store_rescore_leads (db->store, NULL, &n_changed, &error));
  g_assert_cmpuint (n_changed, ==, 0);

  /* New rules, then a rescore of one lead */
  g_assert_true (lk_store_set_rules_json (db->store, "scoring",
                                          "{\"enabled\": true, \"events\": [{\"type\": \"quote_request\", \"points\": 80}]}",
                                          &error));
  g_assert_true (lk_store_rescore_leads (db->store, (const char * const[]) { id, NULL }, &n_changed, &error));
  g_assert_cmpuint (n_changed, ==, 1);
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT score FROM leads WHERE id = ?", id, NULL), ==, 90);

  /* Turned off: scores stay as they were, and can be typed again */
  g_assert_true (lk_store_set_rules_json (db->store, "scoring", "{\"enabled\": false}", &error));
  g_assert_true (lk_store_rescore_leads (db->store, NULL, &n_changed, &error));
  g_assert_cmpuint (n_changed, ==, 0);
  g_clear_object (&lead);
  lead = lk_store_get_lead (db->store, id, &error);
  lk_record_set_int (LK_RECORD (lead), LK_LEAD_SCORE, 7);
  g_assert_true (lk_store_update_lead (db->store, lead, NULL, &error));
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT score FROM leads WHERE id = ?", id, NULL), ==, 7);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/scoring/profile-rules", test_profile_rules);
  g_test_add_func ("/scoring/events-and-bant", test_events_and_bant);
  g_test_add_func ("/scoring/thresholds", test_thresholds);
  g_test_add_func ("/scoring/settings", test_settings);
  g_test_add_func ("/scoring/store-default-off", test_store_default_off);
  g_test_add_func ("/scoring/store-recomputes", test_store_recomputes);

  return g_test_run ();
}
