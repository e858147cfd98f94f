/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-context.h"

G_BEGIN_DECLS

#define LK_TYPE_SCORING_PAGE (lk_scoring_page_get_type ())
G_DECLARE_FINAL_TYPE (LkScoringPage, lk_scoring_page, LK, SCORING_PAGE, AdwPreferencesPage)

LkScoringPage *lk_scoring_page_new       (LkContext     *context);
/* Why the last change was not saved, or %NULL */
const char    *lk_scoring_page_get_error (LkScoringPage *self);

G_END_DECLS
