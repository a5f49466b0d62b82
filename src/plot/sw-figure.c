/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The figure model: panels, their axes and the data items added to them,
 * plus writing a figure to a file or stream and the text summary.  The
 * drawing itself lives in sw-figure-draw.c.  Every add function copies its
 * input, so a caller may free or reuse its arrays at once.
 */
#include "sw-plot-private.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Panels per side; more would leave no room for the text of each. */
#define MAX_GRID 16

/* Largest output side in user units: cairo's image surfaces stop at 32767
 * pixels, and a PDF page that large is already 11 m wide. */
#define MAX_SIDE 32767.0

static char *
dup_or_null (const char *s)
{
  return s != NULL && s[0] != '\0' ? strdup (s) : NULL;
}

static void
replace_string (char **slot, const char *s)
{
  free (*slot);
  *slot = dup_or_null (s);
}

static void
axis_init (SwPlotAxis *axis)
{
  memset (axis, 0, sizeof *axis);
  axis->lo = NAN;
  axis->hi = NAN;
}

static void
axis_clear (SwPlotAxis *axis)
{
  free (axis->label);
  free (axis->unit);
}

static void
item_clear (SwPlotItem *item)
{
  free (item->label);
  free (item->x);
  free (item->y);
  free (item->y2);
  memset (item, 0, sizeof *item);
}

static void
grid_clear (SwPlotGrid *map)
{
  free (map->values);
  free (map->classes);
  free (map->label);
  free (map->unit);
  for (size_t i = 0; i < map->n_classes; i++)
    free (map->names[i]);
  free (map->names);
  free (map->colours);
  memset (map, 0, sizeof *map);
}

static void
panel_init (SwPanel *panel, SwFigure *fig)
{
  memset (panel, 0, sizeof *panel);
  panel->fig = fig;
  axis_init (&panel->xaxis);
  axis_init (&panel->yaxis);
  panel->grid = -1;
  panel->clo = NAN;
  panel->chi = NAN;
}

void
sw_panel_clear (SwPanel *panel)
{
  if (panel == NULL)
    return;
  for (size_t i = 0; i < panel->n_items; i++)
    item_clear (&panel->items[i]);
  free (panel->items);
  panel->items = NULL;
  panel->n_items = 0;
  panel->cap_items = 0;
  grid_clear (&panel->map);
  panel->next_colour = 0;
  panel->next_dash = 0;
  panel->next_shape = 0;
  panel->layout.valid = false;
}

static void
panel_finalize (SwPanel *panel)
{
  sw_panel_clear (panel);
  free (panel->title);
  axis_clear (&panel->xaxis);
  axis_clear (&panel->yaxis);
}

/* --- figures ------------------------------------------------------------ */

SwFigure *
sw_figure_new (int rows, int cols)
{
  SwFigure *fig;

  rows = rows < 1 ? 1 : rows > MAX_GRID ? MAX_GRID : rows;
  cols = cols < 1 ? 1 : cols > MAX_GRID ? MAX_GRID : cols;
  fig = calloc (1, sizeof *fig);
  if (fig == NULL)
    return NULL;
  fig->panels = calloc ((size_t) rows * (size_t) cols, sizeof *fig->panels);
  if (fig->panels == NULL)
    {
      free (fig);
      return NULL;
    }
  fig->rows = rows;
  fig->cols = cols;
  sw_plot_theme_init (&fig->theme, SW_PLOT_THEME_LIGHT);
  for (int i = 0; i < rows * cols; i++)
    panel_init (&fig->panels[i], fig);
  return fig;
}

void
sw_figure_free (SwFigure *fig)
{
  if (fig == NULL)
    return;
  for (int i = 0; i < fig->rows * fig->cols; i++)
    panel_finalize (&fig->panels[i]);
  free (fig->panels);
  free (fig->title);
  free (fig);
}

SwPanel *
sw_figure_panel (SwFigure *fig, int row, int col)
{
  if (fig == NULL || row < 0 || col < 0 || row >= fig->rows || col >= fig->cols)
    return NULL;
  return &fig->panels[row * fig->cols + col];
}

int
sw_figure_n_rows (const SwFigure *fig)
{
  return fig != NULL ? fig->rows : 0;
}

int
sw_figure_n_cols (const SwFigure *fig)
{
  return fig != NULL ? fig->cols : 0;
}

void
sw_figure_set_title (SwFigure *fig, const char *title)
{
  if (fig != NULL)
    replace_string (&fig->title, title);
}

void
sw_figure_set_theme (SwFigure *fig, const SwPlotTheme *theme)
{
  if (fig == NULL || theme == NULL)
    return;
  fig->theme = *theme;
  /* Sizes that cannot be drawn fall back to the preset's, so that a bad
   * setting from a caller's style never puts cairo in an error state. */
  if (fig->theme.font_family == NULL)
    fig->theme.font_family = "sans-serif";
  if (!(fig->theme.scale > 0.0) || !isfinite (fig->theme.scale))
    fig->theme.scale = 1.0;
  if (!(fig->theme.font_size > 0.0) || !isfinite (fig->theme.font_size))
    fig->theme.font_size = 12.0;
  if (!(fig->theme.title_scale > 0.0) || !isfinite (fig->theme.title_scale))
    fig->theme.title_scale = 1.2;
  if (!(fig->theme.line_width > 0.0) || !isfinite (fig->theme.line_width))
    fig->theme.line_width = 1.6;
  if (!(fig->theme.axis_width > 0.0) || !isfinite (fig->theme.axis_width))
    fig->theme.axis_width = 1.0;
  if (!(fig->theme.marker_size > 0.0) || !isfinite (fig->theme.marker_size))
    fig->theme.marker_size = 6.5;
}

const SwPlotTheme *
sw_figure_get_theme (const SwFigure *fig)
{
  return fig != NULL ? &fig->theme : NULL;
}

/* --- panels: axes ------------------------------------------------------- */

void
sw_panel_set_title (SwPanel *panel, const char *title)
{
  if (panel != NULL)
    replace_string (&panel->title, title);
}

static void
axis_set_label (SwPlotAxis *axis, const char *label, const char *unit)
{
  replace_string (&axis->label, label);
  replace_string (&axis->unit, unit);
}

void
sw_panel_set_x_label (SwPanel *panel, const char *label, const char *unit)
{
  if (panel != NULL)
    axis_set_label (&panel->xaxis, label, unit);
}

void
sw_panel_set_y_label (SwPanel *panel, const char *label, const char *unit)
{
  if (panel != NULL)
    axis_set_label (&panel->yaxis, label, unit);
}

static void
set_limits (double *slot_lo, double *slot_hi, double lo, double hi)
{
  /* An inverted or empty pair is a mistake; keep the data's limits. */
  if (isfinite (lo) && isfinite (hi) && !(lo < hi))
    lo = hi = NAN;
  *slot_lo = isfinite (lo) ? lo : NAN;
  *slot_hi = isfinite (hi) ? hi : NAN;
}

void
sw_panel_set_x_limits (SwPanel *panel, double lo, double hi)
{
  if (panel != NULL)
    set_limits (&panel->xaxis.lo, &panel->xaxis.hi, lo, hi);
}

void
sw_panel_set_y_limits (SwPanel *panel, double lo, double hi)
{
  if (panel != NULL)
    set_limits (&panel->yaxis.lo, &panel->yaxis.hi, lo, hi);
}

void
sw_panel_set_x_log (SwPanel *panel, bool log)
{
  if (panel != NULL)
    panel->xaxis.log = log;
}

void
sw_panel_set_y_log (SwPanel *panel, bool log)
{
  if (panel != NULL)
    panel->yaxis.log = log;
}

void
sw_panel_set_y_integer (SwPanel *panel, bool integer)
{
  if (panel != NULL)
    panel->yaxis.integer = integer;
}

void
sw_panel_set_legend (SwPanel *panel, SwLegendPosition position)
{
  if (panel != NULL && (int) position >= 0 && position < SW_N_LEGEND_POSITIONS)
    panel->legend = position;
}

void
sw_panel_set_grid (SwPanel *panel, bool grid)
{
  if (panel != NULL)
    panel->grid = grid ? 1 : 0;
}

void
sw_panel_set_colour_limits (SwPanel *panel, double lo, double hi)
{
  if (panel != NULL)
    set_limits (&panel->clo, &panel->chi, lo, hi);
}

/* --- panels: data ------------------------------------------------------- */

static double *
dup_doubles (const double *src, size_t n)
{
  double *dst;

  if (n == 0)
    return NULL;
  dst = malloc (n * sizeof *dst);
  if (dst != NULL)
    memcpy (dst, src, n * sizeof *dst);
  return dst;
}

/* Appends an empty item of @kind, or returns NULL when out of memory. */
static SwPlotItem *
push_item (SwPanel *panel, ItemKind kind)
{
  SwPlotItem *item;

  if (panel->n_items == panel->cap_items)
    {
      size_t cap = panel->cap_items ? 2 * panel->cap_items : 8;
      SwPlotItem *items = realloc (panel->items, cap * sizeof *items);

      if (items == NULL)
        return NULL;
      panel->items = items;
      panel->cap_items = cap;
    }
  item = &panel->items[panel->n_items++];
  memset (item, 0, sizeof *item);
  item->kind = kind;
  item->colour_slot = -1;
  return item;
}

static void
pop_item (SwPanel *panel)
{
  item_clear (&panel->items[--panel->n_items]);
}

static bool
auto_colour (const SwStyle *style)
{
  return style == NULL || style->colour.a <= 0.0;
}

/* Adds an item holding copies of @x, @y and @y2 (each may be NULL when
 * unused), consuming an automatic colour when @take_colour. */
static SwPlotStatus
add_item (SwPanel *panel, ItemKind kind, const double *x, const double *y,
          const double *y2, size_t n, const char *label, const SwStyle *style,
          bool take_colour, SwPlotItem **out, SwPlotError *err)
{
  SwPlotItem *item;

  if (panel == NULL)
    return sw_plot_error_set (err, SW_PLOT_ERR_INVALID, "no panel given");
  if (n > 0 && (x == NULL || y == NULL))
    return sw_plot_error_set (err, SW_PLOT_ERR_INVALID,
                              "%zu points given without their coordinates", n);
  if (n > SIZE_MAX / sizeof (double))
    return sw_plot_error_set (err, SW_PLOT_ERR_INVALID, "too many points (%zu)", n);

  item = push_item (panel, kind);
  if (item == NULL)
    return sw_plot_error_set (err, SW_PLOT_ERR_NOMEM, "out of memory adding a series");
  if (style != NULL)
    item->style = *style;
  item->n = n;
  item->x = dup_doubles (x, n);
  item->y = dup_doubles (y, n);
  item->y2 = y2 != NULL ? dup_doubles (y2, n) : NULL;
  item->label = dup_or_null (label);
  if (n > 0 && (item->x == NULL || item->y == NULL || (y2 != NULL && item->y2 == NULL)))
    {
      pop_item (panel);
      return sw_plot_error_set (err, SW_PLOT_ERR_NOMEM,
                                "out of memory copying %zu points", n);
    }
  if (label != NULL && label[0] != '\0' && item->label == NULL)
    {
      pop_item (panel);
      return sw_plot_error_set (err, SW_PLOT_ERR_NOMEM, "out of memory copying a label");
    }

  if (auto_colour (style))
    {
      item->colour_slot = panel->next_colour;
      if (take_colour)
        panel->next_colour++;
    }
  if (out != NULL)
    *out = item;
  return SW_PLOT_OK;
}

SwPlotStatus
sw_panel_add_line (SwPanel *panel, const double *xs, const double *ys,
                   size_t n, const char *label, const SwStyle *style,
                   SwPlotError *err)
{
  SwPlotItem *item;
  SwPlotStatus status;

  status = add_item (panel, ITEM_LINE, xs, ys, NULL, n, label, style, true,
                     &item, err);
  if (status == SW_PLOT_OK)
    item->dash_slot = panel->next_dash++;
  return status;
}

SwPlotStatus
sw_panel_add_band (SwPanel *panel, const double *xs, const double *lo,
                   const double *hi, size_t n, const char *label,
                   const SwStyle *style, SwPlotError *err)
{
  if (n > 0 && hi == NULL)
    return sw_plot_error_set (err, SW_PLOT_ERR_INVALID, "a band needs its upper edge");
  /* The band does not use up its colour: the line added next shares it. */
  return add_item (panel, ITEM_BAND, xs, lo, hi, n, label, style, false, NULL, err);
}

SwPlotStatus
sw_panel_add_mean_sem (SwPanel *panel, const double *xs, const double *mean,
                       const double *sem, size_t n, const char *label,
                       const SwStyle *style, SwPlotError *err)
{
  SwPlotStatus status;
  SwPlotItem *line;

  if (panel == NULL)
    return sw_plot_error_set (err, SW_PLOT_ERR_INVALID, "no panel given");
  if (n > 0 && (xs == NULL || mean == NULL))
    return sw_plot_error_set (err, SW_PLOT_ERR_INVALID,
                              "%zu points given without their coordinates", n);
  if (sem != NULL && n > 0)
    {
      double *lo = malloc (n * sizeof *lo);
      double *hi = malloc (n * sizeof *hi);

      if (lo == NULL || hi == NULL)
        {
          free (lo);
          free (hi);
          return sw_plot_error_set (err, SW_PLOT_ERR_NOMEM, "out of memory for a band");
        }
      for (size_t i = 0; i < n; i++)
        {
          lo[i] = mean[i] - sem[i];
          hi[i] = mean[i] + sem[i];
        }
      status = add_item (panel, ITEM_BAND, xs, lo, hi, n, NULL, style, false,
                         NULL, err);
      free (lo);
      free (hi);
      if (status != SW_PLOT_OK)
        return status;
    }
  status = sw_panel_add_line (panel, xs, mean, n, label, style, err);
  if (status != SW_PLOT_OK)
    {
      if (sem != NULL && n > 0)
        pop_item (panel);
      return status;
    }
  line = &panel->items[panel->n_items - 1];
  line->with_band = sem != NULL && n > 0;
  return SW_PLOT_OK;
}

SwPlotStatus
sw_panel_add_points (SwPanel *panel, const double *xs, const double *ys,
                     size_t n, const char *label, const SwStyle *style,
                     SwPlotError *err)
{
  SwPlotItem *item;
  SwPlotStatus status;

  status = add_item (panel, ITEM_POINTS, xs, ys, NULL, n, label, style, true,
                     &item, err);
  if (status == SW_PLOT_OK)
    item->shape_slot = panel->next_shape++;
  return status;
}

static SwPlotStatus
check_grid (size_t nx, size_t ny, double x0, double x1, double y0, double y1,
            const void *data, SwPlotError *err)
{
  if (nx == 0 || ny == 0 || data == NULL)
    return sw_plot_error_set (err, SW_PLOT_ERR_INVALID,
                              "a map needs at least one cell (got %zu × %zu)", nx, ny);
  if (nx > SIZE_MAX / ny / sizeof (double))
    return sw_plot_error_set (err, SW_PLOT_ERR_INVALID,
                              "a map of %zu × %zu cells is too large", nx, ny);
  if (!isfinite (x0) || !isfinite (x1) || !isfinite (y0) || !isfinite (y1)
      || x0 == x1 || y0 == y1)
    return sw_plot_error_set (err, SW_PLOT_ERR_INVALID,
                              "a map needs finite, non-empty extents "
                              "(x %g .. %g, y %g .. %g)", x0, x1, y0, y1);
  return SW_PLOT_OK;
}

static void
grid_place (SwPlotGrid *map, size_t nx, size_t ny, double x0, double x1,
            double y0, double y1)
{
  map->present = true;
  map->nx = nx;
  map->ny = ny;
  map->x0 = x0;
  map->x1 = x1;
  map->y0 = y0;
  map->y1 = y1;
}

SwPlotStatus
sw_panel_add_heatmap (SwPanel *panel, const double *values, size_t nx,
                      size_t ny, double x0, double x1, double y0, double y1,
                      SwColormap colormap, const char *label, const char *unit,
                      SwPlotError *err)
{
  SwPlotGrid map = { 0 };
  SwPlotStatus status;

  if (panel == NULL)
    return sw_plot_error_set (err, SW_PLOT_ERR_INVALID, "no panel given");
  status = check_grid (nx, ny, x0, x1, y0, y1, values, err);
  if (status != SW_PLOT_OK)
    return status;
  grid_place (&map, nx, ny, x0, x1, y0, y1);
  map.values = dup_doubles (values, nx * ny);
  map.colormap = (int) colormap >= 0 && colormap < SW_N_COLORMAPS
                 ? colormap : SW_COLORMAP_VIRIDIS;
  map.label = dup_or_null (label);
  map.unit = dup_or_null (unit);
  if (map.values == NULL)
    {
      grid_clear (&map);
      return sw_plot_error_set (err, SW_PLOT_ERR_NOMEM,
                                "out of memory copying %zu × %zu cells", nx, ny);
    }
  grid_clear (&panel->map);
  panel->map = map;
  return SW_PLOT_OK;
}

SwPlotStatus
sw_panel_add_categories (SwPanel *panel, const int *classes, size_t nx,
                         size_t ny, double x0, double x1, double y0, double y1,
                         const char *const *names, const SwRgba *colours,
                         size_t n_classes, SwPlotError *err)
{
  SwPlotGrid map = { 0 };
  SwPlotStatus status;
  bool ok;

  if (panel == NULL)
    return sw_plot_error_set (err, SW_PLOT_ERR_INVALID, "no panel given");
  status = check_grid (nx, ny, x0, x1, y0, y1, classes, err);
  if (status != SW_PLOT_OK)
    return status;
  if (n_classes > 256)
    return sw_plot_error_set (err, SW_PLOT_ERR_INVALID,
                              "%zu classes are more than a legend can name", n_classes);
  grid_place (&map, nx, ny, x0, x1, y0, y1);
  map.categorical = true;
  map.n_classes = n_classes;
  map.classes = malloc (nx * ny * sizeof *map.classes);
  map.names = calloc (n_classes ? n_classes : 1, sizeof *map.names);
  map.colours = calloc (n_classes ? n_classes : 1, sizeof *map.colours);
  ok = map.classes != NULL && map.names != NULL && map.colours != NULL;
  if (ok)
    {
      memcpy (map.classes, classes, nx * ny * sizeof *map.classes);
      for (size_t k = 0; k < n_classes; k++)
        {
          /* Skip black (index 0): it is the contour colour. */
          map.colours[k] = colours != NULL ? colours[k]
                                           : sw_palette_okabe_ito (1 + k % 7);
          map.colours[k].a = 1.0;
          if (names != NULL && names[k] != NULL && names[k][0] != '\0')
            {
              map.names[k] = strdup (names[k]);
              ok = ok && map.names[k] != NULL;
            }
        }
    }
  if (!ok)
    {
      grid_clear (&map);
      return sw_plot_error_set (err, SW_PLOT_ERR_NOMEM,
                                "out of memory copying %zu × %zu classes", nx, ny);
    }
  grid_clear (&panel->map);
  panel->map = map;
  return SW_PLOT_OK;
}

SwPlotStatus
sw_panel_add_contour (SwPanel *panel, const double *xs, const double *ys,
                      size_t n, const char *label, const SwStyle *style,
                      SwPlotError *err)
{
  SwPlotItem *item;
  SwPlotStatus status;

  status = add_item (panel, ITEM_CONTOUR, xs, ys, NULL, n, label, style, false,
                     &item, err);
  if (status == SW_PLOT_OK)
    item->colour_slot = -1;  /* the foreground, unless the style says */
  return status;
}

SwPlotStatus
sw_panel_add_contour_level (SwPanel *panel, const double *values, size_t nx,
                            size_t ny, double x0, double x1, double y0,
                            double y1, double level, const char *label,
                            const SwStyle *style, SwPlotError *err)
{
  double *xs = NULL, *ys = NULL;
  size_t n = 0;
  SwPlotStatus status;

  if (panel == NULL)
    return sw_plot_error_set (err, SW_PLOT_ERR_INVALID, "no panel given");
  status = check_grid (nx, ny, x0, x1, y0, y1, values, err);
  if (status != SW_PLOT_OK)
    return status;
  if (!isfinite (level))
    return sw_plot_error_set (err, SW_PLOT_ERR_INVALID,
                              "a contour level must be finite");
  if (!sw_plot_contour_trace (values, nx, ny, x0, x1, y0, y1, level, &xs, &ys, &n))
    return sw_plot_error_set (err, SW_PLOT_ERR_NOMEM, "out of memory tracing a contour");
  status = sw_panel_add_contour (panel, xs, ys, n, label, style, err);
  free (xs);
  free (ys);
  return status;
}

SwPlotStatus
sw_panel_add_raster (SwPanel *panel, const double *times, const int *ids,
                     size_t n, const char *label, const SwStyle *style,
                     SwPlotError *err)
{
  SwPlotItem *item;
  SwPlotStatus status;
  double *y = NULL;

  if (panel == NULL)
    return sw_plot_error_set (err, SW_PLOT_ERR_INVALID, "no panel given");
  if (n > 0 && (times == NULL || ids == NULL))
    return sw_plot_error_set (err, SW_PLOT_ERR_INVALID,
                              "%zu spikes given without times or neurons", n);
  if (n > 0)
    {
      y = malloc (n * sizeof *y);
      if (y == NULL)
        return sw_plot_error_set (err, SW_PLOT_ERR_NOMEM,
                                  "out of memory copying %zu spikes", n);
      for (size_t k = 0; k < n; k++)
        y[k] = ids[k];
    }
  status = add_item (panel, ITEM_RASTER, times, y, NULL, n, label, style, true,
                     &item, err);
  free (y);
  if (status == SW_PLOT_OK)
    {
      item->shape_slot = panel->next_shape++;
      panel->yaxis.integer = true;
    }
  return status;
}

SwPlotStatus
sw_panel_add_marker (SwPanel *panel, double x, double y, const char *label,
                     SwPlotError *err)
{
  return add_item (panel, ITEM_MARKER, &x, &y, NULL, 1, label, NULL, false,
                   NULL, err);
}

/* --- output ------------------------------------------------------------- */

bool
sw_plot_format_from_path (const char *path, SwPlotFormat *format)
{
  static const char *const ext[SW_N_PLOT_FORMATS] = { ".png", ".svg", ".pdf" };
  size_t len;

  if (path == NULL)
    return false;
  len = strlen (path);
  for (int f = 0; f < SW_N_PLOT_FORMATS; f++)
    if (len > 4 && strcasecmp (path + len - 4, ext[f]) == 0)
      {
        if (format != NULL)
          *format = (SwPlotFormat) f;
        return true;
      }
  return false;
}

/* Wraps the caller's stream so that a failed write is told apart from a
 * failed drawing. */
typedef struct
{
  cairo_write_func_t write;
  void *closure;
  bool failed;
} Sink;

static cairo_status_t
sink_write_cb (void *closure, const unsigned char *data, unsigned int length)
{
  Sink *sink = closure;

  if (sink->failed)
    return CAIRO_STATUS_WRITE_ERROR;
  if (sink->write (sink->closure, data, length) != CAIRO_STATUS_SUCCESS)
    {
      sink->failed = true;
      return CAIRO_STATUS_WRITE_ERROR;
    }
  return CAIRO_STATUS_SUCCESS;
}

static SwPlotStatus
cairo_failure (SwPlotError *err, const Sink *sink, cairo_status_t status)
{
  if (sink->failed || status == CAIRO_STATUS_WRITE_ERROR)
    return sw_plot_error_set (err, SW_PLOT_ERR_IO, "writing the figure failed");
  return sw_plot_error_set (err, SW_PLOT_ERR_CAIRO, "drawing the figure failed: %s",
                            cairo_status_to_string (status));
}

SwPlotStatus
sw_figure_write (SwFigure *fig, SwPlotFormat format, cairo_write_func_t write,
                 void *closure, double width, double height, SwPlotError *err)
{
  Sink sink = { write, closure, false };
  cairo_surface_t *surface = NULL;
  cairo_status_t status;
  cairo_t *cr;

  if (fig == NULL || write == NULL)
    return sw_plot_error_set (err, SW_PLOT_ERR_INVALID, "no figure or no stream given");
  if (!(width >= 1.0 && width <= MAX_SIDE && height >= 1.0 && height <= MAX_SIDE))
    return sw_plot_error_set (err, SW_PLOT_ERR_INVALID,
                              "a figure of %g × %g is outside 1 .. %g",
                              width, height, MAX_SIDE);

  switch (format)
    {
    case SW_PLOT_FORMAT_PNG:
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                            (int) ceil (width), (int) ceil (height));
      break;
    case SW_PLOT_FORMAT_SVG:
      surface = cairo_svg_surface_create_for_stream (sink_write_cb, &sink, width, height);
      break;
    case SW_PLOT_FORMAT_PDF:
      surface = cairo_pdf_surface_create_for_stream (sink_write_cb, &sink, width, height);
      if (cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS)
        {
          cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Spikeworks");
          if (fig->title != NULL)
            cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, fig->title);
        }
      break;
    case SW_N_PLOT_FORMATS:
    default:
      return sw_plot_error_set (err, SW_PLOT_ERR_FORMAT, "unknown figure format %d",
                                (int) format);
    }

  status = cairo_surface_status (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      return cairo_failure (err, &sink, status);
    }

  cr = cairo_create (surface);
  sw_figure_draw (fig, cr, width, height);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS)
    {
      if (format == SW_PLOT_FORMAT_PNG)
        status = cairo_surface_write_to_png_stream (surface, sink_write_cb, &sink);
      else
        {
          /* Vector surfaces write their output when finished. */
          cairo_surface_finish (surface);
          status = cairo_surface_status (surface);
        }
    }
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS || sink.failed)
    return cairo_failure (err, &sink, status);
  return SW_PLOT_OK;
}

typedef struct
{
  FILE *file;
  int error;  /* errno of the first failed write */
} FileSink;

static cairo_status_t
file_write_cb (void *closure, const unsigned char *data, unsigned int length)
{
  FileSink *fs = closure;

  if (fwrite (data, 1, length, fs->file) != length)
    {
      fs->error = errno != 0 ? errno : EIO;
      return CAIRO_STATUS_WRITE_ERROR;
    }
  return CAIRO_STATUS_SUCCESS;
}

SwPlotStatus
sw_figure_save (SwFigure *fig, const char *path, double width, double height,
                SwPlotError *err)
{
  SwPlotFormat format;
  FileSink fs = { NULL, 0 };
  SwPlotStatus status;

  if (fig == NULL || path == NULL)
    return sw_plot_error_set (err, SW_PLOT_ERR_INVALID, "no figure or no path given");
  if (!sw_plot_format_from_path (path, &format))
    return sw_plot_error_set (err, SW_PLOT_ERR_FORMAT,
                              "cannot tell the format of “%s”: use .png, .svg or .pdf",
                              path);
  /* Check the size before creating the file, so that a refused size
   * leaves nothing behind. */
  if (!(width >= 1.0 && width <= MAX_SIDE && height >= 1.0 && height <= MAX_SIDE))
    return sw_plot_error_set (err, SW_PLOT_ERR_INVALID,
                              "a figure of %g × %g is outside 1 .. %g",
                              width, height, MAX_SIDE);

  errno = 0;
  fs.file = fopen (path, "wb");
  if (fs.file == NULL)
    return sw_plot_error_set (err, SW_PLOT_ERR_IO, "cannot write “%s”: %s", path,
                              strerror (errno));

  status = sw_figure_write (fig, format, file_write_cb, &fs, width, height, err);
  if (fclose (fs.file) != 0 && status == SW_PLOT_OK)
    {
      fs.error = errno;
      status = SW_PLOT_ERR_IO;
    }
  if (status == SW_PLOT_ERR_IO)
    sw_plot_error_set (err, SW_PLOT_ERR_IO, "cannot write “%s”: %s", path,
                       strerror (fs.error != 0 ? fs.error : EIO));
  if (status != SW_PLOT_OK)
    remove (path);
  return status;
}

/* --- inverse mapping and the summary ------------------------------------ */

static double
unmap (double t, double lo, double hi, bool log)
{
  if (log)
    return pow (10.0, log10 (lo) + t * (log10 (hi) - log10 (lo)));
  return lo + t * (hi - lo);
}

bool
sw_figure_locate (const SwFigure *fig, double px, double py, int *row, int *col,
                  double *x, double *y)
{
  if (fig == NULL)
    return false;
  for (int i = 0; i < fig->rows * fig->cols; i++)
    {
      const SwPlotLayout *l = &fig->panels[i].layout;

      if (!l->valid || px < l->x || px > l->x + l->w || py < l->y || py > l->y + l->h)
        continue;
      if (row != NULL)
        *row = i / fig->cols;
      if (col != NULL)
        *col = i % fig->cols;
      if (x != NULL)
        *x = unmap ((px - l->x) / l->w, l->xlo, l->xhi, l->xlog);
      if (y != NULL)
        *y = unmap ((l->y + l->h - py) / l->h, l->ylo, l->yhi, l->ylog);
      return true;
    }
  return false;
}

bool
sw_figure_data_to_pixel (const SwFigure *fig, int row, int col, double x, double y,
                         double *px, double *py)
{
  const SwPlotLayout *l;
  double u, v;

  if (fig == NULL || row < 0 || col < 0 || row >= fig->rows || col >= fig->cols)
    return false;
  l = &fig->panels[row * fig->cols + col].layout;
  if (!l->valid)
    return false;
  u = sw_plot_layout_x (l, x);
  v = sw_plot_layout_y (l, y);
  if (!isfinite (u) || !isfinite (v))
    return false;
  if (px != NULL)
    *px = u;
  if (py != NULL)
    *py = v;
  return true;
}

/* A growing string that counts what it could not store. */
typedef struct
{
  char *buf;
  size_t size;
  size_t len;
} Text;

static void
text_add (Text *t, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

static void
text_add (Text *t, const char *fmt, ...)
{
  va_list ap;
  int k;
  size_t room = t->len < t->size ? t->size - t->len : 0;

  va_start (ap, fmt);
  k = vsnprintf (room > 0 ? t->buf + t->len : NULL, room, fmt, ap);
  va_end (ap);
  if (k > 0)
    t->len += (size_t) k;
}

static void
describe_axis (Text *t, const SwPlotAxis *axis, const SwPlotLayout *l, bool is_x)
{
  const char *name = axis->label != NULL ? axis->label : (is_x ? "x" : "y");

  text_add (t, "%s", name);
  if (axis->unit != NULL)
    text_add (t, " (%s)", axis->unit);
  if (l->valid)
    text_add (t, " %g to %g", is_x ? l->xlo : l->ylo, is_x ? l->xhi : l->yhi);
  if (axis->log)
    text_add (t, ", log scale");
}

static size_t
count_finite (const SwPlotItem *item)
{
  size_t k = 0;

  for (size_t i = 0; i < item->n; i++)
    if (isfinite (item->x[i]) && isfinite (item->y[i]))
      k++;
  return k;
}

size_t
sw_figure_describe (const SwFigure *fig, char *buf, size_t size)
{
  Text t = { buf, size, 0 };

  if (size > 0)
    buf[0] = '\0';
  if (fig == NULL)
    return 0;
  if (fig->title != NULL)
    text_add (&t, "%s. ", fig->title);
  for (int i = 0; i < fig->rows * fig->cols; i++)
    {
      const SwPanel *p = &fig->panels[i];

      if (i > 0)
        text_add (&t, " ");
      text_add (&t, "%s: ", p->title != NULL ? p->title : "Panel");
      describe_axis (&t, &p->yaxis, &p->layout, false);
      text_add (&t, " against ");
      describe_axis (&t, &p->xaxis, &p->layout, true);
      if (p->map.present && !p->map.categorical)
        {
          double lo = INFINITY, hi = -INFINITY;

          for (size_t k = 0; k < p->map.nx * p->map.ny; k++)
            if (isfinite (p->map.values[k]))
              {
                lo = fmin (lo, p->map.values[k]);
                hi = fmax (hi, p->map.values[k]);
              }
          text_add (&t, "; heat map of %s", p->map.label != NULL ? p->map.label : "values");
          if (p->map.unit != NULL)
            text_add (&t, " (%s)", p->map.unit);
          text_add (&t, ", %zu × %zu cells", p->map.nx, p->map.ny);
          if (lo <= hi)
            text_add (&t, " from %g to %g", lo, hi);
        }
      else if (p->map.present)
        {
          text_add (&t, "; map of %zu classes", p->map.n_classes);
          for (size_t k = 0; k < p->map.n_classes; k++)
            {
              size_t cells = 0;

              for (size_t c = 0; c < p->map.nx * p->map.ny; c++)
                cells += p->map.classes[c] == (int) k;
              text_add (&t, "%s %s %zu cells", k == 0 ? ":" : ",",
                        p->map.names[k] != NULL ? p->map.names[k] : "unnamed", cells);
            }
        }
      for (size_t k = 0; k < p->n_items; k++)
        {
          const SwPlotItem *item = &p->items[k];
          const char *label = item->label != NULL ? item->label : "unlabelled";

          switch (item->kind)
            {
            case ITEM_LINE:
              text_add (&t, "; line %s, %zu points", label, count_finite (item));
              break;
            case ITEM_BAND:
              if (item->label != NULL)
                text_add (&t, "; band %s", label);
              break;
            case ITEM_POINTS:
              text_add (&t, "; points %s, %zu", label, count_finite (item));
              break;
            case ITEM_CONTOUR:
              if (item->label != NULL)
                text_add (&t, "; contour %s", label);
              break;
            case ITEM_RASTER:
              text_add (&t, "; %s %zu spikes", label, count_finite (item));
              break;
            case ITEM_MARKER:
              text_add (&t, "; marker %s at (%g, %g)", label, item->x[0], item->y[0]);
              break;
            default:
              break;
            }
        }
      text_add (&t, ".");
    }
  return t.len;
}
