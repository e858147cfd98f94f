/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-merge"

#include "lk-merge.h"
#include "lk-store-sync.h"

/* The three-way merge of SYNC.md, value by value: whatever only one side
 * changed is taken, the same change on both sides is no conflict, and a
 * true conflict leaves the server's value with mine reported. */

static JsonObject *
obj (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_dup_object (node);
}

static void
assert_doc (JsonObject *doc,
            const char *expected_json)
{
  g_autoptr(JsonObject) expected = obj (expected_json);
  g_autoptr(JsonNode) a = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) b = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;

  json_node_set_object (a, doc);
  json_node_set_object (b, expected);
  text = json_to_string (a, FALSE);
  g_test_message ("merged: %s", text);
  if (!json_node_equal (a, b))
    g_error ("merged %s, expected %s", text, expected_json);
}

static void
assert_node (JsonNode   *node,
             const char *expected_json)
{
  g_autofree char *text = NULL;

  if (expected_json == NULL)
    {
      g_assert_null (node);
      return;
    }
  g_assert_nonnull (node);
  text = json_to_string (node, FALSE);
  g_assert_cmpstr (text, ==, expected_json);
}

/* Merges JSON texts; @base may be NULL. */
static JsonObject *
merge (const char  *base,
       const char  *mine,
       const char  *theirs,
       GPtrArray  **conflicts)
{
  g_autoptr(JsonObject) b = base ? obj (base) : NULL;
  g_autoptr(JsonObject) m = obj (mine);
  g_autoptr(JsonObject) t = obj (theirs);

  return lk_merge_documents (b, m, t, conflicts);
}

static void
test_one_side (void)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(JsonObject) merged = NULL;

  /* Only theirs changed company; only mine changed phone. */
  merged = merge ("{\"_id\":\"lead:1\",\"company\":\"A\",\"phone\":\"1\",\"notes\":\"n\"}",
                  "{\"_id\":\"lead:1\",\"company\":\"A\",\"phone\":\"2\",\"notes\":\"n\"}",
                  "{\"_id\":\"lead:1\",\"_rev\":\"2-x\",\"company\":\"B\",\"phone\":\"1\",\"notes\":\"n\"}",
                  &conflicts);
  assert_doc (merged, "{\"_id\":\"lead:1\",\"_rev\":\"2-x\",\"company\":\"B\",\"phone\":\"2\",\"notes\":\"n\"}");
  g_assert_cmpuint (conflicts->len, ==, 0);
}

static void
test_same_change (void)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(JsonObject) merged = NULL;

  merged = merge ("{\"stage\":\"new\",\"amount\":100}",
                  "{\"stage\":\"won\",\"amount\":100}",
                  "{\"stage\":\"won\",\"amount\":100}",
                  &conflicts);
  assert_doc (merged, "{\"stage\":\"won\",\"amount\":100}");
  g_assert_cmpuint (conflicts->len, ==, 0);
}

static void
test_true_conflict (void)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(JsonObject) merged = NULL;
  LkMergeConflict *c;

  merged = merge ("{\"company\":\"A\",\"owner\":null}",
                  "{\"company\":\"Mine Ltd\",\"owner\":\"user:li\"}",
                  "{\"company\":\"Theirs Ltd\",\"owner\":null}",
                  &conflicts);
  /* The server's value stays; mine is reported. */
  assert_doc (merged, "{\"company\":\"Theirs Ltd\",\"owner\":\"user:li\"}");
  g_assert_cmpuint (conflicts->len, ==, 1);
  c = g_ptr_array_index (conflicts, 0);
  g_assert_cmpstr (c->field, ==, "company");
  assert_node (c->base, "\"A\"");
  assert_node (c->mine, "\"Mine Ltd\"");
  assert_node (c->theirs, "\"Theirs Ltd\"");
}

static void
test_nested_fields (void)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(JsonObject) merged = NULL;
  LkMergeConflict *c;

  /* bant.budget and bant.need changed on different sides: both stay;
   * bant.timeline changed differently: a conflict named by its path. */
  merged = merge ("{\"bant\":{\"budget\":false,\"need\":false,\"timeline\":false,\"authority\":false}}",
                  "{\"bant\":{\"budget\":true,\"need\":false,\"timeline\":true,\"authority\":false}}",
                  "{\"bant\":{\"budget\":false,\"need\":true,\"timeline\":false,\"authority\":true,\"x\":1}}",
                  &conflicts);
  assert_doc (merged, "{\"bant\":{\"budget\":true,\"need\":true,\"timeline\":true,\"authority\":true,\"x\":1}}");
  g_assert_cmpuint (conflicts->len, ==, 0);
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  g_clear_pointer (&merged, json_object_unref);

  merged = merge ("{\"bant\":{\"budget\":false}}",
                  "{\"bant\":{\"budget\":true}}",
                  "{\"bant\":{\"budget\":null}}",
                  &conflicts);
  assert_doc (merged, "{\"bant\":{\"budget\":null}}");
  g_assert_cmpuint (conflicts->len, ==, 1);
  c = g_ptr_array_index (conflicts, 0);
  g_assert_cmpstr (c->field, ==, "bant.budget");
}

static void
test_unknown_fields (void)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(JsonObject) merged = NULL;
  LkMergeConflict *c;

  /* A newer client's fields: added by the server, changed by me, removed
   * by me, and one both changed differently. */
  merged = merge ("{\"x_mine\":1,\"x_gone\":true,\"x_both\":\"a\"}",
                  "{\"x_mine\":2,\"x_both\":\"b\",\"x_new_mine\":[1,2]}",
                  "{\"x_mine\":1,\"x_gone\":true,\"x_both\":\"c\",\"x_theirs\":{\"deep\":1}}",
                  &conflicts);
  assert_doc (merged, "{\"x_mine\":2,\"x_both\":\"c\",\"x_theirs\":{\"deep\":1},\"x_new_mine\":[1,2]}");
  g_assert_cmpuint (conflicts->len, ==, 1);
  c = g_ptr_array_index (conflicts, 0);
  g_assert_cmpstr (c->field, ==, "x_both");
}

static void
test_tags_set_merge (void)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(JsonObject) merged = NULL;

  /* I added "vip" and removed "cold"; they added "expo". */
  merged = merge ("{\"tags\":[\"cold\",\"a\"]}",
                  "{\"tags\":[\"a\",\"vip\"]}",
                  "{\"tags\":[\"cold\",\"a\",\"expo\"]}",
                  &conflicts);
  assert_doc (merged, "{\"tags\":[\"a\",\"expo\",\"vip\"]}");
  g_assert_cmpuint (conflicts->len, ==, 0);
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  g_clear_pointer (&merged, json_object_unref);

  /* Both removed the same tag, both added the same one. */
  merged = merge ("{\"tags\":[\"x\",\"y\"]}",
                  "{\"tags\":[\"y\",\"z\"]}",
                  "{\"tags\":[\"z\",\"y\",\"w\"]}",
                  &conflicts);
  assert_doc (merged, "{\"tags\":[\"z\",\"y\",\"w\"]}");
  g_assert_cmpuint (conflicts->len, ==, 0);
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  g_clear_pointer (&merged, json_object_unref);

  /* Only I changed them (a new order included): mine as they are. */
  merged = merge ("{\"tags\":[\"a\",\"b\"]}",
                  "{\"tags\":[\"b\",\"a\",\"c\"]}",
                  "{\"tags\":[\"a\",\"b\"]}",
                  &conflicts);
  assert_doc (merged, "{\"tags\":[\"b\",\"a\",\"c\"]}");
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  g_clear_pointer (&merged, json_object_unref);

  /* No common ancestor: the union. */
  merged = merge (NULL, "{\"tags\":[\"a\",\"b\"]}", "{\"tags\":[\"c\",\"a\"]}", &conflicts);
  assert_doc (merged, "{\"tags\":[\"c\",\"a\",\"b\"]}");
  g_assert_cmpuint (conflicts->len, ==, 0);
}

static void
test_last_contacted_max (void)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(JsonObject) merged = NULL;

  merged = merge ("{\"last_contacted_at\":100}",
                  "{\"last_contacted_at\":300}",
                  "{\"last_contacted_at\":200}",
                  &conflicts);
  assert_doc (merged, "{\"last_contacted_at\":300}");
  g_assert_cmpuint (conflicts->len, ==, 0);
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  g_clear_pointer (&merged, json_object_unref);

  merged = merge ("{\"last_contacted_at\":null}",
                  "{\"last_contacted_at\":200}",
                  "{\"last_contacted_at\":500}",
                  &conflicts);
  assert_doc (merged, "{\"last_contacted_at\":500}");
  g_assert_cmpuint (conflicts->len, ==, 0);
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  g_clear_pointer (&merged, json_object_unref);

  /* Other times are ordinary fields: a conflict, not the later one. */
  merged = merge ("{\"next_followup_at\":100}",
                  "{\"next_followup_at\":300}",
                  "{\"next_followup_at\":200}",
                  &conflicts);
  assert_doc (merged, "{\"next_followup_at\":200}");
  g_assert_cmpuint (conflicts->len, ==, 1);
}

static void
test_author_never_conflicts (void)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(JsonObject) merged = NULL;

  /* My change is kept: the result is mine to send, by me. A device clock
   * (mine is far in the future) decides nothing else. */
  merged = merge ("{\"phone\":\"1\",\"company\":\"A\",\"updated_at\":1,\"updated_by\":\"user:a\"}",
                  "{\"phone\":\"2\",\"company\":\"A\",\"updated_at\":99999999999,\"updated_by\":\"user:me\"}",
                  "{\"phone\":\"1\",\"company\":\"B\",\"updated_at\":5,\"updated_by\":\"user:them\"}",
                  &conflicts);
  assert_doc (merged, "{\"phone\":\"2\",\"company\":\"B\",\"updated_at\":99999999999,\"updated_by\":\"user:me\"}");
  g_assert_cmpuint (conflicts->len, ==, 0);
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  g_clear_pointer (&merged, json_object_unref);

  /* Nothing of mine left: the server's version exactly. */
  merged = merge ("{\"phone\":\"1\",\"updated_at\":1,\"updated_by\":\"user:a\"}",
                  "{\"phone\":\"2\",\"updated_at\":9,\"updated_by\":\"user:me\"}",
                  "{\"phone\":\"2\",\"updated_at\":5,\"updated_by\":\"user:them\"}",
                  &conflicts);
  assert_doc (merged, "{\"phone\":\"2\",\"updated_at\":5,\"updated_by\":\"user:them\"}");
  g_assert_cmpuint (conflicts->len, ==, 0);
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  g_clear_pointer (&merged, json_object_unref);

  /* A true conflict only: the server's value and author stay. */
  merged = merge ("{\"phone\":\"1\",\"updated_at\":1}",
                  "{\"phone\":\"2\",\"updated_at\":9}",
                  "{\"phone\":\"3\",\"updated_at\":5}",
                  &conflicts);
  assert_doc (merged, "{\"phone\":\"3\",\"updated_at\":5}");
  g_assert_cmpuint (conflicts->len, ==, 1);
}

static void
test_server_keys (void)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(JsonObject) merged = NULL;

  /* "_rev" and friends are the server's: taken from theirs, never merged. */
  merged = merge ("{\"_id\":\"lead:1\",\"_rev\":\"1-a\",\"a\":1}",
                  "{\"_id\":\"lead:1\",\"_rev\":\"1-a\",\"_local_thing\":1,\"a\":2}",
                  "{\"_id\":\"lead:1\",\"_rev\":\"3-c\",\"a\":1}",
                  &conflicts);
  assert_doc (merged, "{\"_id\":\"lead:1\",\"_rev\":\"3-c\",\"a\":2}");
  g_assert_cmpuint (conflicts->len, ==, 0);
}

static void
test_no_base (void)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(JsonObject) merged = NULL;

  /* Made on both sides (a lost answer, a recreated server): equal values
   * agree, different ones conflict, one side's extra key is kept. */
  merged = merge (NULL,
                  "{\"company\":\"A\",\"phone\":\"1\",\"mine_only\":true}",
                  "{\"company\":\"A\",\"phone\":\"2\"}",
                  &conflicts);
  assert_doc (merged, "{\"company\":\"A\",\"phone\":\"2\",\"mine_only\":true}");
  g_assert_cmpuint (conflicts->len, ==, 1);
}

static void
test_numbers_by_value (void)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(JsonObject) merged = NULL;

  /* 100.0 from a JavaScript writer is the same amount as 100. */
  merged = merge ("{\"amount\":100,\"score\":1}",
                  "{\"amount\":100.0,\"score\":2}",
                  "{\"amount\":200,\"score\":1}",
                  &conflicts);
  assert_doc (merged, "{\"amount\":200,\"score\":2}");
  g_assert_cmpuint (conflicts->len, ==, 0);
}

static void
test_for_store (void)
{
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_sync_conflict_free);
  g_autoptr(JsonObject) base = obj ("{\"company\":\"A\",\"x\":1}");
  g_autoptr(JsonObject) mine = obj ("{\"company\":\"B\"}");
  g_autoptr(JsonObject) theirs = obj ("{\"company\":\"C\",\"x\":2}");
  g_autoptr(JsonObject) merged = lk_merge_for_store (base, mine, theirs, conflicts, NULL);
  LkSyncConflict *c;

  /* x: removed by me, changed by them: a conflict with mine "absent". */
  assert_doc (merged, "{\"company\":\"C\",\"x\":2}");
  g_assert_cmpuint (conflicts->len, ==, 2);
  c = g_ptr_array_index (conflicts, 0);
  g_assert_cmpint (c->kind, ==, LK_CONFLICT_FIELD);
  g_assert_cmpstr (c->field, ==, "company");
  g_assert_cmpstr (c->base, ==, "\"A\"");
  g_assert_cmpstr (c->mine, ==, "\"B\"");
  g_assert_cmpstr (c->theirs, ==, "\"C\"");
  c = g_ptr_array_index (conflicts, 1);
  g_assert_cmpstr (c->field, ==, "x");
  g_assert_cmpstr (c->mine, ==, "null");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/merge/one-side", test_one_side);
  g_test_add_func ("/merge/same-change", test_same_change);
  g_test_add_func ("/merge/true-conflict", test_true_conflict);
  g_test_add_func ("/merge/nested-fields", test_nested_fields);
  g_test_add_func ("/merge/unknown-fields", test_unknown_fields);
  g_test_add_func ("/merge/tags", test_tags_set_merge);
  g_test_add_func ("/merge/last-contacted", test_last_contacted_max);
  g_test_add_func ("/merge/author", test_author_never_conflicts);
  g_test_add_func ("/merge/server-keys", test_server_keys);
  g_test_add_func ("/merge/no-base", test_no_base);
  g_test_add_func ("/merge/numbers", test_numbers_by_value);
  g_test_add_func ("/merge/for-store", test_for_store);

  return g_test_run ();
}
