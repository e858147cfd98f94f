/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <string.h>

#include "lk-context.h"
#include "lk-format.h"
#include "lk-sync-client.h"
#include "lk-test-server.h"
#include "lk-window.h"
#include "preferences/lk-prepare-server-dialog.h"
#include "preferences/lk-preferences-window.h"
#include "sync/lk-sync-controller.h"
#include "widgets/lk-sync-button.h"

/* The sync UI against a real CouchDB peer (pouchdb-server from
 * tests/server, started once for this program): the sync button after a
 * run that worked, and the Preferences page's "Test" and "Prepare…".
 * No keyring, as in test-preferences.c: the session bus points nowhere. */

typedef struct
{
  LkTestServer *server;
  char         *dir;
  LkContext    *context;
  GSettings    *settings;
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
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  /* Started once in main(); each test borrows it. */
  f->server = (LkTestServer *) data;
  f->dir = g_dir_make_tmp ("lk-sync-ui-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "test.db", NULL);
  f->context = lk_context_new (path, NULL, &error);
  g_assert_no_error (error);
  f->settings = g_settings_new (APP_ID);
  g_object_get (f->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (f->settings, keys[i]);
  g_settings_set_boolean (f->settings, "sync-automatic", FALSE);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  iterate ();
  g_clear_object (&f->settings);
  g_clear_object (&f->context);
  iterate ();
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

static void
test_button_synced (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *url = lk_test_server_new_database (f->server, "button");
  g_autoptr(LkSyncClient) client = lk_sync_client_new (lk_context_get_store (f->context));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) lead = lk_lead_new ();
  g_autofree char *time = NULL;
  g_autofree char *title = NULL;
  LkSyncReport report = { 0 };
  LkSyncButton *button = lk_sync_button_new ();
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_child (window, GTK_WIDGET (button));
  gtk_window_present (window);
  lk_sync_button_set_client (button, client);

  lk_record_set_string (LK_RECORD (lead), LK_LEAD_COMPANY, "恒达物流集团");
  g_assert_true (lk_store_create_lead (lk_context_get_store (f->context), lead, &error));
  g_assert_no_error (error);

  lk_sync_client_set_url (client, url);
  lk_sync_client_set_user (client, lk_test_server_get_rep_user (f->server));
  lk_sync_client_set_password (client, lk_test_server_get_rep_password (f->server));
  g_assert_cmpstr (lk_sync_button_get_title (button), ==, "Not synced yet");

  lk_sync_client_run_async (client, NULL, lk_test_async_result_cb, &result);
  lk_test_wait_async (&result);
  g_assert_true (lk_sync_client_run_finish (client, result, &report, &error));
  g_assert_no_error (error);
  /* The lead and its first stage change. */
  g_assert_cmpuint (report.pushed, >=, 1);
  iterate ();

  g_assert_cmpint (lk_sync_client_get_state (client), ==, LK_SYNC_STATE_IDLE);
  time = lk_format_time (lk_sync_client_get_last_sync_at (client), NULL);
  title = g_strdup_printf ("Synced at %s", time);
  g_assert_cmpstr (lk_sync_button_get_title (button), ==, title);
  g_assert_cmpstr (lk_sync_button_get_label (button), ==, time);
  g_assert_cmpstr (lk_sync_button_get_icon_name (button), ==, "emblem-synchronizing-symbolic");
  g_assert_cmpstr (lk_sync_button_get_pending_text (button), ==, "No changes wait to be sent");
  g_assert_null (lk_sync_button_get_detail (button));

  gtk_window_destroy (window);
}

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
set_row (GtkWidget  *window,
         const char *title,
         const char *text)
{
  GtkWidget *row = find_row (window, title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

/* Activates @action and waits for the row's spinner to stop; the row's
 * result line. */
static const char *
run_row_action (GtkWidget  *window,
                const char *action,
                const char *row_title)
{
  GtkWidget *row = find_row (window, row_title);
  GtkWidget *spinner = find_type (row, GTK_TYPE_SPINNER);

  g_assert_true (gtk_widget_activate_action (window, action, NULL));
  while (gtk_widget_get_visible (spinner))
    g_main_context_iteration (NULL, TRUE);
  g_test_message ("%s: %s", row_title, adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static void
test_preferences_test_connection (Fixture       *f,
                                  gconstpointer  data)
{
  g_autofree char *url = lk_test_server_new_database (f->server, "prefs");
  g_autoptr(LkSyncController) controller = lk_sync_controller_new (f->context, f->settings);
  LkPreferencesWindow *window = lk_preferences_window_new (controller, NULL);
  GtkWidget *test_row;
  const char *said;

  gtk_window_present (GTK_WINDOW (window));
  iterate ();
  test_row = find_row (GTK_WIDGET (window), "Test Connection");

  set_row (GTK_WIDGET (window), "Server Address", lk_test_server_get_url (f->server));
  set_row (GTK_WIDGET (window), "Database", strrchr (url, '/') + 1);
  set_row (GTK_WIDGET (window), "User Name", lk_test_server_get_rep_user (f->server));
  set_row (GTK_WIDGET (window), "Password", lk_test_server_get_rep_password (f->server));

  said = run_row_action (GTK_WIDGET (window), "prefs.test-connection", "Test Connection");
  g_assert_true (g_str_has_prefix (said, "Connected to PouchDB Server"));
  g_assert_false (gtk_widget_has_css_class (test_row, "lk-error-subtitle"));

  /* A wrong password: one clear error, shown in the row. */
  set_row (GTK_WIDGET (window), "Password", "not-the-password");
  said = run_row_action (GTK_WIDGET (window), "prefs.test-connection", "Test Connection");
  g_assert_false (g_str_has_prefix (said, "Connected"));
  g_assert_true (gtk_widget_has_css_class (test_row, "lk-error-subtitle"));

  /* A database nobody prepared. */
  set_row (GTK_WIDGET (window), "Password", lk_test_server_get_rep_password (f->server));
  set_row (GTK_WIDGET (window), "Database", "never-made");
  said = run_row_action (GTK_WIDGET (window), "prefs.test-connection", "Test Connection");
  g_assert_true (gtk_widget_has_css_class (test_row, "lk-error-subtitle"));

  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
}

static LkPrepareServerDialog *
find_prepare_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (LK_IS_PREPARE_SERVER_DIALOG (window))
        return LK_PREPARE_SERVER_DIALOG (window);
    }
  return NULL;
}

static void
test_preferences_prepare (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(LkSyncController) controller = lk_sync_controller_new (f->context, f->settings);
  LkPreferencesWindow *window = lk_preferences_window_new (controller, NULL);
  g_autofree char *name = g_strdup_printf ("expo-%u", g_random_int ());
  g_autofree char *path = g_strconcat ("/", name, NULL);
  g_autoptr(JsonNode) reply = NULL;
  LkPrepareServerDialog *dialog;
  GtkWidget *prepare_row;
  GtkWidget *spinner;
  guint status = 0;

  gtk_window_present (GTK_WINDOW (window));
  iterate ();
  prepare_row = find_row (GTK_WIDGET (window), "Prepare Server Database");
  spinner = find_type (prepare_row, GTK_TYPE_SPINNER);
  set_row (GTK_WIDGET (window), "Server Address", lk_test_server_get_url (f->server));
  set_row (GTK_WIDGET (window), "Database", name);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "prefs.prepare-server", NULL));
  iterate ();
  dialog = find_prepare_dialog ();
  g_assert_nonnull (dialog);
  /* Nothing to do until both are given. */
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "prepare"));
  set_row (GTK_WIDGET (dialog), "Administrator", lk_test_server_get_admin_user (f->server));
  set_row (GTK_WIDGET (dialog), "Administrator Password", lk_test_server_get_admin_password (f->server));
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "prepare"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "prepare");

  while (!gtk_widget_get_visible (spinner) && !gtk_widget_has_css_class (prepare_row, "lk-error-subtitle")
         && g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (prepare_row)), "Preparing the database…") != 0)
    g_main_context_iteration (NULL, TRUE);
  while (gtk_widget_get_visible (spinner))
    g_main_context_iteration (NULL, TRUE);
  g_test_message ("prepare: %s", adw_action_row_get_subtitle (ADW_ACTION_ROW (prepare_row)));
  g_assert_false (gtk_widget_has_css_class (prepare_row, "lk-error-subtitle"));
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (prepare_row)), "The database is ready"));

  /* It is there, with the epoch marker sync checks first. */
  reply = lk_test_server_request (f->server, "GET", path, lk_test_server_get_admin_user (f->server),
                                  lk_test_server_get_admin_password (f->server), NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&reply, json_node_unref);
  g_free (path);
  path = g_strconcat ("/", name, "/_local/leadkeeper-epoch", NULL);
  reply = lk_test_server_request (f->server, "GET", path, lk_test_server_get_admin_user (f->server),
                                  lk_test_server_get_admin_password (f->server), NULL, &status);
  g_assert_cmpuint (status, ==, 200);

  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
}

/* The window's "Sync Now" (win.sync-now), as the popover's button
 * activates it: off while there is no server, a run when there is one. */
static void
test_window_sync_now (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *url = lk_test_server_new_database (f->server, "window");
  g_autoptr(LkSyncClient) client = lk_sync_client_new (lk_context_get_store (f->context));
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) lead = lk_lead_new ();
  LkWindow *window;

  lk_record_set_string (LK_RECORD (lead), LK_LEAD_COMPANY, "Northwind Traders");
  g_assert_true (lk_store_create_lead (lk_context_get_store (f->context), lead, &error));
  g_assert_no_error (error);

  window = g_object_new (LK_TYPE_WINDOW, "context", f->context, "sync-client", client, NULL);
  gtk_window_present (GTK_WINDOW (window));
  iterate ();
  g_assert_true (lk_sync_button_get_client (lk_window_get_sync_button (window)) == client);
  /* Nothing to sync with yet: the action is off. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync-now", NULL);
  iterate ();
  g_assert_cmpint (lk_sync_client_get_state (client), ==, LK_SYNC_STATE_UNCONFIGURED);
  g_assert_cmpstr (lk_sync_button_get_title (lk_window_get_sync_button (window)), ==, "Sync is not set up");

  lk_sync_client_set_url (client, url);
  lk_sync_client_set_user (client, lk_test_server_get_rep_user (f->server));
  lk_sync_client_set_password (client, lk_test_server_get_rep_password (f->server));
  iterate ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync-now", NULL));
  while (lk_sync_client_get_last_sync_at (client) == 0 && lk_sync_client_get_state (client) != LK_SYNC_STATE_ERROR)
    g_main_context_iteration (NULL, TRUE);
  iterate ();
  g_assert_cmpint (lk_sync_client_get_state (client), ==, LK_SYNC_STATE_IDLE);
  g_assert_true (g_str_has_prefix (lk_sync_button_get_title (lk_window_get_sync_button (window)), "Synced at "));

  /* The lead is on the server. */
  {
    g_autofree char *path = g_strconcat (strrchr (url, '/'), "/", lk_record_get_id (LK_RECORD (lead)), NULL);
    g_autoptr(JsonNode) reply = NULL;
    guint status = 0;

    reply = lk_test_server_request (f->server, "GET", path, lk_test_server_get_rep_user (f->server),
                                    lk_test_server_get_rep_password (f->server), NULL, &status);
    g_assert_cmpuint (status, ==, 200);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  iterate ();
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GError **error = user_data;

  /* No keyring in these tests: saving fails, the client has it anyway. */
  g_assert_false (lk_sync_controller_save_password_finish (LK_SYNC_CONTROLLER (object), result, error));
}

/* The application's wiring: the controller sets its client up from the
 * settings, runs it live while sync is automatic, and a password given
 * in Preferences starts it again at once, keyring or not. */
static void
test_controller_live (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *url = lk_test_server_new_database (f->server, "live");
  g_autoptr(LkSyncController) controller = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  LkSyncClient *client;

  g_settings_set_string (f->settings, "sync-url", lk_test_server_get_url (f->server));
  g_settings_set_string (f->settings, "sync-database", strrchr (url, '/') + 1);
  g_settings_set_string (f->settings, "sync-user", lk_test_server_get_rep_user (f->server));
  controller = lk_sync_controller_new (f->context, f->settings);
  client = lk_sync_controller_get_client (controller);
  expected = g_strconcat (lk_test_server_get_url (f->server), strrchr (url, '/'), NULL);
  g_assert_cmpstr (lk_sync_client_get_url (client), ==, expected);
  g_assert_cmpstr (lk_sync_client_get_user (client), ==, lk_test_server_get_rep_user (f->server));
  g_assert_false (lk_sync_client_get_automatic (client));

  /* The keyring cannot be read: said, and nothing else breaks. */
  while (lk_sync_controller_get_keyring_error (controller) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_str_has_prefix (lk_sync_controller_get_keyring_error (controller),
                                   "Could not read the sync password from the keyring: "));

  /* Automatic: live, and with no password the server says no, once. */
  g_settings_set_boolean (f->settings, "sync-automatic", TRUE);
  g_assert_true (lk_sync_client_get_automatic (client));
  while (lk_sync_client_get_state (client) != LK_SYNC_STATE_ERROR)
    g_main_context_iteration (NULL, TRUE);
  g_test_message ("without a password: %s", lk_sync_client_get_last_error (client));

  /* The password from Preferences: a run follows at once. */
  lk_sync_controller_save_password_async (controller, lk_test_server_get_url (f->server),
                                          lk_test_server_get_rep_user (f->server),
                                          lk_test_server_get_rep_password (f->server),
                                          NULL, saved_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  while (lk_sync_client_get_last_sync_at (client) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (lk_sync_client_get_last_error (client));

  /* Automatic off: live stops. */
  g_settings_set_boolean (f->settings, "sync-automatic", FALSE);
  g_assert_false (lk_sync_client_get_automatic (client));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  LkTestServer *server;
  int status;

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/leadkeeper-test/no-session-bus", TRUE);
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  server = lk_test_server_start (&error);
  g_assert_no_error (error);

  g_test_add ("/ui/sync-server/button-synced", Fixture, server, fixture_set_up, test_button_synced, fixture_tear_down);
  g_test_add ("/ui/sync-server/preferences-test-connection", Fixture, server, fixture_set_up, test_preferences_test_connection, fixture_tear_down);
  g_test_add ("/ui/sync-server/window-sync-now", Fixture, server, fixture_set_up, test_window_sync_now, fixture_tear_down);
  g_test_add ("/ui/sync-server/controller-live", Fixture, server, fixture_set_up, test_controller_live, fixture_tear_down);
  g_test_add ("/ui/sync-server/preferences-prepare", Fixture, server, fixture_set_up, test_preferences_prepare, fixture_tear_down);

  status = g_test_run ();
  lk_test_server_stop (server);
  return status;
}
