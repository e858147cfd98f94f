/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-sync-controller"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-credentials.h"
#include "lk-utils.h"
#include "sync/lk-sync-controller.h"

/* The application's one sync client, kept in step with the settings
 * (server, database, user, unencrypted connections, automatic sync and
 * its interval) and the keyring (the password). Live mode runs while sync
 * is automatic and a server is set; while the password is being read it
 * waits, so that a first run does not fail for want of it. */
struct _LkSyncController
{
  GObject       parent_instance;

  /* Owned */
  LkContext    *context;
  GSettings    *settings;
  LkSyncClient *client;
  GCancellable *lookup;        /* the keyring read in flight, or NULL */
  char         *server_url;    /* what the password was read for */
  char         *user;
  char         *keyring_error;
  gboolean      live;

  gulong        settings_changed_id;
};

G_DEFINE_FINAL_TYPE (LkSyncController, lk_sync_controller, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_SETTINGS,
  PROP_CLIENT,
  PROP_KEYRING_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
dup_setting (GSettings  *settings,
             const char *key)
{
  g_autofree char *value = g_strstrip (g_settings_get_string (settings, key));

  return value[0] != '\0' ? g_steal_pointer (&value) : NULL;
}

/* "https://crm.example.com:6984/" → "https://crm.example.com:6984" */
static char *
dup_server_url (GSettings *settings)
{
  char *url = dup_setting (settings, "sync-url");
  gsize len;

  if (url == NULL)
    return NULL;
  len = strlen (url);
  while (len > 0 && url[len - 1] == '/')
    url[--len] = '\0';
  if (len == 0)
    g_clear_pointer (&url, g_free);
  return url;
}

static void
set_keyring_error (LkSyncController *self,
                   const char       *message)
{
  if (lk_set_str (&self->keyring_error, message))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEYRING_ERROR]);
}

static void
update_live (LkSyncController *self)
{
  gboolean live = lk_sync_client_get_automatic (self->client)
                  && lk_sync_client_get_url (self->client) != NULL
                  && self->lookup == NULL;

  if (live == self->live)
    return;
  self->live = live;
  if (live)
    lk_sync_client_start_live (self->client);
  else
    lk_sync_client_stop_live (self->client);
}

/* New credentials or another server: a client that stopped on an error
 * (a wrong password is said once, not retried) tries again at once. */
static void
restart_live (LkSyncController *self)
{
  if (self->live)
    {
      lk_sync_client_stop_live (self->client);
      self->live = FALSE;
    }
  update_live (self);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  LkSyncController *self = user_data;
  g_autoptr(GError) error = NULL;
  char *password;

  password = lk_credentials_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* A newer lookup or dispose took over; self may be gone. */
      g_object_unref (self);
      return;
    }

  g_clear_object (&self->lookup);
  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not read the sync password from the keyring: %s"),
                                                  error->message);

      g_message ("%s", message);
      set_keyring_error (self, message);
    }
  else
    {
      set_keyring_error (self, NULL);
      /* Nothing stored is not an error: the server may not need one, or
       * the user has not entered it yet. */
      lk_sync_client_set_password (self->client, password);
    }
  lk_credentials_free_password (password);
  update_live (self);
  g_object_unref (self);
}

static void
apply_account (LkSyncController *self)
{
  g_autofree char *server_url = dup_server_url (self->settings);
  g_autofree char *database = dup_setting (self->settings, "sync-database");
  g_autofree char *user = dup_setting (self->settings, "sync-user");
  g_autofree char *url = NULL;

  if (server_url != NULL && database != NULL)
    url = lk_sync_database_url (server_url, database);

  lk_sync_client_set_allow_insecure (self->client, g_settings_get_boolean (self->settings, "sync-allow-insecure"));
  lk_sync_client_set_user (self->client, user);
  lk_sync_client_set_url (self->client, url);

  if (g_strcmp0 (server_url, self->server_url) != 0 || g_strcmp0 (user, self->user) != 0)
    {
      g_free (self->server_url);
      self->server_url = g_steal_pointer (&server_url);
      g_free (self->user);
      self->user = g_steal_pointer (&user);

      /* Another account: its password, not the last one's. */
      if (self->lookup != NULL)
        {
          g_cancellable_cancel (self->lookup);
          g_clear_object (&self->lookup);
        }
      lk_sync_client_set_password (self->client, NULL);
      set_keyring_error (self, NULL);
      if (self->server_url != NULL && self->user != NULL)
        {
          self->lookup = g_cancellable_new ();
          lk_credentials_lookup_async (self->server_url, self->user, self->lookup,
                                       lookup_cb, g_object_ref (self));
        }
    }
}

static void
apply_schedule (LkSyncController *self)
{
  lk_sync_client_set_interval (self->client, g_settings_get_uint (self->settings, "sync-interval-minutes"));
  lk_sync_client_set_automatic (self->client, g_settings_get_boolean (self->settings, "sync-automatic"));
}

static void
settings_changed_cb (LkSyncController *self,
                     const char       *key,
                     GSettings        *settings)
{
  if (g_str_equal (key, "sync-url") || g_str_equal (key, "sync-database")
      || g_str_equal (key, "sync-user") || g_str_equal (key, "sync-allow-insecure"))
    {
      apply_account (self);
      restart_live (self);
    }
  else if (g_str_equal (key, "sync-automatic") || g_str_equal (key, "sync-interval-minutes"))
    {
      apply_schedule (self);
      update_live (self);
    }
}

static void
store_password_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!lk_credentials_store_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
clear_password_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!lk_credentials_clear_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
lk_sync_controller_constructed (GObject *object)
{
  LkSyncController *self = LK_SYNC_CONTROLLER (object);

  G_OBJECT_CLASS (lk_sync_controller_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  g_assert (self->settings != NULL);

  self->client = lk_sync_client_new (lk_context_get_store (self->context));
  self->settings_changed_id = g_signal_connect_swapped (self->settings, "changed",
                                                        G_CALLBACK (settings_changed_cb), self);
  apply_schedule (self);
  apply_account (self);
  update_live (self);
}

static void
lk_sync_controller_dispose (GObject *object)
{
  LkSyncController *self = LK_SYNC_CONTROLLER (object);

  if (self->lookup != NULL)
    g_cancellable_cancel (self->lookup);
  g_clear_object (&self->lookup);
  if (self->settings != NULL)
    g_clear_signal_handler (&self->settings_changed_id, self->settings);
  if (self->client != NULL && self->live)
    lk_sync_client_stop_live (self->client);
  self->live = FALSE;

  g_clear_object (&self->client);
  g_clear_object (&self->settings);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (lk_sync_controller_parent_class)->dispose (object);
}

static void
lk_sync_controller_finalize (GObject *object)
{
  LkSyncController *self = LK_SYNC_CONTROLLER (object);

  g_free (self->server_url);
  g_free (self->user);
  g_free (self->keyring_error);

  G_OBJECT_CLASS (lk_sync_controller_parent_class)->finalize (object);
}

static void
lk_sync_controller_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  LkSyncController *self = LK_SYNC_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_KEYRING_ERROR:
      g_value_set_string (value, self->keyring_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_sync_controller_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  LkSyncController *self = LK_SYNC_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_sync_controller_class_init (LkSyncControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = lk_sync_controller_constructed;
  object_class->dispose = lk_sync_controller_dispose;
  object_class->finalize = lk_sync_controller_finalize;
  object_class->get_property = lk_sync_controller_get_property;
  object_class->set_property = lk_sync_controller_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, LK_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, LK_TYPE_SYNC_CLIENT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEYRING_ERROR] =
    g_param_spec_string ("keyring-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lk_sync_controller_init (LkSyncController *self)
{
}

LkSyncController *
lk_sync_controller_new (LkContext *context,
                        GSettings *settings)
{
  g_return_val_if_fail (LK_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (LK_TYPE_SYNC_CONTROLLER,
                       "context", context,
                       "settings", settings,
                       NULL);
}

LkContext *
lk_sync_controller_get_context (LkSyncController *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CONTROLLER (self), NULL);
  return self->context;
}

GSettings *
lk_sync_controller_get_settings (LkSyncController *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CONTROLLER (self), NULL);
  return self->settings;
}

LkSyncClient *
lk_sync_controller_get_client (LkSyncController *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CONTROLLER (self), NULL);
  return self->client;
}

/* Returns: (nullable): why the password could not be read */
const char *
lk_sync_controller_get_keyring_error (LkSyncController *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CONTROLLER (self), NULL);
  return self->keyring_error;
}

void
lk_sync_controller_save_password_async (LkSyncController    *self,
                                        const char          *server_url,
                                        const char          *user,
                                        const char          *password,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  gboolean empty = password == NULL || password[0] == '\0';

  g_return_if_fail (LK_IS_SYNC_CONTROLLER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_sync_controller_save_password_async);

  if (g_strcmp0 (server_url, self->server_url) == 0 && g_strcmp0 (user, self->user) == 0)
    {
      /* The configured account: the client uses it from now on, whatever
       * the keyring says; a lookup still running would only bring back
       * the old one. */
      if (self->lookup != NULL)
        {
          g_cancellable_cancel (self->lookup);
          g_clear_object (&self->lookup);
        }
      lk_sync_client_set_password (self->client, empty ? NULL : password);
      set_keyring_error (self, NULL);
      restart_live (self);
    }

  if (empty)
    lk_credentials_clear_async (server_url, user, cancellable, clear_password_cb, g_steal_pointer (&task));
  else
    lk_credentials_store_async (server_url, user, password, cancellable, store_password_cb, g_steal_pointer (&task));
}

gboolean
lk_sync_controller_save_password_finish (LkSyncController  *self,
                                         GAsyncResult      *result,
                                         GError           **error)
{
  g_return_val_if_fail (LK_IS_SYNC_CONTROLLER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * lk_sync_database_url:
 * @server_url: "https://crm.example.com:6984" (a trailing slash is fine)
 * @database: "leads"
 *
 * Returns: the database's URL, its name escaped for the path
 * ("https://crm.example.com:6984/leads")
 */
char *
lk_sync_database_url (const char *server_url,
                      const char *database)
{
  g_autofree char *escaped = NULL;
  gsize len;

  g_return_val_if_fail (server_url != NULL, NULL);
  g_return_val_if_fail (database != NULL, NULL);

  len = strlen (server_url);
  while (len > 0 && server_url[len - 1] == '/')
    len--;
  /* CouchDB names may hold "/", which the path must escape. */
  escaped = g_uri_escape_string (database, NULL, FALSE);
  return g_strdup_printf ("%.*s/%s", (int) len, server_url, escaped);
}
