/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-context.h"

G_BEGIN_DECLS

#define LK_TYPE_TEAM_PAGE (lk_team_page_get_type ())
G_DECLARE_FINAL_TYPE (LkTeamPage, lk_team_page, LK, TEAM_PAGE, AdwPreferencesPage)

LkTeamPage *lk_team_page_new       (LkContext  *context);
/* Why the last change was not saved, or %NULL */
const char *lk_team_page_get_error (LkTeamPage *self);

G_END_DECLS
