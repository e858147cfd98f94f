/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "lk-context.h"

G_BEGIN_DECLS

/* Assign and Claim (issue 5) as the "assign" action group a window
 * inserts; any widget in it asks with gtk_widget_activate_action():
 *   assign.claim   (as)   this desktop's user claims the pool leads
 *   assign.to      (sas)  gives the leads to a member ("" to the pool)
 *   assign.choose  (as)   asks how: by the rules (with a preview of what
 *                         they would do), a member or the pool
 * assign.to and assign.choose are for managers: they are disabled while
 * this desktop's user is a rep of the team. What happened is said with
 * ::message (the window shows it as a toast). */

#define LK_TYPE_ASSIGN_ACTIONS (lk_assign_actions_get_type ())
G_DECLARE_FINAL_TYPE (LkAssignActions, lk_assign_actions, LK, ASSIGN_ACTIONS, GObject)

LkAssignActions *lk_assign_actions_new         (LkContext       *context,
                                                GtkWindow       *window);
GActionGroup    *lk_assign_actions_get_group   (LkAssignActions *self);
gboolean         lk_assign_actions_is_manager  (LkAssignActions *self);

/* The lead menu's section: Claim (a pool lead), Assign… */
GMenuModel      *lk_assign_actions_lead_menu   (const char      *lead_id,
                                                gboolean         in_pool);

/* What the assign.choose dialog would do by the rules, as it says it:
 * "3 of 4 leads get an owner …" */
char            *lk_assign_actions_preview     (LkAssignActions *self,
                                                const char * const *lead_ids,
                                                GError         **error);
gboolean         lk_assign_actions_claim       (LkAssignActions *self,
                                                const char * const *lead_ids);
gboolean         lk_assign_actions_assign_by_rules (LkAssignActions *self,
                                                const char * const *lead_ids);
gboolean         lk_assign_actions_assign_to   (LkAssignActions *self,
                                                const char      *member_id,
                                                const char * const *lead_ids);

G_END_DECLS
