/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "sync/lk-sync-controller.h"

G_BEGIN_DECLS

#define LK_TYPE_PREFERENCES_WINDOW (lk_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (LkPreferencesWindow, lk_preferences_window, LK, PREFERENCES_WINDOW, AdwPreferencesWindow)

LkPreferencesWindow *lk_preferences_window_new          (LkSyncController    *controller,
                                                         GtkWindow           *parent);
/* Saves the account rows as their apply buttons would; FALSE (and the
 * reason shown in the window) when a value is not valid. */
gboolean             lk_preferences_window_save_account (LkPreferencesWindow *self);
/* Whether the password row holds what the keyring has (the lookup done). */
gboolean             lk_preferences_window_is_loaded    (LkPreferencesWindow *self);
/* The account status line: what the last save or lookup said, or NULL. */
const char          *lk_preferences_window_get_status   (LkPreferencesWindow *self);

G_END_DECLS
