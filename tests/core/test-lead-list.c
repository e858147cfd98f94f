/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-lead-list"

#include "lk-lead-list.h"
#include "lk-test-util.h"

/* The lazy list model behind the board's columns and the table: it loads
 * only what is asked for, and tells views exactly which rows changed, so
 * that after every items-changed its items are what the query selects. */

typedef struct
{
  guint position;
  guint removed;
  guint added;
} Change;

typedef struct
{
  LkLeadList *list;
  GArray     *changes;       /* Change */
  gboolean    check_items;   /* compare every item too (loads them) */
  guint       n_checked;
  guint       n_items;       /* the length the signals so far add up to */
} Recorder;

/* The invariant: the list is what a fresh query says, in order. */
static void
assert_matches_query (LkLeadList *list,
                      gboolean    check_items)
{
  g_autoptr(GError) error = NULL;
  LkStore *store = lk_lead_list_get_store (list);
  g_autoptr(GArray) fresh = lk_store_query_rowids (store, lk_lead_list_get_query (list), &error);
  guint n;

  g_assert_no_error (error);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpuint (n, ==, fresh->len);
  for (guint i = 0; i < fresh->len; i++)
    {
      gint64 rowid = g_array_index (fresh, gint64, i);

      g_assert_cmpint (lk_lead_list_find (list, rowid), ==, (int) i);
      if (check_items)
        {
          g_autoptr(LkLead) item = g_list_model_get_item (G_LIST_MODEL (list), i);
          g_autoptr(LkLead) stored = lk_store_get_lead_by_rowid (store, rowid, &error);

          g_assert_no_error (error);
          g_assert_nonnull (item);
          g_assert_cmpint (lk_record_get_rowid (LK_RECORD (item)), ==, rowid);
          /* Not a stale copy from before an edit */
          g_assert_true (lk_record_equal (LK_RECORD (item), LK_RECORD (stored)));
        }
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), n));
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Recorder   *recorder)
{
  Change change = { position, removed, added };
  guint n = g_list_model_get_n_items (model);

  /* Each signal is consistent on its own: the length adds up and every
   * item is there. A change may take two signals (a removal, then an
   * addition), so the list equals a fresh query once the change is over:
   * the tests check that after each operation. */
  g_array_append_val (recorder->changes, change);
  g_assert_cmpuint (position + removed, <=, recorder->n_items);
  g_assert_cmpuint (n, ==, recorder->n_items - removed + added);
  recorder->n_items = n;
  for (guint i = position; recorder->check_items && i < position + added; i++)
    {
      g_autoptr(LkLead) item = g_list_model_get_item (model, i);

      g_assert_nonnull (item);
    }
  recorder->n_checked++;
}

static Recorder *
recorder_new (LkLeadList *list,
              gboolean    check_items)
{
  Recorder *recorder = g_new0 (Recorder, 1);

  recorder->list = g_object_ref (list);
  recorder->changes = g_array_new (FALSE, FALSE, sizeof (Change));
  recorder->n_items = g_list_model_get_n_items (G_LIST_MODEL (list));
  recorder->check_items = check_items;
  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), recorder);
  return recorder;
}

static void
recorder_free (Recorder *recorder)
{
  /* Whatever the test did, the list ends as a fresh query says. */
  assert_matches_query (recorder->list, recorder->check_items);
  g_signal_handlers_disconnect_by_data (recorder->list, recorder);
  g_object_unref (recorder->list);
  g_array_unref (recorder->changes);
  g_free (recorder);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Recorder, recorder_free)

/* "(1,0,1) (2,1,0)" */
static char *
take_changes (Recorder *recorder)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < recorder->changes->len; i++)
    {
      Change *c = &g_array_index (recorder->changes, Change, i);

      g_string_append_printf (s, "%s(%u,%u,%u)", s->len ? " " : "", c->position, c->removed, c->added);
    }
  g_array_set_size (recorder->changes, 0);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

#define assert_changes(recorder, expected)                  \
  G_STMT_START {                                            \
    g_autofree char *_got = take_changes (recorder);        \
    g_assert_cmpstr (_got, ==, expected);                   \
  } G_STMT_END

static char *
companies (LkLeadList *list)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr(LkLead) lead = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_string_append_printf (s, "%s%s", s->len ? " " : "", lk_lead_get_company (lead));
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
test_lazy (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLeadList) early = lk_lead_list_new (db->store, NULL);
  g_autoptr(Recorder) early_recorder = recorder_new (early, FALSE);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(LkLeadList) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkLead) last = NULL;
  g_autoptr(LkLead) again = NULL;

  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *company = g_strdup_printf ("Company %04u", i);
      LkLead *lead = lk_test_lead_new ("company", company, NULL);

      lk_record_set_int (LK_RECORD (lead), LK_LEAD_NEXT_FOLLOWUP_AT, LK_TEST_NOW_MS + i * LK_TEST_HOUR_MS);
      g_ptr_array_add (records, lead);
      if (records->len == 250)
        {
          g_assert_true (lk_store_put_records (db->store, records, &error));
          g_assert_no_error (error);
          g_ptr_array_set_size (records, 0);
        }
    }

  /* A list that was open while they arrived loaded none of them */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (early)), ==, 1000);
  g_assert_cmpuint (lk_lead_list_get_n_loaded (early), ==, 0);
  assert_changes (early_recorder, "(0,0,250) (250,0,250) (500,0,250) (750,0,250)");

  list = lk_lead_list_new (db->store, NULL);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == LK_TYPE_LEAD);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1000);
  g_assert_cmpuint (lk_lead_list_get_n_loaded (list), ==, 0);
  g_assert_nonnull (lk_lead_list_get_query (list));
  g_assert_true (lk_lead_list_get_store (list) == db->store);

  /* What a view shows: a screenful */
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(LkLead) lead = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_autofree char *expected = g_strdup_printf ("Company %04u", i);

      g_assert_cmpstr (lk_lead_get_company (lead), ==, expected);
    }
  g_assert_cmpuint (lk_lead_list_get_n_loaded (list), ==, 5);
  last = g_list_model_get_item (G_LIST_MODEL (list), 999);
  g_assert_cmpstr (lk_lead_get_company (last), ==, "Company 0999");
  g_assert_cmpuint (lk_lead_list_get_n_loaded (list), ==, 6);
  /* The same item again is the same object, not a new read */
  again = g_list_model_get_item (G_LIST_MODEL (list), 999);
  g_assert_true (again == last);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), 1000));
  g_assert_cmpuint (lk_lead_list_get_n_loaded (list), ==, 6);
  g_assert_cmpint (lk_lead_list_find (list, lk_record_get_rowid (LK_RECORD (last))), ==, 999);
  g_assert_cmpint (lk_lead_list_find (list, 123456), ==, -1);
}

typedef struct
{
  LkTestDb   *db;
  LkLeadList *contacted;
  LkLeadList *qualified;
  Recorder   *rc;
  Recorder   *rq;
  GHashTable *ids;  /* company → id */
} Board;

static void
board_add (Board      *b,
           const char *company,
           const char *stage)
{
  /* Those with an "o" in their name have a contact whose name starts with
   * one: a search for "o" (a word's first letter) finds them. */
  g_autoptr(LkLead) lead = lk_test_create_lead (b->db->store, "company", company, "stage", stage,
                                                "contact", strchr (company, 'o') ? "Owen Smith" : "",
                                                NULL);

  g_hash_table_insert (b->ids, g_strdup (company), g_strdup (lk_record_get_id (LK_RECORD (lead))));
}

static const char *
board_id (Board      *b,
          const char *company)
{
  const char *id = g_hash_table_lookup (b->ids, company);

  g_assert_nonnull (id);
  return id;
}

static LkLeadList *
stage_list (LkStore    *store,
            const char *stage)
{
  g_autoptr(LkLeadQuery) query = lk_lead_query_new ();

  lk_lead_query_set_stage (query, stage);
  lk_lead_query_set_sort (query, LK_LEAD_SORT_COMPANY);
  return lk_lead_list_new (store, query);
}

static void
board_set_up (Board         *b,
              gconstpointer  data)
{
  b->db = lk_test_db_new ();
  b->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  board_add (b, "Foxtrot", "contacted");
  board_add (b, "Bravo", "contacted");
  board_add (b, "Lima", "contacted");
  board_add (b, "Delta", "contacted");
  board_add (b, "Juliet", "contacted");
  board_add (b, "Hotel", "contacted");
  board_add (b, "Echo", "qualified");
  board_add (b, "Alpha", "qualified");
  b->contacted = stage_list (b->db->store, "contacted");
  b->qualified = stage_list (b->db->store, "qualified");
  b->rc = recorder_new (b->contacted, FALSE);
  b->rq = recorder_new (b->qualified, FALSE);
}

static void
board_tear_down (Board         *b,
                 gconstpointer  data)
{
  g_clear_pointer (&b->rc, recorder_free);
  g_clear_pointer (&b->rq, recorder_free);
  g_clear_object (&b->contacted);
  g_clear_object (&b->qualified);
  g_clear_pointer (&b->ids, g_hash_table_unref);
  g_clear_pointer (&b->db, lk_test_db_free);
}

static void
assert_companies (LkLeadList *list,
                  const char *expected)
{
  g_autofree char *got = companies (list);

  g_assert_cmpstr (got, ==, expected);
}

static LkLead *
board_get (Board      *b,
           const char *company)
{
  g_autoptr(GError) error = NULL;
  LkLead *lead = lk_store_get_lead (b->db->store, board_id (b, company), &error);

  g_assert_no_error (error);
  return lead;
}

static void
board_update (Board  *b,
              LkLead *lead)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (lk_store_update_lead (b->db->store, lead, NULL, &error));
  g_assert_no_error (error);
}

/* A board column holds a window of its first leads: when one leaves, the
 * next comes in at the end; when one comes in, the last goes out. Each is
 * a removal and an addition, not a replacement of every row after it. */
static void
test_window_shift (Board         *b,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  lk_lead_list_set_limit (b->contacted, 3);
  assert_changes (b->rc, "(3,3,0)");
  assert_companies (b->contacted, "Bravo Delta Foxtrot");
  g_assert_false (lk_lead_list_get_complete (b->contacted));

  /* The first leaves: Hotel comes in at the end. */
  g_assert_true (lk_store_move_lead (b->db->store, board_id (b, "Bravo"), "qualified", NULL, &error));
  g_assert_no_error (error);
  assert_changes (b->rc, "(0,1,0) (2,0,1)");
  assert_companies (b->contacted, "Delta Foxtrot Hotel");

  /* One comes in at the front: Hotel goes out again. */
  board_add (b, "Charlie", "contacted");
  assert_changes (b->rc, "(0,0,1) (3,1,0)");
  assert_companies (b->contacted, "Charlie Delta Foxtrot");

  /* Growing the window appends. */
  lk_lead_list_set_limit (b->contacted, 10);
  assert_changes (b->rc, "(3,0,3)");
  assert_companies (b->contacted, "Charlie Delta Foxtrot Hotel Juliet Lima");
  g_assert_true (lk_lead_list_get_complete (b->contacted));
}

static void
test_signals (Board         *b,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  assert_companies (b->contacted, "Bravo Delta Foxtrot Hotel Juliet Lima");
  assert_companies (b->qualified, "Alpha Echo");

  /* A new lead that sorts into the middle */
  board_add (b, "Charlie", "contacted");
  assert_changes (b->rc, "(1,0,1)");
  assert_changes (b->rq, "");
  assert_companies (b->contacted, "Bravo Charlie Delta Foxtrot Hotel Juliet Lima");

  /* A move: out of one column at its position, into the other at its place */
  g_assert_true (lk_store_move_lead (b->db->store, board_id (b, "Delta"), "qualified", NULL, &error));
  g_assert_no_error (error);
  assert_changes (b->rc, "(2,1,0)");
  assert_changes (b->rq, "(1,0,1)");
  assert_companies (b->contacted, "Bravo Charlie Foxtrot Hotel Juliet Lima");
  assert_companies (b->qualified, "Alpha Delta Echo");

  /* A delete */
  g_assert_true (lk_store_delete_lead (b->db->store, board_id (b, "Foxtrot"), &error));
  assert_changes (b->rc, "(2,1,0)");
  assert_changes (b->rq, "");
  /* … and its undo */
  g_assert_true (lk_store_restore_lead (b->db->store, board_id (b, "Foxtrot"), &error));
  assert_changes (b->rc, "(2,0,1)");
  g_assert_true (lk_store_delete_lead (b->db->store, board_id (b, "Foxtrot"), &error));
  assert_changes (b->rc, "(2,1,0)");
  assert_companies (b->contacted, "Bravo Charlie Hotel Juliet Lima");

  /* An edit that moves it in the order: the rows in between change */
  {
    g_autoptr(LkLead) lead = board_get (b, "Charlie");

    lk_record_set_string (LK_RECORD (lead), LK_LEAD_COMPANY, "Kilo");
    board_update (b, lead);
    assert_changes (b->rc, "(1,3,3)");
    assert_companies (b->contacted, "Bravo Hotel Juliet Kilo Lima");
  }

  /* An edit that does not: the shown row is rebound, nothing else */
  {
    g_autoptr(LkLead) shown = g_list_model_get_item (G_LIST_MODEL (b->contacted), 1);
    g_autoptr(LkLead) lead = board_get (b, "Hotel");
    g_autoptr(LkLead) rebound = NULL;

    g_assert_cmpstr (lk_lead_get_company (shown), ==, "Hotel");
    lk_record_set_string (LK_RECORD (lead), LK_LEAD_NOTES, "asked for a quote");
    lk_record_set_int (LK_RECORD (lead), LK_LEAD_AMOUNT, 990000);
    board_update (b, lead);
    assert_changes (b->rc, "(1,1,1)");
    assert_changes (b->rq, "");
    rebound = g_list_model_get_item (G_LIST_MODEL (b->contacted), 1);
    g_assert_cmpstr (lk_record_get_string (LK_RECORD (rebound), LK_LEAD_NOTES), ==, "asked for a quote");
    g_assert_cmpint (lk_lead_get_amount (rebound), ==, 990000);
  }

  /* Changes elsewhere leave the column alone */
  {
    g_autoptr(LkLead) lead = board_get (b, "Echo");
    g_autoptr(LkActivity) activity = lk_activity_new (board_id (b, "Bravo"), "note");

    lk_record_set_string (LK_RECORD (lead), LK_LEAD_NOTES, "elsewhere");
    board_update (b, lead);
    assert_changes (b->rc, "");
    /* (the other column showed it: a rebind there) */
    assert_changes (b->rq, "(2,1,1)");
    g_assert_true (lk_store_add_activity (b->db->store, activity, &error));
    g_assert_true (lk_store_set_setting (b->db->store, "scoring", "{}", &error));
    assert_changes (b->rc, "");
    assert_changes (b->rq, "");
  }

  /* Moves at the ends */
  g_assert_true (lk_store_move_lead (b->db->store, board_id (b, "Lima"), "qualified", NULL, &error));
  assert_changes (b->rc, "(4,1,0)");
  assert_changes (b->rq, "(3,0,1)");
  g_assert_true (lk_store_move_lead (b->db->store, board_id (b, "Alpha"), "contacted", NULL, &error));
  assert_changes (b->rc, "(0,0,1)");
  assert_changes (b->rq, "(0,1,0)");
  assert_companies (b->contacted, "Alpha Bravo Hotel Juliet Kilo");
  assert_companies (b->qualified, "Delta Echo Lima");
}

static void
test_query_change (Board         *b,
                   gconstpointer  data)
{
  LkLeadQuery *query = lk_lead_list_get_query (b->contacted);

  lk_lead_query_set_search (query, "lima");
  assert_changes (b->rc, "(0,5,0)");
  assert_companies (b->contacted, "Lima");
  lk_lead_query_set_search (query, NULL);
  assert_changes (b->rc, "(0,0,5)");
  assert_companies (b->contacted, "Bravo Delta Foxtrot Hotel Juliet Lima");

  lk_lead_query_set_search (query, "o");
  assert_changes (b->rc, "(1,5,2)");
  assert_companies (b->contacted, "Bravo Foxtrot Hotel");

  lk_lead_query_set_reversed (query, TRUE);
  assert_changes (b->rc, "(0,3,3)");
  assert_companies (b->contacted, "Hotel Foxtrot Bravo");

  /* A filter that keeps the same rows in the same order: nothing to do */
  lk_lead_query_set_search (query, "O");
  assert_changes (b->rc, "");
  lk_lead_query_set_search (query, NULL);
  lk_lead_query_set_reversed (query, FALSE);
  g_array_set_size (b->rc->changes, 0);

  lk_lead_query_set_stage (query, "qualified");
  assert_changes (b->rc, "(0,6,2)");
  assert_companies (b->contacted, "Alpha Echo");
  assert_changes (b->rq, "");
}

static void
n_items_cb (GObject    *object,
            GParamSpec *pspec,
            guint      *n)
{
  (*n)++;
}

static void
test_refresh (Board         *b,
              gconstpointer  data)
{
  guint notified = 0;
  guint n_items = 0;
  const char *ids[] = { NULL };

  g_signal_connect (b->contacted, "notify::n-items", G_CALLBACK (n_items_cb), &notified);
  g_object_get (b->contacted, "n-items", &n_items, NULL);
  g_assert_cmpuint (n_items, ==, 6);

  /* "Anything may have changed", as after an import or a sync */
  lk_lead_list_refresh (b->contacted);
  assert_changes (b->rc, "(0,6,6)");
  lk_store_emit_changed (b->db->store, NULL, NULL);
  assert_changes (b->rc, "(0,6,6)");
  assert_changes (b->rq, "(0,2,2)");
  lk_store_emit_changed (b->db->store, "lead", NULL);
  assert_changes (b->rc, "(0,6,6)");
  g_assert_cmpuint (notified, ==, 0);

  /* An empty change list changes nothing */
  lk_store_emit_changed (b->db->store, "lead", ids);
  assert_changes (b->rc, "");

  board_add (b, "Zulu", "contacted");
  assert_changes (b->rc, "(6,0,1)");
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (b->contacted)), ==, 7);
}

/* A worker's connection writes; the main store hears of it when the task
 * returns, and the list follows. */
static void
test_worker_changes (Board         *b,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) worker = lk_store_open_worker (b->db->store, &error);
  g_autoptr(LkLead) lead = NULL;
  const char *ids[2] = { NULL, NULL };

  g_assert_no_error (error);
  lead = lk_test_create_lead (worker, "company", "Golf", "stage", "contacted", NULL);
  assert_changes (b->rc, "");
  ids[0] = lk_record_get_id (LK_RECORD (lead));
  lk_store_emit_changed (b->db->store, "lead", ids);
  assert_changes (b->rc, "(3,0,1)");
  assert_companies (b->contacted, "Bravo Delta Foxtrot Golf Hotel Juliet Lima");
}

/* Scrolling through a long list loads more items than the cache keeps;
 * the rows still on screen must be rebound when their lead changes. */
static void
test_long_scroll (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(LkLeadList) list = NULL;
  g_autoptr(Recorder) recorder = NULL;
  g_autoptr(LkLead) shown = NULL;
  g_autoptr(LkLead) lead = NULL;
  g_autoptr(LkLead) rebound = NULL;
  g_autoptr(GError) error = NULL;
  const guint n = 4200;  /* more than the list caches (4096) */

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *company = g_strdup_printf ("Company %04u", i);

      g_ptr_array_add (records, lk_test_lead_new ("company", company, NULL));
    }
  g_assert_true (lk_store_put_records (db->store, records, &error));
  g_assert_no_error (error);

  list = lk_lead_list_new (db->store, NULL);
  recorder = recorder_new (list, FALSE);
  /* The first row stays on screen (the view holds it) while the user
   * scrolls through all the others. */
  shown = g_list_model_get_item (G_LIST_MODEL (list), 0);
  for (guint i = 1; i < n; i++)
    {
      g_autoptr(LkLead) item = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_assert_nonnull (item);
    }
  g_assert_cmpuint (lk_lead_list_get_n_loaded (list), <, n);

  lead = lk_store_get_lead (db->store, lk_record_get_id (LK_RECORD (shown)), &error);
  g_assert_no_error (error);
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_NOTES, "changed while shown");
  g_assert_true (lk_store_update_lead (db->store, lead, NULL, &error));
  g_assert_no_error (error);
  assert_changes (recorder, "(0,1,1)");
  rebound = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpstr (lk_record_get_string (LK_RECORD (rebound), LK_LEAD_NOTES), ==, "changed while shown");
}

/* Random edits, moves, deletes and query changes; after every signal each
 * list must be what a fresh query says, and its items what is stored. */

static const char * const syllables[] = { "ka", "lo", "mi", "to", "ra", "shi", "an", "el" };
static const char * const stages[] = { "new", "assigned", "contacted", "qualified", "proposal", "won", "lost" };
static const char * const owners[] = { "user:a", "user:b", "user:c" };

static char *
random_company (GRand *rand)
{
  GString *s = g_string_new (NULL);
  guint n = (guint) g_rand_int_range (rand, 1, 4);

  for (guint i = 0; i < n; i++)
    g_string_append (s, syllables[g_rand_int_range (rand, 0, G_N_ELEMENTS (syllables))]);
  s->str[0] = g_ascii_toupper (s->str[0]);
  return g_string_free (s, FALSE);
}

static void
randomize_lead (LkLead *lead,
                GRand  *rand)
{
  LkRecord *r = LK_RECORD (lead);
  g_autofree char *company = random_company (rand);
  int owner = g_rand_int_range (rand, -1, G_N_ELEMENTS (owners));

  lk_record_set_string (r, LK_LEAD_COMPANY, company);
  lk_record_set_int (r, LK_LEAD_AMOUNT, g_rand_int_range (rand, 0, 5) * 10000);
  lk_record_set_string (r, LK_LEAD_OWNER, owner < 0 ? NULL : owners[owner]);
  lk_record_set_int (r, LK_LEAD_NEXT_FOLLOWUP_AT,
                     g_rand_boolean (rand) ? 0 : LK_TEST_NOW_MS + g_rand_int_range (rand, -5, 5) * LK_TEST_DAY_MS);
}

static const char *
random_id (GPtrArray *ids,
           GRand     *rand)
{
  if (ids->len == 0)
    return NULL;
  return g_ptr_array_index (ids, g_rand_int_range (rand, 0, ids->len));
}

static void
random_query_change (LkLeadQuery *query,
                     GRand       *rand)
{
  switch (g_rand_int_range (rand, 0, 6))
    {
    case 0:
      lk_lead_query_set_stage (query, g_rand_boolean (rand) ? NULL : stages[g_rand_int_range (rand, 0, 7)]);
      break;
    case 1:
      lk_lead_query_set_sort (query, g_rand_int_range (rand, 0, LK_LEAD_SORT_SOURCE + 1));
      break;
    case 2:
      lk_lead_query_set_reversed (query, !lk_lead_query_get_reversed (query));
      break;
    case 3:
      lk_lead_query_set_search (query, g_rand_boolean (rand) ? NULL
                                       : syllables[g_rand_int_range (rand, 0, G_N_ELEMENTS (syllables))]);
      break;
    case 4:
      lk_lead_query_set_owner (query, g_rand_boolean (rand) ? NULL : owners[g_rand_int_range (rand, 0, 3)]);
      break;
    default:
      lk_lead_query_set_overdue (query, !lk_lead_query_get_overdue (query));
      break;
    }
}

static void
test_random (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240515);
  g_autoptr(GPtrArray) live = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) deleted = g_ptr_array_new_with_free_func (g_free);
  LkLeadList *lists[4];
  Recorder *recorders[4];
  guint n_signals = 0;

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      g_autoptr(LkLeadQuery) query = lk_lead_query_new ();

      if (i == 1)
        {
          lk_lead_query_set_stage (query, "contacted");
          lk_lead_query_set_sort (query, LK_LEAD_SORT_COMPANY);
        }
      else if (i == 2)
        {
          lk_lead_query_set_owner (query, "user:a");
          lk_lead_query_set_sort (query, LK_LEAD_SORT_AMOUNT);
          lk_lead_query_set_reversed (query, TRUE);
        }
      else if (i == 3)
        lk_lead_query_set_search (query, "ka");
      lists[i] = lk_lead_list_new (db->store, query);
      recorders[i] = recorder_new (lists[i], TRUE);
    }

  for (guint step = 0; step < 200; step++)
    {
      g_autoptr(GError) error = NULL;
      int op = g_rand_int_range (rand, 0, 100);
      const char *id = random_id (live, rand);

      if (op < 25 || id == NULL)
        {
          g_autoptr(LkLead) lead = lk_lead_new ();

          randomize_lead (lead, rand);
          lk_record_set_string (LK_RECORD (lead), LK_LEAD_STAGE, stages[g_rand_int_range (rand, 0, 5)]);
          g_assert_true (lk_store_create_lead (db->store, lead, &error));
          g_ptr_array_add (live, g_strdup (lk_record_get_id (LK_RECORD (lead))));
        }
      else if (op < 45)
        {
          const char *stage = stages[g_rand_int_range (rand, 0, 7)];

          g_assert_true (lk_store_move_lead (db->store, id, stage,
                                             g_str_equal (stage, "lost") ? "No response" : NULL, &error));
        }
      else if (op < 55)
        {
          g_assert_true (lk_store_delete_lead (db->store, id, &error));
          g_ptr_array_add (deleted, g_strdup (id));
          g_ptr_array_remove (live, (gpointer) id);
        }
      else if (op < 60 && deleted->len > 0)
        {
          const char *back = random_id (deleted, rand);

          g_assert_true (lk_store_restore_lead (db->store, back, &error));
          g_ptr_array_add (live, g_strdup (back));
          g_ptr_array_remove (deleted, (gpointer) back);
        }
      else if (op < 80)
        {
          g_autoptr(LkLead) lead = lk_store_get_lead (db->store, id, &error);

          g_assert_no_error (error);
          if (g_rand_boolean (rand))
            randomize_lead (lead, rand);
          else
            lk_record_set_string (LK_RECORD (lead), LK_LEAD_NOTES, syllables[g_rand_int_range (rand, 0, 8)]);
          lk_clock_advance_ms (db->clock, 1000);
          g_assert_true (lk_store_update_lead (db->store, lead, NULL, &error));
        }
      else if (op < 90)
        random_query_change (lk_lead_list_get_query (lists[g_rand_int_range (rand, 0, 4)]), rand);
      else if (op < 95)
        {
          g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);

          for (guint i = 0; i < 3; i++)
            {
              LkLead *lead = lk_lead_new ();

              randomize_lead (lead, rand);
              lk_record_ensure_id (LK_RECORD (lead));
              g_ptr_array_add (batch, lead);
              g_ptr_array_add (live, g_strdup (lk_record_get_id (LK_RECORD (lead))));
            }
          g_assert_true (lk_store_put_records (db->store, batch, &error));
        }
      else
        {
          /* Several edits in one transaction, announced once */
          g_autoptr(LkLead) a = lk_store_get_lead (db->store, id, &error);

          g_assert_true (lk_store_begin (db->store, &error));
          randomize_lead (a, rand);
          g_assert_true (lk_store_update_lead (db->store, a, NULL, &error));
          g_assert_true (lk_store_move_lead (db->store, random_id (live, rand), "qualified", NULL, &error));
          g_assert_true (lk_store_commit (db->store, &error));
        }
      g_assert_no_error (error);
      lk_clock_advance_ms (db->clock, 60 * 1000);

      for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
        assert_matches_query (lists[i], TRUE);
    }

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      n_signals += recorders[i]->n_checked;
      g_test_message ("list %u: %u items, %u signals", i,
                      g_list_model_get_n_items (G_LIST_MODEL (lists[i])), recorders[i]->n_checked);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (lists[i])), >, 0);
      recorder_free (recorders[i]);
      g_object_unref (lists[i]);
    }
  g_assert_cmpuint (n_signals, >, 100);
}

/* A window grown by scrolling starts small again under a new query. */
static void
test_window_resets (void)
{
  g_autoptr(LkTestDb) db = lk_test_db_new ();
  g_autoptr(LkLeadQuery) query = lk_lead_query_new ();
  g_autoptr(LkLeadList) list = NULL;
  const char *names[] = { "Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LkLead) lead = lk_lead_new ();

      lk_record_set_string (LK_RECORD (lead), LK_LEAD_COMPANY, names[i]);
      g_assert_true (lk_store_create_lead (db->store, lead, &error));
      g_assert_no_error (error);
    }
  list = g_object_new (LK_TYPE_LEAD_LIST, "store", db->store, "query", query, "limit", 2, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
  lk_lead_list_set_limit (list, 4);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 4);

  lk_lead_query_set_sort (query, LK_LEAD_SORT_COMPANY);
  g_assert_cmpuint (lk_lead_list_get_limit (list), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/lead-list/lazy", test_lazy);
  g_test_add ("/lead-list/window-shift", Board, NULL, board_set_up, test_window_shift, board_tear_down);
  g_test_add ("/lead-list/signals", Board, NULL, board_set_up, test_signals, board_tear_down);
  g_test_add ("/lead-list/query-change", Board, NULL, board_set_up, test_query_change, board_tear_down);
  g_test_add ("/lead-list/refresh", Board, NULL, board_set_up, test_refresh, board_tear_down);
  g_test_add ("/lead-list/worker-changes", Board, NULL, board_set_up, test_worker_changes, board_tear_down);
  g_test_add_func ("/lead-list/long-scroll", test_long_scroll);
  g_test_add_func ("/lead-list/window-resets", test_window_resets);
  g_test_add_func ("/lead-list/random", test_random);

  return g_test_run ();
}
