/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "lk-store-sync.h"
#include "lk-sync-client.h"

G_BEGIN_DECLS

/* The parts of LkSyncClient, split by concern: lk-sync-client-http.c (one
 * request, errors, JSON helpers), lk-sync-client-run.c (a run and its
 * epoch check), -push.c and -pull.c (its two halves), -live.c
 * (scheduling and live mode), -probe.c (Test connection) and
 * lk-sync-client.c (the object, the start and end of a run). */

#define EPOCH_DOC "_local/leadkeeper-epoch"
#define LK_SYNC_PAGE_SIZE 500
/* The pages of a pull into a database that has nothing from the server
 * yet (a first pull, a pull after a reset): fewer, larger transactions. */
#define LK_SYNC_BULK_PAGE_SIZE 5000
#define LIVE_DEADLINE_S 60  /* a longpoll asks again after this */
#define LIVE_RETRY_S 30     /* and after a failure, tries again after this */

/* The server is reached through a snapshot of the settings, so changing
 * them never disturbs a request under way. */
typedef struct
{
  SoupSession *session;
  char        *url;            /* the database, without a trailing slash */
  char        *root;           /* the server, with a trailing slash */
  char        *host;           /* for messages */
  char        *user;
  char        *password;
  char        *authorization;  /* "Basic …", or NULL */
  gboolean     relogged;       /* re-logged in after a 401 already */
} Conn;

typedef enum
{
  STEP_PUSH,
  STEP_PULL,
  STEP_DONE,
} Step;

typedef struct _Run Run;

struct _LkSyncClient
{
  GObject          parent_instance;

  /* Owned */
  LkStore         *store;
  char            *url;
  char            *user;
  char            *password;
  char            *last_error;
  SoupSession     *session;
  SoupSession     *live_session;
  GCancellable    *live_cancellable;
  GCancellable    *index_cancellable;  /* the search indexing after a bulk pull */
  Run             *run;

  /* Sources and handlers */
  guint            timer_id;
  guint            soon_id;
  guint            live_deadline_id;
  guint            live_retry_id;
  gulong           store_changed_id;
  gulong           network_changed_id;

  LkSyncState      state;
  double           progress;
  gint64           last_sync_at;
  gint64           pending;
  guint            interval;
  guint            page_size;       /* LK_SYNC_PAGE_SIZE, or a test's */
  guint            bulk_page_size;  /* LK_SYNC_BULK_PAGE_SIZE, or a test's */
  guint            allow_insecure : 1;
  guint            automatic : 1;
  guint            live : 1;
  guint            live_deadline_hit : 1;
  guint            emitting : 1;
  guint            rerun : 1;
};

/* One sync run, from its start (lk_sync_client_run_async) to its end
 * (lk_sync_client_end_run). */
struct _Run
{
  LkSyncClient *client;
  Conn         *conn;
  GPtrArray    *tasks;            /* GTask of each caller waiting */
  GPtrArray    *caller_cancellables;
  GArray       *caller_handlers;
  GCancellable *cancellable;
  LkStore      *worker;           /* used by one worker job at a time */
  gulong        worker_changed_id;
  LkSyncReport  report;

  /* What the run changed, told to the main store at the end (written by
   * worker jobs, read on the main thread once they are over) */
  GHashTable   *changed;          /* doc type → GHashTable of ids, or NULL for "many" */
  gboolean      changed_all;

  /* Epoch */
  char         *epoch;
  JsonNode     *update_seq;
  gboolean      reset;
  guint         step;

  /* Push */
  GHashTable   *tries;            /* doc id → conflicts met this run */
  GHashTable   *done;             /* doc ids not sent again this run */
  GQueue        splits;           /* batches waiting after a 413 */
  GPtrArray    *batch;            /* LkOutboxDoc being sent */
  gint64        push_total;
  gint64        push_done;

  /* Pull */
  char         *since;            /* raw JSON of the checkpoint */
  gint64        pull_done;
  gint64        pull_pending;
  struct Page  *page;             /* waiting for the losing revisions of its conflicts */
  guint         loser_index;
  guint         page_limit;       /* changes asked for a page */
  gboolean      bulk;             /* the pull started from nothing: pages of LK_SYNC_BULK_PAGE_SIZE */
  gboolean      deferred_search;  /* written on the worker: pages were applied without search rows */
  gboolean      bulk_load_decided; /* written on the worker: whether to load in bulk was decided */
  /* The pull's pipeline (lk-sync-client-pull.c): one request out, the
   * replies waiting for their parse, one parse, the pages waiting for
   * their apply, one apply */
  GQueue        fetched;          /* Fetched, in the feed's order */
  GQueue        parsed;           /* Page, in the feed's order */
  char         *fetch_since;      /* raw JSON the request out asked from (NULL: the start) */
  char         *next_since;       /* and the next request will ask from, when have_next */
  char         *parse_since;      /* where the next reply to parse must start */
  gboolean      have_next;        /* next_since is known */
  gboolean      fetching;
  gboolean      fetch_stale;      /* the request out asked from a wrong place: dropped */
  gboolean      parsing;
  gboolean      applying;
  gboolean      feed_ended;       /* a page was not full: nothing more to ask for */
  GError       *pull_error;       /* the run's error, held until the work under way is over */
};

typedef struct Page
{
  GPtrArray  *docs;        /* LkRemoteDoc */
  char       *last_seq;    /* raw JSON */
  guint       n_results;
  gint64      pending;     /* the server's count of changes left, -1 if unknown */
  GPtrArray  *conflicted;  /* (doc id, rev) pairs: ids at even, revs at odd indexes */
  GHashTable *losers;      /* doc id → GPtrArray of JsonObject */
  guint       skipped;
} Page;


/* lk-sync-client-http.c */
const char *lk_sync_member_string      (JsonObject          *object,
                                        const char          *name);
gboolean    lk_sync_member_is_true     (JsonObject          *object,
                                        const char          *name);
JsonNode   *lk_sync_parse_bytes        (GBytes              *bytes);
JsonObject *lk_sync_parse_object       (GBytes              *bytes);
void        lk_sync_append_json_string (GString             *out,
                                        const char          *text);
GBytes     *lk_sync_object_bytes       (JsonObject          *object);
Conn       *lk_sync_conn_new           (SoupSession         *session,
                                        const char          *url,
                                        const char          *user,
                                        const char          *password,
                                        gboolean             allow_insecure,
                                        GError             **error);
void        lk_sync_conn_free          (Conn                *conn);
gboolean    lk_sync_is_success         (guint                status);
GError     *lk_sync_status_error       (Conn                *conn,
                                        guint                status,
                                        GBytes              *reply,
                                        const char          *doing);
GError     *lk_sync_malformed_error    (Conn                *conn,
                                        const char          *what);
void        lk_sync_call_async         (Conn                *conn,
                                        const char          *method,
                                        const char          *url,
                                        GBytes              *body,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
GBytes     *lk_sync_call_finish        (GAsyncResult        *result,
                                        guint               *status,
                                        GError             **error);
GBytes     *lk_sync_call_finish_success (GAsyncResult       *result,
                                        const char          *doing,
                                        GError             **error);
GBytes     *lk_sync_run_call_finish    (Run                 *run,
                                        GAsyncResult        *result,
                                        const char          *doing);
JsonObject *lk_sync_db_info_finish     (GAsyncResult        *result,
                                        GError             **error);
char       *lk_sync_since_param        (const char          *raw);
char       *lk_sync_doc_url            (Conn                *conn,
                                        const char          *doc_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Conn, lk_sync_conn_free)

/* A job on the worker thread: every job struct starts with its run. */
typedef struct
{
  Run *run;
} Job;

/* lk-sync-client-run.c */
void        lk_sync_page_free          (Page                *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Page, lk_sync_page_free)
Run        *lk_sync_run_new            (LkSyncClient        *client);
void        lk_sync_run_free           (Run                 *run);
void        lk_sync_run_begin          (Run                 *run);
void        lk_sync_run_next           (Run                 *run);
void        lk_sync_run_finish         (Run                 *run,
                                        GError              *error);
void        lk_sync_run_update_progress (Run                *run);
void        lk_sync_run_job            (Run                 *run,
                                        gpointer             job,
                                        GDestroyNotify       destroy,
                                        GTaskThreadFunc      func,
                                        GAsyncReadyCallback  callback);
gboolean    lk_sync_job_finish         (GAsyncResult        *result,
                                        GError             **error);
gpointer    lk_sync_run_job_finish     (Run                 *run,
                                        GAsyncResult        *result);

/* lk-sync-client-push.c */
void        lk_sync_run_push           (Run                 *run);

/* lk-sync-client-pull.c */
void        lk_sync_run_pull           (Run                 *run);
void        lk_sync_run_clear_pull     (Run                 *run);
char       *lk_sync_tail_last_seq      (GBytes              *reply);
/* For tests: the changes asked for per page of a pull and of a bulk
 * pull; 0 restores the default. */
void        lk_sync_client_set_page_sizes (LkSyncClient     *self,
                                        guint                page_size,
                                        guint                bulk_page_size);

/* lk-sync-client.c */
void        lk_sync_client_request_run (LkSyncClient        *self);
void        lk_sync_client_update_pending (LkSyncClient     *self);
void        lk_sync_client_end_run     (LkSyncClient        *self,
                                        Run                 *run,
                                        GError              *error);
void        lk_sync_client_set_run_progress (LkSyncClient   *self,
                                        double               progress);

/* lk-sync-client-live.c */
void        lk_sync_client_update_timer  (LkSyncClient      *self);
void        lk_sync_client_watch_network (LkSyncClient      *self);
void        lk_sync_client_store_changed_cb (LkStore        *store,
                                          const char        *doc_type,
                                          const char * const *ids,
                                          LkSyncClient      *self);
void        lk_sync_client_live_poll     (LkSyncClient      *self);
gboolean    lk_sync_client_live_retry_cb (gpointer           data);

G_END_DECLS
