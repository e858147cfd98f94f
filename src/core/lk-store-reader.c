/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-store"

#include <glib/gi18n-lib.h>

#include "lk-store-private.h"

/* Reads that take tens of milliseconds or more on 100,000 leads — the
 * board's column totals over a broad search, the tags in use — run on a
 * worker against a second connection, so that the main thread can paint
 * meanwhile. One connection serves every such read, one at a time.
 *
 * WAL lets it read while the main connection writes; it sees what was
 * committed when its read starts. The full-text matches it keeps in its
 * own temp.search_hits are dropped whenever another connection committed
 * since (PRAGMA data_version tells). */

typedef gpointer (*ReadFunc) (LkStore      *reader,
                              LkLeadQuery  *query,
                              guint         limit,
                              GError      **error);

typedef struct
{
  ReadFunc        read;
  GDestroyNotify  free_result;
  LkLeadQuery    *query;
  LkPipeline     *pipeline;
  guint           limit;
} ReadData;

static void
read_data_free (gpointer data)
{
  ReadData *read = data;

  g_clear_object (&read->query);
  g_clear_object (&read->pipeline);
  g_free (read);
}

/* Called with reader_lock held. */
static void
forget_stale_matches (LkStore *reader)
{
  sqlite3_stmt *stmt = lk_store_prepare (reader, "PRAGMA data_version", NULL);
  gint64 version = -1;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  if (version < 0 || version != reader->data_version)
    g_clear_pointer (&reader->search_key, g_free);
  reader->data_version = version;
}

static void
read_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LkStore *self = source;
  ReadData *data = task_data;
  GError *error = NULL;
  gpointer result;

  if (g_task_return_error_if_cancelled (task))
    return;
  g_mutex_lock (&self->reader_lock);
  lk_store_set_pipeline (self->reader, data->pipeline);
  forget_stale_matches (self->reader);
  result = data->read (self->reader, data->query, data->limit, &error);
  g_mutex_unlock (&self->reader_lock);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, data->free_result);
}

static void
read_async (LkStore             *self,
            ReadFunc             read,
            GDestroyNotify       free_result,
            LkLeadQuery         *query,
            guint                limit,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  ReadData *data;

  g_task_set_source_tag (task, source_tag);

  /* Opened here, on the thread that owns the store, and kept: the
   * workers only ever use it under reader_lock. */
  if (self->reader == NULL)
    self->reader = lk_store_open_worker (self, &error);
  if (self->reader == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (ReadData, 1);
  data->read = read;
  data->free_result = free_result;
  data->query = query ? lk_lead_query_copy (query) : NULL;
  data->pipeline = g_object_ref (self->pipeline);
  data->limit = limit;
  g_task_set_task_data (task, data, read_data_free);
  g_task_run_in_thread (task, read_thread);
}

static gpointer
read_totals (LkStore      *reader,
             LkLeadQuery  *query,
             guint         limit,
             GError      **error)
{
  return lk_store_stage_totals (reader, query, error);
}

/**
 * lk_store_stage_totals_async:
 * @query: (nullable): the filter; copied, later changes do not count
 *
 * lk_store_stage_totals() on a worker thread.
 */
void
lk_store_stage_totals_async (LkStore             *self,
                             LkLeadQuery         *query,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (LK_IS_STORE (self));
  g_return_if_fail (query == NULL || LK_IS_LEAD_QUERY (query));

  read_async (self, read_totals, (GDestroyNotify) g_ptr_array_unref, query, 0,
              lk_store_stage_totals_async, cancellable, callback, user_data);
}

/**
 * lk_store_stage_totals_finish:
 *
 * Returns: (transfer full) (element-type LkStageTotal): as
 *   lk_store_stage_totals()
 */
GPtrArray *
lk_store_stage_totals_finish (LkStore       *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gpointer
read_tags (LkStore      *reader,
           LkLeadQuery  *query,
           guint         limit,
           GError      **error)
{
  return lk_store_list_tags (reader, limit, error);
}

/**
 * lk_store_list_tags_async:
 *
 * lk_store_list_tags() on a worker thread: on 100,000 leads it reads
 * every tag of every lead.
 */
void
lk_store_list_tags_async (LkStore             *self,
                          guint                limit,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (LK_IS_STORE (self));

  read_async (self, read_tags, (GDestroyNotify) g_strfreev, NULL, limit,
              lk_store_list_tags_async, cancellable, callback, user_data);
}

/**
 * lk_store_list_tags_finish:
 *
 * Returns: (transfer full): as lk_store_list_tags()
 */
char **
lk_store_list_tags_finish (LkStore       *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
