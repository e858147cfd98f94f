/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LK_TYPE_CONFLICT_ROW (lk_conflict_row_get_type ())
G_DECLARE_FINAL_TYPE (LkConflictRow, lk_conflict_row, LK, CONFLICT_ROW, AdwPreferencesRow)

/* One open conflict: a heading (the field's name, or what happened to
 * the lead), the three values of a field conflict or an explanation, and
 * two choices. Each choice activates conflicts.resolve((xb)) with the
 * conflict's id and whether it means "use mine". */
LkConflictRow *lk_conflict_row_new         (gint64         conflict_id,
                                            const char    *heading);
gint64         lk_conflict_row_get_id      (LkConflictRow *self);
void           lk_conflict_row_set_values  (LkConflictRow *self,
                                            const char    *mine,
                                            const char    *theirs,
                                            const char    *base);
void           lk_conflict_row_set_explanation (LkConflictRow *self,
                                            const char    *explanation);
void           lk_conflict_row_set_choices (LkConflictRow *self,
                                            const char    *first_label,
                                            gboolean       first_uses_mine,
                                            const char    *second_label,
                                            gboolean       second_uses_mine);
/* The buttons, in order: for tests and keyboard focus. */
GtkButton     *lk_conflict_row_get_button  (LkConflictRow *self,
                                            guint          index);

G_END_DECLS
