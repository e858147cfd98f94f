/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE  /* memmem */
#define G_LOG_DOMAIN "lk-sync"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <time.h>

#include "lk-json.h"
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
 * one, or one after a reset) is a bulk pull: pages of 5,000, the search
 * indexing of its leads deferred and done all at once in the background
 * after the run (lk_store_set_defer_search; a kill before it is done is
 * recovered at the next open), and for many leads a bulk load whose
 * indexes are made by that same background work. Every pull is a
 * pipeline (below): the server makes a page while the one before is
 * parsed and the one before that applied. */

typedef struct
{
  Run               *run;
  GBytes            *reply;
  Page              *page;
  gboolean           parse_only;
  gboolean           applied_now;
  LkSyncApplyReport  applied;
} PageJob;

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

/* One change of a _changes page, read as soon as the parser has it
 * (lk_json_parse_streamed): its document is read into an LkRemoteDoc and
 * its tree let go while it is in the CPU cache. */
static gboolean
read_result (JsonNode  *node,
             gpointer   user_data,
             GError   **error)
{
  g_autoptr(JsonNode) owned G_GNUC_UNUSED = node;  /* freed on every return */
  Page *page = user_data;
  JsonObject *result = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *id = lk_sync_member_string (result, "id");
  JsonNode *doc_node = result != NULL ? json_object_get_member (result, "doc") : NULL;
  g_autoptr(JsonObject) doc = NULL;
  JsonNode *conflicts;

  page->n_results++;
  if (result == NULL)
    {
      skip_result (page, NULL, "the change is not an object");
      return TRUE;
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
          return TRUE;
        }
      doc = json_object_new ();
      json_object_set_string_member (doc, "_id", id);
      json_object_set_string_member (doc, "_rev", rev);
      json_object_set_boolean_member (doc, "_deleted", TRUE);
    }
  else
    {
      skip_result (page, id, "the change carries no document");
      return TRUE;
    }
  g_ptr_array_add (page->docs, lk_remote_doc_new (doc));

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
  return TRUE;
}

static Page *
parse_page (Conn    *conn,
            GBytes  *reply,
            GError **error)
{
  g_autoptr(Page) page = g_new0 (Page, 1);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *results_node, *last_seq, *pending;
  gsize size = 0;
  const char *data = g_bytes_get_data (reply, &size);

  page->docs = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_remote_doc_free);
  page->conflicted = g_ptr_array_new_with_free_func (g_free);
  if (data != NULL && size > 0)
    root = lk_json_parse_streamed (data, (gssize) size, "results", read_result, page, NULL);
  object = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  results_node = object != NULL ? json_object_get_member (object, "results") : NULL;
  last_seq = object != NULL ? json_object_get_member (object, "last_seq") : NULL;
  pending = object != NULL ? json_object_get_member (object, "pending") : NULL;
  if (results_node == NULL || !JSON_NODE_HOLDS_ARRAY (results_node) || last_seq == NULL ||
      JSON_NODE_HOLDS_NULL (last_seq))
    {
      g_propagate_error (error, lk_sync_malformed_error (conn, "_changes"));
      return NULL;
    }
  page->last_seq = json_to_string (last_seq, FALSE);
  page->pending = pending != NULL && JSON_NODE_HOLDS_VALUE (pending) &&
                  json_node_get_value_type (pending) == G_TYPE_INT64 ? json_node_get_int (pending) : -1;
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
   * made once they are all in (lk_store_begin_bulk_load), by the search
   * indexing in the background after the run (lk-sync-client.c), one
   * index per transaction; the board's indexes stay meanwhile. */
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
          run->deferred_search = TRUE;
        }
    }
  /* Kept from page to page (the run's worker connection closes with it). */
  lk_store_set_defer_search (run->worker, deferred);
  ok = lk_store_apply_remote_docs (run->worker, job->page->docs, job->page->losers, run->conn->url,
                                   job->page->last_seq, lk_merge_for_store, NULL, cancellable,
                                   &job->applied, &error);
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

/* --- The pipeline --------------------------------------------------------
 *
 * Four stages, each with one piece of work at a time: the request for a
 * page, its parse (on a thread of its own: it touches no database), its
 * apply (on the run's worker, with the losing revisions of server-side
 * conflicts fetched before and deleted after), in between the replies
 * and pages waiting in order. The next page is asked for as soon as a
 * reply comes, from the last_seq at its end (lk_sync_tail_last_seq), so
 * the server makes page N+2 while N+1 is parsed and N applied. That
 * shortcut is checked: each reply is parsed only when it was asked from
 * the last_seq of the page parsed before it, and asked for again when it
 * was not. A page that is not full ends the feed; what was asked for
 * after it is dropped. An error lets the work under way end first. */

#define MAX_WAITING 3   /* replies and pages waiting or parsed, at most */

typedef struct
{
  GBytes *reply;
  char   *since;        /* raw JSON it was asked from; NULL: the start */
} Fetched;

static void
fetched_free (Fetched *fetched)
{
  g_bytes_unref (fetched->reply);
  g_free (fetched->since);
  g_free (fetched);
}

static void pump (Run *run);

/* Ends the run with @error once the work under way is over. */
static void
pull_failed (Run    *run,
             GError *error)
{
  if (run->pull_error == NULL)
    run->pull_error = error;
  else
    g_error_free (error);
  pump (run);
}

void
lk_sync_run_clear_pull (Run *run)
{
  g_queue_clear_full (&run->fetched, (GDestroyNotify) fetched_free);
  g_queue_clear_full (&run->parsed, (GDestroyNotify) lk_sync_page_free);
  g_clear_pointer (&run->fetch_since, g_free);
  g_clear_pointer (&run->next_since, g_free);
  g_clear_pointer (&run->parse_since, g_free);
  g_clear_error (&run->pull_error);
}

/**
 * lk_sync_tail_last_seq:
 * @reply: a _changes answer
 *
 * The "last_seq" at the end of @reply, found without parsing what comes
 * before it: CouchDB and PouchDB write it after "results". Only a guess
 * to ask for the next page early, checked against the parsed page.
 *
 * Returns: (transfer full) (nullable): its raw JSON, or %NULL
 */
char *
lk_sync_tail_last_seq (GBytes *reply)
{
  static const char key[] = "\"last_seq\"";
  gsize size = 0;
  const char *data = reply != NULL ? g_bytes_get_data (reply, &size) : NULL;
  gsize from = size > 65536 ? size - 65536 : 0;   /* a seq is short */
  const char *found = NULL;
  g_autoptr(GString) tail = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonNode *last_seq;

  if (data == NULL || size < sizeof key)
    return NULL;
  for (gsize at = size - (sizeof key - 1); found == NULL; at--)
    {
      if (data[at] == '"' && memcmp (data + at, key, sizeof key - 1) == 0)
        found = data + at;
      if (at == from)
        break;
    }
  if (found == NULL)
    return NULL;
  /* "{" and the members from "last_seq" to the end: an object of its own */
  tail = g_string_sized_new (data + size - found + 1);
  g_string_append_c (tail, '{');
  g_string_append_len (tail, found, data + size - found);
  root = lk_json_parse (tail->str, (gssize) tail->len, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  last_seq = json_object_get_member (json_node_get_object (root), "last_seq");
  if (last_seq == NULL || JSON_NODE_HOLDS_NULL (last_seq))
    return NULL;
  return json_to_string (last_seq, FALSE);
}

/* Whether @reply looks like a full page: each change has its
 * "changes":[…] (as CouchDB and PouchDB write them, without spaces).
 * Only decides whether to ask for the next page before the parse; a
 * wrong answer costs a request, or the head start. */
static gboolean
looks_full (GBytes *reply,
            guint   page_limit)
{
  static const char key[] = "\"changes\":[";
  gsize size = 0;
  const char *data = g_bytes_get_data (reply, &size);
  const char *end = data + size;
  guint n = 0;

  for (const char *p = data; p != NULL && n < page_limit; n++)
    {
      p = memmem (p, end - p, key, sizeof key - 1);
      if (p == NULL)
        break;
      p += sizeof key - 1;
    }
  return n >= page_limit;
}

static void
got_changes_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;
  GError *error = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autofree char *since = g_steal_pointer (&run->fetch_since);
  gboolean stale = run->fetch_stale;
  Fetched *fetched;
  guint status = 0;

  run->fetching = FALSE;
  run->fetch_stale = FALSE;
  reply = lk_sync_call_finish (result, &status, &error);
  if (reply == NULL)
    {
      /* A request dropped before it failed does not fail the run. */
      if (stale || run->feed_ended)
        g_error_free (error);
      else
        {
          pull_failed (run, error);
          return;
        }
    }
  else if (stale || run->feed_ended || run->pull_error != NULL)
    ;
  else if (!lk_sync_is_success (status))
    {
      pull_failed (run, lk_sync_status_error (run->conn, status, reply, _("send the changes")));
      return;
    }
  else
    {
      fetched = g_new0 (Fetched, 1);
      fetched->reply = g_steal_pointer (&reply);
      fetched->since = g_steal_pointer (&since);
      g_queue_push_tail (&run->fetched, fetched);
      /* The next page, asked for at once when this one is full and its
       * end says where the next starts */
      g_free (run->next_since);
      run->next_since = looks_full (fetched->reply, run->page_limit) ? lk_sync_tail_last_seq (fetched->reply) : NULL;
      run->have_next = run->next_since != NULL;
    }
  pump (run);
}

static void
request_page (Run        *run,
              const char *since)
{
  g_autoptr(GString) url = g_string_new (run->conn->url);

  g_string_append_printf (url, "/_changes?style=main_only&include_docs=true&conflicts=true&limit=%u",
                          run->page_limit);
  if (since != NULL)
    {
      g_autofree char *param = lk_sync_since_param (since);

      g_string_append_printf (url, "&since=%s", param);
    }
  run->fetching = TRUE;
  run->fetch_since = g_strdup (since);
  lk_sync_call_async (run->conn, "GET", url->str, NULL, run->cancellable, got_changes_cb, run);
}

static void
page_parsed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;
  PageJob *job = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;
  Page *page;
  Fetched *next;

  run->parsing = FALSE;
  if (!lk_sync_job_finish (result, &error))
    {
      pull_failed (run, error);
      return;
    }
  if (run->pull_error != NULL)
    {
      pump (run);
      return;
    }
  page = g_steal_pointer (&job->page);
  lk_set_str (&run->parse_since, page->last_seq);
  g_queue_push_tail (&run->parsed, page);
  if (page->n_results < run->page_limit)
    {
      /* The end of the feed: what was asked for after it goes. */
      run->feed_ended = TRUE;
      run->have_next = FALSE;
      run->fetch_stale = run->fetching;
      g_queue_clear_full (&run->fetched, (GDestroyNotify) fetched_free);
    }
  else
    {
      /* Was the next page asked from this page's last_seq? */
      next = g_queue_peek_head (&run->fetched);
      if (next != NULL ? g_strcmp0 (next->since, page->last_seq) != 0
                       : !run->fetching || g_strcmp0 (run->fetch_since, page->last_seq) != 0)
        {
          g_queue_clear_full (&run->fetched, (GDestroyNotify) fetched_free);
          run->fetch_stale = run->fetching;
          lk_set_str (&run->next_since, page->last_seq);
          run->have_next = TRUE;
        }
    }
  pump (run);
}

static void
start_parse (Run     *run,
             Fetched *fetched)
{
  g_autoptr(GTask) task = g_task_new (NULL, run->cancellable, page_parsed_cb, run);
  PageJob *job = g_new0 (PageJob, 1);

  job->run = run;
  job->reply = g_bytes_ref (fetched->reply);
  job->parse_only = TRUE;
  run->parsing = TRUE;
  g_task_set_task_data (task, job, (GDestroyNotify) page_job_free);
  g_task_run_in_thread (task, page_job);
}

/* The page in the apply stage is over: the next one may go. */
static void
apply_done (Run *run)
{
  run->applying = FALSE;
  pump (run);
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
  g_autoptr(Page) page G_GNUC_UNUSED = g_steal_pointer (&run->page);  /* done with */
  guint status;

  reply = lk_sync_call_finish (result, &status, &error);
  if (reply == NULL)
    {
      run->applying = FALSE;
      pull_failed (run, error);
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
  apply_done (run);
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
      run->applying = FALSE;
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
  if (job->page->conflicted->len > 0 && run->pull_error == NULL)
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
  apply_done (run);
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
      g_clear_pointer (&run->page, lk_sync_page_free);
      run->applying = FALSE;
      pull_failed (run, error);
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
      error = lk_sync_status_error (run->conn, status, reply, _("send a conflicting revision"));
      g_clear_pointer (&run->page, lk_sync_page_free);
      run->applying = FALSE;
      pull_failed (run, error);
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

  if (run->pull_error != NULL)
    {
      g_clear_pointer (&run->page, lk_sync_page_free);
      apply_done (run);
      return;
    }
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

/* Applies @page on the worker (after fetching the losing revisions of
 * its server-side conflicts, when it has any). */
static void
start_apply (Run  *run,
             Page *page)
{
  PageJob *job = g_new0 (PageJob, 1);

  run->applying = TRUE;
  job->page = page;
  lk_sync_run_job (run, job, (GDestroyNotify) page_job_free, page_job, page_applied_cb);
}

/* Starts what can start; ends the pull when all is done. */
static void
pump (Run *run)
{
  guint waiting;

  if (run->pull_error != NULL)
    {
      /* Nothing new starts; the run ends when the work under way is over. */
      if (!run->fetching && !run->parsing && !run->applying)
        {
          GError *error = g_steal_pointer (&run->pull_error);

          lk_sync_run_clear_pull (run);
          lk_sync_run_finish (run, error);
        }
      return;
    }
  if (!run->applying && !g_queue_is_empty (&run->parsed))
    start_apply (run, g_queue_pop_head (&run->parsed));
  if (run->feed_ended && !run->applying && !run->parsing && g_queue_is_empty (&run->parsed))
    {
      /* The last page is in. A request dropped after it ends first. */
      if (!run->fetching)
        {
          lk_sync_run_clear_pull (run);
          lk_sync_run_next (run);
        }
      return;
    }
  while (!run->parsing && !g_queue_is_empty (&run->fetched))
    {
      Fetched *fetched = g_queue_pop_head (&run->fetched);

      if (g_strcmp0 (fetched->since, run->parse_since) == 0)
        start_parse (run, fetched);
      else
        {
          /* Asked from a wrong guess: asked for again, unless the
           * request out is that one. */
          g_queue_clear_full (&run->fetched, (GDestroyNotify) fetched_free);
          run->fetch_stale = run->fetching && g_strcmp0 (run->fetch_since, run->parse_since) != 0;
          if (!run->fetching || run->fetch_stale)
            {
              lk_set_str (&run->next_since, run->parse_since);
              run->have_next = TRUE;
            }
        }
      fetched_free (fetched);
    }
  waiting = g_queue_get_length (&run->fetched) + g_queue_get_length (&run->parsed) + (run->parsing ? 1 : 0);
  if (!run->fetching && !run->feed_ended && run->have_next && waiting < MAX_WAITING)
    {
      g_autofree char *since = g_steal_pointer (&run->next_since);

      run->have_next = FALSE;
      request_page (run, since);
    }
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
  run->page_limit = run->bulk ? run->client->bulk_page_size : run->client->page_size;
  lk_sync_run_clear_pull (run);
  run->feed_ended = FALSE;
  run->fetch_stale = FALSE;
  run->parse_since = g_strdup (run->since);
  run->next_since = g_strdup (run->since);
  run->have_next = TRUE;
  pump (run);
}

/**
 * lk_sync_client_set_page_sizes:
 * @page_size: changes per page of a pull, 0 for LK_SYNC_PAGE_SIZE
 * @bulk_page_size: and of a bulk pull, 0 for LK_SYNC_BULK_PAGE_SIZE
 *
 * For tests: small pages make a pull of a few hundred documents run
 * through many pages.
 */
void
lk_sync_client_set_page_sizes (LkSyncClient *self,
                               guint         page_size,
                               guint         bulk_page_size)
{
  g_return_if_fail (LK_IS_SYNC_CLIENT (self));

  self->page_size = page_size > 0 ? page_size : LK_SYNC_PAGE_SIZE;
  self->bulk_page_size = bulk_page_size > 0 ? bulk_page_size : LK_SYNC_BULK_PAGE_SIZE;
}
