/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-dashboard"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "lk-report-chart.h"
#include "lk-report-render.h"

/* One chart of a report, drawn by lk_report_chart_draw() (the same code
 * draws the PDF): the bar under the pointer is outlined and its exact
 * values are the tooltip; the colours follow the light or dark style. The
 * chart's text alternative is its accessible description; the table view
 * next to it (LkReportTableView) is the full one. */

struct _LkReportChart
{
  GtkWidget          parent_instance;

  /* Owned */
  LkReport          *report;

  LkReportTableKind  kind;
  int                hover;
};

G_DEFINE_FINAL_TYPE (LkReportChart, lk_report_chart, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_KIND,
  PROP_REPORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_hover (LkReportChart *self,
           int            hover)
{
  if (self->hover == hover)
    return;
  self->hover = hover;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  gtk_widget_trigger_tooltip_query (GTK_WIDGET (self));
}

static void
motion_cb (LkReportChart *self,
           double         x,
           double         y)
{
  if (self->report == NULL)
    return;
  set_hover (self, lk_report_chart_hit (self->report, self->kind,
                                        gtk_widget_get_width (GTK_WIDGET (self)),
                                        gtk_widget_get_height (GTK_WIDGET (self)), x, y));
}

static void
leave_cb (LkReportChart *self)
{
  set_hover (self, -1);
}

static void
dark_cb (LkReportChart *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
query_tooltip_cb (LkReportChart *self,
                  int            x,
                  int            y,
                  gboolean       keyboard,
                  GtkTooltip    *tooltip)
{
  g_autofree char *text = NULL;
  int item;

  if (self->report == NULL)
    return FALSE;
  item = lk_report_chart_hit (self->report, self->kind,
                              gtk_widget_get_width (GTK_WIDGET (self)),
                              gtk_widget_get_height (GTK_WIDGET (self)), x, y);
  text = lk_report_chart_describe (self->report, self->kind, item);
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
lk_report_chart_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  LkReportChart *self = LK_REPORT_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  LkChartStyle style;
  cairo_t *cr;

  if (self->report == NULL || width <= 0 || height <= 0)
    return;
  lk_chart_style_init (&style, adw_style_manager_get_dark (adw_style_manager_get_default ()));
  {
    /* The theme's own text colour, so the chart matches the labels. */
    GdkRGBA fg;

    gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
    style.fg = (LkRgba) { fg.red, fg.green, fg.blue, 1 };
    style.dim = (LkRgba) { fg.red, fg.green, fg.blue, 0.45 };
    style.highlight = style.fg;
  }
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  lk_report_chart_draw (self->report, self->kind, cr, width, height, &style, self->hover);
  cairo_destroy (cr);
}

static void
lk_report_chart_dispose (GObject *object)
{
  LkReportChart *self = LK_REPORT_CHART (object);

  g_clear_object (&self->report);

  G_OBJECT_CLASS (lk_report_chart_parent_class)->dispose (object);
}

static void
lk_report_chart_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LkReportChart *self = LK_REPORT_CHART (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_int (value, self->kind);
      break;
    case PROP_REPORT:
      g_value_set_object (value, self->report);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_report_chart_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  LkReportChart *self = LK_REPORT_CHART (object);

  switch (prop_id)
    {
    case PROP_KIND:
      self->kind = g_value_get_int (value);
      break;
    case PROP_REPORT:
      lk_report_chart_set_report (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_report_chart_class_init (LkReportChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_report_chart_dispose;
  object_class->get_property = lk_report_chart_get_property;
  object_class->set_property = lk_report_chart_set_property;
  widget_class->snapshot = lk_report_chart_snapshot;

  properties[PROP_KIND] =
    g_param_spec_int ("kind", NULL, NULL, 0, LK_REPORT_N_TABLES - 1, 0,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REPORT] =
    g_param_spec_object ("report", NULL, NULL, LK_TYPE_REPORT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "lk-report-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
lk_report_chart_init (LkReportChart *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->hover = -1;
  g_signal_connect_swapped (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect_swapped (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (dark_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_set_size_request (GTK_WIDGET (self), 320, 240);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
}

GtkWidget *
lk_report_chart_new (LkReportTableKind kind)
{
  return g_object_new (LK_TYPE_REPORT_CHART, "kind", kind, NULL);
}

LkReportTableKind
lk_report_chart_get_kind (LkReportChart *self)
{
  g_return_val_if_fail (LK_IS_REPORT_CHART (self), 0);
  return self->kind;
}

LkReport *
lk_report_chart_get_report (LkReportChart *self)
{
  g_return_val_if_fail (LK_IS_REPORT_CHART (self), NULL);
  return self->report;
}

/* The item under the pointer, -1 for none: for tests */
int
lk_report_chart_get_hover (LkReportChart *self)
{
  g_return_val_if_fail (LK_IS_REPORT_CHART (self), -1);
  return self->hover;
}

void
lk_report_chart_set_report (LkReportChart *self,
                            LkReport      *report)
{
  g_autofree char *summary = NULL;

  g_return_if_fail (LK_IS_REPORT_CHART (self));
  g_return_if_fail (report == NULL || LK_IS_REPORT (report));

  if (!g_set_object (&self->report, report))
    return;
  self->hover = -1;
  if (report != NULL)
    summary = lk_report_chart_summary (report, self->kind);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, lk_report_table_title (self->kind),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary != NULL ? summary : "",
                                  -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
}
