/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Windows for the documents that are not networks of point neurons: cells
 * (src/gui/cells/) and neural masses (src/gui/mass/).  The application and
 * the network window hand such documents over with these calls.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Opens @location (a path or "preset:NAME") of kind "cells" in a new window
 * and presents it; FALSE with the loader's message when it does not load. */
gboolean sw_cells_window_present (GtkApplication *app, const char *location, GError **error);

/* The same for documents of kind "mass". */
gboolean sw_mass_window_present (GtkApplication *app, const char *location, GError **error);

/* Opens @location in the window its kind needs when that is not the network
 * window: TRUE when it was handled (opened, or failed with @error set);
 * FALSE when it is a network document, which the caller opens. */
gboolean sw_kind_windows_open (GtkApplication *app, const char *location, gboolean *handled,
                               GError **error);

G_END_DECLS
