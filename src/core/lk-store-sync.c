/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-store"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-activity.h"
#include "lk-doc.h"
#include "lk-error.h"
#include "lk-json.h"
#include "lk-lead.h"
#include "lk-stage-change.h"
#include "lk-store-private.h"
#include "lk-store-sync.h"

/* The store's side of sync (SYNC.md "Tables"). Documents are compared in
 * their canonical form: what lk_doc_from_record() writes for a record read
 * with lk_doc_to_record(), so a field another program left out and the
 * default this version fills in are the same value, and "_rev" is never
 * part of a document (it lives in sync_base.rev). sync_base.json holds the
 * canonical form of the last server version, the ancestor of the merge.
 *
 * An outbox entry the server refused (validate_doc_update, forbidden) is
 * kept with its reason and a next_try_at of "never": only an edit of the
 * document (which re-queues it) sends it again. */

#define SETTINGS_PREFIX "settings:"
#define FOLDED_KEY "_lk_folded"
#define NEVER G_MAXINT64

/* Backoff after a failed push: 30 s, doubling, at most an hour, the
 * second half of the interval chosen at random so that desktops that
 * lost the network together do not come back together. */
#define BACKOFF_FIRST_MS G_GINT64_CONSTANT (30000)
#define BACKOFF_MAX_MS   G_GINT64_CONSTANT (3600000)

static const char * const kind_names[] = {
  [LK_CONFLICT_FIELD] = "field",
  [LK_CONFLICT_THEY_DELETED] = "they-deleted",
  [LK_CONFLICT_I_DELETED] = "i-deleted",
};

void
lk_sync_conflict_free (LkSyncConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->doc_id);
  g_free (conflict->field);
  g_free (conflict->base);
  g_free (conflict->mine);
  g_free (conflict->theirs);
  g_free (conflict->theirs_rev);
  g_free (conflict);
}

void
lk_sync_remote_free (LkSyncRemote *remote)
{
  if (remote == NULL)
    return;
  g_free (remote->remote);
  g_free (remote->db_epoch);
  g_free (remote->pull_since);
  g_free (remote->last_error);
  g_free (remote);
}

void
lk_outbox_doc_free (LkOutboxDoc *doc)
{
  if (doc == NULL)
    return;
  g_free (doc->doc_id);
  g_free (doc->rev);
  g_free (doc->body);
  g_free (doc);
}

/* JSON helpers that never warn about a member of an unexpected type: the
 * documents come from other programs. */
static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
member_is_true (JsonObject *object,
                const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static gboolean
docs_equal (JsonObject *a,
            JsonObject *b)
{
  g_autoptr(JsonNode) na = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) nb = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (na, a);
  json_node_set_object (nb, b);
  return json_node_equal (na, nb);
}

/* A shallow copy with "_deleted" set or removed. */
static JsonObject *
doc_with_deleted (JsonObject *doc,
                  gboolean    deleted)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, doc);
  while (json_object_iter_next (&iter, &name, &node))
    if (!g_str_equal (name, "_deleted"))
      json_object_set_member (copy, name, json_node_copy (node));
  if (deleted)
    json_object_set_boolean_member (copy, "_deleted", TRUE);
  return copy;
}

static JsonNode *
parse_node (const char *text)
{
  return text != NULL ? lk_json_parse (text, -1, NULL) : NULL;
}

static gboolean
is_settings_id (const char *doc_id)
{
  return g_str_has_prefix (doc_id, SETTINGS_PREFIX) && doc_id[strlen (SETTINGS_PREFIX)] != '\0';
}

/* Keys of a settings document that are not part of the setting itself. */
static gboolean
is_settings_meta_key (const char *key)
{
  return key[0] == '_' || g_str_equal (key, "type") || g_str_equal (key, "schema") ||
         g_str_equal (key, "updated_at") || g_str_equal (key, "updated_by");
}

/* settings:<name> as a document: the setting's object members next to
 * the document's own keys; a setting that is not an object is "value". */
static JsonObject *
settings_doc_new (const char *doc_id,
                  const char *json,
                  gint64      updated_at)
{
  JsonObject *doc = json_object_new ();
  g_autoptr(JsonNode) root = parse_node (json);

  json_object_set_string_member (doc, "_id", doc_id);
  json_object_set_string_member (doc, "type", "settings");
  json_object_set_int_member (doc, "schema", LK_DOC_SCHEMA);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *node;

      json_object_iter_init (&iter, json_node_get_object (root));
      while (json_object_iter_next (&iter, &name, &node))
        if (!is_settings_meta_key (name))
          json_object_set_member (doc, name, json_node_copy (node));
    }
  else if (root != NULL)
    json_object_set_member (doc, "value", g_steal_pointer (&root));
  if (updated_at > 0)
    json_object_set_int_member (doc, "updated_at", updated_at);
  return doc;
}

/* The setting's own JSON text in a settings document. */
static char *
settings_json_from_doc (JsonObject *doc)
{
  g_autoptr(JsonObject) value = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, doc);
  while (json_object_iter_next (&iter, &name, &node))
    if (!is_settings_meta_key (name))
      json_object_set_member (value, name, json_node_copy (node));
  return lk_doc_to_string (value, FALSE);
}

static gint64
member_time (JsonObject *doc,
             const char *name)
{
  JsonNode *node = json_object_get_member (doc, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);
  return 0;
}

/* The members every document must have right before anything else reads
 * it (json-glib's getters complain about members of the wrong kind). */
static gboolean
check_envelope (JsonObject  *doc,
                gboolean     need_rev,
                GError     **error)
{
  static const struct
  {
    const char *name;
    GType       type;
    gboolean    required;
  } members[] = {
    { "_id", G_TYPE_STRING, TRUE },
    { "_rev", G_TYPE_STRING, TRUE },
    { "_deleted", G_TYPE_BOOLEAN, FALSE },
    { "type", G_TYPE_STRING, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      JsonNode *node = json_object_get_member (doc, members[i].name);

      if (node == NULL && (!members[i].required || (!need_rev && g_str_equal (members[i].name, "_rev"))))
        continue;
      if (node == NULL)
        {
          g_set_error (error, LK_ERROR, LK_ERROR_INVALID, _("The document has no “%s”"), members[i].name);
          return FALSE;
        }
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != members[i].type)
        {
          g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                       members[i].type == G_TYPE_STRING ? _("The field “%s” must be a string")
                                                        : _("The field “%s” must be true or false"),
                       members[i].name);
          return FALSE;
        }
    }
  return TRUE;
}

/* A server document in the form this version writes it: every known field
 * (defaults for those left out), unknown ones kept, no "_rev".
 * Returns: (transfer full) (nullable): %NULL with @error when it cannot be read */
static LkRecord *
remote_record (JsonObject  *doc,
               gboolean     need_rev,
               GError     **error)
{
  const char *id = member_string (doc, "_id");
  g_autoptr(LkRecord) record = NULL;

  if (!check_envelope (doc, need_rev, error))
    return NULL;
  record = lk_doc_to_record (doc, error);
  if (record == NULL)
    return NULL;
  /* The id says which table a document lives in. */
  if (lk_doc_type_for_id (id) != G_OBJECT_TYPE (record))
    {
      g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                   _("The document “%s” has the type “%s”, which its id does not start with"),
                   id, LK_RECORD_GET_CLASS (record)->doc_type);
      return NULL;
    }
  return g_steal_pointer (&record);
}

static JsonObject *
canonical_doc_full (JsonObject  *doc,
                    gboolean     need_rev,
                    GError     **error)
{
  const char *id = member_string (doc, "_id");
  gboolean deleted = member_is_true (doc, "_deleted");
  g_autoptr(LkRecord) record = NULL;

  if (!check_envelope (doc, need_rev, error))
    return NULL;
  if (is_settings_id (id))
    {
      g_autofree char *json = NULL;
      JsonObject *canonical;

      if (!deleted && g_strcmp0 (member_string (doc, "type"), "settings") != 0)
        {
          g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                       _("The document “%s” is not of the type “settings”"), id);
          return NULL;
        }
      json = settings_json_from_doc (doc);
      canonical = settings_doc_new (id, json, member_time (doc, "updated_at"));
      if (deleted)
        json_object_set_boolean_member (canonical, "_deleted", TRUE);
      return canonical;
    }
  record = remote_record (doc, need_rev, error);
  if (record == NULL)
    return NULL;
  return lk_doc_from_record (record);
}

static JsonObject *
canonical_doc (JsonObject  *doc,
               GError     **error)
{
  return canonical_doc_full (doc, TRUE, error);
}

static GType
type_for_id (const char *doc_id)
{
  if (is_settings_id (doc_id))
    return G_TYPE_NONE;
  return lk_doc_type_for_id (doc_id);
}

/* The local version of @doc_id as a canonical document, or %NULL in @doc
 * when there is no row. */
static gboolean
read_local (LkStore      *self,
            const char   *doc_id,
            JsonObject  **doc,
            GError      **error)
{
  GType type = type_for_id (doc_id);

  *doc = NULL;
  if (type == G_TYPE_NONE)
    {
      sqlite3_stmt *stmt = lk_store_prepare (self, "SELECT json, updated_at FROM settings WHERE name = ?", error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, doc_id + strlen (SETTINGS_PREFIX), -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        *doc = settings_doc_new (doc_id, lk_store_column_text (stmt, 0), sqlite3_column_int64 (stmt, 1));
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return lk_store_fail (self, error, _("read the settings"));
    }
  else if (type != G_TYPE_INVALID)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(LkRecord) record = lk_store_find_record (self, type, doc_id, NULL, &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (record != NULL)
        *doc = lk_doc_from_record (record);
    }
  return TRUE;
}

/* Writes a canonical document to its row: as the user's edit (@local) or
 * as the server's version. */
static gboolean
write_doc (LkStore     *self,
           JsonObject  *doc,
           gboolean     local,
           GError     **error)
{
  const char *id = member_string (doc, "_id");
  gboolean deleted = member_is_true (doc, "_deleted");
  g_autoptr(LkRecord) record = NULL;

  if (is_settings_id (id))
    {
      const char *name = id + strlen (SETTINGS_PREFIX);
      g_autofree char *json = settings_json_from_doc (doc);
      sqlite3_stmt *stmt;

      /* Settings have no tombstone: a setting deleted on the server goes. */
      if (deleted)
        {
          if (local)
            return TRUE;
          stmt = lk_store_prepare (self, "DELETE FROM settings WHERE name = ?", error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
        }
      else if (local)
        return lk_store_set_setting (self, name, json, error);
      else
        {
          stmt = lk_store_prepare (self,
                                   "INSERT INTO settings (name, json, updated_at, dirty, local_seq) "
                                   "VALUES (?, ?, ?, 0, 0) ON CONFLICT (name) DO UPDATE SET "
                                   "json = excluded.json, updated_at = excluded.updated_at, dirty = 0",
                                   error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 2, json, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 3, member_time (doc, "updated_at"));
        }
      if (!lk_store_step_done (self, stmt, error))
        return FALSE;
      lk_store_note_changed (self, "settings", id);
      return TRUE;
    }

  record = lk_doc_to_record (doc, error);
  if (record == NULL)
    return FALSE;
  return lk_store_write_record (self, record, local, error);
}

static gboolean
read_base (LkStore     *self,
           const char  *doc_id,
           char       **rev,
           char       **json,
           GError     **error)
{
  sqlite3_stmt *stmt = lk_store_prepare (self, "SELECT rev, json FROM sync_base WHERE doc_id = ?", error);
  int rc;

  *rev = NULL;
  if (json != NULL)
    *json = NULL;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, doc_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *rev = g_strdup (lk_store_column_text (stmt, 0));
      if (json != NULL)
        *json = g_strdup (lk_store_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return lk_store_fail (self, error, _("read the last synced version"));
  return TRUE;
}

static gboolean
write_base_text (LkStore     *self,
                 const char  *doc_id,
                 const char  *rev,
                 const char  *json,
                 GError     **error)
{
  sqlite3_stmt *stmt = lk_store_prepare (self,
                                         "INSERT INTO sync_base (doc_id, rev, json) VALUES (?, ?, ?) "
                                         "ON CONFLICT (doc_id) DO UPDATE SET rev = excluded.rev, json = excluded.json",
                                         error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, doc_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, rev, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, json, -1, SQLITE_STATIC);
  return lk_store_step_done (self, stmt, error);
}

static gboolean
write_base (LkStore     *self,
            const char  *doc_id,
            const char  *rev,
            JsonObject  *doc,
            GError     **error)
{
  g_autofree char *json = lk_doc_to_string (doc, FALSE);

  return write_base_text (self, doc_id, rev, json, error);
}

/* A base kept as "" is the row itself: a clean row written from the
 * server's document is that document in canonical form, so an initial
 * pull does not store every document twice. The base is written out in
 * full (lk_store_keep_sync_base) before anything else changes the row.
 * Returns: (transfer full) (nullable): the base's text */
static char *
lazy_base_text (LkStore     *self,
                const char  *doc_id,
                const char  *rev,
                GError     **error)
{
  g_autoptr(JsonObject) doc = NULL;

  if (!read_local (self, doc_id, &doc, error) || doc == NULL)
    return NULL;
  json_object_set_string_member (doc, "_rev", rev);
  return lk_doc_to_string (doc, FALSE);
}

/**
 * lk_store_keep_sync_base:
 *
 * Called before a write other than the server's changes @record's row:
 * a base that is the row itself (kept as "") is written out in full.
 */
gboolean
lk_store_keep_sync_base (LkStore   *self,
                         LkRecord  *record,
                         GError   **error)
{
  const char *id = lk_record_get_id (record);
  g_autofree char *rev = NULL;
  g_autofree char *json = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (id == NULL)
    return TRUE;
  stmt = lk_store_prepare (self, "SELECT rev FROM sync_base WHERE doc_id = ? AND json = ''", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    rev = g_strdup (lk_store_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return lk_store_fail (self, error, _("read the last synced version"));
  if (rev == NULL)
    return TRUE;
  {
    g_autoptr(GError) local_error = NULL;

    json = lazy_base_text (self, id, rev, &local_error);
    if (local_error != NULL)
      {
        g_propagate_error (error, g_steal_pointer (&local_error));
        return FALSE;
      }
  }
  if (json == NULL)
    return lk_store_drop_sync_base (self, id, error);
  return write_base_text (self, id, rev, json, error);
}

/* Takes @doc_id out of the outbox: the server's version stands. */
static gboolean
unqueue (LkStore     *self,
         const char  *doc_id,
         GError     **error)
{
  sqlite3_stmt *stmt = lk_store_prepare (self, "DELETE FROM outbox WHERE doc_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, doc_id, -1, SQLITE_STATIC);
  return lk_store_step_done (self, stmt, error);
}

static gboolean
record_conflict (LkStore         *self,
                 const char      *doc_id,
                 LkConflictKind   kind,
                 const char      *field,
                 const char      *base,
                 const char      *mine,
                 const char      *theirs,
                 const char      *theirs_rev,
                 GError         **error)
{
  sqlite3_stmt *stmt;

  /* A newer conflict on the same field replaces the one still open. */
  stmt = lk_store_prepare (self,
                           "DELETE FROM sync_conflicts WHERE doc_id = ? AND kind = ? AND field IS ? "
                           "AND resolved_at IS NULL",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, doc_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, kind_names[kind], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, field, -1, SQLITE_STATIC);
  if (!lk_store_step_done (self, stmt, error))
    return FALSE;

  stmt = lk_store_prepare (self,
                           "INSERT INTO sync_conflicts (doc_id, kind, field, base, mine, theirs, theirs_rev, created_at) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, doc_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, kind_names[kind], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, field, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, base ? base : "null", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, mine ? mine : "null", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, theirs ? theirs : "null", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, theirs_rev, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, lk_clock_now_ms (lk_store_get_clock (self)));
  if (!lk_store_step_done (self, stmt, error))
    return FALSE;
  lk_store_note_changed (self, "conflict", doc_id);
  return TRUE;
}

typedef struct
{
  LkStore           *store;
  LkStoreMergeFunc   merge;
  gpointer           merge_data;
  LkSyncApplyReport  report;
} Apply;

static JsonObject *
merge_docs (Apply       *apply,
            const char  *doc_id,
            JsonObject  *base,
            JsonObject  *mine,
            JsonObject  *theirs,
            const char  *theirs_rev,
            guint       *n_conflicts,
            GError     **error)
{
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_sync_conflict_free);
  g_autoptr(JsonObject) merged = apply->merge (base, mine, theirs, conflicts, apply->merge_data);

  for (guint i = 0; i < conflicts->len; i++)
    {
      LkSyncConflict *c = g_ptr_array_index (conflicts, i);

      if (!record_conflict (apply->store, doc_id, LK_CONFLICT_FIELD, c->field,
                            c->base, c->mine, c->theirs, theirs_rev, error))
        return NULL;
    }
  apply->report.conflicts += conflicts->len;
  *n_conflicts = conflicts->len;
  return g_steal_pointer (&merged);
}

static void
skip (Apply        *apply,
      const char   *doc_id,
      const GError *why)
{
  g_message ("Skipped the document “%s” from the server: %s", doc_id ? doc_id : "?", why->message);
  apply->report.skipped++;
}

/* The losing revisions of a server-side conflict not folded in before.
 * Only a manager may delete the losing revision of a lead
 * (validate_doc_update), so they can outlive a fold: the base remembers
 * the revisions it folded ("_lk_folded"), and a loser is folded once,
 * never again over newer values. */
static GPtrArray *
unfolded_losers (JsonObject *base,
                 GPtrArray  *losers)
{
  GPtrArray *unfolded = g_ptr_array_new ();
  JsonNode *node = base != NULL ? json_object_get_member (base, FOLDED_KEY) : NULL;
  JsonArray *folded = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

  for (guint i = 0; i < losers->len; i++)
    {
      JsonObject *loser = g_ptr_array_index (losers, i);
      const char *rev = member_string (loser, "_rev");
      gboolean seen = FALSE;

      for (guint j = 0; rev != NULL && folded != NULL && j < json_array_get_length (folded); j++)
        seen |= g_strcmp0 (json_array_get_string_element (folded, j), rev) == 0;
      if (!seen)
        g_ptr_array_add (unfolded, loser);
    }
  return unfolded;
}

/* Folds the losing revisions of a server-side conflict into the winner,
 * field by field against our last synced version. A field both changed is
 * a conflict like any other: the winner's value stays, the loser's is kept
 * for the user in the place of "mine". */
static JsonObject *
fold_losers (Apply       *apply,
             const char  *doc_id,
             JsonObject  *base,
             JsonObject  *winner,
             const char  *rev,
             GPtrArray   *losers,
             GError     **error)
{
  g_autoptr(JsonObject) folded = json_object_ref (winner);

  for (guint i = 0; losers != NULL && i < losers->len; i++)
    {
      g_autoptr(GError) bad = NULL;
      g_autoptr(JsonObject) loser = canonical_doc (g_ptr_array_index (losers, i), &bad);
      g_autoptr(JsonObject) merged = NULL;
      guint n_conflicts = 0;

      if (loser == NULL)
        {
          skip (apply, doc_id, bad);
          continue;
        }
      if (member_is_true (loser, "_deleted"))
        continue;
      merged = merge_docs (apply, doc_id, base, loser, folded, rev, &n_conflicts, error);
      if (merged == NULL)
        return NULL;
      g_clear_pointer (&folded, json_object_unref);
      folded = g_steal_pointer (&merged);
    }
  return g_steal_pointer (&folded);
}

static char *
doc_text (JsonObject *doc)
{
  return doc != NULL ? lk_doc_to_string (doc, FALSE) : g_strdup ("null");
}

/* Whether @doc_id has a row here, and whether that row holds edits the
 * server does not have yet: one indexed lookup, before anything is built. */
static gboolean
row_state (LkStore     *self,
           const char  *doc_id,
           GType        type,
           gboolean    *exists,
           gboolean    *dirty,
           GError     **error)
{
  const char *sql;
  const char *key = doc_id;
  sqlite3_stmt *stmt;
  int rc;

  *exists = *dirty = FALSE;
  if (type == G_TYPE_NONE)
    {
      sql = "SELECT dirty FROM settings WHERE name = ?";
      key = doc_id + strlen (SETTINGS_PREFIX);
    }
  else if (type == LK_TYPE_LEAD)
    sql = "SELECT dirty FROM leads WHERE id = ?";
  else if (type == LK_TYPE_ACTIVITY)
    sql = "SELECT dirty FROM activities WHERE id = ?";
  else if (type == LK_TYPE_STAGE_CHANGE)
    sql = "SELECT dirty FROM stage_changes WHERE id = ?";
  else if (type == LK_TYPE_USER)
    sql = "SELECT dirty FROM users WHERE id = ?";
  else
    return TRUE;
  stmt = lk_store_prepare (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *exists = TRUE;
      *dirty = sqlite3_column_int (stmt, 0) != 0;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return lk_store_fail (self, error, _("read a record"));
  return TRUE;
}

/* The server deleted @doc_id: the row stays as a tombstone with its last
 * fields (a setting goes). Returns %FALSE only when the database fails. */
static gboolean
soft_delete (LkStore     *self,
             const char  *doc_id,
             GType        type,
             JsonObject  *tombstone,
             gboolean    *changed,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(LkRecord) record = NULL;

  *changed = FALSE;
  if (type == G_TYPE_NONE)
    {
      *changed = TRUE;
      return write_doc (self, tombstone, FALSE, error);
    }
  record = lk_store_find_record (self, type, doc_id, NULL, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (record == NULL || lk_record_get_deleted (record))
    return TRUE;
  lk_record_set_deleted (record, TRUE);
  *changed = TRUE;
  return lk_store_write_record (self, record, FALSE, error);
}

/* The server's document in canonical form, made the first time it is
 * needed: most documents are written as they come, without it. */
static JsonObject *
theirs_doc (JsonObject **theirs,
            LkRecord    *record)
{
  if (*theirs == NULL)
    *theirs = lk_doc_from_record (record);
  return *theirs;
}

struct _LkRemoteDoc
{
  char       *id;       /* NULL when it has none */
  char       *rev;
  gboolean    deleted;
  JsonObject *doc;      /* as it came; NULL when @record holds all the apply needs */
  LkRecord   *record;   /* a record's document read, or NULL */
  GError     *error;    /* why a record's document could not be read */
};

/**
 * lk_remote_doc_new:
 * @doc: a document from the server
 *
 * Reads @doc for lk_store_apply_remote_docs(), touching no database, so
 * that a pull reads each document of a page on its own thread, while it
 * is in the CPU cache, and lets its JSON tree go: the document of a
 * record (a lead, a follow-up …) that is neither deleted nor in a
 * server-side conflict is kept as its record alone. Its text, should a
 * merge need it as the next ancestor, is then the record's canonical
 * document, the form every ancestor is read in anyway.
 *
 * Returns: (transfer full): the document read
 */
static LkRemoteDoc *
remote_doc_new (JsonObject *doc,
                gboolean    keep_doc)
{
  LkRemoteDoc *remote_doc = g_new0 (LkRemoteDoc, 1);
  const char *id = member_string (doc, "_id");
  GType type;

  remote_doc->id = g_strdup (id);
  remote_doc->rev = g_strdup (member_string (doc, "_rev"));
  remote_doc->deleted = member_is_true (doc, "_deleted");
  type = id != NULL ? type_for_id (id) : G_TYPE_INVALID;
  /* Design documents and the like are skipped; settings are documents. */
  if ((id != NULL && id[0] == '_') || type == G_TYPE_NONE)
    {
      remote_doc->doc = json_object_ref (doc);
      return remote_doc;
    }
  remote_doc->record = remote_record (doc, TRUE, &remote_doc->error);
  if (remote_doc->record != NULL &&
      (keep_doc || remote_doc->deleted || json_object_has_member (doc, "_conflicts")))
    remote_doc->doc = json_object_ref (doc);
  return remote_doc;
}

LkRemoteDoc *
lk_remote_doc_new (JsonObject *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);

  return remote_doc_new (doc, FALSE);
}

void
lk_remote_doc_free (LkRemoteDoc *remote_doc)
{
  if (remote_doc == NULL)
    return;
  g_free (remote_doc->id);
  g_free (remote_doc->rev);
  g_clear_pointer (&remote_doc->doc, json_object_unref);
  g_clear_object (&remote_doc->record);
  g_clear_error (&remote_doc->error);
  g_free (remote_doc);
}

/* Returns: (nullable): the document's "_id" */
const char *
lk_remote_doc_get_id (LkRemoteDoc *remote_doc)
{
  g_return_val_if_fail (remote_doc != NULL, NULL);
  return remote_doc->id;
}

/* One server document (SYNC.md "Pull"). Returns %FALSE only when the
 * database fails; a document that cannot be read is skipped. */
static gboolean
apply_one (Apply        *apply,
           LkRemoteDoc  *remote_doc,
           GPtrArray    *losers,
           GError      **error)
{
  LkStore *self = apply->store;
  g_autoptr(GError) bad = NULL;
  JsonObject *doc = remote_doc->doc;
  LkRecord *record = remote_doc->record;
  g_autoptr(JsonObject) theirs = NULL;
  g_autoptr(JsonObject) raw_base = NULL;
  g_autoptr(JsonObject) base = NULL;
  g_autoptr(JsonObject) mine = NULL;
  g_autoptr(JsonObject) folded = NULL;
  g_autoptr(GPtrArray) unfolded = NULL;
  g_autofree char *base_rev = NULL;
  g_autofree char *base_text = NULL;
  g_autofree char *doc_json = NULL;
  const char *id = remote_doc->id;
  const char *rev = remote_doc->rev;
  gboolean deleted = remote_doc->deleted;
  gboolean exists, dirty, immutable;
  gboolean folded_differs = FALSE;
  gboolean row_is_theirs = FALSE;
  GType type;

  /* Design documents and the like are the server's, not ours. */
  if (id != NULL && id[0] == '_')
    return TRUE;
  type = id != NULL ? type_for_id (id) : G_TYPE_INVALID;
  if (type == G_TYPE_NONE)
    theirs = canonical_doc (doc, &bad);
  if (theirs == NULL && record == NULL)
    {
      skip (apply, id, bad != NULL ? bad : remote_doc->error);
      return TRUE;
    }
  immutable = type == LK_TYPE_ACTIVITY || type == LK_TYPE_STAGE_CHANGE;
  /* (A document kept as its record alone named no losing revisions.) */
  if (deleted || immutable || doc == NULL)
    losers = NULL;
  if (!read_base (self, id, &base_rev, &base_text, error))
    return FALSE;
  /* Our own push coming back, or a version already applied. */
  if (g_strcmp0 (base_rev, rev) == 0 && losers == NULL)
    return TRUE;
  if (!row_state (self, id, type, &exists, &dirty, error))
    return FALSE;

  /* The merge ancestor, only when there is something to merge. */
  if (base_text != NULL && base_text[0] == '\0' && (losers != NULL || (exists && dirty && !immutable)))
    {
      g_autoptr(GError) local_error = NULL;

      g_free (base_text);
      base_text = lazy_base_text (self, id, base_rev, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  if (base_text != NULL && (losers != NULL || (exists && dirty && !immutable)))
    {
      raw_base = lk_doc_parse (base_text, -1, NULL);
      base = raw_base != NULL ? canonical_doc_full (raw_base, FALSE, NULL) : NULL;
    }
  if (losers != NULL)
    {
      unfolded = unfolded_losers (raw_base, losers);
      if (g_strcmp0 (base_rev, rev) == 0 && unfolded->len == 0)
        return TRUE;
    }
  if (unfolded != NULL && unfolded->len > 0)
    {
      folded = fold_losers (apply, id, base, theirs_doc (&theirs, record), rev, unfolded, error);
      if (folded == NULL)
        return FALSE;
      folded_differs = !docs_equal (folded, theirs);
      if (folded_differs)
        apply->report.queued++;
    }

  if (!exists || !dirty || immutable)
    {
      /* Nothing of ours to keep: the server's version is written. Follow-ups
       * and stage changes are immutable and never merged. */
      gboolean changed = TRUE;

      if (dirty && !unqueue (self, id, error))
        return FALSE;
      if (deleted)
        {
          if (!exists)
            changed = FALSE;
          else if (!soft_delete (self, id, type, theirs, &changed, error))
            return FALSE;
        }
      else if (folded_differs)
        {
          if (!write_doc (self, folded, TRUE, error))
            return FALSE;
        }
      else if (record != NULL)
        {
          if (!lk_store_write_record (self, record, FALSE, error))
            return FALSE;
          row_is_theirs = TRUE;
        }
      else if (!write_doc (self, theirs, FALSE, error))
        return FALSE;
      if (changed)
        apply->report.applied++;
    }
  else
    {
      JsonObject *target;
      gboolean i_deleted;

      if (!read_local (self, id, &mine, error))
        return FALSE;
      g_assert (mine != NULL);
      theirs_doc (&theirs, record);
      target = folded != NULL ? folded : theirs;
      i_deleted = member_is_true (mine, "_deleted");

      if (deleted || i_deleted)
        {
          /* Delete against edit never silently wins: the local copy follows
           * the server and my side is parked in a conflict for the user. */
          g_autofree char *base_json = doc_text (base);
          g_autofree char *mine_json = doc_text (mine);
          g_autofree char *theirs_json = deleted ? g_strdup ("null") : doc_text (target);

          if (!unqueue (self, id, error))
            return FALSE;
          if (deleted && i_deleted)
            {
              /* Both deleted it: agreed. */
              if (!write_doc (self, mine, FALSE, error))
                return FALSE;
            }
          else if (deleted)
            {
              g_autoptr(JsonObject) gone = doc_with_deleted (mine, TRUE);

              if (!record_conflict (self, id, LK_CONFLICT_THEY_DELETED, NULL, base_json, mine_json,
                                    theirs_json, rev, error) ||
                  !write_doc (self, gone, FALSE, error))
                return FALSE;
              apply->report.conflicts++;
            }
          else
            {
              if (!record_conflict (self, id, LK_CONFLICT_I_DELETED, NULL, base_json, mine_json,
                                    theirs_json, rev, error) ||
                  !write_doc (self, target, folded_differs, error))
                return FALSE;
              apply->report.conflicts++;
            }
        }
      else
        {
          g_autoptr(JsonObject) merged = NULL;
          guint n_conflicts = 0;

          merged = merge_docs (apply, id, base, mine, target, rev, &n_conflicts, error);
          if (merged == NULL)
            return FALSE;
          if (docs_equal (merged, theirs))
            {
              /* Nothing of mine is left that the server does not have. */
              if (!unqueue (self, id, error) || !write_doc (self, merged, FALSE, error))
                return FALSE;
            }
          else if (!write_doc (self, merged, TRUE, error))
            return FALSE;
          if (n_conflicts == 0)
            apply->report.merged++;
        }
      apply->report.applied++;
    }

  /* The ancestor of the next merge: the server's document as it came (in
   * canonical form only when it is used), with the losing revisions
   * already folded into it. */
  if (losers != NULL && losers->len > 0)
    {
      g_autoptr(JsonObject) remembered = doc_with_deleted (doc, deleted);
      JsonArray *revs = json_array_new ();

      for (guint i = 0; i < losers->len; i++)
        {
          const char *loser_rev = member_string (g_ptr_array_index (losers, i), "_rev");

          if (loser_rev != NULL)
            json_array_add_string_element (revs, loser_rev);
        }
      json_object_set_array_member (remembered, FOLDED_KEY, revs);
      return write_base (self, id, rev, remembered, error);
    }
  /* The row holds the server's document as it is: the base is the row. */
  if (row_is_theirs)
    return write_base_text (self, id, rev, "", error);
  if (doc == NULL)
    {
      /* Kept as its record (lk_remote_doc_new): its canonical form. */
      doc = theirs_doc (&theirs, record);
      json_object_set_string_member (doc, "_rev", rev);
    }
  doc_json = lk_doc_to_string (doc, FALSE);
  return write_base_text (self, id, rev, doc_json, error);
}

/* Runs @sql, an upsert of sync_state with ?1 the remote and ?2 a text
 * value (a fixed statement of this file, never built from data). */
static gboolean
upsert_sync_state (LkStore     *self,
                   const char  *sql,
                   const char  *remote,
                   const char  *value,
                   GError     **error)
{
  sqlite3_stmt *stmt = lk_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, remote, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  return lk_store_step_done (self, stmt, error);
}

static gboolean
write_checkpoint (LkStore     *self,
                  const char  *remote,
                  const char  *pull_since,
                  GError     **error)
{
  return upsert_sync_state (self,
                            "INSERT INTO sync_state (remote, pull_since) VALUES (?, ?) "
                            "ON CONFLICT (remote) DO UPDATE SET pull_since = excluded.pull_since",
                            remote, pull_since, error);
}

/**
 * lk_store_apply_remote_docs:
 * @docs: (element-type LkRemoteDoc): documents from the server, with
 *   "_id" and "_rev", read by lk_remote_doc_new(); a deleted one may be
 *   a bare tombstone (_id, _rev, _deleted). Losing revisions (@losers)
 *   are only folded into a document that names them in "_conflicts".
 * @losers: (nullable) (element-type utf8 GPtrArray): document id → the
 *   losing revisions of a server-side conflict (JsonObject), folded into
 *   the winner; the folded document is queued for pushing
 * @remote: the remote the documents come from
 * @pull_since: (nullable): the changes-feed checkpoint after @docs (raw
 *   JSON), saved in the same transaction; %NULL saves none
 * @merge: the three-way merge
 * @report: (inout): counts are added to it
 *
 * Applies one page of server documents in one transaction (SYNC.md
 * "Pull"): a clean or absent local row takes the server's version; a
 * dirty one is merged three ways against the last synced version and
 * stays dirty while it holds edits the server lacks; delete against edit
 * is recorded as a conflict. Server versions are written clean and queue
 * nothing; leads are re-indexed; no stage change is recorded. A document
 * that cannot be read is skipped with a logged reason and counted; the
 * rest apply. Nothing is written when the database fails or @cancellable
 * is cancelled.
 */
gboolean
lk_store_apply_remote_docs (LkStore            *self,
                            GPtrArray          *docs,
                            GHashTable         *losers,
                            const char         *remote,
                            const char         *pull_since,
                            LkStoreMergeFunc    merge,
                            gpointer            merge_data,
                            GCancellable       *cancellable,
                            LkSyncApplyReport  *report,
                            GError            **error)
{
  Apply apply = { self, merge, merge_data, { 0 } };

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (docs != NULL, FALSE);
  g_return_val_if_fail (merge != NULL, FALSE);
  g_return_val_if_fail (pull_since == NULL || remote != NULL, FALSE);

  if (!lk_store_begin (self, error))
    return FALSE;
  for (guint i = 0; i < docs->len; i++)
    {
      LkRemoteDoc *remote_doc = g_ptr_array_index (docs, i);
      const char *id = remote_doc->id;
      GPtrArray *doc_losers = losers != NULL && id != NULL ? g_hash_table_lookup (losers, id) : NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !apply_one (&apply, remote_doc, doc_losers, error))
        {
          lk_store_rollback (self);
          return FALSE;
        }
    }
  if (pull_since != NULL && !write_checkpoint (self, remote, pull_since, error))
    {
      lk_store_rollback (self);
      return FALSE;
    }
  if (!lk_store_commit (self, error))
    return FALSE;
  if (report != NULL)
    {
      report->applied += apply.report.applied;
      report->merged += apply.report.merged;
      report->conflicts += apply.report.conflicts;
      report->skipped += apply.report.skipped;
      report->queued += apply.report.queued;
    }
  return TRUE;
}

/**
 * lk_store_apply_remote:
 * @docs: (element-type JsonObject): documents from the server
 *
 * lk_store_apply_remote_docs() of @docs, each kept as it is (the losing
 * revisions of @losers may be for any of them).
 */
gboolean
lk_store_apply_remote (LkStore            *self,
                       GPtrArray          *docs,
                       GHashTable         *losers,
                       const char         *remote,
                       const char         *pull_since,
                       LkStoreMergeFunc    merge,
                       gpointer            merge_data,
                       GCancellable       *cancellable,
                       LkSyncApplyReport  *report,
                       GError            **error)
{
  g_autoptr(GPtrArray) remote_docs = NULL;

  g_return_val_if_fail (docs != NULL, FALSE);

  remote_docs = g_ptr_array_new_full (docs->len, (GDestroyNotify) lk_remote_doc_free);
  for (guint i = 0; i < docs->len; i++)
    g_ptr_array_add (remote_docs, remote_doc_new (g_ptr_array_index (docs, i), TRUE));
  return lk_store_apply_remote_docs (self, remote_docs, losers, remote, pull_since, merge, merge_data,
                                     cancellable, report, error);
}

/**
 * lk_store_get_local_doc:
 *
 * Returns: (transfer full) (nullable): the local version of @doc_id as a
 *   document, without "_rev"; %NULL (no error) when there is none
 */
JsonObject *
lk_store_get_local_doc (LkStore     *self,
                        const char  *doc_id,
                        GError     **error)
{
  JsonObject *doc = NULL;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);
  g_return_val_if_fail (doc_id != NULL, NULL);

  read_local (self, doc_id, &doc, error);
  return doc;
}

/**
 * lk_store_get_sync_base:
 * @rev: (out) (optional) (nullable):
 * @doc: (out) (optional) (nullable):
 *
 * The last server version of @doc_id this desktop knows: the ancestor of
 * the next merge. Both are %NULL when there is none.
 */
gboolean
lk_store_get_sync_base (LkStore     *self,
                        const char  *doc_id,
                        char       **rev,
                        JsonObject **doc,
                        GError     **error)
{
  g_autofree char *base_rev = NULL;
  g_autofree char *json = NULL;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);

  if (!read_base (self, doc_id, &base_rev, &json, error))
    return FALSE;
  if (json != NULL && json[0] == '\0')
    {
      g_autoptr(GError) local_error = NULL;

      g_free (json);
      json = lazy_base_text (self, doc_id, base_rev, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  if (rev != NULL)
    *rev = g_steal_pointer (&base_rev);
  if (doc != NULL)
    *doc = json != NULL ? lk_doc_parse (json, -1, NULL) : NULL;
  return TRUE;
}

/**
 * lk_store_drop_sync_base:
 *
 * Forgets the server version of @doc_id: the server no longer has it (a
 * purge), so the next push creates it again.
 */
gboolean
lk_store_drop_sync_base (LkStore     *self,
                         const char  *doc_id,
                         GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);

  stmt = lk_store_prepare (self, "DELETE FROM sync_base WHERE doc_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, doc_id, -1, SQLITE_STATIC);
  return lk_store_step_done (self, stmt, error);
}

/* The table and key column of @doc_id's row, for the statements below
 * (fixed names, never data). */
static const char *
dirty_sql (const char *doc_id)
{
  GType type = type_for_id (doc_id);

  if (type == G_TYPE_NONE)
    return "UPDATE settings SET dirty = 0 WHERE 'settings:' || name = ? AND local_seq = ?";
  if (type == LK_TYPE_LEAD)
    return "UPDATE leads SET dirty = 0 WHERE id = ? AND local_seq = ?";
  if (type == LK_TYPE_ACTIVITY)
    return "UPDATE activities SET dirty = 0 WHERE id = ? AND local_seq = ?";
  if (type == LK_TYPE_STAGE_CHANGE)
    return "UPDATE stage_changes SET dirty = 0 WHERE id = ? AND local_seq = ?";
  if (type == LK_TYPE_USER)
    return "UPDATE users SET dirty = 0 WHERE id = ? AND local_seq = ?";
  return NULL;
}

/**
 * lk_store_take_outbox_batch:
 * @max_docs: at most this many documents
 * @max_bytes: and about this many bytes of JSON (at least one document)
 * @exclude: (nullable) (element-type utf8 utf8): document ids to leave out
 *
 * The next documents to push, in the order they were queued, each as it
 * is now with the revision it is based on. Entries waiting for a retry
 * (next_try_at in the future) and refused ones are left out. Entries that
 * belong to no record are dropped.
 *
 * Returns: (transfer full) (element-type LkOutboxDoc): empty when nothing waits
 */
GPtrArray *
lk_store_take_outbox_batch (LkStore     *self,
                            guint        max_docs,
                            gsize        max_bytes,
                            GHashTable  *exclude,
                            GError     **error)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_outbox_doc_free);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) orphans = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  gsize bytes = 0;
  int rc;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);
  g_return_val_if_fail (max_docs > 0, NULL);

  if (!lk_store_begin (self, error))
    return NULL;
  stmt = lk_store_prepare (self,
                           "SELECT doc_id, local_seq FROM outbox WHERE next_try_at <= ? "
                           "ORDER BY queued_at, rowid",
                           error);
  if (stmt == NULL)
    {
      lk_store_rollback (self);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, lk_clock_now_ms (lk_store_get_clock (self)));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *doc_id = lk_store_column_text (stmt, 0);
      gint64 seq = sqlite3_column_int64 (stmt, 1);

      if (exclude != NULL && g_hash_table_contains (exclude, doc_id))
        continue;
      g_ptr_array_add (entries, g_strdup (doc_id));
      g_array_append_val (seqs, seq);
      /* Enough candidates; documents are read below, outside this scan. */
      if (entries->len >= max_docs)
        break;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      lk_store_fail (self, error, _("read the changes waiting to be sent"));
      lk_store_rollback (self);
      return NULL;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      const char *doc_id = g_ptr_array_index (entries, i);
      g_autoptr(JsonObject) doc = NULL;
      g_autoptr(LkOutboxDoc) entry = NULL;
      gsize size;

      if (!read_local (self, doc_id, &doc, error))
        {
          lk_store_rollback (self);
          return NULL;
        }
      if (doc == NULL)
        {
          g_ptr_array_add (orphans, g_strdup (doc_id));
          continue;
        }
      entry = g_new0 (LkOutboxDoc, 1);
      entry->doc_id = g_strdup (doc_id);
      entry->local_seq = g_array_index (seqs, gint64, i);
      entry->deleted = member_is_true (doc, "_deleted");
      entry->body = lk_doc_to_string (doc, FALSE);
      if (!read_base (self, doc_id, &entry->rev, NULL, error))
        {
          lk_store_rollback (self);
          return NULL;
        }
      size = strlen (entry->body) + (entry->rev ? strlen (entry->rev) + 12 : 0);
      if (batch->len > 0 && bytes + size > max_bytes)
        break;
      bytes += size;
      g_ptr_array_add (batch, g_steal_pointer (&entry));
    }

  for (guint i = 0; i < orphans->len; i++)
    {
      g_message ("Dropped the queued change of “%s”: there is no such record",
                 (const char *) g_ptr_array_index (orphans, i));
      if (!unqueue (self, g_ptr_array_index (orphans, i), error))
        {
          lk_store_rollback (self);
          return NULL;
        }
    }
  if (!lk_store_commit (self, error))
    return NULL;
  return g_steal_pointer (&batch);
}

static gboolean
bind_doc_seq_step (LkStore      *self,
                   sqlite3_stmt *stmt,
                   int           first,
                   LkOutboxDoc  *doc,
                   GError      **error)
{
  sqlite3_bind_text (stmt, first, doc->doc_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, first + 1, doc->local_seq);
  return lk_store_step_done (self, stmt, error);
}

/**
 * lk_store_mark_pushed:
 * @rev: the revision the server gave the document
 *
 * The server accepted @doc: what was sent becomes the merge ancestor with
 * its new revision. The outbox entry goes and the row becomes clean only
 * when it was not edited again since the batch was taken; otherwise the
 * newer edit is sent next, based on @rev.
 */
gboolean
lk_store_mark_pushed (LkStore      *self,
                      LkOutboxDoc  *doc,
                      const char   *rev,
                      GError      **error)
{
  sqlite3_stmt *stmt;
  const char *sql = dirty_sql (doc->doc_id);
  gboolean ok;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (doc != NULL && rev != NULL, FALSE);

  if (!lk_store_begin (self, error))
    return FALSE;
  ok = write_base_text (self, doc->doc_id, rev, doc->body, error);
  if (ok)
    {
      stmt = lk_store_prepare (self, "DELETE FROM outbox WHERE doc_id = ? AND local_seq = ?", error);
      ok = stmt != NULL && bind_doc_seq_step (self, stmt, 1, doc, error);
    }
  if (ok && sql != NULL)
    {
      stmt = lk_store_prepare (self, sql, error);
      ok = stmt != NULL && bind_doc_seq_step (self, stmt, 1, doc, error);
    }
  if (!ok)
    {
      lk_store_rollback (self);
      return FALSE;
    }
  return lk_store_commit (self, error);
}

/**
 * lk_store_mark_rejected:
 * @reason: the server's reason, shown to the user
 *
 * The server refused @doc (validate_doc_update, no permission): it stays
 * in the outbox with @reason and is not sent again until it is edited.
 */
gboolean
lk_store_mark_rejected (LkStore      *self,
                        LkOutboxDoc  *doc,
                        const char   *reason,
                        GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (doc != NULL, FALSE);

  stmt = lk_store_prepare (self,
                           "UPDATE outbox SET attempts = attempts + 1, next_try_at = ?, last_error = ? "
                           "WHERE doc_id = ? AND local_seq = ?",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, NEVER);
  sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_STATIC);
  return bind_doc_seq_step (self, stmt, 3, doc, error);
}

/**
 * lk_store_mark_push_failed:
 * @reason: what went wrong, for the record
 *
 * @doc could not be sent (no network, a server error): it is tried again
 * after an exponential backoff with jitter.
 */
gboolean
lk_store_mark_push_failed (LkStore      *self,
                           LkOutboxDoc  *doc,
                           const char   *reason,
                           GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 attempts = 0;
  gint64 delay, now;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (doc != NULL, FALSE);

  stmt = lk_store_prepare (self, "SELECT attempts FROM outbox WHERE doc_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, doc->doc_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    attempts = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  delay = BACKOFF_FIRST_MS << MIN (attempts, 20);
  delay = MIN (delay, BACKOFF_MAX_MS);
  delay = delay / 2 + (gint64) g_random_double_range (0, (double) delay / 2);
  now = lk_clock_now_ms (lk_store_get_clock (self));

  stmt = lk_store_prepare (self,
                           "UPDATE outbox SET attempts = attempts + 1, next_try_at = ?, last_error = ? "
                           "WHERE doc_id = ? AND local_seq = ?",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now + delay);
  sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_STATIC);
  return bind_doc_seq_step (self, stmt, 3, doc, error);
}

/* Returns: how many queued documents the server refused, or -1 */
gint64
lk_store_count_rejected (LkStore  *self,
                         GError  **error)
{
  sqlite3_stmt *stmt;
  gint64 count = -1;

  g_return_val_if_fail (LK_IS_STORE (self), -1);

  stmt = lk_store_prepare (self, "SELECT count(*) FROM outbox WHERE next_try_at = ?", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, NEVER);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    lk_store_fail (self, error, _("count records"));
  sqlite3_reset (stmt);
  return count;
}

/* Returns: (transfer full) (nullable): why the last push of @doc_id failed
 *   or was refused; %NULL when it is not waiting or nothing went wrong */
char *
lk_store_get_push_error (LkStore    *self,
                         const char *doc_id)
{
  sqlite3_stmt *stmt;
  char *message = NULL;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  stmt = lk_store_prepare (self, "SELECT last_error FROM outbox WHERE doc_id = ?", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, doc_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    message = g_strdup (lk_store_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return message;
}

static LkSyncRemote *
read_remote_row (sqlite3_stmt *stmt)
{
  LkSyncRemote *remote = g_new0 (LkSyncRemote, 1);

  remote->remote = g_strdup (lk_store_column_text (stmt, 0));
  remote->db_epoch = g_strdup (lk_store_column_text (stmt, 1));
  remote->pull_since = g_strdup (lk_store_column_text (stmt, 2));
  remote->last_push_at = sqlite3_column_int64 (stmt, 3);
  remote->last_pull_at = sqlite3_column_int64 (stmt, 4);
  remote->last_error = g_strdup (lk_store_column_text (stmt, 5));
  return remote;
}

/**
 * lk_store_get_sync_remote:
 *
 * Returns: (transfer full): what this desktop knows of @remote; a remote
 *   never synced has only its name set
 */
LkSyncRemote *
lk_store_get_sync_remote (LkStore     *self,
                          const char  *remote,
                          GError     **error)
{
  sqlite3_stmt *stmt;
  LkSyncRemote *result = NULL;
  int rc;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);
  g_return_val_if_fail (remote != NULL, NULL);

  stmt = lk_store_prepare (self,
                           "SELECT remote, db_epoch, pull_since, last_push_at, last_pull_at, last_error "
                           "FROM sync_state WHERE remote = ?",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, remote, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    result = read_remote_row (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      result = g_new0 (LkSyncRemote, 1);
      result->remote = g_strdup (remote);
    }
  else if (rc != SQLITE_ROW)
    lk_store_fail (self, error, _("read the sync state"));
  return result;
}

/* Returns: (transfer full) (element-type LkSyncRemote): the remotes this
 *   desktop has synced with, the most recent first */
GPtrArray *
lk_store_list_sync_remotes (LkStore  *self,
                            GError  **error)
{
  g_autoptr(GPtrArray) remotes = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_sync_remote_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  stmt = lk_store_prepare (self,
                           "SELECT remote, db_epoch, pull_since, last_push_at, last_pull_at, last_error "
                           "FROM sync_state ORDER BY max (coalesce (last_pull_at, 0), coalesce (last_push_at, 0)) DESC, remote",
                           error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (remotes, read_remote_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_fail (self, error, _("read the sync state"));
      return NULL;
    }
  return g_steal_pointer (&remotes);
}

/**
 * lk_store_set_sync_times:
 * @last_push_at: Unix ms of a finished push, or 0 to keep the stored one
 * @last_pull_at: Unix ms of a finished pull, or 0 to keep the stored one
 */
gboolean
lk_store_set_sync_times (LkStore     *self,
                         const char  *remote,
                         gint64       last_push_at,
                         gint64       last_pull_at,
                         GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (remote != NULL, FALSE);

  stmt = lk_store_prepare (self,
                           "INSERT INTO sync_state (remote, last_push_at, last_pull_at) "
                           "VALUES (?1, nullif (?2, 0), nullif (?3, 0)) ON CONFLICT (remote) DO UPDATE SET "
                           "last_push_at = coalesce (excluded.last_push_at, last_push_at), "
                           "last_pull_at = coalesce (excluded.last_pull_at, last_pull_at)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, remote, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, last_push_at);
  sqlite3_bind_int64 (stmt, 3, last_pull_at);
  return lk_store_step_done (self, stmt, error);
}

/* @message: (nullable): the last run's error; %NULL after a good run */
gboolean
lk_store_set_sync_error (LkStore     *self,
                         const char  *remote,
                         const char  *message,
                         GError     **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (remote != NULL, FALSE);

  return upsert_sync_state (self,
                            "INSERT INTO sync_state (remote, last_error) VALUES (?, ?) "
                            "ON CONFLICT (remote) DO UPDATE SET last_error = excluded.last_error",
                            remote, message, error);
}

/**
 * lk_store_reset_sync:
 * @epoch: the server's epoch marker ("" when it has none)
 *
 * The server database was recreated or restored (SYNC.md "Epoch"): the
 * checkpoint and the merge ancestors of the old database are forgotten,
 * and every record is marked dirty and queued, so that the next pull
 * merges what the server has and the push after it sends the rest.
 */
gboolean
lk_store_reset_sync (LkStore     *self,
                     const char  *remote,
                     const char  *epoch,
                     GError     **error)
{
  /* Team and settings first, then leads before what refers to them. */
  static const char * const steps[] = {
    "DELETE FROM sync_base",
    "UPDATE users SET dirty = 1, local_seq = local_seq + 1",
    "UPDATE leads SET dirty = 1, local_seq = local_seq + 1",
    "UPDATE stage_changes SET dirty = 1, local_seq = local_seq + 1",
    "UPDATE activities SET dirty = 1, local_seq = local_seq + 1",
    "UPDATE settings SET dirty = 1, local_seq = local_seq + 1",
  };
  static const char * const queue[] = {
    "INSERT INTO outbox (doc_id, op, local_seq, queued_at) "
    "SELECT id, CASE WHEN deleted THEN 'delete' ELSE 'put' END, local_seq, ? FROM users WHERE true "
    "ON CONFLICT (doc_id) DO UPDATE SET op = excluded.op, local_seq = excluded.local_seq, "
    "attempts = 0, next_try_at = 0, last_error = NULL",
    "INSERT INTO outbox (doc_id, op, local_seq, queued_at) "
    "SELECT id, CASE WHEN deleted THEN 'delete' ELSE 'put' END, local_seq, ? FROM leads WHERE true "
    "ON CONFLICT (doc_id) DO UPDATE SET op = excluded.op, local_seq = excluded.local_seq, "
    "attempts = 0, next_try_at = 0, last_error = NULL",
    "INSERT INTO outbox (doc_id, op, local_seq, queued_at) "
    "SELECT id, CASE WHEN deleted THEN 'delete' ELSE 'put' END, local_seq, ? FROM stage_changes WHERE true "
    "ON CONFLICT (doc_id) DO UPDATE SET op = excluded.op, local_seq = excluded.local_seq, "
    "attempts = 0, next_try_at = 0, last_error = NULL",
    "INSERT INTO outbox (doc_id, op, local_seq, queued_at) "
    "SELECT id, CASE WHEN deleted THEN 'delete' ELSE 'put' END, local_seq, ? FROM activities WHERE true "
    "ON CONFLICT (doc_id) DO UPDATE SET op = excluded.op, local_seq = excluded.local_seq, "
    "attempts = 0, next_try_at = 0, last_error = NULL",
    "INSERT INTO outbox (doc_id, op, local_seq, queued_at) "
    "SELECT 'settings:' || name, 'put', local_seq, ? FROM settings WHERE true "
    "ON CONFLICT (doc_id) DO UPDATE SET op = excluded.op, local_seq = excluded.local_seq, "
    "attempts = 0, next_try_at = 0, last_error = NULL",
  };
  gint64 now;
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (remote != NULL && epoch != NULL, FALSE);

  now = lk_clock_now_ms (lk_store_get_clock (self));
  if (!lk_store_begin (self, error))
    return FALSE;
  for (guint i = 0; ok && i < G_N_ELEMENTS (steps); i++)
    {
      stmt = lk_store_prepare (self, steps[i], error);
      ok = stmt != NULL && lk_store_step_done (self, stmt, error);
    }
  for (guint i = 0; ok && i < G_N_ELEMENTS (queue); i++)
    {
      stmt = lk_store_prepare (self, queue[i], error);
      if (stmt != NULL)
        sqlite3_bind_int64 (stmt, 1, now);
      ok = stmt != NULL && lk_store_step_done (self, stmt, error);
    }
  if (ok)
    {
      ok = upsert_sync_state (self,
                              "INSERT INTO sync_state (remote, db_epoch, pull_since) VALUES (?, ?, NULL) "
                              "ON CONFLICT (remote) DO UPDATE SET db_epoch = excluded.db_epoch, pull_since = NULL",
                              remote, epoch, error);
    }
  if (!ok)
    {
      lk_store_rollback (self);
      return FALSE;
    }
  return lk_store_commit (self, error);
}

/* Conflicts */

static LkConflictKind
kind_from_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (kind_names[i], name) == 0)
      return (LkConflictKind) i;
  return LK_CONFLICT_FIELD;
}

#define CONFLICT_COLUMNS "id, doc_id, kind, field, base, mine, theirs, theirs_rev, created_at"

static LkSyncConflict *
read_conflict (sqlite3_stmt *stmt)
{
  LkSyncConflict *conflict = g_new0 (LkSyncConflict, 1);

  conflict->id = sqlite3_column_int64 (stmt, 0);
  conflict->doc_id = g_strdup (lk_store_column_text (stmt, 1));
  conflict->kind = kind_from_name (lk_store_column_text (stmt, 2));
  conflict->field = g_strdup (lk_store_column_text (stmt, 3));
  conflict->base = g_strdup (lk_store_column_text (stmt, 4));
  conflict->mine = g_strdup (lk_store_column_text (stmt, 5));
  conflict->theirs = g_strdup (lk_store_column_text (stmt, 6));
  conflict->theirs_rev = g_strdup (lk_store_column_text (stmt, 7));
  conflict->created_at = sqlite3_column_int64 (stmt, 8);
  return conflict;
}

GPtrArray *
lk_store_list_conflicts (LkStore  *self,
                         GError  **error)
{
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_sync_conflict_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  stmt = lk_store_prepare (self,
                           "SELECT " CONFLICT_COLUMNS " FROM sync_conflicts "
                           "WHERE resolved_at IS NULL ORDER BY created_at, id",
                           error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (conflicts, read_conflict (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_fail (self, error, _("read the conflicts"));
      return NULL;
    }
  return g_steal_pointer (&conflicts);
}

gint64
lk_store_count_conflicts (LkStore  *self,
                          GError  **error)
{
  sqlite3_stmt *stmt;
  gint64 count = -1;

  g_return_val_if_fail (LK_IS_STORE (self), -1);

  stmt = lk_store_prepare (self, "SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL", error);
  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    lk_store_fail (self, error, _("count the conflicts"));
  sqlite3_reset (stmt);
  return count;
}

/* A copy of @doc with the value at @path ("bant.budget") replaced. */
static JsonObject *
doc_with_value (JsonObject *doc,
                const char *path,
                JsonNode   *value)
{
  JsonObject *copy = doc_with_deleted (doc, member_is_true (doc, "_deleted"));
  const char *dot = strchr (path, '.');

  if (dot == NULL)
    json_object_set_member (copy, path, json_node_copy (value));
  else
    {
      g_autofree char *parent = g_strndup (path, dot - path);
      JsonNode *node = json_object_get_member (copy, parent);
      g_autoptr(JsonObject) nested = NULL;

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        nested = doc_with_value (json_node_get_object (node), dot + 1, value);
      else
        {
          g_autoptr(JsonObject) empty = json_object_new ();

          nested = doc_with_value (empty, dot + 1, value);
        }
      json_object_set_object_member (copy, parent, g_steal_pointer (&nested));
    }
  return copy;
}

/* A decision of the user is their edit: leads record who made it, when. */
static void
stamp_edit (LkStore    *self,
            JsonObject *doc)
{
  const char *id = member_string (doc, "_id");

  if (lk_doc_type_for_id (id) != LK_TYPE_LEAD)
    return;
  json_object_set_int_member (doc, "updated_at", lk_clock_now_ms (lk_store_get_clock (self)));
  if (lk_store_get_user_id (self) != NULL)
    json_object_set_string_member (doc, "updated_by", lk_store_get_user_id (self));
}

static gboolean
use_mine (LkStore         *self,
          LkSyncConflict  *conflict,
          GError         **error)
{
  g_autoptr(JsonObject) current = NULL;
  g_autoptr(JsonObject) edited = NULL;

  if (!read_local (self, conflict->doc_id, &current, error))
    return FALSE;

  switch (conflict->kind)
    {
    case LK_CONFLICT_THEY_DELETED:
      {
        /* Restore: my version comes back and is sent over their delete. */
        g_autoptr(JsonObject) mine = lk_doc_parse (conflict->mine, -1, error);

        if (mine == NULL)
          return FALSE;
        edited = doc_with_deleted (mine, FALSE);
      }
      break;

    case LK_CONFLICT_I_DELETED:
      if (current == NULL)
        return TRUE;
      edited = doc_with_deleted (current, TRUE);
      break;

    case LK_CONFLICT_FIELD:
    default:
      {
        g_autoptr(JsonNode) value = parse_node (conflict->mine);

        if (current == NULL || conflict->field == NULL)
          {
            g_set_error (error, LK_ERROR, LK_ERROR_NOT_FOUND,
                         _("There is no record “%s”"), conflict->doc_id);
            return FALSE;
          }
        if (value == NULL)
          {
            g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                         _("The conflict on “%s” holds no readable value"), conflict->field);
            return FALSE;
          }
        edited = doc_with_value (current, conflict->field, value);
      }
      break;
    }
  stamp_edit (self, edited);
  return write_doc (self, edited, TRUE, error);
}

/**
 * lk_store_resolve_conflict:
 *
 * "Use mine" makes my value (or my edited document for Restore, or my
 * delete) a local edit that syncs; "Keep theirs" leaves the server's
 * version, which the local copy already holds. Either way the conflict is
 * closed, in one transaction; ::changed names it with the doc type
 * "conflict" and names the record when it changed.
 */
gboolean
lk_store_resolve_conflict (LkStore   *self,
                           gint64     conflict_id,
                           gboolean   use_mine_value,
                           GError   **error)
{
  g_autoptr(LkSyncConflict) conflict = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);

  if (!lk_store_begin (self, error))
    return FALSE;
  stmt = lk_store_prepare (self,
                           "SELECT " CONFLICT_COLUMNS " FROM sync_conflicts WHERE id = ? AND resolved_at IS NULL",
                           error);
  if (stmt == NULL)
    {
      lk_store_rollback (self);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, conflict_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    conflict = read_conflict (stmt);
  sqlite3_reset (stmt);
  if (conflict == NULL)
    {
      if (rc == SQLITE_DONE)
        g_set_error_literal (error, LK_ERROR, LK_ERROR_NOT_FOUND,
                             _("This conflict does not exist or has been resolved already"));
      else
        lk_store_fail (self, error, _("read the conflicts"));
      lk_store_rollback (self);
      return FALSE;
    }

  if (use_mine_value && !use_mine (self, conflict, error))
    {
      lk_store_rollback (self);
      return FALSE;
    }
  stmt = lk_store_prepare (self, "UPDATE sync_conflicts SET resolved_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    {
      lk_store_rollback (self);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, lk_clock_now_ms (lk_store_get_clock (self)));
  sqlite3_bind_int64 (stmt, 2, conflict_id);
  if (!lk_store_step_done (self, stmt, error))
    {
      lk_store_rollback (self);
      return FALSE;
    }
  lk_store_note_changed (self, "conflict", conflict->doc_id);
  return lk_store_commit (self, error);
}
