/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Small builders shared by the rule pages of Preferences (Follow-up,
 * Scoring, Team, Assignment, Pool): rows with a spin button, a switch or
 * a drop-down as their suffix, and entry rows, each calling @changed
 * (swapped, with @page) when the user changes the value (an entry row:
 * when the text is applied), and the page's error line. */

AdwActionRow *lk_rules_spin_row      (const char     *title,
                                      const char     *subtitle,
                                      double          min,
                                      double          max,
                                      double          value,
                                      GCallback       changed,
                                      gpointer        page,
                                      GtkSpinButton **spin);
AdwActionRow *lk_rules_switch_row    (const char     *title,
                                      const char     *subtitle,
                                      gboolean        active,
                                      GCallback       changed,
                                      gpointer        page,
                                      GtkSwitch     **toggle);
AdwEntryRow  *lk_rules_entry_row     (const char     *title,
                                      const char     *text,
                                      GCallback       changed,
                                      gpointer        page);
AdwComboRow  *lk_rules_combo_row     (const char     *title,
                                      const char * const *labels,
                                      guint           selected,
                                      GCallback       changed,
                                      gpointer        page);

/* "a, b，c" → {"a", "b", "c"}: comma-separated (ASCII or full-width)
 * values, trimmed, empty ones dropped. */
GStrv         lk_rules_split_list    (const char     *text);
char         *lk_rules_join_list     (const char * const *values);

/* Shows @message on @label (hidden for %NULL). */
void          lk_rules_show_error    (GtkLabel       *label,
                                      const char     *message);

G_END_DECLS
