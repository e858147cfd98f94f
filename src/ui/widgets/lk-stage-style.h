/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "lk-pipeline.h"

G_BEGIN_DECLS

char *lk_stage_css_class (const char     *stage_id);
void  lk_stage_style_load (GtkCssProvider *provider,
                           LkPipeline     *pipeline);

G_END_DECLS
