/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <glib/gstdio.h>
#include <string.h>

#include "lk-doc.h"
#include "lk-import.h"
#include "lk-store-import.h"
#include "lk-test-util.h"

/* CSV import end to end over a real database: header synonyms, values as
 * spreadsheets write them, invalid rows with their lines, each duplicate
 * policy, dry runs, cancel, undo, and the schema migration that brought
 * the duplicate keys. */

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "core", "data", name, NULL);
}

static void
add_team (LkStore *store)
{
  const char *team[][2] = { { "hanmeimei", "韩梅梅" }, { "lilei", "李雷" }, { "anna", "Anna Weber" } };

  for (guint i = 0; i < G_N_ELEMENTS (team); i++)
    {
      g_autoptr(LkUser) user = lk_user_new (team[i][0], team[i][1], "rep");
      g_autoptr(GError) error = NULL;

      g_assert_true (lk_store_save_user (store, user, &error));
      g_assert_no_error (error);
    }
}

static LkImport *
run_import (LkStore        *store,
            const char     *name,
            LkImportPolicy  policy,
            gboolean        dry_run)
{
  g_autofree char *path = fixture (name);
  g_autoptr(LkImport) import = lk_import_new (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_import_open (import, NULL, 0, &error));
  g_assert_no_error (error);
  lk_import_set_policy (import, policy);
  g_assert_true (lk_import_run (import, store, dry_run, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&import);
}

static LkLead *
find_by_company (LkStore    *store,
                 const char *company)
{
  g_autoptr(LkLeadQuery) query = lk_lead_query_new ();
  g_autoptr(GPtrArray) leads = lk_store_query_leads (store, query, 0, NULL);

  for (guint i = 0; leads != NULL && i < leads->len; i++)
    if (g_str_equal (lk_lead_get_company (g_ptr_array_index (leads, i)), company))
      return g_object_ref (g_ptr_array_index (leads, i));
  return NULL;
}

static gint64
local_time (LkStore *store,
            int      year,
            int      month,
            int      day)
{
  g_autoptr(GDateTime) dt = g_date_time_new (lk_clock_get_timezone (lk_store_get_clock (store)),
                                             year, month, day, 0, 0, 0);

  return g_date_time_to_unix (dt) * 1000;
}

static void
test_guess_targets (void)
{
  const struct
  {
    const char     *header;
    LkImportTarget  target;
  } cases[] = {
    { "公司名称", LK_IMPORT_COMPANY }, { "公司", LK_IMPORT_COMPANY }, { "客户名称", LK_IMPORT_COMPANY },
    { "*公司名称", LK_IMPORT_COMPANY }, { "Company", LK_IMPORT_COMPANY }, { "Company name", LK_IMPORT_COMPANY },
    { "联系人", LK_IMPORT_CONTACT }, { "姓名", LK_IMPORT_CONTACT }, { "Contact", LK_IMPORT_CONTACT },
    { "Name", LK_IMPORT_CONTACT }, { "联系电话", LK_IMPORT_PHONE }, { "电话", LK_IMPORT_PHONE },
    { "手机", LK_IMPORT_PHONE }, { "手机号", LK_IMPORT_PHONE }, { "Phone", LK_IMPORT_PHONE },
    { "Mobile", LK_IMPORT_PHONE }, { "邮箱", LK_IMPORT_EMAIL }, { "电子邮件", LK_IMPORT_EMAIL },
    { "Email", LK_IMPORT_EMAIL }, { "E-mail", LK_IMPORT_EMAIL }, { "职位", LK_IMPORT_TITLE },
    { "Title", LK_IMPORT_TITLE }, { "行业", LK_IMPORT_INDUSTRY }, { "Industry", LK_IMPORT_INDUSTRY },
    { "地区", LK_IMPORT_REGION }, { "省份", LK_IMPORT_REGION }, { "城市", LK_IMPORT_REGION },
    { "Region", LK_IMPORT_REGION }, { "线索来源", LK_IMPORT_SOURCE }, { "来源", LK_IMPORT_SOURCE },
    { "Source", LK_IMPORT_SOURCE }, { "活动", LK_IMPORT_CAMPAIGN }, { "Campaign", LK_IMPORT_CAMPAIGN },
    { "需求", LK_IMPORT_NEEDS }, { "Needs", LK_IMPORT_NEEDS }, { "意向等级", LK_IMPORT_GRADE },
    { "等级", LK_IMPORT_GRADE }, { "Grade", LK_IMPORT_GRADE }, { "温度", LK_IMPORT_TEMPERATURE },
    { "Temperature", LK_IMPORT_TEMPERATURE }, { "预算", LK_IMPORT_BUDGET }, { "Budget", LK_IMPORT_BUDGET },
    { "金额", LK_IMPORT_AMOUNT }, { "预计金额（万元）", LK_IMPORT_AMOUNT }, { "Amount", LK_IMPORT_AMOUNT },
    { "负责人", LK_IMPORT_OWNER }, { "销售", LK_IMPORT_OWNER }, { "Owner", LK_IMPORT_OWNER },
    { "标签", LK_IMPORT_TAGS }, { "Tags", LK_IMPORT_TAGS }, { "备注", LK_IMPORT_NOTES },
    { "Notes", LK_IMPORT_NOTES }, { "下次跟进", LK_IMPORT_NEXT_FOLLOWUP },
    { "Next follow-up", LK_IMPORT_NEXT_FOLLOWUP }, { "聯絡電話", LK_IMPORT_PHONE }, { "客戶名稱", LK_IMPORT_COMPANY },
    { "Lieblingsfarbe", LK_IMPORT_KEEP_IN_NOTES }, { "", LK_IMPORT_IGNORE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].header);
      g_assert_cmpint (lk_import_guess_target (cases[i].header), ==, cases[i].target);
    }
}

static void
test_parse_values (void)
{
  const struct
  {
    const char *text;
    gint64      unit;
    gint64      minor;
  } amounts[] = {
    { "125000", 1, 12500000 }, { "125,000.50", 1, 12500050 }, { "¥12,000", 1, 1200000 },
    { "￥１２，０００", 1, 1200000 }, { "3.5万", 1, 3500000 }, { "3.5万元", 1, 3500000 },
    { "1200元", 1, 120000 }, { "RMB 5000", 1, 500000 }, { "1.2亿", 1, 12000000000 }, { "50k", 1, 5000000 },
    { "12.5", 10000, 12500000 }, { "800元", 10000, 80000 }, { "", 1, 0 },
  };
  const char *bad_amounts[] = { "很多", "-5", "1.2.3", "12abc" };
  const struct
  {
    const char *text;
    int         y, m, d, hh, mm;
  } dates[] = {
    { "2024-05-03", 2024, 5, 3, 0, 0 }, { "2024/5/3", 2024, 5, 3, 0, 0 }, { "2024.5.3", 2024, 5, 3, 0, 0 },
    { "2024年5月3日", 2024, 5, 3, 0, 0 }, { "２０２４年５月３日", 2024, 5, 3, 0, 0 },
    { "2024-05-03 14:30", 2024, 5, 3, 14, 30 }, { "2024/5/3 9:05", 2024, 5, 3, 9, 5 },
  };
  const char *bad_dates[] = { "明天", "2024-13-01", "2024-02-30", "3/5/2024x" };
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
  const char *grade = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (amounts); i++)
    {
      gint64 minor = -1;

      g_test_message ("%s", amounts[i].text);
      g_assert_true (lk_import_parse_amount (amounts[i].text, amounts[i].unit, &minor));
      g_assert_cmpint (minor, ==, amounts[i].minor);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_amounts); i++)
    {
      gint64 minor = 0;

      g_assert_false (lk_import_parse_amount (bad_amounts[i], 1, &minor));
    }
  for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      g_autoptr(GDateTime) expected = g_date_time_new (tz, dates[i].y, dates[i].m, dates[i].d,
                                                       dates[i].hh, dates[i].mm, 0);
      gint64 ms = 0;

      g_test_message ("%s", dates[i].text);
      g_assert_true (lk_import_parse_date (dates[i].text, tz, &ms));
      g_assert_cmpint (ms, ==, g_date_time_to_unix (expected) * 1000);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_dates); i++)
    {
      gint64 ms = 0;

      g_assert_false (lk_import_parse_date (bad_dates[i], tz, &ms));
    }
  g_assert_true (lk_import_parse_grade ("高", &grade));
  g_assert_cmpstr (grade, ==, "A");
  g_assert_true (lk_import_parse_grade ("b", &grade));
  g_assert_cmpstr (grade, ==, "B");
  g_assert_true (lk_import_parse_grade ("低", &grade));
  g_assert_cmpstr (grade, ==, "C");
  g_assert_true (lk_import_parse_grade ("Ｃ级", &grade));
  g_assert_cmpstr (grade, ==, "C");
  g_assert_false (lk_import_parse_grade ("D", &grade));
}

static void
check_chinese_leads (LkStore *store)
{
  g_autoptr(LkLead) huaxin = find_by_company (store, "上海华信科技有限公司");
  g_autoptr(LkLead) hengda = find_by_company (store, "北京恒达物流有限公司");
  g_autoptr(LkLead) yoshinoya = find_by_company (store, "𠮷野家餐饮管理有限公司");
  const char *tags[] = { "重点客户", "比价中", NULL };
  LkRecord *r;

  g_assert_nonnull (huaxin);
  r = LK_RECORD (huaxin);
  g_assert_cmpstr (lk_lead_get_contact (huaxin), ==, "李雷");
  g_assert_cmpstr (lk_record_get_string (r, LK_LEAD_TITLE), ==, "采购经理");
  g_assert_cmpstr (lk_record_get_string (r, LK_LEAD_PHONE), ==, "+8613800138000");
  g_assert_cmpstr (lk_record_get_string (r, LK_LEAD_EMAIL), ==, "LiLei@HuaXin.example.com");
  g_assert_cmpstr (lk_record_get_string (r, LK_LEAD_REGION), ==, "上海");
  g_assert_cmpstr (lk_record_get_string (r, LK_LEAD_SOURCE), ==, "展会");
  g_assert_cmpstr (lk_record_get_string (r, LK_LEAD_GRADE), ==, "A");
  /* 12.5 in a column of 万元 */
  g_assert_cmpint (lk_lead_get_amount (huaxin), ==, 12500000);
  g_assert_cmpstr (lk_lead_get_owner (huaxin), ==, "user:hanmeimei");
  g_assert_true (g_strv_equal ((const char * const *) tags, lk_record_get_tags (r, LK_LEAD_TAGS)));
  g_assert_cmpstr (lk_record_get_string (r, LK_LEAD_NOTES), ==, "需要报价");
  g_assert_cmpint (lk_record_get_int (r, LK_LEAD_NEXT_FOLLOWUP_AT), ==, local_time (store, 2024, 5, 20));
  g_assert_cmpstr (lk_lead_get_stage (huaxin), ==, "new");

  g_assert_nonnull (hengda);
  r = LK_RECORD (hengda);
  g_assert_cmpstr (lk_record_get_string (r, LK_LEAD_GRADE), ==, "A");  /* 高 */
  g_assert_cmpstr (lk_lead_get_owner (hengda), ==, "user:lilei");      /* by display name */
  g_assert_cmpstr (lk_record_get_string (r, LK_LEAD_NOTES), ==, "第一行\n第二行");
  g_assert_cmpint (lk_record_get_int (r, LK_LEAD_NEXT_FOLLOWUP_AT), ==, local_time (store, 2024, 6, 1));

  g_assert_nonnull (yoshinoya);
  r = LK_RECORD (yoshinoya);
  g_assert_cmpstr (lk_record_get_string (r, LK_LEAD_PHONE), ==, "+861065529988");
  /* "1,200元": the cell's own unit wins over the column's 万元 */
  g_assert_cmpint (lk_lead_get_amount (yoshinoya), ==, 120000);
  g_assert_cmpstr (lk_record_get_string (r, LK_LEAD_NOTES), ==, "他说\"尽快\"报价");
  g_assert_null (lk_lead_get_owner (yoshinoya));
}

static void
test_import_excel (void)
{
  const char *files[] = { "excel-utf8.csv", "excel-gb18030.csv" };

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autoptr(LkTestDb) db = lk_test_db_new ();
      g_autoptr(LkImport) import = NULL;
      sqlite3 *peek = lk_test_db_peek (db);

      add_team (db->store);
      import = run_import (db->store, files[f], LK_IMPORT_DUPLICATES_SKIP, FALSE);
      g_assert_cmpuint (lk_import_get_n_rows (import), ==, 4);
      g_assert_cmpuint (lk_import_get_n_created (import), ==, 4);
      g_assert_cmpuint (lk_import_get_n_invalid (import), ==, 0);
      g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, 4);
      check_chinese_leads (db->store);

      /* Written like any local edit: queued for sync with their history,
       * searchable, with their duplicate keys. */
      g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM outbox WHERE doc_id LIKE 'lead:%'", NULL), ==, 4);
      g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM stage_changes", NULL), ==, 4);
      /* Their search rows are the catch-up's (lk_import_run_finish()
       * starts it in the background). */
      g_assert_true (lk_store_get_search_pending (db->store));
      g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM leads_search WHERE leads_search MATCH '华信科技'", NULL), ==, 0);
      g_assert_true (lk_store_catch_up_search (db->store, 0, NULL, NULL));
      g_assert_false (lk_store_get_search_pending (db->store));
      g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM leads_search WHERE leads_search MATCH '华信科技'", NULL), ==, 1);
      g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM leads WHERE company_key = '上海华信科技' "
                                              "AND phone_key = '+8613800138000' AND email_key = 'lilei@huaxin.example.com' "
                                              "AND contact_key = '李雷'", NULL), ==, 1);
      g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM import_leads WHERE changes IS NULL", NULL), ==, 4);
      {
        g_autoptr(GPtrArray) problems = lk_store_check (db->store, NULL);

        g_assert_cmpuint (problems->len, ==, 0);
      }
    }
}

static void
test_import_other_files (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkImport) unicode = NULL;
  g_autoptr(LkImport) libre = NULL;
  g_autoptr(LkImport) semicolon = NULL;
  g_autoptr(LkLead) blue = NULL;
  g_autoptr(LkLead) summit = NULL;
  g_autoptr(LkLead) nova = NULL;

  add_team (db->store);
  /* Rows without a currency are in the team's */
  g_assert_true (lk_store_set_currency (db->store, "SGD", NULL));
  unicode = run_import (db->store, "excel-unicode.txt", LK_IMPORT_DUPLICATES_SKIP, FALSE);
  g_assert_cmpuint (lk_import_get_n_created (unicode), ==, 3);
  libre = run_import (db->store, "libreoffice.csv", LK_IMPORT_DUPLICATES_SKIP, FALSE);
  g_assert_cmpuint (lk_import_get_n_created (libre), ==, 3);
  semicolon = run_import (db->store, "semicolon-cr.csv", LK_IMPORT_DUPLICATES_SKIP, FALSE);
  g_assert_cmpuint (lk_import_get_n_created (semicolon), ==, 2);

  blue = find_by_company (db->store, "Blue River Co., Ltd.");
  g_assert_nonnull (blue);
  g_assert_cmpint (lk_lead_get_amount (blue), ==, 12500050);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (blue), LK_LEAD_CURRENCY), ==, "SGD");
  g_assert_cmpstr (lk_lead_get_owner (blue), ==, "user:anna");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (blue), LK_LEAD_PHONE), ==, "+14155550132");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (blue), LK_LEAD_CAMPAIGN), ==, "Spring Webinar");
  summit = find_by_company (db->store, "Summit Apex, Inc.");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (summit), LK_LEAD_GRADE), ==, "A");
  g_assert_cmpint (lk_lead_get_amount (summit), ==, 1200000);
  /* "Firma" is a company column too */
  nova = find_by_company (db->store, "Nova SA");
  g_assert_nonnull (nova);
  g_assert_cmpstr (lk_lead_get_contact (nova), ==, "Marie Dubois");
}

static void
test_invalid_rows (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkImport) import = NULL;
  GPtrArray *problems;
  const struct
  {
    guint       line;
    const char *reason;
  } expected[] = {
    { 3, "“12345” is not a possible phone number" },
    { 4, "“sun-at-example.com” is not an email address" },
    { 5, "A lead needs a company or a contact name" },
    { 6, "意向等级: “D” is not a grade" },
    { 7, "金额: “很多” is not an amount" },
    { 8, "下次跟进: “明天” is not a date" },
    { 9, "负责人: “王小明” is not a member of the team" },
    { 10, "the row has 9 cells but the header names 8 columns" },
  };

  import = run_import (db->store, "invalid-rows.csv", LK_IMPORT_DUPLICATES_SKIP, FALSE);
  /* The blank row (line 11) is no row at all. */
  g_assert_cmpuint (lk_import_get_n_rows (import), ==, 10);
  g_assert_cmpuint (lk_import_get_n_invalid (import), ==, G_N_ELEMENTS (expected));
  g_assert_cmpuint (lk_import_get_n_created (import), ==, 2);
  problems = lk_import_get_problems (import);
  g_assert_cmpuint (problems->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < problems->len; i++)
    {
      LkImportProblem *problem = g_ptr_array_index (problems, i);

      g_test_message ("line %u: %s", problem->line, problem->reason);
      g_assert_cmpuint (problem->line, ==, expected[i].line);
      g_assert_true (g_str_has_prefix (problem->reason, expected[i].reason));
    }
  /* The valid rows are there, the invalid ones are not. */
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, 2);
  {
    g_autoptr(LkLead) ok = find_by_company (db->store, "多行备注有限公司");

    g_assert_nonnull (ok);
    g_assert_cmpint (lk_lead_get_amount (ok), ==, 5000000);
  }
}

/* A quote never closed runs to the end of the file: that row is reported
 * with its line, and the rows before it are imported. */
static void
test_unclosed_quote (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkImport) import = run_import (db->store, "unclosed-quote.csv", LK_IMPORT_DUPLICATES_SKIP, FALSE);
  g_autoptr(LkLead) good = NULL;
  LkImportProblem *problem;

  g_assert_cmpuint (lk_import_get_n_created (import), ==, 1);
  g_assert_cmpuint (lk_import_get_n_invalid (import), ==, 1);
  problem = g_ptr_array_index (lk_import_get_problems (import), 0);
  g_assert_cmpuint (problem->line, ==, 3);
  g_assert_cmpstr (problem->reason, ==, "a quoted field that starts on this line is never closed (a \" is missing)");
  good = find_by_company (db->store, "Good Ltd");
  g_assert_nonnull (good);
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, 1);
}

/* An existing lead that rows 1 and 2 of the Chinese file duplicate: row 1
 * by phone (written differently), row 2 by company and contact. */
static LkTestDb *
db_with_existing (void)
{
  LkTestDb *db = lk_test_db_new ();
  g_autoptr(LkLead) by_phone = NULL;
  g_autoptr(LkLead) by_name = NULL;

  add_team (db->store);
  by_phone = lk_test_create_lead (db->store, "company", "华信 (旧名)", "contact", "李雷",
                                  "phone", "+86 138-0013-8000", "title", "老职位", "notes", "老客户", NULL);
  by_name = lk_test_create_lead (db->store, "company", "北京恒达物流", "contact", "王芳", NULL);
  return db;
}

static void
test_policy_skip (void)
{
  g_autoptr(LkTestDb) db = db_with_existing ();
  g_autoptr(LkImport) dry = run_import (db->store, "excel-utf8.csv", LK_IMPORT_DUPLICATES_SKIP, TRUE);
  g_autoptr(LkImport) import = NULL;
  g_autoptr(LkLead) old = NULL;
  gint64 outbox = lk_store_count_outbox (db->store, NULL);

  g_assert_cmpuint (lk_import_get_n_new (dry), ==, 2);
  g_assert_cmpuint (lk_import_get_n_duplicates (dry), ==, 2);
  /* A dry run writes nothing */
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, 2);
  g_assert_cmpint (lk_store_count_outbox (db->store, NULL), ==, outbox);

  import = run_import (db->store, "excel-utf8.csv", LK_IMPORT_DUPLICATES_SKIP, FALSE);
  g_assert_cmpuint (lk_import_get_n_new (import), ==, 2);
  g_assert_cmpuint (lk_import_get_n_duplicates (import), ==, 2);
  g_assert_cmpuint (lk_import_get_n_created (import), ==, 2);
  g_assert_cmpuint (lk_import_get_n_skipped (import), ==, 2);
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, 4);
  old = find_by_company (db->store, "华信 (旧名)");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (old), LK_LEAD_TITLE), ==, "老职位");

  /* The same file again: every row is a duplicate now. */
  g_clear_object (&import);
  import = run_import (db->store, "excel-utf8.csv", LK_IMPORT_DUPLICATES_SKIP, FALSE);
  g_assert_cmpuint (lk_import_get_n_duplicates (import), ==, 4);
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, 4);
}

static void
test_policy_update (void)
{
  g_autoptr(LkTestDb) db = db_with_existing ();
  g_autoptr(LkImport) import = run_import (db->store, "excel-utf8.csv", LK_IMPORT_DUPLICATES_UPDATE, FALSE);
  g_autoptr(LkLead) old = NULL;
  g_autoptr(LkLead) hengda = NULL;
  sqlite3 *peek = lk_test_db_peek (db);

  g_assert_cmpuint (lk_import_get_n_created (import), ==, 2);
  g_assert_cmpuint (lk_import_get_n_updated (import), ==, 2);
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, 4);
  /* The file's cells replace the lead's values; its name stays (the row
   * has one, which replaces it too); notes follow the lead's own. */
  old = find_by_company (db->store, "上海华信科技有限公司");
  g_assert_nonnull (old);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (old), LK_LEAD_TITLE), ==, "采购经理");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (old), LK_LEAD_NOTES), ==, "老客户\n需要报价");
  g_assert_cmpstr (lk_lead_get_owner (old), ==, "user:hanmeimei");
  hengda = find_by_company (db->store, "北京恒达物流有限公司");
  g_assert_nonnull (hengda);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (hengda), LK_LEAD_PHONE), ==, "+8613912345678");
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM import_leads WHERE changes IS NOT NULL", NULL), ==, 2);
}

static void
test_policy_create (void)
{
  g_autoptr(LkTestDb) db = db_with_existing ();
  g_autoptr(LkImport) import = run_import (db->store, "excel-utf8.csv", LK_IMPORT_DUPLICATES_CREATE, FALSE);

  g_assert_cmpuint (lk_import_get_n_duplicates (import), ==, 2);
  g_assert_cmpuint (lk_import_get_n_created (import), ==, 4);
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, 6);
}

static char *
write_file (LkTestDb   *db,
            const char *name,
            const char *text)
{
  char *path = g_build_filename (db->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
  return path;
}

/* Rows of one file that are the same customer: the dry run counts what
 * the import does. */
static void
test_duplicates_in_file (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autofree char *path = write_file (db, "dups.csv",
                                      "公司,联系人,手机,邮箱\n"
                                      "甲公司,张三,13800000001,a@example.com\n"
                                      "乙公司,李四,138 0000 0001,\n"       /* phone of line 2 */
                                      "丙公司,王五,,A@Example.com\n"       /* email of line 2 */
                                      "甲有限公司,张三,,\n"                /* company and contact of line 2 */
                                      "甲公司,赵六,,\n");                  /* same company, another person */
  for (guint dry = 0; dry < 2; dry++)
    {
      g_autoptr(LkImport) import = lk_import_new (path);
      g_autoptr(GError) error = NULL;

      g_assert_true (lk_import_open (import, NULL, 0, &error));
      g_assert_true (lk_import_run (import, db->store, !dry, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (lk_import_get_n_new (import), ==, 2);
      g_assert_cmpuint (lk_import_get_n_duplicates (import), ==, 3);
    }
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, 2);
}

static void
test_undo (void)
{
  g_autoptr(LkTestDb) db = db_with_existing ();
  g_autoptr(LkImport) import = run_import (db->store, "excel-utf8.csv", LK_IMPORT_DUPLICATES_UPDATE, FALSE);
  g_autoptr(LkLead) edited = find_by_company (db->store, "北京恒达物流有限公司");
  g_autoptr(LkLead) restored = NULL;
  g_autoptr(LkLead) kept = NULL;
  g_autoptr(LkImportEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *peek = lk_test_db_peek (db);
  guint n_kept = 0;

  /* Someone edits a value the import wrote, before the undo. */
  lk_record_set_string (LK_RECORD (edited), LK_LEAD_TITLE, "董事长");
  g_assert_true (lk_store_update_lead (db->store, edited, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (lk_import_undo (db->store, 0, NULL, NULL, NULL, &n_kept, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_kept, ==, 1);
  /* Created leads are deleted, as tombstones that sync. */
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, 2);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM outbox WHERE op = 'delete'", NULL), ==, 2);
  /* Updated leads are back as they were */
  restored = find_by_company (db->store, "华信 (旧名)");
  g_assert_nonnull (restored);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (restored), LK_LEAD_TITLE), ==, "老职位");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (restored), LK_LEAD_NOTES), ==, "老客户");
  g_assert_null (lk_lead_get_owner (restored));
  g_assert_cmpint (lk_record_get_int (LK_RECORD (restored), LK_LEAD_ASSIGNED_AT), ==, 0);
  /* …but a value edited since the import stays. */
  kept = find_by_company (db->store, "北京恒达物流");
  g_assert_nonnull (kept);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (kept), LK_LEAD_TITLE), ==, "董事长");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (kept), LK_LEAD_PHONE), ==, "");

  entry = lk_store_get_import (db->store, lk_import_get_id (import), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (entry->state, ==, "undone");
  g_assert_cmpint (entry->n_created, ==, 2);
  g_assert_cmpint (entry->n_updated, ==, 2);
  /* Once only; and then there is no import left to undo. */
  g_assert_false (lk_import_undo (db->store, lk_import_get_id (import), NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (lk_import_undo (db->store, 0, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_NOT_FOUND);
}

static void
cancel_after_first_batch (double   fraction,
                          gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_cancel (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(GString) csv = g_string_new ("公司,联系人\n");
  g_autofree char *path = NULL;
  g_autoptr(LkImport) import = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) imports = NULL;

  for (guint i = 0; i < 6000; i++)
    g_string_append_printf (csv, "公司%u,联系人%u\n", i, i);
  path = write_file (db, "big.csv", csv->str);
  import = lk_import_new (path);
  g_assert_true (lk_import_open (import, NULL, 0, &error));
  g_assert_false (lk_import_run (import, db->store, FALSE, cancellable, cancel_after_first_batch, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* What the first batch wrote was taken back. */
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, 0);
  imports = lk_store_list_imports (db->store, NULL);
  g_assert_cmpuint (imports->len, ==, 1);
  g_assert_cmpstr (((LkImportEntry *) g_ptr_array_index (imports, 0))->state, ==, "cancelled");
}

static gint64
count_leads_found (LkStore    *store,
                   const char *text)
{
  g_autoptr(LkLeadQuery) query = lk_lead_query_new ();
  g_autoptr(GPtrArray) leads = NULL;
  g_autoptr(GError) error = NULL;

  lk_lead_query_set_search (query, text);
  leads = lk_store_query_leads (store, query, 0, &error);
  g_assert_no_error (error);
  return leads->len;
}

/* A file of many more leads than the database holds loads in bulk: its
 * leads' search rows and the indexes the bulk load dropped are left to
 * the catch-up, and a kill before it is made good by the next open. */
static void
test_deferred_indexes (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(GString) csv = g_string_new ("公司,联系人,手机\n");
  g_autofree char *path = NULL;
  g_autoptr(LkImport) import = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  sqlite3 *peek;

  for (guint i = 0; i < 16000; i++)
    g_string_append_printf (csv, "华信%u科技,联系人%u,138%08u\n", i, i, i);
  path = write_file (db, "big.csv", csv->str);
  import = lk_import_new (path);
  g_assert_true (lk_import_open (import, NULL, 0, &error));
  g_assert_true (lk_import_run (import, db->store, FALSE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lk_import_get_n_created (import), ==, 16000);

  /* Written and committed: the leads, their history and sync entries */
  peek = lk_test_db_peek (db);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM leads", NULL), ==, 16000);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM stage_changes", NULL), ==, 16000);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM outbox", NULL), ==, 32000);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM import_leads", NULL), ==, 16000);
  /* … but not yet searchable, nor the reports' indexes made again */
  g_assert_true (lk_store_get_search_pending (db->store));
  g_assert_true (lk_store_get_bulk_load (db->store));
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM sqlite_master WHERE name = 'leads_report'", NULL), ==, 0);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM sqlite_master WHERE name = 'leads_phone_key'", NULL), ==, 1);
  g_assert_cmpint (count_leads_found (db->store, "华信15999科技"), ==, 0);

  /* Killed now: the next open finishes both. */
  sqlite3_close (db->peek);
  db->peek = NULL;
  g_clear_object (&db->store);
  db->store = lk_store_open (db->path, db->clock, &error);
  g_assert_no_error (error);
  peek = lk_test_db_peek (db);
  g_assert_false (lk_store_get_search_pending (db->store));
  g_assert_false (lk_store_get_bulk_load (db->store));
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM sqlite_master WHERE name = 'leads_report'", NULL), ==, 1);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM leads_search", NULL), ==, 16000);
  g_assert_cmpint (count_leads_found (db->store, "华信15999科技"), ==, 1);
  g_assert_cmpint (count_leads_found (db->store, "联系人0"), ==, 1);
  problems = lk_store_check (db->store, NULL);
  g_assert_cmpuint (problems->len, ==, 0);
}

typedef struct
{
  LkTestDb *db;
  gboolean  written;
} Meanwhile;

/* Another connection (the window) saves a lead after the first batch. */
static void
write_meanwhile (double   fraction,
                 gpointer user_data)
{
  Meanwhile *meanwhile = user_data;
  g_autoptr(LkStore) other = NULL;
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(GError) error = NULL;

  if (meanwhile->written)
    return;
  meanwhile->written = TRUE;
  other = lk_store_open (meanwhile->db->path, meanwhile->db->clock, &error);
  g_assert_no_error (error);
  lead = lk_test_create_lead (other, "company", "窗口里新建的公司", "phone", "13900005999", NULL);
}

/* The rows that are surely new are not looked up (the run keeps the keys
 * of the leads there and of those it writes): a lead another connection
 * saves meanwhile, or a key an updated lead takes, still makes a later
 * row a duplicate. */
static void
test_duplicate_keys_kept (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(GString) csv = g_string_new ("公司,联系人,手机,邮箱\n");
  g_autofree char *path = NULL;
  g_autofree char *path2 = NULL;
  g_autoptr(LkImport) import = NULL;
  g_autoptr(LkImport) update = NULL;
  g_autoptr(LkLead) existing = NULL;
  g_autoptr(GError) error = NULL;
  Meanwhile meanwhile = { db, FALSE };

  for (guint i = 0; i < 6000; i++)
    g_string_append_printf (csv, "公司%u,联系人%u,139%08u,\n", i, i, i);
  path = write_file (db, "meanwhile.csv", csv->str);
  import = lk_import_new (path);
  g_assert_true (lk_import_open (import, NULL, 0, &error));
  g_assert_true (lk_import_run (import, db->store, FALSE, NULL, write_meanwhile, &meanwhile, &error));
  g_assert_no_error (error);
  g_assert_true (meanwhile.written);
  g_assert_cmpuint (lk_import_get_n_duplicates (import), ==, 1);
  g_assert_cmpuint (lk_import_get_n_created (import), ==, 5999);
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, 6000);

  /* The first row updates a lead's email; the second has that email. */
  existing = lk_test_create_lead (db->store, "company", "老客户", "phone", "13700000001", "email", "old@laokehu.cn",
                                  NULL);
  path2 = write_file (db, "update.csv",
                      "公司,联系人,手机,邮箱\n"
                      "老客户,王伟,13700000001,new@laokehu.cn\n"
                      "老客户分公司,李静,13700000002,new@laokehu.cn\n");
  update = lk_import_new (path2);
  g_assert_true (lk_import_open (update, NULL, 0, &error));
  lk_import_set_policy (update, LK_IMPORT_DUPLICATES_UPDATE);
  g_assert_true (lk_import_run (update, db->store, FALSE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lk_import_get_n_updated (update), ==, 2);
  g_assert_cmpuint (lk_import_get_n_created (update), ==, 0);
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, 6001);
}

static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* The app's run: when it returns, the search rows of its leads are
 * written on a worker thread, and the store says so with ::changed. */
static void
test_async_search_in_background (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autofree char *path = write_file (db, "async.csv", "公司,联系人\n远航物流,周敏\n鼎盛电子,吴磊\n");
  g_autoptr(LkImport) import = lk_import_new (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(LkTestChanges) changes = NULL;
  g_autoptr(GError) error = NULL;
  guint n_changes;

  g_assert_true (lk_import_open (import, NULL, 0, &error));
  changes = lk_test_changes_new (db->store);
  lk_import_run_async (import, db->store, FALSE, NULL, async_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (lk_import_run_finish (import, result, &error));
  g_assert_no_error (error);
  n_changes = lk_test_changes_count (changes, "lead");
  /* The background catch-up emits ::changed for leads once it is done. */
  while (lk_test_changes_count (changes, "lead") == n_changes)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (lk_store_get_search_pending (db->store));
  g_assert_cmpint (count_leads_found (db->store, "远航"), ==, 1);
  g_assert_cmpint (count_leads_found (db->store, "吴磊"), ==, 1);
}

static void
test_mapping (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autofree char *path = write_file (db, "map.csv",
                                      "客户,Lieblingsfarbe,X\n"
                                      "甲公司,blau,1\n");
  g_autoptr(LkImport) import = lk_import_new (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(LkImport) nameless = NULL;

  g_assert_true (lk_import_open (import, NULL, 0, &error));
  g_assert_cmpint (lk_import_get_target (import, 0), ==, LK_IMPORT_COMPANY);
  g_assert_cmpint (lk_import_get_target (import, 1), ==, LK_IMPORT_KEEP_IN_NOTES);
  g_assert_cmpint (lk_import_find_column (import, "x"), ==, 2);
  g_assert_cmpint (lk_import_find_column (import, "2"), ==, 1);
  g_assert_cmpint (lk_import_find_column (import, "nope"), ==, -1);
  lk_import_set_target (import, 2, LK_IMPORT_CODE);
  lk_import_set_default_source (import, "展会");
  lk_import_set_default_campaign (import, "2024 上海工博会");
  g_assert_true (lk_import_run (import, db->store, FALSE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  lead = find_by_company (db->store, "甲公司");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_NOTES), ==, "Lieblingsfarbe: blau");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_CODE), ==, "1");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_SOURCE), ==, "展会");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_CAMPAIGN), ==, "2024 上海工博会");

  /* Without a company or contact column, nothing can import: said at once */
  nameless = lk_import_new (path);
  g_assert_true (lk_import_open (nameless, NULL, 0, &error));
  lk_import_set_target (nameless, 0, LK_IMPORT_IGNORE);
  g_assert_false (lk_import_run (nameless, db->store, TRUE, NULL, NULL, NULL, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_clear_error (&error);
  lk_import_set_target (nameless, 0, LK_IMPORT_COMPANY);
  lk_import_set_default_owner (nameless, "nobody-here");
  g_assert_false (lk_import_run (nameless, db->store, TRUE, NULL, NULL, NULL, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_NOT_FOUND);
}

/* A database of schema 1 gets the duplicate keys of its leads. */
static void
test_migration (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) lead = lk_test_create_lead (db->store, "company", "恒达物流集团有限公司", "contact", "王芳",
                                                "phone", "13912345678", NULL);
  g_autoptr(LkStore) reopened = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *peek = lk_test_db_peek (db);
  gint64 rowid;

  g_clear_object (&db->store);
  lk_test_sql_exec (peek, "DROP INDEX leads_phone_key; DROP INDEX leads_email_key; DROP INDEX leads_company_key;"
                          "ALTER TABLE leads DROP COLUMN phone_key; ALTER TABLE leads DROP COLUMN email_key;"
                          "ALTER TABLE leads DROP COLUMN company_key; ALTER TABLE leads DROP COLUMN contact_key;"
                          "DROP TABLE import_leads; DROP TABLE imports;" LK_TEST_SQL_SEARCH_BEFORE_8 "PRAGMA user_version = 1;");
  reopened = lk_store_open (db->path, db->clock, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lk_test_sql_int (peek, "PRAGMA user_version", NULL), ==, LK_SCHEMA_VERSION);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM leads WHERE company_key = '恒达物流' "
                                          "AND phone_key = '+8613912345678'", NULL), ==, 1);
  rowid = lk_store_find_duplicate (reopened, NULL, NULL, "恒达物流", "王芳", NULL, &error);
  g_assert_cmpint (rowid, ==, lk_record_get_rowid (LK_RECORD (lead)));
}

/* The lookups use their indexes, not a scan of 100,000 leads. */
static void
test_lookups_indexed (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  sqlite3 *peek = lk_test_db_peek (db);
  const char *queries[] = {
    "EXPLAIN QUERY PLAN SELECT rowid FROM leads WHERE phone_key = 'x' LIMIT 1",
    "EXPLAIN QUERY PLAN SELECT rowid FROM leads WHERE email_key = 'x' LIMIT 1",
    "EXPLAIN QUERY PLAN SELECT rowid FROM leads WHERE company_key = 'x' AND contact_key IS 'y' LIMIT 1",
  };
  const char *indexes[] = { "leads_phone_key", "leads_email_key", "leads_company_key" };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      sqlite3_stmt *stmt = NULL;
      g_autoptr(GString) plan = g_string_new (NULL);

      g_assert_cmpint (sqlite3_prepare_v2 (peek, queries[i], -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_string_append (plan, (const char *) sqlite3_column_text (stmt, 3));
      sqlite3_finalize (stmt);
      g_test_message ("%s", plan->str);
      g_assert_nonnull (strstr (plan->str, indexes[i]));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import/guess-targets", test_guess_targets);
  g_test_add_func ("/import/parse-values", test_parse_values);
  g_test_add_func ("/import/excel", test_import_excel);
  g_test_add_func ("/import/other-files", test_import_other_files);
  g_test_add_func ("/import/invalid-rows", test_invalid_rows);
  g_test_add_func ("/import/unclosed-quote", test_unclosed_quote);
  g_test_add_func ("/import/policy-skip", test_policy_skip);
  g_test_add_func ("/import/policy-update", test_policy_update);
  g_test_add_func ("/import/policy-create", test_policy_create);
  g_test_add_func ("/import/duplicates-in-file", test_duplicates_in_file);
  g_test_add_func ("/import/undo", test_undo);
  g_test_add_func ("/import/cancel", test_cancel);
  g_test_add_func ("/import/deferred-indexes", test_deferred_indexes);
  g_test_add_func ("/import/async-search-in-background", test_async_search_in_background);
  g_test_add_func ("/import/duplicate-keys-kept", test_duplicate_keys_kept);
  g_test_add_func ("/import/mapping", test_mapping);
  g_test_add_func ("/import/migration", test_migration);
  g_test_add_func ("/import/lookups-indexed", test_lookups_indexed);
  return g_test_run ();
}
