/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-clock"

#include "lk-test-util.h"

/* Every "now" and every "today" in the core comes from LkClock. Days are
 * counted in the clock's time zone, which for a Shanghai office is eight
 * hours ahead of the UTC times stored in the database. */

static void
test_fake (void)
{
  g_autoptr(LkClock) clock = lk_test_clock_new (NULL);

  g_assert_true (lk_clock_is_fake (clock));
  g_assert_cmpint (lk_clock_now_ms (clock), ==, LK_TEST_NOW_MS);
  g_assert_cmpint (lk_clock_now_ms (clock), ==, LK_TEST_NOW_MS);
  lk_clock_advance_ms (clock, 1500);
  g_assert_cmpint (lk_clock_now_ms (clock), ==, LK_TEST_NOW_MS + 1500);
  lk_clock_advance_ms (clock, -LK_TEST_DAY_MS);
  g_assert_cmpint (lk_clock_now_ms (clock), ==, LK_TEST_NOW_MS + 1500 - LK_TEST_DAY_MS);
  lk_clock_set_now_ms (clock, 42);
  g_assert_cmpint (lk_clock_now_ms (clock), ==, 42);
  g_assert_cmpstr (g_time_zone_get_identifier (lk_clock_get_timezone (clock)), ==, "UTC");
}

static void
test_system (void)
{
  g_autoptr(LkClock) clock = lk_clock_new_system ();
  gint64 before = g_get_real_time () / 1000;
  gint64 now = lk_clock_now_ms (clock);
  gint64 after = g_get_real_time () / 1000;

  g_assert_false (lk_clock_is_fake (clock));
  g_assert_cmpint (now, >=, before);
  g_assert_cmpint (now, <=, after);
  g_assert_nonnull (lk_clock_get_timezone (clock));
}

static void
test_start_of_day_utc (void)
{
  g_autoptr(LkClock) clock = lk_test_clock_new (NULL);
  gint64 midnight = G_GINT64_CONSTANT (1715731200000);   /* 2024-05-15 00:00 UTC */

  g_assert_cmpint (lk_clock_start_of_day (clock, LK_TEST_NOW_MS), ==, midnight);
  g_assert_cmpint (lk_clock_start_of_day (clock, midnight), ==, midnight);
  g_assert_cmpint (lk_clock_start_of_day (clock, midnight + LK_TEST_DAY_MS - 1), ==, midnight);
  g_assert_cmpint (lk_clock_start_of_day (clock, midnight - 1), ==, midnight - LK_TEST_DAY_MS);
}

static void
test_start_of_day_shanghai (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr(LkClock) clock = NULL;
  /* Midnight in Shanghai is 16:00 UTC the day before */
  gint64 thursday = G_GINT64_CONSTANT (1715788800000);   /* 2024-05-16 00:00 CST = 05-15 16:00 UTC */
  gint64 wednesday = G_GINT64_CONSTANT (1715702400000);  /* 2024-05-15 00:00 CST = 05-14 16:00 UTC */

  g_assert_nonnull (tz);
  clock = lk_test_clock_new (tz);
  g_assert_true (lk_clock_get_timezone (clock) == tz);

  /* 10:00 UTC is 18:00 in Shanghai: still Wednesday there */
  g_assert_cmpint (lk_clock_start_of_day (clock, LK_TEST_NOW_MS), ==, wednesday);
  /* 20:00 UTC Wednesday is 04:00 Thursday in Shanghai: the UTC date has
   * not changed, the local one has */
  g_assert_cmpint (lk_clock_start_of_day (clock, LK_TEST_NOW_MS + 10 * LK_TEST_HOUR_MS), ==, thursday);
  /* The last millisecond of Wednesday in Shanghai, and the first of Thursday */
  g_assert_cmpint (lk_clock_start_of_day (clock, thursday - 1), ==, wednesday);
  g_assert_cmpint (lk_clock_start_of_day (clock, thursday), ==, thursday);
  /* 01:00 UTC Thursday is still Thursday 09:00 in Shanghai */
  g_assert_cmpint (lk_clock_start_of_day (clock, thursday + 9 * LK_TEST_HOUR_MS), ==, thursday);
}

static void
test_start_of_day_west (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("America/Los_Angeles");
  g_autoptr(LkClock) clock = NULL;
  gint64 at = G_GINT64_CONSTANT (1715749200000);         /* 2024-05-15 05:00 UTC = 05-14 22:00 PDT */
  gint64 midnight = G_GINT64_CONSTANT (1715670000000);   /* 2024-05-14 00:00 PDT */

  g_assert_nonnull (tz);
  clock = lk_test_clock_new (tz);
  g_assert_cmpint (lk_clock_start_of_day (clock, at), ==, midnight);
}

static void
test_start_of_day_dst (void)
{
  /* Days of 23 and 25 hours: midnight is still local midnight */
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(LkClock) clock = NULL;

  g_assert_nonnull (tz);
  clock = lk_test_clock_new (tz);
  /* 2024-03-31 12:00 UTC (CEST) → 2024-03-31 00:00 CET */
  g_assert_cmpint (lk_clock_start_of_day (clock, G_GINT64_CONSTANT (1711886400000)), ==,
                   G_GINT64_CONSTANT (1711839600000));
  /* 2024-10-27 12:00 UTC (CET) → 2024-10-27 00:00 CEST */
  g_assert_cmpint (lk_clock_start_of_day (clock, G_GINT64_CONSTANT (1730030400000)), ==,
                   G_GINT64_CONSTANT (1729980000000));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/clock/fake", test_fake);
  g_test_add_func ("/clock/system", test_system);
  g_test_add_func ("/clock/start-of-day/utc", test_start_of_day_utc);
  g_test_add_func ("/clock/start-of-day/shanghai", test_start_of_day_shanghai);
  g_test_add_func ("/clock/start-of-day/west", test_start_of_day_west);
  g_test_add_func ("/clock/start-of-day/dst", test_start_of_day_dst);

  return g_test_run ();
}
