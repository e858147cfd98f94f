/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-pool-page"

#include <glib/gi18n-lib.h>

#include "lk-store-rules.h"
#include "lk-utils.h"
#include "preferences/lk-pool-page.h"
#include "preferences/lk-rules-rows.h"

/* Preferences, the Pool page: settings:pool (recycling uncontacted leads
 * and flagging unclaimed ones). Every change is saved at once through
 * lk_store_set_pool(); a change sync brings in is shown at once. */
struct _LkPoolPage
{
  AdwPreferencesPage  parent_instance;

  /* Template widgets */
  GtkLabel           *error_label;
  GtkSwitch          *recycle_switch;
  AdwActionRow       *hours_row;
  GtkSpinButton      *hours_spin;
  GtkSpinButton      *days_spin;

  /* Owned */
  LkContext          *context;
  char               *error;

  gboolean            loading;
};

G_DEFINE_FINAL_TYPE (LkPoolPage, lk_pool_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_error (LkPoolPage *self,
           const char *message)
{
  lk_set_str (&self->error, message);
  lk_rules_show_error (self->error_label, message);
}

static void
load (LkPoolPage *self)
{
  g_autoptr(GError) error = NULL;
  LkStore *store = lk_context_get_store (self->context);
  LkPool *pool = lk_store_get_pool (store, &error);
  g_autoptr(LkPool) fallback = NULL;

  if (pool == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The pool rules from the server cannot be used, so they do not run: %s. Changing a value here replaces them."),
                                                  error->message);

      set_error (self, message);
      pool = fallback = lk_pool_new_default ();
    }
  else
    set_error (self, NULL);

  self->loading = TRUE;
  gtk_switch_set_active (self->recycle_switch, lk_pool_get_recycle (pool));
  gtk_spin_button_set_value (self->hours_spin, lk_pool_get_recycle_hours (pool));
  gtk_spin_button_set_value (self->days_spin, lk_pool_get_unclaimed_days (pool));
  gtk_widget_set_sensitive (GTK_WIDGET (self->hours_row), lk_pool_get_recycle (pool));
  self->loading = FALSE;
}

static void
changed_cb (LkPoolPage *self)
{
  g_autoptr(GError) error = NULL;
  LkStore *store = lk_context_get_store (self->context);
  LkPool *current;
  g_autoptr(LkPool) pool = NULL;

  if (self->loading)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->hours_row), gtk_switch_get_active (self->recycle_switch));

  current = lk_store_get_pool (store, NULL);
  pool = current ? lk_pool_copy (current) : lk_pool_new_default ();
  lk_pool_set_recycle (pool, gtk_switch_get_active (self->recycle_switch));
  lk_pool_set_recycle_hours (pool, (guint) gtk_spin_button_get_value_as_int (self->hours_spin));
  lk_pool_set_unclaimed_days (pool, (guint) gtk_spin_button_get_value_as_int (self->days_spin));

  self->loading = TRUE;
  if (!lk_store_set_pool (store, pool, &error))
    set_error (self, error->message);
  else
    set_error (self, NULL);
  self->loading = FALSE;
}

static void
store_changed_cb (LkPoolPage         *self,
                  const char         *doc_type,
                  const char * const *ids,
                  LkStore            *store)
{
  if (self->loading)
    return;
  if (doc_type == NULL || (g_str_equal (doc_type, "settings") &&
                           (ids == NULL || g_strv_contains (ids, "settings:" LK_RULES_POOL))))
    load (self);
}

static void
lk_pool_page_constructed (GObject *object)
{
  LkPoolPage *self = LK_POOL_PAGE (object);

  G_OBJECT_CLASS (lk_pool_page_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  g_signal_connect_object (lk_context_get_store (self->context), "changed",
                           G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  load (self);
}

static void
lk_pool_page_dispose (GObject *object)
{
  LkPoolPage *self = LK_POOL_PAGE (object);

  g_clear_object (&self->context);

  G_OBJECT_CLASS (lk_pool_page_parent_class)->dispose (object);
}

static void
lk_pool_page_finalize (GObject *object)
{
  LkPoolPage *self = LK_POOL_PAGE (object);

  g_free (self->error);

  G_OBJECT_CLASS (lk_pool_page_parent_class)->finalize (object);
}

static void
lk_pool_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  LkPoolPage *self = LK_POOL_PAGE (object);

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
lk_pool_page_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  LkPoolPage *self = LK_POOL_PAGE (object);

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
lk_pool_page_class_init (LkPoolPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = lk_pool_page_constructed;
  object_class->dispose = lk_pool_page_dispose;
  object_class->finalize = lk_pool_page_finalize;
  object_class->get_property = lk_pool_page_get_property;
  object_class->set_property = lk_pool_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, LK_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/preferences/lk-pool-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LkPoolPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, LkPoolPage, recycle_switch);
  gtk_widget_class_bind_template_child (widget_class, LkPoolPage, hours_row);
  gtk_widget_class_bind_template_child (widget_class, LkPoolPage, hours_spin);
  gtk_widget_class_bind_template_child (widget_class, LkPoolPage, days_spin);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
}

static void
lk_pool_page_init (LkPoolPage *self)
{
  /* The template's signals fire while it is built: nothing to save yet. */
  self->loading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->loading = FALSE;
}

LkPoolPage *
lk_pool_page_new (LkContext *context)
{
  g_return_val_if_fail (LK_IS_CONTEXT (context), NULL);

  return g_object_new (LK_TYPE_POOL_PAGE, "context", context, NULL);
}

/* Returns: (nullable): why the last change was not saved */
const char *
lk_pool_page_get_error (LkPoolPage *self)
{
  g_return_val_if_fail (LK_IS_POOL_PAGE (self), NULL);
  return self->error;
}
