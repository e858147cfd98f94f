/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "lk-store.h"

G_BEGIN_DECLS

/* The store's side of sync (SYNC.md "Tables"): the outbox, the merge
 * ancestors (sync_base), the checkpoint (sync_state) and the true
 * conflicts the user decides (sync_conflicts). The primitives the sync
 * client uses are declared below the conflict API and documented where
 * they are defined (lk-store-sync.c). */

typedef enum
{
  LK_CONFLICT_FIELD,         /* both changed one field to different values */
  LK_CONFLICT_THEY_DELETED,  /* I edited a lead someone else deleted: Restore or accept */
  LK_CONFLICT_I_DELETED,     /* I deleted a lead someone else edited: Restore or delete */
} LkConflictKind;

typedef struct
{
  gint64          id;
  char           *doc_id;
  LkConflictKind  kind;
  char           *field;       /* the document field, for LK_CONFLICT_FIELD; else NULL */
  char           *base;        /* JSON text of each value ("null" when absent) */
  char           *mine;
  char           *theirs;
  char           *theirs_rev;
  gint64          created_at;  /* Unix ms */
} LkSyncConflict;

void lk_sync_conflict_free (LkSyncConflict *conflict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkSyncConflict, lk_sync_conflict_free)

/* Open (unresolved) conflicts, oldest first; (transfer full) of LkSyncConflict. */
GPtrArray *lk_store_list_conflicts   (LkStore   *self,
                                      GError   **error);
gint64     lk_store_count_conflicts  (LkStore   *self,
                                      GError   **error);
/* Use mine: my value (or my edited document, or my delete) becomes a local
 * edit that syncs. Keep theirs: the server's version stays. Either way the
 * conflict is resolved; one transaction, then ::changed. */
gboolean   lk_store_resolve_conflict (LkStore   *self,
                                      gint64     conflict_id,
                                      gboolean   use_mine,
                                      GError   **error);

/* The primitives of the sync client (SYNC.md "One sync run"). Each is one
 * transaction, or joins the caller's (lk_store_begin). The client calls
 * them on a worker connection (lk_store_open_worker) and then tells the
 * main store with lk_store_emit_changed(). */

/* What this desktop knows of one remote database (its URL is the key). */
typedef struct
{
  char   *remote;
  char   *db_epoch;      /* NULL: never synced; "": the server had no epoch marker */
  char   *pull_since;    /* raw JSON of the last applied changes-feed seq; NULL: from the start */
  gint64  last_push_at;  /* Unix ms, 0 if never */
  gint64  last_pull_at;
  char   *last_error;    /* the last run's error, for people; NULL after a good run */
} LkSyncRemote;

void          lk_sync_remote_free          (LkSyncRemote  *remote);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkSyncRemote, lk_sync_remote_free)

LkSyncRemote *lk_store_get_sync_remote     (LkStore       *self,
                                            const char    *remote,
                                            GError       **error);
GPtrArray    *lk_store_list_sync_remotes   (LkStore       *self,
                                            GError       **error);
gboolean      lk_store_set_sync_times      (LkStore       *self,
                                            const char    *remote,
                                            gint64         last_push_at,
                                            gint64         last_pull_at,
                                            GError       **error);
gboolean      lk_store_set_sync_error      (LkStore       *self,
                                            const char    *remote,
                                            const char    *message,
                                            GError       **error);
gboolean      lk_store_reset_sync          (LkStore       *self,
                                            const char    *remote,
                                            const char    *epoch,
                                            GError       **error);

/* One queued document, as it is sent. */
typedef struct
{
  char     *doc_id;
  gint64    local_seq;  /* of the row when the batch was taken */
  char     *rev;        /* the server revision it is based on; NULL for a new document */
  char     *body;       /* the document's JSON without "_rev" */
  gboolean  deleted;
} LkOutboxDoc;

void          lk_outbox_doc_free           (LkOutboxDoc   *doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkOutboxDoc, lk_outbox_doc_free)

GPtrArray    *lk_store_take_outbox_batch   (LkStore       *self,
                                            guint          max_docs,
                                            gsize          max_bytes,
                                            GHashTable    *exclude,
                                            GError       **error);
gboolean      lk_store_mark_pushed         (LkStore       *self,
                                            LkOutboxDoc   *doc,
                                            const char    *rev,
                                            GError       **error);
gboolean      lk_store_mark_rejected       (LkStore       *self,
                                            LkOutboxDoc   *doc,
                                            const char    *reason,
                                            GError       **error);
gboolean      lk_store_mark_push_failed    (LkStore       *self,
                                            LkOutboxDoc   *doc,
                                            const char    *reason,
                                            GError       **error);
gint64        lk_store_count_rejected      (LkStore       *self,
                                            GError       **error);
char         *lk_store_get_push_error      (LkStore       *self,
                                            const char    *doc_id);

/* The three-way merge, supplied by the sync layer (LkMerge): returns the
 * merged document (transfer full) and appends one LkSyncConflict (field,
 * base, mine, theirs filled in) per true conflict to @conflicts. */
typedef JsonObject *(*LkStoreMergeFunc) (JsonObject *base,
                                         JsonObject *mine,
                                         JsonObject *theirs,
                                         GPtrArray  *conflicts,
                                         gpointer    user_data);

typedef struct
{
  guint applied;    /* documents written to the local copy */
  guint merged;     /* merged three ways with no conflict left */
  guint conflicts;  /* true conflicts recorded for the user */
  guint skipped;    /* malformed documents, skipped with a logged reason */
  guint queued;     /* documents that now need pushing (a folded server conflict) */
} LkSyncApplyReport;

/* One server document, read before its apply (possibly on another
 * thread): a plain record document is kept as its record only. */
typedef struct _LkRemoteDoc LkRemoteDoc;

LkRemoteDoc  *lk_remote_doc_new            (JsonObject         *doc);
void          lk_remote_doc_free           (LkRemoteDoc        *remote_doc);
const char   *lk_remote_doc_get_id         (LkRemoteDoc        *remote_doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkRemoteDoc, lk_remote_doc_free)

gboolean      lk_store_apply_remote_docs   (LkStore            *self,
                                            GPtrArray          *docs,
                                            GHashTable         *losers,
                                            const char         *remote,
                                            const char         *pull_since,
                                            LkStoreMergeFunc    merge,
                                            gpointer            merge_data,
                                            GCancellable       *cancellable,
                                            LkSyncApplyReport  *report,
                                            GError            **error);
gboolean      lk_store_apply_remote        (LkStore            *self,
                                            GPtrArray          *docs,
                                            GHashTable         *losers,
                                            const char         *remote,
                                            const char         *pull_since,
                                            LkStoreMergeFunc    merge,
                                            gpointer            merge_data,
                                            GCancellable       *cancellable,
                                            LkSyncApplyReport  *report,
                                            GError            **error);
JsonObject   *lk_store_get_local_doc       (LkStore            *self,
                                            const char         *doc_id,
                                            GError            **error);
gboolean      lk_store_drop_sync_base      (LkStore            *self,
                                            const char         *doc_id,
                                            GError            **error);
gboolean      lk_store_get_sync_base       (LkStore            *self,
                                            const char         *doc_id,
                                            char              **rev,
                                            JsonObject        **doc,
                                            GError            **error);

G_END_DECLS
