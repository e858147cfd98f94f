/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-context.h"
#include "lk-report.h"

G_BEGIN_DECLS

#define LK_TYPE_DASHBOARD_VIEW (lk_dashboard_view_get_type ())
G_DECLARE_FINAL_TYPE (LkDashboardView, lk_dashboard_view, LK, DASHBOARD_VIEW, AdwBin)

LkDashboardView *lk_dashboard_view_new           (LkContext       *context);
LkReport        *lk_dashboard_view_get_report    (LkDashboardView *self);
gboolean         lk_dashboard_view_get_computing (LkDashboardView *self);
void             lk_dashboard_view_refresh       (LkDashboardView *self);
void             lk_dashboard_view_set_period    (LkDashboardView *self,
                                                  guint            period);
void             lk_dashboard_view_set_custom    (LkDashboardView *self,
                                                  const char      *from_date,
                                                  const char      *to_date);
GtkWidget       *lk_dashboard_view_get_card      (LkDashboardView *self,
                                                  LkReportTableKind kind);

G_END_DECLS
