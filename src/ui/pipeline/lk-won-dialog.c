/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-won-dialog"

#include <glib/gi18n-lib.h>

#include "lk-format.h"
#include "lk-lead.h"
#include "lk-won-dialog.h"

/* Asked when a lead is moved to Won: the amount it closed at is what the
 * win-rate and revenue reports count, so it is confirmed (and corrected)
 * at the moment it is known best. */
struct _LkWonDialog
{
  AdwMessageDialog  parent_instance;

  /* Template widgets */
  GtkEntry         *amount_entry;
  GtkLabel         *message_label;

  /* Owned */
  char             *currency;
};

G_DEFINE_FINAL_TYPE (LkWonDialog, lk_won_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
amount_changed_cb (LkWonDialog *self,
                   GtkEntry    *entry)
{
  gint64 amount;
  gboolean valid = lk_won_dialog_get_amount (self, &amount);

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "won", valid);
  if (valid)
    {
      g_autofree char *shown = lk_format_money (amount, self->currency);

      gtk_label_set_text (self->message_label, shown);
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
    }
  else
    {
      gtk_label_set_text (self->message_label, _("Enter the amount as a number, such as 125000 or 125000.50"));
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
    }
}

static void
lk_won_dialog_finalize (GObject *object)
{
  LkWonDialog *self = LK_WON_DIALOG (object);

  g_clear_pointer (&self->currency, g_free);

  G_OBJECT_CLASS (lk_won_dialog_parent_class)->finalize (object);
}

static void
lk_won_dialog_class_init (LkWonDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = lk_won_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/pipeline/lk-won-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LkWonDialog, amount_entry);
  gtk_widget_class_bind_template_child (widget_class, LkWonDialog, message_label);
  gtk_widget_class_bind_template_callback (widget_class, amount_changed_cb);
}

static void
lk_won_dialog_init (LkWonDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

LkWonDialog *
lk_won_dialog_new (GtkWindow  *parent,
                   const char *lead_name,
                   gint64      amount,
                   const char *currency)
{
  LkWonDialog *self = g_object_new (LK_TYPE_WON_DIALOG, "transient-for", parent, "modal", TRUE, NULL);
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT ".%02d", amount / 100, (int) (amount % 100));

  self->currency = g_strdup (currency != NULL && currency[0] != '\0' ? currency : lk_format_locale_currency ());
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (self),
                                  _("Congratulations! Confirm the amount “%s” was won at; it counts in the win reports."),
                                  lead_name);
  gtk_editable_set_text (GTK_EDITABLE (self->amount_entry), text);
  amount_changed_cb (self, self->amount_entry);
  return self;
}

/* Returns: whether the entry holds a valid, non-negative amount */
gboolean
lk_won_dialog_get_amount (LkWonDialog *self,
                          gint64      *amount)
{
  g_autoptr(LkLead) scratch = lk_lead_new ();

  g_return_val_if_fail (LK_IS_WON_DIALOG (self), FALSE);

  /* The same parser as every other amount field. */
  if (!lk_record_set_from_text (LK_RECORD (scratch), LK_LEAD_AMOUNT,
                                gtk_editable_get_text (GTK_EDITABLE (self->amount_entry)), NULL))
    return FALSE;
  *amount = lk_lead_get_amount (scratch);
  return TRUE;
}

void
lk_won_dialog_set_amount_text (LkWonDialog *self,
                               const char  *text)
{
  g_return_if_fail (LK_IS_WON_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->amount_entry), text);
}
