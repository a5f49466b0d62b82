/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of axis ticks (src/plot/sw-ticks.c): the 1-2-5 ladder, counts
 * within the requested bound over thousands of random ranges, zero on the
 * grid, integer axes, log ticks (decades, strides, 1-2-5, narrow ranges),
 * refused ranges, and the labels (decimals, minus sign, powers of ten and
 * the shared exponent).
 */
#include "sw-ticks.h"

#include <glib.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#define MINUS "\xe2\x88\x92"

/* splitmix64, so that the random ranges are the same on every machine. */
static uint64_t rng = 12345;

static double
uniform (void)
{
  uint64_t z = (rng += 0x9e3779b97f4a7c15ull);

  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  return (double) (z >> 11) / 9007199254740992.0;
}

/* Mantissa of a 1-2-5 step: 1, 2 or 5 (0 if the step is not one). */
static int
mantissa (double step)
{
  double m = step / pow (10.0, floor (log10 (step) + 1e-9));

  for (int k = 1; k <= 5; k++)
    if (fabs (m - k) < 1e-6)
      return k == 1 || k == 2 || k == 5 ? k : 0;
  return 0;
}

static const char *
label (const SwTicks *t, size_t i)
{
  static char buf[64];

  sw_ticks_format (t, i, buf, sizeof buf);
  return buf;
}

static void
test_nice_step (void)
{
  g_assert_cmpfloat_with_epsilon (sw_nice_step (0.13), 0.2, 1e-12);
  g_assert_cmpfloat_with_epsilon (sw_nice_step (1.0), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (sw_nice_step (2.0), 2.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (sw_nice_step (2.1), 5.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (sw_nice_step (5.0), 5.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (sw_nice_step (7.0), 10.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (sw_nice_step (0.0031), 0.005, 1e-15);
  g_assert_cmpfloat_with_epsilon (sw_nice_step (3e7), 5e7, 1e-3);
  g_assert_true (isnan (sw_nice_step (0.0)));
  g_assert_true (isnan (sw_nice_step (-1.0)));
  g_assert_true (isnan (sw_nice_step (INFINITY)));
  g_assert_true (isnan (sw_nice_step (NAN)));
}

static void
test_linear_basic (void)
{
  SwTicks t;

  g_assert_true (sw_ticks_linear (0.0, 1.0, 6, &t));
  g_assert_cmpuint (t.n, ==, 6);
  g_assert_cmpfloat_with_epsilon (t.step, 0.2, 1e-12);
  g_assert_false (t.log);
  for (size_t i = 0; i < t.n; i++)
    g_assert_cmpfloat_with_epsilon (t.values[i], 0.2 * i, 1e-12);
  g_assert_cmpstr (label (&t, 0), ==, "0");
  g_assert_cmpstr (label (&t, 3), ==, "0.6");
  g_assert_cmpstr (label (&t, 5), ==, "1.0");

  /* The step is the smallest that fits: 0 .. 100 in 11 ticks is 10. */
  g_assert_true (sw_ticks_linear (0.0, 100.0, 11, &t));
  g_assert_cmpfloat_with_epsilon (t.step, 10.0, 1e-12);
  g_assert_cmpuint (t.n, ==, 11);
  g_assert_true (sw_ticks_linear (0.0, 100.0, 10, &t));
  g_assert_cmpfloat_with_epsilon (t.step, 20.0, 1e-12);

  /* 0.1 steps print as 0.3, not 0.30000000000000004. */
  g_assert_true (sw_ticks_linear (0.0, 0.5, 6, &t));
  g_assert_cmpstr (label (&t, 3), ==, "0.3");
}

/* Thousands of ranges across magnitudes and signs: the promises of the
 * header hold for every one. */
static void
test_linear_random (void)
{
  for (int trial = 0; trial < 20000; trial++)
    {
      double mag = pow (10.0, -6.0 + 14.0 * uniform ());
      double lo = (uniform () * 2.0 - 1.0) * mag;
      double hi = lo + mag * (0.001 + 3.0 * uniform ());
      size_t max = 1 + (size_t) (uniform () * 15.0);
      SwTicks t;

      g_assert_true (sw_ticks_linear (lo, hi, max, &t));
      g_assert_cmpuint (t.n, >=, 1);
      g_assert_cmpuint (t.n, <=, max);
      if (max >= 5)
        g_assert_cmpuint (t.n, >=, 2);
      g_assert_cmpint (mantissa (t.step), !=, 0);
      for (size_t i = 0; i < t.n; i++)
        {
          double v = t.values[i];
          double k = v / t.step;

          g_assert_true (v >= lo - 1e-9 * (hi - lo) && v <= hi + 1e-9 * (hi - lo));
          g_assert_cmpfloat (fabs (k - round (k)), <, 1e-6);
          if (i > 0)
            g_assert_cmpfloat (v, >, t.values[i - 1]);
        }
      /* Minimal: the next smaller 1-2-5 step would give too many. */
      {
        double smaller = t.step / (mantissa (t.step) == 5 ? 2.5 : 2.0);
        double k0 = ceil (lo / smaller - 1e-9), k1 = floor (hi / smaller + 1e-9);

        g_assert_cmpfloat (k1 - k0 + 1.0, >, (double) max);
      }
    }
}

static void
test_linear_zero (void)
{
  SwTicks t;
  bool has_zero = false;

  g_assert_true (sw_ticks_linear (-3.7, 4.2, 9, &t));
  for (size_t i = 0; i < t.n; i++)
    if (t.values[i] == 0.0)
      {
        has_zero = true;
        /* Never "-0", "−0" or "0.0". */
        g_assert_cmpstr (label (&t, i), ==, "0");
        g_assert_false (signbit (t.values[i]));
      }
  g_assert_true (has_zero);
  /* Negative labels carry U+2212, the true minus sign. */
  g_assert_cmpstr (label (&t, 0), ==, MINUS "3");
}

static void
test_integer (void)
{
  SwTicks t;

  g_assert_true (sw_ticks_integer (-0.5, 4.5, 20, &t));
  g_assert_cmpuint (t.n, ==, 5);
  g_assert_cmpfloat (t.step, ==, 1.0);
  for (size_t i = 0; i < t.n; i++)
    g_assert_cmpfloat (t.values[i], ==, (double) i);
  /* Wider ranges still use 1-2-5 steps. */
  g_assert_true (sw_ticks_integer (-0.5, 999.5, 6, &t));
  g_assert_cmpfloat (t.step, ==, 200.0);
  g_assert_cmpuint (t.n, ==, 5);
}

static bool
is_power_of_ten (double v)
{
  double e = log10 (v);

  return fabs (e - round (e)) < 1e-9;
}

static void
test_log_decades (void)
{
  SwTicks t;

  g_assert_true (sw_ticks_log (1.0, 1000.0, 10, &t));
  g_assert_true (t.log);
  g_assert_cmpuint (t.n, ==, 4);
  g_assert_cmpint (t.per_decade, ==, 1);
  g_assert_cmpint (t.decade_stride, ==, 1);
  for (size_t i = 0; i < t.n; i++)
    g_assert_cmpfloat_with_epsilon (t.values[i], pow (10.0, i), 1e-9);
  g_assert_cmpstr (label (&t, 0), ==, "1");
  g_assert_cmpstr (label (&t, 3), ==, "1000");

  /* Twelve decades in at most 5 ticks: every third power, aligned so that
   * 10^0 is one of them; labels as powers of ten. */
  g_assert_true (sw_ticks_log (1e-6, 1e6, 5, &t));
  g_assert_cmpuint (t.n, <=, 5);
  g_assert_cmpuint (t.n, >=, 2);
  g_assert_cmpint (t.decade_stride, ==, 3);
  for (size_t i = 0; i < t.n; i++)
    g_assert_true (is_power_of_ten (t.values[i]));
  g_assert_cmpfloat_with_epsilon (t.values[2], 1.0, 1e-12);
  g_assert_cmpstr (label (&t, 0), ==, "10^" MINUS "6");
  g_assert_cmpstr (label (&t, 4), ==, "10^6");

  /* Small values print plainly down to 0.001. */
  g_assert_true (sw_ticks_log (0.001, 10.0, 10, &t));
  g_assert_cmpstr (label (&t, 0), ==, "0.001");
  g_assert_cmpstr (label (&t, 1), ==, "0.01");
}

static void
test_log_125 (void)
{
  SwTicks t;
  const double expect[] = { 2, 5, 10, 20 };

  g_assert_true (sw_ticks_log (2.0, 30.0, 10, &t));
  g_assert_cmpint (t.per_decade, ==, 3);
  g_assert_cmpuint (t.n, ==, 4);
  for (size_t i = 0; i < 4; i++)
    g_assert_cmpfloat_with_epsilon (t.values[i], expect[i], 1e-9);
  g_assert_cmpstr (label (&t, 1), ==, "5");

  /* With room, a short range gets every integer mantissa. */
  g_assert_true (sw_ticks_log (1.0, 10.0, 12, &t));
  g_assert_cmpint (t.per_decade, ==, 9);
  g_assert_cmpuint (t.n, ==, 10);
}

static void
test_log_random (void)
{
  for (int trial = 0; trial < 5000; trial++)
    {
      double lo = pow (10.0, -20.0 + 40.0 * uniform ());
      double hi = lo * pow (10.0, 0.05 + 15.0 * uniform ());
      size_t max = 2 + (size_t) (uniform () * 12.0);
      SwTicks t;

      g_assert_true (sw_ticks_log (lo, hi, max, &t));
      g_assert_true (t.log);
      g_assert_cmpuint (t.n, >=, 1);
      g_assert_cmpuint (t.n, <=, max);
      for (size_t i = 0; i < t.n; i++)
        {
          g_assert_true (t.values[i] >= lo * (1 - 1e-9) && t.values[i] <= hi * (1 + 1e-9));
          if (i > 0)
            g_assert_cmpfloat (t.values[i], >, t.values[i - 1]);
        }
      /* Decade ticks are powers of ten. */
      if (t.per_decade == 1)
        for (size_t i = 0; i < t.n; i++)
          g_assert_true (is_power_of_ten (t.values[i]));
    }
}

static void
test_log_narrow (void)
{
  SwTicks t;

  /* No power of ten, no integer mantissa pair: linear positions. */
  g_assert_true (sw_ticks_log (2.1, 2.9, 6, &t));
  g_assert_true (t.log);
  g_assert_cmpint (t.per_decade, ==, 0);
  g_assert_cmpuint (t.n, >=, 2);
  for (size_t i = 0; i < t.n; i++)
    g_assert_true (t.values[i] >= 2.1 && t.values[i] <= 2.9);
}

static void
test_invalid (void)
{
  SwTicks t;

  g_assert_false (sw_ticks_linear (1.0, 1.0, 5, &t));
  g_assert_cmpuint (t.n, ==, 0);
  g_assert_false (sw_ticks_linear (2.0, 1.0, 5, &t));
  g_assert_false (sw_ticks_linear (NAN, 1.0, 5, &t));
  g_assert_false (sw_ticks_linear (0.0, INFINITY, 5, &t));
  g_assert_false (sw_ticks_linear (0.0, 1.0, 0, &t));
  g_assert_false (sw_ticks_log (0.0, 10.0, 5, &t));
  g_assert_false (sw_ticks_log (-1.0, 10.0, 5, &t));
  g_assert_cmpuint (t.n, ==, 0);
  g_assert_cmpuint (sw_ticks_format (&t, 0, NULL, 0), ==, 0);
  /* A huge request is capped, not overrun. */
  g_assert_true (sw_ticks_linear (0.0, 1000.0, 100000, &t));
  g_assert_cmpuint (t.n, <=, SW_TICKS_MAX);
}

static void
test_shared_exponent (void)
{
  SwTicks t;
  char buf[8];

  /* 0 .. 2e5: labels 0, 0.5, 1.0, 1.5, 2.0 with ×10^5 beside the title. */
  g_assert_true (sw_ticks_linear (0.0, 2e5, 5, &t));
  g_assert_cmpint (sw_ticks_shared_exponent (&t), ==, 5);
  g_assert_cmpstr (label (&t, 0), ==, "0");
  g_assert_cmpstr (label (&t, 1), ==, "0.5");
  g_assert_cmpstr (label (&t, 4), ==, "2.0");

  /* Tiny currents. */
  g_assert_true (sw_ticks_linear (-1e-5, 1e-5, 5, &t));
  g_assert_cmpint (sw_ticks_shared_exponent (&t), ==, -5);
  g_assert_cmpstr (label (&t, 0), ==, MINUS "1.0");

  /* Ordinary numbers keep plain labels. */
  g_assert_true (sw_ticks_linear (-80.0, -40.0, 5, &t));
  g_assert_cmpint (sw_ticks_shared_exponent (&t), ==, 0);
  g_assert_cmpstr (label (&t, 0), ==, MINUS "80");

  /* Log axes never share one. */
  g_assert_true (sw_ticks_log (1e-6, 1e6, 5, &t));
  g_assert_cmpint (sw_ticks_shared_exponent (&t), ==, 0);

  /* Truncation keeps a terminated string and reports the full length. */
  g_assert_true (sw_ticks_linear (0.0, 1234567.0, 3, &t));
  g_assert_cmpuint (sw_ticks_format (&t, 1, buf, 2), >=, 1);
  g_assert_cmpuint (strlen (buf), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plot/ticks/nice-step", test_nice_step);
  g_test_add_func ("/plot/ticks/linear-basic", test_linear_basic);
  g_test_add_func ("/plot/ticks/linear-random", test_linear_random);
  g_test_add_func ("/plot/ticks/linear-zero", test_linear_zero);
  g_test_add_func ("/plot/ticks/integer", test_integer);
  g_test_add_func ("/plot/ticks/log-decades", test_log_decades);
  g_test_add_func ("/plot/ticks/log-125", test_log_125);
  g_test_add_func ("/plot/ticks/log-random", test_log_random);
  g_test_add_func ("/plot/ticks/log-narrow", test_log_narrow);
  g_test_add_func ("/plot/ticks/invalid", test_invalid);
  g_test_add_func ("/plot/ticks/shared-exponent", test_shared_exponent);
  return g_test_run ();
}
