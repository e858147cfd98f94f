/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "lk-context.h"
#include "lk-demo.h"
#include "leads/lk-date-row.h"
#include "leads/lk-lead-editor.h"
#include "leads/lk-tag-editor.h"

/* The lead editor over a temporary database: fields typed through the
 * editor's widgets, checked through the messages it shows, what Save
 * allows, and what ends up in the store. */

typedef struct
{
  char         *dir;
  LkContext    *context;
  LkLeadEditor *editor;   /* weak: the editor destroys itself on save */
  LkLead       *saved;
  guint         n_saved;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(LkUser) user = lk_user_new ("lilei", "李雷", "rep");

  f->dir = g_dir_make_tmp ("lk-ui-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "test.db", NULL);
  f->context = lk_context_new (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (lk_store_save_user (lk_context_get_store (f->context), user, &error));
  g_assert_no_error (error);
  g_assert_true (lk_context_set_user_id (f->context, "user:lilei", &error));
  g_assert_no_error (error);
}

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->editor != NULL)
    gtk_window_destroy (GTK_WINDOW (f->editor));
  g_assert_null (f->editor);
  g_clear_object (&f->saved);
  g_clear_object (&f->context);
  iterate ();
  g_free (f->dir);
}

static void
saved_cb (LkLeadEditor *editor,
          LkLead       *lead,
          Fixture      *f)
{
  g_clear_object (&f->saved);
  f->saved = g_object_ref (lead);
  f->n_saved++;
}

static void
open_editor (Fixture *f,
             LkLead  *lead)
{
  f->editor = lk_lead_editor_new (f->context, lead);
  g_object_add_weak_pointer (G_OBJECT (f->editor), (gpointer *) &f->editor);
  g_signal_connect (f->editor, "saved", G_CALLBACK (saved_cb), f);
  gtk_window_present (GTK_WINDOW (f->editor));
  iterate ();
}

static LkLead *
add_lead (Fixture    *f,
          const char *company,
          const char *contact,
          const char *stage)
{
  g_autoptr(GError) error = NULL;
  LkLead *lead = lk_lead_new ();

  lk_record_set_string (LK_RECORD (lead), LK_LEAD_COMPANY, company);
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_CONTACT, contact);
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_STAGE, stage);
  g_assert_true (lk_store_create_lead (lk_context_get_store (f->context), lead, &error));
  g_assert_no_error (error);
  return lead;
}

static void
type (Fixture    *f,
      const char *field,
      const char *text)
{
  g_assert_true (lk_lead_editor_set_field_text (f->editor, field, text));
}

/* Every row title and subtitle under @widget, one per line. */
static void
collect_rows (GtkWidget *widget,
              GString   *out)
{
  if (ADW_IS_PREFERENCES_ROW (widget) && gtk_widget_is_visible (widget))
    {
      g_string_append (out, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)));
      if (ADW_IS_ACTION_ROW (widget) && adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)) != NULL)
        g_string_append_printf (out, " | %s", adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)));
      g_string_append_c (out, '\n');
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, out);
}

/* A new lead is in the team's currency */
static void
test_new_lead_currency (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_store_set_currency (lk_context_get_store (f->context), "HKD", &error));
  open_editor (f, NULL);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lk_lead_editor_get_lead (f->editor)), LK_LEAD_CURRENCY), ==, "HKD");
  g_assert_null (lk_lead_editor_get_message (f->editor, "currency"));
  g_assert_false (lk_lead_editor_is_dirty (f->editor));
}

static void
test_new_lead_validation (Fixture       *f,
                          gconstpointer  data)
{
  open_editor (f, NULL);
  g_assert_true (lk_lead_editor_is_new (f->editor));
  g_assert_false (lk_lead_editor_is_dirty (f->editor));
  /* A blank lead cannot be saved, and says why. */
  g_assert_false (lk_lead_editor_can_save (f->editor));
  g_assert_cmpstr (lk_lead_editor_get_message (f->editor, "company"), ==,
                   "A lead needs a company or a contact name");
  g_assert_false (lk_lead_editor_save (f->editor));
  g_assert_nonnull (f->editor);

  type (f, "company", "华信科技有限公司");
  g_assert_true (lk_lead_editor_is_dirty (f->editor));
  g_assert_null (lk_lead_editor_get_message (f->editor, "company"));
  g_assert_true (lk_lead_editor_can_save (f->editor));

  /* Email */
  type (f, "email", "li.lei@huaxin");
  g_assert_nonnull (lk_lead_editor_get_message (f->editor, "email"));
  g_assert_nonnull (strstr (lk_lead_editor_get_message (f->editor, "email"), "not an email address"));
  g_assert_false (lk_lead_editor_can_save (f->editor));
  type (f, "email", "li.lei@huaxin.com.cn");
  g_assert_null (lk_lead_editor_get_message (f->editor, "email"));
  g_assert_true (lk_lead_editor_can_save (f->editor));

  /* Phone: impossible numbers are errors; good ones show how they are saved. */
  type (f, "phone", "12345");
  g_assert_nonnull (strstr (lk_lead_editor_get_message (f->editor, "phone"), "not a possible phone number"));
  g_assert_false (lk_lead_editor_can_save (f->editor));
  type (f, "phone", "138 0013 8000");
  g_assert_cmpstr (lk_lead_editor_get_message (f->editor, "phone"), ==, "Will be saved as +86 138 0013 8000");
  g_assert_true (lk_lead_editor_can_save (f->editor));
  type (f, "phone", "+8613800138000");
  g_assert_null (lk_lead_editor_get_message (f->editor, "phone"));

  /* Amounts */
  type (f, "amount", "-5");
  g_assert_cmpstr (lk_lead_editor_get_message (f->editor, "amount"), ==, "The amount cannot be negative");
  g_assert_false (lk_lead_editor_can_save (f->editor));
  type (f, "amount", "lots");
  g_assert_nonnull (lk_lead_editor_get_message (f->editor, "amount"));
  g_assert_false (lk_lead_editor_can_save (f->editor));
  type (f, "amount", "12.345");
  g_assert_nonnull (lk_lead_editor_get_message (f->editor, "amount"));
  type (f, "amount", "12,500.50");
  g_assert_null (lk_lead_editor_get_message (f->editor, "amount"));
  g_assert_cmpint (lk_lead_get_amount (lk_lead_editor_get_lead (f->editor)), ==, 1250050);
  type (f, "budget", "abc");
  g_assert_nonnull (lk_lead_editor_get_message (f->editor, "budget"));
  type (f, "budget", "");
  g_assert_null (lk_lead_editor_get_message (f->editor, "budget"));
  type (f, "currency", "us");
  g_assert_nonnull (lk_lead_editor_get_message (f->editor, "currency"));
  type (f, "currency", "usd");
  g_assert_null (lk_lead_editor_get_message (f->editor, "currency"));
  type (f, "currency", "CNY");
  g_assert_true (lk_lead_editor_can_save (f->editor));

  /* Dates */
  type (f, "next_followup_at", "next week");
  g_assert_nonnull (lk_lead_editor_get_message (f->editor, "next_followup_at"));
  g_assert_false (lk_lead_editor_can_save (f->editor));
  type (f, "next_followup_at", "2031-02-30");
  g_assert_nonnull (lk_lead_editor_get_message (f->editor, "next_followup_at"));
  type (f, "next_followup_at", "2031/2/3");
  g_assert_null (lk_lead_editor_get_message (f->editor, "next_followup_at"));
  g_assert_true (lk_lead_editor_can_save (f->editor));

  /* Lost needs a reason. */
  type (f, "stage", "lost");
  g_assert_nonnull (lk_lead_editor_get_message (f->editor, "lost_reason"));
  g_assert_false (lk_lead_editor_can_save (f->editor));
  type (f, "lost_reason", "Went with a local supplier");
  g_assert_null (lk_lead_editor_get_message (f->editor, "lost_reason"));
  g_assert_true (lk_lead_editor_can_save (f->editor));
  type (f, "stage", "new");
  g_assert_null (lk_lead_editor_get_message (f->editor, "lost_reason"));

  /* Company and contact both empty: an error once typed there. */
  type (f, "company", "");
  g_assert_cmpstr (lk_lead_editor_get_message (f->editor, "company"), ==,
                   "A lead needs a company or a contact name");
  g_assert_false (lk_lead_editor_can_save (f->editor));
  type (f, "contact", "李雷");
  g_assert_null (lk_lead_editor_get_message (f->editor, "company"));
  g_assert_true (lk_lead_editor_can_save (f->editor));
}

static void
test_new_lead_save (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) stored = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  LkRecord *r;
  const char * const *tags;

  open_editor (f, NULL);
  type (f, "company", "华信科技有限公司");
  type (f, "contact", "韩梅梅");
  type (f, "title", "采购经理");
  type (f, "phone", "138 0013 8000");
  type (f, "email", "han@huaxin.example");
  type (f, "amount", "12500.5");
  type (f, "grade", "A");
  type (f, "temperature", "hot");
  type (f, "bant.need", "true");
  type (f, "source", "Exhibition");
  type (f, "owner", "user:lilei");
  type (f, "tags", "price-sensitive, comparing competitors");
  type (f, "next_followup_at", "2031-05-06");
  type (f, "notes", "Met at the Canton Fair.");
  type (f, "stage", "contacted");
  g_assert_true (lk_lead_editor_can_save (f->editor));
  g_assert_true (lk_lead_editor_save (f->editor));
  iterate ();

  g_assert_null (f->editor);
  g_assert_cmpuint (f->n_saved, ==, 1);
  g_assert_nonnull (lk_record_get_id (LK_RECORD (f->saved)));
  stored = lk_store_get_lead (lk_context_get_store (f->context), lk_record_get_id (LK_RECORD (f->saved)), &error);
  g_assert_no_error (error);
  r = LK_RECORD (stored);
  g_assert_cmpstr (lk_lead_get_company (stored), ==, "华信科技有限公司");
  g_assert_cmpstr (lk_lead_get_contact (stored), ==, "韩梅梅");
  g_assert_cmpstr (lk_record_get_string (r, LK_LEAD_TITLE), ==, "采购经理");
  g_assert_cmpstr (lk_record_get_string (r, LK_LEAD_PHONE), ==, "+8613800138000");
  g_assert_cmpstr (lk_record_get_string (r, LK_LEAD_EMAIL), ==, "han@huaxin.example");
  g_assert_cmpint (lk_lead_get_amount (stored), ==, 1250050);
  g_assert_cmpstr (lk_record_get_string (r, LK_LEAD_GRADE), ==, "A");
  g_assert_cmpstr (lk_record_get_string (r, LK_LEAD_TEMPERATURE), ==, "hot");
  g_assert_true (lk_record_get_bool (r, LK_LEAD_BANT_NEED));
  g_assert_false (lk_record_get_bool (r, LK_LEAD_BANT_BUDGET));
  g_assert_cmpstr (lk_record_get_string (r, LK_LEAD_SOURCE), ==, "exhibition");
  g_assert_cmpstr (lk_lead_get_owner (stored), ==, "user:lilei");
  g_assert_cmpstr (lk_lead_get_stage (stored), ==, "contacted");
  g_assert_cmpstr (lk_record_get_string (r, LK_LEAD_NOTES), ==, "Met at the Canton Fair.");
  g_assert_cmpint (lk_record_get_int (r, LK_LEAD_NEXT_FOLLOWUP_AT), !=, 0);
  tags = lk_record_get_tags (r, LK_LEAD_TAGS);
  g_assert_cmpuint (g_strv_length ((char **) tags), ==, 2);
  g_assert_cmpstr (tags[0], ==, "price-sensitive");
  g_assert_cmpstr (tags[1], ==, "comparing competitors");

  changes = lk_store_list_stage_changes (lk_context_get_store (f->context), lk_record_get_id (r), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 1);
}

static void
test_edit_lead (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) lead = add_lead (f, "远航电子", "王芳", "contacted");
  g_autoptr(LkLead) stored = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  const char *id = lk_record_get_id (LK_RECORD (lead));
  LkRecord *change;

  open_editor (f, lead);
  g_assert_false (lk_lead_editor_is_new (f->editor));
  g_assert_false (lk_lead_editor_is_dirty (f->editor));
  g_assert_true (lk_lead_editor_can_save (f->editor));
  /* The editor works on a copy. */
  g_assert_true (lk_lead_editor_get_lead (f->editor) != lead);

  type (f, "contact", "王芳");
  g_assert_false (lk_lead_editor_is_dirty (f->editor));
  type (f, "company", "远航电子股份");
  g_assert_true (lk_lead_editor_is_dirty (f->editor));
  g_assert_cmpstr (lk_lead_get_company (lead), ==, "远航电子");
  type (f, "company", "远航电子");
  g_assert_false (lk_lead_editor_is_dirty (f->editor));

  type (f, "company", "远航电子股份");
  type (f, "stage", "lost");
  g_assert_false (lk_lead_editor_can_save (f->editor));
  type (f, "lost_reason", "Price too high");
  g_assert_true (lk_lead_editor_save (f->editor));
  iterate ();
  g_assert_null (f->editor);

  stored = lk_store_get_lead (lk_context_get_store (f->context), id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lk_lead_get_company (stored), ==, "远航电子股份");
  g_assert_cmpstr (lk_lead_get_stage (stored), ==, "lost");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (stored), LK_LEAD_LOST_REASON), ==, "Price too high");
  changes = lk_store_list_stage_changes (lk_context_get_store (f->context), id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 2);
  change = g_ptr_array_index (changes, 1);
  g_assert_cmpstr (lk_record_get_string (change, LK_STAGE_CHANGE_FROM), ==, "contacted");
  g_assert_cmpstr (lk_record_get_string (change, LK_STAGE_CHANGE_TO), ==, "lost");
  g_assert_cmpstr (lk_record_get_string (change, LK_STAGE_CHANGE_REASON), ==, "Price too high");
}

static void
test_store_error_keeps_editor (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) lead = add_lead (f, "恒达物流集团", "赵强", "new");

  open_editor (f, lead);
  type (f, "needs", "Fleet tracking for 200 trucks");
  /* Deleted elsewhere while being edited: the store refuses the update. */
  g_assert_true (lk_store_delete_lead (lk_context_get_store (f->context),
                                      lk_record_get_id (LK_RECORD (lead)), &error));
  g_assert_no_error (error);
  g_assert_true (lk_lead_editor_can_save (f->editor));
  g_assert_false (lk_lead_editor_save (f->editor));
  iterate ();
  g_assert_nonnull (f->editor);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->editor)));
  g_assert_cmpuint (f->n_saved, ==, 0);
  g_assert_true (lk_lead_editor_is_dirty (f->editor));
}

static AdwMessageDialog *
find_dialog (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_window_get_transient_for (window) == parent &&
          gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

/* As a click on one of the dialog's buttons: answer, then close. */
static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  g_object_ref (dialog);
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);
  iterate ();
}

static void
test_close_asks (Fixture       *f,
                 gconstpointer  data)
{
  AdwMessageDialog *dialog;

  /* Not dirty: closes at once. */
  open_editor (f, NULL);
  gtk_window_close (GTK_WINDOW (f->editor));
  iterate ();
  g_assert_null (f->editor);

  /* Dirty: asks; Cancel keeps it open, Discard closes without saving. */
  open_editor (f, NULL);
  type (f, "company", "Northwind Traders");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "editor.cancel", NULL));
  iterate ();
  g_assert_nonnull (f->editor);
  dialog = find_dialog (GTK_WINDOW (f->editor));
  g_assert_nonnull (dialog);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "save"));
  respond (dialog, "cancel");
  g_assert_nonnull (f->editor);

  gtk_window_close (GTK_WINDOW (f->editor));
  iterate ();
  dialog = find_dialog (GTK_WINDOW (f->editor));
  g_assert_nonnull (dialog);
  respond (dialog, "discard");
  g_assert_null (f->editor);
  g_assert_cmpuint (f->n_saved, ==, 0);
  g_assert_cmpint (lk_store_count_leads (lk_context_get_store (f->context), NULL), ==, 0);

  /* Invalid and dirty: the question cannot offer Save. */
  open_editor (f, NULL);
  type (f, "email", "nobody@");
  gtk_window_close (GTK_WINDOW (f->editor));
  iterate ();
  dialog = find_dialog (GTK_WINDOW (f->editor));
  g_assert_nonnull (dialog);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
  respond (dialog, "discard");
  g_assert_null (f->editor);

  /* Save from the question. */
  open_editor (f, NULL);
  type (f, "company", "Contoso");
  gtk_window_close (GTK_WINDOW (f->editor));
  iterate ();
  dialog = find_dialog (GTK_WINDOW (f->editor));
  respond (dialog, "save");
  g_assert_null (f->editor);
  g_assert_cmpuint (f->n_saved, ==, 1);
  g_assert_cmpint (lk_store_count_leads (lk_context_get_store (f->context), NULL), ==, 1);
}

static void
test_history (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LkStore *store = lk_context_get_store (f->context);
  g_autoptr(LkLead) lead = add_lead (f, "华信科技有限公司", "李雷", "new");
  g_autoptr(LkLead) current = NULL;
  g_autoptr(GString) rows = g_string_new (NULL);
  const char *id = lk_record_get_id (LK_RECORD (lead));
  g_autoptr(LkActivity) call = lk_activity_new (id, "followup");
  g_autoptr(LkActivity) visit = lk_activity_new (id, "followup");
  const char *first, *second;

  g_assert_true (lk_store_move_lead (store, id, "contacted", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (lk_store_move_lead (store, id, "lost", "Price too high", &error));
  g_assert_no_error (error);
  g_assert_true (lk_store_move_lead (store, id, "qualified", NULL, &error));
  g_assert_no_error (error);

  lk_record_set_string (LK_RECORD (call), LK_ACTIVITY_METHOD, "phone");
  lk_record_set_string (LK_RECORD (call), LK_ACTIVITY_SUMMARY, "First call about the quote");
  lk_record_set_string (LK_RECORD (call), LK_ACTIVITY_FEEDBACK, "Too expensive");
  lk_record_set_int (LK_RECORD (call), LK_ACTIVITY_AT, 1714700000000);
  g_assert_true (lk_store_add_activity (store, call, &error));
  g_assert_no_error (error);
  lk_record_set_string (LK_RECORD (visit), LK_ACTIVITY_METHOD, "visit");
  lk_record_set_string (LK_RECORD (visit), LK_ACTIVITY_SUMMARY, "Visited the plant");
  lk_record_set_string (LK_RECORD (visit), LK_ACTIVITY_NEXT_STEP, "Send a new quote");
  lk_record_set_int (LK_RECORD (visit), LK_ACTIVITY_AT, 1714800000000);
  g_assert_true (lk_store_add_activity (store, visit, &error));
  g_assert_no_error (error);

  current = lk_store_get_lead (store, id, &error);
  g_assert_no_error (error);
  open_editor (f, current);
  collect_rows (GTK_WIDGET (f->editor), rows);

  g_assert_nonnull (strstr (rows->str, "Created in New | "));
  g_assert_nonnull (strstr (rows->str, "New → Contacted | "));
  g_assert_nonnull (strstr (rows->str, "Contacted → Lost | "));
  g_assert_nonnull (strstr (rows->str, "Reason: Price too high"));
  g_assert_nonnull (strstr (rows->str, "Lost → Qualified | "));
  g_assert_nonnull (strstr (rows->str, "Reopened"));
  g_assert_nonnull (strstr (rows->str, "by 李雷"));
  g_assert_null (strstr (rows->str, "user:lilei"));
  g_assert_nonnull (strstr (rows->str, "Feedback: Too expensive"));
  g_assert_nonnull (strstr (rows->str, "Next step: Send a new quote"));
  g_assert_nonnull (strstr (rows->str, "4 changes"));
  /* Follow-ups newest first. */
  first = strstr (rows->str, "Visit: Visited the plant");
  second = strstr (rows->str, "Phone: First call about the quote");
  g_assert_nonnull (first);
  g_assert_nonnull (second);
  g_assert_true (first < second);
}

/* Text people type is never read as Pango markup. */
static void
test_markup_safe (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LkStore *store = lk_context_get_store (f->context);
  g_autoptr(LkLead) lead = add_lead (f, "Smith & Sons <Ltd>", "A&B", "new");
  const char *id = lk_record_get_id (LK_RECORD (lead));
  g_autoptr(LkActivity) call = lk_activity_new (id, "followup");
  g_autoptr(LkLead) current = NULL;
  g_autoptr(GString) rows = g_string_new (NULL);

  g_assert_true (lk_store_move_lead (store, id, "lost", "Budget < cost & <i>more</i>", &error));
  g_assert_no_error (error);
  lk_record_set_string (LK_RECORD (call), LK_ACTIVITY_SUMMARY, "<b>price</b> & terms");
  g_assert_true (lk_store_add_activity (store, call, &error));
  g_assert_no_error (error);
  current = lk_store_get_lead (store, id, &error);
  g_assert_no_error (error);

  open_editor (f, current);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->editor)), ==, "Smith & Sons <Ltd>");
  collect_rows (GTK_WIDGET (f->editor), rows);
  g_assert_nonnull (strstr (rows->str, "Reason: Budget < cost & <i>more</i>"));
  g_assert_nonnull (strstr (rows->str, "<b>price</b> & terms"));
  type (f, "stage", "contacted");
  type (f, "company", "R&D <Labs>");
  g_assert_true (lk_lead_editor_save (f->editor));
}

static void
test_new_lead_has_no_history (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GString) rows = g_string_new (NULL);

  open_editor (f, NULL);
  collect_rows (GTK_WIDGET (f->editor), rows);
  g_assert_null (strstr (rows->str, "Stage Changes"));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->editor)), ==, "New Lead");
}

static void
test_tags_and_owner (Fixture       *f,
                     gconstpointer  data)
{
  LkLead *lead;
  const char * const *tags;

  open_editor (f, NULL);
  lead = lk_lead_editor_get_lead (f->editor);
  type (f, "contact", "Anna Weber");
  type (f, "tags", "vip，price-sensitive, vip");
  tags = lk_record_get_tags (LK_RECORD (lead), LK_LEAD_TAGS);
  g_assert_cmpuint (g_strv_length ((char **) tags), ==, 2);
  g_assert_cmpstr (tags[0], ==, "vip");
  g_assert_cmpstr (tags[1], ==, "price-sensitive");

  g_assert_null (lk_lead_get_owner (lead));
  type (f, "owner", "李雷");
  g_assert_cmpstr (lk_lead_get_owner (lead), ==, "user:lilei");
  type (f, "owner", "");
  g_assert_null (lk_lead_get_owner (lead));
  g_assert_false (lk_lead_editor_set_field_text (f->editor, "owner", "nobody we know"));
  g_assert_false (lk_lead_editor_set_field_text (f->editor, "score", "99"));
}

static GtkWidget *
find_scrolled_window (GtkWidget *widget)
{
  if (GTK_IS_SCROLLED_WINDOW (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_scrolled_window (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
scroll_cb (gpointer data)
{
  GtkWidget *editor = data;
  GtkAdjustment *adjustment;
  double fraction = *(double *) g_object_get_data (G_OBJECT (editor), "scroll");

  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (find_scrolled_window (editor)));
  gtk_adjustment_set_value (adjustment, fraction * (gtk_adjustment_get_upper (adjustment) -
                                                    gtk_adjustment_get_page_size (adjustment)));
  return G_SOURCE_REMOVE;
}

/* `test-lead-editor --show [--new] [--height=H] [--scroll=0…1] [FIELD=TEXT…]`:
 * not a test. Opens the editor on the lead with the longest history of a
 * database of 50 sample leads (or on a new lead), types FIELD=TEXT into
 * it, and waits: for screenshots (/work/shared/tools/shot) and for
 * looking at it by hand. */
static int
show (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("lk-editor-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(LkContext) context = NULL;
  g_autoptr(LkLeadQuery) query = lk_lead_query_new ();
  g_autoptr(GPtrArray) leads = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  LkStore *store;
  LkLead *best = NULL;
  guint best_length = 0;
  LkLeadEditor *editor;

  g_assert_no_error (error);
  path = g_build_filename (dir, "show.db", NULL);
  context = lk_context_new (path, NULL, &error);
  g_assert_no_error (error);
  store = lk_context_get_store (context);
  g_assert_true (lk_demo_generate (store, 50, 1, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  leads = lk_store_query_leads (store, query, 50, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < leads->len; i++)
    {
      LkLead *lead = g_ptr_array_index (leads, i);
      const char *id = lk_record_get_id (LK_RECORD (lead));
      g_autoptr(GPtrArray) changes = lk_store_list_stage_changes (store, id, NULL);
      g_autoptr(GPtrArray) activities = lk_store_list_activities (store, id, NULL);
      guint length = changes->len + activities->len;

      if (length > best_length)
        {
          best = lead;
          best_length = length;
        }
    }
  g_assert_nonnull (best);
  editor = lk_lead_editor_new (context, g_strv_contains ((const char * const *) argv, "--new") ? NULL : best);
  g_signal_connect_swapped (editor, "destroy", G_CALLBACK (g_main_loop_quit), loop);
  for (int i = 2; i < argc; i++)
    {
      g_auto(GStrv) pair = g_strsplit (argv[i], "=", 2);

      if (g_str_equal (pair[0], "--height") && pair[1] != NULL)
        gtk_window_set_default_size (GTK_WINDOW (editor), 720, atoi (pair[1]));
      else if (g_str_equal (pair[0], "--scroll") && pair[1] != NULL)
        {
          double *fraction = g_new (double, 1);

          *fraction = g_ascii_strtod (pair[1], NULL);
          g_object_set_data_full (G_OBJECT (editor), "scroll", fraction, g_free);
          g_timeout_add (1500, scroll_cb, editor);
        }
      else if (pair[1] != NULL && pair[0][0] != '-')
        lk_lead_editor_set_field_text (editor, pair[0], pair[1]);
    }
  gtk_window_present (GTK_WINDOW (editor));
  g_main_loop_run (loop);
  return 0;
}

static void
test_date_row (void)
{
  g_autoptr(GTimeZone) shanghai = g_time_zone_new_identifier ("Asia/Shanghai");
  GtkWidget *window = gtk_window_new ();
  GtkWidget *row = lk_date_row_new ();
  LkDateRow *date_row = LK_DATE_ROW (row);
  g_autoptr(GDateTime) expected = NULL;
  GDate date;

  gtk_window_set_child (GTK_WINDOW (window), row);
  g_assert_nonnull (shanghai);
  lk_date_row_set_timezone (date_row, shanghai);
  g_assert_cmpint (lk_date_row_get_value (date_row), ==, 0);
  g_assert_true (lk_date_row_get_valid (date_row));

  /* 2024-05-03 15:30 in Shanghai; a new date keeps the time of day. */
  lk_date_row_set_value (date_row, 1714721400000);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "2024-05-03");
  gtk_editable_set_text (GTK_EDITABLE (row), "2024年5月6日");
  expected = g_date_time_new (shanghai, 2024, 5, 6, 15, 30, 0);
  g_assert_cmpint (lk_date_row_get_value (date_row), ==, g_date_time_to_unix (expected) * 1000);
  gtk_editable_set_text (GTK_EDITABLE (row), "6 May");
  g_assert_false (lk_date_row_get_valid (date_row));
  gtk_editable_set_text (GTK_EDITABLE (row), "");
  g_assert_true (lk_date_row_get_valid (date_row));
  g_assert_cmpint (lk_date_row_get_value (date_row), ==, 0);

  g_date_clear (&date, 1);
  g_assert_true (lk_date_row_parse ("2024/2/29", &date));
  g_assert_false (lk_date_row_parse ("2023/2/29", &date));
  g_assert_true (lk_date_row_parse (" 2024.12.01 ", &date));
  g_assert_false (lk_date_row_parse ("12/01/2024", &date));
  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWidget *
find_child (GtkWidget *widget,
            GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_child (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_tag_editor (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *editor = lk_tag_editor_new ();
  LkTagEditor *tags = LK_TAG_EDITOR (editor);
  GtkWidget *entry = find_child (editor, GTK_TYPE_ENTRY);
  const char * const initial[] = { " vip ", "vip", "", "exhibition", NULL };

  gtk_window_set_child (GTK_WINDOW (window), editor);
  lk_tag_editor_set_tags (tags, initial);
  g_assert_cmpuint (g_strv_length ((char **) lk_tag_editor_get_tags (tags)), ==, 2);

  /* A comma commits what was typed before it; the rest stays in the entry. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "price-sensitive, compar");
  g_assert_cmpstr (lk_tag_editor_get_tags (tags)[2], ==, "price-sensitive");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "compar");
  gtk_editable_set_text (GTK_EDITABLE (entry), "comparing competitors");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpstr (lk_tag_editor_get_tags (tags)[3], ==, "comparing competitors");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_cmpuint (g_strv_length ((char **) lk_tag_editor_get_tags (tags)), ==, 4);

  lk_tag_editor_remove_tag (tags, "vip");
  g_assert_cmpuint (g_strv_length ((char **) lk_tag_editor_get_tags (tags)), ==, 3);
  g_assert_cmpstr (lk_tag_editor_get_tags (tags)[0], ==, "exhibition");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  if (argc > 1 && g_str_equal (argv[1], "--show"))
    {
      gtk_init ();
      adw_init ();
      return show (argc, argv);
    }

  /* Not G_TEST_OPTION_ISOLATE_DIRS: it hides the shared MIME database
   * that GTK needs to load its icons. Databases go to temporary dirs. */
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/ui/lead-editor/date-row", test_date_row);
  g_test_add_func ("/ui/lead-editor/tag-editor", test_tag_editor);
  g_test_add ("/ui/lead-editor/new-lead-currency", Fixture, NULL, fixture_set_up, test_new_lead_currency, fixture_tear_down);
  g_test_add ("/ui/lead-editor/new-lead-validation", Fixture, NULL, fixture_set_up, test_new_lead_validation, fixture_tear_down);
  g_test_add ("/ui/lead-editor/new-lead-save", Fixture, NULL, fixture_set_up, test_new_lead_save, fixture_tear_down);
  g_test_add ("/ui/lead-editor/edit-lead", Fixture, NULL, fixture_set_up, test_edit_lead, fixture_tear_down);
  g_test_add ("/ui/lead-editor/store-error", Fixture, NULL, fixture_set_up, test_store_error_keeps_editor, fixture_tear_down);
  g_test_add ("/ui/lead-editor/close-asks", Fixture, NULL, fixture_set_up, test_close_asks, fixture_tear_down);
  g_test_add ("/ui/lead-editor/markup-safe", Fixture, NULL, fixture_set_up, test_markup_safe, fixture_tear_down);
  g_test_add ("/ui/lead-editor/history", Fixture, NULL, fixture_set_up, test_history, fixture_tear_down);
  g_test_add ("/ui/lead-editor/new-lead-history", Fixture, NULL, fixture_set_up, test_new_lead_has_no_history, fixture_tear_down);
  g_test_add ("/ui/lead-editor/tags-and-owner", Fixture, NULL, fixture_set_up, test_tags_and_owner, fixture_tear_down);

  return g_test_run ();
}
