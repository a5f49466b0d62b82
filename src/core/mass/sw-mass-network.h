/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Building the connectivity of a neural-mass network (neural-masses spec
 * §2): normalising weights, delays from lengths and a conduction speed, the
 * built-in synthetic network, and hop distances for the perturbation
 * protocol.  Matrices are n x n, row-major, W[i * n + j] from j onto i.
 *
 * Thread safety: pure functions of their arguments.
 */
#pragma once

#include <stdint.h>

#include "sw-status.h"

typedef enum
{
  SW_MASS_NORM_LAMBDA_MAX,   /* W / lambda_max(W) (default) */
  SW_MASS_NORM_MAX,          /* W / max(W) */
  SW_MASS_NORM_ROW_SUM,      /* each row divided by its sum (rows of zeros stay) */
  SW_MASS_NORM_NONE,
  SW_MASS_N_NORMS
} SwMassNorm;

/* "lambda_max", "max", "row_sum", "none". */
const char *sw_mass_norm_name (SwMassNorm norm);
/* The normalisation called @name; -1 when unknown. */
int sw_mass_norm_from_name (const char *name);

/* Spectral radius of a non-negative matrix by power iteration (on W + I,
 * which has the same Perron vector and converges for periodic graphs too);
 * 0 for a zero matrix. */
double sw_mass_lambda_max (const double *w, int n);

/* Writes the normalised @w to @out (may be @w).  SW_ERR_INVALID when the
 * matrix is zero and the normalisation divides by it. */
SwStatus sw_mass_normalise (const double *w, int n, SwMassNorm norm, double *out, SwError *err);

/* Euclidean distances (mm) between the n centroids @xyz (n x 3, mm). */
void sw_mass_centroid_distances (const double *xyz, int n, double *dist_mm);

/* Delays in whole steps, round (L_ij / v / dt), from lengths @len_mm and a
 * speed @speed_m_s (1 m/s = 1 mm/ms); only where w_ij > 0 (elsewhere 0).
 * SW_ERR_INVALID when a delay exceeds SW_MASS_MAX_DELAY_S (sw-mass-sim.h)
 * or a length is negative or not finite; the message names the pair
 * (node indices) and the delay.  *@i_bad and *@j_bad (may be NULL) receive
 * the pair. */
SwStatus sw_mass_delay_steps (const double *w, const double *len_mm, int n, double speed_m_s,
                              double dt_s, int *steps, int *i_bad, int *j_bad, SwError *err);

/* The built-in synthetic network: @n nodes (>= 4) on a ring, each joined to
 * its two nearest neighbours on either side (weight 1, and 0.5 for the
 * second neighbours), plus n / 4 symmetric shortcuts chosen from @seed
 * (weight 0.5): a small world.  Centroids (mm) lie on a circle of radius
 * 60 mm in the z = 0 plane, so delays follow the layout. */
SwStatus sw_mass_synthetic (int n, uint64_t seed, double *w, double *xyz_mm, SwError *err);

/* Hop distance from @source along connections with W[i * n + j] > 0 (j to
 * i): hops[source] = 0, unreachable nodes -1.  Returns the largest hop. */
int sw_mass_hops (const double *w, int n, int source, int *hops);
