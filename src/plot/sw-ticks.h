/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Axis ticks: "nice" positions (steps of 1, 2 or 5 times a power of ten on
 * linear axes; powers of ten, with 2 and 5 in between when there is room,
 * on log axes) and their labels.  The figure code asks for at most N ticks
 * and lowers N until the labels it measures no longer overlap, so the
 * generator's promise is a hard upper bound on the count.  Pure functions,
 * thread-safe.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define SW_TICKS_MAX 64

typedef struct
{
  size_t n;                    /* number of ticks, 0 when none fit */
  double values[SW_TICKS_MAX]; /* increasing, all within [lo, hi] */
  bool log;                    /* positions of a log axis */
  double step;                 /* linear: the 1-2-5 step; log: 0 */
  int decade_stride;           /* log: decades between labelled powers of
                                * ten (1, 2, 3 ...); linear: 0 */
  int per_decade;              /* log: mantissas used per decade: 1 (1),
                                * 3 (1, 2, 5) or 9 (1 .. 9); linear: 0 */
} SwTicks;

/* The smallest number of the form {1, 2, 5} x 10^k that is >= @x (x > 0
 * and finite; otherwise returns NaN). */
double sw_nice_step (double x);

/* Linear ticks on [lo, hi]: the smallest 1-2-5 step that gives at most
 * @max_ticks ticks (at most SW_TICKS_MAX), each a whole multiple of the
 * step, so 0 is a tick whenever it is in range.  At least one tick is
 * returned, and with max_ticks >= 5 at least two.  Returns false (n = 0) when the range is not
 * finite, hi <= lo or max_ticks is 0. */
bool sw_ticks_linear (double lo, double hi, size_t max_ticks, SwTicks *ticks);

/* As sw_ticks_linear(), but never with a step below 1: for counts and
 * neuron indices. */
bool sw_ticks_integer (double lo, double hi, size_t max_ticks, SwTicks *ticks);

/* Log ticks on [lo, hi] (0 < lo < hi): powers of ten, every
 * decade_stride-th one if there are more than @max_ticks; when few decades
 * are in range also 2 x and 5 x (or every integer mantissa) in between.  A
 * range narrower than that gets linear positions (still marked log).
 * Returns false (n = 0) on a non-positive or non-finite range. */
bool sw_ticks_log (double lo, double hi, size_t max_ticks, SwTicks *ticks);

/* The power of ten E taken out of the labels of linear ticks whose
 * values are very large (>= 1e5) or whose step is very small (< 1e-3): the
 * labels then read value / 10^E ("0.5", "1.0", "1.5") and the figure shows
 * "×10^E" once, beside the axis title.  0 when labels are plain numbers,
 * and always 0 on log axes (each label carries its own power there). */
int sw_ticks_shared_exponent (const SwTicks *ticks);

/* Writes the label of tick @i into @buf (UTF-8, NUL-terminated, truncated
 * to @size) and returns its untruncated length.  Numbers use the fewest
 * decimals that tell ticks apart (those of the step) and a true minus sign
 * (U+2212); zero is "0", never "-0" or "0.0".  Linear labels are divided by
 * 10^sw_ticks_shared_exponent().  Log labels are plain numbers from 0.001
 * to 10000, otherwise powers of ten as "10^5" or "2×10^−4" for the whole
 * axis: everything after '^' is an exponent that the figure draws raised
 * and smaller. */
size_t sw_ticks_format (const SwTicks *ticks, size_t i, char *buf, size_t size);
