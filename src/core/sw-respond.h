/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Responsiveness of an E-I network (async-states spec §5, a [prop]
 * protocol): a brief extra drive of the external sources' projections onto
 * the excitatory population (optionally onto both), repeated over trials of
 * the spiking network, the trial-averaged response of the E rate, and the
 * same stimulus in the mean field, nonlinear and linearised.  Every measure
 * of the response (peak, latency, area, gain, SNR, ringing, reliability)
 * lives in one table of {name, unit, description, function}, so that more
 * can be added without touching the callers.
 *
 * Time line of one trial (all times in ms of simulated time):
 *
 *     0 ........ warm-up ........ W ... spontaneous ... onset ... after ... end
 *                                 |<- baseline ->|      |
 *                              onset-500   onset-300    0 = the stimulus starts
 *
 * onset = warmup_ms - baseline_from_ms (1000 + 500 = 1500 ms by default);
 * the response is recorded in bins of bin_ms from W to onset + after_ms.
 * Times of a response trace are relative to the onset.
 *
 * The stimulus added to the network [prop]: for every projection from a
 * Poisson source population onto a target (E, and I with ONTO_EI), one
 * SW_STIM_POISSON stimulus on every neuron of the target with n_sources =
 * the projection's in-degree K_ext (p N_ext for fixed_probability), the
 * projection's (mean) weight and receptor, and the rate profile ΔA times the
 * waveform.  Each target thus gets K_ext extra trains of ΔA, as if each of its
 * external sources fired ΔA faster; but the extra trains are independent per
 * target instead of shared through the sources, which would need the source
 * population itself to be modulated for this target population only.  The
 * shared part of the extra drive is a small correlation (p = 0.05) and
 * the mean field ignores it too.
 *
 * Units: rates Hz, times ms, areas Hz s (= evoked spikes per neuron).
 * Errors: SwStatus with a sentence in SwError.  Thread safety: the
 * functions keep no state; sw_resp_run_network() runs a team of threads of
 * its own (sw-team.h), each with its own networks.
 */
#pragma once

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "sw-meanfield.h"
#include "sw-network.h"
#include "sw-status.h"
#include "sw-waveform.h"

/* ------------------------------------------------------------------------ */
/* Protocol                                                                  */

typedef enum
{
  SW_RESP_ONTO_E,    /* the projections onto the excitatory population */
  SW_RESP_ONTO_EI,   /* onto the excitatory and the inhibitory population */
} SwRespOnto;

typedef struct
{
  /* Stimulus. */
  double amplitude_hz;      /* ΔA, extra rate per external source (>= 0; 2 Hz) */
  SwWaveKind waveform;      /* SW_WAVE_PULSE (default), _DOUBLE_GAUSSIAN or _SINE */
  double duration_ms;       /* pulse and sine (50 ms; sine: 0 = until the end) */
  /* Double Gaussian: rise tau1, decay tau2 (30, 150 ms).  Its peak lies
   * 3 tau1 after the onset, so that the drive is 1 % of ΔA at the onset
   * and the response starts after it, as for the other waveforms. */
  double tau1_ms, tau2_ms;
  double freq_hz;           /* sine (10 Hz) */
  SwRespOnto onto;

  /* Trials of the network. */
  int n_trials;             /* >= 1 (20) */
  double warmup_ms;         /* discarded start (1000 ms) */
  /* Baseline window relative to the onset (-500 .. -300 ms); the onset is
   * placed at warmup_ms - baseline_from_ms. */
  double baseline_from_ms, baseline_to_ms;
  double after_ms;          /* recorded after the onset (300 ms) */
  double bin_ms;            /* response bins (1 ms; a whole number of steps) */

  /* Analysis windows relative to the onset and their parameters. */
  double peak_from_ms, peak_to_ms;         /* R_peak and latency (0 .. 300 ms) */
  double area_from_ms, area_to_ms;         /* R_area and gain (0 .. 200 ms) */
  double reliability_from_ms, reliability_to_ms;   /* 0 .. 100 ms */
  double reliability_sds;                  /* threshold in spontaneous SDs (2) */
  double spont_bin_ms;                     /* bins of the spontaneous SD (5 ms) */
} SwRespProtocol;

/* The §5 defaults listed above. */
void sw_resp_protocol_default (SwRespProtocol *p);

/* Checks ranges: ΔA >= 0 and finite, a supported waveform with positive
 * parameters, trials >= 1, windows inside the recorded span (from the end of
 * the warm-up to onset + after_ms), bins > 0 and spont_bin_ms a whole number
 * of bins. */
SwStatus sw_resp_protocol_validate (const SwRespProtocol *p, SwError *err);

/* Absolute time of the onset: warmup_ms - baseline_from_ms. */
double sw_resp_onset_ms (const SwRespProtocol *p);

/* The extra rate of one external source: ΔA times the waveform, in
 * absolute time (one component). */
void sw_resp_stimulus_waveform (const SwRespProtocol *p, SwWaveform *w);

/* Adds the protocol's stimuli to @spec (see the top of this file) and
 * returns the number added.  E is the first population of neurons not
 * marked inhibitory, I the first marked inhibitory.  SW_ERR_NOT_FOUND when
 * there is no such population or no Poisson source population projects
 * onto it; SW_ERR_NOMEM.  On failure @spec is unchanged. */
SwStatus sw_resp_add_stimulus (SwNetSpec *spec, const SwRespProtocol *p, int *n_added,
                               SwError *err);

/* ------------------------------------------------------------------------ */
/* Response traces and measures                                              */

/* A response: rate minus baseline in bins of @bin_ms; bin k covers
 * [t0_ms + k bin_ms, t0_ms + (k + 1) bin_ms) relative to the onset.  A bin is
 * inside a window [a, b) when its start is (to 1e-6 ms). */
typedef struct
{
  double t0_ms, bin_ms;
  int n_bins;
  const double *r_hz;              /* the (trial-averaged) response */
  double spont_sd_hz;              /* SD of the spontaneous E rate (NAN: unknown) */
  /* Single trials, each minus its own baseline (NULL, 0 for the mean
   * field). */
  const double *const *trial_r_hz;
  int n_trials;
} SwRespTrace;

/* A measure: NAN when it cannot be computed (an empty window, a response
 * that is not positive for ratios, no trials for trial statistics). */
typedef double (*SwRespMeasureFunc) (const SwRespTrace *trace, const SwRespProtocol *p);

typedef struct
{
  const char *name;          /* for options and CSV columns: "peak" */
  const char *label;         /* for axes: "Peak response R_peak" */
  const char *unit;          /* "Hz", "ms", "Hz·s", "s", "" */
  const char *description;   /* one sentence */
  bool needs_trials;         /* single-trial statistic (none in the mean field) */
  SwRespMeasureFunc eval;
} SwRespMeasure;

#define SW_RESP_MAX_MEASURES 16

/* The table, in a fixed order (index = column in every result):
 *   peak         R_peak = max r over [peak_from, peak_to) (Hz);
 *   latency      centre of the bin of that maximum (ms after the onset);
 *   area         R_area = sum of r bin_ms over [area_from, area_to) (Hz s);
 *   gain         area / ΔA (s; NAN when ΔA = 0);
 *   snr          R_peak / spontaneous SD;
 *   ringing      undershoot after the peak: max (0, -min r over the bins
 *                after the peak bin up to peak_to) / R_peak (the spec's
 *                |min r after the peak| / R_peak, with a response that stays
 *                above baseline counting as no ringing); NAN for R_peak <= 0;
 *   reliability  fraction of trials whose mean response over
 *                [reliability_from, reliability_to) exceeds reliability_sds
 *                spontaneous SDs (each trial against its own baseline). */
int sw_resp_n_measures (void);
const SwRespMeasure *sw_resp_measure (int index);   /* NULL out of range */
int sw_resp_measure_find (const char *name);        /* -1 if unknown */

/* Evaluates every measure of the table into @values (sw_resp_n_measures()
 * of them). */
void sw_resp_evaluate (const SwRespTrace *trace, const SwRespProtocol *p, double *values);

/* ------------------------------------------------------------------------ */
/* The spiking network                                                       */

typedef struct
{
  int n_trials;
  uint64_t seed;                   /* trial k ran with seed + k */
  /* Trial-averaged response r(t) (Hz) and its s.e.m. across trials, bins as
   * in SwRespTrace, from the end of the warm-up to onset + after_ms. */
  double t0_ms, bin_ms;
  int n_bins;
  double *r_hz, *r_sem_hz;
  /* Single trials: the E rate minus the trial's own baseline, [trial][bin],
   * the same rows as pointers (for SwRespTrace), and the baselines. */
  double *trial_r_hz;
  const double **trial_rows;
  double *trial_baseline_hz;       /* [trial] mean rate over the baseline window */
  double baseline_hz;              /* mean of the trial baselines */
  double spont_sd_hz;              /* pooled SD of single-trial E rates in spont_bin_ms bins */
  /* Measures of the trial average, and their s.e.m. by the jackknife over
   * trials: each measure is recomputed with one trial left out (its
   * average, baseline and spontaneous SD), and sem^2 = (n - 1) / n times
   * the sum of the squared deviations of those n values from their mean.
   * For a plain mean over trials this is the usual s.e.m.; it also covers
   * ratios and maxima of the average, whose single-trial values would be
   * biased.  NAN for a single trial. */
  double value[SW_RESP_MAX_MEASURES], sem[SW_RESP_MAX_MEASURES];
  double seconds;                  /* wall-clock time */
  int threads;                     /* networks run at once */
} SwRespNetResult;

/* Called after each finished trial with the number done so far; from the
 * worker threads, one call at a time. */
typedef void (*SwRespProgress) (void *data, int done, int total);

/* Runs p->n_trials trials of @spec with the protocol's stimulus added:
 * trial k is a network built with seed spec->seed + k, run from t = 0 to
 * onset + after_ms, its E rate recorded in bins of bin_ms.  Trials run in
 * parallel on @threads threads (0: one per processor), one network per
 * thread; the results are the same for any number of threads.
 * @memory_limit bounds each network as in sw_network_new() (0: the
 * default) and the number of networks alive at once.  Stops with
 * SW_ERR_CANCELLED when *@cancel (may be NULL) becomes non-zero; a trial that
 * blows up stops the run with SW_ERR_BLOWUP naming the trial.  Other errors:
 * those of sw_resp_protocol_validate(), sw_resp_add_stimulus() and
 * sw_network_new().  Free the result with sw_resp_net_result_free(). */
SwStatus sw_resp_run_network (const SwNetSpec *spec, const SwRespProtocol *p, int threads,
                              size_t memory_limit, const atomic_int *cancel,
                              SwRespProgress progress, void *progress_data,
                              SwRespNetResult **out, SwError *err);
void sw_resp_net_result_free (SwRespNetResult *r);

/* The response trace of a result (pointers into @r), for evaluating more
 * measures on it. */
void sw_resp_net_trace (const SwRespNetResult *r, SwRespTrace *trace);

/* ------------------------------------------------------------------------ */
/* The mean field                                                            */

typedef enum
{
  SW_RESP_MF_NO_STATE,   /* no stable asynchronous state to start from */
  SW_RESP_MF_RETURNS,    /* back to the asynchronous state after the stimulus */
  SW_RESP_MF_RUNAWAY,    /* thrown onto the high branch (spec §2.5, §8) */
  SW_RESP_MF_QUENCHED,   /* thrown into the quiescent state */
  SW_RESP_MF_N_OUTCOMES
} SwRespMfOutcome;

const char *sw_resp_mf_outcome_name (SwRespMfOutcome o);   /* "none", "returns", "runaway", "quenched" */

typedef struct
{
  SwMfClass cls;                   /* of the configuration (sw_mf_fixed_points) */
  SwMfInstability instability;
  SwRespMfOutcome outcome;
  double nu_e_hz, nu_i_hz, w_pa;   /* the asynchronous state (NAN without) */
  /* Responses on the grid of the network's: the nonlinear one (bin
   * averages of nu_E - nu_E*) and the linear one (the impulse response
   * convolved with the stimulus). */
  double t0_ms, bin_ms;
  int n_bins;
  double *r_hz, *r_lin_hz;
  double final_nu_e_hz;            /* nu_E at the end of the settling time */
  double peak_nu_e_hz;             /* highest nu_E from the start to that end */
  double spont_sd_hz;              /* sqrt (Sigma_EE), Lyapunov (finite size) */
  double value[SW_RESP_MAX_MEASURES], value_lin[SW_RESP_MAX_MEASURES];
  /* Transfer spectrum |H(i 2 pi f)| (Hz of nu_E per Hz of ΔA): its static
   * value, its maximum over 0-200 Hz (0.5 Hz steps) and where, and its value at the
   * sine's frequency (NAN for other waveforms). */
  double h0, h_peak, h_peak_freq_hz, h_at_freq;
} SwRespMfResult;

/* The protocol's stimulus in the first-order mean field @cfg: from the
 * asynchronous fixed point, explicit Euler steps of 0.1 ms from the end of
 * the warm-up to onset + after_ms (the network's span), then on until 2 s
 * after the stimulus has ended (or, for a sine without end, 2 s after the
 * span) to tell what it did:
 * - RUNAWAY: thrown onto the high branch: nu_E went above cfg->nu_max_hz
 *   at any time (the top of the fixed-point search, 60 Hz; above it the
 *   first-order mean field has only its spurious saturated branch near
 *   1 / tau_V, spec §2.5, §8), even if adaptation brought it back later; or
 *   it ended above twice nu_E* plus 5 Hz; or the integration diverged;
 * - QUENCHED: it ended below cfg->nu_quiescent_hz;
 * - RETURNS: otherwise.
 * Without a stable asynchronous state the outcome is NO_STATE and every
 * value is NAN.  The measures of the nonlinear response are computed
 * whatever the outcome (a runaway's are those of the jump); those of the
 * linear response come from J and B = d rhs / d stimulus at the fixed point;
 * the SNR uses the Lyapunov SD.  Trial statistics (reliability) are NAN.
 * Errors: those of sw_resp_protocol_validate() and sw_mf_fixed_points();
 * SW_ERR_NOMEM.  Free with sw_resp_mf_result_free(). */
SwStatus sw_resp_run_mf (const SwMfConfig *cfg, const SwRespProtocol *p, SwRespMfResult **out,
                         SwError *err);
void sw_resp_mf_result_free (SwRespMfResult *r);
