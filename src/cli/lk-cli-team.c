/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-cli"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "lk-cli-private.h"
#include "lk-error.h"
#include "lk-maintain.h"
#include "lk-settings.h"
#include "lk-store-rules.h"

/* assign | claim | maintain | rules: routing leads to the team and the
 * pool's upkeep, for managers and a server's cron job
 * (`leadkeeper-cli maintain` every hour). */

static void
set_string_or_null (JsonObject *object,
                    const char *name,
                    const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

static JsonObject *
assign_result_json (LkAssignResult *result)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "lead", result->lead_id);
  json_object_set_string_member (object, "name", result->lead_name);
  set_string_or_null (object, "from", result->from_owner);
  set_string_or_null (object, "to", result->to_owner);
  set_string_or_null (object, "rule", result->rule_id);
  set_string_or_null (object, "rule_name", result->rule_name);
  set_string_or_null (object, "problem", result->problem);
  return object;
}

gboolean
lk_cli_assign (LkCli   *cli,
               GStrv    args,
               GError **error)
{
  gboolean dry_run = FALSE;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Only show who would get each lead"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON: what happened to each lead"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(LkAssignment) assignment = NULL;
  LkStore *store;
  guint n_assigned = 0;

  if (!lk_cli_parse_options (cli, entries,
                             _("Without ID, assigns every open lead in the pool; with IDs (ids or codes), routes those leads again. Each assignment is logged on its lead. The rules are settings:assignment (see “rules assignment”)."),
                             &args, 0, G_MAXUINT, error))
    return FALSE;

  store = lk_cli_open_store (cli, error);
  if (store == NULL)
    return FALSE;
  assignment = lk_store_get_assignment (store, error);
  if (assignment == NULL)
    return FALSE;
  for (guint i = 1; args[i] != NULL; i++)
    {
      g_autoptr(LkLead) lead = lk_cli_find_live_lead (store, args[i], error);

      if (lead == NULL)
        return FALSE;
      g_ptr_array_add (ids, g_strdup (lk_record_get_id (LK_RECORD (lead))));
    }
  g_ptr_array_add (ids, NULL);
  results = lk_assignment_run (assignment, store, ids->len > 1 ? (const char * const *) ids->pdata : NULL,
                               dry_run, error);
  if (results == NULL)
    return FALSE;
  for (guint i = 0; i < results->len; i++)
    {
      LkAssignResult *result = g_ptr_array_index (results, i);

      n_assigned += result->to_owner != NULL && g_strcmp0 (result->to_owner, result->from_owner) != 0;
    }

  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *root = json_object_new ();
      JsonArray *array = json_array_sized_new (results->len);

      for (guint i = 0; i < results->len; i++)
        json_array_add_object_element (array, assign_result_json (g_ptr_array_index (results, i)));
      json_object_set_boolean_member (root, "dry_run", dry_run);
      json_object_set_int_member (root, "assigned", n_assigned);
      json_object_set_array_member (root, "results", array);
      json_node_take_object (node, root);
      lk_cli_print_json (node);
      return TRUE;
    }

  if (results->len == 0)
    {
      g_print ("%s\n", _("The pool is empty: there is nothing to assign"));
      return TRUE;
    }
  {
    g_autoptr(LkCliTable) table = lk_cli_table_new (4);

    for (guint i = 0; i < results->len; i++)
      {
        LkAssignResult *result = g_ptr_array_index (results, i);
        g_autofree char *move = NULL;

        if (result->to_owner == NULL)
          move = g_strdup (result->problem);
        else if (g_strcmp0 (result->to_owner, result->from_owner) == 0)
          move = g_strdup_printf (_("stays with %s"), lk_cli_user_name (cli, result->to_owner));
        else
          /* Translators: an assignment and the rule that made it: "→ 李雷 (East China)" */
          move = g_strdup_printf (_("→ %s (%s)"), lk_cli_user_name (cli, result->to_owner), result->rule_name);
        lk_cli_table_add_row (table, (const char *[]) {
          "", result->lead_name, result->from_owner ? lk_cli_user_name (cli, result->from_owner) : _("pool"), move,
        });
      }
    lk_cli_table_print (table);
  }
  g_print (dry_run ? ngettext ("%u lead would be assigned", "%u leads would be assigned", n_assigned)
                   : ngettext ("%u lead assigned", "%u leads assigned", n_assigned),
           n_assigned);
  g_print ("\n");
  return TRUE;
}

gboolean
lk_cli_claim (LkCli   *cli,
              GStrv    args,
              GError **error)
{
  g_autofree char *user_name = NULL;
  const GOptionEntry entries[] = {
    { "user", 0, 0, G_OPTION_ARG_FILENAME, &user_name,
      N_("Who claims it, as lilei or user:lilei (default: this desktop’s user)"), N_("USER") },
    { NULL }
  };
  g_autoptr(LkPool) pool = NULL;
  g_autoptr(LkLead) lead = NULL;
  g_autofree char *user = NULL;
  LkStore *store;

  if (!lk_cli_parse_options (cli, entries, _("ID is a lead’s id (lead:…) or code, of a lead in the pool."),
                             &args, 1, 1, error))
    return FALSE;

  store = lk_cli_open_store (cli, error);
  if (store == NULL)
    return FALSE;
  user = user_name != NULL ? lk_cli_user_id (user_name) : g_strdup (lk_store_get_user_id (store));
  pool = lk_store_get_pool (store, error);
  if (pool == NULL)
    return FALSE;
  lead = lk_cli_find_live_lead (store, args[1], error);
  if (lead == NULL || !lk_pool_claim (pool, store, lk_record_get_id (LK_RECORD (lead)), user, error))
    return FALSE;
  g_print (_("“%s” is now %s’s"), lk_lead_get_display_name (lead), lk_cli_user_name (cli, user));
  g_print ("\n");
  return TRUE;
}

static JsonArray *
changes_json (GPtrArray        *changes,
              LkPoolChangeKind  kind)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < changes->len; i++)
    {
      LkPoolChange *change = g_ptr_array_index (changes, i);
      JsonObject *object;

      if (change->kind != kind)
        continue;
      object = json_object_new ();
      json_object_set_string_member (object, "lead", change->lead_id);
      json_object_set_string_member (object, "name", change->lead_name);
      set_string_or_null (object, "owner", change->owner);
      if (kind != LK_POOL_UNFLAGGED)
        json_object_set_int_member (object, "since", change->since);
      json_array_add_object_element (array, object);
    }
  return array;
}

gboolean
lk_cli_maintain (LkCli   *cli,
                 GStrv    args,
                 GError **error)
{
  gboolean dry_run = FALSE;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Only show what would change"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON: the leads recycled, flagged and unflagged"), NULL },
    { NULL }
  };
  g_autoptr(LkMaintainReport) report = NULL;
  g_autoptr(LkPool) pool = NULL;
  LkStore *store;

  if (!lk_cli_parse_options (cli, entries,
                             _("Returns to the pool the leads nobody contacted within the recycle hours of their assignment, and tags pool leads nobody claimed for the unclaimed days. The rules are settings:pool (see “rules pool”). Run it every hour from cron on one machine, or let the app do it."),
                             &args, 0, 0, error))
    return FALSE;

  store = lk_cli_open_store (cli, error);
  if (store == NULL)
    return FALSE;
  report = lk_maintain (store, dry_run, error);
  if (report == NULL)
    return FALSE;

  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *root = json_object_new ();

      json_object_set_boolean_member (root, "dry_run", dry_run);
      json_object_set_array_member (root, "recycled", changes_json (report->changes, LK_POOL_RECYCLED));
      json_object_set_array_member (root, "flagged", changes_json (report->changes, LK_POOL_FLAGGED));
      json_object_set_array_member (root, "unflagged", changes_json (report->changes, LK_POOL_UNFLAGGED));
      json_node_take_object (node, root);
      lk_cli_print_json (node);
      return TRUE;
    }

  pool = lk_store_get_pool (store, error);
  if (pool == NULL)
    return FALSE;
  for (guint i = 0; i < report->changes->len; i++)
    {
      LkPoolChange *change = g_ptr_array_index (report->changes, i);
      g_autofree char *since = lk_cli_format_time (cli, change->since);

      switch (change->kind)
        {
        case LK_POOL_RECYCLED:
          /* Translators: "Back to the pool: Acme (李雷 had it since 2024-05-13 10:00)" */
          g_print (_("Back to the pool: %s (%s had it since %s)"), change->lead_name,
                   lk_cli_user_name (cli, change->owner), since);
          break;
        case LK_POOL_FLAGGED:
          g_print (_("Tagged “%s”: %s (in the pool since %s)"), lk_pool_get_flag_tag (pool),
                   change->lead_name, since);
          break;
        case LK_POOL_UNFLAGGED:
        default:
          g_print (_("No longer “%s”: %s"), lk_pool_get_flag_tag (pool), change->lead_name);
          break;
        }
      g_print ("\n");
    }
  if (report->changes->len == 0)
    g_print ("%s\n", _("Nothing to do"));
  else if (dry_run)
    g_print ("%s\n", _("(a dry run: nothing was changed)"));
  return TRUE;
}

static const char * const rule_names[] = {
  LK_RULES_CADENCE, LK_RULES_SCORING, LK_RULES_ASSIGNMENT, LK_RULES_POOL, NULL
};

static JsonObject *
rules_json (LkStore     *store,
            const char  *name,
            GError     **error)
{
  if (g_str_equal (name, LK_RULES_CADENCE))
    {
      g_autoptr(LkCadence) cadence = lk_store_get_cadence (store, error);

      return cadence ? lk_cadence_to_json (cadence) : NULL;
    }
  if (g_str_equal (name, LK_RULES_SCORING))
    {
      g_autoptr(LkScoring) scoring = lk_store_get_scoring (store, error);

      return scoring ? lk_scoring_to_json (scoring) : NULL;
    }
  if (g_str_equal (name, LK_RULES_ASSIGNMENT))
    {
      g_autoptr(LkAssignment) assignment = lk_store_get_assignment (store, error);

      return assignment ? lk_assignment_to_json (assignment) : NULL;
    }
  {
    g_autoptr(LkPool) pool = lk_store_get_pool (store, error);

    return pool ? lk_pool_to_json (pool) : NULL;
  }
}

static char *
read_document (const char  *file,
               GError     **error)
{
  g_autoptr(GString) text = NULL;
  char buffer[4096];
  size_t n;
  char *contents = NULL;

  if (!g_str_equal (file, "-"))
    {
      if (!g_file_get_contents (file, &contents, NULL, error))
        return NULL;
      return contents;
    }
  text = g_string_new (NULL);
  while ((n = fread (buffer, 1, sizeof buffer, stdin)) > 0)
    g_string_append_len (text, buffer, (gssize) n);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

gboolean
lk_cli_rules (LkCli   *cli,
              GStrv    args,
              GError **error)
{
  g_autofree char *names = g_strjoinv (", ", (char **) rule_names);
  g_autofree char *description = g_strdup_printf (_("NAME is one of %s. Without NAME, says which rules are set. With NAME, prints the rules in force as a JSON document (the defaults when none is set). With FILE (“-” for standard input), checks the document and saves it; it syncs like any change."),
                                                  names);
  g_autoptr(JsonObject) object = NULL;
  LkStore *store;
  const char *name;

  if (!lk_cli_parse_options (cli, NULL, description, &args, 0, 2, error))
    return FALSE;
  name = args[1];
  if (name != NULL && !g_strv_contains (rule_names, name))
    {
      lk_cli_usage_error (error, _("There are no rules called “%s”; the rules are %s"), name, names);
      return FALSE;
    }

  store = lk_cli_open_store (cli, error);
  if (store == NULL)
    return FALSE;
  if (name == NULL)
    {
      for (guint i = 0; rule_names[i] != NULL; i++)
        {
          g_autoptr(GError) problem = NULL;
          g_autofree char *json = lk_store_get_setting (store, rule_names[i], NULL);

          if (!lk_store_check_rules (store, rule_names[i], &problem))
            g_print ("%-11s %s\n", rule_names[i], problem->message);
          else
            g_print ("%-11s %s\n", rule_names[i], json != NULL ? _("set") : _("the defaults"));
        }
      return TRUE;
    }
  if (args[2] != NULL)
    {
      g_autofree char *json = read_document (args[2], error);

      if (json == NULL)
        return FALSE;
      if (!g_utf8_validate (json, -1, NULL))
        {
          g_set_error (error, LK_ERROR, LK_ERROR_INVALID, _("“%s” is not UTF-8 text"), args[2]);
          return FALSE;
        }
      if (!lk_store_set_rules_json (store, name, json, error))
        return FALSE;
      g_print (_("Saved settings:%s"), name);
      g_print ("\n");
      return TRUE;
    }
  object = rules_json (store, name, error);
  if (object == NULL)
    return FALSE;
  {
    g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

    json_node_set_object (node, object);
    lk_cli_print_json (node);
  }
  return TRUE;
}
