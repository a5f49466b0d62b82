/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwRunner: the simulation thread of one window.
 *
 * The runner owns a worker thread and the SwNetwork it steps; the core is
 * touched only from that thread.  The main loop talks to it through
 * commands (a GAsyncQueue; parameter changes are coalesced so that only the
 * latest value of each counts) and reads results from lock-free
 * single-producer/single-consumer rings (sw-ring.h) on the frame clock.
 * State changes ("state", "time-ms", "real-time-factor"), rebuild notices and
 * failures come back on the main context with at most one callback pending.
 *
 * Thread safety: every function here is for the main thread (the one that
 * created the runner), except where noted.
 */
#pragma once

#include <gio/gio.h>

#include "sw-network.h"
#include "sw-recorder.h"

G_BEGIN_DECLS

#define SW_TYPE_RUNNER (sw_runner_get_type ())
G_DECLARE_FINAL_TYPE (SwRunner, sw_runner, SW, RUNNER, GObject)

typedef enum
{
  SW_RUNNER_EMPTY,     /* no network yet */
  SW_RUNNER_STOPPED,   /* built, at t = 0 or stopped */
  SW_RUNNER_RUNNING,
  SW_RUNNER_PAUSED,
  SW_RUNNER_FAILED,    /* a blow-up or a build error; see "failed" */
} SwRunnerState;

SwRunner *sw_runner_new (void);

/* Hands a network description to the worker (copied).  If a network runs,
 * the difference is applied live when it is not structural
 * (sw_network_apply_spec); otherwise the network is rebuilt, keeping the run
 * state, and "rebuilt" is emitted with structural = TRUE and the reason. */
void sw_runner_set_spec (SwRunner *self, const SwNetSpec *spec);

/* Run control.  stop() returns within 100 ms: the worker checks the
 * cancellation flag between steps.  reset() goes back to t = 0 with the
 * initial state drawn again.  step() advances one chunk (10 ms) then pauses. */
void sw_runner_run (SwRunner *self);
void sw_runner_pause (SwRunner *self);
void sw_runner_stop (SwRunner *self);
void sw_runner_reset (SwRunner *self);
void sw_runner_step (SwRunner *self);

/* Speed: 0 = as fast as possible, else a real-time factor (1 = simulated
 * time advances as fast as wall-clock time). */
void sw_runner_set_speed (SwRunner *self, double real_time_factor);
double sw_runner_get_speed (SwRunner *self);

SwRunnerState sw_runner_get_state (SwRunner *self);
double sw_runner_get_time_ms (SwRunner *self);          /* simulated time reached */
double sw_runner_get_real_time_factor (SwRunner *self); /* measured, last second */
/* Threads that step the network; they override the description's.  0
 * (the default) is automatic: one per 5000 neurons, at most one per
 * processor less one, which is left to the window for drawing. */
int sw_runner_get_threads (SwRunner *self);
void sw_runner_set_threads (SwRunner *self, int threads);

/* The description of the network that runs now (owned by the runner, valid
 * until the next "rebuilt"), or NULL. */
const SwNetSpec *sw_runner_get_spec (SwRunner *self);

/* Results, drained by the main thread (each ring has one reader: the
 * window fans the data out to its views).  Return the number copied. */
guint sw_runner_read_spikes (SwRunner *self, SwSpike *out, guint max);
/* Completed 1 ms rate bins: counts[k * n_pops + p]; *first_bin gets the
 * index of the first. */
guint sw_runner_read_rates (SwRunner *self, gint64 *first_bin, guint32 *counts, guint max);

/* Membrane (or other state) traces of chosen neurons, sampled every step. */
int sw_runner_add_trace (SwRunner *self, int pop, const char *var, int neuron);
void sw_runner_remove_trace (SwRunner *self, int trace);
guint sw_runner_read_trace (SwRunner *self, int trace, SwTraceSample *out, guint max);

/* Time of one simulation step (ms), for converting steps to times. */
double sw_runner_get_dt_ms (SwRunner *self);

/* Signals:
 *   "rebuilt" (gboolean structural, const char *reason): a new network runs;
 *     readers should drop what they hold;
 *   "failed" (const char *message): the run stopped on an error (blow-up,
 *     memory limit, invalid description);
 * Properties (notify on the main thread): "state", "time-ms",
 * "real-time-factor", "speed", "threads". */

G_END_DECLS
