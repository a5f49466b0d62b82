/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Power spectra of neural-mass signals and fitting to a target spectrum.
 */
#include "config.h"

#include "sw-mass-spectrum.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sw-analysis.h"
#include "sw-mass-sim.h"

size_t
sw_mass_decimate (const double *x, size_t n, int factor, double *out)
{
  if (factor < 1)
    return 0;
  size_t m = n / (size_t) factor;
  for (size_t k = 0; k < m; k++)
    {
      double s = 0.0;
      for (int q = 0; q < factor; q++)
        s += x[k * factor + q];
      out[k] = s / factor;
    }
  return m;
}

static size_t
seg_len (size_t n, double fs_hz, double seg_s)
{
  size_t seg = (size_t) llround (seg_s * fs_hz);
  if (seg > n)
    seg = n;
  return seg;
}

size_t
sw_mass_psd_size (size_t n, double fs_hz, double seg_s)
{
  size_t seg = seg_len (n, fs_hz, seg_s);
  return seg >= 2 ? seg / 2 + 1 : 0;
}

size_t
sw_mass_psd (const double *x, size_t n, double fs_hz, double seg_s, double *freq, double *psd)
{
  size_t seg = seg_len (n, fs_hz, seg_s);
  if (seg < 2)
    return 0;
  return sw_welch (x, n, fs_hz, seg, freq, psd);
}

double
sw_mass_psd_peak (const double *freq, const double *psd, size_t nf, double f_lo, double f_hi)
{
  /* The largest local maximum inside the band: a density that only falls
   * (or rises) across the band has no peak there. */
  size_t best = nf;
  for (size_t k = 1; k + 1 < nf; k++)
    if (freq[k] >= f_lo && freq[k] <= f_hi && psd[k] > psd[k - 1] && psd[k] >= psd[k + 1]
        && (best == nf || psd[k] > psd[best]))
      best = k;
  if (best == nf)
    return NAN;
  if (best == 0 || best + 1 >= nf)
    return freq[best];
  double a = psd[best - 1], b = psd[best], c = psd[best + 1];
  double den = a - 2.0 * b + c;
  double shift = den < 0.0 ? 0.5 * (a - c) / den : 0.0;
  if (shift > 0.5)
    shift = 0.5;
  if (shift < -0.5)
    shift = -0.5;
  return freq[best] + shift * (freq[best + 1] - freq[best]);
}

double
sw_mass_psd_power (const double *freq, const double *psd, size_t nf)
{
  if (nf < 2)
    return 0.0;
  double df = freq[1] - freq[0], s = 0.0;
  for (size_t k = 0; k < nf; k++)
    s += psd[k];
  return s * df;
}

SwStatus
sw_mass_node_spectrum (const SwMassType *type, const double *params, double dt_s,
                       double duration_s, double warmup_s, double fs_hz, uint64_t seed,
                       double **freq, double **psd, size_t *nf, double *fs_used, SwError *err)
{
  *freq = *psd = NULL;
  *nf = 0;
  int every = 1;
  if (fs_hz > 0.0)
    {
      every = (int) floor (1.0 / (fs_hz * dt_s) + 1e-9);
      if (every < 1)
        every = 1;
    }
  long nw = lround (warmup_s / dt_s);
  long nr = lround ((duration_s - warmup_s) / dt_s) / every * every;
  if (nr < 2 * every)
    return sw_error_set (err, SW_ERR_INVALID, "the run after the warm-up is too short for a spectrum");
  SwMassConfig cfg = {
    .type = type, .n_nodes = 1, .params = params, .dt_s = dt_s, .seed = seed,
    .method = SW_MASS_METHOD_AUTO,
  };
  SwMassSim *sim;
  SwStatus st = sw_mass_sim_new (&cfg, &sim, err);
  if (st != SW_OK)
    return st;
  size_t m = (size_t) (nr / every);
  double *obs = malloc (m * sizeof (double));
  if (obs == NULL)
    {
      sw_mass_sim_free (sim);
      return sw_error_set (err, SW_ERR_NOMEM, "out of memory");
    }
  st = sw_mass_sim_run (sim, nw, 1, NULL, err);
  if (st == SW_OK)
    st = sw_mass_sim_run (sim, nr, every, obs, err);
  sw_mass_sim_free (sim);
  if (st != SW_OK)
    {
      free (obs);
      return st;
    }
  double fs = 1.0 / (every * dt_s);
  size_t k = sw_mass_psd_size (m, fs, 2.0);
  *freq = malloc ((k + 1) * sizeof (double));
  *psd = malloc ((k + 1) * sizeof (double));
  if (*freq == NULL || *psd == NULL)
    {
      free (obs);
      free (*freq);
      free (*psd);
      *freq = *psd = NULL;
      return sw_error_set (err, SW_ERR_NOMEM, "out of memory");
    }
  *nf = sw_mass_psd (obs, m, fs, 2.0, *freq, *psd);
  *fs_used = fs;
  free (obs);
  return SW_OK;
}

/* ------------------------------------------------------------------------ */
/* Fitting                                                                   */

typedef struct
{
  const SwMassType *type;
  double *params;
  const int *index;
  const double *lo, *hi;
  int n_fit;
  const double *t_freq, *t_psd;
  size_t t_n;
  const SwMassFitOptions *opt;
  int evals;
  SwError *err;
  SwStatus status;
} Fit;

static double
interp (const double *xs, const double *ys, size_t n, double x)
{
  if (n == 0)
    return NAN;
  if (x <= xs[0])
    return ys[0];
  if (x >= xs[n - 1])
    return ys[n - 1];
  size_t a = 0, b = n - 1;
  while (b - a > 1)
    {
      size_t mid = (a + b) / 2;
      if (xs[mid] <= x)
        a = mid;
      else
        b = mid;
    }
  double t = (x - xs[a]) / (xs[b] - xs[a]);
  return ys[a] + t * (ys[b] - ys[a]);
}

static double
fit_loss (Fit *fit, const double *u)
{
  const SwMassFitOptions *opt = fit->opt;
  for (int k = 0; k < fit->n_fit; k++)
    {
      double v = fmin (fmax (u[k], 0.0), 1.0);
      fit->params[fit->index[k]] = fit->lo[k] + v * (fit->hi[k] - fit->lo[k]);
    }
  fit->evals++;
  double *freq, *psd;
  size_t nf;
  double fs;
  SwError err;
  SwStatus st = sw_mass_node_spectrum (fit->type, fit->params, opt->dt_s, opt->duration_s,
                                       opt->warmup_s, opt->fs_hz, opt->seed, &freq, &psd, &nf,
                                       &fs, &err);
  if (st != SW_OK)
    return INFINITY;
  double sum = 0.0, wsum = 0.0;
  for (size_t k = 0; k < nf; k++)
    {
      if (freq[k] < 1.0 || freq[k] > 45.0)
        continue;
      double target = interp (fit->t_freq, fit->t_psd, fit->t_n, freq[k]);
      if (!(target > 0.0) || !(psd[k] > 0.0))
        continue;
      double w = freq[k] >= opt->band_lo_hz && freq[k] <= opt->band_hi_hz ? opt->peak_weight : 1.0;
      double d = log10 (psd[k]) - log10 (target);
      sum += w * d * d;
      wsum += w;
    }
  free (freq);
  free (psd);
  return wsum > 0.0 ? sum / wsum : INFINITY;
}

SwStatus
sw_mass_fit_spectrum (const SwMassType *type, double *params, const int *index, const double *lo,
                      const double *hi, int n_fit, const double *t_freq, const double *t_psd,
                      size_t t_n, const SwMassFitOptions *opt, double *loss, int *evals,
                      SwError *err)
{
  if (n_fit < 1 || n_fit > 8 || t_n < 2)
    return sw_error_set (err, SW_ERR_INVALID, "a fit needs 1 to 8 parameters and a target spectrum");
  for (int k = 0; k < n_fit; k++)
    if (index[k] < 0 || index[k] >= type->n_params || !(hi[k] > lo[k]))
      return sw_error_set (err, SW_ERR_INVALID, "fitted parameter %d has no valid index or bounds", k);
  Fit fit = { type, params, index, lo, hi, n_fit, t_freq, t_psd, t_n, opt, 0, err, SW_OK };
  int m = n_fit + 1;
  double simplex[9][8], f[9];
  /* The start: the current values, mapped into [0, 1]. */
  for (int k = 0; k < n_fit; k++)
    simplex[0][k] = fmin (fmax ((params[index[k]] - lo[k]) / (hi[k] - lo[k]), 0.0), 1.0);
  for (int v = 1; v < m; v++)
    {
      memcpy (simplex[v], simplex[0], sizeof simplex[0]);
      double step = simplex[0][v - 1] < 0.5 ? 0.2 : -0.2;
      simplex[v][v - 1] += step;
    }
  for (int v = 0; v < m; v++)
    f[v] = fit_loss (&fit, simplex[v]);
  while (fit.evals < opt->max_evals)
    {
      /* Order: best first. */
      for (int a = 0; a < m; a++)
        for (int b = a + 1; b < m; b++)
          if (f[b] < f[a])
            {
              double tf = f[a];
              f[a] = f[b];
              f[b] = tf;
              double tmp[8];
              memcpy (tmp, simplex[a], sizeof tmp);
              memcpy (simplex[a], simplex[b], sizeof tmp);
              memcpy (simplex[b], tmp, sizeof tmp);
            }
      double size = 0.0;
      for (int v = 1; v < m; v++)
        for (int k = 0; k < n_fit; k++)
          size = fmax (size, fabs (simplex[v][k] - simplex[0][k]));
      if (size < 1e-4)
        break;
      double cen[8] = { 0 }, xr[8], xe[8], xc[8];
      for (int v = 0; v < m - 1; v++)
        for (int k = 0; k < n_fit; k++)
          cen[k] += simplex[v][k] / (m - 1);
      for (int k = 0; k < n_fit; k++)
        xr[k] = fmin (fmax (cen[k] + (cen[k] - simplex[m - 1][k]), 0.0), 1.0);
      double fr = fit_loss (&fit, xr);
      if (fr < f[0])
        {
          for (int k = 0; k < n_fit; k++)
            xe[k] = fmin (fmax (cen[k] + 2.0 * (cen[k] - simplex[m - 1][k]), 0.0), 1.0);
          double fe = fit_loss (&fit, xe);
          if (fe < fr)
            {
              memcpy (simplex[m - 1], xe, sizeof xe);
              f[m - 1] = fe;
            }
          else
            {
              memcpy (simplex[m - 1], xr, sizeof xr);
              f[m - 1] = fr;
            }
          continue;
        }
      if (fr < f[m - 2])
        {
          memcpy (simplex[m - 1], xr, sizeof xr);
          f[m - 1] = fr;
          continue;
        }
      for (int k = 0; k < n_fit; k++)
        xc[k] = cen[k] + 0.5 * (simplex[m - 1][k] - cen[k]);
      double fc = fit_loss (&fit, xc);
      if (fc < f[m - 1])
        {
          memcpy (simplex[m - 1], xc, sizeof xc);
          f[m - 1] = fc;
          continue;
        }
      for (int v = 1; v < m; v++)
        {
          for (int k = 0; k < n_fit; k++)
            simplex[v][k] = simplex[0][k] + 0.5 * (simplex[v][k] - simplex[0][k]);
          f[v] = fit_loss (&fit, simplex[v]);
        }
    }
  int best = 0;
  for (int v = 1; v < m; v++)
    if (f[v] < f[best])
      best = v;
  for (int k = 0; k < n_fit; k++)
    params[index[k]] = lo[k] + fmin (fmax (simplex[best][k], 0.0), 1.0) * (hi[k] - lo[k]);
  *loss = f[best];
  if (evals != NULL)
    *evals = fit.evals;
  if (!isfinite (f[best]))
    return sw_error_set (err, SW_ERR_BLOWUP, "no parameter set gave a usable spectrum");
  return SW_OK;
}
