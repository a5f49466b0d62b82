/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the responsiveness protocol (async-states spec §5): the measures
 * on synthetic traces with known answers, the protocol's checks, the
 * stimulus added to a network, trials of a small spiking network (a
 * positive response that grows with ΔA, determinism and independence of
 * the thread count, the jackknife errors, cancellation) and the mean-field
 * pulse responses quoted by the spec.
 */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "sw-document.h"
#include "sw-meanfield.h"
#include "sw-respond.h"

/* |value - expect| <= max(rel |expect|, half a unit of the last of
 * @decimals quoted decimals). */
static void
check_quoted (const char *what, double value, double expect, double rel, int decimals)
{
  double tol = fmax (rel * fabs (expect), 0.5 * pow (10.0, -decimals));
  g_test_message ("%s: %.5g (spec %.*f, tolerance %.3g)", what, value, decimals, expect, tol);
  if (!(fabs (value - expect) <= tol))
    g_error ("%s: got %.6g, spec %.*f (tolerance %.3g)", what, value, decimals, expect, tol);
}

static void
check_close (const char *what, double value, double expect, double tol)
{
  g_test_message ("%s: %.10g (expected %.10g)", what, value, expect);
  if (!(fabs (value - expect) <= tol))
    g_error ("%s: got %.12g, expected %.12g (tolerance %.3g)", what, value, expect, tol);
}

static int
measure (const char *name)
{
  int k = sw_resp_measure_find (name);
  g_assert_cmpint (k, >=, 0);
  return k;
}

/* ------------------------------------------------------------------------ */
/* Measures on synthetic traces                                              */

static void
test_measure_table (void)
{
  int n = sw_resp_n_measures ();
  g_assert_cmpint (n, >=, 7);
  g_assert_cmpint (n, <=, SW_RESP_MAX_MEASURES);
  static const char *const names[] = { "peak", "latency", "area", "gain", "snr", "ringing", "reliability" };
  for (guint k = 0; k < G_N_ELEMENTS (names); k++)
    {
      int m = sw_resp_measure_find (names[k]);
      g_assert_cmpint (m, >=, 0);
      const SwRespMeasure *d = sw_resp_measure (m);
      g_assert_cmpstr (d->name, ==, names[k]);
      g_assert_nonnull (d->label);
      g_assert_nonnull (d->unit);
      g_assert_nonnull (d->description);
      g_assert_nonnull (d->eval);
      g_assert_true (d->needs_trials == g_str_equal (names[k], "reliability"));
    }
  g_assert_cmpint (sw_resp_measure_find ("R_peek"), ==, -1);
  g_assert_cmpint (sw_resp_measure_find (NULL), ==, -1);
  g_assert_null (sw_resp_measure (-1));
  g_assert_null (sw_resp_measure (n));
}

/* A trace of 800 1-ms bins from -500 ms: a 50 ms plateau of 8 Hz with a
 * 12 Hz bin at 25 ms, an undershoot of -3 Hz over 100-110 ms, and
 * distractors outside the windows (a 30 Hz bin in the baseline, a 40 Hz bin
 * at 300 ms, just past the peak window; -9 Hz at 250 ms, inside the peak
 * window but outside the area window). */
static void
test_measures_synthetic (void)
{
  enum { N = 800, T = 4 };
  static double r[N], trial[T][N];
  const double *rows[T];
  for (int k = 0; k < N; k++)
    {
      double t = -500.0 + k;
      r[k] = (t >= 0 && t < 50) ? 8.0 : 0.0;
      if (t == 25)
        r[k] = 12.0;
      if (t >= 100 && t < 110)
        r[k] = -3.0;
      if (t == -400)
        r[k] = 30.0;
      if (t == 300)
        r[k] = 40.0;
      if (t == 250)
        r[k] = -1.0;
    }
  /* Trials: mean responses over 0-100 ms of 5, 3.5, 2.9 and -1 Hz against a
   * threshold of 2 SD = 3 Hz: two of four exceed it. */
  const double level[T] = { 5.0, 3.5, 2.9, -1.0 };
  for (int t = 0; t < T; t++)
    {
      for (int k = 0; k < N; k++)
        trial[t][k] = (k >= 500 && k < 600) ? level[t] : 100.0;  /* outside the window: ignored */
      rows[t] = trial[t];
    }
  SwRespProtocol p;
  sw_resp_protocol_default (&p);
  SwRespTrace tr = {
    .t0_ms = -500,
    .bin_ms = 1,
    .n_bins = N,
    .r_hz = r,
    .spont_sd_hz = 1.5,
    .trial_r_hz = rows,
    .n_trials = T,
  };
  double v[SW_RESP_MAX_MEASURES];
  sw_resp_evaluate (&tr, &p, v);
  check_close ("peak", v[measure ("peak")], 12.0, 0);
  check_close ("latency", v[measure ("latency")], 25.5, 1e-12);
  /* 49 bins of 8 Hz, one of 12 Hz, ten of -3 Hz, 1 ms each. */
  double area = (49 * 8.0 + 12.0 - 30.0) * 1e-3;
  check_close ("area", v[measure ("area")], area, 1e-12);
  check_close ("gain", v[measure ("gain")], area / 2.0, 1e-12);
  check_close ("snr", v[measure ("snr")], 8.0, 1e-12);
  check_close ("ringing", v[measure ("ringing")], 3.0 / 12.0, 1e-12);
  check_close ("reliability", v[measure ("reliability")], 0.5, 0);

  /* A response that never falls below baseline does not ring; a flat one
   * has no peak to divide by. */
  for (int k = 0; k < N; k++)
    if (r[k] < 0)
      r[k] = 0.5;
  sw_resp_evaluate (&tr, &p, v);
  check_close ("ringing without undershoot", v[measure ("ringing")], 0.0, 0);
  for (int k = 0; k < N; k++)
    r[k] = 0.0;
  sw_resp_evaluate (&tr, &p, v);
  check_close ("flat peak", v[measure ("peak")], 0.0, 0);
  g_assert_true (isnan (v[measure ("ringing")]));
  check_close ("flat area", v[measure ("area")], 0.0, 0);

  /* Without trials or a spontaneous SD, the statistics that need them are
   * NAN; with ΔA = 0 the gain is. */
  tr.trial_r_hz = NULL;
  tr.n_trials = 0;
  tr.spont_sd_hz = NAN;
  p.amplitude_hz = 0;
  sw_resp_evaluate (&tr, &p, v);
  g_assert_true (isnan (v[measure ("reliability")]));
  g_assert_true (isnan (v[measure ("snr")]));
  g_assert_true (isnan (v[measure ("gain")]));

  /* Bins of 0.5 ms from -10 ms: a triangle of height 10 Hz on 2-22 ms
   * sampled at the bin starts, peaking in the bin that starts at 12 ms; its
   * bins sum to the exact area, 10 Hz x 20 ms / 2 = 0.1 Hz s. */
  static double tri[100];
  double sum = 0;
  for (int k = 0; k < 100; k++)
    {
      double t = -10 + 0.5 * k;
      tri[k] = t >= 0 ? fmax (0.0, 10.0 - fabs (t - 12.0)) : 0.0;
      if (t < 30)
        sum += tri[k];
    }
  sw_resp_protocol_default (&p);
  p.peak_to_ms = 40;
  p.area_to_ms = 30;
  SwRespTrace t2 = { .t0_ms = -10, .bin_ms = 0.5, .n_bins = 100, .r_hz = tri, .spont_sd_hz = 2 };
  sw_resp_evaluate (&t2, &p, v);
  check_close ("triangle peak", v[measure ("peak")], 10.0, 0);
  check_close ("triangle latency", v[measure ("latency")], 12.25, 1e-12);
  check_close ("triangle area", v[measure ("area")], sum * 0.5e-3, 1e-12);
  check_close ("triangle area (analytic)", v[measure ("area")], 0.1, 1e-12);
  check_close ("triangle snr", v[measure ("snr")], 5.0, 1e-12);
}

/* ------------------------------------------------------------------------ */
/* Protocol and stimulus                                                     */

static void
test_protocol (void)
{
  SwRespProtocol p;
  SwError err = { { 0 } };
  sw_resp_protocol_default (&p);
  g_assert_cmpint (sw_resp_protocol_validate (&p, &err), ==, SW_OK);
  g_assert_cmpfloat (sw_resp_onset_ms (&p), ==, 1500.0);
  g_assert_cmpfloat (p.amplitude_hz, ==, 2.0);
  g_assert_cmpint (p.n_trials, ==, 20);

  SwWaveform w;
  sw_resp_stimulus_waveform (&p, &w);
  g_assert_cmpfloat (sw_waveform_eval (&w, 1499.9), ==, 0.0);
  g_assert_cmpfloat (sw_waveform_eval (&w, 1500.0), ==, 2.0);
  g_assert_cmpfloat (sw_waveform_eval (&w, 1549.9), ==, 2.0);
  g_assert_cmpfloat (sw_waveform_eval (&w, 1550.0), ==, 0.0);
  p.waveform = SW_WAVE_DOUBLE_GAUSSIAN;
  sw_resp_stimulus_waveform (&p, &w);
  g_assert_cmpfloat (sw_waveform_eval (&w, 1500 + 3 * p.tau1_ms), ==, 2.0);
  g_assert_cmpfloat (sw_waveform_eval (&w, 1500), <, 0.025);

  SwRespProtocol q;
#define EXPECT_BAD(stmt, fragment)                                                                         \
  do                                                                                                       \
    {                                                                                                      \
      sw_resp_protocol_default (&q);                                                                       \
      stmt;                                                                                                \
      g_assert_cmpint (sw_resp_protocol_validate (&q, &err), ==, SW_ERR_INVALID);                          \
      g_test_message ("%s -> %s", #stmt, err.text);                                                        \
      g_assert_nonnull (strstr (err.text, fragment));                                                      \
    }                                                                                                      \
  while (0)
  EXPECT_BAD (q.amplitude_hz = -1, "amplitude");
  EXPECT_BAD (q.amplitude_hz = NAN, "amplitude");
  EXPECT_BAD (q.waveform = SW_WAVE_RAMP, "waveform");
  EXPECT_BAD (q.duration_ms = 0, "duration");
  EXPECT_BAD ((q.waveform = SW_WAVE_SINE, q.freq_hz = 0), "frequency");
  EXPECT_BAD (q.n_trials = 0, "trials");
  EXPECT_BAD (q.peak_to_ms = 400, "peak");
  EXPECT_BAD (q.baseline_to_ms = 10, "baseline");
  EXPECT_BAD (q.bin_ms = 0, "bins");
  EXPECT_BAD (q.spont_bin_ms = 2.5, "spontaneous");
  EXPECT_BAD (q.warmup_ms = 1000.5, "whole numbers");
#undef EXPECT_BAD
}

static SwNetSpec *
preset_spec (const char *name, char **sets)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SwDocument) doc = sw_document_load_preset (name, &error);
  g_assert_no_error (error);
  for (int k = 0; sets != NULL && sets[k] != NULL; k++)
    {
      char *eq = strchr (sets[k], '=');
      g_autofree char *key = g_strndup (sets[k], eq - sets[k]);
      sw_document_set (doc, key, eq + 1, &error);
      g_assert_no_error (error);
    }
  SwNetSpec *spec = sw_document_build_spec (doc, &error);
  g_assert_no_error (error);
  return spec;
}

static void
test_stimulus (void)
{
  SwNetSpec *spec = preset_spec ("destexhe-adex", NULL);
  SwRespProtocol p;
  sw_resp_protocol_default (&p);
  SwError err = { { 0 } };
  int n = -1, before = spec->n_stims;
  g_assert_cmpint (sw_resp_add_stimulus (spec, &p, &n, &err), ==, SW_OK);
  g_assert_cmpint (n, ==, 1);
  g_assert_cmpint (spec->n_stims, ==, before + 1);
  const SwStimSpec *st = &spec->stims[spec->n_stims - 1];
  int e = sw_net_spec_find_pop (spec, "E"), i = sw_net_spec_find_pop (spec, "I");
  /* K_ext = p N_ext = 0.05 x 8000 extra trains of ΔA per E cell, with the
   * external weight Q_e = 1.5 nS on the excitatory receptor. */
  g_assert_cmpint (st->kind, ==, SW_STIM_POISSON);
  g_assert_cmpint (st->target, ==, e);
  g_assert_cmpint (st->n_sources, ==, 400);
  g_assert_cmpfloat (fabs (st->weight - 1.5), <, 1e-12);
  g_assert_cmpint (st->receptor, ==, spec->projs[4].receptor);
  g_assert_cmpint (st->count, ==, -1);
  g_assert_cmpfloat (sw_waveform_sum (st->profile, st->n_profile, 1520), ==, 2.0);
  g_assert_cmpint (sw_net_spec_validate (spec, &err), ==, SW_OK);
  sw_net_spec_free (spec);

  spec = preset_spec ("destexhe-adex", NULL);
  p.onto = SW_RESP_ONTO_EI;
  g_assert_cmpint (sw_resp_add_stimulus (spec, &p, &n, &err), ==, SW_OK);
  g_assert_cmpint (n, ==, 2);
  g_assert_cmpint (spec->stims[spec->n_stims - 1].target, ==, i);
  sw_net_spec_free (spec);

  /* Brunel's model A drives its neurons through stimuli, not a source
   * population: refused, and the spec is untouched. */
  spec = preset_spec ("brunel-a", NULL);
  before = spec->n_stims;
  g_assert_cmpint (sw_resp_add_stimulus (spec, &p, &n, &err), ==, SW_ERR_NOT_FOUND);
  g_test_message ("brunel-a: %s", err.text);
  g_assert_nonnull (strstr (err.text, "Poisson"));
  g_assert_cmpint (spec->n_stims, ==, before);
  sw_net_spec_free (spec);
}

/* ------------------------------------------------------------------------ */
/* Trials of a small spiking network                                         */

/* The FS-RS network of spec §1.2 shrunk tenfold (800 E, 200 I, 800 sources)
 * with p = 0.25 instead of 0.05, so that the in-degrees are half the full
 * network's (200 / 50 / 200); b = 0.  It runs a 1.8 s trial in about 0.1 s
 * and fires asynchronously at ~10 Hz, which is all these checks need (the
 * §5 reference numbers need the full network: see the README). */
static SwNetSpec *
small_spec (void)
{
  static const char *const sets[] = {
    "E.n=800", "I.n=200", "ext.n=800", "EE.p=0.25", "EI.p=0.25", "IE.p=0.25", "II.p=0.25",
    "extE.p=0.25", "extI.p=0.25", "b=0", "nu_ext=4", NULL,
  };
  return preset_spec ("destexhe-adex", (char **) sets);
}

static SwRespNetResult *
run_small (const SwNetSpec *spec, double amplitude, int trials, int threads)
{
  SwRespProtocol p;
  sw_resp_protocol_default (&p);
  p.amplitude_hz = amplitude;
  p.n_trials = trials;
  SwRespNetResult *r = NULL;
  SwError err = { { 0 } };
  SwStatus s = sw_resp_run_network (spec, &p, threads, 0, NULL, NULL, NULL, &r, &err);
  if (s != SW_OK)
    g_error ("respond: %s", err.text);
  g_test_message ("dA %g Hz, %d trials on %d threads: baseline %.2f Hz, SD %.2f Hz, peak %.2f +- %.2f Hz at "
                  "%.1f ms, area %.4f +- %.4f Hz s, SNR %.2f, ringing %.2f, reliability %.2f +- %.2f (%.2f s)",
                  amplitude, trials, r->threads, r->baseline_hz, r->spont_sd_hz, r->value[measure ("peak")],
                  r->sem[measure ("peak")], r->value[measure ("latency")], r->value[measure ("area")],
                  r->sem[measure ("area")], r->value[measure ("snr")], r->value[measure ("ringing")],
                  r->value[measure ("reliability")], r->sem[measure ("reliability")], r->seconds);
  return r;
}

static int progress_calls, progress_last;

static void
on_progress (void *data, int done, int total)
{
  (void) data;
  g_assert_cmpint (done, ==, progress_last + 1);
  g_assert_cmpint (total, ==, 4);
  g_assert_cmpint (done, <=, total);
  progress_last = done;
  progress_calls++;
}

static void
test_network_trials (void)
{
  SwNetSpec *spec = small_spec ();

  /* A positive response that grows with ΔA; none without a stimulus. */
  const double amps[3] = { 1, 2, 4 };
  double area[3], peak[3];
  for (int q = 0; q < 3; q++)
    {
      SwRespNetResult *r = run_small (spec, amps[q], 4, 2);
      peak[q] = r->value[measure ("peak")];
      area[q] = r->value[measure ("area")];
      g_assert_cmpfloat (r->baseline_hz, >, 2.0);
      g_assert_cmpfloat (r->baseline_hz, <, 30.0);
      g_assert_cmpfloat (area[q], >, 3 * r->sem[measure ("area")]);
      g_assert_cmpfloat (peak[q], >, 3 * r->sem[measure ("peak")]);
      g_assert_cmpfloat (r->value[measure ("latency")], >, 0);
      g_assert_cmpfloat (r->value[measure ("latency")], <, 100);
      double rel = r->value[measure ("reliability")];
      g_assert_cmpfloat (rel, >=, 0);
      g_assert_cmpfloat (rel, <=, 1);
      sw_resp_net_result_free (r);
    }
  g_assert_cmpfloat (area[0], >, 0);
  g_assert_cmpfloat (area[1], >, 1.4 * area[0]);
  g_assert_cmpfloat (area[2], >, 1.4 * area[1]);
  g_assert_cmpfloat (peak[2], >, peak[1]);
  g_assert_cmpfloat (peak[1], >, peak[0]);

  SwRespNetResult *zero = run_small (spec, 0, 4, 2);
  g_assert_cmpfloat (fabs (zero->value[measure ("area")]), <, 0.25 * area[0]);
  g_assert_true (isnan (zero->value[measure ("gain")]));
  sw_resp_net_result_free (zero);

  /* Deterministic for a seed, whatever the number of threads: 1 (one
   * network at a time), 3 (three networks of one thread at once) or, for
   * a single trial, 2 (one network of two threads).  Trial k is seed + k,
   * so the first trial of a four-trial run is a one-trial run. */
  progress_calls = progress_last = 0;
  SwRespProtocol p;
  sw_resp_protocol_default (&p);
  p.n_trials = 4;
  SwRespNetResult *a = NULL, *b = run_small (spec, 2, 4, 3), *c = run_small (spec, 2, 1, 2);
  SwError err = { { 0 } };
  g_assert_cmpint (sw_resp_run_network (spec, &p, 1, 0, NULL, on_progress, NULL, &a, &err), ==, SW_OK);
  g_assert_cmpint (progress_calls, ==, 4);
  g_assert_cmpint (a->threads, ==, 1);
  g_assert_cmpint (b->threads, ==, 3);
  g_assert_cmpint (c->threads, ==, 1);
  g_assert_cmpint (a->n_bins, ==, b->n_bins);
  g_assert_cmpmem (a->trial_r_hz, sizeof (double) * a->n_bins * 4, b->trial_r_hz, sizeof (double) * b->n_bins * 4);
  g_assert_cmpmem (a->value, sizeof a->value, b->value, sizeof b->value);
  g_assert_cmpmem (a->sem, sizeof a->sem, b->sem, sizeof b->sem);
  g_assert_cmpmem (a->trial_r_hz, sizeof (double) * a->n_bins, c->trial_r_hz, sizeof (double) * c->n_bins);
  g_assert_true (isnan (c->sem[measure ("peak")]));
  /* Another seed gives other trials. */
  SwRespNetResult *d = NULL;
  p.n_trials = 2;
  spec->seed += 100;
  g_assert_cmpint (sw_resp_run_network (spec, &p, 2, 0, NULL, NULL, NULL, &d, &err), ==, SW_OK);
  g_assert_true (memcmp (a->trial_r_hz, d->trial_r_hz, sizeof (double) * d->n_bins) != 0);
  sw_resp_net_result_free (d);
  spec->seed -= 100;

  /* Rates, baselines and averages are consistent. */
  int lo = (int) (-a->t0_ms + p.baseline_from_ms), hi = (int) (-a->t0_ms + p.baseline_to_ms);
  for (int t = 0; t < 4; t++)
    {
      double s = 0;
      for (int k = lo; k < hi; k++)
        s += a->trial_rows[t][k];
      g_assert_cmpfloat (fabs (s / (hi - lo)), <, 1e-9);
    }
  for (int k = 0; k < a->n_bins; k += 37)
    {
      double s = 0;
      for (int t = 0; t < 4; t++)
        s += a->trial_rows[t][k];
      g_assert_cmpfloat (fabs (s / 4 - a->r_hz[k]), <, 1e-9);
    }
  sw_resp_net_result_free (a);
  sw_resp_net_result_free (b);
  sw_resp_net_result_free (c);

  /* Cancellation stops the run. */
  atomic_int cancel = 1;
  p.n_trials = 4;
  g_assert_cmpint (sw_resp_run_network (spec, &p, 2, 0, &cancel, NULL, NULL, &a, &err), ==, SW_ERR_CANCELLED);
  g_assert_null (a);

  /* A bin that is not a whole number of steps is refused. */
  p.bin_ms = 0.25;
  p.spont_bin_ms = 5;
  spec->dt_ms = 0.1;
  g_assert_cmpint (sw_resp_run_network (spec, &p, 2, 0, NULL, NULL, NULL, &a, &err), ==, SW_ERR_INVALID);
  g_test_message ("%s", err.text);
  sw_net_spec_free (spec);
}

/* ------------------------------------------------------------------------ */
/* The mean field (spec §5)                                                  */

static SwRespMfResult *
mf_response (double nu_ext, double amplitude)
{
  SwMfConfig c;
  SwError err = { { 0 } };
  sw_mf_config_default (&c);   /* S25, FS-RS, b = 0, T = 20 ms */
  c.nu_ext_hz = nu_ext;
  SwRespProtocol p;
  sw_resp_protocol_default (&p);
  p.amplitude_hz = amplitude;
  SwRespMfResult *r = NULL;
  if (sw_resp_run_mf (&c, &p, &r, &err) != SW_OK)
    g_error ("%s", err.text);
  g_test_message ("nu_ext %g Hz, dA %g Hz: %s, %s; nu_E* %.3f Hz -> %.3f Hz; peak %.3f Hz at %.1f ms (linear %.3f), "
                  "area %.4f (linear %.4f) Hz s, SD %.4f Hz, SNR %.1f, ringing %.3f; |H| %.3f at 0, %.3f at %.1f Hz",
                  nu_ext, amplitude, sw_mf_class_name (r->cls), sw_resp_mf_outcome_name (r->outcome), r->nu_e_hz,
                  r->final_nu_e_hz, r->value[measure ("peak")], r->value[measure ("latency")],
                  r->value_lin[measure ("peak")], r->value[measure ("area")], r->value_lin[measure ("area")],
                  r->spont_sd_hz, r->value[measure ("snr")], r->value[measure ("ringing")], r->h0, r->h_peak,
                  r->h_peak_freq_hz);
  return r;
}

static void
test_mf_pulse (void)
{
  /* §5 [chk]: S25, b = 0, 2 Hz x 50 ms onto E -> R_peak 23.2 / 9.2 / 4.0 Hz
   * at nu_ext = 2.5 / 10 / 25 Hz (the mean-field engineer: 23.23 / 9.15 /
   * 3.99 from 0.1 ms samples; these are 1 ms bin averages). */
  static const double nus[3] = { 2.5, 10, 25 }, peaks[3] = { 23.2, 9.2, 4.0 };
  for (int k = 0; k < 3; k++)
    {
      SwRespMfResult *r = mf_response (nus[k], 2.0);
      char what[64];
      g_snprintf (what, sizeof what, "MF R_peak at nu_ext %g Hz", nus[k]);
      check_quoted (what, r->value[measure ("peak")], peaks[k], 0.01, 1);
      g_assert_cmpint (r->outcome, ==, SW_RESP_MF_RETURNS);
      /* UD below the boundary nu_ext* ~ 19 Hz of §7 item 6, OD above. */
      g_assert_cmpint (r->cls, ==, nus[k] < 19 ? SW_MF_CLASS_UD : SW_MF_CLASS_OD);
      g_assert_cmpfloat (fabs (r->final_nu_e_hz - r->nu_e_hz), <, 0.01);
      g_assert_cmpfloat (r->spont_sd_hz, >, 0);
      g_assert_true (isnan (r->value[measure ("reliability")]));
      /* Before the onset the mean field sits at its fixed point. */
      for (int b = 0; b < 500; b++)
        g_assert_cmpfloat (fabs (r->r_hz[b]), <, 1e-9);
      /* The weakly damped UD state (zeta 0.36 at 2.5 Hz) resonates: |H|
       * peaks above its static value, near f_d = 18.4 Hz. */
      g_assert_cmpfloat (r->h_peak, >=, r->h0);
      if (k == 0)
        {
          g_assert_cmpfloat (r->h_peak, >, 1.2 * r->h0);
          g_assert_cmpfloat (fabs (r->h_peak_freq_hz - 18.4), <, 5);
        }
      sw_resp_mf_result_free (r);
    }

  /* At 0.5 Hz the pulse throws the mean field onto the high branch. */
  SwRespMfResult *r = mf_response (0.5, 2.0);
  g_assert_cmpint (r->outcome, ==, SW_RESP_MF_RUNAWAY);
  g_assert_cmpfloat (r->final_nu_e_hz, >, 100);
  sw_resp_mf_result_free (r);

  /* With adaptation (b = 60 pA, nu_ext 2.5 Hz) the pulse throws the mean
   * field onto the high branch for a while and adaptation pulls it back
   * down: still a runaway. */
  SwMfConfig ca;
  sw_mf_config_default (&ca);
  ca.b_pa = 60;
  SwRespProtocol pa;
  sw_resp_protocol_default (&pa);
  SwError erra = { { 0 } };
  g_assert_cmpint (sw_resp_run_mf (&ca, &pa, &r, &erra), ==, SW_OK);
  g_test_message ("b 60 pA, nu_ext 2.5 Hz: %s, nu_E* %.2f Hz, highest %.1f Hz, final %.2f Hz",
                  sw_resp_mf_outcome_name (r->outcome), r->nu_e_hz, r->peak_nu_e_hz, r->final_nu_e_hz);
  g_assert_cmpint (r->outcome, ==, SW_RESP_MF_RUNAWAY);
  g_assert_cmpfloat (r->peak_nu_e_hz, >, 100);
  g_assert_cmpfloat (r->final_nu_e_hz, <, 2 * r->nu_e_hz);
  sw_resp_mf_result_free (r);

  /* A small stimulus: the nonlinear response is the linear one. */
  r = mf_response (5, 0.02);
  int pk = measure ("peak"), ar = measure ("area");
  g_assert_cmpint (r->outcome, ==, SW_RESP_MF_RETURNS);
  g_assert_cmpfloat (fabs (r->value[pk] / r->value_lin[pk] - 1), <, 0.02);
  g_assert_cmpfloat (fabs (r->value[ar] / r->value_lin[ar] - 1), <, 0.02);
  for (int b = 0; b < r->n_bins; b++)
    g_assert_cmpfloat (fabs (r->r_hz[b] - r->r_lin_hz[b]), <, 0.03 * r->value_lin[pk]);
  sw_resp_mf_result_free (r);

  /* No stimulus, no response. */
  r = mf_response (5, 0);
  g_assert_cmpfloat (fabs (r->value[pk]), <, 1e-9);
  g_assert_cmpfloat (fabs (r->value_lin[pk]), <, 1e-12);
  sw_resp_mf_result_free (r);

  /* No asynchronous state (strong adaptation, weak drive): no response. */
  SwMfConfig c;
  sw_mf_config_default (&c);
  c.nu_ext_hz = 0.5;
  c.b_pa = 60;
  SwRespProtocol p;
  sw_resp_protocol_default (&p);
  SwError err = { { 0 } };
  g_assert_cmpint (sw_resp_run_mf (&c, &p, &r, &err), ==, SW_OK);
  g_test_message ("b 60 pA, nu_ext 0.5 Hz: %s, %s", sw_mf_class_name (r->cls), sw_resp_mf_outcome_name (r->outcome));
  if (r->outcome == SW_RESP_MF_NO_STATE)
    g_assert_true (isnan (r->value[pk]));
  sw_resp_mf_result_free (r);

  /* Onto E and I: inhibition is driven too, the response is smaller. */
  sw_mf_config_default (&c);
  p.onto = SW_RESP_ONTO_EI;
  g_assert_cmpint (sw_resp_run_mf (&c, &p, &r, &err), ==, SW_OK);
  g_test_message ("onto E and I at 2.5 Hz: peak %.3f Hz", r->value[pk]);
  g_assert_cmpfloat (r->value[pk], <, 23.2);
  g_assert_cmpfloat (r->value[pk], >, 0);
  sw_resp_mf_result_free (r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/respond/measure-table", test_measure_table);
  g_test_add_func ("/core/respond/measures-synthetic", test_measures_synthetic);
  g_test_add_func ("/core/respond/protocol", test_protocol);
  g_test_add_func ("/core/respond/stimulus", test_stimulus);
  g_test_add_func ("/core/respond/mf-pulse", test_mf_pulse);
  g_test_add_func ("/core/respond/network-trials", test_network_trials);
  return g_test_run ();
}
