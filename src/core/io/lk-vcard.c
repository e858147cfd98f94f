/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-vcard"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-error.h"
#include "lk-vcard.h"

/* vCard files as phones and business-card scanners write them: iOS
 * Contacts (3.0, UTF-8, CRLF, lines folded at 75 octets), Android (2.1
 * or 3.0 with QUOTED-PRINTABLE and CHARSET=UTF-8 for anything not ASCII,
 * soft line breaks), scanner apps (4.0; some write GB18030 or Big5 with
 * a CHARSET parameter), several cards to a file.
 *
 * The reader works line by line on the raw bytes, since each property
 * may name its own charset; a value is decoded to UTF-8 when it is used.
 * Memory stays bounded by one chunk and one unfolded line; a line or a
 * file past the limits stops the reader with a message that says where.
 * A card the reader cannot make sense of is still returned, with a
 * problem and its line, so the import reports it and goes on. */

#define CHUNK 65536

struct _LkVcardReader
{
  /* Owned */
  GInputStream *stream;
  GByteArray   *raw;             /* read, from raw_pos on not yet split into lines */
  GString      *peek;            /* the next physical line, when have_peek */
  GString      *logical;         /* the current unfolded line */
  char         *fields[LK_VCARD_N_FIELDS + 1];
  char         *problem;
  char         *version;
  GPtrArray    *phones;          /* Candidate */
  GPtrArray    *emails;          /* Candidate */
  GString      *other;

  gsize         raw_pos;
  gsize         max_line;
  gint64        max_file;
  gint64        bytes_read;
  guint         line;            /* the last physical line read, from 1 */
  guint         peek_line;
  guint         logical_line;    /* where the current unfolded line starts */
  guint         card_line;       /* where the current card's BEGIN is */
  guint         problem_line;
  guint         pending_begin;   /* a BEGIN:VCARD already read, on this line */
  guint         n_cards;
  guint         eof : 1;
  guint         have_peek : 1;
  guint         skip_lf : 1;     /* a CR ended the last line: a LF right after belongs to it */
  guint         region_set : 1;
};

/* A TEL or an EMAIL, and how much the card prefers it */
typedef struct
{
  char *value;
  char *type;   /* the TYPE worth showing ("work"), or NULL */
  int   score;
} Candidate;

/* A property: NAME;PARAM=a,b;PARAM2="c":value, the group dropped */
typedef struct
{
  char       *name;     /* upper case */
  GPtrArray  *params;   /* "NAME=value" pairs, NAME upper case; value-only params as "TYPE=value" */
  const char *value;    /* points into the logical line */
  gsize       value_len;
} Property;

static void
candidate_free (gpointer data)
{
  Candidate *candidate = data;

  g_free (candidate->value);
  g_free (candidate->type);
  g_free (candidate);
}

static void
property_clear (Property *property)
{
  g_clear_pointer (&property->name, g_free);
  g_clear_pointer (&property->params, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Property, property_clear)

const char *
lk_vcard_field_get_label (LkVcardField field)
{
  static const char * const labels[LK_VCARD_N_FIELDS] = {
    [LK_VCARD_CONTACT] = N_("Name (FN, N)"),
    [LK_VCARD_COMPANY] = N_("Organization (ORG)"),
    [LK_VCARD_TITLE] = N_("Title (TITLE)"),
    [LK_VCARD_PHONE] = N_("Phone (TEL)"),
    [LK_VCARD_EMAIL] = N_("Email (EMAIL)"),
    [LK_VCARD_IM] = N_("Messaging (IMPP)"),
    [LK_VCARD_REGION] = N_("Address region (ADR)"),
    [LK_VCARD_TAGS] = N_("Categories (CATEGORIES)"),
    [LK_VCARD_NOTES] = N_("Note (NOTE)"),
    [LK_VCARD_OTHER] = N_("Other details"),
  };

  g_return_val_if_fail (field < LK_VCARD_N_FIELDS, NULL);
  return _(labels[field]);
}

/**
 * lk_vcard_sniff:
 * @path: (nullable): the file's name, for its extension
 * @head: (nullable): the first bytes of the file
 *
 * Returns: whether the file is a vCard file: named .vcf or .vcard, or
 *   starting with BEGIN:VCARD (after a BOM and blank lines)
 */
gboolean
lk_vcard_sniff (const char   *path,
                const guint8 *head,
                gsize         len)
{
  gsize i = 0;

  if (path != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (path, -1);

      if (g_str_has_suffix (lower, ".vcf") || g_str_has_suffix (lower, ".vcard"))
        return TRUE;
    }
  if (head == NULL)
    return FALSE;
  if (len >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
    i = 3;
  while (i < len && (head[i] == '\r' || head[i] == '\n' || head[i] == ' ' || head[i] == '\t'))
    i++;
  return len - i >= 11 && g_ascii_strncasecmp ((const char *) head + i, "BEGIN:VCARD", 11) == 0;
}

static void
set_line_error (GError     **error,
                guint        line,
                const char  *message)
{
  /* Translators: "line 12: a line is longer than 10 MB" */
  g_set_error (error, LK_ERROR, LK_ERROR_INVALID, _("line %u: %s"), line, message);
}

static gboolean
file_too_large (gint64    max_file,
                GError  **error)
{
  g_autofree char *limit = g_format_size_full (max_file, G_FORMAT_SIZE_IEC_UNITS);

  g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
               _("The file is larger than %s, the most Leadkeeper imports at once: split it into several files"),
               limit);
  return FALSE;
}

static gboolean
read_raw (LkVcardReader  *self,
          GCancellable   *cancellable,
          GError        **error)
{
  gsize old, n = 0;

  /* Drops the lines already taken. */
  if (self->raw_pos > 0)
    {
      g_byte_array_remove_range (self->raw, 0, self->raw_pos);
      self->raw_pos = 0;
    }
  old = self->raw->len;
  g_byte_array_set_size (self->raw, old + CHUNK);
  if (!g_input_stream_read_all (self->stream, self->raw->data + old, CHUNK, &n, cancellable, error))
    {
      g_byte_array_set_size (self->raw, old);
      g_prefix_error (error, _("Could not read the file: "));
      return FALSE;
    }
  g_byte_array_set_size (self->raw, old + n);
  if (n < CHUNK)
    self->eof = TRUE;
  self->bytes_read += n;
  if (self->bytes_read > self->max_file)
    return file_too_large (self->max_file, error);
  return TRUE;
}

static gboolean
line_too_long (LkVcardReader  *self,
               guint           line,
               GError        **error)
{
  g_autofree char *limit = g_format_size_full (self->max_line, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *message = g_strdup_printf (_("a line is longer than %s; this is not a vCard file Leadkeeper can import"),
                                              limit);

  set_line_error (error, line, message);
  return FALSE;
}

/* The next physical line into @out, without its line break. Returns:
 * %FALSE at the end of the file (@error unset) or with @error set. */
static gboolean
read_line (LkVcardReader  *self,
           GString        *out,
           GCancellable   *cancellable,
           GError        **error)
{
  gboolean any = FALSE;

  g_string_truncate (out, 0);
  for (;;)
    {
      const guint8 *data = self->raw->data + self->raw_pos;
      gsize avail = self->raw->len - self->raw_pos;
      gsize i = 0;

      if (avail == 0)
        {
          if (self->eof)
            {
              if (!any)
                return FALSE;
              self->line++;
              return TRUE;
            }
          if (!read_raw (self, cancellable, error))
            return FALSE;
          continue;
        }
      if (self->skip_lf)
        {
          self->skip_lf = FALSE;
          if (data[0] == '\n')
            {
              self->raw_pos++;
              continue;
            }
        }
      while (i < avail && data[i] != '\n' && data[i] != '\r' && data[i] != '\0')
        i++;
      if (i > 0)
        {
          g_string_append_len (out, (const char *) data, i);
          any = TRUE;
          if (out->len > self->max_line)
            return line_too_long (self, self->line + 1, error);
        }
      self->raw_pos += i;
      if (i == avail)
        continue;
      if (data[i] == '\0')
        {
          set_line_error (error, self->line + 1, _("the file holds a NUL character: it is not a text file"));
          return FALSE;
        }
      self->skip_lf = data[i] == '\r';
      self->raw_pos++;
      self->line++;
      return TRUE;
    }
}

static gboolean
next_physical (LkVcardReader  *self,
               GString        *out,
               guint          *line,
               GCancellable   *cancellable,
               GError        **error)
{
  if (self->have_peek)
    {
      self->have_peek = FALSE;
      g_string_assign (out, self->peek->str);
      *line = self->peek_line;
      return TRUE;
    }
  if (!read_line (self, out, cancellable, error))
    return FALSE;
  *line = self->line;
  return TRUE;
}

static gboolean
fill_peek (LkVcardReader  *self,
           GCancellable   *cancellable,
           GError        **error)
{
  if (self->have_peek)
    return TRUE;
  if (!read_line (self, self->peek, cancellable, error))
    return FALSE;
  self->have_peek = TRUE;
  self->peek_line = self->line;
  return TRUE;
}

/* Where the value starts: the first ':' outside a quoted parameter value */
static const char *
find_colon (const char *line)
{
  gboolean quoted = FALSE;

  for (const char *p = line; *p; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (*p == ':' && !quoted)
        return p;
    }
  return NULL;
}

static gboolean
is_quoted_printable (const char *line)
{
  const char *colon = find_colon (line);

  if (colon == NULL)
    return FALSE;
  for (const char *p = line; p + 16 <= colon; p++)
    if (g_ascii_strncasecmp (p, "QUOTED-PRINTABLE", 16) == 0)
      return TRUE;
  return FALSE;
}

/* The next unfolded line into self->logical: folded lines (a space or
 * a tab starts the continuation) joined, and the soft line breaks of
 * quoted-printable values ("=" at the end). */
static gboolean
next_logical (LkVcardReader  *self,
              GCancellable   *cancellable,
              GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean qp;

  if (!next_physical (self, self->logical, &self->logical_line, cancellable, error))
    return FALSE;
  qp = is_quoted_printable (self->logical->str);
  for (;;)
    {
      const char *next;

      if (!fill_peek (self, cancellable, &local_error))
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          return TRUE;  /* the end of the file ends the line */
        }
      next = self->peek->str;
      if (next[0] == ' ' || next[0] == '\t')
        g_string_append_len (self->logical, next + 1, self->peek->len - 1);
      else if (qp && self->logical->len > 0 && self->logical->str[self->logical->len - 1] == '=' &&
               g_ascii_strncasecmp (next, "END:VCARD", 9) != 0)
        {
          g_string_truncate (self->logical, self->logical->len - 1);
          g_string_append_len (self->logical, next, self->peek->len);
        }
      else
        return TRUE;
      self->have_peek = FALSE;
      if (self->logical->len > self->max_line)
        return line_too_long (self, self->logical_line, error);
    }
}

static void
card_problem (LkVcardReader *self,
              guint          line,
              const char    *message)
{
  if (self->problem != NULL)
    return;
  self->problem = g_strdup (message);
  self->problem_line = line;
}

static gboolean
parse_property (const char *line,
                Property   *property)
{
  const char *colon = find_colon (line);
  const char *p = line;
  const char *name_end;
  const char *dot;

  if (colon == NULL)
    return FALSE;
  name_end = p;
  while (name_end < colon && *name_end != ';')
    name_end++;
  /* "item1.TEL": the group goes. */
  dot = memchr (p, '.', name_end - p);
  if (dot != NULL)
    p = dot + 1;
  if (name_end == p)
    return FALSE;
  property->name = g_ascii_strup (p, name_end - p);
  g_strstrip (property->name);
  property->params = g_ptr_array_new_with_free_func (g_free);
  p = name_end;
  while (p < colon)
    {
      const char *start = ++p;
      gboolean quoted = FALSE;
      g_autofree char *param = NULL;
      char *equals;

      while (p < colon && (quoted || *p != ';'))
        {
          if (*p == '"')
            quoted = !quoted;
          p++;
        }
      if (p == start)
        continue;
      param = g_strndup (start, p - start);
      equals = strchr (param, '=');
      if (equals == NULL)
        {
          /* vCard 2.1: "TEL;WORK;VOICE:", "NOTE;QUOTED-PRINTABLE:" */
          if (g_ascii_strcasecmp (param, "QUOTED-PRINTABLE") == 0 || g_ascii_strcasecmp (param, "BASE64") == 0)
            g_ptr_array_add (property->params, g_strconcat ("ENCODING=", param, NULL));
          else
            g_ptr_array_add (property->params, g_strconcat ("TYPE=", param, NULL));
        }
      else
        {
          g_autofree char *key = g_ascii_strup (param, equals - param);
          g_autoptr(GString) value = g_string_new (NULL);

          /* Quotes go; "TYPE=work,voice" stays a list. */
          for (const char *v = equals + 1; *v; v++)
            if (*v != '"')
              g_string_append_c (value, *v);
          g_ptr_array_add (property->params, g_strconcat (g_strstrip (key), "=", value->str, NULL));
        }
    }
  property->value = colon + 1;
  property->value_len = strlen (colon + 1);
  return TRUE;
}

/* The value of parameter @key, or %NULL; several are joined with commas. */
static char *
param_value (Property   *property,
             const char *key)
{
  g_autoptr(GString) out = NULL;
  gsize key_len = strlen (key);

  for (guint i = 0; i < property->params->len; i++)
    {
      const char *param = g_ptr_array_index (property->params, i);

      if (strncmp (param, key, key_len) == 0 && param[key_len] == '=')
        {
          if (out == NULL)
            out = g_string_new (param + key_len + 1);
          else
            g_string_append_printf (out, ",%s", param + key_len + 1);
        }
    }
  return out ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

static gboolean
has_type (Property   *property,
          const char *type)
{
  g_autofree char *types = param_value (property, "TYPE");
  g_auto(GStrv) parts = NULL;

  if (types == NULL)
    return FALSE;
  parts = g_strsplit (types, ",", -1);
  for (guint i = 0; parts[i]; i++)
    if (g_ascii_strcasecmp (g_strstrip (parts[i]), type) == 0)
      return TRUE;
  return FALSE;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

/* Quoted-printable "=E5=8D=8E" to its bytes; a "=" not followed by two
 * hex digits is kept as it is, as mail programs read it. */
static GString *
decode_qp (const char *value,
           gsize       len)
{
  GString *out = g_string_sized_new (len);

  for (gsize i = 0; i < len; i++)
    {
      int hi, lo;

      if (value[i] == '=' && i + 2 < len && (hi = hex_value (value[i + 1])) >= 0 &&
          (lo = hex_value (value[i + 2])) >= 0)
        {
          g_string_append_c (out, (char) (hi * 16 + lo));
          i += 2;
        }
      else
        g_string_append_c (out, value[i]);
    }
  return out;
}

static char *
canonical_charset (const char *charset)
{
  g_autofree char *upper = g_ascii_strup (charset, -1);

  g_strstrip (upper);
  /* GB18030 holds GBK and GB2312. */
  if (g_str_equal (upper, "GBK") || g_str_equal (upper, "GB2312") || g_str_equal (upper, "CP936") ||
      g_str_equal (upper, "EUC-CN") || g_str_equal (upper, "X-GBK"))
    return g_strdup ("GB18030");
  if (g_str_equal (upper, "UTF8"))
    return g_strdup ("UTF-8");
  if (g_str_equal (upper, "BIG-5") || g_str_equal (upper, "CP950"))
    return g_strdup ("BIG5");
  return g_steal_pointer (&upper);
}

/* The value of @property as UTF-8, still escaped; %NULL with the card's
 * problem set. */
static char *
decode_value (LkVcardReader *self,
              Property      *property)
{
  g_autofree char *encoding = param_value (property, "ENCODING");
  g_autofree char *charset_param = param_value (property, "CHARSET");
  g_autoptr(GString) bytes = NULL;

  if (encoding != NULL && g_ascii_strcasecmp (encoding, "QUOTED-PRINTABLE") == 0)
    bytes = decode_qp (property->value, property->value_len);
  else if (encoding != NULL && (g_ascii_strcasecmp (encoding, "B") == 0 || g_ascii_strcasecmp (encoding, "BASE64") == 0))
    {
      gsize len = 0;
      g_autofree char *copy = g_strndup (property->value, property->value_len);
      guchar *decoded = g_base64_decode_inplace (copy, &len);

      bytes = g_string_new_len ((const char *) decoded, len);
    }
  else
    bytes = g_string_new_len (property->value, property->value_len);

  if (memchr (bytes->str, '\0', bytes->len) != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("the %s value holds a NUL character"), property->name);

      card_problem (self, self->logical_line, message);
      return NULL;
    }
  if (charset_param != NULL)
    {
      g_autofree char *charset = canonical_charset (charset_param);
      g_autoptr(GError) error = NULL;
      char *converted;

      if (g_str_equal (charset, "UTF-8") || g_str_equal (charset, "US-ASCII"))
        {
          if (g_utf8_validate_len (bytes->str, bytes->len, NULL))
            return g_strndup (bytes->str, bytes->len);
          {
            g_autofree char *message = g_strdup_printf (_("the %s value is not valid UTF-8 although its CHARSET says so"),
                                                        property->name);

            card_problem (self, self->logical_line, message);
            return NULL;
          }
        }
      converted = g_convert (bytes->str, bytes->len, "UTF-8", charset, NULL, NULL, &error);
      if (converted == NULL)
        {
          g_autofree char *message = NULL;

          if (g_error_matches (error, G_CONVERT_ERROR, G_CONVERT_ERROR_NO_CONVERSION))
            message = g_strdup_printf (_("Leadkeeper cannot read the character set “%s” of the %s value; save the cards as UTF-8"),
                                       charset_param, property->name);
          else
            message = g_strdup_printf (_("the %s value is not valid %s text"), property->name, charset);
          card_problem (self, self->logical_line, message);
          return NULL;
        }
      return converted;
    }
  if (g_utf8_validate_len (bytes->str, bytes->len, NULL))
    return g_strndup (bytes->str, bytes->len);
  {
    /* No CHARSET and not UTF-8: what Chinese Windows programs write. */
    char *converted = g_convert (bytes->str, bytes->len, "UTF-8", "GB18030", NULL, NULL, NULL);
    g_autofree char *message = NULL;

    if (converted != NULL)
      return converted;
    message = g_strdup_printf (_("the %s value is not valid UTF-8 and names no CHARSET"), property->name);
    card_problem (self, self->logical_line, message);
    return NULL;
  }
}

/* Backslash escapes of vCard 3.0 and 4.0: \n \N \, \; \\ */
static char *
unescape (const char *text,
          gsize       len)
{
  GString *out = g_string_sized_new (len);

  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '\\' && i + 1 < len)
        {
          char c = text[++i];

          if (c == 'n' || c == 'N')
            g_string_append_c (out, '\n');
          else
            g_string_append_c (out, c);
        }
      else if (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
        continue;  /* a CRLF in a quoted-printable note: one line break */
      else
        g_string_append_c (out, text[i]);
    }
  return g_strstrip (g_string_free (out, FALSE));
}

/* The components of a structured value (N, ORG, ADR), split at each
 * ';' that is not escaped, each unescaped. */
static GStrv
split_structured (const char *value,
                  char        separator)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *start = value;
  const char *p = value;

  for (;; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        {
          p++;
          continue;
        }
      if (*p == separator || *p == '\0')
        {
          g_autofree char *part = unescape (start, p - start);

          g_strv_builder_add (builder, part);
          if (*p == '\0')
            break;
          start = p + 1;
        }
    }
  return g_strv_builder_end (builder);
}

static gboolean
has_han (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_HAN)
      return TRUE;
  return FALSE;
}

/* Chinese names family name first, without a space; others given first. */
static char *
join_name (const char *family,
           const char *given)
{
  if (family[0] == '\0' || given[0] == '\0')
    return g_strdup (family[0] ? family : given);
  if (has_han (family) || has_han (given))
    return g_strconcat (family, given, NULL);
  return g_strconcat (given, " ", family, NULL);
}

static void
add_other (LkVcardReader *self,
           const char    *label,
           const char    *type,
           const char    *value)
{
  if (value[0] == '\0')
    return;
  if (self->other->len > 0)
    g_string_append_c (self->other, '\n');
  if (type != NULL)
    /* Translators: "Phone (work): 010 6552 1234" in the notes of an imported card */
    g_string_append_printf (self->other, _("%s (%s): %s"), label, type, value);
  else
    g_string_append_printf (self->other, "%s: %s", label, value);
}

/* The type worth showing with a second phone or email ("work", "home"),
 * leaving out those that only say what a phone or an email is. */
static char *
shown_type (Property *property)
{
  g_autofree char *types = param_value (property, "TYPE");
  g_auto(GStrv) parts = NULL;

  if (types == NULL)
    return NULL;
  parts = g_strsplit (types, ",", -1);
  for (guint i = 0; parts[i]; i++)
    {
      const char *t = g_strstrip (parts[i]);

      if (t[0] != '\0' && g_ascii_strcasecmp (t, "pref") != 0 && g_ascii_strcasecmp (t, "voice") != 0 &&
          g_ascii_strcasecmp (t, "internet") != 0 && g_ascii_strcasecmp (t, "x400") != 0)
        return g_ascii_strdown (t, -1);
    }
  return NULL;
}

static void
add_candidate (GPtrArray  *candidates,
               Property   *property,
               char       *value,
               gboolean    is_phone)
{
  Candidate *candidate = g_new0 (Candidate, 1);
  g_autofree char *pref = param_value (property, "PREF");

  candidate->value = value;
  candidate->type = shown_type (property);
  candidate->score = 1;
  if (is_phone && (has_type (property, "cell") || has_type (property, "mobile") || has_type (property, "iphone")))
    candidate->score = 2;
  if (has_type (property, "pref") || pref != NULL)
    candidate->score = 3;
  /* A 4.0 tel: URI */
  if (is_phone && g_str_has_prefix (candidate->value, "tel:"))
    memmove (candidate->value, candidate->value + 4, strlen (candidate->value + 4) + 1);
  if (candidate->value[0] == '\0')
    {
      candidate_free (candidate);
      return;
    }
  g_ptr_array_add (candidates, candidate);
}

/* The preferred candidate into @field, the others into the other details */
static void
choose (LkVcardReader *self,
        GPtrArray     *candidates,
        LkVcardField   field,
        const char    *label)
{
  Candidate *best = NULL;

  for (guint i = 0; i < candidates->len; i++)
    {
      Candidate *candidate = g_ptr_array_index (candidates, i);

      if (best == NULL || candidate->score > best->score)
        best = candidate;
    }
  if (best == NULL)
    return;
  self->fields[field] = g_strdup (best->value);
  for (guint i = 0; i < candidates->len; i++)
    {
      Candidate *candidate = g_ptr_array_index (candidates, i);

      if (candidate != best && g_strcmp0 (candidate->value, best->value) != 0)
        add_other (self, label, candidate->type, candidate->value);
    }
}

static void
set_field (LkVcardReader *self,
           LkVcardField   field,
           char          *value)
{
  if (self->fields[field] == NULL && value != NULL && value[0] != '\0')
    self->fields[field] = value;
  else
    g_free (value);
}

static void
take_address (LkVcardReader *self,
              Property      *property,
              const char    *value)
{
  g_auto(GStrv) parts = split_structured (value, ';');
  guint n = g_strv_length (parts);
  const char *locality = n > 3 ? parts[3] : "";
  const char *region = n > 4 ? parts[4] : "";
  const char *country = n > 6 ? parts[6] : "";
  g_autoptr(GString) full = g_string_new (NULL);
  g_autofree char *type = shown_type (property);

  if (!self->region_set || has_type (property, "pref"))
    {
      char *text;

      if (locality[0] != '\0' && region[0] != '\0' && g_strcmp0 (locality, region) != 0)
        text = has_han (region) ? g_strconcat (region, locality, NULL) : g_strconcat (locality, ", ", region, NULL);
      else if (locality[0] != '\0' || region[0] != '\0')
        text = g_strdup (locality[0] ? locality : region);
      else
        text = g_strdup (country);
      if (text[0] != '\0')
        {
          g_free (self->fields[LK_VCARD_REGION]);
          self->fields[LK_VCARD_REGION] = text;
          self->region_set = TRUE;
        }
      else
        g_free (text);
    }
  /* The whole address, unless it is only what the region says */
  for (guint i = 0; i < n; i++)
    {
      g_strdelimit (parts[i], "\n", ' ');
      if (parts[i][0] != '\0')
        g_string_append_printf (full, "%s%s", full->len ? ", " : "", parts[i]);
    }
  if (full->len > 0 && g_strcmp0 (full->str, self->fields[LK_VCARD_REGION]) != 0)
    add_other (self, _("Address"), type, full->str);
}

static void
take_im (LkVcardReader *self,
         const char    *value)
{
  const char *p = value;

  /* "x-apple:lilei", "weixin:lilei", "xmpp:a@b": the scheme goes. */
  while (g_ascii_isalnum (*p) || *p == '-' || *p == '+' || *p == '.')
    p++;
  if (*p == ':' && p > value)
    value = p + 1;
  set_field (self, LK_VCARD_IM, g_strdup (value));
}

/* One property of the current card */
static void
take_property (LkVcardReader *self,
               Property      *property,
               GStrv         *n_parts_out,
               char         **fn_out)
{
  const char *name = property->name;
  g_autofree char *value = NULL;

  if (g_str_equal (name, "VERSION"))
    {
      g_free (self->version);
      self->version = g_strndup (property->value, property->value_len);
      g_strstrip (self->version);
      return;
    }
  if (!g_str_equal (name, "FN") && !g_str_equal (name, "N") && !g_str_equal (name, "ORG") &&
      !g_str_equal (name, "TITLE") && !g_str_equal (name, "ROLE") && !g_str_equal (name, "TEL") &&
      !g_str_equal (name, "EMAIL") && !g_str_equal (name, "ADR") && !g_str_equal (name, "NOTE") &&
      !g_str_equal (name, "URL") && !g_str_equal (name, "IMPP") && !g_str_equal (name, "X-WECHAT") &&
      !g_str_equal (name, "X-QQ") && !g_str_equal (name, "CATEGORIES"))
    return;  /* PHOTO, BDAY, REV, X-…: nothing a lead holds */

  value = decode_value (self, property);
  if (value == NULL)
    return;

  if (g_str_equal (name, "FN"))
    {
      if (*fn_out == NULL)
        *fn_out = unescape (value, strlen (value));
    }
  else if (g_str_equal (name, "N"))
    {
      if (*n_parts_out == NULL)
        *n_parts_out = split_structured (value, ';');
    }
  else if (g_str_equal (name, "ORG"))
    {
      g_auto(GStrv) parts = split_structured (value, ';');

      if (self->fields[LK_VCARD_COMPANY] == NULL && parts[0] != NULL)
        {
          set_field (self, LK_VCARD_COMPANY, g_strdup (parts[0]));
          for (guint i = 1; parts[i]; i++)
            add_other (self, _("Department"), NULL, parts[i]);
        }
    }
  else if (g_str_equal (name, "TITLE"))
    set_field (self, LK_VCARD_TITLE, unescape (value, strlen (value)));
  else if (g_str_equal (name, "ROLE"))
    {
      g_autofree char *role = unescape (value, strlen (value));

      add_other (self, _("Role"), NULL, role);
    }
  else if (g_str_equal (name, "TEL"))
    add_candidate (self->phones, property, unescape (value, strlen (value)), TRUE);
  else if (g_str_equal (name, "EMAIL"))
    add_candidate (self->emails, property, unescape (value, strlen (value)), FALSE);
  else if (g_str_equal (name, "ADR"))
    take_address (self, property, value);
  else if (g_str_equal (name, "NOTE"))
    {
      g_autofree char *note = unescape (value, strlen (value));

      if (note[0] != '\0')
        {
          if (self->fields[LK_VCARD_NOTES] == NULL)
            self->fields[LK_VCARD_NOTES] = g_steal_pointer (&note);
          else
            {
              char *joined = g_strconcat (self->fields[LK_VCARD_NOTES], "\n", note, NULL);

              g_free (self->fields[LK_VCARD_NOTES]);
              self->fields[LK_VCARD_NOTES] = joined;
            }
        }
    }
  else if (g_str_equal (name, "URL"))
    {
      g_autofree char *url = unescape (value, strlen (value));

      add_other (self, _("Website"), NULL, url);
    }
  else if (g_str_equal (name, "IMPP") || g_str_equal (name, "X-WECHAT") || g_str_equal (name, "X-QQ"))
    {
      g_autofree char *im = unescape (value, strlen (value));

      take_im (self, im);
    }
  else if (g_str_equal (name, "CATEGORIES"))
    {
      g_auto(GStrv) parts = split_structured (value, ',');
      g_autoptr(GString) tags = g_string_new (self->fields[LK_VCARD_TAGS]);

      for (guint i = 0; parts[i]; i++)
        if (parts[i][0] != '\0')
          {
            g_strdelimit (parts[i], ",;", ' ');
            g_string_append_printf (tags, "%s%s", tags->len ? "," : "", parts[i]);
          }
      g_free (self->fields[LK_VCARD_TAGS]);
      self->fields[LK_VCARD_TAGS] = tags->len ? g_strdup (tags->str) : NULL;
    }
}

static void
reset_card (LkVcardReader *self)
{
  for (guint i = 0; i < LK_VCARD_N_FIELDS; i++)
    g_clear_pointer (&self->fields[i], g_free);
  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->version, g_free);
  g_ptr_array_set_size (self->phones, 0);
  g_ptr_array_set_size (self->emails, 0);
  g_string_truncate (self->other, 0);
  self->problem_line = 0;
  self->region_set = FALSE;
}

static void
finish_card (LkVcardReader *self,
             GStrv          n_parts,
             char          *fn)
{
  const char *company = self->fields[LK_VCARD_COMPANY];
  g_autofree char *from_n = NULL;

  if (n_parts != NULL && n_parts[0] != NULL)
    from_n = join_name (n_parts[0], n_parts[1] ? n_parts[1] : "");
  /* A company's own card (iOS "show as company") has FN = ORG and no N. */
  if (fn != NULL && fn[0] != '\0' &&
      !(company != NULL && g_str_equal (fn, company) && (from_n == NULL || from_n[0] == '\0')))
    set_field (self, LK_VCARD_CONTACT, g_strdup (fn));
  else if (from_n != NULL)
    set_field (self, LK_VCARD_CONTACT, g_strdup (from_n));
  choose (self, self->phones, LK_VCARD_PHONE, _("Phone"));
  choose (self, self->emails, LK_VCARD_EMAIL, _("Email"));
  if (self->other->len > 0)
    self->fields[LK_VCARD_OTHER] = g_strdup (self->other->str);
  for (guint i = 0; i < LK_VCARD_N_FIELDS; i++)
    if (self->fields[i] == NULL)
      self->fields[i] = g_strdup ("");
    else if (!g_utf8_validate (self->fields[i], -1, NULL))
      {
        /* A property whose name is not text (kept among the others as it
         * came): its bytes become U+FFFD rather than reach the lead. */
        char *valid = g_utf8_make_valid (self->fields[i], -1);

        g_free (self->fields[i]);
        self->fields[i] = valid;
      }
}

static gboolean
is_line (const char *line,
         const char *what)
{
  g_autofree char *copy = g_strdup (line);

  return g_ascii_strcasecmp (g_strstrip (copy), what) == 0;
}

/**
 * lk_vcard_reader_next:
 *
 * Reads the next card; its fields are then valid until the next call. A
 * card with a value the reader cannot decode, or without END:VCARD, is
 * returned with lk_vcard_reader_get_problem() set.
 *
 * Returns: %TRUE with a card; %FALSE at the end of the file (@error
 *   unset) or with @error set ("line 12: …")
 */
gboolean
lk_vcard_reader_next (LkVcardReader  *self,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_auto(GStrv) n_parts = NULL;
  g_autofree char *fn = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  reset_card (self);
  /* Up to BEGIN:VCARD */
  if (self->pending_begin != 0)
    {
      self->card_line = self->pending_begin;
      self->pending_begin = 0;
    }
  else
    for (;;)
      {
        if (!next_logical (self, cancellable, &local_error))
          {
            if (local_error != NULL)
              {
                g_propagate_error (error, g_steal_pointer (&local_error));
                return FALSE;
              }
            if (self->n_cards == 0)
              {
                g_set_error_literal (error, LK_ERROR, LK_ERROR_INVALID,
                                     _("The file holds no vCard: a card starts with BEGIN:VCARD"));
                return FALSE;
              }
            return FALSE;
          }
        if (is_line (self->logical->str, "BEGIN:VCARD"))
          {
            self->card_line = self->logical_line;
            break;
          }
        /* A UTF-8 BOM before the first card */
        if (self->logical_line == 1 && g_str_has_prefix (self->logical->str, "\xEF\xBB\xBF") &&
            is_line (self->logical->str + 3, "BEGIN:VCARD"))
          {
            self->card_line = self->logical_line;
            break;
          }
        if (self->n_cards == 0 && !is_line (self->logical->str, ""))
          {
            set_line_error (error, self->logical_line,
                            _("this is not a vCard file: a card starts with BEGIN:VCARD"));
            return FALSE;
          }
      }
  self->n_cards++;

  /* The properties, up to END:VCARD */
  for (;;)
    {
      g_auto(Property) property = { 0 };

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!next_logical (self, cancellable, &local_error))
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          card_problem (self, self->card_line,
                        _("the card that starts on this line has no END:VCARD: the file may be cut short"));
          break;
        }
      if (is_line (self->logical->str, "END:VCARD"))
        break;
      if (is_line (self->logical->str, "BEGIN:VCARD"))
        {
          card_problem (self, self->card_line,
                        _("the card that starts on this line has no END:VCARD before the next card"));
          self->pending_begin = self->logical_line;
          break;
        }
      if (is_line (self->logical->str, ""))
        continue;
      if (!parse_property (self->logical->str, &property))
        {
          g_autofree char *start = g_utf8_make_valid (self->logical->str, MIN (self->logical->len, 40));
          g_autofree char *message = g_strdup_printf (_("“%s” is not a vCard property (NAME:value)"), start);

          card_problem (self, self->logical_line, message);
          continue;
        }
      if (g_str_equal (property.name, "BEGIN") || g_str_equal (property.name, "END"))
        continue;  /* an AGENT's own card and the like */
      take_property (self, &property, &n_parts, &fn);
    }
  finish_card (self, n_parts, fn);
  return TRUE;
}

static LkVcardReader *
reader_new (GInputStream  *stream,
            GError       **error)
{
  LkVcardReader *self = g_new0 (LkVcardReader, 1);

  self->stream = g_object_ref (stream);
  self->raw = g_byte_array_sized_new (CHUNK * 2);
  self->peek = g_string_new (NULL);
  self->logical = g_string_new (NULL);
  self->phones = g_ptr_array_new_with_free_func (candidate_free);
  self->emails = g_ptr_array_new_with_free_func (candidate_free);
  self->other = g_string_new (NULL);
  self->max_line = LK_VCARD_MAX_LINE_BYTES;
  self->max_file = LK_VCARD_MAX_FILE_BYTES;
  return self;
}

LkVcardReader *
lk_vcard_reader_new (GInputStream  *stream,
                     GError       **error)
{
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  return reader_new (stream, error);
}

LkVcardReader *
lk_vcard_reader_new_for_path (const char  *path,
                              GError     **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) stream = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  file = g_file_new_for_path (path);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, NULL, error);
  if (info == NULL)
    return NULL;
  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY, _("“%s” is a folder, not a vCard file"), path);
      return NULL;
    }
  /* Refused before reading a byte. */
  if (g_file_info_get_size (info) > LK_VCARD_MAX_FILE_BYTES)
    {
      file_too_large (LK_VCARD_MAX_FILE_BYTES, error);
      return NULL;
    }
  stream = g_file_read (file, NULL, error);
  if (stream == NULL)
    return NULL;
  return reader_new (G_INPUT_STREAM (stream), error);
}

void
lk_vcard_reader_free (LkVcardReader *self)
{
  if (self == NULL)
    return;
  reset_card (self);
  g_clear_object (&self->stream);
  g_byte_array_unref (self->raw);
  g_string_free (self->peek, TRUE);
  g_string_free (self->logical, TRUE);
  g_ptr_array_unref (self->phones);
  g_ptr_array_unref (self->emails);
  g_string_free (self->other, TRUE);
  g_free (self);
}

/* For tests: smaller limits than the real ones. */
void
lk_vcard_reader_set_limits (LkVcardReader *self,
                            gsize          max_line_bytes,
                            gint64         max_file_bytes)
{
  g_return_if_fail (self != NULL);

  self->max_line = max_line_bytes;
  self->max_file = max_file_bytes;
}

/* Returns: field @field of the current card, "" when the card has none */
const char *
lk_vcard_reader_get_field (LkVcardReader *self,
                           LkVcardField   field)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (field < LK_VCARD_N_FIELDS, NULL);

  return self->fields[field] ? self->fields[field] : "";
}

/* Returns: (transfer none): LK_VCARD_N_FIELDS fields, NULL-terminated */
const char * const *
lk_vcard_reader_get_fields (LkVcardReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < LK_VCARD_N_FIELDS; i++)
    if (self->fields[i] == NULL)
      self->fields[i] = g_strdup ("");
  return (const char * const *) self->fields;
}

/* The line (from 1) of the current card's BEGIN:VCARD */
guint
lk_vcard_reader_get_line (LkVcardReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->card_line;
}

/* Returns: (nullable): why the current card cannot be imported */
const char *
lk_vcard_reader_get_problem (LkVcardReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->problem;
}

/* The line the problem is on */
guint
lk_vcard_reader_get_problem_line (LkVcardReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->problem_line;
}

/* Returns: (nullable): the current card's VERSION ("3.0", "4.0") */
const char *
lk_vcard_reader_get_version (LkVcardReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->version;
}

gint64
lk_vcard_reader_get_bytes_read (LkVcardReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->bytes_read;
}
