/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Transfer-function fitting from single-cell simulations (see sw-tffit.h
 * and async-states spec §3): a dedicated single-cell AdEx integrator with
 * superposed Poisson input, run over a grid in parallel, and the two-stage
 * fit (QR least squares of V_eff, then Levenberg-Marquardt on the rates).
 */
#include "sw-tffit.h"
#include "sw-fastmath.h"
#include "sw-linalg.h"
#include "sw-meanfield.h"
#include "sw-rng.h"
#include "sw-team.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Random streams of the fitting simulations: + seed index (< 0x8000).  The
 * network's streams (sw-rng.h) end at SW_STREAM_STIM + stimuli; this range
 * is not used by them. */
#define TFFIT_STREAM 0x70000u
#define MAX_SEEDS 0x8000

/* Steps between checks of the cancel flag and of a finite state. */
#define CHECK_STEPS 4096

/* ------------------------------------------------------------------------ */
/* The cell                                                                  */

void
sw_tffit_cell_fs_rs (SwTffitCell *c, bool inhibitory)
{
  memset (c, 0, sizeof *c);
  sw_tf_cell_fs_rs (&c->tf, inhibitory);
  c->v_t_mv = -50.0;
  c->delta_t_mv = inhibitory ? 0.5 : 2.0;
  c->a_ns = 0.0;
  c->b_pa = 0.0;
  c->tau_w_ms = 500.0;
  c->v_reset_mv = -65.0;
  c->v_cut_mv = -30.0;
  c->t_ref_ms = 5.0;
  c->v0_mv = -60.0;
  c->w0_pa = 0.0;
}

static double
pop_param (const SwPopSpec *pop, const char *name)
{
  int k = sw_param_find (pop->type->params, pop->type->n_params, name);
  return k >= 0 ? pop->params[k] : NAN;
}

static double
pop_init (const SwPopSpec *pop, const char *name)
{
  int k = sw_param_find (pop->type->state, pop->type->n_state, name);
  if (k < 0)
    return NAN;
  const SwDist *d = &pop->init[k];
  /* The mean of the initial distribution: the state is forgotten during
   * the discarded part anyway. */
  return d->kind == SW_DIST_UNIFORM ? 0.5 * (d->a + d->b) : d->a;
}

SwStatus
sw_tffit_cell_from_spec (const SwNetSpec *spec, bool inhibitory, SwTffitCell *out, SwError *err)
{
  SwMfConfig cfg;
  SwStatus s = sw_mf_config_from_spec (spec, &cfg, err);
  if (s != SW_OK)
    return s;
  /* sw_mf_config_from_spec() has checked that there is exactly one
   * adex_cond population of each kind. */
  const SwPopSpec *pop = NULL;
  for (int p = 0; p < spec->n_pops && pop == NULL; p++)
    if (spec->pops[p].kind == SW_POP_NEURONS && spec->pops[p].inhibitory == inhibitory)
      pop = &spec->pops[p];
  if (pop == NULL)
    return sw_error_set (err, SW_ERR_NOT_FOUND, "no %s adex_cond population",
                         inhibitory ? "inhibitory" : "excitatory");

  SwTffitCell c;
  memset (&c, 0, sizeof c);
  c.tf = inhibitory ? cfg.i.cell : cfg.e.cell;
  c.v_t_mv = pop_param (pop, "V_T");
  c.delta_t_mv = pop_param (pop, "Delta_T");
  c.a_ns = pop_param (pop, "a");
  c.b_pa = pop_param (pop, "b");
  c.tau_w_ms = pop_param (pop, "tau_w");
  c.v_reset_mv = pop_param (pop, "V_reset");
  c.v_cut_mv = pop_param (pop, "V_cut");
  c.t_ref_ms = pop_param (pop, "t_ref");
  c.v0_mv = pop_init (pop, "v");
  c.w0_pa = pop_init (pop, "w");
  if ((s = sw_tffit_cell_validate (&c, err)) != SW_OK)
    return s;
  *out = c;
  return SW_OK;
}

SwStatus
sw_tffit_cell_validate (const SwTffitCell *c, SwError *err)
{
  const struct
  {
    const char *name;
    double v;
    bool positive;
  } checks[] = {
    { "C_m", c->tf.c_m_pf, true },      { "g_L", c->tf.g_l_ns, true },
    { "tau_e", c->tf.tau_e_ms, true },  { "tau_i", c->tf.tau_i_ms, true },
    { "tau_w", c->tau_w_ms, true },     { "Delta_T", c->delta_t_mv, true },
    { "K_E", c->tf.k_e, true },         { "K_I", c->tf.k_i, false },
    { "Q_e", c->tf.q_e_ns, false },     { "Q_i", c->tf.q_i_ns, false },
    { "E_L", c->tf.e_l_mv, false },     { "E_e", c->tf.e_e_mv, false },
    { "E_i", c->tf.e_i_mv, false },     { "V_T", c->v_t_mv, false },
    { "a", c->a_ns, false },            { "b", c->b_pa, false },
    { "V_reset", c->v_reset_mv, false },{ "V_cut", c->v_cut_mv, false },
    { "t_ref", c->t_ref_ms, false },    { "initial v", c->v0_mv, false },
    { "initial w", c->w0_pa, false },
  };
  for (size_t k = 0; k < sizeof checks / sizeof checks[0]; k++)
    {
      if (!isfinite (checks[k].v))
        return sw_error_set (err, SW_ERR_INVALID, "cell parameter %s is not finite", checks[k].name);
      if (checks[k].positive ? !(checks[k].v > 0) : false)
        return sw_error_set (err, SW_ERR_INVALID, "cell parameter %s must be positive (got %g)",
                             checks[k].name, checks[k].v);
    }
  if (c->tf.k_i < 0 || c->tf.q_e_ns < 0 || c->tf.q_i_ns < 0 || c->t_ref_ms < 0)
    return sw_error_set (err, SW_ERR_INVALID,
                         "in-degrees, synaptic weights and t_ref must not be negative");
  if (!(c->v_reset_mv < c->v_cut_mv))
    return sw_error_set (err, SW_ERR_INVALID, "V_reset (%g mV) must lie below V_cut (%g mV)",
                         c->v_reset_mv, c->v_cut_mv);
  if (!(c->v_t_mv < c->v_cut_mv))
    return sw_error_set (err, SW_ERR_INVALID, "V_T (%g mV) must lie below V_cut (%g mV)",
                         c->v_t_mv, c->v_cut_mv);
  return SW_OK;
}

/* ------------------------------------------------------------------------ */
/* The grid                                                                  */

void
sw_tffit_grid_default (SwTffitGrid *g)
{
  *g = (SwTffitGrid) {
    .n_e = 30,
    .n_i = 30,
    .nu_e_min_hz = 0.1,
    .nu_e_max_hz = 30.0,
    .nu_i_min_hz = 0.1,
    .nu_i_max_hz = 30.0,
    .log_spacing = false,
    .time_ms = 5000.0,
    .discard_ms = 500.0,
    .dt_ms = 0.1,
    .n_seeds = 2,
    .seed = 1,
  };
}

SwStatus
sw_tffit_grid_validate (const SwTffitGrid *g, SwError *err)
{
  if (g->n_e < 1 || g->n_i < 1 || g->n_e > 1000 || g->n_i > 1000)
    return sw_error_set (err, SW_ERR_INVALID,
                         "the grid must have 1 to 1000 points per axis (got %d x %d)", g->n_e,
                         g->n_i);
  const double lo[2] = { g->nu_e_min_hz, g->nu_i_min_hz }, hi[2] = { g->nu_e_max_hz, g->nu_i_max_hz };
  for (int a = 0; a < 2; a++)
    {
      const char *axis = a == 0 ? "nu_e" : "nu_i";
      if (!(isfinite (lo[a]) && isfinite (hi[a]) && lo[a] >= 0 && hi[a] >= lo[a]))
        return sw_error_set (err, SW_ERR_INVALID,
                             "the %s range must satisfy 0 <= min <= max (got %g to %g Hz)", axis,
                             lo[a], hi[a]);
      if (g->log_spacing && !(lo[a] > 0))
        return sw_error_set (err, SW_ERR_INVALID,
                             "a logarithmic %s axis needs a minimum above 0 Hz", axis);
    }
  if (!(g->dt_ms > 0 && g->dt_ms <= 1.0))
    return sw_error_set (err, SW_ERR_INVALID, "dt must lie in (0, 1] ms (got %g ms)", g->dt_ms);
  if (!(g->time_ms >= g->dt_ms && g->time_ms <= 1e7))
    return sw_error_set (err, SW_ERR_INVALID,
                         "the measured time per point must be positive, at least one step and "
                         "at most 10^4 s (got %g ms)",
                         g->time_ms);
  if (!(g->discard_ms >= 0 && g->discard_ms <= 1e7))
    return sw_error_set (err, SW_ERR_INVALID,
                         "the discarded time must lie in [0, 10^4 s] (got %g ms)", g->discard_ms);
  if (g->n_seeds < 1 || g->n_seeds > MAX_SEEDS)
    return sw_error_set (err, SW_ERR_INVALID, "the number of seeds must lie in [1, %d] (got %d)",
                         MAX_SEEDS, g->n_seeds);
  return SW_OK;
}

double
sw_tffit_axis_value (double min, double max, int n, int k, bool log_spacing)
{
  if (n <= 1)
    return min;
  double f = (double) k / (n - 1);
  if (log_spacing)
    return k == n - 1 ? max : min * pow (max / min, f);
  return k == n - 1 ? max : min + (max - min) * f;
}

/* ------------------------------------------------------------------------ */
/* The single-cell integrator                                                */

static inline uint32_t
poisson_count (double u, double lambda, double p0, uint64_t seed, uint32_t stream,
               uint32_t index, uint64_t step)
{
  if (lambda <= 0.0)
    return 0;
  /* Inversion from the step's own uniform is exact and cheap for the means
   * of the spec's grid (K nu dt <= 1.2); larger ones take sw_poisson's
   * split inversion from a separate stream. */
  if (lambda <= 16.0)
    return sw_poisson_small (u, lambda, p0);
  return sw_poisson (seed, stream | 0x8000u, index, step, lambda);
}

SwStatus
sw_tffit_run_cell (const SwTffitCell *c, double nu_e_hz, double nu_i_hz, double dt_ms,
                   int64_t n_discard, int64_t n_measure, uint64_t seed, uint32_t seed_index,
                   uint32_t point_index, const atomic_int *cancel, int64_t *n_spikes_out,
                   double *w_mean_out, SwError *err)
{
  const SwTfCell *t = &c->tf;
  const double dt = dt_ms, half_dt = 0.5 * dt_ms;
  const double inv_c = 1.0 / t->c_m_pf, g_l = t->g_l_ns, e_l = t->e_l_mv;
  const double v_t = c->v_t_mv, inv_dT = 1.0 / c->delta_t_mv, gl_dT = g_l * c->delta_t_mv;
  const double a = c->a_ns, b = c->b_pa, inv_tw = 1.0 / c->tau_w_ms;
  const double e_e = t->e_e_mv, e_i = t->e_i_mv;
  const double k_e = 1.0 / t->tau_e_ms, k_i = 1.0 / t->tau_i_ms;
  const double q_e = t->q_e_ns, q_i = t->q_i_ns;
  const double v_reset = c->v_reset_mv, v_cut = c->v_cut_mv;
  const int32_t refractory_steps = (int32_t) floor (c->t_ref_ms / dt + 0.5);
  const double lam_e = t->k_e * fmax (nu_e_hz, 0.0) * dt * 1e-3;
  const double lam_i = t->k_i * fmax (nu_i_hz, 0.0) * dt * 1e-3;
  const double p0_e = exp (-fmin (lam_e, 16.0)), p0_i = exp (-fmin (lam_i, 16.0));
  const uint32_t stream = TFFIT_STREAM + seed_index;
  /* Two indices per point: one for E, one for I in the fallback draws. */
  const uint32_t idx_e = 2 * point_index, idx_i = 2 * point_index + 1;
  const int64_t n_total = n_discard + n_measure;

  double v = c->v0_mv, w = c->w0_pa, ge = 0.0, gi = 0.0;
  int32_t refractory = 0;
  int64_t spikes = 0;
  double w_sum = 0.0;

  for (int64_t s = 0; s < n_total; s++)
    {
      if ((s & (CHECK_STEPS - 1)) == 0)
        {
          if (cancel != NULL && atomic_load_explicit (cancel, memory_order_relaxed))
            return sw_error_set (err, SW_ERR_CANCELLED, "cancelled");
          if (!isfinite (v) || !isfinite (w) || !isfinite (ge) || !isfinite (gi))
            return sw_error_set (err, SW_ERR_BLOWUP,
                                 "the cell's state stopped being finite at t = %.1f ms "
                                 "(nu_e %g Hz, nu_i %g Hz)",
                                 s * dt, nu_e_hz, nu_i_hz);
        }
      SwRand4 r = sw_philox (seed, stream, point_index, (uint64_t) s);
      uint32_t ne = poisson_count (sw_u01 (r.v[0]), lam_e, p0_e, seed, stream, idx_e, (uint64_t) s);
      uint32_t ni = poisson_count (sw_u01 (r.v[1]), lam_i, p0_i, seed, stream, idx_i, (uint64_t) s);
      ge += q_e * ne;
      gi += q_i * ni;

      /* Heun, as sw-adex.c: Euler predictor, trapezoidal corrector; the
       * voltage derivative is masked while refractory. */
      double live = refractory > 0 ? 0.0 : 1.0;
      double x1 = (v - v_t) * inv_dT;
      x1 = x1 < 50.0 ? x1 : 50.0;
      x1 = x1 > -700.0 ? x1 : -700.0;
      double dv1 = live * (-g_l * (v - e_l) + gl_dT * sw_exp (x1) - ge * (v - e_e) - gi * (v - e_i) - w) * inv_c;
      double dw1 = (a * (v - e_l) - w) * inv_tw;
      double dge1 = -ge * k_e, dgi1 = -gi * k_i;
      double v2 = v + dt * dv1, w2 = w + dt * dw1;
      double ge2 = ge + dt * dge1, gi2 = gi + dt * dgi1;
      double x2 = (v2 - v_t) * inv_dT;
      x2 = x2 < 50.0 ? x2 : 50.0;
      x2 = x2 > -700.0 ? x2 : -700.0;
      double dv2 = live * (-g_l * (v2 - e_l) + gl_dT * sw_exp (x2) - ge2 * (v2 - e_e) - gi2 * (v2 - e_i) - w2) * inv_c;
      double dw2 = (a * (v2 - e_l) - w2) * inv_tw;
      v += half_dt * (dv1 + dv2);
      w += half_dt * (dw1 + dw2);
      ge += half_dt * (dge1 - ge2 * k_e);
      gi += half_dt * (dgi1 - gi2 * k_i);

      /* Threshold pass, as sw_threshold_pass(). */
      bool fire = refractory == 0 && v > v_cut;
      if (fire)
        {
          v = v_reset;
          w += b;
          refractory = refractory_steps;
        }
      else if (refractory > 0)
        refractory--;
      if (s >= n_discard)
        {
          spikes += fire;
          w_sum += w;
        }
    }
  if (!isfinite (v) || !isfinite (w))
    return sw_error_set (err, SW_ERR_BLOWUP,
                         "the cell's state stopped being finite (nu_e %g Hz, nu_i %g Hz)", nu_e_hz,
                         nu_i_hz);
  *n_spikes_out = spikes;
  *w_mean_out = n_measure > 0 ? w_sum / (double) n_measure : w;
  return SW_OK;
}

typedef struct
{
  const SwTffitCell *cell;
  const SwTffitGrid *grid;
  SwTffitPoint *points;
  int total;
  int64_t n_discard, n_measure;
  atomic_int next, done, stop;
  const atomic_int *cancel;
  SwTffitProgress progress;
  void *progress_data;
  SwStatus *status;   /* per member */
  SwError *errors;    /* per member */
} SimJob;

static void
sim_point (SimJob *job, int k, int member)
{
  const SwTffitGrid *g = job->grid;
  int ie = k / g->n_i, ii = k % g->n_i;
  double nu_e = sw_tffit_axis_value (g->nu_e_min_hz, g->nu_e_max_hz, g->n_e, ie, g->log_spacing);
  double nu_i = sw_tffit_axis_value (g->nu_i_min_hz, g->nu_i_max_hz, g->n_i, ii, g->log_spacing);
  double measured_s = job->n_measure * g->dt_ms * 1e-3;
  double sum = 0.0, sum2 = 0.0, w_sum = 0.0;
  int64_t spikes_total = 0;

  for (int s = 0; s < g->n_seeds; s++)
    {
      int64_t spikes;
      double w_mean;
      SwStatus st = sw_tffit_run_cell (job->cell, nu_e, nu_i, g->dt_ms, job->n_discard,
                                       job->n_measure, g->seed, (uint32_t) s, (uint32_t) k,
                                       job->cancel, &spikes, &w_mean, &job->errors[member]);
      if (st != SW_OK)
        {
          if (job->status[member] == SW_OK)
            job->status[member] = st;
          atomic_store (&job->stop, 1);
          return;
        }
      double rate = spikes / measured_s;
      spikes_total += spikes;
      sum += rate;
      sum2 += rate * rate;
      w_sum += w_mean;
    }
  int n = g->n_seeds;
  double mean = sum / n;
  double var = n > 1 ? fmax (sum2 - n * mean * mean, 0.0) / (n - 1) : 0.0;
  job->points[k] = (SwTffitPoint) {
    .nu_e_hz = nu_e,
    .nu_i_hz = nu_i,
    .w_pa = w_sum / n,
    .nu_out_hz = spikes_total / (measured_s * n),
    .nu_out_se_hz = sqrt (var / n),
  };
}

static void
sim_member (void *data, int member, int n_members)
{
  SimJob *job = data;
  (void) n_members;
  for (;;)
    {
      if (atomic_load (&job->stop))
        return;
      int k = atomic_fetch_add (&job->next, 1);
      if (k >= job->total)
        return;
      sim_point (job, k, member);
      if (atomic_load (&job->stop))
        return;
      int done = atomic_fetch_add (&job->done, 1) + 1;
      if (member == 0 && job->progress != NULL)
        job->progress (job->progress_data, done, job->total);
    }
}

SwStatus
sw_tffit_simulate (const SwTffitCell *cell, const SwTffitGrid *grid, int threads,
                   const atomic_int *cancel, SwTffitProgress progress, void *progress_data,
                   SwTffitPoint *points, SwError *err)
{
  SwStatus s;
  if ((s = sw_tffit_cell_validate (cell, err)) != SW_OK
      || (s = sw_tffit_grid_validate (grid, err)) != SW_OK)
    return s;
  int total = grid->n_e * grid->n_i;
  if (threads <= 0)
    threads = (int) sysconf (_SC_NPROCESSORS_ONLN);
  threads = threads < 1 ? 1 : threads > total ? total : threads;

  SimJob job = {
    .cell = cell,
    .grid = grid,
    .points = points,
    .total = total,
    .n_discard = llround (grid->discard_ms / grid->dt_ms),
    .n_measure = llround (grid->time_ms / grid->dt_ms),
    .cancel = cancel,
    .progress = progress,
    .progress_data = progress_data,
  };
  atomic_init (&job.next, 0);
  atomic_init (&job.done, 0);
  atomic_init (&job.stop, 0);
  if (job.n_measure < 1)
    job.n_measure = 1;
  job.status = calloc ((size_t) threads, sizeof *job.status);
  job.errors = calloc ((size_t) threads, sizeof *job.errors);
  SwTeam *team = job.status && job.errors ? sw_team_new (threads) : NULL;
  if (team == NULL)
    {
      free (job.status);
      free (job.errors);
      return sw_error_set (err, SW_ERR_NOMEM, "cannot start %d threads", threads);
    }
  sw_team_run (team, sim_member, &job);
  sw_team_free (team);

  s = SW_OK;
  for (int t = 0; t < threads && s == SW_OK; t++)
    if (job.status[t] != SW_OK)
      {
        s = job.status[t];
        if (err != NULL)
          *err = job.errors[t];
      }
  /* A cancellation wins over a blow-up another member saw meanwhile. */
  if (s != SW_OK && cancel != NULL && atomic_load (cancel))
    s = sw_error_set (err, SW_ERR_CANCELLED, "cancelled");
  free (job.status);
  free (job.errors);
  return s;
}

/* ------------------------------------------------------------------------ */
/* The inverse of erfc                                                       */

double
sw_erfcinv (double y)
{
  if (isnan (y) || y < 0.0 || y > 2.0)
    return NAN;
  if (y == 0.0)
    return INFINITY;
  if (y == 2.0)
    return -INFINITY;
  if (y > 1.0)
    return -sw_erfcinv (2.0 - y);

  /* Initial guess: Winitzki's approximation of erfinv(1 - y) (relative
   * error ~ 2e-3), written with 1 - z^2 = y (2 - y) so that it keeps its
   * accuracy for tiny y; then Halley's iteration on erfc(x) - y, which
   * triples the digits per step. */
  const double a = 0.147;
  double l = log (y * (2.0 - y));
  double t = 2.0 / (M_PI * a) + 0.5 * l;
  double x = sqrt (fmax (sqrt (t * t - l / a) - t, 0.0));
  for (int it = 0; it < 8; it++)
    {
      double f = erfc (x) - y;
      double df = -M_2_SQRTPI * exp (-x * x);
      if (df == 0.0)
        break;
      double newton = f / df;
      double dx = newton / (1.0 + x * newton);   /* Halley: f''/f' = -2x */
      x -= dx;
      if (fabs (dx) <= 1e-16 * fmax (fabs (x), 1e-300))
        break;
    }
  return x;
}

double
sw_tffit_v_eff_from_rate (const SwTfMoments *m, double nu_out_hz)
{
  double y = 2.0 * nu_out_hz * m->tau_v_ms * 1e-3;
  if (!(y > 0.0 && y < 2.0) || !(m->sigma_v_mv > 0.0))
    return NAN;
  return m->mu_v_mv + M_SQRT2 * m->sigma_v_mv * sw_erfcinv (y);
}

/* ------------------------------------------------------------------------ */
/* The fit                                                                   */

void
sw_tffit_options_default (SwTffitOptions *opt)
{
  *opt = (SwTffitOptions) {
    .layout = SW_TF_LAYOUT_10,
    .flags = 0,
    .max_rate_hz = 60.0,
    .low_weight = 1.0,
    .low_region_hz = 5.0,
    .fit_silent = false,
    .stage2 = true,
    .max_iterations = 500,
  };
}

/* A point as the fit sees it: the regressors of V_eff at its moments, the
 * moments the erfc needs, the target and its weight. */
typedef struct
{
  double phi[SW_TF_MAX_COEFFS];
  double mu_v, sigma_v, tau_v_s;
  double v_eff;          /* from the rate; NAN for silent points */
  double nu, sqrt_w;
} Row;

/* The regressors in the order of sw_tf_v_eff(). */
static void
regressors (const SwTfCoeffs *norm, const SwTfCell *cell, const SwTfMoments *m, double *phi)
{
  double x = (m->mu_v_mv - norm->mu_v0_mv) / norm->d_mu_v_mv;
  double y = (m->sigma_v_mv - norm->sigma_v0_mv) / norm->d_sigma_v_mv;
  double z = (m->tau_vn - norm->tau_vn0) / norm->d_tau_vn;
  int k = 0;
  phi[k++] = 1.0;
  phi[k++] = x;
  phi[k++] = y;
  phi[k++] = z;
  if (norm->layout == SW_TF_LAYOUT_11)
    phi[k++] = log (m->mu_g_ns / cell->g_l_ns);
  phi[k++] = x * x;
  phi[k++] = y * y;
  phi[k++] = z * z;
  phi[k++] = x * y;
  phi[k++] = x * z;
  phi[k++] = y * z;
}

static SwStatus
check_options (const SwTffitOptions *opt, SwError *err)
{
  if (opt->layout != SW_TF_LAYOUT_10 && opt->layout != SW_TF_LAYOUT_11)
    return sw_error_set (err, SW_ERR_INVALID, "the layout must have 10 or 11 terms (got %d)",
                         (int) opt->layout);
  if (opt->flags & ~(unsigned) (SW_TF_LEGACY_TAU_V | SW_TF_LEGACY_SIGMA_V))
    return sw_error_set (err, SW_ERR_INVALID, "unknown transfer-function flags 0x%x", opt->flags);
  if (!(opt->max_rate_hz > 0))
    return sw_error_set (err, SW_ERR_INVALID, "the maximum rate must be positive (got %g Hz)",
                         opt->max_rate_hz);
  if (!(opt->low_weight > 0 && isfinite (opt->low_weight)))
    return sw_error_set (err, SW_ERR_INVALID, "the low-rate weight must be positive (got %g)",
                         opt->low_weight);
  return SW_OK;
}

/* Fills @rows with the kept points (and the silent ones when @silent);
 * returns how many.  @n_silent and @n_saturated may be NULL. */
static int
make_rows (const SwTfCell *cell, const SwTffitPoint *points, int n, const SwTffitOptions *opt,
           const SwTfCoeffs *norm, bool silent, Row *rows, int *n_silent, int *n_saturated)
{
  int m = 0, ns = 0, nsat = 0;
  for (int k = 0; k < n; k++)
    {
      const SwTffitPoint *p = &points[k];
      SwTfMoments mo;
      sw_tf_moments (cell, p->nu_e_hz, p->nu_i_hz, p->w_pa, opt->flags, &mo);
      bool is_silent = p->nu_out_hz == 0.0;
      double v_eff = NAN;
      if (is_silent)
        ns++;
      else if (p->nu_out_hz > 0.0 && p->nu_out_hz < opt->max_rate_hz)
        {
          v_eff = sw_tffit_v_eff_from_rate (&mo, p->nu_out_hz);
          if (!isfinite (v_eff))
            {
              nsat++;
              continue;
            }
        }
      else
        {
          nsat++;
          continue;
        }
      if (is_silent && !silent)
        continue;
      if (!(isfinite (mo.mu_v_mv) && mo.sigma_v_mv > 0 && mo.tau_v_ms > 0))
        {
          nsat++;
          continue;
        }
      Row *r = &rows[m++];
      regressors (norm, cell, &mo, r->phi);
      r->mu_v = mo.mu_v_mv;
      r->sigma_v = mo.sigma_v_mv;
      r->tau_v_s = mo.tau_v_ms * 1e-3;
      r->v_eff = v_eff;
      r->nu = p->nu_out_hz;
      bool low = p->nu_e_hz < opt->low_region_hz && p->nu_i_hz < opt->low_region_hz;
      r->sqrt_w = sqrt (low ? opt->low_weight : 1.0);
    }
  if (n_silent != NULL)
    *n_silent = ns;
  if (n_saturated != NULL)
    *n_saturated = nsat;
  return m;
}

static void
norm_for (const SwTffitOptions *opt, SwTfCoeffs *norm)
{
  sw_tf_coeffs_init (norm);
  norm->layout = opt->layout;
  norm->flags = opt->flags;
  snprintf (norm->name, sizeof norm->name, "fit");
}

/* Least squares min |A p - b| for an m x n @a (column-major, overwritten)
 * by Householder QR.  Returns -1 when a diagonal element of R is below
 * 1e-12 of the largest (rank deficient). */
static int
qr_solve (int m, int n, double *a, double *b, double *p)
{
  double rmax = 0.0;
  for (int j = 0; j < n; j++)
    {
      double *col = a + (size_t) j * m;
      double norm = 0.0;
      for (int i = j; i < m; i++)
        norm = hypot (norm, col[i]);
      if (norm == 0.0)
        return -1;
      double alpha = col[j] > 0 ? -norm : norm;
      /* v = x - alpha e1, stored in col[j..]; H = I - 2 v v^T / v^T v. */
      col[j] -= alpha;
      double vtv = 0.0;
      for (int i = j; i < m; i++)
        vtv += col[i] * col[i];
      for (int k = j + 1; k < n; k++)
        {
          double *ck = a + (size_t) k * m, dot = 0.0;
          for (int i = j; i < m; i++)
            dot += col[i] * ck[i];
          double f = 2.0 * dot / vtv;
          for (int i = j; i < m; i++)
            ck[i] -= f * col[i];
        }
      double dot = 0.0;
      for (int i = j; i < m; i++)
        dot += col[i] * b[i];
      double f = 2.0 * dot / vtv;
      for (int i = j; i < m; i++)
        b[i] -= f * col[i];
      col[j] = alpha;   /* R_jj; the rest of the column is no longer needed */
      rmax = fmax (rmax, fabs (alpha));
    }
  for (int j = 0; j < n; j++)
    if (fabs (a[(size_t) j * m + j]) <= 1e-12 * rmax)
      return -1;
  for (int j = n - 1; j >= 0; j--)
    {
      double s = b[j];
      for (int k = j + 1; k < n; k++)
        s -= a[(size_t) k * m + j] * p[k];
      p[j] = s / a[(size_t) j * m + j];
    }
  return 0;
}

static double
row_v_eff (const Row *r, const double *p, int np)
{
  double v = 0.0;
  for (int j = 0; j < np; j++)
    v += p[j] * r->phi[j];
  return v;
}

static inline double
row_rate (const Row *r, double v_eff)
{
  return erfc ((v_eff - r->mu_v) / (M_SQRT2 * r->sigma_v)) / (2.0 * r->tau_v_s);
}

SwStatus
sw_tffit_stage1 (const SwTfCell *cell, const SwTffitPoint *points, int n, const SwTffitOptions *opt,
                 SwTfCoeffs *out, double *rms_mv, SwError *err)
{
  SwStatus s = check_options (opt, err);
  if (s != SW_OK)
    return s;
  SwTfCoeffs k;
  norm_for (opt, &k);
  const int np = (int) opt->layout;
  Row *rows = malloc ((size_t) (n > 0 ? n : 1) * sizeof *rows);
  if (rows == NULL)
    return sw_error_set (err, SW_ERR_NOMEM, "out of memory for %d points", n);
  int m = make_rows (cell, points, n, opt, &k, false, rows, NULL, NULL);
  if (m < np)
    {
      free (rows);
      return sw_error_set (err, SW_ERR_INVALID,
                           "only %d of %d points have 0 < rate < %g Hz and a finite V_eff; the "
                           "fit of %d coefficients needs at least %d",
                           m, n, opt->max_rate_hz, np, np);
    }
  double *a = malloc ((size_t) m * np * sizeof *a);
  double *b = malloc ((size_t) m * sizeof *b);
  if (a == NULL || b == NULL)
    {
      free (rows);
      free (a);
      free (b);
      return sw_error_set (err, SW_ERR_NOMEM, "out of memory for %d points", m);
    }
  for (int i = 0; i < m; i++)
    {
      for (int j = 0; j < np; j++)
        a[(size_t) j * m + i] = rows[i].phi[j];
      b[i] = rows[i].v_eff;
    }
  double p[SW_TF_MAX_COEFFS] = { 0 };
  int rc = qr_solve (m, np, a, b, p);
  if (rc == 0)
    {
      double ss = 0.0;
      for (int i = 0; i < m; i++)
        {
          double d = row_v_eff (&rows[i], p, np) - rows[i].v_eff;
          ss += d * d;
        }
      if (rms_mv != NULL)
        *rms_mv = sqrt (ss / m);
    }
  free (rows);
  free (a);
  free (b);
  if (rc != 0)
    return sw_error_set (err, SW_ERR_INVALID,
                         "the %d kept points do not determine the %d coefficients (their moments "
                         "span too little; widen the grid)",
                         m, np);
  for (int j = 0; j < np; j++)
    if (!isfinite (p[j]))
      return sw_error_set (err, SW_ERR_INVALID, "the linear fit gave a non-finite P%d", j);
  memcpy (k.p_mv, p, sizeof p);
  *out = k;
  return SW_OK;
}

/* Weighted sum of squared residuals of @p over @rows. */
static double
cost_of (const Row *rows, int m, const double *p, int np)
{
  double c = 0.0;
  for (int i = 0; i < m; i++)
    {
      double r = rows[i].sqrt_w * (row_rate (&rows[i], row_v_eff (&rows[i], p, np)) - rows[i].nu);
      c += r * r;
    }
  return c;
}

SwStatus
sw_tffit_stage2 (const SwTfCell *cell, const SwTffitPoint *points, int n, const SwTffitOptions *opt,
                 const SwTfCoeffs *start, SwTfCoeffs *out, int *iterations_out,
                 bool *converged_out, SwError *err)
{
  SwStatus s = check_options (opt, err);
  if (s != SW_OK)
    return s;
  if (start->layout != opt->layout)
    return sw_error_set (err, SW_ERR_INVALID,
                         "the starting set has %d terms but the options ask for %d",
                         (int) start->layout, (int) opt->layout);
  SwTfCoeffs k = *start;
  k.flags = opt->flags;
  const int np = (int) opt->layout;
  Row *rows = malloc ((size_t) (n > 0 ? n : 1) * sizeof *rows);
  if (rows == NULL)
    return sw_error_set (err, SW_ERR_NOMEM, "out of memory for %d points", n);
  int m = make_rows (cell, points, n, opt, &k, opt->fit_silent, rows, NULL, NULL);
  if (m < np)
    {
      free (rows);
      return sw_error_set (err, SW_ERR_INVALID, "only %d points to fit %d coefficients", m, np);
    }

  double p[SW_TF_MAX_COEFFS];
  memcpy (p, k.p_mv, sizeof p);
  double cost = cost_of (rows, m, p, np);
  double lambda = 1e-3, grow = 2.0;
  int it = 0;
  bool converged = false;

  /* Levenberg-Marquardt with Marquardt's scaling (damping lambda diag(J^T
   * J)) and Nielsen's update of lambda.  The Jacobian is analytic: V_eff is
   * linear in P, so dF/dP_j = F'(V_eff) phi_j with
   * F'(V) = -exp(-u^2) / (sqrt(2 pi) sigma_V tau_V), u = (V - muV)/(sqrt 2 sigma_V). */
  while (it < opt->max_iterations && !converged)
    {
      it++;
      double jtj[SW_TF_MAX_COEFFS * SW_TF_MAX_COEFFS] = { 0 }, g[SW_TF_MAX_COEFFS] = { 0 };
      for (int i = 0; i < m; i++)
        {
          const Row *r = &rows[i];
          double v = row_v_eff (r, p, np);
          double u = (v - r->mu_v) / (M_SQRT2 * r->sigma_v);
          double res = r->sqrt_w * (row_rate (r, v) - r->nu);
          double dfdv = -r->sqrt_w * exp (-u * u) / (sqrt (2.0 * M_PI) * r->sigma_v * r->tau_v_s);
          double jrow[SW_TF_MAX_COEFFS];
          for (int j = 0; j < np; j++)
            jrow[j] = dfdv * r->phi[j];
          for (int j = 0; j < np; j++)
            {
              g[j] += jrow[j] * res;
              for (int l = 0; l <= j; l++)
                jtj[j * np + l] += jrow[j] * jrow[l];
            }
        }
      double dmax = 0.0, gmax = 0.0;
      for (int j = 0; j < np; j++)
        {
          for (int l = 0; l < j; l++)
            jtj[l * np + j] = jtj[j * np + l];
          dmax = fmax (dmax, jtj[j * np + j]);
          gmax = fmax (gmax, fabs (g[j]));
        }
      /* A vanishing gradient: nothing left to gain. */
      if (gmax <= 1e-15 * fmax (cost, 1e-300) || dmax == 0.0)
        {
          converged = true;
          break;
        }
      for (;;)
        {
          double a[SW_TF_MAX_COEFFS * SW_TF_MAX_COEFFS], d[SW_TF_MAX_COEFFS];
          memcpy (a, jtj, sizeof a);
          for (int j = 0; j < np; j++)
            {
              double dj = fmax (jtj[j * np + j], 1e-12 * dmax);
              a[j * np + j] += lambda * dj;
              d[j] = -g[j];
            }
          double pn[SW_TF_MAX_COEFFS];
          memcpy (pn, p, sizeof pn);
          bool solved = sw_linalg_solve (np, a, d) == 0;
          double step = 0.0;
          if (solved)
            for (int j = 0; j < np; j++)
              {
                pn[j] = p[j] + d[j];
                step = fmax (step, fabs (d[j]) / (1.0 + fabs (p[j])));
              }
          double cn = solved ? cost_of (rows, m, pn, np) : INFINITY;
          if (isfinite (cn) && cn <= cost)
            {
              /* Predicted reduction of the linear model: d^T (lambda D d - g). */
              double pred = 0.0;
              for (int j = 0; j < np; j++)
                pred += d[j] * (lambda * fmax (jtj[j * np + j], 1e-12 * dmax) * d[j] - g[j]);
              double rho = pred > 0 ? (cost - cn) / pred : 0.0;
              double shrink = 1.0 - pow (2.0 * rho - 1.0, 3);
              lambda *= fmax (shrink, 1.0 / 3.0);
              lambda = fmax (lambda, 1e-15);
              grow = 2.0;
              double gain = cost - cn;
              memcpy (p, pn, sizeof p);
              cost = cn;
              if (gain <= 1e-14 * cost + 1e-300 || step <= 1e-13)
                converged = true;
              break;
            }
          lambda *= grow;
          grow *= 2.0;
          if (!(lambda < 1e16))
            {
              /* No step lowers the cost: a minimum to working precision. */
              converged = true;
              break;
            }
        }
    }
  free (rows);
  for (int j = 0; j < np; j++)
    if (!isfinite (p[j]))
      return sw_error_set (err, SW_ERR_INVALID, "the rate fit gave a non-finite P%d", j);
  memcpy (k.p_mv, p, sizeof p);
  *out = k;
  if (iterations_out != NULL)
    *iterations_out = it;
  if (converged_out != NULL)
    *converged_out = converged;
  return SW_OK;
}

double
sw_tffit_error (const SwTfCoeffs *coeffs, const SwTfCell *cell, const SwTffitPoint *points, int n,
                double max_rate_hz, bool with_silent, double *max_error_hz)
{
  double sum = 0.0, mx = 0.0;
  int count = 0;
  for (int k = 0; k < n; k++)
    {
      double nu = points[k].nu_out_hz;
      if (!(nu < max_rate_hz) || nu < 0 || (nu == 0.0 && !with_silent))
        continue;
      double f = sw_tf_rate (coeffs, cell, points[k].nu_e_hz, points[k].nu_i_hz, points[k].w_pa, NULL);
      double e = fabs (f - nu);
      sum += e;
      mx = fmax (mx, e);
      count++;
    }
  if (max_error_hz != NULL)
    *max_error_hz = count > 0 ? mx : NAN;
  return count > 0 ? sum / count : NAN;
}

SwStatus
sw_tffit_fit (const SwTfCell *cell, const SwTffitPoint *points, int n, const SwTffitOptions *opt,
              SwTffitResult *out, SwError *err)
{
  SwTffitResult r;
  memset (&r, 0, sizeof r);
  SwStatus s = sw_tffit_stage1 (cell, points, n, opt, &r.stage1, &r.veff_rms_mv, err);
  if (s != SW_OK)
    return s;
  r.coeffs = r.stage1;
  r.converged = true;
  if (opt->stage2
      && (s = sw_tffit_stage2 (cell, points, n, opt, &r.stage1, &r.coeffs, &r.iterations,
                               &r.converged, err)) != SW_OK)
    return s;

  /* Errors over the kept points, exactly the set stage 1 fitted. */
  Row *rows = malloc ((size_t) (n > 0 ? n : 1) * sizeof *rows);
  if (rows == NULL)
    return sw_error_set (err, SW_ERR_NOMEM, "out of memory for %d points", n);
  r.n_points = n;
  r.n_kept = make_rows (cell, points, n, opt, &r.coeffs, false, rows, &r.n_silent, &r.n_saturated);
  const int np = (int) opt->layout;
  double e1 = 0.0, e = 0.0, e2 = 0.0, mx = 0.0, elow = 0.0;
  int nlow = 0;
  for (int i = 0; i < r.n_kept; i++)
    {
      const Row *row = &rows[i];
      double d1 = fabs (row_rate (row, row_v_eff (row, r.stage1.p_mv, np)) - row->nu);
      double d = fabs (row_rate (row, row_v_eff (row, r.coeffs.p_mv, np)) - row->nu);
      e1 += d1;
      e += d;
      e2 += d * d;
      mx = fmax (mx, d);
      if (row->nu < 10.0)
        {
          elow += d;
          nlow++;
        }
    }
  free (rows);
  r.stage1_error_hz = e1 / r.n_kept;
  r.error_hz = e / r.n_kept;
  r.rms_error_hz = sqrt (e2 / r.n_kept);
  r.max_error_hz = mx;
  r.error_low_hz = nlow > 0 ? elow / nlow : NAN;
  r.error_all_hz = sw_tffit_error (&r.coeffs, cell, points, n, opt->max_rate_hz, true, NULL);

  /* Noise floor: the mean standard error of the kept points' rates. */
  double sd = 0.0;
  int nsd = 0;
  for (int k = 0; k < n; k++)
    if (points[k].nu_out_hz > 0 && points[k].nu_out_hz < opt->max_rate_hz)
      {
        sd += points[k].nu_out_se_hz;
        nsd++;
      }
  r.noise_hz = nsd > 0 ? sd / nsd : 0.0;
  *out = r;
  return SW_OK;
}
