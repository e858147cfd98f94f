/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-clock.h"
#include "lk-pipeline.h"
#include "lk-store.h"

G_BEGIN_DECLS

#define LK_TYPE_CONTEXT (lk_context_get_type ())
G_DECLARE_FINAL_TYPE (LkContext, lk_context, LK, CONTEXT, GObject)

LkContext  *lk_context_new             (const char  *db_path,
                                        LkClock     *clock,
                                        GError     **error);
LkContext  *lk_context_new_for_window  (const char  *db_path,
                                        LkClock     *clock,
                                        GError     **error);
char       *lk_context_default_db_path (void);
LkStore    *lk_context_get_store       (LkContext   *self);
LkClock    *lk_context_get_clock       (LkContext   *self);
LkPipeline *lk_context_get_pipeline    (LkContext   *self);
const char *lk_context_get_user_id     (LkContext   *self);
gboolean    lk_context_set_user_id     (LkContext   *self,
                                        const char  *user_id,
                                        GError     **error);
gboolean    lk_context_is_first_start  (LkContext   *self);
gboolean    lk_context_mark_started    (LkContext   *self,
                                        GError     **error);

G_END_DECLS
