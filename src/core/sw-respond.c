/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Responsiveness protocol (see sw-respond.h): the stimulus added to a
 * network, trials of the spiking network run in parallel, the measures and
 * their jackknife errors, and the same stimulus in the mean field.
 *
 * Trials are independent networks: trial k is the network built with seed
 * + k (its own connectivity, initial state and noise), run through its own
 * warm-up to one onset.  The spec also allows several onsets >= 1 s apart in
 * one run, which would cost about 1 s of simulated time per trial instead
 * of 1.8 s.  It is not used because it is not quite correct here: with
 * adaptation (tau_w = 500 ms) an evoked response leaves an extra
 * adaptation current that decays as exp (-t / 500 ms), still e^-1 to e^-2 of
 * its size in the next trial's baseline window, so consecutive trials
 * would not be identically distributed and the first would differ from the
 * rest; and a single run cannot be spread over threads.  Independent
 * networks make the trials independent and identically distributed by
 * construction, run in parallel without any ordering, and give results
 * that do not depend on the number of threads (each trial depends only on
 * its seed).  The whole 10 000-neuron network runs a trial in 1.5-3 s of
 * one core (more at strong drive), so the extra warm-ups are affordable:
 * 20 trials of one sweep value take 20-65 s on two cores.
 */
#include "config.h"

#include "sw-respond.h"

#include "sw-recorder.h"
#include "sw-team.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Steps of the mean field (ms), at most; a bin holds a whole number. */
#define MF_DT_MS 0.1
/* Time the mean field is left to settle after the stimulus (ms). */
#define MF_SETTLE_MS 2000.0
/* Network chunk between drains of the rate bins (ms). */
#define CHUNK_MS 100.0
#define TIME_EPS 1e-6

/* ------------------------------------------------------------------------ */
/* Protocol                                                                  */

void
sw_resp_protocol_default (SwRespProtocol *p)
{
  *p = (SwRespProtocol) {
    .amplitude_hz = 2.0,
    .waveform = SW_WAVE_PULSE,
    .duration_ms = 50.0,
    .tau1_ms = 30.0,
    .tau2_ms = 150.0,
    .freq_hz = 10.0,
    .onto = SW_RESP_ONTO_E,
    .n_trials = 20,
    .warmup_ms = 1000.0,
    .baseline_from_ms = -500.0,
    .baseline_to_ms = -300.0,
    .after_ms = 300.0,
    .bin_ms = 1.0,
    .peak_from_ms = 0.0,
    .peak_to_ms = 300.0,
    .area_from_ms = 0.0,
    .area_to_ms = 200.0,
    .reliability_from_ms = 0.0,
    .reliability_to_ms = 100.0,
    .reliability_sds = 2.0,
    .spont_bin_ms = 5.0,
  };
}

double
sw_resp_onset_ms (const SwRespProtocol *p)
{
  return p->warmup_ms - p->baseline_from_ms;
}

static bool
whole_bins (double t, double bin)
{
  double q = t / bin;
  return fabs (q - nearbyint (q)) <= 1e-6 * fmax (1.0, fabs (q));
}

static SwStatus
check_window (const SwRespProtocol *p, const char *what, double from, double to, SwError *err)
{
  if (!(isfinite (from) && isfinite (to) && from < to))
    return sw_error_set (err, SW_ERR_INVALID, "the %s window must have from < to (got %g .. %g ms)", what, from,
                         to);
  if (from < p->baseline_from_ms - TIME_EPS || to > p->after_ms + TIME_EPS)
    return sw_error_set (err, SW_ERR_INVALID,
                         "the %s window %g .. %g ms lies outside the recorded span %g .. %g ms around the onset",
                         what, from, to, p->baseline_from_ms, p->after_ms);
  return SW_OK;
}

SwStatus
sw_resp_protocol_validate (const SwRespProtocol *p, SwError *err)
{
  if (!(isfinite (p->amplitude_hz) && p->amplitude_hz >= 0.0))
    return sw_error_set (err, SW_ERR_INVALID, "the amplitude must be a rate >= 0 Hz (got %g Hz)", p->amplitude_hz);
  switch (p->waveform)
    {
    case SW_WAVE_PULSE:
      if (!(isfinite (p->duration_ms) && p->duration_ms > 0.0))
        return sw_error_set (err, SW_ERR_INVALID, "the pulse needs a duration > 0 ms (got %g ms)", p->duration_ms);
      break;
    case SW_WAVE_DOUBLE_GAUSSIAN:
      if (!(isfinite (p->tau1_ms) && p->tau1_ms > 0.0 && isfinite (p->tau2_ms) && p->tau2_ms > 0.0))
        return sw_error_set (err, SW_ERR_INVALID, "the double Gaussian needs tau1, tau2 > 0 ms (got %g, %g ms)",
                             p->tau1_ms, p->tau2_ms);
      break;
    case SW_WAVE_SINE:
      if (!(isfinite (p->freq_hz) && p->freq_hz > 0.0))
        return sw_error_set (err, SW_ERR_INVALID, "the sine needs a frequency > 0 Hz (got %g Hz)", p->freq_hz);
      if (!(isfinite (p->duration_ms) && p->duration_ms >= 0.0))
        return sw_error_set (err, SW_ERR_INVALID, "the sine needs a duration >= 0 ms (got %g ms)", p->duration_ms);
      break;
    case SW_WAVE_CONSTANT:
    case SW_WAVE_GAUSSIAN_RISE:
    case SW_WAVE_RAMP:
    case SW_N_WAVES:
    default:
      return sw_error_set (err, SW_ERR_INVALID, "the stimulus waveform must be pulse, double_gaussian or sine (got %s)",
                           sw_waveform_kind_name (p->waveform));
    }
  if (p->onto != SW_RESP_ONTO_E && p->onto != SW_RESP_ONTO_EI)
    return sw_error_set (err, SW_ERR_INVALID, "the stimulus goes onto E or onto E and I");
  if (p->n_trials < 1 || p->n_trials > 1000000)
    return sw_error_set (err, SW_ERR_INVALID, "the number of trials must lie in 1..1000000 (got %d)", p->n_trials);
  if (!(isfinite (p->bin_ms) && p->bin_ms > 0.0))
    return sw_error_set (err, SW_ERR_INVALID, "the response bins must be > 0 ms (got %g ms)", p->bin_ms);
  if (!(isfinite (p->warmup_ms) && p->warmup_ms >= 0.0))
    return sw_error_set (err, SW_ERR_INVALID, "the warm-up must be >= 0 ms (got %g ms)", p->warmup_ms);
  if (!(isfinite (p->baseline_from_ms) && isfinite (p->baseline_to_ms) && p->baseline_from_ms < p->baseline_to_ms
        && p->baseline_to_ms <= 0.0))
    return sw_error_set (err, SW_ERR_INVALID,
                         "the baseline window must end at or before the onset, with from < to (got %g .. %g ms)",
                         p->baseline_from_ms, p->baseline_to_ms);
  if (!(isfinite (p->after_ms) && p->after_ms > 0.0))
    return sw_error_set (err, SW_ERR_INVALID, "the recorded time after the onset must be > 0 ms (got %g ms)",
                         p->after_ms);
  if (!whole_bins (p->warmup_ms, p->bin_ms) || !whole_bins (p->baseline_from_ms, p->bin_ms)
      || !whole_bins (p->after_ms, p->bin_ms))
    return sw_error_set (err, SW_ERR_INVALID,
                         "the warm-up (%g ms), the start of the baseline (%g ms) and the recorded time after the "
                         "onset (%g ms) must be whole numbers of bins (%g ms)",
                         p->warmup_ms, p->baseline_from_ms, p->after_ms, p->bin_ms);
  if (!(p->spont_bin_ms >= p->bin_ms - TIME_EPS) || !whole_bins (p->spont_bin_ms, p->bin_ms))
    return sw_error_set (err, SW_ERR_INVALID,
                         "the bins of the spontaneous SD (%g ms) must be a whole number of response bins (%g ms)",
                         p->spont_bin_ms, p->bin_ms);
  if (p->spont_bin_ms > -p->baseline_from_ms + TIME_EPS)
    return sw_error_set (err, SW_ERR_INVALID,
                         "the bins of the spontaneous SD (%g ms) are longer than the spontaneous period (%g ms)",
                         p->spont_bin_ms, -p->baseline_from_ms);
  if (!isfinite (p->reliability_sds))
    return sw_error_set (err, SW_ERR_INVALID, "the reliability threshold must be a number of SDs");
  SwStatus s;
  if ((s = check_window (p, "baseline", p->baseline_from_ms, p->baseline_to_ms, err)) != SW_OK
      || (s = check_window (p, "peak", p->peak_from_ms, p->peak_to_ms, err)) != SW_OK
      || (s = check_window (p, "area", p->area_from_ms, p->area_to_ms, err)) != SW_OK
      || (s = check_window (p, "reliability", p->reliability_from_ms, p->reliability_to_ms, err)) != SW_OK)
    return s;
  return SW_OK;
}

void
sw_resp_stimulus_waveform (const SwRespProtocol *p, SwWaveform *w)
{
  double onset = sw_resp_onset_ms (p);
  *w = (SwWaveform) {
    .kind = p->waveform,
    .amplitude = p->amplitude_hz,
    .t0_ms = onset,
    .duration_ms = p->duration_ms,
    .tau1_ms = p->tau1_ms,
    .tau2_ms = p->tau2_ms,
    .freq_hz = p->freq_hz,
  };
  if (p->waveform == SW_WAVE_DOUBLE_GAUSSIAN)
    w->t0_ms = onset + 3.0 * p->tau1_ms;
}

/* When the stimulus is over (absolute ms), or INFINITY. */
static double
stimulus_end_ms (const SwRespProtocol *p)
{
  double onset = sw_resp_onset_ms (p);
  switch (p->waveform)
    {
    case SW_WAVE_PULSE:
      return onset + p->duration_ms;
    case SW_WAVE_DOUBLE_GAUSSIAN:
      /* exp (-25 / 2) of the peak: nothing left. */
      return onset + 3.0 * p->tau1_ms + 5.0 * p->tau2_ms;
    case SW_WAVE_SINE:
      return p->duration_ms > 0.0 ? onset + p->duration_ms : INFINITY;
    case SW_WAVE_CONSTANT:
    case SW_WAVE_GAUSSIAN_RISE:
    case SW_WAVE_RAMP:
    case SW_N_WAVES:
    default:
      return INFINITY;
    }
}

static double
dist_mean (const SwDist *d)
{
  return d->kind == SW_DIST_UNIFORM ? 0.5 * (d->a + d->b) : d->a;
}

/* The external in-degree of a projection, as sw_mf_config_from_spec counts
 * it. */
static double
in_degree (const SwNetSpec *spec, const SwProjSpec *pj)
{
  double n_pre = spec->pops[pj->pre].n, n_post = spec->pops[pj->post].n;
  switch (pj->rule)
    {
    case SW_CONN_FIXED_PROBABILITY:
      return pj->p * n_pre;
    case SW_CONN_FIXED_INDEGREE:
      return pj->k;
    case SW_CONN_FIXED_OUTDEGREE:
      return pj->k * n_pre / n_post;
    case SW_CONN_ALL_TO_ALL:
      return n_pre;
    case SW_CONN_ONE_TO_ONE:
      return 1.0;
    case SW_N_CONNS:
    default:
      return 0.0;
    }
}

static int
find_target (const SwNetSpec *spec, bool inhibitory)
{
  for (int p = 0; p < spec->n_pops; p++)
    if (spec->pops[p].kind == SW_POP_NEURONS && spec->pops[p].inhibitory == inhibitory)
      return p;
  return -1;
}

SwStatus
sw_resp_add_stimulus (SwNetSpec *spec, const SwRespProtocol *p, int *n_added, SwError *err)
{
  int targets[2] = { find_target (spec, false), find_target (spec, true) };
  int n_targets = p->onto == SW_RESP_ONTO_EI ? 2 : 1;
  if (n_added != NULL)
    *n_added = 0;
  for (int t = 0; t < n_targets; t++)
    if (targets[t] < 0)
      return sw_error_set (err, SW_ERR_NOT_FOUND, "the network has no %s population of neurons to stimulate",
                           t == 0 ? "excitatory" : "inhibitory (marked \"inhibitory\")");

  SwWaveform w;
  sw_resp_stimulus_waveform (p, &w);
  SwNetSpec *trial = sw_net_spec_copy (spec);
  if (trial == NULL)
    return sw_error_set (err, SW_ERR_NOMEM, "out of memory for the stimulus");
  int added = 0;
  for (int t = 0; t < n_targets; t++)
    {
      int found = 0;
      for (int j = 0; j < spec->n_projs; j++)
        {
          const SwProjSpec *pj = &spec->projs[j];
          if (pj->post != targets[t] || spec->pops[pj->pre].kind != SW_POP_POISSON)
            continue;
          double k = in_degree (spec, pj);
          long n_sources = lround (k);
          found++;
          if (n_sources < 1)
            continue;
          char name[SW_NAME_MAX];
          snprintf (name, sizeof name, "respond-%.55s", pj->name);
          SwStimSpec *st = sw_net_spec_add_stim (trial, name, SW_STIM_POISSON, targets[t]);
          if (st == NULL)
            {
              sw_net_spec_free (trial);
              return sw_error_set (err, SW_ERR_NOMEM, "out of memory for the stimulus");
            }
          st->first = 0;
          st->count = -1;
          st->n_sources = n_sources > INT32_MAX ? INT32_MAX : (int) n_sources;
          st->receptor = pj->receptor;
          st->weight = dist_mean (&pj->weight);
          st->profile[0] = w;
          st->n_profile = 1;
          added++;
        }
      if (found == 0)
        {
          sw_net_spec_free (trial);
          return sw_error_set (err, SW_ERR_NOT_FOUND,
                               "no Poisson source population projects onto %s; the stimulus is an extra rate of the "
                               "external sources",
                               spec->pops[targets[t]].name);
        }
    }
  /* Commit: swap the stimulus arrays. */
  SwStimSpec *old = spec->stims;
  spec->stims = trial->stims;
  spec->n_stims = trial->n_stims;
  trial->stims = old;
  trial->n_stims = 0;
  sw_net_spec_free (trial);
  if (n_added != NULL)
    *n_added = added;
  return SW_OK;
}

/* ------------------------------------------------------------------------ */
/* Measures                                                                  */

/* Bins [*lo, *hi) of the window [from, to) (their starts lie in it). */
static void
window_bins (const SwRespTrace *tr, double from, double to, int *lo, int *hi)
{
  double a = ceil ((from - tr->t0_ms) / tr->bin_ms - TIME_EPS);
  double b = ceil ((to - tr->t0_ms) / tr->bin_ms - TIME_EPS);
  a = fmax (a, 0.0);
  b = fmin (b, (double) tr->n_bins);
  *lo = (int) a;
  *hi = b > a ? (int) b : (int) a;
}

/* Index of the first maximum in the peak window, or -1. */
static int
peak_bin (const SwRespTrace *tr, const SwRespProtocol *p)
{
  int lo, hi, best = -1;
  window_bins (tr, p->peak_from_ms, p->peak_to_ms, &lo, &hi);
  for (int k = lo; k < hi; k++)
    if (isfinite (tr->r_hz[k]) && (best < 0 || tr->r_hz[k] > tr->r_hz[best]))
      best = k;
  return best;
}

static double
m_peak (const SwRespTrace *tr, const SwRespProtocol *p)
{
  int k = peak_bin (tr, p);
  return k < 0 ? NAN : tr->r_hz[k];
}

static double
m_latency (const SwRespTrace *tr, const SwRespProtocol *p)
{
  int k = peak_bin (tr, p);
  return k < 0 ? NAN : tr->t0_ms + (k + 0.5) * tr->bin_ms;
}

static double
m_area (const SwRespTrace *tr, const SwRespProtocol *p)
{
  int lo, hi;
  window_bins (tr, p->area_from_ms, p->area_to_ms, &lo, &hi);
  if (lo >= hi)
    return NAN;
  double sum = 0.0;
  for (int k = lo; k < hi; k++)
    sum += tr->r_hz[k];
  return sum * tr->bin_ms * 1e-3;
}

static double
m_gain (const SwRespTrace *tr, const SwRespProtocol *p)
{
  return p->amplitude_hz > 0.0 ? m_area (tr, p) / p->amplitude_hz : NAN;
}

static double
m_snr (const SwRespTrace *tr, const SwRespProtocol *p)
{
  return tr->spont_sd_hz > 0.0 ? m_peak (tr, p) / tr->spont_sd_hz : NAN;
}

static double
m_ringing (const SwRespTrace *tr, const SwRespProtocol *p)
{
  int k = peak_bin (tr, p), lo, hi;
  if (k < 0 || !(tr->r_hz[k] > 0.0))
    return NAN;
  window_bins (tr, p->peak_from_ms, p->peak_to_ms, &lo, &hi);
  if (k + 1 >= hi)
    return NAN;
  double lowest = INFINITY;
  for (int j = k + 1; j < hi; j++)
    if (isfinite (tr->r_hz[j]))
      lowest = fmin (lowest, tr->r_hz[j]);
  if (!isfinite (lowest))
    return NAN;
  return fmax (0.0, -lowest) / tr->r_hz[k];
}

static double
m_reliability (const SwRespTrace *tr, const SwRespProtocol *p)
{
  int lo, hi;
  if (tr->n_trials < 1 || tr->trial_r_hz == NULL || !(tr->spont_sd_hz >= 0.0))
    return NAN;
  window_bins (tr, p->reliability_from_ms, p->reliability_to_ms, &lo, &hi);
  if (lo >= hi)
    return NAN;
  double threshold = p->reliability_sds * tr->spont_sd_hz;
  int above = 0;
  for (int t = 0; t < tr->n_trials; t++)
    {
      double sum = 0.0;
      for (int k = lo; k < hi; k++)
        sum += tr->trial_r_hz[t][k];
      above += sum / (hi - lo) > threshold;
    }
  return (double) above / tr->n_trials;
}

static const SwRespMeasure measures[] = {
  { "peak", "Peak response R_peak", "Hz",
    "Maximum of the trial-averaged E rate minus baseline over the peak window (0-300 ms).", false, m_peak },
  { "latency", "Latency of the peak", "ms", "Time of that maximum after the onset (centre of its bin).", false,
    m_latency },
  { "area", "Evoked area R_area", "Hz·s",
    "Integral of the response over the area window (0-200 ms): evoked spikes per neuron.", false, m_area },
  { "gain", "Gain R_area / ΔA", "s", "The evoked area per Hz of extra rate per external source.", false, m_gain },
  { "snr", "Signal-to-noise ratio", "",
    "R_peak divided by the SD of the spontaneous E rate in 5 ms bins (the mean field: its Lyapunov SD).", false,
    m_snr },
  { "ringing", "Ringing index", "",
    "Depth of the undershoot below baseline after the peak (within the peak window), relative to R_peak.", false,
    m_ringing },
  { "reliability", "Reliability", "",
    "Fraction of single trials whose mean response over 0-100 ms exceeds 2 spontaneous SDs.", true, m_reliability },
};

#define N_MEASURES ((int) (sizeof measures / sizeof measures[0]))
_Static_assert (sizeof measures / sizeof measures[0] <= SW_RESP_MAX_MEASURES, "too many measures");

int
sw_resp_n_measures (void)
{
  return N_MEASURES;
}

const SwRespMeasure *
sw_resp_measure (int index)
{
  return index >= 0 && index < N_MEASURES ? &measures[index] : NULL;
}

int
sw_resp_measure_find (const char *name)
{
  for (int k = 0; name != NULL && k < N_MEASURES; k++)
    if (strcmp (measures[k].name, name) == 0)
      return k;
  return -1;
}

void
sw_resp_evaluate (const SwRespTrace *trace, const SwRespProtocol *p, double *values)
{
  for (int k = 0; k < N_MEASURES; k++)
    values[k] = measures[k].eval (trace, p);
}

/* ------------------------------------------------------------------------ */
/* The spiking network                                                       */

typedef struct
{
  const SwNetSpec *spec;        /* with the stimulus */
  const SwRespProtocol *p;
  int e_pop, inner_threads;
  size_t memory_limit;
  const atomic_int *cancel;
  int bin_steps;
  uint64_t total_steps;
  int64_t first_bin;            /* recorder bin of response bin 0 */
  int n_bins;
  double *rates;                /* [trial][bin], Hz */

  atomic_int next;
  atomic_int stop;
  pthread_mutex_t lock;         /* guards what follows */
  SwStatus status;
  int failed_trial;
  SwError err;
  int done;
  SwRespProgress progress;
  void *progress_data;
} Job;

static SwStatus
run_trial (Job *job, int k, SwError *err)
{
  SwNetSpec local = *job->spec;   /* shallow: sw_network_new copies it */
  local.seed = job->spec->seed + (uint64_t) k;
  local.threads = job->inner_threads;
  SwNetwork *net = NULL;
  SwStatus st = sw_network_new (&local, job->memory_limit, &net, err);
  if (st != SW_OK)
    return st;
  SwRecorder *rec = sw_network_recorder (net);
  const int np = local.n_pops;
  for (int q = 0; q < np; q++)
    sw_recorder_set_spike_range (rec, q, 0, 0);
  sw_recorder_set_rate_bin (rec, job->bin_steps);

  const uint64_t chunk_bins = (uint64_t) fmax (1.0, floor (CHUNK_MS / job->p->bin_ms));
  const uint64_t chunk = chunk_bins * (uint64_t) job->bin_steps;
  uint32_t *counts = malloc ((size_t) (chunk_bins + 1) * np * sizeof *counts);
  if (counts == NULL)
    {
      sw_network_free (net);
      return sw_error_set (err, SW_ERR_NOMEM, "out of memory for the rate bins");
    }
  const double per_spike = 1.0 / (local.pops[job->e_pop].n * job->bin_steps * local.dt_ms * 1e-3);
  double *row = job->rates + (size_t) k * job->n_bins;
  for (int b = 0; b < job->n_bins; b++)
    row[b] = NAN;

  uint64_t done = 0;
  while (done < job->total_steps && st == SW_OK)
    {
      uint64_t n = job->total_steps - done < chunk ? job->total_steps - done : chunk;
      st = sw_network_run (net, n, job->cancel, err);
      done = sw_network_step_index (net);
      int64_t first;
      size_t got;
      while ((got = sw_recorder_drain_rates (rec, &first, counts, chunk_bins + 1)) > 0)
        for (size_t b = 0; b < got; b++)
          {
            int64_t idx = first + (int64_t) b - job->first_bin;
            if (idx >= 0 && idx < job->n_bins)
              row[idx] = counts[b * np + job->e_pop] * per_spike;
          }
    }
  free (counts);
  sw_network_free (net);
  if (st == SW_ERR_BLOWUP)
    {
      SwError inner = *err;
      sw_error_set (err, st, "trial %d (seed %llu): %s", k, (unsigned long long) local.seed, inner.text);
    }
  return st;
}

static void
worker (void *data, int thread, int n_threads)
{
  Job *job = data;
  (void) thread;
  (void) n_threads;
  for (;;)
    {
      if (atomic_load (&job->stop) || (job->cancel != NULL && atomic_load (job->cancel)))
        break;
      int k = atomic_fetch_add (&job->next, 1);
      if (k >= job->p->n_trials)
        break;
      SwError err = { { 0 } };
      SwStatus st = run_trial (job, k, &err);
      pthread_mutex_lock (&job->lock);
      if (st != SW_OK)
        {
          /* Keep the failure of the first trial, whatever the order the
           * threads ran them in. */
          if (job->status == SW_OK || k < job->failed_trial)
            {
              job->status = st;
              job->failed_trial = k;
              job->err = err;
            }
          atomic_store (&job->stop, 1);
        }
      else
        {
          job->done++;
          if (job->progress != NULL)
            job->progress (job->progress_data, job->done, job->p->n_trials);
        }
      pthread_mutex_unlock (&job->lock);
    }
}

static double
now_s (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

void
sw_resp_net_result_free (SwRespNetResult *r)
{
  if (r == NULL)
    return;
  free (r->r_hz);
  free (r->r_sem_hz);
  free (r->trial_r_hz);
  free (r->trial_rows);
  free (r->trial_baseline_hz);
  free (r);
}

void
sw_resp_net_trace (const SwRespNetResult *r, SwRespTrace *trace)
{
  *trace = (SwRespTrace) {
    .t0_ms = r->t0_ms,
    .bin_ms = r->bin_ms,
    .n_bins = r->n_bins,
    .r_hz = r->r_hz,
    .spont_sd_hz = r->spont_sd_hz,
    .trial_r_hz = r->trial_rows,
    .n_trials = r->n_trials,
  };
}

/* Per trial: the baseline, and the sum of squared deviations of the
 * spontaneous rate in spont_bin_ms bins from the trial's own mean with its
 * degrees of freedom. */
static void
trial_statistics (const SwRespProtocol *p, const double *rate, int n_bins, double t0, double *baseline,
                  double *ss, double *dof)
{
  SwRespTrace tr = { .t0_ms = t0, .bin_ms = p->bin_ms, .n_bins = n_bins, .r_hz = rate };
  int lo, hi;
  window_bins (&tr, p->baseline_from_ms, p->baseline_to_ms, &lo, &hi);
  double sum = 0.0;
  for (int k = lo; k < hi; k++)
    sum += rate[k];
  *baseline = hi > lo ? sum / (hi - lo) : NAN;

  /* The spontaneous period: from the end of the warm-up to the onset. */
  window_bins (&tr, p->baseline_from_ms, 0.0, &lo, &hi);
  int per = (int) lround (p->spont_bin_ms / p->bin_ms);
  int groups = (hi - lo) / per;
  double mean = 0.0;
  for (int g = 0; g < groups; g++)
    for (int j = 0; j < per; j++)
      mean += rate[lo + g * per + j];
  mean /= (double) groups * per;
  double s = 0.0;
  for (int g = 0; g < groups; g++)
    {
      double x = 0.0;
      for (int j = 0; j < per; j++)
        x += rate[lo + g * per + j];
      x = x / per - mean;
      s += x * x;
    }
  *ss = s;
  *dof = groups - 1;
}

/* Averages, spontaneous SD and measures from the trials' rates. */
static SwStatus
aggregate (const SwRespProtocol *p, const double *rates, int n_trials, int n_bins, SwRespNetResult *r, SwError *err)
{
  const int nm = N_MEASURES;
  double *ss = calloc (n_trials, sizeof *ss), *dof = calloc (n_trials, sizeof *dof);
  double *loo = malloc ((size_t) n_bins * sizeof *loo);
  const double **rows = malloc ((size_t) (n_trials > 1 ? n_trials - 1 : 1) * sizeof *rows);
  double *theta = malloc ((size_t) n_trials * nm * sizeof *theta);
  r->r_hz = calloc (n_bins, sizeof *r->r_hz);
  r->r_sem_hz = calloc (n_bins, sizeof *r->r_sem_hz);
  r->trial_r_hz = malloc ((size_t) n_trials * n_bins * sizeof *r->trial_r_hz);
  r->trial_rows = malloc ((size_t) n_trials * sizeof *r->trial_rows);
  r->trial_baseline_hz = calloc (n_trials, sizeof *r->trial_baseline_hz);
  SwStatus status = SW_OK;
  if (ss == NULL || dof == NULL || loo == NULL || rows == NULL || theta == NULL || r->r_hz == NULL
      || r->r_sem_hz == NULL || r->trial_r_hz == NULL || r->trial_rows == NULL || r->trial_baseline_hz == NULL)
    {
      status = sw_error_set (err, SW_ERR_NOMEM, "out of memory for the trial average");
      goto out;
    }

  double ss_all = 0.0, dof_all = 0.0, base_sum = 0.0;
  for (int t = 0; t < n_trials; t++)
    {
      const double *rate = rates + (size_t) t * n_bins;
      double *row = r->trial_r_hz + (size_t) t * n_bins;
      trial_statistics (p, rate, n_bins, r->t0_ms, &r->trial_baseline_hz[t], &ss[t], &dof[t]);
      for (int k = 0; k < n_bins; k++)
        row[k] = rate[k] - r->trial_baseline_hz[t];
      r->trial_rows[t] = row;
      ss_all += ss[t];
      dof_all += dof[t];
      base_sum += r->trial_baseline_hz[t];
    }
  r->baseline_hz = base_sum / n_trials;
  r->spont_sd_hz = dof_all > 0 ? sqrt (ss_all / dof_all) : NAN;
  for (int k = 0; k < n_bins; k++)
    {
      double sum = 0.0;
      for (int t = 0; t < n_trials; t++)
        sum += r->trial_rows[t][k];
      double mean = sum / n_trials, v = 0.0;
      for (int t = 0; t < n_trials; t++)
        v += (r->trial_rows[t][k] - mean) * (r->trial_rows[t][k] - mean);
      r->r_hz[k] = mean;
      r->r_sem_hz[k] = n_trials > 1 ? sqrt (v / (n_trials - 1) / n_trials) : NAN;
    }

  SwRespTrace tr;
  sw_resp_net_trace (r, &tr);
  sw_resp_evaluate (&tr, p, r->value);

  /* Jackknife: every measure on the average of all trials but one. */
  for (int m = 0; m < nm; m++)
    r->sem[m] = NAN;
  if (n_trials > 1)
    {
      for (int j = 0; j < n_trials; j++)
        {
          for (int k = 0; k < n_bins; k++)
            loo[k] = (r->r_hz[k] * n_trials - r->trial_rows[j][k]) / (n_trials - 1);
          int n_rows = 0;
          for (int t = 0; t < n_trials; t++)
            if (t != j)
              rows[n_rows++] = r->trial_rows[t];
          double d = dof_all - dof[j];
          SwRespTrace lt = {
            .t0_ms = r->t0_ms,
            .bin_ms = r->bin_ms,
            .n_bins = n_bins,
            .r_hz = loo,
            .spont_sd_hz = d > 0 ? sqrt ((ss_all - ss[j]) / d) : NAN,
            .trial_r_hz = rows,
            .n_trials = n_rows,
          };
          sw_resp_evaluate (&lt, p, theta + (size_t) j * nm);
        }
      for (int m = 0; m < nm; m++)
        {
          double mean = 0.0, v = 0.0;
          for (int j = 0; j < n_trials; j++)
            mean += theta[(size_t) j * nm + m];
          mean /= n_trials;
          for (int j = 0; j < n_trials; j++)
            {
              double d = theta[(size_t) j * nm + m] - mean;
              v += d * d;
            }
          r->sem[m] = sqrt (v * (n_trials - 1) / n_trials);   /* NAN if any is */
        }
    }

out:
  free (ss);
  free (dof);
  free (loo);
  free (rows);
  free (theta);
  return status;
}

SwStatus
sw_resp_run_network (const SwNetSpec *spec, const SwRespProtocol *p, int threads, size_t memory_limit,
                     const atomic_int *cancel, SwRespProgress progress, void *progress_data, SwRespNetResult **out,
                     SwError *err)
{
  *out = NULL;
  SwStatus st = sw_resp_protocol_validate (p, err);
  if (st != SW_OK)
    return st;
  if (!(spec->dt_ms > 0.0))
    return sw_error_set (err, SW_ERR_INVALID, "the time step must be > 0 ms (got %g ms)", spec->dt_ms);
  int bin_steps = (int) lround (p->bin_ms / spec->dt_ms);
  if (bin_steps < 1 || fabs (bin_steps * spec->dt_ms - p->bin_ms) > 1e-6 * p->bin_ms)
    return sw_error_set (err, SW_ERR_INVALID, "the response bins (%g ms) must be a whole number of time steps (%g ms)",
                         p->bin_ms, spec->dt_ms);

  SwNetSpec *with = sw_net_spec_copy (spec);
  if (with == NULL)
    return sw_error_set (err, SW_ERR_NOMEM, "out of memory for the network description");
  if ((st = sw_resp_add_stimulus (with, p, NULL, err)) != SW_OK || (st = sw_net_spec_validate (with, err)) != SW_OK)
    {
      sw_net_spec_free (with);
      return st;
    }

  /* Networks at once: one per thread, fewer when trials or memory are
   * short. */
  if (threads <= 0)
    threads = (int) sysconf (_SC_NPROCESSORS_ONLN);
  if (threads < 1)
    threads = 1;
  int outer = threads < p->n_trials ? threads : p->n_trials;
  size_t limit = memory_limit > 0 ? memory_limit : sw_default_memory_limit ();
  size_t bytes = sw_net_spec_estimate_bytes (with);
  if (bytes > limit)
    {
      sw_net_spec_free (with);
      return sw_error_set (err, SW_ERR_MEMORY_LIMIT,
                           "one network needs about %.1f MiB, more than the limit of %.1f MiB", bytes / 1048576.0,
                           limit / 1048576.0);
    }
  if (bytes > 0 && (size_t) outer > limit / bytes)
    outer = (int) (limit / bytes);
  if (outer < 1)
    outer = 1;

  /* Threads left over step the networks, but no more than one per 5000
   * neurons (the engine's own automatic rule): below that a step is too
   * short to share. */
  int inner = threads / outer > 0 ? threads / outer : 1, neurons = 0;
  for (int q = 0; q < with->n_pops; q++)
    neurons += with->pops[q].kind == SW_POP_NEURONS ? with->pops[q].n : 0;
  if (inner > neurons / 5000)
    inner = neurons / 5000 > 0 ? neurons / 5000 : 1;

  const double onset = sw_resp_onset_ms (p);
  Job job = {
    .spec = with,
    .p = p,
    .e_pop = find_target (with, false),
    .inner_threads = inner,
    .memory_limit = memory_limit,
    .cancel = cancel,
    .bin_steps = bin_steps,
    .total_steps = (uint64_t) llround ((onset + p->after_ms) / spec->dt_ms),
    .first_bin = llround (p->warmup_ms / p->bin_ms),
    .n_bins = (int) lround ((p->after_ms - p->baseline_from_ms) / p->bin_ms),
    .status = SW_OK,
    .failed_trial = -1,
    .progress = progress,
    .progress_data = progress_data,
  };
  atomic_init (&job.next, 0);
  atomic_init (&job.stop, 0);
  pthread_mutex_init (&job.lock, NULL);
  job.rates = malloc ((size_t) p->n_trials * job.n_bins * sizeof *job.rates);
  SwRespNetResult *r = calloc (1, sizeof *r);
  SwTeam *team = outer > 1 ? sw_team_new (outer) : NULL;
  if (job.rates == NULL || r == NULL || (outer > 1 && team == NULL))
    {
      st = sw_error_set (err, SW_ERR_NOMEM, "out of memory (or threads) for %d trials", p->n_trials);
      goto out;
    }

  double t0 = now_s ();
  if (team != NULL)
    sw_team_run (team, worker, &job);
  else
    worker (&job, 0, 1);
  if (job.status != SW_OK)
    {
      st = job.status;
      if (err != NULL)
        *err = job.err;
      goto out;
    }
  if (cancel != NULL && atomic_load (cancel))
    {
      st = sw_error_set (err, SW_ERR_CANCELLED, "cancelled after %d of %d trials", job.done, p->n_trials);
      goto out;
    }

  r->n_trials = p->n_trials;
  r->seed = spec->seed;
  r->t0_ms = p->baseline_from_ms;
  r->bin_ms = p->bin_ms;
  r->n_bins = job.n_bins;
  r->threads = outer;
  if ((st = aggregate (p, job.rates, p->n_trials, job.n_bins, r, err)) != SW_OK)
    goto out;
  r->seconds = now_s () - t0;
  *out = r;
  r = NULL;

out:
  sw_resp_net_result_free (r);
  sw_team_free (team);
  free (job.rates);
  pthread_mutex_destroy (&job.lock);
  sw_net_spec_free (with);
  return st;
}

/* ------------------------------------------------------------------------ */
/* The mean field                                                            */

const char *
sw_resp_mf_outcome_name (SwRespMfOutcome o)
{
  static const char *const names[SW_RESP_MF_N_OUTCOMES] = {
    [SW_RESP_MF_NO_STATE] = "none",
    [SW_RESP_MF_RETURNS] = "returns",
    [SW_RESP_MF_RUNAWAY] = "runaway",
    [SW_RESP_MF_QUENCHED] = "quenched",
  };
  return (int) o >= 0 && o < SW_RESP_MF_N_OUTCOMES ? names[o] : "unknown";
}

void
sw_resp_mf_result_free (SwRespMfResult *r)
{
  if (r == NULL)
    return;
  free (r->r_hz);
  free (r->r_lin_hz);
  free (r);
}

/* Bin averages of samples x[0 .. n_bins * sub] taken every bin / sub: the
 * trapezoidal mean over each bin (exact for a piecewise-linear path). */
static void
bin_average (const double *x, int n_bins, int sub, double offset, double *out)
{
  for (int b = 0; b < n_bins; b++)
    {
      const double *s = x + (size_t) b * sub;
      double sum = 0.5 * (s[0] + s[sub]);
      for (int j = 1; j < sub; j++)
        sum += s[j];
      out[b] = sum / sub - offset;
    }
}

SwStatus
sw_resp_run_mf (const SwMfConfig *cfg, const SwRespProtocol *p, SwRespMfResult **out, SwError *err)
{
  *out = NULL;
  SwStatus st = sw_resp_protocol_validate (p, err);
  if (st != SW_OK)
    return st;
  SwMfFixedPoints fps;
  if ((st = sw_mf_fixed_points (cfg, &fps, err)) != SW_OK)
    return st;

  const int n_bins = (int) lround ((p->after_ms - p->baseline_from_ms) / p->bin_ms);
  const int sub = (int) fmax (1.0, ceil (p->bin_ms / MF_DT_MS - 1e-9));
  const double dt = p->bin_ms / sub;
  const int n_steps = n_bins * sub;
  SwRespMfResult *r = calloc (1, sizeof *r);
  double *nu = malloc ((size_t) (n_steps + 1) * sizeof *nu);
  double *h = malloc ((size_t) (n_steps + 1) * sizeof *h);
  double *lags = malloc ((size_t) (n_steps + 1) * sizeof *lags);
  double *lin = calloc ((size_t) n_steps + 1, sizeof *lin);
  if (r != NULL)
    {
      r->r_hz = malloc ((size_t) n_bins * sizeof *r->r_hz);
      r->r_lin_hz = malloc ((size_t) n_bins * sizeof *r->r_lin_hz);
    }
  if (r == NULL || nu == NULL || h == NULL || lags == NULL || lin == NULL || r->r_hz == NULL || r->r_lin_hz == NULL)
    {
      st = sw_error_set (err, SW_ERR_NOMEM, "out of memory for the mean-field response");
      goto out;
    }
  r->cls = fps.cls;
  r->instability = fps.instability;
  r->t0_ms = p->baseline_from_ms;
  r->bin_ms = p->bin_ms;
  r->n_bins = n_bins;
  r->nu_e_hz = r->nu_i_hz = r->w_pa = r->final_nu_e_hz = r->peak_nu_e_hz = r->spont_sd_hz = NAN;
  r->h0 = r->h_peak = r->h_peak_freq_hz = r->h_at_freq = NAN;
  for (int m = 0; m < SW_RESP_MAX_MEASURES; m++)
    r->value[m] = r->value_lin[m] = NAN;
  for (int b = 0; b < n_bins; b++)
    r->r_hz[b] = r->r_lin_hz[b] = NAN;
  if (fps.async_index < 0)
    {
      r->outcome = SW_RESP_MF_NO_STATE;
      *out = r;
      r = NULL;
      goto out;
    }

  const SwMfFixedPoint *fp = &fps.roots[fps.async_index];
  const double x[3] = { fp->nu_e_hz, fp->nu_i_hz, fp->w_pa };
  r->nu_e_hz = x[0];
  r->nu_i_hz = x[1];
  r->w_pa = x[2];

  /* Nonlinear: from the fixed point at the end of the warm-up. */
  SwWaveform w;
  sw_resp_stimulus_waveform (p, &w);
  const bool onto_i = p->onto == SW_RESP_ONTO_EI;
  SwMfStimulus stim = { &w, 1, onto_i ? &w : NULL, onto_i ? 1 : 0 };
  const double t_start = p->warmup_ms, t_span_end = t_start + n_steps * dt;
  SwMfState s = { x[0], x[1], x[2], 0, 0, 0 };
  SwMfTrace trace = { .nu_e_hz = nu };
  SwError ierr;
  bool diverged = false;
  for (int k = 0; k <= n_steps; k++)
    nu[k] = NAN;
  if (sw_mf_integrate (cfg, false, &stim, t_start, dt, n_steps, &s, &trace, &ierr) != SW_OK)
    diverged = true;
  bin_average (nu, n_bins, sub, x[0], r->r_hz);
  double peak = x[0];
  for (int k = 0; k <= n_steps; k++)
    if (isfinite (nu[k]))
      peak = fmax (peak, nu[k]);
  if (!diverged)
    {
      /* Settle, in 1 ms pieces so that an excursion is seen: does the
       * state come back? */
      double end = stimulus_end_ms (p);
      double settle_to = (isfinite (end) && end > t_span_end ? end : t_span_end) + MF_SETTLE_MS;
      double t = t_span_end;
      const int piece = (int) ceil (1.0 / dt - 1e-9);
      while (t < settle_to && !diverged)
        {
          if (sw_mf_integrate (cfg, false, &stim, t, dt, piece, &s, NULL, &ierr) != SW_OK)
            diverged = true;
          t += piece * dt;
          if (isfinite (s.nu_e_hz))
            peak = fmax (peak, s.nu_e_hz);
        }
    }
  r->final_nu_e_hz = s.nu_e_hz;
  r->peak_nu_e_hz = peak;
  if (diverged || !isfinite (s.nu_e_hz) || s.nu_e_hz > 2.0 * x[0] + 5.0 || peak > cfg->nu_max_hz)
    r->outcome = SW_RESP_MF_RUNAWAY;
  else if (s.nu_e_hz < cfg->nu_quiescent_hz && x[0] >= cfg->nu_quiescent_hz)
    r->outcome = SW_RESP_MF_QUENCHED;
  else
    r->outcome = SW_RESP_MF_RETURNS;

  /* Linear: r_lin(t) = integral of h(t - u) s(u) du, midpoint rule. */
  double jac[3][3], b[3];
  sw_mf_jacobian (cfg, x, jac);
  sw_mf_input_vector (cfg, x, onto_i, b);
  for (int k = 0; k <= n_steps; k++)
    lags[k] = (k + 0.5) * dt;
  sw_mf_impulse_response (jac, b, lags, n_steps + 1, h);
  for (int m = 0; m < n_steps; m++)
    {
      double sm = sw_waveform_eval (&w, t_start + (m + 0.5) * dt) * dt * 1e-3;
      if (sm == 0.0)
        continue;
      for (int n = m + 1; n <= n_steps; n++)
        lin[n] += h[n - 1 - m] * sm;
    }
  bin_average (lin, n_bins, sub, 0.0, r->r_lin_hz);

  /* Transfer spectrum and finite-size variability. */
  r->h0 = sw_mf_transfer (jac, b, 0.0, NULL, NULL);
  r->h_peak = -INFINITY;
  for (int k = 0; k <= 400; k++)
    {
      double f = 0.5 * k, g = sw_mf_transfer (jac, b, f, NULL, NULL);
      if (isfinite (g) && g > r->h_peak)
        {
          r->h_peak = g;
          r->h_peak_freq_hz = f;
        }
    }
  if (!isfinite (r->h_peak))
    r->h_peak = NAN;
  if (p->waveform == SW_WAVE_SINE)
    r->h_at_freq = sw_mf_transfer (jac, b, p->freq_hz, NULL, NULL);
  double q[3][3], sigma[3][3];
  sw_mf_noise_matrix (cfg, x, q);
  if (fp->stab.stable && sw_mf_lyapunov (jac, q, sigma, NULL) == SW_OK && sigma[0][0] > 0.0)
    r->spont_sd_hz = sqrt (sigma[0][0]);

  SwRespTrace tr = {
    .t0_ms = r->t0_ms,
    .bin_ms = r->bin_ms,
    .n_bins = n_bins,
    .r_hz = r->r_hz,
    .spont_sd_hz = r->spont_sd_hz,
  };
  sw_resp_evaluate (&tr, p, r->value);
  tr.r_hz = r->r_lin_hz;
  sw_resp_evaluate (&tr, p, r->value_lin);
  *out = r;
  r = NULL;

out:
  sw_resp_mf_result_free (r);
  free (nu);
  free (h);
  free (lags);
  free (lin);
  return st;
}
