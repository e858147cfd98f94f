/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-bulk-job.h"

G_BEGIN_DECLS

#define LK_TYPE_BULK_RUNNER (lk_bulk_runner_get_type ())
G_DECLARE_FINAL_TYPE (LkBulkRunner, lk_bulk_runner, LK, BULK_RUNNER, GObject)

LkBulkRunner *lk_bulk_runner_new                  (LkStore      *store);
gboolean      lk_bulk_runner_get_busy             (LkBulkRunner *self);
LkBulkJob    *lk_bulk_runner_get_running          (LkBulkRunner *self);
guint         lk_bulk_runner_get_worker_threshold (LkBulkRunner *self);
void          lk_bulk_runner_set_worker_threshold (LkBulkRunner *self,
                                                   guint         n_leads);
void          lk_bulk_runner_run                  (LkBulkRunner *self,
                                                   LkBulkJob    *job);
void          lk_bulk_runner_cancel               (LkBulkRunner *self);

G_END_DECLS
