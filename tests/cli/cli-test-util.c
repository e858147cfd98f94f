/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>

#include "cli-test-util.h"
#include "lk-search-tokenizer.h"

void
cli_result_clear (CliResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
  result->status = -1;
}

int
cli_runv (CliResult          *result,
          const char * const *env,
          const char * const *args)
{
  const char *binary = g_getenv ("LEADKEEPER_CLI");
  g_autoptr(GStrvBuilder) argv_builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  g_autofree char *command = NULL;
  int wait_status = 0;

  g_assert_nonnull (binary);
  cli_result_clear (result);

  g_strv_builder_add (argv_builder, binary);
  g_strv_builder_addv (argv_builder, (const char **) args);
  argv = g_strv_builder_end (argv_builder);

  /* The test's own folders (G_TEST_OPTION_ISOLATE_DIRS): the default
   * database of a run without --db is never the user's. */
  envp = g_environ_unsetenv (envp, "LEADKEEPER_DB");
  envp = g_environ_setenv (envp, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  envp = g_environ_setenv (envp, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  envp = g_environ_setenv (envp, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      const char *equals = strchr (env[i], '=');
      g_autofree char *name = NULL;

      g_assert_nonnull (equals);
      name = g_strndup (env[i], equals - env[i]);
      envp = g_environ_setenv (envp, name, equals + 1, TRUE);
    }

  command = g_strjoinv (" ", (char **) args);
  g_test_message ("$ leadkeeper-cli %s", command);
  g_spawn_sync (NULL, argv, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &result->out, &result->err, &wait_status, &error);
  g_assert_no_error (error);
  if (result->out[0] != '\0')
    g_test_message ("stdout:\n%s", result->out);
  if (result->err[0] != '\0')
    g_test_message ("stderr:\n%s", result->err);

  /* A crash, a critical (fatal in tests) or a sanitizer report is a
   * failure whatever the command was expected to do. */
  g_assert_true (WIFEXITED (wait_status));
  g_assert_null (strstr (result->err, "Sanitizer"));
  g_assert_null (strstr (result->err, "runtime error:"));
  g_assert_null (strstr (result->err, "-CRITICAL **"));
  g_assert_null (strstr (result->err, "-WARNING **"));
  result->status = WEXITSTATUS (wait_status);
  return result->status;
}

int
cli_run (CliResult  *result,
         const char *db,
         ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  if (db != NULL)
    {
      g_ptr_array_add (args, (gpointer) "--db");
      g_ptr_array_add (args, (gpointer) db);
    }
  va_start (ap, db);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return cli_runv (result, NULL, (const char * const *) args->pdata);
}

char *
cli_db_path (const char *name)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "cli-test", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return g_build_filename (dir, name, NULL);
}

static GPtrArray *
collect_args (const char *first,
              va_list     ap)
{
  GPtrArray *args = g_ptr_array_new ();

  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  g_ptr_array_add (args, NULL);
  return args;
}

char *
cli_add_lead (const char *db,
              ...)
{
  g_auto(CliResult) r = { 0 };
  g_autoptr(GPtrArray) args = NULL;
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(GRegex) regex = g_regex_new ("^lead:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\n$",
                                         0, 0, NULL);
  va_list ap;

  va_start (ap, db);
  args = collect_args (va_arg (ap, const char *), ap);
  va_end (ap);
  g_ptr_array_add (all, (gpointer) "--db");
  g_ptr_array_add (all, (gpointer) db);
  g_ptr_array_add (all, (gpointer) "lead");
  g_ptr_array_add (all, (gpointer) "add");
  for (guint i = 0; i < args->len; i++)
    g_ptr_array_add (all, g_ptr_array_index (args, i));

  g_assert_cmpint (cli_runv (&r, NULL, (const char * const *) all->pdata), ==, 0);
  /* Only the id, so that ID=$(leadkeeper-cli lead add …) works */
  g_assert_true (g_regex_match (regex, r.out, 0, NULL));
  return g_strstrip (g_strdup (r.out));
}

void
cli_set (const char *db,
         const char *id,
         ...)
{
  g_auto(CliResult) r = { 0 };
  g_autoptr(GPtrArray) args = NULL;
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  va_list ap;

  va_start (ap, id);
  args = collect_args (va_arg (ap, const char *), ap);
  va_end (ap);
  g_ptr_array_add (all, (gpointer) "--db");
  g_ptr_array_add (all, (gpointer) db);
  g_ptr_array_add (all, (gpointer) "lead");
  g_ptr_array_add (all, (gpointer) "set");
  g_ptr_array_add (all, (gpointer) id);
  for (guint i = 0; i < args->len; i++)
    g_ptr_array_add (all, g_ptr_array_index (args, i));
  g_assert_cmpint (cli_runv (&r, NULL, (const char * const *) all->pdata), ==, 0);
}

JsonNode *
cli_parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (json_parser_get_root (parser));
  return json_node_copy (json_parser_get_root (parser));
}

JsonObject *
cli_show_json (const char *db,
               const char *id)
{
  g_auto(CliResult) r = { 0 };
  g_autoptr(JsonNode) root = NULL;

  g_assert_cmpint (cli_run (&r, db, "lead", "show", id, "--json", NULL), ==, 0);
  root = cli_parse_json (r.out);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_node_dup_object (root);
}

JsonArray *
cli_list_json (const char *db,
               ...)
{
  g_auto(CliResult) r = { 0 };
  g_autoptr(GPtrArray) args = NULL;
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(JsonNode) root = NULL;
  va_list ap;

  va_start (ap, db);
  args = collect_args (va_arg (ap, const char *), ap);
  va_end (ap);
  g_ptr_array_add (all, (gpointer) "--db");
  g_ptr_array_add (all, (gpointer) db);
  g_ptr_array_add (all, (gpointer) "leads");
  g_ptr_array_add (all, (gpointer) "list");
  g_ptr_array_add (all, (gpointer) "--json");
  for (guint i = 0; i < args->len; i++)
    g_ptr_array_add (all, g_ptr_array_index (args, i));

  g_assert_cmpint (cli_runv (&r, NULL, (const char * const *) all->pdata), ==, 0);
  root = cli_parse_json (r.out);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  return json_node_dup_array (root);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

char *
cli_companies (JsonArray *leads)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; i < json_array_get_length (leads); i++)
    g_ptr_array_add (names, (gpointer) json_object_get_string_member (json_array_get_object_element (leads, i),
                                                                      "company"));
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return g_strjoinv ("|", (char **) names->pdata);
}

void
cli_sql_exec (const char *db,
              const char *sql)
{
  sqlite3 *conn = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db, &conn, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_true (lk_search_tokenizer_register (conn, NULL));
  if (sqlite3_exec (conn, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  g_assert_cmpint (sqlite3_close (conn), ==, SQLITE_OK);
}

gsize
cli_display_width (const char *text)
{
  gsize width = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    width += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return width;
}
