/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Themes of the plotting library: font, sizes and colours of a figure.
 * Sizes are in user units of the target: pixels for PNG and for a widget's
 * cairo_t, points for SVG and PDF.  Every size is multiplied by `scale`, so
 * a classroom projector needs one number changed (SW_PLOT_PRESENTATION_SCALE)
 * and the proportions stay.  The workbench may fill a theme from its style
 * (accent, dark, high contrast) instead of using these presets.
 */
#pragma once

#include "sw-colormap.h"

#include <stdbool.h>
#include <stddef.h>

#define SW_PLOT_THEME_N_SERIES 8

/* Scale of the presentation mode: fonts, lines and markers 1.6 x larger. */
#define SW_PLOT_PRESENTATION_SCALE 1.6

typedef enum
{
  SW_PLOT_THEME_LIGHT = 0,      /* dark text on white, Okabe-Ito series */
  SW_PLOT_THEME_DARK,           /* light text on a dark grey background */
  SW_PLOT_THEME_HIGH_CONTRAST,  /* black on white, thick lines, larger text,
                                 * series also differ by dash pattern */
  SW_N_PLOT_THEMES
} SwPlotThemeKind;

typedef struct
{
  const char *font_family;  /* a fontconfig family; "sans-serif" */
  double font_size;         /* tick labels, legend, axis labels */
  double title_scale;       /* panel and figure titles: font_size times this */
  double line_width;        /* data lines */
  double axis_width;        /* axis lines, ticks, colour-bar frame */
  double marker_size;       /* diameter of point markers */
  double scale;             /* multiplies every size above; 1 on screen */
  bool grid;                /* light grid lines at the major ticks of line
                             * plots (never over heat maps) */
  bool vary_dashes;         /* automatic series also cycle dash patterns,
                             * so no two differ by colour alone */
  SwRgba background;        /* figure background; alpha 0 leaves the target
                             * untouched (a widget's own background) */
  SwRgba foreground;        /* text, axes, ticks */
  SwRgba grid_colour;
  SwRgba legend_background; /* behind legend entries and marker labels */
  SwRgba nan_colour;        /* heat-map cells holding NaN */
  SwRgba series[SW_PLOT_THEME_N_SERIES]; /* colours of automatic series */
} SwPlotTheme;

/* Fills @theme with the preset @kind at scale 1 (an unknown kind gives the
 * light theme). */
void sw_plot_theme_init (SwPlotTheme *theme, SwPlotThemeKind kind);

/* Name of @kind ("light", "dark", "high-contrast"), or NULL. */
const char *sw_plot_theme_name (SwPlotThemeKind kind);
