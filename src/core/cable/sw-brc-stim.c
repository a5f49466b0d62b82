/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Noise, cue and initial-state draws of the BRC task (see sw-brc-stim.h).
 */
#include "sw-brc-stim.h"

#include <math.h>

#include "sw-brc-wiring.h"
#include "sw-rng.h"

void
sw_brc_protocol_default (SwBrcProtocol *proto)
{
  *proto = (SwBrcProtocol) {
    .dt_ms = 0.025,
    .t_stop_ms = 1000.0,
    .cue_on_ms = 250.0,
    .cue_off_ms = 275.0,
    .cue_amp_na = 0.1,
    .cue_width = 0.3,
    .cue_pref_range = 3.0,
    .noise_sd_na = 0.06,
    .v0_min_mv = -80.0,
    .v0_max_mv = -40.0,
    .sample_ms = 0.25,
    .readout_from_ms = 250.0,
  };
}

/* Whether @t_ms is a whole multiple of @dt_ms, to rounding. */
static int
is_multiple (double t_ms, double dt_ms)
{
  double k = t_ms / dt_ms;
  return fabs (k - round (k)) < 1e-6;
}

SwStatus
sw_brc_protocol_check (const SwBrcProtocol *proto, SwError *err)
{
  const double dt = proto->dt_ms;
  if (!(dt > 0.0 && dt <= 1.0))
    return sw_error_set (err, SW_ERR_INVALID, "dt must be in (0, 1] ms, got %g", dt);
  if (!(proto->t_stop_ms > 0.0) || !is_multiple (proto->t_stop_ms, dt))
    return sw_error_set (err, SW_ERR_INVALID,
                         "trial length must be a positive multiple of dt (%g ms), got %g ms", dt,
                         proto->t_stop_ms);
  if (!(proto->cue_on_ms >= 0.0 && proto->cue_off_ms >= proto->cue_on_ms
        && proto->cue_off_ms <= proto->t_stop_ms)
      || !is_multiple (proto->cue_on_ms, dt) || !is_multiple (proto->cue_off_ms, dt))
    return sw_error_set (err, SW_ERR_INVALID,
                         "cue window [%g, %g] ms must lie in the trial and on the dt grid",
                         proto->cue_on_ms, proto->cue_off_ms);
  if (!(proto->sample_ms > 0.0) || !is_multiple (proto->sample_ms, dt))
    return sw_error_set (err, SW_ERR_INVALID,
                         "readout sampling interval must be a positive multiple of dt (%g ms), got %g ms",
                         dt, proto->sample_ms);
  if (!(proto->readout_from_ms >= 0.0 && proto->readout_from_ms <= proto->t_stop_ms)
      || !is_multiple (proto->readout_from_ms, dt))
    return sw_error_set (err, SW_ERR_INVALID,
                         "readout start must lie in the trial and on the dt grid, got %g ms",
                         proto->readout_from_ms);
  if (!(proto->v0_min_mv <= proto->v0_max_mv))
    return sw_error_set (err, SW_ERR_INVALID, "initial voltage range [%g, %g] mV is empty",
                         proto->v0_min_mv, proto->v0_max_mv);
  if (!(proto->cue_amp_na >= 0.0 && proto->noise_sd_na >= 0.0 && proto->cue_width > 0.0
        && proto->cue_pref_range >= 0.0))
    return sw_error_set (err, SW_ERR_INVALID,
                         "cue amplitude, noise SD and cue range must be non-negative, the cue width positive");
  return SW_OK;
}

void
sw_brc_cue_value (int cue, double *c1, double *c2)
{
  *c1 = (cue & 2) ? 2.0 : -2.0;
  *c2 = (cue & 1) ? 2.0 : -2.0;
}

int64_t
sw_brc_step_of (const SwBrcProtocol *proto, double t_ms)
{
  /* Times of the protocol are whole multiples of dt; rounding keeps
   * 250 / 0.025 from landing on 9999.999... */
  return (int64_t) llround (t_ms / proto->dt_ms);
}

int
sw_brc_sample_stride (const SwBrcProtocol *proto)
{
  long s = lround (proto->sample_ms / proto->dt_ms);
  return s > 0 ? (int) s : 1;
}

int
sw_brc_n_samples (const SwBrcProtocol *proto)
{
  int64_t first = sw_brc_step_of (proto, proto->readout_from_ms);
  int64_t last = sw_brc_step_of (proto, proto->t_stop_ms);
  if (last < first)
    return 0;
  return (int) ((last - first) / sw_brc_sample_stride (proto)) + 1;
}

double
sw_brc_noise_sd (const SwBrcProtocol *proto)
{
  return proto->noise_sd_na * sqrt (0.025 / proto->dt_ms);
}

void
sw_brc_cue_prefs (uint64_t seed, const SwBrcProtocol *proto, int n, double *a, double *b)
{
  const double r = proto->cue_pref_range;
  for (int k = 0; k < n; k++)
    {
      SwRand4 q = sw_philox (seed, SW_BRC_STREAM_CUE_PREF, (uint32_t) k, 0);
      a[k] = -r + 2.0 * r * sw_u01_53 (q.v[0], q.v[1]);
      b[k] = -r + 2.0 * r * sw_u01_53 (q.v[2], q.v[3]);
    }
}

double
sw_brc_cue_current (const SwBrcProtocol *proto, double a, double b, double c1, double c2)
{
  double x = (c1 - a) / proto->cue_width;
  double y = (c2 - b) / proto->cue_width;
  return proto->cue_amp_na * 0.5 * (exp (-x * x) + exp (-y * y));
}

void
sw_brc_initial_voltages (uint64_t seed, const SwBrcProtocol *proto, uint32_t trial, int cell,
                         int n, double *v)
{
  const double lo = proto->v0_min_mv, span = proto->v0_max_mv - proto->v0_min_mv;
  SwRand4 r = { { 0 } };
  for (int k = 0; k < n; k++)
    {
      /* Counter: trial in the high bits, block of four nodes below. */
      if (k % 4 == 0)
        r = sw_philox (seed, SW_BRC_STREAM_INIT_V, (uint32_t) cell,
                       ((uint64_t) trial << 10) + (uint64_t) (k / 4));
      v[k] = lo + span * sw_u01 (r.v[k % 4]);
    }
}
