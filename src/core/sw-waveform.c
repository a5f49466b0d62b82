/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Stimulus time courses (see sw-waveform.h).
 */
#include "sw-waveform.h"

#include <math.h>
#include <string.h>

static const char *const kind_names[SW_N_WAVES] = {
  [SW_WAVE_CONSTANT] = "constant",
  [SW_WAVE_PULSE] = "pulse",
  [SW_WAVE_GAUSSIAN_RISE] = "gaussian_rise",
  [SW_WAVE_DOUBLE_GAUSSIAN] = "double_gaussian",
  [SW_WAVE_SINE] = "sine",
  [SW_WAVE_RAMP] = "ramp",
};

const char *
sw_waveform_kind_name (SwWaveKind kind)
{
  if ((int) kind < 0 || kind >= SW_N_WAVES)
    return "unknown";
  return kind_names[kind];
}

int
sw_waveform_kind_from_name (const char *name)
{
  for (int k = 0; k < SW_N_WAVES; k++)
    if (strcmp (kind_names[k], name) == 0)
      return k;
  return -1;
}

static double
gauss (double dt, double tau)
{
  if (!(tau > 0.0))
    return 0.0;
  return exp (-dt * dt / (2.0 * tau * tau));
}

double
sw_waveform_eval (const SwWaveform *w, double t)
{
  double s = t - w->t0_ms;

  switch (w->kind)
    {
    case SW_WAVE_CONSTANT:
      return s >= 0.0 ? w->amplitude : 0.0;
    case SW_WAVE_PULSE:
      return (s >= 0.0 && s < w->duration_ms) ? w->amplitude : 0.0;
    case SW_WAVE_GAUSSIAN_RISE:
      return s >= 0.0 ? w->amplitude : w->amplitude * gauss (s, w->tau1_ms);
    case SW_WAVE_DOUBLE_GAUSSIAN:
      return w->amplitude * gauss (s, s < 0.0 ? w->tau1_ms : w->tau2_ms);
    case SW_WAVE_SINE:
      if (s < 0.0 || (w->duration_ms > 0.0 && s >= w->duration_ms))
        return 0.0;
      return w->amplitude * 0.5 * (1.0 - cos (2.0 * M_PI * w->freq_hz * s * 1e-3));
    case SW_WAVE_RAMP:
      if (s < 0.0)
        return 0.0;
      if (!(w->duration_ms > 0.0) || s >= w->duration_ms)
        return w->amplitude;
      return w->amplitude * s / w->duration_ms;
    case SW_N_WAVES:
    default:
      return 0.0;
    }
}

double
sw_waveform_sum (const SwWaveform *w, int n, double t_ms)
{
  double sum = 0.0;
  for (int i = 0; i < n; i++)
    sum += sw_waveform_eval (&w[i], t_ms);
  return sum;
}
