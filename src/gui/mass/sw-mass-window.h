/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwMassWindow: the workbench window of a neural-mass document (kind
 * "mass").  The header bar runs and stops the simulation; the sidebar holds
 * the document's variables as sliders; five views show the network (nodes
 * coloured by activity or by their response to a pulse), the time series
 * and the power spectrum of the plotted nodes, the phase plane of one node
 * and a one-parameter bifurcation diagram.  Simulations, perturbations,
 * phase planes and diagrams are computed on worker threads.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SW_TYPE_MASS_WINDOW (sw_mass_window_get_type ())
G_DECLARE_FINAL_TYPE (SwMassWindow, sw_mass_window, SW, MASS_WINDOW, AdwApplicationWindow)

/* A window on @location (a .swk file or "preset:NAME" of kind "mass"), not
 * yet presented; NULL with the loader's error. */
SwMassWindow *sw_mass_window_new (GtkApplication *app, const char *location, GError **error);

/* Views: "network", "series", "spectrum", "plane", "bifurcation". */
void sw_mass_window_set_view (SwMassWindow *self, const char *name);
const char *sw_mass_window_get_view (SwMassWindow *self);

void sw_mass_window_run (SwMassWindow *self);
void sw_mass_window_stop (SwMassWindow *self);
gboolean sw_mass_window_get_running (SwMassWindow *self);
/* Samples of the observable recorded by the last run (per node). */
gsize sw_mass_window_get_n_samples (SwMassWindow *self);

/* The spectral peak (Hz) of the first plotted node between 1 and 45 Hz;
 * NAN when there is none yet. */
double sw_mass_window_get_spectral_peak (SwMassWindow *self);

/* Sets variable @name to @value (in its unit), as its slider does. */
gboolean sw_mass_window_set_variable (SwMassWindow *self, const char *name, double value,
                                      GError **error);

/* Where node @node is drawn in the network view (widget coordinates);
 * FALSE before the view was laid out. */
gboolean sw_mass_window_node_position (SwMassWindow *self, int node, double *x, double *y);
/* A click at (@x, @y) of the view @name's drawing area, as the pointer
 * gives it. */
void sw_mass_window_click (SwMassWindow *self, const char *view, double x, double y);
/* The drawing area of view @name. */
GtkWidget *sw_mass_window_get_area (SwMassWindow *self, const char *view);
/* Chooses what a click on a node does: TRUE perturb, FALSE plot. */
void sw_mass_window_set_click_perturbs (SwMassWindow *self, gboolean perturb);
/* Nodes shown in the time series, in order. */
const int *sw_mass_window_get_plotted (SwMassWindow *self, guint *n);
/* TRUE while a perturbation is computed; the node perturbed last (-1:
 * none) and its result's number of hop classes. */
gboolean sw_mass_window_get_perturbing (SwMassWindow *self);
int sw_mass_window_get_perturbed_node (SwMassWindow *self, int *max_hop);

/* Phase plane: TRUE while computed; the fixed points of the last plane. */
gboolean sw_mass_window_get_plane_busy (SwMassWindow *self);
int sw_mass_window_get_n_fixed_points (SwMassWindow *self);
/* The type of fixed point @k as sw_fixed_point_type_name() writes it. */
const char *sw_mass_window_get_fixed_point_type (SwMassWindow *self, int k);
/* Trajectories drawn in the last plane. */
int sw_mass_window_get_n_trajectories (SwMassWindow *self);

/* Bifurcation diagram over parameter @name from @lo to @hi (in the
 * parameter's unit) with @n_sims simulated values; FALSE when the name is
 * not a parameter of the node. */
gboolean sw_mass_window_compute_bifurcation (SwMassWindow *self, const char *name, double lo,
                                             double hi, int n_sims);
void sw_mass_window_cancel_bifurcation (SwMassWindow *self);
/* 0 idle, 1 computing, 2 finished, 3 cancelled, 4 failed. */
int sw_mass_window_get_bifurcation_state (SwMassWindow *self);
/* Branch points and Hopf points of the finished diagram. */
int sw_mass_window_get_bifurcation_points (SwMassWindow *self, int *n_hopf);

/* Writes view @name to @path: a figure (.png, .svg, .pdf) or its data
 * (.csv). */
gboolean sw_mass_window_export (SwMassWindow *self, const char *view, const char *path,
                                GError **error);

G_END_DECLS
