/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LK_TYPE_DATE_ROW (lk_date_row_get_type ())
G_DECLARE_FINAL_TYPE (LkDateRow, lk_date_row, LK, DATE_ROW, AdwEntryRow)

GtkWidget *lk_date_row_new          (void);
gint64     lk_date_row_get_value    (LkDateRow  *self);
void       lk_date_row_set_value    (LkDateRow  *self,
                                     gint64      value);
gboolean   lk_date_row_get_valid    (LkDateRow  *self);
void       lk_date_row_set_timezone (LkDateRow  *self,
                                     GTimeZone  *tz);
gboolean   lk_date_row_parse        (const char *text,
                                     GDate      *date);

G_END_DECLS
