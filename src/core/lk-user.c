/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-user"

#include <string.h>

#include "lk-user.h"

struct _LkUser
{
  LkRecord parent_instance;
};

G_DEFINE_FINAL_TYPE (LkUser, lk_user, LK_TYPE_RECORD)

static const LkFieldInfo user_fields[LK_USER_N_FIELDS] = {
  { "name",         "name",         LK_FIELD_STRING },
  { "display_name", "display_name", LK_FIELD_STRING },
  { "role",         "role",         LK_FIELD_STRING },  /* rep, manager */
  { "email",        "email",        LK_FIELD_STRING },
  { "regions",      "regions",      LK_FIELD_TAGS },
  { "industries",   "industries",   LK_FIELD_TAGS },
  { "senior",       "senior",       LK_FIELD_BOOL },
  { "capacity",     "capacity",     LK_FIELD_INT },     /* open leads; 0 = no limit */
};

static void
lk_user_class_init (LkUserClass *klass)
{
  lk_record_class_set_fields (LK_RECORD_CLASS (klass), "user", "users",
                              user_fields, G_N_ELEMENTS (user_fields));
}

static void
lk_user_init (LkUser *self)
{
  lk_record_set_string (LK_RECORD (self), LK_USER_ROLE, "rep");
}

/* "lilei" → "user:lilei"; an id is returned as it is. */
char *
lk_user_id_for_name (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  if (g_str_has_prefix (name, "user:"))
    return g_strdup (name);
  return g_strconcat ("user:", name, NULL);
}

/* "user:lilei" → "lilei": what to show for a team member this desktop
 * has not seen yet (their user document has not synced). */
const char *
lk_user_id_get_name (const char *user_id)
{
  if (user_id == NULL)
    return NULL;
  return g_str_has_prefix (user_id, "user:") ? user_id + strlen ("user:") : user_id;
}

LkUser *
lk_user_new (const char *name,
             const char *display_name,
             const char *role)
{
  LkUser *self = g_object_new (LK_TYPE_USER, NULL);
  LkRecord *record = LK_RECORD (self);
  g_autofree char *id = lk_user_id_for_name (name);

  lk_record_set_id (record, id);
  lk_record_set_string (record, LK_USER_NAME, name);
  lk_record_set_string (record, LK_USER_DISPLAY_NAME, display_name);
  if (role != NULL)
    lk_record_set_string (record, LK_USER_ROLE, role);
  return self;
}

const char *
lk_user_get_display_name (LkUser *self)
{
  const char *display = lk_record_get_string (LK_RECORD (self), LK_USER_DISPLAY_NAME);

  return display[0] != '\0' ? display : lk_record_get_string (LK_RECORD (self), LK_USER_NAME);
}

/* Latin names give their initials ("Anna Weber" → "AW"); Chinese names
 * give their last two characters, as teams call each other ("韩梅梅" → "梅梅"). */
char *
lk_user_get_initials (LkUser *self)
{
  const char *name = lk_user_get_display_name (self);
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean at_word = TRUE;

  if (name[0] != '\0' && g_unichar_iswide (g_utf8_get_char (name)))
    {
      glong len = g_utf8_strlen (name, -1);
      const char *start = g_utf8_offset_to_pointer (name, MAX (0, len - 2));

      return g_strdup (start);
    }
  for (const char *p = name; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == '-' || c == '.')
        at_word = TRUE;
      else if (at_word && out->len < 8)
        {
          g_string_append_unichar (out, g_unichar_toupper (c));
          at_word = FALSE;
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
