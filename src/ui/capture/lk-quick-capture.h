/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-context.h"

G_BEGIN_DECLS

#define LK_TYPE_QUICK_CAPTURE (lk_quick_capture_get_type ())
G_DECLARE_FINAL_TYPE (LkQuickCapture, lk_quick_capture, LK, QUICK_CAPTURE, AdwWindow)

LkQuickCapture *lk_quick_capture_new         (LkContext      *context,
                                              GSettings      *settings);
gint64          lk_quick_capture_get_count   (LkQuickCapture *self);
gboolean        lk_quick_capture_save        (LkQuickCapture *self);
const char     *lk_quick_capture_get_error   (LkQuickCapture *self);

G_END_DECLS
