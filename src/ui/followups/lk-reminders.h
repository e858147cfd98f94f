/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lk-context.h"

G_BEGIN_DECLS

#define LK_TYPE_REMINDERS (lk_reminders_get_type ())
G_DECLARE_FINAL_TYPE (LkReminders, lk_reminders, LK, REMINDERS, GObject)

LkReminders *lk_reminders_new          (LkContext    *context,
                                        GApplication *application);
void         lk_reminders_start        (LkReminders  *self);
gint64       lk_reminders_get_next_due (LkReminders  *self);
guint        lk_reminders_check        (LkReminders  *self);
void         lk_reminders_rearm        (LkReminders  *self);

G_END_DECLS
