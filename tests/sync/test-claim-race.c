/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-claim-race"

#include "lk-activity.h"
#include "lk-pool.h"
#include "lk-store-rules.h"
#include "lk-store-sync.h"
#include "lk-sync-client.h"
#include "lk-test-server.h"
#include "lk-test-util.h"

/* The pool's claim race (issue 5): two reps claim the same pool lead
 * while offline, then both sync with the real pouchdb-server. The merge
 * decides: the first claim to reach the server wins on every desktop,
 * the other rep's claim becomes a conflict on the owner (what the app
 * tells them about), and nothing either of them wrote is lost. */

static LkTestServer *server;

#define SECOND_REP          "wangfang"
#define SECOND_REP_PASSWORD "wangfang-secret"

typedef struct
{
  LkTestDb     *db;
  LkSyncClient *client;
  char         *user_id;
} Desk;

static void
desk_free (Desk *desk)
{
  g_clear_object (&desk->client);
  lk_test_db_free (desk->db);
  g_free (desk->user_id);
  g_free (desk);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Desk, desk_free)

static Desk *
desk_new (const char *url,
          const char *user,
          const char *password)
{
  Desk *desk = g_new0 (Desk, 1);

  desk->user_id = g_strconcat ("user:", user, NULL);
  desk->db = lk_test_db_new ();
  lk_store_set_user_id (desk->db->store, desk->user_id);
  desk->client = lk_sync_client_new (desk->db->store);
  lk_sync_client_set_url (desk->client, url);
  lk_sync_client_set_user (desk->client, user);
  lk_sync_client_set_password (desk->client, password);
  return desk;
}

static LkSyncReport
desk_sync (Desk *desk)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  LkSyncReport report = { 0 };

  lk_sync_client_run_async (desk->client, NULL, lk_test_async_result_cb, &result);
  lk_test_wait_async (&result);
  lk_sync_client_run_finish (desk->client, result, &report, &error);
  g_assert_no_error (error);
  g_test_message ("%s synced: pushed %u, pulled %u, merged %u, conflicts %u, rejected %u",
                  desk->user_id, report.pushed, report.pulled, report.merged,
                  report.conflicts, report.rejected);
  return report;
}

static char *
owner_of (Desk       *desk,
          const char *lead_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) lead = lk_store_get_lead (desk->db->store, lead_id, &error);

  g_assert_no_error (error);
  return g_strdup (lk_lead_get_owner (lead));
}

static void
claim (Desk       *desk,
       const char *lead_id)
{
  g_autoptr(GError) error = NULL;
  LkPool *pool = lk_store_get_pool (desk->db->store, &error);

  g_assert_no_error (error);
  g_assert_true (lk_pool_claim (pool, desk->db->store, lead_id, desk->user_id, &error));
  g_assert_no_error (error);
}

/* The claims recorded on @desk's timeline of the lead, as "by>to". */
static GStrv
claims_on (Desk       *desk,
           const char *lead_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) activities = lk_store_list_activities (desk->db->store, lead_id, &error);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_assert_no_error (error);
  for (guint i = 0; i < activities->len; i++)
    {
      LkRecord *activity = g_ptr_array_index (activities, i);

      if (g_strcmp0 (lk_record_get_string (activity, LK_ACTIVITY_KIND), "assignment") == 0 &&
          g_strcmp0 (lk_record_get_string (activity, LK_ACTIVITY_REASON), "claim") == 0)
        {
          g_autofree char *entry = g_strdup_printf ("%s>%s",
                                                    lk_record_get_string (activity, LK_ACTIVITY_BY),
                                                    lk_record_get_string (activity, LK_ACTIVITY_OWNER_TO));
          g_strv_builder_add (builder, entry);
        }
    }
  return g_strv_builder_end (builder);
}

/* The open conflicts of @desk on the owner of @lead_id. */
static GPtrArray *
owner_conflicts (Desk       *desk,
                 const char *lead_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = lk_store_list_conflicts (desk->db->store, &error);
  GPtrArray *owner = g_ptr_array_new_with_free_func ((GDestroyNotify) lk_sync_conflict_free);

  g_assert_no_error (error);
  for (guint i = 0; i < conflicts->len; i++)
    {
      LkSyncConflict *conflict = g_ptr_array_index (conflicts, i);

      if (g_strcmp0 (conflict->doc_id, lead_id) == 0 && g_strcmp0 (conflict->field, "owner") == 0)
        g_ptr_array_add (owner, g_steal_pointer (&conflicts->pdata[i]));
    }
  return owner;
}

static void
assert_claims (Desk               *desk,
               const char         *lead_id,
               const char * const *expected)
{
  g_auto(GStrv) claims = claims_on (desk, lead_id);

  g_assert_cmpuint (g_strv_length (claims), ==, g_strv_length ((GStrv) expected));
  for (guint i = 0; expected[i] != NULL; i++)
    g_assert_true (g_strv_contains ((const char * const *) claims, expected[i]));
}

/* @first reaches the server before @second. */
static void
race (gboolean first_is_default_rep)
{
  g_autofree char *url = lk_test_server_new_database (server, "claim-race");
  g_autoptr(Desk) manager = desk_new (url, lk_test_server_get_manager_user (server),
                                      lk_test_server_get_manager_password (server));
  g_autoptr(Desk) rep = desk_new (url, lk_test_server_get_rep_user (server),
                                  lk_test_server_get_rep_password (server));
  g_autoptr(Desk) other = desk_new (url, SECOND_REP, SECOND_REP_PASSWORD);
  Desk *first = first_is_default_rep ? rep : other;
  Desk *second = first_is_default_rep ? other : rep;
  g_autoptr(LkLead) lead = lk_test_create_lead (manager->db->store, "company", "上海精密机械",
                                                "contact", "陈静", NULL);
  const char *id = lk_record_get_id (LK_RECORD (lead));
  g_autofree char *first_claim = NULL;
  g_autofree char *second_claim = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autofree char *owner = NULL;
  LkSyncConflict *conflict;
  LkSyncReport report;
  Desk *desks[] = { manager, rep, other };

  /* The lead is in the pool on every desktop. */
  g_assert_null (lk_lead_get_owner (lead));
  desk_sync (manager);
  desk_sync (rep);
  desk_sync (other);
  for (guint i = 0; i < G_N_ELEMENTS (desks); i++)
    {
      owner = owner_of (desks[i], id);
      g_assert_null (owner);
    }

  /* Both claim it offline: each sees it as theirs. */
  claim (first, id);
  claim (second, id);
  owner = owner_of (first, id);
  g_assert_cmpstr (owner, ==, first->user_id);
  g_clear_pointer (&owner, g_free);
  owner = owner_of (second, id);
  g_assert_cmpstr (owner, ==, second->user_id);
  g_clear_pointer (&owner, g_free);

  report = desk_sync (first);
  g_assert_cmpuint (report.conflicts, ==, 0);
  g_assert_cmpuint (report.rejected, ==, 0);
  report = desk_sync (second);
  /* The loser is told: the owner is a conflict on their desktop. The
   * server's validate_doc_update may refuse the stale claim first (a rep
   * cannot take a lead another rep owns); the pull then merges it. */
  g_assert_cmpuint (report.conflicts, ==, 1);
  g_assert_cmpuint (report.rejected, <=, 1);
  report = desk_sync (first);
  g_assert_cmpuint (report.conflicts + report.rejected, ==, 0);
  report = desk_sync (manager);
  g_assert_cmpuint (report.conflicts + report.rejected, ==, 0);
  report = desk_sync (second);
  g_assert_cmpuint (report.conflicts + report.rejected, ==, 0);

  /* Exactly one owner, the same everywhere: whoever reached the server first. */
  for (guint i = 0; i < G_N_ELEMENTS (desks); i++)
    {
      owner = owner_of (desks[i], id);
      g_assert_cmpstr (owner, ==, first->user_id);
      g_clear_pointer (&owner, g_free);
    }

  conflicts = owner_conflicts (second, id);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = g_ptr_array_index (conflicts, 0);
  g_assert_cmpint (conflict->kind, ==, LK_CONFLICT_FIELD);
  g_assert_cmpstr (conflict->base, ==, "null");
  second_claim = g_strdup_printf ("\"%s\"", second->user_id);
  first_claim = g_strdup_printf ("\"%s\"", first->user_id);
  g_assert_cmpstr (conflict->mine, ==, second_claim);
  g_assert_cmpstr (conflict->theirs, ==, first_claim);
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  conflicts = owner_conflicts (first, id);
  g_assert_cmpuint (conflicts->len, ==, 0);
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  conflicts = owner_conflicts (manager, id);
  g_assert_cmpuint (conflicts->len, ==, 0);

  /* Nothing lost: both claims stay on the lead's timeline everywhere,
   * and nothing waits to be pushed. */
  {
    g_autofree char *a = g_strdup_printf ("%s>%s", first->user_id, first->user_id);
    g_autofree char *b = g_strdup_printf ("%s>%s", second->user_id, second->user_id);
    const char * const expected[] = { a, b, NULL };

    for (guint i = 0; i < G_N_ELEMENTS (desks); i++)
      {
        assert_claims (desks[i], id, expected);
        g_assert_cmpint (lk_store_count_outbox (desks[i]->db->store, NULL), ==, 0);
      }
  }

  /* Keeping theirs settles it for the loser, and the lead stays the winner's. */
  {
    g_autoptr(GPtrArray) open = owner_conflicts (second, id);
    g_autoptr(GError) error = NULL;

    g_assert_true (lk_store_resolve_conflict (second->db->store,
                                              ((LkSyncConflict *) g_ptr_array_index (open, 0))->id,
                                              FALSE, &error));
    g_assert_no_error (error);
    desk_sync (second);
    desk_sync (first);
    owner = owner_of (second, id);
    g_assert_cmpstr (owner, ==, first->user_id);
    g_clear_pointer (&owner, g_free);
    owner = owner_of (first, id);
    g_assert_cmpstr (owner, ==, first->user_id);
  }
}

static void
test_claim_race (void)
{
  race (TRUE);
}

static void
test_claim_race_other_first (void)
{
  race (FALSE);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  const char * const roles[] = { "leadkeeper", NULL };
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  server = lk_test_server_start (&error);
  g_assert_no_error (error);
  lk_test_server_add_user (server, SECOND_REP, SECOND_REP_PASSWORD, roles);

  g_test_add_func ("/claim-race/first-wins", test_claim_race);
  g_test_add_func ("/claim-race/other-first-wins", test_claim_race_other_first);

  status = g_test_run ();
  lk_test_server_stop (server);
  return status;
}
