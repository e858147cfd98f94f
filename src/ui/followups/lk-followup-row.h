/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-clock.h"
#include "lk-lead.h"
#include "lk-pipeline.h"

G_BEGIN_DECLS

#define LK_TYPE_FOLLOWUP_ROW (lk_followup_row_get_type ())
G_DECLARE_FINAL_TYPE (LkFollowupRow, lk_followup_row, LK, FOLLOWUP_ROW, AdwActionRow)

GtkWidget *lk_followup_row_new        (LkLead        *lead,
                                       LkPipeline    *pipeline,
                                       LkClock       *clock);
LkLead    *lk_followup_row_get_lead   (LkFollowupRow *self);
void       lk_followup_row_reschedule (LkFollowupRow *self,
                                       GDateTime     *day);

G_END_DECLS
