/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-activity"

#include "lk-activity.h"

struct _LkActivity
{
  LkRecord parent_instance;
};

G_DEFINE_FINAL_TYPE (LkActivity, lk_activity, LK_TYPE_RECORD)

static const LkFieldInfo activity_fields[LK_ACTIVITY_N_FIELDS] = {
  { "lead",        "lead_id",     LK_FIELD_REF },
  { "kind",        "kind",        LK_FIELD_STRING },  /* followup, note, event, task, assignment */
  { "at",          "at",          LK_FIELD_TIME },
  { "by",          "by_user",     LK_FIELD_STRING },
  { "method",      "method",      LK_FIELD_STRING },  /* phone, email, visit, wechat, meeting, other */
  { "summary",     "summary",     LK_FIELD_STRING },
  { "feedback",    "feedback",    LK_FIELD_STRING },
  { "next_step",   "next_step",   LK_FIELD_STRING },
  { "next_due_at", "next_due_at", LK_FIELD_TIME },
  { "grade_from",  "grade_from",  LK_FIELD_STRING },
  { "grade_to",    "grade_to",    LK_FIELD_STRING },
  { "event_type",  "event_type",  LK_FIELD_STRING },
  /* Added by schema 2; optional in the version-1 document. */
  { "done_at",     "done_at",     LK_FIELD_TIME },    /* tasks: null while open */
  { "owner_from",  "owner_from",  LK_FIELD_REF },     /* assignments */
  { "owner_to",    "owner_to",    LK_FIELD_REF },
  { "reason",      "reason",      LK_FIELD_STRING },  /* manual, assign, auto, claim, recycle */
  { "rule",        "rule",        LK_FIELD_STRING },  /* the assignment rule's id */
};

static void
lk_activity_class_init (LkActivityClass *klass)
{
  lk_record_class_set_fields (LK_RECORD_CLASS (klass), "activity", "activities",
                              activity_fields, G_N_ELEMENTS (activity_fields));
}

static void
lk_activity_init (LkActivity *self)
{
}

LkActivity *
lk_activity_new (const char *lead_id,
                 const char *kind)
{
  LkActivity *self = g_object_new (LK_TYPE_ACTIVITY, NULL);

  lk_record_set_string (LK_RECORD (self), LK_ACTIVITY_LEAD, lead_id);
  lk_record_set_string (LK_RECORD (self), LK_ACTIVITY_KIND, kind);
  return self;
}
