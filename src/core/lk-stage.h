/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  LK_STAGE_KIND_OPEN,
  LK_STAGE_KIND_WON,
  LK_STAGE_KIND_LOST,
} LkStageKind;

#define LK_TYPE_STAGE (lk_stage_get_type ())
G_DECLARE_FINAL_TYPE (LkStage, lk_stage, LK, STAGE, GObject)

LkStage     *lk_stage_new             (const char  *id,
                                       const char  *name,
                                       LkStageKind  kind,
                                       const char  *color,
                                       guint        probability,
                                       guint        days_to_rot);
const char  *lk_stage_get_id          (LkStage     *self);
const char  *lk_stage_get_name        (LkStage     *self);
const char  *lk_stage_get_color       (LkStage     *self);
guint        lk_stage_get_probability (LkStage     *self);
guint        lk_stage_get_days_to_rot (LkStage     *self);
LkStageKind  lk_stage_get_kind        (LkStage     *self);
gboolean     lk_stage_is_terminal     (LkStage     *self);

G_END_DECLS
