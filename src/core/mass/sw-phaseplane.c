/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Phase planes: fields, Jacobians, eigenvalues, Newton, nullclines, fixed
 * points and trajectories.
 */
#include "config.h"

#include "sw-phaseplane.h"

#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sw-linalg.h"

/* ------------------------------------------------------------------------ */
/* Fields                                                                    */

static void
mass_field_func (void *data, const double *x, double *dxdt)
{
  const SwMassField *mf = data;
  double c[SW_MASS_MAX_OUT] = { 0.0, 0.0 };
  mf->type->rhs (mf->params, x, mf->params[mf->type->input_param], c, dxdt);
}

void
sw_mass_field_init (SwMassField *mf, const SwMassType *type, const double *params, SwField *field)
{
  mf->type = type;
  memcpy (mf->params, params, type->n_params * sizeof (double));
  field->f = mass_field_func;
  field->data = mf;
  field->n = type->n_state;
}

static void
mf_plane_func (void *data, const double *x, double *dxdt)
{
  const SwMfPlaneField *mf = data;
  double s[3] = { x[0], x[1], mf->w_pa }, d[3];
  sw_mf_rhs (mf->cfg, s, 0.0, 0.0, d, NULL);
  dxdt[0] = d[0];
  dxdt[1] = d[1];
}

void
sw_mf_plane_field_init (SwMfPlaneField *mf, const SwMfConfig *cfg, double w_pa, SwField *field)
{
  mf->cfg = cfg;
  mf->w_pa = w_pa;
  field->f = mf_plane_func;
  field->data = mf;
  field->n = 2;
}

/* ------------------------------------------------------------------------ */
/* Linear algebra                                                            */

void
sw_field_jacobian (const SwField *field, const double *x, double *jac)
{
  int n = field->n;
  double xp[SW_FIELD_MAX], fp[SW_FIELD_MAX], fm[SW_FIELD_MAX];
  for (int k = 0; k < n; k++)
    {
      memcpy (xp, x, n * sizeof (double));
      double h = fmax (1e-6 * fabs (x[k]), 1e-7);
      xp[k] = x[k] + h;
      field->f (field->data, xp, fp);
      xp[k] = x[k] - h;
      field->f (field->data, xp, fm);
      for (int i = 0; i < n; i++)
        jac[i * n + k] = (fp[i] - fm[i]) / (2.0 * h);
    }
}

static int
compare_eig (const void *pa, const void *pb)
{
  const double *a = pa, *b = pb;
  if (a[0] != b[0])
    return a[0] > b[0] ? -1 : 1;
  return a[1] > b[1] ? -1 : a[1] < b[1] ? 1 : 0;
}

bool
sw_eigenvalues (int n, const double *a, double *re, double *im)
{
  double complex h[SW_FIELD_MAX][SW_FIELD_MAX];
  double complex ev[SW_FIELD_MAX];
  if (n < 1 || n > SW_FIELD_MAX)
    return false;
  double scale = 0.0;
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      {
        h[i][j] = a[i * n + j];
        scale = fmax (scale, fabs (a[i * n + j]));
      }
  if (!isfinite (scale))
    {
      for (int i = 0; i < n; i++)
        re[i] = im[i] = NAN;
      return false;
    }
  /* Hessenberg form by Givens rotations (similarity transforms). */
  for (int k = 0; k < n - 2; k++)
    for (int i = k + 2; i < n; i++)
      {
        double complex x = h[k + 1][k], y = h[i][k];
        double r = hypot (cabs (x), cabs (y));
        if (r == 0.0 || cabs (y) == 0.0)
          continue;
        double complex c = x / r, s = y / r;
        for (int j = 0; j < n; j++)
          {
            double complex u = h[k + 1][j], v = h[i][j];
            h[k + 1][j] = conj (c) * u + conj (s) * v;
            h[i][j] = -s * u + c * v;
          }
        for (int j = 0; j < n; j++)
          {
            double complex u = h[j][k + 1], v = h[j][i];
            h[j][k + 1] = u * c + v * s;
            h[j][i] = -u * conj (s) + v * conj (c);
          }
      }
  int hi = n - 1, iter = 0, total = 0;
  double complex gc[SW_FIELD_MAX], gs[SW_FIELD_MAX];
  while (hi >= 0)
    {
      if (hi == 0)
        {
          ev[0] = h[0][0];
          break;
        }
      int l = hi;
      while (l > 0)
        {
          double t = cabs (h[l][l]) + cabs (h[l - 1][l - 1]);
          if (t == 0.0)
            t = scale;
          if (cabs (h[l][l - 1]) <= 1e-15 * t)
            {
              h[l][l - 1] = 0.0;
              break;
            }
          l--;
        }
      if (l == hi)
        {
          ev[hi] = h[hi][hi];
          hi--;
          iter = 0;
          continue;
        }
      if (++total > 100 * n)
        {
          for (int i = 0; i < n; i++)
            re[i] = im[i] = NAN;
          return false;
        }
      /* Wilkinson shift: the eigenvalue of the trailing 2 x 2 block nearer
       * its last diagonal entry; an exceptional shift now and then. */
      double complex mu;
      if (iter > 0 && iter % 10 == 0)
        mu = h[hi][hi] + 0.75 * cabs (h[hi][hi - 1]);
      else
        {
          double complex p = h[hi - 1][hi - 1], q = h[hi - 1][hi], r = h[hi][hi - 1], s = h[hi][hi];
          double complex tr = p + s, det = p * s - q * r;
          double complex disc = csqrt (tr * tr / 4.0 - det);
          double complex m1 = tr / 2.0 + disc, m2 = tr / 2.0 - disc;
          mu = cabs (m1 - s) < cabs (m2 - s) ? m1 : m2;
        }
      iter++;
      for (int k = l; k <= hi; k++)
        h[k][k] -= mu;
      for (int k = l; k < hi; k++)
        {
          double complex x = h[k][k], y = h[k + 1][k];
          double r = hypot (cabs (x), cabs (y));
          double complex c = r > 0.0 ? x / r : 1.0, s = r > 0.0 ? y / r : 0.0;
          gc[k] = c;
          gs[k] = s;
          for (int j = k; j <= hi; j++)
            {
              double complex u = h[k][j], v = h[k + 1][j];
              h[k][j] = conj (c) * u + conj (s) * v;
              h[k + 1][j] = -s * u + c * v;
            }
        }
      for (int k = l; k < hi; k++)
        {
          double complex c = gc[k], s = gs[k];
          int top = k + 2 < hi ? k + 2 : hi;
          for (int j = l; j <= top; j++)
            {
              double complex u = h[j][k], v = h[j][k + 1];
              h[j][k] = u * c + v * s;
              h[j][k + 1] = -u * conj (s) + v * conj (c);
            }
        }
      for (int k = l; k <= hi; k++)
        h[k][k] += mu;
    }
  double pairs[SW_FIELD_MAX][2];
  for (int i = 0; i < n; i++)
    {
      pairs[i][0] = creal (ev[i]);
      /* Imaginary parts at rounding level are real eigenvalues. */
      pairs[i][1] = fabs (cimag (ev[i])) <= 1e-12 * (scale + 1e-300) ? 0.0 : cimag (ev[i]);
    }
  qsort (pairs, n, sizeof pairs[0], compare_eig);
  /* The real parts of a conjugate pair may differ in the last bits: put
   * the member with positive imaginary part first. */
  for (int i = 0; i + 1 < n; i++)
    if (pairs[i][1] < 0.0 && pairs[i + 1][1] > 0.0
        && fabs (pairs[i][0] - pairs[i + 1][0]) <= 1e-9 * (fabs (pairs[i][0]) + fabs (pairs[i][1])))
      {
        double t0 = pairs[i][0], t1 = pairs[i][1];
        pairs[i][0] = pairs[i + 1][0];
        pairs[i][1] = pairs[i + 1][1];
        pairs[i + 1][0] = t0;
        pairs[i + 1][1] = t1;
        i++;
      }
  for (int i = 0; i < n; i++)
    {
      re[i] = pairs[i][0];
      im[i] = pairs[i][1];
    }
  return true;
}

static double
norm2 (const double *v, int n)
{
  double s = 0.0;
  for (int i = 0; i < n; i++)
    s += v[i] * v[i];
  return sqrt (s);
}

SwStatus
sw_field_newton (const SwField *field, const double *guess, double tol, double *x, SwError *err)
{
  int n = field->n;
  double f[SW_FIELD_MAX], jac[SW_FIELD_MAX * SW_FIELD_MAX], step[SW_FIELD_MAX];
  double trial[SW_FIELD_MAX], ft[SW_FIELD_MAX];
  memcpy (x, guess, n * sizeof (double));
  field->f (field->data, x, f);
  double fn = norm2 (f, n);
  for (int it = 0; it < 60; it++)
    {
      if (!isfinite (fn))
        break;
      sw_field_jacobian (field, x, jac);
      for (int i = 0; i < n; i++)
        step[i] = -f[i];
      if (sw_linalg_solve (n, jac, step) != 0)
        return sw_error_set (err, SW_ERR_INVALID, "singular Jacobian in Newton's method");
      /* Backtracking: accept the first step length that reduces |f|. */
      double lambda = 1.0;
      double tn = INFINITY;
      for (int b = 0; b < 30; b++)
        {
          for (int i = 0; i < n; i++)
            trial[i] = x[i] + lambda * step[i];
          field->f (field->data, trial, ft);
          tn = norm2 (ft, n);
          if (isfinite (tn) && tn < fn * (1.0 - 1e-4 * lambda))
            break;
          lambda *= 0.5;
        }
      double sn = lambda * norm2 (step, n);
      memcpy (x, trial, n * sizeof (double));
      memcpy (f, ft, n * sizeof (double));
      fn = tn;
      if (sn <= tol * (norm2 (x, n) + 1e-9))
        return isfinite (fn) ? SW_OK
                             : sw_error_set (err, SW_ERR_INVALID, "Newton's method left the finite numbers");
    }
  return sw_error_set (err, SW_ERR_INVALID, "Newton's method did not converge");
}

bool
sw_field_settle (const SwField *field, double *x, double dt, int n_steps)
{
  int n = field->n;
  double k1[SW_FIELD_MAX], k2[SW_FIELD_MAX], k3[SW_FIELD_MAX], k4[SW_FIELD_MAX], y[SW_FIELD_MAX];
  for (int s = 0; s < n_steps; s++)
    {
      field->f (field->data, x, k1);
      for (int i = 0; i < n; i++)
        y[i] = x[i] + 0.5 * dt * k1[i];
      field->f (field->data, y, k2);
      for (int i = 0; i < n; i++)
        y[i] = x[i] + 0.5 * dt * k2[i];
      field->f (field->data, y, k3);
      for (int i = 0; i < n; i++)
        y[i] = x[i] + dt * k3[i];
      field->f (field->data, y, k4);
      for (int i = 0; i < n; i++)
        {
          x[i] += dt / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
          if (!isfinite (x[i]))
            return false;
        }
    }
  return true;
}

/* ------------------------------------------------------------------------ */
/* The plane                                                                 */

static const char *const fp_names[] = {
  "stable node", "unstable node", "stable focus", "unstable focus", "saddle", "centre", "degenerate",
};

const char *
sw_fixed_point_type_name (SwFixedPointType type)
{
  return type >= 0 && type < SW_FP_N_TYPES ? fp_names[type] : "unknown";
}

void
sw_plane_classify (const double jac[2][2], SwPlanePoint *pt)
{
  memcpy (pt->jac, jac, sizeof pt->jac);
  double tr = jac[0][0] + jac[1][1];
  double det = jac[0][0] * jac[1][1] - jac[0][1] * jac[1][0];
  double disc = tr * tr / 4.0 - det;
  if (disc >= 0.0)
    {
      double s = sqrt (disc);
      pt->eig_re[0] = tr / 2.0 + s;
      pt->eig_re[1] = tr / 2.0 - s;
      pt->eig_im[0] = pt->eig_im[1] = 0.0;
    }
  else
    {
      double s = sqrt (-disc);
      pt->eig_re[0] = pt->eig_re[1] = tr / 2.0;
      pt->eig_im[0] = s;
      pt->eig_im[1] = -s;
    }
  double mag = fabs (tr) + sqrt (fabs (det));
  if (det < 0.0)
    pt->type = SW_FP_SADDLE;
  else if (det == 0.0 || fabs (det) <= 1e-14 * mag * mag)
    pt->type = SW_FP_DEGENERATE;
  else if (disc < 0.0)
    {
      if (fabs (tr) <= 1e-9 * mag)
        pt->type = SW_FP_CENTRE;
      else
        pt->type = tr < 0.0 ? SW_FP_STABLE_FOCUS : SW_FP_UNSTABLE_FOCUS;
    }
  else
    pt->type = tr < 0.0 ? SW_FP_STABLE_NODE : SW_FP_UNSTABLE_NODE;
}

void
sw_plane_eval (const SwPlane *plane, double x, double y, double *fx, double *fy)
{
  double s[SW_FIELD_MAX], d[SW_FIELD_MAX];
  memcpy (s, plane->base, plane->field.n * sizeof (double));
  s[plane->ix] = x;
  s[plane->iy] = y;
  plane->field.f (plane->field.data, s, d);
  *fx = d[plane->ix];
  *fy = d[plane->iy];
}

void
sw_plane_grid (const SwPlane *plane, double x0, double x1, int nx, double y0, double y1, int ny,
               double *fx, double *fy)
{
  for (int j = 0; j < ny; j++)
    for (int i = 0; i < nx; i++)
      {
        double x = x0 + (x1 - x0) * i / (nx > 1 ? nx - 1 : 1);
        double y = y0 + (y1 - y0) * j / (ny > 1 ? ny - 1 : 1);
        sw_plane_eval (plane, x, y, &fx[j * nx + i], &fy[j * nx + i]);
      }
}

static void
to_data (SwMfPolyline *lines, int n, double x0, double x1, int nx, double y0, double y1, int ny)
{
  for (int l = 0; l < n; l++)
    for (int k = 0; k < lines[l].n; k++)
      {
        lines[l].x[k] = x0 + (x1 - x0) * lines[l].x[k] / (nx - 1);
        lines[l].y[k] = y0 + (y1 - y0) * lines[l].y[k] / (ny - 1);
      }
}

SwStatus
sw_plane_nullclines (const SwPlane *plane, double x0, double x1, int nx, double y0, double y1,
                     int ny, SwMfPolyline **x_null, int *n_x_null, SwMfPolyline **y_null,
                     int *n_y_null, SwError *err)
{
  *x_null = *y_null = NULL;
  *n_x_null = *n_y_null = 0;
  if (nx < 2 || ny < 2 || !(x1 > x0) || !(y1 > y0))
    return sw_error_set (err, SW_ERR_INVALID, "a phase plane needs a grid of at least 2 x 2 on a non-empty box");
  double *fx = malloc ((size_t) nx * ny * sizeof (double));
  double *fy = malloc ((size_t) nx * ny * sizeof (double));
  if (fx == NULL || fy == NULL)
    {
      free (fx);
      free (fy);
      return sw_error_set (err, SW_ERR_NOMEM, "out of memory");
    }
  sw_plane_grid (plane, x0, x1, nx, y0, y1, ny, fx, fy);
  SwStatus st = sw_mf_contour (fx, nx, ny, 0.0, x_null, n_x_null, err);
  if (st == SW_OK)
    st = sw_mf_contour (fy, nx, ny, 0.0, y_null, n_y_null, err);
  free (fx);
  free (fy);
  if (st != SW_OK)
    {
      sw_mf_polylines_free (*x_null, *n_x_null);
      *x_null = NULL;
      *n_x_null = 0;
      return st;
    }
  to_data (*x_null, *n_x_null, x0, x1, nx, y0, y1, ny);
  to_data (*y_null, *n_y_null, x0, x1, nx, y0, y1, ny);
  return SW_OK;
}

typedef struct
{
  const SwPlane *plane;
} PlaneData;

static void
plane_func (void *data, const double *x, double *dxdt)
{
  const PlaneData *pd = data;
  sw_plane_eval (pd->plane, x[0], x[1], &dxdt[0], &dxdt[1]);
}

static int
compare_points (const void *pa, const void *pb)
{
  const SwPlanePoint *a = pa, *b = pb;
  return a->x < b->x ? -1 : a->x > b->x ? 1 : (a->y < b->y ? -1 : a->y > b->y);
}

SwStatus
sw_plane_fixed_points (const SwPlane *plane, double x0, double x1, double y0, double y1,
                       int n_starts, SwPlanePoint *out, int max, int *n_out, SwError *err)
{
  *n_out = 0;
  if (n_starts < 1 || !(x1 > x0) || !(y1 > y0))
    return sw_error_set (err, SW_ERR_INVALID, "a fixed-point search needs starts and a non-empty box");
  PlaneData pd = { plane };
  SwField f2 = { plane_func, &pd, 2 };
  double wx = x1 - x0, wy = y1 - y0;
  int n = 0;
  for (int j = 0; j < n_starts; j++)
    for (int i = 0; i < n_starts; i++)
      {
        double g[2] = { x0 + wx * (i + 0.5) / n_starts, y0 + wy * (j + 0.5) / n_starts }, z[2];
        if (sw_field_newton (&f2, g, 1e-12, z, NULL) != SW_OK)
          continue;
        if (z[0] < x0 - 1e-9 * wx || z[0] > x1 + 1e-9 * wx || z[1] < y0 - 1e-9 * wy
            || z[1] > y1 + 1e-9 * wy)
          continue;
        double fz[2];
        plane_func (&pd, z, fz);
        /* Accept only genuine roots (Newton may stall on a flat region). */
        double jac[4];
        sw_field_jacobian (&f2, z, jac);
        double jn = fabs (jac[0]) * wx + fabs (jac[1]) * wy + fabs (jac[2]) * wx + fabs (jac[3]) * wy;
        if (hypot (fz[0], fz[1]) > 1e-8 * (jn + 1e-300))
          continue;
        bool dup = false;
        for (int k = 0; k < n; k++)
          if (fabs (out[k].x - z[0]) <= 1e-6 * wx && fabs (out[k].y - z[1]) <= 1e-6 * wy)
            dup = true;
        if (dup || n >= max)
          continue;
        out[n].x = z[0];
        out[n].y = z[1];
        double j2[2][2] = { { jac[0], jac[1] }, { jac[2], jac[3] } };
        sw_plane_classify (j2, &out[n]);
        n++;
      }
  qsort (out, n, sizeof out[0], compare_points);
  *n_out = n;
  return SW_OK;
}

int
sw_plane_trajectory (const SwPlane *plane, double x0, double y0, double dt, int n_steps,
                     double *xs, double *ys)
{
  double x = x0, y = y0;
  xs[0] = x;
  ys[0] = y;
  for (int s = 0; s < n_steps; s++)
    {
      double k1x, k1y, k2x, k2y, k3x, k3y, k4x, k4y;
      sw_plane_eval (plane, x, y, &k1x, &k1y);
      sw_plane_eval (plane, x + 0.5 * dt * k1x, y + 0.5 * dt * k1y, &k2x, &k2y);
      sw_plane_eval (plane, x + 0.5 * dt * k2x, y + 0.5 * dt * k2y, &k3x, &k3y);
      sw_plane_eval (plane, x + dt * k3x, y + dt * k3y, &k4x, &k4y);
      x += dt / 6.0 * (k1x + 2 * k2x + 2 * k3x + k4x);
      y += dt / 6.0 * (k1y + 2 * k2y + 2 * k3y + k4y);
      if (!isfinite (x) || !isfinite (y))
        return s + 1;
      xs[s + 1] = x;
      ys[s + 1] = y;
    }
  return n_steps + 1;
}
