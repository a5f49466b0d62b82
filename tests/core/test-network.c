/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the point-neuron engine: single-cell self-checks of the
 * async-states spec (§7 items 1 and 2), the diffusion theory of Brunel's
 * model A (§7 item 9, theory part), determinism across thread counts and
 * chunk lengths, conservation of spikes, Poisson input statistics, blow-up
 * detection, the memory limit and transactional parameter changes.
 */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "sw-network.h"
#include "sw-recorder.h"
#include "sw-siegert.h"

static void
set_param (SwPopSpec *pop, const char *name, double value)
{
  int k = sw_param_find (pop->type->params, pop->type->n_params, name);
  g_assert_cmpint (k, >=, 0);
  pop->params[k] = value;
}

static SwNetwork *
build (const SwNetSpec *spec)
{
  SwNetwork *net = NULL;
  SwError err = { { 0 } };
  SwStatus s = sw_network_new (spec, 0, &net, &err);
  if (s != SW_OK)
    g_error ("build failed: %s", err.text);
  return net;
}

static void
run (SwNetwork *net, uint64_t steps)
{
  SwError err = { { 0 } };
  SwStatus s = sw_network_run (net, steps, NULL, &err);
  if (s != SW_OK)
    g_error ("run failed: %s", err.text);
}

/* ------------------------------------------------------------------------ */
/* §7 item 1: rheobase I_rh = g_L (V_T - E_L - Delta_T) for a = 0.            */

static SwPopSpec *
add_rs (SwNetSpec *spec, const char *name, int n, double b)
{
  SwPopSpec *p = sw_net_spec_add_pop (spec, name, SW_POP_NEURONS, n);
  sw_pop_spec_set_type (p, &sw_adex_cond_type);
  set_param (p, "E_L", -64);
  set_param (p, "Delta_T", 2);
  set_param (p, "b", b);
  set_param (p, "tau_w", 500);
  return p;
}

static SwPopSpec *
add_fs (SwNetSpec *spec, const char *name, int n)
{
  SwPopSpec *p = sw_net_spec_add_pop (spec, name, SW_POP_NEURONS, n);
  sw_pop_spec_set_type (p, &sw_adex_cond_type);
  set_param (p, "E_L", -65);
  set_param (p, "Delta_T", 0.5);
  set_param (p, "b", 0);
  return p;
}

/* Adds one current step per neuron: neuron k gets currents[k] from t = 0. */
static void
add_currents (SwNetSpec *spec, int pop, const double *currents, int n)
{
  for (int k = 0; k < n; k++)
    {
      char name[32];
      g_snprintf (name, sizeof name, "I%d_%d", pop, k);
      SwStimSpec *s = sw_net_spec_add_stim (spec, name, SW_STIM_CURRENT, pop);
      s->first = k;
      s->count = 1;
      s->n_profile = 1;
      s->profile[0] = (SwWaveform) { .kind = SW_WAVE_CONSTANT, .amplitude = currents[k] };
    }
}

static void
test_rheobase (void)
{
  /* The analytic rheobase: RS 120 pA, FS 145 pA.  Just below it a cell
   * stays silent for 2 s; 1 % above it, it fires. */
  const double rh[2] = { 10 * (-50 - (-64) - 2), 10 * (-50 - (-65) - 0.5) };
  g_assert_cmpfloat_with_epsilon (rh[0], 120.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (rh[1], 145.0, 1e-9);

  SwNetSpec *spec = sw_net_spec_new ();
  spec->dt_ms = 0.01;
  spec->threads = 1;
  add_rs (spec, "RS", 2, 0);
  add_fs (spec, "FS", 2);
  for (int p = 0; p < 2; p++)
    {
      double cur[2] = { rh[p] * 0.995, rh[p] * 1.01 };
      add_currents (spec, p, cur, 2);
    }
  for (int p = 0; p < 2; p++)
    spec->pops[p].init[0] = (SwDist) { SW_DIST_CONSTANT, p == 0 ? -64 : -65, 0 };
  SwNetwork *net = build (spec);
  run (net, 200000);
  SwRecorder *rec = sw_network_recorder (net);
  SwSpike spikes[4096];
  size_t n = sw_recorder_drain_spikes (rec, spikes, G_N_ELEMENTS (spikes));
  int count[2][2] = { { 0 } };
  for (size_t k = 0; k < n; k++)
    count[spikes[k].pop][spikes[k].neuron]++;
  for (int p = 0; p < 2; p++)
    {
      g_assert_cmpint (count[p][0], ==, 0);
      g_assert_cmpint (count[p][1], >, 0);
    }
  sw_network_free (net);
  sw_net_spec_free (spec);
}

/* ------------------------------------------------------------------------ */
/* §7 item 2: single-cell f-I curves at dt = 0.01 ms (±1.5 Hz).              */

static void
test_fi_curve (void)
{
  static const double currents[5] = { 150, 200, 300, 400, 500 };
  /* Spec table: RS b = 0, RS b = 30 (and its first-ISI rate), RS b = 60, FS. */
  static const double expect[4][5] = {
    { 14, 26, 42, 54, 65 },
    { 2, 5, 11, 16, 22 },
    { 1, 3, 6, 9, 13 },
    { 9, 26, 47, 62, 75 },
  };
  static const double first_isi_b30[5] = { 5.8, 19.5, 37.4, 51.0, 62.1 };

  SwNetSpec *spec = sw_net_spec_new ();
  spec->dt_ms = 0.01;
  spec->threads = 2;
  add_rs (spec, "RS0", 5, 0);
  add_rs (spec, "RS30", 5, 30);
  add_rs (spec, "RS60", 5, 60);
  add_fs (spec, "FS", 5);
  for (int p = 0; p < 4; p++)
    add_currents (spec, p, currents, 5);
  SwNetwork *net = build (spec);

  /* "Steady rate over 2-3 s": spikes in [2, 3) s; the first two spikes of
   * each cell give the first ISI. */
  int count[4][5] = { { 0 } };
  double first[4][5][2];
  int seen[4][5] = { { 0 } };
  SwRecorder *rec = sw_network_recorder (net);
  SwSpike *buf = g_new (SwSpike, 1 << 16);
  for (int chunk = 0; chunk < 30; chunk++)
    {
      run (net, 10000);
      size_t n;
      while ((n = sw_recorder_drain_spikes (rec, buf, 1 << 16)) > 0)
        for (size_t k = 0; k < n; k++)
          {
            double t = buf[k].step * spec->dt_ms;
            int p = buf[k].pop, i = buf[k].neuron;
            if (seen[p][i] < 2)
              first[p][i][seen[p][i]++] = t;
            if (t >= 2000.0 && t < 3000.0)
              count[p][i]++;
          }
    }
  for (int p = 0; p < 4; p++)
    for (int i = 0; i < 5; i++)
      {
        g_test_message ("pop %d, I = %g pA: %d Hz (spec %g)", p, currents[i], count[p][i], expect[p][i]);
        g_assert_cmpfloat (fabs (count[p][i] - expect[p][i]), <=, 1.5);
      }
  for (int i = 0; i < 5; i++)
    {
      g_assert_cmpint (seen[1][i], ==, 2);
      double rate = 1000.0 / (first[1][i][1] - first[1][i][0]);
      g_test_message ("RS b=30, I = %g pA: first-ISI rate %.2f Hz (spec %g)", currents[i], rate,
                      first_isi_b30[i]);
      g_assert_cmpfloat (fabs (rate - first_isi_b30[i]), <=, 1.5);
    }
  g_free (buf);
  sw_network_free (net);
  sw_net_spec_free (spec);
}

/* ------------------------------------------------------------------------ */
/* §7 item 9, theory: Brunel model A rates from the diffusion approximation. */

static void
test_brunel_theory (void)
{
  static const struct
  {
    double g, eta, rate;
  } points[] = {
    { 3, 2, 327 }, { 6, 4, 55.8 }, { 5, 2, 37.95 }, { 4.5, 0.9, 6.5 },
  };
  for (guint k = 0; k < G_N_ELEMENTS (points); k++)
    {
      double nu = sw_brunel_rate (points[k].g, points[k].eta * 10.0, 0.1, 1000, 0.25, 20, 20, 10, 2);
      g_test_message ("g = %g, eta = %g: %.3f Hz (spec %g)", points[k].g, points[k].eta, nu, points[k].rate);
      g_assert_cmpfloat (fabs (nu - points[k].rate), <=, 0.1);
    }
  /* The integral reduces to the noiseless LIF period when sigma -> 0 and
   * mu > theta: 1/nu = t_ref + tau ln((mu - v_r)/(mu - theta)). */
  double nu = sw_lif_rate (30, 0.01, 20, 20, 10, 2);
  double exact = 1000.0 / (2 + 20 * log ((30.0 - 10) / (30.0 - 20)));
  g_assert_cmpfloat (fabs (nu - exact) / exact, <, 1e-3);
}

/* ------------------------------------------------------------------------ */
/* A small random network used by the determinism and conservation tests:   */
/* conductance AdEx E and I, a Poisson source population, delays.           */

static SwNetSpec *
small_network (int threads, int seed)
{
  SwNetSpec *spec = sw_net_spec_new ();
  spec->threads = threads;
  spec->seed = seed;
  SwPopSpec *e = add_rs (spec, "E", 800, 10);
  e->init[0] = (SwDist) { SW_DIST_UNIFORM, -70, -55 };
  SwPopSpec *i = add_fs (spec, "I", 200);
  i->inhibitory = true;
  SwPopSpec *x = sw_net_spec_add_pop (spec, "ext", SW_POP_POISSON, 800);
  x->n_rate = 1;
  x->rate[0] = (SwWaveform) { .kind = SW_WAVE_GAUSSIAN_RISE, .amplitude = 8, .t0_ms = 50, .tau1_ms = 20 };
  static const int pre[] = { 0, 0, 1, 1, 2, 2 }, post[] = { 0, 1, 0, 1, 0, 1 };
  for (int k = 0; k < 6; k++)
    {
      SwProjSpec *p = sw_net_spec_add_proj (spec, "p", pre[k], post[k]);
      p->rule = k == 3 ? SW_CONN_FIXED_INDEGREE : SW_CONN_FIXED_PROBABILITY;
      p->k = 20;
      p->p = 0.1;
      p->autapses = pre[k] != post[k];
      p->receptor = pre[k] == 1 ? 1 : 0;
      p->weight = pre[k] == 1 ? (SwDist) { SW_DIST_NORMAL_CLIPPED, 5, 1 } : (SwDist) { SW_DIST_CONSTANT, 1.5, 0 };
      p->delay_ms = k == 0 ? (SwDist) { SW_DIST_UNIFORM, 0.5, 3 } : (SwDist) { SW_DIST_CONSTANT, 1, 0 };
    }
  SwStimSpec *s = sw_net_spec_add_stim (spec, "drive", SW_STIM_POISSON, 0);
  s->n_sources = 100;
  s->receptor = 0;
  s->weight = 1.0;
  s->n_profile = 1;
  s->profile[0] = (SwWaveform) { .kind = SW_WAVE_CONSTANT, .amplitude = 2 };
  return spec;
}

typedef struct
{
  GArray *spikes;
  double v_sum;
} RunResult;

static RunResult
run_small (int threads, int chunk, int seed, int total)
{
  SwNetSpec *spec = small_network (threads, seed);
  SwNetwork *net = build (spec);
  SwRecorder *rec = sw_network_recorder (net);
  RunResult r = { g_array_new (FALSE, FALSE, sizeof (SwSpike)), 0 };
  SwSpike buf[4096];
  for (int done = 0; done < total; done += chunk)
    {
      run (net, MIN (chunk, total - done));
      size_t n;
      while ((n = sw_recorder_drain_spikes (rec, buf, G_N_ELEMENTS (buf))) > 0)
        g_array_append_vals (r.spikes, buf, n);
    }
  const double *v = sw_network_state (net, 0, "v");
  for (int k = 0; k < 800; k++)
    r.v_sum += v[k];
  g_assert_cmpuint (sw_recorder_dropped (rec), ==, 0);
  sw_network_free (net);
  sw_net_spec_free (spec);
  return r;
}

static void
assert_same (RunResult a, RunResult b)
{
  g_assert_cmpuint (a.spikes->len, ==, b.spikes->len);
  g_assert_cmpmem (a.spikes->data, a.spikes->len * sizeof (SwSpike), b.spikes->data,
                   b.spikes->len * sizeof (SwSpike));
  /* Bit-identical state, not only equal spikes. */
  g_assert_true (memcmp (&a.v_sum, &b.v_sum, sizeof (double)) == 0);
}

static void
test_determinism (void)
{
  RunResult ref = run_small (1, 2000, 7, 4000);
  g_assert_cmpuint (ref.spikes->len, >, 1000);
  RunResult two = run_small (2, 2000, 7, 4000);
  RunResult three = run_small (3, 2000, 7, 4000);
  RunResult step1 = run_small (2, 1, 7, 4000);
  RunResult odd = run_small (1, 37, 7, 4000);
  assert_same (ref, two);
  assert_same (ref, three);
  assert_same (ref, step1);
  assert_same (ref, odd);
  /* Another seed gives another run. */
  RunResult other = run_small (1, 2000, 8, 4000);
  g_assert_true (other.spikes->len != ref.spikes->len
                 || memcmp (other.spikes->data, ref.spikes->data, ref.spikes->len * sizeof (SwSpike)) != 0);
  RunResult all[] = { ref, two, three, step1, odd, other };
  for (guint k = 0; k < G_N_ELEMENTS (all); k++)
    g_array_unref (all[k].spikes);
}

static void
test_conservation (void)
{
  SwNetSpec *spec = small_network (2, 3);
  SwNetwork *net = build (spec);
  SwRecorder *rec = sw_network_recorder (net);
  uint64_t recorded[3] = { 0 }, from_bins[3] = { 0 };
  SwSpike buf[4096];
  uint32_t counts[3 * 512];
  int64_t first_bin = -1, next_bin = 0;
  for (int c = 0; c < 10; c++)
    {
      run (net, 500);
      size_t n;
      while ((n = sw_recorder_drain_spikes (rec, buf, G_N_ELEMENTS (buf))) > 0)
        for (size_t k = 0; k < n; k++)
          {
            recorded[buf[k].pop]++;
            /* Spikes come out in step order. */
            g_assert_cmpint (buf[k].step, <, (int64_t) sw_network_step_index (net));
          }
      while ((n = sw_recorder_drain_rates (rec, &first_bin, counts, 512)) > 0)
        {
          g_assert_cmpint (first_bin, ==, next_bin);
          next_bin += (int64_t) n;
          for (size_t b = 0; b < n; b++)
            for (int p = 0; p < 3; p++)
              from_bins[p] += counts[b * 3 + p];
        }
    }
  g_assert_cmpint (next_bin, ==, 500);  /* 500 ms in 1 ms bins */
  for (int p = 0; p < 3; p++)
    {
      g_assert_cmpuint (recorded[p], ==, sw_network_spike_count (net, p));
      g_assert_cmpuint (from_bins[p], ==, recorded[p]);
      g_assert_cmpuint (recorded[p], >, 0);
    }
  /* A recorded subset holds exactly the spikes of that range. */
  sw_network_reset (net);
  sw_recorder_set_spike_range (rec, 0, 100, 50);
  sw_recorder_set_spike_range (rec, 1, 0, 0);
  run (net, 5000);
  size_t n = sw_recorder_drain_spikes (rec, buf, G_N_ELEMENTS (buf));
  g_assert_cmpuint (n, >, 0);
  for (size_t k = 0; k < n; k++)
    if (buf[k].pop == 0)
      g_assert_true (buf[k].neuron >= 100 && buf[k].neuron < 150);
    else
      g_assert_cmpint (buf[k].pop, ==, 2);
  sw_network_free (net);
  sw_net_spec_free (spec);
}

/* ------------------------------------------------------------------------ */
/* Poisson input: source populations and per-target trains.                  */

static void
test_poisson_sources (void)
{
  /* 2000 sources at 20 Hz for 1 s: 40000 expected spikes, SD 200. */
  SwNetSpec *spec = sw_net_spec_new ();
  SwPopSpec *x = sw_net_spec_add_pop (spec, "src", SW_POP_POISSON, 2000);
  x->n_rate = 1;
  x->rate[0] = (SwWaveform) { .kind = SW_WAVE_CONSTANT, .amplitude = 20 };
  SwPopSpec *y = sw_net_spec_add_pop (spec, "hi", SW_POP_POISSON, 100);
  y->n_rate = 1;
  y->rate[0] = (SwWaveform) { .kind = SW_WAVE_CONSTANT, .amplitude = 900 };
  SwNetwork *net = build (spec);
  run (net, 10000);
  double mean = 2000 * 20.0, sd = sqrt (mean * (1 - 20 * 1e-4));
  double got = (double) sw_network_spike_count (net, 0);
  g_test_message ("sources: %.0f spikes, expected %.0f ± %.0f", got, mean, sd);
  g_assert_cmpfloat (fabs (got - mean), <, 3 * sd);
  /* The per-source path (high rate): 100 sources at 900 Hz. */
  double m2 = 100 * 900.0, sd2 = sqrt (m2 * (1 - 0.09));
  double got2 = (double) sw_network_spike_count (net, 1);
  g_assert_cmpfloat (fabs (got2 - m2), <, 3 * sd2);
  sw_network_free (net);
  sw_net_spec_free (spec);
}

static void
test_poisson_stimulus (void)
{
  /* Integrators that never fire: v(T) = sum of w exp(-(T - t_k)/tau).  For
   * a Poisson train of rate r: E[v] = r w tau (1 - e^{-T/tau}),
   * Var[v] = r w^2 tau/2 (1 - e^{-2T/tau}); the mean over N cells must lie
   * within 3 SD/sqrt(N) of E[v].  Means of 2 and 40 events per step test
   * both samplers. */
  static const double rates_hz[2] = { 400.0, 8000.0 };
  for (int c = 0; c < 2; c++)
    {
      SwNetSpec *spec = sw_net_spec_new ();
      spec->threads = 2;
      SwPopSpec *p = sw_net_spec_add_pop (spec, "acc", SW_POP_NEURONS, 2000);
      sw_pop_spec_set_type (p, &sw_lif_delta_type);
      set_param (p, "tau_m", 50);
      set_param (p, "V_th", 200);
      set_param (p, "V_reset", 0);
      set_param (p, "t_ref", 0);
      SwStimSpec *s = sw_net_spec_add_stim (spec, "in", SW_STIM_POISSON, 0);
      s->n_sources = 50;
      s->weight = 0.01;
      s->n_profile = 1;
      s->profile[0] = (SwWaveform) { .kind = SW_WAVE_CONSTANT, .amplitude = rates_hz[c] / 50 };
      SwNetwork *net = build (spec);
      run (net, 5000);
      const double *v = sw_network_state (net, 0, "v");
      double sum = 0;
      for (int k = 0; k < 2000; k++)
        sum += v[k];
      double r = rates_hz[c] * 1e-3, tau = 50, T = 500, dt = 0.1;
      /* Discrete steps: each step's count arrives after that step's decay. */
      double a = exp (-dt / tau);
      double mean = r * dt * 0.01 * (1 - pow (a, T / dt)) / (1 - a);
      double var = r * dt * 0.01 * 0.01 * (1 - pow (a, 2 * T / dt)) / (1 - a * a);
      double got = sum / 2000;
      g_test_message ("rate %g Hz: mean v %.5f, expected %.5f ± %.5f", rates_hz[c], got, mean,
                      sqrt (var / 2000));
      g_assert_cmpfloat (fabs (got - mean), <, 3 * sqrt (var / 2000));
      sw_network_free (net);
      sw_net_spec_free (spec);
    }
}

/* ------------------------------------------------------------------------ */
/* Connectivity rules.                                                       */

static void
test_connectivity (void)
{
  SwNetSpec *spec = sw_net_spec_new ();
  spec->threads = 2;
  for (int k = 0; k < 2; k++)
    {
      SwPopSpec *p = sw_net_spec_add_pop (spec, k ? "B" : "A", SW_POP_NEURONS, 300 + 100 * k);
      sw_pop_spec_set_type (p, &sw_lif_delta_type);
    }
  struct
  {
    SwConnRule rule;
    double p;
    int k;
    bool autapses;
    int pre, post;
    double expected;
  } cases[] = {
    { SW_CONN_ALL_TO_ALL, 0, 0, false, 0, 0, 300.0 * 299 },
    { SW_CONN_ALL_TO_ALL, 0, 0, true, 0, 1, 300.0 * 400 },
    { SW_CONN_ONE_TO_ONE, 0, 0, true, 0, 0, 300 },
    { SW_CONN_FIXED_INDEGREE, 0, 37, false, 0, 0, 300.0 * 37 },
    { SW_CONN_FIXED_OUTDEGREE, 0, 50, true, 0, 1, 300.0 * 50 },
    { SW_CONN_FIXED_INDEGREE, 0, 299, false, 0, 0, 300.0 * 299 },
    { SW_CONN_FIXED_PROBABILITY, 0.1, 0, true, 0, 1, 300.0 * 400 * 0.1 },
  };
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      SwProjSpec *pr = sw_net_spec_add_proj (spec, "p", cases[c].pre, cases[c].post);
      pr->rule = cases[c].rule;
      pr->p = cases[c].p;
      pr->k = cases[c].k;
      pr->autapses = cases[c].autapses;
      pr->weight.a = 0.0;
    }
  SwNetwork *net = build (spec);
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      double n = (double) sw_network_n_synapses (net, (int) c);
      if (cases[c].rule == SW_CONN_FIXED_PROBABILITY)
        {
          double sd = sqrt (cases[c].expected * (1 - cases[c].p));
          g_assert_cmpfloat (fabs (n - cases[c].expected), <, 4 * sd);
        }
      else
        g_assert_cmpfloat (n, ==, cases[c].expected);
    }
  sw_network_free (net);

  /* Impossible in-degree without multapses is refused with a message. */
  spec->projs[3].k = 300;
  SwError err = { { 0 } };
  g_assert_cmpint (sw_network_new (spec, 0, &net, &err), ==, SW_ERR_INVALID);
  g_assert_nonnull (strstr (err.text, "in-degree"));
  sw_net_spec_free (spec);
}

/* ------------------------------------------------------------------------ */
/* Failures: blow-ups, the memory limit, rejected parameter changes.         */

static void
test_blowup (void)
{
  /* A runaway: strong self-excitation without refractoriness. */
  SwNetSpec *spec = sw_net_spec_new ();
  spec->threads = 1;
  spec->max_rate_hz = 500;
  SwPopSpec *p = sw_net_spec_add_pop (spec, "E", SW_POP_NEURONS, 100);
  sw_pop_spec_set_type (p, &sw_lif_delta_type);
  set_param (p, "t_ref", 0);
  set_param (p, "I_e", 30);
  SwProjSpec *pr = sw_net_spec_add_proj (spec, "EE", 0, 0);
  pr->rule = SW_CONN_ALL_TO_ALL;
  pr->weight.a = 5;
  SwNetwork *net = build (spec);
  SwError err = { { 0 } };
  g_assert_cmpint (sw_network_run (net, 100000, NULL, &err), ==, SW_ERR_BLOWUP);
  g_assert_nonnull (strstr (err.text, "population E"));
  g_assert_nonnull (strstr (err.text, "t = "));
  g_assert_cmpuint (sw_network_step_index (net), <, 100000);
  sw_network_free (net);
  sw_net_spec_free (spec);

}

static void
test_nan_detected (void)
{
  /* A NaN injected into the state is caught at the next step. */
  SwNetSpec *spec = sw_net_spec_new ();
  spec->threads = 2;
  add_rs (spec, "E", 50, 0);
  SwNetwork *net = build (spec);
  run (net, 100);
  SwError err = { { 0 } };
  g_assert_cmpint (sw_network_set_state (net, 0, "w", 17, NAN, &err), ==, SW_ERR_INVALID);
  /* set_state refuses non-finite values, set_param a negative capacitance. */
  g_assert_cmpint (sw_network_set_param (net, 0, "C_m", -5, &err), ==, SW_ERR_INVALID);
  g_assert_nonnull (strstr (err.text, "C_m"));
  /* A finite but absurd membrane potential overflows within a step. */
  g_assert_cmpint (sw_network_set_state (net, 0, "v", 17, -1e308, &err), ==, SW_OK);
  SwStatus s = sw_network_run (net, 1000, NULL, &err);
  g_assert_cmpint (s, ==, SW_ERR_BLOWUP);
  g_assert_nonnull (strstr (err.text, "neuron 17"));
  sw_network_free (net);
  sw_net_spec_free (spec);
}

static void
test_memory_limit (void)
{
  SwNetSpec *spec = sw_net_spec_new ();
  SwPopSpec *p = sw_net_spec_add_pop (spec, "E", SW_POP_NEURONS, 1000000);
  sw_pop_spec_set_type (p, &sw_lif_delta_type);
  SwProjSpec *pr = sw_net_spec_add_proj (spec, "EE", 0, 0);
  pr->rule = SW_CONN_FIXED_PROBABILITY;
  pr->p = 0.5;  /* 5e11 synapses: terabytes */
  size_t est = sw_net_spec_estimate_bytes (spec);
  g_assert_cmpfloat ((double) est, >, 1e12);
  SwNetwork *net = NULL;
  SwError err = { { 0 } };
  g_assert_cmpint (sw_network_new (spec, 0, &net, &err), ==, SW_ERR_MEMORY_LIMIT);
  g_assert_null (net);
  g_assert_nonnull (strstr (err.text, "MiB"));
  g_assert_nonnull (strstr (err.text, "limit"));
  /* A small limit refuses a small network, and the estimate is sane. */
  pr->p = 0.0001;
  p->n = 10000;
  est = sw_net_spec_estimate_bytes (spec);
  g_assert_cmpint (sw_network_new (spec, est / 2, &net, &err), ==, SW_ERR_MEMORY_LIMIT);
  g_assert_cmpint (sw_network_new (spec, est * 2, &net, &err), ==, SW_OK);
  sw_network_free (net);
  sw_net_spec_free (spec);
}

static void
test_set_param (void)
{
  SwNetSpec *spec = small_network (2, 1);
  SwNetwork *net = build (spec);
  SwError err = { { 0 } };
  run (net, 3000);
  uint64_t before = sw_network_spike_count (net, 0);
  /* Rejected: out of range, unknown, and a value the model refuses
   * (V_reset above V_cut); nothing changes. */
  g_assert_cmpint (sw_network_set_param (net, 0, "tau_w", -1, &err), ==, SW_ERR_INVALID);
  g_assert_cmpint (sw_network_set_param (net, 0, "tau_x", 1, &err), ==, SW_ERR_NOT_FOUND);
  g_assert_cmpint (sw_network_set_param (net, 0, "V_reset", -20, &err), ==, SW_ERR_INVALID);
  g_assert_nonnull (strstr (err.text, "V_cut"));
  int k = sw_param_find (sw_adex_cond_type.params, sw_adex_cond_type.n_params, "V_reset");
  g_assert_cmpfloat (sw_network_spec (net)->pops[0].params[k], ==, -65);
  /* Accepted: a huge adaptation silences E from then on. */
  g_assert_cmpint (sw_network_set_param (net, 0, "b", 2000, &err), ==, SW_OK);
  g_assert_cmpint (sw_network_set_param (net, 0, "tau_w", 2000, &err), ==, SW_OK);
  run (net, 3000);
  uint64_t mid = sw_network_spike_count (net, 0) - before;
  run (net, 3000);
  uint64_t late = sw_network_spike_count (net, 0) - before - mid;
  g_test_message ("E spikes: %" G_GUINT64_FORMAT " in the first 300 ms, %" G_GUINT64_FORMAT
                  " then %" G_GUINT64_FORMAT, before, mid, late);
  g_assert_cmpuint (late, <, before / 4);
  /* Reset gives the same run as a fresh network. */
  sw_network_reset (net);
  g_assert_cmpint (sw_network_set_param (net, 0, "b", 10, &err), ==, SW_OK);
  g_assert_cmpint (sw_network_set_param (net, 0, "tau_w", 500, &err), ==, SW_OK);
  run (net, 3000);
  g_assert_cmpuint (sw_network_spike_count (net, 0), ==, before);
  sw_network_free (net);
  sw_net_spec_free (spec);
}

static void
test_apply_spec (void)
{
  /* A live change of parameters and rates gives exactly the run of a
   * network built with them from the start of the chunk on. */
  SwNetSpec *spec = small_network (2, 5);
  SwNetwork *live = build (spec);
  run (live, 1000);
  SwNetSpec *changed = sw_net_spec_copy (spec);
  int kb = sw_param_find (sw_adex_cond_type.params, sw_adex_cond_type.n_params, "b");
  changed->pops[0].params[kb] = 60;
  changed->pops[2].rate[0].amplitude = 12;
  changed->projs[0].weight.a = 2.0;
  changed->stims[0].weight = 0.5;
  SwError err = { { 0 } };
  g_assert_cmpint (sw_network_apply_spec (live, changed, &err), ==, SW_OK);
  g_assert_cmpfloat (sw_network_spec (live)->pops[0].params[kb], ==, 60);
  uint64_t before = sw_network_spike_count (live, 0);
  run (live, 2000);
  uint64_t after_b60 = sw_network_spike_count (live, 0) - before;

  /* The same change through the commands one by one. */
  SwNetwork *cmd = build (spec);
  run (cmd, 1000);
  g_assert_cmpint (sw_network_set_param (cmd, 0, "b", 60, &err), ==, SW_OK);
  g_assert_cmpint (sw_network_set_pop_rate (cmd, 2, changed->pops[2].rate, 1, &err), ==, SW_OK);
  g_assert_cmpint (sw_network_set_proj_weight (cmd, 0, 2.0, &err), ==, SW_OK);
  g_assert_cmpint (sw_network_set_stim_weight (cmd, 0, 0.5, &err), ==, SW_OK);
  run (cmd, 2000);
  g_assert_cmpuint (sw_network_spike_count (cmd, 0) - before, ==, after_b60);

  /* Structural changes are refused, named, and change nothing. */
  SwNetSpec *bigger = sw_net_spec_copy (spec);
  bigger->pops[0].n = 900;
  g_assert_cmpint (sw_network_apply_spec (live, bigger, &err), ==, SW_ERR_STRUCTURAL);
  g_assert_nonnull (strstr (err.text, "population E"));
  g_assert_nonnull (strstr (err.text, "rebuilt"));
  SwNetSpec *denser = sw_net_spec_copy (spec);
  denser->projs[1].p = 0.2;
  g_assert_cmpint (sw_network_apply_spec (live, denser, &err), ==, SW_ERR_STRUCTURAL);
  g_assert_cmpfloat (sw_network_spec (live)->projs[1].p, ==, 0.1);
  /* An invalid value is refused as a whole: b stays at 60. */
  SwNetSpec *bad = sw_net_spec_copy (changed);
  bad->pops[0].params[kb] = 30;
  bad->pops[1].params[sw_param_find (sw_adex_cond_type.params, sw_adex_cond_type.n_params, "V_reset")] = 0;
  g_assert_cmpint (sw_network_apply_spec (live, bad, &err), ==, SW_ERR_INVALID);
  g_assert_cmpfloat (sw_network_spec (live)->pops[0].params[kb], ==, 60);

  sw_net_spec_free (bad);
  sw_net_spec_free (denser);
  sw_net_spec_free (bigger);
  sw_net_spec_free (changed);
  sw_network_free (cmd);
  sw_network_free (live);
  sw_net_spec_free (spec);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/adex/rheobase", test_rheobase);
  g_test_add_func ("/core/adex/fi-curve", test_fi_curve);
  g_test_add_func ("/core/lif/brunel-theory", test_brunel_theory);
  g_test_add_func ("/core/network/determinism", test_determinism);
  g_test_add_func ("/core/network/conservation", test_conservation);
  g_test_add_func ("/core/network/connectivity", test_connectivity);
  g_test_add_func ("/core/poisson/sources", test_poisson_sources);
  g_test_add_func ("/core/poisson/stimulus", test_poisson_stimulus);
  g_test_add_func ("/core/network/blowup", test_blowup);
  g_test_add_func ("/core/network/nan", test_nan_detected);
  g_test_add_func ("/core/network/memory-limit", test_memory_limit);
  g_test_add_func ("/core/network/set-param", test_set_param);
  g_test_add_func ("/core/network/apply-spec", test_apply_spec);
  return g_test_run ();
}
