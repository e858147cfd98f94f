/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-rules-rows"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "preferences/lk-rules-rows.h"

AdwActionRow *
lk_rules_spin_row (const char     *title,
                   const char     *subtitle,
                   double          min,
                   double          max,
                   double          value,
                   GCallback       changed,
                   gpointer        page,
                   GtkSpinButton **spin)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  GtkWidget *button = gtk_spin_button_new_with_range (min, max, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (row, subtitle);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (button), TRUE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (button), value);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (row, button);
  adw_action_row_set_activatable_widget (row, button);
  if (changed != NULL)
    g_signal_connect_swapped (button, "value-changed", changed, page);
  if (spin != NULL)
    *spin = GTK_SPIN_BUTTON (button);
  return row;
}

AdwActionRow *
lk_rules_switch_row (const char  *title,
                     const char  *subtitle,
                     gboolean     active,
                     GCallback    changed,
                     gpointer     page,
                     GtkSwitch  **toggle)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  GtkWidget *button = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (row, subtitle);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (button), active);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (row, button);
  adw_action_row_set_activatable_widget (row, button);
  if (changed != NULL)
    g_signal_connect_swapped (button, "notify::active", changed, page);
  if (toggle != NULL)
    *toggle = GTK_SWITCH (button);
  return row;
}

AdwEntryRow *
lk_rules_entry_row (const char *title,
                    const char *text,
                    GCallback   changed,
                    gpointer    page)
{
  AdwEntryRow *row = ADW_ENTRY_ROW (adw_entry_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
  /* Saved when applied (Enter or the row's button), as the Sync page's
   * fields are: not a settings write per keystroke. */
  adw_entry_row_set_show_apply_button (row, TRUE);
  if (changed != NULL)
    g_signal_connect_swapped (row, "apply", changed, page);
  return row;
}

AdwComboRow *
lk_rules_combo_row (const char         *title,
                    const char * const *labels,
                    guint               selected,
                    GCallback           changed,
                    gpointer            page)
{
  AdwComboRow *row = ADW_COMBO_ROW (adw_combo_row_new ());
  g_autoptr(GtkStringList) model = gtk_string_list_new (labels);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_combo_row_set_model (row, G_LIST_MODEL (model));
  adw_combo_row_set_selected (row, selected);
  if (changed != NULL)
    g_signal_connect_swapped (row, "notify::selected", changed, page);
  return row;
}

GStrv
lk_rules_split_list (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *copy = g_strdup (text ? text : "");
  char *start = copy;

  for (char *p = copy;; )
    {
      gboolean full_width = g_str_has_prefix (p, "，") || g_str_has_prefix (p, "、");
      gboolean end = *p == '\0';

      if (end || *p == ',' || full_width)
        {
          char *next = end ? p : p + (full_width ? strlen ("，") : 1);

          *p = '\0';
          g_strstrip (start);
          if (start[0] != '\0')
            g_strv_builder_add (builder, start);
          if (end)
            break;
          p = start = next;
        }
      else
        p = g_utf8_next_char (p);
    }
  return g_strv_builder_end (builder);
}

char *
lk_rules_join_list (const char * const *values)
{
  if (values == NULL)
    return g_strdup ("");
  /* Translators: between the values of a list typed into a field */
  return g_strjoinv (_(", "), (GStrv) values);
}

void
lk_rules_show_error (GtkLabel   *label,
                     const char *message)
{
  gtk_label_set_text (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}
