/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-cadence"

#include <string.h>

#include "lk-cadence.h"
#include "lk-test-util.h"

/* The follow-up cadence: proposed dates per grade in local calendar days
 * (across midnight, time zones and daylight saving time), the stale and
 * too-often rules, and settings:cadence. Times below are Unix ms; their
 * local meaning is in the comment beside each. */

#define MS(x) G_GINT64_CONSTANT (x)

static LkCadence *
cadence_from_json (const char  *text,
                   GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return lk_cadence_new_from_json (json_node_get_object (json_parser_get_root (parser)), error);
}

static LkClock *
clock_in (const char *zone,
          gint64      now)
{
  g_autoptr(GTimeZone) tz = zone ? g_time_zone_new_identifier (zone) : NULL;

  if (zone != NULL)
    g_assert_nonnull (tz);
  return lk_clock_new_fake (now, tz);
}

static void
test_defaults (void)
{
  g_autoptr(LkCadence) cadence = lk_cadence_new_default ();
  const LkCadenceGrade *a = lk_cadence_get_grade (cadence, "A");
  const LkCadenceGrade *b = lk_cadence_get_grade (cadence, "B");
  const LkCadenceGrade *c = lk_cadence_get_grade (cadence, "C");
  const LkStageTrigger *trigger;
  g_autofree char *title = NULL;
  g_autofree char *describe_a = NULL;
  g_autofree char *describe_c = NULL;

  /* The seeds: A every 1–2 days at most once a day, B every 3–5, C every
   * 7–10 at most twice a week */
  g_assert_cmpuint (a->min_days, ==, 1);
  g_assert_cmpuint (a->max_days, ==, 2);
  g_assert_cmpuint (a->max_contacts, ==, 1);
  g_assert_cmpuint (a->per_days, ==, 1);
  g_assert_cmpuint (b->min_days, ==, 3);
  g_assert_cmpuint (b->max_days, ==, 5);
  g_assert_cmpuint (b->max_contacts, ==, 3);
  g_assert_cmpuint (b->per_days, ==, 7);
  g_assert_cmpuint (c->min_days, ==, 7);
  g_assert_cmpuint (c->max_days, ==, 10);
  g_assert_cmpuint (c->max_contacts, ==, 2);
  g_assert_cmpuint (c->per_days, ==, 7);
  /* No grade, or one we do not know: B's rules */
  g_assert_true (lk_cadence_get_grade (cadence, "") == b);
  g_assert_true (lk_cadence_get_grade (cadence, NULL) == b);
  g_assert_true (lk_cadence_get_grade (cadence, "X") == b);
  g_assert_cmpuint (lk_cadence_get_stale_days (cadence), ==, 7);
  g_assert_cmpuint (lk_cadence_get_due_hour (cadence), ==, 9);

  /* Entering Proposal: "call about the quote" three days later */
  g_assert_cmpuint (lk_cadence_get_triggers (cadence)->len, ==, 1);
  trigger = lk_cadence_find_trigger (cadence, "proposal");
  g_assert_nonnull (trigger);
  g_assert_cmpuint (trigger->due_days, ==, 3);
  title = lk_cadence_trigger_title (trigger, NULL);
  g_assert_cmpstr (title, ==, "Call about the quote");
  g_assert_null (lk_cadence_find_trigger (cadence, "qualified"));

  describe_a = lk_cadence_describe_grade (cadence, "A");
  g_assert_cmpstr (describe_a, ==, "every 1–2 days, at most once a day");
  describe_c = lk_cadence_describe_grade (cadence, "C");
  g_assert_cmpstr (describe_c, ==, "every 7–10 days, at most 2 times a week");
}

static void
test_propose_per_grade (void)
{
  g_autoptr(LkCadence) cadence = lk_cadence_new_default ();
  g_autoptr(LkClock) clock = clock_in (NULL, LK_TEST_NOW_MS);  /* Wed 2024-05-15 10:00 UTC */
  static const struct
  {
    const char *grade;
    gint64      earliest;
    gint64      latest;
  } cases[] = {
    { "A", MS (1715850000000), MS (1715936400000) },  /* Thu 05-16 09:00, Fri 05-17 09:00 */
    { "B", MS (1716022800000), MS (1716195600000) },  /* Sat 05-18, Mon 05-20 */
    { "C", MS (1716368400000), MS (1716627600000) },  /* Wed 05-22, Sat 05-25 */
    { "",  MS (1716022800000), MS (1716195600000) },  /* no grade: as B */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 latest = 0;

      g_test_message ("grade “%s”", cases[i].grade);
      g_assert_cmpint (lk_cadence_propose_next (cadence, clock, cases[i].grade, LK_TEST_NOW_MS, &latest), ==,
                       cases[i].earliest);
      g_assert_cmpint (latest, ==, cases[i].latest);
    }
  /* From the first minute of a day or its last, the same day results */
  g_assert_cmpint (lk_cadence_propose_next (cadence, clock, "A", MS (1715731200000), NULL), ==,
                   MS (1715850000000));  /* 05-15 00:00 UTC */
  g_assert_cmpint (lk_cadence_propose_next (cadence, clock, "A", MS (1715817599999), NULL), ==,
                   MS (1715850000000));  /* 05-15 23:59:59.999 UTC */
}

static void
test_propose_across_midnight_and_zones (void)
{
  g_autoptr(LkCadence) cadence = lk_cadence_new_default ();
  g_autoptr(LkClock) shanghai = clock_in ("Asia/Shanghai", LK_TEST_NOW_MS);
  g_autoptr(LkClock) los_angeles = clock_in ("America/Los_Angeles", LK_TEST_NOW_MS);
  g_autoptr(LkClock) utc = clock_in (NULL, LK_TEST_NOW_MS);

  /* Two calls 40 minutes apart, on the same UTC day (05-15) but on both
   * sides of midnight in Shanghai: A's next day differs. */
  g_assert_cmpint (lk_cadence_propose_next (cadence, shanghai, "A", MS (1715787000000), NULL), ==,
                   MS (1715821200000));  /* 05-15 23:30 CST → 05-16 09:00 CST */
  g_assert_cmpint (lk_cadence_propose_next (cadence, shanghai, "A", MS (1715789400000), NULL), ==,
                   MS (1715907600000));  /* 05-16 00:10 CST → 05-17 09:00 CST */
  /* The same two in UTC are both on 05-15: both get 05-16 09:00 UTC */
  g_assert_cmpint (lk_cadence_propose_next (cadence, utc, "A", MS (1715787000000), NULL), ==,
                   MS (1715850000000));
  g_assert_cmpint (lk_cadence_propose_next (cadence, utc, "A", MS (1715789400000), NULL), ==,
                   MS (1715850000000));
  /* West of UTC: 05-15 05:00 UTC is 05-14 22:00 in Los Angeles */
  g_assert_cmpint (lk_cadence_propose_next (cadence, los_angeles, "A", MS (1715749200000), NULL), ==,
                   MS (1715788800000));  /* → 05-15 09:00 PDT */
  g_assert_cmpint (lk_cadence_days_between (los_angeles, MS (1715749200000), MS (1715788800000)), ==, 1);
  g_assert_cmpint (lk_cadence_days_between (utc, MS (1715749200000), MS (1715788800000)), ==, 0);
}

static void
test_propose_across_dst (void)
{
  g_autoptr(LkCadence) cadence = lk_cadence_new_default ();
  g_autoptr(LkClock) berlin = clock_in ("Europe/Berlin", LK_TEST_NOW_MS);

  /* Over the night the clocks go forward (a 23-hour day): still 09:00 */
  g_assert_cmpint (lk_cadence_propose_next (cadence, berlin, "A", MS (1711789200000), NULL), ==,
                   MS (1711868400000));  /* Sat 03-30 10:00 CET → Sun 03-31 09:00 CEST */
  /* Over the night they go back (a 25-hour day), C's seven days later */
  g_assert_cmpint (lk_cadence_propose_next (cadence, berlin, "C", MS (1729418400000), NULL), ==,
                   MS (1730016000000));  /* Sun 10-20 12:00 CEST → Sun 10-27 09:00 CET */
  /* Seven times 24 hours after 09:00 that Sunday would be 08:00 */
  g_assert_cmpint (lk_cadence_local_date_at (berlin, MS (1729418400000), 0, 9) + 7 * LK_TEST_DAY_MS, ==,
                   MS (1730016000000) - LK_TEST_HOUR_MS);
  g_assert_cmpint (lk_cadence_days_between (berlin, MS (1729418400000), MS (1730016000000)), ==, 7);
  g_assert_cmpint (lk_cadence_local_date_at (berlin, MS (1730016000000), -7, 12), ==, MS (1729418400000));
}

static LkLead *
lead_with (gint64      next,
           gint64      updated,
           gint64      contacted,
           const char *stage)
{
  LkLead *lead = lk_lead_new ();
  LkRecord *record = LK_RECORD (lead);

  lk_record_set_int (record, LK_LEAD_NEXT_FOLLOWUP_AT, next);
  lk_record_set_int (record, LK_LEAD_UPDATED_AT, updated);
  lk_record_set_int (record, LK_LEAD_CREATED_AT, MIN (updated, MS (1714521600000)));  /* 05-01 */
  lk_record_set_int (record, LK_LEAD_LAST_CONTACTED_AT, contacted);
  lk_record_set_string (record, LK_LEAD_STAGE, stage);
  return lead;
}

static void
test_stale (void)
{
  g_autoptr(LkCadence) cadence = lk_cadence_new_default ();
  g_autoptr(LkPipeline) pipeline = lk_pipeline_new_default ();
  g_autoptr(LkClock) shanghai = clock_in ("Asia/Shanghai", LK_TEST_NOW_MS);  /* 05-15 18:00 CST */
  g_autoptr(LkClock) utc = clock_in (NULL, LK_TEST_NOW_MS);
  gint64 plan = LK_TEST_NOW_MS + LK_TEST_DAY_MS;
  gint64 late_on_7th = MS (1715097540000);  /* 05-07 23:59 CST = 15:59 UTC */
  gint64 early_on_8th = MS (1715097660000); /* 05-08 00:01 CST = 16:01 UTC */
  g_autoptr(LkLead) fresh = lead_with (plan, LK_TEST_NOW_MS - LK_TEST_HOUR_MS, 0, "contacted");
  g_autoptr(LkLead) no_plan = lead_with (0, LK_TEST_NOW_MS - LK_TEST_HOUR_MS, 0, "contacted");
  g_autoptr(LkLead) eight_days = lead_with (plan, late_on_7th, 0, "contacted");
  g_autoptr(LkLead) seven_days = lead_with (plan, early_on_8th, 0, "qualified");
  g_autoptr(LkLead) called = lead_with (plan, late_on_7th, LK_TEST_NOW_MS - LK_TEST_DAY_MS, "qualified");
  g_autoptr(LkLead) won = lead_with (0, late_on_7th, 0, "won");

  g_assert_false (lk_cadence_is_stale (cadence, shanghai, pipeline, fresh));
  /* No plan: stale at once */
  g_assert_true (lk_cadence_is_stale (cadence, shanghai, pipeline, no_plan));
  /* No update for more than seven local days: two minutes apart, on both
   * sides of midnight in Shanghai */
  g_assert_true (lk_cadence_is_stale (cadence, shanghai, pipeline, eight_days));
  g_assert_false (lk_cadence_is_stale (cadence, shanghai, pipeline, seven_days));
  /* In UTC both are on 05-07, eight days ago */
  g_assert_true (lk_cadence_is_stale (cadence, utc, pipeline, seven_days));
  /* A contact is an update */
  g_assert_false (lk_cadence_is_stale (cadence, shanghai, pipeline, called));
  /* Won and Lost need nothing */
  g_assert_false (lk_cadence_is_stale (cadence, shanghai, pipeline, won));

  lk_cadence_set_stale_days (cadence, 10);
  g_assert_false (lk_cadence_is_stale (cadence, shanghai, pipeline, eight_days));
}

static void
test_too_often (void)
{
  g_autoptr(LkCadence) cadence = lk_cadence_new_default ();
  g_autoptr(LkClock) shanghai = clock_in ("Asia/Shanghai", LK_TEST_NOW_MS);
  g_autoptr(LkClock) utc = clock_in (NULL, LK_TEST_NOW_MS);
  gint64 morning = MS (1715731200000);       /* 05-15 08:00 CST = 00:00 UTC */
  gint64 evening = MS (1715774400000);       /* 05-15 20:00 CST = 12:00 UTC */
  gint64 after_midnight = MS (1715790600000);/* 05-16 00:30 CST = 05-15 16:30 UTC */
  const gint64 monday_wednesday[] = { LK_TEST_NOW_MS - 2 * LK_TEST_DAY_MS, LK_TEST_NOW_MS };
  const gint64 long_ago[] = { LK_TEST_NOW_MS - 9 * LK_TEST_DAY_MS, LK_TEST_NOW_MS - 8 * LK_TEST_DAY_MS };
  const gint64 three[] = { LK_TEST_NOW_MS - 5 * LK_TEST_DAY_MS, LK_TEST_NOW_MS - 3 * LK_TEST_DAY_MS,
                           LK_TEST_NOW_MS - LK_TEST_DAY_MS };

  /* A: once a day. A second call the same local day is too often; one
   * after local midnight is not, though less than a day has passed and
   * the UTC date is the same. */
  g_assert_false (lk_cadence_too_often (cadence, shanghai, "A", NULL, 0, morning));
  g_assert_true (lk_cadence_too_often (cadence, shanghai, "A", &morning, 1, evening));
  g_assert_false (lk_cadence_too_often (cadence, shanghai, "A", &morning, 1, after_midnight));
  g_assert_true (lk_cadence_too_often (cadence, utc, "A", &morning, 1, after_midnight));

  /* C: twice a week. Monday and Wednesday, then Thursday: too often; two
   * calls more than a week ago do not count. */
  g_assert_true (lk_cadence_too_often (cadence, utc, "C", monday_wednesday, 2,
                                       LK_TEST_NOW_MS + LK_TEST_DAY_MS));
  g_assert_false (lk_cadence_too_often (cadence, utc, "C", monday_wednesday, 1,
                                        LK_TEST_NOW_MS + LK_TEST_DAY_MS));
  g_assert_false (lk_cadence_too_often (cadence, utc, "C", long_ago, 2, LK_TEST_NOW_MS));
  /* Seven days after Monday, Monday is out of the window */
  g_assert_false (lk_cadence_too_often (cadence, utc, "C", monday_wednesday, 2,
                                        LK_TEST_NOW_MS + 5 * LK_TEST_DAY_MS));

  /* B: three a week */
  g_assert_true (lk_cadence_too_often (cadence, utc, "B", three, 3, LK_TEST_NOW_MS));
  g_assert_false (lk_cadence_too_often (cadence, utc, "B", three, 2, LK_TEST_NOW_MS));

  /* No limit */
  lk_cadence_set_grade (cadence, "A", &(LkCadenceGrade) { 1, 2, 0, 1 });
  g_assert_false (lk_cadence_too_often (cadence, shanghai, "A", &morning, 1, evening));
}

static void
test_settings (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkCadence) cadence = NULL;
  g_autoptr(LkCadence) copy = NULL;
  g_autoptr(JsonObject) json = NULL;
  g_autofree char *title = NULL;
  const LkStageTrigger *trigger;

  /* A document with some members: the rest keep the defaults */
  cadence = cadence_from_json ("{\"version\": 1, \"grades\": {\"A\": {\"min_days\": 2, \"max_days\": 3}},"
                               " \"ungraded\": \"C\", \"stale_days\": 5, \"due_hour\": 14,"
                               " \"stage_triggers\": [{\"stage\": \"qualified\", \"title\": \"Send the brochure\", \"due_days\": 1},"
                               "                      {\"stage\": \"proposal\", \"due_days\": 2}],"
                               " \"future_member\": {\"kept\": true}}", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_cadence_get_grade (cadence, "A")->min_days, ==, 2);
  g_assert_cmpuint (lk_cadence_get_grade (cadence, "A")->max_contacts, ==, 1);
  g_assert_cmpuint (lk_cadence_get_grade (cadence, "B")->min_days, ==, 3);
  g_assert_true (lk_cadence_get_grade (cadence, "") == lk_cadence_get_grade (cadence, "C"));
  g_assert_cmpuint (lk_cadence_get_stale_days (cadence), ==, 5);
  g_assert_cmpuint (lk_cadence_get_triggers (cadence)->len, ==, 2);
  trigger = lk_cadence_find_trigger (cadence, "qualified");
  g_assert_cmpuint (trigger->due_days, ==, 1);
  title = lk_cadence_trigger_title (trigger, NULL);
  g_assert_cmpstr (title, ==, "Send the brochure");
  g_assert_cmpuint (lk_cadence_find_trigger (cadence, "proposal")->due_days, ==, 2);
  {
    g_autoptr(LkClock) clock = clock_in (NULL, LK_TEST_NOW_MS);

    /* A's two days, at 14:00 */
    g_assert_cmpint (lk_cadence_propose_next (cadence, clock, "A", LK_TEST_NOW_MS, NULL), ==,
                     MS (1715954400000));  /* Fri 05-17 14:00 UTC */
  }

  /* What it writes reads back the same, with the member it did not know */
  json = lk_cadence_to_json (cadence);
  g_assert_cmpint (json_object_get_int_member (json, "version"), ==, 1);
  g_assert_true (json_object_has_member (json, "future_member"));
  copy = lk_cadence_copy (cadence);
  g_assert_cmpuint (lk_cadence_get_grade (copy, "A")->max_days, ==, 3);
  g_assert_cmpuint (lk_cadence_get_due_hour (copy), ==, 14);
  g_assert_cmpuint (lk_cadence_get_triggers (copy)->len, ==, 2);

  /* No triggers at all */
  g_clear_object (&cadence);
  cadence = cadence_from_json ("{\"stage_triggers\": []}", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lk_cadence_get_triggers (cadence)->len, ==, 0);
  lk_cadence_set_trigger (cadence, "contacted", "", 2);
  g_clear_pointer (&title, g_free);
  title = lk_cadence_trigger_title (lk_cadence_find_trigger (cadence, "contacted"), NULL);
  g_assert_cmpstr (title, ==, "Follow up after “contacted”");
  lk_cadence_remove_trigger (cadence, "contacted");
  g_assert_null (lk_cadence_find_trigger (cadence, "contacted"));
}

static void
test_settings_errors (void)
{
  static const struct
  {
    const char *json;
    const char *says;
  } cases[] = {
    { "{\"grades\": {\"A\": {\"min_days\": 3, \"max_days\": 2}}}", "“grades.A.min_days” must not be more than max_days" },
    { "{\"grades\": {\"D\": {\"min_days\": 3}}}", "“grades.D” is not a grade" },
    { "{\"grades\": {\"A\": {\"min_days\": \"one\"}}}", "“grades.A.min_days” must be a whole number from 0 to 365" },
    { "{\"grades\": {\"B\": {\"per_days\": 0}}}", "“grades.B.per_days” must be a whole number from 1 to 365, not 0" },
    { "{\"grades\": []}", "“grades” must be an object" },
    { "{\"stale_days\": true}", "“stale_days” must be a whole number" },
    { "{\"due_hour\": 24}", "“due_hour” must be a whole number from 0 to 23, not 24" },
    { "{\"ungraded\": \"Z\"}", "“ungraded” must be A, B or C" },
    { "{\"stage_triggers\": [{\"due_days\": 3}]}", "“stage_triggers[0].stage” must name a stage" },
    { "{\"stage_triggers\": [{\"stage\": \"proposal\"}, {\"stage\": \"proposal\"}]}",
      "“stage_triggers[1].stage” names the stage “proposal” a second time" },
    { "{\"stage_triggers\": {\"stage\": \"proposal\"}}", "“stage_triggers” must be a list" },
    { "{\"stage_triggers\": [\"proposal\"]}", "“stage_triggers[0]” must be an object" },
    { "{\"version\": 0}", "“version” must be a whole number from 1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LkCadence) cadence = cadence_from_json (cases[i].json, &error);

      g_test_message ("%s", cases[i].json);
      g_assert_null (cadence);
      g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, "settings:cadence: "));
      if (strstr (error->message, cases[i].says) == NULL)
        g_error ("“%s” does not say “%s”", error->message, cases[i].says);
    }

  /* A newer version is refused, not half understood */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LkCadence) cadence = cadence_from_json ("{\"version\": 2}", &error);

    g_assert_null (cadence);
    g_assert_error (error, LK_ERROR, LK_ERROR_SCHEMA_TOO_NEW);
    g_assert_nonnull (strstr (error->message, "newer version of Leadkeeper"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cadence/defaults", test_defaults);
  g_test_add_func ("/cadence/propose/per-grade", test_propose_per_grade);
  g_test_add_func ("/cadence/propose/midnight-and-zones", test_propose_across_midnight_and_zones);
  g_test_add_func ("/cadence/propose/dst", test_propose_across_dst);
  g_test_add_func ("/cadence/stale", test_stale);
  g_test_add_func ("/cadence/too-often", test_too_often);
  g_test_add_func ("/cadence/settings", test_settings);
  g_test_add_func ("/cadence/settings-errors", test_settings_errors);

  return g_test_run ();
}
