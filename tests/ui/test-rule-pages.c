/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>

#include "lk-context.h"
#include "lk-store-rules.h"
#include "preferences/lk-assignment-page.h"
#include "preferences/lk-followup-page.h"
#include "preferences/lk-pool-page.h"
#include "preferences/lk-scoring-page.h"
#include "preferences/lk-team-page.h"

/* The rule pages of Preferences, driven as a user would: a value changed
 * in a row is in the settings document (or the team member) at once; a
 * value that cannot be saved shows why and leaves the saved document as
 * it was. */

typedef struct
{
  char                 *dir;
  LkContext            *context;
  AdwPreferencesWindow *window;
  GtkWidget            *page;
} Fixture;

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

  f->dir = g_dir_make_tmp ("lk-rule-pages-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "test.db", NULL);
  f->context = lk_context_new (path, NULL, &error);
  g_assert_no_error (error);
}

static void
show_page (Fixture   *f,
           GtkWidget *page)
{
  f->page = page;
  f->window = ADW_PREFERENCES_WINDOW (adw_preferences_window_new ());
  adw_preferences_window_add (f->window, ADW_PREFERENCES_PAGE (page));
  gtk_window_present (GTK_WINDOW (f->window));
  iterate ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  iterate ();
  g_clear_object (&f->context);
  iterate ();
  if (f->dir != NULL)
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

/* The preferences row titled @title under @root (depth first). */
static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (ADW_IS_PREFERENCES_ROW (child)
          && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), title) == 0)
        return child;
      found = find_row (child, title);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
row (GtkWidget  *root,
     const char *title)
{
  GtkWidget *found = find_row (root, title);

  if (found == NULL)
    g_error ("no row “%s”", title);
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
set_spin (GtkWidget *row_widget,
          double     value)
{
  GtkWidget *spin = find_type (row_widget, GTK_TYPE_SPIN_BUTTON);

  g_assert_nonnull (spin);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  iterate ();
}

static void
set_switch (GtkWidget *row_widget,
            gboolean   active)
{
  GtkWidget *toggle = find_type (row_widget, GTK_TYPE_SWITCH);

  g_assert_nonnull (toggle);
  gtk_switch_set_active (GTK_SWITCH (toggle), active);
  iterate ();
}

static void
apply_text (GtkWidget  *entry_row,
            const char *text)
{
  g_assert_true (ADW_IS_ENTRY_ROW (entry_row));
  gtk_editable_set_text (GTK_EDITABLE (entry_row), text);
  g_signal_emit_by_name (entry_row, "apply");
  iterate ();
}

/* The saved settings:@name, or %NULL when none was ever saved. */
static JsonNode *
saved (Fixture    *f,
       const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = lk_store_get_setting (lk_context_get_store (f->context), name, &error);

  g_assert_no_error (error);
  if (text == NULL)
    return NULL;
  return json_from_string (text, &error);
}

static gint64
saved_int (Fixture    *f,
           const char *name,
           const char *path)
{
  g_autoptr(JsonNode) root = saved (f, name);
  g_autoptr(JsonPath) json_path = json_path_new ();
  g_autoptr(JsonNode) matches = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  g_assert_nonnull (root);
  g_assert_true (json_path_compile (json_path, path, &error));
  matches = json_path_match (json_path, root);
  array = json_node_get_array (matches);
  if (json_array_get_length (array) != 1)
    g_error ("%s: %s matches %u values", name, path, json_array_get_length (array));
  return json_array_get_int_element (array, 0);
}

static char *
saved_text (Fixture    *f,
            const char *name)
{
  g_autoptr(GError) error = NULL;
  char *text = lk_store_get_setting (lk_context_get_store (f->context), name, &error);

  g_assert_no_error (error);
  return text;
}

static void
test_followup (Fixture       *f,
               gconstpointer  data)
{
  LkFollowupPage *page = lk_followup_page_new (f->context);
  GtkWidget *grade_a;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  LkCadence *cadence;
  const LkStageTrigger *trigger;

  show_page (f, GTK_WIDGET (page));
  grade_a = row (f->page, "Grade A");
  /* The defaults are shown, nothing is written by showing them. */
  g_assert_null (saved (f, LK_RULES_CADENCE));
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (grade_a)), ==, "every 1–2 days, at most once a day");

  set_spin (row (grade_a, "Next Follow-up Within (Days)"), 4);
  g_assert_null (lk_followup_page_get_error (page));
  g_assert_cmpint (saved_int (f, LK_RULES_CADENCE, "$.grades.A.max_days"), ==, 4);
  g_assert_cmpint (saved_int (f, LK_RULES_CADENCE, "$.grades.A.min_days"), ==, 1);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (grade_a)), ==, "every 1–4 days, at most once a day");
  cadence = lk_store_get_cadence (lk_context_get_store (f->context), NULL);
  g_assert_cmpuint (lk_cadence_get_grade (cadence, "A")->max_days, ==, 4);

  /* The earliest after the latest: refused, said, not saved. */
  before = saved_text (f, LK_RULES_CADENCE);
  set_spin (row (grade_a, "Next Follow-up After (Days)"), 6);
  g_assert_nonnull (lk_followup_page_get_error (page));
  g_assert_true (g_str_has_prefix (lk_followup_page_get_error (page), "Grade A:"));
  after = saved_text (f, LK_RULES_CADENCE);
  g_assert_cmpstr (after, ==, before);

  /* Corrected: saved, the error gone. */
  set_spin (row (grade_a, "Next Follow-up Within (Days)"), 8);
  g_assert_null (lk_followup_page_get_error (page));
  g_assert_cmpint (saved_int (f, LK_RULES_CADENCE, "$.grades.A.min_days"), ==, 6);
  g_assert_cmpint (saved_int (f, LK_RULES_CADENCE, "$.grades.A.max_days"), ==, 8);

  /* Stale days, and a task on entering Contacted. */
  set_spin (row (f->page, "Days Without an Update"), 10);
  g_assert_cmpint (saved_int (f, LK_RULES_CADENCE, "$.stale_days"), ==, 10);
  {
    GtkWidget *contacted = row (f->page, "Contacted");

    adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (contacted), TRUE);
    iterate ();
    apply_text (row (contacted, "Task Title"), "Send the brochure");
    set_spin (row (contacted, "Due After (Days)"), 2);
  }
  cadence = lk_store_get_cadence (lk_context_get_store (f->context), NULL);
  trigger = lk_cadence_find_trigger (cadence, "contacted");
  g_assert_nonnull (trigger);
  g_assert_cmpstr (trigger->title, ==, "Send the brochure");
  g_assert_cmpuint (trigger->due_days, ==, 2);
  /* The default Proposal task is still there. */
  g_assert_nonnull (lk_cadence_find_trigger (cadence, "proposal"));
}

static void
test_pool (Fixture       *f,
           gconstpointer  data)
{
  LkPoolPage *page = lk_pool_page_new (f->context);
  LkPool *pool;

  show_page (f, GTK_WIDGET (page));
  set_spin (row (f->page, "Hours to First Contact"), 24);
  set_spin (row (f->page, "Days Before a Pool Lead Is Flagged"), 14);
  g_assert_null (lk_pool_page_get_error (page));
  g_assert_cmpint (saved_int (f, LK_RULES_POOL, "$.recycle_hours"), ==, 24);
  g_assert_cmpint (saved_int (f, LK_RULES_POOL, "$.unclaimed_days"), ==, 14);
  set_switch (row (f->page, "Return Uncontacted Leads"), FALSE);
  pool = lk_store_get_pool (lk_context_get_store (f->context), NULL);
  g_assert_false (lk_pool_get_recycle (pool));
  g_assert_cmpuint (lk_pool_get_recycle_hours (pool), ==, 24);
  g_assert_false (gtk_widget_get_sensitive (row (f->page, "Hours to First Contact")));

  /* A change that sync brings in is shown. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (lk_store_set_rules_json (lk_context_get_store (f->context), LK_RULES_POOL,
                                            "{\"version\": 1, \"recycle\": true, \"recycle_hours\": 72}", &error));
    g_assert_no_error (error);
    iterate ();
    g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (find_type (row (f->page, "Hours to First Contact"),
                                                                                  GTK_TYPE_SPIN_BUTTON))), ==, 72);
  }
}

static void
test_scoring (Fixture       *f,
              gconstpointer  data)
{
  LkScoringPage *page = lk_scoring_page_new (f->context);
  GPtrArray *rules;
  const LkScoreRule *rule;
  LkScoring *scoring;
  gint64 points = 0;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GtkWidget *rule_row;

  show_page (f, GTK_WIDGET (page));
  set_switch (row (f->page, "Score Leads Automatically"), TRUE);
  g_assert_null (lk_scoring_page_get_error (page));
  scoring = lk_store_get_scoring (lk_context_get_store (f->context), NULL);
  g_assert_true (lk_scoring_get_enabled (scoring));

  /* A new rule without a value cannot be saved yet. */
  before = saved_text (f, LK_RULES_SCORING);
  gtk_widget_activate_action (f->page, "scoring.add-rule", NULL);
  iterate ();
  g_assert_nonnull (lk_scoring_page_get_error (page));
  after = saved_text (f, LK_RULES_SCORING);
  g_assert_cmpstr (after, ==, before);

  rule_row = row (f->page, "Industry is “”");
  apply_text (row (rule_row, "Value (several separated by commas)"), "制造业");
  g_assert_null (lk_scoring_page_get_error (page));
  set_spin (row (rule_row, "Points"), 15);
  scoring = lk_store_get_scoring (lk_context_get_store (f->context), NULL);
  rules = lk_scoring_get_profile_rules (scoring);
  g_assert_cmpuint (rules->len, ==, 1);
  rule = g_ptr_array_index (rules, 0);
  g_assert_cmpstr (rule->field, ==, "industry");
  g_assert_cmpint (rule->op, ==, LK_SCORE_EQUALS);
  g_assert_cmpstr (rule->values[0], ==, "制造业");
  g_assert_cmpint (rule->points, ==, 15);

  /* Several values need “Is One Of”. */
  apply_text (row (rule_row, "Value (several separated by commas)"), "制造业，汽车");
  g_assert_nonnull (lk_scoring_page_get_error (page));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row (rule_row, "Test")), LK_SCORE_ONE_OF);
  iterate ();
  g_assert_null (lk_scoring_page_get_error (page));
  rule = g_ptr_array_index (lk_scoring_get_profile_rules (lk_store_get_scoring (lk_context_get_store (f->context), NULL)), 0);
  g_assert_cmpint (rule->op, ==, LK_SCORE_ONE_OF);
  g_assert_cmpstr (rule->values[1], ==, "汽车");

  /* Thresholds: hot from 50; warm above hot is refused by the core's check. */
  set_switch (row (f->page, "Hot From"), TRUE);
  set_spin (row (f->page, "Hot From"), 50);
  g_assert_null (lk_scoring_page_get_error (page));
  g_assert_true (lk_scoring_get_threshold (lk_store_get_scoring (lk_context_get_store (f->context), NULL), "hot", &points));
  g_assert_cmpint (points, ==, 50);
  set_switch (row (f->page, "Warm From"), TRUE);
  set_spin (row (f->page, "Warm From"), 25);
  g_assert_null (lk_scoring_page_get_error (page));
  set_spin (row (f->page, "Warm From"), 70);
  g_assert_nonnull (lk_scoring_page_get_error (page));
  g_assert_true (lk_scoring_get_threshold (lk_store_get_scoring (lk_context_get_store (f->context), NULL), "warm", &points));
  g_assert_cmpint (points, ==, 25);
  set_spin (row (f->page, "Warm From"), 20);
  g_assert_null (lk_scoring_page_get_error (page));
  g_assert_true (lk_scoring_get_threshold (lk_store_get_scoring (lk_context_get_store (f->context), NULL), "warm", &points));
  g_assert_cmpint (points, ==, 20);

  /* A team's own event type. */
  apply_text (row (f->page, "New Event Type"), "trade show");
  g_assert_nonnull (lk_scoring_page_get_error (page));
  apply_text (row (f->page, "New Event Type"), "trade_show");
  g_assert_null (lk_scoring_page_get_error (page));
  g_assert_nonnull (lk_scoring_find_event (lk_store_get_scoring (lk_context_get_store (f->context), NULL), "trade_show"));
}

/* The team's currency: the locale's until chosen; choosing one saves it
 * in settings:general; a change by sync shows. */
static void
test_team_currency (Fixture       *f,
                    gconstpointer  data)
{
  LkTeamPage *page = lk_team_page_new (f->context);
  LkStore *store = lk_context_get_store (f->context);
  AdwComboRow *currency;
  GtkStringObject *item;
  g_autofree char *before = NULL, *chosen = NULL, *json = NULL;
  g_autoptr(GError) error = NULL;

  show_page (f, GTK_WIDGET (page));
  currency = ADW_COMBO_ROW (row (f->page, "Currency"));
  /* The tests run in the C locale without LANGUAGE: CNY, the first */
  item = adw_combo_row_get_selected_item (currency);
  g_assert_cmpstr (gtk_string_object_get_string (item), ==, "¥ CNY · Chinese yuan");
  before = lk_store_get_setting (store, "general", NULL);
  g_assert_null (before);

  adw_combo_row_set_selected (currency, 1);
  iterate ();
  g_assert_null (lk_team_page_get_error (page));
  chosen = lk_store_get_currency (store);
  g_assert_cmpstr (chosen, ==, "TWD");
  json = lk_store_get_setting (store, "general", NULL);
  g_assert_cmpstr (json, ==, "{\"version\":1,\"currency\":\"TWD\"}");
  item = adw_combo_row_get_selected_item (currency);
  g_assert_cmpstr (gtk_string_object_get_string (item), ==, "NT$ TWD · New Taiwan dollar");

  /* Changed elsewhere (sync): the row follows; a code without a name
   * is offered as it is */
  g_assert_true (lk_store_set_setting (store, "general", "{\"version\":1,\"currency\":\"AUD\"}", &error));
  g_assert_no_error (error);
  iterate ();
  item = adw_combo_row_get_selected_item (currency);
  g_assert_cmpstr (gtk_string_object_get_string (item), ==, "AUD AUD · AUD");
}

static void
test_team (Fixture       *f,
           gconstpointer  data)
{
  LkTeamPage *page = lk_team_page_new (f->context);
  LkStore *store = lk_context_get_store (f->context);
  g_autoptr(LkUser) user = NULL;
  GtkWidget *member;

  show_page (f, GTK_WIDGET (page));
  apply_text (row (f->page, "Add a Member by User Name"), "li lei");
  g_assert_nonnull (lk_team_page_get_error (page));
  g_assert_null (lk_store_get_user (store, "user:li lei", NULL));

  apply_text (row (f->page, "Add a Member by User Name"), "lilei");
  g_assert_null (lk_team_page_get_error (page));
  user = lk_store_get_user (store, "user:lilei", NULL);
  g_assert_nonnull (user);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (user), LK_USER_ROLE), ==, "rep");
  g_clear_object (&user);

  member = row (f->page, "lilei");
  apply_text (row (member, "Name"), "李雷");
  member = row (f->page, "李雷");
  apply_text (row (member, "Regions (separated by commas)"), "上海，江苏");
  set_switch (row (member, "Senior"), TRUE);
  set_spin (row (member, "Capacity"), 30);
  adw_combo_row_set_selected (ADW_COMBO_ROW (row (member, "Role")), 1);
  iterate ();
  g_assert_null (lk_team_page_get_error (page));
  user = lk_store_get_user (store, "user:lilei", NULL);
  g_assert_cmpstr (lk_user_get_display_name (user), ==, "李雷");
  g_assert_cmpstr (lk_record_get_tags (LK_RECORD (user), LK_USER_REGIONS)[0], ==, "上海");
  g_assert_cmpstr (lk_record_get_tags (LK_RECORD (user), LK_USER_REGIONS)[1], ==, "江苏");
  g_assert_true (lk_record_get_bool (LK_RECORD (user), LK_USER_SENIOR));
  g_assert_cmpint (lk_record_get_int (LK_RECORD (user), LK_USER_CAPACITY), ==, 30);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (user), LK_USER_ROLE), ==, "manager");
  g_clear_object (&user);

  /* An empty name is refused and the saved one kept. */
  apply_text (row (member, "Name"), " ");
  g_assert_nonnull (lk_team_page_get_error (page));
  user = lk_store_get_user (store, "user:lilei", NULL);
  g_assert_cmpstr (lk_user_get_display_name (user), ==, "李雷");
  g_clear_object (&user);
  apply_text (row (member, "Name"), "李雷");

  /* This desktop's user. */
  {
    AdwComboRow *me = ADW_COMBO_ROW (row (f->page, "This Desktop’s User Is"));
    GListModel *model = adw_combo_row_get_model (me);
    guint n = g_list_model_get_n_items (model);
    guint position = GTK_INVALID_LIST_POSITION;

    for (guint i = 0; i < n; i++)
      if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), "李雷"))
        position = i;
    g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);
    adw_combo_row_set_selected (me, position);
    iterate ();
    g_assert_cmpstr (lk_context_get_user_id (f->context), ==, "user:lilei");
  }
}

static void
test_assignment (Fixture       *f,
                 gconstpointer  data)
{
  LkAssignmentPage *page = lk_assignment_page_new (f->context);
  LkStore *store = lk_context_get_store (f->context);
  g_autoptr(LkUser) lilei = lk_user_new ("lilei", "李雷", "rep");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  LkAssignment *assignment;
  GPtrArray *rules;
  const LkAssignRule *rule;
  GtkWidget *rule_row;

  g_assert_true (lk_store_save_user (store, lilei, NULL));
  show_page (f, GTK_WIDGET (page));
  set_switch (row (f->page, "Assign New Leads Automatically"), TRUE);
  g_assert_true (lk_assignment_get_auto_assign (lk_store_get_assignment (store, NULL)));

  /* The default rule is there; a new one goes after it. */
  gtk_widget_activate_action (f->page, "assignment.add-rule", NULL);
  iterate ();
  g_assert_null (lk_assignment_page_get_error (page));
  rule_row = row (f->page, "2. Rule");
  apply_text (row (rule_row, "Name"), "华东");
  rule_row = row (f->page, "2. 华东");
  apply_text (row (rule_row, "Regions"), "上海, 江苏");

  before = saved_text (f, LK_RULES_ASSIGNMENT);
  apply_text (row (rule_row, "Grades (A, B, C)"), "A, D");
  g_assert_nonnull (lk_assignment_page_get_error (page));
  after = saved_text (f, LK_RULES_ASSIGNMENT);
  g_assert_cmpstr (after, ==, before);
  apply_text (row (rule_row, "Grades (A, B, C)"), "a");
  g_assert_null (lk_assignment_page_get_error (page));

  apply_text (row (rule_row, "To Members (user names; empty: every rep)"), "nobody");
  g_assert_nonnull (lk_assignment_page_get_error (page));
  apply_text (row (rule_row, "To Members (user names; empty: every rep)"), "lilei");
  g_assert_null (lk_assignment_page_get_error (page));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row (rule_row, "Who Among Them")), LK_ASSIGN_FEWEST_OPEN);
  iterate ();

  /* First match wins: move it before the catch-all rule. */
  g_assert_true (gtk_widget_activate_action (f->page, "assignment.move-up", "s", "rule-2"));
  iterate ();
  assignment = lk_store_get_assignment (store, NULL);
  rules = lk_assignment_get_rules (assignment);
  g_assert_cmpuint (rules->len, ==, 2);
  rule = g_ptr_array_index (rules, 0);
  g_assert_cmpstr (rule->name, ==, "华东");
  g_assert_cmpstr (rule->regions[0], ==, "上海");
  g_assert_cmpstr (rule->regions[1], ==, "江苏");
  g_assert_cmpstr (rule->grades[0], ==, "A");
  g_assert_cmpstr (rule->members[0], ==, "user:lilei");
  g_assert_cmpint (rule->strategy, ==, LK_ASSIGN_FEWEST_OPEN);
  g_assert_nonnull (find_row (f->page, "1. 华东"));

  g_assert_true (gtk_widget_activate_action (f->page, "assignment.remove-rule", "s", "everyone"));
  iterate ();
  rules = lk_assignment_get_rules (lk_store_get_assignment (store, NULL));
  g_assert_cmpuint (rules->len, ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add ("/ui/rule-pages/followup", Fixture, NULL, fixture_set_up, test_followup, fixture_tear_down);
  g_test_add ("/ui/rule-pages/pool", Fixture, NULL, fixture_set_up, test_pool, fixture_tear_down);
  g_test_add ("/ui/rule-pages/scoring", Fixture, NULL, fixture_set_up, test_scoring, fixture_tear_down);
  g_test_add ("/ui/rule-pages/team", Fixture, NULL, fixture_set_up, test_team, fixture_tear_down);
  g_test_add ("/ui/rule-pages/team-currency", Fixture, NULL, fixture_set_up, test_team_currency, fixture_tear_down);
  g_test_add ("/ui/rule-pages/assignment", Fixture, NULL, fixture_set_up, test_assignment, fixture_tear_down);

  return g_test_run ();
}
