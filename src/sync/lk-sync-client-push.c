/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-sync"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-merge.h"
#include "lk-sync-client-private.h"
#include "lk-utils.h"

/* The push of a sync run (SYNC.md "Push"): the outbox in batches of at
 * most 500 documents and about 1 MB, each POSTed to _bulk_docs with the
 * revision it is based on. Per document: accepted, refused (kept, never
 * sent again until edited), or in conflict (the server's version fetched
 * and merged, then sent again, three times a run at most). A 413 halves
 * the batch; a lost connection leaves each document to a later retry. */

#define BATCH_DOCS          500
#define BATCH_BYTES         (1024 * 1024)
#define MAX_CONFLICT_TRIES  3

typedef struct
{
  Run       *run;
  GPtrArray *batch;       /* LkOutboxDoc */
  GBytes    *reply;
  char      *reason;
  GPtrArray *conflicts;   /* doc ids to fetch and merge */
  GPtrArray *retry;       /* doc ids to send again */
  GError    *stop;        /* what ends the run once the batch is marked */
  guint      pushed;
  guint      rejected;
  LkSyncApplyReport applied;
} PushJob;

static void
push_job_free (PushJob *job)
{
  g_clear_pointer (&job->batch, g_ptr_array_unref);
  g_clear_pointer (&job->reply, g_bytes_unref);
  g_clear_pointer (&job->conflicts, g_ptr_array_unref);
  g_clear_pointer (&job->retry, g_ptr_array_unref);
  g_clear_error (&job->stop);
  g_free (job->reason);
  g_free (job);
}

static PushJob *
push_job_new (Run *run)
{
  PushJob *job = g_new0 (PushJob, 1);

  job->batch = g_ptr_array_ref (run->batch);
  job->conflicts = g_ptr_array_new_with_free_func (g_free);
  job->retry = g_ptr_array_new_with_free_func (g_free);
  return job;
}

/* Ends a job's transaction on @worker: committed when @ok (the steps so
 * far went well), else rolled back with @error returned. */
static void
return_commit (GTask   *task,
               LkStore *worker,
               gboolean ok,
               GError  *error)
{
  if (ok && lk_store_commit (worker, &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  lk_store_rollback (worker);
  g_task_return_error (task, error);
}

static void
take_batch_job (GTask        *task,
                gpointer      source,
                gpointer      data,
                GCancellable *cancellable)
{
  PushJob *job = data;
  GError *error = NULL;

  job->batch = lk_store_take_outbox_batch (job->run->worker, BATCH_DOCS, BATCH_BYTES, job->run->done, &error);
  if (job->batch == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* The whole batch could not be sent: each document waits for a retry. */
static void
mark_failed_job (GTask        *task,
                 gpointer      source,
                 gpointer      data,
                 GCancellable *cancellable)
{
  PushJob *job = data;
  LkStore *worker = job->run->worker;
  GError *error = NULL;
  gboolean ok = lk_store_begin (worker, &error);

  for (guint i = 0; ok && i < job->batch->len; i++)
    ok = lk_store_mark_push_failed (worker, g_ptr_array_index (job->batch, i), job->reason, &error);
  return_commit (task, worker, ok, error);
}


static void
mark_failed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;
  PushJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!lk_sync_job_finish (result, &error) && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("Could not note that the push failed: %s", error->message);
  lk_sync_run_finish (run, g_steal_pointer (&job->stop));
}

/* Ends the run with @error. When the documents themselves may go through
 * later (no network, a server error), each waits for a retry first. */
static void
push_failed (Run    *run,
             GError *error)
{
  PushJob *job;

  if (!g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE) &&
      !g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_SERVER))
    {
      lk_sync_run_finish (run, error);
      return;
    }
  job = push_job_new (run);
  job->reason = g_strdup (error->message);
  job->stop = error;
  lk_sync_run_job (run, job, (GDestroyNotify) push_job_free, mark_failed_job, mark_failed_cb);
}

static GBytes *
bulk_body (GPtrArray *batch)
{
  GString *body = g_string_new ("{\"docs\":[");

  for (guint i = 0; i < batch->len; i++)
    {
      LkOutboxDoc *doc = g_ptr_array_index (batch, i);

      g_assert (doc->body[0] == '{' && doc->body[1] != '}');
      if (i > 0)
        g_string_append_c (body, ',');
      if (doc->rev != NULL)
        {
          g_string_append (body, "{\"_rev\":");
          lk_sync_append_json_string (body, doc->rev);
          g_string_append_c (body, ',');
          g_string_append (body, doc->body + 1);
        }
      else
        g_string_append (body, doc->body);
    }
  g_string_append (body, "]}");
  return g_string_free_to_bytes (body);
}

static gboolean
is_error (JsonObject *result,
          const char *error)
{
  return g_strcmp0 (lk_sync_member_string (result, "error"), error) == 0;
}

/* The answer of _bulk_docs, one result per document, matched on "error"
 * (never on "reason", which servers word differently). */
static void
bulk_results_job (GTask        *task,
                  gpointer      source,
                  gpointer      data,
                  GCancellable *cancellable)
{
  PushJob *job = data;
  Run *run = job->run;
  LkStore *worker = run->worker;
  g_autoptr(JsonNode) root = lk_sync_parse_bytes (job->reply);
  g_autoptr(GHashTable) waiting = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  LkOutboxDoc *doc;
  JsonArray *results;
  GError *error = NULL;
  gboolean ok;

  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_task_return_error (task, lk_sync_malformed_error (run->conn, "_bulk_docs"));
      return;
    }
  results = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *node = json_array_get_element (results, i);

      if (!JSON_NODE_HOLDS_OBJECT (node) || lk_sync_member_string (json_node_get_object (node), "id") == NULL)
        {
          g_task_return_error (task, lk_sync_malformed_error (run->conn, "_bulk_docs"));
          return;
        }
    }

  for (guint i = 0; i < job->batch->len; i++)
    {
      doc = g_ptr_array_index (job->batch, i);
      g_hash_table_insert (waiting, doc->doc_id, doc);
    }

  ok = lk_store_begin (worker, &error);
  for (guint i = 0; ok && i < json_array_get_length (results); i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);
      const char *id = lk_sync_member_string (result, "id");
      const char *reason = lk_sync_member_string (result, "reason");

      doc = g_hash_table_lookup (waiting, id);
      if (doc == NULL)
        continue;
      g_hash_table_remove (waiting, id);

      if (lk_sync_member_string (result, "error") == NULL)
        {
          const char *rev = lk_sync_member_string (result, "rev");

          if (rev != NULL)
            {
              ok = lk_store_mark_pushed (worker, doc, rev, &error);
              job->pushed++;
            }
          else
            ok = lk_store_mark_push_failed (worker, doc, _("The server gave no revision"), &error);
        }
      else if (is_error (result, "conflict"))
        g_ptr_array_add (job->conflicts, g_strdup (id));
      else if (is_error (result, "forbidden") || is_error (result, "unauthorized"))
        {
          g_message ("The server refused “%s”: %s", id, reason ? reason : lk_sync_member_string (result, "error"));
          ok = lk_store_mark_rejected (worker, doc, reason ? reason : _("The server refused this change"), &error);
          job->rejected++;
        }
      else if (is_error (result, "not_found") && doc->rev != NULL)
        {
          /* The server no longer has the revision we based it on. */
          ok = lk_store_drop_sync_base (worker, id, &error);
          g_ptr_array_add (job->retry, g_strdup (id));
        }
      else
        ok = lk_store_mark_push_failed (worker, doc, reason ? reason : lk_sync_member_string (result, "error"), &error);
    }
  g_hash_table_iter_init (&iter, waiting);
  while (ok && g_hash_table_iter_next (&iter, NULL, (gpointer *) &doc))
    ok = lk_store_mark_push_failed (worker, doc, _("The server did not answer for this document"), &error);
  return_commit (task, worker, ok, error);
}

/* A single document the server finds too large (413). */
static void
reject_job (GTask        *task,
            gpointer      source,
            gpointer      data,
            GCancellable *cancellable)
{
  PushJob *job = data;
  GError *error = NULL;

  for (guint i = 0; i < job->batch->len; i++)
    {
      if (!lk_store_mark_rejected (job->run->worker, g_ptr_array_index (job->batch, i), job->reason, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      job->rejected++;
    }
  g_task_return_boolean (task, TRUE);
}

/* The server's versions of documents that conflicted, merged three ways
 * into the local copy; what is left of mine stays queued. */
static void
merge_theirs_job (GTask        *task,
                  gpointer      source,
                  gpointer      data,
                  GCancellable *cancellable)
{
  PushJob *job = data;
  Run *run = job->run;
  g_autoptr(JsonObject) root = lk_sync_parse_object (job->reply);
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonNode *rows_node = root != NULL ? json_object_get_member (root, "rows") : NULL;
  JsonArray *rows;
  GError *error = NULL;

  if (rows_node == NULL || !JSON_NODE_HOLDS_ARRAY (rows_node))
    {
      g_task_return_error (task, lk_sync_malformed_error (run->conn, "_all_docs"));
      return;
    }
  rows = json_node_get_array (rows_node);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *row_node = json_array_get_element (rows, i);
      JsonObject *row = JSON_NODE_HOLDS_OBJECT (row_node) ? json_node_get_object (row_node) : NULL;
      JsonNode *doc = row != NULL ? json_object_get_member (row, "doc") : NULL;
      JsonNode *value = row != NULL ? json_object_get_member (row, "value") : NULL;
      const char *key = lk_sync_member_string (row, "key");

      if (doc != NULL && JSON_NODE_HOLDS_OBJECT (doc))
        g_ptr_array_add (docs, json_object_ref (json_node_get_object (doc)));
      else if (value != NULL && JSON_NODE_HOLDS_OBJECT (value) &&
               lk_sync_member_is_true (json_node_get_object (value), "deleted") && key != NULL &&
               lk_sync_member_string (json_node_get_object (value), "rev") != NULL)
        {
          JsonObject *tombstone = json_object_new ();

          json_object_set_string_member (tombstone, "_id", key);
          json_object_set_string_member (tombstone, "_rev", lk_sync_member_string (json_node_get_object (value), "rev"));
          json_object_set_boolean_member (tombstone, "_deleted", TRUE);
          g_ptr_array_add (docs, tombstone);
        }
      else if (key != NULL && is_error (row, "not_found") && !lk_store_drop_sync_base (run->worker, key, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }
  if (!lk_store_apply_remote (run->worker, docs, NULL, run->conn->url, NULL, lk_merge_for_store, NULL,
                              cancellable, &job->applied, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
merged_theirs_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Run *run = user_data;
  PushJob *job = lk_sync_run_job_finish (run, result);

  if (job == NULL)
    return;
  run->report.merged += job->applied.merged;
  run->report.conflicts += job->applied.conflicts;
  run->report.skipped += job->applied.skipped;
  lk_sync_run_push (run);
}

static void
got_theirs_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GBytes) reply = lk_sync_run_call_finish (run, result, _("send its version of changed documents"));
  PushJob *job;

  if (reply == NULL)
    return;
  job = g_new0 (PushJob, 1);
  job->reply = g_steal_pointer (&reply);
  lk_sync_run_job (run, job, (GDestroyNotify) push_job_free, merge_theirs_job, merged_theirs_cb);
}

static void
bulk_results_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Run *run = user_data;
  PushJob *job = lk_sync_run_job_finish (run, result);
  g_autoptr(GHashTable) again = g_hash_table_new (g_str_hash, g_str_equal);

  if (job == NULL)
    return;
  run->report.pushed += job->pushed;
  run->report.rejected += job->rejected;
  run->push_done += job->batch->len;
  lk_sync_run_update_progress (run);

  for (guint i = 0; i < job->conflicts->len; i++)
    g_hash_table_add (again, g_ptr_array_index (job->conflicts, i));
  for (guint i = 0; i < job->retry->len; i++)
    g_hash_table_add (again, g_ptr_array_index (job->retry, i));
  /* Each document goes once a run, but for a conflict merged and sent
   * again, at most three times. */
  for (guint i = 0; i < job->batch->len; i++)
    {
      LkOutboxDoc *doc = g_ptr_array_index (job->batch, i);
      guint tries = GPOINTER_TO_UINT (g_hash_table_lookup (run->tries, doc->doc_id));

      if (g_hash_table_contains (again, doc->doc_id))
        {
          g_hash_table_insert (run->tries, g_strdup (doc->doc_id), GUINT_TO_POINTER (++tries));
          if (tries < MAX_CONFLICT_TRIES)
            continue;
        }
      g_hash_table_add (run->done, g_strdup (doc->doc_id));
    }

  if (job->conflicts->len > 0)
    {
      g_autoptr(JsonObject) keys = json_object_new ();
      JsonArray *array = json_array_new ();
      g_autoptr(GBytes) body = NULL;
      g_autofree char *url = g_strconcat (run->conn->url, "/_all_docs?include_docs=true&conflicts=true", NULL);

      for (guint i = 0; i < job->conflicts->len; i++)
        json_array_add_string_element (array, g_ptr_array_index (job->conflicts, i));
      json_object_set_array_member (keys, "keys", array);
      body = lk_sync_object_bytes (keys);
      lk_sync_call_async (run->conn, "POST", url, body, run->cancellable, got_theirs_cb, run);
      return;
    }
  lk_sync_run_push (run);
}

static void
rejected_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Run *run = user_data;
  PushJob *job = lk_sync_run_job_finish (run, result);

  if (job == NULL)
    return;
  run->report.rejected += job->rejected;
  for (guint i = 0; i < job->batch->len; i++)
    g_hash_table_add (run->done, g_strdup (((LkOutboxDoc *) g_ptr_array_index (job->batch, i))->doc_id));
  lk_sync_run_push (run);
}

static void
bulk_sent_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Run *run = user_data;
  GError *error = NULL;
  g_autoptr(GBytes) reply = NULL;
  PushJob *job;
  guint status;

  reply = lk_sync_call_finish (result, &status, &error);
  if (reply == NULL)
    {
      push_failed (run, error);
      return;
    }
  if (status == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE)
    {
      if (run->batch->len > 1)
        {
          gsize n = 0;
          gpointer *docs = g_ptr_array_steal (run->batch, &n);
          GPtrArray *first = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_outbox_doc_free);
          GPtrArray *second = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_outbox_doc_free);

          g_debug ("The server found %u documents too large a request: sending them in two", (guint) n);
          for (gsize i = 0; i < n; i++)
            g_ptr_array_add (i < n / 2 ? first : second, docs[i]);
          g_free (docs);
          g_queue_push_head (&run->splits, second);
          g_queue_push_head (&run->splits, first);
          lk_sync_run_push (run);
          return;
        }
      job = push_job_new (run);
      job->reason = g_strdup (_("The server does not take a document this large"));
      lk_sync_run_job (run, job, (GDestroyNotify) push_job_free, reject_job, rejected_cb);
      return;
    }
  if (!lk_sync_is_success (status))
    {
      push_failed (run, lk_sync_status_error (run->conn, status, reply, _("save the changes")));
      return;
    }
  job = push_job_new (run);
  job->reply = g_steal_pointer (&reply);
  lk_sync_run_job (run, job, (GDestroyNotify) push_job_free, bulk_results_job, bulk_results_cb);
}

static void
send_batch (Run *run)
{
  g_autoptr(GBytes) body = bulk_body (run->batch);
  g_autofree char *url = g_strconcat (run->conn->url, "/_bulk_docs", NULL);

  g_debug ("Pushing %u documents", run->batch->len);
  lk_sync_call_async (run->conn, "POST", url, body, run->cancellable, bulk_sent_cb, run);
}

static void
took_batch_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Run *run = user_data;
  PushJob *job = lk_sync_run_job_finish (run, result);

  if (job == NULL)
    return;
  if (job->batch->len == 0)
    {
      lk_sync_run_next (run);
      return;
    }
  run->batch = g_steal_pointer (&job->batch);
  send_batch (run);
}

void
lk_sync_run_push (Run *run)
{
  GError *error = NULL;

  g_clear_pointer (&run->batch, g_ptr_array_unref);
  if (g_cancellable_set_error_if_cancelled (run->cancellable, &error))
    {
      lk_sync_run_finish (run, error);
      return;
    }
  if (!g_queue_is_empty (&run->splits))
    {
      run->batch = g_queue_pop_head (&run->splits);
      send_batch (run);
      return;
    }
  lk_sync_run_job (run, g_new0 (PushJob, 1), (GDestroyNotify) push_job_free, take_batch_job, took_batch_cb);
}

