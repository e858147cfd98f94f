/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "lk-lead.h"
#include "lk-stage.h"
#include "lk-user.h"

G_BEGIN_DECLS

#define LK_TYPE_LEAD_ROW (lk_lead_row_get_type ())
G_DECLARE_FINAL_TYPE (LkLeadRow, lk_lead_row, LK, LEAD_ROW, GtkBox)

LkLeadRow *lk_lead_row_new              (void);
void       lk_lead_row_bind             (LkLeadRow  *self,
                                         LkLead     *lead,
                                         LkStage    *stage,
                                         LkUser     *owner);
char      *lk_lead_row_stage_css_class  (const char *stage_id);

G_END_DECLS
