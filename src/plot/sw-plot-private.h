/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Internals shared by the files of the plotting library: the error helper
 * and the data model of figures and panels (filled by sw-figure.c, read by
 * sw-figure-draw.c).  Not installed, not for callers.
 */
#pragma once

#include "sw-figure.h"

#include <stdbool.h>
#include <stddef.h>

/* Fills @err (when non-NULL) with a printf-style message; returns @status
 * so that callers can write `return sw_plot_error_set (err, ...)`. */
SwPlotStatus sw_plot_error_set (SwPlotError *err, SwPlotStatus status,
                                const char *fmt, ...)
  __attribute__ ((format (printf, 3, 4)));

typedef enum
{
  ITEM_LINE,
  ITEM_BAND,
  ITEM_POINTS,
  ITEM_CONTOUR,
  ITEM_RASTER,
  ITEM_MARKER,
} ItemKind;

/* One thing drawn in a panel, in the order added. */
typedef struct
{
  ItemKind kind;
  char *label;       /* legend text (marker: the text beside it); NULL: none */
  SwStyle style;     /* as given; zero fields mean "automatic" */
  int colour_slot;   /* index into the theme's series colours, -1 when the
                      * style's colour (or for contours the foreground)
                      * applies */
  int dash_slot;     /* index of the automatic dash pattern */
  int shape_slot;    /* index of the automatic marker shape */
  bool with_band;    /* a line drawn over its s.e.m. band: legend shows both */
  size_t n;
  double *x;         /* line, band, points, contour: x; raster: spike times */
  double *y;         /* y; band: lower edge; raster: neuron index */
  double *y2;        /* band: upper edge; otherwise NULL */
} SwPlotItem;

/* The heat map or categorical map of a panel (at most one). */
typedef struct
{
  bool present;
  bool categorical;
  size_t nx, ny;
  double x0, x1, y0, y1;
  double *values;    /* heat map, nx * ny, row-major from the bottom */
  int *classes;      /* categorical map, same layout */
  SwColormap colormap;
  char *label;       /* colour-bar label */
  char *unit;
  size_t n_classes;
  char **names;      /* n_classes entries, each may be NULL */
  SwRgba *colours;   /* n_classes entries */
} SwPlotGrid;

typedef struct
{
  char *label;
  char *unit;
  double lo, hi;     /* fixed limits; NaN: from the data */
  bool log;
  bool integer;
} SwPlotAxis;

/* Where the last drawing put a panel's plot area (for sw_figure_locate()). */
typedef struct
{
  bool valid;
  double x, y, w, h;         /* plot area in user units */
  double xlo, xhi, ylo, yhi; /* data limits */
  bool xlog, ylog;
} SwPlotLayout;

struct SwPanel
{
  SwFigure *fig;
  char *title;
  SwPlotAxis xaxis, yaxis;
  SwLegendPosition legend;
  int grid;                  /* -1: the theme decides, 0 off, 1 on */
  double clo, chi;           /* colour-bar limits; NaN: from the data */
  SwPlotGrid map;
  SwPlotItem *items;
  size_t n_items, cap_items;
  int next_colour;           /* automatic colour, dash and shape counters */
  int next_dash;
  int next_shape;
  SwPlotLayout layout;
};

struct SwFigure
{
  SwPlotTheme theme;
  char *title;
  int rows, cols;
  SwPanel *panels;           /* rows * cols, row-major */
};

/* Maps data to user-space coordinates of a laid-out panel (NaN for a
 * non-positive value on a log axis). */
double sw_plot_layout_x (const SwPlotLayout *layout, double x);
double sw_plot_layout_y (const SwPlotLayout *layout, double y);

/* Appends the iso-lines at @level of the grid (values at cell centres) to
 * *@xs / *@ys as polylines separated by NaN; *@n counts the points.
 * Returns false when out of memory (the arrays are then freed). */
bool sw_plot_contour_trace (const double *values, size_t nx, size_t ny,
                            double x0, double x1, double y0, double y1,
                            double level, double **xs, double **ys,
                            size_t *n);
