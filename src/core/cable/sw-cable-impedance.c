/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input and transfer impedance from a ZAP (linear chirp) current: the cell
 * is simulated alone, first at rest, then with the chirp; the impedance is
 * the ratio of the Fourier transforms of the voltage and the current over
 * the chirp, on the frequency bins inside its band.  A small amplitude keeps
 * the response linear.
 */
#include "sw-cable-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* In-place iterative radix-2 FFT of @n (a power of two) complex values. */
static void
fft (double *re, double *im, size_t n)
{
  for (size_t i = 1, j = 0; i < n; i++)
    {
      size_t bit = n >> 1;
      for (; j & bit; bit >>= 1)
        j ^= bit;
      j ^= bit;
      if (i < j)
        {
          double t = re[i];
          re[i] = re[j];
          re[j] = t;
          t = im[i];
          im[i] = im[j];
          im[j] = t;
        }
    }
  for (size_t len = 2; len <= n; len <<= 1)
    {
      double ang = -2.0 * M_PI / (double) len;
      for (size_t i = 0; i < n; i += len)
        for (size_t k = 0; k < len / 2; k++)
          {
            double wr = cos (ang * (double) k), wi = sin (ang * (double) k);
            size_t a = i + k, b = i + k + len / 2;
            double xr = re[b] * wr - im[b] * wi, xi = re[b] * wi + im[b] * wr;
            re[b] = re[a] - xr;
            im[b] = im[a] - xi;
            re[a] += xr;
            im[a] += xi;
          }
    }
}

void
sw_cable_impedance_clear (SwCableImpedance *z)
{
  free (z->freq_hz);
  free (z->mag_mohm);
  free (z->phase_rad);
  memset (z, 0, sizeof *z);
}

SwStatus
sw_cable_impedance (const SwCableCell *cell, int node, const SwCableConfig *cfg, double f0_hz,
                    double f1_hz, double dur_ms, double settle_ms, double amp_na,
                    SwCableImpedance *out, SwError *err)
{
  memset (out, 0, sizeof *out);
  if (node < 0 || node >= cell->n_nodes)
    return sw_error_set (err, SW_ERR_NOT_FOUND, "impedance: no node %d in the cell", node);
  if (!(f0_hz >= 0 && f1_hz > f0_hz && dur_ms > 0 && settle_ms >= 0 && amp_na != 0
        && isfinite (amp_na)))
    return sw_error_set (err, SW_ERR_INVALID,
                         "impedance: expected 0 <= f0 < f1, a positive duration and a non-zero amplitude");
  SwCableConfig c;
  if (cfg)
    c = *cfg;
  else
    sw_cable_config_init (&c);
  /* Sample at least 8 times per period of the highest frequency. */
  double rec = 1000.0 / (8.0 * f1_hz);
  if (rec < c.dt_ms)
    rec = c.dt_ms;
  int every = (int) floor (rec / c.dt_ms);
  c.record_dt_ms = every * c.dt_ms;
  SwCableSim *sim = sw_cable_sim_new (&c);
  if (sim == NULL)
    return sw_error_set (err, SW_ERR_NOMEM, "out of memory");
  SwStatus st;
  int pv, pi, zap;
  if (sw_cable_sim_add_cells (sim, cell, 1, err) < 0
      || (zap = sw_cable_sim_add_zap (sim, 0, node, settle_ms, dur_ms, f0_hz, f1_hz, amp_na, err)) < 0
      || (pv = sw_cable_sim_add_probe (sim, SW_CABLE_PROBE_V, 0, node, NULL, NULL, 0, err)) < 0
      || (pi = sw_cable_sim_add_probe (sim, SW_CABLE_PROBE_CLAMP_I, 0, 0, NULL, NULL, zap, err)) < 0)
    {
      sw_cable_sim_free (sim);
      return SW_ERR_INVALID;
    }
  st = sw_cable_sim_run (sim, settle_ms + dur_ms, err);
  if (st != SW_OK)
    {
      sw_cable_sim_free (sim);
      return st;
    }
  size_t nv, ni;
  const double *v = sw_cable_sim_probe_data (sim, pv, &nv);
  const double *iz = sw_cable_sim_probe_data (sim, pi, &ni);
  double dts = sw_cable_sim_probe_dt (sim);
  size_t k0 = (size_t) llround (settle_ms / dts) + 1;
  size_t k1 = nv < ni ? nv : ni;
  if (k1 <= k0 + 16)
    {
      sw_cable_sim_free (sim);
      return sw_error_set (err, SW_ERR_INVALID, "impedance: the chirp is too short for its band");
    }
  size_t m = k1 - k0, n = 1;
  while (n < m)
    n <<= 1;
  double *vr = calloc (n, sizeof (double)), *vi = calloc (n, sizeof (double));
  double *ir = calloc (n, sizeof (double)), *ii = calloc (n, sizeof (double));
  if (!vr || !vi || !ir || !ii)
    {
      free (vr), free (vi), free (ir), free (ii);
      sw_cable_sim_free (sim);
      return sw_error_set (err, SW_ERR_NOMEM, "out of memory");
    }
  /* The response around the resting voltage just before the chirp. */
  double v_rest = v[k0 - 1];
  for (size_t k = 0; k < m; k++)
    {
      vr[k] = v[k0 + k] - v_rest;
      ir[k] = iz[k0 + k];
    }
  sw_cable_sim_free (sim);
  fft (vr, vi, n);
  fft (ir, ii, n);
  double df = 1000.0 / (n * dts);
  /* Bins well inside the band, where the current carries power. */
  double lo = f0_hz > df ? f0_hz : df, hi = f1_hz;
  size_t b0 = (size_t) ceil (lo / df), b1 = (size_t) floor (hi / df);
  if (b1 >= n / 2)
    b1 = n / 2 - 1;
  if (b1 < b0)
    {
      free (vr), free (vi), free (ir), free (ii);
      return sw_error_set (err, SW_ERR_INVALID, "impedance: no frequency bin inside the band");
    }
  size_t nb = b1 - b0 + 1;
  out->freq_hz = malloc (sizeof (double) * nb);
  out->mag_mohm = malloc (sizeof (double) * nb);
  out->phase_rad = malloc (sizeof (double) * nb);
  if (!out->freq_hz || !out->mag_mohm || !out->phase_rad)
    {
      free (vr), free (vi), free (ir), free (ii);
      sw_cable_impedance_clear (out);
      return sw_error_set (err, SW_ERR_NOMEM, "out of memory");
    }
  out->n = nb;
  for (size_t b = b0; b <= b1; b++)
    {
      double den = ir[b] * ir[b] + ii[b] * ii[b];
      double zr = (vr[b] * ir[b] + vi[b] * ii[b]) / den;
      double zi = (vi[b] * ir[b] - vr[b] * ii[b]) / den;
      out->freq_hz[b - b0] = b * df;
      out->mag_mohm[b - b0] = hypot (zr, zi);
      out->phase_rad[b - b0] = atan2 (zi, zr);
    }
  free (vr), free (vi), free (ir), free (ii);
  /* Resonance on a lightly smoothed |Z| (a running mean over about 1 % of
   * the band), so that single noisy bins do not decide it. */
  int w = (int) (nb / 200);
  size_t best = 0;
  double best_z = -1, z_low = 0;
  for (size_t k = 0; k < nb; k++)
    {
      double s = 0;
      int cnt = 0;
      for (int j = -w; j <= w; j++)
        {
          long q = (long) k + j;
          if (q >= 0 && q < (long) nb)
            {
              s += out->mag_mohm[q];
              cnt++;
            }
        }
      s /= cnt;
      if (k == 0)
        z_low = s;
      if (s > best_z)
        {
          best_z = s;
          best = k;
        }
    }
  out->f_res_hz = out->freq_hz[best];
  out->z_res_mohm = best_z;
  out->q = best_z / z_low;
  return SW_OK;
}
