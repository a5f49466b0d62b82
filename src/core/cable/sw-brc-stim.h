/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Stimuli of the BRC working-memory task (dendrites-brc spec §7.5): the
 * protocol of a trial, the SD of the noise relays' per-step Gaussian
 * currents (drawn by the cable engine's noise clamp, sw-cable.h), the cue
 * cells' preferred points and their currents for the four cues, and the
 * uniform initial voltages.
 *
 * Trials are numbered by the caller (the network code uses
 * cue * n_repeats + repeat); every draw is keyed by (seed, trial, cell)
 * through sw-rng.h, so any thread may produce any trial's numbers.
 * Units: ms, mV, nA.  No state; safe from any thread.
 */
#pragma once

#include <stdint.h>

#include "sw-status.h"

/* The protocol of one trial. */
typedef struct
{
  double dt_ms;             /* 0.025 */
  double t_stop_ms;         /* 1000 */
  double cue_on_ms;         /* 250 */
  double cue_off_ms;        /* 275 */
  double cue_amp_na;        /* 0.1 */
  double cue_width;         /* 0.3 (cue units) */
  double cue_pref_range;    /* 3: preferred points uniform in [-3, 3]^2 */
  double noise_sd_na;       /* 0.06, at dt 0.025 ms */
  double v0_min_mv;         /* -80 */
  double v0_max_mv;         /* -40 */
  double sample_ms;         /* 0.25: readout sampling interval */
  double readout_from_ms;   /* 250: samples from here to t_stop inclusive */
} SwBrcProtocol;

/* The reference values above. */
void sw_brc_protocol_default (SwBrcProtocol *proto);

/* Checks that @proto is usable: positive dt, the cue window, the readout
 * start and the end inside the trial and whole multiples of dt, the sampling
 * interval a whole multiple of dt, v0_min <= v0_max, non-negative amplitudes.
 * SW_ERR_INVALID with a sentence naming the field otherwise. */
SwStatus sw_brc_protocol_check (const SwBrcProtocol *proto, SwError *err);

/* The four cues (c1, c2) in {-2, +2}^2: 0 (-2,-2), 1 (-2,+2), 2 (+2,-2),
 * 3 (+2,+2). */
enum { SW_BRC_N_CUES = 4 };
void sw_brc_cue_value (int cue, double *c1, double *c2);

/* Step numbers of the cue window [cue_on, cue_off) for @proto's dt, and of
 * the first readout sample; the number of samples per trial
 * (3001 for the reference protocol). */
int64_t sw_brc_step_of (const SwBrcProtocol *proto, double t_ms);
int sw_brc_n_samples (const SwBrcProtocol *proto);
int sw_brc_sample_stride (const SwBrcProtocol *proto);

/* The noise SD for @dt_ms: SD at 0.025 ms times sqrt(0.025 / dt), so that
 * the noise's power per unit time does not change with dt. */
double sw_brc_noise_sd (const SwBrcProtocol *proto);

/* Preferred points (a_k, b_k) of @n cue cells, uniform in the square. */
void sw_brc_cue_prefs (uint64_t seed, const SwBrcProtocol *proto, int n, double *a, double *b);

/* The current (nA) of a cue cell with preferred point (@a, @b) during cue
 * (@c1, @c2): amp * (exp(-((c1-a)/w)^2) + exp(-((c2-b)/w)^2)) / 2. */
double sw_brc_cue_current (const SwBrcProtocol *proto, double a, double b, double c1, double c2);

/* Initial voltages of the @n nodes of cell @cell in @trial: uniform in
 * [v0_min, v0_max].  @n may be up to 4096. */
void sw_brc_initial_voltages (uint64_t seed, const SwBrcProtocol *proto, uint32_t trial, int cell,
                              int n, double *v);
