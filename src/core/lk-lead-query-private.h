/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-lead-query.h"
#include "lk-pipeline.h"

G_BEGIN_DECLS

/* What the store needs to run a query: a WHERE clause made only of fixed
 * SQL text with '?' placeholders, the values to bind to them in order
 * (GVariant strings and int64s), and an ORDER BY made of fixed text. */
typedef struct
{
  GString    *where;
  GPtrArray  *binds;        /* for the WHERE clause */
  const char *order_by;
  GPtrArray  *order_binds;  /* for the ORDER BY, bound after the WHERE's */
} LkQuerySql;

void lk_lead_query_build_sql (LkLeadQuery *self,
                              LkPipeline  *pipeline,
                              gint64       start_of_today_ms,
                              gint64       start_of_tomorrow_ms,
                              gboolean     with_stage,
                              LkQuerySql  *out);
void lk_lead_query_build_search_sql (LkLeadQuery *self,
                                     LkQuerySql  *out);
void lk_query_sql_clear      (LkQuerySql  *sql);


G_END_DECLS
