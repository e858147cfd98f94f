/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-scoring-page"

#include <glib/gi18n-lib.h>

#include "lk-settings.h"
#include "lk-store-rules.h"
#include "lk-utils.h"
#include "preferences/lk-rules-rows.h"
#include "preferences/lk-scoring-page.h"

/* Preferences, the Scoring page: settings:scoring. The page writes the
 * whole document from its rows on every change and saves it through
 * lk_store_set_rules_json(), which checks it; what cannot be saved is
 * pointed out and the saved rules stay as they were. Members of the
 * document this version does not know are kept. */

typedef struct
{
  char           *key;    /* the row's name in the remove action */
  char           *label;  /* the rule's own label, kept as it was */
  AdwExpanderRow *row;
  AdwComboRow    *field;
  AdwComboRow    *op;
  AdwEntryRow    *value;
  GtkSpinButton  *points;
} RuleRows;

typedef struct
{
  char           *key;
  char           *type;
  char           *name;
  AdwExpanderRow *row;
  GtkSpinButton  *points;
  GtkSpinButton  *max_count;
} EventRows;

static const char * const bant_keys[] = { "budget", "authority", "need", "timeline" };
static const char * const threshold_keys[] = { "hot", "warm", "mql", "sql" };
static const char * const op_keys[] = { "equals", "contains", "one_of" };

struct _LkScoringPage
{
  AdwPreferencesPage   parent_instance;

  /* Template widgets */
  GtkLabel            *error_label;
  GtkSwitch           *enabled_switch;
  AdwPreferencesGroup *profile_group;
  AdwPreferencesGroup *events_group;
  AdwPreferencesGroup *bant_group;
  AdwPreferencesGroup *thresholds_group;
  AdwEntryRow         *new_event_row;

  /* Borrowed: rows the page made */
  GtkSpinButton       *bant[G_N_ELEMENTS (bant_keys)];
  GtkSwitch           *threshold_switches[G_N_ELEMENTS (threshold_keys)];
  GtkSpinButton       *thresholds[G_N_ELEMENTS (threshold_keys)];

  /* Owned */
  LkContext           *context;
  GPtrArray           *rules;   /* RuleRows */
  GPtrArray           *events;  /* EventRows */
  char                *error;
  guint                next_key;

  gboolean             loading;
};

G_DEFINE_FINAL_TYPE (LkScoringPage, lk_scoring_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void changed_cb (LkScoringPage *self);

static void
rule_rows_free (gpointer data)
{
  RuleRows *rows = data;

  g_free (rows->key);
  g_free (rows->label);
  g_free (rows);
}

static void
event_rows_free (gpointer data)
{
  EventRows *rows = data;

  g_free (rows->key);
  g_free (rows->type);
  g_free (rows->name);
  g_free (rows);
}

static void
set_error (LkScoringPage *self,
           const char    *message)
{
  lk_set_str (&self->error, message);
  lk_rules_show_error (self->error_label, message);
}

static char *
new_key (LkScoringPage *self)
{
  return g_strdup_printf ("%u", ++self->next_key);
}

static GtkWidget *
remove_row (const char *title,
            const char *action,
            const char *key)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  GtkWidget *button = gtk_button_new_with_mnemonic (title);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), "");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "destructive-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", key);
  adw_action_row_add_suffix (row, button);
  return GTK_WIDGET (row);
}

static guint
field_position (const char *field)
{
  const char *name;

  for (guint i = 0; (name = lk_scoring_profile_field (i, NULL)) != NULL; i++)
    if (g_strcmp0 (name, field) == 0)
      return i;
  return 0;
}

static void
update_rule_title (RuleRows *rows)
{
  const char *label = NULL;
  const char *value = gtk_editable_get_text (GTK_EDITABLE (rows->value));
  int points = gtk_spin_button_get_value_as_int (rows->points);
  g_autofree char *subtitle = NULL;
  g_autofree char *title = NULL;

  lk_scoring_profile_field (adw_combo_row_get_selected (rows->field), &label);
  switch (adw_combo_row_get_selected (rows->op))
    {
    case LK_SCORE_CONTAINS:
      /* Translators: a profile rule: “Job title contains 经理” */
      title = g_strdup_printf (_("%s contains “%s”"), label, value);
      break;
    case LK_SCORE_ONE_OF:
      title = g_strdup_printf (_("%s is one of “%s”"), label, value);
      break;
    case LK_SCORE_EQUALS:
    default:
      title = g_strdup_printf (_("%s is “%s”"), label, value);
    }
  subtitle = g_strdup_printf (ngettext ("%+d point", "%+d points", (gulong) ABS (points)), points);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rows->row), title);
  adw_expander_row_set_subtitle (rows->row, subtitle);
}

static void
rule_changed_cb (LkScoringPage *self)
{
  for (guint i = 0; i < self->rules->len; i++)
    update_rule_title (g_ptr_array_index (self->rules, i));
  changed_cb (self);
}

static RuleRows *
add_rule_rows (LkScoringPage     *self,
               const LkScoreRule *rule)
{
  RuleRows *rows = g_new0 (RuleRows, 1);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  const char * const op_labels[] = { _("Is"), _("Contains"), _("Is One Of"), NULL };
  const char *label;
  g_autofree char *value = NULL;

  for (guint i = 0; lk_scoring_profile_field (i, &label) != NULL; i++)
    g_ptr_array_add (labels, (gpointer) label);
  g_ptr_array_add (labels, NULL);

  rows->key = new_key (self);
  rows->label = g_strdup (rule ? rule->label : "");
  rows->row = ADW_EXPANDER_ROW (adw_expander_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (rows->row), FALSE);
  rows->field = lk_rules_combo_row (_("Field"), (const char * const *) labels->pdata,
                                    field_position (rule ? rule->field : "industry"),
                                    G_CALLBACK (rule_changed_cb), self);
  rows->op = lk_rules_combo_row (_("Test"), op_labels, rule ? (guint) rule->op : LK_SCORE_EQUALS,
                                 G_CALLBACK (rule_changed_cb), self);
  value = rule ? lk_rules_join_list ((const char * const *) rule->values) : g_strdup ("");
  rows->value = lk_rules_entry_row (_("Value (several separated by commas)"), value,
                                    G_CALLBACK (rule_changed_cb), self);
  adw_expander_row_add_row (rows->row, GTK_WIDGET (rows->field));
  adw_expander_row_add_row (rows->row, GTK_WIDGET (rows->op));
  adw_expander_row_add_row (rows->row, GTK_WIDGET (rows->value));
  adw_expander_row_add_row (rows->row, GTK_WIDGET (lk_rules_spin_row (_("Points"), _("May be negative"),
                                                                      -1000, 1000, rule ? rule->points : 10,
                                                                      G_CALLBACK (rule_changed_cb), self,
                                                                      &rows->points)));
  adw_expander_row_add_row (rows->row, remove_row (_("_Remove Rule"), "scoring.remove-rule", rows->key));
  update_rule_title (rows);
  adw_preferences_group_add (self->profile_group, GTK_WIDGET (rows->row));
  g_ptr_array_add (self->rules, rows);
  return rows;
}

static void
add_event_rows (LkScoringPage      *self,
                LkScoring          *scoring,
                const LkScoreEvent *event)
{
  EventRows *rows = g_new0 (EventRows, 1);

  rows->key = new_key (self);
  rows->type = g_strdup (event->type);
  rows->name = g_strdup (event->name);
  rows->row = ADW_EXPANDER_ROW (adw_expander_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (rows->row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rows->row), lk_scoring_event_name (scoring, event->type));
  adw_expander_row_set_subtitle (rows->row, event->type);
  adw_expander_row_add_row (rows->row, GTK_WIDGET (lk_rules_spin_row (_("Points Each Time"), NULL, -1000, 1000,
                                                                      event->points, G_CALLBACK (changed_cb),
                                                                      self, &rows->points)));
  adw_expander_row_add_row (rows->row, GTK_WIDGET (lk_rules_spin_row (_("Counted Up To (Times)"), _("0 for no limit"),
                                                                      0, 1000, event->max_count,
                                                                      G_CALLBACK (changed_cb), self,
                                                                      &rows->max_count)));
  adw_expander_row_add_row (rows->row, remove_row (_("_Remove Event Type"), "scoring.remove-event", rows->key));
  adw_preferences_group_add (self->events_group, GTK_WIDGET (rows->row));
  g_ptr_array_add (self->events, rows);
}

static void
clear_rows (LkScoringPage *self)
{
  for (guint i = 0; i < self->rules->len; i++)
    adw_preferences_group_remove (self->profile_group,
                                  GTK_WIDGET (((RuleRows *) g_ptr_array_index (self->rules, i))->row));
  for (guint i = 0; i < self->events->len; i++)
    adw_preferences_group_remove (self->events_group,
                                  GTK_WIDGET (((EventRows *) g_ptr_array_index (self->events, i))->row));
  g_ptr_array_set_size (self->rules, 0);
  g_ptr_array_set_size (self->events, 0);
}

static void
load (LkScoringPage *self)
{
  g_autoptr(GError) error = NULL;
  LkScoring *scoring = lk_store_get_scoring (lk_context_get_store (self->context), &error);
  g_autoptr(LkScoring) fallback = NULL;
  GPtrArray *rules;
  GPtrArray *events;

  if (scoring == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The scoring rules from the server cannot be used, so they do not run: %s. Changing a value here replaces them."),
                                                  error->message);

      set_error (self, message);
      scoring = fallback = lk_scoring_new_default ();
    }
  else
    set_error (self, NULL);

  self->loading = TRUE;
  clear_rows (self);
  gtk_switch_set_active (self->enabled_switch, lk_scoring_get_enabled (scoring));
  rules = lk_scoring_get_profile_rules (scoring);
  for (guint i = 0; i < rules->len; i++)
    add_rule_rows (self, g_ptr_array_index (rules, i));
  events = lk_scoring_get_events (scoring);
  for (guint i = 0; i < events->len; i++)
    add_event_rows (self, scoring, g_ptr_array_index (events, i));
  for (guint i = 0; i < G_N_ELEMENTS (bant_keys); i++)
    gtk_spin_button_set_value (self->bant[i], lk_scoring_get_bant_points (scoring, LK_LEAD_BANT_BUDGET + i));
  for (guint i = 0; i < G_N_ELEMENTS (threshold_keys); i++)
    {
      gint64 points = 0;
      gboolean has = lk_scoring_get_threshold (scoring, threshold_keys[i], &points);

      gtk_switch_set_active (self->threshold_switches[i], has);
      gtk_spin_button_set_value (self->thresholds[i], points);
      gtk_widget_set_sensitive (GTK_WIDGET (self->thresholds[i]), has);
    }
  self->loading = FALSE;
}

/* The document as the page shows it, or %NULL with @error saying what to
 * correct in words of the page. */
static JsonObject *
collect (LkScoringPage  *self,
         GError        **error)
{
  LkScoring *current = lk_store_get_scoring (lk_context_get_store (self->context), NULL);
  g_autoptr(LkScoring) fallback = current ? NULL : lk_scoring_new_default ();
  g_autoptr(JsonObject) object = lk_scoring_to_json (current ? current : fallback);
  JsonArray *profile = json_array_new ();
  JsonArray *events = json_array_new ();
  JsonObject *bant = json_object_new ();
  JsonObject *thresholds = json_object_new ();

  json_object_set_boolean_member (object, "enabled", gtk_switch_get_active (self->enabled_switch));
  json_object_set_array_member (object, "profile", profile);
  json_object_set_array_member (object, "events", events);
  json_object_set_object_member (object, "bant", bant);
  json_object_set_object_member (object, "thresholds", thresholds);

  for (guint i = 0; i < self->rules->len; i++)
    {
      RuleRows *rows = g_ptr_array_index (self->rules, i);
      JsonObject *item = json_object_new ();
      guint op = adw_combo_row_get_selected (rows->op);
      g_auto(GStrv) values = lk_rules_split_list (gtk_editable_get_text (GTK_EDITABLE (rows->value)));

      json_array_add_object_element (profile, item);
      if (values[0] == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("Profile rule %u: enter the value the field is tested for."), i + 1);
          return NULL;
        }
      if (op != LK_SCORE_ONE_OF && values[1] != NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("Profile rule %u: only “Is One Of” tests several values; choose it, or enter one value."),
                       i + 1);
          return NULL;
        }
      json_object_set_string_member (item, "field",
                                     lk_scoring_profile_field (adw_combo_row_get_selected (rows->field), NULL));
      json_object_set_string_member (item, "op", op_keys[MIN (op, G_N_ELEMENTS (op_keys) - 1)]);
      if (op == LK_SCORE_ONE_OF)
        json_object_set_array_member (item, "values", lk_settings_strv_to_array ((const char * const *) values));
      else
        json_object_set_string_member (item, "value", values[0]);
      json_object_set_int_member (item, "points", gtk_spin_button_get_value_as_int (rows->points));
      if (rows->label[0] != '\0')
        json_object_set_string_member (item, "label", rows->label);
    }
  for (guint i = 0; i < self->events->len; i++)
    {
      EventRows *rows = g_ptr_array_index (self->events, i);
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "type", rows->type);
      if (rows->name[0] != '\0')
        json_object_set_string_member (item, "name", rows->name);
      json_object_set_int_member (item, "points", gtk_spin_button_get_value_as_int (rows->points));
      json_object_set_int_member (item, "max_count", gtk_spin_button_get_value_as_int (rows->max_count));
      json_array_add_object_element (events, item);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bant_keys); i++)
    json_object_set_int_member (bant, bant_keys[i], gtk_spin_button_get_value_as_int (self->bant[i]));
  for (guint i = 0; i < G_N_ELEMENTS (threshold_keys); i++)
    if (gtk_switch_get_active (self->threshold_switches[i]))
      json_object_set_int_member (thresholds, threshold_keys[i], gtk_spin_button_get_value_as_int (self->thresholds[i]));
  return g_steal_pointer (&object);
}

static void
changed_cb (LkScoringPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *text = NULL;

  if (self->loading)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (threshold_keys); i++)
    gtk_widget_set_sensitive (GTK_WIDGET (self->thresholds[i]), gtk_switch_get_active (self->threshold_switches[i]));

  object = collect (self, &error);
  if (object != NULL)
    text = lk_settings_to_string (object);
  self->loading = TRUE;
  if (text == NULL || !lk_store_set_rules_json (lk_context_get_store (self->context), LK_RULES_SCORING, text, &error))
    set_error (self, error->message);
  else
    set_error (self, NULL);
  self->loading = FALSE;
}

static void
add_event_cb (LkScoringPage *self,
              AdwEntryRow   *row)
{
  g_autofree char *type = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  LkScoreEvent event = { .type = type, .name = (char *) "", .points = 10, .max_count = 0 };

  for (const char *p = type; *p != '\0'; p++)
    if (!(g_ascii_isalnum (*p) || *p == '_' || *p == '-'))
      {
        set_error (self, _("An event type is a short name of letters, digits and “_”, such as “trade_show”."));
        return;
      }
  if (type[0] == '\0')
    {
      set_error (self, _("Enter the new event type, such as “trade_show”."));
      return;
    }
  for (guint i = 0; i < self->events->len; i++)
    if (g_str_equal (((EventRows *) g_ptr_array_index (self->events, i))->type, type))
      {
        g_autofree char *message = g_strdup_printf (_("There is an event type “%s” already."), type);

        set_error (self, message);
        return;
      }
  add_event_rows (self, lk_store_get_scoring (lk_context_get_store (self->context), NULL), &event);
  gtk_editable_set_text (GTK_EDITABLE (row), "");
  changed_cb (self);
}

static void
add_rule_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  LkScoringPage *self = LK_SCORING_PAGE (widget);
  RuleRows *rows;

  self->loading = TRUE;
  rows = add_rule_rows (self, NULL);
  self->loading = FALSE;
  adw_expander_row_set_expanded (rows->row, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (rows->value));
  changed_cb (self);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LkScoringPage *self = LK_SCORING_PAGE (widget);
  const char *key = g_variant_get_string (parameter, NULL);
  gboolean rule = g_str_equal (action_name, "scoring.remove-rule");
  GPtrArray *array = rule ? self->rules : self->events;

  for (guint i = 0; i < array->len; i++)
    {
      RuleRows *rule_rows = rule ? g_ptr_array_index (array, i) : NULL;
      EventRows *event_rows = rule ? NULL : g_ptr_array_index (array, i);
      const char *row_key = rule ? rule_rows->key : event_rows->key;

      if (g_str_equal (row_key, key))
        {
          if (rule)
            adw_preferences_group_remove (self->profile_group, GTK_WIDGET (rule_rows->row));
          else
            adw_preferences_group_remove (self->events_group, GTK_WIDGET (event_rows->row));
          g_ptr_array_remove_index (array, i);
          changed_cb (self);
          return;
        }
    }
}

static void
store_changed_cb (LkScoringPage      *self,
                  const char         *doc_type,
                  const char * const *ids,
                  LkStore            *store)
{
  if (self->loading || self->error != NULL)
    return;
  if (doc_type == NULL || (g_str_equal (doc_type, "settings") &&
                           (ids == NULL || g_strv_contains (ids, "settings:" LK_RULES_SCORING))))
    load (self);
}

static void
add_fixed_rows (LkScoringPage *self)
{
  const char * const bant_titles[] = { _("Budget Known"), _("Authority Known"), _("Need Known"), _("Timeline Known") };
  const char * const threshold_titles[] = { _("Hot From"), _("Warm From"), _("MQL From"), _("SQL From") };

  for (guint i = 0; i < G_N_ELEMENTS (bant_keys); i++)
    adw_preferences_group_add (self->bant_group,
                               GTK_WIDGET (lk_rules_spin_row (bant_titles[i], NULL, -1000, 1000, 0,
                                                              G_CALLBACK (changed_cb), self, &self->bant[i])));
  for (guint i = 0; i < G_N_ELEMENTS (threshold_keys); i++)
    {
      AdwActionRow *row = lk_rules_spin_row (threshold_titles[i], NULL, -100000, 100000, 0,
                                             G_CALLBACK (changed_cb), self, &self->thresholds[i]);
      GtkWidget *toggle = gtk_switch_new ();

      gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, threshold_titles[i], -1);
      adw_action_row_add_prefix (row, toggle);
      g_signal_connect_swapped (toggle, "notify::active", G_CALLBACK (changed_cb), self);
      self->threshold_switches[i] = GTK_SWITCH (toggle);
      adw_preferences_group_add (self->thresholds_group, GTK_WIDGET (row));
    }
}

static void
lk_scoring_page_constructed (GObject *object)
{
  LkScoringPage *self = LK_SCORING_PAGE (object);

  G_OBJECT_CLASS (lk_scoring_page_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  self->loading = TRUE;
  add_fixed_rows (self);
  self->loading = FALSE;
  g_signal_connect_object (lk_context_get_store (self->context), "changed",
                           G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  load (self);
}

static void
lk_scoring_page_dispose (GObject *object)
{
  LkScoringPage *self = LK_SCORING_PAGE (object);

  g_clear_object (&self->context);

  G_OBJECT_CLASS (lk_scoring_page_parent_class)->dispose (object);
}

static void
lk_scoring_page_finalize (GObject *object)
{
  LkScoringPage *self = LK_SCORING_PAGE (object);

  g_ptr_array_unref (self->rules);
  g_ptr_array_unref (self->events);
  g_free (self->error);

  G_OBJECT_CLASS (lk_scoring_page_parent_class)->finalize (object);
}

static void
lk_scoring_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LkScoringPage *self = LK_SCORING_PAGE (object);

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
lk_scoring_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  LkScoringPage *self = LK_SCORING_PAGE (object);

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
lk_scoring_page_class_init (LkScoringPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = lk_scoring_page_constructed;
  object_class->dispose = lk_scoring_page_dispose;
  object_class->finalize = lk_scoring_page_finalize;
  object_class->get_property = lk_scoring_page_get_property;
  object_class->set_property = lk_scoring_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, LK_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/preferences/lk-scoring-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LkScoringPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, LkScoringPage, enabled_switch);
  gtk_widget_class_bind_template_child (widget_class, LkScoringPage, profile_group);
  gtk_widget_class_bind_template_child (widget_class, LkScoringPage, events_group);
  gtk_widget_class_bind_template_child (widget_class, LkScoringPage, bant_group);
  gtk_widget_class_bind_template_child (widget_class, LkScoringPage, thresholds_group);
  gtk_widget_class_bind_template_child (widget_class, LkScoringPage, new_event_row);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_event_cb);

  gtk_widget_class_install_action (widget_class, "scoring.add-rule", NULL, add_rule_action);
  gtk_widget_class_install_action (widget_class, "scoring.remove-rule", "s", remove_action);
  gtk_widget_class_install_action (widget_class, "scoring.remove-event", "s", remove_action);
}

static void
lk_scoring_page_init (LkScoringPage *self)
{
  self->loading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->loading = FALSE;
  self->rules = g_ptr_array_new_with_free_func (rule_rows_free);
  self->events = g_ptr_array_new_with_free_func (event_rows_free);
}

LkScoringPage *
lk_scoring_page_new (LkContext *context)
{
  g_return_val_if_fail (LK_IS_CONTEXT (context), NULL);

  return g_object_new (LK_TYPE_SCORING_PAGE, "context", context, NULL);
}

/* Returns: (nullable): why the last change was not saved */
const char *
lk_scoring_page_get_error (LkScoringPage *self)
{
  g_return_val_if_fail (LK_IS_SCORING_PAGE (self), NULL);
  return self->error;
}
