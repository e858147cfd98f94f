/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "lk-record.h"

G_BEGIN_DECLS

#define LK_DOC_SCHEMA 1

JsonObject *lk_doc_from_record       (LkRecord    *record);
LkRecord   *lk_doc_to_record         (JsonObject  *doc,
                                      GError     **error);
GType       lk_doc_type_for_id       (const char  *doc_id);
char       *lk_doc_to_string         (JsonObject  *doc,
                                      gboolean     pretty);
JsonObject *lk_doc_parse             (const char  *text,
                                      gssize       length,
                                      GError     **error);
char       *lk_record_to_json_string (LkRecord    *record,
                                      gboolean     pretty);
LkRecord   *lk_record_from_json_string (const char *text,
                                        GError    **error);

G_END_DECLS
