/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lk-context.h"
#include "lk-sync-client.h"

G_BEGIN_DECLS

/* Tells this desktop's user what sync brought about their leads:
 *   - leads someone else assigned to them (a manager, the rules on
 *     another desktop): ::notification with a GNotification;
 *   - pool claims they lost to a colleague who synced first (the owner
 *     came back as a conflict in the merge): ::message, for a toast.
 * Signals:
 *   ::notification (const char *id, GNotification *notification)
 *   ::message (const char *text) */

#define LK_TYPE_ASSIGN_NOTIFIER (lk_assign_notifier_get_type ())
G_DECLARE_FINAL_TYPE (LkAssignNotifier, lk_assign_notifier, LK, ASSIGN_NOTIFIER, GObject)

LkAssignNotifier *lk_assign_notifier_new          (LkContext        *context,
                                                   LkSyncClient     *client);
/* Each looks at once, as the signals do; returns how many it told about. */
guint             lk_assign_notifier_check_assigned   (LkAssignNotifier *self);
guint             lk_assign_notifier_check_lost_claims (LkAssignNotifier *self);

G_END_DECLS
