/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-lead-editor"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-date-row.h"
#include "lk-format.h"
#include "lk-lead-editor-private.h"
#include "lk-lead-timeline.h"
#include "lk-tag-editor.h"
#include "lk-utils.h"
#include "lk-validate.h"
#include "lk-vocabulary.h"

/* The lead editor's fields. The table `specs` ties each field of the lead
 * document to its widget in lk-lead-editor.ui; one path reads a widget
 * into the edited copy (store_field), one shows the copy in a widget
 * (show_field), and validate runs every rule after each change and puts
 * its message under the field's row. */

static const FieldSpec specs[] = {
  { "contact",          LK_LEAD_CONTACT,          "contact_row",           KIND_TEXT,      FALSE },
  { "title",            LK_LEAD_TITLE,            "title_row",             KIND_TEXT,      FALSE },
  { "phone",            LK_LEAD_PHONE,            "phone_row",             KIND_TEXT,      TRUE },
  { "email",            LK_LEAD_EMAIL,            "email_row",             KIND_TEXT,      TRUE },
  { "im",               LK_LEAD_IM,               "im_row",                KIND_TEXT,      FALSE },
  { "company",          LK_LEAD_COMPANY,          "company_row",           KIND_TEXT,      TRUE },
  { "industry",         LK_LEAD_INDUSTRY,         "industry_row",          KIND_TEXT,      FALSE },
  { "company_size",     LK_LEAD_COMPANY_SIZE,     "company_size_row",      KIND_TEXT,      FALSE },
  { "region",           LK_LEAD_REGION,           "region_row",            KIND_TEXT,      FALSE },
  { "grade",            LK_LEAD_GRADE,            "grade_row",             KIND_COMBO,     FALSE },
  { "temperature",      LK_LEAD_TEMPERATURE,      "temperature_row",       KIND_COMBO,     FALSE },
  { "score",            LK_LEAD_SCORE,            "score_label",           KIND_READ_ONLY, FALSE },
  { "bant.budget",      LK_LEAD_BANT_BUDGET,      "bant_budget_switch",    KIND_SWITCH,    FALSE },
  { "bant.authority",   LK_LEAD_BANT_AUTHORITY,   "bant_authority_switch", KIND_SWITCH,    FALSE },
  { "bant.need",        LK_LEAD_BANT_NEED,        "bant_need_switch",      KIND_SWITCH,    FALSE },
  { "bant.timeline",    LK_LEAD_BANT_TIMELINE,    "bant_timeline_switch",  KIND_SWITCH,    FALSE },
  { "mql",              LK_LEAD_MQL,              "mql_switch",            KIND_SWITCH,    FALSE },
  { "sql",              LK_LEAD_SQL,              "sql_switch",            KIND_SWITCH,    FALSE },
  { "stage",            LK_LEAD_STAGE,            "stage_row",             KIND_COMBO,     FALSE },
  { "lost_reason",      LK_LEAD_LOST_REASON,      "lost_reason_row",       KIND_CHOICE,    TRUE },
  { "amount",           LK_LEAD_AMOUNT,           "amount_row",            KIND_MONEY,     TRUE },
  { "budget",           LK_LEAD_BUDGET,           "budget_row",            KIND_MONEY,     TRUE },
  { "currency",         LK_LEAD_CURRENCY,         "currency_row",          KIND_TEXT,      TRUE },
  { "source",           LK_LEAD_SOURCE,           "source_row",            KIND_CHOICE,    FALSE },
  { "campaign",         LK_LEAD_CAMPAIGN,         "campaign_row",          KIND_TEXT,      FALSE },
  { "owner",            LK_LEAD_OWNER,            "owner_row",             KIND_COMBO,     FALSE },
  { "next_followup_at", LK_LEAD_NEXT_FOLLOWUP_AT, "next_followup_at_row",  KIND_DATE,      TRUE },
  { "code",             LK_LEAD_CODE,             "code_row",              KIND_TEXT,      FALSE },
  { "needs",            LK_LEAD_NEEDS,            "needs_row",             KIND_TEXT,      FALSE },
  { "tags",             LK_LEAD_TAGS,             "tag_editor",            KIND_TAGS,      FALSE },
  { "consent",          LK_LEAD_CONSENT,          "consent_switch",        KIND_SWITCH,    FALSE },
  { "do_not_contact",   LK_LEAD_DO_NOT_CONTACT,   "do_not_contact_switch", KIND_SWITCH,    FALSE },
  { "notes",            LK_LEAD_NOTES,            "notes_view",            KIND_NOTES,     FALSE },
};

G_STATIC_ASSERT (G_N_ELEMENTS (specs) == LK_LEAD_EDITOR_N_FIELDS);

static const char * const grade_ids[] = { "", "A", "B", "C" };
static const char * const temperature_ids[] = { "", "hot", "warm", "cold" };

Field *
lk_lead_editor_find_field (LkLeadEditor *self,
            const char   *name)
{
  for (guint i = 0; i < LK_LEAD_EDITOR_N_FIELDS; i++)
    if (g_str_equal (specs[i].name, name))
      return &self->fields[i];
  return NULL;
}

Field *
lk_lead_editor_field_of (LkLeadEditor *self,
          LkLeadField   field)
{
  for (guint i = 0; i < LK_LEAD_EDITOR_N_FIELDS; i++)
    if (specs[i].field == field)
      return &self->fields[i];
  g_assert_not_reached ();
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; p != NULL && *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static const char *
entry_text (Field *field)
{
  return gtk_editable_get_text (GTK_EDITABLE (field->widget));
}

static LkRecord *
record (LkLeadEditor *self)
{
  return LK_RECORD (self->lead);
}

static const char *
lost_id (LkLeadEditor *self)
{
  return lk_pipeline_get_lost_id (lk_context_get_pipeline (self->context));
}

gboolean
lk_lead_editor_is_lost (LkLeadEditor *self)
{
  return g_strcmp0 (lk_lead_get_stage (self->lead), lost_id (self)) == 0;
}

/* --- Choices: shown translated, stored as stable ids ------------------ */

/* The source id for what the entry shows: a known source's name (in the
 * user's language or as its id), else the text as typed. */
static const char *
source_id_for_text (const char *text)
{
  guint n;
  const LkTerm *terms = lk_vocabulary_sources (&n);

  for (guint i = 0; i < n; i++)
    if (g_str_equal (text, terms[i].id) || g_str_equal (text, lk_vocabulary_source_name (terms[i].id)))
      return terms[i].id;
  return text;
}

/* Common lost reasons are stored untranslated, so each reader sees them
 * in their own language (lk_pipeline_translate_reason()). */
static const char *
reason_for_text (const char *text)
{
  const char * const *reasons = lk_pipeline_get_lost_reasons ();

  for (guint i = 0; reasons[i] != NULL; i++)
    if (g_str_equal (text, reasons[i]) || g_str_equal (text, lk_pipeline_translate_reason (reasons[i])))
      return reasons[i];
  return text;
}

static char *
stripped (const char *text)
{
  return g_strstrip (g_strdup (text ? text : ""));
}

/* --- Combo rows ------------------------------------------------------- */

static GListModel *
combo_model (Field *field)
{
  return adw_combo_row_get_model (ADW_COMBO_ROW (field->widget));
}

/* The stored value of the combo's selected item. */
static const char *
combo_value (LkLeadEditor *self,
             Field        *field)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (field->widget));

  if (selected == GTK_INVALID_LIST_POSITION)
    return NULL;
  switch ((int) field->spec->field)
    {
    case LK_LEAD_GRADE:
      return selected < G_N_ELEMENTS (grade_ids) ? grade_ids[selected] : NULL;
    case LK_LEAD_TEMPERATURE:
      return selected < G_N_ELEMENTS (temperature_ids) ? temperature_ids[selected] : NULL;
    case LK_LEAD_OWNER:
      return selected < self->owner_ids->len ? g_ptr_array_index (self->owner_ids, selected) : NULL;
    case LK_LEAD_STAGE:
      {
        g_autoptr(LkStage) stage = g_list_model_get_item (combo_model (field), selected);

        /* The pipeline holds its stages: the id outlives this reference. */
        return stage ? lk_stage_get_id (stage) : NULL;
      }
    default:
      g_assert_not_reached ();
    }
}

/* The position of @text, a stored value or a name as shown, or
 * GTK_INVALID_LIST_POSITION. */
static guint
combo_find (LkLeadEditor *self,
            Field        *field,
            const char   *text)
{
  GListModel *model = combo_model (field);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      const char *value = NULL;
      const char *shown = NULL;

      switch ((int) field->spec->field)
        {
        case LK_LEAD_GRADE:
          value = grade_ids[i];
          break;
        case LK_LEAD_TEMPERATURE:
          value = temperature_ids[i];
          break;
        case LK_LEAD_OWNER:
          value = g_ptr_array_index (self->owner_ids, i);
          break;
        case LK_LEAD_STAGE:
          value = lk_stage_get_id (LK_STAGE (item));
          break;
        default:
          g_assert_not_reached ();
        }
      if (GTK_IS_STRING_OBJECT (item))
        shown = gtk_string_object_get_string (GTK_STRING_OBJECT (item));
      else
        shown = lk_stage_get_name (LK_STAGE (item));
      if (g_strcmp0 (value ? value : "", text) == 0 ||
          (value != NULL && g_ascii_strcasecmp (value, text) == 0) ||
          g_strcmp0 (shown, text) == 0 ||
          (value != NULL && g_str_equal (lk_user_id_get_name (value), text)))
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

static void
setup_grade (LkLeadEditor *self)
{
  const char * const names[] = { C_("grade", "Not graded"), "A", "B", "C", NULL };
  g_autoptr(GtkStringList) model = gtk_string_list_new (names);

  adw_combo_row_set_model (ADW_COMBO_ROW (lk_lead_editor_field_of (self, LK_LEAD_GRADE)->widget), G_LIST_MODEL (model));
}

static void
setup_temperature (LkLeadEditor *self)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  gtk_string_list_append (model, C_("temperature", "Not set"));
  for (guint i = 1; i < G_N_ELEMENTS (temperature_ids); i++)
    gtk_string_list_append (model, lk_vocabulary_temperature_name (temperature_ids[i]));
  adw_combo_row_set_model (ADW_COMBO_ROW (lk_lead_editor_field_of (self, LK_LEAD_TEMPERATURE)->widget), G_LIST_MODEL (model));
}

static void
setup_stage (LkLeadEditor *self)
{
  g_autoptr(GtkExpression) name = gtk_property_expression_new (LK_TYPE_STAGE, NULL, "name");

  adw_combo_row_set_expression (self->stage_row, name);
  adw_combo_row_set_model (self->stage_row, G_LIST_MODEL (lk_context_get_pipeline (self->context)));
}

/* "Pool (unassigned)" and the team; an owner this desktop has not seen
 * yet (synced from elsewhere) is kept and shown by its id. */
static void
setup_owner (LkLeadEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = lk_store_list_users (lk_context_get_store (self->context), &error);
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  const char *owner = lk_lead_get_owner (self->original);
  gboolean found = owner == NULL;

  g_ptr_array_set_size (self->owner_ids, 0);
  gtk_string_list_append (model, _("Pool (unassigned)"));
  g_ptr_array_add (self->owner_ids, NULL);
  if (users == NULL)
    g_warning ("Could not read the team: %s", error->message);
  for (guint i = 0; users != NULL && i < users->len; i++)
    {
      LkUser *user = g_ptr_array_index (users, i);
      const char *id = lk_record_get_id (LK_RECORD (user));
      g_autofree char *name = lk_lead_timeline_user_name (NULL, id);

      if (lk_user_get_display_name (user)[0] != '\0')
        lk_set_str (&name, lk_user_get_display_name (user));
      gtk_string_list_append (model, name);
      g_ptr_array_add (self->owner_ids, g_strdup (id));
      found = found || g_str_equal (id, owner);
    }
  if (!found)
    {
      g_autofree char *name = lk_lead_timeline_user_name (NULL, owner);

      gtk_string_list_append (model, name);
      g_ptr_array_add (self->owner_ids, g_strdup (owner));
    }
  adw_combo_row_set_model (self->owner_row, G_LIST_MODEL (model));
}

/* --- Menus of common values -------------------------------------------- */

static void
setup_menus (LkLeadEditor *self)
{
  g_autoptr(GMenu) sources = g_menu_new ();
  g_autoptr(GMenu) reasons = g_menu_new ();
  const char * const *lost_reasons = lk_pipeline_get_lost_reasons ();
  guint n;
  const LkTerm *terms = lk_vocabulary_sources (&n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (lk_vocabulary_source_name (terms[i].id), NULL);

      g_menu_item_set_action_and_target (item, "editor.pick-source", "s", terms[i].id);
      g_menu_append_item (sources, item);
    }
  for (guint i = 0; lost_reasons[i] != NULL; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (lk_pipeline_translate_reason (lost_reasons[i]), NULL);

      g_menu_item_set_action_and_target (item, "editor.pick-reason", "s", lost_reasons[i]);
      g_menu_append_item (reasons, item);
    }
  gtk_menu_button_set_menu_model (self->source_button, G_MENU_MODEL (sources));
  gtk_menu_button_set_menu_model (self->lost_reason_button, G_MENU_MODEL (reasons));
}

/* --- Messages under rows ------------------------------------------------ */

/* A message row sits right below its field's row in the same boxed list,
 * shown only while there is something to say. */
static void
attach_message_row (Field *field)
{
  GtkWidget *list = gtk_widget_get_parent (field->row);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *row = adw_preferences_row_new ();

  g_assert (GTK_IS_LIST_BOX (list));
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "lead-field-message");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_add_css_class (row, "lead-message-row");
  gtk_widget_set_visible (row, FALSE);
  gtk_list_box_insert (GTK_LIST_BOX (list), row,
                       gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (field->row)) + 1);
  field->message_row = row;
  field->message_label = GTK_LABEL (label);
}

static void
show_message_row (Field *field)
{
  gboolean shown = field->message != NULL && gtk_widget_get_visible (field->row);

  gtk_widget_set_visible (field->message_row, shown);
  if (shown)
    gtk_widget_add_css_class (field->row, "lead-has-message");
  else
    gtk_widget_remove_css_class (field->row, "lead-has-message");
}

static void
set_error_style (GtkWidget *row,
                 gboolean   error)
{
  if (error)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                               error ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE, -1);
}

/* Shows @message (an error, or a hint when @error is FALSE) under @field. */
static void
set_message (Field      *field,
             const char *message,
             gboolean    error)
{
  lk_set_str (&field->message, message);
  field->error = message != NULL && error;
  set_error_style (field->row, field->error);
  if (field->message_row == NULL)
    return;
  gtk_label_set_text (field->message_label, message ? message : "");
  if (field->error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (field->message_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (field->message_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (field->message_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (field->message_label), "dim-label");
    }
  show_message_row (field);
  gtk_accessible_update_property (GTK_ACCESSIBLE (field->row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  message ? message : "", -1);
}

/* "+86 138 0013 8000": E.164 grouped for reading. Only a hint: the
 * number is saved without spaces. */
static char *
format_e164 (const char *e164)
{
  static const char * const codes[] = { "886", "852", "853", "86", "65", "44", "49", "33", "81", "82", "61", "1" };
  const char *digits = e164 + 1;
  const char *national = NULL;
  const char *code = NULL;
  g_autoptr(GString) out = g_string_new ("+");
  gsize len, first;

  for (guint i = 0; i < G_N_ELEMENTS (codes) && code == NULL; i++)
    if (g_str_has_prefix (digits, codes[i]))
      code = codes[i];
  if (code == NULL)
    return g_strdup (e164);
  national = digits + strlen (code);
  len = strlen (national);
  g_string_append_printf (out, "%s ", code);
  if (g_str_equal (code, "86") && len == 11 && national[0] == '1')
    g_string_append_printf (out, "%.3s %.4s %.4s", national, national + 3, national + 7);
  else if (g_str_equal (code, "1") && len == 10)
    g_string_append_printf (out, "%.3s %.3s %.4s", national, national + 3, national + 6);
  else
    {
      /* Groups of four from the end: "21 5080 1234". */
      first = len % 4 ? len % 4 : MIN (len, 4);
      g_string_append_len (out, national, (gssize) first);
      for (gsize i = first; i < len; i += 4)
        {
          g_string_append_c (out, ' ');
          g_string_append_len (out, national + i, 4);
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Amounts as people type them: "12500", "12,500.50", "¥ 800". Returns
 * FALSE with a message; @minor gets 分/cents. */
static gboolean
parse_amount (const char  *text,
              gint64      *minor,
              char       **message)
{
  g_autoptr(GString) clean = g_string_new (NULL);
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *whole = NULL, *cents = NULL;
  guint64 units;

  *minor = 0;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* Spaces, thousands separators and currency signs are decoration. */
      if (g_unichar_isspace (c) || c == ',' || c == 0xFF0C || c == 0xA5 || c == 0xFFE5 || c == '$')
        continue;
      if (c == 0x2212 || c == 0xFF0D)  /* − and － as typed by some IMEs */
        c = '-';
      if (c >= 0xFF10 && c <= 0xFF19)  /* full-width digits */
        c = '0' + (c - 0xFF10);
      if (c == 0xFF0E)
        c = '.';
      g_string_append_unichar (clean, c);
    }
  if (clean->len == 0)
    return TRUE;
  regex = g_regex_new ("^(-?)([0-9]*)(?:\\.([0-9]*))?$", 0, 0, NULL);
  if (!g_regex_match (regex, clean->str, 0, &match))
    {
      *message = g_strdup (_("Write the amount as a number, such as 12500 or 12,500.50"));
      return FALSE;
    }
  whole = g_match_info_fetch (match, 2);
  cents = g_match_info_fetch (match, 3);
  if (whole[0] == '\0' && (cents == NULL || cents[0] == '\0'))
    {
      *message = g_strdup (_("Write the amount as a number, such as 12500 or 12,500.50"));
      return FALSE;
    }
  if (clean->str[0] == '-')
    {
      *message = g_strdup (_("The amount cannot be negative"));
      return FALSE;
    }
  if (cents != NULL && strlen (cents) > 2)
    {
      *message = g_strdup (_("Use at most two decimals, such as 12500.50"));
      return FALSE;
    }
  if (strlen (whole) > 13)
    {
      *message = g_strdup (_("The amount is too large"));
      return FALSE;
    }
  units = whole[0] ? g_ascii_strtoull (whole, NULL, 10) : 0;
  *minor = (gint64) (units * 100);
  if (cents != NULL && cents[0] != '\0')
    *minor += (gint64) (g_ascii_strtoull (cents, NULL, 10) * (strlen (cents) == 1 ? 10 : 1));
  return TRUE;
}

/* --- From widgets to the copy ------------------------------------------- */

static void
update_money_symbols (LkLeadEditor *self)
{
  const char *symbol = lk_currency_symbol (lk_record_get_string (record (self), LK_LEAD_CURRENCY));

  gtk_label_set_text (self->amount_symbol, symbol);
  gtk_label_set_text (self->budget_symbol, symbol);
}

static void
update_stage_details (LkLeadEditor *self)
{
  Field *reason = lk_lead_editor_field_of (self, LK_LEAD_LOST_REASON);
  GTimeZone *tz = lk_clock_get_timezone (lk_context_get_clock (self->context));
  const char *from = lk_lead_get_stage (self->original);
  g_autofree char *subtitle = NULL;

  gtk_widget_set_visible (reason->row, lk_lead_editor_is_lost (self));
  show_message_row (reason);

  if (!self->is_new && !g_str_equal (from, lk_lead_get_stage (self->lead)))
    {
      LkStage *stage = lk_pipeline_lookup (lk_context_get_pipeline (self->context), from);

      /* Translators: under the stage when it was changed: "Moves from Contacted when saved" */
      subtitle = g_strdup_printf (_("Moves from %s when saved"), stage ? lk_stage_get_name (stage) : from);
    }
  else if (!self->is_new && lk_record_get_int (record (self), LK_LEAD_STAGE_ENTERED_AT) != 0)
    {
      g_autofree char *since = lk_format_date (lk_record_get_int (record (self), LK_LEAD_STAGE_ENTERED_AT), tz);

      /* Translators: under the stage: "Since 2024/5/3" */
      subtitle = g_strdup_printf (_("Since %s"), since);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->stage_row), subtitle ? subtitle : "");
}

static void
update_bant_summary (LkLeadEditor *self)
{
  static const LkLeadField bant[] = {
    LK_LEAD_BANT_BUDGET, LK_LEAD_BANT_AUTHORITY, LK_LEAD_BANT_NEED, LK_LEAD_BANT_TIMELINE,
  };
  guint n = 0;
  g_autofree char *subtitle = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bant); i++)
    n += lk_record_get_bool (record (self), bant[i]) ? 1 : 0;
  /* Translators: BANT answers: "2 of 4 confirmed" */
  subtitle = g_strdup_printf (_("%u of 4 confirmed"), n);
  adw_expander_row_set_subtitle (self->bant_row, subtitle);
}

/* Writes what @field's widget shows into the copy. */
static void
store_field (LkLeadEditor *self,
             Field        *field)
{
  LkLeadField f = field->spec->field;

  switch (field->spec->kind)
    {
    case KIND_TEXT:
      if (f == LK_LEAD_CURRENCY)
        {
          g_autofree char *code = g_ascii_strup (entry_text (field), -1);

          g_strstrip (code);
          lk_record_set_string (record (self), f, code);
          update_money_symbols (self);
        }
      else
        lk_record_set_string (record (self), f, entry_text (field));
      break;

    case KIND_CHOICE:
      {
        g_autofree char *text = stripped (entry_text (field));

        if (f == LK_LEAD_SOURCE)
          lk_record_set_string (record (self), f, source_id_for_text (text));
        else if (lk_lead_editor_is_lost (self))
          lk_record_set_string (record (self), f, reason_for_text (text));
      }
      break;

    case KIND_MONEY:
      {
        g_autofree char *message = NULL;
        gint64 minor;

        if (parse_amount (entry_text (field), &minor, &message))
          lk_record_set_int (record (self), f, minor);
      }
      break;

    case KIND_COMBO:
      {
        const char *value = combo_value (self, field);

        if (f == LK_LEAD_OWNER)
          lk_record_set_string (record (self), f, value);
        else if (value != NULL)
          lk_record_set_string (record (self), f, value);
        if (f == LK_LEAD_STAGE)
          {
            Field *reason = lk_lead_editor_field_of (self, LK_LEAD_LOST_REASON);

            /* The reason belongs to Lost: leaving Lost in the editor puts
             * back the stored one, so going back and forth changes nothing. */
            if (lk_lead_editor_is_lost (self))
              store_field (self, reason);
            else
              lk_record_set_string (record (self), LK_LEAD_LOST_REASON,
                                    lk_record_get_string (LK_RECORD (self->original), LK_LEAD_LOST_REASON));
            update_stage_details (self);
          }
      }
      break;

    case KIND_SWITCH:
      lk_record_set_bool (record (self), f, gtk_switch_get_active (GTK_SWITCH (field->widget)));
      update_bant_summary (self);
      break;

    case KIND_DATE:
      if (lk_date_row_get_valid (LK_DATE_ROW (field->widget)))
        lk_record_set_int (record (self), f, lk_date_row_get_value (LK_DATE_ROW (field->widget)));
      break;

    case KIND_TAGS:
      lk_record_set_tags (record (self), f, lk_tag_editor_get_tags (LK_TAG_EDITOR (field->widget)));
      break;

    case KIND_NOTES:
      {
        GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (field->widget));
        GtkTextIter start, end;
        g_autofree char *text = NULL;

        gtk_text_buffer_get_bounds (buffer, &start, &end);
        text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
        lk_record_set_string (record (self), f, text);
      }
      break;

    case KIND_READ_ONLY:
    default:
      break;
    }
}

static void
field_changed (Field *field)
{
  LkLeadEditor *self = field->editor;

  if (self->loading)
    return;
  field->touched = TRUE;
  store_field (self, field);
  lk_lead_editor_validate (self);
  /* The keys of a duplicate: checked a moment after the typing stops */
  if (field->spec->field == LK_LEAD_COMPANY || field->spec->field == LK_LEAD_PHONE ||
      field->spec->field == LK_LEAD_EMAIL)
    lk_duplicate_banner_check (self->duplicate_banner, self->lead);
  /* The rules' explanation follows the values as edited. */
  lk_score_explanation_show (self->score_explanation, lk_context_get_store (self->context), self->lead);
}

static void
field_changed_cb (GObject    *object,
                  GParamSpec *pspec,
                  Field      *field)
{
  field_changed (field);
}

static void
text_changed_cb (GtkEditable *editable,
                 Field       *field)
{
  field_changed (field);
}

static void
notes_changed_cb (GtkTextBuffer *buffer,
                  Field         *field)
{
  field_changed (field);
}

/* --- From the copy to widgets ------------------------------------------- */

static void
show_field (LkLeadEditor *self,
            Field        *field)
{
  LkRecord *r = record (self);
  LkLeadField f = field->spec->field;

  switch (field->spec->kind)
    {
    case KIND_TEXT:
      gtk_editable_set_text (GTK_EDITABLE (field->widget), lk_record_get_string (r, f));
      break;

    case KIND_CHOICE:
      if (f == LK_LEAD_SOURCE)
        gtk_editable_set_text (GTK_EDITABLE (field->widget), lk_vocabulary_source_name (lk_record_get_string (r, f)));
      else if (lk_record_get_string (r, f)[0] != '\0')
        gtk_editable_set_text (GTK_EDITABLE (field->widget), lk_pipeline_translate_reason (lk_record_get_string (r, f)));
      else
        gtk_editable_set_text (GTK_EDITABLE (field->widget), "");
      break;

    case KIND_MONEY:
      {
        g_autofree char *text = lk_record_get_int (r, f) != 0 ? lk_record_format_field (r, f) : NULL;

        gtk_editable_set_text (GTK_EDITABLE (field->widget), text ? text : "");
      }
      break;

    case KIND_COMBO:
      {
        const char *value = lk_record_get_string (r, f);

        adw_combo_row_set_selected (ADW_COMBO_ROW (field->widget), combo_find (self, field, value ? value : ""));
      }
      break;

    case KIND_SWITCH:
      gtk_switch_set_active (GTK_SWITCH (field->widget), lk_record_get_bool (r, f));
      break;

    case KIND_DATE:
      lk_date_row_set_value (LK_DATE_ROW (field->widget), lk_record_get_int (r, f));
      break;

    case KIND_TAGS:
      lk_tag_editor_set_tags (LK_TAG_EDITOR (field->widget), lk_record_get_tags (r, f));
      break;

    case KIND_NOTES:
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (field->widget)),
                                lk_record_get_string (r, f), -1);
      break;

    case KIND_READ_ONLY:
      {
        g_autofree char *text = lk_record_format_field (r, f);

        gtk_label_set_text (GTK_LABEL (field->widget), text);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
show_owner_details (LkLeadEditor *self)
{
  gint64 assigned = lk_record_get_int (LK_RECORD (self->original), LK_LEAD_ASSIGNED_AT);
  g_autofree char *subtitle = NULL;

  if (lk_lead_get_owner (self->original) != NULL && assigned != 0)
    {
      GTimeZone *tz = lk_clock_get_timezone (lk_context_get_clock (self->context));
      g_autofree char *when = lk_format_date_time (assigned, tz);

      /* Translators: under the owner: "Assigned 2024/5/3 14:20" */
      subtitle = g_strdup_printf (_("Assigned %s"), when);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->owner_row), subtitle ? subtitle : "");
}

void
lk_lead_editor_load (LkLeadEditor *self)
{
  const char *name = lk_lead_get_display_name (self->original);
  const char *title = self->is_new || name[0] == '\0' ? _("New Lead") : name;
  LkDateRow *date_row = LK_DATE_ROW (lk_lead_editor_field_of (self, LK_LEAD_NEXT_FOLLOWUP_AT)->widget);

  setup_grade (self);
  setup_temperature (self);
  setup_stage (self);
  setup_owner (self);
  setup_menus (self);
  lk_date_row_set_timezone (date_row, lk_clock_get_timezone (lk_context_get_clock (self->context)));

  self->loading = TRUE;
  for (guint i = 0; i < LK_LEAD_EDITOR_N_FIELDS; i++)
    show_field (self, &self->fields[i]);
  self->loading = FALSE;

  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, title);
  if (!self->is_new)
    {
      LkStage *stage = lk_pipeline_lookup (lk_context_get_pipeline (self->context), lk_lead_get_stage (self->original));
      const char *code = lk_record_get_string (LK_RECORD (self->original), LK_LEAD_CODE);
      const char *stage_name = stage ? lk_stage_get_name (stage) : lk_lead_get_stage (self->original);
      g_autofree char *subtitle = code[0] ? g_strdup_printf ("%s · %s", code, stage_name) : g_strdup (stage_name);

      adw_window_title_set_subtitle (self->window_title, subtitle);
      lk_lead_timeline_load (self->timeline, self->context, self->original);
    }
  gtk_widget_set_visible (self->history_group, !self->is_new);

  update_money_symbols (self);
  update_stage_details (self);
  update_bant_summary (self);
  show_owner_details (self);
  lk_score_explanation_show (self->score_explanation, lk_context_get_store (self->context), self->lead);
  lk_lead_editor_validate (self);
}

/* --- Validation ------------------------------------------------------------ */

static void
validate_required (LkLeadEditor *self)
{
  Field *company = lk_lead_editor_field_of (self, LK_LEAD_COMPANY);
  Field *contact = lk_lead_editor_field_of (self, LK_LEAD_CONTACT);

  if (is_blank (lk_lead_get_company (self->lead)) && is_blank (lk_lead_get_contact (self->lead)))
    {
      /* A blank new form is not an error yet: the message is a hint
       * until the user has typed there or tried to save. */
      gboolean error = company->touched || contact->touched || self->save_attempted;
      const char *message = _("A lead needs a company or a contact name");

      set_message (company, message, error);
      set_message (contact, message, error);
    }
  else
    {
      set_message (company, NULL, FALSE);
      set_message (contact, NULL, FALSE);
    }
}

static void
validate_phone (LkLeadEditor *self)
{
  Field *field = lk_lead_editor_field_of (self, LK_LEAD_PHONE);
  g_autofree char *text = stripped (entry_text (field));
  g_autoptr(GError) error = NULL;
  g_autofree char *e164 = NULL;

  if (text[0] == '\0')
    {
      set_message (field, NULL, FALSE);
      return;
    }
  e164 = lk_phone_to_e164 (text, self->phone_region, &error);
  if (e164 == NULL)
    set_message (field, error->message, TRUE);
  else if (!g_str_equal (e164, text))
    {
      g_autofree char *shown = format_e164 (e164);
      /* Translators: under the phone number as typed: "Will be saved as +86 138 0013 8000" */
      g_autofree char *hint = g_strdup_printf (_("Will be saved as %s"), shown);

      set_message (field, hint, FALSE);
    }
  else
    set_message (field, NULL, FALSE);
}

static void
validate_email (LkLeadEditor *self)
{
  Field *field = lk_lead_editor_field_of (self, LK_LEAD_EMAIL);
  g_autofree char *text = stripped (entry_text (field));
  g_autoptr(GError) error = NULL;

  if (!lk_validate_email (text, &error))
    set_message (field, error->message, TRUE);
  else
    set_message (field, NULL, FALSE);
}

static void
validate_money (LkLeadEditor *self,
                LkLeadField   f)
{
  Field *field = lk_lead_editor_field_of (self, f);
  g_autofree char *message = NULL;
  gint64 minor;

  if (parse_amount (entry_text (field), &minor, &message))
    set_message (field, NULL, FALSE);
  else
    set_message (field, message, TRUE);
}

static void
validate_currency (LkLeadEditor *self)
{
  Field *field = lk_lead_editor_field_of (self, LK_LEAD_CURRENCY);

  if (g_regex_match_simple ("^[A-Z]{3}$", lk_record_get_string (record (self), LK_LEAD_CURRENCY), 0, 0))
    set_message (field, NULL, FALSE);
  else
    set_message (field, _("Use a three-letter currency code, such as CNY, TWD or USD"), TRUE);
}

static void
validate_lost_reason (LkLeadEditor *self)
{
  Field *field = lk_lead_editor_field_of (self, LK_LEAD_LOST_REASON);

  if (lk_lead_editor_is_lost (self) && is_blank (entry_text (field)))
    set_message (field, _("Say why the lead was lost: choose a common reason or type your own"), TRUE);
  else
    set_message (field, NULL, FALSE);
}

static void
validate_date (LkLeadEditor *self)
{
  Field *field = lk_lead_editor_field_of (self, LK_LEAD_NEXT_FOLLOWUP_AT);

  if (lk_date_row_get_valid (LK_DATE_ROW (field->widget)))
    set_message (field, NULL, FALSE);
  else
    set_message (field, _("Write a date such as 2024-05-03, or pick one from the calendar"), TRUE);
}

static gboolean
all_valid (LkLeadEditor *self)
{
  /* A message that is only a hint (the phone's saved form) does not
   * block; the company-or-contact rule blocks even while it is a hint. */
  for (guint i = 0; i < LK_LEAD_EDITOR_N_FIELDS; i++)
    if (self->fields[i].error)
      return FALSE;
  return !(is_blank (lk_lead_get_company (self->lead)) && is_blank (lk_lead_get_contact (self->lead)));
}

void
lk_lead_editor_validate (LkLeadEditor *self)
{
  validate_required (self);
  validate_phone (self);
  validate_email (self);
  validate_money (self, LK_LEAD_AMOUNT);
  validate_money (self, LK_LEAD_BUDGET);
  validate_currency (self);
  validate_lost_reason (self);
  validate_date (self);

  lk_lead_editor_set_can_save (self, all_valid (self));
}

void
lk_lead_editor_focus_first_problem (LkLeadEditor *self)
{
  for (guint i = 0; i < LK_LEAD_EDITOR_N_FIELDS; i++)
    if (self->fields[i].error && gtk_widget_get_visible (self->fields[i].row))
      {
        gtk_widget_grab_focus (self->fields[i].row);
        return;
      }
}


static void
connect_field (LkLeadEditor *self,
               Field        *field)
{
  switch (field->spec->kind)
    {
    case KIND_TEXT:
    case KIND_CHOICE:
    case KIND_MONEY:
      g_signal_connect (field->widget, "changed", G_CALLBACK (text_changed_cb), field);
      break;
    case KIND_COMBO:
      g_signal_connect (field->widget, "notify::selected", G_CALLBACK (field_changed_cb), field);
      break;
    case KIND_SWITCH:
      g_signal_connect (field->widget, "notify::active", G_CALLBACK (field_changed_cb), field);
      break;
    case KIND_DATE:
      g_signal_connect (field->widget, "notify::value", G_CALLBACK (field_changed_cb), field);
      g_signal_connect (field->widget, "notify::valid", G_CALLBACK (field_changed_cb), field);
      break;
    case KIND_TAGS:
      g_signal_connect (field->widget, "notify::tags", G_CALLBACK (field_changed_cb), field);
      break;
    case KIND_NOTES:
      g_signal_connect (gtk_text_view_get_buffer (GTK_TEXT_VIEW (field->widget)), "changed",
                        G_CALLBACK (notes_changed_cb), field);
      break;
    case KIND_READ_ONLY:
    default:
      break;
    }
}

/* The field widgets, found by their names in the template. */
void
lk_lead_editor_class_bind_fields (GtkWidgetClass *widget_class)
{
  /* These four the window binds to its struct. */
  static const char * const bound[] = { "stage_row", "lost_reason_row", "owner_row", "contact_row", NULL };

  for (guint i = 0; i < LK_LEAD_EDITOR_N_FIELDS; i++)
    if (!g_strv_contains (bound, specs[i].widget_id))
      gtk_widget_class_bind_template_child_full (widget_class, specs[i].widget_id, FALSE, 0);
}

void
lk_lead_editor_init_fields (LkLeadEditor *self)
{
  for (guint i = 0; i < LK_LEAD_EDITOR_N_FIELDS; i++)
    {
      Field *field = &self->fields[i];

      field->spec = &specs[i];
      field->editor = self;
      field->widget = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self), LK_TYPE_LEAD_EDITOR,
                                                                 specs[i].widget_id));
      g_assert (field->widget != NULL);
      /* Switches and labels sit in a row: the row shows the error style. */
      field->row = GTK_IS_LIST_BOX_ROW (field->widget)
                     ? field->widget
                     : gtk_widget_get_ancestor (field->widget, GTK_TYPE_LIST_BOX_ROW);
      if (field->row == NULL)
        field->row = field->widget;
      if (specs[i].has_message)
        attach_message_row (field);
    }
}

void
lk_lead_editor_connect_fields (LkLeadEditor *self)
{
  for (guint i = 0; i < LK_LEAD_EDITOR_N_FIELDS; i++)
    connect_field (self, &self->fields[i]);
}

void
lk_lead_editor_dispose_fields (LkLeadEditor *self)
{
  for (guint i = 0; i < LK_LEAD_EDITOR_N_FIELDS; i++)
    {
      Field *field = &self->fields[i];

      if (field->widget != NULL)
        {
          if (field->spec->kind == KIND_NOTES)
            g_signal_handlers_disconnect_by_data (gtk_text_view_get_buffer (GTK_TEXT_VIEW (field->widget)), field);
          else
            g_signal_handlers_disconnect_by_data (field->widget, field);
        }
      field->widget = NULL;
      field->row = NULL;
      field->message_row = NULL;
      field->message_label = NULL;
      g_clear_pointer (&field->message, g_free);
    }
}

/* Types @text into @field's widget: see lk_lead_editor_set_field_text(). */
gboolean
lk_lead_editor_type_text (LkLeadEditor *self,
                          Field        *field,
                          const char   *text)
{
  switch (field->spec->kind)
    {
    case KIND_TEXT:
    case KIND_CHOICE:
    case KIND_MONEY:
    case KIND_DATE:
      gtk_editable_set_text (GTK_EDITABLE (field->widget), text);
      return TRUE;

    case KIND_COMBO:
      {
        guint position = combo_find (self, field, text);

        if (position == GTK_INVALID_LIST_POSITION && field->spec->field == LK_LEAD_OWNER &&
            (text[0] == '\0' || g_ascii_strcasecmp (text, "pool") == 0))
          position = 0;
        if (position == GTK_INVALID_LIST_POSITION)
          return FALSE;
        adw_combo_row_set_selected (ADW_COMBO_ROW (field->widget), position);
        return TRUE;
      }

    case KIND_SWITCH:
      {
        static const char * const yes[] = { "true", "yes", "1", "on", NULL };

        gtk_switch_set_active (GTK_SWITCH (field->widget), g_strv_contains (yes, text));
        return TRUE;
      }

    case KIND_TAGS:
      lk_tag_editor_add_text (LK_TAG_EDITOR (field->widget), text);
      return TRUE;

    case KIND_NOTES:
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (field->widget)), text, -1);
      return TRUE;

    case KIND_READ_ONLY:
    default:
      return FALSE;
    }
}
