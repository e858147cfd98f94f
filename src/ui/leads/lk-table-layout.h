/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LK_TYPE_TABLE_LAYOUT (lk_table_layout_get_type ())
G_DECLARE_FINAL_TYPE (LkTableLayout, lk_table_layout, LK, TABLE_LAYOUT, GObject)

LkTableLayout *lk_table_layout_new         (GtkColumnView       *view,
                                            GSettings           *settings,
                                            const char          *columns_key,
                                            const char          *widths_key);
void           lk_table_layout_add_column  (LkTableLayout       *self,
                                            GtkColumnViewColumn *column,
                                            const char          *id,
                                            gboolean             shown_by_default);
void           lk_table_layout_restore     (LkTableLayout       *self);
void           lk_table_layout_reset       (LkTableLayout       *self);
GActionGroup  *lk_table_layout_get_actions (LkTableLayout       *self);
GMenuModel    *lk_table_layout_get_menu    (LkTableLayout       *self);

G_END_DECLS
