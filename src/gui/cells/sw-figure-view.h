/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwFigureView: a widget that shows a figure of the plotting library
 * (sw-figure.h).  The figure comes from a function of the owner, asked
 * again after sw_figure_view_invalidate() and when the style changes, with
 * the plot theme that matches the window (light or dark); exports ask it
 * with the light theme and write PNG, SVG or PDF.
 */
#pragma once

#include <gtk/gtk.h>

#include "sw-figure.h"

G_BEGIN_DECLS

/* Returns a new figure drawn with @theme (NULL: nothing to show). */
typedef SwFigure *(*SwFigureViewBuild) (gpointer data, const SwPlotTheme *theme);

#define SW_TYPE_FIGURE_VIEW (sw_figure_view_get_type ())
G_DECLARE_FINAL_TYPE (SwFigureView, sw_figure_view, SW, FIGURE_VIEW, GtkWidget)

GtkWidget *sw_figure_view_new (SwFigureViewBuild build, gpointer data);
/* The figure is built again at the next frame. */
void sw_figure_view_invalidate (SwFigureView *self);
/* Writes the figure (light theme) to @path: PNG, SVG or PDF by extension. */
gboolean sw_figure_view_export (SwFigureView *self, const char *path, double width,
                                double height, GError **error);
/* A plain-text summary for assistive technologies and the tests. */
char *sw_figure_view_describe (SwFigureView *self);

G_END_DECLS
