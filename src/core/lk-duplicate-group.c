/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-dedup"

#include "lk-duplicate-group.h"

struct _LkDuplicateGroup
{
  GObject         parent_instance;

  /* Owned */
  GPtrArray      *leads;  /* LkLead, oldest first */

  LkDuplicateKey  key;    /* the first key that joined two of them */
};

G_DEFINE_FINAL_TYPE (LkDuplicateGroup, lk_duplicate_group, G_TYPE_OBJECT)

static void
lk_duplicate_group_finalize (GObject *object)
{
  LkDuplicateGroup *self = LK_DUPLICATE_GROUP (object);

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
  self->leads = g_ptr_array_new_with_free_func (g_object_unref);
}

LkDuplicateGroup *
lk_duplicate_group_new (LkDuplicateKey key)
{
  LkDuplicateGroup *self = g_object_new (LK_TYPE_DUPLICATE_GROUP, NULL);

  self->key = key;
  return self;
}

void
lk_duplicate_group_add_lead (LkDuplicateGroup *self,
                             LkLead           *lead)
{
  g_return_if_fail (LK_IS_DUPLICATE_GROUP (self));
  g_return_if_fail (LK_IS_LEAD (lead));

  g_ptr_array_add (self->leads, g_object_ref (lead));
}

LkDuplicateKey
lk_duplicate_group_get_key (LkDuplicateGroup *self)
{
  g_return_val_if_fail (LK_IS_DUPLICATE_GROUP (self), LK_DUPLICATE_NONE);

  return self->key;
}

/* Returns: (transfer none) (element-type LkLead): the leads, oldest first */
GPtrArray *
lk_duplicate_group_get_leads (LkDuplicateGroup *self)
{
  g_return_val_if_fail (LK_IS_DUPLICATE_GROUP (self), NULL);

  return self->leads;
}

guint
lk_duplicate_group_get_n_leads (LkDuplicateGroup *self)
{
  g_return_val_if_fail (LK_IS_DUPLICATE_GROUP (self), 0);

  return self->leads->len;
}

/* Returns: (transfer none) */
LkLead *
lk_duplicate_group_get_lead (LkDuplicateGroup *self,
                             guint             index)
{
  g_return_val_if_fail (LK_IS_DUPLICATE_GROUP (self), NULL);
  g_return_val_if_fail (index < self->leads->len, NULL);

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
