/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-context"

#include <glib/gi18n-lib.h>

#include "lk-context.h"
#include "lk-error.h"

/* The shared services of one open database: the store, the clock, the
 * pipeline and who is working. Passed to everything that needs them;
 * there are no globals. Tests build one over a temporary file and a fake
 * clock. */
struct _LkContext
{
  GObject     parent_instance;

  /* Owned */
  LkStore    *store;
  LkClock    *clock;
  LkPipeline *pipeline;
};

G_DEFINE_FINAL_TYPE (LkContext, lk_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_USER_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
lk_context_dispose (GObject *object)
{
  LkContext *self = LK_CONTEXT (object);

  g_clear_object (&self->store);
  g_clear_object (&self->clock);
  g_clear_object (&self->pipeline);

  G_OBJECT_CLASS (lk_context_parent_class)->dispose (object);
}

static void
lk_context_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  LkContext *self = LK_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_USER_ID:
      g_value_set_string (value, lk_context_get_user_id (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_context_class_init (LkContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lk_context_dispose;
  object_class->get_property = lk_context_get_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, LK_TYPE_STORE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER_ID] =
    g_param_spec_string ("user-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lk_context_init (LkContext *self)
{
}

/* $XDG_DATA_HOME/leadkeeper/leadkeeper.db */
char *
lk_context_default_db_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "leadkeeper", "leadkeeper.db", NULL);
}

static char *
default_user_id (void)
{
  g_autofree char *name = g_ascii_strdown (g_get_user_name (), -1);

  return lk_user_id_for_name (name);
}

static LkPipeline *
load_pipeline (LkStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = lk_store_get_setting (store, "pipeline", NULL);
  g_autoptr(JsonParser) parser = NULL;
  LkPipeline *pipeline = NULL;

  if (json == NULL)
    return lk_pipeline_new_default ();
  parser = json_parser_new_immutable ();
  if (json_parser_load_from_data (parser, json, -1, &error) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    pipeline = lk_pipeline_new_from_json (json_node_get_object (json_parser_get_root (parser)), &error);
  if (pipeline == NULL)
    {
      g_warning ("The pipeline settings cannot be used, the default stages apply: %s",
                 error ? error->message : "not an object");
      return lk_pipeline_new_default ();
    }
  return pipeline;
}

static LkContext *
context_new (const char        *db_path,
             LkClock           *clock,
             LkStoreOpenFlags   flags,
             GError           **error)
{
  g_autoptr(LkContext) self = g_object_new (LK_TYPE_CONTEXT, NULL);
  g_autofree char *default_path = NULL;
  g_autofree char *user_id = NULL;

  if (db_path == NULL)
    db_path = default_path = lk_context_default_db_path ();

  self->clock = clock ? g_object_ref (clock) : lk_clock_new_system ();
  self->store = lk_store_open_full (db_path, self->clock, flags, error);
  if (self->store == NULL)
    return NULL;
  self->pipeline = load_pipeline (self->store);
  lk_store_set_pipeline (self->store, self->pipeline);

  user_id = lk_store_get_local (self->store, "user-id");
  if (user_id == NULL)
    user_id = default_user_id ();
  lk_store_set_user_id (self->store, user_id);
  if ((flags & LK_STORE_OPEN_CATCH_UP_LATER) != 0)
    lk_store_catch_up_search_in_background (self->store, NULL);
  return g_steal_pointer (&self);
}

/**
 * lk_context_new:
 * @db_path: (nullable): the database; the default one when %NULL
 * @clock: (nullable): the system clock when %NULL
 *
 * Opens the database and finishes what a stopped bulk write left
 * (lk_store_catch_up_search()) before it returns: for the command line.
 */
LkContext *
lk_context_new (const char  *db_path,
                LkClock     *clock,
                GError     **error)
{
  return context_new (db_path, clock, LK_STORE_OPEN_DEFAULT, error);
}

/**
 * lk_context_new_for_window:
 *
 * As lk_context_new(), but what a stopped bulk write left (the search
 * rows and indexes of a first pull or an import the app was closed
 * during) is done on a worker thread, so that the window opens at once.
 */
LkContext *
lk_context_new_for_window (const char  *db_path,
                           LkClock     *clock,
                           GError     **error)
{
  return context_new (db_path, clock, LK_STORE_OPEN_CATCH_UP_LATER, error);
}

LkStore *
lk_context_get_store (LkContext *self)
{
  g_return_val_if_fail (LK_IS_CONTEXT (self), NULL);
  return self->store;
}

LkClock *
lk_context_get_clock (LkContext *self)
{
  g_return_val_if_fail (LK_IS_CONTEXT (self), NULL);
  return self->clock;
}

LkPipeline *
lk_context_get_pipeline (LkContext *self)
{
  g_return_val_if_fail (LK_IS_CONTEXT (self), NULL);
  return self->pipeline;
}

/* The team member using this desktop: "My leads" and every edit's author. */
const char *
lk_context_get_user_id (LkContext *self)
{
  g_return_val_if_fail (LK_IS_CONTEXT (self), NULL);
  return lk_store_get_user_id (self->store);
}

gboolean
lk_context_set_user_id (LkContext   *self,
                        const char  *user_id,
                        GError     **error)
{
  g_return_val_if_fail (LK_IS_CONTEXT (self), FALSE);
  g_return_val_if_fail (user_id != NULL && g_str_has_prefix (user_id, "user:"), FALSE);

  if (!lk_store_set_local (self->store, "user-id", user_id, error))
    return FALSE;
  lk_store_set_user_id (self->store, user_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_ID]);
  return TRUE;
}

/* TRUE until lk_context_mark_started(): the app fills sample data once. */
gboolean
lk_context_is_first_start (LkContext *self)
{
  g_autofree char *started = NULL;

  g_return_val_if_fail (LK_IS_CONTEXT (self), FALSE);

  started = lk_store_get_local (self->store, "first-start-done");
  return started == NULL;
}

gboolean
lk_context_mark_started (LkContext  *self,
                         GError    **error)
{
  g_return_val_if_fail (LK_IS_CONTEXT (self), FALSE);

  return lk_store_set_local (self->store, "first-start-done", "1", error);
}
