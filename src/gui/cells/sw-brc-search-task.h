/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The BRC parameter search for the workbench: the core's search
 * (sw_brc_search_run, dendrites-brc spec §7.6) over the search box of one
 * cue condition, in a thread (GTask), with progress per candidate and a
 * cancel that reaches the running trials within a millisecond of simulated
 * time.  Candidates of a round are evaluated in parallel, each on one
 * thread, with the trial length and repeats of the given parameters, as
 * `spikeworks-cli brc --search` does: the best draw of a search here is the
 * best draw of that command with the same seed, sizes and protocol.
 */
#pragma once

#include <gio/gio.h>

#include "sw-brc-net.h"

G_BEGIN_DECLS

/* What a search found. */
typedef struct
{
  SwBrcCondition condition;
  int n_rounds, n_per_round;   /* as asked */
  int n_draws;                 /* evaluated */
  int n_failed;                /* draws that blew up */
  int n_dims;
  SwBrcDim dims[SW_BRC_MAX_DIMS];
  double best_x[SW_BRC_MAX_DIMS];  /* physical values of the best draw */
  double best_score;
  SwBrcParams best;            /* the start parameters with the best draw and the condition */
  double wall_s;
} SwBrcSearchResult;

typedef struct _SwBrcSearchTask SwBrcSearchTask;

/* A search from @params (its seed, trial length and repeats) for
 * @condition: @n_rounds rounds of @n_per_round draws on @n_threads threads
 * (0: all processors). */
SwBrcSearchTask *sw_brc_search_task_new (const SwBrcParams *params, SwBrcCondition condition,
                                         int n_rounds, int n_per_round, int n_threads);
SwBrcSearchTask *sw_brc_search_task_ref (SwBrcSearchTask *task);
void sw_brc_search_task_unref (SwBrcSearchTask *task);

/* Progress, from any thread: the draws scored so far (0 .. rounds x
 * draws) and the lowest score among them (+inf before the first). */
void sw_brc_search_task_get_progress (SwBrcSearchTask *task, int *n_done, double *best_score);
/* The part of the search done, in trials (a draw's trials end one by one,
 * about a minute apart for full-length ones), 0 to 1. */
double sw_brc_search_task_get_fraction (SwBrcSearchTask *task);
int sw_brc_search_task_get_n_rounds (SwBrcSearchTask *task);
int sw_brc_search_task_get_n_per_round (SwBrcSearchTask *task);

void sw_brc_search_task_run_async (SwBrcSearchTask *task, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
/* A new result (g_free), or NULL with @error: G_IO_ERROR_CANCELLED when
 * cancelled, SW_BRC_TASK_ERROR otherwise. */
SwBrcSearchResult *sw_brc_search_task_run_finish (GAsyncResult *result, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SwBrcSearchTask, sw_brc_search_task_unref)

G_END_DECLS
