/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <locale.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "lk-context.h"
#include "lk-demo.h"
#include "lk-report-render.h"
#include "dashboard/lk-chart-card.h"
#include "dashboard/lk-dashboard-view.h"
#include "dashboard/lk-report-chart.h"
#include "dashboard/lk-report-table-view.h"

/* The dashboard over sample data, in a real window under Xvfb: it shows
 * what the core computes (the numbers of lk_report_compute() on the same
 * database), its tables show the same numbers as its charts, it keeps
 * the last report while a bad custom period is refused, and it follows
 * the store. With LK_SHOT_DIR set, it saves what it drew as
 * dashboard-light.png and dashboard-dark.png there. */

typedef struct
{
  char            *dir;
  LkContext       *context;
  LkDashboardView *view;
  GtkWindow       *window;
} Fixture;

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
wait_for_report (Fixture  *f,
                 LkReport *old)
{
  while (lk_dashboard_view_get_report (f->view) == NULL ||
         lk_dashboard_view_get_report (f->view) == old ||
         lk_dashboard_view_get_computing (f->view))
    g_main_context_iteration (NULL, TRUE);
  iterate ();
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("wt-dashboard-ui-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "test.db", NULL);
  f->context = lk_context_new (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (lk_demo_generate (lk_context_get_store (f->context), 300, 7, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  f->view = lk_dashboard_view_new (f->context);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1300, 1000);
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  gtk_window_present (f->window);
  lk_dashboard_view_set_period (f->view, LK_REPORT_PERIOD_THIS_YEAR);
  wait_for_report (f, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *db = g_build_filename (f->dir, "test.db", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);

  gtk_window_destroy (f->window);
  iterate ();
  g_clear_object (&f->context);
  iterate ();
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (db);
  g_rmdir (f->dir);
  g_free (f->dir);
}

static gboolean
quit_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* The X screen as a person sees it (ImageMagick's import), after the
 * window has drawn a few frames. Only for looking at; asserts nothing. */
static void
save_shot (Fixture    *f,
           const char *name)
{
  const char *dir = g_getenv ("LK_SHOT_DIR");
  g_autofree char *path = NULL;
  g_autofree char *command = NULL;
  gboolean done = FALSE;

  if (dir == NULL)
    return;
  g_timeout_add (700, quit_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  path = g_build_filename (dir, name, NULL);
  command = g_strdup_printf ("import -window root %s", path);
  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
}

static void
test_shows_core_numbers (Fixture       *f,
                         gconstpointer  data)
{
  LkReport *shown = lk_dashboard_view_get_report (f->view);
  g_autoptr(LkReport) core = NULL;
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  g_autoptr(GError) error = NULL;
  LkChartCard *funnel = LK_CHART_CARD (lk_dashboard_view_get_card (f->view, LK_REPORT_FUNNEL));
  LkReportTableView *table = LK_REPORT_TABLE_VIEW (lk_chart_card_get_table (funnel));
  LkReportFunnelRow *first;
  g_autofree char *reached = NULL;
  g_autofree char *tooltip = NULL;

  core = lk_report_compute (lk_context_get_store (f->context), lk_report_get_query (shown), NULL, &error);
  g_assert_no_error (error);
  a = lk_report_to_json (shown);
  b = lk_report_to_json (core);
  g_assert_true (json_node_equal (a, b));
  g_assert_cmpint (lk_report_get_kpis (shown)->new_leads, >, 0);

  /* The chart and its table carry the same numbers. */
  g_assert_true (lk_report_chart_get_report (LK_REPORT_CHART (lk_chart_card_get_chart (funnel))) == shown);
  g_assert_false (lk_chart_card_get_show_table (funnel));
  lk_chart_card_set_show_table (funnel, TRUE);
  iterate ();
  g_assert_true (lk_chart_card_get_show_table (funnel));
  first = g_ptr_array_index (lk_report_get_funnel (shown), 0);
  reached = g_strdup_printf ("%" G_GINT64_FORMAT, first->reached);
  g_assert_cmpstr (gtk_label_get_text (lk_report_table_view_get_cell (table, 1, 0)), ==, first->name);
  g_assert_cmpstr (gtk_label_get_text (lk_report_table_view_get_cell (table, 1, 1)), ==, reached);
  tooltip = lk_report_chart_describe (shown, LK_REPORT_FUNNEL, 0);
  g_assert_nonnull (strstr (tooltip, first->name));
  g_assert_nonnull (strstr (tooltip, reached));
  lk_chart_card_set_show_table (funnel, FALSE);
  iterate ();

  save_shot (f, "dashboard-light.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  iterate ();
  save_shot (f, "dashboard-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  iterate ();
}

static void
test_hover (Fixture       *f,
            gconstpointer  data)
{
  LkChartCard *card = LK_CHART_CARD (lk_dashboard_view_get_card (f->view, LK_REPORT_FUNNEL));
  GtkWidget *chart = lk_chart_card_get_chart (card);
  LkReport *report = lk_dashboard_view_get_report (f->view);
  int w = gtk_widget_get_width (chart), h = gtk_widget_get_height (chart);
  int item = -1;

  g_assert_cmpint (w, >, 0);
  /* The middle of the first band is the first stage's bar. */
  for (int y = 0; y < h && item < 0; y++)
    item = lk_report_chart_hit (report, LK_REPORT_FUNNEL, w, h, w / 2.0, y);
  g_assert_cmpint (item, ==, 0);
  g_assert_cmpint (lk_report_chart_get_hover (LK_REPORT_CHART (chart)), ==, -1);
}

static void
test_bad_custom_period (Fixture       *f,
                        gconstpointer  data)
{
  LkReport *before = lk_dashboard_view_get_report (f->view);

  lk_dashboard_view_set_custom (f->view, "2024-02-30", "2024-03-31");
  iterate ();
  g_assert_true (lk_dashboard_view_get_report (f->view) == before);
  g_assert_false (lk_dashboard_view_get_computing (f->view));

  lk_dashboard_view_set_custom (f->view, "2000-01-01", "2000-01-31");
  wait_for_report (f, before);
  g_assert_cmpint (lk_report_get_kpis (lk_dashboard_view_get_report (f->view))->new_leads, ==, 0);
}

static void
test_follows_store (Fixture       *f,
                    gconstpointer  data)
{
  LkReport *before = lk_dashboard_view_get_report (f->view);
  gint64 new_leads = lk_report_get_kpis (before)->new_leads;
  g_autoptr(LkLead) lead = lk_lead_new ();
  g_autoptr(GError) error = NULL;

  lk_record_set_string (LK_RECORD (lead), LK_LEAD_COMPANY, "华信科技有限公司");
  g_assert_true (lk_store_create_lead (lk_context_get_store (f->context), lead, &error));
  g_assert_no_error (error);
  wait_for_report (f, before);
  g_assert_cmpint (lk_report_get_kpis (lk_dashboard_view_get_report (f->view))->new_leads, ==, new_leads + 1);
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("LEADKEEPER_LOCALEDIR");

  setlocale (LC_ALL, "");
  if (localedir != NULL)
    {
      bindtextdomain (GETTEXT_PACKAGE, localedir);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
    }
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add ("/dashboard/core-numbers", Fixture, NULL, fixture_set_up, test_shows_core_numbers, fixture_tear_down);
  g_test_add ("/dashboard/hover", Fixture, NULL, fixture_set_up, test_hover, fixture_tear_down);
  g_test_add ("/dashboard/bad-custom-period", Fixture, NULL, fixture_set_up, test_bad_custom_period, fixture_tear_down);
  g_test_add ("/dashboard/follows-store", Fixture, NULL, fixture_set_up, test_follows_store, fixture_tear_down);

  return g_test_run ();
}
