/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define LK_TYPE_CLOCK (lk_clock_get_type ())
G_DECLARE_FINAL_TYPE (LkClock, lk_clock, LK, CLOCK, GObject)

LkClock   *lk_clock_new_system   (void);
LkClock   *lk_clock_new_fake     (gint64     now_ms,
                                  GTimeZone *tz);
gint64     lk_clock_now_ms       (LkClock   *self);
GTimeZone *lk_clock_get_timezone (LkClock   *self);
gboolean   lk_clock_is_fake      (LkClock   *self);
void       lk_clock_set_now_ms   (LkClock   *self,
                                  gint64     now_ms);
void       lk_clock_advance_ms   (LkClock   *self,
                                  gint64     delta_ms);
gint64     lk_clock_start_of_day (LkClock   *self,
                                  gint64     at_ms);

G_END_DECLS
