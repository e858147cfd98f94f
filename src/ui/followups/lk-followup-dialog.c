/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-followup-dialog"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

#include "leads/lk-date-row.h"
#include "lk-activity.h"
#include "lk-error.h"
#include "lk-cadence.h"
#include "lk-followup-dialog.h"
#include "lk-store-followups.h"
#include "lk-store-rules.h"
#include "lk-vocabulary.h"

/* Log Follow-up: the fields of seed template 2 for one lead. The next
 * step's date is proposed from the grade's cadence (the grade chosen here
 * when it changes) until the user picks one; a contact sooner than the
 * grade allows is warned about, never refused. Save writes the immutable
 * follow-up activity, which moves the lead's last, first and next
 * follow-up times; the dialog then emits ::logged and closes. */
struct _LkFollowupDialog
{
  AdwWindow            parent_instance;

  /* Template widgets */
  AdwWindowTitle      *window_title;
  GtkLabel            *message_label;
  AdwEntryRow         *when_row;
  AdwComboRow         *method_row;
  AdwEntryRow         *summary_row;
  AdwEntryRow         *feedback_row;
  AdwActionRow        *too_often_row;
  AdwPreferencesGroup *next_group;
  AdwEntryRow         *step_row;
  LkDateRow           *due_row;
  AdwComboRow         *grade_row;

  /* Owned */
  LkContext           *context;
  LkLead              *lead;
  LkCadence           *cadence;
  gint64               at;          /* 0 while the time typed is not one */
  gboolean             too_often;
  gboolean             due_touched; /* the user chose the date: no more proposals */
  gboolean             proposing;
};

G_DEFINE_FINAL_TYPE (LkFollowupDialog, lk_followup_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_LEAD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  LOGGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const grade_ids[] = { NULL, "A", "B", "C" };

static LkStore *
get_store (LkFollowupDialog *self)
{
  return lk_context_get_store (self->context);
}

static LkClock *
get_clock (LkFollowupDialog *self)
{
  return lk_context_get_clock (self->context);
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; p != NULL && *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* The grade the lead has after this follow-up. */
static const char *
effective_grade (LkFollowupDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->grade_row);

  if (selected > 0 && selected < G_N_ELEMENTS (grade_ids))
    return grade_ids[selected];
  return lk_record_get_string (LK_RECORD (self->lead), LK_LEAD_GRADE);
}

static const char *
selected_method (LkFollowupDialog *self)
{
  guint n;
  const LkTerm *methods = lk_vocabulary_methods (&n);
  guint selected = adw_combo_row_get_selected (self->method_row);

  return selected < n ? methods[selected].id : NULL;
}

static char *
format_when (LkFollowupDialog *self,
             gint64            ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, lk_clock_get_timezone (get_clock (self)));

  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

/* "2024-05-03 14:30", "2024/5/3 9:05", or a date alone (this hour). */
static gint64
parse_when (LkFollowupDialog *self,
            const char       *text)
{
  g_autoptr(GRegex) regex = g_regex_new ("^\\s*(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})(?:[ T]+(\\d{1,2}):(\\d{2}))?\\s*$",
                                         G_REGEX_OPTIMIZE, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GDateTime) dt = NULL;
  int fields[5] = { 0 };

  if (!g_regex_match (regex, text, 0, &match))
    return 0;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *part = g_match_info_fetch (match, (int) i + 1);

      fields[i] = part != NULL && part[0] != '\0' ? atoi (part) : -1;
    }
  if (fields[3] < 0)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (self->at != 0 ? self->at / 1000
                                                                               : lk_clock_now_ms (get_clock (self)) / 1000);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, lk_clock_get_timezone (get_clock (self)));

      fields[3] = g_date_time_get_hour (local);
      fields[4] = g_date_time_get_minute (local);
    }
  if (fields[1] < 1 || fields[1] > 12 || fields[2] < 1 || fields[2] > 31 || fields[3] > 23 || fields[4] > 59)
    return 0;
  dt = g_date_time_new (lk_clock_get_timezone (get_clock (self)), fields[0], fields[1], fields[2],
                        fields[3], fields[4], 0);
  return dt != NULL ? g_date_time_to_unix (dt) * 1000 : 0;
}

static void
show_message (LkFollowupDialog *self,
              const char       *message)
{
  gtk_label_set_text (self->message_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

static void
update_save (LkFollowupDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "followup.save", lk_followup_dialog_can_save (self));
}

/* Proposes the next step's date from the grade, until the user sets one. */
static void
propose_due (LkFollowupDialog *self)
{
  const char *grade = effective_grade (self);
  g_autofree char *rule = lk_cadence_describe_grade (self->cadence, grade);
  g_autofree char *description = NULL;

  if (grade != NULL && grade[0] != '\0')
    /* Translators: under Next Step: "Grade B: every 3–5 days" */
    description = g_strdup_printf (_("Grade %s: %s"), grade, rule);
  else
    /* Translators: under Next Step, for a lead without a grade: "Ungraded: every 3–5 days" */
    description = g_strdup_printf (_("Ungraded: %s"), rule);
  adw_preferences_group_set_description (self->next_group, description);

  if (self->due_touched || self->at == 0)
    return;
  self->proposing = TRUE;
  lk_date_row_set_value (self->due_row,
                         lk_cadence_propose_next (self->cadence, get_clock (self), grade, self->at, NULL));
  self->proposing = FALSE;
}

static void
check_too_often (LkFollowupDialog *self)
{
  g_autoptr(GError) error = NULL;
  gboolean over = FALSE;

  if (self->at != 0 &&
      !lk_store_check_too_often (get_store (self), lk_record_get_id (LK_RECORD (self->lead)),
                                 effective_grade (self), self->at, &over, &error))
    g_warning ("Could not check how often the lead was contacted: %s", error->message);
  self->too_often = over;
  if (over)
    {
      g_autofree char *rule = lk_cadence_describe_grade (self->cadence, effective_grade (self));
      g_autofree char *subtitle = g_strdup_printf (_("Its grade calls for %s. You can still save."), rule);

      adw_action_row_set_subtitle (self->too_often_row, subtitle);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->too_often_row), over);
}

static void
when_changed_cb (LkFollowupDialog *self)
{
  self->at = parse_when (self, gtk_editable_get_text (GTK_EDITABLE (self->when_row)));
  if (self->at == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->when_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->when_row), "error");
  propose_due (self);
  check_too_often (self);
  update_save (self);
}

static void
summary_changed_cb (LkFollowupDialog *self)
{
  update_save (self);
}

static void
grade_changed_cb (LkFollowupDialog *self)
{
  propose_due (self);
  check_too_often (self);
}

static void
due_changed_cb (LkFollowupDialog *self)
{
  if (!self->proposing)
    self->due_touched = TRUE;
  if (lk_date_row_get_valid (self->due_row))
    gtk_widget_remove_css_class (GTK_WIDGET (self->due_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->due_row), "error");
  update_save (self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  lk_followup_dialog_save (LK_FOLLOWUP_DIALOG (widget));
}

static gboolean
save_shortcut (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  lk_followup_dialog_save (LK_FOLLOWUP_DIALOG (widget));
  return TRUE;
}

static void
setup_choices (LkFollowupDialog *self)
{
  g_autoptr(GtkStringList) methods = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) grades = gtk_string_list_new (NULL);
  const char *grade = lk_record_get_string (LK_RECORD (self->lead), LK_LEAD_GRADE);
  g_autofree char *unchanged = NULL;
  guint n;
  const LkTerm *terms = lk_vocabulary_methods (&n);

  for (guint i = 0; i < n; i++)
    gtk_string_list_append (methods, lk_vocabulary_method_name (terms[i].id));
  adw_combo_row_set_model (self->method_row, G_LIST_MODEL (methods));

  if (grade[0] != '\0')
    /* Translators: the first choice of the grade: "Unchanged (B)" */
    unchanged = g_strdup_printf (_("Unchanged (%s)"), grade);
  else
    unchanged = g_strdup (_("Unchanged (none)"));
  gtk_string_list_append (grades, unchanged);
  for (guint i = 1; i < G_N_ELEMENTS (grade_ids); i++)
    gtk_string_list_append (grades, grade_ids[i]);
  adw_combo_row_set_model (self->grade_row, G_LIST_MODEL (grades));
}

static void
lk_followup_dialog_constructed (GObject *object)
{
  LkFollowupDialog *self = LK_FOLLOWUP_DIALOG (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *now = NULL;

  G_OBJECT_CLASS (lk_followup_dialog_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  g_assert (self->lead != NULL);

  /* A broken settings:cadence does not stop anyone logging a call. */
  self->cadence = lk_store_get_cadence (get_store (self), &error);
  if (self->cadence == NULL)
    {
      g_warning ("%s; the default cadence proposes the next follow-up", error->message);
      self->cadence = lk_cadence_new_default ();
    }
  lk_date_row_set_timezone (self->due_row, lk_clock_get_timezone (get_clock (self)));
  adw_window_title_set_subtitle (self->window_title, lk_lead_get_display_name (self->lead));
  setup_choices (self);
  g_signal_connect_object (self->grade_row, "notify::selected", G_CALLBACK (grade_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->due_row, "notify::value", G_CALLBACK (due_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->due_row, "notify::valid", G_CALLBACK (due_changed_cb), self, G_CONNECT_SWAPPED);

  now = format_when (self, lk_clock_now_ms (get_clock (self)));
  gtk_editable_set_text (GTK_EDITABLE (self->when_row), now);
  update_save (self);
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->summary_row));
}

static void
lk_followup_dialog_dispose (GObject *object)
{
  LkFollowupDialog *self = LK_FOLLOWUP_DIALOG (object);

  g_clear_object (&self->cadence);
  g_clear_object (&self->lead);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (lk_followup_dialog_parent_class)->dispose (object);
}

static void
lk_followup_dialog_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  LkFollowupDialog *self = LK_FOLLOWUP_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_LEAD:
      g_value_set_object (value, self->lead);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_followup_dialog_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  LkFollowupDialog *self = LK_FOLLOWUP_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_LEAD:
      self->lead = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_followup_dialog_class_init (LkFollowupDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = lk_followup_dialog_constructed;
  object_class->dispose = lk_followup_dialog_dispose;
  object_class->get_property = lk_followup_dialog_get_property;
  object_class->set_property = lk_followup_dialog_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, LK_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LEAD] =
    g_param_spec_object ("lead", NULL, NULL, LK_TYPE_LEAD,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LkFollowupDialog::logged:
   * @followup: the follow-up activity as saved
   * @too_often: whether it came sooner than the grade's cadence allows
   *
   * Emitted after the store saved the follow-up, just before the dialog
   * closes.
   */
  signals[LOGGED] =
    g_signal_new ("logged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, LK_TYPE_ACTIVITY, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/followups/lk-followup-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LkFollowupDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, LkFollowupDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, LkFollowupDialog, when_row);
  gtk_widget_class_bind_template_child (widget_class, LkFollowupDialog, method_row);
  gtk_widget_class_bind_template_child (widget_class, LkFollowupDialog, summary_row);
  gtk_widget_class_bind_template_child (widget_class, LkFollowupDialog, feedback_row);
  gtk_widget_class_bind_template_child (widget_class, LkFollowupDialog, too_often_row);
  gtk_widget_class_bind_template_child (widget_class, LkFollowupDialog, next_group);
  gtk_widget_class_bind_template_child (widget_class, LkFollowupDialog, step_row);
  gtk_widget_class_bind_template_child (widget_class, LkFollowupDialog, due_row);
  gtk_widget_class_bind_template_child (widget_class, LkFollowupDialog, grade_row);
  gtk_widget_class_bind_template_callback (widget_class, when_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, summary_changed_cb);

  gtk_widget_class_install_action (widget_class, "followup.save", NULL, save_action);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, save_shortcut, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, save_shortcut, NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  g_type_ensure (LK_TYPE_DATE_ROW);
}

static void
lk_followup_dialog_init (LkFollowupDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * lk_followup_dialog_new:
 * @lead: the lead the follow-up is on (as read from the store)
 *
 * Returns: (transfer none): a new dialog; set its transient parent and
 *   present it. It closes itself after a save (see ::logged).
 */
LkFollowupDialog *
lk_followup_dialog_new (LkContext *context,
                        LkLead    *lead)
{
  g_return_val_if_fail (LK_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (LK_IS_LEAD (lead), NULL);

  return g_object_new (LK_TYPE_FOLLOWUP_DIALOG, "context", context, "lead", lead, NULL);
}

/**
 * lk_followup_dialog_open:
 *
 * Reads @lead_id and presents the dialog over @parent: what the window's
 * Ctrl+L, a card's menu, the Follow-ups view and the editor call.
 *
 * Returns: (transfer none) (nullable): the dialog, or %NULL with @error
 *   when the lead cannot be read or has been deleted
 */
LkFollowupDialog *
lk_followup_dialog_open (GtkWindow   *parent,
                         LkContext   *context,
                         const char  *lead_id,
                         GError     **error)
{
  g_autoptr(LkLead) lead = NULL;
  LkFollowupDialog *self;

  g_return_val_if_fail (LK_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (lead_id != NULL, NULL);

  lead = lk_store_get_lead (lk_context_get_store (context), lead_id, error);
  if (lead == NULL)
    return NULL;
  if (lk_record_get_deleted (LK_RECORD (lead)))
    {
      g_set_error (error, LK_ERROR, LK_ERROR_NOT_FOUND,
                   _("The lead “%s” has been deleted"), lk_lead_get_display_name (lead));
      return NULL;
    }
  self = lk_followup_dialog_new (context, lead);
  gtk_window_set_transient_for (GTK_WINDOW (self), parent);
  gtk_window_present (GTK_WINDOW (self));
  return self;
}

/* Returns: (transfer none): the lead, as when the dialog opened */
LkLead *
lk_followup_dialog_get_lead (LkFollowupDialog *self)
{
  g_return_val_if_fail (LK_IS_FOLLOWUP_DIALOG (self), NULL);
  return self->lead;
}

/* Returns: when the contact happened (Unix ms), 0 while the time typed is not one */
gint64
lk_followup_dialog_get_at (LkFollowupDialog *self)
{
  g_return_val_if_fail (LK_IS_FOLLOWUP_DIALOG (self), 0);
  return self->at;
}

/* Returns: the next step's date (Unix ms; proposed or chosen), 0 for none */
gint64
lk_followup_dialog_get_next_due (LkFollowupDialog *self)
{
  g_return_val_if_fail (LK_IS_FOLLOWUP_DIALOG (self), 0);
  return lk_date_row_get_value (self->due_row);
}

/* Whether the "contacted too often" warning shows. */
gboolean
lk_followup_dialog_get_too_often (LkFollowupDialog *self)
{
  g_return_val_if_fail (LK_IS_FOLLOWUP_DIALOG (self), FALSE);
  return self->too_often;
}

gboolean
lk_followup_dialog_can_save (LkFollowupDialog *self)
{
  g_return_val_if_fail (LK_IS_FOLLOWUP_DIALOG (self), FALSE);

  return self->at != 0 && lk_date_row_get_valid (self->due_row) &&
         !is_blank (gtk_editable_get_text (GTK_EDITABLE (self->summary_row))) &&
         selected_method (self) != NULL;
}

/**
 * lk_followup_dialog_set_text:
 * @field: "at", "method" (an id such as phone), "summary", "feedback",
 *   "next_step", "next_due_at" (a date such as 2024-05-03) or "grade"
 *   (A, B, C, or "" for unchanged)
 *
 * Changes a field through its widget, as the user would.
 *
 * Returns: %FALSE for an unknown field or a choice that is not one
 */
gboolean
lk_followup_dialog_set_text (LkFollowupDialog *self,
                             const char       *field,
                             const char       *text)
{
  g_return_val_if_fail (LK_IS_FOLLOWUP_DIALOG (self), FALSE);
  g_return_val_if_fail (field != NULL && text != NULL, FALSE);

  if (g_str_equal (field, "at"))
    gtk_editable_set_text (GTK_EDITABLE (self->when_row), text);
  else if (g_str_equal (field, "summary"))
    gtk_editable_set_text (GTK_EDITABLE (self->summary_row), text);
  else if (g_str_equal (field, "feedback"))
    gtk_editable_set_text (GTK_EDITABLE (self->feedback_row), text);
  else if (g_str_equal (field, "next_step"))
    gtk_editable_set_text (GTK_EDITABLE (self->step_row), text);
  else if (g_str_equal (field, "next_due_at"))
    gtk_editable_set_text (GTK_EDITABLE (self->due_row), text);
  else if (g_str_equal (field, "method"))
    {
      guint n;
      const LkTerm *methods = lk_vocabulary_methods (&n);

      for (guint i = 0; i < n; i++)
        if (g_str_equal (methods[i].id, text))
          {
            adw_combo_row_set_selected (self->method_row, i);
            return TRUE;
          }
      return FALSE;
    }
  else if (g_str_equal (field, "grade"))
    {
      for (guint i = 1; i < G_N_ELEMENTS (grade_ids); i++)
        if (g_str_equal (grade_ids[i], text))
          {
            adw_combo_row_set_selected (self->grade_row, i);
            return TRUE;
          }
      if (text[0] != '\0')
        return FALSE;
      adw_combo_row_set_selected (self->grade_row, 0);
    }
  else
    return FALSE;
  return TRUE;
}

/* Returns: (nullable): why the last Save did not save, or %NULL */
const char *
lk_followup_dialog_get_message (LkFollowupDialog *self)
{
  g_return_val_if_fail (LK_IS_FOLLOWUP_DIALOG (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->message_label))
           ? gtk_label_get_text (self->message_label)
           : NULL;
}

/**
 * lk_followup_dialog_save:
 *
 * What Save does: writes the follow-up, emits ::logged and closes. When
 * a field is missing or the store refuses, the dialog stays open with
 * everything typed, says why and returns %FALSE.
 */
gboolean
lk_followup_dialog_save (LkFollowupDialog *self)
{
  g_autoptr(LkActivity) followup = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *feedback = NULL;
  g_autofree char *step = NULL;
  LkRecord *record;
  const char *grade;
  gboolean over = FALSE;

  g_return_val_if_fail (LK_IS_FOLLOWUP_DIALOG (self), FALSE);

  if (self->at == 0)
    {
      show_message (self, _("The time must be a date and time such as 2024-05-03 14:30."));
      gtk_widget_grab_focus (GTK_WIDGET (self->when_row));
      return FALSE;
    }
  if (is_blank (gtk_editable_get_text (GTK_EDITABLE (self->summary_row))))
    {
      show_message (self, _("Write a short summary of what was said."));
      gtk_widget_grab_focus (GTK_WIDGET (self->summary_row));
      return FALSE;
    }
  if (!lk_date_row_get_valid (self->due_row))
    {
      show_message (self, _("The next step’s date must be a date such as 2024-05-03, or empty for none."));
      gtk_widget_grab_focus (GTK_WIDGET (self->due_row));
      return FALSE;
    }

  summary = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->summary_row))));
  feedback = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->feedback_row))));
  step = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->step_row))));
  followup = lk_activity_new (lk_record_get_id (LK_RECORD (self->lead)), "followup");
  record = LK_RECORD (followup);
  lk_record_set_int (record, LK_ACTIVITY_AT, self->at);
  lk_record_set_string (record, LK_ACTIVITY_METHOD, selected_method (self));
  lk_record_set_string (record, LK_ACTIVITY_SUMMARY, summary);
  lk_record_set_string (record, LK_ACTIVITY_FEEDBACK, feedback);
  lk_record_set_string (record, LK_ACTIVITY_NEXT_STEP, step);
  lk_record_set_int (record, LK_ACTIVITY_NEXT_DUE_AT, lk_date_row_get_value (self->due_row));
  grade = adw_combo_row_get_selected (self->grade_row) > 0 ? effective_grade (self) : NULL;
  if (grade != NULL)
    lk_record_set_string (record, LK_ACTIVITY_GRADE_TO, grade);

  if (!lk_store_log_followup (get_store (self), followup, &over, &error))
    {
      show_message (self, error->message);
      return FALSE;
    }
  show_message (self, NULL);
  g_object_ref (self);
  g_signal_emit (self, signals[LOGGED], 0, followup, over);
  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);
  return TRUE;
}
