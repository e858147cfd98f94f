/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-store.h"

G_BEGIN_DECLS

/* Follow-ups (seed template 2), behaviour events and tasks: each is an
 * activity document written in one transaction with what it changes on
 * its lead. lk-activity.h lists the fields of each kind. */

gboolean    lk_store_log_followup       (LkStore      *self,
                                         LkActivity   *followup,
                                         gboolean     *too_often,
                                         GError      **error);
gboolean    lk_store_check_too_often    (LkStore      *self,
                                         const char   *lead_id,
                                         const char   *grade,
                                         gint64        at_ms,
                                         gboolean     *too_often,
                                         GError      **error);
LkActivity *lk_store_log_event          (LkStore      *self,
                                         const char   *lead_id,
                                         const char   *event_type,
                                         gint64        at_ms,
                                         GError      **error);
LkActivity *lk_store_add_task           (LkStore      *self,
                                         const char   *lead_id,
                                         const char   *title,
                                         gint64        due_ms,
                                         GError      **error);
gboolean    lk_store_set_task_done      (LkStore      *self,
                                         const char   *task_id,
                                         gboolean      done,
                                         GError      **error);
GPtrArray  *lk_store_list_open_tasks    (LkStore      *self,
                                         const char   *owner,
                                         const char   *lead_id,
                                         gint64        due_before_ms,
                                         guint         limit,
                                         GError      **error);

GPtrArray  *lk_store_list_assignments   (LkStore      *self,
                                         const char   *owner_to,
                                         gint64        since_ms,
                                         GError      **error);

/* The agenda: the Follow-ups view's buckets. A view shows each bucket as
 * an LkLeadList over lk_agenda_query_new(); these count them and read
 * the first leads of one. @owner: a user id, or %NULL for the team. */
typedef struct
{
  gint64 overdue;
  gint64 today;
  gint64 upcoming;
  gint64 none;   /* open leads with no next step */
} LkAgendaCounts;

LkLeadQuery *lk_agenda_query_new        (const char     *owner,
                                         LkLeadDue       due);
gboolean     lk_store_count_agenda      (LkStore        *self,
                                         const char     *owner,
                                         LkAgendaCounts *counts,
                                         GError        **error);
GPtrArray   *lk_store_agenda_leads      (LkStore        *self,
                                         const char     *owner,
                                         LkLeadDue       due,
                                         guint           limit,
                                         GError        **error);

G_END_DECLS
