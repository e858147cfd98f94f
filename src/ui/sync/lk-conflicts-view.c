/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-conflicts-view"

#include <glib/gi18n-lib.h>

#include "lk-doc.h"
#include "lk-store-sync.h"
#include "sync/lk-conflict-format.h"
#include "sync/lk-conflict-row.h"
#include "sync/lk-conflicts-view.h"

/* Conflicts are few (a true conflict needs two people on one field
 * before a sync), so the page is rebuilt whole from the store: one
 * AdwPreferencesGroup per lead, one LkConflictRow per conflict. */
struct _LkConflictsView
{
  AdwBin               parent_instance;

  /* Template widgets */
  GtkStack            *stack;
  AdwPreferencesPage  *page;
  GtkLabel            *error_label;

  /* Owned */
  LkContext           *context;
  GPtrArray           *groups;     /* AdwPreferencesGroup on the page */
  GPtrArray           *rows;       /* LkConflictRow in them (borrowed) */

  guint                count;
  guint                reload_id;
  gulong               changed_id;
};

G_DEFINE_FINAL_TYPE (LkConflictsView, lk_conflicts_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static LkStore *
get_store (LkConflictsView *self)
{
  return lk_context_get_store (self->context);
}

static void
show_error (LkConflictsView *self,
            const char      *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* A string member of a document's JSON text, or NULL. */
static char *
doc_string (const char *json,
            const char *member)
{
  g_autoptr(JsonObject) doc = json ? lk_doc_parse (json, -1, NULL) : NULL;
  const char *value = doc ? json_object_get_string_member_with_default (doc, member, NULL) : NULL;

  return value && value[0] ? g_strdup (value) : NULL;
}

static AdwPreferencesGroup *
make_group (LkConflictsView      *self,
            const LkSyncConflict *conflict,
            LkLead               *lead)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  g_autofree char *company = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *description = NULL;

  if (lead != NULL)
    {
      company = g_strdup (lk_lead_get_company (lead));
      contact = g_strdup (lk_lead_get_contact (lead));
    }
  else
    {
      /* Not here (any more): the documents still name it. */
      const char *json = g_strcmp0 (conflict->mine, "null") != 0 ? conflict->mine : conflict->theirs;

      company = doc_string (json, "company");
      contact = doc_string (json, "contact");
    }

  if (company != NULL && company[0] != '\0')
    {
      adw_preferences_group_set_title (group, company);
      if (contact != NULL && contact[0] != '\0')
        description = g_strdup (contact);
    }
  else if (contact != NULL && contact[0] != '\0')
    adw_preferences_group_set_title (group, contact);
  else
    adw_preferences_group_set_title (group, _("Lead without a name"));
  if (description != NULL)
    adw_preferences_group_set_description (group, description);
  return group;
}

static char *
user_name (LkConflictsView *self,
           const char      *user_id)
{
  g_autoptr(LkUser) user = NULL;

  if (user_id == NULL)
    return NULL;
  user = lk_store_get_user (get_store (self), user_id, NULL);
  return g_strdup (user ? lk_user_get_display_name (user) : lk_user_id_get_name (user_id));
}

static LkConflictRow *
make_row (LkConflictsView      *self,
          const LkSyncConflict *conflict,
          LkLead               *lead)
{
  LkConflictRow *row;

  switch (conflict->kind)
    {
    case LK_CONFLICT_THEY_DELETED:
      row = lk_conflict_row_new (conflict->id, _("Deleted on the server"));
      lk_conflict_row_set_explanation (row, _("Someone deleted this lead on the server while you were changing it here. Restore it with your changes, or let it be deleted."));
      lk_conflict_row_set_choices (row, _("_Restore"), TRUE, _("_Delete"), FALSE);
      break;

    case LK_CONFLICT_I_DELETED:
      {
        g_autofree char *by_id = doc_string (conflict->theirs, "updated_by");
        g_autofree char *by = user_name (self, by_id);
        g_autofree char *explanation = NULL;

        if (by != NULL)
          /* Translators: %s is the name of the person who changed the lead */
          explanation = g_strdup_printf (_("You deleted this lead while %s changed it on the server. Restore it with their changes, or delete it for everyone."), by);
        else
          explanation = g_strdup (_("You deleted this lead while someone else changed it on the server. Restore it with their changes, or delete it for everyone."));
        row = lk_conflict_row_new (conflict->id, _("Changed on the server"));
        lk_conflict_row_set_explanation (row, explanation);
        lk_conflict_row_set_choices (row, _("_Restore"), FALSE, _("_Delete"), TRUE);
      }
      break;

    case LK_CONFLICT_FIELD:
    default:
      {
        const char *field = conflict->field ? conflict->field : "";
        const char *currency = lead ? lk_record_get_string (LK_RECORD (lead), LK_LEAD_CURRENCY) : NULL;
        g_autofree char *title = lk_conflict_field_title (field);
        g_autofree char *mine = lk_conflict_format_value (self->context, field, conflict->mine, currency);
        g_autofree char *theirs = lk_conflict_format_value (self->context, field, conflict->theirs, currency);
        g_autofree char *base = lk_conflict_format_value (self->context, field, conflict->base, currency);

        row = lk_conflict_row_new (conflict->id, title);
        lk_conflict_row_set_values (row, mine, theirs, base);
        lk_conflict_row_set_choices (row, _("_Use Mine"), TRUE, _("_Keep Theirs"), FALSE);
      }
      break;
    }
  return row;
}

static void
set_count (LkConflictsView *self,
           guint            count)
{
  if (self->count == count)
    return;
  self->count = count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT]);
}

static gboolean
reload_idle_cb (gpointer user_data)
{
  LkConflictsView *self = user_data;

  self->reload_id = 0;
  lk_conflicts_view_reload (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_reload (LkConflictsView *self)
{
  if (self->reload_id == 0)
    self->reload_id = g_idle_add (reload_idle_cb, self);
}

static void
store_changed_cb (LkConflictsView    *self,
                  const char         *doc_type,
                  const char * const *ids,
                  LkStore            *store)
{
  if (doc_type == NULL || g_str_equal (doc_type, "conflict"))
    schedule_reload (self);
  else if (g_str_equal (doc_type, "lead"))
    {
      /* A lead's name may have changed, or a sync recorded conflicts
       * with its leads: cheap to count, and nothing to do at zero. */
      if (self->count > 0 || lk_store_count_conflicts (store, NULL) > 0)
        schedule_reload (self);
    }
}

static void
resolve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LkConflictsView *self = LK_CONFLICTS_VIEW (widget);
  g_autoptr(GError) error = NULL;
  gint64 id;
  gboolean use_mine;

  g_variant_get (parameter, "(xb)", &id, &use_mine);
  if (!lk_store_resolve_conflict (get_store (self), id, use_mine, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not resolve the conflict: %s"), error->message);

      show_error (self, message);
      return;
    }
  show_error (self, NULL);
  /* Not now: the button that asked is in the rows a reload replaces. */
  schedule_reload (self);
}

static void
lk_conflicts_view_constructed (GObject *object)
{
  LkConflictsView *self = LK_CONFLICTS_VIEW (object);

  G_OBJECT_CLASS (lk_conflicts_view_parent_class)->constructed (object);

  g_assert (self->context != NULL);
  self->changed_id = g_signal_connect_swapped (get_store (self), "changed",
                                               G_CALLBACK (store_changed_cb), self);
  lk_conflicts_view_reload (self);
}

static void
lk_conflicts_view_dispose (GObject *object)
{
  LkConflictsView *self = LK_CONFLICTS_VIEW (object);

  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->context != NULL)
    g_clear_signal_handler (&self->changed_id, get_store (self));
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (lk_conflicts_view_parent_class)->dispose (object);
}

static void
lk_conflicts_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LkConflictsView *self = LK_CONFLICTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_COUNT:
      g_value_set_uint (value, self->count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_conflicts_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  LkConflictsView *self = LK_CONFLICTS_VIEW (object);

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
lk_conflicts_view_class_init (LkConflictsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = lk_conflicts_view_constructed;
  object_class->dispose = lk_conflicts_view_dispose;
  object_class->get_property = lk_conflicts_view_get_property;
  object_class->set_property = lk_conflicts_view_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, LK_TYPE_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COUNT] =
    g_param_spec_uint ("count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/sync/lk-conflicts-view.ui");
  gtk_widget_class_bind_template_child (widget_class, LkConflictsView, stack);
  gtk_widget_class_bind_template_child (widget_class, LkConflictsView, page);
  gtk_widget_class_bind_template_child (widget_class, LkConflictsView, error_label);

  gtk_widget_class_install_action (widget_class, "conflicts.resolve", "(xb)", resolve_action);
}

static void
lk_conflicts_view_init (LkConflictsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->groups = g_ptr_array_new ();
  self->rows = g_ptr_array_new ();
}

LkConflictsView *
lk_conflicts_view_new (LkContext *context)
{
  g_return_val_if_fail (LK_IS_CONTEXT (context), NULL);

  return g_object_new (LK_TYPE_CONFLICTS_VIEW, "context", context, NULL);
}

guint
lk_conflicts_view_get_count (LkConflictsView *self)
{
  g_return_val_if_fail (LK_IS_CONFLICTS_VIEW (self), 0);
  return self->count;
}

/* Reads the open conflicts again and rebuilds the page. */
void
lk_conflicts_view_reload (LkConflictsView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GHashTable) by_doc = NULL;
  GtkRoot *root;
  GtkWidget *focus;
  gboolean had_focus;

  g_return_if_fail (LK_IS_CONFLICTS_VIEW (self));

  g_clear_handle_id (&self->reload_id, g_source_remove);
  conflicts = lk_store_list_conflicts (get_store (self), &error);
  if (conflicts == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not read the conflicts: %s"), error->message);

      show_error (self, message);
      return;
    }

  /* The focus is often on the button that resolved a conflict: take it
   * off the rows before they go, and give it to the next conflict after. */
  root = gtk_widget_get_root (GTK_WIDGET (self));
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  had_focus = focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->page));
  if (had_focus)
    gtk_root_set_focus (root, NULL);

  for (guint i = 0; i < self->groups->len; i++)
    adw_preferences_page_remove (self->page, g_ptr_array_index (self->groups, i));
  g_ptr_array_set_size (self->groups, 0);
  g_ptr_array_set_size (self->rows, 0);

  by_doc = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < conflicts->len; i++)
    {
      const LkSyncConflict *conflict = g_ptr_array_index (conflicts, i);
      g_autoptr(LkLead) lead = lk_store_get_lead (get_store (self), conflict->doc_id, NULL);
      AdwPreferencesGroup *group = g_hash_table_lookup (by_doc, conflict->doc_id);

      if (group == NULL)
        {
          group = make_group (self, conflict, lead);
          g_hash_table_insert (by_doc, g_strdup (conflict->doc_id), group);
          g_ptr_array_add (self->groups, group);
          adw_preferences_page_add (self->page, group);
        }
      {
        LkConflictRow *row = make_row (self, conflict, lead);

        g_ptr_array_add (self->rows, row);
        adw_preferences_group_add (group, GTK_WIDGET (row));
      }
    }

  gtk_stack_set_visible_child_name (self->stack, conflicts->len > 0 ? "list" : "empty");
  if (had_focus && self->rows->len > 0)
    gtk_widget_grab_focus (GTK_WIDGET (lk_conflict_row_get_button (g_ptr_array_index (self->rows, 0), 0)));
  set_count (self, conflicts->len);
}

GPtrArray *
lk_conflicts_view_list_rows (LkConflictsView *self)
{
  g_return_val_if_fail (LK_IS_CONFLICTS_VIEW (self), NULL);

  return g_ptr_array_copy (self->rows, NULL, NULL);
}
