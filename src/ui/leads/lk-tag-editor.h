/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LK_TYPE_TAG_EDITOR (lk_tag_editor_get_type ())
G_DECLARE_FINAL_TYPE (LkTagEditor, lk_tag_editor, LK, TAG_EDITOR, GtkBox)

GtkWidget          *lk_tag_editor_new        (void);
const char * const *lk_tag_editor_get_tags   (LkTagEditor        *self);
void                lk_tag_editor_set_tags   (LkTagEditor        *self,
                                              const char * const *tags);
void                lk_tag_editor_add_text   (LkTagEditor        *self,
                                              const char         *text);
void                lk_tag_editor_remove_tag (LkTagEditor        *self,
                                              const char         *tag);

G_END_DECLS
