/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Differential libFuzzer target: lk_json_parse() against json-glib's own
 * parser on the same bytes. Built with clang only (tests/fuzz/meson.build);
 * build-aux/test runs it for a short while.
 *
 *   - lk_json_parse() accepts ⇒ json-glib accepts, and the trees are the
 *     same (types, values, member order), except an integer beyond gint64,
 *     which json-glib wraps around and lk_json_parse() reads as a double;
 *   - json-glib accepts what lk_json_parse() rejects ⇒ the text was in a
 *     form lk_json_parse() rejects on purpose (lk-json.c lists them), not
 *     a value it cannot read: json-glib's tree written out again as strict
 *     JSON (compact and spaced out) must be read back to the same tree, unless
 *     the tree holds what JSON cannot carry (an infinity, a string that is
 *     not UTF-8 from a lone surrogate) or nests deeper than the limit;
 *   - the tree lk_json_parse() gives is sealed, and what it accepts it
 *     reads back the same after json-glib writes it out. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "lk-error.h"
#include "lk-json.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

#define TWO_63 9223372036854775808.0

/* Asserts that @ours is @theirs. Returns TRUE when they differ only where
 * they may (an integer beyond gint64), which json_node_equal() does not
 * know about. */
static gboolean
assert_same (JsonNode *theirs,
             JsonNode *ours)
{
  gboolean allowed = FALSE;

  g_assert_cmpint (json_node_get_node_type (theirs), ==, json_node_get_node_type (ours));
  switch (json_node_get_node_type (theirs))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *a = json_node_get_object (theirs);
        JsonObject *b = json_node_get_object (ours);
        g_autoptr(GList) names_a = json_object_get_members (a);
        g_autoptr(GList) names_b = json_object_get_members (b);

        g_assert_cmpuint (g_list_length (names_a), ==, g_list_length (names_b));
        for (GList *la = names_a, *lb = names_b; la != NULL; la = la->next, lb = lb->next)
          {
            g_assert_cmpstr (la->data, ==, lb->data);
            allowed |= assert_same (json_object_get_member (a, la->data), json_object_get_member (b, lb->data));
          }
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *a = json_node_get_array (theirs);
        JsonArray *b = json_node_get_array (ours);

        g_assert_cmpuint (json_array_get_length (a), ==, json_array_get_length (b));
        for (guint i = 0; i < json_array_get_length (a); i++)
          allowed |= assert_same (json_array_get_element (a, i), json_array_get_element (b, i));
      }
      break;
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (theirs) == G_TYPE_INT64 && json_node_get_value_type (ours) == G_TYPE_DOUBLE)
        {
          double value = json_node_get_double (ours);

          g_assert_true (value >= TWO_63 || value <= -TWO_63);
          return TRUE;
        }
      g_assert_true (json_node_get_value_type (theirs) == json_node_get_value_type (ours));
      if (json_node_get_value_type (theirs) == G_TYPE_INT64)
        g_assert_cmpint (json_node_get_int (theirs), ==, json_node_get_int (ours));
      else if (json_node_get_value_type (theirs) == G_TYPE_DOUBLE)
        {
          g_assert_cmpfloat (json_node_get_double (theirs), ==, json_node_get_double (ours));
          g_assert_cmpint (signbit (json_node_get_double (theirs)), ==, signbit (json_node_get_double (ours)));
        }
      else if (json_node_get_value_type (theirs) == G_TYPE_BOOLEAN)
        g_assert_cmpint (json_node_get_boolean (theirs), ==, json_node_get_boolean (ours));
      else
        g_assert_cmpstr (json_node_get_string (theirs), ==, json_node_get_string (ours));
      break;
    case JSON_NODE_NULL:
      break;
    default:
      g_assert_not_reached ();
    }
  return allowed;
}

static void
assert_equal_trees (JsonNode *theirs,
                    JsonNode *ours)
{
  if (!assert_same (theirs, ours))
    g_assert_true (json_node_equal (theirs, ours));
}

/* What strict JSON cannot carry, or deeper than lk_json_parse() goes. */
static gboolean
beyond_json (JsonNode *node,
             guint     depth)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        if (depth >= LK_JSON_MAX_DEPTH)
          return TRUE;
        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          if (!g_utf8_validate (name, -1, NULL) || beyond_json (member, depth + 1))
            return TRUE;
        return FALSE;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        if (depth >= LK_JSON_MAX_DEPTH)
          return TRUE;
        for (guint i = 0; i < json_array_get_length (array); i++)
          if (beyond_json (json_array_get_element (array, i), depth + 1))
            return TRUE;
        return FALSE;
      }
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        return !isfinite (json_node_get_double (node));
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return !g_utf8_validate (json_node_get_string (node), -1, NULL);
      return FALSE;
    default:
      return FALSE;
    }
}

/* @node as strict JSON. Not json_to_string(): json-glib 1.6 writes 1e+19
 * as "1e+19.0". With @pretty, white space between every token. */
static void
write_strict (GString  *out,
              JsonNode *node,
              gboolean  pretty)
{
  const char *space = pretty ? "\n\t " : "";

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) names = json_object_get_members (object);

        /* In order: a JsonObjectIter goes in the hash table's order. */
        g_string_append_printf (out, "{%s", space);
        for (GList *l = names; l != NULL; l = l->next)
          {
            g_autoptr(JsonNode) key = json_node_init_string (json_node_alloc (), l->data);

            if (l != names)
              g_string_append_printf (out, ",%s", space);
            write_strict (out, key, pretty);
            g_string_append_printf (out, "%s:%s", space, space);
            write_strict (out, json_object_get_member (object, l->data), pretty);
            g_string_append (out, space);
          }
        g_string_append_c (out, '}');
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_printf (out, "[%s", space);
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append_printf (out, ",%s", space);
            write_strict (out, json_array_get_element (array, i), pretty);
            g_string_append (out, space);
          }
        g_string_append_c (out, ']');
      }
      break;
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_INT64)
        g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        {
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];

          g_ascii_formatd (buffer, sizeof buffer, "%.17g", json_node_get_double (node));
          /* A double that looks like an integer must stay a double. */
          g_string_append_printf (out, "%s%s", buffer, strpbrk (buffer, ".e") == NULL ? ".0" : "");
        }
      else if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      else
        {
          g_string_append_c (out, '"');
          for (const guchar *p = (const guchar *) json_node_get_string (node); *p != '\0'; p++)
            {
              if (*p == '"' || *p == '\\')
                g_string_append_printf (out, "\\%c", *p);
              else if (*p < 0x20)
                g_string_append_printf (out, "\\u%04x", *p);
              else
                g_string_append_c (out, (char) *p);
            }
          g_string_append_c (out, '"');
        }
      break;
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    default:
      g_assert_not_reached ();
    }
}

/* @tree written out as strict JSON and read back by lk_json_parse(). */
static void
assert_reads_back (JsonNode *tree)
{
  for (guint pretty = 0; pretty < 2; pretty++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) again = NULL;

      write_strict (text, tree, pretty);
      again = lk_json_parse (text->str, (gssize) text->len, &error);
      g_assert_no_error (error);
      assert_equal_trees (tree, again);
    }
}

static gboolean
collect_element (JsonNode  *element,
                 gpointer   user_data,
                 GError   **error)
{
  g_assert_true (json_node_is_immutable (element));
  g_ptr_array_add (user_data, element);
  return TRUE;
}

/* lk_json_parse_streamed() on "results": it reads what lk_json_parse()
 * reads (except the member named twice, which it refuses), hands over
 * the elements of the root's "results" array in order, and leaves that
 * array empty. */
static void
assert_streams (const uint8_t *data,
                size_t         size,
                JsonNode      *whole)
{
  g_autoptr(GPtrArray) elements = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonNode *results;

  root = lk_json_parse_streamed ((const char *) data, (gssize) size, "results", collect_element, elements, &error);
  g_assert_true ((root == NULL) == (error != NULL));
  if (whole == NULL)
    {
      g_assert_null (root);
      return;
    }
  if (root == NULL)
    {
      /* Only "results" named twice (the last one wins in the tree) */
      g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "“results” is repeated"));
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (whole))
    {
      g_assert_cmpuint (elements->len, ==, 0);
      assert_equal_trees (whole, root);
      return;
    }
  results = json_object_get_member (json_node_get_object (whole), "results");
  if (results == NULL || !JSON_NODE_HOLDS_ARRAY (results))
    {
      g_assert_cmpuint (elements->len, ==, 0);
      assert_equal_trees (whole, root);
      return;
    }
  g_assert_cmpuint (elements->len, ==, json_array_get_length (json_node_get_array (results)));
  for (guint i = 0; i < elements->len; i++)
    assert_equal_trees (json_array_get_element (json_node_get_array (results), i), g_ptr_array_index (elements, i));
  results = json_object_get_member (json_node_get_object (root), "results");
  g_assert_nonnull (results);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (results));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (results)), ==, 0);
  g_assert_cmpuint (json_object_get_size (json_node_get_object (root)), ==,
                    json_object_get_size (json_node_get_object (whole)));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) ours = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *theirs = NULL;
  gsize openers = 0;

  ours = lk_json_parse ((const char *) data, (gssize) size, &error);
  g_assert_true ((ours == NULL) == (error != NULL));
  if (ours == NULL)
    g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  else
    g_assert_true (json_node_is_immutable (ours));
  assert_streams (data, size, ours);

  /* json-glib recurses without a limit: text it could nest deeper than
   * lk_json_parse() allows would overflow the stack. Text lk_json_parse()
   * accepted is JSON, nested no deeper than the limit for json-glib too. */
  for (gsize i = 0; i < size; i++)
    openers += data[i] == '[' || data[i] == '{';
  if (ours == NULL && openers > LK_JSON_MAX_DEPTH)
    return 0;

  parser = json_parser_new_immutable ();
  if (size > 0 && json_parser_load_from_data (parser, (const char *) data, (gssize) size, NULL))
    theirs = json_parser_get_root (parser);

  if (ours != NULL)
    {
      g_assert_nonnull (theirs);
      assert_equal_trees (theirs, ours);
      assert_reads_back (ours);
    }
  else if (theirs != NULL && !beyond_json (theirs, 0))
    assert_reads_back (theirs);
  return 0;
}
