/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  LK_LEAD_SORT_URGENCY,   /* overdue first, then by next follow-up; nothing planned last */
  LK_LEAD_SORT_AMOUNT,    /* largest first */
  LK_LEAD_SORT_UPDATED,   /* most recently updated first */
  LK_LEAD_SORT_CREATED,   /* newest first */
  LK_LEAD_SORT_COMPANY,   /* A to Z */
  LK_LEAD_SORT_CONTACT,   /* A to Z */
  LK_LEAD_SORT_CODE,
  LK_LEAD_SORT_STAGE,     /* pipeline order */
  LK_LEAD_SORT_GRADE,     /* A first */
  LK_LEAD_SORT_OWNER,
  LK_LEAD_SORT_SCORE,     /* highest first */
  LK_LEAD_SORT_LAST_CONTACTED, /* most recent first */
  LK_LEAD_SORT_SOURCE,
} LkLeadSort;

GType lk_lead_sort_get_type (void);
#define LK_TYPE_LEAD_SORT (lk_lead_sort_get_type ())

/* The buckets of the Follow-ups view, by the next follow-up's local day.
 * Every bucket but ANY holds open leads only (not Won or Lost). */
typedef enum
{
  LK_LEAD_DUE_ANY,
  LK_LEAD_DUE_OVERDUE,   /* before today */
  LK_LEAD_DUE_TODAY,
  LK_LEAD_DUE_UPCOMING,  /* tomorrow or later */
  LK_LEAD_DUE_NONE,      /* no next step planned */
} LkLeadDue;

GType lk_lead_due_get_type (void);
#define LK_TYPE_LEAD_DUE (lk_lead_due_get_type ())

#define LK_TYPE_LEAD_QUERY (lk_lead_query_get_type ())
G_DECLARE_FINAL_TYPE (LkLeadQuery, lk_lead_query, LK, LEAD_QUERY, GObject)

LkLeadQuery *lk_lead_query_new             (void);
LkLeadQuery *lk_lead_query_copy            (LkLeadQuery *self);
gboolean     lk_lead_query_equal           (LkLeadQuery *a,
                                            LkLeadQuery *b);

const char  *lk_lead_query_get_stage       (LkLeadQuery *self);
void         lk_lead_query_set_stage       (LkLeadQuery *self,
                                            const char  *stage);
const char  *lk_lead_query_get_owner       (LkLeadQuery *self);
void         lk_lead_query_set_owner       (LkLeadQuery *self,
                                            const char  *owner);
gboolean     lk_lead_query_get_pool        (LkLeadQuery *self);
void         lk_lead_query_set_pool        (LkLeadQuery *self,
                                            gboolean     pool);
const char  *lk_lead_query_get_source      (LkLeadQuery *self);
void         lk_lead_query_set_source      (LkLeadQuery *self,
                                            const char  *source);
const char  *lk_lead_query_get_grade       (LkLeadQuery *self);
void         lk_lead_query_set_grade       (LkLeadQuery *self,
                                            const char  *grade);
const char  *lk_lead_query_get_temperature (LkLeadQuery *self);
void         lk_lead_query_set_temperature (LkLeadQuery *self,
                                            const char  *temperature);
const char  *lk_lead_query_get_tag         (LkLeadQuery *self);
void         lk_lead_query_set_tag         (LkLeadQuery *self,
                                            const char  *tag);
gboolean     lk_lead_query_get_overdue     (LkLeadQuery *self);
void         lk_lead_query_set_overdue     (LkLeadQuery *self,
                                            gboolean     overdue);
const char  *lk_lead_query_get_search      (LkLeadQuery *self);
void         lk_lead_query_set_search      (LkLeadQuery *self,
                                            const char  *search);
LkLeadDue    lk_lead_query_get_due         (LkLeadQuery *self);
void         lk_lead_query_set_due         (LkLeadQuery *self,
                                            LkLeadDue    due);
LkLeadSort   lk_lead_query_get_sort        (LkLeadQuery *self);
void         lk_lead_query_set_sort        (LkLeadQuery *self,
                                            LkLeadSort   sort);
gboolean     lk_lead_query_get_reversed    (LkLeadQuery *self);
void         lk_lead_query_set_reversed    (LkLeadQuery *self,
                                            gboolean     reversed);

G_END_DECLS
