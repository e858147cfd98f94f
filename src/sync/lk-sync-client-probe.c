/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-sync"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-sync-client-private.h"

/* "Test connection": the server says who it is, the database exists and
 * was prepared for Leadkeeper, with the settings as they are now. */

typedef struct
{
  Conn *conn;
  char *product;
} Probe;

static void
probe_free (Probe *probe)
{
  lk_sync_conn_free (probe->conn);
  g_free (probe->product);
  g_free (probe);
}

static void
probe_epoch_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Probe *probe = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) reply = NULL;
  guint status;

  reply = lk_sync_call_finish (result, &status, &error);
  if (reply == NULL)
    g_task_return_error (task, error);
  else if (status == SOUP_STATUS_NOT_FOUND)
    g_task_return_new_error (task, LK_SYNC_ERROR, LK_SYNC_ERROR_NO_DATABASE,
                             _("The database %s has not been prepared for Leadkeeper. A manager can prepare it with “Prepare server database”."),
                             probe->conn->url);
  else if (!lk_sync_is_success (status))
    g_task_return_error (task, lk_sync_status_error (probe->conn, status, reply, _("read the database’s epoch marker")));
  else
    g_task_return_pointer (task, g_strdup (probe->product), g_free);
}

static void
probe_db_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Probe *probe = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonObject) info = NULL;
  g_autofree char *url = NULL;
  GCancellable *cancellable;

  info = lk_sync_db_info_finish (result, &error);
  if (info == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  url = g_strconcat (probe->conn->url, "/" EPOCH_DOC, NULL);
  cancellable = g_task_get_cancellable (task);
  lk_sync_call_async (probe->conn, "GET", url, NULL, cancellable, probe_epoch_cb, g_steal_pointer (&task));
}

static void
probe_root_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Probe *probe = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonObject) welcome = NULL;
  const char *product;
  const char *version;
  GCancellable *cancellable;

  reply = lk_sync_call_finish_success (result, _("say who it is"), &error);
  welcome = reply != NULL ? lk_sync_parse_object (reply) : NULL;
  if (welcome == NULL)
    {
      g_task_return_error (task, reply != NULL ? lk_sync_malformed_error (probe->conn, _("the server’s welcome")) : error);
      return;
    }
  if (json_object_has_member (welcome, "couchdb"))
    product = "CouchDB";
  else if (json_object_has_member (welcome, "express-pouchdb"))
    product = "PouchDB Server";
  else
    product = _("A CouchDB-compatible server");
  version = lk_sync_member_string (welcome, "version");
  probe->product = version != NULL ? g_strdup_printf ("%s %s", product, version) : g_strdup (product);
  cancellable = g_task_get_cancellable (task);
  lk_sync_call_async (probe->conn, "GET", probe->conn->url, NULL, cancellable, probe_db_cb, g_steal_pointer (&task));
}

void
lk_sync_client_test_connection_async (LkSyncClient        *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  Probe *probe;

  g_return_if_fail (LK_IS_SYNC_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_sync_client_test_connection_async);
  probe = g_new0 (Probe, 1);
  g_task_set_task_data (task, probe, (GDestroyNotify) probe_free);
  probe->conn = lk_sync_conn_new (self->session, self->url, self->user, self->password, self->allow_insecure, &error);
  if (probe->conn == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  lk_sync_call_async (probe->conn, "GET", probe->conn->root, NULL, cancellable, probe_root_cb,
                      g_steal_pointer (&task));
}

/* Returns: (transfer full): the server's product and version ("CouchDB 3.3.3") */
char *
lk_sync_client_test_connection_finish (LkSyncClient  *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
