/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-store.h"

G_BEGIN_DECLS

#define LK_TYPE_SCORE_EXPLANATION (lk_score_explanation_get_type ())
G_DECLARE_FINAL_TYPE (LkScoreExplanation, lk_score_explanation, LK, SCORE_EXPLANATION, AdwExpanderRow)

LkScoreExplanation *lk_score_explanation_new          (void);
/* Shows how the scoring rules score @lead (as edited: unsaved values
 * count), one row per rule that gave points; hidden while scoring is off. */
void                lk_score_explanation_show         (LkScoreExplanation *self,
                                                       LkStore            *store,
                                                       LkLead             *lead);
/* The score the rules give the lead shown */
gint64              lk_score_explanation_get_score    (LkScoreExplanation *self);
/* How many rules contributed */
guint               lk_score_explanation_get_n_reasons (LkScoreExplanation *self);

G_END_DECLS
