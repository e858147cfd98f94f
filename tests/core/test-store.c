/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "lk-context.h"
#include "lk-search-tokenizer.h"
#include "lk-store-private.h"
#include "lk-test-util.h"

/* The store: schema migrations, and that every write path writes the row,
 * its history, its search and tag index rows and its outbox entry in one
 * transaction, or nothing at all. */

static const char * const schema_tables[] = {
  "leads", "activities", "stage_changes", "users", "settings", "leads_search", "outbox",
  "sync_base", "sync_state", "sync_conflicts", "meta", "lead_tags", NULL
};

static sqlite3 *
open_peek (const char *path)
{
  sqlite3 *conn = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &conn, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_true (lk_search_tokenizer_register (conn, NULL));
  return conn;
}

static void
assert_mode_0600 (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
assert_schema (LkStore    *store,
               const char *path)
{
  sqlite3 *conn = open_peek (path);
  g_autofree char *journal = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  for (guint i = 0; schema_tables[i]; i++)
    {
      g_test_message ("table %s", schema_tables[i]);
      g_assert_cmpint (lk_test_sql_int (conn, "SELECT count(*) FROM sqlite_master "
                                              "WHERE type = 'table' AND name = ?",
                                        schema_tables[i], NULL), ==, 1);
    }
  g_assert_cmpint (lk_test_sql_int (conn, "PRAGMA user_version", NULL), ==, LK_SCHEMA_VERSION);
  /* WAL is a property of the file: another connection sees it. */
  journal = lk_test_sql_text (conn, "PRAGMA journal_mode", NULL);
  g_assert_cmpstr (journal, ==, "wal");
  sqlite3_close (conn);

  /* Foreign keys are a property of the store's own connection. */
  stmt = lk_store_prepare (store, "PRAGMA foreign_keys", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_reset (stmt);
  /* … and they bite: a tag row of a lead that does not exist is refused. */
  g_assert_false (lk_store_exec (store, "INSERT INTO lead_tags (tag, lead_rowid) VALUES ('x', 4242)", &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_DATABASE);
  g_assert_nonnull (strstr (error->message, "FOREIGN KEY"));

  assert_mode_0600 (path);
  /* … and so is its write-ahead log, which holds the same data */
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);

    g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
    assert_mode_0600 (wal);
  }
}

static void
test_open_empty_file (void)
{
  g_autofree char *dir = lk_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "empty.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = NULL;

  g_assert_true (g_file_set_contents (path, "", 0, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);

  store = lk_store_open (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  assert_schema (store, path);

  g_clear_object (&store);
  lk_test_remove_dir (dir);
}

static void
test_open_missing_path (void)
{
  g_autofree char *dir = lk_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "not", "yet", "leadkeeper.db", NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) store = NULL;
  GStatBuf st;

  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  store = lk_store_open (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpstr (lk_store_get_path (store), ==, path);
  assert_schema (store, path);
  /* The folder holding customer data is private too. */
  g_assert_cmpint (g_stat (parent, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  g_clear_object (&store);
  lk_test_remove_dir (dir);
}

static char *
schema_text (const char *path)
{
  sqlite3 *conn = open_peek (path);
  char *text = lk_test_sql_text (conn, "SELECT group_concat(name || ':' || coalesce(sql, ''), '\n') "
                                       "FROM (SELECT name, sql FROM sqlite_master ORDER BY name)", NULL);

  sqlite3_close (conn);
  return text;
}

static void
test_reopen (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) lead = lk_test_create_lead (db->store, "company", "华信科技有限公司", "tags", "VIP", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(LkLead) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;

  g_clear_object (&db->store);
  before = schema_text (db->path);
  db->store = lk_store_open (db->path, db->clock, &error);
  g_assert_no_error (error);
  g_clear_object (&db->store);
  db->store = lk_store_open (db->path, db->clock, &error);
  g_assert_no_error (error);
  after = schema_text (db->path);

  /* No migration ran again: same schema, same data, same queue. */
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "PRAGMA user_version", NULL), ==, LK_SCHEMA_VERSION);
  again = lk_store_get_lead (db->store, lk_record_get_id (LK_RECORD (lead)), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lk_lead_get_company (again), ==, "华信科技有限公司");
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, 1);
  g_assert_cmpint (lk_store_count_outbox (db->store, NULL), ==, 2);
  problems = lk_store_check (db->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
  assert_mode_0600 (db->path);
}

static gint64
count_index (LkTestDb   *db,
             const char *name)
{
  return lk_test_sql_int (lk_test_db_peek (db), "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?",
                          name, NULL);
}

/* A bulk load drops the indexes a pull or sample data would write at
 * scattered places and makes them again at its end; one stopped half-way
 * (the process killed) is ended by the next open. Either way the schema
 * is the one it was, and the leads written meanwhile are in every index. */
static void
test_bulk_load (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) first = lk_test_create_lead (db->store, "company", "华信科技有限公司", "tags", "VIP", NULL);
  g_autoptr(LkLead) second = NULL;
  g_autoptr(LkLead) third = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_clear_object (&db->store);
  before = schema_text (db->path);
  db->store = lk_store_open (db->path, db->clock, &error);
  g_assert_no_error (error);

  /* Worth it from 10,000 leads coming, at least twice those there. */
  g_assert_true (lk_store_bulk_load_wanted (db->store, 10000));
  g_assert_false (lk_store_bulk_load_wanted (db->store, 9999));

  /* Ended by this process; an import keeps the duplicate keys. */
  g_assert_false (lk_store_get_bulk_load (db->store));
  g_assert_true (lk_store_begin_bulk_load (db->store, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (lk_store_get_bulk_load (db->store));
  g_assert_cmpint (count_index (db, "leads_report"), ==, 0);
  g_assert_cmpint (count_index (db, "stage_changes_history"), ==, 0);
  g_assert_cmpint (count_index (db, "leads_phone_key"), ==, 1);
  g_assert_cmpint (count_index (db, "leads_stage_urgency"), ==, 1);
  second = lk_test_create_lead (db->store, "company", "恒达物流", "phone", "13800138000", NULL);
  g_assert_true (lk_store_end_bulk_load (db->store, &error));
  g_assert_no_error (error);
  g_assert_false (lk_store_get_bulk_load (db->store));
  after = schema_text (db->path);
  g_assert_cmpstr (before, ==, after);
  g_clear_pointer (&after, g_free);

  /* Stopped half-way: the next open ends it. */
  g_assert_true (lk_store_begin_bulk_load (db->store, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_index (db, "leads_phone_key"), ==, 0);
  third = lk_test_create_lead (db->store, "company", "Northwind GmbH", "phone", "+49 89 1234567", NULL);
  g_clear_object (&db->store);
  db->store = lk_store_open (db->path, db->clock, &error);
  g_assert_no_error (error);
  g_assert_false (lk_store_get_bulk_load (db->store));
  g_clear_object (&db->store);
  after = schema_text (db->path);
  g_assert_cmpstr (before, ==, after);
  db->store = lk_store_open (db->path, db->clock, &error);
  g_assert_no_error (error);

  /* Stopped half-way through its end: each index is made in a
   * transaction that also takes its statement off the list, as if the
   * process was killed after the first one. */
  g_assert_true (lk_store_begin_bulk_load (db->store, FALSE, &error));
  g_assert_no_error (error);
  {
    sqlite3 *conn = lk_test_db_peek (db);
    g_autofree char *statements = lk_store_get_local (db->store, "bulk-load-indexes");
    const char *rest = strstr (statements, ";\n");
    g_autofree char *first_sql = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_nonnull (rest);
    first_sql = g_strndup (statements, rest - statements);
    g_assert_true (g_str_has_prefix (first_sql, "CREATE INDEX leads_board "));
    g_assert_cmpint (sqlite3_exec (conn, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (conn, first_sql, NULL, NULL, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (conn, "UPDATE meta SET value = ? WHERE key = 'bulk-load-indexes'", -1, &stmt, NULL),
                     ==, SQLITE_OK);
    sqlite3_bind_text (stmt, 1, rest + 2, -1, SQLITE_STATIC);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    sqlite3_finalize (stmt);
    g_assert_cmpint (sqlite3_exec (conn, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  }
  g_assert_cmpint (count_index (db, "leads_board"), ==, 1);
  g_assert_cmpint (count_index (db, "leads_report"), ==, 0);
  g_clear_object (&db->store);
  db->store = lk_store_open (db->path, db->clock, &error);
  g_assert_no_error (error);
  g_assert_false (lk_store_get_bulk_load (db->store));
  g_clear_object (&db->store);
  g_clear_pointer (&after, g_free);
  after = schema_text (db->path);
  g_assert_cmpstr (before, ==, after);
  db->store = lk_store_open (db->path, db->clock, &error);
  g_assert_no_error (error);

  /* The indexes hold the leads written while they were gone. */
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db),
                                    "SELECT count(*) FROM leads INDEXED BY leads_report WHERE deleted = 0 AND id > ''", NULL),
                   ==, 3);
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db),
                                    "SELECT count(*) FROM leads INDEXED BY leads_phone_key WHERE phone_key = ?",
                                    "+49891234567", NULL), ==, 1);
  problems = lk_store_check (db->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
}

static guint search_count (LkStore    *store,
                           const char *text);

/* A window's open leaves what a stopped bulk write left (search rows, a
 * bulk load's indexes) to a worker thread: it returns with the work
 * still marked, which the background catch-up then does. */
static void
test_open_catch_up_later (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(LkContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gint64 deadline;

  g_clear_object (&db->store);
  before = schema_text (db->path);
  db->store = lk_store_open (db->path, db->clock, &error);
  g_assert_no_error (error);
  g_assert_true (lk_store_begin_bulk_load (db->store, FALSE, &error));
  lk_store_set_defer_search (db->store, TRUE);
  lead = lk_test_create_lead (db->store, "company", "Tailspin Toys", NULL);
  g_assert_true (lk_store_get_search_pending (db->store));
  g_clear_object (&db->store);

  /* The flag alone: nothing is done. */
  db->store = lk_store_open_full (db->path, db->clock, LK_STORE_OPEN_CATCH_UP_LATER, &error);
  g_assert_no_error (error);
  g_assert_true (lk_store_get_search_pending (db->store));
  g_assert_true (lk_store_get_bulk_load (db->store));
  g_assert_cmpuint (search_count (db->store, "Tailspin"), ==, 0);
  g_clear_object (&db->store);

  /* A window's context: done on a worker after the open. */
  context = lk_context_new_for_window (db->path, db->clock, &error);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while ((lk_store_get_search_pending (lk_context_get_store (context)) ||
          lk_store_get_bulk_load (lk_context_get_store (context))) &&
         g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_false (lk_store_get_search_pending (lk_context_get_store (context)));
  g_assert_false (lk_store_get_bulk_load (lk_context_get_store (context)));
  g_assert_cmpuint (search_count (lk_context_get_store (context), "Tailspin"), ==, 1);
  g_clear_object (&context);
  after = schema_text (db->path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_schema_too_new (void)
{
  g_autofree char *dir = lk_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "future.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len, after_len;
  g_autoptr(GError) error = NULL;
  LkStore *store;
  sqlite3 *conn = NULL;

  g_assert_cmpint (sqlite3_open (path, &conn), ==, SQLITE_OK);
  lk_test_sql_exec (conn, "CREATE TABLE leads (id TEXT, future_column TEXT);"
                          "INSERT INTO leads VALUES ('lead:1', 'from the future');"
                          "PRAGMA user_version = 99;");
  sqlite3_close (conn);
  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));

  store = lk_store_open (path, NULL, &error);
  g_assert_null (store);
  g_assert_error (error, LK_ERROR, LK_ERROR_SCHEMA_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "99"));

  /* Refused untouched: the same bytes, and not switched to WAL. */
  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  conn = open_peek (path);
  g_assert_cmpint (lk_test_sql_int (conn, "PRAGMA user_version", NULL), ==, 99);
  sqlite3_close (conn);

  lk_test_remove_dir (dir);
}

static void
test_not_a_database (void)
{
  g_autofree char *dir = lk_test_make_dir ();
  g_autoptr(GString) junk = g_string_new (NULL);
  const gsize sizes[] = { 20, 8192 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/notes-%u.txt", dir, i);
      g_autofree char *after = NULL;
      gsize after_len;
      g_autoptr(GError) error = NULL;
      LkStore *store;

      g_string_truncate (junk, 0);
      while (junk->len < sizes[i])
        g_string_append (junk, "Meeting notes, not a database. ");
      g_string_truncate (junk, sizes[i]);
      g_assert_true (g_file_set_contents (path, junk->str, junk->len, NULL));

      store = lk_store_open (path, NULL, &error);
      g_assert_null (store);
      g_assert_error (error, LK_ERROR, LK_ERROR_DATABASE);
      g_assert_nonnull (strstr (error->message, path));
      g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
      g_assert_cmpmem (junk->str, junk->len, after, after_len);
    }

  /* A folder where the file should be. */
  {
    g_autoptr(GError) error = NULL;
    LkStore *store = lk_store_open (dir, NULL, &error);

    g_assert_null (store);
    g_assert_nonnull (error);
  }
  lk_test_remove_dir (dir);
}

/* Writes */

static gint64
lead_int (LkTestDb   *db,
          const char *column,
          const char *id)
{
  /* The name is one of this test's constants, not data. */
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM leads WHERE id = ?", column);

  return lk_test_sql_int (lk_test_db_peek (db), sql, id, NULL);
}

static char *
lead_text (LkTestDb   *db,
           const char *column,
           const char *id)
{
  /* The name is one of this test's constants, not data. */
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM leads WHERE id = ?", column);

  return lk_test_sql_text (lk_test_db_peek (db), sql, id, NULL);
}

static gint64
outbox_seq (LkTestDb   *db,
            const char *doc_id)
{
  return lk_test_sql_int (lk_test_db_peek (db), "SELECT local_seq FROM outbox WHERE doc_id = ?", doc_id, NULL);
}

static char *
outbox_op (LkTestDb   *db,
           const char *doc_id)
{
  return lk_test_sql_text (lk_test_db_peek (db), "SELECT op FROM outbox WHERE doc_id = ?", doc_id, NULL);
}

static char *
search_body (LkTestDb   *db,
             const char *id)
{
  return lk_test_sql_text (lk_test_db_peek (db),
                           "SELECT body FROM leads_search WHERE rowid = (SELECT rowid FROM leads WHERE id = ?)",
                           id, NULL);
}

static char *
tags_of (LkTestDb   *db,
         const char *id)
{
  return lk_test_sql_text (lk_test_db_peek (db),
                           "SELECT group_concat(tag, ',') FROM (SELECT tag FROM lead_tags "
                           "WHERE lead_rowid = (SELECT rowid FROM leads WHERE id = ?) ORDER BY tag)",
                           id, NULL);
}

static gint64
count (LkTestDb   *db,
       const char *table)
{
  /* The name is one of this test's constants, not data. */
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);

  return lk_test_sql_int (lk_test_db_peek (db), sql, NULL);
}

static gint64
data_version (LkTestDb *db)
{
  return lk_test_sql_int (lk_test_db_peek (db), "PRAGMA data_version", NULL);
}

static void
assert_healthy (LkStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = lk_store_check (store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", (char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, 0);
}

static guint
search_count (LkStore    *store,
              const char *text)
{
  g_autoptr(LkLeadQuery) query = lk_lead_query_new ();
  g_autoptr(GArray) rowids = NULL;
  g_autoptr(GError) error = NULL;

  lk_lead_query_set_search (query, text);
  rowids = lk_store_query_rowids (store, query, &error);
  g_assert_no_error (error);
  return rowids->len;
}

static void
test_create_lead (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkTestChanges) changes = lk_test_changes_new (db->store);
  g_autoptr(LkLead) lead = lk_test_lead_new ("company", "  华信科技有限公司 ", "contact", "王伟",
                                             "phone", "138 0013 8000", "tags", "VIP,急需,VIP",
                                             "amount", "1250.50", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *company = NULL, *phone = NULL, *body = NULL, *tags = NULL;
  g_autofree char *change_id = NULL, *from = NULL, *to = NULL, *op = NULL, *op2 = NULL;
  const char *id;

  g_assert_true (lk_store_create_lead (db->store, lead, &error));
  g_assert_no_error (error);

  /* The caller's lead now carries what was saved. */
  id = lk_record_get_id (LK_RECORD (lead));
  g_assert_true (g_str_has_prefix (id, "lead:"));
  g_assert_cmpint (lk_record_get_rowid (LK_RECORD (lead)), >, 0);
  g_assert_cmpint (lk_record_get_int (LK_RECORD (lead), LK_LEAD_CREATED_AT), ==, LK_TEST_NOW_MS);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_CREATED_BY), ==, "user:tester");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_PHONE), ==, "+8613800138000");

  /* The row */
  g_assert_cmpint (lead_int (db, "count(*)", id), ==, 1);
  g_assert_cmpint (lead_int (db, "deleted", id), ==, 0);
  g_assert_cmpint (lead_int (db, "dirty", id), ==, 1);
  g_assert_cmpint (lead_int (db, "local_seq", id), ==, 1);
  g_assert_cmpint (lead_int (db, "amount", id), ==, 125050);
  g_assert_cmpint (lead_int (db, "stage_entered_at", id), ==, LK_TEST_NOW_MS);
  company = lead_text (db, "company", id);
  g_assert_cmpstr (company, ==, "华信科技有限公司");
  phone = lead_text (db, "phone", id);
  g_assert_cmpstr (phone, ==, "+8613800138000");

  /* Its history: one stage change from nothing to New */
  g_assert_cmpint (count (db, "stage_changes"), ==, 1);
  change_id = lk_test_sql_text (lk_test_db_peek (db), "SELECT id FROM stage_changes WHERE lead_id = ?", id, NULL);
  from = lk_test_sql_text (lk_test_db_peek (db), "SELECT from_stage FROM stage_changes WHERE id = ?", change_id, NULL);
  to = lk_test_sql_text (lk_test_db_peek (db), "SELECT to_stage FROM stage_changes WHERE id = ?", change_id, NULL);
  g_assert_true (g_str_has_prefix (change_id, "stagechange:"));
  g_assert_cmpstr (from, ==, "");
  g_assert_cmpstr (to, ==, "new");
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT at FROM stage_changes WHERE id = ?",
                                    change_id, NULL), ==, LK_TEST_NOW_MS);

  /* Both are queued for sync */
  g_assert_cmpint (count (db, "outbox"), ==, 2);
  op = outbox_op (db, id);
  g_assert_cmpstr (op, ==, "put");
  g_assert_cmpint (outbox_seq (db, id), ==, 1);
  op2 = outbox_op (db, change_id);
  g_assert_cmpstr (op2, ==, "put");

  /* Search row and tag rows */
  body = search_body (db, id);
  g_assert_nonnull (body);
  g_assert_nonnull (strstr (body, "华信科技有限公司"));
  g_assert_nonnull (strstr (body, "王伟"));
  tags = tags_of (db, id);
  g_assert_cmpstr (tags, ==, "VIP,急需");
  g_assert_cmpuint (search_count (db->store, "华信"), ==, 1);

  /* One ::changed per kind of document, naming them */
  g_assert_cmpuint (lk_test_changes_count (changes, "lead"), ==, 1);
  g_assert_cmpuint (lk_test_changes_count (changes, "stagechange"), ==, 1);
  g_assert_cmpuint (lk_test_changes_count (changes, NULL), ==, 2);
  g_assert_true (lk_test_changes_named (changes, "lead", id));
  g_assert_true (lk_test_changes_named (changes, "stagechange", change_id));

  assert_healthy (db->store);
}

static void
test_create_invalid (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkTestChanges) changes = lk_test_changes_new (db->store);
  struct
  {
    const char *field;
    const char *value;
    int         code;
  } cases[] = {
    { "notes", "no company and no contact", LK_ERROR_INVALID },
    { "grade", "Z", LK_ERROR_INVALID },
    { "phone", "12345", LK_ERROR_INVALID },
    { "email", "anna@", LK_ERROR_INVALID },
    { "stage", "bogus", LK_ERROR_NOT_FOUND },
    { "stage", "lost", LK_ERROR_GATE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LkLead) lead = lk_test_lead_new (cases[i].field, cases[i].value, NULL);

      if (i > 0)
        lk_record_set_string (LK_RECORD (lead), LK_LEAD_COMPANY, "Acme");
      g_assert_false (lk_store_create_lead (db->store, lead, &error));
      g_assert_error (error, LK_ERROR, cases[i].code);
    }
  g_assert_cmpint (count (db, "leads"), ==, 0);
  g_assert_cmpint (count (db, "stage_changes"), ==, 0);
  g_assert_cmpint (count (db, "outbox"), ==, 0);
  g_assert_cmpuint (lk_test_changes_count (changes, NULL), ==, 0);
}

static void
test_update_lead (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) created = lk_test_create_lead (db->store, "company", "华信科技有限公司", "tags", "VIP", NULL);
  const char *id = lk_record_get_id (LK_RECORD (created));
  g_autoptr(LkTestChanges) changes = lk_test_changes_new (db->store);
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL, *tags = NULL, *to = NULL, *owner = NULL;

  /* An edit: dirty, local_seq + 1, the queue follows, the index follows. */
  lead = lk_store_get_lead (db->store, id, &error);
  g_assert_no_error (error);
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_COMPANY, "瑞丰科技有限公司");
  lk_record_set_tags (LK_RECORD (lead), LK_LEAD_TAGS, (const char *[]) { "急需", NULL });
  lk_clock_advance_ms (db->clock, LK_TEST_HOUR_MS);
  g_assert_true (lk_store_update_lead (db->store, lead, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (lead_int (db, "local_seq", id), ==, 2);
  g_assert_cmpint (lead_int (db, "dirty", id), ==, 1);
  g_assert_cmpint (lead_int (db, "updated_at", id), ==, LK_TEST_NOW_MS + LK_TEST_HOUR_MS);
  g_assert_cmpint (outbox_seq (db, id), ==, 2);
  g_assert_cmpint (count (db, "stage_changes"), ==, 1);
  body = search_body (db, id);
  g_assert_nonnull (strstr (body, "瑞丰科技"));
  g_assert_null (strstr (body, "华信"));
  tags = tags_of (db, id);
  g_assert_cmpstr (tags, ==, "急需");
  g_assert_cmpuint (search_count (db->store, "华信"), ==, 0);
  g_assert_cmpuint (search_count (db->store, "瑞丰"), ==, 1);
  g_assert_cmpuint (lk_test_changes_count (changes, "lead"), ==, 1);
  g_assert_cmpuint (lk_test_changes_count (changes, "stagechange"), ==, 0);
  g_assert_true (lk_test_changes_named (changes, "lead", id));

  /* An edit that moves the stage and gives an owner */
  lk_clock_advance_ms (db->clock, LK_TEST_HOUR_MS);
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_STAGE, "contacted");
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_OWNER, "user:anna");
  g_assert_true (lk_store_update_lead (db->store, lead, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lead_int (db, "local_seq", id), ==, 3);
  g_assert_cmpint (outbox_seq (db, id), ==, 3);
  g_assert_cmpint (lead_int (db, "stage_entered_at", id), ==, LK_TEST_NOW_MS + 2 * LK_TEST_HOUR_MS);
  g_assert_cmpint (lead_int (db, "assigned_at", id), ==, LK_TEST_NOW_MS + 2 * LK_TEST_HOUR_MS);
  owner = lead_text (db, "owner", id);
  g_assert_cmpstr (owner, ==, "user:anna");
  g_assert_cmpint (count (db, "stage_changes"), ==, 2);
  to = lk_test_sql_text (lk_test_db_peek (db), "SELECT to_stage FROM stage_changes WHERE lead_id = ? "
                                               "AND from_stage = 'new'", id, NULL);
  g_assert_cmpstr (to, ==, "contacted");
  /* The lead, its two stage changes, and the assignment logged on it */
  g_assert_cmpint (count (db, "outbox"), ==, 4);
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT count(*) FROM activities WHERE lead_id = ? "
                                                         "AND kind = 'assignment' AND owner_to = 'user:anna' "
                                                         "AND reason = 'manual'", id, NULL), ==, 1);
  g_assert_cmpuint (lk_test_changes_count (changes, "stagechange"), ==, 1);
  assert_healthy (db->store);
}

static void
test_update_nothing_changed (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) created = lk_test_create_lead (db->store, "company", "Acme", "owner", "user:anna",
                                                   "tags", "VIP", NULL);
  const char *id = lk_record_get_id (LK_RECORD (created));
  g_autoptr(LkTestChanges) changes = NULL;
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(GError) error = NULL;
  gint64 version;

  /* As after a sync: nothing is dirty, nothing queued. */
  lk_test_sql_exec (lk_test_db_peek (db), "UPDATE leads SET dirty = 0; DELETE FROM outbox;");
  lk_clock_advance_ms (db->clock, LK_TEST_HOUR_MS);
  changes = lk_test_changes_new (db->store);
  version = data_version (db);

  lead = lk_store_get_lead (db->store, id, &error);
  g_assert_no_error (error);
  /* Saving an untouched lead, and one whose tags were set to the same */
  g_assert_true (lk_store_update_lead (db->store, lead, NULL, &error));
  g_assert_no_error (error);
  lk_record_set_tags (LK_RECORD (lead), LK_LEAD_TAGS, (const char *[]) { " VIP ", NULL });
  g_assert_true (lk_store_update_lead (db->store, lead, "", &error));
  g_assert_no_error (error);

  g_assert_cmpint (data_version (db), ==, version);
  g_assert_cmpint (lead_int (db, "dirty", id), ==, 0);
  g_assert_cmpint (lead_int (db, "local_seq", id), ==, 1);
  g_assert_cmpint (lead_int (db, "updated_at", id), ==, LK_TEST_NOW_MS);
  g_assert_cmpint (count (db, "outbox"), ==, 0);
  g_assert_cmpint (count (db, "stage_changes"), ==, 1);
  g_assert_cmpuint (lk_test_changes_count (changes, NULL), ==, 0);

  /* (A real edit does show in data_version: the check above can fail.) */
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_NOTES, "a real edit");
  g_assert_true (lk_store_update_lead (db->store, lead, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (data_version (db), !=, version);
  g_assert_cmpint (lead_int (db, "dirty", id), ==, 1);
}

static void
test_move_lead (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) created = lk_test_create_lead (db->store, "company", "Acme", NULL);
  const char *id = lk_record_get_id (LK_RECORD (created));
  g_autoptr(LkTestChanges) changes = lk_test_changes_new (db->store);
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stage = NULL;
  LkRecord *last;

  lk_clock_advance_ms (db->clock, LK_TEST_DAY_MS);
  g_assert_true (lk_store_move_lead (db->store, id, "contacted", "called back", &error));
  g_assert_no_error (error);

  stage = lead_text (db, "stage", id);
  g_assert_cmpstr (stage, ==, "contacted");
  g_assert_cmpint (lead_int (db, "stage_entered_at", id), ==, LK_TEST_NOW_MS + LK_TEST_DAY_MS);
  g_assert_cmpint (lead_int (db, "updated_at", id), ==, LK_TEST_NOW_MS + LK_TEST_DAY_MS);
  g_assert_cmpint (lead_int (db, "local_seq", id), ==, 2);
  g_assert_cmpint (outbox_seq (db, id), ==, 2);

  history = lk_store_list_stage_changes (db->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 2);
  last = g_ptr_array_index (history, 1);
  g_assert_cmpstr (lk_record_get_string (last, LK_STAGE_CHANGE_FROM), ==, "new");
  g_assert_cmpstr (lk_record_get_string (last, LK_STAGE_CHANGE_TO), ==, "contacted");
  g_assert_cmpstr (lk_record_get_string (last, LK_STAGE_CHANGE_REASON), ==, "called back");
  g_assert_cmpstr (lk_record_get_string (last, LK_STAGE_CHANGE_BY), ==, "user:tester");
  g_assert_cmpint (lk_record_get_int (last, LK_STAGE_CHANGE_AT), ==, LK_TEST_NOW_MS + LK_TEST_DAY_MS);
  g_assert_false (lk_record_get_bool (last, LK_STAGE_CHANGE_REOPEN));
  g_assert_cmpint (outbox_seq (db, lk_record_get_id (last)), ==, 1);
  g_assert_true (lk_test_changes_named (changes, "lead", id));
  g_assert_true (lk_test_changes_named (changes, "stagechange", lk_record_get_id (last)));

  /* A move that says when the lead entered its stage keeps that time
   * (what Undo does); the stage change is still recorded now. */
  {
    g_autoptr(LkLead) back = lk_store_get_lead (db->store, id, &error);

    lk_clock_advance_ms (db->clock, LK_TEST_DAY_MS);
    lk_record_set_string (LK_RECORD (back), LK_LEAD_STAGE, "new");
    lk_record_set_int (LK_RECORD (back), LK_LEAD_STAGE_ENTERED_AT, LK_TEST_NOW_MS);
    g_assert_true (lk_store_update_lead (db->store, back, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (lead_int (db, "stage_entered_at", id), ==, LK_TEST_NOW_MS);
    g_assert_cmpint (count (db, "stage_changes"), ==, 3);
    g_assert_true (lk_store_move_lead (db->store, id, "contacted", NULL, &error));
    g_assert_cmpint (lead_int (db, "stage_entered_at", id), ==, LK_TEST_NOW_MS + 2 * LK_TEST_DAY_MS);
  }

  /* Moving to the stage it is in records nothing. */
  g_assert_true (lk_store_move_lead (db->store, id, "contacted", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (db, "stage_changes"), ==, 4);
  g_assert_cmpint (lead_int (db, "local_seq", id), ==, 4);

  /* A lead that does not exist */
  g_assert_false (lk_store_move_lead (db->store, "lead:nope", "contacted", NULL, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_NOT_FOUND);
}

static void
test_delete_restore (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) created = lk_test_create_lead (db->store, "company", "华信科技有限公司",
                                                   "tags", "VIP,急需", NULL);
  const char *id = lk_record_get_id (LK_RECORD (created));
  g_autoptr(LkTestChanges) changes = lk_test_changes_new (db->store);
  g_autoptr(LkLeadQuery) all = lk_lead_query_new ();
  g_autoptr(GArray) rowids = NULL;
  g_autoptr(LkLead) tombstone = NULL;
  g_autoptr(LkLead) restored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *op = NULL, *op2 = NULL, *tags = NULL, *body = NULL;

  lk_clock_advance_ms (db->clock, LK_TEST_HOUR_MS);
  g_assert_true (lk_store_delete_lead (db->store, id, &error));
  g_assert_no_error (error);

  /* A soft delete: the row stays, marked, and sync sends a delete. */
  g_assert_cmpint (lead_int (db, "count(*)", id), ==, 1);
  g_assert_cmpint (lead_int (db, "deleted", id), ==, 1);
  g_assert_cmpint (lead_int (db, "local_seq", id), ==, 2);
  op = outbox_op (db, id);
  g_assert_cmpstr (op, ==, "delete");
  g_assert_cmpint (outbox_seq (db, id), ==, 2);
  g_assert_cmpint (count (db, "lead_tags"), ==, 0);
  g_assert_cmpint (count (db, "leads_search"), ==, 0);
  g_assert_true (lk_test_changes_named (changes, "lead", id));

  /* Gone from every list and search */
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, 0);
  rowids = lk_store_query_rowids (db->store, all, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rowids->len, ==, 0);
  g_assert_cmpuint (search_count (db->store, "华信"), ==, 0);
  g_assert_cmpuint (search_count (db->store, "华信科技"), ==, 0);
  g_assert_cmpuint (search_count (db->store, "华"), ==, 0);

  /* … but readable as a tombstone, and not editable */
  tombstone = lk_store_get_lead (db->store, id, &error);
  g_assert_no_error (error);
  g_assert_true (lk_record_get_deleted (LK_RECORD (tombstone)));
  lk_record_set_string (LK_RECORD (tombstone), LK_LEAD_NOTES, "edit after delete");
  g_assert_false (lk_store_update_lead (db->store, tombstone, NULL, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (lk_store_move_lead (db->store, id, "contacted", NULL, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_NOT_FOUND);
  g_clear_error (&error);
  assert_healthy (db->store);

  /* Deleting twice changes nothing */
  g_ptr_array_set_size (changes->changes, 0);
  g_assert_true (lk_store_delete_lead (db->store, id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lead_int (db, "local_seq", id), ==, 2);
  g_assert_cmpuint (lk_test_changes_count (changes, NULL), ==, 0);

  /* Undo */
  g_assert_true (lk_store_restore_lead (db->store, id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lead_int (db, "deleted", id), ==, 0);
  g_assert_cmpint (lead_int (db, "local_seq", id), ==, 3);
  op2 = outbox_op (db, id);
  g_assert_cmpstr (op2, ==, "put");
  tags = tags_of (db, id);
  g_assert_cmpstr (tags, ==, "VIP,急需");
  body = search_body (db, id);
  g_assert_nonnull (body);
  g_assert_cmpuint (search_count (db->store, "华信"), ==, 1);
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, 1);
  restored = lk_store_get_lead (db->store, id, &error);
  g_assert_no_error (error);
  g_assert_false (lk_record_get_deleted (LK_RECORD (restored)));
  g_assert_true (lk_test_changes_named (changes, "lead", id));
  assert_healthy (db->store);

  g_assert_false (lk_store_delete_lead (db->store, "lead:nope", &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_NOT_FOUND);
}

static void
test_add_activity (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) lead = lk_test_create_lead (db->store, "company", "Acme", NULL);
  const char *lead_id = lk_record_get_id (LK_RECORD (lead));
  g_autoptr(LkTestChanges) changes = lk_test_changes_new (db->store);
  g_autoptr(LkActivity) activity = lk_activity_new (lead_id, "followup");
  g_autoptr(LkActivity) nameless = lk_activity_new (lead_id, NULL);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *by = NULL, *summary = NULL;
  const char *id;
  LkRecord *read;

  lk_record_set_string (LK_RECORD (activity), LK_ACTIVITY_SUMMARY, "电话沟通需求");
  lk_record_set_string (LK_RECORD (activity), LK_ACTIVITY_METHOD, "phone");
  g_assert_true (lk_store_add_activity (db->store, activity, &error));
  g_assert_no_error (error);
  id = lk_record_get_id (LK_RECORD (activity));
  g_assert_true (g_str_has_prefix (id, "activity:"));

  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT at FROM activities WHERE id = ?", id, NULL),
                   ==, LK_TEST_NOW_MS);
  by = lk_test_sql_text (lk_test_db_peek (db), "SELECT by_user FROM activities WHERE id = ?", id, NULL);
  g_assert_cmpstr (by, ==, "user:tester");
  summary = lk_test_sql_text (lk_test_db_peek (db), "SELECT summary FROM activities WHERE lead_id = ?", lead_id, NULL);
  g_assert_cmpstr (summary, ==, "电话沟通需求");
  g_assert_cmpint (outbox_seq (db, id), ==, 1);
  g_assert_true (lk_test_changes_named (changes, "activity", id));
  g_assert_cmpuint (lk_test_changes_count (changes, "lead"), ==, 0);

  list = lk_store_list_activities (db->store, lead_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  read = g_ptr_array_index (list, 0);
  g_assert_true (lk_record_equal (read, LK_RECORD (activity)));

  /* An activity needs a kind: refused, nothing written */
  g_assert_false (lk_store_add_activity (db->store, nameless, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_assert_cmpint (count (db, "activities"), ==, 1);
  g_assert_cmpint (count (db, "outbox"), ==, 3);
}

static void
test_save_user (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkTestChanges) changes = lk_test_changes_new (db->store);
  g_autoptr(LkUser) user = lk_user_new ("lilei", "李雷", "manager");
  g_autoptr(LkUser) nameless = lk_user_new ("", "Nobody", NULL);
  g_autoptr(LkUser) read = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;

  lk_record_set_tags (LK_RECORD (user), LK_USER_REGIONS, (const char *[]) { "华东", NULL });
  g_assert_true (lk_store_save_user (db->store, user, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT count(*) FROM users WHERE id = 'user:lilei'",
                                    NULL), ==, 1);
  g_assert_cmpint (outbox_seq (db, "user:lilei"), ==, 1);
  g_assert_true (lk_test_changes_named (changes, "user", "user:lilei"));

  /* The same again: nothing to send */
  g_ptr_array_set_size (changes->changes, 0);
  g_assert_true (lk_store_save_user (db->store, user, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outbox_seq (db, "user:lilei"), ==, 1);
  g_assert_cmpuint (lk_test_changes_count (changes, NULL), ==, 0);

  lk_record_set_int (LK_RECORD (user), LK_USER_CAPACITY, 300);
  g_assert_true (lk_store_save_user (db->store, user, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outbox_seq (db, "user:lilei"), ==, 2);
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT local_seq FROM users WHERE id = 'user:lilei'",
                                    NULL), ==, 2);

  read = lk_store_get_user (db->store, "user:lilei", &error);
  g_assert_no_error (error);
  g_assert_true (lk_record_equal (LK_RECORD (read), LK_RECORD (user)));
  g_assert_cmpstr (lk_user_get_display_name (read), ==, "李雷");
  users = lk_store_list_users (db->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 1);

  g_assert_false (lk_store_save_user (db->store, nameless, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_assert_cmpint (count (db, "users"), ==, 1);
}

static void
test_set_setting (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkTestChanges) changes = lk_test_changes_new (db->store);
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *missing = NULL;

  g_assert_true (lk_store_set_setting (db->store, "scoring", "{\"weights\":[1,2]}", &error));
  g_assert_no_error (error);
  g_assert_cmpint (outbox_seq (db, "settings:scoring"), ==, 1);
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT dirty FROM settings WHERE name = 'scoring'",
                                    NULL), ==, 1);
  g_assert_true (lk_test_changes_named (changes, "settings", "settings:scoring"));

  lk_clock_advance_ms (db->clock, 1000);
  g_assert_true (lk_store_set_setting (db->store, "scoring", "{\"weights\":[3]}", &error));
  g_assert_no_error (error);
  g_assert_cmpint (outbox_seq (db, "settings:scoring"), ==, 2);
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT updated_at FROM settings WHERE name = 'scoring'",
                                    NULL), ==, LK_TEST_NOW_MS + 1000);
  json = lk_store_get_setting (db->store, "scoring", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json, ==, "{\"weights\":[3]}");
  missing = lk_store_get_setting (db->store, "cadence", &error);
  g_assert_no_error (error);
  g_assert_null (missing);
  assert_healthy (db->store);
}

static void
test_put_records (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkTestChanges) changes = lk_test_changes_new (db->store);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 created = LK_TEST_NOW_MS - 10 * LK_TEST_DAY_MS;
  LkLead *lead = lk_test_lead_new ("id", "lead:imported-1", "company", "恒达物流有限公司",
                                   "phone", "021-50801234", "stage", "contacted",
                                   "owner", "user:lilei", "tags", "急需", NULL);
  LkStageChange *c1 = lk_stage_change_new ("lead:imported-1", NULL, "new");
  LkStageChange *c2 = lk_stage_change_new ("lead:imported-1", "new", "contacted");
  LkActivity *activity = lk_activity_new ("lead:imported-1", "followup");
  LkUser *user = lk_user_new ("lilei", "李雷", "manager");
  g_autoptr(LkLead) read = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *phone = NULL, *body = NULL;

  lk_record_set_int (LK_RECORD (lead), LK_LEAD_CREATED_AT, created);
  lk_record_set_int (LK_RECORD (lead), LK_LEAD_UPDATED_AT, created + LK_TEST_DAY_MS);
  lk_record_set_int (LK_RECORD (lead), LK_LEAD_STAGE_ENTERED_AT, created + LK_TEST_DAY_MS);
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_UPDATED_BY, "user:lilei");
  lk_record_set_int (LK_RECORD (c1), LK_STAGE_CHANGE_AT, created);
  lk_record_set_int (LK_RECORD (c2), LK_STAGE_CHANGE_AT, created + LK_TEST_DAY_MS);
  lk_record_set_int (LK_RECORD (activity), LK_ACTIVITY_AT, created + LK_TEST_DAY_MS);
  g_ptr_array_add (records, lead);
  g_ptr_array_add (records, c1);
  g_ptr_array_add (records, c2);
  g_ptr_array_add (records, activity);
  g_ptr_array_add (records, user);

  g_assert_true (lk_store_put_records (db->store, records, &error));
  g_assert_no_error (error);

  /* As they were given: their own times and authors */
  g_assert_cmpint (lead_int (db, "created_at", "lead:imported-1"), ==, created);
  g_assert_cmpint (lead_int (db, "updated_at", "lead:imported-1"), ==, created + LK_TEST_DAY_MS);
  g_assert_cmpint (lead_int (db, "assigned_at", "lead:imported-1"), ==, LK_TEST_NOW_MS);
  g_assert_cmpint (lead_int (db, "dirty", "lead:imported-1"), ==, 1);
  phone = lead_text (db, "phone", "lead:imported-1");
  g_assert_cmpstr (phone, ==, "+862150801234");
  g_assert_cmpint (count (db, "stage_changes"), ==, 2);
  g_assert_cmpint (count (db, "activities"), ==, 1);
  g_assert_cmpint (count (db, "users"), ==, 1);
  /* Every record queued, the lead indexed */
  g_assert_cmpint (count (db, "outbox"), ==, 5);
  for (guint i = 0; i < records->len; i++)
    g_assert_cmpint (outbox_seq (db, lk_record_get_id (g_ptr_array_index (records, i))), ==, 1);
  body = search_body (db, "lead:imported-1");
  g_assert_nonnull (strstr (body, "恒达物流"));
  g_assert_cmpint (count (db, "lead_tags"), ==, 1);
  g_assert_cmpuint (search_count (db->store, "恒达"), ==, 1);
  g_assert_true (lk_test_changes_named (changes, "lead", "lead:imported-1"));
  g_assert_true (lk_test_changes_named (changes, "stagechange", lk_record_get_id (LK_RECORD (c2))));
  g_assert_true (lk_test_changes_named (changes, "activity", lk_record_get_id (LK_RECORD (activity))));
  g_assert_true (lk_test_changes_named (changes, "user", "user:lilei"));
  g_assert_cmpuint (lk_test_changes_count (changes, "lead"), ==, 1);
  assert_healthy (db->store);

  /* Put again with a change: the same row, re-indexed */
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_COMPANY, "瑞丰物流有限公司");
  g_ptr_array_set_size (records, 1);
  g_assert_true (lk_store_put_records (db->store, records, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (db, "leads"), ==, 1);
  g_assert_cmpint (lead_int (db, "local_seq", "lead:imported-1"), ==, 2);
  g_assert_cmpint (outbox_seq (db, "lead:imported-1"), ==, 2);
  g_assert_cmpuint (search_count (db->store, "恒达"), ==, 0);
  g_assert_cmpuint (search_count (db->store, "瑞丰"), ==, 1);
  read = lk_store_get_lead (db->store, "lead:imported-1", &error);
  g_assert_no_error (error);
  g_assert_true (lk_record_equal (LK_RECORD (read), LK_RECORD (lead)));
  assert_healthy (db->store);
}

/* Rollback */

static void
assert_empty (LkTestDb *db)
{
  static const char * const tables[] = {
    "leads", "stage_changes", "activities", "users", "outbox", "lead_tags", "leads_search", NULL
  };

  for (guint i = 0; tables[i]; i++)
    {
      g_test_message ("table %s", tables[i]);
      g_assert_cmpint (count (db, tables[i]), ==, 0);
    }
}

static void
test_rollback_create (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkTestChanges) changes = lk_test_changes_new (db->store);
  g_autoptr(LkLead) lead = lk_test_lead_new ("company", "华信科技有限公司", "tags", "VIP", NULL);
  g_autoptr(LkLead) later = NULL;
  g_autoptr(GError) error = NULL;

  /* The outbox refuses the stage change: the lead, its tags and its
   * search row were written before it in the same transaction. */
  lk_test_sql_exec (lk_test_db_peek (db),
                    "CREATE TRIGGER boom BEFORE INSERT ON outbox WHEN NEW.doc_id LIKE 'stagechange:%' "
                    "BEGIN SELECT RAISE(ABORT, 'boom'); END");
  g_assert_false (lk_store_create_lead (db->store, lead, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_DATABASE);
  g_assert_nonnull (strstr (error->message, "boom"));
  g_clear_error (&error);
  assert_empty (db);
  g_assert_cmpuint (lk_test_changes_count (changes, NULL), ==, 0);
  g_assert_cmpuint (search_count (db->store, "华信"), ==, 0);

  /* The store is usable afterwards, and no stale search row appears:
   * not at the next commit (one that writes no lead) … */
  lk_test_sql_exec (lk_test_db_peek (db), "DROP TRIGGER boom");
  g_assert_true (lk_store_set_setting (db->store, "scoring", "{}", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (db, "leads_search"), ==, 0);
  /* … nor later */
  later = lk_test_create_lead (db->store, "company", "Acme", NULL);
  g_assert_cmpint (count (db, "leads"), ==, 1);
  g_assert_cmpint (count (db, "leads_search"), ==, 1);
  g_assert_cmpuint (search_count (db->store, "华信"), ==, 0);
  g_assert_cmpuint (lk_test_changes_count (changes, "lead"), ==, 1);
  assert_healthy (db->store);
}

static void
test_rollback_update (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) created = lk_test_create_lead (db->store, "company", "华信科技有限公司", "tags", "VIP", NULL);
  const char *id = lk_record_get_id (LK_RECORD (created));
  g_autoptr(LkTestChanges) changes = lk_test_changes_new (db->store);
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stage = NULL, *company = NULL, *tags = NULL, *body = NULL;

  lk_test_sql_exec (lk_test_db_peek (db),
                    "CREATE TRIGGER boom BEFORE INSERT ON stage_changes BEGIN SELECT RAISE(ABORT, 'boom'); END");
  lead = lk_store_get_lead (db->store, id, &error);
  g_assert_no_error (error);
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_COMPANY, "瑞丰科技有限公司");
  lk_record_set_tags (LK_RECORD (lead), LK_LEAD_TAGS, (const char *[]) { "急需", NULL });
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_STAGE, "contacted");
  lk_clock_advance_ms (db->clock, LK_TEST_HOUR_MS);
  g_assert_false (lk_store_update_lead (db->store, lead, NULL, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_DATABASE);
  g_clear_error (&error);

  stage = lead_text (db, "stage", id);
  g_assert_cmpstr (stage, ==, "new");
  company = lead_text (db, "company", id);
  g_assert_cmpstr (company, ==, "华信科技有限公司");
  g_assert_cmpint (lead_int (db, "local_seq", id), ==, 1);
  g_assert_cmpint (lead_int (db, "updated_at", id), ==, LK_TEST_NOW_MS);
  g_assert_cmpint (outbox_seq (db, id), ==, 1);
  g_assert_cmpint (count (db, "stage_changes"), ==, 1);
  g_assert_cmpint (count (db, "outbox"), ==, 2);
  tags = tags_of (db, id);
  g_assert_cmpstr (tags, ==, "VIP");
  body = search_body (db, id);
  g_assert_nonnull (strstr (body, "华信"));
  g_assert_cmpuint (search_count (db->store, "瑞丰"), ==, 0);
  g_assert_cmpuint (search_count (db->store, "华信"), ==, 1);

  /* The same through lk_store_move_lead() */
  g_assert_false (lk_store_move_lead (db->store, id, "qualified", NULL, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_DATABASE);
  g_clear_error (&error);
  g_free (stage);
  stage = lead_text (db, "stage", id);
  g_assert_cmpstr (stage, ==, "new");
  g_assert_cmpint (outbox_seq (db, id), ==, 1);
  g_assert_cmpuint (lk_test_changes_count (changes, NULL), ==, 0);
  assert_healthy (db->store);
}

static void
test_rollback_delete (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) created = lk_test_create_lead (db->store, "company", "华信科技有限公司", "tags", "VIP", NULL);
  const char *id = lk_record_get_id (LK_RECORD (created));
  g_autoptr(LkTestChanges) changes = lk_test_changes_new (db->store);
  g_autoptr(GError) error = NULL;
  g_autofree char *op = NULL;

  lk_test_sql_exec (lk_test_db_peek (db),
                    "CREATE TRIGGER boom BEFORE UPDATE ON outbox BEGIN SELECT RAISE(ABORT, 'boom'); END");
  g_assert_false (lk_store_delete_lead (db->store, id, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_DATABASE);
  g_assert_cmpint (lead_int (db, "deleted", id), ==, 0);
  g_assert_cmpint (lead_int (db, "local_seq", id), ==, 1);
  op = outbox_op (db, id);
  g_assert_cmpstr (op, ==, "put");
  g_assert_cmpint (count (db, "lead_tags"), ==, 1);
  g_assert_cmpint (count (db, "leads_search"), ==, 1);
  g_assert_cmpuint (search_count (db->store, "华信"), ==, 1);
  g_assert_cmpuint (lk_test_changes_count (changes, NULL), ==, 0);
  assert_healthy (db->store);
}

static void
test_rollback_put_records (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkTestChanges) changes = lk_test_changes_new (db->store);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (records, lk_test_lead_new ("company", "华信科技有限公司", "tags", "VIP", NULL));
  g_ptr_array_add (records, lk_activity_new ("lead:whatever", "note"));
  g_ptr_array_add (records, lk_user_new ("lilei", "李雷", NULL));
  g_ptr_array_add (records, lk_test_lead_new ("company", "Bad Grade Ltd.", "grade", "Z", NULL));
  g_ptr_array_add (records, lk_test_lead_new ("company", "恒达物流", NULL));

  g_assert_false (lk_store_put_records (db->store, records, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  /* The message says which record */
  g_assert_nonnull (strstr (error->message, "Bad Grade Ltd."));
  g_clear_error (&error);
  assert_empty (db);
  g_assert_cmpuint (lk_test_changes_count (changes, NULL), ==, 0);
  g_assert_cmpuint (search_count (db->store, "华信"), ==, 0);
  g_assert_true (lk_store_set_setting (db->store, "scoring", "{}", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (db, "leads_search"), ==, 0);

  /* Without the bad one everything goes in, with no leftovers of the
   * failed attempt (the search rows waiting for the commit). */
  g_ptr_array_remove_index (records, 3);
  g_assert_true (lk_store_put_records (db->store, records, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (db, "leads"), ==, 2);
  g_assert_cmpint (count (db, "leads_search"), ==, 2);
  g_assert_cmpint (count (db, "outbox"), ==, 5);
  assert_healthy (db->store);
}

static void
test_nested_transactions (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkTestChanges) changes = lk_test_changes_new (db->store);
  g_autoptr(LkLead) a = NULL;
  g_autoptr(LkLead) b = NULL;
  g_autoptr(GError) error = NULL;
  LkTestChange *change;

  g_assert_true (lk_store_begin (db->store, &error));
  a = lk_test_create_lead (db->store, "company", "Alpha", NULL);
  b = lk_test_create_lead (db->store, "company", "Bravo", NULL);
  g_assert_true (lk_store_begin (db->store, &error));
  g_assert_true (lk_store_move_lead (db->store, lk_record_get_id (LK_RECORD (a)), "contacted", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (lk_store_commit (db->store, &error));
  g_assert_no_error (error);

  /* Nothing is announced, nor visible to others, before the outermost commit */
  g_assert_cmpuint (lk_test_changes_count (changes, NULL), ==, 0);
  g_assert_cmpint (count (db, "leads"), ==, 0);

  g_assert_true (lk_store_commit (db->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (db, "leads"), ==, 2);
  g_assert_cmpint (count (db, "leads_search"), ==, 2);
  g_assert_cmpuint (lk_test_changes_count (changes, "lead"), ==, 1);
  g_assert_cmpuint (lk_test_changes_count (changes, "stagechange"), ==, 1);
  g_assert_cmpuint (lk_test_changes_count (changes, NULL), ==, 2);
  for (guint i = 0; i < changes->changes->len; i++)
    {
      change = g_ptr_array_index (changes->changes, i);
      if (g_str_equal (change->doc_type, "lead"))
        {
          g_assert_cmpuint (g_strv_length (change->ids), ==, 2);
          g_assert_true (g_strv_contains ((const char * const *) change->ids, lk_record_get_id (LK_RECORD (a))));
          g_assert_true (g_strv_contains ((const char * const *) change->ids, lk_record_get_id (LK_RECORD (b))));
        }
      else
        g_assert_cmpuint (g_strv_length (change->ids), ==, 3);
    }
  assert_healthy (db->store);
}

static void
test_nested_failure (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkTestChanges) changes = lk_test_changes_new (db->store);
  g_autoptr(LkLead) a = NULL;
  g_autoptr(LkLead) boom = lk_test_lead_new ("id", "lead:boom", "company", "Boom", NULL);
  g_autoptr(LkLead) c = NULL;
  g_autoptr(GError) error = NULL;

  lk_test_sql_exec (lk_test_db_peek (db),
                    "CREATE TRIGGER boom BEFORE INSERT ON outbox WHEN NEW.doc_id = 'lead:boom' "
                    "BEGIN SELECT RAISE(ABORT, 'boom'); END");

  /* A failure inside undoes the whole outer transaction. */
  g_assert_true (lk_store_begin (db->store, &error));
  a = lk_test_create_lead (db->store, "company", "Alpha", NULL);
  g_assert_false (lk_store_create_lead (db->store, boom, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_DATABASE);
  g_clear_error (&error);
  assert_empty (db);
  g_assert_cmpuint (lk_test_changes_count (changes, NULL), ==, 0);

  /* An explicit rollback drops the pending search rows and ids too. */
  g_assert_true (lk_store_begin (db->store, &error));
  g_clear_object (&a);
  a = lk_test_create_lead (db->store, "company", "华信科技", NULL);
  lk_store_rollback (db->store);
  assert_empty (db);
  g_assert_true (lk_store_set_setting (db->store, "scoring", "{}", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (db, "leads"), ==, 0);
  g_assert_cmpint (count (db, "leads_search"), ==, 0);
  g_assert_cmpint (count (db, "stage_changes"), ==, 0);
  g_assert_cmpuint (lk_test_changes_count (changes, "lead"), ==, 0);

  c = lk_test_create_lead (db->store, "company", "Charlie", NULL);
  g_assert_cmpint (count (db, "leads"), ==, 1);
  g_assert_cmpint (count (db, "leads_search"), ==, 1);
  g_assert_cmpuint (search_count (db->store, "华信"), ==, 0);
  g_assert_cmpuint (lk_test_changes_count (changes, "lead"), ==, 1);
  g_assert_false (lk_test_changes_named (changes, "lead", lk_record_get_id (LK_RECORD (a))));
  g_assert_true (lk_test_changes_named (changes, "lead", lk_record_get_id (LK_RECORD (c))));
  assert_healthy (db->store);
}

/* A worker's connection writes; the main store sees it and is told. */
static void
test_worker_connection (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkTestChanges) changes = lk_test_changes_new (db->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) worker = lk_store_open_worker (db->store, &error);
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(LkLead) seen = NULL;
  const char *ids[2] = { NULL, NULL };

  g_assert_no_error (error);
  g_assert_cmpstr (lk_store_get_user_id (worker), ==, "user:tester");
  g_assert_true (lk_store_get_pipeline (worker) == lk_store_get_pipeline (db->store));
  lead = lk_test_create_lead (worker, "company", "Worker Ltd.", NULL);
  g_assert_cmpuint (lk_test_changes_count (changes, NULL), ==, 0);
  seen = lk_store_get_lead (db->store, lk_record_get_id (LK_RECORD (lead)), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (seen), LK_LEAD_CREATED_BY), ==, "user:tester");

  ids[0] = lk_record_get_id (LK_RECORD (lead));
  lk_store_emit_changed (db->store, "lead", ids);
  g_assert_true (lk_test_changes_named (changes, "lead", ids[0]));
}

static void
test_local_values (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) lead = NULL;
  g_autofree char *value = NULL;

  g_assert_null (lk_store_get_local (db->store, "phone-region"));
  g_assert_true (lk_store_set_local (db->store, "phone-region", "TW", &error));
  g_assert_no_error (error);
  value = lk_store_get_local (db->store, "phone-region");
  g_assert_cmpstr (value, ==, "TW");
  /* Local values never sync */
  g_assert_cmpint (count (db, "outbox"), ==, 0);

  /* The region applies to numbers written without a country code. */
  lead = lk_test_create_lead (db->store, "contact", "陳雅婷", "phone", "0912 345 678", NULL);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_PHONE), ==, "+886912345678");
}

static void
test_context (void)
{
  g_autofree char *dir = lk_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "leadkeeper.db", NULL);
  g_autoptr(LkClock) clock = lk_test_clock_new (NULL);
  g_autoptr(LkContext) context = NULL;
  g_autoptr(GError) error = NULL;
  LkPipeline *pipeline;

  context = lk_context_new (path, clock, &error);
  g_assert_no_error (error);
  g_assert_true (lk_context_get_clock (context) == clock);
  g_assert_true (lk_store_get_clock (lk_context_get_store (context)) == clock);
  g_assert_true (g_str_has_prefix (lk_context_get_user_id (context), "user:"));
  g_assert_true (lk_context_is_first_start (context));
  g_assert_true (lk_context_mark_started (context, &error));
  g_assert_true (lk_context_set_user_id (context, "user:anna", &error));
  g_assert_no_error (error);
  /* A pipeline of the team's own, as another desktop synced it */
  g_assert_true (lk_store_set_setting (lk_context_get_store (context), "pipeline",
                                       "{\"stages\":[{\"id\":\"lead\"},{\"id\":\"deal\",\"probability\":50},"
                                       "{\"id\":\"signed\",\"kind\":\"won\"},{\"id\":\"gone\",\"kind\":\"lost\"}]}",
                                       &error));
  g_assert_no_error (error);
  g_clear_object (&context);

  context = lk_context_new (path, clock, &error);
  g_assert_no_error (error);
  g_assert_false (lk_context_is_first_start (context));
  g_assert_cmpstr (lk_context_get_user_id (context), ==, "user:anna");
  g_assert_cmpstr (lk_store_get_user_id (lk_context_get_store (context)), ==, "user:anna");
  pipeline = lk_context_get_pipeline (context);
  g_assert_true (lk_store_get_pipeline (lk_context_get_store (context)) == pipeline);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pipeline)), ==, 4);
  g_assert_cmpstr (lk_pipeline_get_won_id (pipeline), ==, "signed");
  g_assert_cmpstr (lk_pipeline_get_lost_id (pipeline), ==, "gone");
  g_clear_object (&context);
  lk_test_remove_dir (dir);
}

static void
test_users_by_id (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkUser) user = lk_user_new ("lilei", "李雷", "manager");
  g_autoptr(GError) error = NULL;
  GHashTable *team = lk_store_get_users_by_id (db->store);

  g_assert_cmpuint (g_hash_table_size (team), ==, 0);
  g_assert_true (lk_store_save_user (db->store, user, &error));
  g_assert_no_error (error);
  /* The same table, brought up to date for whoever borrowed it. */
  g_assert_true (lk_store_get_users_by_id (db->store) == team);
  g_assert_cmpstr (lk_user_get_display_name (g_hash_table_lookup (team, "user:lilei")), ==, "李雷");

  /* Inside a transaction it changes at the commit, not before. */
  g_assert_true (lk_store_begin (db->store, &error));
  lk_record_set_string (LK_RECORD (user), LK_USER_DISPLAY_NAME, "Li Lei");
  g_assert_true (lk_store_save_user (db->store, user, &error));
  g_assert_cmpstr (lk_user_get_display_name (g_hash_table_lookup (team, "user:lilei")), ==, "李雷");
  g_assert_true (lk_store_commit (db->store, &error));
  g_assert_cmpstr (lk_user_get_display_name (g_hash_table_lookup (team, "user:lilei")), ==, "Li Lei");
}

/* Ids: "lead:" and a UUID version 7, its time first */
static void
test_new_ids (void)
{
  g_autoptr(GRegex) uuid = g_regex_new ("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
                                        0, 0, NULL);
  gint64 ms = g_get_real_time () / 1000;
  g_autofree char *prefix = g_strdup_printf ("%08x-%04x", (guint32) ((guint64) ms >> 16), (guint) (ms & 0xffff));

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *text = lk_new_uuid ();
      g_autoptr(LkLead) lead = lk_lead_new ();
      const char *id;

      g_assert_true (g_regex_match (uuid, text, 0, NULL));
      /* Made now: the same first digits as this millisecond's, or a later one's */
      g_assert_cmpint (strncmp (text, prefix, 8), >=, 0);
      lk_record_ensure_id (LK_RECORD (lead));
      id = lk_record_get_id (LK_RECORD (lead));
      g_assert_true (g_str_has_prefix (id, "lead:"));
      g_assert_true (g_regex_match (uuid, id + strlen ("lead:"), 0, NULL));
      g_assert_cmpstr (id + strlen ("lead:"), !=, text);
    }
}

/* The tags column is the JSON json-glib would write, whatever the tags
 * hold, and reads back the same. */
static void
test_tags_json (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  const char *tags[] = { "say \"hi\"", "back\\slash", "tab\there", "换行\n后", "\x01ctl", "中文/斜线", "é", NULL };
  g_autoptr(LkLead) lead = lk_lead_new ();
  g_autoptr(LkLead) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *expected = NULL;
  g_autofree char *stored = NULL;
  const char * const *saved;

  lk_record_set_string (LK_RECORD (lead), LK_LEAD_COMPANY, "标签测试");
  lk_record_set_tags (LK_RECORD (lead), LK_LEAD_TAGS, tags);
  g_assert_true (lk_store_create_lead (db->store, lead, &error));
  g_assert_no_error (error);
  saved = lk_record_get_tags (LK_RECORD (lead), LK_LEAD_TAGS);
  g_assert_cmpuint (g_strv_length ((char **) saved), >, 0);
  for (guint i = 0; saved[i]; i++)
    json_array_add_string_element (array, saved[i]);
  json_node_set_array (node, array);
  expected = json_to_string (node, FALSE);
  stored = lk_test_sql_text (lk_test_db_peek (db), "SELECT tags FROM leads WHERE id = ?",
                             lk_record_get_id (LK_RECORD (lead)), NULL);
  g_assert_cmpstr (stored, ==, expected);
  back = lk_store_get_lead (db->store, lk_record_get_id (LK_RECORD (lead)), &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_equal ((const char * const *) lk_record_get_tags (LK_RECORD (back), LK_LEAD_TAGS), saved));
}

/* The frames of the write-ahead log copied into the database so far:
 * nBackfill of the log's index (the -shm file), read without taking part
 * in checkpoints (walformat.html: the first u32 after the two 48-byte
 * copies of the index header, in the machine's byte order). */
static guint32
wal_backfilled (const char *db_path)
{
  g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;
  guint32 n = 0;

  if (g_file_get_contents (shm, &contents, &length, NULL) && length >= 100)
    memcpy (&n, contents + 96, sizeof n);
  return n;
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : -1;
}

/* The store's commits leave checkpoints to a thread of their own
 * (lk-store-checkpoint.c): past 1,000 pages of log, one copies it into the
 * database while the store waits for nothing; the log is reused from its
 * start instead of growing; and closing the store still removes it. */
static void
test_background_checkpoints (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) lead = lk_test_create_lead (db->store, "company", "Checkpoint GmbH", NULL);
  g_autofree char *wal = g_strconcat (db->path, "-wal", NULL);
  g_autofree char *pad = g_strnfill (2000, 'x');
  g_autoptr(GError) error = NULL;
  gint64 deadline;
  guint i;

  /* Until the log holds more than 1,000 pages */
  for (i = 0; file_size (wal) < 1100 * 4096; i++)
    {
      g_autofree char *notes = g_strdup_printf ("Edit %u %s", i, pad);

      lk_record_set_string (LK_RECORD (lead), LK_LEAD_NOTES, notes);
      g_assert_true (lk_store_update_lead (db->store, lead, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (i, <, 20000);
    }
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (wal_backfilled (db->path) == 0 && g_get_monotonic_time () < deadline)
    g_usleep (10000);
  g_assert_cmpuint (wal_backfilled (db->path), >, 0);

  /* As many edits again: the log starts over after a checkpoint, so it
   * does not grow to twice its size. */
  for (guint j = 0; j < i; j++)
    {
      g_autofree char *notes = g_strdup_printf ("Again %u", j);

      lk_record_set_string (LK_RECORD (lead), LK_LEAD_NOTES, notes);
      g_assert_true (lk_store_update_lead (db->store, lead, NULL, &error));
      g_assert_no_error (error);
      if (j % 50 == 0)
        g_usleep (20000);  /* room for the checkpoint's thread on a busy machine */
    }
  g_assert_cmpint (file_size (wal), <, 2 * 1100 * 4096);

  g_clear_object (&db->store);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/store/new-ids", test_new_ids);
  g_test_add_func ("/store/tags-json", test_tags_json);
  g_test_add_func ("/store/open/empty-file", test_open_empty_file);
  g_test_add_func ("/store/open/missing-path", test_open_missing_path);
  g_test_add_func ("/store/open/reopen", test_reopen);
  g_test_add_func ("/store/open/schema-too-new", test_schema_too_new);
  g_test_add_func ("/store/open/not-a-database", test_not_a_database);
  g_test_add_func ("/store/write/create-lead", test_create_lead);
  g_test_add_func ("/store/write/create-invalid", test_create_invalid);
  g_test_add_func ("/store/write/update-lead", test_update_lead);
  g_test_add_func ("/store/write/update-nothing-changed", test_update_nothing_changed);
  g_test_add_func ("/store/write/move-lead", test_move_lead);
  g_test_add_func ("/store/users-by-id", test_users_by_id);
  g_test_add_func ("/store/write/delete-restore", test_delete_restore);
  g_test_add_func ("/store/write/add-activity", test_add_activity);
  g_test_add_func ("/store/write/save-user", test_save_user);
  g_test_add_func ("/store/write/set-setting", test_set_setting);
  g_test_add_func ("/store/write/put-records", test_put_records);
  g_test_add_func ("/store/rollback/create", test_rollback_create);
  g_test_add_func ("/store/rollback/update", test_rollback_update);
  g_test_add_func ("/store/rollback/delete", test_rollback_delete);
  g_test_add_func ("/store/rollback/put-records", test_rollback_put_records);
  g_test_add_func ("/store/transaction/nested", test_nested_transactions);
  g_test_add_func ("/store/transaction/nested-failure", test_nested_failure);
  g_test_add_func ("/store/worker", test_worker_connection);
  g_test_add_func ("/store/background-checkpoints", test_background_checkpoints);
  g_test_add_func ("/store/local-values", test_local_values);
  g_test_add_func ("/store/bulk-load", test_bulk_load);
  g_test_add_func ("/store/open-catch-up-later", test_open_catch_up_later);
  g_test_add_func ("/store/context", test_context);

  return g_test_run ();
}
