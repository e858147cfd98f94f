/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-followup-row"

#include <glib/gi18n-lib.h>

#include "lk-followup-row.h"
#include "lk-format.h"

/* One lead in the Follow-ups view: who, when the next follow-up is due
 * and at which stage, with one click to log a follow-up (win.log-followup)
 * or move the date (followups.reschedule). Activating the row opens the
 * lead (win.open-lead). */
struct _LkFollowupRow
{
  AdwActionRow   parent_instance;

  /* Template widgets */
  GtkButton     *log_button;
  GtkMenuButton *reschedule_button;
  GtkCalendar   *calendar;

  /* Owned */
  LkLead        *lead;
  GTimeZone     *tz;
  gboolean       updating;
};

G_DEFINE_FINAL_TYPE (LkFollowupRow, lk_followup_row, ADW_TYPE_ACTION_ROW)

static GDateTime *
shown_day (LkFollowupRow *self)
{
  gint64 due = lk_record_get_int (LK_RECORD (self->lead), LK_LEAD_NEXT_FOLLOWUP_AT);
  g_autoptr(GDateTime) utc = NULL;

  if (due == 0)
    return g_date_time_new_now (self->tz);
  utc = g_date_time_new_from_unix_utc (due / 1000);
  return g_date_time_to_timezone (utc, self->tz);
}

static void
popover_show_cb (LkFollowupRow *self)
{
  g_autoptr(GDateTime) day = shown_day (self);

  self->updating = TRUE;
  gtk_calendar_select_day (self->calendar, day);
  self->updating = FALSE;
}

static void
day_selected_cb (LkFollowupRow *self,
                 GtkCalendar   *calendar)
{
  g_autoptr(GDateTime) day = NULL;

  if (self->updating)
    return;
  day = gtk_calendar_get_date (calendar);
  gtk_menu_button_popdown (self->reschedule_button);
  lk_followup_row_reschedule (self, day);
}

static void
lk_followup_row_dispose (GObject *object)
{
  LkFollowupRow *self = LK_FOLLOWUP_ROW (object);

  g_clear_object (&self->lead);
  g_clear_pointer (&self->tz, g_time_zone_unref);

  G_OBJECT_CLASS (lk_followup_row_parent_class)->dispose (object);
}

static void
lk_followup_row_class_init (LkFollowupRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = lk_followup_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/followups/lk-followup-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LkFollowupRow, log_button);
  gtk_widget_class_bind_template_child (widget_class, LkFollowupRow, reschedule_button);
  gtk_widget_class_bind_template_child (widget_class, LkFollowupRow, calendar);
  gtk_widget_class_bind_template_callback (widget_class, popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, day_selected_cb);
}

static void
lk_followup_row_init (LkFollowupRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
lk_followup_row_new (LkLead     *lead,
                     LkPipeline *pipeline,
                     LkClock    *clock)
{
  LkFollowupRow *self;
  LkRecord *record;
  LkStage *stage;
  const char *grade;
  const char *id;
  gint64 due;
  g_autoptr(GString) subtitle = g_string_new (NULL);

  g_return_val_if_fail (LK_IS_LEAD (lead), NULL);
  g_return_val_if_fail (LK_IS_PIPELINE (pipeline), NULL);
  g_return_val_if_fail (LK_IS_CLOCK (clock), NULL);

  self = g_object_new (LK_TYPE_FOLLOWUP_ROW, NULL);
  self->lead = g_object_ref (lead);
  self->tz = g_time_zone_ref (lk_clock_get_timezone (clock));
  record = LK_RECORD (lead);
  id = lk_record_get_id (record);

  due = lk_record_get_int (record, LK_LEAD_NEXT_FOLLOWUP_AT);
  if (due != 0)
    {
      g_autofree char *when = lk_format_date_time (due, self->tz);

      /* Translators: in the Follow-ups view: "Due 2024/5/3 09:00" */
      g_string_append_printf (subtitle, _("Due %s"), when);
    }
  else
    g_string_append (subtitle, _("No next step planned"));
  stage = lk_pipeline_lookup (pipeline, lk_lead_get_stage (lead));
  g_string_append_printf (subtitle, " · %s", stage ? lk_stage_get_name (stage) : lk_lead_get_stage (lead));
  grade = lk_record_get_string (record, LK_LEAD_GRADE);
  if (grade[0] != '\0')
    {
      g_string_append (subtitle, " · ");
      /* Translators: a lead's grade in the Follow-ups view: "Grade A" */
      g_string_append_printf (subtitle, _("Grade %s"), grade);
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), lk_lead_get_display_name (lead));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle->str);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self), "s", id);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->log_button), "s", id);
  return GTK_WIDGET (self);
}

/* Returns: (transfer none): the lead shown */
LkLead *
lk_followup_row_get_lead (LkFollowupRow *self)
{
  g_return_val_if_fail (LK_IS_FOLLOWUP_ROW (self), NULL);
  return self->lead;
}

/* What picking @day in the calendar does: asks the view to move the next
 * follow-up to that local day. */
void
lk_followup_row_reschedule (LkFollowupRow *self,
                            GDateTime     *day)
{
  g_autofree char *date = NULL;

  g_return_if_fail (LK_IS_FOLLOWUP_ROW (self));
  g_return_if_fail (day != NULL);

  date = g_date_time_format (day, "%Y-%m-%d");
  gtk_widget_activate_action (GTK_WIDGET (self), "followups.reschedule", "(ss)",
                              lk_record_get_id (LK_RECORD (self->lead)), date);
}
