/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-dedup.h"

/* Duplicate keys: the ways people write the same company, person, phone
 * and email give one key; different customers keep different keys. */

#define ASSERT_SAME(func, a, b)                         \
  G_STMT_START {                                        \
    g_autofree char *ka = func (a);                     \
    g_autofree char *kb = func (b);                     \
    g_assert_nonnull (ka);                              \
    g_assert_cmpstr (ka, ==, kb);                       \
  } G_STMT_END

#define ASSERT_DIFFERENT(func, a, b)                    \
  G_STMT_START {                                        \
    g_autofree char *ka = func (a);                     \
    g_autofree char *kb = func (b);                     \
    g_assert_cmpstr (ka, !=, kb);                       \
  } G_STMT_END

static void
test_company_chinese (void)
{
  g_autofree char *key = lk_dedup_company_key ("上海华信科技有限公司");

  g_assert_cmpstr (key, ==, "上海华信科技");
  ASSERT_SAME (lk_dedup_company_key, "上海华信科技有限公司", "上海华信科技");
  ASSERT_SAME (lk_dedup_company_key, "上海华信科技有限公司", "上海华信科技 有限公司");
  ASSERT_SAME (lk_dedup_company_key, "上海华信科技有限公司", "上海华信科技股份有限公司");
  ASSERT_SAME (lk_dedup_company_key, "上海华信科技有限公司", "上海华信科技有限责任公司");
  ASSERT_SAME (lk_dedup_company_key, "恒达物流集团有限公司", "恒达物流");
  ASSERT_SAME (lk_dedup_company_key, "恒达物流集团", "恒达物流公司");
  ASSERT_SAME (lk_dedup_company_key, "台北華信科技股份有限公司", "台北華信科技");
  ASSERT_SAME (lk_dedup_company_key, "鼎盛集團", "鼎盛");
  /* Full-width letters, digits and brackets from a Chinese IME */
  ASSERT_SAME (lk_dedup_company_key, "ＡＢＣ科技（上海）有限公司", "ABC科技(上海)有限公司");
  ASSERT_SAME (lk_dedup_company_key, "３６０安全有限公司", "360安全");
  /* A name that is only a legal form is kept, not emptied */
  {
    g_autofree char *only = lk_dedup_company_key ("公司");

    g_assert_cmpstr (only, ==, "公司");
  }
  ASSERT_DIFFERENT (lk_dedup_company_key, "上海华信科技有限公司", "北京华信科技有限公司");
  ASSERT_DIFFERENT (lk_dedup_company_key, "华信科技", "华信物流");
}

static void
test_company_western (void)
{
  g_autofree char *key = lk_dedup_company_key ("Blue River Co., Ltd.");

  g_assert_cmpstr (key, ==, "blueriver");
  ASSERT_SAME (lk_dedup_company_key, "Blue River Co., Ltd.", "BLUE RIVER");
  ASSERT_SAME (lk_dedup_company_key, "Blue River Co., Ltd.", "Blue-River Ltd");
  ASSERT_SAME (lk_dedup_company_key, "Summit Apex, Inc.", "summit apex inc");
  ASSERT_SAME (lk_dedup_company_key, "Summit Apex, Inc.", "Summit Apex LLC");
  ASSERT_SAME (lk_dedup_company_key, "Northwind GmbH", "Northwind");
  ASSERT_SAME (lk_dedup_company_key, "Nova S.A.", "Nova SA");
  ASSERT_SAME (lk_dedup_company_key, "Ｎｏｒｔｈｗｉｎｄ　ＧｍｂＨ", "northwind");
  /* Suffixes are whole words: Costco is not "Cost" + "co" */
  {
    g_autofree char *costco = lk_dedup_company_key ("Costco Wholesale Inc.");
    g_autofree char *alone = lk_dedup_company_key ("Company AG");

    g_assert_cmpstr (costco, ==, "costcowholesale");
    g_assert_cmpstr (alone, ==, "company");
  }
  ASSERT_DIFFERENT (lk_dedup_company_key, "Blue River Ltd", "Blue Rivers Ltd");
}

static void
test_company_empty (void)
{
  g_assert_null (lk_dedup_company_key (NULL));
  g_assert_null (lk_dedup_company_key (""));
  g_assert_null (lk_dedup_company_key ("  ,.  "));
  g_assert_null (lk_dedup_contact_key (""));
  g_assert_null (lk_dedup_email_key (""));
  g_assert_null (lk_dedup_phone_key ("", "CN"));
  g_assert_null (lk_dedup_phone_key (NULL, "CN"));
}

static void
test_contact (void)
{
  ASSERT_SAME (lk_dedup_contact_key, "Anna Weber", "anna  weber");
  ASSERT_SAME (lk_dedup_contact_key, "Anna Weber", "ＡＮＮＡ　ＷＥＢＥＲ");
  ASSERT_SAME (lk_dedup_contact_key, "李 雷", "李雷");
  ASSERT_DIFFERENT (lk_dedup_contact_key, "李雷", "韩梅梅");
}

static char *
phone_cn (const char *phone)
{
  return lk_dedup_phone_key (phone, "CN");
}

static void
test_phone (void)
{
  g_autofree char *key = phone_cn ("138 0013 8000");
  g_autofree char *landline = phone_cn ("（010）6552-9988");
  g_autofree char *taiwan = lk_dedup_phone_key ("0912 345 678", "TW");
  g_autofree char *invalid = phone_cn ("12345");

  g_assert_cmpstr (key, ==, "+8613800138000");
  ASSERT_SAME (phone_cn, "138 0013 8000", "+86 138-0013-8000");
  ASSERT_SAME (phone_cn, "138 0013 8000", "008613800138000");
  ASSERT_SAME (phone_cn, "138 0013 8000", "８６１３８００１３８０００");
  ASSERT_SAME (phone_cn, "138 0013 8000", "+86 (0) 138 0013 8000");
  g_assert_cmpstr (landline, ==, "+861065529988");
  ASSERT_SAME (phone_cn, "010-6552 9988", "+86 10 6552 9988");
  g_assert_cmpstr (taiwan, ==, "+886912345678");
  ASSERT_SAME (phone_cn, "+49 30 1234567", "0049 30 1234567");
  ASSERT_DIFFERENT (phone_cn, "13800138000", "13800138001");
  g_assert_null (invalid);
}

static void
test_email (void)
{
  g_autofree char *key = lk_dedup_email_key (" Li.Lei@Example.COM ");

  g_assert_cmpstr (key, ==, "li.lei@example.com");
  ASSERT_SAME (lk_dedup_email_key, "li.lei@example.com", "ｌｉ．ｌｅｉ＠ｅｘａｍｐｌｅ．ｃｏｍ");
  ASSERT_DIFFERENT (lk_dedup_email_key, "li.lei@example.com", "lilei@example.com");
}

/* What the quick capture and the editor see typed at an exhibition */
static void
test_as_typed (void)
{
  /* Chinese names: brackets of either width, a city in front or in
   * brackets, a legal form with or without 集团 */
  ASSERT_SAME (lk_dedup_company_key, "华信科技（上海）有限公司", "华信科技(上海)");
  ASSERT_SAME (lk_dedup_company_key, "华信科技集团股份有限公司", "华信科技");
  ASSERT_SAME (lk_dedup_company_key, "华信科技 有限 公司", "华信科技");
  ASSERT_DIFFERENT (lk_dedup_company_key, "华信科技（上海）有限公司", "华信科技（北京）有限公司");
  /* Western names: punctuation, corporate words, case */
  ASSERT_SAME (lk_dedup_company_key, "Blue River Holdings Ltd.", "blue river");
  ASSERT_SAME (lk_dedup_company_key, "Acme Pte. Ltd.", "ACME");
  ASSERT_DIFFERENT (lk_dedup_company_key, "Acme Robotics", "Acme Logistics");
  /* Phones: dashes, dots, a trunk 0, full-width digits, an extension-free
   * mobile with +86 in any form */
  ASSERT_SAME (phone_cn, "138-0013-8000", "138.0013.8000");
  ASSERT_SAME (phone_cn, "+86-138-0013-8000", "（+86）13800138000");
  ASSERT_SAME (phone_cn, "021-6888 1234", "+86 21 6888 1234");
  ASSERT_SAME (phone_cn, "+1 (415) 555-0134", "001 415 555 0134");
  ASSERT_DIFFERENT (phone_cn, "021-6888 1234", "010-6888 1234");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dedup/company-chinese", test_company_chinese);
  g_test_add_func ("/dedup/company-western", test_company_western);
  g_test_add_func ("/dedup/company-empty", test_company_empty);
  g_test_add_func ("/dedup/contact", test_contact);
  g_test_add_func ("/dedup/phone", test_phone);
  g_test_add_func ("/dedup/email", test_email);
  g_test_add_func ("/dedup/as-typed", test_as_typed);
  return g_test_run ();
}
