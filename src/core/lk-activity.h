/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-record.h"

G_BEGIN_DECLS

/* A follow-up, note, behaviour event or task on a lead (seed template 2).
 * Activities are immutable documents: they never conflict. */
typedef enum
{
  LK_ACTIVITY_LEAD,
  LK_ACTIVITY_KIND,
  LK_ACTIVITY_AT,
  LK_ACTIVITY_BY,
  LK_ACTIVITY_METHOD,
  LK_ACTIVITY_SUMMARY,
  LK_ACTIVITY_FEEDBACK,
  LK_ACTIVITY_NEXT_STEP,
  LK_ACTIVITY_NEXT_DUE_AT,
  LK_ACTIVITY_GRADE_FROM,
  LK_ACTIVITY_GRADE_TO,
  LK_ACTIVITY_EVENT_TYPE,
  LK_ACTIVITY_N_FIELDS
} LkActivityField;

#define LK_TYPE_ACTIVITY (lk_activity_get_type ())
G_DECLARE_FINAL_TYPE (LkActivity, lk_activity, LK, ACTIVITY, LkRecord)

LkActivity *lk_activity_new (const char *lead_id,
                             const char *kind);

G_END_DECLS
