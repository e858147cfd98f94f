/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-merge-dialog"

#include <glib/gi18n-lib.h>

#include "lk-format.h"
#include "lk-merge-dialog.h"
#include "lk-store-merge.h"
#include "lk-vocabulary.h"

/* Merge a group of duplicates: the lead to keep (a radio button per
 * lead), and per field where the leads differ, the value to keep (a radio
 * button per value). Choosing another lead to keep puts every choice back
 * to that lead's values. Merge asks for a confirmation, then merges in one
 * transaction (lk_store_merge_leads()) and emits ::merged.
 *
 * For a lead being typed (lk_merge_dialog_new_typed()) the lead already
 * there is the one kept, its owner and stage stay, and the lead typed is
 * not added (lk_store_merge_typed()). */

/* The fields offered, in the order of the editor */
static const struct
{
  LkLeadField  field;
  const char  *label;
} offered[] = {
  { LK_LEAD_COMPANY,        NC_("field", "Company") },
  { LK_LEAD_CONTACT,        NC_("field", "Contact") },
  { LK_LEAD_TITLE,          NC_("field", "Job title") },
  { LK_LEAD_PHONE,          NC_("field", "Phone") },
  { LK_LEAD_EMAIL,          NC_("field", "Email") },
  { LK_LEAD_IM,             NC_("field", "WeChat/IM") },
  { LK_LEAD_INDUSTRY,       NC_("field", "Industry") },
  { LK_LEAD_COMPANY_SIZE,   NC_("field", "Company size") },
  { LK_LEAD_REGION,         NC_("field", "Region") },
  { LK_LEAD_SOURCE,         NC_("field", "Source") },
  { LK_LEAD_CAMPAIGN,       NC_("field", "Campaign") },
  { LK_LEAD_NEEDS,          NC_("field", "Needs") },
  { LK_LEAD_BUDGET,         NC_("field", "Budget") },
  { LK_LEAD_AMOUNT,         NC_("field", "Amount") },
  { LK_LEAD_GRADE,          NC_("field", "Grade") },
  { LK_LEAD_OWNER,          NC_("field", "Owner") },
  { LK_LEAD_STAGE,          NC_("field", "Stage") },
};

typedef struct
{
  guint      field;   /* LkLeadField */
  GPtrArray *buttons; /* GtkCheckButton, one per distinct value */
  GArray    *leads;   /* guint: the index of a lead with that value, per button */
} Choice;

struct _LkMergeDialog
{
  AdwWindow            parent_instance;

  /* Template widgets */
  AdwToastOverlay     *toast_overlay;
  AdwPreferencesGroup *primary_group;
  AdwPreferencesGroup *fields_group;
  GtkWidget           *merge_button;

  /* Owned */
  LkContext           *context;
  GPtrArray           *leads;            /* LkLead */
  GPtrArray           *primary_buttons;  /* GtkCheckButton, one per lead */
  GArray              *choices;          /* Choice */

  guint                primary;
  gboolean             typed;            /* the second lead is being typed, not saved */
};

G_DEFINE_FINAL_TYPE (LkMergeDialog, lk_merge_dialog, ADW_TYPE_WINDOW)

enum {
  MERGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
choice_clear (Choice *choice)
{
  g_clear_pointer (&choice->buttons, g_ptr_array_unref);
  g_clear_pointer (&choice->leads, g_array_unref);
}

/* The value as a person reads it: names, not ids */
static char *
value_text (LkMergeDialog *self,
            LkLead        *lead,
            guint          field)
{
  LkRecord *record = LK_RECORD (lead);

  switch (field)
    {
    case LK_LEAD_OWNER:
      {
        const char *owner = lk_lead_get_owner (lead);
        LkUser *user;

        if (owner == NULL)
          /* An owner is chosen like any value, the pool included */
          return g_strdup (_("Nobody (the pool)"));
        user = g_hash_table_lookup (lk_store_get_users_by_id (lk_context_get_store (self->context)), owner);
        return g_strdup (user ? lk_user_get_display_name (user) : lk_user_id_get_name (owner));
      }
    case LK_LEAD_STAGE:
      {
        LkStage *stage = lk_pipeline_lookup (lk_context_get_pipeline (self->context), lk_lead_get_stage (lead));

        return g_strdup (stage ? lk_stage_get_name (stage) : lk_lead_get_stage (lead));
      }
    case LK_LEAD_SOURCE:
      {
        const char *source = lk_record_get_string (record, field);

        return source[0] ? g_strdup (lk_vocabulary_source_name (source)) : NULL;
      }
    case LK_LEAD_BUDGET:
    case LK_LEAD_AMOUNT:
      return lk_record_get_int (record, field) != 0
             ? lk_format_money (lk_record_get_int (record, field), lk_record_get_string (record, LK_LEAD_CURRENCY))
             : NULL;
    default:
      {
        g_autofree char *text = lk_record_format_field (record, field);

        return text != NULL && text[0] != '\0' ? g_steal_pointer (&text) : NULL;
      }
    }
}

/* Every choice back to the primary's values, or the first lead's that
 * has one where the primary has none (what the merge does by default) */
static void
choose_defaults (LkMergeDialog *self)
{
  for (guint i = 0; i < self->choices->len; i++)
    {
      Choice *choice = &g_array_index (self->choices, Choice, i);
      guint pick = 0;

      for (guint b = 0; b < choice->buttons->len; b++)
        {
          LkLead *lead = g_ptr_array_index (self->leads, g_array_index (choice->leads, guint, b));
          LkLead *primary = g_ptr_array_index (self->leads, self->primary);
          g_autofree char *mine = value_text (self, primary, choice->field);
          g_autofree char *text = value_text (self, lead, choice->field);

          if (g_strcmp0 (mine, text) == 0)
            {
              pick = b;
              break;
            }
        }
      gtk_check_button_set_active (g_ptr_array_index (choice->buttons, pick), TRUE);
    }
}

static void
primary_toggled_cb (LkMergeDialog  *self,
                    GtkCheckButton *button)
{
  guint index;

  if (!gtk_check_button_get_active (button) ||
      !g_ptr_array_find (self->primary_buttons, button, &index) || index == self->primary)
    return;
  self->primary = index;
  choose_defaults (self);
}

static void
add_primary_rows (LkMergeDialog *self)
{
  GTimeZone *tz = lk_clock_get_timezone (lk_context_get_clock (self->context));

  for (guint i = 0; i < (self->typed ? 1 : self->leads->len); i++)
    {
      LkLead *lead = g_ptr_array_index (self->leads, i);
      AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
      GtkWidget *button = gtk_check_button_new ();
      g_autofree char *owner = lk_lead_get_owner (lead) ? value_text (self, lead, LK_LEAD_OWNER) : NULL;
      g_autofree char *since = lk_format_date (lk_record_get_int (LK_RECORD (lead), LK_LEAD_CREATED_AT), tz);
      g_autofree char *subtitle = NULL;

      if (owner != NULL)
        /* Translators: a lead in the merge dialog: "Owned by 李雷, created 3 May 2024" */
        subtitle = g_strdup_printf (_("Owned by %s, created %s"), owner, since);
      else
        /* Translators: as "Owned by …", for a lead in the pool */
        subtitle = g_strdup_printf (_("In the pool, created %s"), since);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), lk_lead_get_display_name (lead));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (row, subtitle);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      /* The lead typed is never the one kept: nothing to choose */
      gtk_widget_set_visible (button, !self->typed);
      if (i > 0)
        gtk_check_button_set_group (GTK_CHECK_BUTTON (button), g_ptr_array_index (self->primary_buttons, 0));
      adw_action_row_add_prefix (row, button);
      adw_action_row_set_activatable_widget (row, button);
      g_signal_connect_object (button, "toggled", G_CALLBACK (primary_toggled_cb), self, G_CONNECT_SWAPPED);
      g_ptr_array_add (self->primary_buttons, button);
      adw_preferences_group_add (self->primary_group, GTK_WIDGET (row));
    }
}

static void
add_field_rows (LkMergeDialog *self)
{
  for (guint f = 0; f < G_N_ELEMENTS (offered); f++)
    {
      Choice choice = { 0 };
      g_autoptr(GPtrArray) texts = NULL;
      GtkWidget *box;
      AdwActionRow *row;

      /* A lead being typed has no owner or stage yet: the lead there keeps its own */
      if (self->typed && (offered[f].field == LK_LEAD_OWNER || offered[f].field == LK_LEAD_STAGE))
        continue;
      choice = (Choice) { offered[f].field, g_ptr_array_new (), g_array_new (FALSE, FALSE, sizeof (guint)) };
      texts = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; i < self->leads->len; i++)
        {
          char *text = value_text (self, g_ptr_array_index (self->leads, i), offered[f].field);

          if (text == NULL || g_ptr_array_find_with_equal_func (texts, text, g_str_equal, NULL))
            {
              g_free (text);
              continue;
            }
          g_ptr_array_add (texts, text);
          g_array_append_val (choice.leads, i);
        }
      /* Nothing to choose where the leads agree */
      if (texts->len < 2)
        {
          choice_clear (&choice);
          continue;
        }
      row = ADW_ACTION_ROW (adw_action_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), g_dpgettext2 (GETTEXT_PACKAGE, "field", offered[f].label));
      box = gtk_flow_box_new ();
      gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (box), GTK_SELECTION_NONE);
      gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (box), 3);
      gtk_widget_set_hexpand (box, TRUE);
      gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
      for (guint b = 0; b < texts->len; b++)
        {
          GtkWidget *button = gtk_check_button_new_with_label (g_ptr_array_index (texts, b));

          if (b > 0)
            gtk_check_button_set_group (GTK_CHECK_BUTTON (button), g_ptr_array_index (choice.buttons, 0));
          gtk_widget_set_name (button, lk_record_class_get_fields (g_type_class_peek (LK_TYPE_LEAD), NULL)[offered[f].field].name);
          g_ptr_array_add (choice.buttons, button);
          gtk_flow_box_append (GTK_FLOW_BOX (box), button);
        }
      adw_action_row_add_suffix (row, box);
      adw_preferences_group_add (self->fields_group, GTK_WIDGET (row));
      g_array_append_val (self->choices, choice);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->fields_group), self->choices->len > 0);
}

static void
confirm_response_cb (LkMergeDialog    *self,
                     const char       *response,
                     AdwMessageDialog *dialog)
{
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "merge"))
    return;
  if (!lk_merge_dialog_merge (self, &error))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
}

static void
confirm_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LkMergeDialog *self = LK_MERGE_DIALOG (widget);
  LkLead *primary = g_ptr_array_index (self->leads, self->primary);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (self->typed)
    {
      /* Translators: %s is the lead already there */
      heading = g_strdup_printf (_("Merge Into “%s”?"), lk_lead_get_display_name (primary));
      body = g_strdup (_("The lead already there takes the values chosen, and the lead being typed is not added. Undo adds it after all."));
    }
  else
    {
      heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Merge %u Lead?", "Merge %u Leads?", self->leads->len),
                                 self->leads->len);
      /* Translators: %s is the lead kept */
      body = g_strdup_printf (_("“%s” is kept with the values chosen. The other leads are deleted on every computer of the team after the next sync; their follow-ups and history move to the lead kept."),
                              lk_lead_get_display_name (primary));
    }
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "merge", _("_Merge"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "merge",
                                              self->typed ? ADW_RESPONSE_SUGGESTED : ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
lk_merge_dialog_dispose (GObject *object)
{
  LkMergeDialog *self = LK_MERGE_DIALOG (object);

  g_clear_object (&self->context);
  g_clear_pointer (&self->leads, g_ptr_array_unref);
  g_clear_pointer (&self->primary_buttons, g_ptr_array_unref);
  g_clear_pointer (&self->choices, g_array_unref);
  G_OBJECT_CLASS (lk_merge_dialog_parent_class)->dispose (object);
}

static void
lk_merge_dialog_class_init (LkMergeDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_merge_dialog_dispose;

  /* The lead kept, how many were merged into it, and the merge's id
   * (lk_store_unmerge()) */
  signals[MERGED] = g_signal_new ("merged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/leadkeeper/Leadkeeper/dedup/lk-merge-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LkMergeDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LkMergeDialog, primary_group);
  gtk_widget_class_bind_template_child (widget_class, LkMergeDialog, fields_group);
  gtk_widget_class_bind_template_child (widget_class, LkMergeDialog, merge_button);

  gtk_widget_class_install_action (widget_class, "merge.confirm", NULL, confirm_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
lk_merge_dialog_init (LkMergeDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->primary_buttons = g_ptr_array_new ();
  self->choices = g_array_new (FALSE, TRUE, sizeof (Choice));
  g_array_set_clear_func (self->choices, (GDestroyNotify) choice_clear);
}

/**
 * lk_merge_dialog_new:
 * @leads: (element-type LkLead): two or more leads, the one to keep first
 */
LkMergeDialog *
lk_merge_dialog_new (LkContext *context,
                     GPtrArray *leads)
{
  LkMergeDialog *self;

  g_return_val_if_fail (LK_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (leads != NULL && leads->len >= 2, NULL);

  self = g_object_new (LK_TYPE_MERGE_DIALOG, NULL);
  self->context = g_object_ref (context);
  self->leads = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < leads->len; i++)
    g_ptr_array_add (self->leads, g_object_ref (g_ptr_array_index (leads, i)));
  add_primary_rows (self);
  add_field_rows (self);
  gtk_check_button_set_active (g_ptr_array_index (self->primary_buttons, 0), TRUE);
  choose_defaults (self);
  return self;
}

/**
 * lk_merge_dialog_new_typed:
 * @match: the lead already there, which is kept
 * @typed: the lead being typed (quick capture, a new lead's editor)
 *
 * A merge of a lead being typed into the lead already there: the values
 * to take, and ::merged once the lead there has them; the lead typed is
 * never added.
 */
LkMergeDialog *
lk_merge_dialog_new_typed (LkContext *context,
                           LkLead    *match,
                           LkLead    *typed)
{
  LkMergeDialog *self;
  LkLead *copy;

  g_return_val_if_fail (LK_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (LK_IS_LEAD (match), NULL);
  g_return_val_if_fail (LK_IS_LEAD (typed), NULL);

  self = g_object_new (LK_TYPE_MERGE_DIALOG, NULL);
  self->context = g_object_ref (context);
  self->typed = TRUE;
  self->leads = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->leads, g_object_ref (match));
  /* An id of its own, so that a choice can name it */
  copy = lk_lead_copy (typed);
  lk_record_ensure_id (LK_RECORD (copy));
  g_ptr_array_add (self->leads, copy);
  gtk_window_set_title (GTK_WINDOW (self), _("Merge Into the Lead There"));
  /* Nothing is deleted: the lead there only takes values (and Undo is there) */
  gtk_widget_remove_css_class (self->merge_button, "destructive-action");
  gtk_widget_add_css_class (self->merge_button, "suggested-action");
  adw_preferences_group_set_title (self->primary_group, _("Lead Already There"));
  adw_preferences_group_set_description (self->primary_group,
                                         _("It takes the values chosen below; its owner, stage, follow-ups and history stay. The lead being typed is not added."));
  add_primary_rows (self);
  add_field_rows (self);
  gtk_check_button_set_active (g_ptr_array_index (self->primary_buttons, 0), TRUE);
  choose_defaults (self);
  return self;
}

void
lk_merge_dialog_set_primary (LkMergeDialog *self,
                             guint          index)
{
  g_return_if_fail (LK_IS_MERGE_DIALOG (self));
  g_return_if_fail (index < self->primary_buttons->len);

  gtk_check_button_set_active (g_ptr_array_index (self->primary_buttons, index), TRUE);
}

/* Keeps the value of @field that the lead @index has; %FALSE when the
 * dialog offers no choice there (the leads agree, or that lead has none) */
gboolean
lk_merge_dialog_choose (LkMergeDialog *self,
                        const char    *field,
                        guint          index)
{
  g_return_val_if_fail (LK_IS_MERGE_DIALOG (self), FALSE);

  for (guint i = 0; i < self->choices->len; i++)
    {
      Choice *choice = &g_array_index (self->choices, Choice, i);

      if (g_strcmp0 (gtk_widget_get_name (g_ptr_array_index (choice->buttons, 0)), field) != 0)
        continue;
      for (guint b = 0; b < choice->buttons->len; b++)
        {
          g_autofree char *mine = value_text (self, g_ptr_array_index (self->leads, index), choice->field);
          g_autofree char *text = value_text (self, g_ptr_array_index (self->leads, g_array_index (choice->leads, guint, b)),
                                              choice->field);

          if (mine != NULL && g_strcmp0 (mine, text) == 0)
            {
              gtk_check_button_set_active (g_ptr_array_index (choice->buttons, b), TRUE);
              return TRUE;
            }
        }
    }
  return FALSE;
}

/* Merges as chosen (without asking: the Merge button asks first) and
 * emits ::merged, then closes. */
gboolean
lk_merge_dialog_merge (LkMergeDialog  *self,
                       GError        **error)
{
  g_autoptr(GHashTable) choices = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) others = g_ptr_array_new ();
  const LkFieldInfo *fields = lk_record_class_get_fields (g_type_class_peek (LK_TYPE_LEAD), NULL);
  g_autofree char *primary_id = NULL;
  g_autofree char *merge_id = NULL;
  guint n_others;

  g_return_val_if_fail (LK_IS_MERGE_DIALOG (self), FALSE);

  primary_id = g_strdup (lk_record_get_id (g_ptr_array_index (self->leads, self->primary)));
  for (guint i = 0; i < self->leads->len; i++)
    if (i != self->primary)
      g_ptr_array_add (others, (gpointer) lk_record_get_id (g_ptr_array_index (self->leads, i)));
  g_ptr_array_add (others, NULL);
  for (guint i = 0; i < self->choices->len; i++)
    {
      Choice *choice = &g_array_index (self->choices, Choice, i);

      for (guint b = 0; b < choice->buttons->len; b++)
        if (gtk_check_button_get_active (g_ptr_array_index (choice->buttons, b)))
          g_hash_table_insert (choices, (gpointer) fields[choice->field].name,
                               (gpointer) lk_record_get_id (g_ptr_array_index (self->leads,
                                                                               g_array_index (choice->leads, guint, b))));
    }
  if (self->typed
      ? !lk_store_merge_typed (lk_context_get_store (self->context), primary_id, g_ptr_array_index (self->leads, 1),
                               choices, &merge_id, error)
      : !lk_store_merge_leads (lk_context_get_store (self->context), primary_id,
                               (const char * const *) others->pdata, choices, &merge_id, error))
    return FALSE;
  n_others = others->len - 1;
  /* A handler may close the window this dialog belongs to (the editor of
   * a lead merged away), which would destroy the dialog with it in the
   * middle of this: it belongs to none from now on. */
  gtk_window_set_transient_for (GTK_WINDOW (self), NULL);
  g_signal_emit (self, signals[MERGED], 0, primary_id, n_others, merge_id);
  gtk_window_destroy (GTK_WINDOW (self));
  return TRUE;
}

/**
 * lk_merge_toast_new:
 * @primary_id: the lead kept
 * @merge_id: the merge
 * @undo_action: an action taking the merge's id that undoes it
 *   (lk_store_unmerge())
 *
 * The toast after a merge from the duplicate banner: "Merged into “…”",
 * with Undo.
 *
 * Returns: (transfer full):
 */
AdwToast *
lk_merge_toast_new (LkContext  *context,
                    const char *primary_id,
                    const char *merge_id,
                    const char *undo_action)
{
  g_autoptr(LkLead) primary = lk_store_get_lead (lk_context_get_store (context), primary_id, NULL);
  g_autofree char *title = NULL;
  AdwToast *toast;

  /* Translators: after the duplicate banner's Merge; %s is the lead already there */
  title = g_strdup_printf (_("Merged into “%s”"), primary ? lk_lead_get_display_name (primary) : primary_id);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, undo_action);
  adw_toast_set_action_target_value (toast, g_variant_new_string (merge_id));
  return toast;
}
