/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-report"

#include <stdio.h>

#include <glib/gi18n.h>

#include "lk-error.h"
#include "lk-report-query.h"
#include "lk-utils.h"

/* What a report covers: the period [from, to) in Unix ms (UTC), and
 * optionally one owner (the lead's current owner) and one source channel.
 * A plain value object: the dashboard copies it for each worker run. */
struct _LkReportQuery
{
  GObject  parent_instance;

  /* Owned */
  char    *owner;
  char    *source;
  gint64   from_ms;
  gint64   to_ms;
};

G_DEFINE_FINAL_TYPE (LkReportQuery, lk_report_query, G_TYPE_OBJECT)

static gint64
to_ms (GDateTime *dt)
{
  return g_date_time_to_unix (dt) * 1000;
}

static void
lk_report_query_finalize (GObject *object)
{
  LkReportQuery *self = LK_REPORT_QUERY (object);

  g_clear_pointer (&self->owner, g_free);
  g_clear_pointer (&self->source, g_free);

  G_OBJECT_CLASS (lk_report_query_parent_class)->finalize (object);
}

static void
lk_report_query_class_init (LkReportQueryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_report_query_finalize;
}

static void
lk_report_query_init (LkReportQuery *self)
{
}

LkReportQuery *
lk_report_query_new (gint64 from_ms,
                     gint64 to_ms)
{
  LkReportQuery *self = g_object_new (LK_TYPE_REPORT_QUERY, NULL);

  self->from_ms = from_ms;
  self->to_ms = MAX (from_ms, to_ms);
  return self;
}

/**
 * lk_report_query_new_period:
 *
 * Whole local days in @clock's time zone: this month and this quarter and
 * this year run from their first day to the end of today; the last 30 and
 * 90 days end at the end of today and include it.
 */
LkReportQuery *
lk_report_query_new_period (LkReportPeriod  period,
                            LkClock        *clock)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) today = NULL;
  g_autoptr(GDateTime) tomorrow = NULL;
  g_autoptr(GDateTime) start = NULL;
  int month;

  g_return_val_if_fail (LK_IS_CLOCK (clock), NULL);

  {
    g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (lk_clock_now_ms (clock) / 1000);
    now = g_date_time_to_timezone (utc, lk_clock_get_timezone (clock));
  }
  today = g_date_time_new (lk_clock_get_timezone (clock), g_date_time_get_year (now),
                           g_date_time_get_month (now), g_date_time_get_day_of_month (now), 0, 0, 0);
  tomorrow = g_date_time_add_days (today, 1);
  month = g_date_time_get_month (now);
  switch (period)
    {
    case LK_REPORT_PERIOD_THIS_MONTH:
      start = g_date_time_add_days (today, 1 - g_date_time_get_day_of_month (now));
      break;
    case LK_REPORT_PERIOD_LAST_30_DAYS:
      start = g_date_time_add_days (today, -29);
      break;
    case LK_REPORT_PERIOD_LAST_90_DAYS:
      start = g_date_time_add_days (today, -89);
      break;
    case LK_REPORT_PERIOD_THIS_QUARTER:
      start = g_date_time_new (lk_clock_get_timezone (clock), g_date_time_get_year (now),
                               (month - 1) / 3 * 3 + 1, 1, 0, 0, 0);
      break;
    case LK_REPORT_PERIOD_THIS_YEAR:
    case LK_REPORT_PERIOD_CUSTOM:
    default:
      start = g_date_time_new (lk_clock_get_timezone (clock), g_date_time_get_year (now), 1, 1, 0, 0, 0);
      break;
    }
  return lk_report_query_new (to_ms (start), to_ms (tomorrow));
}

static GDateTime *
parse_date (const char  *text,
            GTimeZone   *tz,
            GError     **error)
{
  unsigned year = 0, month = 0, day = 0;
  char end = '\0';
  GDateTime *dt = NULL;

  if (text != NULL &&
      sscanf (text, "%4u-%2u-%2u%c", &year, &month, &day, &end) == 3 &&
      g_date_valid_dmy (day, month, year))
    dt = g_date_time_new (tz, year, month, day, 0, 0, 0);
  if (dt == NULL)
    g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                 _("“%s” is not a date: write it as YYYY-MM-DD, for example 2024-05-01"),
                 text != NULL ? text : "");
  return dt;
}

/**
 * lk_report_query_new_dates:
 * @from_date: the first day, "YYYY-MM-DD"
 * @to_date: the last day, included
 * @tz: (nullable): the time zone of the days; %NULL for UTC
 *
 * Returns: (transfer full) (nullable): the whole local days from
 *   @from_date to @to_date, or %NULL with @error set
 */
LkReportQuery *
lk_report_query_new_dates (const char  *from_date,
                           const char  *to_date,
                           GTimeZone   *tz,
                           GError     **error)
{
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  g_autoptr(GDateTime) after = NULL;
  g_autoptr(GTimeZone) utc = NULL;

  if (tz == NULL)
    tz = utc = g_time_zone_new_utc ();
  from = parse_date (from_date, tz, error);
  if (from == NULL)
    return NULL;
  to = parse_date (to_date, tz, error);
  if (to == NULL)
    return NULL;
  if (g_date_time_compare (to, from) < 0)
    {
      g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                   _("The period ends (%s) before it starts (%s): swap the two dates"),
                   to_date, from_date);
      return NULL;
    }
  after = g_date_time_add_days (to, 1);
  return lk_report_query_new (to_ms (from), to_ms (after));
}

LkReportQuery *
lk_report_query_copy (LkReportQuery *self)
{
  LkReportQuery *copy;

  g_return_val_if_fail (LK_IS_REPORT_QUERY (self), NULL);

  copy = lk_report_query_new (self->from_ms, self->to_ms);
  copy->owner = g_strdup (self->owner);
  copy->source = g_strdup (self->source);
  return copy;
}

gint64
lk_report_query_get_from (LkReportQuery *self)
{
  g_return_val_if_fail (LK_IS_REPORT_QUERY (self), 0);
  return self->from_ms;
}

gint64
lk_report_query_get_to (LkReportQuery *self)
{
  g_return_val_if_fail (LK_IS_REPORT_QUERY (self), 0);
  return self->to_ms;
}

const char *
lk_report_query_get_owner (LkReportQuery *self)
{
  g_return_val_if_fail (LK_IS_REPORT_QUERY (self), NULL);
  return self->owner;
}

/* @owner: (nullable): a user id; %NULL or "" for everyone */
void
lk_report_query_set_owner (LkReportQuery *self,
                           const char    *owner)
{
  g_return_if_fail (LK_IS_REPORT_QUERY (self));
  lk_set_str (&self->owner, owner != NULL && owner[0] != '\0' ? owner : NULL);
}

const char *
lk_report_query_get_source (LkReportQuery *self)
{
  g_return_val_if_fail (LK_IS_REPORT_QUERY (self), NULL);
  return self->source;
}

/* @source: (nullable): a source channel; %NULL or "" for every source */
void
lk_report_query_set_source (LkReportQuery *self,
                            const char    *source)
{
  g_return_if_fail (LK_IS_REPORT_QUERY (self));
  lk_set_str (&self->source, source != NULL && source[0] != '\0' ? source : NULL);
}
