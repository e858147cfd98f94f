/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-bulk-runner"

#include "lk-bulk-runner.h"

/* Runs the bulk jobs of the leads table, one at a time. A job about a few
 * leads runs at once on the main connection, which announces the change
 * when it commits. A bigger one would block the window for seconds: it
 * runs on a worker thread over its own connection (WAL lets the window
 * read meanwhile), and the main store announces it when the task
 * returns. ::finished follows either way, with the job and its error. */

#define DEFAULT_WORKER_THRESHOLD 2000

typedef struct
{
  LkStore   *store;    /* the main connection, announces the work at the end */
  LkStore   *worker;   /* used by the worker thread only */
  LkBulkJob *job;
} WorkerJob;

struct _LkBulkRunner
{
  GObject       parent_instance;

  /* Owned */
  LkStore      *store;
  GCancellable *cancellable;

  /* Borrowed: the job on the worker, owned by its task */
  LkBulkJob    *running;

  guint         worker_threshold;
};

G_DEFINE_FINAL_TYPE (LkBulkRunner, lk_bulk_runner, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_BUSY,
  PROP_WORKER_THRESHOLD,
  N_PROPS
};

enum {
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
worker_job_free (gpointer data)
{
  WorkerJob *work = data;

  g_clear_object (&work->store);
  g_clear_object (&work->worker);
  g_clear_pointer (&work->job, lk_bulk_job_free);
  g_free (work);
}

static gboolean
moves_stages (LkBulkJob *job)
{
  return lk_bulk_job_get_kind (job) == LK_BULK_MOVE ||
         (lk_bulk_job_get_kind (job) == LK_BULK_RESTORE && lk_bulk_job_get_undo_of (job) == LK_BULK_MOVE);
}

static void
worker_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  WorkerJob *work = task_data;
  GError *error = NULL;

  if (!lk_bulk_job_run (work->job, work->worker, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
worker_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  LkBulkRunner *self = LK_BULK_RUNNER (object);
  WorkerJob *work = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* The worker wrote through its own connection: tell every view. */
      lk_store_emit_changed (work->store, "lead", NULL);
      if (moves_stages (work->job))
        lk_store_emit_changed (work->store, "stagechange", NULL);
    }
  self->running = NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  g_signal_emit (self, signals[FINISHED], 0, work->job, error);
}

static void
start_worker (LkBulkRunner *self,
              LkBulkJob    *job)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  WorkerJob *work;
  LkStore *worker;

  worker = lk_store_open_worker (self->store, &error);
  if (worker == NULL)
    {
      g_signal_emit (self, signals[FINISHED], 0, job, error);
      lk_bulk_job_free (job);
      return;
    }
  work = g_new0 (WorkerJob, 1);
  work->store = g_object_ref (self->store);
  work->worker = worker;
  work->job = job;

  task = g_task_new (self, self->cancellable, worker_done_cb, NULL);
  g_task_set_source_tag (task, start_worker);
  /* A job that committed before a cancel must still be announced. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, work, worker_job_free);
  self->running = job;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  g_task_run_in_thread (task, worker_thread);
}

static void
lk_bulk_runner_dispose (GObject *object)
{
  LkBulkRunner *self = LK_BULK_RUNNER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (lk_bulk_runner_parent_class)->dispose (object);
}

static void
lk_bulk_runner_finalize (GObject *object)
{
  LkBulkRunner *self = LK_BULK_RUNNER (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (lk_bulk_runner_parent_class)->finalize (object);
}

static void
lk_bulk_runner_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  LkBulkRunner *self = LK_BULK_RUNNER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->running != NULL);
      break;
    case PROP_WORKER_THRESHOLD:
      g_value_set_uint (value, self->worker_threshold);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_bulk_runner_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  LkBulkRunner *self = LK_BULK_RUNNER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_WORKER_THRESHOLD:
      lk_bulk_runner_set_worker_threshold (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lk_bulk_runner_class_init (LkBulkRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lk_bulk_runner_dispose;
  object_class->finalize = lk_bulk_runner_finalize;
  object_class->get_property = lk_bulk_runner_get_property;
  object_class->set_property = lk_bulk_runner_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, LK_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Whether a job runs on the worker; the next waits for it. */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Jobs about more leads run on a worker thread. */
  properties[PROP_WORKER_THRESHOLD] =
    g_param_spec_uint ("worker-threshold", NULL, NULL, 0, G_MAXUINT, DEFAULT_WORKER_THRESHOLD,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LkBulkRunner::finished:
   * @job: (type gpointer): the job, valid during the emission; the undo
   *   may be taken from it with lk_bulk_job_steal_undo()
   * @error: (nullable): why nothing was changed
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  G_TYPE_POINTER, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
lk_bulk_runner_init (LkBulkRunner *self)
{
  self->cancellable = g_cancellable_new ();
  self->worker_threshold = DEFAULT_WORKER_THRESHOLD;
}

LkBulkRunner *
lk_bulk_runner_new (LkStore *store)
{
  g_return_val_if_fail (LK_IS_STORE (store), NULL);

  return g_object_new (LK_TYPE_BULK_RUNNER, "store", store, NULL);
}

gboolean
lk_bulk_runner_get_busy (LkBulkRunner *self)
{
  g_return_val_if_fail (LK_IS_BULK_RUNNER (self), FALSE);
  return self->running != NULL;
}

/* Returns: (transfer none) (nullable): the job running on the worker */
LkBulkJob *
lk_bulk_runner_get_running (LkBulkRunner *self)
{
  g_return_val_if_fail (LK_IS_BULK_RUNNER (self), NULL);
  return self->running;
}

guint
lk_bulk_runner_get_worker_threshold (LkBulkRunner *self)
{
  g_return_val_if_fail (LK_IS_BULK_RUNNER (self), 0);
  return self->worker_threshold;
}

void
lk_bulk_runner_set_worker_threshold (LkBulkRunner *self,
                                     guint         n_leads)
{
  g_return_if_fail (LK_IS_BULK_RUNNER (self));

  if (self->worker_threshold == n_leads)
    return;
  self->worker_threshold = n_leads;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKER_THRESHOLD]);
}

/**
 * lk_bulk_runner_run:
 * @job: (transfer full): the job
 *
 * Runs @job, here or on a worker; ::finished tells how it went. Not while
 * busy: the worker holds the database's write lock.
 */
void
lk_bulk_runner_run (LkBulkRunner *self,
                    LkBulkJob    *job)
{
  g_autoptr(LkBulkJob) owned = job;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (LK_IS_BULK_RUNNER (self));
  g_return_if_fail (job != NULL);
  g_return_if_fail (self->running == NULL);

  if (lk_bulk_job_get_n_leads (job) > self->worker_threshold)
    {
      start_worker (self, g_steal_pointer (&owned));
      return;
    }
  lk_bulk_job_run (job, self->store, NULL, &error);
  g_signal_emit (self, signals[FINISHED], 0, job, error);
}

/* Stops the job on the worker, which then changes nothing (unless it
 * committed already; then it is announced as usual). */
void
lk_bulk_runner_cancel (LkBulkRunner *self)
{
  g_return_if_fail (LK_IS_BULK_RUNNER (self));

  /* The task keeps the cancelled one; later jobs get a new one. */
  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  g_object_unref (self->cancellable);
}
