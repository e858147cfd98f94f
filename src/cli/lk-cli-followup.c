/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-cli"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-cli-private.h"
#include "lk-error.h"
#include "lk-store-followups.h"
#include "lk-store-rules.h"
#include "lk-vocabulary.h"

/* followup add | event add | agenda: the follow-up SOP from a terminal,
 * through the same store calls as the Log follow-up dialog and the
 * Follow-ups view. */

static gboolean
check_utf8 (const char  *text,
            GError     **error)
{
  if (text == NULL || g_utf8_validate (text, -1, NULL))
    return TRUE;
  g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
               _("“%s” is not valid text in this locale’s character set"), text);
  return FALSE;
}

static char *
method_list (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint n;
  const LkTerm *methods = lk_vocabulary_methods (&n);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", methods[i].id);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A time option: a date (at the cadence's due hour, 09:00), a local time
 * (2024-05-03T14:30) or Unix milliseconds. */
static gboolean
parse_when (LkCli       *cli,
            const char  *option,
            const char  *text,
            guint        due_hour,
            gint64      *out,
            GError     **error)
{
  g_autoptr(LkActivity) scratch = lk_activity_new (NULL, NULL);
  g_autofree char *full = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean date_only = g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", text, 0, 0);

  /* GLib 2.74 reads ISO 8601 times only with seconds */
  if (g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}$", text, 0, 0))
    {
      full = g_strconcat (text, ":00", NULL);
      full[10] = 'T';
    }
  if (text[0] == '\0' ||
      !lk_record_set_from_text (LK_RECORD (scratch), LK_ACTIVITY_AT, full ? full : text, &local_error))
    {
      g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                   _("%s must be a date such as 2024-05-03, a time such as 2024-05-03T14:30, or Unix milliseconds, not “%s”"),
                   option, text);
      return FALSE;
    }
  *out = lk_record_get_int (LK_RECORD (scratch), LK_ACTIVITY_AT);
  if (date_only)
    *out = lk_cadence_local_date_at (lk_context_get_clock (cli->context), *out, 0, due_hour);
  return TRUE;
}

gboolean
lk_cli_followup_add (LkCli   *cli,
                     GStrv    args,
                     GError **error)
{
  g_autofree char *method = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *feedback = NULL;
  g_autofree char *step = NULL;
  g_autofree char *next = NULL;
  g_autofree char *grade = NULL;
  g_autofree char *at = NULL;
  g_autofree char *methods = method_list ();
  g_autofree char *method_help = g_strdup_printf (_("How: %s"), methods);
  const GOptionEntry entries[] = {
    { "method", 0, 0, G_OPTION_ARG_FILENAME, &method, method_help, N_("METHOD") },
    { "summary", 0, 0, G_OPTION_ARG_FILENAME, &summary, N_("What was said"), N_("TEXT") },
    { "feedback", 0, 0, G_OPTION_ARG_FILENAME, &feedback, N_("The customer’s feedback or objection"), N_("TEXT") },
    { "step", 0, 0, G_OPTION_ARG_FILENAME, &step, N_("The next step"), N_("TEXT") },
    { "next", 0, 0, G_OPTION_ARG_FILENAME, &next,
      N_("When the next follow-up is due (default: as the grade’s cadence proposes; “none” for no plan)"), N_("DATE") },
    { "grade", 0, 0, G_OPTION_ARG_FILENAME, &grade, N_("The lead’s new grade: A, B or C"), N_("GRADE") },
    { "at", 0, 0, G_OPTION_ARG_FILENAME, &at, N_("When it happened (default: now)"), N_("TIME") },
    { NULL }
  };
  g_autoptr(LkActivity) followup = NULL;
  g_autoptr(LkCadence) cadence = NULL;
  g_autoptr(LkLead) lead = NULL;
  LkRecord *record;
  LkStore *store;
  gboolean too_often = FALSE;
  gint64 when = 0, due = 0;

  if (!lk_cli_parse_options (cli, entries,
                             _("ID is a lead’s id (lead:…) or code. Prints the follow-up’s id. The lead’s last contact, first contact, next follow-up and grade follow from it."),
                             &args, 1, 1, error))
    return FALSE;
  if (method == NULL)
    {
      lk_cli_usage_error (error, _("“%s” needs --method: %s"), cli->command->name, methods);
      return FALSE;
    }
  if (summary == NULL)
    {
      lk_cli_usage_error (error, _("“%s” needs --summary"), cli->command->name);
      return FALSE;
    }
  if (!check_utf8 (summary, error) || !check_utf8 (feedback, error) || !check_utf8 (step, error))
    return FALSE;

  store = lk_cli_open_store (cli, error);
  if (store == NULL)
    return FALSE;
  {
    g_autoptr(GError) problem = NULL;

    /* A broken settings:cadence does not stop anyone logging a call */
    cadence = lk_store_get_cadence (store, &problem);
    if (cadence == NULL)
      {
        lk_cli_warn (_("%s; the default cadence proposes the next follow-up"), problem->message);
        cadence = lk_cadence_new_default ();
      }
  }
  lead = lk_cli_find_live_lead (store, args[1], error);
  if (lead == NULL)
    return FALSE;
  if (at != NULL && !parse_when (cli, "--at", at, lk_cadence_get_due_hour (cadence), &when, error))
    return FALSE;
  if (when == 0)
    when = lk_clock_now_ms (lk_store_get_clock (store));
  if (next != NULL && g_ascii_strcasecmp (next, "none") != 0 &&
      !parse_when (cli, "--next", next, lk_cadence_get_due_hour (cadence), &due, error))
    return FALSE;
  if (next == NULL)
    due = lk_cadence_propose_next (cadence, lk_store_get_clock (store),
                                   grade ? grade : lk_record_get_string (LK_RECORD (lead), LK_LEAD_GRADE),
                                   when, NULL);

  followup = lk_activity_new (lk_record_get_id (LK_RECORD (lead)), "followup");
  record = LK_RECORD (followup);
  lk_record_set_int (record, LK_ACTIVITY_AT, when);
  lk_record_set_string (record, LK_ACTIVITY_METHOD, method);
  lk_record_set_string (record, LK_ACTIVITY_SUMMARY, summary);
  lk_record_set_string (record, LK_ACTIVITY_FEEDBACK, feedback);
  lk_record_set_string (record, LK_ACTIVITY_NEXT_STEP, step);
  lk_record_set_int (record, LK_ACTIVITY_NEXT_DUE_AT, due);
  if (grade != NULL)
    lk_record_set_string (record, LK_ACTIVITY_GRADE_TO, grade);
  if (!lk_store_log_followup (store, followup, &too_often, error))
    return FALSE;
  if (too_often)
    {
      const char *new_grade = lk_record_get_string (record, LK_ACTIVITY_GRADE_TO);
      g_autofree char *rule = lk_cadence_describe_grade (cadence, new_grade[0] != '\0'
                                                                   ? new_grade
                                                                   : lk_record_get_string (LK_RECORD (lead), LK_LEAD_GRADE));

      lk_cli_warn (_("“%s” was contacted too often: its grade calls for %s"),
                   lk_lead_get_display_name (lead), rule);
    }
  g_print ("%s\n", lk_record_get_id (record));
  return TRUE;
}

gboolean
lk_cli_event_add (LkCli   *cli,
                  GStrv    args,
                  GError **error)
{
  g_autofree char *at = NULL;
  const GOptionEntry entries[] = {
    { "at", 0, 0, G_OPTION_ARG_FILENAME, &at, N_("When it happened (default: now)"), N_("TIME") },
    { NULL }
  };
  g_autoptr(GString) description = g_string_new (NULL);
  g_autoptr(LkScoring) scoring = NULL;
  g_autoptr(LkActivity) event = NULL;
  g_autoptr(LkLead) lead = NULL;
  const LkTerm *builtin;
  LkStore *store;
  gint64 when = 0;
  guint n;

  builtin = lk_scoring_builtin_events (&n);
  g_string_append (description, _("ID is a lead’s id (lead:…) or code; TYPE what happened, such as:"));
  for (guint i = 0; i < n; i++)
    g_string_append_printf (description, "\n  %-14s %s", builtin[i].id, g_dpgettext2 (GETTEXT_PACKAGE, "event", builtin[i].name));
  g_string_append_printf (description, "\n%s",
                          _("or a type of the team’s scoring rules. Prints the event’s id; the lead is scored again."));
  if (!lk_cli_parse_options (cli, entries, description->str, &args, 2, 2, error))
    return FALSE;
  if (!check_utf8 (args[2], error))
    return FALSE;

  store = lk_cli_open_store (cli, error);
  if (store == NULL)
    return FALSE;
  lead = lk_cli_find_live_lead (store, args[1], error);
  if (lead == NULL)
    return FALSE;
  if (at != NULL && !parse_when (cli, "--at", at, 9, &when, error))
    return FALSE;
  event = lk_store_log_event (store, lk_record_get_id (LK_RECORD (lead)), args[2], when, error);
  if (event == NULL)
    return FALSE;
  scoring = lk_store_get_scoring (store, NULL);
  if (scoring != NULL && lk_scoring_get_enabled (scoring) &&
      lk_scoring_find_event (scoring, lk_record_get_string (LK_RECORD (event), LK_ACTIVITY_EVENT_TYPE)) == NULL)
    lk_cli_warn (_("The scoring rules give no points for “%s”; it is recorded all the same"),
                 lk_record_get_string (LK_RECORD (event), LK_ACTIVITY_EVENT_TYPE));
  g_print ("%s\n", lk_record_get_id (LK_RECORD (event)));
  return TRUE;
}

static const struct
{
  LkLeadDue    due;
  const char  *key;     /* in --json */
  const char  *title;
} buckets[] = {
  { LK_LEAD_DUE_OVERDUE,  "overdue",  N_("Overdue") },
  { LK_LEAD_DUE_TODAY,    "today",    N_("Today") },
  { LK_LEAD_DUE_UPCOMING, "upcoming", N_("Upcoming") },
  { LK_LEAD_DUE_NONE,     "none",     N_("No next step") },
};

static gint64
bucket_count (const LkAgendaCounts *counts,
              LkLeadDue             due)
{
  switch (due)
    {
    case LK_LEAD_DUE_OVERDUE:
      return counts->overdue;
    case LK_LEAD_DUE_TODAY:
      return counts->today;
    case LK_LEAD_DUE_UPCOMING:
      return counts->upcoming;
    case LK_LEAD_DUE_NONE:
    case LK_LEAD_DUE_ANY:
    default:
      return counts->none;
    }
}

static void
set_time_member (JsonObject *object,
                 const char *name,
                 gint64      ms)
{
  if (ms == 0)
    json_object_set_null_member (object, name);
  else
    json_object_set_int_member (object, name, ms);
}

static JsonObject *
lead_json (LkCli      *cli,
           LkStore    *store,
           LkCadence  *cadence,
           LkLead     *lead,
           GError    **error)
{
  LkRecord *record = LK_RECORD (lead);
  JsonObject *object = json_object_new ();
  JsonArray *tasks_array = json_array_new ();
  g_autoptr(GPtrArray) tasks = lk_store_list_open_tasks (store, NULL, lk_record_get_id (record), 0, 0, error);

  json_object_set_string_member (object, "id", lk_record_get_id (record));
  json_object_set_string_member (object, "code", lk_record_get_string (record, LK_LEAD_CODE));
  json_object_set_string_member (object, "name", lk_lead_get_display_name (lead));
  if (lk_lead_get_owner (lead) != NULL)
    json_object_set_string_member (object, "owner", lk_lead_get_owner (lead));
  else
    json_object_set_null_member (object, "owner");
  json_object_set_string_member (object, "stage", lk_lead_get_stage (lead));
  json_object_set_string_member (object, "grade", lk_record_get_string (record, LK_LEAD_GRADE));
  set_time_member (object, "next_followup_at", lk_record_get_int (record, LK_LEAD_NEXT_FOLLOWUP_AT));
  set_time_member (object, "last_contacted_at", lk_record_get_int (record, LK_LEAD_LAST_CONTACTED_AT));
  json_object_set_boolean_member (object, "stale",
                                  lk_cadence_is_stale (cadence, lk_store_get_clock (store),
                                                       lk_store_get_pipeline (store), lead));
  for (guint i = 0; tasks != NULL && i < tasks->len; i++)
    {
      LkRecord *task = g_ptr_array_index (tasks, i);
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "id", lk_record_get_id (task));
      json_object_set_string_member (item, "title", lk_record_get_string (task, LK_ACTIVITY_SUMMARY));
      set_time_member (item, "due_at", lk_record_get_int (task, LK_ACTIVITY_NEXT_DUE_AT));
      json_array_add_object_element (tasks_array, item);
    }
  json_object_set_array_member (object, "tasks", tasks_array);
  return object;
}

gboolean
lk_cli_agenda (LkCli   *cli,
               GStrv    args,
               GError **error)
{
  g_autofree char *owner_name = NULL;
  gboolean json = FALSE;
  int limit = 50;
  const GOptionEntry entries[] = {
    { "owner", 0, 0, G_OPTION_ARG_FILENAME, &owner_name,
      N_("Only this team member’s leads, as lilei or user:lilei; “me” for this desktop’s user (default: the whole team)"),
      N_("USER") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("Leads shown per list, most urgent first; 0 for all (default: 50)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON: the counts, and the leads of each list with their open tasks"), NULL },
    { NULL }
  };
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(LkCadence) cadence = NULL;
  g_autofree char *owner = NULL;
  LkAgendaCounts counts;
  LkStore *store;

  if (!lk_cli_parse_options (cli, entries,
                             _("Open leads by their next follow-up, in local days: overdue, due today, upcoming, and those with no next step."),
                             &args, 0, 0, error))
    return FALSE;
  if (limit < 0)
    {
      lk_cli_usage_error (error, _("--limit must be 0 or more"));
      return FALSE;
    }

  store = lk_cli_open_store (cli, error);
  if (store == NULL)
    return FALSE;
  if (owner_name != NULL && g_str_equal (owner_name, "me"))
    owner = g_strdup (lk_store_get_user_id (store));
  else
    owner = lk_cli_user_id (owner_name);
  cadence = lk_store_get_cadence (store, error);
  if (cadence == NULL || !lk_store_count_agenda (store, owner, &counts, error))
    return FALSE;

  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *counts_object = json_object_new ();

      root = json_object_new ();
      if (owner != NULL)
        json_object_set_string_member (root, "owner", owner);
      else
        json_object_set_null_member (root, "owner");
      for (guint i = 0; i < G_N_ELEMENTS (buckets); i++)
        json_object_set_int_member (counts_object, buckets[i].key, bucket_count (&counts, buckets[i].due));
      json_object_set_object_member (root, "counts", counts_object);
      for (guint i = 0; i < G_N_ELEMENTS (buckets); i++)
        {
          g_autoptr(GPtrArray) leads = lk_store_agenda_leads (store, owner, buckets[i].due, (guint) limit, error);
          JsonArray *array;

          if (leads == NULL)
            return FALSE;
          array = json_array_sized_new (leads->len);
          for (guint j = 0; j < leads->len; j++)
            json_array_add_object_element (array, lead_json (cli, store, cadence, g_ptr_array_index (leads, j), NULL));
          json_object_set_array_member (root, buckets[i].key, array);
        }
      json_node_set_object (node, root);
      lk_cli_print_json (node);
      return TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (buckets); i++)
    {
      g_autoptr(GPtrArray) leads = lk_store_agenda_leads (store, owner, buckets[i].due, (guint) limit, error);
      g_autoptr(LkCliTable) table = lk_cli_table_new (6);
      gint64 total = bucket_count (&counts, buckets[i].due);

      if (leads == NULL)
        return FALSE;
      g_print ("%s%s (%" G_GINT64_FORMAT ")\n", i > 0 ? "\n" : "", _(buckets[i].title), total);
      for (guint j = 0; j < leads->len; j++)
        {
          LkLead *lead = g_ptr_array_index (leads, j);
          LkRecord *record = LK_RECORD (lead);
          g_autofree char *when = lk_cli_format_time (cli, lk_record_get_int (record, LK_LEAD_NEXT_FOLLOWUP_AT));
          gboolean stale = lk_cadence_is_stale (cadence, lk_store_get_clock (store),
                                                lk_store_get_pipeline (store), lead);

          lk_cli_table_add_row (table, (const char *[]) {
            "", when, lk_record_get_string (record, LK_LEAD_CODE), lk_lead_get_display_name (lead),
            lk_cli_user_name (cli, lk_lead_get_owner (lead)),
            stale ? _("stale") : "",
          });
        }
      lk_cli_table_print (table);
      if (total > (gint64) leads->len)
        {
          g_autofree char *more = g_strdup_printf ("%" G_GINT64_FORMAT, total - (gint64) leads->len);

          g_print ("  ");
          /* Translators: under a list cut short: "… and 120 more" */
          g_print (_("… and %s more"), more);
          g_print ("\n");
        }
    }
  return TRUE;
}
