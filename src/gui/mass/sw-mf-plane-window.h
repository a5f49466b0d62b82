/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwMfPlaneWindow: the (nu_e, nu_i) phase plane of the E-I mean field of a
 * network document with its adaptation held at the fixed point's value:
 * nullclines, the direction of flow, trajectories, and the fixed point
 * with its type in words (a stable focus is the underdamped asynchronous
 * state, UD; a stable node the overdamped one, OD), as `spikeworks-cli
 * phaseplane` computes it for network documents.  Opened from the phase
 * diagram of the network window.
 */
#pragma once

#include <adwaita.h>

#include "sw-meanfield.h"

G_BEGIN_DECLS

#define SW_TYPE_MF_PLANE_WINDOW (sw_mf_plane_window_get_type ())
G_DECLARE_FINAL_TYPE (SwMfPlaneWindow, sw_mf_plane_window, SW, MF_PLANE_WINDOW, AdwWindow)

/* A window (transient for @parent, may be NULL) on the mean field @cfg
 * (copied) of the model called @name; the plane is computed on a worker
 * thread once the window exists. */
SwMfPlaneWindow *sw_mf_plane_window_new (GtkWindow *parent, const SwMfConfig *cfg, const char *name);

gboolean sw_mf_plane_window_get_busy (SwMfPlaneWindow *self);
/* "UD", "OD", "unstable" or "none" (the class of the fixed point in the
 * plane nearest the asynchronous state); NULL before the result. */
const char *sw_mf_plane_window_get_class (SwMfPlaneWindow *self);
/* The sentence under the plane that names the fixed point's type. */
const char *sw_mf_plane_window_get_summary (SwMfPlaneWindow *self);

/* Writes the plane as a figure (.png, .svg, .pdf) or its curves (.csv). */
gboolean sw_mf_plane_window_export (SwMfPlaneWindow *self, const char *path, GError **error);

G_END_DECLS
