/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-merge"

#include "lk-merge.h"
#include "lk-store-sync.h"

/* Three versions of one document: base (the last version this desktop
 * synced, the common ancestor; may be missing), mine (the local copy) and
 * theirs (the server's). Each value is decided on its own, unknown fields
 * included, and objects ("bant") member by member:
 *
 *   mine = base    → theirs
 *   theirs = base  → mine
 *   mine = theirs  → that value
 *   otherwise      → a true conflict: theirs stays (the first to reach the
 *                    server wins) and mine is reported for the user.
 *
 * Two fields have their own rule: "tags" is a set (base + what either side
 * added − what either side removed) and "last_contacted_at" takes the later
 * of two contacts. "updated_at" and "updated_by" say who wrote the result
 * and never conflict: mine when the result holds something of mine the
 * server lacks, else theirs. No time of a device decides anything. Keys
 * starting with "_" belong to the server and come from theirs. */

void
lk_merge_conflict_free (LkMergeConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->field);
  g_clear_pointer (&conflict->base, json_node_unref);
  g_clear_pointer (&conflict->mine, json_node_unref);
  g_clear_pointer (&conflict->theirs, json_node_unref);
  g_free (conflict);
}

/* Integers compare by value whatever their JSON spelling (4 and 4.0). */
static gboolean
equal0 (JsonNode *a,
        JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return json_node_equal (a, b);
}

static JsonNode *
member0 (JsonObject *object,
         const char *name)
{
  return object != NULL ? json_object_get_member (object, name) : NULL;
}

static gboolean
holds_object (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node);
}

static gboolean
is_string_array (JsonNode *node)
{
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_time (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node) ||
         (JSON_NODE_HOLDS_VALUE (node) && (json_node_get_value_type (node) == G_TYPE_INT64 ||
                                           json_node_get_value_type (node) == G_TYPE_DOUBLE));
}

static gint64
time_of (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return G_MININT64;
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);
  return json_node_get_int (node);
}

static GHashTable *
string_set (JsonNode *node)
{
  GHashTable *set = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array;

  if (node == NULL)
    return set;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_hash_table_add (set, (gpointer) json_array_get_string_element (array, i));
  return set;
}

/* theirs − what I removed + what I added, in theirs' order and then mine. */
static JsonNode *
merge_set (JsonNode *base,
           JsonNode *mine,
           JsonNode *theirs)
{
  g_autoptr(GHashTable) in_base = string_set (base);
  g_autoptr(GHashTable) in_mine = string_set (mine);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *result = json_array_new ();
  JsonArray *t = json_node_get_array (theirs);
  JsonArray *m = json_node_get_array (mine);
  JsonNode *node;

  for (guint i = 0; i < json_array_get_length (t); i++)
    {
      const char *tag = json_array_get_string_element (t, i);
      gboolean removed = g_hash_table_contains (in_base, tag) && !g_hash_table_contains (in_mine, tag);

      if (!removed && g_hash_table_add (seen, (gpointer) tag))
        json_array_add_string_element (result, tag);
    }
  for (guint i = 0; i < json_array_get_length (m); i++)
    {
      const char *tag = json_array_get_string_element (m, i);

      if (!g_hash_table_contains (in_base, tag) && g_hash_table_add (seen, (gpointer) tag))
        json_array_add_string_element (result, tag);
    }
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, result);
  return node;
}

typedef struct
{
  GPtrArray *conflicts;
  gboolean   mine_kept;  /* the result differs from theirs somewhere */
} Merge;

static void
add_conflict (Merge      *merge,
              const char *path,
              JsonNode   *base,
              JsonNode   *mine,
              JsonNode   *theirs)
{
  LkMergeConflict *conflict = g_new0 (LkMergeConflict, 1);

  conflict->field = g_strdup (path);
  conflict->base = base ? json_node_copy (base) : NULL;
  conflict->mine = mine ? json_node_copy (mine) : NULL;
  conflict->theirs = theirs ? json_node_copy (theirs) : NULL;
  g_ptr_array_add (merge->conflicts, conflict);
}

static void
add_keys (GPtrArray  *keys,
          GHashTable *seen,
          JsonObject *object)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (object == NULL)
    return;
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    if (g_hash_table_add (seen, (gpointer) name))
      g_ptr_array_add (keys, (gpointer) name);
}

static JsonObject *merge_objects (Merge      *merge,
                                  const char *prefix,
                                  JsonObject *base,
                                  JsonObject *mine,
                                  JsonObject *theirs);

/* The merged value of one key, or %NULL for "absent". */
static JsonNode *
merge_value (Merge      *merge,
             const char *path,
             gboolean    top,
             const char *key,
             JsonNode   *b,
             JsonNode   *m,
             JsonNode   *t)
{
  if (holds_object (m) && holds_object (t) && (b == NULL || holds_object (b)))
    {
      JsonObject *merged = merge_objects (merge, path, b ? json_node_get_object (b) : NULL,
                                          json_node_get_object (m), json_node_get_object (t));
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);

      json_node_take_object (node, merged);
      return node;
    }

  if (equal0 (m, b))
    return t ? json_node_copy (t) : NULL;
  if (equal0 (t, b) || equal0 (m, t))
    return m ? json_node_copy (m) : NULL;

  /* Both changed it, differently. */
  if (top && g_str_equal (key, "tags") && is_string_array (m) && is_string_array (t) &&
      (b == NULL || is_string_array (b)))
    return merge_set (b, m, t);
  if (top && g_str_equal (key, "last_contacted_at") && is_time (m) && is_time (t))
    {
      JsonNode *later = time_of (m) > time_of (t) ? m : t;

      return later ? json_node_copy (later) : NULL;
    }
  add_conflict (merge, path, b, m, t);
  return t ? json_node_copy (t) : NULL;
}

static gboolean
is_author_key (const char *key)
{
  return g_str_equal (key, "updated_at") || g_str_equal (key, "updated_by");
}

static JsonObject *
merge_objects (Merge      *merge,
               const char *prefix,
               JsonObject *base,
               JsonObject *mine,
               JsonObject *theirs)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean top = prefix == NULL;
  JsonObject *result = json_object_new ();

  add_keys (keys, seen, theirs);
  add_keys (keys, seen, mine);
  add_keys (keys, seen, base);

  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      JsonNode *t = member0 (theirs, key);
      g_autofree char *path = top ? g_strdup (key) : g_strconcat (prefix, ".", key, NULL);
      JsonNode *value;

      if (top && (key[0] == '_' || is_author_key (key)))
        {
          /* The server's own keys come from theirs; the author after. */
          if (t != NULL)
            json_object_set_member (result, key, json_node_copy (t));
          continue;
        }
      value = merge_value (merge, path, top, key, member0 (base, key), member0 (mine, key), t);
      if (!equal0 (value, t))
        merge->mine_kept = TRUE;
      if (value != NULL)
        json_object_set_member (result, key, value);
    }
  return result;
}

/**
 * lk_merge_documents:
 * @base: (nullable): the common ancestor; %NULL when there is none (the
 *   document was made on both sides, or the server was recreated)
 * @conflicts: (out) (optional) (transfer full) (element-type LkMergeConflict):
 *   the true conflicts, in document order
 *
 * Returns: (transfer full): the merged document. It equals @theirs (keys
 *   starting with "_" included) unless something of mine is kept.
 */
JsonObject *
lk_merge_documents (JsonObject  *base,
                    JsonObject  *mine,
                    JsonObject  *theirs,
                    GPtrArray  **conflicts)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_merge_conflict_free);
  Merge merge = { found, FALSE };
  JsonObject *result;

  g_return_val_if_fail (mine != NULL, NULL);
  g_return_val_if_fail (theirs != NULL, NULL);

  result = merge_objects (&merge, NULL, base, mine, theirs);

  /* Who wrote the result: whoever's changes it carries. */
  if (merge.mine_kept)
    {
      static const char * const author[] = { "updated_at", "updated_by" };

      for (guint i = 0; i < G_N_ELEMENTS (author); i++)
        {
          JsonNode *m = json_object_get_member (mine, author[i]);

          if (m != NULL)
            json_object_set_member (result, author[i], json_node_copy (m));
        }
    }

  if (conflicts != NULL)
    *conflicts = g_steal_pointer (&found);
  return result;
}

static char *
node_text (JsonNode *node)
{
  return node != NULL ? json_to_string (node, FALSE) : g_strdup ("null");
}

JsonObject *
lk_merge_for_store (JsonObject *base,
                    JsonObject *mine,
                    JsonObject *theirs,
                    GPtrArray  *conflicts,
                    gpointer    user_data)
{
  g_autoptr(GPtrArray) found = NULL;
  JsonObject *merged = lk_merge_documents (base, mine, theirs, &found);

  for (guint i = 0; conflicts != NULL && i < found->len; i++)
    {
      LkMergeConflict *c = g_ptr_array_index (found, i);
      LkSyncConflict *conflict = g_new0 (LkSyncConflict, 1);

      conflict->kind = LK_CONFLICT_FIELD;
      conflict->field = g_strdup (c->field);
      conflict->base = node_text (c->base);
      conflict->mine = node_text (c->mine);
      conflict->theirs = node_text (c->theirs);
      g_ptr_array_add (conflicts, conflict);
    }
  return merged;
}
