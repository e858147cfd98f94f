/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-store.h"

G_BEGIN_DECLS

/* The store's side of imports (io/lk-import): duplicate lookups by the
 * keys of lk-dedup, and the record of what each import did, so that it
 * can be undone. Imports are this desktop's history and never sync; the
 * leads they write do, like any local edit. */

typedef enum
{
  LK_DUPLICATE_NONE,
  LK_DUPLICATE_PHONE,
  LK_DUPLICATE_EMAIL,
  LK_DUPLICATE_COMPANY,  /* the same company and contact */
} LkDuplicateKey;

typedef struct
{
  gint64  id;
  char   *file_name;
  gint64  at;          /* Unix ms */
  char   *by_user;
  char   *state;       /* "running", "done", "cancelled", "failed", "undone" */
  gint64  n_created;
  gint64  n_updated;
  gint64  n_skipped;
  gint64  n_invalid;
} LkImportEntry;

void           lk_import_entry_free       (LkImportEntry  *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkImportEntry, lk_import_entry_free)

/* One lead an import wrote: @changes is %NULL for a lead it created, else
 * the JSON object {"field": [before, after], …}. */
typedef struct
{
  char *lead_id;
  char *changes;
} LkImportChange;

void           lk_import_change_free      (LkImportChange *change);

/* A behaviour event an import recorded on a lead. */
typedef struct
{
  char *activity_id;
  char *lead_id;
} LkImportEvent;

void           lk_import_event_free       (LkImportEvent  *event);

gint64         lk_store_find_duplicate    (LkStore        *self,
                                           const char     *phone_key,
                                           const char     *email_key,
                                           const char     *company_key,
                                           const char     *contact_key,
                                           LkDuplicateKey *matched,
                                           GError        **error);

gint64         lk_store_import_begin      (LkStore        *self,
                                           const char     *file_name,
                                           GError        **error);
gboolean       lk_store_import_finish     (LkStore        *self,
                                           gint64          import_id,
                                           const char     *state,
                                           gint64          n_created,
                                           gint64          n_updated,
                                           gint64          n_skipped,
                                           gint64          n_invalid,
                                           GError        **error);
gboolean       lk_store_import_create     (LkStore        *self,
                                           gint64          import_id,
                                           LkLead         *lead,
                                           GError        **error);
gboolean       lk_store_import_write_new  (LkStore        *self,
                                           gint64          import_id,
                                           LkLead         *lead,
                                           const char * const *keys,
                                           GError        **error);
gboolean       lk_store_import_update     (LkStore        *self,
                                           gint64          import_id,
                                           LkLead         *lead,
                                           LkLead         *stored,
                                           GError        **error);
gboolean       lk_store_import_add_events (LkStore        *self,
                                           gint64          import_id,
                                           const char     *lead_id,
                                           const char * const *types,
                                           gint64          at_ms,
                                           GError        **error);
gboolean       lk_store_import_remove_events (LkStore     *self,
                                           const char     *lead_id,
                                           const char * const *activity_ids,
                                           GError        **error);

GPtrArray     *lk_store_list_imports      (LkStore        *self,
                                           GError        **error);
LkImportEntry *lk_store_get_import        (LkStore        *self,
                                           gint64          import_id,
                                           GError        **error);
GPtrArray     *lk_store_list_import_changes (LkStore      *self,
                                           gint64          import_id,
                                           GError        **error);
GPtrArray     *lk_store_list_import_events (LkStore       *self,
                                           gint64          import_id,
                                           GError        **error);
gboolean       lk_store_import_set_state  (LkStore        *self,
                                           gint64          import_id,
                                           const char     *state,
                                           GError        **error);

G_END_DECLS
