/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "lk-server-setup.h"
#include "lk-sync-client.h"
#include "lk-test-server.h"

/* "Prepare server database" against pouchdb-server: what it creates, that
 * it keeps what exists, the errors it gives, and the guard it installs
 * (validate_doc_update), driven by raw HTTP as other programs write. */

typedef struct
{
  gboolean              ok;
  LkServerSetupChanges  changes;
  char                 *epoch;
  GError               *error;
} Prepared;

static void
prepared_clear (Prepared *prepared)
{
  g_clear_pointer (&prepared->epoch, g_free);
  g_clear_error (&prepared->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Prepared, prepared_clear)

static void
prepare (Prepared   *prepared,
         const char *url,
         const char *user,
         const char *password,
         gboolean    allow_insecure)
{
  g_autoptr(GAsyncResult) result = NULL;

  lk_server_setup_prepare_async (url, user, password, allow_insecure, NULL,
                                 lk_test_async_result_cb, &result);
  lk_test_wait_async (&result);
  prepared->ok = lk_server_setup_prepare_finish_full (result, &prepared->changes,
                                                      &prepared->epoch, &prepared->error);
  g_assert_true (prepared->ok == (prepared->error == NULL));
  if (prepared->error != NULL)
    g_test_message ("error: %s", prepared->error->message);
}

/* The URL of a database nobody made */
static char *
fresh_url (LkTestServer *server,
           const char   *name)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strdup_printf ("%s/%s-%s", lk_test_server_get_url (server), name, uuid);
}

/* GET @path as the admin; asserts the status; the reply object */
static JsonObject *
admin_get (LkTestServer *server,
           const char   *path,
           guint         expected_status)
{
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  reply = lk_test_server_request (server, "GET", path,
                                  lk_test_server_get_admin_user (server),
                                  lk_test_server_get_admin_password (server),
                                  NULL, &status);
  g_assert_cmpuint (status, ==, expected_status);
  g_assert_nonnull (reply);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply));
  return json_object_ref (json_node_get_object (reply));
}

/* A request as @user (one of "admin", "manager", "rep"); returns the
 * status and, in @error_name, the reply's "error" member. */
static guint
request_as (LkTestServer  *server,
            const char    *user,
            const char    *method,
            const char    *path,
            const char    *body,
            char         **error_name,
            char         **rev)
{
  g_autoptr(JsonNode) reply = NULL;
  const char *password = NULL;
  JsonObject *object;
  guint status = 0;

  if (g_strcmp0 (user, lk_test_server_get_admin_user (server)) == 0)
    password = lk_test_server_get_admin_password (server);
  else if (g_strcmp0 (user, lk_test_server_get_manager_user (server)) == 0)
    password = lk_test_server_get_manager_password (server);
  else if (g_strcmp0 (user, lk_test_server_get_rep_user (server)) == 0)
    password = lk_test_server_get_rep_password (server);
  else
    g_assert_not_reached ();

  reply = lk_test_server_request (server, method, path, user, password, body, &status);
  object = reply && JSON_NODE_HOLDS_OBJECT (reply) ? json_node_get_object (reply) : NULL;
  if (error_name != NULL)
    *error_name = g_strdup (object ? json_object_get_string_member_with_default (object, "error", NULL) : NULL);
  if (rev != NULL)
    *rev = g_strdup (object ? json_object_get_string_member_with_default (object, "rev", NULL) : NULL);
  return status;
}

static gboolean
has_string (JsonArray  *array,
            const char *value)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
      return TRUE;
  return FALSE;
}

static JsonArray *
roles_of (JsonObject *security,
          const char *section)
{
  JsonObject *object = json_object_get_object_member (security, section);

  g_assert_nonnull (object);
  return json_object_get_array_member (object, "roles");
}

/* The path of a database URL: "/name" */
static const char *
db_path (LkTestServer *server,
         const char   *url)
{
  g_assert_true (g_str_has_prefix (url, lk_test_server_get_url (server)));
  return url + strlen (lk_test_server_get_url (server));
}

/* A version-1 lead as another program writes it, with @owner ("null"
 * or a quoted id) and @extra members (JSON text, starting with a comma,
 * or ""). */
static char *
lead_json (const char *owner,
           const char *extra)
{
  return g_strdup_printf ("{\"type\":\"lead\",\"schema\":1,\"code\":\"XS2024001\",\"company\":\"华东机电\","
                          "\"contact\":\"王芳\",\"budget\":5000000,\"amount\":0,\"currency\":\"CNY\","
                          "\"grade\":\"A\",\"score\":80,\"temperature\":\"hot\","
                          "\"bant\":{\"budget\":true,\"authority\":false,\"need\":true,\"timeline\":false},"
                          "\"mql\":true,\"sql\":false,\"tags\":[\"展会\",\"2024\"],\"owner\":%s,"
                          "\"assigned_at\":null,\"stage\":\"new\",\"stage_entered_at\":1715767200000,"
                          "\"lost_reason\":\"\",\"next_followup_at\":null,\"first_contacted_at\":null,"
                          "\"last_contacted_at\":null,\"consent\":true,\"do_not_contact\":false,\"notes\":\"\","
                          "\"created_at\":1715767200000,\"created_by\":\"user:rep\","
                          "\"updated_at\":1715767200000,\"updated_by\":\"user:rep\"%s}",
                          owner, extra);
}

static char *
with_rev (const char *json,
          const char *rev)
{
  g_assert_true (json[0] == '{');
  return g_strdup_printf ("{\"_rev\":\"%s\",%s", rev, json + 1);
}

static char *
new_lead_path (const char *db)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strdup_printf ("%s/lead:%s", db, uuid);
}

/* Creates a lead as @user; returns its rev */
static char *
create_lead (LkTestServer *server,
             const char   *user,
             const char   *path,
             const char   *owner)
{
  g_autofree char *body = lead_json (owner, "");
  g_autofree char *error_name = NULL;
  char *rev = NULL;

  g_assert_cmpuint (request_as (server, user, "PUT", path, body, &error_name, &rev), ==, 201);
  g_assert_null (error_name);
  g_assert_nonnull (rev);
  return rev;
}

static void
test_prepare_creates_everything (gconstpointer data)
{
  LkTestServer *server = (LkTestServer *) data;
  g_autofree char *url = fresh_url (server, "fresh");
  g_autofree char *epoch_path = NULL;
  g_autofree char *security_path = NULL;
  g_autofree char *design_path = NULL;
  g_autoptr(JsonObject) info = NULL;
  g_autoptr(JsonObject) marker = NULL;
  g_autoptr(JsonObject) security = NULL;
  g_autoptr(JsonObject) design = NULL;
  g_auto(Prepared) prepared = { 0 };
  g_auto(Prepared) again = { 0 };
  const char *code;

  prepare (&prepared, url, lk_test_server_get_admin_user (server),
           lk_test_server_get_admin_password (server), FALSE);
  g_assert_no_error (prepared.error);
  g_assert_cmpint (prepared.changes, ==, LK_SERVER_SETUP_CREATED_DATABASE | LK_SERVER_SETUP_WROTE_EPOCH |
                                         LK_SERVER_SETUP_WROTE_SECURITY | LK_SERVER_SETUP_WROTE_DESIGN);
  g_assert_true (g_uuid_string_is_valid (prepared.epoch));

  info = admin_get (server, db_path (server, url), 200);
  g_assert_cmpstr (json_object_get_string_member (info, "db_name"), ==, db_path (server, url) + 1);

  epoch_path = g_strconcat (db_path (server, url), "/_local/leadkeeper-epoch", NULL);
  marker = admin_get (server, epoch_path, 200);
  g_assert_cmpstr (json_object_get_string_member (marker, "epoch"), ==, prepared.epoch);

  security_path = g_strconcat (db_path (server, url), "/_security", NULL);
  security = admin_get (server, security_path, 200);
  g_assert_true (has_string (roles_of (security, "members"), "leadkeeper"));
  g_assert_true (has_string (roles_of (security, "admins"), "manager"));

  design_path = g_strconcat (db_path (server, url), "/_design/leadkeeper", NULL);
  design = admin_get (server, design_path, 200);
  code = json_object_get_string_member (design, "validate_doc_update");
  g_assert_true (g_str_has_prefix (code, "function"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (design, "leadkeeper"), "version"), >=, 1);

  /* Again: nothing changes, the epoch stays */
  prepare (&again, url, lk_test_server_get_admin_user (server),
           lk_test_server_get_admin_password (server), FALSE);
  g_assert_no_error (again.error);
  g_assert_cmpint (again.changes, ==, 0);
  g_assert_cmpstr (again.epoch, ==, prepared.epoch);
  g_clear_pointer (&marker, json_object_unref);
  marker = admin_get (server, epoch_path, 200);
  g_assert_cmpstr (json_object_get_string_member (marker, "epoch"), ==, prepared.epoch);
}

/* What an administrator added to _security stays; only our missing roles
 * are added. */
static void
test_prepare_keeps_security (gconstpointer data)
{
  LkTestServer *server = (LkTestServer *) data;
  g_autofree char *url = lk_test_server_new_database (server, "security");
  g_autofree char *path = g_strconcat (db_path (server, url), "/_security", NULL);
  g_autoptr(JsonObject) security = NULL;
  g_auto(Prepared) prepared = { 0 };

  g_assert_cmpuint (request_as (server, "admin", "PUT", path,
                                "{\"members\":{\"names\":[\"auditor\"],\"roles\":[\"sales\"]},"
                                "\"admins\":{\"names\":[],\"roles\":[\"manager\"]}}",
                                NULL, NULL), ==, 200);
  prepare (&prepared, url, lk_test_server_get_admin_user (server),
           lk_test_server_get_admin_password (server), FALSE);
  g_assert_no_error (prepared.error);
  g_assert_cmpint (prepared.changes, ==, LK_SERVER_SETUP_WROTE_SECURITY);

  security = admin_get (server, path, 200);
  g_assert_true (has_string (roles_of (security, "members"), "sales"));
  g_assert_true (has_string (roles_of (security, "members"), "leadkeeper"));
  g_assert_true (has_string (json_object_get_array_member (json_object_get_object_member (security, "members"), "names"),
                             "auditor"));
  g_assert_true (has_string (roles_of (security, "admins"), "manager"));
}

/* An older or edited design document is replaced; a newer one is kept. */
static void
test_prepare_updates_design (gconstpointer data)
{
  LkTestServer *server = (LkTestServer *) data;
  g_autofree char *url = lk_test_server_new_database (server, "design");
  g_autofree char *path = g_strconcat (db_path (server, url), "/_design/leadkeeper", NULL);
  g_autoptr(JsonObject) design = NULL;
  g_autofree char *body = NULL;
  g_auto(Prepared) edited = { 0 };
  g_auto(Prepared) newer = { 0 };

  /* Edited by hand, same version */
  design = admin_get (server, path, 200);
  body = g_strdup_printf ("{\"_rev\":\"%s\",\"leadkeeper\":{\"version\":%" G_GINT64_FORMAT "},"
                          "\"validate_doc_update\":\"function (newDoc) {}\"}",
                          json_object_get_string_member (design, "_rev"),
                          json_object_get_int_member (json_object_get_object_member (design, "leadkeeper"), "version"));
  g_assert_cmpuint (request_as (server, "admin", "PUT", path, body, NULL, NULL), ==, 201);
  prepare (&edited, url, lk_test_server_get_admin_user (server),
           lk_test_server_get_admin_password (server), FALSE);
  g_assert_no_error (edited.error);
  g_assert_cmpint (edited.changes, ==, LK_SERVER_SETUP_WROTE_DESIGN);
  g_clear_pointer (&design, json_object_unref);
  design = admin_get (server, path, 200);
  g_assert_true (strstr (json_object_get_string_member (design, "validate_doc_update"), "manager") != NULL);

  /* A newer Leadkeeper's */
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"_rev\":\"%s\",\"leadkeeper\":{\"version\":1000},"
                          "\"validate_doc_update\":\"function (newDoc) {}\"}",
                          json_object_get_string_member (design, "_rev"));
  g_assert_cmpuint (request_as (server, "admin", "PUT", path, body, NULL, NULL), ==, 201);
  prepare (&newer, url, lk_test_server_get_admin_user (server),
           lk_test_server_get_admin_password (server), FALSE);
  g_assert_no_error (newer.error);
  g_assert_cmpint (newer.changes, ==, 0);
  g_clear_pointer (&design, json_object_unref);
  design = admin_get (server, path, 200);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (design, "leadkeeper"), "version"), ==, 1000);
}

static void
test_validate_rejects_malformed (gconstpointer data)
{
  LkTestServer *server = (LkTestServer *) data;
  g_autofree char *url = lk_test_server_new_database (server, "malformed");
  const char *db = db_path (server, url);
  static const char * const bad_extras[] = {
    ",\"amount\":\"12.50\"",          /* a string amount */
    ",\"amount\":12.5",               /* not in minor units */
    ",\"budget\":-1",
    ",\"tags\":\"展会\"",              /* not a list */
    ",\"tags\":[1]",
    ",\"mql\":\"yes\"",
    ",\"bant\":{\"need\":1}",
    ",\"next_followup_at\":\"tomorrow\"",
    ",\"schema\":\"1\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad_extras); i++)
    {
      g_autofree char *path = new_lead_path (db);
      g_autofree char *body = lead_json ("null", bad_extras[i]);
      g_autofree char *error_name = NULL;

      /* A duplicate key: the later one wins in the server's parser */
      g_assert_cmpuint (request_as (server, "rep", "PUT", path, body, &error_name, NULL), ==, 403);
      g_assert_cmpstr (error_name, ==, "forbidden");
    }

  /* Strings where strings belong */
  {
    g_autofree char *path = new_lead_path (db);
    g_autofree char *error_name = NULL;

    g_assert_cmpuint (request_as (server, "rep", "PUT", path,
                                  "{\"type\":\"lead\",\"company\":42}", &error_name, NULL), ==, 403);
    g_assert_cmpstr (error_name, ==, "forbidden");
  }
  /* No type, or not a string; a lead id with another type */
  {
    g_autofree char *path = g_strconcat (db, "/settings:board", NULL);
    g_autofree char *lead_path = new_lead_path (db);
    g_autofree char *error_name = NULL;

    g_assert_cmpuint (request_as (server, "rep", "PUT", path, "{\"columns\":3}", &error_name, NULL), ==, 403);
    g_assert_cmpstr (error_name, ==, "forbidden");
    g_clear_pointer (&error_name, g_free);
    g_assert_cmpuint (request_as (server, "rep", "PUT", path, "{\"type\":7}", &error_name, NULL), ==, 403);
    g_assert_cmpstr (error_name, ==, "forbidden");
    g_clear_pointer (&error_name, g_free);
    g_assert_cmpuint (request_as (server, "rep", "PUT", lead_path, "{\"type\":\"activity\"}", &error_name, NULL), ==, 403);
    g_assert_cmpstr (error_name, ==, "forbidden");
    g_clear_pointer (&error_name, g_free);
    g_assert_cmpuint (request_as (server, "rep", "PUT", path, "{\"type\":\"settings\",\"columns\":3}",
                                  &error_name, NULL), ==, 201);
    g_assert_null (error_name);
  }
  /* A complete lead, and a minimal one (missing fields get defaults) */
  {
    g_autofree char *path = new_lead_path (db);
    g_autofree char *minimal_path = new_lead_path (db);
    g_autofree char *error_name = NULL;
    g_autofree char *rev = create_lead (server, "rep", path, "\"user:rep\"");

    g_assert_cmpuint (request_as (server, "rep", "PUT", minimal_path, "{\"type\":\"lead\",\"company\":\"Acme\"}",
                                  &error_name, NULL), ==, 201);
    g_assert_null (error_name);
  }
}

/* In _bulk_docs the guard answers per document, inside a 201 answer. */
static void
test_validate_bulk_docs (gconstpointer data)
{
  LkTestServer *server = (LkTestServer *) data;
  g_autofree char *url = lk_test_server_new_database (server, "bulk");
  g_autofree char *path = g_strconcat (db_path (server, url), "/_bulk_docs", NULL);
  g_autofree char *good = lead_json ("\"user:rep\"", ",\"_id\":\"lead:good\"");
  g_autofree char *bad = lead_json ("\"user:rep\"", ",\"_id\":\"lead:bad\",\"amount\":\"many\"");
  g_autofree char *body = g_strdup_printf ("{\"docs\":[%s,%s]}", good, bad);
  g_autoptr(JsonNode) reply = NULL;
  JsonArray *results;
  guint status = 0;

  reply = lk_test_server_request (server, "POST", path, lk_test_server_get_rep_user (server),
                                  lk_test_server_get_rep_password (server), body, &status);
  g_assert_cmpuint (status, ==, 201);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (reply));
  results = json_node_get_array (reply);
  g_assert_cmpuint (json_array_get_length (results), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);
      const char *id = json_object_get_string_member (result, "id");

      if (g_str_equal (id, "lead:good"))
        g_assert_false (json_object_has_member (result, "error"));
      else
        {
          g_assert_cmpstr (id, ==, "lead:bad");
          g_assert_cmpstr (json_object_get_string_member (result, "error"), ==, "forbidden");
        }
    }
}

static void
test_validate_delete (gconstpointer data)
{
  LkTestServer *server = (LkTestServer *) data;
  g_autofree char *url = lk_test_server_new_database (server, "delete");
  g_autofree char *path = new_lead_path (db_path (server, url));
  g_autofree char *rev = create_lead (server, "rep", path, "\"user:rep\"");
  g_autofree char *delete_path = g_strdup_printf ("%s?rev=%s", path, rev);
  g_autofree char *error_name = NULL;
  g_autofree char *tombstone = g_strdup_printf ("{\"_rev\":\"%s\",\"_deleted\":true}", rev);
  g_autoptr(JsonObject) still = NULL;

  /* Refused to a rep: by DELETE and by a _deleted stub alike */
  g_assert_cmpuint (request_as (server, "rep", "DELETE", delete_path, NULL, &error_name, NULL), ==, 403);
  g_assert_cmpstr (error_name, ==, "forbidden");
  g_clear_pointer (&error_name, g_free);
  g_assert_cmpuint (request_as (server, "rep", "PUT", path, tombstone, &error_name, NULL), ==, 403);
  g_assert_cmpstr (error_name, ==, "forbidden");
  g_clear_pointer (&error_name, g_free);
  still = admin_get (server, path, 200);

  /* A manager may */
  g_assert_cmpuint (request_as (server, "manager", "DELETE", delete_path, NULL, &error_name, NULL), ==, 200);
  g_assert_null (error_name);
  g_clear_pointer (&still, json_object_unref);
  still = admin_get (server, path, 404);
  g_assert_cmpstr (json_object_get_string_member (still, "error"), ==, "not_found");
}

static void
test_validate_owner (gconstpointer data)
{
  LkTestServer *server = (LkTestServer *) data;
  g_autofree char *url = lk_test_server_new_database (server, "owner");
  const char *db = db_path (server, url);
  g_autofree char *owned_path = new_lead_path (db);
  g_autofree char *pool_path = new_lead_path (db);
  g_autofree char *owned_rev = create_lead (server, "manager", owned_path, "\"user:manager\"");
  g_autofree char *pool_rev = create_lead (server, "manager", pool_path, "null");
  g_autofree char *error_name = NULL;
  g_autofree char *rev = NULL;

  /* A rep takes a lead that belongs to someone else: refused */
  {
    g_autofree char *lead = lead_json ("\"user:rep\"", "");
    g_autofree char *body = with_rev (lead, owned_rev);

    g_assert_cmpuint (request_as (server, "rep", "PUT", owned_path, body, &error_name, NULL), ==, 403);
    g_assert_cmpstr (error_name, ==, "forbidden");
    g_clear_pointer (&error_name, g_free);
  }
  /* … and releases it to the pool: refused */
  {
    g_autofree char *lead = lead_json ("null", "");
    g_autofree char *body = with_rev (lead, owned_rev);

    g_assert_cmpuint (request_as (server, "rep", "PUT", owned_path, body, &error_name, NULL), ==, 403);
    g_assert_cmpstr (error_name, ==, "forbidden");
    g_clear_pointer (&error_name, g_free);
  }
  /* … but may edit it, keeping the owner */
  {
    g_autofree char *lead = lead_json ("\"user:manager\"", ",\"notes\":\"called\"");
    g_autofree char *body = with_rev (lead, owned_rev);

    g_assert_cmpuint (request_as (server, "rep", "PUT", owned_path, body, &error_name, &rev), ==, 201);
    g_assert_null (error_name);
    g_free (owned_rev);
    owned_rev = g_steal_pointer (&rev);
  }
  /* A manager reassigns it */
  {
    g_autofree char *lead = lead_json ("\"user:rep\"", "");
    g_autofree char *body = with_rev (lead, owned_rev);

    g_assert_cmpuint (request_as (server, "manager", "PUT", owned_path, body, &error_name, &rev), ==, 201);
    g_assert_null (error_name);
    g_free (owned_rev);
    owned_rev = g_steal_pointer (&rev);
  }
  /* Now it is the rep's: they may hand it on */
  {
    g_autofree char *lead = lead_json ("\"user:manager\"", "");
    g_autofree char *body = with_rev (lead, owned_rev);

    g_assert_cmpuint (request_as (server, "rep", "PUT", owned_path, body, &error_name, NULL), ==, 201);
    g_assert_null (error_name);
  }
  /* An unowned lead: a rep may not give it to someone else… */
  {
    g_autofree char *lead = lead_json ("\"user:manager\"", "");
    g_autofree char *body = with_rev (lead, pool_rev);

    g_assert_cmpuint (request_as (server, "rep", "PUT", pool_path, body, &error_name, NULL), ==, 403);
    g_assert_cmpstr (error_name, ==, "forbidden");
    g_clear_pointer (&error_name, g_free);
  }
  /* … but may claim it */
  {
    g_autofree char *lead = lead_json ("\"user:rep\"", "");
    g_autofree char *body = with_rev (lead, pool_rev);

    g_assert_cmpuint (request_as (server, "rep", "PUT", pool_path, body, &error_name, NULL), ==, 201);
    g_assert_null (error_name);
  }
}

/* The guard's own document is the admins' */
static void
test_design_is_admins (gconstpointer data)
{
  LkTestServer *server = (LkTestServer *) data;
  g_autofree char *url = lk_test_server_new_database (server, "guard");
  g_autofree char *path = g_strconcat (db_path (server, url), "/_design/mine", NULL);
  g_autofree char *error_name = NULL;
  g_autoptr(JsonObject) missing = NULL;
  guint status;

  status = request_as (server, "rep", "PUT", path, "{\"validate_doc_update\":\"function () {}\"}", &error_name, NULL);
  g_assert_true (status == 401 || status == 403);
  g_assert_true (g_strcmp0 (error_name, "unauthorized") == 0 || g_strcmp0 (error_name, "forbidden") == 0);
  missing = admin_get (server, path, 404);
}

static void
test_wrong_password (gconstpointer data)
{
  LkTestServer *server = (LkTestServer *) data;
  g_autofree char *url = fresh_url (server, "wrong");
  g_auto(Prepared) prepared = { 0 };
  g_autoptr(JsonObject) missing = NULL;

  prepare (&prepared, url, lk_test_server_get_admin_user (server), "not-the-password", FALSE);
  g_assert_error (prepared.error, LK_SYNC_ERROR, LK_SYNC_ERROR_AUTH);
  g_assert_nonnull (strstr (prepared.error->message, lk_test_server_get_admin_user (server)));
  g_assert_null (strstr (prepared.error->message, "not-the-password"));
  g_assert_cmpint (prepared.changes, ==, 0);
  missing = admin_get (server, db_path (server, url), 404);
}

/* Right password, but not a server admin: a clear refusal, and nothing
 * created (pouchdb-server 4.2 would crash on the PUT). */
static void
test_not_admin (gconstpointer data)
{
  LkTestServer *server = (LkTestServer *) data;
  g_autofree char *url = fresh_url (server, "notadmin");
  g_auto(Prepared) prepared = { 0 };
  g_autoptr(JsonObject) missing = NULL;
  g_autoptr(JsonObject) welcome = NULL;

  prepare (&prepared, url, lk_test_server_get_manager_user (server),
           lk_test_server_get_manager_password (server), FALSE);
  g_assert_error (prepared.error, LK_SYNC_ERROR, LK_SYNC_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (prepared.error->message, lk_test_server_get_manager_user (server)));
  missing = admin_get (server, db_path (server, url), 404);
  welcome = admin_get (server, "/", 200);
}

static void
test_insecure_refused (gconstpointer data)
{
  g_auto(Prepared) refused = { 0 };
  g_auto(Prepared) credentials = { 0 };
  g_auto(Prepared) allowed = { 0 };

  /* .invalid never resolves: a request would fail as OFFLINE */
  prepare (&refused, "http://leadkeeper.invalid/leads", "admin", "secret", FALSE);
  g_assert_error (refused.error, LK_SYNC_ERROR, LK_SYNC_ERROR_INSECURE);
  g_assert_nonnull (strstr (refused.error->message, "https://"));

  prepare (&credentials, "https://admin:secret@leadkeeper.invalid/leads", "admin", "secret", FALSE);
  g_assert_error (credentials.error, LK_SYNC_ERROR, LK_SYNC_ERROR_INSECURE);
  g_assert_null (strstr (credentials.error->message, "secret"));

  /* Allowed explicitly, the request is made (and fails) */
  prepare (&allowed, "http://leadkeeper.invalid/leads", "admin", "secret", TRUE);
  g_assert_error (allowed.error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE);
}

static void
test_bad_urls (gconstpointer data)
{
  LkTestServer *server = (LkTestServer *) data;
  g_autofree char *no_name = g_strconcat (lk_test_server_get_url (server), "/", NULL);
  g_autofree char *upper = g_strconcat (lk_test_server_get_url (server), "/Leads", NULL);
  g_autofree char *system = g_strconcat (lk_test_server_get_url (server), "/_users", NULL);
  const char * const urls[] = { no_name, upper, system, "leads", "ftp://127.0.0.1/leads",
                                "http://127.0.0.1:5984/leads?x=1" };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_auto(Prepared) prepared = { 0 };

      prepare (&prepared, urls[i], lk_test_server_get_admin_user (server),
               lk_test_server_get_admin_password (server), FALSE);
      g_assert_error (prepared.error, LK_SYNC_ERROR, LK_SYNC_ERROR_NO_DATABASE);
    }
}

static void
test_offline (gconstpointer data)
{
  g_auto(Prepared) prepared = { 0 };
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *url = NULL;

  /* A port that is bound but not listening refuses connections */
  g_assert_true (g_socket_bind (socket, any_port, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  url = g_strdup_printf ("http://127.0.0.1:%u/leads",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  prepare (&prepared, url, "admin", "secret", FALSE);
  g_assert_error (prepared.error, LK_SYNC_ERROR, LK_SYNC_ERROR_OFFLINE);
}

static void
test_cancelled (gconstpointer data)
{
  LkTestServer *server = (LkTestServer *) data;
  g_autofree char *url = fresh_url (server, "cancelled");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  lk_server_setup_prepare_async (url, lk_test_server_get_admin_user (server),
                                 lk_test_server_get_admin_password (server), FALSE, cancellable,
                                 lk_test_async_result_cb, &result);
  lk_test_wait_async (&result);
  g_assert_false (lk_server_setup_prepare_finish (result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(LkTestServer) server = NULL;
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  server = lk_test_server_start (&error);
  g_assert_no_error (error);

  g_test_add_data_func ("/server-setup/prepare/creates-everything", server, test_prepare_creates_everything);
  g_test_add_data_func ("/server-setup/prepare/keeps-security", server, test_prepare_keeps_security);
  g_test_add_data_func ("/server-setup/prepare/updates-design", server, test_prepare_updates_design);
  g_test_add_data_func ("/server-setup/validate/malformed", server, test_validate_rejects_malformed);
  g_test_add_data_func ("/server-setup/validate/bulk-docs", server, test_validate_bulk_docs);
  g_test_add_data_func ("/server-setup/validate/delete", server, test_validate_delete);
  g_test_add_data_func ("/server-setup/validate/owner", server, test_validate_owner);
  g_test_add_data_func ("/server-setup/validate/design-is-admins", server, test_design_is_admins);
  g_test_add_data_func ("/server-setup/errors/wrong-password", server, test_wrong_password);
  g_test_add_data_func ("/server-setup/errors/not-admin", server, test_not_admin);
  g_test_add_data_func ("/server-setup/errors/insecure", server, test_insecure_refused);
  g_test_add_data_func ("/server-setup/errors/bad-urls", server, test_bad_urls);
  g_test_add_data_func ("/server-setup/errors/offline", server, test_offline);
  g_test_add_data_func ("/server-setup/errors/cancelled", server, test_cancelled);

  return g_test_run ();
}
