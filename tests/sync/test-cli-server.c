/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <string.h>

#include "cli-test-util.h"
#include "lk-test-server.h"

/* `leadkeeper-cli server prepare` end to end against pouchdb-server: what
 * it prints, where it takes the password from, and its exit statuses. */

static char *
password_env (LkTestServer *server)
{
  return g_strconcat ("LEADKEEPER_PASSWORD=", lk_test_server_get_admin_password (server), NULL);
}

static char *
database_url (LkTestServer *server,
              const char   *name)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strdup_printf ("%s/%s-%s", lk_test_server_get_url (server), name, uuid);
}

static void
test_prepare_twice (gconstpointer data)
{
  LkTestServer *server = (LkTestServer *) data;
  g_autofree char *url = database_url (server, "cli");
  g_autofree char *env_password = password_env (server);
  const char * const env[] = { env_password, NULL };
  const char * const args[] = { "server", "prepare", "--url", url,
                                "--admin", lk_test_server_get_admin_user (server), NULL };
  g_auto(CliResult) first = { 0 };
  g_auto(CliResult) second = { 0 };
  g_autoptr(JsonNode) marker = NULL;
  g_autofree char *marker_path = g_strconcat (url + strlen (lk_test_server_get_url (server)),
                                              "/_local/leadkeeper-epoch", NULL);
  const char *epoch;
  guint status = 0;

  g_assert_cmpint (cli_runv (&first, env, args), ==, 0);
  g_assert_cmpstr (first.err, ==, "");
  g_assert_nonnull (strstr (first.out, "Created the database"));
  g_assert_nonnull (strstr (first.out, "Installed its validation rules"));

  marker = lk_test_server_request (server, "GET", marker_path, lk_test_server_get_admin_user (server),
                                   lk_test_server_get_admin_password (server), NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  epoch = json_object_get_string_member (json_node_get_object (marker), "epoch");
  g_assert_nonnull (strstr (first.out, epoch));

  /* Again: everything kept, the same epoch */
  g_assert_cmpint (cli_runv (&second, env, args), ==, 0);
  g_assert_nonnull (strstr (second.out, "exists"));
  g_assert_nonnull (strstr (second.out, epoch));
  g_assert_nonnull (strstr (second.out, "up to date"));
  g_assert_null (strstr (second.out, "Created"));
}

static void
test_password_file (gconstpointer data)
{
  LkTestServer *server = (LkTestServer *) data;
  g_autofree char *url = database_url (server, "file");
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "password", NULL);
  g_autofree char *contents = g_strconcat (lk_test_server_get_admin_password (server), "\n", NULL);
  g_autofree char *empty = g_build_filename (g_get_user_data_dir (), "empty", NULL);
  g_auto(CliResult) result = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (empty, "", -1, &error);
  g_assert_no_error (error);

  /* The file wins over the environment */
  {
    const char * const env[] = { "LEADKEEPER_PASSWORD=wrong", NULL };
    const char * const args[] = { "server", "prepare", "--url", url, "--admin",
                                  lk_test_server_get_admin_user (server), "--password-file", path, NULL };

    g_assert_cmpint (cli_runv (&result, env, args), ==, 0);
    g_assert_nonnull (strstr (result.out, "Created the database"));
  }
  {
    const char * const args[] = { "server", "prepare", "--url", url, "--admin",
                                  lk_test_server_get_admin_user (server), "--password-file", empty, NULL };

    g_assert_cmpint (cli_runv (&result, NULL, args), ==, 1);
    g_assert_nonnull (strstr (result.err, "empty"));
    g_assert_cmpstr (result.out, ==, "");
  }
}

static void
test_errors (gconstpointer data)
{
  LkTestServer *server = (LkTestServer *) data;
  g_autofree char *url = database_url (server, "errors");
  g_auto(CliResult) result = { 0 };
  const char *admin = lk_test_server_get_admin_user (server);

  /* Wrong password: said once, exit status 1 */
  {
    const char * const env[] = { "LEADKEEPER_PASSWORD=wrong", NULL };
    const char * const args[] = { "server", "prepare", "--url", url, "--admin", admin, NULL };

    g_assert_cmpint (cli_runv (&result, env, args), ==, 1);
    g_assert_nonnull (strstr (result.err, "password"));
    g_assert_null (strstr (result.err, "wrong"));
    g_assert_cmpstr (result.out, ==, "");
  }
  /* Plain http to another machine */
  {
    const char * const env[] = { "LEADKEEPER_PASSWORD=secret", NULL };
    const char * const args[] = { "server", "prepare", "--url", "http://leadkeeper.invalid/leads",
                                  "--admin", admin, NULL };

    g_assert_cmpint (cli_runv (&result, env, args), ==, 1);
    g_assert_nonnull (strstr (result.err, "https://"));
  }
  /* No password anywhere (standard input is not a terminal here) */
  {
    const char * const args[] = { "server", "prepare", "--url", url, "--admin", admin, NULL };

    g_assert_cmpint (cli_runv (&result, NULL, args), ==, 2);
    g_assert_nonnull (strstr (result.err, "LEADKEEPER_PASSWORD"));
  }
  /* Usage */
  {
    const char * const no_url[] = { "server", "prepare", "--admin", admin, NULL };
    const char * const no_admin[] = { "server", "prepare", "--url", url, NULL };
    const char * const extra[] = { "server", "prepare", "--url", url, "--admin", admin, "secret", NULL };
    const char * const no_command[] = { "server", NULL };

    g_assert_cmpint (cli_runv (&result, NULL, no_url), ==, 2);
    g_assert_nonnull (strstr (result.err, "--url"));
    g_assert_cmpint (cli_runv (&result, NULL, no_admin), ==, 2);
    g_assert_nonnull (strstr (result.err, "--admin"));
    g_assert_cmpint (cli_runv (&result, NULL, extra), ==, 2);
    g_assert_cmpint (cli_runv (&result, NULL, no_command), ==, 2);
    g_assert_nonnull (strstr (result.err, "prepare"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(LkTestServer) server = NULL;
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  server = lk_test_server_start (&error);
  g_assert_no_error (error);

  g_test_add_data_func ("/cli/server/prepare-twice", server, test_prepare_twice);
  g_test_add_data_func ("/cli/server/password-file", server, test_password_file);
  g_test_add_data_func ("/cli/server/errors", server, test_errors);

  return g_test_run ();
}
