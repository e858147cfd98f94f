/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-cli"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "lk-cli-private.h"
#include "lk-server-setup.h"
#include "lk-sync-client.h"

/* `server prepare`: what the app's "Prepare server database" does, for
 * the administrator who sets up the team's CouchDB. The password never
 * comes from the command line (other users see it in the process list). */

static void
wipe_password (char *password)
{
  if (password != NULL)
    {
      memset (password, 0, strlen (password));
      g_free (password);
    }
}

/* The first line of @text, without its end of line */
static char *
first_line (const char *text)
{
  return g_strndup (text, strcspn (text, "\r\n"));
}

static char *
ask_password (const char *user,
              GError    **error)
{
  struct termios saved;
  struct termios quiet;
  char buffer[1024];
  gboolean read_ok;

  g_printerr (_("Password for “%s”: "), user);
  if (tcgetattr (STDIN_FILENO, &saved) != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not read the password from the terminal"));
      return NULL;
    }
  quiet = saved;
  quiet.c_lflag &= ~(tcflag_t) ECHO;
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
  read_ok = fgets (buffer, sizeof buffer, stdin) != NULL;
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
  g_printerr ("\n");
  if (!read_ok)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not read the password from the terminal"));
      return NULL;
    }
  {
    char *password = first_line (buffer);

    memset (buffer, 0, sizeof buffer);
    return password;
  }
}

/**
 * lk_cli_read_password:
 * @password_file: (nullable): --password-file: a file whose first line is
 *   the password, or "-" for standard input
 *
 * The password of @user: from @password_file, else $LEADKEEPER_PASSWORD,
 * else asked for on the terminal. Wipe it when done.
 */
char *
lk_cli_read_password (const char  *password_file,
                      const char  *user,
                      GError     **error)
{
  const char *env = g_getenv ("LEADKEEPER_PASSWORD");
  char *password = NULL;

  if (password_file != NULL)
    {
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_str_equal (password_file, "-"))
        {
          g_autoptr(GIOChannel) channel = g_io_channel_unix_new (STDIN_FILENO);

          if (g_io_channel_read_to_end (channel, &contents, &length, NULL) != G_IO_STATUS_NORMAL)
            {
              g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                                   _("Could not read the password from standard input"));
              return NULL;
            }
        }
      else if (!g_file_get_contents (password_file, &contents, &length, error))
        {
          g_prefix_error (error, _("Could not read the password file: "));
          return NULL;
        }
      password = first_line (contents);
      memset (contents, 0, length);
    }
  else if (env != NULL)
    password = g_strdup (env);
  else if (isatty (STDIN_FILENO))
    password = ask_password (user, error);
  else
    {
      lk_cli_usage_error (error, _("Give the password with --password-file FILE or in LEADKEEPER_PASSWORD (never on the command line)"));
      return NULL;
    }

  if (password != NULL && password[0] == '\0')
    {
      wipe_password (password);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           password_file ? _("The password file is empty: its first line must be the password")
                                         : _("The password is empty"));
      return NULL;
    }
  return password;
}

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
prepared_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

gboolean
lk_cli_server_prepare (LkCli   *cli,
                       GStrv    args,
                       GError **error)
{
  g_autofree char *url = NULL;
  g_autofree char *admin = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *epoch = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  Wait wait = { 0 };
  gboolean allow_insecure = FALSE;
  LkServerSetupChanges changes = 0;
  char *password;
  const GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, N_("The database, as https://crm.example.com:6984/leads"), N_("URL") },
    { "admin", 0, 0, G_OPTION_ARG_STRING, &admin, N_("The user name of a server administrator"), N_("USER") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("Read the password from the first line of FILE (“-”: standard input)"), N_("FILE") },
    { "allow-insecure", 0, 0, G_OPTION_ARG_NONE, &allow_insecure,
      N_("Allow plain http to a server on another machine (the password travels unencrypted)"), NULL },
    { NULL }
  };

  if (!lk_cli_parse_options (cli, entries,
                             _("Creates the database when it is missing, its epoch marker, who may use it (members: role “leadkeeper”; administrators: role “manager”) and the design document that checks every lead written to it. Running it again keeps what is there: it adds only what is missing and replaces an outdated design document.\n\nThe password is read from --password-file, else from LEADKEEPER_PASSWORD, else asked for on the terminal; never from the command line."),
                             &args, 0, 0, error))
    return FALSE;
  if (url == NULL || url[0] == '\0')
    {
      lk_cli_usage_error (error, _("“%s” needs --url, the address of the database"), cli->command->name);
      return FALSE;
    }
  if (admin == NULL || admin[0] == '\0')
    {
      lk_cli_usage_error (error, _("“%s” needs --admin, the user name of a server administrator"), cli->command->name);
      return FALSE;
    }
  password = lk_cli_read_password (password_file, admin, error);
  if (password == NULL)
    return FALSE;

  loop = g_main_loop_new (NULL, FALSE);
  wait.loop = loop;
  lk_server_setup_prepare_async (url, admin, password, allow_insecure, NULL, prepared_cb, &wait);
  wipe_password (password);
  g_main_loop_run (loop);
  result = g_steal_pointer (&wait.result);
  if (!lk_server_setup_prepare_finish_full (result, &changes, &epoch, error))
    return FALSE;

  if (changes & LK_SERVER_SETUP_CREATED_DATABASE)
    g_print (_("Created the database %s"), url);
  else
    g_print (_("The database %s exists"), url);
  g_print ("\n");
  if (changes & LK_SERVER_SETUP_WROTE_EPOCH)
    g_print (_("Wrote its epoch marker %s"), epoch);
  else
    g_print (_("Kept its epoch marker %s"), epoch);
  g_print ("\n");
  if (changes & LK_SERVER_SETUP_WROTE_SECURITY)
    g_print ("%s", _("Let the role “leadkeeper” use it and the role “manager” administer it"));
  else
    g_print ("%s", _("The roles “leadkeeper” (members) and “manager” (administrators) were already set"));
  g_print ("\n");
  if (changes & LK_SERVER_SETUP_WROTE_DESIGN)
    g_print ("%s", _("Installed its validation rules (_design/leadkeeper)"));
  else
    g_print ("%s", _("Its validation rules (_design/leadkeeper) are up to date"));
  g_print ("\n");
  return TRUE;
}
