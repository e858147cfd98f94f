/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-store"

#include <glib/gi18n-lib.h>

#include "lk-dedup.h"
#include "lk-doc.h"
#include "lk-error.h"
#include "lk-json.h"
#include "lk-lead-query-private.h"
#include "lk-store-private.h"
#include "lk-validate.h"

/* Reading and writing records. The SQL text for a record type is made from
 * its field table: column names from that fixed table are the only text
 * not bound as a parameter. Every local write is one transaction holding
 * the row, its stage change, the search and tag index rows and the outbox
 * entry that makes it sync. */

#define RECORD_COLUMNS "rowid, id, deleted, extra"
#define N_RECORD_COLUMNS 4
#define KEY_COLUMNS "phone_key, email_key, company_key, contact_key"
#define N_KEYS 4

static void bind_keys (LkStore            *self,
                       sqlite3_stmt       *stmt,
                       LkLead             *lead,
                       const char * const *keys,
                       int                 first);

static const char *
sql_text (LkStore       *self,
          LkRecordClass *klass,
          const char    *which)
{
  g_autofree char *key = g_strconcat (which, ":", klass->table, NULL);
  const char *cached = g_hash_table_lookup (self->sql_texts, key);
  g_autoptr(GString) sql = NULL;

  if (cached != NULL)
    return cached;

  /* Table and column names come from the record classes' fixed field
   * tables, never from data: they are the only text put into SQL here. */
  sql = g_string_new (NULL);
  if (g_str_equal (which, "select"))
    {
      g_string_append (sql, "SELECT " RECORD_COLUMNS);
      for (guint i = 0; i < klass->n_fields; i++)
        g_string_append_printf (sql, ", %s", klass->fields[i].column);
      g_string_append_printf (sql, " FROM %s", klass->table);
    }
  else if (g_str_equal (which, "upsert") || g_str_equal (which, "insert"))
    {
      /* A lead's duplicate keys (lk-dedup) go with its row: ?N+5 to ?N+8. */
      gboolean keys = g_str_equal (klass->table, "leads");

      g_string_append_printf (sql, "INSERT INTO %s (id, deleted, extra, dirty, local_seq", klass->table);
      for (guint i = 0; i < klass->n_fields; i++)
        g_string_append_printf (sql, ", %s", klass->fields[i].column);
      if (keys)
        g_string_append (sql, ", " KEY_COLUMNS);
      g_string_append (sql, ") VALUES (?1, ?2, ?3, ?4, ?4");
      for (guint i = 0; i < klass->n_fields + (keys ? N_KEYS : 0); i++)
        g_string_append_printf (sql, ", ?%u", i + 5);
      g_string_append_c (sql, ')');
      /* A row with an id just made is a plain insert, which costs SQLite
       * less than an upsert (100,000 leads: 0.43 s against 0.69 s). */
      if (g_str_equal (which, "upsert"))
        {
          g_string_append (sql, " ON CONFLICT (id) DO UPDATE SET deleted = excluded.deleted, "
                                "extra = excluded.extra, dirty = excluded.dirty, "
                                "local_seq = local_seq + excluded.dirty");
          for (guint i = 0; i < klass->n_fields; i++)
            g_string_append_printf (sql, ", %s = excluded.%s", klass->fields[i].column, klass->fields[i].column);
          if (keys)
            g_string_append (sql, ", phone_key = excluded.phone_key, email_key = excluded.email_key, "
                                  "company_key = excluded.company_key, contact_key = excluded.contact_key");
        }
    }
  else /* locate */
    g_string_append_printf (sql, "SELECT rowid, local_seq FROM %s WHERE id = ?", klass->table);
  cached = g_string_free (g_steal_pointer (&sql), FALSE);
  g_hash_table_insert (self->sql_texts, g_steal_pointer (&key), (char *) cached);
  return cached;
}

/* The tags column: a JSON array of strings, written as json-glib writes
 * it (["a","b"], escaped the same way) without building a tree of nodes
 * for each lead written. */
static char *
tags_to_json (const char * const *tags)
{
  GString *json = g_string_new ("[");

  for (guint i = 0; tags[i]; i++)
    {
      if (i > 0)
        g_string_append_c (json, ',');
      g_string_append_c (json, '"');
      for (const char *p = tags[i]; *p; p++)
        {
          guchar c = (guchar) *p;

          switch (c)
            {
            case '"':
              g_string_append (json, "\\\"");
              break;
            case '\\':
              g_string_append (json, "\\\\");
              break;
            case '\b':
              g_string_append (json, "\\b");
              break;
            case '\f':
              g_string_append (json, "\\f");
              break;
            case '\n':
              g_string_append (json, "\\n");
              break;
            case '\r':
              g_string_append (json, "\\r");
              break;
            case '\t':
              g_string_append (json, "\\t");
              break;
            default:
              if (c < 0x20)
                g_string_append_printf (json, "\\u%04x", c);
              else
                g_string_append_c (json, (char) c);
              break;
            }
        }
      g_string_append_c (json, '"');
    }
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

static char **
tags_from_json (const char *text)
{
  g_autoptr(JsonNode) root = text != NULL ? lk_json_parse (text, -1, NULL) : NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *tag = json_array_get_string_element (array, i);

          if (tag != NULL)
            g_strv_builder_add (builder, tag);
        }
    }
  return g_strv_builder_end (builder);
}

static LkRecord *
read_record (sqlite3_stmt *stmt,
             GType         type)
{
  LkRecord *record = g_object_new (type, NULL);
  LkRecordClass *klass = LK_RECORD_GET_CLASS (record);
  const char *extra;

  lk_record_set_rowid (record, sqlite3_column_int64 (stmt, 0));
  lk_record_set_id (record, lk_store_column_text (stmt, 1));
  lk_record_set_deleted (record, sqlite3_column_int (stmt, 2));
  extra = lk_store_column_text (stmt, 3);
  if (extra != NULL)
    {
      g_autoptr(JsonObject) object = lk_doc_parse (extra, -1, NULL);

      lk_record_set_extra (record, object);
    }

  for (guint i = 0; i < klass->n_fields; i++)
    {
      int column = N_RECORD_COLUMNS + (int) i;

      switch (klass->fields[i].kind)
        {
        case LK_FIELD_STRING:
        case LK_FIELD_REF:
          lk_record_set_string (record, i, lk_store_column_text (stmt, column));
          break;
        case LK_FIELD_TAGS:
          {
            g_auto(GStrv) tags = tags_from_json (lk_store_column_text (stmt, column));

            lk_record_set_tags (record, i, (const char * const *) tags);
          }
          break;
        case LK_FIELD_INT:
        case LK_FIELD_MONEY:
        case LK_FIELD_BOOL:
        case LK_FIELD_TIME:
        default:
          lk_record_set_int (record, i, sqlite3_column_int64 (stmt, column));
          break;
        }
    }
  return record;
}

static void
bind_fields (sqlite3_stmt *stmt,
             LkRecord     *record,
             int           first)
{
  LkRecordClass *klass = LK_RECORD_GET_CLASS (record);

  for (guint i = 0; i < klass->n_fields; i++)
    {
      int index = first + (int) i;

      switch (klass->fields[i].kind)
        {
        case LK_FIELD_STRING:
        case LK_FIELD_REF:
          {
            const char *text = lk_record_get_string (record, i);

            if (text == NULL)
              sqlite3_bind_null (stmt, index);
            else
              sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);  /* the record outlives the step */
          }
          break;
        case LK_FIELD_TAGS:
          sqlite3_bind_text (stmt, index, tags_to_json (lk_record_get_tags (record, i)), -1, g_free);
          break;
        case LK_FIELD_TIME:
          if (lk_record_get_int (record, i) == 0)
            sqlite3_bind_null (stmt, index);
          else
            sqlite3_bind_int64 (stmt, index, lk_record_get_int (record, i));
          break;
        case LK_FIELD_INT:
        case LK_FIELD_MONEY:
        case LK_FIELD_BOOL:
        default:
          sqlite3_bind_int64 (stmt, index, lk_record_get_int (record, i));
          break;
        }
    }
}

static gboolean
queue_outbox (LkStore     *self,
              const char  *doc_id,
              gboolean     deleted,
              gint64       local_seq,
              GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = lk_store_prepare (self,
                           "INSERT INTO outbox (doc_id, op, local_seq, queued_at) VALUES (?, ?, ?, ?) "
                           "ON CONFLICT (doc_id) DO UPDATE SET op = excluded.op, "
                           "local_seq = excluded.local_seq, attempts = 0, next_try_at = 0, last_error = NULL",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, doc_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, deleted ? "delete" : "put", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, local_seq);
  sqlite3_bind_int64 (stmt, 4, lk_clock_now_ms (self->clock));
  return lk_store_step_done (self, stmt, error);
}

/* Writes @record's row. A local write marks it dirty, bumps local_seq and
 * queues it for sync; a write from the server (@local %FALSE) leaves the
 * row clean and local_seq as it was, and queues nothing. @keys: (nullable):
 * a lead's duplicate keys, when the caller has made them (bind_keys).
 * @fresh: the record's id was just made, so it has no row yet. */
static gboolean
put_record_full (LkStore            *self,
                 LkRecord           *record,
                 gboolean            local,
                 const char * const *keys,
                 gboolean            fresh,
                 GError            **error)
{
  LkRecordClass *klass = LK_RECORD_GET_CLASS (record);
  sqlite3_stmt *stmt;
  gint64 local_seq, inserted;
  int rc;

  g_assert (self->depth > 0);

  stmt = lk_store_prepare (self, sql_text (self, klass, fresh ? "insert" : "upsert"), error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, lk_record_get_id (record), -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, lk_record_get_deleted (record));
  if (lk_record_get_extra (record) != NULL)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (node, lk_record_get_extra (record));
      sqlite3_bind_text (stmt, 3, json_to_string (node, FALSE), -1, g_free);
    }
  sqlite3_bind_int (stmt, 4, local ? 1 : 0);
  bind_fields (stmt, record, 5);
  if (LK_IS_LEAD (record))
    bind_keys (self, stmt, LK_LEAD (record), keys, 5 + (int) klass->n_fields);

  /* No RETURNING: it makes SQLite keep a statement journal of every page
   * the insert touches, which made a row with its many indexes several
   * times slower to write. A new row's rowid is the last one inserted
   * (0 is never a rowid); a row that was there is looked up. */
  sqlite3_set_last_insert_rowid (self->db, 0);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return lk_store_fail (self, error, _("save the record"));
  inserted = sqlite3_last_insert_rowid (self->db);
  self->last_added = inserted > 0 ? record : NULL;
  if (inserted > 0)
    {
      lk_record_set_rowid (record, inserted);
      local_seq = local ? 1 : 0;
    }
  else
    {
      stmt = lk_store_prepare (self, sql_text (self, klass, "locate"), error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, lk_record_get_id (record), -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          lk_record_set_rowid (record, sqlite3_column_int64 (stmt, 0));
          local_seq = sqlite3_column_int64 (stmt, 1);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW)
        return lk_store_fail (self, error, _("save the record"));
    }

  lk_store_note_changed (self, klass->doc_type, lk_record_get_id (record));
  if (!local)
    return TRUE;
  return queue_outbox (self, lk_record_get_id (record), lk_record_get_deleted (record), local_seq, error);
}

static gboolean
put_record (LkStore   *self,
            LkRecord  *record,
            GError   **error)
{
  return lk_store_keep_sync_base (self, record, error) &&
         put_record_full (self, record, !self->local_only, NULL, FALSE, error);
}

static void
append_search_text (GString    *body,
                    const char *text)
{
  if (text == NULL || text[0] == '\0')
    return;
  if (body->len > 0)
    g_string_append_c (body, '\n');
  g_string_append (body, text);
}

/* The fields the search holds; catch_up_batch() selects their columns in
 * this order. */
static const LkLeadField searchable[] = {
  LK_LEAD_COMPANY, LK_LEAD_CONTACT, LK_LEAD_CODE, LK_LEAD_PHONE, LK_LEAD_EMAIL, LK_LEAD_IM,
  LK_LEAD_TITLE, LK_LEAD_INDUSTRY, LK_LEAD_REGION, LK_LEAD_SOURCE, LK_LEAD_CAMPAIGN,
  LK_LEAD_NEEDS, LK_LEAD_NOTES,
};

/* Whether the search or tag index of @lead must be rewritten: most edits
 * (a stage move, a follow-up date) change neither, and re-indexing the
 * trigrams of a lead is the most expensive part of a write. */
static gboolean
index_differs (LkLead *lead,
               LkLead *stored)
{
  if (stored == NULL ||
      lk_record_get_deleted (LK_RECORD (lead)) != lk_record_get_deleted (LK_RECORD (stored)) ||
      !lk_record_field_equal (LK_RECORD (lead), LK_RECORD (stored), LK_LEAD_TAGS))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (searchable); i++)
    if (!lk_record_field_equal (LK_RECORD (lead), LK_RECORD (stored), searchable[i]))
      return TRUE;
  return FALSE;
}

/* The duplicate keys of one lead (lk-dedup), on its row: indexed, so an
 * import or the editor finds a duplicate with one lookup per key. A
 * deleted lead has none. */
static gboolean
write_keys_of (LkStore     *self,
               gint64       rowid,
               gboolean     deleted,
               const char  *phone,
               const char  *email,
               const char  *company,
               const char  *contact,
               GError     **error)
{
  char *keys[4] = { NULL, };
  sqlite3_stmt *stmt;

  if (!deleted)
    {
      keys[0] = lk_dedup_phone_key (phone, lk_store_default_region (self));
      keys[1] = lk_dedup_email_key (email);
      keys[2] = lk_dedup_company_key (company);
      keys[3] = lk_dedup_contact_key (contact);
    }
  stmt = lk_store_prepare (self,
                           "UPDATE leads SET phone_key = ?, email_key = ?, company_key = ?, contact_key = ? "
                           "WHERE rowid = ?",
                           error);
  if (stmt == NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        g_free (keys[i]);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    sqlite3_bind_text (stmt, (int) i + 1, keys[i], -1, g_free);
  sqlite3_bind_int64 (stmt, 5, rowid);
  return lk_store_step_done (self, stmt, error);
}

/* Binds the duplicate keys of @lead from parameter @first on, in the
 * order of KEY_COLUMNS: written with its row. A deleted lead has none.
 * @keys: (nullable) (array fixed-size=4): the keys, already made from
 * @lead as below (an import makes them on its reading thread). */
static void
bind_keys (LkStore            *self,
           sqlite3_stmt       *stmt,
           LkLead             *lead,
           const char * const *keys,
           int                 first)
{
  LkRecord *record = LK_RECORD (lead);

  if (lk_record_get_deleted (record))
    {
      for (int i = 0; i < N_KEYS; i++)
        sqlite3_bind_null (stmt, first + i);
      return;
    }
  if (keys != NULL)
    {
      for (int i = 0; i < N_KEYS; i++)
        sqlite3_bind_text (stmt, first + i, keys[i], -1, SQLITE_STATIC);  /* the caller's, past the step */
      return;
    }
  sqlite3_bind_text (stmt, first, lk_dedup_phone_key (lk_record_get_string (record, LK_LEAD_PHONE),
                                                      lk_store_default_region (self)), -1, g_free);
  sqlite3_bind_text (stmt, first + 1, lk_dedup_email_key (lk_record_get_string (record, LK_LEAD_EMAIL)), -1, g_free);
  sqlite3_bind_text (stmt, first + 2, lk_dedup_company_key (lk_lead_get_company (lead)), -1, g_free);
  sqlite3_bind_text (stmt, first + 3, lk_dedup_contact_key (lk_lead_get_contact (lead)), -1, g_free);
}

/* Fills the duplicate keys of every lead: the migration to schema 2 runs
 * it over the leads written before keys existed. The rows are read first,
 * then written. */
gboolean
lk_store_fill_dedup_keys (LkStore  *self,
                          GError  **error)
{
  g_autoptr(GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = lk_store_prepare (self, "SELECT rowid, phone, email, company, contact FROM leads WHERE deleted = 0",
                           error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (rowids, rowid);
      for (int c = 1; c <= 4; c++)
        g_ptr_array_add (texts, g_strdup (lk_store_column_text (stmt, c)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return lk_store_fail (self, error, _("read the leads"));
  for (guint i = 0; i < rowids->len; i++)
    if (!write_keys_of (self, g_array_index (rowids, gint64, i), FALSE,
                        g_ptr_array_index (texts, 4 * i), g_ptr_array_index (texts, 4 * i + 1),
                        g_ptr_array_index (texts, 4 * i + 2), g_ptr_array_index (texts, 4 * i + 3),
                        error))
      return FALSE;
  return TRUE;
}

/* The text the search indexes hold for @lead: "" for a deleted one. */
static char *
search_body (LkLead *lead)
{
  LkRecord *record = LK_RECORD (lead);
  const char * const *tags = lk_record_get_tags (record, LK_LEAD_TAGS);
  GString *body = g_string_new (NULL);

  if (lk_record_get_deleted (record))
    return g_string_free (body, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (searchable); i++)
    append_search_text (body, lk_record_get_string (record, searchable[i]));
  for (guint i = 0; tags[i]; i++)
    append_search_text (body, tags[i]);
  return g_string_free (body, FALSE);
}

/* Leads indexed per transaction of a catch-up, in the background or not:
 * about a quarter of a second of work, which the window's own writes may
 * wait for. Each transaction writes one segment of the index, and FTS5
 * merges 16 of them into one: in batches of 5,000, indexing 100,000 leads
 * took 2.2 s, twice as long as in batches of 20,000. */
#define CATCH_UP_BATCH 20000

/* The search index and the tag index of one lead. The tag rows are
 * written now; the search row waits for the commit (lk_store_flush_search).
 * While the search is deferred (lk_store_set_defer_search) the lead's old
 * search rows are only removed, and lk_store_catch_up_search() writes the
 * new ones later. */
static gboolean
index_lead (LkStore  *self,
            LkLead   *lead,
            GError  **error)
{
  LkRecord *record = LK_RECORD (lead);
  gint64 rowid = lk_record_get_rowid (record);
  const char * const *tags = lk_record_get_tags (record, LK_LEAD_TAGS);
  /* The row this lead's write just added (every caller indexes a lead
   * right after writing it) has neither tag nor search rows yet: a lead's
   * row is never removed from the table (a deleted lead stays as a
   * tombstone), so its rowid is new. */
  gboolean added = self->last_added == record;
  sqlite3_stmt *stmt;

  self->last_added = NULL;
  if (!added)
    {
      stmt = lk_store_prepare (self, "DELETE FROM lead_tags WHERE lead_rowid = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rowid);
      if (!lk_store_step_done (self, stmt, error))
        return FALSE;
    }

  if (!lk_record_get_deleted (record))
    for (guint i = 0; tags[i]; i++)
      {
        stmt = lk_store_prepare (self, "INSERT OR IGNORE INTO lead_tags (tag, lead_rowid) VALUES (?, ?)", error);
        if (stmt == NULL)
          return FALSE;
        sqlite3_bind_text (stmt, 1, tags[i], -1, SQLITE_STATIC);
        sqlite3_bind_int64 (stmt, 2, rowid);
        if (!lk_store_step_done (self, stmt, error))
          return FALSE;
      }
  if (self->defer_search && !lk_record_get_deleted (record))
    {
      if (!added)
        g_hash_table_insert (self->fts_pending, g_memdup2 (&rowid, sizeof rowid), g_strdup (""));
      self->search_deferred = TRUE;
    }
  else
    g_hash_table_insert (self->fts_pending, g_memdup2 (&rowid, sizeof rowid), search_body (lead));
  return TRUE;
}

/* Writes the queued search rows, as the last statements before COMMIT.
 * FTS5 flushes its in-memory index whenever another statement of the
 * transaction opens a savepoint, so writing search rows in between the
 * other rows made a tiny index segment per lead and bulk writes 10×
 * slower. */
static int
compare_rowids (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

gboolean
lk_store_flush_search (LkStore  *self,
                       GError  **error)
{
  g_autoptr(GArray) rowids = g_array_sized_new (FALSE, FALSE, sizeof (gint64),
                                                 g_hash_table_size (self->fts_pending));
  GHashTableIter iter;
  gpointer key;

  /* Leads left out of the search: remembered in the same transaction, so
   * that the next open finishes their indexing if this process does not. */
  if (self->search_deferred)
    {
      self->search_deferred = FALSE;
      if (!lk_store_set_local (self, SEARCH_PENDING_KEY, "1", error))
        return FALSE;
    }
  g_hash_table_iter_init (&iter, self->fts_pending);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_array_append_val (rowids, *(gint64 *) key);
  /* In rowid order: FTS5 appends in-order rowids to its index cheaply. */
  g_array_sort (rowids, compare_rowids);
  for (guint i = 0; i < rowids->len; i++)
    {
      gint64 rowid = g_array_index (rowids, gint64, i);
      const char *body = g_hash_table_lookup (self->fts_pending, &rowid);
      sqlite3_stmt *stmt;
      int rc;

      /* A lead with no search row yet (new, or deferred) has nothing to
       * delete: a lookup in FTS5's own table of the indexed texts costs
       * much less than a delete, even one that finds nothing. */
      stmt = lk_store_prepare (self, "SELECT 1 FROM leads_search_content WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rowid);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return lk_store_fail (self, error, _("update the search index"));
      if (rc == SQLITE_ROW)
        {
          stmt = lk_store_prepare (self, "DELETE FROM leads_search WHERE rowid = ?", error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, rowid);
          if (!lk_store_step_done (self, stmt, error))
            return FALSE;
        }
      if (body[0] == '\0')
        continue;

      stmt = lk_store_prepare (self, "INSERT INTO leads_search (rowid, body) VALUES (?, ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, rowid);
      sqlite3_bind_text (stmt, 2, body, -1, SQLITE_STATIC);
      if (!lk_store_step_done (self, stmt, error))
        return FALSE;
    }
  g_hash_table_remove_all (self->fts_pending);
  return TRUE;
}

/**
 * lk_store_set_defer_search:
 * @defer: %TRUE to leave the search rows of the leads this connection
 *   writes from now on to lk_store_catch_up_search()
 *
 * For bulk writes (an initial pull, an import, sample data): writing the
 * trigram and short-term search rows lead by lead is most of the cost of
 * a write, and indexing many leads at once is several times cheaper. Each
 * transaction that leaves leads out marks the database (the meta key
 * "search-pending"), and lk_store_open() finishes the indexing of a
 * database so marked, so a kill at any moment loses nothing.
 */
void
lk_store_set_defer_search (LkStore  *self,
                           gboolean  defer)
{
  g_return_if_fail (LK_IS_STORE (self));
  if (self->defer_search == !!defer)
    return;
  self->defer_search = !!defer;
  /* Bulk writes also copy the write-ahead log into the database less
   * often (40 MB instead of 4 MB: an index page written by many
   * transactions is copied once, with one sync instead of ten) and keep
   * more of the indexes in memory (128 MB instead of 32 MB) until they
   * are over. Commits stay as durable as before. */
  lk_store_scale_checkpoints (self, defer ? 10 : 1);
  if (!lk_store_exec (self, defer ? "PRAGMA cache_size = -131072" : "PRAGMA cache_size = -32768", NULL))
    g_debug ("Could not change the cache size");
}

/**
 * lk_store_get_search_pending:
 *
 * Returns: whether some leads are still missing from the search indexes
 *   (lk_store_catch_up_search() writes them)
 */
gboolean
lk_store_get_search_pending (LkStore *self)
{
  g_autofree char *pending = NULL;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);

  pending = lk_store_get_local (self, SEARCH_PENDING_KEY);
  return g_strcmp0 (pending, "1") == 0;
}

/* One batch of the catch-up: the next @limit live leads after @after that
 * have no search row, indexed in one transaction; the mark goes with the
 * last batch. */
static gboolean
catch_up_batch (LkStore  *self,
                gint64   *after,
                guint     limit,
                gboolean *done,
                GError  **error)
{
  sqlite3_stmt *stmt;
  gboolean from_start = *after == 0;
  guint n = 0;
  int rc;

  if (!lk_store_begin (self, error))
    return FALSE;
  /* Only what the search holds, in the order of searchable[] (no lead
   * object is made for it), then the tags. */
  stmt = lk_store_prepare (self,
                           "SELECT rowid, company, contact, code, phone, email, im, title, industry, region, "
                           "source, campaign, needs, notes, tags FROM leads "
                           "WHERE rowid > ? AND deleted = 0 AND NOT EXISTS "
                           "(SELECT 1 FROM leads_search_content f WHERE f.id = leads.rowid) ORDER BY rowid LIMIT ?",
                           error);
  if (stmt == NULL)
    return lk_store_finish (self, FALSE, error);
  sqlite3_bind_int64 (stmt, 1, *after);
  sqlite3_bind_int64 (stmt, 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);
      g_auto(GStrv) tags = tags_from_json (lk_store_column_text (stmt, 1 + G_N_ELEMENTS (searchable)));
      GString *body = g_string_new (NULL);

      for (guint i = 0; i < G_N_ELEMENTS (searchable); i++)
        append_search_text (body, lk_store_column_text (stmt, 1 + (int) i));
      for (guint i = 0; tags[i] != NULL; i++)
        append_search_text (body, tags[i]);
      g_hash_table_insert (self->fts_pending, g_memdup2 (&rowid, sizeof rowid), g_string_free (body, FALSE));
      *after = rowid;
      n++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return lk_store_finish (self, lk_store_fail (self, error, _("index the leads for search")), error);
  /* The end of a pass: another connection may have deferred leads behind
   * it meanwhile, so the mark goes only with a batch that looked at every
   * lead from the first. */
  *done = n < limit && from_start;
  if (n < limit && !from_start)
    *after = 0;
  if (*done && !lk_store_set_local (self, SEARCH_PENDING_KEY, NULL, error))
    return lk_store_finish (self, FALSE, error);
  /* What a search finds has changed. */
  if (n > 0)
    lk_store_note_changed (self, "lead", NULL);
  return lk_store_commit (self, error);
}

/* The search rows of lk_store_catch_up_search(), without the bulk load's
 * indexes: a benchmark times the two apart. */
gboolean
lk_store_catch_up_search_rows (LkStore       *self,
                               guint          batch,
                               GCancellable  *cancellable,
                               GError       **error)
{
  gboolean done = FALSE;
  gboolean defer;
  gint64 after = 0;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->depth == 0, FALSE);

  if (!lk_store_get_search_pending (self))
    return TRUE;
  defer = self->defer_search;
  self->defer_search = FALSE;
  while (!done)
    if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
        !catch_up_batch (self, &after, batch > 0 ? batch : CATCH_UP_BATCH, &done, error))
      {
        self->defer_search = defer;
        return FALSE;
      }
  self->defer_search = defer;
  return TRUE;
}

/**
 * lk_store_catch_up_search:
 * @batch: leads indexed per transaction; 0 for the default
 * @cancellable: (nullable): stops between two batches
 *
 * Writes the search rows of the leads whose indexing was deferred
 * (lk_store_set_defer_search), in transactions of @batch leads in rowid
 * order, and clears the database's mark with the last one; then makes the
 * indexes a bulk load dropped (lk_store_end_bulk_load()). The search rows
 * come first: a search that misses leads is wrong, a report without its
 * index only slower. Does nothing when the database is not marked and no
 * bulk load is on. Search results are complete once it returns %TRUE.
 */
gboolean
lk_store_catch_up_search (LkStore       *self,
                          guint          batch,
                          GCancellable  *cancellable,
                          GError       **error)
{
  return lk_store_catch_up_search_rows (self, batch, cancellable, error) &&
         !g_cancellable_set_error_if_cancelled (cancellable, error) &&
         lk_store_end_bulk_load (self, error);
}

static void
catch_up_thread (GTask        *task,
                 gpointer      source,
                 gpointer      data,
                 GCancellable *cancellable)
{
  GError *error = NULL;

  if (!lk_store_catch_up_search (data, CATCH_UP_BATCH, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
caught_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not index the leads for search: %s", error->message);
    }
  /* Searches find more now. */
  lk_store_emit_changed (LK_STORE (source), "lead", NULL);
}

/**
 * lk_store_catch_up_search_in_background:
 * @cancellable: (nullable): stops it between two batches; the database
 *   stays marked and the next catch-up (or open) finishes the work
 *
 * Runs lk_store_catch_up_search() on a worker thread with its own
 * connection, in small batches so that the window's writes wait little,
 * and emits ::changed for leads on this store when it is done. Does
 * nothing when the database is not marked.
 */
void
lk_store_catch_up_search_in_background (LkStore      *self,
                                        GCancellable *cancellable)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  LkStore *worker;

  g_return_if_fail (LK_IS_STORE (self));

  if (!lk_store_get_search_pending (self) && !lk_store_get_bulk_load (self))
    return;
  worker = lk_store_open_worker (self, &error);
  if (worker == NULL)
    {
      g_warning ("Could not index the leads for search: %s", error->message);
      return;
    }
  task = g_task_new (self, cancellable, caught_up_cb, NULL);
  g_task_set_task_data (task, worker, g_object_unref);
  g_task_run_in_thread (task, catch_up_thread);
}

static gboolean
record_stage_change (LkStore     *self,
                     LkLead      *lead,
                     const char  *from,
                     const char  *reason,
                     gboolean     reopen,
                     gint64       at,
                     GError     **error)
{
  g_autoptr(LkStageChange) change = lk_stage_change_new (lk_record_get_id (LK_RECORD (lead)),
                                                         from, lk_lead_get_stage (lead));
  LkRecord *record = LK_RECORD (change);

  lk_record_ensure_id (record);
  lk_record_set_int (record, LK_STAGE_CHANGE_AT, at);
  lk_record_set_string (record, LK_STAGE_CHANGE_BY, self->user_id);
  lk_record_set_string (record, LK_STAGE_CHANGE_REASON, reason);
  lk_record_set_bool (record, LK_STAGE_CHANGE_REOPEN, reopen);
  /* Its id was just made: there is no synced version of it to keep. */
  return put_record_full (self, record, !self->local_only, NULL, TRUE, error);
}

/* Writes the records the rules added to a lead's write (lk-store-rules.c):
 * its assignment, a stage's task. */
static gboolean
put_follow (LkStore    *self,
            GPtrArray  *follow,
            GError    **error)
{
  for (guint i = 0; i < follow->len; i++)
    if (!put_record (self, g_ptr_array_index (follow, i), error))
      return FALSE;
  return TRUE;
}

/* The region of phone numbers written without a country code: a local
 * setting of this desktop, read once. */
const char *
lk_store_default_region (LkStore *self)
{
  if (self->phone_region == NULL)
    {
      g_autofree char *region = lk_store_get_local (self, "phone-region");

      self->phone_region = g_strdup (region ? region : LK_DEFAULT_PHONE_REGION);
    }
  return self->phone_region;
}

/* Fills what a new lead gets when it is first saved. */
static void
stamp_new_lead (LkStore *self,
                LkLead  *lead)
{
  LkRecord *record = LK_RECORD (lead);
  gint64 now = lk_clock_now_ms (self->clock);

  lk_record_ensure_id (record);
  if (lk_record_get_int (record, LK_LEAD_CREATED_AT) == 0)
    lk_record_set_int (record, LK_LEAD_CREATED_AT, now);
  if (lk_record_get_string (record, LK_LEAD_CREATED_BY)[0] == '\0')
    lk_record_set_string (record, LK_LEAD_CREATED_BY, self->user_id);
  if (lk_record_get_int (record, LK_LEAD_STAGE_ENTERED_AT) == 0)
    lk_record_set_int (record, LK_LEAD_STAGE_ENTERED_AT, lk_record_get_int (record, LK_LEAD_CREATED_AT));
  if (lk_lead_get_owner (lead) != NULL && lk_record_get_int (record, LK_LEAD_ASSIGNED_AT) == 0)
    lk_record_set_int (record, LK_LEAD_ASSIGNED_AT, now);
  if (lk_record_get_int (record, LK_LEAD_UPDATED_AT) == 0)
    lk_record_set_int (record, LK_LEAD_UPDATED_AT, now);
  if (lk_record_get_string (record, LK_LEAD_UPDATED_BY)[0] == '\0')
    lk_record_set_string (record, LK_LEAD_UPDATED_BY, self->user_id);
}

/* A lead without a currency (a new LkLead has none) gets the team's. */
void
lk_store_give_currency (LkStore *self,
                        LkLead  *lead)
{
  g_autofree char *currency = NULL;

  if (lk_record_get_string (LK_RECORD (lead), LK_LEAD_CURRENCY)[0] != '\0')
    return;
  currency = lk_store_get_currency (self);
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_CURRENCY, currency);
}

/**
 * lk_store_create_lead:
 *
 * Saves a new lead (making its id when it has none) with the stage change
 * that records its creation. A lead without a currency gets the team's
 * (lk_store_get_currency()). @lead is updated with its id, times,
 * currency and normalised phone.
 */
gboolean
lk_store_create_lead (LkStore  *self,
                      LkLead   *lead,
                      GError  **error)
{
  LkRecord *record = LK_RECORD (lead);
  g_autoptr(GPtrArray) follow = NULL;
  gboolean ok;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (LK_IS_LEAD (lead), FALSE);

  lk_store_give_currency (self, lead);
  if (!lk_lead_normalize (lead, lk_store_default_region (self), error) ||
      !lk_lead_validate (lead, self->pipeline, error) ||
      !lk_pipeline_check_move (self->pipeline, NULL, lk_lead_get_stage (lead),
                               lk_record_get_string (record, LK_LEAD_LOST_REASON), NULL, error))
    return FALSE;

  lk_record_set_deleted (record, FALSE);
  lk_record_set_int (record, LK_LEAD_UPDATED_AT, 0);
  lk_record_set_string (record, LK_LEAD_UPDATED_BY, NULL);
  stamp_new_lead (self, lead);

  if (!lk_store_begin (self, error))
    return FALSE;
  {
    g_autoptr(LkLead) existing = lk_store_get_lead (self, lk_record_get_id (record), NULL);

    /* A create never overwrites: a second create with the same id would
     * replace the lead and record its creation twice. */
    if (existing != NULL)
      {
        g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                     _("A lead with the id “%s” already exists"), lk_record_get_id (record));
        return lk_store_finish (self, FALSE, error);
      }
  }
  follow = g_ptr_array_new_with_free_func (g_object_unref);
  ok = lk_store_apply_lead_rules (self, lead, NULL, FALSE, NULL, follow, error) &&
       put_record (self, record, error) &&
       index_lead (self, lead, error) &&
       record_stage_change (self, lead, NULL,
                            lk_record_get_string (record, LK_LEAD_LOST_REASON), FALSE,
                            lk_record_get_int (record, LK_LEAD_STAGE_ENTERED_AT), error) &&
       put_follow (self, follow, error);
  return lk_store_finish (self, ok, error);
}

/* Writes a new, normalised and valid lead with the stage change of its
 * creation, inside the caller's transaction: the bulk form of
 * lk_store_create_lead() for importers. @lead has no id: its id is made
 * here. @keys:
 * (nullable) (array fixed-size=4): its duplicate keys, when the caller
 * has made them: lk_dedup_phone_key() (with lk_store_default_region()),
 * lk_dedup_email_key(), lk_dedup_company_key(), lk_dedup_contact_key(). */
gboolean
lk_store_write_new_lead (LkStore            *self,
                         LkLead             *lead,
                         const char * const *keys,
                         GError            **error)
{
  LkRecord *record = LK_RECORD (lead);

  g_assert (self->depth > 0);
  g_return_val_if_fail (lk_record_get_id (record) == NULL, FALSE);

  lk_record_set_deleted (record, FALSE);
  stamp_new_lead (self, lead);
  /* New ids have no synced version to keep (lk_store_keep_sync_base). */
  return put_record_full (self, record, !self->local_only, keys, TRUE, error) &&
         index_lead (self, lead, error) &&
         record_stage_change (self, lead, NULL,
                              lk_record_get_string (record, LK_LEAD_LOST_REASON), FALSE,
                              lk_record_get_int (record, LK_LEAD_STAGE_ENTERED_AT), error);
}

/**
 * lk_store_put_records:
 * @records: (element-type LkRecord): leads, activities, stage changes, users
 *
 * Writes records as they are, with their own times, authors and history,
 * in one transaction: for bulk work such as sample data, imports and
 * merges, where the caller builds the history. Leads are normalised,
 * validated and indexed; every record is queued for sync. Nothing is
 * written when one record is invalid.
 */
gboolean
lk_store_put_records (LkStore    *self,
                      GPtrArray  *records,
                      GError    **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (records != NULL, FALSE);

  if (!lk_store_begin (self, error))
    return FALSE;
  for (guint i = 0; ok && i < records->len; i++)
    {
      LkRecord *record = g_ptr_array_index (records, i);

      if (LK_IS_LEAD (record))
        {
          LkLead *lead = LK_LEAD (record);

          lk_store_give_currency (self, lead);
          ok = lk_lead_normalize (lead, lk_store_default_region (self), error) &&
               lk_lead_validate (lead, self->pipeline, error);
          if (!ok)
            {
              g_prefix_error (error, "%s: ", lk_lead_get_display_name (lead));
              break;
            }
          stamp_new_lead (self, lead);
          ok = put_record (self, record, error) && index_lead (self, lead, error);
        }
      else
        {
          lk_record_ensure_id (record);
          ok = put_record (self, record, error);
        }
    }
  return lk_store_finish (self, ok, error);
}

static LkRecord *
get_record (LkStore     *self,
            GType        type,
            const char  *where,
            const char  *text,
            gint64       number,
            GError     **error)
{
  LkRecordClass *klass = g_type_class_peek (type);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  LkRecord *record = NULL;
  int rc;

  if (klass == NULL)
    klass = g_type_class_ref (type);  /* kept for the program's life, as GObject does */
  sql = g_strconcat (sql_text (self, klass, "select"), " WHERE ", where, NULL);
  stmt = lk_store_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_int64 (stmt, 1, number);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    record = read_record (stmt, type);
  else if (rc == SQLITE_DONE)
    g_set_error (error, LK_ERROR, LK_ERROR_NOT_FOUND,
                 _("There is no record “%s”"), text ? text : "?");
  else
    lk_store_fail (self, error, _("read a record"));
  sqlite3_reset (stmt);
  return record;
}

/**
 * lk_store_get_lead:
 *
 * Returns: (transfer full): the lead, deleted ones included (check
 *   lk_record_get_deleted()), or %NULL with %LK_ERROR_NOT_FOUND
 */
LkLead *
lk_store_get_lead (LkStore     *self,
                   const char  *lead_id,
                   GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  LkRecord *record;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);
  g_return_val_if_fail (lead_id != NULL, NULL);

  record = get_record (self, LK_TYPE_LEAD, "id = ?", lead_id, 0, &local_error);
  if (record == NULL)
    {
      if (g_error_matches (local_error, LK_ERROR, LK_ERROR_NOT_FOUND))
        g_set_error (error, LK_ERROR, LK_ERROR_NOT_FOUND, _("There is no lead “%s”"), lead_id);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
    }
  return LK_LEAD (record);
}

LkLead *
lk_store_get_lead_by_rowid (LkStore  *self,
                            gint64    rowid,
                            GError  **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  return LK_LEAD (get_record (self, LK_TYPE_LEAD, "rowid = ?", NULL, rowid, error));
}

/**
 * lk_store_update_lead:
 * @reason: (nullable): why the stage changed, if it did; Lost needs one
 *
 * Saves @lead. When its stage differs from the stored one, the pipeline's
 * gates apply and the move is recorded as a stage change (a "reopen" when
 * it leaves Won or Lost).
 */
gboolean
lk_store_update_lead (LkStore     *self,
                      LkLead      *lead,
                      const char  *reason,
                      GError     **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (LK_IS_LEAD (lead), FALSE);

  return lk_store_update_lead_noted (self, lead, reason, NULL, error);
}

/**
 * lk_store_update_lead_noted:
 * @note: (nullable): why the owner changes, when it does; %NULL for a
 *   change by hand
 *
 * lk_store_update_lead(), for the rules that change owners (assignment,
 * claim, recycling): the owner change is logged with their reason.
 */
gboolean
lk_store_update_lead_noted (LkStore            *self,
                            LkLead             *lead,
                            const char         *reason,
                            const LkOwnerNote  *note,
                            GError            **error)
{
  LkRecord *record = LK_RECORD (lead);
  g_autoptr(LkLead) stored = NULL;
  g_autoptr(GPtrArray) follow = NULL;
  g_autofree char *from = NULL;
  g_autofree char *why = NULL;
  gboolean moved, reopen = FALSE;
  gint64 now;
  gboolean ok;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (LK_IS_LEAD (lead), FALSE);

  lk_store_give_currency (self, lead);
  if (!lk_lead_normalize (lead, lk_store_default_region (self), error) ||
      !lk_lead_validate (lead, self->pipeline, error))
    return FALSE;

  if (!lk_store_begin (self, error))
    return FALSE;
  stored = lk_store_get_lead (self, lk_record_get_id (record), error);
  if (stored == NULL)
    return lk_store_finish (self, FALSE, error);
  if (lk_record_get_deleted (LK_RECORD (stored)))
    {
      g_set_error (error, LK_ERROR, LK_ERROR_NOT_FOUND,
                   _("The lead “%s” has been deleted"), lk_lead_get_display_name (stored));
      return lk_store_finish (self, FALSE, error);
    }

  now = lk_clock_now_ms (self->clock);
  from = g_strdup (lk_lead_get_stage (stored));
  moved = !g_str_equal (from, lk_lead_get_stage (lead));
  if (moved)
    {
      /* The editor puts a Lost reason on the lead itself. A copy: the
       * field is cleared below when the lead leaves Lost. */
      if ((reason == NULL || reason[0] == '\0') &&
          g_strcmp0 (lk_lead_get_stage (lead), lk_pipeline_get_lost_id (self->pipeline)) == 0)
        reason = lk_record_get_string (record, LK_LEAD_LOST_REASON);
      reason = why = g_strdup (reason);
      if (!lk_pipeline_check_move (self->pipeline, from, lk_lead_get_stage (lead), reason, &reopen, error))
        return lk_store_finish (self, FALSE, error);
      /* Stamped now, unless the caller says when (an Undo puts back the
       * time the lead entered its old stage). */
      if (lk_record_field_equal (record, LK_RECORD (stored), LK_LEAD_STAGE_ENTERED_AT))
        lk_record_set_int (record, LK_LEAD_STAGE_ENTERED_AT, now);
      if (g_strcmp0 (lk_lead_get_stage (lead), lk_pipeline_get_lost_id (self->pipeline)) == 0)
        lk_record_set_string (record, LK_LEAD_LOST_REASON, reason);
      else
        lk_record_set_string (record, LK_LEAD_LOST_REASON, NULL);
    }
  if (g_strcmp0 (lk_lead_get_owner (lead), lk_lead_get_owner (stored)) != 0 &&
      lk_record_field_equal (record, LK_RECORD (stored), LK_LEAD_ASSIGNED_AT))
    lk_record_set_int (record, LK_LEAD_ASSIGNED_AT, lk_lead_get_owner (lead) ? now : 0);

  /* Only local writes run the rules (a stage's task, the score, the
   * assignment log): documents from sync arrive with theirs. */
  follow = g_ptr_array_new_with_free_func (g_object_unref);
  if (!lk_store_apply_lead_rules (self, lead, stored, moved, note, follow, error))
    return lk_store_finish (self, FALSE, error);

  /* Nothing changed: write nothing, so sync has nothing to send. */
  lk_record_set_int (record, LK_LEAD_UPDATED_AT, lk_record_get_int (LK_RECORD (stored), LK_LEAD_UPDATED_AT));
  lk_record_set_string (record, LK_LEAD_UPDATED_BY, lk_record_get_string (LK_RECORD (stored), LK_LEAD_UPDATED_BY));
  if (lk_record_equal (record, LK_RECORD (stored)))
    return lk_store_finish (self, TRUE, error);

  lk_record_set_int (record, LK_LEAD_UPDATED_AT, now);
  lk_record_set_string (record, LK_LEAD_UPDATED_BY, self->user_id);
  ok = put_record (self, record, error) &&
       (!index_differs (lead, stored) || index_lead (self, lead, error)) &&
       (!moved || record_stage_change (self, lead, from, reason, reopen, now, error)) &&
       put_follow (self, follow, error);
  return lk_store_finish (self, ok, error);
}

gboolean
lk_store_move_lead (LkStore     *self,
                    const char  *lead_id,
                    const char  *stage,
                    const char  *reason,
                    GError     **error)
{
  g_autoptr(LkLead) lead = NULL;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (lead_id != NULL && stage != NULL, FALSE);

  if (lk_pipeline_lookup (self->pipeline, stage) == NULL)
    return lk_pipeline_check_move (self->pipeline, NULL, stage, reason, NULL, error);
  lead = lk_store_get_lead (self, lead_id, error);
  if (lead == NULL)
    return FALSE;
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_STAGE, stage);
  return lk_store_update_lead (self, lead, reason, error);
}

static gboolean
set_lead_deleted (LkStore     *self,
                  const char  *lead_id,
                  gboolean     deleted,
                  GError     **error)
{
  g_autoptr(LkLead) lead = NULL;
  LkRecord *record;
  gboolean ok;

  if (!lk_store_begin (self, error))
    return FALSE;
  lead = lk_store_get_lead (self, lead_id, error);
  if (lead == NULL)
    return lk_store_finish (self, FALSE, error);
  record = LK_RECORD (lead);
  if (lk_record_get_deleted (record) == deleted)
    return lk_store_finish (self, TRUE, error);

  /* A soft delete: the row stays as a tombstone that sync sends, and that
   * Undo (or the conflicts page) can bring back. */
  lk_record_set_deleted (record, deleted);
  lk_record_set_int (record, LK_LEAD_UPDATED_AT, lk_clock_now_ms (self->clock));
  lk_record_set_string (record, LK_LEAD_UPDATED_BY, self->user_id);
  ok = put_record (self, record, error) && index_lead (self, lead, error);
  return lk_store_finish (self, ok, error);
}

gboolean
lk_store_delete_lead (LkStore     *self,
                      const char  *lead_id,
                      GError     **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (lead_id != NULL, FALSE);

  return set_lead_deleted (self, lead_id, TRUE, error);
}

gboolean
lk_store_restore_lead (LkStore     *self,
                       const char  *lead_id,
                       GError     **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (lead_id != NULL, FALSE);

  return set_lead_deleted (self, lead_id, FALSE, error);
}

/* Up to this many matches, a query starts from them (temp.search_hits);
 * beyond, it walks its index and checks each lead with lk_search_hit(). A
 * query that stops after its first rows (a column) gains from walking
 * much sooner than one that reads every match anyway (a list of every
 * match in order, the table). On 100,000 leads, walking them in order
 * takes about 10 ms however few match; looking the matches up and sorting
 * them takes 1 to 3 µs each, as the rows they are on are in the page cache
 * or not: 9 to 15 ms for 4,000 (tests/bench/bench-core). A query with its
 * own tail (the column totals, a whole scan of leads_board) always walks. */
#define SEARCH_HITS_DRIVE_MAX 2000
#define SEARCH_HITS_DRIVE_MAX_LIST 2500

/* lk_search_hit(rowid): whether the lead @rowid is among the matches of
 * the last search (ensure_search_hits), from a bit per rowid. About 0.1 µs
 * a lead, where looking it up in a temporary table (an EXISTS per row)
 * took 0.3 µs: walking 100,000 leads takes 10 ms instead of 30. */
static void
search_hit (sqlite3_context  *context,
            int               n_values,
            sqlite3_value   **values)
{
  LkStore *self = sqlite3_user_data (context);
  sqlite3_int64 rowid = sqlite3_value_int64 (values[0]);
  gboolean hit = FALSE;

  (void) n_values;
  if (rowid >= 0 && (guint64) rowid / 8 < self->n_search_bits)
    hit = (self->search_bits[rowid / 8] >> (rowid % 8)) & 1;
  sqlite3_result_int (context, hit);
}

/* For this store's own connection only: its queries only (DIRECTONLY), and
 * its own matches (each connection has its own). */
gboolean
lk_store_register_search_hit (LkStore  *self,
                              GError  **error)
{
  if (sqlite3_create_function (self->db, "lk_search_hit", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY, self,
                               search_hit, NULL, NULL) != SQLITE_OK)
    return lk_store_fail (self, error, _("prepare the search"));
  return TRUE;
}

/* Keeps the leads @search matches, unless they are kept already: as the
 * bits lk_search_hit() reads, and, when few enough for a query to start
 * from them, in temp.search_hits. A view runs several queries under one
 * filter (a board: one per column and the totals), and a broad term ("W")
 * matches tens of thousands of leads: each query re-running the full-text
 * match cost a keystroke 400 ms on 100,000 leads. Any change to a lead
 * clears them. */
static gboolean
ensure_search_hits (LkStore     *self,
                    const char  *search,
                    GError     **error)
{
  g_autoptr(LkLeadQuery) only = NULL;
  g_autoptr(GArray) rowids = NULL;
  LkQuerySql q = { 0 };
  sqlite3_stmt *stmt;
  gint64 last = -1;
  gboolean ok;
  int rc = SQLITE_DONE;

  if (g_strcmp0 (self->search_key, search) == 0)
    return TRUE;
  g_clear_pointer (&self->search_key, g_free);
  if (!lk_store_exec (self, "DELETE FROM temp.search_hits", error))
    return FALSE;
  only = lk_lead_query_new ();
  lk_lead_query_set_search (only, search);
  lk_lead_query_build_search_sql (only, &q);
  if (q.where->len == 0)  /* only spaces */
    g_string_append (q.where, "SELECT rowid FROM leads");
  stmt = lk_store_prepare (self, q.where->str, error);
  ok = stmt != NULL;
  for (guint i = 0; ok && i < q.binds->len; i++)
    lk_store_bind_variant (stmt, (int) i + 1, g_ptr_array_index (q.binds, i));
  rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (rowids, rowid);
      last = MAX (last, rowid);
    }
  if (ok)
    {
      sqlite3_reset (stmt);
      ok = rc == SQLITE_DONE || lk_store_fail (self, error, _("search the leads"));
    }
  lk_query_sql_clear (&q);

  /* Only a query that starts from the matches reads the table. */
  if (rowids->len <= MAX (SEARCH_HITS_DRIVE_MAX, SEARCH_HITS_DRIVE_MAX_LIST))
    for (guint i = 0; ok && i < rowids->len; i++)
      {
        stmt = lk_store_prepare (self, "INSERT OR IGNORE INTO temp.search_hits (rowid) VALUES (?)", error);
        ok = stmt != NULL;
        if (ok)
          {
            sqlite3_bind_int64 (stmt, 1, g_array_index (rowids, gint64, i));
            ok = lk_store_step_done (self, stmt, error);
          }
      }
  if (!ok)
    return FALSE;

  g_clear_pointer (&self->search_bits, g_free);
  self->n_search_bits = (gsize) (last + 1 + 7) / 8;
  self->search_bits = g_malloc0 (MAX (self->n_search_bits, 1));
  for (guint i = 0; i < rowids->len; i++)
    {
      gint64 rowid = g_array_index (rowids, gint64, i);

      if (rowid >= 0)
        self->search_bits[rowid / 8] |= (guint8) (1u << (rowid % 8));
    }
  self->search_key = g_strdup (search);
  self->search_count = rowids->len;
  return TRUE;
}

static sqlite3_stmt *
prepare_query (LkStore      *self,
               LkLeadQuery  *query,
               const char   *select,
               gboolean      with_stage,
               const char   *tail,
               guint         limit,
               GError      **error)
{
  LkQuerySql q = { 0 };
  g_autoptr(GString) sql = g_string_new (select);
  g_autoptr(LkLeadQuery) unsearched = NULL;
  const char *search = lk_lead_query_get_search (query);
  sqlite3_stmt *stmt;
  LkClock *clock = self->clock;
  gint64 today;
  guint n = 0;

  if (search != NULL)
    {
      if (!ensure_search_hits (self, search, error))
        return NULL;
      unsearched = lk_lead_query_copy (query);
      lk_lead_query_set_search (unsearched, NULL);
      query = unsearched;
    }
  today = lk_clock_start_of_day (clock, lk_clock_now_ms (clock));
  /* 36 hours on is always tomorrow, whatever daylight saving time does. */
  lk_lead_query_build_sql (query, self->pipeline, today,
                           lk_clock_start_of_day (clock, today + 36 * 3600 * 1000),
                           with_stage, &q);
  g_string_append (sql, " WHERE ");
  g_string_append (sql, q.where->str);
  /* A few matches drive the query from the hits; many (a first letter
   * matches half the leads) are checked one by one while the query walks
   * the index of its order, which then stops after LIMIT rows instead of
   * sorting every match (23 ms a column for "w" on 100,000 leads). */
  if (search != NULL && (tail != NULL ||
                         self->search_count > (limit == 0 ? SEARCH_HITS_DRIVE_MAX_LIST : SEARCH_HITS_DRIVE_MAX)))
    g_string_append (sql, " AND lk_search_hit (rowid)");
  else if (search != NULL)
    g_string_append (sql, " AND rowid IN (SELECT rowid FROM temp.search_hits)");
  if (tail != NULL)
    g_string_append (sql, tail);
  else
    {
      g_string_append (sql, " ORDER BY ");
      g_string_append (sql, q.order_by);
      if (limit > 0)
        g_string_append (sql, " LIMIT ?");
    }
  stmt = lk_store_prepare (self, sql->str, error);
  if (stmt != NULL)
    {
      for (guint i = 0; i < q.binds->len; i++)
        lk_store_bind_variant (stmt, (int) ++n, g_ptr_array_index (q.binds, i));
      for (guint i = 0; tail == NULL && i < q.order_binds->len; i++)
        lk_store_bind_variant (stmt, (int) ++n, g_ptr_array_index (q.order_binds, i));
      if (tail == NULL && limit > 0)
        sqlite3_bind_int64 (stmt, (int) ++n, limit);
    }
  lk_query_sql_clear (&q);
  return stmt;
}

/* Returns: the rowid of the lead @lead_id, or 0 */
gint64
lk_store_lookup_rowid (LkStore    *self,
                       const char *lead_id)
{
  sqlite3_stmt *stmt;
  gint64 rowid = 0;

  g_return_val_if_fail (LK_IS_STORE (self), 0);

  stmt = lk_store_prepare (self, "SELECT rowid FROM leads WHERE id = ?", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, lead_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    rowid = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return rowid;
}

/* Whether the lead @rowid is among those @query selects: one indexed
 * lookup, so a list can tell whether a change concerns it. */
gboolean
lk_store_lead_matches (LkStore     *self,
                       LkLeadQuery *query,
                       gint64       rowid)
{
  sqlite3_stmt *stmt;
  gboolean matches;
  int n;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);

  stmt = prepare_query (self, query, "SELECT 1 FROM leads", TRUE, " AND rowid = ?", 0, NULL);
  if (stmt == NULL)
    return TRUE;  /* when in doubt, the caller re-reads */
  n = sqlite3_bind_parameter_count (stmt);
  sqlite3_bind_int64 (stmt, n, rowid);
  matches = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return matches;
}

/**
 * lk_store_query_rowids:
 *
 * The ordered ids of the leads @query selects: what a lazy list model
 * keeps. An index scan, a few milliseconds for a board column.
 *
 * Returns: (transfer full) (element-type gint64):
 */
GArray *
lk_store_query_rowids (LkStore      *self,
                       LkLeadQuery  *query,
                       GError      **error)
{
  return lk_store_query_rowids_limited (self, query, 0, error);
}

/**
 * lk_store_query_rowids_limited:
 * @limit: at most this many, the first in the query's order; 0 for all
 *
 * Returns: (transfer full) (element-type gint64):
 */
GArray *
lk_store_query_rowids_limited (LkStore      *self,
                               LkLeadQuery  *query,
                               guint         limit,
                               GError      **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);
  g_return_val_if_fail (LK_IS_LEAD_QUERY (query), NULL);

  stmt = prepare_query (self, query, "SELECT rowid FROM leads", TRUE, NULL, limit, error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (rowids, rowid);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_fail (self, error, _("search the leads"));
      return NULL;
    }
  return g_steal_pointer (&rowids);
}

/**
 * lk_store_query_leads:
 * @limit: at most this many; 0 for all
 *
 * Returns: (transfer full) (element-type LkLead):
 */
GPtrArray *
lk_store_query_leads (LkStore      *self,
                      LkLeadQuery  *query,
                      guint         limit,
                      GError      **error)
{
  LkRecordClass *klass = g_type_class_ref (LK_TYPE_LEAD);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  stmt = prepare_query (self, query, sql_text (self, klass, "select"), TRUE, NULL, limit, error);
  g_type_class_unref (klass);
  if (stmt == NULL)
    return NULL;
  return lk_store_read_records (self, stmt, LK_TYPE_LEAD, _("search the leads"), error);
}

void
lk_stage_total_free (LkStageTotal *total)
{
  g_free (total->stage);
  g_free (total);
}

/**
 * lk_store_stage_totals:
 *
 * Count, amount and weighted amount of each stage over the whole filter
 * (the query's own stage filter is ignored), in pipeline order.
 *
 * Returns: (transfer full) (element-type LkStageTotal):
 */
GPtrArray *
lk_store_stage_totals (LkStore      *self,
                       LkLeadQuery  *query,
                       GError      **error)
{
  g_autoptr(GPtrArray) totals = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_stage_total_free);
  g_autoptr(LkLeadQuery) all = query ? g_object_ref (query) : lk_lead_query_new ();
  guint n_stages = g_list_model_get_n_items (G_LIST_MODEL (self->pipeline));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  for (guint i = 0; i < n_stages; i++)
    {
      g_autoptr(LkStage) stage = g_list_model_get_item (G_LIST_MODEL (self->pipeline), i);
      LkStageTotal *total = g_new0 (LkStageTotal, 1);

      total->stage = g_strdup (lk_stage_get_id (stage));
      g_ptr_array_add (totals, total);
    }

  /* Named: the planner prefers a narrower index by stage that is not
   * covering, and then reads every row of the table. leads_board holds
   * every column a filter uses. */
  stmt = prepare_query (self, all, "SELECT stage, count(*), sum(amount) FROM leads INDEXED BY leads_board",
                        FALSE, " GROUP BY stage", 0, error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int pos = lk_pipeline_get_position (self->pipeline, lk_store_column_text (stmt, 0));
      LkStageTotal *total;
      LkStage *stage;

      if (pos < 0)
        continue;
      total = g_ptr_array_index (totals, pos);
      stage = lk_pipeline_lookup (self->pipeline, total->stage);
      total->count = sqlite3_column_int64 (stmt, 1);
      total->amount = sqlite3_column_int64 (stmt, 2);
      total->weighted = total->amount * lk_stage_get_probability (stage) / 100;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_fail (self, error, _("add up the stages"));
      return NULL;
    }
  return g_steal_pointer (&totals);
}

/**
 * lk_store_add_activity:
 *
 * Saves a follow-up, note or event. Activities are immutable once saved.
 */
gboolean
lk_store_add_activity (LkStore     *self,
                       LkActivity  *activity,
                       GError     **error)
{
  LkRecord *record = LK_RECORD (activity);
  gboolean ok;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (LK_IS_ACTIVITY (activity), FALSE);

  if (lk_record_get_string (record, LK_ACTIVITY_KIND)[0] == '\0')
    {
      g_set_error_literal (error, LK_ERROR, LK_ERROR_INVALID, _("An activity needs a kind"));
      return FALSE;
    }
  lk_record_ensure_id (record);
  if (lk_record_get_int (record, LK_ACTIVITY_AT) == 0)
    lk_record_set_int (record, LK_ACTIVITY_AT, lk_clock_now_ms (self->clock));
  if (lk_record_get_string (record, LK_ACTIVITY_BY)[0] == '\0')
    lk_record_set_string (record, LK_ACTIVITY_BY, self->user_id);

  if (!lk_store_begin (self, error))
    return FALSE;
  ok = put_record (self, record, error);
  return lk_store_finish (self, ok, error);
}

static GPtrArray *
list_records (LkStore     *self,
              GType        type,
              const char  *tail,
              const char  *bind,
              GError     **error)
{
  LkRecordClass *klass = g_type_class_ref (type);
  g_autofree char *sql = g_strconcat (sql_text (self, klass, "select"), tail, NULL);
  sqlite3_stmt *stmt;

  g_type_class_unref (klass);
  stmt = lk_store_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  if (bind != NULL)
    sqlite3_bind_text (stmt, 1, bind, -1, SQLITE_STATIC);
  return lk_store_read_records (self, stmt, type, _("read the records"), error);
}

/* Returns: (transfer full) (element-type LkActivity): newest first */
GPtrArray *
lk_store_list_activities (LkStore     *self,
                          const char  *lead_id,
                          GError     **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  return list_records (self, LK_TYPE_ACTIVITY,
                       " WHERE lead_id = ? AND deleted = 0 ORDER BY at DESC, rowid DESC", lead_id, error);
}

/* Returns: (transfer full) (element-type LkStageChange): oldest first */
GPtrArray *
lk_store_list_stage_changes (LkStore     *self,
                             const char  *lead_id,
                             GError     **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  return list_records (self, LK_TYPE_STAGE_CHANGE,
                       " WHERE lead_id = ? AND deleted = 0 ORDER BY at, rowid", lead_id, error);
}

gboolean
lk_store_save_user (LkStore  *self,
                    LkUser   *user,
                    GError  **error)
{
  LkRecord *record = LK_RECORD (user);
  g_autoptr(LkUser) stored = NULL;
  gboolean ok;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (LK_IS_USER (user), FALSE);

  if (lk_record_get_string (record, LK_USER_NAME)[0] == '\0')
    {
      g_set_error_literal (error, LK_ERROR, LK_ERROR_INVALID, _("A team member needs a name"));
      return FALSE;
    }
  if (lk_record_get_id (record) == NULL)
    {
      g_autofree char *id = lk_user_id_for_name (lk_record_get_string (record, LK_USER_NAME));

      lk_record_set_id (record, id);
    }
  if (!lk_store_begin (self, error))
    return FALSE;
  stored = LK_USER (get_record (self, LK_TYPE_USER, "id = ?", lk_record_get_id (record), 0, NULL));
  if (stored != NULL && lk_record_equal (LK_RECORD (stored), record))
    return lk_store_finish (self, TRUE, error);
  ok = put_record (self, record, error);
  return lk_store_finish (self, ok, error);
}

LkUser *
lk_store_get_user (LkStore     *self,
                   const char  *user_id,
                   GError     **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);
  g_return_val_if_fail (user_id != NULL, NULL);

  return LK_USER (get_record (self, LK_TYPE_USER, "id = ?", user_id, 0, error));
}

/* Returns: (transfer full) (element-type LkUser): by display name */
GPtrArray *
lk_store_list_users (LkStore  *self,
                     GError  **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  return list_records (self, LK_TYPE_USER,
                       " WHERE deleted = 0 ORDER BY display_name COLLATE NOCASE, name", NULL, error);
}

/* Returns: (nullable) (transfer full): the JSON text of settings:@name */
char *
lk_store_get_setting (LkStore     *self,
                      const char  *name,
                      GError     **error)
{
  sqlite3_stmt *stmt;
  char *json = NULL;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  stmt = lk_store_prepare (self, "SELECT json FROM settings WHERE name = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    json = g_strdup (lk_store_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return json;
}

/* Settings are documents that sync ("settings:pipeline", …). */
gboolean
lk_store_set_setting (LkStore     *self,
                      const char  *name,
                      const char  *json,
                      GError     **error)
{
  g_autofree char *doc_id = g_strconcat ("settings:", name, NULL);
  sqlite3_stmt *stmt;
  gboolean ok;
  gint64 local_seq = 0;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL && json != NULL, FALSE);

  if (!lk_store_begin (self, error))
    return FALSE;
  stmt = lk_store_prepare (self,
                           "INSERT INTO settings (name, json, updated_at, dirty, local_seq) VALUES (?, ?, ?, 1, 1) "
                           "ON CONFLICT (name) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at, "
                           "dirty = 1, local_seq = local_seq + 1 RETURNING local_seq",
                           error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, json, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, lk_clock_now_ms (self->clock));
      ok = sqlite3_step (stmt) == SQLITE_ROW;
      if (ok)
        local_seq = sqlite3_column_int64 (stmt, 0);
      else
        lk_store_fail (self, error, _("save the settings"));
      sqlite3_reset (stmt);
    }
  ok = ok && queue_outbox (self, doc_id, FALSE, local_seq, error);
  if (ok)
    lk_store_note_changed (self, "settings", doc_id);
  return lk_store_finish (self, ok, error);
}

/**
 * lk_store_list_tags:
 * @limit: at most this many; 0 for all
 *
 * Returns: (transfer full): the tags in use on leads, most used first
 */
char **
lk_store_list_tags (LkStore  *self,
                    guint     limit,
                    GError  **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  stmt = lk_store_prepare (self,
                           "SELECT t.tag FROM lead_tags t JOIN leads l ON l.rowid = t.lead_rowid "
                           "WHERE l.deleted = 0 GROUP BY t.tag ORDER BY count(*) DESC, t.tag LIMIT ?",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit > 0 ? (gint64) limit : -1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, lk_store_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_fail (self, error, _("list the tags"));
      return NULL;
    }
  return g_strv_builder_end (builder);
}

/**
 * lk_store_write_record:
 * @local: %TRUE for an edit made here (the row becomes dirty and is
 *   queued for sync), %FALSE for a version from the server (the row is
 *   clean and nothing is queued)
 *
 * Writes a record as it is, inside the caller's transaction: for sync,
 * which applies server versions and the user's conflict decisions. Leads
 * are re-indexed for search and tags; no stage change is recorded, no
 * field is stamped and nothing is validated beyond the document's types.
 */
gboolean
lk_store_write_record (LkStore   *self,
                       LkRecord  *record,
                       gboolean   local,
                       GError   **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (LK_IS_RECORD (record), FALSE);
  g_return_val_if_fail (self->depth > 0, FALSE);

  /* A decision of the user's (@local) changes a row that may be its own
   * base; a server version comes with its new base. */
  if ((local && !lk_store_keep_sync_base (self, record, error)) ||
      !put_record_full (self, record, local, NULL, FALSE, error))
    return FALSE;
  return !LK_IS_LEAD (record) || index_lead (self, LK_LEAD (record), error);
}

/**
 * lk_store_find_record:
 * @dirty: (out) (optional): whether the row holds local edits not yet synced
 *
 * Returns: (transfer full) (nullable): the record @id of @type, deleted or
 *   not; %NULL without an error when there is none
 */
LkRecord *
lk_store_find_record (LkStore     *self,
                      GType        type,
                      const char  *id,
                      gboolean    *dirty,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(LkRecord) record = NULL;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  record = get_record (self, type, "id = ?", id, 0, &local_error);
  if (record == NULL)
    {
      if (!g_error_matches (local_error, LK_ERROR, LK_ERROR_NOT_FOUND))
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (dirty != NULL)
    {
      LkRecordClass *klass = LK_RECORD_GET_CLASS (record);
      /* The table name comes from the record class, never from data. */
      g_autofree char *sql = g_strconcat ("SELECT dirty FROM ", klass->table, " WHERE id = ?", NULL);
      sqlite3_stmt *stmt = lk_store_prepare (self, sql, error);

      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      *dirty = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
      sqlite3_reset (stmt);
    }
  return g_steal_pointer (&record);
}

/* For the other parts of the store (lk-store-private.h) */

gboolean
lk_store_put_record (LkStore   *self,
                     LkRecord  *record,
                     GError   **error)
{
  return put_record (self, record, error);
}

LkRecord *
lk_store_read_record (sqlite3_stmt *stmt,
                      GType         type)
{
  return read_record (stmt, type);
}

/**
 * lk_store_read_records:
 * @stmt: a bound statement selecting lk_store_select_sql()'s columns
 * @doing: what the rows are read for, for the error ("read the tasks")
 *
 * Steps @stmt to its end and resets it.
 *
 * Returns: (transfer full) (element-type LkRecord): a record of @type a row
 */
GPtrArray *
lk_store_read_records (LkStore       *self,
                       sqlite3_stmt  *stmt,
                       GType          type,
                       const char    *doing,
                       GError       **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (records, read_record (stmt, type));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_fail (self, error, doing);
      return NULL;
    }
  return g_steal_pointer (&records);
}

/* "SELECT rowid, id, deleted, extra, <the fields> FROM <table>" */
const char *
lk_store_select_sql (LkStore *self,
                     GType    type)
{
  LkRecordClass *klass = g_type_class_peek (type);

  if (klass == NULL)
    klass = g_type_class_ref (type);  /* kept for the program's life, as GObject does */
  return sql_text (self, klass, "select");
}

/* The record of @type whose column @where ("id = ?") is @text. */
LkRecord *
lk_store_get_record (LkStore     *self,
                     GType        type,
                     const char  *where,
                     const char  *text,
                     GError     **error)
{
  return get_record (self, type, where, text, 0, error);
}
