/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-cli"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "lk-cli.h"
#include "lk-cli-private.h"
#include "lk-error.h"
#include "lk-utils.h"

/* leadkeeper-cli: the core without a window, for admins, cron jobs and
 * tests. `leadkeeper-cli [--db PATH] COMMAND [OPTION…]`; each command
 * parses its own options (so --db may also follow the command), opens
 * the database only once its arguments are known to be right, and
 * returns an error the dispatcher prints as "leadkeeper-cli: <message>".
 * Exit statuses are part of the interface: 0 done, 1 bad data or a
 * refused change, 2 wrong usage. */

static const LkCliCommand commands[] = {
  { "lead add",    "",                     N_("Add a lead and print its id"),                   lk_cli_lead_add },
  { "lead move",   N_("ID STAGE"),         N_("Move a lead to another stage"),                  lk_cli_lead_move },
  { "lead show",   N_("ID"),               N_("Show a lead, its stage history and follow-ups"), lk_cli_lead_show },
  { "lead set",    N_("ID FIELD=VALUE…"),  N_("Change fields of a lead"),                       lk_cli_lead_set },
  { "lead delete", N_("ID"),               N_("Delete a lead"),                                 lk_cli_lead_delete },
  { "leads list",  "",                     N_("List the leads that match filters"),             lk_cli_leads_list },
  { "stats",       "",                     N_("Count and add up the leads of each stage"),      lk_cli_stats },
  { "report",      "",                     N_("Print the dashboard’s report for a period, or write it as a PDF"), lk_cli_report },
  { "check",       "",                     N_("Check the database for damage"),                 lk_cli_check },
  { "demo",        "",                     N_("Add sample leads with their history"),           lk_cli_demo },
  { "config",      N_("[KEY [VALUE]]"),    N_("Show or change this desktop’s settings"),        lk_cli_config },
  { "server prepare", "",                  N_("Create or update the team’s database on a CouchDB server"), lk_cli_server_prepare },
  /* "import undo" before "import": the longer name is matched first. */
  { "import undo", N_("[ID]"),             N_("Undo an import (the last one by default)"),      lk_cli_import_undo },
  { "import",      N_("FILE"),             N_("Import leads from a CSV or vCard file"),         lk_cli_import },
  { "export",      "",                     N_("Export leads as CSV, JSON or vCard"),            lk_cli_export },
  /* "sync status" before "sync": the longer name is matched first. */
  { "sync status", "",                     N_("Show the changes waiting to be synced and the last sync"), lk_cli_sync_status },
  { "sync",        "",                     N_("Sync with the team’s CouchDB database"),        lk_cli_sync },
  { "followup add", N_("ID"),              N_("Log a follow-up on a lead"),                     lk_cli_followup_add },
  { "event add",   N_("ID TYPE"),          N_("Record a behaviour event on a lead"),            lk_cli_event_add },
  { "agenda",      "",                     N_("List follow-ups: overdue, today, upcoming, not planned"), lk_cli_agenda },
  { "assign",      N_("[ID…]"),            N_("Assign the pool’s leads, or those named, by the rules"), lk_cli_assign },
  { "claim",       N_("ID"),               N_("Take a lead from the pool"),                     lk_cli_claim },
  { "maintain",    "",                     N_("Return uncontacted leads to the pool; flag unclaimed ones"), lk_cli_maintain },
  { "rules",       N_("[NAME [FILE]]"),    N_("Show or change the follow-up, scoring, assignment and pool rules"), lk_cli_rules },
  { "dedup",       "",                     N_("List the groups of duplicate leads"),            lk_cli_dedup },
  { "merge",       N_("PRIMARY OTHER…"),   N_("Merge duplicate leads into one"),                lk_cli_merge },
  { "unmerge",     N_("MERGE"),            N_("Undo a merge"),                                  lk_cli_unmerge },
};

/* Words that only group commands: "lead" in "lead add". */
static const char * const groups[] = { "lead", "leads", "server", "followup", "event", NULL };

static void
append_commands (GString    *out,
                 const char *group)
{
  gsize width = 0;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    width = MAX (width, strlen (commands[i].name));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      const char *name = commands[i].name;

      if (group != NULL && !(g_str_has_prefix (name, group) && name[strlen (group)] == ' '))
        continue;
      g_string_append_printf (out, "  %-*s  %s\n", (int) width, name, _(commands[i].summary));
    }
}

static char *
general_help (const char *group)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *default_db = lk_context_default_db_path ();

  g_string_append_printf (out, "%s\n  %s [--db %s] %s %s\n\n",
                          _("Usage:"), LK_CLI_PROGRAM, _("PATH"),
                          group ? group : _("COMMAND"), group ? _("COMMAND") : _("[OPTION…]"));
  if (group == NULL)
    g_string_append_printf (out, "%s\n\n", _("Manage the leads of a Leadkeeper database from the command line."));
  g_string_append_printf (out, "%s\n", _("Commands:"));
  append_commands (out, group);
  g_string_append_printf (out, "\n%s\n", _("Options:"));
  g_string_append_printf (out, "  --db=%-9s %s\n", _("PATH"), _("The database to use"));
  g_string_append_printf (out, "  %-14s %s\n", "--version", _("Show the version"));
  g_string_append_printf (out, "  %-14s %s\n\n", "-h, --help", _("Show this help"));
  g_string_append_printf (out, _("Without --db, the database is $LEADKEEPER_DB, else %s."), default_db);
  g_string_append_c (out, '\n');
  g_string_append_printf (out, _("Run “%s COMMAND --help” for the options of a command."), LK_CLI_PROGRAM);
  g_string_append_c (out, '\n');
  g_string_append_printf (out, "%s\n",
                          _("Exit status: 0 on success, 1 when the data is invalid or a change is refused, 2 on wrong usage."));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
lk_cli_usage_error (GError     **error,
                    const char  *format,
                    ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, message);
}

void
lk_cli_warn (const char *format,
             ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("%s: %s\n", LK_CLI_PROGRAM, message);
}

/* JSON is UTF-8 by definition: written as it is, whatever the locale's
 * charset (g_print() would convert it for the terminal). */
void
lk_cli_print_json (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, TRUE);

  fputs (text, stdout);
  fputc ('\n', stdout);
}

/* Checks the number of positional arguments (after the command's name). */
static gboolean
check_n_args (LkCli    *cli,
              GStrv     args,
              guint     min,
              guint     max,
              GError  **error)
{
  guint n = g_strv_length (args) - 1;

  if (n < min)
    {
      lk_cli_usage_error (error, _("“%s” needs %s"), cli->command->name, _(cli->command->params));
      return FALSE;
    }
  if (n > max)
    {
      lk_cli_usage_error (error, _("“%s” does not take the argument “%s”"),
                          cli->command->name, args[max + 1]);
      return FALSE;
    }
  return TRUE;
}

/**
 * lk_cli_parse_options:
 * @entries: (nullable): the command's own options
 * @description: (nullable): text shown at the end of --help
 * @args: (inout): the command's name, then its arguments; the positional
 *   arguments are left, after the name
 * @min_args: how many positional arguments the command needs
 * @max_args: how many it takes at most (%G_MAXUINT: any number)
 *
 * Parses a command's options plus the common ones (--db, --help), then
 * checks the number of positional arguments. After --help, prints the
 * help, sets @cli->help_shown and returns %FALSE without an error: the
 * command returns %FALSE at once, and the dispatcher exits with 0.
 *
 * Returns: %TRUE when the command is to run
 */
gboolean
lk_cli_parse_options (LkCli               *cli,
                      const GOptionEntry  *entries,
                      const char          *description,
                      GStrv               *args,
                      guint                min_args,
                      guint                max_args,
                      GError             **error)
{
  g_autofree char *db = NULL;
  gboolean help = FALSE;
  const GOptionEntry common[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The database to use"), N_("PATH") },
    { "help", 'h', 0, G_OPTION_ARG_NONE, &help, N_("Show this help"), NULL },
    { NULL }
  };
  const LkCliCommand *command = cli->command;
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *parameters = NULL;
  GStrv argv = *args;

  parameters = command->params[0] != '\0' ? g_strdup_printf ("%s %s", command->name, _(command->params))
                                          : g_strdup (command->name);
  context = g_option_context_new (parameters);
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _(command->summary));
  if (description != NULL)
    g_option_context_set_description (context, description);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, common, GETTEXT_PACKAGE);

  if (!g_option_context_parse_strv (context, args, error))
    return FALSE;
  g_assert (*args == argv);

  if (db != NULL && db[0] == '\0')
    {
      lk_cli_usage_error (error, _("--db needs the path of a database"));
      return FALSE;
    }
  if (db != NULL)
    lk_set_str (&cli->db_path, db);
  if (help)
    {
      g_autofree char *text = g_option_context_get_help (context, TRUE, NULL);

      g_print ("%s", text);
      cli->help_shown = TRUE;
      return FALSE;
    }

  /* "--" ends the options and is not an argument itself. */
  for (guint i = 1; argv[i] != NULL; i++)
    if (g_str_equal (argv[i], "--"))
      {
        g_free (argv[i]);
        memmove (&argv[i], &argv[i + 1], (g_strv_length (&argv[i + 1]) + 1) * sizeof (char *));
        break;
      }
  return check_n_args (cli, argv, min_args, max_args, error);
}

static const char *
database_path (LkCli *cli)
{
  const char *env;

  if (cli->db_path != NULL)
    return cli->db_path;
  env = g_getenv ("LEADKEEPER_DB");
  if (env != NULL && env[0] != '\0')
    return env;
  return NULL;
}

/**
 * lk_cli_open:
 *
 * Opens (creating it when missing) the database of --db, else
 * $LEADKEEPER_DB, else the app's. A database of a newer Leadkeeper is
 * refused by the core without a byte written.
 *
 * Returns: (transfer none): the context
 */
LkContext *
lk_cli_open (LkCli   *cli,
             GError **error)
{
  if (cli->context == NULL)
    cli->context = lk_context_new (database_path (cli), NULL, error);
  return cli->context;
}

/* Opens an existing database only: reading from a mistyped path would
 * create an empty database there and report nothing. */
LkStore *
lk_cli_open_store (LkCli   *cli,
                   GError **error)
{
  g_autofree char *default_path = NULL;
  const char *path = database_path (cli);

  if (cli->context == NULL)
    {
      if (path == NULL)
        path = default_path = lk_context_default_db_path ();
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, LK_ERROR, LK_ERROR_NOT_FOUND,
                       _("There is no database “%s”. Give its path with --db or LEADKEEPER_DB, or create it with “%s lead add” or “%s demo”"),
                       path, LK_CLI_PROGRAM, LK_CLI_PROGRAM);
          return NULL;
        }
    }
  if (lk_cli_open (cli, error) == NULL)
    return NULL;
  return lk_context_get_store (cli->context);
}

/* "lilei" → "user:lilei"; "" → %NULL (the pool) */
char *
lk_cli_user_id (const char *name)
{
  if (name == NULL || name[0] == '\0' || g_str_equal (name, "null"))
    return NULL;
  return lk_user_id_for_name (name);
}

/* The name to show for a user id: the team member's display name, or the
 * id without "user:" for someone this database does not know. */
const char *
lk_cli_user_name (LkCli      *cli,
                  const char *user_id)
{
  const char *name;

  if (user_id == NULL)
    return "";
  if (cli->user_names == NULL)
    {
      g_autoptr(GPtrArray) users = NULL;

      cli->user_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      if (cli->context != NULL)
        users = lk_store_list_users (lk_context_get_store (cli->context), NULL);
      for (guint i = 0; users != NULL && i < users->len; i++)
        {
          LkUser *user = g_ptr_array_index (users, i);

          g_hash_table_insert (cli->user_names,
                               g_strdup (lk_record_get_id (LK_RECORD (user))),
                               g_strdup (lk_user_get_display_name (user)));
        }
    }
  name = g_hash_table_lookup (cli->user_names, user_id);
  if (name != NULL)
    return name;
  return lk_user_id_get_name (user_id);
}

static const LkCliCommand *
find_command (const char * const *words,
              guint              *n_words)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      const char *name = commands[i].name;
      const char *space = strchr (name, ' ');

      if (space == NULL && g_str_equal (name, words[0]))
        {
          *n_words = 1;
          return &commands[i];
        }
      if (space != NULL && words[1] != NULL &&
          strncmp (name, words[0], space - name) == 0 && words[0][space - name] == '\0' &&
          g_str_equal (space + 1, words[1]))
        {
          *n_words = 2;
          return &commands[i];
        }
    }
  return NULL;
}

static char *
group_commands (const char *group)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gsize len = strlen (group);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_has_prefix (commands[i].name, group) && commands[i].name[len] == ' ')
      {
        if (out->len > 0)
          g_string_append (out, ", ");
        g_string_append (out, commands[i].name + len + 1);
      }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
is_help (const char *arg)
{
  return arg != NULL && (g_str_equal (arg, "--help") || g_str_equal (arg, "-h"));
}

/* Arguments as UTF-8: text in another locale charset is converted; what
 * cannot be converted (a file name in another encoding) is kept as is. */
static GStrv
utf8_arguments (int    argc,
                char **argv)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (int i = 1; i < argc; i++)
    {
      g_autofree char *converted = NULL;

      if (!g_utf8_validate (argv[i], -1, NULL))
        converted = g_locale_to_utf8 (argv[i], -1, NULL, NULL, NULL);
      g_strv_builder_add (builder, converted ? converted : argv[i]);
    }
  return g_strv_builder_end (builder);
}

static int
report (const LkCliCommand *command,
        const GError       *error)
{
  g_printerr ("%s: %s\n", LK_CLI_PROGRAM, error->message);
  if (error->domain != G_OPTION_ERROR)
    return LK_CLI_EXIT_DATA;
  if (command != NULL)
    {
      g_autofree char *full = g_strconcat (LK_CLI_PROGRAM, " ", command->name, NULL);

      g_printerr (_("Try “%s --help” for more information."), full);
    }
  else
    g_printerr (_("Try “%s --help” for more information."), LK_CLI_PROGRAM);
  g_printerr ("\n");
  return LK_CLI_EXIT_USAGE;
}

static void
lk_cli_clear (LkCli *cli)
{
  g_clear_pointer (&cli->db_path, g_free);
  g_clear_pointer (&cli->user_names, g_hash_table_unref);
  g_clear_object (&cli->context);
}

static void
setup_locale (void)
{
  const char *localedir = g_getenv ("LEADKEEPER_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
}

static int
run (LkCli *cli,
     GStrv  args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) command_args = NULL;
  const LkCliCommand *command;
  gboolean help = FALSE;
  guint n_words = 0;
  guint i;

  /* Options before the command */
  for (i = 0; args[i] != NULL && args[i][0] == '-'; i++)
    {
      const char *arg = args[i];

      if (g_str_equal (arg, "--"))
        {
          i++;
          break;
        }
      else if (g_str_equal (arg, "--db"))
        {
          if (args[i + 1] == NULL)
            {
              lk_cli_usage_error (&error, _("Missing argument for %s"), arg);
              return report (NULL, error);
            }
          lk_set_str (&cli->db_path, args[++i]);
        }
      else if (g_str_has_prefix (arg, "--db="))
        lk_set_str (&cli->db_path, arg + strlen ("--db="));
      else if (g_str_equal (arg, "--version"))
        {
          g_print ("%s %s\n", LK_CLI_PROGRAM, PACKAGE_VERSION);
          return LK_CLI_EXIT_OK;
        }
      else if (is_help (arg))
        help = TRUE;
      else
        {
          lk_cli_usage_error (&error, _("Unknown option %s"), arg);
          return report (NULL, error);
        }
    }

  if (cli->db_path != NULL && cli->db_path[0] == '\0')
    {
      lk_cli_usage_error (&error, _("--db needs the path of a database"));
      return report (NULL, error);
    }

  /* "help [COMMAND]" is "[COMMAND] --help" */
  if (args[i] != NULL && g_str_equal (args[i], "help"))
    {
      help = TRUE;
      i++;
    }

  if (args[i] == NULL)
    {
      g_autofree char *text = general_help (NULL);

      if (help)
        {
          g_print ("%s", text);
          return LK_CLI_EXIT_OK;
        }
      g_printerr ("%s", text);
      return LK_CLI_EXIT_USAGE;
    }

  command = find_command ((const char * const *) &args[i], &n_words);
  if (command == NULL)
    {
      if (g_strv_contains (groups, args[i]))
        {
          g_autofree char *names = group_commands (args[i]);

          if (help || is_help (args[i + 1]))
            {
              g_autofree char *text = general_help (args[i]);

              g_print ("%s", text);
              return LK_CLI_EXIT_OK;
            }
          if (args[i + 1] == NULL || args[i + 1][0] == '-')
            lk_cli_usage_error (&error, _("“%s” needs a command: %s"), args[i], names);
          else
            lk_cli_usage_error (&error, _("“%s %s” is not a command. The %s commands are: %s"),
                                args[i], args[i + 1], args[i], names);
        }
      else
        lk_cli_usage_error (&error, _("“%s” is not a command"), args[i]);
      return report (NULL, error);
    }

  builder = g_strv_builder_new ();
  g_strv_builder_add (builder, command->name);
  for (guint j = i + n_words; args[j] != NULL; j++)
    g_strv_builder_add (builder, args[j]);
  if (help)
    g_strv_builder_add (builder, "--help");
  command_args = g_strv_builder_end (builder);

  cli->command = command;
  if (command->run (cli, command_args, &error) || cli->help_shown)
    return LK_CLI_EXIT_OK;
  return error != NULL ? report (command, error) : LK_CLI_EXIT_DATA;
}

int
lk_cli_run (int    argc,
            char **argv)
{
  LkCli cli = { 0 };
  g_auto(GStrv) args = NULL;
  int status;

  setup_locale ();
  g_set_prgname (LK_CLI_PROGRAM);

  args = utf8_arguments (argc, argv);
  status = run (&cli, args);
  lk_cli_clear (&cli);

  fflush (stdout);
  if (ferror (stdout))
    {
      g_printerr ("%s: %s\n", LK_CLI_PROGRAM, _("Could not write the output"));
      return LK_CLI_EXIT_DATA;
    }
  return status;
}
