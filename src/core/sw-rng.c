/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Poisson and normal deviates on top of the counter-based generator.
 */
#include "sw-fastmath.h"
#include "sw-rng.h"

uint32_t
sw_poisson (uint64_t seed, uint32_t stream, uint32_t index, uint64_t counter, double lambda)
{
  if (!(lambda > 0.0))
    return 0;

  /* Split large means into parts of at most 16 so that inversion stays
   * accurate and short; each part uses one fresh uniform. */
  const double part = 16.0;
  uint32_t total = 0;
  uint64_t sub = counter * 64;
  int word = 4;
  SwRand4 r = { { 0 } };

  while (lambda > 0.0)
    {
      double l = lambda > part ? part : lambda;
      if (word == 4)
        {
          r = sw_philox (seed, stream, index, sub++);
          word = 0;
        }
      total += sw_poisson_small (sw_u01 (r.v[word++]), l, exp (-l));
      lambda -= l;
      if (sub - counter * 64 >= 64)
        break;  /* mean above 4096: not a use case of this helper */
    }
  return total;
}

double
sw_normal (double u1, double u2)
{
  return sqrt (-2.0 * log (u1)) * cos (2.0 * M_PI * u2);
}

SW_HOT_CLONES void
sw_philox_fill (uint64_t seed, uint32_t stream, uint32_t index0, int count, uint64_t counter,
                uint32_t *restrict w0, uint32_t *restrict w1, uint32_t *restrict w2, uint32_t *restrict w3)
{
  const uint32_t k0 = (uint32_t) seed, k1 = (uint32_t) (seed >> 32);
  const uint32_t ctr0 = (uint32_t) counter, ctr1 = (uint32_t) (counter >> 32);

  for (int b = 0; b < count; b++)
    {
      uint32_t c0 = ctr0, c1 = ctr1, c2 = index0 + (uint32_t) b, c3 = stream;
      uint32_t a0 = k0, a1 = k1;
      for (int r = 0; r < 10; r++)
        SW_PHILOX_ROUND (c0, c1, c2, c3, a0, a1);
      w0[b] = c0;
      w1[b] = c1;
      w2[b] = c2;
      w3[b] = c3;
    }
}
