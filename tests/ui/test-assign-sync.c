/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>

#include "leads/lk-assign-actions.h"
#include "lk-context.h"
#include "lk-store-sync.h"
#include "lk-sync-client.h"
#include "lk-test-server.h"
#include "sync/lk-assign-notifier.h"

/* What sync brings a rep about their leads, end to end against a real
 * CouchDB peer (pouchdb-server, tests/server): a lead a manager assigned
 * to them on another desktop (a GNotification), and a pool claim they
 * lost to a colleague who synced first (a message for a toast). */

#define SECOND_REP          "wangfang"
#define SECOND_REP_PASSWORD "wangfang-secret"

static LkTestServer *server;

typedef struct
{
  char             *dir;
  LkContext        *context;
  LkSyncClient     *client;
  LkAssignNotifier *notifier;
  LkAssignActions  *actions;
  GPtrArray        *messages;       /* what the notifier said */
  GPtrArray        *notifications;  /* their ids */
  GPtrArray        *action_messages;
} Desk;

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
message_cb (GObject    *source,
            const char *text,
            GPtrArray  *messages)
{
  g_ptr_array_add (messages, g_strdup (text));
}

static void
notification_cb (LkAssignNotifier *notifier,
                 const char       *id,
                 GNotification    *notification,
                 Desk             *desk)
{
  g_ptr_array_add (desk->notifications, g_strdup (id));
}

static Desk *
desk_new (const char *url,
          const char *user,
          const char *password)
{
  Desk *desk = g_new0 (Desk, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *user_id = g_strconcat ("user:", user, NULL);

  desk->dir = g_dir_make_tmp ("lk-assign-sync-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (desk->dir, "test.db", NULL);
  desk->context = lk_context_new (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (lk_context_set_user_id (desk->context, user_id, &error));
  desk->client = lk_sync_client_new (lk_context_get_store (desk->context));
  lk_sync_client_set_url (desk->client, url);
  lk_sync_client_set_user (desk->client, user);
  lk_sync_client_set_password (desk->client, password);
  desk->messages = g_ptr_array_new_with_free_func (g_free);
  desk->notifications = g_ptr_array_new_with_free_func (g_free);
  desk->action_messages = g_ptr_array_new_with_free_func (g_free);
  desk->notifier = lk_assign_notifier_new (desk->context, desk->client);
  g_signal_connect (desk->notifier, "message", G_CALLBACK (message_cb), desk->messages);
  g_signal_connect (desk->notifier, "notification", G_CALLBACK (notification_cb), desk);
  desk->actions = lk_assign_actions_new (desk->context, NULL);
  g_signal_connect (desk->actions, "message", G_CALLBACK (message_cb), desk->action_messages);
  return desk;
}

static void
desk_free (Desk *desk)
{
  g_autofree char *db = g_build_filename (desk->dir, "test.db", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);

  g_clear_object (&desk->actions);
  g_clear_object (&desk->notifier);
  g_clear_object (&desk->client);
  g_clear_object (&desk->context);
  iterate ();
  g_ptr_array_unref (desk->messages);
  g_ptr_array_unref (desk->notifications);
  g_ptr_array_unref (desk->action_messages);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (db);
  g_rmdir (desk->dir);
  g_free (desk->dir);
  g_free (desk);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Desk, desk_free)

static void
desk_sync (Desk *desk)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  LkSyncReport report = { 0 };

  lk_sync_client_run_async (desk->client, NULL, lk_test_async_result_cb, &result);
  lk_test_wait_async (&result);
  lk_sync_client_run_finish (desk->client, result, &report, &error);
  g_assert_no_error (error);
  iterate ();
}

static LkStore *
store_of (Desk *desk)
{
  return lk_context_get_store (desk->context);
}

static char *
owner_of (Desk       *desk,
          const char *id)
{
  g_autoptr(LkLead) lead = lk_store_get_lead (store_of (desk), id, NULL);

  g_assert_nonnull (lead);
  return g_strdup (lk_lead_get_owner (lead));
}

static void
add_member (Desk       *desk,
            const char *name,
            const char *display_name,
            const char *role)
{
  g_autoptr(LkUser) user = lk_user_new (name, display_name, role);

  g_assert_true (lk_store_save_user (store_of (desk), user, NULL));
}

static char *
new_pool_lead (Desk       *desk,
               const char *company)
{
  g_autoptr(LkLead) lead = lk_lead_new ();
  g_autoptr(GError) error = NULL;

  lk_record_set_string (LK_RECORD (lead), LK_LEAD_COMPANY, company);
  g_assert_true (lk_store_create_lead (store_of (desk), lead, &error));
  g_assert_no_error (error);
  return g_strdup (lk_record_get_id (LK_RECORD (lead)));
}

static void
test_assigned_by_manager (void)
{
  g_autofree char *url = lk_test_server_new_database (server, "assigned");
  const char *rep_user = lk_test_server_get_rep_user (server);
  g_autoptr(Desk) manager = desk_new (url, lk_test_server_get_manager_user (server),
                                      lk_test_server_get_manager_password (server));
  g_autoptr(Desk) rep = desk_new (url, rep_user, lk_test_server_get_rep_password (server));
  g_autofree char *rep_id = g_strconcat ("user:", rep_user, NULL);
  g_autofree char *id = new_pool_lead (manager, "上海精密机械");
  g_autofree char *expected = g_strconcat ("assigned-", id, NULL);
  g_autofree char *owner = NULL;
  const char *ids[] = { id, NULL };

  desk_sync (manager);
  desk_sync (rep);
  g_assert_cmpuint (rep->notifications->len, ==, 0);

  /* The manager gives it to the rep on their desktop. */
  g_assert_true (lk_assign_actions_assign_to (manager->actions, rep_id, ids));
  desk_sync (manager);
  g_assert_cmpuint (manager->notifications->len, ==, 0);
  desk_sync (rep);
  owner = owner_of (rep, id);
  g_assert_cmpstr (owner, ==, rep_id);
  g_assert_cmpuint (rep->notifications->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (rep->notifications, 0), ==, expected);

  /* Another sync brings nothing new: nothing said again. */
  desk_sync (rep);
  g_assert_cmpuint (rep->notifications->len, ==, 1);
  g_assert_cmpuint (rep->messages->len, ==, 0);
}

static void
test_lost_claim (void)
{
  g_autofree char *url = lk_test_server_new_database (server, "lost-claim");
  const char *rep_user = lk_test_server_get_rep_user (server);
  g_autoptr(Desk) manager = desk_new (url, lk_test_server_get_manager_user (server),
                                      lk_test_server_get_manager_password (server));
  g_autoptr(Desk) winner = desk_new (url, rep_user, lk_test_server_get_rep_password (server));
  g_autoptr(Desk) loser = desk_new (url, SECOND_REP, SECOND_REP_PASSWORD);
  g_autofree char *winner_id = g_strconcat ("user:", rep_user, NULL);
  g_autofree char *id = NULL;
  g_autofree char *owner = NULL;
  const char *ids[] = { NULL, NULL };

  add_member (manager, rep_user, "李雷", "rep");
  add_member (manager, SECOND_REP, "王芳", "rep");
  id = new_pool_lead (manager, "苏州新材");
  ids[0] = id;
  desk_sync (manager);
  desk_sync (winner);
  desk_sync (loser);

  /* Both claim it offline; each is told it is theirs. */
  g_assert_true (lk_assign_actions_claim (winner->actions, ids));
  g_assert_true (lk_assign_actions_claim (loser->actions, ids));
  g_assert_cmpstr (g_ptr_array_index (loser->action_messages, 0), ==, "“苏州新材” is yours now");

  desk_sync (winner);
  desk_sync (loser);
  owner = owner_of (loser, id);
  g_assert_cmpstr (owner, ==, winner_id);
  /* The loser is told, once, who has it. */
  g_assert_cmpuint (loser->messages->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (loser->messages, 0), ==, "“苏州新材” was claimed by 李雷 first: it is theirs");
  desk_sync (loser);
  g_assert_cmpuint (loser->messages->len, ==, 1);
  /* Neither is told the lead was assigned to them by someone else. */
  g_assert_cmpuint (loser->notifications->len, ==, 0);
  desk_sync (winner);
  g_assert_cmpuint (winner->messages->len, ==, 0);
  g_assert_cmpuint (winner->notifications->len, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  const char * const roles[] = { "leadkeeper", NULL };
  int status;

  g_test_init (&argc, &argv, NULL);
  gtk_init ();

  server = lk_test_server_start (&error);
  g_assert_no_error (error);
  lk_test_server_add_user (server, SECOND_REP, SECOND_REP_PASSWORD, roles);

  g_test_add_func ("/ui/assign-sync/assigned-by-manager", test_assigned_by_manager);
  g_test_add_func ("/ui/assign-sync/lost-claim", test_lost_claim);

  status = g_test_run ();
  lk_test_server_stop (server);
  return status;
}
