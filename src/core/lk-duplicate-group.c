/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-dedup"

#include "lk-duplicate-group.h"
#include "lk-error.h"

struct _LkDuplicateGroup
{
  GObject         parent_instance;

  /* Owned */
  GArray         *rowids; /* gint64, in the order they came to this desktop */
  GPtrArray      *leads;  /* LkLead, once loaded */

  LkDuplicateKey  key;    /* the first key that joined two of them */
};

G_DEFINE_FINAL_TYPE (LkDuplicateGroup, lk_duplicate_group, G_TYPE_OBJECT)

static void
lk_duplicate_group_finalize (GObject *object)
{
  LkDuplicateGroup *self = LK_DUPLICATE_GROUP (object);

  g_clear_pointer (&self->rowids, g_array_unref);
  g_clear_pointer (&self->leads, g_ptr_array_unref);
  G_OBJECT_CLASS (lk_duplicate_group_parent_class)->finalize (object);
}

static void
lk_duplicate_group_class_init (LkDuplicateGroupClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lk_duplicate_group_finalize;
}

static void
lk_duplicate_group_init (LkDuplicateGroup *self)
{
  self->rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
}

LkDuplicateGroup *
lk_duplicate_group_new (LkDuplicateKey key)
{
  LkDuplicateGroup *self = g_object_new (LK_TYPE_DUPLICATE_GROUP, NULL);

  self->key = key;
  return self;
}

void
lk_duplicate_group_add_rowid (LkDuplicateGroup *self,
                              gint64            rowid)
{
  g_return_if_fail (LK_IS_DUPLICATE_GROUP (self));
  g_return_if_fail (self->leads == NULL);

  g_array_append_val (self->rowids, rowid);
}

LkDuplicateKey
lk_duplicate_group_get_key (LkDuplicateGroup *self)
{
  g_return_val_if_fail (LK_IS_DUPLICATE_GROUP (self), LK_DUPLICATE_NONE);

  return self->key;
}

/* Returns: (transfer none) (element-type gint64): the leads' rowids */
GArray *
lk_duplicate_group_get_rowids (LkDuplicateGroup *self)
{
  g_return_val_if_fail (LK_IS_DUPLICATE_GROUP (self), NULL);

  return self->rowids;
}

guint
lk_duplicate_group_get_n_leads (LkDuplicateGroup *self)
{
  g_return_val_if_fail (LK_IS_DUPLICATE_GROUP (self), 0);

  return self->rowids->len;
}

/**
 * lk_duplicate_group_load_leads:
 *
 * Reads the group's leads (once: they are kept). A lead deleted since the
 * scan is left out.
 *
 * Returns: (transfer none) (element-type LkLead): the leads, in the order
 *   of the rowids; %NULL with @error set
 */
GPtrArray *
lk_duplicate_group_load_leads (LkDuplicateGroup  *self,
                               LkStore           *store,
                               GError           **error)
{
  g_autoptr(GPtrArray) leads = NULL;

  g_return_val_if_fail (LK_IS_DUPLICATE_GROUP (self), NULL);
  g_return_val_if_fail (LK_IS_STORE (store), NULL);

  if (self->leads != NULL)
    return self->leads;
  leads = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->rowids->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      LkLead *lead = lk_store_get_lead_by_rowid (store, g_array_index (self->rowids, gint64, i), &local_error);

      if (lead == NULL && !g_error_matches (local_error, LK_ERROR, LK_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (lead != NULL && lk_record_get_deleted (LK_RECORD (lead)))
        g_clear_object (&lead);
      if (lead != NULL)
        g_ptr_array_add (leads, lead);
    }
  self->leads = g_steal_pointer (&leads);
  return self->leads;
}

/* Returns: (transfer none): a lead, after lk_duplicate_group_load_leads() */
LkLead *
lk_duplicate_group_get_lead (LkDuplicateGroup *self,
                             guint             index)
{
  g_return_val_if_fail (LK_IS_DUPLICATE_GROUP (self), NULL);
  g_return_val_if_fail (self->leads != NULL && index < self->leads->len, NULL);

  return g_ptr_array_index (self->leads, index);
}

/* The key's name in `leadkeeper-cli dedup --json`: not translated. */
const char *
lk_duplicate_key_to_string (LkDuplicateKey key)
{
  switch (key)
    {
    case LK_DUPLICATE_PHONE:
      return "phone";
    case LK_DUPLICATE_EMAIL:
      return "email";
    case LK_DUPLICATE_COMPANY:
      return "company";
    case LK_DUPLICATE_NONE:
    default:
      return "none";
    }
}
