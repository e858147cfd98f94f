/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* How a record field is typed in the document, the database and the
 * GObject property that exposes it. */
typedef enum
{
  LK_FIELD_STRING,   /* "" when empty */
  LK_FIELD_REF,      /* string or null (an id, e.g. the owner) */
  LK_FIELD_INT,
  LK_FIELD_MONEY,    /* integer minor units (分, cents), never negative */
  LK_FIELD_BOOL,
  LK_FIELD_TIME,     /* Unix ms UTC, 0 for null */
  LK_FIELD_TAGS,     /* array of distinct strings */
} LkFieldKind;

typedef struct
{
  const char  *name;    /* flat name: "company", "bant.budget" */
  const char  *column;  /* SQL column: "company", "bant_budget" */
  LkFieldKind  kind;
} LkFieldInfo;

typedef struct
{
  char   *s;
  gint64  i;
  char  **v;
} LkFieldValue;

/* Where a field sits in a document: "bant.budget" is the key "budget" of
 * the object "bant". Worked out once per class, for lk-doc. */
typedef struct
{
  const char *key;      /* points into the field's name */
  int         parent;   /* index in doc_parents, or -1 at the top level */
} LkFieldPath;

/* What a known top-level document key is: a field's key, a parent of
 * nested fields, or (for "bant.budget" written flat) neither. */
typedef struct
{
  int         field;     /* the top-level field read from it, or -1 */
  int         parent;    /* index in doc_parents, or -1 */
  GHashTable *children;  /* a parent's nested keys → field index + 1 */
} LkDocKey;

#define LK_TYPE_RECORD (lk_record_get_type ())
G_DECLARE_DERIVABLE_TYPE (LkRecord, lk_record, LK, RECORD, GObject)

struct _LkRecordClass
{
  GObjectClass       parent_class;

  const char        *doc_type;   /* "lead" */
  const char        *table;      /* "leads" */
  const LkFieldInfo *fields;
  guint              n_fields;
  GParamSpec       **field_pspecs;

  /* lk-doc's lookup tables, built by lk_record_class_set_fields() and
   * read-only afterwards (documents are read on worker threads). */
  LkFieldPath       *field_paths;
  char             **doc_parents;   /* "bant" */
  guint              n_doc_parents;
  GHashTable        *doc_keys;      /* top-level key → LkDocKey */
};

void                 lk_record_class_set_fields (LkRecordClass     *klass,
                                                 const char        *doc_type,
                                                 const char        *table,
                                                 const LkFieldInfo *fields,
                                                 guint              n_fields);

const LkFieldInfo   *lk_record_class_get_fields (LkRecordClass     *klass,
                                                 guint             *n_fields);
int                  lk_record_class_find_field (LkRecordClass     *klass,
                                                 const char        *name);

LkRecord            *lk_record_copy             (LkRecord          *self);
gboolean             lk_record_equal            (LkRecord          *a,
                                                 LkRecord          *b);

const char          *lk_record_get_id           (LkRecord          *self);
void                 lk_record_set_id           (LkRecord          *self,
                                                 const char        *id);
void                 lk_record_ensure_id        (LkRecord          *self);
gint64               lk_record_get_rowid        (LkRecord          *self);
void                 lk_record_set_rowid        (LkRecord          *self,
                                                 gint64             rowid);
gboolean             lk_record_get_deleted      (LkRecord          *self);
void                 lk_record_set_deleted      (LkRecord          *self,
                                                 gboolean           deleted);
JsonObject          *lk_record_get_extra        (LkRecord          *self);
void                 lk_record_set_extra        (LkRecord          *self,
                                                 JsonObject        *extra);

const char          *lk_record_get_string       (LkRecord          *self,
                                                 guint              field);
gint64               lk_record_get_int          (LkRecord          *self,
                                                 guint              field);
gboolean             lk_record_get_bool         (LkRecord          *self,
                                                 guint              field);
const char * const  *lk_record_get_tags         (LkRecord          *self,
                                                 guint              field);
void                 lk_record_set_string       (LkRecord          *self,
                                                 guint              field,
                                                 const char        *value);
void                 lk_record_set_int          (LkRecord          *self,
                                                 guint              field,
                                                 gint64             value);
void                 lk_record_set_bool         (LkRecord          *self,
                                                 guint              field,
                                                 gboolean           value);
void                 lk_record_set_tags         (LkRecord          *self,
                                                 guint              field,
                                                 const char * const *tags);
gboolean             lk_record_field_equal      (LkRecord          *a,
                                                 LkRecord          *b,
                                                 guint              field);

/* Parses @text as the field's type (money in major units: "1250.50").
 * Used by the CLI's `lead set FIELD=VALUE` and the importers. */
char               **lk_record_split_tags       (const char        *text);
gboolean             lk_record_set_from_text    (LkRecord          *self,
                                                 guint              field,
                                                 const char        *text,
                                                 GError           **error);
char                *lk_record_format_field     (LkRecord          *self,
                                                 guint              field);

char                *lk_new_uuid                (void);
char               **lk_tags_normalize          (const char * const *tags);

G_END_DECLS
