/* SPDX-License-Identifier: GPL-3.0-or-later */
/* UI benchmark (run on demand under a display, not part of the test command):
 *   xvfb-run -a _build/tests/bench/bench-ui _build/src/ui/leadkeeper [N_LEADS]
 * LEADKEEPER_BENCH_DB=FILE reuses (or keeps) the generated database.
 * Prints a table of timings against the board's targets. */
#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lk-context.h"
#include "lk-demo.h"
#include "lk-window.h"

static gboolean painted;
static double last_cpu_ms;

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       data)
{
  painted = TRUE;
}

/* What the column headers say, all of them */
static char *
headers (LkBoard *board)
{
  static const char * const stages[] = { "new", "assigned", "contacted", "qualified", "proposal", "won", "lost" };
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (stages); i++)
    {
      LkStageColumn *column = lk_board_get_column (board, stages[i]);

      if (column != NULL)
        g_string_append_printf (text, "%s %s|", lk_stage_column_get_count_text (column),
                                lk_stage_column_get_sum_text (column));
    }
  return g_string_free (text, FALSE);
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs @action, then the main loop until the next frame is painted and,
 * when @board is given, until its column headers are added up (on a
 * worker) and painted too. */
static double
time_to_paint (GtkWidget *widget,
               LkBoard   *board,
               void     (*action) (gpointer),
               gpointer   data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gulong handler;
  gint64 start, deadline, end;
  struct timespec cpu0, cpu1;

  while (g_main_context_iteration (NULL, FALSE))
    ;
  painted = FALSE;
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
  start = g_get_monotonic_time ();
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &cpu0);
  action (data);
  if (g_getenv ("LEADKEEPER_BENCH_VERBOSE"))
    g_print ("(action %.1f ms) ", (g_get_monotonic_time () - start) / 1000.0);
  gtk_widget_queue_draw (widget);
  deadline = start + 10 * G_USEC_PER_SEC;
  while (!painted && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  end = g_get_monotonic_time ();
  if (board != NULL && lk_board_get_totals_pending (board))
    {
      g_autofree char *shown = headers (board);
      g_autofree char *counted = NULL;
      guint wake;

      while (lk_board_get_totals_pending (board) && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      /* The frame painted had the right headers already (a move shows its
       * two at once): the board was up to date then. */
      counted = headers (board);
      if (g_getenv ("LEADKEEPER_BENCH_VERBOSE"))
        g_print ("(cards painted %.1f ms, headers counted %.1f ms) ", (end - start) / 1000.0,
                 (g_get_monotonic_time () - start) / 1000.0);
      if (g_str_equal (shown, counted))
        goto done;
      /* The new counts are in the labels: the frame that shows them. */
      end = g_get_monotonic_time ();
      painted = FALSE;
      wake = g_timeout_add (100, wake_cb, NULL);
      while (!painted && g_get_monotonic_time () < end + 100 * 1000)
        g_main_context_iteration (NULL, TRUE);
      g_source_remove (wake);
      if (painted)
        end = g_get_monotonic_time ();
    }
done:
  g_signal_handler_disconnect (clock, handler);
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &cpu1);
  last_cpu_ms = (cpu1.tv_sec - cpu0.tv_sec) * 1000.0 + (cpu1.tv_nsec - cpu0.tv_nsec) / 1e6;
  return (end - start) / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
p95 (GArray *samples)
{
  g_array_sort (samples, compare_doubles);
  return g_array_index (samples, double, (guint) ((samples->len - 1) * 0.95));
}

typedef struct
{
  LkWindow   *window;
  const char *text;
  LkLead     *lead;
  const char *stage;
} Step;

static void
search_step (gpointer data)
{
  Step *step = data;

  lk_window_set_search (step->window, step->text);
}

static void
nothing_step (gpointer data)
{
}

static void
drop_step (gpointer data)
{
  Step *step = data;

  lk_board_drop_lead (lk_window_get_board (step->window), step->lead, step->stage);
}

/* Starts the real app on @db and reads its own "start to first frame"
 * line (LEADKEEPER_PROFILE=1) and its resident memory. */
static gboolean
measure_app (const char *app,
             const char *db,
             double     *first_frame_ms,
             double     *rss_mb)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                                                         G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) input = NULL;
  g_autofree char *line = NULL;
  gboolean found = FALSE;

  g_subprocess_launcher_setenv (launcher, "LEADKEEPER_PROFILE", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, app, "--db", db, NULL);
  if (process == NULL)
    {
      g_printerr ("Cannot start %s: %s\n", app, error->message);
      return FALSE;
    }
  input = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));
  while (!found && (line = g_data_input_stream_read_line_utf8 (input, NULL, NULL, NULL)) != NULL)
    {
      const char *mark = strstr (line, "profile: start to first frame: ");

      if (mark != NULL)
        {
          *first_frame_ms = g_ascii_strtod (mark + strlen ("profile: start to first frame: "), NULL);
          found = TRUE;
        }
      g_clear_pointer (&line, g_free);
    }
  if (found)
    {
      g_autofree char *status_path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (process));
      g_autofree char *status = NULL;
      const char *rss;

      g_usleep (G_USEC_PER_SEC);  /* let it settle after the first frame */
      if (g_file_get_contents (status_path, &status, NULL, NULL) && (rss = strstr (status, "VmRSS:")) != NULL)
        *rss_mb = g_ascii_strtod (rss + 6, NULL) / 1024.0;
    }
  g_subprocess_force_exit (process);
  g_subprocess_wait (process, NULL, NULL);
  return found;
}

int
main (int    argc,
      char **argv)
{
  static const char * const keystrokes[] = {
    "华", "华信", "华信科", "", "北", "北京", "", "W", "We", "Web", "Weber", "", "苏", "苏州", "",
  };
  const char *app = argc > 1 && argv[1][0] != '\0' && !g_str_equal (argv[1], "-") ? argv[1] : NULL;
  guint n_leads = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 100000;
  const char *kept = g_getenv ("LEADKEEPER_BENCH_DB");
  guint rounds = MAX (1, (guint) g_ascii_strtoull (g_getenv ("LEADKEEPER_BENCH_ROUNDS") ? g_getenv ("LEADKEEPER_BENCH_ROUNDS") : "1", NULL, 10));
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkContext) context = NULL;
  g_autoptr(GArray) drops = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) frames = g_array_new (FALSE, FALSE, sizeof (double));
  double first_frame = -1, rss = -1, in_process_first = 0;
  LkWindow *window;
  gint64 start;

  setlocale (LC_ALL, "");
  gtk_init ();
  adw_init ();

  if (kept != NULL)
    path = g_strdup (kept);
  else
    {
      dir = g_dir_make_tmp ("lk-bench-ui-XXXXXX", &error);
      g_assert_no_error (error);
      path = g_build_filename (dir, "bench.db", NULL);
    }
  context = lk_context_new (path, NULL, &error);
  g_assert_no_error (error);
  if (lk_store_count_leads (lk_context_get_store (context), NULL) < n_leads)
    {
      g_print ("Generating %u leads…\n", n_leads);
      if (!lk_demo_generate (lk_context_get_store (context), n_leads, 1, NULL, NULL, NULL, &error))
        g_error ("%s", error->message);
    }
  lk_context_mark_started (context, NULL);
  g_clear_object (&context);

  if (app != NULL && !measure_app (app, path, &first_frame, &rss))
    g_printerr ("The app did not report its first frame\n");

  /* In this process: the window over the same database. */
  start = g_get_monotonic_time ();
  context = lk_context_new (path, NULL, &error);
  g_assert_no_error (error);
  window = g_object_new (LK_TYPE_WINDOW, "context", context, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  {
    GdkFrameClock *clock;
    gulong handler;

    gtk_window_present (GTK_WINDOW (window));
    clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
    painted = FALSE;
    handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
    while (!painted)
      g_main_context_iteration (NULL, TRUE);
    g_signal_handler_disconnect (clock, handler);
    in_process_first = (g_get_monotonic_time () - start) / 1000.0;
  }

  /* A frame with nothing changed: what the renderer alone costs here
   * (under Xvfb, Mesa's software rasteriser draws every frame). */
  for (guint i = 0; i < 10; i++)
    g_array_append_val (frames, (double) { time_to_paint (GTK_WIDGET (window), NULL, nothing_step, NULL) });

  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(GListModel) column = NULL;
      const char *from = i % 2 ? "qualified" : "contacted";
      Step step = { window, NULL, NULL, i % 2 ? "contacted" : "qualified" };
      GListModel *leads = G_LIST_MODEL (lk_stage_column_get_leads (lk_board_get_column (lk_window_get_board (window), from)));

      step.lead = g_list_model_get_item (leads, 0);
      g_array_append_val (drops, (double) { time_to_paint (GTK_WIDGET (window), lk_window_get_board (window), drop_step, &step) });
      g_object_unref (step.lead);
    }
  /* LEADKEEPER_BENCH_ROUNDS=N types the words N times (for a profiler). */
  for (guint i = 0; i < G_N_ELEMENTS (keystrokes) * rounds; i++)
    {
      Step step = { window, keystrokes[i % G_N_ELEMENTS (keystrokes)], NULL, NULL };

      double ms = time_to_paint (GTK_WIDGET (window), lk_window_get_board (window), search_step, &step);

      g_array_append_val (keys, ms);
      if (g_getenv ("LEADKEEPER_BENCH_VERBOSE"))
        g_print ("  search “%s”: %.1f ms (cpu %.1f ms)\n", step.text, ms, last_cpu_ms);
    }

  g_print ("\nLeadkeeper board benchmark, %u leads\n\n", n_leads);
  g_print ("| %-36s | %-5s | %10s | %8s | %-4s |\n", "measure", "stat", "measured", "target", "");
  g_print ("|--------------------------------------|-------|------------|----------|------|\n");
  if (first_frame >= 0)
    g_print ("| %-36s | %-5s | %7.0f ms | %5d ms | %-4s |\n", "app start to first frame", "once", first_frame, 1500,
             first_frame <= 1500 ? "ok" : "MISS");
  g_print ("| %-36s | %-5s | %7.0f ms | %8s | %-4s |\n", "window over database to first frame", "once",
           in_process_first, "", "");
  g_print ("| %-36s | %-5s | %7.1f ms | %8s | %-4s |\n", "a frame with nothing changed", "p95", p95 (frames), "", "");
  g_print ("| %-36s | %-5s | %7.1f ms | %5d ms | %-4s |\n", "drop to repainted board", "p95", p95 (drops), 50,
           p95 (drops) <= 50 ? "ok" : "MISS");
  g_print ("| %-36s | %-5s | %7.1f ms | %5d ms | %-4s |\n", "search keystroke to updated board", "p95", p95 (keys),
           100, p95 (keys) <= 100 ? "ok" : "MISS");
  if (rss >= 0)
    g_print ("| %-36s | %-5s | %7.0f MB | %5d MB | %-4s |\n", "app resident memory after start", "once", rss, 250,
             rss <= 250 ? "ok" : "MISS");
  g_print ("\n");

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&context);
  if (kept == NULL)
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
