/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>

#include "dedup/lk-duplicates-window.h"
#include "dedup/lk-duplicate-banner.h"
#include "dedup/lk-merge-dialog.h"
#include "leads/lk-lead-editor.h"
#include "lk-context.h"
#include "lk-demo.h"
#include "lk-store-merge.h"
#include "lk-window.h"

/* Find Duplicates from the window's menu action: the scan on its worker,
 * the groups listed, Merge… with a value chosen, the merge in the store,
 * and the list after it. */

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

  f->dir = g_dir_make_tmp ("wt-dedup-ui-duplicates-XXXXXX", &error);
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

static void
wait_scan (LkDuplicatesWindow *window)
{
  iterate ();
  while (lk_duplicates_window_get_busy (window))
    g_main_context_iteration (NULL, TRUE);
  iterate ();
}

static LkLead *
create (LkStore    *store,
        const char *company,
        const char *contact,
        const char *phone)
{
  g_autoptr(LkLead) lead = lk_lead_new ();
  g_autoptr(GError) error = NULL;

  lk_record_set_string (LK_RECORD (lead), LK_LEAD_COMPANY, company);
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_CONTACT, contact);
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_PHONE, phone);
  g_assert_true (lk_store_create_lead (store, lead, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&lead);
}

/* The id of the newest merge note on @lead_id's timeline */
static char *
lk_test_last_merge_id (LkStore    *store,
                       const char *lead_id)
{
  g_autoptr(GPtrArray) activities = lk_store_list_activities (store, lead_id, NULL);

  for (guint i = 0; i < activities->len; i++)
    {
      LkRecord *activity = g_ptr_array_index (activities, i);
      JsonObject *extra = lk_record_get_extra (activity);

      if (extra != NULL && json_object_has_member (extra, "merged"))
        return g_strdup (lk_record_get_id (activity));
    }
  g_assert_not_reached ();
  return NULL;
}

static void
test_find_and_merge (Fixture       *f,
                     gconstpointer  data)
{
  LkStore *store = lk_context_get_store (f->context);
  g_autoptr(LkLead) a = create (store, "上海华信科技有限公司", "李雷", "138 0013 8000");
  g_autoptr(LkLead) b = create (store, "华信科技", "Li Lei", "+86 138-0013-8000");
  g_autoptr(LkLead) c = create (store, "恒达物流", "王芳", "139 0000 0000");
  g_autoptr(LkLead) merged = NULL;
  g_autoptr(LkLead) gone = NULL;
  g_autoptr(GError) error = NULL;
  LkDuplicatesWindow *window;
  LkMergeDialog *dialog;
  GtkWidget *stack;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.find-duplicates", NULL));
  window = LK_DUPLICATES_WINDOW (find_toplevel (LK_TYPE_DUPLICATES_WINDOW));
  g_assert_nonnull (window);
  wait_scan (window);
  stack = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), LK_TYPE_DUPLICATES_WINDOW, "stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "groups");
  g_assert_cmpuint (g_list_model_get_n_items (lk_duplicates_window_get_groups (window)), ==, 1);

  /* Merge… on the group: b is kept, with a's contact */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "dedup.merge", "u", 0));
  iterate ();
  dialog = LK_MERGE_DIALOG (find_toplevel (LK_TYPE_MERGE_DIALOG));
  g_assert_nonnull (dialog);
  lk_merge_dialog_set_primary (dialog, 1);
  g_assert_true (lk_merge_dialog_choose (dialog, "contact", 0));
  g_assert_false (lk_merge_dialog_choose (dialog, "phone", 0));  /* the same number: no choice */
  g_assert_true (lk_merge_dialog_merge (dialog, &error));
  g_assert_no_error (error);
  iterate ();
  g_assert_null (find_toplevel (LK_TYPE_MERGE_DIALOG));

  merged = lk_store_get_lead (store, lk_record_get_id (LK_RECORD (b)), NULL);
  g_assert_false (lk_record_get_deleted (LK_RECORD (merged)));
  g_assert_cmpstr (lk_lead_get_contact (merged), ==, "李雷");
  g_assert_cmpstr (lk_lead_get_company (merged), ==, "华信科技");
  gone = lk_store_get_lead (store, lk_record_get_id (LK_RECORD (a)), NULL);
  g_assert_true (lk_record_get_deleted (LK_RECORD (gone)));

  /* Scanned again: nothing left */
  wait_scan (window);
  g_assert_cmpuint (g_list_model_get_n_items (lk_duplicates_window_get_groups (window)), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");

  /* The toast's Undo: the group is back */
  {
    g_autofree char *merge_id = lk_test_last_merge_id (store, lk_record_get_id (LK_RECORD (b)));

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "dedup.unmerge", "s", merge_id));
    wait_scan (window);
    g_assert_cmpuint (g_list_model_get_n_items (lk_duplicates_window_get_groups (window)), ==, 1);
    g_clear_object (&gone);
    gone = lk_store_get_lead (store, lk_record_get_id (LK_RECORD (a)), NULL);
    g_assert_false (lk_record_get_deleted (LK_RECORD (gone)));
  }
  (void) c;
  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
}

/* An editor of @lead (NULL: a new one) over the window, and its banner */
static LkLeadEditor *
open_editor (Fixture            *f,
             LkLead             *lead,
             LkDuplicateBanner **banner)
{
  LkLeadEditor *editor = lk_lead_editor_new (f->context, lead);

  gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (f->window));
  gtk_window_present (GTK_WINDOW (editor));
  iterate ();
  *banner = LK_DUPLICATE_BANNER (gtk_widget_get_template_child (GTK_WIDGET (editor), LK_TYPE_LEAD_EDITOR,
                                                                "duplicate_banner"));
  return editor;
}

/* The banner's Merge, and the dialog's Merge with its defaults */
static void
merge_from_banner (LkDuplicateBanner *banner)
{
  g_autoptr(GError) error = NULL;
  LkMergeDialog *dialog;

  g_assert_nonnull (lk_duplicate_banner_get_match (banner));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (banner), "banner.merge", NULL));
  iterate ();
  dialog = LK_MERGE_DIALOG (find_toplevel (LK_TYPE_MERGE_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_true (lk_merge_dialog_merge (dialog, &error));
  g_assert_no_error (error);
  iterate ();
  g_assert_null (find_toplevel (LK_TYPE_MERGE_DIALOG));
}

/* The editor checks while typing: "Possible duplicate: … — owned by …" */
static void
test_editor_banner (Fixture       *f,
                    gconstpointer  data)
{
  LkStore *store = lk_context_get_store (f->context);
  g_autoptr(LkLead) owned = lk_lead_new ();
  g_autoptr(GError) error = NULL;
  LkLeadEditor *editor;
  LkDuplicateBanner *banner;

  lk_record_set_string (LK_RECORD (owned), LK_LEAD_COMPANY, "华信科技");
  lk_record_set_string (LK_RECORD (owned), LK_LEAD_OWNER, "user:lilei");
  g_assert_true (lk_store_create_lead (store, owned, &error));
  g_assert_no_error (error);

  editor = open_editor (f, NULL, &banner);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (banner)));

  /* Another company: no banner */
  g_assert_true (lk_lead_editor_set_field_text (editor, "company", "恒达物流"));
  lk_duplicate_banner_check_now (banner);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (banner)));

  /* The same company with its legal form: the banner, after the delay */
  g_assert_true (lk_lead_editor_set_field_text (editor, "company", "华信科技有限公司"));
  while (lk_duplicate_banner_get_match (banner) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (banner)));
  g_assert_true (g_str_has_prefix (lk_duplicate_banner_get_text (banner),
                                   "Possible duplicate: 华信科技 — owned by lilei since"));

  /* Add Anyway: hidden, and the lead saves */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (banner), "banner.dismiss", NULL));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (banner)));
  g_assert_true (lk_lead_editor_save (editor));
  iterate ();
  g_assert_cmpint (lk_store_count_leads (store, NULL), ==, 2);
}

/* A saved lead's Merge from its editor: the two leads merged, and the
 * editor, whose lead is stale now, closes (the dialog it owns with it) */
static void
test_editor_merge_saved (Fixture       *f,
                         gconstpointer  data)
{
  LkStore *store = lk_context_get_store (f->context);
  g_autoptr(LkLead) older = lk_lead_new ();
  g_autoptr(LkLead) newer = lk_lead_new ();
  g_autoptr(LkLead) kept = NULL;
  g_autoptr(LkLead) gone = NULL;
  g_autoptr(GError) error = NULL;
  LkLeadEditor *editor;
  LkDuplicateBanner *banner;

  lk_record_set_string (LK_RECORD (older), LK_LEAD_COMPANY, "华信科技");
  lk_record_set_string (LK_RECORD (older), LK_LEAD_PHONE, "13800138000");
  g_assert_true (lk_store_create_lead (store, older, &error));
  lk_record_set_string (LK_RECORD (newer), LK_LEAD_COMPANY, "华信科技有限公司");
  lk_record_set_string (LK_RECORD (newer), LK_LEAD_EMAIL, "lilei@huaxin.cn");
  g_assert_true (lk_store_create_lead (store, newer, &error));
  g_assert_no_error (error);

  editor = open_editor (f, newer, &banner);
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  lk_duplicate_banner_check (banner, newer);
  lk_duplicate_banner_check_now (banner);
  merge_from_banner (banner);

  g_assert_null (editor);
  kept = lk_store_get_lead (store, lk_record_get_id (LK_RECORD (older)), NULL);
  gone = lk_store_get_lead (store, lk_record_get_id (LK_RECORD (newer)), NULL);
  g_assert_false (lk_record_get_deleted (LK_RECORD (kept)));
  g_assert_true (lk_record_get_deleted (LK_RECORD (gone)));
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (kept), LK_LEAD_EMAIL), ==, "lilei@huaxin.cn");
}

/* A new lead's Merge, from the window's New Lead: what was typed goes
 * into the lead already there, the editor closes, no lead is added, and
 * the window's Undo adds it after all */
static void
merged_cb (LkLeadEditor  *editor,
           const char    *primary_id,
           const char    *merge_id,
           char         **out)
{
  *out = g_strdup (merge_id);
}

static void
test_editor_merge_typed (Fixture       *f,
                         gconstpointer  data)
{
  LkStore *store = lk_context_get_store (f->context);
  g_autoptr(LkLead) there = lk_lead_new ();
  g_autoptr(LkLead) merged = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *merge_id = NULL;
  LkLeadEditor *editor;
  LkDuplicateBanner *banner;

  lk_record_set_string (LK_RECORD (there), LK_LEAD_COMPANY, "华信科技");
  lk_record_set_string (LK_RECORD (there), LK_LEAD_OWNER, "user:lilei");
  g_assert_true (lk_store_create_lead (store, there, &error));
  g_assert_no_error (error);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-lead", NULL));
  iterate ();
  editor = LK_LEAD_EDITOR (find_toplevel (LK_TYPE_LEAD_EDITOR));
  g_assert_nonnull (editor);
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  g_signal_connect (editor, "merged", G_CALLBACK (merged_cb), &merge_id);
  banner = LK_DUPLICATE_BANNER (gtk_widget_get_template_child (GTK_WIDGET (editor), LK_TYPE_LEAD_EDITOR,
                                                               "duplicate_banner"));
  g_assert_true (lk_lead_editor_set_field_text (editor, "company", "华信科技有限公司"));
  g_assert_true (lk_lead_editor_set_field_text (editor, "email", "lilei@huaxin.cn"));
  lk_duplicate_banner_check_now (banner);
  merge_from_banner (banner);

  g_assert_null (editor);
  g_assert_nonnull (merge_id);
  g_assert_cmpint (lk_store_count_leads (store, NULL), ==, 1);
  merged = lk_store_get_lead (store, lk_record_get_id (LK_RECORD (there)), NULL);
  g_assert_cmpstr (lk_lead_get_company (merged), ==, "华信科技");  /* the lead there's, by default */
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (merged), LK_LEAD_EMAIL), ==, "lilei@huaxin.cn");
  g_assert_cmpstr (lk_lead_get_owner (merged), ==, "user:lilei");

  /* The toast's Undo */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.unmerge", "s", merge_id));
  iterate ();
  g_assert_cmpint (lk_store_count_leads (store, NULL), ==, 2);
  g_clear_object (&merged);
  merged = lk_store_get_lead (store, lk_record_get_id (LK_RECORD (there)), NULL);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (merged), LK_LEAD_EMAIL), ==, "");
}

/* `test-duplicates --show [--merge]`: not a test. Find Duplicates over
 * 200 sample leads (or its first group's Merge dialog), for screenshots. */
static int
show (gboolean merge)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("wt-dedup-duplicates-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "show.db", NULL);
  g_autoptr(LkContext) context = lk_context_new (path, NULL, &error);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  LkDuplicatesWindow *window;

  g_assert_no_error (error);
  g_assert_true (lk_demo_generate (lk_context_get_store (context), 200, 1, NULL, NULL, NULL, &error));
  window = lk_duplicates_window_new (context);
  g_signal_connect_swapped (window, "destroy", G_CALLBACK (g_main_loop_quit), loop);
  gtk_window_present (GTK_WINDOW (window));
  if (merge)
    {
      wait_scan (window);
      gtk_widget_activate_action (GTK_WIDGET (window), "dedup.merge", "u", 0);
    }
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
      return show (argc > 2 && g_str_equal (argv[2], "--merge"));
    }
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add ("/duplicates/find-and-merge", Fixture, NULL, fixture_set_up, test_find_and_merge, fixture_tear_down);
  g_test_add ("/duplicates/editor-banner", Fixture, NULL, fixture_set_up, test_editor_banner, fixture_tear_down);
  g_test_add ("/duplicates/editor-merge-saved", Fixture, NULL, fixture_set_up, test_editor_merge_saved,
              fixture_tear_down);
  g_test_add ("/duplicates/editor-merge-typed", Fixture, NULL, fixture_set_up, test_editor_merge_typed,
              fixture_tear_down);
  return g_test_run ();
}
