/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-reminders"

#include <glib/gi18n-lib.h>

#include "lk-format.h"
#include "lk-reminders.h"
#include "lk-store-followups.h"

/* Desktop notifications for this desktop's user's follow-ups: one summary
 * of the overdue ones at start, then one when a follow-up falls due while
 * the application runs. A single timer waits for the next due time and is
 * armed again whenever the leads change; it never waits more than an hour
 * so that a suspend or a clock change is caught up with.
 *
 * The notifications go through ::reminder, whose default handler sends
 * them with g_application_send_notification(); their default action is
 * app.show-followups. */

#define MAX_WAIT_MS   (60 * 60 * 1000)
/* Leads named in one notification */
#define BODY_LEADS    5

struct _LkReminders
{
  GObject       parent_instance;

  /* Borrowed */
  GApplication *application;   /* weak; NULL: nothing is sent */

  /* Owned */
  LkContext    *context;
  gint64        checked_ms;    /* follow-ups due up to here were told */
  gint64        next_due_ms;   /* what the timer waits for; 0: nothing planned */
  guint         timer_id;
  guint         rearm_id;
  gulong        changed_id;
};

G_DEFINE_FINAL_TYPE (LkReminders, lk_reminders, G_TYPE_OBJECT)

enum {
  REMINDER,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static LkStore *
get_store (LkReminders *self)
{
  return lk_context_get_store (self->context);
}

static gint64
now_ms (LkReminders *self)
{
  return lk_clock_now_ms (lk_context_get_clock (self->context));
}

/* The rowids of this desktop's user's open leads due on @due's local
 * days, by next follow-up: ids only, an index scan. */
static GArray *
bucket_rowids (LkReminders *self,
               LkLeadDue    due,
               guint        limit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLeadQuery) query = lk_agenda_query_new (lk_context_get_user_id (self->context), due);
  GArray *rowids = lk_store_query_rowids_limited (get_store (self), query, limit, &error);

  if (rowids == NULL)
    {
      g_warning ("Could not read the follow-ups: %s", error->message);
      rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
    }
  return rowids;
}

static LkLead *
lead_at (LkReminders *self,
         GArray      *rowids,
         guint        position)
{
  g_autoptr(GError) error = NULL;
  LkLead *lead = lk_store_get_lead_by_rowid (get_store (self), g_array_index (rowids, gint64, position), &error);

  if (lead == NULL)
    g_warning ("Could not read a follow-up: %s", error->message);
  return lead;
}

static gint64
due_of (LkLead *lead)
{
  return lead != NULL ? lk_record_get_int (LK_RECORD (lead), LK_LEAD_NEXT_FOLLOWUP_AT) : G_MAXINT64;
}

/* The position in @rowids (in next follow-up order) of the first lead due
 * after @after_ms: a binary search that reads a dozen leads of a day of
 * thousands, never the day. */
static guint
first_due_after (LkReminders *self,
                 GArray      *rowids,
                 gint64       after_ms)
{
  guint low = 0, high = rowids->len;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;
      g_autoptr(LkLead) lead = lead_at (self, rowids, middle);

      if (due_of (lead) > after_ms)
        high = middle;
      else
        low = middle + 1;
    }
  return low;
}

/* The first next follow-up after @after_ms: today's, else the first
 * upcoming one. */
static gint64
find_next_due (LkReminders *self,
               gint64       after_ms)
{
  g_autoptr(GArray) today = bucket_rowids (self, LK_LEAD_DUE_TODAY, 0);
  g_autoptr(GArray) upcoming = NULL;
  guint position = first_due_after (self, today, after_ms);

  if (position < today->len)
    {
      g_autoptr(LkLead) lead = lead_at (self, today, position);

      return lead != NULL ? due_of (lead) : 0;
    }
  upcoming = bucket_rowids (self, LK_LEAD_DUE_UPCOMING, 1);
  if (upcoming->len > 0)
    {
      g_autoptr(LkLead) lead = lead_at (self, upcoming, 0);

      if (lead != NULL && due_of (lead) > after_ms)
        return due_of (lead);
    }
  return 0;
}

static gboolean
timer_cb (gpointer user_data)
{
  LkReminders *self = user_data;

  self->timer_id = 0;
  lk_reminders_check (self);
  return G_SOURCE_REMOVE;
}

static gboolean
rearm_idle (gpointer user_data)
{
  LkReminders *self = user_data;

  self->rearm_id = 0;
  lk_reminders_rearm (self);
  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (LkReminders        *self,
                  const char         *doc_type,
                  const char * const *ids,
                  LkStore            *store)
{
  /* A burst of changes (a sync, an import) re-arms once. */
  if ((doc_type == NULL || g_str_equal (doc_type, "lead")) && self->rearm_id == 0)
    self->rearm_id = g_idle_add (rearm_idle, self);
}

/* Someone else works at this desktop now: their follow-ups. */
static void
user_changed_cb (LkReminders *self)
{
  lk_reminders_rearm (self);
}

static void
send (LkReminders *self,
      const char  *id,
      const char  *title,
      const char  *body)
{
  g_autoptr(GNotification) notification = g_notification_new (title);

  g_notification_set_body (notification, body);
  g_notification_set_default_action (notification, "app.show-followups");
  g_signal_emit (self, signals[REMINDER], 0, id, title, notification);
}

static void
lk_reminders_real_reminder (LkReminders   *self,
                            const char    *id,
                            const char    *title,
                            GNotification *notification)
{
  if (self->application != NULL && g_application_get_is_registered (self->application) &&
      !g_application_get_is_remote (self->application))
    g_application_send_notification (self->application, id, notification);
}

static void
lk_reminders_dispose (GObject *object)
{
  LkReminders *self = LK_REMINDERS (object);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->rearm_id, g_source_remove);
  if (self->context != NULL)
    g_clear_signal_handler (&self->changed_id, get_store (self));
  g_clear_weak_pointer (&self->application);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (lk_reminders_parent_class)->dispose (object);
}

static void
lk_reminders_class_init (LkRemindersClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = lk_reminders_dispose;

  /**
   * LkReminders::reminder:
   * @id: the notification's id ("followups-overdue", "followups-due")
   * @title: its title (GNotification does not give it back)
   * @notification: what to show
   *
   * Emitted for each notification; the default handler sends it through
   * the application.
   */
  signals[REMINDER] =
    g_signal_new_class_handler ("reminder", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                G_CALLBACK (lk_reminders_real_reminder), NULL, NULL, NULL,
                                G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_NOTIFICATION);
}

static void
lk_reminders_init (LkReminders *self)
{
}

/**
 * lk_reminders_new:
 * @application: (nullable): sends the notifications
 */
LkReminders *
lk_reminders_new (LkContext    *context,
                  GApplication *application)
{
  LkReminders *self;

  g_return_val_if_fail (LK_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (application == NULL || G_IS_APPLICATION (application), NULL);

  self = g_object_new (LK_TYPE_REMINDERS, NULL);
  self->context = g_object_ref (context);
  g_set_weak_pointer (&self->application, application);
  self->checked_ms = now_ms (self);
  self->changed_id = g_signal_connect_swapped (get_store (self), "changed", G_CALLBACK (store_changed_cb), self);
  g_signal_connect_object (context, "notify::user-id", G_CALLBACK (user_changed_cb), self, G_CONNECT_SWAPPED);
  return self;
}

/* At start: one summary of the overdue follow-ups, then the timer. */
void
lk_reminders_start (LkReminders *self)
{
  g_autoptr(GError) error = NULL;
  LkAgendaCounts counts;

  g_return_if_fail (LK_IS_REMINDERS (self));

  self->checked_ms = now_ms (self);
  if (!lk_store_count_agenda (get_store (self), lk_context_get_user_id (self->context), &counts, &error))
    g_warning ("Could not count the overdue follow-ups: %s", error->message);
  else if (counts.overdue > 0)
    {
      g_autofree char *count = lk_format_count (counts.overdue);
      g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s follow-up is overdue",
                                                             "%s follow-ups are overdue", (gulong) counts.overdue),
                                                count);

      send (self, "followups-overdue", title, _("Open Follow-ups to call them back or plan a new date."));
    }
  lk_reminders_rearm (self);
}

/* Returns: when the next follow-up falls due (Unix ms), 0 for none planned */
gint64
lk_reminders_get_next_due (LkReminders *self)
{
  g_return_val_if_fail (LK_IS_REMINDERS (self), 0);
  return self->next_due_ms;
}

/**
 * lk_reminders_check:
 *
 * What the timer does: tells about the follow-ups that fell due since the
 * last check (one notification), then waits for the next one.
 *
 * Returns: how many follow-ups fell due
 */
guint
lk_reminders_check (LkReminders *self)
{
  g_autoptr(GArray) today = NULL;
  guint first, end, n_due;
  gint64 now;

  g_return_val_if_fail (LK_IS_REMINDERS (self), 0);

  now = now_ms (self);
  today = bucket_rowids (self, LK_LEAD_DUE_TODAY, 0);
  first = first_due_after (self, today, self->checked_ms);
  end = first_due_after (self, today, now);
  n_due = end > first ? end - first : 0;
  self->checked_ms = now;

  if (n_due > 0)
    {
      GTimeZone *tz = lk_clock_get_timezone (lk_context_get_clock (self->context));
      g_autoptr(GString) body = g_string_new (NULL);
      g_autofree char *title = NULL;

      for (guint i = first; i < end && i < first + BODY_LEADS; i++)
        {
          g_autoptr(LkLead) lead = lead_at (self, today, i);
          g_autofree char *when = NULL;

          if (lead == NULL)
            continue;
          when = lk_format_time (due_of (lead), tz);
          if (n_due == 1)
            /* Translators: a notification: "Follow up with 华为技术 now" */
            title = g_strdup_printf (_("Follow up with %s now"), lk_lead_get_display_name (lead));
          g_string_append_printf (body, "%s%s %s", body->len > 0 ? "\n" : "", when, lk_lead_get_display_name (lead));
        }
      if (title == NULL)
        title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u follow-up is due now", "%u follow-ups are due now",
                                              n_due),
                                 n_due);
      send (self, "followups-due", title, body->str);
    }
  lk_reminders_rearm (self);
  return n_due;
}

/* Finds the next due time again and sets the timer for it. */
void
lk_reminders_rearm (LkReminders *self)
{
  gint64 now, wait;

  g_return_if_fail (LK_IS_REMINDERS (self));

  g_clear_handle_id (&self->timer_id, g_source_remove);
  now = now_ms (self);
  /* Due between the last check and now: told at the next check, at once. */
  self->next_due_ms = find_next_due (self, self->checked_ms);
  wait = self->next_due_ms != 0 ? CLAMP (self->next_due_ms - now, 0, MAX_WAIT_MS) : MAX_WAIT_MS;
  self->timer_id = g_timeout_add ((guint) wait + 1, timer_cb, self);
}
