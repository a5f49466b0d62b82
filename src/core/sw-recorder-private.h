/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The side of the recorder that the network writes to.
 */
#pragma once

#include "sw-network.h"
#include "sw-recorder.h"

SwRecorder *sw_recorder_new (const SwNetSpec *spec, double dt_ms);
void sw_recorder_free (SwRecorder *rec);

/* Spikes of population @pop in step @step, indices increasing. */
void sw_recorder_push_spikes (SwRecorder *rec, int pop, const int32_t *idx, int n, int64_t step);

/* Adds @counts (one per population) to the rate bin of @step; completes a bin
 * at its last step. */
void sw_recorder_count (SwRecorder *rec, const uint32_t *counts, int64_t step);

/* Trace bookkeeping for the network: number of trace slots, and for slot k
 * whether it samples at @step (returns false for removed traces), with its
 * population, variable and neuron. */
int sw_recorder_n_traces (const SwRecorder *rec);
int sw_recorder_trace_due (const SwRecorder *rec, int k, int64_t step, int *pop, int *var, int *neuron);
void sw_recorder_push_sample (SwRecorder *rec, int k, int64_t step, double value);
