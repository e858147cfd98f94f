/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-store"

#include "lk-store-private.h"

/* Checkpoints off the writing thread. In WAL mode SQLite copies the log
 * back into the database from the commit that takes it past 1,000 pages
 * (4 MB), on the thread that commits: on the window's connection, one
 * stage move in about twenty took 10 ms instead of 0.5 (the main thread's
 * budget is 5 ms). A store opened with lk_store_open() does it on a
 * thread of its own instead, with a connection of its own, after the
 * commit that takes the log past the same size. The checkpoint is
 * passive: it never waits for, nor blocks, a reader or a writer; the log
 * starts again from its beginning with the first write after a
 * checkpoint that copied all of it. Bulk writes (lk_store_set_defer_search)
 * keep SQLite's own (lk_store_scale_checkpoints). */

/* The size of the log, in pages, at which a checkpoint starts; what
 * SQLite's own wal_autocheckpoint would be. */
#define CHECKPOINT_PAGES 1000

static void
checkpoint_thread (gpointer data,
                   gpointer user_data)
{
  LkStore *self = user_data;

  if (self->checkpoint_db == NULL &&
      sqlite3_open_v2 (self->path, &self->checkpoint_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_debug ("Could not open a connection for checkpoints: %s",
               self->checkpoint_db ? sqlite3_errmsg (self->checkpoint_db) : "out of memory");
      g_clear_pointer (&self->checkpoint_db, sqlite3_close_v2);
    }
  /* A connection that has read nothing yet does not know the database
   * is in WAL mode, and its checkpoint does nothing. */
  else if (sqlite3_exec (self->checkpoint_db, "PRAGMA journal_mode", NULL, NULL, NULL) != SQLITE_OK ||
           sqlite3_wal_checkpoint_v2 (self->checkpoint_db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL) != SQLITE_OK)
    g_debug ("Checkpoint: %s", sqlite3_errmsg (self->checkpoint_db));
  g_atomic_int_set (&self->checkpointing, 0);
}

/* sqlite3_wal_hook(): after each commit of the store's connection, on its
 * thread, with the number of pages in the log. */
static int
wal_hook (void       *data,
          sqlite3    *db,
          const char *name,
          int         pages)
{
  LkStore *self = data;

  if (pages >= CHECKPOINT_PAGES && g_atomic_int_compare_and_exchange (&self->checkpointing, 0, 1))
    g_thread_pool_push (self->checkpointer, GINT_TO_POINTER (1), NULL);
  return SQLITE_OK;
}

/* Moves the store's checkpoints to a thread of their own (above). */
void
lk_store_start_checkpoints (LkStore *self)
{
  g_autoptr(GError) error = NULL;

  self->checkpointer = g_thread_pool_new (checkpoint_thread, self, 1, FALSE, &error);
  if (self->checkpointer == NULL)
    {
      g_debug ("Checkpoints stay on the writing thread: %s", error->message);
      return;
    }
  sqlite3_wal_hook (self->db, wal_hook, self);
}

/* Waits for a checkpoint under way and closes its connection: before the
 * store's own connection closes, so that the last connection to close is
 * the store's, which copies the log back and removes it. */
void
lk_store_stop_checkpoints (LkStore *self)
{
  if (self->checkpointer == NULL)
    return;
  if (self->db != NULL)
    sqlite3_wal_hook (self->db, NULL, NULL);
  g_thread_pool_free (g_steal_pointer (&self->checkpointer), FALSE, TRUE);
  g_clear_pointer (&self->checkpoint_db, sqlite3_close_v2);
}

/* The size of the log at which a checkpoint starts: @scale times the
 * usual, for a bulk write (it copies large index pages once, not ten
 * times). A bulk write checkpoints on its own thread, as SQLite does: a
 * checkpoint beside a writer that never pauses never copies all of the
 * log, which then grows without end and is copied piece by piece. */
void
lk_store_scale_checkpoints (LkStore *self,
                            int      scale)
{
  if (self->checkpointer != NULL && scale <= 1)
    sqlite3_wal_hook (self->db, wal_hook, self);
  else
    sqlite3_wal_autocheckpoint (self->db, CHECKPOINT_PAGES * MAX (scale, 1));
}
