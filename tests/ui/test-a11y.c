/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>

#include "lk-context.h"
#include "lk-window.h"
#include "leads/lk-leads-table-private.h"
#include "pipeline/lk-lead-card.h"

/* Every control of the main window is reachable with Tab and has an
 * accessible name. The window is walked the way a keyboard user walks it
 * (gtk_widget_child_focus with Tab until the focus comes back round), on
 * each view. GTK 4.8 has no public getter for the name a screen reader
 * gets, so the test runs with GTK_A11Y=test (GtkTestATContext) and holds
 * each focused widget to this rule, which follows how GTK and ARIA name
 * an element:
 *
 *  1. the widget was given a name: the accessible property LABEL, not
 *     empty (set in a .ui <accessibility> block or with
 *     gtk_accessible_update_property; GtkButton sets it from its label),
 *     or the relation LABELLED_BY to a label that shows text, or a GtkLabel
 *     names it as its mnemonic widget; or
 *  2. its role takes its name from its content (buttons, toggles, check
 *     boxes, links, tabs, menu items, rows, list items and cells), and a
 *     visible descendant shows text (a GtkLabel or GtkInscription) or has
 *     a name by rule 1.
 *
 * A tooltip is not a name (GTK 4.8 does not give it to screen readers as
 * one), so an icon-only button needs rule 1. Text fields are named on
 * their editable (the GtkText inside a GtkSearchEntry is the entry's), and
 * the button inside a drop-down or menu button on the composite widget; a
 * drop-down (a combo box) does not take its name from the value it shows
 * and needs rule 1. */

typedef struct
{
  char      *dir;
  LkContext *context;
  LkWindow  *window;
} Fixture;

static void
add_lead (LkContext  *context,
          const char *company,
          const char *contact,
          const char *stage,
          gint64      amount)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) lead = lk_lead_new ();

  lk_record_set_string (LK_RECORD (lead), LK_LEAD_COMPANY, company);
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_CONTACT, contact);
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_STAGE, stage);
  if (amount > 0)
    lk_record_set_int (LK_RECORD (lead), LK_LEAD_AMOUNT, amount);
  if (g_str_equal (stage, "lost"))
    lk_record_set_string (LK_RECORD (lead), LK_LEAD_LOST_REASON, "No budget");
  g_assert_true (lk_store_create_lead (lk_context_get_store (context), lead, &error));
  g_assert_no_error (error);
}

static void
spin (void)
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

  f->dir = g_dir_make_tmp ("lk-ui-a11y-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "test.db", NULL);
  f->context = lk_context_new (path, NULL, &error);
  g_assert_no_error (error);
  add_lead (f->context, "华信科技有限公司", "李雷", "new", 12000000);
  add_lead (f->context, "Northwind Traders", "Anna Weber", "proposal", 0);
  add_lead (f->context, "恒达物流集团", "韩梅梅", "won", 56000000);
  add_lead (f->context, "远航电子", "王芳", "lost", 0);

  f->window = g_object_new (LK_TYPE_WINDOW, "context", f->context, NULL);
  gtk_window_present (GTK_WINDOW (f->window));
  spin ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->context);
  spin ();
  g_free (f->dir);
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static guint
count_cards (GtkWidget *widget)
{
  guint n = LK_IS_LEAD_CARD (widget) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_cards (child);
  return n;
}

static gboolean
wake_up (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* The board fills each column from a worker, one by one: wait until all
 * four cards are shown (a busy machine may show the first column long
 * before the last). */
static void
wait_for_cards (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint tick = g_timeout_add (50, wake_up, NULL);

  while (count_cards (GTK_WIDGET (f->window)) < 4 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_assert_cmpuint (count_cards (GTK_WIDGET (f->window)), ==, 4);
  spin ();
}

/* The table loads its rows from a worker too, and makes their widgets on
 * the next layout: wait for a row of each lead. */
static guint
count_rows (GtkWidget *widget)
{
  guint n = g_str_equal (gtk_widget_get_css_name (widget), "row") ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_rows (child);
  return n;
}

static void
wait_for_rows (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  GtkWidget *view = GTK_WIDGET (lk_leads_table_get_column_view (lk_window_get_table (f->window)));
  guint tick = g_timeout_add (50, wake_up, NULL);

  while (count_rows (view) < 4 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_assert_cmpuint (count_rows (view), >=, 4);
  spin ();
}

/* Rule 1 */
static gboolean
is_named (GtkWidget *widget)
{
  GtkAccessible *accessible = GTK_ACCESSIBLE (widget);
  GList *mnemonic_labels;
  gboolean named = FALSE;

  if (gtk_test_accessible_has_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL))
    {
      /* NULL when the label equals "": an empty name is no name */
      g_autofree char *differs = gtk_test_accessible_check_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL, "");

      named = differs != NULL;
    }
  /* GtkButton points LABELLED_BY at its child, an icon too: the relation
   * names the widget only when it points at a label that shows text. */
  if (!named && gtk_test_accessible_has_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    {
      GtkWidget *child = gtk_widget_get_first_child (widget);

      if (child != NULL && GTK_IS_LABEL (child) && gtk_label_get_text (GTK_LABEL (child))[0] != '\0')
        {
          g_autofree char *differs = gtk_test_accessible_check_relation (accessible, GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                                                         child, NULL);

          named = differs == NULL;
        }
    }
  mnemonic_labels = gtk_widget_list_mnemonic_labels (widget);
  if (mnemonic_labels != NULL)
    named = TRUE;
  g_list_free (mnemonic_labels);
  return named;
}

static gboolean
shows_text (GtkWidget *widget)
{
  if (!gtk_widget_get_visible (widget))
    return FALSE;
  if (GTK_IS_LABEL (widget) && gtk_label_get_text (GTK_LABEL (widget))[0] != '\0')
    return TRUE;
  if (GTK_IS_INSCRIPTION (widget) && gtk_inscription_get_text (GTK_INSCRIPTION (widget)) != NULL &&
      gtk_inscription_get_text (GTK_INSCRIPTION (widget))[0] != '\0')
    return TRUE;
  if (!GTK_IS_LABEL (widget) && is_named (widget))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_text (child))
      return TRUE;
  return FALSE;
}

static gboolean
named_from_content (GtkWidget *widget)
{
  switch ((int) gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)))
    {
    case GTK_ACCESSIBLE_ROLE_BUTTON:
    case GTK_ACCESSIBLE_ROLE_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_RADIO:
    case GTK_ACCESSIBLE_ROLE_LINK:
    case GTK_ACCESSIBLE_ROLE_TAB:
    case GTK_ACCESSIBLE_ROLE_MENU_ITEM:
    case GTK_ACCESSIBLE_ROLE_MENU_ITEM_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_MENU_ITEM_RADIO:
    case GTK_ACCESSIBLE_ROLE_ROW:
    case GTK_ACCESSIBLE_ROLE_LIST_ITEM:
    case GTK_ACCESSIBLE_ROLE_CELL:
    case GTK_ACCESSIBLE_ROLE_GRID_CELL:
    case GTK_ACCESSIBLE_ROLE_COLUMN_HEADER:
    case GTK_ACCESSIBLE_ROLE_OPTION:
    case GTK_ACCESSIBLE_ROLE_TREE_ITEM:
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        if (shows_text (child))
          return TRUE;
      return FALSE;
    default:
      return FALSE;
    }
}

/* The widget a screen reader presents for the focused @widget. */
static GtkWidget *
accessible_owner (GtkWidget *widget)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);

  if (GTK_IS_TEXT (widget) && parent != NULL && GTK_IS_EDITABLE (parent))
    return parent;
  for (GtkWidget *up = parent; up != NULL && up != gtk_widget_get_parent (gtk_widget_get_parent (widget));
       up = gtk_widget_get_parent (up))
    if (GTK_IS_DROP_DOWN (up) || GTK_IS_MENU_BUTTON (up))
      return up;
  return widget;
}

static gboolean
has_accessible_name (GtkWidget *focus)
{
  GtkWidget *owner = accessible_owner (focus);

  if (is_named (owner))
    return TRUE;
  if (GTK_IS_DROP_DOWN (owner))
    return FALSE;
  /* A menu button (or its inner toggle) shows its label. */
  return named_from_content (owner) || named_from_content (focus);
}

static char *
describe (GtkWidget *widget)
{
  GString *path = g_string_new (NULL);
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  for (GtkWidget *w = widget; w != NULL && !GTK_IS_ROOT (w); w = gtk_widget_get_parent (w))
    {
      if (path->len > 0)
        g_string_prepend (path, " < ");
      g_string_prepend (path, G_OBJECT_TYPE_NAME (w));
      if (w != widget && g_str_has_prefix (G_OBJECT_TYPE_NAME (w), "Lk"))
        break;
    }
  if (tooltip != NULL)
    g_string_append_printf (path, " (tooltip “%s”)", tooltip);
  return g_string_free (path, FALSE);
}

/* Tab from the start until the focus comes back to the first widget;
 * returns the widgets in the order they got the focus. */
static GPtrArray *
tab_walk (GtkWindow *window)
{
  GPtrArray *order = g_ptr_array_new ();
  GtkWidget *first = NULL;

  gtk_window_set_focus (window, NULL);
  for (guint i = 0; i < 2000; i++)
    {
      GtkWidget *focus;

      if (!gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD))
        continue;       /* the end of the chain: the next Tab starts over */
      focus = gtk_root_get_focus (GTK_ROOT (window));
      g_assert_nonnull (focus);
      if (focus == first)
        return order;
      if (first == NULL)
        first = focus;
      /* A widget seen twice before the cycle closes: Tab is stuck. */
      g_assert_false (g_ptr_array_find (order, focus, NULL));
      g_ptr_array_add (order, focus);
    }
  g_error ("Tab did not come back to the first widget after %u widgets", order->len);
}

static void
check_view (Fixture    *f,
            const char *view,
            GType       must_reach,
            guint       at_least)
{
  AdwViewStack *views = ADW_VIEW_STACK (find_descendant (GTK_WIDGET (f->window), ADW_TYPE_VIEW_STACK));
  g_autoptr(GPtrArray) order = NULL;
  g_autoptr(GString) unnamed = g_string_new (NULL);
  gboolean reached = FALSE;

  adw_view_stack_set_visible_child_name (views, view);
  spin ();
  order = tab_walk (GTK_WINDOW (f->window));

  for (guint i = 0; i < order->len; i++)
    {
      GtkWidget *focus = order->pdata[i];

      g_assert_true (gtk_widget_get_focusable (focus));
      g_assert_true (gtk_widget_is_drawable (focus));
      /* A list's row takes the focus: the card is inside it. */
      if (find_descendant (focus, must_reach) != NULL)
        reached = TRUE;
      for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
        if (G_TYPE_CHECK_INSTANCE_TYPE (w, must_reach))
          reached = TRUE;
      {
        g_autofree char *shown = describe (focus);

        g_test_message ("%s %u: %s", view, i + 1, shown);
      }
      if (!has_accessible_name (focus))
        {
          g_autofree char *shown = describe (focus);

          g_string_append_printf (unnamed, "\n  %u: %s", i + 1, shown);
        }
    }
  g_test_message ("%s: %u widgets in the Tab order", view, order->len);
  if (unnamed->len > 0)
    g_error ("%s view: these focusable widgets have no accessible name:%s", view, unnamed->str);
  g_assert_true (reached);
  g_assert_cmpuint (order->len, >=, at_least);
}

/* Every card has a name (what it shows) and a description (what the
 * keyboard does with it). */
static guint
check_cards (GtkWidget *widget)
{
  guint n = 0;

  if (LK_IS_LEAD_CARD (widget))
    {
      g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL));
      g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
      return 1;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += check_cards (child);
  return n;
}

static void
test_a11y_pipeline (Fixture       *f,
                    gconstpointer  data)
{
  wait_for_cards (f);
  check_view (f, "pipeline", LK_TYPE_LEAD_CARD, 10);
  g_assert_cmpuint (check_cards (GTK_WIDGET (f->window)), ==, 4);
}

static void
test_a11y_leads (Fixture       *f,
                 gconstpointer  data)
{
  lk_window_get_table (f->window);
  /* With the search bar open: its entry is in the Tab order too. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.search", NULL));
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (find_descendant (GTK_WIDGET (f->window), ADW_TYPE_VIEW_STACK)),
                                         "leads");
  wait_for_rows (f);
  check_view (f, "leads", LK_TYPE_LEADS_TABLE, 10);
}

/* The rule itself: an icon-only button with only a tooltip has no name,
 * one with an accessible label or a text label has. */
static void
test_a11y_rule (void)
{
  GtkWidget *icon = g_object_ref_sink (gtk_button_new_from_icon_name ("list-add-symbolic"));
  GtkWidget *text = g_object_ref_sink (gtk_button_new_with_label ("Add"));
  GtkWidget *drop_down = g_object_ref_sink (gtk_drop_down_new_from_strings ((const char *[]) { "Any Owner", NULL }));

  gtk_widget_set_tooltip_text (icon, "Add");
  g_assert_false (has_accessible_name (icon));
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "Add a lead", -1);
  g_assert_true (has_accessible_name (icon));
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  g_assert_false (has_accessible_name (icon));
  g_assert_true (has_accessible_name (text));
  g_assert_false (has_accessible_name (drop_down));
  gtk_accessible_update_property (GTK_ACCESSIBLE (drop_down), GTK_ACCESSIBLE_PROPERTY_LABEL, "Owner", -1);
  g_assert_true (has_accessible_name (drop_down));

  g_object_unref (icon);
  g_object_unref (text);
  g_object_unref (drop_down);
}

int
main (int   argc,
      char *argv[])
{
  /* The test accessibility backend records what the widgets tell ATs. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/a11y/rule", test_a11y_rule);
  g_test_add ("/a11y/pipeline", Fixture, NULL, fixture_set_up, test_a11y_pipeline, fixture_tear_down);
  g_test_add ("/a11y/leads", Fixture, NULL, fixture_set_up, test_a11y_leads, fixture_tear_down);
  return g_test_run ();
}
