/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-cli"

#include <glib/gi18n-lib.h>
#include <glib-unix.h>
#include <signal.h>
#include <string.h>

#include "lk-cli-private.h"
#include "lk-error.h"
#include "lk-store-sync.h"
#include "lk-sync-client.h"

/* sync | sync status. One run against a CouchDB database (or, with
 * --live, runs until interrupted), and what this database knows of its
 * sync. The password never comes from the command line, where other
 * users could read it: from a file, or from $LEADKEEPER_PASSWORD. */

typedef struct
{
  LkSyncClient *client;
  GMainLoop    *loop;
  GError       *error;
  guint         runs;
  gboolean      live;
} SyncRun;

static char *
summary (const LkSyncReport *report)
{
  return g_strdup_printf (_("Pushed %u, pulled %u, merged %u, conflicts %u, rejected %u, skipped %u"),
                          report->pushed, report->pulled, report->merged, report->conflicts,
                          report->rejected, report->skipped);
}

static void
print_report (const LkSyncReport *report)
{
  g_autofree char *line = summary (report);

  g_print ("%s\n", line);
  if (report->conflicts > 0)
    g_print ("%s\n", _("Conflicts wait for a decision on the Conflicts page of Leadkeeper."));
  if (report->rejected > 0)
    g_print ("%s\n", _("The server refused some changes; they are kept here and not sent again until edited. “sync status” shows how many."));
  if (report->skipped > 0)
    g_print ("%s\n", _("Some documents on the server could not be read and were skipped; the log says why."));
}

/* Errors that another run would only repeat. */
static gboolean
is_fatal (const GError *error)
{
  return error->domain != LK_SYNC_ERROR ||
         (error->code != LK_SYNC_ERROR_OFFLINE && error->code != LK_SYNC_ERROR_SERVER);
}

static void
finished_cb (LkSyncClient       *client,
             const LkSyncReport *report,
             const GError       *error,
             SyncRun            *run)
{
  g_autofree char *now = NULL;
  g_autoptr(GDateTime) time = NULL;

  run->runs++;
  if (!run->live)
    return;
  time = g_date_time_new_now_local ();
  now = g_date_time_format (time, "%H:%M:%S");
  if (error != NULL)
    {
      g_printerr ("%s %s: %s\n", now, LK_CLI_PROGRAM, error->message);
      if (is_fatal (error) && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (&run->error);
          run->error = g_error_copy (error);
          g_main_loop_quit (run->loop);
        }
      return;
    }
  if (report->pushed + report->pulled + report->conflicts + report->rejected + report->skipped > 0)
    {
      g_autofree char *line = summary (report);

      g_print ("%s %s\n", now, line);
    }
}

static void
ran_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  SyncRun *run = user_data;
  LkSyncReport report = { 0 };

  if (lk_sync_client_run_finish (LK_SYNC_CLIENT (source), result, &report, &run->error))
    print_report (&report);
  g_main_loop_quit (run->loop);
}

static gboolean
interrupted_cb (gpointer data)
{
  SyncRun *run = data;

  lk_sync_client_stop_live (run->client);
  g_main_loop_quit (run->loop);
  return G_SOURCE_CONTINUE;
}

static char *
read_password (const char  *file,
               GError     **error)
{
  g_autofree char *contents = NULL;
  const char *env;

  if (file != NULL)
    {
      gsize length = 0;

      if (!g_file_get_contents (file, &contents, &length, error))
        return NULL;
      /* The first line; a newline at its end is not part of it. */
      contents[strcspn (contents, "\r\n")] = '\0';
      if (contents[0] == '\0')
        {
          g_set_error (error, LK_ERROR, LK_ERROR_INVALID, _("The password file “%s” is empty"), file);
          return NULL;
        }
      return g_steal_pointer (&contents);
    }
  env = g_getenv ("LEADKEEPER_PASSWORD");
  return g_strdup (env);
}

gboolean
lk_cli_sync (LkCli   *cli,
             GStrv    args,
             GError **error)
{
  g_autofree char *url = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *password = NULL;
  gboolean live = FALSE;
  gboolean allow_insecure = FALSE;
  const GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, N_("The CouchDB database to sync with"), N_("URL") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("The user name on the server"), N_("NAME") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("Read the password from the first line of FILE (else from $LEADKEEPER_PASSWORD)"), N_("FILE") },
    { "live", 0, 0, G_OPTION_ARG_NONE, &live, N_("Keep syncing as changes happen, until interrupted"), NULL },
    { "allow-insecure", 0, 0, G_OPTION_ARG_NONE, &allow_insecure,
      N_("Allow an unencrypted (http) connection to a server that is not this computer"), NULL },
    { NULL }
  };
  SyncRun run = { 0 };
  g_autoptr(LkSyncClient) client = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  LkContext *context;
  guint sigint = 0, sigterm = 0;
  gulong finished = 0;

  if (!lk_cli_parse_options (cli, entries,
                             _("Sends this database’s changes to the server and brings the server’s changes here, merging edits made on both sides. The password is read from --password-file or $LEADKEEPER_PASSWORD, never from the command line."),
                             &args, 0, 0, error))
    return FALSE;
  if (url == NULL || url[0] == '\0')
    {
      lk_cli_usage_error (error, _("“sync” needs the database’s address: --url URL"));
      return FALSE;
    }
  password = read_password (password_file, error);
  if (password_file != NULL && password == NULL)
    return FALSE;
  if (user != NULL && password == NULL)
    {
      lk_cli_usage_error (error, _("Give the password of “%s” with --password-file FILE or in $LEADKEEPER_PASSWORD"), user);
      return FALSE;
    }

  context = lk_cli_open (cli, error);
  if (context == NULL)
    return FALSE;

  client = lk_sync_client_new (lk_context_get_store (context));
  lk_sync_client_set_url (client, url);
  lk_sync_client_set_user (client, user);
  lk_sync_client_set_password (client, password);
  lk_sync_client_set_allow_insecure (client, allow_insecure);
  if (password != NULL)
    memset (password, 0, strlen (password));

  loop = g_main_loop_new (NULL, FALSE);
  run.client = client;
  run.loop = loop;
  run.live = live;
  finished = g_signal_connect (client, "finished", G_CALLBACK (finished_cb), &run);
  if (live)
    {
      sigint = g_unix_signal_add (SIGINT, interrupted_cb, &run);
      sigterm = g_unix_signal_add (SIGTERM, interrupted_cb, &run);
      lk_sync_client_start_live (client);
    }
  else
    lk_sync_client_run_async (client, NULL, ran_cb, &run);
  g_main_loop_run (loop);

  g_clear_handle_id (&sigint, g_source_remove);
  g_clear_handle_id (&sigterm, g_source_remove);
  g_clear_signal_handler (&finished, client);
  lk_sync_client_stop_live (client);
  /* A run interrupted in live mode ends before the client goes. */
  while (lk_sync_client_get_state (client) == LK_SYNC_STATE_SYNCING)
    g_main_context_iteration (NULL, TRUE);

  if (run.error != NULL)
    {
      g_propagate_error (error, run.error);
      return FALSE;
    }
  /* What a first pull leaves to the background (the indexes of a bulk
   * load, the search rows) is done before the command ends, beside the
   * client's own background work, which it may meet half-way. */
  return lk_store_catch_up_search (lk_context_get_store (context), 0, NULL, error);
}

static JsonNode *
status_json (gint64        pending,
             gint64        rejected,
             gint64        conflicts,
             LkSyncRemote *remote)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "pending");
  json_builder_add_int_value (builder, pending);
  json_builder_set_member_name (builder, "rejected");
  json_builder_add_int_value (builder, rejected);
  json_builder_set_member_name (builder, "conflicts");
  json_builder_add_int_value (builder, conflicts);
  json_builder_set_member_name (builder, "url");
  if (remote != NULL)
    json_builder_add_string_value (builder, remote->remote);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "last_sync_at");
  if (remote != NULL && MAX (remote->last_pull_at, remote->last_push_at) > 0)
    json_builder_add_int_value (builder, MAX (remote->last_pull_at, remote->last_push_at));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "last_error");
  if (remote != NULL && remote->last_error != NULL)
    json_builder_add_string_value (builder, remote->last_error);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

gboolean
lk_cli_sync_status (LkCli   *cli,
                    GStrv    args,
                    GError **error)
{
  g_autofree char *url = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, N_("The server database to report on (else the last one synced)"), N_("URL") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) remotes = NULL;
  g_autoptr(LkSyncRemote) chosen = NULL;
  LkSyncRemote *remote = NULL;
  LkStore *store;
  gint64 pending, rejected, conflicts;

  if (!lk_cli_parse_options (cli, entries,
                             _("Shows the changes waiting to be sent, the conflicts waiting for a decision, and the last sync with the server."),
                             &args, 0, 0, error))
    return FALSE;
  store = lk_cli_open_store (cli, error);
  if (store == NULL)
    return FALSE;

  pending = lk_store_count_outbox (store, error);
  rejected = pending >= 0 ? lk_store_count_rejected (store, error) : -1;
  conflicts = rejected >= 0 ? lk_store_count_conflicts (store, error) : -1;
  if (conflicts < 0)
    return FALSE;
  if (url != NULL)
    {
      g_autofree char *normal = g_strdup (url);

      while (normal[0] != '\0' && normal[strlen (normal) - 1] == '/')
        normal[strlen (normal) - 1] = '\0';
      chosen = lk_store_get_sync_remote (store, normal, error);
      if (chosen == NULL)
        return FALSE;
      remote = chosen;
    }
  else
    {
      remotes = lk_store_list_sync_remotes (store, error);
      if (remotes == NULL)
        return FALSE;
      if (remotes->len > 0)
        remote = g_ptr_array_index (remotes, 0);
    }

  if (json)
    {
      g_autoptr(JsonNode) node = status_json (pending, rejected, conflicts, remote);

      lk_cli_print_json (node);
      return TRUE;
    }
  g_print (_("Changes waiting to be sent: %d\n"), (int) pending);
  if (rejected > 0)
    g_print (_("Refused by the server: %d\n"), (int) rejected);
  g_print (_("Conflicts waiting for a decision: %d\n"), (int) conflicts);
  if (remote == NULL)
    {
      g_print ("%s\n", _("Never synced."));
      return TRUE;
    }
  g_print (_("Server: %s\n"), remote->remote);
  if (MAX (remote->last_pull_at, remote->last_push_at) > 0)
    {
      g_autofree char *when = lk_cli_format_time (cli, MAX (remote->last_pull_at, remote->last_push_at));

      g_print (_("Last sync: %s\n"), when);
    }
  else
    g_print ("%s\n", _("Last sync: never"));
  if (remote->last_error != NULL)
    g_print (_("Last error: %s\n"), remote->last_error);
  return TRUE;
}
