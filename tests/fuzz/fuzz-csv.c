/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for the CSV reader and what the import does with each
 * field (duplicate keys, amounts, dates, grades). Built with clang only
 * (tests/fuzz/meson.build); build-aux/test runs it for a short while.
 * The first byte picks the encoding the reader is told, or detection. */
#include <stdint.h>

#include "lk-csv.h"
#include "lk-dedup.h"
#include "lk-import.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char * const encodings[] = { NULL, "UTF-8", "GB18030", "UTF-16LE", "UTF-16BE", "BIG5" };
  static const char delimiters[] = { 0, ',', ';', '\t' };
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(LkCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  guint records = 0;

  if (size < 1)
    return 0;
  stream = g_memory_input_stream_new_from_data (g_memdup2 (data + 1, size - 1), (gssize) size - 1, g_free);
  reader = lk_csv_reader_new (stream, encodings[data[0] % G_N_ELEMENTS (encodings)],
                              delimiters[(data[0] / G_N_ELEMENTS (encodings)) % G_N_ELEMENTS (delimiters)], &error);
  if (reader == NULL)
    return 0;
  /* Small limits, so that the limit paths are reached too. */
  lk_csv_reader_set_limits (reader, 4096, 1 << 20);
  while (lk_csv_reader_next (reader, NULL, &error) && records++ < 10000)
    {
      for (guint i = 0; i < lk_csv_reader_get_n_fields (reader); i++)
        {
          const char *field = lk_csv_reader_get_field (reader, i);
          g_autofree char *company = NULL;
          g_autofree char *contact = NULL;
          g_autofree char *email = NULL;
          g_autofree char *phone = NULL;
          const char *grade = NULL;
          gint64 number = 0;

          g_assert (g_utf8_validate (field, -1, NULL));
          company = lk_dedup_company_key (field);
          contact = lk_dedup_contact_key (field);
          email = lk_dedup_email_key (field);
          phone = lk_dedup_phone_key (field, "CN");
          lk_import_parse_amount (field, 10000, &number);
          lk_import_parse_date (field, tz, &number);
          lk_import_parse_grade (field, &grade);
          lk_import_guess_target (field);
        }
      g_assert (lk_csv_reader_get_line (reader) >= 1);
    }
  return 0;
}
