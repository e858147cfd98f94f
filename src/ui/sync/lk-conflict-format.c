/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-conflict-format"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "lk-format.h"
#include "lk-lead.h"
#include "lk-vocabulary.h"
#include "sync/lk-conflict-format.h"

/* The lead editor's wording, so that a field is called the same here. */
static const struct
{
  const char *field;
  const char *title;
} field_titles[] = {
  { "code", N_("Lead Code") },
  { "company", N_("Company") },
  { "industry", N_("Industry") },
  { "company_size", N_("Company Size (Employees)") },
  { "contact", N_("Contact Name") },
  { "title", N_("Job Title") },
  { "phone", N_("Phone") },
  { "email", N_("Email") },
  { "im", N_("WeChat or Other Handle") },
  { "region", N_("Region") },
  { "source", N_("Source") },
  { "campaign", N_("Campaign or Event") },
  { "needs", N_("Needs") },
  { "budget", N_("Budget") },
  { "amount", N_("Expected Amount") },
  { "currency", N_("Currency") },
  { "grade", N_("Grade") },
  { "score", N_("Score") },
  { "temperature", N_("Temperature") },
  { "bant.budget", N_("BANT: Budget") },
  { "bant.authority", N_("BANT: Authority") },
  { "bant.need", N_("BANT: Need") },
  { "bant.timeline", N_("BANT: Timeline") },
  { "mql", N_("Marketing Qualified (MQL)") },
  { "sql", N_("Sales Qualified (SQL)") },
  { "tags", N_("Tags") },
  { "owner", N_("Owner") },
  { "assigned_at", N_("Assigned") },
  { "stage", N_("Stage") },
  { "stage_entered_at", N_("In Stage Since") },
  { "lost_reason", N_("Lost Reason") },
  { "next_followup_at", N_("Next Follow-up") },
  { "first_contacted_at", N_("First Contacted") },
  { "last_contacted_at", N_("Last Contacted") },
  { "consent", N_("Consent") },
  { "do_not_contact", N_("Do Not Contact") },
  { "notes", N_("Notes") },
  { "created_at", N_("Created") },
  { "created_by", N_("Created By") },
  { "updated_at", N_("Updated") },
  { "updated_by", N_("Updated By") },
};

char *
lk_conflict_field_title (const char *field)
{
  g_return_val_if_fail (field != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (field_titles); i++)
    if (g_str_equal (field_titles[i].field, field))
      return g_strdup (_(field_titles[i].title));
  /* A field of a newer Leadkeeper or another program: its own name. */
  return g_strdup (field);
}

static char *
empty_value (void)
{
  /* Translators: a field without a value, in the conflicts page */
  return g_strdup (_("(empty)"));
}

static char *
format_string (LkContext  *context,
               const char *field,
               const char *value)
{
  if (value[0] == '\0')
    return empty_value ();
  if (g_str_equal (field, "stage"))
    {
      LkStage *stage = lk_pipeline_lookup (lk_context_get_pipeline (context), value);

      return g_strdup (stage ? lk_stage_get_name (stage) : value);
    }
  if (g_str_equal (field, "temperature"))
    return g_strdup (lk_vocabulary_temperature_name (value));
  if (g_str_equal (field, "source"))
    return g_strdup (lk_vocabulary_source_name (value));
  if (g_str_equal (field, "lost_reason"))
    return g_strdup (lk_pipeline_translate_reason (value));
  if (g_str_equal (field, "owner") || g_str_equal (field, "created_by") || g_str_equal (field, "updated_by"))
    {
      g_autoptr(LkUser) user = lk_store_get_user (lk_context_get_store (context), value, NULL);

      return g_strdup (user ? lk_user_get_display_name (user) : lk_user_id_get_name (value));
    }
  return g_strdup (value);
}

static char *
format_tags (JsonArray *array)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint n = json_array_get_length (array);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        continue;
      if (text->len > 0)
        /* Translators: between the items of a list ("vip, expo2024");
         * Chinese uses "、" */
        g_string_append (text, C_("list separator", ", "));
      g_string_append (text, json_node_get_string (node));
    }
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : empty_value ();
}

/**
 * lk_conflict_format_value:
 * @field: the document field ("amount", "bant.budget")
 * @json: the value's JSON text ("125000", "null", "[\"vip\"]")
 * @currency: (nullable): the lead's currency, for amounts
 *
 * Returns: the value as people read it
 */
char *
lk_conflict_format_value (LkContext  *context,
                          const char *field,
                          const char *json,
                          const char *currency)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GTypeClass) klass = NULL;
  int index;
  LkFieldKind kind;

  g_return_val_if_fail (LK_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (field != NULL, NULL);

  node = json ? json_from_string (json, NULL) : NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (g_strcmp0 (field, "owner") == 0)
        return g_strdup (C_("owner", "Pool"));
      return empty_value ();
    }

  klass = g_type_class_ref (LK_TYPE_LEAD);
  index = lk_record_class_find_field (LK_RECORD_CLASS (klass), field);
  if (index < 0)
    return json_to_string (node, FALSE);
  kind = lk_record_class_get_fields (LK_RECORD_CLASS (klass), NULL)[index].kind;

  switch (kind)
    {
    case LK_FIELD_STRING:
    case LK_FIELD_REF:
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        return format_string (context, field, json_node_get_string (node));
      break;

    case LK_FIELD_BOOL:
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        return g_strdup (json_node_get_boolean (node) ? _("Yes") : _("No"));
      break;

    case LK_FIELD_MONEY:
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
        {
          g_autofree char *team = NULL;

          /* A lead's amount in its own currency; else the team's */
          if (currency == NULL || currency[0] == '\0')
            currency = team = lk_store_get_currency (lk_context_get_store (context));
          return lk_format_money (json_node_get_int (node), currency);
        }
      break;

    case LK_FIELD_TIME:
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
        return json_node_get_int (node) != 0 ? lk_format_date_time (json_node_get_int (node), NULL) : empty_value ();
      break;

    case LK_FIELD_INT:
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
        return lk_format_count (json_node_get_int (node));
      break;

    case LK_FIELD_TAGS:
      if (JSON_NODE_HOLDS_ARRAY (node))
        return format_tags (json_node_get_array (node));
      break;

    default:
      break;
    }
  /* Not the type the field has: shown as it is rather than hidden. */
  return json_to_string (node, FALSE);
}
