/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of transfer-function fitting (sw-tffit, async-states spec §3): the
 * inverse erfc; stage 1 exact on noise-free data (both layouts, with and
 * without the legacy flags); the two-step fit recovering a known set from
 * synthetic rates, from a perturbed start and with noise; the single-cell
 * simulator against the network engine and across thread counts; a short
 * real fit of the RS cell compared with the published sets at the input of
 * §7 item 4; the cell read from the destexhe-adex preset; bad input.
 */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "sw-document.h"
#include "sw-network.h"
#include "sw-rng.h"
#include "sw-tf.h"
#include "sw-tffit.h"


static SwTfCoeffs
builtin (const char *set, const char *cell)
{
  SwTfCoeffs k;
  SwError err = { { 0 } };
  if (sw_tf_coeffs_builtin (set, cell, &k, &err) != SW_OK)
    g_error ("%s", err.text);
  return k;
}

/* A 30 x 30 grid over 0.1-30 Hz (spec §3.2) whose rates are those of
 * @truth (0 below 1e-6 Hz), with adaptation currents cycling through 0, 30 and 60 pA so that
 * W enters the fit.  Returns the number of points. */
static int
synthetic_grid (const SwTfCoeffs *truth, const SwTfCell *cell, SwTffitPoint *pts)
{
  int n = 0;
  for (int ie = 0; ie < 30; ie++)
    for (int ii = 0; ii < 30; ii++)
      {
        double nu_e = sw_tffit_axis_value (0.1, 30, 30, ie, false);
        double nu_i = sw_tffit_axis_value (0.1, 30, 30, ii, false);
        double w = 30.0 * ((ie + ii) % 3);
        double f = sw_tf_rate (truth, cell, nu_e, nu_i, w, NULL);
        /* A simulation would see no spike below ~1e-3 Hz; rates far below
         * that (down to denormals) carry no information, only rounding. */
        pts[n++] = (SwTffitPoint) {
          .nu_e_hz = nu_e,
          .nu_i_hz = nu_i,
          .w_pa = w,
          .nu_out_hz = f > 1e-6 ? f : 0.0,
        };
      }
  return n;
}

static double
max_coeff_diff_mv (const SwTfCoeffs *a, const SwTfCoeffs *b)
{
  double d = 0;
  for (int j = 0; j < (int) a->layout; j++)
    d = fmax (d, fabs (a->p_mv[j] - b->p_mv[j]));
  return d;
}

/* Sum of (F - nu_out)^2 over the points with 0 < nu_out < 60 Hz. */
static double
sum_squares (const SwTfCoeffs *k, const SwTfCell *cell, const SwTffitPoint *pts, int n)
{
  double s = 0;
  for (int j = 0; j < n; j++)
    if (pts[j].nu_out_hz > 0 && pts[j].nu_out_hz < 60)
      {
        double d = sw_tf_rate (k, cell, pts[j].nu_e_hz, pts[j].nu_i_hz, pts[j].w_pa, NULL) - pts[j].nu_out_hz;
        s += d * d;
      }
  return s;
}

/* ------------------------------------------------------------------------ */

static void
test_erfcinv (void)
{
  /* Round trip over 300 decades and the upper half, to a few ulps of the
   * conditioning of erfc (relative error of y ~ 2 x^2 times that of x). */
  double worst = 0;
  for (double ly = -300; ly <= 0; ly += 0.25)
    {
      double y = pow (10, ly);
      double x = sw_erfcinv (y);
      worst = fmax (worst, fabs (erfc (x) - y) / y / fmax (1.0, 2 * x * x));
    }
  for (double y = 1.0; y < 2.0; y += 1.0 / 64)
    {
      double x = sw_erfcinv (y);
      worst = fmax (worst, fabs (erfc (x) - y) / y);
      g_assert_cmpfloat (fabs (x + sw_erfcinv (2.0 - y)), <=, 1e-15);
    }
  g_test_message ("worst relative round-trip error over the conditioning max(1, 2 x^2): %.3g", worst);
  g_assert_cmpfloat (worst, <, 1e-15);
  g_assert_cmpfloat (sw_erfcinv (1.0), ==, 0.0);
  g_assert_true (isinf (sw_erfcinv (0.0)) && sw_erfcinv (0.0) > 0);
  g_assert_true (isinf (sw_erfcinv (2.0)) && sw_erfcinv (2.0) < 0);
  g_assert_true (isnan (sw_erfcinv (-0.1)) && isnan (sw_erfcinv (2.1)) && isnan (sw_erfcinv (NAN)));

  /* V_eff from a rate inverts the transfer function (dV19 RS, §7 item 4). */
  SwTfCoeffs k = builtin ("dV19", "RS");
  SwTfCell cell;
  sw_tf_cell_fs_rs (&cell, false);
  SwTfMoments m;
  double f = sw_tf_rate (&k, &cell, 9.8, 21.5, 0, &m);
  double v = sw_tffit_v_eff_from_rate (&m, f);
  g_assert_cmpfloat (fabs (v - sw_tf_v_eff (&k, &cell, &m)), <, 1e-12);
  g_assert_cmpfloat (fabs (v - -46.795), <, 0.5e-3 * 46.795);
  g_assert_true (isnan (sw_tffit_v_eff_from_rate (&m, 0.0)));
  g_assert_true (isnan (sw_tffit_v_eff_from_rate (&m, 1.001 / (m.tau_v_ms * 1e-3))));
}

/* (b) Stage 1 alone is exact on noise-free data: the V_eff of every point
 * is exactly the polynomial, so the least-squares solution is the truth to
 * rounding (the grid's condition number is ~1e3). */
static void
test_stage1_exact (void)
{
  SwTfCell cell;
  sw_tf_cell_fs_rs (&cell, false);
  SwTffitPoint pts[900];
  SwTffitOptions opt;
  SwError err = { { 0 } };

  struct
  {
    const char *what;
    int layout;
    unsigned flags;
    double tau_i_ms;
  } cases[] = {
    { "dV19 RS, 10 terms", 10, 0, 5 },
    { "dV19 RS + ln term, 11 terms", 11, 0, 5 },
    /* Unequal synaptic time constants make the legacy flags matter. */
    { "10 terms, legacy tau_V and sigma_V, tau_i 7 ms", 10,
      SW_TF_LEGACY_TAU_V | SW_TF_LEGACY_SIGMA_V, 7 },
  };
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      SwTfCell cl = cell;
      cl.tau_i_ms = cases[c].tau_i_ms;
      SwTfCoeffs truth = builtin ("dV19", "RS");
      if (cases[c].layout == 11)
        {
          /* P0..P3, a ln(muG/gL) term of +0.8 mV, then the quadratic ones. */
          double p[11];
          const double *q = truth.p_mv;
          double src[11] = { q[0], q[1], q[2], q[3], 0.8, q[4], q[5], q[6], q[7], q[8], q[9] };
          for (int j = 0; j < 11; j++)
            p[j] = src[j] * 1e-3;
          g_assert_cmpint (sw_tf_coeffs_set (&truth, "with ln", p, 11, 0, &err), ==, SW_OK);
        }
      truth.flags = cases[c].flags;
      int n = synthetic_grid (&truth, &cl, pts);
      sw_tffit_options_default (&opt);
      opt.layout = (SwTfLayout) cases[c].layout;
      opt.flags = cases[c].flags;
      SwTfCoeffs got;
      double rms = -1;
      g_assert_cmpint (sw_tffit_stage1 (&cl, pts, n, &opt, &got, &rms, &err), ==, SW_OK);
      double d = max_coeff_diff_mv (&got, &truth);
      g_test_message ("%s: max |P - P_true| = %.3g mV, V_eff rms residual %.3g mV", cases[c].what, d, rms);
      g_assert_cmpfloat (d, <, 1e-8);
      g_assert_cmpfloat (rms, <, 1e-9);
      g_assert_cmpint (got.layout, ==, cases[c].layout);
      g_assert_cmpuint (got.flags, ==, cases[c].flags);
      /* The fitted set reproduces the rates through sw_tf_rate itself. */
      double mx;
      double e = sw_tffit_error (&got, &cl, pts, n, 60, false, &mx);
      g_assert_cmpfloat (e, <, 1e-9);
      g_assert_cmpfloat (mx, <, 1e-8);

      /* The wrong flags cannot fit the data exactly. */
      if (cases[c].flags != 0)
        {
          opt.flags = 0;
          g_assert_cmpint (sw_tffit_stage1 (&cl, pts, n, &opt, &got, &rms, &err), ==, SW_OK);
          g_test_message ("  fitted without the flags: rms residual %.3g mV", rms);
          g_assert_cmpfloat (rms, >, 1e-3);
        }
    }
}

/* (a) The two-step fit recovers the set the rates were generated from: from
 * stage 1 (exact), from a perturbed start (stage 2 alone must walk back),
 * and with noise on the rates (the error is then the noise's). */
static void
test_two_step_synthetic (void)
{
  SwTfCell cell;
  sw_tf_cell_fs_rs (&cell, false);
  SwTfCoeffs truth = builtin ("dV19", "RS");
  truth.flags = 0;
  SwTffitPoint pts[900];
  int n = synthetic_grid (&truth, &cell, pts);
  SwTffitOptions opt;
  sw_tffit_options_default (&opt);
  SwTffitResult r;
  SwError err = { { 0 } };

  g_assert_cmpint (sw_tffit_fit (&cell, pts, n, &opt, &r, &err), ==, SW_OK);
  g_test_message ("noise-free: %d of %d points kept (%d silent, %d saturated); error %.3g Hz, "
                  "max |dP| %.3g mV, %d iterations",
                  r.n_kept, r.n_points, r.n_silent, r.n_saturated, r.error_hz,
                  max_coeff_diff_mv (&r.coeffs, &truth), r.iterations);
  g_assert_cmpint (r.n_kept, >, 100);
  g_assert_cmpint (r.n_kept + r.n_silent + r.n_saturated, ==, n);
  g_assert_cmpfloat (max_coeff_diff_mv (&r.coeffs, &truth), <, 1e-7);
  g_assert_cmpfloat (r.error_hz, <, 1e-8);
  g_assert_cmpfloat (r.stage1_error_hz, <, 1e-8);
  g_assert_true (r.converged);

  /* Stage 2 from a start 0.3 mV + 5 % off in every coefficient: V_eff
   * errors of several mV, rate errors of several Hz. */
  SwTfCoeffs start = truth;
  for (int j = 0; j < 10; j++)
    start.p_mv[j] += (j % 2 ? 1 : -1) * (0.3 + 0.05 * fabs (truth.p_mv[j]));
  double e0 = sw_tffit_error (&start, &cell, pts, n, 60, false, NULL);
  SwTfCoeffs got;
  int it = 0;
  bool conv = false;
  g_assert_cmpint (sw_tffit_stage2 (&cell, pts, n, &opt, &start, &got, &it, &conv, &err), ==, SW_OK);
  double e1 = sw_tffit_error (&got, &cell, pts, n, 60, false, NULL);
  g_test_message ("stage 2 from a perturbed start: error %.3g -> %.3g Hz in %d iterations, max |dP| %.3g mV",
                  e0, e1, it, max_coeff_diff_mv (&got, &truth));
  g_assert_cmpfloat (e0, >, 1.0);
  g_assert_true (conv);
  g_assert_cmpfloat (e1, <, 1e-7);
  g_assert_cmpfloat (max_coeff_diff_mv (&got, &truth), <, 1e-5);

  /* Noise: rates multiplied by (1 + 0.02 g), g standard normal, about the
   * scatter of a 10 s estimate of a 30 Hz rate.  The fit cannot beat the
   * noise (error ~ its mean absolute value) but must not add to it, and
   * must stay close to the truth where the asynchronous state lives (§7
   * item 4 input: 5.750 Hz; 1 % noise gives -1.3 %, 2 % -2.6 %, 5 % -7.6 %
   * with this realisation).  The coefficients themselves move by mV: the
   * regressors are nearly collinear over the kept region, so sets are
   * compared through their rates, not coefficient by coefficient. */
  double noise_abs = 0;
  int n_noisy = 0;
  for (int k = 0; k < n; k++)
    {
      SwRand4 u = sw_philox (7, 1, (uint32_t) k, 0);
      double g = sw_normal (sw_u01 (u.v[0]), sw_u01 (u.v[1]));
      double clean = pts[k].nu_out_hz;
      pts[k].nu_out_hz = fmax (clean * (1 + 0.02 * g), 0.0);
      if (clean > 0 && clean < 60)
        {
          noise_abs += fabs (pts[k].nu_out_hz - clean);
          n_noisy++;
        }
    }
  noise_abs /= n_noisy;
  g_assert_cmpint (sw_tffit_fit (&cell, pts, n, &opt, &r, &err), ==, SW_OK);
  double f = sw_tf_rate (&r.coeffs, &cell, 9.8, 21.5, 0, NULL);
  g_test_message ("2 %% noise: mean |noise| %.3f Hz, fit error %.3f Hz (stage 1 %.3f), max |dP| %.3g mV, "
                  "F(9.8, 21.5) = %.3f Hz (truth 5.750)",
                  noise_abs, r.error_hz, r.stage1_error_hz, max_coeff_diff_mv (&r.coeffs, &truth), f);
  /* Stage 2 minimises the squared error, so it lowers that (not
   * necessarily the mean absolute one) below stage 1's. */
  double ss1 = sum_squares (&r.stage1, &cell, pts, n), ss2 = sum_squares (&r.coeffs, &cell, pts, n);
  g_test_message ("  sum of squares: stage 1 %.2f, stage 2 %.2f Hz^2", ss1, ss2);
  g_assert_cmpfloat (ss2, <=, ss1);
  g_assert_cmpfloat (r.error_hz, <, 1.1 * noise_abs);
  g_assert_cmpfloat (fabs (f / 5.750 - 1), <, 0.05);
}

/* ------------------------------------------------------------------------ */
/* The single-cell simulator                                                 */

static void
set_param (SwPopSpec *pop, const char *name, double value)
{
  int k = sw_param_find (pop->type->params, pop->type->n_params, name);
  g_assert_cmpint (k, >=, 0);
  pop->params[k] = value;
}

/* The simulator integrates the same cell as the network engine: 400
 * unconnected RS cells (b = 30 pA) under independent Poisson stimuli
 * (K_E 400 at 9.8 Hz, 1.5 nS; K_I 100 at 21.5 Hz, 5 nS) versus 40 runs of
 * the simulator.  Rates and mean w agree within 4 standard errors. */
static void
test_against_network (void)
{
  const int n = 400;
  const double warm_ms = 1500, meas_ms = 4000;
  SwNetSpec *spec = sw_net_spec_new ();
  SwPopSpec *p = sw_net_spec_add_pop (spec, "E", SW_POP_NEURONS, n);
  sw_pop_spec_set_type (p, &sw_adex_cond_type);
  set_param (p, "E_L", -64);
  set_param (p, "Delta_T", 2);
  set_param (p, "b", 30);
  set_param (p, "tau_w", 500);
  const struct
  {
    int sources, receptor;
    double rate, weight;
  } in[2] = { { 400, 0, 9.8, 1.5 }, { 100, 1, 21.5, 5.0 } };
  for (int k = 0; k < 2; k++)
    {
      SwStimSpec *s = sw_net_spec_add_stim (spec, k ? "inh" : "exc", SW_STIM_POISSON, 0);
      s->n_sources = in[k].sources;
      s->receptor = in[k].receptor;
      s->weight = in[k].weight;
      s->n_profile = 1;
      s->profile[0] = (SwWaveform) { .kind = SW_WAVE_CONSTANT, .amplitude = in[k].rate };
    }
  spec->threads = 1;
  SwNetwork *net = NULL;
  SwError err = { { 0 } };
  g_assert_cmpint (sw_network_new (spec, 0, &net, &err), ==, SW_OK);
  g_assert_cmpint (sw_network_run (net, (uint64_t) (warm_ms / 0.1), NULL, &err), ==, SW_OK);
  uint64_t c0 = sw_network_spike_count (net, 0);
  /* The ensemble mean of w, sampled every 100 ms over the measured part. */
  double w_net = 0;
  int n_w = 0;
  for (int chunk = 0; chunk < (int) (meas_ms / 100); chunk++)
    {
      g_assert_cmpint (sw_network_run (net, 1000, NULL, &err), ==, SW_OK);
      const double *w = sw_network_state (net, 0, "w");
      for (int i = 0; i < n; i++)
        w_net += w[i];
      n_w += n;
    }
  w_net /= n_w;
  double rate_net = (sw_network_spike_count (net, 0) - c0) / (n * meas_ms * 1e-3);
  sw_network_free (net);
  sw_net_spec_free (spec);

  SwTffitCell cell;
  sw_tffit_cell_fs_rs (&cell, false);
  cell.b_pa = 30;
  const int runs = 40;
  double sum = 0, sum2 = 0, w_sim = 0;
  for (int s = 0; s < runs; s++)
    {
      int64_t spikes;
      double w_mean;
      g_assert_cmpint (sw_tffit_run_cell (&cell, 9.8, 21.5, 0.1, (int64_t) (warm_ms / 0.1), (int64_t) (meas_ms / 0.1),
                                          3, (uint32_t) s, 0, NULL, &spikes, &w_mean, &err),
                       ==, SW_OK);
      double r = spikes / (meas_ms * 1e-3);
      sum += r;
      sum2 += r * r;
      w_sim += w_mean / runs;
    }
  double rate_sim = sum / runs;
  double sd = sqrt ((sum2 - runs * rate_sim * rate_sim) / (runs - 1));
  /* Standard errors: the simulator's from its runs; the network's from
   * the same per-cell spread over its 400 cells. */
  double se = sqrt (sd * sd / runs + sd * sd / n);
  g_test_message ("RS b = 30 pA at (9.8, 21.5) Hz: network %.3f Hz, w %.2f pA; simulator %.3f Hz "
                  "(SE of the difference %.3f), w %.2f pA",
                  rate_net, w_net, rate_sim, se, w_sim);
  g_assert_cmpfloat (fabs (rate_net - rate_sim), <, 4 * se);
  /* w ~ b nu tau_w: its relative error follows the rate's. */
  g_assert_cmpfloat (fabs (w_net - w_sim), <, 4 * se / rate_sim * w_sim + 1.0);
  g_assert_cmpfloat (fabs (w_sim - 30 * rate_sim * 0.5), <, 0.05 * w_sim);
}

static void
test_simulate (void)
{
  SwTffitCell cell;
  sw_tffit_cell_fs_rs (&cell, true);
  SwTffitGrid g;
  sw_tffit_grid_default (&g);
  g.n_e = 5;
  g.n_i = 4;
  g.time_ms = 300;
  g.discard_ms = 100;
  g.n_seeds = 3;
  SwTffitPoint a[20], b[20];
  SwError err = { { 0 } };
  g_assert_cmpint (sw_tffit_simulate (&cell, &g, 1, NULL, NULL, NULL, a, &err), ==, SW_OK);
  g_assert_cmpint (sw_tffit_simulate (&cell, &g, 3, NULL, NULL, NULL, b, &err), ==, SW_OK);
  /* Independent of the thread count, bit for bit. */
  g_assert_cmpmem (a, sizeof a, b, sizeof b);
  /* Index k = ie * n_i + ii; the axes span the range. */
  g_assert_cmpfloat (a[0].nu_e_hz, ==, 0.1);
  g_assert_cmpfloat (a[19].nu_e_hz, ==, 30);
  g_assert_cmpfloat (a[19].nu_i_hz, ==, 30);
  g_assert_cmpfloat (a[1].nu_e_hz, ==, 0.1);
  g_assert_cmpfloat (a[1].nu_i_hz, ==, sw_tffit_axis_value (0.1, 30, 4, 1, false));
  /* Strongest excitation, weakest inhibition fires most; no adaptation. */
  g_assert_cmpfloat (a[16].nu_out_hz, >, 50);
  g_assert_cmpfloat (a[0].nu_out_hz, ==, 0);
  for (int k = 0; k < 20; k++)
    g_assert_cmpfloat (a[k].w_pa, ==, 0);
  /* Rates are counts over 3 x 300 ms. */
  for (int k = 0; k < 20; k++)
    g_assert_cmpfloat (fabs (a[k].nu_out_hz * 0.9 - round (a[k].nu_out_hz * 0.9)), <, 1e-9);

  /* A log grid; silence without input. */
  g.log_spacing = true;
  g_assert_cmpint (sw_tffit_simulate (&cell, &g, 2, NULL, NULL, NULL, a, &err), ==, SW_OK);
  g_assert_cmpfloat (fabs (a[4].nu_e_hz - 0.1 * pow (300, 1.0 / 4)), <, 1e-12);
  int64_t spikes;
  double w;
  g_assert_cmpint (sw_tffit_run_cell (&cell, 0, 0, 0.1, 0, 10000, 1, 0, 0, NULL, &spikes, &w, &err), ==, SW_OK);
  g_assert_cmpint (spikes, ==, 0);

  /* A raised cancel flag stops at once. */
  atomic_int cancel;
  atomic_init (&cancel, 1);
  g_assert_cmpint (sw_tffit_simulate (&cell, &g, 2, &cancel, NULL, NULL, a, &err), ==, SW_ERR_CANCELLED);
}

/* (c) A short real fit of the RS cell (b = 0, FS-RS synapses).  The grid is
 * the spec's 0.1-30 Hz with 20 x 20 points instead of >= 30 x 30, and 2 s
 * per seed instead of 4-10 s: 1.4 CPU-seconds instead of ~10.  The price is
 * noise: 2 seeds x 2 s give a standard error of ~1 Hz per point at the
 * rates fitted, so the spec's acceptance (mean |F - nu_out| < 1 Hz) is
 * applied on top of the measured noise.  The predicted rate at the input
 * of §7 item 4 (W = 0) is compared with S25, the published fit of exactly
 * this cell (7.025 Hz; the cell itself fires 7.07 Hz there in a 100 s run),
 * within 15 %: over six seeds of this protocol it scattered between 6.6
 * and 7.4 Hz.  dV19 (5.750 Hz) was fitted for another configuration and
 * misfits this cell's data by ~3 Hz; the distance to it is reported. */
static void
test_real_rs (void)
{
  SwTffitCell cell;
  sw_tffit_cell_fs_rs (&cell, false);
  SwTffitGrid g;
  sw_tffit_grid_default (&g);
  g.n_e = g.n_i = 20;
  g.time_ms = 2000;
  SwTffitPoint pts[400];
  SwError err = { { 0 } };
  gint64 t0 = g_get_monotonic_time ();
  g_assert_cmpint (sw_tffit_simulate (&cell, &g, 0, NULL, NULL, NULL, pts, &err), ==, SW_OK);
  gint64 t1 = g_get_monotonic_time ();
  SwTffitOptions opt;
  sw_tffit_options_default (&opt);
  SwTffitResult r;
  g_assert_cmpint (sw_tffit_fit (&cell.tf, pts, 400, &opt, &r, &err), ==, SW_OK);

  SwTfCoeffs s25 = builtin ("S25", "RS"), dv19 = builtin ("dV19", "RS");
  double e_s25 = sw_tffit_error (&s25, &cell.tf, pts, 400, 60, false, NULL);
  double e_dv19 = sw_tffit_error (&dv19, &cell.tf, pts, 400, 60, false, NULL);
  double f = sw_tf_rate (&r.coeffs, &cell.tf, 9.8, 21.5, 0, NULL);
  double f_s25 = sw_tf_rate (&s25, &cell.tf, 9.8, 21.5, 0, NULL);
  double f_dv19 = sw_tf_rate (&dv19, &cell.tf, 9.8, 21.5, 0, NULL);
  g_test_message ("RS 20x20, 2 s x 2 seeds: simulated in %.2f s; %d points kept; error %.3f Hz "
                  "(stage 1 %.3f, max %.3f, noise %.3f); S25 on the same data %.3f Hz, dV19 %.3f Hz",
                  (t1 - t0) * 1e-6, r.n_kept, r.error_hz, r.stage1_error_hz, r.max_error_hz, r.noise_hz, e_s25,
                  e_dv19);
  g_test_message ("F(9.8, 21.5, 0) = %.3f Hz: S25 %.3f (%+.1f %%), dV19 %.3f (%+.1f %%)", f, f_s25,
                  100 * (f / f_s25 - 1), f_dv19, 100 * (f / f_dv19 - 1));
  g_assert_cmpint (r.n_kept, >=, 50);
  g_assert_cmpfloat (r.noise_hz, >, 0);
  g_assert_cmpfloat (r.error_hz, <, 1.0 + r.noise_hz);
  /* Fitted to these very data, the set must describe them better than
   * the published one. */
  g_assert_cmpfloat (r.error_hz, <, e_s25);
  g_assert_cmpfloat (fabs (f / f_s25 - 1), <, 0.15);
}

/* ------------------------------------------------------------------------ */

static SwNetSpec *
preset_spec (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SwDocument) doc = sw_document_load_preset (name, &error);
  g_assert_no_error (error);
  SwNetSpec *spec = sw_document_build_spec (doc, &error);
  g_assert_no_error (error);
  return spec;
}

static void
test_from_spec (void)
{
  SwNetSpec *spec = preset_spec ("destexhe-adex");
  SwTffitCell e, i, ref;
  SwError err = { { 0 } };
  g_assert_cmpint (sw_tffit_cell_from_spec (spec, false, &e, &err), ==, SW_OK);
  g_assert_cmpint (sw_tffit_cell_from_spec (spec, true, &i, &err), ==, SW_OK);
  /* The preset's cells are those of spec §1.2, with b = 30 pA in E. */
  sw_tffit_cell_fs_rs (&ref, false);
  ref.b_pa = 30;
  g_assert_cmpmem (&e, sizeof e, &ref, sizeof ref);
  sw_tffit_cell_fs_rs (&ref, true);
  g_assert_cmpmem (&i, sizeof i, &ref, sizeof ref);
  sw_net_spec_free (spec);

  /* A network without a mean field has no cell to fit. */
  spec = preset_spec ("brunel-a");
  g_assert_cmpint (sw_tffit_cell_from_spec (spec, false, &e, &err), !=, SW_OK);
  g_test_message ("brunel-a: %s", err.text);
  sw_net_spec_free (spec);
}

static void
test_errors (void)
{
  SwTffitCell cell;
  SwTffitGrid g;
  SwTffitPoint pts[16];
  SwError err = { { 0 } };
  sw_tffit_cell_fs_rs (&cell, false);

  sw_tffit_grid_default (&g);
  g.time_ms = -1;
  g_assert_cmpint (sw_tffit_simulate (&cell, &g, 1, NULL, NULL, NULL, pts, &err), ==, SW_ERR_INVALID);
  g_test_message ("%s", err.text);
  sw_tffit_grid_default (&g);
  g.n_e = 0;
  g_assert_cmpint (sw_tffit_grid_validate (&g, &err), ==, SW_ERR_INVALID);
  sw_tffit_grid_default (&g);
  g.nu_i_min_hz = 0;
  g.log_spacing = true;
  g_assert_cmpint (sw_tffit_grid_validate (&g, &err), ==, SW_ERR_INVALID);
  sw_tffit_grid_default (&g);
  g.n_seeds = 0;
  g_assert_cmpint (sw_tffit_grid_validate (&g, &err), ==, SW_ERR_INVALID);

  sw_tffit_grid_default (&g);
  cell.v_reset_mv = -20;
  g_assert_cmpint (sw_tffit_simulate (&cell, &g, 1, NULL, NULL, NULL, pts, &err), ==, SW_ERR_INVALID);
  g_test_message ("%s", err.text);
  sw_tffit_cell_fs_rs (&cell, false);
  cell.tf.c_m_pf = 0;
  g_assert_cmpint (sw_tffit_cell_validate (&cell, &err), ==, SW_ERR_INVALID);

  /* Too few firing points to fit ten coefficients. */
  sw_tffit_cell_fs_rs (&cell, false);
  for (int k = 0; k < 16; k++)
    pts[k] = (SwTffitPoint) { .nu_e_hz = 1 + k, .nu_i_hz = 5, .nu_out_hz = k < 4 ? 0 : k < 12 ? 1 + k : 500 };
  SwTffitOptions opt;
  sw_tffit_options_default (&opt);
  SwTffitResult r;
  g_assert_cmpint (sw_tffit_fit (&cell.tf, pts, 16, &opt, &r, &err), ==, SW_ERR_INVALID);
  g_test_message ("%s", err.text);
  g_assert_nonnull (strstr (err.text, "8 of 16"));
  /* Sixteen firing points at one input do not determine the surface. */
  for (int k = 0; k < 16; k++)
    pts[k] = (SwTffitPoint) { .nu_e_hz = 10, .nu_i_hz = 5, .nu_out_hz = 2 + k * 0.1 };
  g_assert_cmpint (sw_tffit_fit (&cell.tf, pts, 16, &opt, &r, &err), !=, SW_OK);
  g_test_message ("%s", err.text);
  opt.layout = 12;
  g_assert_cmpint (sw_tffit_fit (&cell.tf, pts, 16, &opt, &r, &err), ==, SW_ERR_INVALID);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/tffit/erfcinv", test_erfcinv);
  g_test_add_func ("/core/tffit/stage1-exact", test_stage1_exact);
  g_test_add_func ("/core/tffit/two-step-synthetic", test_two_step_synthetic);
  g_test_add_func ("/core/tffit/simulate", test_simulate);
  g_test_add_func ("/core/tffit/against-network", test_against_network);
  g_test_add_func ("/core/tffit/real-rs", test_real_rs);
  g_test_add_func ("/core/tffit/from-spec", test_from_spec);
  g_test_add_func ("/core/tffit/errors", test_errors);
  return g_test_run ();
}
