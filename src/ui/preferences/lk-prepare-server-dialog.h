/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LK_TYPE_PREPARE_SERVER_DIALOG (lk_prepare_server_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LkPrepareServerDialog, lk_prepare_server_dialog, LK, PREPARE_SERVER_DIALOG, AdwMessageDialog)

/* Responses: "cancel", "prepare" (enabled once both fields are filled). */
LkPrepareServerDialog *lk_prepare_server_dialog_new                (GtkWindow             *parent,
                                                                    const char            *server_url,
                                                                    const char            *database);
const char            *lk_prepare_server_dialog_get_admin_user     (LkPrepareServerDialog *self);
const char            *lk_prepare_server_dialog_get_admin_password (LkPrepareServerDialog *self);

G_END_DECLS
