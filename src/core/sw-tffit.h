/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Automatic derivation of a transfer function (async-states spec §3): an
 * isolated AdEx cell with conductance synapses is bombarded by K_E
 * independent excitatory Poisson trains at nu_e (jump Q_e) and K_I
 * inhibitory ones at nu_i (jump Q_i) over a grid of (nu_e, nu_i); its output
 * rate and time-averaged adaptation current are recorded at every point;
 * then the coefficients of the effective threshold (sw-tf.h) are fitted in
 * two stages: a linear least-squares fit of V_eff on the polynomial
 * regressors, and a Levenberg-Marquardt minimisation of sum (F - nu_out)^2
 * started from it.
 *
 * The simulation integrates the equations of the network's adex_cond model
 * (sw-adex.c) step for step: Heun at a fixed dt, exponential argument
 * capped at 50, conductance jumps of a step added before integrating, spike
 * when v > V_cut at the end of a step, then v = V_reset, w += b, and v frozen
 * for round(t_ref / dt) steps while w, g_e and g_i evolve.  The superposed
 * trains arrive as one Poisson count per step and class (the sum of K
 * independent trains of rate nu is a train of rate K nu).  Random numbers are
 * counter-based, keyed by (seed, seed index, grid point, step), so results
 * do not depend on the number of threads.
 *
 * Units: rates Hz, time ms, voltage mV, conductance nS, capacitance pF,
 * current pA; fitted coefficients live in an SwTfCoeffs (mV, as the core
 * stores them; sw-tf.h converts from and to the published volts).
 *
 * Thread safety: all functions are pure apart from their outputs;
 * sw_tffit_simulate() runs a team of threads of its own (sw-team.h).
 */
#pragma once

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "sw-network.h"
#include "sw-status.h"
#include "sw-tf.h"

/* ------------------------------------------------------------------------ */
/* The cell and the simulation grid                                          */

/* One isolated AdEx cell with its synapses and in-degrees.  The moments of
 * the transfer function use @tf (membrane, reversal potentials, synaptic
 * time constants, weights and K_E, K_I); the simulation uses all of it. */
typedef struct
{
  SwTfCell tf;
  double v_t_mv, delta_t_mv;
  double a_ns, b_pa, tau_w_ms;
  double v_reset_mv, v_cut_mv, t_ref_ms;
  double v0_mv, w0_pa;        /* initial state (spec §1.2: -60 mV, 0 pA) */
} SwTffitCell;

/* The FS-RS cell of spec §1.2 (RS, b = 0, or FS) with the reference
 * synapses and in-degrees (Q_e 1.5 nS, Q_i 5 nS, K_E 400, K_I 100). */
void sw_tffit_cell_fs_rs (SwTffitCell *cell, bool inhibitory);

/* The excitatory (@inhibitory false) or inhibitory adex_cond population of
 * an E-I network description, as sw_mf_config_from_spec() reads it: the
 * in-degrees and weights come from the recurrent projections, so that the
 * fitted set belongs to exactly the mean field of that network.  Refused
 * with the message of sw_mf_config_from_spec() when the network has no mean
 * field. */
SwStatus sw_tffit_cell_from_spec (const SwNetSpec *spec, bool inhibitory, SwTffitCell *cell,
                                  SwError *err);

/* Checks ranges: positive capacitance, conductances, time constants and
 * in-degrees, V_reset < V_cut, V_T < V_cut, finite values. */
SwStatus sw_tffit_cell_validate (const SwTffitCell *cell, SwError *err);

typedef struct
{
  /* Grid: n_e x n_i points, nu_e from nu_e_min to nu_e_max (Hz per
   * source), the same for nu_i; evenly spaced, or logarithmically when
   * @log_spacing (then both minima must be > 0). */
  int n_e, n_i;
  double nu_e_min_hz, nu_e_max_hz;
  double nu_i_min_hz, nu_i_max_hz;
  bool log_spacing;
  double time_ms;       /* measured time per seed, after the discarded part */
  double discard_ms;    /* simulated and thrown away first (0.5 s) */
  double dt_ms;         /* 0.1 ms */
  int n_seeds;          /* independent runs per point, pooled (>= 1) */
  uint64_t seed;
} SwTffitGrid;

/* 30 x 30 over 0.1-30 Hz, linear, 5 s measured after 0.5 s, dt 0.1 ms,
 * 2 seeds, seed 1. */
void sw_tffit_grid_default (SwTffitGrid *grid);

SwStatus sw_tffit_grid_validate (const SwTffitGrid *grid, SwError *err);

/* Rate of grid axis value @k of @n from @min to @max. */
double sw_tffit_axis_value (double min, double max, int n, int k, bool log_spacing);

/* One point of a transfer function: input, adaptation, output.  Points of
 * a simulated grid are stored with index k = ie * n_i + ii. */
typedef struct
{
  double nu_e_hz, nu_i_hz;    /* per-source input rates */
  double w_pa;                /* time-averaged adaptation current (pooled over seeds) */
  double nu_out_hz;           /* output rate: spikes / measured time, pooled over seeds */
  /* Standard error of nu_out from the spread of the per-seed rates (their
   * SD / sqrt(n_seeds)); 0 with one seed. */
  double nu_out_se_hz;
} SwTffitPoint;

/* Called by the calling thread (team member 0) after each point it
 * finished, with the number of points finished by the whole team. */
typedef void (*SwTffitProgress) (void *data, int done, int total);

/* Simulates every point of @grid for @cell with @threads threads (0: one
 * per processor) into @points (n_e * n_i entries, allocated by the caller).
 * Stops with SW_ERR_CANCELLED soon after *@cancel (may be NULL) becomes
 * non-zero (checked every 4096 steps; may be set from a signal handler);
 * @points is then incomplete.  SW_ERR_BLOWUP when a state stops being
 * finite, naming the point. */
SwStatus sw_tffit_simulate (const SwTffitCell *cell, const SwTffitGrid *grid, int threads,
                            const atomic_int *cancel, SwTffitProgress progress,
                            void *progress_data, SwTffitPoint *points, SwError *err);

/* One run at one input: @n_discard steps thrown away, then @n_measure
 * steps measured; random stream (@seed, @seed_index, @point_index).
 * Writes the spike count and the mean w over the measured steps. */
SwStatus sw_tffit_run_cell (const SwTffitCell *cell, double nu_e_hz, double nu_i_hz,
                            double dt_ms, int64_t n_discard, int64_t n_measure, uint64_t seed,
                            uint32_t seed_index, uint32_t point_index,
                            const atomic_int *cancel, int64_t *n_spikes, double *w_mean_pa,
                            SwError *err);

/* ------------------------------------------------------------------------ */
/* The fit                                                                   */

typedef struct
{
  SwTfLayout layout;          /* 10 (default) or 11 terms */
  unsigned flags;             /* SwTfFlags of the moments (0: the correct formulas) */
  /* Points kept (spec §3.3): 0 < nu_out < max_rate_hz and a finite V_eff. */
  double max_rate_hz;         /* 60 Hz */
  /* Stage 2 weights the points with nu_e < low_region_hz and nu_i <
   * low_region_hz by low_weight (spec §3.5); 1: no weighting. */
  double low_weight;
  double low_region_hz;       /* 5 Hz */
  /* Also fit the silent points (nu_out = 0) in stage 2, pulling F towards
   * 0 where the cell did not fire. */
  bool fit_silent;
  bool stage2;                /* false: stage 1 only */
  int max_iterations;         /* Levenberg-Marquardt iterations (500) */
} SwTffitOptions;

void sw_tffit_options_default (SwTffitOptions *opt);

typedef struct
{
  SwTfCoeffs stage1;          /* linear fit of V_eff */
  SwTfCoeffs coeffs;          /* final (stage 2, or stage 1 alone) */
  int n_points;               /* points given */
  int n_kept;                 /* fitted: 0 < nu_out < max_rate, finite V_eff */
  int n_silent;               /* nu_out = 0 */
  int n_saturated;            /* nu_out >= max_rate, or V_eff not finite */
  double veff_rms_mv;         /* stage-1 residual of V_eff (rms) */
  double stage1_error_hz;     /* mean |F - nu_out| of the stage-1 set, kept points */
  double error_hz;            /* mean |F - nu_out| of the final set, kept points */
  double max_error_hz;        /* max |F - nu_out|, kept points */
  double rms_error_hz;
  double error_all_hz;        /* mean |F - nu_out| over kept and silent points */
  double error_low_hz;        /* mean |F - nu_out| over kept points with nu_out < 10 Hz */
  /* Simulation noise of nu_out: the mean over kept points of the standard
   * error of the pooled rate (per-seed SD / sqrt(n_seeds)); 0 without
   * seed SDs.  Errors near it are noise-limited. */
  double noise_hz;
  int iterations;             /* Levenberg-Marquardt iterations taken */
  bool converged;
} SwTffitResult;

/* V_eff = muV + sqrt(2) sigmaV erfcinv(2 nu tau_V) (mV) at moments @m;
 * NAN unless 0 < 2 nu tau_V < 2. */
double sw_tffit_v_eff_from_rate (const SwTfMoments *m, double nu_out_hz);

/* The inverse of erfc on (0, 2), to a few ulps; +-INFINITY at 0 and 2,
 * NAN outside. */
double sw_erfcinv (double y);

/* Stage 1: the least-squares V_eff coefficients (Householder QR, no normal
 * equations) over the kept points of @points for @cell under @opt's
 * layout and flags, into @out; @rms_mv (may be NULL) receives the rms
 * residual.  SW_ERR_INVALID when fewer points are kept than there are
 * coefficients, or they do not determine them (rank deficient). */
SwStatus sw_tffit_stage1 (const SwTfCell *cell, const SwTffitPoint *points, int n,
                          const SwTffitOptions *opt, SwTfCoeffs *out, double *rms_mv,
                          SwError *err);

/* Stage 2: Levenberg-Marquardt (Marquardt's diagonal scaling, analytic
 * Jacobian: V_eff is linear in P) on r_k = sqrt(weight_k) (F_k - nu_k) over
 * the kept points (and the silent ones with @opt->fit_silent), weight_k =
 * @opt->low_weight in the low-rate region and 1 elsewhere,
 * from @start, into @out (may alias @start).  @iterations and @converged
 * may be NULL. */
SwStatus sw_tffit_stage2 (const SwTfCell *cell, const SwTffitPoint *points, int n,
                          const SwTffitOptions *opt, const SwTfCoeffs *start, SwTfCoeffs *out,
                          int *iterations, bool *converged, SwError *err);

/* Both stages and the errors. */
SwStatus sw_tffit_fit (const SwTfCell *cell, const SwTffitPoint *points, int n,
                       const SwTffitOptions *opt, SwTffitResult *out, SwError *err);

/* Mean |F - nu_out| of @coeffs over the points with 0 <= nu_out <
 * @max_rate_hz (silent ones included when @with_silent), and the max;
 * NAN when none. */
double sw_tffit_error (const SwTfCoeffs *coeffs, const SwTfCell *cell, const SwTffitPoint *points,
                       int n, double max_rate_hz, bool with_silent, double *max_error_hz);
