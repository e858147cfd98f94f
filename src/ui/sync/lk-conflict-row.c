/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-conflict-row"

#include <glib/gi18n-lib.h>

#include "sync/lk-conflict-row.h"

struct _LkConflictRow
{
  AdwPreferencesRow  parent_instance;

  /* Template widgets */
  GtkLabel          *heading_label;
  GtkLabel          *explanation_label;
  GtkGrid           *values_grid;
  GtkLabel          *mine_label;
  GtkLabel          *theirs_label;
  GtkLabel          *base_label;
  GtkButton         *first_button;
  GtkButton         *second_button;

  gint64             id;
};

G_DEFINE_FINAL_TYPE (LkConflictRow, lk_conflict_row, ADW_TYPE_PREFERENCES_ROW)

static void
set_choice (LkConflictRow *self,
            GtkButton     *button,
            const char    *label,
            gboolean       uses_mine)
{
  g_autofree char *plain = NULL;
  g_autofree char *accessible = NULL;
  GString *stripped;

  gtk_button_set_label (button, label);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(xb)", self->id, uses_mine);

  /* "Use Mine" alone says little among many rows: name the field too. */
  stripped = g_string_new (label);
  g_string_replace (stripped, "_", "", 0);
  plain = g_string_free (stripped, FALSE);
  /* Translators: a conflict button's accessible name: "Use Mine: Phone" */
  accessible = g_strdup_printf (_("%s: %s"), plain, gtk_label_get_text (self->heading_label));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

static void
lk_conflict_row_class_init (LkConflictRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/sync/lk-conflict-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LkConflictRow, heading_label);
  gtk_widget_class_bind_template_child (widget_class, LkConflictRow, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, LkConflictRow, values_grid);
  gtk_widget_class_bind_template_child (widget_class, LkConflictRow, mine_label);
  gtk_widget_class_bind_template_child (widget_class, LkConflictRow, theirs_label);
  gtk_widget_class_bind_template_child (widget_class, LkConflictRow, base_label);
  gtk_widget_class_bind_template_child (widget_class, LkConflictRow, first_button);
  gtk_widget_class_bind_template_child (widget_class, LkConflictRow, second_button);
}

static void
lk_conflict_row_init (LkConflictRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

LkConflictRow *
lk_conflict_row_new (gint64      conflict_id,
                     const char *heading)
{
  LkConflictRow *self;

  g_return_val_if_fail (heading != NULL, NULL);

  self = g_object_new (LK_TYPE_CONFLICT_ROW, "title", heading, NULL);
  self->id = conflict_id;
  gtk_label_set_text (self->heading_label, heading);
  return self;
}

gint64
lk_conflict_row_get_id (LkConflictRow *self)
{
  g_return_val_if_fail (LK_IS_CONFLICT_ROW (self), 0);
  return self->id;
}

void
lk_conflict_row_set_values (LkConflictRow *self,
                            const char    *mine,
                            const char    *theirs,
                            const char    *base)
{
  g_return_if_fail (LK_IS_CONFLICT_ROW (self));

  gtk_label_set_text (self->mine_label, mine);
  gtk_label_set_text (self->theirs_label, theirs);
  gtk_label_set_text (self->base_label, base);
  gtk_widget_set_visible (GTK_WIDGET (self->values_grid), TRUE);
}

/* For a conflict without three values (a lead edited here and deleted
 * there, or the other way round): what happened, instead of the values. */
void
lk_conflict_row_set_explanation (LkConflictRow *self,
                                 const char    *explanation)
{
  g_return_if_fail (LK_IS_CONFLICT_ROW (self));

  gtk_label_set_text (self->explanation_label, explanation);
  gtk_widget_set_visible (GTK_WIDGET (self->explanation_label), explanation != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->values_grid), FALSE);
}

void
lk_conflict_row_set_choices (LkConflictRow *self,
                             const char    *first_label,
                             gboolean       first_uses_mine,
                             const char    *second_label,
                             gboolean       second_uses_mine)
{
  g_return_if_fail (LK_IS_CONFLICT_ROW (self));

  set_choice (self, self->first_button, first_label, first_uses_mine);
  set_choice (self, self->second_button, second_label, second_uses_mine);
}

/* Returns: (transfer none): button 0 or 1 */
GtkButton *
lk_conflict_row_get_button (LkConflictRow *self,
                            guint          index)
{
  g_return_val_if_fail (LK_IS_CONFLICT_ROW (self), NULL);
  g_return_val_if_fail (index < 2, NULL);

  return index == 0 ? self->first_button : self->second_button;
}
