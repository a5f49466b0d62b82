/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The BRC parameter search for the workbench (see sw-brc-search-task.h).
 * The search's own threads call the evaluation below; it counts each
 * scored draw and keeps the best score so far under a lock (once per
 * candidate, never inside a trial), which the panel reads a few times a
 * second.
 */
#define G_LOG_DOMAIN "Spikeworks-Cells"

#include "config.h"

#include "sw-brc-search-task.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sw-brc-task.h"

struct _SwBrcSearchTask
{
  gatomicrefcount ref;
  SwBrcParams params;
  SwBrcCondition condition;
  int n_rounds, n_per_round, n_threads;
  SwBrcDim dims[SW_BRC_MAX_DIMS];
  int n_dims;

  int cancel;        /* atomic: set by the cancellable, read by the trials' steps */
  int n_done;        /* atomic: draws scored */
  int n_trials;      /* atomic: trials run, over all draws */
  GMutex lock;
  double best;       /* under lock */
};

SwBrcSearchTask *
sw_brc_search_task_new (const SwBrcParams *params, SwBrcCondition condition, int n_rounds,
                        int n_per_round, int n_threads)
{
  SwBrcSearchTask *task = g_new0 (SwBrcSearchTask, 1);

  g_atomic_ref_count_init (&task->ref);
  task->params = *params;
  task->params.condition = condition;
  task->condition = condition;
  task->n_rounds = MAX (n_rounds, 1);
  task->n_per_round = MAX (n_per_round, 1);
  task->n_threads = n_threads > 0 ? n_threads : (int) g_get_num_processors ();
  task->n_dims = sw_brc_search_box (&task->params, task->dims);
  task->best = INFINITY;
  g_mutex_init (&task->lock);
  return task;
}

SwBrcSearchTask *
sw_brc_search_task_ref (SwBrcSearchTask *task)
{
  g_atomic_ref_count_inc (&task->ref);
  return task;
}

void
sw_brc_search_task_unref (SwBrcSearchTask *task)
{
  if (!g_atomic_ref_count_dec (&task->ref))
    return;
  g_mutex_clear (&task->lock);
  g_free (task);
}

void
sw_brc_search_task_get_progress (SwBrcSearchTask *task, int *n_done, double *best_score)
{
  g_mutex_lock (&task->lock);
  if (n_done != NULL)
    *n_done = g_atomic_int_get (&task->n_done);
  if (best_score != NULL)
    *best_score = task->best;
  g_mutex_unlock (&task->lock);
}

double
sw_brc_search_task_get_fraction (SwBrcSearchTask *task)
{
  double per_draw = (double) SW_BRC_N_CUES * task->params.n_repeats;
  double all = per_draw * task->n_rounds * task->n_per_round;
  return MIN (g_atomic_int_get (&task->n_trials) / all, 1.0);
}

int
sw_brc_search_task_get_n_rounds (SwBrcSearchTask *task)
{
  return task->n_rounds;
}

int
sw_brc_search_task_get_n_per_round (SwBrcSearchTask *task)
{
  return task->n_per_round;
}

/* One candidate, on one of the search's threads. */
static SwStatus
eval_cb (void *data, int draw, const double *x, int thread, double *score, SwError *err)
{
  SwBrcSearchTask *task = data;
  SwBrcParams p = task->params;
  SwBrcResult r;

  /* After a cancel the remaining candidates of the round end at once. */
  if (g_atomic_int_get (&task->cancel))
    return sw_error_set (err, SW_ERR_CANCELLED, "cancelled");
  for (int j = 0; j < task->n_dims; j++)
    *sw_brc_param_slot (&p, task->dims[j].name) = x[j];
  /* Candidates run in parallel, so each runs its trials on one thread. */
  SwStatus st = sw_brc_evaluate_counted (&p, 1, &task->cancel, &task->n_trials, &r, err);
  if (st == SW_OK || st == SW_ERR_BLOWUP)
    {
      double s = st == SW_OK && !isnan (r.score.score) ? r.score.score : INFINITY;
      *score = s;
      g_mutex_lock (&task->lock);
      if (s < task->best)
        task->best = s;
      g_atomic_int_inc (&task->n_done);
      g_mutex_unlock (&task->lock);
    }
  return st;
}

static void
cancelled_cb (GCancellable *cancellable, gpointer data)
{
  SwBrcSearchTask *task = data;
  g_atomic_int_set (&task->cancel, 1);
}

static void
task_thread (GTask *gtask, gpointer source, gpointer data, GCancellable *cancellable)
{
  SwBrcSearchTask *task = data;
  gint64 t0 = g_get_monotonic_time ();
  SwError err = { { 0 } };

  if (sw_brc_params_check (&task->params, &err) != SW_OK)
    {
      g_task_return_new_error (gtask, SW_BRC_TASK_ERROR, SW_BRC_TASK_ERROR_INPUT, "brc: %s",
                               err.text);
      return;
    }

  SwBrcSearchConfig cfg;
  sw_brc_search_config_default (&cfg);
  cfg.n_rounds = task->n_rounds;
  cfg.n_per_round = task->n_per_round;
  cfg.seed = task->params.seed;
  cfg.n_threads = task->n_threads;

  /* The GTask holds @task until this returns: the handler's data outlives
   * its connection. */
  gulong handler = cancellable != NULL
                     ? g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), task, NULL)
                     : 0;
  SwBrcSearch s;
  SwStatus st = sw_brc_search_run (task->dims, task->n_dims, &cfg, eval_cb, NULL, task, &s, &err);
  g_cancellable_disconnect (cancellable, handler);

  if (st == SW_ERR_CANCELLED || g_cancellable_is_cancelled (cancellable))
    {
      sw_brc_search_clear (&s);
      g_task_return_new_error (gtask, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
      return;
    }
  if (st == SW_OK && s.best < 0)
    st = sw_error_set (&err, SW_ERR_BLOWUP, "every candidate blew up");
  if (st != SW_OK)
    {
      sw_brc_search_clear (&s);
      g_task_return_new_error (gtask, SW_BRC_TASK_ERROR, SW_BRC_TASK_ERROR_SIMULATION, "%s: %s",
                               sw_brc_condition_name (task->condition), err.text);
      return;
    }

  SwBrcSearchResult *res = g_new0 (SwBrcSearchResult, 1);
  res->condition = task->condition;
  res->n_rounds = task->n_rounds;
  res->n_per_round = task->n_per_round;
  res->n_draws = s.n_draws;
  res->n_failed = s.n_failed;
  res->n_dims = task->n_dims;
  res->best = task->params;
  for (int j = 0; j < task->n_dims; j++)
    {
      res->dims[j] = task->dims[j];
      res->best_x[j] = s.x[(size_t) s.best * task->n_dims + j];
      *sw_brc_param_slot (&res->best, task->dims[j].name) = res->best_x[j];
    }
  res->best_score = s.score[s.best];
  res->wall_s = (g_get_monotonic_time () - t0) * 1e-6;
  sw_brc_search_clear (&s);
  g_task_return_pointer (gtask, res, g_free);
}

void
sw_brc_search_task_run_async (SwBrcSearchTask *task, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) gtask = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (gtask, sw_brc_search_task_run_async);
  g_task_set_return_on_cancel (gtask, FALSE);
  g_task_set_task_data (gtask, sw_brc_search_task_ref (task),
                        (GDestroyNotify) sw_brc_search_task_unref);
  g_task_run_in_thread (gtask, task_thread);
}

SwBrcSearchResult *
sw_brc_search_task_run_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
