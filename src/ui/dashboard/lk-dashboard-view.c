/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-dashboard"

#include <glib/gi18n.h>

#include "lk-chart-card.h"
#include "lk-dashboard-view.h"
#include "lk-report-render.h"
#include "lk-store.h"
#include "lk-vocabulary.h"

/* The dashboard: a period and filters, the KPI tiles, one card per chart
 * and the monthly table. Reports are computed on a worker thread
 * (lk_report_compute_async()); the last result stays on screen, with a
 * spinner, until the new one arrives. The view computes only while it
 * is shown, and again (after a pause) when the store changes. */

#define RECOMPUTE_DELAY_MS 800

struct _LkDashboardView
{
  AdwBin              parent_instance;

  /* Template widgets */
  AdwToastOverlay    *toasts;
  GtkDropDown        *period_dropdown;
  GtkBox             *custom_box;
  GtkEntry           *from_entry;
  GtkEntry           *to_entry;
  GtkDropDown        *owner_dropdown;
  GtkDropDown        *source_dropdown;
  GtkSpinner         *spinner;
  GtkLabel           *period_label;
  GtkFlowBox         *tiles_box;
  GtkFlowBox         *charts_box;
  AdwBin             *monthly_slot;

  /* Owned */
  LkContext          *context;
  LkReport           *report;
  LkReportQuery      *custom;      /* the last valid custom period */
  GCancellable       *cancellable;
  GPtrArray          *owner_ids;   /* user id per owner_dropdown row; NULL for everyone */
  GPtrArray          *source_ids;  /* source id per source_dropdown row */
  GPtrArray          *cards;       /* LkChartCard, by LkReportTableKind */
  GtkFileChooserNative *chooser;

  gulong              changed_id;
  guint               recompute_id;
  guint               dirty : 1;
};

G_DEFINE_FINAL_TYPE (LkDashboardView, lk_dashboard_view, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_CONTEXT,
  PROP_REPORT,
  PROP_COMPUTING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const period_names[] = {
  N_("This Month"),
  N_("Last 30 Days"),
  N_("Last 90 Days"),
  N_("This Quarter"),
  N_("This Year"),
  N_("Custom…"),
  NULL
};

static void start_compute (LkDashboardView *self);

static void
toast (LkDashboardView *self,
       const char      *message)
{
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
}

static LkReportQuery *
make_query (LkDashboardView *self)
{
  guint period = gtk_drop_down_get_selected (self->period_dropdown);
  guint owner = gtk_drop_down_get_selected (self->owner_dropdown);
  guint source = gtk_drop_down_get_selected (self->source_dropdown);
  LkReportQuery *query;

  if (period == LK_REPORT_PERIOD_CUSTOM && self->custom != NULL)
    query = lk_report_query_copy (self->custom);
  else
    query = lk_report_query_new_period (MIN (period, LK_REPORT_PERIOD_THIS_YEAR),
                                        lk_context_get_clock (self->context));
  if (owner != GTK_INVALID_LIST_POSITION && owner < self->owner_ids->len)
    lk_report_query_set_owner (query, g_ptr_array_index (self->owner_ids, owner));
  if (source != GTK_INVALID_LIST_POSITION && source < self->source_ids->len)
    lk_report_query_set_source (query, g_ptr_array_index (self->source_ids, source));
  return query;
}

static GtkWidget *
tile_new (LkReportTile *tile)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *title = gtk_label_new (tile->title);
  GtkWidget *value = gtk_label_new (tile->value);
  g_autofree char *spoken = g_strdup_printf ("%s: %s", tile->title, tile->value);

  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (title, "dim-label");
  gtk_widget_add_css_class (title, "caption-heading");
  gtk_widget_add_css_class (value, "title-2");
  gtk_widget_add_css_class (value, "numeric");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_END);
  for (GtkWidget *w = title; w != NULL; w = w == title ? value : NULL)
    {
      gtk_widget_set_margin_start (w, 12);
      gtk_widget_set_margin_end (w, 12);
    }
  gtk_widget_set_margin_top (title, 10);
  gtk_widget_set_margin_bottom (value, 10);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), value);
  gtk_widget_set_tooltip_text (box, tile->detail);
  gtk_accessible_update_property (GTK_ACCESSIBLE (value), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tile->detail, -1);
  return box;
}

static void
show_report (LkDashboardView *self)
{
  g_autoptr(GPtrArray) tiles = lk_report_get_tiles (self->report);
  g_autofree char *period = lk_report_describe_period (self->report);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tiles_box))) != NULL)
    gtk_flow_box_remove (self->tiles_box, child);
  for (guint i = 0; i < tiles->len; i++)
    gtk_flow_box_append (self->tiles_box, tile_new (g_ptr_array_index (tiles, i)));
  for (guint i = 0; i < self->cards->len; i++)
    lk_chart_card_set_report (g_ptr_array_index (self->cards, i), self->report);
  gtk_label_set_text (self->period_label, period);
}

static void
set_computing (LkDashboardView *self,
               gboolean         computing)
{
  if (gtk_spinner_get_spinning (self->spinner) == computing)
    return;
  gtk_spinner_set_spinning (self->spinner, computing);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPUTING]);
}

static void
computed_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(LkDashboardView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkReport) report = lk_report_compute_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_computing (self, FALSE);
  if (report == NULL)
    {
      toast (self, error->message);
      return;
    }
  g_set_object (&self->report, report);
  show_report (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
}

static void
start_compute (LkDashboardView *self)
{
  g_autoptr(LkReportQuery) query = NULL;

  g_clear_handle_id (&self->recompute_id, g_source_remove);
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->dirty = TRUE;
      return;
    }
  self->dirty = FALSE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  query = make_query (self);
  set_computing (self, TRUE);
  lk_report_compute_async (lk_context_get_store (self->context), query, self->cancellable,
                           computed_cb, g_object_ref (self));
}

static gboolean
recompute_cb (gpointer user_data)
{
  LkDashboardView *self = user_data;

  self->recompute_id = 0;
  start_compute (self);
  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (LkDashboardView *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->dirty = TRUE;
      return;
    }
  /* A burst of edits (an import, a sync) recomputes once. */
  g_clear_handle_id (&self->recompute_id, g_source_remove);
  self->recompute_id = g_timeout_add (RECOMPUTE_DELAY_MS, recompute_cb, self);
}

static void
filters_changed_cb (LkDashboardView *self)
{
  gboolean custom = gtk_drop_down_get_selected (self->period_dropdown) == LK_REPORT_PERIOD_CUSTOM;

  gtk_widget_set_visible (GTK_WIDGET (self->custom_box), custom);
  if (custom && self->custom == NULL)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->from_entry));
      return;
    }
  start_compute (self);
}

static void
apply_custom_cb (LkDashboardView *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "dashboard.apply-custom", NULL);
}

static void
map_cb (LkDashboardView *self)
{
  if (self->dirty || self->report == NULL)
    start_compute (self);
}

static void
apply_custom_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  LkDashboardView *self = LK_DASHBOARD_VIEW (widget);

  lk_dashboard_view_set_custom (self, gtk_editable_get_text (GTK_EDITABLE (self->from_entry)),
                                gtk_editable_get_text (GTK_EDITABLE (self->to_entry)));
}

typedef enum
{
  EXPORT_PDF,
  EXPORT_PNG,
  EXPORT_CSV,
} ExportKind;

static char *
file_stem (LkDashboardView   *self,
           LkReportTableKind  kind,
           gboolean           whole)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (lk_report_query_get_from (lk_report_get_query (self->report)) / 1000);
  g_autofree char *date = g_date_time_format (utc, "%Y-%m-%d");
  static const char * const names[] = { "funnel", "sources", "weekly", "leaderboard", "stage-time", "lost-reasons", "monthly" };

  return whole ? g_strdup_printf ("leadkeeper-report-%s", date)
               : g_strdup_printf ("leadkeeper-%s-%s", names[kind], date);
}

static void
export_response_cb (LkDashboardView      *self,
                    int                   response,
                    GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  ExportKind export = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "lk-export"));
  LkReportTableKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "lk-kind"));
  gboolean ok = FALSE;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL || self->report == NULL)
    return;
  path = g_file_get_path (file);
  switch (export)
    {
    case EXPORT_PDF:
      ok = lk_report_write_pdf (self->report, path, &error);
      break;
    case EXPORT_PNG:
      ok = lk_report_write_chart_png (self->report, kind, path, 800, 480,
                                      adw_style_manager_get_dark (adw_style_manager_get_default ()), &error);
      break;
    case EXPORT_CSV:
      ok = lk_report_write_csv (self->report, kind, path, &error);
      break;
    default:
      g_assert_not_reached ();
    }
  if (ok)
    {
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *message = g_strdup_printf (_("Saved “%s”"), name);

      toast (self, message);
    }
  else
    toast (self, error->message);
}

/* The one place that asks for a file name to save to (GtkFileDialog is
 * GTK 4.10). */
static void
choose_file (LkDashboardView   *self,
             ExportKind         export,
             LkReportTableKind  kind)
{
  static const char * const extensions[] = { "pdf", "png", "csv" };
  g_autofree char *stem = NULL;
  g_autofree char *name = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->report == NULL)
    {
      toast (self, _("The report is still being computed: try again in a moment"));
      return;
    }
  stem = file_stem (self, kind, export == EXPORT_PDF);
  name = g_strdup_printf ("%s.%s", stem, extensions[export]);
  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (export == EXPORT_PDF ? _("Export Report as PDF")
                                               : export == EXPORT_PNG ? _("Save Chart as PNG")
                                               : _("Save Table as CSV"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_object_set_data (G_OBJECT (self->chooser), "lk-export", GINT_TO_POINTER (export));
  g_object_set_data (G_OBJECT (self->chooser), "lk-kind", GINT_TO_POINTER (kind));
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (export_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LkDashboardView *self = LK_DASHBOARD_VIEW (widget);
  int kind = parameter != NULL ? g_variant_get_int32 (parameter) : 0;

  if (kind < 0 || kind >= LK_REPORT_N_TABLES)
    return;
  if (g_str_equal (action_name, "dashboard.export-pdf"))
    choose_file (self, EXPORT_PDF, 0);
  else if (g_str_equal (action_name, "dashboard.export-png"))
    choose_file (self, EXPORT_PNG, kind);
  else
    choose_file (self, EXPORT_CSV, kind);
}

static void
fill_filters (LkDashboardView *self)
{
  g_autoptr(GtkStringList) owners = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) sources = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) periods = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) users = lk_store_list_users (lk_context_get_store (self->context), NULL);
  const LkTerm *terms;
  guint n_terms = 0;

  for (guint i = 0; period_names[i] != NULL; i++)
    gtk_string_list_append (periods, _(period_names[i]));
  gtk_drop_down_set_model (self->period_dropdown, G_LIST_MODEL (periods));

  gtk_string_list_append (owners, _("Everyone"));
  g_ptr_array_add (self->owner_ids, NULL);
  for (guint i = 0; users != NULL && i < users->len; i++)
    {
      LkUser *user = g_ptr_array_index (users, i);

      gtk_string_list_append (owners, lk_user_get_display_name (user));
      g_ptr_array_add (self->owner_ids, g_strdup (lk_record_get_id (LK_RECORD (user))));
    }
  gtk_drop_down_set_model (self->owner_dropdown, G_LIST_MODEL (owners));

  gtk_string_list_append (sources, _("All Sources"));
  g_ptr_array_add (self->source_ids, NULL);
  terms = lk_vocabulary_sources (&n_terms);
  for (guint i = 0; i < n_terms; i++)
    {
      gtk_string_list_append (sources, lk_vocabulary_source_name (terms[i].id));
      g_ptr_array_add (self->source_ids, g_strdup (terms[i].id));
    }
  gtk_drop_down_set_model (self->source_dropdown, G_LIST_MODEL (sources));
}

static void
lk_dashboard_view_constructed (GObject *object)
{
  LkDashboardView *self = LK_DASHBOARD_VIEW (object);
  static const LkReportTableKind charts[] = {
    LK_REPORT_FUNNEL, LK_REPORT_SOURCES, LK_REPORT_WEEKLY,
    LK_REPORT_LEADERBOARD, LK_REPORT_STAGE_TIME, LK_REPORT_LOST_REASONS,
  };

  G_OBJECT_CLASS (lk_dashboard_view_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  fill_filters (self);
  for (guint i = 0; i < G_N_ELEMENTS (charts); i++)
    {
      GtkWidget *card = lk_chart_card_new (charts[i]);

      g_ptr_array_add (self->cards, card);
      gtk_flow_box_append (self->charts_box, card);
    }
  {
    GtkWidget *monthly = lk_chart_card_new (LK_REPORT_MONTHLY);

    g_ptr_array_add (self->cards, monthly);
    adw_bin_set_child (self->monthly_slot, monthly);
  }
  g_signal_connect_object (self->period_dropdown, "notify::selected", G_CALLBACK (filters_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->owner_dropdown, "notify::selected", G_CALLBACK (filters_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->source_dropdown, "notify::selected", G_CALLBACK (filters_changed_cb),
                           self, G_CONNECT_SWAPPED);
  self->changed_id = g_signal_connect_swapped (lk_context_get_store (self->context), "changed",
                                               G_CALLBACK (store_changed_cb), self);
  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);
}

static void
lk_dashboard_view_dispose (GObject *object)
{
  LkDashboardView *self = LK_DASHBOARD_VIEW (object);

  g_clear_handle_id (&self->recompute_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->context != NULL)
    g_clear_signal_handler (&self->changed_id, lk_context_get_store (self->context));
  g_clear_object (&self->chooser);
  g_clear_object (&self->report);
  g_clear_object (&self->custom);
  g_clear_object (&self->context);
  g_clear_pointer (&self->owner_ids, g_ptr_array_unref);
  g_clear_pointer (&self->source_ids, g_ptr_array_unref);
  g_clear_pointer (&self->cards, g_ptr_array_unref);

  G_OBJECT_CLASS (lk_dashboard_view_parent_class)->dispose (object);
}

static void
lk_dashboard_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LkDashboardView *self = LK_DASHBOARD_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_REPORT:
      g_value_set_object (value, self->report);
      break;
    case PROP_COMPUTING:
      g_value_set_boolean (value, lk_dashboard_view_get_computing (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_dashboard_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  LkDashboardView *self = LK_DASHBOARD_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_dashboard_view_class_init (LkDashboardViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = lk_dashboard_view_constructed;
  object_class->dispose = lk_dashboard_view_dispose;
  object_class->get_property = lk_dashboard_view_get_property;
  object_class->set_property = lk_dashboard_view_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, LK_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REPORT] =
    g_param_spec_object ("report", NULL, NULL, LK_TYPE_REPORT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPUTING] =
    g_param_spec_boolean ("computing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/dashboard/lk-dashboard-view.ui");
  gtk_widget_class_bind_template_child (widget_class, LkDashboardView, toasts);
  gtk_widget_class_bind_template_child (widget_class, LkDashboardView, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LkDashboardView, custom_box);
  gtk_widget_class_bind_template_child (widget_class, LkDashboardView, from_entry);
  gtk_widget_class_bind_template_child (widget_class, LkDashboardView, to_entry);
  gtk_widget_class_bind_template_child (widget_class, LkDashboardView, owner_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LkDashboardView, source_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LkDashboardView, spinner);
  gtk_widget_class_bind_template_child (widget_class, LkDashboardView, period_label);
  gtk_widget_class_bind_template_child (widget_class, LkDashboardView, tiles_box);
  gtk_widget_class_bind_template_child (widget_class, LkDashboardView, charts_box);
  gtk_widget_class_bind_template_child (widget_class, LkDashboardView, monthly_slot);
  gtk_widget_class_bind_template_callback (widget_class, apply_custom_cb);

  gtk_widget_class_install_action (widget_class, "dashboard.apply-custom", NULL, apply_custom_action);
  gtk_widget_class_install_action (widget_class, "dashboard.export-pdf", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "dashboard.export-png", "i", export_action);
  gtk_widget_class_install_action (widget_class, "dashboard.export-csv", "i", export_action);
}

static void
lk_dashboard_view_init (LkDashboardView *self)
{
  self->owner_ids = g_ptr_array_new_with_free_func (g_free);
  self->source_ids = g_ptr_array_new_with_free_func (g_free);
  self->cards = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

LkDashboardView *
lk_dashboard_view_new (LkContext *context)
{
  g_return_val_if_fail (LK_IS_CONTEXT (context), NULL);

  return g_object_new (LK_TYPE_DASHBOARD_VIEW, "context", context, NULL);
}

/* Returns: (transfer none) (nullable): the report on screen */
LkReport *
lk_dashboard_view_get_report (LkDashboardView *self)
{
  g_return_val_if_fail (LK_IS_DASHBOARD_VIEW (self), NULL);
  return self->report;
}

gboolean
lk_dashboard_view_get_computing (LkDashboardView *self)
{
  g_return_val_if_fail (LK_IS_DASHBOARD_VIEW (self), FALSE);
  return gtk_spinner_get_spinning (self->spinner);
}

void
lk_dashboard_view_refresh (LkDashboardView *self)
{
  g_return_if_fail (LK_IS_DASHBOARD_VIEW (self));
  start_compute (self);
}

/* @period: an LkReportPeriod */
void
lk_dashboard_view_set_period (LkDashboardView *self,
                              guint            period)
{
  g_return_if_fail (LK_IS_DASHBOARD_VIEW (self));
  g_return_if_fail (period <= LK_REPORT_PERIOD_CUSTOM);

  gtk_drop_down_set_selected (self->period_dropdown, period);
}

/* Shows the whole days from @from_date to @to_date (YYYY-MM-DD); a bad
 * date is reported in a toast and the last report stays. */
void
lk_dashboard_view_set_custom (LkDashboardView *self,
                              const char      *from_date,
                              const char      *to_date)
{
  g_autoptr(GError) error = NULL;
  LkReportQuery *query;

  g_return_if_fail (LK_IS_DASHBOARD_VIEW (self));

  query = lk_report_query_new_dates (from_date, to_date,
                                     lk_clock_get_timezone (lk_context_get_clock (self->context)), &error);
  if (query == NULL)
    {
      toast (self, error->message);
      return;
    }
  g_clear_object (&self->custom);
  self->custom = query;
  gtk_editable_set_text (GTK_EDITABLE (self->from_entry), from_date);
  gtk_editable_set_text (GTK_EDITABLE (self->to_entry), to_date);
  if (gtk_drop_down_get_selected (self->period_dropdown) != LK_REPORT_PERIOD_CUSTOM)
    gtk_drop_down_set_selected (self->period_dropdown, LK_REPORT_PERIOD_CUSTOM);
  else
    start_compute (self);
}

/* Returns: (transfer none): the LkChartCard of @kind */
GtkWidget *
lk_dashboard_view_get_card (LkDashboardView   *self,
                            LkReportTableKind  kind)
{
  g_return_val_if_fail (LK_IS_DASHBOARD_VIEW (self), NULL);

  for (guint i = 0; i < self->cards->len; i++)
    if (lk_chart_card_get_kind (g_ptr_array_index (self->cards, i)) == kind)
      return g_ptr_array_index (self->cards, i);
  return NULL;
}
