/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <string.h>

#include "io/lk-import-dialog.h"
#include "lk-context.h"
#include "lk-store-import.h"
#include "lk-window.h"

/* The import dialog driven as a user drives it, from the window's
 * Import… action: a file, the dry run's counts, a column remapped, the
 * import on its worker thread, and the toast's Undo. */

typedef struct
{
  char      *dir;
  LkContext *context;
  LkWindow  *window;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("lk-ui-import-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "test.db", NULL);
  f->context = lk_context_new (path, NULL, &error);
  g_assert_no_error (error);
  f->window = g_object_new (LK_TYPE_WINDOW, "context", f->context, NULL);
  gtk_window_present (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
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
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (f->dir);
  g_free (f->dir);
}

static LkImportDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (LK_IS_IMPORT_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return LK_IMPORT_DIALOG (window);
    }
  return NULL;
}

static gboolean
wait_idle (LkImportDialog *dialog)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (g_main_context_iteration (NULL, FALSE))
    ;
  while (lk_import_dialog_get_busy (dialog) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  return !lk_import_dialog_get_busy (dialog);
}

static gboolean
wait_count (LkStore *store,
            gint64   count)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (lk_store_count_leads (store, NULL) != count && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  return lk_store_count_leads (store, NULL) == count;
}

static void
imported_cb (LkImportDialog *dialog,
             gint64          import_id,
             guint           n_created,
             guint           n_updated,
             gint64         *out)
{
  *out = import_id;
}

static void
test_import_dialog (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "core", "data", "excel-utf8.csv", NULL);
  LkStore *store = lk_context_get_store (f->context);
  g_autoptr(GError) error = NULL;
  LkImportDialog *dialog;
  LkImport *checked;
  gint64 import_id = 0;

  /* Import… (Ctrl+I, the menu, the empty state) opens the dialog. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.import", NULL));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_signal_connect (dialog, "imported", G_CALLBACK (imported_cb), &import_id);

  g_assert_true (lk_import_dialog_set_file (dialog, path, &error));
  g_assert_no_error (error);
  g_assert_true (wait_idle (dialog));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                                                    LK_TYPE_IMPORT_DIALOG,
                                                                                    "file_group"))));
  checked = lk_import_dialog_get_checked (dialog);
  g_assert_nonnull (checked);
  /* Nobody of this team owns the rows of the file: three rows name an owner. */
  g_assert_cmpuint (lk_import_get_n_new (checked), ==, 1);
  g_assert_cmpuint (lk_import_get_n_invalid (checked), ==, 3);
  g_assert_cmpint (lk_import_get_target (checked, 10), ==, LK_IMPORT_OWNER);

  /* The owner column to Ignore: the dry run runs again, all rows are new. */
  lk_import_dialog_set_target (dialog, 10, LK_IMPORT_IGNORE);
  g_assert_true (wait_idle (dialog));
  checked = lk_import_dialog_get_checked (dialog);
  g_assert_nonnull (checked);
  g_assert_cmpuint (lk_import_get_n_new (checked), ==, 4);
  g_assert_cmpuint (lk_import_get_n_invalid (checked), ==, 0);
  g_assert_cmpint (lk_store_count_leads (store, NULL), ==, 0);

  /* Import: on a worker, then the dialog closes and the window's views
   * see the leads. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.run", NULL));
  g_assert_true (wait_count (store, 4));
  while (import_id == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (import_id, >, 0);
  while (find_dialog () != NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (lk_window_get_leads (f->window)), ==, 4);

  /* The toast's Undo takes the import back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo-import", "x", import_id));
  g_assert_true (wait_count (store, 0));
  {
    g_autoptr(LkImportEntry) entry = lk_store_get_import (store, import_id, &error);

    g_assert_no_error (error);
    while (g_strcmp0 (entry->state, "undone") != 0)
      {
        g_main_context_iteration (NULL, TRUE);
        g_clear_pointer (&entry, lk_import_entry_free);
        entry = lk_store_get_import (store, import_id, &error);
      }
  }
  while (g_list_model_get_n_items (lk_window_get_leads (f->window)) != 0)
    g_main_context_iteration (NULL, TRUE);
}

/* A vCard file: one row per card, its fields mapped, imported the same way */
static void
test_import_dialog_vcard (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "core", "data", "android.vcf", NULL);
  LkStore *store = lk_context_get_store (f->context);
  g_autoptr(GError) error = NULL;
  LkImportDialog *dialog;
  LkImport *checked;
  gint64 import_id = 0;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.import", NULL));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_signal_connect (dialog, "imported", G_CALLBACK (imported_cb), &import_id);
  g_assert_true (lk_import_dialog_set_file (dialog, path, &error));
  g_assert_no_error (error);
  g_assert_true (wait_idle (dialog));
  checked = lk_import_dialog_get_checked (dialog);
  g_assert_nonnull (checked);
  g_assert_true (lk_import_get_is_vcard (checked));
  /* No encoding or separator to choose: each card names its charset */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                                                     LK_TYPE_IMPORT_DIALOG,
                                                                                     "file_group"))));
  g_assert_cmpuint (lk_import_get_n_new (checked), ==, 2);
  g_assert_cmpuint (lk_import_get_n_invalid (checked), ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.run", NULL));
  g_assert_true (wait_count (store, 2));
  while (import_id == 0)
    g_main_context_iteration (NULL, TRUE);
  while (find_dialog () != NULL)
    g_main_context_iteration (NULL, TRUE);
}

/* Whether a widget under @widget is an action row whose subtitle has
 * @text, or a combo row (a column's mapping) whose choice is @text. */
static gboolean
find_text (GtkWidget  *widget,
           const char *text)
{
  if (ADW_IS_ACTION_ROW (widget))
    {
      const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (widget));

      if (subtitle != NULL && strstr (subtitle, text) != NULL)
        return TRUE;
    }
  if (ADW_IS_COMBO_ROW (widget))
    {
      GObject *item = adw_combo_row_get_selected_item (ADW_COMBO_ROW (widget));

      if (GTK_IS_STRING_OBJECT (item) && g_str_equal (gtk_string_object_get_string (GTK_STRING_OBJECT (item)), text))
        return TRUE;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (find_text (child, text))
      return TRUE;
  return FALSE;
}

/* A column of behaviour events: the mapping offers the kind (and picks
 * it from the header), and the dry run's summary counts the events. */
static void
test_import_dialog_events (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "events.csv", NULL);
  g_autoptr(GError) error = NULL;
  LkImportDialog *dialog;
  LkImport *checked;

  g_assert_true (g_file_set_contents (path,
                                      "公司,联系人,行为\n"
                                      "甲公司,张三,pricing_page、webinar\n"
                                      "乙公司,李四,whitepaper\n",
                                      -1, NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.import", NULL));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (lk_import_dialog_set_file (dialog, path, &error));
  g_assert_no_error (error);
  g_assert_true (wait_idle (dialog));
  checked = lk_import_dialog_get_checked (dialog);
  g_assert_nonnull (checked);
  g_assert_cmpint (lk_import_get_target (checked, 2), ==, LK_IMPORT_EVENTS);
  g_assert_cmpuint (lk_import_get_n_events (checked), ==, 3);
  g_assert_true (find_text (GTK_WIDGET (dialog), "Behaviour Events"));
  g_assert_true (find_text (GTK_WIDGET (dialog), "· 3 events"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.cancel", NULL));
  while (find_dialog () != NULL)
    g_main_context_iteration (NULL, TRUE);
  g_unlink (path);
}

static void
test_import_dialog_bad_file (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "book.xlsx", NULL);
  g_autoptr(GError) error = NULL;
  LkImportDialog *dialog;

  g_assert_true (g_file_set_contents (path, "PK\003\004 not a csv", -1, NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.import", NULL));
  dialog = find_dialog ();
  g_assert_false (lk_import_dialog_set_file (dialog, path, &error));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "This is an Excel workbook"));
  /* Cancel closes the dialog when nothing runs. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "import.cancel", NULL));
  while (find_dialog () != NULL)
    g_main_context_iteration (NULL, TRUE);
  g_unlink (path);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add ("/ui/import-dialog/import-and-undo", Fixture, NULL, fixture_set_up, test_import_dialog, fixture_tear_down);
  g_test_add ("/ui/import-dialog/vcard", Fixture, NULL, fixture_set_up, test_import_dialog_vcard, fixture_tear_down);
  g_test_add ("/ui/import-dialog/events", Fixture, NULL, fixture_set_up, test_import_dialog_events, fixture_tear_down);
  g_test_add ("/ui/import-dialog/bad-file", Fixture, NULL, fixture_set_up, test_import_dialog_bad_file, fixture_tear_down);
  return g_test_run ();
}
