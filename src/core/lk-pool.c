/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-pool"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-error.h"
#include "lk-pool.h"
#include "lk-settings.h"
#include "lk-store-private.h"
#include "lk-store-rules.h"

/* The shared pool of leads nobody owns (公海池): claiming, recycling
 * leads nobody contacted, flagging leads nobody claims.
 *
 * settings:pool, version 1:
 *   {"version": 1, "recycle": true, "recycle_hours": 48,
 *    "unclaimed_days": 30, "flag_tag": "unclaimed"}
 * unclaimed_days 0 flags nothing.
 *
 * Several desktops (and a server's cron job) run the same maintenance on
 * the same leads: what it writes is the same wherever it runs, so the
 * copies merge as one when they sync. A recycled lead's assignment
 * activity has an id made from the lead and the assignment it undoes, no
 * author, and the time the lead was due back. */

#define DOC_ID "settings:pool"
#define HOUR_MS G_GINT64_CONSTANT (3600000)
#define DAY_MS (24 * HOUR_MS)

struct _LkPool
{
  GObject     parent_instance;

  /* Owned */
  char       *flag_tag;
  JsonObject *extra;

  gboolean    recycle;
  guint       recycle_hours;
  guint       unclaimed_days;
};

G_DEFINE_FINAL_TYPE (LkPool, lk_pool, G_TYPE_OBJECT)

static const char * const known_members[] = {
  "recycle", "recycle_hours", "unclaimed_days", "flag_tag", NULL
};

void
lk_pool_change_free (LkPoolChange *change)
{
  if (change == NULL)
    return;
  g_free (change->lead_id);
  g_free (change->lead_name);
  g_free (change->owner);
  g_free (change);
}

static void
lk_pool_finalize (GObject *object)
{
  LkPool *self = LK_POOL (object);

  g_clear_pointer (&self->flag_tag, g_free);
  g_clear_pointer (&self->extra, json_object_unref);

  G_OBJECT_CLASS (lk_pool_parent_class)->finalize (object);
}

static void
lk_pool_class_init (LkPoolClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_pool_finalize;
}

static void
lk_pool_init (LkPool *self)
{
  self->recycle = TRUE;
  self->recycle_hours = 48;
  self->unclaimed_days = 30;
  self->flag_tag = g_strdup ("unclaimed");
}

LkPool *
lk_pool_new_default (void)
{
  return g_object_new (LK_TYPE_POOL, NULL);
}

LkPool *
lk_pool_new_from_json (JsonObject  *object,
                       GError     **error)
{
  g_autoptr(LkPool) self = g_object_new (LK_TYPE_POOL, NULL);
  gint64 hours = self->recycle_hours, days = self->unclaimed_days;
  g_autofree char *tag = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  if (!lk_settings_check_version (DOC_ID, object, error) ||
      !lk_settings_get_bool (DOC_ID, object, NULL, "recycle", &self->recycle, error) ||
      !lk_settings_get_int (DOC_ID, object, NULL, "recycle_hours", 1, 24 * 365, &hours, error) ||
      !lk_settings_get_int (DOC_ID, object, NULL, "unclaimed_days", 0, 3650, &days, error) ||
      !lk_settings_get_string (DOC_ID, object, NULL, "flag_tag", &tag, error))
    return NULL;
  if (tag != NULL)
    {
      g_strstrip (tag);
      if (tag[0] == '\0')
        {
          lk_settings_error (error, DOC_ID, NULL, "flag_tag", _("must be a tag, such as “unclaimed”"));
          return NULL;
        }
      g_free (self->flag_tag);
      self->flag_tag = g_steal_pointer (&tag);
    }
  self->recycle_hours = (guint) hours;
  self->unclaimed_days = (guint) days;
  self->extra = lk_settings_extra (object, known_members);
  return g_steal_pointer (&self);
}

JsonObject *
lk_pool_to_json (LkPool *self)
{
  JsonObject *object;

  g_return_val_if_fail (LK_IS_POOL (self), NULL);

  object = lk_settings_start (self->extra);
  json_object_set_boolean_member (object, "recycle", self->recycle);
  json_object_set_int_member (object, "recycle_hours", self->recycle_hours);
  json_object_set_int_member (object, "unclaimed_days", self->unclaimed_days);
  json_object_set_string_member (object, "flag_tag", self->flag_tag);
  return object;
}

LkPool *
lk_pool_copy (LkPool *self)
{
  g_autoptr(JsonObject) json = NULL;
  LkPool *copy;

  g_return_val_if_fail (LK_IS_POOL (self), NULL);

  json = lk_pool_to_json (self);
  copy = lk_pool_new_from_json (json, NULL);
  g_assert (copy != NULL);
  return copy;
}

gboolean
lk_pool_get_recycle (LkPool *self)
{
  g_return_val_if_fail (LK_IS_POOL (self), FALSE);
  return self->recycle;
}

void
lk_pool_set_recycle (LkPool   *self,
                     gboolean  recycle)
{
  g_return_if_fail (LK_IS_POOL (self));
  self->recycle = !!recycle;
}

guint
lk_pool_get_recycle_hours (LkPool *self)
{
  g_return_val_if_fail (LK_IS_POOL (self), 48);
  return self->recycle_hours;
}

void
lk_pool_set_recycle_hours (LkPool *self,
                           guint   hours)
{
  g_return_if_fail (LK_IS_POOL (self));
  g_return_if_fail (hours >= 1);
  self->recycle_hours = hours;
}

guint
lk_pool_get_unclaimed_days (LkPool *self)
{
  g_return_val_if_fail (LK_IS_POOL (self), 30);
  return self->unclaimed_days;
}

void
lk_pool_set_unclaimed_days (LkPool *self,
                            guint   days)
{
  g_return_if_fail (LK_IS_POOL (self));
  self->unclaimed_days = days;
}

/* The tag of pool leads nobody has claimed for the unclaimed days */
const char *
lk_pool_get_flag_tag (LkPool *self)
{
  g_return_val_if_fail (LK_IS_POOL (self), NULL);
  return self->flag_tag;
}

static const char *
user_name (LkStore    *store,
           const char *user_id)
{
  LkUser *user = g_hash_table_lookup (lk_store_get_users_by_id (store), user_id);

  return user != NULL ? lk_user_get_display_name (user) : lk_user_id_get_name (user_id);
}

/**
 * lk_pool_claim:
 * @user_id: (nullable): who claims it; the store's user when %NULL
 *
 * A rep takes a lead from the pool: they become its owner, it moves from
 * New to the assigned stage, and the claim is logged on its timeline. A
 * lead someone owns already, or a rep at their capacity, is refused
 * (%LK_ERROR_GATE) with who and why.
 *
 * Two reps claiming the same lead on two desktops offline both succeed
 * here; sync's merge then keeps the first claim to reach the server and
 * shows the other as a conflict on the owner.
 */
gboolean
lk_pool_claim (LkPool      *self,
               LkStore     *store,
               const char  *lead_id,
               const char  *user_id,
               GError     **error)
{
  g_autoptr(LkAssignment) assignment = NULL;
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(LkUser) user = NULL;
  LkOwnerNote note = { 0 };
  const char *owner;
  gboolean ok;

  g_return_val_if_fail (LK_IS_POOL (self), FALSE);
  g_return_val_if_fail (LK_IS_STORE (store), FALSE);
  g_return_val_if_fail (lead_id != NULL, FALSE);

  if (user_id == NULL)
    user_id = lk_store_get_user_id (store);
  if (user_id == NULL)
    {
      g_set_error_literal (error, LK_ERROR, LK_ERROR_INVALID, _("Say which team member claims the lead"));
      return FALSE;
    }
  if (!lk_store_begin (store, error))
    return FALSE;
  lead = lk_store_get_lead (store, lead_id, error);
  ok = lead != NULL;
  if (ok && lk_record_get_deleted (LK_RECORD (lead)))
    {
      g_set_error (error, LK_ERROR, LK_ERROR_NOT_FOUND,
                   _("The lead “%s” has been deleted"), lk_lead_get_display_name (lead));
      ok = FALSE;
    }
  owner = ok ? lk_lead_get_owner (lead) : NULL;
  if (ok && g_strcmp0 (owner, user_id) == 0)
    return lk_store_commit (store, error);  /* theirs already */
  if (ok && owner != NULL)
    {
      g_set_error (error, LK_ERROR, LK_ERROR_GATE,
                   _("“%s” is not in the pool: %s owns it"),
                   lk_lead_get_display_name (lead), user_name (store, owner));
      ok = FALSE;
    }
  if (ok)
    {
      g_autoptr(GError) local_error = NULL;

      user = lk_store_get_user (store, user_id, &local_error);
      if (local_error != NULL && !g_error_matches (local_error, LK_ERROR, LK_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          ok = FALSE;
        }
    }
  if (ok && user != NULL && lk_record_get_int (LK_RECORD (user), LK_USER_CAPACITY) > 0)
    {
      gint64 capacity = lk_record_get_int (LK_RECORD (user), LK_USER_CAPACITY);
      gint64 open = lk_assignment_count_open (store, user_id, error);

      ok = open >= 0;
      if (ok && open >= capacity)
        {
          g_set_error (error, LK_ERROR, LK_ERROR_GATE,
                       ngettext ("%s has %d open lead, as many as their capacity: close or pass on a lead first",
                                 "%s has %d open leads, as many as their capacity: close or pass on a lead first",
                                 (gulong) open),
                       lk_user_get_display_name (user), (int) open);
          ok = FALSE;
        }
    }
  if (!ok)
    {
      lk_store_rollback (store);
      return FALSE;
    }
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_OWNER, user_id);
  assignment = lk_store_get_assignment (store, NULL);
  if (assignment != NULL)
    lk_assignment_move_to_assigned (assignment, lk_store_get_pipeline (store), lead);
  note.reason = "claim";
  ok = lk_store_update_lead_noted (store, lead, NULL, &note, error);
  if (!ok)
    {
      lk_store_rollback (store);
      return FALSE;
    }
  return lk_store_commit (store, error);
}

static LkPoolChange *
change_new (LkPoolChangeKind  kind,
            LkLead           *lead,
            gint64            since)
{
  LkPoolChange *change = g_new0 (LkPoolChange, 1);

  change->kind = kind;
  change->lead_id = g_strdup (lk_record_get_id (LK_RECORD (lead)));
  change->lead_name = g_strdup (lk_lead_get_display_name (lead));
  change->owner = g_strdup (lk_lead_get_owner (lead));
  change->since = since;
  return change;
}

/* Reads the leads of @stmt's first column with the time in its second. */
static gboolean
collect (LkStore          *store,
         sqlite3_stmt     *stmt,
         LkPoolChangeKind  kind,
         GPtrArray        *changes,
         GPtrArray        *leads,
         GError          **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 at = sqlite3_column_int64 (stmt, 1);

      g_ptr_array_add (ids, g_strdup (lk_store_column_text (stmt, 0)));
      g_array_append_val (times, at);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return lk_store_fail (store, error, _("read the pool"));
  for (guint i = 0; i < ids->len; i++)
    {
      LkLead *lead = lk_store_get_lead (store, g_ptr_array_index (ids, i), error);

      if (lead == NULL)
        return FALSE;
      g_ptr_array_add (changes, change_new (kind, lead, g_array_index (times, gint64, i)));
      g_ptr_array_add (leads, lead);
    }
  return TRUE;
}

static char *
recycle_activity_id (LkLead *lead)
{
  const char *id = lk_record_get_id (LK_RECORD (lead));

  if (g_str_has_prefix (id, "lead:"))
    id += strlen ("lead:");
  return g_strdup_printf ("activity:recycle-%s-%" G_GINT64_FORMAT, id,
                          lk_record_get_int (LK_RECORD (lead), LK_LEAD_ASSIGNED_AT));
}

static gboolean
recycle_lead (LkPool   *self,
              LkStore  *store,
              LkLead   *lead,
              GError  **error)
{
  LkPipeline *pipeline = lk_store_get_pipeline (store);
  g_autoptr(LkAssignment) assignment = lk_store_get_assignment (store, NULL);
  g_autofree char *activity_id = recycle_activity_id (lead);
  g_autofree char *rule = g_strdup_printf ("recycle_hours=%u", self->recycle_hours);
  LkOwnerNote note = { 0 };

  note.reason = "recycle";
  note.rule = rule;
  note.activity_id = activity_id;
  note.at = lk_record_get_int (LK_RECORD (lead), LK_LEAD_ASSIGNED_AT) + self->recycle_hours * HOUR_MS;
  note.automatic = TRUE;
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_OWNER, NULL);
  /* Back to the first stage from the assigned one: nobody works on it. */
  if (assignment != NULL && g_list_model_get_n_items (G_LIST_MODEL (pipeline)) > 0 &&
      g_str_equal (lk_lead_get_stage (lead), lk_assignment_get_assigned_stage (assignment)))
    {
      g_autoptr(LkStage) first = g_list_model_get_item (G_LIST_MODEL (pipeline), 0);

      lk_record_set_string (LK_RECORD (lead), LK_LEAD_STAGE, lk_stage_get_id (first));
    }
  return lk_store_update_lead_noted (store, lead, NULL, &note, error);
}

/**
 * lk_pool_recycle:
 * @dry_run: only say what would happen
 *
 * Returns to the pool every open lead that was assigned at least the
 * recycle hours ago and has not been contacted since: no owner, back to
 * New from the assigned stage, with the reason logged on its timeline
 * (an assignment activity, reason "recycle", rule "recycle_hours=N").
 *
 * Returns: (transfer full) (element-type LkPoolChange): the leads, oldest
 *   assignment first; %NULL with @error when nothing was written
 */
GPtrArray *
lk_pool_recycle (LkPool    *self,
                 LkStore   *store,
                 gboolean   dry_run,
                 GError   **error)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_pool_change_free);
  g_autoptr(GPtrArray) leads = g_ptr_array_new_with_free_func (g_object_unref);
  LkPipeline *pipeline;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (LK_IS_POOL (self), NULL);
  g_return_val_if_fail (LK_IS_STORE (store), NULL);

  if (!self->recycle)
    return g_steal_pointer (&changes);
  pipeline = lk_store_get_pipeline (store);
  if (!dry_run && !lk_store_begin (store, error))
    return NULL;
  /* A range of the partial index leads_uncontacted. */
  stmt = lk_store_prepare (store,
                           "SELECT id, assigned_at FROM leads "
                           "WHERE deleted = 0 AND owner IS NOT NULL AND first_contacted_at IS NULL "
                           "AND assigned_at <= ? AND last_contacted_at IS NULL "
                           "AND stage <> ? AND stage <> ? ORDER BY assigned_at, rowid",
                           error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, lk_clock_now_ms (lk_store_get_clock (store)) - self->recycle_hours * HOUR_MS);
      sqlite3_bind_text (stmt, 2, lk_pipeline_get_won_id (pipeline), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, lk_pipeline_get_lost_id (pipeline), -1, SQLITE_STATIC);
      ok = collect (store, stmt, LK_POOL_RECYCLED, changes, leads, error);
    }
  if (dry_run)
    return ok ? g_steal_pointer (&changes) : NULL;
  for (guint i = 0; ok && i < leads->len; i++)
    ok = recycle_lead (self, store, g_ptr_array_index (leads, i), error);
  if (!lk_store_finish (store, ok, error))
    return NULL;
  return g_steal_pointer (&changes);
}

static gboolean
set_flag (LkLead     *lead,
          const char *tag,
          gboolean    flag)
{
  const char * const *tags = lk_record_get_tags (LK_RECORD (lead), LK_LEAD_TAGS);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) changed = NULL;

  for (guint i = 0; tags[i] != NULL; i++)
    if (!g_str_equal (tags[i], tag))
      g_strv_builder_add (builder, tags[i]);
  if (flag)
    g_strv_builder_add (builder, tag);
  changed = g_strv_builder_end (builder);
  lk_record_set_tags (LK_RECORD (lead), LK_LEAD_TAGS, (const char * const *) changed);
  return TRUE;
}

/**
 * lk_pool_flag_unclaimed:
 * @dry_run: only say what would happen
 *
 * Tags every open pool lead that has been in the pool for the unclaimed
 * days with the flag tag, and takes the tag off leads that have an owner
 * again or are closed. A lead is in the pool since it was created or
 * since it last lost its owner (its last assignment activity).
 *
 * Returns: (transfer full) (element-type LkPoolChange): flagged, then
 *   unflagged leads; %NULL with @error when nothing was written
 */
GPtrArray *
lk_pool_flag_unclaimed (LkPool    *self,
                        LkStore   *store,
                        gboolean   dry_run,
                        GError   **error)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_pool_change_free);
  g_autoptr(GPtrArray) leads = g_ptr_array_new_with_free_func (g_object_unref);
  LkPipeline *pipeline;
  sqlite3_stmt *stmt;
  gint64 cutoff;
  guint n_flagged;
  gboolean ok = TRUE;

  g_return_val_if_fail (LK_IS_POOL (self), NULL);
  g_return_val_if_fail (LK_IS_STORE (store), NULL);

  pipeline = lk_store_get_pipeline (store);
  cutoff = lk_clock_now_ms (lk_store_get_clock (store)) - (gint64) self->unclaimed_days * DAY_MS;
  if (!dry_run && !lk_store_begin (store, error))
    return NULL;
  if (self->unclaimed_days > 0)
    {
      /* Only leads created before the cutoff can have been in the pool
       * that long: the activities of the others are never read. */
      stmt = lk_store_prepare (store,
                               "SELECT id, since FROM (SELECT l.id AS id, l.rowid AS r, "
                               "max(coalesce(l.created_at, 0), coalesce((SELECT max(a.at) FROM activities a "
                               "WHERE a.lead_id = l.id AND a.kind = 'assignment' AND a.deleted = 0), 0)) AS since "
                               "FROM leads l WHERE l.deleted = 0 AND l.owner IS NULL "
                               "AND l.stage <> ?1 AND l.stage <> ?2 AND coalesce(l.created_at, 0) <= ?3 "
                               "AND NOT EXISTS (SELECT 1 FROM lead_tags t WHERE t.tag = ?4 AND t.lead_rowid = l.rowid)) "
                               "WHERE since <= ?3 ORDER BY since, r",
                               error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_text (stmt, 1, lk_pipeline_get_won_id (pipeline), -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 2, lk_pipeline_get_lost_id (pipeline), -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 3, cutoff);
          sqlite3_bind_text (stmt, 4, self->flag_tag, -1, SQLITE_TRANSIENT);
          ok = collect (store, stmt, LK_POOL_FLAGGED, changes, leads, error);
        }
    }
  n_flagged = leads->len;
  if (ok)
    {
      stmt = lk_store_prepare (store,
                               "SELECT l.id, 0 FROM lead_tags t JOIN leads l ON l.rowid = t.lead_rowid "
                               "WHERE t.tag = ? AND l.deleted = 0 "
                               "AND (l.owner IS NOT NULL OR l.stage = ? OR l.stage = ?) ORDER BY l.rowid",
                               error);
      ok = stmt != NULL;
      if (ok)
        {
          sqlite3_bind_text (stmt, 1, self->flag_tag, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 2, lk_pipeline_get_won_id (pipeline), -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 3, lk_pipeline_get_lost_id (pipeline), -1, SQLITE_STATIC);
          ok = collect (store, stmt, LK_POOL_UNFLAGGED, changes, leads, error);
        }
    }
  if (dry_run)
    return ok ? g_steal_pointer (&changes) : NULL;
  for (guint i = 0; ok && i < leads->len; i++)
    {
      LkLead *lead = g_ptr_array_index (leads, i);

      set_flag (lead, self->flag_tag, i < n_flagged);
      ok = lk_store_update_lead (store, lead, NULL, error);
    }
  if (!lk_store_finish (store, ok, error))
    return NULL;
  return g_steal_pointer (&changes);
}
