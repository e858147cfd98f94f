/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>

#include "lk-context.h"
#include "lk-sync-client.h"
#include "widgets/lk-sync-button.h"

/* The header bar's sync button shows what a real client says: a client
 * with no server, one whose server does not answer (a loopback port with
 * nothing behind it), and one whose URL is refused; and the pending and
 * conflict counts in its popover. */

typedef struct
{
  char         *dir;
  LkContext    *context;
  LkSyncClient *client;
  LkSyncButton *button;
  GtkWindow    *window;
  GPtrArray    *seen;     /* the button's icon at each state change */
} Fixture;

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
state_cb (GObject    *client,
          GParamSpec *pspec,
          Fixture    *f)
{
  /* Connected after the button: it has already updated. */
  g_ptr_array_add (f->seen, g_strdup (lk_sync_button_get_icon_name (f->button)));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("lk-sync-button-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "test.db", NULL);
  f->context = lk_context_new (path, NULL, &error);
  g_assert_no_error (error);
  f->client = lk_sync_client_new (lk_context_get_store (f->context));
  f->button = lk_sync_button_new ();
  lk_sync_button_set_client (f->button, f->client);
  f->seen = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->client, "notify::state", G_CALLBACK (state_cb), f);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->button));
  gtk_window_present (f->window);
  iterate ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  g_signal_handlers_disconnect_by_data (f->client, f);
  g_clear_object (&f->client);
  g_clear_object (&f->context);
  iterate ();
  g_ptr_array_unref (f->seen);
  {
    g_autofree char *db = g_build_filename (f->dir, "test.db", NULL);
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
    g_unlink (db);
    g_rmdir (f->dir);
  }
  g_free (f->dir);
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  GError **error = user_data;

  g_assert_false (lk_sync_client_run_finish (LK_SYNC_CLIENT (object), result, NULL, error));
  g_assert_nonnull (*error);
}

/* One run that must fail; returns its error. */
static GError *
run_failing (Fixture *f)
{
  GError *error = NULL;

  lk_sync_client_run_async (f->client, NULL, run_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  iterate ();
  return error;
}

static char *
unreachable_url (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port;

  /* A port that was free a moment ago, with nothing listening now. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return g_strdup_printf ("http://127.0.0.1:%u/leads", port);
}

static void
add_lead (Fixture    *f,
          const char *company)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) lead = lk_lead_new ();

  lk_record_set_string (LK_RECORD (lead), LK_LEAD_COMPANY, company);
  g_assert_true (lk_store_create_lead (lk_context_get_store (f->context), lead, &error));
  g_assert_no_error (error);
}

static void
test_not_configured (Fixture       *f,
                     gconstpointer  data)
{
  g_assert_cmpint (lk_sync_client_get_state (f->client), ==, LK_SYNC_STATE_UNCONFIGURED);
  g_assert_cmpstr (lk_sync_button_get_title (f->button), ==, "Sync is not set up");
  g_assert_cmpstr (lk_sync_button_get_icon_name (f->button), ==, "network-server-symbolic");
  g_assert_null (lk_sync_button_get_label (f->button));
  g_assert_nonnull (strstr (lk_sync_button_get_detail (f->button), "Preferences"));
  g_assert_null (lk_sync_button_get_pending_text (f->button));

  /* No client at all reads the same. */
  lk_sync_button_set_client (f->button, NULL);
  g_assert_cmpstr (lk_sync_button_get_title (f->button), ==, "Sync is not set up");
  lk_sync_button_set_client (f->button, f->client);
  g_assert_true (lk_sync_button_get_client (f->button) == f->client);
}

static void
test_offline (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *url = unreachable_url ();
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  gint64 pending;

  add_lead (f, "华信科技有限公司");
  lk_sync_client_set_url (f->client, url);
  error = run_failing (f);
  g_test_message ("run: %s", error->message);

  g_assert_cmpint (lk_sync_client_get_state (f->client), ==, LK_SYNC_STATE_OFFLINE);
  g_assert_cmpstr (lk_sync_button_get_title (f->button), ==, "Offline");
  g_assert_cmpstr (lk_sync_button_get_icon_name (f->button), ==, "network-offline-symbolic");
  g_assert_nonnull (strstr (lk_sync_button_get_detail (f->button), "sent when the server can be reached"));
  /* The lead made offline waits (with its first stage change), and the
   * popover says so. */
  pending = lk_store_count_outbox (lk_context_get_store (f->context), NULL);
  g_assert_cmpint (pending, >, 0);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT " changes wait to be sent", pending);
  g_assert_cmpstr (lk_sync_button_get_pending_text (f->button), ==, pending == 1 ? "1 change waits to be sent" : expected);
  /* It showed the run going on before it failed. */
  g_assert_true (g_ptr_array_find_with_equal_func (f->seen, "spinner", g_str_equal, NULL));
}

static void
test_error (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *menu_button = gtk_widget_get_first_child (GTK_WIDGET (f->button));

  /* Plain http to a host that is not this computer, not allowed: refused
   * before anything is sent. */
  lk_sync_client_set_url (f->client, "http://192.0.2.1:5984/leads");
  error = run_failing (f);
  g_test_message ("run: %s", error->message);

  g_assert_cmpint (lk_sync_client_get_state (f->client), ==, LK_SYNC_STATE_ERROR);
  g_assert_cmpstr (lk_sync_button_get_title (f->button), ==, "Sync failed");
  g_assert_cmpstr (lk_sync_button_get_icon_name (f->button), ==, "dialog-warning-symbolic");
  /* The reason is the client's, in the popover. */
  g_assert_cmpstr (lk_sync_button_get_detail (f->button), ==, lk_sync_client_get_last_error (f->client));
  g_assert_true (gtk_widget_has_css_class (menu_button, "error"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (menu_button), ==, "Sync failed");

  /* Back to a server that is merely away: the error look goes. */
  {
    g_autofree char *url = unreachable_url ();
    g_autoptr(GError) again = NULL;

    lk_sync_client_set_url (f->client, url);
    again = run_failing (f);
    g_assert_cmpstr (lk_sync_button_get_title (f->button), ==, "Offline");
    g_assert_false (gtk_widget_has_css_class (menu_button, "error"));
  }
}

static void
test_conflicts_line (Fixture       *f,
                     gconstpointer  data)
{
  g_assert_null (lk_sync_button_get_conflicts_text (f->button));
  lk_sync_button_set_conflicts (f->button, 1);
  g_assert_cmpstr (lk_sync_button_get_conflicts_text (f->button), ==, "1 conflict needs your decision");
  lk_sync_button_set_conflicts (f->button, 3);
  g_assert_cmpstr (lk_sync_button_get_conflicts_text (f->button), ==, "3 conflicts need your decision");
  lk_sync_button_set_conflicts (f->button, 0);
  g_assert_null (lk_sync_button_get_conflicts_text (f->button));

  /* The popover opens with all of it. */
  lk_sync_button_popup (f->button);
  iterate ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (gtk_widget_get_first_child (GTK_WIDGET (f->button)))))));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add ("/ui/sync-button/not-configured", Fixture, NULL, fixture_set_up, test_not_configured, fixture_tear_down);
  g_test_add ("/ui/sync-button/offline", Fixture, NULL, fixture_set_up, test_offline, fixture_tear_down);
  g_test_add ("/ui/sync-button/error", Fixture, NULL, fixture_set_up, test_error, fixture_tear_down);
  g_test_add ("/ui/sync-button/conflicts-line", Fixture, NULL, fixture_set_up, test_conflicts_line, fixture_tear_down);

  return g_test_run ();
}
