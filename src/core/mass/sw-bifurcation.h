/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One-parameter bifurcation diagrams: continuation of fixed points with
 * their stability, Hopf and fold points, and the extent of limit cycles by
 * simulation (neural-masses spec §5 "one-parameter sweep").
 *
 * Fixed points are followed by pseudo-arclength continuation in (x, p), so
 * branches that fold back (the S-shaped curves of Jansen-Rit and MPR) are
 * followed through their folds.  The parameter enters the field through a
 * pointer into the field's data that the continuation writes.  Along the
 * branch, a change in the number of eigenvalues with positive real part
 * marks a bifurcation between two points: a complex pair crossing is a
 * Hopf point, a real eigenvalue crossing a fold; each is located by
 * bisection along the branch (to 1e-10 of the parameter range).
 *
 * Thread safety: a call modifies *@param of its own field only.
 */
#pragma once

#include <stdbool.h>

#include "sw-mass-sim.h"
#include "sw-phaseplane.h"

typedef struct
{
  double p;
  double x[SW_FIELD_MAX];
  double eig_re[SW_FIELD_MAX], eig_im[SW_FIELD_MAX];   /* decreasing real part */
  bool stable;              /* every real part < 0 */
} SwBranchPoint;

typedef enum
{
  SW_BIF_HOPF,
  SW_BIF_FOLD,
} SwBifKind;

typedef struct
{
  SwBifKind kind;
  double p;
  double x[SW_FIELD_MAX];
  double freq;              /* Hopf: imaginary part / 2 pi (Hz when time is in s); fold: 0 */
  int after;                /* between branch points after and after + 1 */
} SwBifPoint;

typedef struct
{
  SwBranchPoint *points;
  int n_points;
  SwBifPoint *special;
  int n_special;
} SwBranch;

void sw_branch_free (SwBranch *branch);

/* Follows the fixed point near @x0 at parameter value @p0 (first refined by
 * Newton) through [p_min, p_max] in both directions, with steps of at most
 * @ds_max (in the norm of (x, (p - p_min) / (p_max - p_min))) and at most
 * @max_points points.  The branch is ordered along the curve.  *@param is
 * left at @p0.  SW_ERR_INVALID when the start does not converge. */
SwStatus sw_continue_fixed_points (const SwField *field, double *param, double p_min, double p_max,
                                   double p0, const double *x0, double ds_max, int max_points,
                                   SwBranch *out, SwError *err);

/* Statistics of a single node's steady state, from a simulation: after
 * @transient_s, the observable over @record_s. */
typedef struct
{
  double min, max, mean, sd;
  double freq_hz;           /* from upward crossings of the mean (NAN when fewer than 2) */
  bool cycle;               /* peak-to-peak above 1e-4 (1 + |mean|), and settled */
  bool settled;             /* sw_mass_cycle_stats(): the amplitude stopped changing */
} SwCycleStats;

/* Simulates one node (@params, deterministic, RK4 unless a white-noise
 * parameter is on) from @initial (NULL: defaults): @transient_s, then
 * windows of @record_s until the peak-to-peak amplitude of two successive
 * windows agrees within 2 % (at most 8 windows), so that slowly decaying
 * transients near a Hopf point are not taken for cycles: when the amplitude
 * still changes after the last window, settled and cycle are false.  The
 * statistics are those of the last window.  Errors as sw_mass_sim_run(). */
SwStatus sw_mass_cycle_stats (const SwMassType *type, const double *params, const double *initial,
                              double dt_s, double transient_s, double record_s, uint64_t seed,
                              SwCycleStats *out, SwError *err);

/* Statistics of a recorded signal (@n samples at @dt_s). */
void sw_signal_stats (const double *x, long n, double dt_s, SwCycleStats *out);
