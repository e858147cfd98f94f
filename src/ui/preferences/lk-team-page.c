/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-team-page"

#include <glib/gi18n-lib.h>

#include "lk-format.h"
#include "lk-utils.h"
#include "preferences/lk-rules-rows.h"
#include "preferences/lk-team-page.h"

/* Preferences, the Team page: the team's currency (settings:general),
 * the team members (user documents that sync) and which of them uses
 * this desktop (a local value). A change to a member is saved when made
 * (a text field: when applied). */

typedef struct
{
  LkUser         *user;
  AdwExpanderRow *row;
  AdwEntryRow    *display_name;
  AdwComboRow    *role;
  AdwEntryRow    *regions;
  AdwEntryRow    *industries;
  GtkSwitch      *senior;
  GtkSpinButton  *capacity;
} MemberRows;

static const char * const role_keys[] = { "rep", "manager" };

struct _LkTeamPage
{
  AdwPreferencesPage   parent_instance;

  /* Template widgets */
  GtkLabel            *error_label;
  AdwComboRow         *me_row;
  AdwComboRow         *currency_row;
  AdwPreferencesGroup *members_group;
  AdwEntryRow         *new_member_row;

  /* Owned */
  LkContext           *context;
  GPtrArray           *members;  /* MemberRows */
  GPtrArray           *me_ids;   /* the user ids of me_row's items */
  GPtrArray           *currency_codes;  /* the codes of currency_row's items */
  char                *error;

  gboolean             loading;
};

G_DEFINE_FINAL_TYPE (LkTeamPage, lk_team_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void member_changed_cb (LkTeamPage *self);

static void
member_rows_free (gpointer data)
{
  MemberRows *rows = data;

  g_clear_object (&rows->user);
  g_free (rows);
}

static void
set_error (LkTeamPage *self,
           const char *message)
{
  lk_set_str (&self->error, message);
  lk_rules_show_error (self->error_label, message);
}

static char *
describe (LkUser *user)
{
  LkRecord *record = LK_RECORD (user);
  const char *role = g_strcmp0 (lk_record_get_string (record, LK_USER_ROLE), "manager") == 0
                     ? _("Manager") : _("Rep");
  g_autofree char *regions = lk_rules_join_list (lk_record_get_tags (record, LK_USER_REGIONS));
  GString *text = g_string_new (lk_user_id_get_name (lk_record_get_id (record)));

  g_string_append (text, " · ");
  g_string_append (text, role);
  if (lk_record_get_bool (record, LK_USER_SENIOR))
    {
      g_string_append (text, " · ");
      g_string_append (text, _("Senior"));
    }
  if (regions[0] != '\0')
    {
      g_string_append (text, " · ");
      g_string_append (text, regions);
    }
  return g_string_free (text, FALSE);
}

static void
add_member_rows (LkTeamPage *self,
                 LkUser     *user)
{
  MemberRows *rows = g_new0 (MemberRows, 1);
  LkRecord *record = LK_RECORD (user);
  const char * const role_labels[] = { _("Rep"), _("Manager"), NULL };
  g_autofree char *regions = lk_rules_join_list (lk_record_get_tags (record, LK_USER_REGIONS));
  g_autofree char *industries = lk_rules_join_list (lk_record_get_tags (record, LK_USER_INDUSTRIES));
  g_autofree char *subtitle = describe (user);
  GtkWidget *remove;
  AdwActionRow *remove_row;

  rows->user = LK_USER (lk_record_copy (record));
  rows->row = ADW_EXPANDER_ROW (adw_expander_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (rows->row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rows->row), lk_user_get_display_name (user));
  adw_expander_row_set_subtitle (rows->row, subtitle);

  rows->display_name = lk_rules_entry_row (_("Name"), lk_record_get_string (record, LK_USER_DISPLAY_NAME),
                                           G_CALLBACK (member_changed_cb), self);
  rows->role = lk_rules_combo_row (_("Role"), role_labels,
                                   g_strcmp0 (lk_record_get_string (record, LK_USER_ROLE), "manager") == 0,
                                   G_CALLBACK (member_changed_cb), self);
  rows->regions = lk_rules_entry_row (_("Regions (separated by commas)"), regions,
                                      G_CALLBACK (member_changed_cb), self);
  rows->industries = lk_rules_entry_row (_("Industries (separated by commas)"), industries,
                                         G_CALLBACK (member_changed_cb), self);
  adw_expander_row_add_row (rows->row, GTK_WIDGET (rows->display_name));
  adw_expander_row_add_row (rows->row, GTK_WIDGET (rows->role));
  adw_expander_row_add_row (rows->row, GTK_WIDGET (rows->regions));
  adw_expander_row_add_row (rows->row, GTK_WIDGET (rows->industries));
  adw_expander_row_add_row (rows->row, GTK_WIDGET (lk_rules_switch_row (
    _("Senior"), _("May take A-grade leads when assignment keeps them for seniors"),
    lk_record_get_bool (record, LK_USER_SENIOR), G_CALLBACK (member_changed_cb), self, &rows->senior)));
  adw_expander_row_add_row (rows->row, GTK_WIDGET (lk_rules_spin_row (
    _("Capacity"), _("Open leads at most; 0 for no limit"), 0, 100000,
    (double) lk_record_get_int (record, LK_USER_CAPACITY), G_CALLBACK (member_changed_cb), self,
    &rows->capacity)));

  remove_row = ADW_ACTION_ROW (adw_action_row_new ());
  remove = gtk_button_new_with_mnemonic (_("_Remove from the Team"));
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "destructive-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "team.remove-member");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "s", lk_record_get_id (record));
  adw_action_row_add_suffix (remove_row, remove);
  adw_expander_row_add_row (rows->row, GTK_WIDGET (remove_row));

  adw_preferences_group_add (self->members_group, GTK_WIDGET (rows->row));
  g_ptr_array_add (self->members, rows);
}

/* The choices of "This desktop's user is": the members, and the user
 * this desktop has when they are not one of them. */
static void
load_me (LkTeamPage *self,
         GPtrArray  *users)
{
  const char *me = lk_context_get_user_id (self->context);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  gboolean was_loading = self->loading;
  guint selected = 0;

  g_ptr_array_set_size (self->me_ids, 0);
  for (guint i = 0; users != NULL && i < users->len; i++)
    {
      LkUser *user = g_ptr_array_index (users, i);
      const char *id = lk_record_get_id (LK_RECORD (user));

      if (g_strcmp0 (id, me) == 0)
        selected = self->me_ids->len;
      gtk_string_list_append (names, lk_user_get_display_name (user));
      g_ptr_array_add (self->me_ids, g_strdup (id));
    }
  if (me != NULL && !g_ptr_array_find_with_equal_func (self->me_ids, me, g_str_equal, NULL))
    {
      /* Translators: this desktop's user, before they are added to the team */
      g_autofree char *name = g_strdup_printf (_("%s (not in the team)"), lk_user_id_get_name (me));

      selected = self->me_ids->len;
      gtk_string_list_append (names, name);
      g_ptr_array_add (self->me_ids, g_strdup (me));
    }
  self->loading = TRUE;
  adw_combo_row_set_model (self->me_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->me_row, selected);
  self->loading = was_loading;
}

static void
load (LkTeamPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = lk_store_list_users (lk_context_get_store (self->context), &error);

  self->loading = TRUE;
  for (guint i = 0; i < self->members->len; i++)
    adw_preferences_group_remove (self->members_group,
                                  GTK_WIDGET (((MemberRows *) g_ptr_array_index (self->members, i))->row));
  g_ptr_array_set_size (self->members, 0);

  if (users == NULL)
    set_error (self, error->message);
  for (guint i = 0; users != NULL && i < users->len; i++)
    add_member_rows (self, g_ptr_array_index (users, i));
  load_me (self, users);
  self->loading = FALSE;
}

static gboolean
save_member (LkTeamPage  *self,
             MemberRows  *rows,
             GError     **error)
{
  LkRecord *record = LK_RECORD (rows->user);
  g_autofree char *display_name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (rows->display_name))));
  g_auto(GStrv) regions = lk_rules_split_list (gtk_editable_get_text (GTK_EDITABLE (rows->regions)));
  g_auto(GStrv) industries = lk_rules_split_list (gtk_editable_get_text (GTK_EDITABLE (rows->industries)));
  guint role = adw_combo_row_get_selected (rows->role);
  g_autofree char *subtitle = NULL;

  if (display_name[0] == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Enter a name for “%s”, as the team knows them."),
                   lk_user_id_get_name (lk_record_get_id (record)));
      return FALSE;
    }
  lk_record_set_string (record, LK_USER_DISPLAY_NAME, display_name);
  lk_record_set_string (record, LK_USER_ROLE, role_keys[MIN (role, G_N_ELEMENTS (role_keys) - 1)]);
  lk_record_set_tags (record, LK_USER_REGIONS, (const char * const *) regions);
  lk_record_set_tags (record, LK_USER_INDUSTRIES, (const char * const *) industries);
  lk_record_set_bool (record, LK_USER_SENIOR, gtk_switch_get_active (rows->senior));
  lk_record_set_int (record, LK_USER_CAPACITY, gtk_spin_button_get_value_as_int (rows->capacity));
  if (!lk_store_save_user (lk_context_get_store (self->context), rows->user, error))
    return FALSE;
  subtitle = describe (rows->user);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rows->row), lk_user_get_display_name (rows->user));
  adw_expander_row_set_subtitle (rows->row, subtitle);
  return TRUE;
}

static void
member_changed_cb (LkTeamPage *self)
{
  g_autoptr(GError) error = NULL;

  if (self->loading)
    return;
  self->loading = TRUE;
  for (guint i = 0; error == NULL && i < self->members->len; i++)
    save_member (self, g_ptr_array_index (self->members, i), &error);
  set_error (self, error ? error->message : NULL);
  if (error == NULL)
    {
      /* A name changed shows in the choice of this desktop's user. */
      g_autoptr(GPtrArray) users = lk_store_list_users (lk_context_get_store (self->context), NULL);

      load_me (self, users);
    }
  self->loading = FALSE;
}

/* The codes lk-format knows, and the team's when it is another. */
static void
load_currency (LkTeamPage *self)
{
  g_autofree char *current = lk_store_get_currency (lk_context_get_store (self->context));
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  const char * const *codes = lk_currency_codes ();
  guint selected = 0;

  g_ptr_array_set_size (self->currency_codes, 0);
  for (guint i = 0; codes[i] != NULL; i++)
    g_ptr_array_add (self->currency_codes, g_strdup (codes[i]));
  if (!g_strv_contains (codes, current))
    g_ptr_array_add (self->currency_codes, g_strdup (current));
  for (guint i = 0; i < self->currency_codes->len; i++)
    {
      const char *code = g_ptr_array_index (self->currency_codes, i);
      /* Translators: a currency in a list: "NT$ TWD · New Taiwan dollar" */
      g_autofree char *label = g_strdup_printf (_("%s %s · %s"), lk_currency_symbol (code), code,
                                                lk_currency_name (code));

      if (g_str_equal (code, current))
        selected = i;
      gtk_string_list_append (model, label);
    }
  adw_combo_row_set_model (self->currency_row, G_LIST_MODEL (model));
  adw_combo_row_set_selected (self->currency_row, selected);
}

static void
currency_changed_cb (LkTeamPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *current = NULL;
  guint selected = adw_combo_row_get_selected (self->currency_row);
  const char *code;

  if (self->loading || selected >= self->currency_codes->len)
    return;
  code = g_ptr_array_index (self->currency_codes, selected);
  current = lk_store_get_currency (lk_context_get_store (self->context));
  if (g_str_equal (code, current))
    return;
  self->loading = TRUE;
  if (!lk_store_set_currency (lk_context_get_store (self->context), code, &error))
    set_error (self, error->message);
  else
    set_error (self, NULL);
  self->loading = FALSE;
}

static void
me_changed_cb (LkTeamPage *self)
{
  g_autoptr(GError) error = NULL;
  guint selected = adw_combo_row_get_selected (self->me_row);

  if (self->loading || selected >= self->me_ids->len)
    return;
  if (g_strcmp0 (g_ptr_array_index (self->me_ids, selected), lk_context_get_user_id (self->context)) == 0)
    return;
  /* Not rebuilt from notify::user-id while the combo row is choosing:
   * its model cannot be replaced under it. */
  self->loading = TRUE;
  if (!lk_context_set_user_id (self->context, g_ptr_array_index (self->me_ids, selected), &error))
    set_error (self, error->message);
  else
    set_error (self, NULL);
  self->loading = FALSE;
}

static void
user_id_changed_cb (LkTeamPage *self)
{
  if (!self->loading)
    load (self);
}

static void
add_member_cb (LkTeamPage  *self,
               AdwEntryRow *row)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  g_autofree char *id = NULL;
  g_autoptr(LkUser) existing = NULL;
  g_autoptr(LkUser) user = NULL;

  if (name[0] == '\0')
    {
      set_error (self, _("Enter the member’s user name on the sync server, such as “lilei”."));
      return;
    }
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isspace (g_utf8_get_char (p)) || *p == ':')
      {
        set_error (self, _("A user name has no spaces and no “:”: use the member’s user name on the sync server."));
        return;
      }
  id = lk_user_id_for_name (name);
  existing = lk_store_get_user (lk_context_get_store (self->context), id, NULL);
  if (existing != NULL && !lk_record_get_deleted (LK_RECORD (existing)))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is in the team already."), name);

      set_error (self, message);
      return;
    }
  if (existing != NULL)
    {
      /* Back in the team, with what they had. */
      user = g_steal_pointer (&existing);
      lk_record_set_deleted (LK_RECORD (user), FALSE);
    }
  else
    user = lk_user_new (name, name, "rep");
  if (!lk_store_save_user (lk_context_get_store (self->context), user, &error))
    {
      set_error (self, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (row), "");
  set_error (self, NULL);
  load (self);
}

static void
remove_member_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  LkTeamPage *self = LK_TEAM_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  LkStore *store = lk_context_get_store (self->context);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkUser) user = lk_store_get_user (store, id, &error);

  if (user != NULL)
    {
      lk_record_set_deleted (LK_RECORD (user), TRUE);
      lk_store_save_user (store, user, &error);
    }
  set_error (self, error ? error->message : NULL);
  load (self);
}

static void
store_changed_cb (LkTeamPage         *self,
                  const char         *doc_type,
                  const char * const *ids,
                  LkStore            *store)
{
  if (self->loading || self->error != NULL)
    return;
  if (doc_type == NULL || g_str_equal (doc_type, "user"))
    load (self);
  if (doc_type == NULL ||
      (g_str_equal (doc_type, "settings") && (ids == NULL || g_strv_contains (ids, "settings:general"))))
    {
      self->loading = TRUE;
      load_currency (self);
      self->loading = FALSE;
    }
}

static void
lk_team_page_constructed (GObject *object)
{
  LkTeamPage *self = LK_TEAM_PAGE (object);

  G_OBJECT_CLASS (lk_team_page_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  g_signal_connect_object (lk_context_get_store (self->context), "changed",
                           G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->context, "notify::user-id", G_CALLBACK (user_id_changed_cb), self, G_CONNECT_SWAPPED);
  self->loading = TRUE;
  load_currency (self);
  self->loading = FALSE;
  load (self);
}

static void
lk_team_page_dispose (GObject *object)
{
  LkTeamPage *self = LK_TEAM_PAGE (object);

  g_clear_object (&self->context);

  G_OBJECT_CLASS (lk_team_page_parent_class)->dispose (object);
}

static void
lk_team_page_finalize (GObject *object)
{
  LkTeamPage *self = LK_TEAM_PAGE (object);

  g_ptr_array_unref (self->members);
  g_ptr_array_unref (self->me_ids);
  g_ptr_array_unref (self->currency_codes);
  g_free (self->error);

  G_OBJECT_CLASS (lk_team_page_parent_class)->finalize (object);
}

static void
lk_team_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  LkTeamPage *self = LK_TEAM_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_team_page_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  LkTeamPage *self = LK_TEAM_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_team_page_class_init (LkTeamPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = lk_team_page_constructed;
  object_class->dispose = lk_team_page_dispose;
  object_class->finalize = lk_team_page_finalize;
  object_class->get_property = lk_team_page_get_property;
  object_class->set_property = lk_team_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, LK_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/preferences/lk-team-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LkTeamPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, LkTeamPage, me_row);
  gtk_widget_class_bind_template_child (widget_class, LkTeamPage, currency_row);
  gtk_widget_class_bind_template_child (widget_class, LkTeamPage, members_group);
  gtk_widget_class_bind_template_child (widget_class, LkTeamPage, new_member_row);
  gtk_widget_class_bind_template_callback (widget_class, me_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, currency_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_member_cb);

  gtk_widget_class_install_action (widget_class, "team.remove-member", "s", remove_member_action);
}

static void
lk_team_page_init (LkTeamPage *self)
{
  self->loading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->loading = FALSE;
  self->members = g_ptr_array_new_with_free_func (member_rows_free);
  self->me_ids = g_ptr_array_new_with_free_func (g_free);
  self->currency_codes = g_ptr_array_new_with_free_func (g_free);
}

LkTeamPage *
lk_team_page_new (LkContext *context)
{
  g_return_val_if_fail (LK_IS_CONTEXT (context), NULL);

  return g_object_new (LK_TYPE_TEAM_PAGE, "context", context, NULL);
}

/* Returns: (nullable): why the last change was not saved */
const char *
lk_team_page_get_error (LkTeamPage *self)
{
  g_return_val_if_fail (LK_IS_TEAM_PAGE (self), NULL);
  return self->error;
}
