/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "lk-lead.h"
#include "lk-pipeline.h"

G_BEGIN_DECLS

/* What the cells of the leads table need to show a lead. */
typedef struct
{
  LkPipeline *pipeline;  /* stage names */
  GHashTable *users;     /* user id → LkUser: owner names */
  GTimeZone  *tz;        /* dates are shown in local time */
  gint64      today;     /* start of today, Unix ms: earlier follow-ups are overdue */
  char       *currency;  /* the team's: for the amounts of leads without one */
} LkTableEnv;

typedef enum
{
  LK_CELL_TEXT,
  LK_CELL_NUMBER,  /* right-aligned, tabular figures */
  LK_CELL_DATE,    /* as wide as a date in the user's language */
  LK_CELL_STAGE,   /* a coloured dot and the stage name */
  LK_CELL_GRADE,   /* a badge */
} LkCellKind;

typedef struct _LkTableColumn LkTableColumn;

typedef void (*LkCellBindFunc) (GtkWidget          *cell,
                                LkLead             *lead,
                                const LkTableEnv   *env);

typedef gboolean (*LkCellTooltipFunc) (GtkWidget  *cell,
                                       int         x,
                                       int         y,
                                       gboolean    keyboard,
                                       GtkTooltip *tooltip,
                                       gpointer    user_data);

/* One column of the leads table. @sort is an LkLeadSort, or -1 when the
 * database cannot order by it. @sort_descending: the sort's own order is
 * largest/newest first, so an ascending header is the reversed sort.
 * @chars: the width of its cells in average characters. */
struct _LkTableColumn
{
  const char        *id;
  const char        *title;
  int                sort;
  gboolean           sort_descending;
  LkCellKind         kind;
  int                chars;
  gboolean           expand;
  gboolean           visible;        /* by default */
  LkCellBindFunc     bind;
  LkCellTooltipFunc  query_tooltip;  /* a cell's GtkWidget::query-tooltip, or NULL */
};

const LkTableColumn *lk_table_columns          (guint               *n_columns);
const LkTableColumn *lk_table_column_find      (const char          *id);
const char          *lk_table_column_get_title (const LkTableColumn *column);
GtkWidget           *lk_table_cell_new         (const LkTableColumn *column);
void                 lk_table_cell_bind        (const LkTableColumn *column,
                                                GtkWidget           *cell,
                                                LkLead              *lead,
                                                const LkTableEnv    *env);
const char          *lk_table_owner_name       (const char          *owner_id,
                                                GHashTable          *users);

G_END_DECLS
