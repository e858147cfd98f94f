/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-lead-query"

#include <string.h>

#include "lk-lead-query-private.h"
#include "lk-search-tokenizer.h"
#include "lk-utils.h"

/* A description of which leads to show and in what order: the filters of
 * the board and the table. The store turns it into SQL; every value the
 * user typed is bound as a parameter, never pasted into the text. */
struct _LkLeadQuery
{
  GObject     parent_instance;

  /* Owned: the string filters, indexed by property id */
  char       *strings[8];

  LkLeadSort  sort;
  LkLeadDue   due;
  guint       pool : 1;
  guint       overdue : 1;
  guint       reversed : 1;
};

G_DEFINE_FINAL_TYPE (LkLeadQuery, lk_lead_query, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (LkLeadSort, lk_lead_sort,
                    G_DEFINE_ENUM_VALUE (LK_LEAD_SORT_URGENCY, "urgency"),
                    G_DEFINE_ENUM_VALUE (LK_LEAD_SORT_AMOUNT, "amount"),
                    G_DEFINE_ENUM_VALUE (LK_LEAD_SORT_UPDATED, "updated"),
                    G_DEFINE_ENUM_VALUE (LK_LEAD_SORT_CREATED, "created"),
                    G_DEFINE_ENUM_VALUE (LK_LEAD_SORT_COMPANY, "company"),
                    G_DEFINE_ENUM_VALUE (LK_LEAD_SORT_CONTACT, "contact"),
                    G_DEFINE_ENUM_VALUE (LK_LEAD_SORT_CODE, "code"),
                    G_DEFINE_ENUM_VALUE (LK_LEAD_SORT_STAGE, "stage"),
                    G_DEFINE_ENUM_VALUE (LK_LEAD_SORT_GRADE, "grade"),
                    G_DEFINE_ENUM_VALUE (LK_LEAD_SORT_OWNER, "owner"),
                    G_DEFINE_ENUM_VALUE (LK_LEAD_SORT_SCORE, "score"),
                    G_DEFINE_ENUM_VALUE (LK_LEAD_SORT_LAST_CONTACTED, "last-contacted"),
                    G_DEFINE_ENUM_VALUE (LK_LEAD_SORT_SOURCE, "source"))

G_DEFINE_ENUM_TYPE (LkLeadDue, lk_lead_due,
                    G_DEFINE_ENUM_VALUE (LK_LEAD_DUE_ANY, "any"),
                    G_DEFINE_ENUM_VALUE (LK_LEAD_DUE_OVERDUE, "overdue"),
                    G_DEFINE_ENUM_VALUE (LK_LEAD_DUE_TODAY, "today"),
                    G_DEFINE_ENUM_VALUE (LK_LEAD_DUE_UPCOMING, "upcoming"),
                    G_DEFINE_ENUM_VALUE (LK_LEAD_DUE_NONE, "none"))

enum {
  PROP_0,
  PROP_STAGE,
  PROP_OWNER,
  PROP_SOURCE,
  PROP_GRADE,
  PROP_TEMPERATURE,
  PROP_TAG,
  PROP_SEARCH,
  LAST_STRING_PROP = PROP_SEARCH,
  PROP_POOL,
  PROP_OVERDUE,
  PROP_SORT,
  PROP_REVERSED,
  PROP_DUE,
  N_PROPS
};

G_STATIC_ASSERT (LAST_STRING_PROP < G_N_ELEMENTS (((LkLeadQuery *) 0)->strings));

static GParamSpec *properties[N_PROPS];

/* ORDER BY clauses, fixed text only; the urgency expression matches the
 * store's index on it. */
#define URGENCY "coalesce(next_followup_at, 9223372036854775807)"

static const struct
{
  const char *forward;
  const char *reversed;
} orders[] = {
  [LK_LEAD_SORT_URGENCY] = { "coalesce(next_followup_at, 9223372036854775807), rowid",
                             "coalesce(next_followup_at, 9223372036854775807) DESC, rowid DESC" },
  [LK_LEAD_SORT_AMOUNT] = { "amount DESC, rowid DESC", "amount, rowid" },
  [LK_LEAD_SORT_UPDATED] = { "updated_at DESC, rowid DESC", "updated_at, rowid" },
  [LK_LEAD_SORT_CREATED] = { "created_at DESC, rowid DESC", "created_at, rowid" },
  [LK_LEAD_SORT_COMPANY] = { "company COLLATE NOCASE, rowid", "company COLLATE NOCASE DESC, rowid DESC" },
  [LK_LEAD_SORT_CONTACT] = { "contact COLLATE NOCASE, rowid", "contact COLLATE NOCASE DESC, rowid DESC" },
  [LK_LEAD_SORT_CODE] = { "code, rowid", "code DESC, rowid DESC" },
  /* The bound value is ",new,assigned,…," in pipeline order. */
  [LK_LEAD_SORT_STAGE] = { "instr(?, ',' || stage || ','), rowid", "instr(?, ',' || stage || ',') DESC, rowid DESC" },
  [LK_LEAD_SORT_GRADE] = { "grade = '', grade, rowid", "grade = '' DESC, grade DESC, rowid DESC" },
  [LK_LEAD_SORT_OWNER] = { "owner IS NULL, owner, rowid", "owner IS NULL DESC, owner DESC, rowid DESC" },
  [LK_LEAD_SORT_SCORE] = { "score DESC, rowid DESC", "score, rowid" },
  [LK_LEAD_SORT_LAST_CONTACTED] = { "coalesce(last_contacted_at, 0) DESC, rowid DESC",
                                    "coalesce(last_contacted_at, 0), rowid" },
  [LK_LEAD_SORT_SOURCE] = { "source, rowid", "source DESC, rowid DESC" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (orders) == LK_LEAD_SORT_SOURCE + 1);

static void
set_string (LkLeadQuery *self,
            guint        prop_id,
            const char  *value)
{
  g_assert (prop_id >= PROP_STAGE && prop_id <= LAST_STRING_PROP);

  if (value != NULL && value[0] == '\0')
    value = NULL;
  if (lk_set_str (&self->strings[prop_id], value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_flag (LkLeadQuery *self,
          guint        prop_id,
          gboolean     value)
{
  gboolean old;

  value = !!value;
  switch (prop_id)
    {
    case PROP_POOL:
      old = self->pool;
      self->pool = value;
      break;
    case PROP_OVERDUE:
      old = self->overdue;
      self->overdue = value;
      break;
    case PROP_REVERSED:
    default:
      old = self->reversed;
      self->reversed = value;
      break;
    }
  if (old != value)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
lk_lead_query_finalize (GObject *object)
{
  LkLeadQuery *self = LK_LEAD_QUERY (object);

  for (guint i = 0; i < G_N_ELEMENTS (self->strings); i++)
    g_clear_pointer (&self->strings[i], g_free);

  G_OBJECT_CLASS (lk_lead_query_parent_class)->finalize (object);
}

static void
lk_lead_query_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  LkLeadQuery *self = LK_LEAD_QUERY (object);

  switch (prop_id)
    {
    case PROP_STAGE:
    case PROP_OWNER:
    case PROP_SOURCE:
    case PROP_GRADE:
    case PROP_TEMPERATURE:
    case PROP_TAG:
    case PROP_SEARCH:
      g_value_set_string (value, self->strings[prop_id]);
      break;
    case PROP_POOL:
      g_value_set_boolean (value, self->pool);
      break;
    case PROP_OVERDUE:
      g_value_set_boolean (value, self->overdue);
      break;
    case PROP_REVERSED:
      g_value_set_boolean (value, self->reversed);
      break;
    case PROP_SORT:
      g_value_set_enum (value, self->sort);
      break;
    case PROP_DUE:
      g_value_set_enum (value, self->due);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_lead_query_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  LkLeadQuery *self = LK_LEAD_QUERY (object);

  switch (prop_id)
    {
    case PROP_STAGE:
    case PROP_OWNER:
    case PROP_SOURCE:
    case PROP_GRADE:
    case PROP_TEMPERATURE:
    case PROP_TAG:
    case PROP_SEARCH:
      set_string (self, prop_id, g_value_get_string (value));
      break;
    case PROP_POOL:
    case PROP_OVERDUE:
    case PROP_REVERSED:
      set_flag (self, prop_id, g_value_get_boolean (value));
      break;
    case PROP_SORT:
      lk_lead_query_set_sort (self, g_value_get_enum (value));
      break;
    case PROP_DUE:
      lk_lead_query_set_due (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_lead_query_class_init (LkLeadQueryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  static const char * const string_names[] = {
    [PROP_STAGE] = "stage", [PROP_OWNER] = "owner", [PROP_SOURCE] = "source",
    [PROP_GRADE] = "grade", [PROP_TEMPERATURE] = "temperature", [PROP_TAG] = "tag",
    [PROP_SEARCH] = "search",
  };

  object_class->finalize = lk_lead_query_finalize;
  object_class->get_property = lk_lead_query_get_property;
  object_class->set_property = lk_lead_query_set_property;

  for (guint i = PROP_STAGE; i <= LAST_STRING_PROP; i++)
    properties[i] = g_param_spec_string (string_names[i], NULL, NULL, NULL, flags);
  properties[PROP_POOL] = g_param_spec_boolean ("pool", NULL, NULL, FALSE, flags);
  properties[PROP_OVERDUE] = g_param_spec_boolean ("overdue", NULL, NULL, FALSE, flags);
  properties[PROP_REVERSED] = g_param_spec_boolean ("reversed", NULL, NULL, FALSE, flags);
  properties[PROP_SORT] = g_param_spec_enum ("sort", NULL, NULL, LK_TYPE_LEAD_SORT,
                                             LK_LEAD_SORT_URGENCY, flags);
  properties[PROP_DUE] = g_param_spec_enum ("due", NULL, NULL, LK_TYPE_LEAD_DUE,
                                            LK_LEAD_DUE_ANY, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lk_lead_query_init (LkLeadQuery *self)
{
}

LkLeadQuery *
lk_lead_query_new (void)
{
  return g_object_new (LK_TYPE_LEAD_QUERY, NULL);
}

LkLeadQuery *
lk_lead_query_copy (LkLeadQuery *self)
{
  LkLeadQuery *copy = lk_lead_query_new ();

  g_return_val_if_fail (LK_IS_LEAD_QUERY (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (self->strings); i++)
    copy->strings[i] = g_strdup (self->strings[i]);
  copy->sort = self->sort;
  copy->due = self->due;
  copy->pool = self->pool;
  copy->overdue = self->overdue;
  copy->reversed = self->reversed;
  return copy;
}

gboolean
lk_lead_query_equal (LkLeadQuery *a,
                     LkLeadQuery *b)
{
  for (guint i = 0; i < G_N_ELEMENTS (a->strings); i++)
    if (g_strcmp0 (a->strings[i], b->strings[i]) != 0)
      return FALSE;
  return a->sort == b->sort && a->due == b->due && a->pool == b->pool &&
         a->overdue == b->overdue && a->reversed == b->reversed;
}

#define STRING_ACCESSORS(field, PROP)                                   \
  const char *                                                          \
  lk_lead_query_get_##field (LkLeadQuery *self)                         \
  {                                                                     \
    g_return_val_if_fail (LK_IS_LEAD_QUERY (self), NULL);               \
    return self->strings[PROP];                                         \
  }                                                                     \
  void                                                                  \
  lk_lead_query_set_##field (LkLeadQuery *self,                         \
                             const char  *value)                        \
  {                                                                     \
    g_return_if_fail (LK_IS_LEAD_QUERY (self));                         \
    set_string (self, PROP, value);                                     \
  }

STRING_ACCESSORS (stage, PROP_STAGE)
STRING_ACCESSORS (owner, PROP_OWNER)
STRING_ACCESSORS (source, PROP_SOURCE)
STRING_ACCESSORS (grade, PROP_GRADE)
STRING_ACCESSORS (temperature, PROP_TEMPERATURE)
STRING_ACCESSORS (tag, PROP_TAG)
STRING_ACCESSORS (search, PROP_SEARCH)

#define FLAG_ACCESSORS(field, PROP)                                     \
  gboolean                                                              \
  lk_lead_query_get_##field (LkLeadQuery *self)                         \
  {                                                                     \
    g_return_val_if_fail (LK_IS_LEAD_QUERY (self), FALSE);              \
    return self->field;                                                 \
  }                                                                     \
  void                                                                  \
  lk_lead_query_set_##field (LkLeadQuery *self,                         \
                             gboolean     value)                        \
  {                                                                     \
    g_return_if_fail (LK_IS_LEAD_QUERY (self));                         \
    set_flag (self, PROP, value);                                       \
  }

FLAG_ACCESSORS (pool, PROP_POOL)
FLAG_ACCESSORS (overdue, PROP_OVERDUE)
FLAG_ACCESSORS (reversed, PROP_REVERSED)

LkLeadDue
lk_lead_query_get_due (LkLeadQuery *self)
{
  g_return_val_if_fail (LK_IS_LEAD_QUERY (self), LK_LEAD_DUE_ANY);
  return self->due;
}

void
lk_lead_query_set_due (LkLeadQuery *self,
                       LkLeadDue    due)
{
  g_return_if_fail (LK_IS_LEAD_QUERY (self));
  g_return_if_fail (due <= LK_LEAD_DUE_NONE);

  if (self->due == due)
    return;
  self->due = due;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DUE]);
}

LkLeadSort
lk_lead_query_get_sort (LkLeadQuery *self)
{
  g_return_val_if_fail (LK_IS_LEAD_QUERY (self), LK_LEAD_SORT_URGENCY);
  return self->sort;
}

void
lk_lead_query_set_sort (LkLeadQuery *self,
                        LkLeadSort   sort)
{
  g_return_if_fail (LK_IS_LEAD_QUERY (self));
  g_return_if_fail (sort <= LK_LEAD_SORT_SOURCE);

  if (self->sort == sort)
    return;
  self->sort = sort;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SORT]);
}

static void
add_condition (LkQuerySql *out,
               const char *sql,
               GVariant   *bind)
{
  g_string_append (out->where, " AND ");
  g_string_append (out->where, sql);
  if (bind != NULL)
    g_ptr_array_add (out->binds, g_variant_ref_sink (bind));
}

#define SEARCH_SELECT "SELECT rowid FROM leads_search WHERE leads_search MATCH ?"

/* The leads @search matches: in a WHERE clause "rowid IN (…)", or for
 * lk_lead_query_build_search_sql() the SELECT itself. */
static void
build_search (const char *search,
              LkQuerySql *out,
              gboolean    as_select)
{
  g_autoptr(GString) match = g_string_new (NULL);
  g_autoptr(GString) term = g_string_new (NULL);

  /* Terms are cut where the index cuts runs: at white space. */
  for (const char *p = search;; p = g_utf8_next_char (p))
    {
      gunichar c = *p ? g_utf8_get_char (p) : 0;

      if (c == 0 || lk_search_is_separator (c))
        {
          lk_search_append_term (match, term->str);
          g_string_truncate (term, 0);
          if (c == 0)
            break;
        }
      else
        g_string_append_unichar (term, c);
    }
  if (match->len == 0)
    return;
  if (!as_select)
    {
      add_condition (out, "rowid IN (" SEARCH_SELECT ")", g_variant_new_string (match->str));
      return;
    }
  g_string_append (out->where, SEARCH_SELECT);
  g_ptr_array_add (out->binds, g_variant_ref_sink (g_variant_new_string (match->str)));
}

/**
 * lk_lead_query_build_sql:
 * @with_stage: whether the stage filter applies (column totals group by
 *   stage instead)
 *
 * Fills @out with the WHERE clause (it starts with "deleted = 0") and the
 * values to bind, in order.
 */
void
lk_lead_query_build_sql (LkLeadQuery *self,
                         LkPipeline  *pipeline,
                         gint64       start_of_today_ms,
                         gint64       start_of_tomorrow_ms,
                         gboolean     with_stage,
                         LkQuerySql  *out)
{
  static const struct
  {
    guint       prop;
    const char *sql;
  } equals[] = {
    { PROP_OWNER, "owner = ?" },
    { PROP_SOURCE, "source = ?" },
    { PROP_GRADE, "grade = ?" },
    { PROP_TEMPERATURE, "temperature = ?" },
    { PROP_TAG, "rowid IN (SELECT lead_rowid FROM lead_tags WHERE tag = ?)" },
  };

  g_return_if_fail (LK_IS_LEAD_QUERY (self));

  out->where = g_string_new ("deleted = 0");
  out->binds = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  out->order_by = self->reversed ? orders[self->sort].reversed : orders[self->sort].forward;
  out->order_binds = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  if (self->sort == LK_LEAD_SORT_STAGE)
    {
      g_autoptr(GString) ids = g_string_new (",");
      guint n = pipeline ? g_list_model_get_n_items (G_LIST_MODEL (pipeline)) : 0;

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(LkStage) stage = g_list_model_get_item (G_LIST_MODEL (pipeline), i);

          g_string_append_printf (ids, "%s,", lk_stage_get_id (stage));
        }
      g_ptr_array_add (out->order_binds, g_variant_ref_sink (g_variant_new_string (ids->str)));
    }

  if (with_stage && self->strings[PROP_STAGE] != NULL)
    add_condition (out, "stage = ?", g_variant_new_string (self->strings[PROP_STAGE]));
  for (guint i = 0; i < G_N_ELEMENTS (equals); i++)
    if (self->strings[equals[i].prop] != NULL)
      add_condition (out, equals[i].sql, g_variant_new_string (self->strings[equals[i].prop]));
  if (self->pool)
    add_condition (out, "owner IS NULL", NULL);
  if (self->overdue)
    add_condition (out, "next_followup_at < ?", g_variant_new_int64 (start_of_today_ms));
  /* The buckets test the urgency expression, so that they are ranges of
   * the indexes on it (leads_urgency, leads_owner_due), read in order. */
  switch (self->due)
    {
    case LK_LEAD_DUE_OVERDUE:
      add_condition (out, URGENCY " < ?", g_variant_new_int64 (start_of_today_ms));
      break;
    case LK_LEAD_DUE_TODAY:
      add_condition (out, URGENCY " >= ?", g_variant_new_int64 (start_of_today_ms));
      add_condition (out, URGENCY " < ?", g_variant_new_int64 (start_of_tomorrow_ms));
      break;
    case LK_LEAD_DUE_UPCOMING:
      add_condition (out, URGENCY " >= ?", g_variant_new_int64 (start_of_tomorrow_ms));
      add_condition (out, URGENCY " < 9223372036854775807", NULL);
      break;
    case LK_LEAD_DUE_NONE:
      /* ">=", not "=": an equality makes the planner sort by rowid
       * instead of reading the index in order */
      add_condition (out, URGENCY " >= 9223372036854775807", NULL);
      break;
    case LK_LEAD_DUE_ANY:
    default:
      break;
    }
  /* Won and Lost leads need no follow-up, so they are never overdue. */
  if ((self->overdue || self->due != LK_LEAD_DUE_ANY) &&
      pipeline != NULL && lk_pipeline_get_won_id (pipeline) && lk_pipeline_get_lost_id (pipeline))
    {
      add_condition (out, "stage <> ?", g_variant_new_string (lk_pipeline_get_won_id (pipeline)));
      add_condition (out, "stage <> ?", g_variant_new_string (lk_pipeline_get_lost_id (pipeline)));
    }
  if (self->strings[PROP_SEARCH] != NULL)
    build_search (self->strings[PROP_SEARCH], out, FALSE);
}

/**
 * lk_lead_query_build_search_sql:
 *
 * Fills @out->where with a SELECT of the rowids the search text matches
 * (deleted leads included: the queries that use them check), straight
 * from the full-text indexes, and @out->binds with its values. Empty when
 * the query has no search.
 */
void
lk_lead_query_build_search_sql (LkLeadQuery *self,
                                LkQuerySql  *out)
{
  g_return_if_fail (LK_IS_LEAD_QUERY (self));

  out->where = g_string_new (NULL);
  out->binds = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  out->order_by = NULL;
  out->order_binds = NULL;
  if (self->strings[PROP_SEARCH] != NULL)
    build_search (self->strings[PROP_SEARCH], out, TRUE);
}

void
lk_query_sql_clear (LkQuerySql *sql)
{
  if (sql->where)
    g_string_free (sql->where, TRUE);
  g_clear_pointer (&sql->binds, g_ptr_array_unref);
  g_clear_pointer (&sql->order_binds, g_ptr_array_unref);
  sql->where = NULL;
}
