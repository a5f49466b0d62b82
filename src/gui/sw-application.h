/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwApplication: the workbench.  It owns the settings and the windows
 * (each window shows one document), installs the application actions and
 * their accelerators, follows the colour-scheme setting, opens files given
 * on the command line ("preset:NAME" opens a preset) and, at start, offers
 * back the drafts a crash left behind.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SW_TYPE_APPLICATION (sw_application_get_type ())
G_DECLARE_FINAL_TYPE (SwApplication, sw_application, SW, APPLICATION, AdwApplication)

/* @flags: G_APPLICATION_DEFAULT_FLAGS for the program; the tests add
 * G_APPLICATION_NON_UNIQUE. */
SwApplication *sw_application_new (GApplicationFlags flags);

GSettings *sw_application_get_settings (SwApplication *self);

/* The preset a new window starts on. */
#define SW_DEFAULT_PRESET "destexhe-adex"

G_END_DECLS
