/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Deepest nesting of arrays and objects lk_json_parse() accepts. */
#define LK_JSON_MAX_DEPTH 512

/* Takes @element (transfer full). Returns %FALSE with @error set to stop. */
typedef gboolean (*LkJsonElementFunc) (JsonNode  *element,
                                       gpointer   user_data,
                                       GError   **error);

JsonNode *lk_json_parse          (const char         *data,
                                  gssize              length,
                                  GError            **error);
JsonNode *lk_json_parse_streamed (const char         *data,
                                  gssize              length,
                                  const char         *member,
                                  LkJsonElementFunc   func,
                                  gpointer            user_data,
                                  GError            **error);

G_END_DECLS
