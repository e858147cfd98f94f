/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-assignment"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-assignment.h"
#include "lk-error.h"
#include "lk-settings.h"
#include "lk-store-private.h"

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
 * moves to assigned_stage ("" to stay). Round-robin turns are kept on
 * this desktop (the meta table), per rule. */

#define DOC_ID "settings:assignment"
#define TURN_KEY "assignment-turn:"

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

static const char *
rule_name (const LkAssignRule *rule)
{
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

/* The planner: the team with their open leads, and the turns of the
 * round-robin rules, kept up to date as a run assigns leads. */

typedef struct
{
  LkUser  *user;
  gint64   open;
} Member;

typedef struct
{
  LkAssignment *rules;
  LkStore      *store;
  GPtrArray    *members;  /* Member, by user id */
  GHashTable   *turns;    /* rule id → the member who had the last lead */
} Planner;

static void
member_free (gpointer data)
{
  Member *member = data;

  g_object_unref (member->user);
  g_free (member);
}

static void
planner_free (Planner *planner)
{
  g_clear_pointer (&planner->members, g_ptr_array_unref);
  g_clear_pointer (&planner->turns, g_hash_table_unref);
  g_free (planner);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Planner, planner_free)

static const char *
member_id (const Member *member)
{
  return lk_record_get_id (LK_RECORD (member->user));
}

static int
compare_members (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (member_id (*(Member **) a), member_id (*(Member **) b));
}

/* Open leads per owner: one pass over the owner index. */
static GHashTable *
count_open_leads (LkStore     *store,
                  const char  *only,
                  GError     **error)
{
  LkPipeline *pipeline = lk_store_get_pipeline (store);
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = lk_store_prepare (store,
                           "SELECT owner, count(*) FROM leads INDEXED BY leads_owner "
                           "WHERE deleted = 0 AND owner IS NOT NULL AND (?3 IS NULL OR owner = ?3) "
                           "AND stage <> ?1 AND stage <> ?2 GROUP BY owner",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, lk_pipeline_get_won_id (pipeline), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, lk_pipeline_get_lost_id (pipeline), -1, SQLITE_STATIC);
  if (only != NULL)
    sqlite3_bind_text (stmt, 3, only, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (counts, g_strdup (lk_store_column_text (stmt, 0)),
                         g_memdup2 (&(gint64) { sqlite3_column_int64 (stmt, 1) }, sizeof (gint64)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_fail (store, error, _("count the open leads"));
      return NULL;
    }
  return g_steal_pointer (&counts);
}

/* How many open (not Won, not Lost) leads @user_id owns. */
gint64
lk_assignment_count_open (LkStore     *store,
                          const char  *user_id,
                          GError     **error)
{
  g_autoptr(GHashTable) counts = NULL;
  gint64 *count;

  g_return_val_if_fail (LK_IS_STORE (store), -1);
  g_return_val_if_fail (user_id != NULL, -1);

  counts = count_open_leads (store, user_id, error);
  if (counts == NULL)
    return -1;
  count = g_hash_table_lookup (counts, user_id);
  return count ? *count : 0;
}

static Planner *
planner_new (LkAssignment  *rules,
             LkStore       *store,
             GError       **error)
{
  g_autoptr(Planner) planner = g_new0 (Planner, 1);
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GHashTable) counts = NULL;

  planner->rules = rules;
  planner->store = store;
  planner->members = g_ptr_array_new_with_free_func (member_free);
  planner->turns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  users = lk_store_list_users (store, error);
  if (users == NULL)
    return NULL;
  counts = count_open_leads (store, NULL, error);
  if (counts == NULL)
    return NULL;
  for (guint i = 0; i < users->len; i++)
    {
      Member *member = g_new0 (Member, 1);
      gint64 *open;

      member->user = g_object_ref (g_ptr_array_index (users, i));
      open = g_hash_table_lookup (counts, member_id (member));
      member->open = open ? *open : 0;
      g_ptr_array_add (planner->members, member);
    }
  g_ptr_array_sort (planner->members, compare_members);
  for (guint i = 0; i < rules->rules->len; i++)
    {
      LkAssignRule *rule = g_ptr_array_index (rules->rules, i);
      g_autofree char *key = g_strconcat (TURN_KEY, rule->id, NULL);
      char *last = lk_store_get_local (store, key);

      if (last != NULL)
        g_hash_table_insert (planner->turns, g_strdup (rule->id), last);
    }
  return g_steal_pointer (&planner);
}

/* Keeps the turns for the next run (this desktop's meta table). */
static gboolean
planner_save_turns (Planner  *planner,
                    GError  **error)
{
  GHashTableIter iter;
  const char *rule_id, *last;

  g_hash_table_iter_init (&iter, planner->turns);
  while (g_hash_table_iter_next (&iter, (gpointer *) &rule_id, (gpointer *) &last))
    {
      g_autofree char *key = g_strconcat (TURN_KEY, rule_id, NULL);

      if (!lk_store_set_local (planner->store, key, last, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
text_in (const char  *text,
         char       **list)
{
  g_autofree char *folded = NULL;

  if (list == NULL || list[0] == NULL)
    return TRUE;
  if (text == NULL || text[0] == '\0')
    return FALSE;
  folded = g_utf8_casefold (text, -1);
  for (guint i = 0; list[i] != NULL; i++)
    {
      g_autofree char *item = g_utf8_casefold (list[i], -1);

      if (g_str_equal (folded, item))
        return TRUE;
    }
  return FALSE;
}

static gboolean
rule_matches (const LkAssignRule *rule,
              LkLead             *lead)
{
  LkRecord *record = LK_RECORD (lead);

  return text_in (lk_record_get_string (record, LK_LEAD_REGION), rule->regions) &&
         text_in (lk_record_get_string (record, LK_LEAD_INDUSTRY), rule->industries) &&
         text_in (lk_record_get_string (record, LK_LEAD_SOURCE), rule->sources) &&
         text_in (lk_record_get_string (record, LK_LEAD_GRADE), rule->grades) &&
         text_in (lk_record_get_string (record, LK_LEAD_TEMPERATURE), rule->temperatures);
}

/* A member covers a region (or an industry) when their list names it or
 * is empty; a lead without one is covered by everyone. */
static gboolean
covers (LkUser      *user,
        LkUserField  field,
        const char  *value)
{
  const char * const *list = lk_record_get_tags (LK_RECORD (user), field);

  if (value == NULL || value[0] == '\0' || list[0] == NULL)
    return TRUE;
  return text_in (value, (char **) list);
}

typedef enum
{
  NOBODY_NAMED,     /* the rule names no one this database knows */
  NOBODY_COVERS,    /* no one covers the lead's region or industry */
  NOBODY_SENIOR,    /* an A lead, and no senior member */
  NOBODY_HAS_ROOM,  /* everyone is at capacity */
  NOBODY_N
} Nobody;

/* The members of @rule who may take @lead now; @why says why none can. */
static GPtrArray *
candidates (Planner            *planner,
            const LkAssignRule *rule,
            LkLead             *lead,
            Nobody             *why)
{
  LkRecord *record = LK_RECORD (lead);
  GPtrArray *out = g_ptr_array_new ();
  gboolean senior_only = planner->rules->senior_only_a &&
                         g_str_equal (lk_record_get_string (record, LK_LEAD_GRADE), "A");
  guint named = 0, covered = 0, senior = 0;

  for (guint i = 0; i < planner->members->len; i++)
    {
      Member *member = g_ptr_array_index (planner->members, i);
      LkRecord *user = LK_RECORD (member->user);
      gint64 capacity = lk_record_get_int (user, LK_USER_CAPACITY);

      if (rule->members != NULL ? !g_strv_contains ((const char * const *) rule->members, member_id (member))
                                : !g_str_equal (lk_record_get_string (user, LK_USER_ROLE), "rep"))
        continue;
      named++;
      if ((rule->match_region && !covers (member->user, LK_USER_REGIONS,
                                          lk_record_get_string (record, LK_LEAD_REGION))) ||
          (rule->match_industry && !covers (member->user, LK_USER_INDUSTRIES,
                                            lk_record_get_string (record, LK_LEAD_INDUSTRY))))
        continue;
      covered++;
      if (senior_only && !lk_record_get_bool (user, LK_USER_SENIOR))
        continue;
      senior++;
      if (capacity > 0 && member->open >= capacity)
        continue;
      g_ptr_array_add (out, member);
    }
  *why = named == 0 ? NOBODY_NAMED : covered == 0 ? NOBODY_COVERS
         : senior == 0 ? NOBODY_SENIOR : NOBODY_HAS_ROOM;
  return out;
}

/* Whose turn comes first: members after the last one to get a lead of
 * this rule, in id order, then from the start. */
static gboolean
turn_before (const Member *a,
             const Member *b,
             const char   *last)
{
  gboolean a_after = last == NULL || g_strcmp0 (member_id (a), last) > 0;
  gboolean b_after = last == NULL || g_strcmp0 (member_id (b), last) > 0;

  if (a_after != b_after)
    return a_after;
  return g_strcmp0 (member_id (a), member_id (b)) < 0;
}

/* Compares the loads (open + 1) / capacity of @a and @b without division. */
static int
compare_load (const Member *a,
              gint64        capacity_a,
              const Member *b,
              gint64        capacity_b)
{
  gint64 left = (a->open + 1) * capacity_b;
  gint64 right = (b->open + 1) * capacity_a;

  return (left > right) - (left < right);
}

static Member *
choose (Planner            *planner,
        const LkAssignRule *rule,
        GPtrArray          *members)
{
  const char *last = g_hash_table_lookup (planner->turns, rule->id);
  gint64 largest = 1;
  Member *best = NULL;

  for (guint i = 0; i < members->len; i++)
    largest = MAX (largest, lk_record_get_int (LK_RECORD (((Member *) g_ptr_array_index (members, i))->user),
                                               LK_USER_CAPACITY));
  for (guint i = 0; i < members->len; i++)
    {
      Member *member = g_ptr_array_index (members, i);
      int order = 0;

      if (best == NULL)
        {
          best = member;
          continue;
        }
      if (rule->strategy == LK_ASSIGN_FEWEST_OPEN)
        order = (member->open > best->open) - (member->open < best->open);
      else if (rule->strategy == LK_ASSIGN_CAPACITY)
        {
          /* A member without a capacity counts as the largest one. */
          gint64 mine = lk_record_get_int (LK_RECORD (member->user), LK_USER_CAPACITY);
          gint64 theirs = lk_record_get_int (LK_RECORD (best->user), LK_USER_CAPACITY);

          order = compare_load (member, mine > 0 ? mine : largest, best, theirs > 0 ? theirs : largest);
        }
      /* Ties, and round-robin itself, go by turn. */
      if (order < 0 || (order == 0 && turn_before (member, best, last)))
        best = member;
    }
  return best;
}

/* The member who gets @lead and by which rule, or %NULL and why not. */
static Member *
planner_pick (Planner             *planner,
              LkLead              *lead,
              const LkAssignRule **out_rule,
              char               **problem)
{
  static const char * const reasons[NOBODY_N] = {
    N_("The matching rules name no team member this database knows"),
    N_("No team member covers the lead’s region or industry"),
    N_("A-grade leads go to senior members only, and the matching rules name none"),
    N_("Everyone the matching rules name has as many open leads as their capacity"),
  };
  Nobody why = NOBODY_NAMED;
  gboolean matched = FALSE;

  *out_rule = NULL;
  for (guint i = 0; i < planner->rules->rules->len; i++)
    {
      const LkAssignRule *rule = g_ptr_array_index (planner->rules->rules, i);
      g_autoptr(GPtrArray) members = NULL;
      Nobody rule_why;
      Member *member;

      if (!rule_matches (rule, lead))
        continue;
      members = candidates (planner, rule, lead, &rule_why);
      if (!matched || rule_why > why)
        why = rule_why;  /* the reason that got furthest */
      matched = TRUE;
      if (members->len == 0)
        continue;
      member = choose (planner, rule, members);
      g_hash_table_insert (planner->turns, g_strdup (rule->id), g_strdup (member_id (member)));
      member->open++;
      *out_rule = rule;
      return member;
    }
  if (problem != NULL)
    *problem = g_strdup (matched ? _(reasons[why]) : _("No assignment rule matches the lead"));
  return NULL;
}

/**
 * lk_assignment_pick_for_lead:
 * @rule: (out) (transfer none): the rule that decided
 *
 * Picks the member who gets @lead under the rules, and takes the turn (a
 * round-robin rule's next lead goes to the next member): what automatic
 * assignment of a new lead does, inside its transaction.
 *
 * Returns: (transfer full) (nullable): the member's user id; %NULL when
 *   nobody can take the lead (@error is set only for a database error)
 */
char *
lk_assignment_pick_for_lead (LkAssignment        *self,
                             LkStore             *store,
                             LkLead              *lead,
                             const LkAssignRule **rule,
                             GError             **error)
{
  g_autoptr(Planner) planner = NULL;
  Member *member;

  g_return_val_if_fail (LK_IS_ASSIGNMENT (self), NULL);
  g_return_val_if_fail (LK_IS_STORE (store), NULL);
  g_return_val_if_fail (rule != NULL, NULL);

  planner = planner_new (self, store, error);
  if (planner == NULL)
    return NULL;
  member = planner_pick (planner, lead, rule, NULL);
  if (member == NULL || !planner_save_turns (planner, error))
    return NULL;
  return g_strdup (member_id (member));
}

/* The pool, hot and high-scoring leads first: they go to the top (and
 * to senior members, while they have room). */
static char **
pool_lead_ids (LkStore  *store,
               GError  **error)
{
  LkPipeline *pipeline = lk_store_get_pipeline (store);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  stmt = lk_store_prepare (store,
                           "SELECT id FROM leads WHERE deleted = 0 AND owner IS NULL "
                           "AND stage <> ? AND stage <> ? "
                           "ORDER BY grade = 'A' DESC, score DESC, created_at, rowid",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, lk_pipeline_get_won_id (pipeline), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, lk_pipeline_get_lost_id (pipeline), -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, lk_store_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_fail (store, error, _("read the pool"));
      return NULL;
    }
  return g_strv_builder_end (builder);
}

static LkAssignResult *
result_new (LkLead *lead)
{
  LkAssignResult *result = g_new0 (LkAssignResult, 1);

  result->lead_id = g_strdup (lk_record_get_id (LK_RECORD (lead)));
  result->lead_name = g_strdup (lk_lead_get_display_name (lead));
  result->from_owner = g_strdup (lk_lead_get_owner (lead));
  return result;
}

static gboolean
assign_one (LkAssignment    *self,
            LkStore         *store,
            LkLead          *lead,
            LkAssignResult  *result,
            const LkAssignRule *rule,
            GError         **error)
{
  LkOwnerNote note = { 0 };

  note.reason = "assign";
  note.rule = rule->id;
  note.summary = rule_name (rule);
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_OWNER, result->to_owner);
  if (result->from_owner == NULL)
    lk_assignment_move_to_assigned (self, lk_store_get_pipeline (store), lead);
  return lk_store_update_lead_noted (store, lead, NULL, &note, error);
}

/**
 * lk_assignment_run:
 * @lead_ids: (nullable) (array zero-terminated=1): the leads to assign (a
 *   selection, owned or not); %NULL for every open lead in the pool
 * @dry_run: only say what would happen
 *
 * Assigns leads by the rules, in one transaction: each lead gets its new
 * owner, moves from New to the assigned stage and has the assignment
 * logged on its timeline. A dry run writes nothing and leaves the
 * round-robin turns as they are, but plans the whole set as a real run
 * would (so a dry run of ten leads shows how they spread).
 *
 * Returns: (transfer full) (element-type LkAssignResult): one result per
 *   lead, in the order assigned; %NULL with @error when nothing was written
 */
GPtrArray *
lk_assignment_run (LkAssignment        *self,
                   LkStore             *store,
                   const char * const  *lead_ids,
                   gboolean             dry_run,
                   GError             **error)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_assign_result_free);
  g_autoptr(GPtrArray) leads = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) rules = g_ptr_array_new ();
  g_autoptr(Planner) planner = NULL;
  g_auto(GStrv) pool = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (LK_IS_ASSIGNMENT (self), NULL);
  g_return_val_if_fail (LK_IS_STORE (store), NULL);

  /* A dry run only reads: it may run inside a caller's transaction. */
  if (!dry_run && !lk_store_begin (store, error))
    return NULL;
  if (lead_ids == NULL)
    {
      pool = pool_lead_ids (store, error);
      ok = pool != NULL;
      lead_ids = (const char * const *) pool;
    }
  planner = ok ? planner_new (self, store, error) : NULL;
  ok = planner != NULL;
  for (guint i = 0; ok && lead_ids[i] != NULL; i++)
    {
      g_autoptr(LkLead) lead = lk_store_get_lead (store, lead_ids[i], error);
      const LkAssignRule *rule = NULL;
      LkAssignResult *result;
      Member *member;

      if (lead == NULL)
        {
          ok = FALSE;
          break;
        }
      if (lk_record_get_deleted (LK_RECORD (lead)))
        {
          g_set_error (error, LK_ERROR, LK_ERROR_NOT_FOUND,
                       _("The lead “%s” has been deleted"), lk_lead_get_display_name (lead));
          ok = FALSE;
          break;
        }
      result = result_new (lead);
      g_ptr_array_add (results, result);
      g_ptr_array_add (leads, g_object_ref (lead));
      member = planner_pick (planner, lead, &rule, &result->problem);
      g_ptr_array_add (rules, (gpointer) rule);
      if (member == NULL)
        continue;
      result->to_owner = g_strdup (member_id (member));
      result->rule_id = g_strdup (rule->id);
      result->rule_name = g_strdup (rule_name (rule));
    }
  for (guint i = 0; ok && !dry_run && i < results->len; i++)
    {
      LkAssignResult *result = g_ptr_array_index (results, i);

      if (result->to_owner != NULL && g_strcmp0 (result->to_owner, result->from_owner) != 0)
        ok = assign_one (self, store, g_ptr_array_index (leads, i), result,
                         g_ptr_array_index (rules, i), error);
    }
  if (dry_run)
    return ok ? g_steal_pointer (&results) : NULL;
  if (ok)
    ok = planner_save_turns (planner, error);
  if (!ok)
    {
      lk_store_rollback (store);
      return NULL;
    }
  if (!lk_store_commit (store, error))
    return NULL;
  return g_steal_pointer (&results);
}
