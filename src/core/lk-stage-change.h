/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-record.h"

G_BEGIN_DECLS

/* One move of a lead between pipeline stages: who, when, why. Time in
 * stage, sales cycle and funnel conversion are computed from these. */
typedef enum
{
  LK_STAGE_CHANGE_LEAD,
  LK_STAGE_CHANGE_FROM,
  LK_STAGE_CHANGE_TO,
  LK_STAGE_CHANGE_AT,
  LK_STAGE_CHANGE_BY,
  LK_STAGE_CHANGE_REASON,
  LK_STAGE_CHANGE_REOPEN,
  LK_STAGE_CHANGE_N_FIELDS
} LkStageChangeField;

#define LK_TYPE_STAGE_CHANGE (lk_stage_change_get_type ())
G_DECLARE_FINAL_TYPE (LkStageChange, lk_stage_change, LK, STAGE_CHANGE, LkRecord)

LkStageChange *lk_stage_change_new (const char *lead_id,
                                    const char *from,
                                    const char *to);

G_END_DECLS
