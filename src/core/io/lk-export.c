/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-export"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-progress.h"
#include "lk-doc.h"
#include "lk-error.h"
#include "lk-export.h"
#include "lk-import.h"
#include "lk-pipeline.h"
#include "lk-stage.h"
#include "lk-user.h"
#include "lk-utils.h"
#include "lk-vcard.h"

/* Exporting leads: the current filter (an LkLeadQuery, in its order) or
 * a list of ids, as CSV for spreadsheets, as JSON (the documents that
 * sync), or as vCards for phones.
 *
 * The leads are read one at a time by rowid and written as they are
 * read, so memory does not grow with the number of leads. The CSV
 * columns are named as the import names its fields, translated, so an
 * exported file imports again with every column recognised. Excel opens
 * UTF-8 only with a BOM; on Chinese Windows GB18030 is the alternative.
 *
 * lk_export_to_file() writes a temporary file and puts it in place only
 * when everything was written: a failed or cancelled export leaves the
 * file that was there. */

#define PROGRESS_EVERY 200

/* The CSV columns */
typedef enum
{
  COLUMN_CODE,
  COLUMN_COMPANY,
  COLUMN_CONTACT,
  COLUMN_TITLE,
  COLUMN_PHONE,
  COLUMN_EMAIL,
  COLUMN_IM,
  COLUMN_INDUSTRY,
  COLUMN_COMPANY_SIZE,
  COLUMN_REGION,
  COLUMN_SOURCE,
  COLUMN_CAMPAIGN,
  COLUMN_NEEDS,
  COLUMN_GRADE,
  COLUMN_TEMPERATURE,
  COLUMN_BUDGET,
  COLUMN_AMOUNT,
  COLUMN_CURRENCY,
  COLUMN_STAGE,
  COLUMN_OWNER,
  COLUMN_TAGS,
  COLUMN_NEXT_FOLLOWUP,
  COLUMN_NOTES,
  COLUMN_CREATED,
  COLUMN_UPDATED,
  N_COLUMNS
} Column;

struct _LkExport
{
  GObject         parent_instance;

  /* Owned */
  LkLeadQuery    *query;
  GStrv           ids;
  char           *encoding;    /* NULL: UTF-8 */

  LkExportFormat  format;
  double          fraction;
  guint           n_leads;
};

G_DEFINE_FINAL_TYPE (LkExport, lk_export, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FRACTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* "csv", "json", "vcf" (or "vcard") */
gboolean
lk_export_format_from_name (const char     *name,
                            LkExportFormat *format)
{
  g_return_val_if_fail (name != NULL && format != NULL, FALSE);

  if (g_ascii_strcasecmp (name, "csv") == 0)
    *format = LK_EXPORT_CSV;
  else if (g_ascii_strcasecmp (name, "json") == 0)
    *format = LK_EXPORT_JSON;
  else if (g_ascii_strcasecmp (name, "vcf") == 0 || g_ascii_strcasecmp (name, "vcard") == 0)
    *format = LK_EXPORT_VCARD;
  else
    return FALSE;
  return TRUE;
}

/* Returns: "csv", "json" or "vcf" */
const char *
lk_export_format_get_extension (LkExportFormat format)
{
  switch (format)
    {
    case LK_EXPORT_CSV:
      return "csv";
    case LK_EXPORT_JSON:
      return "json";
    case LK_EXPORT_VCARD:
    default:
      return "vcf";
    }
}

static const char *
column_label (Column column)
{
  switch (column)
    {
    case COLUMN_CODE:
      return lk_import_target_get_label (LK_IMPORT_CODE);
    case COLUMN_COMPANY:
      return lk_import_target_get_label (LK_IMPORT_COMPANY);
    case COLUMN_CONTACT:
      return lk_import_target_get_label (LK_IMPORT_CONTACT);
    case COLUMN_TITLE:
      return lk_import_target_get_label (LK_IMPORT_TITLE);
    case COLUMN_PHONE:
      return lk_import_target_get_label (LK_IMPORT_PHONE);
    case COLUMN_EMAIL:
      return lk_import_target_get_label (LK_IMPORT_EMAIL);
    case COLUMN_IM:
      return lk_import_target_get_label (LK_IMPORT_IM);
    case COLUMN_INDUSTRY:
      return lk_import_target_get_label (LK_IMPORT_INDUSTRY);
    case COLUMN_COMPANY_SIZE:
      return lk_import_target_get_label (LK_IMPORT_COMPANY_SIZE);
    case COLUMN_REGION:
      return lk_import_target_get_label (LK_IMPORT_REGION);
    case COLUMN_SOURCE:
      return lk_import_target_get_label (LK_IMPORT_SOURCE);
    case COLUMN_CAMPAIGN:
      return lk_import_target_get_label (LK_IMPORT_CAMPAIGN);
    case COLUMN_NEEDS:
      return lk_import_target_get_label (LK_IMPORT_NEEDS);
    case COLUMN_GRADE:
      return lk_import_target_get_label (LK_IMPORT_GRADE);
    case COLUMN_TEMPERATURE:
      return lk_import_target_get_label (LK_IMPORT_TEMPERATURE);
    case COLUMN_BUDGET:
      return lk_import_target_get_label (LK_IMPORT_BUDGET);
    case COLUMN_AMOUNT:
      return lk_import_target_get_label (LK_IMPORT_AMOUNT);
    case COLUMN_CURRENCY:
      return C_("csv column", "Currency");
    case COLUMN_STAGE:
      return C_("csv column", "Stage");
    case COLUMN_OWNER:
      return lk_import_target_get_label (LK_IMPORT_OWNER);
    case COLUMN_TAGS:
      return lk_import_target_get_label (LK_IMPORT_TAGS);
    case COLUMN_NEXT_FOLLOWUP:
      return lk_import_target_get_label (LK_IMPORT_NEXT_FOLLOWUP);
    case COLUMN_NOTES:
      return lk_import_target_get_label (LK_IMPORT_NOTES);
    case COLUMN_CREATED:
      return C_("csv column", "Created");
    case COLUMN_UPDATED:
      return C_("csv column", "Updated");
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
}

/* RFC 4180: quoted when the field holds a comma, a quote, a line break,
 * or space at either end (which spreadsheets would drop); quotes doubled. */
static void
append_field (GString    *out,
              const char *field)
{
  gsize len = strlen (field);
  gboolean quote = len > 0 && (field[0] == ' ' || field[len - 1] == ' ' || strpbrk (field, ",\"\r\n") != NULL);

  if (!quote)
    {
      g_string_append_len (out, field, len);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = field; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_row (GString             *out,
            const char * const  *fields)
{
  for (guint i = 0; i < N_COLUMNS; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_field (out, fields[i] ? fields[i] : "");
    }
  g_string_append (out, "\r\n");
}

/* Minor units as the import reads them back: 12500.5 → "12500.50" */
static char *
format_money (gint64 minor)
{
  if (minor == 0)
    return g_strdup ("");
  return g_strdup_printf ("%s%" G_GINT64_FORMAT ".%02d", minor < 0 ? "-" : "",
                          ABS (minor) / 100, (int) (ABS (minor) % 100));
}

/* Local time, as the import reads it back: "2024-05-20 14:30" */
static char *
format_time (gint64     ms,
             GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (ms == 0)
    return g_strdup ("");
  utc = g_date_time_new_from_unix_utc (ms / 1000);
  if (utc == NULL)
    return g_strdup ("");
  local = g_date_time_to_timezone (utc, tz);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

/* One run's state */
typedef struct
{
  LkExport      *self;
  LkStore       *store;
  GOutputStream *output;
  GTimeZone     *tz;
  GHashTable    *users;   /* id → display name */
  GString       *buffer;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->tz, g_time_zone_unref);
  g_clear_pointer (&run->users, g_hash_table_unref);
  if (run->buffer != NULL)
    g_string_free (g_steal_pointer (&run->buffer), TRUE);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static GHashTable *
user_names (LkStore *store)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) users = lk_store_list_users (store, NULL);

  for (guint i = 0; users != NULL && i < users->len; i++)
    {
      LkRecord *user = g_ptr_array_index (users, i);
      const char *display = lk_record_get_string (user, LK_USER_DISPLAY_NAME);

      if (display == NULL || display[0] == '\0')
        display = lk_record_get_string (user, LK_USER_NAME);
      g_hash_table_replace (names, g_strdup (lk_record_get_id (user)), g_strdup (display));
    }
  return names;
}

static const char *
owner_name (Run        *run,
            const char *owner)
{
  const char *name;

  if (owner == NULL || owner[0] == '\0')
    return "";
  name = g_hash_table_lookup (run->users, owner);
  if (name != NULL && name[0] != '\0')
    return name;
  /* Not in the team list (yet): "user:lilei" → "lilei" */
  return lk_user_id_get_name (owner);
}

static void
append_csv_lead (Run    *run,
                 LkLead *lead)
{
  LkRecord *record = LK_RECORD (lead);
  LkStage *stage = lk_pipeline_lookup (lk_store_get_pipeline (run->store), lk_lead_get_stage (lead));
  g_autofree char *budget = format_money (lk_record_get_int (record, LK_LEAD_BUDGET));
  g_autofree char *amount = format_money (lk_record_get_int (record, LK_LEAD_AMOUNT));
  g_autofree char *tags = g_strjoinv (", ", (char **) lk_record_get_tags (record, LK_LEAD_TAGS));
  g_autofree char *next = format_time (lk_record_get_int (record, LK_LEAD_NEXT_FOLLOWUP_AT), run->tz);
  g_autofree char *created = format_time (lk_record_get_int (record, LK_LEAD_CREATED_AT), run->tz);
  g_autofree char *updated = format_time (lk_record_get_int (record, LK_LEAD_UPDATED_AT), run->tz);
  const char *fields[N_COLUMNS] = {
    [COLUMN_CODE] = lk_record_get_string (record, LK_LEAD_CODE),
    [COLUMN_COMPANY] = lk_lead_get_company (lead),
    [COLUMN_CONTACT] = lk_lead_get_contact (lead),
    [COLUMN_TITLE] = lk_record_get_string (record, LK_LEAD_TITLE),
    [COLUMN_PHONE] = lk_record_get_string (record, LK_LEAD_PHONE),
    [COLUMN_EMAIL] = lk_record_get_string (record, LK_LEAD_EMAIL),
    [COLUMN_IM] = lk_record_get_string (record, LK_LEAD_IM),
    [COLUMN_INDUSTRY] = lk_record_get_string (record, LK_LEAD_INDUSTRY),
    [COLUMN_COMPANY_SIZE] = lk_record_get_string (record, LK_LEAD_COMPANY_SIZE),
    [COLUMN_REGION] = lk_record_get_string (record, LK_LEAD_REGION),
    [COLUMN_SOURCE] = lk_record_get_string (record, LK_LEAD_SOURCE),
    [COLUMN_CAMPAIGN] = lk_record_get_string (record, LK_LEAD_CAMPAIGN),
    [COLUMN_NEEDS] = lk_record_get_string (record, LK_LEAD_NEEDS),
    [COLUMN_GRADE] = lk_record_get_string (record, LK_LEAD_GRADE),
    [COLUMN_TEMPERATURE] = lk_record_get_string (record, LK_LEAD_TEMPERATURE),
    [COLUMN_BUDGET] = budget,
    [COLUMN_AMOUNT] = amount,
    [COLUMN_CURRENCY] = lk_record_get_string (record, LK_LEAD_CURRENCY),
    [COLUMN_STAGE] = stage != NULL ? lk_stage_get_name (stage) : lk_lead_get_stage (lead),
    [COLUMN_OWNER] = owner_name (run, lk_lead_get_owner (lead)),
    [COLUMN_TAGS] = tags,
    [COLUMN_NEXT_FOLLOWUP] = next,
    [COLUMN_NOTES] = lk_record_get_string (record, LK_LEAD_NOTES),
    [COLUMN_CREATED] = created,
    [COLUMN_UPDATED] = updated,
  };

  append_row (run->buffer, fields);
}

static gboolean
flush (Run           *run,
       GCancellable  *cancellable,
       GError       **error)
{
  if (run->buffer->len == 0)
    return TRUE;
  if (!g_output_stream_write_all (run->output, run->buffer->str, run->buffer->len, NULL, cancellable, error))
    {
      g_prefix_error (error, _("Could not write the export: "));
      return FALSE;
    }
  g_string_truncate (run->buffer, 0);
  return TRUE;
}

static void
write_lead (Run    *run,
            LkLead *lead,
            guint   index)
{
  switch (run->self->format)
    {
    case LK_EXPORT_CSV:
      append_csv_lead (run, lead);
      break;
    case LK_EXPORT_JSON:
      {
        g_autoptr(JsonObject) doc = lk_doc_from_record (LK_RECORD (lead));
        g_autofree char *text = lk_doc_to_string (doc, FALSE);

        g_string_append (run->buffer, index > 0 ? ",\n" : "\n");
        g_string_append (run->buffer, text);
      }
      break;
    case LK_EXPORT_VCARD:
    default:
      {
        g_autofree char *card = lk_vcard_from_lead (lead, LK_VCARD_VERSION_4);

        g_string_append (run->buffer, card);
      }
      break;
    }
}

/* The rowids to export, in order */
static GArray *
rowids_of (LkExport  *self,
           LkStore   *store,
           GError   **error)
{
  GArray *rowids;

  if (self->ids == NULL)
    {
      g_autoptr(LkLeadQuery) all = self->query ? g_object_ref (self->query) : lk_lead_query_new ();

      return lk_store_query_rowids (store, all, error);
    }
  rowids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), g_strv_length (self->ids));
  for (guint i = 0; self->ids[i]; i++)
    {
      gint64 rowid = lk_store_lookup_rowid (store, self->ids[i]);

      /* A lead deleted since it was selected is left out. */
      if (rowid > 0)
        g_array_append_val (rowids, rowid);
    }
  return rowids;
}

/**
 * lk_export_run:
 * @store: the store to read; on a worker thread, a worker's connection
 * @output: where the file goes; not closed
 * @progress: (nullable): called every few hundred leads with the part done
 *
 * Writes the leads of the query (all leads without one) or of the ids.
 */
gboolean
lk_export_run (LkExport              *self,
               LkStore               *store,
               GOutputStream         *output,
               GCancellable          *cancellable,
               LkExportProgressFunc   progress,
               gpointer               user_data,
               GError               **error)
{
  g_auto(Run) run = { 0 };
  g_autoptr(GArray) rowids = NULL;
  g_autoptr(GOutputStream) converted = NULL;

  g_return_val_if_fail (LK_IS_EXPORT (self), FALSE);
  g_return_val_if_fail (LK_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (output), FALSE);

  self->n_leads = 0;
  rowids = rowids_of (self, store, error);
  if (rowids == NULL)
    return FALSE;

  run.self = self;
  run.store = store;
  run.tz = g_time_zone_ref (lk_clock_get_timezone (lk_store_get_clock (store)));
  run.users = user_names (store);
  run.buffer = g_string_sized_new (65536);
  run.output = output;
  if (self->format == LK_EXPORT_CSV && self->encoding != NULL)
    {
      g_autoptr(GCharsetConverter) converter = g_charset_converter_new (self->encoding, "UTF-8", error);

      if (converter == NULL)
        return FALSE;
      converted = g_converter_output_stream_new (output, G_CONVERTER (converter));
      g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (converted), FALSE);
      run.output = converted;
    }

  switch (self->format)
    {
    case LK_EXPORT_CSV:
      {
        const char *header[N_COLUMNS];

        /* Excel reads UTF-8 only after a BOM. */
        if (self->encoding == NULL)
          g_string_append (run.buffer, "\xEF\xBB\xBF");
        for (guint i = 0; i < N_COLUMNS; i++)
          header[i] = column_label (i);
        append_row (run.buffer, header);
      }
      break;
    case LK_EXPORT_JSON:
      g_string_append_c (run.buffer, '[');
      break;
    case LK_EXPORT_VCARD:
    default:
      break;
    }

  for (guint i = 0; i < rowids->len; i++)
    {
      g_autoptr(LkLead) lead = NULL;
      g_autoptr(GError) read_error = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      lead = lk_store_get_lead_by_rowid (store, g_array_index (rowids, gint64, i), &read_error);
      if (lead == NULL)
        {
          if (read_error != NULL && !g_error_matches (read_error, LK_ERROR, LK_ERROR_NOT_FOUND))
            {
              g_propagate_error (error, g_steal_pointer (&read_error));
              return FALSE;
            }
          continue;  /* deleted meanwhile */
        }
      if (lk_record_get_deleted (LK_RECORD (lead)))
        continue;
      write_lead (&run, lead, self->n_leads++);
      if (run.buffer->len >= 65536 && !flush (&run, cancellable, error))
        return FALSE;
      if (progress != NULL && (i + 1) % PROGRESS_EVERY == 0)
        progress ((double) (i + 1) / rowids->len, user_data);
    }

  if (self->format == LK_EXPORT_JSON)
    g_string_append (run.buffer, self->n_leads > 0 ? "\n]\n" : "]\n");
  if (!flush (&run, cancellable, error))
    return FALSE;
  if (converted != NULL && !g_output_stream_close (converted, cancellable, error))
    {
      g_prefix_error (error, _("Could not write the export: "));
      return FALSE;
    }
  if (progress != NULL)
    progress (1.0, user_data);
  return TRUE;
}

/**
 * lk_export_to_file:
 *
 * lk_export_run() into @file, which is replaced only when the whole
 * export was written.
 */
gboolean
lk_export_to_file (LkExport              *self,
                   LkStore               *store,
                   GFile                 *file,
                   GCancellable          *cancellable,
                   LkExportProgressFunc   progress,
                   gpointer               user_data,
                   GError               **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GCancellable) abort = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (LK_IS_EXPORT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, cancellable, error);
  if (stream == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (file);

      g_prefix_error (error, _("Could not write “%s”: "), name);
      return FALSE;
    }
  if (lk_export_run (self, store, G_OUTPUT_STREAM (stream), cancellable, progress, user_data, &local_error))
    {
      if (g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, error))
        return TRUE;
      g_prefix_error (error, _("Could not write the export: "));
      return FALSE;
    }
  /* Closed with a cancelled cancellable, the temporary file goes and the
   * one that was there stays. */
  abort = g_cancellable_new ();
  g_cancellable_cancel (abort);
  g_output_stream_close (G_OUTPUT_STREAM (stream), abort, NULL);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* Async */

typedef struct
{
  LkStore      *worker;
  LkExport     *export;
  GFile        *file;
  GMainContext *context;
} AsyncRun;

static void
async_run_free (gpointer data)
{
  AsyncRun *job = data;

  g_clear_object (&job->worker);
  g_clear_object (&job->export);
  g_clear_object (&job->file);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_free (job);
}

static void
set_fraction (GObject *object,
              double   fraction)
{
  LkExport *self = LK_EXPORT (object);

  self->fraction = fraction;
  g_object_notify_by_pspec (object, properties[PROP_FRACTION]);
}

static void
forward_progress (double   fraction,
                  gpointer user_data)
{
  AsyncRun *job = user_data;

  lk_progress_forward (job->context, G_OBJECT (job->export), set_fraction, fraction);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  AsyncRun *job = task_data;
  GError *error = NULL;

  if (lk_export_to_file (job->export, job->worker, job->file, cancellable, forward_progress, job, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * lk_export_to_file_async:
 * @store: the main connection; the export reads through its own
 *
 * lk_export_to_file() on a worker thread; #LkExport:fraction follows it
 * on this thread's main context.
 */
void
lk_export_to_file_async (LkExport            *self,
                         LkStore             *store,
                         GFile               *file,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  AsyncRun *job;
  LkStore *worker;

  g_return_if_fail (LK_IS_EXPORT (self));
  g_return_if_fail (LK_IS_STORE (store));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lk_export_to_file_async);
  worker = lk_store_open_worker (store, &error);
  if (worker == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  job = g_new0 (AsyncRun, 1);
  job->worker = worker;
  job->export = g_object_ref (self);
  job->file = g_object_ref (file);
  job->context = g_main_context_ref_thread_default ();
  self->fraction = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
  g_task_set_task_data (task, job, async_run_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
lk_export_to_file_finish (LkExport      *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lk_export_finalize (GObject *object)
{
  LkExport *self = LK_EXPORT (object);

  g_clear_object (&self->query);
  g_clear_pointer (&self->ids, g_strfreev);
  g_clear_pointer (&self->encoding, g_free);

  G_OBJECT_CLASS (lk_export_parent_class)->finalize (object);
}

static void
lk_export_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  LkExport *self = LK_EXPORT (object);

  switch (prop_id)
    {
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_export_class_init (LkExportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lk_export_finalize;
  object_class->get_property = lk_export_get_property;

  /* How much of an async export is done, from 0 to 1 */
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0, 1, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lk_export_init (LkExport *self)
{
}

LkExport *
lk_export_new (LkExportFormat format)
{
  LkExport *self = g_object_new (LK_TYPE_EXPORT, NULL);

  self->format = format;
  return self;
}

LkExportFormat
lk_export_get_format (LkExport *self)
{
  g_return_val_if_fail (LK_IS_EXPORT (self), LK_EXPORT_CSV);
  return self->format;
}

/* The filter and order to export (a copy is kept); %NULL for every lead.
 * Ignored once ids are set. */
void
lk_export_set_query (LkExport    *self,
                     LkLeadQuery *query)
{
  g_return_if_fail (LK_IS_EXPORT (self));

  g_clear_object (&self->query);
  if (query != NULL)
    self->query = lk_lead_query_copy (query);
}

/* The leads to export, in this order, instead of a filter: a selection */
void
lk_export_set_ids (LkExport           *self,
                   const char * const *ids)
{
  g_return_if_fail (LK_IS_EXPORT (self));

  g_clear_pointer (&self->ids, g_strfreev);
  self->ids = g_strdupv ((char **) ids);
}

/**
 * lk_export_set_encoding:
 * @encoding: (nullable): %NULL or "UTF-8" (with a BOM), or "GB18030"
 *   (also "GBK"): what Excel opens on Chinese Windows without a BOM
 *
 * The encoding of a CSV export; JSON and vCard are always UTF-8.
 */
gboolean
lk_export_set_encoding (LkExport    *self,
                        const char  *encoding,
                        GError     **error)
{
  g_return_val_if_fail (LK_IS_EXPORT (self), FALSE);

  if (encoding == NULL || g_ascii_strcasecmp (encoding, "UTF-8") == 0 || g_ascii_strcasecmp (encoding, "UTF8") == 0)
    encoding = NULL;
  else if (g_ascii_strcasecmp (encoding, "GB18030") == 0 || g_ascii_strcasecmp (encoding, "GBK") == 0 ||
           g_ascii_strcasecmp (encoding, "GB2312") == 0)
    encoding = "GB18030";
  else
    {
      g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                   _("Leadkeeper exports UTF-8 or GB18030, not “%s”"), encoding);
      return FALSE;
    }
  if (encoding != NULL && self->format != LK_EXPORT_CSV)
    {
      g_set_error_literal (error, LK_ERROR, LK_ERROR_INVALID,
                           _("Only a CSV export can be GB18030; JSON and vCard files are always UTF-8"));
      return FALSE;
    }
  lk_set_str (&self->encoding, encoding);
  return TRUE;
}

/* Returns: "UTF-8" or "GB18030" */
const char *
lk_export_get_encoding (LkExport *self)
{
  g_return_val_if_fail (LK_IS_EXPORT (self), NULL);
  return self->encoding ? self->encoding : "UTF-8";
}

/* How much of an async export is done, from 0 to 1 */
double
lk_export_get_fraction (LkExport *self)
{
  g_return_val_if_fail (LK_IS_EXPORT (self), 0);
  return self->fraction;
}

/* How many leads the last run wrote */
guint
lk_export_get_n_leads (LkExport *self)
{
  g_return_val_if_fail (LK_IS_EXPORT (self), 0);
  return self->n_leads;
}
