/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-sync-client.h"

G_BEGIN_DECLS

#define LK_TYPE_SYNC_BUTTON (lk_sync_button_get_type ())
G_DECLARE_FINAL_TYPE (LkSyncButton, lk_sync_button, LK, SYNC_BUTTON, AdwBin)

/* The header bar's sync status: an icon (and a short label while syncing
 * or once synced) for the client's state, and a popover that says it in
 * words, with the error's reason, the changes waiting, the open conflicts
 * ("Review": win.show-conflicts), "Sync Now" (win.sync-now) and
 * "Preferences" (app.preferences).
 *
 * Properties: client (LkSyncClient*, nullable: not set up), conflicts (uint). */
LkSyncButton *lk_sync_button_new            (void);
LkSyncClient *lk_sync_button_get_client     (LkSyncButton *self);
void          lk_sync_button_set_client     (LkSyncButton *self,
                                             LkSyncClient *client);
guint         lk_sync_button_get_conflicts  (LkSyncButton *self);
void          lk_sync_button_set_conflicts  (LkSyncButton *self,
                                             guint         conflicts);

/* What it shows: the state in words ("Synced at 14:05"), the detail
 * (the error's reason), the icon, the label next to it, the changes
 * waiting, the conflicts line (NULL when hidden). */
const char   *lk_sync_button_get_title      (LkSyncButton *self);
const char   *lk_sync_button_get_detail     (LkSyncButton *self);
const char   *lk_sync_button_get_icon_name  (LkSyncButton *self);
const char   *lk_sync_button_get_label      (LkSyncButton *self);
const char   *lk_sync_button_get_pending_text (LkSyncButton *self);
const char   *lk_sync_button_get_conflicts_text (LkSyncButton *self);
void          lk_sync_button_popup          (LkSyncButton *self);

G_END_DECLS
