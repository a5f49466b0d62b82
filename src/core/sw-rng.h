/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Counter-based random numbers (Philox-4x32-10, Salmon et al. 2011).  A
 * block of four 32-bit words is a pure function of (seed, stream, index,
 * counter), so any neuron's numbers at any step can be produced by any thread
 * in any order: results do not depend on threads or chunk lengths.
 *
 * Streams keep the uses apart: SW_STREAM_* + an object index.
 */
#pragma once

#include <math.h>
#include <stdint.h>

enum
{
  SW_STREAM_INIT = 0x10000,      /* + pop * SW_MAX_STATE + state var */
  SW_STREAM_CONNECT = 0x20000,   /* + projection */
  SW_STREAM_WEIGHT = 0x30000,    /* + projection */
  SW_STREAM_DELAY = 0x40000,     /* + projection */
  SW_STREAM_SOURCE = 0x50000,    /* + population (Poisson sources) */
  SW_STREAM_STIM = 0x60000,      /* + stimulus */
};

typedef struct
{
  uint32_t v[4];
} SwRand4;

/* One Philox round on the counter (c0..c3) with the key (k0, k1). */
#define SW_PHILOX_ROUND(c0, c1, c2, c3, k0, k1)                         \
  do                                                                    \
    {                                                                   \
      uint64_t p0_ = (uint64_t) 0xD2511F53u * (c0);                     \
      uint64_t p1_ = (uint64_t) 0xCD9E8D57u * (c2);                     \
      uint32_t n0_ = (uint32_t) (p1_ >> 32) ^ (c1) ^ (k0);              \
      uint32_t n2_ = (uint32_t) (p0_ >> 32) ^ (c3) ^ (k1);              \
      (c1) = (uint32_t) p1_;                                            \
      (c3) = (uint32_t) p0_;                                            \
      (c0) = n0_;                                                       \
      (c2) = n2_;                                                       \
      (k0) += 0x9E3779B9u;                                              \
      (k1) += 0xBB67AE85u;                                              \
    }                                                                   \
  while (0)

static inline SwRand4
sw_philox (uint64_t seed, uint32_t stream, uint32_t index, uint64_t counter)
{
  uint32_t c0 = (uint32_t) counter, c1 = (uint32_t) (counter >> 32);
  uint32_t c2 = index, c3 = stream;
  uint32_t k0 = (uint32_t) seed, k1 = (uint32_t) (seed >> 32);

  for (int r = 0; r < 10; r++)
    SW_PHILOX_ROUND (c0, c1, c2, c3, k0, k1);
  return (SwRand4) { { c0, c1, c2, c3 } };
}

/* A uniform number in the open interval (0, 1) from 32 random bits. */
static inline double
sw_u01 (uint32_t x)
{
  return ((double) x + 0.5) * (1.0 / 4294967296.0);
}

/* A uniform number in (0, 1) with 53 random bits from two words. */
static inline double
sw_u01_53 (uint32_t hi, uint32_t lo)
{
  uint64_t m = ((uint64_t) hi << 21) ^ (uint64_t) (lo >> 11);
  return ((double) (m & ((1ull << 53) - 1)) + 0.5) * (1.0 / 9007199254740992.0);
}

/* A Poisson count of mean @lambda (small: inversion) from uniforms drawn
 * with sw_philox (seed, stream, index, counter * 64 + k), k = 0, 1, ...
 * Means above 16 are split into parts of at most 16, since a sum of Poisson
 * counts is a Poisson count. */
uint32_t sw_poisson (uint64_t seed, uint32_t stream, uint32_t index, uint64_t counter,
                     double lambda);

/* A standard normal deviate from two uniforms (Box-Muller). */
double sw_normal (double u1, double u2);

/* Inversion of a Poisson count from one uniform, for small means; @p0 must be
 * exp(-lambda). */
static inline uint32_t
sw_poisson_small (double u, double lambda, double p0)
{
  uint32_t k = 0;
  double p = p0, f = p0;
  while (u > f && k < 1000)
    {
      k++;
      p *= lambda / k;
      f += p;
    }
  return k;
}

/* Philox blocks for @count consecutive indices @index0, @index0 + 1, ...
 * at one counter, as four word arrays (w0[b] .. w3[b] of block b): a loop
 * that compilers vectorise. */
void sw_philox_fill (uint64_t seed, uint32_t stream, uint32_t index0, int count, uint64_t counter,
                     uint32_t *restrict w0, uint32_t *restrict w1, uint32_t *restrict w2,
                     uint32_t *restrict w3);
