/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>

#include "lk-application.h"
#include "lk-context.h"
#include "lk-window.h"
#include "io/lk-import-dialog.h"
#include "leads/lk-lead-editor.h"

/* The keyboard shortcuts window (gtk/help-overlay.ui, Ctrl+?) lists every
 * shortcut of the application: the accelerators the application sets for
 * its actions, and the key bindings of Leadkeeper's own widget classes
 * (gtk_widget_class_add_binding*), collected from real widgets. GTK's own
 * bindings (text entry editing, list navigation) are not listed. */

#define HELP_OVERLAY "/io/github/leadkeeper/Leadkeeper/gtk/help-overlay.ui"

typedef struct
{
  char          *dir;
  LkContext     *context;
  LkApplication *application;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(LkLead) lead = lk_lead_new ();

  f->dir = g_dir_make_tmp ("lk-ui-shortcuts-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "test.db", NULL);
  f->context = lk_context_new (path, NULL, &error);
  g_assert_no_error (error);
  /* A card on the board, so that the cards' bindings are there too. */
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_COMPANY, "华信科技有限公司");
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_STAGE, "new");
  g_assert_true (lk_store_create_lead (lk_context_get_store (f->context), lead, &error));
  g_assert_no_error (error);
  f->application = g_object_ref (LK_APPLICATION ((gpointer) data));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (f->application))) != NULL)
    gtk_window_destroy (windows->data);
  g_clear_object (&f->application);
  g_clear_object (&f->context);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_free (f->dir);
}

/* A key as "<Control>n", the way accelerators are compared: lower case,
 * only the modifiers that make shortcuts, the keypad's Enter and Delete
 * the same as the main keys (a binding for both is one shortcut). */
static char *
key_name (guint           keyval,
          GdkModifierType modifiers)
{
  keyval = gdk_keyval_to_lower (keyval);
  if (keyval == GDK_KEY_KP_Enter)
    keyval = GDK_KEY_Return;
  else if (keyval == GDK_KEY_KP_Delete)
    keyval = GDK_KEY_Delete;
  return gtk_accelerator_name (keyval, modifiers & gtk_accelerator_get_default_mod_mask ());
}

static void
add_trigger (GHashTable        *keys,
             GtkShortcutTrigger *trigger,
             const char        *where)
{
  if (GTK_IS_KEYVAL_TRIGGER (trigger))
    {
      GtkKeyvalTrigger *key = GTK_KEYVAL_TRIGGER (trigger);

      g_hash_table_insert (keys,
                           key_name (gtk_keyval_trigger_get_keyval (key),
                                     gtk_keyval_trigger_get_modifiers (key)),
                           g_strdup (where));
    }
  else if (GTK_IS_ALTERNATIVE_TRIGGER (trigger))
    {
      GtkAlternativeTrigger *alternative = GTK_ALTERNATIVE_TRIGGER (trigger);

      add_trigger (keys, gtk_alternative_trigger_get_first (alternative), where);
      add_trigger (keys, gtk_alternative_trigger_get_second (alternative), where);
    }
  else if (GTK_IS_MNEMONIC_TRIGGER (trigger))
    {
      /* Alt + an underlined letter of a label: shown on the label */
    }
  else if (!GTK_IS_NEVER_TRIGGER (trigger))
    {
      g_autofree char *shown = gtk_shortcut_trigger_to_string (trigger);

      g_error ("%s has a shortcut this test does not know how to read: %s", where, shown);
    }
}

/* The keys of @widget's own shortcut controllers (its class bindings,
 * which include those it inherits), except those in @skip. */
static void
collect_controller_keys (GHashTable *keys,
                         GtkWidget  *widget,
                         GHashTable *skip)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autoptr(GHashTable) own = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          add_trigger (own, gtk_shortcut_get_trigger (shortcut), G_OBJECT_TYPE_NAME (widget));
        }
    }
  g_hash_table_iter_init (&iter, own);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (skip == NULL || !g_hash_table_contains (skip, key))
      g_hash_table_insert (keys, g_strdup (key), g_strdup (value));
}

/* The keys a widget of @type has from GTK or libadwaita: those of a fresh
 * instance of its nearest concrete ancestor outside Leadkeeper (a class
 * starts with its parent's bindings; GtkWindow's Tab and F10 are not
 * Leadkeeper's shortcuts). */
static GHashTable *
inherited_keys (GType type)
{
  GHashTable *keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GtkWidget *widget;

  while (g_str_has_prefix (g_type_name (type), "Lk") || G_TYPE_IS_ABSTRACT (type))
    {
      if (type == GTK_TYPE_WIDGET)
        return keys;
      type = g_type_parent (type);
    }
  widget = g_object_ref_sink (g_object_new (type, NULL));
  collect_controller_keys (keys, widget, NULL);
  if (GTK_IS_WINDOW (widget))
    gtk_window_destroy (GTK_WINDOW (widget));
  g_object_unref (widget);
  return keys;
}

/* The shortcuts of the Leadkeeper widgets in the tree under @widget. */
static void
collect_widget_keys (GHashTable *keys,
                     GtkWidget  *widget)
{
  if (g_str_has_prefix (G_OBJECT_TYPE_NAME (widget), "Lk"))
    {
      g_autoptr(GHashTable) inherited = inherited_keys (G_OBJECT_TYPE (widget));

      collect_controller_keys (keys, widget, inherited);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widget_keys (keys, child);
}

static void
collect_overlay_keys (GHashTable *keys,
                      GtkWidget  *widget,
                      guint      *n_shortcuts)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *accelerator = NULL;
      g_autofree char *title = NULL;
      g_auto(GStrv) accels = NULL;

      g_object_get (widget, "accelerator", &accelerator, "title", &title, NULL);
      g_assert_nonnull (title);
      g_assert_cmpstr (title, !=, "");
      g_assert_nonnull (accelerator);
      accels = g_strsplit (accelerator, " ", -1);
      for (guint i = 0; accels[i] != NULL; i++)
        {
          guint keyval;
          GdkModifierType modifiers;

          if (accels[i][0] == '\0')
            continue;
          g_assert_true (gtk_accelerator_parse (accels[i], &keyval, &modifiers));
          g_hash_table_insert (keys, key_name (keyval, modifiers), g_strdup (title));
        }
      (*n_shortcuts)++;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_overlay_keys (keys, child, n_shortcuts);
}

static void
spin (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The windows of the application, each with its own bindings: the main
 * window (with the leads table made), a lead editor, the import dialog. */
static void
collect_app_keys (Fixture    *f,
                  GHashTable *keys)
{
  g_auto(GStrv) actions = gtk_application_list_action_descriptions (GTK_APPLICATION (f->application));
  LkWindow *window;
  LkLeadEditor *editor;
  LkImportDialog *import;

  for (guint i = 0; actions[i] != NULL; i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (f->application), actions[i]);

      for (guint j = 0; accels[j] != NULL; j++)
        {
          guint keyval;
          GdkModifierType modifiers;

          g_assert_true (gtk_accelerator_parse (accels[j], &keyval, &modifiers));
          g_hash_table_insert (keys, key_name (keyval, modifiers), g_strdup (actions[i]));
        }
    }

  window = g_object_new (LK_TYPE_WINDOW, "context", f->context, "application", f->application, NULL);
  gtk_window_present (GTK_WINDOW (window));
  lk_window_get_table (window);
  spin ();
  collect_widget_keys (keys, GTK_WIDGET (window));

  editor = lk_lead_editor_new (f->context, NULL);
  gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (editor));
  spin ();
  collect_widget_keys (keys, GTK_WIDGET (editor));
  gtk_window_destroy (GTK_WINDOW (editor));

  import = lk_import_dialog_new (f->context);
  gtk_window_set_transient_for (GTK_WINDOW (import), GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (import));
  spin ();
  collect_widget_keys (keys, GTK_WIDGET (import));
  gtk_window_destroy (GTK_WINDOW (import));
  spin ();
}

static void
test_overlay_lists_every_shortcut (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GHashTable) app_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (HELP_OVERLAY);
  GtkWidget *overlay = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
  g_autoptr(GString) missing = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;
  guint n_shortcuts = 0;

  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  collect_overlay_keys (listed, overlay, &n_shortcuts);
  gtk_window_destroy (GTK_WINDOW (overlay));
  collect_app_keys (f, app_keys);

  /* What the test collected is real: the accelerators set in startup and
   * the bindings of the window, the board, the table and the editor. */
  g_assert_true (g_hash_table_contains (app_keys, "<Control>q"));
  g_assert_true (g_hash_table_contains (app_keys, "<Control>question"));
  g_assert_true (g_hash_table_contains (app_keys, "<Control>n"));
  g_assert_true (g_hash_table_contains (app_keys, "<Alt>Right"));
  g_assert_true (g_hash_table_contains (app_keys, "Delete"));
  g_assert_true (g_hash_table_contains (app_keys, "<Control>s"));
  g_assert_cmpuint (n_shortcuts, >=, 10);

  g_hash_table_iter_init (&iter, app_keys);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (listed, key))
      g_string_append_printf (missing, " %s (%s)", (char *) key, (char *) value);
  if (missing->len > 0)
    g_error ("gtk/help-overlay.ui does not list these shortcuts:%s", missing->str);
}

/* GtkApplication finds gtk/help-overlay.ui under the resource base path:
 * the window gets it, Ctrl+? is its accelerator, and the action shows it. */
static void
test_window_shows_overlay (Fixture       *f,
                           gconstpointer  data)
{
  LkWindow *window = g_object_new (LK_TYPE_WINDOW, "context", f->context, "application", f->application, NULL);
  g_auto(GStrv) accels = NULL;
  GtkShortcutsWindow *overlay;

  gtk_window_present (GTK_WINDOW (window));
  spin ();
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_nonnull (overlay);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (overlay)));

  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (f->application), "win.show-help-overlay");
  g_assert_cmpstrv (accels, ((const char *[]) { "<Control>question", NULL }));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  spin ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (overlay)) == GTK_WINDOW (window));
  gtk_window_close (GTK_WINDOW (overlay));
  spin ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(LkApplication) application = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* One application for the whole run (it names the program): registered,
   * so that startup sets the accelerators, and never run; not unique, so
   * that it needs no session bus. */
  application = lk_application_new ();
  g_application_set_flags (G_APPLICATION (application),
                           G_APPLICATION_DEFAULT_FLAGS | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
  g_assert_no_error (error);

  g_test_add ("/shortcuts/overlay-lists-every-shortcut", Fixture, application,
              fixture_set_up, test_overlay_lists_every_shortcut, fixture_tear_down);
  g_test_add ("/shortcuts/window-shows-overlay", Fixture, application,
              fixture_set_up, test_window_shows_overlay, fixture_tear_down);
  status = g_test_run ();
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return status;
}
