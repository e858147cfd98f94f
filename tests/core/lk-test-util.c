/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-test"

#include <glib/gstdio.h>

#include "lk-search-tokenizer.h"
#include "lk-test-util.h"

/* A fresh folder per test: databases never share a file. */
char *
lk_test_make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("lk-core-XXXXXX", &error);

  g_assert_no_error (error);
  g_assert_nonnull (dir);
  return dir;
}

void
lk_test_remove_dir (const char *dir)
{
  g_autoptr(GDir) handle = NULL;
  const char *name;

  if (dir == NULL)
    return;
  handle = g_dir_open (dir, 0, NULL);
  if (handle == NULL)
    return;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        lk_test_remove_dir (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

LkClock *
lk_test_clock_new (GTimeZone *tz)
{
  return lk_clock_new_fake (LK_TEST_NOW_MS, tz);
}

LkTestDb *
lk_test_db_new_full (GTimeZone *tz)
{
  g_autoptr(GError) error = NULL;
  LkTestDb *db = g_new0 (LkTestDb, 1);

  db->dir = lk_test_make_dir ();
  db->path = g_build_filename (db->dir, "leadkeeper.db", NULL);
  db->clock = lk_test_clock_new (tz);
  db->store = lk_store_open (db->path, db->clock, &error);
  g_assert_no_error (error);
  g_assert_nonnull (db->store);
  lk_store_set_user_id (db->store, "user:tester");
  return db;
}

LkTestDb *
lk_test_db_new (void)
{
  return lk_test_db_new_full (NULL);
}

void
lk_test_db_free (LkTestDb *db)
{
  if (db == NULL)
    return;
  if (db->peek != NULL)
    sqlite3_close (db->peek);
  g_clear_object (&db->store);
  g_clear_object (&db->clock);
  lk_test_remove_dir (db->dir);
  g_free (db->path);
  g_free (db->dir);
  g_free (db);
}

/* A second connection on the same file: what another program (or the
 * next start of the app) would see, committed data only. */
sqlite3 *
lk_test_db_peek (LkTestDb *db)
{
  if (db->peek == NULL)
    {
      g_assert_cmpint (sqlite3_open_v2 (db->path, &db->peek, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
      sqlite3_busy_timeout (db->peek, 5000);
      /* The search index's own tokenizer, as every connection of the app */
      g_assert_true (lk_search_tokenizer_register (db->peek, NULL));
    }
  return db->peek;
}

static sqlite3_stmt *
prepare_bound (sqlite3    *conn,
               const char *sql,
               va_list     args)
{
  sqlite3_stmt *stmt = NULL;
  const char *value;
  int index = 1;

  if (sqlite3_prepare_v2 (conn, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("Could not prepare “%s”: %s", sql, sqlite3_errmsg (conn));
  while ((value = va_arg (args, const char *)) != NULL)
    sqlite3_bind_text (stmt, index++, value, -1, SQLITE_TRANSIENT);
  return stmt;
}

gint64
lk_test_sql_int (sqlite3    *conn,
                 const char *sql,
                 ...)
{
  sqlite3_stmt *stmt;
  gint64 value = -1;
  va_list args;
  int rc;

  va_start (args, sql);
  stmt = prepare_bound (conn, sql, args);
  va_end (args);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    g_error ("“%s” failed: %s", sql, sqlite3_errmsg (conn));
  sqlite3_finalize (stmt);
  return value;
}

/* Returns: (nullable): NULL when there is no row or the value is NULL */
char *
lk_test_sql_text (sqlite3    *conn,
                  const char *sql,
                  ...)
{
  sqlite3_stmt *stmt;
  char *value = NULL;
  va_list args;
  int rc;

  va_start (args, sql);
  stmt = prepare_bound (conn, sql, args);
  va_end (args);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc != SQLITE_DONE)
    g_error ("“%s” failed: %s", sql, sqlite3_errmsg (conn));
  sqlite3_finalize (stmt);
  return value;
}

void
lk_test_sql_exec (sqlite3    *conn,
                  const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (conn, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("“%s” failed: %s", sql, message);
}

static LkLead *
lead_new_valist (const char *first_field,
                 va_list     args)
{
  LkLead *lead = lk_lead_new ();
  LkRecordClass *klass = LK_RECORD_GET_CLASS (lead);
  const char *name = first_field;

  while (name != NULL)
    {
      const char *value = va_arg (args, const char *);

      if (g_str_equal (name, "id"))
        lk_record_set_id (LK_RECORD (lead), value);
      else
        {
          g_autoptr(GError) error = NULL;
          int field = lk_record_class_find_field (klass, name);

          if (field < 0)
            g_error ("A lead has no field “%s”", name);
          lk_record_set_from_text (LK_RECORD (lead), (guint) field, value, &error);
          g_assert_no_error (error);
        }
      name = va_arg (args, const char *);
    }
  return lead;
}

LkLead *
lk_test_lead_new (const char *first_field,
                  ...)
{
  LkLead *lead;
  va_list args;

  va_start (args, first_field);
  lead = lead_new_valist (first_field, args);
  va_end (args);
  return lead;
}

LkLead *
lk_test_create_lead (LkStore    *store,
                     const char *first_field,
                     ...)
{
  g_autoptr(GError) error = NULL;
  LkLead *lead;
  va_list args;

  va_start (args, first_field);
  lead = lead_new_valist (first_field, args);
  va_end (args);
  g_assert_true (lk_store_create_lead (store, lead, &error));
  g_assert_no_error (error);
  g_assert_nonnull (lk_record_get_id (LK_RECORD (lead)));
  return lead;
}

static void
change_free (gpointer data)
{
  LkTestChange *change = data;

  g_free (change->doc_type);
  g_strfreev (change->ids);
  g_free (change);
}

static void
changed_cb (LkStore            *store,
            const char         *doc_type,
            const char * const *ids,
            LkTestChanges      *changes)
{
  LkTestChange *change = g_new0 (LkTestChange, 1);

  change->doc_type = g_strdup (doc_type);
  change->ids = g_strdupv ((char **) ids);
  g_ptr_array_add (changes->changes, change);
}

LkTestChanges *
lk_test_changes_new (LkStore *store)
{
  LkTestChanges *changes = g_new0 (LkTestChanges, 1);

  changes->store = g_object_ref (store);
  changes->changes = g_ptr_array_new_with_free_func (change_free);
  changes->handler = g_signal_connect (store, "changed", G_CALLBACK (changed_cb), changes);
  return changes;
}

void
lk_test_changes_free (LkTestChanges *changes)
{
  if (changes == NULL)
    return;
  g_clear_signal_handler (&changes->handler, changes->store);
  g_clear_object (&changes->store);
  g_ptr_array_unref (changes->changes);
  g_free (changes);
}

/* How many ::changed emissions named @doc_type (NULL: all of them). */
guint
lk_test_changes_count (LkTestChanges *changes,
                       const char    *doc_type)
{
  guint n = 0;

  for (guint i = 0; i < changes->changes->len; i++)
    {
      LkTestChange *change = g_ptr_array_index (changes->changes, i);

      if (doc_type == NULL || g_strcmp0 (change->doc_type, doc_type) == 0)
        n++;
    }
  return n;
}

gboolean
lk_test_changes_named (LkTestChanges *changes,
                       const char    *doc_type,
                       const char    *id)
{
  for (guint i = 0; i < changes->changes->len; i++)
    {
      LkTestChange *change = g_ptr_array_index (changes->changes, i);

      if (g_strcmp0 (change->doc_type, doc_type) == 0 && change->ids != NULL &&
          g_strv_contains ((const char * const *) change->ids, id))
        return TRUE;
    }
  return FALSE;
}
