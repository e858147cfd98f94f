/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "lk-lead.h"
#include "lk-vocabulary.h"

G_BEGIN_DECLS

/* Lead scoring (settings:scoring): points for profile fit, behaviour
 * events and BANT answers; thresholds make a lead hot, warm or cold and
 * mark it MQL or SQL. While scoring is off (the default until a team
 * turns it on) score, temperature and the flags are typed by hand. */

typedef enum
{
  LK_SCORE_EQUALS,    /* the field is the value (case-insensitive) */
  LK_SCORE_CONTAINS,  /* the field contains the value */
  LK_SCORE_ONE_OF,    /* the field is one of the values */
} LkScoreOp;

typedef struct
{
  char       *field;   /* a lead text field ("industry", "title", "tags", …) */
  LkScoreOp   op;
  char      **values;  /* one for equals and contains */
  int         points;  /* may be negative */
  char       *label;   /* "" or what the explanation says instead */
} LkScoreRule;

typedef struct
{
  char  *type;       /* the event type, as activities record it: "pricing_page" */
  char  *name;       /* "" for the built-in translated name */
  int    points;     /* for each time … */
  guint  max_count;  /* … up to this many times; 0 for no limit */
} LkScoreEvent;

typedef enum
{
  LK_SCORE_REASON_PROFILE,
  LK_SCORE_REASON_EVENT,
  LK_SCORE_REASON_BANT,
} LkScoreReasonKind;

/* One rule that contributed to a score, for the editor's explanation. */
typedef struct
{
  LkScoreReasonKind  kind;
  char              *description;  /* translated */
  int                points;
} LkScoreReason;

typedef struct
{
  gint64      score;
  char       *temperature;  /* hot, warm, cold; %NULL when no threshold sets it */
  gboolean    mql;
  gboolean    sql;
  guint       has_mql : 1;  /* whether a threshold decides the flag */
  guint       has_sql : 1;
  GPtrArray  *reasons;      /* LkScoreReason, in rule order */
} LkScoreResult;

void lk_score_result_free (LkScoreResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkScoreResult, lk_score_result_free)

#define LK_TYPE_SCORING (lk_scoring_get_type ())
G_DECLARE_FINAL_TYPE (LkScoring, lk_scoring, LK, SCORING, GObject)

LkScoring          *lk_scoring_new_default       (void);
LkScoring          *lk_scoring_new_from_json     (JsonObject   *object,
                                                  GError      **error);
JsonObject         *lk_scoring_to_json           (LkScoring    *self);
LkScoring          *lk_scoring_copy              (LkScoring    *self);

gboolean            lk_scoring_get_enabled       (LkScoring    *self);
void                lk_scoring_set_enabled       (LkScoring    *self,
                                                  gboolean      enabled);
GPtrArray          *lk_scoring_get_profile_rules (LkScoring    *self);
GPtrArray          *lk_scoring_get_events        (LkScoring    *self);
const LkScoreEvent *lk_scoring_find_event        (LkScoring    *self,
                                                  const char   *type);
int                 lk_scoring_get_bant_points   (LkScoring    *self,
                                                  LkLeadField   bant_field);
gboolean            lk_scoring_get_threshold     (LkScoring    *self,
                                                  const char   *name,
                                                  gint64       *points);

/* @event_counts: (element-type utf8 guint) (nullable): how many times the
 * lead had each event type (GUINT_TO_POINTER) */
LkScoreResult      *lk_scoring_compute           (LkScoring    *self,
                                                  LkLead       *lead,
                                                  GHashTable   *event_counts);
gboolean            lk_scoring_apply             (LkScoring    *self,
                                                  LkLead       *lead,
                                                  GHashTable   *event_counts);

const LkTerm       *lk_scoring_builtin_events    (guint        *n_terms);
const char         *lk_scoring_event_name        (LkScoring    *self,
                                                  const char   *type);
gboolean            lk_scoring_field_supported   (const char   *field);
const char         *lk_scoring_profile_field     (guint         index,
                                                  const char  **label);

G_END_DECLS
