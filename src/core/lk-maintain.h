/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-pool.h"
#include "lk-store.h"

G_BEGIN_DECLS

/* The pool's upkeep: what the app runs at start and every hour, and
 * `leadkeeper-cli maintain` from a server's cron job. */
typedef struct
{
  GPtrArray *changes;      /* LkPoolChange: flagged, unflagged, then recycled */
  guint      n_recycled;
  guint      n_flagged;
  guint      n_unflagged;
} LkMaintainReport;

void              lk_maintain_report_free (LkMaintainReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkMaintainReport, lk_maintain_report_free)

LkMaintainReport *lk_maintain             (LkStore          *store,
                                           gboolean          dry_run,
                                           GError          **error);

G_END_DECLS
