/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The BRC working-memory network on the cable engine (dendrites-brc spec
 * §6.1, §7): 50 reduced E cells, 25 I cells, 25 cue relays, one noise
 * relay per E and I cell and one rate cell per E cell, wired as in
 * sw-brc-wiring.h with kinetic synapses, driven by the stimuli of
 * sw-brc-stim.h and read out as in sw-brc-readout.h.
 *
 * A trial: the voltages of E and I nodes start uniform in [-80, -40] mV,
 * the noise relays get a fresh Gaussian current every step, the cue relays
 * their cue current from 250 to 275 ms, and the rate cells' voltages are
 * sampled every 0.25 ms from 250 ms to the end into the readout statistics.
 * Trials are keyed by (seed, cue * n_repeats + repeat): a trial's result
 * does not depend on which thread runs it or in what order.
 *
 * Errors: SwStatus with a sentence; a trial whose state stops being finite
 * is SW_ERR_BLOWUP naming the trial and the time.
 */
#pragma once

#include "sw-brc-params.h"

/* What one evaluation (all trials of one parameter set) measured. */
typedef struct
{
  SwBrcScore score;
  int n_trials;
  double sim_ms;           /* simulated time per trial */
  double wall_s;           /* wall-clock time of the whole evaluation */
  double trial_wall_s;     /* mean wall-clock time of one trial */
  double e_rate_hz;        /* mean E rate over all trials, before the cue */
  double e_rate_cue_hz;    /* mean E rate after the cue onset */
  double i_rate_hz;        /* mean I rate over the whole trials */
  int n_syn[SW_BRC_N_TYPES];
  int n_cue_e, n_cue_i;
} SwBrcResult;

/* Runs every trial of @params (4 cues x n_repeats) on @n_threads threads
 * (trials in parallel) and scores the readout.  @cancel, when non-NULL, is
 * read (one relaxed load, no lock) before each trial and after every 1 ms
 * of simulated time in it; once another thread sets it non-zero (with an
 * atomic store such as g_atomic_int_set()), the work stops within that
 * much simulated time with SW_ERR_CANCELLED. */
SwStatus sw_brc_evaluate (const SwBrcParams *params, int n_threads, const volatile int *cancel,
                          SwBrcResult *out, SwError *err);
/* The same, adding 1 to *@trials_done (an atomic add, for progress read by
 * another thread; NULL: none) as each trial ends. */
SwStatus sw_brc_evaluate_counted (const SwBrcParams *params, int n_threads,
                                  const volatile int *cancel, int *trials_done,
                                  SwBrcResult *out, SwError *err);

/* The number of readout features: one rate cell per E cell (n_e). */
int sw_brc_n_features (const SwBrcParams *params);

/* One trial (@cue 0..3, @repeat) of @params on the calling thread, for
 * measurements: its samples are added to @stats (sw_brc_n_features()
 * features, 2 outputs) and @info gets its rates, synapse counts and wall
 * time (score left empty).  @cancel (may be NULL) as for
 * sw_brc_evaluate(): SW_ERR_CANCELLED, and @stats is left as it was. */
SwStatus sw_brc_run_trial (const SwBrcParams *params, int cue, int repeat,
                           const volatile int *cancel, SwBrcStats *stats, SwBrcResult *info,
                           SwError *err);
