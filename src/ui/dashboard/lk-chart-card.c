/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-dashboard"

#include <glib/gi18n.h>

#include "lk-chart-card.h"
#include "lk-report-chart.h"
#include "lk-report-table-view.h"

/* A titled card with one chart and its table: "Show as Table" switches
 * between them; the menu saves the chart as PNG or the table as CSV
 * through the dashboard's actions (dashboard.export-png, -csv, with the
 * table kind as the target). The monthly table has no chart. */

struct _LkChartCard
{
  GtkBox             parent_instance;

  /* Owned by the widget tree */
  GtkStack          *stack;
  GtkToggleButton   *table_toggle;
  GtkWidget         *chart;       /* nullable */
  GtkWidget         *table;

  LkReportTableKind  kind;
};

G_DEFINE_FINAL_TYPE (LkChartCard, lk_chart_card, GTK_TYPE_BOX)

static void
toggled_cb (LkChartCard *self)
{
  gtk_stack_set_visible_child_name (self->stack, gtk_toggle_button_get_active (self->table_toggle)
                                                 ? "table" : "chart");
}

static void
lk_chart_card_class_init (LkChartCardClass *klass)
{
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "lk-chart-card");
}

static void
lk_chart_card_init (LkChartCard *self)
{
}

static void
build (LkChartCard *self)
{
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title = gtk_label_new (lk_report_table_title (self->kind));
  GtkWidget *menu_button = gtk_menu_button_new ();
  g_autoptr(GMenu) menu = g_menu_new ();
  GtkWidget *scroller;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 6);
  gtk_widget_add_css_class (GTK_WIDGET (self), "card");
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);

  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_box_append (GTK_BOX (header), title);

  if (self->kind != LK_REPORT_MONTHLY)
    {
      g_autofree char *png = g_strdup_printf ("dashboard.export-png(%d)", self->kind);

      self->table_toggle = GTK_TOGGLE_BUTTON (gtk_toggle_button_new_with_label (_("Show as Table")));
      gtk_widget_add_css_class (GTK_WIDGET (self->table_toggle), "flat");
      g_signal_connect_object (self->table_toggle, "toggled", G_CALLBACK (toggled_cb), self, G_CONNECT_SWAPPED);
      gtk_box_append (GTK_BOX (header), GTK_WIDGET (self->table_toggle));
      g_menu_append (menu, _("Save Chart as PNG…"), png);
    }
  {
    g_autofree char *csv = g_strdup_printf ("dashboard.export-csv(%d)", self->kind);

    g_menu_append (menu, _("Save Table as CSV…"), csv);
  }
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "document-save-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), G_MENU_MODEL (menu));
  gtk_widget_add_css_class (menu_button, "flat");
  gtk_widget_set_tooltip_text (menu_button, _("Export"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (menu_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Export"), -1);
  gtk_box_append (GTK_BOX (header), menu_button);
  gtk_box_append (GTK_BOX (self), header);

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_set_vhomogeneous (self->stack, FALSE);
  if (self->kind != LK_REPORT_MONTHLY)
    {
      self->chart = lk_report_chart_new (self->kind);
      gtk_widget_set_size_request (self->chart, 320, self->kind == LK_REPORT_WEEKLY ? 260 : 240);
      gtk_stack_add_named (self->stack, self->chart, "chart");
    }
  self->table = lk_report_table_view_new (self->kind);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->table);
  gtk_stack_add_named (self->stack, scroller, "table");
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->stack));
}

GtkWidget *
lk_chart_card_new (LkReportTableKind kind)
{
  LkChartCard *self = g_object_new (LK_TYPE_CHART_CARD, NULL);

  self->kind = kind;
  build (self);
  return GTK_WIDGET (self);
}

LkReportTableKind
lk_chart_card_get_kind (LkChartCard *self)
{
  g_return_val_if_fail (LK_IS_CHART_CARD (self), 0);
  return self->kind;
}

void
lk_chart_card_set_report (LkChartCard *self,
                          LkReport    *report)
{
  g_return_if_fail (LK_IS_CHART_CARD (self));

  if (self->chart != NULL)
    lk_report_chart_set_report (LK_REPORT_CHART (self->chart), report);
  lk_report_table_view_set_report (LK_REPORT_TABLE_VIEW (self->table), report);
}

void
lk_chart_card_set_show_table (LkChartCard *self,
                              gboolean     show_table)
{
  g_return_if_fail (LK_IS_CHART_CARD (self));

  if (self->table_toggle != NULL)
    gtk_toggle_button_set_active (self->table_toggle, show_table);
}

gboolean
lk_chart_card_get_show_table (LkChartCard *self)
{
  g_return_val_if_fail (LK_IS_CHART_CARD (self), FALSE);
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "table") == 0;
}

GtkWidget *
lk_chart_card_get_chart (LkChartCard *self)
{
  g_return_val_if_fail (LK_IS_CHART_CARD (self), NULL);
  return self->chart;
}

GtkWidget *
lk_chart_card_get_table (LkChartCard *self)
{
  g_return_val_if_fail (LK_IS_CHART_CARD (self), NULL);
  return self->table;
}
