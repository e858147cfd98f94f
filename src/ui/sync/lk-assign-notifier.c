/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-assign-notifier"

#include <glib/gi18n-lib.h>

#include "lk-activity.h"
#include "lk-store-followups.h"
#include "lk-store-sync.h"
#include "sync/lk-assign-notifier.h"

/* New assignments are found with lk_store_list_assignments() over the
 * last LOOK_BACK_DAYS (an assignment made offline reaches this desktop
 * late), and told once: the mark kept in the database
 * ("assignments-seen-rowid") is the local row of the last one told
 * about. Rows only grow, also for what sync brings in late, so a restart
 * repeats nothing; the first start puts the mark after the assignments
 * already there (old history is not news). Lost claims are the open
 * conflicts on "owner" whose mine is this desktop's user, newer than the
 * last one told about in this run. */

#define LOOK_BACK_DAYS 30
#define SEEN_KEY "assignments-seen-rowid"

struct _LkAssignNotifier
{
  GObject       parent_instance;

  /* Owned */
  LkContext    *context;
  LkSyncClient *client;

  gint64        last_conflict_id;
};

G_DEFINE_FINAL_TYPE (LkAssignNotifier, lk_assign_notifier, G_TYPE_OBJECT)

enum {
  NOTIFICATION,
  MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static LkStore *
get_store (LkAssignNotifier *self)
{
  return lk_context_get_store (self->context);
}

static gint64
max_conflict_id (LkAssignNotifier *self)
{
  g_autoptr(GPtrArray) conflicts = lk_store_list_conflicts (get_store (self), NULL);
  gint64 max = 0;

  for (guint i = 0; conflicts != NULL && i < conflicts->len; i++)
    max = MAX (max, ((LkSyncConflict *) g_ptr_array_index (conflicts, i))->id);
  return max;
}

static void
store_changed_cb (LkAssignNotifier   *self,
                  const char         *doc_type,
                  const char * const *ids,
                  LkStore            *store)
{
  if (doc_type == NULL || g_str_equal (doc_type, "activity"))
    lk_assign_notifier_check_assigned (self);
}

static void
sync_finished_cb (LkAssignNotifier   *self,
                  const LkSyncReport *report,
                  const GError       *error,
                  LkSyncClient       *client)
{
  if (report != NULL && report->conflicts > 0)
    lk_assign_notifier_check_lost_claims (self);
}

static void
lk_assign_notifier_dispose (GObject *object)
{
  LkAssignNotifier *self = LK_ASSIGN_NOTIFIER (object);

  g_clear_object (&self->client);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (lk_assign_notifier_parent_class)->dispose (object);
}

static void
lk_assign_notifier_class_init (LkAssignNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lk_assign_notifier_dispose;

  signals[NOTIFICATION] =
    g_signal_new ("notification", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_NOTIFICATION);
  signals[MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
lk_assign_notifier_init (LkAssignNotifier *self)
{
}

/**
 * lk_assign_notifier_new:
 * @client: (nullable): the sync client whose runs may lose claims
 */
LkAssignNotifier *
lk_assign_notifier_new (LkContext    *context,
                        LkSyncClient *client)
{
  LkAssignNotifier *self;
  g_autofree char *seen = NULL;

  g_return_val_if_fail (LK_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (client == NULL || LK_IS_SYNC_CLIENT (client), NULL);

  self = g_object_new (LK_TYPE_ASSIGN_NOTIFIER, NULL);
  self->context = g_object_ref (context);
  self->client = client ? g_object_ref (client) : NULL;
  self->last_conflict_id = max_conflict_id (self);

  seen = lk_store_get_local (get_store (self), SEEN_KEY);
  if (seen == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) old = lk_store_list_assignments (get_store (self), lk_context_get_user_id (context),
                                                            0, &error);
      gint64 max = 0;
      g_autofree char *text = NULL;

      for (guint i = 0; old != NULL && i < old->len; i++)
        max = MAX (max, lk_record_get_rowid (g_ptr_array_index (old, i)));
      text = g_strdup_printf ("%" G_GINT64_FORMAT, max);
      if (old == NULL || !lk_store_set_local (get_store (self), SEEN_KEY, text, &error))
        g_warning ("Could not mark the assignments already told: %s", error->message);
    }

  g_signal_connect_object (get_store (self), "changed", G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  if (client != NULL)
    g_signal_connect_object (client, "finished", G_CALLBACK (sync_finished_cb), self, G_CONNECT_SWAPPED);
  return self;
}

guint
lk_assign_notifier_check_assigned (LkAssignNotifier *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) assignments = NULL;
  g_autoptr(GPtrArray) news = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *seen_text = NULL;
  g_autofree char *id = NULL;
  const char *me;
  LkStore *store;
  gint64 seen;
  gint64 latest;

  g_return_val_if_fail (LK_IS_ASSIGN_NOTIFIER (self), 0);

  store = get_store (self);
  me = lk_context_get_user_id (self->context);
  seen_text = lk_store_get_local (store, SEEN_KEY);
  seen = seen_text ? g_ascii_strtoll (seen_text, NULL, 10) : 0;
  assignments = lk_store_list_assignments (store, me,
                                           lk_clock_now_ms (lk_context_get_clock (self->context))
                                           - LOOK_BACK_DAYS * 24 * G_GINT64_CONSTANT (3600000),
                                           &error);
  if (assignments == NULL)
    {
      g_warning ("Could not read the new assignments: %s", error->message);
      return 0;
    }
  latest = seen;
  for (guint i = 0; i < assignments->len; i++)
    {
      LkRecord *activity = g_ptr_array_index (assignments, i);
      g_autoptr(LkLead) lead = NULL;

      if (lk_record_get_rowid (activity) <= seen)
        continue;
      latest = MAX (latest, lk_record_get_rowid (activity));
      /* What this user did (a claim, an assignment to themselves) is no news. */
      if (g_strcmp0 (lk_record_get_string (activity, LK_ACTIVITY_BY), me) == 0)
        continue;
      lead = lk_store_get_lead (store, lk_record_get_string (activity, LK_ACTIVITY_LEAD), NULL);
      /* Only leads that are still theirs. */
      if (lead == NULL || lk_record_get_deleted (LK_RECORD (lead)) || g_strcmp0 (lk_lead_get_owner (lead), me) != 0)
        continue;
      if (!g_ptr_array_find_with_equal_func (news, lead, (GEqualFunc) lk_record_equal, NULL))
        g_ptr_array_add (news, g_steal_pointer (&lead));
    }
  if (latest != seen)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, latest);

      if (!lk_store_set_local (store, SEEN_KEY, text, &error))
        g_warning ("Could not keep which assignments were told: %s", error->message);
    }
  if (news->len == 0)
    return 0;

  if (news->len == 1)
    {
      LkLead *lead = g_ptr_array_index (news, 0);
      const char *lead_id = lk_record_get_id (LK_RECORD (lead));

      notification = g_notification_new (_("A Lead Was Assigned to You"));
      g_notification_set_body (notification, lk_lead_get_display_name (lead));
      g_notification_set_default_action_and_target (notification, "app.open-lead", "s", lead_id);
      id = g_strconcat ("assigned-", lead_id, NULL);
    }
  else
    {
      g_autofree char *title = g_strdup_printf (ngettext ("%u Lead Was Assigned to You",
                                                          "%u Leads Were Assigned to You", news->len),
                                                news->len);
      g_autoptr(GString) body = g_string_new (NULL);

      for (guint i = 0; i < news->len && i < 5; i++)
        {
          if (i > 0)
            g_string_append (body, _(", "));
          g_string_append (body, lk_lead_get_display_name (g_ptr_array_index (news, i)));
        }
      if (news->len > 5)
        g_string_append (body, _(", …"));
      notification = g_notification_new (title);
      g_notification_set_body (notification, body->str);
      id = g_strdup ("assigned");
    }
  g_signal_emit (self, signals[NOTIFICATION], 0, id, notification);
  return news->len;
}

guint
lk_assign_notifier_check_lost_claims (LkAssignNotifier *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(JsonNode) me = NULL;
  g_autofree char *mine = NULL;
  g_autofree char *message = NULL;
  g_autofree char *first_lead = NULL;
  g_autofree char *first_winner = NULL;
  guint n = 0;

  g_return_val_if_fail (LK_IS_ASSIGN_NOTIFIER (self), 0);

  conflicts = lk_store_list_conflicts (get_store (self), &error);
  if (conflicts == NULL)
    {
      g_warning ("Could not read the sync conflicts: %s", error->message);
      return 0;
    }
  /* Conflicts keep each value as JSON text: "\"user:lilei\"". */
  me = json_node_init_string (json_node_alloc (), lk_context_get_user_id (self->context));
  mine = json_to_string (me, FALSE);
  for (guint i = 0; i < conflicts->len; i++)
    {
      LkSyncConflict *conflict = g_ptr_array_index (conflicts, i);

      if (conflict->id <= self->last_conflict_id)
        continue;
      self->last_conflict_id = conflict->id;
      if (conflict->kind != LK_CONFLICT_FIELD || g_strcmp0 (conflict->field, "owner") != 0 ||
          g_strcmp0 (conflict->mine, mine) != 0 || g_strcmp0 (conflict->base, "null") != 0)
        continue;
      if (n++ == 0)
        {
          g_autoptr(LkLead) lead = lk_store_get_lead (get_store (self), conflict->doc_id, NULL);
          g_autoptr(JsonNode) theirs = json_from_string (conflict->theirs, NULL);
          const char *winner = theirs && JSON_NODE_HOLDS_VALUE (theirs) ? json_node_get_string (theirs) : NULL;
          g_autoptr(LkUser) user = winner ? lk_store_get_user (get_store (self), winner, NULL) : NULL;

          first_lead = g_strdup (lead ? lk_lead_get_display_name (lead) : conflict->doc_id);
          first_winner = g_strdup (user ? lk_user_get_display_name (user)
                                   : winner ? lk_user_id_get_name (winner) : _("someone else"));
        }
    }
  if (n == 0)
    return 0;
  if (n == 1)
    /* Translators: a claim lost after sync; lead, then the colleague */
    message = g_strdup_printf (_("“%s” was claimed by %s first: it is theirs"), first_lead, first_winner);
  else
    message = g_strdup_printf (ngettext ("%u claim was lost: colleagues claimed the lead first",
                                         "%u claims were lost: colleagues claimed the leads first", n), n);
  g_signal_emit (self, signals[MESSAGE], 0, message);
  return n;
}
