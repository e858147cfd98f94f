/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-profile"

#include "lk-profile.h"

/* LEADKEEPER_PROFILE=1 logs how long user-visible work takes, up to the
 * frame that shows its result: start to first frame, a drop to the
 * repainted board, a keystroke in search to the updated board. The
 * benchmarks in tests/bench read these lines. */

typedef struct
{
  char   *what;
  gint64  started_us;
  gulong  handler;
  GdkFrameClock *clock;
} Pending;

gboolean
lk_profile_enabled (void)
{
  const char *value = g_getenv ("LEADKEEPER_PROFILE");

  return value != NULL && value[0] != '\0' && !g_str_equal (value, "0");
}

static void
after_paint_cb (GdkFrameClock *clock,
                Pending       *pending)
{
  double ms = (g_get_monotonic_time () - pending->started_us) / 1000.0;

  g_message ("profile: %s: %.1f ms", pending->what, ms);
  g_signal_handler_disconnect (clock, pending->handler);
  g_object_unref (pending->clock);
  g_free (pending->what);
  g_free (pending);
}

/* Logs the time from @started_us to the end of the next frame painted
 * for @widget's surface. */
void
lk_profile_after_paint (GtkWidget  *widget,
                        const char *what,
                        gint64      started_us)
{
  GdkFrameClock *clock;
  Pending *pending;

  if (!lk_profile_enabled () || (clock = gtk_widget_get_frame_clock (widget)) == NULL)
    return;
  pending = g_new0 (Pending, 1);
  pending->what = g_strdup (what);
  pending->started_us = started_us;
  pending->clock = g_object_ref (clock);
  pending->handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), pending);
  gtk_widget_queue_draw (widget);
}
