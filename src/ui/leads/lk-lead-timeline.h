/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-context.h"

G_BEGIN_DECLS

#define LK_TYPE_LEAD_TIMELINE (lk_lead_timeline_get_type ())
G_DECLARE_FINAL_TYPE (LkLeadTimeline, lk_lead_timeline, LK, LEAD_TIMELINE, AdwBin)

GtkWidget *lk_lead_timeline_new                  (void);
void       lk_lead_timeline_load                 (LkLeadTimeline *self,
                                                  LkContext      *context,
                                                  LkLead         *lead);
guint      lk_lead_timeline_get_n_stage_changes  (LkLeadTimeline *self);
guint      lk_lead_timeline_get_n_activities     (LkLeadTimeline *self);
char      *lk_lead_timeline_user_name            (GHashTable     *users,
                                                  const char     *user_id);

G_END_DECLS
