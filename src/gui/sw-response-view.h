/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwResponseView: the responsiveness curve of the window's document
 * (async-states spec §5): over a sweep of one document variable, the
 * spiking network's response to a brief stimulus (mean ± s.e.m. over a few
 * trials, sw_resp_run_network) and the mean field's (sw_resp_run_mf), side
 * by side for a chosen measure, with the variable's current value marked.
 *
 * The sweep runs in a thread (a GTask) with a progress bar; Cancel sets the
 * core's atomic cancel flag, which the trials check between steps, so it
 * stops within a fraction of a second.  Nothing blocks the main thread.
 *
 * Exports (a menu in the view): PNG, SVG, PDF, and CSV with one row per
 * value of the sweep and every measure of both sides.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _SwWindow SwWindow;

#define SW_TYPE_RESPONSE_VIEW (sw_response_view_get_type ())
G_DECLARE_FINAL_TYPE (SwResponseView, sw_response_view, SW, RESPONSE_VIEW, GtkWidget)

/* The coefficient set of the mean field, as in `spikeworks-cli respond`. */
#define SW_RESPONSE_VIEW_COEFFS "S25"

GtkWidget *sw_response_view_new (void);

/* The window whose document the view sweeps (not owned). */
void sw_response_view_set_window (SwResponseView *self, SwWindow *window);

/* The swept variable (a document variable with a range; nu_ext by
 * default when there is one), the number of values (2..20; 4) and of
 * network trials per value (2..50; 3). */
void sw_response_view_set_variable (SwResponseView *self, const char *name);
const char *sw_response_view_get_variable (SwResponseView *self);
void sw_response_view_set_points (SwResponseView *self, int n);
void sw_response_view_set_trials (SwResponseView *self, int n);

/* Starts the sweep (a running one is cancelled first) and stops it. */
void sw_response_view_compute (SwResponseView *self);
void sw_response_view_cancel (SwResponseView *self);
/* TRUE from compute until the worker has stopped ("busy" property). */
gboolean sw_response_view_get_busy (SwResponseView *self);
gboolean sw_response_view_has_result (SwResponseView *self);

/* Writes the curve to @path: .png, .svg, .pdf or .csv.
 * SW_LIVE_ERROR_EMPTY before a sweep finished. */
gboolean sw_response_view_export (SwResponseView *self, const char *path, GError **error);

G_END_DECLS
