/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sync benchmark (run on demand, not part of the test command):
 *   _build/tests/bench/bench-sync [N_LEADS]      (default 100,000)
 * or meson test -C _build --benchmark bench-sync -v. Like the sync suite it
 * needs node and tests/server's packages (`npm ci` there).
 *
 * In one run, against the pouchdb-server the sync suite's harness starts
 * (tests/sync/lk-test-server.c, in memory on a free loopback port):
 *   1. the server database is seeded with N_LEADS version-1 lead documents
 *      by raw _bulk_docs requests, as another program would write them;
 *   2. LkSyncClient pulls them into an empty database (one sync run);
 *   3. the same database is pulled (a) by PouchDB's own replicator
 *      (pouchdb-replicate.js, pouchdb from the same lockfile, leveldb) and
 *      (b) as a bare download of _changes?include_docs=true in pages of
 *      500 that does nothing with the documents;
 *   4. 10,000 leads are edited offline through the store's normal write
 *      path and pushed by one sync run;
 *   5. one edit on one desktop reaches a second desktop holding the same
 *      N_LEADS leads: both sync runs timed, five times.
 * Targets (issue 4): at least 3x faster than PouchDB, within 2x of the bare
 * download, an incremental change synced in < 300 ms. Prints a table. */
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <locale.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/resource.h>

#include "lk-context.h"
#include "lk-store-sync.h"
#include "lk-sync-client.h"
#include "lk-test-server.h"
#include "lk-bench-leads.h"

#define SEED_BATCH      2500   /* documents per _bulk_docs request of the seeding */
/* The page sizes of LkSyncClient's pull: an incremental pull, and the
 * bulk pull into an empty database. The bare download is timed with
 * both, and the faster counts. */
#define PAGE_SIZE       500
#define BULK_PAGE_SIZE  5000
#define N_EDITS         10000
#define N_INCREMENTAL   5

typedef struct
{
  /* Owned */
  LkTestServer *server;
  SoupSession  *session;
  char         *dir;        /* the local databases and PouchDB's replica */
  char         *db_url;
  char         *admin_auth;
  char         *manager_auth;
  GPtrArray    *ids;        /* the lead ids, in the order they were made */

  guint         n_leads;
} Bench;

typedef struct
{
  char        what[64];
  const char *stat;
  char        measured[32];
  char        target[32];
  const char *verdict;      /* "ok", "MISS" or "" when there is no target */
} Row;

/* --- Documents ---------------------------------------------------------- */


/* --- HTTP, as another program ------------------------------------------- */

static char *
basic_auth (const char *user,
            const char *password)
{
  g_autofree char *pair = g_strconcat (user, ":", password, NULL);
  g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));

  return g_strconcat ("Basic ", encoded, NULL);
}

/* One blocking request; dies when it is not answered. */
static GBytes *
request (Bench      *bench,
         const char *method,
         const char *url,
         const char *authorization,
         GBytes     *body,
         guint      *status)
{
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);
  GBytes *reply;

  soup_message_headers_replace (headers, "Accept", "application/json");
  soup_message_headers_replace (headers, "Authorization", authorization);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (message, "application/json", body);
  reply = soup_session_send_and_read (bench->session, message, NULL, &error);
  if (reply == NULL)
    g_error ("%s %s: %s", method, url, error->message);
  *status = soup_message_get_status (message);
  return reply;
}

static JsonNode *
parse (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  if (!json_parser_load_from_data (parser, data, (gssize) size, NULL))
    g_error ("Not JSON: %.*s", (int) MIN (size, 300), data);
  return json_parser_steal_root (parser);
}

static gint64
server_doc_count (Bench *bench)
{
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonNode) root = NULL;
  guint status = 0;

  reply = request (bench, "GET", bench->db_url, bench->admin_auth, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  root = parse (reply);
  return json_object_get_int_member (json_node_get_object (root), "doc_count");
}

/* 1. The server database gets N_LEADS leads by _bulk_docs, SEED_BATCH at a
 * time, written by the server admin. Returns the seconds it took. */
static double
seed (Bench *bench)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240601);
  g_autofree char *url = g_strconcat (bench->db_url, "/_bulk_docs", NULL);
  gint64 now = g_get_real_time () / 1000;
  gint64 start = g_get_monotonic_time ();

  for (guint first = 0; first < bench->n_leads; first += SEED_BATCH)
    {
      g_autoptr(GString) body = g_string_new ("{\"docs\":[");
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GBytes) reply = NULL;
      g_autoptr(JsonNode) root = NULL;
      guint last = MIN (first + SEED_BATCH, bench->n_leads);
      guint status = 0;
      JsonArray *results;

      for (guint i = first; i < last; i++)
        {
          char *id = lk_bench_lead_id (rand);

          g_ptr_array_add (bench->ids, id);
          if (i > first)
            g_string_append_c (body, ',');
          lk_bench_append_lead (body, rand, i, id, NULL, now);
        }
      g_string_append (body, "]}");
      bytes = g_string_free_to_bytes (g_steal_pointer (&body));
      reply = request (bench, "POST", url, bench->admin_auth, bytes, &status);
      if (status != 201)
        g_error ("_bulk_docs answered %u: %.*s", status, (int) MIN (g_bytes_get_size (reply), 500),
                 (const char *) g_bytes_get_data (reply, NULL));
      root = parse (reply);
      results = json_node_get_array (root);
      g_assert_cmpuint (json_array_get_length (results), ==, last - first);
      for (guint i = 0; i < json_array_get_length (results); i++)
        {
          JsonObject *result = json_array_get_object_element (results, i);

          if (json_object_has_member (result, "error"))
            g_error ("The server refused %s: %s", json_object_get_string_member_with_default (result, "id", "?"),
                     json_object_get_string_member_with_default (result, "reason", "?"));
        }
    }
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* The last_seq of a _changes page, raw, found from the end of the body
 * without parsing it; NULL when there is none. */
static char *
find_last_seq (GBytes *reply)
{
  static const char key[] = "\"last_seq\":";
  gsize size = 0;
  const char *data = g_bytes_get_data (reply, &size);
  const char *found = NULL;
  const char *end;

  for (gsize back = sizeof key - 1; back <= MIN (size, 4096) && found == NULL; back++)
    if (memcmp (data + size - back, key, sizeof key - 1) == 0)
      found = data + size - back + sizeof key - 1;
  if (found == NULL)
    return NULL;
  for (end = found; end < data + size && *end != ',' && *end != '}'; end++)
    ;
  return g_strstrip (g_strndup (found, end - found));
}

/* 3b. _changes with the documents, in pages of @page_size, the same
 * request as LkSyncClient's, doing nothing with them but follow last_seq. */
static double
bare_download (Bench  *bench,
               guint   page_size,
               guint  *n_changes,
               gsize  *n_bytes)
{
  g_autofree char *since = NULL;
  gint64 start = g_get_monotonic_time ();

  *n_changes = 0;
  *n_bytes = 0;
  for (;;)
    {
      g_autoptr(GString) url = g_string_new (bench->db_url);
      g_autoptr(GBytes) reply = NULL;
      g_autofree char *last_seq = NULL;
      const char *data;
      gsize size = 0;
      guint status = 0;

      g_string_append_printf (url, "/_changes?style=main_only&include_docs=true&conflicts=true&limit=%u", page_size);
      if (since != NULL)
        {
          g_autofree char *bare = g_strdup (since[0] == '"' ? since + 1 : since);
          g_autofree char *escaped = NULL;

          if (since[0] == '"')
            bare[strlen (bare) - 1] = '\0';
          escaped = g_uri_escape_string (bare, NULL, FALSE);
          g_string_append_printf (url, "&since=%s", escaped);
        }
      reply = request (bench, "GET", url->str, bench->manager_auth, NULL, &status);
      g_assert_cmpuint (status, ==, 200);
      data = g_bytes_get_data (reply, &size);
      *n_bytes += size;
      /* A count to check the download against, not a parse. */
      for (const char *p = data; (p = g_strstr_len (p, data + size - p, "\"changes\":[")) != NULL; p++)
        (*n_changes)++;
      last_seq = find_last_seq (reply);
      if (last_seq == NULL)
        g_error ("_changes answered without last_seq: %.*s", (int) MIN (size, 300), data);
      if (since != NULL && g_str_equal (since, last_seq))
        break;
      g_free (since);
      since = g_steal_pointer (&last_seq);
    }
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* User and system time of this process (both threads), in seconds. */
static double
cpu_seconds (void)
{
  struct rusage usage;

  if (getrusage (RUSAGE_SELF, &usage) != 0)
    return 0;
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / (double) G_USEC_PER_SEC;
}

/* --- PouchDB ------------------------------------------------------------ */

typedef struct
{
  double  seconds;       /* what the script measured: the replication alone */
  double  wall_seconds;  /* with node's start */
  gint64  doc_count;
  gint64  docs_written;
  gint64  max_rss_kb;
} PouchRun;

static const char *
server_dir (void)
{
  const char *dir = g_getenv ("LEADKEEPER_TEST_SERVER_DIR");

  return dir != NULL && dir[0] != '\0' ? dir : LK_TEST_SERVER_DIR;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_remove (path);
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  g_rmdir (path);
}

/* 3a. PouchDB's replicator pulls the database into a new leveldb database,
 * as the manager. */
static PouchRun
pouchdb_replicate (Bench *bench)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *node = g_find_program_in_path ("node");
  g_autofree char *script = g_build_filename (LK_BENCH_DIR, "pouchdb-replicate.js", NULL);
  g_autofree char *folder = g_build_filename (bench->dir, "pouchdb", NULL);
  g_autofree char *out = NULL;
  g_autoptr(GBytes) bytes = NULL;
  JsonObject *result;
  PouchRun run = { 0 };
  gint64 start;

  if (node == NULL)
    node = g_find_program_in_path ("nodejs");
  if (node == NULL)
    g_error ("node is not installed: run 'build-aux/deps --test'");
  g_mkdir_with_parents (folder, 0700);
  g_subprocess_launcher_setenv (launcher, "LEADKEEPER_BENCH_PASSWORD",
                                lk_test_server_get_manager_password (bench->server), TRUE);
  start = g_get_monotonic_time ();
  process = g_subprocess_launcher_spawn (launcher, &error, node, script, server_dir (), bench->db_url,
                                         lk_test_server_get_manager_user (bench->server), folder, NULL);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error))
    g_error ("%s: %s", script, error->message);
  run.wall_seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  if (!g_subprocess_get_successful (process))
    g_error ("%s failed (its error is above)", script);
  bytes = g_bytes_new (out, strlen (out));
  root = parse (bytes);
  result = json_node_get_object (root);
  run.seconds = json_object_get_double_member (result, "ms") / 1000.0;
  run.doc_count = json_object_get_int_member (result, "doc_count");
  run.docs_written = json_object_get_int_member (result, "docs_written");
  run.max_rss_kb = json_object_get_int_member (result, "max_rss_kb");
  remove_tree (folder);
  return run;
}

/* --- The desktops --------------------------------------------------------- */

static LkSyncClient *
client_new (Bench      *bench,
            LkStore    *store,
            const char *user,
            const char *password)
{
  LkSyncClient *client = lk_sync_client_new (store);
  g_autofree char *user_id = g_strconcat ("user:", user, NULL);

  lk_store_set_user_id (store, user_id);
  lk_sync_client_set_url (client, bench->db_url);
  lk_sync_client_set_user (client, user);
  lk_sync_client_set_password (client, password);
  return client;
}

/* One sync run; dies when it fails. Returns the seconds it took. */
static double
sync_run (LkSyncClient *client,
          LkSyncReport *report)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  double seconds;

  *report = (LkSyncReport) { 0 };
  lk_sync_client_run_async (client, NULL, lk_test_async_result_cb, &result);
  lk_test_wait_async (&result);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  if (!lk_sync_client_run_finish (client, result, report, &error))
    g_error ("The sync run failed: %s", error->message);
  return seconds;
}

/* Edits one field of each lead, one save at a time, as a user does. */
static void
edit_leads (LkStore    *store,
            GPtrArray  *ids,
            guint       first,
            guint       n,
            const char *text)
{
  for (guint i = first; i < first + n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LkLead) lead = lk_store_get_lead (store, g_ptr_array_index (ids, i), &error);
      g_autofree char *note = NULL;

      if (lead == NULL)
        g_error ("Lead %s: %s", (const char *) g_ptr_array_index (ids, i), error ? error->message : "missing");
      note = g_strdup_printf ("%s %u", text, i);
      lk_record_set_string (LK_RECORD (lead), LK_LEAD_NOTES, note);
      if (!lk_store_update_lead (store, lead, NULL, &error))
        g_error ("Saving lead %s: %s", (const char *) g_ptr_array_index (ids, i), error->message);
    }
}

static char *
lead_notes (LkStore    *store,
            const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) lead = lk_store_get_lead (store, id, &error);

  g_assert_no_error (error);
  return g_strdup (lk_record_get_string (LK_RECORD (lead), LK_LEAD_NOTES));
}

/* A second desktop that has synced everything the first has: a consistent
 * copy of its database (the WAL included). */
static void
copy_database (const char *from,
               const char *to)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_open_v2 (from, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "VACUUM INTO ?", -1, &stmt, NULL) != SQLITE_OK)
    g_error ("Copying %s: %s", from, sqlite3_errmsg (db));
  sqlite3_bind_text (stmt, 1, to, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    g_error ("Copying %s to %s: %s", from, to, sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* --- The table ------------------------------------------------------------ */

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static Row *
add_row (GArray     *rows,
         const char *what,
         const char *stat)
{
  Row row = { .stat = stat, .verdict = "" };

  g_strlcpy (row.what, what, sizeof row.what);
  g_array_append_val (rows, row);
  return &g_array_index (rows, Row, rows->len - 1);
}

static void
print_table (GArray *rows)
{
  g_print ("| %-40s | %-6s | %14s | %10s | %-4s |\n", "measure", "stat", "measured", "target", "");
  g_print ("|------------------------------------------|--------|----------------|------------|------|\n");
  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = &g_array_index (rows, Row, i);

      g_print ("| %-40s | %-6s | %14s | %10s | %-4s |\n", row->what, row->stat, row->measured, row->target,
               row->verdict);
    }
  g_print ("\n");
}

/* Bytes this process has had written to disk so far (Linux), or -1 */
static gint64
written_bytes (void)
{
  g_autofree char *io = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/io", &io, NULL, NULL) || (line = strstr (io, "\nwrite_bytes: ")) == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen ("\nwrite_bytes: "), NULL, 10);
}

static double
file_mb (const char *path,
         const char *suffix)
{
  g_autofree char *name = g_strconcat (path, suffix, NULL);
  GStatBuf buf;

  return g_stat (name, &buf) == 0 ? buf.st_size / 1048576.0 : 0;
}

static double
peak_rss_mb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

int
main (int    argc,
      char **argv)
{
  Bench bench = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_autoptr(GArray) a_runs = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) b_runs = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(LkContext) context_a = NULL;
  g_autoptr(LkContext) context_b = NULL;
  g_autoptr(LkSyncClient) client_a = NULL;
  g_autoptr(LkSyncClient) client_b = NULL;
  g_autofree char *path_a = NULL;
  g_autofree char *path_b = NULL;
  LkSyncReport report;
  LkStore *store_a, *store_b;
  double cpu_s, index_s;
  double seed_s, ours_s, bare_s, bare2_s, edit_s, push_s;
  guint n_changes = 0, n_changes2 = 0;
  gsize n_bytes = 0, n_bytes2 = 0;
  gint64 server_count, start, written;
  double db_mb;
  guint n_edits;
  char what[64];
  PouchRun pouch;
  Row *row;

  setlocale (LC_ALL, "");
  bench.n_leads = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  if (bench.n_leads < 2 * N_INCREMENTAL)
    g_error ("Give at least %u leads", 2 * N_INCREMENTAL);
  /* 10,000 edits, or half the leads of a small run */
  n_edits = MIN (N_EDITS, bench.n_leads / 2);
  bench.ids = g_ptr_array_new_with_free_func (g_free);
  bench.dir = g_dir_make_tmp ("lk-bench-sync-XXXXXX", &error);
  g_assert_no_error (error);
  path_a = g_build_filename (bench.dir, "desktop-a.db", NULL);
  path_b = g_build_filename (bench.dir, "desktop-b.db", NULL);

  bench.server = lk_test_server_start (&error);
  if (bench.server == NULL)
    g_error ("%s", error->message);
  bench.session = soup_session_new ();
  bench.db_url = lk_test_server_new_database (bench.server, "bench");
  bench.admin_auth = basic_auth (lk_test_server_get_admin_user (bench.server),
                                 lk_test_server_get_admin_password (bench.server));
  bench.manager_auth = basic_auth (lk_test_server_get_manager_user (bench.server),
                                   lk_test_server_get_manager_password (bench.server));

  /* 1. The server's leads */
  g_print ("Seeding %s with %u leads…\n", bench.db_url, bench.n_leads);
  seed_s = seed (&bench);
  server_count = server_doc_count (&bench);
  g_print ("  %.1f s (%.0f docs/s); the database holds %" G_GINT64_FORMAT " documents\n",
           seed_s, bench.n_leads / seed_s, server_count);

  /* 3b first: it also warms the server up, so the pulls after it are
   * timed against the same server; it runs again at the end and the
   * faster of the two counts. */
  g_print ("Bare _changes download…\n");
  bare_s = bare_download (&bench, PAGE_SIZE, &n_changes, &n_bytes);
  g_print ("  pages of %u: %.2f s, %u changes, %.1f MB\n", PAGE_SIZE, bare_s, n_changes, n_bytes / 1048576.0);
  bare2_s = bare_download (&bench, BULK_PAGE_SIZE, &n_changes2, &n_bytes2);
  g_print ("  pages of %u: %.2f s, %u changes\n", BULK_PAGE_SIZE, bare2_s, n_changes2);
  g_assert_cmpuint (n_changes2, ==, n_changes);
  bare_s = MIN (bare_s, bare2_s);

  /* 2. Our initial pull */
  g_print ("LkSyncClient initial pull…\n");
  context_a = lk_context_new (path_a, NULL, &error);
  g_assert_no_error (error);
  store_a = lk_context_get_store (context_a);
  client_a = client_new (&bench, store_a, lk_test_server_get_manager_user (bench.server),
                         lk_test_server_get_manager_password (bench.server));
  written = written_bytes ();
  cpu_s = cpu_seconds ();
  ours_s = sync_run (client_a, &report);
  cpu_s = cpu_seconds () - cpu_s;
  if (written >= 0)
    written = written_bytes () - written;
  db_mb = file_mb (path_a, "") + file_mb (path_a, "-wal");
  g_print ("  %.2f s (%.2f s of CPU in this process), pulled %u, skipped %u; database %.0f MB, %.0f MB written to disk\n",
           ours_s, cpu_s, report.pulled, report.skipped, db_mb, written / 1048576.0);
  g_assert_cmpuint (report.pulled, ==, bench.n_leads);
  g_assert_cmpuint (report.skipped, ==, 0);
  g_assert_cmpint (lk_store_count_leads (store_a, NULL), ==, bench.n_leads);
  /* The search indexing a bulk pull leaves to the background. */
  start = g_get_monotonic_time ();
  while (lk_store_get_search_pending (store_a))
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  index_s = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_print ("  indexes and search index complete %.2f s after the run\n", index_s);
  /* LEADKEEPER_BENCH_PULL_ONLY=1: stop after our pull (for profiling it). */
  if (g_strcmp0 (g_getenv ("LEADKEEPER_BENCH_PULL_ONLY"), "1") == 0)
    {
      g_print ("  (LEADKEEPER_BENCH_PULL_ONLY: stopping here; ours / bare %.2fx)\n", ours_s / bare_s);
      g_clear_object (&client_a);
      g_clear_object (&context_a);
      lk_test_server_stop (bench.server);
      g_clear_object (&bench.session);
      remove_tree (bench.dir);
      g_free (bench.dir);
      g_free (bench.db_url);
      g_free (bench.admin_auth);
      g_free (bench.manager_auth);
      g_ptr_array_unref (bench.ids);
      return 0;
    }

  /* 3a. PouchDB */
  g_print ("PouchDB replicate…\n");
  pouch = pouchdb_replicate (&bench);
  g_print ("  %.2f s (%.2f s with node's start), %" G_GINT64_FORMAT " documents written, %" G_GINT64_FORMAT
           " in its database\n", pouch.seconds, pouch.wall_seconds, pouch.docs_written, pouch.doc_count);
  if (pouch.doc_count != server_count)
    g_error ("PouchDB's replica holds %" G_GINT64_FORMAT " documents, the server %" G_GINT64_FORMAT,
             pouch.doc_count, server_count);

  g_print ("Bare _changes download again…\n");
  bare2_s = bare_download (&bench, PAGE_SIZE, &n_changes2, &n_bytes2);
  g_print ("  pages of %u: %.2f s\n", PAGE_SIZE, bare2_s);
  bare_s = MIN (bare_s, bare2_s);
  g_assert_cmpuint (n_changes2, ==, server_count);
  bare2_s = bare_download (&bench, BULK_PAGE_SIZE, &n_changes2, &n_bytes2);
  g_print ("  pages of %u: %.2f s\n", BULK_PAGE_SIZE, bare2_s);
  g_assert_cmpuint (n_changes, ==, server_count);
  g_assert_cmpuint (n_changes2, ==, server_count);
  bare_s = MIN (bare_s, bare2_s);

  /* 4. Offline edits and their push */
  g_print ("Editing %u leads…\n", n_edits);
  start = g_get_monotonic_time ();
  edit_leads (store_a, bench.ids, 0, n_edits, "已电话沟通，等待报价");
  edit_s = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_assert_cmpint (lk_store_count_outbox (store_a, NULL), ==, n_edits);
  g_print ("Pushing them…\n");
  push_s = sync_run (client_a, &report);
  g_print ("  %.2f s, pushed %u, pulled %u, rejected %u\n", push_s, report.pushed, report.pulled, report.rejected);
  g_assert_cmpuint (report.pushed, ==, n_edits);
  g_assert_cmpuint (report.rejected, ==, 0);
  g_assert_cmpint (lk_store_count_outbox (store_a, NULL), ==, 0);

  /* 5. One change on a full database, from desktop A to desktop B */
  copy_database (path_a, path_b);
  context_b = lk_context_new (path_b, NULL, &error);
  g_assert_no_error (error);
  store_b = lk_context_get_store (context_b);
  client_b = client_new (&bench, store_b, lk_test_server_get_rep_user (bench.server),
                         lk_test_server_get_rep_password (bench.server));
  for (guint i = 0; i < N_INCREMENTAL; i++)
    {
      const char *id = g_ptr_array_index (bench.ids, bench.n_leads - 1 - i);
      g_autofree char *expected = NULL;
      g_autofree char *got = NULL;
      double seconds;

      edit_leads (store_a, bench.ids, bench.n_leads - 1 - i, 1, "Incremental");
      expected = lead_notes (store_a, id);
      seconds = sync_run (client_a, &report);
      g_assert_cmpuint (report.pushed, ==, 1);
      g_array_append_val (a_runs, (double) { seconds * 1000 });
      seconds = sync_run (client_b, &report);
      g_assert_cmpuint (report.pulled, ==, 1);
      g_array_append_val (b_runs, (double) { seconds * 1000 });
      got = lead_notes (store_b, id);
      g_assert_cmpstr (got, ==, expected);
    }
  g_array_sort (a_runs, compare_doubles);
  g_array_sort (b_runs, compare_doubles);

  /* The table */
  row = add_row (rows, "seed: raw _bulk_docs (not a target)", "once");
  g_snprintf (row->measured, sizeof row->measured, "%.2f s", seed_s);
  row = add_row (rows, "initial pull: LkSyncClient", "once");
  g_snprintf (row->measured, sizeof row->measured, "%.2f s", ours_s);
  row = add_row (rows, "  then indexes + search in the background", "once");
  g_snprintf (row->measured, sizeof row->measured, "%.2f s", index_s);
  row = add_row (rows, "initial pull: PouchDB replicate", "once");
  g_snprintf (row->measured, sizeof row->measured, "%.2f s", pouch.seconds);
  row = add_row (rows, "initial pull: bare _changes download", "best/4");
  g_snprintf (row->measured, sizeof row->measured, "%.2f s", bare_s);
  row = add_row (rows, "LkSyncClient rows/s", "once");
  g_snprintf (row->measured, sizeof row->measured, "%.0f/s", bench.n_leads / ours_s);
  row = add_row (rows, "PouchDB rows/s", "once");
  g_snprintf (row->measured, sizeof row->measured, "%.0f/s", server_count / pouch.seconds);
  row = add_row (rows, "bare download rows/s", "best/4");
  g_snprintf (row->measured, sizeof row->measured, "%.0f/s", server_count / bare_s);
  row = add_row (rows, "PouchDB time / ours", "ratio");
  g_snprintf (row->measured, sizeof row->measured, "%.2fx", pouch.seconds / ours_s);
  g_snprintf (row->target, sizeof row->target, ">= 3x");
  row->verdict = pouch.seconds / ours_s >= 3 ? "ok" : "MISS";
  row = add_row (rows, "ours / bare download", "ratio");
  g_snprintf (row->measured, sizeof row->measured, "%.2fx", ours_s / bare_s);
  g_snprintf (row->target, sizeof row->target, "<= 2x");
  row->verdict = ours_s / bare_s <= 2 ? "ok" : "MISS";
  row = add_row (rows, "our pull: local database (+ WAL)", "once");
  g_snprintf (row->measured, sizeof row->measured, "%.0f MB", db_mb);
  row = add_row (rows, "our pull: bytes written to disk", "once");
  if (written >= 0)
    g_snprintf (row->measured, sizeof row->measured, "%.0f MB", written / 1048576.0);
  else
    g_snprintf (row->measured, sizeof row->measured, "n/a");
  g_snprintf (what, sizeof what, "%u edits, one save each (store)", n_edits);
  row = add_row (rows, what, "once");
  g_snprintf (row->measured, sizeof row->measured, "%.2f s", edit_s);
  g_snprintf (what, sizeof what, "push of %u edits: one sync run", n_edits);
  row = add_row (rows, what, "once");
  g_snprintf (row->measured, sizeof row->measured, "%.2f s", push_s);
  row = add_row (rows, "push rows/s", "once");
  g_snprintf (row->measured, sizeof row->measured, "%.0f/s", n_edits / push_s);
  row = add_row (rows, "one edit: sync run of its desktop", "median");
  g_snprintf (row->measured, sizeof row->measured, "%.0f ms", g_array_index (a_runs, double, N_INCREMENTAL / 2));
  row = add_row (rows, "one edit: sync run of its desktop", "max/5");
  g_snprintf (row->measured, sizeof row->measured, "%.0f ms", g_array_index (a_runs, double, N_INCREMENTAL - 1));
  g_snprintf (row->target, sizeof row->target, "300 ms");
  row->verdict = g_array_index (a_runs, double, N_INCREMENTAL - 1) < 300 ? "ok" : "MISS";
  row = add_row (rows, "one edit: sync run of another desktop", "median");
  g_snprintf (row->measured, sizeof row->measured, "%.0f ms", g_array_index (b_runs, double, N_INCREMENTAL / 2));
  row = add_row (rows, "one edit: sync run of another desktop", "max/5");
  g_snprintf (row->measured, sizeof row->measured, "%.0f ms", g_array_index (b_runs, double, N_INCREMENTAL - 1));
  g_snprintf (row->target, sizeof row->target, "300 ms");
  row->verdict = g_array_index (b_runs, double, N_INCREMENTAL - 1) < 300 ? "ok" : "MISS";
  row = add_row (rows, "peak RSS of this process (client A+B)", "once");
  g_snprintf (row->measured, sizeof row->measured, "%.0f MB", peak_rss_mb ());
  row = add_row (rows, "peak RSS of PouchDB's node", "once");
  g_snprintf (row->measured, sizeof row->measured, "%.0f MB", pouch.max_rss_kb / 1024.0);

  g_print ("\nLeadkeeper sync benchmark, %u leads against pouchdb-server 4.2 in memory on loopback\n"
           "(%" G_GINT64_FORMAT " documents with the design document; %.1f MB of _changes with the documents)\n\n",
           bench.n_leads, server_count, n_bytes / 1048576.0);
  print_table (rows);

  g_clear_object (&client_a);
  g_clear_object (&client_b);
  g_clear_object (&context_a);
  g_clear_object (&context_b);
  lk_test_server_stop (bench.server);
  g_clear_object (&bench.session);
  remove_tree (bench.dir);
  g_free (bench.dir);
  g_free (bench.db_url);
  g_free (bench.admin_auth);
  g_free (bench.manager_auth);
  g_ptr_array_unref (bench.ids);
  return 0;
}
