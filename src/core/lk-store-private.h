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
  GHashTable *users_by_id;  /* user id → LkUser, once asked for; kept current */
  GHashTable *statements;  /* SQL text → sqlite3_stmt */
  GHashTable *by_address;  /* the address of a SQL text last prepared → sqlite3_stmt */
  GHashTable *sql_texts;   /* "select:leads" → SQL made from a record type's fields */
  GHashTable *pending;     /* doc type → GHashTable of ids changed in the open transaction */
  GHashTable *fts_pending; /* rowid → search text ("" to remove), written at commit */

  guint       depth;       /* nesting of lk_store_begin() */
  guint       pending_all : 1;
};

sqlite3_stmt *lk_store_prepare         (LkStore      *self,
                                        const char   *sql,
                                        GError      **error);
gboolean      lk_store_exec            (LkStore      *self,
                                        const char   *sql,
                                        GError      **error);
gboolean      lk_store_step_done       (LkStore      *self,
                                        sqlite3_stmt *stmt,
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
gboolean      lk_store_fill_dedup_keys (LkStore      *self,
                                        GError      **error);
gboolean      lk_store_write_new_lead  (LkStore      *self,
                                        LkLead       *lead,
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

G_END_DECLS
