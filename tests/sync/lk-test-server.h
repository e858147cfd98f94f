/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The sync suite's CouchDB peer: pouchdb-server (tests/server, installed
 * by `npm ci` there) running in memory on a free loopback port, with a
 * server admin, a "manager" (roles manager + leadkeeper) and a "rep"
 * (role leadkeeper). Start it once per test program; each test takes a
 * fresh database from lk_test_server_new_database(). The server dies
 * with the test program. */
typedef struct _LkTestServer LkTestServer;

/* Fails with a message saying what to install when node or the npm
 * packages are missing. */
LkTestServer *lk_test_server_start                (GError             **error);
/* Kills the server and removes its folder (kept, with its log, when
 * $LEADKEEPER_TEST_KEEP_SERVER is set, or when the test program aborts:
 * start() prints its path with g_test_message()). */
void          lk_test_server_stop                 (LkTestServer        *server);

/* "http://127.0.0.1:PORT", without a trailing slash */
const char   *lk_test_server_get_url              (LkTestServer        *server);
/* The server's log (what pouchdb-server printed) */
const char   *lk_test_server_get_log_path         (LkTestServer        *server);

const char   *lk_test_server_get_admin_user       (LkTestServer        *server);
const char   *lk_test_server_get_admin_password   (LkTestServer        *server);
const char   *lk_test_server_get_manager_user     (LkTestServer        *server);
const char   *lk_test_server_get_manager_password (LkTestServer        *server);
const char   *lk_test_server_get_rep_user         (LkTestServer        *server);
const char   *lk_test_server_get_rep_password     (LkTestServer        *server);

/* Another user in _users (as the admin); asserts it worked. Their user id
 * in documents is "user:<name>". */
void          lk_test_server_add_user             (LkTestServer        *server,
                                                   const char          *name,
                                                   const char          *password,
                                                   const char * const  *roles);

/* A new database "<prefix>-<n>", prepared by lk_server_setup_prepare_async()
 * as the admin (epoch marker, _security: members role "leadkeeper",
 * admins role "manager", the design document); asserts it worked.
 * Returns its URL ("http://127.0.0.1:PORT/prefix-1"). */
char         *lk_test_server_new_database         (LkTestServer        *server,
                                                   const char          *prefix);

/* One blocking HTTP request, as another program would make it: @path is
 * a full URL or starts with "/" (relative to the server); @user NULL for
 * no credentials; @body JSON text or NULL. Asserts the request was
 * answered. Returns the parsed reply, or NULL when it is not JSON. */
JsonNode     *lk_test_server_request              (LkTestServer        *server,
                                                   const char          *method,
                                                   const char          *path,
                                                   const char          *user,
                                                   const char          *password,
                                                   const char          *body,
                                                   guint               *status);

/* For async calls in tests: pass lk_test_async_result_cb with the address
 * of a NULL GAsyncResult pointer (g_autoptr), then lk_test_wait_async()
 * iterates the default main context until the result is there and
 * returns it (transfer none: *result keeps it). */
void          lk_test_async_result_cb             (GObject             *source,
                                                   GAsyncResult        *result,
                                                   gpointer             user_data);
GAsyncResult *lk_test_wait_async                  (GAsyncResult       **result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkTestServer, lk_test_server_stop)

G_END_DECLS
