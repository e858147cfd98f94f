/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-window"

#include <glib/gi18n-lib.h>

#include "lk-demo.h"
#include "lk-format.h"
#include "lk-lead-list.h"
#include "lk-store-merge.h"
#include "lk-window.h"
#include "capture/lk-quick-capture.h"
#include "dedup/lk-duplicates-window.h"
#include "dedup/lk-merge-dialog.h"
#include "io/lk-export-ui.h"
#include "io/lk-import-dialog.h"
#include "leads/lk-assign-actions.h"
#include "leads/lk-lead-editor.h"
#include "leads/lk-leads-table.h"
#include "widgets/lk-stage-style.h"
#include "lk-profile.h"
#include "pipeline/lk-board.h"
#include "pipeline/lk-lead-card.h"
#include "sync/lk-conflicts-view.h"
#include "followups/lk-followup-dialog.h"
#include "followups/lk-followup-row.h"
#include "dashboard/lk-dashboard-view.h"
#include "widgets/lk-filter-bar.h"
#include "widgets/lk-sync-button.h"

/* The main window: the views (the Pipeline board, the Leads table) under
 * one filter: LkFilterBar and the search entry edit self->query, and every
 * view follows it. The table is made when its page is first shown. */
struct _LkWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwViewSwitcherTitle *switcher_title;
  GtkSearchBar         *search_bar;
  GtkBox               *filter_slot;
  AdwViewStack         *views;
  AdwBin               *board_slot;
  GtkSearchEntry       *search_entry;
  GtkStack             *content_stack;
  AdwBin               *leads_slot;
  GtkSpinner           *spinner;
  LkSyncButton         *sync_button;
  AdwViewStackPage     *conflicts_page;
  AdwBin               *conflicts_slot;
  AdwBin               *followups_slot;
  AdwBin               *dashboard_slot;

  /* Borrowed */
  LkApplication        *application;

  /* Owned */
  LkContext            *context;
  LkLeadQuery          *query;       /* the filter every view follows */
  LkLeadsTable         *table;
  LkBoard              *board;
  LkFilterBar          *filter_bar;
  GtkDropDown          *sort_dropdown;
  GtkMenuButton        *columns_button;
  GtkCssProvider       *stage_css;
  GCancellable         *cancellable;
  LkSyncClient         *sync_client;   /* the application's, or NULL */
  LkConflictsView      *conflicts;
  LkFollowupsView      *followups;   /* made when first shown */
  LkAssignActions      *assign;        /* the "assign" actions: Claim, Assign… */

  gulong                store_changed_id;
};

G_DEFINE_FINAL_TYPE (LkWindow, lk_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_SYNC_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define SAMPLE_LEADS 300

typedef struct
{
  LkStore  *worker;
  guint     count;
  gboolean  first_start;
} SampleJob;

static void
sample_job_free (SampleJob *job)
{
  g_clear_object (&job->worker);
  g_free (job);
}

static void
update_state (LkWindow *self)
{
  gint64 n = lk_board_get_count (self->board);
  g_autofree char *count = lk_format_count (n);
  g_autofree char *subtitle = NULL;
  gint64 total;

  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s lead", "%s leads", (gulong) n), count);
  adw_view_switcher_title_set_subtitle (self->switcher_title, subtitle);

  /* The empty state is for a database without leads, not for a filter
   * that matches none: the board then shows its empty columns. */
  total = n > 0 ? 1 : lk_store_count_leads (lk_context_get_store (self->context), NULL);
  /* Conflicts over deleted leads are still to be decided. */
  if (total == 0 && self->conflicts != NULL && lk_conflicts_view_get_count (self->conflicts) > 0)
    total = 1;
  gtk_stack_set_visible_child_name (self->content_stack, total > 0 ? "views" : "empty");
  /* The filter is the lead views'; conflicts are all shown; the
   * dashboard has filters of its own. */
  gtk_widget_set_visible (GTK_WIDGET (self->filter_slot),
                          total > 0 && g_strcmp0 (adw_view_stack_get_visible_child_name (self->views), "conflicts") != 0 &&
                          g_strcmp0 (adw_view_stack_get_visible_child_name (self->views), "followups") != 0 &&
                          g_strcmp0 (adw_view_stack_get_visible_child_name (self->views), "dashboard") != 0);
}

static void
board_count_cb (LkWindow   *self,
                GParamSpec *pspec,
                LkBoard    *board)
{
  update_state (self);
}

static void
store_changed_cb (LkWindow           *self,
                  const char         *doc_type,
                  const char * const *ids,
                  LkStore            *store)
{
  if (doc_type == NULL || g_str_equal (doc_type, "user"))
    lk_filter_bar_reload (self->filter_bar);
  if (doc_type == NULL)
    update_state (self);
}

static void
search_changed_cb (LkWindow       *self,
                   GtkSearchEntry *entry)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  gint64 started = g_get_monotonic_time ();

  lk_lead_query_set_search (self->query, text[0] ? text : NULL);
  update_state (self);
  lk_profile_after_paint (GTK_WIDGET (self), "search keystroke to updated views", started);
}

static void
stop_search_cb (LkWindow       *self,
                GtkSearchEntry *entry)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static const char * const board_sorts[] = { "urgency", "amount", "updated" };

static LkLeadSort
board_sort_for (guint position)
{
  static const LkLeadSort sorts[] = { LK_LEAD_SORT_URGENCY, LK_LEAD_SORT_AMOUNT, LK_LEAD_SORT_UPDATED };

  return sorts[MIN (position, G_N_ELEMENTS (sorts) - 1)];
}

static void
sort_changed_cb (LkWindow    *self,
                 GParamSpec  *pspec,
                 GtkDropDown *dropdown)
{
  lk_board_set_sort (self->board, board_sort_for (gtk_drop_down_get_selected (dropdown)));
}

/* The Conflicts page is in the switcher while there are conflicts, and
 * stays while it is shown so that the last "Use Mine" does not move the
 * page away under the pointer. */
static void
update_conflicts_page (LkWindow *self)
{
  guint count = self->conflicts ? lk_conflicts_view_get_count (self->conflicts) : 0;
  gboolean shown;

  if (self->conflicts_page == NULL)
    return;
  shown = g_strcmp0 (adw_view_stack_get_visible_child_name (self->views), "conflicts") == 0;

  adw_view_stack_page_set_visible (self->conflicts_page, count > 0 || shown);
  adw_view_stack_page_set_badge_number (self->conflicts_page, count);
  adw_view_stack_page_set_needs_attention (self->conflicts_page, count > 0);
}

static void
conflicts_count_cb (LkWindow        *self,
                    GParamSpec      *pspec,
                    LkConflictsView *view)
{
  update_conflicts_page (self);
  update_state (self);
}

static void
update_sync_actions (LkWindow *self)
{
  LkSyncState state = self->sync_client ? lk_sync_client_get_state (self->sync_client) : LK_SYNC_STATE_UNCONFIGURED;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sync-now",
                                 state != LK_SYNC_STATE_UNCONFIGURED && state != LK_SYNC_STATE_SYNCING);
}

static void
sync_state_cb (LkWindow     *self,
               GParamSpec   *pspec,
               LkSyncClient *client)
{
  update_sync_actions (self);
}

static void
sync_run_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The outcome is the client's state, which the sync button shows. */
  if (!lk_sync_client_run_finish (LK_SYNC_CLIENT (object), result, NULL, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Sync run: %s", error->message);
}

static void
sync_now_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  LkWindow *self = LK_WINDOW (widget);

  if (self->sync_client != NULL)
    lk_sync_client_run_async (self->sync_client, self->cancellable, sync_run_cb, NULL);
}

static void
show_conflicts_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  LkWindow *self = LK_WINDOW (widget);

  adw_view_stack_page_set_visible (self->conflicts_page, TRUE);
  adw_view_stack_set_visible_child_name (self->views, "conflicts");
}

static void
view_changed_cb (LkWindow     *self,
                 GParamSpec   *pspec,
                 AdwViewStack *views)
{
  const char *name = adw_view_stack_get_visible_child_name (views);

  /* The card order belongs to the board. */
  if (self->sort_dropdown != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->sort_dropdown), g_strcmp0 (name, "pipeline") == 0);

  /* The table reads and shows its first rows when first looked at. */
  if (g_strcmp0 (name, "leads") == 0 && self->board != NULL)
    lk_window_get_table (self);
  if (g_strcmp0 (name, "followups") == 0 && self->board != NULL)
    lk_window_get_followups_view (self);
  if (self->columns_button != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->columns_button), g_strcmp0 (name, "leads") == 0);
  update_conflicts_page (self);
  if (self->board != NULL)
    update_state (self);
}

static void
sample_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SampleJob *job = task_data;
  GError *error = NULL;

  if (!lk_demo_generate (job->worker, job->count, (guint32) g_get_real_time (),
                         cancellable, NULL, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
sample_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  LkWindow *self = LK_WINDOW (object);
  SampleJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  gtk_spinner_stop (self->spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.load-sample-data", TRUE);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("Could not add sample data: %s"), error->message);

          lk_window_add_toast (self, message);
        }
      return;
    }

  /* The worker wrote through its own connection: tell our listeners. */
  lk_store_emit_changed (lk_context_get_store (self->context), NULL, NULL);
  if (job->first_start)
    {
      g_autoptr(GError) mark_error = NULL;

      if (!lk_context_mark_started (self->context, &mark_error))
        g_warning ("%s", mark_error->message);
    }
  {
    g_autofree char *title =
      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Added %u sample lead", "Added %u sample leads", job->count),
                       job->count);

    lk_window_add_toast (self, title);
  }
}

static void
start_sample_data (LkWindow *self,
                   guint     count,
                   gboolean  first_start)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  SampleJob *job;
  LkStore *worker;

  /* The connection is opened here and then used only by the worker. */
  worker = lk_store_open_worker (lk_context_get_store (self->context), &error);
  if (worker == NULL)
    {
      lk_window_add_toast (self, error->message);
      return;
    }
  /* Sample leads stay on this desktop: never sent to the team's server. */
  lk_store_set_local_only (worker, TRUE);
  job = g_new0 (SampleJob, 1);
  job->worker = worker;
  job->count = count;
  job->first_start = first_start;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.load-sample-data", FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_start (self->spinner);

  task = g_task_new (self, self->cancellable, sample_done_cb, NULL);
  g_task_set_source_tag (task, start_sample_data);
  g_task_set_task_data (task, job, (GDestroyNotify) sample_job_free);
  g_task_run_in_thread (task, sample_thread);
}

static void
load_sample_data_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  lk_window_load_sample_data (LK_WINDOW (widget), SAMPLE_LEADS);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LkWindow *self = LK_WINDOW (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static GSettings *
get_settings (LkWindow *self)
{
  return self->application ? lk_application_get_settings (self->application) : NULL;
}

static void
editor_saved_cb (LkWindow     *self,
                 LkLead       *lead,
                 LkLeadEditor *editor)
{
  g_autofree char *title = NULL;

  /* Translators: a toast after the editor saved a lead */
  title = g_strdup_printf (_("“%s” saved"), lk_lead_get_display_name (lead));
  lk_window_add_toast (self, title);
}

static void
editor_merged_cb (LkWindow     *self,
                  const char   *primary_id,
                  const char   *merge_id,
                  LkLeadEditor *editor)
{
  lk_window_show_toast (self, lk_merge_toast_new (self->context, primary_id, merge_id, "win.unmerge"));
}

static void
unmerge_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LkWindow *self = LK_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!lk_store_unmerge (lk_context_get_store (self->context), g_variant_get_string (parameter, NULL), &error))
    lk_window_add_toast (self, error->message);
}

/* Opens the editor on @lead_id, or on a new lead when it is NULL. */
static void
open_editor (LkWindow   *self,
             const char *lead_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) lead = NULL;
  LkLeadEditor *editor;

  if (lead_id != NULL)
    {
      lead = lk_store_get_lead (lk_context_get_store (self->context), lead_id, &error);
      if (lead == NULL)
        {
          lk_window_add_toast (self, error->message);
          return;
        }
    }
  editor = lk_lead_editor_new (self->context, lead);
  gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (self));
  g_signal_connect_object (editor, "saved", G_CALLBACK (editor_saved_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (editor, "merged", G_CALLBACK (editor_merged_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
open_lead_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  open_editor (LK_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
new_lead_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  open_editor (LK_WINDOW (widget), NULL);
}

static void
followup_logged_cb (LkWindow         *self,
                    LkActivity       *followup,
                    gboolean          too_often,
                    LkFollowupDialog *dialog)
{
  g_autofree char *title = NULL;

  /* Translators: a toast after logging a follow-up */
  title = g_strdup_printf (_("Follow-up with “%s” logged"),
                           lk_lead_get_display_name (lk_followup_dialog_get_lead (dialog)));
  lk_window_add_toast (self, title);
}

/* The lead Ctrl+L is about: the focused card or Follow-ups row, else the
 * first selected row of the table. */
static char *
focused_lead_id (LkWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkWidget *holder;
  const char *page = adw_view_stack_get_visible_child_name (self->views);

  /* A card's focus is on the list row around it. */
  if (focus != NULL && LK_IS_LEAD_CARD (gtk_widget_get_first_child (focus)))
    focus = gtk_widget_get_first_child (focus);
  if (focus != NULL && (holder = gtk_widget_get_ancestor (focus, LK_TYPE_LEAD_CARD)) != NULL &&
      lk_lead_card_get_lead (LK_LEAD_CARD (holder)) != NULL)
    return g_strdup (lk_record_get_id (LK_RECORD (lk_lead_card_get_lead (LK_LEAD_CARD (holder)))));
  if (focus != NULL && (holder = gtk_widget_get_ancestor (focus, LK_TYPE_FOLLOWUP_ROW)) != NULL)
    return g_strdup (lk_record_get_id (LK_RECORD (lk_followup_row_get_lead (LK_FOLLOWUP_ROW (holder)))));
  if (g_strcmp0 (page, "leads") == 0 && self->table != NULL)
    {
      GtkSelectionModel *selection = lk_leads_table_get_selection (self->table);
      g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (selection);

      if (!gtk_bitset_is_empty (selected))
        {
          g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (selection), gtk_bitset_get_minimum (selected));

          if (LK_IS_LEAD (item))
            return g_strdup (lk_record_get_id (LK_RECORD (item)));
        }
    }
  return NULL;
}

static void
log_followup_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  LkWindow *self = LK_WINDOW (widget);
  const char *given = g_variant_get_string (parameter, NULL);
  g_autofree char *lead_id = given[0] != '\0' ? g_strdup (given) : focused_lead_id (self);
  g_autoptr(GError) error = NULL;
  LkFollowupDialog *dialog;

  if (lead_id == NULL)
    {
      lk_window_add_toast (self, _("Select a lead first, then log its follow-up"));
      return;
    }
  dialog = lk_followup_dialog_open (GTK_WINDOW (self), self->context, lead_id, &error);
  if (dialog == NULL)
    {
      lk_window_add_toast (self, error->message);
      return;
    }
  g_signal_connect_object (dialog, "logged", G_CALLBACK (followup_logged_cb), self, G_CONNECT_SWAPPED);
}

static void
import_undone_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(LkWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!lk_import_undo_finish (result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not undo the import: %s"), error->message);

      lk_window_add_toast (self, message);
      return;
    }
  lk_window_add_toast (self, _("Import undone"));
}

static void
undo_import_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  LkWindow *self = LK_WINDOW (widget);

  lk_import_undo_async (lk_context_get_store (self->context), g_variant_get_int64 (parameter),
                        self->cancellable, import_undone_cb, g_object_ref (self));
}

static void
imported_cb (LkWindow       *self,
             gint64          import_id,
             guint           n_created,
             guint           n_updated,
             LkImportDialog *dialog)
{
  g_autofree char *created = lk_format_count (n_created);
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (n_updated > 0)
    /* Translators: a toast after an import, "Imported 1,234 leads, updated 5" */
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %s lead, updated %u", "Imported %s leads, updated %u",
                                          n_created),
                             created, n_updated);
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %s lead", "Imported %s leads", n_created), created);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-import");
  adw_toast_set_action_target_value (toast, g_variant_new_int64 (import_id));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  lk_window_show_toast (self, toast);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LkWindow *self = LK_WINDOW (widget);
  LkImportDialog *dialog = lk_import_dialog_new (self->context);

  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  g_signal_connect_object (dialog, "imported", G_CALLBACK (imported_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The leads selected in the table, when it is the view shown; %NULL for
 * none: then the export is the current filter's. */
static GStrv
selected_ids (LkWindow *self)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autoptr(GtkBitset) selected = NULL;
  GtkSelectionModel *selection;
  GtkBitsetIter iter;
  guint position;

  if (self->table == NULL || g_strcmp0 (adw_view_stack_get_visible_child_name (self->views), "leads") != 0)
    return NULL;
  selection = lk_leads_table_get_selection (self->table);
  selected = gtk_selection_model_get_selection (selection);
  if (gtk_bitset_is_empty (selected))
    return NULL;
  builder = g_strv_builder_new ();
  for (gboolean more = gtk_bitset_iter_init_first (&iter, selected, &position); more;
       more = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(LkRecord) lead = g_list_model_get_item (G_LIST_MODEL (selection), position);

      if (lead != NULL)
        g_strv_builder_add (builder, lk_record_get_id (lead));
    }
  return g_strv_builder_end (builder);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LkWindow *self = LK_WINDOW (widget);
  g_auto(GStrv) ids = selected_ids (self);

  lk_export_ui_export_leads (GTK_WINDOW (self), self->context, self->query, (const char * const *) ids,
                             (LkExportToastFunc) lk_window_show_toast, G_OBJECT (self));
}

static void
quick_capture_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  LkWindow *self = LK_WINDOW (widget);
  LkQuickCapture *capture = lk_quick_capture_new (self->context, get_settings (self));

  gtk_window_set_transient_for (GTK_WINDOW (capture), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (capture));
}

static void
find_duplicates_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  LkWindow *self = LK_WINDOW (widget);
  LkDuplicatesWindow *duplicates = lk_duplicates_window_new (self->context);

  gtk_window_set_transient_for (GTK_WINDOW (duplicates), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (duplicates));
}

static void
restore_state (LkWindow *self)
{
  GSettings *settings = get_settings (self);

  if (settings == NULL)
    return;
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  {
    g_autofree char *view = g_settings_get_string (settings, "last-view");
    g_autofree char *sort = g_settings_get_string (settings, "board-sort");

    if (adw_view_stack_get_child_by_name (self->views, view) != NULL)
      adw_view_stack_set_visible_child_name (self->views, view);
    for (guint i = 0; i < G_N_ELEMENTS (board_sorts); i++)
      if (g_str_equal (sort, board_sorts[i]))
        gtk_drop_down_set_selected (self->sort_dropdown, i);
    lk_board_set_lost_collapsed (self->board, g_settings_get_boolean (settings, "lost-collapsed"));
  }
  lk_board_set_sort (self->board, board_sort_for (gtk_drop_down_get_selected (self->sort_dropdown)));
}

static gboolean
lk_window_close_request (GtkWindow *window)
{
  LkWindow *self = LK_WINDOW (window);
  GSettings *settings = get_settings (self);

  if (settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (settings, "window-width", width);
      g_settings_set_int (settings, "window-height", height);
      g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (window));
      /* The Conflicts page is not one to come back to. */
      if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->views), "conflicts") != 0)
        g_settings_set_string (settings, "last-view", adw_view_stack_get_visible_child_name (self->views));
      g_settings_set_string (settings, "board-sort",
                             board_sorts[MIN (gtk_drop_down_get_selected (self->sort_dropdown),
                                              G_N_ELEMENTS (board_sorts) - 1)]);
      {
        const char *lost = lk_pipeline_get_lost_id (lk_context_get_pipeline (self->context));
        LkStageColumn *column = lost ? lk_board_get_column (self->board, lost) : NULL;

        if (column != NULL)
          g_settings_set_boolean (settings, "lost-collapsed", lk_stage_column_get_collapsed (column));
      }
    }
  return GTK_WINDOW_CLASS (lk_window_parent_class)->close_request (window);
}

static void
lk_window_constructed (GObject *object)
{
  LkWindow *self = LK_WINDOW (object);
  LkStore *store;
  gint64 started = g_get_monotonic_time ();

  G_OBJECT_CLASS (lk_window_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  store = lk_context_get_store (self->context);

  gtk_style_context_add_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                              GTK_STYLE_PROVIDER (self->stage_css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  lk_stage_style_load (self->stage_css, lk_context_get_pipeline (self->context));

  /* Connected before the list is made, so the team is reloaded before
   * the list rebinds its rows after a bulk change. */
  self->store_changed_id = g_signal_connect_swapped (store, "changed", G_CALLBACK (store_changed_cb), self);
  self->query = lk_lead_query_new ();
  lk_lead_query_set_sort (self->query, LK_LEAD_SORT_UPDATED);
  self->filter_bar = lk_filter_bar_new (self->context, self->query);
  gtk_box_append (self->filter_slot, GTK_WIDGET (self->filter_bar));
  {
    const char *orders[] = { _("Most Urgent First"), _("Largest Amount First"), _("Recently Updated First"), NULL };

    self->sort_dropdown = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (orders));
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->sort_dropdown), _("Order of the cards in each column"));
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->sort_dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("Card order"), -1);
    g_signal_connect_object (self->sort_dropdown, "notify::selected", G_CALLBACK (sort_changed_cb),
                             self, G_CONNECT_SWAPPED);
    gtk_box_append (GTK_BOX (lk_filter_bar_get_end_box (self->filter_bar)), GTK_WIDGET (self->sort_dropdown));
  }
  lk_profile_log ("filter bar", started);
  self->board = lk_board_new (self->context, self->query);
  adw_bin_set_child (self->board_slot, GTK_WIDGET (self->board));
  lk_profile_log ("board", started);
  /* The subtitle counts the leads under the filter: the board adds them
   * up in SQL anyway. */
  g_signal_connect_object (self->board, "notify::count", G_CALLBACK (board_count_cb),
                           self, G_CONNECT_SWAPPED);

  adw_bin_set_child (self->dashboard_slot, GTK_WIDGET (lk_dashboard_view_new (self->context)));

  self->conflicts = lk_conflicts_view_new (self->context);
  adw_bin_set_child (self->conflicts_slot, GTK_WIDGET (self->conflicts));
  g_object_bind_property (self->conflicts, "count", self->sync_button, "conflicts", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->conflicts, "notify::count", G_CALLBACK (conflicts_count_cb),
                           self, G_CONNECT_SWAPPED);
  lk_sync_button_set_client (self->sync_button, self->sync_client);
  if (self->sync_client != NULL)
    g_signal_connect_object (self->sync_client, "notify::state", G_CALLBACK (sync_state_cb),
                             self, G_CONNECT_SWAPPED);
  update_sync_actions (self);

  self->assign = lk_assign_actions_new (self->context, GTK_WINDOW (self));
  gtk_widget_insert_action_group (GTK_WIDGET (self), "assign", lk_assign_actions_get_group (self->assign));
  g_signal_connect_object (self->assign, "message", G_CALLBACK (lk_window_add_toast), self, G_CONNECT_SWAPPED);

  update_state (self);
  view_changed_cb (self, NULL, self->views);
}

static void
lk_window_dispose (GObject *object)
{
  LkWindow *self = LK_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->context != NULL)
    g_clear_signal_handler (&self->store_changed_id, lk_context_get_store (self->context));
  if (self->stage_css != NULL)
    gtk_style_context_remove_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                   GTK_STYLE_PROVIDER (self->stage_css));

  g_clear_object (&self->query);
  g_clear_object (&self->context);
  g_clear_object (&self->stage_css);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->sync_client);
  g_clear_object (&self->assign);

  G_OBJECT_CLASS (lk_window_parent_class)->dispose (object);
}

static void
lk_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  LkWindow *self = LK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_SYNC_CLIENT:
      g_value_set_object (value, self->sync_client);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  LkWindow *self = LK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_SYNC_CLIENT:
      self->sync_client = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_window_class_init (LkWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = lk_window_constructed;
  object_class->dispose = lk_window_dispose;
  object_class->get_property = lk_window_get_property;
  object_class->set_property = lk_window_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, LK_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYNC_CLIENT] =
    g_param_spec_object ("sync-client", NULL, NULL, LK_TYPE_SYNC_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  window_class->close_request = lk_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/lk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LkWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, filter_slot);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, views);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, board_slot);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, leads_slot);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, sync_button);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, conflicts_page);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, conflicts_slot);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, followups_slot);
  gtk_widget_class_bind_template_child (widget_class, LkWindow, dashboard_slot);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, view_changed_cb);

  gtk_widget_class_install_action (widget_class, "win.load-sample-data", NULL, load_sample_data_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.open-lead", "s", open_lead_action);
  gtk_widget_class_install_action (widget_class, "win.new-lead", NULL, new_lead_action);
  gtk_widget_class_install_action (widget_class, "win.sync-now", NULL, sync_now_action);
  gtk_widget_class_install_action (widget_class, "win.show-conflicts", NULL, show_conflicts_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.new-lead", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "win.undo-import", "x", undo_import_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "win.import", NULL);
  gtk_widget_class_install_action (widget_class, "win.log-followup", "s", log_followup_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "win.log-followup", "s", "");
  gtk_widget_class_install_action (widget_class, "win.quick-capture", NULL, quick_capture_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_N, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.quick-capture", NULL);
  gtk_widget_class_install_action (widget_class, "win.find-duplicates", NULL, find_duplicates_action);
  gtk_widget_class_install_action (widget_class, "win.unmerge", "s", unmerge_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export", NULL);

  g_type_ensure (LK_TYPE_BOARD);
  g_type_ensure (LK_TYPE_SYNC_BUTTON);
}

static void
lk_window_init (LkWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The entry sits in a clamp, where the bar does not find it by itself:
   * typing into the window (its key capture) goes to it, and GTK warned
   * at the first key. */
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));

  self->stage_css = gtk_css_provider_new ();
  self->cancellable = g_cancellable_new ();
}

/* A window over the application's context; fills sample data on the
 * database's very first start. */
LkWindow *
lk_window_new (LkApplication *application)
{
  LkWindow *self;

  g_return_val_if_fail (LK_IS_APPLICATION (application), NULL);

  self = g_object_new (LK_TYPE_WINDOW,
                       "application", application,
                       "context", lk_application_get_context (application),
                       "sync-client", lk_application_get_sync_client (application),
                       NULL);
  self->application = application;
  restore_state (self);
  lk_profile_after_paint (GTK_WIDGET (self), "start to first frame", lk_application_get_start_time (application));
  /* Sample data only for a new, empty database: never on top of leads
   * imported or synced before the window first opened. */
  if (lk_context_is_first_start (self->context))
    {
      g_autoptr(GError) error = NULL;

      if (lk_store_count_leads (lk_context_get_store (self->context), NULL) == 0)
        start_sample_data (self, SAMPLE_LEADS, TRUE);
      else if (!lk_context_mark_started (self->context, &error))
        g_warning ("%s", error->message);
    }
  return self;
}

LkContext *
lk_window_get_context (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);
  return self->context;
}

/* Returns: (transfer none): the table of the Leads page, made on first
 * use: a list over 100,000 leads re-reads its ids on every change, which
 * a page nobody looks at should not cost. */
LkLeadsTable *
lk_window_get_table (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);

  if (self->table == NULL)
    {
      self->table = lk_leads_table_new (self->context, self->query, get_settings (self));
      adw_bin_set_child (self->leads_slot, GTK_WIDGET (self->table));

      /* The column menu, reachable by keyboard (a header menu is not). */
      self->columns_button = GTK_MENU_BUTTON (gtk_menu_button_new ());
      gtk_menu_button_set_label (self->columns_button, _("Columns"));
      gtk_menu_button_set_menu_model (self->columns_button, lk_leads_table_get_columns_menu (self->table));
      gtk_widget_insert_action_group (GTK_WIDGET (self->columns_button), "columns",
                                      lk_leads_table_get_columns_actions (self->table));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->columns_button), _("Choose the columns of the table"));
      gtk_box_append (GTK_BOX (lk_filter_bar_get_end_box (self->filter_bar)), GTK_WIDGET (self->columns_button));
      gtk_widget_set_visible (GTK_WIDGET (self->columns_button),
                              g_strcmp0 (adw_view_stack_get_visible_child_name (self->views), "leads") == 0);
    }
  return self->table;
}

/* Returns: (transfer none): the leads the Leads page shows */
GListModel *
lk_window_get_leads (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);

  return G_LIST_MODEL (lk_leads_table_get_model (lk_window_get_table (self)));
}

/* Returns: (transfer none): the pipeline board */
LkBoard *
lk_window_get_board (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);
  return self->board;
}

/* Returns: (transfer none): the filter bar */
LkFilterBar *
lk_window_get_filter_bar (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);
  return self->filter_bar;
}

/* As if typed in the search entry, and its search-changed came. Replacing
 * the text empties the entry for a moment, and GtkSearchEntry announces an
 * empty text at once: the views would show every lead in between. */
void
lk_window_set_search (LkWindow   *self,
                      const char *text)
{
  g_return_if_fail (LK_IS_WINDOW (self));

  g_signal_handlers_block_by_func (self->search_entry, search_changed_cb, self);
  gtk_search_bar_set_search_mode (self->search_bar, text != NULL && text[0] != '\0');
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  g_signal_handlers_unblock_by_func (self->search_entry, search_changed_cb, self);
  search_changed_cb (self, self->search_entry);
}

/* Adds sample leads on a worker thread; the list updates when done. */
void
lk_window_load_sample_data (LkWindow *self,
                            guint     count)
{
  g_return_if_fail (LK_IS_WINDOW (self));

  start_sample_data (self, count, FALSE);
}

/* Shows @toast (the window takes it): for toasts with an Undo button. */
void
lk_window_show_toast (LkWindow *self,
                      AdwToast *toast)
{
  g_return_if_fail (LK_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
lk_window_add_toast (LkWindow   *self,
                     const char *title)
{
  g_return_if_fail (LK_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

/* Returns: (transfer none): the sync button of the header bar */
LkSyncButton *
lk_window_get_sync_button (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);
  return self->sync_button;
}

/* Returns: (transfer none): the Conflicts page */
LkConflictsView *
lk_window_get_conflicts_view (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);
  return self->conflicts;
}

/* Returns: (transfer none): the Follow-ups page, made on first use */
LkFollowupsView *
lk_window_get_followups_view (LkWindow *self)
{
  g_return_val_if_fail (LK_IS_WINDOW (self), NULL);

  if (self->followups == NULL)
    {
      self->followups = lk_followups_view_new (self->context);
      adw_bin_set_child (self->followups_slot, GTK_WIDGET (self->followups));
    }
  return self->followups;
}

/* Shows the Follow-ups page (a reminder's default action). */
void
lk_window_show_followups (LkWindow *self)
{
  g_return_if_fail (LK_IS_WINDOW (self));

  adw_view_stack_set_visible_child_name (self->views, "followups");
}
