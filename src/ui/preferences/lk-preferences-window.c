/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-preferences-window"

#include <glib/gi18n-lib.h>

#include "lk-credentials.h"
#include "lk-server-setup.h"
#include "lk-sync-client.h"
#include "lk-utils.h"
#include "preferences/lk-assignment-page.h"
#include "preferences/lk-followup-page.h"
#include "preferences/lk-pool-page.h"
#include "preferences/lk-prepare-server-dialog.h"
#include "preferences/lk-preferences-window.h"
#include "preferences/lk-scoring-page.h"
#include "preferences/lk-team-page.h"

/* Preferences, the Sync page: the team server's address, database, user
 * name and password; automatic sync; unencrypted connections; preparing
 * the server's database.
 *
 * The switches and the interval are bound to GSettings both ways. The
 * account rows are bound one way (settings → row) and saved when applied
 * (Enter or the row's apply button) or when the window closes, so that
 * sync is not reconfigured on every keystroke. The password goes to the
 * keyring only (lk-credentials, through the controller). */
struct _LkPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  AdwEntryRow          *url_row;
  AdwEntryRow          *database_row;
  AdwEntryRow          *user_row;
  AdwEntryRow          *password_row;
  GtkLabel             *account_status;
  AdwActionRow         *test_row;
  GtkSpinner           *test_spinner;
  GtkSwitch            *automatic_switch;
  GtkSpinButton        *interval_spin;
  GtkSwitch            *insecure_switch;
  AdwActionRow         *prepare_row;
  GtkSpinner           *prepare_spinner;

  /* Owned */
  LkSyncController     *controller;
  GCancellable         *cancellable;
  GCancellable         *lookup;          /* the keyring read in flight */
  LkSyncClient         *test_client;     /* the entered values, for "Test" */
  char                 *saved_url;       /* the account the keyring holds saved_password for */
  char                 *saved_user;
  char                 *saved_password;
  char                 *status;

  gboolean              password_edited; /* typed since the keyring was read */
  gboolean              setting_password;
  gboolean              close_warned;
};

G_DEFINE_FINAL_TYPE (LkPreferencesWindow, lk_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_CONTROLLER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void load_password (LkPreferencesWindow *self,
                           const char          *url,
                           const char          *user);

static GSettings *
get_settings (LkPreferencesWindow *self)
{
  return lk_sync_controller_get_settings (self->controller);
}

static char *
row_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
set_password_text (LkPreferencesWindow *self,
                   const char          *password)
{
  self->setting_password = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password ? password : "");
  self->setting_password = FALSE;
  self->password_edited = FALSE;
}

static void
set_status (LkPreferencesWindow *self,
            const char          *message,
            gboolean             is_error)
{
  lk_set_str (&self->status, message);
  gtk_label_set_text (self->account_status, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->account_status), message != NULL);
  if (is_error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->account_status), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->account_status), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->account_status), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->account_status), "dim-label");
    }
}

static void
set_row_result (AdwActionRow *row,
                const char   *message,
                gboolean      is_error)
{
  adw_action_row_set_subtitle (row, message);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (row), "lk-error-subtitle");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "lk-error-subtitle");
}

static void
mark_row (AdwEntryRow *row,
          gboolean     valid)
{
  if (valid)
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
}

/* The server address as written in the settings: trimmed, without the
 * trailing slashes; "" for none. A reverse proxy may serve CouchDB under
 * a path, so a path is allowed; credentials in the address are not. */
static char *
check_server_url (const char  *text,
                  GError     **error)
{
  g_autofree char *url = g_strstrip (g_strdup (text));
  g_autoptr(GUri) uri = NULL;
  gsize len = strlen (url);
  const char *scheme;
  const char *host;

  while (len > 0 && url[len - 1] == '/')
    url[--len] = '\0';
  if (len == 0)
    return g_steal_pointer (&url);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  host = uri ? g_uri_get_host (uri) : NULL;
  if (scheme == NULL || (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
      || host == NULL || host[0] == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a server address. Write it with https:// (or http://), the host and the port, for example https://crm.example.com:6984."),
                   url);
      return NULL;
    }
  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Leave the user name and the password out of the server address: they have their own fields, and the password is kept in the keyring."));
      return NULL;
    }
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The server address cannot have a “?” or “#” part."));
      return NULL;
    }
  return g_steal_pointer (&url);
}

/* CouchDB's rule for database names. */
static gboolean
check_database (const char  *name,
                GError     **error)
{
  if (name[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Enter the database name: your manager knows it (usually “leads”)."));
      return FALSE;
    }
  for (const char *p = name; *p != '\0'; p++)
    if (!(g_ascii_islower (*p) || (p > name && (g_ascii_isdigit (*p) || strchr ("_$()+-/", *p) != NULL))))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                     _("“%s” is not a database name: use lowercase letters, digits and _$()+-/, starting with a letter."),
                     name);
        return FALSE;
      }
  return TRUE;
}

/* The entered server and database, checked; the rows that are wrong are
 * marked. */
static gboolean
entered_account (LkPreferencesWindow  *self,
                 char                **server_url,
                 char                **database,
                 GError              **error)
{
  g_autoptr(GError) url_error = NULL;
  g_autoptr(GError) db_error = NULL;
  g_autofree char *url = check_server_url (gtk_editable_get_text (GTK_EDITABLE (self->url_row)), &url_error);
  g_autofree char *db = row_text (self->database_row);

  check_database (db, &db_error);
  mark_row (self->url_row, url_error == NULL);
  mark_row (self->database_row, db_error == NULL);
  if (url_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&url_error));
      return FALSE;
    }
  if (db_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&db_error));
      return FALSE;
    }
  *server_url = g_steal_pointer (&url);
  *database = g_steal_pointer (&db);
  return TRUE;
}

static void
update_actions (LkPreferencesWindow *self)
{
  gboolean has_server = gtk_editable_get_text (GTK_EDITABLE (self->url_row))[0] != '\0'
                        && gtk_editable_get_text (GTK_EDITABLE (self->database_row))[0] != '\0';

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.test-connection",
                                 has_server && self->test_client == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "prefs.prepare-server",
                                 has_server && !gtk_widget_get_visible (GTK_WIDGET (self->prepare_spinner)));
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LkPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  char *password = lk_credentials_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->lookup);

  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not read the password from the keyring: %s"), error->message);

      set_status (self, message, TRUE);
      return;
    }
  lk_credentials_free_password (self->saved_password);
  self->saved_password = password;
  /* What the user typed meanwhile wins. */
  if (!self->password_edited)
    set_password_text (self, password);
}

/* Fills the password row with what the keyring has for url + user. */
static void
load_password (LkPreferencesWindow *self,
               const char          *url,
               const char          *user)
{
  if (self->lookup != NULL)
    {
      g_cancellable_cancel (self->lookup);
      g_clear_object (&self->lookup);
    }
  lk_set_str (&self->saved_url, url);
  lk_set_str (&self->saved_user, user);
  g_clear_pointer (&self->saved_password, lk_credentials_free_password);
  if (url == NULL || url[0] == '\0' || user == NULL || user[0] == '\0')
    return;

  self->lookup = g_cancellable_new ();
  lk_credentials_lookup_async (url, user, self->lookup, lookup_cb, g_object_ref (self));
}

static void
save_password_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(LkPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!lk_sync_controller_save_password_finish (LK_SYNC_CONTROLLER (object), result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Could not save the password in the keyring: %s"), error->message);
      set_status (self, message, TRUE);
      return;
    }
  set_status (self, _("The password is saved in the keyring."), FALSE);
}

static void
set_setting (GSettings  *settings,
             const char *key,
             const char *value)
{
  g_autofree char *old = g_settings_get_string (settings, key);

  if (g_strcmp0 (old, value) != 0)
    g_settings_set_string (settings, key, value);
}

/* The account rows follow the settings one way. A row that already says
 * the same (as after its own apply, or with only the trailing slash or
 * spaces the settings leave out) is left alone: setting its text would
 * show its apply button again. */
static void
settings_changed_cb (LkPreferencesWindow *self,
                     const char          *key,
                     GSettings           *settings)
{
  AdwEntryRow *row;
  g_autofree char *value = NULL;
  g_autofree char *shown = NULL;

  if (g_str_equal (key, "sync-url"))
    row = self->url_row;
  else if (g_str_equal (key, "sync-database"))
    row = self->database_row;
  else if (g_str_equal (key, "sync-user"))
    row = self->user_row;
  else
    return;

  value = g_settings_get_string (settings, key);
  if (row == self->url_row)
    shown = check_server_url (gtk_editable_get_text (GTK_EDITABLE (row)), NULL);
  else
    shown = row_text (row);
  if (g_strcmp0 (shown, value) != 0)
    gtk_editable_set_text (GTK_EDITABLE (row), value);
}

static void
account_apply_cb (LkPreferencesWindow *self,
                  AdwEntryRow         *row)
{
  lk_preferences_window_save_account (self);
}

static void
account_changed_cb (LkPreferencesWindow *self,
                    GtkEditable         *row)
{
  mark_row (ADW_ENTRY_ROW (row), TRUE);
  update_actions (self);
}

static void
password_changed_cb (LkPreferencesWindow *self,
                     GtkEditable         *row)
{
  if (!self->setting_password)
    self->password_edited = TRUE;
}

static void
test_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(LkPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;

  version = lk_sync_client_test_connection_finish (LK_SYNC_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_stop (self->test_spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), FALSE);
  g_clear_object (&self->test_client);
  update_actions (self);

  if (version == NULL)
    set_row_result (self->test_row, error->message, TRUE);
  else
    {
      /* Translators: after a successful connection test; %s is the
       * server's product and version ("CouchDB 3.3.3") */
      g_autofree char *message = g_strdup_printf (_("Connected to %s. The database and the account work."), version);

      set_row_result (self->test_row, message, FALSE);
    }
}

static void
test_connection_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  LkPreferencesWindow *self = LK_PREFERENCES_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *server_url = NULL;
  g_autofree char *database = NULL;
  g_autofree char *url = NULL;
  g_autofree char *user = row_text (self->user_row);
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  LkContext *context = lk_sync_controller_get_context (self->controller);

  if (self->test_client != NULL)
    return;
  if (!entered_account (self, &server_url, &database, &error))
    {
      set_row_result (self->test_row, error->message, TRUE);
      return;
    }
  if (server_url[0] == '\0')
    {
      set_row_result (self->test_row, _("Enter the server address first."), TRUE);
      return;
    }

  /* A client of its own with the values as entered, saved or not: the
   * application's client keeps working with the saved ones. */
  url = lk_sync_database_url (server_url, database);
  self->test_client = lk_sync_client_new (lk_context_get_store (context));
  lk_sync_client_set_url (self->test_client, url);
  lk_sync_client_set_user (self->test_client, user[0] ? user : NULL);
  lk_sync_client_set_password (self->test_client, password[0] ? password : NULL);
  lk_sync_client_set_allow_insecure (self->test_client, gtk_switch_get_active (self->insecure_switch));

  set_row_result (self->test_row, _("Connecting…"), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), TRUE);
  gtk_spinner_start (self->test_spinner);
  update_actions (self);
  lk_sync_client_test_connection_async (self->test_client, self->cancellable, test_cb, g_object_ref (self));
}

static void
prepare_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(LkPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!lk_server_setup_prepare_finish (result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_stop (self->prepare_spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->prepare_spinner), FALSE);
  update_actions (self);

  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The database was not prepared: %s"), error->message);

      set_row_result (self->prepare_row, message, TRUE);
      return;
    }
  set_row_result (self->prepare_row, _("The database is ready: the team’s users can sync with it now."), FALSE);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (_("Server database prepared")));
}

static void
prepare_response_cb (LkPreferencesWindow   *self,
                     const char            *response,
                     LkPrepareServerDialog *dialog)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *server_url = NULL;
  g_autofree char *database = NULL;
  g_autofree char *url = NULL;

  if (g_strcmp0 (response, "prepare") != 0)
    return;
  if (!entered_account (self, &server_url, &database, &error) || server_url[0] == '\0')
    {
      set_row_result (self->prepare_row, error ? error->message : _("Enter the server address first."), TRUE);
      return;
    }

  url = lk_sync_database_url (server_url, database);
  set_row_result (self->prepare_row, _("Preparing the database…"), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->prepare_spinner), TRUE);
  gtk_spinner_start (self->prepare_spinner);
  update_actions (self);
  lk_server_setup_prepare_async (url,
                                 lk_prepare_server_dialog_get_admin_user (dialog),
                                 lk_prepare_server_dialog_get_admin_password (dialog),
                                 gtk_switch_get_active (self->insecure_switch),
                                 self->cancellable, prepare_cb, g_object_ref (self));
}

static void
prepare_server_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  LkPreferencesWindow *self = LK_PREFERENCES_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *server_url = NULL;
  g_autofree char *database = NULL;
  LkPrepareServerDialog *dialog;

  if (!entered_account (self, &server_url, &database, &error) || server_url[0] == '\0')
    {
      set_row_result (self->prepare_row, error ? error->message : _("Enter the server address first."), TRUE);
      return;
    }
  dialog = lk_prepare_server_dialog_new (GTK_WINDOW (self), server_url, database);
  g_signal_connect_object (dialog, "response", G_CALLBACK (prepare_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
lk_preferences_window_close_request (GtkWindow *window)
{
  LkPreferencesWindow *self = LK_PREFERENCES_WINDOW (window);

  /* An address that is not valid is pointed out once rather than lost
   * silently; closing again closes. */
  if (!lk_preferences_window_save_account (self) && !self->close_warned)
    {
      self->close_warned = TRUE;
      return TRUE;
    }
  return GTK_WINDOW_CLASS (lk_preferences_window_parent_class)->close_request (window);
}

/* The pages of the rules the team shares (settings documents that sync),
 * after the Sync page. */
static void
add_rule_pages (LkPreferencesWindow *self)
{
  LkContext *context = lk_sync_controller_get_context (self->controller);
  AdwPreferencesWindow *window = ADW_PREFERENCES_WINDOW (self);

  adw_preferences_window_add (window, ADW_PREFERENCES_PAGE (lk_followup_page_new (context)));
  adw_preferences_window_add (window, ADW_PREFERENCES_PAGE (lk_scoring_page_new (context)));
  adw_preferences_window_add (window, ADW_PREFERENCES_PAGE (lk_team_page_new (context)));
  adw_preferences_window_add (window, ADW_PREFERENCES_PAGE (lk_assignment_page_new (context)));
  adw_preferences_window_add (window, ADW_PREFERENCES_PAGE (lk_pool_page_new (context)));
}

static void
lk_preferences_window_constructed (GObject *object)
{
  LkPreferencesWindow *self = LK_PREFERENCES_WINDOW (object);
  GSettings *settings;
  g_autofree char *url = NULL;
  g_autofree char *user = NULL;

  G_OBJECT_CLASS (lk_preferences_window_parent_class)->constructed (object);

  g_assert (self->controller != NULL);
  settings = get_settings (self);

  g_signal_connect_object (settings, "changed", G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  settings_changed_cb (self, "sync-url", settings);
  settings_changed_cb (self, "sync-database", settings);
  settings_changed_cb (self, "sync-user", settings);
  g_settings_bind (settings, "sync-automatic", self->automatic_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "sync-interval-minutes", self->interval_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "sync-allow-insecure", self->insecure_switch, "active", G_SETTINGS_BIND_DEFAULT);

  url = row_text (self->url_row);
  user = row_text (self->user_row);
  load_password (self, url, user);
  update_actions (self);

  add_rule_pages (self);
}

static void
lk_preferences_window_dispose (GObject *object)
{
  LkPreferencesWindow *self = LK_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->lookup != NULL)
    g_cancellable_cancel (self->lookup);
  g_clear_object (&self->lookup);
  g_clear_object (&self->test_client);
  g_clear_object (&self->controller);

  G_OBJECT_CLASS (lk_preferences_window_parent_class)->dispose (object);
}

static void
lk_preferences_window_finalize (GObject *object)
{
  LkPreferencesWindow *self = LK_PREFERENCES_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_free (self->saved_url);
  g_free (self->saved_user);
  lk_credentials_free_password (self->saved_password);
  g_free (self->status);

  G_OBJECT_CLASS (lk_preferences_window_parent_class)->finalize (object);
}

static void
lk_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  LkPreferencesWindow *self = LK_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTROLLER:
      g_value_set_object (value, self->controller);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  LkPreferencesWindow *self = LK_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTROLLER:
      self->controller = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_preferences_window_class_init (LkPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = lk_preferences_window_constructed;
  object_class->dispose = lk_preferences_window_dispose;
  object_class->finalize = lk_preferences_window_finalize;
  object_class->get_property = lk_preferences_window_get_property;
  object_class->set_property = lk_preferences_window_set_property;
  window_class->close_request = lk_preferences_window_close_request;

  properties[PROP_CONTROLLER] =
    g_param_spec_object ("controller", NULL, NULL, LK_TYPE_SYNC_CONTROLLER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/preferences/lk-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, url_row);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, database_row);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, user_row);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, account_status);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, test_row);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, automatic_switch);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, interval_spin);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, insecure_switch);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, prepare_row);
  gtk_widget_class_bind_template_child (widget_class, LkPreferencesWindow, prepare_spinner);
  gtk_widget_class_bind_template_callback (widget_class, account_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, account_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, password_changed_cb);

  gtk_widget_class_install_action (widget_class, "prefs.test-connection", NULL, test_connection_action);
  gtk_widget_class_install_action (widget_class, "prefs.prepare-server", NULL, prepare_server_action);
}

static void
lk_preferences_window_init (LkPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  /* Messages from servers and keyrings are plain text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->test_row), FALSE);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->prepare_row), FALSE);
}

LkPreferencesWindow *
lk_preferences_window_new (LkSyncController *controller,
                           GtkWindow        *parent)
{
  g_return_val_if_fail (LK_IS_SYNC_CONTROLLER (controller), NULL);
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (LK_TYPE_PREFERENCES_WINDOW,
                       "controller", controller,
                       "transient-for", parent,
                       NULL);
}

gboolean
lk_preferences_window_save_account (LkPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *server_url = NULL;
  g_autofree char *database = NULL;
  g_autofree char *user = NULL;
  GSettings *settings;
  const char *password;
  gboolean same_account;

  g_return_val_if_fail (LK_IS_PREFERENCES_WINDOW (self), FALSE);

  if (!entered_account (self, &server_url, &database, &error))
    {
      set_status (self, error->message, TRUE);
      return FALSE;
    }
  user = row_text (self->user_row);
  settings = get_settings (self);
  set_setting (settings, "sync-url", server_url);
  set_setting (settings, "sync-database", database);
  set_setting (settings, "sync-user", user);
  if (self->status != NULL && (gtk_widget_has_css_class (GTK_WIDGET (self->account_status), "error")))
    set_status (self, NULL, FALSE);

  password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  same_account = g_strcmp0 (server_url, self->saved_url) == 0 && g_strcmp0 (user, self->saved_user) == 0;

  if (!same_account && password[0] == '\0')
    {
      /* Another account and no password typed: show the one the keyring
       * may have for it. */
      load_password (self, server_url, user);
      return TRUE;
    }
  if (same_account && (!self->password_edited || g_strcmp0 (password, self->saved_password ? self->saved_password : "") == 0))
    return TRUE;
  if (server_url[0] == '\0' || user[0] == '\0')
    {
      if (password[0] != '\0')
        set_status (self, _("Enter the server address and the user name: the password is kept for them."), TRUE);
      return TRUE;
    }

  /* From here the keyring holds (or is asked to hold) this password. */
  if (self->lookup != NULL)
    {
      g_cancellable_cancel (self->lookup);
      g_clear_object (&self->lookup);
    }
  lk_set_str (&self->saved_url, server_url);
  lk_set_str (&self->saved_user, user);
  lk_credentials_free_password (self->saved_password);
  self->saved_password = password[0] ? g_strdup (password) : NULL;
  self->password_edited = FALSE;
  lk_sync_controller_save_password_async (self->controller, server_url, user, password,
                                          self->cancellable, save_password_cb, g_object_ref (self));
  return TRUE;
}

gboolean
lk_preferences_window_is_loaded (LkPreferencesWindow *self)
{
  g_return_val_if_fail (LK_IS_PREFERENCES_WINDOW (self), FALSE);
  return self->lookup == NULL;
}

/* Returns: (nullable): the account status line */
const char *
lk_preferences_window_get_status (LkPreferencesWindow *self)
{
  g_return_val_if_fail (LK_IS_PREFERENCES_WINDOW (self), NULL);
  return self->status;
}
