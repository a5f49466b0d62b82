/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The preset themes.  Series colours come from Okabe & Ito's palette, in
 * an order that keeps the first few far apart and readable on the theme's
 * background (no yellow on white, no dark blue on dark grey).
 */
#include "sw-plot-theme.h"

#include <string.h>

static void
set_series (SwPlotTheme *theme, const unsigned int hex[SW_PLOT_THEME_N_SERIES])
{
  for (size_t i = 0; i < SW_PLOT_THEME_N_SERIES; i++)
    theme->series[i] = sw_rgba_from_hex (hex[i]);
}

void
sw_plot_theme_init (SwPlotTheme *theme, SwPlotThemeKind kind)
{
  /* Blue, vermillion, bluish green, reddish purple, orange, sky blue,
   * black, and yellow last: it has too little contrast on white. */
  static const unsigned int light_series[SW_PLOT_THEME_N_SERIES] = {
    0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7, 0xE69F00, 0x56B4E9, 0x000000,
    0xF0E442,
  };
  /* On dark grey the light members lead; dark blue comes last. */
  static const unsigned int dark_series[SW_PLOT_THEME_N_SERIES] = {
    0x56B4E9, 0xE69F00, 0x2EC28F, 0xCC79A7, 0xF0E442, 0xFF7A33, 0xFFFFFF,
    0x3D9BE0,
  };
  /* Saturated and dark on white, each far from the next in lightness. */
  static const unsigned int hc_series[SW_PLOT_THEME_N_SERIES] = {
    0x000000, 0x0059A0, 0xB84A00, 0x007A59, 0x9E3D75, 0x5A5A5A, 0x003A66,
    0x7A3300,
  };

  memset (theme, 0, sizeof *theme);
  theme->font_family = "sans-serif";
  theme->font_size = 12.0;
  theme->title_scale = 1.2;
  theme->line_width = 1.6;
  theme->axis_width = 1.0;
  theme->marker_size = 6.5;
  theme->scale = 1.0;
  theme->grid = true;
  theme->vary_dashes = false;
  theme->nan_colour = sw_colormap_nan_colour ();

  switch (kind)
    {
    case SW_PLOT_THEME_DARK:
      /* libadwaita's dark window background and its light text. */
      theme->background = sw_rgba_from_hex (0x242424);
      theme->foreground = sw_rgba_from_hex (0xEBEBEB);
      theme->grid_colour = sw_rgba_from_hex (0x3A3A3A);
      theme->legend_background = (SwRgba) { 0.141, 0.141, 0.141, 0.88 };
      theme->nan_colour = sw_rgba_from_hex (0x6E6E6E);
      set_series (theme, dark_series);
      break;
    case SW_PLOT_THEME_HIGH_CONTRAST:
      theme->background = sw_rgba_from_hex (0xFFFFFF);
      theme->foreground = sw_rgba_from_hex (0x000000);
      theme->grid_colour = sw_rgba_from_hex (0xD4D4D4);
      theme->legend_background = (SwRgba) { 1, 1, 1, 0.95 };
      theme->font_size = 14.0;
      theme->line_width = 2.6;
      theme->axis_width = 1.6;
      theme->marker_size = 8.0;
      theme->vary_dashes = true;
      set_series (theme, hc_series);
      break;
    case SW_PLOT_THEME_LIGHT:
    case SW_N_PLOT_THEMES:
    default:
      theme->background = sw_rgba_from_hex (0xFFFFFF);
      theme->foreground = sw_rgba_from_hex (0x1A1A1A);
      theme->grid_colour = sw_rgba_from_hex (0xE6E6E6);
      theme->legend_background = (SwRgba) { 1, 1, 1, 0.88 };
      set_series (theme, light_series);
      break;
    }
}

const char *
sw_plot_theme_name (SwPlotThemeKind kind)
{
  switch (kind)
    {
    case SW_PLOT_THEME_LIGHT:
      return "light";
    case SW_PLOT_THEME_DARK:
      return "dark";
    case SW_PLOT_THEME_HIGH_CONTRAST:
      return "high-contrast";
    case SW_N_PLOT_THEMES:
    default:
      return NULL;
    }
}
