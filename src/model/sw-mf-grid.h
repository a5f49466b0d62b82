/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Mean-field configurations of a document over a 2-D grid of two of its
 * variables or parameters, for phase maps (spikeworks-cli phase and the
 * workbench's phase diagram).
 *
 * Evaluating the whole document per cell costs tens of microseconds, more
 * than the map itself, so the configurations are composed: each number of
 * the configuration that changes along x (at y0) is taken from the x sweep,
 * each that changes along y (at x0) from the y sweep.  This is exact when no
 * number depends on both axes; it is checked on the corners and a sample of
 * cells, and every cell is evaluated otherwise.
 */
#pragma once

#include <gio/gio.h>

#include "sw-document.h"
#include "sw-meanfield.h"

G_BEGIN_DECLS

/* The configuration of @doc as it stands (a mean field with its
 * coefficients), filled by the caller's function. */
typedef gboolean (*SwMfConfigFunc) (SwDocument *doc, SwMfConfig *cfg, gpointer data, GError **error);

/* Value k of an axis of n points from min to max (n = 1: min). */
double sw_mf_grid_axis_value (double min, double max, int n, int k);

/* The nx * ny configurations, row-major with y outer (cell (i, j) at
 * j * nx + i), with @x_name set to the x values and @y_name to the y values
 * through sw_document_set (variables or parameter paths).  The document is
 * left at the last values evaluated.  *@composed (may be NULL) tells whether
 * the composition held.  NULL with @error when an evaluation fails or
 * @cancellable is cancelled; free with g_free(). */
SwMfConfig *sw_mf_grid_configs (SwDocument *doc, const char *x_name, double x_min, double x_max, int nx,
                                const char *y_name, double y_min, double y_max, int ny,
                                SwMfConfigFunc config_of, gpointer data, GCancellable *cancellable,
                                gboolean *composed, GError **error);

G_END_DECLS
