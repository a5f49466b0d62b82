/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of figures (src/plot/sw-figure.c, sw-figure-draw.c, sw-contour.c):
 * PNG, SVG and PDF files with the right signatures, refused formats, sizes
 * and unwritable paths (errors, not crashes, and no files left behind),
 * stream output, heat-map and categorical colours read back from rendered
 * pixels, NaN cells in the neutral colour, s.e.m. bands in their line's
 * colour, raster groups that differ in shape, empty and non-finite data,
 * degenerate sizes, pixel <-> data mapping, drawing onto a caller's
 * cairo_t, the text summary and the contour tracer.
 */
#include "sw-plot-private.h"
#include "sw-plot.h"

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* --- helpers ------------------------------------------------------------ */

static char *
make_tmp_dir (void)
{
  GError *error = NULL;
  char *dir = g_dir_make_tmp (NULL, &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
        g_remove (path);
      g_free (path);
    }
  if (d != NULL)
    g_dir_close (d);
  g_rmdir (dir);
}

/* A figure with a bit of everything in one panel. */
static SwFigure *
sample_figure (void)
{
  SwFigure *fig = sw_figure_new (1, 1);
  SwPanel *p = sw_figure_panel (fig, 0, 0);
  double x[50], y[50], sem[50];

  for (int i = 0; i < 50; i++)
    {
      x[i] = i * 0.1;
      y[i] = sin (x[i]);
      sem[i] = 0.1;
    }
  sw_panel_set_title (p, "Sample");
  sw_panel_set_x_label (p, "Time", "s");
  sw_panel_set_y_label (p, "Signal", "mV");
  g_assert_cmpint (sw_panel_add_mean_sem (p, x, y, sem, 50, "sin", NULL, NULL), ==, SW_PLOT_OK);
  g_assert_cmpint (sw_panel_add_marker (p, 1.5, 1.0, "peak", NULL), ==, SW_PLOT_OK);
  return fig;
}

static cairo_surface_t *
render (SwFigure *fig, int w, int h)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_t *cr = cairo_create (s);

  sw_figure_draw (fig, cr, w, h);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (s);
  return s;
}

/* The colour at pixel (x, y) of an opaque ARGB32 surface. */
static SwRgba
pixel (cairo_surface_t *s, double x, double y)
{
  int ix = (int) floor (x), iy = (int) floor (y);
  unsigned char *data = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s);
  uint32_t v;

  g_assert_cmpint (ix, >=, 0);
  g_assert_cmpint (iy, >=, 0);
  g_assert_cmpint (ix, <, cairo_image_surface_get_width (s));
  g_assert_cmpint (iy, <, cairo_image_surface_get_height (s));
  v = *(uint32_t *) (data + (size_t) iy * stride + (size_t) ix * 4);
  return (SwRgba) { ((v >> 16) & 0xff) / 255.0, ((v >> 8) & 0xff) / 255.0,
                    (v & 0xff) / 255.0, ((v >> 24) & 0xff) / 255.0 };
}

static double
colour_distance (SwRgba a, SwRgba b)
{
  return fmax (fabs (a.r - b.r), fmax (fabs (a.g - b.g), fabs (a.b - b.b)));
}

/* Asserts that pixel (x, y) is within 2/255 per channel of @want. */
#define assert_pixel(s, x, y, want) \
  G_STMT_START \
  { \
    SwRgba got_ = pixel ((s), (x), (y)), want_ = (want); \
    if (colour_distance (got_, want_) > 2.5 / 255.0) \
      g_error ("pixel (%g, %g) is (%.3f, %.3f, %.3f), expected (%.3f, %.3f, %.3f)", \
               (double) (x), (double) (y), got_.r, got_.g, got_.b, want_.r, want_.g, \
               want_.b); \
  } \
  G_STMT_END

static void
assert_prefix (const char *path, const char *prefix, size_t len)
{
  char *contents = NULL;
  gsize size = 0;
  GError *error = NULL;

  g_assert_true (g_file_get_contents (path, &contents, &size, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (size, >, len);
  g_assert_cmpmem (contents, len, prefix, len);
  g_free (contents);
}

/* --- files -------------------------------------------------------------- */

static void
test_formats (void)
{
  char *dir = make_tmp_dir ();
  SwFigure *fig = sample_figure ();
  SwPlotError err = { 0 };
  char *png = g_build_filename (dir, "fig.png", NULL);
  char *svg = g_build_filename (dir, "fig.svg", NULL);
  char *pdf = g_build_filename (dir, "fig.PDF", NULL);

  g_assert_cmpint (sw_figure_save (fig, png, 320, 240, &err), ==, SW_PLOT_OK);
  g_assert_cmpint (sw_figure_save (fig, svg, 320, 240, &err), ==, SW_PLOT_OK);
  g_assert_cmpint (sw_figure_save (fig, pdf, 320, 240, &err), ==, SW_PLOT_OK);
  assert_prefix (png, "\x89PNG\r\n\x1a\n", 8);
  assert_prefix (svg, "<?xml", 5);
  assert_prefix (pdf, "%PDF-", 5);

  /* The SVG holds an <svg> element; the PNG is as large as asked. */
  {
    char *contents = NULL;
    gsize size;

    g_assert_true (g_file_get_contents (svg, &contents, &size, NULL));
    g_assert_nonnull (strstr (contents, "<svg"));
    g_free (contents);
    g_assert_true (g_file_get_contents (png, &contents, &size, NULL));
    g_assert_cmpuint (size, >, 24);
    /* IHDR: width and height, big-endian, at bytes 16 and 20. */
    g_assert_cmpuint (((guint8) contents[18] << 8) | (guint8) contents[19], ==, 320);
    g_assert_cmpuint (((guint8) contents[22] << 8) | (guint8) contents[23], ==, 240);
    g_free (contents);
  }

  sw_figure_free (fig);
  g_free (png);
  g_free (svg);
  g_free (pdf);
  remove_tree (dir);
  g_free (dir);
}

static void
test_bad_format_and_size (void)
{
  char *dir = make_tmp_dir ();
  SwFigure *fig = sample_figure ();
  SwPlotError err = { 0 };
  char *jpg = g_build_filename (dir, "fig.jpg", NULL);
  char *none = g_build_filename (dir, "fig", NULL);
  char *png = g_build_filename (dir, "fig.png", NULL);
  SwPlotFormat format;

  g_assert_cmpint (sw_figure_save (fig, jpg, 100, 100, &err), ==, SW_PLOT_ERR_FORMAT);
  g_assert_cmpint (err.status, ==, SW_PLOT_ERR_FORMAT);
  g_assert_nonnull (strstr (err.text, "fig.jpg"));
  g_assert_false (g_file_test (jpg, G_FILE_TEST_EXISTS));
  g_assert_cmpint (sw_figure_save (fig, none, 100, 100, NULL), ==, SW_PLOT_ERR_FORMAT);

  /* Sizes outside 1 .. 32767 are refused before a file is created. */
  g_assert_cmpint (sw_figure_save (fig, png, 0, 100, &err), ==, SW_PLOT_ERR_INVALID);
  g_assert_cmpint (sw_figure_save (fig, png, 100, NAN, &err), ==, SW_PLOT_ERR_INVALID);
  g_assert_cmpint (sw_figure_save (fig, png, 1e6, 100, &err), ==, SW_PLOT_ERR_INVALID);
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
  /* A one-pixel figure is fine. */
  g_assert_cmpint (sw_figure_save (fig, png, 1, 1, &err), ==, SW_PLOT_OK);

  g_assert_true (sw_plot_format_from_path ("a.Svg", &format));
  g_assert_cmpint (format, ==, SW_PLOT_FORMAT_SVG);
  g_assert_false (sw_plot_format_from_path (".png", NULL));
  g_assert_false (sw_plot_format_from_path (NULL, NULL));
  g_assert_cmpint (sw_figure_save (NULL, png, 10, 10, &err), ==, SW_PLOT_ERR_INVALID);
  g_assert_cmpstr (sw_plot_status_message (SW_PLOT_ERR_IO), ==, "input/output error");
  g_assert_cmpstr (sw_plot_status_message ((SwPlotStatus) 99), ==, "unknown status");

  sw_figure_free (fig);
  g_free (jpg);
  g_free (none);
  g_free (png);
  remove_tree (dir);
  g_free (dir);
}

static void
test_unwritable (void)
{
  char *dir = make_tmp_dir ();
  SwFigure *fig = sample_figure ();
  const char *ext[] = { "png", "svg", "pdf" };

  for (int k = 0; k < 3; k++)
    {
      SwPlotError err = { 0 };
      char *missing = g_strdup_printf ("%s/no/such/folder/fig.%s", dir, ext[k]);
      char *as_dir = g_strdup_printf ("%s/folder.%s", dir, ext[k]);

      g_assert_cmpint (sw_figure_save (fig, missing, 200, 150, &err), ==, SW_PLOT_ERR_IO);
      g_assert_cmpint (err.status, ==, SW_PLOT_ERR_IO);
      /* The message names the path and the reason. */
      g_assert_nonnull (strstr (err.text, missing));
      g_assert_nonnull (strstr (err.text, g_strerror (ENOENT)));

      /* A folder where the file should go. */
      g_assert_cmpint (g_mkdir (as_dir, 0700), ==, 0);
      g_assert_cmpint (sw_figure_save (fig, as_dir, 200, 150, &err), ==, SW_PLOT_ERR_IO);
      g_assert_true (g_file_test (as_dir, G_FILE_TEST_IS_DIR));
      g_free (missing);
      g_free (as_dir);
    }
  sw_figure_free (fig);
  remove_tree (dir);
  g_free (dir);
}

static cairo_status_t
append_cb (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t
fail_cb (void *closure, const unsigned char *data, unsigned int length)
{
  return CAIRO_STATUS_WRITE_ERROR;
}

static void
test_stream (void)
{
  SwFigure *fig = sample_figure ();
  GByteArray *bytes = g_byte_array_new ();
  SwPlotError err = { 0 };

  g_assert_cmpint (sw_figure_write (fig, SW_PLOT_FORMAT_PDF, append_cb, bytes, 200, 100, &err),
                   ==, SW_PLOT_OK);
  g_assert_cmpuint (bytes->len, >, 100);
  g_assert_cmpmem (bytes->data, 5, "%PDF-", 5);
  for (int f = 0; f < SW_N_PLOT_FORMATS; f++)
    g_assert_cmpint (sw_figure_write (fig, f, fail_cb, NULL, 200, 100, &err), ==, SW_PLOT_ERR_IO);
  g_assert_cmpint (sw_figure_write (fig, (SwPlotFormat) 42, append_cb, bytes, 200, 100, &err),
                   ==, SW_PLOT_ERR_FORMAT);
  g_byte_array_unref (bytes);
  sw_figure_free (fig);
}

/* --- pixels ------------------------------------------------------------- */

static void
test_heatmap_pixels (void)
{
  enum { NX = 4, NY = 3 };
  double v[NX * NY];
  SwFigure *fig = sw_figure_new (1, 1);
  SwPanel *p = sw_figure_panel (fig, 0, 0);
  cairo_surface_t *s;

  for (int k = 0; k < NX * NY; k++)
    v[k] = k;
  v[5] = NAN;  /* column 1 of row 1 */
  g_assert_cmpint (sw_panel_add_heatmap (p, v, NX, NY, 0.0, 4.0, 10.0, 13.0,
                                         SW_COLORMAP_VIRIDIS, "Rate", "Hz", NULL),
                   ==, SW_PLOT_OK);
  sw_panel_set_colour_limits (p, 0.0, 11.0);
  s = render (fig, 480, 360);
  for (int j = 0; j < NY; j++)
    for (int i = 0; i < NX; i++)
      {
        double px, py;
        SwRgba want;

        g_assert_true (sw_figure_data_to_pixel (fig, 0, 0, i + 0.5, 10.0 + j + 0.5, &px, &py));
        want = isnan (v[j * NX + i]) ? sw_figure_get_theme (fig)->nan_colour
                                      : sw_colormap_eval (SW_COLORMAP_VIRIDIS, v[j * NX + i] / 11.0);
        assert_pixel (s, px, py, want);
      }
  cairo_surface_destroy (s);

  /* Another theme, another NaN colour; magma this time. */
  {
    SwPlotTheme th;
    double px, py;

    sw_plot_theme_init (&th, SW_PLOT_THEME_DARK);
    sw_figure_set_theme (fig, &th);
    sw_panel_add_heatmap (p, v, NX, NY, 0.0, 4.0, 10.0, 13.0, SW_COLORMAP_MAGMA, NULL, NULL, NULL);
    s = render (fig, 300, 200);
    g_assert_true (sw_figure_data_to_pixel (fig, 0, 0, 1.5, 11.5, &px, &py));
    assert_pixel (s, px, py, th.nan_colour);
    g_assert_true (sw_figure_data_to_pixel (fig, 0, 0, 3.5, 12.5, &px, &py));
    assert_pixel (s, px, py, sw_colormap_eval (SW_COLORMAP_MAGMA, 1.0));
    cairo_surface_destroy (s);
  }
  sw_figure_free (fig);
}

/* Log axes draw cells one by one; grids wider than an image can hold are
 * sampled down.  Colours stay right either way. */
static void
test_heatmap_log_and_large (void)
{
  enum { WIDE = 9000 };
  double *v = g_new (double, WIDE * 2);
  double small[4] = { 0.0, 1.0, 2.0, 3.0 };
  SwFigure *fig = sw_figure_new (1, 2);
  SwPanel *a = sw_figure_panel (fig, 0, 0), *b = sw_figure_panel (fig, 0, 1);
  cairo_surface_t *s;
  double px, py;

  g_assert_cmpint (sw_panel_add_heatmap (a, small, 2, 2, 1.0, 100.0, 1.0, 100.0,
                                         SW_COLORMAP_GREYS, NULL, NULL, NULL),
                   ==, SW_PLOT_OK);
  sw_panel_set_x_log (a, true);
  sw_panel_set_y_log (a, true);
  sw_panel_set_colour_limits (a, 0.0, 3.0);
  for (int k = 0; k < WIDE * 2; k++)
    v[k] = k < WIDE ? 0.0 : 1.0;
  g_assert_cmpint (sw_panel_add_heatmap (b, v, WIDE, 2, 0.0, 1.0, 0.0, 2.0,
                                         SW_COLORMAP_VIRIDIS, NULL, NULL, NULL),
                   ==, SW_PLOT_OK);
  s = render (fig, 800, 400);
  /* Cells are even in data units (1 .. 50.5 .. 100), not in log units:
   * cell (1, 1) holds 75, cell (0, 1) holds 25 .. 50 in x. */
  g_assert_true (sw_figure_data_to_pixel (fig, 0, 0, 75.0, 75.0, &px, &py));
  assert_pixel (s, px, py, sw_colormap_eval (SW_COLORMAP_GREYS, 1.0));
  g_assert_true (sw_figure_data_to_pixel (fig, 0, 0, 30.0, 75.0, &px, &py));
  assert_pixel (s, px, py, sw_colormap_eval (SW_COLORMAP_GREYS, 2.0 / 3.0));
  g_assert_true (sw_figure_data_to_pixel (fig, 0, 0, 30.0, 30.0, &px, &py));
  assert_pixel (s, px, py, sw_colormap_eval (SW_COLORMAP_GREYS, 0.0));
  g_assert_true (sw_figure_data_to_pixel (fig, 0, 1, 0.5, 0.5, &px, &py));
  assert_pixel (s, px, py, sw_colormap_eval (SW_COLORMAP_VIRIDIS, 0.0));
  g_assert_true (sw_figure_data_to_pixel (fig, 0, 1, 0.5, 1.5, &px, &py));
  assert_pixel (s, px, py, sw_colormap_eval (SW_COLORMAP_VIRIDIS, 1.0));
  cairo_surface_destroy (s);
  sw_figure_free (fig);
  g_free (v);
}

static void
test_categories_pixels (void)
{
  const int classes[6] = { 0, 1, 2, -1, 7, 1 };  /* 3 x 2, row 0 first */
  const char *names[3] = { "UD", "OD", "unstable" };
  const SwRgba colours[3] = {
    sw_rgba_from_hex (0x0072B2), sw_rgba_from_hex (0xE69F00), sw_rgba_from_hex (0xCC79A7),
  };
  SwFigure *fig = sw_figure_new (1, 1);
  SwPanel *p = sw_figure_panel (fig, 0, 0);
  SwRgba nan_c = sw_figure_get_theme (fig)->nan_colour;
  cairo_surface_t *s;

  for (int pass = 0; pass < 2; pass++)
    {
      const SwRgba *given = pass == 0 ? colours : NULL;

      g_assert_cmpint (sw_panel_add_categories (p, classes, 3, 2, 0.0, 3.0, 0.0, 2.0, names,
                                                given, 3, NULL),
                       ==, SW_PLOT_OK);
      s = render (fig, 400, 300);
      for (int k = 0; k < 6; k++)
        {
          double px, py;
          int c = classes[k];
          SwRgba want;

          if (c < 0 || c >= 3)
            want = nan_c;
          else
            want = given != NULL ? given[c] : sw_palette_okabe_ito (1 + c);
          g_assert_true (sw_figure_data_to_pixel (fig, 0, 0, k % 3 + 0.5, k / 3 + 0.5, &px, &py));
          assert_pixel (s, px, py, want);
        }
      cairo_surface_destroy (s);
    }
  /* Errors: no cells, bad extents. */
  g_assert_cmpint (sw_panel_add_categories (p, classes, 0, 2, 0, 1, 0, 1, names, NULL, 3, NULL),
                   ==, SW_PLOT_ERR_INVALID);
  g_assert_cmpint (sw_panel_add_categories (p, NULL, 3, 2, 0, 1, 0, 1, names, NULL, 3, NULL),
                   ==, SW_PLOT_ERR_INVALID);
  sw_figure_free (fig);
}

/* The s.e.m. band is its line's colour at a quarter opacity. */
static void
test_band_colour (void)
{
  SwFigure *fig = sw_figure_new (1, 1);
  SwPanel *p = sw_figure_panel (fig, 0, 0);
  const SwPlotTheme *th = sw_figure_get_theme (fig);
  double x[2] = { 0, 10 }, m[2] = { 0, 0 }, sem[2] = { 1, 1 };
  cairo_surface_t *s;
  double px, py;
  SwRgba want;

  sw_panel_set_grid (p, false);
  sw_panel_set_legend (p, SW_LEGEND_NONE);
  sw_panel_add_mean_sem (p, x, m, sem, 2, "mean", NULL, NULL);
  sw_panel_set_y_limits (p, -2, 2);
  s = render (fig, 400, 300);
  g_assert_true (sw_figure_data_to_pixel (fig, 0, 0, 5.0, 0.6, &px, &py));
  want.r = th->background.r * 0.75 + th->series[0].r * 0.25;
  want.g = th->background.g * 0.75 + th->series[0].g * 0.25;
  want.b = th->background.b * 0.75 + th->series[0].b * 0.25;
  assert_pixel (s, px, py, want);
  /* On the line itself: the line's colour. */
  g_assert_true (sw_figure_data_to_pixel (fig, 0, 0, 5.0, 0.0, &px, &py));
  assert_pixel (s, px, py, th->series[0]);
  /* Outside the band: background. */
  g_assert_true (sw_figure_data_to_pixel (fig, 0, 0, 5.0, 1.6, &px, &py));
  assert_pixel (s, px, py, th->background);
  cairo_surface_destroy (s);
  sw_figure_free (fig);
}

/* Bounding box of the pixels near @want within a window around (cx, cy). */
static void
blob_size (cairo_surface_t *s, double cx, double cy, SwRgba want, int *w, int *h)
{
  int x0 = 1 << 20, x1 = -1, y0 = 1 << 20, y1 = -1;

  for (int y = (int) cy - 20; y <= (int) cy + 20; y++)
    for (int x = (int) cx - 20; x <= (int) cx + 20; x++)
      if (colour_distance (pixel (s, x, y), want) < 0.2)
        {
          x0 = MIN (x0, x);
          x1 = MAX (x1, x);
          y0 = MIN (y0, y);
          y1 = MAX (y1, y);
        }
  *w = x1 >= x0 ? x1 - x0 + 1 : 0;
  *h = y1 >= y0 ? y1 - y0 + 1 : 0;
}

/* Two raster groups differ in shape, not only in colour: the first a
 * round dot, the second a tall bar. */
static void
test_raster_shapes (void)
{
  SwFigure *fig = sw_figure_new (1, 1);
  SwPanel *p = sw_figure_panel (fig, 0, 0);
  const SwPlotTheme *th = sw_figure_get_theme (fig);
  double t0[1] = { 30.0 }, t1[1] = { 70.0 };
  int i0[1] = { 0 }, i1[1] = { 1 };
  cairo_surface_t *s;
  double px, py;
  int w0, h0, w1, h1;

  sw_panel_set_grid (p, false);
  g_assert_cmpint (sw_panel_add_raster (p, t0, i0, 1, "E", NULL, NULL), ==, SW_PLOT_OK);
  g_assert_cmpint (sw_panel_add_raster (p, t1, i1, 1, "I", NULL, NULL), ==, SW_PLOT_OK);
  sw_panel_set_x_limits (p, 0, 100);
  s = render (fig, 500, 300);
  g_assert_cmpfloat (colour_distance (th->series[0], th->series[1]), >, 0.3);
  g_assert_true (sw_figure_data_to_pixel (fig, 0, 0, 30.0, 0.0, &px, &py));
  blob_size (s, px, py, th->series[0], &w0, &h0);
  g_assert_true (sw_figure_data_to_pixel (fig, 0, 0, 70.0, 1.0, &px, &py));
  blob_size (s, px, py, th->series[1], &w1, &h1);
  g_test_message ("group 0: %d x %d px, group 1: %d x %d px", w0, h0, w1, h1);
  g_assert_cmpint (w0, >=, 3);
  g_assert_cmpint (abs (w0 - h0), <=, 1);
  g_assert_cmpint (h1, >=, 2 * w1 + 2);
  cairo_surface_destroy (s);
  sw_figure_free (fig);
}

/* --- degenerate input --------------------------------------------------- */

static void
test_nan_and_empty (void)
{
  SwFigure *fig = sw_figure_new (2, 3);
  double nan3[3] = { NAN, NAN, NAN };
  double x3[3] = { 0, 1, 2 };
  double inf3[3] = { INFINITY, -INFINITY, 1e300 };
  double grid[4] = { NAN, NAN, NAN, NAN };
  double flat[9] = { 1, 1, 1, 1, 1, 1, 1, 1, 1 };
  SwPlotError err = { 0 };
  cairo_surface_t *s;

  /* Panel (0, 0) stays empty. */
  /* (0, 1): only NaN and Inf. */
  g_assert_cmpint (sw_panel_add_line (sw_figure_panel (fig, 0, 1), x3, nan3, 3, "nan", NULL, &err),
                   ==, SW_PLOT_OK);
  g_assert_cmpint (sw_panel_add_points (sw_figure_panel (fig, 0, 1), inf3, x3, 3, NULL, NULL, &err),
                   ==, SW_PLOT_OK);
  g_assert_cmpint (sw_panel_add_band (sw_figure_panel (fig, 0, 1), x3, nan3, x3, 3, NULL, NULL, &err),
                   ==, SW_PLOT_OK);
  /* (0, 2): nothing but NaN cells, a contour of a flat field. */
  g_assert_cmpint (sw_panel_add_heatmap (sw_figure_panel (fig, 0, 2), grid, 2, 2, 0, 1, 0, 1,
                                         SW_COLORMAP_VIRIDIS, "x", NULL, &err),
                   ==, SW_PLOT_OK);
  g_assert_cmpint (sw_panel_add_contour_level (sw_figure_panel (fig, 0, 2), flat, 3, 3, 0, 1, 0, 1,
                                               1.0, "flat", NULL, &err),
                   ==, SW_PLOT_OK);
  g_assert_cmpint (sw_panel_add_contour_level (sw_figure_panel (fig, 0, 2), grid, 2, 2, 0, 1, 0, 1,
                                               0.5, NULL, NULL, &err),
                   ==, SW_PLOT_OK);
  /* (1, 0): empty adds. */
  g_assert_cmpint (sw_panel_add_raster (sw_figure_panel (fig, 1, 0), NULL, NULL, 0, "E", NULL, &err),
                   ==, SW_PLOT_OK);
  g_assert_cmpint (sw_panel_add_line (sw_figure_panel (fig, 1, 0), NULL, NULL, 0, NULL, NULL, &err),
                   ==, SW_PLOT_OK);
  g_assert_cmpint (sw_panel_add_mean_sem (sw_figure_panel (fig, 1, 0), NULL, NULL, NULL, 0, "m", NULL, &err),
                   ==, SW_PLOT_OK);
  /* (1, 1): log axes with data that cannot go on them. */
  sw_panel_set_x_log (sw_figure_panel (fig, 1, 1), true);
  sw_panel_set_y_log (sw_figure_panel (fig, 1, 1), true);
  g_assert_cmpint (sw_panel_add_line (sw_figure_panel (fig, 1, 1), x3, x3, 3, "log", NULL, &err),
                   ==, SW_PLOT_OK);
  g_assert_cmpint (sw_panel_add_marker (sw_figure_panel (fig, 1, 1), -1.0, 0.0, "off", &err),
                   ==, SW_PLOT_OK);
  /* (1, 2): fixed limits far from enormous data. */
  sw_panel_set_x_limits (sw_figure_panel (fig, 1, 2), 0, 1);
  sw_panel_set_y_limits (sw_figure_panel (fig, 1, 2), 0, 1);
  {
    double bx[3] = { -1e300, 0.5, 1e300 }, by[3] = { 1e300, 0.5, -1e300 };

    g_assert_cmpint (sw_panel_add_line (sw_figure_panel (fig, 1, 2), bx, by, 3, "huge", NULL, &err),
                     ==, SW_PLOT_OK);
    g_assert_cmpint (sw_panel_add_band (sw_figure_panel (fig, 1, 2), bx, by, bx, 3, NULL, NULL, &err),
                     ==, SW_PLOT_OK);
  }

  /* Whatever the size, drawing succeeds. */
  for (int k = 0; k < 5; k++)
    {
      static const int sizes[5][2] = { { 1, 1 }, { 10, 10 }, { 60, 40 }, { 300, 200 }, { 1200, 800 } };

      s = render (fig, sizes[k][0], sizes[k][1]);
      cairo_surface_destroy (s);
    }
  /* The all-NaN map is drawn in the NaN colour. */
  s = render (fig, 1200, 800);
  {
    double px, py;

    g_assert_true (sw_figure_data_to_pixel (fig, 0, 2, 0.25, 0.25, &px, &py));
    assert_pixel (s, px, py, sw_figure_get_theme (fig)->nan_colour);
  }
  cairo_surface_destroy (s);

  /* Refused input. */
  g_assert_cmpint (sw_panel_add_line (sw_figure_panel (fig, 0, 0), NULL, x3, 3, NULL, NULL, &err),
                   ==, SW_PLOT_ERR_INVALID);
  g_assert_nonnull (strstr (err.text, "3 points"));
  g_assert_cmpint (sw_panel_add_band (sw_figure_panel (fig, 0, 0), x3, x3, NULL, 3, NULL, NULL, &err),
                   ==, SW_PLOT_ERR_INVALID);
  g_assert_cmpint (sw_panel_add_raster (sw_figure_panel (fig, 0, 0), x3, NULL, 3, NULL, NULL, &err),
                   ==, SW_PLOT_ERR_INVALID);
  g_assert_cmpint (sw_panel_add_heatmap (sw_figure_panel (fig, 0, 0), grid, 0, 2, 0, 1, 0, 1,
                                         SW_COLORMAP_VIRIDIS, NULL, NULL, &err),
                   ==, SW_PLOT_ERR_INVALID);
  g_assert_cmpint (sw_panel_add_heatmap (sw_figure_panel (fig, 0, 0), grid, 2, 2, 0, NAN, 0, 1,
                                         SW_COLORMAP_VIRIDIS, NULL, NULL, &err),
                   ==, SW_PLOT_ERR_INVALID);
  g_assert_cmpint (sw_panel_add_heatmap (sw_figure_panel (fig, 0, 0), grid, 2, 2, 1, 1, 0, 1,
                                         SW_COLORMAP_VIRIDIS, NULL, NULL, &err),
                   ==, SW_PLOT_ERR_INVALID);
  g_assert_cmpint (sw_panel_add_contour_level (sw_figure_panel (fig, 0, 0), flat, 3, 3, 0, 1, 0, 1,
                                               NAN, NULL, NULL, &err),
                   ==, SW_PLOT_ERR_INVALID);
  g_assert_cmpint (sw_panel_add_line (NULL, x3, x3, 3, NULL, NULL, &err), ==, SW_PLOT_ERR_INVALID);

  /* NULL and out-of-range handles are ignored, not dereferenced. */
  g_assert_null (sw_figure_panel (fig, 2, 0));
  g_assert_null (sw_figure_panel (fig, 0, -1));
  sw_panel_set_title (NULL, "x");
  sw_panel_set_x_limits (NULL, 0, 1);
  sw_panel_clear (NULL);
  sw_figure_draw (NULL, NULL, 10, 10);
  sw_figure_free (NULL);

  /* Clearing a panel keeps it usable. */
  sw_panel_clear (sw_figure_panel (fig, 0, 2));
  s = render (fig, 300, 200);
  cairo_surface_destroy (s);
  sw_figure_free (fig);

  /* Grid sizes are clamped. */
  fig = sw_figure_new (0, 100);
  g_assert_cmpint (sw_figure_n_rows (fig), ==, 1);
  g_assert_cmpint (sw_figure_n_cols (fig), ==, 16);
  sw_figure_free (fig);
}

/* --- mapping, drawing onto a caller's context, summary ------------------ */

static void
test_locate (void)
{
  SwFigure *fig = sw_figure_new (1, 2);
  SwPanel *a = sw_figure_panel (fig, 0, 0), *b = sw_figure_panel (fig, 0, 1);
  double x[2] = { 0, 10 }, y[2] = { -1, 1 }, ly[2] = { 1, 1000 };
  double px, py, dx, dy;
  int row, col;
  cairo_surface_t *s;

  g_assert_false (sw_figure_locate (fig, 10, 10, NULL, NULL, NULL, NULL));
  sw_panel_add_line (a, x, y, 2, NULL, NULL, NULL);
  sw_panel_set_x_limits (a, 0, 10);
  sw_panel_set_y_limits (a, -1, 1);
  sw_panel_add_line (b, x, ly, 2, NULL, NULL, NULL);
  sw_panel_set_y_log (b, true);
  sw_panel_set_y_limits (b, 1, 1000);
  s = render (fig, 600, 300);

  g_assert_true (sw_figure_data_to_pixel (fig, 0, 0, 5.0, 0.0, &px, &py));
  g_assert_true (sw_figure_locate (fig, px, py, &row, &col, &dx, &dy));
  g_assert_cmpint (row, ==, 0);
  g_assert_cmpint (col, ==, 0);
  g_assert_cmpfloat_with_epsilon (dx, 5.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (dy, 0.0, 1e-9);

  g_assert_true (sw_figure_data_to_pixel (fig, 0, 1, 3.0, 31.6, &px, &py));
  g_assert_cmpfloat (px, >, 300.0);
  g_assert_true (sw_figure_locate (fig, px, py, &row, &col, &dx, &dy));
  g_assert_cmpint (col, ==, 1);
  g_assert_cmpfloat_with_epsilon (dy, 31.6, 1e-9);
  /* On a log axis, non-positive values have no pixel. */
  g_assert_false (sw_figure_data_to_pixel (fig, 0, 1, 3.0, 0.0, &px, &py));
  /* Corners of the figure are margins, not plots. */
  g_assert_false (sw_figure_locate (fig, 1, 1, &row, &col, &dx, &dy));
  g_assert_false (sw_figure_data_to_pixel (fig, 0, 2, 0, 0, &px, &py));
  cairo_surface_destroy (s);
  sw_figure_free (fig);
}

static void
test_draw_on_context (void)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 300);
  cairo_t *cr = cairo_create (s);
  SwFigure *fig = sample_figure ();
  SwPlotTheme th;
  cairo_matrix_t before, after;

  /* The widget's own background, and a transform the figure must keep. */
  cairo_set_source_rgb (cr, 1, 0, 0);
  cairo_paint (cr);
  cairo_translate (cr, 50, 20);
  cairo_set_line_width (cr, 7.0);
  cairo_get_matrix (cr, &before);

  sw_plot_theme_init (&th, SW_PLOT_THEME_LIGHT);
  th.background.a = 0.0;
  sw_figure_set_theme (fig, &th);
  sw_figure_draw (fig, cr, 300, 200);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_get_matrix (cr, &after);
  g_assert_cmpmem (&before, sizeof before, &after, sizeof after);
  g_assert_cmpfloat (cairo_get_line_width (cr), ==, 7.0);
  cairo_surface_flush (s);
  /* Outside the figure's rectangle and in its transparent background the
   * red stays. */
  assert_pixel (s, 10, 10, ((SwRgba) { 1, 0, 0, 1 }));
  assert_pixel (s, 380, 280, ((SwRgba) { 1, 0, 0, 1 }));
  assert_pixel (s, 52, 22, ((SwRgba) { 1, 0, 0, 1 }));
  /* The layout is recorded in the caller's user space. */
  {
    double px, py;

    g_assert_true (sw_figure_data_to_pixel (fig, 0, 0, 2.0, 0.0, &px, &py));
    g_assert_cmpfloat (px, >, 0.0);
    g_assert_cmpfloat (px, <, 300.0);
  }
  cairo_destroy (cr);
  cairo_surface_destroy (s);
  sw_figure_free (fig);
}

static void
test_describe (void)
{
  SwFigure *fig = sw_figure_new (1, 1);
  SwPanel *p = sw_figure_panel (fig, 0, 0);
  double t[3] = { 1, 2, 3 };
  int id[3] = { 0, 1, 2 };
  char buf[512];
  char small[16];
  size_t len;

  sw_figure_set_title (fig, "Network");
  sw_panel_set_title (p, "Raster");
  sw_panel_set_x_label (p, "Time", "ms");
  sw_panel_add_raster (p, t, id, 3, "E", NULL, NULL);
  len = sw_figure_describe (fig, buf, sizeof buf);
  g_assert_cmpuint (len, ==, strlen (buf));
  g_assert_nonnull (strstr (buf, "Network"));
  g_assert_nonnull (strstr (buf, "Time (ms)"));
  g_assert_nonnull (strstr (buf, "E 3 spikes"));
  /* Truncation: terminated, full length reported. */
  g_assert_cmpuint (sw_figure_describe (fig, small, sizeof small), ==, len);
  g_assert_cmpuint (strlen (small), ==, sizeof small - 1);
  sw_figure_free (fig);
}

/* --- contours ----------------------------------------------------------- */

static void
test_contour_trace (void)
{
  enum { N = 41 };
  static double v[N * N];
  double *xs, *ys;
  size_t n, breaks = 0;

  /* r² on [-1, 1]², level 0.25: one closed circle of radius 0.5. */
  for (int j = 0; j < N; j++)
    for (int i = 0; i < N; i++)
      {
        double x = -1.0 + (i + 0.5) * 2.0 / N, y = -1.0 + (j + 0.5) * 2.0 / N;

        v[j * N + i] = x * x + y * y;
      }
  g_assert_true (sw_plot_contour_trace (v, N, N, -1, 1, -1, 1, 0.25, &xs, &ys, &n));
  g_assert_cmpuint (n, >, 20);
  for (size_t k = 0; k < n; k++)
    {
      if (isnan (xs[k]))
        {
          breaks++;
          continue;
        }
      g_assert_cmpfloat_with_epsilon (hypot (xs[k], ys[k]), 0.5, 0.01);
    }
  /* One polyline (one NaN at the end), closed: first point = last. */
  g_assert_cmpuint (breaks, ==, 1);
  g_assert_true (isnan (xs[n - 1]));
  g_assert_cmpfloat_with_epsilon (xs[0], xs[n - 2], 1e-12);
  g_assert_cmpfloat_with_epsilon (ys[0], ys[n - 2], 1e-12);
  g_free (xs);
  g_free (ys);

  /* A level outside the values: nothing. */
  g_assert_true (sw_plot_contour_trace (v, N, N, -1, 1, -1, 1, 5.0, &xs, &ys, &n));
  g_assert_cmpuint (n, ==, 0);
  g_assert_null (xs);

  /* A saddle (checkerboard) and a single row: no crash. */
  {
    double saddle[4] = { 1, 0, 0, 1 };

    g_assert_true (sw_plot_contour_trace (saddle, 2, 2, 0, 1, 0, 1, 0.5, &xs, &ys, &n));
    g_assert_cmpuint (n, ==, 6);  /* two segments, each closed by a NaN */
    g_free (xs);
    g_free (ys);
    g_assert_true (sw_plot_contour_trace (saddle, 4, 1, 0, 1, 0, 1, 0.5, &xs, &ys, &n));
    g_assert_cmpuint (n, ==, 0);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plot/figure/formats", test_formats);
  g_test_add_func ("/plot/figure/bad-format-and-size", test_bad_format_and_size);
  g_test_add_func ("/plot/figure/unwritable", test_unwritable);
  g_test_add_func ("/plot/figure/stream", test_stream);
  g_test_add_func ("/plot/figure/heatmap-pixels", test_heatmap_pixels);
  g_test_add_func ("/plot/figure/heatmap-log-and-large", test_heatmap_log_and_large);
  g_test_add_func ("/plot/figure/categories-pixels", test_categories_pixels);
  g_test_add_func ("/plot/figure/band-colour", test_band_colour);
  g_test_add_func ("/plot/figure/raster-shapes", test_raster_shapes);
  g_test_add_func ("/plot/figure/nan-and-empty", test_nan_and_empty);
  g_test_add_func ("/plot/figure/locate", test_locate);
  g_test_add_func ("/plot/figure/draw-on-context", test_draw_on_context);
  g_test_add_func ("/plot/figure/describe", test_describe);
  g_test_add_func ("/plot/figure/contour-trace", test_contour_trace);
  return g_test_run ();
}
