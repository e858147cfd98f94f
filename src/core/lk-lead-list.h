/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lk-lead-query.h"
#include "lk-store.h"

G_BEGIN_DECLS

#define LK_TYPE_LEAD_LIST (lk_lead_list_get_type ())
G_DECLARE_FINAL_TYPE (LkLeadList, lk_lead_list, LK, LEAD_LIST, GObject)

LkLeadList  *lk_lead_list_new          (LkStore     *store,
                                        LkLeadQuery *query);
LkLeadQuery *lk_lead_list_get_query    (LkLeadList  *self);
LkStore     *lk_lead_list_get_store    (LkLeadList  *self);
guint        lk_lead_list_get_n_loaded (LkLeadList  *self);
int          lk_lead_list_find         (LkLeadList  *self,
                                        gint64       rowid);
void         lk_lead_list_refresh      (LkLeadList  *self);
guint        lk_lead_list_get_limit    (LkLeadList  *self);
void         lk_lead_list_set_limit    (LkLeadList  *self,
                                        guint        limit);
gboolean     lk_lead_list_get_complete (LkLeadList  *self);
int          lk_lead_list_reveal       (LkLeadList  *self,
                                        gint64       rowid);

G_END_DECLS
