/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>

#include "lk-context.h"
#include "lk-doc.h"
#include "lk-format.h"
#include "lk-merge.h"
#include "lk-store-sync.h"
#include "lk-window.h"
#include "sync/lk-conflict-row.h"
#include "sync/lk-conflicts-view.h"

/* The Conflicts page over conflicts made the way sync makes them: a lead
 * is pushed (lk_store_take_outbox_batch + lk_store_mark_pushed: it now has
 * a server version to merge against), changed here, and a server version
 * that changed the same fields otherwise is applied with
 * lk_store_apply_remote and the real three-way merge. The buttons are
 * clicked as a person clicks them, and the lead is checked afterwards. */

#define REMOTE "http://127.0.0.1:1/leads"

typedef struct
{
  char            *dir;
  LkContext       *context;
  LkConflictsView *view;
  GtkWindow       *window;
} Fixture;

static LkStore *
store (Fixture *f)
{
  return lk_context_get_store (f->context);
}

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("lk-conflicts-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "test.db", NULL);
  f->context = lk_context_new (path, NULL, &error);
  g_assert_no_error (error);
}

static void
open_view (Fixture *f)
{
  f->view = lk_conflicts_view_new (f->context);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 700, 800);
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  gtk_window_present (f->window);
  iterate ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (f->window);
  iterate ();
  g_clear_object (&f->context);
  iterate ();
  {
    g_autofree char *db = g_build_filename (f->dir, "test.db", NULL);
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
    g_unlink (db);
    g_rmdir (f->dir);
  }
  g_free (f->dir);
}

/* Sends everything queued, as a push the server accepts would: each
 * document gets revision @rev and becomes the merge ancestor. */
static void
push_all (Fixture    *f,
          const char *rev)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = lk_store_take_outbox_batch (store (f), 100, 1 << 20, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (batch);
  for (guint i = 0; i < batch->len; i++)
    {
      g_assert_true (lk_store_mark_pushed (store (f), g_ptr_array_index (batch, i), rev, &error));
      g_assert_no_error (error);
    }
}

static LkLead *
synced_lead (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) lead = lk_lead_new ();
  const char * const tags[] = { "expo2024", "vip", NULL };

  lk_record_set_string (LK_RECORD (lead), LK_LEAD_COMPANY, "华信科技有限公司");
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_CONTACT, "李雷");
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_TITLE, "Purchasing Manager");
  lk_record_set_int (LK_RECORD (lead), LK_LEAD_AMOUNT, 100000);
  lk_record_set_tags (LK_RECORD (lead), LK_LEAD_TAGS, tags);
  g_assert_true (lk_store_create_lead (store (f), lead, &error));
  g_assert_no_error (error);
  push_all (f, "1-aaaa");
  return lk_store_get_lead (store (f), lk_record_get_id (LK_RECORD (lead)), &error);
}

/* The server's version: @lead as it was pushed, with revision @rev. */
static JsonObject *
server_version (LkLead     *lead,
                const char *rev)
{
  JsonObject *doc = lk_doc_from_record (LK_RECORD (lead));

  json_object_set_string_member (doc, "_rev", rev);
  json_object_set_string_member (doc, "updated_by", "user:anna");
  return doc;
}

static void
apply (Fixture    *f,
       JsonObject *doc)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  LkSyncApplyReport report = { 0 };

  g_ptr_array_add (docs, doc);
  g_assert_true (lk_store_apply_remote (store (f), docs, NULL, REMOTE, NULL, lk_merge_for_store, NULL,
                                        NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.conflicts, >, 0);
}

static void
wait_count (Fixture *f,
            guint    count)
{
  while (lk_conflicts_view_get_count (f->view) != count)
    g_main_context_iteration (NULL, TRUE);
  iterate ();
}

static LkConflictRow *
find_row (Fixture    *f,
          const char *heading)
{
  g_autoptr(GPtrArray) rows = lk_conflicts_view_list_rows (f->view);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), heading) == 0)
      return g_ptr_array_index (rows, i);
  return NULL;
}

static GtkWidget *
find_label_after (GtkWidget  *root,
                  const char *caption)
{
  gboolean next = FALSE;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child))
        {
          if (next)
            return child;
          next = g_strcmp0 (gtk_label_get_text (GTK_LABEL (child)), caption) == 0;
        }
      else
        {
          GtkWidget *found = find_label_after (child, caption);

          if (found != NULL)
            return found;
        }
    }
  return NULL;
}

/* The value shown after @caption ("Current (mine)", "Theirs", "Original"). */
static const char *
shown_value (LkConflictRow *row,
             const char    *caption)
{
  GtkWidget *label = find_label_after (GTK_WIDGET (row), caption);

  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}

static void
click (LkConflictRow *row,
       const char    *label)
{
  for (guint i = 0; i < 2; i++)
    {
      GtkButton *button = lk_conflict_row_get_button (row, i);

      if (g_strcmp0 (gtk_button_get_label (button), label) == 0)
        {
          gtk_widget_activate (GTK_WIDGET (button));
          return;
        }
    }
  g_assert_not_reached ();
}

static gboolean
has_visible_status_page (GtkWidget *root)
{
  GtkWidget *shown = gtk_stack_get_visible_child (GTK_STACK (adw_bin_get_child (ADW_BIN (root))));

  return ADW_IS_STATUS_PAGE (shown);
}

static void
test_field_conflicts (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) lead = synced_lead (f);
  g_autoptr(LkLead) mine = lk_lead_copy (lead);
  g_autoptr(LkLead) after = NULL;
  const char *id = lk_record_get_id (LK_RECORD (lead));
  JsonObject *theirs;
  LkConflictRow *row;
  GtkWidget *group;

  open_view (f);
  g_assert_cmpuint (lk_conflicts_view_get_count (f->view), ==, 0);
  g_assert_true (has_visible_status_page (GTK_WIDGET (f->view)));

  /* Here: a new job title and a bigger deal. */
  lk_record_set_string (LK_RECORD (mine), LK_LEAD_TITLE, "Head of Purchasing");
  lk_record_set_int (LK_RECORD (mine), LK_LEAD_AMOUNT, 150000);
  g_assert_true (lk_store_update_lead (store (f), mine, NULL, &error));
  g_assert_no_error (error);

  /* There: another job title and another amount. */
  theirs = server_version (lead, "2-bbbb");
  json_object_set_string_member (theirs, "title", "Procurement Director");
  json_object_set_int_member (theirs, "amount", 200000);
  apply (f, theirs);

  wait_count (f, 2);
  g_assert_false (has_visible_status_page (GTK_WIDGET (f->view)));

  row = find_row (f, "Job Title");
  g_assert_nonnull (row);
  g_assert_cmpstr (shown_value (row, "Current (mine)"), ==, "Head of Purchasing");
  g_assert_cmpstr (shown_value (row, "Theirs"), ==, "Procurement Director");
  g_assert_cmpstr (shown_value (row, "Original"), ==, "Purchasing Manager");
  /* Grouped under the lead, named as people know it. */
  group = gtk_widget_get_ancestor (GTK_WIDGET (row), ADW_TYPE_PREFERENCES_GROUP);
  g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (group)), ==, "华信科技有限公司");
  g_assert_cmpstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (group)), ==, "李雷");

  /* Amounts as money, in the lead's currency. */
  row = find_row (f, "Expected Amount");
  g_assert_nonnull (row);
  {
    g_autofree char *m = lk_format_money (150000, "CNY");
    g_autofree char *t = lk_format_money (200000, "CNY");
    g_autofree char *b = lk_format_money (100000, "CNY");

    /* "¥1,500.00" where the locale groups digits */
    g_assert_true (g_str_has_prefix (m, "¥1"));
    g_assert_cmpstr (shown_value (row, "Current (mine)"), ==, m);
    g_assert_cmpstr (shown_value (row, "Theirs"), ==, t);
    g_assert_cmpstr (shown_value (row, "Original"), ==, b);
  }

  /* Use Mine: my job title becomes the lead's again, to be sent. */
  click (find_row (f, "Job Title"), "_Use Mine");
  wait_count (f, 1);
  g_assert_null (find_row (f, "Job Title"));
  after = lk_store_get_lead (store (f), id, &error);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (after), LK_LEAD_TITLE), ==, "Head of Purchasing");
  g_assert_cmpint (lk_store_count_outbox (store (f), NULL), >, 0);
  g_clear_object (&after);

  /* Keep Theirs: the server's amount stays. */
  click (find_row (f, "Expected Amount"), "_Keep Theirs");
  wait_count (f, 0);
  after = lk_store_get_lead (store (f), id, &error);
  g_assert_cmpint (lk_lead_get_amount (after), ==, 200000);
  g_assert_cmpint (lk_store_count_conflicts (store (f), NULL), ==, 0);

  /* Nothing left: the status page says so. */
  g_assert_true (has_visible_status_page (GTK_WIDGET (f->view)));
}

static void
test_stage_names (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) lead = synced_lead (f);
  g_autoptr(LkLead) mine = lk_lead_copy (lead);
  JsonObject *theirs;
  LkConflictRow *row;
  const char * const tags[] = { "expo2024", "vip", "hot-deal", NULL };

  open_view (f);
  lk_record_set_bool (LK_RECORD (mine), LK_LEAD_CONSENT, TRUE);
  lk_record_set_tags (LK_RECORD (mine), LK_LEAD_TAGS, tags);
  lk_record_set_string (LK_RECORD (mine), LK_LEAD_STAGE, "contacted");
  g_assert_true (lk_store_update_lead (store (f), mine, NULL, &error));
  g_assert_no_error (error);

  theirs = server_version (lead, "2-cccc");
  json_object_set_string_member (theirs, "stage", "qualified");
  apply (f, theirs);
  wait_count (f, 1);

  /* Stage ids are shown by their names. */
  row = find_row (f, "Stage");
  g_assert_nonnull (row);
  g_assert_cmpstr (shown_value (row, "Current (mine)"), ==, "Contacted");
  g_assert_cmpstr (shown_value (row, "Theirs"), ==, "Qualified");
  g_assert_cmpstr (shown_value (row, "Original"), ==, "New");
}

static void
test_edit_against_delete (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) lead = synced_lead (f);
  g_autoptr(LkLead) after = NULL;
  const char *id = lk_record_get_id (LK_RECORD (lead));
  JsonObject *theirs;
  LkConflictRow *row;

  open_view (f);

  /* I delete the lead; Anna changes it on the server meanwhile. */
  g_assert_true (lk_store_delete_lead (store (f), id, &error));
  g_assert_no_error (error);
  theirs = server_version (lead, "2-dddd");
  json_object_set_string_member (theirs, "notes", "Asked for a quote at the fair");
  apply (f, theirs);
  wait_count (f, 1);

  row = find_row (f, "Changed on the server");
  g_assert_nonnull (row);
  g_assert_cmpstr (gtk_button_get_label (lk_conflict_row_get_button (row, 0)), ==, "_Restore");
  g_assert_cmpstr (gtk_button_get_label (lk_conflict_row_get_button (row, 1)), ==, "_Delete");

  /* Restore: the lead is back, with Anna's change. */
  click (row, "_Restore");
  wait_count (f, 0);
  after = lk_store_get_lead (store (f), id, &error);
  g_assert_no_error (error);
  g_assert_false (lk_record_get_deleted (LK_RECORD (after)));
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (after), LK_LEAD_NOTES), ==, "Asked for a quote at the fair");
}

static void
test_delete_against_edit (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) lead = synced_lead (f);
  g_autoptr(LkLead) mine = lk_lead_copy (lead);
  g_autoptr(LkLead) after = NULL;
  const char *id = lk_record_get_id (LK_RECORD (lead));
  JsonObject *tombstone = json_object_new ();
  LkConflictRow *row;

  open_view (f);

  /* I change the lead; someone deletes it on the server. */
  lk_record_set_string (LK_RECORD (mine), LK_LEAD_NOTES, "Call back on Monday");
  g_assert_true (lk_store_update_lead (store (f), mine, NULL, &error));
  g_assert_no_error (error);
  json_object_set_string_member (tombstone, "_id", id);
  json_object_set_string_member (tombstone, "_rev", "2-eeee");
  json_object_set_boolean_member (tombstone, "_deleted", TRUE);
  apply (f, tombstone);
  wait_count (f, 1);

  row = find_row (f, "Deleted on the server");
  g_assert_nonnull (row);

  /* Restore: the lead stays, with my change. */
  click (row, "_Restore");
  wait_count (f, 0);
  after = lk_store_get_lead (store (f), id, &error);
  g_assert_no_error (error);
  g_assert_false (lk_record_get_deleted (LK_RECORD (after)));
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (after), LK_LEAD_NOTES), ==, "Call back on Monday");
}

/* In the window: a Conflicts page in the switcher, with a badge, only
 * while there are conflicts; the sync button counts them too. */
static void
test_window_page (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) lead = synced_lead (f);
  g_autoptr(LkLead) mine = lk_lead_copy (lead);
  LkWindow *window = g_object_new (LK_TYPE_WINDOW, "context", f->context, NULL);
  AdwViewStack *views;
  AdwViewStackPage *page;
  JsonObject *theirs;

  gtk_window_present (GTK_WINDOW (window));
  iterate ();
  f->window = GTK_WINDOW (window);
  f->view = lk_window_get_conflicts_view (window);
  views = ADW_VIEW_STACK (gtk_widget_get_ancestor (GTK_WIDGET (f->view), ADW_TYPE_VIEW_STACK));
  page = adw_view_stack_get_page (views, gtk_widget_get_parent (GTK_WIDGET (f->view)));
  g_assert_false (adw_view_stack_page_get_visible (page));
  g_assert_null (lk_sync_button_get_conflicts_text (lk_window_get_sync_button (window)));

  lk_record_set_string (LK_RECORD (mine), LK_LEAD_TITLE, "Head of Purchasing");
  g_assert_true (lk_store_update_lead (store (f), mine, NULL, &error));
  theirs = server_version (lead, "2-ffff");
  json_object_set_string_member (theirs, "title", "Procurement Director");
  apply (f, theirs);
  wait_count (f, 1);

  g_assert_true (adw_view_stack_page_get_visible (page));
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (page), ==, 1);
  g_assert_true (adw_view_stack_page_get_needs_attention (page));
  g_assert_cmpstr (lk_sync_button_get_conflicts_text (lk_window_get_sync_button (window)), ==,
                   "1 conflict needs your decision");

  /* "Review" in the sync popover shows the page. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-conflicts", NULL));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (views), ==, "conflicts");

  /* Resolved while shown: the page stays until one leaves it. */
  click (find_row (f, "Job Title"), "_Keep Theirs");
  wait_count (f, 0);
  g_assert_true (adw_view_stack_page_get_visible (page));
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (page), ==, 0);
  adw_view_stack_set_visible_child_name (views, "pipeline");
  iterate ();
  g_assert_false (adw_view_stack_page_get_visible (page));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add ("/ui/conflicts/field-conflicts", Fixture, NULL, fixture_set_up, test_field_conflicts, fixture_tear_down);
  g_test_add ("/ui/conflicts/stage-names", Fixture, NULL, fixture_set_up, test_stage_names, fixture_tear_down);
  g_test_add ("/ui/conflicts/edit-against-delete", Fixture, NULL, fixture_set_up, test_edit_against_delete, fixture_tear_down);
  g_test_add ("/ui/conflicts/delete-against-edit", Fixture, NULL, fixture_set_up, test_delete_against_edit, fixture_tear_down);
  g_test_add ("/ui/conflicts/window-page", Fixture, NULL, fixture_set_up, test_window_page, fixture_tear_down);

  return g_test_run ();
}
