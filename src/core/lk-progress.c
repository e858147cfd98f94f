/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lk-progress"

#include "lk-progress.h"

/* A worker's progress, handed to the thread that owns the object: an
 * import or an export notifies its :fraction where its views live. */

typedef struct
{
  GObject          *object;
  LkProgressSetter  set;
  double            fraction;
} ProgressCall;

static void
progress_call_free (gpointer data)
{
  ProgressCall *call = data;

  g_object_unref (call->object);
  g_free (call);
}

static gboolean
progress_call_run (gpointer data)
{
  ProgressCall *call = data;

  call->set (call->object, call->fraction);
  return G_SOURCE_REMOVE;
}

/**
 * lk_progress_forward:
 * @context: the main context @object belongs to
 *
 * Calls @set (@object, @fraction) in @context, from any thread.
 */
void
lk_progress_forward (GMainContext     *context,
                     GObject          *object,
                     LkProgressSetter  set,
                     double            fraction)
{
  ProgressCall *call = g_new0 (ProgressCall, 1);

  call->object = g_object_ref (object);
  call->set = set;
  call->fraction = fraction;
  g_main_context_invoke_full (context, G_PRIORITY_DEFAULT, progress_call_run, call, progress_call_free);
}
