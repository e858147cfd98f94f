/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char       *lk_format_money          (gint64      minor_units,
                                      const char *currency);
char       *lk_format_money_short    (gint64      minor_units,
                                      const char *currency);
const char *lk_currency_symbol       (const char *currency);
const char *lk_currency_name         (const char *currency);
const char * const *
            lk_currency_codes        (void);
const char *lk_format_currency_for_locale
                                     (const char *locale);
const char *lk_format_locale_currency (void);
char       *lk_format_count          (gint64      count);
char       *lk_format_date           (gint64      ms,
                                      GTimeZone  *tz);
char       *lk_format_date_short     (gint64      ms,
                                      GTimeZone  *tz);
char       *lk_format_date_time      (gint64      ms,
                                      GTimeZone  *tz);
char       *lk_format_time           (gint64      ms,
                                      GTimeZone  *tz);

G_END_DECLS
