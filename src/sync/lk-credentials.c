/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-credentials"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "lk-credentials.h"

/* The keyring calls, with the keyring's errors turned into sentences a
 * user can act on. Nothing here logs a password or an attribute set
 * that could hold one. */

G_DEFINE_QUARK (lk-credentials-error-quark, lk_credentials_error)

static const SecretSchema *
get_schema (void)
{
  /* Constant data, not state: libsecret wants a schema by pointer. */
  static const SecretSchema schema = {
    "io.github.leadkeeper.Leadkeeper.Server", SECRET_SCHEMA_NONE,
    {
      { "url", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

/* The keyring's own error, said so that a person knows what to do. */
static GError *
translate_error (GError *error)
{
  GError *result;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;

  if (error->domain == G_DBUS_ERROR || error->domain == G_IO_ERROR || error->domain == G_SPAWN_ERROR)
    /* No session bus, or nobody on it answers for org.freedesktop.secrets. */
    result = g_error_new (LK_CREDENTIALS_ERROR, LK_CREDENTIALS_ERROR_NO_KEYRING,
                          _("No keyring is running. Passwords are kept in a keyring such as GNOME Keyring or KeePassXC (its Secret Service); start one and try again (%s)"),
                          error->message);
  else if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    result = g_error_new_literal (LK_CREDENTIALS_ERROR, LK_CREDENTIALS_ERROR_LOCKED,
                                  _("The keyring is locked. Unlock it and try again."));
  else
    result = g_error_new (LK_CREDENTIALS_ERROR, LK_CREDENTIALS_ERROR_FAILED,
                          _("The keyring refused: %s"), error->message);
  g_error_free (error);
  return result;
}

/* The task of a keyring call for @url and @user, or %NULL when one of
 * them is missing (the task has returned the error already). */
static GTask *
start_task (const char          *url,
            const char          *user,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             source_tag)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  if (url == NULL || url[0] == '\0' || user == NULL || user[0] == '\0')
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("A password is kept for a server and a user name: enter both first."));
      return NULL;
    }
  return g_steal_pointer (&task);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, translate_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *password;

  password = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, translate_error (error));
      return;
    }
  /* Copied into ordinary memory so callers can g_free() it; the
   * keyring's copy is wiped. */
  g_task_return_pointer (task, g_strdup (password), (GDestroyNotify) lk_credentials_free_password);
  secret_password_free (password);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error: there was nothing to clear. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, translate_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * lk_credentials_store_async:
 * @url: the server, as in the sync-url setting
 *
 * Stores (or replaces) the password for @url and @user in the default
 * keyring.
 */
void
lk_credentials_store_async (const char          *url,
                            const char          *user,
                            const char          *password,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  g_autofree char *label = NULL;

  g_return_if_fail (password != NULL);

  task = start_task (url, user, cancellable, callback, user_data, lk_credentials_store_async);
  if (task == NULL)
    return;

  /* Translators: the name of the keyring entry, as keyring managers show
   * it: "Leadkeeper sync: anna on https://crm.example.com:6984" */
  label = g_strdup_printf (_("Leadkeeper sync: %s on %s"), user, url);
  secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT, label, password,
                         cancellable, store_cb, task,
                         "url", url, "user", user, NULL);
}

gboolean
lk_credentials_store_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
lk_credentials_lookup_async (const char          *url,
                             const char          *user,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task = start_task (url, user, cancellable, callback, user_data, lk_credentials_lookup_async);

  if (task == NULL)
    return;

  secret_password_lookup (get_schema (), cancellable, lookup_cb, task,
                          "url", url, "user", user, NULL);
}

/* Returns: (transfer full) (nullable): the password, or %NULL with no
 * error when none is stored; free it with lk_credentials_free_password() */
char *
lk_credentials_lookup_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
lk_credentials_clear_async (const char          *url,
                            const char          *user,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task = start_task (url, user, cancellable, callback, user_data, lk_credentials_clear_async);

  if (task == NULL)
    return;

  secret_password_clear (get_schema (), cancellable, clear_cb, task,
                         "url", url, "user", user, NULL);
}

gboolean
lk_credentials_clear_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
lk_credentials_free_password (char *password)
{
  if (password == NULL)
    return;
  explicit_bzero (password, strlen (password));
  g_free (password);
}
