/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-bulk-bar"

#include <glib/gi18n-lib.h>

#include "lk-bulk-bar.h"
#include "lk-format.h"
#include "lk-utils.h"

/* The bar under the leads table while leads are selected: how many, and
 * the bulk actions. Its buttons only name actions ("table.move-to", …);
 * the table that contains it implements them. While a bulk change runs
 * on a worker the bar shows its status with a spinner. */
struct _LkBulkBar
{
  AdwBin          parent_instance;

  /* Template widgets */
  GtkActionBar   *action_bar;
  GtkLabel       *count_label;
  GtkSpinner     *spinner;
  GtkLabel       *status_label;
  GtkButton      *stop_button;
  GtkMenuButton  *stage_button;
  GtkMenuButton  *owner_button;

  /* Owned */
  char           *status;

  guint           n_selected;
};

G_DEFINE_FINAL_TYPE (LkBulkBar, lk_bulk_bar, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_N_SELECTED,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update (LkBulkBar *self)
{
  g_autofree char *count = lk_format_count (self->n_selected);
  g_autofree char *text = NULL;
  gboolean busy = self->status != NULL;

  /* Translators: %s is a number: "3 selected" under the leads table */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s selected", "%s selected", self->n_selected), count);
  gtk_label_set_text (self->count_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->count_label), self->n_selected > 0);

  gtk_label_set_text (self->status_label, busy ? self->status : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_widget_set_visible (GTK_WIDGET (self->stop_button), busy);
  gtk_spinner_set_spinning (self->spinner, busy);

  gtk_action_bar_set_revealed (self->action_bar, self->n_selected > 0 || busy);
}

static void
lk_bulk_bar_finalize (GObject *object)
{
  LkBulkBar *self = LK_BULK_BAR (object);

  g_clear_pointer (&self->status, g_free);

  G_OBJECT_CLASS (lk_bulk_bar_parent_class)->finalize (object);
}

static void
lk_bulk_bar_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  LkBulkBar *self = LK_BULK_BAR (object);

  switch (prop_id)
    {
    case PROP_N_SELECTED:
      g_value_set_uint (value, self->n_selected);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_bulk_bar_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  LkBulkBar *self = LK_BULK_BAR (object);

  switch (prop_id)
    {
    case PROP_N_SELECTED:
      lk_bulk_bar_set_n_selected (self, g_value_get_uint (value));
      break;
    case PROP_STATUS:
      lk_bulk_bar_set_status (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_bulk_bar_class_init (LkBulkBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = lk_bulk_bar_finalize;
  object_class->get_property = lk_bulk_bar_get_property;
  object_class->set_property = lk_bulk_bar_set_property;

  properties[PROP_N_SELECTED] =
    g_param_spec_uint ("n-selected", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/leads/lk-bulk-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, LkBulkBar, action_bar);
  gtk_widget_class_bind_template_child (widget_class, LkBulkBar, count_label);
  gtk_widget_class_bind_template_child (widget_class, LkBulkBar, spinner);
  gtk_widget_class_bind_template_child (widget_class, LkBulkBar, status_label);
  gtk_widget_class_bind_template_child (widget_class, LkBulkBar, stop_button);
  gtk_widget_class_bind_template_child (widget_class, LkBulkBar, stage_button);
  gtk_widget_class_bind_template_child (widget_class, LkBulkBar, owner_button);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_TOOLBAR);
}

static void
lk_bulk_bar_init (LkBulkBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}

LkBulkBar *
lk_bulk_bar_new (void)
{
  return g_object_new (LK_TYPE_BULK_BAR, NULL);
}

guint
lk_bulk_bar_get_n_selected (LkBulkBar *self)
{
  g_return_val_if_fail (LK_IS_BULK_BAR (self), 0);
  return self->n_selected;
}

/* The bar shows itself while leads are selected or a change runs. */
void
lk_bulk_bar_set_n_selected (LkBulkBar *self,
                            guint      n_selected)
{
  g_return_if_fail (LK_IS_BULK_BAR (self));

  if (self->n_selected == n_selected)
    return;
  self->n_selected = n_selected;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SELECTED]);
}

const char *
lk_bulk_bar_get_status (LkBulkBar *self)
{
  g_return_val_if_fail (LK_IS_BULK_BAR (self), NULL);
  return self->status;
}

/**
 * lk_bulk_bar_set_status:
 * @status: (nullable): what is running ("Moving 20,000 leads…"), shown
 *   with a spinner; %NULL when nothing runs
 */
void
lk_bulk_bar_set_status (LkBulkBar  *self,
                        const char *status)
{
  g_return_if_fail (LK_IS_BULK_BAR (self));

  if (!lk_set_str (&self->status, status))
    return;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

void
lk_bulk_bar_set_stage_menu (LkBulkBar  *self,
                            GMenuModel *menu)
{
  g_return_if_fail (LK_IS_BULK_BAR (self));
  gtk_menu_button_set_menu_model (self->stage_button, menu);
}

void
lk_bulk_bar_set_owner_menu (LkBulkBar  *self,
                            GMenuModel *menu)
{
  g_return_if_fail (LK_IS_BULK_BAR (self));
  gtk_menu_button_set_menu_model (self->owner_button, menu);
}
