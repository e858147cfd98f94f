/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-store"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-store-private.h"

/* Bulk loads: a first pull of a whole team's leads into an empty
 * database. Each of the leads' secondary indexes takes every new row at a
 * scattered place (ids, dates and keys made elsewhere are in no order),
 * and each page's commit wrote most of every index out again: a first
 * pull of 100,000 leads wrote 1.2 GB to disk. During a bulk load those
 * indexes are dropped, and made again at its end from the sorted rows, in
 * one pass each, one per transaction.
 *
 * The board's own index (the cards of a column in order) and the owner's
 * stay, so that the window works as the leads arrive; the others only
 * make reports, filters and the duplicate check slower until the end.
 *
 * The statements that make the dropped indexes again are copied from the
 * schema into the meta key below, in the transaction that drops them: a
 * kill at any moment is recovered when the database is next opened
 * (lk_store_catch_up_search(), which lk_store_open() runs), and there is
 * no second copy of the index definitions to keep in step with the
 * migrations. */

#define BULK_LOAD_KEY "bulk-load-indexes"

/* The indexes a bulk load drops: the leads', the follow-ups' and the
 * stage changes'; the duplicate keys' last. */
static const char * const dropped[] = {
  "leads_board", "leads_stage_amount", "leads_stage_updated", "leads_urgency", "leads_updated",
  "leads_created", "leads_owner_due", "leads_uncontacted", "leads_cohort", "leads_report",
  "activities_lead", "activities_at", "activities_followups", "activities_followups_lead",
  "activities_open_tasks", "activities_assigned",
  "stage_changes_lead", "stage_changes_at", "stage_changes_report", "stage_changes_history",
  "leads_phone_key", "leads_email_key", "leads_company_key",
};

/* The first of dropped[] that is a duplicate key */
#define FIRST_KEY_INDEX (G_N_ELEMENTS (dropped) - 3)

/* A bulk load pays for itself from this many leads coming, and when they
 * are at least twice those already there: the indexes are then made once
 * from all the rows instead of taking each new one at a scattered place. */
#define BULK_LOAD_MIN 10000

/**
 * lk_store_bulk_load_wanted:
 * @n_coming: about how many leads are about to be written
 *
 * Whether writing @n_coming leads is better done as a bulk load: the one
 * rule of the first pull, large imports and sample data.
 */
gboolean
lk_store_bulk_load_wanted (LkStore *self,
                           gint64   n_coming)
{
  g_return_val_if_fail (LK_IS_STORE (self), FALSE);

  return n_coming >= BULK_LOAD_MIN && n_coming >= 2 * lk_store_count_leads (self, NULL);
}

/**
 * lk_store_begin_bulk_load:
 * @keep_keys: keep the duplicate keys' indexes (an import looks each row
 *   up in them)
 *
 * Drops the leads' secondary indexes until lk_store_end_bulk_load(), in a
 * transaction of its own. Does nothing when a bulk load is already on.
 */
gboolean
lk_store_begin_bulk_load (LkStore   *self,
                          gboolean   keep_keys,
                          GError   **error)
{
  g_autoptr(GString) statements = g_string_new (NULL);
  guint n = keep_keys ? FIRST_KEY_INDEX : G_N_ELEMENTS (dropped);
  gboolean ok = TRUE;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->depth == 0, FALSE);

  if (lk_store_get_bulk_load (self))
    return TRUE;
  if (!lk_store_begin (self, error))
    return FALSE;
  for (guint i = 0; ok && i < n; i++)
    {
      sqlite3_stmt *stmt = lk_store_prepare (self, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?",
                                             error);
      g_autofree char *sql = NULL;
      g_autofree char *drop = NULL;

      ok = stmt != NULL;
      if (!ok)
        break;
      sqlite3_bind_text (stmt, 1, dropped[i], -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        sql = g_strdup (lk_store_column_text (stmt, 0));
      sqlite3_reset (stmt);
      if (sql == NULL)
        continue;
      g_string_append_printf (statements, "%s;\n", sql);
      /* An index name of the fixed list above, never data. */
      drop = g_strdup_printf ("DROP INDEX %s", dropped[i]);
      ok = lk_store_exec (self, drop, error);
    }
  ok = ok && lk_store_set_local (self, BULK_LOAD_KEY, statements->str, error);
  if (ok)
    g_debug ("Bulk load: %u indexes dropped until it ends", n);
  return lk_store_finish (self, ok, error);
}

/* Whether a bulk load has dropped the leads' secondary indexes */
gboolean
lk_store_get_bulk_load (LkStore *self)
{
  g_autofree char *statements = NULL;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);

  statements = lk_store_get_local (self, BULK_LOAD_KEY);
  return statements != NULL;
}

/* The first statement of @statements: its length, found by SQLite's own
 * reading of it, or 0 when SQLite cannot read it. */
static gsize
first_statement (LkStore    *self,
                 const char *statements)
{
  sqlite3_stmt *stmt = NULL;
  const char *tail = NULL;

  if (sqlite3_prepare_v2 (self->db, statements, -1, &stmt, &tail) != SQLITE_OK || stmt == NULL)
    {
      sqlite3_finalize (stmt);
      return 0;
    }
  sqlite3_finalize (stmt);
  return tail - statements;
}

/**
 * lk_store_end_bulk_load:
 *
 * Makes the indexes a bulk load dropped again, by this process or by one
 * that was stopped half-way: one index per transaction, which also takes
 * its statement out of the list, so that a write of another connection
 * waits for one index at most (about 0.1 s at 100,000 leads), and a kill
 * half-way leaves the rest to the next open. Does nothing when there is
 * no bulk load.
 */
gboolean
lk_store_end_bulk_load (LkStore  *self,
                        GError  **error)
{
  gint64 start = g_get_monotonic_time ();
  guint n = 0;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->depth == 0, FALSE);

  if (!lk_store_get_bulk_load (self))
    return TRUE;
  for (;;)
    {
      g_autofree char *statements = NULL;
      g_autofree char *first = NULL;
      const char *rest;
      gsize length;
      gboolean ok;

      /* The list is read inside the transaction: another connection may
       * be ending the same bulk load (the background indexing after a
       * run and a command-line sync that finishes it itself). */
      if (!lk_store_begin (self, error))
        return FALSE;
      statements = lk_store_get_local (self, BULK_LOAD_KEY);
      if (statements == NULL)
        {
          if (!lk_store_commit (self, error))
            return FALSE;
          break;
        }
      /* The statements are the schema's own, as sqlite_master held them. */
      length = first_statement (self, statements);
      if (length == 0)
        length = strlen (statements);   /* unreadable: all at once, for the error */
      first = g_strndup (statements, length);
      rest = statements + length;
      while (g_ascii_isspace (*rest) || *rest == ';')
        rest++;
      ok = lk_store_exec (self, first, error) &&
           lk_store_set_local (self, BULK_LOAD_KEY, *rest != '\0' ? rest : NULL, error);
      if (!lk_store_finish (self, ok, error))
        {
          g_prefix_error (error, _("Could not index the leads again after loading them: "));
          return FALSE;
        }
      n++;
    }
  if (n == 0)
    return TRUE;
  /* The indexes went through the write-ahead log, tens of megabytes of
   * it: copied into the database now, not by the commit of whichever
   * small write comes next (a stage move took 200 ms once and 8–10 ms
   * for the next dozen). Passive: readers are not waited for. */
  if (sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL) != SQLITE_OK)
    g_debug ("Could not copy the write-ahead log into the database: %s", sqlite3_errmsg (self->db));
  g_debug ("Bulk load over: %u indexes made again in %.0f ms", n, (g_get_monotonic_time () - start) / 1000.0);
  return TRUE;
}
