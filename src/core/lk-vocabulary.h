/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Stable ids stored in documents, and their names shown to people in
 * their own language. An id we do not know is shown as it is. */
typedef struct
{
  const char *id;
  const char *name;  /* untranslated; use lk_vocabulary_name() */
} LkTerm;

const LkTerm *lk_vocabulary_sources      (guint      *n_terms);
const LkTerm *lk_vocabulary_methods      (guint      *n_terms);
const LkTerm *lk_vocabulary_temperatures (guint      *n_terms);
const char   *lk_vocabulary_source_name  (const char *id);
const char   *lk_vocabulary_method_name  (const char *id);
const char   *lk_vocabulary_temperature_name (const char *id);

G_END_DECLS
