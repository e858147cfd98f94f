/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-sync"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-json.h"
#include "lk-sync-client-private.h"

/* One request to the server, as LkSyncClient makes them: the settings
 * checked and copied (a Conn), Basic auth sent preemptively with one
 * re-login for a session cookie after a 401, errors people can act on,
 * and the JSON helpers that never complain about a member of an
 * unexpected type (the answers come from other programs). */

const char *
lk_sync_member_string (JsonObject *object,
                       const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
lk_sync_member_is_true (JsonObject *object,
                        const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

JsonNode *
lk_sync_parse_bytes (GBytes *bytes)
{
  gsize size = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &size) : NULL;

  if (data == NULL || size == 0)
    return NULL;
  return lk_json_parse (data, (gssize) size, NULL);
}

JsonObject *
lk_sync_parse_object (GBytes *bytes)
{
  g_autoptr(JsonNode) root = lk_sync_parse_bytes (bytes);

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_node_dup_object (root);
}

void
lk_sync_append_json_string (GString    *out,
                            const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) c);
        }
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

GBytes *
lk_sync_object_bytes (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  char *text;

  json_node_set_object (node, object);
  text = json_to_string (node, FALSE);
  return g_bytes_new_take (text, strlen (text));
}

/* --- The connection ---------------------------------------------------- */

void
lk_sync_conn_free (Conn *conn)
{
  if (conn == NULL)
    return;
  g_clear_object (&conn->session);
  g_free (conn->url);
  g_free (conn->root);
  g_free (conn->host);
  g_free (conn->user);
  if (conn->password != NULL)
    memset (conn->password, 0, strlen (conn->password));
  g_free (conn->password);
  if (conn->authorization != NULL)
    memset (conn->authorization, 0, strlen (conn->authorization));
  g_free (conn->authorization);
  g_free (conn);
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  bare = g_strdup (host[0] == '[' ? host + 1 : host);
  if (bare[0] != '\0' && bare[strlen (bare) - 1] == ']')
    bare[strlen (bare) - 1] = '\0';
  address = g_inet_address_new_from_string (bare);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* Checks the settings and takes a snapshot of them for one run or call.
 * Plain http is refused for anything but loopback unless @allow_insecure. */
Conn *
lk_sync_conn_new (SoupSession  *session,
                  const char   *url,
                  const char   *user,
                  const char   *password,
                  gboolean      allow_insecure,
                  GError      **error)
{
  g_autoptr(Conn) conn = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *slash;

  if (url == NULL)
    {
      g_set_error_literal (error, LK_SYNC_ERROR, LK_SYNC_ERROR_NO_DATABASE,
                           _("No server is set up for syncing. Enter the address of the team’s database in Preferences."));
      return NULL;
    }
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0' ||
      (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0) ||
      strlen (g_uri_get_path (uri)) < 2 || g_uri_get_query (uri) != NULL)
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_SERVER,
                   _("“%s” is not the address of a database. It looks like https://server.example.com:6984/leads"),
                   url);
      return NULL;
    }
  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, LK_SYNC_ERROR, LK_SYNC_ERROR_INSECURE,
                           _("The server address contains a user name or password. Remove it from the address and enter them in their own fields."));
      return NULL;
    }
  if (g_str_equal (scheme, "http") && !allow_insecure && !host_is_loopback (g_uri_get_host (uri)))
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_INSECURE,
                   _("The connection to %s would not be encrypted (http). Use an https address, or allow unencrypted connections in Preferences if this network is trusted."),
                   g_uri_get_host (uri));
      return NULL;
    }

  conn = g_new0 (Conn, 1);
  conn->session = g_object_ref (session);
  conn->url = g_strdup (url);
  slash = strrchr (conn->url, '/');
  conn->root = g_strndup (conn->url, slash - conn->url + 1);
  conn->host = g_strdup (g_uri_get_host (uri));
  conn->user = g_strdup (user);
  conn->password = g_strdup (password);
  if (user != NULL && user[0] != '\0')
    {
      g_autofree char *pair = g_strconcat (user, ":", password ? password : "", NULL);
      g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));

      conn->authorization = g_strconcat ("Basic ", encoded, NULL);
      memset (pair, 0, strlen (pair));
    }
  return g_steal_pointer (&conn);
}

gboolean
lk_sync_is_success (guint status)
{
  return status >= 200 && status < 300;
}

/* An answer the run cannot go on with. */
GError *
lk_sync_status_error (Conn       *conn,
                      guint       status,
                      GBytes     *reply,
                      const char *doing)
{
  g_autoptr(JsonObject) object = lk_sync_parse_object (reply);
  const char *reason = lk_sync_member_string (object, "reason");

  if (status == SOUP_STATUS_FORBIDDEN)
    return g_error_new (LK_SYNC_ERROR, LK_SYNC_ERROR_FORBIDDEN,
                        _("The user “%s” may not use the database %s. Ask a manager to give you access."),
                        conn->user ? conn->user : "", conn->url);
  if (status == SOUP_STATUS_NOT_FOUND)
    return g_error_new (LK_SYNC_ERROR, LK_SYNC_ERROR_NO_DATABASE,
                        _("There is no database %s on the server. Check the address, or ask a manager to prepare the database."),
                        conn->url);
  if (reason != NULL)
    return g_error_new (LK_SYNC_ERROR, LK_SYNC_ERROR_SERVER,
                        _("The server %s could not %s (HTTP %u): %s"), conn->host, doing, status, reason);
  return g_error_new (LK_SYNC_ERROR, LK_SYNC_ERROR_SERVER,
                      _("The server %s could not %s (HTTP %u)"), conn->host, doing, status);
}

GError *
lk_sync_malformed_error (Conn       *conn,
                         const char *what)
{
  return g_error_new (LK_SYNC_ERROR, LK_SYNC_ERROR_SERVER,
                      _("The server %s sent an answer Leadkeeper cannot read (%s). Nothing was changed; is the address that of a CouchDB database?"),
                      conn->host, what);
}

static GError *
auth_error (Conn *conn)
{
  if (conn->authorization == NULL)
    return g_error_new (LK_SYNC_ERROR, LK_SYNC_ERROR_AUTH,
                        _("The server %s needs a user name and password. Enter them in Preferences."),
                        conn->host);
  return g_error_new (LK_SYNC_ERROR, LK_SYNC_ERROR_AUTH,
                      _("The server %s did not accept the user name “%s” with this password. Check them in Preferences."),
                      conn->host, conn->user);
}

/* --- One HTTP request -------------------------------------------------- */

typedef struct
{
  Conn        *conn;     /* borrowed: outlives the request */
  char        *method;
  char        *url;
  GBytes      *body;
  SoupMessage *message;
  guint        status;
} Call;

static void
call_free (Call *call)
{
  g_free (call->method);
  g_free (call->url);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_clear_object (&call->message);
  g_free (call);
}

static SoupMessage *
make_message (Conn       *conn,
              const char *method,
              const char *url,
              GBytes     *body,
              gboolean    with_auth)
{
  SoupMessage *message = soup_message_new (method, url);
  SoupMessageHeaders *headers;

  if (message == NULL)
    return NULL;
  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept", "application/json");
  /* Neither CouchDB nor pouchdb-server sends a challenge: preemptive. */
  if (with_auth && conn->authorization != NULL)
    soup_message_headers_replace (headers, "Authorization", conn->authorization);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (message, "application/json", body);
  return message;
}

static GError *
transport_error (Conn   *conn,
                 GError *error)
{
  GError *mapped;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;
  if (error->domain == G_TLS_ERROR)
    mapped = g_error_new (LK_SYNC_ERROR, LK_SYNC_ERROR_SERVER,
                          _("The secure connection to %s failed: %s"), conn->host, error->message);
  else
    mapped = g_error_new (LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE,
                          _("Could not reach %s: %s"), conn->host, error->message);
  g_error_free (error);
  return mapped;
}

static void call_send (GTask *task);

static void
call_logged_in_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) reply = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  guint status = soup_message_get_status (call->message);

  g_clear_object (&call->message);
  if (reply == NULL)
    {
      g_task_return_error (task, transport_error (call->conn, g_steal_pointer (&error)));
      return;
    }
  if (!lk_sync_is_success (status))
    {
      g_task_return_error (task, auth_error (call->conn));
      return;
    }
  /* The AuthSession cookie is in the jar: once more. */
  call_send (g_steal_pointer (&task));
}

static void
call_sent_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  Conn *conn = call->conn;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) reply = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  if (reply == NULL)
    {
      g_task_return_error (task, transport_error (conn, g_steal_pointer (&error)));
      return;
    }
  call->status = soup_message_get_status (call->message);
  g_clear_object (&call->message);
  if (call->status == SOUP_STATUS_UNAUTHORIZED)
    {
      g_autoptr(JsonObject) login = json_object_new ();
      g_autoptr(GBytes) body = NULL;
      g_autofree char *session_url = NULL;
      GCancellable *cancellable;

      /* Once per run: log in for a session cookie, then report. */
      if (conn->relogged || conn->authorization == NULL)
        {
          g_task_return_error (task, auth_error (conn));
          return;
        }
      conn->relogged = TRUE;
      json_object_set_string_member (login, "name", conn->user);
      json_object_set_string_member (login, "password", conn->password ? conn->password : "");
      body = lk_sync_object_bytes (login);
      session_url = g_strconcat (conn->root, "_session", NULL);
      call->message = make_message (conn, "POST", session_url, body, FALSE);
      cancellable = g_task_get_cancellable (task);
      soup_session_send_and_read_async (conn->session, call->message, G_PRIORITY_DEFAULT,
                                        cancellable, call_logged_in_cb, g_steal_pointer (&task));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&reply), (GDestroyNotify) g_bytes_unref);
}

static void
call_send (GTask *task)
{
  Call *call = g_task_get_task_data (task);

  call->message = make_message (call->conn, call->method, call->url, call->body, TRUE);
  if (call->message == NULL)
    {
      g_task_return_new_error (task, LK_SYNC_ERROR, LK_SYNC_ERROR_SERVER,
                               _("“%s” is not a valid address"), call->url);
      g_object_unref (task);
      return;
    }
  g_debug ("%s %s", call->method, call->url);
  soup_session_send_and_read_async (call->conn->session, call->message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), call_sent_cb, task);
}

/* Sends one request; the answer's status and body come back whatever the
 * status, except 401: after one re-login, a wrong password is an error. */
void
lk_sync_call_async (Conn                *conn,
                    const char          *method,
                    const char          *url,
                    GBytes              *body,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Call *call = g_new0 (Call, 1);

  call->conn = conn;
  call->method = g_strdup (method);
  call->url = g_strdup (url);
  call->body = body != NULL ? g_bytes_ref (body) : NULL;
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  g_task_set_source_tag (task, lk_sync_call_async);
  call_send (task);
}

GBytes *
lk_sync_call_finish (GAsyncResult  *result,
                     guint         *status,
                     GError       **error)
{
  Call *call = g_task_get_task_data (G_TASK (result));

  *status = call->status;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The answer of a request that must succeed: %NULL with @error when it
 * could not be sent or its status is not 2xx (@doing says what the
 * server could not do, as in lk_sync_status_error()). */
GBytes *
lk_sync_call_finish_success (GAsyncResult  *result,
                             const char    *doing,
                             GError       **error)
{
  Call *call = g_task_get_task_data (G_TASK (result));
  g_autoptr(GBytes) reply = NULL;
  guint status;

  reply = lk_sync_call_finish (result, &status, error);
  if (reply == NULL)
    return NULL;
  if (!lk_sync_is_success (status))
    {
      g_propagate_error (error, lk_sync_status_error (call->conn, status, reply, doing));
      return NULL;
    }
  return g_steal_pointer (&reply);
}

/* The same for a request of @run: on a failure the run is finished with
 * the error and %NULL returned. */
GBytes *
lk_sync_run_call_finish (Run          *run,
                         GAsyncResult *result,
                         const char   *doing)
{
  GError *error = NULL;
  GBytes *reply = lk_sync_call_finish_success (result, doing, &error);

  if (reply == NULL)
    lk_sync_run_finish (run, error);
  return reply;
}

/* The answer to GET on the database: its information, which names it. */
JsonObject *
lk_sync_db_info_finish (GAsyncResult  *result,
                        GError       **error)
{
  Call *call = g_task_get_task_data (G_TASK (result));
  g_autoptr(GBytes) reply = lk_sync_call_finish_success (result, _("open the database"), error);
  g_autoptr(JsonObject) info = NULL;

  if (reply == NULL)
    return NULL;
  info = lk_sync_parse_object (reply);
  if (info == NULL || !json_object_has_member (info, "db_name"))
    {
      g_propagate_error (error, lk_sync_malformed_error (call->conn, _("database information")));
      return NULL;
    }
  return g_steal_pointer (&info);
}

/* "…/_changes?since=": the raw checkpoint unquoted and escaped, never
 * interpreted (CouchDB's are opaque strings, pouchdb-server's integers). */
char *
lk_sync_since_param (const char *raw)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *value = NULL;
  JsonNode *root;

  if (json_parser_load_from_data (parser, raw, -1, NULL) && (root = json_parser_get_root (parser)) != NULL &&
      JSON_NODE_HOLDS_VALUE (root) && json_node_get_value_type (root) == G_TYPE_STRING)
    value = g_strdup (json_node_get_string (root));
  else
    value = g_strstrip (g_strdup (raw));
  return g_uri_escape_string (value, NULL, FALSE);
}

char *
lk_sync_doc_url (Conn       *conn,
                 const char *doc_id)
{
  g_autofree char *escaped = g_uri_escape_string (doc_id, NULL, TRUE);

  return g_strconcat (conn->url, "/", escaped, NULL);
}

