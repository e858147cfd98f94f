/* SPDX-License-Identifier: GPL-3.0-or-later */
/* JSON reader benchmark (run on demand, not part of the test command):
 *   _build-rel/tests/bench/bench-json [N_PAGES]      (default 20)
 * or meson test -C _build-rel --benchmark bench-json -v (a release build:
 * meson setup _build-rel --buildtype=release).
 *
 * One page of the sync pull's _changes?include_docs=true answer, 5,000
 * leads of the shape bench-sync seeds (tests/bench/bench-sync.c), read
 * N_PAGES times by json-glib's immutable parser (what the pull used) and
 * by lk_json_parse(), after checking that both give the same tree. The
 * same page with every non-ASCII character written as a \uXXXX escape
 * (as Python's json.dumps writes) is read too, and the raw page one
 * result at a time (each result's text parsed and freed on its own), to
 * show what the size of the whole page's tree costs. Times are medians
 * over the pages of the thread's CPU time (the machine may be busy) for
 * building the tree and for freeing it (the pull frees each page), and
 * of the wall-clock time of both; × compares with json-glib reading the
 * same whole page. Prints a table. */
#include <locale.h>
#include <string.h>
#include <time.h>

#include "lk-json.h"
#include "lk-bench-leads.h"

#define PAGE_LEADS 5000

/* --- Documents, as bench-sync seeds them --------------------------------- */


/* --- The page ------------------------------------------------------------ */

/* A _changes?include_docs=true answer of PAGE_LEADS first revisions;
 * @spans gets the offset and length of each result in it. */
static GString *
make_page (GArray *spans)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240601);
  GString *page = g_string_new ("{\"results\":[\n");
  gint64 now = 1717286400000;

  for (guint i = 0; i < PAGE_LEADS; i++)
    {
      g_autofree char *id = lk_bench_lead_id (rand);
      g_autofree char *rev = g_strdup_printf ("1-%08x%08x%08x%08x", g_rand_int (rand), g_rand_int (rand),
                                              g_rand_int (rand), g_rand_int (rand));

      gsize span[2];

      if (i > 0)
        g_string_append (page, ",\n");
      span[0] = page->len;
      g_string_append_printf (page, "{\"seq\":%u,\"id\":", i + 1);
      lk_bench_append_string (page, id);
      g_string_append (page, ",\"changes\":[{\"rev\":");
      lk_bench_append_string (page, rev);
      g_string_append (page, "}],\"doc\":");
      lk_bench_append_lead (page, rand, i, id, rev, now);
      g_string_append_c (page, '}');
      span[1] = page->len - span[0];
      g_array_append_vals (spans, span, 2);
    }
  g_string_append_printf (page, "\n],\n\"last_seq\":%u,\"pending\":0}\n", PAGE_LEADS);
  return page;
}

/* @page with every character beyond ASCII as a \uXXXX escape (a pair
 * beyond the BMP). */
static GString *
escape_page (GString *page)
{
  GString *out = g_string_sized_new (page->len * 2);

  for (const char *p = page->str; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x80)
        g_string_append_c (out, (char) c);
      else if (c < 0x10000)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_printf (out, "\\u%04x\\u%04x", 0xD800 + ((c - 0x10000) >> 10), 0xDC00 + ((c - 0x10000) & 0x3FF));
    }
  return out;
}

/* --- Timing -------------------------------------------------------------- */

typedef struct
{
  /* medians over the pages, milliseconds */
  double parse_ms;   /* CPU time of this thread building the tree */
  double free_ms;    /* CPU time of this thread freeing it */
  double wall_ms;    /* wall-clock time of both */
} Timing;

static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *samples)
{
  g_array_sort (samples, compare_doubles);
  return g_array_index (samples, double, samples->len / 2);
}

static JsonNode *
parse_json_glib (const char *text,
                 gsize       length)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_data (parser, text, (gssize) length, &error))
    g_error ("json-glib: %s", error->message);
  return json_node_ref (json_parser_get_root (parser));
}

static JsonNode *
parse_lk_json (const char *text,
               gsize       length)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root = lk_json_parse (text, (gssize) length, &error);

  if (root == NULL)
    g_error ("lk_json_parse: %s", error->message);
  return root;
}

typedef JsonNode *(*ParseFunc) (const char *text,
                                gsize       length);

/* The page in one go, or with @spans each result on its own (parsed and
 * freed before the next, as a reader handing out one document at a time
 * would). The pull frees each page's tree, so freeing is timed too. */
static void
read_page (ParseFunc  parse,
           GString   *page,
           GArray    *spans,
           double    *parse_ms,
           double    *free_ms)
{
  guint n = spans != NULL ? spans->len / 2 : 1;

  *parse_ms = *free_ms = 0;
  for (guint i = 0; i < n; i++)
    {
      const char *text = spans != NULL ? page->str + g_array_index (spans, gsize, 2 * i) : page->str;
      gsize length = spans != NULL ? g_array_index (spans, gsize, 2 * i + 1) : page->len;
      double start = cpu_ms ();
      JsonNode *root = parse (text, length);
      double parsed = cpu_ms ();

      json_node_unref (root);
      *parse_ms += parsed - start;
      *free_ms += cpu_ms () - parsed;
    }
}

static Timing
measure (ParseFunc  parse,
         GString   *page,
         GArray    *spans,
         guint      n_pages)
{
  g_autoptr(GArray) parse_samples = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) free_samples = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) wall_samples = g_array_new (FALSE, FALSE, sizeof (double));
  double parse_ms, free_ms;

  read_page (parse, page, spans, &parse_ms, &free_ms);   /* warm up */
  for (guint i = 0; i < n_pages; i++)
    {
      gint64 start = g_get_monotonic_time ();

      read_page (parse, page, spans, &parse_ms, &free_ms);
      g_array_append_val (wall_samples, (double) { (g_get_monotonic_time () - start) / 1000.0 });
      g_array_append_val (parse_samples, parse_ms);
      g_array_append_val (free_samples, free_ms);
    }
  return (Timing) { median (parse_samples), median (free_samples), median (wall_samples) };
}

static void
print_row (const char *what,
           const char *parser,
           GString    *page,
           Timing      timing,
           Timing      baseline)
{
  g_print ("| %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f× | %.2f× |\n", what, parser,
           page->len / 1e6 / (timing.parse_ms / 1000.0), timing.parse_ms, timing.parse_ms * 1000.0 / PAGE_LEADS,
           timing.free_ms, timing.parse_ms + timing.free_ms, timing.wall_ms,
           baseline.parse_ms / timing.parse_ms,
           (baseline.parse_ms + baseline.free_ms) / (timing.parse_ms + timing.free_ms));
}

int
main (int    argc,
      char **argv)
{
  guint n_pages = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 20;
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GString) page = NULL;
  g_autoptr(GString) escaped = NULL;
  GString *pages[2];
  const char *names[2] = { "raw UTF-8 (as pouchdb-server)", "\\uXXXX escapes" };
  Timing glib, ours;

  setlocale (LC_ALL, "");
  if (n_pages == 0)
    n_pages = 20;
  page = make_page (spans);
  escaped = escape_page (page);
  pages[0] = page;
  pages[1] = escaped;

  /* The comparison is only worth something when the trees are the same. */
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autoptr(JsonNode) theirs = parse_json_glib (pages[i]->str, pages[i]->len);
      g_autoptr(JsonNode) ours_tree = parse_lk_json (pages[i]->str, pages[i]->len);

      if (!json_node_equal (theirs, ours_tree))
        g_error ("The trees of the %s page differ", names[i]);
    }

  g_print ("One _changes page: %u leads, %.2f MB raw, %.2f MB escaped; %u reads each, medians.\n\n",
           PAGE_LEADS, page->len / 1e6, escaped->len / 1e6, n_pages);
  g_print ("| page | parser | MB/s parsed | parse ms | parse µs per lead | free ms | parse + free ms "
           "| wall ms | × json-glib, parse | × json-glib, parse + free |\n");
  g_print ("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      glib = measure (parse_json_glib, pages[i], NULL, n_pages);
      ours = measure (parse_lk_json, pages[i], NULL, n_pages);
      print_row (names[i], "json-glib (JsonParser)", pages[i], glib, glib);
      print_row (names[i], "lk_json_parse", pages[i], ours, glib);
    }

  /* Not what the pull does today: the whole page's tree (hundreds of
   * thousands of small blocks) no longer fits in the caches, and much of
   * the time above goes to that. */
  glib = measure (parse_json_glib, page, NULL, n_pages);
  ours = measure (parse_json_glib, page, spans, n_pages);
  print_row ("raw, one result at a time", "json-glib (JsonParser)", page, ours, glib);
  ours = measure (parse_lk_json, page, spans, n_pages);
  print_row ("raw, one result at a time", "lk_json_parse", page, ours, glib);
  return 0;
}
