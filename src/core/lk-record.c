/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-record"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "lk-utils.h"
#include "lk-error.h"
#include "lk-record.h"

/* A record is one document of the shared database: a lead, an activity, a
 * stage change, a user. Each subclass describes its fields once, in a
 * table; properties, JSON documents (lk-doc), SQL columns (lk-store) and
 * the CLI's FIELD=VALUE all follow that table. */
typedef struct
{
  /* Owned */
  char         *id;
  JsonObject   *extra;     /* fields this version does not know, kept verbatim */
  LkFieldValue *values;

  gint64        rowid;
  guint         deleted : 1;
} LkRecordPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (LkRecord, lk_record, G_TYPE_OBJECT)

G_DEFINE_QUARK (lk-error-quark, lk_error)

enum {
  PROP_0,
  PROP_ID,
  PROP_DELETED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
field_value_clear (LkFieldValue *v)
{
  g_clear_pointer (&v->s, g_free);
  g_clear_pointer (&v->v, g_strfreev);
  v->i = 0;
}

static void
field_value_copy (const LkFieldValue *src,
                  LkFieldValue       *dst)
{
  dst->s = g_strdup (src->s);
  dst->i = src->i;
  dst->v = g_strdupv (src->v);
}

static gboolean
strv_equal0 (char **a,
             char **b)
{
  guint na = a ? g_strv_length (a) : 0;
  guint nb = b ? g_strv_length (b) : 0;

  if (na != nb)
    return FALSE;
  for (guint i = 0; i < na; i++)
    if (g_strcmp0 (a[i], b[i]) != 0)
      return FALSE;
  return TRUE;
}

static gboolean
field_value_equal (const LkFieldInfo  *info,
                   const LkFieldValue *a,
                   const LkFieldValue *b)
{
  switch (info->kind)
    {
    case LK_FIELD_STRING:
    case LK_FIELD_REF:
      return g_strcmp0 (a->s ? a->s : "", b->s ? b->s : "") == 0;
    case LK_FIELD_TAGS:
      return strv_equal0 (a->v, b->v);
    case LK_FIELD_INT:
    case LK_FIELD_MONEY:
    case LK_FIELD_BOOL:
    case LK_FIELD_TIME:
    default:
      return a->i == b->i;
    }
}

static char *
property_name_for (const char *field_name)
{
  char *name = g_strdup (field_name);

  g_strdelimit (name, "._", '-');
  return name;
}

static GParamSpec *
param_spec_for (const LkFieldInfo *info)
{
  g_autofree char *canonical = property_name_for (info->name);
  const char *name = g_intern_string (canonical);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  switch (info->kind)
    {
    case LK_FIELD_STRING:
    case LK_FIELD_REF:
      return g_param_spec_string (name, NULL, NULL, NULL, flags);
    case LK_FIELD_TAGS:
      return g_param_spec_boxed (name, NULL, NULL, G_TYPE_STRV, flags);
    case LK_FIELD_BOOL:
      return g_param_spec_boolean (name, NULL, NULL, FALSE, flags);
    case LK_FIELD_MONEY:
    case LK_FIELD_TIME:
      return g_param_spec_int64 (name, NULL, NULL, 0, G_MAXINT64, 0, flags);
    case LK_FIELD_INT:
    default:
      return g_param_spec_int64 (name, NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
    }
}

static void
record_field_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  LkRecord *self = LK_RECORD (object);
  LkRecordClass *klass = LK_RECORD_GET_CLASS (self);
  guint field = prop_id - 1;

  g_assert (field < klass->n_fields);

  switch (klass->fields[field].kind)
    {
    case LK_FIELD_STRING:
    case LK_FIELD_REF:
      g_value_set_string (value, lk_record_get_string (self, field));
      break;
    case LK_FIELD_TAGS:
      g_value_set_boxed (value, lk_record_get_tags (self, field));
      break;
    case LK_FIELD_BOOL:
      g_value_set_boolean (value, lk_record_get_bool (self, field));
      break;
    case LK_FIELD_INT:
    case LK_FIELD_MONEY:
    case LK_FIELD_TIME:
    default:
      g_value_set_int64 (value, lk_record_get_int (self, field));
      break;
    }
}

static void
record_field_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  LkRecord *self = LK_RECORD (object);
  LkRecordClass *klass = LK_RECORD_GET_CLASS (self);
  guint field = prop_id - 1;

  g_assert (field < klass->n_fields);

  switch (klass->fields[field].kind)
    {
    case LK_FIELD_STRING:
    case LK_FIELD_REF:
      lk_record_set_string (self, field, g_value_get_string (value));
      break;
    case LK_FIELD_TAGS:
      lk_record_set_tags (self, field, g_value_get_boxed (value));
      break;
    case LK_FIELD_BOOL:
      lk_record_set_bool (self, field, g_value_get_boolean (value));
      break;
    case LK_FIELD_INT:
    case LK_FIELD_MONEY:
    case LK_FIELD_TIME:
    default:
      lk_record_set_int (self, field, g_value_get_int64 (value));
      break;
    }
}

static void
lk_record_finalize (GObject *object)
{
  LkRecord *self = LK_RECORD (object);
  LkRecordPrivate *priv = lk_record_get_instance_private (self);
  LkRecordClass *klass = LK_RECORD_GET_CLASS (self);

  for (guint i = 0; priv->values != NULL && i < klass->n_fields; i++)
    field_value_clear (&priv->values[i]);
  g_clear_pointer (&priv->values, g_free);
  g_clear_pointer (&priv->id, g_free);
  g_clear_pointer (&priv->extra, json_object_unref);

  G_OBJECT_CLASS (lk_record_parent_class)->finalize (object);
}

static void
lk_record_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  LkRecord *self = LK_RECORD (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, lk_record_get_id (self));
      break;
    case PROP_DELETED:
      g_value_set_boolean (value, lk_record_get_deleted (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_record_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  LkRecord *self = LK_RECORD (object);

  switch (prop_id)
    {
    case PROP_ID:
      lk_record_set_id (self, g_value_get_string (value));
      break;
    case PROP_DELETED:
      lk_record_set_deleted (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_record_class_init (LkRecordClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lk_record_finalize;
  object_class->get_property = lk_record_get_property;
  object_class->set_property = lk_record_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DELETED] =
    g_param_spec_boolean ("deleted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lk_record_init (LkRecord *self)
{
}

/* Allocated on first use: while LkRecord's instance_init runs, the
 * instance's class is still LkRecordClass, which has no fields. */
static LkFieldValue *
values_of (LkRecord *self)
{
  LkRecordPrivate *priv = lk_record_get_instance_private (self);

  if (priv->values == NULL)
    priv->values = g_new0 (LkFieldValue, MAX (LK_RECORD_GET_CLASS (self)->n_fields, 1));
  return priv->values;
}

static LkDocKey *
doc_key_for (GHashTable *doc_keys,
             const char *name)
{
  LkDocKey *entry = g_hash_table_lookup (doc_keys, name);

  if (entry == NULL)
    {
      entry = g_new (LkDocKey, 1);
      *entry = (LkDocKey) { -1, -1, NULL };
      g_hash_table_insert (doc_keys, (char *) g_intern_string (name), entry);
    }
  return entry;
}

/* Every key a document of the class may hold for its fields: the lookups
 * lk-doc makes per member instead of comparing each name with each field.
 * Like the class, the tables live as long as the program. */
static void
build_doc_keys (LkRecordClass *klass)
{
  GPtrArray *parents = g_ptr_array_new ();

  klass->field_paths = g_new0 (LkFieldPath, MAX (klass->n_fields, 1));
  klass->doc_keys = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < klass->n_fields; i++)
    {
      const char *name = klass->fields[i].name;
      const char *dot = strchr (name, '.');
      LkFieldPath *path = &klass->field_paths[i];
      LkDocKey *entry;

      /* Documents nest one level ("bant.budget"), and the keys lk-doc
       * writes itself ("_id", "type", "schema") are no field's. */
      g_assert (dot == NULL || strchr (dot + 1, '.') == NULL);
      g_assert (name[0] != '_' && !g_str_equal (name, "type") && !g_str_equal (name, "schema"));

      /* The flat spelling is a known key too: a top-level "bant.budget"
       * is neither read nor kept in extra. */
      entry = doc_key_for (klass->doc_keys, name);
      if (dot == NULL)
        {
          *path = (LkFieldPath) { name, -1 };
          entry->field = (int) i;
          continue;
        }

      {
        g_autofree char *parent = g_strndup (name, dot - name);
        LkDocKey *parent_entry = doc_key_for (klass->doc_keys, parent);

        if (parent_entry->parent < 0)
          {
            parent_entry->parent = (int) parents->len;
            parent_entry->children = g_hash_table_new (g_str_hash, g_str_equal);
            g_ptr_array_add (parents, (char *) g_intern_string (parent));
          }
        *path = (LkFieldPath) { dot + 1, parent_entry->parent };
        g_hash_table_insert (parent_entry->children, (char *) (dot + 1), GUINT_TO_POINTER (i + 1));
      }
    }
  klass->n_doc_parents = parents->len;
  g_ptr_array_add (parents, NULL);
  klass->doc_parents = (char **) g_ptr_array_free (parents, FALSE);
}

/**
 * lk_record_class_set_fields:
 *
 * Called from a subclass's class_init: describes its fields and installs
 * one property per field (named like the field, with '-' for '.' and '_').
 */
void
lk_record_class_set_fields (LkRecordClass     *klass,
                            const char        *doc_type,
                            const char        *table,
                            const LkFieldInfo *fields,
                            guint              n_fields)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  klass->doc_type = doc_type;
  klass->table = table;
  klass->fields = fields;
  klass->n_fields = n_fields;

  object_class->get_property = record_field_get_property;
  object_class->set_property = record_field_set_property;
  klass->field_pspecs = g_new0 (GParamSpec *, n_fields);
  for (guint i = 0; i < n_fields; i++)
    {
      klass->field_pspecs[i] = param_spec_for (&fields[i]);
      g_object_class_install_property (object_class, i + 1, klass->field_pspecs[i]);
    }
  build_doc_keys (klass);
}

const LkFieldInfo *
lk_record_class_get_fields (LkRecordClass *klass,
                            guint         *n_fields)
{
  if (n_fields)
    *n_fields = klass->n_fields;
  return klass->fields;
}

/* Returns the index of the field called @name (flat name, "bant.budget",
 * or its column spelling "bant_budget"), or -1. */
int
lk_record_class_find_field (LkRecordClass *klass,
                            const char    *name)
{
  for (guint i = 0; i < klass->n_fields; i++)
    if (g_str_equal (klass->fields[i].name, name) || g_str_equal (klass->fields[i].column, name))
      return (int) i;
  return -1;
}

LkRecord *
lk_record_copy (LkRecord *self)
{
  LkRecordPrivate *priv = lk_record_get_instance_private (self);
  LkRecordClass *klass = LK_RECORD_GET_CLASS (self);
  LkRecord *copy;
  LkRecordPrivate *cpriv;

  g_return_val_if_fail (LK_IS_RECORD (self), NULL);

  copy = g_object_new (G_OBJECT_TYPE (self), NULL);
  cpriv = lk_record_get_instance_private (copy);
  cpriv->id = g_strdup (priv->id);
  cpriv->rowid = priv->rowid;
  cpriv->deleted = priv->deleted;
  /* Extra fields are never modified in place, so sharing them is safe. */
  if (priv->extra)
    cpriv->extra = json_object_ref (priv->extra);
  /* The copy's init set its defaults (the stage "new"): replaced, not leaked. */
  for (guint i = 0; i < klass->n_fields; i++)
    {
      field_value_clear (&values_of (copy)[i]);
      field_value_copy (&values_of (self)[i], &values_of (copy)[i]);
    }
  return copy;
}

gboolean
lk_record_equal (LkRecord *a,
                 LkRecord *b)
{
  LkRecordClass *klass;

  g_return_val_if_fail (LK_IS_RECORD (a) && LK_IS_RECORD (b), FALSE);

  if (G_OBJECT_TYPE (a) != G_OBJECT_TYPE (b))
    return FALSE;
  if (g_strcmp0 (lk_record_get_id (a), lk_record_get_id (b)) != 0 ||
      lk_record_get_deleted (a) != lk_record_get_deleted (b))
    return FALSE;
  klass = LK_RECORD_GET_CLASS (a);
  for (guint i = 0; i < klass->n_fields; i++)
    if (!lk_record_field_equal (a, b, i))
      return FALSE;
  return TRUE;
}

gboolean
lk_record_field_equal (LkRecord *a,
                       LkRecord *b,
                       guint     field)
{
  LkRecordClass *klass = LK_RECORD_GET_CLASS (a);

  g_return_val_if_fail (field < klass->n_fields, FALSE);
  return field_value_equal (&klass->fields[field], &values_of (a)[field], &values_of (b)[field]);
}

const char *
lk_record_get_id (LkRecord *self)
{
  LkRecordPrivate *priv = lk_record_get_instance_private (self);

  g_return_val_if_fail (LK_IS_RECORD (self), NULL);
  return priv->id;
}

void
lk_record_set_id (LkRecord   *self,
                  const char *id)
{
  LkRecordPrivate *priv = lk_record_get_instance_private (self);

  g_return_if_fail (LK_IS_RECORD (self));

  if (lk_set_str (&priv->id, id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

/* The length of a UUID's text */
#define LK_UUID_LEN 36

static void
put_hex (char    *out,
         guint64  value,
         guint    digits)
{
  static const char hex[] = "0123456789abcdef";

  for (guint i = digits; i > 0; i--, value >>= 4)
    out[i - 1] = hex[value & 0xf];
}

/* Writes the 36 characters of a new UUID at @out: an import makes two per
 * lead, and printf's parsing of the format was most of their cost. */
static void
write_uuid (char *out)
{
  guint64 ms = (guint64) (g_get_real_time () / 1000);
  guint32 r1 = g_random_int ();
  guint32 r2 = g_random_int ();
  guint32 r3 = g_random_int ();

  /* %08x-%04x-7%03x-%04x-%04x%08x */
  put_hex (out, ms >> 16, 8);
  out[8] = '-';
  put_hex (out + 9, ms & 0xffff, 4);
  out[13] = '-';
  out[14] = '7';
  put_hex (out + 15, r1 & 0xfff, 3);
  out[18] = '-';
  put_hex (out + 19, 0x8000 | ((r1 >> 12) & 0x3fff), 4);
  out[23] = '-';
  put_hex (out + 24, r2 & 0xffff, 4);
  put_hex (out + 28, r3, 8);
}

/* Ids are made by the client ("lead:<uuid>"): a retried create must never
 * produce a second document. */
void
lk_record_ensure_id (LkRecord *self)
{
  LkRecordPrivate *priv = lk_record_get_instance_private (self);
  const char *doc_type;
  gsize len;
  char *id;

  g_return_if_fail (LK_IS_RECORD (self));

  if (priv->id != NULL && priv->id[0] != '\0')
    return;
  /* "lead:" and the UUID, made in place */
  doc_type = LK_RECORD_GET_CLASS (self)->doc_type;
  len = strlen (doc_type);
  id = g_malloc (len + 1 + LK_UUID_LEN + 1);
  memcpy (id, doc_type, len);
  id[len] = ':';
  write_uuid (id + len + 1);
  id[len + 1 + LK_UUID_LEN] = '\0';
  g_free (priv->id);
  priv->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

gint64
lk_record_get_rowid (LkRecord *self)
{
  LkRecordPrivate *priv = lk_record_get_instance_private (self);

  return priv->rowid;
}

void
lk_record_set_rowid (LkRecord *self,
                     gint64    rowid)
{
  LkRecordPrivate *priv = lk_record_get_instance_private (self);

  priv->rowid = rowid;
}

gboolean
lk_record_get_deleted (LkRecord *self)
{
  LkRecordPrivate *priv = lk_record_get_instance_private (self);

  g_return_val_if_fail (LK_IS_RECORD (self), FALSE);
  return priv->deleted;
}

void
lk_record_set_deleted (LkRecord *self,
                       gboolean  deleted)
{
  LkRecordPrivate *priv = lk_record_get_instance_private (self);

  g_return_if_fail (LK_IS_RECORD (self));

  deleted = !!deleted;
  if (priv->deleted == (guint) deleted)
    return;
  priv->deleted = deleted;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELETED]);
}

/**
 * lk_record_get_extra:
 *
 * Returns: (nullable) (transfer none): the document's fields this version
 *   does not know; they are written back unchanged.
 */
JsonObject *
lk_record_get_extra (LkRecord *self)
{
  LkRecordPrivate *priv = lk_record_get_instance_private (self);

  return priv->extra;
}

void
lk_record_set_extra (LkRecord   *self,
                     JsonObject *extra)
{
  LkRecordPrivate *priv = lk_record_get_instance_private (self);

  if (extra == priv->extra)
    return;
  g_clear_pointer (&priv->extra, json_object_unref);
  if (extra != NULL && json_object_get_size (extra) > 0)
    priv->extra = json_object_ref (extra);
}

static LkFieldValue *
value_for (LkRecord    *self,
           guint        field,
           LkFieldKind *kind)
{
  LkRecordClass *klass = LK_RECORD_GET_CLASS (self);

  g_assert (field < klass->n_fields);
  if (kind)
    *kind = klass->fields[field].kind;
  return &values_of (self)[field];
}

static void
notify_field (LkRecord *self,
              guint     field)
{
  /* No checked cast: every setter has checked @self already. */
  g_object_notify_by_pspec ((GObject *) self, LK_RECORD_GET_CLASS (self)->field_pspecs[field]);
}

/**
 * lk_record_split_tags:
 *
 * Splits a list of tags as people type it: separated by commas or
 * semicolons, Latin or full-width (，；), or the Chinese enumeration
 * comma (、).
 *
 * Returns: (transfer full): the pieces, untrimmed, empty ones included
 */
char **
lk_record_split_tags (const char *text)
{
  g_autoptr(GString) s = g_string_new (text);

  g_return_val_if_fail (text != NULL, NULL);

  /* Byte-wise g_strsplit_set() would cut a character such as 会
   * (E4 BC 9A) on the second byte of ， (EF BC 8C). */
  g_string_replace (s, "，", ",", 0);
  g_string_replace (s, "；", ",", 0);
  g_string_replace (s, "、", ",", 0);
  g_string_replace (s, ";", ",", 0);
  return g_strsplit (s->str, ",", -1);
}

/**
 * lk_record_get_string:
 *
 * Returns: the text of a string field ("" when empty), or of a reference
 *   field (%NULL when null).
 */
const char *
lk_record_get_string (LkRecord *self,
                      guint     field)
{
  LkFieldKind kind;
  LkFieldValue *v;

  g_return_val_if_fail (LK_IS_RECORD (self), NULL);

  v = value_for (self, field, &kind);
  g_return_val_if_fail (kind == LK_FIELD_STRING || kind == LK_FIELD_REF, NULL);
  if (kind == LK_FIELD_REF)
    return v->s;
  return v->s ? v->s : "";
}

void
lk_record_set_string (LkRecord   *self,
                      guint       field,
                      const char *value)
{
  LkFieldKind kind;
  LkFieldValue *v;

  g_return_if_fail (LK_IS_RECORD (self));

  v = value_for (self, field, &kind);
  g_return_if_fail (kind == LK_FIELD_STRING || kind == LK_FIELD_REF);
  if (value != NULL && value[0] == '\0')
    value = NULL;
  if (lk_set_str (&v->s, value))
    notify_field (self, field);
}

gint64
lk_record_get_int (LkRecord *self,
                   guint     field)
{
  LkFieldKind kind;
  LkFieldValue *v;

  g_return_val_if_fail (LK_IS_RECORD (self), 0);

  v = value_for (self, field, &kind);
  g_return_val_if_fail (kind == LK_FIELD_INT || kind == LK_FIELD_MONEY ||
                        kind == LK_FIELD_TIME || kind == LK_FIELD_BOOL, 0);
  return v->i;
}

void
lk_record_set_int (LkRecord *self,
                   guint     field,
                   gint64    value)
{
  LkFieldKind kind;
  LkFieldValue *v;

  g_return_if_fail (LK_IS_RECORD (self));

  v = value_for (self, field, &kind);
  g_return_if_fail (kind == LK_FIELD_INT || kind == LK_FIELD_MONEY ||
                    kind == LK_FIELD_TIME || kind == LK_FIELD_BOOL);
  if (kind == LK_FIELD_BOOL)
    value = !!value;
  if (v->i == value)
    return;
  v->i = value;
  notify_field (self, field);
}

gboolean
lk_record_get_bool (LkRecord *self,
                    guint     field)
{
  return lk_record_get_int (self, field) != 0;
}

void
lk_record_set_bool (LkRecord *self,
                    guint     field,
                    gboolean  value)
{
  lk_record_set_int (self, field, !!value);
}

const char * const *
lk_record_get_tags (LkRecord *self,
                    guint     field)
{
  static const char * const empty[] = { NULL };
  LkFieldKind kind;
  LkFieldValue *v;

  g_return_val_if_fail (LK_IS_RECORD (self), empty);

  v = value_for (self, field, &kind);
  g_return_val_if_fail (kind == LK_FIELD_TAGS, empty);
  return v->v ? (const char * const *) v->v : empty;
}

void
lk_record_set_tags (LkRecord           *self,
                    guint               field,
                    const char * const *tags)
{
  LkFieldKind kind;
  LkFieldValue *v;
  g_auto(GStrv) normalized = NULL;

  g_return_if_fail (LK_IS_RECORD (self));

  v = value_for (self, field, &kind);
  g_return_if_fail (kind == LK_FIELD_TAGS);
  normalized = lk_tags_normalize (tags);
  if (strv_equal0 (v->v, normalized))
    return;
  g_strfreev (v->v);
  v->v = g_steal_pointer (&normalized);
  notify_field (self, field);
}

/* Tags are trimmed, empty ones dropped, duplicates removed; order kept. */
char **
lk_tags_normalize (const char * const *tags)
{
  guint n = tags != NULL ? g_strv_length ((char **) tags) : 0;
  char **normalized = g_new (char *, n + 1);
  g_autoptr(GHashTable) seen = NULL;
  guint kept = 0;

  /* A lead has a handful of tags: comparing each with the ones kept costs
   * less than hashing them. A long list gets a set. */
  if (n > 16)
    seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n; i++)
    {
      char *tag = g_strstrip (g_strdup (tags[i]));
      gboolean duplicate = FALSE;

      if (seen != NULL)
        duplicate = g_hash_table_contains (seen, tag);
      else
        for (guint j = 0; j < kept && !duplicate; j++)
          duplicate = g_str_equal (normalized[j], tag);
      if (tag[0] == '\0' || duplicate)
        {
          g_free (tag);
          continue;
        }
      if (seen != NULL)
        g_hash_table_add (seen, tag);
      normalized[kept++] = tag;
    }
  normalized[kept] = NULL;
  return normalized;
}

static gboolean
parse_money (const char *text,
             gint64     *out)
{
  g_autofree char *clean = g_strstrip (g_strdup (text));
  char *end = NULL;
  double value;

  g_strdelimit (clean, ",", ' ');
  /* Thousands separators ("12,000.50") are dropped, not taken as decimals. */
  {
    g_autoptr(GString) s = g_string_new (NULL);

    for (const char *p = clean; *p; p++)
      if (*p != ' ')
        g_string_append_c (s, *p);
    g_free (clean);
    clean = g_string_free (g_steal_pointer (&s), FALSE);
  }
  if (clean[0] == '\0')
    {
      *out = 0;
      return TRUE;
    }
  value = g_ascii_strtod (clean, &end);
  if (end == clean || *end != '\0' || !isfinite (value) || value > 9e15)
    return FALSE;
  *out = (gint64) llround (value * 100.0);
  return TRUE;
}

static gboolean
parse_time (const char *text,
            gint64     *out)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  char *end = NULL;
  gint64 number;

  if (text[0] == '\0' || g_ascii_strcasecmp (text, "null") == 0)
    {
      *out = 0;
      return TRUE;
    }
  number = g_ascii_strtoll (text, &end, 10);
  if (end != text && *end == '\0' && number > 0)
    {
      *out = number;
      return TRUE;
    }
  dt = g_date_time_new_from_iso8601 (text, local);
  if (dt == NULL && strlen (text) == 10)
    {
      g_autofree char *midnight = g_strconcat (text, "T00:00:00", NULL);

      dt = g_date_time_new_from_iso8601 (midnight, local);
    }
  if (dt == NULL && strlen (text) == 16 && (text[10] == 'T' || text[10] == ' '))
    {
      /* "2024-05-03T14:30": GLib 2.74 wants the seconds. */
      g_autofree char *with_seconds = g_strconcat (text, ":00", NULL);

      with_seconds[10] = 'T';
      dt = g_date_time_new_from_iso8601 (with_seconds, local);
    }
  if (dt == NULL)
    return FALSE;
  *out = g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000;
  return TRUE;
}

static gboolean
parse_bool (const char *text,
            gint64     *out)
{
  static const char * const yes[] = { "true", "yes", "1", "y", "on", "是", NULL };
  static const char * const no[] = { "false", "no", "0", "n", "off", "否", "", NULL };

  for (guint i = 0; yes[i]; i++)
    if (g_ascii_strcasecmp (text, yes[i]) == 0)
      return (*out = 1), TRUE;
  for (guint i = 0; no[i]; i++)
    if (g_ascii_strcasecmp (text, no[i]) == 0)
      return (*out = 0), TRUE;
  return FALSE;
}

gboolean
lk_record_set_from_text (LkRecord    *self,
                         guint        field,
                         const char  *text,
                         GError     **error)
{
  LkRecordClass *klass = LK_RECORD_GET_CLASS (self);
  const LkFieldInfo *info;
  gint64 number = 0;
  char *end = NULL;

  g_return_val_if_fail (LK_IS_RECORD (self), FALSE);
  g_return_val_if_fail (field < klass->n_fields, FALSE);

  info = &klass->fields[field];
  switch (info->kind)
    {
    case LK_FIELD_STRING:
    case LK_FIELD_REF:
      lk_record_set_string (self, field, text);
      return TRUE;

    case LK_FIELD_TAGS:
      {
        g_auto(GStrv) tags = lk_record_split_tags (text);

        lk_record_set_tags (self, field, (const char * const *) tags);
        return TRUE;
      }

    case LK_FIELD_BOOL:
      if (!parse_bool (text, &number))
        {
          g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                       _("“%s” must be true or false, not “%s”"), info->name, text);
          return FALSE;
        }
      break;

    case LK_FIELD_MONEY:
      if (!parse_money (text, &number) || number < 0)
        {
          g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                       _("“%s” must be a non-negative amount such as 1250.50, not “%s”"),
                       info->name, text);
          return FALSE;
        }
      break;

    case LK_FIELD_TIME:
      if (!parse_time (text, &number))
        {
          g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                       _("“%s” must be a date such as 2024-05-03 or 2024-05-03T14:30, not “%s”"),
                       info->name, text);
          return FALSE;
        }
      break;

    case LK_FIELD_INT:
    default:
      number = g_ascii_strtoll (text, &end, 10);
      if (end == text || *end != '\0')
        {
          g_set_error (error, LK_ERROR, LK_ERROR_INVALID,
                       _("“%s” must be a whole number, not “%s”"), info->name, text);
          return FALSE;
        }
      break;
    }

  lk_record_set_int (self, field, number);
  return TRUE;
}

/* The field as plain text, in the form lk_record_set_from_text() reads. */
char *
lk_record_format_field (LkRecord *self,
                        guint     field)
{
  LkRecordClass *klass = LK_RECORD_GET_CLASS (self);
  LkFieldValue *v = value_for (self, field, NULL);

  switch (klass->fields[field].kind)
    {
    case LK_FIELD_STRING:
    case LK_FIELD_REF:
      return g_strdup (v->s ? v->s : "");
    case LK_FIELD_TAGS:
      return v->v ? g_strjoinv (",", v->v) : g_strdup ("");
    case LK_FIELD_BOOL:
      return g_strdup (v->i ? "true" : "false");
    case LK_FIELD_MONEY:
      return g_strdup_printf ("%" G_GINT64_FORMAT ".%02d", v->i / 100, (int) (v->i % 100));
    case LK_FIELD_TIME:
      {
        g_autoptr(GDateTime) dt = NULL;

        if (v->i == 0)
          return g_strdup ("");
        dt = g_date_time_new_from_unix_utc (v->i / 1000);
        return g_date_time_format_iso8601 (dt);
      }
    case LK_FIELD_INT:
    default:
      return g_strdup_printf ("%" G_GINT64_FORMAT, v->i);
    }
}

/* A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random
 * bits. Ids made one after another sort together, so the unique indexes
 * on ids take appends instead of scattered inserts: a bulk import of
 * 100,000 leads writes several times faster than with random UUIDs. */
char *
lk_new_uuid (void)
{
  char *uuid = g_malloc (LK_UUID_LEN + 1);

  write_uuid (uuid);
  uuid[LK_UUID_LEN] = '\0';
  return uuid;
}
