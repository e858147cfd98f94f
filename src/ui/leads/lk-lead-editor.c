/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-lead-editor"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "followups/lk-followup-dialog.h"
#include "dedup/lk-merge-dialog.h"
#include "io/lk-export-ui.h"
#include "lk-date-row.h"
#include "lk-lead-editor-private.h"
#include "lk-lead-timeline.h"
#include "lk-tag-editor.h"
#include "lk-validate.h"
#include "lk-vocabulary.h"

/* The window that creates or edits one lead. It edits a copy: every
 * change of a widget is written to the copy at once (what cannot be, such
 * as an amount that is not a number, is kept as a message), the whole
 * form is validated after each change, and Save writes the copy through
 * the store. The fields themselves are in lk-lead-editor-fields.c; this
 * file is the window: loading, saving, closing, keyboard. */

G_DEFINE_FINAL_TYPE (LkLeadEditor, lk_lead_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_LEAD,
  PROP_CAN_SAVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SAVED,
  MERGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];


static void
ensure_css (void)
{
  static gsize loaded = 0;

  if (g_once_init_enter (&loaded))
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (provider, "/io/github/leadkeeper/Leadkeeper/leads/lk-lead-editor.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_once_init_leave (&loaded, 1);
    }
}

/* --- Closing ------------------------------------------------------------------ */

typedef struct
{
  LkLeadEditor *editor;
  gboolean      save;
} Answer;

static void
answer_free (Answer *answer)
{
  g_object_unref (answer->editor);
  g_free (answer);
}

static gboolean
answer_idle (gpointer data)
{
  Answer *answer = data;

  if (answer->save)
    lk_lead_editor_save (answer->editor);
  else
    {
      answer->editor->closing = TRUE;
      gtk_window_destroy (GTK_WINDOW (answer->editor));
    }
  return G_SOURCE_REMOVE;
}

static gboolean
restore_focus_idle (gpointer data)
{
  LkLeadEditor *self = data;

  if (self->focus_before != NULL)
    gtk_widget_grab_focus (self->focus_before);
  return G_SOURCE_REMOVE;
}

static void
discard_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     LkLeadEditor     *self)
{
  Answer *answer;

  if (!g_str_equal (response, "discard") && !g_str_equal (response, "save"))
    {
      /* Back to where the user was typing, once the dialog is gone. */
      g_idle_add_full (G_PRIORITY_DEFAULT, restore_focus_idle, g_object_ref (self), g_object_unref);
      return;
    }
  /* Closing the editor destroys the dialog's transient parent: not while
   * the dialog is still answering. */
  answer = g_new0 (Answer, 1);
  answer->editor = g_object_ref (self);
  answer->save = g_str_equal (response, "save");
  g_idle_add_full (G_PRIORITY_DEFAULT, answer_idle, answer, (GDestroyNotify) answer_free);
}

/* AdwMessageDialog is libadwaita 1.2's; AdwAlertDialog replaces it in 1.5. */
static void
ask_discard (LkLeadEditor *self)
{
  AdwMessageDialog *dialog;

  g_set_weak_pointer (&self->focus_before, gtk_root_get_focus (GTK_ROOT (self)));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Discard changes?"),
                                                       self->can_save
                                                         ? _("The changes to this lead have not been saved.")
                                                         : _("The changes to this lead have not been saved, and some need fixing before they can be.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (dialog, "save", self->can_save);
  adw_message_dialog_set_default_response (dialog, self->can_save ? "save" : "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (discard_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
lk_lead_editor_close_request (GtkWindow *window)
{
  LkLeadEditor *self = LK_LEAD_EDITOR (window);

  if (!self->closing && lk_lead_editor_is_dirty (self))
    {
      ask_discard (self);
      return TRUE;
    }
  return GTK_WINDOW_CLASS (lk_lead_editor_parent_class)->close_request (window);
}

/* --- Actions ---------------------------------------------------------------------- */

static void
show_toast (gpointer  owner,
            AdwToast *toast)
{
  adw_toast_overlay_add_toast (LK_LEAD_EDITOR (owner)->toast_overlay, toast);
}

/* The lead as the editor shows it now, saved or not */
static void
export_vcard_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  LkLeadEditor *self = LK_LEAD_EDITOR (widget);

  lk_export_ui_export_vcard (GTK_WINDOW (self), self->lead, show_toast, G_OBJECT (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  lk_lead_editor_save (LK_LEAD_EDITOR (widget));
}

/* Ctrl+S and Ctrl+Enter also when Save is disabled: then they point at
 * what needs fixing instead of doing nothing. */
static gboolean
save_shortcut (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  lk_lead_editor_save (LK_LEAD_EDITOR (widget));
  return TRUE;
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
pick_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LkLeadEditor *self = LK_LEAD_EDITOR (widget);
  const char *value = g_variant_get_string (parameter, NULL);
  Field *field;
  const char *shown;

  if (g_str_equal (action_name, "editor.pick-source"))
    {
      field = lk_lead_editor_field_of (self, LK_LEAD_SOURCE);
      shown = lk_vocabulary_source_name (value);
    }
  else
    {
      field = lk_lead_editor_field_of (self, LK_LEAD_LOST_REASON);
      shown = lk_pipeline_translate_reason (value);
    }
  gtk_editable_set_text (GTK_EDITABLE (field->widget), shown);
  gtk_widget_grab_focus (field->widget);
  gtk_editable_set_position (GTK_EDITABLE (field->widget), -1);
}

/* --- Log Follow-up ----------------------------------------------------------------- */

/* A follow-up changes the stored lead (contact times, next follow-up,
 * grade, score): the editor takes the stored lead as the one loaded, and
 * into its copy every field not edited here, so a later Save does not put
 * the old values back. */
static void
followup_logged_cb (LkLeadEditor     *self,
                    LkActivity       *followup,
                    gboolean          too_often,
                    LkFollowupDialog *dialog)
{
  LkRecordClass *klass = LK_RECORD_GET_CLASS (self->lead);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) stored = lk_store_get_lead (lk_context_get_store (self->context),
                                                lk_record_get_id (LK_RECORD (self->original)), &error);

  if (stored == NULL)
    {
      g_warning ("Could not read the lead back: %s", error->message);
      return;
    }
  for (guint i = 0; i < klass->n_fields; i++)
    if (lk_record_field_equal (LK_RECORD (self->original), LK_RECORD (self->lead), i))
      {
        GParamSpec *pspec = klass->field_pspecs[i];
        g_auto(GValue) value = G_VALUE_INIT;

        g_value_init (&value, pspec->value_type);
        g_object_get_property (G_OBJECT (stored), pspec->name, &value);
        g_object_set_property (G_OBJECT (self->lead), pspec->name, &value);
      }
  g_set_object (&self->original, stored);
  /* Loading sets up the choices again: not a change of the user's. */
  self->loading = TRUE;
  lk_lead_editor_load (self);
}

static void
log_followup_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  LkLeadEditor *self = LK_LEAD_EDITOR (widget);
  g_autoptr(GError) error = NULL;
  LkFollowupDialog *dialog;

  if (self->is_new)
    return;
  dialog = lk_followup_dialog_open (GTK_WINDOW (self), self->context,
                                    lk_record_get_id (LK_RECORD (self->original)), &error);
  if (dialog == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  g_signal_connect_object (dialog, "logged", G_CALLBACK (followup_logged_cb), self, G_CONNECT_SWAPPED);
}

/* --- Duplicates ------------------------------------------------------------------- */

/* The banner's Open: the lead already there, in the main window's editor */
static void
duplicate_open_cb (LkLeadEditor *self,
                   LkLead       *match)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.open-lead", "s", lk_record_get_id (LK_RECORD (match)));
}

static void
duplicate_merged_cb (LkLeadEditor  *self,
                     const char    *primary_id,
                     guint          n_merged,
                     const char    *merge_id,
                     LkMergeDialog *dialog)
{
  /* This lead is now the one kept, or a tombstone: the editor's copy is stale */
  g_object_ref (self);
  g_signal_emit (self, signals[MERGED], 0, primary_id, merge_id);
  self->closing = TRUE;
  gtk_window_close (GTK_WINDOW (self));
  g_object_unref (self);
}

/* The banner's Merge: for a saved lead, this lead and the one already
 * there, the older kept first; for a new one, what was typed goes into
 * the one already there, and no lead is added (lk_store_merge_typed()). */
static void
duplicate_merge_cb (LkLeadEditor *self,
                    LkLead       *match)
{
  g_autoptr(GPtrArray) leads = g_ptr_array_new ();
  LkMergeDialog *dialog;

  if (self->is_new)
    {
      g_autoptr(LkLead) typed = lk_lead_copy (self->lead);
      g_autoptr(GError) error = NULL;

      /* As it would be saved (a phone in E.164): the dialog then offers
       * only what really differs */
      if (!lk_lead_normalize (typed, self->phone_region, &error))
        {
          adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
          return;
        }
      dialog = lk_merge_dialog_new_typed (self->context, match, typed);
      gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
      g_signal_connect_object (dialog, "merged", G_CALLBACK (duplicate_merged_cb), self, G_CONNECT_SWAPPED);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  if (lk_lead_editor_is_dirty (self))
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("Save or cancel your changes before merging")));
      return;
    }
  g_ptr_array_add (leads, match);
  g_ptr_array_add (leads, self->original);
  dialog = lk_merge_dialog_new (self->context, leads);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  g_signal_connect_object (dialog, "merged", G_CALLBACK (duplicate_merged_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- GObject ------------------------------------------------------------------------ */

static void
lk_lead_editor_constructed (GObject *object)
{
  LkLeadEditor *self = LK_LEAD_EDITOR (object);
  g_autofree char *region = NULL;

  G_OBJECT_CLASS (lk_lead_editor_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  self->is_new = self->original == NULL;
  if (self->original == NULL)
    self->original = lk_lead_new ();
  /* A new lead, or one another program wrote without a currency: the
   * team's, as the store would give it */
  if (lk_record_get_string (LK_RECORD (self->original), LK_LEAD_CURRENCY)[0] == '\0')
    {
      g_autofree char *currency = lk_store_get_currency (lk_context_get_store (self->context));

      lk_record_set_string (LK_RECORD (self->original), LK_LEAD_CURRENCY, currency);
    }
  self->lead = lk_lead_copy (self->original);
  region = lk_store_get_local (lk_context_get_store (self->context), "phone-region");
  self->phone_region = g_strdup (region ? region : LK_DEFAULT_PHONE_REGION);

  lk_duplicate_banner_set_context (self->duplicate_banner, self->context);
  g_object_set (self->duplicate_banner, "show-merge", TRUE, NULL);
  lk_lead_editor_load (self);
  lk_lead_editor_connect_fields (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.log-followup", !self->is_new);
  /* The first field, without selecting what an existing lead has there:
   * a key pressed by habit must not replace the contact's name. */
  if (self->is_new)
    gtk_window_set_focus (GTK_WINDOW (self), self->contact_row);
  else
    gtk_text_grab_focus_without_selecting (GTK_TEXT (gtk_editable_get_delegate (GTK_EDITABLE (self->contact_row))));
}

static void
lk_lead_editor_dispose (GObject *object)
{
  LkLeadEditor *self = LK_LEAD_EDITOR (object);

  lk_lead_editor_dispose_fields (self);
  g_clear_weak_pointer (&self->focus_before);
  g_clear_object (&self->lead);
  g_clear_object (&self->original);
  g_clear_object (&self->context);
  g_clear_pointer (&self->owner_ids, g_ptr_array_unref);
  g_clear_pointer (&self->phone_region, g_free);

  G_OBJECT_CLASS (lk_lead_editor_parent_class)->dispose (object);
}

static void
lk_lead_editor_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LkLeadEditor *self = LK_LEAD_EDITOR (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_LEAD:
      g_value_set_object (value, self->lead);
      break;
    case PROP_CAN_SAVE:
      g_value_set_boolean (value, self->can_save);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_lead_editor_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  LkLeadEditor *self = LK_LEAD_EDITOR (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_LEAD:
      {
        LkLead *lead = g_value_get_object (value);

        /* Our own copy: the caller's lead (a list's item) never changes under it. */
        self->original = lead ? lk_lead_copy (lead) : NULL;
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_lead_editor_class_init (LkLeadEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = lk_lead_editor_constructed;
  object_class->dispose = lk_lead_editor_dispose;
  object_class->get_property = lk_lead_editor_get_property;
  object_class->set_property = lk_lead_editor_set_property;
  window_class->close_request = lk_lead_editor_close_request;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, LK_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Construct with the lead to edit (copied), or none for a new lead;
   * read it back for the edited copy. */
  properties[PROP_LEAD] =
    g_param_spec_object ("lead", NULL, NULL, LK_TYPE_LEAD,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_SAVE] =
    g_param_spec_boolean ("can-save", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LkLeadEditor::saved:
   * @lead: the lead as saved (the editor's copy)
   *
   * Emitted after the store saved the lead, just before the editor closes.
   */
  signals[SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, LK_TYPE_LEAD);
  /**
   * LkLeadEditor::merged:
   * @primary_id: the lead kept
   * @merge_id: the merge, for lk_store_unmerge()
   *
   * Emitted after the banner's Merge merged this lead (saved or being
   * typed) with the one already there, just before the editor closes.
   */
  signals[MERGED] =
    g_signal_new ("merged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/leads/lk-lead-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, LkLeadEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LkLeadEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, LkLeadEditor, stage_row);
  gtk_widget_class_bind_template_child (widget_class, LkLeadEditor, lost_reason_row);
  gtk_widget_class_bind_template_child (widget_class, LkLeadEditor, owner_row);
  gtk_widget_class_bind_template_child (widget_class, LkLeadEditor, bant_row);
  gtk_widget_class_bind_template_child (widget_class, LkLeadEditor, amount_symbol);
  gtk_widget_class_bind_template_child (widget_class, LkLeadEditor, budget_symbol);
  gtk_widget_class_bind_template_child (widget_class, LkLeadEditor, lost_reason_button);
  gtk_widget_class_bind_template_child (widget_class, LkLeadEditor, source_button);
  gtk_widget_class_bind_template_child (widget_class, LkLeadEditor, history_group);
  gtk_widget_class_bind_template_child (widget_class, LkLeadEditor, timeline);
  gtk_widget_class_bind_template_child (widget_class, LkLeadEditor, contact_row);
  gtk_widget_class_bind_template_child (widget_class, LkLeadEditor, duplicate_banner);
  gtk_widget_class_bind_template_callback (widget_class, duplicate_open_cb);
  gtk_widget_class_bind_template_callback (widget_class, duplicate_merge_cb);
  gtk_widget_class_bind_template_child (widget_class, LkLeadEditor, score_explanation);
  lk_lead_editor_class_bind_fields (widget_class);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "editor.export-vcard", NULL, export_vcard_action);
  gtk_widget_class_install_action (widget_class, "editor.pick-source", "s", pick_action);
  gtk_widget_class_install_action (widget_class, "editor.pick-reason", "s", pick_action);
  gtk_widget_class_install_action (widget_class, "editor.log-followup", NULL, log_followup_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "editor.log-followup", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, save_shortcut, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, save_shortcut, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, save_shortcut, NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "editor.cancel", NULL);

  g_type_ensure (LK_TYPE_DATE_ROW);
  g_type_ensure (LK_TYPE_TAG_EDITOR);
  g_type_ensure (LK_TYPE_LEAD_TIMELINE);
  g_type_ensure (LK_TYPE_DUPLICATE_BANNER);
  g_type_ensure (LK_TYPE_SCORE_EXPLANATION);
}

static void
lk_lead_editor_init (LkLeadEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  ensure_css ();
  self->owner_ids = g_ptr_array_new_with_free_func (g_free);
  lk_lead_editor_init_fields (self);
}

/* --- Private API (lk-lead-editor-private.h) ------------------------------------------ */

/* Called by each validation: Save, Ctrl+S and the property follow it. */
void
lk_lead_editor_set_can_save (LkLeadEditor *self,
                             gboolean      can_save)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", can_save);
  if (can_save == self->can_save)
    return;
  self->can_save = can_save;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_SAVE]);
}

/* --- Public API ------------------------------------------------------------------------ */

/**
 * lk_lead_editor_new:
 * @lead: (nullable): the lead to edit (the editor edits a copy); %NULL
 *   for a new lead
 *
 * Returns: (transfer none): a new editor window; set its transient parent
 *   and present it. It closes itself after a save (see ::saved).
 */
LkLeadEditor *
lk_lead_editor_new (LkContext *context,
                    LkLead    *lead)
{
  g_return_val_if_fail (LK_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (lead == NULL || LK_IS_LEAD (lead), NULL);

  return g_object_new (LK_TYPE_LEAD_EDITOR, "context", context, "lead", lead, NULL);
}

/* Returns: (transfer none): the copy being edited; after a save, as saved */
LkLead *
lk_lead_editor_get_lead (LkLeadEditor *self)
{
  g_return_val_if_fail (LK_IS_LEAD_EDITOR (self), NULL);
  return self->lead;
}

gboolean
lk_lead_editor_is_new (LkLeadEditor *self)
{
  g_return_val_if_fail (LK_IS_LEAD_EDITOR (self), FALSE);
  return self->is_new;
}

/* Whether anything differs from the lead as loaded, text that could not
 * be taken yet (an amount that is not a number) included. */
gboolean
lk_lead_editor_is_dirty (LkLeadEditor *self)
{
  g_return_val_if_fail (LK_IS_LEAD_EDITOR (self), FALSE);

  for (guint i = 0; i < LK_LEAD_EDITOR_N_FIELDS; i++)
    if (self->fields[i].error && self->fields[i].touched)
      return TRUE;
  return !lk_record_equal (LK_RECORD (self->lead), LK_RECORD (self->original));
}

gboolean
lk_lead_editor_can_save (LkLeadEditor *self)
{
  g_return_val_if_fail (LK_IS_LEAD_EDITOR (self), FALSE);
  return self->can_save;
}

/**
 * lk_lead_editor_save:
 *
 * What Save does: when the form is valid, writes the lead through the
 * store, emits ::saved and closes the editor. When the form is not valid,
 * or the store refuses (a pipeline gate, a deleted lead), the editor
 * stays open, shows why and returns %FALSE.
 */
gboolean
lk_lead_editor_save (LkLeadEditor *self)
{
  LkStore *store;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_return_val_if_fail (LK_IS_LEAD_EDITOR (self), FALSE);

  if (!self->can_save)
    {
      self->save_attempted = TRUE;
      lk_lead_editor_validate (self);
      lk_lead_editor_focus_first_problem (self);
      return FALSE;
    }

  store = lk_context_get_store (self->context);
  if (self->is_new)
    ok = lk_store_create_lead (store, self->lead, &error);
  else
    {
      gboolean moved_to_lost = lk_lead_editor_is_lost (self) &&
                               !g_str_equal (lk_lead_get_stage (self->original), lk_lead_get_stage (self->lead));

      ok = lk_store_update_lead (store, self->lead,
                                 moved_to_lost ? lk_record_get_string (LK_RECORD (self->lead), LK_LEAD_LOST_REASON) : NULL,
                                 &error);
    }
  if (!ok)
    {
      AdwToast *toast = adw_toast_new (error->message);

      adw_toast_set_timeout (toast, 0);  /* stays until dismissed: it says why nothing was saved */
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
      return FALSE;
    }

  g_object_ref (self);
  g_signal_emit (self, signals[SAVED], 0, self->lead);
  self->closing = TRUE;
  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);
  return TRUE;
}

/**
 * lk_lead_editor_set_field_text:
 * @field_name: a field of the lead document: "company", "email",
 *   "bant.budget", …
 * @text: what to type. Entries get it as their text; choices (grade,
 *   temperature, stage, owner) take a stored value or the name shown;
 *   switches take true/false; tags are typed into the tag entry and
 *   committed (so they are added); dates as 2024-05-03.
 *
 * Changes a field through its widget, the same path as the user typing.
 *
 * Returns: %FALSE when the field is read-only or @text is not one of a
 *   choice's values
 */
gboolean
lk_lead_editor_set_field_text (LkLeadEditor *self,
                               const char   *field_name,
                               const char   *text)
{
  Field *field;

  g_return_val_if_fail (LK_IS_LEAD_EDITOR (self), FALSE);
  g_return_val_if_fail (field_name != NULL, FALSE);

  field = lk_lead_editor_find_field (self, field_name);
  g_return_val_if_fail (field != NULL, FALSE);
  if (text == NULL)
    text = "";

  return lk_lead_editor_type_text (self, field, text);
}

/**
 * lk_lead_editor_get_message:
 *
 * Returns: (nullable): the message shown under @field_name's row (an
 *   error or a hint), or %NULL. The company-or-contact rule is shown
 *   under Company and returned for both fields.
 */
const char *
lk_lead_editor_get_message (LkLeadEditor *self,
                            const char   *field_name)
{
  Field *field;

  g_return_val_if_fail (LK_IS_LEAD_EDITOR (self), NULL);
  g_return_val_if_fail (field_name != NULL, NULL);

  field = lk_lead_editor_find_field (self, field_name);
  g_return_val_if_fail (field != NULL, NULL);
  return field->message;
}
