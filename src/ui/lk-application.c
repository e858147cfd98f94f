/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-application"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include "lk-application.h"
#include "lk-profile.h"
#include "lk-window.h"
#include "followups/lk-reminders.h"
#include "leads/lk-pool-keeper.h"
#include "preferences/lk-preferences-window.h"
#include "sync/lk-assign-notifier.h"
#include "sync/lk-sync-controller.h"

/* The application owns the context (the open database and its services)
 * and GSettings; windows borrow them. A second launch raises the window
 * (GApplication makes it single-instance). */
struct _LkApplication
{
  AdwApplication  parent_instance;

  /* Owned */
  LkContext      *context;
  GSettings      *settings;
  LkSyncController *sync;     /* the one sync client, over the context's store */
  GtkWindow      *preferences; /* weak: the open Preferences window */
  LkReminders    *reminders;   /* follow-ups falling due, as notifications */
  LkAssignNotifier *notifier;  /* leads assigned to this desktop's user, lost claims */
  LkPoolKeeper   *pool_keeper; /* the pool's upkeep at start and hourly */
  char           *db_path;

  gint64          start_time;
};

G_DEFINE_FINAL_TYPE (LkApplication, lk_application, ADW_TYPE_APPLICATION)

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  LkApplication *self = user_data;
  static const char *developers[] = { "The Leadkeeper developers", NULL };
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autofree char *release_notes = NULL;
  AdwAboutWindow *about;

  about = ADW_ABOUT_WINDOW (adw_about_window_new ());
  gtk_window_set_transient_for (GTK_WINDOW (about), window);
  adw_about_window_set_application_name (about, _("Leadkeeper"));
  adw_about_window_set_application_icon (about, APP_ID);
  adw_about_window_set_version (about, PACKAGE_VERSION);
  adw_about_window_set_developer_name (about, _("The Leadkeeper developers"));
  adw_about_window_set_developers (about, developers);
  adw_about_window_set_comments (about, _("Sales leads that work offline: capture at exhibitions, move them through the pipeline, follow up on time, and sync with your team's server."));
  adw_about_window_set_website (about, "https://github.com/leadkeeper/leadkeeper");
  adw_about_window_set_license_type (about, GTK_LICENSE_GPL_3_0);
  adw_about_window_set_issue_url (about, "https://github.com/leadkeeper/leadkeeper/issues");
  /* Translators: put your names here, one per line */
  adw_about_window_set_translator_credits (about, _("translator-credits"));
  /* The same strings as the release in the metainfo, so they share the
   * translations. */
  release_notes = g_markup_printf_escaped ("<p>%s</p><ul><li>%s</li><li>%s</li><li>%s</li><li>%s</li><li>%s</li></ul>",
                                           _("The first release of Leadkeeper."),
                                           _("A complete local database of leads, follow-ups and stage changes that works without a network"),
                                           _("A kanban pipeline board with drag and drop, keyboard moves and undo"),
                                           _("A lead editor that checks phone numbers and email addresses as you type"),
                                           _("A command-line tool for scripts and administrators"),
                                           _("English, Simplified Chinese and Traditional Chinese"));
  adw_about_window_set_release_notes_version (about, "0.1.0");
  adw_about_window_set_release_notes (about, release_notes);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  LkApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Close windows so they save their state, then quit. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_application_quit (G_APPLICATION (self));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  LkApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  LkPreferencesWindow *preferences;

  if (self->sync == NULL)
    {
      g_warning ("Preferences need the settings schema %s and an open database", APP_ID);
      return;
    }
  if (self->preferences == NULL)
    {
      preferences = lk_preferences_window_new (self->sync, parent);
      self->preferences = GTK_WINDOW (preferences);
      g_object_add_weak_pointer (G_OBJECT (preferences), (gpointer *) &self->preferences);
    }
  gtk_window_present (self->preferences);
}

/* A reminder's default action. */
static void
show_followups_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  LkApplication *self = user_data;
  GtkWindow *window;

  g_application_activate (G_APPLICATION (self));
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (LK_IS_WINDOW (window))
    lk_window_show_followups (LK_WINDOW (window));
}

/* From a notification: opens the lead in the window. */
static void
open_lead_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  LkApplication *self = user_data;

  g_application_activate (G_APPLICATION (self));
  gtk_widget_activate_action_variant (GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (self))),
                                      "win.open-lead", parameter);
}

static const GActionEntry app_actions[] = {
  { "show-followups", show_followups_action },
  { "about", about_action },
  { "preferences", preferences_action },
  { "quit", quit_action },
  { "open-lead", open_lead_action, "s" },
};

static GSettings *
settings_if_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      /* Running from a build tree without GSETTINGS_SCHEMA_DIR: keep the
       * window working, just without remembering its state. */
      g_warning ("The settings schema %s is not installed; window state will not be saved", APP_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

static gboolean
open_context (LkApplication *self)
{
  g_autoptr(GError) error = NULL;
  const char *path = self->db_path ? self->db_path : g_getenv ("LEADKEEPER_DB");

  if (path != NULL && path[0] == '\0')
    path = NULL;
  self->context = lk_context_new_for_window (path, NULL, &error);
  if (self->context == NULL)
    {
      g_autofree char *shown = path ? g_strdup (path) : lk_context_default_db_path ();
      AdwMessageDialog *dialog;

      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (NULL, _("Cannot Open the Database"), NULL));
      adw_message_dialog_format_body (dialog, _("Leadkeeper could not open “%s”.\n\n%s"), shown, error->message);
      adw_message_dialog_add_response (dialog, "close", _("_Quit"));
      gtk_application_add_window (GTK_APPLICATION (self), GTK_WINDOW (dialog));
      g_signal_connect_swapped (dialog, "response", G_CALLBACK (g_application_quit), self);
      gtk_window_present (GTK_WINDOW (dialog));
      return FALSE;
    }
  return TRUE;
}

static void
keyring_error_cb (LkApplication    *self,
                  GParamSpec       *pspec,
                  LkSyncController *sync)
{
  const char *message = lk_sync_controller_get_keyring_error (sync);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (message != NULL && LK_IS_WINDOW (window))
    {
      AdwToast *toast = adw_toast_new (message);

      adw_toast_set_button_label (toast, _("_Preferences"));
      adw_toast_set_action_name (toast, "app.preferences");
      lk_window_show_toast (LK_WINDOW (window), toast);
    }
}

/* One sync client for the application's database, set up from the
 * settings and the keyring; without a settings schema there is nothing to
 * set it up from. */
static void
start_sync (LkApplication *self)
{
  GAction *preferences = g_action_map_lookup_action (G_ACTION_MAP (self), "preferences");

  if (self->sync == NULL && self->settings != NULL && self->context != NULL)
    {
      self->sync = lk_sync_controller_new (self->context, self->settings);
      g_signal_connect_object (self->sync, "notify::keyring-error", G_CALLBACK (keyring_error_cb),
                               self, G_CONNECT_SWAPPED);
    }
  g_simple_action_set_enabled (G_SIMPLE_ACTION (preferences), self->sync != NULL);
}

static void
notification_cb (LkApplication    *self,
                 const char       *id,
                 GNotification    *notification,
                 LkAssignNotifier *notifier)
{
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

static void
toast_cb (LkApplication *self,
          const char    *message)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (LK_IS_WINDOW (window))
    lk_window_add_toast (LK_WINDOW (window), message);
}

static void
maintained_cb (LkApplication    *self,
               LkMaintainReport *report,
               LkPoolKeeper     *keeper)
{
  g_autofree char *message = NULL;

  if (report->n_recycled == 0)
    return;
  /* Translators: after the hourly upkeep of the pool */
  message = g_strdup_printf (ngettext ("%u lead nobody contacted in time went back to the pool",
                                       "%u leads nobody contacted in time went back to the pool",
                                       report->n_recycled), report->n_recycled);
  toast_cb (self, message);
}

/* Assignment news and the pool's upkeep, once the database is open. */
static void
start_rules (LkApplication *self)
{
  if (self->notifier != NULL)
    return;
  self->notifier = lk_assign_notifier_new (self->context,
                                           self->sync ? lk_sync_controller_get_client (self->sync) : NULL);
  g_signal_connect_object (self->notifier, "notification", G_CALLBACK (notification_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->notifier, "message", G_CALLBACK (toast_cb), self, G_CONNECT_SWAPPED);
  self->pool_keeper = lk_pool_keeper_new (self->context);
  g_signal_connect_object (self->pool_keeper, "maintained", G_CALLBACK (maintained_cb), self, G_CONNECT_SWAPPED);
}

static void
lk_application_activate (GApplication *app)
{
  LkApplication *self = LK_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    {
      if (self->context == NULL && !open_context (self))
        return;
      lk_profile_log ("database open", self->start_time);
      start_sync (self);
      window = GTK_WINDOW (lk_window_new (self));
      lk_profile_log ("window built", self->start_time);
      if (self->reminders == NULL)
        {
          self->reminders = lk_reminders_new (self->context, G_APPLICATION (self));
          lk_reminders_start (self->reminders);
        }
      start_rules (self);
    }
  gtk_window_present (window);
}

static void
lk_application_startup (GApplication *app)
{
  LkApplication *self = LK_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *search_accels[] = { "<Control>f", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (lk_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.search", search_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);

  self->settings = settings_if_installed ();
  /* Enabled once the database is open and sync set up (activate). */
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), "preferences")), FALSE);
  gtk_window_set_default_icon_name (APP_ID);
}

static int
lk_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  LkApplication *self = LK_APPLICATION (app);

  g_variant_dict_lookup (options, "db", "^ay", &self->db_path);
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("leadkeeper %s\n", PACKAGE_VERSION);
      return 0;
    }
  /* A different database is a different instance: do not hand the
   * request to a running one that has another file open. */
  if (self->db_path != NULL || g_getenv ("LEADKEEPER_DB") != NULL)
    g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
  return -1;
}

static void
lk_application_dispose (GObject *object)
{
  LkApplication *self = LK_APPLICATION (object);

  if (self->preferences != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->preferences), (gpointer *) &self->preferences);
  self->preferences = NULL;
  g_clear_object (&self->reminders);
  g_clear_object (&self->pool_keeper);
  g_clear_object (&self->notifier);
  /* The client works on the context's store: it goes first. */
  g_clear_object (&self->sync);
  g_clear_object (&self->settings);
  g_clear_object (&self->context);
  g_clear_pointer (&self->db_path, g_free);

  G_OBJECT_CLASS (lk_application_parent_class)->dispose (object);
}

static void
lk_application_class_init (LkApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = lk_application_dispose;
  app_class->activate = lk_application_activate;
  app_class->startup = lk_application_startup;
  app_class->handle_local_options = lk_application_handle_local_options;
}

static void
lk_application_init (LkApplication *self)
{
  static const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("Open this database instead of the default one"), N_("FILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version"), NULL },
    { NULL }
  };

  self->start_time = g_get_monotonic_time ();
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

/* Translations, also when running from the build tree
 * (LEADKEEPER_LOCALEDIR points at _build/po there). */
void
lk_application_setup_i18n (void)
{
  const char *localedir = g_getenv ("LEADKEEPER_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir && localedir[0] ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

LkApplication *
lk_application_new (void)
{
  lk_application_setup_i18n ();
  g_set_application_name (_("Leadkeeper"));
  return g_object_new (LK_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/leadkeeper/Leadkeeper",
                       NULL);
}

LkContext *
lk_application_get_context (LkApplication *self)
{
  g_return_val_if_fail (LK_IS_APPLICATION (self), NULL);
  return self->context;
}

/* Returns: (nullable): the settings, %NULL when the schema is not installed */
GSettings *
lk_application_get_settings (LkApplication *self)
{
  g_return_val_if_fail (LK_IS_APPLICATION (self), NULL);
  return self->settings;
}

/* When the application object was made, for LEADKEEPER_PROFILE's
 * "start to first frame". */
gint64
lk_application_get_start_time (LkApplication *self)
{
  g_return_val_if_fail (LK_IS_APPLICATION (self), 0);
  return self->start_time;
}

/* Returns: (nullable) (transfer none): the application's sync client,
 * %NULL before the database is open or without a settings schema */
LkSyncClient *
lk_application_get_sync_client (LkApplication *self)
{
  g_return_val_if_fail (LK_IS_APPLICATION (self), NULL);
  return self->sync ? lk_sync_controller_get_client (self->sync) : NULL;
}
