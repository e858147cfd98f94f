/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-leads-table"

#include <glib/gi18n-lib.h>

#include "lk-bulk-bar.h"
#include "pipeline/lk-lost-reason-dialog.h"
#include "lk-bulk-runner.h"
#include "lk-format.h"
#include "lk-lead-list.h"
#include "lk-leads-table-private.h"
#include "lk-table-columns.h"
#include "lk-table-layout.h"
#include "lk-table-selection.h"
#include "lk-window.h"

/* The leads table: the leads of the window's filter in a GtkColumnView,
 * for sorting, selecting many and changing them at once.
 *
 * Model chain: LkStore → LkLeadList (lazy: the ordered rowids of our own
 * query; a lead is made only for a visible row) → LkTableSelection (a
 * multiple selection that, unlike GtkMultiSelection, never asks for the
 * selected leads) → GtkColumnView. Nothing sorts or filters in GTK, which
 * would make all 100,000 leads: our query follows the window's filter
 * through bindings, and a header click sets its sort, so SQLite orders.
 *
 * The column sorters only make headers clickable; no model sorts with
 * them. On GTK 4.8 the view's sorter does not say which column it sorts
 * by (GtkColumnViewSorter is public from 4.10), so sort_changed_cb() asks
 * it to compare two unrelated objects once: it asks its primary column
 * first, whose sorter notes that it was asked and answers "smaller"; a
 * descending column comes back inverted.
 *
 * A bulk action is an LkBulkJob that an LkBulkRunner runs in one
 * transaction, on a worker's connection when it concerns many leads. It
 * leaves behind the job that reverts it, run by the toast's Undo. Which
 * columns are shown, in which order and how wide is LkTableLayout's. */

typedef struct
{
  LkLeadsTable        *table;     /* borrowed: the table owns its columns */
  const LkTableColumn *info;
  GtkColumnViewColumn *column;    /* owned */
  gboolean             is_owner;
  gboolean             is_followup;
} Column;

struct _LkLeadsTable
{
  AdwBin               parent_instance;

  /* Template widgets */
  GtkStack            *stack;
  GtkColumnView       *column_view;
  LkBulkBar           *bulk_bar;

  /* Owned */
  LkContext           *context;
  LkLeadQuery         *filter;
  GSettings           *settings;
  LkLeadQuery         *query;
  LkLeadList          *leads;
  LkTableSelection    *selection;
  GBindingGroup       *filter_bindings;
  GHashTable          *owner_cells;     /* GtkListItem: the bound owner cells */
  LkTableLayout       *layout;
  LkBulkRunner        *runner;
  GMenu               *stage_menu;
  GMenu               *owner_menu;
  GTimeZone           *tz;
  LkBulkJob           *undo;            /* reverts the last bulk change */
  AdwToast            *undo_toast;
  AdwToast            *last_toast;
  Column              *columns;
  guint                n_columns;

  LkTableEnv           env;
  Column              *probed;          /* see sort_changed_cb() */
  gulong               store_changed_id;
  guint                update_empty_id;
};

G_DEFINE_FINAL_TYPE (LkLeadsTable, lk_leads_table, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_FILTER,
  PROP_SETTINGS,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The filter properties the table follows; the sort is its own. */
static const char * const filter_properties[] = {
  "stage", "owner", "pool", "source", "grade", "temperature", "tag", "overdue", "search",
};

static LkStore *
get_store (LkLeadsTable *self)
{
  return lk_context_get_store (self->context);
}

static Column *
find_column (LkLeadsTable *self,
             const char   *id)
{
  for (guint i = 0; id != NULL && i < self->n_columns; i++)
    if (g_str_equal (self->columns[i].info->id, id))
      return &self->columns[i];
  return NULL;
}

static guint
get_n_selected (LkLeadsTable *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

  return (guint) gtk_bitset_get_size (selected);
}

static GtkWindow *
get_parent_window (LkLeadsTable *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* Names in menus: an underscore would be taken for a mnemonic. */
static char *
escape_mnemonic (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, "_", -1);

  return g_strjoinv ("__", parts);
}

/* Toasts */

/* Takes @toast. Outside a window (tests) it is only kept as the last one. */
static void
show_toast (LkLeadsTable *self,
            AdwToast     *toast)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), LK_TYPE_WINDOW);

  g_set_object (&self->last_toast, toast);
  if (window != NULL)
    lk_window_show_toast (LK_WINDOW (window), toast);
  else
    g_object_unref (toast);
}

static void
clear_undo (LkLeadsTable *self)
{
  g_autoptr(AdwToast) toast = g_steal_pointer (&self->undo_toast);

  g_clear_pointer (&self->undo, lk_bulk_job_free);
  if (toast != NULL)
    adw_toast_dismiss (toast);
}

static void
undo_clicked_cb (LkLeadsTable *self,
                 AdwToast     *toast)
{
  if (self->undo_toast == toast)
    lk_leads_table_undo (self);
}

static void
undo_dismissed_cb (LkLeadsTable *self,
                   AdwToast     *toast)
{
  /* Undo is offered as long as its toast is shown. */
  if (self->undo_toast == toast)
    clear_undo (self);
}

/* Bulk jobs */

/* The name of what a job set, as people know it. */
static const char *
describe_value (LkLeadsTable *self,
                LkBulkJob    *job)
{
  const char *value = lk_bulk_job_get_value (job);
  LkStage *stage;

  switch (lk_bulk_job_get_kind (job))
    {
    case LK_BULK_MOVE:
      stage = lk_pipeline_lookup (self->env.pipeline, value);
      return stage ? lk_stage_get_name (stage) : value;
    case LK_BULK_ASSIGN:
      return value ? lk_table_owner_name (value, self->env.users) : NULL;
    case LK_BULK_ADD_TAG:
    case LK_BULK_DELETE:
    case LK_BULK_RESTORE:
    default:
      return value;
    }
}

static void
update_actions (LkLeadsTable *self)
{
  gboolean selected = get_n_selected (self) > 0;
  gboolean can_change = selected && !lk_bulk_runner_get_busy (self->runner);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "table.move-to", can_change);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "table.assign", can_change);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "table.claim", can_change);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "table.choose", can_change);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "table.add-tag", can_change);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "table.delete", can_change);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "table.clear-selection", selected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "table.stop", lk_bulk_runner_get_busy (self->runner));
}

static void
busy_changed_cb (LkLeadsTable *self,
                 GParamSpec   *pspec,
                 LkBulkRunner *runner)
{
  LkBulkJob *running = lk_bulk_runner_get_running (runner);
  g_autofree char *status = running ? lk_bulk_job_describe_running (running) : NULL;

  lk_bulk_bar_set_status (self->bulk_bar, status);
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
job_finished_cb (LkLeadsTable *self,
                 LkBulkJob    *job,
                 const GError *error,
                 LkBulkRunner *runner)
{
  guint n = lk_bulk_job_get_n_changed (job);
  g_autofree char *title = NULL;
  AdwToast *toast;

  /* Stopped from the bar: nothing changed, as the person asked. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    {
      /* Translators: %s is the reason, e.g. "The database is busy" */
      title = g_strdup_printf (_("Nothing was changed: %s"), error->message);
      toast = adw_toast_new (title);
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
      show_toast (self, toast);
      return;
    }
  /* After Undo the rows show the leads as they were: no more to say. */
  if (lk_bulk_job_get_kind (job) == LK_BULK_RESTORE)
    return;
  if (n == 0)
    {
      show_toast (self, adw_toast_new (_("Nothing to change: the selected leads are like that already")));
      return;
    }

  /* The rows that changed lost their selection already; the others
   * follow, so the bar does not offer a half-kept selection. */
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));

  title = lk_bulk_job_describe_result (job, describe_value (self, job));
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_clicked_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (undo_dismissed_cb), self, G_CONNECT_SWAPPED);
  clear_undo (self);
  self->undo = lk_bulk_job_steal_undo (job);
  self->undo_toast = g_object_ref (toast);
  show_toast (self, toast);
}

/* Takes @job. */
static void
run_job (LkLeadsTable *self,
         LkBulkJob    *job)
{
  /* A new change replaces the Undo of the previous one. */
  if (lk_bulk_job_get_kind (job) != LK_BULK_RESTORE)
    clear_undo (self);
  lk_bulk_runner_run (self->runner, job);
}

/* Returns: (nullable): a job for the selected leads */
static LkBulkJob *
new_selection_job (LkLeadsTable *self,
                   LkBulkKind    kind)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  g_autoptr(GArray) positions = g_array_sized_new (FALSE, FALSE, sizeof (guint),
                                                   (guint) gtk_bitset_get_size (selected));
  GtkBitsetIter iter;
  guint position;

  if (lk_bulk_runner_get_busy (self->runner))
    return NULL;
  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position);
       more;
       more = gtk_bitset_iter_next (&iter, &position))
    g_array_append_val (positions, position);
  if (positions->len == 0)
    return NULL;
  return lk_bulk_job_new (kind, self->query, positions,
                          g_list_model_get_n_items (G_LIST_MODEL (self->leads)));
}

/* Team and pipeline */

static int
compare_users (gconstpointer a,
               gconstpointer b)
{
  LkUser *user_a = *(LkUser * const *) a;
  LkUser *user_b = *(LkUser * const *) b;

  return g_utf8_collate (lk_user_get_display_name (user_a), lk_user_get_display_name (user_b));
}

static void
build_owner_menu (LkLeadsTable *self,
                  GPtrArray    *users)
{
  g_autoptr(GMenu) members = g_menu_new ();
  g_autoptr(GMenu) pool = g_menu_new ();
  g_autoptr(GMenu) rules = g_menu_new ();
  g_autoptr(GMenuItem) pool_item = NULL;

  for (guint i = 0; users != NULL && i < users->len; i++)
    {
      LkUser *user = g_ptr_array_index (users, i);
      g_autofree char *label = escape_mnemonic (lk_user_get_display_name (user));
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target (item, "table.assign", "s", lk_record_get_id (LK_RECORD (user)));
      g_menu_append_item (members, item);
    }
  pool_item = g_menu_item_new (_("Return to _Pool"), NULL);
  g_menu_item_set_action_and_target (pool_item, "table.assign", "s", "");
  g_menu_append_item (pool, pool_item);

  g_menu_append (rules, _("By the _Rules…"), "table.choose");

  g_menu_remove_all (self->owner_menu);
  g_menu_append_section (self->owner_menu, NULL, G_MENU_MODEL (rules));
  g_menu_append_section (self->owner_menu, NULL, G_MENU_MODEL (members));
  g_menu_append_section (self->owner_menu, NULL, G_MENU_MODEL (pool));
}

static void
rebind_owner_cells (LkLeadsTable *self)
{
  Column *owner = find_column (self, "owner");
  GHashTableIter iter;
  gpointer key;

  if (owner == NULL)
    return;
  g_hash_table_iter_init (&iter, self->owner_cells);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      GtkListItem *item = key;
      LkLead *lead = gtk_list_item_get_item (item);

      if (lead != NULL)
        lk_table_cell_bind (owner->info, gtk_list_item_get_child (item), lead, &self->env);
    }
}

static void
load_users (LkLeadsTable *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = lk_store_list_users (get_store (self), &error);

  /* Owner names come from the store's team table; the list, sorted, is
   * for the Assign menu. */
  if (users == NULL)
    g_debug ("Could not read the team: %s", error->message);
  if (users != NULL)
    g_ptr_array_sort (users, compare_users);
  build_owner_menu (self, users);
  /* Owner names on screen change without the leads changing. */
  rebind_owner_cells (self);
}

static void
build_stage_menu (LkLeadsTable *self)
{
  GListModel *stages = G_LIST_MODEL (self->env.pipeline);
  guint n = g_list_model_get_n_items (stages);

  g_menu_remove_all (self->stage_menu);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LkStage) stage = g_list_model_get_item (stages, i);
      g_autofree char *name = escape_mnemonic (lk_stage_get_name (stage));
      g_autofree char *label = NULL;
      g_autoptr(GMenuItem) item = NULL;

      /* Lost asks for a reason first. */
      if (lk_stage_get_kind (stage) == LK_STAGE_KIND_LOST)
        /* Translators: a menu item that opens a dialog: "Lost…" */
        label = g_strdup_printf (_("%s…"), name);
      item = g_menu_item_new (label ? label : name, NULL);
      g_menu_item_set_action_and_target (item, "table.move-to", "s", lk_stage_get_id (stage));
      g_menu_append_item (self->stage_menu, item);
    }
}

static void
store_changed_cb (LkLeadsTable       *self,
                  const char         *doc_type,
                  const char * const *ids,
                  LkStore            *store)
{
  if (doc_type == NULL || g_str_equal (doc_type, "user"))
    load_users (self);
  if (doc_type == NULL || g_str_equal (doc_type, "settings"))
    {
      build_stage_menu (self);
      g_free (self->env.currency);
      self->env.currency = lk_store_get_currency (store);
    }
}

/* Cells */

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               Column                   *column)
{
  gtk_list_item_set_child (item, lk_table_cell_new (column->info));
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              Column                   *column)
{
  LkLeadsTable *self = column->table;
  LkClock *clock = lk_context_get_clock (self->context);

  if (column->is_followup)
    self->env.today = lk_clock_start_of_day (clock, lk_clock_now_ms (clock));
  lk_table_cell_bind (column->info, gtk_list_item_get_child (item), gtk_list_item_get_item (item), &self->env);
  if (column->is_owner)
    g_hash_table_add (self->owner_cells, item);
}

static void
unbind_cell_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                Column                   *column)
{
  if (column->is_owner)
    g_hash_table_remove (column->table->owner_cells, item);
}

/* The primary column is asked first and never answers "equal". */
static int
probe_compare_cb (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  Column *column = user_data;

  if (column->table->probed == NULL)
    column->table->probed = column;
  return -1;
}

static void
add_columns (LkLeadsTable *self)
{
  const LkTableColumn *infos = lk_table_columns (&self->n_columns);

  self->layout = lk_table_layout_new (self->column_view, self->settings, "table-columns", "table-column-widths");
  self->columns = g_new0 (Column, self->n_columns);
  for (guint i = 0; i < self->n_columns; i++)
    {
      Column *column = &self->columns[i];
      const LkTableColumn *info = &infos[i];
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

      column->table = self;
      column->info = info;
      column->is_owner = g_str_equal (info->id, "owner");
      column->is_followup = g_str_equal (info->id, "next-followup");

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), column);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), column);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell_cb), column);
      column->column = gtk_column_view_column_new (lk_table_column_get_title (info), factory);
      gtk_column_view_column_set_resizable (column->column, TRUE);
      gtk_column_view_column_set_expand (column->column, info->expand);
      if (info->sort >= 0)
        {
          g_autoptr(GtkCustomSorter) sorter = gtk_custom_sorter_new (probe_compare_cb, column, NULL);

          gtk_column_view_column_set_sorter (column->column, GTK_SORTER (sorter));
        }
      lk_table_layout_add_column (self->layout, column->column, info->id, info->visible);
    }
  lk_table_layout_restore (self->layout);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "columns", lk_table_layout_get_actions (self->layout));
}

/* Sorting */

static void
sort_changed_cb (LkLeadsTable    *self,
                 GtkSorterChange  change,
                 GtkSorter       *sorter)
{
  LkLeadSort sort = LK_LEAD_SORT_UPDATED;
  gboolean reversed = FALSE;
  GtkOrdering order;

  /* Two different objects: a sorter takes one object as equal to itself. */
  self->probed = NULL;
  order = gtk_sorter_compare (sorter, self, self->query);
  if (self->probed != NULL)
    {
      const LkTableColumn *info = self->probed->info;

      sort = (LkLeadSort) info->sort;
      /* The query's own order of a column may be largest first. */
      reversed = (order == GTK_ORDERING_LARGER) != info->sort_descending;
    }
  self->probed = NULL;

  lk_lead_query_set_sort (self->query, sort);
  lk_lead_query_set_reversed (self->query, reversed);
  /* A new order starts at its top. */
  gtk_adjustment_set_value (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view)), 0);
}

/* Rows and selection */

static void
activate_cb (LkLeadsTable  *self,
             guint          position,
             GtkColumnView *column_view)
{
  g_autoptr(LkLead) lead = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (lead != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.open-lead", "s", lk_record_get_id (LK_RECORD (lead)));
}

static void
selection_changed (LkLeadsTable *self)
{
  lk_bulk_bar_set_n_selected (self->bulk_bar, get_n_selected (self));
  update_actions (self);
}

static void
selection_changed_cb (LkLeadsTable      *self,
                      guint              position,
                      guint              n_items,
                      GtkSelectionModel *selection)
{
  selection_changed (self);
}

static gboolean
update_empty_cb (gpointer user_data)
{
  LkLeadsTable *self = user_data;
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->leads)) == 0;

  self->update_empty_id = 0;
  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "table");
  return G_SOURCE_REMOVE;
}

static void
items_changed_cb (LkLeadsTable *self,
                  guint         position,
                  guint         removed,
                  guint         added,
                  GListModel   *model)
{
  /* Once the main loop turns: LkLeadList tells a big change as a removal
   * then an insertion, and the table should not flash "No Leads" between. */
  if (self->update_empty_id == 0)
    self->update_empty_id = g_idle_add (update_empty_cb, self);
  selection_changed (self);
}

/* Actions and their dialogs */

static void
reason_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    LkLeadsTable     *self)
{
  g_autofree char *reason = lk_lost_reason_dialog_get_reason (LK_LOST_REASON_DIALOG (dialog));

  if (g_str_equal (response, "move"))
    lk_leads_table_bulk_move (self, g_object_get_data (G_OBJECT (dialog), "stage-id"), reason);
}

static void
move_to_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LkLeadsTable *self = LK_LEADS_TABLE (widget);
  const char *stage_id = g_variant_get_string (parameter, NULL);
  LkStage *stage = lk_pipeline_lookup (self->env.pipeline, stage_id);
  LkLostReasonDialog *dialog;

  if (stage == NULL)
    return;
  if (lk_stage_get_kind (stage) != LK_STAGE_KIND_LOST)
    {
      lk_leads_table_bulk_move (self, stage_id, NULL);
      return;
    }
  dialog = lk_lost_reason_dialog_new_for_leads (get_parent_window (self), get_n_selected (self));
  g_object_set_data_full (G_OBJECT (dialog), "stage-id", g_strdup (stage_id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (reason_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
assign_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  const char *owner = g_variant_get_string (parameter, NULL);

  lk_leads_table_bulk_assign (LK_LEADS_TABLE (widget), owner[0] != '\0' ? owner : NULL);
}

/* table.claim, table.choose: the selected leads, handed to the window's
 * assign.claim and assign.choose (leads/lk-assign-actions.h). */
static void
selection_to_assign_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  LkLeadsTable *self = LK_LEADS_TABLE (widget);
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;
  GtkBitsetIter iter;
  guint position;

  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position);
       more;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(LkLead) lead = g_list_model_get_item (G_LIST_MODEL (self->leads), position);

      if (lead != NULL)
        g_strv_builder_add (builder, lk_record_get_id (LK_RECORD (lead)));
    }
  ids = g_strv_builder_end (builder);
  if (ids[0] == NULL)
    return;
  gtk_widget_activate_action (widget, g_str_equal (action_name, "table.claim") ? "assign.claim" : "assign.choose",
                              "^as", ids);
}

static char *
get_tag_text (AdwMessageDialog *dialog)
{
  GtkWidget *entry = adw_message_dialog_get_extra_child (dialog);

  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
}

static void
tag_changed_cb (AdwMessageDialog *dialog,
                GtkEditable      *entry)
{
  g_autofree char *tag = get_tag_text (dialog);

  adw_message_dialog_set_response_enabled (dialog, "add", tag[0] != '\0');
}

static void
tag_activate_cb (AdwMessageDialog *dialog,
                 GtkEntry         *entry)
{
  /* As the button does: responding alone leaves the dialog open. */
  if (adw_message_dialog_get_response_enabled (dialog, "add"))
    {
      adw_message_dialog_response (dialog, "add");
      gtk_window_close (GTK_WINDOW (dialog));
    }
}

static void
tag_response_cb (AdwMessageDialog *dialog,
                 const char       *response,
                 LkLeadsTable     *self)
{
  g_autofree char *tag = get_tag_text (dialog);

  if (g_str_equal (response, "add") && tag[0] != '\0')
    lk_leads_table_bulk_add_tag (self, tag);
}

static void
add_tag_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LkLeadsTable *self = LK_LEADS_TABLE (widget);
  guint n = get_n_selected (self);
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (get_parent_window (self), _("Add a Tag"), NULL));
  adw_message_dialog_format_body (dialog, g_dngettext (GETTEXT_PACKAGE, "The tag is added to the %u selected lead.",
                                                       "The tag is added to the %u selected leads.", n), n);
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("For example: price-sensitive"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Tag"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "add", _("_Add Tag"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "add", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (dialog, "add", FALSE);
  adw_message_dialog_set_default_response (dialog, "add");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_swapped (entry, "changed", G_CALLBACK (tag_changed_cb), dialog);
  g_signal_connect_swapped (entry, "activate", G_CALLBACK (tag_activate_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (tag_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    LkLeadsTable     *self)
{
  if (g_str_equal (response, "delete"))
    lk_leads_table_bulk_delete (self);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LkLeadsTable *self = LK_LEADS_TABLE (widget);
  guint n = get_n_selected (self);
  g_autofree char *count = lk_format_count (n);
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  if (n == 0)
    return;
  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Delete %s Lead?", "Delete %s Leads?", n), count);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (get_parent_window (self), heading, NULL));
  adw_message_dialog_set_body (dialog, _("Deleted leads disappear from every view here and, at the next sync, "
                                         "for the whole team. Right after deleting, Undo brings them back."));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  lk_bulk_runner_cancel (LK_LEADS_TABLE (widget)->runner);
}

static void
clear_selection_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  LkLeadsTable *self = LK_LEADS_TABLE (widget);

  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
}

/* GObject */

static void
lk_leads_table_constructed (GObject *object)
{
  LkLeadsTable *self = LK_LEADS_TABLE (object);
  LkStore *store;

  G_OBJECT_CLASS (lk_leads_table_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  g_assert (self->filter != NULL);
  store = get_store (self);

  self->tz = g_time_zone_ref (lk_clock_get_timezone (lk_context_get_clock (self->context)));
  self->env.pipeline = lk_context_get_pipeline (self->context);
  self->env.users = lk_store_get_users_by_id (get_store (self));
  self->env.tz = self->tz;
  self->env.currency = lk_store_get_currency (store);

  self->runner = lk_bulk_runner_new (store);
  g_signal_connect_object (self->runner, "notify::busy", G_CALLBACK (busy_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->runner, "finished", G_CALLBACK (job_finished_cb), self, G_CONNECT_SWAPPED);

  add_columns (self);
  load_users (self);
  build_stage_menu (self);
  lk_bulk_bar_set_stage_menu (self->bulk_bar, G_MENU_MODEL (self->stage_menu));
  lk_bulk_bar_set_owner_menu (self->bulk_bar, G_MENU_MODEL (self->owner_menu));

  /* Connected before the list exists, so the team is reloaded before the
   * list rebinds its rows after a change of everything. */
  self->store_changed_id = g_signal_connect_swapped (store, "changed", G_CALLBACK (store_changed_cb), self);

  self->query = lk_lead_query_new ();
  lk_lead_query_set_sort (self->query, LK_LEAD_SORT_UPDATED);
  self->filter_bindings = g_binding_group_new ();
  for (guint i = 0; i < G_N_ELEMENTS (filter_properties); i++)
    g_binding_group_bind (self->filter_bindings, filter_properties[i], self->query, filter_properties[i],
                          G_BINDING_SYNC_CREATE);
  g_binding_group_set_source (self->filter_bindings, self->filter);

  self->leads = lk_lead_list_new (store, self->query);
  self->selection = lk_table_selection_new (G_LIST_MODEL (self->leads));
  g_signal_connect_object (self->selection, "selection-changed", G_CALLBACK (selection_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed", G_CALLBACK (items_changed_cb),
                           self, G_CONNECT_SWAPPED);

  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (sort_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  update_empty_cb (self);
  selection_changed (self);
}

static void
lk_leads_table_dispose (GObject *object)
{
  LkLeadsTable *self = LK_LEADS_TABLE (object);

  g_clear_handle_id (&self->update_empty_id, g_source_remove);
  if (self->runner != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->runner, self);
      lk_bulk_runner_cancel (self->runner);
    }
  if (self->context != NULL)
    g_clear_signal_handler (&self->store_changed_id, get_store (self));
  if (self->column_view != NULL)
    {
      g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);
      gtk_column_view_set_model (self->column_view, NULL);
    }
  gtk_widget_insert_action_group (GTK_WIDGET (self), "columns", NULL);
  if (self->filter_bindings != NULL)
    g_binding_group_set_source (self->filter_bindings, NULL);
  clear_undo (self);

  g_clear_object (&self->layout);
  g_clear_object (&self->runner);
  g_clear_object (&self->selection);
  g_clear_object (&self->leads);
  g_clear_object (&self->filter_bindings);
  g_clear_object (&self->query);
  g_clear_object (&self->filter);
  g_clear_object (&self->settings);
  g_clear_object (&self->last_toast);

  G_OBJECT_CLASS (lk_leads_table_parent_class)->dispose (object);
}

static void
lk_leads_table_finalize (GObject *object)
{
  LkLeadsTable *self = LK_LEADS_TABLE (object);

  for (guint i = 0; i < self->n_columns; i++)
    g_clear_object (&self->columns[i].column);
  g_clear_pointer (&self->columns, g_free);
  g_clear_pointer (&self->owner_cells, g_hash_table_unref);
  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_clear_pointer (&self->env.currency, g_free);
  g_clear_object (&self->stage_menu);
  g_clear_object (&self->owner_menu);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (lk_leads_table_parent_class)->finalize (object);
}

static void
lk_leads_table_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LkLeadsTable *self = LK_LEADS_TABLE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_FILTER:
      g_value_set_object (value, self->filter);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, lk_leads_table_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_leads_table_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  LkLeadsTable *self = LK_LEADS_TABLE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_FILTER:
      self->filter = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_leads_table_class_init (LkLeadsTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = lk_leads_table_constructed;
  object_class->dispose = lk_leads_table_dispose;
  object_class->finalize = lk_leads_table_finalize;
  object_class->get_property = lk_leads_table_get_property;
  object_class->set_property = lk_leads_table_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, LK_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILTER] =
    g_param_spec_object ("filter", NULL, NULL, LK_TYPE_LEAD_QUERY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/leads/lk-leads-table.ui");
  gtk_widget_class_bind_template_child (widget_class, LkLeadsTable, stack);
  gtk_widget_class_bind_template_child (widget_class, LkLeadsTable, column_view);
  gtk_widget_class_bind_template_child (widget_class, LkLeadsTable, bulk_bar);
  gtk_widget_class_bind_template_callback (widget_class, activate_cb);

  gtk_widget_class_install_action (widget_class, "table.move-to", "s", move_to_action);
  gtk_widget_class_install_action (widget_class, "table.assign", "s", assign_action);
  gtk_widget_class_install_action (widget_class, "table.claim", NULL, selection_to_assign_action);
  gtk_widget_class_install_action (widget_class, "table.choose", NULL, selection_to_assign_action);
  gtk_widget_class_install_action (widget_class, "table.add-tag", NULL, add_tag_action);
  gtk_widget_class_install_action (widget_class, "table.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "table.clear-selection", NULL, clear_selection_action);
  gtk_widget_class_install_action (widget_class, "table.stop", NULL, stop_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "table.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "table.delete", NULL);

  g_type_ensure (LK_TYPE_BULK_BAR);
}

static void
lk_leads_table_init (LkLeadsTable *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->owner_cells = g_hash_table_new (NULL, NULL);
  self->stage_menu = g_menu_new ();
  self->owner_menu = g_menu_new ();
}

/* Public API */

/**
 * lk_leads_table_new:
 * @filter: the window's filter; the table follows every change of it
 *   and keeps its own sort
 * @settings: (nullable): where the columns and their widths are kept
 */
LkLeadsTable *
lk_leads_table_new (LkContext   *context,
                    LkLeadQuery *filter,
                    GSettings   *settings)
{
  g_return_val_if_fail (LK_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (LK_IS_LEAD_QUERY (filter), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (LK_TYPE_LEADS_TABLE,
                       "context", context,
                       "filter", filter,
                       "settings", settings,
                       NULL);
}

/* Returns: (transfer none): the selection over the rows */
GtkSelectionModel *
lk_leads_table_get_selection (LkLeadsTable *self)
{
  g_return_val_if_fail (LK_IS_LEADS_TABLE (self), NULL);
  return GTK_SELECTION_MODEL (self->selection);
}

/* Returns: (transfer none): the rows, an LkLeadList in the table's order */
GListModel *
lk_leads_table_get_model (LkLeadsTable *self)
{
  g_return_val_if_fail (LK_IS_LEADS_TABLE (self), NULL);
  return G_LIST_MODEL (self->leads);
}

/* Returns: whether a bulk change is running on a worker */
gboolean
lk_leads_table_get_busy (LkLeadsTable *self)
{
  g_return_val_if_fail (LK_IS_LEADS_TABLE (self), FALSE);
  return self->runner != NULL && lk_bulk_runner_get_busy (self->runner);
}

/**
 * lk_leads_table_sort_by:
 * @column_id: (nullable): a sortable column's id; %NULL for the default
 *   order (last updated first)
 *
 * As if the column's header was clicked into @order.
 */
void
lk_leads_table_sort_by (LkLeadsTable *self,
                        const char   *column_id,
                        GtkSortType   order)
{
  Column *column;

  g_return_if_fail (LK_IS_LEADS_TABLE (self));

  column = find_column (self, column_id);
  g_return_if_fail (column_id == NULL || (column != NULL && column->info->sort >= 0));
  gtk_column_view_sort_by_column (self->column_view, column ? column->column : NULL, order);
}

/**
 * lk_leads_table_bulk_move:
 * @reason: (nullable): why, when @stage_id is the Lost stage
 *
 * Moves the selected leads to the stage, as the bar's menu does once it
 * has a reason for Lost.
 */
void
lk_leads_table_bulk_move (LkLeadsTable *self,
                          const char   *stage_id,
                          const char   *reason)
{
  g_autoptr(GError) error = NULL;
  LkBulkJob *job;

  g_return_if_fail (LK_IS_LEADS_TABLE (self));
  g_return_if_fail (stage_id != NULL);

  /* A gate that fails for one lead fails for all: say so before starting. */
  if (!lk_pipeline_check_move (self->env.pipeline, NULL, stage_id, reason, NULL, &error))
    {
      show_toast (self, adw_toast_new (error->message));
      return;
    }
  job = new_selection_job (self, LK_BULK_MOVE);
  if (job == NULL)
    return;
  lk_bulk_job_set_value (job, stage_id);
  lk_bulk_job_set_reason (job, reason);
  run_job (self, job);
}

/**
 * lk_leads_table_bulk_assign:
 * @owner_id: (nullable): a team member's id; %NULL returns the leads to
 *   the pool
 */
void
lk_leads_table_bulk_assign (LkLeadsTable *self,
                            const char   *owner_id)
{
  LkBulkJob *job;

  g_return_if_fail (LK_IS_LEADS_TABLE (self));

  job = new_selection_job (self, LK_BULK_ASSIGN);
  if (job == NULL)
    return;
  lk_bulk_job_set_value (job, owner_id);
  run_job (self, job);
}

void
lk_leads_table_bulk_add_tag (LkLeadsTable *self,
                             const char   *tag)
{
  g_autofree char *clean = NULL;
  LkBulkJob *job;

  g_return_if_fail (LK_IS_LEADS_TABLE (self));
  g_return_if_fail (tag != NULL);

  clean = g_strstrip (g_strdup (tag));
  if (clean[0] == '\0')
    return;
  job = new_selection_job (self, LK_BULK_ADD_TAG);
  if (job == NULL)
    return;
  lk_bulk_job_set_value (job, clean);
  run_job (self, job);
}

/* Deletes the selected leads (softly: Undo and sync conflicts can bring
 * them back), as the bar does after its confirmation. */
void
lk_leads_table_bulk_delete (LkLeadsTable *self)
{
  LkBulkJob *job;

  g_return_if_fail (LK_IS_LEADS_TABLE (self));

  job = new_selection_job (self, LK_BULK_DELETE);
  if (job != NULL)
    run_job (self, job);
}

gboolean
lk_leads_table_can_undo (LkLeadsTable *self)
{
  g_return_val_if_fail (LK_IS_LEADS_TABLE (self), FALSE);
  return self->undo != NULL && !lk_leads_table_get_busy (self);
}

/* Puts back what the last bulk change changed, as its toast's Undo does. */
void
lk_leads_table_undo (LkLeadsTable *self)
{
  LkBulkJob *undo;

  g_return_if_fail (LK_IS_LEADS_TABLE (self));

  if (lk_leads_table_get_busy (self))
    return;
  undo = g_steal_pointer (&self->undo);
  clear_undo (self);
  if (undo != NULL)
    run_job (self, undo);
}

GtkColumnView *
lk_leads_table_get_column_view (LkLeadsTable *self)
{
  g_return_val_if_fail (LK_IS_LEADS_TABLE (self), NULL);
  return self->column_view;
}

/* Returns: (transfer none) (nullable): the toast shown last */
AdwToast *
lk_leads_table_get_last_toast (LkLeadsTable *self)
{
  g_return_val_if_fail (LK_IS_LEADS_TABLE (self), NULL);
  return self->last_toast;
}

/* Bulk changes of more than @n_leads run on a worker thread. */
void
lk_leads_table_set_worker_threshold (LkLeadsTable *self,
                                     guint         n_leads)
{
  g_return_if_fail (LK_IS_LEADS_TABLE (self));
  lk_bulk_runner_set_worker_threshold (self->runner, n_leads);
}

/* Returns: (transfer none): the menu that shows and hides columns, the
 * one each header has; its actions are lk_leads_table_get_columns_actions()
 * under the prefix "columns". On GTK 4.8 a header menu opens only with
 * the pointer, so the window offers the same menu from a button. */
GMenuModel *
lk_leads_table_get_columns_menu (LkLeadsTable *self)
{
  g_return_val_if_fail (LK_IS_LEADS_TABLE (self), NULL);
  return lk_table_layout_get_menu (self->layout);
}

/* Returns: (transfer none): */
GActionGroup *
lk_leads_table_get_columns_actions (LkLeadsTable *self)
{
  g_return_val_if_fail (LK_IS_LEADS_TABLE (self), NULL);
  return lk_table_layout_get_actions (self->layout);
}
