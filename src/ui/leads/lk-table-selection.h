/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LK_TYPE_TABLE_SELECTION (lk_table_selection_get_type ())
G_DECLARE_FINAL_TYPE (LkTableSelection, lk_table_selection, LK, TABLE_SELECTION, GObject)

LkTableSelection *lk_table_selection_new       (GListModel       *model);
GListModel       *lk_table_selection_get_model (LkTableSelection *self);

G_END_DECLS
