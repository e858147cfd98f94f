/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-lead-card"

#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "leads/lk-assign-actions.h"
#include "lk-format.h"
#include "lk-lead-card.h"
#include "lk-utils.h"
#include "lk-vocabulary.h"

/* A lead on the board: company, contact, amount, grade and temperature
 * (colour and text, never colour alone), owner, tags, the state of the
 * next follow-up and a rotting mark.
 *
 * The card draws itself from a few Pango layouts instead of holding a
 * tree of child widgets: GTK 4.8's list view keeps up to 200 rows alive
 * per column whatever is on screen, so with seven columns a card made of
 * a dozen widgets (labels, an avatar, tooltips) cost a second at start-up.
 * Its CSS node ("leadcard.card") still gets the theme's background,
 * border, padding and focus outline.
 *
 * Dragging a card carries its LkLead; the column's drop target accepts
 * that type. The drag source and the right-click gesture belong to the
 * column (LkStageColumn), which finds the card under the pointer: two
 * controllers per column instead of two per card, since GTK 4.8 makes and
 * destroys up to 1,400 cards whenever the board's filter changes. The
 * same moves are in the card's context menu and on Alt+Left / Alt+Right
 * (LkBoard). */

typedef enum
{
  PART_COMPANY,
  PART_GRADE,
  PART_CONTACT,
  PART_AMOUNT,
  PART_TEMPERATURE,
  PART_INITIALS,
  PART_TAGS,
  PART_FOLLOWUP,
  PART_ROTTING,
  N_PARTS
} Part;

static const char * const part_names[N_PARTS] = {
  "company", "grade", "contact", "amount", "temperature", "initials", "tags", "followup", "rotting",
};

#define SPACING 4
#define AVATAR 22
#define ICON 12

struct _LkLeadCard
{
  GtkWidget        parent_instance;

  /* Borrowed */
  LkPipeline      *pipeline;

  /* Owned */
  LkLead          *lead;
  GtkWidget       *menu;
  PangoLayout     *layouts[N_PARTS];
  char            *texts[N_PARTS];
  char            *owner_name;
  char            *team_currency;  /* for a lead without a currency */
  char            *rotting_tip;
  char            *temperature;

  LkFollowupState  followup;
  guint            rotting : 1;
  guint            has_grade : 1;
  char             grade;
};

G_DEFINE_FINAL_TYPE (LkLeadCard, lk_lead_card, GTK_TYPE_WIDGET)

/* The height of each part's single line depends on the font, not on the
 * text, so it is measured once for every card (and again when the font
 * changes): measuring a card then shapes no text at all, and only the
 * cards on screen ever lay out their words. A list of 200 cards per
 * column rebinds on every keystroke of a search. */
typedef struct
{
  char *font;                 /* the font the heights were measured for */
  int   heights[N_PARTS];
} HeightCache;

static HeightCache height_cache;

#define DAY_MS (24 * 3600 * (gint64) 1000)

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
        g_autofree char *date = lk_format_date_short (next, tz);

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

static gboolean
lookup_color (GtkWidget  *widget,
              const char *name,
              GdkRGBA    *rgba)
{
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  return gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, rgba);
G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
foreground (GtkWidget *widget,
            GdkRGBA   *rgba)
{
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), rgba);
G_GNUC_END_IGNORE_DEPRECATIONS
}

/* The colour of a part: the theme's named colours for meaning, the text
 * colour dimmed for secondary text. */
static void
part_color (LkLeadCard *self,
            Part        part,
            GdkRGBA    *rgba)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const char *name = NULL;
  double alpha = 1.0;

  foreground (widget, rgba);
  switch (part)
    {
    case PART_CONTACT:
    case PART_TAGS:
      alpha = 0.6;
      break;
    case PART_TEMPERATURE:
      name = g_strcmp0 (self->temperature, "hot") == 0 ? "error_color"
           : g_strcmp0 (self->temperature, "warm") == 0 ? "warning_color" : "accent_color";
      break;
    case PART_FOLLOWUP:
      if (self->followup == LK_FOLLOWUP_OVERDUE)
        name = "error_color";
      else if (self->followup == LK_FOLLOWUP_TODAY)
        name = "success_color";
      else if (self->followup == LK_FOLLOWUP_UNPLANNED)
        name = "warning_color";
      else
        alpha = 0.65;
      break;
    case PART_ROTTING:
      name = "warning_color";
      break;
    case PART_COMPANY:
    case PART_GRADE:
    case PART_AMOUNT:
    case PART_INITIALS:
    case N_PARTS:
    default:
      break;
    }
  if (name != NULL)
    lookup_color (widget, name, rgba);
  rgba->alpha *= alpha;
}

static PangoLayout *
make_layout (LkLeadCard *self,
             Part        part)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  PangoAttrList *attrs = pango_attr_list_new ();

  switch (part)
    {
    case PART_COMPANY:
    case PART_AMOUNT:
    case PART_GRADE:
      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      break;
    case PART_TAGS:
    case PART_FOLLOWUP:
    case PART_ROTTING:
    case PART_INITIALS:
      pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
      break;
    case PART_CONTACT:
    case PART_TEMPERATURE:
    case N_PARTS:
    default:
      break;
    }
  if (part == PART_AMOUNT)
    pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_single_paragraph_mode (layout, TRUE);
  return layout;
}

/* The layout of @part with its current text, made on first use. */
static PangoLayout *
layout_of (LkLeadCard *self,
           Part        part)
{
  if (self->layouts[part] == NULL)
    {
      self->layouts[part] = make_layout (self, part);
      pango_layout_set_text (self->layouts[part], self->texts[part] ? self->texts[part] : "", -1);
    }
  return self->layouts[part];
}

static void
set_part (LkLeadCard *self,
          Part        part,
          const char *text)
{
  if (text != NULL && text[0] == '\0')
    text = NULL;
  if (g_strcmp0 (self->texts[part], text) == 0)
    return;
  g_free (self->texts[part]);
  self->texts[part] = g_strdup (text);
  if (self->layouts[part] != NULL)
    pango_layout_set_text (self->layouts[part], text ? text : "", -1);
}

static int
line_height (LkLeadCard *self,
             Part        part)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  g_autofree char *font = pango_font_description_to_string (pango_context_get_font_description (context));

  if (g_strcmp0 (height_cache.font, font) != 0)
    {
      g_free (height_cache.font);
      height_cache.font = g_steal_pointer (&font);
      for (guint i = 0; i < N_PARTS; i++)
        {
          g_autoptr(PangoLayout) probe = make_layout (self, i);

          /* Latin and CJK glyphs, which set the line's height. */
          pango_layout_set_text (probe, "Ág国", -1);
          pango_layout_get_pixel_size (probe, NULL, &height_cache.heights[i]);
        }
    }
  return height_cache.heights[part];
}

static int
row3_height (LkLeadCard *self)
{
  return MAX (line_height (self, PART_AMOUNT), AVATAR);
}

static void
lk_lead_card_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  LkLeadCard *self = LK_LEAD_CARD (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 160;
      *natural = 240;
      return;
    }
  /* Company, contact, amount row, tags (when any), follow-up (when any). */
  *minimum = line_height (self, PART_COMPANY) + SPACING + line_height (self, PART_CONTACT) +
             SPACING + row3_height (self);
  if (self->texts[PART_TAGS] != NULL)
    *minimum += SPACING + line_height (self, PART_TAGS);
  if (self->texts[PART_FOLLOWUP] != NULL || self->rotting)
    *minimum += SPACING + MAX (line_height (self, PART_FOLLOWUP), ICON);
  *natural = *minimum;
}

static void
append_layout (LkLeadCard  *self,
               GtkSnapshot *snapshot,
               Part         part,
               int          x,
               int          y,
               int          width)
{
  GdkRGBA color;

  if (self->texts[part] == NULL || width <= 0)
    return;
  pango_layout_set_width (layout_of (self, part), width * PANGO_SCALE);
  part_color (self, part, &color);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout_of (self, part), &color);
  gtk_snapshot_restore (snapshot);
}

static int
text_width (LkLeadCard *self,
            Part        part)
{
  int width;

  if (self->texts[part] == NULL)
    return 0;
  pango_layout_set_width (layout_of (self, part), -1);
  pango_layout_get_pixel_size (layout_of (self, part), &width, NULL);
  return width;
}

static void
append_rounded (GtkSnapshot   *snapshot,
                const GdkRGBA *color,
                float          x,
                float          y,
                float          width,
                float          height,
                float          radius)
{
  GskRoundedRect rect;

  gsk_rounded_rect_init_from_rect (&rect, &GRAPHENE_RECT_INIT (x, y, width, height), radius);
  gtk_snapshot_push_rounded_clip (snapshot, &rect);
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, width, height));
  gtk_snapshot_pop (snapshot);
}

/* A colour for the owner, the same for the same name everywhere. */
static void
avatar_color (const char *name,
              GdkRGBA    *rgba)
{
  static const char * const palette[] = {
    "#3584e4", "#2190a4", "#3a944a", "#c88800", "#ed5b00", "#e62d42", "#9141ac", "#6f8396",
  };

  gdk_rgba_parse (rgba, palette[g_str_hash (name ? name : "") % G_N_ELEMENTS (palette)]);
}

static void
append_icon (LkLeadCard    *self,
             GtkSnapshot   *snapshot,
             const char    *icon_name,
             const GdkRGBA *color,
             int            x,
             int            y)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self)));
  g_autoptr(GtkIconPaintable) icon = NULL;

  icon = gtk_icon_theme_lookup_icon (theme, icon_name, NULL, ICON, gtk_widget_get_scale_factor (GTK_WIDGET (self)),
                                     gtk_widget_get_direction (GTK_WIDGET (self)), 0);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (icon), snapshot, ICON, ICON, color, 1);
  gtk_snapshot_restore (snapshot);
}

static void
lk_lead_card_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  LkLeadCard *self = LK_LEAD_CARD (widget);
  int width = gtk_widget_get_width (widget);
  int y = 0;
  int grade_width = 0;

  if (self->lead == NULL)
    return;

  /* Row 1: company, and the grade as a badge on the right. */
  if (self->has_grade)
    {
      GdkRGBA text, background;
      int h = line_height (self, PART_GRADE);

      grade_width = text_width (self, PART_GRADE) + 12;
      part_color (self, PART_GRADE, &text);
      if (!lookup_color (widget, self->grade == 'A' ? "success_color"
                                 : self->grade == 'B' ? "warning_color" : "window_fg_color", &background))
        background = text;
      background.alpha = self->grade == 'C' ? 0.10 : 0.22;
      append_rounded (snapshot, &background, width - grade_width, y, grade_width, h, 6);
      append_layout (self, snapshot, PART_GRADE, width - grade_width + 6, y, grade_width);
    }
  append_layout (self, snapshot, PART_COMPANY, 0, y,
                 width - (grade_width ? grade_width + 6 : 0));
  y += line_height (self, PART_COMPANY) + SPACING;

  /* Row 2: contact · title */
  append_layout (self, snapshot, PART_CONTACT, 0, y, width);
  y += line_height (self, PART_CONTACT) + SPACING;

  /* Row 3: amount, temperature, and the owner's initials on the right. */
  {
    int row = row3_height (self);
    int text_y = y + (row - line_height (self, PART_AMOUNT)) / 2;
    int amount_width = text_width (self, PART_AMOUNT);
    GdkRGBA circle, white = { 1, 1, 1, 1 };

    append_layout (self, snapshot, PART_AMOUNT, 0, text_y, MIN (amount_width, width - AVATAR - 8));
    append_layout (self, snapshot, PART_TEMPERATURE, amount_width ? amount_width + 8 : 0, text_y,
                   width - AVATAR - 8 - (amount_width ? amount_width + 8 : 0));

    avatar_color (self->owner_name, &circle);
    if (self->owner_name == NULL)
      circle.alpha = 0.35;
    append_rounded (snapshot, &circle, width - AVATAR, y + (row - AVATAR) / 2, AVATAR, AVATAR, AVATAR / 2.0);
    if (self->texts[PART_INITIALS] != NULL)
      {
        int w = text_width (self, PART_INITIALS);
        int h = line_height (self, PART_INITIALS);

        gtk_snapshot_save (snapshot);
        gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (width - AVATAR + (AVATAR - w) / 2.0,
                                                                y + (row - h) / 2.0));
        gtk_snapshot_append_layout (snapshot, layout_of (self, PART_INITIALS), &white);
        gtk_snapshot_restore (snapshot);
      }
    else
      append_icon (self, snapshot, "system-users-symbolic", &white,
                   width - AVATAR + (AVATAR - ICON) / 2, y + (row - ICON) / 2);
    y += row + SPACING;
  }

  /* Row 4: tags */
  if (self->texts[PART_TAGS] != NULL)
    {
      append_layout (self, snapshot, PART_TAGS, 0, y, width);
      y += line_height (self, PART_TAGS) + SPACING;
    }

  /* Row 5: the next follow-up (icon and words) and the rotting mark. */
  if (self->texts[PART_FOLLOWUP] != NULL || self->rotting)
    {
      static const char * const icons[] = {
        [LK_FOLLOWUP_NONE] = NULL,
        [LK_FOLLOWUP_OVERDUE] = "dialog-warning-symbolic",
        [LK_FOLLOWUP_TODAY] = "alarm-symbolic",
        [LK_FOLLOWUP_PLANNED] = "x-office-calendar-symbolic",
        [LK_FOLLOWUP_UNPLANNED] = "appointment-new-symbolic",
      };
      int h = MAX (line_height (self, PART_FOLLOWUP), ICON);
      int rot_width = self->rotting ? text_width (self, PART_ROTTING) + 8 : 0;
      GdkRGBA color;

      if (self->texts[PART_FOLLOWUP] != NULL)
        {
          part_color (self, PART_FOLLOWUP, &color);
          append_icon (self, snapshot, icons[self->followup], &color, 0, y + (h - ICON) / 2);
          append_layout (self, snapshot, PART_FOLLOWUP, ICON + 4, y + (h - line_height (self, PART_FOLLOWUP)) / 2,
                         width - ICON - 4 - (rot_width ? rot_width + 6 : 0));
        }
      if (self->rotting)
        {
          part_color (self, PART_ROTTING, &color);
          color.alpha *= 0.16;
          append_rounded (snapshot, &color, width - rot_width, y, rot_width, h, 6);
          append_layout (self, snapshot, PART_ROTTING, width - rot_width + 4,
                         y + (h - line_height (self, PART_ROTTING)) / 2, rot_width);
        }
    }
}

static gboolean
query_tooltip_cb (LkLeadCard *self,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int row3 = line_height (self, PART_COMPANY) + line_height (self, PART_CONTACT) + 2 * SPACING;

  if (self->lead == NULL)
    return FALSE;
  if (!keyboard && x >= width - AVATAR && y >= row3 && y < row3 + row3_height (self))
    gtk_tooltip_set_text (tooltip, self->owner_name ? self->owner_name
                                                    : _("In the pool: nobody owns this lead yet"));
  else if (!keyboard && self->rotting && y > row3 + row3_height (self) && x > width / 2)
    gtk_tooltip_set_text (tooltip, self->rotting_tip);
  else
    gtk_tooltip_set_text (tooltip, lk_lead_get_display_name (self->lead));
  return TRUE;
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

static void
lk_lead_card_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  LkLeadCard *self = LK_LEAD_CARD (widget);

  if (self->menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->menu));
}

static void
lk_lead_card_css_changed (GtkWidget         *widget,
                          GtkCssStyleChange *change)
{
  LkLeadCard *self = LK_LEAD_CARD (widget);

  GTK_WIDGET_CLASS (lk_lead_card_parent_class)->css_changed (widget, change);
  /* Fonts may have changed: the layouts belong to the old context. */
  for (guint i = 0; i < N_PARTS; i++)
    if (self->layouts[i] != NULL)
      pango_layout_context_changed (self->layouts[i]);
  gtk_widget_queue_resize (widget);
}

static void
lk_lead_card_dispose (GObject *object)
{
  LkLeadCard *self = LK_LEAD_CARD (object);

  g_clear_pointer (&self->menu, gtk_widget_unparent);
  g_clear_object (&self->lead);

  G_OBJECT_CLASS (lk_lead_card_parent_class)->dispose (object);
}

static void
lk_lead_card_finalize (GObject *object)
{
  LkLeadCard *self = LK_LEAD_CARD (object);

  for (guint i = 0; i < N_PARTS; i++)
    {
      g_clear_object (&self->layouts[i]);
      g_clear_pointer (&self->texts[i], g_free);
    }
  g_clear_pointer (&self->owner_name, g_free);
  g_clear_pointer (&self->team_currency, g_free);
  g_clear_pointer (&self->rotting_tip, g_free);
  g_clear_pointer (&self->temperature, g_free);

  G_OBJECT_CLASS (lk_lead_card_parent_class)->finalize (object);
}

static void
lk_lead_card_class_init (LkLeadCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_lead_card_dispose;
  object_class->finalize = lk_lead_card_finalize;
  widget_class->measure = lk_lead_card_measure;
  widget_class->snapshot = lk_lead_card_snapshot;
  widget_class->size_allocate = lk_lead_card_size_allocate;
  widget_class->css_changed = lk_lead_card_css_changed;

  gtk_widget_class_install_action (widget_class, "card.open", NULL, open_action);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_css_name (widget_class, "leadcard");
}

static void
lk_lead_card_init (LkLeadCard *self)
{
  gtk_widget_add_css_class (GTK_WIDGET (self), "card");
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
  /* The name (set with the lead) says what the card shows; this says
   * what a keyboard can do with it. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Enter opens the lead. Alt+Left and Alt+Right move it to the previous or next stage. The Menu key shows what else you can do with it."),
                                  -1);
}

LkLeadCard *
lk_lead_card_new (void)
{
  return g_object_new (LK_TYPE_LEAD_CARD, NULL);
}

/* "AW" for Anna Weber, "梅梅" for 韩梅梅: what fits in the circle. */
static char *
initials_for (const char *name)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean at_word = TRUE;

  if (name == NULL || name[0] == '\0')
    return NULL;
  if (g_unichar_iswide (g_utf8_get_char (name)))
    {
      /* Chinese names: the family name alone is what colleagues share, so
       * the card shows it; the tooltip has the whole name. */
      return g_strndup (name, g_utf8_next_char (name) - name);
    }
  for (const char *p = name; *p && out->len < 2; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == '-' || c == '.')
        at_word = TRUE;
      else if (at_word)
        {
          g_string_append_unichar (out, g_unichar_toupper (c));
          at_word = FALSE;
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * lk_lead_card_bind:
 * @lead: (nullable): %NULL clears the card
 * @owner: (nullable): %NULL for a lead in the pool or an unknown owner
 */
/* The currency of the amount of a lead that has none (one another
 * program wrote): the team's. Set before lk_lead_card_bind(). */
void
lk_lead_card_set_team_currency (LkLeadCard *self,
                                const char *currency)
{
  g_return_if_fail (LK_IS_LEAD_CARD (self));
  lk_set_str (&self->team_currency, currency);
}

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
  g_autofree char *initials = NULL;
  g_autofree char *followup = NULL;
  g_autofree char *rotting = NULL;
  g_autofree char *description = NULL;
  int days = 0;

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

  set_part (self, PART_COMPANY, lk_lead_get_display_name (lead));
  contact = title[0] && lk_lead_get_contact (lead)[0]
              ? g_strdup_printf (_("%s · %s"), lk_lead_get_contact (lead), title)
              : g_strdup (lk_lead_get_contact (lead)[0] ? lk_lead_get_contact (lead) : title);
  set_part (self, PART_CONTACT, contact);

  /* Grade and temperature: a colour and a word, so colour is never the
   * only signal. */
  self->has_grade = grade[0] != '\0';
  self->grade = grade[0];
  set_part (self, PART_GRADE, grade);
  g_free (self->temperature);
  self->temperature = g_strdup (temperature);
  set_part (self, PART_TEMPERATURE, temperature[0] ? lk_vocabulary_temperature_name (temperature) : NULL);

  if (lk_lead_get_amount (lead) > 0)
    {
      const char *currency = lk_record_get_string (record, LK_LEAD_CURRENCY);

      amount = lk_format_money (lk_lead_get_amount (lead),
                                currency[0] == '\0' && self->team_currency ? self->team_currency : currency);
    }
  set_part (self, PART_AMOUNT, amount);

  owner_name = owner ? lk_user_get_display_name (owner) : lk_user_id_get_name (lk_lead_get_owner (lead));
  g_free (self->owner_name);
  self->owner_name = g_strdup (owner_name);
  initials = initials_for (owner_name);
  set_part (self, PART_INITIALS, initials);

  tags = tags_text (lead);
  set_part (self, PART_TAGS, tags);

  self->followup = lk_followup_state_for (lead, stage, clock);
  followup = followup_text (self->followup, lead, clock);
  set_part (self, PART_FOLLOWUP, followup);
  self->rotting = lk_lead_is_rotting (lead, stage, clock, &days);
  if (self->rotting)
    rotting = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Stuck %d day", "Stuck %d days", days), days);
  set_part (self, PART_ROTTING, rotting);
  g_free (self->rotting_tip);
  self->rotting_tip = self->rotting
                        ? g_strdup_printf (_("Rotting: %d days in this stage, more than the %u the stage allows"),
                                           days, lk_stage_get_days_to_rot (stage))
                        : NULL;

  description = g_strdup_printf (_("%s, %s, %s, grade %s, %s, owner %s. %s"),
                                 lk_lead_get_display_name (lead), contact,
                                 amount ? amount : _("no amount"),
                                 grade[0] ? grade : _("none"),
                                 temperature[0] ? lk_vocabulary_temperature_name (temperature) : _("temperature unknown"),
                                 owner_name ? owner_name : _("none (in the pool)"),
                                 followup ? followup : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
  gtk_widget_queue_resize (GTK_WIDGET (self));
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

/**
 * lk_lead_card_get_text:
 * @part: "company", "contact", "amount", "temperature", "grade", "tags",
 *   "followup", "rotting" or "initials"
 *
 * Returns: (nullable): the text the card shows for @part
 */
const char *
lk_lead_card_get_text (LkLeadCard *self,
                       const char *part)
{
  g_return_val_if_fail (LK_IS_LEAD_CARD (self), NULL);

  for (guint i = 0; i < N_PARTS; i++)
    if (g_str_equal (part_names[i], part))
      return self->texts[i];
  return NULL;
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
  {
    g_autoptr(GMenuItem) item = g_menu_item_new (_("_Log Follow-up…"), NULL);

    g_menu_item_set_action_and_target (item, "win.log-followup", "s", id);
    g_menu_append_item (open, item);
  }
  g_menu_append_section (menu, NULL, G_MENU_MODEL (open));
  {
    /* Claim (a pool lead) · Assign…: the window's "assign" actions */
    g_autoptr(GMenuModel) assign = lk_assign_actions_lead_menu (id, lk_lead_get_owner (self->lead) == NULL);

    g_menu_append_section (menu, NULL, assign);
  }

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
