/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-context.h"

G_BEGIN_DECLS

typedef enum
{
  LK_SCOPE_MINE,
  LK_SCOPE_ALL,
  LK_SCOPE_POOL,
} LkScope;

#define LK_TYPE_FILTER_BAR (lk_filter_bar_get_type ())
G_DECLARE_FINAL_TYPE (LkFilterBar, lk_filter_bar, LK, FILTER_BAR, GtkBox)

LkFilterBar *lk_filter_bar_new           (LkContext   *context,
                                          LkLeadQuery *filter);
void         lk_filter_bar_set_scope     (LkFilterBar *self,
                                          LkScope      scope);
LkScope      lk_filter_bar_get_scope     (LkFilterBar *self);
void         lk_filter_bar_reload        (LkFilterBar *self);
gboolean     lk_filter_bar_get_tags_pending (LkFilterBar *self);
void         lk_filter_bar_clear         (LkFilterBar *self);
GtkWidget   *lk_filter_bar_get_end_box   (LkFilterBar *self);

G_END_DECLS
