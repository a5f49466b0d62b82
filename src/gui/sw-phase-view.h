/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwPhaseView: the mean-field phase diagram of the window's document: the
 * class of the asynchronous state (UD, OD, unstable, none) and the damping
 * ratio ζ of its E–I mode over two document variables (async-states spec
 * §4), with the UD/OD boundary, the current values of the two variables as
 * a crosshair that follows the sliders, and beside it the mean-field class
 * at the current point next to what the running network shows (the peak
 * and prominence of the spectrum of its E rate over the last two seconds).
 *
 * The map is computed in a thread (a GTask; the rows are handed to
 * sw_mf_phase_map() a few at a time, so that it shows its progress and
 * stops soon after Cancel) whenever the axes change or the document
 * changes in anything but the two variables of the axes.  A click on the
 * map moves both variables there, as one edit that undo takes back.  A
 * network without a mean field (no AdEx E–I network) shows why instead.
 *
 * Exports (a menu in the view): PNG, SVG, PDF, and CSV with one row per
 * cell.
 */
#pragma once

#include <gtk/gtk.h>

#include "sw-document.h"
#include "sw-meanfield.h"

G_BEGIN_DECLS

typedef struct _SwWindow SwWindow;

#define SW_TYPE_PHASE_VIEW (sw_phase_view_get_type ())
G_DECLARE_FINAL_TYPE (SwPhaseView, sw_phase_view, SW, PHASE_VIEW, GtkWidget)

/* The coefficient set of the transfer functions, as in `spikeworks-cli
 * phase` (the spec's layout table uses it). */
#define SW_PHASE_VIEW_COEFFS "dV19"

GtkWidget *sw_phase_view_new (void);

/* The window whose document the view shows and edits (not owned; the
 * window owns the view). */
void sw_phase_view_set_window (SwPhaseView *self, SwWindow *window);

/* The mean-field configuration of @doc as the view computes it (from the
 * network description, coefficients SW_PHASE_VIEW_COEFFS).  FALSE with a
 * sentence in @error for a network without a mean field. */
gboolean sw_phase_view_config_for_document (SwDocument *doc, SwMfConfig *cfg, GError **error);

/* The axes: document variables.  Setting one starts a new map. */
void sw_phase_view_set_axes (SwPhaseView *self, const char *x_name, const char *y_name);
const char *sw_phase_view_get_x_name (SwPhaseView *self);
const char *sw_phase_view_get_y_name (SwPhaseView *self);

/* Cells of the map along each axis (2..200; 81 x 61 by default); a change
 * starts a new map. */
void sw_phase_view_set_resolution (SwPhaseView *self, int nx, int ny);

/* Starts computing the map now (cancelling one under way); Cancel stops
 * it. */
void sw_phase_view_compute (SwPhaseView *self);
void sw_phase_view_cancel (SwPhaseView *self);
/* Whether a map is being computed ("busy" property), whether one is shown
 * for the present document, and whether the document has a mean field. */
gboolean sw_phase_view_get_busy (SwPhaseView *self);
gboolean sw_phase_view_has_map (SwPhaseView *self);
gboolean sw_phase_view_has_mean_field (SwPhaseView *self);

/* The class of the map's cell nearest to the crosshair (the current values
 * of the axis variables); SW_MF_N_CLASSES without a map. */
SwMfClass sw_phase_view_get_map_class (SwPhaseView *self);
/* The class at the current point itself (sw_mf_classify). */
SwMfClass sw_phase_view_get_current_class (SwPhaseView *self);

/* A click on the map at data coordinates (@x, @y): both variables move
 * there (clamped to their ranges), through the window, as one edit. */
gboolean sw_phase_view_pick (SwPhaseView *self, double x, double y, GError **error);

/* Refreshes the network's measured state from the window's live hub now
 * (a timer does it every second while the view is shown). */
void sw_phase_view_update_measured (SwPhaseView *self);

/* Writes the map to @path: .png, .svg, .pdf (the figure) or .csv (one row
 * per cell).  SW_LIVE_ERROR_EMPTY without a map. */
gboolean sw_phase_view_export (SwPhaseView *self, const char *path, GError **error);

G_END_DECLS
