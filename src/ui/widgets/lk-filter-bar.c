/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-filter-bar"

#include <glib/gi18n-lib.h>

#include "lk-filter-bar.h"
#include "lk-vocabulary.h"

/* The filters the board and the table share: My leads / All / Pool,
 * owner, source, grade, temperature, tag, overdue. It edits the window's
 * LkLeadQuery; the views follow that query. Each drop-down's first item
 * means "any". */
struct _LkFilterBar
{
  GtkBox           parent_instance;

  /* Template widgets */
  GtkToggleButton *mine_button;
  GtkToggleButton *all_button;
  GtkToggleButton *pool_button;
  GtkDropDown     *owner_dropdown;
  GtkDropDown     *source_dropdown;
  GtkDropDown     *grade_dropdown;
  GtkDropDown     *temperature_dropdown;
  GtkDropDown     *tag_dropdown;
  GtkToggleButton *overdue_button;
  GtkButton       *clear_button;
  GtkBox          *end_box;

  /* Owned */
  LkContext       *context;
  LkLeadQuery     *filter;
  GPtrArray       *owner_ids;        /* value of each owner item; [0] NULL */
  GPtrArray       *source_ids;
  GPtrArray       *tag_ids;
  GCancellable    *tags_cancellable; /* while the tags in use are read */

  guint            reloading : 1;
};

G_DEFINE_FINAL_TYPE (LkFilterBar, lk_filter_bar, GTK_TYPE_BOX)

static const char *
value_of (GPtrArray   *ids,
          GtkDropDown *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  return selected < ids->len ? g_ptr_array_index (ids, selected) : NULL;
}

static void
fill (GtkDropDown *dropdown,
      GPtrArray   *ids,
      GPtrArray   *names,
      const char  *current)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  guint selected = 0;

  for (guint i = 0; i < names->len; i++)
    {
      gtk_string_list_append (list, g_ptr_array_index (names, i));
      if (current != NULL && g_strcmp0 (g_ptr_array_index (ids, i), current) == 0)
        selected = i;
    }
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (dropdown, selected);
}

static void
update_clear_button (LkFilterBar *self)
{
  gboolean any = gtk_drop_down_get_selected (self->owner_dropdown) > 0 ||
                 gtk_drop_down_get_selected (self->source_dropdown) > 0 ||
                 gtk_drop_down_get_selected (self->grade_dropdown) > 0 ||
                 gtk_drop_down_get_selected (self->temperature_dropdown) > 0 ||
                 gtk_drop_down_get_selected (self->tag_dropdown) > 0 ||
                 gtk_toggle_button_get_active (self->overdue_button) ||
                 !gtk_toggle_button_get_active (self->all_button);

  gtk_widget_set_visible (GTK_WIDGET (self->clear_button), any);
}

static void
apply (LkFilterBar *self)
{
  static const char * const grades[] = { NULL, "A", "B", "C" };
  static const char * const temperatures[] = { NULL, "hot", "warm", "cold" };
  LkScope scope = lk_filter_bar_get_scope (self);
  guint grade = gtk_drop_down_get_selected (self->grade_dropdown);
  guint temperature = gtk_drop_down_get_selected (self->temperature_dropdown);
  const char *owner;

  if (self->reloading)
    return;

  g_object_freeze_notify (G_OBJECT (self->filter));
  owner = scope == LK_SCOPE_MINE ? lk_context_get_user_id (self->context)
        : scope == LK_SCOPE_ALL ? value_of (self->owner_ids, self->owner_dropdown)
        : NULL;
  lk_lead_query_set_owner (self->filter, owner);
  lk_lead_query_set_pool (self->filter, scope == LK_SCOPE_POOL);
  lk_lead_query_set_source (self->filter, value_of (self->source_ids, self->source_dropdown));
  lk_lead_query_set_grade (self->filter, grade < G_N_ELEMENTS (grades) ? grades[grade] : NULL);
  lk_lead_query_set_temperature (self->filter,
                                 temperature < G_N_ELEMENTS (temperatures) ? temperatures[temperature] : NULL);
  lk_lead_query_set_tag (self->filter, value_of (self->tag_ids, self->tag_dropdown));
  lk_lead_query_set_overdue (self->filter, gtk_toggle_button_get_active (self->overdue_button));
  g_object_thaw_notify (G_OBJECT (self->filter));

  /* Owner only means something when looking at everyone's leads. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->owner_dropdown), scope == LK_SCOPE_ALL);
  update_clear_button (self);
}

static void
scope_toggled_cb (LkFilterBar     *self,
                  GtkToggleButton *button)
{
  if (gtk_toggle_button_get_active (button))
    apply (self);
}

static void
dropdown_changed_cb (LkFilterBar *self,
                     GParamSpec  *pspec,
                     GtkDropDown *dropdown)
{
  apply (self);
}

static void
overdue_toggled_cb (LkFilterBar     *self,
                    GtkToggleButton *button)
{
  apply (self);
}

static void
clear_clicked_cb (LkFilterBar *self,
                  GtkButton   *button)
{
  lk_filter_bar_clear (self);
}

static void
lk_filter_bar_dispose (GObject *object)
{
  LkFilterBar *self = LK_FILTER_BAR (object);

  g_cancellable_cancel (self->tags_cancellable);
  g_clear_object (&self->tags_cancellable);
  g_clear_object (&self->context);
  g_clear_object (&self->filter);
  g_clear_pointer (&self->owner_ids, g_ptr_array_unref);
  g_clear_pointer (&self->source_ids, g_ptr_array_unref);
  g_clear_pointer (&self->tag_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (lk_filter_bar_parent_class)->dispose (object);
}

static void
lk_filter_bar_class_init (LkFilterBarClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = lk_filter_bar_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/widgets/lk-filter-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, LkFilterBar, mine_button);
  gtk_widget_class_bind_template_child (widget_class, LkFilterBar, all_button);
  gtk_widget_class_bind_template_child (widget_class, LkFilterBar, pool_button);
  gtk_widget_class_bind_template_child (widget_class, LkFilterBar, owner_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LkFilterBar, source_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LkFilterBar, grade_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LkFilterBar, temperature_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LkFilterBar, tag_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LkFilterBar, overdue_button);
  gtk_widget_class_bind_template_child (widget_class, LkFilterBar, clear_button);
  gtk_widget_class_bind_template_child (widget_class, LkFilterBar, end_box);
  gtk_widget_class_bind_template_callback (widget_class, scope_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, dropdown_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, overdue_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, clear_clicked_cb);
}

static void
lk_filter_bar_init (LkFilterBar *self)
{
  self->reloading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->owner_ids = g_ptr_array_new_with_free_func (g_free);
  self->source_ids = g_ptr_array_new_with_free_func (g_free);
  self->tag_ids = g_ptr_array_new_with_free_func (g_free);
}

/* The tags most used, with the one chosen kept even when no lead has it
 * any more. */
static void
fill_tags (LkFilterBar        *self,
           const char * const *tags)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *tag = g_strdup (value_of (self->tag_ids, self->tag_dropdown));

  g_ptr_array_set_size (self->tag_ids, 0);
  g_ptr_array_add (self->tag_ids, NULL);
  g_ptr_array_add (names, g_strdup (_("Any Tag")));
  for (guint i = 0; tags != NULL && tags[i]; i++)
    {
      g_ptr_array_add (self->tag_ids, g_strdup (tags[i]));
      g_ptr_array_add (names, g_strdup_printf ("#%s", tags[i]));
    }
  if (tag != NULL && (tags == NULL || !g_strv_contains (tags, tag)))
    {
      g_ptr_array_add (self->tag_ids, g_strdup (tag));
      g_ptr_array_add (names, g_strdup_printf ("#%s", tag));
    }
  self->reloading = TRUE;
  fill (self->tag_dropdown, self->tag_ids, names, tag);
  self->reloading = FALSE;
}

static void
tags_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(LkFilterBar) self = data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) tags = lk_store_list_tags_finish (LK_STORE (source), result, &error);

  if (tags == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not list the tags: %s", error->message);
      return;
    }
  g_clear_object (&self->tags_cancellable);
  fill_tags (self, (const char * const *) tags);
}

/* Fills the drop-downs from the team, the sources and the tags in use,
 * keeping what is selected. The tags (every tag of every lead) are read
 * on a worker and come a moment later. */
void
lk_filter_bar_reload (LkFilterBar *self)
{
  LkStore *store = lk_context_get_store (self->context);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) users = lk_store_list_users (store, NULL);
  g_autofree char *owner = g_strdup (value_of (self->owner_ids, self->owner_dropdown));
  g_autofree char *source = g_strdup (value_of (self->source_ids, self->source_dropdown));
  const LkTerm *terms;
  guint n_terms;

  g_return_if_fail (LK_IS_FILTER_BAR (self));

  self->reloading = TRUE;

  g_ptr_array_set_size (self->owner_ids, 0);
  g_ptr_array_add (self->owner_ids, NULL);
  g_ptr_array_add (names, g_strdup (_("Any Owner")));
  for (guint i = 0; users != NULL && i < users->len; i++)
    {
      LkUser *user = g_ptr_array_index (users, i);

      g_ptr_array_add (self->owner_ids, g_strdup (lk_record_get_id (LK_RECORD (user))));
      g_ptr_array_add (names, g_strdup (lk_user_get_display_name (user)));
    }
  fill (self->owner_dropdown, self->owner_ids, names, owner);

  g_ptr_array_set_size (names, 0);
  g_ptr_array_set_size (self->source_ids, 0);
  g_ptr_array_add (self->source_ids, NULL);
  g_ptr_array_add (names, g_strdup (_("Any Source")));
  terms = lk_vocabulary_sources (&n_terms);
  for (guint i = 0; i < n_terms; i++)
    {
      g_ptr_array_add (self->source_ids, g_strdup (terms[i].id));
      g_ptr_array_add (names, g_strdup (lk_vocabulary_source_name (terms[i].id)));
    }
  fill (self->source_dropdown, self->source_ids, names, source);

  if (self->tag_ids->len == 0)
    fill_tags (self, NULL);

  self->reloading = FALSE;
  apply (self);

  if (self->tags_cancellable != NULL)
    g_cancellable_cancel (self->tags_cancellable);
  g_set_object (&self->tags_cancellable, g_cancellable_new ());
  lk_store_list_tags_async (store, 40, self->tags_cancellable, tags_read_cb, g_object_ref (self));
}

/**
 * lk_filter_bar_get_tags_pending:
 *
 * Returns: whether the tags in use are being read
 */
gboolean
lk_filter_bar_get_tags_pending (LkFilterBar *self)
{
  g_return_val_if_fail (LK_IS_FILTER_BAR (self), FALSE);

  return self->tags_cancellable != NULL;
}

LkFilterBar *
lk_filter_bar_new (LkContext   *context,
                   LkLeadQuery *filter)
{
  LkFilterBar *self = g_object_new (LK_TYPE_FILTER_BAR, NULL);
  const char *grades[] = { _("Any Grade"), _("Grade A"), _("Grade B"), _("Grade C"), NULL };
  const char *temperatures[] = { _("Any Temperature"), C_("temperature", "Hot"), C_("temperature", "Warm"),
                                 C_("temperature", "Cold"), NULL };
  g_autoptr(GtkStringList) grade_list = gtk_string_list_new (grades);
  g_autoptr(GtkStringList) temperature_list = gtk_string_list_new (temperatures);

  self->context = g_object_ref (context);
  self->filter = g_object_ref (filter);
  gtk_drop_down_set_model (self->grade_dropdown, G_LIST_MODEL (grade_list));
  gtk_drop_down_set_model (self->temperature_dropdown, G_LIST_MODEL (temperature_list));
  lk_filter_bar_reload (self);
  return self;
}

void
lk_filter_bar_set_scope (LkFilterBar *self,
                         LkScope      scope)
{
  g_return_if_fail (LK_IS_FILTER_BAR (self));

  gtk_toggle_button_set_active (scope == LK_SCOPE_MINE ? self->mine_button
                                : scope == LK_SCOPE_POOL ? self->pool_button
                                : self->all_button, TRUE);
}

LkScope
lk_filter_bar_get_scope (LkFilterBar *self)
{
  g_return_val_if_fail (LK_IS_FILTER_BAR (self), LK_SCOPE_ALL);

  if (gtk_toggle_button_get_active (self->mine_button))
    return LK_SCOPE_MINE;
  if (gtk_toggle_button_get_active (self->pool_button))
    return LK_SCOPE_POOL;
  return LK_SCOPE_ALL;
}

void
lk_filter_bar_clear (LkFilterBar *self)
{
  g_return_if_fail (LK_IS_FILTER_BAR (self));

  self->reloading = TRUE;
  gtk_toggle_button_set_active (self->all_button, TRUE);
  gtk_drop_down_set_selected (self->owner_dropdown, 0);
  gtk_drop_down_set_selected (self->source_dropdown, 0);
  gtk_drop_down_set_selected (self->grade_dropdown, 0);
  gtk_drop_down_set_selected (self->temperature_dropdown, 0);
  gtk_drop_down_set_selected (self->tag_dropdown, 0);
  gtk_toggle_button_set_active (self->overdue_button, FALSE);
  self->reloading = FALSE;
  apply (self);
}

/* Where a view puts its own controls (the board's card order). */
GtkWidget *
lk_filter_bar_get_end_box (LkFilterBar *self)
{
  g_return_val_if_fail (LK_IS_FILTER_BAR (self), NULL);
  return GTK_WIDGET (self->end_box);
}
