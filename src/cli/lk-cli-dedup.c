/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-cli"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-cli-private.h"
#include "lk-doc.h"
#include "lk-error.h"
#include "lk-store-merge.h"

/* `dedup` and `merge`: the duplicates view and its merge, for admins who
 * clean a database after an import, and for scripts (--json). */

static const char *
key_label (LkDuplicateKey key)
{
  switch (key)
    {
    case LK_DUPLICATE_PHONE:
      return _("same phone");
    case LK_DUPLICATE_EMAIL:
      return _("same email");
    case LK_DUPLICATE_COMPANY:
      return _("same company and contact");
    case LK_DUPLICATE_NONE:
    default:
      return "";
    }
}

gboolean
lk_cli_dedup (LkCli   *cli,
              GStrv    args,
              GError **error)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print a JSON array of groups: {\"key\": phone|email|company, \"leads\": [lead documents]}"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) groups = NULL;
  LkStore *store;

  if (!lk_cli_parse_options (cli, entries,
                             _("Leads are duplicates when they have the same phone (in E.164), the same email, or the same company (without its legal form) and contact. Merge a group with “merge”."),
                             &args, 0, 0, error))
    return FALSE;
  store = lk_cli_open_store (cli, error);
  if (store == NULL)
    return FALSE;
  groups = lk_store_scan_duplicates (store, NULL, error);
  if (groups == NULL)
    return FALSE;
  for (guint i = 0; i < groups->len; i++)
    if (lk_duplicate_group_load_leads (g_ptr_array_index (groups, i), store, error) == NULL)
      return FALSE;

  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_sized_new (groups->len);

      for (guint i = 0; i < groups->len; i++)
        {
          LkDuplicateGroup *group = g_ptr_array_index (groups, i);
          GPtrArray *loaded = lk_duplicate_group_load_leads (group, store, NULL);
          JsonObject *object = json_object_new ();
          JsonArray *leads = json_array_new ();

          for (guint j = 0; j < loaded->len; j++)
            json_array_add_object_element (leads, lk_doc_from_record (g_ptr_array_index (loaded, j)));
          json_object_set_string_member (object, "key", lk_duplicate_key_to_string (lk_duplicate_group_get_key (group)));
          json_object_set_array_member (object, "leads", leads);
          json_array_add_object_element (array, object);
        }
      json_node_take_array (node, array);
      lk_cli_print_json (node);
      return TRUE;
    }

  if (groups->len == 0)
    {
      g_print ("%s\n", _("No duplicates"));
      return TRUE;
    }
  for (guint i = 0; i < groups->len; i++)
    {
      LkDuplicateGroup *group = g_ptr_array_index (groups, i);
      GPtrArray *leads = lk_duplicate_group_load_leads (group, store, NULL);
      g_autoptr(LkCliTable) table = lk_cli_table_new (6);

      /* Translators: a group of duplicates: "3 leads, same phone" */
      g_print (ngettext ("%u lead, %s\n", "%u leads, %s\n", leads->len),
               leads->len, key_label (lk_duplicate_group_get_key (group)));
      for (guint j = 0; j < leads->len; j++)
        {
          LkRecord *lead = g_ptr_array_index (leads, j);
          const char *owner = lk_lead_get_owner (LK_LEAD (lead));
          g_autofree char *created = lk_cli_format_time (cli, lk_record_get_int (lead, LK_LEAD_CREATED_AT));

          lk_cli_table_add_row (table, (const char *[]) {
            lk_record_get_id (lead),
            lk_lead_get_display_name (LK_LEAD (lead)),
            lk_record_get_string (lead, LK_LEAD_PHONE),
            lk_record_get_string (lead, LK_LEAD_EMAIL),
            owner ? lk_cli_user_name (cli, owner) : _("pool"),
            created,
          });
        }
      lk_cli_table_print (table);
      g_print ("\n");
    }
  return TRUE;
}

gboolean
lk_cli_merge (LkCli   *cli,
              GStrv    args,
              GError **error)
{
  g_auto(GStrv) fields = NULL;
  const GOptionEntry entries[] = {
    { "field", 0, 0, G_OPTION_ARG_STRING_ARRAY, &fields,
      N_("Take FIELD from the lead ID (one of those merged); repeat for each field"), N_("FIELD=ID") },
    { NULL }
  };
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) choices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(LkLead) primary = NULL;
  g_autofree char *merge_id = NULL;
  LkStore *store;

  if (!lk_cli_parse_options (cli, entries,
                             _("Merges OTHER leads into PRIMARY, which stays: a field keeps PRIMARY’s value unless --field names another lead, or PRIMARY has none; tags are joined and notes added up. Follow-ups and stage history move to PRIMARY; the others are deleted. The merge syncs like any edit."),
                             &args, 2, G_MAXUINT, error))
    return FALSE;
  store = lk_cli_open_store (cli, error);
  if (store == NULL)
    return FALSE;
  primary = lk_cli_find_live_lead (store, args[1], error);
  if (primary == NULL)
    return FALSE;
  for (guint i = 2; args[i] != NULL; i++)
    {
      g_autoptr(LkLead) other = lk_cli_find_live_lead (store, args[i], error);

      if (other == NULL)
        return FALSE;
      g_ptr_array_add (ids, g_strdup (lk_record_get_id (LK_RECORD (other))));
    }
  g_ptr_array_add (ids, NULL);

  for (guint i = 0; fields != NULL && fields[i] != NULL; i++)
    {
      const char *equals = strchr (fields[i], '=');
      g_autofree char *name = NULL;
      g_autoptr(LkLead) source = NULL;

      if (equals == NULL || equals == fields[i] || equals[1] == '\0')
        {
          lk_cli_usage_error (error, _("--field takes FIELD=ID, such as --field phone=%s, not “%s”"),
                              args[1], fields[i]);
          return FALSE;
        }
      name = g_strndup (fields[i], equals - fields[i]);
      if (!lk_merge_field_is_choosable (name))
        {
          lk_cli_usage_error (error, _("“%s” is not a field a merge can choose (try company, contact, phone, email, owner, stage …)"),
                              name);
          return FALSE;
        }
      source = lk_cli_find_live_lead (store, equals + 1, error);
      if (source == NULL)
        return FALSE;
      g_hash_table_replace (choices, g_steal_pointer (&name), g_strdup (lk_record_get_id (LK_RECORD (source))));
    }

  if (!lk_store_merge_leads (store, lk_record_get_id (LK_RECORD (primary)),
                             (const char * const *) ids->pdata, choices, &merge_id, error))
    return FALSE;
  g_print (ngettext ("Merged %u lead into %s\n", "Merged %u leads into %s\n", ids->len - 1),
           ids->len - 1, lk_record_get_id (LK_RECORD (primary)));
  /* Translators: after a merge; %s is the merge's id */
  g_print (_("To undo it: %s unmerge %s\n"), LK_CLI_PROGRAM, merge_id);
  return TRUE;
}

gboolean
lk_cli_unmerge (LkCli   *cli,
                GStrv    args,
                GError **error)
{
  LkStore *store;

  if (!lk_cli_parse_options (cli, NULL,
                             _("Brings back the leads a merge deleted, with their follow-ups and history, and the values the lead kept had before. MERGE is the id “merge” printed."),
                             &args, 1, 1, error))
    return FALSE;
  store = lk_cli_open_store (cli, error);
  if (store == NULL || !lk_store_unmerge (store, args[1], error))
    return FALSE;
  g_print ("%s\n", _("Merge undone"));
  return TRUE;
}
