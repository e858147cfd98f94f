/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <string.h>

#include "lk-context.h"
#include "lk-error.h"
#include "lk-store-followups.h"
#include "followups/lk-followup-dialog.h"
#include "followups/lk-followup-row.h"
#include "followups/lk-followups-view.h"
#include "followups/lk-reminders.h"
#include "leads/lk-lead-editor.h"
#include "lk-window.h"
#include "pipeline/lk-lead-card.h"

/* The follow-up UI over a temporary database on a fake clock (Wednesday
 * 2024-05-15 10:00 UTC): the Log Follow-up dialog's proposals, warning and
 * save; the Follow-ups view's sections; the reminders' timing. */

typedef struct
{
  char             *dir;
  LkClock          *clock;
  LkContext        *context;
  LkFollowupDialog *dialog;      /* weak: it destroys itself on save */
  LkActivity       *logged;
  gboolean          logged_too_often;
  GPtrArray        *reminders;   /* "id: title" */
} Fixture;

static gint64
utc_ms (int year,
        int month,
        int day,
        int hour,
        int minute)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (year, month, day, hour, minute, 0);

  return g_date_time_to_unix (dt) * 1000;
}

#define NOW_MS utc_ms (2024, 5, 15, 10, 0)

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *path = NULL;
  g_autoptr(LkUser) me = lk_user_new ("lilei", "李雷", "rep");
  g_autoptr(LkUser) other = lk_user_new ("hanmeimei", "韩梅梅", "rep");

  f->dir = g_dir_make_tmp ("wt-followups-ui-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "test.db", NULL);
  f->clock = lk_clock_new_fake (NOW_MS, utc);
  f->context = lk_context_new (path, f->clock, &error);
  g_assert_no_error (error);
  g_assert_true (lk_store_save_user (lk_context_get_store (f->context), me, &error));
  g_assert_true (lk_store_save_user (lk_context_get_store (f->context), other, &error));
  g_assert_no_error (error);
  g_assert_true (lk_context_set_user_id (f->context, "user:lilei", &error));
  g_assert_no_error (error);
  f->reminders = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GFile) dir = NULL;

  if (f->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (f->dialog));
  g_assert_null (f->dialog);
  g_clear_object (&f->logged);
  g_clear_object (&f->context);
  g_clear_object (&f->clock);
  g_clear_pointer (&f->reminders, g_ptr_array_unref);
  iterate ();
  {
    g_autoptr(GDir) listing = g_dir_open (f->dir, 0, NULL);
    const char *name;

    while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
      {
        g_autofree char *file = g_build_filename (f->dir, name, NULL);

        g_remove (file);
      }
    g_rmdir (f->dir);
  }
  g_free (f->dir);
}

static LkLead *
add_lead (Fixture    *f,
          const char *company,
          const char *grade,
          const char *owner,
          gint64      next_due)
{
  g_autoptr(GError) error = NULL;
  LkLead *lead = lk_lead_new ();
  LkRecord *record = LK_RECORD (lead);

  lk_record_set_string (record, LK_LEAD_COMPANY, company);
  lk_record_set_string (record, LK_LEAD_STAGE, "contacted");
  lk_record_set_string (record, LK_LEAD_GRADE, grade);
  lk_record_set_string (record, LK_LEAD_OWNER, owner);
  lk_record_set_int (record, LK_LEAD_NEXT_FOLLOWUP_AT, next_due);
  g_assert_true (lk_store_create_lead (lk_context_get_store (f->context), lead, &error));
  g_assert_no_error (error);
  return lead;
}

static LkLead *
reread (Fixture *f,
        LkLead  *lead)
{
  g_autoptr(GError) error = NULL;
  LkLead *stored = lk_store_get_lead (lk_context_get_store (f->context), lk_record_get_id (LK_RECORD (lead)), &error);

  g_assert_no_error (error);
  return stored;
}

static void
logged_cb (LkFollowupDialog *dialog,
           LkActivity       *followup,
           gboolean          too_often,
           Fixture          *f)
{
  g_clear_object (&f->logged);
  f->logged = g_object_ref (followup);
  f->logged_too_often = too_often;
}

static void
open_dialog (Fixture *f,
             LkLead  *lead)
{
  g_autoptr(GError) error = NULL;

  f->dialog = lk_followup_dialog_open (NULL, f->context, lk_record_get_id (LK_RECORD (lead)), &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->dialog);
  g_object_add_weak_pointer (G_OBJECT (f->dialog), (gpointer *) &f->dialog);
  g_signal_connect (f->dialog, "logged", G_CALLBACK (logged_cb), f);
  iterate ();
}

static void
set (Fixture    *f,
     const char *field,
     const char *text)
{
  g_assert_true (lk_followup_dialog_set_text (f->dialog, field, text));
}

static void
test_dialog_proposes_and_saves (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(LkLead) lead = add_lead (f, "华为技术", "A", "user:lilei", 0);
  g_autoptr(LkLead) stored = NULL;
  g_autoptr(GPtrArray) activities = NULL;
  g_autoptr(GError) error = NULL;
  LkRecord *activity;

  open_dialog (f, lead);
  /* The time is now; grade A (1–2 days) proposes tomorrow at 09:00. */
  g_assert_cmpint (lk_followup_dialog_get_at (f->dialog), ==, NOW_MS);
  g_assert_cmpint (lk_followup_dialog_get_next_due (f->dialog), ==, utc_ms (2024, 5, 16, 9, 0));
  g_assert_false (lk_followup_dialog_get_too_often (f->dialog));
  /* Nothing said yet: nothing to save. */
  g_assert_false (lk_followup_dialog_can_save (f->dialog));
  g_assert_false (lk_followup_dialog_save (f->dialog));
  g_assert_nonnull (lk_followup_dialog_get_message (f->dialog));
  g_assert_nonnull (f->dialog);

  /* Grade C (7–10 days) moves the proposal a week on. */
  set (f, "grade", "C");
  g_assert_cmpint (lk_followup_dialog_get_next_due (f->dialog), ==, utc_ms (2024, 5, 22, 9, 0));
  /* An earlier contact time moves it too, while the user has not chosen one. */
  set (f, "at", "2024-05-14 16:30");
  g_assert_cmpint (lk_followup_dialog_get_at (f->dialog), ==, utc_ms (2024, 5, 14, 16, 30));
  g_assert_cmpint (lk_followup_dialog_get_next_due (f->dialog), ==, utc_ms (2024, 5, 21, 9, 0));

  set (f, "method", "wechat");
  set (f, "summary", "  Asked for a quote for 200 units ");
  set (f, "feedback", "Price is high");
  set (f, "next_step", "Send the quote");
  g_assert_true (lk_followup_dialog_can_save (f->dialog));
  g_assert_true (lk_followup_dialog_save (f->dialog));
  g_assert_null (f->dialog);
  g_assert_nonnull (f->logged);

  stored = reread (f, lead);
  g_assert_cmpint (lk_record_get_int (LK_RECORD (stored), LK_LEAD_LAST_CONTACTED_AT), ==, utc_ms (2024, 5, 14, 16, 30));
  g_assert_cmpint (lk_record_get_int (LK_RECORD (stored), LK_LEAD_FIRST_CONTACTED_AT), ==, utc_ms (2024, 5, 14, 16, 30));
  g_assert_cmpint (lk_record_get_int (LK_RECORD (stored), LK_LEAD_NEXT_FOLLOWUP_AT), ==, utc_ms (2024, 5, 21, 9, 0));
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (stored), LK_LEAD_GRADE), ==, "C");

  activities = lk_store_list_activities (lk_context_get_store (f->context), lk_record_get_id (LK_RECORD (lead)), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (activities->len, ==, 1);
  activity = g_ptr_array_index (activities, 0);
  g_assert_cmpstr (lk_record_get_string (activity, LK_ACTIVITY_KIND), ==, "followup");
  g_assert_cmpstr (lk_record_get_string (activity, LK_ACTIVITY_METHOD), ==, "wechat");
  g_assert_cmpstr (lk_record_get_string (activity, LK_ACTIVITY_SUMMARY), ==, "Asked for a quote for 200 units");
  g_assert_cmpstr (lk_record_get_string (activity, LK_ACTIVITY_FEEDBACK), ==, "Price is high");
  g_assert_cmpstr (lk_record_get_string (activity, LK_ACTIVITY_NEXT_STEP), ==, "Send the quote");
  g_assert_cmpstr (lk_record_get_string (activity, LK_ACTIVITY_GRADE_FROM), ==, "A");
  g_assert_cmpstr (lk_record_get_string (activity, LK_ACTIVITY_GRADE_TO), ==, "C");
}

static void
test_dialog_chosen_date_and_bad_input (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(LkLead) lead = add_lead (f, "小米科技", "B", "user:lilei", 0);
  g_autoptr(LkLead) stored = NULL;

  open_dialog (f, lead);
  /* B: 3–5 days. */
  g_assert_cmpint (lk_followup_dialog_get_next_due (f->dialog), ==, utc_ms (2024, 5, 18, 9, 0));
  set (f, "next_due_at", "2024-05-30");
  g_assert_cmpint (lk_followup_dialog_get_next_due (f->dialog), ==, utc_ms (2024, 5, 30, 9, 0));
  /* A chosen date stays when the grade changes. */
  set (f, "grade", "A");
  g_assert_cmpint (lk_followup_dialog_get_next_due (f->dialog), ==, utc_ms (2024, 5, 30, 9, 0));

  set (f, "method", "phone");
  set (f, "summary", "Called");
  set (f, "at", "yesterday");
  g_assert_cmpint (lk_followup_dialog_get_at (f->dialog), ==, 0);
  g_assert_false (lk_followup_dialog_can_save (f->dialog));
  g_assert_false (lk_followup_dialog_save (f->dialog));
  g_assert_nonnull (strstr (lk_followup_dialog_get_message (f->dialog), "2024-05-03 14:30"));
  g_assert_null (f->logged);
  /* What was typed is still there to fix. */
  set (f, "at", "2024-05-15 09:15");
  g_assert_true (lk_followup_dialog_save (f->dialog));
  stored = reread (f, lead);
  g_assert_cmpint (lk_record_get_int (LK_RECORD (stored), LK_LEAD_NEXT_FOLLOWUP_AT), ==, utc_ms (2024, 5, 30, 9, 0));
  g_assert_cmpint (lk_record_get_int (LK_RECORD (stored), LK_LEAD_LAST_CONTACTED_AT), ==, utc_ms (2024, 5, 15, 9, 15));
}

static void
log_directly (Fixture *f,
              LkLead  *lead,
              gint64   at)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkActivity) followup = lk_activity_new (lk_record_get_id (LK_RECORD (lead)), "followup");

  lk_record_set_int (LK_RECORD (followup), LK_ACTIVITY_AT, at);
  lk_record_set_string (LK_RECORD (followup), LK_ACTIVITY_METHOD, "phone");
  lk_record_set_string (LK_RECORD (followup), LK_ACTIVITY_SUMMARY, "First call");
  g_assert_true (lk_store_log_followup (lk_context_get_store (f->context), followup, NULL, &error));
  g_assert_no_error (error);
}

static void
test_dialog_too_often (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(LkLead) lead = add_lead (f, "字节跳动", "A", "user:lilei", 0);

  /* A: at most once a day; the lead was called an hour ago. */
  log_directly (f, lead, NOW_MS - 3600 * 1000);
  open_dialog (f, lead);
  g_assert_true (lk_followup_dialog_get_too_often (f->dialog));
  /* The day after, it is not too often any more. */
  set (f, "at", "2024-05-16 10:00");
  g_assert_false (lk_followup_dialog_get_too_often (f->dialog));
  set (f, "at", "2024-05-15 10:00");
  g_assert_true (lk_followup_dialog_get_too_often (f->dialog));

  /* A warning, not a refusal. */
  set (f, "method", "email");
  set (f, "summary", "Sent the brochure");
  g_assert_true (lk_followup_dialog_save (f->dialog));
  g_assert_nonnull (f->logged);
  g_assert_true (f->logged_too_often);
}

static void
wait_counts (LkFollowupsView *view)
{
  gboolean busy;

  iterate ();
  for (;;)
    {
      g_object_get (view, "busy", &busy, NULL);
      if (!busy)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  iterate ();
}

static gboolean
section_has (LkFollowupsView *view,
             LkLeadDue        due,
             LkLead          *lead)
{
  GListModel *leads = lk_followups_view_get_leads (view, due);

  for (guint i = 0; i < g_list_model_get_n_items (leads); i++)
    {
      g_autoptr(LkLead) item = g_list_model_get_item (leads, i);

      if (g_str_equal (lk_record_get_id (LK_RECORD (item)), lk_record_get_id (LK_RECORD (lead))))
        return TRUE;
    }
  return FALSE;
}

static void
test_view_sections (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(LkLead) overdue = add_lead (f, "联想集团", "A", "user:lilei", utc_ms (2024, 5, 13, 9, 0));
  g_autoptr(LkLead) today = add_lead (f, "腾讯科技", "B", "user:lilei", utc_ms (2024, 5, 15, 15, 0));
  g_autoptr(LkLead) upcoming = add_lead (f, "美团", "C", "user:lilei", utc_ms (2024, 5, 18, 9, 0));
  g_autoptr(LkLead) none = add_lead (f, "京东", "B", "user:lilei", 0);
  g_autoptr(LkLead) theirs = add_lead (f, "百度", "B", "user:hanmeimei", utc_ms (2024, 5, 10, 9, 0));
  g_autoptr(GError) error = NULL;
  GtkWidget *window = gtk_window_new ();
  LkFollowupsView *view = lk_followups_view_new (f->context);
  GtkWidget *row;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  wait_counts (view);

  /* Mine */
  g_assert_false (lk_followups_view_get_team (view));
  g_assert_cmpint (lk_followups_view_get_count (view, LK_LEAD_DUE_OVERDUE), ==, 1);
  g_assert_cmpint (lk_followups_view_get_count (view, LK_LEAD_DUE_TODAY), ==, 1);
  g_assert_cmpint (lk_followups_view_get_count (view, LK_LEAD_DUE_UPCOMING), ==, 1);
  g_assert_cmpint (lk_followups_view_get_count (view, LK_LEAD_DUE_NONE), ==, 1);
  g_assert_true (section_has (view, LK_LEAD_DUE_OVERDUE, overdue));
  g_assert_false (section_has (view, LK_LEAD_DUE_OVERDUE, theirs));
  g_assert_true (section_has (view, LK_LEAD_DUE_TODAY, today));
  g_assert_true (section_has (view, LK_LEAD_DUE_UPCOMING, upcoming));
  g_assert_true (section_has (view, LK_LEAD_DUE_NONE, none));
  row = lk_followups_view_get_row (view, LK_LEAD_DUE_OVERDUE, 0);
  g_assert_true (LK_IS_FOLLOWUP_ROW (row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "联想集团");
  /* Activating the row opens the lead; its button logs a follow-up on it. */
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (row)), ==, "win.open-lead");
  g_assert_cmpstr (g_variant_get_string (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (row)), NULL), ==,
                   lk_record_get_id (LK_RECORD (overdue)));

  /* Team */
  lk_followups_view_set_team (view, TRUE);
  wait_counts (view);
  g_assert_cmpint (lk_followups_view_get_count (view, LK_LEAD_DUE_OVERDUE), ==, 2);
  g_assert_true (section_has (view, LK_LEAD_DUE_OVERDUE, theirs));
  lk_followups_view_set_team (view, FALSE);
  wait_counts (view);

  /* Logging the overdue one with a date in three days moves it to Upcoming. */
  open_dialog (f, overdue);
  set (f, "method", "visit");
  set (f, "summary", "Visited the plant");
  set (f, "next_due_at", "2024-05-18");
  g_assert_true (lk_followup_dialog_save (f->dialog));
  wait_counts (view);
  g_assert_cmpint (lk_followups_view_get_count (view, LK_LEAD_DUE_OVERDUE), ==, 0);
  g_assert_cmpint (lk_followups_view_get_count (view, LK_LEAD_DUE_UPCOMING), ==, 2);
  g_assert_false (section_has (view, LK_LEAD_DUE_OVERDUE, overdue));
  g_assert_true (section_has (view, LK_LEAD_DUE_UPCOMING, overdue));

  /* Reschedule: the one without a next step, to today, from its row's calendar. */
  row = lk_followups_view_get_row (view, LK_LEAD_DUE_NONE, 0);
  g_assert_true (LK_IS_FOLLOWUP_ROW (row));
  {
    g_autoptr(GDateTime) day = g_date_time_new_utc (2024, 5, 15, 0, 0, 0);

    lk_followup_row_reschedule (LK_FOLLOWUP_ROW (row), day);
  }
  wait_counts (view);
  g_assert_true (section_has (view, LK_LEAD_DUE_TODAY, none));
  g_assert_cmpint (lk_followups_view_get_count (view, LK_LEAD_DUE_NONE), ==, 0);
  g_assert_cmpint (lk_followups_view_get_count (view, LK_LEAD_DUE_TODAY), ==, 2);
  {
    g_autoptr(LkLead) stored = reread (f, none);

    g_assert_cmpint (lk_record_get_int (LK_RECORD (stored), LK_LEAD_NEXT_FOLLOWUP_AT), ==, utc_ms (2024, 5, 15, 9, 0));
  }
  g_assert_false (lk_followups_view_reschedule (view, lk_record_get_id (LK_RECORD (none)), "someday", &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_clear_error (&error);

  /* The day after, today's lead is overdue. */
  lk_clock_set_now_ms (f->clock, utc_ms (2024, 5, 16, 8, 0));
  lk_followups_view_reload (view);
  wait_counts (view);
  g_assert_true (section_has (view, LK_LEAD_DUE_OVERDUE, today));

  /* Someone else at this desktop: "Mine" is theirs. */
  g_assert_true (lk_context_set_user_id (f->context, "user:hanmeimei", &error));
  g_assert_no_error (error);
  wait_counts (view);
  g_assert_cmpint (lk_followups_view_get_count (view, LK_LEAD_DUE_OVERDUE), ==, 1);
  g_assert_true (section_has (view, LK_LEAD_DUE_OVERDUE, theirs));
  g_assert_false (section_has (view, LK_LEAD_DUE_OVERDUE, today));

  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
}

static void
reminder_cb (LkReminders   *reminders,
             const char    *id,
             const char    *title,
             GNotification *notification,
             Fixture       *f)
{
  g_assert_true (G_IS_NOTIFICATION (notification));
  g_ptr_array_add (f->reminders, g_strdup_printf ("%s: %s", id, title));
}

static void
test_reminders (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(LkLead) late = add_lead (f, "阿里巴巴", "A", "user:lilei", utc_ms (2024, 5, 14, 9, 0));
  g_autoptr(LkLead) noon = add_lead (f, "网易", "A", "user:lilei", utc_ms (2024, 5, 15, 12, 0));
  g_autoptr(LkLead) afternoon = add_lead (f, "携程", "B", "user:lilei", utc_ms (2024, 5, 15, 16, 0));
  g_autoptr(LkLead) tomorrow = add_lead (f, "滴滴", "B", "user:lilei", utc_ms (2024, 5, 16, 9, 0));
  g_autoptr(LkLead) theirs = add_lead (f, "快手", "B", "user:hanmeimei", utc_ms (2024, 5, 15, 11, 0));
  g_autoptr(LkReminders) reminders = lk_reminders_new (f->context, NULL);

  g_signal_connect (reminders, "reminder", G_CALLBACK (reminder_cb), f);
  lk_reminders_start (reminders);
  /* One summary of the overdue ones; the timer waits for noon (not for
   * someone else's lead at 11:00). */
  g_assert_cmpuint (f->reminders->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->reminders, 0), ==, "followups-overdue: 1 follow-up is overdue");
  g_assert_cmpint (lk_reminders_get_next_due (reminders), ==, utc_ms (2024, 5, 15, 12, 0));

  /* Nothing falls due before noon. */
  lk_clock_set_now_ms (f->clock, utc_ms (2024, 5, 15, 11, 30));
  g_assert_cmpuint (lk_reminders_check (reminders), ==, 0);
  g_assert_cmpuint (f->reminders->len, ==, 1);

  lk_clock_set_now_ms (f->clock, utc_ms (2024, 5, 15, 12, 0));
  g_assert_cmpuint (lk_reminders_check (reminders), ==, 1);
  g_assert_cmpuint (f->reminders->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->reminders, 1), ==, "followups-due: Follow up with 网易 now");
  g_assert_cmpint (lk_reminders_get_next_due (reminders), ==, utc_ms (2024, 5, 15, 16, 0));
  /* Told once. */
  g_assert_cmpuint (lk_reminders_check (reminders), ==, 0);

  /* A new follow-up at 14:00 re-arms the timer when the store changes. */
  {
    g_autoptr(LkLead) new_one = add_lead (f, "拼多多", "A", "user:lilei", utc_ms (2024, 5, 15, 14, 0));

    iterate ();
    g_assert_cmpint (lk_reminders_get_next_due (reminders), ==, utc_ms (2024, 5, 15, 14, 0));
  }

  lk_clock_set_now_ms (f->clock, utc_ms (2024, 5, 15, 17, 0));
  g_assert_cmpuint (lk_reminders_check (reminders), ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->reminders, 2), ==, "followups-due: 2 follow-ups are due now");
  /* After today: tomorrow's first. */
  g_assert_cmpint (lk_reminders_get_next_due (reminders), ==, utc_ms (2024, 5, 16, 9, 0));
  (void) late;
  (void) noon;
  (void) afternoon;
  (void) tomorrow;
  (void) theirs;
}

/* A busy day: a hundred follow-ups today, one every seven minutes. */
static void
test_reminders_busy_day (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(LkReminders) reminders = NULL;

  for (int i = 0; i < 100; i++)
    {
      g_autofree char *company = g_strdup_printf ("客户 %d", i);
      g_autoptr(LkLead) lead = add_lead (f, company, "B", "user:lilei", NOW_MS + (gint64) i * 7 * 60 * 1000);
    }
  reminders = lk_reminders_new (f->context, NULL);
  g_signal_connect (reminders, "reminder", G_CALLBACK (reminder_cb), f);
  lk_reminders_start (reminders);
  /* The one due at 10:00 sharp is not overdue, and was due before start. */
  g_assert_cmpuint (f->reminders->len, ==, 0);
  g_assert_cmpint (lk_reminders_get_next_due (reminders), ==, utc_ms (2024, 5, 15, 10, 7));

  lk_clock_set_now_ms (f->clock, utc_ms (2024, 5, 15, 13, 30));
  g_assert_cmpuint (lk_reminders_check (reminders), ==, 30);
  g_assert_cmpstr (g_ptr_array_index (f->reminders, 0), ==, "followups-due: 30 follow-ups are due now");
  g_assert_cmpint (lk_reminders_get_next_due (reminders), ==, utc_ms (2024, 5, 15, 13, 37));

  lk_clock_set_now_ms (f->clock, utc_ms (2024, 5, 15, 13, 36));
  g_assert_cmpuint (lk_reminders_check (reminders), ==, 0);
  lk_clock_set_now_ms (f->clock, utc_ms (2024, 5, 15, 23, 0));
  g_assert_cmpuint (lk_reminders_check (reminders), ==, 69);
  /* Nothing planned after today. */
  g_assert_cmpint (lk_reminders_get_next_due (reminders), ==, 0);
}

static LkFollowupDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (LK_IS_FOLLOWUP_DIALOG (window))
        return LK_FOLLOWUP_DIALOG (window);
    }
  return NULL;
}

static AdwViewStack *
find_view_stack (GtkWidget *widget)
{
  if (ADW_IS_VIEW_STACK (widget))
    return ADW_VIEW_STACK (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      AdwViewStack *stack = find_view_stack (child);

      if (stack != NULL)
        return stack;
    }
  return NULL;
}

static LkLeadCard *
find_card (GtkWidget  *widget,
           const char *lead_id)
{
  if (LK_IS_LEAD_CARD (widget) && lk_lead_card_get_lead (LK_LEAD_CARD (widget)) != NULL &&
      g_str_equal (lk_record_get_id (LK_RECORD (lk_lead_card_get_lead (LK_LEAD_CARD (widget)))), lead_id))
    return LK_LEAD_CARD (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      LkLeadCard *card = find_card (child, lead_id);

      if (card != NULL)
        return card;
    }
  return NULL;
}

static gboolean
menu_has_action (GMenuModel *menu,
                 const char *action,
                 const char *target)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GVariant) value = g_menu_model_get_item_attribute_value (menu, i, G_MENU_ATTRIBUTE_TARGET, NULL);
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (section != NULL && menu_has_action (section, action, target))
        return TRUE;
      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
          g_str_equal (name, action) && value != NULL &&
          g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) &&
          g_str_equal (g_variant_get_string (value, NULL), target))
        return TRUE;
    }
  return FALSE;
}

static void
test_window_and_editor_hooks (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(LkLead) lead = add_lead (f, "海尔集团", "B", "user:lilei", 0);
  const char *id = lk_record_get_id (LK_RECORD (lead));
  LkWindow *window = g_object_new (LK_TYPE_WINDOW, "context", f->context, NULL);
  LkLeadEditor *editor;
  LkLeadCard *card;
  g_autoptr(GMenuModel) menu = NULL;
  g_autoptr(LkLead) stored = NULL;
  gint64 due;

  gtk_window_present (GTK_WINDOW (window));
  iterate ();

  /* The card's menu has Log Follow-up… for its lead. */
  card = find_card (GTK_WIDGET (lk_window_get_board (window)), id);
  g_assert_nonnull (card);
  menu = lk_lead_card_build_menu (card);
  g_assert_true (menu_has_action (menu, "win.log-followup", id));

  /* Ctrl+L without a lead in focus says what to do, and opens nothing. */
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.log-followup", "s", ""));
  iterate ();
  g_assert_null (find_dialog ());

  /* Ctrl+L on the focused card opens the dialog for its lead. */
  /* As Tab would: the focus is on the list row that holds the card. */
  g_assert_true (gtk_widget_grab_focus (gtk_widget_get_parent (GTK_WIDGET (card))));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.log-followup", "s", ""));
  iterate ();
  f->dialog = find_dialog ();
  g_assert_nonnull (f->dialog);
  g_object_add_weak_pointer (G_OBJECT (f->dialog), (gpointer *) &f->dialog);
  g_assert_cmpstr (lk_record_get_id (LK_RECORD (lk_followup_dialog_get_lead (f->dialog))), ==, id);
  gtk_window_destroy (GTK_WINDOW (f->dialog));
  iterate ();
  g_assert_null (f->dialog);

  /* Ctrl+L on the Leads page: the selected row's lead. */
  {
    AdwViewStack *views = find_view_stack (GTK_WIDGET (window));
    GtkSelectionModel *selection;

    g_assert_nonnull (views);
    adw_view_stack_set_visible_child_name (views, "leads");
    iterate ();
    selection = lk_leads_table_get_selection (lk_window_get_table (window));
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 1);
    g_assert_true (gtk_selection_model_select_item (selection, 0, TRUE));
    gtk_window_set_focus (GTK_WINDOW (window), NULL);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.log-followup", "s", ""));
    iterate ();
    f->dialog = find_dialog ();
    g_assert_nonnull (f->dialog);
    g_object_add_weak_pointer (G_OBJECT (f->dialog), (gpointer *) &f->dialog);
    g_assert_cmpstr (lk_record_get_id (LK_RECORD (lk_followup_dialog_get_lead (f->dialog))), ==, id);
    gtk_window_destroy (GTK_WINDOW (f->dialog));
    iterate ();
    g_assert_null (f->dialog);
  }

  /* The Follow-ups page is made when shown. */
  lk_window_show_followups (window);
  iterate ();
  g_assert_nonnull (lk_window_get_followups_view (window));

  /* From the editor's history: the editor takes the follow-up's dates,
   * and saving it afterwards keeps them. */
  editor = lk_lead_editor_new (f->context, lead);
  gtk_window_present (GTK_WINDOW (editor));
  iterate ();
  g_assert_false (lk_lead_editor_is_dirty (editor));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.log-followup", NULL));
  iterate ();
  f->dialog = find_dialog ();
  g_assert_nonnull (f->dialog);
  g_object_add_weak_pointer (G_OBJECT (f->dialog), (gpointer *) &f->dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (f->dialog)) == GTK_WINDOW (editor));
  set (f, "method", "meeting");
  set (f, "summary", "Met at the fair");
  set (f, "grade", "A");
  due = lk_followup_dialog_get_next_due (f->dialog);
  g_assert_cmpint (due, ==, utc_ms (2024, 5, 16, 9, 0));
  g_assert_true (lk_followup_dialog_save (f->dialog));
  iterate ();
  g_assert_cmpint (lk_record_get_int (LK_RECORD (lk_lead_editor_get_lead (editor)), LK_LEAD_NEXT_FOLLOWUP_AT), ==, due);
  g_assert_false (lk_lead_editor_is_dirty (editor));
  g_assert_true (lk_lead_editor_set_field_text (editor, "industry", "家电"));
  g_assert_true (lk_lead_editor_save (editor));
  iterate ();
  stored = reread (f, lead);
  g_assert_cmpint (lk_record_get_int (LK_RECORD (stored), LK_LEAD_NEXT_FOLLOWUP_AT), ==, due);
  g_assert_cmpint (lk_record_get_int (LK_RECORD (stored), LK_LEAD_LAST_CONTACTED_AT), ==, NOW_MS);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (stored), LK_LEAD_GRADE), ==, "A");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (stored), LK_LEAD_INDUSTRY), ==, "家电");

  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
}

/* A desktop whose user is not on the team (a first start, sample data)
 * opens the agenda on the whole team's leads */
static void
test_view_user_not_on_team (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(LkLead) theirs = add_lead (f, "百度", "B", "user:hanmeimei", utc_ms (2024, 5, 10, 9, 0));
  g_autoptr(GError) error = NULL;
  GtkWidget *window;
  LkFollowupsView *view;

  g_assert_true (lk_context_set_user_id (f->context, "user:stranger", &error));
  g_assert_no_error (error);
  window = gtk_window_new ();
  view = lk_followups_view_new (f->context);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  wait_counts (view);

  g_assert_true (lk_followups_view_get_team (view));
  g_assert_cmpint (lk_followups_view_get_count (view, LK_LEAD_DUE_OVERDUE), ==, 1);
  g_assert_true (section_has (view, LK_LEAD_DUE_OVERDUE, theirs));
  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add ("/ui/followups/dialog-proposes-and-saves", Fixture, NULL, fixture_set_up, test_dialog_proposes_and_saves, fixture_tear_down);
  g_test_add ("/ui/followups/dialog-chosen-date-and-bad-input", Fixture, NULL, fixture_set_up, test_dialog_chosen_date_and_bad_input, fixture_tear_down);
  g_test_add ("/ui/followups/dialog-too-often", Fixture, NULL, fixture_set_up, test_dialog_too_often, fixture_tear_down);
  g_test_add ("/ui/followups/view-sections", Fixture, NULL, fixture_set_up, test_view_sections, fixture_tear_down);
  g_test_add ("/ui/followups/view-user-not-on-team", Fixture, NULL, fixture_set_up, test_view_user_not_on_team,
              fixture_tear_down);
  g_test_add ("/ui/followups/window-and-editor-hooks", Fixture, NULL, fixture_set_up, test_window_and_editor_hooks, fixture_tear_down);
  g_test_add ("/ui/followups/reminders-busy-day", Fixture, NULL, fixture_set_up, test_reminders_busy_day, fixture_tear_down);
  g_test_add ("/ui/followups/reminders", Fixture, NULL, fixture_set_up, test_reminders, fixture_tear_down);

  return g_test_run ();
}
