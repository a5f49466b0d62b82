/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small dense linear algebra (see sw-linalg.h).
 */
#include "sw-linalg.h"

#include <complex.h>
#include <math.h>
#include <string.h>

int
sw_linalg_solve (int n, double *a, double *b)
{
  if (n < 1 || n > SW_LINALG_MAX_N)
    return -1;
  double scale = 0.0;
  for (int i = 0; i < n * n; i++)
    scale = fmax (scale, fabs (a[i]));
  if (!(scale > 0.0) || !isfinite (scale))
    return -1;

  for (int k = 0; k < n; k++)
    {
      int piv = k;
      for (int i = k + 1; i < n; i++)
        if (fabs (a[i * n + k]) > fabs (a[piv * n + k]))
          piv = i;
      /* A pivot at rounding level relative to the matrix means singular. */
      if (!(fabs (a[piv * n + k]) > 1e-14 * scale))
        return -1;
      if (piv != k)
        {
          for (int j = 0; j < n; j++)
            {
              double t = a[k * n + j];
              a[k * n + j] = a[piv * n + j];
              a[piv * n + j] = t;
            }
          double t = b[k];
          b[k] = b[piv];
          b[piv] = t;
        }
      for (int i = k + 1; i < n; i++)
        {
          double f = a[i * n + k] / a[k * n + k];
          if (f == 0.0)
            continue;
          for (int j = k + 1; j < n; j++)
            a[i * n + j] -= f * a[k * n + j];
          b[i] -= f * b[k];
        }
    }
  for (int i = n - 1; i >= 0; i--)
    {
      double s = b[i];
      for (int j = i + 1; j < n; j++)
        s -= a[i * n + j] * b[j];
      b[i] = s / a[i * n + i];
    }
  return 0;
}

/* p(z) = z^3 + c2 z^2 + c1 z + c0 and p'(z), by Horner. */
static inline double complex
cubic (const double c[3], double complex z, double complex *dp)
{
  double complex p = z + c[2];
  double complex d = 1.0;
  d = d * z + p;
  p = p * z + c[1];
  d = d * z + p;
  p = p * z + c[0];
  *dp = d;
  return p;
}

static double
polish (const double c[3], double complex *z)
{
  /* A few Newton steps on the cubic itself remove the error that the
   * deflation may have introduced; stop as soon as a step does not shrink
   * the residual (multiple roots converge only linearly). */
  double complex dp;
  double complex p = cubic (c, *z, &dp);
  double res = cabs (p);
  for (int it = 0; it < 8 && res > 0.0; it++)
    {
      if (cabs (dp) == 0.0)
        break;
      double complex zn = *z - p / dp;
      double complex dpn;
      double complex pn = cubic (c, zn, &dpn);
      if (!(cabs (pn) < res))
        break;
      *z = zn;
      p = pn;
      dp = dpn;
      res = cabs (pn);
    }
  return res;
}

void
sw_linalg_eig3 (const double *a, double re[3], double im[3])
{
  double tr = a[0] + a[4] + a[8];
  double minors = (a[0] * a[4] - a[1] * a[3]) + (a[0] * a[8] - a[2] * a[6])
                  + (a[4] * a[8] - a[5] * a[7]);
  double det = a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6])
               + a[2] * (a[3] * a[7] - a[4] * a[6]);
  const double c[3] = { -det, minors, -tr };   /* c0, c1, c2 */

  /* Fujiwara's bound on the moduli of the roots; p(-R) <= 0 <= p(R). */
  double bound = 2.0 * fmax (fabs (c[2]), fmax (sqrt (fabs (c[1])), cbrt (fabs (c[0]) / 2.0)));
  double lo = -bound, hi = bound;
  if (!(bound > 0.0))
    {
      re[0] = re[1] = re[2] = 0.0;
      im[0] = im[1] = im[2] = 0.0;
      if (!isfinite (bound))
        re[0] = re[1] = re[2] = NAN;
      return;
    }

  /* Newton with a bisection safeguard on the bracket [lo, hi]. */
  double r = c[0] > 0.0 ? lo * 0.5 : hi * 0.5;
  for (int it = 0; it < 200; it++)
    {
      double p = ((r + c[2]) * r + c[1]) * r + c[0];
      double dp = (3.0 * r + 2.0 * c[2]) * r + c[1];
      if (p == 0.0)
        break;
      if (p < 0.0)
        lo = r;
      else
        hi = r;
      double rn = dp != 0.0 ? r - p / dp : 0.5 * (lo + hi);
      if (!(rn > lo && rn < hi))
        rn = 0.5 * (lo + hi);
      if (fabs (rn - r) <= 1e-15 * fabs (r) || hi - lo <= 1e-15 * fmax (fabs (lo), fabs (hi)))
        {
          r = rn;
          break;
        }
      r = rn;
    }

  /* Deflate: p(z) = (z - r)(z^2 + d1 z + d0).  Backward deflation (d0 from
   * c0 / r) is the stable one when r is the smallest root in modulus; the
   * forward one otherwise.  Polishing below corrects either. */
  double d1 = c[2] + r;
  double d0_fwd = c[1] + r * d1;
  double d0 = d0_fwd;
  if (r != 0.0 && r * r * fabs (r) < fabs (c[0]))
    d0 = -c[0] / r;

  double complex z[3];
  z[0] = r;
  double disc = d1 * d1 - 4.0 * d0;
  if (disc >= 0.0)
    {
      double q = -0.5 * (d1 + copysign (sqrt (disc), d1));
      z[1] = q;
      z[2] = q != 0.0 ? d0 / q : 0.0;
    }
  else
    {
      z[1] = CMPLX (-0.5 * d1, 0.5 * sqrt (-disc));
      z[2] = conj (z[1]);
    }

  polish (c, &z[0]);
  z[0] = creal (z[0]);
  if (cimag (z[1]) != 0.0)
    {
      polish (c, &z[1]);
      if (cimag (z[1]) < 0.0)
        z[1] = conj (z[1]);
      z[2] = conj (z[1]);
    }
  else
    {
      polish (c, &z[1]);
      polish (c, &z[2]);
      z[1] = creal (z[1]);
      z[2] = creal (z[2]);
    }

  /* Sort by decreasing real part, keeping a pair together (+im first). */
  for (int i = 0; i < 3; i++)
    for (int j = i + 1; j < 3; j++)
      {
        double ri = creal (z[i]), rj = creal (z[j]);
        if (rj > ri || (rj == ri && cimag (z[j]) > cimag (z[i])))
          {
            double complex t = z[i];
            z[i] = z[j];
            z[j] = t;
          }
      }
  for (int i = 0; i < 3; i++)
    {
      re[i] = creal (z[i]);
      im[i] = cimag (z[i]);
    }
}

static void
matmul (int n, const double *a, const double *b, double *out)
{
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      {
        double s = 0.0;
        for (int k = 0; k < n; k++)
          s += a[i * n + k] * b[k * n + j];
        out[i * n + j] = s;
      }
}

void
sw_linalg_expm (int n, const double *a, double *out)
{
  double norm = 0.0;
  for (int j = 0; j < n; j++)
    {
      double col = 0.0;
      for (int i = 0; i < n; i++)
        col += fabs (a[i * n + j]);
      norm = fmax (norm, col);
    }
  /* Scale to a 1-norm at most 1/2; 18 Taylor terms are then accurate to
   * about 1e-21, far below rounding. */
  int s = 0;
  if (norm > 0.5)
    s = (int) ceil (log2 (norm / 0.5));
  if (s > 1000)
    s = 1000;
  double scale = ldexp (1.0, -s);

  double x[SW_LINALG_MAX_N * SW_LINALG_MAX_N], term[SW_LINALG_MAX_N * SW_LINALG_MAX_N];
  double tmp[SW_LINALG_MAX_N * SW_LINALG_MAX_N];
  for (int i = 0; i < n * n; i++)
    x[i] = a[i] * scale;
  memset (out, 0, sizeof (double) * (size_t) (n * n));
  memset (term, 0, sizeof (double) * (size_t) (n * n));
  for (int i = 0; i < n; i++)
    out[i * n + i] = term[i * n + i] = 1.0;
  for (int k = 1; k <= 18; k++)
    {
      matmul (n, term, x, tmp);
      for (int i = 0; i < n * n; i++)
        {
          term[i] = tmp[i] / k;
          out[i] += term[i];
        }
    }
  for (int k = 0; k < s; k++)
    {
      matmul (n, out, out, tmp);
      memcpy (out, tmp, sizeof (double) * (size_t) (n * n));
    }
}
