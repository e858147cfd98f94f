/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-followups-view"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "lk-cadence.h"
#include "lk-error.h"
#include "lk-followup-row.h"
#include "lk-followups-view.h"
#include "lk-format.h"
#include "lk-lead-list.h"
#include "lk-store-followups.h"
#include "lk-store-rules.h"

/* The Follow-ups page: the open leads by their next follow-up's local
 * day, in four sections (Overdue, Today, Upcoming, No next step), for this
 * desktop's user or the whole team.
 *
 * Each section is a GtkListBox over an LkLeadList of its bucket (the
 * agenda query, most urgent first) limited to its first rows, with "Show
 * More" for the next ones: a list box only ever holds a few hundred rows,
 * whatever the size of the database. The lists follow the store by
 * themselves; the section counts (one pass over an index, ~30 ms on
 * 100,000 leads for the team) are read on a worker connection after each
 * change. A timer at local midnight moves the leads between sections. */

#define FIRST_ROWS 20
#define MORE_ROWS  50

typedef struct
{
  LkLeadDue    due;
  const char  *title;
  const char  *empty;
  GtkLabel    *title_label;
  GtkListBox  *list_box;
  GtkButton   *more_button;
  LkLeadQuery *query;
  LkLeadList  *leads;
} Section;

struct _LkFollowupsView
{
  AdwBin           parent_instance;

  /* Template widgets */
  GtkToggleButton *mine_button;
  GtkToggleButton *team_button;
  GtkBox          *sections_box;

  /* Owned */
  LkContext       *context;
  LkStore         *worker;         /* for the counts, one task at a time */
  GCancellable    *cancellable;
  Section          sections[4];
  LkAgendaCounts   counts;
  gboolean         counting;
  gboolean         recount;        /* a change came while counting */
  gulong           changed_id;
  guint            midnight_id;
};

G_DEFINE_FINAL_TYPE (LkFollowupsView, lk_followups_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_TEAM,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct
{
  LkLeadDue   due;
  const char *title;
  const char *empty;
} section_specs[] = {
  { LK_LEAD_DUE_OVERDUE,  N_("Overdue"),      N_("Nothing overdue") },
  { LK_LEAD_DUE_TODAY,    N_("Today"),        N_("Nothing due today") },
  { LK_LEAD_DUE_UPCOMING, N_("Upcoming"),     N_("Nothing planned after today") },
  { LK_LEAD_DUE_NONE,     N_("No Next Step"), N_("Every open lead has a next step") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (section_specs) == 4);

static void count_async (LkFollowupsView *self);

static const char *
get_owner (LkFollowupsView *self)
{
  if (gtk_toggle_button_get_active (self->team_button))
    return NULL;
  return lk_context_get_user_id (self->context);
}

static Section *
find_section (LkFollowupsView *self,
              LkLeadDue        due)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->sections); i++)
    if (self->sections[i].due == due)
      return &self->sections[i];
  return NULL;
}

static gint64
section_count (LkFollowupsView *self,
               LkLeadDue        due)
{
  switch (due)
    {
    case LK_LEAD_DUE_OVERDUE:
      return self->counts.overdue;
    case LK_LEAD_DUE_TODAY:
      return self->counts.today;
    case LK_LEAD_DUE_UPCOMING:
      return self->counts.upcoming;
    case LK_LEAD_DUE_NONE:
      return self->counts.none;
    case LK_LEAD_DUE_ANY:
    default:
      return 0;
    }
}

static void
show_counts (LkFollowupsView *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->sections); i++)
    {
      Section *section = &self->sections[i];
      gint64 count = section_count (self, section->due);
      g_autofree char *number = lk_format_count (count);
      /* Translators: a section of the Follow-ups view and its count: "Overdue (12)" */
      g_autofree char *title = g_strdup_printf (_("%s (%s)"), _(section->title), number);
      guint shown = g_list_model_get_n_items (G_LIST_MODEL (section->leads));

      gtk_label_set_text (section->title_label, title);
      gtk_widget_set_visible (GTK_WIDGET (section->more_button),
                              !lk_lead_list_get_complete (section->leads) || (gint64) shown < count);
    }
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  LkFollowupsView *self = user_data;

  return lk_followup_row_new (LK_LEAD (item), lk_context_get_pipeline (self->context),
                              lk_context_get_clock (self->context));
}

/* --- Counting on a worker connection ------------------------------------------ */

typedef struct
{
  LkStore        *worker;
  char           *owner;
  LkAgendaCounts  counts;
} CountJob;

static void
count_job_free (CountJob *job)
{
  g_clear_object (&job->worker);
  g_free (job->owner);
  g_free (job);
}

static void
count_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CountJob *job = task_data;
  GError *error = NULL;

  if (!lk_store_count_agenda (job->worker, job->owner, &job->counts, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
count_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  LkFollowupsView *self = LK_FOLLOWUPS_VIEW (object);
  CountJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Could not count the follow-ups: %s", error->message);
    }
  else if (!self->recount)
    {
      self->counts = job->counts;
      show_counts (self);
    }
  self->counting = FALSE;
  if (self->recount)
    {
      self->recount = FALSE;
      count_async (self);
      return;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
count_async (LkFollowupsView *self)
{
  g_autoptr(GTask) task = NULL;
  CountJob *job;

  if (self->counting)
    {
      self->recount = TRUE;
      return;
    }
  if (self->worker == NULL)
    {
      g_autoptr(GError) error = NULL;

      self->worker = lk_store_open_worker (lk_context_get_store (self->context), &error);
      if (self->worker == NULL)
        {
          g_warning ("Could not count the follow-ups: %s", error->message);
          return;
        }
    }
  job = g_new0 (CountJob, 1);
  job->worker = g_object_ref (self->worker);
  job->owner = g_strdup (get_owner (self));

  self->counting = TRUE;
  task = g_task_new (self, self->cancellable, count_done_cb, NULL);
  g_task_set_source_tag (task, count_async);
  g_task_set_task_data (task, job, (GDestroyNotify) count_job_free);
  g_task_run_in_thread (task, count_thread);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* --- Following the store and the day ------------------------------------------- */

static void
store_changed_cb (LkFollowupsView    *self,
                  const char         *doc_type,
                  const char * const *ids,
                  LkStore            *store)
{
  if (doc_type == NULL || g_str_equal (doc_type, "lead") || g_str_equal (doc_type, "settings"))
    count_async (self);
}

static void arm_midnight (LkFollowupsView *self);

static gboolean
midnight_cb (gpointer user_data)
{
  LkFollowupsView *self = user_data;

  self->midnight_id = 0;
  lk_followups_view_reload (self);
  arm_midnight (self);
  return G_SOURCE_REMOVE;
}

/* "Today" and "Overdue" move at local midnight, whatever the store does. */
static void
arm_midnight (LkFollowupsView *self)
{
  LkClock *clock = lk_context_get_clock (self->context);
  gint64 now = lk_clock_now_ms (clock);
  gint64 next = lk_cadence_local_date_at (clock, now, 1, 0);
  guint seconds = (guint) CLAMP ((next - now) / 1000 + 1, 1, 24 * 3600);

  g_clear_handle_id (&self->midnight_id, g_source_remove);
  /* A fake clock does not move by itself: tests call reload. */
  if (!lk_clock_is_fake (clock))
    self->midnight_id = g_timeout_add_seconds (seconds, midnight_cb, self);
}

/* Every section for the owner the switch and this desktop's user say. */
static void
apply_owner (LkFollowupsView *self)
{
  const char *owner = get_owner (self);

  /* Not yet: construction sets Team for a user not on the team before
   * the sections are made, which read the switch themselves. */
  if (self->sections[0].leads == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (self->sections); i++)
    {
      lk_lead_list_set_limit (self->sections[i].leads, FIRST_ROWS);
      lk_lead_query_set_owner (self->sections[i].query, owner);
    }
  count_async (self);
}

static void
team_toggled_cb (LkFollowupsView *self)
{
  apply_owner (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEAM]);
}

/* This desktop's user changed (Preferences): "Mine" is someone else's. */
static void
user_changed_cb (LkFollowupsView *self)
{
  if (!gtk_toggle_button_get_active (self->team_button))
    apply_owner (self);
}

static void
more_clicked_cb (GtkButton *button,
                 Section   *section)
{
  lk_lead_list_set_limit (section->leads, lk_lead_list_get_limit (section->leads) + MORE_ROWS);
  gtk_widget_set_visible (GTK_WIDGET (button), !lk_lead_list_get_complete (section->leads));
}

static void
reschedule_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  LkFollowupsView *self = LK_FOLLOWUPS_VIEW (widget);
  g_autoptr(GError) error = NULL;
  const char *lead_id, *date;

  g_variant_get (parameter, "(&s&s)", &lead_id, &date);
  if (!lk_followups_view_reschedule (self, lead_id, date, &error))
    {
      GtkWidget *toasts = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
      g_autofree char *message = g_strdup_printf (_("Could not reschedule: %s"), error->message);

      if (toasts != NULL)
        adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (toasts), adw_toast_new (message));
      else
        g_warning ("%s", message);
    }
}

static void
build_sections (LkFollowupsView *self)
{
  LkStore *store = lk_context_get_store (self->context);
  const char *owner = get_owner (self);

  for (guint i = 0; i < G_N_ELEMENTS (section_specs); i++)
    {
      Section *section = &self->sections[i];
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *placeholder = gtk_label_new (_(section_specs[i].empty));

      section->due = section_specs[i].due;
      section->title = section_specs[i].title;
      section->empty = section_specs[i].empty;
      section->query = lk_agenda_query_new (owner, section->due);
      section->leads = g_object_new (LK_TYPE_LEAD_LIST,
                                     "store", store,
                                     "query", section->query,
                                     "limit", FIRST_ROWS,
                                     NULL);

      section->title_label = GTK_LABEL (gtk_label_new (_(section->title)));
      gtk_label_set_xalign (section->title_label, 0);
      gtk_widget_add_css_class (GTK_WIDGET (section->title_label), "heading");
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (section->title_label));

      section->list_box = GTK_LIST_BOX (gtk_list_box_new ());
      gtk_list_box_set_selection_mode (section->list_box, GTK_SELECTION_NONE);
      gtk_widget_add_css_class (GTK_WIDGET (section->list_box), "boxed-list");
      gtk_accessible_update_property (GTK_ACCESSIBLE (section->list_box), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(section->title), -1);
      gtk_widget_add_css_class (placeholder, "dim-label");
      gtk_widget_set_margin_top (placeholder, 12);
      gtk_widget_set_margin_bottom (placeholder, 12);
      gtk_list_box_set_placeholder (section->list_box, placeholder);
      gtk_list_box_bind_model (section->list_box, G_LIST_MODEL (section->leads), create_row_cb, self, NULL);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (section->list_box));

      section->more_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("Show _More")));
      gtk_widget_set_halign (GTK_WIDGET (section->more_button), GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (GTK_WIDGET (section->more_button), "flat");
      g_signal_connect (section->more_button, "clicked", G_CALLBACK (more_clicked_cb), section);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (section->more_button));

      gtk_box_append (self->sections_box, box);
    }
  show_counts (self);
}

/* --- GObject ------------------------------------------------------------------------ */

static void
lk_followups_view_constructed (GObject *object)
{
  LkFollowupsView *self = LK_FOLLOWUPS_VIEW (object);
  g_autoptr(LkUser) user = NULL;
  LkStore *store;

  G_OBJECT_CLASS (lk_followups_view_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  store = lk_context_get_store (self->context);
  /* Someone not on the team (yet) has no leads of their own to show. */
  if (lk_context_get_user_id (self->context) == NULL ||
      (user = lk_store_get_user (store, lk_context_get_user_id (self->context), NULL)) == NULL)
    gtk_toggle_button_set_active (self->team_button, TRUE);
  build_sections (self);
  self->changed_id = g_signal_connect_swapped (store, "changed", G_CALLBACK (store_changed_cb), self);
  g_signal_connect_object (self->context, "notify::user-id", G_CALLBACK (user_changed_cb), self, G_CONNECT_SWAPPED);
  count_async (self);
  arm_midnight (self);
}

static void
lk_followups_view_dispose (GObject *object)
{
  LkFollowupsView *self = LK_FOLLOWUPS_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->midnight_id, g_source_remove);
  if (self->context != NULL)
    g_clear_signal_handler (&self->changed_id, lk_context_get_store (self->context));
  for (guint i = 0; i < G_N_ELEMENTS (self->sections); i++)
    {
      Section *section = &self->sections[i];

      if (section->list_box != NULL)
        gtk_list_box_bind_model (section->list_box, NULL, NULL, NULL, NULL);
      g_clear_object (&section->leads);
      g_clear_object (&section->query);
    }
  g_clear_object (&self->worker);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (lk_followups_view_parent_class)->dispose (object);
}

static void
lk_followups_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LkFollowupsView *self = LK_FOLLOWUPS_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_TEAM:
      g_value_set_boolean (value, lk_followups_view_get_team (self));
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->counting);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_followups_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  LkFollowupsView *self = LK_FOLLOWUPS_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_TEAM:
      lk_followups_view_set_team (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_followups_view_class_init (LkFollowupsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = lk_followups_view_constructed;
  object_class->dispose = lk_followups_view_dispose;
  object_class->get_property = lk_followups_view_get_property;
  object_class->set_property = lk_followups_view_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, LK_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Every open lead of the team, rather than this desktop's user's. */
  properties[PROP_TEAM] =
    g_param_spec_boolean ("team", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The section counts are being read. */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/followups/lk-followups-view.ui");
  gtk_widget_class_bind_template_child (widget_class, LkFollowupsView, mine_button);
  gtk_widget_class_bind_template_child (widget_class, LkFollowupsView, team_button);
  gtk_widget_class_bind_template_child (widget_class, LkFollowupsView, sections_box);
  gtk_widget_class_bind_template_callback (widget_class, team_toggled_cb);

  gtk_widget_class_install_action (widget_class, "followups.reschedule", "(ss)", reschedule_action);
}

static void
lk_followups_view_init (LkFollowupsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
}

LkFollowupsView *
lk_followups_view_new (LkContext *context)
{
  g_return_val_if_fail (LK_IS_CONTEXT (context), NULL);

  return g_object_new (LK_TYPE_FOLLOWUPS_VIEW, "context", context, NULL);
}

gboolean
lk_followups_view_get_team (LkFollowupsView *self)
{
  g_return_val_if_fail (LK_IS_FOLLOWUPS_VIEW (self), FALSE);
  return gtk_toggle_button_get_active (self->team_button);
}

/* What the Mine / Team switch does. */
void
lk_followups_view_set_team (LkFollowupsView *self,
                            gboolean         team)
{
  g_return_if_fail (LK_IS_FOLLOWUPS_VIEW (self));

  gtk_toggle_button_set_active (team ? self->team_button : self->mine_button, TRUE);
}

/* Returns: the number shown in @due's section header (the last count read) */
gint64
lk_followups_view_get_count (LkFollowupsView *self,
                             LkLeadDue        due)
{
  g_return_val_if_fail (LK_IS_FOLLOWUPS_VIEW (self), 0);
  return section_count (self, due);
}

/* Returns: (transfer none): the leads @due's section lists (its first ones) */
GListModel *
lk_followups_view_get_leads (LkFollowupsView *self,
                             LkLeadDue        due)
{
  Section *section;

  g_return_val_if_fail (LK_IS_FOLLOWUPS_VIEW (self), NULL);

  section = find_section (self, due);
  g_return_val_if_fail (section != NULL, NULL);
  return G_LIST_MODEL (section->leads);
}

/* Returns: (transfer none) (nullable): the LkFollowupRow at @position of
 * @due's section */
GtkWidget *
lk_followups_view_get_row (LkFollowupsView *self,
                           LkLeadDue        due,
                           guint            position)
{
  Section *section;

  g_return_val_if_fail (LK_IS_FOLLOWUPS_VIEW (self), NULL);

  section = find_section (self, due);
  g_return_val_if_fail (section != NULL, NULL);
  return GTK_WIDGET (gtk_list_box_get_row_at_index (section->list_box, (int) position));
}

/**
 * lk_followups_view_reschedule:
 * @date: the new local day, as 2024-05-03
 *
 * What the Reschedule popover does: moves the lead's next follow-up to
 * @date at the cadence's due hour.
 */
gboolean
lk_followups_view_reschedule (LkFollowupsView  *self,
                              const char       *lead_id,
                              const char       *date,
                              GError          **error)
{
  LkStore *store;
  LkClock *clock;
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(LkCadence) cadence = NULL;
  g_autoptr(GDateTime) day = NULL;
  int year, month, mday;

  g_return_val_if_fail (LK_IS_FOLLOWUPS_VIEW (self), FALSE);
  g_return_val_if_fail (lead_id != NULL && date != NULL, FALSE);

  store = lk_context_get_store (self->context);
  clock = lk_context_get_clock (self->context);
  if (sscanf (date, "%d-%d-%d", &year, &month, &mday) != 3 ||
      (day = g_date_time_new (lk_clock_get_timezone (clock), year, month, mday, 0, 0, 0)) == NULL)
    {
      g_set_error (error, LK_ERROR, LK_ERROR_INVALID, _("“%s” is not a date such as 2024-05-03"), date);
      return FALSE;
    }
  lead = lk_store_get_lead (store, lead_id, error);
  if (lead == NULL)
    return FALSE;
  cadence = lk_store_get_cadence (store, NULL);
  lk_record_set_int (LK_RECORD (lead), LK_LEAD_NEXT_FOLLOWUP_AT,
                     lk_cadence_local_date_at (clock, g_date_time_to_unix (day) * 1000, 0,
                                               cadence ? lk_cadence_get_due_hour (cadence) : 9));
  return lk_store_update_lead (store, lead, NULL, error);
}

/* Reads every section again: the day changed, or the clock did. */
void
lk_followups_view_reload (LkFollowupsView *self)
{
  g_return_if_fail (LK_IS_FOLLOWUPS_VIEW (self));

  for (guint i = 0; i < G_N_ELEMENTS (self->sections); i++)
    lk_lead_list_refresh (self->sections[i].leads);
  count_async (self);
}
