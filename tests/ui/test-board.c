/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <string.h>

#include "lk-context.h"
#include "lk-error.h"
#include "lk-store-private.h"
#include "pipeline/lk-lead-card.h"
#include "pipeline/lk-board.h"
#include "pipeline/lk-lost-reason-dialog.h"
#include "pipeline/lk-won-dialog.h"

/* The pipeline board over a database whose answers are known: columns,
 * header sums, a drop and its Undo, the Lost and Won questions, the
 * keyboard's move and the filter. */

typedef struct
{
  char        *dir;
  LkContext   *context;
  LkLeadQuery *filter;
  GtkWindow   *window;
  LkBoard     *board;
  char        *ids[5];
} Fixture;

static void
iterate_board (LkBoard *board)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  for (guint i = 0; i < 20 && g_main_context_iteration (NULL, FALSE); i++)
    ;
  /* The column headers are added up on a worker. */
  while (lk_board_get_totals_pending (board) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (lk_board_get_totals_pending (board));
}

#define iterate() iterate_board (f->board)

static char *
add_lead (Fixture    *f,
          const char *company,
          const char *stage,
          gint64      amount,
          const char *owner)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) lead = lk_lead_new ();
  LkRecord *record = LK_RECORD (lead);

  lk_record_set_string (record, LK_LEAD_COMPANY, company);
  lk_record_set_string (record, LK_LEAD_STAGE, stage);
  lk_record_set_int (record, LK_LEAD_AMOUNT, amount);
  lk_record_set_string (record, LK_LEAD_OWNER, owner);
  if (g_str_equal (stage, "lost"))
    lk_record_set_string (record, LK_LEAD_LOST_REASON, "No budget");
  g_assert_true (lk_store_create_lead (lk_context_get_store (f->context), lead, &error));
  g_assert_no_error (error);
  return g_strdup (lk_record_get_id (record));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("lk-board-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "test.db", NULL);
  f->context = lk_context_new (path, NULL, &error);
  g_assert_no_error (error);

  /* ¥1,000 and ¥3,000 in Qualified (40 %), ¥10,000 in Proposal (60 %) */
  f->ids[0] = add_lead (f, "华信科技有限公司", "qualified", 100000, "user:lilei");
  f->ids[1] = add_lead (f, "恒达物流", "qualified", 300000, NULL);
  f->ids[2] = add_lead (f, "Northwind Traders", "proposal", 1000000, "user:anna");
  f->ids[3] = add_lead (f, "远航电子", "new", 0, NULL);
  f->ids[4] = add_lead (f, "金桥贸易", "lost", 50000, "user:lilei");

  f->filter = lk_lead_query_new ();
  f->board = lk_board_new (f->context, f->filter);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1400, 800);
  gtk_window_set_child (f->window, GTK_WIDGET (f->board));
  gtk_window_present (f->window);
  iterate ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(LkBoard) board = g_object_ref (f->board);

  gtk_window_destroy (f->window);
  iterate ();
  g_clear_object (&f->filter);
  g_clear_object (&f->context);
  for (guint i = 0; i < G_N_ELEMENTS (f->ids); i++)
    g_free (f->ids[i]);
  g_free (f->dir);
}

static guint
n_cards (Fixture    *f,
         const char *stage)
{
  return g_list_model_get_n_items (G_LIST_MODEL (lk_stage_column_get_leads (lk_board_get_column (f->board, stage))));
}

static char *
stage_of (Fixture    *f,
          const char *id)
{
  g_autoptr(LkLead) lead = lk_store_get_lead (lk_context_get_store (f->context), id, NULL);

  return g_strdup (lk_lead_get_stage (lead));
}

static guint
n_stage_changes (Fixture    *f,
                 const char *id)
{
  g_autoptr(GPtrArray) changes = lk_store_list_stage_changes (lk_context_get_store (f->context), id, NULL);

  return changes->len;
}

static void
test_columns_and_totals (Fixture       *f,
                         gconstpointer  data)
{
  static const char * const stages[] = { "new", "assigned", "contacted", "qualified", "proposal", "won", "lost" };
  LkStageColumn *qualified;

  for (guint i = 0; i < G_N_ELEMENTS (stages); i++)
    g_assert_nonnull (lk_board_get_column (f->board, stages[i]));
  g_assert_cmpuint (n_cards (f, "qualified"), ==, 2);
  g_assert_cmpuint (n_cards (f, "proposal"), ==, 1);
  g_assert_cmpuint (n_cards (f, "won"), ==, 0);

  qualified = lk_board_get_column (f->board, "qualified");
  g_assert_cmpstr (lk_stage_column_get_count_text (qualified), ==, "2");
  /* ¥4,000 in total, weighted 40 % → ¥1,600 (C locale: no grouping) */
  g_assert_true (g_str_has_prefix (lk_stage_column_get_sum_text (qualified), "¥4.0k"));
  g_assert_nonnull (strstr (lk_stage_column_get_sum_text (qualified), "¥1.6k"));
  g_assert_cmpstr (lk_stage_column_get_count_text (lk_board_get_column (f->board, "won")), ==, "0");

  /* The totals follow the filter, over the whole filter. */
  lk_lead_query_set_pool (f->filter, TRUE);
  iterate ();
  g_assert_cmpuint (n_cards (f, "qualified"), ==, 1);
  g_assert_cmpstr (lk_stage_column_get_count_text (qualified), ==, "1");
  g_assert_true (g_str_has_prefix (lk_stage_column_get_sum_text (qualified), "¥3.0k"));
  g_assert_cmpuint (n_cards (f, "proposal"), ==, 0);
  lk_lead_query_set_pool (f->filter, FALSE);
  lk_lead_query_set_search (f->filter, "华信");
  iterate ();
  g_assert_cmpuint (n_cards (f, "qualified"), ==, 1);
  g_assert_cmpstr (lk_stage_column_get_count_text (lk_board_get_column (f->board, "new")), ==, "0");
}

static LkLeadCard *
find_card (GtkWidget  *widget,
           const char *lead_id)
{
  if (LK_IS_LEAD_CARD (widget) && lk_lead_card_get_lead (LK_LEAD_CARD (widget)) != NULL &&
      g_str_equal (lk_record_get_id (LK_RECORD (lk_lead_card_get_lead (LK_LEAD_CARD (widget)))), lead_id))
    return LK_LEAD_CARD (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      LkLeadCard *card = find_card (child, lead_id);

      if (card != NULL)
        return card;
    }
  return NULL;
}

/* The headers add up in the team's currency: NT$ for a team in Taiwan,
 * and they follow a change of the setting (here or by sync). A card
 * shows its lead's own currency; a lead another program wrote without
 * one, the team's. */
static void
test_team_currency (Fixture       *f,
                    gconstpointer  data)
{
  LkStageColumn *qualified = lk_board_get_column (f->board, "qualified");
  g_autoptr(GError) error = NULL;

  g_assert_true (g_str_has_prefix (lk_stage_column_get_sum_text (qualified), "¥4.0k"));
  g_assert_true (lk_store_set_currency (lk_context_get_store (f->context), "TWD", &error));
  g_assert_no_error (error);
  iterate ();
  g_assert_true (g_str_has_prefix (lk_stage_column_get_sum_text (qualified), "NT$4.0k"));
  g_assert_nonnull (strstr (lk_stage_column_get_sum_text (qualified), "NT$1.6k"));
  g_assert_null (strstr (lk_stage_column_get_sum_text (qualified), "¥"));

  /* The lead was made when the team's currency was the locale's (CNY) */
  g_assert_cmpstr (lk_lead_card_get_text (find_card (GTK_WIDGET (f->board), f->ids[0]), "amount"), ==, "¥1000.00");
  {
    g_autoptr(LkLead) synced = lk_lead_new ();
    LkStore *store = lk_context_get_store (f->context);

    lk_record_set_id (LK_RECORD (synced), "lead:from-the-website");
    lk_record_set_string (LK_RECORD (synced), LK_LEAD_COMPANY, "網站表單");
    lk_record_set_int (LK_RECORD (synced), LK_LEAD_AMOUNT, 250000);
    g_assert_true (lk_store_begin (store, &error));
    g_assert_true (lk_store_finish (store, lk_store_write_record (store, LK_RECORD (synced), FALSE, &error), &error));
    g_assert_no_error (error);
    iterate ();
    g_assert_cmpstr (lk_lead_card_get_text (find_card (GTK_WIDGET (f->board), "lead:from-the-website"), "amount"),
                     ==, "NT$2500.00");
  }

  /* A new board (the next start) shows it at once */
  gtk_window_set_child (f->window, NULL);
  f->board = lk_board_new (f->context, f->filter);
  gtk_window_set_child (f->window, GTK_WIDGET (f->board));
  iterate ();
  qualified = lk_board_get_column (f->board, "qualified");
  g_assert_true (g_str_has_prefix (lk_stage_column_get_sum_text (qualified), "NT$4.0k"));
}

static void
test_drop_and_undo (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(LkLead) lead = lk_store_get_lead (lk_context_get_store (f->context), f->ids[0], NULL);
  g_autoptr(LkLead) restored = NULL;
  g_autofree char *after = NULL;
  g_autofree char *undone = NULL;
  guint changes = n_stage_changes (f, f->ids[0]);
  gint64 entered = lk_record_get_int (LK_RECORD (lead), LK_LEAD_STAGE_ENTERED_AT);

  /* What the Proposal column's drop target does with the card. */
  lk_board_drop_lead (f->board, lead, "proposal");
  /* The two headers change with the cards, before the worker's count
   * (which only the main loop can deliver) confirms them. */
  g_assert_true (lk_board_get_totals_pending (f->board));
  g_assert_cmpstr (lk_stage_column_get_count_text (lk_board_get_column (f->board, "qualified")), ==, "1");
  g_assert_cmpstr (lk_stage_column_get_count_text (lk_board_get_column (f->board, "proposal")), ==, "2");
  iterate ();
  after = stage_of (f, f->ids[0]);
  g_assert_cmpstr (after, ==, "proposal");
  g_assert_cmpuint (n_stage_changes (f, f->ids[0]), ==, changes + 1);
  g_assert_cmpuint (n_cards (f, "qualified"), ==, 1);
  g_assert_cmpuint (n_cards (f, "proposal"), ==, 2);
  g_assert_cmpstr (lk_stage_column_get_count_text (lk_board_get_column (f->board, "proposal")), ==, "2");
  g_assert_nonnull (lk_board_get_last_toast (f->board));
  g_assert_cmpstr (adw_toast_get_title (lk_board_get_last_toast (f->board)), ==, "Moved to Proposal");
  g_assert_cmpstr (adw_toast_get_button_label (lk_board_get_last_toast (f->board)), ==, "_Undo");

  g_assert_true (lk_board_undo (f->board));
  g_assert_cmpstr (lk_stage_column_get_count_text (lk_board_get_column (f->board, "qualified")), ==, "2");
  g_assert_cmpstr (lk_stage_column_get_count_text (lk_board_get_column (f->board, "proposal")), ==, "1");
  iterate ();
  undone = stage_of (f, f->ids[0]);
  g_assert_cmpstr (undone, ==, "qualified");
  g_assert_cmpuint (n_cards (f, "qualified"), ==, 2);
  /* Undo is a move back, recorded like any other, and the lead has been
   * in its stage since when it was before. */
  g_assert_cmpuint (n_stage_changes (f, f->ids[0]), ==, changes + 2);
  restored = lk_store_get_lead (lk_context_get_store (f->context), f->ids[0], NULL);
  g_assert_cmpint (lk_record_get_int (LK_RECORD (restored), LK_LEAD_STAGE_ENTERED_AT), ==, entered);
  g_assert_false (lk_board_undo (f->board));
}

static void
test_lost_gate (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) lead = NULL;
  g_autofree char *reason = NULL;
  GtkWindow *dialog;

  /* Without a reason the gate refuses, with a message. */
  g_assert_false (lk_board_move_lead (f->board, f->ids[2], "lost", NULL, -1, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_GATE);

  /* A drop on Lost asks first, and moves only with a reason. */
  lead = lk_store_get_lead (lk_context_get_store (f->context), f->ids[2], NULL);
  lk_board_drop_lead (f->board, lead, "lost");
  iterate ();
  dialog = lk_board_get_dialog (f->board);
  g_assert_true (LK_IS_LOST_REASON_DIALOG (dialog));
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "move"));
  reason = stage_of (f, f->ids[2]);
  g_assert_cmpstr (reason, ==, "proposal");
  g_clear_pointer (&reason, g_free);

  lk_lost_reason_dialog_set_reason (LK_LOST_REASON_DIALOG (dialog), "Chose a competitor");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "move"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "move");
  iterate ();
  g_clear_object (&lead);
  lead = lk_store_get_lead (lk_context_get_store (f->context), f->ids[2], NULL);
  g_assert_cmpstr (lk_lead_get_stage (lead), ==, "lost");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_LOST_REASON), ==, "Chose a competitor");
  g_assert_null (lk_board_get_dialog (f->board));

  /* Cancel leaves the lead where it was. */
  g_clear_object (&lead);
  lead = lk_store_get_lead (lk_context_get_store (f->context), f->ids[3], NULL);
  lk_board_drop_lead (f->board, lead, "lost");
  dialog = lk_board_get_dialog (f->board);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  iterate ();
  reason = stage_of (f, f->ids[3]);
  g_assert_cmpstr (reason, ==, "new");
}

static void
test_won_amount (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(LkLead) lead = lk_store_get_lead (lk_context_get_store (f->context), f->ids[2], NULL);
  GtkWindow *dialog;

  lk_board_drop_lead (f->board, lead, "won");
  dialog = lk_board_get_dialog (f->board);
  g_assert_true (LK_IS_WON_DIALOG (dialog));
  lk_won_dialog_set_amount_text (LK_WON_DIALOG (dialog), "-5");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "won"));
  lk_won_dialog_set_amount_text (LK_WON_DIALOG (dialog), "12500.50");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "won");
  iterate ();
  g_clear_object (&lead);
  lead = lk_store_get_lead (lk_context_get_store (f->context), f->ids[2], NULL);
  g_assert_cmpstr (lk_lead_get_stage (lead), ==, "won");
  g_assert_cmpint (lk_lead_get_amount (lead), ==, 1250050);
  g_assert_cmpuint (n_cards (f, "won"), ==, 1);
}

static void
test_keyboard_move (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *stage = NULL;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  /* Focus the card (as Tab would), then Alt+Right. */
  g_assert_true (lk_board_focus_lead (f->board, f->ids[3]));
  while (!lk_board_move_focused (f->board, +1) && g_get_monotonic_time () < deadline)
    {
      lk_board_focus_lead (f->board, f->ids[3]);
      g_main_context_iteration (NULL, FALSE);
    }
  iterate ();
  stage = stage_of (f, f->ids[3]);
  g_assert_cmpstr (stage, ==, "assigned");

  /* The keyboard stays on the lead, now in the next column: Alt+Left
   * takes it back. */
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!lk_board_move_focused (f->board, -1) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  iterate ();
  g_clear_pointer (&stage, g_free);
  stage = stage_of (f, f->ids[3]);
  g_assert_cmpstr (stage, ==, "new");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add ("/ui/board/columns-and-totals", Fixture, NULL, fixture_set_up, test_columns_and_totals, fixture_tear_down);
  g_test_add ("/ui/board/team-currency", Fixture, NULL, fixture_set_up, test_team_currency, fixture_tear_down);
  g_test_add ("/ui/board/drop-and-undo", Fixture, NULL, fixture_set_up, test_drop_and_undo, fixture_tear_down);
  g_test_add ("/ui/board/lost-gate", Fixture, NULL, fixture_set_up, test_lost_gate, fixture_tear_down);
  g_test_add ("/ui/board/won-amount", Fixture, NULL, fixture_set_up, test_won_amount, fixture_tear_down);
  g_test_add ("/ui/board/keyboard-move", Fixture, NULL, fixture_set_up, test_keyboard_move, fixture_tear_down);

  return g_test_run ();
}
