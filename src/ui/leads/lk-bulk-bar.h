/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LK_TYPE_BULK_BAR (lk_bulk_bar_get_type ())
G_DECLARE_FINAL_TYPE (LkBulkBar, lk_bulk_bar, LK, BULK_BAR, AdwBin)

LkBulkBar  *lk_bulk_bar_new            (void);
guint       lk_bulk_bar_get_n_selected (LkBulkBar  *self);
void        lk_bulk_bar_set_n_selected (LkBulkBar  *self,
                                        guint       n_selected);
const char *lk_bulk_bar_get_status     (LkBulkBar  *self);
void        lk_bulk_bar_set_status     (LkBulkBar  *self,
                                        const char *status);
void        lk_bulk_bar_set_stage_menu (LkBulkBar  *self,
                                        GMenuModel *menu);
void        lk_bulk_bar_set_owner_menu (LkBulkBar  *self,
                                        GMenuModel *menu);

G_END_DECLS
