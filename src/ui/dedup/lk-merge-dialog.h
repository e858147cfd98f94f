/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-context.h"

G_BEGIN_DECLS

#define LK_TYPE_MERGE_DIALOG (lk_merge_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LkMergeDialog, lk_merge_dialog, LK, MERGE_DIALOG, AdwWindow)

LkMergeDialog *lk_merge_dialog_new         (LkContext     *context,
                                            GPtrArray     *leads);
LkMergeDialog *lk_merge_dialog_new_typed   (LkContext     *context,
                                            LkLead        *match,
                                            LkLead        *typed);
void           lk_merge_dialog_set_primary (LkMergeDialog *self,
                                            guint          index);
gboolean       lk_merge_dialog_choose      (LkMergeDialog *self,
                                            const char    *field,
                                            guint          index);
AdwToast      *lk_merge_toast_new          (LkContext     *context,
                                            const char    *primary_id,
                                            const char    *merge_id,
                                            const char    *undo_action);
gboolean       lk_merge_dialog_merge       (LkMergeDialog *self,
                                            GError       **error);

G_END_DECLS
