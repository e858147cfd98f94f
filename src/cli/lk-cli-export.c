/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-cli"

#include <gio/gunixoutputstream.h>
#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <unistd.h>

#include "lk-cli-private.h"
#include "lk-error.h"
#include "lk-export.h"

/* `export`: the leads that match the filters of `leads list`, as CSV,
 * JSON or vCards, to a file (replaced only when complete) or stdout. */

gboolean
lk_cli_export (LkCli   *cli,
               GStrv    args,
               GError **error)
{
  g_autofree char *format_name = NULL;
  g_autofree char *encoding = NULL;
  g_autofree char *output = NULL;
  g_autofree char *stage = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *source = NULL;
  g_autofree char *grade = NULL;
  g_autofree char *temperature = NULL;
  g_autofree char *tag = NULL;
  g_autofree char *search = NULL;
  gboolean pool = FALSE;
  gboolean overdue = FALSE;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name, N_("csv (default), json or vcf"), N_("FORMAT") },
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &encoding, N_("The CSV file’s encoding: UTF-8 (default, with a BOM for Excel) or GB18030"), N_("ENCODING") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to FILE instead of the standard output"), N_("FILE") },
    { "stage", 0, 0, G_OPTION_ARG_FILENAME, &stage, N_("Only leads in this stage"), N_("STAGE") },
    { "owner", 0, 0, G_OPTION_ARG_FILENAME, &owner, N_("Only leads of this owner (lilei or user:lilei)"), N_("USER") },
    { "pool", 0, 0, G_OPTION_ARG_NONE, &pool, N_("Only leads without an owner"), NULL },
    { "source", 0, 0, G_OPTION_ARG_FILENAME, &source, N_("Only leads from this source"), N_("SOURCE") },
    { "grade", 0, 0, G_OPTION_ARG_FILENAME, &grade, N_("Only leads of this grade: A, B or C"), N_("GRADE") },
    { "temperature", 0, 0, G_OPTION_ARG_FILENAME, &temperature, N_("Only hot, warm or cold leads"), N_("TEMPERATURE") },
    { "tag", 0, 0, G_OPTION_ARG_FILENAME, &tag, N_("Only leads with this tag"), N_("TAG") },
    { "overdue", 0, 0, G_OPTION_ARG_NONE, &overdue, N_("Only leads whose next follow-up is before today"), NULL },
    { "search", 0, 0, G_OPTION_ARG_FILENAME, &search, N_("Only leads whose text contains every word of TEXT"), N_("TEXT") },
    { NULL }
  };
  g_autoptr(LkLeadQuery) query = lk_lead_query_new ();
  g_autoptr(LkExport) export = NULL;
  g_autoptr(GError) local_error = NULL;
  LkExportFormat format = LK_EXPORT_CSV;
  LkStore *store;

  if (!lk_cli_parse_options (cli, entries,
                             _("Exports the leads that match the filters (all leads without any): CSV that Excel opens, JSON lead documents (version 1), or vCards for phones."),
                             &args, 0, 0, error))
    return FALSE;
  if (format_name != NULL && !lk_export_format_from_name (format_name, &format))
    {
      lk_cli_usage_error (error, _("--format is csv, json or vcf, not “%s”"), format_name);
      return FALSE;
    }
  if (pool && owner != NULL)
    {
      lk_cli_usage_error (error, _("--pool exports leads without an owner; it cannot be used with --owner"));
      return FALSE;
    }
  export = lk_export_new (format);
  if (!lk_export_set_encoding (export, encoding, &local_error))
    {
      lk_cli_usage_error (error, "--encoding: %s", local_error->message);
      return FALSE;
    }

  store = lk_cli_open_store (cli, error);
  if (store == NULL)
    return FALSE;
  {
    LkCliFilter filter = { stage, owner, pool, source, grade, temperature, tag, overdue, search };

    if (!lk_cli_filter_apply (cli, &filter, query, error))
      return FALSE;
  }
  lk_export_set_query (export, query);

  if (output != NULL && !g_str_equal (output, "-"))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (output);

      if (!lk_export_to_file (export, store, file, NULL, NULL, NULL, error))
        return FALSE;
      /* Translators: "Exported 12 leads to leads.csv" */
      g_printerr (g_dngettext (GETTEXT_PACKAGE, "Exported %u lead to %s", "Exported %u leads to %s",
                               lk_export_get_n_leads (export)),
                  lk_export_get_n_leads (export), output);
      g_printerr ("\n");
    }
  else
    {
      g_autoptr(GOutputStream) out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);

      fflush (stdout);
      if (!lk_export_run (export, store, out, NULL, NULL, NULL, error))
        return FALSE;
    }
  return TRUE;
}
