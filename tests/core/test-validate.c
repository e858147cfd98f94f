/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-validate"

#include "lk-validate.h"
#include "lk-test-util.h"

/* What the editor, the CLI and the importers accept and refuse. */

static void
assert_phone (const char *input,
              const char *region,
              const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *e164 = lk_phone_to_e164 (input, region, &error);

  g_test_message ("%s (%s) → %s", input, region ? region : "default", e164 ? e164 : error->message);
  g_assert_no_error (error);
  g_assert_cmpstr (e164, ==, expected);
}

static void
assert_phone_refused (const char *input,
                      const char *region)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *e164 = lk_phone_to_e164 (input, region, &error);

  g_test_message ("%s (%s) → %s", input, region ? region : "default", e164 ? e164 : error->message);
  g_assert_null (e164);
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  /* The message quotes what was typed, so the user sees which one */
  g_assert_nonnull (strstr (error->message, input));
}

static void
test_phone_china_mobile (void)
{
  assert_phone ("138 0013 8000", "CN", "+8613800138000");
  assert_phone ("13800138000", NULL, "+8613800138000");
  assert_phone ("+86 138-0013-8000", "CN", "+8613800138000");
  assert_phone ("+86 138 0013 8000", "TW", "+8613800138000");
  assert_phone ("0086 13800138000", "CN", "+8613800138000");
  assert_phone ("8613800138000", "CN", "+8613800138000");
  /* Full-width digits, plus and parentheses, as a Chinese IME types them */
  assert_phone ("１３８ ００１３ ８０００", "CN", "+8613800138000");
  assert_phone ("＋８６ １３８００１３８０００", "CN", "+8613800138000");
  assert_phone ("199.1234.5678", "CN", "+8619912345678");
}

static void
test_phone_china_landline (void)
{
  assert_phone ("(010) 6552-9988", "CN", "+861065529988");
  assert_phone ("010-65529988", "CN", "+861065529988");
  assert_phone ("+86 10 6552 9988", "CN", "+861065529988");
  assert_phone ("+86 (0)10 6552 9988", "CN", "+861065529988");
  assert_phone ("021-50801234", "CN", "+862150801234");
  assert_phone ("+86 21 5080 1234", NULL, "+862150801234");
  assert_phone ("0755-8888 6666", "CN", "+8675588886666");
  assert_phone ("（0571）8765 4321", "CN", "+8657187654321");
}

static void
test_phone_taiwan (void)
{
  assert_phone ("0912 345 678", "TW", "+886912345678");
  assert_phone ("0912-345-678", "tw", "+886912345678");
  assert_phone ("+886 912 345 678", "CN", "+886912345678");
  assert_phone ("(02) 2345-6789", "TW", "+886223456789");
}

static void
test_phone_international (void)
{
  assert_phone ("+49 30 12345678", "CN", "+493012345678");
  assert_phone ("0049 30 12345678", "CN", "+493012345678");
  assert_phone ("030 12345678", "DE", "+493012345678");
  assert_phone ("+1 (415) 555-2671", "CN", "+14155552671");
  assert_phone ("+852 2123 4567", "CN", "+85221234567");
  assert_phone ("+44 20 7946 0958", "CN", "+442079460958");
  /* A country without a plan here: accepted within E.164's lengths */
  assert_phone ("+971 4 123 4567", "CN", "+97141234567");
  assert_phone ("", "CN", "");
  assert_phone ("   ", "CN", "");
  assert_phone (NULL, "CN", "");
}

static void
test_phone_impossible (void)
{
  assert_phone_refused ("12345", "CN");
  assert_phone_refused ("+86 123", "CN");
  assert_phone_refused ("+86 123 4567 8901", "CN");
  assert_phone_refused ("138 0013 800", "CN");
  assert_phone_refused ("138 0013 80000", "CN");
  assert_phone_refused ("call me", "CN");
  assert_phone_refused ("138-0013-8000 ext. 12", "CN");
  assert_phone_refused ("138O0138000", "CN");
  assert_phone_refused ("+", "CN");
  assert_phone_refused ("+49 30 1234567890123456", "CN");
  assert_phone_refused ("13800+138000", "CN");
  assert_phone_refused ("+1 (015) 555-2671", "CN");
  /* A region we have no plan for cannot read national numbers */
  assert_phone_refused ("0301234567", "ZZ");
}

static void
test_email (void)
{
  static const char * const good[] = {
    "anna.weber@blueriver.de", "sales12@huaxin.com.cn", "a+tag@example.org", "x_y-z@sub.example.co",
    "O'Brien@example.ie", "", NULL
  };
  static const char * const bad[] = {
    "anna", "anna@", "@example.com", "anna@example", "anna weber@example.com", "anna@@example.com",
    "anna@example..com", "anna..weber@example.com", "anna@example.com.", "anna@-example.com",
    "anna@example.c", NULL
  };

  for (guint i = 0; good[i]; i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("good: %s", good[i]);
      g_assert_true (lk_validate_email (good[i], &error));
      g_assert_no_error (error);
    }
  g_assert_true (lk_validate_email (NULL, NULL));
  for (guint i = 0; bad[i]; i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("bad: %s", bad[i]);
      g_assert_false (lk_validate_email (bad[i], &error));
      g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, bad[i]));
    }
}

static void
assert_lead_refused (LkLead     *lead,
                     LkPipeline *pipeline,
                     int         code,
                     const char *mentioned)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (lk_lead_validate (lead, pipeline, &error));
  g_assert_error (error, LK_ERROR, code);
  g_test_message ("%s", error->message);
  if (mentioned != NULL)
    g_assert_nonnull (strstr (error->message, mentioned));
}

static void
test_lead_validate (void)
{
  g_autoptr(LkPipeline) pipeline = lk_pipeline_new_default ();
  g_autoptr(LkLead) lead = lk_lead_new ();
  LkRecord *r = LK_RECORD (lead);
  g_autoptr(GError) error = NULL;

  /* A new lead has no currency until the store gives it the team's */
  lk_record_set_string (r, LK_LEAD_CONTACT, "王伟");
  assert_lead_refused (lead, pipeline, LK_ERROR_INVALID, "“”");
  lk_record_set_string (r, LK_LEAD_CONTACT, NULL);
  lk_record_set_string (r, LK_LEAD_CURRENCY, "CNY");

  /* Company or contact */
  assert_lead_refused (lead, pipeline, LK_ERROR_INVALID, NULL);
  lk_record_set_string (r, LK_LEAD_CONTACT, "王伟");
  g_assert_true (lk_lead_validate (lead, pipeline, &error));
  lk_record_set_string (r, LK_LEAD_CONTACT, NULL);
  lk_record_set_string (r, LK_LEAD_COMPANY, "Acme");
  g_assert_true (lk_lead_validate (lead, pipeline, &error));
  g_assert_no_error (error);

  /* Grade */
  for (guint i = 0; i < 4; i++)
    {
      lk_record_set_string (r, LK_LEAD_GRADE, (const char *[]) { "", "A", "B", "C" }[i]);
      g_assert_true (lk_lead_validate (lead, pipeline, &error));
      g_assert_no_error (error);
    }
  lk_record_set_string (r, LK_LEAD_GRADE, "D");
  assert_lead_refused (lead, pipeline, LK_ERROR_INVALID, "D");
  lk_record_set_string (r, LK_LEAD_GRADE, "a");
  assert_lead_refused (lead, pipeline, LK_ERROR_INVALID, NULL);
  lk_record_set_string (r, LK_LEAD_GRADE, "A");

  /* Temperature */
  lk_record_set_string (r, LK_LEAD_TEMPERATURE, "warm");
  g_assert_true (lk_lead_validate (lead, pipeline, &error));
  lk_record_set_string (r, LK_LEAD_TEMPERATURE, "lukewarm");
  assert_lead_refused (lead, pipeline, LK_ERROR_INVALID, "lukewarm");
  lk_record_set_string (r, LK_LEAD_TEMPERATURE, "hot");

  /* Stage */
  lk_record_set_string (r, LK_LEAD_STAGE, "negotiation");
  assert_lead_refused (lead, pipeline, LK_ERROR_NOT_FOUND, "new, assigned, contacted");
  /* … only checked against a pipeline */
  g_assert_true (lk_lead_validate (lead, NULL, &error));
  lk_record_set_string (r, LK_LEAD_STAGE, "qualified");

  /* Currency */
  for (guint i = 0; i < 3; i++)
    {
      lk_record_set_string (r, LK_LEAD_CURRENCY, (const char *[]) { "CNY", "TWD", "EUR" }[i]);
      g_assert_true (lk_lead_validate (lead, pipeline, &error));
      g_assert_no_error (error);
    }
  lk_record_set_string (r, LK_LEAD_CURRENCY, "RMB¥");
  assert_lead_refused (lead, pipeline, LK_ERROR_INVALID, "RMB¥");
  lk_record_set_string (r, LK_LEAD_CURRENCY, "usd");
  assert_lead_refused (lead, pipeline, LK_ERROR_INVALID, "usd");
  lk_record_set_string (r, LK_LEAD_CURRENCY, NULL);
  assert_lead_refused (lead, pipeline, LK_ERROR_INVALID, NULL);
  lk_record_set_string (r, LK_LEAD_CURRENCY, "CNY");

  /* Email */
  lk_record_set_string (r, LK_LEAD_EMAIL, "anna@example");
  assert_lead_refused (lead, pipeline, LK_ERROR_INVALID, "anna@example");
  lk_record_set_string (r, LK_LEAD_EMAIL, "anna@example.com");
  g_assert_true (lk_lead_validate (lead, pipeline, &error));
  g_assert_no_error (error);
}

static void
test_lead_normalize (void)
{
  g_autoptr(LkLead) lead = lk_test_lead_new ("company", "  华信科技有限公司\t", "contact", " 王伟 ",
                                             "email", " wang@huaxin.com.cn ", "phone", "(010) 6552-9988",
                                             "notes", "  kept as typed  ", NULL);
  g_autoptr(LkLead) bad = lk_test_lead_new ("company", "Acme", "phone", "12345", NULL);
  g_autoptr(GError) error = NULL;
  LkRecord *r = LK_RECORD (lead);

  g_assert_true (lk_lead_normalize (lead, "CN", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (lk_lead_get_company (lead), ==, "华信科技有限公司");
  g_assert_cmpstr (lk_lead_get_contact (lead), ==, "王伟");
  g_assert_cmpstr (lk_record_get_string (r, LK_LEAD_EMAIL), ==, "wang@huaxin.com.cn");
  g_assert_cmpstr (lk_record_get_string (r, LK_LEAD_PHONE), ==, "+861065529988");
  g_assert_cmpstr (lk_record_get_string (r, LK_LEAD_NOTES), ==, "  kept as typed  ");
  /* Normalising twice changes nothing */
  g_assert_true (lk_lead_normalize (lead, "CN", &error));
  g_assert_cmpstr (lk_record_get_string (r, LK_LEAD_PHONE), ==, "+861065529988");

  g_assert_false (lk_lead_normalize (bad, "CN", &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (bad), LK_LEAD_PHONE), ==, "12345");
}

static void
test_set_from_text (void)
{
  g_autoptr(LkLead) lead = lk_lead_new ();
  LkRecord *r = LK_RECORD (lead);
  LkRecordClass *klass = LK_RECORD_GET_CLASS (lead);
  g_autoptr(GError) error = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *tags = NULL;

#define FIELD(name) ((guint) lk_record_class_find_field (klass, name))
  g_assert_cmpint (lk_record_class_find_field (klass, "bant.budget"), ==, LK_LEAD_BANT_BUDGET);
  g_assert_cmpint (lk_record_class_find_field (klass, "bant_budget"), ==, LK_LEAD_BANT_BUDGET);
  g_assert_cmpint (lk_record_class_find_field (klass, "nope"), ==, -1);

  g_assert_true (lk_record_set_from_text (r, FIELD ("amount"), "12,000.50", &error));
  g_assert_cmpint (lk_lead_get_amount (lead), ==, 1200050);
  amount = lk_record_format_field (r, LK_LEAD_AMOUNT);
  g_assert_cmpstr (amount, ==, "12000.50");
  g_assert_false (lk_record_set_from_text (r, FIELD ("amount"), "-5", &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (lk_record_set_from_text (r, FIELD ("amount"), "lots", &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (lk_record_set_from_text (r, FIELD ("mql"), "是", &error));
  g_assert_true (lk_record_get_bool (r, LK_LEAD_MQL));
  g_assert_false (lk_record_set_from_text (r, FIELD ("mql"), "maybe", &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (lk_record_set_from_text (r, FIELD ("tags"), "VIP， 急需;VIP,,", &error));
  tags = lk_record_format_field (r, LK_LEAD_TAGS);
  g_assert_cmpstr (tags, ==, "VIP,急需");
  g_assert_true (lk_record_set_from_text (r, FIELD ("next_followup_at"), "1715767200000", &error));
  g_assert_cmpint (lk_record_get_int (r, LK_LEAD_NEXT_FOLLOWUP_AT), ==, LK_TEST_NOW_MS);
  /* Dates and times as people type them, in local time */
  {
    g_autoptr(GDateTime) dt = g_date_time_new_local (2024, 5, 3, 14, 30, 0);
    g_autoptr(GDateTime) day = g_date_time_new_local (2024, 5, 3, 0, 0, 0);

    g_assert_true (lk_record_set_from_text (r, FIELD ("next_followup_at"), "2024-05-03T14:30", &error));
    g_assert_no_error (error);
    g_assert_cmpint (lk_record_get_int (r, LK_LEAD_NEXT_FOLLOWUP_AT), ==, g_date_time_to_unix (dt) * 1000);
    g_assert_true (lk_record_set_from_text (r, FIELD ("next_followup_at"), "2024-05-03 14:30", &error));
    g_assert_cmpint (lk_record_get_int (r, LK_LEAD_NEXT_FOLLOWUP_AT), ==, g_date_time_to_unix (dt) * 1000);
    g_assert_true (lk_record_set_from_text (r, FIELD ("next_followup_at"), "2024-05-03T14:30:00", &error));
    g_assert_cmpint (lk_record_get_int (r, LK_LEAD_NEXT_FOLLOWUP_AT), ==, g_date_time_to_unix (dt) * 1000);
    g_assert_true (lk_record_set_from_text (r, FIELD ("next_followup_at"), "2024-05-03", &error));
    g_assert_cmpint (lk_record_get_int (r, LK_LEAD_NEXT_FOLLOWUP_AT), ==, g_date_time_to_unix (day) * 1000);
    g_assert_true (lk_record_set_from_text (r, FIELD ("next_followup_at"), "", &error));
    g_assert_cmpint (lk_record_get_int (r, LK_LEAD_NEXT_FOLLOWUP_AT), ==, 0);
    g_assert_no_error (error);
  }
  g_assert_false (lk_record_set_from_text (r, FIELD ("next_followup_at"), "2024-05-03T14", &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (lk_record_set_from_text (r, FIELD ("next_followup_at"), "next week", &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (lk_record_set_from_text (r, FIELD ("score"), "12a", &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
#undef FIELD
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/validate/phone/china-mobile", test_phone_china_mobile);
  g_test_add_func ("/validate/phone/china-landline", test_phone_china_landline);
  g_test_add_func ("/validate/phone/taiwan", test_phone_taiwan);
  g_test_add_func ("/validate/phone/international", test_phone_international);
  g_test_add_func ("/validate/phone/impossible", test_phone_impossible);
  g_test_add_func ("/validate/email", test_email);
  g_test_add_func ("/validate/lead", test_lead_validate);
  g_test_add_func ("/validate/normalize", test_lead_normalize);
  g_test_add_func ("/validate/set-from-text", test_set_from_text);

  return g_test_run ();
}
