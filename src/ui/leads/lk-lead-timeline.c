/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-lead-timeline"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-format.h"
#include "lk-lead-timeline.h"
#include "lk-vocabulary.h"

/* A lead's history, read-only: when and by whom it was created, its
 * stage changes (oldest first: they read as a story) and its follow-ups
 * and other activities (newest first: the last contact matters most). */
struct _LkLeadTimeline
{
  AdwBin          parent_instance;

  /* Template widgets */
  AdwActionRow   *created_row;
  AdwExpanderRow *stages_row;
  AdwExpanderRow *activities_row;

  /* Owned */
  GPtrArray      *rows;   /* the rows added to the expanders */
  guint           n_stage_changes;
  guint           n_activities;
};

G_DEFINE_FINAL_TYPE (LkLeadTimeline, lk_lead_timeline, ADW_TYPE_BIN)

static GtkWidget *
make_row (const char *title,
          const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  return row;
}

static void
add_row (LkLeadTimeline *self,
         AdwExpanderRow *expander,
         GtkWidget      *row)
{
  adw_expander_row_add_row (expander, row);
  g_ptr_array_add (self->rows, g_object_ref (row));
}

static void
clear_rows (LkLeadTimeline *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);
      GtkWidget *parent = gtk_widget_get_parent (row);

      /* adw_expander_row_remove() takes the row; the list box is its parent. */
      if (parent != NULL)
        gtk_list_box_remove (GTK_LIST_BOX (parent), row);
    }
  g_ptr_array_set_size (self->rows, 0);
}

static gboolean
has_rows (LkLeadTimeline *self,
          AdwExpanderRow *expander)
{
  for (guint i = 0; i < self->rows->len; i++)
    if (gtk_widget_get_ancestor (g_ptr_array_index (self->rows, i), ADW_TYPE_EXPANDER_ROW) == GTK_WIDGET (expander))
      return TRUE;
  return FALSE;
}

static const char *
stage_name (LkPipeline *pipeline,
            const char *stage_id)
{
  LkStage *stage = lk_pipeline_lookup (pipeline, stage_id);

  return stage ? lk_stage_get_name (stage) : stage_id;
}

static GHashTable *
load_users (LkStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = lk_store_list_users (store, &error);
  GHashTable *map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);

  if (users == NULL)
    {
      g_warning ("Could not read the team: %s", error->message);
      return map;
    }
  for (guint i = 0; i < users->len; i++)
    {
      LkRecord *user = g_ptr_array_index (users, i);

      g_hash_table_insert (map, g_strdup (lk_record_get_id (user)), g_object_ref (user));
    }
  return map;
}

static void
show_created (LkLeadTimeline *self,
              LkLead         *lead,
              GHashTable     *users,
              GTimeZone      *tz)
{
  LkRecord *record = LK_RECORD (lead);
  g_autofree char *created = lk_format_date_time (lk_record_get_int (record, LK_LEAD_CREATED_AT), tz);
  g_autofree char *by = lk_lead_timeline_user_name (users, lk_record_get_string (record, LK_LEAD_CREATED_BY));
  g_autofree char *title = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *subtitle = NULL;
  gint64 updated = lk_record_get_int (record, LK_LEAD_UPDATED_AT);
  gint64 first = lk_record_get_int (record, LK_LEAD_FIRST_CONTACTED_AT);
  gint64 last = lk_record_get_int (record, LK_LEAD_LAST_CONTACTED_AT);

  if (by[0] != '\0')
    /* Translators: "Created 2024/5/3 14:20 by 李雷" */
    title = g_strdup_printf (_("Created %s by %s"), created, by);
  else
    /* Translators: "Created 2024/5/3 14:20" */
    title = g_strdup_printf (_("Created %s"), created);
  if (updated != 0)
    {
      g_autofree char *when = lk_format_date_time (updated, tz);
      g_autofree char *who = lk_lead_timeline_user_name (users, lk_record_get_string (record, LK_LEAD_UPDATED_BY));

      g_ptr_array_add (lines, who[0] ? g_strdup_printf (_("Last changed %s by %s"), when, who)
                                     : g_strdup_printf (_("Last changed %s"), when));
    }
  if (first != 0)
    {
      g_autofree char *when = lk_format_date_time (first, tz);

      g_ptr_array_add (lines, g_strdup_printf (_("First contacted %s"), when));
    }
  if (last != 0)
    {
      g_autofree char *when = lk_format_date_time (last, tz);

      g_ptr_array_add (lines, g_strdup_printf (_("Last contacted %s"), when));
    }
  g_ptr_array_add (lines, NULL);
  subtitle = g_strjoinv ("\n", (char **) lines->pdata);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->created_row), title);
  adw_action_row_set_subtitle (self->created_row, subtitle);
}

static void
show_stage_changes (LkLeadTimeline *self,
                    LkStore        *store,
                    LkPipeline     *pipeline,
                    LkLead         *lead,
                    GHashTable     *users,
                    GTimeZone      *tz)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = lk_store_list_stage_changes (store, lk_record_get_id (LK_RECORD (lead)), &error);

  if (changes == NULL)
    {
      add_row (self, self->stages_row, make_row (_("Could not read the stage history"), error->message));
      return;
    }
  self->n_stage_changes = changes->len;
  for (guint i = 0; i < changes->len; i++)
    {
      LkRecord *change = g_ptr_array_index (changes, i);
      const char *from = lk_record_get_string (change, LK_STAGE_CHANGE_FROM);
      const char *to = lk_record_get_string (change, LK_STAGE_CHANGE_TO);
      const char *reason = lk_record_get_string (change, LK_STAGE_CHANGE_REASON);
      g_autofree char *title = NULL;
      g_autofree char *when = lk_format_date_time (lk_record_get_int (change, LK_STAGE_CHANGE_AT), tz);
      g_autofree char *who = lk_lead_timeline_user_name (users, lk_record_get_string (change, LK_STAGE_CHANGE_BY));
      g_autoptr(GString) subtitle = g_string_new (NULL);

      if (from[0] == '\0')
        /* Translators: the first entry of a lead's stage history: "Created in New" */
        title = g_strdup_printf (_("Created in %s"), stage_name (pipeline, to));
      else
        /* Translators: a stage change: "Contacted → Qualified" */
        title = g_strdup_printf (_("%s → %s"), stage_name (pipeline, from), stage_name (pipeline, to));
      if (who[0] != '\0')
        /* Translators: when and who: "2024/5/3 14:20, by 李雷" */
        g_string_append_printf (subtitle, _("%s, by %s"), when, who);
      else
        g_string_append (subtitle, when);
      if (lk_record_get_bool (change, LK_STAGE_CHANGE_REOPEN))
        {
          g_string_append (subtitle, "\n");
          g_string_append (subtitle, _("Reopened"));
        }
      if (reason[0] != '\0')
        {
          g_string_append (subtitle, "\n");
          /* Translators: why a lead moved, mostly to Lost: "Reason: Price too high" */
          g_string_append_printf (subtitle, _("Reason: %s"), lk_pipeline_translate_reason (reason));
        }
      add_row (self, self->stages_row, make_row (title, subtitle->str));
    }
}

static const char *
activity_title (LkRecord *activity)
{
  const char *kind = lk_record_get_string (activity, LK_ACTIVITY_KIND);
  const char *method = lk_record_get_string (activity, LK_ACTIVITY_METHOD);

  if (method[0] != '\0')
    return lk_vocabulary_method_name (method);
  if (g_str_equal (kind, "note"))
    return C_("activity", "Note");
  if (g_str_equal (kind, "task"))
    return C_("activity", "Task");
  if (g_str_equal (kind, "assignment"))
    return C_("activity", "Assignment");
  if (g_str_equal (kind, "event"))
    return C_("activity", "Event");
  return C_("activity", "Follow-up");
}

static void
show_activities (LkLeadTimeline *self,
                 LkStore        *store,
                 LkLead         *lead,
                 GHashTable     *users,
                 GTimeZone      *tz)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) activities = lk_store_list_activities (store, lk_record_get_id (LK_RECORD (lead)), &error);

  if (activities == NULL)
    {
      add_row (self, self->activities_row, make_row (_("Could not read the follow-ups"), error->message));
      return;
    }
  self->n_activities = activities->len;
  for (guint i = 0; i < activities->len; i++)
    {
      LkRecord *activity = g_ptr_array_index (activities, i);
      const char *summary = lk_record_get_string (activity, LK_ACTIVITY_SUMMARY);
      const char *feedback = lk_record_get_string (activity, LK_ACTIVITY_FEEDBACK);
      const char *next_step = lk_record_get_string (activity, LK_ACTIVITY_NEXT_STEP);
      const char *event_type = lk_record_get_string (activity, LK_ACTIVITY_EVENT_TYPE);
      const char *grade_from = lk_record_get_string (activity, LK_ACTIVITY_GRADE_FROM);
      const char *grade_to = lk_record_get_string (activity, LK_ACTIVITY_GRADE_TO);
      gint64 due = lk_record_get_int (activity, LK_ACTIVITY_NEXT_DUE_AT);
      g_autofree char *when = lk_format_date_time (lk_record_get_int (activity, LK_ACTIVITY_AT), tz);
      g_autofree char *who = lk_lead_timeline_user_name (users, lk_record_get_string (activity, LK_ACTIVITY_BY));
      g_autofree char *title = NULL;
      g_autoptr(GString) subtitle = g_string_new (NULL);

      if (summary[0] != '\0')
        /* Translators: an activity in a lead's history: "Phone: asked for a quote" */
        title = g_strdup_printf (_("%s: %s"), activity_title (activity), summary);
      else if (event_type[0] != '\0')
        title = g_strdup_printf (_("%s: %s"), activity_title (activity), event_type);
      else
        title = g_strdup (activity_title (activity));

      if (who[0] != '\0')
        g_string_append_printf (subtitle, _("%s, by %s"), when, who);
      else
        g_string_append (subtitle, when);
      if (feedback[0] != '\0')
        {
          g_string_append_c (subtitle, '\n');
          /* Translators: what the customer said or objected to */
          g_string_append_printf (subtitle, _("Feedback: %s"), feedback);
        }
      if (next_step[0] != '\0')
        {
          g_string_append_c (subtitle, '\n');
          if (due != 0)
            {
              g_autofree char *due_text = lk_format_date (due, tz);

              /* Translators: "Next step: send the quote (due 2024/5/6)" */
              g_string_append_printf (subtitle, _("Next step: %s (due %s)"), next_step, due_text);
            }
          else
            g_string_append_printf (subtitle, _("Next step: %s"), next_step);
        }
      if (grade_to[0] != '\0' && g_strcmp0 (grade_from, grade_to) != 0)
        {
          g_string_append_c (subtitle, '\n');
          if (grade_from[0] != '\0')
            /* Translators: a grade change logged with a follow-up: "Grade B → A" */
            g_string_append_printf (subtitle, _("Grade %s → %s"), grade_from, grade_to);
          else
            g_string_append_printf (subtitle, _("Grade %s"), grade_to);
        }
      add_row (self, self->activities_row, make_row (title, subtitle->str));
    }
}

static void
lk_lead_timeline_dispose (GObject *object)
{
  LkLeadTimeline *self = LK_LEAD_TIMELINE (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (lk_lead_timeline_parent_class)->dispose (object);
}

static void
lk_lead_timeline_class_init (LkLeadTimelineClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = lk_lead_timeline_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/leads/lk-lead-timeline.ui");
  gtk_widget_class_bind_template_child (widget_class, LkLeadTimeline, created_row);
  gtk_widget_class_bind_template_child (widget_class, LkLeadTimeline, stages_row);
  gtk_widget_class_bind_template_child (widget_class, LkLeadTimeline, activities_row);
}

static void
lk_lead_timeline_init (LkLeadTimeline *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_ptr_array_new_with_free_func (g_object_unref);
}

GtkWidget *
lk_lead_timeline_new (void)
{
  return g_object_new (LK_TYPE_LEAD_TIMELINE, NULL);
}

/* Reads @lead's history from the store; call again to refresh. */
void
lk_lead_timeline_load (LkLeadTimeline *self,
                       LkContext      *context,
                       LkLead         *lead)
{
  LkStore *store;
  g_autoptr(GHashTable) users = NULL;
  GTimeZone *tz;
  g_autofree char *stages_subtitle = NULL;
  g_autofree char *activities_subtitle = NULL;

  g_return_if_fail (LK_IS_LEAD_TIMELINE (self));
  g_return_if_fail (LK_IS_CONTEXT (context));
  g_return_if_fail (LK_IS_LEAD (lead));

  store = lk_context_get_store (context);
  tz = lk_clock_get_timezone (lk_context_get_clock (context));
  users = load_users (store);
  clear_rows (self);
  self->n_stage_changes = 0;
  self->n_activities = 0;

  show_created (self, lead, users, tz);
  show_stage_changes (self, store, lk_context_get_pipeline (context), lead, users, tz);
  show_activities (self, store, lead, users, tz);

  if (self->n_stage_changes > 0)
    stages_subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u change", "%u changes",
                                                    self->n_stage_changes),
                                       self->n_stage_changes);
  adw_expander_row_set_subtitle (self->stages_row, stages_subtitle ? stages_subtitle : _("None yet"));
  adw_expander_row_set_enable_expansion (self->stages_row, has_rows (self, self->stages_row));

  if (self->n_activities > 0)
    activities_subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u entry, newest first",
                                                        "%u entries, newest first", self->n_activities),
                                           self->n_activities);
  adw_expander_row_set_subtitle (self->activities_row, activities_subtitle ? activities_subtitle : _("None yet"));
  adw_expander_row_set_enable_expansion (self->activities_row, has_rows (self, self->activities_row));
}

guint
lk_lead_timeline_get_n_stage_changes (LkLeadTimeline *self)
{
  g_return_val_if_fail (LK_IS_LEAD_TIMELINE (self), 0);
  return self->n_stage_changes;
}

guint
lk_lead_timeline_get_n_activities (LkLeadTimeline *self)
{
  g_return_val_if_fail (LK_IS_LEAD_TIMELINE (self), 0);
  return self->n_activities;
}

/**
 * lk_lead_timeline_user_name:
 * @users: (element-type utf8 LkUser): the team by id
 *
 * Returns: (transfer full): the display name of @user_id; for someone
 *   this desktop has not seen yet, the id without "user:"; "" for none
 */
char *
lk_lead_timeline_user_name (GHashTable *users,
                            const char *user_id)
{
  LkUser *user;

  if (user_id == NULL || user_id[0] == '\0')
    return g_strdup ("");
  user = users ? g_hash_table_lookup (users, user_id) : NULL;
  if (user != NULL && lk_user_get_display_name (user)[0] != '\0')
    return g_strdup (lk_user_get_display_name (user));
  return g_strdup (lk_user_id_get_name (user_id));
}
