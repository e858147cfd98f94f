/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-context.h"
#include "lk-stage-column.h"

G_BEGIN_DECLS

#define LK_TYPE_BOARD (lk_board_get_type ())
G_DECLARE_FINAL_TYPE (LkBoard, lk_board, LK, BOARD, AdwBin)

LkBoard       *lk_board_new             (LkContext   *context,
                                         LkLeadQuery *filter);
LkStageColumn *lk_board_get_column      (LkBoard     *self,
                                         const char  *stage_id);
void           lk_board_set_sort        (LkBoard     *self,
                                         LkLeadSort   sort);
void           lk_board_set_lost_collapsed (LkBoard  *self,
                                         gboolean     collapsed);
void           lk_board_drop_lead       (LkBoard     *self,
                                         LkLead      *lead,
                                         const char  *stage_id);
void           lk_board_request_move    (LkBoard     *self,
                                         const char  *lead_id,
                                         const char  *stage_id);
gboolean       lk_board_move_lead       (LkBoard     *self,
                                         const char  *lead_id,
                                         const char  *stage_id,
                                         const char  *reason,
                                         gint64       won_amount,
                                         GError     **error);
gboolean       lk_board_move_focused    (LkBoard     *self,
                                         int          direction);
gboolean       lk_board_undo            (LkBoard     *self);
GtkWindow     *lk_board_get_dialog      (LkBoard     *self);
gint64         lk_board_get_count       (LkBoard     *self);
AdwToast      *lk_board_get_last_toast  (LkBoard     *self);
gboolean       lk_board_focus_lead      (LkBoard     *self,
                                         const char  *lead_id);

gboolean       lk_board_get_totals_pending (LkBoard     *self);

G_END_DECLS
