/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <string.h>

#include "cli-test-util.h"
#include "lk-test-server.h"

/* `leadkeeper-cli sync` and `sync status` end to end against
 * pouchdb-server: two databases meet through the server; what is printed,
 * where the password comes from, the exit statuses. */

static char *
write_password_file (const char *name,
                     const char *contents)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
test_two_databases (gconstpointer data)
{
  LkTestServer *server = (LkTestServer *) data;
  g_autofree char *url = lk_test_server_new_database (server, "cli-sync");
  g_autofree char *one = cli_db_path ("one.db");
  g_autofree char *two = cli_db_path ("two.db");
  g_autofree char *contents = g_strconcat (lk_test_server_get_rep_password (server), "\n", NULL);
  g_autofree char *password_file = write_password_file ("rep-password", contents);
  g_autofree char *env_password = g_strconcat ("LEADKEEPER_PASSWORD=", lk_test_server_get_rep_password (server), NULL);
  const char *user = lk_test_server_get_rep_user (server);
  g_autofree char *id = cli_add_lead (one, "--company", "Acme", NULL);
  g_autoptr(JsonArray) leads = NULL;
  g_autoptr(JsonNode) status = NULL;
  g_auto(CliResult) result = { 0 };
  JsonObject *object;

  /* The first database sends its lead (and its creation), from a file's password. */
  {
    const char * const args[] = { "--db", one, "sync", "--url", url, "--user", user,
                                  "--password-file", password_file, NULL };

    g_assert_cmpint (cli_runv (&result, NULL, args), ==, 0);
    g_assert_cmpstr (result.err, ==, "");
    g_assert_nonnull (strstr (result.out, "Pushed 2, pulled 0, merged 0, conflicts 0, rejected 0, skipped 0"));
  }
  /* The second brings it here, with the password from the environment. */
  {
    const char * const env[] = { env_password, NULL };
    const char * const args[] = { "--db", two, "sync", "--url", url, "--user", user, NULL };

    g_assert_cmpint (cli_runv (&result, env, args), ==, 0);
    g_assert_nonnull (strstr (result.out, "Pushed 0, pulled 2"));
  }
  leads = cli_list_json (two, NULL);
  g_assert_cmpuint (json_array_get_length (leads), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (leads, 0), "_id"), ==, id);

  /* What each knows of its sync */
  g_assert_cmpint (cli_run (&result, one, "sync", "status", "--json", NULL), ==, 0);
  status = cli_parse_json (result.out);
  object = json_node_get_object (status);
  g_assert_cmpint (json_object_get_int_member (object, "pending"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (object, "conflicts"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (object, "url"), ==, url);
  g_assert_false (json_object_get_null_member (object, "last_sync_at"));
  g_assert_true (json_object_get_null_member (object, "last_error"));

  cli_set (one, id, "notes=Called", NULL);
  g_assert_cmpint (cli_run (&result, one, "sync", "status", NULL), ==, 0);
  g_assert_nonnull (strstr (result.out, "Changes waiting to be sent: 1"));
  g_assert_nonnull (strstr (result.out, url));
}

static void
test_errors (gconstpointer data)
{
  LkTestServer *server = (LkTestServer *) data;
  g_autofree char *url = lk_test_server_new_database (server, "cli-errors");
  g_autofree char *db = cli_db_path ("errors.db");
  g_autofree char *empty = write_password_file ("empty", "");
  const char *user = lk_test_server_get_rep_user (server);
  g_autoptr(JsonNode) status = NULL;
  g_auto(CliResult) result = { 0 };
  g_autofree char *id = cli_add_lead (db, "--company", "Acme", NULL);

  g_assert_nonnull (id);
  /* A wrong password: one line that says so, exit status 1. */
  {
    const char * const env[] = { "LEADKEEPER_PASSWORD=wrong", NULL };
    const char * const args[] = { "--db", db, "sync", "--url", url, "--user", user, NULL };

    g_assert_cmpint (cli_runv (&result, env, args), ==, 1);
    g_assert_nonnull (strstr (result.err, "password"));
    g_assert_null (strstr (result.err, "wrong"));
    g_assert_null (strchr (strchr (result.err, '\n') + 1, '\n'));
    g_assert_cmpstr (result.out, ==, "");
  }
  g_assert_cmpint (cli_run (&result, db, "sync", "status", "--json", NULL), ==, 0);
  status = cli_parse_json (result.out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (status), "pending"), ==, 2);
  g_assert_nonnull (strstr (json_object_get_string_member (json_node_get_object (status), "last_error"), "password"));

  /* Plain http to another machine */
  {
    const char * const args[] = { "--db", db, "sync", "--url", "http://leadkeeper.invalid/leads", NULL };

    g_assert_cmpint (cli_runv (&result, NULL, args), ==, 1);
    g_assert_nonnull (strstr (result.err, "https"));
  }
  /* A user without a password, an empty password file, no URL, extra words */
  {
    const char * const no_password[] = { "--db", db, "sync", "--url", url, "--user", user, NULL };
    const char * const empty_file[] = { "--db", db, "sync", "--url", url, "--user", user, "--password-file", empty, NULL };
    const char * const no_url[] = { "--db", db, "sync", NULL };
    const char * const extra[] = { "--db", db, "sync", "--url", url, "now", NULL };

    g_assert_cmpint (cli_runv (&result, NULL, no_password), ==, 2);
    g_assert_nonnull (strstr (result.err, "LEADKEEPER_PASSWORD"));
    g_assert_cmpint (cli_runv (&result, NULL, empty_file), ==, 1);
    g_assert_nonnull (strstr (result.err, "empty"));
    g_assert_cmpint (cli_runv (&result, NULL, no_url), ==, 2);
    g_assert_nonnull (strstr (result.err, "--url"));
    g_assert_cmpint (cli_runv (&result, NULL, extra), ==, 2);
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

  g_test_add_data_func ("/cli/sync/two-databases", server, test_two_databases);
  g_test_add_data_func ("/cli/sync/errors", server, test_errors);

  return g_test_run ();
}
