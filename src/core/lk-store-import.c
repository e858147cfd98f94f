/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-store"

#include <glib/gi18n-lib.h>

#include "lk-doc.h"
#include "lk-error.h"
#include "lk-store-import.h"
#include "lk-store-private.h"
#include "lk-validate.h"

/* Imports in the database: the indexed duplicate keys (written with each
 * lead's other indexes, see write_keys in lk-store-records.c), a row per
 * import in `imports`, and per lead what the import did in
 * `import_leads`, which Undo import reads back. */

void
lk_import_entry_free (LkImportEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->file_name);
  g_free (entry->by_user);
  g_free (entry->state);
  g_free (entry);
}

void
lk_import_change_free (LkImportChange *change)
{
  if (change == NULL)
    return;
  g_free (change->lead_id);
  g_free (change->changes);
  g_free (change);
}

void
lk_import_event_free (LkImportEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->activity_id);
  g_free (event->lead_id);
  g_free (event);
}

static gint64
lookup_key (LkStore     *self,
            const char  *sql,
            const char  *key,
            const char  *key2,
            GError     **error)
{
  sqlite3_stmt *stmt = lk_store_prepare (self, sql, error);
  gint64 rowid = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_bind_parameter_count (stmt) > 1)
    sqlite3_bind_text (stmt, 2, key2, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    rowid = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    rowid = -1;
  sqlite3_reset (stmt);
  if (rowid < 0)
    lk_store_fail (self, error, _("look for duplicates"));
  return rowid;
}

/**
 * lk_store_find_duplicate:
 * @phone_key: (nullable): lk_dedup_phone_key()
 * @email_key: (nullable): lk_dedup_email_key()
 * @company_key: (nullable): lk_dedup_company_key()
 * @contact_key: (nullable): lk_dedup_contact_key(); compared with the
 *   company only
 * @matched: (out) (optional): which key matched
 *
 * Finds a lead (not deleted) that is the same customer: the same phone,
 * else the same email, else the same company and contact. One index
 * lookup per key.
 *
 * Returns: the rowid of the lead found, 0 for none, -1 with @error set
 */
gint64
lk_store_find_duplicate (LkStore         *self,
                         const char      *phone_key,
                         const char      *email_key,
                         const char      *company_key,
                         const char      *contact_key,
                         LkDuplicateKey  *matched,
                         GError         **error)
{
  gint64 rowid = 0;
  LkDuplicateKey which = LK_DUPLICATE_NONE;

  g_return_val_if_fail (LK_IS_STORE (self), -1);

  if (phone_key != NULL)
    {
      rowid = lookup_key (self, "SELECT rowid FROM leads WHERE phone_key = ? LIMIT 1", phone_key, NULL, error);
      which = LK_DUPLICATE_PHONE;
    }
  if (rowid == 0 && email_key != NULL)
    {
      rowid = lookup_key (self, "SELECT rowid FROM leads WHERE email_key = ? LIMIT 1", email_key, NULL, error);
      which = LK_DUPLICATE_EMAIL;
    }
  if (rowid == 0 && company_key != NULL)
    {
      rowid = lookup_key (self, "SELECT rowid FROM leads WHERE company_key = ? AND contact_key IS ? LIMIT 1",
                          company_key, contact_key, error);
      which = LK_DUPLICATE_COMPANY;
    }
  if (matched != NULL)
    *matched = rowid > 0 ? which : LK_DUPLICATE_NONE;
  return rowid;
}

/* Returns: the new import's id, or 0 with @error set */
gint64
lk_store_import_begin (LkStore     *self,
                       const char  *file_name,
                       GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;

  g_return_val_if_fail (LK_IS_STORE (self), 0);
  g_return_val_if_fail (file_name != NULL, 0);

  stmt = lk_store_prepare (self, "INSERT INTO imports (file_name, at, by_user) VALUES (?, ?, ?) RETURNING id", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, file_name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, lk_clock_now_ms (lk_store_get_clock (self)));
  sqlite3_bind_text (stmt, 3, lk_store_get_user_id (self) ? lk_store_get_user_id (self) : "", -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  else
    lk_store_fail (self, error, _("record the import"));
  sqlite3_reset (stmt);
  return id;
}

gboolean
lk_store_import_finish (LkStore     *self,
                        gint64       import_id,
                        const char  *state,
                        gint64       n_created,
                        gint64       n_updated,
                        gint64       n_skipped,
                        gint64       n_invalid,
                        GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);

  stmt = lk_store_prepare (self,
                           "UPDATE imports SET state = ?, n_created = ?, n_updated = ?, n_skipped = ?, n_invalid = ? "
                           "WHERE id = ?",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, state, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, n_created);
  sqlite3_bind_int64 (stmt, 3, n_updated);
  sqlite3_bind_int64 (stmt, 4, n_skipped);
  sqlite3_bind_int64 (stmt, 5, n_invalid);
  sqlite3_bind_int64 (stmt, 6, import_id);
  return lk_store_step_done (self, stmt, error);
}

gboolean
lk_store_import_set_state (LkStore     *self,
                           gint64       import_id,
                           const char  *state,
                           GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);

  stmt = lk_store_prepare (self,
                           "UPDATE imports SET state = ?1, "
                           "undone_at = CASE WHEN ?1 = 'undone' THEN ?2 ELSE undone_at END WHERE id = ?3",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, state, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, lk_clock_now_ms (lk_store_get_clock (self)));
  sqlite3_bind_int64 (stmt, 3, import_id);
  return lk_store_step_done (self, stmt, error);
}

static gboolean
check_lead (LkStore  *self,
            LkLead   *lead,
            GError  **error)
{
  lk_store_give_currency (self, lead);
  return lk_lead_normalize (lead, lk_store_default_region (self), error) &&
         lk_lead_validate (lead, lk_store_get_pipeline (self), error);
}

/**
 * lk_store_import_create:
 *
 * Saves @lead as a new lead (with the stage change of its creation and
 * its sync entry) and records that import @import_id created it. Fails,
 * writing nothing, when the lead is not valid.
 */
gboolean
lk_store_import_create (LkStore  *self,
                        gint64    import_id,
                        LkLead   *lead,
                        GError  **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (LK_IS_LEAD (lead), FALSE);

  return check_lead (self, lead, error) &&
         lk_store_import_write_new (self, import_id, lead, NULL, error);
}

/**
 * lk_store_import_write_new:
 * @lead: normalised and valid (lk_lead_normalize(), lk_lead_validate())
 * @keys: (nullable) (array fixed-size=4): its duplicate keys, when the
 *   caller has made them (lk_dedup_phone_key() with
 *   lk_store_default_region(), lk_dedup_email_key(),
 *   lk_dedup_company_key(), lk_dedup_contact_key())
 *
 * lk_store_import_create() for a lead the caller has checked already: an
 * import checks each row's lead as it reads it.
 */
gboolean
lk_store_import_write_new (LkStore            *self,
                           gint64              import_id,
                           LkLead             *lead,
                           const char * const *keys,
                           GError            **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (LK_IS_LEAD (lead), FALSE);

  lk_record_set_id (LK_RECORD (lead), NULL);
  lk_store_give_currency (self, lead);
  if (!lk_store_begin (self, error))
    return FALSE;
  ok = lk_store_write_new_lead (self, lead, keys, error);
  if (ok)
    {
      stmt = lk_store_prepare (self, "INSERT OR IGNORE INTO import_leads (import_id, lead_id) VALUES (?, ?)", error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, import_id);
          sqlite3_bind_text (stmt, 2, lk_record_get_id (LK_RECORD (lead)), -1, SQLITE_STATIC);
          ok = lk_store_step_done (self, stmt, error);
        }
    }
  return lk_store_finish (self, ok, error);
}

/* The members of two lead documents that differ, as {"name": [before, after]};
 * who and when of the edit are not part of it. */
static JsonObject *
diff_docs (JsonObject *before,
           JsonObject *after)
{
  static const char * const skipped[] = { "_id", "type", "schema", "updated_at", "updated_by", NULL };
  JsonObject *changes = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, after);
  while (json_object_iter_next (&iter, &name, &node))
    {
      JsonNode *old = json_object_get_member (before, name);
      JsonArray *pair;

      if (g_strv_contains (skipped, name) || (old != NULL && json_node_equal (old, node)))
        continue;
      pair = json_array_new ();
      json_array_add_element (pair, old ? json_node_copy (old) : json_node_new (JSON_NODE_NULL));
      json_array_add_element (pair, json_node_copy (node));
      json_object_set_array_member (changes, name, pair);
    }
  return changes;
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

/* Adds @changes to what import @import_id did to @lead_id: a second row
 * of the same file about the same lead keeps the first "before". */
static gboolean
record_changes (LkStore     *self,
                gint64       import_id,
                const char  *lead_id,
                JsonObject  *changes,
                GError     **error)
{
  g_autoptr(JsonObject) merged = NULL;
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt;
  gboolean exists = FALSE;

  stmt = lk_store_prepare (self, "SELECT changes FROM import_leads WHERE import_id = ? AND lead_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, import_id);
  sqlite3_bind_text (stmt, 2, lead_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *old = lk_store_column_text (stmt, 0);

      exists = TRUE;
      if (old != NULL)
        merged = lk_doc_parse (old, -1, NULL);
    }
  sqlite3_reset (stmt);

  /* Created by this import: undoing it deletes it, whatever came later. */
  if (exists && merged == NULL)
    return TRUE;
  if (merged != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *node;

      json_object_iter_init (&iter, changes);
      while (json_object_iter_next (&iter, &name, &node))
        {
          /* A field the earlier row did not change is not there. */
          JsonNode *old_node = json_object_get_member (merged, name);
          JsonArray *old = old_node != NULL && JSON_NODE_HOLDS_ARRAY (old_node) ? json_node_get_array (old_node) : NULL;

          if (old != NULL && json_array_get_length (old) == 2)
            {
              JsonArray *pair = json_array_new ();

              json_array_add_element (pair, json_node_copy (json_array_get_element (old, 0)));
              json_array_add_element (pair, json_node_copy (json_array_get_element (json_node_get_array (node), 1)));
              json_object_set_array_member (merged, name, pair);
            }
          else
            json_object_set_member (merged, name, json_node_copy (node));
        }
      text = object_to_string (merged);
    }
  else
    text = object_to_string (changes);

  stmt = lk_store_prepare (self,
                           "INSERT INTO import_leads (import_id, lead_id, changes) VALUES (?, ?, ?) "
                           "ON CONFLICT (import_id, lead_id) DO UPDATE SET changes = excluded.changes",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, import_id);
  sqlite3_bind_text (stmt, 2, lead_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, text, -1, SQLITE_STATIC);
  return lk_store_step_done (self, stmt, error);
}

/**
 * lk_store_import_update:
 * @lead: the stored lead with the file's values
 * @stored: the lead as it is stored
 *
 * Saves @lead as an ordinary edit, and records what it changed, before
 * and after, for Undo import. Writes nothing when nothing changed.
 */
gboolean
lk_store_import_update (LkStore  *self,
                        gint64    import_id,
                        LkLead   *lead,
                        LkLead   *stored,
                        GError  **error)
{
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonObject) changes = NULL;
  gboolean ok;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (LK_IS_LEAD (lead) && LK_IS_LEAD (stored), FALSE);

  if (!check_lead (self, lead, error) || !lk_store_begin (self, error))
    return FALSE;
  ok = lk_store_update_lead (self, lead, NULL, error);
  if (!ok)
    return FALSE;  /* rolled back by the update */
  before = lk_doc_from_record (LK_RECORD (stored));
  after = lk_doc_from_record (LK_RECORD (lead));
  changes = diff_docs (before, after);
  if (json_object_get_size (changes) > 0)
    ok = record_changes (self, import_id, lk_record_get_id (LK_RECORD (lead)), changes, error);
  return lk_store_finish (self, ok, error);
}

/**
 * lk_store_import_add_events:
 * @lead_id: the lead the row created, updated or matched
 * @types: (array zero-terminated=1): event types (lk-scoring.h), checked
 *   by the caller
 * @at_ms: when they happened
 *
 * Records the behaviour events of a row as activities of kind `event`,
 * remembers them for Undo import, and scores the lead again, as
 * lk_store_log_event() does: one write of the lead for all of them. Meant
 * for the import's batch transaction (nested in it, it adds none).
 */
gboolean
lk_store_import_add_events (LkStore            *self,
                            gint64              import_id,
                            const char         *lead_id,
                            const char * const *types,
                            gint64              at_ms,
                            GError            **error)
{
  g_autoptr(LkLead) lead = NULL;
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (lead_id != NULL && types != NULL, FALSE);

  if (types[0] == NULL)
    return TRUE;
  if (!lk_store_begin (self, error))
    return FALSE;
  lead = lk_store_get_lead (self, lead_id, error);
  if (lead == NULL)
    return lk_store_finish (self, FALSE, error);
  for (guint i = 0; ok && types[i] != NULL; i++)
    {
      g_autoptr(LkActivity) event = lk_activity_new (lead_id, "event");
      LkRecord *record = LK_RECORD (event);

      lk_record_ensure_id (record);
      lk_record_set_int (record, LK_ACTIVITY_AT, at_ms);
      lk_record_set_string (record, LK_ACTIVITY_BY, self->user_id);
      lk_record_set_string (record, LK_ACTIVITY_EVENT_TYPE, types[i]);
      ok = lk_store_put_record (self, record, error);
      if (!ok)
        break;
      stmt = lk_store_prepare (self,
                               "INSERT OR IGNORE INTO import_activities (import_id, activity_id, lead_id) VALUES (?, ?, ?)",
                               error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (stmt, 1, import_id);
          sqlite3_bind_text (stmt, 2, lk_record_get_id (record), -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 3, lead_id, -1, SQLITE_STATIC);
          ok = lk_store_step_done (self, stmt, error);
        }
    }
  /* The update runs the rules: the score counts the new events. */
  ok = ok && lk_store_update_lead (self, lead, NULL, error);
  return lk_store_finish (self, ok, error);
}

/* Scores the lead @lead_id again, when it is still there. */
static gboolean
rescore_lead (LkStore     *self,
              const char  *lead_id,
              GError     **error)
{
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(GError) local_error = NULL;

  lead = lk_store_get_lead (self, lead_id, &local_error);
  if (lead == NULL)
    {
      if (g_error_matches (local_error, LK_ERROR, LK_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (lk_record_get_deleted (LK_RECORD (lead)))
    return TRUE;
  return lk_store_update_lead (self, lead, NULL, error);
}

/**
 * lk_store_import_remove_events:
 * @lead_id: the lead the import recorded them on
 * @activity_ids: (array zero-terminated=1): events of @lead_id an import
 *   recorded
 *
 * Deletes the events (tombstones that sync) and scores their lead again
 * when it is still there: the lead they are on now, which a merge since
 * may have changed. Events deleted already are passed over, so that an
 * Undo cancelled half-way can run again.
 */
gboolean
lk_store_import_remove_events (LkStore            *self,
                               const char         *lead_id,
                               const char * const *activity_ids,
                               GError            **error)
{
  g_autoptr(GPtrArray) leads = g_ptr_array_new_with_free_func (g_free);
  gboolean ok = TRUE;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (lead_id != NULL && activity_ids != NULL, FALSE);

  if (!lk_store_begin (self, error))
    return FALSE;
  g_ptr_array_add (leads, g_strdup (lead_id));
  for (guint i = 0; ok && activity_ids[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(LkRecord) event = lk_store_get_record (self, LK_TYPE_ACTIVITY, "id = ?", activity_ids[i], &local_error);
      const char *on;

      if (event == NULL)
        {
          ok = g_error_matches (local_error, LK_ERROR, LK_ERROR_NOT_FOUND);
          if (!ok)
            g_propagate_error (error, g_steal_pointer (&local_error));
          continue;
        }
      if (lk_record_get_deleted (event))
        continue;
      on = lk_record_get_string (event, LK_ACTIVITY_LEAD);
      if (on != NULL && !g_ptr_array_find_with_equal_func (leads, on, g_str_equal, NULL))
        g_ptr_array_add (leads, g_strdup (on));
      lk_record_set_deleted (event, TRUE);
      ok = lk_store_put_record (self, event, error);
    }
  for (guint i = 0; ok && i < leads->len; i++)
    ok = rescore_lead (self, g_ptr_array_index (leads, i), error);
  return lk_store_finish (self, ok, error);
}

static LkImportEntry *
read_entry (sqlite3_stmt *stmt)
{
  LkImportEntry *entry = g_new0 (LkImportEntry, 1);

  entry->id = sqlite3_column_int64 (stmt, 0);
  entry->file_name = g_strdup (lk_store_column_text (stmt, 1));
  entry->at = sqlite3_column_int64 (stmt, 2);
  entry->by_user = g_strdup (lk_store_column_text (stmt, 3));
  entry->state = g_strdup (lk_store_column_text (stmt, 4));
  entry->n_created = sqlite3_column_int64 (stmt, 5);
  entry->n_updated = sqlite3_column_int64 (stmt, 6);
  entry->n_skipped = sqlite3_column_int64 (stmt, 7);
  entry->n_invalid = sqlite3_column_int64 (stmt, 8);
  return entry;
}

#define ENTRY_COLUMNS "id, file_name, at, by_user, state, n_created, n_updated, n_skipped, n_invalid"

/* Returns: (transfer full) (element-type LkImportEntry): newest first */
GPtrArray *
lk_store_list_imports (LkStore  *self,
                       GError  **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_import_entry_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  stmt = lk_store_prepare (self, "SELECT " ENTRY_COLUMNS " FROM imports ORDER BY id DESC", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, read_entry (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_fail (self, error, _("list the imports"));
      return NULL;
    }
  return g_steal_pointer (&entries);
}

/**
 * lk_store_get_import:
 * @import_id: an import's id; 0 for the last import that can be undone
 *
 * Returns: (transfer full): the import, or %NULL with %LK_ERROR_NOT_FOUND
 */
LkImportEntry *
lk_store_get_import (LkStore     *self,
                     gint64       import_id,
                     GError     **error)
{
  sqlite3_stmt *stmt;
  LkImportEntry *entry = NULL;
  int rc;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  if (import_id > 0)
    stmt = lk_store_prepare (self, "SELECT " ENTRY_COLUMNS " FROM imports WHERE id = ?", error);
  else
    stmt = lk_store_prepare (self, "SELECT " ENTRY_COLUMNS " FROM imports WHERE state = 'done' ORDER BY id DESC LIMIT 1",
                             error);
  if (stmt == NULL)
    return NULL;
  if (import_id > 0)
    sqlite3_bind_int64 (stmt, 1, import_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    entry = read_entry (stmt);
  else if (rc == SQLITE_DONE && import_id > 0)
    g_set_error (error, LK_ERROR, LK_ERROR_NOT_FOUND, _("There is no import %lld"), (long long) import_id);
  else if (rc == SQLITE_DONE)
    g_set_error_literal (error, LK_ERROR, LK_ERROR_NOT_FOUND, _("There is no import to undo"));
  else
    lk_store_fail (self, error, _("read the import"));
  sqlite3_reset (stmt);
  return entry;
}

/* Returns: (transfer full) (element-type LkImportChange): what import
 *   @import_id did, lead by lead */
GPtrArray *
lk_store_list_import_changes (LkStore  *self,
                              gint64    import_id,
                              GError  **error)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_import_change_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  stmt = lk_store_prepare (self, "SELECT lead_id, changes FROM import_leads WHERE import_id = ? ORDER BY lead_id",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, import_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LkImportChange *change = g_new0 (LkImportChange, 1);

      change->lead_id = g_strdup (lk_store_column_text (stmt, 0));
      change->changes = g_strdup (lk_store_column_text (stmt, 1));
      g_ptr_array_add (changes, change);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_fail (self, error, _("read the import"));
      return NULL;
    }
  return g_steal_pointer (&changes);
}

/* Returns: (transfer full) (element-type LkImportEvent): the events
 *   import @import_id recorded, lead by lead */
GPtrArray *
lk_store_list_import_events (LkStore  *self,
                             gint64    import_id,
                             GError  **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_import_event_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  stmt = lk_store_prepare (self,
                           "SELECT activity_id, lead_id FROM import_activities WHERE import_id = ? "
                           "ORDER BY lead_id, activity_id",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, import_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LkImportEvent *event = g_new0 (LkImportEvent, 1);

      event->activity_id = g_strdup (lk_store_column_text (stmt, 0));
      event->lead_id = g_strdup (lk_store_column_text (stmt, 1));
      g_ptr_array_add (events, event);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_fail (self, error, _("read the import"));
      return NULL;
    }
  return g_steal_pointer (&events);
}
