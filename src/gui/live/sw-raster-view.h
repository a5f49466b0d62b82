/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwRasterView: a spike raster of the last seconds that scrolls with the
 * simulation.  Populations of neurons are stacked (the y axis is the neuron
 * index across populations); excitatory spikes are short vertical ticks in
 * the accent colour, inhibitory ones diamonds in the error colour, so they
 * differ by shape as well as colour.  When there are more neurons than
 * pixel rows, an evenly spread sample is shown (every k-th neuron of each
 * population).
 *
 * The marks are drawn on the GPU by a GtkGLArea (points with a shape per
 * population; only new spikes are uploaded); where GL is unavailable or
 * fails, cairo draws the same marks.  Clicking a mark's row emits
 * "neuron-activated".  Fed by an SwLiveHub.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SW_TYPE_RASTER_VIEW (sw_raster_view_get_type ())
G_DECLARE_FINAL_TYPE (SwRasterView, sw_raster_view, SW, RASTER_VIEW, GtkWidget)

GtkWidget *sw_raster_view_new (void);

/* Seconds shown (0.1 .. 10; default 2). */
void sw_raster_view_set_window (SwRasterView *self, double seconds);
double sw_raster_view_get_window (SwRasterView *self);

void sw_raster_view_set_presentation (SwRasterView *self, gboolean presentation);
gboolean sw_raster_view_get_presentation (SwRasterView *self);

/* Size of a mark in logical pixels (0.5 .. 16), or 0 (the default) for
 * about one row of the sample, between 3 and 6 pixels.  Marks are never
 * drawn smaller than 3 pixels: below that, ticks and diamonds look alike
 * and the populations would differ by colour alone. */
void sw_raster_view_set_point_size (SwRasterView *self, double size);
double sw_raster_view_get_point_size (SwRasterView *self);

/* Whether to draw with GL when it works (default TRUE); FALSE forces the
 * cairo path.  sw_raster_view_get_uses_gl() says what is used now. */
void sw_raster_view_set_use_gl (SwRasterView *self, gboolean use_gl);
gboolean sw_raster_view_get_use_gl (SwRasterView *self);
gboolean sw_raster_view_get_uses_gl (SwRasterView *self);

/* Every how many neurons one is shown (1: all), as last laid out. */
int sw_raster_view_get_stride (SwRasterView *self);

/* The neuron whose row lies under (@x, @y) in widget coordinates (the
 * nearest one of the sample); FALSE outside the plot area.  Clicks emit
 * "neuron-activated" with it. */
gboolean sw_raster_view_neuron_at (SwRasterView *self, double x, double y, int *pop, int *neuron);

/* Writes the figure (.png, .svg, .pdf; the neurons sampled for the image
 * height) or every spike of the window (.csv: time_ms, population,
 * neuron), by extension. */
gboolean sw_raster_view_export (SwRasterView *self, const char *path, GError **error);

/* The spikes the view keeps (those of the last 10 s of simulated time:
 * the raster keeps no more), oldest first, as an array of SwSpike (free
 * with g_array_unref); *@t0_ms and *@t1_ms get the time span kept. */
GArray *sw_raster_view_copy_kept (SwRasterView *self, double *t0_ms, double *t1_ms);

const char *sw_raster_view_get_summary (SwRasterView *self);

/* Signals:
 *   "neuron-activated" (int pop, int neuron): a neuron was clicked.
 * Properties: "window" (double, s), "presentation", "point-size" (double),
 * "use-gl" (gboolean),
 * "uses-gl" (gboolean, read-only). */

G_END_DECLS
