/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An exponential that compilers can vectorise.  libm's exp() is a call the
 * vectoriser cannot look into; this one is plain arithmetic: x = k ln2 + r
 * with |r| <= ln2/2, exp(r) by its Taylor polynomial to degree 12 (relative
 * truncation error below 2e-16), and 2^k assembled in the exponent bits.
 * Valid for x in [-708, 709]; callers clamp.
 */
#pragma once

#include <stdint.h>
#include <string.h>

static inline double
sw_exp (double x)
{
  const double log2e = 1.4426950408889634, ln2_hi = 0.6931471805598903, ln2_lo = 5.497923018708371e-14;
  const double shifter = 6755399441055744.0;  /* 1.5 * 2^52: rounds to an integer in the low bits */
  double t = x * log2e + shifter;
  double k = t - shifter;
  double r = (x - k * ln2_hi) - k * ln2_lo;
  double p = 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  uint64_t bits;
  memcpy (&bits, &t, sizeof bits);
  bits = (bits + 1023) << 52;
  double scale;
  memcpy (&scale, &bits, sizeof scale);
  return p * scale;
}

/* Hot loops are compiled for the baseline and for AVX2 and AVX-512 with
 * FMA; the loader picks the best the processor has.  Results may differ in
 * the last bits between these variants (FMA), never between thread counts. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define SW_HOT_CLONES __attribute__ ((target_clones ("default", "arch=x86-64-v3", "arch=x86-64-v4")))
#else
#define SW_HOT_CLONES
#endif
