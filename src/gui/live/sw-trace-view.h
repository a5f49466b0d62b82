/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwTraceView: membrane potentials (or another state variable) of chosen
 * neurons over the last seconds, one panel per neuron, reduced to the
 * minimum and maximum of each pixel column before drawing.  The traces are
 * recorded by the runner (sw_runner_add_trace) every step.  Fed by an
 * SwLiveHub; without a choice it shows the first neuron of each population.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SW_TYPE_TRACE_VIEW (sw_trace_view_get_type ())
G_DECLARE_FINAL_TYPE (SwTraceView, sw_trace_view, SW, TRACE_VIEW, GtkWidget)

/* At most this many neurons are shown; adding one more drops the oldest. */
#define SW_TRACE_VIEW_MAX_TRACES 4

GtkWidget *sw_trace_view_new (void);

/* Shows the membrane potential of @neuron of population @pop (a population
 * of neurons).  Returns FALSE when it is already shown.  The choice holds
 * across rebuilds while the neuron exists. */
gboolean sw_trace_view_add_neuron (SwTraceView *self, int pop, int neuron);
void sw_trace_view_remove_neuron (SwTraceView *self, int pop, int neuron);
/* Back to the automatic choice. */
void sw_trace_view_clear_neurons (SwTraceView *self);
guint sw_trace_view_get_n_traces (SwTraceView *self);

/* Seconds shown (0.1 .. 10; default 1). */
void sw_trace_view_set_window (SwTraceView *self, double seconds);
double sw_trace_view_get_window (SwTraceView *self);

void sw_trace_view_set_presentation (SwTraceView *self, gboolean presentation);
gboolean sw_trace_view_get_presentation (SwTraceView *self);

/* Writes the figure (.png, .svg, .pdf) or the samples of the window (.csv:
 * time_ms and one column per neuron, every step), by extension. */
gboolean sw_trace_view_export (SwTraceView *self, const char *path, GError **error);

const char *sw_trace_view_get_summary (SwTraceView *self);

/* Properties: "window" (double, s), "presentation" (gboolean). */

G_END_DECLS
