/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-lead-row"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-format.h"
#include "lk-lead-row.h"

/* One lead in a list: company, contact and title, grade, stage, amount
 * and owner. Rows are recycled by the list view; bind() sets everything
 * from the lead, so a row keeps nothing of the lead it showed before. */
struct _LkLeadRow
{
  GtkBox          parent_instance;

  /* Template widgets */
  GtkInscription *company_label;
  GtkInscription *detail_label;
  GtkLabel       *grade_label;
  GtkLabel       *stage_label;
  GtkLabel       *amount_label;
  AdwAvatar      *owner_avatar;

  /* Owned */
  char           *stage_class;
  char           *grade_class;
};

G_DEFINE_FINAL_TYPE (LkLeadRow, lk_lead_row, GTK_TYPE_BOX)

static void
swap_class (GtkWidget   *widget,
            char       **current,
            char        *next)
{
  if (*current != NULL)
    gtk_widget_remove_css_class (widget, *current);
  g_free (*current);
  *current = next;
  if (next != NULL)
    gtk_widget_add_css_class (widget, next);
}

static void
lk_lead_row_finalize (GObject *object)
{
  LkLeadRow *self = LK_LEAD_ROW (object);

  g_clear_pointer (&self->stage_class, g_free);
  g_clear_pointer (&self->grade_class, g_free);

  G_OBJECT_CLASS (lk_lead_row_parent_class)->finalize (object);
}

static void
lk_lead_row_class_init (LkLeadRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = lk_lead_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/leads/lk-lead-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LkLeadRow, company_label);
  gtk_widget_class_bind_template_child (widget_class, LkLeadRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, LkLeadRow, grade_label);
  gtk_widget_class_bind_template_child (widget_class, LkLeadRow, stage_label);
  gtk_widget_class_bind_template_child (widget_class, LkLeadRow, amount_label);
  gtk_widget_class_bind_template_child (widget_class, LkLeadRow, owner_avatar);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
lk_lead_row_init (LkLeadRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

LkLeadRow *
lk_lead_row_new (void)
{
  return g_object_new (LK_TYPE_LEAD_ROW, NULL);
}

/* "stage-new"; other characters of custom ids become '-' so any id
 * makes a valid CSS class. */
char *
lk_lead_row_stage_css_class (const char *stage_id)
{
  char *css_class = g_strconcat ("stage-", stage_id, NULL);

  for (char *p = css_class + 6; *p; p++)
    if (!g_ascii_isalnum (*p))
      *p = '-';
  return css_class;
}

/**
 * lk_lead_row_bind:
 * @lead: (nullable): %NULL to clear the row
 * @stage: (nullable): the lead's stage in the pipeline
 * @owner: (nullable): the owner; %NULL for a lead in the pool
 */
void
lk_lead_row_bind (LkLeadRow *self,
                  LkLead    *lead,
                  LkStage   *stage,
                  LkUser    *owner)
{
  LkRecord *record;
  const char *contact, *title, *grade, *owner_name;
  g_autofree char *detail = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *description = NULL;

  g_return_if_fail (LK_IS_LEAD_ROW (self));

  if (lead == NULL)
    {
      gtk_inscription_set_text (self->company_label, NULL);
      gtk_inscription_set_text (self->detail_label, NULL);
      return;
    }
  record = LK_RECORD (lead);
  contact = lk_lead_get_contact (lead);
  title = lk_record_get_string (record, LK_LEAD_TITLE);
  grade = lk_record_get_string (record, LK_LEAD_GRADE);

  gtk_inscription_set_text (self->company_label, lk_lead_get_display_name (lead));
  if (contact[0] != '\0' && title[0] != '\0')
    /* Translators: a contact and their job title: "王芳 · 采购经理" */
    detail = g_strdup_printf (_("%s · %s"), contact, title);
  else
    detail = g_strdup (contact[0] ? contact : title);
  gtk_inscription_set_text (self->detail_label, detail);

  gtk_label_set_text (self->grade_label, grade);
  gtk_widget_set_visible (GTK_WIDGET (self->grade_label), grade[0] != '\0');
  swap_class (GTK_WIDGET (self->grade_label), &self->grade_class,
              grade[0] ? g_strdup_printf ("grade-%c", g_ascii_tolower (grade[0])) : NULL);
  if (grade[0] != '\0')
    {
      /* Translators: accessible description of the grade badge */
      g_autofree char *grade_text = g_strdup_printf (_("Grade %s"), grade);

      gtk_accessible_update_property (GTK_ACCESSIBLE (self->grade_label),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, grade_text, -1);
    }

  gtk_label_set_text (self->stage_label, stage ? lk_stage_get_name (stage) : lk_lead_get_stage (lead));
  swap_class (GTK_WIDGET (self->stage_label), &self->stage_class,
              lk_lead_row_stage_css_class (lk_lead_get_stage (lead)));

  if (lk_lead_get_amount (lead) > 0)
    amount = lk_format_money (lk_lead_get_amount (lead), lk_record_get_string (record, LK_LEAD_CURRENCY));
  gtk_label_set_text (self->amount_label, amount ? amount : "");

  owner_name = owner ? lk_user_get_display_name (owner) : lk_lead_get_owner (lead);
  if (owner == NULL && owner_name != NULL && g_str_has_prefix (owner_name, "user:"))
    owner_name += strlen ("user:");  /* a team member this desktop has not seen yet */
  adw_avatar_set_text (self->owner_avatar, owner_name ? owner_name : _("Pool"));
  adw_avatar_set_icon_name (self->owner_avatar, owner_name ? NULL : "system-users-symbolic");
  adw_avatar_set_show_initials (self->owner_avatar, owner_name != NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->owner_avatar),
                               owner_name ? owner_name : _("In the pool: nobody owns this lead yet"));

  /* One sentence for screen readers, in the order a person reads the row. */
  description = g_strdup_printf (_("%s, %s, stage %s, %s, owner %s"),
                                 lk_lead_get_display_name (lead), detail,
                                 stage ? lk_stage_get_name (stage) : lk_lead_get_stage (lead),
                                 amount ? amount : _("no amount"),
                                 owner_name ? owner_name : _("none (in the pool)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
}
