/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-dashboard"

#include <glib/gi18n.h>

#include "lk-report-table-view.h"

/* A report table (lk_report_get_table()) as a grid of labels: the
 * "Show as Table" alternative of a chart, and the monthly table. Each
 * cell's accessible label names its column, so a screen reader says
 * "Won: 3", not just "3". Row 0 is the header. */

struct _LkReportTableView
{
  AdwBin             parent_instance;

  /* Owned by the widget tree */
  GtkGrid           *grid;

  LkReportTableKind  kind;
};

G_DEFINE_FINAL_TYPE (LkReportTableView, lk_report_table_view, ADW_TYPE_BIN)

static GtkWidget *
cell_new (const char *text,
          const char *header,
          guint       column,
          gboolean    is_header)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), column == 0 ? 0 : 1);
  gtk_label_set_selectable (GTK_LABEL (label), !is_header);
  gtk_label_set_wrap (GTK_LABEL (label), is_header);
  gtk_label_set_max_width_chars (GTK_LABEL (label), is_header ? 12 : 30);
  gtk_widget_set_hexpand (label, column == 0);
  gtk_widget_set_focusable (label, FALSE);
  if (is_header)
    gtk_widget_add_css_class (label, "heading");
  else
    {
      g_autofree char *spoken = g_strdup_printf ("%s: %s", header, text[0] ? text : "—");

      if (column > 0)
        gtk_widget_add_css_class (label, "numeric");
      gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
    }
  return label;
}

static void
lk_report_table_view_class_init (LkReportTableViewClass *klass)
{
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "lk-report-table");
}

static void
lk_report_table_view_init (LkReportTableView *self)
{
}

GtkWidget *
lk_report_table_view_new (LkReportTableKind kind)
{
  LkReportTableView *self = g_object_new (LK_TYPE_REPORT_TABLE_VIEW, NULL);

  self->kind = kind;
  return GTK_WIDGET (self);
}

void
lk_report_table_view_set_report (LkReportTableView *self,
                                 LkReport          *report)
{
  g_autoptr(LkReportTable) table = NULL;
  guint n;

  g_return_if_fail (LK_IS_REPORT_TABLE_VIEW (self));
  g_return_if_fail (LK_IS_REPORT (report));

  table = lk_report_get_table (report, self->kind);
  n = g_strv_length (table->headers);
  self->grid = GTK_GRID (gtk_grid_new ());
  gtk_grid_set_column_spacing (self->grid, 18);
  gtk_grid_set_row_spacing (self->grid, 6);
  gtk_widget_set_margin_top (GTK_WIDGET (self->grid), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->grid), 6);
  for (guint c = 0; c < n; c++)
    gtk_grid_attach (self->grid, cell_new (table->headers[c], NULL, c, TRUE), c, 0, 1, 1);
  for (guint r = 0; r < table->rows->len; r++)
    {
      char **cells = g_ptr_array_index (table->rows, r);

      for (guint c = 0; c < n; c++)
        gtk_grid_attach (self->grid, cell_new (cells[c], table->headers[c], c, FALSE), c, r + 1, 1, 1);
    }
  if (table->rows->len == 0)
    {
      GtkWidget *empty = gtk_label_new (_("Nothing in this period"));

      gtk_widget_add_css_class (empty, "dim-label");
      gtk_grid_attach (self->grid, empty, 0, 1, n, 1);
    }
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->grid));
}

GtkLabel *
lk_report_table_view_get_cell (LkReportTableView *self,
                               guint              row,
                               guint              column)
{
  GtkWidget *child;

  g_return_val_if_fail (LK_IS_REPORT_TABLE_VIEW (self), NULL);

  if (self->grid == NULL)
    return NULL;
  child = gtk_grid_get_child_at (self->grid, column, row);
  return GTK_IS_LABEL (child) ? GTK_LABEL (child) : NULL;
}
