/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-table-columns"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-format.h"
#include "lk-lead-query.h"
#include "widgets/lk-stage-style.h"
#include "lk-table-columns.h"
#include "lk-user.h"
#include "lk-vocabulary.h"

/* The columns of the leads table: their ids (stored in GSettings), titles,
 * the database order each one sorts by, and how a cell shows a lead.
 * Cells are recycled: a bind sets everything a previous lead may have
 * set, so nothing of that lead stays on screen. */

static GQuark css_class_quark;

/* Replaces the CSS class a cell got from its previous lead. */
static void
swap_class (GtkWidget  *widget,
            const char *next)
{
  const char *current = g_object_get_qdata (G_OBJECT (widget), css_class_quark);

  if (g_strcmp0 (current, next) == 0)
    return;
  if (current != NULL)
    gtk_widget_remove_css_class (widget, current);
  if (next != NULL)
    gtk_widget_add_css_class (widget, next);
  g_object_set_qdata_full (G_OBJECT (widget), css_class_quark, g_strdup (next), g_free);
}

static void
set_text (GtkWidget  *cell,
          const char *text)
{
  gtk_inscription_set_text (GTK_INSCRIPTION (cell), text != NULL && text[0] != '\0' ? text : NULL);
}

static void
set_date (GtkWidget        *cell,
          gint64            ms,
          const LkTableEnv *env)
{
  g_autofree char *text = lk_format_date (ms, env->tz);

  set_text (cell, text);
}

static void
bind_code (GtkWidget        *cell,
           LkLead           *lead,
           const LkTableEnv *env)
{
  set_text (cell, lk_record_get_string (LK_RECORD (lead), LK_LEAD_CODE));
}

static void
bind_company (GtkWidget        *cell,
              LkLead           *lead,
              const LkTableEnv *env)
{
  const char *company = lk_lead_get_company (lead);

  set_text (cell, company);
}

static void
bind_contact (GtkWidget        *cell,
              LkLead           *lead,
              const LkTableEnv *env)
{
  set_text (cell, lk_lead_get_contact (lead));
}

static void
bind_stage (GtkWidget        *cell,
            LkLead           *lead,
            const LkTableEnv *env)
{
  const char *stage_id = lk_lead_get_stage (lead);
  LkStage *stage = lk_pipeline_lookup (env->pipeline, stage_id);
  GtkWidget *dot = gtk_widget_get_first_child (cell);
  g_autofree char *css_class = lk_stage_css_class (stage_id);

  swap_class (dot, css_class);
  set_text (gtk_widget_get_next_sibling (dot), stage ? lk_stage_get_name (stage) : stage_id);
}

static void
bind_amount (GtkWidget        *cell,
             LkLead           *lead,
             const LkTableEnv *env)
{
  g_autofree char *amount = NULL;
  const char *currency = lk_record_get_string (LK_RECORD (lead), LK_LEAD_CURRENCY);

  if (lk_lead_get_amount (lead) > 0)
    amount = lk_format_money (lk_lead_get_amount (lead),
                              currency[0] == '\0' && env->currency ? env->currency : currency);
  set_text (cell, amount);
}

static void
bind_grade (GtkWidget        *cell,
            LkLead           *lead,
            const LkTableEnv *env)
{
  const char *grade = lk_record_get_string (LK_RECORD (lead), LK_LEAD_GRADE);
  g_autofree char *css_class = NULL;

  if (grade[0] != '\0')
    {
      /* Translators: accessible description of the grade badge */
      g_autofree char *label = g_strdup_printf (_("Grade %s"), grade);

      css_class = g_strdup_printf ("grade-%c", g_ascii_tolower (grade[0]));
      gtk_accessible_update_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
    }
  gtk_label_set_text (GTK_LABEL (cell), grade);
  gtk_widget_set_visible (cell, grade[0] != '\0');
  swap_class (cell, css_class);
}

static void
bind_temperature (GtkWidget        *cell,
                  LkLead           *lead,
                  const LkTableEnv *env)
{
  set_text (cell, lk_vocabulary_temperature_name (lk_record_get_string (LK_RECORD (lead),
                                                                         LK_LEAD_TEMPERATURE)));
}

static void
bind_owner (GtkWidget        *cell,
            LkLead           *lead,
            const LkTableEnv *env)
{
  const char *owner = lk_lead_get_owner (lead);

  set_text (cell, lk_table_owner_name (owner, env->users));
  if (owner == NULL)
    gtk_widget_add_css_class (cell, "dim-label");
  else
    gtk_widget_remove_css_class (cell, "dim-label");
}

static void
bind_next_followup (GtkWidget        *cell,
                    LkLead           *lead,
                    const LkTableEnv *env)
{
  gint64 next = lk_record_get_int (LK_RECORD (lead), LK_LEAD_NEXT_FOLLOWUP_AT);
  gboolean overdue = next != 0 && next < env->today;

  set_date (cell, next, env);
  if (overdue)
    gtk_widget_add_css_class (cell, "error");
  else
    gtk_widget_remove_css_class (cell, "error");
}

static void
bind_source (GtkWidget        *cell,
             LkLead           *lead,
             const LkTableEnv *env)
{
  set_text (cell, lk_vocabulary_source_name (lk_record_get_string (LK_RECORD (lead), LK_LEAD_SOURCE)));
}

static void
bind_score (GtkWidget        *cell,
            LkLead           *lead,
            const LkTableEnv *env)
{
  char text[24];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, lk_record_get_int (LK_RECORD (lead), LK_LEAD_SCORE));
  set_text (cell, text);
}

static void
bind_last_contacted (GtkWidget        *cell,
                     LkLead           *lead,
                     const LkTableEnv *env)
{
  set_date (cell, lk_record_get_int (LK_RECORD (lead), LK_LEAD_LAST_CONTACTED_AT), env);
}

static void
bind_created (GtkWidget        *cell,
              LkLead           *lead,
              const LkTableEnv *env)
{
  set_date (cell, lk_record_get_int (LK_RECORD (lead), LK_LEAD_CREATED_AT), env);
}

static void
bind_updated (GtkWidget        *cell,
              LkLead           *lead,
              const LkTableEnv *env)
{
  set_date (cell, lk_record_get_int (LK_RECORD (lead), LK_LEAD_UPDATED_AT), env);
}

/* Tooltips are asked for when shown, not set at every bind: setting one
 * asks the display where the pointer is, and GTK 4.8 rebinds every
 * visible cell whenever the selection changes. */

/* Long names are cut short: the tooltip shows all of it. */
static gboolean
query_text_tooltip_cb (GtkWidget  *cell,
                       int         x,
                       int         y,
                       gboolean    keyboard,
                       GtkTooltip *tooltip,
                       gpointer    user_data)
{
  const char *text = gtk_inscription_get_text (GTK_INSCRIPTION (cell));

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* Overdue is shown in red, and not by colour alone. */
static gboolean
query_overdue_tooltip_cb (GtkWidget  *cell,
                          int         x,
                          int         y,
                          gboolean    keyboard,
                          GtkTooltip *tooltip,
                          gpointer    user_data)
{
  if (!gtk_widget_has_css_class (cell, "error"))
    return FALSE;
  gtk_tooltip_set_text (tooltip, _("Overdue"));
  return TRUE;
}

/* In the order of a new table; the defaults of the table-columns key. */
static const LkTableColumn columns[] = {
  { "code", NC_("table column", "Code"), LK_LEAD_SORT_CODE, FALSE,
    LK_CELL_TEXT, 12, FALSE, TRUE, bind_code },
  { "company", NC_("table column", "Company"), LK_LEAD_SORT_COMPANY, FALSE,
    LK_CELL_TEXT, 26, TRUE, TRUE, bind_company, query_text_tooltip_cb },
  { "contact", NC_("table column", "Contact"), LK_LEAD_SORT_CONTACT, FALSE,
    LK_CELL_TEXT, 16, FALSE, TRUE, bind_contact },
  { "stage", NC_("table column", "Stage"), LK_LEAD_SORT_STAGE, FALSE,
    LK_CELL_STAGE, 10, FALSE, TRUE, bind_stage },
  { "amount", NC_("table column", "Amount"), LK_LEAD_SORT_AMOUNT, TRUE,
    LK_CELL_NUMBER, 14, FALSE, TRUE, bind_amount },
  { "grade", NC_("table column", "Grade"), LK_LEAD_SORT_GRADE, FALSE,
    LK_CELL_GRADE, 0, FALSE, TRUE, bind_grade },
  { "temperature", NC_("table column", "Temperature"), -1, FALSE,
    LK_CELL_TEXT, 8, FALSE, FALSE, bind_temperature },
  { "owner", NC_("table column", "Owner"), LK_LEAD_SORT_OWNER, FALSE,
    LK_CELL_TEXT, 12, FALSE, TRUE, bind_owner },
  { "next-followup", NC_("table column", "Next Follow-up"), LK_LEAD_SORT_URGENCY, FALSE,
    LK_CELL_DATE, 0, FALSE, TRUE, bind_next_followup, query_overdue_tooltip_cb },
  { "source", NC_("table column", "Source"), LK_LEAD_SORT_SOURCE, FALSE,
    LK_CELL_TEXT, 14, FALSE, FALSE, bind_source },
  { "score", NC_("table column", "Score"), LK_LEAD_SORT_SCORE, TRUE,
    LK_CELL_NUMBER, 5, FALSE, FALSE, bind_score },
  { "last-contacted", NC_("table column", "Last Contacted"), LK_LEAD_SORT_LAST_CONTACTED, TRUE,
    LK_CELL_DATE, 0, FALSE, FALSE, bind_last_contacted },
  { "created", NC_("table column", "Created"), LK_LEAD_SORT_CREATED, TRUE,
    LK_CELL_DATE, 0, FALSE, FALSE, bind_created },
  { "updated", NC_("table column", "Updated"), LK_LEAD_SORT_UPDATED, TRUE,
    LK_CELL_DATE, 0, FALSE, FALSE, bind_updated },
};

const LkTableColumn *
lk_table_columns (guint *n_columns)
{
  *n_columns = G_N_ELEMENTS (columns);
  return columns;
}

/* Returns: (nullable): the column with @id */
const LkTableColumn *
lk_table_column_find (const char *id)
{
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (columns); i++)
    if (g_str_equal (columns[i].id, id))
      return &columns[i];
  return NULL;
}

const char *
lk_table_column_get_title (const LkTableColumn *column)
{
  return g_dpgettext2 (GETTEXT_PACKAGE, "table column", column->title);
}

/* How many average characters @text needs: CJK characters count twice. */
static guint
text_chars (const char *text)
{
  guint chars = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    chars += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return chars;
}

/* Dates are as long as the user's language writes them: "12/31/26",
 * "2026年12月31日". */
static guint
date_chars (void)
{
  static guint chars;

  if (chars == 0)
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      g_autofree char *sample = lk_format_date (G_GINT64_CONSTANT (1798675200000), utc);

      chars = text_chars (sample) + 1;
    }
  return chars;
}

static GtkWidget *
inscription_new (const LkTableColumn *column)
{
  GtkWidget *inscription = gtk_inscription_new (NULL);
  guint chars = column->kind == LK_CELL_DATE ? date_chars () : (guint) column->chars;

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (inscription), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  /* Columns keep their width when the window is narrow (the table
   * scrolls sideways) but the company column, which takes what is left. */
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (inscription), column->expand ? chars / 2 : chars);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (inscription), chars);
  gtk_widget_set_hexpand (inscription, TRUE);
  return inscription;
}

GtkWidget *
lk_table_cell_new (const LkTableColumn *column)
{
  GtkWidget *cell;

  if (css_class_quark == 0)
    css_class_quark = g_quark_from_static_string ("lk-table-cell-css-class");

  switch (column->kind)
    {
    case LK_CELL_NUMBER:
      cell = inscription_new (column);
      gtk_inscription_set_xalign (GTK_INSCRIPTION (cell), 1.0);
      gtk_widget_add_css_class (cell, "numeric");
      break;

    case LK_CELL_STAGE:
      {
        GtkWidget *dot = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

        /* Sized by style.css, coloured by the window's stage classes. */
        cell = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
        gtk_widget_set_valign (dot, GTK_ALIGN_CENTER);
        gtk_widget_add_css_class (dot, "stage-dot");
        gtk_box_append (GTK_BOX (cell), dot);
        gtk_box_append (GTK_BOX (cell), inscription_new (column));
      }
      break;

    case LK_CELL_GRADE:
      cell = gtk_label_new (NULL);
      gtk_widget_set_halign (cell, GTK_ALIGN_START);
      gtk_label_set_width_chars (GTK_LABEL (cell), 1);
      gtk_widget_add_css_class (cell, "grade-badge");
      break;

    case LK_CELL_TEXT:
    case LK_CELL_DATE:
    default:
      cell = inscription_new (column);
      break;
    }
  if (column->query_tooltip != NULL)
    {
      gtk_widget_set_has_tooltip (cell, TRUE);
      g_signal_connect (cell, "query-tooltip", G_CALLBACK (column->query_tooltip), NULL);
    }
  return cell;
}

void
lk_table_cell_bind (const LkTableColumn *column,
                    GtkWidget           *cell,
                    LkLead              *lead,
                    const LkTableEnv    *env)
{
  column->bind (cell, lead, env);
}

/**
 * lk_table_owner_name:
 * @owner_id: (nullable): a user id; %NULL for a lead in the pool
 *
 * Returns: the owner's display name; for someone this desktop has not
 *   seen yet, the name in the id; "Pool" for nobody
 */
const char *
lk_table_owner_name (const char *owner_id,
                     GHashTable *users)
{
  LkUser *user;

  if (owner_id == NULL)
    return C_("owner", "Pool");
  user = g_hash_table_lookup (users, owner_id);
  if (user != NULL)
    return lk_user_get_display_name (user);
  return lk_user_id_get_name (owner_id);
}
