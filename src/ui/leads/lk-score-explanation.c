/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-score-explanation"

#include <glib/gi18n-lib.h>

#include "leads/lk-score-explanation.h"
#include "lk-store-rules.h"

/* The lead editor's explanation of a score (issue 5): each profile rule,
 * behaviour event and BANT answer that gave the lead points, with its
 * points, as lk_store_explain_score() reports them. */
struct _LkScoreExplanation
{
  AdwExpanderRow  parent_instance;

  /* Owned */
  GPtrArray      *rows;  /* the reason rows shown (borrowed widgets, owned array) */
  gint64          score;
};

G_DEFINE_FINAL_TYPE (LkScoreExplanation, lk_score_explanation, ADW_TYPE_EXPANDER_ROW)

static void
clear_rows (LkScoreExplanation *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_expander_row_remove (ADW_EXPANDER_ROW (self), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
}

static void
add_row (LkScoreExplanation *self,
         const char         *title,
         const char         *points)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (points);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_add_css_class (label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
  g_ptr_array_add (self->rows, row);
}

static void
lk_score_explanation_finalize (GObject *object)
{
  LkScoreExplanation *self = LK_SCORE_EXPLANATION (object);

  g_ptr_array_unref (self->rows);

  G_OBJECT_CLASS (lk_score_explanation_parent_class)->finalize (object);
}

static void
lk_score_explanation_class_init (LkScoreExplanationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lk_score_explanation_finalize;
}

static void
lk_score_explanation_init (LkScoreExplanation *self)
{
  self->rows = g_ptr_array_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), _("How the Score Is Made"));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

LkScoreExplanation *
lk_score_explanation_new (void)
{
  return g_object_new (LK_TYPE_SCORE_EXPLANATION, NULL);
}

void
lk_score_explanation_show (LkScoreExplanation *self,
                           LkStore            *store,
                           LkLead             *lead)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkScoreResult) result = NULL;
  LkScoring *scoring;

  g_return_if_fail (LK_IS_SCORE_EXPLANATION (self));
  g_return_if_fail (LK_IS_STORE (store));
  g_return_if_fail (LK_IS_LEAD (lead));

  clear_rows (self);
  self->score = 0;
  scoring = lk_store_get_scoring (store, &error);
  if (scoring == NULL)
    {
      /* Translators: %s says what is wrong with the scoring rules */
      g_autofree char *message = g_strdup_printf (_("The scoring rules cannot be used: %s"), error->message);

      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), message);
      gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
      return;
    }
  if (!lk_scoring_get_enabled (scoring))
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  result = lk_store_explain_score (store, lead, &error);
  if (result == NULL)
    {
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), error->message);
      return;
    }

  self->score = result->score;
  for (guint i = 0; i < result->reasons->len; i++)
    {
      LkScoreReason *reason = g_ptr_array_index (result->reasons, i);
      /* Translators: the points one scoring rule gave a lead: “+10” */
      g_autofree char *points = g_strdup_printf (C_("score", "%+d"), reason->points);

      add_row (self, reason->description, points);
    }
  if (result->reasons->len == 0)
    adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), _("No scoring rule applies to this lead yet"));
  else
    {
      g_autofree char *subtitle = g_strdup_printf (ngettext ("%d points from %u rule", "%d points from %u rules",
                                                             result->reasons->len),
                                                   (int) result->score, result->reasons->len);

      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle);
    }
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (self), result->reasons->len > 0);
}

gint64
lk_score_explanation_get_score (LkScoreExplanation *self)
{
  g_return_val_if_fail (LK_IS_SCORE_EXPLANATION (self), 0);
  return self->score;
}

guint
lk_score_explanation_get_n_reasons (LkScoreExplanation *self)
{
  g_return_val_if_fail (LK_IS_SCORE_EXPLANATION (self), 0);
  return self->rows->len;
}
