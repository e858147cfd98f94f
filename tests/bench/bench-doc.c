/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Document ⇄ record benchmark (run on demand, not part of the test command):
 *   _build/tests/bench/bench-doc [N_LEADS [ROUNDS]]     (default 100,000 and 3)
 * or meson test -C _build --benchmark bench-doc -v.
 *
 * N_LEADS version-1 lead documents shaped like bench-sync's seeded leads
 * (the same generator, plus the "_rev" a pulled document carries) are
 * parsed in pages of 500 by an immutable parser, as the sync client parses
 * a page of _changes. Each page is read by lk_doc_to_record() and written
 * back by lk_doc_from_record(), first each direction over the whole page
 * (the first two columns), then one document after the other with both
 * frees, as the sync client's apply does (the third column; GLib 2.74's
 * slice allocator serves a few nodes freed just before faster than a
 * page's worth). A second set has, in every document, members this
 * version does not know (top-level and inside "bant"), which are carried
 * in the record's "extra". Only the conversions are timed, in CPU time of
 * this thread; the table gives µs per document, best and median of ROUNDS.
 * The digest is of every written document's text: equal digests before and
 * after a change to lk-doc mean the same documents came out. */
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lk-doc.h"
#include "lk-bench-leads.h"

#define PAGE_SIZE  500
#define NOW_MS     G_GINT64_CONSTANT (1717200000000)   /* fixed, for a stable digest */


/* Members another program may have added: kept in "extra", written back. */
static void
append_unknown (GString *out,
                guint    i)
{
  g_string_truncate (out, out->len - 1);
  g_string_append_printf (out, ",\"utm\":{\"source\":\"baidu\",\"medium\":\"cpc\",\"id\":%u}"
                          ",\"wechat_openid\":\"o%08u\",\"website_score\":%u.5}", i, i, i % 100);
  /* …and one unknown key in the known object "bant". */
  {
    const char *bant = strstr (out->str, "\"bant\":{");

    g_assert (bant != NULL);
    g_string_insert (out, bant - out->str + 8, "\"champion\":\"李伟\",");
  }
}

static double
cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

typedef struct
{
  double to_us;     /* lk_doc_to_record, summed */
  double from_us;   /* lk_doc_from_record, summed */
  double both_us;   /* both and the frees, one document after the other */
} Times;

/* One pass over @n_leads documents. With @digest, every written document's
 * text goes into it (not timed). */
static Times
run (guint      n_leads,
     gboolean   unknown,
     GChecksum *digest)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240601);
  Times times = { 0, 0, 0 };

  for (guint first = 0; first < n_leads; first += PAGE_SIZE)
    {
      g_autoptr(GString) page = g_string_new ("[");
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
      g_autoptr(GError) error = NULL;
      guint last = MIN (first + PAGE_SIZE, n_leads);
      JsonArray *array;
      double t;

      for (guint i = first; i < last; i++)
        {
          g_autofree char *id = lk_bench_lead_id (rand);
          g_autoptr(GString) doc = g_string_new (NULL);

          lk_bench_append_lead (doc, rand, i, id, NULL, NOW_MS);
          /* The revision a pulled document carries, after "_id". */
          g_string_insert (doc, strlen ("{\"_id\":") + strlen (id) + 2,
                           ",\"_rev\":\"1-967a00dff5e02add41819138abb3284d\"");
          if (unknown)
            append_unknown (doc, i);
          if (i > first)
            g_string_append_c (page, ',');
          g_string_append_len (page, doc->str, doc->len);
        }
      g_string_append_c (page, ']');
      if (!json_parser_load_from_data (parser, page->str, page->len, &error))
        g_error ("%s", error->message);
      array = json_node_get_array (json_parser_get_root (parser));

      t = cpu_us ();
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          LkRecord *record = lk_doc_to_record (json_array_get_object_element (array, i), &error);

          if (record == NULL)
            g_error ("%s", error->message);
          g_ptr_array_add (records, record);
        }
      times.to_us += cpu_us () - t;

      t = cpu_us ();
      for (guint i = 0; i < records->len; i++)
        g_ptr_array_add (docs, lk_doc_from_record (records->pdata[i]));
      times.from_us += cpu_us () - t;

      /* As the sync client applies a page: each document read, written
       * back in canonical form, both freed before the next. */
      t = cpu_us ();
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autoptr(LkRecord) record = lk_doc_to_record (json_array_get_object_element (array, i), NULL);
          g_autoptr(JsonObject) doc = lk_doc_from_record (record);
        }
      times.both_us += cpu_us () - t;

      for (guint i = 0; digest != NULL && i < docs->len; i++)
        {
          g_autofree char *text = lk_doc_to_string (docs->pdata[i], FALSE);

          g_checksum_update (digest, (const guchar *) text, -1);
        }
    }
  return times;
}

int
main (int    argc,
      char **argv)
{
  guint n_leads = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  guint rounds = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 3;
  static const char * const sets[] = { "seeded leads", "with unknown members" };

  setlocale (LC_ALL, "");
  if (n_leads == 0 || rounds == 0)
    g_error ("usage: bench-doc [N_LEADS [ROUNDS]]");

  printf ("%u lead documents, %u rounds, CPU time per document (best / median)\n\n", n_leads, rounds);
  printf ("| documents | lk_doc_to_record | lk_doc_from_record | both, interleaved, frees included | digest |\n");
  printf ("|---|---|---|---|---|\n");
  for (guint set = 0; set < G_N_ELEMENTS (sets); set++)
    {
      g_autoptr(GArray) to = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) from = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) both = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GChecksum) digest = g_checksum_new (G_CHECKSUM_SHA256);

      for (guint r = 0; r < rounds; r++)
        {
          Times times = run (n_leads, set == 1, r == 0 ? digest : NULL);
          double to_us = times.to_us / n_leads;
          double from_us = times.from_us / n_leads;
          double both_us = times.both_us / n_leads;

          g_array_append_val (to, to_us);
          g_array_append_val (from, from_us);
          g_array_append_val (both, both_us);
        }
      g_array_sort (to, compare_doubles);
      g_array_sort (from, compare_doubles);
      g_array_sort (both, compare_doubles);
      printf ("| %s | %.2f µs / %.2f µs | %.2f µs / %.2f µs | %.2f µs / %.2f µs | %.12s |\n", sets[set],
              g_array_index (to, double, 0), g_array_index (to, double, to->len / 2),
              g_array_index (from, double, 0), g_array_index (from, double, from->len / 2),
              g_array_index (both, double, 0), g_array_index (both, double, both->len / 2),
              g_checksum_get_string (digest));
      fflush (stdout);
    }
  return 0;
}
