/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-context.h"

G_BEGIN_DECLS

#define LK_TYPE_CONFLICTS_VIEW (lk_conflicts_view_get_type ())
G_DECLARE_FINAL_TYPE (LkConflictsView, lk_conflicts_view, LK, CONFLICTS_VIEW, AdwBin)

/* The Conflicts page: the open conflicts of the store, grouped by lead,
 * each with its choices (conflicts.resolve((xb)): id, use mine). It
 * follows the store's ::changed on its own.
 *
 * Properties: context (construct-only), count (uint, read-only: open conflicts). */
LkConflictsView *lk_conflicts_view_new       (LkContext       *context);
guint            lk_conflicts_view_get_count (LkConflictsView *self);
void             lk_conflicts_view_reload    (LkConflictsView *self);
/* Returns: (transfer container): the LkConflictRow shown, in order */
GPtrArray       *lk_conflicts_view_list_rows (LkConflictsView *self);

G_END_DECLS
