/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-context.h"

G_BEGIN_DECLS

#define LK_TYPE_POOL_PAGE (lk_pool_page_get_type ())
G_DECLARE_FINAL_TYPE (LkPoolPage, lk_pool_page, LK, POOL_PAGE, AdwPreferencesPage)

LkPoolPage *lk_pool_page_new       (LkContext  *context);
/* Why the last change was not saved, or %NULL */
const char *lk_pool_page_get_error (LkPoolPage *self);

G_END_DECLS
