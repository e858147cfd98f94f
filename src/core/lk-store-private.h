/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "lk-store.h"

G_BEGIN_DECLS

struct _LkStore
{
  GObject     parent_instance;

  /* Owned */
  sqlite3    *db;
  char       *path;
  LkClock    *clock;
  LkPipeline *pipeline;
  char       *user_id;
  char       *phone_region;
  char       *search_key;  /* the search whose matches temp.search_hits holds */
  gint64      search_count; /* how many leads temp.search_hits holds */
  guint8     *search_bits;  /* the same leads as a bit per rowid, for lk_search_hit() */
  gsize       n_search_bits; /* bytes of it */
  GHashTable *users_by_id;  /* user id → LkUser, once asked for; kept current */
  GHashTable *statements;  /* SQL text → sqlite3_stmt */
  GHashTable *by_address;  /* the address of a SQL text last prepared → sqlite3_stmt */
  GHashTable *sql_texts;   /* "select:leads" → SQL made from a record type's fields */
  GHashTable *pending;     /* doc type → GHashTable of ids changed in the open transaction */
  GHashTable *fts_pending; /* rowid → search text ("" to remove), written at commit */
  GHashTable *rules;       /* settings name → LkCadence, LkScoring, …, read on first use */
  LkStore    *reader;      /* a second connection for reads on a worker (lk-store-reader.c) */
  GMutex      reader_lock; /* held by the one worker using @reader */
  gint64      data_version; /* of the other connections' commits, when search_key was set */

  LkRecord   *last_added;  /* not owned: the record whose row the last record write added, if it did */

  guint       depth;       /* nesting of lk_store_begin() */
  guint       pending_all : 1;
  guint       local_only : 1;  /* writes stay on this desktop (sample data) */
  guint       defer_search : 1;    /* leads' search rows wait for lk_store_catch_up_search() */
  guint       search_deferred : 1; /* the open transaction left leads out of the search */

  /* Checkpoints on a thread of their own (lk-store-checkpoint.c) */
  GThreadPool *checkpointer;    /* NULL: SQLite's own, on the committing thread */
  sqlite3     *checkpoint_db;   /* used by the checkpointer's thread only */
  gint         checkpointing;   /* atomic: one is queued or running */
};

/* The meta key marking a database some of whose leads are still to be
 * indexed for search (lk_store_set_defer_search). */
#define SEARCH_PENDING_KEY "search-pending"

gboolean      lk_store_register_search_hit (LkStore  *self,
                                            GError  **error);

void          lk_store_start_checkpoints (LkStore    *self);
void          lk_store_stop_checkpoints  (LkStore    *self);
void          lk_store_scale_checkpoints (LkStore    *self,
                                          int         scale);

sqlite3_stmt *lk_store_prepare         (LkStore      *self,
                                        const char   *sql,
                                        GError      **error);
gboolean      lk_store_exec            (LkStore      *self,
                                        const char   *sql,
                                        GError      **error);
gboolean      lk_store_step_done       (LkStore      *self,
                                        sqlite3_stmt *stmt,
                                        GError      **error);
gboolean      lk_store_finish          (LkStore      *self,
                                        gboolean      ok,
                                        GError      **error);
gboolean      lk_store_fail            (LkStore      *self,
                                        GError      **error,
                                        const char   *doing);
void          lk_store_note_changed    (LkStore      *self,
                                        const char   *doc_type,
                                        const char   *id);
void          lk_store_bind_variant    (sqlite3_stmt *stmt,
                                        int           index,
                                        GVariant     *value);
const char   *lk_store_column_text     (sqlite3_stmt *stmt,
                                        int           column);
gboolean      lk_store_flush_search    (LkStore      *self,
                                        GError      **error);
const char   *lk_store_default_region  (LkStore      *self);
void          lk_store_give_currency   (LkStore      *self,
                                        LkLead       *lead);
gboolean      lk_store_fill_dedup_keys (LkStore      *self,
                                        GError      **error);
gboolean      lk_store_write_new_lead  (LkStore      *self,
                                        LkLead       *lead,
                                        const char * const *keys,
                                        GError      **error);

/* lk-store-records.c, for sync (lk-store-sync.c) */
gboolean      lk_store_write_record    (LkStore      *self,
                                        LkRecord     *record,
                                        gboolean      local,
                                        GError      **error);
LkRecord     *lk_store_find_record     (LkStore      *self,
                                        GType         type,
                                        const char   *id,
                                        gboolean     *dirty,
                                        GError      **error);

/* lk-store-sync.c, for the write path (lk-store-records.c) */
gboolean      lk_store_keep_sync_base  (LkStore      *self,
                                        LkRecord     *record,
                                        GError      **error);

/* lk-store-records.c, for the other parts of the store */
gboolean      lk_store_put_record      (LkStore      *self,
                                        LkRecord     *record,
                                        GError      **error);
LkRecord     *lk_store_read_record     (sqlite3_stmt *stmt,
                                        GType         type);
GPtrArray    *lk_store_read_records    (LkStore      *self,
                                        sqlite3_stmt *stmt,
                                        GType         type,
                                        const char   *doing,
                                        GError      **error);
const char   *lk_store_select_sql      (LkStore      *self,
                                        GType         type);
LkRecord     *lk_store_get_record      (LkStore      *self,
                                        GType         type,
                                        const char   *where,
                                        const char   *text,
                                        GError      **error);

/* Why a lead's owner changes, for the assignment activity that logs it
 * (lk-store-rules.c). */
typedef struct
{
  const char *reason;       /* manual (when there is no note), assign, auto, claim, recycle */
  const char *rule;         /* the assignment rule's id */
  const char *summary;      /* the rule's name */
  const char *activity_id;  /* a fixed id: a change several desktops make alike syncs as one */
  gint64      at;           /* 0: now */
  gboolean    automatic;    /* made by no one (no author) */
} LkOwnerNote;

gboolean      lk_store_update_lead_noted (LkStore          *self,
                                          LkLead           *lead,
                                          const char       *reason,
                                          const LkOwnerNote *note,
                                          GError          **error);

/* lk-store-rules.c: what the rules of follow-up, scoring and assignment
 * add to a local write of @lead (@stored: the saved version, %NULL for a
 * new lead). May change @lead; adds the records to write after it to
 * @follow. */
gboolean      lk_store_apply_lead_rules (LkStore          *self,
                                         LkLead           *lead,
                                         LkLead           *stored,
                                         gboolean          entered_stage,
                                         const LkOwnerNote *note,
                                         GPtrArray        *follow,
                                         GError          **error);
void          lk_store_forget_rules    (LkStore      *self);

gboolean lk_store_catch_up_search_rows (LkStore       *self,
                                        guint          batch,
                                        GCancellable  *cancellable,
                                        GError       **error);

G_END_DECLS
