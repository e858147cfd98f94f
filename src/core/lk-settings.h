/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The rule settings documents (settings:cadence, settings:scoring,
 * settings:assignment, settings:pool) are versioned JSON objects:
 * {"version": 1, …}. These read them strictly: a member of the wrong type
 * or out of range is an error that names the document and the member,
 * such as “settings:cadence: “grades.A.min_days” must be a whole number
 * from 0 to 365”. An absent member (or null) keeps the default. Members
 * this version does not know are kept and written back (lk_settings_extra). */

#define LK_SETTINGS_VERSION 1

JsonObject *lk_settings_parse        (const char          *doc_id,
                                      const char          *text,
                                      GError             **error);
gboolean    lk_settings_check_version (const char         *doc_id,
                                      JsonObject          *object,
                                      GError             **error);
JsonObject *lk_settings_extra        (JsonObject          *object,
                                      const char * const  *known);
JsonObject *lk_settings_start        (JsonObject          *extra);
char       *lk_settings_to_string    (JsonObject          *object);

/* Each returns %FALSE with @error set when the member is there but wrong.
 * @path names the object holding @key in messages ("grades.A"; %NULL at
 * the top). */
gboolean    lk_settings_get_int      (const char          *doc_id,
                                      JsonObject          *object,
                                      const char          *path,
                                      const char          *key,
                                      gint64               min,
                                      gint64               max,
                                      gint64              *value,
                                      GError             **error);
gboolean    lk_settings_get_bool     (const char          *doc_id,
                                      JsonObject          *object,
                                      const char          *path,
                                      const char          *key,
                                      gboolean            *value,
                                      GError             **error);
gboolean    lk_settings_get_string   (const char          *doc_id,
                                      JsonObject          *object,
                                      const char          *path,
                                      const char          *key,
                                      char               **value,
                                      GError             **error);
gboolean    lk_settings_get_strv     (const char          *doc_id,
                                      JsonObject          *object,
                                      const char          *path,
                                      const char          *key,
                                      GStrv               *value,
                                      GError             **error);
gboolean    lk_settings_get_object   (const char          *doc_id,
                                      JsonObject          *object,
                                      const char          *path,
                                      const char          *key,
                                      JsonObject         **value,
                                      GError             **error);
gboolean    lk_settings_get_array    (const char          *doc_id,
                                      JsonObject          *object,
                                      const char          *path,
                                      const char          *key,
                                      JsonArray          **value,
                                      GError             **error);
void        lk_settings_error        (GError             **error,
                                      const char          *doc_id,
                                      const char          *path,
                                      const char          *key,
                                      const char          *format,
                                      ...) G_GNUC_PRINTF (5, 6);
char       *lk_settings_path         (const char          *path,
                                      const char          *key);

JsonArray  *lk_settings_strv_to_array (const char * const *strv);

G_END_DECLS
