/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "lk-clock.h"
#include "lk-error.h"
#include "lk-lead.h"
#include "lk-store.h"

G_BEGIN_DECLS

/* The fake "now" of every test: Wednesday 2024-05-15 10:00:00 UTC. */
#define LK_TEST_NOW_MS  G_GINT64_CONSTANT (1715767200000)
#define LK_TEST_DAY_MS  G_GINT64_CONSTANT (86400000)
#define LK_TEST_HOUR_MS G_GINT64_CONSTANT (3600000)

/* A database in a fresh temporary folder, opened on a fake clock. */
typedef struct
{
  char    *dir;
  char    *path;
  LkClock *clock;
  LkStore *store;
  sqlite3 *peek;   /* a second connection, for looking at the tables */
} LkTestDb;

char      *lk_test_make_dir      (void);
void       lk_test_remove_dir    (const char  *dir);
LkClock   *lk_test_clock_new     (GTimeZone   *tz);

LkTestDb  *lk_test_db_new        (void);
LkTestDb  *lk_test_db_new_full   (GTimeZone   *tz);
void       lk_test_db_free       (LkTestDb    *db);
sqlite3   *lk_test_db_peek       (LkTestDb    *db);

/* Runs @sql on @conn with the NULL-terminated text values bound to its
 * '?' in order; the first column of the first row. */
gint64     lk_test_sql_int       (sqlite3     *conn,
                                  const char  *sql,
                                  ...) G_GNUC_NULL_TERMINATED;
char      *lk_test_sql_text      (sqlite3     *conn,
                                  const char  *sql,
                                  ...) G_GNUC_NULL_TERMINATED;
void       lk_test_sql_exec      (sqlite3     *conn,
                                  const char  *sql);

/* A lead with the given fields: pairs of field name and value as the CLI
 * reads them ("amount", "1250.50"), NULL-terminated. */
LkLead    *lk_test_lead_new      (const char  *first_field,
                                  ...) G_GNUC_NULL_TERMINATED;
/* The same, saved with lk_store_create_lead(); asserts it worked. */
LkLead    *lk_test_create_lead   (LkStore     *store,
                                  const char  *first_field,
                                  ...) G_GNUC_NULL_TERMINATED;

/* Records every ::changed of a store. */
typedef struct
{
  char  *doc_type;
  char **ids;
} LkTestChange;

typedef struct
{
  LkStore   *store;
  gulong     handler;
  GPtrArray *changes;  /* LkTestChange */
} LkTestChanges;

LkTestChanges *lk_test_changes_new   (LkStore       *store);
void           lk_test_changes_free  (LkTestChanges *changes);
guint          lk_test_changes_count (LkTestChanges *changes,
                                      const char    *doc_type);
gboolean       lk_test_changes_named (LkTestChanges *changes,
                                      const char    *doc_type,
                                      const char    *id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkTestDb, lk_test_db_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkTestChanges, lk_test_changes_free)

/* SQL that turns the search index of a current database back into the
 * two tables it was before schema 8, for tests that make a database of
 * an older version out of a new one. */
#define LK_TEST_SQL_SEARCH_BEFORE_8 \
  "DROP TABLE leads_search;" \
  "CREATE VIRTUAL TABLE leads_fts USING fts5 (body, tokenize = 'trigram');" \
  "CREATE VIRTUAL TABLE leads_grams USING fts5 (grams, tokenize = 'unicode61');"

G_END_DECLS
