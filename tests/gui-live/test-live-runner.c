/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of SwRunner (src/gui/live/sw-runner.c), the simulation thread of a
 * window: spikes and rates arrive through the rings, stop answers within
 * 100 ms, live parameter changes take effect, structural changes rebuild,
 * blow-ups fail, rapid descriptions coalesce, step and reset, traces, the
 * real-time factor.  GLib only: no display.
 *
 * The network is the destexhe-adex preset scaled down to 800 E, 200 I and
 * 800 sources with p = 0.5, which keeps every in-degree of the full model
 * (about 4 Hz E at b = 0, under 1 Hz at b = 150).
 */
#include "config.h"

#include <glib.h>
#include <math.h>
#include <string.h>

#include "sw-document.h"
#include "sw-runner.h"
#include "sw-runner-private.h"

#define POP_E 0
#define POP_I 1

static SwDocument *
small_document (void)
{
  g_autoptr (GError) error = NULL;
  SwDocument *doc = sw_document_load_preset ("destexhe-adex", &error);
  static const char *const sets[] = {
    "E.n=800", "I.n=200", "ext.n=800", "EE.p=0.5", "EI.p=0.5", "IE.p=0.5",
    "II.p=0.5", "extE.p=0.5", "extI.p=0.5", "simulation.threads=1",
  };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (sets); i++)
    {
      sw_document_set (doc, sets[i], NULL, &error);
      g_assert_no_error (error);
    }
  return doc;
}

static SwNetSpec *
spec_with (SwDocument *doc, const char *name, const char *value)
{
  g_autoptr (GError) error = NULL;
  if (name != NULL)
    {
      sw_document_set (doc, name, value, &error);
      g_assert_no_error (error);
    }
  SwNetSpec *spec = sw_document_build_spec (doc, &error);
  g_assert_no_error (error);
  return spec;
}

typedef gboolean (*Condition) (gpointer data);

/* Iterates the main context until @cond holds; fails after @timeout_s. */
static void
wait_for (Condition cond, gpointer data, double timeout_s)
{
  gint64 end = g_get_monotonic_time () + (gint64) (timeout_s * G_USEC_PER_SEC);
  while (!cond (data))
    {
      if (g_get_monotonic_time () > end)
        g_error ("timed out after %.1f s", timeout_s);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (200);
    }
}

typedef struct
{
  SwRunner *runner;
  double time_ms;
  SwRunnerState state;
} Until;

static gboolean
reached_time (gpointer data)
{
  Until *u = data;
  return sw_runner_get_time_ms (u->runner) >= u->time_ms;
}

static gboolean
reached_state (gpointer data)
{
  Until *u = data;
  return sw_runner_get_state (u->runner) == u->state;
}

static void
wait_time (SwRunner *runner, double time_ms)
{
  Until u = { runner, time_ms, 0 };
  wait_for (reached_time, &u, 60);
}

static void
wait_state (SwRunner *runner, SwRunnerState state)
{
  Until u = { runner, 0, state };
  wait_for (reached_state, &u, 30);
}

/* Collects what the rings deliver, as the hub does. */
typedef struct
{
  SwRunner *runner;
  GArray *spikes;     /* SwSpike */
  GArray *rate_bins;  /* guint32 [n_pops] per bin, from bin 0 */
  gint64 next_bin;
  int n_pops;
  gboolean gap;
} Collector;

static void
collect (Collector *c)
{
  SwSpike buf[4096];
  guint n;
  while ((n = sw_runner_read_spikes (c->runner, buf, G_N_ELEMENTS (buf))) > 0)
    g_array_append_vals (c->spikes, buf, n);

  c->n_pops = sw_runner_get_n_pops (c->runner);
  guint32 counts[256 * 8];
  gint64 first;
  g_assert_cmpint (c->n_pops, <=, 8);
  while ((n = sw_runner_read_rates (c->runner, &first, counts, 256)) > 0)
    {
      if (first != c->next_bin)
        c->gap = TRUE;
      g_array_set_size (c->rate_bins, (guint) (first * c->n_pops));
      g_array_append_vals (c->rate_bins, counts, n * c->n_pops);
      c->next_bin = first + n;
    }
}

static void
collector_init (Collector *c, SwRunner *runner)
{
  c->runner = runner;
  c->spikes = g_array_new (FALSE, FALSE, sizeof (SwSpike));
  c->rate_bins = g_array_new (FALSE, TRUE, sizeof (guint32));
  c->next_bin = 0;
  c->gap = FALSE;
}

static void
collector_clear (Collector *c)
{
  g_array_unref (c->spikes);
  g_array_unref (c->rate_bins);
}

static void
collector_reset (Collector *c)
{
  g_array_set_size (c->spikes, 0);
  g_array_set_size (c->rate_bins, 0);
  c->next_bin = 0;
  c->gap = FALSE;
}

/* Mean rate (Hz) of @pop of @n neurons over bins [b0, b1) (1 ms each). */
static double
mean_rate (Collector *c, int pop, int n, gint64 b0, gint64 b1)
{
  guint64 sum = 0;
  g_assert_cmpint (b1 * c->n_pops, <=, c->rate_bins->len);
  for (gint64 b = b0; b < b1; b++)
    sum += g_array_index (c->rate_bins, guint32, b * c->n_pops + pop);
  return (double) sum / n / ((b1 - b0) * 1e-3);
}

static void
collect_until (Collector *c, double time_ms)
{
  while (sw_runner_get_time_ms (c->runner) < time_ms)
    {
      g_main_context_iteration (NULL, FALSE);
      collect (c);
      g_usleep (1000);
    }
  collect (c);
}

static void
assert_finalized (SwRunner **runner)
{
  g_object_add_weak_pointer (G_OBJECT (*runner), (gpointer *) runner);
  g_object_unref (*runner);
  g_assert_null (*runner);
}

/* ------------------------------------------------------------------------ */

static void
test_spikes (void)
{
  g_autoptr (SwDocument) doc = small_document ();
  SwNetSpec *spec = spec_with (doc, NULL, NULL);
  SwRunner *runner = sw_runner_new ();
  Collector c;

  g_assert_cmpint (sw_runner_get_state (runner), ==, SW_RUNNER_EMPTY);
  sw_runner_set_spec (runner, spec);
  wait_state (runner, SW_RUNNER_STOPPED);
  g_assert_nonnull (sw_runner_get_spec (runner));
  g_assert_cmpint (sw_runner_get_spec (runner)->pops[POP_E].n, ==, 800);
  g_assert_cmpfloat (sw_runner_get_dt_ms (runner), ==, 0.1);

  collector_init (&c, runner);
  sw_runner_run (runner);
  wait_state (runner, SW_RUNNER_RUNNING);
  collect_until (&c, 1000.0);
  sw_runner_pause (runner);
  wait_state (runner, SW_RUNNER_PAUSED);
  collect (&c);

  /* Spikes of neurons only (sources are not recorded), in time order,
   * indices in range. */
  g_assert_cmpuint (c.spikes->len, >, 1000);
  gint64 last_step = 0;
  guint64 per_pop[2] = { 0, 0 };
  for (guint i = 0; i < c.spikes->len; i++)
    {
      SwSpike *s = &g_array_index (c.spikes, SwSpike, i);
      g_assert_true (s->pop == POP_E || s->pop == POP_I);
      g_assert_cmpint (s->neuron, >=, 0);
      g_assert_cmpint (s->neuron, <, s->pop == POP_E ? 800 : 200);
      g_assert_cmpint (s->step, >=, last_step);
      last_step = s->step;
      per_pop[s->pop]++;
    }

  /* The rate bins are contiguous from bin 0 and count the same spikes
   * (nothing was dropped). */
  g_assert_false (c.gap);
  g_assert_cmpuint (sw_runner_get_dropped (runner), ==, 0);
  g_assert_cmpint (c.next_bin, >=, 1000);
  guint64 binned[2] = { 0, 0 };
  gint64 last_bin_step = c.next_bin * 10;
  for (gint64 b = 0; b < c.next_bin; b++)
    for (int p = 0; p < 2; p++)
      binned[p] += g_array_index (c.rate_bins, guint32, b * c.n_pops + p);
  guint64 spikes_in_bins[2] = { 0, 0 };
  for (guint i = 0; i < c.spikes->len; i++)
    {
      SwSpike *s = &g_array_index (c.spikes, SwSpike, i);
      if (s->step < last_bin_step)
        spikes_in_bins[s->pop]++;
    }
  g_assert_cmpuint (binned[0], ==, spikes_in_bins[0]);
  g_assert_cmpuint (binned[1], ==, spikes_in_bins[1]);
  g_test_message ("1 s: %" G_GUINT64_FORMAT " E and %" G_GUINT64_FORMAT " I spikes",
                  per_pop[0], per_pop[1]);

  collector_clear (&c);
  sw_net_spec_free (spec);
  assert_finalized (&runner);
}

typedef struct
{
  SwRunnerState want;
  gint64 reached_us;
} StateWatch;

static void
state_cb (SwRunner *runner, GParamSpec *pspec, StateWatch *watch)
{
  if (watch->reached_us == 0 && sw_runner_get_state (runner) == watch->want)
    watch->reached_us = g_get_monotonic_time ();
}

/* Time from a command until the main thread hears the new state. */
static double
measure_latency_ms (SwRunner *runner, void (*command) (SwRunner *), SwRunnerState want)
{
  StateWatch watch = { want, 0 };
  gulong id = g_signal_connect (runner, "notify::state", G_CALLBACK (state_cb), &watch);
  gint64 t0 = g_get_monotonic_time ();
  command (runner);
  while (watch.reached_us == 0)
    {
      g_main_context_iteration (NULL, FALSE);
      g_assert_cmpint (g_get_monotonic_time () - t0, <, 5 * G_USEC_PER_SEC);
    }
  g_signal_handler_disconnect (runner, id);
  return (watch.reached_us - t0) * 1e-3;
}

static void
test_stop_latency (void)
{
  /* The full 10 000-neuron preset: the slowest chunks there are. */
  g_autoptr (GError) error = NULL;
  g_autoptr (SwDocument) doc = sw_document_load_preset ("destexhe-adex", &error);
  SwNetSpec *spec = spec_with (doc, NULL, NULL);
  SwRunner *runner = sw_runner_new ();
  double worst = 0.0, sum = 0.0;
  int n = 0;

  /* Two threads whatever the machine, so that a team steps it (and
   * ThreadSanitizer sees the team and the runner together). */
  sw_runner_set_threads (runner, 2);
  g_assert_cmpint (sw_runner_get_threads (runner), ==, 2);
  sw_runner_set_spec (runner, spec);
  wait_state (runner, SW_RUNNER_STOPPED);
  for (int speed = 0; speed < 2; speed++)
    {
      /* Flat out, then at real time (the worker sleeps between chunks). */
      sw_runner_set_speed (runner, speed == 0 ? 0.0 : 1.0);
      for (int k = 0; k < 4; k++)
        {
          double t = sw_runner_get_time_ms (runner);
          sw_runner_run (runner);
          wait_state (runner, SW_RUNNER_RUNNING);
          wait_time (runner, t + 40 + 7 * k);
          double ms = measure_latency_ms (runner, k % 2 ? sw_runner_pause : sw_runner_stop,
                                          k % 2 ? SW_RUNNER_PAUSED : SW_RUNNER_STOPPED);
          worst = MAX (worst, ms);
          sum += ms;
          n++;
        }
    }
  g_test_message ("stop/pause latency: mean %.2f ms, worst %.2f ms (%d trials)", sum / n, worst, n);
  g_assert_cmpfloat (worst, <, 100.0);

  /* Stopped means stopped: time stays. */
  double t = sw_runner_get_time_ms (runner);
  g_usleep (50000);
  g_main_context_iteration (NULL, FALSE);
  g_assert_cmpfloat (sw_runner_get_time_ms (runner), ==, t);

  sw_net_spec_free (spec);
  assert_finalized (&runner);
}

static gboolean
spec_has_b (gpointer data)
{
  const SwNetSpec *spec = sw_runner_get_spec (((Until *) data)->runner);
  /* b is parameter "b" of the adex type; compare through the value. */
  int k = sw_param_find (spec->pops[POP_E].type->params, spec->pops[POP_E].type->n_params, "b");
  return spec->pops[POP_E].params[k] == ((Until *) data)->time_ms;
}

static void
test_live_change (void)
{
  g_autoptr (SwDocument) doc = small_document ();
  SwNetSpec *spec = spec_with (doc, "b", "0");
  SwRunner *runner = sw_runner_new ();
  guint rebuilt = 0;
  Collector c;

  g_signal_connect_swapped (runner, "rebuilt", G_CALLBACK (g_atomic_int_inc), &rebuilt);
  sw_runner_set_spec (runner, spec);
  sw_runner_run (runner);
  collector_init (&c, runner);
  collect_until (&c, 2000.0);
  g_assert_cmpuint (rebuilt, ==, 1);
  double before = mean_rate (&c, POP_E, 800, 1000, 2000);

  /* Raise the adaptation of E: the runner applies it between chunks
   * (b = 150 pA, in the core's unit of the parameter). */
  SwNetSpec *spec2 = spec_with (doc, "b", "150");
  int k = sw_param_find (spec2->pops[POP_E].type->params, spec2->pops[POP_E].type->n_params, "b");
  Until u = { runner, spec2->pops[POP_E].params[k], 0 };
  gint64 t0 = g_get_monotonic_time ();
  double sim0 = sw_runner_get_time_ms (runner);
  sw_runner_set_spec (runner, spec2);
  wait_for (spec_has_b, &u, 5);
  double latency_ms = (g_get_monotonic_time () - t0) * 1e-3;
  /* Applied between chunks, no rebuild. */
  g_assert_cmpuint (rebuilt, ==, 1);
  g_assert_cmpfloat (latency_ms, <, 100.0);

  collect_until (&c, sim0 + 3000.0);
  gint64 b_end = (gint64) floor (sim0) + 3000;
  double after = mean_rate (&c, POP_E, 800, b_end - 1000, b_end);
  g_test_message ("E rate %.2f Hz at b = 0, %.2f Hz at b = 150 pA; applied after %.1f ms",
                  before, after, latency_ms);
  g_assert_cmpfloat (before, >, 1.0);
  g_assert_cmpfloat (after, <, 0.6 * before);
  g_assert_cmpint (sw_runner_get_state (runner), ==, SW_RUNNER_RUNNING);

  collector_clear (&c);
  sw_net_spec_free (spec);
  sw_net_spec_free (spec2);
  assert_finalized (&runner);
}

typedef struct
{
  int count;
  gboolean structural;
  char *reason;
} Rebuilt;

static void
rebuilt_cb (SwRunner *runner, gboolean structural, const char *reason, Rebuilt *r)
{
  r->count++;
  r->structural = structural;
  g_free (r->reason);
  r->reason = g_strdup (reason);
}

static void
test_structural (void)
{
  g_autoptr (SwDocument) doc = small_document ();
  SwNetSpec *spec = spec_with (doc, NULL, NULL);
  SwRunner *runner = sw_runner_new ();
  Rebuilt r = { 0 };
  Collector c;

  g_signal_connect (runner, "rebuilt", G_CALLBACK (rebuilt_cb), &r);
  sw_runner_set_spec (runner, spec);
  sw_runner_run (runner);
  collector_init (&c, runner);
  collect_until (&c, 300.0);
  g_assert_cmpint (r.count, ==, 1);
  g_assert_true (r.structural);

  /* A size changes: the network is rebuilt and keeps running. */
  SwNetSpec *spec2 = spec_with (doc, "E.n", "600");
  sw_runner_set_spec (runner, spec2);
  while (r.count < 2)
    {
      collect (&c);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_true (r.structural);
  g_assert_nonnull (strstr (r.reason, "E"));
  g_assert_nonnull (strstr (r.reason, "size"));
  g_assert_cmpint (sw_runner_get_spec (runner)->pops[POP_E].n, ==, 600);
  g_test_message ("rebuilt: %s", r.reason);

  /* What is read after "rebuilt" belongs to the new network. */
  collector_reset (&c);
  collect_until (&c, 200.0);
  g_assert_cmpint (sw_runner_get_state (runner), ==, SW_RUNNER_RUNNING);
  g_assert_false (c.gap);
  for (guint i = 0; i < c.spikes->len; i++)
    if (g_array_index (c.spikes, SwSpike, i).pop == POP_E)
      g_assert_cmpint (g_array_index (c.spikes, SwSpike, i).neuron, <, 600);

  g_free (r.reason);
  collector_clear (&c);
  sw_net_spec_free (spec);
  sw_net_spec_free (spec2);
  assert_finalized (&runner);
}

static void
failed_cb (SwRunner *runner, const char *message, char **out)
{
  g_free (*out);
  *out = g_strdup (message);
}

static void
test_blowup (void)
{
  g_autoptr (SwDocument) doc = small_document ();
  /* A runaway limit below the network's own rate: the core stops it. */
  SwNetSpec *spec = spec_with (doc, "nu_ext", "20");
  spec->max_rate_hz = 5.0;
  SwRunner *runner = sw_runner_new ();
  char *message = NULL;

  g_signal_connect (runner, "failed", G_CALLBACK (failed_cb), &message);
  sw_runner_set_spec (runner, spec);
  sw_runner_run (runner);
  wait_state (runner, SW_RUNNER_FAILED);
  g_assert_nonnull (message);
  g_test_message ("failed: %s", message);
  g_assert_nonnull (strstr (message, "ran away"));
  double t = sw_runner_get_time_ms (runner);
  g_assert_cmpfloat (t, >, 0.0);

  /* Failed stays failed until the user acts; run() starts again from 0. */
  g_usleep (50000);
  g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (sw_runner_get_state (runner), ==, SW_RUNNER_FAILED);
  g_clear_pointer (&message, g_free);

  /* A description the core refuses to build fails too. */
  SwNetSpec *bad = sw_net_spec_copy (spec);
  bad->pops[POP_E].n = -5;
  sw_runner_set_spec (runner, bad);
  while (message == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_test_message ("failed: %s", message);
  g_assert_cmpint (sw_runner_get_state (runner), ==, SW_RUNNER_FAILED);
  sw_runner_run (runner);
  g_usleep (20000);
  g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (sw_runner_get_state (runner), ==, SW_RUNNER_FAILED);

  /* A good one recovers. */
  spec->max_rate_hz = 0.0;
  sw_runner_set_spec (runner, spec);
  wait_state (runner, SW_RUNNER_STOPPED);

  g_free (message);
  sw_net_spec_free (bad);
  sw_net_spec_free (spec);
  assert_finalized (&runner);
}

static void
test_coalesce (void)
{
  /* The full preset: its build keeps the worker busy (~0.1 s) while the
   * main thread sends 200 descriptions, which must collapse into one. */
  g_autoptr (GError) error = NULL;
  g_autoptr (SwDocument) doc = sw_document_load_preset ("destexhe-adex", &error);
  SwNetSpec *first = spec_with (doc, NULL, NULL);
  SwRunner *runner = sw_runner_new ();
  SwNetSpec *last = NULL;
  guint rebuilt = 0;

  g_signal_connect_swapped (runner, "rebuilt", G_CALLBACK (g_atomic_int_inc), &rebuilt);
  sw_runner_set_spec (runner, first);
  for (int i = 0; i < 200; i++)
    {
      char value[32];
      g_snprintf (value, sizeof value, "%d", i % 150);
      g_clear_pointer (&last, sw_net_spec_free);
      last = spec_with (doc, "b", value);
      sw_runner_set_spec (runner, last);
    }
  int k = sw_param_find (last->pops[POP_E].type->params, last->pops[POP_E].type->n_params, "b");
  Until u = { runner, last->pops[POP_E].params[k], 0 };
  wait_state (runner, SW_RUNNER_STOPPED);
  wait_for (spec_has_b, &u, 10);
  guint taken = sw_runner_get_n_specs_taken (runner);
  g_test_message ("201 descriptions sent, %u taken", taken);
  g_assert_cmpuint (taken, <, 20);
  g_assert_cmpuint (rebuilt, ==, 1);

  /* Nothing else is pending: the last value stays. */
  g_usleep (50000);
  g_main_context_iteration (NULL, FALSE);
  g_assert_true (spec_has_b (&u));

  sw_net_spec_free (first);
  sw_net_spec_free (last);
  assert_finalized (&runner);
}

static void
test_step_reset (void)
{
  g_autoptr (SwDocument) doc = small_document ();
  SwNetSpec *spec = spec_with (doc, NULL, NULL);
  SwRunner *runner = sw_runner_new ();
  Rebuilt r = { 0 };

  g_signal_connect (runner, "rebuilt", G_CALLBACK (rebuilt_cb), &r);
  sw_runner_set_spec (runner, spec);
  wait_state (runner, SW_RUNNER_STOPPED);

  /* step(): exactly one 10 ms chunk, then paused. */
  for (int i = 1; i <= 3; i++)
    {
      sw_runner_step (runner);
      wait_state (runner, SW_RUNNER_PAUSED);
      wait_time (runner, 10.0 * i - 1e-9);
      g_assert_cmpfloat (fabs (sw_runner_get_time_ms (runner) - 10.0 * i), <, 1e-6);
      g_usleep (20000);
      g_main_context_iteration (NULL, FALSE);
      g_assert_cmpfloat (fabs (sw_runner_get_time_ms (runner) - 10.0 * i), <, 1e-6);
      sw_runner_stop (runner);
      wait_state (runner, SW_RUNNER_STOPPED);
    }

  /* reset(): back to 0, readers told to drop (not structural). */
  sw_runner_run (runner);
  wait_time (runner, 100.0);
  sw_runner_reset (runner);
  while (r.count < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (r.structural);
  /* A running network keeps running from t = 0. */
  g_assert_cmpint (sw_runner_get_state (runner), ==, SW_RUNNER_RUNNING);
  g_assert_cmpfloat (sw_runner_get_time_ms (runner), <, 100.0);
  sw_runner_stop (runner);
  wait_state (runner, SW_RUNNER_STOPPED);
  sw_runner_reset (runner);
  while (r.count < 3)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpfloat (sw_runner_get_time_ms (runner), ==, 0.0);
  g_assert_cmpint (sw_runner_get_state (runner), ==, SW_RUNNER_STOPPED);

  g_free (r.reason);
  sw_net_spec_free (spec);
  assert_finalized (&runner);
}

static void
test_traces (void)
{
  g_autoptr (SwDocument) doc = small_document ();
  SwNetSpec *spec = spec_with (doc, NULL, NULL);
  SwRunner *runner = sw_runner_new ();
  GArray *samples = g_array_new (FALSE, FALSE, sizeof (SwTraceSample));
  SwTraceSample buf[1024];
  guint n;

  g_assert_cmpint (sw_runner_add_trace (runner, POP_E, "v", 0), ==, -1);  /* no network yet */
  sw_runner_set_spec (runner, spec);
  wait_state (runner, SW_RUNNER_STOPPED);
  g_assert_cmpint (sw_runner_add_trace (runner, 2, "v", 0), ==, -1);      /* a source */
  g_assert_cmpint (sw_runner_add_trace (runner, POP_E, "nope", 0), ==, -1);
  g_assert_cmpint (sw_runner_add_trace (runner, POP_E, "v", 800), ==, -1);
  int t1 = sw_runner_add_trace (runner, POP_E, "v", 3);
  int t2 = sw_runner_add_trace (runner, POP_I, NULL, 0);
  g_assert_cmpint (t1, >, 0);
  g_assert_cmpint (t2, >, 0);
  g_assert_cmpint (t1, !=, t2);

  sw_runner_step (runner);
  wait_state (runner, SW_RUNNER_PAUSED);
  while ((n = sw_runner_read_trace (runner, t1, buf, G_N_ELEMENTS (buf))) > 0)
    g_array_append_vals (samples, buf, n);
  /* Every step of the 10 ms chunk, in order, within the model's range. */
  g_assert_cmpuint (samples->len, ==, 100);
  for (guint i = 0; i < samples->len; i++)
    {
      SwTraceSample *s = &g_array_index (samples, SwTraceSample, i);
      g_assert_cmpint (s->step, ==, i);
      g_assert_cmpfloat (s->value, >=, -90.0);
      g_assert_cmpfloat (s->value, <=, 0.0);
    }
  g_assert_cmpuint (sw_runner_read_trace (runner, t2, buf, G_N_ELEMENTS (buf)), ==, 100);

  /* Removed: nothing more. */
  sw_runner_remove_trace (runner, t2);
  sw_runner_step (runner);
  wait_time (runner, 20.0 - 1e-9);
  g_assert_cmpuint (sw_runner_read_trace (runner, t2, buf, G_N_ELEMENTS (buf)), ==, 0);
  g_assert_cmpuint (sw_runner_read_trace (runner, t1, buf, G_N_ELEMENTS (buf)), ==, 100);

  /* Traces survive a rebuild, in new rings. */
  SwNetSpec *spec2 = spec_with (doc, "I.n", "150");
  Rebuilt r = { 0 };
  g_signal_connect (runner, "rebuilt", G_CALLBACK (rebuilt_cb), &r);
  sw_runner_set_spec (runner, spec2);
  while (r.count < 1)
    g_main_context_iteration (NULL, TRUE);
  sw_runner_step (runner);
  wait_state (runner, SW_RUNNER_PAUSED);
  wait_time (runner, 10.0 - 1e-9);
  n = sw_runner_read_trace (runner, t1, buf, G_N_ELEMENTS (buf));
  g_assert_cmpuint (n, ==, 100);
  g_assert_cmpint (buf[0].step, ==, 0);

  g_free (r.reason);
  g_array_unref (samples);
  sw_net_spec_free (spec);
  sw_net_spec_free (spec2);
  assert_finalized (&runner);
}

static void
test_speed (void)
{
  g_autoptr (SwDocument) doc = small_document ();
  SwNetSpec *spec = spec_with (doc, NULL, NULL);
  SwRunner *runner = sw_runner_new ();

  sw_runner_set_spec (runner, spec);
  sw_runner_set_speed (runner, 0.5);
  g_assert_cmpfloat (sw_runner_get_speed (runner), ==, 0.5);
  wait_state (runner, SW_RUNNER_STOPPED);
  sw_runner_run (runner);
  wait_state (runner, SW_RUNNER_RUNNING);
  gint64 t0 = g_get_monotonic_time ();
  double sim0 = sw_runner_get_time_ms (runner);
  while (g_get_monotonic_time () - t0 < 1500000)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  double wall_ms = (g_get_monotonic_time () - t0) * 1e-3;
  double sim_ms = sw_runner_get_time_ms (runner) - sim0;
  double rtf = sw_runner_get_real_time_factor (runner);
  g_test_message ("speed 0.5: %.0f ms simulated in %.0f ms, measured factor %.3f", sim_ms, wall_ms, rtf);
  g_assert_cmpfloat (fabs (sim_ms / wall_ms - 0.5), <, 0.05);
  g_assert_cmpfloat (fabs (rtf - 0.5), <, 0.05);

  /* Flat out is faster than that (this small network runs at many times
   * real time, and still above 0.6 under ThreadSanitizer). */
  sw_runner_set_speed (runner, 0.0);
  t0 = g_get_monotonic_time ();
  sim0 = sw_runner_get_time_ms (runner);
  while (g_get_monotonic_time () - t0 < 1000000)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  sim_ms = sw_runner_get_time_ms (runner) - sim0;
  g_test_message ("flat out: %.0f ms simulated in 1 s, measured factor %.2f", sim_ms,
                  sw_runner_get_real_time_factor (runner));
  g_assert_cmpfloat (sim_ms, >, 600.0);

  sw_net_spec_free (spec);
  assert_finalized (&runner);
}

static void
test_dispose_running (void)
{
  /* Dropping a runner in the middle of a run joins its thread quickly and
   * leaves no callback behind. */
  g_autoptr (SwDocument) doc = small_document ();
  SwNetSpec *spec = spec_with (doc, NULL, NULL);
  for (int i = 0; i < 5; i++)
    {
      SwRunner *runner = sw_runner_new ();
      sw_runner_set_spec (runner, spec);
      sw_runner_run (runner);
      g_usleep (1000 * (i * 7 % 30));
      gint64 t0 = g_get_monotonic_time ();
      assert_finalized (&runner);
      g_assert_cmpint (g_get_monotonic_time () - t0, <, 500000);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  sw_net_spec_free (spec);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/gui-live/runner/spikes", test_spikes);
  g_test_add_func ("/gui-live/runner/stop-latency", test_stop_latency);
  g_test_add_func ("/gui-live/runner/live-change", test_live_change);
  g_test_add_func ("/gui-live/runner/structural", test_structural);
  g_test_add_func ("/gui-live/runner/blowup", test_blowup);
  g_test_add_func ("/gui-live/runner/coalesce", test_coalesce);
  g_test_add_func ("/gui-live/runner/step-reset", test_step_reset);
  g_test_add_func ("/gui-live/runner/traces", test_traces);
  g_test_add_func ("/gui-live/runner/speed", test_speed);
  g_test_add_func ("/gui-live/runner/dispose-running", test_dispose_running);
  return g_test_run ();
}
