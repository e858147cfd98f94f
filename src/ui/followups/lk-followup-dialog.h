/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-context.h"

G_BEGIN_DECLS

#define LK_TYPE_FOLLOWUP_DIALOG (lk_followup_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LkFollowupDialog, lk_followup_dialog, LK, FOLLOWUP_DIALOG, AdwWindow)

LkFollowupDialog *lk_followup_dialog_new           (LkContext        *context,
                                                    LkLead           *lead);
LkFollowupDialog *lk_followup_dialog_open          (GtkWindow        *parent,
                                                    LkContext        *context,
                                                    const char       *lead_id,
                                                    GError          **error);
LkLead           *lk_followup_dialog_get_lead      (LkFollowupDialog *self);
gint64            lk_followup_dialog_get_at        (LkFollowupDialog *self);
gint64            lk_followup_dialog_get_next_due  (LkFollowupDialog *self);
gboolean          lk_followup_dialog_get_too_often (LkFollowupDialog *self);
gboolean          lk_followup_dialog_can_save      (LkFollowupDialog *self);
gboolean          lk_followup_dialog_set_text      (LkFollowupDialog *self,
                                                    const char       *field,
                                                    const char       *text);
const char       *lk_followup_dialog_get_message   (LkFollowupDialog *self);
gboolean          lk_followup_dialog_save          (LkFollowupDialog *self);

G_END_DECLS
