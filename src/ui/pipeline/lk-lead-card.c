/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-lead-card"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-format.h"
#include "lk-lead-card.h"
#include "lk-vocabulary.h"

/* A lead on the board: company, contact, amount, grade and temperature
 * (colour and text, never colour alone), owner, tags, the state of the
 * next follow-up and a rotting mark. Cards are recycled by their column's
 * list view; bind() sets everything from the lead.
 *
 * A card is a drag source carrying its LkLead; the column's drop target
 * accepts that type. The same moves are in the card's context menu and on
 * Alt+Left / Alt+Right (LkBoard). */
struct _LkLeadCard
{
  GtkBox           parent_instance;

  /* Template widgets */
  GtkInscription  *company_label;
  GtkLabel        *grade_label;
  GtkInscription  *contact_label;
  GtkLabel        *amount_label;
  GtkLabel        *temperature_label;
  AdwAvatar       *owner_avatar;
  GtkLabel        *tags_label;
  GtkBox          *followup_box;
  GtkImage        *followup_icon;
  GtkLabel        *followup_label;
  GtkLabel        *rotting_label;

  /* Borrowed */
  LkPipeline      *pipeline;

  /* Owned */
  LkLead          *lead;
  GtkWidget       *menu;
  char            *classes[3];   /* grade, temperature, follow-up state */

  LkFollowupState  followup;
  guint            rotting : 1;
};

G_DEFINE_FINAL_TYPE (LkLeadCard, lk_lead_card, GTK_TYPE_BOX)

#define DAY_MS (24 * 3600 * (gint64) 1000)

static void
swap_class (GtkWidget   *widget,
            char       **current,
            const char  *next)
{
  if (*current != NULL)
    gtk_widget_remove_css_class (widget, *current);
  g_free (*current);
  *current = g_strdup (next);
  if (next != NULL)
    gtk_widget_add_css_class (widget, next);
}

LkFollowupState
lk_followup_state_for (LkLead  *lead,
                       LkStage *stage,
                       LkClock *clock)
{
  gint64 next = lk_record_get_int (LK_RECORD (lead), LK_LEAD_NEXT_FOLLOWUP_AT);
  gint64 today;

  if (stage != NULL && lk_stage_is_terminal (stage))
    return LK_FOLLOWUP_NONE;
  if (next == 0)
    return LK_FOLLOWUP_UNPLANNED;
  today = lk_clock_start_of_day (clock, lk_clock_now_ms (clock));
  if (next < today)
    return LK_FOLLOWUP_OVERDUE;
  if (next < today + DAY_MS)
    return LK_FOLLOWUP_TODAY;
  return LK_FOLLOWUP_PLANNED;
}

/* More days in its stage than the stage allows (days-to-rot). */
gboolean
lk_lead_is_rotting (LkLead  *lead,
                    LkStage *stage,
                    LkClock *clock,
                    int     *days_in_stage)
{
  gint64 entered = lk_record_get_int (LK_RECORD (lead), LK_LEAD_STAGE_ENTERED_AT);
  int days = entered > 0 ? (int) ((lk_clock_now_ms (clock) - entered) / DAY_MS) : 0;

  if (days_in_stage)
    *days_in_stage = days;
  return stage != NULL && !lk_stage_is_terminal (stage) &&
         lk_stage_get_days_to_rot (stage) > 0 && days > (int) lk_stage_get_days_to_rot (stage);
}

static char *
followup_text (LkFollowupState  state,
               LkLead          *lead,
               LkClock         *clock)
{
  gint64 next = lk_record_get_int (LK_RECORD (lead), LK_LEAD_NEXT_FOLLOWUP_AT);
  GTimeZone *tz = lk_clock_get_timezone (clock);

  switch (state)
    {
    case LK_FOLLOWUP_OVERDUE:
      {
        gint64 today = lk_clock_start_of_day (clock, lk_clock_now_ms (clock));
        int days = (int) ((today - lk_clock_start_of_day (clock, next)) / DAY_MS);

        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Overdue by %d day", "Overdue by %d days", days), days);
      }
    case LK_FOLLOWUP_TODAY:
      {
        g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (next / 1000);
        g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);
        g_autofree char *time = g_date_time_format (local, "%H:%M");

        /* Translators: the next follow-up is today, at this time */
        return g_strdup_printf (_("Today %s"), time);
      }
    case LK_FOLLOWUP_PLANNED:
      {
        g_autofree char *date = lk_format_date (next, tz);

        /* Translators: the next follow-up is planned for this date */
        return g_strdup_printf (_("Next %s"), date);
      }
    case LK_FOLLOWUP_UNPLANNED:
      return g_strdup (_("Nothing planned"));
    case LK_FOLLOWUP_NONE:
    default:
      return NULL;
    }
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LkLeadCard *self = LK_LEAD_CARD (widget);

  if (self->lead != NULL)
    gtk_widget_activate_action (widget, "win.open-lead", "s", lk_record_get_id (LK_RECORD (self->lead)));
}

static GdkContentProvider *
drag_prepare_cb (GtkDragSource *source,
                 double         x,
                 double         y,
                 LkLeadCard    *self)
{
  if (self->lead == NULL)
    return NULL;
  return gdk_content_provider_new_typed (LK_TYPE_LEAD, self->lead);
}

static void
drag_begin_cb (GtkDragSource *source,
               GdkDrag       *drag,
               LkLeadCard    *self)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (self));

  gtk_drag_source_set_icon (source, paintable, 24, 16);
  gtk_widget_add_css_class (GTK_WIDGET (self), "dragging");
}

static void
drag_end_cb (GtkDragSource *source,
             GdkDrag       *drag,
             gboolean       delete_data,
             LkLeadCard    *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self), "dragging");
}

static void
secondary_click_cb (GtkGestureClick *gesture,
                    int              n_press,
                    double           x,
                    double           y,
                    LkLeadCard      *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  lk_lead_card_popup_menu (self);
}

static void
lk_lead_card_dispose (GObject *object)
{
  LkLeadCard *self = LK_LEAD_CARD (object);

  g_clear_pointer (&self->menu, gtk_widget_unparent);
  g_clear_object (&self->lead);
  for (guint i = 0; i < G_N_ELEMENTS (self->classes); i++)
    g_clear_pointer (&self->classes[i], g_free);

  G_OBJECT_CLASS (lk_lead_card_parent_class)->dispose (object);
}

static void
lk_lead_card_class_init (LkLeadCardClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = lk_lead_card_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/pipeline/lk-lead-card.ui");
  gtk_widget_class_bind_template_child (widget_class, LkLeadCard, company_label);
  gtk_widget_class_bind_template_child (widget_class, LkLeadCard, grade_label);
  gtk_widget_class_bind_template_child (widget_class, LkLeadCard, contact_label);
  gtk_widget_class_bind_template_child (widget_class, LkLeadCard, amount_label);
  gtk_widget_class_bind_template_child (widget_class, LkLeadCard, temperature_label);
  gtk_widget_class_bind_template_child (widget_class, LkLeadCard, owner_avatar);
  gtk_widget_class_bind_template_child (widget_class, LkLeadCard, tags_label);
  gtk_widget_class_bind_template_child (widget_class, LkLeadCard, followup_box);
  gtk_widget_class_bind_template_child (widget_class, LkLeadCard, followup_icon);
  gtk_widget_class_bind_template_child (widget_class, LkLeadCard, followup_label);
  gtk_widget_class_bind_template_child (widget_class, LkLeadCard, rotting_label);

  gtk_widget_class_install_action (widget_class, "card.open", NULL, open_action);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_css_name (widget_class, "leadcard");
}

static void
lk_lead_card_init (LkLeadCard *self)
{
  GtkDragSource *drag;
  GtkGesture *click;

  gtk_widget_init_template (GTK_WIDGET (self));

  drag = gtk_drag_source_new ();
  gtk_drag_source_set_actions (drag, GDK_ACTION_MOVE);
  g_signal_connect (drag, "prepare", G_CALLBACK (drag_prepare_cb), self);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (secondary_click_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

LkLeadCard *
lk_lead_card_new (void)
{
  return g_object_new (LK_TYPE_LEAD_CARD, NULL);
}

static void
bind_followup (LkLeadCard *self,
               LkStage    *stage,
               LkClock    *clock)
{
  static const char * const classes[] = {
    [LK_FOLLOWUP_NONE] = NULL,
    [LK_FOLLOWUP_OVERDUE] = "overdue",
    [LK_FOLLOWUP_TODAY] = "today",
    [LK_FOLLOWUP_PLANNED] = "planned",
    [LK_FOLLOWUP_UNPLANNED] = "unplanned",
  };
  static const char * const icons[] = {
    [LK_FOLLOWUP_NONE] = NULL,
    [LK_FOLLOWUP_OVERDUE] = "dialog-warning-symbolic",
    [LK_FOLLOWUP_TODAY] = "alarm-symbolic",
    [LK_FOLLOWUP_PLANNED] = "x-office-calendar-symbolic",
    [LK_FOLLOWUP_UNPLANNED] = "appointment-new-symbolic",
  };
  g_autofree char *text = NULL;
  int days = 0;

  self->followup = lk_followup_state_for (self->lead, stage, clock);
  text = followup_text (self->followup, self->lead, clock);
  gtk_widget_set_visible (GTK_WIDGET (self->followup_box), text != NULL);
  gtk_label_set_text (self->followup_label, text ? text : "");
  if (icons[self->followup] != NULL)
    gtk_image_set_from_icon_name (self->followup_icon, icons[self->followup]);
  swap_class (GTK_WIDGET (self->followup_box), &self->classes[2], classes[self->followup]);

  self->rotting = lk_lead_is_rotting (self->lead, stage, clock, &days);
  gtk_widget_set_visible (GTK_WIDGET (self->rotting_label), self->rotting);
  if (self->rotting)
    {
      g_autofree char *rot = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Stuck %d day", "Stuck %d days", days), days);
      g_autofree char *tip = g_strdup_printf (_("Rotting: %d days in this stage, more than the %u the stage allows"),
                                              days, lk_stage_get_days_to_rot (stage));

      gtk_label_set_text (self->rotting_label, rot);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->rotting_label), tip);
    }
}

static char *
tags_text (LkLead *lead)
{
  const char * const *tags = lk_record_get_tags (LK_RECORD (lead), LK_LEAD_TAGS);
  g_autoptr(GString) text = g_string_new (NULL);
  guint n = g_strv_length ((char **) tags);

  for (guint i = 0; i < n && i < 3; i++)
    g_string_append_printf (text, "%s#%s", i ? "  " : "", tags[i]);
  if (n > 3)
    /* Translators: more tags than the card shows */
    g_string_append_printf (text, _("  +%u"), n - 3);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * lk_lead_card_bind:
 * @lead: (nullable): %NULL clears the card
 * @owner: (nullable): %NULL for a lead in the pool or an unknown owner
 */
void
lk_lead_card_bind (LkLeadCard *self,
                   LkLead     *lead,
                   LkPipeline *pipeline,
                   LkUser     *owner,
                   LkClock    *clock)
{
  LkRecord *record;
  LkStage *stage;
  const char *grade, *temperature, *title, *owner_name;
  g_autofree char *contact = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *tags = NULL;
  g_autofree char *grade_class = NULL;
  g_autofree char *temperature_class = NULL;
  g_autofree char *description = NULL;

  g_return_if_fail (LK_IS_LEAD_CARD (self));

  g_set_object (&self->lead, lead);
  self->pipeline = pipeline;
  if (lead == NULL)
    return;

  record = LK_RECORD (lead);
  stage = lk_pipeline_lookup (pipeline, lk_lead_get_stage (lead));
  grade = lk_record_get_string (record, LK_LEAD_GRADE);
  temperature = lk_record_get_string (record, LK_LEAD_TEMPERATURE);
  title = lk_record_get_string (record, LK_LEAD_TITLE);

  gtk_inscription_set_text (self->company_label, lk_lead_get_display_name (lead));
  contact = title[0] && lk_lead_get_contact (lead)[0]
              ? g_strdup_printf (_("%s · %s"), lk_lead_get_contact (lead), title)
              : g_strdup (lk_lead_get_contact (lead)[0] ? lk_lead_get_contact (lead) : title);
  gtk_inscription_set_text (self->contact_label, contact);

  /* Grade and temperature: a colour and a word, so colour is never the
   * only signal. */
  gtk_widget_set_visible (GTK_WIDGET (self->grade_label), grade[0] != '\0');
  gtk_label_set_text (self->grade_label, grade);
  grade_class = grade[0] ? g_strdup_printf ("grade-%c", g_ascii_tolower (grade[0])) : NULL;
  swap_class (GTK_WIDGET (self->grade_label), &self->classes[0], grade_class);
  gtk_label_set_text (self->temperature_label, temperature[0] ? lk_vocabulary_temperature_name (temperature) : "");
  temperature_class = temperature[0] ? g_strdup_printf ("temperature-%s", temperature) : NULL;
  swap_class (GTK_WIDGET (self->temperature_label), &self->classes[1], temperature_class);

  if (lk_lead_get_amount (lead) > 0)
    amount = lk_format_money (lk_lead_get_amount (lead), lk_record_get_string (record, LK_LEAD_CURRENCY));
  gtk_label_set_text (self->amount_label, amount ? amount : "");
  gtk_widget_set_visible (GTK_WIDGET (self->amount_label), amount != NULL);

  owner_name = owner ? lk_user_get_display_name (owner) : lk_lead_get_owner (lead);
  if (owner == NULL && owner_name != NULL && g_str_has_prefix (owner_name, "user:"))
    owner_name += strlen ("user:");
  adw_avatar_set_text (self->owner_avatar, owner_name ? owner_name : _("Pool"));
  adw_avatar_set_show_initials (self->owner_avatar, owner_name != NULL);
  adw_avatar_set_icon_name (self->owner_avatar, owner_name ? NULL : "system-users-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->owner_avatar),
                               owner_name ? owner_name : _("In the pool: nobody owns this lead yet"));

  tags = tags_text (lead);
  gtk_label_set_text (self->tags_label, tags);
  gtk_widget_set_visible (GTK_WIDGET (self->tags_label), tags[0] != '\0');

  bind_followup (self, stage, clock);

  description = g_strdup_printf (_("%s, %s, %s, grade %s, %s, owner %s. %s"),
                                 lk_lead_get_display_name (lead), contact,
                                 amount ? amount : _("no amount"),
                                 grade[0] ? grade : _("none"),
                                 temperature[0] ? lk_vocabulary_temperature_name (temperature) : _("temperature unknown"),
                                 owner_name ? owner_name : _("none (in the pool)"),
                                 gtk_label_get_text (self->followup_label));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
}

/* Returns: (nullable) (transfer none): */
LkLead *
lk_lead_card_get_lead (LkLeadCard *self)
{
  g_return_val_if_fail (LK_IS_LEAD_CARD (self), NULL);
  return self->lead;
}

LkFollowupState
lk_lead_card_get_followup_state (LkLeadCard *self)
{
  g_return_val_if_fail (LK_IS_LEAD_CARD (self), LK_FOLLOWUP_NONE);
  return self->followup;
}

gboolean
lk_lead_card_get_rotting (LkLeadCard *self)
{
  g_return_val_if_fail (LK_IS_LEAD_CARD (self), FALSE);
  return self->rotting;
}

/* Open · Move to ▸ (every other stage) · Delete. The move and delete
 * items name the board's actions with the lead id as target. */
GMenuModel *
lk_lead_card_build_menu (LkLeadCard *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) open = g_menu_new ();
  g_autoptr(GMenu) stages = g_menu_new ();
  g_autoptr(GMenu) danger = g_menu_new ();
  const char *id;
  guint n;

  g_return_val_if_fail (LK_IS_LEAD_CARD (self), NULL);
  g_return_val_if_fail (self->lead != NULL, NULL);

  id = lk_record_get_id (LK_RECORD (self->lead));
  g_menu_append (open, _("_Open"), "card.open");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (open));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->pipeline));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LkStage) stage = g_list_model_get_item (G_LIST_MODEL (self->pipeline), i);
      g_autoptr(GMenuItem) item = NULL;

      if (g_str_equal (lk_stage_get_id (stage), lk_lead_get_stage (self->lead)))
        continue;
      item = g_menu_item_new (lk_stage_get_name (stage), NULL);
      g_menu_item_set_action_and_target (item, "board.move-lead", "(ss)", id, lk_stage_get_id (stage));
      g_menu_append_item (stages, item);
    }
  g_menu_append_submenu (menu, _("_Move to"), G_MENU_MODEL (stages));

  {
    g_autoptr(GMenuItem) item = g_menu_item_new (_("_Delete"), NULL);

    g_menu_item_set_action_and_target (item, "board.delete-lead", "s", id);
    g_menu_append_item (danger, item);
  }
  g_menu_append_section (menu, NULL, G_MENU_MODEL (danger));
  return G_MENU_MODEL (g_steal_pointer (&menu));
}

/* The context menu, from a right click, the Menu key or Shift+F10. */
void
lk_lead_card_popup_menu (LkLeadCard *self)
{
  g_autoptr(GMenuModel) model = NULL;

  g_return_if_fail (LK_IS_LEAD_CARD (self));

  if (self->lead == NULL)
    return;
  model = lk_lead_card_build_menu (self);
  if (self->menu == NULL)
    {
      self->menu = gtk_popover_menu_new_from_model (model);
      gtk_widget_set_parent (self->menu, GTK_WIDGET (self));
      gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
      gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
    }
  else
    gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->menu), model);
  gtk_popover_popup (GTK_POPOVER (self->menu));
}
