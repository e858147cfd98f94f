/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-cadence"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-cadence.h"
#include "lk-error.h"
#include "lk-settings.h"

/* The follow-up cadence of the seeds: A every 1–2 days, B every 3–5,
 * C every 7–10; no lead more than 7 days without an update or a plan;
 * contact no more than once a day (A) or twice a week (C); entering
 * Proposal creates a "call about the quote" task 3 days later.
 *
 * settings:cadence, version 1:
 *   {"version": 1,
 *    "grades": {"A": {"min_days": 1, "max_days": 2, "max_contacts": 1, "per_days": 1},
 *               "B": {"min_days": 3, "max_days": 5, "max_contacts": 3, "per_days": 7},
 *               "C": {"min_days": 7, "max_days": 10, "max_contacts": 2, "per_days": 7}},
 *    "ungraded": "B", "stale_days": 7, "due_hour": 9,
 *    "stage_triggers": [{"stage": "proposal", "title": "", "due_days": 3}]}
 * Every member is optional; max_contacts 0 means no limit. */

#define DOC_ID "settings:cadence"
#define N_GRADES 3

struct _LkCadence
{
  GObject         parent_instance;

  /* Owned */
  GPtrArray      *triggers;  /* LkStageTrigger */
  JsonObject     *extra;     /* members this version does not know */

  LkCadenceGrade  grades[N_GRADES];
  guint           ungraded;  /* index into grades */
  guint           stale_days;
  guint           due_hour;
};

G_DEFINE_FINAL_TYPE (LkCadence, lk_cadence, G_TYPE_OBJECT)

static const char * const grade_names[N_GRADES] = { "A", "B", "C" };

static const LkCadenceGrade default_grades[N_GRADES] = {
  { 1, 2, 1, 1 },   /* A: every 1–2 days, once a day at most */
  { 3, 5, 3, 7 },   /* B: every 3–5 days, three times a week at most */
  { 7, 10, 2, 7 },  /* C: every 7–10 days, twice a week at most */
};

static const char * const known_members[] = {
  "grades", "ungraded", "stale_days", "due_hour", "stage_triggers", NULL
};

static void
trigger_free (gpointer data)
{
  LkStageTrigger *trigger = data;

  g_free (trigger->stage);
  g_free (trigger->title);
  g_free (trigger);
}

static int
grade_index (const char *grade)
{
  for (guint i = 0; i < N_GRADES; i++)
    if (g_strcmp0 (grade, grade_names[i]) == 0)
      return (int) i;
  return -1;
}

static void
lk_cadence_finalize (GObject *object)
{
  LkCadence *self = LK_CADENCE (object);

  g_clear_pointer (&self->triggers, g_ptr_array_unref);
  g_clear_pointer (&self->extra, json_object_unref);

  G_OBJECT_CLASS (lk_cadence_parent_class)->finalize (object);
}

static void
lk_cadence_class_init (LkCadenceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_cadence_finalize;
}

static void
lk_cadence_init (LkCadence *self)
{
  self->triggers = g_ptr_array_new_with_free_func (trigger_free);
  memcpy (self->grades, default_grades, sizeof self->grades);
  self->ungraded = 1;
  self->stale_days = 7;
  self->due_hour = 9;
}

/* The seeds' rules. */
LkCadence *
lk_cadence_new_default (void)
{
  LkCadence *self = g_object_new (LK_TYPE_CADENCE, NULL);

  lk_cadence_set_trigger (self, "proposal", "", 3);
  return self;
}

static gboolean
read_grade (JsonObject      *object,
            const char      *path,
            LkCadenceGrade  *grade,
            GError         **error)
{
  gint64 min_days = grade->min_days, max_days = grade->max_days;
  gint64 max_contacts = grade->max_contacts, per_days = grade->per_days;

  if (!lk_settings_get_int (DOC_ID, object, path, "min_days", 0, 365, &min_days, error) ||
      !lk_settings_get_int (DOC_ID, object, path, "max_days", 0, 365, &max_days, error) ||
      !lk_settings_get_int (DOC_ID, object, path, "max_contacts", 0, 100, &max_contacts, error) ||
      !lk_settings_get_int (DOC_ID, object, path, "per_days", 1, 365, &per_days, error))
    return FALSE;
  if (min_days > max_days)
    {
      lk_settings_error (error, DOC_ID, path, "min_days",
                         _("must not be more than max_days (%d)"), (int) max_days);
      return FALSE;
    }
  grade->min_days = (guint) min_days;
  grade->max_days = (guint) max_days;
  grade->max_contacts = (guint) max_contacts;
  grade->per_days = (guint) per_days;
  return TRUE;
}

static gboolean
read_triggers (LkCadence   *self,
               JsonArray   *array,
               GError     **error)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *path = g_strdup_printf ("stage_triggers[%u]", i);
      g_autofree char *stage = NULL;
      g_autofree char *title = NULL;
      gint64 due_days = 3;
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          lk_settings_error (error, DOC_ID, path, NULL, _("must be an object"));
          return FALSE;
        }
      object = json_node_get_object (node);
      if (!lk_settings_get_string (DOC_ID, object, path, "stage", &stage, error) ||
          !lk_settings_get_string (DOC_ID, object, path, "title", &title, error) ||
          !lk_settings_get_int (DOC_ID, object, path, "due_days", 0, 365, &due_days, error))
        return FALSE;
      if (stage == NULL || stage[0] == '\0')
        {
          lk_settings_error (error, DOC_ID, path, "stage", _("must name a stage, such as “proposal”"));
          return FALSE;
        }
      if (lk_cadence_find_trigger (self, stage) != NULL)
        {
          lk_settings_error (error, DOC_ID, path, "stage",
                             _("names the stage “%s” a second time"), stage);
          return FALSE;
        }
      lk_cadence_set_trigger (self, stage, title, (guint) due_days);
    }
  return TRUE;
}

/**
 * lk_cadence_new_from_json:
 *
 * Reads a settings:cadence document; members it lacks keep the defaults.
 * Returns: (transfer full): the rules, or %NULL with @error naming the
 *   member that is wrong
 */
LkCadence *
lk_cadence_new_from_json (JsonObject  *object,
                          GError     **error)
{
  g_autoptr(LkCadence) self = g_object_new (LK_TYPE_CADENCE, NULL);
  g_autofree char *ungraded = NULL;
  JsonObject *grades = NULL;
  JsonArray *triggers = NULL;
  gint64 stale_days = self->stale_days, due_hour = self->due_hour;

  g_return_val_if_fail (object != NULL, NULL);

  if (!lk_settings_check_version (DOC_ID, object, error) ||
      !lk_settings_get_object (DOC_ID, object, NULL, "grades", &grades, error) ||
      !lk_settings_get_string (DOC_ID, object, NULL, "ungraded", &ungraded, error) ||
      !lk_settings_get_int (DOC_ID, object, NULL, "stale_days", 1, 365, &stale_days, error) ||
      !lk_settings_get_int (DOC_ID, object, NULL, "due_hour", 0, 23, &due_hour, error) ||
      !lk_settings_get_array (DOC_ID, object, NULL, "stage_triggers", &triggers, error))
    return NULL;

  if (grades != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *node;

      json_object_iter_init (&iter, grades);
      while (json_object_iter_next (&iter, &name, &node))
        {
          g_autofree char *path = lk_settings_path ("grades", name);
          int index = grade_index (name);

          if (index < 0)
            {
              lk_settings_error (error, DOC_ID, "grades", name, _("is not a grade; the grades are A, B and C"));
              return NULL;
            }
          if (!JSON_NODE_HOLDS_OBJECT (node))
            {
              lk_settings_error (error, DOC_ID, path, NULL, _("must be an object"));
              return NULL;
            }
          if (!read_grade (json_node_get_object (node), path, &self->grades[index], error))
            return NULL;
        }
    }
  if (ungraded != NULL)
    {
      if (grade_index (ungraded) < 0)
        {
          lk_settings_error (error, DOC_ID, NULL, "ungraded", _("must be A, B or C, not “%s”"), ungraded);
          return NULL;
        }
      self->ungraded = (guint) grade_index (ungraded);
    }
  self->stale_days = (guint) stale_days;
  self->due_hour = (guint) due_hour;
  if (triggers == NULL)
    lk_cadence_set_trigger (self, "proposal", "", 3);
  else if (!read_triggers (self, triggers, error))
    return NULL;
  self->extra = lk_settings_extra (object, known_members);
  return g_steal_pointer (&self);
}

/* Returns: (transfer full): the settings:cadence document */
JsonObject *
lk_cadence_to_json (LkCadence *self)
{
  JsonObject *object;
  JsonObject *grades = json_object_new ();
  JsonArray *triggers = json_array_new ();

  g_return_val_if_fail (LK_IS_CADENCE (self), NULL);

  object = lk_settings_start (self->extra);
  for (guint i = 0; i < N_GRADES; i++)
    {
      JsonObject *grade = json_object_new ();

      json_object_set_int_member (grade, "min_days", self->grades[i].min_days);
      json_object_set_int_member (grade, "max_days", self->grades[i].max_days);
      json_object_set_int_member (grade, "max_contacts", self->grades[i].max_contacts);
      json_object_set_int_member (grade, "per_days", self->grades[i].per_days);
      json_object_set_object_member (grades, grade_names[i], grade);
    }
  json_object_set_object_member (object, "grades", grades);
  json_object_set_string_member (object, "ungraded", grade_names[self->ungraded]);
  json_object_set_int_member (object, "stale_days", self->stale_days);
  json_object_set_int_member (object, "due_hour", self->due_hour);
  for (guint i = 0; i < self->triggers->len; i++)
    {
      LkStageTrigger *trigger = g_ptr_array_index (self->triggers, i);
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "stage", trigger->stage);
      json_object_set_string_member (item, "title", trigger->title);
      json_object_set_int_member (item, "due_days", trigger->due_days);
      json_array_add_object_element (triggers, item);
    }
  json_object_set_array_member (object, "stage_triggers", triggers);
  return object;
}

/* Returns: (transfer full): a copy to edit (the store's rules are shared) */
LkCadence *
lk_cadence_copy (LkCadence *self)
{
  g_autoptr(JsonObject) json = NULL;
  LkCadence *copy;

  g_return_val_if_fail (LK_IS_CADENCE (self), NULL);

  json = lk_cadence_to_json (self);
  copy = lk_cadence_new_from_json (json, NULL);
  g_assert (copy != NULL);
  return copy;
}

/* The rules of @grade; an unknown or empty grade gets the ungraded rules. */
const LkCadenceGrade *
lk_cadence_get_grade (LkCadence  *self,
                      const char *grade)
{
  int index;

  g_return_val_if_fail (LK_IS_CADENCE (self), NULL);

  index = grade_index (grade);
  return &self->grades[index >= 0 ? (guint) index : self->ungraded];
}

void
lk_cadence_set_grade (LkCadence            *self,
                      const char           *grade,
                      const LkCadenceGrade *rules)
{
  int index;

  g_return_if_fail (LK_IS_CADENCE (self));
  g_return_if_fail (rules != NULL && rules->min_days <= rules->max_days && rules->per_days >= 1);

  index = grade_index (grade);
  g_return_if_fail (index >= 0);
  self->grades[index] = *rules;
}

guint
lk_cadence_get_stale_days (LkCadence *self)
{
  g_return_val_if_fail (LK_IS_CADENCE (self), 7);
  return self->stale_days;
}

void
lk_cadence_set_stale_days (LkCadence *self,
                           guint      days)
{
  g_return_if_fail (LK_IS_CADENCE (self));
  g_return_if_fail (days >= 1);
  self->stale_days = days;
}

guint
lk_cadence_get_due_hour (LkCadence *self)
{
  g_return_val_if_fail (LK_IS_CADENCE (self), 9);
  return self->due_hour;
}

GPtrArray *
lk_cadence_get_triggers (LkCadence *self)
{
  g_return_val_if_fail (LK_IS_CADENCE (self), NULL);
  return self->triggers;
}

/* Returns: (nullable): the task entering @stage_id creates */
const LkStageTrigger *
lk_cadence_find_trigger (LkCadence  *self,
                         const char *stage_id)
{
  g_return_val_if_fail (LK_IS_CADENCE (self), NULL);

  for (guint i = 0; stage_id != NULL && i < self->triggers->len; i++)
    {
      LkStageTrigger *trigger = g_ptr_array_index (self->triggers, i);

      if (g_str_equal (trigger->stage, stage_id))
        return trigger;
    }
  return NULL;
}

/* Adds the trigger of @stage_id, or changes it. */
void
lk_cadence_set_trigger (LkCadence  *self,
                        const char *stage_id,
                        const char *title,
                        guint       due_days)
{
  LkStageTrigger *trigger;

  g_return_if_fail (LK_IS_CADENCE (self));
  g_return_if_fail (stage_id != NULL && stage_id[0] != '\0');

  trigger = (LkStageTrigger *) lk_cadence_find_trigger (self, stage_id);
  if (trigger == NULL)
    {
      trigger = g_new0 (LkStageTrigger, 1);
      trigger->stage = g_strdup (stage_id);
      g_ptr_array_add (self->triggers, trigger);
    }
  g_free (trigger->title);
  trigger->title = g_strdup (title ? title : "");
  trigger->due_days = due_days;
}

void
lk_cadence_remove_trigger (LkCadence  *self,
                           const char *stage_id)
{
  const LkStageTrigger *trigger;

  g_return_if_fail (LK_IS_CADENCE (self));

  trigger = lk_cadence_find_trigger (self, stage_id);
  if (trigger != NULL)
    g_ptr_array_remove (self->triggers, (gpointer) trigger);
}

/**
 * lk_cadence_trigger_title:
 * @pipeline: (nullable): names the stage in the default title
 *
 * Returns: (transfer full): the title of the task @trigger creates: its
 *   own, else the default in the user's language
 */
char *
lk_cadence_trigger_title (const LkStageTrigger *trigger,
                          LkPipeline           *pipeline)
{
  LkStage *stage;

  g_return_val_if_fail (trigger != NULL, NULL);

  if (trigger->title != NULL && trigger->title[0] != '\0')
    return g_strdup (trigger->title);
  if (g_str_equal (trigger->stage, "proposal"))
    return g_strdup (_("Call about the quote"));
  stage = pipeline ? lk_pipeline_lookup (pipeline, trigger->stage) : NULL;
  /* Translators: the task a stage creates when it has no title of its own */
  return g_strdup_printf (_("Follow up after “%s”"), stage ? lk_stage_get_name (stage) : trigger->stage);
}

static GDateTime *
local_time (LkClock *clock,
            gint64   at_ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (at_ms / 1000);

  return g_date_time_to_timezone (utc, lk_clock_get_timezone (clock));
}

static void
local_date (LkClock *clock,
            gint64   at_ms,
            GDate   *date)
{
  g_autoptr(GDateTime) local = local_time (clock, at_ms);

  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay) g_date_time_get_day_of_month (local),
                  (GDateMonth) g_date_time_get_month (local), (GDateYear) g_date_time_get_year (local));
}

/**
 * lk_cadence_local_date_at:
 * @days: local days to add (negative to go back)
 * @hour: the local hour of the result
 *
 * The calendar day @days after the one @at_ms falls on, in the clock's
 * time zone, at @hour:00 there. Days are calendar days, not 24 hours: a
 * day that daylight saving time makes 23 or 25 hours long still counts as
 * one.
 */
gint64
lk_cadence_local_date_at (LkClock *clock,
                          gint64   at_ms,
                          int      days,
                          guint    hour)
{
  g_autoptr(GDateTime) result = NULL;
  GDate date;

  g_return_val_if_fail (LK_IS_CLOCK (clock), 0);

  local_date (clock, at_ms, &date);
  if (days > 0)
    g_date_add_days (&date, (guint) days);
  else if (days < 0)
    g_date_subtract_days (&date, (guint) -days);
  result = g_date_time_new (lk_clock_get_timezone (clock), g_date_get_year (&date),
                            g_date_get_month (&date), g_date_get_day (&date), (int) hour, 0, 0);
  return g_date_time_to_unix (result) * 1000;
}

/* Calendar days from the local day of @from_ms to that of @to_ms. */
int
lk_cadence_days_between (LkClock *clock,
                         gint64   from_ms,
                         gint64   to_ms)
{
  GDate from, to;

  g_return_val_if_fail (LK_IS_CLOCK (clock), 0);

  local_date (clock, from_ms, &from);
  local_date (clock, to_ms, &to);
  return g_date_days_between (&from, &to);
}

/**
 * lk_cadence_propose_next:
 * @from_ms: the contact, usually now
 * @latest_ms: (out) (optional): the last day the grade allows
 *
 * Returns: the next follow-up the grade calls for: the first day of its
 *   interval after @from_ms, at the due hour
 */
gint64
lk_cadence_propose_next (LkCadence  *self,
                         LkClock    *clock,
                         const char *grade,
                         gint64      from_ms,
                         gint64     *latest_ms)
{
  const LkCadenceGrade *rules;

  g_return_val_if_fail (LK_IS_CADENCE (self), 0);

  rules = lk_cadence_get_grade (self, grade);
  if (latest_ms != NULL)
    *latest_ms = lk_cadence_local_date_at (clock, from_ms, (int) rules->max_days, self->due_hour);
  return lk_cadence_local_date_at (clock, from_ms, (int) rules->min_days, self->due_hour);
}

/* When the task of @trigger falls due, for a lead that entered its stage
 * at @entered_ms. */
gint64
lk_cadence_trigger_due (LkCadence            *self,
                        LkClock              *clock,
                        const LkStageTrigger *trigger,
                        gint64                entered_ms)
{
  g_return_val_if_fail (LK_IS_CADENCE (self), 0);
  g_return_val_if_fail (trigger != NULL, 0);

  return lk_cadence_local_date_at (clock, entered_ms, (int) trigger->due_days, self->due_hour);
}

/**
 * lk_cadence_is_stale:
 *
 * An open lead is stale when it has no next follow-up planned, or when
 * nothing has happened to it (an edit, a contact) for more than the
 * stale days, counted in local calendar days. Won and Lost leads never
 * are.
 */
gboolean
lk_cadence_is_stale (LkCadence  *self,
                     LkClock    *clock,
                     LkPipeline *pipeline,
                     LkLead     *lead)
{
  LkRecord *record = LK_RECORD (lead);
  LkStage *stage;
  gint64 last;

  g_return_val_if_fail (LK_IS_CADENCE (self), FALSE);
  g_return_val_if_fail (LK_IS_LEAD (lead), FALSE);

  stage = pipeline ? lk_pipeline_lookup (pipeline, lk_lead_get_stage (lead)) : NULL;
  if (lk_record_get_deleted (record) || (stage != NULL && lk_stage_is_terminal (stage)))
    return FALSE;
  if (lk_record_get_int (record, LK_LEAD_NEXT_FOLLOWUP_AT) == 0)
    return TRUE;
  last = MAX (lk_record_get_int (record, LK_LEAD_UPDATED_AT),
              lk_record_get_int (record, LK_LEAD_LAST_CONTACTED_AT));
  last = MAX (last, lk_record_get_int (record, LK_LEAD_CREATED_AT));
  if (last == 0)
    return FALSE;
  return lk_cadence_days_between (clock, last, lk_clock_now_ms (clock)) > (int) self->stale_days;
}

/**
 * lk_cadence_too_often:
 * @previous_ms: (array length=n_previous): the lead's earlier contacts
 *
 * Whether a contact at @at_ms goes over the grade's limit: more than
 * max_contacts in the per_days calendar days that end with its day
 * ("once a day": a second contact on the same local day).
 */
gboolean
lk_cadence_too_often (LkCadence    *self,
                      LkClock      *clock,
                      const char   *grade,
                      const gint64 *previous_ms,
                      guint         n_previous,
                      gint64        at_ms)
{
  const LkCadenceGrade *rules;
  guint in_window = 0;

  g_return_val_if_fail (LK_IS_CADENCE (self), FALSE);

  rules = lk_cadence_get_grade (self, grade);
  if (rules->max_contacts == 0)
    return FALSE;
  for (guint i = 0; i < n_previous; i++)
    {
      int days = lk_cadence_days_between (clock, previous_ms[i], at_ms);

      if (previous_ms[i] <= at_ms && days >= 0 && days < (int) rules->per_days)
        in_window++;
    }
  return in_window + 1 > rules->max_contacts;
}

static char *
describe_limit (const LkCadenceGrade *rules)
{
  if (rules->max_contacts == 0)
    return NULL;
  if (rules->per_days == 1)
    return rules->max_contacts == 1 ? g_strdup (_("at most once a day"))
                                    : g_strdup_printf (ngettext ("at most %u time a day", "at most %u times a day",
                                                                 rules->max_contacts), rules->max_contacts);
  if (rules->per_days == 7)
    return rules->max_contacts == 1 ? g_strdup (_("at most once a week"))
                                    : g_strdup_printf (ngettext ("at most %u time a week", "at most %u times a week",
                                                                 rules->max_contacts), rules->max_contacts);
  /* Translators: "at most 3 times in 10 days" */
  return g_strdup_printf (ngettext ("at most %u time in %u days", "at most %u times in %u days",
                                    rules->max_contacts), rules->max_contacts, rules->per_days);
}

/* Returns: (transfer full): "every 1–2 days, at most once a day" */
char *
lk_cadence_describe_grade (LkCadence  *self,
                           const char *grade)
{
  const LkCadenceGrade *rules;
  g_autofree char *interval = NULL;
  g_autofree char *limit = NULL;

  g_return_val_if_fail (LK_IS_CADENCE (self), NULL);

  rules = lk_cadence_get_grade (self, grade);
  if (rules->min_days == rules->max_days && rules->min_days <= 1)
    interval = g_strdup (_("every day"));
  else if (rules->min_days == rules->max_days)
    interval = g_strdup_printf (ngettext ("every %u day", "every %u days", rules->min_days), rules->min_days);
  else
    /* Translators: a follow-up interval, "every 3–5 days" */
    interval = g_strdup_printf (_("every %u–%u days"), rules->min_days, rules->max_days);
  limit = describe_limit (rules);
  if (limit == NULL)
    return g_steal_pointer (&interval);
  /* Translators: "every 1–2 days, at most once a day" */
  return g_strdup_printf (_("%s, %s"), interval, limit);
}
