/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libspikeworks-plot: figures for the CLI and the workbench, drawn with
 * cairo alone (no GLib, no GTK).  Include this header for everything:
 * figures and panels (sw-figure.h), ticks (sw-ticks.h), colour maps and
 * palettes (sw-colormap.h), themes (sw-plot-theme.h) and status codes
 * (sw-plot-error.h).
 */
#pragma once

#include "sw-colormap.h"
#include "sw-figure.h"
#include "sw-plot-error.h"
#include "sw-plot-theme.h"
#include "sw-ticks.h"
