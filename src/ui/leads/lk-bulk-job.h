/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lk-lead-query.h"
#include "lk-store.h"

G_BEGIN_DECLS

/* One bulk change of the leads table, and its undo. GLib only: it runs
 * on the main thread or, for many leads, on a worker's connection. */
typedef enum
{
  LK_BULK_MOVE,
  LK_BULK_ASSIGN,
  LK_BULK_ADD_TAG,
  LK_BULK_DELETE,
  LK_BULK_RESTORE,   /* puts back what another job changed: its undo */
} LkBulkKind;

typedef struct _LkBulkJob LkBulkJob;

LkBulkJob  *lk_bulk_job_new              (LkBulkKind    kind,
                                          LkLeadQuery  *query,
                                          GArray       *positions,
                                          guint         n_items);
void        lk_bulk_job_free             (LkBulkJob    *job);
LkBulkKind  lk_bulk_job_get_kind         (LkBulkJob    *job);
LkBulkKind  lk_bulk_job_get_undo_of      (LkBulkJob    *job);
void        lk_bulk_job_set_value        (LkBulkJob    *job,
                                          const char   *value);
const char *lk_bulk_job_get_value        (LkBulkJob    *job);
void        lk_bulk_job_set_reason       (LkBulkJob    *job,
                                          const char   *reason);
guint       lk_bulk_job_get_n_leads      (LkBulkJob    *job);
gboolean    lk_bulk_job_run              (LkBulkJob    *job,
                                          LkStore      *store,
                                          GCancellable *cancellable,
                                          GError      **error);
guint       lk_bulk_job_get_n_changed    (LkBulkJob    *job);
LkBulkJob  *lk_bulk_job_steal_undo       (LkBulkJob    *job);
char       *lk_bulk_job_describe_result  (LkBulkJob    *job,
                                          const char   *value_name);
char       *lk_bulk_job_describe_running (LkBulkJob    *job);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkBulkJob, lk_bulk_job_free)

G_END_DECLS
