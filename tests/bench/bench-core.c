/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Core benchmark (run on demand, not part of the test command):
 *   meson test -C _build --benchmark --suite bench -v
 * or run _build/tests/bench/bench-core [N_LEADS] directly.
 * Prints a table of timings against the targets of the foundation work. */
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>

#include "lk-context.h"
#include "lk-demo.h"
#include "lk-store-merge.h"

typedef struct
{
  const char *what;
  double      value;   /* milliseconds */
  double      target;  /* milliseconds */
  const char *stat;
} Row;

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *samples,
            double  p)
{
  g_array_sort (samples, compare_doubles);
  return g_array_index (samples, double, (guint) ((samples->len - 1) * p));
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

int
main (int    argc,
      char **argv)
{
  static const char * const searches[] = {
    "华信", "科技有限", "李", "Weber", "sales12", "价格敏感", "苏州 医疗", "Northwind", "+86138", "采购经理",
  };
  guint n_leads = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("lk-bench-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "bench.db", NULL);
  g_autoptr(LkContext) context = NULL;
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(LkLeadQuery) query = lk_lead_query_new ();
  Row rows[6];
  LkStore *store;
  double t;

  setlocale (LC_ALL, "");
  context = lk_context_new (path, NULL, &error);
  g_assert_no_error (error);
  store = lk_context_get_store (context);

  /* 1. Generation of realistic leads with history, follow-ups, outbox. */
  t = now_ms ();
  if (!lk_demo_generate (store, n_leads, 1, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);
  rows[0] = (Row) { "demo generation", now_ms () - t, 3000, "total" };

  /* 2. Ordered ids of one board column (default order: urgency). */
  for (guint i = 0; i < 50; i++)
    {
      static const char * const stages[] = { "new", "assigned", "contacted", "qualified", "proposal" };
      g_autoptr(GArray) ids = NULL;

      lk_lead_query_set_stage (query, stages[i % G_N_ELEMENTS (stages)]);
      t = now_ms ();
      ids = lk_store_query_rowids (store, query, &error);
      g_assert_no_error (error);
      g_array_append_val (samples, (double) { now_ms () - t });
    }
  rows[1] = (Row) { "column ids (one stage)", percentile (samples, 0.95), 30, "p95" };
  lk_lead_query_set_stage (query, NULL);

  /* 3. Full-text search over all leads, as typed in the search entry. */
  g_array_set_size (samples, 0);
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(GArray) ids = NULL;

      lk_lead_query_set_search (query, searches[i % G_N_ELEMENTS (searches)]);
      t = now_ms ();
      ids = lk_store_query_rowids (store, query, &error);
      g_assert_no_error (error);
      g_array_append_val (samples, (double) { now_ms () - t });
    }
  rows[2] = (Row) { "full-text search", percentile (samples, 0.95), 20, "p95" };
  lk_lead_query_set_search (query, NULL);

  /* 4. One stage move: row, stage change, outbox in one transaction. */
  g_array_set_size (samples, 0);
  {
    g_autoptr(GPtrArray) leads = NULL;

    lk_lead_query_set_stage (query, "contacted");
    leads = lk_store_query_leads (store, query, 200, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < leads->len; i++)
      {
        const char *id = lk_record_get_id (g_ptr_array_index (leads, i));

        t = now_ms ();
        if (!lk_store_move_lead (store, id, g_rand_boolean (rand) ? "qualified" : "proposal", NULL, &error))
          g_error ("%s", error->message);
        g_array_append_val (samples, (double) { now_ms () - t });
      }
  }
  rows[3] = (Row) { "one stage move", percentile (samples, 0.95), 2, "p95" };

  /* 5. The duplicates view: every group of the whole database. */
  {
    g_autoptr(GPtrArray) groups = NULL;

    t = now_ms ();
    groups = lk_store_scan_duplicates (store, NULL, &error);
    g_assert_no_error (error);
    rows[4] = (Row) { "duplicate scan", now_ms () - t, 1000, "total" };
    g_print ("duplicate scan: %u groups\n", groups->len);
  }

  /* 6. The editor's check while typing: the leads a lead may duplicate. */
  g_array_set_size (samples, 0);
  {
    g_autoptr(GPtrArray) leads = NULL;

    lk_lead_query_set_stage (query, NULL);
    leads = lk_store_query_leads (store, query, 200, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < leads->len; i++)
      {
        g_autoptr(LkLead) typed = lk_lead_copy (g_ptr_array_index (leads, i));
        g_autoptr(GPtrArray) found = NULL;

        lk_record_set_id (LK_RECORD (typed), NULL);
        t = now_ms ();
        found = lk_store_find_duplicates_of (store, typed, 5, &error);
        g_assert_no_error (error);
        g_array_append_val (samples, (double) { now_ms () - t });
      }
  }
  rows[5] = (Row) { "duplicate check (typing)", percentile (samples, 0.95), 5, "p95" };

  g_print ("\nLeadkeeper core benchmark, %u leads (%s)\n\n", n_leads, path);
  g_print ("| %-24s | %-5s | %12s | %10s | %-4s |\n", "measure", "stat", "measured ms", "target ms", "");
  g_print ("|--------------------------|-------|--------------|------------|------|\n");
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_print ("| %-24s | %-5s | %12.2f | %10.0f | %-4s |\n", rows[i].what, rows[i].stat, rows[i].value,
             rows[i].target, rows[i].value <= rows[i].target ? "ok" : "MISS");
  g_print ("\n");

  g_clear_object (&context);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (path);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }
  return 0;
}
