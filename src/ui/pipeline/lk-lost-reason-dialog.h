/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LK_TYPE_LOST_REASON_DIALOG (lk_lost_reason_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LkLostReasonDialog, lk_lost_reason_dialog, LK, LOST_REASON_DIALOG, AdwMessageDialog)

LkLostReasonDialog *lk_lost_reason_dialog_new        (GtkWindow          *parent,
                                                      const char         *lead_name);
LkLostReasonDialog *lk_lost_reason_dialog_new_for_leads (GtkWindow     *parent,
                                                         guint          n_leads);
char               *lk_lost_reason_dialog_get_reason (LkLostReasonDialog *self);
void                lk_lost_reason_dialog_set_reason (LkLostReasonDialog *self,
                                                      const char         *reason);

G_END_DECLS
