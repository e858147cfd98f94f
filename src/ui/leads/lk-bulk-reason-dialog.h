/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LK_TYPE_BULK_REASON_DIALOG (lk_bulk_reason_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LkBulkReasonDialog, lk_bulk_reason_dialog, LK, BULK_REASON_DIALOG, AdwMessageDialog)

LkBulkReasonDialog *lk_bulk_reason_dialog_new        (GtkWindow          *parent,
                                                      guint               n_leads,
                                                      const char         *stage_name);
const char         *lk_bulk_reason_dialog_get_reason (LkBulkReasonDialog *self);

G_END_DECLS
