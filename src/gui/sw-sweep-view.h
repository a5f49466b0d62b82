/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwSweepView: the simulated phase diagram of the window's document
 * (sw-sweep.h): the network is run over a grid of two document variables,
 * each point for a number of trials, and one measure (mean rate, CV of the
 * ISIs, synchrony χ, spectrum peak) of one population is drawn as a heat
 * map that fills in as the points complete, with the current values of the
 * two variables as a crosshair.
 *
 * The grid runs in a thread (a GTask); every point is handed to the main
 * thread through a per-point flag with release/acquire ordering, so the
 * progress timer draws the points finished so far.  Cancel stops the
 * network under way within a chunk of its steps (the core's cancel flag)
 * and keeps the points already finished.  The sweep is never started by
 * itself: a grid costs seconds to hours.
 *
 * Exports (a menu in the view): PNG, SVG, PDF of the map, and CSV with one
 * row per point and every measure of every population.
 */
#pragma once

#include <gtk/gtk.h>

#include "sw-sweep.h"

G_BEGIN_DECLS

typedef struct _SwWindow SwWindow;

#define SW_TYPE_SWEEP_VIEW (sw_sweep_view_get_type ())
G_DECLARE_FINAL_TYPE (SwSweepView, sw_sweep_view, SW, SWEEP_VIEW, GtkWidget)

GtkWidget *sw_sweep_view_new (void);

/* The window whose document the view sweeps (not owned). */
void sw_sweep_view_set_window (SwSweepView *self, SwWindow *window);

/* The axes: document variables, each from @lo to @hi in @n points
 * (1..100).  FALSE with @error for an unknown variable or equal names. */
gboolean sw_sweep_view_set_axis (SwSweepView *self, gboolean vertical, const char *name, double lo,
                                 double hi, int n, GError **error);
/* Simulated time and warm-up per trial (ms) and trials per point. */
void sw_sweep_view_set_run (SwSweepView *self, double duration_ms, double warmup_ms, int trials);
/* The measure and population drawn (the map shows one at a time). */
void sw_sweep_view_set_measure (SwSweepView *self, SwSweepMeasure measure, int pop);

/* Starts the sweep (cancelling one under way); Cancel stops it and keeps
 * the points finished. */
void sw_sweep_view_start (SwSweepView *self);
void sw_sweep_view_cancel (SwSweepView *self);
gboolean sw_sweep_view_get_busy (SwSweepView *self);
/* Points of the grid and points finished (shown). */
int sw_sweep_view_get_n_points (SwSweepView *self);
int sw_sweep_view_get_n_done (SwSweepView *self);
/* The value of @measure of population @pop at grid point (@i, @j): NAN
 * when not computed (or when every trial blew up). */
double sw_sweep_view_get_value (SwSweepView *self, int i, int j, SwSweepMeasure measure, int pop);

/* Writes .png, .svg, .pdf (the map) or .csv (every point and measure).
 * SW_LIVE_ERROR_EMPTY before any point is finished. */
gboolean sw_sweep_view_export (SwSweepView *self, const char *path, GError **error);

G_END_DECLS
