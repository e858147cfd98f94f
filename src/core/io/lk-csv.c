/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-csv"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-csv.h"
#include "lk-error.h"

/* A streaming reader of the CSV files people export from spreadsheets:
 * Excel's "CSV UTF-8" (a BOM, CRLF), its plain "CSV" on Chinese Windows
 * (GB18030, which GBK and GB2312 are subsets of), its "Unicode text"
 * (UTF-16LE with a BOM, tab-separated), LibreOffice's UTF-8 with LF, and
 * the semicolon files of European locales. RFC 4180 quoting: delimiters,
 * doubled quotes and line breaks inside quoted fields.
 *
 * The file is read in chunks and decoded to UTF-8 as the parser goes;
 * memory stays bounded by one chunk and one record, and a record or a
 * file past the limits stops the reader with a message that says where. */

#define CHUNK 65536

typedef enum
{
  FIELD_START,
  FIELD_UNQUOTED,
  FIELD_QUOTED,
  FIELD_QUOTE_IN_QUOTED,  /* a quote inside a quoted field: the end, or the first of "" */
} FieldState;

struct _LkCsvReader
{
  /* Owned */
  GInputStream *stream;
  GIConv        iconv;          /* (GIConv) -1 when the file is UTF-8 */
  char         *encoding;
  GByteArray   *raw;            /* read, not yet decoded */
  GString      *text;           /* decoded, from text_pos on not yet parsed */
  GString      *record;         /* the current record's fields, each ended by a NUL */
  GArray       *offsets;        /* guint: where each field starts in record */
  GPtrArray    *fields;         /* pointers into record, NULL-terminated */
  GError       *pending_error;  /* a decoding error, raised when the parser reaches it */
  char         *problem;        /* what is wrong with the current record, or NULL */

  gsize         text_pos;
  gsize         max_record;
  gint64        max_file;
  gint64        bytes_read;
  guint         line;           /* the physical line the parser is on, from 1 */
  guint         record_line;    /* where the current record started */
  char          delimiter;
  guint         had_bom : 1;
  guint         eof : 1;        /* the stream has no more bytes */
  guint         skip_lf : 1;    /* a CR ended the last line: a LF right after belongs to it */
  guint         done : 1;       /* the last record was read */
};

const char *
lk_csv_delimiter_name (char delimiter)
{
  switch (delimiter)
    {
    case ',':
      return _("Comma");
    case ';':
      return _("Semicolon");
    case '\t':
      return _("Tab");
    default:
      return "?";
    }
}

static void
set_line_error (LkCsvReader  *self,
                GError      **error,
                guint         line,
                const char   *message)
{
  /* Translators: "line 12: a quoted field is never closed" */
  g_set_error (error, LK_ERROR, LK_ERROR_INVALID, _("line %u: %s"), line, message);
}

/* The bytes at @p (@len of them, at the end of what was read) are the
 * start of a UTF-8 sequence that the next chunk completes. */
static gboolean
incomplete_utf8_tail (const guchar *p,
                      gsize         len)
{
  gsize need;

  if (len == 0 || len > 3)
    return FALSE;
  if (p[0] >= 0xC2 && p[0] <= 0xDF)
    need = 2;
  else if (p[0] >= 0xE0 && p[0] <= 0xEF)
    need = 3;
  else if (p[0] >= 0xF0 && p[0] <= 0xF4)
    need = 4;
  else
    return FALSE;
  if (len >= need)
    return FALSE;
  for (gsize i = 1; i < len; i++)
    if ((p[i] & 0xC0) != 0x80)
      return FALSE;
  return TRUE;
}

/* Whether @data is UTF-8, but for a sequence cut by the end of the chunk. */
static gboolean
looks_like_utf8 (const guchar *data,
                 gsize         len,
                 gboolean      at_end)
{
  const char *end = NULL;

  if (g_utf8_validate_len ((const char *) data, len, &end))
    return TRUE;
  return !at_end && incomplete_utf8_tail ((const guchar *) end, len - ((const guchar *) end - data));
}

static gboolean
read_raw (LkCsvReader   *self,
          GCancellable  *cancellable,
          GError       **error)
{
  gsize old = self->raw->len;
  gsize n = 0;

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
    {
      g_autofree char *limit = g_format_size_full (self->max_file, G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                   _("The file is larger than %s, the most Leadkeeper imports at once: split it into several files"),
                   limit);
      return FALSE;
    }
  return TRUE;
}

static void
set_pending_error (LkCsvReader *self,
                   const char  *message)
{
  if (self->pending_error == NULL)
    self->pending_error = g_error_new_literal (LK_ERROR, LK_ERROR_INVALID, message);
}

static void
invalid_text_error (LkCsvReader *self)
{
  g_autofree char *message = NULL;

  if (self->iconv == (GIConv) -1)
    message = g_strdup (_("the text is not valid UTF-8: choose the file’s encoding (GB18030 for files Excel saved on Chinese Windows)"));
  else
    message = g_strdup_printf (_("the text is not valid %s: choose the file’s encoding"), self->encoding);
  set_pending_error (self, message);
}

/* Moves what can be decoded from raw to text. */
static void
decode (LkCsvReader *self)
{
  gsize used;

  if (self->pending_error != NULL || self->raw->len == 0)
    return;
  if (self->iconv == (GIConv) -1)
    {
      const char *end = NULL;
      const char *data = (const char *) self->raw->data;

      if (g_utf8_validate_len (data, self->raw->len, &end))
        used = self->raw->len;
      else
        {
          used = end - data;
          if (self->eof || !incomplete_utf8_tail ((const guchar *) end, self->raw->len - used))
            invalid_text_error (self);
        }
      g_string_append_len (self->text, data, used);
    }
  else
    {
      char *in = (char *) self->raw->data;
      gsize in_left = self->raw->len;

      while (in_left > 0)
        {
          char out_buf[CHUNK];
          char *out = out_buf;
          gsize out_left = sizeof out_buf;
          gsize rc = g_iconv (self->iconv, &in, &in_left, &out, &out_left);
          int saved = errno;

          g_string_append_len (self->text, out_buf, out - out_buf);
          if (rc != (gsize) -1)
            continue;
          if (saved == E2BIG)
            continue;
          if (saved == EINVAL && !self->eof)
            break;  /* a character cut by the end of the chunk */
          invalid_text_error (self);
          break;
        }
      used = self->raw->len - in_left;
    }
  g_byte_array_remove_range (self->raw, 0, used);
  if (self->eof && self->raw->len > 0 && self->pending_error == NULL)
    invalid_text_error (self);
}

/* Drops the parsed text, reads and decodes the next chunk. */
static gboolean
fill (LkCsvReader   *self,
      GCancellable  *cancellable,
      GError       **error)
{
  g_string_erase (self->text, 0, self->text_pos);
  self->text_pos = 0;
  if (!read_raw (self, cancellable, error))
    return FALSE;
  decode (self);
  return TRUE;
}

static const char *
detect_encoding (LkCsvReader  *self,
                 GError      **error)
{
  const guchar *p = self->raw->data;
  gsize len = self->raw->len;
  guint zero_even = 0, zero_odd = 0;

  if (len >= 4 && memcmp (p, "PK\003\004", 4) == 0)
    {
      g_set_error_literal (error, LK_ERROR, LK_ERROR_INVALID,
                           _("This is an Excel workbook (.xlsx) or another zip file, not a CSV file. In Excel, choose File ▸ Save As ▸ “CSV UTF-8”, then import that file."));
      return NULL;
    }
  if (len >= 4 && memcmp (p, "\xD0\xCF\x11\xE0", 4) == 0)
    {
      g_set_error_literal (error, LK_ERROR, LK_ERROR_INVALID,
                           _("This is an old Excel workbook (.xls), not a CSV file. In Excel, choose File ▸ Save As ▸ “CSV UTF-8”, then import that file."));
      return NULL;
    }
  if (len >= 3 && memcmp (p, "\xEF\xBB\xBF", 3) == 0)
    return "UTF-8";
  if (len >= 2 && p[0] == 0xFF && p[1] == 0xFE)
    return "UTF-16LE";
  if (len >= 2 && p[0] == 0xFE && p[1] == 0xFF)
    return "UTF-16BE";
  /* UTF-16 without a BOM: every other byte of ASCII text is a zero. */
  for (gsize i = 0; i + 1 < MIN (len, 1024); i += 2)
    {
      zero_even += p[i] == 0;
      zero_odd += p[i + 1] == 0;
    }
  if (len >= 4 && zero_odd > len / 8 && zero_even == 0)
    return "UTF-16LE";
  if (len >= 4 && zero_even > len / 8 && zero_odd == 0)
    return "UTF-16BE";
  if (looks_like_utf8 (p, len, self->eof))
    return "UTF-8";
  return "GB18030";
}

static char *
canonical_encoding (const char *encoding)
{
  g_autofree char *up = g_ascii_strup (encoding, -1);

  g_strstrip (up);
  if (g_str_equal (up, "UTF8"))
    return g_strdup ("UTF-8");
  if (g_str_equal (up, "UTF16LE") || g_str_equal (up, "UTF-16"))
    return g_strdup ("UTF-16LE");
  if (g_str_equal (up, "UTF16BE"))
    return g_strdup ("UTF-16BE");
  if (g_str_equal (up, "CP936"))
    return g_strdup ("GBK");
  return g_steal_pointer (&up);
}

/* Skips a byte order mark that matches the encoding. */
static void
skip_bom (LkCsvReader *self)
{
  const guchar *p = self->raw->data;
  gsize len = self->raw->len;
  gsize skip = 0;

  if (g_str_equal (self->encoding, "UTF-8") && len >= 3 && memcmp (p, "\xEF\xBB\xBF", 3) == 0)
    skip = 3;
  else if (g_str_equal (self->encoding, "UTF-16LE") && len >= 2 && p[0] == 0xFF && p[1] == 0xFE)
    skip = 2;
  else if (g_str_equal (self->encoding, "UTF-16BE") && len >= 2 && p[0] == 0xFE && p[1] == 0xFF)
    skip = 2;
  if (skip > 0)
    {
      g_byte_array_remove_range (self->raw, 0, skip);
      self->had_bom = TRUE;
    }
}

/* Counts @delimiter outside quotes on each of the first lines of @text. */
static guint
score_delimiter (const char *text,
                 gsize       len,
                 gboolean    complete,
                 char        delimiter)
{
  guint counts[20];
  guint n_lines = 0, count = 0, same = 0;
  gboolean quoted = FALSE;

  for (gsize i = 0; i < len && n_lines < G_N_ELEMENTS (counts); i++)
    {
      char c = text[i];

      if (c == '"')
        quoted = !quoted;
      else if (quoted)
        continue;
      else if (c == delimiter)
        count++;
      else if (c == '\n' || c == '\r')
        {
          if (c == '\r' && i + 1 < len && text[i + 1] == '\n')
            i++;
          counts[n_lines++] = count;
          count = 0;
        }
    }
  if (complete && count > 0 && n_lines < G_N_ELEMENTS (counts))
    counts[n_lines++] = count;
  if (n_lines == 0 || counts[0] == 0)
    return 0;
  for (guint i = 0; i < n_lines; i++)
    same += counts[i] == counts[0];
  /* Lines that agree with the header count most; then more columns. */
  return same * 1000 + MIN (counts[0], 999);
}

static char
detect_delimiter (LkCsvReader *self)
{
  static const char candidates[] = { ',', ';', '\t' };
  char best = g_str_has_prefix (self->encoding, "UTF-16") ? '\t' : ',';
  guint best_score = 0;

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      guint score = score_delimiter (self->text->str, self->text->len, self->eof, candidates[i]);

      if (score > best_score)
        {
          best_score = score;
          best = candidates[i];
        }
    }
  return best;
}

static LkCsvReader *
reader_new (GInputStream  *stream,
            const char    *encoding,
            char           delimiter,
            GError       **error)
{
  g_autoptr(LkCsvReader) self = g_new0 (LkCsvReader, 1);

  self->stream = g_object_ref (stream);
  self->iconv = (GIConv) -1;
  self->raw = g_byte_array_sized_new (CHUNK * 2);
  self->text = g_string_sized_new (CHUNK * 2);
  self->record = g_string_sized_new (1024);
  self->offsets = g_array_new (FALSE, FALSE, sizeof (guint));
  self->fields = g_ptr_array_new ();
  self->max_record = LK_CSV_MAX_RECORD_BYTES;
  self->max_file = LK_CSV_MAX_FILE_BYTES;
  self->line = 1;

  if (delimiter != 0 && delimiter != ',' && delimiter != ';' && delimiter != '\t' && delimiter != '|')
    {
      g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                   _("“%c” cannot separate fields: use a comma, a semicolon, a tab or |"), delimiter);
      return NULL;
    }
  if (!read_raw (self, NULL, error))
    return NULL;

  if (encoding == NULL || encoding[0] == '\0')
    {
      const char *detected = detect_encoding (self, error);

      if (detected == NULL)
        return NULL;
      self->encoding = g_strdup (detected);
    }
  else
    self->encoding = canonical_encoding (encoding);
  skip_bom (self);
  if (!g_str_equal (self->encoding, "UTF-8"))
    {
      self->iconv = g_iconv_open ("UTF-8", self->encoding);
      if (self->iconv == (GIConv) -1)
        {
          g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                       _("Leadkeeper cannot read text in the encoding “%s”; choose UTF-8, UTF-16LE, GB18030 or Big5"),
                       encoding ? encoding : self->encoding);
          return NULL;
        }
    }
  decode (self);
  /* The delimiter is guessed from the first lines. */
  while (self->text->len < CHUNK && !self->eof && self->pending_error == NULL)
    if (!fill (self, NULL, error))
      return NULL;
  self->delimiter = delimiter != 0 ? delimiter : detect_delimiter (self);
  return g_steal_pointer (&self);
}

/**
 * lk_csv_reader_new:
 * @encoding: (nullable): the file's encoding; %NULL to detect it (UTF-8
 *   with or without BOM, UTF-16 with a BOM, else GB18030)
 * @delimiter: ',', ';', '\t' or '|'; 0 to detect it from the first lines
 *
 * Reads the first chunk of @stream to detect what was not given.
 */
LkCsvReader *
lk_csv_reader_new (GInputStream  *stream,
                   const char    *encoding,
                   char           delimiter,
                   GError       **error)
{
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  return reader_new (stream, encoding, delimiter, error);
}

LkCsvReader *
lk_csv_reader_new_for_path (const char  *path,
                            const char  *encoding,
                            char         delimiter,
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
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY, _("“%s” is a folder, not a CSV file"), path);
      return NULL;
    }
  /* Refused before reading a byte. */
  if (g_file_info_get_size (info) > LK_CSV_MAX_FILE_BYTES)
    {
      g_autofree char *limit = g_format_size_full (LK_CSV_MAX_FILE_BYTES, G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                   _("The file is larger than %s, the most Leadkeeper imports at once: split it into several files"),
                   limit);
      return NULL;
    }
  stream = g_file_read (file, NULL, error);
  if (stream == NULL)
    return NULL;
  return reader_new (G_INPUT_STREAM (stream), encoding, delimiter, error);
}

void
lk_csv_reader_free (LkCsvReader *self)
{
  if (self == NULL)
    return;
  if (self->iconv != (GIConv) -1)
    g_iconv_close (self->iconv);
  g_clear_object (&self->stream);
  g_clear_pointer (&self->encoding, g_free);
  g_byte_array_unref (self->raw);
  g_string_free (self->text, TRUE);
  g_string_free (self->record, TRUE);
  g_array_unref (self->offsets);
  g_ptr_array_unref (self->fields);
  g_clear_error (&self->pending_error);
  g_clear_pointer (&self->problem, g_free);
  g_free (self);
}

/* For tests: smaller limits than the real ones. */
void
lk_csv_reader_set_limits (LkCsvReader *self,
                          gsize        max_record_bytes,
                          gint64       max_file_bytes)
{
  g_return_if_fail (self != NULL);

  self->max_record = max_record_bytes;
  self->max_file = max_file_bytes;
}

static void
end_field (LkCsvReader *self)
{
  guint next;

  g_string_append_c (self->record, '\0');
  next = (guint) self->record->len;
  g_array_append_val (self->offsets, next);
}

static void
end_record (LkCsvReader *self)
{
  end_field (self);
  g_ptr_array_set_size (self->fields, 0);
  /* The last offset is past the end: one per field before it. */
  for (guint i = 0; i + 1 < self->offsets->len; i++)
    g_ptr_array_add (self->fields, self->record->str + g_array_index (self->offsets, guint, i));
  g_ptr_array_add (self->fields, NULL);
}

static void
reset_record (LkCsvReader *self)
{
  guint zero = 0;

  g_string_truncate (self->record, 0);
  g_array_set_size (self->offsets, 0);
  g_array_append_val (self->offsets, zero);
  self->record_line = self->line;
}

static gboolean
record_too_long (LkCsvReader  *self,
                 guint         quote_line,
                 gboolean      quoted,
                 GError      **error)
{
  g_autofree char *limit = g_format_size_full (self->max_record, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *message = NULL;

  if (quoted)
    message = g_strdup_printf (_("a record is longer than %s: the quoted field that starts on this line is probably never closed"),
                               limit);
  else
    message = g_strdup_printf (_("a line is longer than %s; this is not a CSV file Leadkeeper can import"), limit);
  set_line_error (self, error, quoted ? quote_line : self->record_line, message);
  return FALSE;
}

/**
 * lk_csv_reader_next:
 *
 * Reads the next record; its fields are then valid until the next call.
 * Lines with nothing on them are skipped.
 *
 * Returns: %TRUE with a record; %FALSE at the end of the file (@error
 *   unset) or with @error set ("line 12: …")
 */
gboolean
lk_csv_reader_next (LkCsvReader   *self,
                    GCancellable  *cancellable,
                    GError       **error)
{
  FieldState state = FIELD_START;
  gboolean started = FALSE;   /* anything on this record but a line break */
  guint quote_line = 0;
  const char delimiter = self->delimiter;

  g_return_val_if_fail (self != NULL, FALSE);

  reset_record (self);
  g_clear_pointer (&self->problem, g_free);
  if (self->done)
    return FALSE;
  for (;;)
    {
      const char *text;
      gsize len, pos;

      if (self->text_pos >= self->text->len)
        {
          if (self->pending_error != NULL)
            {
              set_line_error (self, error, self->line, self->pending_error->message);
              return FALSE;
            }
          if (self->eof)
            {
              /* The records before it are whole: this one is the file's
               * last, with a problem (lk_csv_reader_get_problem), so that
               * a reader can keep the others and report it. */
              if (state == FIELD_QUOTED)
                {
                  self->problem = g_strdup (_("a quoted field that starts on this line is never closed (a \" is missing)"));
                  self->record_line = quote_line;
                  self->done = TRUE;
                  end_record (self);
                  return TRUE;
                }
              if (!started)
                return FALSE;
              end_record (self);
              return TRUE;
            }
          if (!fill (self, cancellable, error))
            return FALSE;
          continue;
        }

      text = self->text->str;
      len = self->text->len;
      pos = self->text_pos;
      if (self->skip_lf)
        {
          self->skip_lf = FALSE;
          if (text[pos] == '\n')
            {
              self->text_pos++;
              continue;
            }
        }

      switch (state)
        {
        case FIELD_START:
        case FIELD_UNQUOTED:
          {
            gsize run = pos;
            char c;

            /* The common case: plain text up to the next special byte. */
            while (run < len && text[run] != delimiter && text[run] != '\n' && text[run] != '\r' &&
                   text[run] != '"' && text[run] != '\0')
              run++;
            if (run > pos)
              {
                g_string_append_len (self->record, text + pos, run - pos);
                state = FIELD_UNQUOTED;
                started = TRUE;
                pos = run;
                if (self->record->len > self->max_record)
                  return record_too_long (self, quote_line, FALSE, error);
              }
            if (pos >= len)
              break;
            c = text[pos++];
            if (c == delimiter)
              {
                end_field (self);
                state = FIELD_START;
                started = TRUE;
              }
            else if (c == '\n' || c == '\r')
              {
                self->line++;
                self->skip_lf = c == '\r';
                if (started)
                  {
                    self->text_pos = pos;
                    end_record (self);
                    return TRUE;
                  }
                reset_record (self);  /* an empty line */
              }
            else if (c == '"' && state == FIELD_START)
              {
                state = FIELD_QUOTED;
                quote_line = self->line;
                started = TRUE;
              }
            else if (c == '"')
              g_string_append_c (self->record, c);  /* 5" screen: a quote inside a plain field */
            else
              {
                set_line_error (self, error, self->line,
                                _("the file holds a NUL character: it is not a text file"));
                return FALSE;
              }
          }
          break;

        case FIELD_QUOTED:
          {
            gsize run = pos;
            char c;

            while (run < len && text[run] != '"' && text[run] != '\n' && text[run] != '\r' && text[run] != '\0')
              run++;
            g_string_append_len (self->record, text + pos, run - pos);
            pos = run;
            if (pos >= len)
              break;
            c = text[pos++];
            if (c == '"')
              state = FIELD_QUOTE_IN_QUOTED;
            else if (c == '\n' || c == '\r')
              {
                /* A line break inside a cell (Alt+Enter in Excel) */
                self->line++;
                self->skip_lf = c == '\r';
                g_string_append_c (self->record, '\n');
              }
            else
              {
                set_line_error (self, error, self->line,
                                _("the file holds a NUL character: it is not a text file"));
                return FALSE;
              }
          }
          break;

        case FIELD_QUOTE_IN_QUOTED:
        default:
          {
            char c = text[pos];

            if (c == '"')
              {
                g_string_append_c (self->record, '"');
                state = FIELD_QUOTED;
                pos++;
              }
            else
              /* The closing quote: what follows is read as a plain field,
               * so "abc"def gives abcdef, as spreadsheets read it. */
              state = FIELD_UNQUOTED;
          }
          break;
        }
      self->text_pos = pos;
      if (self->record->len > self->max_record)
        return record_too_long (self, quote_line, state == FIELD_QUOTED || state == FIELD_QUOTE_IN_QUOTED, error);
    }
}

guint
lk_csv_reader_get_n_fields (LkCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->fields->len > 0 ? self->fields->len - 1 : 0;
}

/* Returns: (nullable): field @index of the current record, or %NULL past its end */
const char *
lk_csv_reader_get_field (LkCsvReader *self,
                         guint        index)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (index >= lk_csv_reader_get_n_fields (self))
    return NULL;
  return g_ptr_array_index (self->fields, index);
}

/* Returns: (transfer none): the fields of the current record, NULL-terminated */
const char * const *
lk_csv_reader_get_fields (LkCsvReader *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (self != NULL, NULL);
  return self->fields->len > 0 ? (const char * const *) self->fields->pdata : none;
}

/* The physical line (from 1) the current record starts on. */
guint
lk_csv_reader_get_line (LkCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->record_line;
}

/**
 * lk_csv_reader_get_problem:
 *
 * Returns: (nullable): why the record just read is broken (it is the last
 *   one: a quoted field opened on its line, lk_csv_reader_get_line(), runs
 *   to the end of the file), or %NULL for a whole record
 */
const char *
lk_csv_reader_get_problem (LkCsvReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->problem;
}

/* "UTF-8", "UTF-16LE", "GB18030", or the encoding given */
const char *
lk_csv_reader_get_encoding (LkCsvReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->encoding;
}

gboolean
lk_csv_reader_get_had_bom (LkCsvReader *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->had_bom;
}

char
lk_csv_reader_get_delimiter (LkCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->delimiter;
}

/* How far into the file the reader is: for progress. */
gint64
lk_csv_reader_get_bytes_read (LkCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->bytes_read;
}
