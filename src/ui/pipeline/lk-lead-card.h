/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "lk-clock.h"
#include "lk-lead.h"
#include "lk-pipeline.h"
#include "lk-stage.h"
#include "lk-user.h"

G_BEGIN_DECLS

typedef enum
{
  LK_FOLLOWUP_NONE,      /* Won or Lost: no follow-up expected */
  LK_FOLLOWUP_OVERDUE,
  LK_FOLLOWUP_TODAY,
  LK_FOLLOWUP_PLANNED,
  LK_FOLLOWUP_UNPLANNED, /* open lead with nothing planned */
} LkFollowupState;

#define LK_TYPE_LEAD_CARD (lk_lead_card_get_type ())
G_DECLARE_FINAL_TYPE (LkLeadCard, lk_lead_card, LK, LEAD_CARD, GtkWidget)

LkLeadCard      *lk_lead_card_new                 (void);
void             lk_lead_card_bind                (LkLeadCard *self,
                                                   LkLead     *lead,
                                                   LkPipeline *pipeline,
                                                   LkUser     *owner,
                                                   LkClock    *clock);
void             lk_lead_card_set_team_currency   (LkLeadCard *self,
                                                   const char *currency);
GMenuModel      *lk_lead_card_build_menu          (LkLeadCard *self);
void             lk_lead_card_popup_menu          (LkLeadCard *self);
LkLead          *lk_lead_card_get_lead            (LkLeadCard *self);
LkFollowupState  lk_lead_card_get_followup_state  (LkLeadCard *self);
gboolean         lk_lead_card_get_rotting         (LkLeadCard *self);
const char      *lk_lead_card_get_text            (LkLeadCard *self,
                                                   const char *part);

LkFollowupState  lk_followup_state_for            (LkLead     *lead,
                                                   LkStage    *stage,
                                                   LkClock    *clock);
gboolean         lk_lead_is_rotting               (LkLead     *lead,
                                                   LkStage    *stage,
                                                   LkClock    *clock,
                                                   int        *days_in_stage);

G_END_DECLS
