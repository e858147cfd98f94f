/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-assignment-page"

#include <glib/gi18n-lib.h>

#include "lk-settings.h"
#include "lk-store-rules.h"
#include "lk-utils.h"
#include "preferences/lk-assignment-page.h"
#include "preferences/lk-rules-rows.h"

/* Preferences, the Assignment page: settings:assignment (ordered rules,
 * first match wins; automatic assignment; A-grade leads to seniors).
 * The page writes the whole document from its rows on every change and
 * saves it through lk_store_set_rules_json(), which checks it; what
 * cannot be saved is pointed out and the saved rules stay as they were. */

enum { REGION, INDUSTRY, SOURCE, GRADE, TEMPERATURE, N_CONDITIONS };

static const char * const condition_keys[N_CONDITIONS] = {
  "region", "industry", "source", "grade", "temperature"
};

static const char * const strategy_keys[] = { "round_robin", "fewest_open", "capacity" };

typedef struct
{
  char           *id;
  char           *name;  /* as saved, for the title until it is applied */
  AdwExpanderRow *row;
  AdwEntryRow    *name_row;
  AdwEntryRow    *conditions[N_CONDITIONS];
  AdwEntryRow    *members;
  GtkSwitch      *match_region;
  GtkSwitch      *match_industry;
  AdwComboRow    *strategy;
} RuleRows;

struct _LkAssignmentPage
{
  AdwPreferencesPage   parent_instance;

  /* Template widgets */
  GtkLabel            *error_label;
  GtkSwitch           *auto_switch;
  GtkSwitch           *senior_switch;
  AdwPreferencesGroup *rules_group;

  /* Owned */
  LkContext           *context;
  GPtrArray           *rules;  /* RuleRows, in order */
  char                *error;

  gboolean             loading;
};

G_DEFINE_FINAL_TYPE (LkAssignmentPage, lk_assignment_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void changed_cb (LkAssignmentPage *self);

static void
rule_rows_free (gpointer data)
{
  RuleRows *rows = data;

  g_free (rows->id);
  g_free (rows->name);
  g_free (rows);
}

static void
set_error (LkAssignmentPage *self,
           const char       *message)
{
  lk_set_str (&self->error, message);
  lk_rules_show_error (self->error_label, message);
}

static GtkWidget *
button_row (const char *const *labels,
            const char *const *actions,
            gboolean           destructive_last,
            const char        *id)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

  for (guint i = 0; labels[i] != NULL; i++)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (labels[i]);

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      if (destructive_last && labels[i + 1] == NULL)
        gtk_widget_add_css_class (button, "destructive-action");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), actions[i]);
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", id);
      adw_action_row_add_suffix (row, button);
    }
  return GTK_WIDGET (row);
}

/* "user:lilei" → "lilei": the names as typed in the members row */
static char *
members_text (char **members)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;

  for (guint i = 0; members != NULL && members[i] != NULL; i++)
    g_strv_builder_add (builder, lk_user_id_get_name (members[i]));
  names = g_strv_builder_end (builder);
  return lk_rules_join_list ((const char * const *) names);
}

static char *
describe_rule (RuleRows *rows)
{
  g_autofree char *members = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (rows->members))));
  const char *strategy_labels[] = { _("in turn"), _("fewest open leads"), _("by capacity") };
  guint strategy = MIN (adw_combo_row_get_selected (rows->strategy), G_N_ELEMENTS (strategy_labels) - 1);
  g_autoptr(GString) conditions = g_string_new (NULL);
  g_autofree char *target = NULL;

  for (guint i = 0; i < N_CONDITIONS; i++)
    {
      g_auto(GStrv) values = lk_rules_split_list (gtk_editable_get_text (GTK_EDITABLE (rows->conditions[i])));
      g_autofree char *text = NULL;

      if (values[0] == NULL)
        continue;
      text = lk_rules_join_list ((const char * const *) values);
      if (conditions->len > 0)
        /* Translators: between the conditions of an assignment rule */
        g_string_append (conditions, _("; "));
      g_string_append (conditions, text);
    }
  if (members[0] == '\0')
    /* Translators: an assignment rule's target; %s is how: “in turn” */
    target = g_strdup_printf (_("to every rep, %s"), strategy_labels[strategy]);
  else
    /* Translators: %s are member names, then how: “in turn” */
    target = g_strdup_printf (_("to %s, %s"), members, strategy_labels[strategy]);
  if (conditions->len == 0)
    /* Translators: an assignment rule without conditions; %s is its target */
    return g_strdup_printf (_("Any lead %s"), target);
  /* Translators: an assignment rule: its conditions, then its target */
  return g_strdup_printf (_("%s: %s"), conditions->str, target);
}

static void
update_titles (LkAssignmentPage *self)
{
  for (guint i = 0; i < self->rules->len; i++)
    {
      RuleRows *rows = g_ptr_array_index (self->rules, i);
      g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (rows->name_row))));
      g_autofree char *subtitle = describe_rule (rows);
      g_autofree char *title = NULL;

      if (name[0] == '\0' && g_str_equal (rows->id, "everyone"))
        title = g_strdup_printf ("%u. %s", i + 1, _("Every rep in turn"));
      else if (name[0] == '\0')
        /* Translators: an assignment rule without a name; %u is its place */
        title = g_strdup_printf (_("%u. Rule"), i + 1);
      else
        title = g_strdup_printf ("%u. %s", i + 1, name);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rows->row), title);
      adw_expander_row_set_subtitle (rows->row, subtitle);
    }
}

static RuleRows *
add_rule_rows (LkAssignmentPage   *self,
               const LkAssignRule *rule,
               const char         *id)
{
  RuleRows *rows = g_new0 (RuleRows, 1);
  const char *condition_titles[N_CONDITIONS] = {
    _("Regions"), _("Industries"), _("Sources"), _("Grades (A, B, C)"), _("Temperatures (hot, warm, cold)"),
  };
  char **conditions[N_CONDITIONS] = { NULL };
  const char * const strategy_labels[] = { _("In Turn (Round-Robin)"), _("Fewest Open Leads"),
                                           _("Lowest Share of Capacity"), NULL };
  const char * const buttons[] = { _("Move _Up"), _("Move _Down"), _("_Remove Rule"), NULL };
  const char * const actions[] = { "assignment.move-up", "assignment.move-down", "assignment.remove-rule", NULL };
  g_autofree char *members = NULL;

  if (rule != NULL)
    {
      conditions[REGION] = rule->regions;
      conditions[INDUSTRY] = rule->industries;
      conditions[SOURCE] = rule->sources;
      conditions[GRADE] = rule->grades;
      conditions[TEMPERATURE] = rule->temperatures;
    }
  rows->id = g_strdup (id);
  rows->name = g_strdup (rule ? rule->name : "");
  rows->row = ADW_EXPANDER_ROW (adw_expander_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (rows->row), FALSE);
  rows->name_row = lk_rules_entry_row (_("Name"), rows->name, G_CALLBACK (changed_cb), self);
  adw_expander_row_add_row (rows->row, GTK_WIDGET (rows->name_row));
  for (guint i = 0; i < N_CONDITIONS; i++)
    {
      g_autofree char *text = lk_rules_join_list ((const char * const *) conditions[i]);

      rows->conditions[i] = lk_rules_entry_row (condition_titles[i], text, G_CALLBACK (changed_cb), self);
      adw_expander_row_add_row (rows->row, GTK_WIDGET (rows->conditions[i]));
    }
  members = members_text (rule ? rule->members : NULL);
  rows->members = lk_rules_entry_row (_("To Members (user names; empty: every rep)"), members,
                                      G_CALLBACK (changed_cb), self);
  adw_expander_row_add_row (rows->row, GTK_WIDGET (rows->members));
  adw_expander_row_add_row (rows->row, GTK_WIDGET (lk_rules_switch_row (
    _("Only Members Covering the Lead’s Region"), NULL, rule ? rule->match_region : FALSE,
    G_CALLBACK (changed_cb), self, &rows->match_region)));
  adw_expander_row_add_row (rows->row, GTK_WIDGET (lk_rules_switch_row (
    _("Only Members Covering the Lead’s Industry"), NULL, rule ? rule->match_industry : FALSE,
    G_CALLBACK (changed_cb), self, &rows->match_industry)));
  rows->strategy = lk_rules_combo_row (_("Who Among Them"), strategy_labels,
                                       rule ? (guint) rule->strategy : LK_ASSIGN_ROUND_ROBIN,
                                       G_CALLBACK (changed_cb), self);
  adw_expander_row_add_row (rows->row, GTK_WIDGET (rows->strategy));
  adw_expander_row_add_row (rows->row, button_row (buttons, actions, TRUE, rows->id));
  g_ptr_array_add (self->rules, rows);
  return rows;
}

/* Puts the rule rows in the group in the order of self->rules. */
static void
show_rules (LkAssignmentPage *self)
{
  for (guint i = 0; i < self->rules->len; i++)
    {
      GtkWidget *row = GTK_WIDGET (((RuleRows *) g_ptr_array_index (self->rules, i))->row);

      if (gtk_widget_get_parent (row) != NULL)
        {
          g_object_ref (row);
          adw_preferences_group_remove (self->rules_group, row);
          adw_preferences_group_add (self->rules_group, row);
          g_object_unref (row);
        }
      else
        adw_preferences_group_add (self->rules_group, row);
    }
  update_titles (self);
}

static void
load (LkAssignmentPage *self)
{
  g_autoptr(GError) error = NULL;
  LkAssignment *assignment = lk_store_get_assignment (lk_context_get_store (self->context), &error);
  g_autoptr(LkAssignment) fallback = NULL;
  GPtrArray *rules;

  if (assignment == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The assignment rules from the server cannot be used, so they do not run: %s. Changing a value here replaces them."),
                                                  error->message);

      set_error (self, message);
      assignment = fallback = lk_assignment_new_default ();
    }
  else
    set_error (self, NULL);

  self->loading = TRUE;
  for (guint i = 0; i < self->rules->len; i++)
    adw_preferences_group_remove (self->rules_group,
                                  GTK_WIDGET (((RuleRows *) g_ptr_array_index (self->rules, i))->row));
  g_ptr_array_set_size (self->rules, 0);
  gtk_switch_set_active (self->auto_switch, lk_assignment_get_auto_assign (assignment));
  gtk_switch_set_active (self->senior_switch, lk_assignment_get_senior_only_a (assignment));
  rules = lk_assignment_get_rules (assignment);
  for (guint i = 0; i < rules->len; i++)
    {
      const LkAssignRule *rule = g_ptr_array_index (rules, i);

      add_rule_rows (self, rule, rule->id);
    }
  show_rules (self);
  self->loading = FALSE;
}

static gboolean
check_values (char       **values,
              const char * const *allowed,
              gboolean     upper,
              guint        index,
              const char  *what,
              GError     **error)
{
  for (guint i = 0; values[i] != NULL; i++)
    {
      char *value = upper ? g_ascii_strup (values[i], -1) : g_ascii_strdown (values[i], -1);

      g_free (values[i]);
      values[i] = value;
      if (!g_strv_contains (allowed, value))
        {
          g_autofree char *list = g_strjoinv (", ", (GStrv) allowed);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       /* Translators: “Rule 2: “D” is not one of the grades: A, B, C.” */
                       _("Rule %u: “%s” is not one of the %s: %s."), index + 1, value, what, list);
          return FALSE;
        }
    }
  return TRUE;
}

static JsonObject *
collect (LkAssignmentPage  *self,
         GError           **error)
{
  LkStore *store = lk_context_get_store (self->context);
  LkAssignment *current = lk_store_get_assignment (store, NULL);
  g_autoptr(LkAssignment) fallback = current ? NULL : lk_assignment_new_default ();
  g_autoptr(JsonObject) object = lk_assignment_to_json (current ? current : fallback);
  JsonArray *rules = json_array_new ();

  json_object_set_boolean_member (object, "auto_assign_new", gtk_switch_get_active (self->auto_switch));
  json_object_set_boolean_member (object, "senior_only_grade_a", gtk_switch_get_active (self->senior_switch));
  json_object_set_array_member (object, "rules", rules);

  for (guint i = 0; i < self->rules->len; i++)
    {
      RuleRows *rows = g_ptr_array_index (self->rules, i);
      JsonObject *item = json_object_new ();
      JsonObject *when = json_object_new ();
      JsonObject *to = json_object_new ();
      g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (rows->name_row))));
      g_auto(GStrv) members = lk_rules_split_list (gtk_editable_get_text (GTK_EDITABLE (rows->members)));
      guint strategy = adw_combo_row_get_selected (rows->strategy);

      json_array_add_object_element (rules, item);
      json_object_set_string_member (item, "id", rows->id);
      if (name[0] != '\0')
        json_object_set_string_member (item, "name", name);
      json_object_set_object_member (item, "when", when);
      json_object_set_object_member (item, "to", to);
      for (guint c = 0; c < N_CONDITIONS; c++)
        {
          g_auto(GStrv) values = lk_rules_split_list (gtk_editable_get_text (GTK_EDITABLE (rows->conditions[c])));

          if (c == GRADE && !check_values (values, (const char * const[]) { "A", "B", "C", NULL }, TRUE, i,
                                           _("grades"), error))
            return NULL;
          if (c == TEMPERATURE && !check_values (values, (const char * const[]) { "hot", "warm", "cold", NULL },
                                                 FALSE, i, _("temperatures"), error))
            return NULL;
          if (values[0] != NULL)
            json_object_set_array_member (when, condition_keys[c],
                                          lk_settings_strv_to_array ((const char * const *) values));
        }
      if (members[0] != NULL)
        {
          JsonArray *ids = json_array_new ();

          json_object_set_array_member (to, "members", ids);
          for (guint m = 0; members[m] != NULL; m++)
            {
              g_autofree char *id = lk_user_id_for_name (members[m]);
              g_autoptr(LkUser) user = lk_store_get_user (store, id, NULL);

              if (user == NULL || lk_record_get_deleted (LK_RECORD (user)))
                {
                  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Rule %u: “%s” is not in the team. Add them on the Team page, or check the user name."),
                               i + 1, members[m]);
                  return NULL;
                }
              json_array_add_string_element (ids, id);
            }
        }
      json_object_set_boolean_member (to, "match_region", gtk_switch_get_active (rows->match_region));
      json_object_set_boolean_member (to, "match_industry", gtk_switch_get_active (rows->match_industry));
      json_object_set_string_member (item, "strategy",
                                     strategy_keys[MIN (strategy, G_N_ELEMENTS (strategy_keys) - 1)]);
    }
  return g_steal_pointer (&object);
}

static void
changed_cb (LkAssignmentPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *text = NULL;

  if (self->loading)
    return;
  update_titles (self);
  object = collect (self, &error);
  if (object != NULL)
    text = lk_settings_to_string (object);
  self->loading = TRUE;
  if (text == NULL || !lk_store_set_rules_json (lk_context_get_store (self->context), LK_RULES_ASSIGNMENT, text, &error))
    set_error (self, error->message);
  else
    set_error (self, NULL);
  self->loading = FALSE;
}

static int
find_rule (LkAssignmentPage *self,
           GVariant         *parameter)
{
  const char *id = g_variant_get_string (parameter, NULL);

  for (guint i = 0; i < self->rules->len; i++)
    if (g_str_equal (((RuleRows *) g_ptr_array_index (self->rules, i))->id, id))
      return (int) i;
  return -1;
}

static void
add_rule_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  LkAssignmentPage *self = LK_ASSIGNMENT_PAGE (widget);
  g_autofree char *id = NULL;
  RuleRows *rows;

  for (guint n = self->rules->len + 1;; n++)
    {
      g_autoptr(GVariant) candidate = NULL;

      g_free (id);
      id = g_strdup_printf ("rule-%u", n);
      candidate = g_variant_ref_sink (g_variant_new_string (id));
      if (find_rule (self, candidate) < 0)
        break;
    }
  self->loading = TRUE;
  rows = add_rule_rows (self, NULL, id);
  show_rules (self);
  self->loading = FALSE;
  adw_expander_row_set_expanded (rows->row, TRUE);
  changed_cb (self);
}

static void
rule_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LkAssignmentPage *self = LK_ASSIGNMENT_PAGE (widget);
  int index = find_rule (self, parameter);
  RuleRows *rows;

  if (index < 0)
    return;
  if (g_str_equal (action_name, "assignment.remove-rule"))
    {
      rows = g_ptr_array_index (self->rules, index);
      adw_preferences_group_remove (self->rules_group, GTK_WIDGET (rows->row));
      g_ptr_array_remove_index (self->rules, index);
    }
  else
    {
      int other = index + (g_str_equal (action_name, "assignment.move-up") ? -1 : 1);

      if (other < 0 || other >= (int) self->rules->len)
        return;
      rows = self->rules->pdata[index];
      self->rules->pdata[index] = self->rules->pdata[other];
      self->rules->pdata[other] = rows;
      show_rules (self);
    }
  changed_cb (self);
}

static void
store_changed_cb (LkAssignmentPage   *self,
                  const char         *doc_type,
                  const char * const *ids,
                  LkStore            *store)
{
  if (self->loading || self->error != NULL)
    return;
  if (doc_type == NULL || (g_str_equal (doc_type, "settings") &&
                           (ids == NULL || g_strv_contains (ids, "settings:" LK_RULES_ASSIGNMENT))))
    load (self);
}

static void
lk_assignment_page_constructed (GObject *object)
{
  LkAssignmentPage *self = LK_ASSIGNMENT_PAGE (object);

  G_OBJECT_CLASS (lk_assignment_page_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  g_signal_connect_object (lk_context_get_store (self->context), "changed",
                           G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  load (self);
}

static void
lk_assignment_page_dispose (GObject *object)
{
  LkAssignmentPage *self = LK_ASSIGNMENT_PAGE (object);

  g_clear_object (&self->context);

  G_OBJECT_CLASS (lk_assignment_page_parent_class)->dispose (object);
}

static void
lk_assignment_page_finalize (GObject *object)
{
  LkAssignmentPage *self = LK_ASSIGNMENT_PAGE (object);

  g_ptr_array_unref (self->rules);
  g_free (self->error);

  G_OBJECT_CLASS (lk_assignment_page_parent_class)->finalize (object);
}

static void
lk_assignment_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  LkAssignmentPage *self = LK_ASSIGNMENT_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_assignment_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  LkAssignmentPage *self = LK_ASSIGNMENT_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_assignment_page_class_init (LkAssignmentPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = lk_assignment_page_constructed;
  object_class->dispose = lk_assignment_page_dispose;
  object_class->finalize = lk_assignment_page_finalize;
  object_class->get_property = lk_assignment_page_get_property;
  object_class->set_property = lk_assignment_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, LK_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/preferences/lk-assignment-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LkAssignmentPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, LkAssignmentPage, auto_switch);
  gtk_widget_class_bind_template_child (widget_class, LkAssignmentPage, senior_switch);
  gtk_widget_class_bind_template_child (widget_class, LkAssignmentPage, rules_group);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);

  gtk_widget_class_install_action (widget_class, "assignment.add-rule", NULL, add_rule_action);
  gtk_widget_class_install_action (widget_class, "assignment.move-up", "s", rule_action);
  gtk_widget_class_install_action (widget_class, "assignment.move-down", "s", rule_action);
  gtk_widget_class_install_action (widget_class, "assignment.remove-rule", "s", rule_action);
}

static void
lk_assignment_page_init (LkAssignmentPage *self)
{
  self->loading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->loading = FALSE;
  self->rules = g_ptr_array_new_with_free_func (rule_rows_free);
}

LkAssignmentPage *
lk_assignment_page_new (LkContext *context)
{
  g_return_val_if_fail (LK_IS_CONTEXT (context), NULL);

  return g_object_new (LK_TYPE_ASSIGNMENT_PAGE, "context", context, NULL);
}

/* Returns: (nullable): why the last change was not saved */
const char *
lk_assignment_page_get_error (LkAssignmentPage *self)
{
  g_return_val_if_fail (LK_IS_ASSIGNMENT_PAGE (self), NULL);
  return self->error;
}
