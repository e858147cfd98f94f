/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-currency"

#include <locale.h>

#include "lk-format.h"
#include "lk-store-private.h"
#include "lk-test-util.h"

/* The team's currency: the default from the locale, the setting in
 * settings:general, and new leads getting it. */

static void
test_for_locale (void)
{
  static const struct
  {
    const char *locale;
    const char *currency;
  } cases[] = {
    { "zh_TW.UTF-8", "TWD" }, { "zh_TW", "TWD" }, { "zh_HK.UTF-8", "HKD" }, { "zh_MO.UTF-8", "MOP" },
    { "zh_SG.UTF-8", "SGD" }, { "en_SG.UTF-8", "SGD" }, { "en_US.UTF-8", "USD" }, { "en_GB.UTF-8", "GBP" },
    { "ja_JP.UTF-8", "JPY" }, { "ko_KR.UTF-8", "KRW" }, { "de_DE.UTF-8", "EUR" }, { "de_DE@euro", "EUR" },
    { "fr_FR.UTF-8", "EUR" }, { "nl_NL", "EUR" }, { "fi_FI.UTF-8", "EUR" }, { "zh_CN.UTF-8", "CNY" },
    { "zh_tw.utf8", "TWD" },
    /* Anything else */
    { "en_AU.UTF-8", "CNY" }, { "de_CH.UTF-8", "CNY" }, { "zh", "CNY" }, { "C", "CNY" },
    { "C.UTF-8", "CNY" }, { "POSIX", "CNY" }, { "", "CNY" }, { "zh_", "CNY" }, { "zh_TWN", "CNY" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].locale);
      g_assert_cmpstr (lk_format_currency_for_locale (cases[i].locale), ==, cases[i].currency);
    }
  g_assert_cmpstr (lk_format_currency_for_locale (NULL), ==, "CNY");
}

/* LC_MONETARY first; when it is C or POSIX, the first of LANGUAGE, else LANG */
static void
test_locale_currency (void)
{
  g_autofree char *saved = g_strdup (setlocale (LC_MONETARY, NULL));

  g_assert_nonnull (setlocale (LC_MONETARY, "C"));
  g_setenv ("LANGUAGE", "zh_TW", TRUE);
  g_setenv ("LANG", "en_GB.UTF-8", TRUE);
  g_assert_cmpstr (lk_format_locale_currency (), ==, "TWD");
  g_setenv ("LANGUAGE", "zh_HK:zh_TW:en", TRUE);
  g_assert_cmpstr (lk_format_locale_currency (), ==, "HKD");
  g_setenv ("LANGUAGE", "", TRUE);
  g_assert_cmpstr (lk_format_locale_currency (), ==, "GBP");
  g_unsetenv ("LANGUAGE");
  g_assert_cmpstr (lk_format_locale_currency (), ==, "GBP");
  g_unsetenv ("LANG");
  g_assert_cmpstr (lk_format_locale_currency (), ==, "CNY");
  g_assert_nonnull (setlocale (LC_MONETARY, "POSIX"));
  g_setenv ("LANGUAGE", "ja_JP", TRUE);
  g_assert_cmpstr (lk_format_locale_currency (), ==, "JPY");

  /* A real LC_MONETARY wins over LANGUAGE (when zh_TW is installed) */
  if (setlocale (LC_MONETARY, "zh_TW.UTF-8") != NULL)
    {
      g_setenv ("LANGUAGE", "en_US", TRUE);
      g_assert_cmpstr (lk_format_locale_currency (), ==, "TWD");
    }
  else
    g_test_message ("zh_TW.UTF-8 is not installed: LC_MONETARY not tried");

  setlocale (LC_MONETARY, saved);
  g_setenv ("LANGUAGE", "", TRUE);
  g_setenv ("LANG", "C.UTF-8", TRUE);
}

static void
test_names (void)
{
  const char * const *codes = lk_currency_codes ();

  g_assert_cmpuint (g_strv_length ((char **) codes), ==, 10);
  for (guint i = 0; codes[i] != NULL; i++)
    {
      g_assert_cmpstr (lk_currency_symbol (codes[i]), !=, codes[i]);
      g_assert_cmpstr (lk_currency_name (codes[i]), !=, codes[i]);
    }
  g_assert_cmpstr (lk_currency_symbol ("TWD"), ==, "NT$");
  g_assert_cmpstr (lk_currency_name ("TWD"), ==, "New Taiwan dollar");
  g_assert_cmpstr (lk_currency_name ("AUD"), ==, "AUD");
}

static char *
general_json (LkTestDb *db)
{
  return lk_test_sql_text (lk_test_db_peek (db), "SELECT json FROM settings WHERE name = 'general'", NULL);
}

static void
test_store_setting (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkTestChanges) changes = lk_test_changes_new (db->store);
  g_autoptr(GError) error = NULL;
  g_autofree char *by_locale = NULL, *set = NULL, *json = NULL, *cleared = NULL, *json2 = NULL;
  g_autofree char *after_bad = NULL, *extra = NULL, *broken = NULL, *still = NULL;
  g_autofree char *mended = NULL, *newer = NULL;

  /* Not set: the locale's (the tests run in C, LANGUAGE empty: CNY) */
  g_setenv ("LANGUAGE", "zh_TW", TRUE);
  by_locale = lk_store_get_currency (db->store);
  g_assert_cmpstr (by_locale, ==, "TWD");
  g_setenv ("LANGUAGE", "", TRUE);

  /* Set: a settings document that syncs */
  g_assert_true (lk_store_set_currency (db->store, "HKD", &error));
  g_assert_no_error (error);
  set = lk_store_get_currency (db->store);
  g_assert_cmpstr (set, ==, "HKD");
  json = general_json (db);
  g_assert_cmpstr (json, ==, "{\"version\":1,\"currency\":\"HKD\"}");
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT count(*) FROM outbox WHERE doc_id = 'settings:general'",
                                    NULL), ==, 1);
  g_assert_true (lk_test_changes_named (changes, "settings", "settings:general"));

  /* A wrong code is refused and changes nothing */
  g_assert_false (lk_store_set_currency (db->store, "nt$", &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "nt$"));
  g_clear_error (&error);
  after_bad = lk_store_get_currency (db->store);
  g_assert_cmpstr (after_bad, ==, "HKD");

  /* Members this version does not know are kept */
  g_assert_true (lk_store_set_setting (db->store, "general", "{\"version\":1,\"currency\":\"USD\",\"week_starts\":\"monday\"}",
                                       &error));
  g_assert_true (lk_store_set_currency (db->store, "TWD", &error));
  g_assert_no_error (error);
  extra = general_json (db);
  g_assert_nonnull (strstr (extra, "\"week_starts\":\"monday\""));
  g_assert_nonnull (strstr (extra, "\"currency\":\"TWD\""));

  /* NULL: back to each user's locale */
  g_assert_true (lk_store_set_currency (db->store, NULL, &error));
  g_assert_no_error (error);
  cleared = lk_store_get_currency (db->store);
  g_assert_cmpstr (cleared, ==, "CNY");
  json2 = general_json (db);
  g_assert_null (strstr (json2, "currency"));

  /* A wrong currency member: amounts still show (in the locale's
   * currency), and setting the currency mends it */
  g_assert_true (lk_store_set_setting (db->store, "general", "{\"version\":1,\"currency\":7}", &error));
  still = lk_store_get_currency (db->store);
  g_assert_cmpstr (still, ==, "CNY");
  g_assert_true (lk_store_set_currency (db->store, "TWD", &error));
  g_assert_no_error (error);
  mended = lk_store_get_currency (db->store);
  g_assert_cmpstr (mended, ==, "TWD");

  /* A document this version cannot read is left for someone to fix */
  g_assert_true (lk_store_set_setting (db->store, "general", "{\"version\":9,\"currency\":\"USD\"}", &error));
  g_assert_false (lk_store_set_currency (db->store, "TWD", &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "settings:general"));
  g_clear_error (&error);
  broken = general_json (db);
  g_assert_cmpstr (broken, ==, "{\"version\":9,\"currency\":\"USD\"}");
  newer = lk_store_get_currency (db->store);
  g_assert_cmpstr (newer, ==, "CNY");
}

static void
test_new_leads (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) created = lk_test_lead_new ("company", "台北貿易", "amount", "1000", NULL);
  g_autoptr(LkLead) own = lk_test_lead_new ("company", "Acme", "currency", "USD", NULL);
  g_autoptr(LkLead) bulk = lk_test_lead_new ("company", "高雄物流", NULL);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *stored = NULL, *stored_own = NULL, *stored_bulk = NULL;

  /* A new lead has none until the store gives it the team's */
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (created), LK_LEAD_CURRENCY), ==, "");
  g_assert_true (lk_store_set_currency (db->store, "TWD", &error));

  g_assert_true (lk_store_create_lead (db->store, created, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (created), LK_LEAD_CURRENCY), ==, "TWD");
  stored = lk_test_sql_text (lk_test_db_peek (db), "SELECT currency FROM leads WHERE id = ?",
                             lk_record_get_id (LK_RECORD (created)), NULL);
  g_assert_cmpstr (stored, ==, "TWD");

  /* A lead's own currency is kept */
  g_assert_true (lk_store_create_lead (db->store, own, &error));
  g_assert_no_error (error);
  stored_own = lk_test_sql_text (lk_test_db_peek (db), "SELECT currency FROM leads WHERE id = ?",
                                 lk_record_get_id (LK_RECORD (own)), NULL);
  g_assert_cmpstr (stored_own, ==, "USD");

  /* Bulk writes too */
  lk_record_ensure_id (LK_RECORD (bulk));
  g_ptr_array_add (records, g_object_ref (bulk));
  g_assert_true (lk_store_put_records (db->store, records, &error));
  g_assert_no_error (error);
  stored_bulk = lk_test_sql_text (lk_test_db_peek (db), "SELECT currency FROM leads WHERE id = ?",
                                  lk_record_get_id (LK_RECORD (bulk)), NULL);
  g_assert_cmpstr (stored_bulk, ==, "TWD");
}

/* A lead another program wrote without a currency keeps none as it came
 * by sync; the next edit here gives it the team's. */
static void
test_edit_gives_currency (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) synced = lk_test_lead_new ("company", "網站表單", NULL);
  g_autoptr(LkLead) stored = NULL;
  g_autofree char *before = NULL;

  g_assert_true (lk_store_set_currency (db->store, "MOP", &error));
  lk_record_set_id (LK_RECORD (synced), "lead:from-the-website");
  g_assert_true (lk_store_begin (db->store, &error));
  g_assert_true (lk_store_finish (db->store, lk_store_write_record (db->store, LK_RECORD (synced), FALSE, &error),
                                  &error));
  g_assert_no_error (error);
  before = lk_test_sql_text (lk_test_db_peek (db), "SELECT currency FROM leads WHERE id = 'lead:from-the-website'", NULL);
  g_assert_cmpstr (before, ==, "");

  stored = lk_store_get_lead (db->store, "lead:from-the-website", &error);
  g_assert_nonnull (stored);
  lk_record_set_string (LK_RECORD (stored), LK_LEAD_NOTES, "Called back");
  g_assert_true (lk_store_update_lead (db->store, stored, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&stored);
  stored = lk_store_get_lead (db->store, "lead:from-the-website", &error);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (stored), LK_LEAD_CURRENCY), ==, "MOP");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/currency/for-locale", test_for_locale);
  g_test_add_func ("/currency/locale", test_locale_currency);
  g_test_add_func ("/currency/names", test_names);
  g_test_add_func ("/currency/store-setting", test_store_setting);
  g_test_add_func ("/currency/new-leads", test_new_leads);
  g_test_add_func ("/currency/edit-gives-currency", test_edit_gives_currency);

  return g_test_run ();
}
