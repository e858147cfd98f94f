/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-cli"

#include <glib/gi18n-lib.h>

#include "lk-cli-private.h"
#include "lk-demo.h"
#include "lk-doc.h"
#include "lk-error.h"

/* leads list, stats, check, demo: the commands over many leads. Filters
 * become an LkLeadQuery, so the CLI selects and sorts exactly as the
 * app's board and table do. */

static gboolean
check_stage (LkCli       *cli,
             const char  *stage,
             GError     **error)
{
  LkPipeline *pipeline = lk_context_get_pipeline (cli->context);
  g_autofree char *ids = NULL;

  if (lk_pipeline_lookup (pipeline, stage) != NULL)
    return TRUE;
  ids = lk_pipeline_describe_ids (pipeline);
  g_set_error (error, LK_ERROR, LK_ERROR_NOT_FOUND,
               _("There is no stage “%s”. The stages are: %s"), stage, ids);
  return FALSE;
}

/* Sets @query from the filter options: the stage must exist, an owner may
 * be given with or without "user:", and "a" and "Hot" mean what they say. */
gboolean
lk_cli_filter_apply (LkCli             *cli,
                     const LkCliFilter *filter,
                     LkLeadQuery       *query,
                     GError           **error)
{
  g_autofree char *owner_id = NULL;
  g_autofree char *grade = filter->grade ? g_utf8_strup (filter->grade, -1) : NULL;
  g_autofree char *temperature = filter->temperature ? g_utf8_strdown (filter->temperature, -1) : NULL;

  if (filter->stage != NULL && !check_stage (cli, filter->stage, error))
    return FALSE;
  owner_id = lk_cli_user_id (filter->owner);
  lk_lead_query_set_stage (query, filter->stage);
  lk_lead_query_set_owner (query, owner_id);
  lk_lead_query_set_pool (query, filter->pool);
  lk_lead_query_set_source (query, filter->source);
  lk_lead_query_set_grade (query, grade);
  lk_lead_query_set_temperature (query, temperature);
  lk_lead_query_set_tag (query, filter->tag);
  lk_lead_query_set_overdue (query, filter->overdue);
  lk_lead_query_set_search (query, filter->search);
  return TRUE;
}

static gboolean
parse_sort (const char  *text,
            LkLeadSort  *sort,
            GError     **error)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (LK_TYPE_LEAD_SORT);
  GEnumValue *value = g_enum_get_value_by_nick (klass, text);
  g_autoptr(GString) nicks = NULL;

  if (value != NULL)
    {
      *sort = value->value;
      return TRUE;
    }
  nicks = g_string_new (NULL);
  for (guint i = 0; i < klass->n_values; i++)
    g_string_append_printf (nicks, "%s%s", i > 0 ? ", " : "", klass->values[i].value_nick);
  lk_cli_usage_error (error, _("Leads cannot be sorted by “%s”; the orders are: %s"), text, nicks->str);
  return FALSE;
}

static void
print_table (LkCli     *cli,
             GPtrArray *leads)
{
  g_autoptr(LkCliTable) table = lk_cli_table_new (6);
  /* For a lead another program wrote without a currency */
  g_autofree char *team = lk_store_get_currency (lk_context_get_store (cli->context));

  lk_cli_table_align_right (table, 4);
  lk_cli_table_add_row (table, (const char *[]) {
    _("Code"), _("Company"), _("Contact"), _("Stage"), _("Amount"), _("Owner"),
  });
  for (guint i = 0; i < leads->len; i++)
    {
      LkLead *lead = g_ptr_array_index (leads, i);
      LkRecord *record = LK_RECORD (lead);
      const char *code = lk_record_get_string (record, LK_LEAD_CODE);
      const char *currency = lk_record_get_string (record, LK_LEAD_CURRENCY);
      g_autofree char *amount = lk_cli_format_money (lk_lead_get_amount (lead), currency[0] ? currency : team);

      lk_cli_table_add_row (table, (const char *[]) {
        /* A lead without a code is named by its id, so it can be acted on. */
        code[0] != '\0' ? code : lk_record_get_id (record),
        lk_lead_get_company (lead),
        lk_lead_get_contact (lead),
        lk_cli_stage_name (cli, lk_lead_get_stage (lead)),
        amount,
        lk_cli_user_name (cli, lk_lead_get_owner (lead)),
      });
    }
  lk_cli_table_print (table);
}

gboolean
lk_cli_leads_list (LkCli   *cli,
                   GStrv    args,
                   GError **error)
{
  g_autofree char *stage = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *source = NULL;
  g_autofree char *grade = NULL;
  g_autofree char *temperature = NULL;
  g_autofree char *tag = NULL;
  g_autofree char *search = NULL;
  g_autofree char *sort = NULL;
  gboolean pool = FALSE;
  gboolean overdue = FALSE;
  gboolean reverse = FALSE;
  gboolean json = FALSE;
  int limit = 0;
  const GOptionEntry entries[] = {
    { "stage", 0, 0, G_OPTION_ARG_FILENAME, &stage, N_("Only leads in this stage"), N_("STAGE") },
    { "owner", 0, 0, G_OPTION_ARG_FILENAME, &owner, N_("Only leads of this owner (lilei or user:lilei)"), N_("USER") },
    { "pool", 0, 0, G_OPTION_ARG_NONE, &pool, N_("Only leads without an owner"), NULL },
    { "source", 0, 0, G_OPTION_ARG_FILENAME, &source, N_("Only leads from this source"), N_("SOURCE") },
    { "grade", 0, 0, G_OPTION_ARG_FILENAME, &grade, N_("Only leads of this grade: A, B or C"), N_("GRADE") },
    { "temperature", 0, 0, G_OPTION_ARG_FILENAME, &temperature, N_("Only hot, warm or cold leads"), N_("TEMPERATURE") },
    { "tag", 0, 0, G_OPTION_ARG_FILENAME, &tag, N_("Only leads with this tag"), N_("TAG") },
    { "overdue", 0, 0, G_OPTION_ARG_NONE, &overdue, N_("Only leads whose next follow-up is before today"), NULL },
    { "search", 0, 0, G_OPTION_ARG_FILENAME, &search, N_("Only leads whose text contains every word of TEXT"), N_("TEXT") },
    { "sort", 0, 0, G_OPTION_ARG_FILENAME, &sort, N_("The order: urgency (default), amount, updated, created or company"), N_("ORDER") },
    { "reverse", 0, 0, G_OPTION_ARG_NONE, &reverse, N_("Reverse the order"), NULL },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("At most N leads"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON array of lead documents (version 1)"), NULL },
    { NULL }
  };
  g_autoptr(LkLeadQuery) query = lk_lead_query_new ();
  g_autoptr(GPtrArray) leads = NULL;
  LkLeadSort order = LK_LEAD_SORT_URGENCY;
  LkStore *store;

  if (!lk_cli_parse_options (cli, entries, NULL, &args, 0, 0, error))
    return FALSE;
  if (sort != NULL && !parse_sort (sort, &order, error))
    return FALSE;
  if (limit < 0)
    {
      lk_cli_usage_error (error, _("--limit needs a number of leads, not %d"), limit);
      return FALSE;
    }
  if (pool && owner != NULL)
    {
      lk_cli_usage_error (error, _("--pool lists leads without an owner; it cannot be used with --owner"));
      return FALSE;
    }

  store = lk_cli_open_store (cli, error);
  if (store == NULL)
    return FALSE;
  {
    LkCliFilter filter = { stage, owner, pool, source, grade, temperature, tag, overdue, search };

    if (!lk_cli_filter_apply (cli, &filter, query, error))
      return FALSE;
  }
  lk_lead_query_set_sort (query, order);
  lk_lead_query_set_reversed (query, reverse);

  leads = lk_store_query_leads (store, query, (guint) limit, error);
  if (leads == NULL)
    return FALSE;

  if (json)
    {
      g_autoptr(JsonArray) array = json_array_sized_new (leads->len);
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < leads->len; i++)
        json_array_add_object_element (array, lk_doc_from_record (g_ptr_array_index (leads, i)));
      json_node_set_array (node, array);
      lk_cli_print_json (node);
    }
  else if (leads->len == 0)
    lk_cli_warn ("%s", _("No leads match"));
  else
    print_table (cli, leads);
  return TRUE;
}

static JsonNode *
totals_json (const char *stage,
             const char *name,
             gint64      count,
             gint64      amount,
             gint64      weighted)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  if (stage != NULL)
    {
      json_builder_set_member_name (builder, "stage");
      json_builder_add_string_value (builder, stage);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
    }
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, count);
  json_builder_set_member_name (builder, "amount");
  json_builder_add_int_value (builder, amount);
  json_builder_set_member_name (builder, "weighted");
  json_builder_add_int_value (builder, weighted);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

gboolean
lk_cli_stats (LkCli   *cli,
              GStrv    args,
              GError **error)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON, with amounts as integers in minor units (cents)"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) totals = NULL;
  gint64 count = 0, amount = 0, weighted = 0;
  LkStore *store;

  if (!lk_cli_parse_options (cli, entries,
                             _("Weighted amounts are the amounts times the stage’s probability of winning."),
                             &args, 0, 0, error))
    return FALSE;

  store = lk_cli_open_store (cli, error);
  if (store == NULL)
    return FALSE;
  totals = lk_store_stage_totals (store, NULL, error);
  if (totals == NULL)
    return FALSE;
  for (guint i = 0; i < totals->len; i++)
    {
      LkStageTotal *total = g_ptr_array_index (totals, i);

      count += total->count;
      amount += total->amount;
      weighted += total->weighted;
    }

  if (json)
    {
      g_autoptr(JsonObject) root = json_object_new ();
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonArray *stages = json_array_new ();

      for (guint i = 0; i < totals->len; i++)
        {
          LkStageTotal *total = g_ptr_array_index (totals, i);

          json_array_add_element (stages, totals_json (total->stage, lk_cli_stage_name (cli, total->stage),
                                                       total->count, total->amount, total->weighted));
        }
      json_object_set_array_member (root, "stages", stages);
      json_object_set_member (root, "total", totals_json (NULL, NULL, count, amount, weighted));
      json_node_set_object (node, root);
      lk_cli_print_json (node);
    }
  else
    {
      g_autoptr(LkCliTable) table = lk_cli_table_new (4);
      /* Sums in the team's currency; amounts are added as they are */
      g_autofree char *currency = lk_store_get_currency (store);

      for (guint c = 1; c < 4; c++)
        lk_cli_table_align_right (table, c);
      lk_cli_table_add_row (table, (const char *[]) { _("Stage"), _("Leads"), _("Amount"), _("Weighted") });
      for (guint i = 0; i <= totals->len; i++)
        {
          LkStageTotal *total = i < totals->len ? g_ptr_array_index (totals, i) : NULL;
          g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, total ? total->count : count);
          g_autofree char *a = lk_cli_format_money (total ? total->amount : amount, currency);
          g_autofree char *w = lk_cli_format_money (total ? total->weighted : weighted, currency);

          lk_cli_table_add_row (table, (const char *[]) {
            total ? lk_cli_stage_name (cli, total->stage) : _("Total"), n, a, w,
          });
        }
      lk_cli_table_print (table);
    }
  return TRUE;
}

gboolean
lk_cli_check (LkCli   *cli,
              GStrv    args,
              GError **error)
{
  g_autoptr(GPtrArray) problems = NULL;
  LkStore *store;

  if (!lk_cli_parse_options (cli, NULL,
                             _("Checks SQLite’s integrity, the search and tag indexes, stage ids and the sync queue. Exits with 1 when a problem is found."),
                             &args, 0, 0, error))
    return FALSE;

  store = lk_cli_open_store (cli, error);
  if (store == NULL)
    return FALSE;
  problems = lk_store_check (store, error);
  if (problems == NULL)
    {
      /* The core can stop without saying why (a count it cannot make
       * sense of); that is still a database to look at. */
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, LK_ERROR, LK_ERROR_DATABASE,
                             _("The database could not be checked; it may be damaged. Make a copy of it before repairing it"));
      return FALSE;
    }
  if (problems->len == 0)
    {
      g_print ("%s\n", _("Database is consistent"));
      return TRUE;
    }
  for (guint i = 0; i < problems->len; i++)
    g_print ("%s\n", (const char *) g_ptr_array_index (problems, i));
  return FALSE;
}

gboolean
lk_cli_demo (LkCli   *cli,
             GStrv    args,
             GError **error)
{
  int count = 200;
  gint64 seed = 1;
  const GOptionEntry entries[] = {
    { "count", 0, 0, G_OPTION_ARG_INT, &count, N_("How many leads (default: 200)"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("The same seed makes the same leads (default: 1)"), N_("S") },
    { NULL }
  };
  LkStore *store;

  if (!lk_cli_parse_options (cli, entries,
                             _("Adds sample companies, contacts, stage histories and follow-ups, and a sample team."),
                             &args, 0, 0, error))
    return FALSE;
  if (count < 1)
    {
      lk_cli_usage_error (error, _("--count needs a positive number, not %d"), count);
      return FALSE;
    }
  if (seed < 0 || seed > G_MAXUINT32)
    {
      lk_cli_usage_error (error, _("--seed needs a number from 0 to %u"), G_MAXUINT32);
      return FALSE;
    }

  if (lk_cli_open (cli, error) == NULL)
    return FALSE;
  store = lk_context_get_store (cli->context);
  if (!lk_demo_generate (store, (guint) count, (guint32) seed, NULL, NULL, NULL, error))
    return FALSE;
  g_print (g_dngettext (GETTEXT_PACKAGE, "Added %d sample lead", "Added %d sample leads", count), count);
  g_print ("\n");
  return TRUE;
}
