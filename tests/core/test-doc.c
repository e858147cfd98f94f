/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-doc"

#include "lk-doc.h"
#include "lk-test-util.h"

/* Records ⇄ CouchDB JSON documents: the lead document is a public format
 * other programs write, so what we do not know must survive, and what is
 * wrong must be refused with the field named. */

static LkRecord *
record_from (const char *text)
{
  g_autoptr(GError) error = NULL;
  LkRecord *record = lk_record_from_json_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (record);
  return record;
}

static void
assert_member_json (JsonObject *doc,
                    const char *name,
                    const char *expected_json)
{
  g_autoptr(JsonNode) expected = json_from_string (expected_json, NULL);
  JsonNode *node = json_object_get_member (doc, name);
  g_autofree char *actual = NULL;

  g_assert_nonnull (expected);
  g_assert_nonnull (node);
  actual = json_to_string (node, FALSE);
  g_test_message ("%s: %s", name, actual);
  g_assert_true (json_node_equal (node, expected));
}

static LkLead *
make_full_lead (void)
{
  LkLead *lead = lk_lead_new ();
  LkRecord *r = LK_RECORD (lead);
  const char *tags[] = { "VIP", "急需", NULL };

  lk_record_set_id (r, "lead:0190b1c2-0000-7000-8000-000000000001");
  lk_record_set_string (r, LK_LEAD_CODE, "XS2024001");
  lk_record_set_string (r, LK_LEAD_COMPANY, "华信科技有限公司");
  lk_record_set_string (r, LK_LEAD_INDUSTRY, "软件与信息服务");
  lk_record_set_string (r, LK_LEAD_COMPANY_SIZE, "200-999");
  lk_record_set_string (r, LK_LEAD_CONTACT, "王伟");
  lk_record_set_string (r, LK_LEAD_TITLE, "采购经理");
  lk_record_set_string (r, LK_LEAD_PHONE, "+8613800138000");
  lk_record_set_string (r, LK_LEAD_EMAIL, "wang.wei@huaxin.com.cn");
  lk_record_set_string (r, LK_LEAD_IM, "wx_wangwei");
  lk_record_set_string (r, LK_LEAD_REGION, "上海");
  lk_record_set_string (r, LK_LEAD_SOURCE, "exhibition");
  lk_record_set_string (r, LK_LEAD_CAMPAIGN, "2024 上海工博会");
  lk_record_set_string (r, LK_LEAD_NEEDS, "需要一套覆盖 200 人的 CRM 系统");
  lk_record_set_int (r, LK_LEAD_BUDGET, 60000000);
  lk_record_set_int (r, LK_LEAD_AMOUNT, 50000050);
  lk_record_set_string (r, LK_LEAD_CURRENCY, "TWD");
  lk_record_set_string (r, LK_LEAD_GRADE, "A");
  lk_record_set_int (r, LK_LEAD_SCORE, -3);
  lk_record_set_string (r, LK_LEAD_TEMPERATURE, "hot");
  lk_record_set_bool (r, LK_LEAD_BANT_BUDGET, TRUE);
  lk_record_set_bool (r, LK_LEAD_BANT_AUTHORITY, TRUE);
  lk_record_set_bool (r, LK_LEAD_BANT_NEED, TRUE);
  lk_record_set_bool (r, LK_LEAD_BANT_TIMELINE, TRUE);
  lk_record_set_bool (r, LK_LEAD_MQL, TRUE);
  lk_record_set_bool (r, LK_LEAD_SQL, TRUE);
  lk_record_set_tags (r, LK_LEAD_TAGS, tags);
  lk_record_set_string (r, LK_LEAD_OWNER, "user:hanmeimei");
  lk_record_set_int (r, LK_LEAD_ASSIGNED_AT, LK_TEST_NOW_MS - 5 * LK_TEST_DAY_MS);
  lk_record_set_string (r, LK_LEAD_STAGE, "lost");
  lk_record_set_int (r, LK_LEAD_STAGE_ENTERED_AT, LK_TEST_NOW_MS - LK_TEST_DAY_MS);
  lk_record_set_string (r, LK_LEAD_LOST_REASON, "Price too high");
  lk_record_set_int (r, LK_LEAD_NEXT_FOLLOWUP_AT, LK_TEST_NOW_MS + LK_TEST_DAY_MS);
  lk_record_set_int (r, LK_LEAD_FIRST_CONTACTED_AT, LK_TEST_NOW_MS - 4 * LK_TEST_DAY_MS);
  lk_record_set_int (r, LK_LEAD_LAST_CONTACTED_AT, LK_TEST_NOW_MS - 2 * LK_TEST_DAY_MS);
  lk_record_set_bool (r, LK_LEAD_CONSENT, TRUE);
  lk_record_set_bool (r, LK_LEAD_DO_NOT_CONTACT, TRUE);
  lk_record_set_string (r, LK_LEAD_NOTES, "Line one\nLine \"two\" \\ 三");
  lk_record_set_int (r, LK_LEAD_CREATED_AT, LK_TEST_NOW_MS - 10 * LK_TEST_DAY_MS);
  lk_record_set_string (r, LK_LEAD_CREATED_BY, "user:lilei");
  lk_record_set_int (r, LK_LEAD_UPDATED_AT, LK_TEST_NOW_MS);
  lk_record_set_string (r, LK_LEAD_UPDATED_BY, "user:hanmeimei");
  return lead;
}

static void
test_lead_round_trip (void)
{
  g_autoptr(LkLead) lead = make_full_lead ();
  g_autoptr(JsonObject) doc = lk_doc_from_record (LK_RECORD (lead));
  g_autofree char *text = lk_record_to_json_string (LK_RECORD (lead), TRUE);
  g_autoptr(LkRecord) back = NULL;
  g_autofree char *text2 = NULL;
  guint n_fields;

  /* Every field is set: the test would miss one that is not */
  lk_record_class_get_fields (LK_RECORD_GET_CLASS (lead), &n_fields);
  g_assert_cmpuint (n_fields, ==, LK_LEAD_N_FIELDS);
  {
    g_autoptr(LkLead) blank = lk_lead_new ();

    for (guint i = 0; i < n_fields; i++)
      g_assert_false (lk_record_field_equal (LK_RECORD (lead), LK_RECORD (blank), i));
  }

  /* The document as SYNC.md describes it */
  assert_member_json (doc, "_id", "\"lead:0190b1c2-0000-7000-8000-000000000001\"");
  assert_member_json (doc, "type", "\"lead\"");
  assert_member_json (doc, "schema", "1");
  assert_member_json (doc, "amount", "50000050");
  assert_member_json (doc, "budget", "60000000");
  assert_member_json (doc, "score", "-3");
  assert_member_json (doc, "bant", "{\"budget\":true,\"authority\":true,\"need\":true,\"timeline\":true}");
  assert_member_json (doc, "sql", "true");
  assert_member_json (doc, "tags", "[\"VIP\",\"急需\"]");
  assert_member_json (doc, "owner", "\"user:hanmeimei\"");
  assert_member_json (doc, "next_followup_at", "1715853600000");
  assert_member_json (doc, "notes", "\"Line one\\nLine \\\"two\\\" \\\\ 三\"");
  g_assert_false (json_object_has_member (doc, "sql_qualified"));
  g_assert_false (json_object_has_member (doc, "bant.budget"));
  g_assert_false (json_object_has_member (doc, "_deleted"));
  g_assert_false (json_object_has_member (doc, "_rev"));

  /* … and back, field for field */
  back = record_from (text);
  g_assert_true (LK_IS_LEAD (back));
  g_assert_true (lk_record_equal (back, LK_RECORD (lead)));
  g_assert_null (lk_record_get_extra (back));
  text2 = lk_record_to_json_string (back, TRUE);
  g_assert_cmpstr (text, ==, text2);
}

static void
test_lead_through_store (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) lead = make_full_lead ();
  g_autoptr(GPtrArray) records = g_ptr_array_new ();
  g_autoptr(LkLead) read = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = lk_record_to_json_string (LK_RECORD (lead), FALSE);
  g_autofree char *text2 = NULL;

  g_ptr_array_add (records, lead);
  g_assert_true (lk_store_put_records (db->store, records, &error));
  g_assert_no_error (error);
  read = lk_store_get_lead (db->store, lk_record_get_id (LK_RECORD (lead)), &error);
  g_assert_no_error (error);
  g_assert_true (lk_record_equal (LK_RECORD (read), LK_RECORD (lead)));
  text2 = lk_record_to_json_string (LK_RECORD (read), FALSE);
  g_assert_cmpstr (text, ==, text2);
}

static const char unknown_doc[] =
  "{\"_id\":\"lead:from-the-website\",\"_rev\":\"3-abc\",\"type\":\"lead\",\"schema\":1,"
  "\"company\":\"华信科技有限公司\",\"amount\":120000,"
  "\"website_form\":{\"page\":\"/pricing\",\"utm\":[\"cpc\",\"baidu\"]},"
  "\"crm_score_v2\":87.5,\"linkedin\":null,"
  "\"bant\":{\"budget\":true,\"champion\":\"Li Na\",\"competition\":{\"name\":\"X\"}},"
  "\"tags\":[\"VIP\"]}";

static void
assert_unknown_kept (JsonObject *doc)
{
  JsonObject *bant;

  assert_member_json (doc, "website_form", "{\"page\":\"/pricing\",\"utm\":[\"cpc\",\"baidu\"]}");
  assert_member_json (doc, "crm_score_v2", "87.5");
  assert_member_json (doc, "linkedin", "null");
  bant = json_object_get_object_member (doc, "bant");
  g_assert_nonnull (bant);
  assert_member_json (bant, "champion", "\"Li Na\"");
  assert_member_json (bant, "competition", "{\"name\":\"X\"}");
  assert_member_json (bant, "budget", "true");
  assert_member_json (bant, "need", "false");
  g_assert_cmpuint (json_object_get_size (bant), ==, 6);
}

static void
test_unknown_fields (void)
{
  g_autoptr(LkRecord) record = record_from (unknown_doc);
  g_autoptr(JsonObject) doc = NULL;
  JsonObject *extra;

  g_assert_true (LK_IS_LEAD (record));
  g_assert_cmpstr (lk_lead_get_company (LK_LEAD (record)), ==, "华信科技有限公司");
  g_assert_true (lk_record_get_bool (record, LK_LEAD_BANT_BUDGET));
  extra = lk_record_get_extra (record);
  g_assert_nonnull (extra);
  g_assert_true (json_object_has_member (extra, "website_form"));
  g_assert_false (json_object_has_member (extra, "company"));
  g_assert_false (json_object_has_member (extra, "_rev"));

  doc = lk_doc_from_record (record);
  assert_unknown_kept (doc);
  assert_member_json (doc, "company", "\"华信科技有限公司\"");
  /* The revision is the sync layer's business */
  g_assert_false (json_object_has_member (doc, "_rev"));
}

static void
test_unknown_fields_through_store (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(LkLead) read = NULL;
  g_autoptr(LkLead) edited = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonObject) doc2 = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (records, record_from (unknown_doc));
  g_assert_true (lk_store_put_records (db->store, records, &error));
  g_assert_no_error (error);

  /* parse → store → read → serialise */
  read = lk_store_get_lead (db->store, "lead:from-the-website", &error);
  g_assert_no_error (error);
  doc = lk_doc_from_record (LK_RECORD (read));
  assert_unknown_kept (doc);

  /* A local edit of known fields keeps them too, also inside "bant" */
  edited = lk_lead_copy (read);
  lk_record_set_string (LK_RECORD (edited), LK_LEAD_COMPANY, "瑞丰科技有限公司");
  lk_record_set_bool (LK_RECORD (edited), LK_LEAD_BANT_NEED, TRUE);
  g_assert_true (lk_store_update_lead (db->store, edited, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&read);
  read = lk_store_get_lead (db->store, "lead:from-the-website", &error);
  g_assert_no_error (error);
  doc2 = lk_doc_from_record (LK_RECORD (read));
  assert_member_json (doc2, "company", "\"瑞丰科技有限公司\"");
  assert_member_json (doc2, "website_form", "{\"page\":\"/pricing\",\"utm\":[\"cpc\",\"baidu\"]}");
  assert_member_json (json_object_get_object_member (doc2, "bant"), "champion", "\"Li Na\"");
  assert_member_json (json_object_get_object_member (doc2, "bant"), "need", "true");
}

static void
test_defaults (void)
{
  g_autoptr(LkRecord) record = record_from ("{\"_id\":\"lead:minimal\",\"type\":\"lead\"}");
  g_autoptr(LkLead) fresh = lk_lead_new ();
  LkLead *lead;

  g_assert_true (LK_IS_LEAD (record));
  lead = LK_LEAD (record);
  g_assert_cmpstr (lk_record_get_id (record), ==, "lead:minimal");
  g_assert_false (lk_record_get_deleted (record));
  g_assert_cmpstr (lk_lead_get_company (lead), ==, "");
  /* No currency: the store gives a new lead the team's */
  g_assert_cmpstr (lk_record_get_string (record, LK_LEAD_CURRENCY), ==, "");
  g_assert_cmpstr (lk_lead_get_stage (lead), ==, "new");
  g_assert_null (lk_lead_get_owner (lead));
  g_assert_cmpint (lk_lead_get_amount (lead), ==, 0);
  g_assert_cmpint (lk_record_get_int (record, LK_LEAD_NEXT_FOLLOWUP_AT), ==, 0);
  g_assert_false (lk_record_get_bool (record, LK_LEAD_BANT_NEED));
  g_assert_null (lk_record_get_tags (record, LK_LEAD_TAGS)[0]);
  g_assert_null (lk_record_get_extra (record));
  /* The same as a lead made here */
  lk_record_set_id (LK_RECORD (fresh), "lead:minimal");
  g_assert_true (lk_record_equal (record, LK_RECORD (fresh)));
}

static void
test_nulls (void)
{
  g_autoptr(LkRecord) record = record_from ("{\"_id\":\"lead:n\",\"type\":\"lead\",\"company\":\"Acme\","
                                            "\"owner\":null,\"assigned_at\":null,\"next_followup_at\":null,"
                                            "\"first_contacted_at\":null,\"notes\":null,\"tags\":null,"
                                            "\"bant\":null,\"mql\":null}");
  g_autoptr(LkRecord) owned = record_from ("{\"_id\":\"lead:o\",\"type\":\"lead\",\"owner\":\"user:anna\","
                                           "\"assigned_at\":1715767200000,\"next_followup_at\":1.7158536e12}");
  g_autoptr(JsonObject) doc = NULL;

  g_assert_null (lk_lead_get_owner (LK_LEAD (record)));
  g_assert_cmpint (lk_record_get_int (record, LK_LEAD_ASSIGNED_AT), ==, 0);
  g_assert_cmpint (lk_record_get_int (record, LK_LEAD_NEXT_FOLLOWUP_AT), ==, 0);
  g_assert_cmpstr (lk_record_get_string (record, LK_LEAD_NOTES), ==, "");
  doc = lk_doc_from_record (record);
  assert_member_json (doc, "owner", "null");
  assert_member_json (doc, "assigned_at", "null");
  assert_member_json (doc, "next_followup_at", "null");
  assert_member_json (doc, "tags", "[]");

  g_assert_cmpstr (lk_lead_get_owner (LK_LEAD (owned)), ==, "user:anna");
  g_assert_cmpint (lk_record_get_int (owned, LK_LEAD_ASSIGNED_AT), ==, LK_TEST_NOW_MS);
  /* A whole number written as a JavaScript double */
  g_assert_cmpint (lk_record_get_int (owned, LK_LEAD_NEXT_FOLLOWUP_AT), ==, G_GINT64_CONSTANT (1715853600000));
}

static void
test_rejected (void)
{
  static const struct
  {
    const char *json;
    const char *named;
  } cases[] = {
    { "{\"type\":\"lead\",\"company\":\"Acme\"}", "_id" },
    { "{\"_id\":\"\",\"type\":\"lead\"}", "_id" },
    { "{\"_id\":42,\"type\":\"lead\"}", "_id" },
    { "{\"_id\":\"lead:1\",\"company\":\"Acme\"}", "type" },
    { "{\"_id\":\"lead:1\",\"type\":\"invoice\"}", "invoice" },
    { "{\"_id\":\"lead:1\",\"type\":\"lead\",\"amount\":\"1200\"}", "amount" },
    { "{\"_id\":\"lead:1\",\"type\":\"lead\",\"amount\":12.5}", "amount" },
    { "{\"_id\":\"lead:1\",\"type\":\"lead\",\"amount\":-100}", "amount" },
    { "{\"_id\":\"lead:1\",\"type\":\"lead\",\"budget\":true}", "budget" },
    { "{\"_id\":\"lead:1\",\"type\":\"lead\",\"score\":\"high\"}", "score" },
    { "{\"_id\":\"lead:1\",\"type\":\"lead\",\"company\":42}", "company" },
    { "{\"_id\":\"lead:1\",\"type\":\"lead\",\"company\":{\"name\":\"Acme\"}}", "company" },
    { "{\"_id\":\"lead:1\",\"type\":\"lead\",\"contact\":[\"Li\"]}", "contact" },
    { "{\"_id\":\"lead:1\",\"type\":\"lead\",\"owner\":7}", "owner" },
    { "{\"_id\":\"lead:1\",\"type\":\"lead\",\"mql\":\"yes\"}", "mql" },
    { "{\"_id\":\"lead:1\",\"type\":\"lead\",\"consent\":1}", "consent" },
    { "{\"_id\":\"lead:1\",\"type\":\"lead\",\"tags\":\"VIP\"}", "tags" },
    { "{\"_id\":\"lead:1\",\"type\":\"lead\",\"tags\":[\"VIP\",3]}", "tags" },
    { "{\"_id\":\"lead:1\",\"type\":\"lead\",\"bant\":\"yes\"}", "bant" },
    { "{\"_id\":\"lead:1\",\"type\":\"lead\",\"bant\":{\"budget\":\"yes\"}}", "bant.budget" },
    { "{\"_id\":\"lead:1\",\"type\":\"lead\",\"next_followup_at\":\"2024-05-01\"}", "next_followup_at" },
    { "{\"_id\":\"lead:1\",\"type\":\"lead\",\"created_at\":-1}", "created_at" },
    { "{\"_id\":\"activity:1\",\"type\":\"activity\",\"at\":\"yesterday\"}", "at" },
    { "{\"_id\":\"stagechange:1\",\"type\":\"stagechange\",\"reopen\":\"no\"}", "reopen" },
    { "{\"_id\":\"user:x\",\"type\":\"user\",\"capacity\":\"10\"}", "capacity" },
    { "{\"_id\":\"user:x\",\"type\":\"user\",\"regions\":{}}", "regions" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LkRecord) record = NULL;
      g_autofree char *quoted = g_strdup_printf ("“%s”", cases[i].named);

      g_test_message ("%s", cases[i].json);
      record = lk_record_from_json_string (cases[i].json, &error);
      g_assert_null (record);
      g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
      g_test_message ("→ %s", error->message);
      g_assert_nonnull (strstr (error->message, quoted));
    }
}

static void
test_not_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(LkRecord) record = NULL;

  doc = lk_doc_parse ("[1, 2]", -1, &error);
  g_assert_null (doc);
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_clear_error (&error);
  doc = lk_doc_parse ("{\"_id\": ", -1, &error);
  g_assert_null (doc);
  g_assert_nonnull (error);
  g_clear_error (&error);
  record = lk_record_from_json_string ("\"lead\"", &error);
  g_assert_null (record);
  g_assert_nonnull (error);
}

static void
test_tombstone (void)
{
  g_autoptr(LkRecord) lead = record_from ("{\"_id\":\"lead:x\",\"_rev\":\"1-a\",\"_deleted\":true}");
  g_autoptr(LkRecord) activity = record_from ("{\"_id\":\"activity:y\",\"_rev\":\"2-b\",\"_deleted\":true}");
  g_autoptr(LkRecord) typed = record_from ("{\"_id\":\"lead:z\",\"type\":\"lead\",\"_deleted\":true,\"company\":\"Z\"}");
  g_autoptr(LkRecord) record = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (LK_IS_LEAD (lead));
  g_assert_cmpstr (lk_record_get_id (lead), ==, "lead:x");
  g_assert_true (lk_record_get_deleted (lead));
  g_assert_true (LK_IS_ACTIVITY (activity));
  g_assert_true (lk_record_get_deleted (activity));
  g_assert_true (lk_record_get_deleted (typed));
  g_assert_cmpstr (lk_lead_get_company (LK_LEAD (typed)), ==, "Z");

  doc = lk_doc_from_record (lead);
  assert_member_json (doc, "_deleted", "true");
  assert_member_json (doc, "_id", "\"lead:x\"");

  /* A tombstone of something we do not know */
  record = lk_record_from_json_string ("{\"_id\":\"invoice:1\",\"_rev\":\"1-a\",\"_deleted\":true}", &error);
  g_assert_null (record);
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
}

static void
test_type_for_id (void)
{
  g_assert_true (lk_doc_type_for_id ("lead:1") == LK_TYPE_LEAD);
  g_assert_true (lk_doc_type_for_id ("activity:1") == LK_TYPE_ACTIVITY);
  g_assert_true (lk_doc_type_for_id ("stagechange:1") == LK_TYPE_STAGE_CHANGE);
  g_assert_true (lk_doc_type_for_id ("user:anna") == LK_TYPE_USER);
  g_assert_true (lk_doc_type_for_id ("settings:pipeline") == G_TYPE_INVALID);
  g_assert_true (lk_doc_type_for_id ("_design/leadkeeper") == G_TYPE_INVALID);
  g_assert_true (lk_doc_type_for_id ("lead") == G_TYPE_INVALID);
  g_assert_true (lk_doc_type_for_id (NULL) == G_TYPE_INVALID);
}

static void
test_activity_round_trip (void)
{
  g_autoptr(LkActivity) activity = lk_activity_new ("lead:1", "followup");
  LkRecord *r = LK_RECORD (activity);
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(LkRecord) back = NULL;
  g_autofree char *text = NULL;

  lk_record_set_id (r, "activity:a1");
  lk_record_set_int (r, LK_ACTIVITY_AT, LK_TEST_NOW_MS);
  lk_record_set_string (r, LK_ACTIVITY_BY, "user:anna");
  lk_record_set_string (r, LK_ACTIVITY_METHOD, "wechat");
  lk_record_set_string (r, LK_ACTIVITY_SUMMARY, "微信发送了产品资料");
  lk_record_set_string (r, LK_ACTIVITY_FEEDBACK, "Interested");
  lk_record_set_string (r, LK_ACTIVITY_NEXT_STEP, "安排产品演示");
  lk_record_set_int (r, LK_ACTIVITY_NEXT_DUE_AT, LK_TEST_NOW_MS + LK_TEST_DAY_MS);
  lk_record_set_string (r, LK_ACTIVITY_GRADE_FROM, "B");
  lk_record_set_string (r, LK_ACTIVITY_GRADE_TO, "A");
  lk_record_set_string (r, LK_ACTIVITY_EVENT_TYPE, "call");

  doc = lk_doc_from_record (r);
  assert_member_json (doc, "type", "\"activity\"");
  assert_member_json (doc, "lead", "\"lead:1\"");
  assert_member_json (doc, "by", "\"user:anna\"");
  assert_member_json (doc, "at", "1715767200000");
  text = lk_doc_to_string (doc, FALSE);
  back = record_from (text);
  g_assert_true (LK_IS_ACTIVITY (back));
  g_assert_true (lk_record_equal (back, r));
}

static void
test_stage_change_round_trip (void)
{
  g_autoptr(LkStageChange) change = lk_stage_change_new ("lead:1", "lost", "qualified");
  LkRecord *r = LK_RECORD (change);
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(LkRecord) back = NULL;
  g_autoptr(LkStageChange) creation = lk_stage_change_new ("lead:1", NULL, "new");
  g_autoptr(JsonObject) creation_doc = NULL;
  g_autofree char *text = NULL;

  lk_record_set_id (r, "stagechange:s1");
  lk_record_set_int (r, LK_STAGE_CHANGE_AT, LK_TEST_NOW_MS);
  lk_record_set_string (r, LK_STAGE_CHANGE_BY, "user:lilei");
  lk_record_set_string (r, LK_STAGE_CHANGE_REASON, "预算已批");
  lk_record_set_bool (r, LK_STAGE_CHANGE_REOPEN, TRUE);

  doc = lk_doc_from_record (r);
  assert_member_json (doc, "type", "\"stagechange\"");
  assert_member_json (doc, "from", "\"lost\"");
  assert_member_json (doc, "to", "\"qualified\"");
  assert_member_json (doc, "reopen", "true");
  text = lk_doc_to_string (doc, TRUE);
  back = record_from (text);
  g_assert_true (LK_IS_STAGE_CHANGE (back));
  g_assert_true (lk_record_equal (back, r));

  /* A creation comes from "" */
  lk_record_set_id (LK_RECORD (creation), "stagechange:s0");
  creation_doc = lk_doc_from_record (LK_RECORD (creation));
  assert_member_json (creation_doc, "from", "\"\"");
}

static void
test_user_round_trip (void)
{
  g_autoptr(LkUser) user = lk_user_new ("chenyating", "陳雅婷", "rep");
  LkRecord *r = LK_RECORD (user);
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(LkRecord) back = NULL;
  g_autofree char *text = NULL;
  g_autofree char *initials = NULL;

  lk_record_set_string (r, LK_USER_EMAIL, "chenyating@leadkeeper.example");
  lk_record_set_tags (r, LK_USER_REGIONS, (const char *[]) { "台灣", "华南", NULL });
  lk_record_set_tags (r, LK_USER_INDUSTRIES, (const char *[]) { "电子元器件", NULL });
  lk_record_set_bool (r, LK_USER_SENIOR, TRUE);
  lk_record_set_int (r, LK_USER_CAPACITY, 250);

  doc = lk_doc_from_record (r);
  assert_member_json (doc, "_id", "\"user:chenyating\"");
  assert_member_json (doc, "type", "\"user\"");
  assert_member_json (doc, "display_name", "\"陳雅婷\"");
  assert_member_json (doc, "regions", "[\"台灣\",\"华南\"]");
  assert_member_json (doc, "capacity", "250");
  text = lk_doc_to_string (doc, FALSE);
  back = record_from (text);
  g_assert_true (LK_IS_USER (back));
  g_assert_true (lk_record_equal (back, r));
  initials = lk_user_get_initials (LK_USER (back));
  g_assert_cmpstr (initials, ==, "雅婷");
}

static void
test_parse_then_store_refuses_invalid (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  /* Well-typed, but not a valid lead: the store refuses it, the local copy
   * stays as it was. */
  g_ptr_array_add (records, record_from ("{\"_id\":\"lead:ok\",\"type\":\"lead\",\"company\":\"OK\"}"));
  g_ptr_array_add (records, record_from ("{\"_id\":\"lead:bad\",\"type\":\"lead\",\"company\":\"Bad\","
                                         "\"temperature\":\"lukewarm\"}"));
  g_assert_false (lk_store_put_records (db->store, records, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "lukewarm"));
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, 0);
}

/* Tags as people type them; 会 (E4 BC 9A) shares a byte with ， (EF BC 8C)
 * and must come through whole. */
static void
test_split_tags (void)
{
  static const char * const expected[] = { "展会", "VIP", "急需", "华东", "key account", "" , NULL };
  g_auto(GStrv) tags = lk_record_split_tags ("展会，VIP;急需、华东；key account,");

  g_assert_cmpstrv (tags, expected);
}

/* Documents are read member by member through the class's table of keys:
 * nested keys this version does not know stay, with what they hold, and a
 * known key written in an unexpected place is neither read nor kept. */
static void
test_unknown_nested_keys (void)
{
  g_autoptr(LkRecord) record = record_from (
    "{\"_id\":\"lead:nested\",\"_rev\":\"2-x\",\"_attachments\":{\"a\":{}},\"type\":\"lead\",\"schema\":2,"
    "\"bant\":{\"budget\":false,\"need\":null,\"champion\":\"Li\",\"detail\":{\"a\":[1,2]},\"note\":null},"
    "\"bant.budget\":true,\"bant.need\":{\"x\":1},"
    "\"website\":{\"utm\":\"cpc\",\"company\":\"not ours\"},\"company\":\"Acme\"}");
  g_autoptr(LkRecord) plain = record_from ("{\"_id\":\"lead:plain\",\"type\":\"lead\",\"company\":\"Acme\","
                                           "\"bant\":{\"budget\":true}}");
  g_autoptr(JsonObject) doc = NULL;
  JsonObject *extra;
  JsonObject *bant;

  g_assert_cmpstr (lk_lead_get_company (LK_LEAD (record)), ==, "Acme");
  /* "bant.budget" at the top level is not the nested key */
  g_assert_false (lk_record_get_bool (record, LK_LEAD_BANT_BUDGET));
  g_assert_false (lk_record_get_bool (record, LK_LEAD_BANT_NEED));

  extra = lk_record_get_extra (record);
  g_assert_nonnull (extra);
  g_assert_cmpuint (json_object_get_size (extra), ==, 3);
  assert_member_json (extra, "bant", "{\"champion\":\"Li\",\"detail\":{\"a\":[1,2]},\"note\":null}");
  /* A flat name holding an object keeps what it holds, as before */
  assert_member_json (extra, "bant.need", "{\"x\":1}");
  /* An unknown object is kept whole, a known key inside it included */
  assert_member_json (extra, "website", "{\"utm\":\"cpc\",\"company\":\"not ours\"}");

  doc = lk_doc_from_record (record);
  g_assert_false (json_object_has_member (doc, "_rev"));
  g_assert_false (json_object_has_member (doc, "_attachments"));
  g_assert_false (json_object_has_member (doc, "bant.budget"));
  assert_member_json (doc, "schema", "1");
  assert_member_json (doc, "website", "{\"utm\":\"cpc\",\"company\":\"not ours\"}");
  bant = json_object_get_object_member (doc, "bant");
  g_assert_cmpuint (json_object_get_size (bant), ==, 7);
  assert_member_json (bant, "budget", "false");
  assert_member_json (bant, "need", "false");
  assert_member_json (bant, "champion", "\"Li\"");
  assert_member_json (bant, "note", "null");

  /* Nothing unknown: no extra at all */
  g_assert_null (lk_record_get_extra (plain));
  g_assert_true (lk_record_get_bool (plain, LK_LEAD_BANT_BUDGET));
}

static void
assert_refused (const char *json,
                const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkRecord) record = lk_record_from_json_string (json, &error);

  g_test_message ("%s → %s", json, error ? error->message : "(read)");
  g_assert_null (record);
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, message);
}

/* A known parent holding something else than an object is refused; null
 * stands for "all defaults". With several wrong fields, the first in the
 * class's order is named, whatever order the document has. */
static void
test_parent_not_object (void)
{
  g_autoptr(LkRecord) nulled = record_from ("{\"_id\":\"lead:1\",\"type\":\"lead\",\"bant\":null}");

  assert_refused ("{\"_id\":\"lead:1\",\"type\":\"lead\",\"bant\":5}",
                  "Document “lead:1”: The field “bant” must be an object");
  assert_refused ("{\"_id\":\"lead:1\",\"type\":\"lead\",\"bant\":[true]}",
                  "Document “lead:1”: The field “bant” must be an object");
  assert_refused ("{\"_id\":\"lead:1\",\"type\":\"lead\",\"bant\":\"yes\",\"company\":42}",
                  "Document “lead:1”: The field “company” must be a string");
  assert_refused ("{\"_id\":\"lead:1\",\"type\":\"lead\",\"tags\":\"VIP\",\"bant\":\"yes\"}",
                  "Document “lead:1”: The field “bant” must be an object");
  assert_refused ("{\"_id\":\"lead:1\",\"type\":\"lead\",\"tags\":\"VIP\",\"bant\":{\"need\":1,\"budget\":\"x\"}}",
                  "Document “lead:1”: The field “bant.budget” must be true or false");
  assert_refused ("{\"_id\":\"lead:1\",\"type\":\"lead\",\"amount\":-1,\"budget\":-2}",
                  "Document “lead:1”: The field “budget” must not be negative");

  g_assert_false (lk_record_get_bool (nulled, LK_LEAD_BANT_BUDGET));
  g_assert_null (lk_record_get_extra (nulled));
}

/* What another program wrote survives being read and written back, again
 * and again, and the written document is the caller's: changing it leaves
 * the record alone, also after the parsed document is gone. */
static void
test_extra_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) parsed = lk_doc_parse (unknown_doc, -1, &error);
  g_autoptr(LkRecord) record = NULL;
  g_autoptr(LkRecord) again = NULL;
  g_autoptr(JsonObject) doc = NULL;
  g_autoptr(JsonObject) doc2 = NULL;
  g_autoptr(JsonObject) doc3 = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  g_autofree char *text3 = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) node2 = NULL;

  g_assert_no_error (error);
  record = lk_doc_to_record (parsed, &error);
  g_assert_no_error (error);
  g_clear_pointer (&parsed, json_object_unref);

  doc = lk_doc_from_record (record);
  text = lk_doc_to_string (doc, FALSE);
  again = lk_record_from_json_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (lk_record_equal (record, again));
  doc2 = lk_doc_from_record (again);
  text2 = lk_doc_to_string (doc2, FALSE);
  /* The same members; unknown ones come in the order of json-glib's hash. */
  node = json_from_string (text, NULL);
  node2 = json_from_string (text2, NULL);
  g_assert_true (json_node_equal (node, node2));
  assert_unknown_kept (doc2);

  /* The caller changes its document: the record's extra is untouched. */
  json_object_set_string_member (doc, "website_form", "changed");
  json_object_remove_member (doc, "crm_score_v2");
  json_object_set_string_member (json_object_get_object_member (doc, "bant"), "champion", "changed");
  doc3 = lk_doc_from_record (record);
  text3 = lk_doc_to_string (doc3, FALSE);
  g_assert_cmpstr (text3, ==, text);
  assert_unknown_kept (doc3);
}

/* Tags are trimmed, empty ones dropped and duplicates removed, in their
 * order; short and long lists alike. */
static void
test_tags_normalized (void)
{
  static const char * const few[] = { "VIP", "急需", NULL };
  g_autoptr(LkRecord) record = record_from ("{\"_id\":\"lead:t\",\"type\":\"lead\","
                                            "\"tags\":[\" VIP \",\"VIP\",\"\",\"急需\",\"VIP \",\"  \"]}");
  g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) normalized = NULL;

  g_assert_cmpstrv (lk_record_get_tags (record, LK_LEAD_TAGS), few);

  for (guint i = 0; i < 40; i++)
    {
      g_ptr_array_add (many, g_strdup_printf (i % 2 ? " tag%u" : "tag%u", i % 25));
      if (i < 25)
        g_ptr_array_add (expected, g_strdup_printf ("tag%u", i));
    }
  g_ptr_array_add (many, NULL);
  g_ptr_array_add (expected, NULL);
  normalized = lk_tags_normalize ((const char * const *) many->pdata);
  g_assert_cmpstrv (normalized, (const char * const *) expected->pdata);
  g_clear_pointer (&normalized, g_strfreev);
  normalized = lk_tags_normalize (NULL);
  g_assert_null (normalized[0]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/record/split-tags", test_split_tags);
  g_test_add_func ("/doc/lead/round-trip", test_lead_round_trip);
  g_test_add_func ("/doc/lead/through-store", test_lead_through_store);
  g_test_add_func ("/doc/lead/unknown-fields", test_unknown_fields);
  g_test_add_func ("/doc/lead/unknown-fields-through-store", test_unknown_fields_through_store);
  g_test_add_func ("/doc/lead/defaults", test_defaults);
  g_test_add_func ("/doc/lead/nulls", test_nulls);
  g_test_add_func ("/doc/rejected", test_rejected);
  g_test_add_func ("/doc/not-json", test_not_json);
  g_test_add_func ("/doc/tombstone", test_tombstone);
  g_test_add_func ("/doc/type-for-id", test_type_for_id);
  g_test_add_func ("/doc/activity/round-trip", test_activity_round_trip);
  g_test_add_func ("/doc/stage-change/round-trip", test_stage_change_round_trip);
  g_test_add_func ("/doc/user/round-trip", test_user_round_trip);
  g_test_add_func ("/doc/lead/store-refuses-invalid", test_parse_then_store_refuses_invalid);
  g_test_add_func ("/doc/lead/unknown-nested-keys", test_unknown_nested_keys);
  g_test_add_func ("/doc/lead/parent-not-object", test_parent_not_object);
  g_test_add_func ("/doc/lead/extra-round-trip", test_extra_round_trip);
  g_test_add_func ("/doc/lead/tags-normalized", test_tags_normalized);

  return g_test_run ();
}
