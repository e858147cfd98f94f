/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-pipeline"

#include "lk-pipeline.h"
#include "lk-test-util.h"

/* The pipeline's stages and gates: Lost needs a reason, leaving Won or
 * Lost is a reopen, unknown stages are refused with the valid ids. */

static const char *default_ids = "new, assigned, contacted, qualified, proposal, won, lost";

static LkStageChange *
last_change (LkStore    *store,
             const char *lead_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) history = lk_store_list_stage_changes (store, lead_id, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (history->len, >, 0);
  return g_object_ref (g_ptr_array_index (history, history->len - 1));
}

static guint
n_changes (LkStore    *store,
           const char *lead_id)
{
  g_autoptr(GPtrArray) history = lk_store_list_stage_changes (store, lead_id, NULL);

  return history->len;
}

static LkLead *
reload (LkStore    *store,
        const char *lead_id)
{
  g_autoptr(GError) error = NULL;
  LkLead *lead = lk_store_get_lead (store, lead_id, &error);

  g_assert_no_error (error);
  return lead;
}

static void
test_default_stages (void)
{
  g_autoptr(LkPipeline) pipeline = lk_pipeline_new_default ();
  g_autofree char *ids = lk_pipeline_describe_ids (pipeline);
  static const guint probabilities[] = { 5, 10, 20, 40, 60, 100, 0 };

  g_assert_cmpstr (ids, ==, default_ids);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pipeline)), ==, 7);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (pipeline)) == LK_TYPE_STAGE);
  for (guint i = 0; i < 7; i++)
    {
      g_autoptr(LkStage) stage = g_list_model_get_item (G_LIST_MODEL (pipeline), i);

      g_assert_cmpuint (lk_stage_get_probability (stage), ==, probabilities[i]);
      g_assert_cmpint (lk_pipeline_get_position (pipeline, lk_stage_get_id (stage)), ==, (int) i);
      g_assert_true (lk_pipeline_lookup (pipeline, lk_stage_get_id (stage)) == stage);
      g_assert_cmpint (lk_stage_is_terminal (stage), ==, i >= 5);
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (pipeline), 7));
  g_assert_cmpstr (lk_pipeline_get_won_id (pipeline), ==, "won");
  g_assert_cmpstr (lk_pipeline_get_lost_id (pipeline), ==, "lost");
  g_assert_null (lk_pipeline_lookup (pipeline, "bogus"));
  g_assert_null (lk_pipeline_lookup (pipeline, NULL));
  g_assert_cmpint (lk_pipeline_get_position (pipeline, "bogus"), ==, -1);
  g_assert_nonnull (lk_pipeline_get_lost_reasons ()[0]);
}

static void
test_neighbour (void)
{
  g_autoptr(LkPipeline) pipeline = lk_pipeline_new_default ();

  g_assert_cmpstr (lk_stage_get_id (lk_pipeline_get_neighbour (pipeline, "new", 1)), ==, "assigned");
  g_assert_cmpstr (lk_stage_get_id (lk_pipeline_get_neighbour (pipeline, "contacted", -1)), ==, "assigned");
  g_assert_cmpstr (lk_stage_get_id (lk_pipeline_get_neighbour (pipeline, "proposal", 1)), ==, "won");
  g_assert_cmpstr (lk_stage_get_id (lk_pipeline_get_neighbour (pipeline, "won", 1)), ==, "lost");
  g_assert_cmpstr (lk_stage_get_id (lk_pipeline_get_neighbour (pipeline, "lost", -1)), ==, "won");
  g_assert_null (lk_pipeline_get_neighbour (pipeline, "new", -1));
  g_assert_null (lk_pipeline_get_neighbour (pipeline, "lost", 1));
  g_assert_null (lk_pipeline_get_neighbour (pipeline, "bogus", 1));
  g_assert_null (lk_pipeline_get_neighbour (pipeline, NULL, 1));
}

static void
test_check_move (void)
{
  g_autoptr(LkPipeline) pipeline = lk_pipeline_new_default ();
  g_autoptr(GError) error = NULL;
  gboolean reopen = TRUE;

  g_assert_true (lk_pipeline_check_move (pipeline, NULL, "new", NULL, &reopen, &error));
  g_assert_no_error (error);
  g_assert_false (reopen);
  g_assert_true (lk_pipeline_check_move (pipeline, "new", "won", NULL, &reopen, &error));
  g_assert_false (reopen);

  /* Lost needs a reason that is not blank */
  g_assert_false (lk_pipeline_check_move (pipeline, "proposal", "lost", NULL, &reopen, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_GATE);
  g_clear_error (&error);
  g_assert_false (lk_pipeline_check_move (pipeline, "proposal", "lost", " \t\u3000", NULL, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_GATE);
  g_clear_error (&error);
  g_assert_true (lk_pipeline_check_move (pipeline, "proposal", "lost", "No budget", &reopen, &error));
  g_assert_no_error (error);
  g_assert_false (reopen);

  /* Leaving Won or Lost is a reopen */
  g_assert_true (lk_pipeline_check_move (pipeline, "won", "proposal", NULL, &reopen, &error));
  g_assert_true (reopen);
  g_assert_true (lk_pipeline_check_move (pipeline, "lost", "new", NULL, &reopen, &error));
  g_assert_true (reopen);
  g_assert_true (lk_pipeline_check_move (pipeline, "won", "lost", "Cancelled", &reopen, &error));
  g_assert_true (reopen);
  g_assert_true (lk_pipeline_check_move (pipeline, "qualified", "proposal", NULL, &reopen, &error));
  g_assert_false (reopen);

  /* Unknown stages list the valid ones */
  g_assert_false (lk_pipeline_check_move (pipeline, "new", "bogus", NULL, &reopen, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "bogus"));
  g_assert_nonnull (strstr (error->message, default_ids));
}

static void
test_gate_lost (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) created = lk_test_create_lead (db->store, "company", "Acme", "stage", "proposal", NULL);
  const char *id = lk_record_get_id (LK_RECORD (created));
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(LkLead) edited = NULL;
  g_autoptr(LkStageChange) change = NULL;
  g_autoptr(GError) error = NULL;

  /* Without a reason, or with a blank one: refused, nothing written */
  g_assert_false (lk_store_move_lead (db->store, id, "lost", NULL, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_GATE);
  g_clear_error (&error);
  g_assert_false (lk_store_move_lead (db->store, id, "lost", "   ", &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_GATE);
  g_clear_error (&error);
  edited = reload (db->store, id);
  lk_record_set_string (LK_RECORD (edited), LK_LEAD_STAGE, "lost");
  g_assert_false (lk_store_update_lead (db->store, edited, NULL, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_GATE);
  g_clear_error (&error);
  lead = reload (db->store, id);
  g_assert_cmpstr (lk_lead_get_stage (lead), ==, "proposal");
  g_assert_cmpuint (n_changes (db->store, id), ==, 1);
  g_assert_cmpint (lk_store_count_outbox (db->store, NULL), ==, 2);

  /* With a reason: on the lead and on the stage change */
  lk_clock_advance_ms (db->clock, LK_TEST_HOUR_MS);
  g_assert_true (lk_store_move_lead (db->store, id, "lost", "Chose a competitor", &error));
  g_assert_no_error (error);
  g_clear_object (&lead);
  lead = reload (db->store, id);
  g_assert_cmpstr (lk_lead_get_stage (lead), ==, "lost");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_LOST_REASON), ==, "Chose a competitor");
  g_assert_cmpint (lk_record_get_int (LK_RECORD (lead), LK_LEAD_STAGE_ENTERED_AT), ==,
                   LK_TEST_NOW_MS + LK_TEST_HOUR_MS);
  change = last_change (db->store, id);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (change), LK_STAGE_CHANGE_FROM), ==, "proposal");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (change), LK_STAGE_CHANGE_TO), ==, "lost");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (change), LK_STAGE_CHANGE_REASON), ==, "Chose a competitor");
  g_assert_false (lk_record_get_bool (LK_RECORD (change), LK_STAGE_CHANGE_REOPEN));

  /* The editor's way: the reason set on the lead itself */
  {
    g_autoptr(LkLead) other = lk_test_create_lead (db->store, "company", "Other", NULL);
    g_autoptr(LkLead) read = NULL;
    g_autoptr(LkStageChange) other_change = NULL;

    lk_record_set_string (LK_RECORD (other), LK_LEAD_STAGE, "lost");
    lk_record_set_string (LK_RECORD (other), LK_LEAD_LOST_REASON, "No budget");
    g_assert_true (lk_store_update_lead (db->store, other, NULL, &error));
    g_assert_no_error (error);
    read = reload (db->store, lk_record_get_id (LK_RECORD (other)));
    g_assert_cmpstr (lk_record_get_string (LK_RECORD (read), LK_LEAD_LOST_REASON), ==, "No budget");
    other_change = last_change (db->store, lk_record_get_id (LK_RECORD (other)));
    g_assert_cmpstr (lk_record_get_string (LK_RECORD (other_change), LK_STAGE_CHANGE_REASON), ==, "No budget");
  }

  /* Created directly in Lost: needs the reason too */
  {
    g_autoptr(LkLead) lost = lk_test_lead_new ("company", "Lost Cause", "stage", "lost", NULL);
    g_autoptr(LkStageChange) lost_change = NULL;

    g_assert_false (lk_store_create_lead (db->store, lost, &error));
    g_assert_error (error, LK_ERROR, LK_ERROR_GATE);
    g_clear_error (&error);
    lk_record_set_string (LK_RECORD (lost), LK_LEAD_LOST_REASON, "Duplicate lead");
    g_assert_true (lk_store_create_lead (db->store, lost, &error));
    g_assert_no_error (error);
    lost_change = last_change (db->store, lk_record_get_id (LK_RECORD (lost)));
    g_assert_cmpstr (lk_record_get_string (LK_RECORD (lost_change), LK_STAGE_CHANGE_TO), ==, "lost");
    g_assert_cmpstr (lk_record_get_string (LK_RECORD (lost_change), LK_STAGE_CHANGE_REASON), ==, "Duplicate lead");
  }
}

static void
test_reopen (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) created = lk_test_create_lead (db->store, "company", "Acme", "stage", "proposal", NULL);
  const char *id = lk_record_get_id (LK_RECORD (created));
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(LkStageChange) change = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_store_move_lead (db->store, id, "lost", "No response", &error));
  g_assert_no_error (error);

  /* Lost → Qualified: a reopen, and the lost reason goes */
  lk_clock_advance_ms (db->clock, LK_TEST_DAY_MS);
  g_assert_true (lk_store_move_lead (db->store, id, "qualified", NULL, &error));
  g_assert_no_error (error);
  lead = reload (db->store, id);
  g_assert_cmpstr (lk_lead_get_stage (lead), ==, "qualified");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_LOST_REASON), ==, "");
  change = last_change (db->store, id);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (change), LK_STAGE_CHANGE_FROM), ==, "lost");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (change), LK_STAGE_CHANGE_TO), ==, "qualified");
  g_assert_true (lk_record_get_bool (LK_RECORD (change), LK_STAGE_CHANGE_REOPEN));
  g_assert_cmpint (lk_record_get_int (LK_RECORD (change), LK_STAGE_CHANGE_AT), ==, LK_TEST_NOW_MS + LK_TEST_DAY_MS);
  /* No reason was given for the reopen: the old lost reason is not one */
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (change), LK_STAGE_CHANGE_REASON), ==, "");

  /* Qualified → Won is no reopen; Won → Proposal is */
  g_assert_true (lk_store_move_lead (db->store, id, "won", NULL, &error));
  g_clear_object (&change);
  change = last_change (db->store, id);
  g_assert_false (lk_record_get_bool (LK_RECORD (change), LK_STAGE_CHANGE_REOPEN));
  g_assert_true (lk_store_move_lead (db->store, id, "proposal", "Contract cancelled", &error));
  g_assert_no_error (error);
  g_clear_object (&change);
  change = last_change (db->store, id);
  g_assert_true (lk_record_get_bool (LK_RECORD (change), LK_STAGE_CHANGE_REOPEN));
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (change), LK_STAGE_CHANGE_REASON), ==, "Contract cancelled");

  /* Lost → Won with the editor (lost reason still on the lead object) */
  g_assert_true (lk_store_move_lead (db->store, id, "lost", "Price too high", &error));
  g_clear_object (&lead);
  lead = reload (db->store, id);
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_STAGE, "won");
  g_assert_true (lk_store_update_lead (db->store, lead, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&lead);
  lead = reload (db->store, id);
  g_assert_cmpstr (lk_lead_get_stage (lead), ==, "won");
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (lead), LK_LEAD_LOST_REASON), ==, "");
  g_clear_object (&change);
  change = last_change (db->store, id);
  g_assert_true (lk_record_get_bool (LK_RECORD (change), LK_STAGE_CHANGE_REOPEN));
  g_assert_cmpuint (n_changes (db->store, id), ==, 7);
}

static void
test_unknown_stage (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLead) created = lk_test_create_lead (db->store, "company", "Acme", NULL);
  const char *id = lk_record_get_id (LK_RECORD (created));
  g_autoptr(LkLead) lead = reload (db->store, id);
  g_autoptr(LkLead) fresh = lk_test_lead_new ("company", "Fresh", "stage", "negotiation", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (lk_store_move_lead (db->store, id, "negotiation", NULL, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "negotiation"));
  g_assert_nonnull (strstr (error->message, default_ids));
  g_clear_error (&error);

  lk_record_set_string (LK_RECORD (lead), LK_LEAD_STAGE, "negotiation");
  g_assert_false (lk_store_update_lead (db->store, lead, NULL, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, default_ids));
  g_clear_error (&error);

  g_assert_false (lk_store_create_lead (db->store, fresh, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, default_ids));

  g_assert_cmpuint (n_changes (db->store, id), ==, 1);
  g_assert_cmpint (lk_store_count_leads (db->store, NULL), ==, 1);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_dup_object (json_parser_get_root (parser));
}

static char *
to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

static void
test_json_round_trip (void)
{
  g_autoptr(LkPipeline) pipeline = lk_pipeline_new_default ();
  g_autoptr(JsonObject) json = lk_pipeline_to_json (pipeline);
  g_autoptr(LkPipeline) copy = NULL;
  g_autoptr(JsonObject) json2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL, *text2 = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (pipeline));

  copy = lk_pipeline_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_nonnull (copy);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (copy)), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LkStage) a = g_list_model_get_item (G_LIST_MODEL (pipeline), i);
      g_autoptr(LkStage) b = g_list_model_get_item (G_LIST_MODEL (copy), i);

      g_assert_cmpstr (lk_stage_get_id (a), ==, lk_stage_get_id (b));
      g_assert_cmpstr (lk_stage_get_name (a), ==, lk_stage_get_name (b));
      g_assert_cmpstr (lk_stage_get_color (a), ==, lk_stage_get_color (b));
      g_assert_cmpint (lk_stage_get_kind (a), ==, lk_stage_get_kind (b));
      g_assert_cmpuint (lk_stage_get_probability (a), ==, lk_stage_get_probability (b));
      g_assert_cmpuint (lk_stage_get_days_to_rot (a), ==, lk_stage_get_days_to_rot (b));
    }
  json2 = lk_pipeline_to_json (copy);
  text = to_string (json);
  text2 = to_string (json2);
  g_assert_cmpstr (text, ==, text2);
  /* The stored names are the untranslated ones */
  g_assert_nonnull (strstr (text, "\"name\":\"Contacted\""));
  g_assert_nonnull (strstr (text, "\"kind\":\"won\""));
}

static void
test_json_custom (void)
{
  g_autoptr(JsonObject) json = parse_object ("{\"stages\":["
                                             "{\"id\":\"inbox\",\"name\":\"Inbox\",\"probability\":3},"
                                             "{\"id\":\"demo\",\"name\":\"Demo booked\",\"probability\":35,"
                                             "\"days_to_rot\":5,\"color\":\"#123456\"},"
                                             "{\"id\":\"signed\",\"name\":\"Signed\",\"kind\":\"won\",\"probability\":100},"
                                             "{\"id\":\"dropped\",\"kind\":\"lost\"}]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(LkPipeline) pipeline = lk_pipeline_new_from_json (json, &error);
  g_autoptr(LkTestDb) db = NULL;
  g_autoptr(LkLead) lead = NULL;
  LkStage *demo;

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pipeline)), ==, 4);
  demo = lk_pipeline_lookup (pipeline, "demo");
  g_assert_nonnull (demo);
  g_assert_cmpstr (lk_stage_get_color (demo), ==, "#123456");
  g_assert_cmpuint (lk_stage_get_probability (demo), ==, 35);
  g_assert_cmpuint (lk_stage_get_days_to_rot (demo), ==, 5);
  g_assert_cmpstr (lk_pipeline_get_won_id (pipeline), ==, "signed");
  g_assert_cmpstr (lk_pipeline_get_lost_id (pipeline), ==, "dropped");
  /* A stage without a name is named by its id */
  g_assert_nonnull (lk_stage_get_name (lk_pipeline_lookup (pipeline, "dropped")));

  /* The store follows the pipeline it is given: its own Lost gate */
  db = lk_test_db_new ();
  lk_store_set_pipeline (db->store, pipeline);
  lead = lk_test_create_lead (db->store, "company", "Acme", "stage", "inbox", NULL);
  g_assert_false (lk_store_move_lead (db->store, lk_record_get_id (LK_RECORD (lead)), "dropped", NULL, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_GATE);
  g_clear_error (&error);
  g_assert_false (lk_store_move_lead (db->store, lk_record_get_id (LK_RECORD (lead)), "won", NULL, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "inbox, demo, signed, dropped"));
  g_clear_error (&error);
  g_assert_true (lk_store_move_lead (db->store, lk_record_get_id (LK_RECORD (lead)), "signed", NULL, &error));
  g_assert_no_error (error);
}

static void
test_json_invalid (void)
{
  static const char * const invalid[] = {
    "{}",
    "{\"stages\":{}}",
    "{\"stages\":\"new,won,lost\"}",
    "{\"stages\":[]}",
    /* no Won */
    "{\"stages\":[{\"id\":\"a\"},{\"id\":\"z\",\"kind\":\"lost\"}]}",
    /* two Lost */
    "{\"stages\":[{\"id\":\"w\",\"kind\":\"won\"},{\"id\":\"l\",\"kind\":\"lost\"},{\"id\":\"l2\",\"kind\":\"lost\"}]}",
    /* duplicate ids */
    "{\"stages\":[{\"id\":\"a\"},{\"id\":\"a\"},{\"id\":\"w\",\"kind\":\"won\"},{\"id\":\"l\",\"kind\":\"lost\"}]}",
    /* a stage without id, with an empty id, with a number for id, not an object */
    "{\"stages\":[{\"name\":\"x\"},{\"id\":\"w\",\"kind\":\"won\"},{\"id\":\"l\",\"kind\":\"lost\"}]}",
    "{\"stages\":[{\"id\":\"\"},{\"id\":\"w\",\"kind\":\"won\"},{\"id\":\"l\",\"kind\":\"lost\"}]}",
    "{\"stages\":[{\"id\":7},{\"id\":\"w\",\"kind\":\"won\"},{\"id\":\"l\",\"kind\":\"lost\"}]}",
    "{\"stages\":[\"new\",{\"id\":\"w\",\"kind\":\"won\"},{\"id\":\"l\",\"kind\":\"lost\"}]}",
    NULL
  };

  for (guint i = 0; invalid[i]; i++)
    {
      g_autoptr(JsonObject) json = parse_object (invalid[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(LkPipeline) pipeline = NULL;

      g_test_message ("%s", invalid[i]);
      pipeline = lk_pipeline_new_from_json (json, &error);
      g_assert_null (pipeline);
      g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
      g_assert_cmpstr (error->message, !=, "");
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/pipeline/default-stages", test_default_stages);
  g_test_add_func ("/pipeline/neighbour", test_neighbour);
  g_test_add_func ("/pipeline/check-move", test_check_move);
  g_test_add_func ("/pipeline/gate/lost", test_gate_lost);
  g_test_add_func ("/pipeline/gate/reopen", test_reopen);
  g_test_add_func ("/pipeline/gate/unknown-stage", test_unknown_stage);
  g_test_add_func ("/pipeline/json/round-trip", test_json_round_trip);
  g_test_add_func ("/pipeline/json/custom", test_json_custom);
  g_test_add_func ("/pipeline/json/invalid", test_json_invalid);

  return g_test_run ();
}
