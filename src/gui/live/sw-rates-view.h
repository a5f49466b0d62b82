/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwRatesView: population rates of the running network over the last
 * seconds (5 ms bins) and their power spectrum (Welch, 256 ms segments over
 * the last 2 s, refreshed four times a second).  Excitatory populations
 * take the accent colour with solid lines, inhibitory ones the error colour
 * with dashed lines.  Fed by an SwLiveHub.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SW_TYPE_RATES_VIEW (sw_rates_view_get_type ())
G_DECLARE_FINAL_TYPE (SwRatesView, sw_rates_view, SW, RATES_VIEW, GtkWidget)

GtkWidget *sw_rates_view_new (void);

/* Seconds of rate history shown (0.2 .. 10; default 2). */
void sw_rates_view_set_window (SwRatesView *self, double seconds);
double sw_rates_view_get_window (SwRatesView *self);

/* Larger fonts and lines (classrooms). */
void sw_rates_view_set_presentation (SwRatesView *self, gboolean presentation);
gboolean sw_rates_view_get_presentation (SwRatesView *self);

/* Writes the figure (.png, .svg, .pdf) or the rates of the window in 1 ms
 * bins (.csv: time_ms and one column per population, in Hz), chosen by the
 * extension of @path. */
gboolean sw_rates_view_export (SwRatesView *self, const char *path, GError **error);

/* The accessible summary ("E: 3.1 Hz, I: 12.9 Hz over the last second;
 * 52 000 spikes"), as last published. */
const char *sw_rates_view_get_summary (SwRatesView *self);

/* Properties: "window" (double, s), "presentation" (gboolean). */

G_END_DECLS
