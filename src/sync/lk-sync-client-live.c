/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-sync"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-sync-client-private.h"

/* When LkSyncClient runs by itself: on a timer, when the network comes
 * back and 2 s after a local edit (automatic), and in live mode when the
 * server's changes feed says something changed (a longpoll with a
 * deadline of our own). */

#define EDIT_DELAY_MS       2000
#define NETWORK_DELAY_MS    1000

static gboolean
timer_cb (gpointer data)
{
  lk_sync_client_request_run (LK_SYNC_CLIENT (data));
  return G_SOURCE_CONTINUE;
}

static gboolean
soon_cb (gpointer data)
{
  LkSyncClient *self = data;

  self->soon_id = 0;
  lk_sync_client_request_run (self);
  return G_SOURCE_REMOVE;
}

gboolean
lk_sync_client_live_retry_cb (gpointer data)
{
  LkSyncClient *self = data;

  self->live_retry_id = 0;
  lk_sync_client_request_run (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_soon (LkSyncClient *self,
               guint         delay_ms)
{
  g_clear_handle_id (&self->soon_id, g_source_remove);
  self->soon_id = g_timeout_add (delay_ms, soon_cb, self);
}

void
lk_sync_client_update_timer (LkSyncClient *self)
{
  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->automatic && self->interval > 0)
    self->timer_id = g_timeout_add_seconds (self->interval * 60, timer_cb, self);
}

/* A failed request, not the monitor, says whether we are offline; the
 * monitor only says when trying again is worth it. */
static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    LkSyncClient    *self)
{
  if (available && (self->automatic || self->live))
    schedule_soon (self, NETWORK_DELAY_MS);
}

void
lk_sync_client_watch_network (LkSyncClient *self)
{
  if (self->network_changed_id == 0 && (self->automatic || self->live))
    self->network_changed_id = g_signal_connect (g_network_monitor_get_default (), "network-changed",
                                                 G_CALLBACK (network_changed_cb), self);
}

void
lk_sync_client_store_changed_cb (LkStore            *store,
                                 const char         *doc_type,
                                 const char * const *ids,
                                 LkSyncClient       *self)
{
  /* What the run itself wrote is no reason for another run. */
  if (self->emitting)
    return;
  lk_sync_client_update_pending (self);
  if ((self->automatic || self->live) && g_strcmp0 (doc_type, "conflict") != 0)
    schedule_soon (self, EDIT_DELAY_MS);
}

typedef struct
{
  GWeakRef  client;
  Conn     *conn;
} LivePoll;

static void
live_poll_free (LivePoll *poll)
{
  g_weak_ref_clear (&poll->client);
  lk_sync_conn_free (poll->conn);
  g_free (poll);
}

static gboolean
live_deadline_cb (gpointer data)
{
  LkSyncClient *self = data;

  self->live_deadline_id = 0;
  self->live_deadline_hit = TRUE;
  g_cancellable_cancel (self->live_cancellable);
  return G_SOURCE_REMOVE;
}

static void
live_polled_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  LivePoll *poll = user_data;
  g_autoptr(LkSyncClient) self = g_weak_ref_get (&poll->client);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonObject) answer = NULL;
  JsonNode *results;
  guint status;

  reply = lk_sync_call_finish (result, &status, &error);
  live_poll_free (poll);
  if (self == NULL)
    return;
  g_clear_handle_id (&self->live_deadline_id, g_source_remove);
  if (!self->live)
    return;
  if (reply == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Our own deadline: ask again. Otherwise live mode was stopped. */
          if (self->live_deadline_hit)
            lk_sync_client_live_poll (self);
          return;
        }
      g_debug ("The live changes feed failed: %s", error->message);
      g_clear_handle_id (&self->live_retry_id, g_source_remove);
      self->live_retry_id = g_timeout_add_seconds (LIVE_RETRY_S, lk_sync_client_live_retry_cb, self);
      return;
    }
  answer = lk_sync_parse_object (reply);
  results = answer != NULL ? json_object_get_member (answer, "results") : NULL;
  if (lk_sync_is_success (status) && results != NULL && JSON_NODE_HOLDS_ARRAY (results) &&
                          json_array_get_length (json_node_get_array (results)) == 0)
    lk_sync_client_live_poll (self);
  else
    lk_sync_client_request_run (self);
}

/* Waits for the next change on the server (feed=longpoll) with a deadline
 * of our own: pouchdb-server ignores "timeout", and a connection silently
 * dropped on the way would otherwise hang for ever. */
void
lk_sync_client_live_poll (LkSyncClient *self)
{
  g_autoptr(LkSyncRemote) remote = NULL;
  g_autoptr(GString) url = NULL;
  LivePoll *poll;
  Conn *conn;

  if (!self->live || self->run != NULL || self->url == NULL)
    return;
  conn = lk_sync_conn_new (self->live_session, self->url, self->user, self->password, self->allow_insecure, NULL);
  if (conn == NULL)
    return;
  remote = lk_store_get_sync_remote (self->store, self->url, NULL);
  url = g_string_new (conn->url);
  g_string_append_printf (url, "/_changes?feed=longpoll&limit=1&timeout=%d", (LIVE_DEADLINE_S - 5) * 1000);
  if (remote != NULL && remote->pull_since != NULL)
    {
      g_autofree char *since = lk_sync_since_param (remote->pull_since);

      g_string_append_printf (url, "&since=%s", since);
    }
  else
    g_string_append (url, "&since=now");

  g_clear_object (&self->live_cancellable);
  self->live_cancellable = g_cancellable_new ();
  self->live_deadline_hit = FALSE;
  g_clear_handle_id (&self->live_deadline_id, g_source_remove);
  self->live_deadline_id = g_timeout_add_seconds (LIVE_DEADLINE_S, live_deadline_cb, self);
  poll = g_new0 (LivePoll, 1);
  g_weak_ref_init (&poll->client, self);
  poll->conn = conn;
  lk_sync_call_async (poll->conn, "GET", url->str, NULL, self->live_cancellable, live_polled_cb, poll);
}

