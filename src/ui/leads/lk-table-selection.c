/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-table-selection"

#include "lk-table-selection.h"

/* A multiple selection over a lazy list of 100,000 leads.
 *
 * GTK 4.8's GtkMultiSelection remembers the selected *items*: selecting
 * all asks the list for every item, and so does every change while leads
 * are selected; over an LkLeadList that is one SQL read per lead (Ctrl+A
 * on 100,000 leads took minutes). This selection keeps positions only, in
 * a GtkBitset, like the first GtkMultiSelection did: a change of the list
 * unselects the replaced positions and shifts the ones after. (A big
 * replacement, such as a new order, comes from LkLeadList as a removal
 * then an insertion, so the list views do not read every lead either.) */

struct _LkTableSelection
{
  GObject     parent_instance;

  /* Owned */
  GListModel *model;
  GtkBitset  *selected;
};

static void list_model_iface_init      (GListModelInterface        *iface);
static void selection_model_iface_init (GtkSelectionModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LkTableSelection, lk_table_selection, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init)
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SELECTION_MODEL, selection_model_iface_init))

enum {
  PROP_0,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
items_changed_cb (LkTableSelection *self,
                  guint             position,
                  guint             removed,
                  guint             added,
                  GListModel       *model)
{
  gtk_bitset_splice (self->selected, position, removed, added);
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

static GType
list_model_get_item_type (GListModel *list)
{
  return g_list_model_get_item_type (LK_TABLE_SELECTION (list)->model);
}

static guint
list_model_get_n_items (GListModel *list)
{
  return g_list_model_get_n_items (LK_TABLE_SELECTION (list)->model);
}

static gpointer
list_model_get_item (GListModel *list,
                     guint       position)
{
  return g_list_model_get_item (LK_TABLE_SELECTION (list)->model, position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_model_get_item_type;
  iface->get_n_items = list_model_get_n_items;
  iface->get_item = list_model_get_item;
}

static gboolean
selection_is_selected (GtkSelectionModel *model,
                       guint              position)
{
  return gtk_bitset_contains (LK_TABLE_SELECTION (model)->selected, position);
}

static GtkBitset *
selection_get_selection_in_range (GtkSelectionModel *model,
                                  guint              position,
                                  guint              n_items)
{
  return gtk_bitset_ref (LK_TABLE_SELECTION (model)->selected);
}

/* Sets what @mask covers as @selected says; as GtkMultiSelection does. */
static gboolean
selection_set_selection (GtkSelectionModel *model,
                         GtkBitset         *selected,
                         GtkBitset         *mask)
{
  LkTableSelection *self = LK_TABLE_SELECTION (model);
  g_autoptr(GtkBitset) changes = gtk_bitset_copy (selected);
  guint n_items = g_list_model_get_n_items (self->model);
  guint min, max;

  /* changes = (selected XOR self->selected) AND mask, without looking at
   * anything outside the mask */
  gtk_bitset_difference (changes, self->selected);
  gtk_bitset_intersect (changes, mask);
  if (n_items > 0)
    gtk_bitset_remove_range_closed (changes, n_items, G_MAXUINT);
  else
    gtk_bitset_remove_all (changes);
  if (gtk_bitset_is_empty (changes))
    return TRUE;

  min = gtk_bitset_get_minimum (changes);
  max = gtk_bitset_get_maximum (changes);
  gtk_bitset_difference (self->selected, changes);
  gtk_selection_model_selection_changed (model, min, max - min + 1);
  return TRUE;
}

static gboolean
select_range (GtkSelectionModel *model,
              guint              position,
              guint              n_items,
              gboolean           exclusive)
{
  guint n_all = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_autoptr(GtkBitset) selected = gtk_bitset_new_range (position, n_items);
  g_autoptr(GtkBitset) mask = exclusive ? gtk_bitset_new_range (0, n_all) : gtk_bitset_ref (selected);

  return selection_set_selection (model, selected, mask);
}

static gboolean
unselect_range (GtkSelectionModel *model,
                guint              position,
                guint              n_items)
{
  g_autoptr(GtkBitset) selected = gtk_bitset_new_empty ();
  g_autoptr(GtkBitset) mask = gtk_bitset_new_range (position, n_items);

  return selection_set_selection (model, selected, mask);
}

static gboolean
selection_select_item (GtkSelectionModel *model,
                       guint              position,
                       gboolean           unselect_rest)
{
  return select_range (model, position, 1, unselect_rest);
}

static gboolean
selection_unselect_item (GtkSelectionModel *model,
                         guint              position)
{
  return unselect_range (model, position, 1);
}

static gboolean
selection_select_range (GtkSelectionModel *model,
                        guint              position,
                        guint              n_items,
                        gboolean           unselect_rest)
{
  return select_range (model, position, n_items, unselect_rest);
}

static gboolean
selection_unselect_range (GtkSelectionModel *model,
                          guint              position,
                          guint              n_items)
{
  return unselect_range (model, position, n_items);
}

static gboolean
selection_select_all (GtkSelectionModel *model)
{
  return select_range (model, 0, g_list_model_get_n_items (G_LIST_MODEL (model)), FALSE);
}

static gboolean
selection_unselect_all (GtkSelectionModel *model)
{
  return unselect_range (model, 0, g_list_model_get_n_items (G_LIST_MODEL (model)));
}

static void
selection_model_iface_init (GtkSelectionModelInterface *iface)
{
  iface->is_selected = selection_is_selected;
  iface->get_selection_in_range = selection_get_selection_in_range;
  iface->select_item = selection_select_item;
  iface->unselect_item = selection_unselect_item;
  iface->select_range = selection_select_range;
  iface->unselect_range = selection_unselect_range;
  iface->select_all = selection_select_all;
  iface->unselect_all = selection_unselect_all;
  iface->set_selection = selection_set_selection;
}

static void
lk_table_selection_constructed (GObject *object)
{
  LkTableSelection *self = LK_TABLE_SELECTION (object);

  G_OBJECT_CLASS (lk_table_selection_parent_class)->constructed (object);

  g_assert (self->model != NULL);
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (items_changed_cb),
                           self, G_CONNECT_SWAPPED);
}

static void
lk_table_selection_dispose (GObject *object)
{
  LkTableSelection *self = LK_TABLE_SELECTION (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (lk_table_selection_parent_class)->dispose (object);
}

static void
lk_table_selection_finalize (GObject *object)
{
  LkTableSelection *self = LK_TABLE_SELECTION (object);

  g_clear_pointer (&self->selected, gtk_bitset_unref);

  G_OBJECT_CLASS (lk_table_selection_parent_class)->finalize (object);
}

static void
lk_table_selection_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  LkTableSelection *self = LK_TABLE_SELECTION (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_table_selection_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  LkTableSelection *self = LK_TABLE_SELECTION (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      self->model = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_table_selection_class_init (LkTableSelectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = lk_table_selection_constructed;
  object_class->dispose = lk_table_selection_dispose;
  object_class->finalize = lk_table_selection_finalize;
  object_class->get_property = lk_table_selection_get_property;
  object_class->set_property = lk_table_selection_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lk_table_selection_init (LkTableSelection *self)
{
  self->selected = gtk_bitset_new_empty ();
}

LkTableSelection *
lk_table_selection_new (GListModel *model)
{
  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);

  return g_object_new (LK_TYPE_TABLE_SELECTION, "model", model, NULL);
}

/* Returns: (transfer none): the list it selects in */
GListModel *
lk_table_selection_get_model (LkTableSelection *self)
{
  g_return_val_if_fail (LK_IS_TABLE_SELECTION (self), NULL);
  return self->model;
}
