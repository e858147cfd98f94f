/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lk-store.h"

G_BEGIN_DECLS

typedef void (*LkProgressFunc) (double   fraction,
                                gpointer user_data);

gboolean lk_demo_generate (LkStore        *store,
                           guint           count,
                           guint32         seed,
                           GCancellable   *cancellable,
                           LkProgressFunc  progress,
                           gpointer        user_data,
                           GError        **error);

G_END_DECLS
