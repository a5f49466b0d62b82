/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of colours (src/plot/sw-colormap.c, sw-plot-theme.c): colour-map
 * endpoints against matplotlib's tables, a few midpoints, strictly rising
 * lightness (so a map printed in grey still orders its values), clamping
 * and NaN, the CIE lightness itself, the Okabe-Ito palette and the
 * contrast of the preset themes.
 */
#include "sw-colormap.h"
#include "sw-plot-theme.h"

#include <glib.h>
#include <math.h>

static void
assert_rgb (SwRgba c, double r, double g, double b, double tol)
{
  g_assert_cmpfloat_with_epsilon (c.r, r, tol);
  g_assert_cmpfloat_with_epsilon (c.g, g, tol);
  g_assert_cmpfloat_with_epsilon (c.b, b, tol);
  g_assert_cmpfloat (c.a, ==, 1.0);
}

static void
test_endpoints (void)
{
  /* matplotlib's _viridis_data[0] and [255] (#440154, #fde725) and the
   * same for magma; exact by construction. */
  assert_rgb (sw_colormap_eval (SW_COLORMAP_VIRIDIS, 0.0), 0.267004, 0.004874, 0.329415, 1e-9);
  assert_rgb (sw_colormap_eval (SW_COLORMAP_VIRIDIS, 1.0), 0.993248, 0.906157, 0.143936, 1e-9);
  assert_rgb (sw_colormap_eval (SW_COLORMAP_MAGMA, 0.0), 0.001462, 0.000466, 0.013866, 1e-9);
  assert_rgb (sw_colormap_eval (SW_COLORMAP_MAGMA, 1.0), 0.987053, 0.991438, 0.749504, 1e-9);
  /* The grey ramp spans L* 20 .. 98 and has no hue. */
  {
    SwRgba lo = sw_colormap_eval (SW_COLORMAP_GREYS, 0.0);
    SwRgba hi = sw_colormap_eval (SW_COLORMAP_GREYS, 1.0);

    g_assert_cmpfloat_with_epsilon (sw_rgba_lightness (lo), 20.0, 1e-6);
    g_assert_cmpfloat_with_epsilon (sw_rgba_lightness (hi), 98.0, 1e-6);
    g_assert_cmpfloat (lo.r, ==, lo.g);
    g_assert_cmpfloat (lo.g, ==, lo.b);
  }
}

static void
test_midpoints (void)
{
  /* matplotlib's viridis at entries 64, 128 and 191 (#3b528b, #21918c,
   * #5ec962); the polynomial fit stays within 0.02 of the table. */
  assert_rgb (sw_colormap_eval (SW_COLORMAP_VIRIDIS, 64.0 / 255.0), 0.231674, 0.318106, 0.544834, 0.02);
  assert_rgb (sw_colormap_eval (SW_COLORMAP_VIRIDIS, 128.0 / 255.0), 0.127568, 0.566949, 0.550556, 0.02);
  assert_rgb (sw_colormap_eval (SW_COLORMAP_VIRIDIS, 191.0 / 255.0), 0.360741, 0.785964, 0.387814, 0.02);
}

static void
test_lightness_monotonic (void)
{
  for (int map = 0; map < SW_N_COLORMAPS; map++)
    {
      double prev = -1.0;
      double first = sw_rgba_lightness (sw_colormap_eval (map, 0.0));
      double last = sw_rgba_lightness (sw_colormap_eval (map, 1.0));

      g_test_message ("%s: L* %.1f .. %.1f", sw_colormap_name (map), first, last);
      for (int k = 0; k <= 1024; k++)
        {
          double l = sw_rgba_lightness (sw_colormap_eval (map, k / 1024.0));

          g_assert_cmpfloat (l, >, prev);
          prev = l;
        }
      /* And over a range that makes the ends tell apart at a glance. */
      g_assert_cmpfloat (last - first, >, 60.0);
    }
}

static void
test_clamp_and_nan (void)
{
  SwRgba nan_c = sw_colormap_nan_colour ();
  SwRgba c;

  for (int map = 0; map < SW_N_COLORMAPS; map++)
    {
      SwRgba a = sw_colormap_eval (map, -3.0), b = sw_colormap_eval (map, 0.0);
      SwRgba y = sw_colormap_eval (map, 7.0), z = sw_colormap_eval (map, 1.0);

      assert_rgb (a, b.r, b.g, b.b, 1e-12);
      assert_rgb (y, z.r, z.g, z.b, 1e-12);
      a = sw_colormap_eval (map, -INFINITY);
      assert_rgb (a, b.r, b.g, b.b, 1e-12);
      c = sw_colormap_eval (map, NAN);
      assert_rgb (c, nan_c.r, nan_c.g, nan_c.b, 1e-12);
    }
  /* The NaN colour is a neutral grey. */
  g_assert_cmpfloat (nan_c.r, ==, nan_c.g);
  g_assert_cmpfloat (nan_c.g, ==, nan_c.b);
  /* Unknown maps fall back to viridis; names. */
  c = sw_colormap_eval ((SwColormap) 99, 0.0);
  assert_rgb (c, 0.267004, 0.004874, 0.329415, 1e-9);
  g_assert_cmpstr (sw_colormap_name (SW_COLORMAP_VIRIDIS), ==, "viridis");
  g_assert_null (sw_colormap_name ((SwColormap) 99));
}

static void
test_lightness (void)
{
  g_assert_cmpfloat_with_epsilon (sw_rgba_lightness (sw_rgba_from_hex (0x000000)), 0.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (sw_rgba_lightness (sw_rgba_from_hex (0xFFFFFF)), 100.0, 1e-6);
  /* sRGB #777777 has L* = 50.0 (a standard check value, within 0.1). */
  g_assert_cmpfloat_with_epsilon (sw_rgba_lightness (sw_rgba_from_hex (0x777777)), 50.0, 0.1);
}

static void
test_okabe_ito (void)
{
  SwRgba c;

  assert_rgb (sw_palette_okabe_ito (0), 0, 0, 0, 1e-12);
  c = sw_palette_okabe_ito (1);
  assert_rgb (c, 0xE6 / 255.0, 0x9F / 255.0, 0.0, 1e-12);
  c = sw_palette_okabe_ito (5);
  assert_rgb (c, 0.0, 0x72 / 255.0, 0xB2 / 255.0, 1e-12);
  c = sw_palette_okabe_ito (9);
  assert_rgb (c, 0xE6 / 255.0, 0x9F / 255.0, 0.0, 1e-12);
}

static double
distance (SwRgba a, SwRgba b)
{
  return sqrt ((a.r - b.r) * (a.r - b.r) + (a.g - b.g) * (a.g - b.g) + (a.b - b.b) * (a.b - b.b));
}

static void
test_themes (void)
{
  for (int k = 0; k < SW_N_PLOT_THEMES; k++)
    {
      SwPlotTheme th;
      double fg, bg;

      sw_plot_theme_init (&th, k);
      g_assert_nonnull (sw_plot_theme_name (k));
      g_assert_cmpfloat (th.scale, ==, 1.0);
      g_assert_cmpfloat (th.font_size, >=, 10.0);
      fg = sw_rgba_lightness (th.foreground);
      bg = sw_rgba_lightness (th.background);
      /* Text far from its background in lightness. */
      g_assert_cmpfloat (fabs (fg - bg), >, 70.0);
      /* The first four series colours differ from the background and from
       * one another. */
      for (int i = 0; i < 4; i++)
        {
          g_assert_cmpfloat (fabs (sw_rgba_lightness (th.series[i]) - bg), >, 15.0);
          for (int j = 0; j < i; j++)
            g_assert_cmpfloat (distance (th.series[i], th.series[j]), >, 0.3);
        }
      /* The NaN colour stands out from the background. */
      g_assert_cmpfloat (fabs (sw_rgba_lightness (th.nan_colour) - bg), >, 15.0);
    }
  {
    SwPlotTheme th;

    sw_plot_theme_init (&th, SW_PLOT_THEME_HIGH_CONTRAST);
    g_assert_true (th.vary_dashes);
    g_assert_cmpfloat (th.line_width, >, 2.0);
  }
  g_assert_null (sw_plot_theme_name (SW_N_PLOT_THEMES));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plot/colormap/endpoints", test_endpoints);
  g_test_add_func ("/plot/colormap/midpoints", test_midpoints);
  g_test_add_func ("/plot/colormap/lightness-monotonic", test_lightness_monotonic);
  g_test_add_func ("/plot/colormap/clamp-and-nan", test_clamp_and_nan);
  g_test_add_func ("/plot/colormap/lightness", test_lightness);
  g_test_add_func ("/plot/colormap/okabe-ito", test_okabe_ito);
  g_test_add_func ("/plot/theme/presets", test_themes);
  return g_test_run ();
}
