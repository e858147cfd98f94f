/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lk-context.h"

G_BEGIN_DECLS

#define LK_TYPE_LEAD_EDITOR (lk_lead_editor_get_type ())
G_DECLARE_FINAL_TYPE (LkLeadEditor, lk_lead_editor, LK, LEAD_EDITOR, AdwWindow)

LkLeadEditor *lk_lead_editor_new            (LkContext    *context,
                                             LkLead       *lead);
LkLead       *lk_lead_editor_get_lead       (LkLeadEditor *self);
gboolean      lk_lead_editor_is_new         (LkLeadEditor *self);
gboolean      lk_lead_editor_is_dirty       (LkLeadEditor *self);
gboolean      lk_lead_editor_can_save       (LkLeadEditor *self);
gboolean      lk_lead_editor_save           (LkLeadEditor *self);
gboolean      lk_lead_editor_set_field_text (LkLeadEditor *self,
                                             const char   *field_name,
                                             const char   *text);
const char   *lk_lead_editor_get_message    (LkLeadEditor *self,
                                             const char   *field_name);

G_END_DECLS
