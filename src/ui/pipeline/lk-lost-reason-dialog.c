/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-lost-reason-dialog"

#include <glib/gi18n-lib.h>

#include "lk-lost-reason-dialog.h"
#include "lk-pipeline.h"

/* Asked when a lead is moved to Lost: the pipeline's gate wants a reason,
 * and the reports count them. The common reasons are one click; anything
 * else is typed. The stored reason is the untranslated common reason (so
 * every desktop shows it in its own language) or the typed text. */
struct _LkLostReasonDialog
{
  AdwMessageDialog  parent_instance;

  /* Template widgets */
  GtkListBox       *reasons;
  GtkEntry         *other_entry;

  /* Owned */
  GPtrArray        *checks;   /* GtkCheckButton per common reason */
};

G_DEFINE_FINAL_TYPE (LkLostReasonDialog, lk_lost_reason_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
update_response (LkLostReasonDialog *self)
{
  g_autofree char *reason = lk_lost_reason_dialog_get_reason (self);

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "move", reason != NULL);
}

static void
check_toggled_cb (LkLostReasonDialog *self,
                  GtkCheckButton     *check)
{
  if (gtk_check_button_get_active (check))
    gtk_editable_set_text (GTK_EDITABLE (self->other_entry), "");
  update_response (self);
}

static void
other_changed_cb (LkLostReasonDialog *self,
                  GtkEntry           *entry)
{
  if (gtk_entry_get_text_length (entry) > 0)
    for (guint i = 0; i < self->checks->len; i++)
      gtk_check_button_set_active (g_ptr_array_index (self->checks, i), FALSE);
  update_response (self);
}

static void
lk_lost_reason_dialog_finalize (GObject *object)
{
  LkLostReasonDialog *self = LK_LOST_REASON_DIALOG (object);

  g_clear_pointer (&self->checks, g_ptr_array_unref);

  G_OBJECT_CLASS (lk_lost_reason_dialog_parent_class)->finalize (object);
}

static void
lk_lost_reason_dialog_class_init (LkLostReasonDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = lk_lost_reason_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/pipeline/lk-lost-reason-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LkLostReasonDialog, reasons);
  gtk_widget_class_bind_template_child (widget_class, LkLostReasonDialog, other_entry);
  gtk_widget_class_bind_template_callback (widget_class, other_changed_cb);
}

static void
lk_lost_reason_dialog_init (LkLostReasonDialog *self)
{
  const char * const *reasons = lk_pipeline_get_lost_reasons ();
  GtkCheckButton *group = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->checks = g_ptr_array_new ();

  for (guint i = 0; reasons[i] != NULL; i++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (lk_pipeline_translate_reason (reasons[i]));
      GtkWidget *row = gtk_list_box_row_new ();

      g_object_set_data (G_OBJECT (check), "reason", (gpointer) reasons[i]);
      gtk_widget_add_css_class (check, "lost-reason");
      if (group == NULL)
        group = GTK_CHECK_BUTTON (check);
      else
        gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (check_toggled_cb), self);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), check);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_append (self->reasons, row);
      g_ptr_array_add (self->checks, check);
    }
}

/**
 * lk_lost_reason_dialog_new:
 * @lead_name: the lead's company or contact, for the body text
 */
LkLostReasonDialog *
lk_lost_reason_dialog_new (GtkWindow  *parent,
                           const char *lead_name)
{
  LkLostReasonDialog *self = g_object_new (LK_TYPE_LOST_REASON_DIALOG,
                                           "transient-for", parent,
                                           "modal", TRUE,
                                           NULL);

  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (self),
                                  _("“%s” moves to Lost. The reason helps the team see where leads are lost."),
                                  lead_name);
  return self;
}

/* The same question for several leads moved at once (the table). */
LkLostReasonDialog *
lk_lost_reason_dialog_new_for_leads (GtkWindow *parent,
                                     guint      n_leads)
{
  LkLostReasonDialog *self = g_object_new (LK_TYPE_LOST_REASON_DIALOG,
                                           "transient-for", parent,
                                           "modal", TRUE,
                                           NULL);

  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (self),
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "%u lead moves to Lost. The reason helps the team see where leads are lost.",
                                               "%u leads move to Lost. The reason helps the team see where leads are lost.",
                                               n_leads),
                                  n_leads);
  return self;
}

/* Returns: (nullable) (transfer full): the chosen or typed reason */
char *
lk_lost_reason_dialog_get_reason (LkLostReasonDialog *self)
{
  g_autofree char *typed = NULL;

  g_return_val_if_fail (LK_IS_LOST_REASON_DIALOG (self), NULL);

  for (guint i = 0; i < self->checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->checks, i);

      if (gtk_check_button_get_active (check))
        return g_strdup (g_object_get_data (G_OBJECT (check), "reason"));
    }
  typed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->other_entry))));
  return typed[0] != '\0' ? g_steal_pointer (&typed) : NULL;
}

/* Chooses a common reason when @reason is one, otherwise types it. */
void
lk_lost_reason_dialog_set_reason (LkLostReasonDialog *self,
                                  const char         *reason)
{
  g_return_if_fail (LK_IS_LOST_REASON_DIALOG (self));

  for (guint i = 0; i < self->checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->checks, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (check), "reason"), reason) == 0)
        {
          gtk_check_button_set_active (check, TRUE);
          return;
        }
    }
  gtk_editable_set_text (GTK_EDITABLE (self->other_entry), reason ? reason : "");
}
