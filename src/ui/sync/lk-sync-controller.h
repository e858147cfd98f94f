/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lk-context.h"
#include "lk-sync-client.h"

G_BEGIN_DECLS

#define LK_TYPE_SYNC_CONTROLLER (lk_sync_controller_get_type ())
G_DECLARE_FINAL_TYPE (LkSyncController, lk_sync_controller, LK, SYNC_CONTROLLER, GObject)

/* Properties:
 *   context        LkContext*  construct-only
 *   settings       GSettings*  construct-only (the app's schema)
 *   client         LkSyncClient* read-only
 *   keyring-error  char*       why the password could not be read, or NULL (read-only) */
LkSyncController *lk_sync_controller_new               (LkContext           *context,
                                                        GSettings           *settings);
LkContext        *lk_sync_controller_get_context       (LkSyncController    *self);
GSettings        *lk_sync_controller_get_settings      (LkSyncController    *self);
LkSyncClient     *lk_sync_controller_get_client        (LkSyncController    *self);
const char       *lk_sync_controller_get_keyring_error (LkSyncController    *self);

/* Keeps @password for @server_url + @user in the keyring (an empty or
 * %NULL password removes it) and, when they are the configured server
 * and user, gives it to the client at once: a keyring that is missing
 * then costs only remembering the password across restarts. */
void              lk_sync_controller_save_password_async  (LkSyncController    *self,
                                                           const char          *server_url,
                                                           const char          *user,
                                                           const char          *password,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean          lk_sync_controller_save_password_finish (LkSyncController    *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

char             *lk_sync_database_url                 (const char          *server_url,
                                                        const char          *database);

G_END_DECLS
