/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-assignment.h"
#include "lk-cadence.h"
#include "lk-pool.h"
#include "lk-scoring.h"
#include "lk-store.h"

G_BEGIN_DECLS

/* The rules the store runs (issue 5), kept in settings documents that
 * sync: settings:cadence, settings:scoring, settings:assignment,
 * settings:pool. A missing document means the defaults; a malformed one
 * is an error naming what is wrong, and the rules it holds do not run
 * until it is fixed (nothing is guessed from a broken document).
 *
 * The getters return the store's shared copy, read once and again after
 * any change to the settings (here or by sync): treat it as read-only.
 * To change the rules, take a copy (lk_cadence_copy() …), edit it and
 * save it with the setter, or save a whole document with
 * lk_store_set_rules_json(), which checks it first.
 *
 * What the store does with them on every local write of a lead, in the
 * same transaction (never for documents arriving from sync, nor for the
 * bulk lk_store_put_records()):
 *   - entering a stage with a trigger creates its task (settings:cadence)
 *     and brings the next follow-up forward to the task's day;
 *   - the score, temperature, MQL and SQL are computed when scoring is on;
 *   - an owner change is logged as an activity of kind "assignment", and
 *     takes the lead out of the pool's "unclaimed" flag;
 *   - a new lead without an owner is assigned by the rules when automatic
 *     assignment is on. */

#define LK_RULES_CADENCE    "cadence"
#define LK_RULES_SCORING    "scoring"
#define LK_RULES_ASSIGNMENT "assignment"
#define LK_RULES_POOL       "pool"

LkCadence     *lk_store_get_cadence     (LkStore      *self,
                                         GError      **error);
LkScoring     *lk_store_get_scoring     (LkStore      *self,
                                         GError      **error);
LkAssignment  *lk_store_get_assignment  (LkStore      *self,
                                         GError      **error);
LkPool        *lk_store_get_pool        (LkStore      *self,
                                         GError      **error);
gboolean       lk_store_set_cadence     (LkStore      *self,
                                         LkCadence    *cadence,
                                         GError      **error);
gboolean       lk_store_set_scoring     (LkStore      *self,
                                         LkScoring    *scoring,
                                         GError      **error);
gboolean       lk_store_set_assignment  (LkStore      *self,
                                         LkAssignment *assignment,
                                         GError      **error);
gboolean       lk_store_set_pool        (LkStore      *self,
                                         LkPool       *pool,
                                         GError      **error);
gboolean       lk_store_set_rules_json  (LkStore      *self,
                                         const char   *name,
                                         const char   *json,
                                         GError      **error);
gboolean       lk_store_check_rules     (LkStore      *self,
                                         const char   *name,
                                         GError      **error);

/* Scoring */
GHashTable    *lk_store_count_events    (LkStore      *self,
                                         const char   *lead_id,
                                         GError      **error);
LkScoreResult *lk_store_explain_score   (LkStore      *self,
                                         LkLead       *lead,
                                         GError      **error);
gboolean       lk_store_rescore_leads   (LkStore      *self,
                                         const char * const *lead_ids,
                                         guint        *n_changed,
                                         GError      **error);

G_END_DECLS
