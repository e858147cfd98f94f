/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-import-dialog"

#include <glib/gi18n-lib.h>

#include "lk-csv.h"
#include "lk-format.h"
#include "lk-import-dialog.h"

/* Import leads from a CSV file: pick the file, see how it was read (the
 * encoding and separator, which can be changed), the field each column
 * goes into with the first rows, defaults for source, campaign and owner,
 * and what to do with duplicates. Every change runs a dry run on a worker
 * thread, which shows how many rows are new, duplicates or invalid, and
 * lists the invalid ones by line. Import runs on a worker too, with a
 * progress bar and Cancel, and ends with ::imported, which the window
 * turns into a toast with Undo.
 *
 * Each run gets an LkImport of its own, made from the dialog's settings
 * on the main thread: the worker never shares state with the widgets. */

#define MAX_LISTED_PROBLEMS 200
#define PREVIEW_SHOWN 5

static const char * const encodings[] = { NULL, "UTF-8", "GB18030", "UTF-16LE", "UTF-16BE", "BIG5" };
static const char delimiters[] = { ',', ';', '\t' };

struct _LkImportDialog
{
  AdwWindow              parent_instance;

  /* Template widgets */
  AdwWindowTitle        *window_title;
  GtkStack              *stack;
  AdwStatusPage         *choose_page;
  AdwActionRow          *summary_row;
  GtkSpinner            *check_spinner;
  AdwExpanderRow        *invalid_row;
  AdwPreferencesGroup   *file_group;
  AdwComboRow           *encoding_row;
  AdwComboRow           *delimiter_row;
  AdwPreferencesGroup   *columns_group;
  GtkGrid               *preview_grid;
  AdwEntryRow           *source_row;
  AdwEntryRow           *campaign_row;
  AdwComboRow           *owner_row;
  AdwComboRow           *policy_row;
  AdwStatusPage         *progress_page;
  GtkProgressBar        *progress_bar;

  /* Owned */
  LkContext             *context;
  LkImport              *import;         /* the file as opened: headers, mapping, preview */
  LkImport              *checked;        /* the last dry run's result */
  LkImport              *running;        /* the import being written */
  GCancellable          *check_cancellable;
  GCancellable          *run_cancellable;
  GtkFileChooserNative  *chooser;
  GPtrArray             *column_rows;    /* AdwComboRow, one per column */
  GPtrArray             *problem_rows;   /* rows added to invalid_row */
  GPtrArray             *owner_ids;      /* char *, NULL for nobody; parallel to owner_row's items */

  guint                  updating : 1;   /* setting widgets from the import, not from the user */
  guint                  check_again : 1;
};

G_DEFINE_FINAL_TYPE (LkImportDialog, lk_import_dialog, ADW_TYPE_WINDOW)

enum {
  IMPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_check (LkImportDialog *self);

static void
update_actions (LkImportDialog *self)
{
  gboolean can_import = self->checked != NULL && self->running == NULL &&
                        !gtk_widget_get_visible (GTK_WIDGET (self->check_spinner)) &&
                        lk_import_get_n_created (self->checked) + lk_import_get_n_updated (self->checked) > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.run", can_import);
}

/* A new LkImport with the dialog's settings, for one run. */
static LkImport *
make_import (LkImportDialog  *self,
             GError         **error)
{
  g_autoptr(LkImport) import = lk_import_new (lk_import_get_path (self->import));
  guint owner = adw_combo_row_get_selected (self->owner_row);

  if (!lk_import_open (import, lk_import_get_encoding (self->import), lk_import_get_delimiter (self->import), error))
    return NULL;
  for (guint i = 0; i < MIN (lk_import_get_n_columns (import), lk_import_get_n_columns (self->import)); i++)
    lk_import_set_target (import, i, lk_import_get_target (self->import, i));
  lk_import_set_default_source (import, gtk_editable_get_text (GTK_EDITABLE (self->source_row)));
  lk_import_set_default_campaign (import, gtk_editable_get_text (GTK_EDITABLE (self->campaign_row)));
  if (owner < self->owner_ids->len)
    lk_import_set_default_owner (import, g_ptr_array_index (self->owner_ids, owner));
  lk_import_set_policy (import, adw_combo_row_get_selected (self->policy_row));
  return g_steal_pointer (&import);
}

static void
clear_problems (LkImportDialog *self)
{
  for (guint i = 0; i < self->problem_rows->len; i++)
    adw_expander_row_remove (self->invalid_row, g_ptr_array_index (self->problem_rows, i));
  g_ptr_array_set_size (self->problem_rows, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->invalid_row), FALSE);
}

static void
show_problems (LkImportDialog *self,
               LkImport       *import)
{
  GPtrArray *problems = lk_import_get_problems (import);

  clear_problems (self);
  for (guint i = 0; i < MIN (problems->len, MAX_LISTED_PROBLEMS); i++)
    {
      LkImportProblem *problem = g_ptr_array_index (problems, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = g_strdup_printf (_("Line %u"), problem->line);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), problem->reason);
      adw_expander_row_add_row (self->invalid_row, row);
      g_ptr_array_add (self->problem_rows, row);
    }
  if (problems->len > MAX_LISTED_PROBLEMS)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = g_strdup_printf (_("And %u more; “leadkeeper-cli import --dry-run” lists them all"),
                                                problems->len - MAX_LISTED_PROBLEMS);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_expander_row_add_row (self->invalid_row, row);
      g_ptr_array_add (self->problem_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->invalid_row), problems->len > 0);
}

static void
show_summary (LkImportDialog *self,
              LkImport       *import)
{
  g_autofree char *n_new = lk_format_count (lk_import_get_n_new (import));
  g_autofree char *n_dup = lk_format_count (lk_import_get_n_duplicates (import));
  g_autofree char *n_invalid = lk_format_count (lk_import_get_n_invalid (import));
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *created = lk_format_count (lk_import_get_n_created (import));
  g_autofree char *updated = lk_format_count (lk_import_get_n_updated (import));
  g_autofree char *skipped = lk_format_count (lk_import_get_n_skipped (import));

  /* Translators: the dry run's counts of rows */
  title = g_strdup_printf (_("%s new · %s duplicates · %s invalid"), n_new, n_dup, n_invalid);
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Import creates %s lead, updates %s and skips %s",
                                           "Import creates %s leads, updates %s and skips %s",
                                           (gulong) lk_import_get_n_created (import)),
                              created, updated, skipped);
  if (lk_import_get_n_events (import) > 0)
    {
      g_autofree char *n_events = lk_format_count (lk_import_get_n_events (import));
      g_autofree char *counts = g_steal_pointer (&subtitle);

      /* Translators: the dry run's summary, then the behaviour events of
       * the file's rows: "Import creates 3 leads, updates 0 and skips 1 · 12 events" */
      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %s event", "%s · %s events",
                                               (gulong) lk_import_get_n_events (import)),
                                  counts, n_events);
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->summary_row), title);
  adw_action_row_set_subtitle (self->summary_row, subtitle);
  show_problems (self, import);
}

static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(LkImportDialog) self = user_data;
  LkImport *import = LK_IMPORT (object);
  g_autoptr(GError) error = NULL;

  if (!lk_import_run_finish (import, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          gtk_spinner_stop (self->check_spinner);
          gtk_widget_set_visible (GTK_WIDGET (self->check_spinner), FALSE);
          if (self->check_again && gtk_widget_get_visible (GTK_WIDGET (self)))
            start_check (self);
          return;
        }
      g_clear_object (&self->checked);
      gtk_spinner_stop (self->check_spinner);
      gtk_widget_set_visible (GTK_WIDGET (self->check_spinner), FALSE);
      clear_problems (self);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->summary_row), _("The file cannot be imported"));
      adw_action_row_set_subtitle (self->summary_row, error->message);
      update_actions (self);
      return;
    }
  g_set_object (&self->checked, import);
  gtk_spinner_stop (self->check_spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->check_spinner), FALSE);
  show_summary (self, import);
  update_actions (self);
}

/* A dry run with the current settings; a running one is cancelled and
 * started again when it has stopped. */
static void
start_check (LkImportDialog *self)
{
  g_autoptr(LkImport) import = NULL;
  g_autoptr(GError) error = NULL;

  if (self->import == NULL || self->running != NULL)
    return;
  if (self->check_cancellable != NULL && !g_cancellable_is_cancelled (self->check_cancellable) &&
      gtk_widget_get_visible (GTK_WIDGET (self->check_spinner)))
    {
      self->check_again = TRUE;
      g_cancellable_cancel (self->check_cancellable);
      return;
    }
  self->check_again = FALSE;
  g_clear_object (&self->checked);
  gtk_widget_set_visible (GTK_WIDGET (self->check_spinner), TRUE);
  gtk_spinner_start (self->check_spinner);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->summary_row), _("Checking the file…"));
  adw_action_row_set_subtitle (self->summary_row, "");
  update_actions (self);

  import = make_import (self, &error);
  if (import == NULL)
    {
      gtk_spinner_stop (self->check_spinner);
      gtk_widget_set_visible (GTK_WIDGET (self->check_spinner), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->summary_row), _("The file cannot be imported"));
      adw_action_row_set_subtitle (self->summary_row, error->message);
      return;
    }
  g_clear_object (&self->check_cancellable);
  self->check_cancellable = g_cancellable_new ();
  lk_import_run_async (import, lk_context_get_store (self->context), TRUE, self->check_cancellable,
                       check_done_cb, g_object_ref (self));
}

static void
column_changed_cb (LkImportDialog *self,
                   GParamSpec     *pspec,
                   AdwComboRow    *row)
{
  guint column;

  if (self->updating)
    return;
  if (!g_ptr_array_find (self->column_rows, row, &column))
    return;
  lk_import_set_target (self->import, column, adw_combo_row_get_selected (row));
  start_check (self);
}

static char *
sample_values (LkImport *import,
               guint     column)
{
  GPtrArray *preview = lk_import_get_preview (import);
  g_autoptr(GString) out = g_string_new (NULL);
  guint shown = 0;

  for (guint r = 0; r < preview->len && shown < 3; r++)
    {
      char **row = g_ptr_array_index (preview, r);

      if (column < g_strv_length (row) && row[column][0] != '\0')
        {
          g_autofree char *line = g_strdup (row[column]);

          g_strdelimit (line, "\r\n", ' ');
          g_string_append_printf (out, "%s%s", shown++ ? " · " : "", line);
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static GtkWidget *
preview_label (const char *text,
               gboolean    header)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  if (header)
    gtk_widget_add_css_class (label, "heading");
  return label;
}

static void
fill_preview (LkImportDialog *self)
{
  GPtrArray *preview = lk_import_get_preview (self->import);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->preview_grid))) != NULL)
    gtk_grid_remove (self->preview_grid, child);
  for (guint c = 0; c < lk_import_get_n_columns (self->import); c++)
    {
      gtk_grid_attach (self->preview_grid, preview_label (lk_import_get_header (self->import, c), TRUE),
                       (int) c, 0, 1, 1);
      for (guint r = 0; r < MIN (preview->len, PREVIEW_SHOWN); r++)
        {
          char **row = g_ptr_array_index (preview, r);
          g_autofree char *text = g_strdup (c < g_strv_length (row) ? row[c] : "");

          g_strdelimit (text, "\r\n", ' ');
          gtk_grid_attach (self->preview_grid, preview_label (text, FALSE), (int) c, (int) r + 1, 1, 1);
        }
    }
}

static void
fill_columns (LkImportDialog *self)
{
  g_autoptr(GtkStringList) targets = gtk_string_list_new (NULL);

  for (guint i = 0; i < self->column_rows->len; i++)
    adw_preferences_group_remove (self->columns_group, g_ptr_array_index (self->column_rows, i));
  g_ptr_array_set_size (self->column_rows, 0);
  for (guint t = 0; t < LK_IMPORT_N_TARGETS; t++)
    gtk_string_list_append (targets, lk_import_target_get_label (t));

  for (guint c = 0; c < lk_import_get_n_columns (self->import); c++)
    {
      AdwComboRow *row = ADW_COMBO_ROW (adw_combo_row_new ());
      g_autofree char *samples = sample_values (self->import, c);
      const char *header = lk_import_get_header (self->import, c);
      g_autofree char *title = header[0] ? g_strdup (header) : g_strdup_printf (_("Column %u"), c + 1);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), samples);
      adw_combo_row_set_model (row, G_LIST_MODEL (targets));
      adw_combo_row_set_selected (row, lk_import_get_target (self->import, c));
      g_signal_connect_object (row, "notify::selected", G_CALLBACK (column_changed_cb), self, G_CONNECT_SWAPPED);
      adw_preferences_group_add (self->columns_group, GTK_WIDGET (row));
      g_ptr_array_add (self->column_rows, row);
    }
}

/* Shows what lk_import_open() found. */
static void
show_file (LkImportDialog *self)
{
  g_autofree char *basename = g_path_get_basename (lk_import_get_path (self->import));
  g_autofree char *detected = g_strdup_printf (_("Detected: %s"), lk_import_get_encoding (self->import));
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint delimiter = 0;

  self->updating = TRUE;
  adw_window_title_set_subtitle (self->window_title, basename);
  gtk_string_list_append (names, detected);
  for (guint i = 1; i < G_N_ELEMENTS (encodings); i++)
    gtk_string_list_append (names, encodings[i]);
  adw_combo_row_set_model (self->encoding_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->encoding_row, 0);
  for (guint i = 0; i < G_N_ELEMENTS (delimiters); i++)
    if (delimiters[i] == lk_import_get_delimiter (self->import))
      delimiter = i;
  adw_combo_row_set_selected (self->delimiter_row, delimiter);
  /* Each value of a vCard names its own charset; cards have no separator. */
  gtk_widget_set_visible (GTK_WIDGET (self->file_group), !lk_import_get_is_vcard (self->import));
  fill_columns (self);
  fill_preview (self);
  self->updating = FALSE;
  gtk_stack_set_visible_child_name (self->stack, "setup");
}

static void
reopen (LkImportDialog *self)
{
  g_autoptr(GError) error = NULL;
  guint e = adw_combo_row_get_selected (self->encoding_row);
  guint d = adw_combo_row_get_selected (self->delimiter_row);
  const char *encoding = e < G_N_ELEMENTS (encodings) ? encodings[e] : NULL;

  if (self->import == NULL)
    return;
  if (!lk_import_open (self->import, encoding, d < G_N_ELEMENTS (delimiters) ? delimiters[d] : 0, &error))
    {
      g_clear_object (&self->checked);
      update_actions (self);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->summary_row), _("The file cannot be read this way"));
      adw_action_row_set_subtitle (self->summary_row, error->message);
      return;
    }
  self->updating = TRUE;
  fill_columns (self);
  fill_preview (self);
  self->updating = FALSE;
  start_check (self);
}

static void
reading_changed_cb (LkImportDialog *self,
                    GParamSpec     *pspec,
                    AdwComboRow    *row)
{
  if (!self->updating)
    reopen (self);
}

static void
defaults_changed_cb (LkImportDialog *self)
{
  if (!self->updating)
    start_check (self);
}

static void
fill_owners (LkImportDialog *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) users = lk_store_list_users (lk_context_get_store (self->context), NULL);

  g_ptr_array_set_size (self->owner_ids, 0);
  gtk_string_list_append (names, _("Nobody (the pool)"));
  g_ptr_array_add (self->owner_ids, NULL);
  for (guint i = 0; users != NULL && i < users->len; i++)
    {
      LkUser *user = g_ptr_array_index (users, i);

      gtk_string_list_append (names, lk_user_get_display_name (user));
      g_ptr_array_add (self->owner_ids, g_strdup (lk_record_get_id (LK_RECORD (user))));
    }
  self->updating = TRUE;
  adw_combo_row_set_model (self->owner_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->owner_row, 0);
  self->updating = FALSE;
}

static void
fraction_cb (LkImportDialog *self,
             GParamSpec     *pspec,
             LkImport       *import)
{
  double fraction = lk_import_get_fraction (import);
  g_autofree char *text = g_strdup_printf (_("%d %%"), (int) (fraction * 100));

  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(LkImportDialog) self = user_data;
  g_autoptr(LkImport) import = g_steal_pointer (&self->running);
  g_autoptr(GError) error = NULL;

  g_signal_handlers_disconnect_by_func (import, fraction_cb, self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->policy_row), TRUE);
  if (!lk_import_run_finish (import, result, &error))
    {
      gtk_stack_set_visible_child_name (self->stack, "setup");
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->summary_row), _("Import cancelled"));
          adw_action_row_set_subtitle (self->summary_row, _("Nothing was imported"));
        }
      else
        {
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->summary_row),
                                         _("The import failed; nothing was imported"));
          adw_action_row_set_subtitle (self->summary_row, error->message);
        }
      g_clear_object (&self->checked);
      update_actions (self);
      return;
    }
  g_signal_emit (self, signals[IMPORTED], 0, lk_import_get_id (import),
                 lk_import_get_n_created (import), lk_import_get_n_updated (import));
  gtk_window_close (GTK_WINDOW (self));
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  LkImportDialog *self = LK_IMPORT_DIALOG (widget);
  g_autoptr(GError) error = NULL;

  if (self->running != NULL || self->import == NULL)
    return;
  self->running = make_import (self, &error);
  if (self->running == NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->summary_row), _("The file cannot be imported"));
      adw_action_row_set_subtitle (self->summary_row, error->message);
      return;
    }
  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->run_cancellable);
  self->run_cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_progress_bar_set_text (self->progress_bar, NULL);
  gtk_stack_set_visible_child_name (self->stack, "progress");
  update_actions (self);
  g_signal_connect_object (self->running, "notify::fraction", G_CALLBACK (fraction_cb), self, G_CONNECT_SWAPPED);
  lk_import_run_async (self->running, lk_context_get_store (self->context), FALSE, self->run_cancellable,
                       run_done_cb, g_object_ref (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LkImportDialog *self = LK_IMPORT_DIALOG (widget);

  /* While importing, Cancel stops the import (which takes back what it
   * wrote) and the dialog stays; otherwise it closes. */
  if (self->running != NULL)
    {
      g_cancellable_cancel (self->run_cancellable);
      adw_status_page_set_title (self->progress_page, _("Cancelling…"));
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

static void
chooser_response_cb (LkImportDialog       *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  path = file ? g_file_get_path (file) : NULL;
  if (path == NULL)
    return;
  if (!lk_import_dialog_set_file (self, path, &error))
    adw_status_page_set_description (self->choose_page, error->message);
}

static void
choose_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LkImportDialog *self = LK_IMPORT_DIALOG (widget);
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (self->chooser == NULL)
    {
      self->chooser = gtk_file_chooser_native_new (_("Choose a CSV or vCard File"), GTK_WINDOW (self),
                                                   GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
      gtk_file_filter_set_name (csv, _("CSV, text and vCard files"));
      gtk_file_filter_add_mime_type (csv, "text/csv");
      gtk_file_filter_add_mime_type (csv, "text/vcard");
      gtk_file_filter_add_suffix (csv, "csv");
      gtk_file_filter_add_suffix (csv, "txt");
      gtk_file_filter_add_suffix (csv, "tsv");
      gtk_file_filter_add_suffix (csv, "vcf");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), csv);
      gtk_file_filter_set_name (all, _("All files"));
      gtk_file_filter_add_pattern (all, "*");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
      g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self, G_CONNECT_SWAPPED);
    }
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static gboolean
lk_import_dialog_close_request (GtkWindow *window)
{
  LkImportDialog *self = LK_IMPORT_DIALOG (window);

  /* Closing while importing cancels the import, which takes back its rows. */
  g_cancellable_cancel (self->check_cancellable);
  g_cancellable_cancel (self->run_cancellable);
  return GTK_WINDOW_CLASS (lk_import_dialog_parent_class)->close_request (window);
}

static void
lk_import_dialog_dispose (GObject *object)
{
  LkImportDialog *self = LK_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->check_cancellable);
  g_cancellable_cancel (self->run_cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  G_OBJECT_CLASS (lk_import_dialog_parent_class)->dispose (object);
}

static void
lk_import_dialog_finalize (GObject *object)
{
  LkImportDialog *self = LK_IMPORT_DIALOG (object);

  g_clear_object (&self->context);
  g_clear_object (&self->import);
  g_clear_object (&self->checked);
  g_clear_object (&self->running);
  g_clear_object (&self->check_cancellable);
  g_clear_object (&self->run_cancellable);
  g_clear_pointer (&self->column_rows, g_ptr_array_unref);
  g_clear_pointer (&self->problem_rows, g_ptr_array_unref);
  g_clear_pointer (&self->owner_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (lk_import_dialog_parent_class)->finalize (object);
}

static void
lk_import_dialog_class_init (LkImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lk_import_dialog_dispose;
  object_class->finalize = lk_import_dialog_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = lk_import_dialog_close_request;

  /**
   * LkImportDialog::imported:
   * @import_id: the import, for Undo
   * @n_created: leads created
   * @n_updated: leads updated
   */
  signals[IMPORTED] =
    g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_UINT, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/leadkeeper/Leadkeeper/io/lk-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, LkImportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, LkImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, LkImportDialog, choose_page);
  gtk_widget_class_bind_template_child (widget_class, LkImportDialog, summary_row);
  gtk_widget_class_bind_template_child (widget_class, LkImportDialog, check_spinner);
  gtk_widget_class_bind_template_child (widget_class, LkImportDialog, invalid_row);
  gtk_widget_class_bind_template_child (widget_class, LkImportDialog, file_group);
  gtk_widget_class_bind_template_child (widget_class, LkImportDialog, encoding_row);
  gtk_widget_class_bind_template_child (widget_class, LkImportDialog, delimiter_row);
  gtk_widget_class_bind_template_child (widget_class, LkImportDialog, columns_group);
  gtk_widget_class_bind_template_child (widget_class, LkImportDialog, preview_grid);
  gtk_widget_class_bind_template_child (widget_class, LkImportDialog, source_row);
  gtk_widget_class_bind_template_child (widget_class, LkImportDialog, campaign_row);
  gtk_widget_class_bind_template_child (widget_class, LkImportDialog, owner_row);
  gtk_widget_class_bind_template_child (widget_class, LkImportDialog, policy_row);
  gtk_widget_class_bind_template_child (widget_class, LkImportDialog, progress_page);
  gtk_widget_class_bind_template_child (widget_class, LkImportDialog, progress_bar);

  gtk_widget_class_install_action (widget_class, "import.choose", NULL, choose_action);
  gtk_widget_class_install_action (widget_class, "import.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "import.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "import.cancel", NULL);
}

static void
lk_import_dialog_init (LkImportDialog *self)
{
  g_autoptr(GtkStringList) separators = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->column_rows = g_ptr_array_new ();
  self->problem_rows = g_ptr_array_new ();
  self->owner_ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < G_N_ELEMENTS (delimiters); i++)
    gtk_string_list_append (separators, lk_csv_delimiter_name (delimiters[i]));
  adw_combo_row_set_model (self->delimiter_row, G_LIST_MODEL (separators));

  g_signal_connect_object (self->encoding_row, "notify::selected", G_CALLBACK (reading_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->delimiter_row, "notify::selected", G_CALLBACK (reading_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->owner_row, "notify::selected", G_CALLBACK (defaults_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->policy_row, "notify::selected", G_CALLBACK (defaults_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->source_row, "apply", G_CALLBACK (defaults_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->campaign_row, "apply", G_CALLBACK (defaults_changed_cb), self, G_CONNECT_SWAPPED);
  adw_entry_row_set_show_apply_button (self->source_row, TRUE);
  adw_entry_row_set_show_apply_button (self->campaign_row, TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.run", FALSE);
}

LkImportDialog *
lk_import_dialog_new (LkContext *context)
{
  LkImportDialog *self;

  g_return_val_if_fail (LK_IS_CONTEXT (context), NULL);

  self = g_object_new (LK_TYPE_IMPORT_DIALOG, NULL);
  self->context = g_object_ref (context);
  fill_owners (self);
  return self;
}

/**
 * lk_import_dialog_set_file:
 *
 * Opens @path as the file chooser does: reads how it is written, maps its
 * columns, shows the preview and starts the dry run.
 */
gboolean
lk_import_dialog_set_file (LkImportDialog  *self,
                           const char      *path,
                           GError         **error)
{
  g_autoptr(LkImport) import = NULL;

  g_return_val_if_fail (LK_IS_IMPORT_DIALOG (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  import = lk_import_new (path);
  if (!lk_import_open (import, NULL, 0, error))
    return FALSE;
  g_set_object (&self->import, import);
  show_file (self);
  start_check (self);
  return TRUE;
}

/* As if chosen in the column's menu */
void
lk_import_dialog_set_target (LkImportDialog *self,
                             guint           column,
                             LkImportTarget  target)
{
  g_return_if_fail (LK_IS_IMPORT_DIALOG (self));
  g_return_if_fail (column < self->column_rows->len);

  adw_combo_row_set_selected (g_ptr_array_index (self->column_rows, column), target);
}

/* Whether a dry run or an import is running */
gboolean
lk_import_dialog_get_busy (LkImportDialog *self)
{
  g_return_val_if_fail (LK_IS_IMPORT_DIALOG (self), FALSE);
  return self->running != NULL || gtk_widget_get_visible (GTK_WIDGET (self->check_spinner));
}

/* Returns: (transfer none) (nullable): the last dry run, with its counts
 *   and invalid rows */
LkImport *
lk_import_dialog_get_checked (LkImportDialog *self)
{
  g_return_val_if_fail (LK_IS_IMPORT_DIALOG (self), NULL);
  return self->checked;
}
