/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Connectivity of neural-mass networks: normalisation, delays, the
 * synthetic small-world network, hop distances.
 */
#include "config.h"

#include "sw-mass-network.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sw-mass-sim.h"
#include "sw-rng.h"

static const char *const norm_names[] = { "lambda_max", "max", "row_sum", "none" };

const char *
sw_mass_norm_name (SwMassNorm norm)
{
  return norm >= 0 && norm < SW_MASS_N_NORMS ? norm_names[norm] : "unknown";
}

int
sw_mass_norm_from_name (const char *name)
{
  for (int k = 0; k < SW_MASS_N_NORMS; k++)
    if (name != NULL && strcmp (name, norm_names[k]) == 0)
      return k;
  return -1;
}

double
sw_mass_lambda_max (const double *w, int n)
{
  if (n <= 0)
    return 0.0;
  double *v = malloc ((size_t) n * sizeof (double));
  double *u = malloc ((size_t) n * sizeof (double));
  if (v == NULL || u == NULL)
    {
      free (v);
      free (u);
      return NAN;
    }
  for (int i = 0; i < n; i++)
    v[i] = 1.0 / sqrt ((double) n);
  double lambda = 0.0, prev = -1.0;
  for (int it = 0; it < 100000; it++)
    {
      double norm = 0.0;
      for (int i = 0; i < n; i++)
        {
          double s = v[i];
          for (int j = 0; j < n; j++)
            s += w[(size_t) i * n + j] * v[j];
          u[i] = s;
          norm += s * s;
        }
      norm = sqrt (norm);
      if (!(norm > 0.0))
        break;
      for (int i = 0; i < n; i++)
        v[i] = u[i] / norm;
      lambda = norm - 1.0;
      if (fabs (lambda - prev) <= 1e-14 * fabs (lambda) && it > 10)
        break;
      prev = lambda;
    }
  /* The Rayleigh quotient of the converged vector is more accurate. */
  double num = 0.0, den = 0.0;
  for (int i = 0; i < n; i++)
    {
      double s = 0.0;
      for (int j = 0; j < n; j++)
        s += w[(size_t) i * n + j] * v[j];
      num += v[i] * s;
      den += v[i] * v[i];
    }
  free (v);
  free (u);
  if (den > 0.0 && num > 0.0)
    {
      double rq = num / den;
      /* For a non-symmetric matrix the quotient is not the eigenvalue. */
      if (fabs (rq - lambda) < 1e-6 * fabs (lambda))
        return rq;
    }
  return lambda > 0.0 ? lambda : 0.0;
}

SwStatus
sw_mass_normalise (const double *w, int n, SwMassNorm norm, double *out, SwError *err)
{
  size_t nn = (size_t) n * n;
  if (norm == SW_MASS_NORM_NONE)
    {
      if (out != w)
        memcpy (out, w, nn * sizeof (double));
      return SW_OK;
    }
  if (norm == SW_MASS_NORM_ROW_SUM)
    {
      for (int i = 0; i < n; i++)
        {
          double s = 0.0;
          for (int j = 0; j < n; j++)
            s += w[(size_t) i * n + j];
          for (int j = 0; j < n; j++)
            out[(size_t) i * n + j] = s > 0.0 ? w[(size_t) i * n + j] / s : 0.0;
        }
      return SW_OK;
    }
  double scale = 0.0;
  if (norm == SW_MASS_NORM_MAX)
    {
      for (size_t q = 0; q < nn; q++)
        if (w[q] > scale)
          scale = w[q];
    }
  else
    scale = sw_mass_lambda_max (w, n);
  if (!(scale > 0.0) || !isfinite (scale))
    return sw_error_set (err, SW_ERR_INVALID,
                         "the weights cannot be normalised by %s: the matrix has no positive entry",
                         sw_mass_norm_name (norm));
  for (size_t q = 0; q < nn; q++)
    out[q] = w[q] / scale;
  return SW_OK;
}

void
sw_mass_centroid_distances (const double *xyz, int n, double *dist_mm)
{
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      {
        double dx = xyz[3 * i] - xyz[3 * j];
        double dy = xyz[3 * i + 1] - xyz[3 * j + 1];
        double dz = xyz[3 * i + 2] - xyz[3 * j + 2];
        dist_mm[(size_t) i * n + j] = sqrt (dx * dx + dy * dy + dz * dz);
      }
}

SwStatus
sw_mass_delay_steps (const double *w, const double *len_mm, int n, double speed_m_s,
                     double dt_s, int *steps, int *i_bad, int *j_bad, SwError *err)
{
  if (!(speed_m_s > 0.0) || !isfinite (speed_m_s))
    return sw_error_set (err, SW_ERR_INVALID, "the conduction speed must be positive (got %g m/s)",
                         speed_m_s);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      {
        size_t q = (size_t) i * n + j;
        steps[q] = 0;
        if (!(w[q] > 0.0))
          continue;
        double len = len_mm[q];
        /* mm / (m/s) = ms. */
        double d_s = len / speed_m_s * 1e-3;
        if (!isfinite (len) || len < 0.0 || d_s > SW_MASS_MAX_DELAY_S * (1.0 + 1e-9))
          {
            if (i_bad != NULL)
              *i_bad = i;
            if (j_bad != NULL)
              *j_bad = j;
            if (!isfinite (len) || len < 0.0)
              return sw_error_set (err, SW_ERR_INVALID,
                                   "length from node %d onto node %d is %g mm; lengths must be finite and >= 0",
                                   j, i, len);
            return sw_error_set (err, SW_ERR_INVALID,
                                 "delay from node %d onto node %d is %g s (%g mm at %g m/s), longer than the "
                                 "%g s of history kept",
                                 j, i, d_s, len, speed_m_s, SW_MASS_MAX_DELAY_S);
          }
        steps[q] = (int) lround (d_s / dt_s);
      }
  return SW_OK;
}

SwStatus
sw_mass_synthetic (int n, uint64_t seed, double *w, double *xyz_mm, SwError *err)
{
  if (n < 4)
    return sw_error_set (err, SW_ERR_INVALID, "the synthetic network needs at least 4 nodes (got %d)", n);
  memset (w, 0, (size_t) n * n * sizeof (double));
  for (int i = 0; i < n; i++)
    {
      int a = (i + 1) % n, b = (i + 2) % n;
      w[(size_t) i * n + a] = w[(size_t) a * n + i] = 1.0;
      if (b != i)
        w[(size_t) i * n + b] = w[(size_t) b * n + i] = 0.5;
    }
  int shortcuts = n / 4;
  for (int k = 0, tries = 0; k < shortcuts && tries < 1000 * n; tries++)
    {
      SwRand4 r = sw_philox (seed, 0x72000, 0, (uint64_t) tries);
      int i = (int) (r.v[0] % (uint32_t) n), j = (int) (r.v[1] % (uint32_t) n);
      if (i == j || w[(size_t) i * n + j] != 0.0)
        continue;
      w[(size_t) i * n + j] = w[(size_t) j * n + i] = 0.5;
      k++;
    }
  if (xyz_mm != NULL)
    for (int i = 0; i < n; i++)
      {
        double phi = 2.0 * M_PI * i / n;
        xyz_mm[3 * i] = 60.0 * cos (phi);
        xyz_mm[3 * i + 1] = 60.0 * sin (phi);
        xyz_mm[3 * i + 2] = 0.0;
      }
  return SW_OK;
}

int
sw_mass_hops (const double *w, int n, int source, int *hops)
{
  for (int i = 0; i < n; i++)
    hops[i] = -1;
  if (source < 0 || source >= n)
    return -1;
  int *queue = malloc ((size_t) n * sizeof (int));
  if (queue == NULL)
    return -1;
  int head = 0, tail = 0, max_hop = 0;
  hops[source] = 0;
  queue[tail++] = source;
  while (head < tail)
    {
      int j = queue[head++];
      for (int i = 0; i < n; i++)
        if (hops[i] < 0 && w[(size_t) i * n + j] > 0.0)
          {
            hops[i] = hops[j] + 1;
            if (hops[i] > max_hop)
              max_hop = hops[i];
            queue[tail++] = i;
          }
    }
  free (queue);
  return max_hop;
}
