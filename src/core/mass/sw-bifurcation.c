/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pseudo-arclength continuation of fixed points, bifurcation detection,
 * and limit-cycle statistics by simulation.
 */
#include "config.h"

#include "sw-bifurcation.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sw-linalg.h"

void
sw_branch_free (SwBranch *branch)
{
  if (branch == NULL)
    return;
  free (branch->points);
  free (branch->special);
  branch->points = NULL;
  branch->special = NULL;
  branch->n_points = branch->n_special = 0;
}

typedef struct
{
  const SwField *field;
  double *param;
  double p_min, scale;      /* p = p_min + scale * s */
  int n;
} Cont;

/* F(x) at p(s); z = (x, s). */
static void
eval_f (const Cont *c, const double *z, double *f)
{
  *c->param = c->p_min + c->scale * z[c->n];
  c->field->f (c->field->data, z, f);
}

/* The (n + 1) x (n + 1) extended Jacobian [F_x F_s; t^T]. */
static void
ext_jacobian (const Cont *c, const double *z, const double *t, double *a)
{
  int n = c->n, m = n + 1;
  double zp[SW_FIELD_MAX + 1], fp[SW_FIELD_MAX], fm[SW_FIELD_MAX];
  for (int k = 0; k < m; k++)
    {
      memcpy (zp, z, m * sizeof (double));
      double h = fmax (1e-7 * fabs (z[k]), 1e-8);
      zp[k] = z[k] + h;
      eval_f (c, zp, fp);
      zp[k] = z[k] - h;
      eval_f (c, zp, fm);
      for (int i = 0; i < n; i++)
        a[i * m + k] = (fp[i] - fm[i]) / (2.0 * h);
    }
  for (int k = 0; k < m; k++)
    a[n * m + k] = t[k];
}

static double
vnorm (const double *v, int m)
{
  double s = 0.0;
  for (int i = 0; i < m; i++)
    s += v[i] * v[i];
  return sqrt (s);
}

/* Tangent at z with the orientation of @prev (NULL: ds/dt > 0). */
static bool
tangent (const Cont *c, const double *z, const double *prev, double *t)
{
  int m = c->n + 1;
  double a[(SW_FIELD_MAX + 1) * (SW_FIELD_MAX + 1)], b[SW_FIELD_MAX + 1];
  double guess[SW_FIELD_MAX + 1];
  if (prev != NULL)
    memcpy (guess, prev, m * sizeof (double));
  else
    {
      memset (guess, 0, sizeof guess);
      guess[c->n] = 1.0;
    }
  ext_jacobian (c, z, guess, a);
  memset (b, 0, sizeof b);
  b[c->n] = 1.0;
  if (sw_linalg_solve (m, a, b) != 0)
    return false;
  double nb = vnorm (b, m);
  if (!(nb > 0.0) || !isfinite (nb))
    return false;
  for (int i = 0; i < m; i++)
    t[i] = b[i] / nb;
  return true;
}

/* Newton on [F(z); t . (z - zp)] = 0 from zp. */
static bool
correct (const Cont *c, const double *zp, const double *t, double *z, int *iters)
{
  int n = c->n, m = n + 1;
  double a[(SW_FIELD_MAX + 1) * (SW_FIELD_MAX + 1)], r[SW_FIELD_MAX + 1];
  memcpy (z, zp, m * sizeof (double));
  for (int it = 0; it < 12; it++)
    {
      eval_f (c, z, r);
      double dot = 0.0;
      for (int i = 0; i < m; i++)
        dot += t[i] * (z[i] - zp[i]);
      r[n] = dot;
      ext_jacobian (c, z, t, a);
      for (int i = 0; i < m; i++)
        r[i] = -r[i];
      if (sw_linalg_solve (m, a, r) != 0)
        return false;
      for (int i = 0; i < m; i++)
        z[i] += r[i];
      if (!isfinite (vnorm (z, m)))
        return false;
      if (vnorm (r, m) <= 1e-11 * (vnorm (z, m) + 1e-9))
        {
          *iters = it + 1;
          return true;
        }
    }
  return false;
}

static void
fill_point (const Cont *c, const double *z, SwBranchPoint *bp)
{
  int n = c->n;
  double jac[SW_FIELD_MAX * SW_FIELD_MAX];
  *c->param = c->p_min + c->scale * z[n];
  bp->p = *c->param;
  memset (bp->x, 0, sizeof bp->x);
  memcpy (bp->x, z, n * sizeof (double));
  sw_field_jacobian (c->field, z, jac);
  sw_eigenvalues (n, jac, bp->eig_re, bp->eig_im);
  bp->stable = bp->eig_re[0] < 0.0;
}

/* Numbers of eigenvalues with positive real part: real ones and complex
 * ones (counted singly). */
static void
count_unstable (const SwBranchPoint *bp, int n, int *n_real, int *n_complex)
{
  *n_real = *n_complex = 0;
  for (int i = 0; i < n; i++)
    if (bp->eig_re[i] > 0.0)
      {
        if (bp->eig_im[i] != 0.0)
          (*n_complex)++;
        else
          (*n_real)++;
      }
}

/* The test function of a bifurcation at z: for a Hopf point the real part
 * of the complex eigenvalue nearest the imaginary axis, for a fold the
 * determinant of F_x. */
static double
test_fn (const Cont *c, const double *z, SwBifKind kind, double *freq)
{
  int n = c->n;
  double jac[SW_FIELD_MAX * SW_FIELD_MAX], re[SW_FIELD_MAX], im[SW_FIELD_MAX];
  *c->param = c->p_min + c->scale * z[n];
  sw_field_jacobian (c->field, z, jac);
  if (kind == SW_BIF_FOLD)
    {
      /* The determinant from the eigenvalues' product keeps the sign. */
      sw_eigenvalues (n, jac, re, im);
      double det = 1.0;
      for (int i = 0; i < n; i++)
        if (im[i] == 0.0)
          det *= re[i];
      *freq = 0.0;
      return det;
    }
  sw_eigenvalues (n, jac, re, im);
  double best = NAN, best_abs = INFINITY;
  *freq = 0.0;
  for (int i = 0; i < n; i++)
    if (im[i] > 0.0 && fabs (re[i]) < best_abs)
      {
        best_abs = fabs (re[i]);
        best = re[i];
        *freq = im[i] / (2.0 * M_PI);
      }
  return best;
}

/* Bisection between branch points za and zb on the
 * curve: points are predicted on the chord and corrected perpendicular to
 * it. */
static void
locate (const Cont *c, const double *za, const double *zb, SwBifKind kind, SwBifPoint *out)
{
  int m = c->n + 1;
  double chord[SW_FIELD_MAX + 1], z[SW_FIELD_MAX + 1], zp[SW_FIELD_MAX + 1];
  for (int i = 0; i < m; i++)
    chord[i] = zb[i] - za[i];
  double len = vnorm (chord, m);
  for (int i = 0; i < m; i++)
    chord[i] /= len;
  double freq;
  double fa = test_fn (c, za, kind, &freq);
  double lo = 0.0, hi = 1.0;
  double best[SW_FIELD_MAX + 1];
  memcpy (best, za, m * sizeof (double));
  for (int it = 0; it < 60 && (hi - lo) * len > 1e-11; it++)
    {
      double th = 0.5 * (lo + hi);
      for (int i = 0; i < m; i++)
        zp[i] = za[i] + th * (zb[i] - za[i]);
      int iters;
      if (!correct (c, zp, chord, z, &iters))
        memcpy (z, zp, m * sizeof (double));
      double fm = test_fn (c, z, kind, &freq);
      memcpy (best, z, m * sizeof (double));
      if (!isfinite (fm))
        break;
      if ((fm > 0.0) == (fa > 0.0))
        {
          lo = th;
          fa = fm;
        }
      else
        hi = th;
    }
  out->kind = kind;
  out->p = c->p_min + c->scale * best[c->n];
  memset (out->x, 0, sizeof out->x);
  memcpy (out->x, best, c->n * sizeof (double));
  test_fn (c, best, kind, &freq);
  out->freq = kind == SW_BIF_HOPF ? freq : 0.0;
}

/* Follows the branch from z0 in direction @sign (+1: increasing s first). */
static int
follow (const Cont *c, const double *z0, double sign, double ds_max, int max_points, double *zs)
{
  int m = c->n + 1;
  double t[SW_FIELD_MAX + 1], tn[SW_FIELD_MAX + 1], zp[SW_FIELD_MAX + 1], z[SW_FIELD_MAX + 1];
  memcpy (zs, z0, m * sizeof (double));
  int count = 1;
  if (!tangent (c, z0, NULL, t))
    return count;
  for (int i = 0; i < m; i++)
    t[i] *= sign;
  double ds = ds_max * 0.1;
  const double *cur = zs;
  while (count < max_points)
    {
      for (int i = 0; i < m; i++)
        zp[i] = cur[i] + ds * t[i];
      int iters = 0;
      if (!correct (c, zp, t, z, &iters))
        {
          ds *= 0.5;
          if (ds < ds_max * 1e-7)
            break;
          continue;
        }
      /* Reject a step that wandered off (turned through a large angle). */
      double dz[SW_FIELD_MAX + 1];
      for (int i = 0; i < m; i++)
        dz[i] = z[i] - cur[i];
      double dn = vnorm (dz, m);
      double cosang = 0.0;
      for (int i = 0; i < m; i++)
        cosang += dz[i] * t[i];
      cosang /= dn > 0.0 ? dn : 1.0;
      if (dn > 2.0 * ds || cosang < 0.9)
        {
          ds *= 0.5;
          if (ds < ds_max * 1e-7)
            break;
          continue;
        }
      double *dst = zs + (size_t) count * m;
      memcpy (dst, z, m * sizeof (double));
      count++;
      cur = dst;
      if (z[c->n] < 0.0 || z[c->n] > 1.0)
        break;
      if (!tangent (c, z, t, tn))
        break;
      memcpy (t, tn, m * sizeof (double));
      if (iters <= 3)
        ds = fmin (ds * 1.5, ds_max);
    }
  return count;
}

SwStatus
sw_continue_fixed_points (const SwField *field, double *param, double p_min, double p_max,
                          double p0, const double *x0, double ds_max, int max_points,
                          SwBranch *out, SwError *err)
{
  memset (out, 0, sizeof *out);
  int n = field->n, m = n + 1;
  if (!(p_max > p_min) || max_points < 2 || !(ds_max > 0.0))
    return sw_error_set (err, SW_ERR_INVALID, "a continuation needs MIN < MAX, points and a step");
  Cont c = { field, param, p_min, p_max - p_min, n };
  double start[SW_FIELD_MAX];
  *param = p0;
  if (sw_field_newton (field, x0, 1e-12, start, err) != SW_OK)
    return sw_error_set (err, SW_ERR_INVALID, "no fixed point found near the start of the branch at %g", p0);
  double z0[SW_FIELD_MAX + 1];
  memcpy (z0, start, n * sizeof (double));
  z0[n] = (p0 - p_min) / c.scale;

  double *fw = malloc ((size_t) max_points * m * sizeof (double));
  double *bw = malloc ((size_t) max_points * m * sizeof (double));
  if (fw == NULL || bw == NULL)
    {
      free (fw);
      free (bw);
      return sw_error_set (err, SW_ERR_NOMEM, "out of memory");
    }
  int nf = follow (&c, z0, 1.0, ds_max, max_points / 2 + 1, fw);
  int nb = follow (&c, z0, -1.0, ds_max, max_points / 2 + 1, bw);
  int total = nf + nb - 1;
  out->points = calloc ((size_t) total, sizeof (SwBranchPoint));
  out->special = calloc ((size_t) total, sizeof (SwBifPoint));
  double *zs = malloc ((size_t) total * m * sizeof (double));
  if (out->points == NULL || out->special == NULL || zs == NULL)
    {
      free (fw);
      free (bw);
      free (zs);
      sw_branch_free (out);
      return sw_error_set (err, SW_ERR_NOMEM, "out of memory");
    }
  /* Backward points reversed, then the forward ones. */
  int k = 0;
  for (int i = nb - 1; i >= 1; i--)
    memcpy (zs + (size_t) k++ * m, bw + (size_t) i * m, m * sizeof (double));
  for (int i = 0; i < nf; i++)
    memcpy (zs + (size_t) k++ * m, fw + (size_t) i * m, m * sizeof (double));
  free (fw);
  free (bw);

  /* Points outside [p_min, p_max] at the ends are dropped. */
  int first = 0, last = total - 1;
  while (first < last && (zs[(size_t) first * m + n] < -1e-12 || zs[(size_t) first * m + n] > 1.0 + 1e-12))
    first++;
  while (last > first && (zs[(size_t) last * m + n] < -1e-12 || zs[(size_t) last * m + n] > 1.0 + 1e-12))
    last--;
  for (int i = first; i <= last; i++)
    fill_point (&c, zs + (size_t) i * m, &out->points[out->n_points++]);
  for (int i = 0; i + 1 < out->n_points; i++)
    {
      int ra, ca, rb, cb;
      count_unstable (&out->points[i], n, &ra, &ca);
      count_unstable (&out->points[i + 1], n, &rb, &cb);
      const double *za = zs + (size_t) (first + i) * m, *zb = zs + (size_t) (first + i + 1) * m;
      if (ra + ca == rb + cb)
        continue;
      /* The stability changed: a real eigenvalue (the determinant changes
       * sign) or a complex pair (the real part of the pair nearest the
       * imaginary axis changes sign) crossed. */
      double fa, fb, freq;
      fa = test_fn (&c, za, SW_BIF_FOLD, &freq);
      fb = test_fn (&c, zb, SW_BIF_FOLD, &freq);
      if ((fa > 0.0) != (fb > 0.0))
        {
          locate (&c, za, zb, SW_BIF_FOLD, &out->special[out->n_special]);
          out->special[out->n_special++].after = i;
        }
      fa = test_fn (&c, za, SW_BIF_HOPF, &freq);
      fb = test_fn (&c, zb, SW_BIF_HOPF, &freq);
      if (isfinite (fa) && isfinite (fb) && (fa > 0.0) != (fb > 0.0))
        {
          locate (&c, za, zb, SW_BIF_HOPF, &out->special[out->n_special]);
          out->special[out->n_special++].after = i;
        }
    }
  free (zs);
  *param = p0;
  return SW_OK;
}

void
sw_signal_stats (const double *x, long n, double dt_s, SwCycleStats *out)
{
  double mn = INFINITY, mx = -INFINITY, sum = 0.0;
  for (long i = 0; i < n; i++)
    {
      mn = fmin (mn, x[i]);
      mx = fmax (mx, x[i]);
      sum += x[i];
    }
  double mean = n > 0 ? sum / n : NAN;
  double ss = 0.0;
  for (long i = 0; i < n; i++)
    ss += (x[i] - mean) * (x[i] - mean);
  out->min = mn;
  out->max = mx;
  out->mean = mean;
  out->sd = n > 1 ? sqrt (ss / (n - 1)) : NAN;
  out->cycle = n > 0 && (mx - mn) > 1e-4 * (1.0 + fabs (mean));
  out->settled = true;
  /* Period from upward crossings of the mid-level, with linear
   * interpolation of the crossing times. */
  double level = 0.5 * (mn + mx);
  double t_first = NAN, t_last = NAN;
  int crossings = 0;
  for (long i = 1; i < n; i++)
    if (x[i - 1] < level && x[i] >= level)
      {
        double t = (i - 1 + (level - x[i - 1]) / (x[i] - x[i - 1])) * dt_s;
        if (crossings == 0)
          t_first = t;
        t_last = t;
        crossings++;
      }
  out->freq_hz = out->cycle && crossings >= 2 ? (crossings - 1) / (t_last - t_first) : NAN;
}

SwStatus
sw_mass_cycle_stats (const SwMassType *type, const double *params, const double *initial,
                     double dt_s, double transient_s, double record_s, uint64_t seed,
                     SwCycleStats *out, SwError *err)
{
  SwMassConfig cfg = {
    .type = type, .n_nodes = 1, .params = params, .dt_s = dt_s, .seed = seed,
    .method = SW_MASS_METHOD_AUTO, .initial = initial,
  };
  SwMassSim *sim;
  SwStatus st = sw_mass_sim_new (&cfg, &sim, err);
  if (st != SW_OK)
    return st;
  long nt = lround (transient_s / dt_s), nr = lround (record_s / dt_s);
  double *obs = malloc ((size_t) (nr > 0 ? nr : 1) * sizeof (double));
  if (obs == NULL)
    {
      sw_mass_sim_free (sim);
      return sw_error_set (err, SW_ERR_NOMEM, "out of memory");
    }
  st = sw_mass_sim_run (sim, nt, 1, NULL, err);
  /* Record windows until the peak-to-peak amplitude settles (within 2 % of
   * the previous window, or below the cycle threshold): a decaying
   * transient is not a limit cycle.  At most 8 windows. */
  double prev = NAN;
  bool settled = false;
  for (int w = 0; w < 8 && st == SW_OK; w++)
    {
      st = sw_mass_sim_run (sim, nr, 1, obs, err);
      if (st != SW_OK)
        break;
      sw_signal_stats (obs, nr, dt_s, out);
      double pp = out->max - out->min;
      if (!out->cycle || (isfinite (prev) && fabs (pp - prev) <= 0.02 * prev))
        {
          settled = true;
          break;
        }
      prev = pp;
    }
  out->settled = settled;
  out->cycle = out->cycle && settled;
  free (obs);
  sw_mass_sim_free (sim);
  return st;
}
