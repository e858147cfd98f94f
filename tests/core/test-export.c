/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <string.h>

#include "lk-csv.h"
#include "lk-doc.h"
#include "lk-export.h"
#include "lk-import.h"
#include "lk-test-util.h"
#include "lk-vcard.h"

/* Exports over a real database: CSV opens with the BOM Excel needs and
 * quotes as RFC 4180 says, reads back through the CSV reader (UTF-8 and
 * GB18030) and imports again; JSON parses back to the same documents;
 * vCards read back; a filter, a selection, cancel, and the async run. */

static void
add_leads (LkStore *store)
{
  g_autoptr(LkLead) a = lk_test_create_lead (store, "company", "上海华信科技有限公司", "contact", "李雷",
                                             "phone", "+8613800138000", "grade", "A",
                                             "notes", "他说\"尽快\"报价,\n第二行", "amount", "125000.50",
                                             "tags", "重点客户,展会", NULL);
  g_autoptr(LkLead) b = lk_test_create_lead (store, "company", "𠮷野家餐饮管理有限公司", "contact", "张伟",
                                             "email", "zhangwei@example.cn", "grade", "B", NULL);
  g_autoptr(LkLead) c = lk_test_create_lead (store, "company", "Northwind GmbH", "contact", "Anna Weber",
                                             "grade", "A", "region", "Berlin; Mitte", NULL);
}

static char *
export_to_string (LkStore        *store,
                  LkExportFormat  format,
                  const char     *encoding,
                  LkLeadQuery    *query,
                  gsize          *len)
{
  g_autoptr(LkExport) export = lk_export_new (format);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_export_set_encoding (export, encoding, &error));
  g_assert_no_error (error);
  lk_export_set_query (export, query);
  g_assert_true (lk_export_run (export, store, out, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  *len = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out));
  /* NUL-terminated for the tests */
  g_assert_true (g_output_stream_is_closed (out));
  return g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)), *len);
}

static LkLeadQuery *
company_order (void)
{
  LkLeadQuery *query = lk_lead_query_new ();

  lk_lead_query_set_sort (query, LK_LEAD_SORT_COMPANY);
  return query;
}

static GPtrArray *
read_csv (const char *data,
          gsize       len,
          const char *encoding)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (g_memdup2 (data, len), len, g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkCsvReader) reader = lk_csv_reader_new (stream, encoding, 0, &error);
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  g_assert_no_error (error);
  while (lk_csv_reader_next (reader, NULL, &error))
    g_ptr_array_add (rows, g_strdupv ((char **) lk_csv_reader_get_fields (reader)));
  g_assert_no_error (error);
  g_assert_cmpint (lk_csv_reader_get_delimiter (reader), ==, ',');
  return rows;
}

static int
column (GPtrArray  *rows,
        const char *header)
{
  char **names = g_ptr_array_index (rows, 0);

  for (int i = 0; names[i]; i++)
    if (g_str_equal (names[i], header))
      return i;
  g_error ("no column %s", header);
  return -1;
}

static void
check_rows (GPtrArray *rows)
{
  char **first, **second, **third;

  g_assert_cmpuint (rows->len, ==, 4);
  /* In the query's order: company A to Z */
  first = g_ptr_array_index (rows, 1);
  second = g_ptr_array_index (rows, 2);
  third = g_ptr_array_index (rows, 3);
  g_assert_cmpstr (first[column (rows, "Company")], ==, "Northwind GmbH");
  g_assert_cmpstr (first[column (rows, "Region")], ==, "Berlin; Mitte");
  g_assert_cmpstr (second[column (rows, "Company")], ==, "上海华信科技有限公司");
  g_assert_cmpstr (second[column (rows, "Notes")], ==, "他说\"尽快\"报价,\n第二行");
  g_assert_cmpstr (second[column (rows, "Amount")], ==, "125000.50");
  g_assert_cmpstr (second[column (rows, "Tags")], ==, "重点客户, 展会");
  g_assert_cmpstr (second[column (rows, "Phone")], ==, "+8613800138000");
  g_assert_cmpstr (third[column (rows, "Company")], ==, "𠮷野家餐饮管理有限公司");
  g_assert_cmpstr (third[column (rows, "Grade")], ==, "B");
}

static void
test_csv (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLeadQuery) query = company_order ();
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;

  add_leads (db->store);
  data = export_to_string (db->store, LK_EXPORT_CSV, NULL, query, &len);
  /* A BOM, the header, CRLF after each record */
  g_assert_true (g_str_has_prefix (data, "\xEF\xBB\xBFLead Code,Company,Contact,Job Title,Phone,Email,"));
  g_assert_true (g_str_has_suffix (data, "\r\n"));
  /* Quoted where RFC 4180 needs it, quotes doubled, a line break kept */
  g_assert_nonnull (strstr (data, ",\"他说\"\"尽快\"\"报价,\n第二行\","));
  g_assert_nonnull (strstr (data, ",\"重点客户, 展会\","));
  g_assert_nonnull (strstr (data, ",Berlin; Mitte,"));
  g_assert_null (strstr (data, "\"上海华信科技有限公司\""));

  rows = read_csv (data, len, NULL);
  check_rows (rows);
}

static void
test_csv_gb18030 (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLeadQuery) query = company_order ();
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *data = NULL;
  g_autofree char *gb = NULL;
  gsize len = 0;

  add_leads (db->store);
  data = export_to_string (db->store, LK_EXPORT_CSV, "GBK", query, &len);
  /* No BOM, not UTF-8; 𠮷 as the four bytes of GB18030 */
  g_assert_false (g_str_has_prefix (data, "\xEF\xBB\xBF"));
  g_assert_false (g_utf8_validate_len (data, len, NULL));
  gb = g_convert ("𠮷野家", -1, "GB18030", "UTF-8", NULL, NULL, NULL);
  g_assert_nonnull (strstr (data, gb));

  /* Read back as the import reads it: GB18030 is what it detects */
  rows = read_csv (data, len, NULL);
  check_rows (rows);
}

static void
test_csv_reimport (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkTestDb) other = lk_test_db_new ();
  g_autoptr(LkExport) export = lk_export_new (LK_EXPORT_CSV);
  g_autofree char *path = g_build_filename (db->dir, "leads.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(LkImport) import = lk_import_new (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLeadQuery) query = company_order ();
  g_autoptr(GPtrArray) leads = NULL;

  add_leads (db->store);
  g_assert_true (lk_export_set_encoding (export, "GB18030", &error));
  g_assert_true (lk_export_to_file (export, db->store, file, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lk_export_get_n_leads (export), ==, 3);

  /* Every column named as the import names it */
  g_assert_true (lk_import_open (import, NULL, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (lk_import_get_encoding (import), ==, "GB18030");
  g_assert_cmpint (lk_import_get_target (import, lk_import_find_column (import, "Company")), ==, LK_IMPORT_COMPANY);
  g_assert_cmpint (lk_import_get_target (import, lk_import_find_column (import, "Phone")), ==, LK_IMPORT_PHONE);
  g_assert_cmpint (lk_import_get_target (import, lk_import_find_column (import, "Amount")), ==, LK_IMPORT_AMOUNT);
  g_assert_true (lk_import_run (import, other->store, FALSE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lk_import_get_n_invalid (import), ==, 0);
  g_assert_cmpuint (lk_import_get_n_created (import), ==, 3);

  leads = lk_store_query_leads (other->store, query, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (leads->len, ==, 3);
  {
    LkLead *lead = g_ptr_array_index (leads, 1);
    const char * const *tags = lk_record_get_tags (LK_RECORD (lead), LK_LEAD_TAGS);

    g_assert_cmpstr (lk_lead_get_contact (lead), ==, "李雷");
    g_assert_cmpint (lk_lead_get_amount (lead), ==, 12500050);
    /* The columns no field takes (stage, dates) are kept in the notes, as
     * the import keeps any column it does not know. */
    g_assert_true (g_str_has_prefix (lk_record_get_string (LK_RECORD (lead), LK_LEAD_NOTES),
                                     "他说\"尽快\"报价,\n第二行\n"));
    g_assert_nonnull (strstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_NOTES), "\nStage: New\n"));
    g_assert_cmpuint (g_strv_length ((char **) tags), ==, 2);
  }
}

static void
test_json (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLeadQuery) query = company_order ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) leads = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *none = NULL;
  JsonArray *array;
  gsize len = 0;

  add_leads (db->store);
  data = export_to_string (db->store, LK_EXPORT_JSON, NULL, query, &len);
  g_assert_true (json_parser_load_from_data (parser, data, len, &error));
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  leads = lk_store_query_leads (db->store, query, 0, &error);
  g_assert_cmpuint (json_array_get_length (array), ==, leads->len);
  for (guint i = 0; i < leads->len; i++)
    {
      g_autoptr(JsonObject) expected = lk_doc_from_record (g_ptr_array_index (leads, i));
      g_autoptr(JsonNode) a = json_node_init_object (json_node_alloc (), expected);
      JsonNode *b = json_array_get_element (array, i);
      g_autoptr(LkRecord) back = lk_doc_to_record (json_array_get_object_element (array, i), &error);

      g_assert_no_error (error);
      g_assert_true (json_node_equal (a, b));
      g_assert_cmpint (json_object_get_int_member (json_node_get_object (b), "schema"), ==, 1);
      g_assert_cmpstr (lk_record_get_id (back), ==, lk_record_get_id (g_ptr_array_index (leads, i)));
    }

  /* No lead: an empty array */
  lk_lead_query_set_search (query, "nothing-matches-this");
  none = export_to_string (db->store, LK_EXPORT_JSON, NULL, query, &len);
  g_assert_true (json_parser_load_from_data (parser, none, len, &error));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))), ==, 0);
}

static void
test_vcard_and_filter (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLeadQuery) query = company_order ();
  g_autoptr(LkExport) json = lk_export_new (LK_EXPORT_JSON);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(LkVcardReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;

  add_leads (db->store);
  lk_lead_query_set_grade (query, "A");
  data = export_to_string (db->store, LK_EXPORT_VCARD, NULL, query, &len);
  stream = g_memory_input_stream_new_from_data (data, len, NULL);
  reader = lk_vcard_reader_new (stream, &error);
  g_assert_true (lk_vcard_reader_next (reader, NULL, &error));
  g_assert_cmpstr (lk_vcard_reader_get_field (reader, LK_VCARD_CONTACT), ==, "Anna Weber");
  g_assert_cmpstr (lk_vcard_reader_get_field (reader, LK_VCARD_REGION), ==, "Berlin; Mitte");
  g_assert_true (lk_vcard_reader_next (reader, NULL, &error));
  g_assert_cmpstr (lk_vcard_reader_get_field (reader, LK_VCARD_CONTACT), ==, "李雷");
  g_assert_cmpstr (lk_vcard_reader_get_field (reader, LK_VCARD_PHONE), ==, "+8613800138000");
  /* Grade B is filtered out */
  g_assert_false (lk_vcard_reader_next (reader, NULL, &error));
  g_assert_no_error (error);

  g_assert_false (lk_export_set_encoding (json, "GB18030", &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_clear_error (&error);
}

static void
test_ids_and_cancel (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) first = lk_test_create_lead (db->store, "company", "甲公司", NULL);
  g_autoptr(LkLead) second = lk_test_create_lead (db->store, "company", "乙公司", NULL);
  g_autoptr(LkLead) gone = lk_test_create_lead (db->store, "company", "丙公司", NULL);
  const char *ids[] = { lk_record_get_id (LK_RECORD (second)), lk_record_get_id (LK_RECORD (gone)),
                        lk_record_get_id (LK_RECORD (first)), NULL };
  g_autoptr(LkExport) export = lk_export_new (LK_EXPORT_CSV);
  g_autofree char *path = g_build_filename (db->dir, "selection.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *kept = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (lk_store_delete_lead (db->store, lk_record_get_id (LK_RECORD (gone)), &error));
  g_assert_no_error (error);
  lk_export_set_ids (export, ids);
  g_assert_true (lk_export_to_file (export, db->store, file, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lk_export_get_n_leads (export), ==, 2);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  /* In the order of the selection; the deleted lead left out */
  g_assert_nonnull (strstr (lines[1], "乙公司"));
  g_assert_nonnull (strstr (lines[2], "甲公司"));

  /* A cancelled export leaves the file that was there */
  g_cancellable_cancel (cancellable);
  g_assert_false (lk_export_to_file (export, db->store, file, cancellable, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (g_file_get_contents (path, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, contents);
}

static void
cancel_on_progress (double   fraction,
                    gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_cancel_midway (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkExport) export = lk_export_new (LK_EXPORT_CSV);
  g_autofree char *path = g_build_filename (db->dir, "leads.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *contents = NULL;
  const char *name;

  for (guint i = 0; i < 450; i++)
    {
      g_autofree char *company = g_strdup_printf ("公司 %u", i);
      g_autoptr(LkLead) lead = lk_test_create_lead (db->store, "company", company, NULL);
    }
  g_assert_true (g_file_set_contents (path, "what was there", -1, NULL));
  /* Cancelled after the first leads were written */
  g_assert_false (lk_export_to_file (export, db->store, file, cancellable, cancel_on_progress, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "what was there");
  /* …and no temporary file left beside it */
  dir = g_dir_open (db->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_true (g_str_equal (name, "leads.csv") || g_str_has_prefix (name, "test.db") ||
                   g_str_has_suffix (name, ".db") || strstr (name, ".db-") != NULL);
}

static void
exported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_export_to_file_finish (LK_EXPORT (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
test_async (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkExport) export = lk_export_new (LK_EXPORT_JSON);
  g_autofree char *path = g_build_filename (db->dir, "all.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  for (guint i = 0; i < 450; i++)
    {
      g_autofree char *company = g_strdup_printf ("公司 %u", i);
      g_autoptr(LkLead) lead = lk_test_create_lead (db->store, "company", company, NULL);
    }
  lk_export_to_file_async (export, db->store, file, NULL, exported_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  /* Progress came back to this thread; the last report is the end */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpfloat (lk_export_get_fraction (export), ==, 1.0);
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))), ==, 450);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/csv", test_csv);
  g_test_add_func ("/export/csv-gb18030", test_csv_gb18030);
  g_test_add_func ("/export/csv-reimport", test_csv_reimport);
  g_test_add_func ("/export/json", test_json);
  g_test_add_func ("/export/vcard-and-filter", test_vcard_and_filter);
  g_test_add_func ("/export/ids-and-cancel", test_ids_and_cancel);
  g_test_add_func ("/export/cancel-midway", test_cancel_midway);
  g_test_add_func ("/export/async", test_async);
  return g_test_run ();
}
