/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-store"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-error.h"
#include "lk-format.h"
#include "lk-settings.h"
#include "lk-store-private.h"
#include "lk-store-rules.h"

/* The rules of follow-up, scoring and assignment, as the store reads them
 * from their settings documents and runs them inside a local write of a
 * lead (lk-store-rules.h says what they do). */

enum { CADENCE, SCORING, ASSIGNMENT, POOL, N_KINDS };

static const char * const kind_names[N_KINDS] = {
  LK_RULES_CADENCE, LK_RULES_SCORING, LK_RULES_ASSIGNMENT, LK_RULES_POOL
};

static int
kind_for_name (const char *name)
{
  for (guint i = 0; i < N_KINDS; i++)
    if (g_strcmp0 (name, kind_names[i]) == 0)
      return (int) i;
  return -1;
}

static GObject *
new_default (guint kind)
{
  switch (kind)
    {
    case CADENCE:
      return G_OBJECT (lk_cadence_new_default ());
    case SCORING:
      return G_OBJECT (lk_scoring_new_default ());
    case ASSIGNMENT:
      return G_OBJECT (lk_assignment_new_default ());
    case POOL:
    default:
      return G_OBJECT (lk_pool_new_default ());
    }
}

static GObject *
new_from_json (guint        kind,
               JsonObject  *object,
               GError     **error)
{
  switch (kind)
    {
    case CADENCE:
      return G_OBJECT (lk_cadence_new_from_json (object, error));
    case SCORING:
      return G_OBJECT (lk_scoring_new_from_json (object, error));
    case ASSIGNMENT:
      return G_OBJECT (lk_assignment_new_from_json (object, error));
    case POOL:
    default:
      return G_OBJECT (lk_pool_new_from_json (object, error));
    }
}

/* Parses and checks a document of the rules @kind. */
static GObject *
parse_rules (guint        kind,
             const char  *json,
             GError     **error)
{
  g_autofree char *doc_id = g_strconcat ("settings:", kind_names[kind], NULL);
  g_autoptr(JsonObject) object = lk_settings_parse (doc_id, json, error);

  if (object == NULL)
    return NULL;
  return new_from_json (kind, object, error);
}

static GObject *
get_rules (LkStore  *self,
           guint     kind,
           GError  **error)
{
  GObject *rules = g_hash_table_lookup (self->rules, kind_names[kind]);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *json = NULL;

  if (rules != NULL)
    return g_object_ref (rules);
  json = lk_store_get_setting (self, kind_names[kind], &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  rules = json != NULL ? parse_rules (kind, json, error) : new_default (kind);
  if (rules == NULL)
    return NULL;
  g_hash_table_insert (self->rules, g_strdup (kind_names[kind]), rules);
  return g_object_ref (rules);
}

/* Settings changed (here, by sync, by another connection): read again. */
void
lk_store_forget_rules (LkStore *self)
{
  if (self->rules != NULL)
    g_hash_table_remove_all (self->rules);
}

/**
 * lk_store_get_cadence:
 *
 * Returns: (transfer full): the follow-up rules (the defaults when
 *   settings:cadence does not exist), or %NULL with @error when
 *   settings:cadence cannot be used
 */
LkCadence *
lk_store_get_cadence (LkStore  *self,
                      GError  **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);
  return LK_CADENCE (get_rules (self, CADENCE, error));
}

LkScoring *
lk_store_get_scoring (LkStore  *self,
                      GError  **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);
  return LK_SCORING (get_rules (self, SCORING, error));
}

LkAssignment *
lk_store_get_assignment (LkStore  *self,
                         GError  **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);
  return LK_ASSIGNMENT (get_rules (self, ASSIGNMENT, error));
}

LkPool *
lk_store_get_pool (LkStore  *self,
                   GError  **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);
  return LK_POOL (get_rules (self, POOL, error));
}

static gboolean
save_json (LkStore     *self,
           const char  *name,
           JsonObject  *object,
           GError     **error)
{
  g_autoptr(JsonObject) owned = object;
  g_autofree char *json = lk_settings_to_string (owned);

  return lk_store_set_setting (self, name, json, error);
}

gboolean
lk_store_set_cadence (LkStore    *self,
                      LkCadence  *cadence,
                      GError    **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (LK_IS_CADENCE (cadence), FALSE);
  return save_json (self, LK_RULES_CADENCE, lk_cadence_to_json (cadence), error);
}

gboolean
lk_store_set_scoring (LkStore    *self,
                      LkScoring  *scoring,
                      GError    **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (LK_IS_SCORING (scoring), FALSE);
  return save_json (self, LK_RULES_SCORING, lk_scoring_to_json (scoring), error);
}

gboolean
lk_store_set_assignment (LkStore       *self,
                         LkAssignment  *assignment,
                         GError       **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (LK_IS_ASSIGNMENT (assignment), FALSE);
  return save_json (self, LK_RULES_ASSIGNMENT, lk_assignment_to_json (assignment), error);
}

gboolean
lk_store_set_pool (LkStore  *self,
                   LkPool   *pool,
                   GError  **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (LK_IS_POOL (pool), FALSE);
  return save_json (self, LK_RULES_POOL, lk_pool_to_json (pool), error);
}

/**
 * lk_store_set_rules_json:
 * @name: "cadence", "scoring", "assignment" or "pool"
 *
 * Saves a whole rules document after checking it: a document with a
 * mistake is refused with the mistake named, and nothing is written.
 */
gboolean
lk_store_set_rules_json (LkStore     *self,
                         const char  *name,
                         const char  *json,
                         GError     **error)
{
  g_autoptr(GObject) rules = NULL;
  int kind = kind_for_name (name);

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (json != NULL, FALSE);

  if (kind < 0)
    {
      g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                   _("There are no rules called “%s”; the rules are cadence, scoring, assignment and pool"),
                   name ? name : "");
      return FALSE;
    }
  rules = parse_rules ((guint) kind, json, error);
  if (rules == NULL)
    return FALSE;
  return lk_store_set_setting (self, name, json, error);
}

/* Whether the rules @name can be used; if not, @error says why. */
gboolean
lk_store_check_rules (LkStore     *self,
                      const char  *name,
                      GError     **error)
{
  g_autoptr(GObject) rules = NULL;
  int kind = kind_for_name (name);

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (kind >= 0, FALSE);

  rules = get_rules (self, (guint) kind, error);
  return rules != NULL;
}

/**
 * lk_store_count_events:
 *
 * Returns: (transfer full) (element-type utf8 guint): how many behaviour
 *   events of each type the lead had (GUINT_TO_POINTER), or %NULL with
 *   @error
 */
GHashTable *
lk_store_count_events (LkStore     *self,
                       const char  *lead_id,
                       GError     **error)
{
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  stmt = lk_store_prepare (self,
                           "SELECT event_type, count(*) FROM activities "
                           "WHERE lead_id = ? AND kind = 'event' AND deleted = 0 GROUP BY event_type",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, lead_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (counts, g_strdup (lk_store_column_text (stmt, 0)),
                         GUINT_TO_POINTER ((guint) sqlite3_column_int64 (stmt, 1)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_fail (self, error, _("count the lead’s events"));
      return NULL;
    }
  return g_steal_pointer (&counts);
}

/**
 * lk_store_explain_score:
 *
 * The score @lead has under the scoring rules, and each rule that
 * contributed: what the editor shows. Computed whether scoring is on or
 * not.
 *
 * Returns: (transfer full):
 */
LkScoreResult *
lk_store_explain_score (LkStore  *self,
                        LkLead   *lead,
                        GError  **error)
{
  g_autoptr(LkScoring) scoring = NULL;
  g_autoptr(GHashTable) counts = NULL;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);
  g_return_val_if_fail (LK_IS_LEAD (lead), NULL);

  scoring = lk_store_get_scoring (self, error);
  if (scoring == NULL)
    return NULL;
  counts = lk_record_get_id (LK_RECORD (lead)) != NULL
             ? lk_store_count_events (self, lk_record_get_id (LK_RECORD (lead)), error)
             : g_hash_table_new (g_str_hash, g_str_equal);
  if (counts == NULL)
    return NULL;
  return lk_scoring_compute (scoring, lead, counts);
}

static char **
live_lead_ids (LkStore  *self,
               GError  **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  stmt = lk_store_prepare (self, "SELECT id FROM leads WHERE deleted = 0 ORDER BY rowid", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, lk_store_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_fail (self, error, _("read the leads"));
      return NULL;
    }
  return g_strv_builder_end (builder);
}

/**
 * lk_store_rescore_leads:
 * @lead_ids: (nullable): the leads; %NULL for every lead
 * @n_changed: (out) (optional): how many leads got a new score
 *
 * Scores leads again, after the scoring rules changed or after a bulk
 * import: one transaction, writing only the leads whose score,
 * temperature or flags change. Nothing happens while scoring is off.
 * Slow on a large database: run it on a worker's connection.
 */
gboolean
lk_store_rescore_leads (LkStore             *self,
                        const char * const  *lead_ids,
                        guint               *n_changed,
                        GError             **error)
{
  g_autoptr(LkScoring) scoring = NULL;
  g_auto(GStrv) all = NULL;
  guint changed = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);

  if (n_changed != NULL)
    *n_changed = 0;
  scoring = lk_store_get_scoring (self, error);
  if (scoring == NULL)
    return FALSE;
  if (!lk_scoring_get_enabled (scoring))
    return TRUE;
  if (!lk_store_begin (self, error))
    return FALSE;
  if (lead_ids == NULL)
    {
      all = live_lead_ids (self, error);
      ok = all != NULL;
      lead_ids = (const char * const *) all;
    }
  for (guint i = 0; ok && lead_ids[i] != NULL; i++)
    {
      g_autoptr(LkLead) lead = lk_store_get_lead (self, lead_ids[i], error);
      g_autoptr(GHashTable) counts = NULL;

      ok = lead != NULL;
      if (!ok || lk_record_get_deleted (LK_RECORD (lead)))
        continue;
      counts = lk_store_count_events (self, lead_ids[i], error);
      ok = counts != NULL;
      if (ok && lk_scoring_apply (scoring, lead, counts))
        {
          ok = lk_store_update_lead (self, lead, NULL, error);
          changed++;
        }
    }
  if (!lk_store_finish (self, ok, error))
    return FALSE;
  if (n_changed != NULL)
    *n_changed = changed;
  return TRUE;
}

static LkActivity *
assignment_activity (LkStore           *self,
                     LkLead            *lead,
                     const char        *from,
                     const char        *to,
                     const LkOwnerNote *note)
{
  LkActivity *activity = lk_activity_new (lk_record_get_id (LK_RECORD (lead)), "assignment");
  LkRecord *record = LK_RECORD (activity);

  if (note != NULL && note->activity_id != NULL)
    lk_record_set_id (record, note->activity_id);
  lk_record_ensure_id (record);
  lk_record_set_int (record, LK_ACTIVITY_AT,
                     note != NULL && note->at != 0 ? note->at : lk_clock_now_ms (self->clock));
  if (note == NULL || !note->automatic)
    lk_record_set_string (record, LK_ACTIVITY_BY, self->user_id);
  lk_record_set_string (record, LK_ACTIVITY_OWNER_FROM, from);
  lk_record_set_string (record, LK_ACTIVITY_OWNER_TO, to);
  lk_record_set_string (record, LK_ACTIVITY_REASON, note != NULL && note->reason ? note->reason : "manual");
  if (note != NULL)
    {
      lk_record_set_string (record, LK_ACTIVITY_RULE, note->rule);
      lk_record_set_string (record, LK_ACTIVITY_SUMMARY, note->summary);
    }
  return activity;
}

static void
remove_tag (LkLead     *lead,
            const char *tag)
{
  const char * const *tags = lk_record_get_tags (LK_RECORD (lead), LK_LEAD_TAGS);
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) kept = NULL;

  if (tag == NULL || !g_strv_contains (tags, tag))
    return;
  builder = g_strv_builder_new ();
  for (guint i = 0; tags[i] != NULL; i++)
    if (!g_str_equal (tags[i], tag))
      g_strv_builder_add (builder, tags[i]);
  kept = g_strv_builder_end (builder);
  lk_record_set_tags (LK_RECORD (lead), LK_LEAD_TAGS, (const char * const *) kept);
}

/* A new lead without an owner, while automatic assignment is on. */
static gboolean
assign_new_lead (LkStore       *self,
                 LkLead        *lead,
                 LkAssignment  *assignment,
                 LkOwnerNote   *note,
                 GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *member = NULL;
  const LkAssignRule *rule = NULL;

  member = lk_assignment_pick_for_lead (assignment, self, lead, &rule, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (member == NULL)
    return TRUE;  /* nobody can take it: it stays in the pool */
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_OWNER, member);
  lk_record_set_int (LK_RECORD (lead), LK_LEAD_ASSIGNED_AT, lk_clock_now_ms (self->clock));
  lk_assignment_move_to_assigned (assignment, self->pipeline, lead);
  note->reason = "auto";
  note->rule = rule->id;
  note->summary = rule->name;
  return TRUE;
}

/* Leaving a stage drops the open task its trigger made: it was about that
 * stage (and a move that is undone leaves no task behind). */
static gboolean
drop_stage_tasks (LkStore     *self,
                  LkLead      *lead,
                  const char  *stage,
                  GPtrArray   *follow,
                  GError     **error)
{
  g_autofree char *sql = g_strconcat (lk_store_select_sql (self, LK_TYPE_ACTIVITY),
                                      " WHERE lead_id = ? AND kind = 'task' AND rule = ? "
                                      "AND done_at IS NULL AND deleted = 0", NULL);
  g_autofree char *rule = g_strconcat ("stage:", stage, NULL);
  sqlite3_stmt *stmt = lk_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, lk_record_get_id (LK_RECORD (lead)), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, rule, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LkRecord *task = lk_store_read_record (stmt, LK_TYPE_ACTIVITY);

      lk_record_set_deleted (task, TRUE);
      g_ptr_array_add (follow, task);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return lk_store_fail (self, error, _("read the lead’s tasks"));
  return TRUE;
}

static void
add_stage_task (LkStore              *self,
                LkLead               *lead,
                LkCadence            *cadence,
                const LkStageTrigger *trigger,
                GPtrArray            *follow)
{
  LkRecord *record = LK_RECORD (lead);
  gint64 entered = lk_record_get_int (record, LK_LEAD_STAGE_ENTERED_AT);
  gint64 due = lk_cadence_trigger_due (cadence, self->clock, trigger, entered);
  gint64 next = lk_record_get_int (record, LK_LEAD_NEXT_FOLLOWUP_AT);
  g_autoptr(LkActivity) task = lk_activity_new (lk_record_get_id (record), "task");
  g_autofree char *title = lk_cadence_trigger_title (trigger, self->pipeline);
  g_autofree char *rule = g_strconcat ("stage:", trigger->stage, NULL);

  lk_record_ensure_id (LK_RECORD (task));
  lk_record_set_int (LK_RECORD (task), LK_ACTIVITY_AT, lk_clock_now_ms (self->clock));
  lk_record_set_string (LK_RECORD (task), LK_ACTIVITY_BY, self->user_id);
  lk_record_set_string (LK_RECORD (task), LK_ACTIVITY_SUMMARY, title);
  lk_record_set_int (LK_RECORD (task), LK_ACTIVITY_NEXT_DUE_AT, due);
  lk_record_set_string (LK_RECORD (task), LK_ACTIVITY_RULE, rule);
  g_ptr_array_add (follow, g_steal_pointer (&task));
  /* The task's day is a follow-up day: the lead shows on the agenda then. */
  if (next == 0 || next > due)
    lk_record_set_int (record, LK_LEAD_NEXT_FOLLOWUP_AT, due);
}

gboolean
lk_store_apply_lead_rules (LkStore           *self,
                           LkLead            *lead,
                           LkLead            *stored,
                           gboolean           entered_stage,
                           const LkOwnerNote *note,
                           GPtrArray         *follow,
                           GError           **error)
{
  LkRecord *record = LK_RECORD (lead);
  g_autoptr(LkAssignment) assignment = NULL;
  g_autoptr(LkCadence) cadence = NULL;
  g_autoptr(LkScoring) scoring = NULL;
  g_autoptr(GError) rules_error = NULL;
  LkOwnerNote auto_note = { 0 };
  const char *from = stored != NULL ? lk_lead_get_owner (stored) : NULL;
  const char *to;

  /* A broken settings document stops only its own rules (the preferences
   * and `leadkeeper-cli maintain` show why); the edit itself goes on. */
  if (stored == NULL && lk_lead_get_owner (lead) == NULL && note == NULL)
    {
      assignment = lk_store_get_assignment (self, &rules_error);
      if (assignment != NULL && lk_assignment_get_auto_assign (assignment))
        {
          if (!assign_new_lead (self, lead, assignment, &auto_note, error))
            return FALSE;
          if (auto_note.reason != NULL)
            note = &auto_note;
        }
      else if (assignment == NULL)
        g_debug ("No automatic assignment: %s", rules_error->message);
      g_clear_error (&rules_error);
    }

  /* Every assignment is logged on the lead; a lead someone creates for
   * themselves is not an assignment. */
  to = lk_lead_get_owner (lead);
  if (g_strcmp0 (from, to) != 0 &&
      (stored != NULL || note != NULL || g_strcmp0 (to, self->user_id) != 0))
    {
      g_ptr_array_add (follow, assignment_activity (self, lead, from, to, note));
      if (to != NULL)
        {
          g_autoptr(LkPool) pool = lk_store_get_pool (self, NULL);

          remove_tag (lead, pool != NULL ? lk_pool_get_flag_tag (pool) : NULL);
        }
    }

  if (entered_stage)
    {
      /* Whatever the triggers say now: a task's stage is in the task. */
      if (stored != NULL && !drop_stage_tasks (self, lead, lk_lead_get_stage (stored), follow, error))
        return FALSE;
      cadence = lk_store_get_cadence (self, &rules_error);
      if (cadence != NULL)
        {
          const LkStageTrigger *trigger = lk_cadence_find_trigger (cadence, lk_lead_get_stage (lead));

          if (trigger != NULL)
            add_stage_task (self, lead, cadence, trigger, follow);
        }
      else
        g_debug ("No stage triggers: %s", rules_error->message);
      g_clear_error (&rules_error);
    }

  scoring = lk_store_get_scoring (self, &rules_error);
  if (scoring != NULL && lk_scoring_get_enabled (scoring))
    {
      g_autoptr(GHashTable) counts = lk_store_count_events (self, lk_record_get_id (record), error);

      if (counts == NULL)
        return FALSE;
      lk_scoring_apply (scoring, lead, counts);
    }
  else if (scoring == NULL)
    g_debug ("No scoring: %s", rules_error->message);
  return TRUE;
}

/* settings:general, version 1: {"version": 1, "currency": "TWD"}; the
 * team's currency, for new leads and for sums. Without it (or with a
 * broken document: nobody is stopped from seeing amounts) the currency
 * of the user's locale. */
#define LK_SETTINGS_GENERAL "general"
#define GENERAL_DOC_ID "settings:" LK_SETTINGS_GENERAL

static gboolean
is_currency_code (const char *code)
{
  return code != NULL && strlen (code) == 3 && g_ascii_isupper (code[0]) &&
         g_ascii_isupper (code[1]) && g_ascii_isupper (code[2]);
}

static JsonObject *
read_general (LkStore  *self,
              GError  **error)
{
  g_autofree char *json = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonObject) object = NULL;

  json = lk_store_get_setting (self, LK_SETTINGS_GENERAL, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (json == NULL)
    return json_object_new ();
  object = lk_settings_parse (GENERAL_DOC_ID, json, error);
  if (object == NULL || !lk_settings_check_version (GENERAL_DOC_ID, object, error))
    return NULL;
  return g_steal_pointer (&object);
}

/**
 * lk_store_get_currency:
 *
 * Returns: (transfer full): the team's currency code (settings:general),
 *   or the currency of the user's locale when the team has not set one
 */
char *
lk_store_get_currency (LkStore *self)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *currency = NULL;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  object = read_general (self, &error);
  if (object != NULL &&
      lk_settings_get_string (GENERAL_DOC_ID, object, NULL, "currency", &currency, &error) &&
      is_currency_code (currency))
    return g_steal_pointer (&currency);
  if (error != NULL)
    g_debug ("The team's currency falls back to the locale's: %s", error->message);
  else if (currency != NULL)
    g_debug ("The team's currency “%s” is not a currency code", currency);
  return g_strdup (lk_format_locale_currency ());
}

/**
 * lk_store_set_currency:
 * @currency: (nullable): a three-letter code ("TWD"); %NULL for the
 *   currency of each user's locale
 *
 * Saves the team's currency in settings:general (which syncs), keeping
 * the other members of that document. A settings:general this version
 * cannot read is left as it is, with an error.
 */
gboolean
lk_store_set_currency (LkStore     *self,
                       const char  *currency,
                       GError     **error)
{
  static const char * const known[] = { "currency", NULL };
  g_autoptr(JsonObject) old = NULL;
  g_autoptr(JsonObject) extra = NULL;
  JsonObject *object;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);

  if (currency != NULL && !is_currency_code (currency))
    {
      g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                   _("The currency must be a three-letter code such as CNY, TWD or USD, not “%s”"), currency);
      return FALSE;
    }
  old = read_general (self, error);
  if (old == NULL)
    return FALSE;
  extra = lk_settings_extra (old, known);
  object = lk_settings_start (extra);
  if (currency != NULL)
    json_object_set_string_member (object, "currency", currency);
  /* save_json takes the object */
  return save_json (self, LK_SETTINGS_GENERAL, object, error);
}
