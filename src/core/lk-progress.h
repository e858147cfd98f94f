/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Sets an object's progress; called in the object's own main context. */
typedef void (*LkProgressSetter) (GObject *object,
                                  double   fraction);

void lk_progress_forward (GMainContext     *context,
                          GObject          *object,
                          LkProgressSetter  set,
                          double            fraction);

G_END_DECLS
