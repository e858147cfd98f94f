/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-store"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-error.h"
#include "lk-format.h"
#include "lk-store-followups.h"
#include "lk-store-private.h"
#include "lk-store-rules.h"
#include "lk-vocabulary.h"

/* Logging follow-ups, events and tasks. Each is one transaction: the
 * activity document and its lead's update (which runs the rules of
 * lk-store-rules.c: the score, for one). */

#define URGENCY_NONE G_GINT64_CONSTANT (9223372036854775807)

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; p != NULL && *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* The live lead @lead_id, inside the caller's transaction. */
static LkLead *
live_lead (LkStore     *self,
           const char  *lead_id,
           GError     **error)
{
  g_autoptr(LkLead) lead = NULL;

  if (lead_id == NULL || lead_id[0] == '\0')
    {
      g_set_error_literal (error, LK_ERROR, LK_ERROR_INVALID, _("An activity needs the lead it is about"));
      return NULL;
    }
  lead = lk_store_get_lead (self, lead_id, error);
  if (lead != NULL && lk_record_get_deleted (LK_RECORD (lead)))
    {
      g_set_error (error, LK_ERROR, LK_ERROR_NOT_FOUND,
                   _("The lead “%s” has been deleted"), lk_lead_get_display_name (lead));
      return NULL;
    }
  return g_steal_pointer (&lead);
}

static gboolean
check_method (const char  *method,
              GError     **error)
{
  g_autoptr(GString) known = g_string_new (NULL);
  const LkTerm *methods;
  guint n;

  methods = lk_vocabulary_methods (&n);
  for (guint i = 0; i < n; i++)
    {
      if (g_strcmp0 (method, methods[i].id) == 0)
        return TRUE;
      g_string_append_printf (known, "%s%s", i > 0 ? ", " : "", methods[i].id);
    }
  if (method == NULL || method[0] == '\0')
    g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                 _("A follow-up needs a method: %s"), known->str);
  else
    g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                 _("“%s” is not a follow-up method; the methods are %s"), method, known->str);
  return FALSE;
}

static gboolean
check_grade (const char  *grade,
             GError     **error)
{
  if (grade == NULL || grade[0] == '\0' || g_str_equal (grade, "A") ||
      g_str_equal (grade, "B") || g_str_equal (grade, "C"))
    return TRUE;
  g_set_error (error, LK_ERROR, LK_ERROR_INVALID, _("The grade must be A, B or C, not “%s”"), grade);
  return FALSE;
}

/* The times of the lead's follow-ups in the @days local days up to the
 * one @at_ms falls on. */
static GArray *
recent_contacts (LkStore     *self,
                 const char  *lead_id,
                 gint64       at_ms,
                 guint        days,
                 GError     **error)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 since = lk_cadence_local_date_at (self->clock, at_ms, -(int) days, 0);
  sqlite3_stmt *stmt;
  int rc;

  stmt = lk_store_prepare (self,
                           "SELECT at FROM activities WHERE lead_id = ? AND kind = 'followup' "
                           "AND deleted = 0 AND at >= ? AND at <= ?",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, lead_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, since);
  sqlite3_bind_int64 (stmt, 3, at_ms);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 at = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (times, at);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lk_store_fail (self, error, _("read the lead’s follow-ups"));
      return NULL;
    }
  return g_steal_pointer (&times);
}

/**
 * lk_store_check_too_often:
 * @grade: (nullable): the grade the lead will have; %NULL for its own
 * @too_often: (out): whether a contact at @at_ms goes over the grade's
 *   limit ("contacted too often": A once a day, C twice a week)
 *
 * What the Log follow-up dialog asks before it saves, to warn.
 */
gboolean
lk_store_check_too_often (LkStore     *self,
                          const char  *lead_id,
                          const char  *grade,
                          gint64       at_ms,
                          gboolean    *too_often,
                          GError     **error)
{
  g_autoptr(LkCadence) cadence = NULL;
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(GArray) times = NULL;
  const LkCadenceGrade *rules;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (too_often != NULL, FALSE);

  *too_often = FALSE;
  cadence = lk_store_get_cadence (self, error);
  if (cadence == NULL)
    return FALSE;
  if (grade == NULL || grade[0] == '\0')
    {
      lead = live_lead (self, lead_id, error);
      if (lead == NULL)
        return FALSE;
      grade = lk_record_get_string (LK_RECORD (lead), LK_LEAD_GRADE);
    }
  rules = lk_cadence_get_grade (cadence, grade);
  if (rules->max_contacts == 0)
    return TRUE;
  times = recent_contacts (self, lead_id, at_ms, rules->per_days, error);
  if (times == NULL)
    return FALSE;
  *too_often = lk_cadence_too_often (cadence, self->clock, grade,
                                     (const gint64 *) (gpointer) times->data, times->len, at_ms);
  return TRUE;
}

/* The lead's side of a follow-up. */
static void
apply_followup (LkStore  *self,
                LkLead   *lead,
                LkRecord *followup)
{
  LkRecord *record = LK_RECORD (lead);
  gint64 at = lk_record_get_int (followup, LK_ACTIVITY_AT);
  gint64 due = lk_record_get_int (followup, LK_ACTIVITY_NEXT_DUE_AT);
  gint64 first = lk_record_get_int (record, LK_LEAD_FIRST_CONTACTED_AT);
  gint64 last = lk_record_get_int (record, LK_LEAD_LAST_CONTACTED_AT);
  const char *grade = lk_record_get_string (followup, LK_ACTIVITY_GRADE_TO);

  if (first == 0 || at < first)
    lk_record_set_int (record, LK_LEAD_FIRST_CONTACTED_AT, at);
  /* The latest contact decides the plan: its next step, or none. One
   * entered late (before the last contact) moves neither the last
   * contact back nor the plan, unless it gives a next step. */
  if (due != 0)
    lk_record_set_int (record, LK_LEAD_NEXT_FOLLOWUP_AT, due);
  else if (at >= last)
    lk_record_set_int (record, LK_LEAD_NEXT_FOLLOWUP_AT, 0);
  if (at > last)
    lk_record_set_int (record, LK_LEAD_LAST_CONTACTED_AT, at);
  if (grade[0] != '\0')
    lk_record_set_string (record, LK_LEAD_GRADE, grade);
}

/**
 * lk_store_log_followup:
 * @followup: an activity of kind "followup" (or no kind yet) with its
 *   lead, method and summary, and if known its time (else now), customer
 *   feedback, next step, next step's date and new grade
 * @too_often: (out) (optional): whether the contact went over its grade's
 *   limit; it is logged all the same
 *
 * Logs a follow-up in one transaction: the immutable activity, and on its
 * lead the last and first contact times, the next follow-up (the next
 * step's date; without one the lead has no plan, unless the follow-up is
 * older than the lead's last contact) and the grade change. The activity
 * records the grade it changed from. The Log follow-up dialog proposes
 * the next step's date with lk_cadence_propose_next().
 */
gboolean
lk_store_log_followup (LkStore     *self,
                       LkActivity  *followup,
                       gboolean    *too_often,
                       GError     **error)
{
  LkRecord *record = LK_RECORD (followup);
  g_autoptr(LkLead) lead = NULL;
  g_autofree char *grade_to = NULL;
  g_autofree char *old_grade = NULL;
  const char *lead_id;
  const char *kind;
  gint64 at, due;
  gboolean over = FALSE;
  gboolean ok;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (LK_IS_ACTIVITY (followup), FALSE);

  if (too_often != NULL)
    *too_often = FALSE;
  kind = lk_record_get_string (record, LK_ACTIVITY_KIND);
  if (kind[0] == '\0')
    lk_record_set_string (record, LK_ACTIVITY_KIND, "followup");
  else if (!g_str_equal (kind, "followup"))
    {
      g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                   _("A follow-up cannot be logged as an activity of kind “%s”"), kind);
      return FALSE;
    }
  if (!check_method (lk_record_get_string (record, LK_ACTIVITY_METHOD), error))
    return FALSE;
  if (is_blank (lk_record_get_string (record, LK_ACTIVITY_SUMMARY)))
    {
      g_set_error_literal (error, LK_ERROR, LK_ERROR_INVALID,
                           _("A follow-up needs a summary of what was said"));
      return FALSE;
    }
  grade_to = g_strdup (lk_record_get_string (record, LK_ACTIVITY_GRADE_TO));
  if (!check_grade (grade_to, error))
    return FALSE;
  at = lk_record_get_int (record, LK_ACTIVITY_AT);
  if (at == 0)
    at = lk_clock_now_ms (self->clock);
  due = lk_record_get_int (record, LK_ACTIVITY_NEXT_DUE_AT);
  if (due != 0 && lk_cadence_days_between (self->clock, at, due) < 0)
    {
      g_autofree char *when = lk_format_date (due, lk_clock_get_timezone (self->clock));

      g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                   _("The next step’s date (%s) is before the follow-up itself"), when);
      return FALSE;
    }

  if (!lk_store_begin (self, error))
    return FALSE;
  lead_id = lk_record_get_string (record, LK_ACTIVITY_LEAD);
  lead = live_lead (self, lead_id, error);
  if (lead == NULL)
    return lk_store_finish (self, FALSE, error);

  old_grade = g_strdup (lk_record_get_string (LK_RECORD (lead), LK_LEAD_GRADE));
  /* The grade it had is recorded only when it changes. */
  if (g_strcmp0 (grade_to, old_grade) == 0)
    {
      lk_record_set_string (record, LK_ACTIVITY_GRADE_TO, NULL);
      grade_to[0] = '\0';
    }
  else if (grade_to[0] != '\0')
    lk_record_set_string (record, LK_ACTIVITY_GRADE_FROM, old_grade);
  lk_record_ensure_id (record);
  lk_record_set_int (record, LK_ACTIVITY_AT, at);
  if (lk_record_get_string (record, LK_ACTIVITY_BY)[0] == '\0')
    lk_record_set_string (record, LK_ACTIVITY_BY, self->user_id);

  /* Too often counts the contacts before this one, under the grade the
   * lead has after it. A broken settings:cadence only loses the warning. */
  ok = TRUE;
  {
    g_autoptr(LkCadence) cadence = lk_store_get_cadence (self, NULL);

    if (cadence != NULL)
      ok = lk_store_check_too_often (self, lead_id, grade_to[0] != '\0' ? grade_to : old_grade, at, &over, error);
  }
  if (ok)
    {
      apply_followup (self, lead, record);
      ok = lk_store_put_record (self, record, error) &&
           lk_store_update_lead (self, lead, NULL, error);
    }
  if (!lk_store_finish (self, ok, error))
    return FALSE;
  if (too_often != NULL)
    *too_often = over;
  return TRUE;
}

/* Opens the transaction that adds an activity of @kind to the live lead
 * @lead_id (returned in @lead), made at @at_ms (0: now) by this desktop's
 * user. Returns: (transfer full): the activity, or %NULL with nothing
 * left open. */
static LkActivity *
begin_activity (LkStore     *self,
                const char  *lead_id,
                const char  *kind,
                gint64       at_ms,
                LkLead     **lead,
                GError     **error)
{
  LkActivity *activity;
  LkRecord *record;

  if (!lk_store_begin (self, error))
    return NULL;
  *lead = live_lead (self, lead_id, error);
  if (*lead == NULL)
    {
      lk_store_rollback (self);
      return NULL;
    }
  activity = lk_activity_new (lead_id, kind);
  record = LK_RECORD (activity);
  lk_record_ensure_id (record);
  lk_record_set_int (record, LK_ACTIVITY_AT, at_ms != 0 ? at_ms : lk_clock_now_ms (self->clock));
  lk_record_set_string (record, LK_ACTIVITY_BY, self->user_id);
  return activity;
}

/**
 * lk_store_log_event:
 * @event_type: what happened: "pricing_page", "whitepaper", "webinar",
 *   "quote_request", … (lk-scoring.h)
 * @at_ms: when; 0 for now
 *
 * Records a behaviour event on a lead, and scores the lead again in the
 * same transaction.
 *
 * Returns: (transfer full): the event's activity, or %NULL with @error
 */
LkActivity *
lk_store_log_event (LkStore     *self,
                    const char  *lead_id,
                    const char  *event_type,
                    gint64       at_ms,
                    GError     **error)
{
  g_autoptr(LkActivity) event = NULL;
  g_autoptr(LkLead) lead = NULL;
  g_autofree char *type = NULL;
  LkRecord *record;
  gboolean ok;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  type = g_strstrip (g_strdup (event_type ? event_type : ""));
  if (type[0] == '\0')
    {
      g_set_error_literal (error, LK_ERROR, LK_ERROR_INVALID,
                           _("An event needs its type, such as “pricing_page”"));
      return NULL;
    }
  event = begin_activity (self, lead_id, "event", at_ms, &lead, error);
  if (event == NULL)
    return NULL;
  record = LK_RECORD (event);
  lk_record_set_string (record, LK_ACTIVITY_EVENT_TYPE, type);
  ok = lk_store_put_record (self, record, error) &&
       lk_store_update_lead (self, lead, NULL, error);
  if (!lk_store_finish (self, ok, error))
    return NULL;
  return g_steal_pointer (&event);
}

/**
 * lk_store_add_task:
 * @due_ms: when it is due
 *
 * Adds a task to a lead; its day becomes the lead's next follow-up when
 * that is later or not planned.
 *
 * Returns: (transfer full): the task, or %NULL with @error
 */
LkActivity *
lk_store_add_task (LkStore     *self,
                   const char  *lead_id,
                   const char  *title,
                   gint64       due_ms,
                   GError     **error)
{
  g_autoptr(LkActivity) task = NULL;
  g_autoptr(LkLead) lead = NULL;
  LkRecord *record;
  gint64 next;
  gboolean ok;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  if (is_blank (title))
    {
      g_set_error_literal (error, LK_ERROR, LK_ERROR_INVALID, _("A task needs a title"));
      return NULL;
    }
  if (due_ms <= 0)
    {
      g_set_error_literal (error, LK_ERROR, LK_ERROR_INVALID, _("A task needs the date it is due"));
      return NULL;
    }
  task = begin_activity (self, lead_id, "task", 0, &lead, error);
  if (task == NULL)
    return NULL;
  record = LK_RECORD (task);
  lk_record_set_string (record, LK_ACTIVITY_SUMMARY, title);
  lk_record_set_int (record, LK_ACTIVITY_NEXT_DUE_AT, due_ms);
  next = lk_record_get_int (LK_RECORD (lead), LK_LEAD_NEXT_FOLLOWUP_AT);
  if (next == 0 || next > due_ms)
    lk_record_set_int (LK_RECORD (lead), LK_LEAD_NEXT_FOLLOWUP_AT, due_ms);
  ok = lk_store_put_record (self, record, error) &&
       lk_store_update_lead (self, lead, NULL, error);
  if (!lk_store_finish (self, ok, error))
    return NULL;
  return g_steal_pointer (&task);
}

/**
 * lk_store_set_task_done:
 * @done: %TRUE to complete the task, %FALSE to open it again (Undo)
 *
 * A task is the one activity that changes after it is saved: its
 * done_at is set once, when it is completed.
 */
gboolean
lk_store_set_task_done (LkStore     *self,
                        const char  *task_id,
                        gboolean     done,
                        GError     **error)
{
  g_autoptr(LkRecord) task = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (task_id != NULL, FALSE);

  if (!lk_store_begin (self, error))
    return FALSE;
  task = lk_store_get_record (self, LK_TYPE_ACTIVITY, "id = ?", task_id, &local_error);
  if (task == NULL || lk_record_get_deleted (task) ||
      !g_str_equal (lk_record_get_string (task, LK_ACTIVITY_KIND), "task"))
    {
      if (local_error != NULL && !g_error_matches (local_error, LK_ERROR, LK_ERROR_NOT_FOUND))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, LK_ERROR, LK_ERROR_NOT_FOUND, _("There is no task “%s”"), task_id);
      return lk_store_finish (self, FALSE, error);
    }
  if ((lk_record_get_int (task, LK_ACTIVITY_DONE_AT) != 0) == !!done)
    return lk_store_finish (self, TRUE, error);
  lk_record_set_int (task, LK_ACTIVITY_DONE_AT, done ? lk_clock_now_ms (self->clock) : 0);
  ok = lk_store_put_record (self, task, error);
  return lk_store_finish (self, ok, error);
}

/**
 * lk_store_list_open_tasks:
 * @owner: (nullable): only tasks on this user's leads
 * @lead_id: (nullable): only tasks on this lead
 * @due_before_ms: only tasks due before this; 0 for all
 * @limit: at most this many; 0 for all
 *
 * Returns: (transfer full) (element-type LkActivity): open tasks on live
 *   leads, the soonest due first
 */
GPtrArray *
lk_store_list_open_tasks (LkStore     *self,
                          const char  *owner,
                          const char  *lead_id,
                          gint64       due_before_ms,
                          guint        limit,
                          GError     **error)
{
  g_autoptr(GString) sql = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  /* The select names the table's own columns; the filters are fixed
   * text with bound values. */
  sql = g_string_new (lk_store_select_sql (self, LK_TYPE_ACTIVITY));
  g_string_append (sql, " WHERE kind = 'task' AND done_at IS NULL AND deleted = 0"
                        " AND next_due_at < ?1"
                        " AND (?2 IS NULL OR lead_id = ?2)"
                        " AND EXISTS (SELECT 1 FROM leads l WHERE l.id = activities.lead_id"
                        " AND l.deleted = 0 AND (?3 IS NULL OR l.owner = ?3))"
                        " ORDER BY next_due_at, rowid LIMIT ?4");
  stmt = lk_store_prepare (self, sql->str, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, due_before_ms > 0 ? due_before_ms : URGENCY_NONE);
  if (lead_id != NULL)
    sqlite3_bind_text (stmt, 2, lead_id, -1, SQLITE_TRANSIENT);
  if (owner != NULL)
    sqlite3_bind_text (stmt, 3, owner, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, limit > 0 ? (gint64) limit : -1);
  return lk_store_read_records (self, stmt, LK_TYPE_ACTIVITY, _("read the tasks"), error);
}

/**
 * lk_store_list_assignments:
 * @owner_to: who got the leads
 * @since_ms: assignments logged at this time or later
 *
 * What a desktop tells its user after a sync: the leads assigned to them
 * (by a manager, the rules or a claim) since it last looked.
 *
 * Returns: (transfer full) (element-type LkActivity): oldest first
 */
GPtrArray *
lk_store_list_assignments (LkStore     *self,
                           const char  *owner_to,
                           gint64       since_ms,
                           GError     **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);
  g_return_val_if_fail (owner_to != NULL, NULL);

  /* A range of activities_assigned */
  sql = g_strconcat (lk_store_select_sql (self, LK_TYPE_ACTIVITY),
                     " WHERE kind = 'assignment' AND owner_to = ? AND at >= ? AND deleted = 0 ORDER BY at, rowid",
                     NULL);
  stmt = lk_store_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, owner_to, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, since_ms);
  return lk_store_read_records (self, stmt, LK_TYPE_ACTIVITY, _("read the assignments"), error);
}

/**
 * lk_agenda_query_new:
 * @owner: (nullable): a user id; %NULL for the whole team
 *
 * Returns: (transfer full): the query of one bucket of the agenda, most
 *   urgent first
 */
LkLeadQuery *
lk_agenda_query_new (const char *owner,
                     LkLeadDue   due)
{
  LkLeadQuery *query = lk_lead_query_new ();

  lk_lead_query_set_owner (query, owner);
  lk_lead_query_set_due (query, due);
  lk_lead_query_set_sort (query, LK_LEAD_SORT_URGENCY);
  return query;
}

/**
 * lk_store_count_agenda:
 *
 * Counts the open leads of each bucket: one pass over an index that holds
 * the next follow-up and the stage, never the table (the owner's part of
 * leads_owner_due; for the team, all of leads_board: 30 ms on 100,000
 * leads, like the board's column totals).
 */
gboolean
lk_store_count_agenda (LkStore         *self,
                       const char      *owner,
                       LkAgendaCounts  *counts,
                       GError         **error)
{
  LkClock *clock;
  sqlite3_stmt *stmt;
  gint64 today, tomorrow;
  int rc;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  memset (counts, 0, sizeof *counts);
  clock = self->clock;
  today = lk_clock_start_of_day (clock, lk_clock_now_ms (clock));
  tomorrow = lk_clock_start_of_day (clock, today + 36 * 3600 * 1000);
  stmt = lk_store_prepare (self, owner != NULL
                           ? "SELECT total (u < ?1), total (u >= ?1 AND u < ?2), "
                             "total (u >= ?2 AND u < 9223372036854775807), total (u = 9223372036854775807) "
                             "FROM (SELECT coalesce(next_followup_at, 9223372036854775807) AS u "
                             "FROM leads INDEXED BY leads_owner_due "
                             "WHERE deleted = 0 AND owner = ?5 AND stage <> ?3 AND stage <> ?4)"
                           : "SELECT total (u < ?1), total (u >= ?1 AND u < ?2), "
                             "total (u >= ?2 AND u < 9223372036854775807), total (u = 9223372036854775807) "
                             "FROM (SELECT coalesce(next_followup_at, 9223372036854775807) AS u "
                             "FROM leads INDEXED BY leads_board "
                             "WHERE deleted = 0 AND stage <> ?3 AND stage <> ?4)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, today);
  sqlite3_bind_int64 (stmt, 2, tomorrow);
  sqlite3_bind_text (stmt, 3, lk_pipeline_get_won_id (self->pipeline), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, lk_pipeline_get_lost_id (self->pipeline), -1, SQLITE_STATIC);
  if (owner != NULL)
    sqlite3_bind_text (stmt, 5, owner, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      counts->overdue = (gint64) sqlite3_column_double (stmt, 0);
      counts->today = (gint64) sqlite3_column_double (stmt, 1);
      counts->upcoming = (gint64) sqlite3_column_double (stmt, 2);
      counts->none = (gint64) sqlite3_column_double (stmt, 3);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return lk_store_fail (self, error, _("count the follow-ups"));
  return TRUE;
}

/**
 * lk_store_agenda_leads:
 * @limit: at most this many; 0 for all
 *
 * Returns: (transfer full) (element-type LkLead): the leads of one bucket
 *   of the agenda, most urgent first
 */
GPtrArray *
lk_store_agenda_leads (LkStore     *self,
                       const char  *owner,
                       LkLeadDue    due,
                       guint        limit,
                       GError     **error)
{
  g_autoptr(LkLeadQuery) query = NULL;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  query = lk_agenda_query_new (owner, due);
  return lk_store_query_leads (self, query, limit, error);
}
