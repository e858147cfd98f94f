/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-clock"

#include "lk-clock.h"

/* Every "now" in the core comes from here, so tests can run on a fake
 * clock and exhibition laptops with wrong clocks never decide anything
 * beyond their own timestamps. */
struct _LkClock
{
  GObject    parent_instance;

  /* Owned */
  GTimeZone *tz;

  gint64     fake_now_ms;
  guint      fake : 1;
};

G_DEFINE_FINAL_TYPE (LkClock, lk_clock, G_TYPE_OBJECT)

static void
lk_clock_finalize (GObject *object)
{
  LkClock *self = LK_CLOCK (object);

  g_clear_pointer (&self->tz, g_time_zone_unref);

  G_OBJECT_CLASS (lk_clock_parent_class)->finalize (object);
}

static void
lk_clock_class_init (LkClockClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_clock_finalize;
}

static void
lk_clock_init (LkClock *self)
{
}

LkClock *
lk_clock_new_system (void)
{
  LkClock *self = g_object_new (LK_TYPE_CLOCK, NULL);

  self->tz = g_time_zone_new_local ();
  return self;
}

/**
 * lk_clock_new_fake:
 * @now_ms: the time the clock shows, Unix milliseconds UTC
 * @tz: (nullable): the time zone days are counted in; UTC when %NULL
 */
LkClock *
lk_clock_new_fake (gint64     now_ms,
                   GTimeZone *tz)
{
  LkClock *self = g_object_new (LK_TYPE_CLOCK, NULL);

  self->fake = TRUE;
  self->fake_now_ms = now_ms;
  self->tz = tz ? g_time_zone_ref (tz) : g_time_zone_new_utc ();
  return self;
}

gint64
lk_clock_now_ms (LkClock *self)
{
  g_return_val_if_fail (LK_IS_CLOCK (self), 0);

  if (self->fake)
    return self->fake_now_ms;
  return g_get_real_time () / 1000;
}

GTimeZone *
lk_clock_get_timezone (LkClock *self)
{
  g_return_val_if_fail (LK_IS_CLOCK (self), NULL);

  return self->tz;
}

gboolean
lk_clock_is_fake (LkClock *self)
{
  g_return_val_if_fail (LK_IS_CLOCK (self), FALSE);

  return self->fake;
}

void
lk_clock_set_now_ms (LkClock *self,
                     gint64   now_ms)
{
  g_return_if_fail (LK_IS_CLOCK (self));
  g_return_if_fail (self->fake);

  self->fake_now_ms = now_ms;
}

void
lk_clock_advance_ms (LkClock *self,
                     gint64   delta_ms)
{
  g_return_if_fail (LK_IS_CLOCK (self));
  g_return_if_fail (self->fake);

  self->fake_now_ms += delta_ms;
}

/* Local midnight of the day @at_ms falls in, in the clock's time zone. */
gint64
lk_clock_start_of_day (LkClock *self,
                       gint64   at_ms)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) midnight = NULL;

  g_return_val_if_fail (LK_IS_CLOCK (self), 0);

  utc = g_date_time_new_from_unix_utc (at_ms / 1000);
  local = g_date_time_to_timezone (utc, self->tz);
  midnight = g_date_time_new (self->tz,
                              g_date_time_get_year (local),
                              g_date_time_get_month (local),
                              g_date_time_get_day_of_month (local),
                              0, 0, 0);
  return g_date_time_to_unix (midnight) * 1000;
}
