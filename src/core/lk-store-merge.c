/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-store"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lk-dedup.h"
#include "lk-doc.h"
#include "lk-error.h"
#include "lk-store-merge.h"
#include "lk-store-private.h"
#include "lk-utils.h"

/* Duplicates in the database. The keys of lk-dedup are indexed columns of
 * `leads` (written with each lead, NULL on a deleted one), so the leads a
 * lead being typed may duplicate are one lookup per key, and the groups of
 * the whole database are one GROUP BY per key over its index, joined in
 * memory.
 *
 * A merge keeps one lead (the primary) with the values chosen per field,
 * moves the others' activities and stage history to it, and deletes the
 * others: their tombstones name the primary (merged_into), so every
 * desktop learns of the merge by sync. One transaction, local like any
 * edit: it works offline and waits in the outbox. */

/* Fields that are the merge's to choose. The others are bookkeeping
 * (code, times, authors) or follow from a choice (the lost reason goes
 * with the stage) or from the rules (score). */
static const LkLeadField choosable[] = {
  LK_LEAD_COMPANY, LK_LEAD_INDUSTRY, LK_LEAD_COMPANY_SIZE, LK_LEAD_CONTACT, LK_LEAD_TITLE,
  LK_LEAD_PHONE, LK_LEAD_EMAIL, LK_LEAD_IM, LK_LEAD_REGION, LK_LEAD_SOURCE, LK_LEAD_CAMPAIGN,
  LK_LEAD_NEEDS, LK_LEAD_BUDGET, LK_LEAD_AMOUNT, LK_LEAD_CURRENCY, LK_LEAD_GRADE,
  LK_LEAD_TEMPERATURE, LK_LEAD_BANT_BUDGET, LK_LEAD_BANT_AUTHORITY, LK_LEAD_BANT_NEED,
  LK_LEAD_BANT_TIMELINE, LK_LEAD_MQL, LK_LEAD_SQL, LK_LEAD_TAGS, LK_LEAD_OWNER, LK_LEAD_STAGE,
  LK_LEAD_CONSENT, LK_LEAD_DO_NOT_CONTACT, LK_LEAD_NOTES,
};

typedef enum
{
  KEY_PHONE,
  KEY_EMAIL,
  KEY_COMPANY,
  N_KEYS
} KeyKind;

/* Per key: every lead that has one, in the order of the key's index (a
 * covering index, read in order without the table: grouping in SQL with
 * GROUP BY … HAVING cost a second on 100,000 leads). A deleted lead has
 * no keys (write_keys_of in lk-store-records.c). */
static const char * const scan_sql[N_KEYS] = {
  "SELECT rowid, phone_key, NULL FROM leads WHERE phone_key IS NOT NULL ORDER BY phone_key",
  "SELECT rowid, email_key, NULL FROM leads WHERE email_key IS NOT NULL ORDER BY email_key",
  /* The same company and contact: colleagues at one company are not
   * duplicates of each other. */
  ("SELECT rowid, company_key, contact_key FROM leads WHERE company_key IS NOT NULL "
   "ORDER BY company_key, contact_key"),
};

static const LkDuplicateKey key_of_kind[N_KEYS] = {
  LK_DUPLICATE_PHONE, LK_DUPLICATE_EMAIL, LK_DUPLICATE_COMPANY,
};

/* Union-find over the leads that share a key with another. */
typedef struct
{
  GHashTable *index_of;  /* gint64 rowid → index + 1 */
  GArray     *rowids;    /* gint64 */
  GArray     *parent;    /* guint */
  GArray     *key;       /* LkDuplicateKey: the first that joined the root's group */
} Groups;

static void
groups_clear (Groups *groups)
{
  g_clear_pointer (&groups->index_of, g_hash_table_unref);
  g_clear_pointer (&groups->rowids, g_array_unref);
  g_clear_pointer (&groups->parent, g_array_unref);
  g_clear_pointer (&groups->key, g_array_unref);
}

static guint
groups_index (Groups *groups,
              gint64  rowid)
{
  gpointer found = g_hash_table_lookup (groups->index_of, &rowid);
  LkDuplicateKey none = LK_DUPLICATE_NONE;
  guint index;

  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;
  index = groups->rowids->len;
  g_array_append_val (groups->rowids, rowid);
  g_array_append_val (groups->parent, index);
  g_array_append_val (groups->key, none);
  g_hash_table_insert (groups->index_of, g_memdup2 (&rowid, sizeof rowid), GUINT_TO_POINTER (index + 1));
  return index;
}

static guint
groups_root (Groups *groups,
             guint   index)
{
  guint *parent = (guint *) groups->parent->data;

  while (parent[index] != index)
    {
      parent[index] = parent[parent[index]];
      index = parent[index];
    }
  return index;
}

static void
groups_join (Groups         *groups,
             guint           a,
             guint           b,
             LkDuplicateKey  key)
{
  LkDuplicateKey *keys = (LkDuplicateKey *) groups->key->data;
  guint ra = groups_root (groups, a);
  guint rb = groups_root (groups, b);
  LkDuplicateKey joined = key;

  if (keys[ra] != LK_DUPLICATE_NONE && keys[ra] < joined)
    joined = keys[ra];
  if (keys[rb] != LK_DUPLICATE_NONE && keys[rb] < joined)
    joined = keys[rb];
  if (ra != rb)
    g_array_index (groups->parent, guint, rb) = ra;
  keys[ra] = joined;
}

static gboolean
scan_key (LkStore   *self,
          Groups    *groups,
          KeyKind    kind,
          GError   **error)
{
  sqlite3_stmt *stmt = lk_store_prepare (self, scan_sql[kind], error);
  g_autofree char *previous = NULL;
  g_autofree char *previous2 = NULL;
  gint64 previous_rowid = 0;
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);
      const char *key = (const char *) sqlite3_column_text (stmt, 1);
      const char *key2 = (const char *) sqlite3_column_text (stmt, 2);

      /* Only leads that share a key get a place in the union-find: most
       * leads have no duplicate. */
      if (previous != NULL && g_str_equal (previous, key) && g_strcmp0 (previous2, key2) == 0)
        {
          guint a = groups_index (groups, previous_rowid);
          guint b = groups_index (groups, rowid);

          groups_join (groups, a, b, key_of_kind[kind]);
        }
      else
        {
          lk_set_str (&previous, key);
          lk_set_str (&previous2, key2);
        }
      previous_rowid = rowid;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return lk_store_fail (self, error, _("look for duplicates"));
  return TRUE;
}

static int
compare_rowids (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* The newest lead first: the duplicates made lately are the ones to look at. */
static int
compare_groups (gconstpointer a,
                gconstpointer b)
{
  GArray *ra = lk_duplicate_group_get_rowids (*(LkDuplicateGroup **) a);
  GArray *rb = lk_duplicate_group_get_rowids (*(LkDuplicateGroup **) b);

  return -compare_rowids (&g_array_index (ra, gint64, ra->len - 1), &g_array_index (rb, gint64, rb->len - 1));
}

static gboolean
field_is_empty (LkRecord    *record,
                guint        field,
                LkFieldKind  kind)
{
  switch (kind)
    {
    case LK_FIELD_STRING:
      return lk_record_get_string (record, field)[0] == '\0';
    case LK_FIELD_REF:
      return lk_record_get_string (record, field) == NULL;
    case LK_FIELD_TAGS:
      return lk_record_get_tags (record, field)[0] == NULL;
    case LK_FIELD_INT:
    case LK_FIELD_MONEY:
    case LK_FIELD_BOOL:
    case LK_FIELD_TIME:
    default:
      return lk_record_get_int (record, field) == 0;
    }
}

static void
copy_field (LkRecord    *to,
            LkRecord    *from,
            guint        field,
            LkFieldKind  kind)
{
  switch (kind)
    {
    case LK_FIELD_STRING:
    case LK_FIELD_REF:
      lk_record_set_string (to, field, lk_record_get_string (from, field));
      break;
    case LK_FIELD_TAGS:
      lk_record_set_tags (to, field, lk_record_get_tags (from, field));
      break;
    case LK_FIELD_INT:
    case LK_FIELD_MONEY:
    case LK_FIELD_BOOL:
    case LK_FIELD_TIME:
    default:
      lk_record_set_int (to, field, lk_record_get_int (from, field));
      break;
    }
}

static gboolean
is_choosable (guint field)
{
  for (guint i = 0; i < G_N_ELEMENTS (choosable); i++)
    if (choosable[i] == field)
      return TRUE;
  return FALSE;
}

/* The field's value when nobody chose: the primary's, else the first other
 * lead's that has one (but the owner stays); the tags of all; every
 * distinct note. */
static void
merge_default (LkRecord    *merged,
               GPtrArray   *others,
               guint        field,
               LkFieldKind  kind)
{
  if (field == LK_LEAD_TAGS)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) all = NULL;
      g_auto(GStrv) tags = NULL;

      g_strv_builder_addv (builder, (const char **) lk_record_get_tags (merged, field));
      for (guint i = 0; i < others->len; i++)
        g_strv_builder_addv (builder, (const char **) lk_record_get_tags (g_ptr_array_index (others, i), field));
      all = g_strv_builder_end (builder);
      tags = lk_tags_normalize ((const char * const *) all);
      lk_record_set_tags (merged, field, (const char * const *) tags);
      return;
    }
  if (field == LK_LEAD_NOTES)
    {
      g_autoptr(GString) notes = g_string_new (lk_record_get_string (merged, field));

      for (guint i = 0; i < others->len; i++)
        {
          const char *note = lk_record_get_string (g_ptr_array_index (others, i), field);

          if (note[0] != '\0' && strstr (notes->str, note) == NULL)
            g_string_append_printf (notes, "%s%s", notes->len ? "\n\n" : "", note);
        }
      lk_record_set_string (merged, field, notes->str);
      return;
    }
  /* An owner changes only when chosen: the server lets only a manager
   * give a lead to someone else (data/couchdb/validate_doc_update.js). */
  if (field == LK_LEAD_OWNER || !field_is_empty (merged, field, kind))
    return;
  for (guint i = 0; i < others->len; i++)
    if (!field_is_empty (g_ptr_array_index (others, i), field, kind))
      {
        copy_field (merged, g_ptr_array_index (others, i), field, kind);
        return;
      }
}

/* Contact times of the merged customer: the first and the last of all. */
static void
merge_times (LkRecord  *merged,
             GPtrArray *others)
{
  for (guint i = 0; i < others->len; i++)
    {
      LkRecord *other = g_ptr_array_index (others, i);
      gint64 first = lk_record_get_int (other, LK_LEAD_FIRST_CONTACTED_AT);
      gint64 last = lk_record_get_int (other, LK_LEAD_LAST_CONTACTED_AT);
      gint64 next = lk_record_get_int (other, LK_LEAD_NEXT_FOLLOWUP_AT);
      gint64 mine;

      mine = lk_record_get_int (merged, LK_LEAD_FIRST_CONTACTED_AT);
      if (first != 0 && (mine == 0 || first < mine))
        lk_record_set_int (merged, LK_LEAD_FIRST_CONTACTED_AT, first);
      if (last > lk_record_get_int (merged, LK_LEAD_LAST_CONTACTED_AT))
        lk_record_set_int (merged, LK_LEAD_LAST_CONTACTED_AT, last);
      mine = lk_record_get_int (merged, LK_LEAD_NEXT_FOLLOWUP_AT);
      if (next != 0 && (mine == 0 || next < mine))
        lk_record_set_int (merged, LK_LEAD_NEXT_FOLLOWUP_AT, next);
    }
}

static LkLead *
find_lead_in (LkLead     *primary,
              GPtrArray  *others,
              const char *id)
{
  if (g_str_equal (lk_record_get_id (LK_RECORD (primary)), id))
    return primary;
  for (guint i = 0; i < others->len; i++)
    if (g_str_equal (lk_record_get_id (g_ptr_array_index (others, i)), id))
      return g_ptr_array_index (others, i);
  return NULL;
}

/* Builds the merged lead from @primary; sets @error for a choice that
 * names an unknown field or a lead outside the merge. */
static LkLead *
merge_values (LkLead      *primary,
              GPtrArray   *others,
              GHashTable  *choices,
              GError     **error)
{
  LkRecordClass *klass = LK_RECORD_GET_CLASS (primary);
  g_autoptr(LkLead) merged = lk_lead_copy (primary);
  const LkFieldInfo *fields;
  guint n_fields;
  GHashTableIter iter;
  const char *name, *lead_id;

  fields = lk_record_class_get_fields (klass, &n_fields);
  if (choices != NULL)
    {
      g_hash_table_iter_init (&iter, choices);
      while (g_hash_table_iter_next (&iter, (gpointer *) &name, (gpointer *) &lead_id))
        {
          int field = lk_record_class_find_field (klass, name);

          if (field < 0 || !is_choosable ((guint) field))
            {
              g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                           _("“%s” is not a field a merge can choose"), name);
              return NULL;
            }
          if (find_lead_in (primary, others, lead_id) == NULL)
            {
              g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                           _("The value of “%s” must come from one of the leads merged, not “%s”"),
                           name, lead_id);
              return NULL;
            }
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (choosable); i++)
    {
      guint field = choosable[i];
      const char *from = choices ? g_hash_table_lookup (choices, fields[field].name) : NULL;

      if (from != NULL)
        {
          LkLead *source = find_lead_in (primary, others, from);

          copy_field (LK_RECORD (merged), LK_RECORD (source), field, fields[field].kind);
          if (field == LK_LEAD_STAGE)
            copy_field (LK_RECORD (merged), LK_RECORD (source), LK_LEAD_LOST_REASON,
                        fields[LK_LEAD_LOST_REASON].kind);
        }
      else if (field != LK_LEAD_STAGE)
        merge_default (LK_RECORD (merged), others, field, fields[field].kind);
    }
  merge_times (LK_RECORD (merged), others);
  return g_steal_pointer (&merged);
}

/* Moves the activities and stage changes of @from_id to @to_id, noting
 * in @moved_activities and @moved_changes (id → @from_id) where each was,
 * for an unmerge. */
static gboolean
move_history (LkStore     *self,
              const char  *from_id,
              const char  *to_id,
              JsonObject  *moved_activities,
              JsonObject  *moved_changes,
              GError     **error)
{
  g_autoptr(GPtrArray) activities = lk_store_list_activities (self, from_id, error);
  g_autoptr(GPtrArray) changes = NULL;

  if (activities == NULL)
    return FALSE;
  changes = lk_store_list_stage_changes (self, from_id, error);
  if (changes == NULL)
    return FALSE;
  for (guint i = 0; i < activities->len; i++)
    {
      LkRecord *activity = g_ptr_array_index (activities, i);

      json_object_set_string_member (moved_activities, lk_record_get_id (activity), from_id);
      lk_record_set_string (activity, LK_ACTIVITY_LEAD, to_id);
    }
  for (guint i = 0; i < changes->len; i++)
    {
      LkRecord *change = g_ptr_array_index (changes, i);

      json_object_set_string_member (moved_changes, lk_record_get_id (change), from_id);
      lk_record_set_string (change, LK_STAGE_CHANGE_LEAD, to_id);
      g_ptr_array_add (activities, g_object_ref (change));
    }
  return activities->len == 0 || lk_store_put_records (self, activities, error);
}

/* The other lead as a tombstone that names the lead it became. */
static gboolean
bury (LkStore     *self,
      LkLead      *other,
      const char  *primary_id,
      GError     **error)
{
  g_autoptr(LkLead) tombstone = lk_lead_copy (other);
  g_autoptr(GPtrArray) records = g_ptr_array_new ();
  g_autoptr(JsonObject) extra = json_object_new ();
  JsonObject *old = lk_record_get_extra (LK_RECORD (other));

  if (old != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (old);

      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (extra, l->data, json_node_copy (json_object_get_member (old, l->data)));
    }
  json_object_set_string_member (extra, "merged_into", primary_id);
  lk_record_set_extra (LK_RECORD (tombstone), extra);
  lk_record_set_deleted (LK_RECORD (tombstone), TRUE);
  lk_record_set_int (LK_RECORD (tombstone), LK_LEAD_UPDATED_AT,
                     lk_clock_now_ms (lk_store_get_clock (self)));
  lk_record_set_string (LK_RECORD (tombstone), LK_LEAD_UPDATED_BY, lk_store_get_user_id (self));
  g_ptr_array_add (records, tombstone);
  return lk_store_put_records (self, records, error);
}

/* The merge on the primary's timeline: a note naming the leads merged.
 * Its document keeps what an unmerge needs: the ids of the leads merged
 * (or, @typed, the lead as typed, never saved), where each moved record
 * was, and the primary as it was. */
static gboolean
note_merge (LkStore     *self,
            LkLead      *primary,
            GPtrArray   *others,
            gboolean     typed,
            JsonObject  *moved_activities,
            JsonObject  *moved_changes,
            char       **merge_id,
            GError     **error)
{
  g_autoptr(LkActivity) note = lk_activity_new (lk_record_get_id (LK_RECORD (primary)), "note");
  g_autoptr(JsonObject) extra = json_object_new ();
  JsonArray *ids = json_array_new ();
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *summary = NULL;

  for (guint i = 0; i < others->len; i++)
    {
      LkLead *other = g_ptr_array_index (others, i);

      if (typed)
        json_object_set_object_member (extra, "typed", lk_doc_from_record (LK_RECORD (other)));
      else
        json_array_add_string_element (ids, lk_record_get_id (LK_RECORD (other)));
      /* TRANSLATORS: separates the names of the leads merged */
      g_string_append_printf (names, "%s%s", i ? _(", ") : "", lk_lead_get_display_name (other));
    }
  json_object_set_array_member (extra, "merged", ids);
  json_object_set_object_member (extra, "moved_activities", json_object_ref (moved_activities));
  json_object_set_object_member (extra, "moved_stage_changes", json_object_ref (moved_changes));
  json_object_set_object_member (extra, "before", lk_doc_from_record (LK_RECORD (primary)));
  lk_record_set_extra (LK_RECORD (note), extra);
  /* TRANSLATORS: on the timeline of the lead that stays; %s names the leads merged into it */
  summary = g_strdup_printf (_("Merged with %s"), names->str);
  lk_record_set_string (LK_RECORD (note), LK_ACTIVITY_SUMMARY, summary);
  if (!lk_store_add_activity (self, note, error))
    return FALSE;
  if (merge_id != NULL)
    *merge_id = g_strdup (lk_record_get_id (LK_RECORD (note)));
  return TRUE;
}

/* The lead @id, which a merge may take: %NULL with @error set when it is
 * missing or deleted. */
static LkLead *
get_live_lead (LkStore     *self,
               const char  *id,
               GError     **error)
{
  g_autoptr(LkLead) lead = lk_store_get_lead (self, id, error);

  if (lead != NULL && lk_record_get_deleted (LK_RECORD (lead)))
    {
      g_set_error (error, LK_ERROR, LK_ERROR_NOT_FOUND,
                   _("The lead “%s” has been deleted"), lk_lead_get_display_name (lead));
      return NULL;
    }
  return g_steal_pointer (&lead);
}

/**
 * lk_store_find_duplicates_of:
 * @lead: a lead as typed (saved or not; itself is never a match)
 * @limit: the most leads to return
 *
 * The leads that may be the same customer as @lead: the same phone, the
 * same email, or the same company (contact aside: a second rep calling the
 * same company is what the check is for), phone matches first, then
 * email, then the oldest.
 *
 * Returns: (transfer full) (element-type LkLead): the leads, or %NULL
 *   with @error set
 */
GPtrArray *
lk_store_find_duplicates_of (LkStore  *self,
                             LkLead   *lead,
                             guint     limit,
                             GError  **error)
{
  LkRecord *record;
  g_autofree char *phone = NULL;
  g_autofree char *email = NULL;
  g_autofree char *company = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);
  g_return_val_if_fail (LK_IS_LEAD (lead), NULL);

  record = LK_RECORD (lead);
  phone = lk_dedup_phone_key (lk_record_get_string (record, LK_LEAD_PHONE), lk_store_default_region (self));
  email = lk_dedup_email_key (lk_record_get_string (record, LK_LEAD_EMAIL));
  company = lk_dedup_company_key (lk_lead_get_company (lead));
  if (phone == NULL && email == NULL && company == NULL)
    return g_ptr_array_new_with_free_func (g_object_unref);

  sql = g_strconcat (lk_store_select_sql (self, LK_TYPE_LEAD),
                     " WHERE deleted = 0 AND id IS NOT ?1 "
                     "AND (phone_key = ?2 OR email_key = ?3 OR company_key = ?4) "
                     "ORDER BY phone_key IS ?2 DESC, email_key IS ?3 DESC, created_at, rowid LIMIT ?5",
                     NULL);
  stmt = lk_store_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, lk_record_get_id (record), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, phone, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, email, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, company, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, limit);
  return lk_store_read_records (self, stmt, LK_TYPE_LEAD, _("look for duplicates"), error);
}

/**
 * lk_store_scan_duplicates:
 * @cancellable: (nullable): checked between steps
 *
 * The groups of leads that are one customer: joined by the same phone,
 * the same email, or the same company and contact (a lead that shares its
 * phone with one lead and its email with another joins both in one
 * group). Run it on a worker's connection (lk_store_open_worker()): it
 * reads the whole database.
 *
 * Returns: (transfer full) (element-type LkDuplicateGroup): the groups
 *   (their leads not read yet: lk_duplicate_group_load_leads()), the one
 *   with the newest lead first; %NULL with @error set
 */
GPtrArray *
lk_store_scan_duplicates (LkStore       *self,
                          GCancellable  *cancellable,
                          GError       **error)
{
  Groups groups = {
    g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL),
    g_array_new (FALSE, FALSE, sizeof (gint64)),
    g_array_new (FALSE, FALSE, sizeof (guint)),
    g_array_new (FALSE, FALSE, sizeof (LkDuplicateKey)),
  };
  g_autoptr(GHashTable) by_root = NULL;
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean ok = TRUE;

  g_return_val_if_fail (LK_IS_STORE (self), NULL);

  for (KeyKind kind = 0; ok && kind < N_KEYS; kind++)
    ok = !g_cancellable_set_error_if_cancelled (cancellable, error) &&
         scan_key (self, &groups, kind, error);

  by_root = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint i = 0; ok && i < groups.rowids->len; i++)
    {
      guint root = groups_root (&groups, i);
      LkDuplicateGroup *group = g_hash_table_lookup (by_root, GUINT_TO_POINTER (root + 1));

      if (group == NULL)
        {
          group = lk_duplicate_group_new (g_array_index (groups.key, LkDuplicateKey, root));
          g_hash_table_insert (by_root, GUINT_TO_POINTER (root + 1), group);
          g_ptr_array_add (result, group);
        }
      lk_duplicate_group_add_rowid (group, g_array_index (groups.rowids, gint64, i));
    }
  groups_clear (&groups);
  if (!ok)
    return NULL;
  for (guint i = 0; i < result->len; i++)
    g_array_sort (lk_duplicate_group_get_rowids (g_ptr_array_index (result, i)), compare_rowids);
  g_ptr_array_sort (result, compare_groups);
  return g_steal_pointer (&result);
}

/* Whether `merge --field NAME=ID` (or the merge dialog) may choose NAME. */
gboolean
lk_merge_field_is_choosable (const char *name)
{
  LkRecordClass *klass = g_type_class_ref (LK_TYPE_LEAD);
  int field = lk_record_class_find_field (klass, name);

  g_type_class_unref (klass);
  return field >= 0 && is_choosable ((guint) field);
}

/**
 * lk_store_merge_leads:
 * @primary_id: the lead that stays
 * @other_ids: the leads merged into it, which become tombstones
 * @choices: (nullable) (element-type utf8 utf8): field name → the id of
 *   the lead (the primary or another) whose value the merged lead takes;
 *   a field not named keeps the primary's value, or the first other
 *   lead's when the primary has none (not the owner: the primary's
 *   stays, even the pool); tags are joined, notes appended
 * @merge_id: (out) (optional): the merge's id, for lk_store_unmerge()
 *
 * Merges leads that are one customer, in one transaction: the merged
 * values on the primary, the others' activities and stage history moved
 * to it, the others deleted (naming the primary), and a note on the
 * primary's timeline (whose id is the merge's). Everything is queued for
 * sync.
 */
gboolean
lk_store_merge_leads (LkStore            *self,
                      const char         *primary_id,
                      const char * const *other_ids,
                      GHashTable         *choices,
                      char              **merge_id,
                      GError            **error)
{
  g_autoptr(JsonObject) moved_activities = json_object_new ();
  g_autoptr(JsonObject) moved_changes = json_object_new ();
  g_autoptr(LkLead) primary = NULL;
  g_autoptr(LkLead) merged = NULL;
  g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean ok = TRUE;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (primary_id != NULL, FALSE);
  g_return_val_if_fail (other_ids != NULL, FALSE);

  if (other_ids[0] == NULL)
    {
      g_set_error_literal (error, LK_ERROR, LK_ERROR_INVALID, _("A merge needs at least two leads"));
      return FALSE;
    }
  if (!lk_store_begin (self, error))
    return FALSE;
  primary = get_live_lead (self, primary_id, error);
  if (primary == NULL)
    return lk_store_finish (self, FALSE, error);
  for (guint i = 0; other_ids[i] != NULL; i++)
    {
      LkLead *other;

      if (find_lead_in (primary, others, other_ids[i]) != NULL)
        {
          g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                       _("The lead “%s” is named twice in the merge"), other_ids[i]);
          return lk_store_finish (self, FALSE, error);
        }
      other = get_live_lead (self, other_ids[i], error);
      if (other == NULL)
        return lk_store_finish (self, FALSE, error);
      g_ptr_array_add (others, other);
    }

  merged = merge_values (primary, others, choices, error);
  if (merged == NULL)
    return lk_store_finish (self, FALSE, error);

  /* The others go first: their tombstones clear their duplicate keys
   * before the primary takes them. */
  for (guint i = 0; ok && i < others->len; i++)
    {
      LkLead *other = g_ptr_array_index (others, i);

      ok = move_history (self, lk_record_get_id (LK_RECORD (other)), primary_id,
                         moved_activities, moved_changes, error) &&
           bury (self, other, primary_id, error);
    }
  ok = ok &&
       lk_store_update_lead (self, merged, lk_record_get_string (LK_RECORD (merged), LK_LEAD_LOST_REASON), error) &&
       note_merge (self, primary, others, FALSE, moved_activities, moved_changes, merge_id, error);
  if (!ok)
    g_prefix_error (error, _("Could not merge the leads: "));
  return lk_store_finish (self, ok, error);
}

/**
 * lk_store_merge_typed:
 * @primary_id: the lead already there, which takes the values
 * @typed: a lead as typed (quick capture, a new lead's editor), never
 *   saved; to name it in @choices, give it an id first
 *   (lk_record_ensure_id())
 * @choices: (nullable) (element-type utf8 utf8): as for
 *   lk_store_merge_leads(), but the owner and the stage are always the
 *   primary's: a lead being typed has neither yet
 * @merge_id: (out) (optional): the merge's id, for lk_store_unmerge()
 *
 * The banner's Merge while a lead is typed that is already there: its
 * values go into the primary as lk_store_merge_leads() would merge them
 * (the empty fields filled, tags joined, the note added), and the lead
 * typed is not added. The note on the primary's timeline keeps the lead
 * typed: lk_store_unmerge() puts the primary back and adds that lead as
 * a lead of its own, as Add Anyway would have.
 */
gboolean
lk_store_merge_typed (LkStore     *self,
                      const char  *primary_id,
                      LkLead      *typed,
                      GHashTable  *choices,
                      char       **merge_id,
                      GError     **error)
{
  g_autoptr(JsonObject) no_moves = json_object_new ();
  g_autoptr(LkLead) primary = NULL;
  g_autoptr(LkLead) merged = NULL;
  g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func (g_object_unref);
  const char *typed_id;
  gboolean ok;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (primary_id != NULL, FALSE);
  g_return_val_if_fail (LK_IS_LEAD (typed), FALSE);

  g_ptr_array_add (others, lk_lead_copy (typed));
  lk_record_ensure_id (g_ptr_array_index (others, 0));
  typed_id = lk_record_get_id (g_ptr_array_index (others, 0));
  if (choices != NULL)
    for (guint i = 0; i < 2; i++)
      {
        const char *name = i == 0 ? "owner" : "stage";

        if (g_strcmp0 (g_hash_table_lookup (choices, name), typed_id) == 0)
          {
            g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                         _("“%s” is not a field a merge can take from a lead being typed"), name);
            return FALSE;
          }
      }

  if (!lk_store_begin (self, error))
    return FALSE;
  if (lk_store_lookup_rowid (self, typed_id) != 0)
    {
      g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                   _("The lead “%s” is saved already: merge the two saved leads instead"),
                   lk_lead_get_display_name (typed));
      return lk_store_finish (self, FALSE, error);
    }
  primary = get_live_lead (self, primary_id, error);
  if (primary == NULL)
    return lk_store_finish (self, FALSE, error);
  merged = merge_values (primary, others, choices, error);
  if (merged == NULL)
    return lk_store_finish (self, FALSE, error);
  ok = lk_store_update_lead (self, merged, lk_record_get_string (LK_RECORD (merged), LK_LEAD_LOST_REASON), error) &&
       note_merge (self, primary, others, TRUE, no_moves, no_moves, merge_id, error);
  if (!ok)
    g_prefix_error (error, _("Could not merge the leads: "));
  return lk_store_finish (self, ok, error);
}

static gboolean
move_back (LkStore     *self,
           GType        type,
           guint        lead_field,
           JsonObject  *moved,
           GError     **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GList) ids = moved ? json_object_get_members (moved) : NULL;

  for (GList *l = ids; l != NULL; l = l->next)
    {
      LkRecord *record = lk_store_get_record (self, type, "id = ?", l->data, error);

      if (record == NULL)
        return FALSE;
      lk_record_set_string (record, lead_field, json_object_get_string_member (moved, l->data));
      g_ptr_array_add (records, record);
    }
  return records->len == 0 || lk_store_put_records (self, records, error);
}

/* A tombstone of the merge back to a lead */
static gboolean
raise_lead (LkStore     *self,
            const char  *lead_id,
            GError     **error)
{
  g_autoptr(LkLead) lead = lk_store_get_lead (self, lead_id, error);
  g_autoptr(GPtrArray) records = g_ptr_array_new ();
  g_autoptr(JsonObject) extra = json_object_new ();
  JsonObject *old;

  if (lead == NULL)
    return FALSE;
  old = lk_record_get_extra (LK_RECORD (lead));
  if (old != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (old);

      for (GList *l = members; l != NULL; l = l->next)
        if (!g_str_equal (l->data, "merged_into"))
          json_object_set_member (extra, l->data, json_node_copy (json_object_get_member (old, l->data)));
    }
  lk_record_set_extra (LK_RECORD (lead), json_object_get_size (extra) > 0 ? extra : NULL);
  lk_record_set_deleted (LK_RECORD (lead), FALSE);
  lk_record_set_int (LK_RECORD (lead), LK_LEAD_UPDATED_AT, lk_clock_now_ms (lk_store_get_clock (self)));
  lk_record_set_string (LK_RECORD (lead), LK_LEAD_UPDATED_BY, lk_store_get_user_id (self));
  g_ptr_array_add (records, lead);
  return lk_store_put_records (self, records, error);
}

/**
 * lk_store_unmerge:
 * @merge_id: the id lk_store_merge_leads() gave (its note's)
 *
 * Undoes a merge in one transaction: the leads merged come back, their
 * activities and stage history go back to them (a lead that was typed,
 * lk_store_merge_typed(), is added), the primary takes the values it had,
 * and the merge's note is deleted. Edits made to the
 * primary since the merge are replaced by its values before the merge.
 */
gboolean
lk_store_unmerge (LkStore     *self,
                  const char  *merge_id,
                  GError     **error)
{
  g_autoptr(LkRecord) note = NULL;
  g_autoptr(LkRecord) before = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new ();
  JsonObject *extra;
  JsonArray *merged;
  gboolean ok = TRUE;

  g_return_val_if_fail (LK_IS_STORE (self), FALSE);
  g_return_val_if_fail (merge_id != NULL, FALSE);

  if (!lk_store_begin (self, error))
    return FALSE;
  note = lk_store_get_record (self, LK_TYPE_ACTIVITY, "id = ?", merge_id, error);
  if (note == NULL)
    return lk_store_finish (self, FALSE, error);
  extra = lk_record_get_extra (note);
  if (lk_record_get_deleted (note) || extra == NULL ||
      !json_object_has_member (extra, "merged") || !json_object_has_member (extra, "before"))
    {
      g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                   _("“%s” is not a merge that can be undone"), merge_id);
      return lk_store_finish (self, FALSE, error);
    }
  before = lk_doc_to_record (json_object_get_object_member (extra, "before"), error);
  if (before == NULL || !LK_IS_LEAD (before))
    {
      if (before != NULL)
        g_set_error (error, LK_ERROR, LK_ERROR_INVALID, _("“%s” is not a merge that can be undone"), merge_id);
      return lk_store_finish (self, FALSE, error);
    }

  merged = json_object_get_array_member (extra, "merged");
  for (guint i = 0; ok && merged != NULL && i < json_array_get_length (merged); i++)
    ok = raise_lead (self, json_array_get_string_element (merged, i), error);
  /* A lead that was typed, not saved (lk_store_merge_typed()): added now */
  if (ok && json_object_has_member (extra, "typed"))
    {
      JsonNode *node = json_object_get_member (extra, "typed");
      g_autoptr(LkRecord) typed = JSON_NODE_HOLDS_OBJECT (node)
                                  ? lk_doc_to_record (json_node_get_object (node), error) : NULL;

      if (typed != NULL && !LK_IS_LEAD (typed))
        g_set_error (error, LK_ERROR, LK_ERROR_INVALID, _("“%s” is not a merge that can be undone"), merge_id);
      ok = typed != NULL && LK_IS_LEAD (typed) && lk_store_create_lead (self, LK_LEAD (typed), error);
    }
  ok = ok &&
       move_back (self, LK_TYPE_ACTIVITY, LK_ACTIVITY_LEAD,
                  json_object_get_object_member (extra, "moved_activities"), error) &&
       move_back (self, LK_TYPE_STAGE_CHANGE, LK_STAGE_CHANGE_LEAD,
                  json_object_get_object_member (extra, "moved_stage_changes"), error) &&
       lk_store_update_lead (self, LK_LEAD (before),
                            lk_record_get_string (before, LK_LEAD_LOST_REASON), error);
  if (ok)
    {
      lk_record_set_deleted (note, TRUE);
      g_ptr_array_add (records, note);
      ok = lk_store_put_records (self, records, error);
    }
  if (!ok)
    g_prefix_error (error, _("Could not undo the merge: "));
  return lk_store_finish (self, ok, error);
}
