/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-context.h"
#include "lk-import.h"

G_BEGIN_DECLS

#define LK_TYPE_IMPORT_DIALOG (lk_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LkImportDialog, lk_import_dialog, LK, IMPORT_DIALOG, AdwWindow)

LkImportDialog *lk_import_dialog_new          (LkContext      *context);
gboolean        lk_import_dialog_set_file     (LkImportDialog *self,
                                               const char     *path,
                                               GError        **error);
void            lk_import_dialog_set_target   (LkImportDialog *self,
                                               guint           column,
                                               LkImportTarget  target);
gboolean        lk_import_dialog_get_busy     (LkImportDialog *self);
LkImport       *lk_import_dialog_get_checked  (LkImportDialog *self);

G_END_DECLS
