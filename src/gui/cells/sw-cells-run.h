/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwCellsRun: one run of a built cells document on a worker thread.  The
 * worker owns the simulation; it samples the membrane voltage of every
 * node of the shown cells every sample interval into a history that the
 * main thread reads up to the published sample count (single producer,
 * single consumer: samples are written before the count is released).
 * Cancel is an atomic flag checked after every sample; the end of the run
 * is an atomic state the main thread polls from its frame clock.
 */
#pragma once

#include <glib.h>

#include "sw-cells-doc.h"

G_BEGIN_DECLS

typedef enum
{
  SW_CELLS_RUN_RUNNING = 0,
  SW_CELLS_RUN_DONE,
  SW_CELLS_RUN_FAILED,
  SW_CELLS_RUN_CANCELLED,
} SwCellsRunState;

typedef struct
{
  /* Set before the start, read-only afterwards. */
  int n_shown;
  int *shown_cells;        /* global cell index of each shown cell */
  int *node_offset;        /* first column of each shown cell */
  int n_columns;           /* nodes of all shown cells */
  int n_samples_max;
  double sample_ms;
  double duration_ms;
  double min_wall_s;       /* the run is paced to last at least this long */
  float *history;          /* n_samples_max x n_columns */

  /* Shared. */
  int n_samples;           /* atomic: samples written */
  int cancel;              /* atomic */
  int state;               /* atomic SwCellsRunState */
  char *error;             /* written before state becomes FAILED */

  /* Worker-owned until the state leaves RUNNING. */
  SwCellsBuild *build;
  GThread *thread;
} SwCellsRun;

/* Takes @build (initialised here on the worker); samples every node of
 * @shown_cells about @max_samples times over the run. */
SwCellsRun *sw_cells_run_start (SwCellsBuild *build, const int *shown_cells, int n_shown,
                                int max_samples, double min_wall_s);
void sw_cells_run_cancel (SwCellsRun *run);
SwCellsRunState sw_cells_run_get_state (SwCellsRun *run);
int sw_cells_run_get_n_samples (SwCellsRun *run);
/* Joins the worker (cancelling it first when it still runs) and frees. */
void sw_cells_run_free (SwCellsRun *run);

/* The samples of (@shown, @node) as times (ms) and voltages (mV), the first
 * @n published; new arrays. */
void sw_cells_run_trace (SwCellsRun *run, int shown, int node, int n, double **t_ms,
                         double **v_mv);

G_END_DECLS
