/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Recorders: bounded buffers that the network fills while it steps and that
 * the caller drains between chunks (or, in the workbench, from another thread
 * through its own ring buffers).  Three kinds of record:
 * - spikes: (population, neuron, step) of every recorded neuron;
 * - population rates: spike counts of every population per bin of steps;
 * - traces: a state variable of a chosen neuron every `interval` steps.
 * When a buffer is full new records are dropped and counted, never blocking
 * the simulation; sw_recorder_dropped() tells how many.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "sw-status.h"

typedef struct SwRecorder SwRecorder;

typedef struct
{
  int32_t pop;
  int32_t neuron;
  int64_t step;     /* the spike happened in step `step`, at step * dt */
} SwSpike;

typedef struct
{
  int64_t step;
  double value;
} SwTraceSample;

/* Spike recording per population: all neurons (default), none, or the
 * range [first, first + count). */
void sw_recorder_set_spike_range (SwRecorder *rec, int pop, int first, int count);
/* Capacity of the spike buffer (default 1 << 20 spikes); drops the content. */
SwStatus sw_recorder_set_spike_capacity (SwRecorder *rec, size_t capacity);
/* Copies up to @max recorded spikes, oldest first, and removes them. */
size_t sw_recorder_drain_spikes (SwRecorder *rec, SwSpike *out, size_t max);
size_t sw_recorder_pending_spikes (const SwRecorder *rec);

/* Width of the rate bins in steps (default: 1 ms); clears pending bins. */
SwStatus sw_recorder_set_rate_bin (SwRecorder *rec, int bin_steps);
int sw_recorder_rate_bin (const SwRecorder *rec);
/* Copies up to @max completed bins: @first_bin gets the index of the first
 * (bin b covers steps [b * bin_steps, (b + 1) * bin_steps)), @counts gets
 * max * n_pops spike counts laid out [bin][pop].  Returns the bins copied. */
size_t sw_recorder_drain_rates (SwRecorder *rec, int64_t *first_bin,
                                uint32_t *counts, size_t max);
int sw_recorder_n_pops (const SwRecorder *rec);

/* Adds a trace of state variable @var of neuron @neuron in population
 * @pop, sampled every @interval steps (the value after the step).  Returns
 * the trace's id in @out_id. */
SwStatus sw_recorder_add_trace (SwRecorder *rec, int pop, const char *var, int neuron,
                                int interval, int *out_id, SwError *err);
void sw_recorder_remove_trace (SwRecorder *rec, int id);
size_t sw_recorder_drain_trace (SwRecorder *rec, int id, SwTraceSample *out, size_t max);

/* Records dropped because a buffer was full (spikes, rate bins, samples). */
uint64_t sw_recorder_dropped (const SwRecorder *rec);

/* Empties every buffer (keeps the settings). */
void sw_recorder_clear (SwRecorder *rec);
