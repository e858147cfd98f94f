/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* The name of the search index's tokenizer (table leads_search). */
#define LK_SEARCH_TOKENIZER "lk_search"

/* Starts the token of a word's first one or two letters: a query for
 * "hu" (lk_search_append_term) asks for the words that begin with it. */
#define LK_SEARCH_WORD_MARK "\001"

gboolean lk_search_tokenizer_register (sqlite3    *db,
                                       GError    **error);
gboolean lk_search_is_separator       (gunichar    c);
void     lk_search_append_term        (GString    *match,
                                       const char *term);

G_END_DECLS
