/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwLiveHub: the one reader of a runner's rings.  One per window: on the
 * frame clock of its views (a tick callback; a slow timeout when no view is
 * on screen, so that the rings never fill behind a hidden window) it drains
 * spikes, rate bins and, through the views, traces, and fans them out to the
 * registered views (SwRasterView, SwRatesView, SwTraceView or any
 * SwLiveView).  It also keeps per-population statistics for the window and
 * the tests: mean rates over a recent window and spike counts.
 *
 * Main thread only.
 */
#pragma once

#include <gtk/gtk.h>

#include "sw-live-view.h"
#include "sw-runner.h"

G_BEGIN_DECLS

#define SW_TYPE_LIVE_HUB (sw_live_hub_get_type ())
G_DECLARE_FINAL_TYPE (SwLiveHub, sw_live_hub, SW, LIVE_HUB, GObject)

SwLiveHub *sw_live_hub_new (SwRunner *runner);
SwRunner *sw_live_hub_get_runner (SwLiveHub *self);

/* Registers @view (an SwLiveView; the hub keeps no reference and forgets
 * the view when it is finalized).  A view belongs to one hub at a time. */
void sw_live_hub_add_view (SwLiveHub *self, GtkWidget *view);
void sw_live_hub_remove_view (SwLiveHub *self, GtkWidget *view);

/* Drains the rings now (the frame clock does it by itself); for tests and
 * for code that needs the statistics up to date. */
void sw_live_hub_drain (SwLiveHub *self);

/* Mean rate of population @pop (Hz per neuron) over the last @window_ms of
 * received data (clamped to what is kept: the last 10 s); 0 before any
 * data, NAN when there is no population @pop (as before the first
 * network). */
double sw_live_hub_get_rate_hz (SwLiveHub *self, int pop, double window_ms);
/* Spikes of @pop since the network was built or reset (from the rate bins,
 * so complete even when the spike ring dropped some). */
guint64 sw_live_hub_get_spike_count (SwLiveHub *self, int pop);

/* Copies the spike counts of @pop in the last @n_bins bins received (fewer
 * when less is kept: at most 10 s), oldest first, to @out; *@first_bin gets
 * the index of the first.  Returns the number copied. */
guint sw_live_hub_copy_bins (SwLiveHub *self, int pop, guint n_bins, guint32 *out,
                             gint64 *first_bin);

/* Simulated time up to which data arrived (ms): the end of the last bin. */
double sw_live_hub_get_time_ms (SwLiveHub *self);
/* Width of the rate bins (ms) and the step (ms) of the running network. */
double sw_live_hub_get_bin_ms (SwLiveHub *self);
double sw_live_hub_get_dt_ms (SwLiveHub *self);
/* Populations of the running network (NULL / 0 before the first). */
const SwNetSpec *sw_live_hub_get_spec (SwLiveHub *self);
int sw_live_hub_get_n_pops (SwLiveHub *self);

/* Frames the hub drained data for, and the worst gap between two ticks
 * since the last call (µs), for the benchmark. */
guint64 sw_live_hub_get_n_frames (SwLiveHub *self);
gint64 sw_live_hub_take_worst_frame_us (SwLiveHub *self);

/* Signals:
 *   "updated": data arrived and the views have it (after their frame());
 *   "cleared": the network was rebuilt or reset, the statistics start over. */

G_END_DECLS
