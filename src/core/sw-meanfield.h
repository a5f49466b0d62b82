/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Master-equation mean field of a conductance-based AdEx E-I network
 * (async-states spec §2.3-§2.5, §4, §5): first-order rate dynamics with the
 * adaptation current of the excitatory cells, the optional second-order
 * (finite-size covariance) dynamics, fixed points by a 1-D reduction, their
 * stability and the underdamped / overdamped classification of the
 * asynchronous state, the linear response, the finite-size variability from
 * a Lyapunov equation, and phase maps over many configurations.
 *
 * Units: rates Hz, time ms in configurations (seconds inside the dynamics,
 * so eigenvalues are in 1/s), voltage mV, conductance nS, current pA.
 * The state of the first-order model is x = (nu_E, nu_I, W) in (Hz, Hz, pA);
 * its right-hand side is in (Hz/s, Hz/s, pA/s).
 *
 * Thread safety: every function is pure apart from its outputs, and may be
 * called from several threads at once on different outputs.
 * sw_mf_phase_map() runs a team of threads of its own (sw-team.h).
 */
#pragma once

#include <stdbool.h>

#include "sw-network.h"
#include "sw-status.h"
#include "sw-tf.h"
#include "sw-waveform.h"

/* ------------------------------------------------------------------------ */
/* Configuration                                                             */

/* One population as the mean field sees it: its cells and synapses, the
 * transfer function fitted for exactly those, and the external in-degree. */
typedef struct
{
  SwTfCell cell;      /* membrane, synapses, recurrent in-degrees k_e, k_i */
  SwTfCoeffs tf;      /* coefficient set with its formula flags */
  double k_ext;       /* synapses from the external sources (same Q_e as k_e);
                       * the drive enters F as nu_ext k_ext / k_e per K_E synapse */
} SwMfPop;

typedef struct
{
  SwMfPop e, i;
  double nu_ext_hz;           /* rate of each external source */
  double a_ns, b_pa, tau_w_ms;/* adaptation of the excitatory cells */
  double t_ms;                /* time constant T of the rate equations (20 ms) */
  double n_e, n_i;            /* population sizes (second order, Lyapunov noise) */
  /* Fixed-point search: roots of the 1-D reduction on a logarithmic grid
   * [nu_min_hz, nu_max_hz] of nu_E (0.001-60 Hz).  Roots with nu_E below
   * nu_quiescent_hz (0.1 Hz) count as the quiescent state: with a weak
   * drive the mean field has a stable near-silent root (0.002-0.06 Hz in
   * the FS-RS maps, up to where it merges with the middle root), which is
   * not the asynchronous state. */
  double nu_min_hz, nu_max_hz, nu_quiescent_hz;
} SwMfConfig;

/* The reference FS-RS network of spec §1.2 (E_L -64 / -65 mV, K_E 400,
 * K_I 100, K_ext 400, b 0, tau_w 500 ms, T 20 ms, N 8000 / 2000) with the
 * S25 coefficient sets and nu_ext = 2.5 Hz. */
void sw_mf_config_default (SwMfConfig *cfg);

/* Sets the coefficient sets of both populations to built-in @set ("dV19",
 * "S25"): RS for E, FS for I. */
SwStatus sw_mf_config_set_builtin_tf (SwMfConfig *cfg, const char *set, SwError *err);

/* Checks ranges (positive capacitances, time constants and in-degrees,
 * finite values, a sensible search grid). */
SwStatus sw_mf_config_validate (const SwMfConfig *cfg, SwError *err);

/* Derives a configuration from a network description shaped like the
 * destexhe-adex preset: one excitatory and one inhibitory population of
 * model adex_cond (told apart by their `inhibitory` flag), one Poisson
 * source population (the external drive), and the six projections E->E,
 * E->I, I->E, I->I, ext->E, ext->I (ext->I may be absent).  In-degrees:
 * fixed_probability p gives K = p N_pre, fixed_indegree k gives k,
 * fixed_outdegree k gives k N_pre / N_post, all_to_all N_pre, one_to_one 1;
 * weights are the mean of their distribution.  The drive's rate is the
 * value its profile settles to (the sum of the amplitudes of its constant,
 * gaussian_rise and ramp components; pulses and other transients are left
 * out).  Delays and the network's stimuli do not enter.  The coefficient
 * sets are S25 (the FS-RS fit) and T = 20 ms; change them afterwards as
 * needed.  Refused with SW_ERR_INVALID or SW_ERR_NOT_FOUND and a sentence
 * naming what is missing or unsupported (e.g. an external weight different
 * from the recurrent one, adaptation or an injected current in the
 * inhibitory cells); @cfg is then untouched. */
SwStatus sw_mf_config_from_spec (const SwNetSpec *spec, SwMfConfig *cfg, SwError *err);

/* ------------------------------------------------------------------------ */
/* Dynamics                                                                  */

/* Full state; the c_* (Hz^2) are used by the second-order model only. */
typedef struct
{
  double nu_e_hz, nu_i_hz, w_pa;
  double c_ee, c_ei, c_ii;
} SwMfState;

/* A time-varying stimulus: an extra rate (Hz per external source) added to
 * the drive onto E, and optionally onto I (spec §5), each the sum of up to
 * SW_MAX_COMPONENTS waveform components of absolute time (ms). */
typedef struct
{
  const SwWaveform *onto_e;
  int n_onto_e;
  const SwWaveform *onto_i;
  int n_onto_i;
} SwMfStimulus;

/* Where sw_mf_integrate() writes its samples: n_steps + 1 values each
 * (the initial state first); any pointer may be NULL. */
typedef struct
{
  double *t_ms;
  double *nu_e_hz, *nu_i_hz, *w_pa;
  double *c_ee, *c_ei, *c_ii;
} SwMfTrace;

/* Right-hand side of the first-order model at x = (nu_E, nu_I, W) with
 * extra drive @stim_e_hz, @stim_i_hz (Hz per external source) onto E and I;
 * @dxdt in (Hz/s, Hz/s, pA/s).  @f_out, when not NULL, receives F_E, F_I. */
void sw_mf_rhs (const SwMfConfig *cfg, const double x[3], double stim_e_hz, double stim_i_hz,
                double dxdt[3], double f_out[2]);

/* Integrates from @state at time @t0_ms for @n_steps explicit Euler steps
 * of @dt_ms (0: 0.1 ms), rates clipped at >= 0, under @stim (NULL: none);
 * first-order, or second-order (spec §2.4) when @second_order.  @state is
 * advanced; @trace (may be NULL) receives the samples.  SW_ERR_BLOWUP when
 * the state stops being finite (the state is left at the last finite
 * step). */
SwStatus sw_mf_integrate (const SwMfConfig *cfg, bool second_order, const SwMfStimulus *stim,
                          double t0_ms, double dt_ms, int n_steps, SwMfState *state,
                          SwMfTrace *trace, SwError *err);

/* ------------------------------------------------------------------------ */
/* Fixed points and their stability                                          */

/* Classes of a configuration (spec §4).  UD means: the asynchronous state
 * is stable and its Jacobian has a complex-conjugate pair (fast or slow).
 * The spec words it "the eigenvalue with the largest real part belongs to
 * a complex pair"; read literally, every b = 0 state would be OD (the
 * decoupled adaptation mode -1/tau_w = -2/s is the slowest), against the
 * spec's own layout table and §7 item 6, which this rule reproduces. */
typedef enum
{
  SW_MF_CLASS_NONE,      /* no non-quiescent fixed point */
  SW_MF_CLASS_UD,        /* stable, with a complex-conjugate pair: damped oscillations */
  SW_MF_CLASS_OD,        /* stable, all eigenvalues real */
  SW_MF_CLASS_UNSTABLE,  /* non-quiescent fixed points exist, none is stable */
  SW_MF_N_CLASSES
} SwMfClass;

typedef enum
{
  SW_MF_INSTABILITY_NONE,
  SW_MF_INSTABILITY_SLOW_OSCILLATION,  /* the unstable pair is slow: Up-Down, slow waves */
  SW_MF_INSTABILITY_FAST_OSCILLATION,  /* the unstable pair is the E-I (fast) one */
  SW_MF_INSTABILITY_RUNAWAY,           /* a real eigenvalue > 0 */
} SwMfInstability;

/* A complex-conjugate pair lambda = -zeta |lambda| +- i 2 pi f_d. */
typedef struct
{
  double re, im;        /* 1/s, im > 0 */
  double zeta;          /* damping ratio -Re / |lambda| */
  double f_d_hz;        /* damped frequency |Im| / 2 pi */
  double decay_ms;      /* 1 / |Re| */
  /* The E-I loop ("fast"), or a slow (adaptation) pair: fast when the
   * pair's modulus exceeds that of the third, real eigenvalue.  (The spec's
   * proxy f_d > 5 Hz agrees away from zeta ~ 1, where f_d -> 0 even for the
   * E-I pair.) */
  bool fast;
} SwMfPair;

typedef struct
{
  double jac[3][3];     /* d rhs / d x, central differences (relative step 1e-6) */
  double eig_re[3], eig_im[3];   /* 1/s, by decreasing real part */
  SwMfPair pairs[1];    /* a 3x3 has at most one complex pair */
  int n_pairs;
  bool stable;          /* every Re lambda < 0 */
  SwMfClass cls;        /* UD, OD or UNSTABLE for this point */
  SwMfInstability instability;
  /* Order parameter for maps: the damping ratio of the least damped
   * oscillatory mode.  With a complex pair its zeta (< 1); with all
   * eigenvalues real, the generalised damping ratio -(l1 + l2) / (2 sqrt
   * (l1 l2)) >= 1 of the two fastest ones (the E-I block).  So zeta < 1
   * exactly when the class is UD.  NAN when unstable. */
  double zeta;
  double f_d_hz;        /* of the pair, 0 without one */
  /* T-free check of the fast block (spec §4.4): gains G = dF/dnu (E, I),
   * and whether (G_EE - G_II)^2 + 4 G_EI G_IE < 0 (underdamped). */
  double gain[2][2];
  double fast_disc;
  bool fast_block_ud;
} SwMfStability;

typedef struct
{
  double nu_e_hz, nu_i_hz, w_pa;
  bool quiescent;
  SwMfStability stab;
} SwMfFixedPoint;

#define SW_MF_MAX_ROOTS 8

typedef struct
{
  SwMfFixedPoint roots[SW_MF_MAX_ROOTS];   /* by increasing nu_E */
  int n_roots;
  bool truncated;          /* more roots than SW_MF_MAX_ROOTS */
  /* The asynchronous state: the lowest stable non-quiescent root, or -1. */
  int async_index;
  /* The root the class is about: the asynchronous state, else the lowest
   * non-quiescent root (unstable), else -1. */
  int report_index;
  SwMfClass cls;
  SwMfInstability instability;
} SwMfFixedPoints;

/* Finds all fixed points with nu_min <= nu_E <= nu_max: for a trial nu_E
 * the inhibitory rate solves nu_I = F_I (monotone; a secant iteration
 * warm-started along the grid, falling back to bracketing in [0, 1000]
 * Hz), W = (b nu_E tau_w + a (muV_E - E_L)) / (1 + a / muG_E), and the
 * roots of G(nu_E) = F_E - nu_E are bracketed on a logarithmic grid (32 per
 * decade) and refined to 1e-12 relative.  Roots closer together than a
 * grid step may be missed.  Never integrates in time (spec §8). */
SwStatus sw_mf_fixed_points (const SwMfConfig *cfg, SwMfFixedPoints *out, SwError *err);

/* Jacobian of sw_mf_rhs at @x by central differences, relative step 1e-6
 * (absolute 1e-6 for components below 1). */
void sw_mf_jacobian (const SwMfConfig *cfg, const double x[3], double jac[3][3]);

/* Eigenvalues, pairs, class and order parameter at @x (assumed a fixed
 * point). */
void sw_mf_stability (const SwMfConfig *cfg, const double x[3], SwMfStability *out);

/* Newton's method on the 3-D system from @guess (continuation), steps
 * damped to keep the rates >= 0.  On success @x is a fixed point (last
 * step < 1e-10 relative).  SW_ERR_INVALID when it does not converge in 30
 * iterations. */
SwStatus sw_mf_newton (const SwMfConfig *cfg, const double guess[3], double x[3], SwError *err);

/* The classification of one configuration, as the phase map stores it. */
typedef struct
{
  SwMfClass cls;
  SwMfInstability instability;
  double nu_e_hz, nu_i_hz, w_pa;    /* the reported root; NAN for NONE */
  double zeta, f_d_hz;              /* see SwMfStability; NAN for NONE / UNSTABLE */
} SwMfPoint;

/* The full search reduced to an SwMfPoint.  Quiescent roots do not enter
 * the class, so this scan starts at max(nu_min, nu_quiescent); it is the
 * search the phase map falls back on. */
SwStatus sw_mf_classify (const SwMfConfig *cfg, SwMfPoint *out, SwError *err);

/* The fast path for maps and sliders (continuation): when @prev (may be
 * NULL) is a UD or OD point of a nearby configuration, Newton starts from
 * its root, and the result is accepted when it is a stable, non-quiescent
 * root of the same class; otherwise, and whenever Newton fails, the full
 * search (sw_mf_classify) decides.  @used_newton (may be NULL) says which. */
SwStatus sw_mf_classify_near (const SwMfConfig *cfg, const SwMfPoint *prev, SwMfPoint *out,
                              bool *used_newton, SwError *err);

const char *sw_mf_class_name (SwMfClass cls);           /* "none", "UD", "OD", "unstable" */
const char *sw_mf_instability_name (SwMfInstability k); /* "", "slow oscillation", ... */

/* ------------------------------------------------------------------------ */
/* Linear response and finite-size variability (spec §5)                     */

/* B = d rhs / d stimulus at @x: the change of the right-hand side per Hz
 * of extra drive per external source onto E (and I when @onto_i), in 1/s. */
void sw_mf_input_vector (const SwMfConfig *cfg, const double x[3], bool onto_i, double b[3]);

/* Impulse response h(t) = e1^T exp(J t) B (1/s) of nu_E at @n times
 * @t_ms >= 0; the response of nu_E to a small stimulus s(t) is the
 * convolution of h with s. */
void sw_mf_impulse_response (const double jac[3][3], const double b[3], const double *t_ms,
                             int n, double *h);

/* Transfer function H(i 2 pi f) = e1^T (i 2 pi f - J)^-1 B (Hz of nu_E per
 * Hz of stimulus); returns |H| and, when not NULL, its parts.  NAN when the
 * system is singular at that frequency. */
double sw_mf_transfer (const double jac[3][3], const double b[3], double f_hz, double *re,
                       double *im);

/* Q = diag(2 nu_E / (N_E T^2), 2 nu_I / (N_I T^2), 0) at @x, in Hz^2/s. */
void sw_mf_noise_matrix (const SwMfConfig *cfg, const double x[3], double q[3][3]);

/* Solves J Sigma + Sigma J^T + Q = 0 for the symmetric Sigma (a 6x6 linear
 * system).  SW_ERR_INVALID when it is singular (J has eigenvalues with
 * lambda_i + lambda_j = 0). */
SwStatus sw_mf_lyapunov (const double jac[3][3], const double q[3][3], double sigma[3][3],
                         SwError *err);

/* ------------------------------------------------------------------------ */
/* Phase maps                                                                */

/* A polyline in grid coordinates: x = column index, y = row index, both
 * fractional (cell (i, j) is the point (i, j)); map them onto the axes
 * of the sweep by linear interpolation.  A closed one repeats its first
 * vertex at the end. */
typedef struct
{
  double *x, *y;
  int n;
  bool closed;
} SwMfPolyline;

typedef struct
{
  int nx, ny;
  /* Per cell, index j * nx + i. */
  SwMfClass *cls;
  SwMfInstability *instability;
  double *zeta, *f_d_hz, *nu_e_hz, *nu_i_hz, *w_pa;
  /* The UD/OD boundary: the level zeta = 1 by marching squares (squares
   * touching a NONE or UNSTABLE cell are left out). */
  SwMfPolyline *boundary;
  int n_boundary;
  /* How the cells were found. */
  int n_newton, n_full_search;
  double seconds;           /* wall-clock time of the computation */
} SwMfPhaseMap;

/* Classifies @nx x @ny configurations (@cfgs row-major, y outer: cell
 * (i, j) is cfgs[j * nx + i]) with @threads threads (0: all processors).
 * Rows are handed out dynamically; along a row each cell starts Newton
 * from the previous cell's fixed point and falls back to the full search
 * when Newton fails, when the point is not stable, or when the class
 * differs from the previous cell's; each row starts with a full search.
 * Results do not depend on the number of threads.  Free with
 * sw_mf_phase_map_free(). */
SwStatus sw_mf_phase_map (const SwMfConfig *cfgs, int nx, int ny, int threads,
                          SwMfPhaseMap **out, SwError *err);
void sw_mf_phase_map_free (SwMfPhaseMap *map);

/* Marching squares on a field (row-major, y outer) at @level; NAN values
 * cut the contour.  Returns newly allocated polylines (free with
 * sw_mf_polylines_free). */
SwStatus sw_mf_contour (const double *field, int nx, int ny, double level,
                        SwMfPolyline **lines, int *n_lines, SwError *err);
void sw_mf_polylines_free (SwMfPolyline *lines, int n_lines);
