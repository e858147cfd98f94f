/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-followup-page"

#include <glib/gi18n-lib.h>

#include "lk-store-rules.h"
#include "lk-utils.h"
#include "preferences/lk-followup-page.h"
#include "preferences/lk-rules-rows.h"

/* Preferences, the Follow-up page: settings:cadence (the interval of
 * each grade, the contact limit, stale days and the stage triggers).
 * Every change is checked and saved at once; a value that cannot be
 * saved is pointed out and the saved rules stay as they were. */

static const char * const grades[] = { "A", "B", "C" };

typedef struct
{
  AdwExpanderRow *row;
  GtkSpinButton  *min_days;
  GtkSpinButton  *max_days;
  GtkSpinButton  *max_contacts;
  GtkSpinButton  *per_days;
} GradeRows;

typedef struct
{
  char           *stage_id;
  AdwExpanderRow *row;
  AdwEntryRow    *title;
  GtkSpinButton  *due_days;
} TriggerRows;

struct _LkFollowupPage
{
  AdwPreferencesPage  parent_instance;

  /* Template widgets */
  AdwPreferencesGroup *grades_group;
  AdwPreferencesGroup *triggers_group;
  GtkLabel           *error_label;
  GtkSpinButton      *stale_spin;

  /* Owned */
  LkContext          *context;
  GradeRows           grade_rows[G_N_ELEMENTS (grades)];
  GPtrArray          *triggers;  /* TriggerRows */
  char               *error;

  gboolean            loading;
};

G_DEFINE_FINAL_TYPE (LkFollowupPage, lk_followup_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void changed_cb (LkFollowupPage *self);

static void
trigger_rows_free (gpointer data)
{
  TriggerRows *rows = data;

  g_free (rows->stage_id);
  g_free (rows);
}

static void
set_error (LkFollowupPage *self,
           const char     *message)
{
  lk_set_str (&self->error, message);
  lk_rules_show_error (self->error_label, message);
}

static guint
spin_value (GtkSpinButton *spin)
{
  return (guint) gtk_spin_button_get_value_as_int (spin);
}

static void
add_grade_rows (LkFollowupPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (grades); i++)
    {
      GradeRows *rows = &self->grade_rows[i];
      /* Translators: %s is a lead grade, A, B or C */
      g_autofree char *title = g_strdup_printf (_("Grade %s"), grades[i]);

      rows->row = ADW_EXPANDER_ROW (adw_expander_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rows->row), title);
      adw_expander_row_add_row (rows->row, GTK_WIDGET (lk_rules_spin_row (
        _("Next Follow-up After (Days)"), _("The earliest day the next follow-up is proposed for"),
        0, 365, 0, G_CALLBACK (changed_cb), self, &rows->min_days)));
      adw_expander_row_add_row (rows->row, GTK_WIDGET (lk_rules_spin_row (
        _("Next Follow-up Within (Days)"), _("The latest day: a follow-up later than this is overdue"),
        0, 365, 0, G_CALLBACK (changed_cb), self, &rows->max_days)));
      adw_expander_row_add_row (rows->row, GTK_WIDGET (lk_rules_spin_row (
        _("Contacts at Most"), _("More contacts than this in the period below warn “contacted too often”; 0 for no limit"),
        0, 100, 0, G_CALLBACK (changed_cb), self, &rows->max_contacts)));
      adw_expander_row_add_row (rows->row, GTK_WIDGET (lk_rules_spin_row (
        _("Period (Days)"), _("1 is one calendar day, 7 a week"),
        1, 365, 1, G_CALLBACK (changed_cb), self, &rows->per_days)));
      adw_preferences_group_add (self->grades_group, GTK_WIDGET (rows->row));
    }
}

static void
add_trigger_rows (LkFollowupPage *self)
{
  LkPipeline *pipeline = lk_context_get_pipeline (self->context);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (pipeline));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LkStage) stage = g_list_model_get_item (G_LIST_MODEL (pipeline), i);
      TriggerRows *rows = g_new0 (TriggerRows, 1);

      if (i == 0)
        {
          /* A new lead enters the first stage without "entering" it. */
          g_free (rows);
          continue;
        }
      rows->stage_id = g_strdup (lk_stage_get_id (stage));
      rows->row = ADW_EXPANDER_ROW (adw_expander_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rows->row), lk_stage_get_name (stage));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (rows->row), FALSE);
      adw_expander_row_set_show_enable_switch (rows->row, TRUE);
      rows->title = lk_rules_entry_row (_("Task Title"), "", G_CALLBACK (changed_cb), self);
      adw_expander_row_add_row (rows->row, GTK_WIDGET (rows->title));
      adw_expander_row_add_row (rows->row, GTK_WIDGET (lk_rules_spin_row (
        _("Due After (Days)"), NULL, 0, 365, 3, G_CALLBACK (changed_cb), self, &rows->due_days)));
      g_signal_connect_swapped (rows->row, "notify::enable-expansion", G_CALLBACK (changed_cb), self);
      adw_preferences_group_add (self->triggers_group, GTK_WIDGET (rows->row));
      g_ptr_array_add (self->triggers, rows);
    }
}

static void
load (LkFollowupPage *self)
{
  g_autoptr(GError) error = NULL;
  LkStore *store = lk_context_get_store (self->context);
  LkPipeline *pipeline = lk_context_get_pipeline (self->context);
  LkCadence *cadence = lk_store_get_cadence (store, &error);
  g_autoptr(LkCadence) fallback = NULL;

  if (cadence == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The follow-up rules from the server cannot be used, so they do not run: %s. Changing a value here replaces them."),
                                                  error->message);

      set_error (self, message);
      cadence = fallback = lk_cadence_new_default ();
    }
  else
    set_error (self, NULL);

  self->loading = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (grades); i++)
    {
      const LkCadenceGrade *grade = lk_cadence_get_grade (cadence, grades[i]);
      GradeRows *rows = &self->grade_rows[i];
      g_autofree char *description = lk_cadence_describe_grade (cadence, grades[i]);

      gtk_spin_button_set_value (rows->min_days, grade->min_days);
      gtk_spin_button_set_value (rows->max_days, grade->max_days);
      gtk_spin_button_set_value (rows->max_contacts, grade->max_contacts);
      gtk_spin_button_set_value (rows->per_days, grade->per_days);
      adw_expander_row_set_subtitle (rows->row, description);
    }
  gtk_spin_button_set_value (self->stale_spin, lk_cadence_get_stale_days (cadence));
  for (guint i = 0; i < self->triggers->len; i++)
    {
      TriggerRows *rows = g_ptr_array_index (self->triggers, i);
      const LkStageTrigger *trigger = lk_cadence_find_trigger (cadence, rows->stage_id);

      adw_expander_row_set_enable_expansion (rows->row, trigger != NULL);
      adw_expander_row_set_expanded (rows->row, FALSE);
      if (trigger != NULL)
        {
          g_autofree char *title = lk_cadence_trigger_title (trigger, pipeline);

          gtk_editable_set_text (GTK_EDITABLE (rows->title), trigger->title);
          gtk_spin_button_set_value (rows->due_days, trigger->due_days);
          adw_expander_row_set_subtitle (rows->row, title);
        }
      else
        adw_expander_row_set_subtitle (rows->row, _("No task"));
    }
  self->loading = FALSE;
}

/* The rules as the page shows them, or %NULL with @error saying what
 * to correct. */
static LkCadence *
collect (LkFollowupPage  *self,
         GError         **error)
{
  LkCadence *current = lk_store_get_cadence (lk_context_get_store (self->context), NULL);
  g_autoptr(LkCadence) cadence = current ? lk_cadence_copy (current) : lk_cadence_new_default ();

  for (guint i = 0; i < G_N_ELEMENTS (grades); i++)
    {
      GradeRows *rows = &self->grade_rows[i];
      LkCadenceGrade grade = {
        .min_days = spin_value (rows->min_days),
        .max_days = spin_value (rows->max_days),
        .max_contacts = spin_value (rows->max_contacts),
        .per_days = MAX (spin_value (rows->per_days), 1),
      };

      if (grade.min_days > grade.max_days)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       /* Translators: %s is a grade; the numbers are days */
                       _("Grade %s: the next follow-up cannot come after %u days and within %u days. Make “Within” at least %u, or lower “After”."),
                       grades[i], grade.min_days, grade.max_days, grade.min_days);
          return NULL;
        }
      lk_cadence_set_grade (cadence, grades[i], &grade);
    }
  lk_cadence_set_stale_days (cadence, MAX (spin_value (self->stale_spin), 1));
  for (guint i = 0; i < self->triggers->len; i++)
    {
      TriggerRows *rows = g_ptr_array_index (self->triggers, i);

      if (adw_expander_row_get_enable_expansion (rows->row))
        {
          g_autofree char *title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (rows->title))));

          lk_cadence_set_trigger (cadence, rows->stage_id, title, spin_value (rows->due_days));
        }
      else
        lk_cadence_remove_trigger (cadence, rows->stage_id);
    }
  return g_steal_pointer (&cadence);
}

static void
changed_cb (LkFollowupPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkCadence) cadence = NULL;

  if (self->loading)
    return;
  cadence = collect (self, &error);
  self->loading = TRUE;
  if (cadence == NULL || !lk_store_set_cadence (lk_context_get_store (self->context), cadence, &error))
    set_error (self, error->message);
  else
    {
      LkPipeline *pipeline = lk_context_get_pipeline (self->context);

      set_error (self, NULL);
      for (guint i = 0; i < G_N_ELEMENTS (grades); i++)
        {
          g_autofree char *description = lk_cadence_describe_grade (cadence, grades[i]);

          adw_expander_row_set_subtitle (self->grade_rows[i].row, description);
        }
      for (guint i = 0; i < self->triggers->len; i++)
        {
          TriggerRows *rows = g_ptr_array_index (self->triggers, i);
          const LkStageTrigger *trigger = lk_cadence_find_trigger (cadence, rows->stage_id);
          g_autofree char *title = trigger ? lk_cadence_trigger_title (trigger, pipeline) : NULL;

          adw_expander_row_set_subtitle (rows->row, title ? title : _("No task"));
        }
    }
  self->loading = FALSE;
}

static void
store_changed_cb (LkFollowupPage     *self,
                  const char         *doc_type,
                  const char * const *ids,
                  LkStore            *store)
{
  if (self->loading || self->error != NULL)
    return;
  if (doc_type == NULL || (g_str_equal (doc_type, "settings") &&
                           (ids == NULL || g_strv_contains (ids, "settings:" LK_RULES_CADENCE))))
    load (self);
}

static void
lk_followup_page_constructed (GObject *object)
{
  LkFollowupPage *self = LK_FOLLOWUP_PAGE (object);

  G_OBJECT_CLASS (lk_followup_page_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  self->loading = TRUE;
  add_grade_rows (self);
  add_trigger_rows (self);
  self->loading = FALSE;
  g_signal_connect_object (lk_context_get_store (self->context), "changed",
                           G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  load (self);
}

static void
lk_followup_page_dispose (GObject *object)
{
  LkFollowupPage *self = LK_FOLLOWUP_PAGE (object);

  g_clear_object (&self->context);

  G_OBJECT_CLASS (lk_followup_page_parent_class)->dispose (object);
}

static void
lk_followup_page_finalize (GObject *object)
{
  LkFollowupPage *self = LK_FOLLOWUP_PAGE (object);

  g_ptr_array_unref (self->triggers);
  g_free (self->error);

  G_OBJECT_CLASS (lk_followup_page_parent_class)->finalize (object);
}

static void
lk_followup_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  LkFollowupPage *self = LK_FOLLOWUP_PAGE (object);

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
lk_followup_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  LkFollowupPage *self = LK_FOLLOWUP_PAGE (object);

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
lk_followup_page_class_init (LkFollowupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = lk_followup_page_constructed;
  object_class->dispose = lk_followup_page_dispose;
  object_class->finalize = lk_followup_page_finalize;
  object_class->get_property = lk_followup_page_get_property;
  object_class->set_property = lk_followup_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, LK_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/preferences/lk-followup-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LkFollowupPage, grades_group);
  gtk_widget_class_bind_template_child (widget_class, LkFollowupPage, triggers_group);
  gtk_widget_class_bind_template_child (widget_class, LkFollowupPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, LkFollowupPage, stale_spin);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
}

static void
lk_followup_page_init (LkFollowupPage *self)
{
  self->loading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->loading = FALSE;
  self->triggers = g_ptr_array_new_with_free_func (trigger_rows_free);
}

LkFollowupPage *
lk_followup_page_new (LkContext *context)
{
  g_return_val_if_fail (LK_IS_CONTEXT (context), NULL);

  return g_object_new (LK_TYPE_FOLLOWUP_PAGE, "context", context, NULL);
}

/* Returns: (nullable): why the last change was not saved */
const char *
lk_followup_page_get_error (LkFollowupPage *self)
{
  g_return_val_if_fail (LK_IS_FOLLOWUP_PAGE (self), NULL);
  return self->error;
}
