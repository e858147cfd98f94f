/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <stdlib.h>

#include "capture/lk-quick-capture.h"
#include "dedup/lk-duplicate-banner.h"
#include "dedup/lk-merge-dialog.h"
#include "lk-context.h"
#include "lk-demo.h"
#include "lk-store-merge.h"
#include "lk-window.h"

/* Quick capture driven as a user at an exhibition drives it: opened with
 * the window's action, typed into, Enter; the form clears, the counter
 * counts, the lead is in the store with the event; the duplicate banner
 * names a lead already there, and its Merge puts what was typed into
 * that lead (Undo adds it as a lead of its own after all). */

typedef struct
{
  char      *dir;
  LkContext *context;
  LkWindow  *window;
} Fixture;

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
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("wt-dedup-ui-capture-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "test.db", NULL);
  f->context = lk_context_new (path, NULL, &error);
  g_assert_no_error (error);
  f->window = g_object_new (LK_TYPE_WINDOW, "context", f->context, NULL);
  gtk_window_present (GTK_WINDOW (f->window));
  iterate ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "test.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->context);
  iterate ();
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (f->dir);
  g_free (f->dir);
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return GTK_WINDOW (window);
    }
  return NULL;
}

static LkQuickCapture *
find_capture (void)
{
  GtkWindow *window = find_toplevel (LK_TYPE_QUICK_CAPTURE);

  return window ? LK_QUICK_CAPTURE (window) : NULL;
}

static GtkWidget *
child (LkQuickCapture *capture,
       const char     *name)
{
  GObject *widget = gtk_widget_get_template_child (GTK_WIDGET (capture), LK_TYPE_QUICK_CAPTURE, name);

  g_assert_nonnull (widget);
  return GTK_WIDGET (widget);
}

static void
type (LkQuickCapture *capture,
      const char     *row,
      const char     *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (capture, row)), text);
}

static const char *
text_of (LkQuickCapture *capture,
         const char     *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (child (capture, row)));
}

/* Enter in @row, as the keyboard does: its text's ::activate, which the
 * row turns into ::entry-activated. */
static void
press_enter (LkQuickCapture *capture,
             const char     *row)
{
  GtkEditable *text = gtk_editable_get_delegate (GTK_EDITABLE (child (capture, row)));

  g_assert_nonnull (text);
  g_signal_emit_by_name (text, "activate");
  iterate ();
}

static gboolean
focus_is_in (LkQuickCapture *capture,
             const char     *row)
{
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (capture));

  return focus != NULL && (focus == child (capture, row) || gtk_widget_is_ancestor (focus, child (capture, row)));
}

static void
test_capture_flow (Fixture       *f,
                   gconstpointer  data)
{
  LkStore *store = lk_context_get_store (f->context);
  g_autoptr(LkLeadQuery) query = lk_lead_query_new ();
  g_autoptr(GPtrArray) leads = NULL;
  LkQuickCapture *capture;
  LkLead *lead;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.quick-capture", NULL));
  iterate ();
  capture = find_capture ();
  g_assert_nonnull (capture);
  g_assert_cmpint (lk_quick_capture_get_count (capture), ==, 0);
  g_assert_true (focus_is_in (capture, "contact_row"));

  type (capture, "event_row", "2024 上海工博会");
  type (capture, "contact_row", "李雷");
  type (capture, "company_row", "上海华信科技有限公司");
  type (capture, "phone_row", "138 0013 8000");
  type (capture, "email_row", "lilei@huaxin.cn");
  type (capture, "title_row", "采购经理");
  type (capture, "needs_row", "MES 系统");
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (capture, "grade_row")), 1);
  type (capture, "tags_row", "展会，VIP");
  type (capture, "note_row", "明天回电");
  press_enter (capture, "note_row");

  /* Saved: the form is empty but for the event, the focus is back on the
   * first field, the counter says one */
  g_assert_null (lk_quick_capture_get_error (capture));
  g_assert_cmpstr (text_of (capture, "contact_row"), ==, "");
  g_assert_cmpstr (text_of (capture, "company_row"), ==, "");
  g_assert_cmpstr (text_of (capture, "note_row"), ==, "");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (child (capture, "grade_row"))), ==, 0);
  g_assert_cmpstr (text_of (capture, "event_row"), ==, "2024 上海工博会");
  g_assert_true (focus_is_in (capture, "contact_row"));
  g_assert_cmpint (lk_quick_capture_get_count (capture), ==, 1);
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (child (capture, "window_title"))), ==,
                   "1 captured today");

  /* The lead is in the store, as typed, from the event */
  leads = lk_store_query_leads (store, query, 10, NULL);
  g_assert_cmpuint (leads->len, ==, 1);
  lead = g_ptr_array_index (leads, 0);
  g_assert_cmpstr (lk_lead_get_company (lead), ==, "上海华信科技有限公司");
  g_assert_cmpstr (lk_lead_get_contact (lead), ==, "李雷");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_PHONE), ==, "+8613800138000");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_SOURCE), ==, "exhibition");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_CAMPAIGN), ==, "2024 上海工博会");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_GRADE), ==, "A");
  g_assert_true (g_strv_contains (lk_record_get_tags (LK_RECORD (lead), LK_LEAD_TAGS), "展会"));
  g_assert_true (g_strv_contains (lk_record_get_tags (LK_RECORD (lead), LK_LEAD_TAGS), "VIP"));
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_NOTES), ==, "明天回电");

  /* The next visitor is from the same company: the banner says so */
  type (capture, "contact_row", "韩梅梅");
  type (capture, "company_row", "上海华信科技");
  lk_duplicate_banner_check_now (LK_DUPLICATE_BANNER (child (capture, "banner")));
  g_assert_true (gtk_widget_get_visible (child (capture, "banner")));
  g_assert_true (g_str_has_prefix (lk_duplicate_banner_get_text (LK_DUPLICATE_BANNER (child (capture, "banner"))),
                                   "Possible duplicate: 上海华信科技有限公司 — in the pool since"));
  g_assert_cmpstr (lk_record_get_id (LK_RECORD (lk_duplicate_banner_get_match (LK_DUPLICATE_BANNER (child (capture, "banner"))))),
                   ==, lk_record_get_id (LK_RECORD (lead)));

  /* Add Anyway hides it; the lead saves; the banner is gone for the next */
  g_assert_true (gtk_widget_activate_action (child (capture, "banner"), "banner.dismiss", NULL));
  g_assert_false (gtk_widget_get_visible (child (capture, "banner")));
  press_enter (capture, "company_row");
  g_assert_cmpint (lk_quick_capture_get_count (capture), ==, 2);
  g_assert_false (gtk_widget_get_visible (child (capture, "banner")));

  /* Bad input is kept, with a message that says what to fix */
  type (capture, "email_row", "not an email");
  press_enter (capture, "email_row");
  g_assert_nonnull (lk_quick_capture_get_error (capture));
  g_assert_true (gtk_widget_get_visible (child (capture, "error_label")));
  g_assert_cmpstr (text_of (capture, "email_row"), ==, "not an email");
  g_assert_cmpint (lk_quick_capture_get_count (capture), ==, 2);
  g_assert_cmpint (lk_store_count_leads (store, NULL), ==, 2);

  gtk_window_destroy (GTK_WINDOW (capture));
  iterate ();
}

static void
test_capture_merge (Fixture       *f,
                    gconstpointer  data)
{
  LkStore *store = lk_context_get_store (f->context);
  g_autoptr(LkLead) there = lk_lead_new ();
  g_autoptr(LkLead) merged = NULL;
  g_autoptr(GPtrArray) activities = NULL;
  g_autoptr(GError) error = NULL;
  const char *merge_id = NULL;
  LkDuplicateBanner *banner;
  LkQuickCapture *capture;
  LkMergeDialog *dialog;
  const char *there_id;

  lk_record_set_string (LK_RECORD (there), LK_LEAD_COMPANY, "上海华信科技有限公司");
  lk_record_set_string (LK_RECORD (there), LK_LEAD_CONTACT, "李雷");
  lk_record_set_string (LK_RECORD (there), LK_LEAD_PHONE, "13800138000");
  lk_record_set_string (LK_RECORD (there), LK_LEAD_NOTES, "见过面");
  g_assert_true (lk_store_create_lead (store, there, &error));
  g_assert_no_error (error);
  there_id = lk_record_get_id (LK_RECORD (there));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.quick-capture", NULL));
  iterate ();
  capture = find_capture ();
  g_assert_nonnull (capture);
  banner = LK_DUPLICATE_BANNER (child (capture, "banner"));

  /* The same customer again, with what the visit told */
  type (capture, "event_row", "2024 上海工博会");
  type (capture, "contact_row", "李雷");
  type (capture, "company_row", "华信科技");
  type (capture, "phone_row", "138 0013 8000");
  type (capture, "email_row", "lilei@huaxin.cn");
  type (capture, "needs_row", "MES 系统");
  type (capture, "note_row", "要报价");
  lk_duplicate_banner_check_now (banner);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (banner)));
  g_assert_cmpstr (lk_record_get_id (LK_RECORD (lk_duplicate_banner_get_match (banner))), ==, there_id);

  /* Merge: the dialog offers what differs; merged, nothing is added */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (banner), "banner.merge", NULL));
  iterate ();
  dialog = LK_MERGE_DIALOG (find_toplevel (LK_TYPE_MERGE_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_true (lk_merge_dialog_choose (dialog, "company", 1));   /* the company as typed */
  g_assert_false (lk_merge_dialog_choose (dialog, "phone", 1));    /* the same number: no choice */
  g_assert_false (lk_merge_dialog_choose (dialog, "stage", 1));    /* not the lead typed's to give */
  g_assert_true (lk_merge_dialog_merge (dialog, &error));
  g_assert_no_error (error);
  iterate ();

  /* The form is ready for the next visitor; no capture was counted */
  g_assert_cmpstr (text_of (capture, "contact_row"), ==, "");
  g_assert_cmpstr (text_of (capture, "note_row"), ==, "");
  g_assert_cmpstr (text_of (capture, "event_row"), ==, "2024 上海工博会");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (banner)));
  g_assert_cmpint (lk_quick_capture_get_count (capture), ==, 0);
  g_assert_cmpint (lk_store_count_leads (store, NULL), ==, 1);
  merged = lk_store_get_lead (store, there_id, NULL);
  g_assert_cmpstr (lk_lead_get_company (merged), ==, "华信科技");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (merged), LK_LEAD_EMAIL), ==, "lilei@huaxin.cn");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (merged), LK_LEAD_NEEDS), ==, "MES 系统");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (merged), LK_LEAD_NOTES), ==, "见过面\n\n要报价");

  /* Undo (the toast's): the lead there as it was, the visitor added */
  activities = lk_store_list_activities (store, there_id, NULL);
  for (guint i = 0; i < activities->len; i++)
    if (g_str_has_prefix (lk_record_get_string (g_ptr_array_index (activities, i), LK_ACTIVITY_SUMMARY), "Merged with"))
      merge_id = lk_record_get_id (g_ptr_array_index (activities, i));
  g_assert_nonnull (merge_id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (capture), "capture.unmerge", "s", merge_id));
  iterate ();
  g_assert_cmpint (lk_store_count_leads (store, NULL), ==, 2);
  g_clear_object (&merged);
  merged = lk_store_get_lead (store, there_id, NULL);
  g_assert_cmpstr (lk_lead_get_company (merged), ==, "上海华信科技有限公司");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (merged), LK_LEAD_EMAIL), ==, "");
  g_assert_cmpint (lk_quick_capture_get_count (capture), ==, 1);

  gtk_window_destroy (GTK_WINDOW (capture));
  iterate ();
}

/* `test-quick-capture --show`: not a test. Quick capture over 50 sample
 * leads, with a duplicate typed in, for screenshots. */
static int
show (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("wt-dedup-capture-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "show.db", NULL);
  g_autoptr(LkContext) context = lk_context_new (path, NULL, &error);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(LkLeadQuery) query = lk_lead_query_new ();
  g_autoptr(GPtrArray) leads = NULL;
  LkQuickCapture *capture;
  LkLead *first;

  g_assert_no_error (error);
  g_assert_true (lk_demo_generate (lk_context_get_store (context), 50, 1, NULL, NULL, NULL, &error));
  leads = lk_store_query_leads (lk_context_get_store (context), query, 1, &error);
  first = g_ptr_array_index (leads, 0);
  capture = lk_quick_capture_new (context, NULL);
  g_signal_connect_swapped (capture, "destroy", G_CALLBACK (g_main_loop_quit), loop);
  type (capture, "event_row", "2024 上海工博会");
  type (capture, "contact_row", "韩梅梅");
  type (capture, "company_row", lk_lead_get_company (first));
  lk_duplicate_banner_check_now (LK_DUPLICATE_BANNER (child (capture, "banner")));
  gtk_window_present (GTK_WINDOW (capture));
  g_main_loop_run (loop);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  if (argc > 1 && g_str_equal (argv[1], "--show"))
    {
      gtk_init ();
      adw_init ();
      return show ();
    }
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add ("/quick-capture/flow", Fixture, NULL, fixture_set_up, test_capture_flow, fixture_tear_down);
  g_test_add ("/quick-capture/merge", Fixture, NULL, fixture_set_up, test_capture_merge, fixture_tear_down);
  return g_test_run ();
}
