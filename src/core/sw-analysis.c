/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Spike-train statistics (rates, CV of ISIs, Fano factor, synchrony chi) and
 * the Welch spectrum of a population rate.  Every definition mirrors the
 * Brian2 peer harness (peers/brian2/harness.py) and scipy.signal.welch so
 * that a Spikeworks run and a Brian2 run can be compared number by number;
 * where the two could differ (edge tolerances, degenerate neurons) the
 * header says which choice was made.
 */
#include "sw-analysis.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* The harness keeps spikes with t0 - 1e-9 <= t < t1 - 1e-9 (ms): spike
 * times are step * dt, which can fall a rounding error either side of an
 * edge that is a whole number of steps. */
#define WINDOW_EPS_MS 1e-9

/* ... and bins them with floor((t - t0) / bin + 1e-6), for the same reason
 * at the inner bin edges. */
#define BIN_EPS 1e-6

/* Segments of the spectrum last this long, whatever the bin width
 * (harness: WELCH_SEG_MS). */
#define SPECTRUM_SEG_MS 256.0

/* The peak is searched at f >= 2 Hz, the median over 2-200 Hz (spec §4.5). */
#define SPECTRUM_F_MIN_HZ 2.0
#define SPECTRUM_F_MAX_HZ 200.0

/* Non-power-of-two segments up to this length use a direct DFT; longer ones
 * Bluestein's algorithm, whose three power-of-two FFTs of length >= 2 seg
 * beat seg^2 / 2 multiply-adds from about here on. */
#define DIRECT_DFT_MAX 64

/* Counts above this are refused: no array that long can be allocated and
 * every integer below it is exact in a double. */
#define MAX_COUNT 4503599627370496.0 /* 2^52 */

/* PI is POSIX, not C11. */
#define PI 3.14159265358979323846264338327950288

static bool
window_ok (double t0, double t1)
{
  return isfinite (t0) && isfinite (t1) && t1 > t0;
}

static bool
in_window (double t, double t0, double t1)
{
  /* False for NaN, which is how NaN spike times get ignored. */
  return t >= t0 - WINDOW_EPS_MS && t < t1 - WINDOW_EPS_MS;
}

/* Number of whole windows of @width in [t0, t1), 0 when invalid. */
static size_t
count_windows (double t0, double t1, double width)
{
  if (!window_ok (t0, t1) || !isfinite (width) || !(width > 0.0))
    return 0;
  double w = floor ((t1 - t0) / width + BIN_EPS);
  if (!(w >= 1.0) || w > MAX_COUNT || w > (double) (SIZE_MAX / sizeof (double)))
    return 0;
  return (size_t) w;
}

/* Index of the window of @width holding @t, or -1 outside [0, n_windows). */
static ptrdiff_t
window_index (double t, double t0, double width, size_t n_windows)
{
  double k = floor ((t - t0) / width + BIN_EPS);
  /* Compare as doubles first so that the conversion below is defined. */
  if (!(k >= 0.0) || !(k < (double) n_windows))
    return -1;
  return (ptrdiff_t) k;
}

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;
  return (x > y) - (x < y);
}

/* ------------------------------------------------------------------------
 * Spikes grouped by neuron
 * ------------------------------------------------------------------------ */

/* The in-window spikes of neurons 0..n-1, neuron i's sorted times being
 * times[start[i]] .. times[start[i + 1] - 1]. */
typedef struct
{
  size_t *start;
  double *times;
} Groups;

static void
groups_clear (Groups *g)
{
  free (g->start);
  free (g->times);
  g->start = NULL;
  g->times = NULL;
}

/* A counting sort by neuron, O(n_spikes + n): recorders deliver spikes in
 * time order, so each group usually comes out sorted already and the per
 * group qsort is skipped.  Returns false on an allocation failure. */
static bool
groups_build (Groups *g, const int32_t *neuron, const double *t_ms, size_t n_spikes, int n,
              double t0, double t1)
{
  size_t nn = (size_t) n;
  size_t *next = NULL;

  g->start = calloc (nn + 1, sizeof *g->start);
  if (g->start == NULL)
    return false;

  size_t total = 0;
  for (size_t s = 0; s < n_spikes; s++)
    if (neuron[s] >= 0 && neuron[s] < n && in_window (t_ms[s], t0, t1))
      {
        g->start[(size_t) neuron[s] + 1]++;
        total++;
      }
  for (size_t i = 0; i < nn; i++)
    g->start[i + 1] += g->start[i];

  g->times = malloc ((total > 0 ? total : 1) * sizeof *g->times);
  next = malloc (nn * sizeof *next);
  if (g->times == NULL || next == NULL)
    {
      free (next);
      groups_clear (g);
      return false;
    }
  memcpy (next, g->start, nn * sizeof *next);

  for (size_t s = 0; s < n_spikes; s++)
    if (neuron[s] >= 0 && neuron[s] < n && in_window (t_ms[s], t0, t1))
      g->times[next[neuron[s]]++] = t_ms[s];
  free (next);

  for (size_t i = 0; i < nn; i++)
    {
      double *a = g->times + g->start[i];
      size_t len = g->start[i + 1] - g->start[i];
      for (size_t j = 1; j < len; j++)
        if (a[j] < a[j - 1])
          {
            qsort (a, len, sizeof *a, compare_double);
            break;
          }
    }
  return true;
}

static bool
spike_args_ok (const int32_t *neuron, const double *t_ms, size_t n_spikes, int n,
               double t0, double t1)
{
  if (n <= 0 || !window_ok (t0, t1))
    return false;
  if (n_spikes > 0 && (neuron == NULL || t_ms == NULL))
    return false;
  return true;
}

/* ------------------------------------------------------------------------
 * Rates and spike-train statistics
 * ------------------------------------------------------------------------ */

double
sw_mean_rate_hz (size_t n_spikes, const double *t_ms, int n, double t0, double t1)
{
  if (n <= 0 || !window_ok (t0, t1) || (n_spikes > 0 && t_ms == NULL))
    return NAN;

  size_t count = 0;
  for (size_t s = 0; s < n_spikes; s++)
    if (in_window (t_ms[s], t0, t1))
      count++;
  return (double) count / ((double) n * (t1 - t0) / 1000.0);
}

double
sw_cv_isi (const int32_t *neuron, const double *t_ms, size_t n_spikes, int n,
           double t0, double t1)
{
  if (!spike_args_ok (neuron, t_ms, n_spikes, n, t0, t1))
    return NAN;

  Groups g = { NULL, NULL };
  if (!groups_build (&g, neuron, t_ms, n_spikes, n, t0, t1))
    return NAN;

  double sum = 0.0;
  size_t used = 0;
  for (size_t i = 0; i < (size_t) n; i++)
    {
      const double *a = g.times + g.start[i];
      size_t len = g.start[i + 1] - g.start[i];
      if (len < 3)
        continue;

      /* Two passes over the ISIs: the harness's E[x^2] - E[x]^2 loses
       * digits for regular trains, where the exact answer 0 matters. */
      size_t k = len - 1;
      double mean = 0.0;
      for (size_t j = 1; j < len; j++)
        mean += a[j] - a[j - 1];
      mean /= (double) k;
      if (!(mean > 0.0))
        continue;
      double var = 0.0;
      for (size_t j = 1; j < len; j++)
        {
          double d = (a[j] - a[j - 1]) - mean;
          var += d * d;
        }
      var /= (double) k;
      sum += sqrt (var) / mean;
      used++;
    }
  groups_clear (&g);
  return used > 0 ? sum / (double) used : NAN;
}

double
sw_fano (const int32_t *neuron, const double *t_ms, size_t n_spikes, int n,
         double t0, double t1, double win_ms)
{
  if (!spike_args_ok (neuron, t_ms, n_spikes, n, t0, t1))
    return NAN;
  size_t n_win = count_windows (t0, t1, win_ms);
  if (n_win < 2)
    return NAN;

  Groups g = { NULL, NULL };
  if (!groups_build (&g, neuron, t_ms, n_spikes, n, t0, t1))
    return NAN;

  /* With sorted times the window index never decreases, so each neuron's
   * counts arrive as runs: sum c and sum c^2 need no array of W counts
   * (W * n could be large for short windows). */
  double wd = (double) n_win;
  double sum = 0.0;
  size_t used = 0;
  for (size_t i = 0; i < (size_t) n; i++)
    {
      const double *a = g.times + g.start[i];
      size_t len = g.start[i + 1] - g.start[i];
      double s1 = 0.0, s2 = 0.0, run = 0.0;
      ptrdiff_t current = -1;
      for (size_t j = 0; j < len; j++)
        {
          ptrdiff_t k = window_index (a[j], t0, win_ms, n_win);
          if (k < 0)
            continue;
          if (k != current)
            {
              s2 += run * run;
              run = 0.0;
              current = k;
            }
          run += 1.0;
          s1 += 1.0;
        }
      s2 += run * run;
      if (s1 == 0.0)
        continue;

      /* var / mean = (W s2 - s1^2) / (W s1); the counts are integers, so
       * the numerator is exact (below 2^53) and never negative. */
      sum += (wd * s2 - s1 * s1) / (wd * s1);
      used++;
    }
  groups_clear (&g);
  return used > 0 ? sum / (double) used : NAN;
}

size_t
sw_population_rate (const double *t_ms, size_t n_spikes, int n, double t0, double t1,
                    double bin_ms, double *rate, size_t max_bins)
{
  size_t n_bins = count_windows (t0, t1, bin_ms);
  if (n_bins == 0 || rate == NULL)
    return n_bins;

  size_t n_fill = n_bins < max_bins ? n_bins : max_bins;
  if (n <= 0 || (n_spikes > 0 && t_ms == NULL))
    {
      for (size_t b = 0; b < n_fill; b++)
        rate[b] = NAN;
      return n_bins;
    }

  for (size_t b = 0; b < n_fill; b++)
    rate[b] = 0.0;
  for (size_t s = 0; s < n_spikes; s++)
    {
      if (!in_window (t_ms[s], t0, t1))
        continue;
      ptrdiff_t k = window_index (t_ms[s], t0, bin_ms, n_fill);
      if (k >= 0)
        rate[k] += 1.0;
    }
  double scale = 1.0 / ((double) n * bin_ms / 1000.0);
  for (size_t b = 0; b < n_fill; b++)
    rate[b] *= scale;
  return n_bins;
}

double
sw_chi (const double *rate, size_t n_bins)
{
  if (rate == NULL || n_bins == 0)
    return NAN;

  double mean = 0.0;
  for (size_t b = 0; b < n_bins; b++)
    mean += rate[b];
  mean /= (double) n_bins;
  /* Also false for NaN. */
  if (!(mean > 0.0))
    return NAN;

  double var = 0.0;
  for (size_t b = 0; b < n_bins; b++)
    {
      double d = rate[b] - mean;
      var += d * d;
    }
  var /= (double) n_bins;
  return sqrt (var) / mean;
}

/* ------------------------------------------------------------------------
 * Discrete Fourier transform of one real segment
 * ------------------------------------------------------------------------ */

typedef enum
{
  DFT_RADIX2,
  DFT_DIRECT,
  DFT_BLUESTEIN,
} DftKind;

/* Everything a transform of length n needs, computed once per call of
 * sw_welch and reused for every segment. */
typedef struct
{
  DftKind kind;
  size_t n;       /* segment (transform) length */
  size_t m;       /* length of the radix-2 FFTs: n, or >= 2n - 1 (Bluestein) */
  double *cos_t;  /* radix-2: cos, sin (2 pi j / m) for j < m / 2; */
  double *sin_t;  /* direct: for j < n */
  double *w_re;   /* Bluestein: chirp exp(-i pi j^2 / n), j < n */
  double *w_im;
  double *b_re;   /* Bluestein: FFT of the conjugate chirp filter */
  double *b_im;
  double *re;     /* work arrays of length m */
  double *im;
} Dft;

static bool
is_pow2 (size_t n)
{
  return n > 0 && (n & (n - 1)) == 0;
}

static void
dft_clear (Dft *d)
{
  free (d->cos_t);
  free (d->sin_t);
  free (d->w_re);
  free (d->w_im);
  free (d->b_re);
  free (d->b_im);
  free (d->re);
  free (d->im);
  *d = (Dft) { .n = 0 };
}

/* In-place iterative radix-2 FFT of length d->m (a power of two), with the
 * kernel exp(-2 pi i jk / m), or exp(+...) when @inverse (unnormalised). */
static void
fft_pow2 (const Dft *d, double *re, double *im, bool inverse)
{
  size_t m = d->m;
  double sign = inverse ? 1.0 : -1.0;

  for (size_t i = 1, j = 0; i < m; i++)
    {
      size_t bit = m >> 1;
      for (; j & bit; bit >>= 1)
        j ^= bit;
      j |= bit;
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

  for (size_t len = 2; len <= m; len <<= 1)
    {
      size_t half = len >> 1;
      size_t stride = m / len;
      for (size_t start = 0; start < m; start += len)
        for (size_t j = 0; j < half; j++)
          {
            double wr = d->cos_t[j * stride];
            double wi = sign * d->sin_t[j * stride];
            size_t p = start + j;
            size_t q = p + half;
            double xr = re[q] * wr - im[q] * wi;
            double xi = re[q] * wi + im[q] * wr;
            re[q] = re[p] - xr;
            im[q] = im[p] - xi;
            re[p] += xr;
            im[p] += xi;
          }
    }
}

static bool
dft_init (Dft *d, size_t n)
{
  *d = (Dft) { .n = n };

  if (is_pow2 (n))
    {
      d->kind = DFT_RADIX2;
      d->m = n;
    }
  else if (n <= DIRECT_DFT_MAX)
    {
      d->kind = DFT_DIRECT;
      d->m = n;
    }
  else
    {
      d->kind = DFT_BLUESTEIN;
      d->m = 1;
      while (d->m < 2 * n - 1)
        {
          if (d->m > SIZE_MAX / 4 / sizeof (double))
            return false;
          d->m <<= 1;
        }
    }

  /* The direct DFT indexes a whole turn, the FFT half a turn. */
  size_t table_len = d->kind == DFT_DIRECT ? n : d->m / 2;
  d->cos_t = malloc ((table_len > 0 ? table_len : 1) * sizeof (double));
  d->sin_t = malloc ((table_len > 0 ? table_len : 1) * sizeof (double));
  d->re = malloc (d->m * sizeof (double));
  d->im = malloc (d->m * sizeof (double));
  if (d->cos_t == NULL || d->sin_t == NULL || d->re == NULL || d->im == NULL)
    {
      dft_clear (d);
      return false;
    }
  double base = 2.0 * PI / (double) (d->kind == DFT_DIRECT ? n : d->m);
  for (size_t j = 0; j < table_len; j++)
    {
      d->cos_t[j] = cos (base * (double) j);
      d->sin_t[j] = sin (base * (double) j);
    }

  if (d->kind != DFT_BLUESTEIN)
    return true;

  d->w_re = malloc (n * sizeof (double));
  d->w_im = malloc (n * sizeof (double));
  d->b_re = calloc (d->m, sizeof (double));
  d->b_im = calloc (d->m, sizeof (double));
  if (d->w_re == NULL || d->w_im == NULL || d->b_re == NULL || d->b_im == NULL)
    {
      dft_clear (d);
      return false;
    }

  /* Chirp w_j = exp(-i pi j^2 / n).  j^2 is reduced modulo 2n, through
   * (j+1)^2 = j^2 + 2j + 1, so that the angle stays below 2 pi and keeps
   * full precision for long segments. */
  size_t q = 0;
  for (size_t j = 0; j < n; j++)
    {
      double angle = PI * (double) q / (double) n;
      d->w_re[j] = cos (angle);
      d->w_im[j] = -sin (angle);
      q += 2 * j + 1;
      while (q >= 2 * n)
        q -= 2 * n;
    }

  /* Filter b_j = conj(w_j) at j and m - j, so that the circular
   * convolution of length m equals the linear one for lags |j| < n. */
  d->b_re[0] = d->w_re[0];
  d->b_im[0] = -d->w_im[0];
  for (size_t j = 1; j < n; j++)
    {
      d->b_re[j] = d->b_re[d->m - j] = d->w_re[j];
      d->b_im[j] = d->b_im[d->m - j] = -d->w_im[j];
    }
  fft_pow2 (d, d->b_re, d->b_im, false);
  return true;
}

/* Adds |X_k|^2 for k = 0..n/2 of the real segment @x (length n) to @acc. */
static void
dft_accumulate_power (Dft *d, const double *x, double *acc)
{
  size_t n = d->n;
  size_t n_freq = n / 2 + 1;
  double *re = d->re;
  double *im = d->im;

  switch (d->kind)
    {
    case DFT_RADIX2:
      memcpy (re, x, n * sizeof *re);
      memset (im, 0, n * sizeof *im);
      fft_pow2 (d, re, im, false);
      break;

    case DFT_DIRECT:
      for (size_t k = 0; k < n_freq; k++)
        {
          /* The table index j k mod n is kept exact incrementally. */
          double sr = 0.0, si = 0.0;
          size_t idx = 0;
          for (size_t j = 0; j < n; j++)
            {
              sr += x[j] * d->cos_t[idx];
              si -= x[j] * d->sin_t[idx];
              idx += k;
              if (idx >= n)
                idx -= n;
            }
          re[k] = sr;
          im[k] = si;
        }
      break;

    case DFT_BLUESTEIN:
      /* X_k = w_k sum_j (x_j w_j) conj(w_{k-j}): a convolution with the
       * filter prepared in dft_init, done with FFTs of length m. */
      for (size_t j = 0; j < n; j++)
        {
          re[j] = x[j] * d->w_re[j];
          im[j] = x[j] * d->w_im[j];
        }
      for (size_t j = n; j < d->m; j++)
        re[j] = im[j] = 0.0;
      fft_pow2 (d, re, im, false);
      for (size_t j = 0; j < d->m; j++)
        {
          double r = re[j] * d->b_re[j] - im[j] * d->b_im[j];
          double i = re[j] * d->b_im[j] + im[j] * d->b_re[j];
          re[j] = r;
          im[j] = i;
        }
      fft_pow2 (d, re, im, true);
      for (size_t k = 0; k < n_freq; k++)
        {
          double cr = re[k] / (double) d->m;
          double ci = im[k] / (double) d->m;
          re[k] = cr * d->w_re[k] - ci * d->w_im[k];
          im[k] = cr * d->w_im[k] + ci * d->w_re[k];
        }
      break;
    }

  for (size_t k = 0; k < n_freq; k++)
    acc[k] += re[k] * re[k] + im[k] * im[k];
}

/* ------------------------------------------------------------------------
 * Welch spectrum and its peak
 * ------------------------------------------------------------------------ */

size_t
sw_welch (const double *x, size_t n, double fs_hz, size_t seg,
          double *freq, double *psd)
{
  if (x == NULL || n < 2 || seg < 2 || !isfinite (fs_hz) || !(fs_hz > 0.0))
    return 0;
  if (seg > n)
    seg = n;

  size_t n_freq = seg / 2 + 1;
  if (freq != NULL)
    {
      /* numpy's rfftfreq: k * (1 / (seg * (1 / fs))), to the last bit. */
      double df = 1.0 / ((double) seg * (1.0 / fs_hz));
      for (size_t k = 0; k < n_freq; k++)
        freq[k] = (double) k * df;
    }
  if (psd == NULL)
    return n_freq;

  Dft d;
  double *win = malloc (seg * sizeof *win);
  double *buf = malloc (seg * sizeof *buf);
  if (win == NULL || buf == NULL || !dft_init (&d, seg))
    {
      free (win);
      free (buf);
      for (size_t k = 0; k < n_freq; k++)
        psd[k] = NAN;
      return n_freq;
    }

  /* Periodic Hann window (scipy's default sym=False). */
  double win_sq = 0.0;
  for (size_t j = 0; j < seg; j++)
    {
      win[j] = 0.5 - 0.5 * cos (2.0 * PI * (double) j / (double) seg);
      win_sq += win[j] * win[j];
    }

  size_t overlap = seg / 2;
  size_t step = seg - overlap;
  size_t n_seg = (n - overlap) / step;

  for (size_t k = 0; k < n_freq; k++)
    psd[k] = 0.0;
  for (size_t s = 0; s < n_seg; s++)
    {
      const double *a = x + s * step;
      double mean = 0.0;
      for (size_t j = 0; j < seg; j++)
        mean += a[j];
      mean /= (double) seg;
      for (size_t j = 0; j < seg; j++)
        buf[j] = (a[j] - mean) * win[j];
      dft_accumulate_power (&d, buf, psd);
    }

  /* Density scaling 1 / (fs sum w^2), the mean over segments, and the
   * one-sided doubling of every bin that has a negative-frequency twin
   * (not DC, not the Nyquist bin of an even segment). */
  double scale = 1.0 / (fs_hz * win_sq * (double) n_seg);
  size_t last_doubled = seg % 2 == 0 ? n_freq - 2 : n_freq - 1;
  for (size_t k = 0; k < n_freq; k++)
    {
      psd[k] *= scale;
      if (k >= 1 && k <= last_doubled)
        psd[k] *= 2.0;
    }

  dft_clear (&d);
  free (win);
  free (buf);
  return n_freq;
}

/* The work of sw_spectrum_peak once the arguments are known to be valid
 * (@rate finite with a positive mean, n_bins >= 2, bin_ms > 0); leaves the
 * outputs alone when there is no answer. */
static void
find_peak (const double *rate, size_t n_bins, double bin_ms, double *peak, double *prom)
{
  /* The harness's int(WELCH_SEG_MS / BIN_MS), with a hair of tolerance for
   * bin widths such as 0.1 ms that are not exact in binary. */
  double fs = 1000.0 / bin_ms;
  double seg_d = floor (SPECTRUM_SEG_MS / bin_ms + 1e-9);
  size_t seg = seg_d >= (double) n_bins ? n_bins : (size_t) seg_d;
  size_t n_freq = sw_welch (rate, n_bins, fs, seg, NULL, NULL);
  if (n_freq == 0)
    return;

  double *freq = malloc (n_freq * sizeof *freq);
  double *psd = malloc (n_freq * sizeof *psd);
  double *band = malloc (n_freq * sizeof *band);
  if (freq != NULL && psd != NULL && band != NULL)
    {
      sw_welch (rate, n_bins, fs, seg, freq, psd);

      /* The first maximum, as numpy's argmax. */
      size_t k_peak = n_freq;
      size_t n_band = 0;
      for (size_t k = 0; k < n_freq; k++)
        {
          if (!(freq[k] >= SPECTRUM_F_MIN_HZ))
            continue;
          if (k_peak == n_freq || psd[k] > psd[k_peak])
            k_peak = k;
          if (freq[k] <= SPECTRUM_F_MAX_HZ)
            band[n_band++] = psd[k];
        }

      if (k_peak < n_freq && isfinite (psd[k_peak]))
        {
          *peak = freq[k_peak];
          if (n_band > 0)
            {
              qsort (band, n_band, sizeof *band, compare_double);
              double median = n_band % 2 == 1
                                ? band[n_band / 2]
                                : 0.5 * (band[n_band / 2 - 1] + band[n_band / 2]);
              if (median > 0.0)
                *prom = psd[k_peak] / median;
            }
        }
    }
  free (freq);
  free (psd);
  free (band);
}

void
sw_spectrum_peak (const double *rate, size_t n_bins, double bin_ms,
                  double *peak_hz, double *prominence)
{
  double peak = NAN;
  double prom = NAN;

  if (rate != NULL && n_bins >= 2 && isfinite (bin_ms) && bin_ms > 0.0)
    {
      bool finite = true;
      double mean = 0.0;
      for (size_t b = 0; b < n_bins && finite; b++)
        {
          finite = isfinite (rate[b]);
          mean += rate[b];
        }
      if (finite && mean / (double) n_bins > 0.0)
        find_peak (rate, n_bins, bin_ms, &peak, &prom);
    }

  if (peak_hz != NULL)
    *peak_hz = peak;
  if (prominence != NULL)
    *prominence = prom;
}
