/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-cli"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-cli-private.h"
#include "lk-doc.h"
#include "lk-error.h"
#include "lk-vocabulary.h"

/* lead add | move | show | set | delete. A lead is named by its id
 * ("lead:…") or its code ("XS202400012"); every change goes through the
 * store's own entry points, so the CLI accepts and refuses exactly what
 * the editor does. */

/* Labels of `lead show`, in document order */
static const char * const labels[LK_LEAD_N_FIELDS] = {
  [LK_LEAD_CODE] = N_("Code"),
  [LK_LEAD_COMPANY] = N_("Company"),
  [LK_LEAD_INDUSTRY] = N_("Industry"),
  [LK_LEAD_COMPANY_SIZE] = N_("Company size"),
  [LK_LEAD_CONTACT] = N_("Contact"),
  [LK_LEAD_TITLE] = N_("Job title"),
  [LK_LEAD_PHONE] = N_("Phone"),
  [LK_LEAD_EMAIL] = N_("Email"),
  [LK_LEAD_IM] = N_("WeChat/IM"),
  [LK_LEAD_REGION] = N_("Region"),
  [LK_LEAD_SOURCE] = N_("Source"),
  [LK_LEAD_CAMPAIGN] = N_("Campaign"),
  [LK_LEAD_NEEDS] = N_("Needs"),
  [LK_LEAD_BUDGET] = N_("Budget"),
  [LK_LEAD_AMOUNT] = N_("Amount"),
  [LK_LEAD_CURRENCY] = NULL,  /* shown with the amounts */
  [LK_LEAD_GRADE] = N_("Grade"),
  [LK_LEAD_SCORE] = N_("Score"),
  [LK_LEAD_TEMPERATURE] = N_("Temperature"),
  [LK_LEAD_BANT_BUDGET] = N_("BANT"),  /* the four BANT flags on one line */
  [LK_LEAD_BANT_AUTHORITY] = NULL,
  [LK_LEAD_BANT_NEED] = NULL,
  [LK_LEAD_BANT_TIMELINE] = NULL,
  [LK_LEAD_MQL] = N_("Marketing qualified"),
  [LK_LEAD_SQL] = N_("Sales qualified"),
  [LK_LEAD_TAGS] = N_("Tags"),
  [LK_LEAD_OWNER] = N_("Owner"),
  [LK_LEAD_ASSIGNED_AT] = N_("Assigned"),
  [LK_LEAD_STAGE] = N_("Stage"),
  [LK_LEAD_STAGE_ENTERED_AT] = N_("In stage since"),
  [LK_LEAD_LOST_REASON] = N_("Lost reason"),
  [LK_LEAD_NEXT_FOLLOWUP_AT] = N_("Next follow-up"),
  [LK_LEAD_FIRST_CONTACTED_AT] = N_("First contacted"),
  [LK_LEAD_LAST_CONTACTED_AT] = N_("Last contacted"),
  [LK_LEAD_CONSENT] = N_("Consent to contact"),
  [LK_LEAD_DO_NOT_CONTACT] = N_("Do not contact"),
  [LK_LEAD_NOTES] = N_("Notes"),
  [LK_LEAD_CREATED_AT] = N_("Created"),
  [LK_LEAD_CREATED_BY] = N_("Created by"),
  [LK_LEAD_UPDATED_AT] = N_("Updated"),
  [LK_LEAD_UPDATED_BY] = N_("Updated by"),
};

static const char *
lead_id (LkLead *lead)
{
  return lk_record_get_id (LK_RECORD (lead));
}

static gboolean
check_utf8 (const char  *text,
            GError     **error)
{
  if (g_utf8_validate (text, -1, NULL))
    return TRUE;
  g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
               _("“%s” is not valid text in this locale’s character set"), text);
  return FALSE;
}

/* Finds a lead by its id, its code, or the id without "lead:". Deleted
 * leads are only found by their id. */
static LkLead *
find_lead (LkStore     *store,
           const char  *ref,
           GError     **error)
{
  g_autoptr(LkLeadQuery) query = NULL;
  g_autoptr(GPtrArray) leads = NULL;
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *id = NULL;
  LkLead *lead;

  if (g_str_has_prefix (ref, "lead:"))
    return lk_store_get_lead (store, ref, error);

  if (ref[0] != '\0')
    {
      /* The code is in the search index: search, then keep exact matches. */
      query = lk_lead_query_new ();
      lk_lead_query_set_search (query, ref);
      leads = lk_store_query_leads (store, query, 0, error);
      if (leads == NULL)
        return NULL;
      for (guint i = 0; i < leads->len; i++)
        if (g_str_equal (lk_record_get_string (g_ptr_array_index (leads, i), LK_LEAD_CODE), ref))
          g_ptr_array_add (matches, g_ptr_array_index (leads, i));
      if (matches->len == 0)
        {
          folded = g_utf8_casefold (ref, -1);
          for (guint i = 0; i < leads->len; i++)
            {
              g_autofree char *code = g_utf8_casefold (lk_record_get_string (g_ptr_array_index (leads, i),
                                                                             LK_LEAD_CODE), -1);

              if (g_str_equal (code, folded))
                g_ptr_array_add (matches, g_ptr_array_index (leads, i));
            }
        }
      if (matches->len == 1)
        return g_object_ref (g_ptr_array_index (matches, 0));
      if (matches->len > 1)
        {
          g_autoptr(GString) ids = g_string_new (NULL);

          for (guint i = 0; i < matches->len; i++)
            g_string_append_printf (ids, "%s%s", i > 0 ? ", " : "", lead_id (g_ptr_array_index (matches, i)));
          g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                       _("Several leads have the code “%s” (%s); give the id of the one you mean"),
                       ref, ids->str);
          return NULL;
        }
    }

  id = g_strconcat ("lead:", ref, NULL);
  lead = lk_store_get_lead (store, id, &local_error);
  if (lead != NULL)
    return lead;
  if (!g_error_matches (local_error, LK_ERROR, LK_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  g_set_error (error, LK_ERROR, LK_ERROR_NOT_FOUND,
               _("There is no lead with the id or code “%s”; “%s leads list” shows the codes, “%s leads list --json” the ids"),
               ref, LK_CLI_PROGRAM, LK_CLI_PROGRAM);
  return NULL;
}

static LkLead *
find_live_lead (LkStore     *store,
                const char  *ref,
                GError     **error)
{
  g_autoptr(LkLead) lead = find_lead (store, ref, error);

  if (lead != NULL && lk_record_get_deleted (LK_RECORD (lead)))
    {
      g_set_error (error, LK_ERROR, LK_ERROR_NOT_FOUND,
                   _("The lead “%s” has been deleted"), lk_lead_get_display_name (lead));
      return NULL;
    }
  return g_steal_pointer (&lead);
}

/* For the other commands: a lead by id or code, not deleted. */
LkLead *
lk_cli_find_live_lead (LkStore     *store,
                       const char  *ref,
                       GError     **error)
{
  return find_live_lead (store, ref, error);
}

/* Owners are user ids; one this database has not heard of is most likely
 * a typo, unless the team list has not been synced yet. */
static void
warn_unknown_owner (LkStore    *store,
                    const char *owner)
{
  g_autoptr(GPtrArray) users = NULL;

  if (owner == NULL)
    return;
  users = lk_store_list_users (store, NULL);
  if (users == NULL || users->len == 0)
    return;
  for (guint i = 0; i < users->len; i++)
    if (g_str_equal (lk_record_get_id (g_ptr_array_index (users, i)), owner))
      return;
  lk_cli_warn (_("There is no team member “%s” in this database; the lead is assigned to that id anyway"), owner);
}

/* The reason of a stage change, as a string of ours. When none is given,
 * lk_store_update_lead() takes the lead's lost_reason, and then clears
 * that field (leaving Lost) while still holding the pointer: a use after
 * free. Handing it a copy keeps the same meaning without the dangling
 * pointer. */
static char *
reason_for_move (LkLead     *lead,
                 const char *reason)
{
  if (reason != NULL && reason[0] != '\0')
    return g_strdup (reason);
  return g_strdup (lk_record_get_string (LK_RECORD (lead), LK_LEAD_LOST_REASON));
}

/* The gate's message says a reason is needed; say how to give one here. */
static void
add_reason_hint (GError     **error,
                 const char  *hint)
{
  GError *gate;

  if (error == NULL || !g_error_matches (*error, LK_ERROR, LK_ERROR_GATE))
    return;
  gate = *error;
  *error = g_error_new (gate->domain, gate->code, "%s (%s)", gate->message, hint);
  g_error_free (gate);
}

static gboolean
set_field (LkRecord    *record,
           guint        field,
           const char  *text,
           GError     **error)
{
  if (!check_utf8 (text, error))
    return FALSE;
  if (field == LK_LEAD_OWNER)
    {
      g_autofree char *owner = lk_cli_user_id (text);

      lk_record_set_string (record, field, owner);
      return TRUE;
    }
  /* GLib 2.74 reads ISO 8601 times only with seconds, though the core's
   * own message offers "2024-05-03T14:30": add them. */
  if (LK_RECORD_GET_CLASS (record)->fields[field].kind == LK_FIELD_TIME &&
      g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}$", text, 0, 0))
    {
      g_autofree char *with_seconds = g_strconcat (text, ":00", NULL);

      return lk_record_set_from_text (record, field, with_seconds, error);
    }
  return lk_record_set_from_text (record, field, text, error);
}

gboolean
lk_cli_lead_add (LkCli   *cli,
                 GStrv    args,
                 GError **error)
{
  g_autofree char *company = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *email = NULL;
  g_autofree char *source = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *stage = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *reason = NULL;
  const GOptionEntry entries[] = {
    { "company", 0, 0, G_OPTION_ARG_FILENAME, &company, N_("The company’s name"), N_("NAME") },
    { "contact", 0, 0, G_OPTION_ARG_FILENAME, &contact, N_("The contact person’s name"), N_("NAME") },
    { "phone", 0, 0, G_OPTION_ARG_FILENAME, &phone, N_("The phone number; stored as +<country code><number>"), N_("NUMBER") },
    { "email", 0, 0, G_OPTION_ARG_FILENAME, &email, N_("The email address"), N_("ADDRESS") },
    { "source", 0, 0, G_OPTION_ARG_FILENAME, &source,
      N_("Where the lead came from: website, exhibition, partner, webinar, search_ads, referral, cold_call, social"),
      N_("SOURCE") },
    { "amount", 0, 0, G_OPTION_ARG_FILENAME, &amount, N_("The expected deal amount, such as 1250.50"), N_("AMOUNT") },
    { "stage", 0, 0, G_OPTION_ARG_FILENAME, &stage, N_("The stage id (default: new)"), N_("STAGE") },
    { "owner", 0, 0, G_OPTION_ARG_FILENAME, &owner, N_("The owner, as lilei or user:lilei (default: the pool)"), N_("USER") },
    { "reason", 0, 0, G_OPTION_ARG_FILENAME, &reason, N_("Why the lead is lost, with --stage lost"), N_("TEXT") },
    { NULL }
  };
  const char *texts[LK_LEAD_N_FIELDS] = { NULL };
  g_autoptr(LkLead) lead = NULL;
  LkStore *store;

  if (!lk_cli_parse_options (cli, entries,
                             _("A lead needs a company or a contact. The new lead’s id is printed on its own line."),
                             &args, 0, 0, error))
    return FALSE;

  texts[LK_LEAD_COMPANY] = company;
  texts[LK_LEAD_CONTACT] = contact;
  texts[LK_LEAD_PHONE] = phone;
  texts[LK_LEAD_EMAIL] = email;
  texts[LK_LEAD_SOURCE] = source;
  texts[LK_LEAD_AMOUNT] = amount;
  texts[LK_LEAD_STAGE] = stage;
  texts[LK_LEAD_OWNER] = owner;
  texts[LK_LEAD_LOST_REASON] = reason;

  lead = lk_lead_new ();
  for (guint field = 0; field < LK_LEAD_N_FIELDS; field++)
    if (texts[field] != NULL && !set_field (LK_RECORD (lead), field, texts[field], error))
      return FALSE;

  store = lk_cli_open (cli, error) ? lk_context_get_store (cli->context) : NULL;
  if (store == NULL || !lk_store_create_lead (store, lead, error))
    return FALSE;
  warn_unknown_owner (store, lk_lead_get_owner (lead));
  g_print ("%s\n", lead_id (lead));
  return TRUE;
}

gboolean
lk_cli_lead_move (LkCli   *cli,
                  GStrv    args,
                  GError **error)
{
  g_autofree char *reason = NULL;
  const GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_FILENAME, &reason, N_("Why; required when moving to lost"), N_("TEXT") },
    { NULL }
  };
  g_autoptr(LkLead) lead = NULL;
  g_autofree char *own_reason = NULL;
  LkStore *store;
  const char *stage;

  if (!lk_cli_parse_options (cli, entries,
                             _("ID is a lead’s id (lead:…) or code. STAGE is a stage id: new, assigned, contacted, qualified, proposal, won, lost (or your team’s own)."),
                             &args, 2, 2, error))
    return FALSE;
  if (reason != NULL && !check_utf8 (reason, error))
    return FALSE;
  stage = args[2];

  store = lk_cli_open_store (cli, error);
  if (store == NULL)
    return FALSE;
  lead = find_live_lead (store, args[1], error);
  if (lead == NULL)
    return FALSE;
  if (g_str_equal (lk_lead_get_stage (lead), stage))
    {
      g_print (_("“%s” is already in %s"), lk_lead_get_display_name (lead), lk_cli_stage_name (cli, stage));
      g_print ("\n");
      return TRUE;
    }
  own_reason = reason_for_move (lead, reason);
  if (!lk_store_move_lead (store, lead_id (lead), stage, own_reason, error))
    {
      add_reason_hint (error, _("give it with --reason"));
      return FALSE;
    }
  g_print (_("Moved “%s” to %s"), lk_lead_get_display_name (lead), lk_cli_stage_name (cli, stage));
  g_print ("\n");
  return TRUE;
}

/* A field's value as `lead show` shows it; %NULL for nothing to show. */
static char *
format_field (LkCli  *cli,
              LkLead *lead,
              guint   field)
{
  LkRecord *record = LK_RECORD (lead);
  LkRecordClass *klass = LK_RECORD_GET_CLASS (record);
  const LkFieldInfo *info = &klass->fields[field];
  const char *text = NULL;

  if (info->kind == LK_FIELD_STRING || info->kind == LK_FIELD_REF)
    {
      text = lk_record_get_string (record, field);
      if (text == NULL || text[0] == '\0')
        return NULL;
    }

  switch (field)
    {
    case LK_LEAD_SOURCE:
      return g_strdup (lk_vocabulary_source_name (text));
    case LK_LEAD_TEMPERATURE:
      return g_strdup (lk_vocabulary_temperature_name (text));
    case LK_LEAD_LOST_REASON:
      return g_strdup (lk_pipeline_translate_reason (text));
    case LK_LEAD_OWNER:
    case LK_LEAD_CREATED_BY:
    case LK_LEAD_UPDATED_BY:
      return g_strdup (lk_cli_user_name (cli, text));
    case LK_LEAD_STAGE:
      if (g_str_equal (lk_cli_stage_name (cli, text), text))
        return g_strdup (text);
      return g_strdup_printf ("%s (%s)", lk_cli_stage_name (cli, text), text);
    case LK_LEAD_BANT_BUDGET:
      {
        static const struct
        {
          LkLeadField  field;
          const char  *name;
        } bant[] = {
          { LK_LEAD_BANT_BUDGET, N_("budget") },
          { LK_LEAD_BANT_AUTHORITY, N_("authority") },
          { LK_LEAD_BANT_NEED, N_("need") },
          { LK_LEAD_BANT_TIMELINE, N_("timeline") },
        };
        g_autoptr(GString) confirmed = g_string_new (NULL);

        for (guint i = 0; i < G_N_ELEMENTS (bant); i++)
          if (lk_record_get_bool (record, bant[i].field))
            g_string_append_printf (confirmed, "%s%s", confirmed->len > 0 ? ", " : "", _(bant[i].name));
        if (confirmed->len == 0)
          return g_strdup (_("nothing confirmed"));
        return g_string_free (g_steal_pointer (&confirmed), FALSE);
      }
    case LK_LEAD_MQL:
    case LK_LEAD_SQL:
    case LK_LEAD_DO_NOT_CONTACT:
      /* Flags worth a line only when they are set */
      return lk_record_get_bool (record, field) ? g_strdup (_("yes")) : NULL;
    case LK_LEAD_NEXT_FOLLOWUP_AT:
      {
        LkClock *clock = lk_context_get_clock (cli->context);
        LkStage *stage = lk_pipeline_lookup (lk_context_get_pipeline (cli->context), lk_lead_get_stage (lead));
        gint64 at = lk_record_get_int (record, field);
        g_autofree char *when = NULL;

        if (at == 0)
          return NULL;
        when = lk_cli_format_time (cli, at);
        if (at < lk_clock_start_of_day (clock, lk_clock_now_ms (clock)) &&
            (stage == NULL || !lk_stage_is_terminal (stage)))
          return g_strdup_printf ("%s (%s)", when, _("overdue"));
        return g_steal_pointer (&when);
      }
    default:
      break;
    }

  switch (info->kind)
    {
    case LK_FIELD_STRING:
    case LK_FIELD_REF:
      return g_strdup (text);
    case LK_FIELD_MONEY:
      if (field != LK_LEAD_AMOUNT && lk_record_get_int (record, field) == 0)
        return NULL;
      return lk_cli_format_money (lk_record_get_int (record, field),
                                  lk_record_get_string (record, LK_LEAD_CURRENCY));
    case LK_FIELD_TIME:
      if (lk_record_get_int (record, field) == 0)
        return NULL;
      return lk_cli_format_time (cli, lk_record_get_int (record, field));
    case LK_FIELD_BOOL:
      return g_strdup (lk_record_get_bool (record, field) ? _("yes") : _("no"));
    case LK_FIELD_TAGS:
      {
        const char * const *tags = lk_record_get_tags (record, field);

        return tags[0] != NULL ? g_strjoinv (", ", (char **) tags) : NULL;
      }
    case LK_FIELD_INT:
    default:
      if (lk_record_get_int (record, field) == 0)
        return NULL;
      return g_strdup_printf ("%" G_GINT64_FORMAT, lk_record_get_int (record, field));
    }
}

static void
print_fields (LkCli  *cli,
              LkLead *lead)
{
  char *values[LK_LEAD_N_FIELDS] = { NULL };
  const char *id_label = _("Id");
  gsize width = lk_cli_display_width (id_label);
  g_autofree char *indent = NULL;

  for (guint field = 0; field < LK_LEAD_N_FIELDS; field++)
    {
      if (labels[field] == NULL)
        continue;
      values[field] = format_field (cli, lead, field);
      if (values[field] != NULL)
        width = MAX (width, lk_cli_display_width (_(labels[field])));
    }
  indent = g_strnfill (width + 2, ' ');

  g_print ("%s:%*s%s\n", id_label, (int) (width + 1 - lk_cli_display_width (id_label)), "", lead_id (lead));
  for (guint field = 0; field < LK_LEAD_N_FIELDS; field++)
    {
      const char *label;
      g_auto(GStrv) lines = NULL;

      if (values[field] == NULL)
        continue;
      label = _(labels[field]);
      lines = g_strsplit (values[field], "\n", -1);
      g_print ("%s:%*s%s\n", label, (int) (width + 1 - lk_cli_display_width (label)), "", lines[0]);
      for (guint i = 1; lines[i] != NULL; i++)
        g_print ("%s%s\n", indent, lines[i]);
    }
  for (guint field = 0; field < LK_LEAD_N_FIELDS; field++)
    g_free (values[field]);
}

/* Prints a section's title; FALSE (after saying so) when it has nothing. */
static gboolean
print_section (const char *title,
               guint       n_rows)
{
  g_print ("\n%s\n", title);
  if (n_rows == 0)
    g_print ("  %s\n", _("(none)"));
  return n_rows > 0;
}

static void
print_history (LkCli     *cli,
               GPtrArray *changes)
{
  g_autoptr(LkCliTable) table = lk_cli_table_new (5);

  if (!print_section (_("Stage history:"), changes->len))
    return;
  for (guint i = 0; i < changes->len; i++)
    {
      LkRecord *change = g_ptr_array_index (changes, i);
      const char *from = lk_record_get_string (change, LK_STAGE_CHANGE_FROM);
      const char *to = lk_record_get_string (change, LK_STAGE_CHANGE_TO);
      const char *reason = lk_record_get_string (change, LK_STAGE_CHANGE_REASON);
      g_autofree char *when = lk_cli_format_time (cli, lk_record_get_int (change, LK_STAGE_CHANGE_AT));
      g_autofree char *what = NULL;
      g_autofree char *why = NULL;

      if (from[0] == '\0')
        what = g_strdup_printf (_("Created in %s"), lk_cli_stage_name (cli, to));
      else
        what = g_strdup_printf ("%s → %s", lk_cli_stage_name (cli, from), lk_cli_stage_name (cli, to));
      if (reason[0] != '\0')
        why = g_strdup_printf ("“%s”", lk_pipeline_translate_reason (reason));
      if (lk_record_get_bool (change, LK_STAGE_CHANGE_REOPEN))
        {
          g_autofree char *reopened = g_strdup_printf ("%s (%s)", what, _("reopened"));

          g_free (what);
          what = g_steal_pointer (&reopened);
        }
      lk_cli_table_add_row (table, (const char *[]) {
        "", when, what, lk_cli_user_name (cli, lk_record_get_string (change, LK_STAGE_CHANGE_BY)), why,
      });
    }
  lk_cli_table_print (table);
}

static void
print_activities (LkCli     *cli,
                  GPtrArray *activities)
{
  g_autoptr(LkCliTable) table = lk_cli_table_new (5);

  if (!print_section (_("Follow-ups:"), activities->len))
    return;
  for (guint i = 0; i < activities->len; i++)
    {
      LkRecord *activity = g_ptr_array_index (activities, i);
      const char *method = lk_record_get_string (activity, LK_ACTIVITY_METHOD);
      const char *next_step = lk_record_get_string (activity, LK_ACTIVITY_NEXT_STEP);
      g_autofree char *when = lk_cli_format_time (cli, lk_record_get_int (activity, LK_ACTIVITY_AT));
      g_autoptr(GString) text = g_string_new (lk_record_get_string (activity, LK_ACTIVITY_SUMMARY));

      if (next_step[0] != '\0')
        {
          if (text->len > 0)
            g_string_append (text, " — ");
          g_string_append_printf (text, _("next: %s"), next_step);
        }
      lk_cli_table_add_row (table, (const char *[]) {
        "", when,
        method[0] != '\0' ? lk_vocabulary_method_name (method)
                          : lk_record_get_string (activity, LK_ACTIVITY_KIND),
        lk_cli_user_name (cli, lk_record_get_string (activity, LK_ACTIVITY_BY)),
        text->str,
      });
    }
  lk_cli_table_print (table);
}

gboolean
lk_cli_lead_show (LkCli   *cli,
                  GStrv    args,
                  GError **error)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the lead document (version 1) as JSON"), NULL },
    { NULL }
  };
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GPtrArray) activities = NULL;
  LkStore *store;

  if (!lk_cli_parse_options (cli, entries, _("ID is a lead’s id (lead:…) or code."), &args, 1, 1, error))
    return FALSE;

  store = lk_cli_open_store (cli, error);
  if (store == NULL)
    return FALSE;
  lead = find_lead (store, args[1], error);
  if (lead == NULL)
    return FALSE;

  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_node_take_object (node, lk_doc_from_record (LK_RECORD (lead)));
      lk_cli_print_json (node);
      return TRUE;
    }

  changes = lk_store_list_stage_changes (store, lead_id (lead), error);
  if (changes == NULL)
    return FALSE;
  activities = lk_store_list_activities (store, lead_id (lead), error);
  if (activities == NULL)
    return FALSE;

  if (lk_record_get_deleted (LK_RECORD (lead)))
    g_print ("%s\n\n", _("This lead has been deleted."));
  print_fields (cli, lead);
  print_history (cli, changes);
  print_activities (cli, activities);
  return TRUE;
}

static gboolean
is_kept_by_store (guint field)
{
  return field == LK_LEAD_UPDATED_AT || field == LK_LEAD_UPDATED_BY;
}

static char *
describe_fields (LkRecordClass *klass)
{
  g_autoptr(GString) names = g_string_new (NULL);
  guint n_fields;
  const LkFieldInfo *fields = lk_record_class_get_fields (klass, &n_fields);

  for (guint i = 0; i < n_fields; i++)
    if (!is_kept_by_store (i))
      g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "", fields[i].name);
  return g_string_free (g_steal_pointer (&names), FALSE);
}

gboolean
lk_cli_lead_set (LkCli   *cli,
                 GStrv    args,
                 GError **error)
{
  g_autofree char *reason = NULL;
  const GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_FILENAME, &reason, N_("Why the stage changes; required for stage=lost unless lost_reason is set"), N_("TEXT") },
    { NULL }
  };
  g_autoptr(GTypeClass) type_class = g_type_class_ref (LK_TYPE_LEAD);
  LkRecordClass *klass = LK_RECORD_CLASS (type_class);
  g_autofree char *names = describe_fields (klass);
  g_autofree char *description = NULL;
  g_autofree int *fields = NULL;
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(LkLead) edited = NULL;
  guint n_assignments;
  LkStore *store;

  description = g_strdup_printf ("%s\n%s\n\n%s",
                                 _("ID is a lead’s id (lead:…) or code. FIELD is a field of the lead document:"),
                                 names,
                                 _("Amounts are in currency units (1250.50), times a date (2024-05-03), a local time (2024-05-03T14:30) or Unix milliseconds, tags separated by commas, flags true or false. An empty value clears a field. Nothing is saved when one value is invalid."));
  if (!lk_cli_parse_options (cli, entries, description, &args, 2, G_MAXUINT, error))
    return FALSE;
  if (reason != NULL && !check_utf8 (reason, error))
    return FALSE;

  /* Every assignment is checked before the database is opened. */
  n_assignments = g_strv_length (args) - 2;
  fields = g_new0 (int, n_assignments);
  for (guint i = 0; i < n_assignments; i++)
    {
      const char *assignment = args[i + 2];
      const char *equals = strchr (assignment, '=');
      g_autofree char *name = NULL;

      if (equals == NULL || equals == assignment)
        {
          lk_cli_usage_error (error, _("“%s” is not FIELD=VALUE, such as company=Huaxin or bant.need=true"),
                              assignment);
          return FALSE;
        }
      name = g_strndup (assignment, equals - assignment);
      fields[i] = lk_record_class_find_field (klass, name);
      if (fields[i] < 0)
        {
          g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                       _("A lead has no field “%s”. The fields are: %s"), name, names);
          return FALSE;
        }
      if (is_kept_by_store ((guint) fields[i]))
        {
          g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                       _("“%s” is kept by Leadkeeper and cannot be set"), name);
          return FALSE;
        }
    }

  store = lk_cli_open_store (cli, error);
  if (store == NULL)
    return FALSE;
  lead = find_live_lead (store, args[1], error);
  if (lead == NULL)
    return FALSE;

  /* A second copy from the store rather than lk_lead_copy(), which leaks
   * the defaults a new lead starts with. */
  edited = lk_store_get_lead (store, lead_id (lead), error);
  if (edited == NULL)
    return FALSE;
  for (guint i = 0; i < n_assignments; i++)
    if (!set_field (LK_RECORD (edited), (guint) fields[i], strchr (args[i + 2], '=') + 1, error))
      return FALSE;
  if (!g_str_equal (lk_lead_get_stage (edited), lk_lead_get_stage (lead)))
    {
      g_autofree char *own_reason = reason_for_move (edited, reason);

      g_free (reason);
      reason = g_steal_pointer (&own_reason);
    }
  if (!lk_store_update_lead (store, edited, reason, error))
    {
      add_reason_hint (error, _("give it with lost_reason=… or --reason"));
      return FALSE;
    }

  /* The store writes nothing, and keeps the time, when nothing changed. */
  if (lk_record_get_int (LK_RECORD (edited), LK_LEAD_UPDATED_AT) ==
      lk_record_get_int (LK_RECORD (lead), LK_LEAD_UPDATED_AT))
    g_print (_("Nothing changed in “%s”"), lk_lead_get_display_name (edited));
  else
    {
      g_print (_("Updated “%s”"), lk_lead_get_display_name (edited));
      if (g_strcmp0 (lk_lead_get_owner (edited), lk_lead_get_owner (lead)) != 0)
        warn_unknown_owner (store, lk_lead_get_owner (edited));
    }
  g_print ("\n");
  return TRUE;
}

gboolean
lk_cli_lead_delete (LkCli   *cli,
                    GStrv    args,
                    GError **error)
{
  g_autoptr(LkLead) lead = NULL;
  LkStore *store;

  if (!lk_cli_parse_options (cli, NULL,
                             _("ID is a lead’s id (lead:…) or code. The lead is kept as deleted, so sync can tell the other computers."),
                             &args, 1, 1, error))
    return FALSE;

  store = lk_cli_open_store (cli, error);
  if (store == NULL)
    return FALSE;
  lead = find_lead (store, args[1], error);
  if (lead == NULL)
    return FALSE;
  if (lk_record_get_deleted (LK_RECORD (lead)))
    g_print (_("“%s” was already deleted"), lk_lead_get_display_name (lead));
  else if (lk_store_delete_lead (store, lead_id (lead), error))
    g_print (_("Deleted “%s”"), lk_lead_get_display_name (lead));
  else
    return FALSE;
  g_print ("\n");
  return TRUE;
}
