/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-assignment"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-assignment.h"
#include "lk-error.h"
#include "lk-settings.h"

/* Routing leads to reps: by region, industry, source, grade or
 * temperature, to a member or a group, in turn, by load or by capacity;
 * A-grade leads only to senior members when the team says so.
 *
 * settings:assignment, version 1:
 *   {"version": 1, "auto_assign_new": false, "senior_only_grade_a": true,
 *    "assigned_stage": "assigned",
 *    "rules": [{"id": "east", "name": "East China",
 *               "when": {"region": ["上海", "江苏"], "industry": [], "source": [],
 *                        "grade": ["A"], "temperature": ["hot"]},
 *               "to": {"members": ["user:lilei", "user:hanmeimei"],
 *                      "match_region": false, "match_industry": false},
 *               "strategy": "round_robin" | "fewest_open" | "capacity"}]}
 * "to": {"member": "user:lilei"} names one member; without "members"
 * every rep may take the lead. Without "rules", one rule gives every lead
 * to every rep in turn. A lead assigned in the pipeline's first stage
 * moves to assigned_stage ("" to stay). lk-assignment-run.c runs them. */

#define DOC_ID "settings:assignment"

struct _LkAssignment
{
  GObject     parent_instance;

  /* Owned */
  GPtrArray  *rules;  /* LkAssignRule */
  char       *assigned_stage;
  JsonObject *extra;

  gboolean    auto_assign;
  gboolean    senior_only_a;
};

G_DEFINE_FINAL_TYPE (LkAssignment, lk_assignment, G_TYPE_OBJECT)

static const char * const strategy_names[] = { "round_robin", "fewest_open", "capacity" };

static const char * const known_members[] = {
  "auto_assign_new", "senior_only_grade_a", "assigned_stage", "rules", NULL
};

static void
rule_free (gpointer data)
{
  LkAssignRule *rule = data;

  g_free (rule->id);
  g_free (rule->name);
  g_strfreev (rule->regions);
  g_strfreev (rule->industries);
  g_strfreev (rule->sources);
  g_strfreev (rule->grades);
  g_strfreev (rule->temperatures);
  g_strfreev (rule->members);
  g_free (rule);
}

void
lk_assign_result_free (LkAssignResult *result)
{
  if (result == NULL)
    return;
  g_free (result->lead_id);
  g_free (result->lead_name);
  g_free (result->from_owner);
  g_free (result->to_owner);
  g_free (result->rule_id);
  g_free (result->rule_name);
  g_free (result->problem);
  g_free (result);
}

static void
lk_assignment_finalize (GObject *object)
{
  LkAssignment *self = LK_ASSIGNMENT (object);

  g_clear_pointer (&self->rules, g_ptr_array_unref);
  g_clear_pointer (&self->assigned_stage, g_free);
  g_clear_pointer (&self->extra, json_object_unref);

  G_OBJECT_CLASS (lk_assignment_parent_class)->finalize (object);
}

static void
lk_assignment_class_init (LkAssignmentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_assignment_finalize;
}

static void
lk_assignment_init (LkAssignment *self)
{
  self->rules = g_ptr_array_new_with_free_func (rule_free);
  self->assigned_stage = g_strdup ("assigned");
  self->senior_only_a = TRUE;
}

static void
add_default_rule (LkAssignment *self)
{
  LkAssignRule *rule = g_new0 (LkAssignRule, 1);

  rule->id = g_strdup ("everyone");
  rule->name = g_strdup ("");
  rule->strategy = LK_ASSIGN_ROUND_ROBIN;
  g_ptr_array_add (self->rules, rule);
}

/* Every rep in turn; A-grade leads to senior reps; new leads wait in the
 * pool until someone assigns them. */
LkAssignment *
lk_assignment_new_default (void)
{
  LkAssignment *self = g_object_new (LK_TYPE_ASSIGNMENT, NULL);

  add_default_rule (self);
  return self;
}

static char **
normalize_members (char **names)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; names[i] != NULL; i++)
    if (names[i][0] != '\0')
      {
        g_autofree char *id = lk_user_id_for_name (names[i]);

        g_strv_builder_add (builder, id);
      }
  return g_strv_builder_end (builder);
}

static gboolean
read_rule (LkAssignment  *self,
           JsonObject    *object,
           guint          index,
           GError       **error)
{
  g_autofree char *path = g_strdup_printf ("rules[%u]", index);
  g_autofree char *when_path = lk_settings_path (path, "when");
  g_autofree char *to_path = lk_settings_path (path, "to");
  g_autofree char *strategy = NULL;
  g_autofree char *member = NULL;
  g_auto(GStrv) members = NULL;
  JsonObject *when = NULL, *to = NULL;
  LkAssignRule *rule = g_new0 (LkAssignRule, 1);
  int strategy_index = LK_ASSIGN_ROUND_ROBIN;

  g_ptr_array_add (self->rules, rule);
  if (!lk_settings_get_string (DOC_ID, object, path, "id", &rule->id, error) ||
      !lk_settings_get_string (DOC_ID, object, path, "name", &rule->name, error) ||
      !lk_settings_get_string (DOC_ID, object, path, "strategy", &strategy, error) ||
      !lk_settings_get_object (DOC_ID, object, path, "when", &when, error) ||
      !lk_settings_get_object (DOC_ID, object, path, "to", &to, error))
    return FALSE;
  if (when != NULL &&
      (!lk_settings_get_strv (DOC_ID, when, when_path, "region", &rule->regions, error) ||
       !lk_settings_get_strv (DOC_ID, when, when_path, "industry", &rule->industries, error) ||
       !lk_settings_get_strv (DOC_ID, when, when_path, "source", &rule->sources, error) ||
       !lk_settings_get_strv (DOC_ID, when, when_path, "grade", &rule->grades, error) ||
       !lk_settings_get_strv (DOC_ID, when, when_path, "temperature", &rule->temperatures, error)))
    return FALSE;
  if (to != NULL &&
      (!lk_settings_get_string (DOC_ID, to, to_path, "member", &member, error) ||
       !lk_settings_get_strv (DOC_ID, to, to_path, "members", &members, error) ||
       !lk_settings_get_bool (DOC_ID, to, to_path, "match_region", &rule->match_region, error) ||
       !lk_settings_get_bool (DOC_ID, to, to_path, "match_industry", &rule->match_industry, error)))
    return FALSE;

  if (rule->id == NULL || rule->id[0] == '\0')
    {
      g_free (rule->id);
      rule->id = g_strdup_printf ("rule-%u", index + 1);
    }
  for (guint i = 0; i + 1 < self->rules->len; i++)
    if (g_str_equal (((LkAssignRule *) g_ptr_array_index (self->rules, i))->id, rule->id))
      {
        lk_settings_error (error, DOC_ID, path, "id", _("“%s” is the id of an earlier rule too"), rule->id);
        return FALSE;
      }
  if (rule->name == NULL)
    rule->name = g_strdup ("");
  if (member != NULL && members != NULL)
    {
      lk_settings_error (error, DOC_ID, to_path, "member", _("and “members” cannot both be given"));
      return FALSE;
    }
  if (member != NULL)
    members = g_strdupv ((char *[]) { member, NULL });
  if (members != NULL)
    {
      rule->members = normalize_members (members);
      if (rule->members[0] == NULL)
        {
          lk_settings_error (error, DOC_ID, to_path, "members", _("must name at least one team member"));
          return FALSE;
        }
    }
  if (strategy != NULL)
    {
      strategy_index = -1;
      for (guint i = 0; i < G_N_ELEMENTS (strategy_names); i++)
        if (g_str_equal (strategy, strategy_names[i]))
          strategy_index = (int) i;
      if (strategy_index < 0)
        {
          lk_settings_error (error, DOC_ID, path, "strategy",
                             _("must be “round_robin”, “fewest_open” or “capacity”, not “%s”"), strategy);
          return FALSE;
        }
    }
  rule->strategy = (LkAssignStrategy) strategy_index;
  for (guint i = 0; rule->grades != NULL && rule->grades[i] != NULL; i++)
    if (!g_strv_contains ((const char * const[]) { "A", "B", "C", NULL }, rule->grades[i]))
      {
        lk_settings_error (error, DOC_ID, when_path, "grade", _("must list grades A, B or C, not “%s”"),
                           rule->grades[i]);
        return FALSE;
      }
  for (guint i = 0; rule->temperatures != NULL && rule->temperatures[i] != NULL; i++)
    if (!g_strv_contains ((const char * const[]) { "hot", "warm", "cold", NULL }, rule->temperatures[i]))
      {
        lk_settings_error (error, DOC_ID, when_path, "temperature",
                           _("must list temperatures hot, warm or cold, not “%s”"), rule->temperatures[i]);
        return FALSE;
      }
  return TRUE;
}

/**
 * lk_assignment_new_from_json:
 *
 * Reads a settings:assignment document; a list of rules it gives replaces
 * the default rule.
 */
LkAssignment *
lk_assignment_new_from_json (JsonObject  *object,
                             GError     **error)
{
  g_autoptr(LkAssignment) self = g_object_new (LK_TYPE_ASSIGNMENT, NULL);
  JsonArray *rules = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  if (!lk_settings_check_version (DOC_ID, object, error) ||
      !lk_settings_get_bool (DOC_ID, object, NULL, "auto_assign_new", &self->auto_assign, error) ||
      !lk_settings_get_bool (DOC_ID, object, NULL, "senior_only_grade_a", &self->senior_only_a, error) ||
      !lk_settings_get_string (DOC_ID, object, NULL, "assigned_stage", &self->assigned_stage, error) ||
      !lk_settings_get_array (DOC_ID, object, NULL, "rules", &rules, error))
    return NULL;
  if (rules == NULL)
    add_default_rule (self);
  for (guint i = 0; rules != NULL && i < json_array_get_length (rules); i++)
    {
      JsonNode *node = json_array_get_element (rules, i);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_autofree char *path = g_strdup_printf ("rules[%u]", i);

          lk_settings_error (error, DOC_ID, path, NULL, _("must be an object"));
          return NULL;
        }
      if (!read_rule (self, json_node_get_object (node), i, error))
        return NULL;
    }
  self->extra = lk_settings_extra (object, known_members);
  return g_steal_pointer (&self);
}

static void
set_strv (JsonObject  *object,
          const char  *key,
          char       **strv)
{
  if (strv != NULL && strv[0] != NULL)
    json_object_set_array_member (object, key, lk_settings_strv_to_array ((const char * const *) strv));
}

/* Returns: (transfer full): the settings:assignment document */
JsonObject *
lk_assignment_to_json (LkAssignment *self)
{
  JsonObject *object;
  JsonArray *rules = json_array_new ();

  g_return_val_if_fail (LK_IS_ASSIGNMENT (self), NULL);

  object = lk_settings_start (self->extra);
  json_object_set_boolean_member (object, "auto_assign_new", self->auto_assign);
  json_object_set_boolean_member (object, "senior_only_grade_a", self->senior_only_a);
  json_object_set_string_member (object, "assigned_stage", self->assigned_stage ? self->assigned_stage : "");
  for (guint i = 0; i < self->rules->len; i++)
    {
      LkAssignRule *rule = g_ptr_array_index (self->rules, i);
      JsonObject *item = json_object_new ();
      JsonObject *when = json_object_new ();
      JsonObject *to = json_object_new ();

      json_object_set_string_member (item, "id", rule->id);
      if (rule->name[0] != '\0')
        json_object_set_string_member (item, "name", rule->name);
      set_strv (when, "region", rule->regions);
      set_strv (when, "industry", rule->industries);
      set_strv (when, "source", rule->sources);
      set_strv (when, "grade", rule->grades);
      set_strv (when, "temperature", rule->temperatures);
      json_object_set_object_member (item, "when", when);
      set_strv (to, "members", rule->members);
      json_object_set_boolean_member (to, "match_region", rule->match_region);
      json_object_set_boolean_member (to, "match_industry", rule->match_industry);
      json_object_set_object_member (item, "to", to);
      json_object_set_string_member (item, "strategy", strategy_names[rule->strategy]);
      json_array_add_object_element (rules, item);
    }
  json_object_set_array_member (object, "rules", rules);
  return object;
}

LkAssignment *
lk_assignment_copy (LkAssignment *self)
{
  g_autoptr(JsonObject) json = NULL;
  LkAssignment *copy;

  g_return_val_if_fail (LK_IS_ASSIGNMENT (self), NULL);

  json = lk_assignment_to_json (self);
  copy = lk_assignment_new_from_json (json, NULL);
  g_assert (copy != NULL);
  return copy;
}

/* Returns: (transfer none) (element-type LkAssignRule): in order */
GPtrArray *
lk_assignment_get_rules (LkAssignment *self)
{
  g_return_val_if_fail (LK_IS_ASSIGNMENT (self), NULL);
  return self->rules;
}

gboolean
lk_assignment_get_auto_assign (LkAssignment *self)
{
  g_return_val_if_fail (LK_IS_ASSIGNMENT (self), FALSE);
  return self->auto_assign;
}

void
lk_assignment_set_auto_assign (LkAssignment *self,
                               gboolean      enabled)
{
  g_return_if_fail (LK_IS_ASSIGNMENT (self));
  self->auto_assign = !!enabled;
}

gboolean
lk_assignment_get_senior_only_a (LkAssignment *self)
{
  g_return_val_if_fail (LK_IS_ASSIGNMENT (self), FALSE);
  return self->senior_only_a;
}

void
lk_assignment_set_senior_only_a (LkAssignment *self,
                                 gboolean      enabled)
{
  g_return_if_fail (LK_IS_ASSIGNMENT (self));
  self->senior_only_a = !!enabled;
}

/* Returns: the stage an assigned lead moves to from the first one; "" for none */
const char *
lk_assignment_get_assigned_stage (LkAssignment *self)
{
  g_return_val_if_fail (LK_IS_ASSIGNMENT (self), "");
  return self->assigned_stage ? self->assigned_stage : "";
}

const char *
lk_assignment_strategy_name (LkAssignStrategy strategy)
{
  g_return_val_if_fail (strategy < G_N_ELEMENTS (strategy_names), NULL);
  return strategy_names[strategy];
}

/* The rule's name, or what to call a rule without one. */
const char *
lk_assign_rule_get_name (const LkAssignRule *rule)
{
  g_return_val_if_fail (rule != NULL, NULL);

  if (rule->name[0] != '\0')
    return rule->name;
  if (g_str_equal (rule->id, "everyone"))
    return _("Every rep in turn");
  return rule->id;
}

/**
 * lk_assignment_move_to_assigned:
 *
 * Moves a lead that is in the pipeline's first stage (New) to the
 * assigned stage, when both exist. Returns: whether it moved
 */
gboolean
lk_assignment_move_to_assigned (LkAssignment *self,
                                LkPipeline   *pipeline,
                                LkLead       *lead)
{
  g_autoptr(LkStage) first = NULL;
  const char *stage;

  g_return_val_if_fail (LK_IS_ASSIGNMENT (self), FALSE);

  stage = lk_assignment_get_assigned_stage (self);
  if (stage[0] == '\0' || lk_pipeline_lookup (pipeline, stage) == NULL ||
      g_list_model_get_n_items (G_LIST_MODEL (pipeline)) == 0)
    return FALSE;
  first = g_list_model_get_item (G_LIST_MODEL (pipeline), 0);
  if (!g_str_equal (lk_stage_get_id (first), lk_lead_get_stage (lead)) ||
      g_str_equal (lk_stage_get_id (first), stage))
    return FALSE;
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_STAGE, stage);
  return TRUE;
}
