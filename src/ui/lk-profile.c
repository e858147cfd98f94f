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

static void
watch_clock (GtkWidget  *widget,
             const char *what,
             gint64      started_us)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->what = g_strdup (what);
  pending->started_us = started_us;
  pending->clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  pending->handler = g_signal_connect (pending->clock, "after-paint", G_CALLBACK (after_paint_cb), pending);
  gtk_widget_queue_draw (widget);
}

static void
mapped_cb (GtkWidget *widget,
           gpointer   data)
{
  const char *what = g_object_get_data (G_OBJECT (widget), "lk-profile-what");
  gint64 *started = g_object_get_data (G_OBJECT (widget), "lk-profile-started");

  g_signal_handlers_disconnect_by_func (widget, mapped_cb, data);
  watch_clock (widget, what, *started);
}

/* Logs the time from @started_us to the end of the next frame painted
 * for @widget's surface (once the widget is shown, if it is not yet). */
void
lk_profile_after_paint (GtkWidget  *widget,
                        const char *what,
                        gint64      started_us)
{
  if (!lk_profile_enabled ())
    return;
  if (gtk_widget_get_frame_clock (widget) != NULL)
    {
      watch_clock (widget, what, started_us);
      return;
    }
  g_object_set_data_full (G_OBJECT (widget), "lk-profile-what", g_strdup (what), g_free);
  g_object_set_data_full (G_OBJECT (widget), "lk-profile-started", g_memdup2 (&started_us, sizeof started_us), g_free);
  g_signal_connect_after (widget, "map", G_CALLBACK (mapped_cb), NULL);
}

/* Logs the time from @started_us to now. */
void
lk_profile_log (const char *what,
                gint64      started_us)
{
  if (lk_profile_enabled ())
    g_message ("profile: %s: %.1f ms", what, (g_get_monotonic_time () - started_us) / 1000.0);
}
