/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lk-context.h"
#include "lk-maintain.h"

G_BEGIN_DECLS

/* The pool's upkeep while the app runs (lk_maintain(): recycling leads
 * nobody contacted, flagging unclaimed pool leads): once at start and
 * every hour, on a worker thread with its own database connection.
 * ::maintained (LkMaintainReport *report) after each run that changed
 * something. */

#define LK_TYPE_POOL_KEEPER (lk_pool_keeper_get_type ())
G_DECLARE_FINAL_TYPE (LkPoolKeeper, lk_pool_keeper, LK, POOL_KEEPER, GObject)

LkPoolKeeper *lk_pool_keeper_new        (LkContext     *context);
/* Runs now (unless a run is under way) */
void          lk_pool_keeper_run        (LkPoolKeeper  *self);
gboolean      lk_pool_keeper_is_running (LkPoolKeeper  *self);

G_END_DECLS
