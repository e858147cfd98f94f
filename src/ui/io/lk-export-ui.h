/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-context.h"
#include "lk-export.h"
#include "lk-lead.h"
#include "lk-lead-query.h"

G_BEGIN_DECLS

/* Shows @toast on @owner (lk_window_show_toast() fits) */
typedef void (*LkExportToastFunc) (gpointer  owner,
                                   AdwToast *toast);

void lk_export_ui_export_leads (GtkWindow          *parent,
                                LkContext          *context,
                                LkLeadQuery        *query,
                                const char * const *ids,
                                LkExportToastFunc   show_toast,
                                GObject            *owner);
void lk_export_ui_start        (LkContext          *context,
                                LkLeadQuery        *query,
                                const char * const *ids,
                                GFile              *file,
                                LkExportFormat      format,
                                gboolean            gb18030,
                                LkExportToastFunc   show_toast,
                                GObject            *owner);
void lk_export_ui_export_vcard (GtkWindow          *parent,
                                LkLead             *lead,
                                LkExportToastFunc   show_toast,
                                GObject            *owner);

G_END_DECLS
