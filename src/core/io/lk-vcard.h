/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lk-lead.h"

G_BEGIN_DECLS

/* The limits of one file, as for CSV (lk-csv.h): past them the reader
 * stops with a clear error instead of taking unbounded memory. */
#define LK_VCARD_MAX_LINE_BYTES (10 * 1024 * 1024)
#define LK_VCARD_MAX_FILE_BYTES (G_GINT64_CONSTANT (1024) * 1024 * 1024)

/* What the reader takes from each card: the lead fields a card can fill. */
typedef enum
{
  LK_VCARD_CONTACT,   /* FN, or N put together */
  LK_VCARD_COMPANY,   /* ORG's first component */
  LK_VCARD_TITLE,
  LK_VCARD_PHONE,     /* the preferred TEL, else a mobile, else the first */
  LK_VCARD_EMAIL,     /* the preferred EMAIL, else the first */
  LK_VCARD_IM,        /* IMPP, X-WECHAT, X-QQ */
  LK_VCARD_REGION,    /* ADR's region and locality */
  LK_VCARD_TAGS,      /* CATEGORIES, comma-separated */
  LK_VCARD_NOTES,     /* NOTE */
  LK_VCARD_OTHER,     /* "Label: value" lines: other phones, emails, the address, URL, department */
  LK_VCARD_N_FIELDS
} LkVcardField;

typedef enum
{
  LK_VCARD_VERSION_3,
  LK_VCARD_VERSION_4,
} LkVcardVersion;

typedef struct _LkVcardReader LkVcardReader;

LkVcardReader *lk_vcard_reader_new           (GInputStream   *stream,
                                              GError        **error);
LkVcardReader *lk_vcard_reader_new_for_path  (const char     *path,
                                              GError        **error);
void           lk_vcard_reader_free          (LkVcardReader  *self);
void           lk_vcard_reader_set_limits    (LkVcardReader  *self,
                                              gsize           max_line_bytes,
                                              gint64          max_file_bytes);
gboolean       lk_vcard_reader_next          (LkVcardReader  *self,
                                              GCancellable   *cancellable,
                                              GError        **error);
const char    *lk_vcard_reader_get_field     (LkVcardReader  *self,
                                              LkVcardField    field);
const char * const *lk_vcard_reader_get_fields (LkVcardReader *self);
guint          lk_vcard_reader_get_line      (LkVcardReader  *self);
const char    *lk_vcard_reader_get_problem   (LkVcardReader  *self);
guint          lk_vcard_reader_get_problem_line (LkVcardReader *self);
const char    *lk_vcard_reader_get_version   (LkVcardReader  *self);
gint64         lk_vcard_reader_get_bytes_read (LkVcardReader *self);

const char    *lk_vcard_field_get_label      (LkVcardField    field);
gboolean       lk_vcard_sniff                (const char     *path,
                                              const guint8   *head,
                                              gsize           len);

char          *lk_vcard_from_lead            (LkLead         *lead,
                                              LkVcardVersion  version);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LkVcardReader, lk_vcard_reader_free)

G_END_DECLS
