/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-format"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "lk-format.h"

/* Numbers, money and dates as the user's locale writes them: grouping
 * from the locale, currency symbols as Chinese and Taiwanese teams write
 * them (¥, NT$), dates in the locale's order. */

static const struct
{
  const char *code;
  const char *symbol;
  const char *name;
} currencies[] = {
  /* Translators: the name of a currency, in a list of currencies */
  { "CNY", "¥", N_("Chinese yuan") },
  { "TWD", "NT$", N_("New Taiwan dollar") },
  { "HKD", "HK$", N_("Hong Kong dollar") },
  { "USD", "$", N_("US dollar") },
  { "EUR", "€", N_("Euro") },
  { "GBP", "£", N_("Pound sterling") },
  { "JPY", "JP¥", N_("Japanese yen") },
  { "SGD", "S$", N_("Singapore dollar") },
  { "MOP", "MOP$", N_("Macanese pataca") },
  { "KRW", "₩", N_("South Korean won") },
};

/* The territories of a locale name ("zh_TW.UTF-8") and their currency.
 * The euro area is listed by country. */
static const struct
{
  const char *territory;
  const char *code;
} territories[] = {
  { "CN", "CNY" }, { "TW", "TWD" }, { "HK", "HKD" }, { "MO", "MOP" }, { "SG", "SGD" },
  { "US", "USD" }, { "GB", "GBP" }, { "JP", "JPY" }, { "KR", "KRW" },
  { "AT", "EUR" }, { "BE", "EUR" }, { "CY", "EUR" }, { "DE", "EUR" }, { "EE", "EUR" },
  { "ES", "EUR" }, { "FI", "EUR" }, { "FR", "EUR" }, { "GR", "EUR" }, { "HR", "EUR" },
  { "IE", "EUR" }, { "IT", "EUR" }, { "LT", "EUR" }, { "LU", "EUR" }, { "LV", "EUR" },
  { "MT", "EUR" }, { "NL", "EUR" }, { "PT", "EUR" }, { "SI", "EUR" }, { "SK", "EUR" },
};

#define LK_FALLBACK_CURRENCY "CNY"

/**
 * lk_currency_codes:
 *
 * Returns: (transfer none): the codes this module has a symbol and a
 *   name for, in the order offered to the user, %NULL-terminated
 */
const char * const *
lk_currency_codes (void)
{
  static const char * const codes[] = {
    "CNY", "TWD", "HKD", "USD", "EUR", "GBP", "JPY", "SGD", "MOP", "KRW", NULL
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (codes) == G_N_ELEMENTS (currencies) + 1);
  return codes;
}

/* Returns: (transfer none): the translated name of @currency ("New
 * Taiwan dollar"), or @currency itself for a code without a name */
const char *
lk_currency_name (const char *currency)
{
  for (guint i = 0; currency != NULL && i < G_N_ELEMENTS (currencies); i++)
    if (g_str_equal (currencies[i].code, currency))
      return _(currencies[i].name);
  return currency ? currency : "";
}

/**
 * lk_format_currency_for_locale:
 * @locale: (nullable): a locale name, such as "zh_TW.UTF-8" or "de_DE@euro"
 *
 * Returns: (transfer none): the currency of the locale's territory
 *   ("TWD"); "CNY" for a locale without a territory this module knows,
 *   for "C", "POSIX" and %NULL
 */
const char *
lk_format_currency_for_locale (const char *locale)
{
  const char *underscore = locale ? strchr (locale, '_') : NULL;
  size_t length;

  if (underscore == NULL)
    return LK_FALLBACK_CURRENCY;
  length = strcspn (underscore + 1, ".@");
  for (guint i = 0; i < G_N_ELEMENTS (territories); i++)
    if (strlen (territories[i].territory) == length &&
        g_ascii_strncasecmp (territories[i].territory, underscore + 1, length) == 0)
      return territories[i].code;
  return LK_FALLBACK_CURRENCY;
}

static gboolean
is_c_locale (const char *locale)
{
  return locale == NULL || locale[0] == '\0' || g_str_equal (locale, "C") ||
         g_str_equal (locale, "POSIX") || g_str_has_prefix (locale, "C.");
}

/**
 * lk_format_locale_currency:
 *
 * The currency of the user's locale, for a team that has not chosen
 * one: the territory of LC_MONETARY (setlocale() must have been called),
 * or when that is C or POSIX, of the first language in LANGUAGE or else
 * LANG, so that LANGUAGE=zh_TW alone gives TWD.
 *
 * Returns: (transfer none): a currency code ("TWD"); "CNY" by default
 */
const char *
lk_format_locale_currency (void)
{
  const char *monetary = setlocale (LC_MONETARY, NULL);
  const char *language;
  g_autofree char *first = NULL;

  if (!is_c_locale (monetary))
    return lk_format_currency_for_locale (monetary);
  language = g_getenv ("LANGUAGE");
  if (language == NULL || language[0] == '\0')
    language = g_getenv ("LANG");
  if (language == NULL)
    return LK_FALLBACK_CURRENCY;
  first = g_strndup (language, strcspn (language, ":"));
  return lk_format_currency_for_locale (first);
}

const char *
lk_currency_symbol (const char *currency)
{
  for (guint i = 0; currency != NULL && i < G_N_ELEMENTS (currencies); i++)
    if (g_str_equal (currencies[i].code, currency))
      return currencies[i].symbol;
  return currency ? currency : "";
}

/* 1234567 → "1,234,567" with the locale's thousands separator. */
char *
lk_format_count (gint64 count)
{
  char buffer[64];

  /* The ' flag groups digits as the locale does (glibc). */
  g_snprintf (buffer, sizeof buffer, "%'" G_GINT64_FORMAT, count);
  return g_strdup (buffer);
}

/**
 * lk_format_money:
 * @minor_units: amount in 分 / cents
 *
 * "¥12,500.00"; whole amounts keep their cents so columns line up.
 */
char *
lk_format_money (gint64      minor_units,
                 const char *currency)
{
  g_autofree char *units = NULL;
  gboolean negative = minor_units < 0;
  guint64 value = negative ? (guint64) -minor_units : (guint64) minor_units;
  const char *point = localeconv ()->decimal_point;

  units = lk_format_count ((gint64) (value / 100));
  return g_strdup_printf ("%s%s%s%s%02u", negative ? "−" : "", lk_currency_symbol (currency),
                          units, point ? point : ".", (guint) (value % 100));
}

/* "¥12.5k", "¥1.2M" for column headers and cards, where space is short.
 * Chinese readers count in 万 (10,000) and 亿 (100,000,000): when the
 * translation of the thousands unit is not "k", it is taken to be 万. */
char *
lk_format_money_short (gint64      minor_units,
                       const char *currency)
{
  double units = (double) minor_units / 100.0;
  const char *symbol = lk_currency_symbol (currency);
  /* Translators: the unit after short amounts: "k" for thousands
   * ("¥12.5k"). Languages that count in units of 10,000 translate it
   * with that unit (万 / 萬), and amounts are then divided by 10,000. */
  const char *small_unit = C_("amount unit", "k");
  gboolean myriads = !g_str_equal (small_unit, "k");

  if (myriads && units >= 100000000.0)
    /* Translators: the unit for 100,000,000 in short amounts (亿 / 億);
     * only used when the "k" unit is translated as 10,000 */
    return g_strdup_printf ("%s%.1f%s", symbol, units / 100000000.0, C_("amount unit", "hundred million"));
  if (myriads && units >= 10000.0)
    return g_strdup_printf ("%s%.1f%s", symbol, units / 10000.0, small_unit);
  if (!myriads && units >= 1000000.0)
    /* Translators: the unit for millions in short amounts ("¥1.2M") */
    return g_strdup_printf ("%s%.1f%s", symbol, units / 1000000.0, C_("amount unit", "M"));
  if (!myriads && units >= 1000.0)
    return g_strdup_printf ("%s%.1f%s", symbol, units / 1000.0, small_unit);
  return g_strdup_printf ("%s%.0f", symbol, units);
}

static GDateTime *
local_time (gint64     ms,
            GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);

  return tz ? g_date_time_to_timezone (utc, tz) : g_date_time_to_local (utc);
}

/* "Nov 27, 2026" / "2026年11月27日"; "" for no date. Not %x: in English
 * locales it gives "11/27/26", which teams in other countries misread. */
char *
lk_format_date (gint64     ms,
                GTimeZone *tz)
{
  g_autoptr(GDateTime) dt = NULL;

  if (ms == 0)
    return g_strdup ("");
  dt = local_time (ms, tz);
  /* Translators: a date, strftime format ("Nov 27, 2026"); use your
   * language's usual long date: "%Y年%-m月%-d日" */
  return g_date_time_format (dt, C_("date format", "%b %-d, %Y"));
}

/* Without the year when it is this year ("Nov 27" / "11月27日"), for cards. */
char *
lk_format_date_short (gint64     ms,
                      GTimeZone *tz)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (ms == 0)
    return g_strdup ("");
  dt = local_time (ms, tz);
  now = tz ? g_date_time_new_now (tz) : g_date_time_new_now_local ();
  if (g_date_time_get_year (dt) != g_date_time_get_year (now))
    return lk_format_date (ms, tz);
  /* Translators: a date in this year, strftime format ("Nov 27"); in
   * Chinese "%-m月%-d日" */
  return g_date_time_format (dt, C_("date format", "%b %-d"));
}

char *
lk_format_date_time (gint64     ms,
                     GTimeZone *tz)
{
  g_autoptr(GDateTime) dt = NULL;

  if (ms == 0)
    return g_strdup ("");
  dt = local_time (ms, tz);
  /* Translators: a date and time, strftime format ("Nov 27, 2026 14:30");
   * in Chinese "%Y年%-m月%-d日 %H:%M" */
  return g_date_time_format (dt, C_("date time format", "%b %-d, %Y %H:%M"));
}

/* The time of day ("14:30"), for things that happened today: "synced at
 * 14:30". */
char *
lk_format_time (gint64     ms,
                GTimeZone *tz)
{
  g_autoptr(GDateTime) dt = NULL;

  if (ms == 0)
    return g_strdup ("");
  dt = local_time (ms, tz);
  /* Translators: a time of day, strftime format ("14:30") */
  return g_date_time_format (dt, C_("time format", "%H:%M"));
}
