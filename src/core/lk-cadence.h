/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "lk-clock.h"
#include "lk-lead.h"
#include "lk-pipeline.h"

G_BEGIN_DECLS

/* The follow-up SOP (settings:cadence): how often each grade is followed
 * up, when a lead is stale, when it is contacted too often, and which
 * tasks entering a stage creates. Dates are counted in local days of the
 * clock's time zone; a proposed date falls at the due hour (09:00). */

typedef struct
{
  guint min_days;      /* next follow-up from this many days after a contact … */
  guint max_days;      /* … to this many */
  guint max_contacts;  /* at most this many contacts … */
  guint per_days;      /* … in this many local days (1: per calendar day) */
} LkCadenceGrade;

typedef struct
{
  char  *stage;     /* the stage id whose entry creates the task */
  char  *title;     /* the task's title; "" for the translated default */
  guint  due_days;  /* due this many local days after entering */
} LkStageTrigger;

#define LK_TYPE_CADENCE (lk_cadence_get_type ())
G_DECLARE_FINAL_TYPE (LkCadence, lk_cadence, LK, CADENCE, GObject)

LkCadence            *lk_cadence_new_default      (void);
LkCadence            *lk_cadence_new_from_json    (JsonObject           *object,
                                                   GError              **error);
JsonObject           *lk_cadence_to_json          (LkCadence            *self);
LkCadence            *lk_cadence_copy             (LkCadence            *self);

/* Grades are "A", "B", "C"; a lead without a grade follows the
 * "ungraded" one (B unless the settings say otherwise). */
const LkCadenceGrade *lk_cadence_get_grade        (LkCadence            *self,
                                                   const char           *grade);
void                  lk_cadence_set_grade        (LkCadence            *self,
                                                   const char           *grade,
                                                   const LkCadenceGrade *rules);
guint                 lk_cadence_get_stale_days   (LkCadence            *self);
void                  lk_cadence_set_stale_days   (LkCadence            *self,
                                                   guint                 days);
guint                 lk_cadence_get_due_hour     (LkCadence            *self);

/* (element-type LkStageTrigger) (transfer none) */
GPtrArray            *lk_cadence_get_triggers     (LkCadence            *self);
const LkStageTrigger *lk_cadence_find_trigger     (LkCadence            *self,
                                                   const char           *stage_id);
void                  lk_cadence_set_trigger      (LkCadence            *self,
                                                   const char           *stage_id,
                                                   const char           *title,
                                                   guint                 due_days);
void                  lk_cadence_remove_trigger   (LkCadence            *self,
                                                   const char           *stage_id);
char                 *lk_cadence_trigger_title    (const LkStageTrigger *trigger,
                                                   LkPipeline           *pipeline);

/* The rules, applied */
gint64                lk_cadence_local_date_at    (LkClock              *clock,
                                                   gint64                at_ms,
                                                   int                   days,
                                                   guint                 hour);
int                   lk_cadence_days_between     (LkClock              *clock,
                                                   gint64                from_ms,
                                                   gint64                to_ms);
gint64                lk_cadence_propose_next     (LkCadence            *self,
                                                   LkClock              *clock,
                                                   const char           *grade,
                                                   gint64                from_ms,
                                                   gint64               *latest_ms);
gint64                lk_cadence_trigger_due      (LkCadence            *self,
                                                   LkClock              *clock,
                                                   const LkStageTrigger *trigger,
                                                   gint64                entered_ms);
gboolean              lk_cadence_is_stale         (LkCadence            *self,
                                                   LkClock              *clock,
                                                   LkPipeline           *pipeline,
                                                   LkLead               *lead);
gboolean              lk_cadence_too_often        (LkCadence            *self,
                                                   LkClock              *clock,
                                                   const char           *grade,
                                                   const gint64         *previous_ms,
                                                   guint                 n_previous,
                                                   gint64                at_ms);
char                 *lk_cadence_describe_grade   (LkCadence            *self,
                                                   const char           *grade);

G_END_DECLS
