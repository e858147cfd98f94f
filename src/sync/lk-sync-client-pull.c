/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-sync"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <time.h>

#include "lk-merge.h"
#include "lk-sync-client-private.h"
#include "lk-utils.h"

/* The pull of a sync run (SYNC.md "Pull"): the changes feed in pages of
 * 500 with their documents, each page parsed and applied on a worker
 * thread with its checkpoint in one transaction. A document the server
 * keeps in conflict (a cluster) has its losing revisions fetched, folded
 * into the winner and deleted on the server.
 *
 * A pull into a database that has nothing from the server yet (the first
 * one, or one after a reset) is a bulk pull: pages of 5,000, and the
 * search indexing of its leads deferred and done all at once in the
 * background after the run (lk_store_set_defer_search; a kill before it
 * is done is recovered at the next open). Every pull asks for its next
 * page while the worker applies the current one. */

typedef struct
{
  Run               *run;
  GBytes            *reply;
  Page              *page;
  gboolean           parse_only;
  gboolean           applied_now;
  LkSyncApplyReport  applied;
} PageJob;

static void request_page   (Run                 *run,
                            const char          *since,
                            GAsyncReadyCallback  callback);
static void got_changes_cb (GObject             *source,
                            GAsyncResult        *result,
                            gpointer             user_data);

static void
page_job_free (PageJob *job)
{
  g_clear_pointer (&job->reply, g_bytes_unref);
  g_clear_pointer (&job->page, lk_sync_page_free);
  g_free (job);
}

/* LEADKEEPER_PROFILE=pull logs the CPU time of each page's parse and
 * apply, on the worker thread. */
static gint64
thread_cpu_us (void)
{
  struct timespec now;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now) != 0)
    return 0;
  return now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

static void
skip_result (Page       *page,
             const char *id,
             const char *why)
{
  g_message ("Skipped a change of “%s” from the server: %s", id ? id : "?", why);
  page->skipped++;
}

static Page *
parse_page (Conn    *conn,
            GBytes  *reply,
            GError **error)
{
  g_autoptr(JsonObject) root = lk_sync_parse_object (reply);
  g_autoptr(Page) page = NULL;
  JsonNode *results_node = root != NULL ? json_object_get_member (root, "results") : NULL;
  JsonNode *last_seq = root != NULL ? json_object_get_member (root, "last_seq") : NULL;
  JsonNode *pending = root != NULL ? json_object_get_member (root, "pending") : NULL;
  JsonArray *results;

  if (results_node == NULL || !JSON_NODE_HOLDS_ARRAY (results_node) || last_seq == NULL ||
      JSON_NODE_HOLDS_NULL (last_seq))
    {
      g_propagate_error (error, lk_sync_malformed_error (conn, "_changes"));
      return NULL;
    }
  page = g_new0 (Page, 1);
  page->docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  page->conflicted = g_ptr_array_new_with_free_func (g_free);
  page->last_seq = json_to_string (last_seq, FALSE);
  page->pending = pending != NULL && JSON_NODE_HOLDS_VALUE (pending) &&
                  json_node_get_value_type (pending) == G_TYPE_INT64 ? json_node_get_int (pending) : -1;
  results = json_node_get_array (results_node);
  page->n_results = json_array_get_length (results);

  for (guint i = 0; i < page->n_results; i++)
    {
      JsonNode *node = json_array_get_element (results, i);
      JsonObject *result = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *id = lk_sync_member_string (result, "id");
      JsonNode *doc_node = result != NULL ? json_object_get_member (result, "doc") : NULL;
      JsonObject *doc = NULL;
      JsonNode *conflicts;

      if (result == NULL)
        {
          skip_result (page, NULL, "the change is not an object");
          continue;
        }
      if (doc_node != NULL && JSON_NODE_HOLDS_OBJECT (doc_node))
        doc = json_object_ref (json_node_get_object (doc_node));
      else if (lk_sync_member_is_true (result, "deleted") && id != NULL)
        {
          /* A bare tombstone: the id and the deleting revision. */
          JsonNode *changes = json_object_get_member (result, "changes");
          JsonArray *array = changes != NULL && JSON_NODE_HOLDS_ARRAY (changes) ? json_node_get_array (changes) : NULL;
          JsonNode *first = array != NULL && json_array_get_length (array) > 0 ? json_array_get_element (array, 0) : NULL;
          const char *rev = first != NULL && JSON_NODE_HOLDS_OBJECT (first)
                            ? lk_sync_member_string (json_node_get_object (first), "rev") : NULL;

          if (rev == NULL)
            {
              skip_result (page, id, "a deletion without a revision");
              continue;
            }
          doc = json_object_new ();
          json_object_set_string_member (doc, "_id", id);
          json_object_set_string_member (doc, "_rev", rev);
          json_object_set_boolean_member (doc, "_deleted", TRUE);
        }
      else
        {
          skip_result (page, id, "the change carries no document");
          continue;
        }
      g_ptr_array_add (page->docs, doc);

      /* The losing revisions a cluster kept, to fold and delete. */
      conflicts = json_object_get_member (doc, "_conflicts");
      if (conflicts != NULL && JSON_NODE_HOLDS_ARRAY (conflicts) && !lk_sync_member_is_true (doc, "_deleted") &&
                                                                                             lk_sync_member_string (doc, "_id") != NULL && lk_sync_member_string (doc, "_id")[0] != '_')
        {
          JsonArray *revs = json_node_get_array (conflicts);

          for (guint j = 0; j < json_array_get_length (revs); j++)
            {
              JsonNode *rev = json_array_get_element (revs, j);

              if (JSON_NODE_HOLDS_VALUE (rev) && json_node_get_value_type (rev) == G_TYPE_STRING)
                {
                  g_ptr_array_add (page->conflicted, g_strdup (lk_sync_member_string (doc, "_id")));
                  g_ptr_array_add (page->conflicted, g_strdup (json_node_get_string (rev)));
                }
            }
        }
    }
  return g_steal_pointer (&page);
}

static void
page_job (GTask        *task,
          gpointer      source,
          gpointer      data,
          GCancellable *cancellable)
{
  PageJob *job = data;
  Run *run = job->run;
  GError *error = NULL;
  gboolean profile = g_strcmp0 (g_getenv ("LEADKEEPER_PROFILE"), "pull") == 0;
  gint64 start = profile ? thread_cpu_us () : 0;
  gboolean ok, deferred;

  if (job->page == NULL)
    {
      job->page = parse_page (run->conn, job->reply, &error);
      if (profile)
        g_message ("profile: parsed a page in %.1f ms of CPU", (thread_cpu_us () - start) / 1000.0);
      if (job->page == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      g_clear_pointer (&job->reply, g_bytes_unref);
      if (job->parse_only)
        {
          g_task_return_boolean (task, TRUE);
          return;
        }
    }
  /* Server-side conflicts: their losing revisions are fetched first. */
  if (job->page->conflicted->len > 0 && job->page->losers == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  /* A full page of a bulk pull: its leads are indexed for search in the
   * background once the run is over (lk-sync-client.c). The last page
   * is indexed at once, so that a small first pull is searchable when
   * the run ends. */
  deferred = run->bulk && job->page->n_results >= run->page_limit;
  /* Many more leads to come than the database holds: their indexes are
   * made once they are all in (lk_store_begin_bulk_load). Should the run
   * stop before, the background indexing after it makes them. */
  if (deferred && !run->bulk_load_decided)
    {
      /* This page and what the server says is left; a server that does
       * not say (pouchdb-server) has at least another full page. */
      gint64 n_coming = job->page->n_results +
                        (job->page->pending >= 0 ? job->page->pending : (gint64) run->page_limit);

      run->bulk_load_decided = TRUE;
      if (lk_store_bulk_load_wanted (run->worker, n_coming))
        {
          if (!lk_store_begin_bulk_load (run->worker, FALSE, &error))
            {
              g_task_return_error (task, error);
              return;
            }
          run->bulk_load = TRUE;
          run->deferred_search = TRUE;
        }
    }
  /* Kept from page to page (the run's worker connection closes with it). */
  lk_store_set_defer_search (run->worker, deferred);
  ok = lk_store_apply_remote (run->worker, job->page->docs, job->page->losers, run->conn->url,
                              job->page->last_seq, lk_merge_for_store, NULL, cancellable,
                              &job->applied, &error);
  /* The last page: the leads are all in. */
  if (ok && run->bulk_load && job->page->n_results < run->page_limit)
    {
      run->bulk_load = FALSE;
      ok = lk_store_end_bulk_load (run->worker, &error);
    }
  if (profile)
    g_message ("profile: applied %u changes in %.1f ms of CPU", job->page->n_results,
               (thread_cpu_us () - start) / 1000.0);
  if (deferred)
    run->deferred_search = TRUE;
  /* Freed here, not on the main thread that serves the network. */
  if (ok)
    g_clear_pointer (&job->page->docs, g_ptr_array_unref);
  if (!ok)
    {
      g_task_return_error (task, error);
      return;
    }
  job->applied_now = TRUE;
  g_task_return_boolean (task, TRUE);
}

/* The page ahead: asked for as soon as the current page is parsed, and
 * parsed on its own thread while the worker applies the current one. */
static void start_apply (Run  *run,
                         Page *page);

static gboolean
ahead_busy (Run *run)
{
  return run->ahead_state == AHEAD_FETCHING || run->ahead_state == AHEAD_PARSING;
}

/* Ends the run with @error, once the work on the page ahead is over. */
static void
pull_failed (Run    *run,
             GError *error)
{
  if (ahead_busy (run))
    {
      g_clear_error (&run->pull_error);
      run->pull_error = error;
      return;
    }
  lk_sync_run_finish (run, error);
}

/* The page ahead is ready or failed, and the current one is applied. */
static void
deliver_ahead (Run *run)
{
  run->ahead_wanted = FALSE;
  if (run->ahead_state == AHEAD_FAILED)
    {
      run->ahead_state = AHEAD_NONE;
      lk_sync_run_finish (run, g_steal_pointer (&run->ahead_error));
      return;
    }
  run->ahead_state = AHEAD_NONE;
  start_apply (run, g_steal_pointer (&run->ahead_page));
}

/* The page ahead is over (@page parsed, or @error): the run goes on when
 * the current page waits for it. */
static void
ahead_over (Run    *run,
            Page   *page,
            GError *error)
{
  run->ahead_state = error != NULL ? AHEAD_FAILED : AHEAD_READY;
  run->ahead_page = page;
  run->ahead_error = error;
  if (run->pull_error != NULL)
    {
      lk_sync_run_finish (run, g_steal_pointer (&run->pull_error));
      return;
    }
  if (run->ahead_wanted)
    deliver_ahead (run);
}

static void
ahead_parsed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Run *run = user_data;
  PageJob *job = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!lk_sync_job_finish (result, &error))
    ahead_over (run, NULL, error);
  else
    ahead_over (run, g_steal_pointer (&job->page), NULL);
}

static void
ahead_fetched_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Run *run = user_data;
  GError *error = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GTask) task = NULL;
  PageJob *job;
  guint status = 0;

  reply = lk_sync_call_finish (result, &status, &error);
  if (reply == NULL || run->pull_error != NULL)
    {
      ahead_over (run, NULL, error);
      return;
    }
  if (!lk_sync_is_success (status))
    {
      ahead_over (run, NULL, lk_sync_status_error (run->conn, status, reply, _("send the changes")));
      return;
    }
  /* Parsed beside the worker's job, on a thread of its own: the parse
   * touches no database. */
  run->ahead_state = AHEAD_PARSING;
  job = g_new0 (PageJob, 1);
  job->reply = g_steal_pointer (&reply);
  job->parse_only = TRUE;
  job->run = run;
  task = g_task_new (NULL, run->cancellable, ahead_parsed_cb, run);
  g_task_set_task_data (task, job, (GDestroyNotify) page_job_free);
  g_task_run_in_thread (task, page_job);
}

static void
continue_pull (Run   *run,
               guint  n_results)
{
  if (n_results < run->page_limit)
    lk_sync_run_next (run);
  else if (ahead_busy (run))
    run->ahead_wanted = TRUE;
  else if (run->ahead_state != AHEAD_NONE)
    deliver_ahead (run);
  else
    request_page (run, run->since, got_changes_cb);
}

static void
losers_deleted_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Run *run = user_data;
  GError *error = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(Page) page = g_steal_pointer (&run->page);
  guint status;

  reply = lk_sync_call_finish (result, &status, &error);
  if (reply == NULL)
    {
      lk_sync_run_finish (run, error);
      return;
    }
  root = lk_sync_parse_bytes (reply);
  if (lk_sync_is_success (status) && root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *results = json_node_get_array (root);

      /* Only a manager may delete the revision of a lead; the fold is
       * kept either way (the base remembers it). */
      for (guint i = 0; i < json_array_get_length (results); i++)
        {
          JsonNode *node = json_array_get_element (results, i);
          JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

          if (lk_sync_member_string (object, "error") != NULL)
            g_message ("Could not delete a losing revision of “%s”: %s", lk_sync_member_string (object, "id"),
                                                                                                lk_sync_member_string (object, "error"));
        }
    }
  else
    g_message ("Could not delete the losing revisions of a conflict (HTTP %u)", status);
  continue_pull (run, page->n_results);
}

static void
page_done (Run               *run,
           Page              *page,
           LkSyncApplyReport *applied)
{
  run->report.pulled += applied->applied;
  run->report.merged += applied->merged;
  run->report.conflicts += applied->conflicts;
  run->report.skipped += applied->skipped + page->skipped;
  lk_set_str (&run->since, page->last_seq);
  run->pull_done += page->n_results;
  run->pull_pending = page->n_results < run->page_limit ? 0 : page->pending;
  lk_sync_run_update_progress (run);
}

static void fetch_next_loser (Run *run);

static void
page_applied_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Run *run = user_data;
  PageJob *job = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!lk_sync_job_finish (result, &error))
    {
      pull_failed (run, error);
      return;
    }
  if (!job->applied_now)
    {
      run->page = g_steal_pointer (&job->page);
      run->page->losers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 (GDestroyNotify) g_ptr_array_unref);
      run->loser_index = 0;
      fetch_next_loser (run);
      return;
    }
  page_done (run, job->page, &job->applied);
  if (job->page->conflicted->len > 0)
    {
      g_autoptr(JsonObject) body = json_object_new ();
      JsonArray *docs = json_array_new ();
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *url = g_strconcat (run->conn->url, "/_bulk_docs", NULL);

      for (guint i = 0; i + 1 < job->page->conflicted->len; i += 2)
        {
          JsonObject *gone = json_object_new ();

          json_object_set_string_member (gone, "_id", g_ptr_array_index (job->page->conflicted, i));
          json_object_set_string_member (gone, "_rev", g_ptr_array_index (job->page->conflicted, i + 1));
          json_object_set_boolean_member (gone, "_deleted", TRUE);
          json_array_add_object_element (docs, gone);
        }
      json_object_set_array_member (body, "docs", docs);
      bytes = lk_sync_object_bytes (body);
      run->page = g_steal_pointer (&job->page);
      lk_sync_call_async (run->conn, "POST", url, bytes, run->cancellable, losers_deleted_cb, run);
      return;
    }
  continue_pull (run, job->page->n_results);
}

static void
got_loser_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Run *run = user_data;
  GError *error = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonObject) doc = NULL;
  const char *id = g_ptr_array_index (run->page->conflicted, run->loser_index);
  guint status;

  reply = lk_sync_call_finish (result, &status, &error);
  if (reply == NULL)
    {
      lk_sync_run_finish (run, error);
      return;
    }
  if (lk_sync_is_success (status) && (doc = lk_sync_parse_object (reply)) != NULL)
    {
      GPtrArray *losers = g_hash_table_lookup (run->page->losers, id);

      if (losers == NULL)
        {
          losers = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
          g_hash_table_insert (run->page->losers, g_strdup (id), losers);
        }
      g_ptr_array_add (losers, g_steal_pointer (&doc));
    }
  else if (status != SOUP_STATUS_NOT_FOUND)
    {
      lk_sync_run_finish (run, lk_sync_status_error (run->conn, status, reply, _("send a conflicting revision")));
      return;
    }
  run->loser_index += 2;
  fetch_next_loser (run);
}

static void
fetch_next_loser (Run *run)
{
  Page *page = run->page;
  PageJob *job;

  if (run->loser_index + 1 < page->conflicted->len)
    {
      const char *id = g_ptr_array_index (page->conflicted, run->loser_index);
      const char *rev = g_ptr_array_index (page->conflicted, run->loser_index + 1);
      g_autofree char *base = lk_sync_doc_url (run->conn, id);
      g_autofree char *escaped = g_uri_escape_string (rev, NULL, FALSE);
      g_autofree char *url = g_strconcat (base, "?rev=", escaped, NULL);

      lk_sync_call_async (run->conn, "GET", url, NULL, run->cancellable, got_loser_cb, run);
      return;
    }
  job = g_new0 (PageJob, 1);
  job->page = g_steal_pointer (&run->page);
  lk_sync_run_job (run, job, (GDestroyNotify) page_job_free, page_job, page_applied_cb);
}

/* A page of changes has come: it is parsed on the worker, the next one
 * asked for, and then it is applied. */
static void page_parsed_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data);

static void
got_changes_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;
  GError *error = NULL;
  g_autoptr(GBytes) reply = NULL;
  PageJob *job;
  guint status = 0;

  reply = lk_sync_call_finish (result, &status, &error);
  if (reply == NULL)
    {
      lk_sync_run_finish (run, error);
      return;
    }
  if (!lk_sync_is_success (status))
    {
      lk_sync_run_finish (run, lk_sync_status_error (run->conn, status, reply, _("send the changes")));
      return;
    }
  job = g_new0 (PageJob, 1);
  job->reply = g_steal_pointer (&reply);
  job->parse_only = TRUE;
  lk_sync_run_job (run, job, (GDestroyNotify) page_job_free, page_job, page_parsed_cb);
}

static void
page_parsed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;
  PageJob *parsed = lk_sync_run_job_finish (run, result);

  if (parsed != NULL)
    start_apply (run, g_steal_pointer (&parsed->page));
}

/* Applies @page on the worker; the next page travels meanwhile. A page
 * with server-side conflicts asks for its losing revisions first. */
static void
start_apply (Run  *run,
             Page *page)
{
  PageJob *job;

  if (page->n_results >= run->page_limit && page->conflicted->len == 0)
    {
      run->ahead_state = AHEAD_FETCHING;
      request_page (run, page->last_seq, ahead_fetched_cb);
    }
  job = g_new0 (PageJob, 1);
  job->page = page;
  lk_sync_run_job (run, job, (GDestroyNotify) page_job_free, page_job, page_applied_cb);
}

static void
request_page (Run                 *run,
              const char          *since,
              GAsyncReadyCallback  callback)
{
  g_autoptr(GString) url = g_string_new (run->conn->url);

  g_string_append_printf (url, "/_changes?style=main_only&include_docs=true&conflicts=true&limit=%u",
                          run->page_limit);
  if (since != NULL)
    {
      g_autofree char *param = lk_sync_since_param (since);

      g_string_append_printf (url, "&since=%s", param);
    }
  lk_sync_call_async (run->conn, "GET", url->str, NULL, run->cancellable, callback, run);
}

void
lk_sync_run_pull (Run *run)
{
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (run->cancellable, &error))
    {
      lk_sync_run_finish (run, error);
      return;
    }
  run->bulk = run->since == NULL;
  run->page_limit = run->bulk ? LK_SYNC_BULK_PAGE_SIZE : LK_SYNC_PAGE_SIZE;
  request_page (run, run->since, got_changes_cb);
}
