/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-cli"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-cli-private.h"
#include "lk-csv.h"
#include "lk-error.h"
#include "lk-import.h"
#include "lk-store-import.h"

/* `import FILE` and `import undo [ID]`: the CSV and vCard import of the dialog, for
 * scripts and admins. The counts go to stdout with each invalid row as
 * "line N: reason"; the exit status is 1 when rows were left out. */

static gboolean
parse_delimiter (const char  *name,
                 char        *delimiter,
                 GError     **error)
{
  if (name == NULL)
    *delimiter = 0;
  else if (g_ascii_strcasecmp (name, "comma") == 0 || g_str_equal (name, ","))
    *delimiter = ',';
  else if (g_ascii_strcasecmp (name, "semicolon") == 0 || g_str_equal (name, ";"))
    *delimiter = ';';
  else if (g_ascii_strcasecmp (name, "tab") == 0 || g_str_equal (name, "\t"))
    *delimiter = '\t';
  else
    {
      lk_cli_usage_error (error, _("--delimiter is comma, semicolon or tab, not “%s”"), name);
      return FALSE;
    }
  return TRUE;
}

static char *
target_names (void)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint t = 0; t < LK_IMPORT_N_TARGETS; t++)
    g_string_append_printf (names, "%s%s", t ? ", " : "", lk_import_target_get_name (t));
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static char *
column_names (LkImport *import)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < lk_import_get_n_columns (import); i++)
    g_string_append_printf (names, "%s%s", i ? ", " : "", lk_import_get_header (import, i));
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static gboolean
apply_maps (LkImport    *import,
            GStrv        maps,
            GError     **error)
{
  for (guint i = 0; maps != NULL && maps[i] != NULL; i++)
    {
      const char *equals = strrchr (maps[i], '=');
      g_autofree char *column_name = NULL;
      LkImportTarget target;
      int column;

      if (equals == NULL || equals == maps[i])
        {
          lk_cli_usage_error (error, _("--map takes COLUMN=FIELD, such as --map 手机=phone, not “%s”"), maps[i]);
          return FALSE;
        }
      column_name = g_strndup (maps[i], equals - maps[i]);
      column = lk_import_find_column (import, column_name);
      if (column < 0)
        {
          g_autofree char *names = column_names (import);

          lk_cli_usage_error (error, _("The file has no column “%s”. Its columns are: %s"), column_name, names);
          return FALSE;
        }
      if (!lk_import_target_from_name (equals + 1, &target))
        {
          g_autofree char *names = target_names ();

          lk_cli_usage_error (error, _("“%s” is not a field to import into. The fields are: %s"), equals + 1, names);
          return FALSE;
        }
      lk_import_set_target (import, (guint) column, target);
    }
  return TRUE;
}

static void
print_mapping (LkImport *import)
{
  gsize width = 0;

  g_print ("%s\n", _("Columns:"));
  for (guint i = 0; i < lk_import_get_n_columns (import); i++)
    width = MAX (width, lk_cli_display_width (lk_import_get_header (import, i)));
  for (guint i = 0; i < lk_import_get_n_columns (import); i++)
    {
      const char *header = lk_import_get_header (import, i);
      gsize pad = width - lk_cli_display_width (header);

      g_print ("  %s%*s → %s\n", header, (int) pad, "",
               lk_import_target_get_label (lk_import_get_target (import, i)));
    }
}

gboolean
lk_cli_import (LkCli   *cli,
               GStrv    args,
               GError **error)
{
  gboolean dry_run = FALSE;
  g_autofree char *duplicates = NULL;
  g_autofree char *source = NULL;
  g_autofree char *campaign = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *encoding = NULL;
  g_autofree char *delimiter_name = NULL;
  g_auto(GStrv) maps = NULL;
  const GOptionEntry entries[] = {
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Check the file and count new, duplicate and invalid rows; write nothing"), NULL },
    { "duplicates", 0, 0, G_OPTION_ARG_STRING, &duplicates, N_("What to do with a row that is a lead already there: skip (default), update or create"), N_("POLICY") },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source, N_("The source of rows that name none"), N_("SOURCE") },
    { "campaign", 0, 0, G_OPTION_ARG_STRING, &campaign, N_("The campaign or event of rows that name none"), N_("CAMPAIGN") },
    { "owner", 0, 0, G_OPTION_ARG_STRING, &owner, N_("The owner of rows that name none (a team member)"), N_("USER") },
    { "map", 0, 0, G_OPTION_ARG_STRING_ARRAY, &maps, N_("Import a column into a field (or ignore, keep); repeatable"), N_("COLUMN=FIELD") },
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &encoding, N_("The file’s encoding (default: detected): UTF-8, UTF-16LE, GB18030, Big5…"), N_("ENCODING") },
    { "delimiter", 0, 0, G_OPTION_ARG_STRING, &delimiter_name, N_("What separates the fields (default: detected): comma, semicolon or tab"), N_("DELIMITER") },
    { NULL }
  };
  g_autoptr(LkImport) import = NULL;
  g_autofree char *names = target_names ();
  g_autofree char *description = NULL;
  LkImportPolicy policy = LK_IMPORT_DUPLICATES_SKIP;
  GPtrArray *problems;
  LkStore *store;
  char delimiter = 0;

  description = g_strdup_printf (_("Imports the leads of a CSV file saved by Excel, LibreOffice or another program. The columns are matched to lead fields by their headers, in Chinese or English; --map changes that. A vCard file (.vcf, from phones and business-card scanners) gives one row per card. A row with the same phone, email, or company and contact as a lead already there is a duplicate.\n\nFields: %s"),
                                 names);
  if (!lk_cli_parse_options (cli, entries, description, &args, 1, 1, error))
    return FALSE;
  if (duplicates != NULL && !lk_import_policy_from_name (duplicates, &policy))
    {
      lk_cli_usage_error (error, _("--duplicates is skip, update or create, not “%s”"), duplicates);
      return FALSE;
    }
  if (!parse_delimiter (delimiter_name, &delimiter, error))
    return FALSE;

  import = lk_import_new (args[1]);
  if (!lk_import_open (import, encoding, delimiter, error))
    {
      g_prefix_error (error, "%s: ", args[1]);
      return FALSE;
    }
  if (!apply_maps (import, maps, error))
    return FALSE;
  lk_import_set_policy (import, policy);
  lk_import_set_default_source (import, source);
  lk_import_set_default_campaign (import, campaign);
  lk_import_set_default_owner (import, owner);

  if (lk_cli_open (cli, error) == NULL)
    return FALSE;
  store = lk_context_get_store (cli->context);

  if (lk_import_get_is_vcard (import))
    /* Translators: "File: cards.vcf (vCard)" */
    g_print (_("File: %s (vCard)"), args[1]);
  else
    /* Translators: "File: leads.csv (GB18030, Comma)" */
    g_print (_("File: %s (%s, %s)"), args[1], lk_import_get_encoding (import),
             lk_csv_delimiter_name (lk_import_get_delimiter (import)));
  g_print ("\n");
  print_mapping (import);
  /* The command ends with the search complete (lk_import_run() leaves the
   * imported leads' search rows to the catch-up). */
  if (!lk_import_run (import, store, dry_run, NULL, NULL, NULL, error) ||
      (!dry_run && !lk_store_catch_up_search (store, 0, NULL, error)))
    return FALSE;

  g_print (_("Rows: %u"), lk_import_get_n_rows (import));
  g_print ("\n");
  g_print (_("New: %u"), lk_import_get_n_new (import));
  g_print ("\n");
  g_print (_("Duplicates: %u"), lk_import_get_n_duplicates (import));
  g_print ("\n");
  g_print (_("Invalid: %u"), lk_import_get_n_invalid (import));
  g_print ("\n");
  problems = lk_import_get_problems (import);
  for (guint i = 0; i < problems->len; i++)
    {
      LkImportProblem *problem = g_ptr_array_index (problems, i);

      g_print (_("line %u: %s"), problem->line, problem->reason);
      g_print ("\n");
    }
  if (dry_run)
    {
      g_print (_("Dry run: nothing was written. An import would create %u leads, update %u and skip %u duplicates."),
               lk_import_get_n_created (import), lk_import_get_n_updated (import), lk_import_get_n_skipped (import));
      g_print ("\n");
      if (lk_import_get_n_events (import) > 0)
        {
          g_print (g_dngettext (GETTEXT_PACKAGE, "It would record %u behaviour event.",
                                "It would record %u behaviour events.", lk_import_get_n_events (import)),
                   lk_import_get_n_events (import));
          g_print ("\n");
        }
    }
  else
    {
      if (lk_import_get_n_events (import) > 0)
        {
          g_print (g_dngettext (GETTEXT_PACKAGE, "Recorded %u behaviour event.",
                                "Recorded %u behaviour events.", lk_import_get_n_events (import)),
                   lk_import_get_n_events (import));
          g_print ("\n");
        }
      g_print (_("Imported: %u created, %u updated, %u duplicates skipped (import %lld; “%s import undo %lld” takes it back)"),
               lk_import_get_n_created (import), lk_import_get_n_updated (import), lk_import_get_n_skipped (import),
               (long long) lk_import_get_id (import), LK_CLI_PROGRAM, (long long) lk_import_get_id (import));
      g_print ("\n");
    }
  if (lk_import_get_n_invalid (import) > 0)
    {
      lk_cli_warn (g_dngettext (GETTEXT_PACKAGE, "%u row is invalid and was left out; fix it and import the file again",
                                "%u rows are invalid and were left out; fix them and import the file again",
                                lk_import_get_n_invalid (import)),
                   lk_import_get_n_invalid (import));
      return FALSE;
    }
  return TRUE;
}

gboolean
lk_cli_import_undo (LkCli   *cli,
                    GStrv    args,
                    GError **error)
{
  g_autoptr(LkImportEntry) entry = NULL;
  LkStore *store;
  gint64 id = 0;
  guint kept = 0;

  if (!lk_cli_parse_options (cli, NULL,
                             _("Deletes the leads an import created and puts back the values it changed, as edits that sync. Without ID, the last import."),
                             &args, 0, 1, error))
    return FALSE;
  if (args[1] != NULL)
    {
      char *end = NULL;

      id = g_ascii_strtoll (args[1], &end, 10);
      if (end == args[1] || *end != '\0' || id <= 0)
        {
          lk_cli_usage_error (error, _("An import is named by its number, such as 3, not “%s”"), args[1]);
          return FALSE;
        }
    }
  store = lk_cli_open_store (cli, error);
  if (store == NULL)
    return FALSE;
  entry = lk_store_get_import (store, id, error);
  if (entry == NULL || !lk_import_undo (store, entry->id, NULL, NULL, NULL, &kept, error))
    return FALSE;
  g_print (_("Undid import %lld of “%s”: %lld leads deleted, %lld restored"),
           (long long) entry->id, entry->file_name, (long long) entry->n_created, (long long) entry->n_updated);
  g_print ("\n");
  if (kept > 0)
    {
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u value was edited after the import and was left as it is",
                            "%u values were edited after the import and were left as they are", kept),
               kept);
      g_print ("\n");
    }
  return TRUE;
}
