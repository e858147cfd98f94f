/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sync"

#include <libsoup/soup.h>
#include <string.h>

#include "lk-server-setup.h"
#include "lk-store-sync.h"
#include "lk-sync-client.h"
#include "lk-sync-client-private.h"
#include "lk-test-server.h"
#include "lk-test-util.h"

/* Two or more desktops, each with its own database and LkSyncClient,
 * against the real pouchdb-server, one fresh server database per test:
 * every scenario at the end of SYNC.md. Where a test must make the
 * network misbehave (a lost answer, a 413, CouchDB's opaque seqs), the
 * client talks to a small SoupServer in this program that forwards to
 * pouchdb-server and changes just that (Proxy below). */

static LkTestServer *server;

/* --- One desktop ----------------------------------------------------------- */

typedef struct
{
  LkTestDb     *db;
  LkSyncClient *client;
} Desk;

static void
desk_free (Desk *desk)
{
  g_clear_object (&desk->client);
  lk_test_db_free (desk->db);
  g_free (desk);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Desk, desk_free)

static const char *
password_of (const char *user)
{
  if (g_strcmp0 (user, lk_test_server_get_manager_user (server)) == 0)
    return lk_test_server_get_manager_password (server);
  if (g_strcmp0 (user, lk_test_server_get_rep_user (server)) == 0)
    return lk_test_server_get_rep_password (server);
  if (g_strcmp0 (user, lk_test_server_get_admin_user (server)) == 0)
    return lk_test_server_get_admin_password (server);
  g_assert_not_reached ();
}

static Desk *
desk_new (const char *url,
          const char *user)
{
  Desk *desk = g_new0 (Desk, 1);
  g_autofree char *user_id = g_strconcat ("user:", user, NULL);

  desk->db = lk_test_db_new ();
  lk_store_set_user_id (desk->db->store, user_id);
  desk->client = lk_sync_client_new (desk->db->store);
  lk_sync_client_set_url (desk->client, url);
  lk_sync_client_set_user (desk->client, user);
  lk_sync_client_set_password (desk->client, password_of (user));
  return desk;
}

static Desk *
manager_desk (const char *url)
{
  return desk_new (url, lk_test_server_get_manager_user (server));
}

static Desk *
rep_desk (const char *url)
{
  return desk_new (url, lk_test_server_get_rep_user (server));
}

static gboolean
desk_try_sync (Desk          *desk,
               GCancellable  *cancellable,
               LkSyncReport  *report,
               GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gboolean ok;

  lk_sync_client_run_async (desk->client, cancellable, lk_test_async_result_cb, &result);
  lk_test_wait_async (&result);
  ok = lk_sync_client_run_finish (desk->client, result, report, error);
  g_test_message ("sync: pushed %u, pulled %u, merged %u, conflicts %u, rejected %u, skipped %u%s%s",
                  report->pushed, report->pulled, report->merged, report->conflicts, report->rejected,
                  report->skipped, ok ? "" : ": ", ok ? "" : (*error)->message);
  return ok;
}

static LkSyncReport
desk_sync (Desk *desk)
{
  g_autoptr(GError) error = NULL;
  LkSyncReport report = { 0 };

  desk_try_sync (desk, NULL, &report, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_sync_client_get_state (desk->client), ==, LK_SYNC_STATE_IDLE);
  g_assert_null (lk_sync_client_get_last_error (desk->client));
  return report;
}

static LkLead *
desk_lead (Desk       *desk,
           const char *id)
{
  g_autoptr(GError) error = NULL;
  LkLead *lead = lk_store_get_lead (desk->db->store, id, &error);

  g_assert_no_error (error);
  return lead;
}

static void
desk_edit (Desk       *desk,
           const char *id,
           guint       field,
           const char *value)
{
  g_autoptr(LkLead) lead = desk_lead (desk, id);
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_record_set_from_text (LK_RECORD (lead), field, value, &error));
  g_assert_true (lk_store_update_lead (desk->db->store, lead, NULL, &error));
  g_assert_no_error (error);
}

static const char *
field_of (Desk       *desk,
          const char *id,
          guint       field)
{
  g_autoptr(LkLead) lead = desk_lead (desk, id);
  static char value[1024];

  g_strlcpy (value, lk_record_get_string (LK_RECORD (lead), field), sizeof value);
  return value;
}

static gboolean
is_deleted (Desk       *desk,
            const char *id)
{
  g_autoptr(LkLead) lead = desk_lead (desk, id);

  return lk_record_get_deleted (LK_RECORD (lead));
}

static gint64
desk_int (Desk       *desk,
          const char *sql,
          const char *id)
{
  return lk_test_sql_int (lk_test_db_peek (desk->db), sql, id, NULL);
}

static char *
create_lead (Desk       *desk,
             const char *company)
{
  g_autoptr(LkLead) lead = lk_test_create_lead (desk->db->store, "company", company, NULL);

  return g_strdup (lk_record_get_id (LK_RECORD (lead)));
}

/* --- The server, as another program sees it -------------------------------- */

static JsonNode *
admin_request (const char *method,
               const char *url,
               const char *body,
               guint      *status)
{
  return lk_test_server_request (server, method, url, lk_test_server_get_admin_user (server),
                                 lk_test_server_get_admin_password (server), body, status);
}

static JsonObject *
server_doc (const char *db_url,
            const char *id,
            const char *query)
{
  g_autofree char *escaped = g_uri_escape_string (id, NULL, TRUE);
  g_autofree char *url = g_strconcat (db_url, "/", escaped, query ? query : "", NULL);
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  reply = admin_request ("GET", url, NULL, &status);
  if (status == 404)
    return NULL;
  g_assert_cmpuint (status, ==, 200);
  return json_object_ref (json_node_get_object (reply));
}

/* The documents of the database (not the design document), by id */
static GHashTable *
server_ids (const char *db_url)
{
  g_autofree char *url = g_strconcat (db_url, "/_all_docs", NULL);
  g_autoptr(JsonNode) reply = NULL;
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonArray *rows;
  guint status = 0;

  reply = admin_request ("GET", url, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  rows = json_object_get_array_member (json_node_get_object (reply), "rows");
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      const char *id = json_object_get_string_member (row, "id");

      if (!g_str_has_prefix (id, "_design/"))
        g_hash_table_insert (ids, g_strdup (id),
                             g_strdup (json_object_get_string_member (json_object_get_object_member (row, "value"), "rev")));
    }
  return ids;
}

static void
post_docs (const char *db_url,
           const char *docs_json,
           gboolean    new_edits)
{
  g_autofree char *url = g_strconcat (db_url, "/_bulk_docs", NULL);
  g_autofree char *body = g_strdup_printf ("{\"docs\":%s%s}", docs_json, new_edits ? "" : ",\"new_edits\":false");
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  reply = admin_request ("POST", url, body, &status);
  g_assert_cmpuint (status, ==, 201);
  if (new_edits)
    {
      JsonArray *results = json_node_get_array (reply);

      for (guint i = 0; i < json_array_get_length (results); i++)
        g_assert_false (json_object_has_member (json_array_get_object_element (results, i), "error"));
    }
}

/* Removes the design document that guards the database, as on a server
 * that never had it (pouchdb-server also refuses, silently, to store a
 * replicated revision while it is there). */
static void
remove_guard (const char *db_url)
{
  g_autoptr(JsonObject) design = server_doc (db_url, "_design/leadkeeper", NULL);
  g_autofree char *url = g_strdup_printf ("%s/_design/leadkeeper?rev=%s", db_url,
                                          json_object_get_string_member (design, "_rev"));
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  reply = admin_request ("DELETE", url, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
}

/* "Prepare server database" again, as the admin. */
static void
prepare_again (const char *db_url)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  lk_server_setup_prepare_async (db_url, lk_test_server_get_admin_user (server),
                                 lk_test_server_get_admin_password (server), FALSE, NULL,
                                 lk_test_async_result_cb, &result);
  lk_test_wait_async (&result);
  g_assert_true (lk_server_setup_prepare_finish (result, &error));
  g_assert_no_error (error);
}

/* --- A proxy that misbehaves on purpose ------------------------------------ */

typedef struct _Proxy Proxy;
typedef void (*ProxyHook) (Proxy *proxy, GBytes *body, gpointer data);

struct _Proxy
{
  SoupServer  *soup;
  SoupSession *session;
  char        *target;      /* pouchdb-server */
  char        *url;         /* this proxy, same path layout */
  guint        requests;
  guint        bulk_posts;  /* POST …/_bulk_docs forwarded */
  guint        drop_bulk;   /* answers of that many _bulk_docs to lose */
  gsize        max_body;    /* 413 above this many bytes; 0 for no limit */
  guint        too_large;   /* 413s sent */
  gboolean     string_seqs; /* CouchDB-style opaque seqs */
  gboolean     seq_first;   /* _changes with "last_seq" before "results" */
  gboolean     garbage;     /* answer _changes with something that is not JSON */
  GPtrArray   *sinces;      /* the since= values the client sent */
  GPtrArray   *bulk_ids;    /* GPtrArray of doc ids per _bulk_docs forwarded */
  ProxyHook    on_bulk;
  gpointer     on_bulk_data;
};

typedef struct
{
  Proxy             *proxy;
  SoupServerMessage *msg;
  gboolean           drop;
  gboolean           changes;
} Forward;

#define SEQ_SUFFIX "-g1AAAAAXxopaque"

static void
copy_header (const char *name,
             const char *value,
             gpointer    data)
{
  if (g_ascii_strcasecmp (name, "Host") != 0 && g_ascii_strcasecmp (name, "Content-Length") != 0 &&
      g_ascii_strcasecmp (name, "Connection") != 0 && g_ascii_strcasecmp (name, "Content-Encoding") != 0 &&
      g_ascii_strcasecmp (name, "Transfer-Encoding") != 0 && g_ascii_strcasecmp (name, "Accept-Encoding") != 0)
    soup_message_headers_append (data, name, value);
}

/* 12 → "12-g1AAAAAXxopaque", as CouchDB 3 writes seqs */
static void
opaque_seq (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT SEQ_SUFFIX, json_node_get_int (node));

      json_object_set_string_member (object, name, text);
    }
}

static GBytes *
rewrite_changes (Proxy  *proxy,
                 GBytes *reply)
{
  g_autoptr(JsonNode) root = json_from_string (g_bytes_get_data (reply, NULL), NULL);
  JsonObject *object;
  JsonArray *results;
  char *text;

  g_assert_nonnull (root);
  object = json_node_get_object (root);
  results = json_object_get_array_member (object, "results");
  if (proxy->string_seqs)
    {
      opaque_seq (object, "last_seq");
      for (guint i = 0; i < json_array_get_length (results); i++)
        opaque_seq (json_array_get_object_element (results, i), "seq");
    }
  if (proxy->seq_first)
    {
      /* Members are written in the order they were set. */
      g_autoptr(JsonObject) first = json_object_new ();
      g_autoptr(GList) names = json_object_get_members (object);

      json_object_set_member (first, "last_seq", json_object_dup_member (object, "last_seq"));
      for (GList *l = names; l != NULL; l = l->next)
        if (!g_str_equal (l->data, "last_seq"))
          json_object_set_member (first, l->data, json_object_dup_member (object, l->data));
      json_node_take_object (root, g_steal_pointer (&first));
    }
  text = json_to_string (root, FALSE);
  return g_bytes_new_take (text, strlen (text));
}

static void
forwarded_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Forward *forward = user_data;
  SoupMessage *out = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) reply = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  SoupServerMessage *msg = forward->msg;

  g_assert_no_error (error);
  if (forward->drop)
    {
      /* The server did the work; its answer never reaches the client. */
      GIOStream *stream;

      soup_server_message_unpause (msg);
      stream = soup_server_message_steal_connection (msg);
      g_io_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
      g_object_unref (msg);
      g_free (forward);
      return;
    }
  if (forward->changes && (forward->proxy->string_seqs || forward->proxy->seq_first) &&
      soup_message_get_status (out) == 200)
    {
      GBytes *rewritten = rewrite_changes (forward->proxy, reply);

      g_bytes_unref (reply);
      reply = rewritten;
    }
  soup_message_headers_foreach (soup_message_get_response_headers (out), copy_header,
                                soup_server_message_get_response_headers (msg));
  soup_server_message_set_status (msg, soup_message_get_status (out), NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
  soup_server_message_unpause (msg);
  g_object_unref (msg);
  g_free (forward);
}

static GPtrArray *
bulk_doc_ids (GBytes *body)
{
  g_autoptr(JsonNode) root = json_from_string (g_bytes_get_data (body, NULL), NULL);
  JsonArray *docs = json_object_get_array_member (json_node_get_object (root), "docs");
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < json_array_get_length (docs); i++)
    g_ptr_array_add (ids, g_strdup (json_object_get_string_member (json_array_get_object_element (docs, i), "_id")));
  return ids;
}

static void
proxy_cb (SoupServer        *soup,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  Proxy *proxy = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *raw_query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(GString) url = g_string_new (proxy->target);
  g_autoptr(SoupMessage) out = NULL;
  gboolean bulk = g_str_equal (method, "POST") && g_str_has_suffix (path, "/_bulk_docs");
  Forward *forward;

  proxy->requests++;
  g_string_append (url, path);
  if (raw_query != NULL)
    {
      g_auto(GStrv) params = g_strsplit (raw_query, "&", -1);

      g_string_append_c (url, '?');
      for (guint i = 0; params[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append_c (url, '&');
          if (g_str_has_prefix (params[i], "since=") && g_str_has_suffix (path, "/_changes"))
            {
              g_ptr_array_add (proxy->sinces, g_strdup (params[i] + strlen ("since=")));
              if (proxy->string_seqs && strstr (params[i], SEQ_SUFFIX) != NULL)
                {
                  g_string_append_len (url, params[i], strstr (params[i], SEQ_SUFFIX) - params[i]);
                  continue;
                }
            }
          g_string_append (url, params[i]);
        }
    }

  if (proxy->garbage && g_str_has_suffix (path, "/_changes"))
    {
      static const char page[] = "<html><body>Welcome to the hotel network</body></html>";

      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, page, strlen (page));
      return;
    }
  if (bulk && proxy->max_body > 0 && g_bytes_get_size (body) > proxy->max_body)
    {
      static const char too_large[] = "{\"error\":\"too_large\",\"reason\":\"the request entity is too large\"}";

      proxy->too_large++;
      soup_server_message_set_status (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, too_large, strlen (too_large));
      return;
    }
  if (bulk)
    {
      proxy->bulk_posts++;
      g_ptr_array_add (proxy->bulk_ids, bulk_doc_ids (body));
      if (proxy->on_bulk != NULL)
        proxy->on_bulk (proxy, body, proxy->on_bulk_data);
    }

  out = soup_message_new (method, url->str);
  g_assert_nonnull (out);
  soup_message_headers_foreach (soup_server_message_get_request_headers (msg), copy_header,
                                soup_message_get_request_headers (out));
  if (g_bytes_get_size (body) > 0)
    soup_message_set_request_body_from_bytes (out, "application/json", body);

  forward = g_new0 (Forward, 1);
  forward->proxy = proxy;
  forward->msg = g_object_ref (msg);
  forward->changes = g_str_has_suffix (path, "/_changes");
  if (bulk && proxy->drop_bulk > 0)
    {
      proxy->drop_bulk--;
      forward->drop = TRUE;
    }
  soup_server_message_pause (msg);
  soup_session_send_and_read_async (proxy->session, out, G_PRIORITY_DEFAULT, NULL, forwarded_cb, forward);
}

/* A proxy for the database @db_url; returns the database's URL through it. */
static Proxy *
proxy_new (const char  *db_url,
           char       **proxied_db_url)
{
  Proxy *proxy = g_new0 (Proxy, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  proxy->target = g_strdup (lk_test_server_get_url (server));
  proxy->session = soup_session_new ();
  proxy->soup = soup_server_new (NULL, NULL);
  proxy->sinces = g_ptr_array_new_with_free_func (g_free);
  proxy->bulk_ids = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  soup_server_add_handler (proxy->soup, NULL, proxy_cb, proxy, NULL);
  g_assert_true (soup_server_listen_local (proxy->soup, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (proxy->soup);
  proxy->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_assert_true (g_str_has_prefix (db_url, proxy->target));
  *proxied_db_url = g_strconcat (proxy->url, db_url + strlen (proxy->target), NULL);
  return proxy;
}

static void
proxy_free (Proxy *proxy)
{
  soup_server_disconnect (proxy->soup);
  g_clear_object (&proxy->soup);
  g_clear_object (&proxy->session);
  g_ptr_array_unref (proxy->sinces);
  g_ptr_array_unref (proxy->bulk_ids);
  g_free (proxy->target);
  g_free (proxy->url);
  g_free (proxy);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Proxy, proxy_free)

/* --- The scenarios ------------------------------------------------------- */

/* Different fields edited offline on two desktops: both edits survive. */
static void
test_different_fields (void)
{
  g_autofree char *url = lk_test_server_new_database (server, "fields");
  g_autoptr(Desk) a = manager_desk (url);
  g_autoptr(Desk) b = rep_desk (url);
  g_autofree char *id = create_lead (a, "Acme");
  g_autoptr(JsonObject) doc = NULL;
  LkSyncReport report;

  desk_sync (a);
  report = desk_sync (b);
  g_assert_cmpuint (report.pulled, ==, 2);  /* the lead and its creation */

  desk_edit (a, id, LK_LEAD_PHONE, "+8613800138000");
  desk_edit (b, id, LK_LEAD_COMPANY, "Acme Group");
  desk_sync (a);
  report = desk_sync (b);
  g_assert_cmpuint (report.conflicts, ==, 0);
  g_assert_cmpuint (report.merged, >=, 1);
  desk_sync (a);

  for (guint i = 0; i < 2; i++)
    {
      Desk *desk = i == 0 ? a : b;

      g_assert_cmpstr (field_of (desk, id, LK_LEAD_PHONE), ==, "+8613800138000");
      g_assert_cmpstr (field_of (desk, id, LK_LEAD_COMPANY), ==, "Acme Group");
      g_assert_cmpint (lk_store_count_outbox (desk->db->store, NULL), ==, 0);
      g_assert_cmpint (lk_store_count_conflicts (desk->db->store, NULL), ==, 0);
    }
  doc = server_doc (url, id, NULL);
  g_assert_cmpstr (json_object_get_string_member (doc, "company"), ==, "Acme Group");
  g_assert_cmpstr (json_object_get_string_member (doc, "phone"), ==, "+8613800138000");
}

/* The same field edited on both: one conflict; "Use mine" converges. */
static void
test_same_field_use_mine (void)
{
  g_autofree char *url = lk_test_server_new_database (server, "same-field");
  g_autoptr(Desk) a = manager_desk (url);
  g_autoptr(Desk) b = rep_desk (url);
  g_autofree char *id = create_lead (a, "Acme");
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  LkSyncConflict *conflict;
  LkSyncReport report;

  desk_sync (a);
  desk_sync (b);
  desk_edit (a, id, LK_LEAD_NEEDS, "Twenty seats");
  desk_edit (b, id, LK_LEAD_NEEDS, "Two hundred seats");
  desk_sync (a);
  report = desk_sync (b);
  g_assert_cmpuint (report.conflicts, ==, 1);

  /* The first to reach the server wins until B decides. */
  g_assert_cmpstr (field_of (b, id, LK_LEAD_NEEDS), ==, "Twenty seats");
  conflicts = lk_store_list_conflicts (b->db->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = g_ptr_array_index (conflicts, 0);
  g_assert_cmpstr (conflict->field, ==, "needs");
  g_assert_cmpstr (conflict->mine, ==, "\"Two hundred seats\"");
  g_assert_cmpstr (conflict->theirs, ==, "\"Twenty seats\"");
  g_assert_cmpstr (conflict->base, ==, "\"\"");

  g_assert_true (lk_store_resolve_conflict (b->db->store, conflict->id, TRUE, &error));
  g_assert_no_error (error);
  report = desk_sync (b);
  g_assert_cmpuint (report.pushed, ==, 1);
  desk_sync (a);
  g_assert_cmpstr (field_of (a, id, LK_LEAD_NEEDS), ==, "Two hundred seats");
  g_assert_cmpstr (field_of (b, id, LK_LEAD_NEEDS), ==, "Two hundred seats");
  g_assert_cmpint (lk_store_count_conflicts (a->db->store, NULL), ==, 0);
  g_assert_cmpint (lk_store_count_conflicts (b->db->store, NULL), ==, 0);
  g_assert_cmpint (lk_store_count_outbox (b->db->store, NULL), ==, 0);
}

/* The same value set on both: no conflict. */
static void
test_same_value (void)
{
  g_autofree char *url = lk_test_server_new_database (server, "same-value");
  g_autoptr(Desk) a = manager_desk (url);
  g_autoptr(Desk) b = rep_desk (url);
  g_autofree char *id = create_lead (a, "Acme");
  LkSyncReport report;

  desk_sync (a);
  desk_sync (b);
  desk_edit (a, id, LK_LEAD_STAGE, "contacted");
  desk_edit (b, id, LK_LEAD_STAGE, "contacted");
  desk_sync (a);
  report = desk_sync (b);
  g_assert_cmpuint (report.conflicts, ==, 0);
  g_assert_cmpint (lk_store_count_conflicts (b->db->store, NULL), ==, 0);
  g_assert_cmpstr (field_of (b, id, LK_LEAD_STAGE), ==, "contacted");
  /* Each desktop's own record of the move (a stage change) went too. */
  desk_sync (a);
  g_assert_cmpint (desk_int (a, "SELECT count(*) FROM stage_changes WHERE lead_id = ?", id), ==, 3);
  g_assert_cmpint (lk_store_count_outbox (b->db->store, NULL), ==, 0);
}

/* A manager deletes what a rep edits offline, the delete first: the rep's
 * edit is parked; Restore brings it back for everyone. */
static void
test_delete_then_edit (void)
{
  g_autofree char *url = lk_test_server_new_database (server, "delete-edit");
  g_autoptr(Desk) a = manager_desk (url);
  g_autoptr(Desk) b = rep_desk (url);
  g_autofree char *id = create_lead (a, "Acme");
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(GError) error = NULL;
  LkSyncConflict *conflict;
  LkSyncReport report;

  desk_sync (a);
  desk_sync (b);
  g_assert_true (lk_store_delete_lead (a->db->store, id, &error));
  desk_edit (b, id, LK_LEAD_NOTES, "They want a demo");
  desk_sync (a);
  report = desk_sync (b);
  g_assert_cmpuint (report.conflicts, ==, 1);
  g_assert_true (is_deleted (b, id));
  conflicts = lk_store_list_conflicts (b->db->store, NULL);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = g_ptr_array_index (conflicts, 0);
  g_assert_cmpint (conflict->kind, ==, LK_CONFLICT_THEY_DELETED);

  g_assert_true (lk_store_resolve_conflict (b->db->store, conflict->id, TRUE, &error));
  g_assert_no_error (error);
  desk_sync (b);
  desk_sync (a);
  g_assert_false (is_deleted (a, id));
  g_assert_cmpstr (field_of (a, id, LK_LEAD_NOTES), ==, "They want a demo");
  doc = server_doc (url, id, NULL);
  g_assert_nonnull (doc);
  g_assert_cmpstr (json_object_get_string_member (doc, "notes"), ==, "They want a demo");
}

/* The edit reaches the server first, then the manager's delete: the
 * delete is parked, the lead stays; "Use mine" deletes it for everyone. */
static void
test_edit_then_delete (void)
{
  g_autofree char *url = lk_test_server_new_database (server, "edit-delete");
  g_autoptr(Desk) a = manager_desk (url);
  g_autoptr(Desk) b = rep_desk (url);
  g_autofree char *id = create_lead (a, "Acme");
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(GError) error = NULL;
  LkSyncConflict *conflict;
  LkSyncReport report;

  desk_sync (a);
  desk_sync (b);
  desk_edit (b, id, LK_LEAD_NOTES, "They want a demo");
  g_assert_true (lk_store_delete_lead (a->db->store, id, &error));
  desk_sync (b);
  report = desk_sync (a);
  g_assert_cmpuint (report.conflicts, ==, 1);
  g_assert_false (is_deleted (a, id));
  g_assert_cmpstr (field_of (a, id, LK_LEAD_NOTES), ==, "They want a demo");
  conflicts = lk_store_list_conflicts (a->db->store, NULL);
  conflict = g_ptr_array_index (conflicts, 0);
  g_assert_cmpint (conflict->kind, ==, LK_CONFLICT_I_DELETED);
  doc = server_doc (url, id, NULL);
  g_assert_nonnull (doc);

  g_assert_true (lk_store_resolve_conflict (a->db->store, conflict->id, TRUE, &error));
  g_assert_no_error (error);
  desk_sync (a);
  desk_sync (b);
  g_assert_true (is_deleted (a, id));
  g_assert_true (is_deleted (b, id));
  g_clear_pointer (&doc, json_object_unref);
  doc = server_doc (url, id, NULL);
  g_assert_null (doc);
}

typedef struct
{
  GCancellable *cancellable;
  double        at;
} CancelAt;

static void
cancel_at_cb (LkSyncClient *client,
              GParamSpec   *pspec,
              CancelAt     *cancel)
{
  if (lk_sync_client_get_progress (client) >= cancel->at)
    g_cancellable_cancel (cancel->cancellable);
}

/* A pull of 10,000 documents cancelled part of the way resumes where its
 * last page ended: nothing twice, nothing missing. */
static void
test_pull_resumes (void)
{
  g_autofree char *url = lk_test_server_new_database (server, "resume");
  g_autoptr(Desk) a = manager_desk (url);
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = NULL;
  /* A first pull goes in pages of 5,000 (LK_SYNC_BULK_PAGE_SIZE): the
   * run is cancelled after its first page. */
  CancelAt cancel = { g_cancellable_new (), 0.6 };
  g_autoptr(LkLeadQuery) query = NULL;
  g_autoptr(GArray) rowids = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  LkSyncReport report = { 0 };
  gint64 first;
  gulong handler;

  for (guint chunk = 0; chunk < 10; chunk++)
    {
      g_autoptr(GString) docs = g_string_new ("[");

      for (guint i = 0; i < 1000; i++)
        g_string_append_printf (docs, "%s{\"_id\":\"lead:bulk-%05u\",\"type\":\"lead\",\"schema\":1,"
                                "\"company\":\"Bulk %u\",\"stage\":\"new\",\"amount\":%u}",
                                i > 0 ? "," : "", chunk * 1000 + i, chunk * 1000 + i, i);
      g_string_append_c (docs, ']');
      post_docs (url, docs->str, TRUE);
    }

  handler = g_signal_connect (a->client, "notify::progress", G_CALLBACK (cancel_at_cb), &cancel);
  g_assert_false (desk_try_sync (a, cancel.cancellable, &report, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_signal_handler (&handler, a->client);
  g_clear_object (&cancel.cancellable);

  /* Whole pages only, each with its checkpoint (the first page also held
   * the design document). */
  first = lk_store_count_leads (a->db->store, NULL);
  g_test_message ("%" G_GINT64_FORMAT " leads before the cancel", first);
  g_assert_cmpint (first, >, 0);
  g_assert_cmpint (first, <, 10000);
  g_assert_cmpint ((first + 1) % 500, ==, 0);

  report = desk_sync (a);
  g_assert_cmpuint (report.pulled, ==, 10000 - first);
  g_assert_cmpint (lk_store_count_leads (a->db->store, NULL), ==, 10000);
  ids = server_ids (url);
  g_assert_cmpuint (g_hash_table_size (ids), ==, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (lk_test_db_peek (a->db), "SELECT id FROM leads", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_assert_true (g_hash_table_remove (ids, (const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  g_assert_cmpuint (g_hash_table_size (ids), ==, 0);
  g_assert_cmpint (lk_store_count_outbox (a->db->store, NULL), ==, 0);

  /* The first pull was a bulk pull (and a bulk load: 10,000 leads
   * coming): the indexes it dropped and the search rows of its full
   * pages are made in the background, also after it was cancelled. */
  while (lk_store_get_search_pending (a->db->store))
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  g_assert_false (lk_store_get_bulk_load (a->db->store));
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (a->db),
                                    "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'leads_report'",
                                    NULL), ==, 1);
  query = lk_lead_query_new ();
  lk_lead_query_set_search (query, "Bulk");
  rowids = lk_store_query_rowids (a->db->store, query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rowids->len, ==, 10000);
  problems = lk_store_check (a->db->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
}

/* @n leads lead:page-FROM… with the company "Page N". */
static void
post_page_leads (const char *db_url,
                 guint       from,
                 guint       n)
{
  g_autoptr(GString) docs = g_string_new ("[");

  for (guint i = from; i < from + n; i++)
    g_string_append_printf (docs, "%s{\"_id\":\"lead:page-%05u\",\"type\":\"lead\",\"schema\":1,"
                            "\"company\":\"Page %u\",\"stage\":\"new\",\"amount\":%u}",
                            i > from ? "," : "", i, i, i);
  g_string_append_c (docs, ']');
  post_docs (db_url, docs->str, TRUE);
}

/* Each since= asked for once: no page was fetched twice. */
static void
assert_sinces_distinct (Proxy *proxy)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < proxy->sinces->len; i++)
    g_assert_true (g_hash_table_add (seen, g_ptr_array_index (proxy->sinces, i)));
}

/* The leads of post_page_leads(), every seventh of the first @n_edited
 * edited by edit_page_leads(). */
static void
assert_pages_pulled (Desk       *desk,
                     const char *db_url,
                     guint       n_leads,
                     guint       n_edited)
{
  g_autoptr(GHashTable) ids = server_ids (db_url);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (lk_store_count_leads (desk->db->store, NULL), ==, n_leads);
  g_assert_cmpuint (g_hash_table_size (ids), ==, n_leads);
  g_assert_cmpint (sqlite3_prepare_v2 (lk_test_db_peek (desk->db), "SELECT id, company FROM leads", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      const char *company = (const char *) sqlite3_column_text (stmt, 1);
      guint n = (guint) g_ascii_strtoull (id + strlen ("lead:page-"), NULL, 10);
      g_autofree char *expected = n < n_edited && n % 7 == 0 ? g_strdup_printf ("Page %05u edited", n)
                                                             : g_strdup_printf ("Page %u", n);

      g_assert_true (g_hash_table_remove (ids, id));
      g_assert_cmpstr (company, ==, expected);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (g_hash_table_size (ids), ==, 0);
  g_assert_cmpint (lk_store_count_outbox (desk->db->store, NULL), ==, 0);
  problems = lk_store_check (desk->db->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
}

/* Server-side edits of every seventh of the first @n leads. */
static void
edit_page_leads (const char *db_url,
                 guint       n)
{
  g_autoptr(GString) docs = g_string_new ("[");

  for (guint i = 0; i < n; i += 7)
    {
      g_autofree char *id = g_strdup_printf ("lead:page-%05u", i);
      g_autoptr(JsonObject) doc = server_doc (db_url, id, NULL);
      g_autofree char *company = g_strdup_printf ("Page %05u edited", i);
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autofree char *text = NULL;

      json_object_set_string_member (doc, "company", company);
      json_node_set_object (node, doc);
      text = json_to_string (node, FALSE);
      g_string_append_printf (docs, "%s%s", i > 0 ? "," : "", text);
    }
  g_string_append_c (docs, ']');
  post_docs (db_url, docs->str, TRUE);
}

/* A pull through many small pages, each asked for while the one before
 * is parsed and applied (lk-sync-client-pull.c): the first (bulk) pull,
 * an incremental one whose feed ends on a full page, and a server that
 * writes "last_seq" before "results", where the next page is asked for
 * only once a page is parsed. Every lead arrives once with its last
 * version, no page is asked for twice, and the checkpoint is the feed's
 * end (a sync after it pulls nothing). */
static void
test_pull_pages (void)
{
  g_autofree char *url = lk_test_server_new_database (server, "pages");
  g_autofree char *proxied = NULL;
  g_autofree char *proxied_b = NULL;
  g_autoptr(Proxy) proxy = proxy_new (url, &proxied);
  g_autoptr(Proxy) proxy_b = proxy_new (url, &proxied_b);
  g_autoptr(Desk) a = manager_desk (proxied);
  g_autoptr(Desk) b = manager_desk (proxied_b);
  LkSyncReport report;
  guint n_changes = 0;

  lk_sync_client_set_page_sizes (a->client, 50, 200);
  lk_sync_client_set_page_sizes (b->client, 50, 200);
  proxy_b->seq_first = TRUE;
  proxy_b->string_seqs = TRUE;

  /* 1,234 leads and the design document: 6 full pages of 200 and 35 */
  post_page_leads (url, 0, 1000);
  post_page_leads (url, 1000, 234);
  report = desk_sync (a);
  g_assert_cmpuint (report.pulled, ==, 1234);
  g_assert_cmpuint (report.skipped, ==, 0);
  g_assert_cmpuint (proxy->sinces->len, ==, 6);
  assert_sinces_distinct (proxy);

  /* 300 changes: 260 new leads and 40 edits, 6 full pages of 50 and an
   * empty one */
  post_page_leads (url, 1234, 260);
  edit_page_leads (url, 280);
  n_changes = proxy->sinces->len;
  report = desk_sync (a);
  g_assert_cmpuint (report.pulled, ==, 300);
  g_assert_cmpuint (proxy->sinces->len - n_changes, ==, 7);
  assert_sinces_distinct (proxy);
  assert_pages_pulled (a, url, 1494, 280);
  n_changes = proxy->sinces->len;
  report = desk_sync (a);
  g_assert_cmpuint (report.pulled, ==, 0);
  g_assert_cmpuint (proxy->sinces->len - n_changes, ==, 1);

  /* "last_seq" first, opaque seqs: 1,494 leads and the design document in
   * 7 full pages of 200 and 95, each asked for after its parse */
  report = desk_sync (b);
  g_assert_cmpuint (report.pulled, ==, 1494);
  g_assert_cmpuint (proxy_b->sinces->len, ==, 7);
  assert_sinces_distinct (proxy_b);
  for (guint i = 0; i < proxy_b->sinces->len; i++)
    g_assert_nonnull (strstr (g_ptr_array_index (proxy_b->sinces, i), SEQ_SUFFIX));
  assert_pages_pulled (b, url, 1494, 280);
  report = desk_sync (b);
  g_assert_cmpuint (report.pulled, ==, 0);
}

/* The end of a _changes answer tells where the next page starts, or
 * nothing when it does not say it plainly. */
static void
test_tail_last_seq (void)
{
  static const struct { const char *reply; const char *expected; } cases[] = {
    { "{\"results\":[],\"last_seq\":12}", "12" },
    { "{\"results\":[],\"last_seq\":12,\"pending\":3}", "12" },
    { "{\"results\":[{\"seq\":\"5-x\"}],\"last_seq\":\"7-g1AAAA\",\"pending\":0}\n", "\"7-g1AAAA\"" },
    { "{\"results\":[],\"last_seq\":[3,\"a\"]}", "[3,\"a\"]" },
    /* last_seq first: the last "last_seq" is in a document, and what
     * follows it is no object */
    { "{\"last_seq\":9,\"results\":[{\"doc\":{\"last_seq\":3}}]}", NULL },
    { "{\"last_seq\":9,\"results\":[{\"doc\":{\"tags\":[\"last_seq\"]}}]}", NULL },
    { "{\"results\":[],\"last_seq\":null}", NULL },
    { "{\"results\":[]}", NULL },
    { "{\"results\":[],\"last_seq\":", NULL },
    { "", NULL },
    { "\"last_seq\"", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) reply = g_bytes_new_static (cases[i].reply, strlen (cases[i].reply));
      g_autofree char *found = lk_sync_tail_last_seq (reply);

      g_test_message ("%s", cases[i].reply);
      g_assert_cmpstr (found, ==, cases[i].expected);
    }
}

/* The server saved a push, but its answer was lost: the retry finds the
 * documents there and settles without a second write or a conflict. */
static void
test_lost_push_answer (void)
{
  g_autofree char *url = lk_test_server_new_database (server, "lost-answer");
  g_autofree char *proxied = NULL;
  g_autoptr(Proxy) proxy = proxy_new (url, &proxied);
  g_autoptr(Desk) a = manager_desk (proxied);
  g_autofree char *id = create_lead (a, "Acme");
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(GError) error = NULL;
  LkSyncReport report = { 0 };

  proxy->drop_bulk = 1;
  g_assert_false (desk_try_sync (a, NULL, &report, &error));
  g_assert_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE);
  g_assert_cmpint (lk_sync_client_get_state (a->client), ==, LK_SYNC_STATE_OFFLINE);
  g_assert_cmpuint (proxy->bulk_posts, ==, 1);
  /* The server has them; the desktop does not know. */
  ids = server_ids (url);
  g_assert_cmpuint (g_hash_table_size (ids), ==, 2);
  g_assert_cmpint (lk_store_count_outbox (a->db->store, NULL), ==, 2);

  /* Retried after the backoff. */
  lk_clock_advance_ms (a->db->clock, LK_TEST_HOUR_MS);
  report = desk_sync (a);
  /* The lead merged with itself; its stage change, immutable, taken as is. */
  g_assert_cmpuint (report.conflicts, ==, 0);
  g_assert_cmpuint (report.merged, ==, 1);
  g_assert_cmpuint (report.pushed, ==, 0);
  g_assert_cmpint (lk_store_count_outbox (a->db->store, NULL), ==, 0);
  g_assert_cmpint (desk_int (a, "SELECT dirty FROM leads WHERE id = ?", id), ==, 0);
  g_clear_pointer (&ids, g_hash_table_unref);
  ids = server_ids (url);
  g_assert_cmpuint (g_hash_table_size (ids), ==, 2);
  /* Still the first revision: nothing was written twice. */
  g_assert_true (g_str_has_prefix (g_hash_table_lookup (ids, id), "1-"));
}

/* A server answer that is not what CouchDB sends (a captive portal's
 * page): the run stops with a clear error and nothing here changes. */
static void
test_malformed_answer (void)
{
  g_autofree char *url = lk_test_server_new_database (server, "garbage");
  g_autofree char *proxied = NULL;
  g_autoptr(Proxy) proxy = proxy_new (url, &proxied);
  g_autoptr(Desk) a = manager_desk (url);
  g_autoptr(Desk) b = rep_desk (proxied);
  g_autoptr(LkSyncRemote) before = NULL;
  g_autoptr(LkSyncRemote) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = create_lead (a, "Acme");
  g_autofree char *id2 = NULL;
  LkSyncReport report = { 0 };

  desk_sync (a);
  desk_sync (b);
  before = lk_store_get_sync_remote (b->db->store, proxied, NULL);
  id2 = create_lead (a, "Beta");
  desk_sync (a);

  proxy->garbage = TRUE;
  g_assert_false (desk_try_sync (b, NULL, &report, &error));
  g_assert_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_SERVER);
  g_assert_cmpint (lk_sync_client_get_state (b->client), ==, LK_SYNC_STATE_ERROR);
  g_assert_cmpint (lk_store_count_leads (b->db->store, NULL), ==, 1);
  after = lk_store_get_sync_remote (b->db->store, proxied, NULL);
  g_assert_cmpstr (after->pull_since, ==, before->pull_since);
  g_assert_cmpstr (after->last_error, ==, error->message);

  proxy->garbage = FALSE;
  report = desk_sync (b);
  g_assert_cmpuint (report.pulled, ==, 2);
  g_assert_cmpint (lk_store_count_leads (b->db->store, NULL), ==, 2);
}

/* A backup restored under the same epoch marker: the checkpoint is beyond
 * the server's update_seq, which is reason enough to start over. */
static void
test_restored_server (void)
{
  g_autofree char *url = lk_test_server_new_database (server, "restored");
  g_autofree char *epoch_url = g_strconcat (url, "/_local/leadkeeper-epoch", NULL);
  g_autoptr(Desk) a = manager_desk (url);
  g_autoptr(JsonNode) marker = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonNode) put = NULL;
  g_autoptr(GHashTable) ids = NULL;
  g_autofree char *body = NULL;
  LkSyncReport report;
  guint status = 0;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *company = g_strdup_printf ("Company %u", i);
      g_autofree char *id = create_lead (a, company);
    }
  /* The first run pulls, then pushes; the second pulls what it pushed
   * (the checkpoint moves to 11). */
  desk_sync (a);
  desk_sync (a);
  marker = admin_request ("GET", epoch_url, NULL, &status);
  g_assert_cmpuint (status, ==, 200);

  reply = admin_request ("DELETE", url, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  prepare_again (url);
  g_clear_pointer (&reply, json_node_unref);
  reply = admin_request ("GET", epoch_url, NULL, &status);
  body = g_strdup_printf ("{\"_rev\":\"%s\",\"epoch\":\"%s\"}",
                          json_object_get_string_member (json_node_get_object (reply), "_rev"),
                          json_object_get_string_member (json_node_get_object (marker), "epoch"));
  put = admin_request ("PUT", epoch_url, body, &status);
  g_assert_cmpuint (status, ==, 201);

  report = desk_sync (a);
  g_assert_cmpuint (report.pushed, ==, 10);
  ids = server_ids (url);
  g_assert_cmpuint (g_hash_table_size (ids), ==, 10);
}

/* The server database was deleted and prepared again (a new epoch): the
 * desktop notices, and sends everything it has. */
static void
test_wiped_server (void)
{
  g_autofree char *url = lk_test_server_new_database (server, "wiped");
  g_autoptr(Desk) a = manager_desk (url);
  g_autoptr(Desk) b = NULL;
  g_autofree char *id = create_lead (a, "Acme");
  g_autofree char *id2 = create_lead (a, "Beta");
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(JsonNode) reply = NULL;
  LkSyncReport report;
  guint status = 0;

  desk_sync (a);
  desk_edit (a, id2, LK_LEAD_NOTES, "synced twice");
  desk_sync (a);

  reply = admin_request ("DELETE", url, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  prepare_again (url);
  ids = server_ids (url);
  g_assert_cmpuint (g_hash_table_size (ids), ==, 0);

  report = desk_sync (a);
  g_assert_cmpuint (report.pushed, ==, 4);
  g_clear_pointer (&ids, g_hash_table_unref);
  ids = server_ids (url);
  g_assert_cmpuint (g_hash_table_size (ids), ==, 4);
  g_assert_true (g_hash_table_contains (ids, id));

  /* Another desktop finds it all there. */
  b = rep_desk (url);
  desk_sync (b);
  g_assert_cmpstr (field_of (b, id2, LK_LEAD_NOTES), ==, "synced twice");
  g_assert_cmpint (lk_store_count_leads (b->db->store, NULL), ==, 2);
  /* And the next run of the first one is an ordinary one. */
  report = desk_sync (a);
  g_assert_cmpuint (report.pushed, ==, 0);
  g_assert_cmpuint (report.pulled, ==, 0);
}

/* A cluster kept two versions of a lead (made here with new_edits=false):
 * the desktop folds them, sends the result and deletes the loser. */
static void
test_server_conflicts (void)
{
  g_autofree char *url = lk_test_server_new_database (server, "server-conflict");
  g_autoptr(Desk) a = manager_desk (url);
  g_autofree char *id = create_lead (a, "Acme");
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonObject) resolved = NULL;
  g_autoptr(JsonObject) edit = NULL;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *rev1 = NULL;
  g_autofree char *put_url = NULL;
  g_autofree char *body = NULL;
  g_autofree char *loser = NULL;
  JsonArray *conflicts;
  guint status = 0;

  desk_sync (a);
  doc = server_doc (url, id, NULL);
  rev1 = g_strdup (json_object_get_string_member (doc, "_rev"));

  /* Branch one: an ordinary edit of the phone. */
  edit = json_object_ref (doc);
  json_object_set_string_member (edit, "phone", "+8613800138000");
  json_node_set_object (node, edit);
  body = json_to_string (node, FALSE);
  put_url = g_strconcat (url, "/", id, NULL);
  reply = admin_request ("PUT", put_url, body, &status);
  g_assert_cmpuint (status, ==, 201);
  g_clear_pointer (&body, g_free);

  /* Branch two, from the same parent: the notes, replicated in. */
  json_object_set_string_member (edit, "phone", "");
  json_object_set_string_member (edit, "notes", "Met at the fair");
  json_object_set_string_member (edit, "_rev", "2-00000000000000000000000000000001");
  {
    JsonObject *revisions = json_object_new ();
    JsonArray *rev_ids = json_array_new ();

    json_array_add_string_element (rev_ids, "00000000000000000000000000000001");
    json_array_add_string_element (rev_ids, strchr (rev1, '-') + 1);
    json_object_set_int_member (revisions, "start", 2);
    json_object_set_array_member (revisions, "ids", rev_ids);
    json_object_set_object_member (edit, "_revisions", revisions);
  }
  {
    g_autofree char *text = json_to_string (node, FALSE);

    body = g_strdup_printf ("[%s]", text);
  }
  remove_guard (url);
  post_docs (url, body, FALSE);
  prepare_again (url);
  g_clear_pointer (&doc, json_object_unref);
  doc = server_doc (url, id, "?conflicts=true");
  conflicts = json_object_get_array_member (doc, "_conflicts");
  g_assert_nonnull (conflicts);
  g_assert_cmpuint (json_array_get_length (conflicts), ==, 1);
  loser = g_strdup (json_array_get_string_element (conflicts, 0));

  desk_sync (a);
  /* Both branches' changes, here and on the server, and one branch left. */
  g_assert_cmpstr (field_of (a, id, LK_LEAD_PHONE), ==, "+8613800138000");
  g_assert_cmpstr (field_of (a, id, LK_LEAD_NOTES), ==, "Met at the fair");
  resolved = server_doc (url, id, "?conflicts=true");
  g_assert_false (json_object_has_member (resolved, "_conflicts"));
  g_assert_cmpstr (json_object_get_string_member (resolved, "phone"), ==, "+8613800138000");
  g_assert_cmpstr (json_object_get_string_member (resolved, "notes"), ==, "Met at the fair");
  g_assert_cmpint (lk_store_count_outbox (a->db->store, NULL), ==, 0);
  g_assert_cmpint (lk_store_count_conflicts (a->db->store, NULL), ==, 0);
  g_test_message ("the losing revision was %s", loser);
}

/* validate_doc_update refuses a rep's delete: reported, kept, not sent
 * again until edited. */
static void
test_rejected (void)
{
  g_autofree char *url = lk_test_server_new_database (server, "rejected");
  g_autofree char *proxied = NULL;
  g_autoptr(Proxy) proxy = proxy_new (url, &proxied);
  g_autoptr(Desk) a = manager_desk (url);
  g_autoptr(Desk) b = rep_desk (proxied);
  g_autofree char *id = create_lead (a, "Acme");
  g_autofree char *reason = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(GError) error = NULL;
  LkSyncReport report;
  guint posts;

  desk_sync (a);
  desk_sync (b);
  g_assert_true (lk_store_delete_lead (b->db->store, id, &error));
  report = desk_sync (b);
  g_assert_cmpuint (report.rejected, ==, 1);
  g_assert_cmpuint (report.pushed, ==, 0);
  reason = lk_store_get_push_error (b->db->store, id);
  g_assert_nonnull (strstr (reason, "manager"));
  g_assert_cmpint (lk_store_count_rejected (b->db->store, NULL), ==, 1);
  doc = server_doc (url, id, NULL);
  g_assert_nonnull (doc);

  /* Not sent again, however often it syncs. */
  posts = proxy->bulk_posts;
  lk_clock_advance_ms (b->db->clock, LK_TEST_DAY_MS);
  report = desk_sync (b);
  g_assert_cmpuint (report.rejected, ==, 0);
  g_assert_cmpuint (proxy->bulk_posts, ==, posts);
  g_assert_cmpint (lk_sync_client_get_pending (b->client), ==, 1);
}

/* A wrong password: one clear error, not a loop of retries. */
static void
test_wrong_password (void)
{
  g_autofree char *url = lk_test_server_new_database (server, "password");
  g_autofree char *proxied = NULL;
  g_autoptr(Proxy) proxy = proxy_new (url, &proxied);
  g_autoptr(Desk) a = rep_desk (proxied);
  g_autofree char *id = create_lead (a, "Acme");
  g_autoptr(GError) error = NULL;
  LkSyncReport report = { 0 };

  lk_sync_client_set_password (a->client, "not the password");
  g_assert_false (desk_try_sync (a, NULL, &report, &error));
  g_assert_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, lk_test_server_get_rep_user (server)));
  /* The request, one re-login, and nothing else. */
  g_assert_cmpuint (proxy->requests, ==, 2);
  g_assert_cmpint (lk_sync_client_get_state (a->client), ==, LK_SYNC_STATE_ERROR);
  g_assert_cmpstr (lk_sync_client_get_last_error (a->client), ==, error->message);
  g_assert_cmpint (lk_store_count_outbox (a->db->store, NULL), ==, 2);
  g_assert_cmpint (desk_int (a, "SELECT attempts FROM outbox WHERE doc_id = ?", id), ==, 0);
}

/* pouchdb-server takes any request size, so the proxy answers 413 above
 * 20 kB: the batch is halved until it passes; the one document that is
 * too large alone is refused and kept. */
static void
test_too_large_splits (void)
{
  g_autofree char *url = lk_test_server_new_database (server, "too-large");
  g_autofree char *proxied = NULL;
  g_autoptr(Proxy) proxy = proxy_new (url, &proxied);
  g_autoptr(Desk) a = manager_desk (proxied);
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(GString) notes = g_string_new (NULL);
  g_autofree char *big = NULL;
  LkSyncReport report;

  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *company = g_strdup_printf ("Company %u", i);
      g_autofree char *id = create_lead (a, company);
    }
  for (guint i = 0; i < 4000; i++)
    g_string_append (notes, "notes ");
  big = create_lead (a, "Big");
  desk_edit (a, big, LK_LEAD_NOTES, notes->str);

  proxy->max_body = 20000;
  report = desk_sync (a);
  g_assert_cmpuint (proxy->too_large, >, 0);
  g_assert_cmpuint (report.pushed, ==, 121);
  g_assert_cmpuint (report.rejected, ==, 1);
  ids = server_ids (url);
  g_assert_cmpuint (g_hash_table_size (ids), ==, 121);
  g_assert_false (g_hash_table_contains (ids, big));
  g_assert_cmpint (lk_store_count_rejected (a->db->store, NULL), ==, 1);
}

typedef struct
{
  Desk *desk;
  char *id;
} EditDuring;

static void
edit_during_push (Proxy   *proxy,
                  GBytes  *body,
                  gpointer data)
{
  EditDuring *during = data;

  if (proxy->bulk_posts == 1)
    desk_edit (during->desk, during->id, LK_LEAD_NOTES, "typed while it was sent");
}

/* 500 edits made offline go in the order they were made; an edit made
 * while they are on their way stays to be sent. */
static void
test_offline_edits_in_order (void)
{
  g_autofree char *url = lk_test_server_new_database (server, "in-order");
  g_autofree char *proxied = NULL;
  g_autoptr(Proxy) proxy = proxy_new (url, &proxied);
  g_autoptr(Desk) a = manager_desk (proxied);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) edited = g_ptr_array_new ();
  g_autoptr(JsonObject) doc = NULL;
  GPtrArray *sent;
  EditDuring during = { a, NULL };
  LkSyncReport report;

  g_autoptr(GPtrArray) leads = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 500; i++)
    {
      g_autofree char *company = g_strdup_printf ("Company %03u", i);
      LkLead *lead = lk_test_lead_new ("company", company, NULL);

      lk_record_ensure_id (LK_RECORD (lead));
      g_ptr_array_add (ids, g_strdup (lk_record_get_id (LK_RECORD (lead))));
      g_ptr_array_add (leads, lead);
    }
  g_assert_true (lk_store_put_records (a->db->store, leads, &error));
  g_assert_no_error (error);
  desk_sync (a);

  /* Edited offline in an order of their own: every seventh. */
  for (guint i = 0, j = 0; i < 500; i++, j = (j + 7) % 500)
    {
      const char *id = g_ptr_array_index (ids, j);
      g_autofree char *amount = g_strdup_printf ("%u.50", 1000 + i);

      desk_edit (a, id, LK_LEAD_AMOUNT, amount);
      g_ptr_array_add (edited, (gpointer) id);
      lk_clock_advance_ms (a->db->clock, 10);
    }
  g_assert_cmpint (lk_store_count_outbox (a->db->store, NULL), ==, 500);

  during.id = g_ptr_array_index (edited, 10);
  proxy->on_bulk = edit_during_push;
  proxy->on_bulk_data = &during;
  g_ptr_array_set_size (proxy->bulk_ids, 0);
  proxy->bulk_posts = 0;
  report = desk_sync (a);
  g_assert_cmpuint (report.pushed, ==, 500);
  g_assert_cmpuint (proxy->bulk_posts, ==, 1);
  sent = g_ptr_array_index (proxy->bulk_ids, 0);
  g_assert_cmpuint (sent->len, ==, 500);
  for (guint i = 0; i < 500; i++)
    g_assert_cmpstr (g_ptr_array_index (sent, i), ==, g_ptr_array_index (edited, i));

  /* The edit made during the push was not lost: still to be sent. */
  g_assert_cmpint (desk_int (a, "SELECT dirty FROM leads WHERE id = ?", during.id), ==, 1);
  g_assert_cmpint (lk_store_count_outbox (a->db->store, NULL), ==, 1);
  proxy->on_bulk = NULL;
  report = desk_sync (a);
  g_assert_cmpuint (report.pushed, ==, 1);
  doc = server_doc (url, during.id, NULL);
  g_assert_cmpstr (json_object_get_string_member (doc, "notes"), ==, "typed while it was sent");
  g_assert_cmpint (lk_store_count_outbox (a->db->store, NULL), ==, 0);
}

/* CouchDB 3's seqs are opaque strings: kept raw, sent back unquoted. */
static void
test_string_seqs (void)
{
  g_autofree char *url = lk_test_server_new_database (server, "string-seq");
  g_autofree char *proxied = NULL;
  g_autoptr(Proxy) proxy = proxy_new (url, &proxied);
  g_autoptr(Desk) a = manager_desk (url);
  g_autoptr(Desk) b = rep_desk (proxied);
  g_autoptr(LkSyncRemote) remote = NULL;
  g_autofree char *id = create_lead (a, "Acme");
  g_autofree char *id2 = NULL;
  const char *since;
  LkSyncReport report;

  proxy->string_seqs = TRUE;
  desk_sync (a);
  report = desk_sync (b);
  g_assert_cmpuint (report.pulled, ==, 2);
  remote = lk_store_get_sync_remote (b->db->store, proxied, NULL);
  g_assert_true (g_str_has_prefix (remote->pull_since, "\""));
  g_assert_true (g_str_has_suffix (remote->pull_since, SEQ_SUFFIX "\""));

  id2 = create_lead (a, "Beta");
  desk_sync (a);
  report = desk_sync (b);
  /* Only what is new: the checkpoint was understood. */
  g_assert_cmpuint (report.pulled, ==, 2);
  g_assert_cmpint (lk_store_count_leads (b->db->store, NULL), ==, 2);
  g_assert_cmpuint (proxy->sinces->len, >=, 1);
  since = g_ptr_array_index (proxy->sinces, proxy->sinces->len - 1);
  g_assert_true (g_ascii_isdigit (since[0]));
  g_assert_nonnull (strstr (since, SEQ_SUFFIX));
  g_assert_null (strstr (since, "%22"));
  g_assert_cmpstr (field_of (b, id2, LK_LEAD_COMPANY), ==, "Beta");
}

/* A lead written by another program (a website form) in the version-1
 * format appears as it was written; fields this version does not know
 * survive our edits. */
static void
test_other_program (void)
{
  g_autofree char *url = lk_test_server_new_database (server, "other-program");
  g_autoptr(Desk) a = rep_desk (url);
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_auto(GStrv) tags = NULL;
  LkRecord *r;
  LkSyncReport report;

  post_docs (url,
             "[{\"_id\":\"lead:0190b1c2-0000-7000-8000-00000000f0a1\",\"type\":\"lead\",\"schema\":1,"
             "\"code\":\"XS2024001\",\"company\":\"华信科技有限公司\",\"industry\":\"软件\",\"company_size\":\"200-999\","
             "\"contact\":\"王伟\",\"title\":\"采购经理\",\"phone\":\"+8613800138000\",\"email\":\"wang@huaxin.cn\","
             "\"im\":\"wx_wangwei\",\"region\":\"上海\",\"source\":\"website\",\"campaign\":\"2024 expo\","
             "\"needs\":\"CRM for 200 people\",\"budget\":60000000,\"amount\":50000050,\"currency\":\"CNY\","
             "\"grade\":\"A\",\"score\":87,\"temperature\":\"hot\","
             "\"bant\":{\"budget\":true,\"authority\":false,\"need\":true,\"timeline\":false},"
             "\"mql\":true,\"sql\":false,\"tags\":[\"VIP\",\"急需\"],\"owner\":null,\"assigned_at\":null,"
             "\"stage\":\"new\",\"stage_entered_at\":1715767200000,\"lost_reason\":\"\",\"next_followup_at\":1715853600000,"
             "\"first_contacted_at\":null,\"last_contacted_at\":null,\"consent\":true,\"do_not_contact\":false,"
             "\"notes\":\"From the form\",\"created_at\":1715767200000,\"created_by\":\"website\","
             "\"updated_at\":1715767200000,\"updated_by\":\"website\",\"form_page\":\"/contact\"},"
             "{\"_id\":\"lead:0190b1c2-0000-7000-8000-00000000f0a2\",\"type\":\"lead\",\"company\":\"Minimal Ltd\"}]",
             TRUE);
  report = desk_sync (a);
  g_assert_cmpuint (report.pulled, ==, 2);
  g_assert_cmpuint (report.skipped, ==, 0);

  lead = desk_lead (a, "lead:0190b1c2-0000-7000-8000-00000000f0a1");
  r = LK_RECORD (lead);
  g_assert_cmpstr (lk_lead_get_company (lead), ==, "华信科技有限公司");
  g_assert_cmpint (lk_lead_get_amount (lead), ==, 50000050);
  g_assert_cmpint (lk_record_get_int (r, LK_LEAD_BUDGET), ==, 60000000);
  g_assert_cmpint (lk_record_get_int (r, LK_LEAD_SCORE), ==, 87);
  g_assert_true (lk_record_get_bool (r, LK_LEAD_BANT_BUDGET));
  g_assert_false (lk_record_get_bool (r, LK_LEAD_BANT_AUTHORITY));
  g_assert_true (lk_record_get_bool (r, LK_LEAD_MQL));
  g_assert_cmpstr (lk_record_get_tags (r, LK_LEAD_TAGS)[1], ==, "急需");
  g_assert_null (lk_lead_get_owner (lead));
  g_assert_cmpint (lk_record_get_int (r, LK_LEAD_NEXT_FOLLOWUP_AT), ==, 1715853600000);
  g_assert_cmpstr (lk_record_get_string (r, LK_LEAD_CREATED_BY), ==, "website");
  tags = lk_store_list_tags (a->db->store, 0, NULL);
  g_assert_true (g_strv_contains ((const char * const *) tags, "VIP"));
  g_clear_object (&lead);
  lead = desk_lead (a, "lead:0190b1c2-0000-7000-8000-00000000f0a2");
  g_assert_cmpstr (lk_lead_get_stage (lead), ==, "new");
  /* No currency: kept as it came (the team's is given at the next local edit) */
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_CURRENCY), ==, "");

  /* Edited here and sent back: the form's own field is still there. */
  desk_edit (a, "lead:0190b1c2-0000-7000-8000-00000000f0a1", LK_LEAD_NOTES, "Called back");
  desk_sync (a);
  doc = server_doc (url, "lead:0190b1c2-0000-7000-8000-00000000f0a1", NULL);
  g_assert_cmpstr (json_object_get_string_member (doc, "form_page"), ==, "/contact");
  g_assert_cmpstr (json_object_get_string_member (doc, "notes"), ==, "Called back");
  g_assert_cmpint (json_object_get_int_member (doc, "amount"), ==, 50000050);
}

/* Documents the store cannot read are skipped, each with a logged reason,
 * and the rest of the page applies. The design document that guards the
 * database is removed first, as on a server that never had it. */
static void
test_malformed_skipped (void)
{
  g_autofree char *url = lk_test_server_new_database (server, "malformed");
  g_autoptr(Desk) a = rep_desk (url);
  g_autoptr(LkLead) lead = NULL;
  LkSyncReport report;

  remove_guard (url);
  post_docs (url,
             "[{\"_id\":\"lead:good-1\",\"type\":\"lead\",\"company\":\"Good One\"},"
             "{\"_id\":\"lead:no-type\",\"company\":\"No type\"},"
             "{\"_id\":\"lead:bad-amount\",\"type\":\"lead\",\"company\":\"Bad\",\"amount\":\"a lot\"},"
             "{\"_id\":\"lead:bad-bant\",\"type\":\"lead\",\"bant\":[true]},"
             "{\"_id\":\"activity:bad-at\",\"type\":\"activity\",\"kind\":\"call\",\"at\":\"yesterday\"},"
             "{\"_id\":\"invoice:1\",\"type\":\"invoice\"},"
             "{\"_id\":\"lead:good-2\",\"type\":\"lead\",\"company\":\"Good Two\"}]",
             TRUE);

  g_test_expect_message ("lk-store", G_LOG_LEVEL_MESSAGE, "*lead:no-type*");
  g_test_expect_message ("lk-store", G_LOG_LEVEL_MESSAGE, "*lead:bad-amount*amount*");
  g_test_expect_message ("lk-store", G_LOG_LEVEL_MESSAGE, "*lead:bad-bant*bant*");
  g_test_expect_message ("lk-store", G_LOG_LEVEL_MESSAGE, "*activity:bad-at*at*");
  g_test_expect_message ("lk-store", G_LOG_LEVEL_MESSAGE, "*invoice:1*invoice*");
  report = desk_sync (a);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (report.skipped, ==, 5);
  g_assert_cmpuint (report.pulled, ==, 2);
  g_assert_cmpint (lk_store_count_leads (a->db->store, NULL), ==, 2);
  lead = desk_lead (a, "lead:good-2");
  g_assert_cmpstr (lk_lead_get_company (lead), ==, "Good Two");
}

/* Checks the server and the database, and says what the server is. */
static void
test_connection (void)
{
  g_autofree char *url = lk_test_server_new_database (server, "connection");
  g_autofree char *missing = g_strconcat (lk_test_server_get_url (server), "/nothing-here", NULL);
  g_autoptr(Desk) a = rep_desk (url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(GAsyncResult) result3 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *product = NULL;
  g_autofree char *none = NULL;

  lk_sync_client_test_connection_async (a->client, NULL, lk_test_async_result_cb, &result);
  lk_test_wait_async (&result);
  product = lk_sync_client_test_connection_finish (a->client, result, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (product, "PouchDB Server "));

  lk_sync_client_set_url (a->client, missing);
  lk_sync_client_test_connection_async (a->client, NULL, lk_test_async_result_cb, &result2);
  lk_test_wait_async (&result2);
  none = lk_sync_client_test_connection_finish (a->client, result2, &error);
  g_assert_null (none);
  g_assert_true (g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_NO_DATABASE) ||
                 g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_FORBIDDEN));
  g_clear_error (&error);

  /* Plain http to another machine is refused before anything is sent. */
  lk_sync_client_set_url (a->client, "http://crm.example.com/leads");
  lk_sync_client_test_connection_async (a->client, NULL, lk_test_async_result_cb, &result3);
  lk_test_wait_async (&result3);
  g_assert_null (lk_sync_client_test_connection_finish (a->client, result3, &error));
  g_assert_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_INSECURE);
}

static gboolean
lead_arrived (Desk       *desk,
              const char *id)
{
  return lk_store_lookup_rowid (desk->db->store, id) != 0;
}

/* Live mode: a change on the server arrives by itself, and a local edit
 * leaves by itself shortly after it is made. */
static void
test_live (void)
{
  g_autofree char *url = lk_test_server_new_database (server, "live");
  g_autoptr(Desk) a = manager_desk (url);
  g_autoptr(Desk) b = rep_desk (url);
  g_autofree char *id = NULL;
  g_autofree char *id2 = NULL;
  g_autoptr(JsonObject) doc = NULL;
  gint64 deadline;

  lk_sync_client_start_live (b->client);
  id = create_lead (a, "Live Co");
  desk_sync (a);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!lead_arrived (b, id) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (lead_arrived (b, id));

  id2 = create_lead (b, "From B");
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while ((doc = server_doc (url, id2, NULL)) == NULL && g_get_monotonic_time () < deadline)
    {
      for (guint i = 0; i < 50; i++)
        g_main_context_iteration (NULL, FALSE);
      g_usleep (20000);
    }
  g_assert_nonnull (doc);
  lk_sync_client_stop_live (b->client);
  while (lk_sync_client_get_state (b->client) == LK_SYNC_STATE_SYNCING)
    g_main_context_iteration (NULL, TRUE);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  server = lk_test_server_start (&error);
  g_assert_no_error (error);

  g_test_add_func ("/sync/different-fields", test_different_fields);
  g_test_add_func ("/sync/same-field-use-mine", test_same_field_use_mine);
  g_test_add_func ("/sync/same-value", test_same_value);
  g_test_add_func ("/sync/delete-then-edit", test_delete_then_edit);
  g_test_add_func ("/sync/edit-then-delete", test_edit_then_delete);
  g_test_add_func ("/sync/pull-resumes", test_pull_resumes);
  g_test_add_func ("/sync/pull-pages", test_pull_pages);
  g_test_add_func ("/sync/tail-last-seq", test_tail_last_seq);
  g_test_add_func ("/sync/lost-push-answer", test_lost_push_answer);
  g_test_add_func ("/sync/wiped-server", test_wiped_server);
  g_test_add_func ("/sync/restored-server", test_restored_server);
  g_test_add_func ("/sync/malformed-answer", test_malformed_answer);
  g_test_add_func ("/sync/server-conflicts", test_server_conflicts);
  g_test_add_func ("/sync/rejected", test_rejected);
  g_test_add_func ("/sync/wrong-password", test_wrong_password);
  g_test_add_func ("/sync/too-large-splits", test_too_large_splits);
  g_test_add_func ("/sync/offline-edits-in-order", test_offline_edits_in_order);
  g_test_add_func ("/sync/string-seqs", test_string_seqs);
  g_test_add_func ("/sync/other-program", test_other_program);
  g_test_add_func ("/sync/malformed-skipped", test_malformed_skipped);
  g_test_add_func ("/sync/test-connection", test_connection);
  g_test_add_func ("/sync/live", test_live);

  status = g_test_run ();
  lk_test_server_stop (server);
  return status;
}
