/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-application.h"
#include "leads/lk-leads-table.h"
#include "pipeline/lk-board.h"
#include "sync/lk-conflicts-view.h"
#include "followups/lk-followups-view.h"
#include "widgets/lk-filter-bar.h"
#include "widgets/lk-sync-button.h"

G_BEGIN_DECLS

#define LK_TYPE_WINDOW (lk_window_get_type ())
G_DECLARE_FINAL_TYPE (LkWindow, lk_window, LK, WINDOW, AdwApplicationWindow)

LkWindow   *lk_window_new              (LkApplication *application);
LkContext  *lk_window_get_context      (LkWindow      *self);
GListModel *lk_window_get_leads        (LkWindow      *self);
LkLeadsTable *lk_window_get_table      (LkWindow      *self);
LkBoard    *lk_window_get_board        (LkWindow      *self);
LkFilterBar *lk_window_get_filter_bar  (LkWindow      *self);
void        lk_window_set_search       (LkWindow      *self,
                                        const char    *text);
void        lk_window_load_sample_data (LkWindow      *self,
                                        guint          count);
void        lk_window_add_toast        (LkWindow      *self,
                                        const char    *title);
void        lk_window_show_toast       (LkWindow      *self,
                                        AdwToast      *toast);
LkSyncButton *lk_window_get_sync_button (LkWindow     *self);
LkConflictsView *lk_window_get_conflicts_view (LkWindow *self);
LkFollowupsView *lk_window_get_followups_view (LkWindow *self);
void        lk_window_show_followups   (LkWindow      *self);

G_END_DECLS
