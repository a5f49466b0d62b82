/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Figures: a grid of panels, each with axes (title, labels with units, nice
 * ticks, optional log scale) and the data drawn in it: lines with markers
 * and error bands, points, heat maps with a colour bar, categorical maps
 * with their legend, contour polylines, spike rasters and labelled
 * crosshairs.  The same figure is written to PNG, SVG or PDF by
 * sw_figure_save() and drawn into a widget by sw_figure_draw(), so the CLI
 * and the workbench show identical plots.
 *
 * A sketch:
 *
 *   SwFigure *fig = sw_figure_new (1, 1);
 *   SwPanel *p = sw_figure_panel (fig, 0, 0);
 *   sw_panel_set_title (p, "f–I curve");
 *   sw_panel_set_x_label (p, "Input current", "nA");
 *   sw_panel_set_y_label (p, "Rate", "Hz");
 *   sw_panel_add_mean_sem (p, current, mean, sem, n, "LIF", NULL, NULL);
 *   if (sw_figure_save (fig, "fi.pdf", 480, 360, &err) != SW_PLOT_OK)
 *     fprintf (stderr, "%s\n", err.text);
 *   sw_figure_free (fig);
 *
 * Ownership: every add/set function copies its arrays and strings; the
 * caller keeps its own.  Panels belong to their figure.  Threads: a figure
 * is a plain object without locks; use it from one thread at a time
 * (drawing only reads it, apart from the layout cache described at
 * sw_figure_locate()).
 *
 * Errors: functions that can fail return an SwPlotStatus and, when @err is
 * not NULL, fill it.  Data may hold NaN and Inf: non-finite points break
 * lines and bands and are left out of points and rasters; NaN heat-map
 * cells are drawn in the theme's neutral nan_colour.  Adding nothing
 * (n = 0) is allowed and draws nothing.
 */
#pragma once

#include "sw-colormap.h"
#include "sw-plot-error.h"
#include "sw-plot-theme.h"

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct SwFigure SwFigure;
typedef struct SwPanel SwPanel;

typedef enum
{
  SW_DASH_AUTO = 0,  /* solid, or the next pattern when the theme varies
                      * dashes (high contrast) */
  SW_DASH_SOLID,
  SW_DASH_DASHED,
  SW_DASH_DOTTED,
  SW_DASH_DASH_DOT,
  SW_N_DASHES
} SwDash;

typedef enum
{
  SW_MARKER_AUTO = 0,  /* lines: none; points and rasters: the next shape
                        * (circle, triangle, square, diamond ...) */
  SW_MARKER_NONE,
  SW_MARKER_CIRCLE,
  SW_MARKER_TRIANGLE,
  SW_MARKER_SQUARE,
  SW_MARKER_DIAMOND,
  SW_MARKER_CROSS,     /* × */
  SW_MARKER_PLUS,      /* + */
  SW_MARKER_TICK,      /* a short vertical bar, the classic raster mark */
  SW_N_MARKERS
} SwMarker;

/* How a series looks.  The zero value ({0}, or passing NULL) means "the
 * theme decides": next colour of the theme's cycle, the theme's line width
 * and marker size. */
typedef struct
{
  SwRgba colour;       /* alpha 0: the next automatic colour */
  double width;        /* line width as a multiple of the theme's; 0 = 1 */
  SwDash dash;
  SwMarker marker;
  double marker_size;  /* multiple of the theme's marker size; 0 = 1 */
  bool open_marker;    /* outline only instead of filled */
} SwStyle;

typedef enum
{
  SW_LEGEND_AUTO = 0,   /* the inside corner covering no data (half an em
                         * of clearance), else outside */
  SW_LEGEND_NONE,
  SW_LEGEND_OUTSIDE,    /* at the right of the plot; under the colour bar
                         * when there is one and it keeps 6 em of height,
                         * else at the right of the colour bar */
  SW_LEGEND_UPPER_RIGHT,
  SW_LEGEND_UPPER_LEFT,
  SW_LEGEND_LOWER_RIGHT,
  SW_LEGEND_LOWER_LEFT,
  SW_N_LEGEND_POSITIONS
} SwLegendPosition;

typedef enum
{
  SW_PLOT_FORMAT_PNG = 0,
  SW_PLOT_FORMAT_SVG,
  SW_PLOT_FORMAT_PDF,
  SW_N_PLOT_FORMATS
} SwPlotFormat;

/* --- figures ------------------------------------------------------------ */

/* A figure of @rows x @cols equal panels (each clamped to 1 .. 16), with
 * the light theme.  Returns NULL when out of memory. */
SwFigure *sw_figure_new (int rows, int cols);
void sw_figure_free (SwFigure *fig);

/* The panel at (@row, @col), owned by @fig; NULL when out of range. */
SwPanel *sw_figure_panel (SwFigure *fig, int row, int col);
int sw_figure_n_rows (const SwFigure *fig);
int sw_figure_n_cols (const SwFigure *fig);

/* A title above all panels (NULL removes it). */
void sw_figure_set_title (SwFigure *fig, const char *title);

/* Copies @theme (its font_family string must outlive the figure; the
 * presets' literals do).  Sizes that are not positive and finite are
 * replaced by the light preset's. */
void sw_figure_set_theme (SwFigure *fig, const SwPlotTheme *theme);
const SwPlotTheme *sw_figure_get_theme (const SwFigure *fig);

/* Draws @fig into the rectangle (0, 0, @width, @height) of @cr's user
 * space, background included unless the theme's background is
 * transparent.  Leaves @cr's state as it found it.  Sizes are in @cr's
 * user units (device pixels on an image surface, points on SVG/PDF).
 * Figures smaller than their text leave out what does not fit rather than
 * overlap.  Records the layout for sw_figure_locate(). */
void sw_figure_draw (SwFigure *fig, cairo_t *cr, double width, double height);

/* Format from the extension of @path (.png, .svg, .pdf, any case);
 * returns false when it has none of them. */
bool sw_plot_format_from_path (const char *path, SwPlotFormat *format);

/* Writes @fig to @path, the format chosen by its extension: @width x
 * @height pixels for PNG, points (1/72 in) for SVG and PDF.  Errors:
 * SW_PLOT_ERR_FORMAT for an unknown extension, SW_PLOT_ERR_INVALID for a
 * size below 1 or above 32767, SW_PLOT_ERR_IO when the file cannot be
 * created or written (the message names the path and the system's reason;
 * a partly written file is removed), SW_PLOT_ERR_CAIRO when drawing
 * failed. */
SwPlotStatus sw_figure_save (SwFigure *fig, const char *path, double width,
                             double height, SwPlotError *err);

/* As sw_figure_save(), with the format given and the bytes handed to
 * @write (cairo's stream callback) instead of a file: for GIO streams and
 * clipboards.  A write failure gives SW_PLOT_ERR_IO. */
SwPlotStatus sw_figure_write (SwFigure *fig, SwPlotFormat format,
                              cairo_write_func_t write, void *closure,
                              double width, double height, SwPlotError *err);

/* Maps a point (@px, @py) of the last sw_figure_draw() or save (in that
 * call's user units) to data coordinates of the panel under it.  Fills
 * *@row, *@col and *@x, *@y (each may be NULL) and returns true when the
 * point lies inside a panel's plot area; false before any drawing.  For a
 * workbench's hover readout and crosshair. */
bool sw_figure_locate (const SwFigure *fig, double px, double py, int *row,
                       int *col, double *x, double *y);

/* The inverse: user-space point of data (@x, @y) in panel (@row, @col) as
 * laid out by the last drawing; false when that panel was not drawn or
 * the point cannot be mapped (a value <= 0 on a log axis).  For hover
 * highlights, and for tests that read pixels back. */
bool sw_figure_data_to_pixel (const SwFigure *fig, int row, int col, double x,
                              double y, double *px, double *py);

/* A one-paragraph plain-text summary of the figure for assistive
 * technology ("Raster: time (ms) 0 to 1000 against neuron; E 4120 spikes,
 * I 1033 spikes."), written to @buf (truncated to @size); returns the
 * untruncated length. */
size_t sw_figure_describe (const SwFigure *fig, char *buf, size_t size);

/* --- panels: axes ------------------------------------------------------- */

void sw_panel_set_title (SwPanel *panel, const char *title);

/* Axis label and unit, drawn as "Label (unit)"; either may be NULL. */
void sw_panel_set_x_label (SwPanel *panel, const char *label, const char *unit);
void sw_panel_set_y_label (SwPanel *panel, const char *label, const char *unit);

/* Fixed axis limits; NaN for either end means "from the data" (the
 * default).  lo >= hi is ignored (the data decide). */
void sw_panel_set_x_limits (SwPanel *panel, double lo, double hi);
void sw_panel_set_y_limits (SwPanel *panel, double lo, double hi);

/* Log scale (base 10) for an axis; values <= 0 are then left out. */
void sw_panel_set_x_log (SwPanel *panel, bool log);
void sw_panel_set_y_log (SwPanel *panel, bool log);

/* Ticks at whole numbers only (counts, neuron indices).  Rasters turn it
 * on for y by themselves. */
void sw_panel_set_y_integer (SwPanel *panel, bool integer);

void sw_panel_set_legend (SwPanel *panel, SwLegendPosition position);

/* Overrides the theme's grid setting for this panel. */
void sw_panel_set_grid (SwPanel *panel, bool grid);

/* Colour-bar limits of the panel's heat map; NaN for either end means
 * "from the finite values" (the default). */
void sw_panel_set_colour_limits (SwPanel *panel, double lo, double hi);

/* --- panels: data ------------------------------------------------------- */

/* A line through (@xs[i], @ys[i]), i < @n, in order; non-finite values
 * break it.  @label (may be NULL: no legend entry).  @style may be NULL. */
SwPlotStatus sw_panel_add_line (SwPanel *panel, const double *xs,
                                const double *ys, size_t n, const char *label,
                                const SwStyle *style, SwPlotError *err);

/* A filled band between @lo[i] and @hi[i] at @xs[i] (translucent).  With
 * an automatic colour it takes the colour of the next automatic line, so
 * "band, then line" pairs up; it has a legend entry only with a @label. */
SwPlotStatus sw_panel_add_band (SwPanel *panel, const double *xs,
                                const double *lo, const double *hi, size_t n,
                                const char *label, const SwStyle *style,
                                SwPlotError *err);

/* Mean ± s.e.m.: the band mean - sem .. mean + sem and the mean line in
 * one colour, with one legend entry showing both.  NULL @sem draws only
 * the line. */
SwPlotStatus sw_panel_add_mean_sem (SwPanel *panel, const double *xs,
                                    const double *mean, const double *sem,
                                    size_t n, const char *label,
                                    const SwStyle *style, SwPlotError *err);

/* Markers at (@xs[i], @ys[i]) without a line. */
SwPlotStatus sw_panel_add_points (SwPanel *panel, const double *xs,
                                  const double *ys, size_t n,
                                  const char *label, const SwStyle *style,
                                  SwPlotError *err);

/* A heat map of @nx x @ny cells covering [x0, x1] x [y0, y1] (outer
 * edges; cell (i, j) spans x0 + i (x1 - x0) / nx and so on).  @values is
 * row-major from the bottom: values[j * nx + i] is column i of row j, row 0
 * at y0.  NaN cells take the theme's nan_colour and get a "no data" swatch
 * under the colour bar.  The colour bar is labelled "@label (@unit)".  A
 * panel has one map: a second heat map or categorical map replaces the
 * first.  Errors: SW_PLOT_ERR_INVALID for a zero size, NULL values or
 * non-finite or empty extents. */
SwPlotStatus sw_panel_add_heatmap (SwPanel *panel, const double *values,
                                   size_t nx, size_t ny, double x0, double x1,
                                   double y0, double y1, SwColormap colormap,
                                   const char *label, const char *unit,
                                   SwPlotError *err);

/* A categorical map on the same grid as a heat map: @classes[j * nx + i]
 * is an index into @names and @colours (@n_classes of each); a negative or
 * out-of-range class is drawn in the theme's nan_colour.  @colours may be
 * NULL: Okabe & Ito's palette from orange on (black is kept for contours).
 * Each class gets a legend entry with its swatch (names may be NULL to
 * leave a class out of the legend). */
SwPlotStatus sw_panel_add_categories (SwPanel *panel, const int *classes,
                                      size_t nx, size_t ny, double x0,
                                      double x1, double y0, double y1,
                                      const char *const *names,
                                      const SwRgba *colours, size_t n_classes,
                                      SwPlotError *err);

/* A polyline over whatever is drawn (e.g. a boundary on a map), with a
 * halo in the background colour so it stays visible on any cell colour.
 * Non-finite points break it.  The automatic colour is the theme's
 * foreground, not a series colour. */
SwPlotStatus sw_panel_add_contour (SwPanel *panel, const double *xs,
                                   const double *ys, size_t n,
                                   const char *label, const SwStyle *style,
                                   SwPlotError *err);

/* The iso-line at @level of a grid laid out as for sw_panel_add_heatmap()
 * (values at cell centres), found by marching squares and added as a
 * contour.  Cells with NaN corners are skipped. */
SwPlotStatus sw_panel_add_contour_level (SwPanel *panel, const double *values,
                                         size_t nx, size_t ny, double x0,
                                         double x1, double y0, double y1,
                                         double level, const char *label,
                                         const SwStyle *style,
                                         SwPlotError *err);

/* One group (population) of a spike raster: spike @times[k] (x) of
 * neuron @ids[k] (y).  Each group gets the next colour and the next marker
 * shape, so groups differ in shape as well as colour; @label names the
 * group in the legend.  The y axis switches to whole-number ticks. */
SwPlotStatus sw_panel_add_raster (SwPanel *panel, const double *times,
                                  const int *ids, size_t n, const char *label,
                                  const SwStyle *style, SwPlotError *err);

/* A crosshair at (@x, @y): thin dashed lines across the plot, a ring at
 * the point and @label (may be NULL) in a box beside it, kept inside the
 * plot area. */
SwPlotStatus sw_panel_add_marker (SwPanel *panel, double x, double y,
                                  const char *label, SwPlotError *err);

/* Removes every data item and resets the automatic colours; keeps titles,
 * labels, limits and options. */
void sw_panel_clear (SwPanel *panel);
