/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-quick-capture"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dedup/lk-duplicate-banner.h"
#include "dedup/lk-merge-dialog.h"
#include "lk-format.h"
#include "lk-quick-capture.h"
#include "lk-store-capture.h"
#include "lk-store-merge.h"
#include "lk-utils.h"
#include "lk-validate.h"

/* Exhibition mode: a compact form for one lead after another, from the
 * keyboard only. The event (campaign) and the source stay from lead to
 * lead (and in GSettings from one day to the next); Enter in any field
 * saves the lead in the local store (no network needed), clears the form
 * and goes back to the first field; the duplicate banner checks while
 * typing, and its Merge puts what was typed into the lead already there
 * instead (with Undo); the title counts today's captures. */

#define DEFAULT_SOURCE "exhibition"

typedef struct
{
  const char  *row;    /* the template child */
  LkLeadField  field;
} FieldRow;

struct _LkQuickCapture
{
  AdwWindow          parent_instance;

  /* Template widgets */
  AdwWindowTitle    *window_title;
  AdwToastOverlay   *toast_overlay;
  AdwEntryRow       *event_row;
  LkDuplicateBanner *banner;
  AdwEntryRow       *contact_row;
  AdwEntryRow       *company_row;
  AdwEntryRow       *phone_row;
  AdwEntryRow       *email_row;
  AdwEntryRow       *title_row;
  AdwEntryRow       *needs_row;
  AdwComboRow       *grade_row;
  AdwEntryRow       *tags_row;
  AdwEntryRow       *note_row;
  GtkLabel          *error_label;

  /* Owned */
  LkContext         *context;
  GSettings         *settings;  /* nullable: without a schema, nothing is remembered */
  char              *error;

  gint64             count;
};

G_DEFINE_FINAL_TYPE (LkQuickCapture, lk_quick_capture, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_SETTINGS,
  PROP_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const grades[] = { NULL, "A", "B", "C" };

/* The text rows and the lead field each fills, in the order of the form */
static AdwEntryRow **
text_rows (LkQuickCapture *self,
           LkLeadField    *fields)
{
  static const LkLeadField order[] = {
    LK_LEAD_CONTACT, LK_LEAD_COMPANY, LK_LEAD_PHONE, LK_LEAD_EMAIL, LK_LEAD_TITLE,
    LK_LEAD_NEEDS, LK_LEAD_TAGS, LK_LEAD_NOTES,
  };
  AdwEntryRow **rows = g_new0 (AdwEntryRow *, G_N_ELEMENTS (order) + 1);

  rows[0] = self->contact_row;
  rows[1] = self->company_row;
  rows[2] = self->phone_row;
  rows[3] = self->email_row;
  rows[4] = self->title_row;
  rows[5] = self->needs_row;
  rows[6] = self->tags_row;
  rows[7] = self->note_row;
  if (fields != NULL)
    memcpy (fields, order, sizeof order);
  return rows;
}

static const char *
source (LkQuickCapture *self,
        char          **owned)
{
  if (self->settings != NULL)
    {
      *owned = g_settings_get_string (self->settings, "capture-source");
      if (*owned != NULL && (*owned)[0] != '\0')
        return *owned;
    }
  return DEFAULT_SOURCE;
}

/* The lead as typed; @error for a value the field cannot take. */
static LkLead *
lead_from_form (LkQuickCapture  *self,
                GError         **error)
{
  g_autoptr(LkLead) lead = lk_lead_new ();
  LkRecord *record = LK_RECORD (lead);
  LkLeadField fields[8];
  g_autofree AdwEntryRow **rows = text_rows (self, fields);
  g_autofree char *owned_source = NULL;
  const char *campaign = gtk_editable_get_text (GTK_EDITABLE (self->event_row));
  guint grade = adw_combo_row_get_selected (self->grade_row);

  for (guint i = 0; rows[i] != NULL; i++)
    {
      g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (rows[i]))));

      if (text[0] != '\0' && !lk_record_set_from_text (record, fields[i], text, error))
        return NULL;
    }
  if (grade < G_N_ELEMENTS (grades) && grades[grade] != NULL)
    lk_record_set_string (record, LK_LEAD_GRADE, grades[grade]);
  lk_record_set_string (record, LK_LEAD_SOURCE, source (self, &owned_source));
  if (campaign[0] != '\0')
    {
      g_autofree char *stripped = g_strstrip (g_strdup (campaign));

      lk_record_set_string (record, LK_LEAD_CAMPAIGN, stripped);
    }
  return g_steal_pointer (&lead);
}

static void
update_count (LkQuickCapture *self)
{
  LkStore *store = lk_context_get_store (self->context);
  LkClock *clock = lk_context_get_clock (self->context);
  g_autofree char *owned_source = NULL;
  g_autofree char *count = NULL;
  g_autofree char *subtitle = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n;

  n = lk_store_count_captures (store, lk_clock_start_of_day (clock, lk_clock_now_ms (clock)),
                               source (self, &owned_source), lk_store_get_user_id (store), &error);
  if (n < 0)
    {
      g_warning ("%s", error->message);
      return;
    }
  count = lk_format_count (n);
  /* Translators: the subtitle of quick capture: "12 captured today" */
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s captured today", "%s captured today", (gulong) n), count);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  if (self->count != n)
    {
      self->count = n;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT]);
    }
}

static void
show_error (LkQuickCapture *self,
            const char     *message)
{
  lk_set_str (&self->error, message);
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
clear_form (LkQuickCapture *self)
{
  g_autofree AdwEntryRow **rows = text_rows (self, NULL);

  for (guint i = 0; rows[i] != NULL; i++)
    gtk_editable_set_text (GTK_EDITABLE (rows[i]), "");
  adw_combo_row_set_selected (self->grade_row, 0);
  lk_duplicate_banner_reset (self->banner);
  show_error (self, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->contact_row));
}

static void
field_changed_cb (LkQuickCapture *self,
                  GtkEditable    *editable)
{
  g_autoptr(LkLead) lead = lead_from_form (self, NULL);

  if (self->error != NULL)
    show_error (self, NULL);
  if (lead != NULL)
    lk_duplicate_banner_check (self->banner, lead);
}

static void
event_changed_cb (LkQuickCapture *self,
                  GtkEditable    *editable)
{
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "capture-campaign", gtk_editable_get_text (editable));
}

static void
open_duplicate_cb (LkQuickCapture    *self,
                   LkLead            *lead,
                   LkDuplicateBanner *banner)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (parent != NULL)
    gtk_widget_activate_action (GTK_WIDGET (parent), "win.open-lead", "s", lk_record_get_id (LK_RECORD (lead)));
}

static void
merged_cb (LkQuickCapture *self,
           const char     *primary_id,
           guint           n_merged,
           const char     *merge_id,
           LkMergeDialog  *dialog)
{
  clear_form (self);
  adw_toast_overlay_add_toast (self->toast_overlay,
                               lk_merge_toast_new (self->context, primary_id, merge_id, "capture.unmerge"));
}

/* The banner's Merge: what was typed goes into the lead already there,
 * field by field as chosen, and the form starts the next lead. */
static void
merge_duplicate_cb (LkQuickCapture    *self,
                    LkLead            *match,
                    LkDuplicateBanner *banner)
{
  g_autoptr(LkLead) typed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *region = lk_store_get_local (lk_context_get_store (self->context), "phone-region");
  LkMergeDialog *dialog;

  /* As it would be saved (a phone in E.164), so that the dialog offers
   * only what really differs */
  typed = lead_from_form (self, &error);
  if (typed != NULL && !lk_lead_normalize (typed, region ? region : LK_DEFAULT_PHONE_REGION, &error))
    g_clear_object (&typed);
  if (typed == NULL)
    {
      show_error (self, error->message);
      return;
    }
  dialog = lk_merge_dialog_new_typed (self->context, match, typed);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  g_signal_connect_object (dialog, "merged", G_CALLBACK (merged_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
unmerge_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LkQuickCapture *self = LK_QUICK_CAPTURE (widget);
  g_autoptr(GError) error = NULL;

  if (!lk_store_unmerge (lk_context_get_store (self->context), g_variant_get_string (parameter, NULL), &error))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
  update_count (self);
}

/* Enter in any field saves: the form is typed from the keyboard only. */
static void
entry_activated_cb (LkQuickCapture *self,
                    AdwEntryRow    *row)
{
  lk_quick_capture_save (self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  lk_quick_capture_save (LK_QUICK_CAPTURE (widget));
}

static void
lk_quick_capture_constructed (GObject *object)
{
  LkQuickCapture *self = LK_QUICK_CAPTURE (object);

  G_OBJECT_CLASS (lk_quick_capture_parent_class)->constructed (object);

  lk_duplicate_banner_set_context (self->banner, self->context);
  if (self->settings != NULL)
    {
      g_autofree char *campaign = g_settings_get_string (self->settings, "capture-campaign");

      gtk_editable_set_text (GTK_EDITABLE (self->event_row), campaign);
    }
  g_signal_connect_object (self->event_row, "changed", G_CALLBACK (event_changed_cb), self, G_CONNECT_SWAPPED);
  update_count (self);
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->contact_row));
}

static void
lk_quick_capture_dispose (GObject *object)
{
  LkQuickCapture *self = LK_QUICK_CAPTURE (object);

  g_clear_object (&self->context);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (lk_quick_capture_parent_class)->dispose (object);
}

static void
lk_quick_capture_finalize (GObject *object)
{
  LkQuickCapture *self = LK_QUICK_CAPTURE (object);

  g_free (self->error);
  G_OBJECT_CLASS (lk_quick_capture_parent_class)->finalize (object);
}

static void
lk_quick_capture_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  LkQuickCapture *self = LK_QUICK_CAPTURE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_COUNT:
      g_value_set_int64 (value, self->count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_quick_capture_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  LkQuickCapture *self = LK_QUICK_CAPTURE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_quick_capture_class_init (LkQuickCaptureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = lk_quick_capture_constructed;
  object_class->dispose = lk_quick_capture_dispose;
  object_class->finalize = lk_quick_capture_finalize;
  object_class->get_property = lk_quick_capture_get_property;
  object_class->set_property = lk_quick_capture_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, LK_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COUNT] =
    g_param_spec_int64 ("count", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (LK_TYPE_DUPLICATE_BANNER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/leadkeeper/Leadkeeper/capture/lk-quick-capture.ui");
  gtk_widget_class_bind_template_child (widget_class, LkQuickCapture, window_title);
  gtk_widget_class_bind_template_child (widget_class, LkQuickCapture, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LkQuickCapture, event_row);
  gtk_widget_class_bind_template_child (widget_class, LkQuickCapture, banner);
  gtk_widget_class_bind_template_child (widget_class, LkQuickCapture, contact_row);
  gtk_widget_class_bind_template_child (widget_class, LkQuickCapture, company_row);
  gtk_widget_class_bind_template_child (widget_class, LkQuickCapture, phone_row);
  gtk_widget_class_bind_template_child (widget_class, LkQuickCapture, email_row);
  gtk_widget_class_bind_template_child (widget_class, LkQuickCapture, title_row);
  gtk_widget_class_bind_template_child (widget_class, LkQuickCapture, needs_row);
  gtk_widget_class_bind_template_child (widget_class, LkQuickCapture, grade_row);
  gtk_widget_class_bind_template_child (widget_class, LkQuickCapture, tags_row);
  gtk_widget_class_bind_template_child (widget_class, LkQuickCapture, note_row);
  gtk_widget_class_bind_template_child (widget_class, LkQuickCapture, error_label);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_duplicate_cb);
  gtk_widget_class_bind_template_callback (widget_class, merge_duplicate_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);

  gtk_widget_class_install_action (widget_class, "capture.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "capture.unmerge", "s", unmerge_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
lk_quick_capture_init (LkQuickCapture *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

LkQuickCapture *
lk_quick_capture_new (LkContext *context,
                      GSettings *settings)
{
  g_return_val_if_fail (LK_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (LK_TYPE_QUICK_CAPTURE, "context", context, "settings", settings, NULL);
}

/* How many leads this desktop's user captured today */
gint64
lk_quick_capture_get_count (LkQuickCapture *self)
{
  g_return_val_if_fail (LK_IS_QUICK_CAPTURE (self), 0);

  return self->count;
}

/**
 * lk_quick_capture_save:
 *
 * Saves the lead typed, then clears the form (keeping the event) for the
 * next one. On bad input the form stays as typed and the error is shown.
 *
 * Returns: whether the lead was saved
 */
gboolean
lk_quick_capture_save (LkQuickCapture *self)
{
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (LK_IS_QUICK_CAPTURE (self), FALSE);

  lead = lead_from_form (self, &error);
  if (lead == NULL || !lk_store_create_lead (lk_context_get_store (self->context), lead, &error))
    {
      show_error (self, error->message);
      return FALSE;
    }
  clear_form (self);
  update_count (self);
  return TRUE;
}

/* Returns: (nullable): the message of the last save that failed, until
 * the form changes */
const char *
lk_quick_capture_get_error (LkQuickCapture *self)
{
  g_return_val_if_fail (LK_IS_QUICK_CAPTURE (self), NULL);

  return self->error;
}
