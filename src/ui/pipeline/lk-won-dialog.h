/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LK_TYPE_WON_DIALOG (lk_won_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LkWonDialog, lk_won_dialog, LK, WON_DIALOG, AdwMessageDialog)

LkWonDialog *lk_won_dialog_new             (GtkWindow   *parent,
                                            const char  *lead_name,
                                            gint64       amount,
                                            const char  *currency);
gboolean     lk_won_dialog_get_amount      (LkWonDialog *self,
                                            gint64      *amount);
void         lk_won_dialog_set_amount_text (LkWonDialog *self,
                                            const char  *text);

G_END_DECLS
