/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lk-store.h"

G_BEGIN_DECLS

/* Where a column of the file goes. */
typedef enum
{
  LK_IMPORT_IGNORE,
  LK_IMPORT_KEEP_IN_NOTES,  /* "Header: value" lines added to the notes */
  LK_IMPORT_CODE,
  LK_IMPORT_COMPANY,
  LK_IMPORT_CONTACT,
  LK_IMPORT_TITLE,
  LK_IMPORT_PHONE,
  LK_IMPORT_EMAIL,
  LK_IMPORT_IM,
  LK_IMPORT_INDUSTRY,
  LK_IMPORT_COMPANY_SIZE,
  LK_IMPORT_REGION,
  LK_IMPORT_SOURCE,
  LK_IMPORT_CAMPAIGN,
  LK_IMPORT_NEEDS,
  LK_IMPORT_GRADE,
  LK_IMPORT_TEMPERATURE,
  LK_IMPORT_BUDGET,
  LK_IMPORT_AMOUNT,
  LK_IMPORT_OWNER,
  LK_IMPORT_TAGS,
  LK_IMPORT_NOTES,
  LK_IMPORT_NEXT_FOLLOWUP,
  LK_IMPORT_EVENTS,         /* behaviour events (lk-scoring.h), a list like tags */
  LK_IMPORT_EVENT_TIME,     /* when the row's events happened; the import's time without it */
  LK_IMPORT_N_TARGETS
} LkImportTarget;

/* What happens to a row that is a duplicate of a lead already there. */
typedef enum
{
  LK_IMPORT_DUPLICATES_SKIP,
  LK_IMPORT_DUPLICATES_UPDATE,   /* the file's non-empty cells replace the lead's values */
  LK_IMPORT_DUPLICATES_CREATE,   /* a new lead all the same */
} LkImportPolicy;

typedef struct
{
  guint  line;    /* the physical line of the file the row starts on */
  char  *reason;
} LkImportProblem;

void lk_import_problem_free (LkImportProblem *problem);

/* Called on the thread that runs the import. */
typedef void (*LkImportProgressFunc) (double   fraction,
                                      gpointer user_data);

const char     *lk_import_target_get_name   (LkImportTarget  target);
const char     *lk_import_target_get_label  (LkImportTarget  target);
gboolean        lk_import_target_from_name  (const char     *name,
                                             LkImportTarget *target);
LkImportTarget  lk_import_guess_target      (const char     *header);
gboolean        lk_import_policy_from_name  (const char     *name,
                                             LkImportPolicy *policy);
gboolean        lk_import_parse_amount      (const char     *text,
                                             gint64          unit,
                                             gint64         *minor_units);
gboolean        lk_import_parse_date        (const char     *text,
                                             GTimeZone      *tz,
                                             gint64         *ms);
gboolean        lk_import_parse_grade       (const char     *text,
                                             const char    **grade);

#define LK_TYPE_IMPORT (lk_import_get_type ())
G_DECLARE_FINAL_TYPE (LkImport, lk_import, LK, IMPORT, GObject)

LkImport       *lk_import_new                (const char     *path);
const char     *lk_import_get_path           (LkImport       *self);
gboolean        lk_import_open               (LkImport       *self,
                                              const char     *encoding,
                                              char            delimiter,
                                              GError        **error);
const char     *lk_import_get_encoding       (LkImport       *self);
char            lk_import_get_delimiter      (LkImport       *self);
gboolean        lk_import_get_is_vcard       (LkImport       *self);
guint           lk_import_get_n_columns      (LkImport       *self);
const char     *lk_import_get_header         (LkImport       *self,
                                              guint           column);
LkImportTarget  lk_import_get_target         (LkImport       *self,
                                              guint           column);
void            lk_import_set_target         (LkImport       *self,
                                              guint           column,
                                              LkImportTarget  target);
int             lk_import_find_column        (LkImport       *self,
                                              const char     *name);
GPtrArray      *lk_import_get_preview        (LkImport       *self);

void            lk_import_set_default_source   (LkImport     *self,
                                                const char   *source);
void            lk_import_set_default_campaign (LkImport     *self,
                                                const char   *campaign);
void            lk_import_set_default_owner    (LkImport     *self,
                                                const char   *owner);
void            lk_import_set_policy         (LkImport       *self,
                                              LkImportPolicy  policy);
LkImportPolicy  lk_import_get_policy         (LkImport       *self);

gboolean        lk_import_run                (LkImport       *self,
                                              LkStore        *store,
                                              gboolean        dry_run,
                                              GCancellable   *cancellable,
                                              LkImportProgressFunc progress,
                                              gpointer        user_data,
                                              GError        **error);
void            lk_import_run_async          (LkImport       *self,
                                              LkStore        *store,
                                              gboolean        dry_run,
                                              GCancellable   *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer        user_data);
gboolean        lk_import_run_finish         (LkImport       *self,
                                              GAsyncResult   *result,
                                              GError        **error);
double          lk_import_get_fraction       (LkImport       *self);

/* The outcome of the last run */
gint64          lk_import_get_id             (LkImport       *self);
guint           lk_import_get_n_rows         (LkImport       *self);
guint           lk_import_get_n_new          (LkImport       *self);
guint           lk_import_get_n_duplicates   (LkImport       *self);
guint           lk_import_get_n_invalid      (LkImport       *self);
guint           lk_import_get_n_created      (LkImport       *self);
guint           lk_import_get_n_updated      (LkImport       *self);
guint           lk_import_get_n_skipped      (LkImport       *self);
guint           lk_import_get_n_events       (LkImport       *self);
GPtrArray      *lk_import_get_problems       (LkImport       *self);

gboolean        lk_import_undo               (LkStore        *store,
                                              gint64          import_id,
                                              GCancellable   *cancellable,
                                              LkImportProgressFunc progress,
                                              gpointer        user_data,
                                              guint          *n_kept,
                                              GError        **error);
void            lk_import_undo_async         (LkStore        *store,
                                              gint64          import_id,
                                              GCancellable   *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer        user_data);
gboolean        lk_import_undo_finish        (GAsyncResult   *result,
                                              GError        **error);

G_END_DECLS
