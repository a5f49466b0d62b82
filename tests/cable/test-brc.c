/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the BRC working-memory pieces that do not need the cable engine
 * (src/core/cable/sw-brc-*.c): the ring-lattice candidates and their counts,
 * keep draws and random cue wiring, noise, cue and initial-voltage draws,
 * the ridge readout against closed forms, the cross-validated score of a
 * perfect and of an uninformative readout, the null test, and the
 * determinism of the parameter search across thread counts.
 */
#include "sw-brc-net.h"
#include "sw-brc-params.h"
#include "sw-brc-readout.h"
#include "sw-brc-search.h"
#include "sw-brc-stim.h"
#include "sw-brc-wiring.h"

#include <glib.h>
#include <math.h>
#include <stdatomic.h>
#include <string.h>

#define assert_close(a, b, rel, abs_tol) \
  G_STMT_START \
  { \
    double a_ = (a), b_ = (b); \
    double tol_ = (rel) * fabs (b_) + (abs_tol); \
    if (!(fabs (a_ - b_) <= tol_)) \
      g_assert_cmpfloat_with_epsilon (a_, b_, tol_); \
  } \
  G_STMT_END

/* ------------------------------------------------------------------------ */
/* Wiring                                                                    */

static void
test_candidate_counts (void)
{
  g_assert_cmpint (sw_brc_candidates (SW_BRC_PATH_EE, 50, 25, NULL, NULL, 0), ==, 194);
  g_assert_cmpint (sw_brc_candidates (SW_BRC_PATH_EI, 50, 25, NULL, NULL, 0), ==, 97);
  g_assert_cmpint (sw_brc_candidates (SW_BRC_PATH_IE, 50, 25, NULL, NULL, 0), ==, 97);
  g_assert_cmpint (sw_brc_candidates (SW_BRC_PATH_II, 50, 25, NULL, NULL, 0), ==, 48);

  /* The ring's distance is circular, but the populations never reach the
   * wrap-around. */
  g_assert_true (sw_brc_ring_linked (0, 599));
  g_assert_true (sw_brc_ring_linked (1, 599));
  g_assert_false (sw_brc_ring_linked (0, 49));
  g_assert_false (sw_brc_ring_linked (3, 3));
  g_assert_false (sw_brc_ring_linked (3, 6));
}

static void
test_candidate_examples (void)
{
  int pre[200], post[200];

  int n = sw_brc_candidates (SW_BRC_PATH_EI, 50, 25, pre, post, 200);
  int targets[8], nt = 0;
  for (int k = 0; k < n; k++)
    if (pre[k] == 5)
      targets[nt++] = post[k];
  g_assert_cmpint (nt, ==, 2);
  g_assert_cmpint (targets[0], ==, 2);
  g_assert_cmpint (targets[1], ==, 3);

  n = sw_brc_candidates (SW_BRC_PATH_IE, 50, 25, pre, post, 200);
  nt = 0;
  for (int k = 0; k < n; k++)
    if (pre[k] == 3)
      targets[nt++] = post[k];
  g_assert_cmpint (nt, ==, 4);
  const int expect[4] = { 4, 5, 7, 8 };
  for (int k = 0; k < 4; k++)
    g_assert_cmpint (targets[k], ==, expect[k]);

  /* E -> E: no self-connection, and the relation is symmetric. */
  n = sw_brc_candidates (SW_BRC_PATH_EE, 50, 25, pre, post, 200);
  for (int k = 0; k < n; k++)
    {
      g_assert_cmpint (pre[k], !=, post[k]);
      g_assert_cmpint (abs (pre[k] - post[k]), <=, 2);
      gboolean mirrored = FALSE;
      for (int m = 0; m < n; m++)
        if (pre[m] == post[k] && post[m] == pre[k])
          mirrored = TRUE;
      g_assert_true (mirrored);
    }
  /* I -> I: nearest neighbours only. */
  n = sw_brc_candidates (SW_BRC_PATH_II, 50, 25, pre, post, 200);
  for (int k = 0; k < n; k++)
    g_assert_cmpint (abs (pre[k] - post[k]), ==, 1);
}

static void
test_keep (void)
{
  SwBrcConns c;
  SwError err;

  g_assert_cmpint (sw_brc_wire_type (7, SW_BRC_EE_AMPA_SOMA, 50, 25, 0.0, &c, &err), ==, SW_OK);
  g_assert_cmpint (c.n, ==, 0);
  sw_brc_conns_clear (&c);
  g_assert_cmpint (sw_brc_wire_type (7, SW_BRC_IE_GABAA_DEND, 50, 25, 1.0, &c, &err), ==, SW_OK);
  g_assert_cmpint (c.n, ==, 97);
  sw_brc_conns_clear (&c);

  /* Mean kept fraction over many seeds: 194 * 0.3 = 58.2 per network, the
   * mean of 400 networks has SD sqrt(194 * 0.21 / 400) = 0.32. */
  double sum = 0.0;
  for (int s = 0; s < 400; s++)
    {
      g_assert_cmpint (sw_brc_wire_type (1000 + s, SW_BRC_EE_NMDA_DEND, 50, 25, 0.3, &c, &err), ==,
                       SW_OK);
      sum += c.n;
      sw_brc_conns_clear (&c);
    }
  assert_close (sum / 400, 58.2, 0.0, 1.6);

  /* Same seed, same synapses; the four E -> E types are drawn apart. */
  SwBrcConns a, b, d;
  sw_brc_wire_type (42, SW_BRC_EE_AMPA_SOMA, 50, 25, 0.5, &a, &err);
  sw_brc_wire_type (42, SW_BRC_EE_AMPA_SOMA, 50, 25, 0.5, &b, &err);
  sw_brc_wire_type (42, SW_BRC_EE_AMPA_DEND, 50, 25, 0.5, &d, &err);
  g_assert_cmpint (a.n, ==, b.n);
  g_assert_cmpmem (a.pre, a.n * sizeof (int), b.pre, b.n * sizeof (int));
  g_assert_cmpmem (a.post, a.n * sizeof (int), b.post, b.n * sizeof (int));
  gboolean differ = a.n != d.n;
  for (int k = 0; !differ && k < a.n; k++)
    differ = a.pre[k] != d.pre[k] || a.post[k] != d.post[k];
  g_assert_true (differ);
  sw_brc_conns_clear (&a);
  sw_brc_conns_clear (&b);
  sw_brc_conns_clear (&d);

  /* Bad probability: an error naming the type. */
  g_assert_cmpint (sw_brc_wire_type (1, SW_BRC_II_GABAA, 50, 25, 1.5, &c, &err), ==,
                   SW_ERR_INVALID);
  g_assert_nonnull (strstr (err.text, "ii_gabaa"));
}

static void
test_random_input (void)
{
  SwBrcConns c;
  SwError err;
  double sum = 0.0, sum2 = 0.0;
  int post_hist[50] = { 0 };
  const int n_nets = 400;

  for (int s = 0; s < n_nets; s++)
    {
      g_assert_cmpint (sw_brc_wire_random (s, 0, 25, 25, 2, 0.1, &c, &err), ==, SW_OK);
      sum += c.n;
      sum2 += (double) c.n * c.n;
      for (int k = 0; k < c.n; k++)
        {
          g_assert_cmpint (c.pre[k], >=, 0);
          g_assert_cmpint (c.pre[k], <, 25);
          g_assert_cmpint (c.post[k], >=, 0);
          g_assert_cmpint (c.post[k], <, 50);
          g_assert_cmpint (c.post[k] % 2, ==, 0);
          post_hist[c.post[k]]++;
        }
      sw_brc_conns_clear (&c);
    }
  /* Binomial(625, 0.1): mean 62.5 (SD of the mean 7.5 / 20 = 0.375),
   * variance 56.25. */
  double mean = sum / n_nets, var = sum2 / n_nets - mean * mean;
  assert_close (mean, 62.5, 0.0, 1.6);
  assert_close (var, 56.25, 0.3, 0.0);
  /* Every even E cell is reached, about equally. */
  for (int i = 0; i < 50; i += 2)
    assert_close (post_hist[i], sum / 25, 0.25, 0.0);

  /* p = 1: all 625 draws, with replacement, so some pairs repeat. */
  g_assert_cmpint (sw_brc_wire_random (3, 1, 25, 25, 1, 1.0, &c, &err), ==, SW_OK);
  g_assert_cmpint (c.n, ==, 625);
  int repeats = 0;
  for (int k = 0; k < c.n; k++)
    for (int m = 0; m < k; m++)
      if (c.pre[m] == c.pre[k] && c.post[m] == c.post[k])
        {
          repeats++;
          break;
        }
  g_assert_cmpint (repeats, >, 100);
  sw_brc_conns_clear (&c);
}

/* ------------------------------------------------------------------------ */
/* Stimuli                                                                   */

static void
test_protocol (void)
{
  SwBrcProtocol p;
  sw_brc_protocol_default (&p);
  g_assert_cmpint (sw_brc_step_of (&p, p.cue_on_ms), ==, 10000);
  g_assert_cmpint (sw_brc_step_of (&p, p.cue_off_ms), ==, 11000);
  g_assert_cmpint (sw_brc_sample_stride (&p), ==, 10);
  g_assert_cmpint (sw_brc_n_samples (&p), ==, 3001);
  assert_close (sw_brc_noise_sd (&p), 0.06, 1e-15, 0.0);
  SwError err;
  g_assert_cmpint (sw_brc_protocol_check (&p, &err), ==, SW_OK);
  p.dt_ms = 0.1;
  assert_close (sw_brc_noise_sd (&p), 0.03, 1e-15, 0.0);
  /* 0.25 ms is not a multiple of 0.1 ms: rejected, naming the field. */
  g_assert_cmpint (sw_brc_protocol_check (&p, &err), ==, SW_ERR_INVALID);
  g_assert_nonnull (strstr (err.text, "sampling interval"));
  p.dt_ms = 0.05;
  g_assert_cmpint (sw_brc_protocol_check (&p, &err), ==, SW_OK);
  g_assert_cmpint (sw_brc_sample_stride (&p), ==, 5);
  g_assert_cmpint (sw_brc_n_samples (&p), ==, 3001);

  double c1, c2;
  int seen[4] = { 0 };
  for (int c = 0; c < SW_BRC_N_CUES; c++)
    {
      sw_brc_cue_value (c, &c1, &c2);
      g_assert_true (fabs (c1) == 2.0 && fabs (c2) == 2.0);
      seen[(c1 > 0) * 2 + (c2 > 0)]++;
    }
  for (int k = 0; k < 4; k++)
    g_assert_cmpint (seen[k], ==, 1);
}

static void
test_cue (void)
{
  SwBrcProtocol p;
  sw_brc_protocol_default (&p);
  double a[2000], b[2000];
  sw_brc_cue_prefs (5, &p, 2000, a, b);
  double ma = 0.0;
  for (int k = 0; k < 2000; k++)
    {
      g_assert_cmpfloat (fabs (a[k]), <=, 3.0);
      g_assert_cmpfloat (fabs (b[k]), <=, 3.0);
      ma += a[k] / 2000;
    }
  /* Uniform in [-3, 3]: SD sqrt(3), SE of the mean 0.039. */
  assert_close (ma, 0.0, 0.0, 0.2);

  /* On the preferred point: 0.1 nA; one coordinate off by the width:
   * 0.05 (1 + e^-1); far away: nothing. */
  assert_close (sw_brc_cue_current (&p, 2.0, -2.0, 2.0, -2.0), 0.1, 1e-15, 0.0);
  assert_close (sw_brc_cue_current (&p, 2.3, -2.0, 2.0, -2.0), 0.05 * (1 + exp (-1.0)), 1e-14, 0.0);
  assert_close (sw_brc_cue_current (&p, -2.0, 2.0, 2.0, -2.0), 0.0, 0.0, 1e-40);
}

static void
test_initial_voltages (void)
{
  SwBrcProtocol p;
  sw_brc_protocol_default (&p);
  double v[16], w[16], sum = 0.0, lo = 0.0, hi = -100.0;
  int n = 0;
  for (int cell = 0; cell < 75; cell++)
    for (uint32_t trial = 0; trial < 20; trial++)
      {
        sw_brc_initial_voltages (9, &p, trial, cell, 16, v);
        for (int k = 0; k < 16; k++)
          {
            g_assert_cmpfloat (v[k], >=, -80.0);
            g_assert_cmpfloat (v[k], <=, -40.0);
            sum += v[k];
            lo = MIN (lo, v[k]);
            hi = MAX (hi, v[k]);
            n++;
          }
      }
  /* 24 000 draws: mean -60 within 5 SE (11.5 / sqrt(n) = 0.074), the
   * extremes near the bounds. */
  assert_close (sum / n, -60.0, 0.0, 0.4);
  g_assert_cmpfloat (lo, <, -79.9);
  g_assert_cmpfloat (hi, >, -40.1);
  sw_brc_initial_voltages (9, &p, 1, 3, 16, v);
  sw_brc_initial_voltages (9, &p, 2, 3, 16, w);
  g_assert_true (memcmp (v, w, sizeof v) != 0);
}

/* ------------------------------------------------------------------------ */
/* Readout                                                                   */

static void
test_ridge_closed_form (void)
{
  SwError err;
  SwBrcStats s;

  /* One feature: w = Sxy / (Sxx + lambda) on centred sums. */
  const double x[5] = { 1, 2, 3, 4, 7 }, y[5] = { 2, 4, 5, 9, 11 };
  sw_brc_stats_init (&s, 1, 1, &err);
  for (int i = 0; i < 5; i++)
    sw_brc_stats_add (&s, &x[i], &y[i]);
  /* x mean 3.4, y mean 6.2; centred Sxx = 21.2, Sxy = 32.6 (by hand). */
  double w, b;
  g_assert_cmpint (sw_brc_ridge_fit (&s, 2.0, &w, &b, &err), ==, SW_OK);
  assert_close (w, 32.6 / 23.2, 1e-13, 0.0);
  assert_close (b, 6.2 - 3.4 * 32.6 / 23.2, 1e-13, 0.0);

  /* The summed squared error from the statistics equals the direct sum. */
  double sse, direct = 0.0;
  sw_brc_ridge_sse (&s, &w, &b, &sse);
  for (int i = 0; i < 5; i++)
    direct += pow (y[i] - w * x[i] - b, 2);
  assert_close (sse, direct, 1e-12, 0.0);
  assert_close (sw_brc_ridge_mean_prediction (&s, &w, &b, 0), 6.2, 1e-13, 0.0);
  sw_brc_stats_clear (&s);

  /* Two features, two outputs: the 2 x 2 inverse written out. */
  const double X[6][2] = { { 1, 0 }, { 0, 1 }, { 1, 1 }, { 2, 1 }, { 0, 3 }, { -1, 2 } };
  const double Y[6][2] = { { 1, -1 }, { 2, 0 }, { 2.5, 1 }, { 4, 0 }, { 5, 3 }, { 1, 1 } };
  sw_brc_stats_init (&s, 2, 2, &err);
  for (int i = 0; i < 6; i++)
    sw_brc_stats_add (&s, X[i], Y[i]);
  double mx[2] = { 0 }, my[2] = { 0 };
  for (int i = 0; i < 6; i++)
    for (int j = 0; j < 2; j++)
      {
        mx[j] += X[i][j] / 6;
        my[j] += Y[i][j] / 6;
      }
  double a11 = 0, a12 = 0, a22 = 0, r[2][2] = { { 0 } };
  for (int i = 0; i < 6; i++)
    {
      double u = X[i][0] - mx[0], v = X[i][1] - mx[1];
      a11 += u * u;
      a12 += u * v;
      a22 += v * v;
      for (int o = 0; o < 2; o++)
        {
          r[0][o] += u * (Y[i][o] - my[o]);
          r[1][o] += v * (Y[i][o] - my[o]);
        }
    }
  const double lam = 0.7;
  a11 += lam;
  a22 += lam;
  double det = a11 * a22 - a12 * a12;
  double W[2][2], B[2], wf[4], bf[2];
  for (int o = 0; o < 2; o++)
    {
      W[0][o] = (a22 * r[0][o] - a12 * r[1][o]) / det;
      W[1][o] = (a11 * r[1][o] - a12 * r[0][o]) / det;
      B[o] = my[o] - mx[0] * W[0][o] - mx[1] * W[1][o];
    }
  g_assert_cmpint (sw_brc_ridge_fit (&s, lam, wf, bf, &err), ==, SW_OK);
  for (int j = 0; j < 2; j++)
    for (int o = 0; o < 2; o++)
      assert_close (wf[j * 2 + o], W[j][o], 1e-12, 1e-14);
  for (int o = 0; o < 2; o++)
    assert_close (bf[o], B[o], 1e-12, 1e-14);

  /* Errors: lambda must be positive, the statistics finite. */
  g_assert_cmpint (sw_brc_ridge_fit (&s, 0.0, wf, bf, &err), ==, SW_ERR_INVALID);
  double bad[2] = { NAN, 0 };
  sw_brc_stats_add (&s, bad, Y[0]);
  g_assert_cmpint (sw_brc_ridge_fit (&s, lam, wf, bf, &err), ==, SW_ERR_BLOWUP);
  sw_brc_stats_clear (&s);
}

/* Statistics of 4 cues x 5 repeats with @n samples each; the features of a
 * sample are f(cue values, sample, trial). */
typedef void (*FeatureFunc) (double c1, double c2, int sample, int trial, double *x, void *data);

static SwBrcStats *
make_trials (int p, int n, FeatureFunc f, void *data)
{
  SwError err;
  SwBrcStats *t = g_new0 (SwBrcStats, 20);
  double *x = g_new (double, p);
  for (int cue = 0; cue < 4; cue++)
    for (int rep = 0; rep < 5; rep++)
      {
        SwBrcStats *s = &t[cue * 5 + rep];
        g_assert_cmpint (sw_brc_stats_init (s, p, 2, &err), ==, SW_OK);
        double y[2];
        sw_brc_cue_value (cue, &y[0], &y[1]);
        for (int k = 0; k < n; k++)
          {
            f (y[0], y[1], k, cue * 5 + rep, x, data);
            sw_brc_stats_add (s, x, y);
          }
      }
  g_free (x);
  return t;
}

static void
free_trials (SwBrcStats *t)
{
  for (int i = 0; i < 20; i++)
    sw_brc_stats_clear (&t[i]);
  g_free (t);
}

/* 50 features like the rate cells: the first two carry the cue, scaled by
 * *data, the rest are constant (the rate cells without input) or a
 * deterministic wiggle unrelated to the cue. */
static void
features_cue (double c1, double c2, int sample, int trial, double *x, void *data)
{
  double scale = *(double *) data;
  x[0] = scale * c1;
  x[1] = scale * c2;
  for (int j = 2; j < 50; j++)
    x[j] = (j % 2) ? 3.0 : 0.0;
  (void) sample;
  (void) trial;
}

static void
features_zero (double c1, double c2, int sample, int trial, double *x, void *data)
{
  (void) c1, (void) c2, (void) sample, (void) trial, (void) data;
  memset (x, 0, 50 * sizeof (double));
}

static void
features_unrelated (double c1, double c2, int sample, int trial, double *x, void *data)
{
  (void) c1, (void) c2, (void) data;
  for (int j = 0; j < 50; j++)
    x[j] = 5.0 * sin (0.37 * (j + 1) * sample + 1.3 * trial * (j + 2));
}

static void
test_score_perfect (void)
{
  SwBrcReadoutConfig cfg;
  SwBrcScore sc;
  SwError err;
  sw_brc_readout_config_default (&cfg);

  double scale = 1.0;
  const int n = 3001;
  SwBrcStats *t = make_trials (50, n, features_cue, &scale);
  g_assert_cmpint (sw_brc_score (t, 4, 5, &cfg, &sc, &err), ==, SW_OK);
  /* Centred training Gram of a cue feature: 16 n 4; the fit shrinks the
   * perfect weight 1 to S / (S + 2), so the error per sample is
   * (2 * 2 / (S + 2))^2. */
  double S = 64.0 * n;
  double expect = pow (4.0 / (S + 2.0), 2);
  g_assert_cmpint (sc.n_folds, ==, 5);
  assert_close (sc.mse, expect, 1e-4, 1e-15);
  g_assert_false (sc.is_null);
  assert_close (sc.null_mean_abs, 2.0 * S / (S + 2.0), 1e-12, 0.0);
  assert_close (sc.score, sc.mse, 0.0, 0.0);
  for (int c = 0; c < 4; c++)
    {
      double c1, c2;
      sw_brc_cue_value (c, &c1, &c2);
      assert_close (sc.mean_pred[c][0], c1 * S / (S + 2.0), 1e-12, 0.0);
      assert_close (sc.mean_pred[c][1], c2 * S / (S + 2.0), 1e-12, 0.0);
    }
  free_trials (t);
}

static void
test_score_chance (void)
{
  SwBrcReadoutConfig cfg;
  SwBrcScore sc;
  SwError err;
  sw_brc_readout_config_default (&cfg);

  /* No information: the fit predicts the training mean, 0 over balanced
   * cues, so every fold scores exactly the chance level 4 and the null
   * test adds its penalty. */
  SwBrcStats *t = make_trials (50, 400, features_zero, NULL);
  g_assert_cmpint (sw_brc_score (t, 4, 5, &cfg, &sc, &err), ==, SW_OK);
  assert_close (sc.mse, 4.0, 1e-14, 0.0);
  for (int k = 0; k < 5; k++)
    assert_close (sc.fold_mse[k], 4.0, 1e-14, 0.0);
  g_assert_true (sc.is_null);
  assert_close (sc.null_mean_abs, 0.0, 0.0, 1e-14);
  assert_close (sc.score, 1004.0, 1e-14, 0.0);
  free_trials (t);

  /* Features unrelated to the cue: no better than chance on held-out
   * repeats, and null. */
  t = make_trials (50, 400, features_unrelated, NULL);
  g_assert_cmpint (sw_brc_score (t, 4, 5, &cfg, &sc, &err), ==, SW_OK);
  g_assert_cmpfloat (sc.mse, >, 3.9);
  g_assert_true (sc.is_null);
  g_assert_cmpfloat (sc.score, >, 1000.0);
  free_trials (t);
}

static void
test_null_test (void)
{
  SwBrcReadoutConfig cfg;
  SwBrcScore sc;
  SwError err;
  sw_brc_readout_config_default (&cfg);
  const int n = 200;

  /* A cue feature of scale e has centred training Gram e^2 64 n, so the fit
   * predicts r c with r = e^2 64 n / (e^2 64 n + 2): the mean |prediction|
   * is 2 r.  r = 0.05 (0.1 < 0.2): null; r = 0.2 (0.4): not null. */
  const double rs[2] = { 0.05, 0.2 };
  for (int k = 0; k < 2; k++)
    {
      double r = rs[k];
      double scale = sqrt (2.0 * r / ((1.0 - r) * 64.0 * n));
      SwBrcStats *t = make_trials (50, n, features_cue, &scale);
      g_assert_cmpint (sw_brc_score (t, 4, 5, &cfg, &sc, &err), ==, SW_OK);
      assert_close (sc.null_mean_abs, 2.0 * r, 1e-10, 0.0);
      /* Error per output: (2 - 2 r)^2. */
      assert_close (sc.mse, pow (2.0 - 2.0 * r, 2), 1e-10, 0.0);
      g_assert_cmpint (sc.is_null, ==, k == 0);
      assert_close (sc.score, sc.mse + (k == 0 ? 1000.0 : 0.0), 1e-14, 0.0);
      free_trials (t);
    }

  /* Bad sizes are errors, not scores. */
  g_assert_cmpint (sw_brc_score (NULL, 4, 1, &cfg, &sc, &err), ==, SW_ERR_INVALID);
}

/* ------------------------------------------------------------------------ */
/* Search                                                                    */

typedef struct
{
  double target[3];
  atomic_int calls;
} Bowl;

static SwStatus
bowl_eval (void *data, int draw, const double *x, int thread, double *score, SwError *err)
{
  Bowl *b = data;
  (void) draw, (void) thread, (void) err;
  atomic_fetch_add (&b->calls, 1);
  /* Distance in the unit cube of the test's dimensions (log10 for the
   * first). */
  double u0 = (log10 (x[0]) + 3.0) / 4.0, u1 = x[1], u2 = (x[2] + 1.0) / 2.0;
  double d = pow (u0 - b->target[0], 2) + pow (u1 - b->target[1], 2) + pow (u2 - b->target[2], 2);
  *score = 10.0 * d;
  if (draw == 17)
    return SW_ERR_BLOWUP;  /* one failed candidate */
  return SW_OK;
}

static void
run_bowl (int threads, uint64_t seed, SwBrcSearch *s)
{
  const SwBrcDim dims[3] = {
    { "g", 1e-3, 10.0, 1 },
    { "p", 0.0, 1.0, 0 },
    { "v", -1.0, 1.0, 0 },
  };
  SwBrcSearchConfig cfg;
  sw_brc_search_config_default (&cfg);
  cfg.n_rounds = 5;
  cfg.n_per_round = 40;
  cfg.seed = seed;
  cfg.n_threads = threads;
  cfg.floor_score = 0.05;
  Bowl b = { { 0.8, 0.3, 0.6 } };
  atomic_init (&b.calls, 0);
  SwError err;
  g_assert_cmpint (sw_brc_search_run (dims, 3, &cfg, bowl_eval, NULL, &b, s, &err), ==, SW_OK);
  g_assert_cmpint (atomic_load (&b.calls), ==, 200);
}

static void
test_search (void)
{
  SwBrcSearch a, b, c;
  run_bowl (1, 99, &a);
  run_bowl (3, 99, &b);
  run_bowl (1, 100, &c);

  g_assert_cmpint (a.n_draws, ==, 200);
  g_assert_cmpint (a.n_rounds, ==, 5);
  g_assert_cmpint (a.n_failed, ==, 1);
  g_assert_true (isinf (a.score[17]));
  /* Identical for any thread count; another seed draws otherwise. */
  g_assert_cmpmem (a.u, 200 * 3 * sizeof (double), b.u, 200 * 3 * sizeof (double));
  g_assert_cmpmem (a.score, 200 * sizeof (double), b.score, 200 * sizeof (double));
  g_assert_cmpint (a.best, ==, b.best);
  g_assert_true (memcmp (a.u, c.u, 200 * 3 * sizeof (double)) != 0);

  /* Round 1 is uniform in the box: log-uniform g, uniform p. */
  for (int k = 0; k < 40; k++)
    {
      g_assert_cmpfloat (a.x[k * 3], >=, 1e-3);
      g_assert_cmpfloat (a.x[k * 3], <=, 10.0);
      assert_close (a.u[k * 3], (log10 (a.x[k * 3]) + 3.0) / 4.0, 1e-12, 1e-12);
    }
  g_assert_cmpint (a.round_selected[0], ==, 0);

  /* The density model takes over and concentrates the draws: the last
   * round's median score is far below the uniform round's. */
  g_assert_cmpint (a.round_selected[4], >=, 5);
  double scratch[40];
  double med1 = sw_brc_quantile (a.score, 40, 0.5, scratch);
  double med5 = sw_brc_quantile (a.score + 160, 40, 0.5, scratch);
  g_assert_cmpfloat (med5, <, 0.25 * med1);
  g_assert_cmpfloat (a.score[a.best], <, 0.05);
  for (int k = 0; k < 200 * 3; k++)
    {
      g_assert_cmpfloat (a.u[k], >=, 0.0);
      g_assert_cmpfloat (a.u[k], <=, 1.0);
    }

  sw_brc_search_clear (&a);
  sw_brc_search_clear (&b);
  sw_brc_search_clear (&c);
}

static void
test_quantile (void)
{
  const double v[5] = { 5, 1, 4, 2, 3 };
  double s[5];
  assert_close (sw_brc_quantile (v, 5, 0.1, s), 1.4, 1e-14, 0.0);
  assert_close (sw_brc_quantile (v, 5, 0.5, s), 3.0, 1e-14, 0.0);
  assert_close (sw_brc_quantile (v, 5, 1.0, s), 5.0, 1e-14, 0.0);
  const double w[3] = { NAN, 1, 2 };
  g_assert_true (isinf (sw_brc_quantile (w, 3, 1.0, s)));
  assert_close (sw_brc_quantile (w, 3, 0.5, s), 2.0, 1e-14, 0.0);

  SwBrcDim d = { "g", 1e-2, 10.0, 1 };
  assert_close (sw_brc_dim_from_unit (&d, 0.5), pow (10.0, -0.5), 1e-14, 0.0);
  assert_close (sw_brc_dim_to_unit (&d, 1.0), 2.0 / 3.0, 1e-14, 0.0);
}

typedef struct
{
  atomic_int hits[1000];
  atomic_int max_thread;
} ForData;

static void
for_item (void *data, int item, int thread)
{
  ForData *f = data;
  atomic_fetch_add (&f->hits[item], 1);
  int m = atomic_load (&f->max_thread);
  while (thread > m && !atomic_compare_exchange_weak (&f->max_thread, &m, thread))
    ;
}

static void
test_parallel_for (void)
{
  ForData *f = g_new0 (ForData, 1);
  g_assert_cmpint (sw_brc_parallel_for (1000, 4, for_item, f), ==, 0);
  for (int i = 0; i < 1000; i++)
    g_assert_cmpint (atomic_load (&f->hits[i]), ==, 1);
  g_assert_cmpint (atomic_load (&f->max_thread), <, 4);
  g_free (f);
}

/* ------------------------------------------------------------------------ */
/* Parameters                                                                */

static void
test_params (void)
{
  SwBrcParams p;
  SwError err;
  sw_brc_params_default (&p);
  g_assert_cmpint (sw_brc_params_check (&p, &err), ==, SW_OK);

  /* Every name addresses its own number. */
  int n = 0;
  for (const char *name; (name = sw_brc_param_name (n)) != NULL; n++)
    {
      double *slot = sw_brc_param_slot (&p, name);
      g_assert_nonnull (slot);
      for (int m = 0; m < n; m++)
        g_assert_true (sw_brc_param_slot (&p, sw_brc_param_name (m)) != slot);
    }
  g_assert_cmpint (n, ==, 2 * 11 + 3 + 12);
  g_assert_null (sw_brc_param_slot (&p, "ee_ampa_soma.x"));
  *sw_brc_param_slot (&p, "cue_e.g") = 2.5;
  g_assert_cmpfloat (p.cue_e.g_us, ==, 2.5);
  *sw_brc_param_slot (&p, "e_dend.cat") = 3e-5;
  g_assert_cmpfloat (p.e_dend.cat, ==, 3e-5);
  *sw_brc_param_slot (&p, "ie_gabaa_dend.p") = 0.45;
  g_assert_cmpfloat (p.syn[SW_BRC_IE_GABAA_DEND].p, ==, 0.45);

  /* Out of range: the message names the parameter. */
  *sw_brc_param_slot (&p, "ii_gabaa.p") = 1.2;
  g_assert_cmpint (sw_brc_params_check (&p, &err), ==, SW_ERR_INVALID);
  g_assert_nonnull (strstr (err.text, "ii_gabaa.p"));

  /* The box of the reference experiments: 6 searched types, the cue, 12
   * densities; the "all intrinsic" variant adds the three NMDA types. */
  SwBrcDim dims[SW_BRC_MAX_DIMS];
  sw_brc_params_default (&p);
  g_assert_cmpint (sw_brc_search_box (&p, dims), ==, 26);
  for (int k = 0; k < 26; k++)
    {
      g_assert_nonnull (sw_brc_param_slot (&p, dims[k].name));
      g_assert_cmpfloat (dims[k].lo, <, dims[k].hi);
    }
  p.all_intrinsic = 1;
  g_assert_cmpint (sw_brc_search_box (&p, dims), ==, 32);

  for (int c = 0; c < SW_BRC_N_CONDITIONS; c++)
    g_assert_cmpint (sw_brc_condition_from_name (sw_brc_condition_name (c)), ==, c);
  g_assert_cmpint (sw_brc_condition_from_name ("nmda"), ==, -1);
  g_assert_cmpint (sw_brc_condition_receptor (SW_BRC_COND_NMDA_DEND), ==, SW_BRC_NMDA);
  g_assert_cmpint (sw_brc_condition_site (SW_BRC_COND_NMDA_DEND), ==, SW_BRC_SITE_DEND);
  g_assert_cmpint (sw_brc_condition_receptor (SW_BRC_COND_AMPA_SOMA), ==, SW_BRC_AMPA);
  g_assert_cmpint (sw_brc_condition_site (SW_BRC_COND_AMPA_SOMA), ==, SW_BRC_SITE_SOMA);
}

/* ------------------------------------------------------------------------ */
/* Network on the cable engine                                               */

/* A small network (10 E, 5 I, 5 cue cells) and short trials, so that the
 * engine-level checks take seconds. */
static void
small_params (SwBrcParams *p)
{
  sw_brc_params_default (p);
  p->n_e = 10;
  p->n_i = 5;
  p->n_cue = 5;
  p->n_repeats = 2;
  p->proto.t_stop_ms = 300.0;
  p->cue_e = (SwBrcSyn) { 0.5, 1.0 };
  p->seed = 3;
}

static void
test_net_trial (void)
{
  SwBrcParams p;
  SwError err;
  SwBrcResult r;
  small_params (&p);
  const int nf = sw_brc_n_features (&p);
  g_assert_cmpint (nf, ==, 10);

  SwBrcStats a, b;
  sw_brc_stats_init (&a, nf, 2, &err);
  sw_brc_stats_init (&b, nf, 2, &err);
  g_assert_cmpint (sw_brc_run_trial (&p, 3, 1, NULL, &a, &r, &err), ==, SW_OK);
  /* 250 .. 300 ms every 0.25 ms. */
  g_assert_cmpfloat (a.n, ==, 201.0);
  g_assert_cmpfloat (a.sy[0], ==, 201.0 * 2.0);
  g_assert_cmpfloat (a.sy[1], ==, 201.0 * 2.0);
  /* Rate cells of even E cells get no input: they stay at their leak
   * reversal, 0 mV, exactly. */
  for (int i = 0; i < nf; i += 2)
    g_assert_cmpfloat (a.sx[i], ==, 0.0);
  /* The driven ones integrate the E cells' spikes through a +10 mV synapse:
   * between 0 and 10 mV, and above 0 when their E cell fired. */
  g_assert_cmpfloat (r.e_rate_hz + r.e_rate_cue_hz, >, 0.0);
  for (int i = 1; i < nf; i += 2)
    {
      g_assert_cmpfloat (a.sx[i] / a.n, >=, 0.0);
      g_assert_cmpfloat (a.sx[i] / a.n, <, 10.0);
    }
  /* Synapse counts follow the wiring: candidates of the 10/5 lattice kept
   * with p 0.3; cue -> E over 5 x 5 pairs with p 1. */
  g_assert_cmpint (r.n_cue_e, ==, 25);
  g_assert_cmpint (r.n_syn[SW_BRC_EE_NMDA_SOMA], ==, 0);
  g_assert_cmpint (r.n_syn[SW_BRC_EE_AMPA_SOMA], <=, sw_brc_candidates (SW_BRC_PATH_EE, 10, 5, NULL, NULL, 0));

  /* The same trial again: the same numbers. */
  g_assert_cmpint (sw_brc_run_trial (&p, 3, 1, NULL, &b, &r, &err), ==, SW_OK);
  g_assert_cmpmem (a.sx, nf * sizeof (double), b.sx, nf * sizeof (double));
  g_assert_cmpmem (a.sxx, nf * nf * sizeof (double), b.sxx, nf * nf * sizeof (double));
  /* Another repeat: other noise and initial voltages. */
  sw_brc_stats_reset (&b);
  g_assert_cmpint (sw_brc_run_trial (&p, 3, 0, NULL, &b, &r, &err), ==, SW_OK);
  g_assert_true (memcmp (a.sx, b.sx, nf * sizeof (double)) != 0);
  sw_brc_stats_clear (&a);
  sw_brc_stats_clear (&b);

  /* Bad parameters are refused before anything runs. */
  p.proto.t_stop_ms = 260.0;
  g_assert_cmpint (sw_brc_evaluate (&p, 1, NULL, &r, &err), ==, SW_ERR_INVALID);
  g_assert_nonnull (strstr (err.text, "cue window"));
}

static void
test_net_threads (void)
{
  SwBrcParams p;
  SwError err;
  SwBrcResult r1, r2;
  small_params (&p);
  /* 8 trials on 1 and on 3 threads: identical scores; each trial counted
   * once as it ends. */
  int counted = 0;
  g_assert_cmpint (sw_brc_evaluate (&p, 1, NULL, &r1, &err), ==, SW_OK);
  g_assert_cmpint (sw_brc_evaluate_counted (&p, 3, NULL, &counted, &r2, &err), ==, SW_OK);
  g_assert_cmpint (r1.n_trials, ==, 8);
  g_assert_cmpint (counted, ==, 8);
  g_assert_cmpfloat (r1.score.mse, ==, r2.score.mse);
  g_assert_cmpfloat (r1.score.score, ==, r2.score.score);
  g_assert_cmpmem (r1.score.fold_mse, sizeof r1.score.fold_mse, r2.score.fold_mse,
                   sizeof r2.score.fold_mse);
  g_assert_true (isfinite (r1.score.mse));
  g_assert_cmpfloat (r1.score.mse, >=, 0.0);

  /* Cancellation stops the trials. */
  volatile int cancel = 1;
  g_assert_cmpint (sw_brc_evaluate (&p, 2, &cancel, &r1, &err), ==, SW_ERR_CANCELLED);
}

/* Threads inside one trial: the cells of every population are split
 * between them; the statistics of the trial are the same to the bit. */
static void
test_trial_threads (void)
{
  SwBrcParams p;
  SwError err;
  SwBrcResult r1, r2;
  small_params (&p);
  const int nf = sw_brc_n_features (&p);
  SwBrcStats a, b;
  sw_brc_stats_init (&a, nf, 2, &err);
  sw_brc_stats_init (&b, nf, 2, &err);
  g_assert_cmpint (sw_brc_run_trial (&p, 2, 0, NULL, &a, &r1, &err), ==, SW_OK);
  g_assert_cmpfloat (r1.e_rate_hz + r1.e_rate_cue_hz, >, 0.0);
  for (int threads = 2; threads <= 3; threads++)
    {
      sw_brc_stats_reset (&b);
      p.trial_threads = threads;
      g_assert_cmpint (sw_brc_run_trial (&p, 2, 0, NULL, &b, &r2, &err), ==, SW_OK);
      g_assert_cmpfloat (b.n, ==, a.n);
      g_assert_cmpmem (a.sx, nf * sizeof (double), b.sx, nf * sizeof (double));
      g_assert_cmpmem (a.sxx, nf * nf * sizeof (double), b.sxx, nf * nf * sizeof (double));
      g_assert_cmpfloat (r2.e_rate_hz, ==, r1.e_rate_hz);
      g_assert_cmpfloat (r2.e_rate_cue_hz, ==, r1.e_rate_cue_hz);
      g_assert_cmpfloat (r2.i_rate_hz, ==, r1.i_rate_hz);
    }
  /* A whole evaluation with 2 threads per trial on 4 threads. */
  SwBrcResult e1, e2;
  p.trial_threads = 1;
  g_assert_cmpint (sw_brc_evaluate (&p, 1, NULL, &e1, &err), ==, SW_OK);
  p.trial_threads = 2;
  g_assert_cmpint (sw_brc_evaluate (&p, 4, NULL, &e2, &err), ==, SW_OK);
  g_assert_cmpfloat (e1.score.mse, ==, e2.score.mse);
  sw_brc_stats_clear (&a);
  sw_brc_stats_clear (&b);
}

/* Cancel inside a trial: a full-size network with 1000-ms trials, cancelled
 * a quarter of a trial's wall time after the start, returns within 0.5 s,
 * far sooner than the rest of the trial would take. */
typedef struct
{
  SwBrcParams p;
  int cancel;
  SwStatus status;
  SwError err;
  gint64 end_us;
} CancelRun;

static gpointer
cancel_run_thread (gpointer data)
{
  CancelRun *run = data;
  SwBrcResult r;
  run->status = sw_brc_evaluate (&run->p, 2, &run->cancel, &r, &run->err);
  run->end_us = g_get_monotonic_time ();
  return NULL;
}

static void
test_net_cancel_in_trial (void)
{
  CancelRun run = { 0 };
  SwBrcStats stats;
  SwBrcResult info;
  SwError err;
  sw_brc_params_default (&run.p);
  run.p.n_repeats = 2;
  g_assert_cmpfloat (run.p.proto.t_stop_ms, ==, 1000.0);

  /* What one uninterrupted trial costs on this machine. */
  sw_brc_stats_init (&stats, sw_brc_n_features (&run.p), 2, &err);
  g_assert_cmpint (sw_brc_run_trial (&run.p, 0, 0, NULL, &stats, &info, &err), ==, SW_OK);
  const double trial_s = info.trial_wall_s;
  g_test_message ("one 1000-ms trial: %.3f s", trial_s);
  if (!(0.75 * trial_s > 0.5))
    {
      sw_brc_stats_clear (&stats);
      g_test_skip ("a trial takes too little time here to tell a prompt cancel");
      return;
    }

  /* A trial that was already cancelled leaves the statistics alone. */
  const double n_before = stats.n;
  int set = 1;
  g_assert_cmpint (sw_brc_run_trial (&run.p, 0, 1, &set, &stats, &info, &err), ==,
                   SW_ERR_CANCELLED);
  g_assert_cmpfloat (stats.n, ==, n_before);
  sw_brc_stats_clear (&stats);

  GThread *thread = g_thread_new ("brc-cancel", cancel_run_thread, &run);
  g_usleep ((gulong) (0.25 * trial_s * G_USEC_PER_SEC));
  gint64 t_cancel = g_get_monotonic_time ();
  g_atomic_int_set (&run.cancel, 1);
  g_thread_join (thread);
  double latency_s = (run.end_us - t_cancel) * 1e-6;
  g_test_message ("cancel to return: %.4f s (a trial takes %.3f s)", latency_s, trial_s);
  g_assert_cmpint (run.status, ==, SW_ERR_CANCELLED);
  g_assert_cmpfloat (latency_s, >=, 0.0);
  g_assert_cmpfloat (latency_s, <, 0.5);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cable/brc/candidates/counts", test_candidate_counts);
  g_test_add_func ("/cable/brc/candidates/examples", test_candidate_examples);
  g_test_add_func ("/cable/brc/wiring/keep", test_keep);
  g_test_add_func ("/cable/brc/wiring/random-input", test_random_input);
  g_test_add_func ("/cable/brc/stim/protocol", test_protocol);
  g_test_add_func ("/cable/brc/stim/cue", test_cue);
  g_test_add_func ("/cable/brc/stim/initial-voltages", test_initial_voltages);
  g_test_add_func ("/cable/brc/readout/ridge-closed-form", test_ridge_closed_form);
  g_test_add_func ("/cable/brc/readout/score-perfect", test_score_perfect);
  g_test_add_func ("/cable/brc/readout/score-chance", test_score_chance);
  g_test_add_func ("/cable/brc/readout/null-test", test_null_test);
  g_test_add_func ("/cable/brc/search/quantile", test_quantile);
  g_test_add_func ("/cable/brc/search/determinism", test_search);
  g_test_add_func ("/cable/brc/search/parallel-for", test_parallel_for);
  g_test_add_func ("/cable/brc/params", test_params);
  g_test_add_func ("/cable/brc/net/trial", test_net_trial);
  g_test_add_func ("/cable/brc/net/threads", test_net_threads);
  g_test_add_func ("/cable/brc/net/trial-threads", test_trial_threads);
  g_test_add_func ("/cable/brc/net/cancel-in-trial", test_net_cancel_in_trial);
  return g_test_run ();
}
