/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Spike-train statistics.  All functions take spikes as parallel arrays of
 * neuron indices and times (ms) of ONE population, in any order unless
 * stated, and a window [t0, t1) in ms: spikes outside it are ignored.
 * Population rates are spike counts per bin divided by (n * bin width).
 * Definitions follow the science spec (async-states §4.5, §6) and the
 * Brian2 peer harness, so that numbers compare one to one.
 *
 * Conventions shared by every function (they are the harness's):
 * - a spike is in the window when t0 - 1e-9 <= t < t1 - 1e-9 (ms), so that
 *   times computed as step * dt land on the intended side of an edge;
 * - a spike falls in bin (or counting window) k = floor((t - t0) / w + 1e-6)
 *   of width w, for the same reason;
 * - spike times that are NaN are never inside a window and are ignored, as
 *   are neuron indices outside [0, n);
 * - invalid arguments (NULL arrays with a non-zero length, n <= 0, a window
 *   with t1 <= t0 or a non-finite edge, a non-positive width) give NAN, or
 *   0 for functions that return a size; nothing ever aborts.
 *
 * The functions allocate temporary memory (freed before they return; an
 * allocation failure gives NAN), keep no state and are safe to call from
 * several threads at once.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Mean rate (Hz): spikes in the window / (n * window length).  0 when no
 * spike falls in a valid window. */
double sw_mean_rate_hz (size_t n_spikes, const double *t_ms, int n, double t0, double t1);

/* Mean over neurons with at least 3 spikes in the window of SD(ISI)/mean(ISI)
 * (SD with 1/N).  A neuron's ISIs are the differences of its sorted spike
 * times in the window.  Neurons whose mean ISI is 0 (all spikes at one
 * time) are skipped; the harness would return NaN for the whole population.
 * NAN when no neuron qualifies. */
double sw_cv_isi (const int32_t *neuron, const double *t_ms, size_t n_spikes, int n,
                  double t0, double t1);

/* Fano factor of spike counts.  The window is cut into W = floor((t1 - t0) /
 * @win_ms + 1e-6) consecutive counting windows of @win_ms starting at t0
 * (a partial window at the end is dropped); each neuron i in [0, n) gets its
 * W counts c_1..c_W, and
 *   F_i = var(c) / mean(c),  var with 1/W (not 1/(W - 1)),
 * so a Poisson neuron gives F ≈ 1 - 1/W and a perfectly regular one 0.
 * The result is the mean of F_i over the neurons with a non-zero mean count
 * (silent neurons are left out).  NAN when none, or when W < 2. */
double sw_fano (const int32_t *neuron, const double *t_ms, size_t n_spikes, int n,
                double t0, double t1, double win_ms);

/* Population rate in Hz: n_bins = floor((t1 - t0) / bin_ms + 1e-6) bins of
 * @bin_ms from t0; bin k holds the spikes of the window with
 * floor((t - t0) / bin_ms + 1e-6) = k, divided by n * bin_ms / 1000.
 * Fills min(n_bins, @max_bins) values of @rate (which may be NULL to query
 * n_bins) and returns n_bins, or 0 for an invalid window or bin width (or
 * more than 2^52 bins).  With n <= 0 the rates written are NAN.  (The
 * harness rounds (t1 - t0) / bin instead of flooring it; both agree when
 * the window is a whole number of bins, as it always is there.) */
size_t sw_population_rate (const double *t_ms, size_t n_spikes, int n, double t0, double t1,
                           double bin_ms, double *rate, size_t max_bins);

/* Synchrony chi = SD / mean of a binned population rate (SD with 1/N); NAN
 * if the mean is not positive (silent) or n_bins is 0.  A NaN in @rate gives
 * NAN. */
double sw_chi (const double *rate, size_t n_bins);

/* Welch power spectral density of a signal sampled at @fs_hz: Hann window,
 * segments of @seg samples (shortened to n when n < seg), 50 % overlap, mean
 * removed per segment, one-sided density scaling as scipy.signal.welch.
 * Writes seg/2 + 1 values to @psd and frequencies to @freq (either may be
 * NULL to query the size).  Returns the number of frequencies, 0 if n < 2.
 *
 * In detail, it is scipy.signal.welch (x, fs, window='hann', nperseg=seg,
 * noverlap=seg // 2, detrend='constant', scaling='density'): the periodic
 * Hann window w[j] = 0.5 - 0.5 cos(2 pi j / seg); segments start every
 * seg - seg/2 samples and only whole segments are used (the tail is
 * dropped); for each, the segment mean is subtracted, the product with w is
 * transformed, and |X_k|^2 / (fs sum w^2) is averaged over segments (plain
 * mean), doubled for 0 < k < seg/2 and, for odd seg, also at k = seg/2.
 * freq[k] = k fs / seg.  The density's integral (sum of psd times fs / seg)
 * is the mean windowed variance of the segments, about the variance of x.
 * Units: psd in [x]^2 / Hz.  Also returns 0 if seg < 2, x is NULL or fs_hz is
 * not finite and positive; NaN samples give NaN densities.  Cost
 * O(n log seg): power-of-two segments use a radix-2 FFT, other lengths a
 * direct DFT when short and Bluestein's algorithm otherwise. */
size_t sw_welch (const double *x, size_t n, double fs_hz, size_t seg,
                 double *freq, double *psd);

/* Peak of the Welch spectrum of a 1 ms-binned rate (256-bin segments) at
 * frequencies >= 2 Hz, and its prominence = peak power / median power over
 * 2-200 Hz.  Both NAN for a silent or too short signal.
 *
 * For other bin widths the segments last 256 ms as well: seg =
 * min(n_bins, floor(256 / bin_ms)) samples at fs = 1000 / bin_ms Hz.  The
 * peak is the first maximum of the density over 2 Hz <= f <= fs / 2; the
 * median (mean of the two middle values for an even count) is taken over
 * the frequencies 2 <= f <= 200 Hz.  @prominence is NAN when that band is
 * empty or its median is 0; both are NAN when the rate contains a
 * non-finite value, its mean is not positive or no frequency reaches 2 Hz.
 * Either output pointer may be NULL. */
void sw_spectrum_peak (const double *rate, size_t n_bins, double bin_ms,
                       double *peak_hz, double *prominence);
