/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-duplicate-banner"

#include <glib/gi18n-lib.h>

#include "lk-duplicate-banner.h"
#include "lk-format.h"
#include "lk-store-merge.h"
#include "lk-utils.h"

/* "Possible duplicate: 华信科技 — owned by 李雷 since 3 May", above a form
 * where a lead is typed (the editor, quick capture). The host hands it the
 * lead as typed after each change; it looks the keys up a moment after the
 * typing stops (an index lookup per key: well under a millisecond on
 * 100,000 leads, so on the main thread). Open and Merge are the host's:
 * ::open and ::merge; Add Anyway hides the warning for that lead. */

#define CHECK_DELAY_MS 300

struct _LkDuplicateBanner
{
  AdwBin       parent_instance;

  /* Template widgets */
  GtkRevealer *revealer;
  GtkLabel    *label;
  GtkButton   *merge_button;

  /* Owned */
  LkContext   *context;
  LkLead      *typed;      /* the lead to check, until the check runs */
  LkLead      *match;      /* the lead found, or NULL */
  char        *dismissed;  /* the id of a match Add Anyway hid */

  guint        check_id;
};

G_DEFINE_FINAL_TYPE (LkDuplicateBanner, lk_duplicate_banner, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SHOW_MERGE,
  PROP_MATCH,
  N_PROPS
};

enum {
  OPEN,
  MERGE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static char *
describe (LkDuplicateBanner *self,
          LkLead            *lead)
{
  LkStore *store = lk_context_get_store (self->context);
  GTimeZone *tz = lk_clock_get_timezone (lk_context_get_clock (self->context));
  const char *owner = lk_lead_get_owner (lead);
  g_autofree char *since = lk_format_date_short (lk_record_get_int (LK_RECORD (lead), LK_LEAD_CREATED_AT), tz);

  if (owner != NULL)
    {
      LkUser *user = g_hash_table_lookup (lk_store_get_users_by_id (store), owner);
      const char *name = user ? lk_user_get_display_name (user) : lk_user_id_get_name (owner);

      /* Translators: the lead being typed may be one already there:
       * "Possible duplicate: 华信科技 — owned by 李雷 since 3 May" */
      return g_strdup_printf (_("Possible duplicate: %s — owned by %s since %s"),
                              lk_lead_get_display_name (lead), name, since);
    }
  /* Translators: as "owned by", for a lead nobody owns yet */
  return g_strdup_printf (_("Possible duplicate: %s — in the pool since %s"),
                          lk_lead_get_display_name (lead), since);
}

static void
show_match (LkDuplicateBanner *self,
            LkLead            *match)
{
  gboolean shown;

  if (!g_set_object (&self->match, match) && match == NULL)
    return;
  shown = match != NULL && g_strcmp0 (self->dismissed, lk_record_get_id (LK_RECORD (match))) != 0;
  if (match != NULL)
    {
      g_autofree char *text = describe (self, match);

      gtk_label_set_text (self->label, text);
    }
  gtk_revealer_set_reveal_child (self->revealer, shown);
  gtk_widget_set_visible (GTK_WIDGET (self), shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "banner.open", match != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "banner.merge", match != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MATCH]);
}

static gboolean
check_cb (gpointer user_data)
{
  LkDuplicateBanner *self = user_data;

  self->check_id = 0;
  lk_duplicate_banner_check_now (self);
  return G_SOURCE_REMOVE;
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LkDuplicateBanner *self = LK_DUPLICATE_BANNER (widget);

  if (self->match != NULL)
    g_signal_emit (self, signals[OPEN], 0, self->match);
}

static void
merge_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  LkDuplicateBanner *self = LK_DUPLICATE_BANNER (widget);

  if (self->match != NULL)
    g_signal_emit (self, signals[MERGE], 0, self->match);
}

static void
dismiss_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LkDuplicateBanner *self = LK_DUPLICATE_BANNER (widget);

  if (self->match == NULL)
    return;
  lk_set_str (&self->dismissed, lk_record_get_id (LK_RECORD (self->match)));
  gtk_revealer_set_reveal_child (self->revealer, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

static void
lk_duplicate_banner_dispose (GObject *object)
{
  LkDuplicateBanner *self = LK_DUPLICATE_BANNER (object);

  g_clear_handle_id (&self->check_id, g_source_remove);
  g_clear_object (&self->context);
  g_clear_object (&self->typed);
  g_clear_object (&self->match);
  G_OBJECT_CLASS (lk_duplicate_banner_parent_class)->dispose (object);
}

static void
lk_duplicate_banner_finalize (GObject *object)
{
  LkDuplicateBanner *self = LK_DUPLICATE_BANNER (object);

  g_free (self->dismissed);
  G_OBJECT_CLASS (lk_duplicate_banner_parent_class)->finalize (object);
}

static void
lk_duplicate_banner_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  LkDuplicateBanner *self = LK_DUPLICATE_BANNER (object);

  switch (prop_id)
    {
    case PROP_SHOW_MERGE:
      g_value_set_boolean (value, gtk_widget_get_visible (GTK_WIDGET (self->merge_button)));
      break;
    case PROP_MATCH:
      g_value_set_object (value, self->match);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_duplicate_banner_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  LkDuplicateBanner *self = LK_DUPLICATE_BANNER (object);

  switch (prop_id)
    {
    case PROP_SHOW_MERGE:
      if (gtk_widget_get_visible (GTK_WIDGET (self->merge_button)) != g_value_get_boolean (value))
        {
          gtk_widget_set_visible (GTK_WIDGET (self->merge_button), g_value_get_boolean (value));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_duplicate_banner_class_init (LkDuplicateBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_duplicate_banner_dispose;
  object_class->finalize = lk_duplicate_banner_finalize;
  object_class->get_property = lk_duplicate_banner_get_property;
  object_class->set_property = lk_duplicate_banner_set_property;

  properties[PROP_SHOW_MERGE] =
    g_param_spec_boolean ("show-merge", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MATCH] =
    g_param_spec_object ("match", NULL, NULL, LK_TYPE_LEAD,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The lead found, to open or to merge with */
  signals[OPEN] = g_signal_new ("open", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 1, LK_TYPE_LEAD);
  signals[MERGE] = g_signal_new ("merge", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, LK_TYPE_LEAD);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/leadkeeper/Leadkeeper/dedup/lk-duplicate-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, LkDuplicateBanner, revealer);
  gtk_widget_class_bind_template_child (widget_class, LkDuplicateBanner, label);
  gtk_widget_class_bind_template_child (widget_class, LkDuplicateBanner, merge_button);

  gtk_widget_class_install_action (widget_class, "banner.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "banner.merge", NULL, merge_action);
  gtk_widget_class_install_action (widget_class, "banner.dismiss", NULL, dismiss_action);
}

static void
lk_duplicate_banner_init (LkDuplicateBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

void
lk_duplicate_banner_set_context (LkDuplicateBanner *self,
                                 LkContext         *context)
{
  g_return_if_fail (LK_IS_DUPLICATE_BANNER (self));
  g_return_if_fail (LK_IS_CONTEXT (context));

  g_set_object (&self->context, context);
}

/* Checks @typed a moment after the last call: call it on every change of
 * the form. @typed is copied. */
void
lk_duplicate_banner_check (LkDuplicateBanner *self,
                           LkLead            *typed)
{
  g_return_if_fail (LK_IS_DUPLICATE_BANNER (self));
  g_return_if_fail (LK_IS_LEAD (typed));

  g_clear_object (&self->typed);
  self->typed = lk_lead_copy (typed);
  g_clear_handle_id (&self->check_id, g_source_remove);
  self->check_id = g_timeout_add (CHECK_DELAY_MS, check_cb, self);
}

/* Runs the pending check at once (tests; a save that cannot wait). */
void
lk_duplicate_banner_check_now (LkDuplicateBanner *self)
{
  g_autoptr(LkLead) typed = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (LK_IS_DUPLICATE_BANNER (self));

  g_clear_handle_id (&self->check_id, g_source_remove);
  typed = g_steal_pointer (&self->typed);
  if (typed == NULL || self->context == NULL)
    return;
  found = lk_store_find_duplicates_of (lk_context_get_store (self->context), typed, 1, &error);
  if (found == NULL)
    {
      g_warning ("Could not look for duplicates: %s", error->message);
      return;
    }
  show_match (self, found->len > 0 ? g_ptr_array_index (found, 0) : NULL);
}

/* Forgets the match, the pending check and what Add Anyway hid: for a
 * form cleared for the next lead. */
void
lk_duplicate_banner_reset (LkDuplicateBanner *self)
{
  g_return_if_fail (LK_IS_DUPLICATE_BANNER (self));

  g_clear_handle_id (&self->check_id, g_source_remove);
  g_clear_object (&self->typed);
  g_clear_pointer (&self->dismissed, g_free);
  show_match (self, NULL);
}

/* Returns: (transfer none) (nullable): the lead the banner names */
LkLead *
lk_duplicate_banner_get_match (LkDuplicateBanner *self)
{
  g_return_val_if_fail (LK_IS_DUPLICATE_BANNER (self), NULL);

  return self->match;
}

/* Returns: the text shown, "" when hidden */
const char *
lk_duplicate_banner_get_text (LkDuplicateBanner *self)
{
  g_return_val_if_fail (LK_IS_DUPLICATE_BANNER (self), NULL);

  return gtk_revealer_get_reveal_child (self->revealer) ? gtk_label_get_text (self->label) : "";
}
