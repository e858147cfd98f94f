/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lk-activity.h"
#include "lk-clock.h"
#include "lk-lead.h"
#include "lk-lead-query.h"
#include "lk-pipeline.h"
#include "lk-stage-change.h"
#include "lk-user.h"

G_BEGIN_DECLS

#define LK_SCHEMA_VERSION 8

typedef struct
{
  char   *stage;
  gint64  count;
  gint64  amount;    /* minor units */
  gint64  weighted;  /* amount × the stage's probability */
} LkStageTotal;

void lk_stage_total_free (LkStageTotal *total);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkStageTotal, lk_stage_total_free)

#define LK_TYPE_STORE (lk_store_get_type ())
G_DECLARE_FINAL_TYPE (LkStore, lk_store, LK, STORE, GObject)

typedef enum
{
  LK_STORE_OPEN_DEFAULT    = 0,
  /* Work a stopped bulk write left (search rows, a bulk load's indexes)
   * is not done before the open returns: the caller starts
   * lk_store_catch_up_search_in_background(). */
  LK_STORE_OPEN_CATCH_UP_LATER = 1 << 0,
} LkStoreOpenFlags;

LkStore       *lk_store_open               (const char     *path,
                                            LkClock        *clock,
                                            GError        **error);
LkStore       *lk_store_open_full          (const char     *path,
                                            LkClock        *clock,
                                            LkStoreOpenFlags flags,
                                            GError        **error);
LkStore       *lk_store_open_worker        (LkStore        *self,
                                            GError        **error);
const char    *lk_store_get_path           (LkStore        *self);
LkClock       *lk_store_get_clock          (LkStore        *self);
LkPipeline    *lk_store_get_pipeline       (LkStore        *self);
void           lk_store_set_pipeline       (LkStore        *self,
                                            LkPipeline     *pipeline);
const char    *lk_store_get_user_id        (LkStore        *self);
void           lk_store_set_user_id        (LkStore        *self,
                                            const char     *user_id);
void           lk_store_set_local_only     (LkStore        *self,
                                            gboolean        local_only);

/* Transactions nest; the outermost commit emits ::changed once. */
gboolean       lk_store_begin              (LkStore        *self,
                                            GError        **error);
gboolean       lk_store_commit             (LkStore        *self,
                                            GError        **error);
void           lk_store_rollback           (LkStore        *self);
void           lk_store_emit_changed       (LkStore        *self,
                                            const char     *doc_type,
                                            const char * const *ids);

/* Leads */
gboolean       lk_store_create_lead        (LkStore        *self,
                                            LkLead         *lead,
                                            GError        **error);
gboolean       lk_store_put_records        (LkStore        *self,
                                            GPtrArray      *records,
                                            GError        **error);
gboolean       lk_store_update_lead        (LkStore        *self,
                                            LkLead         *lead,
                                            const char     *reason,
                                            GError        **error);
gboolean       lk_store_move_lead          (LkStore        *self,
                                            const char     *lead_id,
                                            const char     *stage,
                                            const char     *reason,
                                            GError        **error);
gboolean       lk_store_delete_lead        (LkStore        *self,
                                            const char     *lead_id,
                                            GError        **error);
gboolean       lk_store_restore_lead       (LkStore        *self,
                                            const char     *lead_id,
                                            GError        **error);
LkLead        *lk_store_get_lead           (LkStore        *self,
                                            const char     *lead_id,
                                            GError        **error);
LkLead        *lk_store_get_lead_by_rowid  (LkStore        *self,
                                            gint64          rowid,
                                            GError        **error);
gint64         lk_store_lookup_rowid       (LkStore        *self,
                                            const char     *lead_id);
gboolean       lk_store_lead_matches       (LkStore        *self,
                                            LkLeadQuery    *query,
                                            gint64          rowid);
GArray        *lk_store_query_rowids       (LkStore        *self,
                                            LkLeadQuery    *query,
                                            GError        **error);
GArray        *lk_store_query_rowids_limited (LkStore      *self,
                                            LkLeadQuery    *query,
                                            guint           limit,
                                            GError        **error);
GPtrArray     *lk_store_query_leads        (LkStore        *self,
                                            LkLeadQuery    *query,
                                            guint           limit,
                                            GError        **error);
void           lk_store_stage_totals_async (LkStore        *self,
                                           LkLeadQuery    *query,
                                           GCancellable   *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer        user_data);
GPtrArray     *lk_store_stage_totals_finish (LkStore       *self,
                                            GAsyncResult  *result,
                                            GError       **error);
GPtrArray     *lk_store_stage_totals       (LkStore        *self,
                                            LkLeadQuery    *query,
                                            GError        **error);
gint64         lk_store_count_leads        (LkStore        *self,
                                            GError        **error);
void           lk_store_list_tags_async    (LkStore        *self,
                                           guint           limit,
                                           GCancellable   *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer        user_data);
char         **lk_store_list_tags_finish   (LkStore        *self,
                                           GAsyncResult   *result,
                                           GError        **error);
char         **lk_store_list_tags          (LkStore        *self,
                                            guint           limit,
                                            GError        **error);

/* History, follow-ups, team */
gboolean       lk_store_add_activity       (LkStore        *self,
                                            LkActivity     *activity,
                                            GError        **error);
GPtrArray     *lk_store_list_activities    (LkStore        *self,
                                            const char     *lead_id,
                                            GError        **error);
GPtrArray     *lk_store_list_stage_changes (LkStore        *self,
                                            const char     *lead_id,
                                            GError        **error);
gboolean       lk_store_save_user          (LkStore        *self,
                                            LkUser         *user,
                                            GError        **error);
LkUser        *lk_store_get_user           (LkStore        *self,
                                            const char     *user_id,
                                            GError        **error);
GPtrArray     *lk_store_list_users         (LkStore        *self,
                                            GError        **error);
GHashTable    *lk_store_get_users_by_id    (LkStore        *self);

/* Settings documents that sync (pipeline, scoring, …) and local values */
char          *lk_store_get_setting        (LkStore        *self,
                                            const char     *name,
                                            GError        **error);
gboolean       lk_store_set_setting        (LkStore        *self,
                                            const char     *name,
                                            const char     *json,
                                            GError        **error);
char          *lk_store_get_currency       (LkStore        *self);
gboolean       lk_store_set_currency       (LkStore        *self,
                                            const char     *currency,
                                            GError        **error);
char          *lk_store_get_local          (LkStore        *self,
                                            const char     *key);
gboolean       lk_store_set_local          (LkStore        *self,
                                            const char     *key,
                                            const char     *value,
                                            GError        **error);

/* Bulk writes: the search indexing of many leads at once */
void           lk_store_set_defer_search   (LkStore        *self,
                                            gboolean        defer);
gboolean       lk_store_get_search_pending (LkStore        *self);
gboolean       lk_store_catch_up_search    (LkStore        *self,
                                            guint           batch,
                                            GCancellable   *cancellable,
                                            GError        **error);
void           lk_store_catch_up_search_in_background (LkStore      *self,
                                                       GCancellable *cancellable);

/* Bulk loads: the leads' secondary indexes made once at the end (lk-store-bulk.c) */
gboolean       lk_store_bulk_load_wanted   (LkStore        *self,
                                            gint64          n_coming);
gboolean       lk_store_begin_bulk_load    (LkStore        *self,
                                            gboolean        keep_keys,
                                            GError        **error);
gboolean       lk_store_get_bulk_load      (LkStore        *self);
gboolean       lk_store_end_bulk_load      (LkStore        *self,
                                            GError        **error);

gint64         lk_store_count_outbox       (LkStore        *self,
                                            GError        **error);
GPtrArray     *lk_store_check              (LkStore        *self,
                                            GError        **error);

G_END_DECLS
