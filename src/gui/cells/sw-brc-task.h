/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The BRC working-memory task for the workbench: the parameters from the
 * "brc" section of a cells document, and a run of the four cue conditions
 * in a thread (GTask) with progress and cancel.  Each condition runs its
 * 4 cues x n_repeats trials and is scored by the cross-validated readout
 * of the core (sw_brc_score); for one condition the readout trained on
 * every repeat but the last is also applied to the last repeat's trials in
 * time bins after the cue, which shows what the network remembers when.
 * The bins come from shortened runs of the same trials: a trial is fixed by
 * its seed and number, so a run to t is the beginning of the full run.
 */
#pragma once

#include <gio/gio.h>

#include "sw-brc-net.h"
#include "sw-cells-doc.h"

G_BEGIN_DECLS

#define SW_BRC_TASK_ERROR (sw_brc_task_error_quark ())
GQuark sw_brc_task_error_quark (void);

typedef enum
{
  SW_BRC_TASK_ERROR_INPUT,       /* the section is not usable */
  SW_BRC_TASK_ERROR_SIMULATION,  /* a trial failed */
} SwBrcTaskError;

/* Reads the "brc" section of @doc (its variables as they are now) into
 * @params, which starts from the defaults.  FALSE with the field named in
 * @error; a document without the section is an error too. */
gboolean sw_brc_task_read_params (SwCellsDoc *doc, SwBrcParams *params, GError **error);

#define SW_BRC_TASK_MAX_BINS 16

typedef struct
{
  SwBrcScore score[SW_BRC_N_CONDITIONS];
  double e_rate_cue_hz[SW_BRC_N_CONDITIONS];
  SwBrcCondition time_condition;
  int n_bins;
  double bin_start_ms[SW_BRC_TASK_MAX_BINS + 1];        /* edges */
  double pred[SW_BRC_N_CUES][SW_BRC_TASK_MAX_BINS][2];  /* decoded (c1, c2) per bin */
  double wall_s;
} SwBrcTaskResult;

typedef struct _SwBrcTask SwBrcTask;

/* A task over @params for the four conditions, the time course for
 * @time_condition in @n_bins bins; @n_threads 0: all processors. */
SwBrcTask *sw_brc_task_new (const SwBrcParams *params, SwBrcCondition time_condition,
                            int n_bins, int n_threads);
SwBrcTask *sw_brc_task_ref (SwBrcTask *task);
void sw_brc_task_unref (SwBrcTask *task);
/* Fraction done, 0..1 (any thread). */
double sw_brc_task_get_progress (SwBrcTask *task);

/* Runs @task in a thread; @callback gets the result with
 * sw_brc_task_run_finish(). */
void sw_brc_task_run_async (SwBrcTask *task, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data);
/* A new result (g_free), or NULL with @error (G_IO_ERROR_CANCELLED when
 * cancelled). */
SwBrcTaskResult *sw_brc_task_run_finish (GAsyncResult *result, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SwBrcTask, sw_brc_task_unref)

G_END_DECLS
