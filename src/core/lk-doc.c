/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-doc"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-activity.h"
#include "lk-doc.h"
#include "lk-error.h"
#include "lk-json.h"
#include "lk-lead.h"
#include "lk-stage-change.h"
#include "lk-user.h"

/* Records ⇄ version-1 documents (SYNC.md). The lead document is a public
 * format other programs write too, so parsing checks every type and names
 * the offending field, and keys this version does not know are carried in
 * the record's "extra" object and written back unchanged. */

static GType
type_for_doc_type (const char *doc_type)
{
  if (g_strcmp0 (doc_type, "lead") == 0)
    return LK_TYPE_LEAD;
  if (g_strcmp0 (doc_type, "activity") == 0)
    return LK_TYPE_ACTIVITY;
  if (g_strcmp0 (doc_type, "stagechange") == 0)
    return LK_TYPE_STAGE_CHANGE;
  if (g_strcmp0 (doc_type, "user") == 0)
    return LK_TYPE_USER;
  return G_TYPE_INVALID;
}

/* "lead:1234" → LK_TYPE_LEAD */
GType
lk_doc_type_for_id (const char *doc_id)
{
  const char *colon;
  g_autofree char *prefix = NULL;

  if (doc_id == NULL || (colon = strchr (doc_id, ':')) == NULL)
    return G_TYPE_INVALID;
  prefix = g_strndup (doc_id, colon - doc_id);
  return type_for_doc_type (prefix);
}

/* The field's member of @target, set without a JsonNode of our own: the
 * typed setters skip json_object_set_member()'s extra lookup. */
static void
set_field_member (JsonObject        *target,
                  const char        *key,
                  LkRecord          *record,
                  guint              field,
                  const LkFieldInfo *info)
{
  switch (info->kind)
    {
    case LK_FIELD_STRING:
    case LK_FIELD_REF:
      /* An empty reference is NULL, which makes a null member. */
      json_object_set_string_member (target, key, lk_record_get_string (record, field));
      break;
    case LK_FIELD_BOOL:
      json_object_set_boolean_member (target, key, lk_record_get_bool (record, field));
      break;
    case LK_FIELD_TIME:
      if (lk_record_get_int (record, field) == 0)
        json_object_set_null_member (target, key);
      else
        json_object_set_int_member (target, key, lk_record_get_int (record, field));
      break;
    case LK_FIELD_TAGS:
      {
        const char * const *tags = lk_record_get_tags (record, field);
        JsonArray *array = json_array_sized_new (g_strv_length ((char **) tags));

        for (guint i = 0; tags[i]; i++)
          json_array_add_string_element (array, tags[i]);
        json_object_set_array_member (target, key, array);
      }
      break;
    case LK_FIELD_INT:
    case LK_FIELD_MONEY:
    default:
      json_object_set_int_member (target, key, lk_record_get_int (record, field));
      break;
    }
}

/* A node to put in a second object. A sealed node without a parent (a
 * record's extra member read from a parsed document) is shared: nobody can
 * change it. Any other is copied: a parsed node points to its parent, which
 * may be freed before the object we put it in, and an unsealed one may be
 * changed by its owner. The copy is shallow (its value, object or array is
 * shared), as json_node_copy() was before. */
static JsonNode *
share_node (JsonNode *node)
{
  if (json_node_is_immutable (node) && json_node_get_parent (node) == NULL)
    return json_node_ref (node);
  return json_node_copy (node);
}

/* A shallow copy: members are shared, and never modified in place. */
static JsonObject *
object_copy (JsonObject *object)
{
  JsonObject *copy = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (object == NULL)
    return copy;
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    json_object_set_member (copy, name, share_node (node));
  return copy;
}

/* The object @parent of @doc, made ours the first time it is asked for: a
 * fresh object holding the keys the extra fields had for it, so known keys
 * can be set without touching the record's shared extra object. */
static JsonObject *
nested_object (JsonObject     *doc,
               JsonObject    **owned,
               LkRecordClass  *klass,
               int             parent)
{
  const char *name = klass->doc_parents[parent];
  JsonNode *existing;
  JsonObject *fresh;

  if (owned[parent] != NULL)
    return owned[parent];
  existing = json_object_get_member (doc, name);
  if (existing != NULL && JSON_NODE_HOLDS_OBJECT (existing))
    fresh = object_copy (json_node_get_object (existing));
  else
    fresh = json_object_new ();
  json_object_set_object_member (doc, name, fresh);
  owned[parent] = fresh;
  return fresh;
}

/**
 * lk_doc_from_record:
 *
 * Returns: (transfer full): the document, without `_rev` (the sync layer
 *   adds the revision it knows).
 */
JsonObject *
lk_doc_from_record (LkRecord *record)
{
  LkRecordClass *klass;
  JsonObject *doc;
  JsonObject **owned;

  g_return_val_if_fail (LK_IS_RECORD (record), NULL);

  klass = LK_RECORD_GET_CLASS (record);
  owned = g_newa (JsonObject *, MAX (klass->n_doc_parents, 1));
  memset (owned, 0, sizeof (JsonObject *) * MAX (klass->n_doc_parents, 1));
  doc = object_copy (lk_record_get_extra (record));
  json_object_set_string_member (doc, "_id", lk_record_get_id (record));
  json_object_set_string_member (doc, "type", klass->doc_type);
  json_object_set_int_member (doc, "schema", LK_DOC_SCHEMA);
  if (lk_record_get_deleted (record))
    json_object_set_boolean_member (doc, "_deleted", TRUE);

  for (guint i = 0; i < klass->n_fields; i++)
    {
      const LkFieldPath *path = &klass->field_paths[i];
      JsonObject *target = doc;

      if (path->parent >= 0)
        target = nested_object (doc, owned, klass, path->parent);
      set_field_member (target, path->key, record, i, &klass->fields[i]);
    }
  return doc;
}

static gboolean
field_from_node (LkRecord           *record,
                 guint               field,
                 const LkFieldInfo  *info,
                 JsonNode           *node,
                 GError            **error)
{
  JsonNodeType node_type = json_node_get_node_type (node);
  gboolean is_null = node_type == JSON_NODE_NULL;
  GType vtype = node_type == JSON_NODE_VALUE ? json_node_get_value_type (node) : G_TYPE_INVALID;

  switch (info->kind)
    {
    case LK_FIELD_STRING:
    case LK_FIELD_REF:
      if (is_null)
        lk_record_set_string (record, field, NULL);
      else if (vtype == G_TYPE_STRING)
        lk_record_set_string (record, field, json_node_get_string (node));
      else
        goto wrong_type;
      return TRUE;

    case LK_FIELD_BOOL:
      if (is_null)
        lk_record_set_bool (record, field, FALSE);
      else if (vtype == G_TYPE_BOOLEAN)
        lk_record_set_bool (record, field, json_node_get_boolean (node));
      else
        goto wrong_type;
      return TRUE;

    case LK_FIELD_TAGS:
      {
        g_autofree const char **tags = NULL;
        JsonArray *array;
        guint length;

        if (is_null)
          {
            lk_record_set_tags (record, field, NULL);
            return TRUE;
          }
        if (node_type != JSON_NODE_ARRAY)
          goto wrong_type;
        array = json_node_get_array (node);
        length = json_array_get_length (array);
        /* The array's own strings: lk_record_set_tags() copies them. */
        tags = g_new (const char *, length + 1);
        for (guint i = 0; i < length; i++)
          {
            JsonNode *element = json_array_get_element (array, i);

            if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
              goto wrong_type;
            tags[i] = json_node_get_string (element);
          }
        tags[length] = NULL;
        lk_record_set_tags (record, field, tags);
        return TRUE;
      }

    case LK_FIELD_INT:
    case LK_FIELD_MONEY:
    case LK_FIELD_TIME:
    default:
      {
        gint64 value;

        if (is_null && info->kind != LK_FIELD_MONEY)
          value = 0;
        else if (vtype == G_TYPE_INT64)
          value = json_node_get_int (node);
        else if (vtype == G_TYPE_DOUBLE && json_node_get_double (node) == (double) (gint64) json_node_get_double (node))
          value = (gint64) json_node_get_double (node);  /* 1.0 from a JavaScript writer */
        else if (is_null)
          value = 0;
        else
          goto wrong_type;
        if (value < 0 && info->kind != LK_FIELD_INT)
          {
            g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                         _("The field “%s” must not be negative"), info->name);
            return FALSE;
          }
        lk_record_set_int (record, field, value);
        return TRUE;
      }
    }

wrong_type:
  {
    static const char * const expected[] = {
      [LK_FIELD_STRING] = N_("a string"),
      [LK_FIELD_REF] = N_("a string or null"),
      [LK_FIELD_INT] = N_("an integer"),
      [LK_FIELD_MONEY] = N_("an integer amount in minor units"),
      [LK_FIELD_BOOL] = N_("true or false"),
      [LK_FIELD_TIME] = N_("a time in milliseconds or null"),
      [LK_FIELD_TAGS] = N_("a list of strings"),
    };

    g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                 _("The field “%s” must be %s"), info->name, _(expected[info->kind]));
    return FALSE;
  }
}

/* Keeps @node, an unknown member, in *@extra (made on first use) as it came. */
static void
keep_unknown (JsonObject **extra,
              const char  *name,
              JsonNode    *node)
{
  if (*extra == NULL)
    *extra = json_object_new ();
  json_object_set_member (*extra, name, share_node (node));
}

/**
 * lk_doc_to_record:
 *
 * Reads a document. A document missing optional fields is valid and gets
 * defaults; one missing `_id` or `type`, of an unknown type, or with a
 * field of the wrong type is refused with a message naming the field.
 *
 * Returns: (transfer full): an #LkLead, #LkActivity, #LkStageChange or #LkUser
 */
LkRecord *
lk_doc_to_record (JsonObject  *doc,
                  GError     **error)
{
  g_autoptr(LkRecord) record = NULL;
  g_autoptr(JsonObject) extra = NULL;
  LkRecordClass *klass;
  const char *id;
  const char *doc_type;
  gboolean deleted;
  GType type;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  JsonNode **nodes;     /* each field's member, by field */
  JsonNode **parents;   /* each parent's member ("bant"), by parent */

  g_return_val_if_fail (doc != NULL, NULL);

  id = json_object_get_string_member_with_default (doc, "_id", NULL);
  if (id == NULL || id[0] == '\0')
    {
      g_set_error_literal (error, LK_ERROR, LK_ERROR_INVALID, _("The document has no “_id”"));
      return NULL;
    }
  deleted = json_object_get_boolean_member_with_default (doc, "_deleted", FALSE);
  doc_type = json_object_get_string_member_with_default (doc, "type", NULL);
  type = doc_type ? type_for_doc_type (doc_type) : G_TYPE_INVALID;
  if (doc_type == NULL && deleted)
    type = lk_doc_type_for_id (id);  /* a bare CouchDB tombstone */
  if (type == G_TYPE_INVALID)
    {
      g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                   doc_type ? _("The document “%s” has an unknown type “%s”")
                            : _("The document “%s” has no “type”"),
                   id, doc_type);
      return NULL;
    }

  record = g_object_new (type, NULL);
  klass = LK_RECORD_GET_CLASS (record);
  lk_record_set_id (record, id);
  lk_record_set_deleted (record, deleted);

  /* One pass over the members finds each field's node and keeps everything
   * else as it came, nested unknown keys included. Keys lk-doc writes
   * itself ("_id", "_rev", "type", "schema") are no field's and not kept. */
  nodes = g_newa (JsonNode *, MAX (klass->n_fields, 1));
  memset (nodes, 0, sizeof (JsonNode *) * MAX (klass->n_fields, 1));
  parents = g_newa (JsonNode *, MAX (klass->n_doc_parents, 1));
  memset (parents, 0, sizeof (JsonNode *) * MAX (klass->n_doc_parents, 1));
  json_object_iter_init (&iter, doc);
  while (json_object_iter_next (&iter, &name, &node))
    {
      const LkDocKey *key = g_hash_table_lookup (klass->doc_keys, name);
      g_autoptr(JsonObject) unknown = NULL;
      JsonObjectIter nested_iter;
      const char *nested_name;
      JsonNode *nested_node;

      if (key == NULL)
        {
          if (name[0] != '_' && !g_str_equal (name, "type") && !g_str_equal (name, "schema"))
            keep_unknown (&extra, name, node);
          continue;
        }
      if (key->field >= 0)
        nodes[key->field] = node;
      if (key->parent >= 0)
        parents[key->parent] = node;
      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;

      json_object_iter_init (&nested_iter, json_node_get_object (node));
      while (json_object_iter_next (&nested_iter, &nested_name, &nested_node))
        {
          guint field = key->children ? GPOINTER_TO_UINT (g_hash_table_lookup (key->children, nested_name)) : 0;

          if (field > 0)
            nodes[field - 1] = nested_node;
          else
            keep_unknown (&unknown, nested_name, nested_node);
        }
      if (unknown != NULL)
        {
          if (extra == NULL)
            extra = json_object_new ();
          json_object_set_object_member (extra, name, g_steal_pointer (&unknown));
        }
    }

  /* The fields in their order, so that the first wrong one is named. */
  for (guint i = 0; i < klass->n_fields; i++)
    {
      const LkFieldPath *path = &klass->field_paths[i];

      if (path->parent >= 0)
        {
          JsonNode *parent_node = parents[path->parent];

          if (parent_node == NULL || JSON_NODE_HOLDS_NULL (parent_node))
            continue;
          if (!JSON_NODE_HOLDS_OBJECT (parent_node))
            {
              g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                           _("The field “%s” must be an object"), klass->doc_parents[path->parent]);
              g_prefix_error (error, _("Document “%s”: "), id);
              return NULL;
            }
        }
      if (nodes[i] == NULL)
        continue;
      if (!field_from_node (record, i, &klass->fields[i], nodes[i], error))
        {
          g_prefix_error (error, _("Document “%s”: "), id);
          return NULL;
        }
    }
  lk_record_set_extra (record, extra);

  return g_steal_pointer (&record);
}

char *
lk_doc_to_string (JsonObject *doc,
                  gboolean    pretty)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, doc);
  return json_to_string (node, pretty);
}

JsonObject *
lk_doc_parse (const char  *text,
              gssize       length,
              GError     **error)
{
  g_autoptr(JsonNode) root = lk_json_parse (text, length, error);

  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, LK_ERROR, LK_ERROR_INVALID, _("The document is not a JSON object"));
      return NULL;
    }
  return json_node_dup_object (root);
}

char *
lk_record_to_json_string (LkRecord *record,
                          gboolean  pretty)
{
  g_autoptr(JsonObject) doc = lk_doc_from_record (record);

  return lk_doc_to_string (doc, pretty);
}

LkRecord *
lk_record_from_json_string (const char  *text,
                            GError     **error)
{
  g_autoptr(JsonObject) doc = lk_doc_parse (text, -1, error);

  if (doc == NULL)
    return NULL;
  return lk_doc_to_record (doc, error);
}
