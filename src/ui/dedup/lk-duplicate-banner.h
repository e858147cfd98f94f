/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-context.h"

G_BEGIN_DECLS

#define LK_TYPE_DUPLICATE_BANNER (lk_duplicate_banner_get_type ())
G_DECLARE_FINAL_TYPE (LkDuplicateBanner, lk_duplicate_banner, LK, DUPLICATE_BANNER, AdwBin)

void        lk_duplicate_banner_set_context (LkDuplicateBanner *self,
                                             LkContext         *context);
void        lk_duplicate_banner_check       (LkDuplicateBanner *self,
                                             LkLead            *typed);
void        lk_duplicate_banner_check_now   (LkDuplicateBanner *self);
void        lk_duplicate_banner_reset       (LkDuplicateBanner *self);
LkLead     *lk_duplicate_banner_get_match   (LkDuplicateBanner *self);
const char *lk_duplicate_banner_get_text    (LkDuplicateBanner *self);

G_END_DECLS
