/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>

#include "lk-context.h"
#include "lk-lead-list.h"
#include "lk-window.h"
#include "leads/lk-lead-editor.h"

/* The first window: a real LkWindow over a temporary database, driven the
 * way a user drives it, checked through what it shows. */

typedef struct
{
  char      *dir;
  LkContext *context;
  LkWindow  *window;
} Fixture;

static void
add_lead (LkContext  *context,
          const char *company,
          const char *contact,
          const char *stage)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) lead = lk_lead_new ();

  lk_record_set_string (LK_RECORD (lead), LK_LEAD_COMPANY, company);
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_CONTACT, contact);
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_STAGE, stage);
  g_assert_true (lk_store_create_lead (lk_context_get_store (context), lead, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("lk-ui-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "test.db", NULL);
  f->context = lk_context_new (path, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->context);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_free (f->dir);
}

static LkWindow *
open_window (Fixture *f)
{
  LkWindow *window = g_object_new (LK_TYPE_WINDOW, "context", f->context, NULL);

  gtk_window_present (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return window;
}

static gboolean
wait_for_items (GListModel *model,
                guint       n,
                guint       timeout_seconds)
{
  gint64 deadline = g_get_monotonic_time () + timeout_seconds * G_USEC_PER_SEC;

  while (g_list_model_get_n_items (model) != n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  return g_list_model_get_n_items (model) == n;
}

static void
note_most_items (guint      *most,
                 guint       position,
                 guint       removed,
                 guint       added,
                 GListModel *model)
{
  *most = MAX (*most, g_list_model_get_n_items (model));
}

static void
test_window_lists_leads (Fixture       *f,
                         gconstpointer  data)
{
  GListModel *leads;
  g_autoptr(LkLead) first = NULL;

  add_lead (f->context, "华信科技有限公司", "李雷", "new");
  add_lead (f->context, "Northwind Traders", "Anna Weber", "proposal");
  add_lead (f->context, "恒达物流集团", "韩梅梅", "won");
  f->window = open_window (f);
  leads = lk_window_get_leads (f->window);

  g_assert_cmpuint (g_list_model_get_n_items (leads), ==, 3);
  /* Newest update first. */
  first = g_list_model_get_item (leads, 0);
  g_assert_cmpstr (lk_lead_get_company (first), ==, "恒达物流集团");

  lk_window_set_search (f->window, "华信");
  g_assert_cmpuint (g_list_model_get_n_items (leads), ==, 1);
  {
    guint most = 0;
    gulong id = g_signal_connect_swapped (leads, "items-changed", G_CALLBACK (note_most_items), &most);

    /* From one search to the next without every lead shown in between */
    lk_window_set_search (f->window, "weber");
    g_signal_handler_disconnect (leads, id);
    g_assert_cmpuint (most, <=, 1);
  }
  g_assert_cmpuint (g_list_model_get_n_items (leads), ==, 1);
  lk_window_set_search (f->window, "没有这家公司");
  g_assert_cmpuint (g_list_model_get_n_items (leads), ==, 0);
  lk_window_set_search (f->window, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (leads), ==, 3);
}

static void
test_window_follows_store (Fixture       *f,
                           gconstpointer  data)
{
  GListModel *leads;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) top = NULL;

  add_lead (f->context, "华信科技有限公司", "李雷", "new");
  f->window = open_window (f);
  leads = lk_window_get_leads (f->window);
  g_assert_cmpuint (g_list_model_get_n_items (leads), ==, 1);

  /* An edit anywhere (another view, the CLI's store, sync) shows up. */
  add_lead (f->context, "远航电子", "王芳", "contacted");
  g_assert_cmpuint (g_list_model_get_n_items (leads), ==, 2);
  top = g_list_model_get_item (leads, 0);
  g_assert_cmpstr (lk_lead_get_company (top), ==, "远航电子");
  g_assert_true (lk_store_delete_lead (lk_context_get_store (f->context),
                                      lk_record_get_id (LK_RECORD (top)), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (leads), ==, 1);
}

static void
test_window_sample_data (Fixture       *f,
                         gconstpointer  data)
{
  GListModel *leads;

  f->window = open_window (f);
  leads = lk_window_get_leads (f->window);
  g_assert_cmpuint (g_list_model_get_n_items (leads), ==, 0);

  /* Written on a worker thread through its own connection; the window
   * learns of it when the task returns. */
  lk_window_load_sample_data (f->window, 40);
  g_assert_true (wait_for_items (leads, 40, 60));
}

static LkLeadEditor *
find_editor (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* (transfer none) */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (LK_IS_LEAD_EDITOR (window))
        return LK_LEAD_EDITOR (window);
    }
  return NULL;
}

static void
test_window_opens_editor (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(LkLead) lead = NULL;
  LkLeadEditor *editor;

  add_lead (f->context, "华信科技有限公司", "李雷", "qualified");
  f->window = open_window (f);
  lead = g_list_model_get_item (lk_window_get_leads (f->window), 0);

  /* What Enter or a double click on a card or row activates. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.open-lead", "s",
                                             lk_record_get_id (LK_RECORD (lead))));
  editor = find_editor ();
  g_assert_nonnull (editor);
  g_assert_false (lk_lead_editor_is_new (editor));
  g_assert_cmpstr (lk_lead_get_company (lk_lead_editor_get_lead (editor)), ==, "华信科技有限公司");
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (editor)) == GTK_WINDOW (f->window));
  gtk_window_destroy (GTK_WINDOW (editor));

  /* Ctrl+N */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-lead", NULL));
  editor = find_editor ();
  g_assert_nonnull (editor);
  g_assert_true (lk_lead_editor_is_new (editor));
  lk_lead_editor_set_field_text (editor, "company", "远航电子");
  g_assert_true (lk_lead_editor_save (editor));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (g_list_model_get_n_items (lk_window_get_leads (f->window)), ==, 2);
}

static GtkWidget *
find_type (GtkWidget *root,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_window_columns_button (Fixture       *f,
                            gconstpointer  data)
{
  GtkWidget *end_box;
  GtkWidget *button;
  GListModel *columns;
  GtkColumnViewColumn *first;

  add_lead (f->context, "华信科技有限公司", "李雷", "qualified");
  f->window = open_window (f);
  lk_window_get_table (f->window);
  end_box = lk_filter_bar_get_end_box (lk_window_get_filter_bar (f->window));
  button = find_type (end_box, GTK_TYPE_MENU_BUTTON);
  g_assert_nonnull (button);
  g_assert_nonnull (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button)));

  /* The button's menu hides a column as the header menu does, and from
   * the keyboard. */
  columns = gtk_column_view_get_columns (GTK_COLUMN_VIEW (find_type (GTK_WIDGET (lk_window_get_table (f->window)),
                                                                      GTK_TYPE_COLUMN_VIEW)));
  first = g_list_model_get_item (columns, 0);
  g_assert_true (gtk_column_view_column_get_visible (first));
  g_assert_true (gtk_widget_activate_action (button, "columns.show-code", NULL));
  g_assert_false (gtk_column_view_column_get_visible (first));
  g_assert_true (gtk_widget_activate_action (button, "columns.reset", NULL));
  g_assert_true (gtk_column_view_column_get_visible (first));
  g_object_unref (first);
}

int
main (int    argc,
      char **argv)
{
  /* Not G_TEST_OPTION_ISOLATE_DIRS: it hides the shared MIME database
   * that GTK needs to load its icons. Databases go to temporary dirs. */
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add ("/ui/window/lists-leads", Fixture, NULL, fixture_set_up, test_window_lists_leads, fixture_tear_down);
  g_test_add ("/ui/window/follows-store", Fixture, NULL, fixture_set_up, test_window_follows_store, fixture_tear_down);
  g_test_add ("/ui/window/opens-editor", Fixture, NULL, fixture_set_up, test_window_opens_editor, fixture_tear_down);
  g_test_add ("/ui/window/columns-button", Fixture, NULL, fixture_set_up, test_window_columns_button, fixture_tear_down);
  g_test_add ("/ui/window/sample-data", Fixture, NULL, fixture_set_up, test_window_sample_data, fixture_tear_down);

  return g_test_run ();
}
