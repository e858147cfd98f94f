/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-sync-button"

#include <glib/gi18n-lib.h>

#include "lk-format.h"
#include "lk-utils.h"
#include "widgets/lk-sync-button.h"

/* Everything shown follows the client's properties (state, progress,
 * last-error, last-sync-at, pending): one update on any notify. The
 * button acts only through actions the window and application own. */
struct _LkSyncButton
{
  AdwBin          parent_instance;

  /* Template widgets */
  GtkMenuButton  *menu_button;
  GtkStack       *icon_stack;
  GtkImage       *icon;
  GtkSpinner     *spinner;
  GtkLabel       *short_label;
  GtkPopover     *popover;
  GtkLabel       *title_label;
  GtkLabel       *detail_label;
  GtkProgressBar *progress_bar;
  GtkLabel       *pending_label;
  GtkBox         *conflicts_box;
  GtkLabel       *conflicts_label;
  GtkButton      *sync_now_button;
  GtkButton      *preferences_button;

  /* Owned */
  LkSyncClient   *client;
  char           *icon_name;
  char           *conflicts_text;

  guint           conflicts;
  gulong          notify_id;
};

G_DEFINE_FINAL_TYPE (LkSyncButton, lk_sync_button, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_CONFLICTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_today (gint64 ms)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) then = g_date_time_to_local (utc);

  return g_date_time_get_year (now) == g_date_time_get_year (then)
         && g_date_time_get_day_of_year (now) == g_date_time_get_day_of_year (then);
}

static void
update (LkSyncButton *self)
{
  LkSyncState state = self->client ? lk_sync_client_get_state (self->client) : LK_SYNC_STATE_UNCONFIGURED;
  const char *error = self->client ? lk_sync_client_get_last_error (self->client) : NULL;
  gint64 pending = self->client ? lk_sync_client_get_pending (self->client) : 0;
  double progress = self->client ? lk_sync_client_get_progress (self->client) : 0.0;
  const char *icon_name = "emblem-synchronizing-symbolic";
  g_autofree char *title = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *label = NULL;
  g_autofree char *pending_text = NULL;

  switch (state)
    {
    case LK_SYNC_STATE_UNCONFIGURED:
      icon_name = "network-server-symbolic";
      title = g_strdup (_("Sync is not set up"));
      detail = g_strdup (_("Leads stay on this computer. Enter your team’s server in Preferences to share them."));
      break;

    case LK_SYNC_STATE_IDLE:
      {
        gint64 at = lk_sync_client_get_last_sync_at (self->client);

        if (at == 0)
          title = g_strdup (_("Not synced yet"));
        else if (is_today (at))
          {
            label = lk_format_time (at, NULL);
            /* Translators: %s is a time of day ("14:05") */
            title = g_strdup_printf (_("Synced at %s"), label);
          }
        else
          {
            g_autofree char *when = lk_format_date_time (at, NULL);

            label = lk_format_date_short (at, NULL);
            /* Translators: %s is a date and time ("Nov 27, 2026 14:05") */
            title = g_strdup_printf (_("Last synced on %s"), when);
          }
      }
      break;

    case LK_SYNC_STATE_SYNCING:
      if (progress > 0.0)
        {
          int percent = (int) (CLAMP (progress, 0.0, 1.0) * 100.0 + 0.5);

          /* Translators: a percentage next to the sync button ("42 %");
           * use your language's usual form */
          label = g_strdup_printf (_("%d %%"), percent);
          /* Translators: %d is a percentage */
          title = g_strdup_printf (_("Syncing… %d %%"), percent);
        }
      else
        title = g_strdup (_("Syncing…"));
      break;

    case LK_SYNC_STATE_OFFLINE:
      icon_name = "network-offline-symbolic";
      title = g_strdup (_("Offline"));
      if (error != NULL)
        /* Translators: %s is why the server could not be reached */
        detail = g_strdup_printf (_("%s\n\nChanges are kept on this computer and sent when the server can be reached again."), error);
      else
        detail = g_strdup (_("Changes are kept on this computer and sent when the server can be reached again."));
      break;

    case LK_SYNC_STATE_ERROR:
    default:
      icon_name = "dialog-warning-symbolic";
      title = g_strdup (_("Sync failed"));
      detail = g_strdup (error ? error : _("The server answered something Leadkeeper did not expect."));
      break;
    }

  if (state == LK_SYNC_STATE_UNCONFIGURED)
    pending_text = NULL;
  else if (pending > 0)
    {
      g_autofree char *count = lk_format_count (pending);

      pending_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s change waits to be sent", "%s changes wait to be sent",
                                                   (gulong) pending),
                                      count);
    }
  else
    pending_text = g_strdup (_("No changes wait to be sent"));

  g_clear_pointer (&self->conflicts_text, g_free);
  if (self->conflicts > 0)
    self->conflicts_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                         "%u conflict needs your decision",
                                                         "%u conflicts need your decision",
                                                         self->conflicts),
                                            self->conflicts);

  lk_set_str (&self->icon_name, icon_name);
  gtk_image_set_from_icon_name (self->icon, icon_name);
  if (state == LK_SYNC_STATE_SYNCING)
    {
      gtk_stack_set_visible_child_name (self->icon_stack, "spinner");
      gtk_spinner_start (self->spinner);
    }
  else
    {
      gtk_spinner_stop (self->spinner);
      gtk_stack_set_visible_child_name (self->icon_stack, "icon");
    }
  gtk_label_set_text (self->short_label, label ? label : "");
  gtk_widget_set_visible (GTK_WIDGET (self->short_label), label != NULL);
  if (state == LK_SYNC_STATE_ERROR)
    gtk_widget_add_css_class (GTK_WIDGET (self->menu_button), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->menu_button), "error");

  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->detail_label, detail ? detail : "");
  gtk_widget_set_visible (GTK_WIDGET (self->detail_label), detail != NULL);
  if (state == LK_SYNC_STATE_ERROR)
    gtk_widget_add_css_class (GTK_WIDGET (self->detail_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->detail_label), "error");
  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (progress, 0.0, 1.0));
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), state == LK_SYNC_STATE_SYNCING);
  gtk_label_set_text (self->pending_label, pending_text ? pending_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->pending_label), pending_text != NULL);
  gtk_label_set_text (self->conflicts_label, self->conflicts_text ? self->conflicts_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_box), self->conflicts_text != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_now_button), state != LK_SYNC_STATE_UNCONFIGURED);

  /* Not set up: Preferences is the one thing to do. */
  if (state == LK_SYNC_STATE_UNCONFIGURED)
    gtk_widget_add_css_class (GTK_WIDGET (self->preferences_button), "suggested-action");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->preferences_button), "suggested-action");

  /* The button shows an icon: its tooltip and accessible description say
   * the state, its accessible name what it is. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->menu_button), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sync"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, title, -1);
}

static void
client_notify_cb (LkSyncButton *self,
                  GParamSpec   *pspec,
                  LkSyncClient *client)
{
  update (self);
}

/* The popover's first focusable widget would be the selectable detail,
 * all of it selected: start on the action instead. */
static void
popover_show_cb (LkSyncButton *self)
{
  if (gtk_widget_get_visible (GTK_WIDGET (self->sync_now_button)))
    gtk_widget_grab_focus (GTK_WIDGET (self->sync_now_button));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->preferences_button));
  gtk_label_select_region (self->detail_label, 0, 0);
}

static void
popdown_cb (LkSyncButton *self)
{
  gtk_popover_popdown (self->popover);
}

static void
lk_sync_button_dispose (GObject *object)
{
  LkSyncButton *self = LK_SYNC_BUTTON (object);

  if (self->client != NULL)
    g_clear_signal_handler (&self->notify_id, self->client);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (lk_sync_button_parent_class)->dispose (object);
}

static void
lk_sync_button_finalize (GObject *object)
{
  LkSyncButton *self = LK_SYNC_BUTTON (object);

  g_free (self->icon_name);
  g_free (self->conflicts_text);

  G_OBJECT_CLASS (lk_sync_button_parent_class)->finalize (object);
}

static void
lk_sync_button_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LkSyncButton *self = LK_SYNC_BUTTON (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_CONFLICTS:
      g_value_set_uint (value, self->conflicts);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_sync_button_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  LkSyncButton *self = LK_SYNC_BUTTON (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      lk_sync_button_set_client (self, g_value_get_object (value));
      break;
    case PROP_CONFLICTS:
      lk_sync_button_set_conflicts (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_sync_button_class_init (LkSyncButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_sync_button_dispose;
  object_class->finalize = lk_sync_button_finalize;
  object_class->get_property = lk_sync_button_get_property;
  object_class->set_property = lk_sync_button_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, LK_TYPE_SYNC_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONFLICTS] =
    g_param_spec_uint ("conflicts", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/widgets/lk-sync-button.ui");
  gtk_widget_class_bind_template_child (widget_class, LkSyncButton, menu_button);
  gtk_widget_class_bind_template_child (widget_class, LkSyncButton, icon_stack);
  gtk_widget_class_bind_template_child (widget_class, LkSyncButton, icon);
  gtk_widget_class_bind_template_child (widget_class, LkSyncButton, spinner);
  gtk_widget_class_bind_template_child (widget_class, LkSyncButton, short_label);
  gtk_widget_class_bind_template_child (widget_class, LkSyncButton, popover);
  gtk_widget_class_bind_template_child (widget_class, LkSyncButton, title_label);
  gtk_widget_class_bind_template_child (widget_class, LkSyncButton, detail_label);
  gtk_widget_class_bind_template_child (widget_class, LkSyncButton, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, LkSyncButton, pending_label);
  gtk_widget_class_bind_template_child (widget_class, LkSyncButton, conflicts_box);
  gtk_widget_class_bind_template_child (widget_class, LkSyncButton, conflicts_label);
  gtk_widget_class_bind_template_child (widget_class, LkSyncButton, sync_now_button);
  gtk_widget_class_bind_template_child (widget_class, LkSyncButton, preferences_button);
  gtk_widget_class_bind_template_callback (widget_class, popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, popdown_cb);
}

static void
lk_sync_button_init (LkSyncButton *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}

LkSyncButton *
lk_sync_button_new (void)
{
  return g_object_new (LK_TYPE_SYNC_BUTTON, NULL);
}

/* Returns: (nullable) (transfer none): the client shown */
LkSyncClient *
lk_sync_button_get_client (LkSyncButton *self)
{
  g_return_val_if_fail (LK_IS_SYNC_BUTTON (self), NULL);
  return self->client;
}

void
lk_sync_button_set_client (LkSyncButton *self,
                           LkSyncClient *client)
{
  g_return_if_fail (LK_IS_SYNC_BUTTON (self));
  g_return_if_fail (client == NULL || LK_IS_SYNC_CLIENT (client));

  if (self->client == client)
    return;
  if (self->client != NULL)
    g_clear_signal_handler (&self->notify_id, self->client);
  g_set_object (&self->client, client);
  if (client != NULL)
    self->notify_id = g_signal_connect_object (client, "notify", G_CALLBACK (client_notify_cb),
                                               self, G_CONNECT_SWAPPED);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

guint
lk_sync_button_get_conflicts (LkSyncButton *self)
{
  g_return_val_if_fail (LK_IS_SYNC_BUTTON (self), 0);
  return self->conflicts;
}

void
lk_sync_button_set_conflicts (LkSyncButton *self,
                              guint         conflicts)
{
  g_return_if_fail (LK_IS_SYNC_BUTTON (self));

  if (self->conflicts == conflicts)
    return;
  self->conflicts = conflicts;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFLICTS]);
}

const char *
lk_sync_button_get_title (LkSyncButton *self)
{
  g_return_val_if_fail (LK_IS_SYNC_BUTTON (self), NULL);
  return gtk_label_get_text (self->title_label);
}

/* Returns: (nullable): the reason or explanation under the title */
const char *
lk_sync_button_get_detail (LkSyncButton *self)
{
  g_return_val_if_fail (LK_IS_SYNC_BUTTON (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->detail_label)) ? gtk_label_get_text (self->detail_label) : NULL;
}

const char *
lk_sync_button_get_icon_name (LkSyncButton *self)
{
  g_return_val_if_fail (LK_IS_SYNC_BUTTON (self), NULL);
  return gtk_stack_get_visible_child (self->icon_stack) == GTK_WIDGET (self->spinner) ? "spinner" : self->icon_name;
}

/* Returns: (nullable): the text next to the icon */
const char *
lk_sync_button_get_label (LkSyncButton *self)
{
  g_return_val_if_fail (LK_IS_SYNC_BUTTON (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->short_label)) ? gtk_label_get_text (self->short_label) : NULL;
}

/* Returns: (nullable) */
const char *
lk_sync_button_get_pending_text (LkSyncButton *self)
{
  g_return_val_if_fail (LK_IS_SYNC_BUTTON (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->pending_label)) ? gtk_label_get_text (self->pending_label) : NULL;
}

/* Returns: (nullable) */
const char *
lk_sync_button_get_conflicts_text (LkSyncButton *self)
{
  g_return_val_if_fail (LK_IS_SYNC_BUTTON (self), NULL);
  return self->conflicts_text;
}

/* Opens the popover, as a click does. */
void
lk_sync_button_popup (LkSyncButton *self)
{
  g_return_if_fail (LK_IS_SYNC_BUTTON (self));
  gtk_menu_button_popup (self->menu_button);
}
