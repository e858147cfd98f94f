/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-stage-style"

#include "lk-stage-style.h"

/* Stage colours come from the pipeline, which a team can change: each
 * stage gets a CSS class ("stage-new") whose colours are made at run time
 * for the board's dots and the table's stage pills. */

/* "stage-new"; other characters of custom ids become '-' so any id makes
 * a valid CSS class. */
char *
lk_stage_css_class (const char *stage_id)
{
  char *css_class = g_strconcat ("stage-", stage_id, NULL);

  for (char *p = css_class + 6; *p; p++)
    if (!g_ascii_isalnum (*p))
      *p = '-';
  return css_class;
}

void
lk_stage_style_load (GtkCssProvider *provider,
                     LkPipeline     *pipeline)
{
  g_autoptr(GString) css = g_string_new (NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (pipeline));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LkStage) stage = g_list_model_get_item (G_LIST_MODEL (pipeline), i);
      g_autofree char *css_class = lk_stage_css_class (lk_stage_get_id (stage));
      GdkRGBA rgba;

      /* Only colours GTK can parse reach the style sheet. */
      if (!gdk_rgba_parse (&rgba, lk_stage_get_color (stage)))
        continue;
      g_string_append_printf (css, ".stage-pill.%s { background-color: alpha(%s, 0.22); }\n"
                                   ".stage-dot.%s { background-color: %s; }\n",
                              css_class, lk_stage_get_color (stage),
                              css_class, lk_stage_get_color (stage));
    }
  gtk_css_provider_load_from_data (provider, css->str, (gssize) css->len);
}
