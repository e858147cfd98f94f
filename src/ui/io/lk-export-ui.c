/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-export-ui"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-export.h"
#include "lk-export-ui.h"
#include "lk-format.h"
#include "lk-vcard.h"

/* Export from the window and from the lead editor: a save dialog (the
 * portal's where there is one) with the format and the encoding as its
 * choices, then LkExport on a worker thread, followed by a toast with
 * the progress and Cancel. The file chooser is GtkFileChooserNative, the
 * one GTK 4.8 has: GtkFileDialog is 4.10 (STYLE.md 16). */

typedef struct
{
  /* Owned */
  GtkFileChooserNative *chooser;
  LkContext            *context;
  LkLeadQuery          *query;
  GStrv                 ids;
  LkLead               *lead;        /* for one vCard */
  GObject              *owner;
  LkExport             *export;
  GFile                *file;
  GCancellable         *cancellable;
  AdwToast             *toast;

  LkExportToastFunc     show_toast;
  gulong                fraction_id;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  if (job->fraction_id != 0)
    g_signal_handler_disconnect (job->export, job->fraction_id);
  if (job->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (job->chooser));
  g_clear_object (&job->chooser);
  g_clear_object (&job->context);
  g_clear_object (&job->query);
  g_clear_pointer (&job->ids, g_strfreev);
  g_clear_object (&job->lead);
  g_clear_object (&job->owner);
  g_clear_object (&job->export);
  g_clear_object (&job->file);
  g_clear_object (&job->cancellable);
  g_clear_object (&job->toast);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExportJob, export_job_free)

static void
show_toast (ExportJob  *job,
            const char *title,
            gboolean    stays)
{
  AdwToast *toast = adw_toast_new (title);

  if (stays)
    adw_toast_set_timeout (toast, 0);
  job->show_toast (job->owner, toast);
}

/* The format the file's name asks for, if it has a known extension */
static gboolean
format_of_name (GFile          *file,
                LkExportFormat *format)
{
  g_autofree char *name = g_file_get_basename (file);
  const char *dot = name ? strrchr (name, '.') : NULL;

  return dot != NULL && lk_export_format_from_name (dot + 1, format);
}

static void
fraction_cb (LkExport   *export,
             GParamSpec *pspec,
             ExportJob  *job)
{
  g_autofree char *title = NULL;

  /* Translators: the toast while an export runs; %d is a percentage */
  title = g_strdup_printf (_("Exporting… %d%%"), (int) (lk_export_get_fraction (export) * 100));
  adw_toast_set_title (job->toast, title);
}

static void
cancel_cb (AdwToast  *toast,
           ExportJob *job)
{
  g_cancellable_cancel (job->cancellable);
}

static void
exported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(ExportJob) job = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (job->file);
  g_autofree char *title = NULL;

  adw_toast_dismiss (job->toast);
  if (!lk_export_to_file_finish (LK_EXPORT (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (job, _("Export cancelled"), FALSE);
      else
        {
          title = g_strdup_printf (_("Could not export: %s"), error->message);
          show_toast (job, title, TRUE);
        }
      return;
    }
  {
    guint n = lk_export_get_n_leads (job->export);
    g_autofree char *count = lk_format_count (n);

    /* Translators: "Exported 1,234 leads to leads.csv" */
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %s lead to %s", "Exported %s leads to %s", n),
                             count, name);
    show_toast (job, title, FALSE);
  }
}

static void
run_export (ExportJob      *job,
            LkExportFormat  format,
            gboolean        gb18030)
{
  g_autoptr(GError) error = NULL;

  job->export = lk_export_new (format);
  if (format == LK_EXPORT_CSV && gb18030)
    lk_export_set_encoding (job->export, "GB18030", &error);
  g_assert_no_error (error);
  if (job->ids != NULL)
    lk_export_set_ids (job->export, (const char * const *) job->ids);
  else
    lk_export_set_query (job->export, job->query);

  job->cancellable = g_cancellable_new ();
  job->toast = g_object_ref (adw_toast_new (_("Exporting…")));
  adw_toast_set_timeout (job->toast, 0);
  adw_toast_set_button_label (job->toast, _("_Cancel"));
  adw_toast_set_priority (job->toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect (job->toast, "button-clicked", G_CALLBACK (cancel_cb), job);
  job->fraction_id = g_signal_connect (job->export, "notify::fraction", G_CALLBACK (fraction_cb), job);
  job->show_toast (job->owner, g_object_ref (job->toast));

  lk_export_to_file_async (job->export, lk_context_get_store (job->context), job->file, job->cancellable,
                           exported_cb, job);
}

static void
leads_response_cb (GtkNativeDialog *chooser,
                   int              response,
                   ExportJob       *job)
{
  g_autoptr(GFile) chosen = NULL;
  const char *format_name = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "format");
  const char *encoding = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "encoding");
  LkExportFormat format = LK_EXPORT_CSV;

  gtk_native_dialog_hide (chooser);
  chosen = response == GTK_RESPONSE_ACCEPT ? gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser)) : NULL;
  if (chosen == NULL)
    {
      export_job_free (job);
      return;
    }
  /* A name that says .json or .vcf means it; otherwise the choice, whose
   * extension the name is given. */
  if (format_of_name (chosen, &format))
    job->file = g_steal_pointer (&chosen);
  else
    {
      g_autofree char *path = g_file_get_path (chosen);

      if (format_name != NULL)
        lk_export_format_from_name (format_name, &format);
      if (path != NULL)
        {
          g_autofree char *with = g_strconcat (path, ".", lk_export_format_get_extension (format), NULL);

          job->file = g_file_new_for_path (with);
        }
      else
        job->file = g_steal_pointer (&chosen);
    }
  run_export (job, format, g_strcmp0 (encoding, "gb18030") == 0);
}

static ExportJob *
export_job_new (LkContext          *context,
                LkLeadQuery        *query,
                const char * const *ids,
                LkExportToastFunc   show_toast,
                GObject            *owner)
{
  ExportJob *job = g_new0 (ExportJob, 1);

  job->context = g_object_ref (context);
  job->query = lk_lead_query_copy (query);
  job->ids = ids != NULL && ids[0] != NULL ? g_strdupv ((char **) ids) : NULL;
  job->show_toast = show_toast;
  job->owner = g_object_ref (owner);
  return job;
}

/**
 * lk_export_ui_start:
 * @ids: (nullable): the leads to export instead of @query's
 * @file: where to write; replaced only when the export is complete
 *
 * What the save dialog of lk_export_ui_export_leads() starts: the export
 * on a worker thread, and a toast with its progress and Cancel, then
 * its outcome.
 */
void
lk_export_ui_start (LkContext          *context,
                    LkLeadQuery        *query,
                    const char * const *ids,
                    GFile              *file,
                    LkExportFormat      format,
                    gboolean            gb18030,
                    LkExportToastFunc   show_toast,
                    GObject            *owner)
{
  ExportJob *job;

  g_return_if_fail (LK_IS_CONTEXT (context));
  g_return_if_fail (LK_IS_LEAD_QUERY (query));
  g_return_if_fail (G_IS_FILE (file));

  job = export_job_new (context, query, ids, show_toast, owner);
  job->file = g_object_ref (file);
  run_export (job, format, gb18030);
}

/**
 * lk_export_ui_export_leads:
 * @query: the filter to export, in its order
 * @ids: (nullable): the selected leads instead, in this order
 * @show_toast: shows the progress and the outcome on @owner
 *
 * Asks where to export, in which format and encoding, then exports on a
 * worker thread with a toast that follows it and can cancel it.
 */
void
lk_export_ui_export_leads (GtkWindow          *parent,
                           LkContext          *context,
                           LkLeadQuery        *query,
                           const char * const *ids,
                           LkExportToastFunc   show_toast,
                           GObject            *owner)
{
  ExportJob *job;
  const char *format_ids[] = { "csv", "json", "vcf", NULL };
  const char *format_labels[] = { _("CSV (Excel)"), _("JSON documents"), _("vCard"), NULL };
  const char *encoding_ids[] = { "utf-8", "gb18030", NULL };
  const char *encoding_labels[] = { _("UTF-8"), _("GB18030 (Excel on Chinese Windows)"), NULL };
  g_autoptr(GtkFileFilter) exports = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  g_return_if_fail (LK_IS_CONTEXT (context));
  g_return_if_fail (LK_IS_LEAD_QUERY (query));

  job = export_job_new (context, query, ids, show_toast, owner);
  job->chooser = gtk_file_chooser_native_new (job->ids ? _("Export Selected Leads") : _("Export Leads"), parent,
                                              GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (job->chooser), TRUE);
  /* The files an export may replace, rather than the chooser's "(None)" */
  gtk_file_filter_set_name (exports, _("CSV, JSON and vCard files"));
  gtk_file_filter_add_suffix (exports, "csv");
  gtk_file_filter_add_suffix (exports, "json");
  gtk_file_filter_add_suffix (exports, "vcf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (job->chooser), exports);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (job->chooser), all);
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (job->chooser), "format", _("Format"), format_ids, format_labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (job->chooser), "format", "csv");
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (job->chooser), "encoding", _("CSV encoding"), encoding_ids,
                               encoding_labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (job->chooser), "encoding", "utf-8");
  /* Translators: the file name an export suggests, without its extension */
  name = g_strconcat (C_("file name", "leads"), ".csv", NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (job->chooser), name);
  g_signal_connect (job->chooser, "response", G_CALLBACK (leads_response_cb), job);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (job->chooser));
}

static void
card_saved_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(ExportJob) job = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (job->file);
  g_autofree char *title = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      title = g_strdup_printf (_("Could not save the vCard: %s"), error->message);
      show_toast (job, title, TRUE);
      return;
    }
  /* Translators: "Saved 李雷.vcf" */
  title = g_strdup_printf (_("Saved %s"), name);
  show_toast (job, title, FALSE);
}

static void
card_response_cb (GtkNativeDialog *chooser,
                  int              response,
                  ExportJob       *job)
{
  g_autoptr(GBytes) bytes = NULL;
  char *card;

  gtk_native_dialog_hide (chooser);
  job->file = response == GTK_RESPONSE_ACCEPT ? gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser)) : NULL;
  if (job->file == NULL)
    {
      export_job_free (job);
      return;
    }
  card = lk_vcard_from_lead (job->lead, LK_VCARD_VERSION_4);
  bytes = g_bytes_new_take (card, strlen (card));
  g_file_replace_contents_bytes_async (job->file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                                       card_saved_cb, job);
}

/**
 * lk_export_ui_export_vcard:
 * @lead: the lead as it is now (a copy is taken)
 *
 * Asks where to save @lead as a vCard 4.0 file, and saves it.
 */
void
lk_export_ui_export_vcard (GtkWindow          *parent,
                           LkLead             *lead,
                           LkExportToastFunc   show_toast,
                           GObject            *owner)
{
  ExportJob *job;
  g_autofree char *name = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  g_return_if_fail (LK_IS_LEAD (lead));

  job = g_new0 (ExportJob, 1);
  job->lead = lk_lead_copy (lead);
  job->show_toast = show_toast;
  job->owner = g_object_ref (owner);
  job->chooser = gtk_file_chooser_native_new (_("Export as vCard"), parent, GTK_FILE_CHOOSER_ACTION_SAVE,
                                              _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (job->chooser), TRUE);
  gtk_file_filter_set_name (filter, _("vCard files"));
  gtk_file_filter_add_suffix (filter, "vcf");
  gtk_file_filter_add_mime_type (filter, "text/vcard");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (job->chooser), filter);
  /* "李雷.vcf", "Northwind GmbH.vcf": the name the lead goes by */
  name = g_strconcat (lk_lead_get_display_name (lead), ".vcf", NULL);
  g_strdelimit (name, "/\\:", '_');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (job->chooser), name);
  g_signal_connect (job->chooser, "response", G_CALLBACK (card_response_cb), job);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (job->chooser));
}
