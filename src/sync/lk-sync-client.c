/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-sync"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-error.h"
#include "lk-sync-client-private.h"
#include "lk-utils.h"

/* A plain client of the CouchDB HTTP API (SYNC.md). One run at a time:
 *
 *   epoch  GET db, GET db/_local/leadkeeper-epoch; a different epoch (or a
 *          checkpoint beyond the server's update_seq) resets the local
 *          sync state, and the run then pulls before it pushes
 *   push   POST db/_bulk_docs, ≤ 500 documents and ~1 MB per request;
 *          conflicts are fetched (_all_docs with keys), merged and sent
 *          again, at most three times a run; 413 halves the batch
 *   pull   GET db/_changes in pages of 500 (5,000 for a first pull,
 *          whose search indexing then runs in the background), each page
 *          applied with its checkpoint in one transaction, the next page
 *          fetched and parsed meanwhile; server-side _conflicts folded
 *          and their losing revisions deleted
 *   push   again, for what the pull queued
 *
 * HTTP runs on the main thread with libsoup's async calls; parsing the
 * answers and everything that touches the database run on a worker
 * thread (GTask), on a connection of the run's own. The steps of a run
 * follow each other: one request or one worker job at a time. The main
 * store hears of the run's writes once, when it ends.
 *
 * This file holds the object, its properties and the start and end of a
 * run; lk-sync-client-private.h says where the rest is. */

G_DEFINE_FINAL_TYPE (LkSyncClient, lk_sync_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_URL,
  PROP_USER,
  PROP_PASSWORD,
  PROP_ALLOW_INSECURE,
  PROP_AUTOMATIC,
  PROP_INTERVAL,
  PROP_STATE,
  PROP_PROGRESS,
  PROP_LAST_ERROR,
  PROP_LAST_SYNC_AT,
  PROP_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GType
lk_sync_state_get_type (void)
{
  static gsize type = 0;
  static const GEnumValue values[] = {
    { LK_SYNC_STATE_UNCONFIGURED, "LK_SYNC_STATE_UNCONFIGURED", "unconfigured" },
    { LK_SYNC_STATE_IDLE, "LK_SYNC_STATE_IDLE", "idle" },
    { LK_SYNC_STATE_SYNCING, "LK_SYNC_STATE_SYNCING", "syncing" },
    { LK_SYNC_STATE_OFFLINE, "LK_SYNC_STATE_OFFLINE", "offline" },
    { LK_SYNC_STATE_ERROR, "LK_SYNC_STATE_ERROR", "error" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_enum_register_static (g_intern_static_string ("LkSyncState"), values));
  return type;
}


/* --- Properties and state ---------------------------------------------- */

static void
set_state (LkSyncClient *self,
           LkSyncState   state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_progress (LkSyncClient *self,
              double        progress)
{
  progress = CLAMP (progress, 0.0, 1.0);
  if (G_APPROX_VALUE (self->progress, progress, 0.001))
    return;
  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

static void
set_last_error (LkSyncClient *self,
                const char   *message)
{
  if (lk_set_str (&self->last_error, message))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
set_last_sync_at (LkSyncClient *self,
                  gint64        at)
{
  if (self->last_sync_at == at)
    return;
  self->last_sync_at = at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC_AT]);
}

void
lk_sync_client_update_pending (LkSyncClient *self)
{
  gint64 pending = lk_store_count_outbox (self->store, NULL);

  if (pending < 0 || pending == self->pending)
    return;
  self->pending = pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

/* What the store remembers of the configured remote. */
static void
load_remote (LkSyncClient *self)
{
  g_autoptr(LkSyncRemote) remote = NULL;

  if (self->url != NULL)
    remote = lk_store_get_sync_remote (self->store, self->url, NULL);
  set_last_sync_at (self, remote != NULL ? MAX (remote->last_pull_at, remote->last_push_at) : 0);
  set_last_error (self, remote != NULL ? remote->last_error : NULL);
  if (self->run == NULL)
    set_state (self, self->url == NULL ? LK_SYNC_STATE_UNCONFIGURED
                     : self->last_error != NULL ? LK_SYNC_STATE_ERROR : LK_SYNC_STATE_IDLE);
}

static void
tell_store (LkSyncClient *self,
            Run          *run)
{
  GHashTableIter iter;
  const char *doc_type;
  GHashTable *ids;

  self->emitting = TRUE;
  if (run->changed_all)
    lk_store_emit_changed (self->store, NULL, NULL);
  else
    {
      g_hash_table_iter_init (&iter, run->changed);
      while (g_hash_table_iter_next (&iter, (gpointer *) &doc_type, (gpointer *) &ids))
        {
          g_autofree const char **list = NULL;

          if (ids != NULL && g_hash_table_size (ids) == 0)
            continue;
          if (ids != NULL)
            list = (const char **) g_hash_table_get_keys_as_array (ids, NULL);
          lk_store_emit_changed (self->store, doc_type, list);
        }
    }
  g_hash_table_remove_all (run->changed);
  self->emitting = FALSE;
}


/* Ends @run (the steps call it, once, with the first error or none):
 * tells the main store what changed, records the outcome, answers every
 * caller and emits ::finished. */
void
lk_sync_client_end_run (LkSyncClient *self,
                        Run          *run,
                        GError       *error)
{
  g_autoptr(GError) owned G_GNUC_UNUSED = error;
  gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  gint64 now = lk_clock_now_ms (lk_store_get_clock (self->store));
  const LkSyncReport *report = &run->report;

  g_assert (self->run == run);

  /* The worker connection goes first: the main store writes below. */
  if (run->worker != NULL && run->worker_changed_id != 0)
    g_signal_handler_disconnect (run->worker, run->worker_changed_id);
  run->worker_changed_id = 0;
  g_clear_object (&run->worker);
  tell_store (self, run);
  /* A bulk pull left the search rows of its leads out, and a bulk load
   * the indexes it dropped: they are made in the background, even when
   * the run stopped half-way. */
  if (run->deferred_search)
    {
      if (self->index_cancellable == NULL)
        self->index_cancellable = g_cancellable_new ();
      lk_store_catch_up_search_in_background (self->store, self->index_cancellable);
    }

  if (error == NULL)
    {
      g_assert (run->conn != NULL);
      lk_store_set_sync_times (self->store, run->conn->url, now, now, NULL);
      lk_store_set_sync_error (self->store, run->conn->url, NULL, NULL);
      set_last_error (self, NULL);
      set_last_sync_at (self, now);
      set_state (self, LK_SYNC_STATE_IDLE);
    }
  else if (cancelled)
    set_state (self, self->last_error != NULL ? LK_SYNC_STATE_ERROR : LK_SYNC_STATE_IDLE);
  else
    {
      g_debug ("Sync run failed: %s", error->message);
      if (run->conn != NULL)
        lk_store_set_sync_error (self->store, run->conn->url, error->message, NULL);
      set_last_error (self, error->message);
      set_state (self, g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE)
                       ? LK_SYNC_STATE_OFFLINE : LK_SYNC_STATE_ERROR);
    }
  set_progress (self, 0);
  lk_sync_client_update_pending (self);

  self->run = NULL;
  for (guint i = 0; i < run->tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (run->tasks, i);

      g_task_set_task_data (task, g_memdup2 (report, sizeof *report), g_free);
      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
  g_signal_emit (self, signals[FINISHED], 0, report, error);

  if (self->rerun)
    {
      self->rerun = FALSE;
      lk_sync_client_request_run (self);
    }
  else if (self->live)
    {
      if (error == NULL)
        lk_sync_client_live_poll (self);
      else if (g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE) ||
               g_error_matches (error, LK_SYNC_ERROR, LK_SYNC_ERROR_SERVER))
        {
          g_clear_handle_id (&self->live_retry_id, g_source_remove);
          self->live_retry_id = g_timeout_add_seconds (LIVE_RETRY_S, lk_sync_client_live_retry_cb, self);
        }
    }
  lk_sync_run_free (run);
}


void
lk_sync_client_set_run_progress (LkSyncClient *self,
                                 double        progress)
{
  set_progress (self, progress);
}

/* --- Starting a run ------------------------------------------------------ */

static void
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

static void
run_start (Run *run)
{
  LkSyncClient *self = run->client;
  GError *error = NULL;

  set_state (self, LK_SYNC_STATE_SYNCING);
  set_progress (self, 0);
  g_clear_handle_id (&self->live_retry_id, g_source_remove);

  run->conn = lk_sync_conn_new (self->session, self->url, self->user, self->password, self->allow_insecure, &error);
  if (run->conn == NULL)
    {
      lk_sync_client_end_run (self, run, error);
      return;
    }
  run->worker = lk_store_open_worker (self->store, &error);
  if (run->worker == NULL)
    {
      lk_sync_client_end_run (self, run, error);
      return;
    }
  lk_sync_run_begin (run);
}

void
lk_sync_client_request_run (LkSyncClient *self)
{
  if (self->url == NULL)
    return;
  if (self->run != NULL)
    {
      self->rerun = TRUE;
      return;
    }
  lk_sync_client_run_async (self, NULL, NULL, NULL);
}

/* --- GObject ------------------------------------------------------------- */

static void
lk_sync_client_constructed (GObject *object)
{
  LkSyncClient *self = LK_SYNC_CLIENT (object);

  G_OBJECT_CLASS (lk_sync_client_parent_class)->constructed (object);

  g_assert (LK_IS_STORE (self->store));
  self->store_changed_id = g_signal_connect (self->store, "changed", G_CALLBACK (lk_sync_client_store_changed_cb), self);
  self->pending = MAX (lk_store_count_outbox (self->store, NULL), 0);
  load_remote (self);
}

static void
lk_sync_client_dispose (GObject *object)
{
  LkSyncClient *self = LK_SYNC_CLIENT (object);

  self->live = FALSE;
  if (self->live_cancellable != NULL)
    g_cancellable_cancel (self->live_cancellable);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->soon_id, g_source_remove);
  g_clear_handle_id (&self->live_deadline_id, g_source_remove);
  g_clear_handle_id (&self->live_retry_id, g_source_remove);
  if (self->network_changed_id != 0)
    g_clear_signal_handler (&self->network_changed_id, g_network_monitor_get_default ());
  if (self->store != NULL)
    g_clear_signal_handler (&self->store_changed_id, self->store);
  g_clear_object (&self->live_cancellable);
  if (self->index_cancellable != NULL)
    g_cancellable_cancel (self->index_cancellable);
  g_clear_object (&self->index_cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->live_session);

  G_OBJECT_CLASS (lk_sync_client_parent_class)->dispose (object);
}

static void
lk_sync_client_finalize (GObject *object)
{
  LkSyncClient *self = LK_SYNC_CLIENT (object);

  g_clear_object (&self->store);
  g_free (self->url);
  g_free (self->user);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  g_free (self->last_error);

  G_OBJECT_CLASS (lk_sync_client_parent_class)->finalize (object);
}

static void
lk_sync_client_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LkSyncClient *self = LK_SYNC_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_PASSWORD:
      g_value_set_string (value, NULL);  /* never read back */
      break;
    case PROP_ALLOW_INSECURE:
      g_value_set_boolean (value, self->allow_insecure);
      break;
    case PROP_AUTOMATIC:
      g_value_set_boolean (value, self->automatic);
      break;
    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_LAST_SYNC_AT:
      g_value_set_int64 (value, self->last_sync_at);
      break;
    case PROP_PENDING:
      g_value_set_int64 (value, self->pending);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_sync_client_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  LkSyncClient *self = LK_SYNC_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_URL:
      lk_sync_client_set_url (self, g_value_get_string (value));
      break;
    case PROP_USER:
      lk_sync_client_set_user (self, g_value_get_string (value));
      break;
    case PROP_PASSWORD:
      lk_sync_client_set_password (self, g_value_get_string (value));
      break;
    case PROP_ALLOW_INSECURE:
      lk_sync_client_set_allow_insecure (self, g_value_get_boolean (value));
      break;
    case PROP_AUTOMATIC:
      lk_sync_client_set_automatic (self, g_value_get_boolean (value));
      break;
    case PROP_INTERVAL:
      lk_sync_client_set_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_sync_client_class_init (LkSyncClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = lk_sync_client_constructed;
  object_class->dispose = lk_sync_client_dispose;
  object_class->finalize = lk_sync_client_finalize;
  object_class->get_property = lk_sync_client_get_property;
  object_class->set_property = lk_sync_client_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, LK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, rw);
  properties[PROP_USER] = g_param_spec_string ("user", NULL, NULL, NULL, rw);
  properties[PROP_PASSWORD] = g_param_spec_string ("password", NULL, NULL, NULL, rw);
  properties[PROP_ALLOW_INSECURE] = g_param_spec_boolean ("allow-insecure", NULL, NULL, FALSE, rw);
  properties[PROP_AUTOMATIC] = g_param_spec_boolean ("automatic", NULL, NULL, FALSE, rw);
  properties[PROP_INTERVAL] = g_param_spec_uint ("interval", NULL, NULL, 0, 24 * 60, 15, rw);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, LK_TYPE_SYNC_STATE,
                                              LK_SYNC_STATE_UNCONFIGURED, ro);
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, 0, 1, 0, ro);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, ro);
  properties[PROP_LAST_SYNC_AT] = g_param_spec_int64 ("last-sync-at", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_PENDING] = g_param_spec_int64 ("pending", NULL, NULL, 0, G_MAXINT64, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LkSyncClient::finished:
   * @report: (type gpointer): the LkSyncReport of the run
   * @error: (nullable): why it failed, or %NULL
   *
   * Emitted after every run, whoever started it.
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static SoupSession *
new_session (guint timeout_s)
{
  SoupSession *session = soup_session_new_with_options ("timeout", timeout_s,
                                                        "user-agent", "Leadkeeper/" PACKAGE_VERSION " ",
                                                        NULL);
  g_autoptr(SoupCookieJar) jar = soup_cookie_jar_new ();

  /* The AuthSession cookie of a re-login, kept in memory only. */
  soup_session_add_feature (session, SOUP_SESSION_FEATURE (jar));
  return session;
}

static void
lk_sync_client_init (LkSyncClient *self)
{
  self->interval = 15;
  self->page_size = LK_SYNC_PAGE_SIZE;
  self->bulk_page_size = LK_SYNC_BULK_PAGE_SIZE;
  self->state = LK_SYNC_STATE_UNCONFIGURED;
  self->session = new_session (120);
  self->live_session = new_session (LIVE_DEADLINE_S + 30);
}

/* --- Public API ---------------------------------------------------------- */

LkSyncClient *
lk_sync_client_new (LkStore *store)
{
  g_return_val_if_fail (LK_IS_STORE (store), NULL);

  return g_object_new (LK_TYPE_SYNC_CLIENT, "store", store, NULL);
}

LkStore *
lk_sync_client_get_store (LkSyncClient *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), NULL);
  return self->store;
}

const char *
lk_sync_client_get_url (LkSyncClient *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), NULL);
  return self->url;
}

/**
 * lk_sync_client_set_url:
 * @url: (nullable): the database's URL, without credentials; %NULL or ""
 *   for none
 */
void
lk_sync_client_set_url (LkSyncClient *self,
                        const char   *url)
{
  g_autofree char *normal = NULL;

  g_return_if_fail (LK_IS_SYNC_CLIENT (self));

  if (url != NULL && url[0] != '\0')
    {
      normal = g_strstrip (g_strdup (url));
      while (normal[0] != '\0' && normal[strlen (normal) - 1] == '/')
        normal[strlen (normal) - 1] = '\0';
      if (normal[0] == '\0')
        g_clear_pointer (&normal, g_free);
    }
  if (!lk_set_str (&self->url, normal))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
  load_remote (self);
}

const char *
lk_sync_client_get_user (LkSyncClient *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), NULL);
  return self->user;
}

void
lk_sync_client_set_user (LkSyncClient *self,
                         const char   *user)
{
  g_return_if_fail (LK_IS_SYNC_CLIENT (self));

  if (user != NULL && user[0] == '\0')
    user = NULL;
  if (lk_set_str (&self->user, user))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
}

void
lk_sync_client_set_password (LkSyncClient *self,
                             const char   *password)
{
  g_return_if_fail (LK_IS_SYNC_CLIENT (self));

  if (g_strcmp0 (self->password, password) == 0)
    return;
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  self->password = g_strdup (password);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PASSWORD]);
}

gboolean
lk_sync_client_get_allow_insecure (LkSyncClient *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), FALSE);
  return self->allow_insecure;
}

void
lk_sync_client_set_allow_insecure (LkSyncClient *self,
                                   gboolean      allow)
{
  g_return_if_fail (LK_IS_SYNC_CLIENT (self));

  allow = !!allow;
  if (self->allow_insecure == (guint) allow)
    return;
  self->allow_insecure = allow;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOW_INSECURE]);
}

gboolean
lk_sync_client_get_automatic (LkSyncClient *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), FALSE);
  return self->automatic;
}

/* Runs on a timer (the interval), when the network comes back, and 2 s
 * after the last local edit. */
void
lk_sync_client_set_automatic (LkSyncClient *self,
                              gboolean      automatic)
{
  g_return_if_fail (LK_IS_SYNC_CLIENT (self));

  automatic = !!automatic;
  if (self->automatic == (guint) automatic)
    return;
  self->automatic = automatic;
  lk_sync_client_update_timer (self);
  lk_sync_client_watch_network (self);
  if (!automatic && !self->live)
    g_clear_handle_id (&self->soon_id, g_source_remove);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTOMATIC]);
}

guint
lk_sync_client_get_interval (LkSyncClient *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), 0);
  return self->interval;
}

/* @minutes: between timer runs; 0 for none */
void
lk_sync_client_set_interval (LkSyncClient *self,
                             guint         minutes)
{
  g_return_if_fail (LK_IS_SYNC_CLIENT (self));

  if (self->interval == minutes)
    return;
  self->interval = minutes;
  lk_sync_client_update_timer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
}

LkSyncState
lk_sync_client_get_state (LkSyncClient *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), LK_SYNC_STATE_UNCONFIGURED);
  return self->state;
}

double
lk_sync_client_get_progress (LkSyncClient *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), 0);
  return self->progress;
}

const char *
lk_sync_client_get_last_error (LkSyncClient *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), NULL);
  return self->last_error;
}

gint64
lk_sync_client_get_last_sync_at (LkSyncClient *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), 0);
  return self->last_sync_at;
}

gint64
lk_sync_client_get_pending (LkSyncClient *self)
{
  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), 0);
  return self->pending;
}

/**
 * lk_sync_client_run_async:
 * @cancellable: (nullable): cancels the run (for every caller waiting on it)
 *
 * One sync run (SYNC.md "One sync run"). A run already going is joined:
 * the callback is called when it ends.
 */
void
lk_sync_client_run_async (LkSyncClient        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;
  gboolean start;

  g_return_if_fail (LK_IS_SYNC_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_sync_client_run_async);
  start = self->run == NULL;
  if (start)
    self->run = lk_sync_run_new (self);
  g_ptr_array_add (self->run->tasks, task);
  if (cancellable != NULL)
    {
      gulong handler = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                              self->run->cancellable, NULL);

      if (handler != 0)
        {
          g_ptr_array_add (self->run->caller_cancellables, g_object_ref (cancellable));
          g_array_append_val (self->run->caller_handlers, handler);
        }
    }
  if (start)
    run_start (self->run);
}

/**
 * lk_sync_client_run_finish:
 * @report: (out caller-allocates) (optional): what the run did, also when
 *   it failed part of the way
 */
gboolean
lk_sync_client_run_finish (LkSyncClient  *self,
                           GAsyncResult  *result,
                           LkSyncReport  *report,
                           GError       **error)
{
  LkSyncReport *done;

  g_return_val_if_fail (LK_IS_SYNC_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  done = g_task_get_task_data (G_TASK (result));
  if (report != NULL)
    {
      if (done != NULL)
        *report = *done;
      else
        memset (report, 0, sizeof *report);
    }
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Live mode: a run now, then a longpoll of the changes feed that starts a
 * run when the server has something new; local edits are sent 2 s after
 * they are made. Until lk_sync_client_stop_live(). */
void
lk_sync_client_start_live (LkSyncClient *self)
{
  g_return_if_fail (LK_IS_SYNC_CLIENT (self));

  if (self->live)
    return;
  self->live = TRUE;
  lk_sync_client_watch_network (self);
  lk_sync_client_request_run (self);
}

void
lk_sync_client_stop_live (LkSyncClient *self)
{
  g_return_if_fail (LK_IS_SYNC_CLIENT (self));

  self->live = FALSE;
  if (self->live_cancellable != NULL)
    g_cancellable_cancel (self->live_cancellable);
  g_clear_handle_id (&self->live_deadline_id, g_source_remove);
  g_clear_handle_id (&self->live_retry_id, g_source_remove);
  if (!self->automatic)
    g_clear_handle_id (&self->soon_id, g_source_remove);
}

