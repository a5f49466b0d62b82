/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EEG-style power spectra of neural-mass signals (neural-masses spec §4):
 * decimation by block averaging, Welch's density (Hann window, 2 s
 * segments, 50 % overlap, one-sided, as sw_welch() in sw-analysis.h), the
 * spectral peak, and fitting a node's parameters to a target spectrum with a
 * bounded Nelder-Mead search.
 *
 * Thread safety: pure functions.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "sw-mass-model.h"
#include "sw-status.h"

/* Block means of @factor samples: n / factor values to @out (may be @x). */
size_t sw_mass_decimate (const double *x, size_t n, int factor, double *out);

/* Welch density of @x (n samples at @fs_hz) with segments of @seg_s
 * seconds (shortened to the signal); freq and psd receive up to
 * seg / 2 + 1 values (sw_mass_psd_size() tells how many).  Returns the
 * number of frequencies, 0 when the signal is too short. */
size_t sw_mass_psd_size (size_t n, double fs_hz, double seg_s);
size_t sw_mass_psd (const double *x, size_t n, double fs_hz, double seg_s, double *freq, double *psd);

/* Frequency of the largest local maximum of the density in [f_lo, f_hi],
 * refined by a parabola through the peak bin and its neighbours; NAN when
 * the band holds no local maximum. */
double sw_mass_psd_peak (const double *freq, const double *psd, size_t nf, double f_lo, double f_hi);

/* Integral of the density (sum of psd times the bin width). */
double sw_mass_psd_power (const double *freq, const double *psd, size_t nf);

/* Spectrum of one node simulated alone (@params, seed, dt): drops
 * @warmup_s, decimates to the nearest rate at or above @fs_hz reached by
 * whole blocks (fs_hz <= 0: native rate), Welch with 2 s segments.  @freq
 * and @psd are newly allocated (free()); *@nf their length, *@fs_used the
 * rate. */
SwStatus sw_mass_node_spectrum (const SwMassType *type, const double *params, double dt_s,
                                double duration_s, double warmup_s, double fs_hz, uint64_t seed,
                                double **freq, double **psd, size_t *nf, double *fs_used,
                                SwError *err);

/* Fitting: parameters @index[k] (k < n_fit) of @params, each within
 * [lo[k], hi[k]], are varied to minimise the mean squared difference of
 * log10 P over 1-45 Hz between the node's spectrum and the target
 * (@t_freq, @t_psd, @t_n; interpolated onto the model's frequencies), with
 * weight @peak_weight (>= 1) inside [band_lo, band_hi] Hz.  Nelder-Mead on
 * the parameters mapped to [0, 1] and clamped; @max_evals spectra at most.
 * Every evaluation uses the same seed, so the loss is a deterministic
 * function of the parameters.  @params receives the best set, *@loss its
 * loss. */
typedef struct
{
  double dt_s, duration_s, warmup_s, fs_hz;
  uint64_t seed;
  double band_lo_hz, band_hi_hz, peak_weight;
  int max_evals;
} SwMassFitOptions;

SwStatus sw_mass_fit_spectrum (const SwMassType *type, double *params, const int *index,
                               const double *lo, const double *hi, int n_fit, const double *t_freq,
                               const double *t_psd, size_t t_n, const SwMassFitOptions *opt,
                               double *loss, int *evals, SwError *err);
