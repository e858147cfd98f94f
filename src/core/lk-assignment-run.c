/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-assignment"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-assignment.h"
#include "lk-error.h"
#include "lk-store-private.h"

/* Running the assignment rules (lk-assignment.c reads them): who gets
 * each lead, in one transaction, fair across runs. Round-robin turns are
 * kept on this desktop (the meta table), per rule. */

#define TURN_KEY "assignment-turn:"

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
  for (guint i = 0; i < lk_assignment_get_rules (rules)->len; i++)
    {
      LkAssignRule *rule = g_ptr_array_index (lk_assignment_get_rules (rules), i);
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
  gboolean senior_only = lk_assignment_get_senior_only_a (planner->rules) &&
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
  for (guint i = 0; i < lk_assignment_get_rules (planner->rules)->len; i++)
    {
      const LkAssignRule *rule = g_ptr_array_index (lk_assignment_get_rules (planner->rules), i);
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
  note.summary = lk_assign_rule_get_name (rule);
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
      result->rule_name = g_strdup (lk_assign_rule_get_name (rule));
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
  if (!lk_store_finish (store, ok, error))
    return NULL;
  return g_steal_pointer (&results);
}
