/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lk-context.h"

G_BEGIN_DECLS

/* Conflicting values as people read them: the field's name in their
 * language, and a value (a document field's JSON text, as the store keeps
 * it in sync_conflicts) formatted the way the rest of the app shows it. */
char *lk_conflict_field_title  (const char *field);
char *lk_conflict_format_value (LkContext  *context,
                                const char *field,
                                const char *json,
                                const char *currency);

G_END_DECLS
