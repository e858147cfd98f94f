/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-bulk-job"

#include <glib/gi18n-lib.h>

#include "lk-bulk-job.h"
#include "lk-error.h"
#include "lk-format.h"

/* A bulk change of the leads table: move, assign, tag or delete the
 * selected leads in one transaction, and remember how to put them back.
 *
 * The selection is given as positions in the table's list together with
 * a copy of the list's query; the job re-reads the query's ordered ids
 * inside its transaction and picks the positions from them, so it needs
 * no lead objects from the view and runs the same on the main thread and
 * on a worker's connection. If the query no longer gives as many leads as
 * the list showed, something changed underneath and the job refuses. */

#define CHECK_CANCEL_EVERY 256

/* What a job saw of a lead before changing it: only the fields its kind
 * changes. An undo of 100,000 leads then costs a few megabytes instead of
 * 100,000 lead copies, and a field somebody else edited in the meantime
 * (another view, a sync) is left alone by Undo. */
typedef struct
{
  char    *id;
  char    *stage;
  char    *lost_reason;
  gint64   stage_entered_at;
  char    *owner;
  gint64   assigned_at;
  char   **tags;
} Saved;

struct _LkBulkJob
{
  LkBulkKind   kind;
  LkBulkKind   undo_of;     /* what a LK_BULK_RESTORE job reverts */
  char        *value;       /* stage id, owner id (NULL: the pool) or tag */
  char        *reason;      /* why leads moved to Lost */

  /* The leads: positions in the list of @query, which had @n_items */
  LkLeadQuery *query;
  GArray      *positions;   /* guint, ascending */
  guint        n_items;

  /* Results; the input of a LK_BULK_RESTORE job */
  GArray      *saved;       /* Saved, for each lead that changed */
  LkBulkJob   *undo;
};

static void
saved_clear (gpointer data)
{
  Saved *saved = data;

  g_clear_pointer (&saved->id, g_free);
  g_clear_pointer (&saved->stage, g_free);
  g_clear_pointer (&saved->lost_reason, g_free);
  g_clear_pointer (&saved->owner, g_free);
  g_clear_pointer (&saved->tags, g_strfreev);
}

static GArray *
saved_array_new (void)
{
  GArray *array = g_array_new (FALSE, TRUE, sizeof (Saved));

  g_array_set_clear_func (array, saved_clear);
  return array;
}

static void
save_lead (LkBulkJob *job,
           LkLead    *lead)
{
  LkRecord *record = LK_RECORD (lead);
  Saved saved = { NULL };

  saved.id = g_strdup (lk_record_get_id (record));
  saved.stage = g_strdup (lk_lead_get_stage (lead));
  saved.lost_reason = g_strdup (lk_record_get_string (record, LK_LEAD_LOST_REASON));
  saved.stage_entered_at = lk_record_get_int (record, LK_LEAD_STAGE_ENTERED_AT);
  saved.owner = g_strdup (lk_lead_get_owner (lead));
  saved.assigned_at = lk_record_get_int (record, LK_LEAD_ASSIGNED_AT);
  saved.tags = g_strdupv ((char **) lk_record_get_tags (record, LK_LEAD_TAGS));
  g_array_append_val (job->saved, saved);
}

static gboolean
has_tag (LkLead     *lead,
         const char *tag)
{
  const char * const *tags = lk_record_get_tags (LK_RECORD (lead), LK_LEAD_TAGS);

  return tags != NULL && g_strv_contains (tags, tag);
}

/* Applies the job to one lead; leads it would not change are skipped,
 * so the count and the undo only cover real changes. */
static gboolean
change_lead (LkBulkJob  *job,
             LkStore    *store,
             LkLead     *lead,
             GError    **error)
{
  LkRecord *record = LK_RECORD (lead);
  gboolean ok;

  switch (job->kind)
    {
    case LK_BULK_MOVE:
      if (g_strcmp0 (lk_lead_get_stage (lead), job->value) == 0)
        return TRUE;
      save_lead (job, lead);
      lk_record_set_string (record, LK_LEAD_STAGE, job->value);
      ok = lk_store_update_lead (store, lead, job->reason, error);
      break;

    case LK_BULK_ASSIGN:
      if (g_strcmp0 (lk_lead_get_owner (lead), job->value) == 0)
        return TRUE;
      save_lead (job, lead);
      lk_record_set_string (record, LK_LEAD_OWNER, job->value);
      ok = lk_store_update_lead (store, lead, NULL, error);
      break;

    case LK_BULK_ADD_TAG:
      if (has_tag (lead, job->value))
        return TRUE;
      save_lead (job, lead);
      {
        g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
        g_auto(GStrv) tags = NULL;

        g_strv_builder_addv (builder, (const char **) lk_record_get_tags (record, LK_LEAD_TAGS));
        g_strv_builder_add (builder, job->value);
        tags = g_strv_builder_end (builder);
        lk_record_set_tags (record, LK_LEAD_TAGS, (const char * const *) tags);
      }
      ok = lk_store_update_lead (store, lead, NULL, error);
      break;

    case LK_BULK_DELETE:
      save_lead (job, lead);
      ok = lk_store_delete_lead (store, lk_record_get_id (record), error);
      break;

    case LK_BULK_RESTORE:
    default:
      g_assert_not_reached ();
    }

  if (!ok)
    g_prefix_error (error, "%s: ", lk_lead_get_display_name (lead));
  return ok;
}

static gboolean
restore_lead (LkBulkJob  *job,
              LkStore    *store,
              Saved      *saved,
              GError    **error)
{
  g_autoptr(LkLead) lead = NULL;
  LkRecord *record;
  gboolean ok;

  if (job->undo_of == LK_BULK_DELETE)
    return lk_store_restore_lead (store, saved->id, error);

  lead = lk_store_get_lead (store, saved->id, error);
  if (lead == NULL)
    return FALSE;
  record = LK_RECORD (lead);
  /* Deleted since (by another view or a sync): nothing to put back. */
  if (lk_record_get_deleted (record))
    return TRUE;

  switch (job->undo_of)
    {
    case LK_BULK_MOVE:
      /* With the times they had: time in stage and rotting are as before. */
      lk_record_set_string (record, LK_LEAD_STAGE, saved->stage);
      lk_record_set_string (record, LK_LEAD_LOST_REASON, saved->lost_reason);
      lk_record_set_int (record, LK_LEAD_STAGE_ENTERED_AT, saved->stage_entered_at);
      ok = lk_store_update_lead (store, lead, saved->lost_reason, error);
      break;

    case LK_BULK_ASSIGN:
      lk_record_set_string (record, LK_LEAD_OWNER, saved->owner);
      lk_record_set_int (record, LK_LEAD_ASSIGNED_AT, saved->assigned_at);
      ok = lk_store_update_lead (store, lead, NULL, error);
      break;

    case LK_BULK_ADD_TAG:
      lk_record_set_tags (record, LK_LEAD_TAGS, (const char * const *) saved->tags);
      ok = lk_store_update_lead (store, lead, NULL, error);
      break;

    case LK_BULK_DELETE:
    case LK_BULK_RESTORE:
    default:
      g_assert_not_reached ();
    }

  if (!ok)
    g_prefix_error (error, "%s: ", lk_lead_get_display_name (lead));
  return ok;
}

static gboolean
check_cancelled (guint          i,
                 GCancellable  *cancellable,
                 GError       **error)
{
  if (i % CHECK_CANCEL_EVERY == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
    return TRUE;
  return FALSE;
}

/* The rowids of the selected positions, read in the job's transaction. */
static GArray *
resolve_positions (LkBulkJob  *job,
                   LkStore    *store,
                   GError    **error)
{
  g_autoptr(GArray) all = lk_store_query_rowids (store, job->query, error);
  GArray *rowids;

  if (all == NULL)
    return NULL;
  if (all->len != job->n_items)
    {
      g_set_error_literal (error, LK_ERROR, LK_ERROR_INVALID,
                           _("The list changed while the action was starting. Check the selection and try again."));
      return NULL;
    }
  rowids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), job->positions->len);
  for (guint i = 0; i < job->positions->len; i++)
    {
      guint position = g_array_index (job->positions, guint, i);

      g_assert (position < all->len);
      g_array_append_val (rowids, g_array_index (all, gint64, position));
    }
  return rowids;
}

static gboolean
change_all (LkBulkJob     *job,
            LkStore       *store,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GArray) rowids = resolve_positions (job, store, error);

  if (rowids == NULL)
    return FALSE;
  for (guint i = 0; i < rowids->len; i++)
    {
      g_autoptr(LkLead) lead = NULL;

      if (check_cancelled (i, cancellable, error))
        return FALSE;
      lead = lk_store_get_lead_by_rowid (store, g_array_index (rowids, gint64, i), error);
      if (lead == NULL || !change_lead (job, store, lead, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
restore_all (LkBulkJob     *job,
             LkStore       *store,
             GCancellable  *cancellable,
             GError       **error)
{
  for (guint i = 0; i < job->saved->len; i++)
    {
      if (check_cancelled (i, cancellable, error) ||
          !restore_lead (job, store, &g_array_index (job->saved, Saved, i), error))
        return FALSE;
    }
  return TRUE;
}

/**
 * lk_bulk_job_new:
 * @query: the query of the list the positions refer to (copied)
 * @positions: (element-type guint): the selected positions, ascending
 * @n_items: how many leads the list had
 */
LkBulkJob *
lk_bulk_job_new (LkBulkKind   kind,
                 LkLeadQuery *query,
                 GArray      *positions,
                 guint        n_items)
{
  LkBulkJob *job;

  g_return_val_if_fail (kind != LK_BULK_RESTORE, NULL);
  g_return_val_if_fail (LK_IS_LEAD_QUERY (query), NULL);
  g_return_val_if_fail (positions != NULL, NULL);

  job = g_new0 (LkBulkJob, 1);
  job->kind = kind;
  job->query = lk_lead_query_copy (query);
  job->positions = g_array_ref (positions);
  job->n_items = n_items;
  job->saved = saved_array_new ();
  return job;
}

void
lk_bulk_job_free (LkBulkJob *job)
{
  if (job == NULL)
    return;
  g_clear_pointer (&job->value, g_free);
  g_clear_pointer (&job->reason, g_free);
  g_clear_object (&job->query);
  g_clear_pointer (&job->positions, g_array_unref);
  g_clear_pointer (&job->saved, g_array_unref);
  g_clear_pointer (&job->undo, lk_bulk_job_free);
  g_free (job);
}

LkBulkKind
lk_bulk_job_get_kind (LkBulkJob *job)
{
  return job->kind;
}

/* Returns: for an undo job, the kind of job it reverts */
LkBulkKind
lk_bulk_job_get_undo_of (LkBulkJob *job)
{
  return job->undo_of;
}

/* @value: (nullable): the stage id, the owner's id (%NULL: return to the
 *   pool) or the tag */
void
lk_bulk_job_set_value (LkBulkJob  *job,
                       const char *value)
{
  g_free (job->value);
  job->value = g_strdup (value);
}

const char *
lk_bulk_job_get_value (LkBulkJob *job)
{
  return job->value;
}

void
lk_bulk_job_set_reason (LkBulkJob  *job,
                        const char *reason)
{
  g_free (job->reason);
  job->reason = g_strdup (reason);
}

/* Returns: how many leads the job is about (before it ran) */
guint
lk_bulk_job_get_n_leads (LkBulkJob *job)
{
  return job->kind == LK_BULK_RESTORE ? job->saved->len : job->positions->len;
}

/**
 * lk_bulk_job_run:
 * @store: the main store, or a worker's connection on a worker thread
 *
 * Changes all the leads in one transaction: on any error nothing is
 * changed. Afterwards lk_bulk_job_steal_undo() gives the job that puts
 * them back.
 */
gboolean
lk_bulk_job_run (LkBulkJob     *job,
                 LkStore       *store,
                 GCancellable  *cancellable,
                 GError       **error)
{
  gboolean ok;

  g_return_val_if_fail (job != NULL, FALSE);
  g_return_val_if_fail (LK_IS_STORE (store), FALSE);

  if (!lk_store_begin (store, error))
    return FALSE;
  if (job->kind == LK_BULK_RESTORE)
    ok = restore_all (job, store, cancellable, error);
  else
    ok = change_all (job, store, cancellable, error);
  /* A failed save has rolled back already; this covers our own errors. */
  if (!ok)
    lk_store_rollback (store);
  else
    ok = lk_store_commit (store, error);
  if (!ok)
    {
      if (job->kind != LK_BULK_RESTORE)
        g_array_set_size (job->saved, 0);
      return FALSE;
    }

  if (job->kind != LK_BULK_RESTORE)
    {
      LkBulkJob *undo = g_new0 (LkBulkJob, 1);

      undo->kind = LK_BULK_RESTORE;
      undo->undo_of = job->kind;
      undo->value = g_strdup (job->value);
      undo->saved = g_array_ref (job->saved);
      g_clear_pointer (&job->undo, lk_bulk_job_free);
      job->undo = undo;
    }
  return TRUE;
}

/* Returns: how many leads the job changed (for an undo: put back) */
guint
lk_bulk_job_get_n_changed (LkBulkJob *job)
{
  return job->saved->len;
}

/* Returns: (transfer full) (nullable): the job that reverts this one */
LkBulkJob *
lk_bulk_job_steal_undo (LkBulkJob *job)
{
  return g_steal_pointer (&job->undo);
}

/**
 * lk_bulk_job_describe_result:
 * @value_name: (nullable): what the job set, as people know it: the
 *   stage's name, the owner's name (%NULL: the pool), the tag
 *
 * Returns: what the job did, for its toast: "Moved 3 leads to “Won”"
 */
char *
lk_bulk_job_describe_result (LkBulkJob  *job,
                             const char *value_name)
{
  guint n = job->saved->len;
  g_autofree char *count = lk_format_count (n);

  switch (job->kind)
    {
    case LK_BULK_MOVE:
      /* Translators: "Moved 3 leads to “Qualified”" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Moved %s lead to “%s”", "Moved %s leads to “%s”", n),
                              count, value_name);
    case LK_BULK_ASSIGN:
      if (value_name == NULL)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Returned %s lead to the pool",
                                             "Returned %s leads to the pool", n), count);
      /* Translators: "Assigned 3 leads to 王芳" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Assigned %s lead to %s", "Assigned %s leads to %s", n),
                              count, value_name);
    case LK_BULK_ADD_TAG:
      /* Translators: "Tagged 3 leads “price-sensitive”" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Tagged %s lead “%s”", "Tagged %s leads “%s”", n),
                              count, value_name);
    case LK_BULK_DELETE:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Deleted %s lead", "Deleted %s leads", n), count);
    case LK_BULK_RESTORE:
    default:
      /* Translators: after Undo */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Put back %s lead", "Put back %s leads", n), count);
    }
}

/* Returns: what the job is doing, for a status line: "Moving 20,000 leads…" */
char *
lk_bulk_job_describe_running (LkBulkJob *job)
{
  guint n = lk_bulk_job_get_n_leads (job);
  g_autofree char *count = lk_format_count (n);

  switch (job->kind)
    {
    case LK_BULK_MOVE:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Moving %s lead…", "Moving %s leads…", n), count);
    case LK_BULK_ASSIGN:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Assigning %s lead…", "Assigning %s leads…", n), count);
    case LK_BULK_ADD_TAG:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Tagging %s lead…", "Tagging %s leads…", n), count);
    case LK_BULK_DELETE:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Deleting %s lead…", "Deleting %s leads…", n), count);
    case LK_BULK_RESTORE:
    default:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Undoing the change of %s lead…",
                                           "Undoing the change of %s leads…", n), count);
    }
}
