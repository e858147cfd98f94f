/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-prepare-server-dialog"

#include <glib/gi18n-lib.h>

#include "preferences/lk-prepare-server-dialog.h"

/* Asks for the server administrator's account, used once to prepare the
 * team's database and never stored. The preferences window does the work
 * when the answer is "prepare". */
struct _LkPrepareServerDialog
{
  AdwMessageDialog  parent_instance;

  /* Template widgets */
  AdwEntryRow      *admin_row;
  AdwEntryRow      *password_row;
};

G_DEFINE_FINAL_TYPE (LkPrepareServerDialog, lk_prepare_server_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
changed_cb (LkPrepareServerDialog *self)
{
  gboolean ready = gtk_editable_get_text (GTK_EDITABLE (self->admin_row))[0] != '\0'
                   && gtk_editable_get_text (GTK_EDITABLE (self->password_row))[0] != '\0';

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "prepare", ready);
}

static void
lk_prepare_server_dialog_class_init (LkPrepareServerDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/preferences/lk-prepare-server-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LkPrepareServerDialog, admin_row);
  gtk_widget_class_bind_template_child (widget_class, LkPrepareServerDialog, password_row);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
}

static void
lk_prepare_server_dialog_init (LkPrepareServerDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

LkPrepareServerDialog *
lk_prepare_server_dialog_new (GtkWindow  *parent,
                              const char *server_url,
                              const char *database)
{
  LkPrepareServerDialog *self;

  g_return_val_if_fail (server_url != NULL, NULL);
  g_return_val_if_fail (database != NULL, NULL);

  self = g_object_new (LK_TYPE_PREPARE_SERVER_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (self),
                                  _("Leadkeeper creates the database “%s” on %s if it is missing, with the rules that let the team’s users in and keep malformed leads out. This needs the server administrator’s account, which is used once and not saved."),
                                  database, server_url);
  return self;
}

const char *
lk_prepare_server_dialog_get_admin_user (LkPrepareServerDialog *self)
{
  g_return_val_if_fail (LK_IS_PREPARE_SERVER_DIALOG (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->admin_row));
}

const char *
lk_prepare_server_dialog_get_admin_password (LkPrepareServerDialog *self)
{
  g_return_val_if_fail (LK_IS_PREPARE_SERVER_DIALOG (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->password_row));
}
