/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-sync"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "lk-server-setup.h"
#include "lk-sync-client.h"
#include "lk-sync-resources.h"
#include "lk-utils.h"

/* "Prepare server database", one request after the other on the main
 * thread:
 *
 *   GET  /_session                   the credentials are a server admin's
 *   PUT  /db                         412 file_exists: already there
 *   GET  /db/_local/leadkeeper-epoch written only when missing
 *   GET  /db/_security               our roles added, others kept
 *   GET  /db/_design/leadkeeper      written when missing, older or edited
 *
 * Checking for an admin first gives a clear message, and spares
 * pouchdb-server 4.2 a PUT /db by a non-admin (which crashes it). The
 * design document is data/couchdb/design-leadkeeper.json plus
 * validate_doc_update.js, compiled in as a GResource. Errors are matched
 * on the JSON "error" member and the status, never on "reason". */

#define RESOURCE_PATH "/io/github/leadkeeper/Leadkeeper/couchdb/"
#define EPOCH_DOC     "_local/leadkeeper-epoch"
#define DESIGN_DOC    "_design/leadkeeper"
#define MAX_RETRIES   3   /* another client writing the same document meanwhile */

typedef struct
{
  SoupSession          *session;
  char                 *root_url;       /* the server, ending in "/" */
  char                 *db_url;         /* root_url + the escaped name */
  char                 *db_name;        /* unescaped, for messages */
  char                 *user;
  char                 *authorization;  /* "Basic …": a secret */
  guint                 retries;
  LkServerSetupChanges  changes;
  char                 *epoch;
} Prepare;

/* Called with the status and the reply (%NULL when the body is not JSON);
 * @error_name is the reply's "error" member, or %NULL. */
typedef void (*ReplyFunc) (GTask      *task,
                           guint       status,
                           const char *error_name,
                           JsonNode   *reply);

typedef struct
{
  GTask       *task;
  SoupMessage *message;
  ReplyFunc    next;
} Request;

static void request_done_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data);
static void read_epoch      (GTask        *task);
static void read_design     (GTask        *task);

static void
wipe_string (char **string)
{
  if (*string != NULL)
    memset (*string, 0, strlen (*string));
  g_clear_pointer (string, g_free);
}

static void
prepare_free (Prepare *prepare)
{
  g_clear_object (&prepare->session);
  g_clear_pointer (&prepare->root_url, g_free);
  g_clear_pointer (&prepare->db_url, g_free);
  g_clear_pointer (&prepare->db_name, g_free);
  g_clear_pointer (&prepare->user, g_free);
  wipe_string (&prepare->authorization);
  g_clear_pointer (&prepare->epoch, g_free);
  g_free (prepare);
}

static void
request_free (Request *request)
{
  g_clear_object (&request->task);
  g_clear_object (&request->message);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static gboolean
is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *lower = g_ascii_strdown (host, -1);

  if (g_str_equal (lower, "localhost") || g_str_has_suffix (lower, ".localhost"))
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* CouchDB's rule for database names; names starting with "_" are the
 * server's own (_users, _replicator). */
static gboolean
is_valid_db_name (const char *name)
{
  if (!g_ascii_islower (name[0]))
    return FALSE;
  for (const char *p = name + 1; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && strchr ("_$()+-/", *p) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
parse_url (Prepare     *prepare,
           const char  *url,
           gboolean     allow_insecure,
           GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *path = NULL;
  g_autofree char *escaped = NULL;
  const char *scheme;
  const char *host;
  char *slash;

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED_PATH, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  host = uri ? g_uri_get_host (uri) : NULL;
  if (uri == NULL || host == NULL || host[0] == '\0' ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_NO_DATABASE,
                   _("“%s” is not the address of a database. Give one such as https://crm.example.com:6984/leads"),
                   url);
      return FALSE;
    }
  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, LK_SYNC_ERROR, LK_SYNC_ERROR_INSECURE,
                           _("The server address must not hold a user name or password. Give them in their own fields"));
      return FALSE;
    }
  if (g_ascii_strcasecmp (scheme, "http") == 0 && !allow_insecure && !is_loopback (host))
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_INSECURE,
                   _("“%s” would send the password unencrypted. Use an https:// address, or allow plain http for this server explicitly"),
                   url);
      return FALSE;
    }

  /* The last segment of the path is the database; what comes before it
   * is the server (maybe behind a proxy's prefix). */
  path = g_strdup (g_uri_get_path (uri));
  while (g_str_has_suffix (path, "/"))
    path[strlen (path) - 1] = '\0';
  slash = strrchr (path, '/');
  if (slash == NULL || slash[1] == '\0')
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_NO_DATABASE,
                   _("The address “%s” names no database. Add its name, as in https://crm.example.com:6984/leads"),
                   url);
      return FALSE;
    }
  prepare->db_name = g_uri_unescape_string (slash + 1, NULL);
  if (prepare->db_name == NULL || !is_valid_db_name (prepare->db_name))
    {
      g_set_error (error, LK_SYNC_ERROR, LK_SYNC_ERROR_NO_DATABASE,
                   _("“%s” is not a valid database name. A name starts with a lower-case letter and holds only lower-case letters, digits and _ $ ( ) + - /"),
                   prepare->db_name ? prepare->db_name : slash + 1);
      return FALSE;
    }
  escaped = g_strdup (slash + 1);
  slash[1] = '\0';
  prepare->root_url = g_uri_join (G_URI_FLAGS_ENCODED_PATH, scheme, NULL, host,
                                  g_uri_get_port (uri), path, NULL, NULL);
  prepare->db_url = g_strconcat (prepare->root_url, escaped, NULL);
  return TRUE;
}

static JsonNode *
parse_reply (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  if (size == 0 || !json_parser_load_from_data (parser, data, size, NULL))
    return NULL;
  return json_parser_steal_root (parser);
}

static JsonObject *
reply_object (JsonNode *reply)
{
  return reply != NULL && JSON_NODE_HOLDS_OBJECT (reply) ? json_node_get_object (reply) : NULL;
}

/* The string member @name of @object, or %NULL whatever else it is. */
static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static gboolean
is_success (guint status)
{
  return status >= 200 && status < 300;
}

static GError *
transport_error (Prepare *prepare,
                 GError  *error)
{
  GError *mapped;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;
  if (error->domain == G_TLS_ERROR)
    mapped = g_error_new (LK_SYNC_ERROR, LK_SYNC_ERROR_SERVER,
                          _("The secure connection to %s failed: %s"),
                          prepare->root_url, error->message);
  else if (error->domain == SOUP_SESSION_ERROR)
    mapped = g_error_new (LK_SYNC_ERROR, LK_SYNC_ERROR_SERVER,
                          _("%s did not answer like a web server: %s"),
                          prepare->root_url, error->message);
  else
    mapped = g_error_new (LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE,
                          _("Could not reach %s: %s"),
                          prepare->root_url, error->message);
  g_error_free (error);
  return mapped;
}

/* An answer that is not what the step wanted. @doing_format says what
 * the step was doing, as a sentence start ("Creating the database “%s”"). */
static void return_reply_error (GTask      *task,
                                guint       status,
                                const char *error_name,
                                const char *doing_format,
                                ...) G_GNUC_PRINTF (4, 5);

static void
return_reply_error (GTask      *task,
                    guint       status,
                    const char *error_name,
                    const char *doing_format,
                    ...)
{
  Prepare *prepare = g_task_get_task_data (task);
  const char *phrase = soup_status_get_phrase (status);
  LkSyncError code;
  g_autofree char *doing = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *answer = NULL;
  va_list args;

  va_start (args, doing_format);
  doing = g_strdup_vprintf (doing_format, args);
  va_end (args);

  /* "HTTP 500 Internal Server Error", or with CouchDB's error name */
  if (error_name != NULL)
    answer = g_strdup_printf ("HTTP %u, %s", status, error_name);
  else
    answer = g_strdup_printf ("HTTP %u %s", status, phrase ? phrase : "");

  if (g_strcmp0 (error_name, "unauthorized") == 0 || g_strcmp0 (error_name, "forbidden") == 0 ||
      status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    {
      code = LK_SYNC_ERROR_FORBIDDEN;
      detail = g_strdup_printf (_("the server does not let “%s” do this. Prepare the database with a server administrator’s name and password"),
                                prepare->user);
    }
  else if (g_strcmp0 (error_name, "illegal_database_name") == 0)
    {
      code = LK_SYNC_ERROR_NO_DATABASE;
      detail = g_strdup_printf (_("the server does not accept “%s” as a database name"), prepare->db_name);
    }
  else if (g_strcmp0 (error_name, "not_found") == 0 || status == SOUP_STATUS_NOT_FOUND)
    {
      code = LK_SYNC_ERROR_NO_DATABASE;
      detail = g_strdup_printf (_("the server has no database “%s”"), prepare->db_name);
    }
  else if (status >= 500)
    {
      code = LK_SYNC_ERROR_SERVER;
      detail = g_strdup_printf (_("the server failed (%s). Try again later, or ask its administrator"), answer);
    }
  else
    {
      code = LK_SYNC_ERROR_SERVER;
      detail = g_strdup_printf (_("the server answered %s, which Leadkeeper does not expect. Is %s a CouchDB server?"),
                                answer, prepare->root_url);
    }
  g_task_return_new_error (task, LK_SYNC_ERROR, code, "%s: %s", doing, detail);
}

/* 2xx with a body that is not the JSON object CouchDB sends. */
static void
return_not_couchdb (GTask *task)
{
  Prepare *prepare = g_task_get_task_data (task);

  g_task_return_new_error (task, LK_SYNC_ERROR, LK_SYNC_ERROR_SERVER,
                           _("%s does not answer like a CouchDB server. Check the address"),
                           prepare->root_url);
}

static void
send_request (GTask      *task,
              const char *method,
              const char *url,
              JsonNode   *body,
              ReplyFunc   next)
{
  Prepare *prepare = g_task_get_task_data (task);
  Request *request = g_new0 (Request, 1);
  SoupMessageHeaders *headers;

  request->task = g_object_ref (task);
  request->message = soup_message_new (method, url);
  request->next = next;
  g_assert (request->message != NULL);  /* built from a parsed URL */

  headers = soup_message_get_request_headers (request->message);
  soup_message_headers_replace (headers, "Accept", "application/json");
  /* Neither CouchDB nor pouchdb-server asks for credentials: send them. */
  soup_message_headers_replace (headers, "Authorization", prepare->authorization);
  if (body != NULL)
    {
      g_autofree char *text = json_to_string (body, FALSE);
      gsize length = strlen (text);
      g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&text), length);

      soup_message_set_request_body_from_bytes (request->message, "application/json", bytes);
    }
  g_debug ("%s %s", method, url);
  soup_session_send_and_read_async (prepare->session, request->message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), request_done_cb, request);
}

/* send_request() to @path in the database, as "/_security". */
static void
send_db_request (GTask      *task,
                 const char *method,
                 const char *path,
                 JsonNode   *body,
                 ReplyFunc   next)
{
  Prepare *prepare = g_task_get_task_data (task);
  g_autofree char *url = g_strconcat (prepare->db_url, path, NULL);

  send_request (task, method, url, body, next);
}

static void
request_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  Prepare *prepare = g_task_get_task_data (request->task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) reply = NULL;
  const char *error_name;
  guint status;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (bytes == NULL)
    {
      g_task_return_error (request->task, transport_error (prepare, g_steal_pointer (&error)));
      return;
    }
  status = soup_message_get_status (request->message);
  reply = parse_reply (bytes);
  error_name = member_string (reply_object (reply), "error");
  g_debug ("%u %s", status, error_name ? error_name : "");
  request->next (request->task, status, error_name, reply);
}

static JsonNode *
load_resource_json (const char *name)
{
  g_autofree char *path = g_strconcat (RESOURCE_PATH, name, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) node = NULL;

  bytes = g_resource_lookup_data (lk_sync_get_resource (), path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  node = bytes ? parse_reply (bytes) : NULL;
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    g_error ("The resource %s is not a JSON object", path);
  return g_steal_pointer (&node);
}

/* data/couchdb/design-leadkeeper.json with its validate_doc_update */
static JsonNode *
our_design_document (void)
{
  g_autoptr(JsonNode) design = load_resource_json ("design-leadkeeper.json");
  g_autoptr(GBytes) code = NULL;
  g_autofree char *text = NULL;
  gsize size = 0;
  const char *data;

  code = g_resource_lookup_data (lk_sync_get_resource (), RESOURCE_PATH "validate_doc_update.js",
                                 G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_assert (code != NULL);
  data = g_bytes_get_data (code, &size);
  text = g_strstrip (g_strndup (data, size));
  json_object_set_string_member (json_node_get_object (design), "validate_doc_update", text);
  return g_steal_pointer (&design);
}

static gint64
design_version (JsonObject *design)
{
  JsonObject *ours = member_object (design, "leadkeeper");
  JsonNode *node = ours ? json_object_get_member (ours, "version") : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (node);
}

/* Another client wrote the same document meanwhile (a conflict): reads
 * it again with @read, MAX_RETRIES times at most. %TRUE when it did. */
static gboolean
read_again_on_conflict (GTask      *task,
                        const char *error_name,
                        void      (*read) (GTask *task))
{
  Prepare *prepare = g_task_get_task_data (task);

  if (g_strcmp0 (error_name, "conflict") != 0 || ++prepare->retries > MAX_RETRIES)
    return FALSE;
  read (task);
  return TRUE;
}

/* --- 5. the design document ---------------------------------------------- */

static void
wrote_design (GTask      *task,
              guint       status,
              const char *error_name,
              JsonNode   *reply)
{
  Prepare *prepare = g_task_get_task_data (task);

  if (read_again_on_conflict (task, error_name, read_design))
    return;
  if (!is_success (status))
    {
      return_reply_error (task, status, error_name, _("Writing the design document of “%s”"), prepare->db_name);
      return;
    }
  prepare->changes |= LK_SERVER_SETUP_WROTE_DESIGN;
  g_task_return_boolean (task, TRUE);
}

static void
got_design (GTask      *task,
            guint       status,
            const char *error_name,
            JsonNode   *reply)
{
  Prepare *prepare = g_task_get_task_data (task);
  g_autoptr(JsonNode) ours = our_design_document ();
  JsonObject *ours_object = json_node_get_object (ours);
  JsonObject *theirs = reply_object (reply);

  if (is_success (status))
    {
      gint64 their_version = design_version (theirs);
      gint64 our_version = design_version (ours_object);
      const char *rev = member_string (theirs, "_rev");

      if (theirs == NULL)
        {
          return_not_couchdb (task);
          return;
        }
      /* A newer Leadkeeper's guard stays; ours, unchanged, too. */
      if (their_version > our_version ||
          (their_version == our_version &&
           g_strcmp0 (member_string (theirs, "validate_doc_update"),
                      member_string (ours_object, "validate_doc_update")) == 0))
        {
          g_debug ("design document version %" G_GINT64_FORMAT " kept", their_version);
          g_task_return_boolean (task, TRUE);
          return;
        }
      if (rev != NULL)
        json_object_set_string_member (ours_object, "_rev", rev);
    }
  else if (g_strcmp0 (error_name, "not_found") != 0)
    {
      return_reply_error (task, status, error_name, _("Reading the design document of “%s”"), prepare->db_name);
      return;
    }

  send_db_request (task, "PUT", "/" DESIGN_DOC, ours, wrote_design);
}

static void
read_design (GTask *task)
{
  send_db_request (task, "GET", "/" DESIGN_DOC, NULL, got_design);
}

/* --- 4. _security ------------------------------------------------------- */

static void
wrote_security (GTask      *task,
                guint       status,
                const char *error_name,
                JsonNode   *reply)
{
  Prepare *prepare = g_task_get_task_data (task);

  if (!is_success (status))
    {
      return_reply_error (task, status, error_name, _("Setting who may use “%s”"), prepare->db_name);
      return;
    }
  prepare->changes |= LK_SERVER_SETUP_WROTE_SECURITY;
  prepare->retries = 0;
  read_design (task);
}

/* Adds @role to @section.roles of @security, making what is missing;
 * %TRUE when it was not there. */
static gboolean
add_role (JsonObject *security,
          const char *section,
          const char *role)
{
  JsonObject *object = member_object (security, section);
  JsonNode *node;
  JsonArray *roles;

  if (object == NULL)
    {
      object = json_object_new ();
      json_object_set_object_member (security, section, object);
    }
  if (!json_object_has_member (object, "names"))
    json_object_set_array_member (object, "names", json_array_new ());
  node = json_object_get_member (object, "roles");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      roles = json_array_new ();
      json_object_set_array_member (object, "roles", roles);
    }
  else
    roles = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (roles); i++)
    {
      JsonNode *element = json_array_get_element (roles, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING &&
          g_str_equal (json_node_get_string (element), role))
        return FALSE;
    }
  json_array_add_string_element (roles, role);
  return TRUE;
}

/* The roles of data/couchdb/security.json added to @security: names and
 * roles an administrator added are kept. */
static gboolean
merge_security (JsonObject *security)
{
  g_autoptr(JsonNode) template = load_resource_json ("security.json");
  const char * const sections[] = { "members", "admins" };
  gboolean changed = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      JsonObject *section = member_object (json_node_get_object (template), sections[i]);
      JsonNode *roles = section ? json_object_get_member (section, "roles") : NULL;
      JsonArray *array = roles && JSON_NODE_HOLDS_ARRAY (roles) ? json_node_get_array (roles) : NULL;

      for (guint j = 0; array != NULL && j < json_array_get_length (array); j++)
        changed |= add_role (security, sections[i], json_array_get_string_element (array, j));
    }
  return changed;
}

static void
got_security (GTask      *task,
              guint       status,
              const char *error_name,
              JsonNode   *reply)
{
  Prepare *prepare = g_task_get_task_data (task);

  if (!is_success (status))
    {
      return_reply_error (task, status, error_name, _("Reading who may use “%s”"), prepare->db_name);
      return;
    }
  if (reply_object (reply) == NULL)
    {
      return_not_couchdb (task);
      return;
    }
  if (!merge_security (reply_object (reply)))
    {
      prepare->retries = 0;
      read_design (task);
      return;
    }
  send_db_request (task, "PUT", "/_security", reply, wrote_security);
}

static void
read_security (GTask *task)
{
  send_db_request (task, "GET", "/_security", NULL, got_security);
}

/* --- 3. the epoch marker ------------------------------------------------ */

static void
wrote_epoch (GTask      *task,
             guint       status,
             const char *error_name,
             JsonNode   *reply)
{
  Prepare *prepare = g_task_get_task_data (task);

  /* Someone else's prepare wrote one meanwhile: theirs is the epoch. */
  if (read_again_on_conflict (task, error_name, read_epoch))
    return;
  if (!is_success (status))
    {
      g_clear_pointer (&prepare->epoch, g_free);
      return_reply_error (task, status, error_name, _("Writing the epoch marker of “%s”"), prepare->db_name);
      return;
    }
  prepare->changes |= LK_SERVER_SETUP_WROTE_EPOCH;
  read_security (task);
}

static void
got_epoch (GTask      *task,
           guint       status,
           const char *error_name,
           JsonNode   *reply)
{
  Prepare *prepare = g_task_get_task_data (task);
  g_autoptr(JsonObject) marker = NULL;
  g_autoptr(JsonNode) body = NULL;
  const char *epoch = member_string (reply_object (reply), "epoch");
  const char *rev = member_string (reply_object (reply), "_rev");

  if (is_success (status) && epoch != NULL && epoch[0] != '\0')
    {
      lk_set_str (&prepare->epoch, epoch);
      read_security (task);
      return;
    }
  if (!is_success (status) && g_strcmp0 (error_name, "not_found") != 0)
    {
      return_reply_error (task, status, error_name, _("Reading the epoch marker of “%s”"), prepare->db_name);
      return;
    }

  /* Missing, or without an epoch: a new one. */
  marker = json_object_new ();
  lk_set_str (&prepare->epoch, NULL);
  prepare->epoch = g_uuid_string_random ();
  json_object_set_string_member (marker, "epoch", prepare->epoch);
  if (is_success (status) && rev != NULL)
    json_object_set_string_member (marker, "_rev", rev);
  body = json_node_init_object (json_node_alloc (), marker);
  send_db_request (task, "PUT", "/" EPOCH_DOC, body, wrote_epoch);
}

static void
read_epoch (GTask *task)
{
  send_db_request (task, "GET", "/" EPOCH_DOC, NULL, got_epoch);
}

/* --- 2. the database ---------------------------------------------------- */

static void
created_database (GTask      *task,
                  guint       status,
                  const char *error_name,
                  JsonNode   *reply)
{
  Prepare *prepare = g_task_get_task_data (task);

  if (is_success (status))
    prepare->changes |= LK_SERVER_SETUP_CREATED_DATABASE;
  else if (g_strcmp0 (error_name, "file_exists") != 0)
    {
      return_reply_error (task, status, error_name, _("Creating the database “%s”"), prepare->db_name);
      return;
    }
  prepare->retries = 0;
  read_epoch (task);
}

/* --- 1. the credentials ------------------------------------------------- */

static gboolean
has_role (JsonObject *user_ctx,
          const char *role)
{
  JsonNode *node = json_object_get_member (user_ctx, "roles");
  JsonArray *roles = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

  for (guint i = 0; roles != NULL && i < json_array_get_length (roles); i++)
    {
      JsonNode *element = json_array_get_element (roles, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING &&
          g_str_equal (json_node_get_string (element), role))
        return TRUE;
    }
  return FALSE;
}

static void
got_session (GTask      *task,
             guint       status,
             const char *error_name,
             JsonNode   *reply)
{
  Prepare *prepare = g_task_get_task_data (task);
  JsonObject *user_ctx = member_object (reply_object (reply), "userCtx");

  if (status == SOUP_STATUS_UNAUTHORIZED || g_strcmp0 (error_name, "unauthorized") == 0 ||
      (is_success (status) && user_ctx != NULL && member_string (user_ctx, "name") == NULL))
    {
      g_task_return_new_error (task, LK_SYNC_ERROR, LK_SYNC_ERROR_AUTH,
                               _("The server %s does not accept the user name “%s” with this password"),
                               prepare->root_url, prepare->user);
      return;
    }
  if (!is_success (status))
    {
      return_reply_error (task, status, error_name, _("Logging in to %s"), prepare->root_url);
      return;
    }
  if (user_ctx == NULL)
    {
      return_not_couchdb (task);
      return;
    }
  if (!has_role (user_ctx, "_admin"))
    {
      g_task_return_new_error (task, LK_SYNC_ERROR, LK_SYNC_ERROR_FORBIDDEN,
                               _("“%s” is not an administrator of the server %s. Preparing a database needs a server administrator’s name and password"),
                               prepare->user, prepare->root_url);
      return;
    }

  send_request (task, "PUT", prepare->db_url, NULL, created_database);
}

static void
check_session (GTask *task)
{
  Prepare *prepare = g_task_get_task_data (task);
  g_autofree char *url = g_strconcat (prepare->root_url, "_session", NULL);

  send_request (task, "GET", url, NULL, got_session);
}

/**
 * lk_server_setup_prepare_async:
 * @url: the database, as "https://crm.example.com:6984/leads"
 * @admin_user: a server administrator
 * @admin_password: their password: sent, never logged
 * @allow_insecure: allow plain http to a host that is not loopback
 *
 * Plain http to another machine is refused with %LK_SYNC_ERROR_INSECURE
 * before any request unless @allow_insecure.
 */
void
lk_server_setup_prepare_async (const char          *url,
                               const char          *admin_user,
                               const char          *admin_password,
                               gboolean             allow_insecure,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  char *credentials;
  char *encoded;
  Prepare *prepare;

  g_return_if_fail (url != NULL);
  g_return_if_fail (admin_user != NULL);
  g_return_if_fail (admin_password != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_server_setup_prepare_async);
  prepare = g_new0 (Prepare, 1);
  g_task_set_task_data (task, prepare, (GDestroyNotify) prepare_free);
  prepare->user = g_strdup (admin_user);

  if (!parse_url (prepare, url, allow_insecure, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (admin_user[0] == '\0' || strchr (admin_user, ':') != NULL)
    {
      g_task_return_new_error (task, LK_SYNC_ERROR, LK_SYNC_ERROR_AUTH,
                               _("“%s” is not a user name: give the name of a server administrator"),
                               admin_user);
      return;
    }

  credentials = g_strconcat (admin_user, ":", admin_password, NULL);
  encoded = g_base64_encode ((const guchar *) credentials, strlen (credentials));
  prepare->authorization = g_strconcat ("Basic ", encoded, NULL);
  wipe_string (&credentials);
  wipe_string (&encoded);

  prepare->session = soup_session_new_with_options ("user-agent", "Leadkeeper/" PACKAGE_VERSION " ",
                                                    "timeout", 60,
                                                    NULL);
  check_session (task);
}

gboolean
lk_server_setup_prepare_finish_full (GAsyncResult          *result,
                                     LkServerSetupChanges  *changes,
                                     char                 **epoch,
                                     GError               **error)
{
  Prepare *prepare;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lk_server_setup_prepare_async, FALSE);

  prepare = g_task_get_task_data (G_TASK (result));
  if (changes != NULL)
    *changes = prepare->changes;
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (epoch != NULL)
    *epoch = g_strdup (prepare->epoch);
  return TRUE;
}

gboolean
lk_server_setup_prepare_finish (GAsyncResult  *result,
                                GError       **error)
{
  return lk_server_setup_prepare_finish_full (result, NULL, NULL, error);
}
