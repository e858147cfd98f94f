/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-scoring"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-error.h"
#include "lk-scoring.h"
#include "lk-settings.h"

/* Points from profile fit and behaviour, as the seeds score leads.
 *
 * settings:scoring, version 1:
 *   {"version": 1, "enabled": true,
 *    "profile": [{"field": "industry", "op": "one_of", "values": ["制造业"], "points": 10},
 *                {"field": "title", "op": "contains", "value": "经理", "points": 5, "label": ""}],
 *    "events": [{"type": "pricing_page", "points": 10, "max_count": 3, "name": ""}, …],
 *    "bant": {"budget": 10, "authority": 10, "need": 10, "timeline": 10},
 *    "thresholds": {"hot": 60, "warm": 30, "mql": 30, "sql": 60}}
 * A threshold left out leaves its output to people: without "hot" and
 * "warm" the temperature is typed by hand, without "mql" the MQL flag. */

#define DOC_ID "settings:scoring"

struct _LkScoring
{
  GObject     parent_instance;

  /* Owned */
  GPtrArray  *profile;  /* LkScoreRule */
  GPtrArray  *events;   /* LkScoreEvent */
  JsonObject *extra;

  int         bant[4];  /* budget, authority, need, timeline */
  gint64      thresholds[4];
  guint       has_threshold[4];
  gboolean    enabled;
};

G_DEFINE_FINAL_TYPE (LkScoring, lk_scoring, G_TYPE_OBJECT)

enum { HOT, WARM, MQL, SQL, N_THRESHOLDS };

static const char * const threshold_names[N_THRESHOLDS] = { "hot", "warm", "mql", "sql" };
static const char * const bant_names[4] = { "budget", "authority", "need", "timeline" };
static const LkLeadField bant_fields[4] = {
  LK_LEAD_BANT_BUDGET, LK_LEAD_BANT_AUTHORITY, LK_LEAD_BANT_NEED, LK_LEAD_BANT_TIMELINE
};
static const char * const op_names[] = { "equals", "contains", "one_of" };

static const char * const known_members[] = {
  "enabled", "profile", "events", "bant", "thresholds", NULL
};

/* Behaviour the seeds name; a team adds its own types in the settings. */
static const LkTerm builtin_events[] = {
  { "pricing_page",  NC_("event", "Visited the pricing page") },
  { "whitepaper",    NC_("event", "Downloaded a whitepaper") },
  { "webinar",       NC_("event", "Attended a webinar") },
  { "quote_request", NC_("event", "Asked for a quote") },
  { "demo_request",  NC_("event", "Asked for a demo") },
};

static const struct
{
  int         points;
  guint       max_count;
} default_event_points[G_N_ELEMENTS (builtin_events)] = {
  { 10, 3 }, { 5, 2 }, { 10, 1 }, { 25, 1 }, { 20, 1 },
};

/* The lead fields a profile rule can test, with their names. */
static const struct
{
  LkLeadField  field;
  const char  *label;
} profile_fields[] = {
  { LK_LEAD_CODE,         NC_("field", "Code") },
  { LK_LEAD_COMPANY,      NC_("field", "Company") },
  { LK_LEAD_INDUSTRY,     NC_("field", "Industry") },
  { LK_LEAD_COMPANY_SIZE, NC_("field", "Company size") },
  { LK_LEAD_CONTACT,      NC_("field", "Contact") },
  { LK_LEAD_TITLE,        NC_("field", "Job title") },
  { LK_LEAD_PHONE,        NC_("field", "Phone") },
  { LK_LEAD_EMAIL,        NC_("field", "Email") },
  { LK_LEAD_IM,           NC_("field", "WeChat/IM") },
  { LK_LEAD_REGION,       NC_("field", "Region") },
  { LK_LEAD_SOURCE,       NC_("field", "Source") },
  { LK_LEAD_CAMPAIGN,     NC_("field", "Campaign") },
  { LK_LEAD_NEEDS,        NC_("field", "Needs") },
  { LK_LEAD_CURRENCY,     NC_("field", "Currency") },
  { LK_LEAD_GRADE,        NC_("field", "Grade") },
  { LK_LEAD_TAGS,         NC_("field", "Tags") },
};

static int
profile_field_index (const char *name)
{
  LkRecordClass *klass = g_type_class_ref (LK_TYPE_LEAD);
  int field = lk_record_class_find_field (klass, name);

  g_type_class_unref (klass);
  for (guint i = 0; field >= 0 && i < G_N_ELEMENTS (profile_fields); i++)
    if ((int) profile_fields[i].field == field)
      return (int) i;
  return -1;
}

/* Whether a profile rule can test the lead field @field. */
gboolean
lk_scoring_field_supported (const char *field)
{
  return field != NULL && profile_field_index (field) >= 0;
}

/**
 * lk_scoring_profile_field:
 * @index: from 0
 * @label: (out) (optional): the field's translated name
 *
 * The lead fields a profile rule can test, in the order a form lists them.
 *
 * Returns: (nullable): the field's name ("industry"), or %NULL past the last
 */
const char *
lk_scoring_profile_field (guint        index,
                          const char **label)
{
  LkRecordClass *klass;
  guint n_fields;
  const LkFieldInfo *fields;

  if (index >= G_N_ELEMENTS (profile_fields))
    return NULL;
  klass = g_type_class_ref (LK_TYPE_LEAD);
  fields = lk_record_class_get_fields (klass, &n_fields);
  g_type_class_unref (klass);
  g_assert (profile_fields[index].field < n_fields);
  if (label != NULL)
    *label = g_dpgettext2 (GETTEXT_PACKAGE, "field", profile_fields[index].label);
  return fields[profile_fields[index].field].name;
}

static void
rule_free (gpointer data)
{
  LkScoreRule *rule = data;

  g_free (rule->field);
  g_strfreev (rule->values);
  g_free (rule->label);
  g_free (rule);
}

static void
event_free (gpointer data)
{
  LkScoreEvent *event = data;

  g_free (event->type);
  g_free (event->name);
  g_free (event);
}

static void
reason_free (gpointer data)
{
  LkScoreReason *reason = data;

  g_free (reason->description);
  g_free (reason);
}

void
lk_score_result_free (LkScoreResult *result)
{
  if (result == NULL)
    return;
  g_free (result->temperature);
  g_clear_pointer (&result->reasons, g_ptr_array_unref);
  g_free (result);
}

static void
lk_scoring_finalize (GObject *object)
{
  LkScoring *self = LK_SCORING (object);

  g_clear_pointer (&self->profile, g_ptr_array_unref);
  g_clear_pointer (&self->events, g_ptr_array_unref);
  g_clear_pointer (&self->extra, json_object_unref);

  G_OBJECT_CLASS (lk_scoring_parent_class)->finalize (object);
}

static void
lk_scoring_class_init (LkScoringClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_scoring_finalize;
}

static void
lk_scoring_init (LkScoring *self)
{
  self->profile = g_ptr_array_new_with_free_func (rule_free);
  self->events = g_ptr_array_new_with_free_func (event_free);
}

static void
add_event (LkScoring  *self,
           const char *type,
           const char *name,
           int         points,
           guint       max_count)
{
  LkScoreEvent *event = g_new0 (LkScoreEvent, 1);

  event->type = g_strdup (type);
  event->name = g_strdup (name ? name : "");
  event->points = points;
  event->max_count = max_count;
  g_ptr_array_add (self->events, event);
}

static void
set_default_rules (LkScoring *self)
{
  static const gint64 thresholds[N_THRESHOLDS] = { 60, 30, 30, 60 };

  for (guint i = 0; i < G_N_ELEMENTS (builtin_events); i++)
    add_event (self, builtin_events[i].id, "", default_event_points[i].points, default_event_points[i].max_count);
  for (guint i = 0; i < G_N_ELEMENTS (self->bant); i++)
    self->bant[i] = 10;
  for (guint i = 0; i < N_THRESHOLDS; i++)
    {
      self->thresholds[i] = thresholds[i];
      self->has_threshold[i] = TRUE;
    }
}

/* The seeds' rules, switched off: a team turns scoring on when it has
 * said which profile fits. */
LkScoring *
lk_scoring_new_default (void)
{
  LkScoring *self = g_object_new (LK_TYPE_SCORING, NULL);

  set_default_rules (self);
  return self;
}

static gboolean
read_profile_rule (LkScoring   *self,
                   JsonObject  *object,
                   const char  *path,
                   GError     **error)
{
  g_autofree char *field = NULL;
  g_autofree char *op = NULL;
  g_autofree char *value = NULL;
  g_autofree char *label = NULL;
  g_auto(GStrv) values = NULL;
  gint64 points = 0;
  LkScoreRule *rule;
  int op_index = -1;

  if (!lk_settings_get_string (DOC_ID, object, path, "field", &field, error) ||
      !lk_settings_get_string (DOC_ID, object, path, "op", &op, error) ||
      !lk_settings_get_string (DOC_ID, object, path, "value", &value, error) ||
      !lk_settings_get_strv (DOC_ID, object, path, "values", &values, error) ||
      !lk_settings_get_string (DOC_ID, object, path, "label", &label, error) ||
      !lk_settings_get_int (DOC_ID, object, path, "points", -1000, 1000, &points, error))
    return FALSE;
  if (!lk_scoring_field_supported (field))
    {
      lk_settings_error (error, DOC_ID, path, "field",
                         _("must be a text field of a lead such as “industry”, “title”, “region”, “source” or “tags”, not “%s”"),
                         field ? field : "");
      return FALSE;
    }
  for (guint i = 0; op != NULL && i < G_N_ELEMENTS (op_names); i++)
    if (g_str_equal (op, op_names[i]))
      op_index = (int) i;
  if (op_index < 0)
    {
      lk_settings_error (error, DOC_ID, path, "op",
                         _("must be “equals”, “contains” or “one_of”, not “%s”"), op ? op : "");
      return FALSE;
    }
  if (op_index == LK_SCORE_ONE_OF ? (values == NULL || values[0] == NULL)
                                  : (value == NULL || value[0] == '\0'))
    {
      lk_settings_error (error, DOC_ID, path, op_index == LK_SCORE_ONE_OF ? "values" : "value",
                         op_index == LK_SCORE_ONE_OF ? _("must list the values that score")
                                                     : _("must give the text that scores"));
      return FALSE;
    }
  rule = g_new0 (LkScoreRule, 1);
  rule->field = g_steal_pointer (&field);
  rule->op = (LkScoreOp) op_index;
  if (op_index == LK_SCORE_ONE_OF)
    rule->values = g_steal_pointer (&values);
  else
    rule->values = g_strdupv ((char *[]) { value, NULL });
  rule->points = (int) points;
  rule->label = label ? g_steal_pointer (&label) : g_strdup ("");
  g_ptr_array_add (self->profile, rule);
  return TRUE;
}

static gboolean
read_events (LkScoring   *self,
             JsonArray   *array,
             GError     **error)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *path = g_strdup_printf ("events[%u]", i);
      g_autofree char *type = NULL;
      g_autofree char *name = NULL;
      gint64 points = 0, max_count = 1;
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          lk_settings_error (error, DOC_ID, path, NULL, _("must be an object"));
          return FALSE;
        }
      object = json_node_get_object (node);
      if (!lk_settings_get_string (DOC_ID, object, path, "type", &type, error) ||
          !lk_settings_get_string (DOC_ID, object, path, "name", &name, error) ||
          !lk_settings_get_int (DOC_ID, object, path, "points", -1000, 1000, &points, error) ||
          !lk_settings_get_int (DOC_ID, object, path, "max_count", 0, 1000, &max_count, error))
        return FALSE;
      if (type == NULL || type[0] == '\0')
        {
          lk_settings_error (error, DOC_ID, path, "type", _("must name the event type, such as “pricing_page”"));
          return FALSE;
        }
      if (lk_scoring_find_event (self, type) != NULL)
        {
          lk_settings_error (error, DOC_ID, path, "type", _("names the event type “%s” a second time"), type);
          return FALSE;
        }
      add_event (self, type, name, (int) points, (guint) max_count);
    }
  return TRUE;
}

/**
 * lk_scoring_new_from_json:
 *
 * Reads a settings:scoring document. Lists it gives replace the default
 * ones; members it lacks keep the defaults.
 */
LkScoring *
lk_scoring_new_from_json (JsonObject  *object,
                          GError     **error)
{
  g_autoptr(LkScoring) self = g_object_new (LK_TYPE_SCORING, NULL);
  JsonArray *profile = NULL, *events = NULL;
  JsonObject *bant = NULL, *thresholds = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  set_default_rules (self);
  if (!lk_settings_check_version (DOC_ID, object, error) ||
      !lk_settings_get_bool (DOC_ID, object, NULL, "enabled", &self->enabled, error) ||
      !lk_settings_get_array (DOC_ID, object, NULL, "profile", &profile, error) ||
      !lk_settings_get_array (DOC_ID, object, NULL, "events", &events, error) ||
      !lk_settings_get_object (DOC_ID, object, NULL, "bant", &bant, error) ||
      !lk_settings_get_object (DOC_ID, object, NULL, "thresholds", &thresholds, error))
    return NULL;

  for (guint i = 0; profile != NULL && i < json_array_get_length (profile); i++)
    {
      JsonNode *node = json_array_get_element (profile, i);
      g_autofree char *path = g_strdup_printf ("profile[%u]", i);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          lk_settings_error (error, DOC_ID, path, NULL, _("must be an object"));
          return NULL;
        }
      if (!read_profile_rule (self, json_node_get_object (node), path, error))
        return NULL;
    }
  if (events != NULL)
    {
      g_ptr_array_set_size (self->events, 0);
      if (!read_events (self, events, error))
        return NULL;
    }
  for (guint i = 0; bant != NULL && i < G_N_ELEMENTS (bant_names); i++)
    {
      gint64 points = self->bant[i];

      if (!lk_settings_get_int (DOC_ID, bant, "bant", bant_names[i], -1000, 1000, &points, error))
        return NULL;
      self->bant[i] = (int) points;
    }
  if (thresholds != NULL)
    {
      for (guint i = 0; i < N_THRESHOLDS; i++)
        {
          gint64 points = G_MININT64;

          if (!lk_settings_get_int (DOC_ID, thresholds, "thresholds", threshold_names[i],
                                    -100000, 100000, &points, error))
            return NULL;
          self->has_threshold[i] = points != G_MININT64;
          self->thresholds[i] = self->has_threshold[i] ? points : 0;
        }
      if (self->has_threshold[HOT] && self->has_threshold[WARM] &&
          self->thresholds[WARM] > self->thresholds[HOT])
        {
          lk_settings_error (error, DOC_ID, "thresholds", "warm",
                             _("must not be more than the hot threshold (%d)"), (int) self->thresholds[HOT]);
          return NULL;
        }
    }
  self->extra = lk_settings_extra (object, known_members);
  return g_steal_pointer (&self);
}

/* Returns: (transfer full): the settings:scoring document */
JsonObject *
lk_scoring_to_json (LkScoring *self)
{
  JsonObject *object;
  JsonArray *profile = json_array_new ();
  JsonArray *events = json_array_new ();
  JsonObject *bant = json_object_new ();
  JsonObject *thresholds = json_object_new ();

  g_return_val_if_fail (LK_IS_SCORING (self), NULL);

  object = lk_settings_start (self->extra);
  json_object_set_boolean_member (object, "enabled", self->enabled);
  for (guint i = 0; i < self->profile->len; i++)
    {
      LkScoreRule *rule = g_ptr_array_index (self->profile, i);
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "field", rule->field);
      json_object_set_string_member (item, "op", op_names[rule->op]);
      if (rule->op == LK_SCORE_ONE_OF)
        json_object_set_array_member (item, "values",
                                      lk_settings_strv_to_array ((const char * const *) rule->values));
      else
        json_object_set_string_member (item, "value", rule->values[0]);
      json_object_set_int_member (item, "points", rule->points);
      if (rule->label[0] != '\0')
        json_object_set_string_member (item, "label", rule->label);
      json_array_add_object_element (profile, item);
    }
  json_object_set_array_member (object, "profile", profile);
  for (guint i = 0; i < self->events->len; i++)
    {
      LkScoreEvent *event = g_ptr_array_index (self->events, i);
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "type", event->type);
      if (event->name[0] != '\0')
        json_object_set_string_member (item, "name", event->name);
      json_object_set_int_member (item, "points", event->points);
      json_object_set_int_member (item, "max_count", event->max_count);
      json_array_add_object_element (events, item);
    }
  json_object_set_array_member (object, "events", events);
  for (guint i = 0; i < G_N_ELEMENTS (bant_names); i++)
    json_object_set_int_member (bant, bant_names[i], self->bant[i]);
  json_object_set_object_member (object, "bant", bant);
  for (guint i = 0; i < N_THRESHOLDS; i++)
    if (self->has_threshold[i])
      json_object_set_int_member (thresholds, threshold_names[i], self->thresholds[i]);
  json_object_set_object_member (object, "thresholds", thresholds);
  return object;
}

LkScoring *
lk_scoring_copy (LkScoring *self)
{
  g_autoptr(JsonObject) json = NULL;
  LkScoring *copy;

  g_return_val_if_fail (LK_IS_SCORING (self), NULL);

  json = lk_scoring_to_json (self);
  copy = lk_scoring_new_from_json (json, NULL);
  g_assert (copy != NULL);
  return copy;
}

gboolean
lk_scoring_get_enabled (LkScoring *self)
{
  g_return_val_if_fail (LK_IS_SCORING (self), FALSE);
  return self->enabled;
}

void
lk_scoring_set_enabled (LkScoring *self,
                        gboolean   enabled)
{
  g_return_if_fail (LK_IS_SCORING (self));
  self->enabled = !!enabled;
}

/* Returns: (transfer none) (element-type LkScoreRule): */
GPtrArray *
lk_scoring_get_profile_rules (LkScoring *self)
{
  g_return_val_if_fail (LK_IS_SCORING (self), NULL);
  return self->profile;
}

/* Returns: (transfer none) (element-type LkScoreEvent): */
GPtrArray *
lk_scoring_get_events (LkScoring *self)
{
  g_return_val_if_fail (LK_IS_SCORING (self), NULL);
  return self->events;
}

/* Returns: (nullable): the points of the event @type; %NULL when it scores nothing */
const LkScoreEvent *
lk_scoring_find_event (LkScoring  *self,
                       const char *type)
{
  g_return_val_if_fail (LK_IS_SCORING (self), NULL);

  for (guint i = 0; type != NULL && i < self->events->len; i++)
    {
      LkScoreEvent *event = g_ptr_array_index (self->events, i);

      if (g_str_equal (event->type, type))
        return event;
    }
  return NULL;
}

int
lk_scoring_get_bant_points (LkScoring   *self,
                            LkLeadField  bant_field)
{
  g_return_val_if_fail (LK_IS_SCORING (self), 0);

  for (guint i = 0; i < G_N_ELEMENTS (bant_fields); i++)
    if (bant_fields[i] == bant_field)
      return self->bant[i];
  g_return_val_if_reached (0);
}

/* @name: "hot", "warm", "mql" or "sql". Returns: whether it is set */
gboolean
lk_scoring_get_threshold (LkScoring  *self,
                          const char *name,
                          gint64     *points)
{
  g_return_val_if_fail (LK_IS_SCORING (self), FALSE);

  for (guint i = 0; i < N_THRESHOLDS; i++)
    if (g_strcmp0 (name, threshold_names[i]) == 0)
      {
        if (points != NULL)
          *points = self->thresholds[i];
        return self->has_threshold[i];
      }
  return FALSE;
}

const LkTerm *
lk_scoring_builtin_events (guint *n_terms)
{
  *n_terms = G_N_ELEMENTS (builtin_events);
  return builtin_events;
}

/**
 * lk_scoring_event_name:
 * @self: (nullable): names teams gave their own event types
 *
 * Returns: the name to show for the event type @type
 */
const char *
lk_scoring_event_name (LkScoring  *self,
                       const char *type)
{
  const LkScoreEvent *event = self ? lk_scoring_find_event (self, type) : NULL;

  if (event != NULL && event->name[0] != '\0')
    return event->name;
  for (guint i = 0; type != NULL && i < G_N_ELEMENTS (builtin_events); i++)
    if (g_str_equal (builtin_events[i].id, type))
      return g_dpgettext2 (GETTEXT_PACKAGE, "event", builtin_events[i].name);
  return type ? type : "";
}

static gboolean
text_matches (const char  *text,
              LkScoreOp    op,
              char       **values)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);

  for (guint i = 0; values[i] != NULL; i++)
    {
      g_autofree char *value = g_utf8_casefold (values[i], -1);

      if (value[0] == '\0')
        continue;
      if (op == LK_SCORE_CONTAINS ? strstr (folded, value) != NULL : g_str_equal (folded, value))
        return TRUE;
    }
  return FALSE;
}

static void
add_reason (LkScoreResult     *result,
            LkScoreReasonKind  kind,
            int                points,
            char              *description)
{
  LkScoreReason *reason = g_new0 (LkScoreReason, 1);

  reason->kind = kind;
  reason->points = points;
  reason->description = description;
  g_ptr_array_add (result->reasons, reason);
  result->score += points;
}

static char *
field_value_text (LkLeadField  field,
                  const char  *value)
{
  if (field == LK_LEAD_SOURCE)
    return g_strdup (lk_vocabulary_source_name (value));
  return g_strdup (value);
}

/* The rule's match on @lead, described ("Industry is “制造业”"), or %NULL. */
static char *
profile_match (LkScoreRule *rule,
               LkLead      *lead)
{
  int index = profile_field_index (rule->field);
  LkLeadField field;
  const char *label;

  g_assert (index >= 0);
  field = profile_fields[index].field;
  label = g_dpgettext2 (GETTEXT_PACKAGE, "field", profile_fields[index].label);
  if (field == LK_LEAD_TAGS)
    {
      const char * const *tags = lk_record_get_tags (LK_RECORD (lead), field);

      for (guint i = 0; tags[i] != NULL; i++)
        if (text_matches (tags[i], rule->op, rule->values))
          return rule->label[0] != '\0' ? g_strdup (rule->label)
                                        /* Translators: a scoring rule that matched a tag */
                                        : g_strdup_printf (_("Tagged “%s”"), tags[i]);
      return NULL;
    }
  else
    {
      const char *text = lk_record_get_string (LK_RECORD (lead), field);
      g_autofree char *shown = NULL;

      if (text == NULL || text[0] == '\0' || !text_matches (text, rule->op, rule->values))
        return NULL;
      if (rule->label[0] != '\0')
        return g_strdup (rule->label);
      if (rule->op == LK_SCORE_CONTAINS)
        /* Translators: "Job title contains “经理”" */
        return g_strdup_printf (_("%s contains “%s”"), label, rule->values[0]);
      shown = field_value_text (field, text);
      /* Translators: "Industry is “制造业”" */
      return g_strdup_printf (_("%s is “%s”"), label, shown);
    }
}

/**
 * lk_scoring_compute:
 *
 * The score of @lead under these rules and why: each rule that
 * contributed, with its points. Works whether scoring is on or off (the
 * preferences preview it).
 *
 * Returns: (transfer full):
 */
LkScoreResult *
lk_scoring_compute (LkScoring  *self,
                    LkLead     *lead,
                    GHashTable *event_counts)
{
  static const char * const bant_reasons[4] = {
    N_("Budget confirmed"), N_("Decision maker confirmed"), N_("Need confirmed"), N_("Timeline confirmed"),
  };
  LkScoreResult *result;

  g_return_val_if_fail (LK_IS_SCORING (self), NULL);
  g_return_val_if_fail (LK_IS_LEAD (lead), NULL);

  result = g_new0 (LkScoreResult, 1);
  result->reasons = g_ptr_array_new_with_free_func (reason_free);

  for (guint i = 0; i < self->profile->len; i++)
    {
      LkScoreRule *rule = g_ptr_array_index (self->profile, i);
      char *description = profile_match (rule, lead);

      if (description != NULL)
        add_reason (result, LK_SCORE_REASON_PROFILE, rule->points, description);
    }
  for (guint i = 0; event_counts != NULL && i < self->events->len; i++)
    {
      LkScoreEvent *event = g_ptr_array_index (self->events, i);
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (event_counts, event->type));
      const char *name = lk_scoring_event_name (self, event->type);
      guint counted;

      if (count == 0 || event->points == 0)
        continue;
      counted = event->max_count > 0 ? MIN (count, event->max_count) : count;
      add_reason (result, LK_SCORE_REASON_EVENT, event->points * (int) counted,
                  count == 1 ? g_strdup (name)
                             /* Translators: an event and how often it happened: "Visited the pricing page (3 times)" */
                             : g_strdup_printf (ngettext ("%s (%u time)", "%s (%u times)", count), name, count));
    }
  for (guint i = 0; i < G_N_ELEMENTS (bant_fields); i++)
    if (self->bant[i] != 0 && lk_record_get_bool (LK_RECORD (lead), bant_fields[i]))
      add_reason (result, LK_SCORE_REASON_BANT, self->bant[i], g_strdup (_(bant_reasons[i])));

  if (self->has_threshold[HOT] || self->has_threshold[WARM])
    {
      if (self->has_threshold[HOT] && result->score >= self->thresholds[HOT])
        result->temperature = g_strdup ("hot");
      else if (self->has_threshold[WARM] && result->score >= self->thresholds[WARM])
        result->temperature = g_strdup ("warm");
      else
        result->temperature = g_strdup ("cold");
    }
  result->has_mql = self->has_threshold[MQL];
  result->mql = result->has_mql && result->score >= self->thresholds[MQL];
  result->has_sql = self->has_threshold[SQL];
  result->sql = result->has_sql && result->score >= self->thresholds[SQL];
  return result;
}

/**
 * lk_scoring_apply:
 *
 * Sets the score, temperature and flags of @lead that the rules decide.
 * Returns: whether a field changed
 */
gboolean
lk_scoring_apply (LkScoring  *self,
                  LkLead     *lead,
                  GHashTable *event_counts)
{
  g_autoptr(LkScoreResult) result = NULL;
  g_autoptr(LkLead) before = NULL;
  LkRecord *record = LK_RECORD (lead);

  g_return_val_if_fail (LK_IS_SCORING (self), FALSE);
  g_return_val_if_fail (LK_IS_LEAD (lead), FALSE);

  result = lk_scoring_compute (self, lead, event_counts);
  before = lk_lead_copy (lead);
  lk_record_set_int (record, LK_LEAD_SCORE, result->score);
  if (result->temperature != NULL)
    lk_record_set_string (record, LK_LEAD_TEMPERATURE, result->temperature);
  if (result->has_mql)
    lk_record_set_bool (record, LK_LEAD_MQL, result->mql);
  if (result->has_sql)
    lk_record_set_bool (record, LK_LEAD_SQL, result->sql);
  return !lk_record_equal (LK_RECORD (before), record);
}
