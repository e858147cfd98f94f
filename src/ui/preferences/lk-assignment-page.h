/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-context.h"

G_BEGIN_DECLS

#define LK_TYPE_ASSIGNMENT_PAGE (lk_assignment_page_get_type ())
G_DECLARE_FINAL_TYPE (LkAssignmentPage, lk_assignment_page, LK, ASSIGNMENT_PAGE, AdwPreferencesPage)

LkAssignmentPage *lk_assignment_page_new       (LkContext        *context);
/* Why the last change was not saved, or %NULL */
const char       *lk_assignment_page_get_error (LkAssignmentPage *self);

G_END_DECLS
