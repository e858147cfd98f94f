/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-lead-list"

#include <string.h>

#include "lk-lead-list.h"

/* A lazy GListModel of the leads a query selects.
 *
 * It keeps only the ordered rowids of the query (an index scan) and makes
 * an LkLead when a view asks for that position, so a column of 20,000
 * cards costs 160 KB and as many objects as rows are on screen. When the
 * store or the query changes it re-reads the ids and emits the smallest
 * items-changed that turns the old order into the new one, plus a
 * one-item change for each visible lead whose content changed in place. */

#define MAX_CACHED 4096

struct _LkLeadList
{
  GObject      parent_instance;

  /* Owned */
  LkStore     *store;
  LkLeadQuery *query;
  GArray      *rowids;   /* gint64, in query order */
  GHashTable  *cache;    /* rowid → LkLead, the items handed out */

  guint        limit;     /* 0: all the leads of the query */
  guint        first_limit; /* the limit it was made with: a new query starts there */

  gulong       changed_id;
  gulong       notify_id;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LkLeadList, lk_lead_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_QUERY,
  PROP_N_ITEMS,
  PROP_LIMIT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GArray *
load_rowids (LkLeadList *self)
{
  g_autoptr(GError) error = NULL;
  GArray *rowids = lk_store_query_rowids_limited (self->store, self->query, self->limit, &error);

  if (rowids == NULL)
    {
      g_warning ("Could not list leads: %s", error->message);
      rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
    }
  return rowids;
}

/* Drops cached items for @ids (document ids), collecting their rowids. */
static GHashTable *
forget_changed (LkLeadList         *self,
                const char * const *ids)
{
  GHashTable *rowids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GHashTable) wanted = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (ids == NULL)
    {
      g_hash_table_remove_all (self->cache);
      return rowids;
    }
  wanted = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; ids[i]; i++)
    g_hash_table_add (wanted, (gpointer) ids[i]);

  g_hash_table_iter_init (&iter, self->cache);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_hash_table_contains (wanted, lk_record_get_id (LK_RECORD (value))))
      {
        g_hash_table_add (rowids, g_memdup2 (key, sizeof (gint64)));
        g_hash_table_iter_remove (&iter);
      }
  return rowids;
}

static gboolean
contains_rowid (GArray *rowids,
                gint64  rowid)
{
  const gint64 *ids = (const gint64 *) (gpointer) rowids->data;

  for (guint i = 0; i < rowids->len; i++)
    if (ids[i] == rowid)
      return TRUE;
  return FALSE;
}

/* Whether a change of the leads @ids can show in this list: one of them
 * is in it now, or belongs in it after the change. Most edits concern one
 * or two columns of the board; the others need not re-read their ids. */
static gboolean
concerns (LkLeadList         *self,
          const char * const *ids)
{
  guint n = g_strv_length ((char **) ids);

  if (n > 32)
    return TRUE;
  for (guint i = 0; i < n; i++)
    {
      gint64 rowid = lk_store_lookup_rowid (self->store, ids[i]);

      if (rowid == 0 || contains_rowid (self->rowids, rowid) ||
          lk_store_lead_matches (self->store, self->query, rowid))
        return TRUE;
    }
  return FALSE;
}

/* Large replacements are told in two steps. When one items-changed both
 * removes a row GTK tracks (the focused or anchored one) and adds rows,
 * GTK 4.8 fetches every added item looking for it by identity
 * (gtk_list_item_manager_model_items_changed_cb): clearing a search on a
 * 20,000-lead column then made 20,000 leads. Removing first and adding
 * second leaves nothing to search. Small changes keep one signal, so GTK
 * still follows a moved card. */
#define SPLIT_ABOVE 64

static void
emit_change (LkLeadList *self,
             GArray     *old,
             guint       position,
             guint       removed,
             guint       added)
{
  g_autoptr(GArray) next = NULL;

  if (removed == 0 || added <= SPLIT_ABOVE)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
      return;
    }
  /* In between, the list is the old one without the removed rows. */
  next = g_steal_pointer (&self->rowids);
  self->rowids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), old->len - removed);
  g_array_append_vals (self->rowids, old->data, position);
  g_array_append_vals (self->rowids, &g_array_index (old, gint64, position + removed),
                       old->len - position - removed);
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, 0);
  g_array_unref (self->rowids);
  self->rowids = g_steal_pointer (&next);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, added);
}

/* Whether the first @n_a ids of @a equal the first ids of @b, where @b
 * has at least as many: what is left of the old order after one lead
 * left (or came in) at the same position. */
static gboolean
shifted (const gint64 *a,
         const gint64 *b,
         guint         n_a,
         guint         n_b)
{
  return n_a <= n_b && memcmp (a, b, n_a * sizeof (gint64)) == 0;
}

/* Emits one change with the list showing @ids (@n_ids of them) while it
 * is emitted, then keeps the real new list. */
static void
shift_change (LkLeadList   *self,
              const gint64 *ids,
              guint         n_ids,
              guint         position,
              guint         removed,
              guint         added)
{
  g_autoptr(GArray) next = g_steal_pointer (&self->rowids);

  self->rowids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_ids);
  g_array_append_vals (self->rowids, ids, n_ids);
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  g_array_unref (self->rowids);
  self->rowids = g_steal_pointer (&next);
}

static void
update (LkLeadList         *self,
        const char * const *changed_ids,
        gboolean            everything)
{
  g_autoptr(GArray) old = NULL;
  g_autoptr(GHashTable) changed = NULL;
  const gint64 *o, *n;
  guint n_old, n_new, prefix = 0, suffix = 0;
  guint added_from, added_to;

  if (!everything && changed_ids != NULL && !concerns (self, changed_ids))
    return;

  old = self->rowids;
  changed = forget_changed (self, everything ? NULL : changed_ids);
  self->rowids = load_rowids (self);

  n_old = old->len;
  n_new = self->rowids->len;

  /* After bulk work (an import, a sync) anything may differ: one reset is
   * cheaper than finding out what. */
  if (everything)
    {
      if (n_old > 0 || n_new > 0)
        emit_change (self, old, 0, n_old, n_new);
      if (n_old != n_new)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
      return;
    }

  o = (const gint64 *) (gpointer) old->data;
  n = (const gint64 *) (gpointer) self->rowids->data;
  while (prefix < n_old && prefix < n_new && o[prefix] == n[prefix])
    prefix++;
  while (suffix < n_old - prefix && suffix < n_new - prefix &&
         o[n_old - 1 - suffix] == n[n_new - 1 - suffix])
    suffix++;

  /* The rows of the new list that are new to the views. */
  added_from = prefix;
  added_to = n_new - suffix;

  if (suffix == 0 && n_old - prefix > 1 && n_new - prefix > 1 &&
      shifted (o + prefix + 1, n + prefix, n_old - prefix - 1, n_new - prefix))
    {
      /* One lead left and the window took in the next: a removal and an
       * append, not a replacement of everything after it (which GTK
       * would re-check row by row). */
      shift_change (self, n, n_old - 1, prefix, 1, 0);
      g_list_model_items_changed (G_LIST_MODEL (self), n_old - 1, 0, n_new - (n_old - 1));
      added_from = n_old - 1;
      added_to = n_new;
    }
  else if (suffix == 0 && n_old - prefix > 1 && n_new - prefix > 1 &&
           shifted (n + prefix + 1, o + prefix, n_new - prefix - 1, n_old - prefix))
    {
      /* One lead came in and pushed the last ones out of the window. */
      g_autoptr(GArray) between = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_old + 1);

      g_array_append_vals (between, n, n_new);
      g_array_append_vals (between, o + n_new - 1, n_old - (n_new - 1));
      shift_change (self, (const gint64 *) (gpointer) between->data, between->len, prefix, 0, 1);
      g_list_model_items_changed (G_LIST_MODEL (self), n_new, n_old + 1 - n_new, 0);
      added_from = prefix;
      added_to = prefix + 1;
    }
  else if (n_old - prefix - suffix > 0 || n_new - prefix - suffix > 0)
    emit_change (self, old, prefix, n_old - prefix - suffix, n_new - prefix - suffix);

  /* Leads that stayed in the list but changed: rebind those rows. */
  for (guint i = 0; g_hash_table_size (changed) > 0 && i < n_new; i++)
    {
      if (i >= added_from && i < added_to)
        continue;
      if (g_hash_table_contains (changed, &n[i]))
        g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 1);
    }

  if (n_old != n_new)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
store_changed_cb (LkLeadList         *self,
                  const char         *doc_type,
                  const char * const *ids,
                  LkStore            *store)
{
  if (doc_type != NULL && !g_str_equal (doc_type, "lead"))
    return;
  update (self, ids, doc_type == NULL || ids == NULL);
}

/* Another filter, search or sort starts from the top again: a window
 * grown by scrolling would make GTK build every card of it anew. */
static void
query_notify_cb (LkLeadList  *self,
                 GParamSpec  *pspec,
                 LkLeadQuery *query)
{
  gboolean shrunk = self->first_limit > 0 && self->limit > self->first_limit;

  if (shrunk)
    self->limit = self->first_limit;
  update (self, NULL, FALSE);
  if (shrunk)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIMIT]);
}

static GType
list_model_get_item_type (GListModel *model)
{
  return LK_TYPE_LEAD;
}

static guint
list_model_get_n_items (GListModel *model)
{
  return LK_LEAD_LIST (model)->rowids->len;
}

static gpointer
list_model_get_item (GListModel *model,
                     guint       position)
{
  LkLeadList *self = LK_LEAD_LIST (model);
  g_autoptr(GError) error = NULL;
  gint64 rowid;
  LkLead *lead;

  if (position >= self->rowids->len)
    return NULL;
  rowid = g_array_index (self->rowids, gint64, position);
  lead = g_hash_table_lookup (self->cache, &rowid);
  if (lead != NULL)
    return g_object_ref (lead);

  lead = lk_store_get_lead_by_rowid (self->store, rowid, &error);
  if (lead == NULL)
    {
      /* Deleted by another connection since the ids were read; the next
       * ::changed removes it. An empty lead keeps the view consistent. */
      g_debug ("Lead %" G_GINT64_FORMAT " vanished: %s", rowid, error->message);
      lead = lk_lead_new ();
      lk_record_set_rowid (LK_RECORD (lead), rowid);
    }
  /* Views hold the items they show; the cache spares re-reading, and is
   * how update() finds the shown rows to rebind, so only the items no
   * view holds any more are dropped. */
  if (g_hash_table_size (self->cache) >= MAX_CACHED)
    {
      GHashTableIter iter;
      gpointer item;

      g_hash_table_iter_init (&iter, self->cache);
      while (g_hash_table_iter_next (&iter, NULL, &item))
        if (G_OBJECT (item)->ref_count == 1)
          g_hash_table_iter_remove (&iter);
    }
  g_hash_table_insert (self->cache, g_memdup2 (&rowid, sizeof rowid), g_object_ref (lead));
  return lead;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_model_get_item_type;
  iface->get_n_items = list_model_get_n_items;
  iface->get_item = list_model_get_item;
}

static void
lk_lead_list_dispose (GObject *object)
{
  LkLeadList *self = LK_LEAD_LIST (object);

  g_clear_signal_handler (&self->changed_id, self->store);
  g_clear_signal_handler (&self->notify_id, self->query);
  g_clear_object (&self->store);
  g_clear_object (&self->query);
  if (self->cache)
    g_hash_table_remove_all (self->cache);

  G_OBJECT_CLASS (lk_lead_list_parent_class)->dispose (object);
}

static void
lk_lead_list_finalize (GObject *object)
{
  LkLeadList *self = LK_LEAD_LIST (object);

  g_clear_pointer (&self->rowids, g_array_unref);
  g_clear_pointer (&self->cache, g_hash_table_unref);

  G_OBJECT_CLASS (lk_lead_list_parent_class)->finalize (object);
}

static void
lk_lead_list_constructed (GObject *object)
{
  LkLeadList *self = LK_LEAD_LIST (object);

  G_OBJECT_CLASS (lk_lead_list_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  if (self->query == NULL)
    self->query = lk_lead_query_new ();
  self->first_limit = self->limit;
  self->rowids = load_rowids (self);
  self->changed_id = g_signal_connect_swapped (self->store, "changed",
                                               G_CALLBACK (store_changed_cb), self);
  self->notify_id = g_signal_connect_swapped (self->query, "notify",
                                              G_CALLBACK (query_notify_cb), self);
}

static void
lk_lead_list_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  LkLeadList *self = LK_LEAD_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_QUERY:
      g_value_set_object (value, self->query);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->rowids ? self->rowids->len : 0);
      break;
    case PROP_LIMIT:
      g_value_set_uint (value, self->limit);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_lead_list_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  LkLeadList *self = LK_LEAD_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_QUERY:
      self->query = g_value_dup_object (value);
      break;
    case PROP_LIMIT:
      lk_lead_list_set_limit (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_lead_list_class_init (LkLeadListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lk_lead_list_dispose;
  object_class->finalize = lk_lead_list_finalize;
  object_class->constructed = lk_lead_list_constructed;
  object_class->get_property = lk_lead_list_get_property;
  object_class->set_property = lk_lead_list_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, LK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUERY] =
    g_param_spec_object ("query", NULL, NULL, LK_TYPE_LEAD_QUERY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIMIT] =
    g_param_spec_uint ("limit", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lk_lead_list_init (LkLeadList *self)
{
  self->cache = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
}

/**
 * lk_lead_list_new:
 * @query: (nullable): the filters and order; changing it updates the list
 */
LkLeadList *
lk_lead_list_new (LkStore     *store,
                  LkLeadQuery *query)
{
  g_return_val_if_fail (LK_IS_STORE (store), NULL);
  g_return_val_if_fail (query == NULL || LK_IS_LEAD_QUERY (query), NULL);

  return g_object_new (LK_TYPE_LEAD_LIST, "store", store, "query", query, NULL);
}

LkLeadQuery *
lk_lead_list_get_query (LkLeadList *self)
{
  g_return_val_if_fail (LK_IS_LEAD_LIST (self), NULL);
  return self->query;
}

LkStore *
lk_lead_list_get_store (LkLeadList *self)
{
  g_return_val_if_fail (LK_IS_LEAD_LIST (self), NULL);
  return self->store;
}

/* How many leads are materialised: what "lazy" promises, for tests. */
guint
lk_lead_list_get_n_loaded (LkLeadList *self)
{
  g_return_val_if_fail (LK_IS_LEAD_LIST (self), 0);
  return g_hash_table_size (self->cache);
}

/* Returns: the position of the lead with @rowid, or -1 */
int
lk_lead_list_find (LkLeadList *self,
                   gint64      rowid)
{
  g_return_val_if_fail (LK_IS_LEAD_LIST (self), -1);

  for (guint i = 0; i < self->rowids->len; i++)
    if (g_array_index (self->rowids, gint64, i) == rowid)
      return (int) i;
  return -1;
}

/* Re-reads everything, e.g. when the day changed and "overdue" moved. */
void
lk_lead_list_refresh (LkLeadList *self)
{
  g_return_if_fail (LK_IS_LEAD_LIST (self));
  update (self, NULL, TRUE);
}

guint
lk_lead_list_get_limit (LkLeadList *self)
{
  g_return_val_if_fail (LK_IS_LEAD_LIST (self), 0);
  return self->limit;
}

/**
 * lk_lead_list_set_limit:
 * @limit: how many of the query's leads the list holds, the first in its
 *   order; 0 for all
 *
 * A board column holds a window of its first leads and grows it as the
 * user scrolls: its header counts all of them in SQL, and GTK 4.8 makes a
 * widget for up to 200 items of a list whatever is on screen.
 */
void
lk_lead_list_set_limit (LkLeadList *self,
                        guint       limit)
{
  g_return_if_fail (LK_IS_LEAD_LIST (self));

  if (self->limit == limit)
    return;
  self->limit = limit;
  if (self->rowids != NULL)
    update (self, NULL, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIMIT]);
}

/* Whether the list holds every lead of its query. */
gboolean
lk_lead_list_get_complete (LkLeadList *self)
{
  g_return_val_if_fail (LK_IS_LEAD_LIST (self), TRUE);
  return self->limit == 0 || self->rowids->len < self->limit;
}

/**
 * lk_lead_list_reveal:
 *
 * Grows the window until it holds the lead @rowid, if the query selects it.
 * Returns: its position, or -1
 */
int
lk_lead_list_reveal (LkLeadList *self,
                     gint64      rowid)
{
  int position;

  g_return_val_if_fail (LK_IS_LEAD_LIST (self), -1);

  while ((position = lk_lead_list_find (self, rowid)) < 0 && !lk_lead_list_get_complete (self))
    lk_lead_list_set_limit (self, self->limit * 2);
  return position;
}
