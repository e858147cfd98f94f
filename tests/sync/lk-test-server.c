/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "lk-server-setup.h"
#include "lk-test-server.h"

#define ADMIN_USER        "admin"
#define ADMIN_PASSWORD    "admin-secret"
#define MANAGER_USER      "manager"
#define MANAGER_PASSWORD  "manager-secret"
#define REP_USER          "rep"
#define REP_PASSWORD      "rep-secret"
#define START_ATTEMPTS    3         /* another program may take the free port first */
#define START_DEADLINE_US (120 * G_USEC_PER_SEC)  /* a guard against a hang, not a timing */

struct _LkTestServer
{
  GSubprocess *process;
  SoupSession *session;
  char        *dir;       /* the server's working folder: its config and logs */
  char        *log_path;
  char        *url;
  guint        n_databases;
};

static const char *
server_dir (void)
{
  const char *dir = g_getenv ("LEADKEEPER_TEST_SERVER_DIR");

  return dir != NULL && dir[0] != '\0' ? dir : LK_TEST_SERVER_DIR;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_remove (path);
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  g_rmdir (path);
}

/* A port nobody listens on now. Someone may take it before the server
 * does: start() then tries another. */
static guint16
free_port (GError **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL || !g_socket_bind (socket, any_port, FALSE, error))
    return 0;
  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL)
    return 0;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* In the child, before exec: die with the test program, even when it is
 * killed (a timeout, a crash) and cannot stop the server itself. */
static void
child_setup (gpointer user_data)
{
  pid_t parent = GPOINTER_TO_INT (user_data);

  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (getppid () != parent)
    _exit (1);
}

static char *
log_tail (LkTestServer *server)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (server->log_path, &contents, &length, NULL))
    return g_strdup ("(no log)");
  return g_strdup (length > 2000 ? contents + length - 2000 : contents);
}

static SoupMessage *
new_message (const char *method,
             const char *url,
             const char *user,
             const char *password,
             const char *body)
{
  SoupMessage *message = soup_message_new (method, url);
  SoupMessageHeaders *headers;

  g_assert_nonnull (message);
  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (user != NULL)
    {
      g_autofree char *credentials = g_strconcat (user, ":", password, NULL);
      g_autofree char *encoded = g_base64_encode ((const guchar *) credentials, strlen (credentials));
      g_autofree char *authorization = g_strconcat ("Basic ", encoded, NULL);

      soup_message_headers_replace (headers, "Authorization", authorization);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }
  return message;
}

/* A request during start(): an error instead of an assertion. */
static gboolean
setup_request (LkTestServer  *server,
               const char    *method,
               const char    *path,
               const char    *user,
               const char    *password,
               const char    *body,
               GError       **error)
{
  g_autofree char *url = g_strconcat (server->url, path, NULL);
  g_autoptr(SoupMessage) message = new_message (method, url, user, password, body);
  g_autoptr(GBytes) reply = soup_session_send_and_read (server->session, message, NULL, error);
  guint status;

  if (reply == NULL)
    return FALSE;
  status = soup_message_get_status (message);
  if (status < 200 || status >= 300)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s %s answered %u: %.*s",
                   method, path, status, (int) g_bytes_get_size (reply),
                   (const char *) g_bytes_get_data (reply, NULL));
      return FALSE;
    }
  return TRUE;
}

static gboolean
add_user (LkTestServer        *server,
          const char          *name,
          const char          *password,
          const char * const  *roles,
          GError             **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  g_autofree char *escaped = g_uri_escape_string (name, NULL, FALSE);
  g_autofree char *path = g_strconcat ("/_users/org.couchdb.user:", escaped, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "user");
  json_builder_set_member_name (builder, "roles");
  json_builder_begin_array (builder);
  for (guint i = 0; roles != NULL && roles[i] != NULL; i++)
    json_builder_add_string_value (builder, roles[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);
  return setup_request (server, "PUT", path, ADMIN_USER, ADMIN_PASSWORD, body, error);
}

/* Spawns the server on a free port and waits until it answers GET /.
 * %FALSE with @error unset: it exited (its port was taken): try again. */
static gboolean
spawn (LkTestServer  *server,
       const char    *node,
       const char    *script,
       GError       **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *port_text = NULL;
  g_autofree char *config = g_build_filename (server->dir, "config.json", NULL);
  gint64 deadline = g_get_monotonic_time () + START_DEADLINE_US;
  guint16 port = free_port (error);

  if (port == 0)
    return FALSE;
  port_text = g_strdup_printf ("%u", port);
  g_clear_pointer (&server->url, g_free);
  server->url = g_strdup_printf ("http://127.0.0.1:%u", port);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_cwd (launcher, server->dir);
  g_subprocess_launcher_set_stdout_file_path (launcher, server->log_path);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, GINT_TO_POINTER (getpid ()), NULL);
  g_clear_object (&server->process);
  server->process = g_subprocess_launcher_spawn (launcher, error,
                                                 node, script,
                                                 "--in-memory",
                                                 "--host", "127.0.0.1",
                                                 "--port", port_text,
                                                 "--config", config,
                                                 "--no-color",
                                                 NULL);
  if (server->process == NULL)
    return FALSE;

  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *url = g_strconcat (server->url, "/", NULL);
      g_autoptr(SoupMessage) message = new_message ("GET", url, NULL, NULL, NULL);
      g_autoptr(GBytes) reply = NULL;

      if (g_subprocess_get_identifier (server->process) == NULL)
        return FALSE;
      reply = soup_session_send_and_read (server->session, message, NULL, NULL);
      if (reply != NULL && soup_message_get_status (message) == SOUP_STATUS_OK)
        return TRUE;
      g_usleep (G_USEC_PER_SEC / 20);
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "pouchdb-server did not answer on %s", server->url);
  return FALSE;
}

LkTestServer *
lk_test_server_start (GError **error)
{
  g_autoptr(LkTestServer) server = g_new0 (LkTestServer, 1);
  g_autofree char *script = NULL;
  g_autofree char *node = NULL;
  g_autofree char *admin_body = NULL;
  const char * const manager_roles[] = { "manager", "leadkeeper", NULL };
  const char * const rep_roles[] = { "leadkeeper", NULL };
  g_autoptr(GError) local_error = NULL;
  gint64 started = g_get_monotonic_time ();
  gboolean running = FALSE;

  /* Isolated test dirs hide the system's GSettings schemas, without which
   * glib-networking's GNOME proxy resolver aborts; the tests talk to
   * loopback, through no proxy (tests/sync/meson.build sets it too). */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", FALSE);

  script = g_build_filename (server_dir (), "node_modules", "pouchdb-server", "bin", "pouchdb-server", NULL);
  if (!g_file_test (script, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "pouchdb-server is not installed: run 'npm ci' in %s (build-aux/test does it)",
                   server_dir ());
      return NULL;
    }
  node = g_find_program_in_path ("node");
  if (node == NULL)
    node = g_find_program_in_path ("nodejs");
  if (node == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "node is not installed: run 'build-aux/deps --test' (Debian's nodejs and npm)");
      return NULL;
    }

  server->dir = g_dir_make_tmp ("lk-test-server-XXXXXX", error);
  if (server->dir == NULL)
    return NULL;
  server->log_path = g_build_filename (server->dir, "server.log", NULL);
  server->session = soup_session_new ();

  for (guint attempt = 0; attempt < START_ATTEMPTS && !running && local_error == NULL; attempt++)
    running = spawn (server, node, script, &local_error);
  if (!running)
    {
      g_autofree char *tail = log_tail (server);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Starting the test server (%s %s) failed: %s\n--- its log ---\n%s",
                   node, script, local_error ? local_error->message : "it exited at once", tail);
      return NULL;
    }

  /* Admin party ends with the first server admin; every request after
   * this one authenticates. */
  admin_body = g_strdup_printf ("\"%s\"", ADMIN_PASSWORD);
  if (!setup_request (server, "PUT", "/_config/admins/" ADMIN_USER, NULL, NULL, admin_body, error) ||
      !add_user (server, MANAGER_USER, MANAGER_PASSWORD, manager_roles, error) ||
      !add_user (server, REP_USER, REP_PASSWORD, rep_roles, error))
    {
      g_prefix_error (error, "Setting up the test server's users: ");
      return NULL;
    }

  g_test_message ("pouchdb-server at %s, ready in %.2f s; log: %s", server->url,
                  (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC, server->log_path);
  return g_steal_pointer (&server);
}

void
lk_test_server_stop (LkTestServer *server)
{
  if (server == NULL)
    return;
  if (server->process != NULL)
    {
      g_subprocess_force_exit (server->process);
      g_subprocess_wait (server->process, NULL, NULL);
    }
  g_clear_object (&server->process);
  g_clear_object (&server->session);
  if (server->dir != NULL)
    {
      if (g_getenv ("LEADKEEPER_TEST_KEEP_SERVER") != NULL)
        g_test_message ("kept the test server's folder %s", server->dir);
      else
        remove_tree (server->dir);
    }
  g_free (server->dir);
  g_free (server->log_path);
  g_free (server->url);
  g_free (server);
}

const char *
lk_test_server_get_url (LkTestServer *server)
{
  return server->url;
}

const char *
lk_test_server_get_log_path (LkTestServer *server)
{
  return server->log_path;
}

const char *
lk_test_server_get_admin_user (LkTestServer *server)
{
  return ADMIN_USER;
}

const char *
lk_test_server_get_admin_password (LkTestServer *server)
{
  return ADMIN_PASSWORD;
}

const char *
lk_test_server_get_manager_user (LkTestServer *server)
{
  return MANAGER_USER;
}

const char *
lk_test_server_get_manager_password (LkTestServer *server)
{
  return MANAGER_PASSWORD;
}

const char *
lk_test_server_get_rep_user (LkTestServer *server)
{
  return REP_USER;
}

const char *
lk_test_server_get_rep_password (LkTestServer *server)
{
  return REP_PASSWORD;
}

void
lk_test_server_add_user (LkTestServer       *server,
                         const char         *name,
                         const char         *password,
                         const char * const *roles)
{
  g_autoptr(GError) error = NULL;

  add_user (server, name, password, roles, &error);
  g_assert_no_error (error);
}

char *
lk_test_server_new_database (LkTestServer *server,
                             const char   *prefix)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  /* A valid CouchDB name whatever the prefix: a lower-case letter first,
   * then lower-case letters, digits and '-'. */
  for (const char *p = prefix ? prefix : ""; *p != '\0'; p++)
    g_string_append_c (name, g_ascii_isalnum (*p) ? g_ascii_tolower (*p) : '-');
  if (name->len == 0 || !g_ascii_islower (name->str[0]))
    g_string_prepend (name, "db-");
  g_string_append_printf (name, "-%u", ++server->n_databases);
  url = g_strconcat (server->url, "/", name->str, NULL);

  lk_server_setup_prepare_async (url, ADMIN_USER, ADMIN_PASSWORD, FALSE, NULL,
                                 lk_test_async_result_cb, &result);
  lk_test_wait_async (&result);
  lk_server_setup_prepare_finish (result, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&url);
}

JsonNode *
lk_test_server_request (LkTestServer *server,
                        const char   *method,
                        const char   *path,
                        const char   *user,
                        const char   *password,
                        const char   *body,
                        guint        *status)
{
  g_autofree char *url = path[0] == '/' ? g_strconcat (server->url, path, NULL) : g_strdup (path);
  g_autoptr(SoupMessage) message = new_message (method, url, user, password, body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) reply = NULL;
  gsize size = 0;
  const char *data;

  reply = soup_session_send_and_read (server->session, message, NULL, &error);
  g_assert_no_error (error);
  if (status != NULL)
    *status = soup_message_get_status (message);
  data = g_bytes_get_data (reply, &size);
  g_test_message ("%s %s → %u %.*s", method, path, soup_message_get_status (message),
                  (int) MIN (size, 300), data ? data : "");
  if (size == 0 || !json_parser_load_from_data (parser, data, size, NULL))
    return NULL;
  return json_parser_steal_root (parser);
}

void
lk_test_async_result_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

GAsyncResult *
lk_test_wait_async (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}
