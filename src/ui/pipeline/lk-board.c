/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-board"

#include <glib/gi18n-lib.h>

#include "lk-board.h"
#include "lk-lead-card.h"
#include "lk-lost-reason-dialog.h"
#include "lk-profile.h"
#include "lk-window.h"
#include "lk-won-dialog.h"

/* The pipeline board: one LkStageColumn per stage in pipeline order, all
 * following the window's filter. The board owns moving leads: a drop, the
 * card menu and Alt+Left/Right all end in lk_board_request_move(), which
 * asks for a reason before Lost and the amount before Won, writes the move
 * (one transaction: row, stage change, outbox) and offers Undo. */
struct _LkBoard
{
  AdwBin       parent_instance;

  /* Template widgets */
  GtkBox      *columns_box;

  /* Owned */
  LkContext   *context;
  LkLeadQuery *filter;
  GPtrArray   *columns;     /* LkStageColumn, in pipeline order */
  LkLead      *undo_lead;   /* the lead as it was before the last change */
  gboolean     undo_delete; /* the last change was a delete */
  GtkWindow   *dialog;      /* the open Lost or Won question */
  AdwToast    *last_toast;

  gulong       store_changed_id;
  gulong       filter_notify_id;
  GPtrArray   *totals;      /* LkStageTotal: what the headers show */
  GCancellable *totals_cancellable; /* while the totals are computed */
  gboolean     totals_dirty;  /* the filter or the leads changed since */
  gint64       count;       /* leads under the filter, all stages */
};

G_DEFINE_FINAL_TYPE (LkBoard, lk_board, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_totals (LkBoard   *self,
            GPtrArray *totals)
{
  gint64 count = 0;

  if (totals != self->totals)
    {
      g_clear_pointer (&self->totals, g_ptr_array_unref);
      self->totals = g_ptr_array_ref (totals);
    }

  for (guint i = 0; i < totals->len && i < self->columns->len; i++)
    {
      LkStageTotal *total = g_ptr_array_index (totals, i);

      lk_stage_column_set_totals (g_ptr_array_index (self->columns, i), total);
      count += total->count;
    }
  if (count != self->count)
    {
      self->count = count;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT]);
    }
}

/* The column headers: one GROUP BY over the whole filter. */
static void
refresh_totals (LkBoard *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) totals = lk_store_stage_totals (lk_context_get_store (self->context),
                                                       self->filter, &error);

  if (totals == NULL)
    g_warning ("Could not add up the stages: %s", error->message);
  else
    set_totals (self, totals);
}

static void refresh_totals_later (LkBoard *self);

static void
totals_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(LkBoard) self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) totals = lk_store_stage_totals_finish (LK_STORE (source), result, &error);

  g_clear_object (&self->totals_cancellable);
  if (totals == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not add up the stages: %s", error->message);
      return;
    }
  /* Typing on: these counts are already out of date. */
  if (self->totals_dirty)
    refresh_totals_later (self);
  else
    set_totals (self, totals);
}

/* The headers are added up on a worker: over a broad search of 100,000
 * leads it takes tens of milliseconds, which the cards should not wait
 * for. Changes while it runs (fast typing, a bulk edit) add up once more
 * when it is done. */
static void
refresh_totals_later (LkBoard *self)
{
  if (self->totals_cancellable != NULL)
    {
      self->totals_dirty = TRUE;
      return;
    }
  self->totals_dirty = FALSE;
  self->totals_cancellable = g_cancellable_new ();
  lk_store_stage_totals_async (lk_context_get_store (self->context), self->filter,
                               self->totals_cancellable, totals_done_cb, g_object_ref (self));
}

/* A move by this board changes two headers in a way known at once: shown
 * in the same frame as the cards, before the worker's count confirms it. */
static void
shift_totals (LkBoard *self,
              LkLead  *before,
              LkLead  *after)
{
  LkPipeline *pipeline = lk_context_get_pipeline (self->context);

  if (self->totals == NULL)
    return;
  for (guint i = 0; i < self->totals->len; i++)
    {
      LkStageTotal *total = g_ptr_array_index (self->totals, i);
      LkStage *stage = lk_pipeline_lookup (pipeline, total->stage);

      if (stage == NULL)
        continue;
      if (g_str_equal (total->stage, lk_lead_get_stage (before)))
        {
          total->count--;
          total->amount -= lk_lead_get_amount (before);
        }
      if (g_str_equal (total->stage, lk_lead_get_stage (after)))
        {
          total->count++;
          total->amount += lk_lead_get_amount (after);
        }
      total->weighted = total->amount * lk_stage_get_probability (stage) / 100;
    }
  set_totals (self, self->totals);
}

/**
 * lk_board_get_totals_pending:
 *
 * Returns: whether the column headers are being added up again
 */
gboolean
lk_board_get_totals_pending (LkBoard *self)
{
  g_return_val_if_fail (LK_IS_BOARD (self), FALSE);

  return self->totals_cancellable != NULL;
}

static void
store_changed_cb (LkBoard            *self,
                  const char         *doc_type,
                  const char * const *ids,
                  LkStore            *store)
{
  /* Owners' names are on the cards (the store has the new team already). */
  if (doc_type != NULL && g_str_equal (doc_type, "user"))
    for (guint i = 0; i < self->columns->len; i++)
      lk_lead_list_refresh (lk_stage_column_get_leads (g_ptr_array_index (self->columns, i)));
  if (doc_type == NULL || g_str_equal (doc_type, "lead"))
    refresh_totals_later (self);
  /* The team's currency, in which the headers show the sums */
  else if (g_str_equal (doc_type, "settings") && self->totals != NULL &&
           (ids == NULL || g_strv_contains (ids, "settings:general")))
    set_totals (self, self->totals);
}

static void
filter_notify_cb (LkBoard     *self,
                  GParamSpec  *pspec,
                  LkLeadQuery *filter)
{
  refresh_totals_later (self);
}

static GtkWindow *
parent_window (LkBoard *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
show_toast (LkBoard  *self,
            AdwToast *toast)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), LK_TYPE_WINDOW);

  g_set_object (&self->last_toast, toast);
  if (window != NULL)
    lk_window_show_toast (LK_WINDOW (window), g_object_ref (toast));
  g_object_unref (toast);
}

static void
undo_clicked_cb (LkBoard  *self,
                 AdwToast *toast)
{
  lk_board_undo (self);
}

static void
offer_undo (LkBoard    *self,
            const char *title)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_clicked_cb), self, G_CONNECT_SWAPPED);
  show_toast (self, toast);
}

static void
show_error (LkBoard      *self,
            const GError *error)
{
  show_toast (self, adw_toast_new (error->message));
}

/**
 * lk_board_move_lead:
 * @reason: (nullable): why, required for Lost
 * @won_amount: the amount confirmed for Won, or -1 to keep it
 *
 * Moves a lead and offers Undo; what happens after the questions.
 */
gboolean
lk_board_move_lead (LkBoard     *self,
                    const char  *lead_id,
                    const char  *stage_id,
                    const char  *reason,
                    gint64       won_amount,
                    GError     **error)
{
  LkStore *store = lk_context_get_store (self->context);
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(LkLead) before = NULL;
  LkStage *stage;
  g_autofree char *title = NULL;
  gint64 started = g_get_monotonic_time ();

  g_return_val_if_fail (LK_IS_BOARD (self), FALSE);

  lead = lk_store_get_lead (store, lead_id, error);
  if (lead == NULL)
    return FALSE;
  if (g_str_equal (lk_lead_get_stage (lead), stage_id))
    return TRUE;
  before = lk_lead_copy (lead);
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_STAGE, stage_id);
  if (won_amount >= 0)
    lk_record_set_int (LK_RECORD (lead), LK_LEAD_AMOUNT, won_amount);
  if (!lk_store_update_lead (store, lead, reason, error))
    return FALSE;

  shift_totals (self, before, lead);
  g_set_object (&self->undo_lead, before);
  self->undo_delete = FALSE;
  stage = lk_pipeline_lookup (lk_context_get_pipeline (self->context), stage_id);
  /* Translators: a toast after a lead was moved: "Moved to Proposal" */
  title = g_strdup_printf (_("Moved to %s"), stage ? lk_stage_get_name (stage) : stage_id);
  offer_undo (self, title);
  lk_profile_after_paint (GTK_WIDGET (self), "move to repainted board", started);
  return TRUE;
}

static void
lost_response_cb (LkBoard            *self,
                  const char         *response,
                  LkLostReasonDialog *dialog)
{
  g_autofree char *reason = lk_lost_reason_dialog_get_reason (dialog);
  const char *lead_id = g_object_get_data (G_OBJECT (dialog), "lead-id");
  const char *stage_id = g_object_get_data (G_OBJECT (dialog), "stage-id");
  g_autoptr(GError) error = NULL;

  if (g_str_equal (response, "move") &&
      !lk_board_move_lead (self, lead_id, stage_id, reason, -1, &error))
    show_error (self, error);
  self->dialog = NULL;
}

static void
won_response_cb (LkBoard     *self,
                 const char  *response,
                 LkWonDialog *dialog)
{
  const char *lead_id = g_object_get_data (G_OBJECT (dialog), "lead-id");
  const char *stage_id = g_object_get_data (G_OBJECT (dialog), "stage-id");
  g_autoptr(GError) error = NULL;
  gint64 amount;

  if (g_str_equal (response, "won") && lk_won_dialog_get_amount (dialog, &amount) &&
      !lk_board_move_lead (self, lead_id, stage_id, NULL, amount, &error))
    show_error (self, error);
  self->dialog = NULL;
}

/**
 * lk_board_request_move:
 *
 * Moving as the user asks for it (drop, menu, keyboard): Lost asks for
 * the reason, Won for the amount; other moves happen at once.
 */
void
lk_board_request_move (LkBoard    *self,
                       const char *lead_id,
                       const char *stage_id)
{
  LkPipeline *pipeline = lk_context_get_pipeline (self->context);
  LkStage *stage = lk_pipeline_lookup (pipeline, stage_id);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) lead = NULL;

  g_return_if_fail (LK_IS_BOARD (self));

  lead = lk_store_get_lead (lk_context_get_store (self->context), lead_id, &error);
  if (lead == NULL || stage == NULL)
    {
      if (lead != NULL)
        lk_pipeline_check_move (pipeline, NULL, stage_id, NULL, NULL, &error);
      show_error (self, error);
      return;
    }
  if (g_str_equal (lk_lead_get_stage (lead), stage_id))
    return;

  if (lk_stage_get_kind (stage) == LK_STAGE_KIND_LOST)
    {
      LkLostReasonDialog *dialog = lk_lost_reason_dialog_new (parent_window (self),
                                                              lk_lead_get_display_name (lead));

      g_object_set_data_full (G_OBJECT (dialog), "lead-id", g_strdup (lead_id), g_free);
      g_object_set_data_full (G_OBJECT (dialog), "stage-id", g_strdup (stage_id), g_free);
      g_signal_connect_object (dialog, "response", G_CALLBACK (lost_response_cb), self, G_CONNECT_SWAPPED);
      self->dialog = GTK_WINDOW (dialog);
      gtk_window_present (GTK_WINDOW (dialog));
    }
  else if (lk_stage_get_kind (stage) == LK_STAGE_KIND_WON)
    {
      const char *currency = lk_record_get_string (LK_RECORD (lead), LK_LEAD_CURRENCY);
      g_autofree char *team = currency[0] == '\0' ? lk_store_get_currency (lk_context_get_store (self->context)) : NULL;
      LkWonDialog *dialog = lk_won_dialog_new (parent_window (self), lk_lead_get_display_name (lead),
                                               lk_lead_get_amount (lead), team ? team : currency);

      g_object_set_data_full (G_OBJECT (dialog), "lead-id", g_strdup (lead_id), g_free);
      g_object_set_data_full (G_OBJECT (dialog), "stage-id", g_strdup (stage_id), g_free);
      g_signal_connect_object (dialog, "response", G_CALLBACK (won_response_cb), self, G_CONNECT_SWAPPED);
      self->dialog = GTK_WINDOW (dialog);
      gtk_window_present (GTK_WINDOW (dialog));
    }
  else if (!lk_board_move_lead (self, lead_id, stage_id, NULL, -1, &error))
    show_error (self, error);
}

/* What a column's drop target does with a dropped card. */
void
lk_board_drop_lead (LkBoard    *self,
                    LkLead     *lead,
                    const char *stage_id)
{
  g_return_if_fail (LK_IS_BOARD (self));
  g_return_if_fail (LK_IS_LEAD (lead));

  lk_board_request_move (self, lk_record_get_id (LK_RECORD (lead)), stage_id);
}

static void
column_drop_cb (LkBoard       *self,
                LkLead        *lead,
                LkStageColumn *column)
{
  lk_board_drop_lead (self, lead, lk_stage_get_id (lk_stage_column_get_stage (column)));
}

/* Undoes the last move or delete. */
gboolean
lk_board_undo (LkBoard *self)
{
  LkStore *store = lk_context_get_store (self->context);
  g_autoptr(LkLead) before = g_steal_pointer (&self->undo_lead);
  g_autoptr(LkLead) current = NULL;
  g_autoptr(GError) error = NULL;
  const char *id;
  gboolean ok;

  g_return_val_if_fail (LK_IS_BOARD (self), FALSE);

  if (before == NULL)
    return FALSE;
  id = lk_record_get_id (LK_RECORD (before));
  if (self->undo_delete)
    ok = lk_store_restore_lead (store, id, &error);
  else
    {
      /* Back to the stage it had, since when, with its lost reason and
       * amount; other fields keep what they have now. */
      current = lk_store_get_lead (store, id, &error);
      ok = current != NULL;
      if (ok)
        {
          LkRecord *record = LK_RECORD (current);
          g_autoptr(LkLead) moved = lk_lead_copy (current);

          lk_record_set_string (record, LK_LEAD_STAGE, lk_lead_get_stage (before));
          lk_record_set_int (record, LK_LEAD_STAGE_ENTERED_AT,
                             lk_record_get_int (LK_RECORD (before), LK_LEAD_STAGE_ENTERED_AT));
          lk_record_set_int (record, LK_LEAD_AMOUNT, lk_lead_get_amount (before));
          ok = lk_store_update_lead (store, current,
                                     lk_record_get_string (LK_RECORD (before), LK_LEAD_LOST_REASON), &error);
          if (ok)
            shift_totals (self, moved, current);
        }
    }
  if (!ok)
    show_error (self, error);
  return ok;
}

static void
move_lead_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  const char *lead_id, *stage_id;

  g_variant_get (parameter, "(&s&s)", &lead_id, &stage_id);
  lk_board_request_move (LK_BOARD (widget), lead_id, stage_id);
}

static void
delete_lead_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  LkBoard *self = LK_BOARD (widget);
  const char *lead_id = g_variant_get_string (parameter, NULL);
  LkStore *store = lk_context_get_store (self->context);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) lead = lk_store_get_lead (store, lead_id, &error);
  g_autofree char *title = NULL;

  if (lead == NULL || !lk_store_delete_lead (store, lead_id, &error))
    {
      show_error (self, error);
      return;
    }
  g_set_object (&self->undo_lead, lead);
  self->undo_delete = TRUE;
  /* Translators: a toast after a lead was deleted */
  title = g_strdup_printf (_("“%s” deleted"), lk_lead_get_display_name (lead));
  offer_undo (self, title);
}

/* The card that has the keyboard focus: the focus is on the list row
 * that holds it, or inside it. */
static LkLeadCard *
focused_card (LkBoard *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  GtkWidget *card;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
    return NULL;
  card = gtk_widget_get_ancestor (focus, LK_TYPE_LEAD_CARD);
  if (card == NULL && LK_IS_LEAD_CARD (gtk_widget_get_first_child (focus)))
    card = gtk_widget_get_first_child (focus);
  return card ? LK_LEAD_CARD (card) : NULL;
}

typedef struct
{
  GWeakRef  board;
  char     *lead_id;
} FocusLater;

static gboolean
focus_later_cb (gpointer data)
{
  FocusLater *later = data;
  g_autoptr(LkBoard) self = g_weak_ref_get (&later->board);

  if (self != NULL)
    lk_board_focus_lead (self, later->lead_id);
  return G_SOURCE_REMOVE;
}

static void
focus_later_free (gpointer data)
{
  FocusLater *later = data;

  g_weak_ref_clear (&later->board);
  g_free (later->lead_id);
  g_free (later);
}

/* After the next layout: the card's row in its new column exists only
 * once the list view has allocated it. */
static void
focus_lead_later (LkBoard    *self,
                  const char *lead_id)
{
  FocusLater *later = g_new0 (FocusLater, 1);

  g_weak_ref_init (&later->board, self);
  later->lead_id = g_strdup (lead_id);
  g_idle_add_full (GDK_PRIORITY_REDRAW + 10, focus_later_cb, later, focus_later_free);
}

/**
 * lk_board_move_focused:
 * @direction: -1 for the previous stage, +1 for the next
 *
 * Alt+Left / Alt+Right: the keyboard's drag and drop.
 */
gboolean
lk_board_move_focused (LkBoard *self,
                       int      direction)
{
  LkLeadCard *card = focused_card (self);
  LkLead *lead;
  LkStage *target;
  g_autofree char *lead_id = NULL;

  if (card == NULL || (lead = lk_lead_card_get_lead (card)) == NULL)
    return FALSE;
  target = lk_pipeline_get_neighbour (lk_context_get_pipeline (self->context), lk_lead_get_stage (lead), direction);
  if (target == NULL)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return FALSE;
    }
  lead_id = g_strdup (lk_record_get_id (LK_RECORD (lead)));
  lk_board_request_move (self, lead_id, lk_stage_get_id (target));
  /* Keep the keyboard on the lead in its new column. */
  if (self->dialog == NULL)
    focus_lead_later (self, lead_id);
  return TRUE;
}

static void
move_focused_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  lk_board_move_focused (LK_BOARD (widget), g_variant_get_int32 (parameter));
}

static void
focused_menu_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  LkLeadCard *card = focused_card (LK_BOARD (widget));

  if (card != NULL)
    lk_lead_card_popup_menu (card);
}

static void
lk_board_dispose (GObject *object)
{
  LkBoard *self = LK_BOARD (object);

  if (self->context != NULL)
    g_clear_signal_handler (&self->store_changed_id, lk_context_get_store (self->context));
  if (self->filter != NULL)
    g_clear_signal_handler (&self->filter_notify_id, self->filter);
  if (self->totals_cancellable != NULL)
    g_cancellable_cancel (self->totals_cancellable);
  if (self->dialog != NULL)
    gtk_window_destroy (g_steal_pointer (&self->dialog));
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_clear_pointer (&self->totals, g_ptr_array_unref);
  g_clear_object (&self->undo_lead);
  g_clear_object (&self->last_toast);
  g_clear_object (&self->filter);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (lk_board_parent_class)->dispose (object);
}

static void
lk_board_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  LkBoard *self = LK_BOARD (object);

  switch (prop_id)
    {
    case PROP_COUNT:
      g_value_set_int64 (value, self->count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_board_class_init (LkBoardClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lk_board_dispose;
  object_class->get_property = lk_board_get_property;

  properties[PROP_COUNT] =
    g_param_spec_int64 ("count", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/pipeline/lk-board.ui");
  gtk_widget_class_bind_template_child (widget_class, LkBoard, columns_box);

  gtk_widget_class_install_action (widget_class, "board.move-lead", "(ss)", move_lead_action);
  gtk_widget_class_install_action (widget_class, "board.delete-lead", "s", delete_lead_action);
  gtk_widget_class_install_action (widget_class, "board.move-focused", "i", move_focused_action);
  gtk_widget_class_install_action (widget_class, "board.focused-menu", NULL, focused_menu_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "board.move-focused", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "board.move-focused", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "board.focused-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "board.focused-menu", NULL);

  g_type_ensure (LK_TYPE_STAGE_COLUMN);
}

static void
lk_board_init (LkBoard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->columns = g_ptr_array_new ();
}

/**
 * lk_board_new:
 * @filter: the window's filter; the board follows it
 */
LkBoard *
lk_board_new (LkContext   *context,
              LkLeadQuery *filter)
{
  LkBoard *self = g_object_new (LK_TYPE_BOARD, NULL);
  LkPipeline *pipeline = lk_context_get_pipeline (context);
  LkStore *store = lk_context_get_store (context);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (pipeline));

  self->context = g_object_ref (context);
  self->filter = g_object_ref (filter);
  /* Connected before the columns' lists, so the headers and cards follow
   * in the order the changes come. */
  self->store_changed_id = g_signal_connect_swapped (store, "changed", G_CALLBACK (store_changed_cb), self);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LkStage) stage = g_list_model_get_item (G_LIST_MODEL (pipeline), i);
      LkStageColumn *column = lk_stage_column_new (context, stage, filter);

      g_signal_connect_object (column, "drop-lead", G_CALLBACK (column_drop_cb), self, G_CONNECT_SWAPPED);
      gtk_box_append (self->columns_box, GTK_WIDGET (column));
      g_ptr_array_add (self->columns, column);
    }
  self->filter_notify_id = g_signal_connect_swapped (filter, "notify", G_CALLBACK (filter_notify_cb), self);
  refresh_totals (self);
  return self;
}

/* Returns: (nullable) (transfer none): the column of @stage_id */
LkStageColumn *
lk_board_get_column (LkBoard    *self,
                     const char *stage_id)
{
  g_return_val_if_fail (LK_IS_BOARD (self), NULL);

  for (guint i = 0; i < self->columns->len; i++)
    {
      LkStageColumn *column = g_ptr_array_index (self->columns, i);

      if (g_str_equal (lk_stage_get_id (lk_stage_column_get_stage (column)), stage_id))
        return column;
    }
  return NULL;
}

/* The order of cards in every column: urgency, amount or last update. */
void
lk_board_set_sort (LkBoard    *self,
                   LkLeadSort  sort)
{
  g_return_if_fail (LK_IS_BOARD (self));

  for (guint i = 0; i < self->columns->len; i++)
    lk_lead_query_set_sort (lk_stage_column_get_query (g_ptr_array_index (self->columns, i)), sort);
}

void
lk_board_set_lost_collapsed (LkBoard  *self,
                             gboolean  collapsed)
{
  const char *lost = lk_pipeline_get_lost_id (lk_context_get_pipeline (self->context));
  LkStageColumn *column = lost ? lk_board_get_column (self, lost) : NULL;

  if (column != NULL)
    lk_stage_column_set_collapsed (column, collapsed);
}

/* The number of leads under the filter, over all stages. */
gint64
lk_board_get_count (LkBoard *self)
{
  g_return_val_if_fail (LK_IS_BOARD (self), 0);
  return self->count;
}

/* Returns: (nullable) (transfer none): the open Lost or Won question */
GtkWindow *
lk_board_get_dialog (LkBoard *self)
{
  g_return_val_if_fail (LK_IS_BOARD (self), NULL);
  return self->dialog;
}

/* Returns: (nullable) (transfer none): the last toast the board showed */
AdwToast *
lk_board_get_last_toast (LkBoard *self)
{
  g_return_val_if_fail (LK_IS_BOARD (self), NULL);
  return self->last_toast;
}

/**
 * lk_board_focus_lead:
 *
 * Scrolls the lead's column to its card and gives it the keyboard focus.
 * Returns: whether the lead is on the board
 */
gboolean
lk_board_focus_lead (LkBoard    *self,
                     const char *lead_id)
{
  g_autoptr(LkLead) lead = NULL;
  LkStageColumn *column;
  GtkListView *list_view;
  int position;

  g_return_val_if_fail (LK_IS_BOARD (self), FALSE);

  lead = lk_store_get_lead (lk_context_get_store (self->context), lead_id, NULL);
  if (lead == NULL || (column = lk_board_get_column (self, lk_lead_get_stage (lead))) == NULL)
    return FALSE;
  position = lk_lead_list_reveal (lk_stage_column_get_leads (column), lk_record_get_rowid (LK_RECORD (lead)));
  if (position < 0)
    return FALSE;
  list_view = lk_stage_column_get_list_view (column);
  /* GTK 4.8 has no gtk_list_view_scroll_to(); its action scrolls to the
   * item and focuses it. */
  gtk_widget_activate_action (GTK_WIDGET (list_view), "list.scroll-to-item", "u", (guint) position);
  return TRUE;
}
