/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "lk-store-merge.h"
#include "lk-test-util.h"

#include <string.h>

/* Duplicates in the database: what the editor's check finds, the groups
 * of the duplicates view, and merging a group into one lead. */

static void
test_find_duplicates_of (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) first = lk_test_create_lead (db->store, "company", "上海华信科技有限公司",
                                                 "contact", "李雷", "phone", "138 0013 8000", NULL);
  g_autoptr(LkLead) second = lk_test_create_lead (db->store, "company", "Blue River Co., Ltd.",
                                                  "contact", "Anna Weber", "email", "anna@blueriver.com", NULL);
  g_autoptr(LkLead) unrelated = lk_test_create_lead (db->store, "company", "恒达物流", NULL);
  g_autoptr(LkLead) typed = lk_test_lead_new ("company", "上海华信科技 股份有限公司", "contact", "韩梅梅", NULL);
  g_autoptr(LkLead) by_phone = lk_test_lead_new ("company", "别的公司", "phone", "+86 138-0013-8000", NULL);
  g_autoptr(LkLead) by_email = lk_test_lead_new ("email", " ANNA@BlueRiver.com", NULL);
  g_autoptr(LkLead) nothing = lk_test_lead_new ("company", "Summit Apex", NULL);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  /* The same company with another legal form, and another contact */
  found = lk_store_find_duplicates_of (db->store, typed, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (lk_record_get_id (g_ptr_array_index (found, 0)), ==, lk_record_get_id (LK_RECORD (first)));
  g_clear_pointer (&found, g_ptr_array_unref);

  found = lk_store_find_duplicates_of (db->store, by_phone, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (lk_record_get_id (g_ptr_array_index (found, 0)), ==, lk_record_get_id (LK_RECORD (first)));
  g_clear_pointer (&found, g_ptr_array_unref);

  found = lk_store_find_duplicates_of (db->store, by_email, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (lk_record_get_id (g_ptr_array_index (found, 0)), ==, lk_record_get_id (LK_RECORD (second)));
  g_clear_pointer (&found, g_ptr_array_unref);

  found = lk_store_find_duplicates_of (db->store, nothing, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* A saved lead is not its own duplicate */
  found = lk_store_find_duplicates_of (db->store, unrelated, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Nor is a deleted lead anybody's */
  g_assert_true (lk_store_delete_lead (db->store, lk_record_get_id (LK_RECORD (first)), NULL));
  found = lk_store_find_duplicates_of (db->store, by_phone, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
}

static gboolean
group_has (LkDuplicateGroup *group,
           LkLead           *lead)
{
  g_assert_nonnull (lk_duplicate_group_get_rowids (group));
  for (guint i = 0; i < lk_duplicate_group_get_n_leads (group); i++)
    if (g_str_equal (lk_record_get_id (LK_RECORD (lk_duplicate_group_get_lead (group, i))),
                     lk_record_get_id (LK_RECORD (lead))))
      return TRUE;
  return FALSE;
}

static void
test_scan (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  /* a, b share a phone; b, c share an email: one group of three */
  g_autoptr(LkLead) a = lk_test_create_lead (db->store, "company", "华信科技", "contact", "李雷",
                                             "phone", "13800138000", NULL);
  g_autoptr(LkLead) b = lk_test_create_lead (db->store, "company", "华信", "contact", "Li Lei",
                                             "phone", "+86 138 0013 8000", "email", "lilei@huaxin.cn", NULL);
  g_autoptr(LkLead) c = lk_test_create_lead (db->store, "company", "Huaxin", "email", "LiLei@Huaxin.CN", NULL);
  /* d, e: the same company and contact */
  g_autoptr(LkLead) d = lk_test_create_lead (db->store, "company", "Northwind GmbH", "contact", "Anna Weber", NULL);
  g_autoptr(LkLead) e = lk_test_create_lead (db->store, "company", "NORTHWIND", "contact", "anna  weber", NULL);
  /* f: the same company, another person: no duplicate */
  g_autoptr(LkLead) f = lk_test_create_lead (db->store, "company", "Northwind", "contact", "Tom Berg", NULL);
  g_autoptr(LkLead) g = lk_test_create_lead (db->store, "company", "恒达物流", NULL);
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GError) error = NULL;
  LkDuplicateGroup *three, *two;

  groups = lk_store_scan_duplicates (db->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (groups->len, ==, 2);
  /* the group with the newest lead first */
  two = g_ptr_array_index (groups, 0);
  three = g_ptr_array_index (groups, 1);
  if (lk_duplicate_group_get_n_leads (two) == 3)
    {
      LkDuplicateGroup *swap = two;

      two = three;
      three = swap;
    }
  g_assert_nonnull (lk_duplicate_group_load_leads (three, db->store, NULL));
  g_assert_nonnull (lk_duplicate_group_load_leads (two, db->store, NULL));
  g_assert_cmpuint (lk_duplicate_group_get_n_leads (three), ==, 3);
  g_assert_true (group_has (three, a) && group_has (three, b) && group_has (three, c));
  g_assert_cmpint (lk_duplicate_group_get_key (three), ==, LK_DUPLICATE_PHONE);
  g_assert_cmpuint (lk_duplicate_group_get_n_leads (two), ==, 2);
  /* the oldest lead first */
  g_assert_cmpstr (lk_record_get_id (LK_RECORD (lk_duplicate_group_get_lead (two, 0))), ==,
                   lk_record_get_id (LK_RECORD (d)));
  g_assert_true (group_has (two, d) && group_has (two, e));
  g_assert_false (group_has (two, f) || group_has (two, g));
  g_assert_cmpint (lk_duplicate_group_get_key (two), ==, LK_DUPLICATE_COMPANY);
  g_clear_pointer (&groups, g_ptr_array_unref);

  /* Deleting one of two leaves no group */
  g_assert_true (lk_store_delete_lead (db->store, lk_record_get_id (LK_RECORD (e)), NULL));
  groups = lk_store_scan_duplicates (db->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (groups->len, ==, 1);
  g_assert_cmpuint (lk_duplicate_group_get_n_leads (g_ptr_array_index (groups, 0)), ==, 3);
  g_clear_pointer (&groups, g_ptr_array_unref);

  /* A cancelled scan says so */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    groups = lk_store_scan_duplicates (db->store, cancellable, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (groups);
  }
}

static void
test_merge (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  sqlite3 *peek = lk_test_db_peek (db);
  g_autoptr(LkLead) primary = lk_test_create_lead (db->store, "company", "上海华信科技有限公司",
                                                   "contact", "李雷", "phone", "13800138000",
                                                   "tags", "展会", "notes", "见过面", NULL);
  g_autoptr(LkLead) other = lk_test_create_lead (db->store, "company", "华信科技", "contact", "Li Lei",
                                                 "phone", "+86 138 0013 8000", "email", "lilei@huaxin.cn",
                                                 "title", "CTO", "tags", "vip", "notes", "要报价", NULL);
  const char *primary_id = lk_record_get_id (LK_RECORD (primary));
  const char *other_id = lk_record_get_id (LK_RECORD (other));
  const char *others[] = { other_id, NULL };
  g_autoptr(LkActivity) call = lk_activity_new (other_id, "note");
  g_autoptr(GHashTable) choices = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(LkLead) merged = NULL;
  g_autoptr(LkLead) tombstone = NULL;
  g_autoptr(GPtrArray) activities = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autofree char *merged_into = NULL;
  g_autofree char *merge_id = NULL;
  g_autoptr(GError) error = NULL;
  gboolean noted = FALSE;

  lk_record_set_string (LK_RECORD (call), LK_ACTIVITY_SUMMARY, "打过电话");
  g_assert_true (lk_store_add_activity (db->store, call, NULL));
  g_assert_true (lk_store_move_lead (db->store, other_id, "contacted", NULL, &error));
  g_assert_no_error (error);
  /* What sync would have sent already */
  lk_test_sql_exec (peek, "DELETE FROM outbox");

  g_hash_table_insert (choices, (char *) "contact", (char *) other_id);
  g_assert_true (lk_store_merge_leads (db->store, primary_id, others, choices, &merge_id, &error));
  g_assert_no_error (error);

  merged = lk_store_get_lead (db->store, primary_id, NULL);
  g_assert_false (lk_record_get_deleted (LK_RECORD (merged)));
  g_assert_cmpstr (lk_lead_get_company (merged), ==, "上海华信科技有限公司");  /* the primary's */
  g_assert_cmpstr (lk_lead_get_contact (merged), ==, "Li Lei");                 /* chosen */
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (merged), LK_LEAD_EMAIL), ==, "lilei@huaxin.cn");  /* filled */
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (merged), LK_LEAD_TITLE), ==, "CTO");
  g_assert_true (g_strv_contains (lk_record_get_tags (LK_RECORD (merged), LK_LEAD_TAGS), "展会"));
  g_assert_true (g_strv_contains (lk_record_get_tags (LK_RECORD (merged), LK_LEAD_TAGS), "vip"));
  g_assert_nonnull (strstr (lk_record_get_string (LK_RECORD (merged), LK_LEAD_NOTES), "见过面"));
  g_assert_nonnull (strstr (lk_record_get_string (LK_RECORD (merged), LK_LEAD_NOTES), "要报价"));

  tombstone = lk_store_get_lead (db->store, other_id, NULL);
  g_assert_true (lk_record_get_deleted (LK_RECORD (tombstone)));
  merged_into = lk_test_sql_text (peek, "SELECT json_extract(extra, '$.merged_into') FROM leads WHERE id = ?",
                                  other_id, NULL);
  g_assert_cmpstr (merged_into, ==, primary_id);

  /* The other's history is the primary's now */
  activities = lk_store_list_activities (db->store, primary_id, NULL);
  for (guint i = 0; i < activities->len; i++)
    {
      LkRecord *activity = g_ptr_array_index (activities, i);

      if (g_str_equal (lk_record_get_string (activity, LK_ACTIVITY_SUMMARY), "打过电话"))
        g_assert_cmpstr (lk_record_get_id (activity), ==, lk_record_get_id (LK_RECORD (call)));
      else if (g_str_has_prefix (lk_record_get_string (activity, LK_ACTIVITY_SUMMARY), "Merged with"))
        noted = TRUE;
    }
  g_assert_true (noted);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM activities WHERE lead_id = ?", other_id, NULL), ==, 0);
  changes = lk_store_list_stage_changes (db->store, primary_id, NULL);
  g_assert_cmpuint (changes->len, ==, 3);  /* two creations and the other's move */
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM stage_changes WHERE lead_id = ?", other_id, NULL), ==, 0);

  /* Both leads (and the moved history) wait in the outbox */
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM outbox WHERE doc_id = ? AND op = 'put'",
                                    primary_id, NULL), ==, 1);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM outbox WHERE doc_id = ? AND op = 'delete'",
                                    other_id, NULL), ==, 1);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM outbox WHERE doc_id = ?",
                                    lk_record_get_id (LK_RECORD (call)), NULL), ==, 1);

  /* No duplicates are left */
  groups = lk_store_scan_duplicates (db->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (groups->len, ==, 0);
  g_clear_pointer (&groups, g_ptr_array_unref);

  /* Undone: both leads as they were, each with its own history */
  g_assert_nonnull (merge_id);
  g_assert_true (lk_store_unmerge (db->store, merge_id, &error));
  g_assert_no_error (error);
  g_clear_object (&merged);
  g_clear_object (&tombstone);
  merged = lk_store_get_lead (db->store, primary_id, NULL);
  tombstone = lk_store_get_lead (db->store, other_id, NULL);
  g_assert_false (lk_record_get_deleted (LK_RECORD (tombstone)));
  g_assert_null (lk_record_get_extra (LK_RECORD (tombstone)));
  g_assert_cmpstr (lk_lead_get_contact (merged), ==, "李雷");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (merged), LK_LEAD_EMAIL), ==, "");
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM activities WHERE lead_id = ? AND id = ?",
                                    other_id, lk_record_get_id (LK_RECORD (call)), NULL), ==, 1);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM stage_changes WHERE lead_id = ?", other_id, NULL), ==, 2);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT deleted FROM activities WHERE id = ?", merge_id, NULL), ==, 1);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM outbox WHERE doc_id = ? AND op = 'put'",
                                    other_id, NULL), ==, 1);
  groups = lk_store_scan_duplicates (db->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (groups->len, ==, 1);

  /* Not twice */
  g_assert_false (lk_store_unmerge (db->store, merge_id, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
}

static void
test_merge_refused (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  sqlite3 *peek = lk_test_db_peek (db);
  g_autoptr(LkLead) a = lk_test_create_lead (db->store, "company", "Acme", "phone", "13800138000", NULL);
  g_autoptr(LkLead) b = lk_test_create_lead (db->store, "company", "ACME Inc.", NULL);
  g_autoptr(LkLead) outsider = lk_test_create_lead (db->store, "company", "Other", NULL);
  const char *a_id = lk_record_get_id (LK_RECORD (a));
  const char *others[] = { lk_record_get_id (LK_RECORD (b)), NULL };
  const char *self_only[] = { a_id, NULL };
  const char *missing[] = { "no-such-lead", NULL };
  g_autoptr(GHashTable) choices = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  gint64 outbox = lk_store_count_outbox (db->store, NULL);

  g_assert_false (lk_store_merge_leads (db->store, a_id, self_only, NULL, NULL, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (lk_store_merge_leads (db->store, a_id, missing, NULL, NULL, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_hash_table_insert (choices, (char *) "created_at", (char *) a_id);
  g_assert_false (lk_store_merge_leads (db->store, a_id, others, choices, NULL, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_clear_error (&error);
  g_hash_table_remove_all (choices);
  g_hash_table_insert (choices, (char *) "company", (char *) lk_record_get_id (LK_RECORD (outsider)));
  g_assert_false (lk_store_merge_leads (db->store, a_id, others, choices, NULL, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_clear_error (&error);

  /* Nothing was written */
  g_assert_cmpint (lk_store_count_outbox (db->store, NULL), ==, outbox);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM leads WHERE deleted = 1", NULL), ==, 0);
  g_assert_true (lk_merge_field_is_choosable ("phone"));
  g_assert_false (lk_merge_field_is_choosable ("updated_at"));
  g_assert_false (lk_merge_field_is_choosable ("nonsense"));
}

/* The owner is never filled in: only chosen (the server lets only a
 * manager give a lead to someone else) */
static void
test_merge_owner (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) pool = lk_test_create_lead (db->store, "company", "Acme", NULL);
  g_autoptr(LkLead) owned = lk_test_create_lead (db->store, "company", "ACME Inc.", "owner", "user:lilei", NULL);
  const char *pool_id = lk_record_get_id (LK_RECORD (pool));
  const char *others[] = { lk_record_get_id (LK_RECORD (owned)), NULL };
  g_autoptr(GHashTable) choices = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(LkLead) merged = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_store_merge_leads (db->store, pool_id, others, NULL, NULL, &error));
  g_assert_no_error (error);
  merged = lk_store_get_lead (db->store, pool_id, NULL);
  g_assert_null (lk_lead_get_owner (merged));
  g_clear_object (&merged);

  /* Chosen, it moves (and the assignment is logged like any) */
  g_assert_true (lk_store_restore_lead (db->store, others[0], NULL));
  g_hash_table_insert (choices, (char *) "owner", (char *) others[0]);
  g_assert_true (lk_store_merge_leads (db->store, pool_id, others, choices, NULL, &error));
  g_assert_no_error (error);
  merged = lk_store_get_lead (db->store, pool_id, NULL);
  g_assert_cmpstr (lk_lead_get_owner (merged), ==, "user:lilei");
}

/* The banner's Merge while a lead is typed (quick capture): the values go
 * into the lead already there, nothing is added; undone, the primary is
 * as it was and the lead typed is added after all. */
static void
test_merge_typed (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  sqlite3 *peek = lk_test_db_peek (db);
  g_autoptr(LkLead) there = lk_test_create_lead (db->store, "company", "上海华信科技有限公司", "contact", "李雷",
                                                 "phone", "13800138000", "owner", "user:lilei",
                                                 "notes", "见过面", "tags", "重点客户", NULL);
  g_autoptr(LkLead) typed = lk_test_lead_new ("company", "华信科技", "contact", "Li Lei", "phone", "138 0013 8000",
                                              "email", "lilei@huaxin.cn", "title", "CTO", "notes", "展会上要报价",
                                              "tags", "展会", "source", "exhibition", "campaign", "CIIE 2026", NULL);
  const char *primary_id = lk_record_get_id (LK_RECORD (there));
  g_autoptr(GHashTable) choices = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(LkLead) merged = NULL;
  g_autoptr(GPtrArray) activities = NULL;
  g_autofree char *merge_id = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n_leads = lk_store_count_leads (db->store, NULL);
  gint64 outbox;
  const char *typed_id;

  lk_record_ensure_id (LK_RECORD (typed));
  typed_id = lk_record_get_id (LK_RECORD (typed));

  /* Owner and stage are not the lead typed's to give */
  g_hash_table_insert (choices, (char *) "stage", (char *) typed_id);
  g_assert_false (lk_store_merge_typed (db->store, primary_id, typed, choices, NULL, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_clear_error (&error);
  g_hash_table_remove_all (choices);
  g_assert_false (lk_store_merge_typed (db->store, "no-such-lead", typed, NULL, NULL, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_NOT_FOUND);
  g_clear_error (&error);

  outbox = lk_store_count_outbox (db->store, NULL);
  g_hash_table_insert (choices, (char *) "contact", (char *) typed_id);
  g_assert_true (lk_store_merge_typed (db->store, primary_id, typed, choices, &merge_id, &error));
  g_assert_no_error (error);
  g_assert_nonnull (merge_id);

  /* Nothing added; the lead there has the values */
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, n_leads);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM leads WHERE id = ?", typed_id, NULL), ==, 0);
  merged = lk_store_get_lead (db->store, primary_id, NULL);
  g_assert_cmpstr (lk_lead_get_company (merged), ==, "上海华信科技有限公司");  /* the primary's */
  g_assert_cmpstr (lk_lead_get_contact (merged), ==, "Li Lei");                 /* chosen */
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (merged), LK_LEAD_EMAIL), ==, "lilei@huaxin.cn");  /* filled */
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (merged), LK_LEAD_TITLE), ==, "CTO");
  g_assert_cmpstr (lk_lead_get_owner (merged), ==, "user:lilei");
  g_assert_true (g_strv_contains (lk_record_get_tags (LK_RECORD (merged), LK_LEAD_TAGS), "展会"));
  g_assert_true (g_strv_contains (lk_record_get_tags (LK_RECORD (merged), LK_LEAD_TAGS), "重点客户"));
  g_assert_nonnull (strstr (lk_record_get_string (LK_RECORD (merged), LK_LEAD_NOTES), "见过面"));
  g_assert_nonnull (strstr (lk_record_get_string (LK_RECORD (merged), LK_LEAD_NOTES), "展会上要报价"));
  activities = lk_store_list_activities (db->store, primary_id, NULL);
  for (guint i = 0; i < activities->len; i++)
    if (g_str_has_prefix (lk_record_get_string (g_ptr_array_index (activities, i), LK_ACTIVITY_SUMMARY), "Merged with"))
      {
        g_assert_cmpstr (lk_record_get_string (g_ptr_array_index (activities, i), LK_ACTIVITY_SUMMARY), ==,
                         "Merged with 华信科技");
        g_assert_cmpstr (lk_record_get_id (g_ptr_array_index (activities, i)), ==, merge_id);
      }
  /* The lead and the note wait in the outbox (the lead was there already); no delete */
  g_assert_cmpint (lk_store_count_outbox (db->store, NULL), ==, outbox + 1);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM outbox WHERE doc_id IN (?, ?) AND op = 'put'",
                                    primary_id, merge_id, NULL), ==, 2);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM outbox WHERE op = 'delete'", NULL), ==, 0);

  /* Undone: the lead there as it was, and the lead typed added */
  g_assert_true (lk_store_unmerge (db->store, merge_id, &error));
  g_assert_no_error (error);
  g_clear_object (&merged);
  merged = lk_store_get_lead (db->store, primary_id, NULL);
  g_assert_cmpstr (lk_lead_get_contact (merged), ==, "李雷");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (merged), LK_LEAD_EMAIL), ==, "");
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, n_leads + 1);
  g_clear_object (&merged);
  merged = lk_store_get_lead (db->store, typed_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lk_lead_get_contact (merged), ==, "Li Lei");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (merged), LK_LEAD_CAMPAIGN), ==, "CIIE 2026");
  g_assert_cmpint (lk_record_get_int (LK_RECORD (merged), LK_LEAD_CREATED_AT), >, 0);
  g_assert_cmpint (lk_test_sql_int (peek, "SELECT count(*) FROM stage_changes WHERE lead_id = ?", typed_id, NULL), ==, 1);

  /* A lead saved meanwhile cannot be merged as typed */
  g_assert_false (lk_store_merge_typed (db->store, primary_id, merged, NULL, NULL, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/merge/find-duplicates-of", test_find_duplicates_of);
  g_test_add_func ("/merge/scan", test_scan);
  g_test_add_func ("/merge/merge", test_merge);
  g_test_add_func ("/merge/refused", test_merge_refused);
  g_test_add_func ("/merge/owner", test_merge_owner);
  g_test_add_func ("/merge/typed", test_merge_typed);
  return g_test_run ();
}
