/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-store"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "lk-utils.h"
#include "lk-error.h"
#include "lk-search-tokenizer.h"
#include "lk-store-private.h"

/* The local database: one SQLite connection (WAL, foreign keys, schema
 * versions in PRAGMA user_version). Every logical change is one
 * transaction; the outermost commit emits ::changed naming what changed.
 * A worker thread opens its own connection with lk_store_open_worker(). */

G_DEFINE_FINAL_TYPE (LkStore, lk_store, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The first schema: step 1 of migration_steps below. Never edit a step
 * that shipped: add the next. */
static const char * const migrations[] = {
  /* 1: the first schema */
  "CREATE TABLE meta ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT"
  ");"
  "CREATE TABLE leads ("
  "  rowid INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL UNIQUE,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  extra TEXT,"
  "  dirty INTEGER NOT NULL DEFAULT 0,"
  "  local_seq INTEGER NOT NULL DEFAULT 0,"
  "  code TEXT NOT NULL DEFAULT '',"
  "  company TEXT NOT NULL DEFAULT '',"
  "  industry TEXT NOT NULL DEFAULT '',"
  "  company_size TEXT NOT NULL DEFAULT '',"
  "  contact TEXT NOT NULL DEFAULT '',"
  "  title TEXT NOT NULL DEFAULT '',"
  "  phone TEXT NOT NULL DEFAULT '',"
  "  email TEXT NOT NULL DEFAULT '',"
  "  im TEXT NOT NULL DEFAULT '',"
  "  region TEXT NOT NULL DEFAULT '',"
  "  source TEXT NOT NULL DEFAULT '',"
  "  campaign TEXT NOT NULL DEFAULT '',"
  "  needs TEXT NOT NULL DEFAULT '',"
  "  budget INTEGER NOT NULL DEFAULT 0 CHECK (budget >= 0),"
  "  amount INTEGER NOT NULL DEFAULT 0 CHECK (amount >= 0),"
  "  currency TEXT NOT NULL DEFAULT 'CNY',"
  "  grade TEXT NOT NULL DEFAULT '',"
  "  score INTEGER NOT NULL DEFAULT 0,"
  "  temperature TEXT NOT NULL DEFAULT '',"
  "  bant_budget INTEGER NOT NULL DEFAULT 0,"
  "  bant_authority INTEGER NOT NULL DEFAULT 0,"
  "  bant_need INTEGER NOT NULL DEFAULT 0,"
  "  bant_timeline INTEGER NOT NULL DEFAULT 0,"
  "  mql INTEGER NOT NULL DEFAULT 0,"
  "  sql_qualified INTEGER NOT NULL DEFAULT 0,"
  "  tags TEXT NOT NULL DEFAULT '[]',"
  "  owner TEXT,"
  "  assigned_at INTEGER,"
  "  stage TEXT NOT NULL DEFAULT 'new',"
  "  stage_entered_at INTEGER,"
  "  lost_reason TEXT NOT NULL DEFAULT '',"
  "  next_followup_at INTEGER,"
  "  first_contacted_at INTEGER,"
  "  last_contacted_at INTEGER,"
  "  consent INTEGER NOT NULL DEFAULT 0,"
  "  do_not_contact INTEGER NOT NULL DEFAULT 0,"
  "  notes TEXT NOT NULL DEFAULT '',"
  "  created_at INTEGER,"
  "  created_by TEXT NOT NULL DEFAULT '',"
  "  updated_at INTEGER,"
  "  updated_by TEXT NOT NULL DEFAULT ''"
  ");"
  /* The board's columns: ordered ids of one stage by each card order. */
  "CREATE INDEX leads_stage_urgency ON leads (stage, coalesce(next_followup_at, 9223372036854775807)) WHERE deleted = 0;"
  /* Covers the column headers' totals under any filter of the board, so
   * they never read the table itself (2.9 s cold on 100,000 leads). */
  "CREATE INDEX leads_board ON leads (stage, owner, source, grade, temperature, next_followup_at, amount) WHERE deleted = 0;"
  "CREATE INDEX leads_stage_amount ON leads (stage, amount) WHERE deleted = 0;"
  "CREATE INDEX leads_stage_updated ON leads (stage, updated_at) WHERE deleted = 0;"
  "CREATE INDEX leads_urgency ON leads (coalesce(next_followup_at, 9223372036854775807)) WHERE deleted = 0;"
  "CREATE INDEX leads_updated ON leads (updated_at) WHERE deleted = 0;"
  "CREATE INDEX leads_created ON leads (created_at) WHERE deleted = 0;"
  "CREATE INDEX leads_owner ON leads (owner, stage) WHERE deleted = 0;"
  "CREATE INDEX leads_dirty ON leads (dirty) WHERE dirty = 1;"
  "CREATE TABLE lead_tags ("
  "  tag TEXT NOT NULL,"
  "  lead_rowid INTEGER NOT NULL REFERENCES leads (rowid) ON DELETE CASCADE,"
  "  PRIMARY KEY (tag, lead_rowid)"
  ") WITHOUT ROWID;"
  "CREATE INDEX lead_tags_lead ON lead_tags (lead_rowid);"
  /* Substrings of three characters or more: the trigram index. */
  "CREATE VIRTUAL TABLE leads_fts USING fts5 (body, tokenize = 'trigram');"
  /* Shorter terms, as typed from the first key: one token per CJK
   * character and pair, and per first one and two letters of other words
   * (lk_search_grams). */
  "CREATE VIRTUAL TABLE leads_grams USING fts5 (grams, tokenize = 'unicode61');"
  "CREATE TABLE activities ("
  "  rowid INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL UNIQUE,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  extra TEXT,"
  "  dirty INTEGER NOT NULL DEFAULT 0,"
  "  local_seq INTEGER NOT NULL DEFAULT 0,"
  "  lead_id TEXT,"
  "  kind TEXT NOT NULL DEFAULT '',"
  "  at INTEGER,"
  "  by_user TEXT NOT NULL DEFAULT '',"
  "  method TEXT NOT NULL DEFAULT '',"
  "  summary TEXT NOT NULL DEFAULT '',"
  "  feedback TEXT NOT NULL DEFAULT '',"
  "  next_step TEXT NOT NULL DEFAULT '',"
  "  next_due_at INTEGER,"
  "  grade_from TEXT NOT NULL DEFAULT '',"
  "  grade_to TEXT NOT NULL DEFAULT '',"
  "  event_type TEXT NOT NULL DEFAULT ''"
  ");"
  "CREATE INDEX activities_lead ON activities (lead_id, at);"
  "CREATE INDEX activities_at ON activities (at);"
  "CREATE TABLE stage_changes ("
  "  rowid INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL UNIQUE,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  extra TEXT,"
  "  dirty INTEGER NOT NULL DEFAULT 0,"
  "  local_seq INTEGER NOT NULL DEFAULT 0,"
  "  lead_id TEXT,"
  "  from_stage TEXT NOT NULL DEFAULT '',"
  "  to_stage TEXT NOT NULL DEFAULT '',"
  "  at INTEGER,"
  "  by_user TEXT NOT NULL DEFAULT '',"
  "  reason TEXT NOT NULL DEFAULT '',"
  "  reopen INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX stage_changes_lead ON stage_changes (lead_id, at);"
  "CREATE INDEX stage_changes_at ON stage_changes (at);"
  "CREATE TABLE users ("
  "  rowid INTEGER PRIMARY KEY,"
  "  id TEXT NOT NULL UNIQUE,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  extra TEXT,"
  "  dirty INTEGER NOT NULL DEFAULT 0,"
  "  local_seq INTEGER NOT NULL DEFAULT 0,"
  "  name TEXT NOT NULL DEFAULT '',"
  "  display_name TEXT NOT NULL DEFAULT '',"
  "  role TEXT NOT NULL DEFAULT 'rep',"
  "  email TEXT NOT NULL DEFAULT '',"
  "  regions TEXT NOT NULL DEFAULT '[]',"
  "  industries TEXT NOT NULL DEFAULT '[]',"
  "  senior INTEGER NOT NULL DEFAULT 0,"
  "  capacity INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE TABLE settings ("
  "  name TEXT PRIMARY KEY,"
  "  json TEXT NOT NULL,"
  "  updated_at INTEGER,"
  "  dirty INTEGER NOT NULL DEFAULT 0,"
  "  local_seq INTEGER NOT NULL DEFAULT 0"
  ");"
  /* Sync (SYNC.md) */
  "CREATE TABLE outbox ("
  "  doc_id TEXT PRIMARY KEY,"
  "  op TEXT NOT NULL CHECK (op IN ('put', 'delete')),"
  "  local_seq INTEGER NOT NULL,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_try_at INTEGER NOT NULL DEFAULT 0,"
  "  last_error TEXT,"
  "  queued_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX outbox_order ON outbox (queued_at);"
  "CREATE TABLE sync_base ("
  "  doc_id TEXT PRIMARY KEY,"
  "  rev TEXT NOT NULL,"
  "  json TEXT NOT NULL"
  ");"
  "CREATE TABLE sync_state ("
  "  remote TEXT PRIMARY KEY,"
  "  db_epoch TEXT,"
  "  pull_since TEXT,"
  "  last_push_at INTEGER,"
  "  last_pull_at INTEGER,"
  "  last_error TEXT"
  ");"
  "CREATE TABLE sync_conflicts ("
  "  id INTEGER PRIMARY KEY,"
  "  doc_id TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  field TEXT,"
  "  base TEXT,"
  "  mine TEXT,"
  "  theirs TEXT,"
  "  theirs_rev TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  resolved_at INTEGER"
  ");"
  "CREATE INDEX sync_conflicts_open ON sync_conflicts (doc_id) WHERE resolved_at IS NULL;",

  /* 2: duplicate keys (lk-dedup) and imports that can be undone. The keys
   * of the leads already there are filled by fill_keys below. */
  "ALTER TABLE leads ADD COLUMN phone_key TEXT;"
  "ALTER TABLE leads ADD COLUMN email_key TEXT;"
  "ALTER TABLE leads ADD COLUMN company_key TEXT;"
  "ALTER TABLE leads ADD COLUMN contact_key TEXT;"
  "CREATE INDEX leads_phone_key ON leads (phone_key) WHERE phone_key IS NOT NULL;"
  "CREATE INDEX leads_email_key ON leads (email_key) WHERE email_key IS NOT NULL;"
  "CREATE INDEX leads_company_key ON leads (company_key, contact_key) WHERE company_key IS NOT NULL;"
  /* This desktop's imports (never synced; the leads they wrote do). */
  "CREATE TABLE imports ("
  "  id INTEGER PRIMARY KEY,"
  "  file_name TEXT NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  by_user TEXT NOT NULL DEFAULT '',"
  "  state TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done', 'cancelled', 'failed', 'undone')),"
  "  n_created INTEGER NOT NULL DEFAULT 0,"
  "  n_updated INTEGER NOT NULL DEFAULT 0,"
  "  n_skipped INTEGER NOT NULL DEFAULT 0,"
  "  n_invalid INTEGER NOT NULL DEFAULT 0,"
  "  undone_at INTEGER"
  ");"
  /* What an import did to each lead: changes is NULL for a lead it
   * created, else {"field": [before, after], …} of the fields it changed. */
  "CREATE TABLE import_leads ("
  "  import_id INTEGER NOT NULL REFERENCES imports (id) ON DELETE CASCADE,"
  "  lead_id TEXT NOT NULL,"
  "  changes TEXT,"
  "  PRIMARY KEY (import_id, lead_id)"
  ") WITHOUT ROWID;",

  /* 3: follow-ups, tasks, assignments and the pool: migrate_rules below. */
  "",

  /* 4: reports (src/core/reports): covering indexes, so that a report
   * over 100,000 leads reads indexes, not rows (tests/bench/bench-report.c).
   * IF NOT EXISTS: the step may be renumbered when branches merge. */
  "CREATE INDEX IF NOT EXISTS leads_report ON leads (id, owner, source, created_at, amount, stage, grade, "
  "stage_entered_at, first_contacted_at) WHERE deleted = 0;"
  "CREATE INDEX IF NOT EXISTS leads_cohort ON leads (created_at, owner, source, grade, stage, amount, "
  "first_contacted_at, stage_entered_at, id) WHERE deleted = 0;"
  "CREATE INDEX IF NOT EXISTS stage_changes_report ON stage_changes (at, to_stage, lead_id, reason) WHERE deleted = 0;"
  "CREATE INDEX IF NOT EXISTS stage_changes_history ON stage_changes (lead_id, at, to_stage, from_stage) WHERE deleted = 0;"
  "CREATE INDEX IF NOT EXISTS leads_deleted ON leads (id) WHERE deleted = 1;"
  /* by_user first: the leaderboard's GROUP BY needs no sort. */
  "CREATE INDEX IF NOT EXISTS activities_followups ON activities (by_user, at, lead_id) "
  "WHERE kind = 'followup' AND deleted = 0;"
  "CREATE INDEX IF NOT EXISTS activities_followups_lead ON activities (lead_id, at, by_user) "
  "WHERE kind = 'followup' AND deleted = 0;",

  /* 5: the behaviour events an import recorded (the event column), which
   * Undo import removes. IF NOT EXISTS: the step may be renumbered when
   * branches merge. */
  "CREATE TABLE IF NOT EXISTS import_activities ("
  "  import_id INTEGER NOT NULL REFERENCES imports (id) ON DELETE CASCADE,"
  "  activity_id TEXT NOT NULL,"
  "  lead_id TEXT NOT NULL,"
  "  PRIMARY KEY (import_id, activity_id)"
  ") WITHOUT ROWID;",
  /* 6: reports: step 4's indexes cover more, so that a long period's
   * report reads no row of stage_changes (a loss's reason) and finds the
   * open pipeline in the same pass over the leads (their next follow-up).
   * The follow-ups' indexes hold the columns of their own WHERE: SQLite
   * 3.40 does not count those as covered, and looked up each row's table
   * entry while it counted (the leaderboard's count took 2.4 times as
   * long in the sqlite3 shell). Dropped and made again: a
   * database that ran step 4 has the narrower ones. */
  "DROP INDEX IF EXISTS stage_changes_history;"
  "CREATE INDEX IF NOT EXISTS stage_changes_history ON stage_changes (lead_id, at, to_stage, from_stage, reason) "
  "WHERE deleted = 0;"
  "DROP INDEX IF EXISTS leads_report;"
  "CREATE INDEX IF NOT EXISTS leads_report ON leads (id, owner, source, created_at, amount, stage, grade, "
  "stage_entered_at, first_contacted_at, next_followup_at) WHERE deleted = 0;"
  "DROP INDEX IF EXISTS activities_followups;"
  "CREATE INDEX IF NOT EXISTS activities_followups ON activities (by_user, at, lead_id, kind, deleted) "
  "WHERE kind = 'followup' AND deleted = 0;"
  "DROP INDEX IF EXISTS activities_followups_lead;"
  "CREATE INDEX IF NOT EXISTS activities_followups_lead ON activities (lead_id, at, by_user, kind, deleted) "
  "WHERE kind = 'followup' AND deleted = 0;",
  /* 7: the search indexes gather up to 32 MB of new terms in memory
   * before they write a segment (the default is 1 MB). Indexing the
   * leads of an import or a first pull wrote a small segment every few
   * hundred leads and spent about half its time merging them again; it
   * now takes half as long. A transaction that indexes a few leads holds
   * no more than before. (FTS5's own setting, kept in its tables.) */
  ("INSERT INTO leads_fts (leads_fts, rank) VALUES ('hashsize', 33554432);"
   "INSERT INTO leads_grams (leads_grams, rank) VALUES ('hashsize', 33554432);"),
  /* 8: one search index instead of two (lk-search-tokenizer.c): a
   * trigram table and a table of short grams became one table with a
   * tokenizer of Leadkeeper's own, about half the tokens to write. The
   * leads are indexed again after the migration, in the background in a
   * window (the mark "search-pending", lk_store_catch_up_search).
   * FTS5 merges its index segments once 16 of a size are there, not 4:
   * indexing 100,000 leads spent a third of its time merging the
   * segments of its own batches again (1.55 s instead of 1.1 s), and a
   * query reads a few more segments, still in about a millisecond. */
  ("DROP TABLE IF EXISTS leads_fts;"
   "DROP TABLE IF EXISTS leads_grams;"
   "CREATE VIRTUAL TABLE leads_search USING fts5 (body, tokenize = '" LK_SEARCH_TOKENIZER "');"
   "INSERT INTO leads_search (leads_search, rank) VALUES ('hashsize', 33554432);"
   "INSERT INTO leads_search (leads_search, rank) VALUES ('automerge', 16);"
   "INSERT INTO meta (key, value) VALUES ('" SEARCH_PENDING_KEY "', '1') "
   "ON CONFLICT (key) DO UPDATE SET value = excluded.value;"),
};

static gboolean
column_exists (LkStore    *self,
               const char *table,
               const char *column)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  if (sqlite3_prepare_v2 (self->db, "SELECT 1 FROM pragma_table_info(?) WHERE name = ?", -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, column, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  return found;
}

/* Follow-ups, tasks, assignments and the pool (issue 5). Additive only,
 * and safe to run on a database that has it already, so that the step
 * can take another number when branches that each add a step merge. */
static gboolean
migrate_rules (LkStore  *self,
               GError  **error)
{
  static const struct
  {
    const char *column;
    const char *sql;
  } columns[] = {
    { "done_at",    "ALTER TABLE activities ADD COLUMN done_at INTEGER" },
    { "owner_from", "ALTER TABLE activities ADD COLUMN owner_from TEXT" },
    { "owner_to",   "ALTER TABLE activities ADD COLUMN owner_to TEXT" },
    { "reason",     "ALTER TABLE activities ADD COLUMN reason TEXT NOT NULL DEFAULT ''" },
    { "rule",       "ALTER TABLE activities ADD COLUMN rule TEXT NOT NULL DEFAULT ''" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    if (!column_exists (self, "activities", columns[i].column) &&
        !lk_store_exec (self, columns[i].sql, error))
      return FALSE;
  return lk_store_exec (self,
                        /* The Follow-ups view: each bucket (overdue, today,
                         * upcoming, none) of one owner is a range of this
                         * index, counted without the table. The team's
                         * buckets are ranges of leads_urgency. */
                        "CREATE INDEX IF NOT EXISTS leads_owner_due ON leads "
                        "(owner, coalesce(next_followup_at, 9223372036854775807), stage) WHERE deleted = 0;"
                        /* Recycling: assigned leads nobody has contacted yet. */
                        "CREATE INDEX IF NOT EXISTS leads_uncontacted ON leads (assigned_at) "
                        "WHERE deleted = 0 AND owner IS NOT NULL AND first_contacted_at IS NULL;"
                        "CREATE INDEX IF NOT EXISTS activities_open_tasks ON activities (next_due_at) "
                        "WHERE kind = 'task' AND done_at IS NULL AND deleted = 0;"
                        /* "Assigned to me since …": what a desktop notifies. */
                        "CREATE INDEX IF NOT EXISTS activities_assigned ON activities (owner_to, at) "
                        "WHERE kind = 'assignment';",
                        error);
}

/* Work in C that a migration's SQL cannot do, run in its transaction
 * after that SQL; NULL for none. */
static gboolean (* const migration_steps[]) (LkStore *, GError **) = {
  NULL,
  lk_store_fill_dedup_keys,
  migrate_rules,
  NULL,
  NULL,
  NULL,
  NULL,
  NULL,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migration_steps) == LK_SCHEMA_VERSION);

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == LK_SCHEMA_VERSION);

gboolean
lk_store_fail (LkStore     *self,
               GError     **error,
               const char  *doing)
{
  g_set_error (error, LK_ERROR, LK_ERROR_DATABASE,
               _("The database could not %s: %s"), doing, sqlite3_errmsg (self->db));
  return FALSE;
}

/**
 * lk_store_prepare:
 *
 * Returns: (transfer none): a cached statement for @sql, reset and with
 *   its bindings cleared, or %NULL with @error set
 */
sqlite3_stmt *
lk_store_prepare (LkStore     *self,
                  const char  *sql,
                  GError     **error)
{
  sqlite3_stmt *stmt;

  /* Most SQL texts are constants or kept by the store: their address
   * finds the statement without hashing a long text (the upsert of a
   * lead is a kilobyte). A freed text's address reused for another SQL
   * text fails the comparison and takes the slow path. */
  stmt = g_hash_table_lookup (self->by_address, sql);
  if (stmt != NULL && strcmp (sqlite3_sql (stmt), sql) == 0)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      g_hash_table_insert (self->by_address, (gpointer) sql, stmt);
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, LK_ERROR, LK_ERROR_DATABASE,
                   _("The database could not prepare a query: %s"), sqlite3_errmsg (self->db));
      g_debug ("failed SQL: %s", sql);
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  g_hash_table_insert (self->by_address, (gpointer) sql, stmt);
  return stmt;
}

gboolean
lk_store_exec (LkStore     *self,
               const char  *sql,
               GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, LK_ERROR, LK_ERROR_DATABASE, "%s", message ? message : "?");
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

gboolean
lk_store_step_done (LkStore       *self,
                    sqlite3_stmt  *stmt,
                    GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_DONE || rc == SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return TRUE;
    }
  sqlite3_reset (stmt);
  return lk_store_fail (self, error, _("save the change"));
}

const char *
lk_store_column_text (sqlite3_stmt *stmt,
                      int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

void
lk_store_bind_variant (sqlite3_stmt *stmt,
                       int           index,
                       GVariant     *value)
{
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    sqlite3_bind_text (stmt, index, g_variant_get_string (value, NULL), -1, SQLITE_TRANSIENT);
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    sqlite3_bind_int64 (stmt, index, g_variant_get_int64 (value));
  else
    g_assert_not_reached ();
}

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

static void
lk_store_finalize (GObject *object)
{
  LkStore *self = LK_STORE (object);

  if (self->depth > 0)
    {
      g_warning ("A store was closed inside a transaction; it is rolled back");
      lk_store_exec (self, "ROLLBACK", NULL);
    }
  g_clear_pointer (&self->by_address, g_hash_table_unref);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->sql_texts, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->fts_pending, g_hash_table_unref);
  g_clear_pointer (&self->rules, g_hash_table_unref);
  g_clear_object (&self->reader);
  g_mutex_clear (&self->reader_lock);
  lk_store_stop_checkpoints (self);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->phone_region, g_free);
  g_clear_pointer (&self->search_key, g_free);
  g_clear_pointer (&self->search_bits, g_free);
  g_clear_pointer (&self->users_by_id, g_hash_table_unref);
  g_clear_object (&self->clock);
  g_clear_object (&self->pipeline);

  G_OBJECT_CLASS (lk_store_parent_class)->finalize (object);
}

static void
lk_store_class_init (LkStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_store_finalize;

  /**
   * LkStore::changed:
   * @doc_type: (nullable): "lead", "activity", "stagechange", "user",
   *   "settings"; %NULL when anything may have changed (a bulk import)
   * @ids: (nullable): the document ids that changed; %NULL for "many"
   *
   * Emitted after a transaction that changed records has committed.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRV);
}

static void
lk_store_init (LkStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
  self->by_address = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->sql_texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->fts_pending = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->rules = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_mutex_init (&self->reader_lock);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_hash_table_unref);
}

static gboolean
create_private_file (const char  *path,
                     GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not create the folder “%s”: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  /* Customer data stays private: the file is created 0600 before SQLite
   * touches it, and SQLite gives its -wal and -shm files the same mode. */
  fd = g_open (path, O_RDWR | O_CREAT, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not open the database “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  fchmod (fd, 0600);
  close (fd);
  return TRUE;
}

static int
read_user_version (LkStore *self)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

static gboolean
migrate (LkStore  *self,
         int       from,
         GError  **error)
{
  for (int version = from; version < LK_SCHEMA_VERSION; version++)
    {
      g_autofree char *bump = NULL;

      g_debug ("Migrating the database from version %d to %d", version, version + 1);
      if (!lk_store_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      /* The version is a constant of ours, not user text. */
      bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);
      if (!lk_store_exec (self, migrations[version], error) ||
          (migration_steps[version] != NULL && !migration_steps[version] (self, error)) ||
          !lk_store_exec (self, bump, error) ||
          !lk_store_exec (self, "COMMIT", error))
        {
          lk_store_exec (self, "ROLLBACK", NULL);
          g_prefix_error (error, _("Could not upgrade the database to version %d: "), version + 1);
          return FALSE;
        }
    }
  return TRUE;
}

/* LEADKEEPER_PROFILE=sql logs each statement that took a millisecond or more. */
static int
log_slow_statement (unsigned int  type,
                    void         *data,
                    void         *statement,
                    void         *nanoseconds)
{
  gint64 ns = *(gint64 *) nanoseconds;

  if (ns >= 1000000)
    {
      char *sql = sqlite3_expanded_sql (statement);

      g_message ("profile: %.1f ms: %s", ns / 1e6, sql ? sql : sqlite3_sql (statement));
      sqlite3_free (sql);
    }
  return 0;
}

static LkStore *
open_connection (const char  *path,
                 LkClock     *clock,
                 gboolean     run_migrations,
                 gboolean     catch_up,
                 GError     **error)
{
  g_autoptr(LkStore) self = g_object_new (LK_TYPE_STORE, NULL);
  int version;

  self->path = g_strdup (path);
  self->clock = clock ? g_object_ref (clock) : lk_clock_new_system ();
  self->pipeline = lk_pipeline_new_default ();

  if (run_migrations && !create_private_file (path, error))
    return NULL;
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, LK_ERROR, LK_ERROR_DATABASE, _("Could not open the database “%s”: %s"),
                   path, self->db ? sqlite3_errmsg (self->db) : "out of memory");
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 5000);
  if (!lk_search_tokenizer_register (self->db, error) ||
      !lk_store_register_search_hit (self, error))
    return NULL;
  if (g_strcmp0 (g_getenv ("LEADKEEPER_PROFILE"), "sql") == 0)
    sqlite3_trace_v2 (self->db, SQLITE_TRACE_PROFILE, log_slow_statement, NULL);

  /* Read the version before anything writes to the file: a database from
   * a newer Leadkeeper is refused untouched. */
  version = read_user_version (self);
  if (version < 0)
    {
      g_set_error (error, LK_ERROR, LK_ERROR_DATABASE,
                   _("“%s” is not a Leadkeeper database: %s"), path, sqlite3_errmsg (self->db));
      return NULL;
    }
  if (version > LK_SCHEMA_VERSION)
    {
      g_set_error (error, LK_ERROR, LK_ERROR_SCHEMA_TOO_NEW,
                   _("The database “%s” was written by a newer version of Leadkeeper (schema %d; this version reads up to %d). Update Leadkeeper to open it."),
                   path, version, LK_SCHEMA_VERSION);
      return NULL;
    }

  if (!lk_store_exec (self, "PRAGMA journal_mode = WAL", error) ||
      !lk_store_exec (self, "PRAGMA synchronous = NORMAL", error) ||
      !lk_store_exec (self, "PRAGMA foreign_keys = ON", error) ||
      !lk_store_exec (self, "PRAGMA temp_store = MEMORY", error) ||
      /* 32 MB of page cache: a 100,000-lead database keeps its indexes in
       * memory (SQLite's default is 2 MB, which made bulk writes slow
       * down as the file grew). */
      !lk_store_exec (self, "PRAGMA cache_size = -32768", error))
    {
      g_prefix_error (error, _("Could not open the database “%s”: "), path);
      return NULL;
    }
  /* The store's own connection, whose commits may be the window's:
   * workers checkpoint as SQLite does. */
  if (run_migrations)
    lk_store_start_checkpoints (self);
  if (run_migrations && !migrate (self, version, error))
    return NULL;
  /* A bulk write that deferred the search indexing was stopped before it
   * finished it (lk_store_set_defer_search): it is finished now. */
  if (run_migrations && catch_up && !lk_store_catch_up_search (self, 0, NULL, error))
    {
      g_prefix_error (error, _("Could not open the database “%s”: "), path);
      return NULL;
    }
  /* The matches of the current search, shared by every query of a view
   * (a board runs nine under one filter): see lk-store-records.c. */
  if (!lk_store_exec (self, "CREATE TEMP TABLE IF NOT EXISTS search_hits (rowid INTEGER PRIMARY KEY)", error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * lk_store_open:
 * @clock: (nullable): where "now" comes from; the system clock when %NULL
 *
 * Opens (creating it, mode 0600, when missing) and upgrades the database.
 */
LkStore *
lk_store_open (const char  *path,
               LkClock     *clock,
               GError     **error)
{
  return lk_store_open_full (path, clock, LK_STORE_OPEN_DEFAULT, error);
}

/**
 * lk_store_open_full:
 * @clock: (nullable): where "now" comes from; the system clock when %NULL
 * @flags: with %LK_STORE_OPEN_CATCH_UP_LATER, what a bulk write stopped
 *   half-way left (lk_store_catch_up_search()) is left to the caller,
 *   who runs lk_store_catch_up_search_in_background(): a window opens at
 *   once, and its searches are complete a little later
 *
 * Opens (creating it, mode 0600, when missing) and upgrades the database.
 */
LkStore *
lk_store_open_full (const char        *path,
                    LkClock           *clock,
                    LkStoreOpenFlags   flags,
                    GError           **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  return open_connection (path, clock, TRUE, (flags & LK_STORE_OPEN_CATCH_UP_LATER) == 0, error);
}

/**
 * lk_store_open_worker:
 *
 * Returns: (transfer full): a second connection to the same database for
 *   one worker thread, sharing the clock, pipeline and user. Its ::changed
 *   is emitted on the worker; the main store learns of the work through
 *   lk_store_emit_changed() when the task returns.
 */
LkStore *
lk_store_open_worker (LkStore  *self,
                      GError  **error)
{
  LkStore *worker;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  worker = open_connection (self->path, self->clock, FALSE, FALSE, error);
  if (worker != NULL)
    {
      lk_store_set_pipeline (worker, self->pipeline);
      lk_store_set_user_id (worker, self->user_id);
    }
  return worker;
}

const char *
lk_store_get_path (LkStore *self)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);
  return self->path;
}

LkClock *
lk_store_get_clock (LkStore *self)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);
  return self->clock;
}

LkPipeline *
lk_store_get_pipeline (LkStore *self)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);
  return self->pipeline;
}

void
lk_store_set_pipeline (LkStore    *self,
                       LkPipeline *pipeline)
{
  g_return_if_fail (LK_IS_STORE (self));
  g_return_if_fail (LK_IS_PIPELINE (pipeline));

  g_set_object (&self->pipeline, pipeline);
}

/* Returns: (nullable): the user id edits are recorded under */
/**
 * lk_store_set_local_only:
 * @local_only: %TRUE for writes that stay on this desktop
 *
 * Records this connection writes from now on are not queued for sync: the
 * sample data a new database starts with must never reach the team's
 * server. A later edit of such a record is a normal edit and syncs.
 */
void
lk_store_set_local_only (LkStore  *self,
                         gboolean  local_only)
{
  g_return_if_fail (LK_IS_STORE (self));
  self->local_only = !!local_only;
}

const char *
lk_store_get_user_id (LkStore *self)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);
  return self->user_id;
}

void
lk_store_set_user_id (LkStore    *self,
                      const char *user_id)
{
  g_return_if_fail (LK_IS_STORE (self));
  lk_set_str (&self->user_id, user_id);
}

gboolean
lk_store_begin (LkStore  *self,
                GError  **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), FALSE);

  if (self->depth == 0)
    {
      /* IMMEDIATE takes the write lock now, so a worker writing at the same
       * time makes us wait (busy_timeout) instead of failing half-way. */
      if (!lk_store_exec (self, "BEGIN IMMEDIATE", error))
        {
          g_prefix_error (error, _("The database is busy: "));
          return FALSE;
        }
    }
  self->depth++;
  return TRUE;
}

/* Refills the team table in place (views borrow it) before listeners
 * hear that users changed. */
static void
refresh_users (LkStore    *self,
               const char *doc_type)
{
  g_autoptr(GPtrArray) users = NULL;

  if (self->users_by_id == NULL || (doc_type != NULL && !g_str_equal (doc_type, "user")))
    return;
  users = lk_store_list_users (self, NULL);
  g_hash_table_remove_all (self->users_by_id);
  for (guint i = 0; users != NULL && i < users->len; i++)
    {
      LkRecord *user = g_ptr_array_index (users, i);

      g_hash_table_insert (self->users_by_id, g_strdup (lk_record_get_id (user)), g_object_ref (user));
    }
}

/**
 * lk_store_get_users_by_id:
 *
 * Returns: (transfer none) (element-type utf8 LkUser): the team by user
 *   id, for showing owners' names. The table is the store's for its whole
 *   life and is brought up to date before ::changed names users.
 */
GHashTable *
lk_store_get_users_by_id (LkStore *self)
{
  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  if (self->users_by_id == NULL)
    {
      self->users_by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
      refresh_users (self, NULL);
    }
  return self->users_by_id;
}

static void
flush_changed (LkStore *self)
{
  g_autoptr(GHashTable) pending = g_steal_pointer (&self->pending);
  gboolean all = self->pending_all;
  GHashTableIter iter;
  const char *doc_type;
  GHashTable *ids;

  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_hash_table_unref);
  self->pending_all = FALSE;

  if (all)
    {
      refresh_users (self, NULL);
      g_signal_emit (self, signals[CHANGED], 0, NULL, NULL);
      return;
    }
  g_hash_table_iter_init (&iter, pending);
  while (g_hash_table_iter_next (&iter, (gpointer *) &doc_type, (gpointer *) &ids))
    {
      g_autofree const char **list = (const char **) g_hash_table_get_keys_as_array (ids, NULL);

      refresh_users (self, doc_type);
      g_signal_emit (self, signals[CHANGED], 0, doc_type, list);
    }
}

gboolean
lk_store_commit (LkStore  *self,
                 GError  **error)
{
  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->depth > 0, FALSE);

  if (self->depth > 1)
    {
      self->depth--;
      return TRUE;
    }
  if (!lk_store_flush_search (self, error) || !lk_store_exec (self, "COMMIT", error))
    {
      lk_store_rollback (self);
      return FALSE;
    }
  self->depth = 0;
  flush_changed (self);
  return TRUE;
}

/* Rolls back the whole transaction, whatever the nesting: a failure in
 * any step undoes the logical change as a unit. */
void
lk_store_rollback (LkStore *self)
{
  g_return_if_fail (LK_IS_STORE (self));

  if (self->depth == 0)
    return;
  self->depth = 0;
  if (sqlite3_get_autocommit (self->db) == 0)
    lk_store_exec (self, "ROLLBACK", NULL);
  g_hash_table_remove_all (self->pending);
  g_hash_table_remove_all (self->fts_pending);
  g_clear_pointer (&self->search_key, g_free);
  self->pending_all = FALSE;
  self->search_deferred = FALSE;
}

/* Ends the transaction of one logical change: commits it when @ok, else
 * rolls it back and returns %FALSE (the step that failed set @error). */
gboolean
lk_store_finish (LkStore   *self,
                 gboolean   ok,
                 GError   **error)
{
  if (!ok)
    {
      lk_store_rollback (self);
      return FALSE;
    }
  return lk_store_commit (self, error);
}

void
lk_store_note_changed (LkStore    *self,
                       const char *doc_type,
                       const char *id)
{
  GHashTable *ids;

  if (doc_type == NULL || g_str_equal (doc_type, "lead"))
    g_clear_pointer (&self->search_key, g_free);
  /* The rules are read again from their settings documents once changed,
   * here or by sync. */
  if (doc_type == NULL || g_str_equal (doc_type, "settings"))
    lk_store_forget_rules (self);
  if (doc_type == NULL || id == NULL)
    {
      self->pending_all = TRUE;
      return;
    }
  ids = g_hash_table_lookup (self->pending, doc_type);
  if (ids == NULL)
    {
      ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (self->pending, g_strdup (doc_type), ids);
    }
  g_hash_table_add (ids, g_strdup (id));
}

/**
 * lk_store_emit_changed:
 * @doc_type: (nullable):
 * @ids: (nullable):
 *
 * Tells listeners about changes made elsewhere, such as by a worker's
 * connection: call it on the main store when the task returns.
 */
void
lk_store_emit_changed (LkStore            *self,
                       const char         *doc_type,
                       const char * const *ids)
{
  g_return_if_fail (LK_IS_STORE (self));

  /* Changed through another connection: the search matches may differ. */
  if (doc_type == NULL || g_str_equal (doc_type, "lead"))
    g_clear_pointer (&self->search_key, g_free);
  if (doc_type == NULL || g_str_equal (doc_type, "settings"))
    lk_store_forget_rules (self);
  refresh_users (self, doc_type);
  g_signal_emit (self, signals[CHANGED], 0, doc_type, ids);
}

char *
lk_store_get_local (LkStore    *self,
                    const char *key)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  stmt = lk_store_prepare (self, "SELECT value FROM meta WHERE key = ?", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      char *value = g_strdup (lk_store_column_text (stmt, 0));

      sqlite3_reset (stmt);
      return value;
    }
  sqlite3_reset (stmt);
  return NULL;
}

/* Values of this desktop only, never synced: who is using it, the device. */
gboolean
lk_store_set_local (LkStore     *self,
                    const char  *key,
                    const char  *value,
                    GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);

  stmt = lk_store_prepare (self,
                           "INSERT INTO meta (key, value) VALUES (?, ?) "
                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  g_clear_pointer (&self->phone_region, g_free);
  return lk_store_step_done (self, stmt, error);
}

static gint64
count_of (LkStore     *self,
          const char  *sql,
          GError     **error)
{
  sqlite3_stmt *stmt = lk_store_prepare (self, sql, error);
  gint64 count = -1;

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    lk_store_fail (self, error, _("count records"));
  sqlite3_reset (stmt);
  return count;
}

gint64
lk_store_count_leads (LkStore  *self,
                      GError  **error)
{
  return count_of (self, "SELECT count(*) FROM leads WHERE deleted = 0", error);
}

gint64
lk_store_count_outbox (LkStore  *self,
                       GError  **error)
{
  return count_of (self, "SELECT count(*) FROM outbox", error);
}

/**
 * lk_store_check:
 *
 * Checks SQLite's own integrity and ours: the search index, the tag index,
 * stage ids, the outbox. Returns: (transfer full): one message per
 * problem found; empty when all is well.
 */
GPtrArray *
lk_store_check (LkStore  *self,
                GError  **error)
{
  static const struct
  {
    const char *sql;
    const char *problem;
  } checks[] = {
    { "SELECT count(*) FROM leads l WHERE l.deleted = 0 AND NOT EXISTS "
      "(SELECT 1 FROM leads_search_content f WHERE f.id = l.rowid)",
      N_("Leads missing from the search index:") },
    { "SELECT count(*) FROM leads_search_content f WHERE NOT EXISTS "
      "(SELECT 1 FROM leads l WHERE l.rowid = f.id AND l.deleted = 0)",
      N_("Search index entries that belong to no lead:") },
    { "SELECT count(*) FROM leads l WHERE l.deleted = 0 AND json_array_length (l.tags) <> "
      "(SELECT count(*) FROM lead_tags t WHERE t.lead_rowid = l.rowid)",
      N_("Leads whose tag index does not match their tags:") },
    { "SELECT count(*) FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM leads WHERE id = o.doc_id) "
      "AND NOT EXISTS (SELECT 1 FROM activities WHERE id = o.doc_id) "
      "AND NOT EXISTS (SELECT 1 FROM stage_changes WHERE id = o.doc_id) "
      "AND NOT EXISTS (SELECT 1 FROM users WHERE id = o.doc_id) "
      "AND NOT EXISTS (SELECT 1 FROM settings WHERE 'settings:' || name = o.doc_id)",
      N_("Pending changes that belong to no record:") },
    { "SELECT count(*) FROM leads WHERE dirty = 1 AND id NOT IN (SELECT doc_id FROM outbox)",
      N_("Edited leads that are not queued for sync:") },
  };
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  stmt = lk_store_prepare (self, "PRAGMA integrity_check", error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *line = lk_store_column_text (stmt, 0);

      if (g_strcmp0 (line, "ok") != 0)
        g_ptr_array_add (problems, g_strdup_printf (_("SQLite: %s"), line));
    }
  sqlite3_reset (stmt);

  stmt = lk_store_prepare (self, "PRAGMA foreign_key_check", error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (problems, g_strdup_printf (_("A row of “%s” refers to a missing row of “%s”"),
                                                lk_store_column_text (stmt, 0),
                                                lk_store_column_text (stmt, 2)));
  sqlite3_reset (stmt);

  /* FTS5's own check: its index against its texts, tokenized again. */
  stmt = lk_store_prepare (self, "INSERT INTO leads_search (leads_search) VALUES ('integrity-check')", error);
  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if ((rc & 0xff) == SQLITE_CORRUPT)
    g_ptr_array_add (problems, g_strdup_printf (_("The search index does not match the leads’ texts: %s"),
                                                sqlite3_errmsg (self->db)));
  else if (rc != SQLITE_DONE)
    {
      lk_store_fail (self, error, _("check the search index"));
      return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      gint64 n = count_of (self, checks[i].sql, error);

      if (n < 0)
        return NULL;
      if (n > 0)
        g_ptr_array_add (problems, g_strdup_printf ("%s %d", _(checks[i].problem), (int) n));
    }

  /* Stage ids the pipeline does not know make leads invisible on the board. */
  stmt = lk_store_prepare (self, "SELECT stage, count(*) FROM leads WHERE deleted = 0 GROUP BY stage", error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *stage = lk_store_column_text (stmt, 0);

      if (lk_pipeline_lookup (self->pipeline, stage) == NULL)
        g_ptr_array_add (problems,
                         g_strdup_printf (_("Leads in the unknown stage “%s”: %d"), stage,
                                          (int) sqlite3_column_int64 (stmt, 1)));
    }
  sqlite3_reset (stmt);

  return g_steal_pointer (&problems);
}
