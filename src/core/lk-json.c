/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-json"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "lk-error.h"
#include "lk-json.h"

/* A strict RFC 8259 reader that builds json-glib's nodes directly, for
 * the sync pull's _changes pages of thousands of documents. json-glib's
 * own parser spends about half of its instructions in its GScanner (a
 * function call per character); the other half, building json-glib's
 * tree (a hash table per object, a block per node, value and member
 * name, hashing every name and string to seal it), is the same here.
 *
 * The trees are the ones json_parser_new_immutable() gives for every
 * text both accept: integers without fraction or exponent that fit
 * gint64 are G_TYPE_INT64 values ("-0" is the integer 0), every other
 * number is a G_TYPE_DOUBLE, strings are UTF-8 with escapes resolved,
 * a repeated member name keeps the last value at the first one's place,
 * and every node is sealed.
 *
 * Where json-glib 1.6 makes something up:
 *   - an integer beyond gint64 is the nearest double here; json-glib
 *     wraps it around or makes it -1;
 * and where this reader says no (a GError in LK_ERROR_INVALID that names
 * the byte offset) to what json-glib accepts:
 *   - a number beyond the double range (1E400): json-glib gives an
 *     infinity, which it writes back as "inf.0", not JSON;
 *   - "\u0000": json-glib cuts the string there;
 *   - a UTF-16 surrogate escape without its pair: json-glib refuses
 *     some ("\ud800" at the end of a string) and puts the surrogate
 *     itself in the string for others ("\ud800x"), which is then not
 *     UTF-8;
 *   - what JSON does not allow: empty or blank text, leading zeros and
 *     other numbers JSON does not have ("01", "0x10", "1.", ".5",
 *     "- 1"), single quotes, unknown or short escapes ("\x", "\u12"),
 *     control characters in strings, comments, "var name = …;" around
 *     the value, a second value after the first ("[1] [2]");
 *   - nesting deeper than LK_JSON_MAX_DEPTH: json-glib has no limit, and
 *     200,000 "[" overflow its stack. */

typedef struct
{
  /* Borrowed */
  const guchar *start;
  const guchar *end;
  GError      **error;

  /* Owned */
  GString      *text;    /* the string value being read, unescaped */
  GString      *names;   /* member names of the open objects, each with its NUL */

  const guchar *p;
  guint         depth;

  /* lk_json_parse_streamed(): the root object's member whose array is
   * handed over element by element */
  const char        *stream_member;
  LkJsonElementFunc  stream_func;
  gpointer           stream_data;
  gboolean           streamed;
} Parser;

#define ONES  G_GUINT64_CONSTANT (0x0101010101010101)
#define HIGHS G_GUINT64_CONSTANT (0x8080808080808080)

G_GNUC_PRINTF (3, 4)
static void
fail (Parser       *parser,
      const guchar *at,
      const char   *format,
      ...)
{
  g_autofree char *reason = NULL;
  char offset[32];
  va_list args;

  if (parser->error == NULL || *parser->error != NULL)
    return;
  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);
  g_snprintf (offset, sizeof offset, "%" G_GSIZE_FORMAT, (gsize) (at - parser->start));
  g_set_error (parser->error, LK_ERROR, LK_ERROR_INVALID, _("Invalid JSON at byte %s: %s"), offset, reason);
}

/* What stands at @at, for a message: “x” for a printable ASCII
 * character, the byte's value otherwise. */
static char *
describe (Parser       *parser,
          const guchar *at)
{
  if (at >= parser->end)
    return g_strdup (_("the end of the text"));
  if (*at > 0x20 && *at < 0x7f)
    return g_strdup_printf ("“%c”", *at);
  return g_strdup_printf (_("byte 0x%02X"), *at);
}

static inline void
skip_space (Parser *parser)
{
  const guchar *p = parser->p;
  const guchar *end = parser->end;

  while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
    p++;
  parser->p = p;
}

static inline gboolean
at_char (Parser *parser,
         guchar  c)
{
  return parser->p < parser->end && *parser->p == c;
}

static inline guint64
load64 (const guchar *p)
{
  guint64 word;

  memcpy (&word, p, sizeof word);
  return word;
}

/* Nonzero when one of the eight bytes of @word is '"', '\\' or below
 * 0x20: the end of a run of plain string bytes. Exact for "any". */
static inline guint64
ends_run (guint64 word)
{
  guint64 quote = word ^ (ONES * '"');
  guint64 backslash = word ^ (ONES * '\\');

  return (((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash) | ((word - ONES * 0x20) & ~word)) & HIGHS;
}

/* g_string_append_len() without the call for the common case. */
static inline void
append (GString      *out,
        const guchar *data,
        gsize         length)
{
  gsize len = out->len;

  if (G_UNLIKELY (len + length >= out->allocated_len))
    g_string_set_size (out, len + length);
  memcpy (out->str + len, data, length);
  out->len = len + length;
  out->str[out->len] = '\0';
}

static int
hex_digit (guchar c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* The four hexadecimal digits at @p, or -1. */
static int
read_hex4 (Parser       *parser,
           const guchar *p)
{
  int value = 0;

  if (parser->end - p < 4)
    return -1;
  for (guint i = 0; i < 4; i++)
    {
      int digit = hex_digit (p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/* One escape at *@pp (its backslash), appended to @out. */
static gboolean
read_escape (Parser        *parser,
             const guchar **pp,
             GString       *out)
{
  const guchar *escape = *pp;
  const guchar *p = escape + 1;
  gunichar c;
  int unit;

  if (p >= parser->end)
    {
      fail (parser, p, _("the text ends inside a string"));
      return FALSE;
    }
  switch (*p)
    {
    case '"': c = '"'; break;
    case '\\': c = '\\'; break;
    case '/': c = '/'; break;
    case 'b': c = '\b'; break;
    case 'f': c = '\f'; break;
    case 'n': c = '\n'; break;
    case 'r': c = '\r'; break;
    case 't': c = '\t'; break;
    case 'u':
      unit = read_hex4 (parser, p + 1);
      if (unit < 0)
        {
          fail (parser, escape, _("“\\u” must be followed by four hexadecimal digits"));
          return FALSE;
        }
      p += 4;
      if (unit == 0)
        {
          fail (parser, escape, _("“\\u0000” (the NUL character) cannot be stored in a string"));
          return FALSE;
        }
      if (unit >= 0xDC00 && unit <= 0xDFFF)
        {
          fail (parser, escape, _("the UTF-16 surrogate “\\u%04X” is not preceded by its pair"), (guint) unit);
          return FALSE;
        }
      c = (gunichar) unit;
      if (unit >= 0xD800 && unit <= 0xDBFF)
        {
          int low = -1;

          if (parser->end - p >= 3 && p[1] == '\\' && p[2] == 'u')
            low = read_hex4 (parser, p + 3);
          if (low < 0xDC00 || low > 0xDFFF)
            {
              fail (parser, escape, _("the UTF-16 surrogate “\\u%04X” is not followed by its pair"), (guint) unit);
              return FALSE;
            }
          c = 0x10000 + (((gunichar) unit - 0xD800) << 10) + ((gunichar) low - 0xDC00);
          p += 6;
        }
      break;
    default:
      {
        g_autofree char *found = describe (parser, p);

        fail (parser, escape, _("unknown escape: %s after “\\” in a string"), found);
        return FALSE;
      }
    }
  if (c < 0x80)
    g_string_append_c (out, (char) c);
  else
    g_string_append_unichar (out, c);
  *pp = p + 1;
  return TRUE;
}

/* The string whose opening quote is at parser->p, appended to @out
 * unescaped. Runs between escapes are copied in one go; only runs with
 * bytes above 0x7F are checked for UTF-8. */
static gboolean
read_string (Parser  *parser,
             GString *out)
{
  const guchar *end = parser->end;
  const guchar *p = parser->p + 1;

  for (;;)
    {
      const guchar *run = p;
      const char *bad;
      guint64 high = 0;
      guchar c;

      while (end - p >= 8)
        {
          guint64 word = load64 (p);

          if (ends_run (word))
            break;
          high |= word;
          p += 8;
        }
      for (;;)
        {
          if (p >= end)
            {
              fail (parser, p, _("the text ends inside a string"));
              return FALSE;
            }
          c = *p;
          if (c == '"' || c == '\\' || c < 0x20)
            break;
          high |= c;
          p++;
        }
      if ((high & HIGHS) != 0 && !g_utf8_validate_len ((const char *) run, (gsize) (p - run), &bad))
        {
          fail (parser, (const guchar *) bad, _("a string is not valid UTF-8"));
          return FALSE;
        }
      append (out, run, (gsize) (p - run));
      if (c == '"')
        break;
      if (c < 0x20)
        {
          fail (parser, p, _("control character 0x%02X in a string (it must be written as an escape)"), c);
          return FALSE;
        }
      if (!read_escape (parser, &p, out))
        return FALSE;
    }
  parser->p = p + 1;
  return TRUE;
}

static JsonNode *
read_number (Parser *parser)
{
  const guchar *start = parser->p;
  const guchar *end = parser->end;
  const guchar *p = start;
  gboolean negative = FALSE;
  gboolean integer = TRUE;
  gboolean too_big = FALSE;
  guint64 magnitude = 0;
  JsonNode *node;

  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }
  if (p >= end || !g_ascii_isdigit (*p))
    {
      g_autofree char *found = describe (parser, p);

      fail (parser, p, _("a number needs a digit here, found %s"), found);
      return NULL;
    }
  if (*p == '0')
    {
      p++;
      if (p < end && g_ascii_isdigit (*p))
        {
          fail (parser, start, _("numbers cannot have leading zeros"));
          return NULL;
        }
    }
  else
    {
      for (; p < end && g_ascii_isdigit (*p); p++)
        {
          /* From 10^18 on, one more digit is beyond gint64 anyway. */
          if (magnitude < G_GUINT64_CONSTANT (1000000000000000000))
            magnitude = magnitude * 10 + (guint) (*p - '0');
          else
            too_big = TRUE;
        }
    }
  if (p < end && *p == '.')
    {
      integer = FALSE;
      p++;
      if (p >= end || !g_ascii_isdigit (*p))
        {
          g_autofree char *found = describe (parser, p);

          fail (parser, p, _("a number needs a digit after its decimal point, found %s"), found);
          return NULL;
        }
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      integer = FALSE;
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        p++;
      if (p >= end || !g_ascii_isdigit (*p))
        {
          g_autofree char *found = describe (parser, p);

          fail (parser, p, _("a number needs a digit in its exponent, found %s"), found);
          return NULL;
        }
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }
  parser->p = p;

  if (integer && !too_big && magnitude <= (guint64) G_MAXINT64 + (negative ? 1 : 0))
    {
      gint64 value = negative ? (magnitude == 0 ? 0 : -(gint64) (magnitude - 1) - 1) : (gint64) magnitude;

      node = json_node_alloc ();
      json_node_init_int (node, value);
    }
  else
    {
      gsize length = (gsize) (p - start);
      char buffer[64];
      g_autofree char *copy = length < sizeof buffer ? NULL : g_malloc (length + 1);
      char *text = copy != NULL ? copy : buffer;
      double value;

      memcpy (text, start, length);
      text[length] = '\0';
      value = g_ascii_strtod (text, NULL);
      if (!isfinite (value))
        {
          fail (parser, start, _("the number is too large"));
          return NULL;
        }
      node = json_node_alloc ();
      json_node_init_double (node, value);
    }
  return node;
}

static JsonNode *
read_word (Parser     *parser,
           const char *word)
{
  gsize length = strlen (word);

  if ((gsize) (parser->end - parser->p) < length || memcmp (parser->p, word, length) != 0)
    {
      fail (parser, parser->p, _("unknown word: a value is a string, a number, an object, an array, "
                                 "true, false or null"));
      return NULL;
    }
  parser->p += length;
  return json_node_alloc ();
}

static JsonNode *read_value (Parser *parser);
static JsonNode *read_array (Parser   *parser,
                             gboolean  streamed);

static JsonNode *
read_object (Parser *parser)
{
  g_autoptr(JsonObject) object = NULL;
  JsonNode *node;

  if (++parser->depth > LK_JSON_MAX_DEPTH)
    {
      fail (parser, parser->p, _("arrays and objects are nested deeper than %d levels"), LK_JSON_MAX_DEPTH);
      return NULL;
    }
  object = json_object_new ();
  parser->p++;
  skip_space (parser);
  if (at_char (parser, '}'))
    parser->p++;
  else
    for (;;)
      {
        gsize mark = parser->names->len;
        JsonNode *value;

        if (!at_char (parser, '"'))
          {
            g_autofree char *found = describe (parser, parser->p);

            fail (parser, parser->p, _("expected a member name in double quotes, found %s"), found);
            return NULL;
          }
        if (!read_string (parser, parser->names))
          return NULL;
        g_string_append_c (parser->names, '\0');
        skip_space (parser);
        if (!at_char (parser, ':'))
          {
            g_autofree char *found = describe (parser, parser->p);

            fail (parser, parser->p, _("expected “:” after a member name, found %s"), found);
            return NULL;
          }
        parser->p++;
        skip_space (parser);
        if (parser->depth == 1 && parser->stream_member != NULL &&
            strcmp (parser->names->str + mark, parser->stream_member) == 0)
          {
            /* Its elements are gone once handed over: a second one
             * could not take the first one's place. */
            if (parser->streamed)
              {
                fail (parser, parser->p, _("the member “%s” is repeated"), parser->stream_member);
                return NULL;
              }
            parser->streamed = TRUE;
            value = at_char (parser, '[') ? read_array (parser, TRUE) : read_value (parser);
          }
        else
          value = read_value (parser);
        if (value == NULL)
          return NULL;
        json_object_set_member (object, parser->names->str + mark, value);
        g_string_truncate (parser->names, mark);
        skip_space (parser);
        if (at_char (parser, ','))
          {
            parser->p++;
            skip_space (parser);
          }
        else if (at_char (parser, '}'))
          {
            parser->p++;
            break;
          }
        else
          {
            g_autofree char *found = describe (parser, parser->p);

            fail (parser, parser->p, _("expected “,” or “}” in an object, found %s"), found);
            return NULL;
          }
      }
  parser->depth--;
  node = json_node_alloc ();
  json_node_init_object (node, object);
  /* Sealed now, while its members are in the cache: sealing hashes every
   * name and string, and a whole page's tree does not fit in the cache
   * any more when the root is done. */
  json_node_seal (node);
  return node;
}

/* The array at parser->p. @streamed: each element is handed to the
 * stream function as soon as it is read, and what stays in the tree is
 * an empty array (lk_json_parse_streamed()). */
static JsonNode *
read_array (Parser   *parser,
            gboolean  streamed)
{
  g_autoptr(JsonArray) array = NULL;
  JsonNode *node;

  if (++parser->depth > LK_JSON_MAX_DEPTH)
    {
      fail (parser, parser->p, _("arrays and objects are nested deeper than %d levels"), LK_JSON_MAX_DEPTH);
      return NULL;
    }
  array = json_array_new ();
  parser->p++;
  skip_space (parser);
  if (at_char (parser, ']'))
    parser->p++;
  else
    for (;;)
      {
        JsonNode *value = read_value (parser);

        if (value == NULL)
          return NULL;
        if (!streamed)
          json_array_add_element (array, value);
        else
          {
            /* (Objects and arrays are sealed already, values not yet.) */
            json_node_seal (value);
            if (!parser->stream_func (value, parser->stream_data, parser->error))
              return NULL;
          }
        skip_space (parser);
        if (at_char (parser, ','))
          {
            parser->p++;
            skip_space (parser);
          }
        else if (at_char (parser, ']'))
          {
            parser->p++;
            break;
          }
        else
          {
            g_autofree char *found = describe (parser, parser->p);

            fail (parser, parser->p, _("expected “,” or “]” in an array, found %s"), found);
            return NULL;
          }
      }
  parser->depth--;
  node = json_node_alloc ();
  json_node_init_array (node, array);
  json_node_seal (node);
  return node;
}

/* The value at parser->p, which is not white space. */
static JsonNode *
read_value (Parser *parser)
{
  JsonNode *node;

  if (parser->p >= parser->end)
    {
      fail (parser, parser->p, _("the text ends where a value should be"));
      return NULL;
    }
  switch (*parser->p)
    {
    case '"':
      parser->text->len = 0;
      if (!read_string (parser, parser->text))
        return NULL;
      node = json_node_alloc ();
      return json_node_init_string (node, parser->text->str);
    case '{':
      return read_object (parser);
    case '[':
      return read_array (parser, FALSE);
    case 't':
      node = read_word (parser, "true");
      return node != NULL ? json_node_init_boolean (node, TRUE) : NULL;
    case 'f':
      node = read_word (parser, "false");
      return node != NULL ? json_node_init_boolean (node, FALSE) : NULL;
    case 'n':
      node = read_word (parser, "null");
      return node != NULL ? json_node_init_null (node) : NULL;
    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return read_number (parser);
    default:
      {
        g_autofree char *found = describe (parser, parser->p);

        fail (parser, parser->p, _("expected a value, found %s"), found);
        return NULL;
      }
    }
}

static JsonNode *
parse (Parser      *parser,
       const char  *data,
       gssize       length,
       GError     **error)
{
  g_autoptr(JsonNode) root = NULL;

  if (data == NULL)
    data = "";
  if (length < 0)
    length = (gssize) strlen (data);
  parser->start = parser->p = (const guchar *) data;
  parser->end = parser->start + length;
  parser->error = error;

  skip_space (parser);
  if (parser->p == parser->end)
    {
      fail (parser, parser->start, _("the text is empty"));
      return NULL;
    }
  parser->text = g_string_sized_new (256);
  parser->names = g_string_sized_new (256);
  root = read_value (parser);
  g_string_free (parser->text, TRUE);
  g_string_free (parser->names, TRUE);
  if (root == NULL)
    return NULL;
  skip_space (parser);
  if (parser->p != parser->end)
    {
      g_autofree char *found = describe (parser, parser->p);

      fail (parser, parser->p, _("unexpected %s after the end of the JSON value"), found);
      return NULL;
    }
  json_node_seal (root);
  return g_steal_pointer (&root);
}

/**
 * lk_json_parse:
 * @data: JSON text in UTF-8
 * @length: its length in bytes, or -1 when it ends with a NUL
 * @error: where a reason goes
 *
 * Reads one JSON value (RFC 8259, strictly), as json-glib's immutable
 * parser would; see the comment at the top of this file for where the
 * two differ. With a @length, @data need not end with a NUL.
 *
 * Returns: (transfer full): the sealed root, or %NULL with @error set.
 */
JsonNode *
lk_json_parse (const char  *data,
               gssize       length,
               GError     **error)
{
  Parser parser = { 0 };

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return parse (&parser, data, length, error);
}

/**
 * lk_json_parse_streamed:
 * @data: JSON text in UTF-8
 * @length: its length in bytes, or -1 when it ends with a NUL
 * @member: a member of the root object
 * @func: called with each element of @member's array, in order, as soon
 *   as it is read
 * @user_data: for @func
 * @error: where a reason goes
 *
 * As lk_json_parse(), but the elements of the array in the root
 * object's @member are handed to @func one by one instead of being kept
 * in the tree, where that array is empty: a _changes page of thousands
 * of documents is read one change at a time, each one's small tree
 * used and freed while it is in the CPU cache. When @func returns
 * %FALSE (setting its error), the reading stops with that error. The
 * text is read strictly all the same: @func may have had elements of a
 * text that turns out to be malformed after them, so what it does with
 * them must wait for this function to succeed. The @member appearing
 * twice is an error.
 *
 * Returns: (transfer full): the sealed root, or %NULL with @error set.
 */
JsonNode *
lk_json_parse_streamed (const char         *data,
                        gssize              length,
                        const char         *member,
                        LkJsonElementFunc   func,
                        gpointer            user_data,
                        GError            **error)
{
  Parser parser = { 0 };

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (member != NULL, NULL);
  g_return_val_if_fail (func != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  parser.stream_member = member;
  parser.stream_func = func;
  parser.stream_data = user_data;
  return parse (&parser, data, length, error);
}
