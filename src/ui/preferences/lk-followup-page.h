/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-context.h"

G_BEGIN_DECLS

#define LK_TYPE_FOLLOWUP_PAGE (lk_followup_page_get_type ())
G_DECLARE_FINAL_TYPE (LkFollowupPage, lk_followup_page, LK, FOLLOWUP_PAGE, AdwPreferencesPage)

LkFollowupPage *lk_followup_page_new       (LkContext      *context);
/* Why the last change was not saved, or %NULL */
const char     *lk_followup_page_get_error (LkFollowupPage *self);

G_END_DECLS
