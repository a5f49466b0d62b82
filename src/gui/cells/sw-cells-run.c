/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwCellsRun (see sw-cells-run.h).
 */
#define G_LOG_DOMAIN "Spikeworks-Cells"

#include "config.h"

#include "sw-cells-run.h"

#include <math.h>

static void
take_sample (SwCellsRun *run, int k)
{
  float *row = run->history + (size_t) k * run->n_columns;

  for (int i = 0; i < run->n_shown; i++)
    {
      int cell = run->shown_cells[i];
      int n = sw_cable_cell_n_nodes (sw_cable_sim_cell_def (run->build->sim, cell));
      for (int j = 0; j < n; j++)
        row[run->node_offset[i] + j] = (float) sw_cable_sim_get_v (run->build->sim, cell, j);
    }
}

static gpointer
worker (gpointer data)
{
  SwCellsRun *run = data;
  SwCableSim *sim = run->build->sim;
  SwError err = { { 0 } };
  gint64 t0 = g_get_monotonic_time ();
  double dt = run->build->cfg.dt_ms;
  int64_t stride = MAX ((int64_t) llround (run->sample_ms / dt), 1);
  int64_t total = MAX ((int64_t) llround (run->duration_ms / dt), 1), done = 0;
  SwStatus st = sw_cable_sim_init (sim, &err);
  int k = 0;

  if (st == SW_OK)
    {
      take_sample (run, k++);
      g_atomic_int_set (&run->n_samples, k);
    }
  while (st == SW_OK && k < run->n_samples_max)
    {
      if (g_atomic_int_get (&run->cancel))
        {
          g_atomic_int_set (&run->state, SW_CELLS_RUN_CANCELLED);
          return NULL;
        }
      /* The last interval may be shorter: the run ends at its duration. */
      int64_t n = MIN (stride, total - done);
      if (n <= 0)
        break;
      st = sw_cable_sim_step (sim, n, &err);
      done += n;
      if (st != SW_OK)
        break;
      take_sample (run, k++);
      g_atomic_int_set (&run->n_samples, k);
      /* Pacing: short runs are stretched so that they can be watched. */
      double ahead = run->min_wall_s * k / run->n_samples_max
                     - (g_get_monotonic_time () - t0) * 1e-6;
      if (ahead > 0.0005)
        g_usleep ((gulong) (ahead * 1e6));
    }
  if (st != SW_OK)
    {
      run->error = g_strdup (err.text);
      g_atomic_int_set (&run->state, SW_CELLS_RUN_FAILED);
    }
  else
    g_atomic_int_set (&run->state, SW_CELLS_RUN_DONE);
  return NULL;
}

SwCellsRun *
sw_cells_run_start (SwCellsBuild *build, const int *shown_cells, int n_shown, int max_samples,
                    double min_wall_s)
{
  SwCellsRun *run = g_new0 (SwCellsRun, 1);
  double dt = build->cfg.dt_ms;
  int64_t steps = MAX ((int64_t) llround (build->duration_ms / dt), 1);
  int64_t stride = MAX ((steps + max_samples - 2) / MAX (max_samples - 1, 1), 1);

  run->build = build;
  run->n_shown = n_shown;
  run->shown_cells = g_memdup2 (shown_cells, sizeof (int) * MAX (n_shown, 1));
  run->node_offset = g_new (int, MAX (n_shown, 1));
  for (int i = 0; i < n_shown; i++)
    {
      run->node_offset[i] = run->n_columns;
      run->n_columns += sw_cable_cell_n_nodes (sw_cable_sim_cell_def (build->sim, shown_cells[i]));
    }
  run->sample_ms = stride * dt;
  run->duration_ms = build->duration_ms;
  run->n_samples_max = (int) ((steps + stride - 1) / stride) + 1;
  run->min_wall_s = min_wall_s;
  run->history = g_new (float, (size_t) run->n_samples_max * MAX (run->n_columns, 1));
  run->state = SW_CELLS_RUN_RUNNING;
  run->thread = g_thread_new ("sw-cells-run", worker, run);
  return run;
}

void
sw_cells_run_cancel (SwCellsRun *run)
{
  g_atomic_int_set (&run->cancel, 1);
}

SwCellsRunState
sw_cells_run_get_state (SwCellsRun *run)
{
  return g_atomic_int_get (&run->state);
}

int
sw_cells_run_get_n_samples (SwCellsRun *run)
{
  return g_atomic_int_get (&run->n_samples);
}

void
sw_cells_run_free (SwCellsRun *run)
{
  if (run == NULL)
    return;
  sw_cells_run_cancel (run);
  g_thread_join (run->thread);
  sw_cells_build_free (run->build);
  g_free (run->history);
  g_free (run->shown_cells);
  g_free (run->node_offset);
  g_free (run->error);
  g_free (run);
}

void
sw_cells_run_trace (SwCellsRun *run, int shown, int node, int n, double **t_ms, double **v_mv)
{
  int col = run->node_offset[shown] + node;

  n = MIN (n, sw_cells_run_get_n_samples (run));
  *t_ms = g_new (double, MAX (n, 1));
  *v_mv = g_new (double, MAX (n, 1));
  for (int k = 0; k < n; k++)
    {
      (*t_ms)[k] = MIN (k * run->sample_ms, run->duration_ms);
      (*v_mv)[k] = run->history[(size_t) k * run->n_columns + col];
    }
}
