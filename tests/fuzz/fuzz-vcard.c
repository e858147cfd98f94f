/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for the vCard reader, and the writer over what it
 * read. Built with clang only (tests/fuzz/meson.build); build-aux/test
 * runs it for a short while. The first byte picks the limits. */
#include <stdint.h>

#include "lk-vcard.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(LkVcardReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  guint cards = 0;

  if (size < 1)
    return 0;
  stream = g_memory_input_stream_new_from_data (g_memdup2 (data + 1, size - 1), (gssize) size - 1, g_free);
  reader = lk_vcard_reader_new (stream, &error);
  if (reader == NULL)
    return 0;
  /* Small limits, so that the limit paths are reached too. */
  if (data[0] & 1)
    lk_vcard_reader_set_limits (reader, 512, 1 << 20);
  else
    lk_vcard_reader_set_limits (reader, 8192, 1 << 20);
  while (lk_vcard_reader_next (reader, NULL, &error) && cards++ < 10000)
    {
      const char * const *fields = lk_vcard_reader_get_fields (reader);
      g_autoptr(LkLead) lead = lk_lead_new ();
      g_autofree char *card = NULL;

      for (guint i = 0; i < LK_VCARD_N_FIELDS; i++)
        g_assert (fields[i] != NULL && g_utf8_validate (fields[i], -1, NULL));
      g_assert (fields[LK_VCARD_N_FIELDS] == NULL);
      g_assert (lk_vcard_reader_get_line (reader) >= 1);
      if (lk_vcard_reader_get_problem (reader) != NULL)
        g_assert (lk_vcard_reader_get_problem_line (reader) >= 1);

      /* What was read, written again, is one card that reads back. */
      lk_record_set_string (LK_RECORD (lead), LK_LEAD_CONTACT, fields[LK_VCARD_CONTACT]);
      lk_record_set_string (LK_RECORD (lead), LK_LEAD_COMPANY, fields[LK_VCARD_COMPANY]);
      lk_record_set_string (LK_RECORD (lead), LK_LEAD_NOTES, fields[LK_VCARD_NOTES]);
      lk_record_set_string (LK_RECORD (lead), LK_LEAD_REGION, fields[LK_VCARD_REGION]);
      card = lk_vcard_from_lead (lead, (data[0] & 2) ? LK_VCARD_VERSION_3 : LK_VCARD_VERSION_4);
      g_assert (g_utf8_validate (card, -1, NULL));
      {
        g_autoptr(GInputStream) again_stream = g_memory_input_stream_new_from_data (card, -1, NULL);
        g_autoptr(LkVcardReader) again = lk_vcard_reader_new (again_stream, NULL);
        g_autoptr(GError) again_error = NULL;

        g_assert (lk_vcard_reader_next (again, NULL, &again_error));
        g_assert (lk_vcard_reader_get_problem (again) == NULL);
      }
    }
  return 0;
}
