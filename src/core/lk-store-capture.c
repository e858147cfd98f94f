/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-store"

#include <glib/gi18n-lib.h>

#include "lk-store-capture.h"
#include "lk-store-private.h"

/**
 * lk_store_count_captures:
 * @since_ms: the start of the period (the start of today, for the counter)
 * @source: the source the captures are written with ("exhibition")
 * @created_by: (nullable): whose captures; %NULL for anybody's
 *
 * How many leads (not deleted) were created since @since_ms with @source:
 * the counter of quick capture. A range of the leads_created index.
 *
 * Returns: the count, or -1 with @error set
 */
gint64
lk_store_count_captures (LkStore     *self,
                         gint64       since_ms,
                         const char  *source,
                         const char  *created_by,
                         GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 count = -1;

  g_return_val_if_fail (LK_IS_STORE (self), -1);
  g_return_val_if_fail (source != NULL, -1);

  stmt = lk_store_prepare (self,
                           "SELECT count(*) FROM leads WHERE deleted = 0 AND created_at >= ?1 "
                           "AND source = ?2 AND (?3 IS NULL OR created_by = ?3)",
                           error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, since_ms);
  sqlite3_bind_text (stmt, 2, source, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, created_by, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (count < 0)
    lk_store_fail (self, error, _("count today’s captures"));
  return count;
}
