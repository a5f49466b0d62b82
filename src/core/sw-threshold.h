/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The threshold pass shared by the point-neuron models, after their
 * integration pass: count the refractory period down, detect crossings of
 * the threshold by neurons that were not refractory, reset them, and check
 * that every membrane potential is finite.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* For neurons [begin, end): a neuron with refractory[i] > 0 counts down;
 * otherwise v[i] > v_th (v[i] >= v_th when @inclusive) fires: v[i] = v_reset,
 * refractory[i] = refractory_steps, and i is appended to @spikes.  Returns
 * the number of spikes; *first_bad gets the first neuron whose v is NaN or
 * infinite, or -1. */
int sw_threshold_pass (double *v, int32_t *refractory, int begin, int end, double v_th, bool inclusive,
                       double v_reset, int32_t refractory_steps, int32_t *spikes, int *first_bad);
