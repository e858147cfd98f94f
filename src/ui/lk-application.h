/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-context.h"
#include "lk-sync-client.h"

G_BEGIN_DECLS

#define LK_TYPE_APPLICATION (lk_application_get_type ())
G_DECLARE_FINAL_TYPE (LkApplication, lk_application, LK, APPLICATION, AdwApplication)

LkApplication *lk_application_new         (void);
LkContext     *lk_application_get_context (LkApplication *self);
GSettings     *lk_application_get_settings (LkApplication *self);
void           lk_application_setup_i18n  (void);
gint64         lk_application_get_start_time (LkApplication *self);
LkSyncClient  *lk_application_get_sync_client (LkApplication *self);

G_END_DECLS
