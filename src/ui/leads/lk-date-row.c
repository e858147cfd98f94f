/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-date-row"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

#include "lk-date-row.h"

/* A date typed as 2024-05-03 (or 2024/5/3, 2024年5月3日) or picked from a
 * calendar, with a button to clear it. The value is Unix ms: a new date
 * keeps the time of day of the old value, or 09:00, in the row's time
 * zone. Text that is not a date leaves the value alone and makes the row
 * not "valid"; the owner shows why. */
struct _LkDateRow
{
  AdwEntryRow    parent_instance;

  /* Template widgets */
  GtkButton     *clear_button;
  GtkMenuButton *calendar_button;
  GtkCalendar   *calendar;

  /* Owned */
  GTimeZone     *tz;
  gint64         value;
  int            hour;      /* of the last date, kept while the text is */
  int            minute;    /* cleared and retyped */
  gboolean       valid;
  gboolean       updating;
};

G_DEFINE_FINAL_TYPE (LkDateRow, lk_date_row, ADW_TYPE_ENTRY_ROW)

enum {
  PROP_0,
  PROP_VALUE,
  PROP_VALID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define DEFAULT_HOUR 9

static GDateTime *
local_time (LkDateRow *self,
            gint64     value)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (value / 1000);

  return g_date_time_to_timezone (utc, self->tz);
}

/* The date at the time of day of the current value (or 09:00). */
static gint64
value_for_date (LkDateRow *self,
                GDate     *date)
{
  g_autoptr(GDateTime) dt = NULL;

  dt = g_date_time_new (self->tz, g_date_get_year (date), g_date_get_month (date),
                        g_date_get_day (date), self->hour, self->minute, 0);
  return dt ? g_date_time_to_unix (dt) * 1000 : 0;
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; p != NULL && *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static void
set_state (LkDateRow *self,
           gint64     value,
           gboolean   valid)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (value != 0)
    {
      g_autoptr(GDateTime) dt = local_time (self, value);

      self->hour = g_date_time_get_hour (dt);
      self->minute = g_date_time_get_minute (dt);
    }
  if (self->value != value)
    {
      self->value = value;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
    }
  if (self->valid != valid)
    {
      self->valid = valid;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
update_clear_button (LkDateRow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->clear_button), text != NULL && text[0] != '\0');
}

static void
text_changed_cb (LkDateRow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self));
  GDate date;

  update_clear_button (self);
  if (self->updating)
    return;
  g_date_clear (&date, 1);
  if (is_blank (text))
    set_state (self, 0, TRUE);
  else if (lk_date_row_parse (text, &date))
    set_state (self, value_for_date (self, &date), TRUE);
  else
    set_state (self, self->value, FALSE);
}

static void
clear_clicked_cb (LkDateRow *self)
{
  lk_date_row_set_value (self, 0);
  /* The button hides itself: keep the focus in the row. */
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
popover_show_cb (LkDateRow *self)
{
  g_autoptr(GDateTime) shown = NULL;

  if (self->value != 0 && self->valid)
    shown = local_time (self, self->value);
  else
    shown = g_date_time_new_now (self->tz);
  self->updating = TRUE;
  gtk_calendar_select_day (self->calendar, shown);
  self->updating = FALSE;
}

static void
day_selected_cb (LkDateRow   *self,
                 GtkCalendar *calendar)
{
  g_autoptr(GDateTime) picked = NULL;
  GDate date;

  if (self->updating)
    return;
  picked = gtk_calendar_get_date (calendar);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) g_date_time_get_day_of_month (picked),
                  (GDateMonth) g_date_time_get_month (picked),
                  (GDateYear) g_date_time_get_year (picked));
  lk_date_row_set_value (self, value_for_date (self, &date));
  gtk_menu_button_popdown (self->calendar_button);
}

static void
lk_date_row_finalize (GObject *object)
{
  LkDateRow *self = LK_DATE_ROW (object);

  g_clear_pointer (&self->tz, g_time_zone_unref);

  G_OBJECT_CLASS (lk_date_row_parent_class)->finalize (object);
}

static void
lk_date_row_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  LkDateRow *self = LK_DATE_ROW (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      g_value_set_int64 (value, self->value);
      break;
    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_date_row_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  LkDateRow *self = LK_DATE_ROW (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      lk_date_row_set_value (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_date_row_class_init (LkDateRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = lk_date_row_finalize;
  object_class->get_property = lk_date_row_get_property;
  object_class->set_property = lk_date_row_set_property;

  properties[PROP_VALUE] =
    g_param_spec_int64 ("value", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/leads/lk-date-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LkDateRow, clear_button);
  gtk_widget_class_bind_template_child (widget_class, LkDateRow, calendar_button);
  gtk_widget_class_bind_template_child (widget_class, LkDateRow, calendar);
  gtk_widget_class_bind_template_callback (widget_class, clear_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, day_selected_cb);
}

static void
lk_date_row_init (LkDateRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->tz = g_time_zone_new_local ();
  self->valid = TRUE;
  self->hour = DEFAULT_HOUR;
  g_signal_connect (self, "changed", G_CALLBACK (text_changed_cb), NULL);
  update_clear_button (self);
}

GtkWidget *
lk_date_row_new (void)
{
  return g_object_new (LK_TYPE_DATE_ROW, NULL);
}

/* Returns: the date as Unix ms, 0 for none */
gint64
lk_date_row_get_value (LkDateRow *self)
{
  g_return_val_if_fail (LK_IS_DATE_ROW (self), 0);
  return self->value;
}

/* Shows @value (0: no date) as the row's text. */
void
lk_date_row_set_value (LkDateRow *self,
                       gint64     value)
{
  g_autofree char *text = NULL;

  g_return_if_fail (LK_IS_DATE_ROW (self));

  if (value != 0)
    {
      g_autoptr(GDateTime) dt = local_time (self, value);

      text = g_date_time_format (dt, "%Y-%m-%d");
    }
  self->updating = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self), text ? text : "");
  self->updating = FALSE;
  set_state (self, value, TRUE);
}

/* Returns: %FALSE while the text is not a date */
gboolean
lk_date_row_get_valid (LkDateRow *self)
{
  g_return_val_if_fail (LK_IS_DATE_ROW (self), FALSE);
  return self->valid;
}

/* The time zone dates are read and shown in (the clock's); local by default. */
void
lk_date_row_set_timezone (LkDateRow *self,
                          GTimeZone *tz)
{
  g_return_if_fail (LK_IS_DATE_ROW (self));
  g_return_if_fail (tz != NULL);

  g_time_zone_unref (self->tz);
  self->tz = g_time_zone_ref (tz);
}

/**
 * lk_date_row_parse:
 * @date: (out caller-allocates): a cleared #GDate
 *
 * Reads a date as people in our languages write it: year first, with
 * '-', '/', '.' or 年月日 between the parts.
 */
gboolean
lk_date_row_parse (const char *text,
                   GDate      *date)
{
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *year = NULL, *month = NULL, *day = NULL;
  int y, m, d;

  g_return_val_if_fail (date != NULL, FALSE);

  if (text == NULL)
    return FALSE;
  regex = g_regex_new ("^\\s*([0-9]{4})\\s*[-/.年]\\s*([0-9]{1,2})\\s*[-/.月]\\s*([0-9]{1,2})\\s*日?\\s*$",
                       0, 0, NULL);
  if (!g_regex_match (regex, text, 0, &match))
    return FALSE;
  year = g_match_info_fetch (match, 1);
  month = g_match_info_fetch (match, 2);
  day = g_match_info_fetch (match, 3);
  y = atoi (year);
  m = atoi (month);
  d = atoi (day);
  if (y < 1900 || y > 9999 || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;
  g_date_set_dmy (date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return TRUE;
}
