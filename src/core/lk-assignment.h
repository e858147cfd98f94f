/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "lk-store.h"

G_BEGIN_DECLS

/* Who gets a lead (settings:assignment): ordered rules, the first whose
 * conditions match a lead and that has someone to take it wins. */

typedef enum
{
  LK_ASSIGN_ROUND_ROBIN,  /* in turn, fair across runs */
  LK_ASSIGN_FEWEST_OPEN,  /* whoever has the fewest open leads */
  LK_ASSIGN_CAPACITY,     /* the lowest share of their capacity */
} LkAssignStrategy;

typedef struct
{
  char              *id;
  char              *name;
  /* Conditions on the lead; each empty list accepts any value */
  char             **regions;
  char             **industries;
  char             **sources;
  char             **grades;
  char             **temperatures;
  /* Who may take it: these members (%NULL: every member whose role is
   * rep), narrowed to those covering the lead's region or industry */
  char             **members;
  gboolean           match_region;
  gboolean           match_industry;
  LkAssignStrategy   strategy;
} LkAssignRule;

/* What an assignment run did, or would do, to one lead. */
typedef struct
{
  char *lead_id;
  char *lead_name;
  char *from_owner;  /* nullable */
  char *to_owner;    /* nullable: nobody could take it */
  char *rule_id;     /* nullable */
  char *rule_name;
  char *problem;     /* translated: why it stays where it is; %NULL when assigned */
} LkAssignResult;

void lk_assign_result_free (LkAssignResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkAssignResult, lk_assign_result_free)

#define LK_TYPE_ASSIGNMENT (lk_assignment_get_type ())
G_DECLARE_FINAL_TYPE (LkAssignment, lk_assignment, LK, ASSIGNMENT, GObject)

LkAssignment       *lk_assignment_new_default        (void);
LkAssignment       *lk_assignment_new_from_json      (JsonObject    *object,
                                                      GError       **error);
JsonObject         *lk_assignment_to_json            (LkAssignment  *self);
LkAssignment       *lk_assignment_copy               (LkAssignment  *self);

GPtrArray          *lk_assignment_get_rules          (LkAssignment  *self);
gboolean            lk_assignment_get_auto_assign    (LkAssignment  *self);
void                lk_assignment_set_auto_assign    (LkAssignment  *self,
                                                      gboolean       enabled);
gboolean            lk_assignment_get_senior_only_a  (LkAssignment  *self);
void                lk_assignment_set_senior_only_a  (LkAssignment  *self,
                                                      gboolean       enabled);
const char         *lk_assignment_get_assigned_stage (LkAssignment  *self);
const char         *lk_assignment_strategy_name      (LkAssignStrategy strategy);
const char         *lk_assign_rule_get_name          (const LkAssignRule *rule);

/* lk-assignment-run.c */
GPtrArray          *lk_assignment_run                (LkAssignment  *self,
                                                      LkStore       *store,
                                                      const char * const *lead_ids,
                                                      gboolean       dry_run,
                                                      GError       **error);
char               *lk_assignment_pick_for_lead      (LkAssignment  *self,
                                                      LkStore       *store,
                                                      LkLead        *lead,
                                                      const LkAssignRule **rule,
                                                      GError       **error);
gint64              lk_assignment_count_open         (LkStore       *store,
                                                      const char    *user_id,
                                                      GError       **error);
gboolean            lk_assignment_move_to_assigned   (LkAssignment  *self,
                                                      LkPipeline    *pipeline,
                                                      LkLead        *lead);

G_END_DECLS
