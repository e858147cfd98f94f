/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-context.h"

G_BEGIN_DECLS

#define LK_TYPE_DUPLICATES_WINDOW (lk_duplicates_window_get_type ())
G_DECLARE_FINAL_TYPE (LkDuplicatesWindow, lk_duplicates_window, LK, DUPLICATES_WINDOW, AdwWindow)

LkDuplicatesWindow *lk_duplicates_window_new       (LkContext          *context);
void                lk_duplicates_window_scan      (LkDuplicatesWindow *self);
gboolean            lk_duplicates_window_get_busy  (LkDuplicatesWindow *self);
GListModel         *lk_duplicates_window_get_groups (LkDuplicatesWindow *self);

G_END_DECLS
