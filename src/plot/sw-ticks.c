/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Nice tick positions and their labels (see sw-ticks.h).  Positions are
 * computed as k * step from integer k, never by accumulating the step, so
 * 0.1 + 0.2 rounding never shows up as "0.30000000000000004" in a label.
 */
#include "sw-ticks.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Relative slack on range ends: a tick at hi computed as k * step may fall
 * a rounding error outside [lo, hi] and must still count. */
#define END_EPS 1e-9

/* Linear labels switch to m×10^e once |value| reaches this ... */
#define SCI_BIG 1e5
/* ... or once the step falls below this. */
#define SCI_SMALL 1e-3

/* Log labels print powers between these exponents as plain numbers
 * (0.001 .. 10000). */
#define LOG_PLAIN_MIN -3
#define LOG_PLAIN_MAX 4

/* U+2212 MINUS SIGN and U+00D7 MULTIPLICATION SIGN in UTF-8. */
#define MINUS "\xe2\x88\x92"
#define TIMES "\xc3\x97"

double
sw_nice_step (double x)
{
  double p, m;

  if (!(x > 0.0) || !isfinite (x))
    return NAN;
  p = pow (10.0, floor (log10 (x)));
  m = x / p;
  /* m is in [1, 10) up to rounding; compare with a little slack so that
   * x = 0.2 gives 0.2 and not 0.5. */
  if (m <= 1.0 + 1e-9)
    return p;
  if (m <= 2.0 + 1e-9)
    return 2.0 * p;
  if (m <= 5.0 + 1e-9)
    return 5.0 * p;
  return 10.0 * p;
}

/* The next 1-2-5 step above @s. */
static double
next_step (double s)
{
  return sw_nice_step (s * 1.5);
}

static void
count_range (double lo, double hi, double step, double *k0, double *k1)
{
  double slack = END_EPS * fmax (1.0, (hi - lo) / step);

  *k0 = ceil (lo / step - slack);
  *k1 = floor (hi / step + slack);
}

static bool
ticks_linear_min (double lo, double hi, size_t max_ticks, double min_step,
                  SwTicks *ticks)
{
  double step, k0, k1, prev = 0.0;

  memset (ticks, 0, sizeof *ticks);
  if (!isfinite (lo) || !isfinite (hi) || !(hi > lo) || max_ticks == 0)
    return false;
  if (max_ticks > SW_TICKS_MAX)
    max_ticks = SW_TICKS_MAX;

  /* Start a little below the step that would give exactly max_ticks and
   * climb the 1-2-5 ladder until the count fits. */
  step = sw_nice_step ((hi - lo) / (double) (max_ticks + 1) / 2.0);
  if (!isfinite (step) || step <= 0.0)
    return false;
  if (min_step > 0.0 && step < min_step)
    step = min_step;
  for (;;)
    {
      count_range (lo, hi, step, &k0, &k1);
      if (k1 - k0 + 1.0 <= (double) max_ticks)
        break;
      prev = step;
      step = next_step (step);
    }
  if (k1 < k0 && prev > 0.0)
    {
      /* The step that fits skips the whole range (max_ticks = 1 on a range
       * between two of its multiples): keep the middle tick of the last
       * step that had any. */
      step = prev;
      count_range (lo, hi, step, &k0, &k1);
      k0 = k1 = floor ((k0 + k1) / 2.0);
    }

  ticks->step = step;
  for (double k = k0; k <= k1; k += 1.0)
    {
      double v = k * step;

      /* 0 * step is exact; k * step near zero otherwise cannot happen, but
       * keep -0 out of the labels all the same. */
      ticks->values[ticks->n++] = v == 0.0 ? 0.0 : v;
    }
  return ticks->n > 0;
}

bool
sw_ticks_linear (double lo, double hi, size_t max_ticks, SwTicks *ticks)
{
  return ticks_linear_min (lo, hi, max_ticks, 0.0, ticks);
}

bool
sw_ticks_integer (double lo, double hi, size_t max_ticks, SwTicks *ticks)
{
  return ticks_linear_min (lo, hi, max_ticks, 1.0, ticks);
}

/* Fills @ticks with mantissas @mant (n_mant of them) times the powers of
 * ten 10^e in range, e running in steps of @stride; with @align the
 * exponents are multiples of the stride, so that 10^0 is among them
 * whenever it is in range.  Returns the count there would be, storing at
 * most SW_TICKS_MAX. */
static size_t
log_fill (double lo, double hi, const double *mant, int n_mant, int stride,
          bool align, SwTicks *ticks)
{
  int e0 = (int) floor (log10 (lo));
  int e1 = (int) ceil (log10 (hi));
  size_t n = 0;

  if (align)
    while (((e0 % stride) + stride) % stride != 0)
      e0--;
  else if (mant[0] * pow (10.0, e0) < lo * (1.0 - END_EPS))
    e0++;
  for (int e = e0; e <= e1; e += stride)
    for (int j = 0; j < n_mant; j++)
      {
        double v = mant[j] * pow (10.0, e);

        if (v < lo * (1.0 - END_EPS) || v > hi * (1.0 + END_EPS))
          continue;
        if (n < SW_TICKS_MAX)
          ticks->values[n] = v;
        n++;
      }
  ticks->n = n < SW_TICKS_MAX ? n : SW_TICKS_MAX;
  return n;
}

bool
sw_ticks_log (double lo, double hi, size_t max_ticks, SwTicks *ticks)
{
  static const double one[] = { 1 };
  static const double one_two_five[] = { 1, 2, 5 };
  static const double all[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
  int stride;
  size_t n;

  memset (ticks, 0, sizeof *ticks);
  if (!isfinite (lo) || !isfinite (hi) || !(lo > 0.0) || !(hi > lo)
      || max_ticks == 0)
    return false;
  if (max_ticks > SW_TICKS_MAX)
    max_ticks = SW_TICKS_MAX;
  ticks->log = true;
  ticks->decade_stride = 1;

  /* Richest first: every mantissa on a short range (under a factor 30;
   * wider, nine labels a decade read as clutter), then 1-2-5 (under three
   * decades), then bare decades, every stride-th one; take the first that
   * fits and still shows two ticks. */
  ticks->per_decade = 9;
  n = log_fill (lo, hi, all, 9, 1, true, ticks);
  if (n <= max_ticks && n >= 2 && hi / lo < 30.0)
    return true;
  ticks->per_decade = 3;
  n = log_fill (lo, hi, one_two_five, 3, 1, true, ticks);
  if (n <= max_ticks && n >= 2 && hi / lo < 1e3)
    return true;
  ticks->per_decade = 1;
  for (stride = 1; stride < 1000; stride++)
    {
      n = log_fill (lo, hi, one, 1, stride, true, ticks);
      if (n <= max_ticks)
        break;
    }
  /* Aligning on multiples of the stride can leave a single power (10^0
   * alone in 10^-1 .. 10^1 with stride 2); then count from the first. */
  if (n < 2 && stride > 1)
    n = log_fill (lo, hi, one, 1, stride, false, ticks);
  ticks->decade_stride = stride;
  if (n >= 2 && n <= max_ticks)
    return true;
  if (n == 1 && max_ticks == 1)
    return true;

  /* Not two powers of ten in range even with every mantissa (a narrow
   * range): fall back to linear positions. */
  if (sw_ticks_linear (lo, hi, max_ticks, ticks))
    {
      ticks->log = true;
      return true;
    }
  return false;
}

/* Decimal exponent of @v (v != 0). */
static int
exponent_of (double v)
{
  return (int) floor (log10 (fabs (v)) + 1e-9);
}

static size_t
put (char *buf, size_t size, size_t at, const char *s)
{
  size_t len = strlen (s);

  if (size > 0 && at < size - 1)
    {
      size_t room = size - 1 - at;
      size_t k = len < room ? len : room;

      memcpy (buf + at, s, k);
      buf[at + k] = '\0';
    }
  return at + len;
}

/* Writes @v with @decimals decimals, a true minus sign and no "-0". */
static size_t
put_fixed (char *buf, size_t size, size_t at, double v, int decimals)
{
  char tmp[64];

  if (decimals < 0)
    decimals = 0;
  if (decimals > 15)
    decimals = 15;
  snprintf (tmp, sizeof tmp, "%.*f", decimals, fabs (v));
  /* A value that rounds to zero prints as "0.00"; never with a sign. */
  if (v < 0.0 && strspn (tmp, "0.") != strlen (tmp))
    at = put (buf, size, at, MINUS);
  return put (buf, size, at, tmp);
}

static size_t
put_int (char *buf, size_t size, size_t at, int e)
{
  char tmp[16];

  if (e < 0)
    at = put (buf, size, at, MINUS);
  snprintf (tmp, sizeof tmp, "%d", e < 0 ? -e : e);
  return put (buf, size, at, tmp);
}

/* m×10^e, or 10^e when the mantissa is 1. */
static size_t
put_sci (char *buf, size_t size, size_t at, double v, int e, int decimals)
{
  double m = v / pow (10.0, e);

  if (fabs (fabs (m) - 1.0) < 1e-9 && decimals == 0)
    {
      if (m < 0.0)
        at = put (buf, size, at, MINUS);
    }
  else
    {
      at = put_fixed (buf, size, at, m, decimals);
      at = put (buf, size, at, TIMES);
    }
  at = put (buf, size, at, "10^");
  return put_int (buf, size, at, e);
}

int
sw_ticks_shared_exponent (const SwTicks *ticks)
{
  double biggest = 0.0;

  if (ticks == NULL || ticks->n == 0 || (ticks->log && ticks->per_decade > 0)
      || !(ticks->step > 0.0))
    return 0;
  for (size_t j = 0; j < ticks->n; j++)
    biggest = fmax (biggest, fabs (ticks->values[j]));
  if (biggest >= SCI_BIG || ticks->step < SCI_SMALL)
    return exponent_of (biggest > 0.0 ? biggest : ticks->step);
  return 0;
}

size_t
sw_ticks_format (const SwTicks *ticks, size_t i, char *buf, size_t size)
{
  double v;
  size_t at = 0;

  if (size > 0)
    buf[0] = '\0';
  if (ticks == NULL || i >= ticks->n)
    return 0;
  v = ticks->values[i];
  if (v == 0.0 || !isfinite (v))
    return put (buf, size, 0, isfinite (v) ? "0" : "?");

  if (ticks->log && ticks->per_decade > 0)
    {
      int e = exponent_of (v);
      bool plain = true;

      /* One notation for the whole axis: plain only if every tick is. */
      for (size_t j = 0; j < ticks->n; j++)
        {
          int ej = exponent_of (ticks->values[j]);

          if (ej < LOG_PLAIN_MIN || ej > LOG_PLAIN_MAX)
            plain = false;
        }
      if (plain)
        return put_fixed (buf, size, at, v, e < 0 ? -e : 0);
      return put_sci (buf, size, at, v, e, 0);
    }

  {
    double step = ticks->step > 0.0 ? ticks->step : fabs (v);
    int shared = sw_ticks_shared_exponent (ticks);

    /* Decimals down to the step, counted after taking out the shared
     * power of ten. */
    return put_fixed (buf, size, at, v / pow (10.0, shared), shared - exponent_of (step));
  }
}
