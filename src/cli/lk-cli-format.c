/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-cli"

#include "lk-cli-private.h"

/* Text for people: amounts, local times, stage names and tables whose
 * columns line up in a terminal, where a Chinese character takes two
 * cells and a combining mark none. */

struct _LkCliTable
{
  guint      n_columns;
  guint64    right_aligned;  /* one bit per column */

  /* Owned */
  GPtrArray *rows;           /* GStrv of n_columns cells */
};

/* The number of terminal cells @text takes. */
gsize
lk_cli_display_width (const char *text)
{
  gsize width = 0;

  for (const char *p = text; p != NULL && *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

/* 125050 → "1250.50 CNY"; without a currency, "1250.50" */
char *
lk_cli_format_money (gint64      minor,
                     const char *currency)
{
  guint64 magnitude = minor < 0 ? -(guint64) minor : (guint64) minor;
  const char *sign = minor < 0 ? "-" : "";

  if (currency == NULL || currency[0] == '\0')
    return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%02u", sign, magnitude / 100,
                            (guint) (magnitude % 100));
  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%02u %s", sign, magnitude / 100,
                          (guint) (magnitude % 100), currency);
}

/* Unix ms → "2024-05-03 14:30" in the local time zone; "" for no time */
char *
lk_cli_format_time (LkCli  *cli,
                    gint64  ms)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GTimeZone) tz = NULL;

  if (ms == 0)
    return g_strdup ("");
  utc = g_date_time_new_from_unix_utc (ms / 1000);
  if (utc == NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT, ms);
  if (cli->context != NULL)
    tz = g_time_zone_ref (lk_clock_get_timezone (lk_context_get_clock (cli->context)));
  else
    tz = g_time_zone_new_local ();
  local = g_date_time_to_timezone (utc, tz);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

/* The stage's name in the user's language; an unknown id as it is. */
const char *
lk_cli_stage_name (LkCli      *cli,
                   const char *stage_id)
{
  LkStage *stage = NULL;

  if (stage_id == NULL)
    return "";
  if (cli->context != NULL)
    stage = lk_pipeline_lookup (lk_context_get_pipeline (cli->context), stage_id);
  return stage != NULL ? lk_stage_get_name (stage) : stage_id;
}

LkCliTable *
lk_cli_table_new (guint n_columns)
{
  LkCliTable *table = g_new0 (LkCliTable, 1);

  g_assert (n_columns > 0 && n_columns <= 64);
  table->n_columns = n_columns;
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  return table;
}

void
lk_cli_table_free (LkCliTable *table)
{
  g_ptr_array_unref (table->rows);
  g_free (table);
}

void
lk_cli_table_align_right (LkCliTable *table,
                          guint       column)
{
  g_assert (column < table->n_columns);
  table->right_aligned |= G_GUINT64_CONSTANT (1) << column;
}

/* @cells: n_columns strings; %NULL ones are empty */
void
lk_cli_table_add_row (LkCliTable         *table,
                      const char * const *cells)
{
  char **row = g_new0 (char *, table->n_columns + 1);

  for (guint i = 0; i < table->n_columns; i++)
    row[i] = g_strdup (cells[i] ? cells[i] : "");
  g_ptr_array_add (table->rows, row);
}

static void
append_spaces (GString *line,
               gsize    n)
{
  for (gsize i = 0; i < n; i++)
    g_string_append_c (line, ' ');
}

void
lk_cli_table_print (LkCliTable *table)
{
  g_autofree gsize *widths = g_new0 (gsize, table->n_columns);

  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);

      for (guint c = 0; c < table->n_columns; c++)
        widths[c] = MAX (widths[c], lk_cli_display_width (row[c]));
    }

  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint c = 0; c < table->n_columns; c++)
        {
          gsize pad = widths[c] - lk_cli_display_width (row[c]);
          gboolean right = (table->right_aligned >> c) & 1;

          if (c > 0)
            g_string_append (line, "  ");
          if (right)
            append_spaces (line, pad);
          g_string_append (line, row[c]);
          if (!right && c + 1 < table->n_columns)
            append_spaces (line, pad);
        }
      /* No trailing blanks when the last cells are empty. */
      while (line->len > 0 && line->str[line->len - 1] == ' ')
        g_string_truncate (line, line->len - 1);
      g_print ("%s\n", line->str);
    }
}
