/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The BRC task for the workbench (see sw-brc-task.h).  The reading of the
 * "brc" section follows docs/swk-format.md ("The brc section").
 */
#define G_LOG_DOMAIN "Spikeworks-Cells"

#include "config.h"

#include "sw-brc-task.h"

#include "sw-brc-doc.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

G_DEFINE_QUARK (sw-brc-task-error-quark, sw_brc_task_error)

/* ------------------------------------------------------------------ */
/* The section                                                         */

gboolean
sw_brc_task_read_params (SwCellsDoc *doc, SwBrcParams *p, GError **error)
{
  sw_brc_params_default (p);
  return sw_brc_doc_read (doc, p, NULL, NULL, error);
}

/* ------------------------------------------------------------------ */
/* The task                                                            */

typedef struct
{
  int condition;  /* -1: a time bin of the time condition */
  int cue, repeat, bin;
} Item;

struct _SwBrcTask
{
  gatomicrefcount ref;
  SwBrcParams params;
  SwBrcCondition time_condition;
  int n_bins, n_threads;

  /* Work. */
  GArray *items;                 /* Item */
  SwBrcStats *full;              /* per condition and trial */
  SwBrcStats *prefix;            /* per cue and bin 1..n_bins-1 (bin n_bins is the full trial) */
  double *prefix_end_ms;         /* per bin */
  SwBrcResult *info;             /* per condition and trial */
  int next;                      /* atomic */
  int total;                     /* atomic: items */
  int done;                      /* atomic */
  int failed;                    /* atomic */
  GMutex lock;
  char *error;                   /* the first failure, under lock */
  int cancel;                    /* atomic: set by the cancellable, read by the trials' steps */
};

SwBrcTask *
sw_brc_task_new (const SwBrcParams *params, SwBrcCondition time_condition, int n_bins,
                 int n_threads)
{
  SwBrcTask *task = g_new0 (SwBrcTask, 1);

  g_atomic_ref_count_init (&task->ref);
  task->params = *params;
  task->time_condition = time_condition;
  task->n_bins = CLAMP (n_bins, 1, SW_BRC_TASK_MAX_BINS);
  task->n_threads = n_threads > 0 ? n_threads : (int) g_get_num_processors ();
  g_mutex_init (&task->lock);
  return task;
}

SwBrcTask *
sw_brc_task_ref (SwBrcTask *task)
{
  g_atomic_ref_count_inc (&task->ref);
  return task;
}

static int
n_trials (const SwBrcTask *task)
{
  return SW_BRC_N_CUES * task->params.n_repeats;
}

static void
free_work (SwBrcTask *task)
{
  int nt = n_trials (task);

  if (task->full != NULL)
    for (int k = 0; k < SW_BRC_N_CONDITIONS * nt; k++)
      sw_brc_stats_clear (&task->full[k]);
  if (task->prefix != NULL)
    for (int k = 0; k < SW_BRC_N_CUES * task->n_bins; k++)
      sw_brc_stats_clear (&task->prefix[k]);
  g_clear_pointer (&task->full, g_free);
  g_clear_pointer (&task->prefix, g_free);
  g_clear_pointer (&task->prefix_end_ms, g_free);
  g_clear_pointer (&task->info, g_free);
  g_clear_pointer (&task->items, g_array_unref);
}

void
sw_brc_task_unref (SwBrcTask *task)
{
  if (!g_atomic_ref_count_dec (&task->ref))
    return;
  free_work (task);
  g_mutex_clear (&task->lock);
  g_free (task->error);
  g_free (task);
}

double
sw_brc_task_get_progress (SwBrcTask *task)
{
  int total = g_atomic_int_get (&task->total);
  if (total == 0)
    return 0.0;
  return (double) g_atomic_int_get (&task->done) / total;
}

static void
fail (SwBrcTask *task, const char *text)
{
  g_mutex_lock (&task->lock);
  if (task->error == NULL)
    task->error = g_strdup (text);
  g_mutex_unlock (&task->lock);
  g_atomic_int_set (&task->failed, 1);
}

static gpointer
work_thread (gpointer data)
{
  SwBrcTask *task = data;
  int nt = n_trials (task);

  for (;;)
    {
      if (g_atomic_int_get (&task->failed) || g_atomic_int_get (&task->cancel))
        break;
      int i = g_atomic_int_add (&task->next, 1);
      if (i >= (int) task->items->len)
        break;
      const Item *it = &g_array_index (task->items, Item, i);
      SwBrcParams p = task->params;
      SwBrcStats *stats;
      SwBrcResult info, *infop = &info;
      SwError err = { { 0 } };
      if (it->condition >= 0)
        {
          p.condition = it->condition;
          stats = &task->full[it->condition * nt + it->cue * p.n_repeats + it->repeat];
          infop = &task->info[it->condition * nt + it->cue * p.n_repeats + it->repeat];
        }
      else
        {
          p.condition = task->time_condition;
          p.proto.t_stop_ms = task->prefix_end_ms[it->bin];
          stats = &task->prefix[it->cue * task->n_bins + it->bin];
        }
      SwStatus st = sw_brc_run_trial (&p, it->cue, it->repeat, &task->cancel, stats, infop, &err);
      if (st == SW_ERR_CANCELLED)
        break;
      if (st != SW_OK)
        fail (task, err.text);
      g_atomic_int_inc (&task->done);
    }
  return NULL;
}

/* Runs in the thread that cancels (the main loop's, as a rule): the trials
 * see the flag within a millisecond of simulated time. */
static void
cancelled_cb (GCancellable *cancellable, gpointer data)
{
  SwBrcTask *task = data;
  g_atomic_int_set (&task->cancel, 1);
}

static void
task_thread (GTask *gtask, gpointer source, gpointer data, GCancellable *cancellable)
{
  SwBrcTask *task = data;
  SwBrcParams *p = &task->params;
  const int nt = n_trials (task), nf = sw_brc_n_features (p);
  gint64 t0 = g_get_monotonic_time ();
  SwError err = { { 0 } };
  g_autofree SwBrcTaskResult *res = g_new0 (SwBrcTaskResult, 1);

  if (sw_brc_params_check (p, &err) != SW_OK)
    {
      g_task_return_new_error (gtask, SW_BRC_TASK_ERROR, SW_BRC_TASK_ERROR_INPUT, "brc: %s",
                               err.text);
      return;
    }

  /* Bin edges after the readout start, whole multiples of the sampling
   * interval (which the protocol requires of the end of a trial). */
  const double from = p->proto.readout_from_ms, to = p->proto.t_stop_ms;
  const double q = p->proto.sample_ms;
  /* A shortened run still has to contain the whole cue; bins that would
   * end before it are merged into the first. */
  const double first_end = MAX (from + q, ceil (p->proto.cue_off_ms / q - 1e-9) * q);
  int nb = 0;
  task->prefix_end_ms = g_new0 (double, task->n_bins + 1);
  res->bin_start_ms[0] = from;
  for (int b = 1; b <= task->n_bins; b++)
    {
      double e = b == task->n_bins ? to : from + round ((to - from) * b / task->n_bins / q) * q;
      e = MIN (MAX (e, first_end), to);
      if (e <= res->bin_start_ms[nb])
        continue;
      nb++;
      res->bin_start_ms[nb] = e;
      task->prefix_end_ms[nb] = e;
    }
  task->n_bins = MAX (nb, 1);

  task->full = g_new0 (SwBrcStats, SW_BRC_N_CONDITIONS * nt);
  task->info = g_new0 (SwBrcResult, SW_BRC_N_CONDITIONS * nt);
  task->prefix = g_new0 (SwBrcStats, SW_BRC_N_CUES * task->n_bins);
  task->items = g_array_new (FALSE, FALSE, sizeof (Item));
  for (int k = 0; k < SW_BRC_N_CONDITIONS * nt; k++)
    sw_brc_stats_init (&task->full[k], nf, 2, &err);
  for (int k = 0; k < SW_BRC_N_CUES * task->n_bins; k++)
    sw_brc_stats_init (&task->prefix[k], nf, 2, &err);
  /* The time condition first, so that its picture can come early. */
  for (int ci = 0; ci < SW_BRC_N_CONDITIONS; ci++)
    {
      int c = (task->time_condition + ci) % SW_BRC_N_CONDITIONS;
      for (int cue = 0; cue < SW_BRC_N_CUES; cue++)
        for (int r = 0; r < p->n_repeats; r++)
          g_array_append_val (task->items, ((Item) { c, cue, r, 0 }));
      if (ci == 0)
        for (int cue = 0; cue < SW_BRC_N_CUES; cue++)
          for (int b = 1; b < task->n_bins; b++)
            g_array_append_val (task->items, ((Item) { -1, cue, p->n_repeats - 1, b }));
    }

  g_atomic_int_set (&task->total, (int) task->items->len);
  /* The GTask holds @task until it returns, so the handler's data stays
   * valid until it is disconnected. */
  gulong handler = cancellable != NULL
                     ? g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), task, NULL)
                     : 0;
  int n_threads = MIN (task->n_threads, (int) task->items->len);
  GThread **threads = g_new (GThread *, n_threads);
  for (int i = 0; i < n_threads; i++)
    threads[i] = g_thread_new ("sw-brc-trials", work_thread, task);
  for (int i = 0; i < n_threads; i++)
    g_thread_join (threads[i]);
  g_free (threads);
  g_cancellable_disconnect (cancellable, handler);

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_new_error (gtask, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
      free_work (task);
      return;
    }
  if (g_atomic_int_get (&task->failed))
    {
      g_task_return_new_error (gtask, SW_BRC_TASK_ERROR, SW_BRC_TASK_ERROR_SIMULATION, "%s",
                               task->error);
      free_work (task);
      return;
    }

  /* Scores. */
  for (int c = 0; c < SW_BRC_N_CONDITIONS; c++)
    {
      if (sw_brc_score (&task->full[c * nt], SW_BRC_N_CUES, p->n_repeats, &p->readout,
                        &res->score[c], &err) != SW_OK)
        {
          g_task_return_new_error (gtask, SW_BRC_TASK_ERROR, SW_BRC_TASK_ERROR_SIMULATION,
                                   "%s: %s", sw_brc_condition_name (c), err.text);
          free_work (task);
          return;
        }
      double rate = 0;
      for (int k = 0; k < nt; k++)
        rate += task->info[c * nt + k].e_rate_cue_hz;
      res->e_rate_cue_hz[c] = rate / nt;
    }

  /* The time course: trained on every repeat but the last. */
  const int tc = task->time_condition, held = p->n_repeats - 1;
  SwBrcStats train;
  double *w = g_new (double, (size_t) nf * 2), b[2];
  sw_brc_stats_init (&train, nf, 2, &err);
  for (int cue = 0; cue < SW_BRC_N_CUES; cue++)
    for (int r = 0; r < held; r++)
      sw_brc_stats_merge (&train, &task->full[tc * nt + cue * p->n_repeats + r]);
  SwStatus st = sw_brc_ridge_fit (&train, p->readout.lambda, w, b, &err);
  res->time_condition = tc;
  res->n_bins = task->n_bins;
  for (int cue = 0; st == SW_OK && cue < SW_BRC_N_CUES; cue++)
    {
      const SwBrcStats *prev = NULL;
      for (int bin = 0; bin < task->n_bins; bin++)
        {
          /* Cumulative statistics up to the bin's end; the bin is the
           * difference from the previous end. */
          const SwBrcStats *cur = bin + 1 == task->n_bins
                                    ? &task->full[tc * nt + cue * p->n_repeats + held]
                                    : &task->prefix[cue * task->n_bins + bin + 1];
          double n = cur->n - (prev ? prev->n : 0);
          for (int o = 0; o < 2; o++)
            {
              double y = b[o] * n;
              for (int i = 0; i < nf; i++)
                y += w[i * 2 + o] * (cur->sx[i] - (prev ? prev->sx[i] : 0));
              res->pred[cue][bin][o] = n > 0 ? y / n : NAN;
            }
          prev = cur;
        }
    }
  sw_brc_stats_clear (&train);
  g_free (w);
  free_work (task);
  if (st != SW_OK)
    {
      g_task_return_new_error (gtask, SW_BRC_TASK_ERROR, SW_BRC_TASK_ERROR_SIMULATION, "%s",
                               err.text);
      return;
    }
  res->wall_s = (g_get_monotonic_time () - t0) * 1e-6;
  g_task_return_pointer (gtask, g_steal_pointer (&res), g_free);
}

void
sw_brc_task_run_async (SwBrcTask *task, GCancellable *cancellable, GAsyncReadyCallback callback,
                       gpointer user_data)
{
  g_autoptr (GTask) gtask = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (gtask, sw_brc_task_run_async);
  g_task_set_return_on_cancel (gtask, FALSE);
  g_task_set_task_data (gtask, sw_brc_task_ref (task), (GDestroyNotify) sw_brc_task_unref);
  g_task_run_in_thread (gtask, task_thread);
}

SwBrcTaskResult *
sw_brc_task_run_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
