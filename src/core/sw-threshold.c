/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The threshold pass (see sw-threshold.h).  Spikes and refractory neurons
 * are scattered at random through a population, so a branch per neuron
 * mispredicts often; here one vectorised pass computes the new refractory
 * counters, resets and a byte per neuron that says whether it fired, and a
 * second pass, whose branch is almost never taken, gathers the indices.
 */
#include "sw-fastmath.h"
#include "sw-threshold.h"

#include <math.h>

#define BLOCK 512

SW_HOT_CLONES int
sw_threshold_pass (double *restrict v, int32_t *restrict refractory, int begin, int end, double v_th,
                   bool inclusive, double v_reset, int32_t refractory_steps, int32_t *restrict spikes,
                   int *first_bad)
{
  int32_t fired[BLOCK];
  int ns = 0;
  int bad = 0;
  /* x >= v_th is x > the largest double below v_th: one comparison. */
  const double th = inclusive ? nextafter (v_th, -INFINITY) : v_th;

  for (int b0 = begin; b0 < end; b0 += BLOCK)
    {
      const int n = end - b0 < BLOCK ? end - b0 : BLOCK;
      double *restrict vb = v + b0;
      int32_t *restrict rb = refractory + b0;
      int32_t any = 0, nonfinite = 0;
#pragma omp simd reduction(| : any, nonfinite)
      for (int k = 0; k < n; k++)
        {
          int32_t r = rb[k];
          double x = vb[k];
          int32_t fire = (r == 0) & (x > th);
          rb[k] = fire ? refractory_steps : (r > 0 ? r - 1 : 0);
          vb[k] = fire ? v_reset : x;
          fired[k] = fire;
          any |= fire;
          /* x - x is 0 for finite x and NaN otherwise. */
          nonfinite |= !(x - x == 0.0);
        }
      bad |= nonfinite;
      if (any)
        for (int k = 0; k < n; k++)
          if (fired[k])
            spikes[ns++] = b0 + k;
    }
  *first_bad = -1;
  if (bad)
    for (int i = begin; i < end; i++)
      if (!isfinite (v[i]))
        {
          *first_bad = i;
          break;
        }
  return ns;
}
