/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "lk-stage.h"

G_BEGIN_DECLS

#define LK_TYPE_PIPELINE (lk_pipeline_get_type ())
G_DECLARE_FINAL_TYPE (LkPipeline, lk_pipeline, LK, PIPELINE, GObject)

LkPipeline  *lk_pipeline_new_default     (void);
LkPipeline  *lk_pipeline_new_from_json   (JsonObject  *object,
                                          GError     **error);
JsonObject  *lk_pipeline_to_json         (LkPipeline  *self);

LkStage     *lk_pipeline_lookup          (LkPipeline  *self,
                                          const char  *stage_id);
int          lk_pipeline_get_position    (LkPipeline  *self,
                                          const char  *stage_id);
LkStage     *lk_pipeline_get_neighbour   (LkPipeline  *self,
                                          const char  *stage_id,
                                          int          direction);
char        *lk_pipeline_describe_ids    (LkPipeline  *self);
const char  *lk_pipeline_get_won_id      (LkPipeline  *self);
const char  *lk_pipeline_get_lost_id     (LkPipeline  *self);

gboolean     lk_pipeline_check_move      (LkPipeline  *self,
                                          const char  *from,
                                          const char  *to,
                                          const char  *reason,
                                          gboolean    *reopen,
                                          GError     **error);

const char * const *lk_pipeline_get_lost_reasons (void);
const char  *lk_pipeline_translate_reason (const char *reason);

G_END_DECLS
