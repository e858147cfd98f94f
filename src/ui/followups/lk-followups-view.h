/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-context.h"
#include "lk-lead-query.h"

G_BEGIN_DECLS

#define LK_TYPE_FOLLOWUPS_VIEW (lk_followups_view_get_type ())
G_DECLARE_FINAL_TYPE (LkFollowupsView, lk_followups_view, LK, FOLLOWUPS_VIEW, AdwBin)

LkFollowupsView *lk_followups_view_new        (LkContext       *context);
gboolean         lk_followups_view_get_team   (LkFollowupsView *self);
void             lk_followups_view_set_team   (LkFollowupsView *self,
                                               gboolean         team);
gint64           lk_followups_view_get_count  (LkFollowupsView *self,
                                               LkLeadDue        due);
GListModel      *lk_followups_view_get_leads  (LkFollowupsView *self,
                                               LkLeadDue        due);
GtkWidget       *lk_followups_view_get_row    (LkFollowupsView *self,
                                               LkLeadDue        due,
                                               guint            position);
gboolean         lk_followups_view_reschedule (LkFollowupsView *self,
                                               const char      *lead_id,
                                               const char      *date,
                                               GError         **error);
void             lk_followups_view_reload     (LkFollowupsView *self);

G_END_DECLS
