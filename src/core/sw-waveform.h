/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Time courses of stimuli: an amplitude times a shape.  Poisson drives use
 * them as rates (Hz per source), current stimuli as currents.  A stimulus
 * sums up to SW_MAX_COMPONENTS of them, e.g. a drive that rises smoothly plus
 * a 50 ms test pulse.
 */
#pragma once

#define SW_MAX_COMPONENTS 8

typedef enum
{
  SW_WAVE_CONSTANT,       /* amplitude from t0 on (t0 = 0: always) */
  SW_WAVE_PULSE,          /* amplitude on [t0, t0 + duration) */
  SW_WAVE_GAUSSIAN_RISE,  /* amplitude * exp(-(t-t0)^2 / (2 tau1^2)) before t0, amplitude after */
  SW_WAVE_DOUBLE_GAUSSIAN,/* Gaussian rise with tau1 before t0, Gaussian decay with tau2 after */
  SW_WAVE_SINE,           /* amplitude (1 - cos 2 pi f (t - t0)) / 2 on [t0, t0 + duration) */
  SW_WAVE_RAMP,           /* linear from 0 at t0 to amplitude at t0 + duration, then flat */
  SW_N_WAVES
} SwWaveKind;

typedef struct
{
  SwWaveKind kind;
  double amplitude;       /* Hz per source, or the current's unit */
  double t0_ms;
  double duration_ms;     /* PULSE, SINE (0 = forever), RAMP */
  double tau1_ms;         /* GAUSSIAN_RISE, DOUBLE_GAUSSIAN */
  double tau2_ms;         /* DOUBLE_GAUSSIAN */
  double freq_hz;         /* SINE */
} SwWaveform;

/* Value of one component at time @t_ms. */
double sw_waveform_eval (const SwWaveform *w, double t_ms);

/* Sum of @n components at @t_ms. */
double sw_waveform_sum (const SwWaveform *w, int n, double t_ms);

/* Name used in documents ("pulse") and the reverse look-up (-1 if unknown). */
const char *sw_waveform_kind_name (SwWaveKind kind);
int sw_waveform_kind_from_name (const char *name);
