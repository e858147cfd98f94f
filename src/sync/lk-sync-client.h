/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lk-store.h"

G_BEGIN_DECLS

/* One remote: a CouchDB database URL such as
 * "https://crm.example.com:6984/leads" (no credentials in it). One sync
 * run at a time (SYNC.md "One sync run"). All calls are made on the main
 * thread; HTTP is asynchronous and bulk JSON work runs on a worker. */

#define LK_SYNC_ERROR (lk_sync_error_quark ())

typedef enum
{
  LK_SYNC_ERROR_AUTH,          /* wrong user or password: said once, never retried */
  LK_SYNC_ERROR_INSECURE,      /* plain http to a host that is not loopback, not allowed */
  LK_SYNC_ERROR_OFFLINE,       /* no connection; retried later */
  LK_SYNC_ERROR_SERVER,        /* the server answered something unusable */
  LK_SYNC_ERROR_NO_DATABASE,   /* the database does not exist or was never prepared */
  LK_SYNC_ERROR_FORBIDDEN,     /* the user may not read or write this database */
} LkSyncError;

GQuark lk_sync_error_quark (void);

typedef enum
{
  LK_SYNC_STATE_UNCONFIGURED,  /* no server set */
  LK_SYNC_STATE_IDLE,          /* synced; see last-sync-at */
  LK_SYNC_STATE_SYNCING,       /* see progress */
  LK_SYNC_STATE_OFFLINE,
  LK_SYNC_STATE_ERROR,         /* see last-error */
} LkSyncState;

GType lk_sync_state_get_type (void);
#define LK_TYPE_SYNC_STATE (lk_sync_state_get_type ())

/* What one run did. */
typedef struct
{
  guint pushed;     /* documents the server accepted */
  guint pulled;     /* documents applied from the changes feed */
  guint merged;     /* documents merged three ways (no conflict left) */
  guint conflicts;  /* true conflicts recorded for the user */
  guint rejected;   /* documents the server refused (validate_doc_update, forbidden) */
  guint skipped;    /* malformed documents from the server, skipped with a logged reason */
} LkSyncReport;

#define LK_TYPE_SYNC_CLIENT (lk_sync_client_get_type ())
G_DECLARE_FINAL_TYPE (LkSyncClient, lk_sync_client, LK, SYNC_CLIENT, GObject)

/* Properties (all notify on the main thread):
 *   store           LkStore*   construct-only
 *   url             char*      the database URL; NULL = unconfigured
 *   user            char*
 *   password        char*      write-only in spirit: never logged, never put in a URL
 *   allow-insecure  gboolean   allow plain http to a non-loopback host
 *   automatic       gboolean   run on a timer, when the network returns, 2 s after a local edit
 *   interval        guint      minutes between timer runs
 *   state           LkSyncState (read-only)
 *   progress        double     0…1 during a run, else 0 (read-only)
 *   last-error      char*      a sentence for people, or NULL (read-only)
 *   last-sync-at    gint64     Unix ms of the last successful run, 0 if none (read-only)
 *   pending         gint64     outbox entries waiting (read-only)
 * Signals:
 *   ::finished (const LkSyncReport *report, const GError *error)  after every run */
LkSyncClient *lk_sync_client_new              (LkStore             *store);
LkStore      *lk_sync_client_get_store        (LkSyncClient        *self);
const char   *lk_sync_client_get_url          (LkSyncClient        *self);
void          lk_sync_client_set_url          (LkSyncClient        *self,
                                               const char          *url);
const char   *lk_sync_client_get_user         (LkSyncClient        *self);
void          lk_sync_client_set_user         (LkSyncClient        *self,
                                               const char          *user);
void          lk_sync_client_set_password     (LkSyncClient        *self,
                                               const char          *password);
gboolean      lk_sync_client_get_allow_insecure (LkSyncClient      *self);
void          lk_sync_client_set_allow_insecure (LkSyncClient      *self,
                                               gboolean             allow);
gboolean      lk_sync_client_get_automatic    (LkSyncClient        *self);
void          lk_sync_client_set_automatic    (LkSyncClient        *self,
                                               gboolean             automatic);
guint         lk_sync_client_get_interval     (LkSyncClient        *self);
void          lk_sync_client_set_interval     (LkSyncClient        *self,
                                               guint                minutes);
LkSyncState   lk_sync_client_get_state        (LkSyncClient        *self);
double        lk_sync_client_get_progress     (LkSyncClient        *self);
const char   *lk_sync_client_get_last_error   (LkSyncClient        *self);
gint64        lk_sync_client_get_last_sync_at (LkSyncClient        *self);
gint64        lk_sync_client_get_pending      (LkSyncClient        *self);

/* One run: epoch check, push, pull. A run already going is joined. */
void          lk_sync_client_run_async        (LkSyncClient        *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean      lk_sync_client_run_finish       (LkSyncClient        *self,
                                               GAsyncResult        *result,
                                               LkSyncReport        *report,
                                               GError             **error);

/* Live mode: longpoll the changes feed with a client-side deadline and
 * push local edits shortly after they are made, until stopped. */
void          lk_sync_client_start_live       (LkSyncClient        *self);
void          lk_sync_client_stop_live        (LkSyncClient        *self);

/* Checks that the URL, user and password reach a prepared database.
 * Returns the server's product and version ("CouchDB 3.3.3"). */
void          lk_sync_client_test_connection_async  (LkSyncClient        *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
char         *lk_sync_client_test_connection_finish (LkSyncClient        *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

G_END_DECLS
