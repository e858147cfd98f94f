/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-bulk-reason-dialog"

#include <glib/gi18n-lib.h>

#include "lk-bulk-reason-dialog.h"
#include "lk-pipeline.h"
#include "lk-utils.h"

/* Asks why leads were lost before they move to Lost (the pipeline's gate):
 * one of the common reasons, stored untranslated so reports can group
 * them whatever the language, or a reason typed by hand. "Move" stays
 * disabled until there is one. */
struct _LkBulkReasonDialog
{
  AdwMessageDialog  parent_instance;

  /* Template widgets */
  GtkListBox       *reasons_list;
  AdwEntryRow      *other_row;

  /* Borrowed */
  GtkCheckButton   *active_check;

  /* Owned */
  char             *reason;
};

G_DEFINE_FINAL_TYPE (LkBulkReasonDialog, lk_bulk_reason_dialog, ADW_TYPE_MESSAGE_DIALOG)

static const char *reason_key = "lk-reason";

static void
update_reason (LkBulkReasonDialog *self)
{
  g_autofree char *typed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->other_row))));
  const char *reason = NULL;

  if (typed[0] != '\0')
    reason = typed;
  else if (self->active_check != NULL)
    reason = g_object_get_data (G_OBJECT (self->active_check), reason_key);
  lk_set_str (&self->reason, reason);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "move", self->reason != NULL);
}

static void
check_toggled_cb (LkBulkReasonDialog *self,
                  GtkCheckButton     *check)
{
  if (gtk_check_button_get_active (check))
    {
      self->active_check = check;
      /* A common reason replaces what was typed. */
      gtk_editable_set_text (GTK_EDITABLE (self->other_row), "");
    }
  else if (self->active_check == check)
    self->active_check = NULL;
  update_reason (self);
}

static void
other_changed_cb (LkBulkReasonDialog *self,
                  GtkEditable        *editable)
{
  const char *text = gtk_editable_get_text (editable);

  if (text[0] != '\0' && self->active_check != NULL)
    gtk_check_button_set_active (self->active_check, FALSE);
  update_reason (self);
}

static void
other_activated_cb (LkBulkReasonDialog *self,
                    AdwEntryRow        *row)
{
  /* As the button does: responding alone leaves the dialog open. */
  if (self->reason != NULL)
    {
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (self), "move");
      gtk_window_close (GTK_WINDOW (self));
    }
}

static void
add_reasons (LkBulkReasonDialog *self)
{
  const char * const *reasons = lk_pipeline_get_lost_reasons ();
  GtkCheckButton *group = NULL;

  for (guint i = 0; reasons[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
      if (group == NULL)
        group = GTK_CHECK_BUTTON (check);
      g_object_set_data (G_OBJECT (check), reason_key, (gpointer) reasons[i]);
      g_signal_connect_object (check, "toggled", G_CALLBACK (check_toggled_cb), self, G_CONNECT_SWAPPED);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), lk_pipeline_translate_reason (reasons[i]));
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_list_box_append (self->reasons_list, row);
    }
}

static void
lk_bulk_reason_dialog_finalize (GObject *object)
{
  LkBulkReasonDialog *self = LK_BULK_REASON_DIALOG (object);

  g_clear_pointer (&self->reason, g_free);

  G_OBJECT_CLASS (lk_bulk_reason_dialog_parent_class)->finalize (object);
}

static void
lk_bulk_reason_dialog_class_init (LkBulkReasonDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = lk_bulk_reason_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/leads/lk-bulk-reason-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LkBulkReasonDialog, reasons_list);
  gtk_widget_class_bind_template_child (widget_class, LkBulkReasonDialog, other_row);
  gtk_widget_class_bind_template_callback (widget_class, other_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, other_activated_cb);
}

static void
lk_bulk_reason_dialog_init (LkBulkReasonDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  add_reasons (self);
}

/**
 * lk_bulk_reason_dialog_new:
 * @parent: (nullable): the window it belongs to
 * @n_leads: how many leads are about to move
 * @stage_name: the name of the Lost stage, as the pipeline calls it
 */
LkBulkReasonDialog *
lk_bulk_reason_dialog_new (GtkWindow  *parent,
                           guint       n_leads,
                           const char *stage_name)
{
  LkBulkReasonDialog *self = g_object_new (LK_TYPE_BULK_REASON_DIALOG,
                                           "transient-for", parent,
                                           "modal", TRUE,
                                           NULL);

  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (self),
                                  /* Translators: %u is a number, %s the stage's name */
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "Moving %u lead to “%s” needs a reason, so the team can learn why leads are lost.",
                                               "Moving %u leads to “%s” needs a reason, so the team can learn why leads are lost.",
                                               n_leads),
                                  n_leads, stage_name);
  return self;
}

/* Returns: (nullable): the chosen reason, untranslated when it is one of
 *   the common ones; %NULL while there is none */
const char *
lk_bulk_reason_dialog_get_reason (LkBulkReasonDialog *self)
{
  g_return_val_if_fail (LK_IS_BULK_REASON_DIALOG (self), NULL);
  return self->reason;
}
