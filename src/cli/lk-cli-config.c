/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-cli"

#include <glib/gi18n-lib.h>

#include "lk-cli-private.h"
#include "lk-error.h"
#include "lk-validate.h"

/* `config`: this desktop's own settings, kept in its database and never
 * synced: which team member works here, and the region of phone numbers
 * written without a country code. */

static char *
get_value (LkContext  *context,
           const char *key)
{
  LkStore *store = lk_context_get_store (context);

  if (g_str_equal (key, "user"))
    return g_strdup (lk_context_get_user_id (context));
  if (g_str_equal (key, "phone-region"))
    {
      g_autofree char *region = lk_store_get_local (store, "phone-region");

      return g_strdup (region ? region : LK_DEFAULT_PHONE_REGION);
    }
  return NULL;
}

static gboolean
set_value (LkContext   *context,
           const char  *key,
           const char  *value,
           GError     **error)
{
  if (g_str_equal (key, "user"))
    {
      g_autofree char *user_id = lk_cli_user_id (value);

      return lk_context_set_user_id (context, user_id, error);
    }
  if (g_str_equal (key, "phone-region"))
    {
      g_autofree char *region = g_ascii_strup (value, -1);

      if (!lk_phone_region_supported (region))
        {
          g_autofree char *regions = lk_phone_regions_describe ();

          g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                       _("“%s” is not a region Leadkeeper reads phone numbers for. The regions are: %s"),
                       value, regions);
          return FALSE;
        }
      return lk_store_set_local (lk_context_get_store (context), "phone-region", region, error);
    }
  return FALSE;
}

gboolean
lk_cli_config (LkCli   *cli,
               GStrv    args,
               GError **error)
{
  static const struct
  {
    const char *key;
    const char *summary;
  } keys[] = {
    { "user", N_("the team member who works on this desktop (their name or user id)") },
    { "phone-region", N_("the region of phone numbers written without a country code (CN, TW, HK, …)") },
  };
  LkContext *context;
  const char *key;
  guint n;
  gboolean known = FALSE;

  if (!lk_cli_parse_options (cli, NULL,
                             _("Without KEY, lists this desktop’s settings; with KEY, prints one; with KEY and VALUE, changes it. These settings stay on this desktop and are not synced.\n\nKeys:\n  user           the team member working here\n  phone-region   the region of phone numbers without a country code"),
                             &args, 0, 2, error))
    return FALSE;
  n = g_strv_length (args) - 1;
  key = n >= 1 ? args[1] : NULL;
  for (guint i = 0; key != NULL && i < G_N_ELEMENTS (keys); i++)
    known |= g_str_equal (keys[i].key, key);
  if (key != NULL && !known)
    {
      lk_cli_usage_error (error, _("There is no setting “%s”. The settings are: user, phone-region"), key);
      return FALSE;
    }

  context = lk_cli_open (cli, error);
  if (context == NULL)
    return FALSE;
  if (key == NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        {
          g_autofree char *value = get_value (context, keys[i].key);

          g_print ("%-14s %-16s # %s\n", keys[i].key, value ? value : "", _(keys[i].summary));
        }
      return TRUE;
    }
  if (n == 1)
    {
      g_autofree char *value = get_value (context, key);

      g_print ("%s\n", value ? value : "");
      return TRUE;
    }
  return set_value (context, key, args[2], error);
}
