/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-sync"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "lk-error.h"
#include "lk-merge.h"
#include "lk-store-sync.h"
#include "lk-sync-client.h"
#include "lk-utils.h"

/* A plain client of the CouchDB HTTP API (SYNC.md). One run at a time:
 *
 *   epoch  GET db, GET db/_local/leadkeeper-epoch; a different epoch (or a
 *          checkpoint beyond the server's update_seq) resets the local
 *          sync state, and the run then pulls before it pushes
 *   push   POST db/_bulk_docs, ≤ 500 documents and ~1 MB per request;
 *          conflicts are fetched (_all_docs with keys), merged and sent
 *          again, at most three times a run; 413 halves the batch
 *   pull   GET db/_changes in pages of 500, each page applied with its
 *          checkpoint in one transaction; server-side _conflicts folded
 *          and their losing revisions deleted
 *   push   again, for what the pull queued
 *
 * HTTP runs on the main thread with libsoup's async calls; parsing the
 * answers and everything that touches the database run on a worker
 * thread (GTask), on a connection of the run's own. The steps of a run
 * follow each other: one request or one worker job at a time. The main
 * store hears of the run's writes once, when it ends. */

#define BATCH_DOCS          500
#define BATCH_BYTES         (1024 * 1024)
#define PAGE_SIZE           500
#define MAX_CONFLICT_TRIES  3
#define LIVE_DEADLINE_S     60
#define LIVE_RETRY_S        30
#define EDIT_DELAY_MS       2000
#define NETWORK_DELAY_MS    1000
#define MANY_IDS            1000
#define EPOCH_DOC           "_local/leadkeeper-epoch"

/* The server is reached through a snapshot of the settings, so changing
 * them never disturbs a request under way. */
typedef struct
{
  SoupSession *session;
  char        *url;            /* the database, without a trailing slash */
  char        *root;           /* the server, with a trailing slash */
  char        *host;           /* for messages */
  char        *user;
  char        *password;
  char        *authorization;  /* "Basic …", or NULL */
  gboolean     relogged;       /* re-logged in after a 401 already */
} Conn;

typedef enum
{
  STEP_PUSH,
  STEP_PULL,
  STEP_DONE,
} Step;

typedef struct _Run Run;

struct _LkSyncClient
{
  GObject          parent_instance;

  /* Owned */
  LkStore         *store;
  char            *url;
  char            *user;
  char            *password;
  char            *last_error;
  SoupSession     *session;
  SoupSession     *live_session;
  GCancellable    *live_cancellable;
  Conn            *live_conn;
  Run             *run;

  /* Sources and handlers */
  guint            timer_id;
  guint            soon_id;
  guint            live_deadline_id;
  guint            live_retry_id;
  gulong           store_changed_id;
  gulong           network_changed_id;

  LkSyncState      state;
  double           progress;
  gint64           last_sync_at;
  gint64           pending;
  guint            interval;
  guint            allow_insecure : 1;
  guint            automatic : 1;
  guint            live : 1;
  guint            live_deadline_hit : 1;
  guint            emitting : 1;
  guint            rerun : 1;
};

struct _Run
{
  LkSyncClient *client;
  Conn         *conn;
  GPtrArray    *tasks;            /* GTask of each caller waiting */
  GPtrArray    *caller_cancellables;
  GArray       *caller_handlers;
  GCancellable *cancellable;
  LkStore      *worker;           /* used by one worker job at a time */
  gulong        worker_changed_id;
  LkSyncReport  report;

  /* What the run changed, told to the main store at the end (written by
   * worker jobs, read on the main thread once they are over) */
  GHashTable   *changed;          /* doc type → GHashTable of ids, or NULL for "many" */
  gboolean      changed_all;

  /* Epoch */
  char         *epoch;
  JsonNode     *update_seq;
  gboolean      reset;
  guint         step;

  /* Push */
  GHashTable   *tries;            /* doc id → conflicts met this run */
  GHashTable   *done;             /* doc ids not sent again this run */
  GQueue        splits;           /* batches waiting after a 413 */
  GPtrArray    *batch;            /* LkOutboxDoc being sent */
  gint64        push_total;
  gint64        push_done;

  /* Pull */
  char         *since;            /* raw JSON of the checkpoint */
  gint64        pull_done;
  gint64        pull_pending;
  struct Page  *page;             /* waiting for the losing revisions of its conflicts */
  guint         loser_index;
};

typedef struct Page
{
  GPtrArray  *docs;        /* JsonObject */
  char       *last_seq;    /* raw JSON */
  guint       n_results;
  gint64      pending;     /* the server's count of changes left, -1 if unknown */
  GPtrArray  *conflicted;  /* (doc id, rev) pairs: ids at even, revs at odd indexes */
  GHashTable *losers;      /* doc id → GPtrArray of JsonObject */
  guint       skipped;
} Page;

G_DEFINE_FINAL_TYPE (LkSyncClient, lk_sync_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_URL,
  PROP_USER,
  PROP_PASSWORD,
  PROP_ALLOW_INSECURE,
  PROP_AUTOMATIC,
  PROP_INTERVAL,
  PROP_STATE,
  PROP_PROGRESS,
  PROP_LAST_ERROR,
  PROP_LAST_SYNC_AT,
  PROP_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GType
lk_sync_state_get_type (void)
{
  static gsize type = 0;
  static const GEnumValue values[] = {
    { LK_SYNC_STATE_UNCONFIGURED, "LK_SYNC_STATE_UNCONFIGURED", "unconfigured" },
    { LK_SYNC_STATE_IDLE, "LK_SYNC_STATE_IDLE", "idle" },
    { LK_SYNC_STATE_SYNCING, "LK_SYNC_STATE_SYNCING", "syncing" },
    { LK_SYNC_STATE_OFFLINE, "LK_SYNC_STATE_OFFLINE", "offline" },
    { LK_SYNC_STATE_ERROR, "LK_SYNC_STATE_ERROR", "error" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_enum_register_static (g_intern_static_string ("LkSyncState"), values));
  return type;
}

static void     request_run   (LkSyncClient *self);
static void     live_poll     (LkSyncClient *self);
static gboolean live_retry_cb (gpointer      data);
static void     run_next      (Run          *run);
static void     push_next     (Run          *run);
static void     pull_next     (Run          *run);

/* --- JSON helpers ------------------------------------------------------ */

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
member_is_true (JsonObject *object,
                const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static JsonNode *
parse_bytes (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize size = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &size) : NULL;
  JsonNode *root;

  if (data == NULL || size == 0 || !json_parser_load_from_data (parser, data, (gssize) size, NULL) ||
      (root = json_parser_get_root (parser)) == NULL)
    return NULL;
  return json_node_ref (root);
}

static JsonObject *
parse_object (GBytes *bytes)
{
  g_autoptr(JsonNode) root = parse_bytes (bytes);

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_node_dup_object (root);
}

static void
append_json_string (GString    *out,
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

static GBytes *
object_bytes (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  char *text;

  json_node_set_object (node, object);
  text = json_to_string (node, FALSE);
  return g_bytes_new_take (text, strlen (text));
}

/* --- The connection ---------------------------------------------------- */

static void
conn_free (Conn *conn)
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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Conn, conn_free)

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

/* Checks the settings and takes a snapshot of them for one run or call. */
static Conn *
conn_new (LkSyncClient  *self,
          SoupSession   *session,
          GError       **error)
{
  g_autoptr(Conn) conn = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *slash;

  if (self->url == NULL)
    {
      g_set_error_literal (error, LK_SYNC_ERROR, LK_SYNC_ERROR_NO_DATABASE,
                           _("No server is set up for syncing. Enter the address of the team’s database in Preferences."));
      return NULL;
    }
  uri = g_uri_parse (self->url, G_URI_FLAGS_ENCODED, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0' ||
      (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0))
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_SERVER,
                   _("“%s” is not the address of a database. It looks like https://server.example.com:6984/leads"),
                   self->url);
      return NULL;
    }
  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, LK_SYNC_ERROR, LK_SYNC_ERROR_INSECURE,
                           _("The server address contains a user name or password. Remove it from the address and enter them in their own fields."));
      return NULL;
    }
  if (g_str_equal (scheme, "http") && !self->allow_insecure && !host_is_loopback (g_uri_get_host (uri)))
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_INSECURE,
                   _("The connection to %s would not be encrypted (http). Use an https address, or allow unencrypted connections in Preferences if this network is trusted."),
                   g_uri_get_host (uri));
      return NULL;
    }

  conn = g_new0 (Conn, 1);
  conn->session = g_object_ref (session);
  conn->url = g_strdup (self->url);
  slash = strrchr (conn->url, '/');
  conn->root = g_strndup (conn->url, slash - conn->url + 1);
  conn->host = g_strdup (g_uri_get_host (uri));
  conn->user = g_strdup (self->user);
  conn->password = g_strdup (self->password);
  if (self->user != NULL && self->user[0] != '\0')
    {
      g_autofree char *pair = g_strconcat (self->user, ":", self->password ? self->password : "", NULL);
      g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));

      conn->authorization = g_strconcat ("Basic ", encoded, NULL);
      memset (pair, 0, strlen (pair));
    }
  return g_steal_pointer (&conn);
}

static gboolean
is_success (guint status)
{
  return status >= 200 && status < 300;
}

/* An answer the run cannot go on with. */
static GError *
status_error (Conn       *conn,
              guint       status,
              GBytes     *reply,
              const char *doing)
{
  g_autoptr(JsonObject) object = parse_object (reply);
  const char *reason = member_string (object, "reason");

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

static GError *
malformed_error (Conn       *conn,
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
  if (!is_success (status))
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
      body = object_bytes (login);
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
static void
call_async (Conn                *conn,
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
  g_task_set_source_tag (task, call_async);
  call_send (task);
}

static GBytes *
call_finish (GAsyncResult  *result,
             guint         *status,
             GError       **error)
{
  Call *call = g_task_get_task_data (G_TASK (result));

  *status = call->status;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* "…/_changes?since=": the raw checkpoint unquoted and escaped, never
 * interpreted (CouchDB's are opaque strings, pouchdb-server's integers). */
static char *
since_param (const char *raw)
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

static char *
doc_url (Conn       *conn,
         const char *doc_id)
{
  g_autofree char *escaped = g_uri_escape_string (doc_id, NULL, TRUE);

  return g_strconcat (conn->url, "/", escaped, NULL);
}

/* --- Properties and state ---------------------------------------------- */

static void
set_state (LkSyncClient *self,
           LkSyncState   state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_progress (LkSyncClient *self,
              double        progress)
{
  progress = CLAMP (progress, 0.0, 1.0);
  if (G_APPROX_VALUE (self->progress, progress, 0.001))
    return;
  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

static void
set_last_error (LkSyncClient *self,
                const char   *message)
{
  if (lk_set_str (&self->last_error, message))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
set_last_sync_at (LkSyncClient *self,
                  gint64        at)
{
  if (self->last_sync_at == at)
    return;
  self->last_sync_at = at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC_AT]);
}

static void
update_pending (LkSyncClient *self)
{
  gint64 pending = lk_store_count_outbox (self->store, NULL);

  if (pending < 0 || pending == self->pending)
    return;
  self->pending = pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

/* What the store remembers of the configured remote. */
static void
load_remote (LkSyncClient *self)
{
  g_autoptr(LkSyncRemote) remote = NULL;

  if (self->url != NULL)
    remote = lk_store_get_sync_remote (self->store, self->url, NULL);
  set_last_sync_at (self, remote != NULL ? MAX (remote->last_pull_at, remote->last_push_at) : 0);
  set_last_error (self, remote != NULL ? remote->last_error : NULL);
  if (self->run == NULL)
    set_state (self, self->url == NULL ? LK_SYNC_STATE_UNCONFIGURED
                     : self->last_error != NULL ? LK_SYNC_STATE_ERROR : LK_SYNC_STATE_IDLE);
}

/* --- The run ----------------------------------------------------------- */

static void
page_free (Page *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->docs, g_ptr_array_unref);
  g_clear_pointer (&page->conflicted, g_ptr_array_unref);
  g_clear_pointer (&page->losers, g_hash_table_unref);
  g_free (page->last_seq);
  g_free (page);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Page, page_free)

static void
run_free (Run *run)
{
  for (guint i = 0; i < run->caller_cancellables->len; i++)
    g_cancellable_disconnect (g_ptr_array_index (run->caller_cancellables, i),
                              g_array_index (run->caller_handlers, gulong, i));
  g_ptr_array_unref (run->caller_cancellables);
  g_array_unref (run->caller_handlers);
  g_ptr_array_unref (run->tasks);
  if (run->worker != NULL && run->worker_changed_id != 0)
    g_signal_handler_disconnect (run->worker, run->worker_changed_id);
  g_clear_object (&run->worker);
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->conn, conn_free);
  g_clear_pointer (&run->changed, g_hash_table_unref);
  g_clear_pointer (&run->tries, g_hash_table_unref);
  g_clear_pointer (&run->done, g_hash_table_unref);
  g_queue_clear_full (&run->splits, (GDestroyNotify) g_ptr_array_unref);
  g_clear_pointer (&run->batch, g_ptr_array_unref);
  g_clear_pointer (&run->update_seq, json_node_unref);
  g_clear_pointer (&run->page, page_free);
  g_free (run->epoch);
  g_free (run->since);
  g_clear_object (&run->client);
  g_free (run);
}

/* Runs on the worker thread, at the commit of each of the run's
 * transactions. */
static void
worker_changed_cb (LkStore            *worker,
                   const char         *doc_type,
                   const char * const *ids,
                   Run                *run)
{
  GHashTable *set;

  if (doc_type == NULL)
    {
      run->changed_all = TRUE;
      return;
    }
  if (!g_hash_table_lookup_extended (run->changed, doc_type, NULL, (gpointer *) &set))
    {
      set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (run->changed, g_strdup (doc_type), set);
    }
  if (set == NULL)
    return;
  if (ids == NULL || g_hash_table_size (set) > MANY_IDS)
    {
      g_hash_table_insert (run->changed, g_strdup (doc_type), NULL);
      return;
    }
  for (guint i = 0; ids[i] != NULL; i++)
    g_hash_table_add (set, g_strdup (ids[i]));
}

static void
tell_store (LkSyncClient *self,
            Run          *run)
{
  GHashTableIter iter;
  const char *doc_type;
  GHashTable *ids;

  self->emitting = TRUE;
  if (run->changed_all)
    lk_store_emit_changed (self->store, NULL, NULL);
  else
    {
      g_hash_table_iter_init (&iter, run->changed);
      while (g_hash_table_iter_next (&iter, (gpointer *) &doc_type, (gpointer *) &ids))
        {
          g_autofree const char **list = NULL;

          if (ids != NULL && g_hash_table_size (ids) == 0)
            continue;
          if (ids != NULL)
            list = (const char **) g_hash_table_get_keys_as_array (ids, NULL);
          lk_store_emit_changed (self->store, doc_type, list);
        }
    }
  g_hash_table_remove_all (run->changed);
  self->emitting = FALSE;
}

static void
run_finish (Run    *run,
            GError *error)
{
  LkSyncClient *self = run->client;
  g_autoptr(GError) owned = error;
  gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  gint64 now = lk_clock_now_ms (lk_store_get_clock (self->store));
  const LkSyncReport *report = &run->report;

  g_assert (self->run == run);

  /* The worker connection goes first: the main store writes below. */
  if (run->worker != NULL && run->worker_changed_id != 0)
    g_signal_handler_disconnect (run->worker, run->worker_changed_id);
  run->worker_changed_id = 0;
  g_clear_object (&run->worker);
  tell_store (self, run);

  if (error == NULL)
    {
      g_assert (run->conn != NULL);
      lk_store_set_sync_times (self->store, run->conn->url, now, now, NULL);
      lk_store_set_sync_error (self->store, run->conn->url, NULL, NULL);
      set_last_error (self, NULL);
      set_last_sync_at (self, now);
      set_state (self, LK_SYNC_STATE_IDLE);
    }
  else if (cancelled)
    set_state (self, self->last_error != NULL ? LK_SYNC_STATE_ERROR : LK_SYNC_STATE_IDLE);
  else
    {
      g_debug ("Sync run failed: %s", error->message);
      if (run->conn != NULL)
        lk_store_set_sync_error (self->store, run->conn->url, error->message, NULL);
      set_last_error (self, error->message);
      set_state (self, g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE)
                       ? LK_SYNC_STATE_OFFLINE : LK_SYNC_STATE_ERROR);
    }
  set_progress (self, 0);
  update_pending (self);

  self->run = NULL;
  for (guint i = 0; i < run->tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (run->tasks, i);

      g_task_set_task_data (task, g_memdup2 (report, sizeof *report), g_free);
      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
  g_signal_emit (self, signals[FINISHED], 0, report, error);

  if (self->rerun)
    {
      self->rerun = FALSE;
      request_run (self);
    }
  else if (self->live)
    {
      if (error == NULL)
        live_poll (self);
      else if (g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE) ||
               g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_SERVER))
        {
          g_clear_handle_id (&self->live_retry_id, g_source_remove);
          self->live_retry_id = g_timeout_add_seconds (LIVE_RETRY_S, live_retry_cb, self);
        }
    }
  run_free (run);
}

/* Half for the push, half for the pull. The pull's share comes from the
 * server's count of changes left when it gives one (CouchDB), else from
 * the pages seen: an estimate for people, never used for the protocol. */
static void
update_run_progress (Run *run)
{
  double push = run->push_total > 0 ? (double) run->push_done / (double) run->push_total : 1.0;
  double pull;

  if (run->pull_done == 0)
    pull = 0.0;
  else if (run->pull_pending >= 0)
    pull = (double) run->pull_done / (double) (run->pull_done + run->pull_pending);
  else
    pull = 1.0 - 1.0 / (1.0 + (double) run->pull_done / PAGE_SIZE);
  set_progress (run->client, (MIN (push, 1.0) + MIN (pull, 1.0)) / 2.0);
}

/* A job on the worker thread. Every job struct starts with its run. */
typedef struct
{
  Run *run;
} Job;

static void
run_job (Run                 *run,
         gpointer             job,
         GDestroyNotify       destroy,
         GTaskThreadFunc      func,
         GAsyncReadyCallback  callback)
{
  g_autoptr(GTask) task = g_task_new (NULL, run->cancellable, callback, run);

  ((Job *) job)->run = run;
  g_task_set_task_data (task, job, destroy);
  g_task_run_in_thread (task, func);
}

static gboolean
job_finish (GAsyncResult  *result,
            GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- Epoch --------------------------------------------------------------- */

typedef struct
{
  Run     *run;
  gboolean reset;
  char    *since;
  gint64   pending;
} EpochJob;

static void
epoch_job_free (EpochJob *job)
{
  g_free (job->since);
  g_free (job);
}

/* Whether a numeric checkpoint is beyond the server's update_seq: the
 * server went back in time (a restore). Opaque strings are never compared. */
static gboolean
since_beyond (const char *since,
              JsonNode   *update_seq)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (since == NULL || update_seq == NULL || !JSON_NODE_HOLDS_VALUE (update_seq) ||
      json_node_get_value_type (update_seq) != G_TYPE_INT64 ||
      !json_parser_load_from_data (parser, since, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_VALUE (root) ||
      json_node_get_value_type (root) != G_TYPE_INT64)
    return FALSE;
  return json_node_get_int (root) > json_node_get_int (update_seq);
}

static void
epoch_job (GTask        *task,
           gpointer      source,
           gpointer      data,
           GCancellable *cancellable)
{
  EpochJob *job = data;
  Run *run = job->run;
  g_autoptr(LkSyncRemote) remote = NULL;
  GError *error = NULL;

  remote = lk_store_get_sync_remote (run->worker, run->conn->url, &error);
  if (remote == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  job->reset = g_strcmp0 (remote->db_epoch, run->epoch) != 0 ||
               since_beyond (remote->pull_since, run->update_seq);
  if (job->reset)
    {
      g_debug ("The server's epoch is “%s”, ours “%s”: starting over",
               run->epoch, remote->db_epoch ? remote->db_epoch : "(none)");
      if (!lk_store_reset_sync (run->worker, run->conn->url, run->epoch, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }
  else
    job->since = g_strdup (remote->pull_since);
  job->pending = lk_store_count_outbox (run->worker, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
epoch_checked_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Run *run = user_data;
  EpochJob *job = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!job_finish (result, &error))
    {
      run_finish (run, error);
      return;
    }
  run->reset = job->reset;
  run->since = g_steal_pointer (&job->since);
  run->push_total = MAX (job->pending, 0);
  run->step = 0;
  run_next (run);
}

static void
got_epoch_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Run *run = user_data;
  GError *error = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonObject) marker = NULL;
  guint status;

  reply = call_finish (result, &status, &error);
  if (reply == NULL)
    {
      run_finish (run, error);
      return;
    }
  if (is_success (status))
    {
      marker = parse_object (reply);
      if (marker == NULL)
        {
          run_finish (run, malformed_error (run->conn, "_local/leadkeeper-epoch"));
          return;
        }
      run->epoch = g_strdup (member_string (marker, "epoch"));
    }
  else if (status != SOUP_STATUS_NOT_FOUND)
    {
      run_finish (run, status_error (run->conn, status, reply, _("read the database’s epoch marker")));
      return;
    }
  /* No marker: the database was not prepared. That is an epoch too
   * (""), so that its first appearance is a change. */
  if (run->epoch == NULL)
    run->epoch = g_strdup ("");
  run_job (run, g_new0 (EpochJob, 1), (GDestroyNotify) epoch_job_free, epoch_job, epoch_checked_cb);
}

static void
got_db_info_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;
  GError *error = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonObject) info = NULL;
  g_autofree char *url = NULL;
  JsonNode *update_seq;
  guint status;

  reply = call_finish (result, &status, &error);
  if (reply == NULL)
    {
      run_finish (run, error);
      return;
    }
  if (!is_success (status))
    {
      run_finish (run, status_error (run->conn, status, reply, _("open the database")));
      return;
    }
  info = parse_object (reply);
  if (info == NULL || !json_object_has_member (info, "db_name"))
    {
      run_finish (run, malformed_error (run->conn, _("database information")));
      return;
    }
  update_seq = json_object_get_member (info, "update_seq");
  if (update_seq != NULL)
    run->update_seq = json_node_copy (update_seq);

  url = g_strconcat (run->conn->url, "/" EPOCH_DOC, NULL);
  call_async (run->conn, "GET", url, NULL, run->cancellable, got_epoch_cb, run);
}

static void
run_next (Run *run)
{
  static const Step normal[] = { STEP_PUSH, STEP_PULL, STEP_PUSH, STEP_DONE };
  static const Step reset[] = { STEP_PULL, STEP_PUSH, STEP_DONE };
  const Step *steps = run->reset ? reset : normal;
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (run->cancellable, &error))
    {
      run_finish (run, error);
      return;
    }
  update_run_progress (run);
  switch (steps[run->step++])
    {
    case STEP_PUSH:
      push_next (run);
      break;
    case STEP_PULL:
      pull_next (run);
      break;
    case STEP_DONE:
    default:
      run_finish (run, NULL);
      break;
    }
}

/* --- Push ---------------------------------------------------------------- */

typedef struct
{
  Run       *run;
  GPtrArray *batch;       /* LkOutboxDoc */
  GBytes    *reply;
  char      *reason;
  GPtrArray *conflicts;   /* doc ids to fetch and merge */
  GPtrArray *retry;       /* doc ids to send again */
  GError    *stop;        /* what ends the run once the batch is marked */
  guint      pushed;
  guint      rejected;
  LkSyncApplyReport applied;
} PushJob;

static void
push_job_free (PushJob *job)
{
  g_clear_pointer (&job->batch, g_ptr_array_unref);
  g_clear_pointer (&job->reply, g_bytes_unref);
  g_clear_pointer (&job->conflicts, g_ptr_array_unref);
  g_clear_pointer (&job->retry, g_ptr_array_unref);
  g_clear_error (&job->stop);
  g_free (job->reason);
  g_free (job);
}

static PushJob *
push_job_new (Run *run)
{
  PushJob *job = g_new0 (PushJob, 1);

  job->batch = g_ptr_array_ref (run->batch);
  job->conflicts = g_ptr_array_new_with_free_func (g_free);
  job->retry = g_ptr_array_new_with_free_func (g_free);
  return job;
}

static void
take_batch_job (GTask        *task,
                gpointer      source,
                gpointer      data,
                GCancellable *cancellable)
{
  PushJob *job = data;
  GError *error = NULL;

  job->batch = lk_store_take_outbox_batch (job->run->worker, BATCH_DOCS, BATCH_BYTES, job->run->done, &error);
  if (job->batch == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* The whole batch could not be sent: each document waits for a retry. */
static void
mark_failed_job (GTask        *task,
                 gpointer      source,
                 gpointer      data,
                 GCancellable *cancellable)
{
  PushJob *job = data;
  LkStore *worker = job->run->worker;
  GError *error = NULL;
  gboolean ok = lk_store_begin (worker, &error);

  for (guint i = 0; ok && i < job->batch->len; i++)
    ok = lk_store_mark_push_failed (worker, g_ptr_array_index (job->batch, i), job->reason, &error);
  ok = ok && lk_store_commit (worker, &error);
  if (!ok)
    {
      lk_store_rollback (worker);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}


static void
mark_failed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;
  PushJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!job_finish (result, &error) && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("Could not note that the push failed: %s", error->message);
  run_finish (run, g_steal_pointer (&job->stop));
}

/* Ends the run with @error. When the documents themselves may go through
 * later (no network, a server error), each waits for a retry first. */
static void
push_failed (Run    *run,
             GError *error)
{
  PushJob *job;

  if (!g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE) &&
      !g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_SERVER))
    {
      run_finish (run, error);
      return;
    }
  job = push_job_new (run);
  job->reason = g_strdup (error->message);
  job->stop = error;
  run_job (run, job, (GDestroyNotify) push_job_free, mark_failed_job, mark_failed_cb);
}

static GBytes *
bulk_body (GPtrArray *batch)
{
  GString *body = g_string_new ("{\"docs\":[");

  for (guint i = 0; i < batch->len; i++)
    {
      LkOutboxDoc *doc = g_ptr_array_index (batch, i);

      g_assert (doc->body[0] == '{' && doc->body[1] != '}');
      if (i > 0)
        g_string_append_c (body, ',');
      if (doc->rev != NULL)
        {
          g_string_append (body, "{\"_rev\":");
          append_json_string (body, doc->rev);
          g_string_append_c (body, ',');
          g_string_append (body, doc->body + 1);
        }
      else
        g_string_append (body, doc->body);
    }
  g_string_append (body, "]}");
  return g_string_free_to_bytes (body);
}

static gboolean
is_error (JsonObject *result,
          const char *error)
{
  return g_strcmp0 (member_string (result, "error"), error) == 0;
}

/* The answer of _bulk_docs, one result per document, matched on "error"
 * (never on "reason", which servers word differently). */
static void
bulk_results_job (GTask        *task,
                  gpointer      source,
                  gpointer      data,
                  GCancellable *cancellable)
{
  PushJob *job = data;
  Run *run = job->run;
  LkStore *worker = run->worker;
  g_autoptr(JsonNode) root = parse_bytes (job->reply);
  g_autoptr(GHashTable) waiting = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  LkOutboxDoc *doc;
  JsonArray *results;
  GError *error = NULL;
  gboolean ok;

  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_task_return_error (task, malformed_error (run->conn, "_bulk_docs"));
      return;
    }
  results = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *node = json_array_get_element (results, i);

      if (!JSON_NODE_HOLDS_OBJECT (node) || member_string (json_node_get_object (node), "id") == NULL)
        {
          g_task_return_error (task, malformed_error (run->conn, "_bulk_docs"));
          return;
        }
    }

  for (guint i = 0; i < job->batch->len; i++)
    {
      doc = g_ptr_array_index (job->batch, i);
      g_hash_table_insert (waiting, doc->doc_id, doc);
    }

  ok = lk_store_begin (worker, &error);
  for (guint i = 0; ok && i < json_array_get_length (results); i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);
      const char *id = member_string (result, "id");
      const char *reason = member_string (result, "reason");

      doc = g_hash_table_lookup (waiting, id);
      if (doc == NULL)
        continue;
      g_hash_table_remove (waiting, id);

      if (member_string (result, "error") == NULL)
        {
          const char *rev = member_string (result, "rev");

          if (rev != NULL)
            {
              ok = lk_store_mark_pushed (worker, doc, rev, &error);
              job->pushed++;
            }
          else
            ok = lk_store_mark_push_failed (worker, doc, _("The server gave no revision"), &error);
        }
      else if (is_error (result, "conflict"))
        g_ptr_array_add (job->conflicts, g_strdup (id));
      else if (is_error (result, "forbidden") || is_error (result, "unauthorized"))
        {
          g_message ("The server refused “%s”: %s", id, reason ? reason : member_string (result, "error"));
          ok = lk_store_mark_rejected (worker, doc, reason ? reason : _("The server refused this change"), &error);
          job->rejected++;
        }
      else if (is_error (result, "not_found") && doc->rev != NULL)
        {
          /* The server no longer has the revision we based it on. */
          ok = lk_store_drop_sync_base (worker, id, &error);
          g_ptr_array_add (job->retry, g_strdup (id));
        }
      else
        ok = lk_store_mark_push_failed (worker, doc, reason ? reason : member_string (result, "error"), &error);
    }
  g_hash_table_iter_init (&iter, waiting);
  while (ok && g_hash_table_iter_next (&iter, NULL, (gpointer *) &doc))
    ok = lk_store_mark_push_failed (worker, doc, _("The server did not answer for this document"), &error);
  ok = ok && lk_store_commit (worker, &error);
  if (!ok)
    {
      lk_store_rollback (worker);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* A single document the server finds too large (413). */
static void
reject_job (GTask        *task,
            gpointer      source,
            gpointer      data,
            GCancellable *cancellable)
{
  PushJob *job = data;
  GError *error = NULL;

  for (guint i = 0; i < job->batch->len; i++)
    {
      if (!lk_store_mark_rejected (job->run->worker, g_ptr_array_index (job->batch, i), job->reason, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      job->rejected++;
    }
  g_task_return_boolean (task, TRUE);
}

/* The server's versions of documents that conflicted, merged three ways
 * into the local copy; what is left of mine stays queued. */
static void
merge_theirs_job (GTask        *task,
                  gpointer      source,
                  gpointer      data,
                  GCancellable *cancellable)
{
  PushJob *job = data;
  Run *run = job->run;
  g_autoptr(JsonObject) root = parse_object (job->reply);
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonNode *rows_node = root != NULL ? json_object_get_member (root, "rows") : NULL;
  JsonArray *rows;
  GError *error = NULL;

  if (rows_node == NULL || !JSON_NODE_HOLDS_ARRAY (rows_node))
    {
      g_task_return_error (task, malformed_error (run->conn, "_all_docs"));
      return;
    }
  rows = json_node_get_array (rows_node);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *row_node = json_array_get_element (rows, i);
      JsonObject *row = JSON_NODE_HOLDS_OBJECT (row_node) ? json_node_get_object (row_node) : NULL;
      JsonNode *doc = row != NULL ? json_object_get_member (row, "doc") : NULL;
      JsonNode *value = row != NULL ? json_object_get_member (row, "value") : NULL;
      const char *key = member_string (row, "key");

      if (doc != NULL && JSON_NODE_HOLDS_OBJECT (doc))
        g_ptr_array_add (docs, json_object_ref (json_node_get_object (doc)));
      else if (value != NULL && JSON_NODE_HOLDS_OBJECT (value) &&
               member_is_true (json_node_get_object (value), "deleted") && key != NULL &&
               member_string (json_node_get_object (value), "rev") != NULL)
        {
          JsonObject *tombstone = json_object_new ();

          json_object_set_string_member (tombstone, "_id", key);
          json_object_set_string_member (tombstone, "_rev", member_string (json_node_get_object (value), "rev"));
          json_object_set_boolean_member (tombstone, "_deleted", TRUE);
          g_ptr_array_add (docs, tombstone);
        }
      else if (key != NULL && is_error (row, "not_found") && !lk_store_drop_sync_base (run->worker, key, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }
  if (!lk_store_apply_remote (run->worker, docs, NULL, run->conn->url, NULL, lk_merge_for_store, NULL,
                              cancellable, &job->applied, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
merged_theirs_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Run *run = user_data;
  PushJob *job = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!job_finish (result, &error))
    {
      run_finish (run, error);
      return;
    }
  run->report.merged += job->applied.merged;
  run->report.conflicts += job->applied.conflicts;
  run->report.skipped += job->applied.skipped;
  push_next (run);
}

static void
got_theirs_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Run *run = user_data;
  GError *error = NULL;
  g_autoptr(GBytes) reply = NULL;
  PushJob *job;
  guint status;

  reply = call_finish (result, &status, &error);
  if (reply == NULL)
    {
      run_finish (run, error);
      return;
    }
  if (!is_success (status))
    {
      run_finish (run, status_error (run->conn, status, reply, _("send its version of changed documents")));
      return;
    }
  job = g_new0 (PushJob, 1);
  job->reply = g_steal_pointer (&reply);
  run_job (run, job, (GDestroyNotify) push_job_free, merge_theirs_job, merged_theirs_cb);
}

static void
bulk_results_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Run *run = user_data;
  PushJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GHashTable) again = g_hash_table_new (g_str_hash, g_str_equal);
  GError *error = NULL;

  if (!job_finish (result, &error))
    {
      run_finish (run, error);
      return;
    }
  run->report.pushed += job->pushed;
  run->report.rejected += job->rejected;
  run->push_done += job->batch->len;
  update_run_progress (run);

  for (guint i = 0; i < job->conflicts->len; i++)
    g_hash_table_add (again, g_ptr_array_index (job->conflicts, i));
  for (guint i = 0; i < job->retry->len; i++)
    g_hash_table_add (again, g_ptr_array_index (job->retry, i));
  /* Each document goes once a run, but for a conflict merged and sent
   * again, at most three times. */
  for (guint i = 0; i < job->batch->len; i++)
    {
      LkOutboxDoc *doc = g_ptr_array_index (job->batch, i);
      guint tries = GPOINTER_TO_UINT (g_hash_table_lookup (run->tries, doc->doc_id));

      if (g_hash_table_contains (again, doc->doc_id))
        {
          g_hash_table_insert (run->tries, g_strdup (doc->doc_id), GUINT_TO_POINTER (++tries));
          if (tries < MAX_CONFLICT_TRIES)
            continue;
        }
      g_hash_table_add (run->done, g_strdup (doc->doc_id));
    }

  if (job->conflicts->len > 0)
    {
      g_autoptr(JsonObject) keys = json_object_new ();
      JsonArray *array = json_array_new ();
      g_autoptr(GBytes) body = NULL;
      g_autofree char *url = g_strconcat (run->conn->url, "/_all_docs?include_docs=true&conflicts=true", NULL);

      for (guint i = 0; i < job->conflicts->len; i++)
        json_array_add_string_element (array, g_ptr_array_index (job->conflicts, i));
      json_object_set_array_member (keys, "keys", array);
      body = object_bytes (keys);
      call_async (run->conn, "POST", url, body, run->cancellable, got_theirs_cb, run);
      return;
    }
  push_next (run);
}

static void
rejected_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Run *run = user_data;
  PushJob *job = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!job_finish (result, &error))
    {
      run_finish (run, error);
      return;
    }
  run->report.rejected += job->rejected;
  for (guint i = 0; i < job->batch->len; i++)
    g_hash_table_add (run->done, g_strdup (((LkOutboxDoc *) g_ptr_array_index (job->batch, i))->doc_id));
  push_next (run);
}

static void
bulk_sent_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Run *run = user_data;
  GError *error = NULL;
  g_autoptr(GBytes) reply = NULL;
  PushJob *job;
  guint status;

  reply = call_finish (result, &status, &error);
  if (reply == NULL)
    {
      push_failed (run, error);
      return;
    }
  if (status == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE)
    {
      if (run->batch->len > 1)
        {
          gsize n = 0;
          gpointer *docs = g_ptr_array_steal (run->batch, &n);
          GPtrArray *first = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_outbox_doc_free);
          GPtrArray *second = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_outbox_doc_free);

          g_debug ("The server found %u documents too large a request: sending them in two", (guint) n);
          for (gsize i = 0; i < n; i++)
            g_ptr_array_add (i < n / 2 ? first : second, docs[i]);
          g_free (docs);
          g_queue_push_head (&run->splits, second);
          g_queue_push_head (&run->splits, first);
          push_next (run);
          return;
        }
      job = push_job_new (run);
      job->reason = g_strdup (_("The server does not take a document this large"));
      run_job (run, job, (GDestroyNotify) push_job_free, reject_job, rejected_cb);
      return;
    }
  if (!is_success (status))
    {
      push_failed (run, status_error (run->conn, status, reply, _("save the changes")));
      return;
    }
  job = push_job_new (run);
  job->reply = g_steal_pointer (&reply);
  run_job (run, job, (GDestroyNotify) push_job_free, bulk_results_job, bulk_results_cb);
}

static void
send_batch (Run *run)
{
  g_autoptr(GBytes) body = bulk_body (run->batch);
  g_autofree char *url = g_strconcat (run->conn->url, "/_bulk_docs", NULL);

  g_debug ("Pushing %u documents", run->batch->len);
  call_async (run->conn, "POST", url, body, run->cancellable, bulk_sent_cb, run);
}

static void
took_batch_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Run *run = user_data;
  PushJob *job = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!job_finish (result, &error))
    {
      run_finish (run, error);
      return;
    }
  if (job->batch->len == 0)
    {
      run_next (run);
      return;
    }
  run->batch = g_steal_pointer (&job->batch);
  send_batch (run);
}

static void
push_next (Run *run)
{
  GError *error = NULL;

  g_clear_pointer (&run->batch, g_ptr_array_unref);
  if (g_cancellable_set_error_if_cancelled (run->cancellable, &error))
    {
      run_finish (run, error);
      return;
    }
  if (!g_queue_is_empty (&run->splits))
    {
      run->batch = g_queue_pop_head (&run->splits);
      send_batch (run);
      return;
    }
  run_job (run, g_new0 (PushJob, 1), (GDestroyNotify) push_job_free, take_batch_job, took_batch_cb);
}

/* --- Pull ---------------------------------------------------------------- */

typedef struct
{
  Run               *run;
  GBytes            *reply;
  Page              *page;
  gboolean           applied_now;
  LkSyncApplyReport  applied;
} PageJob;

static void
page_job_free (PageJob *job)
{
  g_clear_pointer (&job->reply, g_bytes_unref);
  g_clear_pointer (&job->page, page_free);
  g_free (job);
}

static void
skip_result (Page       *page,
             const char *id,
             const char *why)
{
  g_message ("Skipped a change of “%s” from the server: %s", id ? id : "?", why);
  page->skipped++;
}

static Page *
parse_page (Conn    *conn,
            GBytes  *reply,
            GError **error)
{
  g_autoptr(JsonObject) root = parse_object (reply);
  g_autoptr(Page) page = NULL;
  JsonNode *results_node = root != NULL ? json_object_get_member (root, "results") : NULL;
  JsonNode *last_seq = root != NULL ? json_object_get_member (root, "last_seq") : NULL;
  JsonNode *pending = root != NULL ? json_object_get_member (root, "pending") : NULL;
  JsonArray *results;

  if (results_node == NULL || !JSON_NODE_HOLDS_ARRAY (results_node) || last_seq == NULL ||
      JSON_NODE_HOLDS_NULL (last_seq))
    {
      g_propagate_error (error, malformed_error (conn, "_changes"));
      return NULL;
    }
  page = g_new0 (Page, 1);
  page->docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  page->conflicted = g_ptr_array_new_with_free_func (g_free);
  page->last_seq = json_to_string (last_seq, FALSE);
  page->pending = pending != NULL && JSON_NODE_HOLDS_VALUE (pending) &&
                  json_node_get_value_type (pending) == G_TYPE_INT64 ? json_node_get_int (pending) : -1;
  results = json_node_get_array (results_node);
  page->n_results = json_array_get_length (results);

  for (guint i = 0; i < page->n_results; i++)
    {
      JsonNode *node = json_array_get_element (results, i);
      JsonObject *result = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *id = member_string (result, "id");
      JsonNode *doc_node = result != NULL ? json_object_get_member (result, "doc") : NULL;
      JsonObject *doc = NULL;
      JsonNode *conflicts;

      if (result == NULL)
        {
          skip_result (page, NULL, "the change is not an object");
          continue;
        }
      if (doc_node != NULL && JSON_NODE_HOLDS_OBJECT (doc_node))
        doc = json_object_ref (json_node_get_object (doc_node));
      else if (member_is_true (result, "deleted") && id != NULL)
        {
          /* A bare tombstone: the id and the deleting revision. */
          JsonNode *changes = json_object_get_member (result, "changes");
          JsonArray *array = changes != NULL && JSON_NODE_HOLDS_ARRAY (changes) ? json_node_get_array (changes) : NULL;
          JsonNode *first = array != NULL && json_array_get_length (array) > 0 ? json_array_get_element (array, 0) : NULL;
          const char *rev = first != NULL && JSON_NODE_HOLDS_OBJECT (first)
                            ? member_string (json_node_get_object (first), "rev") : NULL;

          if (rev == NULL)
            {
              skip_result (page, id, "a deletion without a revision");
              continue;
            }
          doc = json_object_new ();
          json_object_set_string_member (doc, "_id", id);
          json_object_set_string_member (doc, "_rev", rev);
          json_object_set_boolean_member (doc, "_deleted", TRUE);
        }
      else
        {
          skip_result (page, id, "the change carries no document");
          continue;
        }
      g_ptr_array_add (page->docs, doc);

      /* The losing revisions a cluster kept, to fold and delete. */
      conflicts = json_object_get_member (doc, "_conflicts");
      if (conflicts != NULL && JSON_NODE_HOLDS_ARRAY (conflicts) && !member_is_true (doc, "_deleted") &&
          member_string (doc, "_id") != NULL && member_string (doc, "_id")[0] != '_')
        {
          JsonArray *revs = json_node_get_array (conflicts);

          for (guint j = 0; j < json_array_get_length (revs); j++)
            {
              JsonNode *rev = json_array_get_element (revs, j);

              if (JSON_NODE_HOLDS_VALUE (rev) && json_node_get_value_type (rev) == G_TYPE_STRING)
                {
                  g_ptr_array_add (page->conflicted, g_strdup (member_string (doc, "_id")));
                  g_ptr_array_add (page->conflicted, g_strdup (json_node_get_string (rev)));
                }
            }
        }
    }
  return g_steal_pointer (&page);
}

static void
page_job (GTask        *task,
          gpointer      source,
          gpointer      data,
          GCancellable *cancellable)
{
  PageJob *job = data;
  Run *run = job->run;
  GError *error = NULL;

  if (job->page == NULL)
    {
      job->page = parse_page (run->conn, job->reply, &error);
      if (job->page == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  /* Server-side conflicts: their losing revisions are fetched first. */
  if (job->page->conflicted->len > 0 && job->page->losers == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (!lk_store_apply_remote (run->worker, job->page->docs, job->page->losers, run->conn->url,
                              job->page->last_seq, lk_merge_for_store, NULL, cancellable,
                              &job->applied, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  job->applied_now = TRUE;
  g_task_return_boolean (task, TRUE);
}

static void
continue_pull (Run   *run,
               guint  n_results)
{
  if (n_results >= PAGE_SIZE)
    pull_next (run);
  else
    run_next (run);
}

static void
losers_deleted_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Run *run = user_data;
  GError *error = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(Page) page = g_steal_pointer (&run->page);
  guint status;

  reply = call_finish (result, &status, &error);
  if (reply == NULL)
    {
      run_finish (run, error);
      return;
    }
  root = parse_bytes (reply);
  if (is_success (status) && root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *results = json_node_get_array (root);

      /* Only a manager may delete the revision of a lead; the fold is
       * kept either way (the base remembers it). */
      for (guint i = 0; i < json_array_get_length (results); i++)
        {
          JsonNode *node = json_array_get_element (results, i);
          JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

          if (member_string (object, "error") != NULL)
            g_message ("Could not delete a losing revision of “%s”: %s", member_string (object, "id"),
                       member_string (object, "error"));
        }
    }
  else
    g_message ("Could not delete the losing revisions of a conflict (HTTP %u)", status);
  continue_pull (run, page->n_results);
}

static void
page_done (Run               *run,
           Page              *page,
           LkSyncApplyReport *applied)
{
  run->report.pulled += applied->applied;
  run->report.merged += applied->merged;
  run->report.conflicts += applied->conflicts;
  run->report.skipped += applied->skipped + page->skipped;
  lk_set_str (&run->since, page->last_seq);
  run->pull_done += page->n_results;
  run->pull_pending = page->n_results < PAGE_SIZE ? 0 : page->pending;
  update_run_progress (run);
}

static void fetch_next_loser (Run *run);

static void
page_applied_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Run *run = user_data;
  PageJob *job = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!job_finish (result, &error))
    {
      run_finish (run, error);
      return;
    }
  if (!job->applied_now)
    {
      run->page = g_steal_pointer (&job->page);
      run->page->losers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 (GDestroyNotify) g_ptr_array_unref);
      run->loser_index = 0;
      fetch_next_loser (run);
      return;
    }
  page_done (run, job->page, &job->applied);
  if (job->page->conflicted->len > 0)
    {
      g_autoptr(JsonObject) body = json_object_new ();
      JsonArray *docs = json_array_new ();
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *url = g_strconcat (run->conn->url, "/_bulk_docs", NULL);

      for (guint i = 0; i + 1 < job->page->conflicted->len; i += 2)
        {
          JsonObject *gone = json_object_new ();

          json_object_set_string_member (gone, "_id", g_ptr_array_index (job->page->conflicted, i));
          json_object_set_string_member (gone, "_rev", g_ptr_array_index (job->page->conflicted, i + 1));
          json_object_set_boolean_member (gone, "_deleted", TRUE);
          json_array_add_object_element (docs, gone);
        }
      json_object_set_array_member (body, "docs", docs);
      bytes = object_bytes (body);
      run->page = g_steal_pointer (&job->page);
      call_async (run->conn, "POST", url, bytes, run->cancellable, losers_deleted_cb, run);
      return;
    }
  continue_pull (run, job->page->n_results);
}

static void
got_loser_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Run *run = user_data;
  GError *error = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonObject) doc = NULL;
  const char *id = g_ptr_array_index (run->page->conflicted, run->loser_index);
  guint status;

  reply = call_finish (result, &status, &error);
  if (reply == NULL)
    {
      run_finish (run, error);
      return;
    }
  if (is_success (status) && (doc = parse_object (reply)) != NULL)
    {
      GPtrArray *losers = g_hash_table_lookup (run->page->losers, id);

      if (losers == NULL)
        {
          losers = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
          g_hash_table_insert (run->page->losers, g_strdup (id), losers);
        }
      g_ptr_array_add (losers, g_steal_pointer (&doc));
    }
  else if (status != SOUP_STATUS_NOT_FOUND)
    {
      run_finish (run, status_error (run->conn, status, reply, _("send a conflicting revision")));
      return;
    }
  run->loser_index += 2;
  fetch_next_loser (run);
}

static void
fetch_next_loser (Run *run)
{
  Page *page = run->page;
  PageJob *job;

  if (run->loser_index + 1 < page->conflicted->len)
    {
      const char *id = g_ptr_array_index (page->conflicted, run->loser_index);
      const char *rev = g_ptr_array_index (page->conflicted, run->loser_index + 1);
      g_autofree char *base = doc_url (run->conn, id);
      g_autofree char *escaped = g_uri_escape_string (rev, NULL, FALSE);
      g_autofree char *url = g_strconcat (base, "?rev=", escaped, NULL);

      call_async (run->conn, "GET", url, NULL, run->cancellable, got_loser_cb, run);
      return;
    }
  job = g_new0 (PageJob, 1);
  job->page = g_steal_pointer (&run->page);
  run_job (run, job, (GDestroyNotify) page_job_free, page_job, page_applied_cb);
}

static void
got_changes_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;
  GError *error = NULL;
  g_autoptr(GBytes) reply = NULL;
  PageJob *job;
  guint status;

  reply = call_finish (result, &status, &error);
  if (reply == NULL)
    {
      run_finish (run, error);
      return;
    }
  if (!is_success (status))
    {
      run_finish (run, status_error (run->conn, status, reply, _("send the changes")));
      return;
    }
  job = g_new0 (PageJob, 1);
  job->reply = g_steal_pointer (&reply);
  run_job (run, job, (GDestroyNotify) page_job_free, page_job, page_applied_cb);
}

static void
pull_next (Run *run)
{
  g_autoptr(GString) url = g_string_new (run->conn->url);
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (run->cancellable, &error))
    {
      run_finish (run, error);
      return;
    }
  g_string_append_printf (url, "/_changes?style=main_only&include_docs=true&conflicts=true&limit=%d", PAGE_SIZE);
  if (run->since != NULL)
    {
      g_autofree char *since = since_param (run->since);

      g_string_append_printf (url, "&since=%s", since);
    }
  call_async (run->conn, "GET", url->str, NULL, run->cancellable, got_changes_cb, run);
}

/* --- Starting a run ------------------------------------------------------ */

static void
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

static void
id_set_free (gpointer set)
{
  if (set != NULL)
    g_hash_table_unref (set);
}

static Run *
run_new (LkSyncClient *self)
{
  Run *run = g_new0 (Run, 1);

  run->client = g_object_ref (self);
  run->tasks = g_ptr_array_new_with_free_func (g_object_unref);
  run->caller_cancellables = g_ptr_array_new_with_free_func (g_object_unref);
  run->caller_handlers = g_array_new (FALSE, FALSE, sizeof (gulong));
  run->cancellable = g_cancellable_new ();
  run->changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, id_set_free);
  run->tries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->pull_pending = -1;
  g_queue_init (&run->splits);
  return run;
}

static void
run_start (Run *run)
{
  LkSyncClient *self = run->client;
  GError *error = NULL;

  set_state (self, LK_SYNC_STATE_SYNCING);
  set_progress (self, 0);
  g_clear_handle_id (&self->live_retry_id, g_source_remove);

  run->conn = conn_new (self, self->session, &error);
  if (run->conn == NULL)
    {
      run_finish (run, error);
      return;
    }
  run->worker = lk_store_open_worker (self->store, &error);
  if (run->worker == NULL)
    {
      run_finish (run, error);
      return;
    }
  run->worker_changed_id = g_signal_connect (run->worker, "changed", G_CALLBACK (worker_changed_cb), run);
  call_async (run->conn, "GET", run->conn->url, NULL, run->cancellable, got_db_info_cb, run);
}

static void
request_run (LkSyncClient *self)
{
  if (self->url == NULL)
    return;
  if (self->run != NULL)
    {
      self->rerun = TRUE;
      return;
    }
  lk_sync_client_run_async (self, NULL, NULL, NULL);
}

/* --- Scheduling and live mode -------------------------------------------- */

static gboolean
timer_cb (gpointer data)
{
  request_run (LK_SYNC_CLIENT (data));
  return G_SOURCE_CONTINUE;
}

static gboolean
soon_cb (gpointer data)
{
  LkSyncClient *self = data;

  self->soon_id = 0;
  request_run (self);
  return G_SOURCE_REMOVE;
}

static gboolean
live_retry_cb (gpointer data)
{
  LkSyncClient *self = data;

  self->live_retry_id = 0;
  request_run (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_soon (LkSyncClient *self,
               guint         delay_ms)
{
  g_clear_handle_id (&self->soon_id, g_source_remove);
  self->soon_id = g_timeout_add (delay_ms, soon_cb, self);
}

static void
update_timer (LkSyncClient *self)
{
  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->automatic && self->interval > 0)
    self->timer_id = g_timeout_add_seconds (self->interval * 60, timer_cb, self);
}

/* A failed request, not the monitor, says whether we are offline; the
 * monitor only says when trying again is worth it. */
static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    LkSyncClient    *self)
{
  if (available && (self->automatic || self->live))
    schedule_soon (self, NETWORK_DELAY_MS);
}

static void
watch_network (LkSyncClient *self)
{
  if (self->network_changed_id == 0 && (self->automatic || self->live))
    self->network_changed_id = g_signal_connect (g_network_monitor_get_default (), "network-changed",
                                                 G_CALLBACK (network_changed_cb), self);
}

static void
store_changed_cb (LkStore            *store,
                  const char         *doc_type,
                  const char * const *ids,
                  LkSyncClient       *self)
{
  /* What the run itself wrote is no reason for another run. */
  if (self->emitting)
    return;
  update_pending (self);
  if ((self->automatic || self->live) && g_strcmp0 (doc_type, "conflict") != 0)
    schedule_soon (self, EDIT_DELAY_MS);
}

typedef struct
{
  GWeakRef  client;
  Conn     *conn;
} LivePoll;

static void
live_poll_free (LivePoll *poll)
{
  g_weak_ref_clear (&poll->client);
  conn_free (poll->conn);
  g_free (poll);
}

static gboolean
live_deadline_cb (gpointer data)
{
  LkSyncClient *self = data;

  self->live_deadline_id = 0;
  self->live_deadline_hit = TRUE;
  g_cancellable_cancel (self->live_cancellable);
  return G_SOURCE_REMOVE;
}

static void
live_polled_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  LivePoll *poll = user_data;
  g_autoptr(LkSyncClient) self = g_weak_ref_get (&poll->client);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonObject) answer = NULL;
  JsonNode *results;
  guint status;

  reply = call_finish (result, &status, &error);
  live_poll_free (poll);
  if (self == NULL)
    return;
  g_clear_handle_id (&self->live_deadline_id, g_source_remove);
  if (!self->live)
    return;
  if (reply == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Our own deadline: ask again. Otherwise live mode was stopped. */
          if (self->live_deadline_hit)
            live_poll (self);
          return;
        }
      g_debug ("The live changes feed failed: %s", error->message);
      g_clear_handle_id (&self->live_retry_id, g_source_remove);
      self->live_retry_id = g_timeout_add_seconds (LIVE_RETRY_S, live_retry_cb, self);
      return;
    }
  answer = parse_object (reply);
  results = answer != NULL ? json_object_get_member (answer, "results") : NULL;
  if (is_success (status) && results != NULL && JSON_NODE_HOLDS_ARRAY (results) &&
      json_array_get_length (json_node_get_array (results)) == 0)
    live_poll (self);
  else
    request_run (self);
}

/* Waits for the next change on the server (feed=longpoll) with a deadline
 * of our own: pouchdb-server ignores "timeout", and a connection silently
 * dropped on the way would otherwise hang for ever. */
static void
live_poll (LkSyncClient *self)
{
  g_autoptr(LkSyncRemote) remote = NULL;
  g_autoptr(GString) url = NULL;
  LivePoll *poll;
  Conn *conn;

  if (!self->live || self->run != NULL || self->url == NULL)
    return;
  conn = conn_new (self, self->live_session, NULL);
  if (conn == NULL)
    return;
  remote = lk_store_get_sync_remote (self->store, self->url, NULL);
  url = g_string_new (conn->url);
  g_string_append_printf (url, "/_changes?feed=longpoll&limit=1&timeout=%d", (LIVE_DEADLINE_S - 5) * 1000);
  if (remote != NULL && remote->pull_since != NULL)
    {
      g_autofree char *since = since_param (remote->pull_since);

      g_string_append_printf (url, "&since=%s", since);
    }
  else
    g_string_append (url, "&since=now");

  g_clear_object (&self->live_cancellable);
  self->live_cancellable = g_cancellable_new ();
  self->live_deadline_hit = FALSE;
  g_clear_handle_id (&self->live_deadline_id, g_source_remove);
  self->live_deadline_id = g_timeout_add_seconds (LIVE_DEADLINE_S, live_deadline_cb, self);
  poll = g_new0 (LivePoll, 1);
  g_weak_ref_init (&poll->client, self);
  poll->conn = conn;
  call_async (poll->conn, "GET", url->str, NULL, self->live_cancellable, live_polled_cb, poll);
}

/* --- GObject ------------------------------------------------------------- */

static void
lk_sync_client_constructed (GObject *object)
{
  LkSyncClient *self = LK_SYNC_CLIENT (object);

  G_OBJECT_CLASS (lk_sync_client_parent_class)->constructed (object);

  g_assert (LK_IS_STORE (self->store));
  self->store_changed_id = g_signal_connect (self->store, "changed", G_CALLBACK (store_changed_cb), self);
  self->pending = MAX (lk_store_count_outbox (self->store, NULL), 0);
  load_remote (self);
}

static void
lk_sync_client_dispose (GObject *object)
{
  LkSyncClient *self = LK_SYNC_CLIENT (object);

  self->live = FALSE;
  if (self->live_cancellable != NULL)
    g_cancellable_cancel (self->live_cancellable);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->soon_id, g_source_remove);
  g_clear_handle_id (&self->live_deadline_id, g_source_remove);
  g_clear_handle_id (&self->live_retry_id, g_source_remove);
  if (self->network_changed_id != 0)
    g_clear_signal_handler (&self->network_changed_id, g_network_monitor_get_default ());
  if (self->store != NULL)
    g_clear_signal_handler (&self->store_changed_id, self->store);
  g_clear_object (&self->live_cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->live_session);

  G_OBJECT_CLASS (lk_sync_client_parent_class)->dispose (object);
}

static void
lk_sync_client_finalize (GObject *object)
{
  LkSyncClient *self = LK_SYNC_CLIENT (object);

  g_clear_object (&self->store);
  g_free (self->url);
  g_free (self->user);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  g_free (self->last_error);

  G_OBJECT_CLASS (lk_sync_client_parent_class)->finalize (object);
}

static void
lk_sync_client_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LkSyncClient *self = LK_SYNC_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_PASSWORD:
      g_value_set_string (value, NULL);  /* never read back */
      break;
    case PROP_ALLOW_INSECURE:
      g_value_set_boolean (value, self->allow_insecure);
      break;
    case PROP_AUTOMATIC:
      g_value_set_boolean (value, self->automatic);
      break;
    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_LAST_SYNC_AT:
      g_value_set_int64 (value, self->last_sync_at);
      break;
    case PROP_PENDING:
      g_value_set_int64 (value, self->pending);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_sync_client_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  LkSyncClient *self = LK_SYNC_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_URL:
      lk_sync_client_set_url (self, g_value_get_string (value));
      break;
    case PROP_USER:
      lk_sync_client_set_user (self, g_value_get_string (value));
      break;
    case PROP_PASSWORD:
      lk_sync_client_set_password (self, g_value_get_string (value));
      break;
    case PROP_ALLOW_INSECURE:
      lk_sync_client_set_allow_insecure (self, g_value_get_boolean (value));
      break;
    case PROP_AUTOMATIC:
      lk_sync_client_set_automatic (self, g_value_get_boolean (value));
      break;
    case PROP_INTERVAL:
      lk_sync_client_set_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_sync_client_class_init (LkSyncClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = lk_sync_client_constructed;
  object_class->dispose = lk_sync_client_dispose;
  object_class->finalize = lk_sync_client_finalize;
  object_class->get_property = lk_sync_client_get_property;
  object_class->set_property = lk_sync_client_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, LK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, rw);
  properties[PROP_USER] = g_param_spec_string ("user", NULL, NULL, NULL, rw);
  properties[PROP_PASSWORD] = g_param_spec_string ("password", NULL, NULL, NULL, rw);
  properties[PROP_ALLOW_INSECURE] = g_param_spec_boolean ("allow-insecure", NULL, NULL, FALSE, rw);
  properties[PROP_AUTOMATIC] = g_param_spec_boolean ("automatic", NULL, NULL, FALSE, rw);
  properties[PROP_INTERVAL] = g_param_spec_uint ("interval", NULL, NULL, 0, 24 * 60, 15, rw);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, LK_TYPE_SYNC_STATE,
                                              LK_SYNC_STATE_UNCONFIGURED, ro);
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, 0, 1, 0, ro);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, ro);
  properties[PROP_LAST_SYNC_AT] = g_param_spec_int64 ("last-sync-at", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_PENDING] = g_param_spec_int64 ("pending", NULL, NULL, 0, G_MAXINT64, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LkSyncClient::finished:
   * @report: (type gpointer): the LkSyncReport of the run
   * @error: (nullable): why it failed, or %NULL
   *
   * Emitted after every run, whoever started it.
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static SoupSession *
new_session (guint timeout_s)
{
  SoupSession *session = soup_session_new_with_options ("timeout", timeout_s,
                                                        "user-agent", "Leadkeeper/" PACKAGE_VERSION " ",
                                                        NULL);
  g_autoptr(SoupCookieJar) jar = soup_cookie_jar_new ();

  /* The AuthSession cookie of a re-login, kept in memory only. */
  soup_session_add_feature (session, SOUP_SESSION_FEATURE (jar));
  return session;
}

static void
lk_sync_client_init (LkSyncClient *self)
{
  self->interval = 15;
  self->state = LK_SYNC_STATE_UNCONFIGURED;
  self->session = new_session (120);
  self->live_session = new_session (LIVE_DEADLINE_S + 30);
}

/* --- Public API ---------------------------------------------------------- */

LkSyncClient *
lk_sync_client_new (LkStore *store)
{
  g_return_val_if_fail (LK_IS_STORE (store), NULL);

  return g_object_new (LK_TYPE_SYNC_CLIENT, "store", store, NULL);
}

LkStore *
lk_sync_client_get_store (LkSyncClient *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), NULL);
  return self->store;
}

const char *
lk_sync_client_get_url (LkSyncClient *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), NULL);
  return self->url;
}

/**
 * lk_sync_client_set_url:
 * @url: (nullable): the database's URL, without credentials; %NULL or ""
 *   for none
 */
void
lk_sync_client_set_url (LkSyncClient *self,
                        const char   *url)
{
  g_autofree char *normal = NULL;

  g_return_if_fail (LK_IS_SYNC_CLIENT (self));

  if (url != NULL && url[0] != '\0')
    {
      normal = g_strstrip (g_strdup (url));
      while (normal[0] != '\0' && normal[strlen (normal) - 1] == '/')
        normal[strlen (normal) - 1] = '\0';
      if (normal[0] == '\0')
        g_clear_pointer (&normal, g_free);
    }
  if (!lk_set_str (&self->url, normal))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
  load_remote (self);
}

const char *
lk_sync_client_get_user (LkSyncClient *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), NULL);
  return self->user;
}

void
lk_sync_client_set_user (LkSyncClient *self,
                         const char   *user)
{
  g_return_if_fail (LK_IS_SYNC_CLIENT (self));

  if (user != NULL && user[0] == '\0')
    user = NULL;
  if (lk_set_str (&self->user, user))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
}

void
lk_sync_client_set_password (LkSyncClient *self,
                             const char   *password)
{
  g_return_if_fail (LK_IS_SYNC_CLIENT (self));

  if (g_strcmp0 (self->password, password) == 0)
    return;
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  self->password = g_strdup (password);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PASSWORD]);
}

gboolean
lk_sync_client_get_allow_insecure (LkSyncClient *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), FALSE);
  return self->allow_insecure;
}

void
lk_sync_client_set_allow_insecure (LkSyncClient *self,
                                   gboolean      allow)
{
  g_return_if_fail (LK_IS_SYNC_CLIENT (self));

  allow = !!allow;
  if (self->allow_insecure == (guint) allow)
    return;
  self->allow_insecure = allow;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOW_INSECURE]);
}

gboolean
lk_sync_client_get_automatic (LkSyncClient *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), FALSE);
  return self->automatic;
}

/* Runs on a timer (the interval), when the network comes back, and 2 s
 * after the last local edit. */
void
lk_sync_client_set_automatic (LkSyncClient *self,
                              gboolean      automatic)
{
  g_return_if_fail (LK_IS_SYNC_CLIENT (self));

  automatic = !!automatic;
  if (self->automatic == (guint) automatic)
    return;
  self->automatic = automatic;
  update_timer (self);
  watch_network (self);
  if (!automatic && !self->live)
    g_clear_handle_id (&self->soon_id, g_source_remove);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTOMATIC]);
}

guint
lk_sync_client_get_interval (LkSyncClient *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), 0);
  return self->interval;
}

/* @minutes: between timer runs; 0 for none */
void
lk_sync_client_set_interval (LkSyncClient *self,
                             guint         minutes)
{
  g_return_if_fail (LK_IS_SYNC_CLIENT (self));

  if (self->interval == minutes)
    return;
  self->interval = minutes;
  update_timer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
}

LkSyncState
lk_sync_client_get_state (LkSyncClient *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), LK_SYNC_STATE_UNCONFIGURED);
  return self->state;
}

double
lk_sync_client_get_progress (LkSyncClient *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), 0);
  return self->progress;
}

const char *
lk_sync_client_get_last_error (LkSyncClient *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), NULL);
  return self->last_error;
}

gint64
lk_sync_client_get_last_sync_at (LkSyncClient *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), 0);
  return self->last_sync_at;
}

gint64
lk_sync_client_get_pending (LkSyncClient *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), 0);
  return self->pending;
}

/**
 * lk_sync_client_run_async:
 * @cancellable: (nullable): cancels the run (for every caller waiting on it)
 *
 * One sync run (SYNC.md "One sync run"). A run already going is joined:
 * the callback is called when it ends.
 */
void
lk_sync_client_run_async (LkSyncClient        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;
  gboolean start;

  g_return_if_fail (LK_IS_SYNC_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_sync_client_run_async);
  start = self->run == NULL;
  if (start)
    self->run = run_new (self);
  g_ptr_array_add (self->run->tasks, task);
  if (cancellable != NULL)
    {
      gulong handler = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                              self->run->cancellable, NULL);

      if (handler != 0)
        {
          g_ptr_array_add (self->run->caller_cancellables, g_object_ref (cancellable));
          g_array_append_val (self->run->caller_handlers, handler);
        }
    }
  if (start)
    run_start (self->run);
}

/**
 * lk_sync_client_run_finish:
 * @report: (out caller-allocates) (optional): what the run did, also when
 *   it failed part of the way
 */
gboolean
lk_sync_client_run_finish (LkSyncClient  *self,
                           GAsyncResult  *result,
                           LkSyncReport  *report,
                           GError       **error)
{
  LkSyncReport *done;

  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  done = g_task_get_task_data (G_TASK (result));
  if (report != NULL)
    {
      if (done != NULL)
        *report = *done;
      else
        memset (report, 0, sizeof *report);
    }
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Live mode: a run now, then a longpoll of the changes feed that starts a
 * run when the server has something new; local edits are sent 2 s after
 * they are made. Until lk_sync_client_stop_live(). */
void
lk_sync_client_start_live (LkSyncClient *self)
{
  g_return_if_fail (LK_IS_SYNC_CLIENT (self));

  if (self->live)
    return;
  self->live = TRUE;
  watch_network (self);
  request_run (self);
}

void
lk_sync_client_stop_live (LkSyncClient *self)
{
  g_return_if_fail (LK_IS_SYNC_CLIENT (self));

  self->live = FALSE;
  if (self->live_cancellable != NULL)
    g_cancellable_cancel (self->live_cancellable);
  g_clear_handle_id (&self->live_deadline_id, g_source_remove);
  g_clear_handle_id (&self->live_retry_id, g_source_remove);
  if (!self->automatic)
    g_clear_handle_id (&self->soon_id, g_source_remove);
}

/* --- Test connection ----------------------------------------------------- */

typedef struct
{
  Conn *conn;
  char *product;
} Probe;

static void
probe_free (Probe *probe)
{
  conn_free (probe->conn);
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

  reply = call_finish (result, &status, &error);
  if (reply == NULL)
    g_task_return_error (task, error);
  else if (status == SOUP_STATUS_NOT_FOUND)
    g_task_return_new_error (task, LK_SYNC_ERROR, LK_SYNC_ERROR_NO_DATABASE,
                             _("The database %s has not been prepared for Leadkeeper. A manager can prepare it with “Prepare server database”."),
                             probe->conn->url);
  else if (!is_success (status))
    g_task_return_error (task, status_error (probe->conn, status, reply, _("read the database’s epoch marker")));
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
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonObject) info = NULL;
  g_autofree char *url = NULL;
  GCancellable *cancellable;
  guint status;

  reply = call_finish (result, &status, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!is_success (status))
    {
      g_task_return_error (task, status_error (probe->conn, status, reply, _("open the database")));
      return;
    }
  info = parse_object (reply);
  if (info == NULL || !json_object_has_member (info, "db_name"))
    {
      g_task_return_error (task, malformed_error (probe->conn, _("database information")));
      return;
    }
  url = g_strconcat (probe->conn->url, "/" EPOCH_DOC, NULL);
  cancellable = g_task_get_cancellable (task);
  call_async (probe->conn, "GET", url, NULL, cancellable, probe_epoch_cb, g_steal_pointer (&task));
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
  guint status;

  reply = call_finish (result, &status, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  welcome = parse_object (reply);
  if (!is_success (status) || welcome == NULL)
    {
      g_task_return_error (task, welcome == NULL && is_success (status)
                                 ? malformed_error (probe->conn, _("the server’s welcome"))
                                 : status_error (probe->conn, status, reply, _("say who it is")));
      return;
    }
  if (json_object_has_member (welcome, "couchdb"))
    product = "CouchDB";
  else if (json_object_has_member (welcome, "express-pouchdb"))
    product = "PouchDB Server";
  else
    product = _("A CouchDB-compatible server");
  version = member_string (welcome, "version");
  probe->product = version != NULL ? g_strdup_printf ("%s %s", product, version) : g_strdup (product);
  cancellable = g_task_get_cancellable (task);
  call_async (probe->conn, "GET", probe->conn->url, NULL, cancellable, probe_db_cb, g_steal_pointer (&task));
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
  probe->conn = conn_new (self, self->session, &error);
  if (probe->conn == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  call_async (probe->conn, "GET", probe->conn->root, NULL, cancellable, probe_root_cb,
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
