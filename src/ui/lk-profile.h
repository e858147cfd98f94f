/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

gboolean lk_profile_enabled     (void);
void     lk_profile_after_paint (GtkWidget  *widget,
                                 const char *what,
                                 gint64      started_us);

void     lk_profile_log         (const char *what,
                                 gint64      started_us);

G_END_DECLS
