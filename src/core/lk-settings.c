/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-settings"

#include <glib/gi18n-lib.h>

#include "lk-error.h"
#include "lk-settings.h"

/* Strict readers for the rule settings documents. Settings sync between
 * desktops and a manager may edit them by hand on the server, so every
 * mistake is reported with the document and the member it is in, and
 * nothing is guessed. */

/* "grades.A" + "min_days" → "grades.A.min_days" */
char *
lk_settings_path (const char *path,
                  const char *key)
{
  if (path == NULL || path[0] == '\0')
    return g_strdup (key);
  if (key == NULL)
    return g_strdup (path);
  return g_strconcat (path, ".", key, NULL);
}

void
lk_settings_error (GError     **error,
                   const char  *doc_id,
                   const char  *path,
                   const char  *key,
                   const char  *format,
                   ...)
{
  g_autofree char *where = lk_settings_path (path, key);
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (where != NULL)
    /* Translators: "settings:cadence: “grades.A.min_days” must be …" */
    g_set_error (error, LK_ERROR, LK_ERROR_INVALID, _("%s: “%s” %s"), doc_id, where, message);
  else
    g_set_error (error, LK_ERROR, LK_ERROR_INVALID, "%s: %s", doc_id, message);
}

/**
 * lk_settings_parse:
 *
 * Returns: (transfer full): the document's object, its version checked
 */
JsonObject *
lk_settings_parse (const char  *doc_id,
                   const char  *text,
                   GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text, -1, &local_error))
    {
      g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                   _("%s is not valid JSON: %s"), doc_id, local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                   _("%s must be a JSON object"), doc_id);
      return NULL;
    }
  if (!lk_settings_check_version (doc_id, json_node_get_object (root), error))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

/* A document without a version is version 1; a newer one is refused
 * rather than half understood. */
gboolean
lk_settings_check_version (const char  *doc_id,
                           JsonObject  *object,
                           GError     **error)
{
  gint64 version = LK_SETTINGS_VERSION;

  if (!lk_settings_get_int (doc_id, object, NULL, "version", 1, G_MAXINT, &version, error))
    return FALSE;
  if (version > LK_SETTINGS_VERSION)
    {
      g_set_error (error, LK_ERROR, LK_ERROR_SCHEMA_TOO_NEW,
                   _("%s was written by a newer version of Leadkeeper (version %d; this version reads version %d). Update Leadkeeper to use these rules."),
                   doc_id, (int) version, LK_SETTINGS_VERSION);
      return FALSE;
    }
  return TRUE;
}

/**
 * lk_settings_extra:
 * @known: (array zero-terminated=1): the members this version reads
 *
 * Returns: (transfer full): a copy of the members of @object not in @known
 */
JsonObject *
lk_settings_extra (JsonObject         *object,
                   const char * const *known)
{
  JsonObject *extra = json_object_new ();
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    if (!g_strv_contains (known, name) && !g_str_equal (name, "version"))
      json_object_set_member (extra, name, json_node_copy (node));
  return extra;
}

/**
 * lk_settings_start:
 * @extra: (nullable): members to carry over
 *
 * Returns: (transfer full): a new document holding the version and @extra
 */
JsonObject *
lk_settings_start (JsonObject *extra)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "version", LK_SETTINGS_VERSION);
  if (extra != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *node;

      json_object_iter_init (&iter, extra);
      while (json_object_iter_next (&iter, &name, &node))
        json_object_set_member (object, name, json_node_copy (node));
    }
  return object;
}

char *
lk_settings_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

/* The member, or %NULL when absent or null. */
static JsonNode *
member (JsonObject *object,
        const char *key)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

static gboolean
is_value_of (JsonNode *node,
             GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* @node: (out): the member @key of @object, %NULL when absent or null.
 * @type is a value's type, %JSON_TYPE_OBJECT or %JSON_TYPE_ARRAY (what
 * json_node_get_value_type() says of each); a member of another type is
 * an error that says it @must_be. */
static gboolean
member_of_type (const char  *doc_id,
                JsonObject  *object,
                const char  *path,
                const char  *key,
                GType        type,
                const char  *must_be,
                JsonNode   **node,
                GError     **error)
{
  *node = member (object, key);
  if (*node == NULL || json_node_get_value_type (*node) == type)
    return TRUE;
  lk_settings_error (error, doc_id, path, key, "%s", must_be);
  return FALSE;
}

gboolean
lk_settings_get_int (const char  *doc_id,
                     JsonObject  *object,
                     const char  *path,
                     const char  *key,
                     gint64       min,
                     gint64       max,
                     gint64      *value,
                     GError     **error)
{
  JsonNode *node = member (object, key);
  g_autofree char *low = g_strdup_printf ("%" G_GINT64_FORMAT, min);
  g_autofree char *high = g_strdup_printf ("%" G_GINT64_FORMAT, max);
  gint64 number;

  if (node == NULL)
    return TRUE;
  if (is_value_of (node, G_TYPE_INT64))
    number = json_node_get_int (node);
  else if (is_value_of (node, G_TYPE_DOUBLE) &&
           json_node_get_double (node) == (double) (gint64) json_node_get_double (node))
    number = (gint64) json_node_get_double (node);  /* 3.0 */
  else
    {
      lk_settings_error (error, doc_id, path, key, _("must be a whole number from %s to %s"), low, high);
      return FALSE;
    }
  if (number < min || number > max)
    {
      g_autofree char *given = g_strdup_printf ("%" G_GINT64_FORMAT, number);

      lk_settings_error (error, doc_id, path, key, _("must be a whole number from %s to %s, not %s"),
                         low, high, given);
      return FALSE;
    }
  *value = number;
  return TRUE;
}

gboolean
lk_settings_get_bool (const char  *doc_id,
                      JsonObject  *object,
                      const char  *path,
                      const char  *key,
                      gboolean    *value,
                      GError     **error)
{
  JsonNode *node;

  if (!member_of_type (doc_id, object, path, key, G_TYPE_BOOLEAN, _("must be true or false"), &node, error))
    return FALSE;
  if (node != NULL)
    *value = json_node_get_boolean (node);
  return TRUE;
}

gboolean
lk_settings_get_string (const char  *doc_id,
                        JsonObject  *object,
                        const char  *path,
                        const char  *key,
                        char       **value,
                        GError     **error)
{
  JsonNode *node;

  if (!member_of_type (doc_id, object, path, key, G_TYPE_STRING, _("must be text"), &node, error))
    return FALSE;
  if (node != NULL)
    {
      g_free (*value);
      *value = g_strdup (json_node_get_string (node));
    }
  return TRUE;
}

/* A list of strings; a single string is taken as a list of one. */
gboolean
lk_settings_get_strv (const char  *doc_id,
                      JsonObject  *object,
                      const char  *path,
                      const char  *key,
                      GStrv       *value,
                      GError     **error)
{
  JsonNode *node = member (object, key);
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;

  if (node == NULL)
    return TRUE;
  builder = g_strv_builder_new ();
  if (is_value_of (node, G_TYPE_STRING))
    g_strv_builder_add (builder, json_node_get_string (node));
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!is_value_of (element, G_TYPE_STRING))
            {
              lk_settings_error (error, doc_id, path, key, _("must be a list of texts"));
              return FALSE;
            }
          g_strv_builder_add (builder, json_node_get_string (element));
        }
    }
  else
    {
      lk_settings_error (error, doc_id, path, key, _("must be a list of texts"));
      return FALSE;
    }
  g_strfreev (*value);
  *value = g_strv_builder_end (builder);
  return TRUE;
}

/* @value: (out) (transfer none): the object, %NULL when absent */
gboolean
lk_settings_get_object (const char  *doc_id,
                        JsonObject  *object,
                        const char  *path,
                        const char  *key,
                        JsonObject **value,
                        GError     **error)
{
  JsonNode *node;

  *value = NULL;
  if (!member_of_type (doc_id, object, path, key, JSON_TYPE_OBJECT, _("must be an object"), &node, error))
    return FALSE;
  if (node != NULL)
    *value = json_node_get_object (node);
  return TRUE;
}

/* @value: (out) (transfer none): the array, %NULL when absent */
gboolean
lk_settings_get_array (const char  *doc_id,
                       JsonObject  *object,
                       const char  *path,
                       const char  *key,
                       JsonArray  **value,
                       GError     **error)
{
  JsonNode *node;

  *value = NULL;
  if (!member_of_type (doc_id, object, path, key, JSON_TYPE_ARRAY, _("must be a list"), &node, error))
    return FALSE;
  if (node != NULL)
    *value = json_node_get_array (node);
  return TRUE;
}

JsonArray *
lk_settings_strv_to_array (const char * const *strv)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_array_add_string_element (array, strv[i]);
  return array;
}
