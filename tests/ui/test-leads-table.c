/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "lk-context.h"
#include "lk-demo.h"
#include "lk-lead-list.h"
#include "leads/lk-leads-table-private.h"
#include "pipeline/lk-lost-reason-dialog.h"
#include "leads/lk-table-selection.h"

/* The leads table in a window over a temporary database: sorting is done
 * by the query, bulk actions change the database in one go and Undo puts
 * back what was there, the window's filter drives the rows, and the
 * columns are kept in GSettings. */

typedef struct
{
  char         *dir;
  LkContext    *context;
  LkLeadQuery  *filter;
  GSettings    *settings;
  GtkWindow    *window;
  LkLeadsTable *table;
  char         *opened;   /* what win.open-lead was asked to open */
} Fixture;

static LkStore *
store_of (Fixture *f)
{
  return lk_context_get_store (f->context);
}

static char *
add_lead (Fixture    *f,
          const char *company,
          const char *stage,
          gint64      amount)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) lead = lk_lead_new ();

  lk_record_set_string (LK_RECORD (lead), LK_LEAD_COMPANY, company);
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_CONTACT, "李雷");
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_STAGE, stage);
  lk_record_set_int (LK_RECORD (lead), LK_LEAD_AMOUNT, amount);
  if (g_str_equal (stage, "lost"))
    lk_record_set_string (LK_RECORD (lead), LK_LEAD_LOST_REASON, "No budget");
  g_assert_true (lk_store_create_lead (store_of (f), lead, &error));
  g_assert_no_error (error);
  return g_strdup (lk_record_get_id (LK_RECORD (lead)));
}

static LkLead *
get_lead (Fixture    *f,
          const char *id)
{
  g_autoptr(GError) error = NULL;
  LkLead *lead = lk_store_get_lead (store_of (f), id, &error);

  g_assert_no_error (error);
  return lead;
}

static guint
count_stage_changes (Fixture    *f,
                     const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = lk_store_list_stage_changes (store_of (f), id, &error);

  g_assert_no_error (error);
  return changes->len;
}

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
open_lead_cb (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  Fixture *f = user_data;

  g_free (f->opened);
  f->opened = g_variant_dup_string (parameter, NULL);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("lk-table-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "test.db", NULL);
  f->context = lk_context_new (path, NULL, &error);
  g_assert_no_error (error);
  f->filter = lk_lead_query_new ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "test.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  if (f->window != NULL)
    gtk_window_destroy (f->window);
  iterate ();
  g_clear_object (&f->settings);
  g_clear_object (&f->filter);
  g_clear_object (&f->context);
  iterate ();
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (f->dir);
  g_free (f->opened);
  g_free (f->dir);
}

/* Shows a new table (replacing the fixture's) in a plain window. */
static void
open_table (Fixture *f)
{
  g_autoptr(GSimpleActionGroup) win_actions = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) open_lead = g_simple_action_new ("open-lead", G_VARIANT_TYPE_STRING);

  if (f->window != NULL)
    gtk_window_destroy (f->window);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1200, 700);
  g_signal_connect (open_lead, "activate", G_CALLBACK (open_lead_cb), f);
  g_action_map_add_action (G_ACTION_MAP (win_actions), G_ACTION (open_lead));
  gtk_widget_insert_action_group (GTK_WIDGET (f->window), "win", G_ACTION_GROUP (win_actions));

  f->table = lk_leads_table_new (f->context, f->filter, f->settings);
  gtk_window_set_child (f->window, GTK_WIDGET (f->table));
  gtk_window_present (f->window);
  iterate ();
}

static const char *
company_at (Fixture *f,
            guint    position)
{
  g_autoptr(LkLead) lead = g_list_model_get_item (lk_leads_table_get_model (f->table), position);
  static char company[256];

  g_assert_nonnull (lead);
  g_strlcpy (company, lk_lead_get_company (lead), sizeof company);
  return company;
}

static char *
id_at (Fixture *f,
       guint    position)
{
  g_autoptr(LkLead) lead = g_list_model_get_item (lk_leads_table_get_model (f->table), position);

  return g_strdup (lk_record_get_id (LK_RECORD (lead)));
}

static void
select_positions (Fixture     *f,
                  const guint *positions,
                  guint        n)
{
  GtkSelectionModel *selection = lk_leads_table_get_selection (f->table);

  gtk_selection_model_unselect_all (selection);
  for (guint i = 0; i < n; i++)
    g_assert_true (gtk_selection_model_select_item (selection, positions[i], FALSE));
}

static guint
count_selected (Fixture *f)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (lk_leads_table_get_selection (f->table));

  return (guint) gtk_bitset_get_size (selected);
}

static const char *
last_toast_title (Fixture *f)
{
  AdwToast *toast = lk_leads_table_get_last_toast (f->table);

  return toast ? adw_toast_get_title (toast) : NULL;
}

static void
wait_until_idle (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (lk_leads_table_get_busy (f->table) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (lk_leads_table_get_busy (f->table));
  iterate ();
}

static void
add_sort_leads (Fixture *f)
{
  g_free (add_lead (f, "Beta Ltd", "qualified", 50000));
  g_free (add_lead (f, "alpha GmbH", "new", 300000));
  g_free (add_lead (f, "Gamma Co", "won", 10000));
  g_free (add_lead (f, "Delta", "contacted", 200000));
}

static void
test_table_sort (Fixture       *f,
                 gconstpointer  data)
{
  GListModel *model;
  LkLeadQuery *query;
  GtkSelectionModel *selection;

  add_sort_leads (f);
  open_table (f);
  model = lk_leads_table_get_model (f->table);
  selection = lk_leads_table_get_selection (f->table);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);

  /* The rows are the lazy list itself: no GTK sort model in between. */
  g_assert_true (LK_IS_LEAD_LIST (model));
  g_assert_true (lk_table_selection_get_model (LK_TABLE_SELECTION (selection)) == model);
  query = lk_lead_list_get_query (LK_LEAD_LIST (model));
  /* Default: last updated first. */
  g_assert_cmpint (lk_lead_query_get_sort (query), ==, LK_LEAD_SORT_UPDATED);
  g_assert_cmpstr (company_at (f, 0), ==, "Delta");

  lk_leads_table_sort_by (f->table, "amount", GTK_SORT_DESCENDING);
  g_assert_cmpint (lk_lead_query_get_sort (query), ==, LK_LEAD_SORT_AMOUNT);
  g_assert_false (lk_lead_query_get_reversed (query));
  g_assert_cmpstr (company_at (f, 0), ==, "alpha GmbH");
  g_assert_cmpstr (company_at (f, 1), ==, "Delta");
  g_assert_cmpstr (company_at (f, 2), ==, "Beta Ltd");
  g_assert_cmpstr (company_at (f, 3), ==, "Gamma Co");

  lk_leads_table_sort_by (f->table, "amount", GTK_SORT_ASCENDING);
  g_assert_true (lk_lead_query_get_reversed (query));
  g_assert_cmpstr (company_at (f, 0), ==, "Gamma Co");
  g_assert_cmpstr (company_at (f, 3), ==, "alpha GmbH");

  lk_leads_table_sort_by (f->table, "company", GTK_SORT_ASCENDING);
  g_assert_cmpint (lk_lead_query_get_sort (query), ==, LK_LEAD_SORT_COMPANY);
  g_assert_false (lk_lead_query_get_reversed (query));
  g_assert_cmpstr (company_at (f, 0), ==, "alpha GmbH");
  g_assert_cmpstr (company_at (f, 1), ==, "Beta Ltd");
  g_assert_cmpstr (company_at (f, 2), ==, "Delta");
  g_assert_cmpstr (company_at (f, 3), ==, "Gamma Co");

  /* Stages in the pipeline's order, not the alphabet's. */
  lk_leads_table_sort_by (f->table, "stage", GTK_SORT_ASCENDING);
  g_assert_cmpint (lk_lead_query_get_sort (query), ==, LK_LEAD_SORT_STAGE);
  g_assert_cmpstr (company_at (f, 0), ==, "alpha GmbH");   /* new */
  g_assert_cmpstr (company_at (f, 1), ==, "Delta");        /* contacted */
  g_assert_cmpstr (company_at (f, 2), ==, "Beta Ltd");     /* qualified */
  g_assert_cmpstr (company_at (f, 3), ==, "Gamma Co");     /* won */
  lk_leads_table_sort_by (f->table, "stage", GTK_SORT_DESCENDING);
  g_assert_cmpstr (company_at (f, 0), ==, "Gamma Co");

  /* No sorted column: back to the default. */
  lk_leads_table_sort_by (f->table, NULL, GTK_SORT_ASCENDING);
  g_assert_cmpint (lk_lead_query_get_sort (query), ==, LK_LEAD_SORT_UPDATED);
  g_assert_false (lk_lead_query_get_reversed (query));

  /* The table sorts its own copy: the window's filter keeps its sort. */
  g_assert_true (query != f->filter);
  g_assert_cmpint (lk_lead_query_get_sort (f->filter), ==, LK_LEAD_SORT_URGENCY);
}

static void
test_table_bulk_move (Fixture       *f,
                      gconstpointer  data)
{
  const guint first_three[] = { 0, 1, 2 };
  g_auto(GStrv) ids = g_new0 (char *, 6);
  gint64 entered[5];

  ids[0] = add_lead (f, "A1", "new", 100);
  ids[1] = add_lead (f, "A2", "contacted", 100);
  ids[2] = add_lead (f, "A3", "new", 100);
  ids[3] = add_lead (f, "A4", "new", 100);
  ids[4] = add_lead (f, "A5", "new", 100);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(LkLead) lead = get_lead (f, ids[i]);

      entered[i] = lk_record_get_int (LK_RECORD (lead), LK_LEAD_STAGE_ENTERED_AT);
    }
  /* Later, so a change of the stamps would show. */
  g_usleep (5 * 1000);

  open_table (f);
  lk_leads_table_sort_by (f->table, "company", GTK_SORT_ASCENDING);
  select_positions (f, first_three, 3);
  lk_leads_table_bulk_move (f->table, "qualified", NULL);

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(LkLead) lead = get_lead (f, ids[i]);

      g_assert_cmpstr (lk_lead_get_stage (lead), ==, i < 3 ? "qualified" : "new");
      g_assert_cmpuint (count_stage_changes (f, ids[i]), ==, i < 3 ? 2 : 1);
    }
  g_assert_cmpstr (last_toast_title (f), ==, "Moved 3 leads to “Qualified”");
  g_assert_cmpstr (adw_toast_get_button_label (lk_leads_table_get_last_toast (f->table)), ==, "_Undo");
  g_assert_true (lk_leads_table_can_undo (f->table));

  lk_leads_table_undo (f->table);
  g_assert_false (lk_leads_table_can_undo (f->table));
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(LkLead) lead = get_lead (f, ids[i]);

      g_assert_cmpstr (lk_lead_get_stage (lead), ==, i == 1 ? "contacted" : "new");
      /* Time in stage is as it was, not restarted by the undo. */
      g_assert_cmpint (lk_record_get_int (LK_RECORD (lead), LK_LEAD_STAGE_ENTERED_AT), ==, entered[i]);
      /* The way there and back stays in the history. */
      g_assert_cmpuint (count_stage_changes (f, ids[i]), ==, i < 3 ? 3 : 1);
    }

  /* Lost needs a reason: without one nothing moves. */
  select_positions (f, first_three, 2);
  lk_leads_table_bulk_move (f->table, "lost", NULL);
  {
    g_autoptr(LkLead) lead = get_lead (f, ids[0]);

    g_assert_cmpstr (lk_lead_get_stage (lead), ==, "new");
  }
  lk_leads_table_bulk_move (f->table, "lost", "Price too high");
  {
    g_autoptr(LkLead) lead = get_lead (f, ids[0]);

    g_assert_cmpstr (lk_lead_get_stage (lead), ==, "lost");
    g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_LOST_REASON), ==, "Price too high");
  }
  lk_leads_table_undo (f->table);
  {
    g_autoptr(LkLead) lead = get_lead (f, ids[0]);

    g_assert_cmpstr (lk_lead_get_stage (lead), ==, "new");
    g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_LOST_REASON), ==, "");
  }
}

static void
test_table_bulk_delete (Fixture       *f,
                        gconstpointer  data)
{
  const guint two[] = { 1, 3 };
  GListModel *model;
  g_autofree char *deleted_a = NULL;
  g_autofree char *deleted_b = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *company = g_strdup_printf ("Company %u", i);

      g_free (add_lead (f, company, "new", 100));
    }
  open_table (f);
  model = lk_leads_table_get_model (f->table);
  lk_leads_table_sort_by (f->table, "company", GTK_SORT_ASCENDING);
  deleted_a = id_at (f, 1);
  deleted_b = id_at (f, 3);
  select_positions (f, two, 2);
  lk_leads_table_bulk_delete (f->table);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_assert_cmpstr (company_at (f, 0), ==, "Company 0");
  g_assert_cmpstr (company_at (f, 1), ==, "Company 2");
  g_assert_cmpstr (company_at (f, 2), ==, "Company 4");
  {
    g_autoptr(LkLead) lead = get_lead (f, deleted_a);

    /* Soft: the row stays as a tombstone for sync and Undo. */
    g_assert_true (lk_record_get_deleted (LK_RECORD (lead)));
  }
  g_assert_cmpint (lk_store_count_leads (store_of (f), NULL), ==, 3);
  g_assert_cmpstr (last_toast_title (f), ==, "Deleted 2 leads");

  lk_leads_table_undo (f->table);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 5);
  {
    g_autoptr(LkLead) lead = get_lead (f, deleted_b);

    g_assert_false (lk_record_get_deleted (LK_RECORD (lead)));
  }
  g_assert_cmpstr (company_at (f, 3), ==, "Company 3");
}

static void
test_table_bulk_assign (Fixture       *f,
                        gconstpointer  data)
{
  const guint two[] = { 0, 1 };
  g_autoptr(LkUser) user = lk_user_new ("wangfang", "王芳", "rep");
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  gint64 assigned_at;

  g_assert_true (lk_store_save_user (store_of (f), user, &error));
  g_assert_no_error (error);
  a = add_lead (f, "A", "new", 0);
  b = add_lead (f, "B", "new", 0);
  c = add_lead (f, "C", "new", 0);
  open_table (f);
  lk_leads_table_sort_by (f->table, "company", GTK_SORT_ASCENDING);
  select_positions (f, two, 2);

  lk_leads_table_bulk_assign (f->table, "user:wangfang");
  {
    g_autoptr(LkLead) lead_a = get_lead (f, a);
    g_autoptr(LkLead) lead_b = get_lead (f, b);
    g_autoptr(LkLead) lead_c = get_lead (f, c);

    g_assert_cmpstr (lk_lead_get_owner (lead_a), ==, "user:wangfang");
    assigned_at = lk_record_get_int (LK_RECORD (lead_b), LK_LEAD_ASSIGNED_AT);
    g_assert_cmpint (assigned_at, >, 0);
    g_assert_null (lk_lead_get_owner (lead_c));
  }
  g_assert_cmpstr (last_toast_title (f), ==, "Assigned 2 leads to 王芳");

  /* Back to the pool, and Undo gives them back to her as they were. */
  /* Done: the selection is cleared. */
  g_assert_cmpuint (count_selected (f), ==, 0);
  g_usleep (5 * 1000);
  select_positions (f, two, 2);
  lk_leads_table_bulk_assign (f->table, NULL);
  {
    g_autoptr(LkLead) lead_b = get_lead (f, b);

    g_assert_null (lk_lead_get_owner (lead_b));
  }
  g_assert_cmpstr (last_toast_title (f), ==, "Returned 2 leads to the pool");
  lk_leads_table_undo (f->table);
  {
    g_autoptr(LkLead) lead_b = get_lead (f, b);

    g_assert_cmpstr (lk_lead_get_owner (lead_b), ==, "user:wangfang");
    g_assert_cmpint (lk_record_get_int (LK_RECORD (lead_b), LK_LEAD_ASSIGNED_AT), ==, assigned_at);
  }

  /* The pool filter of the window now leaves only C. */
  lk_lead_query_set_pool (f->filter, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (lk_leads_table_get_model (f->table)), ==, 1);
  g_assert_cmpstr (company_at (f, 0), ==, "C");
}

static void
test_table_bulk_tag (Fixture       *f,
                     gconstpointer  data)
{
  const guint one[] = { 0 };
  g_autofree char *a = add_lead (f, "A", "new", 0);
  g_autofree char *b = add_lead (f, "B", "new", 0);

  open_table (f);
  lk_leads_table_sort_by (f->table, "company", GTK_SORT_ASCENDING);
  select_positions (f, one, 1);
  lk_leads_table_bulk_add_tag (f->table, "  price-sensitive ");
  {
    g_autoptr(LkLead) lead_a = get_lead (f, a);
    g_autoptr(LkLead) lead_b = get_lead (f, b);
    const char * const *tags = lk_record_get_tags (LK_RECORD (lead_a), LK_LEAD_TAGS);

    g_assert_nonnull (tags);
    g_assert_true (g_strv_contains (tags, "price-sensitive"));
    tags = lk_record_get_tags (LK_RECORD (lead_b), LK_LEAD_TAGS);
    g_assert_true (tags == NULL || !g_strv_contains (tags, "price-sensitive"));
  }
  g_assert_cmpstr (last_toast_title (f), ==, "Tagged 1 lead “price-sensitive”");

  /* The tag filter of the window finds it. */
  lk_lead_query_set_tag (f->filter, "price-sensitive");
  g_assert_cmpuint (g_list_model_get_n_items (lk_leads_table_get_model (f->table)), ==, 1);
  lk_lead_query_set_tag (f->filter, NULL);

  lk_leads_table_undo (f->table);
  {
    g_autoptr(LkLead) lead_a = get_lead (f, a);
    const char * const *tags = lk_record_get_tags (LK_RECORD (lead_a), LK_LEAD_TAGS);

    g_assert_true (tags == NULL || !g_strv_contains (tags, "price-sensitive"));
  }
}

static void
test_table_filter (Fixture       *f,
                   gconstpointer  data)
{
  GListModel *model;

  g_free (add_lead (f, "华信科技有限公司", "new", 0));
  g_free (add_lead (f, "Northwind Traders", "proposal", 0));
  g_free (add_lead (f, "恒达物流集团", "won", 0));
  lk_lead_query_set_search (f->filter, "华信");
  open_table (f);
  model = lk_leads_table_get_model (f->table);

  /* The filter as it was when the table was made… */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpstr (company_at (f, 0), ==, "华信科技有限公司");
  /* …and every change after. */
  lk_lead_query_set_search (f->filter, "northwind");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpstr (company_at (f, 0), ==, "Northwind Traders");
  lk_lead_query_set_search (f->filter, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  lk_lead_query_set_stage (f->filter, "won");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpstr (company_at (f, 0), ==, "恒达物流集团");
  lk_lead_query_set_stage (f->filter, NULL);
  lk_lead_query_set_search (f->filter, "没有这家公司");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
}

static GtkColumnViewColumn *
column_titled (Fixture    *f,
               const char *title)
{
  GListModel *columns = gtk_column_view_get_columns (lk_leads_table_get_column_view (f->table));

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_str_equal (gtk_column_view_column_get_title (column), title))
        return column;  /* the view keeps it */
    }
  g_assert_not_reached ();
}

static char *
visible_titles (Fixture *f)
{
  GListModel *columns = gtk_column_view_get_columns (lk_leads_table_get_column_view (f->table));
  g_autoptr(GString) titles = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (!gtk_column_view_column_get_visible (column))
        continue;
      if (titles->len > 0)
        g_string_append_c (titles, ',');
      g_string_append (titles, gtk_column_view_column_get_title (column));
    }
  return g_string_free (g_steal_pointer (&titles), FALSE);
}

static char *
saved_columns (Fixture *f)
{
  g_auto(GStrv) ids = g_settings_get_strv (f->settings, "table-columns");

  return g_strjoinv (",", ids);
}

static void
test_table_columns (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autofree char *titles = NULL;
  g_autofree char *saved = NULL;
  const char *ids[] = { "amount", "company", "no-such-column", "score", NULL };
  int width;

  f->settings = g_settings_new_with_backend (APP_ID, backend);
  g_free (add_lead (f, "A", "new", 0));
  open_table (f);

  titles = visible_titles (f);
  g_assert_cmpstr (titles, ==, "Code,Company,Contact,Stage,Amount,Grade,Owner,Next Follow-up");

  /* The header menu's check item. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->table), "columns.show-code", NULL));
  g_clear_pointer (&titles, g_free);
  titles = visible_titles (f);
  g_assert_cmpstr (titles, ==, "Company,Contact,Stage,Amount,Grade,Owner,Next Follow-up");
  saved = saved_columns (f);
  g_assert_cmpstr (saved, ==, "company,contact,stage,amount,grade,owner,next-followup");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->table), "columns.show-source", NULL));
  g_clear_pointer (&saved, g_free);
  saved = saved_columns (f);
  g_assert_cmpstr (saved, ==, "company,contact,stage,amount,grade,owner,next-followup,source");

  /* A header dragged to the front. */
  gtk_column_view_insert_column (lk_leads_table_get_column_view (f->table), 0, column_titled (f, "Amount"));
  g_clear_pointer (&saved, g_free);
  saved = saved_columns (f);
  g_assert_cmpstr (saved, ==, "amount,company,contact,stage,grade,owner,next-followup,source");

  /* A resized column, saved a moment later. */
  gtk_column_view_column_set_fixed_width (column_titled (f, "Company"), 333);
  {
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    width = 0;
    while (g_get_monotonic_time () < deadline)
      {
        g_autoptr(GVariant) widths = g_settings_get_value (f->settings, "table-column-widths");

        if (g_variant_lookup (widths, "company", "i", &width))
          break;
        iterate ();
        g_usleep (10 * 1000);
      }
  }
  g_assert_cmpint (width, ==, 333);

  /* A new table, as at the next start, shows what was saved. */
  g_settings_set_strv (f->settings, "table-columns", ids);
  open_table (f);
  g_clear_pointer (&titles, g_free);
  titles = visible_titles (f);
  g_assert_cmpstr (titles, ==, "Amount,Company,Score");
  g_assert_cmpint (gtk_column_view_column_get_fixed_width (column_titled (f, "Company")), ==, 333);

  /* The last column cannot be hidden. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->table), "columns.show-amount", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->table), "columns.show-company", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->table), "columns.show-score", NULL));
  g_clear_pointer (&titles, g_free);
  titles = visible_titles (f);
  g_assert_cmpstr (titles, ==, "Score");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->table), "columns.reset", NULL));
  g_clear_pointer (&titles, g_free);
  titles = visible_titles (f);
  g_assert_cmpstr (titles, ==, "Code,Company,Contact,Stage,Amount,Grade,Owner,Next Follow-up");
}

static void
test_table_worker (Fixture       *f,
                   gconstpointer  data)
{
  const guint three[] = { 0, 2, 3 };
  g_auto(GStrv) ids = g_new0 (char *, 5);
  GListModel *model;

  ids[0] = add_lead (f, "A", "new", 0);
  ids[1] = add_lead (f, "B", "new", 0);
  ids[2] = add_lead (f, "C", "new", 0);
  ids[3] = add_lead (f, "D", "won", 0);
  open_table (f);
  model = lk_leads_table_get_model (f->table);
  lk_leads_table_set_worker_threshold (f->table, 0);
  lk_leads_table_sort_by (f->table, "company", GTK_SORT_ASCENDING);
  select_positions (f, three, 3);

  lk_leads_table_bulk_move (f->table, "proposal", NULL);
  /* On a worker: the main loop goes on meanwhile. */
  g_assert_true (lk_leads_table_get_busy (f->table));
  /* One change at a time: this one is refused. */
  lk_leads_table_bulk_delete (f->table);
  wait_until_idle (f);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(LkLead) lead = get_lead (f, ids[i]);

      g_assert_cmpstr (lk_lead_get_stage (lead), ==, i == 1 ? "new" : "proposal");
      g_assert_false (lk_record_get_deleted (LK_RECORD (lead)));
    }
  /* The main store was told: the rows show the new stages. */
  lk_lead_query_set_stage (f->filter, "proposal");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  lk_lead_query_set_stage (f->filter, NULL);
  g_assert_cmpstr (last_toast_title (f), ==, "Moved 3 leads to “Proposal”");

  lk_leads_table_undo (f->table);
  g_assert_true (lk_leads_table_get_busy (f->table));
  wait_until_idle (f);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(LkLead) lead = get_lead (f, ids[i]);

      g_assert_cmpstr (lk_lead_get_stage (lead), ==, i == 3 ? "won" : "new");
    }
}

static void
test_table_lazy (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkColumnView *view;
  GtkWidget *child;
  LkLeadList *list;
  guint loaded;

  g_assert_true (lk_demo_generate (store_of (f), 1500, 1, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  open_table (f);
  view = lk_leads_table_get_column_view (f->table);
  list = LK_LEAD_LIST (lk_leads_table_get_model (f->table));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1500);
  loaded = lk_lead_list_get_n_loaded (list);
  g_assert_cmpuint (loaded, <, 300);

  /* Ctrl+A, a new order and a bulk change read only the visible leads. */
  for (child = gtk_widget_get_first_child (GTK_WIDGET (view)); child; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      break;
  g_assert_nonnull (child);
  g_assert_true (gtk_widget_activate_action (child, "list.select-all", NULL));
  iterate ();
  g_assert_cmpuint (count_selected (f), ==, 1500);
  lk_leads_table_sort_by (f->table, "amount", GTK_SORT_DESCENDING);
  iterate ();
  g_assert_cmpuint (lk_lead_list_get_n_loaded (list), <, 2 * loaded + 50);
  gtk_selection_model_select_all (lk_leads_table_get_selection (f->table));
  lk_leads_table_bulk_add_tag (f->table, "trade-fair");
  iterate ();
  g_assert_cmpstr (last_toast_title (f), ==, "Tagged 1500 leads “trade-fair”");
  g_assert_cmpuint (lk_lead_list_get_n_loaded (list), <, 3 * loaded + 50);
}

/* The dialog the table opened last, among the toplevels. */
static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* As a click on the response's button. */
static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, response));
  adw_message_dialog_response (dialog, response);
  gtk_window_close (GTK_WINDOW (dialog));
  iterate ();
}

static void
test_table_dialogs (Fixture       *f,
                    gconstpointer  data)
{
  const guint two[] = { 0, 1 };
  g_autofree char *a = add_lead (f, "A", "proposal", 0);
  g_autofree char *b = add_lead (f, "B", "proposal", 0);
  g_autofree char *c = add_lead (f, "C", "proposal", 0);
  AdwMessageDialog *dialog;
  GtkWidget *entry;
  GtkWidget *check;

  open_table (f);
  lk_leads_table_sort_by (f->table, "company", GTK_SORT_ASCENDING);

  /* Lost asks why; Move waits for a reason. */
  select_positions (f, two, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->table), "table.move-to", "s", "lost"));
  dialog = find_dialog ();
  g_assert_true (LK_IS_LOST_REASON_DIALOG (dialog));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "move"));
  /* A common reason is kept untranslated, for reports in any language. */
  check = find_descendant (GTK_WIDGET (dialog), GTK_TYPE_CHECK_BUTTON);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  {
    g_autofree char *reason = lk_lost_reason_dialog_get_reason (LK_LOST_REASON_DIALOG (dialog));

    g_assert_cmpstr (reason, ==, "Price too high");
  }
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "move"));
  /* One typed by hand replaces it. */
  entry = find_descendant (GTK_WIDGET (dialog), GTK_TYPE_ENTRY);
  gtk_editable_set_text (GTK_EDITABLE (entry), "  Bought from a reseller ");
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  {
    g_autofree char *reason = lk_lost_reason_dialog_get_reason (LK_LOST_REASON_DIALOG (dialog));

    g_assert_cmpstr (reason, ==, "Bought from a reseller");
  }
  respond (dialog, "move");
  g_assert_null (find_dialog ());
  {
    g_autoptr(LkLead) lead = get_lead (f, b);

    g_assert_cmpstr (lk_lead_get_stage (lead), ==, "lost");
    g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_LOST_REASON), ==, "Bought from a reseller");
  }

  /* A tag typed in the dialog. */
  select_positions (f, two, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->table), "table.add-tag", NULL));
  dialog = find_dialog ();
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "add"));
  entry = adw_message_dialog_get_extra_child (dialog);
  gtk_editable_set_text (GTK_EDITABLE (entry), "vip");
  /* Enter in the entry adds it and closes the dialog. */
  g_signal_emit_by_name (entry, "activate");
  iterate ();
  g_assert_null (find_dialog ());
  {
    g_autoptr(LkLead) lead = get_lead (f, a);

    g_assert_true (g_strv_contains (lk_record_get_tags (LK_RECORD (lead), LK_LEAD_TAGS), "vip"));
  }

  /* Delete asks first; Cancel keeps the leads. */
  select_positions (f, two, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->table), "table.delete", NULL));
  dialog = find_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete 2 Leads?");
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  respond (dialog, "cancel");
  g_assert_cmpuint (g_list_model_get_n_items (lk_leads_table_get_model (f->table)), ==, 3);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->table), "table.delete", NULL));
  respond (find_dialog (), "delete");
  g_assert_cmpuint (g_list_model_get_n_items (lk_leads_table_get_model (f->table)), ==, 1);
  g_assert_cmpstr (company_at (f, 0), ==, "C");
  g_free (g_steal_pointer (&c));
}

static void
test_table_activate (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *id = add_lead (f, "A", "new", 0);
  GtkColumnView *view;

  open_table (f);
  view = lk_leads_table_get_column_view (f->table);
  g_signal_emit_by_name (view, "activate", 0);
  g_assert_cmpstr (f->opened, ==, id);
}

int
main (int    argc,
      char **argv)
{
  /* Not G_TEST_OPTION_ISOLATE_DIRS: it hides the shared MIME database
   * that GTK needs to load its icons. Databases go to temporary dirs. */
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add ("/ui/leads-table/sort", Fixture, NULL, fixture_set_up, test_table_sort, fixture_tear_down);
  g_test_add ("/ui/leads-table/bulk-move", Fixture, NULL, fixture_set_up, test_table_bulk_move, fixture_tear_down);
  g_test_add ("/ui/leads-table/bulk-delete", Fixture, NULL, fixture_set_up, test_table_bulk_delete, fixture_tear_down);
  g_test_add ("/ui/leads-table/bulk-assign", Fixture, NULL, fixture_set_up, test_table_bulk_assign, fixture_tear_down);
  g_test_add ("/ui/leads-table/bulk-tag", Fixture, NULL, fixture_set_up, test_table_bulk_tag, fixture_tear_down);
  g_test_add ("/ui/leads-table/filter", Fixture, NULL, fixture_set_up, test_table_filter, fixture_tear_down);
  g_test_add ("/ui/leads-table/columns", Fixture, NULL, fixture_set_up, test_table_columns, fixture_tear_down);
  g_test_add ("/ui/leads-table/worker", Fixture, NULL, fixture_set_up, test_table_worker, fixture_tear_down);
  g_test_add ("/ui/leads-table/lazy", Fixture, NULL, fixture_set_up, test_table_lazy, fixture_tear_down);
  g_test_add ("/ui/leads-table/dialogs", Fixture, NULL, fixture_set_up, test_table_dialogs, fixture_tear_down);
  g_test_add ("/ui/leads-table/activate", Fixture, NULL, fixture_set_up, test_table_activate, fixture_tear_down);

  return g_test_run ();
}
