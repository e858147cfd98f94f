/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-pool-keeper"


#include "leads/lk-pool-keeper.h"

#define INTERVAL_S (60 * 60)

struct _LkPoolKeeper
{
  GObject       parent_instance;

  /* Owned */
  LkContext    *context;
  GCancellable *cancellable;
  guint         timeout_id;

  gboolean      running;
};

G_DEFINE_FINAL_TYPE (LkPoolKeeper, lk_pool_keeper, G_TYPE_OBJECT)

enum {
  MAINTAINED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
maintain_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  LkStore *main_store = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(LkStore) worker = lk_store_open_worker (main_store, &error);
  LkMaintainReport *report;

  if (worker == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  report = lk_maintain (worker, FALSE, &error);
  if (report == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, report, (GDestroyNotify) lk_maintain_report_free);
}

static void
maintain_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  LkPoolKeeper *self = LK_POOL_KEEPER (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(LkMaintainReport) report = g_task_propagate_pointer (G_TASK (result), &error);

  self->running = FALSE;
  if (report == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("The pool's upkeep did not run: %s", error->message);
      return;
    }
  g_debug ("Pool upkeep: %u recycled, %u flagged, %u unflagged",
           report->n_recycled, report->n_flagged, report->n_unflagged);
  if (report->changes->len == 0)
    return;
  /* The worker's writes, told to the windows' store. */
  lk_store_emit_changed (lk_context_get_store (self->context), "lead", NULL);
  g_signal_emit (self, signals[MAINTAINED], 0, report);
}

static gboolean
timeout_cb (gpointer user_data)
{
  lk_pool_keeper_run (user_data);
  return G_SOURCE_CONTINUE;
}

static void
lk_pool_keeper_dispose (GObject *object)
{
  LkPoolKeeper *self = LK_POOL_KEEPER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (lk_pool_keeper_parent_class)->dispose (object);
}

static void
lk_pool_keeper_finalize (GObject *object)
{
  LkPoolKeeper *self = LK_POOL_KEEPER (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (lk_pool_keeper_parent_class)->finalize (object);
}

static void
lk_pool_keeper_class_init (LkPoolKeeperClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lk_pool_keeper_dispose;
  object_class->finalize = lk_pool_keeper_finalize;

  signals[MAINTAINED] =
    g_signal_new ("maintained", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
lk_pool_keeper_init (LkPoolKeeper *self)
{
  self->cancellable = g_cancellable_new ();
}

/* Starts the first run at once and one every hour after it. */
LkPoolKeeper *
lk_pool_keeper_new (LkContext *context)
{
  LkPoolKeeper *self;

  g_return_val_if_fail (LK_IS_CONTEXT (context), NULL);

  self = g_object_new (LK_TYPE_POOL_KEEPER, NULL);
  self->context = g_object_ref (context);
  self->timeout_id = g_timeout_add_seconds (INTERVAL_S, timeout_cb, self);
  lk_pool_keeper_run (self);
  return self;
}

void
lk_pool_keeper_run (LkPoolKeeper *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LK_IS_POOL_KEEPER (self));

  if (self->running)
    return;
  self->running = TRUE;
  /* The task holds the keeper until it returns. */
  task = g_task_new (self, self->cancellable, maintain_cb, NULL);
  g_task_set_source_tag (task, lk_pool_keeper_run);
  g_task_set_task_data (task, g_object_ref (lk_context_get_store (self->context)), g_object_unref);
  g_task_run_in_thread (task, maintain_thread);
}

gboolean
lk_pool_keeper_is_running (LkPoolKeeper *self)
{
  g_return_val_if_fail (LK_IS_POOL_KEEPER (self), FALSE);
  return self->running;
}
