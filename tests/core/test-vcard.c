/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "lk-import.h"
#include "lk-store-import.h"
#include "lk-test-util.h"
#include "lk-vcard.h"

/* vCard files as iOS, Android, scanner apps and Chinese Windows programs
 * write them (tests/core/data/make-vcard-fixtures.py), read card by card
 * and imported; the writer's cards read back to the same lead. */

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "core", "data", name, NULL);
}

static LkVcardReader *
open_fixture (const char *name)
{
  g_autofree char *path = fixture (name);
  g_autoptr(GError) error = NULL;
  LkVcardReader *reader = lk_vcard_reader_new_for_path (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (reader);
  return reader;
}

static void
next_card (LkVcardReader *reader)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_vcard_reader_next (reader, NULL, &error));
  g_assert_no_error (error);
}

static void
assert_end (LkVcardReader *reader)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (lk_vcard_reader_next (reader, NULL, &error));
  g_assert_no_error (error);
}

#define F(reader, field) lk_vcard_reader_get_field ((reader), LK_VCARD_##field)

static void
assert_has_line (const char *text,
                 const char *line)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  if (!g_strv_contains ((const char * const *) lines, line))
    g_error ("“%s” is not a line of “%s”", line, text);
}

static void
test_ios (void)
{
  g_autoptr(LkVcardReader) reader = open_fixture ("ios-contacts.vcf");

  next_card (reader);
  g_assert_null (lk_vcard_reader_get_problem (reader));
  g_assert_cmpstr (lk_vcard_reader_get_version (reader), ==, "3.0");
  g_assert_cmpuint (lk_vcard_reader_get_line (reader), ==, 1);
  g_assert_cmpstr (F (reader, CONTACT), ==, "李雷");
  g_assert_cmpstr (F (reader, COMPANY), ==, "上海华信科技有限公司");
  g_assert_cmpstr (F (reader, TITLE), ==, "采购经理");
  /* type=pref wins over the work phone */
  g_assert_cmpstr (F (reader, PHONE), ==, "138 0013 8000");
  g_assert_cmpstr (F (reader, EMAIL), ==, "LiLei@HuaXin.example.com");
  g_assert_cmpstr (F (reader, REGION), ==, "上海");
  g_assert_cmpstr (F (reader, NOTES), ==, "展会上认识\n需要报价, 比价中");
  assert_has_line (F (reader, OTHER), "Department: 采购部");
  assert_has_line (F (reader, OTHER), "Phone (work): 021-6555 1234");
  assert_has_line (F (reader, OTHER), "Address (work): 浦东新区张江路88号, 上海, 上海, 201203, 中国");
  assert_has_line (F (reader, OTHER), "Website: https://huaxin.example.com");
  g_assert_null (strstr (F (reader, OTHER), "9j"));  /* the photo is not a detail */

  next_card (reader);
  g_assert_cmpuint (lk_vcard_reader_get_line (reader), ==, 20);
  g_assert_cmpstr (F (reader, CONTACT), ==, "Anna Weber");
  g_assert_cmpstr (F (reader, COMPANY), ==, "Northwind GmbH");
  g_assert_cmpstr (F (reader, PHONE), ==, "+49 30 1234567");
  g_assert_cmpstr (F (reader, REGION), ==, "Berlin");
  /* Unfolded: the line break and the space of the fold go */
  g_assert_cmpstr (F (reader, NOTES), ==,
                   "Met at the Hannover Messe booth. Wants a quote for 200 units before the end of the quarter; call back on Monday.");
  g_assert_cmpstr (F (reader, TAGS), ==, "Trade fair,VIP");
  assert_has_line (F (reader, OTHER), "Address (work): Friedrichstraße 10, Berlin, 10117, Germany");

  /* A company's own card: no contact */
  next_card (reader);
  g_assert_cmpstr (F (reader, CONTACT), ==, "");
  g_assert_cmpstr (F (reader, COMPANY), ==, "北京恒达物流有限公司");
  g_assert_cmpstr (F (reader, PHONE), ==, "010-8888 1234");
  assert_end (reader);
}

static void
test_android (void)
{
  g_autoptr(LkVcardReader) reader = open_fixture ("android.vcf");

  next_card (reader);
  g_assert_null (lk_vcard_reader_get_problem (reader));
  g_assert_cmpstr (lk_vcard_reader_get_version (reader), ==, "2.1");
  g_assert_cmpstr (F (reader, CONTACT), ==, "王芳");
  g_assert_cmpstr (F (reader, COMPANY), ==, "北京恒达物流有限公司");
  g_assert_cmpstr (F (reader, TITLE), ==, "总经理");
  /* The mobile before the work phone */
  g_assert_cmpstr (F (reader, PHONE), ==, "+86 139-1234-5678");
  g_assert_cmpstr (F (reader, EMAIL), ==, "wangfang@hengda.example.cn");
  /* Soft line breaks joined, the CRLF inside the note one line break */
  g_assert_cmpstr (F (reader, NOTES), ==, "第一行\n第二行：物流系统升级，预算待定");
  g_assert_cmpstr (F (reader, OTHER), ==, "Phone (work): 010-6552 1000");

  next_card (reader);
  g_assert_cmpstr (F (reader, CONTACT), ==, "Tom Brown");
  g_assert_cmpstr (F (reader, PHONE), ==, "+1 415 555 0101");
  g_assert_cmpstr (F (reader, COMPANY), ==, "Acme Corp.");
  assert_end (reader);
}

static void
test_scanner (void)
{
  g_autoptr(LkVcardReader) reader = open_fixture ("scanner-4.0.vcf");

  next_card (reader);
  g_assert_null (lk_vcard_reader_get_problem (reader));
  g_assert_cmpstr (lk_vcard_reader_get_version (reader), ==, "4.0");
  g_assert_cmpstr (F (reader, CONTACT), ==, "陈静");
  g_assert_cmpstr (F (reader, COMPANY), ==, "深圳智汇电子股份有限公司");
  g_assert_cmpstr (F (reader, TITLE), ==, "硬件工程师");
  /* PREF=1, the tel: URI scheme dropped */
  g_assert_cmpstr (F (reader, PHONE), ==, "+86-137-1234-5678");
  g_assert_cmpstr (F (reader, EMAIL), ==, "chenjing@zhihui.example.cn");
  g_assert_cmpstr (F (reader, IM), ==, "chenjing_sz");
  g_assert_cmpstr (F (reader, REGION), ==, "广东深圳");
  g_assert_cmpstr (F (reader, NOTES), ==, "展会名片：2024 深圳电子展，对传感器模组有兴趣，需要样品和报价单，下周联系采购负责人。");
  assert_has_line (F (reader, OTHER), "Phone (work): +86-755-8888-6666");
  assert_has_line (F (reader, OTHER), "Website: https://zhihui.example.cn");
  assert_end (reader);
}

static void
test_charsets (void)
{
  g_autoptr(LkVcardReader) reader = open_fixture ("qp-gb18030.vcf");

  next_card (reader);
  g_assert_null (lk_vcard_reader_get_problem (reader));
  g_assert_cmpstr (F (reader, CONTACT), ==, "张伟");
  /* GBK named, GB18030 read: 𠮷 is four bytes beyond GBK; soft breaks with LF */
  g_assert_cmpstr (F (reader, COMPANY), ==, "𠮷野家餐饮管理有限公司");
  g_assert_cmpstr (F (reader, TITLE), ==, "店长");
  g_assert_cmpstr (F (reader, PHONE), ==, "010-6552 9988");

  next_card (reader);
  g_assert_null (lk_vcard_reader_get_problem (reader));
  g_assert_cmpstr (F (reader, CONTACT), ==, "陳美玲");
  g_assert_cmpstr (F (reader, COMPANY), ==, "台灣精密工業股份有限公司");
  assert_end (reader);
}

static void
test_bad_cards (void)
{
  g_autoptr(LkVcardReader) reader = open_fixture ("invalid.vcf");

  next_card (reader);
  g_assert_null (lk_vcard_reader_get_problem (reader));
  g_assert_cmpstr (F (reader, CONTACT), ==, "赵敏");

  next_card (reader);
  g_assert_nonnull (strstr (lk_vcard_reader_get_problem (reader), "KLINGON"));
  g_assert_cmpuint (lk_vcard_reader_get_problem_line (reader), ==, 9);

  next_card (reader);
  g_assert_nonnull (strstr (lk_vcard_reader_get_problem (reader), "this line has no colon"));
  g_assert_cmpuint (lk_vcard_reader_get_problem_line (reader), ==, 14);

  next_card (reader);  /* no name: the reader has no objection, the import has */
  g_assert_null (lk_vcard_reader_get_problem (reader));
  g_assert_cmpstr (F (reader, PHONE), ==, "13700002222");

  next_card (reader);
  g_assert_cmpstr (F (reader, CONTACT), ==, "Grace Hopper");

  next_card (reader);
  g_assert_nonnull (strstr (lk_vcard_reader_get_problem (reader), "END:VCARD"));
  g_assert_cmpuint (lk_vcard_reader_get_problem_line (reader), ==, 25);
  assert_end (reader);
}

static LkVcardReader *
reader_for (const char *text)
{
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (g_strdup (text), -1, g_free);
  g_autoptr(GError) error = NULL;
  LkVcardReader *reader = lk_vcard_reader_new (stream, &error);

  g_assert_no_error (error);
  return reader;
}

static void
test_not_vcard (void)
{
  g_autoptr(LkVcardReader) csv = reader_for ("公司名称,联系人\r\n华信,李雷\r\n");
  g_autoptr(LkVcardReader) empty = reader_for ("\r\n\r\n");
  g_autoptr(LkVcardReader) nul = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (lk_vcard_reader_next (csv, NULL, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "line 1"));
  g_assert_nonnull (strstr (error->message, "BEGIN:VCARD"));
  g_clear_error (&error);

  g_assert_false (lk_vcard_reader_next (empty, NULL, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_clear_error (&error);

  stream = g_memory_input_stream_new_from_data ("BEGIN:VCARD\r\nFN:a\0b\r\nEND:VCARD\r\n", 31, NULL);
  nul = lk_vcard_reader_new (stream, &error);
  g_assert_false (lk_vcard_reader_next (nul, NULL, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_assert_nonnull (strstr (error->message, "NUL"));

  g_assert_true (lk_vcard_sniff ("名片.VCF", NULL, 0));
  g_assert_true (lk_vcard_sniff (NULL, (const guint8 *) "\xEF\xBB\xBF\r\nbegin:vcard\r\n", 16));
  g_assert_false (lk_vcard_sniff ("leads.csv", (const guint8 *) "BEGIN;VCARD", 11));
}

static void
test_limits (void)
{
  g_autoptr(GString) text = g_string_new ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Long\r\nNOTE:");
  g_autoptr(LkVcardReader) folded = NULL;
  g_autoptr(LkVcardReader) big = NULL;
  g_autoptr(GError) error = NULL;

  /* A note folded over many short lines still makes one long line. */
  for (guint i = 0; i < 200; i++)
    g_string_append (text, "0123456789012345678901234567890123456789\r\n ");
  g_string_append (text, "end\r\nEND:VCARD\r\n");
  folded = reader_for (text->str);
  lk_vcard_reader_set_limits (folded, 4096, 1 << 20);
  g_assert_false (lk_vcard_reader_next (folded, NULL, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "line 4:"));
  g_assert_nonnull (strstr (error->message, "KiB"));
  g_clear_error (&error);

  big = reader_for (text->str);
  lk_vcard_reader_set_limits (big, 1 << 20, 1000);
  g_assert_false (lk_vcard_reader_next (big, NULL, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "split it"));
}

static void
check_round_trip (LkLead         *lead,
                  LkVcardVersion  version)
{
  g_autofree char *card = lk_vcard_from_lead (lead, version);
  g_autoptr(LkVcardReader) reader = reader_for (card);
  LkRecord *record = LK_RECORD (lead);
  g_auto(GStrv) lines = g_strsplit (card, "\r\n", -1);
  g_autofree char *tags = g_strjoinv (",", (char **) lk_record_get_tags (record, LK_LEAD_TAGS));

  /* Folded at 75 octets, CRLF everywhere */
  for (guint i = 0; lines[i]; i++)
    {
      g_assert_cmpuint (strlen (lines[i]), <=, 75);
      g_assert_null (strchr (lines[i], '\n'));
      g_assert_true (g_utf8_validate (lines[i], -1, NULL));
    }
  g_assert_true (g_str_has_suffix (card, "END:VCARD\r\n"));

  next_card (reader);
  g_assert_null (lk_vcard_reader_get_problem (reader));
  g_assert_cmpstr (lk_vcard_reader_get_version (reader), ==, version == LK_VCARD_VERSION_4 ? "4.0" : "3.0");
  g_assert_cmpstr (F (reader, CONTACT), ==, lk_lead_get_contact (lead));
  g_assert_cmpstr (F (reader, COMPANY), ==, lk_lead_get_company (lead));
  g_assert_cmpstr (F (reader, TITLE), ==, lk_record_get_string (record, LK_LEAD_TITLE));
  g_assert_cmpstr (F (reader, PHONE), ==, lk_record_get_string (record, LK_LEAD_PHONE));
  g_assert_cmpstr (F (reader, EMAIL), ==, lk_record_get_string (record, LK_LEAD_EMAIL));
  g_assert_cmpstr (F (reader, IM), ==, lk_record_get_string (record, LK_LEAD_IM));
  g_assert_cmpstr (F (reader, REGION), ==, lk_record_get_string (record, LK_LEAD_REGION));
  g_assert_cmpstr (F (reader, NOTES), ==, lk_record_get_string (record, LK_LEAD_NOTES));
  g_assert_cmpstr (F (reader, TAGS), ==, tags);
  g_assert_cmpstr (F (reader, OTHER), ==, "");
  assert_end (reader);
}

static void
test_round_trip (void)
{
  g_autoptr(LkLead) chinese = lk_test_lead_new ("company", "上海华信科技有限公司, 研发中心; 二部",
                                                "contact", "欧阳娜娜",
                                                "title", "采购经理",
                                                "phone", "+8613800138000",
                                                "email", "lilei@huaxin.example.com",
                                                "im", "lilei_wx",
                                                "region", "上海",
                                                "tags", "重点客户,展会",
                                                "notes", "第一行\n第二行: 有逗号, 分号; 反斜杠 \\ 还有一段很长很长很长很长很长很长很长很长很长很长很长很长的文字",
                                                NULL);
  g_autoptr(LkLead) company_only = lk_test_lead_new ("company", "Northwind GmbH", NULL);
  g_autofree char *card = NULL;

  check_round_trip (chinese, LK_VCARD_VERSION_4);
  check_round_trip (chinese, LK_VCARD_VERSION_3);
  check_round_trip (company_only, LK_VCARD_VERSION_4);
  check_round_trip (company_only, LK_VCARD_VERSION_3);

  card = lk_vcard_from_lead (chinese, LK_VCARD_VERSION_4);
  g_assert_nonnull (strstr (card, "\r\nN:欧;阳娜娜;;;\r\n"));
  g_assert_nonnull (strstr (card, "\r\nTEL;VALUE=uri;TYPE=\"work,voice\";PREF=1:tel:+8613800138000\r\n"));
}

static LkImport *
import_fixture (LkStore        *store,
                const char     *name,
                LkImportPolicy  policy,
                gboolean        dry_run)
{
  g_autofree char *path = fixture (name);
  g_autoptr(LkImport) import = lk_import_new (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_import_open (import, NULL, 0, &error));
  g_assert_no_error (error);
  g_assert_true (lk_import_get_is_vcard (import));
  lk_import_set_policy (import, policy);
  g_assert_true (lk_import_run (import, store, dry_run, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&import);
}

static LkLead *
find_by_contact (LkStore    *store,
                 const char *contact)
{
  g_autoptr(LkLeadQuery) query = lk_lead_query_new ();
  g_autoptr(GPtrArray) leads = lk_store_query_leads (store, query, 0, NULL);

  for (guint i = 0; leads != NULL && i < leads->len; i++)
    if (g_str_equal (lk_lead_get_contact (g_ptr_array_index (leads, i)), contact))
      return g_object_ref (g_ptr_array_index (leads, i));
  return NULL;
}

static void
test_import (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkImport) dry = import_fixture (db->store, "ios-contacts.vcf", LK_IMPORT_DUPLICATES_SKIP, TRUE);
  g_autoptr(LkImport) import = NULL;
  g_autoptr(LkImport) again = NULL;
  g_autoptr(LkImport) scanner = NULL;
  g_autoptr(LkLead) lilei = NULL;
  g_autoptr(LkLead) chen = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *preview;

  g_assert_cmpuint (lk_import_get_n_new (dry), ==, 3);
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, 0);
  preview = lk_import_get_preview (dry);
  g_assert_cmpuint (preview->len, ==, 3);
  g_assert_cmpstr (((char **) g_ptr_array_index (preview, 0))[LK_VCARD_CONTACT], ==, "李雷");
  g_assert_cmpuint (lk_import_get_n_columns (dry), ==, LK_VCARD_N_FIELDS);
  g_assert_cmpint (lk_import_get_target (dry, LK_VCARD_COMPANY), ==, LK_IMPORT_COMPANY);

  import = import_fixture (db->store, "ios-contacts.vcf", LK_IMPORT_DUPLICATES_SKIP, FALSE);
  g_assert_cmpuint (lk_import_get_n_created (import), ==, 3);
  g_assert_cmpuint (lk_import_get_n_invalid (import), ==, 0);
  lilei = find_by_contact (db->store, "李雷");
  g_assert_nonnull (lilei);
  /* Normalised as any import: the phone in E.164 */
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lilei), LK_LEAD_PHONE), ==, "+8613800138000");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lilei), LK_LEAD_EMAIL), ==, "LiLei@HuaXin.example.com");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lilei), LK_LEAD_REGION), ==, "上海");
  g_assert_true (g_str_has_prefix (lk_record_get_string (LK_RECORD (lilei), LK_LEAD_NOTES),
                                   "展会上认识\n需要报价, 比价中\nDepartment: 采购部\n"));

  /* The same cards again are duplicates */
  again = import_fixture (db->store, "ios-contacts.vcf", LK_IMPORT_DUPLICATES_SKIP, FALSE);
  g_assert_cmpuint (lk_import_get_n_duplicates (again), ==, 3);
  g_assert_cmpuint (lk_import_get_n_created (again), ==, 0);

  scanner = import_fixture (db->store, "scanner-4.0.vcf", LK_IMPORT_DUPLICATES_SKIP, FALSE);
  g_assert_cmpuint (lk_import_get_n_created (scanner), ==, 1);
  chen = find_by_contact (db->store, "陈静");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (chen), LK_LEAD_IM), ==, "chenjing_sz");
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, 4);

  /* Undo takes the scanner's card back */
  g_assert_true (lk_import_undo (db->store, lk_import_get_id (scanner), NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, 3);
}

static void
test_import_invalid (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkImport) import = import_fixture (db->store, "invalid.vcf", LK_IMPORT_DUPLICATES_SKIP, FALSE);
  GPtrArray *problems = lk_import_get_problems (import);
  const guint lines[] = { 9, 14, 16, 25 };

  g_assert_cmpuint (lk_import_get_n_rows (import), ==, 6);
  g_assert_cmpuint (lk_import_get_n_created (import), ==, 2);
  g_assert_cmpuint (lk_import_get_n_invalid (import), ==, 4);
  g_assert_cmpuint (problems->len, ==, G_N_ELEMENTS (lines));
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      LkImportProblem *problem = g_ptr_array_index (problems, i);

      g_assert_cmpuint (problem->line, ==, lines[i]);
      g_assert_cmpstr (problem->reason, !=, "");
    }
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, 2);
}

/* Found by fuzz-vcard (tests/core/data/fuzz-invalid-utf8.vcf, with the
 * limits of its first byte): bytes that are neither UTF-8 nor GB18030
 * must not reach a lead as invalid UTF-8. */
static void
test_fuzz_invalid_utf8 (void)
{
  g_autoptr(LkVcardReader) reader = open_fixture ("fuzz-invalid-utf8.vcf");
  g_autoptr(GError) error = NULL;
  guint cards = 0;

  lk_vcard_reader_set_limits (reader, 512, 1 << 20);
  while (lk_vcard_reader_next (reader, NULL, &error) && cards++ < 100)
    {
      const char * const *fields = lk_vcard_reader_get_fields (reader);

      for (guint i = 0; i < LK_VCARD_N_FIELDS; i++)
        g_assert_true (g_utf8_validate (fields[i], -1, NULL));
    }
  g_assert_cmpuint (cards, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vcard/ios", test_ios);
  g_test_add_func ("/vcard/android", test_android);
  g_test_add_func ("/vcard/scanner", test_scanner);
  g_test_add_func ("/vcard/charsets", test_charsets);
  g_test_add_func ("/vcard/bad-cards", test_bad_cards);
  g_test_add_func ("/vcard/fuzz-invalid-utf8", test_fuzz_invalid_utf8);
  g_test_add_func ("/vcard/not-vcard", test_not_vcard);
  g_test_add_func ("/vcard/limits", test_limits);
  g_test_add_func ("/vcard/round-trip", test_round_trip);
  g_test_add_func ("/vcard/import", test_import);
  g_test_add_func ("/vcard/import-invalid", test_import_invalid);
  return g_test_run ();
}
