/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-table-layout"

#include <glib/gi18n-lib.h>

#include "lk-table-layout.h"

/* Which columns of a GtkColumnView are shown, in which order and how
 * wide, kept in two GSettings keys: the ids of the visible columns in
 * order (as) and the widths the user dragged (a{si}). Hidden columns stay
 * in the view after the visible ones, so the header menu can show them
 * again: it has a check item per column ("columns.show-<id>") and
 * "Reset Columns". Without settings the same works for the session. */

#define SAVE_WIDTHS_DELAY_MS 500

typedef struct
{
  LkTableLayout       *layout;   /* borrowed */
  GtkColumnViewColumn *column;   /* owned */
  char                *id;
  gboolean             shown_by_default;
} Entry;

struct _LkTableLayout
{
  GObject              parent_instance;

  /* Owned */
  GtkColumnView       *view;
  GSettings           *settings;
  char                *columns_key;
  char                *widths_key;
  GPtrArray           *entries;   /* Entry, in the order they were added */
  GSimpleActionGroup  *actions;
  GMenu               *menu;
  GMenu               *toggles;

  guint                save_widths_id;
  gboolean             restoring;  /* applying the settings: do not save them */
};

G_DEFINE_FINAL_TYPE (LkTableLayout, lk_table_layout, G_TYPE_OBJECT)

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_signal_handlers_disconnect_by_data (entry->column, entry);
  g_clear_object (&entry->column);
  g_free (entry->id);
  g_free (entry);
}

static Entry *
find_entry (LkTableLayout *self,
            const char    *id)
{
  for (guint i = 0; id != NULL && i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (g_str_equal (entry->id, id))
        return entry;
    }
  return NULL;
}

static Entry *
entry_of (LkTableLayout       *self,
          GtkColumnViewColumn *column)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (entry->column == column)
        return entry;
    }
  return NULL;
}

static guint
count_visible (LkTableLayout *self)
{
  guint n = 0;

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      n += gtk_column_view_column_get_visible (entry->column) ? 1 : 0;
    }
  return n;
}

static void
save_columns (LkTableLayout *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->view);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;
  g_auto(GStrv) saved = NULL;

  if (self->settings == NULL || self->restoring)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      Entry *entry = entry_of (self, column);

      if (entry != NULL && gtk_column_view_column_get_visible (column))
        g_strv_builder_add (builder, entry->id);
    }
  ids = g_strv_builder_end (builder);
  saved = g_settings_get_strv (self->settings, self->columns_key);
  if (!g_strv_equal ((const char * const *) ids, (const char * const *) saved))
    g_settings_set_strv (self->settings, self->columns_key, (const char * const *) ids);
}

static void
save_widths (LkTableLayout *self)
{
  GVariantBuilder builder;

  if (self->settings == NULL)
    return;
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{si}"));
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);
      int width = gtk_column_view_column_get_fixed_width (entry->column);

      if (width > 0)
        g_variant_builder_add (&builder, "{si}", entry->id, width);
    }
  g_settings_set_value (self->settings, self->widths_key, g_variant_builder_end (&builder));
}

static gboolean
save_widths_cb (gpointer user_data)
{
  LkTableLayout *self = user_data;

  self->save_widths_id = 0;
  save_widths (self);
  return G_SOURCE_REMOVE;
}

static void
width_changed_cb (GtkColumnViewColumn *column,
                  GParamSpec          *pspec,
                  Entry               *entry)
{
  LkTableLayout *self = entry->layout;

  /* Dragging a header's edge changes the width at every motion. */
  if (self->settings == NULL || self->restoring || self->save_widths_id != 0)
    return;
  self->save_widths_id = g_timeout_add (SAVE_WIDTHS_DELAY_MS, save_widths_cb, self);
}

static void
visible_changed_cb (GtkColumnViewColumn *column,
                    GParamSpec          *pspec,
                    Entry               *entry)
{
  LkTableLayout *self = entry->layout;
  g_autofree char *name = g_strconcat ("show-", entry->id, NULL);
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), name);

  g_simple_action_set_state (G_SIMPLE_ACTION (action),
                             g_variant_new_boolean (gtk_column_view_column_get_visible (column)));
  save_columns (self);
}

static void
columns_changed_cb (LkTableLayout *self,
                    guint          position,
                    guint          removed,
                    guint          added,
                    GListModel    *columns)
{
  /* A header was dragged to another place. */
  save_columns (self);
}

static void
show_column_cb (GSimpleAction *action,
                GVariant      *state,
                gpointer       user_data)
{
  Entry *entry = user_data;

  /* The last column stays: a table without columns has no header left
   * to right-click for getting them back. */
  if (!g_variant_get_boolean (state) && count_visible (entry->layout) <= 1)
    return;
  gtk_column_view_column_set_visible (entry->column, g_variant_get_boolean (state));
}

static void
reset_cb (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  lk_table_layout_reset (LK_TABLE_LAYOUT (user_data));
}

/* Shows the columns @ids in that order, the others hidden after them;
 * the defaults when none of @ids is known. */
static void
apply (LkTableLayout      *self,
       const char * const *ids,
       GVariant           *widths)
{
  g_autoptr(GHashTable) placed = g_hash_table_new (NULL, NULL);
  guint position = 0;
  GVariantIter iter;
  const char *id;
  int width;

  self->restoring = TRUE;
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      Entry *entry = find_entry (self, ids[i]);

      /* A column of another version, or one named twice. */
      if (entry == NULL || g_hash_table_contains (placed, entry))
        continue;
      g_hash_table_add (placed, entry);
      gtk_column_view_insert_column (self->view, position++, entry->column);
      gtk_column_view_column_set_visible (entry->column, TRUE);
    }
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (g_hash_table_size (placed) == 0)
        {
          gtk_column_view_insert_column (self->view, i, entry->column);
          gtk_column_view_column_set_visible (entry->column, entry->shown_by_default);
        }
      else if (!g_hash_table_contains (placed, entry))
        {
          gtk_column_view_insert_column (self->view, position++, entry->column);
          gtk_column_view_column_set_visible (entry->column, FALSE);
        }
    }

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      gtk_column_view_column_set_fixed_width (entry->column, -1);
    }
  if (widths != NULL)
    {
      g_variant_iter_init (&iter, widths);
      while (g_variant_iter_next (&iter, "{&si}", &id, &width))
        {
          Entry *entry = find_entry (self, id);

          if (entry != NULL && width > 0)
            gtk_column_view_column_set_fixed_width (entry->column, width);
        }
    }
  self->restoring = FALSE;
}

static void
lk_table_layout_dispose (GObject *object)
{
  LkTableLayout *self = LK_TABLE_LAYOUT (object);

  if (self->save_widths_id != 0)
    {
      g_clear_handle_id (&self->save_widths_id, g_source_remove);
      save_widths (self);
    }
  if (self->view != NULL)
    g_signal_handlers_disconnect_by_data (gtk_column_view_get_columns (self->view), self);
  for (guint i = 0; self->entries != NULL && i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);
      g_autofree char *name = g_strconcat ("show-", entry->id, NULL);
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), name);

      g_signal_handlers_disconnect_by_data (action, entry);
    }
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_object (&self->view);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (lk_table_layout_parent_class)->dispose (object);
}

static void
lk_table_layout_finalize (GObject *object)
{
  LkTableLayout *self = LK_TABLE_LAYOUT (object);

  g_clear_pointer (&self->columns_key, g_free);
  g_clear_pointer (&self->widths_key, g_free);
  g_clear_object (&self->actions);
  g_clear_object (&self->menu);
  g_clear_object (&self->toggles);

  G_OBJECT_CLASS (lk_table_layout_parent_class)->finalize (object);
}

static void
lk_table_layout_class_init (LkTableLayoutClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lk_table_layout_dispose;
  object_class->finalize = lk_table_layout_finalize;
}

static void
lk_table_layout_init (LkTableLayout *self)
{
  g_autoptr(GSimpleAction) reset = g_simple_action_new ("reset", NULL);
  g_autoptr(GMenu) reset_section = g_menu_new ();

  self->entries = g_ptr_array_new_with_free_func (entry_free);
  self->actions = g_simple_action_group_new ();
  self->menu = g_menu_new ();
  self->toggles = g_menu_new ();

  g_signal_connect (reset, "activate", G_CALLBACK (reset_cb), self);
  g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (reset));
  g_menu_append (reset_section, _("_Reset Columns"), "columns.reset");
  g_menu_append_section (self->menu, _("Show Columns"), G_MENU_MODEL (self->toggles));
  g_menu_append_section (self->menu, NULL, G_MENU_MODEL (reset_section));
}

/**
 * lk_table_layout_new:
 * @settings: (nullable): where the layout is kept
 * @columns_key: an `as` key: the visible columns' ids in order
 * @widths_key: an `a{si}` key: the widths the user set, by id
 */
LkTableLayout *
lk_table_layout_new (GtkColumnView *view,
                     GSettings     *settings,
                     const char    *columns_key,
                     const char    *widths_key)
{
  LkTableLayout *self;

  g_return_val_if_fail (GTK_IS_COLUMN_VIEW (view), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (columns_key != NULL && widths_key != NULL, NULL);

  self = g_object_new (LK_TYPE_TABLE_LAYOUT, NULL);
  self->view = g_object_ref (view);
  self->settings = settings ? g_object_ref (settings) : NULL;
  self->columns_key = g_strdup (columns_key);
  self->widths_key = g_strdup (widths_key);
  g_signal_connect_object (gtk_column_view_get_columns (view), "items-changed",
                           G_CALLBACK (columns_changed_cb), self, G_CONNECT_SWAPPED);
  return self;
}

/* Appends @column to the view, with a check item in the header menu. */
void
lk_table_layout_add_column (LkTableLayout       *self,
                            GtkColumnViewColumn *column,
                            const char          *id,
                            gboolean             shown_by_default)
{
  g_autofree char *name = g_strconcat ("show-", id, NULL);
  g_autofree char *detailed = g_strconcat ("columns.", name, NULL);
  g_autoptr(GSimpleAction) action = NULL;
  Entry *entry;

  g_return_if_fail (LK_IS_TABLE_LAYOUT (self));
  g_return_if_fail (GTK_IS_COLUMN_VIEW_COLUMN (column));
  g_return_if_fail (find_entry (self, id) == NULL);

  entry = g_new0 (Entry, 1);
  entry->layout = self;
  entry->column = g_object_ref (column);
  entry->id = g_strdup (id);
  entry->shown_by_default = shown_by_default;
  g_ptr_array_add (self->entries, entry);

  self->restoring = TRUE;
  gtk_column_view_column_set_header_menu (column, G_MENU_MODEL (self->menu));
  gtk_column_view_append_column (self->view, column);
  self->restoring = FALSE;
  g_signal_connect (column, "notify::visible", G_CALLBACK (visible_changed_cb), entry);
  g_signal_connect (column, "notify::fixed-width", G_CALLBACK (width_changed_cb), entry);

  action = g_simple_action_new_stateful (name, NULL,
                                         g_variant_new_boolean (gtk_column_view_column_get_visible (column)));
  g_signal_connect (action, "change-state", G_CALLBACK (show_column_cb), entry);
  g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (action));
  g_menu_append (self->toggles, gtk_column_view_column_get_title (column), detailed);
}

/* Applies what the settings say (the defaults without settings). */
void
lk_table_layout_restore (LkTableLayout *self)
{
  g_auto(GStrv) ids = NULL;
  g_autoptr(GVariant) widths = NULL;

  g_return_if_fail (LK_IS_TABLE_LAYOUT (self));

  if (self->settings != NULL)
    {
      ids = g_settings_get_strv (self->settings, self->columns_key);
      widths = g_settings_get_value (self->settings, self->widths_key);
    }
  apply (self, (const char * const *) ids, widths);
}

/* Back to the default columns and widths. */
void
lk_table_layout_reset (LkTableLayout *self)
{
  g_return_if_fail (LK_IS_TABLE_LAYOUT (self));

  g_clear_handle_id (&self->save_widths_id, g_source_remove);
  if (self->settings != NULL)
    {
      g_settings_reset (self->settings, self->columns_key);
      g_settings_reset (self->settings, self->widths_key);
    }
  lk_table_layout_restore (self);
}

/* Returns: (transfer none): "show-<id>" and "reset", for the "columns"
 *   prefix the menu uses */
GActionGroup *
lk_table_layout_get_actions (LkTableLayout *self)
{
  g_return_val_if_fail (LK_IS_TABLE_LAYOUT (self), NULL);
  return G_ACTION_GROUP (self->actions);
}

/* Returns: (transfer none): the header menu every column has */
GMenuModel *
lk_table_layout_get_menu (LkTableLayout *self)
{
  g_return_val_if_fail (LK_IS_TABLE_LAYOUT (self), NULL);
  return G_MENU_MODEL (self->menu);
}
