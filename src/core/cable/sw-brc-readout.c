/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Ridge regression, cross-validation and score of the BRC readout (see
 * sw-brc-readout.h).  The matrices are small (p = 50 features), so the
 * symmetric positive-definite system is solved by a plain Cholesky
 * factorisation; lambda > 0 keeps it positive definite even when a feature
 * never varies (the rate cells without input).
 */
#include "sw-brc-readout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

SwStatus
sw_brc_stats_init (SwBrcStats *s, int n_features, int n_outputs, SwError *err)
{
  memset (s, 0, sizeof *s);
  if (n_features < 1 || n_outputs < 1)
    return sw_error_set (err, SW_ERR_INVALID, "readout needs at least one feature and one output");
  size_t p = (size_t) n_features, q = (size_t) n_outputs;
  s->n_features = n_features;
  s->n_outputs = n_outputs;
  s->sx = calloc (p, sizeof (double));
  s->sxx = calloc (p * p, sizeof (double));
  s->sy = calloc (q, sizeof (double));
  s->sxy = calloc (p * q, sizeof (double));
  s->syy = calloc (q, sizeof (double));
  if (!s->sx || !s->sxx || !s->sy || !s->sxy || !s->syy)
    {
      sw_brc_stats_clear (s);
      return sw_error_set (err, SW_ERR_NOMEM, "no memory for readout statistics of %d features",
                           n_features);
    }
  return SW_OK;
}

void
sw_brc_stats_clear (SwBrcStats *s)
{
  free (s->sx);
  free (s->sxx);
  free (s->sy);
  free (s->sxy);
  free (s->syy);
  memset (s, 0, sizeof *s);
}

void
sw_brc_stats_reset (SwBrcStats *s)
{
  size_t p = (size_t) s->n_features, q = (size_t) s->n_outputs;
  s->n = 0.0;
  memset (s->sx, 0, p * sizeof (double));
  memset (s->sxx, 0, p * p * sizeof (double));
  memset (s->sy, 0, q * sizeof (double));
  memset (s->sxy, 0, p * q * sizeof (double));
  memset (s->syy, 0, q * sizeof (double));
}

void
sw_brc_stats_add (SwBrcStats *s, const double *x, const double *y)
{
  const int p = s->n_features, q = s->n_outputs;
  s->n += 1.0;
  for (int i = 0; i < p; i++)
    {
      double xi = x[i];
      s->sx[i] += xi;
      /* Upper triangle only; mirrored when the statistics are used. */
      double *row = s->sxx + (size_t) i * p;
      for (int j = i; j < p; j++)
        row[j] += xi * x[j];
      for (int o = 0; o < q; o++)
        s->sxy[(size_t) i * q + o] += xi * y[o];
    }
  for (int o = 0; o < q; o++)
    {
      s->sy[o] += y[o];
      s->syy[o] += y[o] * y[o];
    }
}

void
sw_brc_stats_merge (SwBrcStats *dst, const SwBrcStats *src)
{
  const size_t p = (size_t) dst->n_features, q = (size_t) dst->n_outputs;
  dst->n += src->n;
  for (size_t i = 0; i < p; i++)
    dst->sx[i] += src->sx[i];
  for (size_t i = 0; i < p * p; i++)
    dst->sxx[i] += src->sxx[i];
  for (size_t o = 0; o < q; o++)
    {
      dst->sy[o] += src->sy[o];
      dst->syy[o] += src->syy[o];
    }
  for (size_t i = 0; i < p * q; i++)
    dst->sxy[i] += src->sxy[i];
}

/* Element (i, j) of the sum of x x^T, of which only the upper triangle is
 * accumulated. */
static inline double
sxx_at (const SwBrcStats *s, int i, int j)
{
  const int p = s->n_features;
  return i <= j ? s->sxx[(size_t) i * p + j] : s->sxx[(size_t) j * p + i];
}

/* In-place Cholesky factor (lower triangle) of the n x n matrix @a; -1 when
 * a pivot is not positive. */
static int
cholesky (int n, double *a)
{
  for (int j = 0; j < n; j++)
    {
      double d = a[(size_t) j * n + j];
      for (int k = 0; k < j; k++)
        d -= a[(size_t) j * n + k] * a[(size_t) j * n + k];
      if (!(d > 0.0))
        return -1;
      d = sqrt (d);
      a[(size_t) j * n + j] = d;
      for (int i = j + 1; i < n; i++)
        {
          double v = a[(size_t) i * n + j];
          for (int k = 0; k < j; k++)
            v -= a[(size_t) i * n + k] * a[(size_t) j * n + k];
          a[(size_t) i * n + j] = v / d;
        }
    }
  return 0;
}

/* Solves L L^T x = b in place for one right-hand side with stride @stride. */
static void
cholesky_solve (int n, const double *l, double *b, int stride)
{
  for (int i = 0; i < n; i++)
    {
      double v = b[(size_t) i * stride];
      for (int k = 0; k < i; k++)
        v -= l[(size_t) i * n + k] * b[(size_t) k * stride];
      b[(size_t) i * stride] = v / l[(size_t) i * n + i];
    }
  for (int i = n - 1; i >= 0; i--)
    {
      double v = b[(size_t) i * stride];
      for (int k = i + 1; k < n; k++)
        v -= l[(size_t) k * n + i] * b[(size_t) k * stride];
      b[(size_t) i * stride] = v / l[(size_t) i * n + i];
    }
}

SwStatus
sw_brc_ridge_fit (const SwBrcStats *train, double lambda, double *w, double *b, SwError *err)
{
  const int p = train->n_features, q = train->n_outputs;
  const double n = train->n;

  if (!(lambda > 0.0))
    return sw_error_set (err, SW_ERR_INVALID, "ridge penalty must be positive, got %g", lambda);
  if (!(n >= 2.0))
    return sw_error_set (err, SW_ERR_INVALID, "ridge fit needs at least 2 samples, got %g", n);

  double *a = malloc (sizeof (double) * (size_t) p * (size_t) p);
  if (a == NULL)
    return sw_error_set (err, SW_ERR_NOMEM, "no memory for the ridge system");

  /* Centred Gram matrix plus lambda on the diagonal, and the centred
   * cross products as right-hand sides (written straight into w). */
  for (int i = 0; i < p; i++)
    {
      double mi = train->sx[i] / n;
      for (int j = 0; j < p; j++)
        a[(size_t) i * p + j] = sxx_at (train, i, j) - mi * train->sx[j];
      a[(size_t) i * p + i] += lambda;
      for (int o = 0; o < q; o++)
        w[(size_t) i * q + o] = train->sxy[(size_t) i * q + o] - mi * train->sy[o];
    }
  for (size_t k = 0; k < (size_t) p * p; k++)
    if (!isfinite (a[k]))
      {
        free (a);
        return sw_error_set (err, SW_ERR_BLOWUP, "readout features are not finite");
      }

  if (cholesky (p, a) != 0)
    {
      free (a);
      return sw_error_set (err, SW_ERR_BLOWUP,
                           "ridge system is not positive definite (features out of range)");
    }
  for (int o = 0; o < q; o++)
    cholesky_solve (p, a, w + o, q);
  free (a);

  for (int o = 0; o < q; o++)
    {
      double v = train->sy[o] / n;
      for (int i = 0; i < p; i++)
        v -= train->sx[i] / n * w[(size_t) i * q + o];
      b[o] = v;
    }
  return SW_OK;
}

void
sw_brc_ridge_sse (const SwBrcStats *test, const double *w, const double *b, double *sse)
{
  const int p = test->n_features, q = test->n_outputs;
  const double n = test->n;

  for (int o = 0; o < q; o++)
    {
      if (!(n > 0.0))
        {
          sse[o] = 0.0;
          continue;
        }
      /* Centre on the test samples' mean m: with c = m^T w + b the
       * prediction is (x - m)^T w + c, and
       *   sum (y - yhat)^2 = sum (y - c)^2 - 2 w^T sum (y - c)(x - m)
       *                      + w^T C w,
       * C the centred Gram matrix; sum (y - c)(x - m) = sxy - m sy. */
      double c = b[o];
      for (int i = 0; i < p; i++)
        c += test->sx[i] / n * w[(size_t) i * q + o];
      double e = test->syy[o] - 2.0 * c * test->sy[o] + n * c * c;
      for (int i = 0; i < p; i++)
        {
          double wi = w[(size_t) i * q + o];
          double mi = test->sx[i] / n;
          e -= 2.0 * wi * (test->sxy[(size_t) i * q + o] - mi * test->sy[o]);
          double cw = 0.0;
          for (int j = 0; j < p; j++)
            cw += (sxx_at (test, i, j) - mi * test->sx[j]) * w[(size_t) j * q + o];
          e += wi * cw;
        }
      /* Rounding can leave a tiny negative sum for a perfect fit. */
      sse[o] = e > 0.0 ? e : 0.0;
    }
}

double
sw_brc_ridge_mean_prediction (const SwBrcStats *test, const double *w, const double *b, int o)
{
  const int p = test->n_features, q = test->n_outputs;
  if (!(test->n > 0.0))
    return b[o];
  double v = b[o];
  for (int i = 0; i < p; i++)
    v += test->sx[i] / test->n * w[(size_t) i * q + o];
  return v;
}

void
sw_brc_readout_config_default (SwBrcReadoutConfig *cfg)
{
  cfg->lambda = 2.0;
  cfg->null_level = 0.2;
  cfg->null_penalty = 1000.0;
}

SwStatus
sw_brc_score (const SwBrcStats *trials, int n_cues, int n_repeats, const SwBrcReadoutConfig *cfg,
              SwBrcScore *out, SwError *err)
{
  memset (out, 0, sizeof *out);
  if (n_cues < 1 || n_repeats < 2 || n_repeats > SW_BRC_MAX_FOLDS)
    return sw_error_set (err, SW_ERR_INVALID,
                         "readout needs at least 1 cue and 2 to %d repeats, got %d and %d",
                         SW_BRC_MAX_FOLDS, n_cues, n_repeats);

  const int p = trials[0].n_features, q = trials[0].n_outputs;
  for (int t = 1; t < n_cues * n_repeats; t++)
    if (trials[t].n_features != p || trials[t].n_outputs != q)
      return sw_error_set (err, SW_ERR_INVALID, "trial %d has other readout sizes than trial 0", t);

  SwBrcStats train;
  SwStatus st = sw_brc_stats_init (&train, p, q, err);
  if (st != SW_OK)
    return st;
  double *w = malloc (sizeof (double) * (size_t) p * (size_t) q);
  double *b = malloc (sizeof (double) * (size_t) q);
  double *sse = malloc (sizeof (double) * (size_t) q);
  if (w == NULL || b == NULL || sse == NULL)
    {
      st = sw_error_set (err, SW_ERR_NOMEM, "no memory for the readout weights");
      goto out;
    }

  const int nc = n_cues < 4 ? n_cues : 4, nq = q < 2 ? q : 2;
  double mse_sum = 0.0;
  for (int k = 0; k < n_repeats; k++)
    {
      sw_brc_stats_reset (&train);
      for (int c = 0; c < n_cues; c++)
        for (int r = 0; r < n_repeats; r++)
          if (r != k)
            sw_brc_stats_merge (&train, &trials[c * n_repeats + r]);
      st = sw_brc_ridge_fit (&train, cfg->lambda, w, b, err);
      if (st != SW_OK)
        goto out;

      double e = 0.0, n_test = 0.0;
      for (int c = 0; c < n_cues; c++)
        {
          const SwBrcStats *test = &trials[c * n_repeats + k];
          sw_brc_ridge_sse (test, w, b, sse);
          for (int o = 0; o < q; o++)
            e += sse[o];
          n_test += test->n;
          if (c < nc)
            for (int o = 0; o < nq; o++)
              out->mean_pred[c][o] += sw_brc_ridge_mean_prediction (test, w, b, o) / n_repeats;
        }
      if (!(n_test > 0.0))
        {
          st = sw_error_set (err, SW_ERR_INVALID, "fold %d has no test samples", k);
          goto out;
        }
      out->fold_mse[k] = e / (n_test * q);
      mse_sum += out->fold_mse[k];
    }

  out->n_folds = n_repeats;
  out->mse = mse_sum / n_repeats;
  double abs_sum = 0.0;
  for (int c = 0; c < nc; c++)
    for (int o = 0; o < nq; o++)
      abs_sum += fabs (out->mean_pred[c][o]);
  out->null_mean_abs = abs_sum / (nc * nq);
  out->is_null = out->null_mean_abs < cfg->null_level;
  out->score = out->mse + (out->is_null ? cfg->null_penalty : 0.0);
  if (!isfinite (out->score))
    st = sw_error_set (err, SW_ERR_BLOWUP, "readout score is not finite");

out:
  free (w);
  free (b);
  free (sse);
  sw_brc_stats_clear (&train);
  return st;
}
