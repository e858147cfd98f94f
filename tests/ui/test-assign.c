/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>

#include "leads/lk-assign-actions.h"
#include "leads/lk-lead-editor.h"
#include "leads/lk-score-explanation.h"
#include "lk-activity.h"
#include "lk-context.h"
#include "lk-store-rules.h"
#include "sync/lk-assign-notifier.h"

/* Assign and Claim as a user reaches them (the "assign" actions of a
 * window, the Assign dialog and its preview of the rules), the lead
 * editor's explanation of a score, and what the app tells a user about
 * leads others assigned to them. On a fake clock: 2024-05-15 10:00 UTC. */

#define NOW_MS G_GINT64_CONSTANT (1715767200000)

typedef struct
{
  char            *dir;
  LkClock         *clock;
  LkContext       *context;
  LkStore         *store;
  GtkWindow       *window;
  LkAssignActions *actions;
  GPtrArray       *messages;
} Fixture;

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
message_cb (LkAssignActions *actions,
            const char      *text,
            Fixture         *f)
{
  g_ptr_array_add (f->messages, g_strdup (text));
}

static void
add_member (Fixture    *f,
            const char *name,
            const char *display_name,
            const char *role)
{
  g_autoptr(LkUser) user = lk_user_new (name, display_name, role);
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_store_save_user (f->store, user, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("lk-assign-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "test.db", NULL);
  f->clock = lk_clock_new_fake (NOW_MS, tz);
  f->context = lk_context_new (path, f->clock, &error);
  g_assert_no_error (error);
  f->store = lk_context_get_store (f->context);
  g_assert_true (lk_context_set_user_id (f->context, "user:lilei", &error));
  add_member (f, "lilei", "李雷", "rep");
  add_member (f, "wangfang", "王芳", "rep");
  add_member (f, "hanmeimei", "韩梅梅", "manager");

  f->window = GTK_WINDOW (gtk_window_new ());
  f->actions = lk_assign_actions_new (f->context, f->window);
  gtk_widget_insert_action_group (GTK_WIDGET (f->window), "assign", lk_assign_actions_get_group (f->actions));
  f->messages = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->actions, "message", G_CALLBACK (message_cb), f);
  gtk_window_present (f->window);
  iterate ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->actions);
  gtk_window_destroy (f->window);
  iterate ();
  g_ptr_array_unref (f->messages);
  g_clear_object (&f->context);
  g_clear_object (&f->clock);
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

static char *
new_lead (Fixture    *f,
          const char *company,
          const char *industry)
{
  g_autoptr(LkLead) lead = lk_lead_new ();
  g_autoptr(GError) error = NULL;

  lk_record_set_string (LK_RECORD (lead), LK_LEAD_COMPANY, company);
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_INDUSTRY, industry);
  g_assert_true (lk_store_create_lead (f->store, lead, &error));
  g_assert_no_error (error);
  return g_strdup (lk_record_get_id (LK_RECORD (lead)));
}

static char *
owner_of (Fixture    *f,
          const char *id)
{
  g_autoptr(LkLead) lead = lk_store_get_lead (f->store, id, NULL);

  g_assert_nonnull (lead);
  return g_strdup (lk_lead_get_owner (lead));
}

static const char *
last_message (Fixture *f)
{
  g_assert_cmpuint (f->messages->len, >, 0);
  return g_ptr_array_index (f->messages, f->messages->len - 1);
}

static void
activate (Fixture            *f,
          const char         *action,
          const char * const *ids)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), action, "^as", ids));
  iterate ();
}

static void
test_claim (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *id = new_lead (f, "上海精密机械", "制造业");
  g_autofree char *owner = NULL;
  const char *ids[] = { id, NULL };
  g_autoptr(GPtrArray) activities = NULL;
  LkRecord *last;

  /* The card menu offers Claim for a pool lead, as an "assign" action. */
  {
    g_autoptr(GMenuModel) menu = lk_assign_actions_lead_menu (id, TRUE);
    g_autofree char *action = NULL;

    g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 2);
    g_assert_true (g_menu_model_get_item_attribute (menu, 0, G_MENU_ATTRIBUTE_ACTION, "s", &action));
    g_assert_cmpstr (action, ==, "assign.claim");
  }

  activate (f, "assign.claim", ids);
  owner = owner_of (f, id);
  g_assert_cmpstr (owner, ==, "user:lilei");
  g_assert_cmpstr (last_message (f), ==, "“上海精密机械” is yours now");
  activities = lk_store_list_activities (f->store, id, NULL);
  last = g_ptr_array_index (activities, activities->len - 1);
  g_assert_cmpstr (lk_record_get_string (last, LK_ACTIVITY_KIND), ==, "assignment");
  g_assert_cmpstr (lk_record_get_string (last, LK_ACTIVITY_REASON), ==, "claim");

  /* Someone else's lead cannot be claimed: said, and nothing changes. */
  g_assert_true (lk_context_set_user_id (f->context, "user:wangfang", NULL));
  activate (f, "assign.claim", ids);
  g_clear_pointer (&owner, g_free);
  owner = owner_of (f, id);
  g_assert_cmpstr (owner, ==, "user:lilei");
  g_assert_true (g_str_has_suffix (last_message (f), "李雷 owns it"));
}

static void
test_reps_cannot_assign (Fixture       *f,
                         gconstpointer  data)
{
  GActionGroup *group = lk_assign_actions_get_group (f->actions);
  g_autoptr(LkUser) me = NULL;

  /* 李雷 is a rep. */
  g_assert_false (lk_assign_actions_is_manager (f->actions));
  g_assert_false (g_action_group_get_action_enabled (group, "choose"));
  g_assert_false (g_action_group_get_action_enabled (group, "to"));
  g_assert_true (g_action_group_get_action_enabled (group, "claim"));

  /* Promoted: the actions follow. */
  me = lk_store_get_user (f->store, "user:lilei", NULL);
  lk_record_set_string (LK_RECORD (me), LK_USER_ROLE, "manager");
  g_assert_true (lk_store_save_user (f->store, me, NULL));
  g_assert_true (g_action_group_get_action_enabled (group, "choose"));

  /* Another desktop user: the manager. */
  lk_record_set_string (LK_RECORD (me), LK_USER_ROLE, "rep");
  g_assert_true (lk_store_save_user (f->store, me, NULL));
  g_assert_false (g_action_group_get_action_enabled (group, "choose"));
  g_assert_true (lk_context_set_user_id (f->context, "user:hanmeimei", NULL));
  g_assert_true (g_action_group_get_action_enabled (group, "choose"));
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  AdwMessageDialog *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        {
          g_assert_null (found);
          found = ADW_MESSAGE_DIALOG (window);
        }
    }
  return found;
}

static GtkWidget *
find_type (GtkWidget *root,
           GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      found = find_type (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_assign_dialog (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *a = new_lead (f, "杭州云帆", "软件");
  g_autofree char *b = new_lead (f, "苏州新材", "制造业");
  g_autofree char *c = new_lead (f, "南京恒通", "物流");
  const char *ids[] = { a, b, c, NULL };
  AdwMessageDialog *dialog;
  GtkWidget *box;
  GtkWidget *label;
  g_autofree char *owner = NULL;
  guint n_lilei = 0;
  guint n_wangfang = 0;

  g_assert_true (lk_context_set_user_id (f->context, "user:hanmeimei", NULL));

  /* The default rule: every rep in turn. The preview writes nothing. */
  activate (f, "assign.choose", ids);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Assign 3 Leads");
  box = adw_message_dialog_get_extra_child (dialog);
  /* The preview, under the choice */
  label = gtk_widget_get_last_child (box);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==,
                   "By the rules, 3 of 3 leads get an owner (3 change hands).");
  for (guint i = 0; ids[i] != NULL; i++)
    {
      owner = owner_of (f, ids[i]);
      g_assert_null (owner);
    }

  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (find_type (box, GTK_TYPE_DROP_DOWN))), ==, 0);
  adw_message_dialog_response (dialog, "assign");
  gtk_window_close (GTK_WINDOW (dialog));
  iterate ();
  g_assert_cmpstr (last_message (f), ==, "Assigned 3 leads by the rules");
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_clear_pointer (&owner, g_free);
      owner = owner_of (f, ids[i]);
      if (g_strcmp0 (owner, "user:lilei") == 0)
        n_lilei++;
      else if (g_strcmp0 (owner, "user:wangfang") == 0)
        n_wangfang++;
    }
  /* In turn: both reps, nobody twice in a row, never the manager. */
  g_assert_cmpuint (n_lilei + n_wangfang, ==, 3);
  g_assert_cmpuint (n_lilei, >=, 1);
  g_assert_cmpuint (n_wangfang, >=, 1);

  /* A member chosen by hand, then back to the pool. */
  activate (f, "assign.choose", (const char *[]) { a, NULL });
  dialog = find_dialog ();
  box = adw_message_dialog_get_extra_child (dialog);
  {
    GtkDropDown *choice = GTK_DROP_DOWN (find_type (box, GTK_TYPE_DROP_DOWN));
    GListModel *model = gtk_drop_down_get_model (choice);

    for (guint i = 0; i < g_list_model_get_n_items (model); i++)
      if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), "韩梅梅"))
        gtk_drop_down_set_selected (choice, i);
    /* The rules' preview is not about a member chosen by hand. */
    g_assert_false (gtk_widget_get_visible (gtk_widget_get_last_child (box)));
  }
  adw_message_dialog_response (dialog, "assign");
  gtk_window_close (GTK_WINDOW (dialog));
  iterate ();
  g_clear_pointer (&owner, g_free);
  owner = owner_of (f, a);
  g_assert_cmpstr (owner, ==, "user:hanmeimei");
  g_assert_cmpstr (last_message (f), ==, "Assigned 1 lead to 韩梅梅");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "assign.to", "(s^as)", "",
                                             (const char *[]) { a, b, NULL }));
  iterate ();
  g_clear_pointer (&owner, g_free);
  owner = owner_of (f, a);
  g_assert_null (owner);
  owner = owner_of (f, b);
  g_assert_null (owner);
  g_assert_cmpstr (last_message (f), ==, "Returned 2 leads to the pool");
}

static void
test_score_explained (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autoptr(LkLead) lead = NULL;
  LkLeadEditor *editor;
  LkScoreExplanation *explanation;

  g_assert_true (lk_store_set_rules_json (f->store, LK_RULES_SCORING,
                                          "{\"version\": 1, \"enabled\": true,"
                                          " \"profile\": [{\"field\": \"industry\", \"op\": \"equals\", \"value\": \"制造业\", \"points\": 10},"
                                          "               {\"field\": \"company\", \"op\": \"contains\", \"value\": \"精密\", \"points\": 5}],"
                                          " \"bant\": {\"budget\": 7}}",
                                          &error));
  g_assert_no_error (error);
  id = new_lead (f, "上海精密机械", "制造业");
  lead = lk_store_get_lead (f->store, id, NULL);
  g_assert_cmpint (lk_record_get_int (LK_RECORD (lead), LK_LEAD_SCORE), ==, 15);

  editor = lk_lead_editor_new (f->context, lead);
  gtk_window_present (GTK_WINDOW (editor));
  iterate ();
  explanation = LK_SCORE_EXPLANATION (find_type (GTK_WIDGET (editor), LK_TYPE_SCORE_EXPLANATION));
  g_assert_nonnull (explanation);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (explanation)));
  g_assert_cmpint (lk_score_explanation_get_score (explanation), ==, 15);
  g_assert_cmpuint (lk_score_explanation_get_n_reasons (explanation), ==, 2);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (explanation)), ==, "15 points from 2 rules");

  /* The explanation follows the values as typed, before saving. */
  g_assert_true (lk_lead_editor_set_field_text (editor, "industry", "零售"));
  iterate ();
  g_assert_cmpint (lk_score_explanation_get_score (explanation), ==, 5);
  g_assert_cmpuint (lk_score_explanation_get_n_reasons (explanation), ==, 1);
  g_assert_true (lk_lead_editor_set_field_text (editor, "bant.budget", "true"));
  iterate ();
  g_assert_cmpint (lk_score_explanation_get_score (explanation), ==, 12);
  g_assert_cmpuint (lk_score_explanation_get_n_reasons (explanation), ==, 2);
  gtk_window_destroy (GTK_WINDOW (editor));
  iterate ();

  /* Scoring off: nothing to explain. */
  g_assert_true (lk_store_set_rules_json (f->store, LK_RULES_SCORING, "{\"version\": 1, \"enabled\": false}", &error));
  editor = lk_lead_editor_new (f->context, lead);
  gtk_window_present (GTK_WINDOW (editor));
  iterate ();
  explanation = LK_SCORE_EXPLANATION (find_type (GTK_WIDGET (editor), LK_TYPE_SCORE_EXPLANATION));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (explanation)));
  gtk_window_destroy (GTK_WINDOW (editor));
  iterate ();
}

typedef struct
{
  guint          count;
  char          *id;
  GNotification *notification;
} Told;

static void
notification_cb (LkAssignNotifier *notifier,
                 const char       *id,
                 GNotification    *notification,
                 Told             *told)
{
  told->count++;
  g_free (told->id);
  told->id = g_strdup (id);
  g_set_object (&told->notification, notification);
}

/* Writes @lead_id's new owner as @by did on their desktop, then tells
 * the store's listeners as a sync run does after pulling it. */
static void
assign_as (Fixture    *f,
           const char *by,
           const char *lead_id,
           const char *to)
{
  g_autoptr(LkLead) lead = lk_store_get_lead (f->store, lead_id, NULL);
  g_autofree char *me = g_strdup (lk_store_get_user_id (f->store));
  g_autoptr(GError) error = NULL;

  lk_store_set_user_id (f->store, by);
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_OWNER, to);
  g_assert_true (lk_store_update_lead (f->store, lead, NULL, &error));
  g_assert_no_error (error);
  lk_store_set_user_id (f->store, me);
  lk_store_emit_changed (f->store, "activity", NULL);
}

static void
test_assigned_notification (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *old = new_lead (f, "旧线索", "");
  g_autofree char *a = new_lead (f, "杭州云帆", "软件");
  g_autofree char *b = new_lead (f, "苏州新材", "制造业");
  g_autoptr(LkAssignNotifier) notifier = NULL;
  const char *ids[] = { b, NULL };
  Told told = { 0 };

  /* History from before the first start is not news. */
  assign_as (f, "user:hanmeimei", old, "user:lilei");
  lk_clock_advance_ms (f->clock, 1000);
  notifier = lk_assign_notifier_new (f->context, NULL);
  g_signal_connect (notifier, "notification", G_CALLBACK (notification_cb), &told);
  g_assert_cmpuint (lk_assign_notifier_check_assigned (notifier), ==, 0);

  /* A manager's assignment arrives: one notification, for that lead. */
  lk_clock_advance_ms (f->clock, 1000);
  assign_as (f, "user:hanmeimei", a, "user:lilei");
  g_assert_cmpuint (told.count, ==, 1);
  {
    g_autofree char *expected = g_strconcat ("assigned-", a, NULL);

    g_assert_cmpstr (told.id, ==, expected);
  }
  g_assert_nonnull (told.notification);
  /* Not told twice. */
  g_assert_cmpuint (lk_assign_notifier_check_assigned (notifier), ==, 0);

  /* A claim of one's own, or a lead given to someone else, is no news. */
  lk_clock_advance_ms (f->clock, 1000);
  activate (f, "assign.claim", ids);
  assign_as (f, "user:hanmeimei", old, "user:wangfang");
  g_assert_cmpuint (told.count, ==, 1);

  /* An assignment made earlier on a desktop that was offline, arriving
   * late, is still news. */
  {
    g_autofree char *late = new_lead (f, "南京恒通", "物流");
    g_autofree char *expected = g_strconcat ("assigned-", late, NULL);

    lk_clock_advance_ms (f->clock, -60 * 60 * 1000);
    assign_as (f, "user:hanmeimei", late, "user:lilei");
    g_assert_cmpuint (told.count, ==, 2);
    g_assert_cmpstr (told.id, ==, expected);
  }

  /* The mark survives a restart of the app. */
  g_clear_object (&notifier);
  notifier = lk_assign_notifier_new (f->context, NULL);
  g_assert_cmpuint (lk_assign_notifier_check_assigned (notifier), ==, 0);
  g_free (told.id);
  g_clear_object (&told.notification);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add ("/ui/assign/claim", Fixture, NULL, fixture_set_up, test_claim, fixture_tear_down);
  g_test_add ("/ui/assign/reps-cannot-assign", Fixture, NULL, fixture_set_up, test_reps_cannot_assign, fixture_tear_down);
  g_test_add ("/ui/assign/dialog", Fixture, NULL, fixture_set_up, test_assign_dialog, fixture_tear_down);
  g_test_add ("/ui/assign/score-explained", Fixture, NULL, fixture_set_up, test_score_explained, fixture_tear_down);
  g_test_add ("/ui/assign/assigned-notification", Fixture, NULL, fixture_set_up, test_assigned_notification, fixture_tear_down);

  return g_test_run ();
}
