/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-assign-actions"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "leads/lk-assign-actions.h"
#include "lk-store-rules.h"

/* Assign and Claim for one window (see the header). The store does the
 * work: lk_pool_claim() for a claim, lk_assignment_run() for the rules
 * and lk_store_update_lead() for a member chosen by hand; each logs the
 * assignment on the lead's timeline. */
struct _LkAssignActions
{
  GObject             parent_instance;

  /* Weak */
  GtkWindow          *window;

  /* Owned */
  LkContext          *context;
  GSimpleActionGroup *group;
};

G_DEFINE_FINAL_TYPE (LkAssignActions, lk_assign_actions, G_TYPE_OBJECT)

enum {
  MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static LkStore *
get_store (LkAssignActions *self)
{
  return lk_context_get_store (self->context);
}

static void
say (LkAssignActions *self,
     const char      *message)
{
  g_signal_emit (self, signals[MESSAGE], 0, message);
}

static char *
lead_name (LkAssignActions *self,
           const char      *lead_id)
{
  g_autoptr(LkLead) lead = lk_store_get_lead (get_store (self), lead_id, NULL);

  return g_strdup (lead ? lk_lead_get_display_name (lead) : lead_id);
}

static char *
member_name (LkAssignActions *self,
             const char      *user_id)
{
  g_autoptr(LkUser) user = lk_store_get_user (get_store (self), user_id, NULL);

  return g_strdup (user ? lk_user_get_display_name (user) : lk_user_id_get_name (user_id));
}

static void
update_enabled (LkAssignActions *self)
{
  gboolean manager = lk_assign_actions_is_manager (self);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->group), "to")), manager);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->group), "choose")), manager);
}

static void
store_changed_cb (LkAssignActions    *self,
                  const char         *doc_type,
                  const char * const *ids,
                  LkStore            *store)
{
  if (doc_type == NULL || g_str_equal (doc_type, "user"))
    update_enabled (self);
}

/* --- The Assign dialog ------------------------------------------------------ */

typedef struct
{
  LkAssignActions *self;
  GStrv            lead_ids;
  GPtrArray       *member_ids;  /* the drop-down's items after "By the rules" */
  GtkDropDown     *choice;
  GtkWidget       *preview;     /* what the rules would do */
} Choose;

static void
choose_free (Choose *choose)
{
  g_object_unref (choose->self);
  g_strfreev (choose->lead_ids);
  g_ptr_array_unref (choose->member_ids);
  g_free (choose);
}

/* The preview is about the rules: shown while they are chosen. */
static void
choice_changed_cb (Choose *choose)
{
  gtk_widget_set_visible (choose->preview, gtk_drop_down_get_selected (choose->choice) == 0);
}

static void
choose_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    Choose           *choose)
{
  guint selected = gtk_drop_down_get_selected (choose->choice);
  const char * const *ids = (const char * const *) choose->lead_ids;

  if (g_str_equal (response, "assign"))
    {
      if (selected == 0)
        lk_assign_actions_assign_by_rules (choose->self, ids);
      else if (selected - 1 < choose->member_ids->len)
        lk_assign_actions_assign_to (choose->self, g_ptr_array_index (choose->member_ids, selected - 1), ids);
      else
        lk_assign_actions_assign_to (choose->self, NULL, ids);
    }
}

static void
choose_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  LkAssignActions *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = lk_store_list_users (get_store (self), &error);
  g_autoptr(GtkStringList) choices = gtk_string_list_new (NULL);
  g_autofree char *preview = NULL;
  g_autofree char *heading = NULL;
  Choose *choose;
  GtkWidget *box;
  GtkWidget *label;
  AdwMessageDialog *dialog;
  gsize n = 0;

  choose = g_new0 (Choose, 1);
  choose->self = g_object_ref (self);
  choose->lead_ids = g_variant_dup_strv (parameter, &n);
  choose->member_ids = g_ptr_array_new_with_free_func (g_free);
  if (n == 0)
    {
      choose_free (choose);
      return;
    }

  gtk_string_list_append (choices, _("By the Assignment Rules"));
  for (guint i = 0; users != NULL && i < users->len; i++)
    {
      LkUser *user = g_ptr_array_index (users, i);

      gtk_string_list_append (choices, lk_user_get_display_name (user));
      g_ptr_array_add (choose->member_ids, g_strdup (lk_record_get_id (LK_RECORD (user))));
    }
  gtk_string_list_append (choices, _("Nobody: Return to the Pool"));

  preview = lk_assign_actions_preview (self, (const char * const *) choose->lead_ids, &error);
  if (n == 1)
    {
      g_autofree char *name = lead_name (self, choose->lead_ids[0]);

      /* Translators: the Assign dialog's heading for one lead */
      heading = g_strdup_printf (_("Assign “%s”"), name);
    }
  else
    heading = g_strdup_printf (ngettext ("Assign %u Lead", "Assign %u Leads", (gulong) n), (guint) n);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (self->window, heading, NULL));
  adw_message_dialog_set_body (dialog, _("Give the leads to a team member, or let the assignment rules pick one for each lead. The assignment is logged on each lead’s timeline."));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  choose->choice = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&choices)),
                                                     gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string")));
  gtk_accessible_update_property (GTK_ACCESSIBLE (choose->choice), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Assign to"), -1);
  label = gtk_label_new (preview ? preview : error->message);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, preview ? "dim-label" : "error");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (choose->choice));
  gtk_box_append (GTK_BOX (box), label);
  choose->preview = label;
  g_signal_connect_swapped (choose->choice, "notify::selected", G_CALLBACK (choice_changed_cb), choose);
  adw_message_dialog_set_extra_child (dialog, box);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "assign", _("_Assign"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "assign", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "assign");
  adw_message_dialog_set_close_response (dialog, "cancel");
  /* The choice lives as long as the dialog. */
  g_object_set_data_full (G_OBJECT (dialog), "lk-choose", choose, (GDestroyNotify) choose_free);
  g_signal_connect (dialog, "response", G_CALLBACK (choose_response_cb), choose);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
claim_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  g_autofree const char **ids = g_variant_get_strv (parameter, NULL);

  lk_assign_actions_claim (user_data, ids);
}

static void
to_action (GSimpleAction *action,
           GVariant      *parameter,
           gpointer       user_data)
{
  const char *member = NULL;
  g_autofree const char **ids = NULL;

  g_variant_get (parameter, "(&s^a&s)", &member, &ids);
  lk_assign_actions_assign_to (user_data, member[0] != '\0' ? member : NULL, ids);
}

static void
lk_assign_actions_dispose (GObject *object)
{
  LkAssignActions *self = LK_ASSIGN_ACTIONS (object);

  g_clear_weak_pointer (&self->window);
  g_clear_object (&self->context);
  g_clear_object (&self->group);

  G_OBJECT_CLASS (lk_assign_actions_parent_class)->dispose (object);
}

static void
lk_assign_actions_class_init (LkAssignActionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lk_assign_actions_dispose;

  /**
   * LkAssignActions::message:
   * @text: what a claim or an assignment did, or why it did not
   */
  signals[MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
lk_assign_actions_init (LkAssignActions *self)
{
  const GActionEntry entries[] = {
    { "claim", claim_action, "as", NULL, NULL, { 0 } },
    { "to", to_action, "(sas)", NULL, NULL, { 0 } },
    { "choose", choose_action, "as", NULL, NULL, { 0 } },
  };

  self->group = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->group), entries, G_N_ELEMENTS (entries), self);
}

LkAssignActions *
lk_assign_actions_new (LkContext *context,
                       GtkWindow *window)
{
  LkAssignActions *self;

  g_return_val_if_fail (LK_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (window == NULL || GTK_IS_WINDOW (window), NULL);

  self = g_object_new (LK_TYPE_ASSIGN_ACTIONS, NULL);
  self->context = g_object_ref (context);
  g_set_weak_pointer (&self->window, window);
  g_signal_connect_object (get_store (self), "changed", G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (context, "notify::user-id", G_CALLBACK (update_enabled), self, G_CONNECT_SWAPPED);
  update_enabled (self);
  return self;
}

GActionGroup *
lk_assign_actions_get_group (LkAssignActions *self)
{
  g_return_val_if_fail (LK_IS_ASSIGN_ACTIONS (self), NULL);
  return G_ACTION_GROUP (self->group);
}

/* Whether this desktop's user may assign leads: a manager of the team,
 * or anyone while the desktop's user is not in the team (working alone,
 * or before the team is set up). The server has the last word. */
gboolean
lk_assign_actions_is_manager (LkAssignActions *self)
{
  g_autoptr(LkUser) user = NULL;

  g_return_val_if_fail (LK_IS_ASSIGN_ACTIONS (self), FALSE);

  user = lk_store_get_user (get_store (self), lk_context_get_user_id (self->context), NULL);
  if (user == NULL || lk_record_get_deleted (LK_RECORD (user)))
    return TRUE;
  return g_strcmp0 (lk_record_get_string (LK_RECORD (user), LK_USER_ROLE), "manager") == 0;
}

GMenuModel *
lk_assign_actions_lead_menu (const char *lead_id,
                             gboolean    in_pool)
{
  GMenu *section = g_menu_new ();
  const char * const ids[] = { lead_id, NULL };
  g_autoptr(GMenuItem) assign = g_menu_item_new (_("_Assign…"), NULL);

  g_return_val_if_fail (lead_id != NULL, NULL);

  if (in_pool)
    {
      g_autoptr(GMenuItem) claim = g_menu_item_new (_("_Claim"), NULL);

      g_menu_item_set_action_and_target_value (claim, "assign.claim", g_variant_new_strv (ids, -1));
      g_menu_append_item (section, claim);
    }
  g_menu_item_set_action_and_target_value (assign, "assign.choose", g_variant_new_strv (ids, -1));
  g_menu_append_item (section, assign);
  return G_MENU_MODEL (section);
}

char *
lk_assign_actions_preview (LkAssignActions     *self,
                           const char * const  *lead_ids,
                           GError             **error)
{
  g_autoptr(GPtrArray) results = NULL;
  LkAssignment *assignment;
  const char *problem = NULL;
  guint n_assigned = 0;
  guint n_changed = 0;
  guint n;
  GString *text;

  g_return_val_if_fail (LK_IS_ASSIGN_ACTIONS (self), NULL);
  g_return_val_if_fail (lead_ids != NULL, NULL);

  assignment = lk_store_get_assignment (get_store (self), error);
  if (assignment == NULL)
    return NULL;
  results = lk_assignment_run (assignment, get_store (self), lead_ids, TRUE, error);
  if (results == NULL)
    return NULL;
  for (guint i = 0; i < results->len; i++)
    {
      LkAssignResult *result = g_ptr_array_index (results, i);

      if (result->to_owner != NULL)
        {
          n_assigned++;
          if (g_strcmp0 (result->to_owner, result->from_owner) != 0)
            n_changed++;
        }
      else if (problem == NULL)
        problem = result->problem;
    }
  n = results->len;
  text = g_string_new (NULL);
  if (n == 1 && n_assigned == 1)
    {
      LkAssignResult *result = g_ptr_array_index (results, 0);
      g_autofree char *name = member_name (self, result->to_owner);

      /* Translators: the Assign dialog's preview: member, then rule */
      g_string_printf (text, _("By the rules, %s gets it (rule “%s”)."), name, result->rule_name);
    }
  else
    /* Translators: the Assign dialog's preview of a run of the rules */
    g_string_printf (text, ngettext ("By the rules, %u of %u lead gets an owner (%u changes hands).",
                                     "By the rules, %u of %u leads get an owner (%u change hands).", n),
                     n_assigned, n, n_changed);
  if (problem != NULL)
    {
      g_string_append_c (text, ' ');
      /* Translators: why a lead stays where it is, from the rules */
      g_string_append_printf (text, ngettext ("%u stays: %s", "%u stay, for example: %s", n - n_assigned),
                              n - n_assigned, problem);
    }
  return g_string_free (text, FALSE);
}

/* Claims the leads for this desktop's user; says what happened. */
gboolean
lk_assign_actions_claim (LkAssignActions    *self,
                         const char * const *lead_ids)
{
  g_autoptr(GError) first_error = NULL;
  LkPool *pool;
  guint n_claimed = 0;
  guint n_failed = 0;
  g_autofree char *message = NULL;

  g_return_val_if_fail (LK_IS_ASSIGN_ACTIONS (self), FALSE);
  g_return_val_if_fail (lead_ids != NULL, FALSE);

  pool = lk_store_get_pool (get_store (self), &first_error);
  for (guint i = 0; pool != NULL && lead_ids[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      if (lk_pool_claim (pool, get_store (self), lead_ids[i], lk_context_get_user_id (self->context), &error))
        n_claimed++;
      else
        {
          n_failed++;
          if (first_error == NULL)
            first_error = g_steal_pointer (&error);
        }
    }
  if (n_claimed == 1 && n_failed == 0)
    {
      g_autofree char *name = lead_name (self, lead_ids[0]);

      /* Translators: after a claim; %s is the lead */
      message = g_strdup_printf (_("“%s” is yours now"), name);
    }
  else if (n_failed == 0)
    message = g_strdup_printf (ngettext ("You claimed %u lead", "You claimed %u leads", n_claimed), n_claimed);
  else if (n_claimed == 0)
    message = g_strdup (first_error->message);
  else
    /* Translators: %u leads claimed, %u not; then why the first was not */
    message = g_strdup_printf (ngettext ("You claimed %u lead; %u could not be claimed: %s",
                                         "You claimed %u leads; %u could not be claimed: %s", n_claimed),
                               n_claimed, n_failed, first_error->message);
  say (self, message);
  return n_failed == 0 && first_error == NULL;
}

gboolean
lk_assign_actions_assign_by_rules (LkAssignActions    *self,
                                   const char * const *lead_ids)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *message = NULL;
  LkAssignment *assignment;
  guint n_assigned = 0;

  g_return_val_if_fail (LK_IS_ASSIGN_ACTIONS (self), FALSE);
  g_return_val_if_fail (lead_ids != NULL, FALSE);

  assignment = lk_store_get_assignment (get_store (self), &error);
  if (assignment != NULL)
    results = lk_assignment_run (assignment, get_store (self), lead_ids, FALSE, &error);
  if (results == NULL)
    {
      /* Translators: %s says why */
      message = g_strdup_printf (_("Nothing was assigned: %s"), error->message);
      say (self, message);
      return FALSE;
    }
  for (guint i = 0; i < results->len; i++)
    if (((LkAssignResult *) g_ptr_array_index (results, i))->to_owner != NULL)
      n_assigned++;
  if (n_assigned == results->len)
    message = g_strdup_printf (ngettext ("Assigned %u lead by the rules", "Assigned %u leads by the rules",
                                         n_assigned), n_assigned);
  else
    /* Translators: assigned by the rules; then how many found nobody */
    message = g_strdup_printf (ngettext ("Assigned %u lead by the rules; %u found nobody to take it",
                                         "Assigned %u leads by the rules; %u found nobody to take them",
                                         n_assigned), n_assigned, results->len - n_assigned);
  say (self, message);
  return TRUE;
}

/**
 * lk_assign_actions_assign_to:
 * @member_id: (nullable): a team member's id; %NULL for the pool
 */
gboolean
lk_assign_actions_assign_to (LkAssignActions    *self,
                             const char         *member_id,
                             const char * const *lead_ids)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  LkStore *store;
  guint n = 0;
  gboolean ok;

  g_return_val_if_fail (LK_IS_ASSIGN_ACTIONS (self), FALSE);
  g_return_val_if_fail (lead_ids != NULL, FALSE);

  store = get_store (self);
  if (!lk_store_begin (store, &error))
    {
      message = g_strdup_printf (_("Nothing was assigned: %s"), error->message);
      say (self, message);
      return FALSE;
    }
  ok = TRUE;
  for (guint i = 0; ok && lead_ids[i] != NULL; i++)
    {
      g_autoptr(LkLead) lead = lk_store_get_lead (store, lead_ids[i], &error);

      ok = lead != NULL;
      if (ok && g_strcmp0 (lk_lead_get_owner (lead), member_id) != 0)
        {
          lk_record_set_string (LK_RECORD (lead), LK_LEAD_OWNER, member_id);
          ok = lk_store_update_lead (store, lead, NULL, &error);
          n++;
        }
    }
  if (ok)
    ok = lk_store_commit (store, &error);
  else
    lk_store_rollback (store);
  if (!ok)
    message = g_strdup_printf (_("Nothing was assigned: %s"), error->message);
  else if (member_id == NULL)
    message = g_strdup_printf (ngettext ("Returned %u lead to the pool", "Returned %u leads to the pool", n), n);
  else
    {
      g_autofree char *name = member_name (self, member_id);

      /* Translators: "Assigned 3 leads to 王芳" */
      message = g_strdup_printf (ngettext ("Assigned %u lead to %s", "Assigned %u leads to %s", n), n, name);
    }
  say (self, message);
  return ok;
}
