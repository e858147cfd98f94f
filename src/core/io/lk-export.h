/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lk-lead-query.h"
#include "lk-store.h"

G_BEGIN_DECLS

typedef enum
{
  LK_EXPORT_CSV,    /* UTF-8 with a BOM (or GB18030), CRLF, RFC 4180 quoting */
  LK_EXPORT_JSON,   /* a JSON array of the version-1 lead documents */
  LK_EXPORT_VCARD,  /* one vCard 4.0 per lead */
} LkExportFormat;

/* Called on the thread that runs the export. */
typedef void (*LkExportProgressFunc) (double   fraction,
                                      gpointer user_data);

gboolean    lk_export_format_from_name     (const char     *name,
                                            LkExportFormat *format);
const char *lk_export_format_get_extension (LkExportFormat  format);

#define LK_TYPE_EXPORT (lk_export_get_type ())
G_DECLARE_FINAL_TYPE (LkExport, lk_export, LK, EXPORT, GObject)

LkExport   *lk_export_new                  (LkExportFormat  format);
LkExportFormat lk_export_get_format        (LkExport       *self);
void        lk_export_set_query            (LkExport       *self,
                                            LkLeadQuery    *query);
void        lk_export_set_ids              (LkExport       *self,
                                            const char * const *ids);
gboolean    lk_export_set_encoding         (LkExport       *self,
                                            const char     *encoding,
                                            GError        **error);
const char *lk_export_get_encoding         (LkExport       *self);

gboolean    lk_export_run                  (LkExport       *self,
                                            LkStore        *store,
                                            GOutputStream  *output,
                                            GCancellable   *cancellable,
                                            LkExportProgressFunc progress,
                                            gpointer        user_data,
                                            GError        **error);
gboolean    lk_export_to_file              (LkExport       *self,
                                            LkStore        *store,
                                            GFile          *file,
                                            GCancellable   *cancellable,
                                            LkExportProgressFunc progress,
                                            gpointer        user_data,
                                            GError        **error);
void        lk_export_to_file_async        (LkExport       *self,
                                            LkStore        *store,
                                            GFile          *file,
                                            GCancellable   *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer        user_data);
gboolean    lk_export_to_file_finish       (LkExport       *self,
                                            GAsyncResult   *result,
                                            GError        **error);
double      lk_export_get_fraction         (LkExport       *self);
guint       lk_export_get_n_leads          (LkExport       *self);

G_END_DECLS
