/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-record.h"

G_BEGIN_DECLS

/* A follow-up, note, behaviour event, task or assignment on a lead (seed
 * template 2). Activities are immutable documents, so they never
 * conflict; the one exception is a task, whose done_at is set once when
 * it is completed.
 *
 * Kinds and the fields they use (lk-store-followups.h writes them):
 *   followup    at, by, method, summary, feedback, next_step, next_due_at,
 *               grade_from, grade_to
 *   event       at, by, event_type (a behaviour event that scores)
 *   task        at, by, summary (the title), next_due_at (due), done_at
 *   assignment  at, by, owner_from, owner_to (null: back to the pool),
 *               reason (manual, assign, auto, claim, recycle), rule, summary
 *   note        at, by, summary */
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
  LK_ACTIVITY_DONE_AT,
  LK_ACTIVITY_OWNER_FROM,
  LK_ACTIVITY_OWNER_TO,
  LK_ACTIVITY_REASON,
  LK_ACTIVITY_RULE,
  LK_ACTIVITY_N_FIELDS
} LkActivityField;

#define LK_TYPE_ACTIVITY (lk_activity_get_type ())
G_DECLARE_FINAL_TYPE (LkActivity, lk_activity, LK, ACTIVITY, LkRecord)

LkActivity *lk_activity_new (const char *lead_id,
                             const char *kind);

G_END_DECLS
