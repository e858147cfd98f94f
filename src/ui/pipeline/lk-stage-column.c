/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-stage-column"

#include <glib/gi18n-lib.h>

#include "widgets/lk-stage-style.h"
#include "lk-format.h"
#include "lk-lead-card.h"
#include "lk-stage-column.h"

/* One column of the board. Model chain: LkLeadList (a lazy list of the
 * ordered ids of this stage under the board's filter) → GtkNoSelection →
 * GtkListView of recycled LkLeadCards. The header's count and sums come
 * from SQL over the whole filter (LkBoard sets them), never from the cards
 * that happen to be loaded. The column is the drop target for cards. */
struct _LkStageColumn
{
  GtkBox           parent_instance;

  /* Template widgets */
  GtkBox          *header;
  GtkBox          *color_dot;
  GtkLabel        *name_label;
  GtkLabel        *count_label;
  GtkLabel        *sum_label;
  GtkToggleButton *collapse_button;
  GtkScrolledWindow *scroller;
  GtkListView     *list_view;

  /* Owned */
  LkContext       *context;
  LkStage         *stage;
  LkLeadQuery     *query;
  LkLeadList      *leads;

  guint            fill_source;  /* checks whether more cards fit */
  guint            collapsed : 1;
};

G_DEFINE_FINAL_TYPE (LkStageColumn, lk_stage_column, GTK_TYPE_BOX)

/* A column holds the first cards in its order and more as the user scrolls
 * towards the end; its header counts all of them. GTK 4.8's list view
 * makes a widget for every item it holds (up to 200), so the first load
 * is what fills a tall column and a little more: a keystroke in search
 * rebuilds those cards in every column. */
#define FIRST_CARDS 16
#define MORE_CARDS 32

enum {
  DROP_LEAD,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The filters a column follows; the stage is its own. */
static const char * const followed[] = {
  "owner", "pool", "source", "grade", "temperature", "tag", "overdue", "search", "sort",
};

static void
setup_card_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               LkStageColumn            *self)
{
  gtk_list_item_set_child (item, GTK_WIDGET (lk_lead_card_new ()));
}

static void
bind_card_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              LkStageColumn            *self)
{
  LkLead *lead = gtk_list_item_get_item (item);
  const char *owner = lk_lead_get_owner (lead);
  g_autofree char *team = NULL;

  /* A lead another program wrote without a currency: the team's */
  if (lk_record_get_string (LK_RECORD (lead), LK_LEAD_CURRENCY)[0] == '\0')
    team = lk_store_get_currency (lk_context_get_store (self->context));
  lk_lead_card_set_team_currency (LK_LEAD_CARD (gtk_list_item_get_child (item)), team);
  lk_lead_card_bind (LK_LEAD_CARD (gtk_list_item_get_child (item)), lead,
                     lk_context_get_pipeline (self->context),
                     owner ? g_hash_table_lookup (lk_store_get_users_by_id (lk_context_get_store (self->context)), owner)
                           : NULL,
                     lk_context_get_clock (self->context));
}

static void
unbind_card_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                LkStageColumn            *self)
{
  lk_lead_card_bind (LK_LEAD_CARD (gtk_list_item_get_child (item)), NULL, NULL, NULL, NULL);
}

static void
activate_cb (LkStageColumn *self,
             guint          position,
             GtkListView   *list_view)
{
  g_autoptr(LkLead) lead = g_list_model_get_item (G_LIST_MODEL (self->leads), position);

  if (lead != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.open-lead", "s", lk_record_get_id (LK_RECORD (lead)));
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         LkStageColumn *self)
{
  LkLead *lead = g_value_get_object (value);

  if (lead == NULL)
    return FALSE;
  g_signal_emit (self, signals[DROP_LEAD], 0, lead);
  return TRUE;
}

/* The card under a point of the list view, if any. */
static LkLeadCard *
card_at (LkStageColumn *self,
         double         x,
         double         y)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self->list_view), x, y, GTK_PICK_DEFAULT);
  GtkWidget *card;

  if (picked == NULL)
    return NULL;
  card = LK_IS_LEAD_CARD (picked) ? picked : gtk_widget_get_ancestor (picked, LK_TYPE_LEAD_CARD);
  if (card == NULL && LK_IS_LEAD_CARD (gtk_widget_get_first_child (picked)))
    card = gtk_widget_get_first_child (picked);
  return card ? LK_LEAD_CARD (card) : NULL;
}

static GdkContentProvider *
drag_prepare_cb (GtkDragSource *source,
                 double         x,
                 double         y,
                 LkStageColumn *self)
{
  LkLeadCard *card = card_at (self, x, y);
  LkLead *lead = card ? lk_lead_card_get_lead (card) : NULL;

  if (lead == NULL)
    return NULL;
  g_object_set_data_full (G_OBJECT (source), "lk-card", g_object_ref (card), g_object_unref);
  return gdk_content_provider_new_typed (LK_TYPE_LEAD, lead);
}

static void
drag_begin_cb (GtkDragSource *source,
               GdkDrag       *drag,
               LkStageColumn *self)
{
  GtkWidget *card = g_object_get_data (G_OBJECT (source), "lk-card");
  g_autoptr(GdkPaintable) paintable = NULL;

  if (card == NULL)
    return;
  paintable = gtk_widget_paintable_new (card);
  gtk_drag_source_set_icon (source, paintable, 24, 16);
  gtk_widget_add_css_class (card, "dragging");
}

static void
drag_end_cb (GtkDragSource *source,
             GdkDrag       *drag,
             gboolean       delete_data,
             LkStageColumn *self)
{
  GtkWidget *card = g_object_get_data (G_OBJECT (source), "lk-card");

  if (card != NULL)
    gtk_widget_remove_css_class (card, "dragging");
  g_object_set_data (G_OBJECT (source), "lk-card", NULL);
}

static void
secondary_click_cb (GtkGestureClick *gesture,
                    int              n_press,
                    double           x,
                    double           y,
                    LkStageColumn   *self)
{
  LkLeadCard *card = card_at (self, x, y);

  if (card == NULL)
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  lk_lead_card_popup_menu (card);
}

static void
scrolled_cb (LkStageColumn *self,
             GtkAdjustment *adjustment)
{
  double end = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  /* Within two pages of the end: load the next cards. */
  if (gtk_adjustment_get_value (adjustment) >= end - 2 * gtk_adjustment_get_page_size (adjustment) &&
      !lk_lead_list_get_complete (self->leads))
    lk_lead_list_set_limit (self->leads, lk_lead_list_get_limit (self->leads) + MORE_CARDS);
}

static gboolean
fill_cb (gpointer data)
{
  LkStageColumn *self = data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  double page = gtk_adjustment_get_page_size (adjustment);

  self->fill_source = 0;
  /* Less than half a page below what is shown */
  if (page > 0 && gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_value (adjustment) < 1.5 * page &&
      !lk_lead_list_get_complete (self->leads))
    lk_lead_list_set_limit (self->leads, lk_lead_list_get_limit (self->leads) + MORE_CARDS);
  return G_SOURCE_REMOVE;
}

/* A taller window, or cards that left the column, may leave room below
 * the last card: load more after this allocation, not during it. */
static void
adjustment_changed_cb (LkStageColumn *self,
                       GtkAdjustment *adjustment)
{
  if (self->fill_source == 0)
    self->fill_source = g_idle_add (fill_cb, self);
}

static void
collapse_toggled_cb (LkStageColumn   *self,
                     GtkToggleButton *button)
{
  lk_stage_column_set_collapsed (self, gtk_toggle_button_get_active (button));
}

static void
lk_stage_column_dispose (GObject *object)
{
  LkStageColumn *self = LK_STAGE_COLUMN (object);

  g_clear_handle_id (&self->fill_source, g_source_remove);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  g_clear_object (&self->leads);
  g_clear_object (&self->query);
  g_clear_object (&self->stage);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (lk_stage_column_parent_class)->dispose (object);
}

static void
lk_stage_column_class_init (LkStageColumnClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = lk_stage_column_dispose;

  /**
   * LkStageColumn::drop-lead:
   * @lead: the lead dropped on this column
   *
   * A card was dropped here: the board decides what moving it means.
   */
  signals[DROP_LEAD] =
    g_signal_new ("drop-lead", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, LK_TYPE_LEAD);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/pipeline/lk-stage-column.ui");
  gtk_widget_class_bind_template_child (widget_class, LkStageColumn, header);
  gtk_widget_class_bind_template_child (widget_class, LkStageColumn, color_dot);
  gtk_widget_class_bind_template_child (widget_class, LkStageColumn, name_label);
  gtk_widget_class_bind_template_child (widget_class, LkStageColumn, count_label);
  gtk_widget_class_bind_template_child (widget_class, LkStageColumn, sum_label);
  gtk_widget_class_bind_template_child (widget_class, LkStageColumn, collapse_button);
  gtk_widget_class_bind_template_child (widget_class, LkStageColumn, scroller);
  gtk_widget_class_bind_template_child (widget_class, LkStageColumn, list_view);
  gtk_widget_class_bind_template_callback (widget_class, activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, collapse_toggled_cb);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  g_type_ensure (LK_TYPE_LEAD_CARD);
}

static void
lk_stage_column_init (LkStageColumn *self)
{
  GtkDropTarget *target;
  GtkDragSource *drag;
  GtkGesture *click;

  gtk_widget_init_template (GTK_WIDGET (self));

  drag = gtk_drag_source_new ();
  gtk_drag_source_set_actions (drag, GDK_ACTION_MOVE);
  g_signal_connect (drag, "prepare", G_CALLBACK (drag_prepare_cb), self);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), GTK_EVENT_CONTROLLER (drag));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (secondary_click_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), GTK_EVENT_CONTROLLER (click));

  /* Highlighted while hovered through the :drop(active) state (style.css). */
  target = gtk_drop_target_new (LK_TYPE_LEAD, GDK_ACTION_MOVE);
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

/**
 * lk_stage_column_new:
 * @filter: the board's filter; the column follows its changes
 */
LkStageColumn *
lk_stage_column_new (LkContext   *context,
                     LkStage     *stage,
                     LkLeadQuery *filter)
{
  LkStageColumn *self = g_object_new (LK_TYPE_STAGE_COLUMN, NULL);
  g_autofree char *css_class = lk_stage_css_class (lk_stage_get_id (stage));
  g_autofree char *name = NULL;
  GtkListItemFactory *factory;
  GtkNoSelection *selection;

  self->context = g_object_ref (context);
  self->stage = g_object_ref (stage);

  self->query = lk_lead_query_copy (filter);
  lk_lead_query_set_stage (self->query, lk_stage_get_id (stage));
  /* The card order is the board's (lk_board_set_sort), not the filter's. */
  lk_lead_query_set_sort (self->query, LK_LEAD_SORT_URGENCY);
  lk_lead_query_set_reversed (self->query, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (followed); i++)
    g_object_bind_property (filter, followed[i], self->query, followed[i], G_BINDING_DEFAULT);
  self->leads = g_object_new (LK_TYPE_LEAD_LIST,
                              "store", lk_context_get_store (context),
                              "query", self->query,
                              "limit", FIRST_CARDS,
                              NULL);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "value-changed",
                           G_CALLBACK (scrolled_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "changed",
                           G_CALLBACK (adjustment_changed_cb), self, G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_card_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_card_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_card_cb), self);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->leads)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (selection);
  g_object_unref (factory);

  gtk_label_set_text (self->name_label, lk_stage_get_name (stage));
  gtk_widget_add_css_class (GTK_WIDGET (self->color_dot), css_class);
  gtk_widget_add_css_class (GTK_WIDGET (self), css_class);
  gtk_widget_set_visible (GTK_WIDGET (self->collapse_button),
                          lk_stage_get_kind (stage) == LK_STAGE_KIND_LOST);

  /* Translators: accessible name of a board column, e.g. "Proposal column" */
  name = g_strdup_printf (_("%s column"), lk_stage_get_name (stage));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_view), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  /* An empty column's scroller takes the focus itself: it has the name too. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->scroller), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  return self;
}

LkStage *
lk_stage_column_get_stage (LkStageColumn *self)
{
  g_return_val_if_fail (LK_IS_STAGE_COLUMN (self), NULL);
  return self->stage;
}

LkLeadList *
lk_stage_column_get_leads (LkStageColumn *self)
{
  g_return_val_if_fail (LK_IS_STAGE_COLUMN (self), NULL);
  return self->leads;
}

LkLeadQuery *
lk_stage_column_get_query (LkStageColumn *self)
{
  g_return_val_if_fail (LK_IS_STAGE_COLUMN (self), NULL);
  return self->query;
}

GtkListView *
lk_stage_column_get_list_view (LkStageColumn *self)
{
  g_return_val_if_fail (LK_IS_STAGE_COLUMN (self), NULL);
  return self->list_view;
}

/* The header: "128", "¥1.2M · weighted ¥480k", exact values in the
 * tooltip and for screen readers. */
void
lk_stage_column_set_totals (LkStageColumn      *self,
                            const LkStageTotal *total)
{
  g_autofree char *count = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *weighted = NULL;
  g_autofree char *sum = NULL;
  g_autofree char *exact_amount = NULL;
  g_autofree char *exact_weighted = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *currency = NULL;

  g_return_if_fail (LK_IS_STAGE_COLUMN (self));

  /* Sums are in the team's currency (amounts are added as they are) */
  currency = lk_store_get_currency (lk_context_get_store (self->context));

  count = lk_format_count (total->count);
  gtk_label_set_text (self->count_label, count);
  amount = lk_format_money_short (total->amount, currency);
  weighted = lk_format_money_short (total->weighted, currency);
  /* Translators: a column's sum of amounts and weighted sum (amount ×
   * win probability of the stage): "¥1.2M · weighted ¥480k" */
  sum = g_strdup_printf (_("%s · weighted %s"), amount, weighted);
  gtk_label_set_text (self->sum_label, sum);

  exact_amount = lk_format_money (total->amount, currency);
  exact_weighted = lk_format_money (total->weighted, currency);
  tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%s lead, amount %s, weighted by the stage's %u%% win probability %s",
                                          "%s leads, amount %s, weighted by the stage's %u%% win probability %s",
                                          (gulong) total->count),
                             count, exact_amount, lk_stage_get_probability (self->stage), exact_weighted);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->header), tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->header), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
}

const char *
lk_stage_column_get_count_text (LkStageColumn *self)
{
  g_return_val_if_fail (LK_IS_STAGE_COLUMN (self), NULL);
  return gtk_label_get_text (self->count_label);
}

const char *
lk_stage_column_get_sum_text (LkStageColumn *self)
{
  g_return_val_if_fail (LK_IS_STAGE_COLUMN (self), NULL);
  return gtk_label_get_text (self->sum_label);
}

/* A collapsed column is a narrow strip with its name and count; it still
 * takes drops. */
void
lk_stage_column_set_collapsed (LkStageColumn *self,
                               gboolean       collapsed)
{
  g_return_if_fail (LK_IS_STAGE_COLUMN (self));

  collapsed = !!collapsed;
  if (self->collapsed == (guint) collapsed)
    return;
  self->collapsed = collapsed;
  gtk_toggle_button_set_active (self->collapse_button, collapsed);
  gtk_widget_set_visible (GTK_WIDGET (self->scroller), !collapsed);
  gtk_widget_set_visible (GTK_WIDGET (self->sum_label), !collapsed);
  gtk_widget_set_size_request (GTK_WIDGET (self), collapsed ? -1 : 280, -1);
  gtk_button_set_icon_name (GTK_BUTTON (self->collapse_button),
                            collapsed ? "view-reveal-symbolic" : "view-conceal-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->collapse_button),
                               collapsed ? _("Expand this column") : _("Collapse this column"));
  if (collapsed)
    gtk_widget_add_css_class (GTK_WIDGET (self), "collapsed");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "collapsed");
}

gboolean
lk_stage_column_get_collapsed (LkStageColumn *self)
{
  g_return_val_if_fail (LK_IS_STAGE_COLUMN (self), FALSE);
  return self->collapsed;
}
