/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwPreferencesWindow: the workbench's settings (GSettings), edited in
 * place: style, auto-run, threads and the raster's point size.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SW_TYPE_PREFERENCES_WINDOW (sw_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (SwPreferencesWindow, sw_preferences_window, SW, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

GtkWidget *sw_preferences_window_new (GtkWindow *parent, GSettings *settings);

G_END_DECLS
