/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The limits of one file: past them the reader stops with a clear error
 * instead of taking unbounded memory. */
#define LK_CSV_MAX_RECORD_BYTES (10 * 1024 * 1024)
#define LK_CSV_MAX_FILE_BYTES   (G_GINT64_CONSTANT (1024) * 1024 * 1024)

typedef struct _LkCsvReader LkCsvReader;

LkCsvReader *lk_csv_reader_new           (GInputStream  *stream,
                                          const char    *encoding,
                                          char           delimiter,
                                          GError       **error);
LkCsvReader *lk_csv_reader_new_for_path  (const char    *path,
                                          const char    *encoding,
                                          char           delimiter,
                                          GError       **error);
void         lk_csv_reader_free          (LkCsvReader   *self);
void         lk_csv_reader_set_limits    (LkCsvReader   *self,
                                          gsize          max_record_bytes,
                                          gint64         max_file_bytes);

gboolean     lk_csv_reader_next          (LkCsvReader   *self,
                                          GCancellable  *cancellable,
                                          GError       **error);
guint        lk_csv_reader_get_n_fields  (LkCsvReader   *self);
const char  *lk_csv_reader_get_field     (LkCsvReader   *self,
                                          guint          index);
const char * const *lk_csv_reader_get_fields (LkCsvReader *self);
guint        lk_csv_reader_get_line      (LkCsvReader   *self);
const char  *lk_csv_reader_get_problem   (LkCsvReader   *self);

const char  *lk_csv_reader_get_encoding  (LkCsvReader   *self);
gboolean     lk_csv_reader_get_had_bom   (LkCsvReader   *self);
char         lk_csv_reader_get_delimiter (LkCsvReader   *self);
gint64       lk_csv_reader_get_bytes_read (LkCsvReader  *self);

const char  *lk_csv_delimiter_name       (char           delimiter);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkCsvReader, lk_csv_reader_free)

G_END_DECLS
