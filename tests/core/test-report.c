/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <math.h>

#include <cairo.h>
#include <glib/gstdio.h>

#include "lk-report.h"
#include "lk-report-render.h"
#include "lk-store-followups.h"
#include "lk-test-util.h"

/* A hand-built team history in April 2024 (UTC), every event at 10:00,
 * whose report numbers are worked out by hand in the comments:
 *
 *   L1 alice web  A 1000  created 04-02, contacted 04-03, qualified 04-05,
 *                         proposal 04-08, won 04-10; follow-up 04-03 (+24 h)
 *   L2 bob   web  B  500  created 04-04, proposal 04-06 (skips stages),
 *                         lost 04-09 "Price too high"; follow-up 04-04 (+2 h)
 *   L3 alice fair C  300  created 04-05, contacted 04-06, lost 04-07,
 *                         reopened to contacted 04-12, won 04-20 without
 *                         Qualified; follow-up 04-05 (+6 h)
 *   L4 bob→alice fair A 2000  created 03-20, qualified 03-25, owner
 *                         changed 04-15, won 04-16
 *   L5 bob   web  B  700  created 04-28, contacted 04-29, won 05-03;
 *                         follow-up 04-29 (+24 h)
 *   L6 —     web  —  100  created 04-10, still New, follow-up due 05-01
 *   L7 bob   web  B  900  created 04-11, follow-up 04-12, contacted 04-13,
 *                         then deleted: counted nowhere
 *
 * "Now" is 2024-05-15 (LK_TEST_NOW_MS). */

#define APR(d) (G_GINT64_CONSTANT (1711965600000) + ((d) - 1) * LK_TEST_DAY_MS)  /* 2024-04-d 10:00 UTC */
#define MAR(d) (APR (1) - (32 - (d)) * LK_TEST_DAY_MS)
#define MAY(d) (APR (30) + (d) * LK_TEST_DAY_MS)

typedef struct
{
  LkTestDb *db;
  char     *ids[9];
} History;

static void
at (History *h,
    gint64   ms)
{
  lk_clock_set_now_ms (h->db->clock, ms);
}

static void
move (History    *h,
      int         lead,
      gint64      when,
      const char *stage,
      const char *reason)
{
  g_autoptr(GError) error = NULL;

  at (h, when);
  g_assert_true (lk_store_move_lead (h->db->store, h->ids[lead], stage, reason, &error));
  g_assert_no_error (error);
}

static void
followup (History    *h,
          int         lead,
          gint64      when,
          const char *by)
{
  g_autoptr(LkActivity) activity = lk_activity_new (h->ids[lead], NULL);
  g_autoptr(GError) error = NULL;
  gboolean too_often = FALSE;

  at (h, when);
  lk_store_set_user_id (h->db->store, by);
  lk_record_set_string (LK_RECORD (activity), LK_ACTIVITY_METHOD, "phone");
  lk_record_set_string (LK_RECORD (activity), LK_ACTIVITY_SUMMARY, "call");
  g_assert_true (lk_store_log_followup (h->db->store, activity, &too_often, &error));
  g_assert_no_error (error);
  lk_store_set_user_id (h->db->store, "user:manager");
}

static void
create (History    *h,
        int         lead,
        gint64      when,
        const char *owner,
        const char *source,
        const char *grade,
        const char *amount)
{
  g_autoptr(LkLead) created = NULL;

  at (h, when);
  created = lk_test_create_lead (h->db->store, "company", "Co", "source", source,
                                 "grade", grade, "amount", amount, NULL);
  h->ids[lead] = g_strdup (lk_record_get_id (LK_RECORD (created)));
  if (owner != NULL)
    {
      g_autoptr(GError) error = NULL;

      lk_record_set_string (LK_RECORD (created), LK_LEAD_OWNER, owner);
      g_assert_true (lk_store_update_lead (h->db->store, created, NULL, &error));
      g_assert_no_error (error);
    }
}

static History *
history_new (void)
{
  History *h = g_new0 (History, 1);

  h->db = lk_test_db_new ();
  lk_store_set_user_id (h->db->store, "user:manager");

  create (h, 4, MAR (20), "user:bob", "fair", "A", "2000");
  move (h, 4, MAR (25), "qualified", NULL);

  create (h, 1, APR (2), "user:alice", "web", "A", "1000");
  followup (h, 1, APR (3), "user:alice");
  move (h, 1, APR (3), "contacted", NULL);
  move (h, 1, APR (5), "qualified", NULL);
  move (h, 1, APR (8), "proposal", NULL);
  move (h, 1, APR (10), "won", NULL);

  create (h, 2, APR (4), "user:bob", "web", "B", "500");
  followup (h, 2, APR (4) + 2 * LK_TEST_HOUR_MS, "user:bob");
  move (h, 2, APR (6), "proposal", NULL);
  move (h, 2, APR (9), "lost", "Price too high");

  create (h, 3, APR (5), "user:alice", "fair", "C", "300");
  followup (h, 3, APR (5) + 6 * LK_TEST_HOUR_MS, "user:alice");
  move (h, 3, APR (6), "contacted", NULL);
  move (h, 3, APR (7), "lost", "Chose a competitor");
  move (h, 3, APR (12), "contacted", NULL);
  move (h, 3, APR (20), "won", NULL);

  create (h, 6, APR (10), NULL, "web", "", "100");
  {
    g_autoptr(LkLead) lead = lk_store_get_lead (h->db->store, h->ids[6], NULL);
    g_autoptr(GError) error = NULL;

    lk_record_set_int (LK_RECORD (lead), LK_LEAD_NEXT_FOLLOWUP_AT, MAY (1));
    g_assert_true (lk_store_update_lead (h->db->store, lead, NULL, &error));
    g_assert_no_error (error);
  }

  {
    g_autoptr(LkLead) lead = NULL;
    g_autoptr(GError) error = NULL;

    at (h, APR (15));
    lead = lk_store_get_lead (h->db->store, h->ids[4], NULL);
    lk_record_set_string (LK_RECORD (lead), LK_LEAD_OWNER, "user:alice");
    g_assert_true (lk_store_update_lead (h->db->store, lead, NULL, &error));
    g_assert_no_error (error);
  }
  move (h, 4, APR (16), "won", NULL);

  create (h, 5, APR (28), "user:bob", "web", "B", "700");
  followup (h, 5, APR (29), "user:bob");
  move (h, 5, APR (29), "contacted", NULL);
  move (h, 5, MAY (3), "won", NULL);

  /* L7, deleted: its follow-up and its stay count nowhere. */
  create (h, 0, APR (11), "user:bob", "web", "B", "900");
  followup (h, 0, APR (12), "user:bob");
  move (h, 0, APR (13), "contacted", NULL);
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (lk_store_delete_lead (h->db->store, h->ids[0], &error));
    g_assert_no_error (error);
  }

  at (h, LK_TEST_NOW_MS);
  return h;
}

static void
history_free (History *h)
{
  for (guint i = 0; i < G_N_ELEMENTS (h->ids); i++)
    g_free (h->ids[i]);
  lk_test_db_free (h->db);
  g_free (h);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (History, history_free)

static LkReport *
report_for (History    *h,
            const char *from,
            const char *to,
            const char *owner,
            const char *source)
{
  g_autoptr(LkReportQuery) query = NULL;
  g_autoptr(GError) error = NULL;
  LkReport *report;

  query = lk_report_query_new_dates (from, to, lk_clock_get_timezone (h->db->clock), &error);
  g_assert_no_error (error);
  lk_report_query_set_owner (query, owner);
  lk_report_query_set_source (query, source);
  report = lk_report_compute (h->db->store, query, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

#define assert_near(a, b) g_assert_cmpfloat_with_epsilon ((a), (b), 1e-6)

static void
test_kpis (void)
{
  g_autoptr(History) h = history_new ();
  g_autoptr(LkReport) report = report_for (h, "2024-04-01", "2024-04-30", NULL, NULL);
  const LkReportKpis *k = lk_report_get_kpis (report);

  /* The cohort: L1 L2 L3 L5 L6 (L4 was created in March). */
  g_assert_cmpint (k->new_leads, ==, 5);
  /* L1, L2 (skipped to Proposal), L3 (won without Qualified), L5 (won in May) */
  g_assert_cmpint (k->qualified, ==, 4);
  assert_near (k->qualified_rate, 0.8);
  /* Won in April: L1, L3 (after a loss), L4 (created in March); L5 is May's. */
  g_assert_cmpint (k->won, ==, 3);
  /* L2; L3's loss is undone by its win in the same period. */
  g_assert_cmpint (k->lost, ==, 1);
  assert_near (k->win_rate, 0.75);
  g_assert_cmpint (k->won_amount, ==, 330000);
  /* 8, 15 and 27 days */
  assert_near (k->avg_cycle_days, 50.0 / 3);
  /* 2, 6, 24, 24 hours */
  g_assert_cmpint (k->contacted, ==, 4);
  assert_near (k->median_speed_hours, 15);
  /* Today: only L6 is open, due 05-01. */
  g_assert_cmpint (k->open_count, ==, 1);
  g_assert_cmpint (k->open_value, ==, 10000);
  g_assert_cmpint (k->weighted_value, ==, 500);
  g_assert_cmpint (k->overdue, ==, 1);
}

static void
test_funnel (void)
{
  g_autoptr(History) h = history_new ();
  g_autoptr(LkReport) report = report_for (h, "2024-04-01", "2024-04-30", NULL, NULL);
  GPtrArray *funnel = lk_report_get_funnel (report);
  static const struct { const char *stage; gint64 reached; gint64 lost; double conversion; } expected[] = {
    { "new",       5, 0, 0.8 },
    { "assigned",  4, 0, 1.0 },
    { "contacted", 4, 0, 1.0 },
    { "qualified", 4, 0, 1.0 },
    { "proposal",  4, 1, 0.75 },
    { "won",       3, 0, NAN },
  };

  g_assert_cmpuint (funnel->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < funnel->len; i++)
    {
      LkReportFunnelRow *row = g_ptr_array_index (funnel, i);

      g_assert_cmpstr (row->stage_id, ==, expected[i].stage);
      g_assert_cmpint (row->reached, ==, expected[i].reached);
      g_assert_cmpint (row->lost_here, ==, expected[i].lost);
      if (isnan (expected[i].conversion))
        g_assert_true (isnan (row->conversion));
      else
        assert_near (row->conversion, expected[i].conversion);
    }
}

static void
test_sources_and_weeks (void)
{
  g_autoptr(History) h = history_new ();
  g_autoptr(LkReport) report = report_for (h, "2024-04-01", "2024-04-30", NULL, NULL);
  GPtrArray *sources = lk_report_get_sources (report);
  GArray *weeks = lk_report_get_weeks (report);
  LkReportSourceRow *web, *fair;
  static const gint64 new_per_week[] = { 3, 1, 0, 1, 0 };
  static const gint64 won_per_week[] = { 0, 1, 2, 0, 0 };

  g_assert_cmpuint (sources->len, ==, 2);
  web = g_ptr_array_index (sources, 0);
  fair = g_ptr_array_index (sources, 1);
  g_assert_cmpstr (web->source, ==, "web");
  g_assert_cmpint (web->leads, ==, 4);
  g_assert_cmpint (web->won, ==, 2);
  assert_near (web->conversion, 0.5);
  assert_near (web->avg_deal, 85000);
  g_assert_cmpstr (fair->source, ==, "fair");
  g_assert_cmpint (fair->leads, ==, 1);
  g_assert_cmpint (fair->won, ==, 1);
  assert_near (fair->avg_deal, 30000);

  g_assert_cmpuint (weeks->len, ==, 5);
  for (guint i = 0; i < weeks->len; i++)
    {
      LkReportWeekRow *row = &g_array_index (weeks, LkReportWeekRow, i);

      g_assert_cmpint (row->start_ms, ==, APR (1) - 10 * LK_TEST_HOUR_MS + i * 7 * LK_TEST_DAY_MS);
      g_assert_cmpint (row->new_leads, ==, new_per_week[i]);
      g_assert_cmpint (row->won, ==, won_per_week[i]);
    }
}

static void
test_leaderboard_and_reasons (void)
{
  g_autoptr(History) h = history_new ();
  g_autoptr(LkReport) report = report_for (h, "2024-04-01", "2024-04-30", NULL, NULL);
  GPtrArray *reps = lk_report_get_reps (report);
  GPtrArray *reasons = lk_report_get_lost_reasons (report);
  LkReportRepRow *alice, *bob;
  LkReportReasonRow *reason;

  /* L4 counts for alice, who owns it now; follow-ups for who logged them. */
  g_assert_cmpuint (reps->len, ==, 2);
  alice = g_ptr_array_index (reps, 0);
  bob = g_ptr_array_index (reps, 1);
  g_assert_cmpstr (alice->user_id, ==, "user:alice");
  g_assert_cmpint (alice->won, ==, 3);
  g_assert_cmpint (alice->won_amount, ==, 330000);
  g_assert_cmpint (alice->followups, ==, 2);
  g_assert_cmpstr (bob->user_id, ==, "user:bob");
  g_assert_cmpint (bob->won, ==, 0);
  g_assert_cmpint (bob->won_amount, ==, 0);
  g_assert_cmpint (bob->followups, ==, 2);

  /* L3's "Chose a competitor" was undone by its win. */
  g_assert_cmpuint (reasons->len, ==, 1);
  reason = g_ptr_array_index (reasons, 0);
  g_assert_cmpstr (reason->reason, ==, "Price too high");
  g_assert_cmpint (reason->count, ==, 1);
}

static void
test_stage_time (void)
{
  g_autoptr(History) h = history_new ();
  g_autoptr(LkReport) report = report_for (h, "2024-04-01", "2024-04-30", NULL, NULL);
  GPtrArray *times = lk_report_get_stage_times (report);
  static const struct { const char *stage; gint64 stays; double days; } expected[] = {
    { "new",       4, 5.0 / 4 },   /* L1 1, L2 2, L3 1, L5 1 */
    { "assigned",  0, NAN },
    { "contacted", 3, 11.0 / 3 },  /* L1 2, L3 1 and 8 */
    { "qualified", 2, 12.5 },      /* L1 3, L4 22 (entered in March) */
    { "proposal",  2, 2.5 },       /* L1 2, L2 3 */
  };

  g_autoptr(LkReport) year = report_for (h, "2024-01-01", "2024-12-31", NULL, NULL);
  LkReportStageTimeRow *year_new = g_ptr_array_index (lk_report_get_stage_times (year), 0);

  /* A long period reads the history in another way: the same answers.
   * New: L1 1, L2 2, L3 1, L4 5, L5 1 (not the deleted L7's 2). */
  g_assert_cmpint (year_new->stays, ==, 5);
  assert_near (year_new->avg_days, 2.0);
  /* And the funnel, merged in C: L1-L6, L4 reached Won, L6 stayed New. */
  {
    static const gint64 reached[] = { 6, 5, 5, 5, 5, 4 };
    GPtrArray *funnel = lk_report_get_funnel (year);

    for (guint i = 0; i < G_N_ELEMENTS (reached); i++)
      g_assert_cmpint (((LkReportFunnelRow *) g_ptr_array_index (funnel, i))->reached, ==, reached[i]);
    g_assert_cmpint (lk_report_get_kpis (year)->qualified, ==, 5);
    g_assert_cmpint (((LkReportFunnelRow *) g_ptr_array_index (funnel, 4))->lost_here, ==, 1);
    g_assert_cmpuint (lk_report_get_months (year)->len, ==, 12);
    g_assert_null (((LkReportMonthRow *) g_ptr_array_index (lk_report_get_months (year), 2))->most_lost_stage);
    g_assert_cmpstr (((LkReportMonthRow *) g_ptr_array_index (lk_report_get_months (year), 3))->most_lost_stage,
                     ==, "proposal");
  }
  /* And what was won and lost in it, from the same pass: L1, L3, L4, L5
   * won (8, 15, 27, 5 days), L2 lost. */
  {
    const LkReportKpis *k = lk_report_get_kpis (year);
    GPtrArray *reps = lk_report_get_reps (year);
    GArray *weeks = lk_report_get_weeks (year);
    LkReportRepRow *alice = g_ptr_array_index (reps, 0);
    LkReportRepRow *bob = g_ptr_array_index (reps, 1);
    gint64 won_in_weeks = 0;

    g_assert_cmpint (k->won, ==, 4);
    g_assert_cmpint (k->lost, ==, 1);
    g_assert_cmpint (k->won_amount, ==, 400000);
    assert_near (k->avg_cycle_days, 55.0 / 4);
    g_assert_cmpuint (reps->len, ==, 2);
    g_assert_cmpstr (alice->user_id, ==, "user:alice");
    g_assert_cmpint (alice->won, ==, 3);
    g_assert_cmpint (alice->followups, ==, 2);
    g_assert_cmpstr (bob->user_id, ==, "user:bob");
    g_assert_cmpint (bob->won, ==, 1);
    g_assert_cmpint (bob->won_amount, ==, 70000);
    g_assert_cmpint (bob->followups, ==, 2);
    g_assert_cmpuint (lk_report_get_lost_reasons (year)->len, ==, 1);
    for (guint i = 0; i < weeks->len; i++)
      won_in_weeks += g_array_index (weeks, LkReportWeekRow, i).won;
    g_assert_cmpint (won_in_weeks, ==, 4);
  }

  g_assert_cmpuint (times->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < times->len; i++)
    {
      LkReportStageTimeRow *row = g_ptr_array_index (times, i);

      g_assert_cmpstr (row->stage_id, ==, expected[i].stage);
      g_assert_cmpint (row->stays, ==, expected[i].stays);
      if (isnan (expected[i].days))
        g_assert_true (isnan (row->avg_days));
      else
        assert_near (row->avg_days, expected[i].days);
    }
}

static void
test_monthly (void)
{
  g_autoptr(History) h = history_new ();
  g_autoptr(LkReport) report = report_for (h, "2024-03-01", "2024-04-30", NULL, NULL);
  GPtrArray *months = lk_report_get_months (report);
  LkReportMonthRow *march, *april;
  g_autoptr(LkReportTable) table = NULL;
  g_autofree char *csv = NULL;

  g_assert_cmpuint (months->len, ==, 2);
  march = g_ptr_array_index (months, 0);
  april = g_ptr_array_index (months, 1);
  g_assert_cmpstr (march->month, ==, "2024-03");
  g_assert_cmpint (march->leads, ==, 1);
  g_assert_cmpint (march->grade_a, ==, 1);
  g_assert_cmpint (march->won, ==, 1);
  assert_near (march->conversion, 1.0);
  assert_near (march->avg_cycle_days, 27);
  g_assert_null (march->most_lost_stage);

  g_assert_cmpstr (april->month, ==, "2024-04");
  g_assert_cmpint (april->leads, ==, 5);
  g_assert_cmpint (april->grade_a, ==, 1);
  g_assert_cmpint (april->grade_b, ==, 2);
  g_assert_cmpint (april->grade_c, ==, 1);
  /* L1, L3 and L5 (won in May: the cohort is followed to today) */
  g_assert_cmpint (april->won, ==, 3);
  assert_near (april->conversion, 0.6);
  assert_near (april->avg_cycle_days, 28.0 / 3);
  g_assert_cmpstr (april->most_lost_stage, ==, "proposal");

  /* 61 days: read in the merged pass; by source and speed as in April's */
  {
    GPtrArray *sources = lk_report_get_sources (report);
    LkReportSourceRow *web = g_ptr_array_index (sources, 0);
    LkReportSourceRow *fair = g_ptr_array_index (sources, 1);

    g_assert_cmpint (lk_report_get_kpis (report)->new_leads, ==, 6);
    g_assert_cmpstr (web->source, ==, "web");
    g_assert_cmpint (web->leads, ==, 4);
    g_assert_cmpint (web->won, ==, 2);
    assert_near (web->avg_deal, 85000);
    g_assert_cmpstr (fair->source, ==, "fair");
    g_assert_cmpint (fair->leads, ==, 2);
    g_assert_cmpint (fair->won, ==, 2);
    assert_near (fair->avg_deal, 115000);
    g_assert_cmpint (lk_report_get_kpis (report)->contacted, ==, 4);
    assert_near (lk_report_get_kpis (report)->median_speed_hours, 15);
  }

  table = lk_report_get_table (report, LK_REPORT_MONTHLY);
  g_assert_cmpuint (g_strv_length (table->headers), ==, 10);
  g_assert_cmpuint (table->rows->len, ==, 2);
  csv = lk_report_table_to_csv (table);
  g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBF" "Month,Leads,A,B,C,Won,Conversion,"));
  g_assert_nonnull (strstr (csv, "\r\n2024-04,5,1,2,1,3,60.0 %,9.3,Proposal,\r\n"));
}

static void
test_filters (void)
{
  g_autoptr(History) h = history_new ();
  g_autoptr(LkReport) alice = report_for (h, "2024-04-01", "2024-04-30", "user:alice", NULL);
  g_autoptr(LkReport) bob = report_for (h, "2024-04-01", "2024-04-30", "user:bob", NULL);
  g_autoptr(LkReport) fair = report_for (h, "2024-04-01", "2024-04-30", NULL, "fair");
  g_autoptr(LkReport) may = report_for (h, "2024-05-01", "2024-05-31", NULL, NULL);
  g_autoptr(LkReport) march = report_for (h, "2024-03-01", "2024-03-31", NULL, NULL);

  g_assert_cmpint (lk_report_get_kpis (alice)->new_leads, ==, 2);
  g_assert_cmpint (lk_report_get_kpis (alice)->won, ==, 3);
  g_assert_cmpint (lk_report_get_kpis (alice)->lost, ==, 0);
  assert_near (lk_report_get_kpis (alice)->win_rate, 1.0);
  g_assert_cmpuint (lk_report_get_reps (alice)->len, ==, 1);

  g_assert_cmpint (lk_report_get_kpis (bob)->new_leads, ==, 2);
  g_assert_cmpint (lk_report_get_kpis (bob)->won, ==, 0);
  assert_near (lk_report_get_kpis (bob)->win_rate, 0.0);
  g_assert_cmpint (lk_report_get_kpis (bob)->open_count, ==, 0);
  g_assert_cmpuint (lk_report_get_reps (bob)->len, ==, 1);
  g_assert_cmpint (((LkReportRepRow *) g_ptr_array_index (lk_report_get_reps (bob), 0))->followups, ==, 2);
  /* L2's New (2 days); L5's (1 day); not the deleted L7's */
  g_assert_cmpint (((LkReportStageTimeRow *) g_ptr_array_index (lk_report_get_stage_times (bob), 0))->stays, ==, 2);

  /* A long period reads another way: the same answers. */
  {
    g_autoptr(LkReport) year = report_for (h, "2024-01-01", "2024-12-31", "user:bob", NULL);

    /* L2, L5 (L7 is deleted; L4 is alice's now) */
    g_assert_cmpint (lk_report_get_kpis (year)->new_leads, ==, 2);
    g_assert_cmpint (lk_report_get_kpis (year)->won, ==, 1);
    g_assert_cmpint (lk_report_get_kpis (year)->lost, ==, 1);
    assert_near (lk_report_get_kpis (year)->win_rate, 0.5);
    g_assert_cmpint (((LkReportFunnelRow *) g_ptr_array_index (lk_report_get_funnel (year), 4))->reached, ==, 2);
  }

  /* L3 and L4 */
  g_assert_cmpint (lk_report_get_kpis (fair)->new_leads, ==, 1);
  g_assert_cmpint (lk_report_get_kpis (fair)->won, ==, 2);
  g_assert_cmpint (lk_report_get_kpis (fair)->won_amount, ==, 230000);

  /* L5 won on 05-03, 5 days after it was created; no new leads. */
  g_assert_cmpint (lk_report_get_kpis (may)->new_leads, ==, 0);
  g_assert_true (isnan (lk_report_get_kpis (may)->qualified_rate));
  g_assert_cmpint (lk_report_get_kpis (may)->won, ==, 1);
  assert_near (lk_report_get_kpis (may)->avg_cycle_days, 5);

  /* March: L4 is new and reached Won (in April); nothing closed in March. */
  g_assert_cmpint (lk_report_get_kpis (march)->new_leads, ==, 1);
  g_assert_cmpint (lk_report_get_kpis (march)->qualified, ==, 1);
  g_assert_cmpint (lk_report_get_kpis (march)->won, ==, 0);
  g_assert_true (isnan (lk_report_get_kpis (march)->win_rate));
  g_assert_true (isnan (lk_report_get_kpis (march)->avg_cycle_days));
}

static void
assert_open (LkReport *report,
             gint64    count,
             gint64    value,
             gint64    weighted,
             gint64    overdue)
{
  const LkReportKpis *k = lk_report_get_kpis (report);

  g_assert_cmpint (k->open_count, ==, count);
  g_assert_cmpint (k->open_value, ==, value);
  g_assert_cmpint (k->weighted_value, ==, weighted);
  g_assert_cmpint (k->overdue, ==, overdue);
}

static void
set_due (History *h,
         int      lead,
         gint64   due)
{
  g_autoptr(LkLead) lead_row = lk_store_get_lead (h->db->store, h->ids[lead], NULL);
  g_autoptr(GError) error = NULL;

  lk_record_set_int (LK_RECORD (lead_row), LK_LEAD_NEXT_FOLLOWUP_AT, due);
  g_assert_true (lk_store_update_lead (h->db->store, lead_row, NULL, &error));
  g_assert_no_error (error);
}

/* The open pipeline is today's, whatever the period: a long period adds
 * it up in its pass over the leads, a short one in SQL. Open today: L6
 * (New, 100, due 05-01: overdue), L8 (Qualified, 400, due 05-20), L9
 * (Proposal, 250, due 05-14: overdue). Weighted: 5 % of 100 + 40 % of
 * 400 + 60 % of 250 = 315. */
static void
test_open_pipeline (void)
{
  g_autoptr(History) h = history_new ();

  create (h, 7, MAY (10), "user:alice", "web", "A", "400");
  move (h, 7, MAY (11), "qualified", NULL);
  set_due (h, 7, MAY (20));
  create (h, 8, MAY (12), "user:bob", "fair", "B", "250");
  move (h, 8, MAY (13), "proposal", NULL);
  set_due (h, 8, MAY (14));
  at (h, LK_TEST_NOW_MS);

  {
    g_autoptr(LkReport) may = report_for (h, "2024-05-01", "2024-05-31", NULL, NULL);
    g_autoptr(LkReport) year = report_for (h, "2024-01-01", "2024-12-31", NULL, NULL);
    g_autoptr(LkReport) alice = report_for (h, "2024-01-01", "2024-12-31", "user:alice", NULL);
    g_autoptr(LkReport) fair = report_for (h, "2024-01-01", "2024-12-31", NULL, "fair");
    g_autoptr(LkReport) fair_may = report_for (h, "2024-05-01", "2024-05-31", NULL, "fair");

    assert_open (may, 3, 75000, 31500, 2);
    assert_open (year, 3, 75000, 31500, 2);
    /* L8 (L6 has no owner) */
    assert_open (alice, 1, 40000, 16000, 0);
    /* L9 */
    assert_open (fair, 1, 25000, 15000, 1);
    assert_open (fair_may, 1, 25000, 15000, 1);
  }
}

/* A database that ran step 4 has the narrower report indexes: step 5
 * makes them again, covering a loss's reason, the next follow-up and
 * the follow-ups' own WHERE, and the long period's numbers are the same. */
static void
test_migrated_indexes (void)
{
  g_autoptr(History) h = history_new ();
  g_autoptr(LkReport) before = report_for (h, "2024-01-01", "2024-12-31", NULL, NULL);
  g_autoptr(LkReport) after = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *peek = lk_test_db_peek (h->db);
  const char *covered =
    "SELECT (SELECT count(*) FROM pragma_index_info('stage_changes_history') WHERE name = 'reason') + "
    "(SELECT count(*) FROM pragma_index_info('leads_report') WHERE name = 'next_followup_at') + "
    "(SELECT count(*) FROM pragma_index_info('activities_followups') WHERE name = 'deleted') + "
    "(SELECT count(*) FROM pragma_index_info('activities_followups_lead') WHERE name = 'deleted')";

  g_assert_cmpint (lk_test_sql_int (peek, covered, NULL), ==, 4);
  g_clear_object (&h->db->store);
  lk_test_sql_exec (peek,
                    "DROP INDEX stage_changes_history; DROP INDEX leads_report;"
                    "CREATE INDEX stage_changes_history ON stage_changes (lead_id, at, to_stage, from_stage) "
                    "WHERE deleted = 0;"
                    "CREATE INDEX leads_report ON leads (id, owner, source, created_at, amount, stage, grade, "
                    "stage_entered_at, first_contacted_at) WHERE deleted = 0;"
                    "DROP INDEX activities_followups; DROP INDEX activities_followups_lead;"
                    "CREATE INDEX activities_followups ON activities (by_user, at, lead_id) "
                    "WHERE kind = 'followup' AND deleted = 0;"
                    "CREATE INDEX activities_followups_lead ON activities (lead_id, at, by_user) "
                    "WHERE kind = 'followup' AND deleted = 0;"
                    LK_TEST_SQL_SEARCH_BEFORE_8
                    "PRAGMA user_version = 4;");
  g_assert_cmpint (lk_test_sql_int (peek, covered, NULL), ==, 0);

  h->db->store = lk_store_open (h->db->path, h->db->clock, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_test_sql_int (peek, "PRAGMA user_version", NULL), ==, LK_SCHEMA_VERSION);
  g_assert_cmpint (lk_test_sql_int (peek, covered, NULL), ==, 4);
  after = report_for (h, "2024-01-01", "2024-12-31", NULL, NULL);
  {
    g_autoptr(JsonNode) a = lk_report_to_json (before);
    g_autoptr(JsonNode) b = lk_report_to_json (after);
    g_autofree char *text_a = json_to_string (a, FALSE);
    g_autofree char *text_b = json_to_string (b, FALSE);

    g_assert_cmpstr (text_a, ==, text_b);
  }
  assert_open (after, 1, 10000, 500, 1);
}

static void
test_empty_and_bad_dates (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkReportQuery) query = lk_report_query_new_period (LK_REPORT_PERIOD_THIS_MONTH, db->clock);
  g_autoptr(LkReport) report = NULL;
  g_autoptr(GError) error = NULL;
  LkReportQuery *bad;

  report = lk_report_compute (db->store, query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_report_get_kpis (report)->new_leads, ==, 0);
  g_assert_true (isnan (lk_report_get_kpis (report)->win_rate));
  g_assert_cmpuint (lk_report_get_months (report)->len, ==, 1);
  /* 2024-05-01 → 2024-05-16 (today included) */
  g_assert_cmpint (lk_report_query_get_from (query), ==, G_GINT64_CONSTANT (1714521600000));
  g_assert_cmpint (lk_report_query_get_to (query), ==, G_GINT64_CONSTANT (1715817600000));

  bad = lk_report_query_new_dates ("2024-13-01", "2024-12-31", NULL, &error);
  g_assert_null (bad);
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_clear_error (&error);
  bad = lk_report_query_new_dates ("2024-05-02", "2024-05-01", NULL, &error);
  g_assert_null (bad);
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
}

/* Sums are in the team's currency: the locale's until it is set */
static void
test_team_currency (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkReportQuery) query = lk_report_query_new_period (LK_REPORT_PERIOD_THIS_MONTH, db->clock);
  g_autoptr(LkReport) before = NULL;
  g_autoptr(LkReport) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) usd = lk_test_lead_new ("company", "Acme", "currency", "USD", "amount", "100", NULL);

  /* A lead in another currency does not decide it */
  g_assert_true (lk_store_create_lead (db->store, usd, &error));
  before = lk_report_compute (db->store, query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lk_report_get_currency (before), ==, "CNY");
  g_assert_true (lk_store_set_currency (db->store, "TWD", &error));
  after = lk_report_compute (db->store, query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lk_report_get_currency (after), ==, "TWD");
}

static void
computed_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  LkReport **report = user_data;
  g_autoptr(GError) error = NULL;

  *report = lk_report_compute_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_async_same_as_sync (void)
{
  g_autoptr(History) h = history_new ();
  g_autoptr(LkReport) sync_report = report_for (h, "2024-04-01", "2024-04-30", NULL, NULL);
  g_autoptr(LkReport) async_report = NULL;
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;

  lk_report_compute_async (h->db->store, lk_report_get_query (sync_report), NULL, computed_cb, &async_report);
  while (async_report == NULL)
    g_main_context_iteration (NULL, TRUE);
  a = lk_report_to_json (sync_report);
  b = lk_report_to_json (async_report);
  g_assert_true (json_node_equal (a, b));
}

/* The drawing library: what the hover shows, the PNG and CSV exports. */
static void
test_render_exports (void)
{
  g_autoptr(History) h = history_new ();
  g_autoptr(LkReport) report = report_for (h, "2024-04-01", "2024-04-30", NULL, NULL);
  g_autofree char *png = g_build_filename (h->db->dir, "funnel.png", NULL);
  g_autofree char *csv_path = g_build_filename (h->db->dir, "sources.csv", NULL);
  g_autofree char *csv = NULL;
  g_autofree char *tip = NULL;
  g_autofree char *summary = NULL;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *image;
  int item = -1;

  /* Somewhere on the first band of the funnel is its first bar. */
  for (int y = 0; y < 300 && item < 0; y++)
    item = lk_report_chart_hit (report, LK_REPORT_FUNNEL, 600, 300, 300, y);
  g_assert_cmpint (item, ==, 0);
  tip = lk_report_chart_describe (report, LK_REPORT_FUNNEL, item);
  g_assert_nonnull (strstr (tip, "New"));
  g_assert_nonnull (strstr (tip, ": 5"));
  g_assert_nonnull (strstr (tip, "80.0 %"));
  g_assert_null (lk_report_chart_describe (report, LK_REPORT_FUNNEL, 99));
  summary = lk_report_chart_summary (report, LK_REPORT_LOST_REASONS);
  g_assert_nonnull (strstr (summary, "Price too high"));

  g_assert_true (lk_report_write_chart_png (report, LK_REPORT_SOURCES, png, 400, 300, TRUE, &error));
  g_assert_no_error (error);
  image = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (image), ==, 800);
  cairo_surface_destroy (image);
  g_unlink (png);

  g_assert_true (lk_report_write_csv (report, LK_REPORT_SOURCES, csv_path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_assert_nonnull (strstr (csv, "\r\nweb,4,2,50.0 %,"));
  g_unlink (csv_path);

  g_assert_false (lk_report_write_csv (report, LK_REPORT_SOURCES, "/nonexistent/x.csv", &error));
  g_assert_nonnull (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/report/kpis", test_kpis);
  g_test_add_func ("/report/funnel", test_funnel);
  g_test_add_func ("/report/sources-weeks", test_sources_and_weeks);
  g_test_add_func ("/report/leaderboard-reasons", test_leaderboard_and_reasons);
  g_test_add_func ("/report/stage-time", test_stage_time);
  g_test_add_func ("/report/monthly", test_monthly);
  g_test_add_func ("/report/filters", test_filters);
  g_test_add_func ("/report/open-pipeline", test_open_pipeline);
  g_test_add_func ("/report/migrated-indexes", test_migrated_indexes);
  g_test_add_func ("/report/empty-bad-dates", test_empty_and_bad_dates);
  g_test_add_func ("/report/team-currency", test_team_currency);
  g_test_add_func ("/report/async", test_async_same_as_sync);
  g_test_add_func ("/report/render-exports", test_render_exports);

  return g_test_run ();
}
