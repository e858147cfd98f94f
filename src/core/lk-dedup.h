/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Normalised keys that make two ways of writing the same customer equal:
 * what duplicate detection compares (at import, while typing, in the
 * duplicates view). Each returns %NULL when there is nothing to compare. */
char *lk_dedup_company_key (const char *company);
char *lk_dedup_contact_key (const char *contact);
char *lk_dedup_phone_key   (const char *phone,
                            const char *default_region);
char *lk_dedup_email_key   (const char *email);
char *lk_dedup_fold        (const char *text);

G_END_DECLS
