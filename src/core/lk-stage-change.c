/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-stage-change"

#include "lk-stage-change.h"

struct _LkStageChange
{
  LkRecord parent_instance;
};

G_DEFINE_FINAL_TYPE (LkStageChange, lk_stage_change, LK_TYPE_RECORD)

static const LkFieldInfo stage_change_fields[LK_STAGE_CHANGE_N_FIELDS] = {
  { "lead",   "lead_id",    LK_FIELD_REF },
  { "from",   "from_stage", LK_FIELD_STRING },  /* "" for a lead's creation */
  { "to",     "to_stage",   LK_FIELD_STRING },
  { "at",     "at",         LK_FIELD_TIME },
  { "by",     "by_user",    LK_FIELD_STRING },
  { "reason", "reason",     LK_FIELD_STRING },
  { "reopen", "reopen",     LK_FIELD_BOOL },
};

static void
lk_stage_change_class_init (LkStageChangeClass *klass)
{
  lk_record_class_set_fields (LK_RECORD_CLASS (klass), "stagechange", "stage_changes",
                              stage_change_fields, G_N_ELEMENTS (stage_change_fields));
}

static void
lk_stage_change_init (LkStageChange *self)
{
}

LkStageChange *
lk_stage_change_new (const char *lead_id,
                     const char *from,
                     const char *to)
{
  LkStageChange *self = g_object_new (LK_TYPE_STAGE_CHANGE, NULL);
  LkRecord *record = LK_RECORD (self);

  lk_record_set_string (record, LK_STAGE_CHANGE_LEAD, lead_id);
  lk_record_set_string (record, LK_STAGE_CHANGE_FROM, from);
  lk_record_set_string (record, LK_STAGE_CHANGE_TO, to);
  return self;
}
