/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store-sync"

#include <string.h>

#include "lk-doc.h"
#include "lk-merge.h"
#include "lk-store-sync.h"
#include "lk-test-util.h"

/* The store's side of sync without a server: the outbox a push takes and
 * marks, the pages a pull applies (with the real three-way merge), the
 * conflicts the user resolves, and the reset after a recreated server. */

#define REMOTE "http://127.0.0.1:5984/leads"

static gint64
sql_int (LkTestDb   *db,
         const char *sql,
         const char *id)
{
  return lk_test_sql_int (lk_test_db_peek (db), sql, id, NULL);
}

static JsonObject *
obj (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  return json_node_dup_object (node);
}

/* The local document @id as the server would have it at @rev, with the
 * members of @changes (a JSON object text) replaced. */
static JsonObject *
server_doc (LkStore    *store,
            const char *id,
            const char *rev,
            const char *changes)
{
  g_autoptr(GError) error = NULL;
  JsonObject *doc = lk_store_get_local_doc (store, id, &error);
  g_autoptr(JsonObject) edit = changes ? obj (changes) : NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  g_assert_no_error (error);
  g_assert_nonnull (doc);
  json_object_set_string_member (doc, "_rev", rev);
  if (edit != NULL)
    {
      json_object_iter_init (&iter, edit);
      while (json_object_iter_next (&iter, &name, &node))
        json_object_set_member (doc, name, json_node_copy (node));
    }
  return doc;
}

static LkSyncApplyReport
apply_docs (LkTestDb   *db,
            GPtrArray  *docs,
            const char *since)
{
  g_autoptr(GError) error = NULL;
  LkSyncApplyReport report = { 0 };

  g_assert_true (lk_store_apply_remote (db->store, docs, NULL, REMOTE, since, lk_merge_for_store, NULL,
                                        NULL, &report, &error));
  g_assert_no_error (error);
  return report;
}

static LkSyncApplyReport
apply_one (LkTestDb   *db,
           JsonObject *doc)
{
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  g_ptr_array_add (docs, doc);
  return apply_docs (db, docs, NULL);
}

static LkSyncApplyReport
apply_json (LkTestDb   *db,
            const char *json)
{
  return apply_one (db, obj (json));
}

static GPtrArray *
take (LkTestDb   *db,
      guint       max_docs,
      gsize       max_bytes,
      GHashTable *exclude)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *batch = lk_store_take_outbox_batch (db->store, max_docs, max_bytes, exclude, &error);

  g_assert_no_error (error);
  g_assert_nonnull (batch);
  return batch;
}

/* Everything queued is accepted by "the server" with revision @rev. */
static void
push_all (LkTestDb   *db,
          const char *rev)
{
  g_autoptr(GPtrArray) batch = take (db, 1000, G_MAXSIZE, NULL);

  for (guint i = 0; i < batch->len; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (lk_store_mark_pushed (db->store, g_ptr_array_index (batch, i), rev, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (lk_store_count_outbox (db->store, NULL), ==, 0);
}

/* A lead created here and synced at revision "1-a". */
static char *
synced_lead (LkTestDb   *db,
             const char *company)
{
  g_autoptr(LkLead) lead = lk_test_create_lead (db->store, "company", company, "phone", "+8613800138000", NULL);

  push_all (db, "1-a");
  return g_strdup (lk_record_get_id (LK_RECORD (lead)));
}

static LkLead *
get_lead (LkTestDb   *db,
          const char *id)
{
  g_autoptr(GError) error = NULL;
  LkLead *lead = lk_store_get_lead (db->store, id, &error);

  g_assert_no_error (error);
  return lead;
}

static void
edit_lead (LkTestDb   *db,
           const char *id,
           guint       field,
           const char *value)
{
  g_autoptr(LkLead) lead = get_lead (db, id);
  g_autoptr(GError) error = NULL;

  lk_record_set_string (LK_RECORD (lead), field, value);
  g_assert_true (lk_store_update_lead (db->store, lead, NULL, &error));
  g_assert_no_error (error);
}

static gint64
count_search (LkTestDb   *db,
              const char *text)
{
  g_autoptr(LkLeadQuery) query = lk_lead_query_new ();
  g_autoptr(GArray) rowids = NULL;

  lk_lead_query_set_search (query, text);
  rowids = lk_store_query_rowids (db->store, query, NULL);
  return rowids->len;
}

static gboolean
is_dirty (LkTestDb   *db,
          const char *id)
{
  return sql_int (db, "SELECT dirty FROM leads WHERE id = ?", id) == 1;
}

static gboolean
is_queued (LkTestDb   *db,
           const char *id)
{
  return sql_int (db, "SELECT count(*) FROM outbox WHERE doc_id = ?", id) == 1;
}

static void
test_batch_order_and_limits (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) three = NULL;
  g_autoptr(GPtrArray) small = NULL;
  g_autoptr(GPtrArray) rest = NULL;
  g_autoptr(GHashTable) exclude = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  char *ids[4];

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *company = g_strdup_printf ("Company %u", i);
      g_autoptr(LkLead) lead = lk_test_create_lead (db->store, "company", company, NULL);

      ids[i] = g_strdup (lk_record_get_id (LK_RECORD (lead)));
      lk_clock_advance_ms (db->clock, 1000);
    }
  g_assert_true (lk_store_delete_lead (db->store, ids[3], &error));

  /* Each lead and the stage change of its creation, in queue order. */
  all = take (db, 500, G_MAXSIZE, NULL);
  g_assert_cmpuint (all->len, ==, 8);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      LkOutboxDoc *doc = g_ptr_array_index (all, 2 * i);
      LkOutboxDoc *change = g_ptr_array_index (all, 2 * i + 1);
      g_autoptr(JsonObject) body = obj (doc->body);

      g_assert_cmpstr (doc->doc_id, ==, ids[i]);
      g_assert_true (g_str_has_prefix (change->doc_id, "stagechange:"));
      g_assert_null (doc->rev);
      g_assert_false (json_object_has_member (body, "_rev"));
      g_assert_cmpstr (json_object_get_string_member (body, "type"), ==, "lead");
      g_assert_cmpint (doc->deleted, ==, i == 3);
      g_assert_cmpint (json_object_get_boolean_member_with_default (body, "_deleted", FALSE), ==, i == 3);
    }

  three = take (db, 3, G_MAXSIZE, NULL);
  g_assert_cmpuint (three->len, ==, 3);
  g_assert_cmpstr (((LkOutboxDoc *) g_ptr_array_index (three, 2))->doc_id, ==, ids[1]);

  /* At least one document, however small the limit. */
  small = take (db, 500, 1, NULL);
  g_assert_cmpuint (small->len, ==, 1);

  g_hash_table_add (exclude, ids[0]);
  g_hash_table_add (exclude, ids[2]);
  rest = take (db, 500, G_MAXSIZE, exclude);
  g_assert_cmpuint (rest->len, ==, 6);
  for (guint i = 0; i < rest->len; i++)
    {
      const char *id = ((LkOutboxDoc *) g_ptr_array_index (rest, i))->doc_id;

      g_assert_cmpstr (id, !=, ids[0]);
      g_assert_cmpstr (id, !=, ids[2]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_free (ids[i]);
}

static void
test_pushed (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autofree char *id = synced_lead (db, "Acme");
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  g_autofree char *rev = NULL;
  g_autoptr(JsonObject) base = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (is_dirty (db, id));
  g_assert_false (is_queued (db, id));
  g_assert_true (lk_store_get_sync_base (db->store, id, &rev, &base, &error));
  g_assert_cmpstr (rev, ==, "1-a");
  g_assert_cmpstr (json_object_get_string_member (base, "company"), ==, "Acme");
  none = take (db, 500, G_MAXSIZE, NULL);
  g_assert_cmpuint (none->len, ==, 0);

  /* The next edit is sent on top of the revision the server gave. */
  edit_lead (db, id, LK_LEAD_COMPANY, "Acme Two");
  batch = take (db, 500, G_MAXSIZE, NULL);
  g_assert_cmpuint (batch->len, ==, 1);
  g_assert_cmpstr (((LkOutboxDoc *) g_ptr_array_index (batch, 0))->rev, ==, "1-a");
  body = obj (((LkOutboxDoc *) g_ptr_array_index (batch, 0))->body);
  g_assert_cmpstr (json_object_get_string_member (body, "company"), ==, "Acme Two");
}

static void
test_edit_during_push (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autofree char *id = synced_lead (db, "Acme");
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *rev = NULL;
  g_autoptr(GError) error = NULL;

  edit_lead (db, id, LK_LEAD_COMPANY, "Sent");
  batch = take (db, 500, G_MAXSIZE, NULL);
  g_assert_cmpuint (batch->len, ==, 1);
  /* Edited again while the batch is on its way. */
  edit_lead (db, id, LK_LEAD_COMPANY, "Typed meanwhile");
  g_assert_true (lk_store_mark_pushed (db->store, g_ptr_array_index (batch, 0), "2-b", &error));
  g_assert_no_error (error);

  g_assert_true (is_dirty (db, id));
  g_assert_true (is_queued (db, id));
  g_assert_true (lk_store_get_sync_base (db->store, id, &rev, NULL, &error));
  g_assert_cmpstr (rev, ==, "2-b");
  again = take (db, 500, G_MAXSIZE, NULL);
  g_assert_cmpuint (again->len, ==, 1);
  g_assert_cmpstr (((LkOutboxDoc *) g_ptr_array_index (again, 0))->rev, ==, "2-b");
  body = obj (((LkOutboxDoc *) g_ptr_array_index (again, 0))->body);
  g_assert_cmpstr (json_object_get_string_member (body, "company"), ==, "Typed meanwhile");
}

static void
test_rejected (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autofree char *id = synced_lead (db, "Acme");
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(GError) error = NULL;

  edit_lead (db, id, LK_LEAD_COMPANY, "Refused");
  batch = take (db, 500, G_MAXSIZE, NULL);
  g_assert_true (lk_store_mark_rejected (db->store, g_ptr_array_index (batch, 0), "Only a manager may", &error));
  g_assert_no_error (error);

  /* Never sent again, whatever the clock says, until edited. */
  lk_clock_advance_ms (db->clock, 365 * LK_TEST_DAY_MS);
  none = take (db, 500, G_MAXSIZE, NULL);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpint (lk_store_count_rejected (db->store, NULL), ==, 1);
  reason = lk_store_get_push_error (db->store, id);
  g_assert_cmpstr (reason, ==, "Only a manager may");
  g_assert_true (is_dirty (db, id));

  edit_lead (db, id, LK_LEAD_COMPANY, "Fixed");
  again = take (db, 500, G_MAXSIZE, NULL);
  g_assert_cmpuint (again->len, ==, 1);
  g_assert_cmpint (lk_store_count_rejected (db->store, NULL), ==, 0);
}

static void
test_backoff (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) lead = lk_test_create_lead (db->store, "company", "Offline", NULL);
  g_autoptr(GPtrArray) batch = take (db, 500, G_MAXSIZE, NULL);
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) later = NULL;
  g_autoptr(GError) error = NULL;
  const char *id = lk_record_get_id (LK_RECORD (lead));

  for (guint i = 0; i < batch->len; i++)
    g_assert_true (lk_store_mark_push_failed (db->store, g_ptr_array_index (batch, i), "no network", &error));
  g_assert_no_error (error);
  none = take (db, 500, G_MAXSIZE, NULL);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpint (sql_int (db, "SELECT attempts FROM outbox WHERE doc_id = ?", id), ==, 1);
  /* The first wait is between 15 and 30 seconds. */
  g_assert_cmpint (sql_int (db, "SELECT next_try_at FROM outbox WHERE doc_id = ?", id), >=, LK_TEST_NOW_MS + 15000);
  g_assert_cmpint (sql_int (db, "SELECT next_try_at FROM outbox WHERE doc_id = ?", id), <=, LK_TEST_NOW_MS + 30000);
  lk_clock_advance_ms (db->clock, 30000);
  later = take (db, 500, G_MAXSIZE, NULL);
  g_assert_cmpuint (later->len, ==, 2);
}

static void
test_apply_new_docs (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(LkTestChanges) changes = lk_test_changes_new (db->store);
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(LkSyncRemote) remote = NULL;
  g_autoptr(GPtrArray) activities = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autofree char *setting = NULL;
  g_auto(GStrv) tags = NULL;
  LkSyncApplyReport report;

  /* A website form's lead: version 1, most fields left out. */
  g_ptr_array_add (docs, obj ("{\"_id\":\"lead:web-1\",\"_rev\":\"1-w\",\"type\":\"lead\",\"schema\":1,"
                              "\"company\":\"Zephyr Widgets\",\"email\":\"a@zephyr.example\","
                              "\"tags\":[\"web\"],\"amount\":150000,\"x_form\":{\"page\":\"/contact\"}}"));
  g_ptr_array_add (docs, obj ("{\"_id\":\"activity:a1\",\"_rev\":\"1-x\",\"type\":\"activity\","
                              "\"lead\":\"lead:web-1\",\"kind\":\"call\",\"at\":1715767200000,"
                              "\"summary\":\"First call\"}"));
  g_ptr_array_add (docs, obj ("{\"_id\":\"stagechange:s1\",\"_rev\":\"1-y\",\"type\":\"stagechange\","
                              "\"lead\":\"lead:web-1\",\"to\":\"new\",\"at\":1715767200000}"));
  g_ptr_array_add (docs, obj ("{\"_id\":\"user:lilei\",\"_rev\":\"1-z\",\"type\":\"user\",\"name\":\"lilei\","
                              "\"display_name\":\"Li Lei\",\"role\":\"rep\"}"));
  g_ptr_array_add (docs, obj ("{\"_id\":\"settings:scoring\",\"_rev\":\"1-s\",\"type\":\"settings\","
                              "\"weights\":[1,2,3]}"));
  g_ptr_array_add (docs, obj ("{\"_id\":\"_design/leadkeeper\",\"_rev\":\"1-d\",\"language\":\"javascript\"}"));
  /* Three the store must refuse, and say why. */
  g_ptr_array_add (docs, obj ("{\"_id\":\"lead:no-type\",\"_rev\":\"1-n\",\"company\":\"X\"}"));
  g_ptr_array_add (docs, obj ("{\"_id\":\"lead:bad-amount\",\"_rev\":\"1-b\",\"type\":\"lead\",\"amount\":\"lots\"}"));
  g_ptr_array_add (docs, obj ("{\"_rev\":\"1-i\",\"type\":\"lead\",\"company\":\"No id\"}"));
  g_ptr_array_add (docs, obj ("{\"_id\":\"lead:obj-type\",\"_rev\":\"1-o\",\"type\":{\"lead\":1}}"));

  g_test_expect_message ("lk-store", G_LOG_LEVEL_MESSAGE, "*lead:no-type*type*");
  g_test_expect_message ("lk-store", G_LOG_LEVEL_MESSAGE, "*lead:bad-amount*amount*");
  g_test_expect_message ("lk-store", G_LOG_LEVEL_MESSAGE, "*_id*");
  g_test_expect_message ("lk-store", G_LOG_LEVEL_MESSAGE, "*lead:obj-type*type*");
  report = apply_docs (db, docs, "42");
  g_test_assert_expected_messages ();

  g_assert_cmpuint (report.applied, ==, 5);
  g_assert_cmpuint (report.skipped, ==, 4);
  g_assert_cmpuint (report.conflicts, ==, 0);

  lead = get_lead (db, "lead:web-1");
  g_assert_cmpstr (lk_lead_get_company (lead), ==, "Zephyr Widgets");
  g_assert_cmpint (lk_lead_get_amount (lead), ==, 150000);
  g_assert_cmpstr (lk_lead_get_stage (lead), ==, "new");
  /* No currency: kept as it came (the team's is given at the next local edit) */
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_CURRENCY), ==, "");
  g_assert_nonnull (lk_record_get_extra (LK_RECORD (lead)));
  g_assert_true (json_object_has_member (lk_record_get_extra (LK_RECORD (lead)), "x_form"));
  g_assert_false (is_dirty (db, "lead:web-1"));
  g_assert_cmpint (lk_store_count_outbox (db->store, NULL), ==, 0);
  /* Indexed like a local write, without a stage change of our own. */
  g_assert_cmpint (count_search (db, "Zephyr"), ==, 1);
  g_assert_cmpint (count_search (db, "zephyr.example"), ==, 1);
  tags = lk_store_list_tags (db->store, 0, NULL);
  g_assert_true (g_strv_contains ((const char * const *) tags, "web"));
  history = lk_store_list_stage_changes (db->store, "lead:web-1", NULL);
  g_assert_cmpuint (history->len, ==, 1);
  g_assert_cmpstr (lk_record_get_id (g_ptr_array_index (history, 0)), ==, "stagechange:s1");
  activities = lk_store_list_activities (db->store, "lead:web-1", NULL);
  g_assert_cmpuint (activities->len, ==, 1);
  g_assert_nonnull (lk_store_get_user (db->store, "user:lilei", NULL));
  setting = lk_store_get_setting (db->store, "scoring", NULL);
  g_assert_cmpstr (setting, ==, "{\"weights\":[1,2,3]}");
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM leads WHERE id = ?", "lead:no-type"), ==, 0);

  /* The checkpoint came with the page. */
  remote = lk_store_get_sync_remote (db->store, REMOTE, NULL);
  g_assert_cmpstr (remote->pull_since, ==, "42");

  g_assert_true (lk_test_changes_named (changes, "lead", "lead:web-1"));
  g_assert_true (lk_test_changes_named (changes, "settings", "settings:scoring"));

  /* The same revisions again: nothing to do. */
  report = apply_json (db, "{\"_id\":\"lead:web-1\",\"_rev\":\"1-w\",\"type\":\"lead\",\"company\":\"Other\"}");
  g_assert_cmpuint (report.applied, ==, 0);
  g_clear_object (&lead);
  lead = get_lead (db, "lead:web-1");
  g_assert_cmpstr (lk_lead_get_company (lead), ==, "Zephyr Widgets");
}

static void
test_clean_overwrite (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autofree char *id = synced_lead (db, "Acme");
  g_autoptr(LkLead) lead = NULL;
  g_autofree char *rev = NULL;
  LkSyncApplyReport report;

  report = apply_one (db, server_doc (db->store, id, "2-b", "{\"company\":\"Acme Group\",\"notes\":\"met\"}"));
  g_assert_cmpuint (report.applied, ==, 1);
  lead = get_lead (db, id);
  g_assert_cmpstr (lk_lead_get_company (lead), ==, "Acme Group");
  g_assert_false (is_dirty (db, id));
  g_assert_false (is_queued (db, id));
  g_assert_true (lk_store_get_sync_base (db->store, id, &rev, NULL, NULL));
  g_assert_cmpstr (rev, ==, "2-b");
  g_assert_cmpint (count_search (db, "Acme Group"), ==, 1);
}

static void
test_dirty_merge (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autofree char *id = synced_lead (db, "Acme");
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(JsonObject) body = NULL;
  LkSyncApplyReport report;

  edit_lead (db, id, LK_LEAD_NOTES, "called twice");
  report = apply_one (db, server_doc (db->store, id, "2-b", "{\"company\":\"Acme Group\",\"notes\":\"\"}"));
  g_assert_cmpuint (report.merged, ==, 1);
  g_assert_cmpuint (report.conflicts, ==, 0);

  lead = get_lead (db, id);
  g_assert_cmpstr (lk_lead_get_company (lead), ==, "Acme Group");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_NOTES), ==, "called twice");
  g_assert_true (is_dirty (db, id));
  batch = take (db, 500, G_MAXSIZE, NULL);
  g_assert_cmpuint (batch->len, ==, 1);
  g_assert_cmpstr (((LkOutboxDoc *) g_ptr_array_index (batch, 0))->rev, ==, "2-b");
  body = obj (((LkOutboxDoc *) g_ptr_array_index (batch, 0))->body);
  g_assert_cmpstr (json_object_get_string_member (body, "company"), ==, "Acme Group");
  g_assert_cmpstr (json_object_get_string_member (body, "notes"), ==, "called twice");
}

static void
test_conflict_use_mine (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autofree char *id = synced_lead (db, "Acme");
  g_autoptr(LkTestChanges) changes = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(GError) error = NULL;
  LkSyncConflict *c;
  LkSyncApplyReport report;

  edit_lead (db, id, LK_LEAD_COMPANY, "Mine Ltd");
  changes = lk_test_changes_new (db->store);
  report = apply_one (db, server_doc (db->store, id, "2-b", "{\"company\":\"Theirs Ltd\"}"));
  g_assert_cmpuint (report.conflicts, ==, 1);
  g_assert_true (lk_test_changes_named (changes, "conflict", id));

  /* The server's value stands until the user decides. */
  lead = get_lead (db, id);
  g_assert_cmpstr (lk_lead_get_company (lead), ==, "Theirs Ltd");
  g_assert_false (is_queued (db, id));
  g_assert_cmpint (lk_store_count_conflicts (db->store, NULL), ==, 1);
  conflicts = lk_store_list_conflicts (db->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  c = g_ptr_array_index (conflicts, 0);
  g_assert_cmpint (c->kind, ==, LK_CONFLICT_FIELD);
  g_assert_cmpstr (c->doc_id, ==, id);
  g_assert_cmpstr (c->field, ==, "company");
  g_assert_cmpstr (c->base, ==, "\"Acme\"");
  g_assert_cmpstr (c->mine, ==, "\"Mine Ltd\"");
  g_assert_cmpstr (c->theirs, ==, "\"Theirs Ltd\"");
  g_assert_cmpstr (c->theirs_rev, ==, "2-b");
  g_assert_cmpint (c->created_at, ==, LK_TEST_NOW_MS);

  lk_clock_advance_ms (db->clock, 60000);
  g_assert_true (lk_store_resolve_conflict (db->store, c->id, TRUE, &error));
  g_assert_no_error (error);
  g_clear_object (&lead);
  lead = get_lead (db, id);
  g_assert_cmpstr (lk_lead_get_company (lead), ==, "Mine Ltd");
  g_assert_cmpint (lk_record_get_int (LK_RECORD (lead), LK_LEAD_UPDATED_AT), ==, LK_TEST_NOW_MS + 60000);
  g_assert_true (is_dirty (db, id));
  g_assert_true (is_queued (db, id));
  g_assert_cmpint (lk_store_count_conflicts (db->store, NULL), ==, 0);
  g_assert_cmpuint (lk_test_changes_count (changes, "conflict"), ==, 2);

  /* Resolved once: not again. */
  g_assert_false (lk_store_resolve_conflict (db->store, c->id, TRUE, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_NOT_FOUND);
  after = lk_store_list_conflicts (db->store, NULL);
  g_assert_cmpuint (after->len, ==, 0);
}

static void
test_conflict_keep_theirs (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autofree char *id = synced_lead (db, "Acme");
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(GError) error = NULL;

  edit_lead (db, id, LK_LEAD_COMPANY, "Mine Ltd");
  apply_one (db, server_doc (db->store, id, "2-b", "{\"company\":\"Theirs Ltd\"}"));
  conflicts = lk_store_list_conflicts (db->store, NULL);
  g_assert_cmpuint (conflicts->len, ==, 1);
  g_assert_true (lk_store_resolve_conflict (db->store, ((LkSyncConflict *) g_ptr_array_index (conflicts, 0))->id,
                                            FALSE, &error));
  g_assert_no_error (error);
  lead = get_lead (db, id);
  g_assert_cmpstr (lk_lead_get_company (lead), ==, "Theirs Ltd");
  g_assert_false (is_queued (db, id));
  g_assert_cmpint (lk_store_count_conflicts (db->store, NULL), ==, 0);
}

static void
test_same_value (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autofree char *id = synced_lead (db, "Acme");
  LkSyncApplyReport report;

  edit_lead (db, id, LK_LEAD_COMPANY, "Same Ltd");
  report = apply_one (db, server_doc (db->store, id, "2-b", "{\"company\":\"Same Ltd\",\"updated_by\":\"user:x\"}"));
  g_assert_cmpuint (report.conflicts, ==, 0);
  g_assert_false (is_dirty (db, id));
  g_assert_false (is_queued (db, id));
}

static void
test_they_deleted (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autofree char *clean = synced_lead (db, "Clean Co");
  g_autofree char *edited = synced_lead (db, "Edited Co");
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tombstone_clean = g_strdup_printf ("{\"_id\":\"%s\",\"_rev\":\"2-d\",\"_deleted\":true}", clean);
  g_autofree char *tombstone_edited = g_strdup_printf ("{\"_id\":\"%s\",\"_rev\":\"2-e\",\"_deleted\":true}", edited);
  LkSyncConflict *c;
  LkSyncApplyReport report;

  /* A bare tombstone on a clean lead: gone, softly. */
  report = apply_json (db, tombstone_clean);
  g_assert_cmpuint (report.applied, ==, 1);
  lead = get_lead (db, clean);
  g_assert_true (lk_record_get_deleted (LK_RECORD (lead)));
  g_assert_cmpstr (lk_lead_get_company (lead), ==, "Clean Co");
  g_assert_cmpint (count_search (db, "Clean Co"), ==, 0);
  g_assert_false (is_queued (db, clean));
  g_clear_object (&lead);

  /* On a lead I edited: parked in a conflict. */
  edit_lead (db, edited, LK_LEAD_NOTES, "important");
  report = apply_json (db, tombstone_edited);
  g_assert_cmpuint (report.conflicts, ==, 1);
  lead = get_lead (db, edited);
  g_assert_true (lk_record_get_deleted (LK_RECORD (lead)));
  g_assert_false (is_queued (db, edited));
  g_clear_object (&lead);
  conflicts = lk_store_list_conflicts (db->store, NULL);
  g_assert_cmpuint (conflicts->len, ==, 1);
  c = g_ptr_array_index (conflicts, 0);
  g_assert_cmpint (c->kind, ==, LK_CONFLICT_THEY_DELETED);
  g_assert_null (c->field);
  g_assert_cmpstr (c->theirs, ==, "null");
  g_assert_nonnull (strstr (c->mine, "important"));

  /* Restore: my version goes over their delete. */
  g_assert_true (lk_store_resolve_conflict (db->store, c->id, TRUE, &error));
  g_assert_no_error (error);
  lead = get_lead (db, edited);
  g_assert_false (lk_record_get_deleted (LK_RECORD (lead)));
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_NOTES), ==, "important");
  g_assert_cmpint (count_search (db, "Edited Co"), ==, 1);
  batch = take (db, 500, G_MAXSIZE, NULL);
  g_assert_cmpuint (batch->len, ==, 1);
  g_assert_cmpstr (((LkOutboxDoc *) g_ptr_array_index (batch, 0))->rev, ==, "2-e");
  g_assert_false (((LkOutboxDoc *) g_ptr_array_index (batch, 0))->deleted);
}

static void
test_i_deleted (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autofree char *id = synced_lead (db, "Acme");
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GError) error = NULL;
  LkSyncConflict *c;
  LkSyncApplyReport report;

  g_assert_true (lk_store_delete_lead (db->store, id, &error));
  report = apply_one (db, server_doc (db->store, id, "2-b", "{\"_deleted\":false,\"notes\":\"they called\"}"));
  g_assert_cmpuint (report.conflicts, ==, 1);
  /* Their edit stands; my delete waits for the user. */
  lead = get_lead (db, id);
  g_assert_false (lk_record_get_deleted (LK_RECORD (lead)));
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_NOTES), ==, "they called");
  g_assert_false (is_queued (db, id));
  g_clear_object (&lead);
  conflicts = lk_store_list_conflicts (db->store, NULL);
  g_assert_cmpuint (conflicts->len, ==, 1);
  c = g_ptr_array_index (conflicts, 0);
  g_assert_cmpint (c->kind, ==, LK_CONFLICT_I_DELETED);

  g_assert_true (lk_store_resolve_conflict (db->store, c->id, TRUE, &error));
  g_assert_no_error (error);
  lead = get_lead (db, id);
  g_assert_true (lk_record_get_deleted (LK_RECORD (lead)));
  batch = take (db, 500, G_MAXSIZE, NULL);
  g_assert_cmpuint (batch->len, ==, 1);
  g_assert_true (((LkOutboxDoc *) g_ptr_array_index (batch, 0))->deleted);
  g_assert_cmpstr (((LkOutboxDoc *) g_ptr_array_index (batch, 0))->rev, ==, "2-b");
}

static void
test_both_deleted (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autofree char *id = synced_lead (db, "Acme");
  g_autofree char *tombstone = g_strdup_printf ("{\"_id\":\"%s\",\"_rev\":\"2-d\",\"_deleted\":true}", id);
  g_autoptr(GError) error = NULL;
  LkSyncApplyReport report;

  g_assert_true (lk_store_delete_lead (db->store, id, &error));
  report = apply_json (db, tombstone);
  g_assert_cmpuint (report.conflicts, ==, 0);
  g_assert_false (is_queued (db, id));
  g_assert_false (is_dirty (db, id));
}

static void
test_cancelled_page (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(LkSyncRemote) remote = NULL;
  g_autoptr(GError) error = NULL;
  LkSyncApplyReport report = { 0 };

  g_ptr_array_add (docs, obj ("{\"_id\":\"lead:c1\",\"_rev\":\"1-a\",\"type\":\"lead\",\"company\":\"C1\"}"));
  g_cancellable_cancel (cancellable);
  g_assert_false (lk_store_apply_remote (db->store, docs, NULL, REMOTE, "7", lk_merge_for_store, NULL,
                                         cancellable, &report, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, 0);
  remote = lk_store_get_sync_remote (db->store, REMOTE, NULL);
  g_assert_null (remote->pull_since);
  g_assert_cmpuint (report.applied, ==, 0);
}

static void
test_reset (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autofree char *a = synced_lead (db, "A Co");
  g_autofree char *b = synced_lead (db, "B Co");
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(LkSyncRemote) remote = NULL;
  g_autoptr(GPtrArray) nothing = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_store_set_setting (db->store, "scoring", "{\"w\":1}", &error));
  push_all (db, "1-a");
  apply_docs (db, nothing, "99");

  g_assert_true (lk_store_reset_sync (db->store, REMOTE, "epoch-2", &error));
  g_assert_no_error (error);
  remote = lk_store_get_sync_remote (db->store, REMOTE, NULL);
  g_assert_cmpstr (remote->db_epoch, ==, "epoch-2");
  g_assert_null (remote->pull_since);
  g_assert_true (is_dirty (db, a));
  g_assert_true (is_dirty (db, b));
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT count(*) FROM sync_base", NULL), ==, 0);
  /* Two leads, their two stage changes, the setting; sent as new. */
  batch = take (db, 500, G_MAXSIZE, NULL);
  g_assert_cmpuint (batch->len, ==, 5);
  for (guint i = 0; i < batch->len; i++)
    g_assert_null (((LkOutboxDoc *) g_ptr_array_index (batch, i))->rev);
  g_assert_cmpstr (((LkOutboxDoc *) g_ptr_array_index (batch, 0))->doc_id, ==, a);
  g_assert_cmpstr (((LkOutboxDoc *) g_ptr_array_index (batch, 4))->doc_id, ==, "settings:scoring");
}

static void
test_fold_losers (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autofree char *id = synced_lead (db, "Acme");
  g_autoptr(GHashTable) losers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) loser_docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(JsonObject) base = NULL;
  g_autoptr(GError) error = NULL;
  LkSyncApplyReport report = { 0 };
  LkSyncApplyReport again = { 0 };

  /* A cluster kept two versions: the winner changed the company, the
   * loser the phone. */
  g_ptr_array_add (docs, server_doc (db->store, id, "2-b", "{\"company\":\"Winner Co\"}"));
  g_ptr_array_add (loser_docs, server_doc (db->store, id, "2-a", "{\"phone\":\"+8613900139000\"}"));
  g_hash_table_insert (losers, id, g_ptr_array_ref (loser_docs));
  g_assert_true (lk_store_apply_remote (db->store, docs, losers, REMOTE, NULL, lk_merge_for_store, NULL,
                                        NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.queued, ==, 1);
  lead = get_lead (db, id);
  g_assert_cmpstr (lk_lead_get_company (lead), ==, "Winner Co");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_PHONE), ==, "+8613900139000");
  /* The folded version is sent over the winner. */
  g_assert_true (is_queued (db, id));
  g_assert_true (lk_store_get_sync_base (db->store, id, NULL, &base, NULL));
  g_assert_true (json_object_has_member (base, "_lk_folded"));

  /* Seen again before the loser is deleted: folded once only. */
  g_assert_true (lk_store_apply_remote (db->store, docs, losers, REMOTE, NULL, lk_merge_for_store, NULL,
                                        NULL, &again, &error));
  g_assert_cmpuint (again.applied, ==, 0);
  g_assert_cmpuint (again.queued, ==, 0);
}

static void
test_worker_changes (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkStore) worker = lk_store_open_worker (db->store, NULL);
  g_autoptr(LkTestChanges) changes = lk_test_changes_new (worker);
  g_autoptr(GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GError) error = NULL;
  LkSyncApplyReport report = { 0 };

  /* A page applied on a worker's connection names what it changed. */
  g_ptr_array_add (docs, obj ("{\"_id\":\"lead:w1\",\"_rev\":\"1-a\",\"type\":\"lead\",\"company\":\"W\"}"));
  g_assert_true (lk_store_apply_remote (worker, docs, NULL, REMOTE, "1", lk_merge_for_store, NULL,
                                        NULL, &report, &error));
  g_assert_true (lk_test_changes_named (changes, "lead", "lead:w1"));
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, 1);
}

/* A page of @n leads from the server, "Deferred <first + i>", with
 * revision @rev. */
static GPtrArray *
lead_page (guint       first,
           guint       n,
           const char *rev)
{
  GPtrArray *docs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint i = first; i < first + n; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"_id\":\"lead:bulk-%03u\",\"_rev\":\"%s\",\"type\":\"lead\","
                                               "\"schema\":1,\"company\":\"Deferred %03u\",\"tags\":[\"tag%u\"],"
                                               "\"notes\":\"Quarzwerk\"}",
                                               i, rev, i, i % 3);

      g_ptr_array_add (docs, obj (json));
    }
  return docs;
}

/* Closes the store as a killed process would leave it and opens it again
 * (the next start of the app). */
static void
reopen (LkTestDb *db)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&db->store);
  db->store = lk_store_open (db->path, db->clock, &error);
  g_assert_no_error (error);
  lk_store_set_user_id (db->store, "user:tester");
}

static void
assert_index_complete (LkTestDb *db)
{
  g_autoptr(GPtrArray) problems = lk_store_check (db->store, NULL);

  for (guint i = 0; i < problems->len; i++)
    g_test_message ("%s", (const char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, 0);
}

/* A bulk pull leaves the search rows of its leads out, marks the database
 * in the same transaction, and the next open (after a kill) indexes them:
 * the search finds every lead, none twice, with their current text. */
static void
test_deferred_search_recovered (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(GPtrArray) first = lead_page (0, 40, "1-a");
  g_autoptr(GPtrArray) second = lead_page (40, 40, "1-a");
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) edited = NULL;

  /* An already indexed lead that the bulk pull changes. */
  apply_json (db, "{\"_id\":\"lead:bulk-000\",\"_rev\":\"0-a\",\"type\":\"lead\",\"company\":\"Oldname\"}");
  g_assert_cmpint (count_search (db, "Oldname"), ==, 1);

  lk_store_set_defer_search (db->store, TRUE);
  apply_docs (db, first, "40");
  apply_docs (db, second, "80");
  /* A deferred lead the server deletes, in the same pull. */
  g_ptr_array_add (gone, obj ("{\"_id\":\"lead:bulk-079\",\"_rev\":\"2-a\",\"_deleted\":true}"));
  apply_docs (db, gone, "81");
  lk_store_set_defer_search (db->store, FALSE);

  /* Not indexed yet, and remembered in the database itself. */
  g_assert_true (lk_store_get_search_pending (db->store));
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT count(*) FROM meta WHERE key = 'search-pending' "
                                    "AND value = '1'", NULL), ==, 1);
  g_assert_cmpint (count_search (db, "Oldname"), ==, 0);
  g_assert_cmpint (count_search (db, "Deferred"), ==, 0);
  /* The tag index and the duplicate keys are written as usual. */
  g_assert_cmpint (lk_test_sql_int (lk_test_db_peek (db), "SELECT count(*) FROM lead_tags", NULL), ==, 79);

  /* A local edit of a deferred lead indexes it at once. */
  edit_lead (db, "lead:bulk-005", LK_LEAD_CONTACT, "Zhang Wei");
  g_assert_cmpint (count_search (db, "Zhang Wei"), ==, 1);

  /* Killed here: the next open finishes the indexing. */
  reopen (db);
  g_assert_false (lk_store_get_search_pending (db->store));
  g_assert_cmpint (count_search (db, "Deferred"), ==, 79);
  g_assert_cmpint (count_search (db, "Quarzwerk"), ==, 79);
  g_assert_cmpint (count_search (db, "Deferred 079"), ==, 0);
  g_assert_cmpint (count_search (db, "Oldname"), ==, 0);
  g_assert_cmpint (count_search (db, "Zhang"), ==, 1);
  g_assert_cmpint (count_search (db, "tag2"), ==, 26);
  assert_index_complete (db);
  edited = get_lead (db, "lead:bulk-005");
  g_assert_cmpstr (lk_lead_get_contact (edited), ==, "Zhang Wei");
  /* Nothing of this is a local edit but the one made here. */
  g_assert_cmpint (lk_store_count_outbox (db->store, NULL), ==, 1);
}

/* The catch-up indexes in batches, each its own transaction, and clears
 * the mark with the last; a catch-up stopped between two batches is
 * finished by the next one. */
static void
test_deferred_search_batches (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(GPtrArray) docs = lead_page (0, 95, "1-a");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  lk_store_set_defer_search (db->store, TRUE);
  apply_docs (db, docs, "95");
  lk_store_set_defer_search (db->store, FALSE);
  g_assert_true (lk_store_get_search_pending (db->store));

  /* Stopped before its first batch: nothing is lost, the mark stays. */
  g_cancellable_cancel (cancellable);
  g_assert_false (lk_store_catch_up_search (db->store, 10, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (lk_store_get_search_pending (db->store));

  /* Half of them indexed by hand as a stopped catch-up would have left
   * them (its batches commit one by one). */
  lk_test_sql_exec (lk_test_db_peek (db),
                    "INSERT INTO leads_search (rowid, body) SELECT rowid, company FROM leads WHERE id < 'lead:bulk-050'");

  g_assert_true (lk_store_catch_up_search (db->store, 10, NULL, NULL));
  g_assert_false (lk_store_get_search_pending (db->store));
  g_assert_cmpint (count_search (db, "Deferred"), ==, 95);
  g_assert_cmpint (count_search (db, "Quarzwerk"), ==, 45);
  assert_index_complete (db);
  /* Nothing to do a second time. */
  g_assert_true (lk_store_catch_up_search (db->store, 10, NULL, NULL));
}

/* A lead pulled as it is keeps no second copy as its base: the row is
 * the base, written out in full before a local edit changes the row, so
 * the three-way merge works as with a stored base. */
static void
test_lazy_base (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(JsonObject) base = NULL;
  g_autoptr(LkLead) lead = NULL;
  g_autofree char *rev = NULL;
  g_autofree char *stored = NULL;
  LkSyncApplyReport report;

  apply_json (db, "{\"_id\":\"lead:lazy\",\"_rev\":\"1-a\",\"type\":\"lead\",\"schema\":1,"
                  "\"company\":\"Lazy Base\",\"contact\":\"Han Meimei\",\"x_badge\":\"B-17\"}");
  stored = lk_test_sql_text (lk_test_db_peek (db), "SELECT json FROM sync_base WHERE doc_id = ?", "lead:lazy", NULL);
  g_assert_cmpstr (stored, ==, "");
  g_clear_pointer (&stored, g_free);

  /* Still the server's document to whoever asks. */
  g_assert_true (lk_store_get_sync_base (db->store, "lead:lazy", &rev, &base, NULL));
  g_assert_cmpstr (rev, ==, "1-a");
  g_assert_cmpstr (json_object_get_string_member (base, "company"), ==, "Lazy Base");
  g_assert_cmpstr (json_object_get_string_member (base, "x_badge"), ==, "B-17");
  g_assert_cmpstr (json_object_get_string_member (base, "_rev"), ==, "1-a");
  g_clear_pointer (&base, json_object_unref);

  /* A local edit writes the base out first. */
  edit_lead (db, "lead:lazy", LK_LEAD_CONTACT, "Li Lei");
  stored = lk_test_sql_text (lk_test_db_peek (db), "SELECT json FROM sync_base WHERE doc_id = ?", "lead:lazy", NULL);
  g_assert_nonnull (strstr (stored, "Han Meimei"));
  g_assert_null (strstr (stored, "Li Lei"));

  /* The server changed another field: both survive, no conflict. */
  report = apply_json (db, "{\"_id\":\"lead:lazy\",\"_rev\":\"2-b\",\"type\":\"lead\",\"schema\":1,"
                           "\"company\":\"Lazy Base Group\",\"contact\":\"Han Meimei\",\"x_badge\":\"B-17\"}");
  g_assert_cmpuint (report.conflicts, ==, 0);
  g_assert_cmpuint (report.merged, ==, 1);
  lead = get_lead (db, "lead:lazy");
  g_assert_cmpstr (lk_lead_get_company (lead), ==, "Lazy Base Group");
  g_assert_cmpstr (lk_lead_get_contact (lead), ==, "Li Lei");
  g_assert_true (is_dirty (db, "lead:lazy"));
  g_clear_object (&lead);

  /* The same field on both sides: a true conflict against the old base. */
  apply_json (db, "{\"_id\":\"lead:lazy2\",\"_rev\":\"1-a\",\"type\":\"lead\",\"company\":\"Second\"}");
  edit_lead (db, "lead:lazy2", LK_LEAD_COMPANY, "Mine");
  report = apply_json (db, "{\"_id\":\"lead:lazy2\",\"_rev\":\"2-a\",\"type\":\"lead\",\"company\":\"Theirs\"}");
  g_assert_cmpuint (report.conflicts, ==, 1);
  g_assert_cmpint (lk_store_count_conflicts (db->store, NULL), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/store-sync/outbox/order-and-limits", test_batch_order_and_limits);
  g_test_add_func ("/store-sync/outbox/pushed", test_pushed);
  g_test_add_func ("/store-sync/outbox/edit-during-push", test_edit_during_push);
  g_test_add_func ("/store-sync/outbox/rejected", test_rejected);
  g_test_add_func ("/store-sync/outbox/backoff", test_backoff);
  g_test_add_func ("/store-sync/apply/new-docs", test_apply_new_docs);
  g_test_add_func ("/store-sync/apply/clean-overwrite", test_clean_overwrite);
  g_test_add_func ("/store-sync/apply/dirty-merge", test_dirty_merge);
  g_test_add_func ("/store-sync/apply/conflict-use-mine", test_conflict_use_mine);
  g_test_add_func ("/store-sync/apply/conflict-keep-theirs", test_conflict_keep_theirs);
  g_test_add_func ("/store-sync/apply/same-value", test_same_value);
  g_test_add_func ("/store-sync/apply/they-deleted", test_they_deleted);
  g_test_add_func ("/store-sync/apply/i-deleted", test_i_deleted);
  g_test_add_func ("/store-sync/apply/both-deleted", test_both_deleted);
  g_test_add_func ("/store-sync/apply/cancelled", test_cancelled_page);
  g_test_add_func ("/store-sync/apply/fold-losers", test_fold_losers);
  g_test_add_func ("/store-sync/apply/worker", test_worker_changes);
  g_test_add_func ("/store-sync/apply/deferred-search-recovered", test_deferred_search_recovered);
  g_test_add_func ("/store-sync/apply/deferred-search-batches", test_deferred_search_batches);
  g_test_add_func ("/store-sync/apply/lazy-base", test_lazy_base);
  g_test_add_func ("/store-sync/reset", test_reset);

  return g_test_run ();
}
