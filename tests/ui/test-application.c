/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>

#include "lk-application.h"
#include "lk-context.h"
#include "lk-window.h"

/* The application as it starts: activating it again presents the window
 * it has instead of opening another, and the window comes back with the
 * size and the view it was closed with (GSettings, the memory backend in
 * the tests). The second launch of the program reaches the first one's
 * activate through GApplication's D-Bus uniqueness. */

static void
spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static GtkWindow *
only_window (LkApplication *application)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (application));

  g_assert_nonnull (windows);
  g_assert_null (windows->next);
  g_assert_true (LK_IS_WINDOW (windows->data));
  return windows->data;
}

static AdwViewStack *
views_of (GtkWidget *widget)
{
  if (ADW_IS_VIEW_STACK (widget))
    return ADW_VIEW_STACK (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwViewStack *found = views_of (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_application_window_state (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("lk-ui-app-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *view = NULL;
  g_autoptr(LkApplication) application = NULL;
  GSettings *settings;
  GtkWindow *window;
  int width, height;

  g_assert_no_error (error);
  path = g_build_filename (dir, "test.db", NULL);
  {
    /* A database that has been opened before and has a lead: no sample
     * data on this start. */
    g_autoptr(LkContext) context = lk_context_new (path, NULL, &error);
    g_autoptr(LkLead) lead = lk_lead_new ();

    g_assert_no_error (error);
    lk_record_set_string (LK_RECORD (lead), LK_LEAD_COMPANY, "华信科技有限公司");
    lk_record_set_string (LK_RECORD (lead), LK_LEAD_STAGE, "new");
    g_assert_true (lk_store_create_lead (lk_context_get_store (context), lead, &error));
    g_assert_no_error (error);
    g_assert_true (lk_context_mark_started (context, &error));
    g_assert_no_error (error);
  }
  /* LEADKEEPER_DB also makes the application not unique: no session bus. */
  g_setenv ("LEADKEEPER_DB", path, TRUE);

  application = lk_application_new ();
  g_application_set_flags (G_APPLICATION (application),
                           G_APPLICATION_DEFAULT_FLAGS | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
  g_assert_no_error (error);
  settings = lk_application_get_settings (application);
  g_assert_nonnull (settings);

  /* Opens with the size and the view of the settings ... */
  g_settings_set_int (settings, "window-width", 1200);
  g_settings_set_int (settings, "window-height", 760);
  g_settings_set_string (settings, "last-view", "leads");
  g_application_activate (G_APPLICATION (application));
  spin ();
  window = only_window (application);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  gtk_window_get_default_size (window, &width, &height);
  g_assert_cmpint (width, ==, 1200);
  g_assert_cmpint (height, ==, 760);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (views_of (GTK_WIDGET (window))), ==, "leads");

  /* Activated again (a second launch): the same window, no other. */
  g_application_activate (G_APPLICATION (application));
  spin ();
  g_assert_true (only_window (application) == window);

  /* ... and writes its own when it closes: its size (whatever the X
   * server made of it, never the stale values set here) and its view. */
  g_settings_set_int (settings, "window-width", 5);
  g_settings_set_int (settings, "window-height", 5);
  adw_view_stack_set_visible_child_name (views_of (GTK_WIDGET (window)), "pipeline");
  spin ();
  gtk_window_get_default_size (window, &width, &height);
  g_assert_cmpint (width, >, 5);
  gtk_window_close (window);
  spin ();
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (application)));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, width);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, height);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
  view = g_settings_get_string (settings, "last-view");
  g_assert_cmpstr (view, ==, "pipeline");

  g_unsetenv ("LEADKEEPER_DB");
  g_clear_object (&application);
  spin ();
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
    g_unlink (path);
    g_rmdir (dir);
  }
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/application/window-state", test_application_window_state);
  return g_test_run ();
}
