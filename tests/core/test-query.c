/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-query"

#include "lk-lead-query-private.h"
#include "lk-search-tokenizer.h"
#include "lk-test-util.h"

/* Filters, sorts, search and column totals over a small known set of
 * leads, on a fake clock: Wednesday 2024-05-15 10:00 UTC. */

#define START_OF_TODAY (LK_TEST_NOW_MS - 10 * LK_TEST_HOUR_MS)
#define N_LEADS 10   /* L1 … L9, index 0 unused */

typedef struct
{
  LkTestDb *db;
  LkLead   *leads[N_LEADS];
  gint64    rowids[N_LEADS];
} Fixture;

static void
add (Fixture *f,
     guint    n,
     gint64   next_followup,
     gint64   last_contacted,
     ...)
{
  g_autoptr(GError) error = NULL;
  LkLead *lead;
  va_list args;
  const char *name;

  lead = lk_lead_new ();
  va_start (args, last_contacted);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);
      int field = lk_record_class_find_field (LK_RECORD_GET_CLASS (lead), name);

      g_assert_cmpint (field, >=, 0);
      lk_record_set_from_text (LK_RECORD (lead), (guint) field, value, &error);
      g_assert_no_error (error);
    }
  va_end (args);
  lk_record_set_int (LK_RECORD (lead), LK_LEAD_NEXT_FOLLOWUP_AT, next_followup);
  lk_record_set_int (LK_RECORD (lead), LK_LEAD_LAST_CONTACTED_AT, last_contacted);
  g_assert_true (lk_store_create_lead (f->db->store, lead, &error));
  g_assert_no_error (error);
  f->leads[n] = lead;
  f->rowids[n] = lk_record_get_rowid (LK_RECORD (lead));
  /* Distinct creation times */
  lk_clock_advance_ms (f->db->clock, 60 * 1000);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->db = lk_test_db_new ();
  add (f, 1, START_OF_TODAY - LK_TEST_HOUR_MS, LK_TEST_NOW_MS - LK_TEST_DAY_MS,
       "code", "XS003", "score", "90", "company", "华信科技有限公司", "contact", "王伟", "email", "sales@huaxin.com.cn",
       "phone", "138 0013 8000", "source", "website", "grade", "A", "temperature", "hot",
       "tags", "VIP", "amount", "1000", NULL);
  add (f, 2, START_OF_TODAY + 15 * LK_TEST_HOUR_MS, LK_TEST_NOW_MS - 2 * LK_TEST_HOUR_MS,
       "code", "XS001", "score", "60", "company", "Blue River Trading GmbH", "contact", "Anna Weber", "email", "anna@blueriver.de",
       "phone", "+49 30 12345678", "stage", "contacted", "owner", "user:anna", "source", "exhibition",
       "grade", "B", "temperature", "warm", "tags", "price-sensitive", "amount", "5000", NULL);
  add (f, 3, LK_TEST_NOW_MS - 3 * LK_TEST_DAY_MS, LK_TEST_NOW_MS - 5 * LK_TEST_DAY_MS,
       "code", "XS009", "score", "20", "company", "恒达物流有限公司", "contact", "李娜", "stage", "qualified", "owner", "user:lilei",
       "source", "partner", "grade", "C", "temperature", "cold", "tags", "VIP,急需", "amount", "2000", NULL);
  add (f, 4, LK_TEST_NOW_MS - 5 * LK_TEST_DAY_MS, 0,
       "code", "XS002", "score", "95", "company", "Summit Apex Inc.", "contact", "James Smith", "stage", "won", "owner", "user:anna",
       "source", "referral", "grade", "A", "temperature", "hot", "amount", "3000", NULL);
  add (f, 5, LK_TEST_NOW_MS - 2 * LK_TEST_DAY_MS, 0,
       "code", "XS005", "score", "10", "company", "东方电子", "contact", "陈静", "stage", "lost", "lost_reason", "No budget",
       "owner", "user:lilei", "source", "website", "grade", "C", "temperature", "cold", "amount", "500", NULL);
  add (f, 6, 0, LK_TEST_NOW_MS - 3 * LK_TEST_DAY_MS,
       "code", "XS004", "score", "55", "company", "中科智能制造股份有限公司", "contact", "张伟", "stage", "proposal", "owner", "user:lilei",
       "source", "partner", "grade", "B", "temperature", "warm", "amount", "7000",
       "notes", "He said \"(maybe) AND NEAR*\" again", NULL);
  /* L7 is deleted: it matches many filters and must never show. */
  add (f, 7, LK_TEST_NOW_MS - 10 * LK_TEST_DAY_MS, LK_TEST_NOW_MS,
       "code", "XS000", "score", "99", "company", "华信电子", "contact", "Anna Deleted", "source", "website", "grade", "A",
       "temperature", "hot", "tags", "VIP,急需", "amount", "9999", NULL);
  g_assert_true (lk_store_delete_lead (f->db->store, lk_record_get_id (LK_RECORD (f->leads[7])), &error));
  g_assert_no_error (error);
  add (f, 8, START_OF_TODAY + LK_TEST_HOUR_MS, 0,
       "code", "XS008", "contact", "Laura Fischer", "stage", "assigned", "owner", "user:anna", "source", "website", NULL);
  add (f, 9, LK_TEST_NOW_MS + 2 * LK_TEST_DAY_MS, 0,
       "code", "XS006", "score", "60", "company", "Northwind Foods Ltd.", "contact", "Emma Brown", "stage", "proposal", "owner", "user:anna",
       "source", "referral", "grade", "B", "temperature", "warm", "amount", "1500", NULL);
  lk_clock_set_now_ms (f->db->clock, LK_TEST_NOW_MS);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  for (guint i = 0; i < N_LEADS; i++)
    g_clear_object (&f->leads[i]);
  g_clear_pointer (&f->db, lk_test_db_free);
}

/* "L3 L1" for the rowids, so failures read like the expectations */
static char *
describe (Fixture *f,
          GArray  *rowids)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < rowids->len; i++)
    {
      gint64 rowid = g_array_index (rowids, gint64, i);
      guint n = 0;

      for (guint j = 1; j < N_LEADS; j++)
        if (f->rowids[j] == rowid)
          n = j;
      if (s->len > 0)
        g_string_append_c (s, ' ');
      if (n > 0)
        g_string_append_printf (s, "L%u", n);
      else
        g_string_append_printf (s, "rowid%" G_GINT64_FORMAT, rowid);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
assert_query (Fixture     *f,
              LkLeadQuery *query,
              const char  *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rowids = lk_store_query_rowids (f->db->store, query, &error);
  g_autoptr(GPtrArray) leads = NULL;
  g_autofree char *got = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (rowids);
  got = describe (f, rowids);
  g_assert_cmpstr (got, ==, expected);

  /* The leads come in the same order */
  leads = lk_store_query_leads (f->db->store, query, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (leads->len, ==, rowids->len);
  for (guint i = 0; i < leads->len; i++)
    {
      LkRecord *lead = g_ptr_array_index (leads, i);

      g_assert_cmpint (lk_record_get_rowid (lead), ==, g_array_index (rowids, gint64, i));
      g_assert_false (lk_record_get_deleted (lead));
    }
}

static void
assert_search (Fixture    *f,
               const char *search,
               const char *expected)
{
  g_autoptr(LkLeadQuery) query = lk_lead_query_new ();

  g_test_message ("search “%s”", search);
  lk_lead_query_set_search (query, search);
  assert_query (f, query, expected);
}

static void
test_no_filter (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(LkLeadQuery) query = lk_lead_query_new ();
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GError) error = NULL;

  assert_query (f, query, "L4 L3 L5 L1 L8 L2 L9 L6");
  g_assert_cmpint (lk_store_count_leads (f->db->store, NULL), ==, 8);

  first = lk_store_query_leads (f->db->store, query, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->len, ==, 3);
  g_assert_cmpint (lk_record_get_rowid (g_ptr_array_index (first, 2)), ==, f->rowids[5]);
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(LkLeadQuery) query = lk_lead_query_new ();

  lk_lead_query_set_stage (query, "qualified");
  assert_query (f, query, "L3");
  lk_lead_query_set_stage (query, "proposal");
  assert_query (f, query, "L9 L6");
  lk_lead_query_set_stage (query, "new");
  assert_query (f, query, "L1");
  lk_lead_query_set_stage (query, "");
  assert_query (f, query, "L4 L3 L5 L1 L8 L2 L9 L6");

  lk_lead_query_set_owner (query, "user:anna");
  assert_query (f, query, "L4 L8 L2 L9");
  lk_lead_query_set_stage (query, "proposal");
  assert_query (f, query, "L9");
  lk_lead_query_set_stage (query, NULL);
  lk_lead_query_set_owner (query, "user:nobody");
  assert_query (f, query, "");
  lk_lead_query_set_owner (query, NULL);

  lk_lead_query_set_pool (query, TRUE);
  assert_query (f, query, "L1");
  lk_lead_query_set_pool (query, FALSE);

  lk_lead_query_set_source (query, "website");
  assert_query (f, query, "L5 L1 L8");
  lk_lead_query_set_source (query, NULL);

  lk_lead_query_set_grade (query, "A");
  assert_query (f, query, "L4 L1");
  lk_lead_query_set_grade (query, NULL);

  lk_lead_query_set_temperature (query, "cold");
  assert_query (f, query, "L3 L5");
  lk_lead_query_set_temperature (query, NULL);

  lk_lead_query_set_tag (query, "VIP");
  assert_query (f, query, "L3 L1");
  lk_lead_query_set_tag (query, "急需");
  assert_query (f, query, "L3");
  lk_lead_query_set_tag (query, "price-sensitive");
  lk_lead_query_set_temperature (query, "warm");
  assert_query (f, query, "L2");
  lk_lead_query_set_temperature (query, "hot");
  assert_query (f, query, "");
}

static void
test_overdue (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(LkLeadQuery) query = lk_lead_query_new ();

  /* Before today's midnight: L3 and L1 (yesterday 23:00). L8 (today 01:00)
   * has passed but is today's; Won L4 and Lost L5 are never overdue. */
  lk_lead_query_set_overdue (query, TRUE);
  assert_query (f, query, "L3 L1");
  lk_lead_query_set_owner (query, "user:lilei");
  assert_query (f, query, "L3");
  lk_lead_query_set_owner (query, NULL);

  /* Late in the day nothing changes; the next morning today's are late */
  lk_clock_set_now_ms (f->db->clock, START_OF_TODAY + LK_TEST_DAY_MS - 1);
  assert_query (f, query, "L3 L1");
  lk_clock_set_now_ms (f->db->clock, START_OF_TODAY + LK_TEST_DAY_MS);
  assert_query (f, query, "L3 L1 L8 L2");

  /* A follow-up planned again is no longer overdue */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LkLead) lead = lk_store_get_lead (f->db->store, lk_record_get_id (LK_RECORD (f->leads[3])), &error);

    g_assert_no_error (error);
    lk_record_set_int (LK_RECORD (lead), LK_LEAD_NEXT_FOLLOWUP_AT, START_OF_TODAY + 3 * LK_TEST_DAY_MS);
    g_assert_true (lk_store_update_lead (f->db->store, lead, NULL, &error));
    g_assert_no_error (error);
    assert_query (f, query, "L1 L8 L2");
  }
}

static void
assert_sort (Fixture    *f,
             LkLeadSort  sort,
             const char *forward)
{
  g_autoptr(LkLeadQuery) query = lk_lead_query_new ();
  g_auto(GStrv) parts = g_strsplit (forward, " ", -1);
  g_autoptr(GString) backward = g_string_new (NULL);

  for (guint i = g_strv_length (parts); i > 0; i--)
    {
      if (backward->len > 0)
        g_string_append_c (backward, ' ');
      g_string_append (backward, parts[i - 1]);
    }
  lk_lead_query_set_sort (query, sort);
  g_assert_cmpint (lk_lead_query_get_sort (query), ==, sort);
  assert_query (f, query, forward);
  lk_lead_query_set_reversed (query, TRUE);
  assert_query (f, query, backward->str);
}

static void
test_sorts (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) l3 = lk_store_get_lead (f->db->store, lk_record_get_id (LK_RECORD (f->leads[3])), &error);

  g_assert_no_error (error);
  lk_clock_advance_ms (f->db->clock, LK_TEST_HOUR_MS);
  lk_record_set_string (LK_RECORD (l3), LK_LEAD_NOTES, "called again");
  g_assert_true (lk_store_update_lead (f->db->store, l3, NULL, &error));
  g_assert_no_error (error);

  /* Overdue first, then by next follow-up; nothing planned last */
  assert_sort (f, LK_LEAD_SORT_URGENCY, "L4 L3 L5 L1 L8 L2 L9 L6");
  /* Largest first */
  assert_sort (f, LK_LEAD_SORT_AMOUNT, "L6 L2 L4 L3 L9 L1 L5 L8");
  /* Newest first */
  assert_sort (f, LK_LEAD_SORT_CREATED, "L9 L8 L6 L5 L4 L3 L2 L1");
  /* Most recently updated first: L3 was just edited */
  assert_sort (f, LK_LEAD_SORT_UPDATED, "L3 L9 L8 L6 L5 L4 L2 L1");
  /* A to Z, case-insensitive; a lead without company first */
  assert_sort (f, LK_LEAD_SORT_COMPANY, "L8 L2 L9 L4 L5 L6 L1 L3");
  assert_sort (f, LK_LEAD_SORT_CONTACT, "L2 L9 L4 L8 L6 L3 L1 L5");
  assert_sort (f, LK_LEAD_SORT_CODE, "L2 L4 L1 L6 L5 L9 L8 L3");
  /* In pipeline order, not by name */
  assert_sort (f, LK_LEAD_SORT_STAGE, "L1 L8 L2 L3 L6 L9 L4 L5");
  /* A first, no grade last */
  assert_sort (f, LK_LEAD_SORT_GRADE, "L1 L4 L2 L6 L9 L3 L5 L8");
  /* By owner, the pool last */
  assert_sort (f, LK_LEAD_SORT_OWNER, "L2 L4 L8 L9 L3 L5 L6 L1");
  /* Highest first; L9 and L2 tie and the newer comes first */
  assert_sort (f, LK_LEAD_SORT_SCORE, "L4 L1 L9 L2 L6 L3 L5 L8");
  /* Most recently contacted first, never contacted last */
  assert_sort (f, LK_LEAD_SORT_LAST_CONTACTED, "L2 L1 L6 L3 L9 L8 L5 L4");
  assert_sort (f, LK_LEAD_SORT_SOURCE, "L2 L3 L6 L4 L9 L1 L5 L8");
}

/* Reversed is the exact mirror of the forward order, ties included: a
 * column sorted one way and then the other shows the same rows upside
 * down. */
static void
test_reverse_mirrors (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GEnumClass) sorts = g_type_class_ref (LK_TYPE_LEAD_SORT);

  /* Ties on every key: the same amount, grade, source, owner as L1 */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(LkLead) twin = lk_test_create_lead (f->db->store, "company", "华信科技有限公司",
                                                    "contact", "王伟", "amount", "1000", "grade", "A",
                                                    "source", "website", "score", "90", NULL);
    }
  for (guint s = 0; s < sorts->n_values; s++)
    {
      g_autoptr(LkLeadQuery) query = lk_lead_query_new ();
      g_autoptr(GArray) forward = NULL;
      g_autoptr(GArray) backward = NULL;

      g_test_message ("sort %s", sorts->values[s].value_nick);
      lk_lead_query_set_sort (query, sorts->values[s].value);
      forward = lk_store_query_rowids (f->db->store, query, NULL);
      lk_lead_query_set_reversed (query, TRUE);
      backward = lk_store_query_rowids (f->db->store, query, NULL);
      g_assert_cmpuint (forward->len, ==, 11);
      g_assert_cmpuint (backward->len, ==, forward->len);
      for (guint i = 0; i < forward->len; i++)
        g_assert_cmpint (g_array_index (forward, gint64, i), ==,
                         g_array_index (backward, gint64, forward->len - 1 - i));
    }
}

static void
test_sort_with_limit (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(LkLeadQuery) query = lk_lead_query_new ();
  g_autoptr(GPtrArray) leads = NULL;
  g_autoptr(GError) error = NULL;

  /* The sort that binds a value, with a filter and a limit binding theirs */
  lk_lead_query_set_sort (query, LK_LEAD_SORT_STAGE);
  lk_lead_query_set_owner (query, "user:anna");
  assert_query (f, query, "L8 L2 L9 L4");
  leads = lk_store_query_leads (f->db->store, query, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (leads->len, ==, 2);
  g_assert_cmpint (lk_record_get_rowid (g_ptr_array_index (leads, 0)), ==, f->rowids[8]);
  g_assert_cmpint (lk_record_get_rowid (g_ptr_array_index (leads, 1)), ==, f->rowids[2]);
}

static void
test_company_sort_case (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(LkLead) lower = lk_test_create_lead (f->db->store, "company", "apex lower", "stage", "won", NULL);
  g_autoptr(LkLeadQuery) query = lk_lead_query_new ();
  g_autoptr(GArray) rowids = NULL;

  lk_lead_query_set_sort (query, LK_LEAD_SORT_COMPANY);
  lk_lead_query_set_stage (query, "won");
  rowids = lk_store_query_rowids (f->db->store, query, NULL);
  /* "apex lower" before "Summit Apex Inc." although 'a' > 'S' in ASCII */
  g_assert_cmpuint (rowids->len, ==, 2);
  g_assert_cmpint (g_array_index (rowids, gint64, 0), ==, lk_record_get_rowid (LK_RECORD (lower)));
  g_assert_cmpint (g_array_index (rowids, gint64, 1), ==, f->rowids[4]);
}

static void
test_search_cjk (Fixture       *f,
                 gconstpointer  data)
{
  /* Two characters: the most common Chinese search */
  assert_search (f, "华信", "L1");
  assert_search (f, "有限", "L3 L1 L6");
  assert_search (f, "王伟", "L1");
  /* Four characters, and three */
  assert_search (f, "科技有限", "L1");
  assert_search (f, "有限公司", "L3 L1 L6");
  assert_search (f, "智能制", "L6");
  /* One character: 华 only in L1 (and the deleted L7) */
  assert_search (f, "华", "L1");
  assert_search (f, "伟", "L1 L6");
  /* Not there */
  assert_search (f, "华为", "");
  assert_search (f, "信科技有限公司华", "");
}

static void
test_search_latin (Fixture       *f,
                   gconstpointer  data)
{
  assert_search (f, "huaxin", "L1");
  assert_search (f, "HuaXin", "L1");
  assert_search (f, "WEBER", "L2");
  assert_search (f, "weber", "L2");
  assert_search (f, "Anna Weber", "L2");
  /* One or two letters: the start of a word, as typed from the first key */
  assert_search (f, "an", "L2 L6");
  assert_search (f, "AN", "L2 L6");
  assert_search (f, "n", "L9 L6");
  assert_search (f, "hu", "L1");
  assert_search (f, "em", "L9");
  assert_search (f, "86", "L1");
  assert_search (f, "blueriver.de", "L2");
  assert_search (f, "Fischer", "L8");
  /* Source and tags are searchable */
  assert_search (f, "exhibition", "L2");
  assert_search (f, "price-sensitive", "L2");
  /* Two characters that are not a word: any substring, punctuation too */
  assert_search (f, "e-", "L2");
  assert_search (f, "+4", "L2");
  assert_search (f, "+8", "L1");
}

static void
test_search_terms (Fixture       *f,
                   gconstpointer  data)
{
  /* Every term must match */
  assert_search (f, "华信 王伟", "L1");
  assert_search (f, "华信 Weber", "");
  assert_search (f, "  有限公司   VIP  ", "L3 L1");
  assert_search (f, "有限 急需", "L3");
  assert_search (f, "Anna blue de", "L2");
  /* Tags, two-character CJK and Latin */
  assert_search (f, "急需", "L3");
  assert_search (f, "VIP", "L3 L1");
  /* A phone number fragment, as digits of the normalised number */
  assert_search (f, "13800138000", "L1");
  assert_search (f, "0013 8000", "L1");
  assert_search (f, "+86138", "L1");
  assert_search (f, "12345678", "L2");
  /* With the other filters */
  {
    g_autoptr(LkLeadQuery) query = lk_lead_query_new ();

    lk_lead_query_set_search (query, "有限公司");
    lk_lead_query_set_owner (query, "user:lilei");
    assert_query (f, query, "L3 L6");
    lk_lead_query_set_sort (query, LK_LEAD_SORT_AMOUNT);
    assert_query (f, query, "L6 L3");
  }
}

static void
test_search_syntax (Fixture       *f,
                    gconstpointer  data)
{
  static const char * const texts[] = {
    "\"", "\"\"", "\"(maybe)", "(", ")", "()", "*", "a*", "华信*", "AND", "OR", "NOT", "NEAR",
    "NEAR(a b)", "a OR b", "company:华信", "body:x", "-x", "^abc", "'", "\\", "{a b}", "a+b",
    "华信\"", "\"华信", "AND OR NOT", "\"AND\"", "a\"b\"c", ":", "*:*", "%", "_", "\x1f", NULL
  };

  for (guint i = 0; texts[i]; i++)
    {
      g_autoptr(LkLeadQuery) query = lk_lead_query_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) rowids = NULL;
      g_autoptr(GPtrArray) leads = NULL;
      g_autoptr(GPtrArray) totals = NULL;

      g_test_message ("search “%s”", texts[i]);
      lk_lead_query_set_search (query, texts[i]);
      rowids = lk_store_query_rowids (f->db->store, query, &error);
      g_assert_no_error (error);
      g_assert_nonnull (rowids);
      leads = lk_store_query_leads (f->db->store, query, 10, &error);
      g_assert_no_error (error);
      totals = lk_store_stage_totals (f->db->store, query, &error);
      g_assert_no_error (error);
    }

  /* Quotes, parentheses, asterisks and operators are text to find */
  assert_search (f, "He said \"(maybe) AND NEAR*\"", "L6");
  assert_search (f, "NEAR*", "L6");
  assert_search (f, "\"(maybe)", "L6");
  assert_search (f, "AND", "L6");
  assert_search (f, "maybe) OR", "");
}

static void
test_search_follows_edits (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) lead = lk_store_get_lead (f->db->store, lk_record_get_id (LK_RECORD (f->leads[1])), &error);

  g_assert_no_error (error);
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_COMPANY, "瑞丰科技有限公司");
  g_assert_true (lk_store_update_lead (f->db->store, lead, NULL, &error));
  g_assert_no_error (error);
  assert_search (f, "华信", "");
  assert_search (f, "华信科技", "");
  assert_search (f, "华", "");
  assert_search (f, "瑞丰", "L1");
  assert_search (f, "瑞丰科技", "L1");

  /* Tags are searched too, and follow edits */
  lk_record_set_tags (LK_RECORD (lead), LK_LEAD_TAGS, (const char *[]) { "老客户转介绍", NULL });
  g_assert_true (lk_store_update_lead (f->db->store, lead, NULL, &error));
  g_assert_no_error (error);
  assert_search (f, "VIP", "L3");
  assert_search (f, "老客户", "L1");

  /* Deleted and restored */
  g_assert_true (lk_store_delete_lead (f->db->store, lk_record_get_id (LK_RECORD (lead)), &error));
  assert_search (f, "瑞丰", "");
  g_assert_true (lk_store_restore_lead (f->db->store, lk_record_get_id (LK_RECORD (lead)), &error));
  assert_search (f, "瑞丰", "L1");

  /* A move does not lose the lead from search */
  g_assert_true (lk_store_move_lead (f->db->store, lk_record_get_id (LK_RECORD (lead)), "contacted", NULL, &error));
  g_assert_no_error (error);
  assert_search (f, "瑞丰", "L1");
}

static void
test_deleted_never_appear (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(LkLeadQuery) query = lk_lead_query_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) leads = NULL;

  /* L7 matches each of these but is deleted */
  assert_search (f, "华信电子", "");
  assert_search (f, "Deleted", "");
  lk_lead_query_set_pool (query, TRUE);
  lk_lead_query_set_overdue (query, TRUE);
  assert_query (f, query, "L1");
  g_clear_object (&query);
  query = lk_lead_query_new ();
  lk_lead_query_set_tag (query, "急需");
  assert_query (f, query, "L3");
  leads = lk_store_query_leads (f->db->store, query, 0, &error);
  g_assert_cmpuint (leads->len, ==, 1);
}

typedef struct
{
  const char *stage;
  gint64      count;
  gint64      amount;
  gint64      weighted;
} Total;

static void
assert_totals (Fixture     *f,
               LkLeadQuery *query,
               const Total *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) totals = lk_store_stage_totals (f->db->store, query, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (totals->len, ==, 7);
  for (guint i = 0; i < totals->len; i++)
    {
      LkStageTotal *total = g_ptr_array_index (totals, i);

      g_test_message ("%s: %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
                      total->stage, total->count, total->amount, total->weighted);
      g_assert_cmpstr (total->stage, ==, expected[i].stage);
      g_assert_cmpint (total->count, ==, expected[i].count);
      g_assert_cmpint (total->amount, ==, expected[i].amount);
      g_assert_cmpint (total->weighted, ==, expected[i].weighted);
    }
}

static void
test_stage_totals (Fixture       *f,
                   gconstpointer  data)
{
  /* Amounts in fen; weighted by new 5, assigned 10, contacted 20,
   * qualified 40, proposal 60, won 100, lost 0 percent. */
  static const Total all[] = {
    { "new", 1, 100000, 5000 },
    { "assigned", 1, 0, 0 },
    { "contacted", 1, 500000, 100000 },
    { "qualified", 1, 200000, 80000 },
    { "proposal", 2, 850000, 510000 },
    { "won", 1, 300000, 300000 },
    { "lost", 1, 50000, 0 },
  };
  static const Total anna[] = {
    { "new", 0, 0, 0 },
    { "assigned", 1, 0, 0 },
    { "contacted", 1, 500000, 100000 },
    { "qualified", 0, 0, 0 },
    { "proposal", 1, 150000, 90000 },
    { "won", 1, 300000, 300000 },
    { "lost", 0, 0, 0 },
  };
  static const Total limited[] = {
    { "new", 1, 100000, 5000 },
    { "assigned", 0, 0, 0 },
    { "contacted", 0, 0, 0 },
    { "qualified", 1, 200000, 80000 },
    { "proposal", 1, 700000, 420000 },
    { "won", 0, 0, 0 },
    { "lost", 0, 0, 0 },
  };
  static const Total overdue[] = {
    { "new", 1, 100000, 5000 },
    { "assigned", 0, 0, 0 },
    { "contacted", 0, 0, 0 },
    { "qualified", 1, 200000, 80000 },
    { "proposal", 0, 0, 0 },
    { "won", 0, 0, 0 },
    { "lost", 0, 0, 0 },
  };
  g_autoptr(LkLeadQuery) query = lk_lead_query_new ();

  assert_totals (f, NULL, all);
  assert_totals (f, query, all);
  /* The stage filter is ignored: every column gets its total */
  lk_lead_query_set_stage (query, "won");
  assert_totals (f, query, all);
  lk_lead_query_set_owner (query, "user:anna");
  assert_totals (f, query, anna);
  lk_lead_query_set_owner (query, NULL);
  lk_lead_query_set_search (query, "有限公司");
  assert_totals (f, query, limited);
  lk_lead_query_set_search (query, NULL);
  lk_lead_query_set_overdue (query, TRUE);
  assert_totals (f, query, overdue);
  /* A sort that binds a value of its own does not upset the totals */
  lk_lead_query_set_sort (query, LK_LEAD_SORT_STAGE);
  assert_totals (f, query, overdue);
}

static void
test_totals_follow_writes (Fixture       *f,
                           gconstpointer  data)
{
  static const Total moved[] = {
    { "new", 1, 100000, 5000 },
    { "assigned", 1, 0, 0 },
    { "contacted", 1, 500000, 100000 },
    { "qualified", 1, 200000, 80000 },
    { "proposal", 1, 150000, 90000 },
    { "won", 2, 1000000, 1000000 },
    { "lost", 0, 0, 0 },
  };
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_store_move_lead (f->db->store, lk_record_get_id (LK_RECORD (f->leads[6])), "won", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (lk_store_delete_lead (f->db->store, lk_record_get_id (LK_RECORD (f->leads[5])), &error));
  g_assert_no_error (error);
  assert_totals (f, NULL, moved);
}

static void
test_list_tags (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) tags = lk_store_list_tags (f->db->store, 0, &error);
  g_auto(GStrv) top = NULL;
  g_auto(GStrv) after = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *joined_after = NULL;

  /* Most used first (VIP on L1 and L3; the deleted L7 does not count) */
  g_assert_no_error (error);
  joined = g_strjoinv (",", tags);
  g_assert_cmpstr (joined, ==, "VIP,price-sensitive,急需");
  top = lk_store_list_tags (f->db->store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (top), ==, 1);
  g_assert_cmpstr (top[0], ==, "VIP");

  g_assert_true (lk_store_delete_lead (f->db->store, lk_record_get_id (LK_RECORD (f->leads[2])), &error));
  after = lk_store_list_tags (f->db->store, 0, &error);
  joined_after = g_strjoinv (",", after);
  g_assert_cmpstr (joined_after, ==, "VIP,急需");
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           guint      *n)
{
  (*n)++;
}

static void
test_query_object (void)
{
  g_autoptr(LkLeadQuery) query = lk_lead_query_new ();
  g_autoptr(LkLeadQuery) copy = NULL;
  guint n = 0;
  g_autofree char *stage = NULL;

  g_signal_connect (query, "notify", G_CALLBACK (notify_cb), &n);
  lk_lead_query_set_stage (query, "won");
  lk_lead_query_set_stage (query, "won");
  g_assert_cmpuint (n, ==, 1);
  lk_lead_query_set_search (query, "");
  g_assert_null (lk_lead_query_get_search (query));
  g_assert_cmpuint (n, ==, 1);
  lk_lead_query_set_overdue (query, TRUE);
  lk_lead_query_set_overdue (query, TRUE);
  lk_lead_query_set_sort (query, LK_LEAD_SORT_AMOUNT);
  lk_lead_query_set_reversed (query, TRUE);
  lk_lead_query_set_tag (query, "VIP");
  g_assert_cmpuint (n, ==, 5);

  copy = lk_lead_query_copy (query);
  g_assert_true (lk_lead_query_equal (query, copy));
  g_assert_cmpstr (lk_lead_query_get_tag (copy), ==, "VIP");
  g_assert_true (lk_lead_query_get_overdue (copy));
  g_assert_true (lk_lead_query_get_reversed (copy));
  g_assert_cmpint (lk_lead_query_get_sort (copy), ==, LK_LEAD_SORT_AMOUNT);
  lk_lead_query_set_pool (copy, TRUE);
  g_assert_false (lk_lead_query_equal (query, copy));

  g_object_get (query, "stage", &stage, NULL);
  g_assert_cmpstr (stage, ==, "won");
  g_object_set (query, "owner", "user:anna", "sort", LK_LEAD_SORT_COMPANY, NULL);
  g_assert_cmpstr (lk_lead_query_get_owner (query), ==, "user:anna");
  g_assert_cmpint (lk_lead_query_get_sort (query), ==, LK_LEAD_SORT_COMPANY);
  g_assert_cmpuint (n, ==, 7);
}

static void
test_overdue_time_zone (void)
{
  /* In Shanghai (UTC+8) it is already Thursday 2024-05-16 04:00; a
   * follow-up at Wednesday 23:00 Shanghai time is overdue there, while
   * in UTC it is still Wednesday afternoon and the same moment is today. */
  g_autoptr(GTimeZone) shanghai = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr(LkTestDb) db = NULL;
  g_autoptr(LkTestDb) utc = NULL;
  gint64 now = G_GINT64_CONSTANT (1715803200000);        /* 2024-05-15 20:00 UTC */
  gint64 wed_2300_cst = G_GINT64_CONSTANT (1715785200000); /* 2024-05-15 15:00 UTC */
  g_autoptr(LkLead) a = NULL;
  g_autoptr(LkLead) b = NULL;
  g_autoptr(LkLeadQuery) query = lk_lead_query_new ();
  g_autoptr(GArray) rowids = NULL;
  g_autoptr(GArray) utc_rowids = NULL;

  g_assert_nonnull (shanghai);
  db = lk_test_db_new_full (shanghai);
  utc = lk_test_db_new ();
  lk_clock_set_now_ms (db->clock, now);
  lk_clock_set_now_ms (utc->clock, now);
  a = lk_test_lead_new ("company", "Late", NULL);
  lk_record_set_int (LK_RECORD (a), LK_LEAD_NEXT_FOLLOWUP_AT, wed_2300_cst);
  b = lk_lead_copy (a);
  g_assert_true (lk_store_create_lead (db->store, a, NULL));
  g_assert_true (lk_store_create_lead (utc->store, b, NULL));

  lk_lead_query_set_overdue (query, TRUE);
  rowids = lk_store_query_rowids (db->store, query, NULL);
  utc_rowids = lk_store_query_rowids (utc->store, query, NULL);
  g_assert_cmpuint (rowids->len, ==, 1);
  g_assert_cmpuint (utc_rowids->len, ==, 0);
}

/* A broad search (thousands of matches: "Weber" 3,200) and a narrow one
 * ("Wolf" 800) run their queries differently (the store walks the order's
 * index and checks each lead with lk_search_hit(), or starts from the
 * matches): both must give what a plain scan gives, deleted leads never
 * included. */
static void
test_search_many (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(GPtrArray) leads = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  static const char * const stages[] = { "new", "contacted", "proposal" };
  const char *searches[] = { "Weber", "Weber 123", "Wolf", "GmbH 777", NULL };

  for (guint i = 0; i < 4000; i++)
    {
      g_autofree char *company = g_strdup_printf ("%s %u GmbH", i % 5 == 0 ? "Wolf" : "Weber", i);
      LkLead *lead = lk_lead_new ();

      lk_record_set_string (LK_RECORD (lead), LK_LEAD_COMPANY, company);
      lk_record_set_string (LK_RECORD (lead), LK_LEAD_STAGE, stages[i % 3]);
      lk_record_set_int (LK_RECORD (lead), LK_LEAD_AMOUNT, (i * 7919) % 100000);
      if (i % 4 != 0)
        lk_record_set_int (LK_RECORD (lead), LK_LEAD_NEXT_FOLLOWUP_AT, LK_TEST_NOW_MS + ((i * 104729) % 1000) * LK_TEST_HOUR_MS);
      g_ptr_array_add (leads, lead);
    }
  g_assert_true (lk_store_put_records (db->store, leads, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 4000; i += 11)
    {
      g_assert_true (lk_store_delete_lead (db->store, lk_record_get_id (g_ptr_array_index (leads, i)), &error));
      g_assert_no_error (error);
    }

  for (guint s = 0; searches[s]; s++)
    for (guint st = 0; st < G_N_ELEMENTS (stages); st++)
      for (LkLeadSort sort = LK_LEAD_SORT_URGENCY; sort <= LK_LEAD_SORT_AMOUNT; sort++)
        {
          g_autoptr(LkLeadQuery) query = lk_lead_query_new ();
          g_autoptr(LkLeadQuery) plain = NULL;
          g_autoptr(GArray) limited = NULL;
          g_autoptr(GArray) all = NULL;
          g_autoptr(GPtrArray) totals = NULL;
          gint64 count = 0;

          g_test_message ("search “%s”, stage %s, sort %d", searches[s], stages[st], sort);
          lk_lead_query_set_search (query, searches[s]);
          lk_lead_query_set_sort (query, sort);
          lk_lead_query_set_stage (query, stages[st]);
          limited = lk_store_query_rowids_limited (db->store, query, 50, &error);
          g_assert_no_error (error);
          all = lk_store_query_rowids (db->store, query, &error);
          g_assert_no_error (error);

          /* The same by a plain scan of the table */
          for (guint i = 0; i < 4000; i++)
            {
              LkRecord *lead = g_ptr_array_index (leads, i);
              const char *company = lk_record_get_string (lead, LK_LEAD_COMPANY);
              g_auto(GStrv) terms = g_strsplit (searches[s], " ", -1);
              gboolean match = i % 11 != 0 && i % 3 == st;

              for (guint t = 0; match && terms[t]; t++)
                match = strstr (company, terms[t]) != NULL;
              if (match)
                count++;
            }
          g_assert_cmpint (all->len, ==, count);
          g_assert_cmpuint (limited->len, ==, MIN (50, count));
          for (guint i = 0; i < limited->len; i++)
            g_assert_cmpint (g_array_index (limited, gint64, i), ==, g_array_index (all, gint64, i));

          plain = lk_lead_query_copy (query);
          lk_lead_query_set_stage (plain, NULL);
          totals = lk_store_stage_totals (db->store, plain, &error);
          g_assert_no_error (error);
          for (guint i = 0; i < totals->len; i++)
            {
              LkStageTotal *total = g_ptr_array_index (totals, i);

              if (g_str_equal (total->stage, stages[st]))
                g_assert_cmpint (total->count, ==, count);
            }
        }
}

static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static gint64
count_of (GPtrArray *totals)
{
  gint64 count = 0;

  for (guint i = 0; i < totals->len; i++)
    count += ((LkStageTotal *) g_ptr_array_index (totals, i))->count;
  return count;
}

/* The totals and the tags read on the worker's connection equal those
 * of the main one, and follow what the main one commits afterwards: the
 * worker's cached search matches must not outlive a write. */
static void
test_read_on_worker (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLeadQuery) query = lk_lead_query_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) totals = NULL;
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(LkLead) lead = lk_lead_new ();
  g_auto(GStrv) tags = NULL;
  g_auto(GStrv) expected_tags = NULL;

  lk_lead_query_set_search (query, "华信");
  lk_store_stage_totals_async (f->db->store, query, NULL, async_done_cb, &result);
  /* Changing the query now does not change what is added up. */
  lk_lead_query_set_search (query, "nothing matches this");
  totals = lk_store_stage_totals_finish (f->db->store, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_of (totals), ==, 1);
  g_clear_object (&result);
  g_clear_pointer (&totals, g_ptr_array_unref);

  lk_lead_query_set_search (query, "华信");
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_COMPANY, "华信国际");
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_STAGE, "qualified");
  lk_record_set_from_text (LK_RECORD (lead), LK_LEAD_TAGS, "展会", NULL);
  g_assert_true (lk_store_create_lead (f->db->store, lead, &error));
  g_assert_no_error (error);

  lk_store_stage_totals_async (f->db->store, query, NULL, async_done_cb, &result);
  totals = lk_store_stage_totals_finish (f->db->store, wait_for_result (&result), &error);
  g_assert_no_error (error);
  expected = lk_store_stage_totals (f->db->store, query, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_of (totals), ==, 2);
  for (guint i = 0; i < totals->len; i++)
    {
      LkStageTotal *a = g_ptr_array_index (totals, i), *b = g_ptr_array_index (expected, i);

      g_assert_cmpstr (a->stage, ==, b->stage);
      g_assert_cmpint (a->count, ==, b->count);
      g_assert_cmpint (a->amount, ==, b->amount);
      g_assert_cmpint (a->weighted, ==, b->weighted);
    }
  g_clear_object (&result);

  lk_store_list_tags_async (f->db->store, 0, NULL, async_done_cb, &result);
  tags = lk_store_list_tags_finish (f->db->store, wait_for_result (&result), &error);
  g_assert_no_error (error);
  expected_tags = lk_store_list_tags (f->db->store, 0, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_equal ((const char * const *) tags, (const char * const *) expected_tags));
  g_assert_true (g_strv_contains ((const char * const *) tags, "展会"));
}

/* The search index's tokens (lk-search-tokenizer.c), in order: each run's
 * trigrams, its last two characters and last one, then a marked token of
 * the first one or two letters of each word that is not CJK. */
static void
test_search_tokens (void)
{
  static const struct
  {
    const char *text;
    const char *tokens;
  } cases[] = {
    { "华信科技", "华信科 信科技 科技 技" },
    { "Huaxin", "hua uax axi xin in n ^hu" },
    { "李雷\n138", "李雷 雷 138 38 8 ^13" },
    { "a,b  Ärzte", "a,b ,b b ^a ^b ärz rzt zte te e ^är" },
    { "x", "x ^x" },
  };
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  g_assert_true (lk_search_tokenizer_register (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (db, "CREATE VIRTUAL TABLE t USING fts5 (body, tokenize = 'lk_search');"
                                 "CREATE VIRTUAL TABLE v USING fts5vocab (t, 'instance')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) tokens = g_string_new (NULL);
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_exec (db, "DELETE FROM t", NULL, NULL, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO t (rowid, body) VALUES (1, ?)", -1, &stmt, NULL), ==, SQLITE_OK);
      sqlite3_bind_text (stmt, 1, cases[i].text, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_finalize (stmt);
      g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT term FROM v ORDER BY offset", -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *term = (const char *) sqlite3_column_text (stmt, 0);

          if (tokens->len > 0)
            g_string_append_c (tokens, ' ');
          if (term[0] == LK_SEARCH_WORD_MARK[0])
            g_string_append_printf (tokens, "^%s", term + 1);
          else
            g_string_append (tokens, term);
        }
      sqlite3_finalize (stmt);
      g_assert_cmpstr (tokens->str, ==, cases[i].tokens);
    }

  /* Any bytes: invalid UTF-8, lone continuation bytes, characters whose
   * lower case is longer, long runs. FTS5's integrity check tokenizes
   * every text again and compares. */
  {
    static const char * const pieces[] = {
      "\xff", "\x80", "\xe5\x8d", "\xf0\x9f\x98\x80", "\xc8\xba", "İ", "ẞ", " ", "\n", "\t", "\u3000",
      "a", "Z", "9", "-", "@", "华", "信", "ｶ", "\x01", "\"", "é",
    };
    g_autoptr(GRand) rand = g_rand_new_with_seed (6);

    g_assert_cmpint (sqlite3_exec (db, "DELETE FROM t", NULL, NULL, NULL), ==, SQLITE_OK);
    for (guint i = 0; i < 300; i++)
      {
        g_autoptr(GString) text = g_string_new (NULL);
        guint n = (guint) g_rand_int_range (rand, 0, i % 10 == 0 ? 2000 : 40);
        sqlite3_stmt *stmt = NULL;

        for (guint k = 0; k < n; k++)
          g_string_append (text, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
        g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO t (body) VALUES (?)", -1, &stmt, NULL), ==, SQLITE_OK);
        sqlite3_bind_text (stmt, 1, text->str, (int) text->len, SQLITE_TRANSIENT);
        g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
        sqlite3_finalize (stmt);
      }
    g_assert_cmpint (sqlite3_exec (db, "INSERT INTO t (t) VALUES ('integrity-check')", NULL, NULL, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "SELECT count(*) FROM t WHERE t MATCH '\"\x01a\" *' OR t MATCH '\"\xff\" *'",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
  }
  sqlite3_close (db);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/query/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("no-filter", test_no_filter);
  ADD ("filters", test_filters);
  ADD ("overdue", test_overdue);
  ADD ("sorts", test_sorts);
  ADD ("sort-with-limit", test_sort_with_limit);
  ADD ("reverse-mirrors", test_reverse_mirrors);
  ADD ("company-sort-case", test_company_sort_case);
  ADD ("search/cjk", test_search_cjk);
  ADD ("search/latin", test_search_latin);
  ADD ("search/terms", test_search_terms);
  ADD ("search/syntax", test_search_syntax);
  ADD ("search/follows-edits", test_search_follows_edits);
  ADD ("deleted-never-appear", test_deleted_never_appear);
  ADD ("list-tags", test_list_tags);
  ADD ("stage-totals", test_stage_totals);
  ADD ("stage-totals/follow-writes", test_totals_follow_writes);
  ADD ("read-on-worker", test_read_on_worker);
#undef ADD
  g_test_add_func ("/query/object", test_query_object);
  g_test_add_func ("/query/search-tokens", test_search_tokens);
  g_test_add_func ("/query/search/many-matches", test_search_many);
  g_test_add_func ("/query/overdue-time-zone", test_overdue_time_zone);

  return g_test_run ();
}
