/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-store.h"

G_BEGIN_DECLS

/* Quick capture's side of the store (exhibition mode). */

gint64 lk_store_count_captures (LkStore     *self,
                                gint64       since_ms,
                                const char  *source,
                                const char  *created_by,
                                GError     **error);

G_END_DECLS
