/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-json"

#include <math.h>
#include <string.h>

#include "lk-doc.h"
#include "lk-error.h"
#include "lk-json.h"

/* lk_json_parse() against json-glib's own parser: the same trees, node by
 * node, for every kind of document; the refusals with their messages;
 * a _changes page as the sync pull reads it; big inputs; and the inputs
 * fuzz-json found (tests/fuzz/fuzz-json.c). */

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "core", "data", name, NULL);
}

/* Same node types, value types, values and member order; then
 * json_node_equal() too. */
static void
assert_same_node (JsonNode *expected,
                  JsonNode *actual)
{
  g_assert_cmpint (json_node_get_node_type (expected), ==, json_node_get_node_type (actual));
  switch (json_node_get_node_type (expected))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *a = json_node_get_object (expected);
        JsonObject *b = json_node_get_object (actual);
        g_autoptr(GList) names_a = json_object_get_members (a);
        g_autoptr(GList) names_b = json_object_get_members (b);

        g_assert_cmpuint (g_list_length (names_a), ==, g_list_length (names_b));
        for (GList *la = names_a, *lb = names_b; la != NULL; la = la->next, lb = lb->next)
          {
            g_assert_cmpstr (la->data, ==, lb->data);
            assert_same_node (json_object_get_member (a, la->data), json_object_get_member (b, lb->data));
          }
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *a = json_node_get_array (expected);
        JsonArray *b = json_node_get_array (actual);

        g_assert_cmpuint (json_array_get_length (a), ==, json_array_get_length (b));
        for (guint i = 0; i < json_array_get_length (a); i++)
          assert_same_node (json_array_get_element (a, i), json_array_get_element (b, i));
      }
      break;
    case JSON_NODE_VALUE:
      g_assert_cmpstr (g_type_name (json_node_get_value_type (expected)), ==,
                       g_type_name (json_node_get_value_type (actual)));
      switch (json_node_get_value_type (expected))
        {
        case G_TYPE_INT64:
          g_assert_cmpint (json_node_get_int (expected), ==, json_node_get_int (actual));
          break;
        case G_TYPE_DOUBLE:
          g_assert_cmpfloat (json_node_get_double (expected), ==, json_node_get_double (actual));
          g_assert_cmpint (signbit (json_node_get_double (expected)), ==, signbit (json_node_get_double (actual)));
          break;
        case G_TYPE_BOOLEAN:
          g_assert_cmpint (json_node_get_boolean (expected), ==, json_node_get_boolean (actual));
          break;
        case G_TYPE_STRING:
          g_assert_cmpstr (json_node_get_string (expected), ==, json_node_get_string (actual));
          break;
        default:
          g_assert_not_reached ();
        }
      break;
    case JSON_NODE_NULL:
      break;
    default:
      g_assert_not_reached ();
    }
  g_assert_true (json_node_equal (expected, actual));
}

static JsonNode *
parse_json_glib (const char *text,
                 gssize      length)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, length, &error);
  g_assert_no_error (error);
  g_assert_nonnull (json_parser_get_root (parser));
  return json_node_ref (json_parser_get_root (parser));
}

/* Both parsers read @text; their trees must be the same. Returns ours. */
static JsonNode *
assert_parses_like_json_glib (const char *text,
                              gssize      length)
{
  g_autoptr(JsonNode) theirs = parse_json_glib (text, length);
  g_autoptr(GError) error = NULL;
  JsonNode *ours = lk_json_parse (text, length, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ours);
  g_assert_true (json_node_is_immutable (ours));
  assert_same_node (theirs, ours);
  return ours;
}

static void
test_same_trees (void)
{
  static const char * const documents[] = {
    "0", "-0", "1", "-1", "42", "9223372036854775807", "-9223372036854775808", "123456789012345678",
    "0.0", "-0.0", "0.5", "-1.25", "1e5", "1E5", "1e+5", "1e-5", "2.5E-3", "1.7976931348623157e308",
    "4.9e-324", "1e-400", "0.1", "3.141592653589793238462643383279", "123456789012345678901234567890.5",
    "true", "false", "null",
    "\"\"", "\"plain\"", "\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"", "\"\\u00e9\\u4E2D\\uffff\"",
    "\"\\ud83d\\ude00 😀\"", "\"中文 汉字\"", "\"\x7f\"",
    "[]", "{}", "[[]]", "[{}]", "{\"a\":{}}", "[1,2,3]", "[ 1 , 2 , 3 ]",
    " \t\r\n{ \"a\" : 1 , \"b\" : [ true , false , null ] } \n",
    "{\"a\":1,\"b\":2,\"a\":3}",                                 /* the last one wins, at the first place */
    "{\"z\":1,\"y\":2,\"x\":3,\"w\":4}",                        /* order kept */
    "{\"\":0,\"\\u0041\":\"A\",\"a\\nb\":true}",
    "[\"abcdefghijklmnopqrstuvwxyz0123456789\\\"quoted\\\"abcdefghijklmnop\\u00e9xyz\"]",
    "{\"_id\":\"lead:1\",\"tags\":[\"VIP\",\"重点客户\"],\"bant\":{\"budget\":true},\"amount\":1.5e6,\"owner\":null}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
    {
      g_autofree char *shown = g_strescape (documents[i], NULL);
      g_autoptr(JsonNode) ours = NULL;

      g_test_message ("%s", shown);
      ours = assert_parses_like_json_glib (documents[i], -1);
    }
}

static void
test_value_types (void)
{
  g_autoptr(JsonNode) zero = lk_json_parse ("-0", -1, NULL);
  g_autoptr(JsonNode) negative_zero = lk_json_parse ("-0.0", -1, NULL);
  g_autoptr(JsonNode) big = lk_json_parse ("9223372036854775808", -1, NULL);
  g_autoptr(JsonNode) small = lk_json_parse ("-9223372036854775809", -1, NULL);
  g_autoptr(JsonNode) huge = lk_json_parse ("123456789012345678901234567890", -1, NULL);
  g_autoptr(JsonNode) tiny = lk_json_parse ("1e-400", -1, NULL);
  g_autoptr(JsonNode) exponent = lk_json_parse ("1e2", -1, NULL);
  g_autoptr(JsonNode) object = lk_json_parse ("{\"a\":1,\"b\":2,\"a\":3}", -1, NULL);
  g_autoptr(GList) names = NULL;

  /* json-glib: "-0" is the integer 0. */
  g_assert_true (json_node_get_value_type (zero) == G_TYPE_INT64);
  g_assert_cmpint (json_node_get_int (zero), ==, 0);
  g_assert_true (json_node_get_value_type (negative_zero) == G_TYPE_DOUBLE);
  g_assert_true (signbit (json_node_get_double (negative_zero)));
  /* Beyond gint64 json-glib wraps around (-9223372036854775808, 9223372036854775807,
   * -1); here it is the nearest double. */
  g_assert_true (json_node_get_value_type (big) == G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (big), ==, 9223372036854775808.0);
  g_assert_true (json_node_get_value_type (small) == G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (small), ==, -9223372036854775808.0);
  g_assert_cmpfloat (json_node_get_double (huge), ==, 1.2345678901234568e29);
  g_assert_true (json_node_get_value_type (tiny) == G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (tiny), ==, 0.0);
  g_assert_true (json_node_get_value_type (exponent) == G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (exponent), ==, 100.0);

  names = json_object_get_members (json_node_get_object (object));
  g_assert_cmpuint (g_list_length (names), ==, 2);
  g_assert_cmpstr (names->data, ==, "a");
  g_assert_cmpstr (names->next->data, ==, "b");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (object), "a"), ==, 3);
  g_assert_true (json_node_is_immutable (object));
  g_assert_true (json_object_is_immutable (json_node_get_object (object)));
}

static void
test_rejections (void)
{
  static const struct
  {
    const char *text;
    const char *message;
  } cases[] = {
    /* what json-glib rejects too */
    { "[1,]", "Invalid JSON at byte 3: expected a value, found “]”" },
    { "{\"a\":1,}", "Invalid JSON at byte 7: expected a member name in double quotes, found “}”" },
    { "[1 2]", "Invalid JSON at byte 3: expected “,” or “]” in an array, found “2”" },
    { "{\"a\" 1}", "Invalid JSON at byte 5: expected “:” after a member name, found “1”" },
    { "{\"a\":1 \"b\":2}", "Invalid JSON at byte 7: expected “,” or “}” in an object, found “\"”" },
    { "{a:1}", "Invalid JSON at byte 1: expected a member name in double quotes, found “a”" },
    { "[1", "Invalid JSON at byte 2: expected “,” or “]” in an array, found the end of the text" },
    { "{\"a\":", "Invalid JSON at byte 5: the text ends where a value should be" },
    { "\"abc", "Invalid JSON at byte 4: the text ends inside a string" },
    { "\"abc\\", "Invalid JSON at byte 5: the text ends inside a string" },
    { "+1", "Invalid JSON at byte 0: expected a value, found “+”" },
    { "-", "Invalid JSON at byte 1: a number needs a digit here, found the end of the text" },
    { "1e", "Invalid JSON at byte 2: a number needs a digit in its exponent, found the end of the text" },
    { "1.0e+", "Invalid JSON at byte 5: a number needs a digit in its exponent, found the end of the text" },
    { "TRUE", "Invalid JSON at byte 0: expected a value, found “T”" },
    { "nul", "Invalid JSON at byte 0: unknown word: a value is a string, a number, an object, an array, "
             "true, false or null" },
    { "[1]]", "Invalid JSON at byte 3: unexpected “]” after the end of the JSON value" },
    { "\"\xff\"", "Invalid JSON at byte 1: a string is not valid UTF-8" },
    { "\"ab\xc3\"", "Invalid JSON at byte 3: a string is not valid UTF-8" },
    { "\"\xed\xa0\x80\"", "Invalid JSON at byte 1: a string is not valid UTF-8" },    /* an encoded surrogate */
    { "\xc3\xa9", "Invalid JSON at byte 0: expected a value, found byte 0xC3" },
    { "\"\\udc00\\ud800\"", "Invalid JSON at byte 1: the UTF-16 surrogate “\\uDC00” is not preceded by its pair" },
    { "\"\\ud800\\ud800\"", "Invalid JSON at byte 1: the UTF-16 surrogate “\\uD800” is not followed by its pair" },
    { "\"\\u12\"", "Invalid JSON at byte 1: “\\u” must be followed by four hexadecimal digits" },
    { "\f1", "Invalid JSON at byte 0: expected a value, found byte 0x0C" },
    /* what json-glib accepts (lk-json.c says why not) */
    { "", "Invalid JSON at byte 0: the text is empty" },
    { " \n\t ", "Invalid JSON at byte 0: the text is empty" },
    { "01", "Invalid JSON at byte 0: numbers cannot have leading zeros" },
    { "-01", "Invalid JSON at byte 0: numbers cannot have leading zeros" },
    { "0x10", "Invalid JSON at byte 1: unexpected “x” after the end of the JSON value" },
    { "1.", "Invalid JSON at byte 2: a number needs a digit after its decimal point, found the end of the text" },
    { ".5", "Invalid JSON at byte 0: expected a value, found “.”" },
    { "- 1", "Invalid JSON at byte 1: a number needs a digit here, found byte 0x20" },
    { "1E400", "Invalid JSON at byte 0: the number is too large" },
    { "[0, -1e400]", "Invalid JSON at byte 4: the number is too large" },
    { "'a'", "Invalid JSON at byte 0: expected a value, found “'”" },
    { "\"\\x\"", "Invalid JSON at byte 1: unknown escape: “x” after “\\” in a string" },
    { "\"\\u00zz\"", "Invalid JSON at byte 1: “\\u” must be followed by four hexadecimal digits" },
    { "\"\\u0000\"", "Invalid JSON at byte 1: “\\u0000” (the NUL character) cannot be stored in a string" },
    { "\"\\ud800x\"", "Invalid JSON at byte 1: the UTF-16 surrogate “\\uD800” is not followed by its pair" },
    { "\"\\ud800\"", "Invalid JSON at byte 1: the UTF-16 surrogate “\\uD800” is not followed by its pair" },
    { "\"\\udc00\"", "Invalid JSON at byte 1: the UTF-16 surrogate “\\uDC00” is not preceded by its pair" },
    { "\"tab\tx\"", "Invalid JSON at byte 4: control character 0x09 in a string (it must be written as an escape)" },
    { "\"a\nb\"", "Invalid JSON at byte 2: control character 0x0A in a string (it must be written as an escape)" },
    { "{\"a\tb\":1}", "Invalid JSON at byte 3: control character 0x09 in a string (it must be written as an escape)" },
    { "/* c */ 1", "Invalid JSON at byte 0: expected a value, found “/”" },
    { "var x = {\"a\":1};", "Invalid JSON at byte 0: expected a value, found “v”" },
    { "[1] [2]", "Invalid JSON at byte 4: unexpected “[” after the end of the JSON value" },
    /* found by fuzz-json: json-glib keeps a lone low surrogate in a member name */
    { "{\"deleted\\uDDde\":true}", "Invalid JSON at byte 9: the UTF-16 surrogate “\\uDDDE” is not preceded by its pair" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = g_strescape (cases[i].text, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;

      g_test_message ("%s", shown);
      node = lk_json_parse (cases[i].text, -1, &error);
      g_assert_null (node);
      g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      /* Without a GError the answer is the same. */
      g_assert_null (lk_json_parse (cases[i].text, -1, NULL));
    }
}

/* With a length the text ends there: no NUL needed, none read beyond. */
static void
test_length (void)
{
  static const char text[] = "{\"a\":[1,2]}";
  g_autofree char *exact = g_memdup2 (text, sizeof text - 1);
  g_autoptr(JsonNode) node = lk_json_parse (exact, sizeof text - 1, NULL);
  g_autoptr(JsonNode) cut = NULL;
  g_autoptr(JsonNode) with_nul = NULL;
  g_autoptr(JsonNode) none = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (node);
  g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (json_node_get_object (node), "a"), 1), ==, 2);

  /* Every shorter prefix is cut off somewhere. */
  for (gsize n = 0; n < sizeof text - 1; n++)
    {
      g_autofree char *prefix = g_memdup2 (text, n);

      cut = lk_json_parse (prefix, (gssize) n, NULL);
      g_assert_null (cut);
    }
  /* A prefix that is a value by itself. */
  cut = lk_json_parse ("123456", 3, NULL);
  g_assert_cmpint (json_node_get_int (cut), ==, 123);

  with_nul = lk_json_parse ("[1]\0", 4, &error);
  g_assert_null (with_nul);
  g_assert_cmpstr (error->message, ==, "Invalid JSON at byte 3: unexpected byte 0x00 after the end of the JSON value");
  g_clear_error (&error);
  with_nul = lk_json_parse ("\"a\0b\"", 5, &error);
  g_assert_null (with_nul);
  g_assert_cmpstr (error->message, ==,
                   "Invalid JSON at byte 2: control character 0x00 in a string (it must be written as an escape)");
  g_clear_error (&error);

  none = lk_json_parse (NULL, 0, &error);
  g_assert_null (none);
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
}

static char *
nested (guint depth)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (text, i % 2 ? "{\"k\":" : "[");
  g_string_append (text, "0");
  for (guint i = depth; i > 0; i--)
    g_string_append (text, (i - 1) % 2 ? "}" : "]");
  return g_string_free (text, FALSE);
}

static void
test_depth (void)
{
  g_autofree char *deepest = nested (LK_JSON_MAX_DEPTH);
  g_autofree char *too_deep = nested (LK_JSON_MAX_DEPTH + 1);
  g_autofree char *much_too_deep = g_strnfill (100000, '[');
  g_autoptr(JsonNode) node = assert_parses_like_json_glib (deepest, -1);
  g_autoptr(GError) error = NULL;
  JsonNode *inner = node;

  for (guint i = 1; i < LK_JSON_MAX_DEPTH; i++)
    inner = JSON_NODE_HOLDS_ARRAY (inner) ? json_array_get_element (json_node_get_array (inner), 0)
                                          : json_object_get_member (json_node_get_object (inner), "k");
  g_assert_true (JSON_NODE_HOLDS_OBJECT (inner) || JSON_NODE_HOLDS_ARRAY (inner));

  /* The 513th opener: 256 "[" and 256 "{\"k\":" after the start. */
  g_assert_null (lk_json_parse (too_deep, -1, &error));
  g_assert_cmpstr (error->message, ==, "Invalid JSON at byte 1536: arrays and objects are nested deeper than 512 levels");
  g_clear_error (&error);
  g_assert_null (lk_json_parse (much_too_deep, -1, &error));
  g_assert_cmpstr (error->message, ==, "Invalid JSON at byte 512: arrays and objects are nested deeper than 512 levels");
}

/* The fixtures fuzz-json starts from, read like json-glib reads them. */
static void
test_fixtures (void)
{
  static const char * const names[] = { "json-changes-page.json", "json-numbers.json", "json-strings.json" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = fixture (names[i]);
      g_autofree char *text = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;
      gsize length;

      g_file_get_contents (path, &text, &length, &error);
      g_assert_no_error (error);
      node = assert_parses_like_json_glib (text, (gssize) length);
    }
}

/* A _changes?include_docs=true page as the pull reads it. */
static void
test_changes_page (void)
{
  g_autofree char *path = fixture ("json-changes-page.json");
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *results;
  JsonObject *doc;
  JsonObject *extra;
  gsize length;

  g_assert_true (g_file_get_contents (path, &text, &length, NULL));
  root = lk_json_parse (text, (gssize) length, NULL);
  g_assert_nonnull (root);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "last_seq"), ==, 3);
  results = json_object_get_array_member (json_node_get_object (root), "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 3);

  doc = json_object_get_object_member (json_array_get_object_element (results, 0), "doc");
  g_assert_cmpuint (json_object_get_size (doc), ==, 42);
  g_assert_cmpstr (json_object_get_string_member (doc, "company"), ==, "上海华信科技有限公司");
  g_assert_cmpint (json_object_get_int_member (doc, "budget"), ==, 120000000);
  g_assert_cmpint (json_object_get_int_member (doc, "created_at"), ==, 1717113600000);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (doc, "bant"), "budget"));

  doc = json_object_get_object_member (json_array_get_object_element (results, 1), "doc");
  g_assert_cmpstr (json_object_get_string_member (doc, "industry"), ==, "物流运输");
  g_assert_cmpstr (json_object_get_string_member (doc, "needs"), ==,
                   "Looking for a \"CRM\" integration with SAP\\R3\n(phase 2)\t— see /docs");
  g_assert_cmpstr (json_object_get_string_member (doc, "notes"), ==, "Emoji 😀 and 😀 alike");
  g_assert_true (json_object_get_null_member (doc, "owner"));
  g_assert_cmpfloat (json_object_get_double_member (doc, "amount"), ==, 4250000.5);
  extra = json_object_get_object_member (doc, "extra");
  g_assert_cmpfloat (json_object_get_double_member (extra, "rate"), ==, -1.5e-3);
  g_assert_cmpfloat (json_object_get_double_member (extra, "big"), ==, 1e21);
  g_assert_cmpint (json_object_get_int_member (extra, "zero"), ==, 0);

  doc = json_object_get_object_member (json_array_get_object_element (results, 2), "doc");
  g_assert_true (json_object_get_boolean_member (doc, "_deleted"));
}

static gboolean
collect_element (JsonNode  *element,
                 gpointer   user_data,
                 GError   **error)
{
  /* Sealed, values too (fuzz-json found a value that was not) */
  g_assert_true (json_node_is_immutable (element));
  g_ptr_array_add (user_data, element);
  return TRUE;
}

static gboolean
refuse_second (JsonNode  *element,
               gpointer   user_data,
               GError   **error)
{
  GPtrArray *seen = user_data;

  g_ptr_array_add (seen, element);
  if (seen->len == 2)
    {
      g_set_error_literal (error, LK_ERROR, LK_ERROR_CANCELLED, "stop here");
      return FALSE;
    }
  return TRUE;
}

/* lk_json_parse_streamed(): the same elements, in order, as the whole
 * tree has; the rest of the root as it is, with an empty array; the
 * function's error stops the reading; malformed text after elements
 * were handed over still fails; the member repeated fails. */
static void
test_streamed (void)
{
  g_autofree char *path = fixture ("json-changes-page.json");
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) whole = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) elements = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GError) error = NULL;
  JsonArray *results;
  gsize length;

  g_assert_true (g_file_get_contents (path, &text, &length, NULL));
  whole = lk_json_parse (text, (gssize) length, NULL);
  root = lk_json_parse_streamed (text, (gssize) length, "results", collect_element, elements, &error);
  g_assert_no_error (error);
  g_assert_nonnull (root);
  g_assert_true (json_node_is_immutable (root));
  results = json_object_get_array_member (json_node_get_object (whole), "results");
  g_assert_cmpuint (elements->len, ==, json_array_get_length (results));
  g_assert_cmpuint (elements->len, ==, 3);
  for (guint i = 0; i < elements->len; i++)
    {
      g_assert_true (json_node_is_immutable (g_ptr_array_index (elements, i)));
      assert_same_node (json_array_get_element (results, i), g_ptr_array_index (elements, i));
    }
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (root), "results")), ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "last_seq"), ==, 3);
  g_assert_cmpuint (json_object_get_size (json_node_get_object (root)), ==,
                    json_object_get_size (json_node_get_object (whole)));
  g_clear_pointer (&root, json_node_unref);

  /* Only the root's member streams: a nested "results" stays in the tree. */
  g_ptr_array_set_size (elements, 0);
  root = lk_json_parse_streamed ("{\"a\": {\"results\": [1, 2]}, \"results\": [[3], {\"b\": 4}], \"n\": 1}", -1,
                                 "results", collect_element, elements, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (elements->len, ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_object_get_object_member (json_node_get_object (root), "a"), "results")), ==, 2);
  g_clear_pointer (&root, json_node_unref);

  /* Not an array: kept in the tree as it is. */
  g_ptr_array_set_size (elements, 0);
  root = lk_json_parse_streamed ("{\"results\": 7}", -1, "results", collect_element, elements, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (elements->len, ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "results"), ==, 7);
  g_clear_pointer (&root, json_node_unref);

  /* The function stops it. */
  g_ptr_array_set_size (elements, 0);
  root = lk_json_parse_streamed ("{\"results\": [1, 2, 3]}", -1, "results", refuse_second, elements, &error);
  g_assert_error (error, LK_ERROR, LK_ERROR_CANCELLED);
  g_assert_null (root);
  g_assert_cmpuint (elements->len, ==, 2);
  g_clear_error (&error);

  /* Malformed after two good elements: they were handed over, the
   * parse fails all the same. */
  g_ptr_array_set_size (elements, 0);
  root = lk_json_parse_streamed ("{\"results\": [1, 2, }", -1, "results", collect_element, elements, &error);
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_assert_null (root);
  g_assert_cmpuint (elements->len, ==, 2);
  g_clear_error (&error);
  root = lk_json_parse_streamed ("{\"results\": [1], \"last_seq\": 3", -1, "results", collect_element, elements,
                                 &error);
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_assert_null (root);
  g_clear_error (&error);

  /* Repeated */
  g_ptr_array_set_size (elements, 0);
  root = lk_json_parse_streamed ("{\"results\": [1], \"results\": [2]}", -1, "results", collect_element, elements,
                                 &error);
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "results"));
  g_assert_null (root);
}

/* Thousands of documents, and one long string with escapes every few
 * characters and raw UTF-8 between them. */
static void
test_big (void)
{
  g_autoptr(GString) page = g_string_new ("{\"results\":[");
  g_autoptr(GString) escaped = g_string_new ("\"");
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) string = NULL;

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (page,
                            "%s{\"seq\":%u,\"id\":\"lead:%u\",\"doc\":{\"_id\":\"lead:%u\",\"company\":\"上海%u有限公司\","
                            "\"score\":%d,\"amount\":%u.%02u,\"tags\":[\"VIP\",\"\\u91cd\\u70b9\"],\"ok\":%s}}",
                            i ? "," : "", i + 1, i, i, i, (int) (i % 201) - 100, i * 7, i % 100, i % 3 ? "true" : "null");
  g_string_append (page, "],\"last_seq\":20000}");
  node = assert_parses_like_json_glib (page->str, (gssize) page->len);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (node), "results")), ==,
                    20000);

  for (guint i = 0; i < 100000; i++)
    {
      g_string_append (escaped, i % 3 ? "中文\\n\\u00e9" : "plain text \\\"");
      g_string_append (expected, i % 3 ? "中文\né" : "plain text \"");
    }
  g_string_append_c (escaped, '"');
  string = assert_parses_like_json_glib (escaped->str, (gssize) escaped->len);
  g_assert_cmpstr (json_node_get_string (string), ==, expected->str);
}

/* The callers that used json-glib's parser: lk_doc_parse() keeps its
 * error domain, and its object is sealed as before. */
static void
test_doc_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = lk_doc_parse ("{\"_id\":\"lead:1\",\"n\":1}  ", -1, &error);
  g_autoptr(JsonObject) bad = NULL;

  g_assert_no_error (error);
  g_assert_true (json_object_is_immutable (doc));
  g_assert_cmpstr (json_object_get_string_member (doc, "_id"), ==, "lead:1");

  bad = lk_doc_parse ("{\"_id\": ", -1, &error);
  g_assert_null (bad);
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Invalid JSON at byte 8: the text ends where a value should be");
  g_clear_error (&error);

  bad = lk_doc_parse ("{\"_id\":\"lead:1\"}", 7, &error);
  g_assert_null (bad);
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_clear_error (&error);

  bad = lk_doc_parse ("[1]", -1, &error);
  g_assert_null (bad);
  g_assert_cmpstr (error->message, ==, "The document is not a JSON object");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/json/same-trees", test_same_trees);
  g_test_add_func ("/json/value-types", test_value_types);
  g_test_add_func ("/json/rejections", test_rejections);
  g_test_add_func ("/json/length", test_length);
  g_test_add_func ("/json/depth", test_depth);
  g_test_add_func ("/json/fixtures", test_fixtures);
  g_test_add_func ("/json/changes-page", test_changes_page);
  g_test_add_func ("/json/streamed", test_streamed);
  g_test_add_func ("/json/big", test_big);
  g_test_add_func ("/json/doc-parse", test_doc_parse);

  return g_test_run ();
}
