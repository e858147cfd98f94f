/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-duplicates-window"

#include <glib/gi18n-lib.h>

#include "lk-duplicates-window.h"
#include "lk-format.h"
#include "lk-merge-dialog.h"
#include "lk-store-merge.h"

/* Find Duplicates: the groups of leads that are one customer, from a scan
 * of the whole database on a worker thread (its own connection), newest
 * first, each with Merge… (LkMergeDialog). A group's leads are read when
 * its row is shown. After a merge the scan runs again. */

struct _LkDuplicatesWindow
{
  AdwWindow        parent_instance;

  /* Template widgets */
  AdwWindowTitle  *window_title;
  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  GtkSpinner      *spinner;
  GtkListView     *list_view;

  /* Owned */
  LkContext       *context;
  GListStore      *groups;       /* LkDuplicateGroup */
  GCancellable    *cancellable;  /* the scan running, or NULL */
};

G_DEFINE_FINAL_TYPE (LkDuplicatesWindow, lk_duplicates_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
key_label (LkDuplicateKey key)
{
  switch (key)
    {
    case LK_DUPLICATE_PHONE:
      return _("Same phone");
    case LK_DUPLICATE_EMAIL:
      return _("Same email");
    case LK_DUPLICATE_COMPANY:
      return _("Same company and contact");
    case LK_DUPLICATE_NONE:
    default:
      return "";
    }
}

static char *
describe_lead (LkDuplicatesWindow *self,
               LkLead             *lead)
{
  LkRecord *record = LK_RECORD (lead);
  GTimeZone *tz = lk_clock_get_timezone (lk_context_get_clock (self->context));
  const char *owner = lk_lead_get_owner (lead);
  g_autofree char *since = lk_format_date_short (lk_record_get_int (record, LK_LEAD_CREATED_AT), tz);
  g_autoptr(GString) line = g_string_new (lk_lead_get_display_name (lead));
  const char *parts[] = {
    lk_lead_get_company (lead)[0] ? lk_lead_get_contact (lead) : "",
    lk_record_get_string (record, LK_LEAD_PHONE),
    lk_record_get_string (record, LK_LEAD_EMAIL),
  };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (parts[i] != NULL && parts[i][0] != '\0')
      g_string_append_printf (line, " · %s", parts[i]);
  if (owner != NULL)
    {
      LkUser *user = g_hash_table_lookup (lk_store_get_users_by_id (lk_context_get_store (self->context)), owner);

      /* Translators: after a lead's name and phone in Find Duplicates */
      g_string_append_printf (line, _(" · owned by %s since %s"),
                              user ? lk_user_get_display_name (user) : lk_user_id_get_name (owner), since);
    }
  else
    /* Translators: after a lead's name and phone in Find Duplicates */
    g_string_append_printf (line, _(" · in the pool since %s"), since);
  return g_string_free (g_steal_pointer (&line), FALSE);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              LkDuplicatesWindow       *self)
{
  /* The group's title with Merge beside it, its leads below at the
   * row's width: beside a wrapping label, the button was pushed out of
   * the window by long lines. */
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *leads = gtk_label_new (NULL);
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Merge…"));

  gtk_widget_set_margin_top (box, 9);
  gtk_widget_set_margin_bottom (box, 9);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (leads), 0);
  gtk_label_set_wrap (GTK_LABEL (leads), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (leads), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_width_chars (GTK_LABEL (leads), 20);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  /* The row's position is set at bind; the action needs a target of its
   * type from the start. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u", 0);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "dedup.merge");
  gtk_box_append (GTK_BOX (header), title);
  gtk_box_append (GTK_BOX (header), button);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), leads);
  gtk_list_item_set_child (item, box);
  gtk_list_item_set_activatable (item, FALSE);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             LkDuplicatesWindow       *self)
{
  LkDuplicateGroup *group = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *header = gtk_widget_get_first_child (box);
  GtkWidget *title = gtk_widget_get_first_child (header);
  GtkWidget *button = gtk_widget_get_next_sibling (title);
  GtkWidget *leads_label = gtk_widget_get_next_sibling (header);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autofree char *heading = NULL;
  GPtrArray *leads;

  leads = lk_duplicate_group_load_leads (group, lk_context_get_store (self->context), &error);
  if (leads == NULL)
    {
      gtk_label_set_text (GTK_LABEL (leads_label), error->message);
      return;
    }
  for (guint i = 0; i < leads->len; i++)
    {
      g_autofree char *line = describe_lead (self, g_ptr_array_index (leads, i));

      g_string_append_printf (lines, "%s%s", i ? "\n" : "", line);
    }
  /* Translators: a group in Find Duplicates: "Same phone · 3 leads" */
  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u lead", "%s · %u leads", leads->len),
                             key_label (lk_duplicate_group_get_key (group)), leads->len);
  gtk_label_set_text (GTK_LABEL (title), heading);
  gtk_label_set_text (GTK_LABEL (leads_label), lines->str);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u", gtk_list_item_get_position (item));
  /* A lead merged or deleted since the scan */
  gtk_widget_set_sensitive (button, leads->len >= 2);
}

static void
set_busy (LkDuplicatesWindow *self,
          gboolean            busy)
{
  gtk_spinner_set_spinning (self->spinner, busy);
  if (busy)
    gtk_stack_set_visible_child_name (self->stack, "scanning");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
scan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LkStore *worker = task_data;
  GError *error = NULL;
  GPtrArray *groups = lk_store_scan_duplicates (worker, cancellable, &error);

  if (groups == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, groups, (GDestroyNotify) g_ptr_array_unref);
}

static void
scanned_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  LkDuplicatesWindow *self = LK_DUPLICATES_WINDOW (object);
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *subtitle = NULL;

  groups = g_task_propagate_pointer (G_TASK (result), &error);
  /* Cancelled by a new scan, or the window closed */
  if ((groups == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) || self->groups == NULL)
    return;
  g_clear_object (&self->cancellable);
  if (groups == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not look for duplicates: %s"), error->message);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
      groups = g_ptr_array_new ();
    }
  /* One items-changed for the whole list */
  g_list_store_splice (self->groups, 0, g_list_model_get_n_items (G_LIST_MODEL (self->groups)),
                       groups->pdata, groups->len);
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u group", "%u groups", groups->len), groups->len);
  adw_window_title_set_subtitle (self->window_title, groups->len > 0 ? subtitle : NULL);
  gtk_stack_set_visible_child_name (self->stack, groups->len > 0 ? "groups" : "empty");
  set_busy (self, FALSE);
}

static void
merged_cb (LkDuplicatesWindow *self,
           const char         *primary_id,
           guint               n_merged,
           const char         *merge_id,
           LkMergeDialog      *dialog)
{
  g_autofree char *title = NULL;
  g_autoptr(LkLead) primary = lk_store_get_lead (lk_context_get_store (self->context), primary_id, NULL);
  AdwToast *toast;

  /* Translators: a toast after a merge: "Merged 2 leads into 华信科技" */
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Merged %u lead into “%s”", "Merged %u leads into “%s”", n_merged),
                           n_merged, primary ? lk_lead_get_display_name (primary) : primary_id);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "dedup.unmerge");
  adw_toast_set_action_target_value (toast, g_variant_new_string (merge_id));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  lk_duplicates_window_scan (self);
}

static void
unmerge_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LkDuplicatesWindow *self = LK_DUPLICATES_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!lk_store_unmerge (lk_context_get_store (self->context), g_variant_get_string (parameter, NULL), &error))
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Merge undone")));
  lk_duplicates_window_scan (self);
}

static void
merge_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  LkDuplicatesWindow *self = LK_DUPLICATES_WINDOW (widget);
  g_autoptr(LkDuplicateGroup) group = g_list_model_get_item (G_LIST_MODEL (self->groups), g_variant_get_uint32 (parameter));
  g_autoptr(GError) error = NULL;
  LkMergeDialog *dialog;
  GPtrArray *leads;

  if (group == NULL)
    return;
  leads = lk_duplicate_group_load_leads (group, lk_context_get_store (self->context), &error);
  if (leads == NULL || leads->len < 2)
    return;
  dialog = lk_merge_dialog_new (self->context, leads);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  g_signal_connect_object (dialog, "merged", G_CALLBACK (merged_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
scan_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  lk_duplicates_window_scan (LK_DUPLICATES_WINDOW (widget));
}

static void
lk_duplicates_window_dispose (GObject *object)
{
  LkDuplicatesWindow *self = LK_DUPLICATES_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->groups);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (lk_duplicates_window_parent_class)->dispose (object);
}

static void
lk_duplicates_window_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  LkDuplicatesWindow *self = LK_DUPLICATES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, lk_duplicates_window_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_duplicates_window_class_init (LkDuplicatesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_duplicates_window_dispose;
  object_class->get_property = lk_duplicates_window_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/leadkeeper/Leadkeeper/dedup/lk-duplicates-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LkDuplicatesWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, LkDuplicatesWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LkDuplicatesWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, LkDuplicatesWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, LkDuplicatesWindow, list_view);

  gtk_widget_class_install_action (widget_class, "dedup.scan", NULL, scan_action);
  gtk_widget_class_install_action (widget_class, "dedup.merge", "u", merge_action);
  gtk_widget_class_install_action (widget_class, "dedup.unmerge", "s", unmerge_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "dedup.scan", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
lk_duplicates_window_init (LkDuplicatesWindow *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->groups = g_list_store_new (LK_TYPE_DUPLICATE_GROUP);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->groups)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
}

/* Opens the window and starts the scan */
LkDuplicatesWindow *
lk_duplicates_window_new (LkContext *context)
{
  LkDuplicatesWindow *self;

  g_return_val_if_fail (LK_IS_CONTEXT (context), NULL);

  self = g_object_new (LK_TYPE_DUPLICATES_WINDOW, NULL);
  self->context = g_object_ref (context);
  lk_duplicates_window_scan (self);
  return self;
}

/* Scans again (a scan running is cancelled) */
void
lk_duplicates_window_scan (LkDuplicatesWindow *self)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  LkStore *worker;

  g_return_if_fail (LK_IS_DUPLICATES_WINDOW (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  worker = lk_store_open_worker (lk_context_get_store (self->context), &error);
  if (worker == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not look for duplicates: %s"), error->message);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
      return;
    }
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, scanned_cb, NULL);
  g_task_set_source_tag (task, lk_duplicates_window_scan);
  g_task_set_task_data (task, worker, g_object_unref);
  set_busy (self, TRUE);
  g_task_run_in_thread (task, scan_thread);
}

gboolean
lk_duplicates_window_get_busy (LkDuplicatesWindow *self)
{
  g_return_val_if_fail (LK_IS_DUPLICATES_WINDOW (self), FALSE);

  return self->cancellable != NULL;
}

/* Returns: (transfer none): the groups found, LkDuplicateGroup */
GListModel *
lk_duplicates_window_get_groups (LkDuplicatesWindow *self)
{
  g_return_val_if_fail (LK_IS_DUPLICATES_WINDOW (self), NULL);

  return G_LIST_MODEL (self->groups);
}
