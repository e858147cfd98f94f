/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-sync"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-merge.h"
#include "lk-sync-client-private.h"
#include "lk-utils.h"

/* The steps of one sync run (SYNC.md "One sync run"); see lk-sync-client.c
 * for the whole. Each step is one request on the main thread or one job
 * on a worker thread (GTask) with the run's own store connection, and
 * starts the next when it is done; the first error ends the run. This
 * file starts and ends them and checks the epoch; the push is in
 * lk-sync-client-push.c, the pull in lk-sync-client-pull.c. */

#define MANY_IDS 1000

void
lk_sync_run_finish (Run    *run,
                    GError *error)
{
  lk_sync_client_end_run (run->client, run, error);
}

void
lk_sync_page_free (Page *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->docs, g_ptr_array_unref);
  g_clear_pointer (&page->conflicted, g_ptr_array_unref);
  g_clear_pointer (&page->losers, g_hash_table_unref);
  g_free (page->last_seq);
  g_free (page);
}

void
lk_sync_run_free (Run *run)
{
  for (guint i = 0; i < run->caller_cancellables->len; i++)
    g_cancellable_disconnect (g_ptr_array_index (run->caller_cancellables, i),
                              g_array_index (run->caller_handlers, gulong, i));
  g_ptr_array_unref (run->caller_cancellables);
  g_array_unref (run->caller_handlers);
  g_ptr_array_unref (run->tasks);
  if (run->worker != NULL && run->worker_changed_id != 0)
    g_signal_handler_disconnect (run->worker, run->worker_changed_id);
  g_clear_object (&run->worker);
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->conn, lk_sync_conn_free);
  g_clear_pointer (&run->changed, g_hash_table_unref);
  g_clear_pointer (&run->tries, g_hash_table_unref);
  g_clear_pointer (&run->done, g_hash_table_unref);
  g_queue_clear_full (&run->splits, (GDestroyNotify) g_ptr_array_unref);
  g_clear_pointer (&run->batch, g_ptr_array_unref);
  g_clear_pointer (&run->update_seq, json_node_unref);
  g_clear_pointer (&run->page, lk_sync_page_free);
  lk_sync_run_clear_pull (run);
  g_free (run->epoch);
  g_free (run->since);
  g_clear_object (&run->client);
  g_free (run);
}

/* Runs on the worker thread, at the commit of each of the run's
 * transactions. */
static void
worker_changed_cb (LkStore            *worker,
                   const char         *doc_type,
                   const char * const *ids,
                   Run                *run)
{
  GHashTable *set;

  if (doc_type == NULL)
    {
      run->changed_all = TRUE;
      return;
    }
  if (!g_hash_table_lookup_extended (run->changed, doc_type, NULL, (gpointer *) &set))
    {
      set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (run->changed, g_strdup (doc_type), set);
    }
  if (set == NULL)
    return;
  if (ids == NULL || g_hash_table_size (set) > MANY_IDS)
    {
      g_hash_table_insert (run->changed, g_strdup (doc_type), NULL);
      return;
    }
  for (guint i = 0; ids[i] != NULL; i++)
    g_hash_table_add (set, g_strdup (ids[i]));
}


/* Half for the push, half for the pull. The pull's share comes from the
 * server's count of changes left when it gives one (CouchDB), else from
 * the pages seen: an estimate for people, never used for the protocol. */
void
lk_sync_run_update_progress (Run *run)
{
  double push = run->push_total > 0 ? (double) run->push_done / (double) run->push_total : 1.0;
  double pull;

  if (run->pull_done == 0)
    pull = 0.0;
  else if (run->pull_pending >= 0)
    pull = (double) run->pull_done / (double) (run->pull_done + run->pull_pending);
  else
    pull = 1.0 - 1.0 / (1.0 + (double) run->pull_done / MAX (run->page_limit, LK_SYNC_PAGE_SIZE));
  lk_sync_client_set_run_progress (run->client, (MIN (push, 1.0) + MIN (pull, 1.0)) / 2.0);
}

/* Runs @func on a worker thread for @run; @job (a struct that starts
 * with its run, see Job) is the task's data. */
void
lk_sync_run_job (Run                 *run,
                 gpointer             job,
                 GDestroyNotify       destroy,
                 GTaskThreadFunc      func,
                 GAsyncReadyCallback  callback)
{
  g_autoptr(GTask) task = g_task_new (NULL, run->cancellable, callback, run);

  ((Job *) job)->run = run;
  g_task_set_task_data (task, job, destroy);
  g_task_run_in_thread (task, func);
}

gboolean
lk_sync_job_finish (GAsyncResult  *result,
                    GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The job of @result when it went well; else the run is finished with
 * its error and %NULL returned. */
gpointer
lk_sync_run_job_finish (Run          *run,
                        GAsyncResult *result)
{
  GError *error = NULL;

  if (!lk_sync_job_finish (result, &error))
    {
      lk_sync_run_finish (run, error);
      return NULL;
    }
  return g_task_get_task_data (G_TASK (result));
}

/* --- Epoch --------------------------------------------------------------- */

typedef struct
{
  Run     *run;
  gboolean reset;
  char    *since;
  gint64   pending;
} EpochJob;

static void
epoch_job_free (EpochJob *job)
{
  g_free (job->since);
  g_free (job);
}

/* Whether a numeric checkpoint is beyond the server's update_seq: the
 * server went back in time (a restore). Opaque strings are never compared. */
static gboolean
since_beyond (const char *since,
              JsonNode   *update_seq)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (since == NULL || update_seq == NULL || !JSON_NODE_HOLDS_VALUE (update_seq) ||
      json_node_get_value_type (update_seq) != G_TYPE_INT64 ||
      !json_parser_load_from_data (parser, since, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_VALUE (root) ||
      json_node_get_value_type (root) != G_TYPE_INT64)
    return FALSE;
  return json_node_get_int (root) > json_node_get_int (update_seq);
}

static void
epoch_job (GTask        *task,
           gpointer      source,
           gpointer      data,
           GCancellable *cancellable)
{
  EpochJob *job = data;
  Run *run = job->run;
  g_autoptr(LkSyncRemote) remote = NULL;
  GError *error = NULL;

  remote = lk_store_get_sync_remote (run->worker, run->conn->url, &error);
  if (remote == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  job->reset = g_strcmp0 (remote->db_epoch, run->epoch) != 0 ||
               since_beyond (remote->pull_since, run->update_seq);
  if (job->reset)
    {
      g_debug ("The server's epoch is “%s”, ours “%s”: starting over",
               run->epoch, remote->db_epoch ? remote->db_epoch : "(none)");
      if (!lk_store_reset_sync (run->worker, run->conn->url, run->epoch, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }
  else
    job->since = g_strdup (remote->pull_since);
  job->pending = lk_store_count_outbox (run->worker, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
epoch_checked_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Run *run = user_data;
  EpochJob *job = lk_sync_run_job_finish (run, result);

  if (job == NULL)
    return;
  run->reset = job->reset;
  run->since = g_steal_pointer (&job->since);
  run->push_total = MAX (job->pending, 0);
  run->step = 0;
  lk_sync_run_next (run);
}

static void
got_epoch_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Run *run = user_data;
  GError *error = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonObject) marker = NULL;
  guint status;

  reply = lk_sync_call_finish (result, &status, &error);
  if (reply == NULL)
    {
      lk_sync_run_finish (run, error);
      return;
    }
  if (lk_sync_is_success (status))
    {
      marker = lk_sync_parse_object (reply);
      if (marker == NULL)
        {
          lk_sync_run_finish (run, lk_sync_malformed_error (run->conn, "_local/leadkeeper-epoch"));
          return;
        }
      run->epoch = g_strdup (lk_sync_member_string (marker, "epoch"));
    }
  else if (status != SOUP_STATUS_NOT_FOUND)
    {
      lk_sync_run_finish (run, lk_sync_status_error (run->conn, status, reply, _("read the database’s epoch marker")));
      return;
    }
  /* No marker: the database was not prepared. That is an epoch too
   * (""), so that its first appearance is a change. */
  if (run->epoch == NULL)
    run->epoch = g_strdup ("");
  lk_sync_run_job (run, g_new0 (EpochJob, 1), (GDestroyNotify) epoch_job_free, epoch_job, epoch_checked_cb);
}

static void
got_db_info_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;
  GError *error = NULL;
  g_autoptr(JsonObject) info = NULL;
  g_autofree char *url = NULL;
  JsonNode *update_seq;

  info = lk_sync_db_info_finish (result, &error);
  if (info == NULL)
    {
      lk_sync_run_finish (run, error);
      return;
    }
  update_seq = json_object_get_member (info, "update_seq");
  if (update_seq != NULL)
    run->update_seq = json_node_copy (update_seq);

  url = g_strconcat (run->conn->url, "/" EPOCH_DOC, NULL);
  lk_sync_call_async (run->conn, "GET", url, NULL, run->cancellable, got_epoch_cb, run);
}

/* The next step: push, pull and push again, or after a reset (the server
 * was recreated) pull everything first and then push. */
void
lk_sync_run_next (Run *run)
{
  static const Step normal[] = { STEP_PUSH, STEP_PULL, STEP_PUSH, STEP_DONE };
  static const Step reset[] = { STEP_PULL, STEP_PUSH, STEP_DONE };
  const Step *steps = run->reset ? reset : normal;
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (run->cancellable, &error))
    {
      lk_sync_run_finish (run, error);
      return;
    }
  lk_sync_run_update_progress (run);
  switch (steps[run->step++])
    {
    case STEP_PUSH:
      lk_sync_run_push (run);
      break;
    case STEP_PULL:
      lk_sync_run_pull (run);
      break;
    case STEP_DONE:
    default:
      lk_sync_run_finish (run, NULL);
      break;
    }
}

static void
id_set_free (gpointer set)
{
  if (set != NULL)
    g_hash_table_unref (set);
}

Run *
lk_sync_run_new (LkSyncClient *self)
{
  Run *run = g_new0 (Run, 1);

  run->client = g_object_ref (self);
  run->tasks = g_ptr_array_new_with_free_func (g_object_unref);
  run->caller_cancellables = g_ptr_array_new_with_free_func (g_object_unref);
  run->caller_handlers = g_array_new (FALSE, FALSE, sizeof (gulong));
  run->cancellable = g_cancellable_new ();
  run->changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, id_set_free);
  run->tries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->pull_pending = -1;
  g_queue_init (&run->splits);
  return run;
}


/* Starts the run's steps: the settings are checked and its worker
 * connection open (lk-sync-client.c). */
void
lk_sync_run_begin (Run *run)
{
  run->worker_changed_id = g_signal_connect (run->worker, "changed", G_CALLBACK (worker_changed_cb), run);
  lk_sync_call_async (run->conn, "GET", run->conn->url, NULL, run->cancellable, got_db_info_cb, run);
}
