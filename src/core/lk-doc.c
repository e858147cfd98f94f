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

static void
split_name (const char  *name,
            char       **parent,
            const char **key)
{
  const char *dot = strchr (name, '.');

  *parent = dot ? g_strndup (name, dot - name) : NULL;
  *key = dot ? dot + 1 : name;
}

static JsonNode *
node_for_field (LkRecord          *record,
                guint              field,
                const LkFieldInfo *info)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  switch (info->kind)
    {
    case LK_FIELD_STRING:
      json_node_set_string (node, lk_record_get_string (record, field));
      break;
    case LK_FIELD_REF:
      if (lk_record_get_string (record, field) == NULL)
        json_node_init_null (node);
      else
        json_node_set_string (node, lk_record_get_string (record, field));
      break;
    case LK_FIELD_BOOL:
      json_node_set_boolean (node, lk_record_get_bool (record, field));
      break;
    case LK_FIELD_TIME:
      if (lk_record_get_int (record, field) == 0)
        json_node_init_null (node);
      else
        json_node_set_int (node, lk_record_get_int (record, field));
      break;
    case LK_FIELD_TAGS:
      {
        const char * const *tags = lk_record_get_tags (record, field);
        JsonArray *array = json_array_new ();

        for (guint i = 0; tags[i]; i++)
          json_array_add_string_element (array, tags[i]);
        json_node_init_array (node, array);
        json_array_unref (array);
      }
      break;
    case LK_FIELD_INT:
    case LK_FIELD_MONEY:
    default:
      json_node_set_int (node, lk_record_get_int (record, field));
      break;
    }
  return node;
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
    json_object_set_member (copy, name, json_node_copy (node));
  return copy;
}

/* The object @name of @doc, made ours the first time it is asked for: a
 * fresh object holding the keys the extra fields had for it, so known keys
 * can be set without touching the record's shared extra object. */
static JsonObject *
nested_object (JsonObject *doc,
               GHashTable *owned,
               const char *name)
{
  JsonObject *fresh = g_hash_table_lookup (owned, name);
  JsonNode *existing;

  if (fresh != NULL)
    return fresh;
  existing = json_object_get_member (doc, name);
  if (existing != NULL && JSON_NODE_HOLDS_OBJECT (existing))
    fresh = object_copy (json_node_get_object (existing));
  else
    fresh = json_object_new ();
  json_object_set_object_member (doc, name, fresh);
  g_hash_table_insert (owned, g_strdup (name), fresh);
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
  g_autoptr(GHashTable) owned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_return_val_if_fail (LK_IS_RECORD (record), NULL);

  klass = LK_RECORD_GET_CLASS (record);
  doc = object_copy (lk_record_get_extra (record));
  json_object_set_string_member (doc, "_id", lk_record_get_id (record));
  json_object_set_string_member (doc, "type", klass->doc_type);
  json_object_set_int_member (doc, "schema", LK_DOC_SCHEMA);
  if (lk_record_get_deleted (record))
    json_object_set_boolean_member (doc, "_deleted", TRUE);

  for (guint i = 0; i < klass->n_fields; i++)
    {
      const LkFieldInfo *info = &klass->fields[i];
      g_autofree char *parent = NULL;
      const char *key;
      JsonObject *target = doc;

      split_name (info->name, &parent, &key);
      if (parent != NULL)
        target = nested_object (doc, owned, parent);
      json_object_set_member (target, key, node_for_field (record, i, info));
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
  gboolean is_null = JSON_NODE_HOLDS_NULL (node);
  GType vtype = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

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
        g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
        g_auto(GStrv) tags = NULL;
        JsonArray *array;

        if (is_null)
          {
            lk_record_set_tags (record, field, NULL);
            return TRUE;
          }
        if (!JSON_NODE_HOLDS_ARRAY (node))
          goto wrong_type;
        array = json_node_get_array (node);
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            JsonNode *element = json_array_get_element (array, i);

            if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
              goto wrong_type;
            g_strv_builder_add (builder, json_node_get_string (element));
          }
        tags = g_strv_builder_end (builder);
        lk_record_set_tags (record, field, (const char * const *) tags);
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

static gboolean
is_known_key (LkRecordClass *klass,
              const char    *key)
{
  for (guint i = 0; i < klass->n_fields; i++)
    {
      const char *name = klass->fields[i].name;
      gsize len = strlen (key);

      if (g_str_equal (name, key) || (strncmp (name, key, len) == 0 && name[len] == '.'))
        return TRUE;
    }
  return FALSE;
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
  g_autoptr(JsonObject) extra = json_object_new ();
  LkRecordClass *klass;
  const char *id;
  const char *doc_type;
  gboolean deleted;
  GType type;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

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

  for (guint i = 0; i < klass->n_fields; i++)
    {
      const LkFieldInfo *info = &klass->fields[i];
      g_autofree char *parent = NULL;
      const char *key;
      JsonObject *source = doc;

      split_name (info->name, &parent, &key);
      if (parent != NULL)
        {
          JsonNode *parent_node = json_object_get_member (doc, parent);

          if (parent_node == NULL || JSON_NODE_HOLDS_NULL (parent_node))
            continue;
          if (!JSON_NODE_HOLDS_OBJECT (parent_node))
            {
              g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                           _("The field “%s” must be an object"), parent);
              g_prefix_error (error, _("Document “%s”: "), id);
              return NULL;
            }
          source = json_node_get_object (parent_node);
        }
      node = json_object_get_member (source, key);
      if (node == NULL)
        continue;
      if (!field_from_node (record, i, info, node, error))
        {
          g_prefix_error (error, _("Document “%s”: "), id);
          return NULL;
        }
    }

  /* Everything else is kept as it came, nested unknown keys included. */
  json_object_iter_init (&iter, doc);
  while (json_object_iter_next (&iter, &name, &node))
    {
      if (name[0] == '_' || g_str_equal (name, "type") || g_str_equal (name, "schema"))
        continue;
      if (!is_known_key (klass, name))
        json_object_set_member (extra, name, json_node_copy (node));
      else if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *nested = json_node_get_object (node);
          g_autoptr(JsonObject) unknown = json_object_new ();
          JsonObjectIter nested_iter;
          const char *nested_name;
          JsonNode *nested_node;

          json_object_iter_init (&nested_iter, nested);
          while (json_object_iter_next (&nested_iter, &nested_name, &nested_node))
            {
              g_autofree char *flat = g_strconcat (name, ".", nested_name, NULL);

              if (!is_known_key (klass, flat))
                json_object_set_member (unknown, nested_name, json_node_copy (nested_node));
            }
          if (json_object_get_size (unknown) > 0)
            json_object_set_object_member (extra, name, g_steal_pointer (&unknown));
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
