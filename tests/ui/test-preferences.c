/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>

#include "lk-context.h"
#include "preferences/lk-preferences-window.h"
#include "sync/lk-sync-controller.h"

/* The Preferences window's Sync page over the memory GSettings backend
 * (GSETTINGS_BACKEND=memory in the test environment): values go both
 * ways, bad values are refused with a reason, and the password goes to
 * the keyring and nowhere else.
 *
 * These tests run without a keyring: main() points the session bus at a
 * socket that does not exist, so libsecret fails at once and the same way
 * on every machine (a developer's real keyring is never touched, and a
 * keyring daemon that dbus-run-session could start is never asked to show
 * a prompt on a headless display). What a missing keyring must do is
 * checked: say "Could not save the password in the keyring: …" and keep
 * working. */

#define PASSWORD "s3cret-Pa55-🔑"

typedef struct
{
  char             *dir;
  LkContext        *context;
  GSettings        *settings;
  LkSyncController *controller;
  LkPreferencesWindow *window;
} Fixture;

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
reset_settings (GSettings *settings)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
  /* No test here should start talking to a server on its own. */
  g_settings_set_boolean (settings, "sync-automatic", FALSE);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("lk-prefs-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "test.db", NULL);
  f->context = lk_context_new (path, NULL, &error);
  g_assert_no_error (error);
  f->settings = g_settings_new (APP_ID);
  reset_settings (f->settings);
}

static void
open_window (Fixture *f)
{
  f->controller = lk_sync_controller_new (f->context, f->settings);
  f->window = lk_preferences_window_new (f->controller, NULL);
  gtk_window_present (GTK_WINDOW (f->window));
  iterate ();
}

static void
wait_loaded (Fixture *f)
{
  while (!lk_preferences_window_is_loaded (f->window))
    g_main_context_iteration (NULL, TRUE);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->controller);
  iterate ();
  g_clear_object (&f->settings);
  g_clear_object (&f->context);
  iterate ();
  if (f->dir != NULL)
    {
      g_autofree char *db = g_build_filename (f->dir, "test.db", NULL);
      g_autofree char *wal = g_strconcat (db, "-wal", NULL);
      g_autofree char *shm = g_strconcat (db, "-shm", NULL);

      g_unlink (wal);
      g_unlink (shm);
      g_unlink (db);
      g_rmdir (f->dir);
    }
  g_free (f->dir);
}

/* A widget of @type under @root whose accessible or visible title is @title. */
static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (ADW_IS_PREFERENCES_ROW (child)
          && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), title) == 0)
        return child;
      found = find_row (child, title);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
row (Fixture    *f,
     const char *title)
{
  GtkWidget *found = find_row (GTK_WIDGET (f->window), title);

  g_assert_nonnull (found);
  return found;
}

static GtkWidget *
find_type (GtkWidget *root,
           GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      found = find_type (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
type_and_apply (GtkWidget  *entry_row,
                const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (entry_row), text);
  g_signal_emit_by_name (entry_row, "apply");
  iterate ();
}

static char *
get_string (GSettings  *settings,
            const char *key)
{
  return g_settings_get_string (settings, key);
}

static void
test_settings_to_rows (Fixture       *f,
                       gconstpointer  data)
{
  GtkWidget *automatic;

  g_settings_set_string (f->settings, "sync-url", "https://crm.example.com:6984");
  g_settings_set_string (f->settings, "sync-database", "expo-leads");
  g_settings_set_string (f->settings, "sync-user", "anna");
  g_settings_set_uint (f->settings, "sync-interval-minutes", 15);
  open_window (f);

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (f, "Server Address"))), ==, "https://crm.example.com:6984");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (f, "Database"))), ==, "expo-leads");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (f, "User Name"))), ==, "anna");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (find_type (row (f, "_Interval"), GTK_TYPE_SPIN_BUTTON))), ==, 15);
  automatic = find_type (row (f, "Sync _Automatically"), GTK_TYPE_SWITCH);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (automatic)));
  /* The interval means nothing without automatic sync. */
  g_assert_false (gtk_widget_get_sensitive (row (f, "_Interval")));

  /* Changes made elsewhere (another window, gsettings) show at once. */
  g_settings_set_string (f->settings, "sync-user", "bob");
  g_settings_set_boolean (f->settings, "sync-allow-insecure", TRUE);
  g_settings_set_boolean (f->settings, "sync-automatic", TRUE);
  iterate ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (f, "User Name"))), ==, "bob");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (find_type (row (f, "Allow _Unencrypted Connections"), GTK_TYPE_SWITCH))));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (automatic)));
  g_assert_true (gtk_widget_get_sensitive (row (f, "_Interval")));
}

static void
test_rows_to_settings (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *url = NULL;
  g_autofree char *database = NULL;
  g_autofree char *user = NULL;
  LkSyncClient *client;

  open_window (f);
  client = lk_sync_controller_get_client (f->controller);
  g_assert_null (lk_sync_client_get_url (client));
  g_assert_cmpint (lk_sync_client_get_state (client), ==, LK_SYNC_STATE_UNCONFIGURED);

  /* Typing alone saves nothing: sync is not reconfigured per keystroke. */
  gtk_editable_set_text (GTK_EDITABLE (row (f, "Server Address")), "  http://127.0.0.1:9/ ");
  iterate ();
  url = get_string (f->settings, "sync-url");
  g_assert_cmpstr (url, ==, "");
  g_clear_pointer (&url, g_free);

  /* Applying one row saves the account: trimmed, without the slash. */
  g_signal_emit_by_name (row (f, "Server Address"), "apply");
  type_and_apply (row (f, "Database"), "team-leads");
  type_and_apply (row (f, "User Name"), " anna ");
  url = get_string (f->settings, "sync-url");
  database = get_string (f->settings, "sync-database");
  user = get_string (f->settings, "sync-user");
  g_assert_cmpstr (url, ==, "http://127.0.0.1:9");
  g_assert_cmpstr (database, ==, "team-leads");
  g_assert_cmpstr (user, ==, "anna");
  /* The row keeps what was typed: it means the same, and rewriting it
   * would bring its apply button back. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (f, "Server Address"))), ==, "  http://127.0.0.1:9/ ");

  /* The application's client follows the settings. */
  g_assert_cmpstr (lk_sync_client_get_url (client), ==, "http://127.0.0.1:9/team-leads");
  g_assert_cmpstr (lk_sync_client_get_user (client), ==, "anna");

  /* Switches and the interval are bound both ways. */
  gtk_switch_set_active (GTK_SWITCH (find_type (row (f, "Allow _Unencrypted Connections"), GTK_TYPE_SWITCH)), TRUE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_type (row (f, "_Interval"), GTK_TYPE_SPIN_BUTTON)), 42);
  iterate ();
  g_assert_true (g_settings_get_boolean (f->settings, "sync-allow-insecure"));
  g_assert_cmpuint (g_settings_get_uint (f->settings, "sync-interval-minutes"), ==, 42);
  g_assert_true (lk_sync_client_get_allow_insecure (client));
  g_assert_cmpuint (lk_sync_client_get_interval (client), ==, 42);

  /* What is typed and not applied is saved when the window closes. */
  gtk_editable_set_text (GTK_EDITABLE (row (f, "Database")), "leads");
  gtk_window_close (GTK_WINDOW (f->window));
  f->window = NULL;
  iterate ();
  g_clear_pointer (&database, g_free);
  database = get_string (f->settings, "sync-database");
  g_assert_cmpstr (database, ==, "leads");
  g_assert_cmpstr (lk_sync_client_get_url (client), ==, "http://127.0.0.1:9/leads");
}

static void
test_bad_values (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *url = NULL;
  g_autofree char *database = NULL;
  GtkWidget *url_row;

  open_window (f);
  url_row = row (f, "Server Address");

  type_and_apply (url_row, "crm.example.com");
  g_assert_nonnull (lk_preferences_window_get_status (f->window));
  g_assert_true (strstr (lk_preferences_window_get_status (f->window), "https://") != NULL);
  g_assert_true (gtk_widget_has_css_class (url_row, "error"));
  url = get_string (f->settings, "sync-url");
  g_assert_cmpstr (url, ==, "");
  g_clear_pointer (&url, g_free);

  /* A password never goes into a URL, so it is not taken from one. */
  type_and_apply (url_row, "https://anna:" PASSWORD "@crm.example.com:6984");
  g_assert_true (strstr (lk_preferences_window_get_status (f->window), "keyring") != NULL);
  url = get_string (f->settings, "sync-url");
  g_assert_cmpstr (url, ==, "");
  g_clear_pointer (&url, g_free);

  type_and_apply (url_row, "https://crm.example.com:6984");
  type_and_apply (row (f, "Database"), "Leads 2024");
  g_assert_true (gtk_widget_has_css_class (row (f, "Database"), "error"));
  g_assert_true (strstr (lk_preferences_window_get_status (f->window), "lowercase") != NULL);
  database = get_string (f->settings, "sync-database");
  g_assert_cmpstr (database, ==, "leads");

  /* Closing with a value that is not valid keeps the window open once,
   * with the reason; the typed text is still there to fix. */
  gtk_window_close (GTK_WINDOW (f->window));
  iterate ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (f, "Database"))), ==, "Leads 2024");

  type_and_apply (row (f, "Database"), "leads-2024");
  g_assert_false (gtk_widget_has_css_class (row (f, "Database"), "error"));
  g_clear_pointer (&database, g_free);
  database = get_string (f->settings, "sync-database");
  g_assert_cmpstr (database, ==, "leads-2024");
}

static gboolean
settings_hold (GSettings  *settings,
               const char *needle)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      if (strstr (text, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
test_password_not_in_settings (Fixture       *f,
                                gconstpointer  data)
{
  const char *status;

  g_settings_set_string (f->settings, "sync-url", "http://127.0.0.1:9");
  g_settings_set_string (f->settings, "sync-user", "anna");
  open_window (f);
  wait_loaded (f);

  /* Reading found no keyring: said in the window, nothing filled in. */
  status = lk_preferences_window_get_status (f->window);
  g_assert_nonnull (status);
  g_assert_true (g_str_has_prefix (status, "Could not read the password from the keyring: "));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (f, "Password"))), ==, "");

  type_and_apply (row (f, "Password"), PASSWORD);
  while (lk_preferences_window_get_status (f->window) == NULL
         || !g_str_has_prefix (lk_preferences_window_get_status (f->window), "Could not save"))
    g_main_context_iteration (NULL, TRUE);

  status = lk_preferences_window_get_status (f->window);
  g_assert_true (g_str_has_prefix (status, "Could not save the password in the keyring: "));
  /* The reason says what to do. */
  g_assert_true (strstr (status, "GNOME Keyring") != NULL);
  /* The entered password stays in the row, and nowhere in the settings. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (f, "Password"))), ==, PASSWORD);
  g_assert_false (settings_hold (f->settings, PASSWORD));
  g_assert_false (settings_hold (f->settings, "s3cret"));

  gtk_window_close (GTK_WINDOW (f->window));
  f->window = NULL;
  iterate ();
  g_assert_false (settings_hold (f->settings, "s3cret"));
}

static void
test_test_connection_reports (Fixture       *f,
                              gconstpointer  data)
{
  AdwActionRow *test_row;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  guint16 port;

  /* A loopback port with nothing behind it. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);

  open_window (f);
  test_row = ADW_ACTION_ROW (row (f, "Test Connection"));

  /* Nothing to test without a server. */
  g_assert_false (gtk_widget_is_sensitive (find_type (GTK_WIDGET (test_row), GTK_TYPE_BUTTON)));

  gtk_editable_set_text (GTK_EDITABLE (row (f, "Server Address")), url);
  iterate ();
  g_assert_true (gtk_widget_is_sensitive (find_type (GTK_WIDGET (test_row), GTK_TYPE_BUTTON)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "prefs.test-connection", NULL));
  /* The entered values are tested, not saved. */
  {
    g_autofree char *saved = get_string (f->settings, "sync-url");

    g_assert_cmpstr (saved, ==, "");
  }
  while (gtk_widget_get_visible (find_type (GTK_WIDGET (test_row), GTK_TYPE_SPINNER)))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (test_row), "lk-error-subtitle"));
  g_test_message ("Test connection said: %s", adw_action_row_get_subtitle (test_row));
  g_assert_cmpstr (adw_action_row_get_subtitle (test_row), !=, "");
  g_assert_cmpstr (adw_action_row_get_subtitle (test_row), !=, "Connecting…");

  /* Plain http to another host is refused before anything is sent. */
  gtk_editable_set_text (GTK_EDITABLE (row (f, "Server Address")), "http://192.0.2.1:5984");
  iterate ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "prefs.test-connection", NULL));
  while (gtk_widget_get_visible (find_type (GTK_WIDGET (test_row), GTK_TYPE_SPINNER)))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (test_row), "lk-error-subtitle"));
  g_test_message ("Test connection said: %s", adw_action_row_get_subtitle (test_row));
}

int
main (int    argc,
      char **argv)
{
  /* No keyring, the same on every machine (see the top of the file). */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/leadkeeper-test/no-session-bus", TRUE);

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add ("/ui/preferences/settings-to-rows", Fixture, NULL, fixture_set_up, test_settings_to_rows, fixture_tear_down);
  g_test_add ("/ui/preferences/rows-to-settings", Fixture, NULL, fixture_set_up, test_rows_to_settings, fixture_tear_down);
  g_test_add ("/ui/preferences/bad-values", Fixture, NULL, fixture_set_up, test_bad_values, fixture_tear_down);
  g_test_add ("/ui/preferences/password-not-in-settings", Fixture, NULL, fixture_set_up, test_password_not_in_settings, fixture_tear_down);
  g_test_add ("/ui/preferences/test-connection-reports", Fixture, NULL, fixture_set_up, test_test_connection_reports, fixture_tear_down);

  return g_test_run ();
}
