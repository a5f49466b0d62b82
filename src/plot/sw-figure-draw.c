/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drawing a figure with cairo.  Each panel is laid out from the outside in:
 * the vertical margins first (title, x tick labels, x label), then the y
 * ticks that fit the remaining height, the left margin their labels need,
 * the right margin (colour bar, an outside legend, the overhang of the last
 * x label), and finally the x ticks that fit the width.  Tick counts are
 * lowered until the measured labels keep a gap of at least GAP_EM em, so
 * no two labels overlap at any size.  The legend goes to the inside corner
 * that covers the least data (measured on a coarse occupancy grid of what
 * was drawn) and moves outside the plot when every corner holds data.
 *
 * Text uses cairo's toy font API with hinting of metrics off, so that PNG,
 * SVG and PDF lay out identically.
 */
#include "sw-plot-private.h"
#include "sw-ticks.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sizes in em of the tick-label font (theme font_size x scale). */
#define PAD_EM 0.6           /* general padding */
#define TICK_EM 0.4          /* major tick length */
#define GAP_EM 0.9           /* least gap between neighbouring tick labels */
#define CBAR_GAP_EM 0.9      /* plot to colour bar */
#define CBAR_WIDTH_EM 1.1
#define LEGEND_SAMPLE_EM 2.2 /* width of a legend entry's sample */
#define LEGEND_ROW_EM 1.45
#define MAX_LABEL_EM 22.0    /* legend text longer than this is cut */
#define SUP_SCALE 0.72       /* exponent size relative to its base */
#define SUP_RISE 0.45        /* exponent baseline rise, in base em */

/* Band fill opacity: dark enough to read, light enough to see the grid
 * and other bands through. */
#define BAND_ALPHA 0.25

/* Segments are clipped to the plot area grown by this many user units,
 * which keeps coordinates far inside cairo's fixed-point range even for
 * data far outside fixed limits. */
#define CLIP_SLACK 64.0

/* Cell of the occupancy grid used to place the legend, in em. */
#define OCC_CELL_EM 0.35

typedef struct
{
  cairo_t *cr;
  const SwPlotTheme *th;
  double s;         /* theme scale */
  double fs;        /* font size of tick labels, legend, axis labels */
  double tfs;       /* title font size */
  double pad;
  double tick;
  double cap;       /* height of a digit at fs */
  double ascent;    /* font ascent at fs */
  double descent;
} Ctx;

/* A legend entry, built from the items at drawing time. */
typedef enum
{
  ENTRY_LINE,
  ENTRY_BAND,
  ENTRY_MARKER,
  ENTRY_PATCH,
} EntryKind;

typedef struct
{
  EntryKind kind;
  const char *label;
  SwRgba colour;
  double width;      /* line width */
  SwDash dash;
  SwMarker marker;
  bool open_marker;
  bool band;         /* line over a band */
} Entry;

typedef struct
{
  double lo, hi;
  bool log;
  bool integer;
  SwTicks ticks;
} AxisPlan;

typedef struct
{
  double x, y, w, h;
} Rect;

/* --- small helpers ------------------------------------------------------ */

static void
set_colour (cairo_t *cr, SwRgba c)
{
  cairo_set_source_rgba (cr, c.r, c.g, c.b, c.a);
}

static SwRgba
with_alpha (SwRgba c, double a)
{
  c.a *= a;
  return c;
}

static void
set_font (Ctx *ctx, double size, bool bold)
{
  cairo_select_font_face (ctx->cr, ctx->th->font_family, CAIRO_FONT_SLANT_NORMAL,
                          bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (ctx->cr, size);
}

static double
advance (Ctx *ctx, const char *s)
{
  cairo_text_extents_t e;

  cairo_text_extents (ctx->cr, s, &e);
  return e.x_advance;
}

/* Width of a tick label, whose part after '^' is an exponent. */
static double
rich_width (Ctx *ctx, const char *s, double size)
{
  const char *caret = strchr (s, '^');
  double w;

  set_font (ctx, size, false);
  if (caret == NULL)
    return advance (ctx, s);
  {
    char base[64];
    size_t k = (size_t) (caret - s) < sizeof base - 1 ? (size_t) (caret - s)
                                                      : sizeof base - 1;

    memcpy (base, s, k);
    base[k] = '\0';
    w = advance (ctx, base);
  }
  set_font (ctx, size * SUP_SCALE, false);
  w += advance (ctx, caret + 1) + 0.05 * size;
  set_font (ctx, size, false);
  return w;
}

static void
rich_show (Ctx *ctx, const char *s, double x, double baseline, double size)
{
  const char *caret = strchr (s, '^');
  cairo_t *cr = ctx->cr;

  set_font (ctx, size, false);
  cairo_move_to (cr, x, baseline);
  if (caret == NULL)
    {
      cairo_show_text (cr, s);
      return;
    }
  {
    char base[64];
    size_t k = (size_t) (caret - s) < sizeof base - 1 ? (size_t) (caret - s)
                                                      : sizeof base - 1;

    memcpy (base, s, k);
    base[k] = '\0';
    cairo_show_text (cr, base);
    x += advance (ctx, base) + 0.05 * size;
  }
  set_font (ctx, size * SUP_SCALE, false);
  cairo_move_to (cr, x, baseline - SUP_RISE * size);
  cairo_show_text (cr, caret + 1);
  set_font (ctx, size, false);
}

/* Copies @s into @out, cut at a character boundary with an ellipsis so
 * that it is at most @max_w wide in the current font. */
static void
fit_text (Ctx *ctx, const char *s, double max_w, char *out, size_t size)
{
  size_t len = strlen (s);

  if (len >= size)
    len = size - 1;
  memcpy (out, s, len);
  out[len] = '\0';
  if (advance (ctx, out) <= max_w)
    return;
  while (len > 0)
    {
      /* Step back over one UTF-8 character. */
      do
        len--;
      while (len > 0 && ((unsigned char) out[len] & 0xC0) == 0x80);
      if (len + 4 > size)
        continue;
      memcpy (out + len, "\xe2\x80\xa6", 4);  /* … */
      if (advance (ctx, out) <= max_w)
        return;
    }
  out[0] = '\0';
}

/* "Label (unit)", "Label" or "(unit)"; empty when neither is set. */
static void
axis_title (const char *label, const char *unit, char *out, size_t size)
{
  if (label != NULL && unit != NULL)
    snprintf (out, size, "%s (%s)", label, unit);
  else if (label != NULL)
    snprintf (out, size, "%s", label);
  else if (unit != NULL)
    snprintf (out, size, "(%s)", unit);
  else if (size > 0)
    out[0] = '\0';
}

static void
set_dash (Ctx *ctx, SwDash dash, double width)
{
  double u = fmax (width, 0.8 * ctx->s);
  double dashed[] = { 4.0 * u, 2.5 * u };
  double dotted[] = { 0.01 * u, 2.0 * u };
  double dash_dot[] = { 4.5 * u, 2.0 * u, 0.01 * u, 2.0 * u };

  switch (dash)
    {
    case SW_DASH_DASHED:
      cairo_set_dash (ctx->cr, dashed, 2, 0);
      break;
    case SW_DASH_DOTTED:
      cairo_set_dash (ctx->cr, dotted, 2, 0);
      break;
    case SW_DASH_DASH_DOT:
      cairo_set_dash (ctx->cr, dash_dot, 4, 0);
      break;
    case SW_DASH_AUTO:
    case SW_DASH_SOLID:
    case SW_N_DASHES:
    default:
      cairo_set_dash (ctx->cr, NULL, 0, 0);
      break;
    }
}

/* --- resolved styles ---------------------------------------------------- */

static SwRgba
item_colour (const Ctx *ctx, const SwPlotItem *item)
{
  if (item->style.colour.a > 0.0)
    return item->style.colour;
  if (item->colour_slot < 0)
    return ctx->th->foreground;
  return ctx->th->series[item->colour_slot % SW_PLOT_THEME_N_SERIES];
}

static double
item_width (const Ctx *ctx, const SwPlotItem *item)
{
  double k = item->style.width > 0.0 ? item->style.width : 1.0;

  return k * ctx->th->line_width * ctx->s;
}

static SwDash
item_dash (const Ctx *ctx, const SwPlotItem *item)
{
  static const SwDash cycle[] = {
    SW_DASH_SOLID, SW_DASH_DASHED, SW_DASH_DOTTED, SW_DASH_DASH_DOT,
  };

  if (item->style.dash != SW_DASH_AUTO)
    return item->style.dash;
  if (ctx->th->vary_dashes && item->kind == ITEM_LINE)
    return cycle[item->dash_slot % 4];
  return SW_DASH_SOLID;
}

static SwMarker
item_marker (const SwPlotItem *item)
{
  static const SwMarker cycle[] = {
    SW_MARKER_CIRCLE, SW_MARKER_TRIANGLE, SW_MARKER_SQUARE, SW_MARKER_DIAMOND,
    SW_MARKER_CROSS, SW_MARKER_PLUS,
  };

  if (item->style.marker != SW_MARKER_AUTO)
    return item->style.marker;
  /* Raster groups start with a dot and a bar, the two shapes that still
   * differ when marks shrink to a few pixels in a dense raster. */
  static const SwMarker raster_cycle[] = {
    SW_MARKER_CIRCLE, SW_MARKER_TICK, SW_MARKER_TRIANGLE, SW_MARKER_SQUARE,
    SW_MARKER_DIAMOND, SW_MARKER_CROSS,
  };

  if (item->kind == ITEM_RASTER)
    return raster_cycle[item->shape_slot % 6];
  if (item->kind == ITEM_POINTS)
    return cycle[item->shape_slot % 6];
  return SW_MARKER_NONE;
}

static double
item_marker_size (const Ctx *ctx, const SwPlotItem *item)
{
  double k = item->style.marker_size > 0.0 ? item->style.marker_size : 1.0;

  return k * ctx->th->marker_size * ctx->s;
}

/* --- markers ------------------------------------------------------------ */

/* Adds the outline of @shape, @size across, centred on (x, y), to the
 * path; returns false for stroke-only shapes (cross, plus). */
static bool
marker_path (cairo_t *cr, SwMarker shape, double x, double y, double size)
{
  double r = size / 2.0;

  switch (shape)
    {
    case SW_MARKER_SQUARE:
      /* Squares look larger than circles of the same width. */
      r *= 0.86;
      cairo_rectangle (cr, x - r, y - r, 2 * r, 2 * r);
      return true;
    case SW_MARKER_TRIANGLE:
      /* Equal area with the circle, centroid on the point. */
      r *= 1.3;
      cairo_move_to (cr, x, y - r);
      cairo_line_to (cr, x + r * 0.866, y + r * 0.5);
      cairo_line_to (cr, x - r * 0.866, y + r * 0.5);
      cairo_close_path (cr);
      return true;
    case SW_MARKER_DIAMOND:
      r *= 1.2;
      cairo_move_to (cr, x, y - r);
      cairo_line_to (cr, x + r * 0.8, y);
      cairo_line_to (cr, x, y + r);
      cairo_line_to (cr, x - r * 0.8, y);
      cairo_close_path (cr);
      return true;
    case SW_MARKER_CROSS:
      r *= 0.85;
      cairo_move_to (cr, x - r, y - r);
      cairo_line_to (cr, x + r, y + r);
      cairo_move_to (cr, x - r, y + r);
      cairo_line_to (cr, x + r, y - r);
      return false;
    case SW_MARKER_PLUS:
      cairo_move_to (cr, x - r, y);
      cairo_line_to (cr, x + r, y);
      cairo_move_to (cr, x, y - r);
      cairo_line_to (cr, x, y + r);
      return false;
    case SW_MARKER_TICK:
      cairo_move_to (cr, x, y - r);
      cairo_line_to (cr, x, y + r);
      return false;
    case SW_MARKER_CIRCLE:
    case SW_MARKER_AUTO:
    case SW_MARKER_NONE:
    case SW_N_MARKERS:
    default:
      cairo_new_sub_path (cr);
      cairo_arc (cr, x, y, r, 0, 2 * M_PI);
      return true;
    }
}

/* Draws one marker; @halo (alpha > 0) outlines it to lift it off lines. */
static void
draw_marker (Ctx *ctx, SwMarker shape, double x, double y, double size,
             bool open, SwRgba colour, SwRgba halo)
{
  cairo_t *cr = ctx->cr;
  double lw = fmax (0.9 * ctx->s, size * 0.16);
  bool closed;

  cairo_new_path (cr);
  closed = marker_path (cr, shape, x, y, size);
  cairo_set_dash (cr, NULL, 0, 0);
  if (closed && !open)
    {
      if (halo.a > 0.0)
        {
          set_colour (cr, halo);
          cairo_set_line_width (cr, lw);
          cairo_stroke_preserve (cr);
        }
      set_colour (cr, colour);
      cairo_fill (cr);
    }
  else
    {
      if (halo.a > 0.0)
        {
          set_colour (cr, halo);
          cairo_set_line_width (cr, lw * 2.6);
          cairo_stroke_preserve (cr);
        }
      set_colour (cr, colour);
      cairo_set_line_width (cr, lw * 1.3);
      cairo_stroke (cr);
    }
}

/* --- data limits -------------------------------------------------------- */

typedef struct
{
  double exact_lo, exact_hi;    /* extents shown as they are (maps, rasters) */
  double padded_lo, padded_hi;  /* extents that get a margin (points) */
} Extent;

static void
extent_init (Extent *e)
{
  e->exact_lo = e->padded_lo = INFINITY;
  e->exact_hi = e->padded_hi = -INFINITY;
}

static bool
usable (double v, bool log)
{
  return isfinite (v) && (!log || v > 0.0);
}

static void
extent_add (Extent *e, double v, bool log, bool padded)
{
  if (!usable (v, log))
    return;
  if (padded)
    {
      e->padded_lo = fmin (e->padded_lo, v);
      e->padded_hi = fmax (e->padded_hi, v);
    }
  else
    {
      e->exact_lo = fmin (e->exact_lo, v);
      e->exact_hi = fmax (e->exact_hi, v);
    }
}

/* Fraction of the padded data range added at each end. */
#define DATA_MARGIN 0.04

static void
extent_resolve (const Extent *e, bool log, double fixed_lo, double fixed_hi,
                double *lo, double *hi)
{
  double a = INFINITY, b = -INFINITY;

  if (e->padded_lo <= e->padded_hi)
    {
      double pl = e->padded_lo, ph = e->padded_hi;

      if (log)
        {
          double span = log10 (ph) - log10 (pl);
          double m = span > 0 ? DATA_MARGIN * span : 0.1;

          pl = pow (10.0, log10 (pl) - m);
          ph = pow (10.0, log10 (ph) + m);
        }
      else
        {
          double span = ph - pl;
          double m = span > 0 ? DATA_MARGIN * span : fmax (fabs (pl) * 0.1, 0.5);

          pl -= m;
          ph += m;
        }
      a = pl;
      b = ph;
    }
  if (e->exact_lo <= e->exact_hi)
    {
      a = fmin (a, e->exact_lo);
      b = fmax (b, e->exact_hi);
    }
  if (!(a <= b))
    {
      a = log ? 1.0 : 0.0;
      b = log ? 10.0 : 1.0;
    }
  if (isfinite (fixed_lo) && usable (fixed_lo, log))
    a = fixed_lo;
  if (isfinite (fixed_hi) && usable (fixed_hi, log))
    b = fixed_hi;
  if (!(b > a))
    {
      /* A single value, or a fixed end past the data's other end. */
      if (log)
        {
          if (isfinite (fixed_hi) && !isfinite (fixed_lo))
            a = b / 10.0;
          else
            b = a * 10.0;
        }
      else
        {
          double m = fmax (fabs (a) * 0.1, 0.5);

          if (isfinite (fixed_hi) && !isfinite (fixed_lo))
            a = b - 2 * m;
          else if (isfinite (fixed_lo) && !isfinite (fixed_hi))
            b = a + 2 * m;
          else
            {
              a -= m;
              b += m;
            }
        }
    }
  *lo = a;
  *hi = b;
}

static void
panel_limits (const SwPanel *p, AxisPlan *xa, AxisPlan *ya)
{
  Extent ex, ey;
  bool xlog = p->xaxis.log, ylog = p->yaxis.log;

  extent_init (&ex);
  extent_init (&ey);
  if (p->map.present)
    {
      extent_add (&ex, p->map.x0, xlog, false);
      extent_add (&ex, p->map.x1, xlog, false);
      extent_add (&ey, p->map.y0, ylog, false);
      extent_add (&ey, p->map.y1, ylog, false);
    }
  for (size_t k = 0; k < p->n_items; k++)
    {
      const SwPlotItem *it = &p->items[k];

      for (size_t i = 0; i < it->n; i++)
        {
          double x = it->x[i], y = it->y[i];

          /* A point only counts where both coordinates can be drawn. */
          if (!usable (x, xlog) || !usable (y, ylog))
            continue;
          switch (it->kind)
            {
            case ITEM_LINE:
              extent_add (&ex, x, xlog, false);
              extent_add (&ey, y, ylog, true);
              break;
            case ITEM_BAND:
              extent_add (&ex, x, xlog, false);
              extent_add (&ey, y, ylog, true);
              extent_add (&ey, it->y2[i], ylog, true);
              break;
            case ITEM_CONTOUR:
              extent_add (&ex, x, xlog, false);
              extent_add (&ey, y, ylog, false);
              break;
            case ITEM_RASTER:
              extent_add (&ex, x, xlog, false);
              extent_add (&ey, y - 0.5, ylog, false);
              extent_add (&ey, y + 0.5, ylog, false);
              break;
            case ITEM_POINTS:
            case ITEM_MARKER:
            default:
              extent_add (&ex, x, xlog, true);
              extent_add (&ey, y, ylog, true);
              break;
            }
        }
    }
  xa->log = xlog;
  ya->log = ylog;
  xa->integer = false;
  ya->integer = p->yaxis.integer;
  extent_resolve (&ex, xlog, p->xaxis.lo, p->xaxis.hi, &xa->lo, &xa->hi);
  extent_resolve (&ey, ylog, p->yaxis.lo, p->yaxis.hi, &ya->lo, &ya->hi);
}

/* --- mapping ------------------------------------------------------------ */

static double
frac (double v, double lo, double hi, bool log)
{
  if (log)
    {
      if (!(v > 0.0))
        return NAN;
      return (log10 (v) - log10 (lo)) / (log10 (hi) - log10 (lo));
    }
  return (v - lo) / (hi - lo);
}

double
sw_plot_layout_x (const SwPlotLayout *l, double x)
{
  return l->x + frac (x, l->xlo, l->xhi, l->xlog) * l->w;
}

double
sw_plot_layout_y (const SwPlotLayout *l, double y)
{
  return l->y + l->h - frac (y, l->ylo, l->yhi, l->ylog) * l->h;
}

/* --- ticks and their labels --------------------------------------------- */

static bool
make_ticks (const AxisPlan *a, size_t max, SwTicks *t)
{
  if (a->log)
    return sw_ticks_log (a->lo, a->hi, max, t);
  if (a->integer)
    return sw_ticks_integer (a->lo, a->hi, max, t);
  return sw_ticks_linear (a->lo, a->hi, max, t);
}

/* Chooses the most ticks (at most one per few em of @length) whose labels
 * keep GAP_EM apart along the axis; @horizontal compares label widths,
 * otherwise label heights. */
static void
choose_ticks (Ctx *ctx, AxisPlan *a, double length, bool horizontal)
{
  /* Start from one tick per 4.5 em across (labels are wide) or 3 em up. */
  double spacing = ctx->fs * (horizontal ? 4.5 : 3.0);
  size_t max = (size_t) fmax (2.0, fmin (SW_TICKS_MAX, floor (length / spacing) + 1));

  for (;;)
    {
      bool ok = true;
      double prev_end = -INFINITY;

      if (!make_ticks (a, max, &a->ticks))
        {
          a->ticks.n = 0;
          return;
        }
      for (size_t i = 0; i < a->ticks.n && ok; i++)
        {
          char buf[64];
          double pos = frac (a->ticks.values[i], a->lo, a->hi, a->log) * length;
          double half;

          sw_ticks_format (&a->ticks, i, buf, sizeof buf);
          half = horizontal ? rich_width (ctx, buf, ctx->fs) / 2.0
                            : (strchr (buf, '^') ? ctx->fs * 1.25 : ctx->cap) / 2.0;
          if (pos - half < prev_end + GAP_EM * ctx->fs * (horizontal ? 1.0 : 0.7))
            ok = false;
          prev_end = pos + half;
        }
      if (ok || max <= 2)
        return;
      max = a->ticks.n > 2 ? a->ticks.n - 1 : 2;
    }
}

static double
max_label_width (Ctx *ctx, const SwTicks *t)
{
  double w = 0.0;

  for (size_t i = 0; i < t->n; i++)
    {
      char buf[64];

      sw_ticks_format (t, i, buf, sizeof buf);
      w = fmax (w, rich_width (ctx, buf, ctx->fs));
    }
  return w;
}

static bool
ticks_have_exponent (const SwTicks *t)
{
  for (size_t i = 0; i < t->n; i++)
    {
      char buf[64];

      sw_ticks_format (t, i, buf, sizeof buf);
      if (strchr (buf, '^') != NULL)
        return true;
    }
  return false;
}

/* --- legend ------------------------------------------------------------- */

typedef struct
{
  Entry *entries;
  size_t n;
  double w, h;       /* box size */
  double text_w;     /* widest label */
} Legend;

static void
legend_build (Ctx *ctx, const SwPanel *p, Legend *lg)
{
  size_t cap = p->n_items + (p->map.categorical ? p->map.n_classes + 1 : 0);

  memset (lg, 0, sizeof *lg);
  if (p->legend == SW_LEGEND_NONE || cap == 0)
    return;
  lg->entries = calloc (cap, sizeof *lg->entries);
  if (lg->entries == NULL)
    return;
  if (p->map.present && p->map.categorical)
    {
      bool unclassified = false;

      for (size_t k = 0; k < p->map.n_classes; k++)
        if (p->map.names[k] != NULL)
          {
            Entry *e = &lg->entries[lg->n++];

            e->kind = ENTRY_PATCH;
            e->label = p->map.names[k];
            e->colour = p->map.colours[k];
          }
      /* Cells outside every class are drawn in the NaN colour; say so. */
      for (size_t c = 0; c < p->map.nx * p->map.ny && !unclassified; c++)
        unclassified = p->map.classes[c] < 0 || (size_t) p->map.classes[c] >= p->map.n_classes;
      if (unclassified)
        {
          Entry *e = &lg->entries[lg->n++];

          e->kind = ENTRY_PATCH;
          e->label = "no data";
          e->colour = ctx->th->nan_colour;
        }
    }
  for (size_t k = 0; k < p->n_items; k++)
    {
      const SwPlotItem *it = &p->items[k];
      Entry *e;

      if (it->label == NULL || it->kind == ITEM_MARKER)
        continue;
      e = &lg->entries[lg->n++];
      e->label = it->label;
      e->colour = item_colour (ctx, it);
      e->width = item_width (ctx, it);
      e->dash = item_dash (ctx, it);
      e->marker = item_marker (it);
      e->open_marker = it->style.open_marker;
      switch (it->kind)
        {
        case ITEM_BAND:
          e->kind = ENTRY_BAND;
          break;
        case ITEM_POINTS:
        case ITEM_RASTER:
          e->kind = ENTRY_MARKER;
          break;
        case ITEM_LINE:
        case ITEM_CONTOUR:
        case ITEM_MARKER:
        default:
          e->kind = ENTRY_LINE;
          e->band = it->with_band;
          break;
        }
    }
  if (lg->n == 0)
    return;
  set_font (ctx, ctx->fs, false);
  for (size_t k = 0; k < lg->n; k++)
    lg->text_w = fmax (lg->text_w, fmin (advance (ctx, lg->entries[k].label),
                                         MAX_LABEL_EM * ctx->fs));
  lg->w = ctx->pad * 2 + LEGEND_SAMPLE_EM * ctx->fs + 0.5 * ctx->fs + lg->text_w;
  lg->h = ctx->pad * 1.2 + lg->n * LEGEND_ROW_EM * ctx->fs;
}

static void
legend_draw (Ctx *ctx, const Legend *lg, double x, double y, bool framed)
{
  cairo_t *cr = ctx->cr;
  double row = LEGEND_ROW_EM * ctx->fs;
  double sw = LEGEND_SAMPLE_EM * ctx->fs;

  if (framed)
    {
      cairo_rectangle (cr, x, y, lg->w, lg->h);
      set_colour (cr, ctx->th->legend_background);
      cairo_fill_preserve (cr);
      set_colour (cr, with_alpha (ctx->th->foreground, 0.25));
      cairo_set_line_width (cr, ctx->th->axis_width * ctx->s * 0.8);
      cairo_set_dash (cr, NULL, 0, 0);
      cairo_stroke (cr);
    }
  for (size_t k = 0; k < lg->n; k++)
    {
      const Entry *e = &lg->entries[k];
      double cy = y + ctx->pad * 0.6 + (k + 0.5) * row;
      double sx = x + ctx->pad;
      char text[256];

      switch (e->kind)
        {
        case ENTRY_PATCH:
          {
            double side = ctx->fs * 0.95;

            cairo_rectangle (cr, sx + (sw - side * 1.6) / 2, cy - side / 2, side * 1.6, side);
            set_colour (cr, e->colour);
            cairo_fill_preserve (cr);
            set_colour (cr, with_alpha (ctx->th->foreground, 0.6));
            cairo_set_line_width (cr, 0.8 * ctx->s);
            cairo_set_dash (cr, NULL, 0, 0);
            cairo_stroke (cr);
          }
          break;
        case ENTRY_BAND:
          cairo_rectangle (cr, sx, cy - ctx->fs * 0.45, sw, ctx->fs * 0.9);
          set_colour (cr, with_alpha (e->colour, BAND_ALPHA * 1.4));
          cairo_fill (cr);
          break;
        case ENTRY_MARKER:
          draw_marker (ctx, e->marker == SW_MARKER_NONE ? SW_MARKER_CIRCLE : e->marker,
                       sx + sw / 2, cy, ctx->th->marker_size * ctx->s * 1.15,
                       e->open_marker, e->colour, (SwRgba) { 0, 0, 0, 0 });
          break;
        case ENTRY_LINE:
        default:
          if (e->band)
            {
              cairo_rectangle (cr, sx, cy - ctx->fs * 0.45, sw, ctx->fs * 0.9);
              set_colour (cr, with_alpha (e->colour, BAND_ALPHA));
              cairo_fill (cr);
            }
          cairo_move_to (cr, sx, cy);
          cairo_line_to (cr, sx + sw, cy);
          set_colour (cr, e->colour);
          cairo_set_line_width (cr, e->width);
          set_dash (ctx, e->dash, e->width);
          /* Dots are zero-length dashes: they need round caps to show. */
          cairo_set_line_cap (cr, e->dash == SW_DASH_DOTTED || e->dash == SW_DASH_DASH_DOT
                                  ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0);
          if (e->marker != SW_MARKER_NONE && e->marker != SW_MARKER_AUTO)
            draw_marker (ctx, e->marker, sx + sw / 2, cy, ctx->th->marker_size * ctx->s,
                         e->open_marker, e->colour, ctx->th->legend_background);
          break;
        }
      set_font (ctx, ctx->fs, false);
      fit_text (ctx, e->label, MAX_LABEL_EM * ctx->fs, text, sizeof text);
      set_colour (cr, ctx->th->foreground);
      cairo_move_to (cr, sx + sw + 0.5 * ctx->fs, cy + ctx->cap / 2);
      cairo_show_text (cr, text);
    }
}

/* --- the occupancy grid ------------------------------------------------- */

typedef struct
{
  unsigned char *cells;
  int gw, gh;
  double cell;
  Rect plot;
} Occupancy;

static void
occ_mark (Occupancy *o, double x, double y, double r)
{
  int i0, i1, j0, j1;

  if (!isfinite (x) || !isfinite (y))
    return;
  i0 = (int) floor ((x - r - o->plot.x) / o->cell);
  i1 = (int) floor ((x + r - o->plot.x) / o->cell);
  j0 = (int) floor ((y - r - o->plot.y) / o->cell);
  j1 = (int) floor ((y + r - o->plot.y) / o->cell);
  if (i1 < 0 || j1 < 0 || i0 >= o->gw || j0 >= o->gh)
    return;
  i0 = i0 < 0 ? 0 : i0;
  j0 = j0 < 0 ? 0 : j0;
  i1 = i1 >= o->gw ? o->gw - 1 : i1;
  j1 = j1 >= o->gh ? o->gh - 1 : j1;
  for (int j = j0; j <= j1; j++)
    for (int i = i0; i <= i1; i++)
      o->cells[j * o->gw + i] = 1;
}

static bool clip_segment (const Rect *r, double *x0, double *y0, double *x1, double *y1);

/* Marks the cells within @r of the segment (x0, y0)-(x1, y1), clipped
 * first so that data far outside fixed limits costs nothing. */
static void
occ_segment (Occupancy *o, double x0, double y0, double x1, double y1, double r)
{
  Rect grown = { o->plot.x - r, o->plot.y - r, o->plot.w + 2 * r, o->plot.h + 2 * r };
  double len;
  int steps;

  if (!isfinite (x0) || !isfinite (y0) || !isfinite (x1) || !isfinite (y1)
      || !clip_segment (&grown, &x0, &y0, &x1, &y1))
    return;
  len = hypot (x1 - x0, y1 - y0);
  steps = (int) ceil (len / (o->cell * 0.5)) + 1;
  for (int k = 0; k <= steps; k++)
    {
      double t = (double) k / steps;

      occ_mark (o, x0 + t * (x1 - x0), y0 + t * (y1 - y0), r);
    }
}

static void
occ_fill (const SwPanel *p, const Ctx *ctx, Occupancy *o)
{
  const SwPlotLayout *l = &p->layout;
  double r = ctx->th->line_width * ctx->s;

  if (p->map.present)
    {
      double xa = sw_plot_layout_x (l, p->map.x0), xb = sw_plot_layout_x (l, p->map.x1);
      double ya = sw_plot_layout_y (l, p->map.y0), yb = sw_plot_layout_y (l, p->map.y1);

      if (isfinite (xa) && isfinite (xb) && isfinite (ya) && isfinite (yb))
        {
          double x0 = fmax (fmin (xa, xb), o->plot.x), x1 = fmin (fmax (xa, xb), o->plot.x + o->plot.w);
          double y0 = fmax (fmin (ya, yb), o->plot.y), y1 = fmin (fmax (ya, yb), o->plot.y + o->plot.h);

          for (double y = y0; y <= y1; y += o->cell * 0.5)
            for (double x = x0; x <= x1; x += o->cell * 0.5)
              occ_mark (o, x, y, 0);
        }
    }
  for (size_t k = 0; k < p->n_items; k++)
    {
      const SwPlotItem *it = &p->items[k];
      double mr = item_marker_size (ctx, it) / 2;

      for (size_t i = 0; i < it->n; i++)
        {
          double x = sw_plot_layout_x (l, it->x[i]), y = sw_plot_layout_y (l, it->y[i]);

          switch (it->kind)
            {
            case ITEM_LINE:
            case ITEM_CONTOUR:
              if (i + 1 < it->n)
                occ_segment (o, x, y, sw_plot_layout_x (l, it->x[i + 1]),
                             sw_plot_layout_y (l, it->y[i + 1]), r);
              occ_mark (o, x, y, r);
              break;
            case ITEM_BAND:
              if (i + 1 < it->n)
                {
                  double xn = sw_plot_layout_x (l, it->x[i + 1]);
                  double lo0 = y, lo1 = sw_plot_layout_y (l, it->y[i + 1]);
                  double hi0 = sw_plot_layout_y (l, it->y2[i]);
                  double hi1 = sw_plot_layout_y (l, it->y2[i + 1]);
                  double ta, tb;
                  int steps;

                  if (!isfinite (xn) || !isfinite (x) || xn == x)
                    break;
                  /* Only the part of the segment above the plot's width. */
                  ta = (o->plot.x - x) / (xn - x);
                  tb = (o->plot.x + o->plot.w - x) / (xn - x);
                  if (ta > tb)
                    {
                      double tmp = ta;
                      ta = tb;
                      tb = tmp;
                    }
                  ta = fmax (ta, 0.0);
                  tb = fmin (tb, 1.0);
                  if (!(ta <= tb))
                    break;
                  steps = (int) ceil ((tb - ta) * fabs (xn - x) / (o->cell * 0.5)) + 1;
                  for (int s = 0; s <= steps; s++)
                    {
                      double t = ta + (tb - ta) * s / steps;
                      double xs = x + t * (xn - x);
                      double a = lo0 + t * (lo1 - lo0), b = hi0 + t * (hi1 - hi0);

                      occ_segment (o, xs, a, xs, b, 0);
                    }
                }
              break;
            case ITEM_MARKER:
              occ_mark (o, x, y, ctx->fs);
              break;
            case ITEM_POINTS:
            case ITEM_RASTER:
            default:
              occ_mark (o, x, y, mr);
              break;
            }
        }
    }
}

static int
occ_count (const Occupancy *o, Rect box)
{
  int i0 = (int) floor ((box.x - o->plot.x) / o->cell);
  int i1 = (int) floor ((box.x + box.w - o->plot.x) / o->cell);
  int j0 = (int) floor ((box.y - o->plot.y) / o->cell);
  int j1 = (int) floor ((box.y + box.h - o->plot.y) / o->cell);
  int n = 0;

  for (int j = j0 < 0 ? 0 : j0; j <= j1 && j < o->gh; j++)
    for (int i = i0 < 0 ? 0 : i0; i <= i1 && i < o->gw; i++)
      n += o->cells[j * o->gw + i];
  return n;
}

/* The inside box of the legend for @pos. */
static Rect
legend_box (const Ctx *ctx, const Rect *plot, const Legend *lg, SwLegendPosition pos)
{
  double inset = ctx->pad * 0.8;
  Rect r = { 0, 0, lg->w, lg->h };

  switch (pos)
    {
    case SW_LEGEND_UPPER_LEFT:
      r.x = plot->x + inset;
      r.y = plot->y + inset;
      break;
    case SW_LEGEND_LOWER_RIGHT:
      r.x = plot->x + plot->w - inset - lg->w;
      r.y = plot->y + plot->h - inset - lg->h;
      break;
    case SW_LEGEND_LOWER_LEFT:
      r.x = plot->x + inset;
      r.y = plot->y + plot->h - inset - lg->h;
      break;
    case SW_LEGEND_UPPER_RIGHT:
    default:
      r.x = plot->x + plot->w - inset - lg->w;
      r.y = plot->y + inset;
      break;
    }
  return r;
}

/* The corner with the least data, or SW_LEGEND_OUTSIDE when every corner
 * covers some. */
static SwLegendPosition
legend_choose (const SwPanel *p, Ctx *ctx, const Rect *plot, const Legend *lg)
{
  static const SwLegendPosition order[] = {
    SW_LEGEND_UPPER_RIGHT, SW_LEGEND_UPPER_LEFT, SW_LEGEND_LOWER_RIGHT,
    SW_LEGEND_LOWER_LEFT,
  };
  Occupancy o;
  SwLegendPosition best = SW_LEGEND_OUTSIDE;
  int best_count = INT32_MAX;

  if (lg->w > plot->w * 0.6 || lg->h > plot->h * 0.8)
    return SW_LEGEND_OUTSIDE;
  o.cell = fmax (1.0, OCC_CELL_EM * ctx->fs);
  o.plot = *plot;
  o.gw = (int) ceil (plot->w / o.cell);
  o.gh = (int) ceil (plot->h / o.cell);
  if (o.gw <= 0 || o.gh <= 0)
    return SW_LEGEND_OUTSIDE;
  o.cells = calloc ((size_t) o.gw * (size_t) o.gh, 1);
  if (o.cells == NULL)
    return SW_LEGEND_OUTSIDE;
  occ_fill (p, ctx, &o);
  for (size_t k = 0; k < 4; k++)
    {
      Rect box = legend_box (ctx, plot, lg, order[k]);
      int c;

      /* Data closer than half an em to the box counts as covered: a line
       * grazing the frame reads as overlap. */
      box.x -= 0.5 * ctx->fs;
      box.y -= 0.5 * ctx->fs;
      box.w += ctx->fs;
      box.h += ctx->fs;
      c = occ_count (&o, box);

      if (c < best_count)
        {
          best_count = c;
          best = order[k];
        }
    }
  free (o.cells);
  return best_count == 0 ? best : SW_LEGEND_OUTSIDE;
}

/* --- drawing data ------------------------------------------------------- */

/* Clips the segment to @r (Liang-Barsky); false when nothing is left. */
static bool
clip_segment (const Rect *r, double *x0, double *y0, double *x1, double *y1)
{
  double t0 = 0.0, t1 = 1.0;
  double dx = *x1 - *x0, dy = *y1 - *y0;
  double p[4] = { -dx, dx, -dy, dy };
  double q[4] = { *x0 - r->x, r->x + r->w - *x0, *y0 - r->y, r->y + r->h - *y0 };

  for (int k = 0; k < 4; k++)
    {
      if (p[k] == 0.0)
        {
          if (q[k] < 0.0)
            return false;
          continue;
        }
      {
        double t = q[k] / p[k];

        if (p[k] < 0.0)
          {
            if (t > t1)
              return false;
            if (t > t0)
              t0 = t;
          }
        else
          {
            if (t < t0)
              return false;
            if (t < t1)
              t1 = t;
          }
      }
    }
  {
    double ax = *x0 + t0 * dx, ay = *y0 + t0 * dy;
    double bx = *x0 + t1 * dx, by = *y0 + t1 * dy;

    *x0 = ax;
    *y0 = ay;
    *x1 = bx;
    *y1 = by;
  }
  return true;
}

/* Adds the polyline through the mapped points to the path, broken at
 * non-finite points and clipped to the slack rectangle. */
static void
polyline_path (Ctx *ctx, const SwPlotLayout *l, const double *xs, const double *ys,
               size_t n)
{
  cairo_t *cr = ctx->cr;
  Rect slack = { l->x - CLIP_SLACK, l->y - CLIP_SLACK, l->w + 2 * CLIP_SLACK,
                 l->h + 2 * CLIP_SLACK };
  bool pen_down = false;
  double px = NAN, py = NAN;
  double last_x = NAN, last_y = NAN;

  for (size_t i = 0; i < n; i++)
    {
      double x = sw_plot_layout_x (l, xs[i]), y = sw_plot_layout_y (l, ys[i]);

      if (!isfinite (x) || !isfinite (y))
        {
          pen_down = false;
          px = py = NAN;
          continue;
        }
      if (isfinite (px))
        {
          double ax = px, ay = py, bx = x, by = y;

          if (clip_segment (&slack, &ax, &ay, &bx, &by))
            {
              if (!pen_down || ax != last_x || ay != last_y)
                cairo_move_to (cr, ax, ay);
              cairo_line_to (cr, bx, by);
              pen_down = true;
              last_x = bx;
              last_y = by;
              /* The segment left the rectangle: lift the pen. */
              if (bx != x || by != y)
                pen_down = false;
            }
          else
            pen_down = false;
        }
      else if (i + 1 >= n || !isfinite (xs[i + 1]) || !isfinite (ys[i + 1]))
        {
          /* An isolated point between gaps: a dot, so it is not lost. */
          if (x >= slack.x && x <= slack.x + slack.w && y >= slack.y
              && y <= slack.y + slack.h)
            {
              cairo_move_to (cr, x, y);
              cairo_line_to (cr, x, y);
            }
        }
      px = x;
      py = y;
    }
}

/* Clips a polygon to @r (Sutherland-Hodgman, one edge at a time). */
static size_t
clip_polygon_edge (const double *in, size_t n, double *out, int edge, double v)
{
  size_t m = 0;

  for (size_t i = 0; i < n; i++)
    {
      const double *a = &in[2 * i], *b = &in[2 * ((i + 1) % n)];
      int axis = edge / 2;
      bool keep_lo = edge % 2 == 0;  /* keep >= v, else <= v */
      bool ain = keep_lo ? a[axis] >= v : a[axis] <= v;
      bool bin = keep_lo ? b[axis] >= v : b[axis] <= v;

      if (ain)
        {
          out[2 * m] = a[0];
          out[2 * m + 1] = a[1];
          m++;
        }
      if (ain != bin)
        {
          double t = (v - a[axis]) / (b[axis] - a[axis]);

          out[2 * m] = a[0] + t * (b[0] - a[0]);
          out[2 * m + 1] = a[1] + t * (b[1] - a[1]);
          m++;
        }
    }
  return m;
}

/* Fills one run [i0, i1) of a band. */
static void
band_run (Ctx *ctx, const SwPlotLayout *l, const SwPlotItem *it, size_t i0, size_t i1)
{
  size_t n = 2 * (i1 - i0);
  double *a = malloc (2 * (2 * n + 8) * sizeof *a);
  double *b = malloc (2 * (2 * n + 8) * sizeof *b);
  double bounds[4] = { l->x - CLIP_SLACK, l->x + l->w + CLIP_SLACK,
                       l->y - CLIP_SLACK, l->y + l->h + CLIP_SLACK };
  size_t m = 0;

  if (a == NULL || b == NULL)
    goto out;
  for (size_t i = i0; i < i1; i++)
    {
      a[2 * m] = sw_plot_layout_x (l, it->x[i]);
      a[2 * m + 1] = sw_plot_layout_y (l, it->y[i]);
      m++;
    }
  for (size_t i = i1; i-- > i0;)
    {
      a[2 * m] = sw_plot_layout_x (l, it->x[i]);
      a[2 * m + 1] = sw_plot_layout_y (l, it->y2[i]);
      m++;
    }
  for (int edge = 0; edge < 4 && m > 0; edge++)
    {
      double *tmp;

      m = clip_polygon_edge (a, m, b, edge, bounds[edge]);
      tmp = a;
      a = b;
      b = tmp;
    }
  if (m >= 3)
    {
      cairo_move_to (ctx->cr, a[0], a[1]);
      for (size_t k = 1; k < m; k++)
        cairo_line_to (ctx->cr, a[2 * k], a[2 * k + 1]);
      cairo_close_path (ctx->cr);
    }
out:
  free (a);
  free (b);
}

static void
draw_band (Ctx *ctx, const SwPlotLayout *l, const SwPlotItem *it)
{
  size_t start = 0;

  cairo_new_path (ctx->cr);
  for (size_t i = 0; i <= it->n; i++)
    {
      bool ok = i < it->n && isfinite (sw_plot_layout_x (l, it->x[i]))
                && isfinite (sw_plot_layout_y (l, it->y[i]))
                && isfinite (sw_plot_layout_y (l, it->y2[i]));

      if (!ok)
        {
          if (i > start + 1)
            band_run (ctx, l, it, start, i);
          start = i + 1;
        }
    }
  set_colour (ctx->cr, with_alpha (item_colour (ctx, it), BAND_ALPHA));
  cairo_fill (ctx->cr);
}

static void
draw_line (Ctx *ctx, const SwPlotLayout *l, const SwPlotItem *it)
{
  cairo_t *cr = ctx->cr;
  double w = item_width (ctx, it);
  SwMarker marker = item_marker (it);

  cairo_new_path (cr);
  polyline_path (ctx, l, it->x, it->y, it->n);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  if (it->kind == ITEM_CONTOUR)
    {
      /* The halo keeps the line readable over any map colour. */
      SwRgba halo = ctx->th->background.a > 0.0 ? ctx->th->background
                                                : (SwRgba) { 1, 1, 1, 1 };
      cairo_set_dash (cr, NULL, 0, 0);
      set_colour (cr, with_alpha (halo, 0.85));
      cairo_set_line_width (cr, w * 2.6);
      cairo_stroke_preserve (cr);
    }
  set_colour (cr, item_colour (ctx, it));
  cairo_set_line_width (cr, w);
  set_dash (ctx, item_dash (ctx, it), w);
  if (item_dash (ctx, it) != SW_DASH_SOLID)
    cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  if (item_dash (ctx, it) == SW_DASH_DOTTED || item_dash (ctx, it) == SW_DASH_DASH_DOT)
    cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  if (marker != SW_MARKER_NONE && marker != SW_MARKER_AUTO)
    for (size_t i = 0; i < it->n; i++)
      {
        double x = sw_plot_layout_x (l, it->x[i]), y = sw_plot_layout_y (l, it->y[i]);

        if (isfinite (x) && isfinite (y))
          draw_marker (ctx, marker, x, y, item_marker_size (ctx, it),
                       it->style.open_marker, item_colour (ctx, it), ctx->th->background);
      }
}

static void
draw_points (Ctx *ctx, const SwPlotLayout *l, const SwPlotItem *it)
{
  double size = item_marker_size (ctx, it);
  SwMarker shape = item_marker (it);
  SwRgba colour = item_colour (ctx, it);
  SwRgba halo = with_alpha (ctx->th->background, 0.9);

  if (shape == SW_MARKER_NONE)
    shape = SW_MARKER_CIRCLE;
  for (size_t i = 0; i < it->n; i++)
    {
      double x = sw_plot_layout_x (l, it->x[i]), y = sw_plot_layout_y (l, it->y[i]);

      if (!isfinite (x) || !isfinite (y) || x < l->x - size || x > l->x + l->w + size
          || y < l->y - size || y > l->y + l->h + size)
        continue;
      draw_marker (ctx, shape, x, y, size, it->style.open_marker, colour, halo);
    }
}

/* Spike marks: as large as the theme's markers where rows are far apart,
 * shrinking with the row pitch down to a legible minimum; shapes are drawn
 * without halos so that dense rasters stay light. */
static void
draw_raster (Ctx *ctx, const SwPlotLayout *l, const SwPlotItem *it)
{
  cairo_t *cr = ctx->cr;
  double rows = fabs (l->yhi - l->ylo);
  double pitch = rows > 0 ? l->h / rows : l->h;
  double size = fmin (item_marker_size (ctx, it) * 0.8, fmax (3.0 * ctx->s, pitch * 0.9));
  SwMarker shape = item_marker (it);
  bool open = it->style.open_marker;

  if (shape == SW_MARKER_NONE)
    shape = SW_MARKER_CIRCLE;
  set_colour (cr, item_colour (ctx, it));
  cairo_new_path (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  for (size_t i = 0; i < it->n; i++)
    {
      double x = sw_plot_layout_x (l, it->x[i]), y = sw_plot_layout_y (l, it->y[i]);

      if (!isfinite (x) || !isfinite (y) || x < l->x - size || x > l->x + l->w + size
          || y < l->y - size || y > l->y + l->h + size)
        continue;
      if (shape == SW_MARKER_TICK)
        {
          /* A tick spans most of its row, so synchronous spikes line up
           * into columns, as on classic rasters. */
          double h = fmax (size * 1.8, fmin (pitch * 0.85, ctx->fs * 1.2));
          double w = fmax (1.0 * ctx->s, ctx->th->line_width * ctx->s * 0.7);

          cairo_rectangle (cr, x - w / 2, y - h / 2, w, h);
        }
      else if (!marker_path (cr, shape, x, y, size) || open)
        {
          cairo_set_line_width (cr, fmax (0.9 * ctx->s, size * 0.2));
          cairo_stroke (cr);
        }
      /* Fill in batches: one path per few thousand marks keeps memory and
       * vector output small. */
      if (i % 2048 == 2047)
        cairo_fill (cr);
    }
  cairo_fill (cr);
}

/* A crosshair with its label; the label box is kept inside @plot. */
static void
draw_crosshair (Ctx *ctx, const SwPlotLayout *l, const SwPlotItem *it)
{
  cairo_t *cr = ctx->cr;
  double x = sw_plot_layout_x (l, it->x[0]), y = sw_plot_layout_y (l, it->y[0]);
  double dash[] = { 4 * ctx->s, 3 * ctx->s };
  double r = ctx->fs * 0.45;
  SwRgba halo = ctx->th->background.a > 0.0 ? ctx->th->background : (SwRgba) { 1, 1, 1, 1 };

  if (!isfinite (x) || !isfinite (y))
    return;
  if (x >= l->x && x <= l->x + l->w)
    {
      cairo_move_to (cr, x, l->y);
      cairo_line_to (cr, x, l->y + l->h);
    }
  if (y >= l->y && y <= l->y + l->h)
    {
      cairo_move_to (cr, l->x, y);
      cairo_line_to (cr, l->x + l->w, y);
    }
  set_colour (cr, with_alpha (ctx->th->foreground, 0.6));
  cairo_set_line_width (cr, ctx->th->axis_width * ctx->s);
  cairo_set_dash (cr, dash, 2, 0);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  if (x < l->x || x > l->x + l->w || y < l->y || y > l->y + l->h)
    return;
  cairo_new_sub_path (cr);
  cairo_arc (cr, x, y, r, 0, 2 * M_PI);
  set_colour (cr, halo);
  cairo_set_line_width (cr, 4.2 * ctx->s);
  cairo_stroke_preserve (cr);
  set_colour (cr, ctx->th->foreground);
  cairo_set_line_width (cr, 2.0 * ctx->s);
  cairo_stroke (cr);

  if (it->label != NULL)
    {
      char text[256];
      double tw, bw, bh, bx, by;

      set_font (ctx, ctx->fs, false);
      fit_text (ctx, it->label, fmax (ctx->fs, l->w - 2 * ctx->pad), text, sizeof text);
      tw = advance (ctx, text);
      bw = tw + ctx->fs * 0.7;
      bh = ctx->fs * 1.5;
      /* Upper right of the point, flipped where it would leave the plot. */
      bx = x + r + ctx->fs * 0.3;
      by = y - r - ctx->fs * 0.3 - bh;
      if (bx + bw > l->x + l->w)
        bx = x - r - ctx->fs * 0.3 - bw;
      if (by < l->y)
        by = y + r + ctx->fs * 0.3;
      bx = fmax (l->x, fmin (bx, l->x + l->w - bw));
      by = fmax (l->y, fmin (by, l->y + l->h - bh));
      cairo_rectangle (cr, bx, by, bw, bh);
      set_colour (cr, ctx->th->legend_background);
      cairo_fill_preserve (cr);
      set_colour (cr, with_alpha (ctx->th->foreground, 0.35));
      cairo_set_line_width (cr, 0.8 * ctx->s);
      cairo_stroke (cr);
      set_colour (cr, ctx->th->foreground);
      cairo_move_to (cr, bx + ctx->fs * 0.35, by + bh / 2 + ctx->cap / 2);
      cairo_show_text (cr, text);
    }
}

/* Appends "×10ⁿ" in Unicode superscripts to @out. */
static void
append_power (char *out, size_t size, int e)
{
  static const char *const sup[10] = {
    "\xe2\x81\xb0", "\xc2\xb9", "\xc2\xb2", "\xc2\xb3", "\xe2\x81\xb4",
    "\xe2\x81\xb5", "\xe2\x81\xb6", "\xe2\x81\xb7", "\xe2\x81\xb8", "\xe2\x81\xb9",
  };
  char digits[16];
  size_t len = strlen (out);

  snprintf (digits, sizeof digits, "%d", e < 0 ? -e : e);
  len += snprintf (out + len, len < size ? size - len : 0, "\xc3\x97" "10%s",
                   e < 0 ? "\xe2\x81\xbb" : "");
  for (const char *d = digits; *d && len < size; d++)
    len += snprintf (out + len, size - len, "%s", sup[*d - '0']);
}

/* The axis title, with the power of ten shared by the tick labels put
 * before the unit: "Current (×10⁻⁵ A)". */
static void
axis_title_scaled (const char *label, const char *unit, int e, char *out, size_t size)
{
  char factor[64] = "";
  char combined[192];

  if (e == 0)
    {
      axis_title (label, unit, out, size);
      return;
    }
  append_power (factor, sizeof factor, e);
  if (unit != NULL)
    snprintf (combined, sizeof combined, "%s %s", factor, unit);
  else
    snprintf (combined, sizeof combined, "%s", factor);
  axis_title (label, combined, out, size);
}

/* --- maps and the colour bar -------------------------------------------- */

static void
colour_limits (const SwPanel *p, double *lo, double *hi, bool *has_nan)
{
  double a = INFINITY, b = -INFINITY;

  *has_nan = false;
  for (size_t k = 0; k < p->map.nx * p->map.ny; k++)
    {
      double v = p->map.values[k];

      if (isnan (v))
        *has_nan = true;
      else if (isfinite (v))
        {
          a = fmin (a, v);
          b = fmax (b, v);
        }
    }
  if (!(a <= b))
    {
      a = 0.0;
      b = 1.0;
    }
  if (isfinite (p->clo))
    a = p->clo;
  if (isfinite (p->chi))
    b = p->chi;
  if (!(b > a))
    {
      double m = fmax (fabs (a) * 0.1, 0.5);

      a -= m;
      b += m;
    }
  *lo = a;
  *hi = b;
}

static SwRgba
cell_colour (const Ctx *ctx, const SwPlotGrid *map, size_t k, double clo, double chi)
{
  if (map->categorical)
    {
      int c = map->classes[k];

      if (c < 0 || (size_t) c >= map->n_classes)
        return ctx->th->nan_colour;
      return map->colours[c];
    }
  if (isnan (map->values[k]))
    return ctx->th->nan_colour;
  return sw_colormap_eval (map->colormap, (map->values[k] - clo) / (chi - clo));
}

static uint32_t
pack_argb (SwRgba c)
{
  /* Opaque cells: no premultiplication needed. */
  uint32_t r = (uint32_t) lround (fmin (1.0, fmax (0.0, c.r)) * 255.0);
  uint32_t g = (uint32_t) lround (fmin (1.0, fmax (0.0, c.g)) * 255.0);
  uint32_t b = (uint32_t) lround (fmin (1.0, fmax (0.0, c.b)) * 255.0);

  return 0xff000000u | r << 16 | g << 8 | b;
}

/* Sides of the image a map is drawn from: larger grids are sampled down
 * (nearest cell), which no screen or page could show anyway. */
#define MAP_IMAGE_MAX 4096

/* Draws the map as one image scaled onto the plot (nearest-neighbour while
 * cells are at least a pixel wide); on log axes, where cells are not
 * evenly spaced on screen, as one rectangle per cell. */
static void
draw_map (Ctx *ctx, const SwPanel *p, double clo, double chi)
{
  cairo_t *cr = ctx->cr;
  const SwPlotGrid *m = &p->map;
  const SwPlotLayout *l = &p->layout;
  double xa = sw_plot_layout_x (l, m->x0), xb = sw_plot_layout_x (l, m->x1);
  double ya = sw_plot_layout_y (l, m->y0), yb = sw_plot_layout_y (l, m->y1);
  size_t iw = m->nx < MAP_IMAGE_MAX ? m->nx : MAP_IMAGE_MAX;
  size_t ih = m->ny < MAP_IMAGE_MAX ? m->ny : MAP_IMAGE_MAX;
  cairo_surface_t *img = NULL;

  if (!isfinite (xa) || !isfinite (xb) || !isfinite (ya) || !isfinite (yb))
    return;
  if (!l->xlog && !l->ylog)
    {
      img = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) iw, (int) ih);
      if (cairo_surface_status (img) != CAIRO_STATUS_SUCCESS)
        {
          cairo_surface_destroy (img);
          return;
        }
    }
  if (img != NULL)
    {
      unsigned char *data = cairo_image_surface_get_data (img);
      int stride = cairo_image_surface_get_stride (img);
      cairo_pattern_t *pat;
      cairo_matrix_t mat;
      double cw = fabs (xb - xa) / iw, ch = fabs (yb - ya) / ih;

      cairo_surface_flush (img);
      for (size_t b = 0; b < ih; b++)
        {
          /* Image row 0 is the top: the last data row. */
          uint32_t *row = (uint32_t *) (data + (ih - 1 - b) * (size_t) stride);
          size_t j = b * m->ny / ih;

          for (size_t a = 0; a < iw; a++)
            row[a] = pack_argb (cell_colour (ctx, m, j * m->nx + a * m->nx / iw, clo, chi));
        }
      cairo_surface_mark_dirty (img);
      pat = cairo_pattern_create_for_surface (img);
      /* Pattern space is image pixels; map the map's rectangle onto it. */
      cairo_matrix_init_scale (&mat, iw / (xb - xa), ih / (ya - yb));
      cairo_matrix_translate (&mat, -xa, -yb);
      cairo_pattern_set_matrix (pat, &mat);
      cairo_pattern_set_filter (pat, cw >= 1.0 && ch >= 1.0 ? CAIRO_FILTER_NEAREST
                                                            : CAIRO_FILTER_GOOD);
      cairo_pattern_set_extend (pat, CAIRO_EXTEND_PAD);
      cairo_rectangle (cr, fmin (xa, xb), fmin (ya, yb), fabs (xb - xa), fabs (yb - ya));
      cairo_set_source (cr, pat);
      cairo_fill (cr);
      cairo_pattern_destroy (pat);
      cairo_surface_destroy (img);
      return;
    }

  /* Log axes: a rectangle per cell (sampled down like the image). */
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  for (size_t b = 0; b < ih; b++)
    for (size_t a = 0; a < iw; a++)
      {
        double x0 = sw_plot_layout_x (l, m->x0 + (m->x1 - m->x0) * a / iw);
        double x1 = sw_plot_layout_x (l, m->x0 + (m->x1 - m->x0) * (a + 1) / iw);
        double y0 = sw_plot_layout_y (l, m->y0 + (m->y1 - m->y0) * b / ih);
        double y1 = sw_plot_layout_y (l, m->y0 + (m->y1 - m->y0) * (b + 1) / ih);
        size_t k = (b * m->ny / ih) * m->nx + a * m->nx / iw;

        if (!isfinite (x0) || !isfinite (x1) || !isfinite (y0) || !isfinite (y1))
          continue;
        cairo_rectangle (cr, fmin (x0, x1), fmin (y0, y1), fabs (x1 - x0), fabs (y1 - y0));
        set_colour (cr, cell_colour (ctx, m, k, clo, chi));
        cairo_fill (cr);
      }
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_DEFAULT);
}

typedef struct
{
  bool present;
  double lo, hi;
  bool has_nan;
  AxisPlan axis;
  double width;      /* the whole bar block: gap, bar, ticks, labels, title */
  double label_w;    /* widest tick label */
  double reserve;    /* height kept free under the bar (for a legend) */
  char title[256];
} ColourBar;

static double
nan_swatch_height (const Ctx *ctx)
{
  return ctx->fs * 1.1;
}

/* Plans the colour bar beside a plot @bar_h high, keeping @reserve free
 * at the bottom of its column. */
static void
colourbar_plan (Ctx *ctx, const SwPanel *p, double bar_h, double reserve, ColourBar *cb)
{
  memset (cb, 0, sizeof *cb);
  if (!p->map.present || p->map.categorical)
    return;
  cb->present = true;
  cb->reserve = reserve;
  bar_h -= reserve;
  colour_limits (p, &cb->lo, &cb->hi, &cb->has_nan);
  cb->axis.lo = cb->lo;
  cb->axis.hi = cb->hi;
  if (cb->has_nan)
    bar_h -= nan_swatch_height (ctx) + ctx->fs * 0.8;
  choose_ticks (ctx, &cb->axis, fmax (bar_h, ctx->fs), false);
  cb->label_w = max_label_width (ctx, &cb->axis.ticks);
  if (cb->has_nan)
    {
      set_font (ctx, ctx->fs, false);
      cb->label_w = fmax (cb->label_w, advance (ctx, "no data"));
    }
  axis_title_scaled (p->map.label, p->map.unit, sw_ticks_shared_exponent (&cb->axis.ticks),
                     cb->title, sizeof cb->title);
  cb->width = CBAR_GAP_EM * ctx->fs + CBAR_WIDTH_EM * ctx->fs + ctx->tick
              + ctx->pad * 0.5 + cb->label_w
              + (cb->title[0] ? ctx->pad + ctx->fs * 1.2 : 0.0);
}

static void
colourbar_draw (Ctx *ctx, const SwPanel *p, const ColourBar *cb, const Rect *plot)
{
  cairo_t *cr = ctx->cr;
  double bx = plot->x + plot->w + CBAR_GAP_EM * ctx->fs;
  double bw = CBAR_WIDTH_EM * ctx->fs;
  double by = plot->y;
  double bh = plot->h;
  double lx;
  cairo_pattern_t *grad;

  bh -= cb->reserve;
  if (cb->has_nan)
    bh -= nan_swatch_height (ctx) + ctx->fs * 0.8;
  if (bh < ctx->fs)
    return;
  /* 64 stops: the gradient between them is linear in sRGB, within a few
   * thousandths of the map. */
  grad = cairo_pattern_create_linear (0, by + bh, 0, by);
  for (int k = 0; k <= 64; k++)
    {
      SwRgba c = sw_colormap_eval (p->map.colormap, k / 64.0);

      cairo_pattern_add_color_stop_rgb (grad, k / 64.0, c.r, c.g, c.b);
    }
  cairo_rectangle (cr, bx, by, bw, bh);
  cairo_set_source (cr, grad);
  cairo_fill_preserve (cr);
  cairo_pattern_destroy (grad);
  set_colour (cr, ctx->th->foreground);
  cairo_set_line_width (cr, ctx->th->axis_width * ctx->s);
  cairo_stroke (cr);

  lx = bx + bw + ctx->tick + ctx->pad * 0.5;
  for (size_t i = 0; i < cb->axis.ticks.n; i++)
    {
      double y = by + bh - frac (cb->axis.ticks.values[i], cb->lo, cb->hi, false) * bh;
      char buf[64];

      cairo_move_to (cr, bx + bw, y);
      cairo_line_to (cr, bx + bw + ctx->tick, y);
      cairo_stroke (cr);
      sw_ticks_format (&cb->axis.ticks, i, buf, sizeof buf);
      rich_show (ctx, buf, lx, y + ctx->cap / 2, ctx->fs);
    }
  if (cb->has_nan)
    {
      double sy = by + bh + ctx->fs * 0.8;
      double sh = nan_swatch_height (ctx);

      cairo_rectangle (cr, bx, sy, bw, sh);
      set_colour (cr, ctx->th->nan_colour);
      cairo_fill_preserve (cr);
      set_colour (cr, ctx->th->foreground);
      cairo_stroke (cr);
      set_font (ctx, ctx->fs, false);
      cairo_move_to (cr, lx, sy + sh / 2 + ctx->cap / 2);
      cairo_show_text (cr, "no data");
    }
  if (cb->title[0])
    {
      char text[256];
      double tw;

      set_font (ctx, ctx->fs, false);
      fit_text (ctx, cb->title, plot->h - cb->reserve, text, sizeof text);
      tw = advance (ctx, text);
      cairo_save (cr);
      /* Reads bottom to top, centred on the bar and its swatch. */
      cairo_translate (cr, lx + cb->label_w + ctx->pad + ctx->ascent,
                       plot->y + (plot->h - cb->reserve) / 2);
      cairo_rotate (cr, -M_PI / 2);
      cairo_move_to (cr, -tw / 2, 0);
      cairo_show_text (cr, text);
      cairo_restore (cr);
    }
}

/* --- axes --------------------------------------------------------------- */

static bool
panel_grid (const Ctx *ctx, const SwPanel *p)
{
  if (p->map.present)
    return false;
  if (p->grid >= 0)
    return p->grid == 1;
  return ctx->th->grid;
}

/* Minor ticks of a log axis: every integer mantissa not already a major
 * tick, when labelled decades are consecutive. */
static size_t
log_minor (const AxisPlan *a, double *out, size_t max)
{
  size_t n = 0;

  if (!a->log || a->ticks.per_decade == 0 || a->ticks.decade_stride > 1)
    return 0;
  for (int e = (int) floor (log10 (a->lo)); e <= (int) ceil (log10 (a->hi)); e++)
    for (int m = 2; m <= 9; m++)
      {
        double v = m * pow (10.0, e);
        bool major = false;

        if (v < a->lo || v > a->hi)
          continue;
        for (size_t i = 0; i < a->ticks.n; i++)
          if (fabs (a->ticks.values[i] - v) <= 1e-9 * v)
            major = true;
        if (!major && n < max)
          out[n++] = v;
      }
  return n;
}

static void
draw_grid_lines (Ctx *ctx, const Rect *plot, const AxisPlan *xa, const AxisPlan *ya)
{
  cairo_t *cr = ctx->cr;

  for (size_t i = 0; i < xa->ticks.n; i++)
    {
      double x = plot->x + frac (xa->ticks.values[i], xa->lo, xa->hi, xa->log) * plot->w;

      cairo_move_to (cr, x, plot->y);
      cairo_line_to (cr, x, plot->y + plot->h);
    }
  for (size_t i = 0; i < ya->ticks.n; i++)
    {
      double y = plot->y + plot->h - frac (ya->ticks.values[i], ya->lo, ya->hi, ya->log) * plot->h;

      cairo_move_to (cr, plot->x, y);
      cairo_line_to (cr, plot->x + plot->w, y);
    }
  set_colour (cr, ctx->th->grid_colour);
  cairo_set_line_width (cr, ctx->th->axis_width * ctx->s * 0.8);
  cairo_set_dash (cr, NULL, 0, 0);
  cairo_stroke (cr);
}

static void
draw_axes (Ctx *ctx, const SwPanel *p, const Rect *plot, const AxisPlan *xa,
           const AxisPlan *ya)
{
  cairo_t *cr = ctx->cr;
  double aw = ctx->th->axis_width * ctx->s;
  double minor[128];
  size_t n_minor;

  set_colour (cr, ctx->th->foreground);
  cairo_set_line_width (cr, aw);
  cairo_set_dash (cr, NULL, 0, 0);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_SQUARE);
  if (p->map.present)
    cairo_rectangle (cr, plot->x, plot->y, plot->w, plot->h);
  else
    {
      /* Open axes: left and bottom only, so the data has room to breathe. */
      cairo_move_to (cr, plot->x, plot->y);
      cairo_line_to (cr, plot->x, plot->y + plot->h);
      cairo_line_to (cr, plot->x + plot->w, plot->y + plot->h);
    }
  cairo_stroke (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);

  /* Major ticks, outward. */
  for (size_t i = 0; i < xa->ticks.n; i++)
    {
      double x = plot->x + frac (xa->ticks.values[i], xa->lo, xa->hi, xa->log) * plot->w;

      cairo_move_to (cr, x, plot->y + plot->h);
      cairo_line_to (cr, x, plot->y + plot->h + ctx->tick);
    }
  for (size_t i = 0; i < ya->ticks.n; i++)
    {
      double y = plot->y + plot->h - frac (ya->ticks.values[i], ya->lo, ya->hi, ya->log) * plot->h;

      cairo_move_to (cr, plot->x, y);
      cairo_line_to (cr, plot->x - ctx->tick, y);
    }
  cairo_stroke (cr);

  /* Minor ticks on log axes, shorter and thinner. */
  n_minor = log_minor (xa, minor, 128);
  for (size_t i = 0; i < n_minor; i++)
    {
      double x = plot->x + frac (minor[i], xa->lo, xa->hi, true) * plot->w;

      cairo_move_to (cr, x, plot->y + plot->h);
      cairo_line_to (cr, x, plot->y + plot->h + ctx->tick * 0.55);
    }
  n_minor = log_minor (ya, minor, 128);
  for (size_t i = 0; i < n_minor; i++)
    {
      double y = plot->y + plot->h - frac (minor[i], ya->lo, ya->hi, true) * plot->h;

      cairo_move_to (cr, plot->x, y);
      cairo_line_to (cr, plot->x - ctx->tick * 0.55, y);
    }
  cairo_set_line_width (cr, aw * 0.75);
  cairo_stroke (cr);

  /* Tick labels. */
  set_colour (cr, ctx->th->foreground);
  for (size_t i = 0; i < xa->ticks.n; i++)
    {
      double x = plot->x + frac (xa->ticks.values[i], xa->lo, xa->hi, xa->log) * plot->w;
      double base = plot->y + plot->h + ctx->tick + ctx->pad * 0.5 + ctx->cap;
      char buf[64];

      sw_ticks_format (&xa->ticks, i, buf, sizeof buf);
      if (strchr (buf, '^') != NULL)
        base += ctx->fs * SUP_RISE * 0.8;
      rich_show (ctx, buf, x - rich_width (ctx, buf, ctx->fs) / 2, base, ctx->fs);
    }
  for (size_t i = 0; i < ya->ticks.n; i++)
    {
      double y = plot->y + plot->h - frac (ya->ticks.values[i], ya->lo, ya->hi, ya->log) * plot->h;
      char buf[64];
      double w;

      sw_ticks_format (&ya->ticks, i, buf, sizeof buf);
      w = rich_width (ctx, buf, ctx->fs);
      rich_show (ctx, buf, plot->x - ctx->tick - ctx->pad * 0.5 - w, y + ctx->cap / 2, ctx->fs);
    }
}

/* --- one panel ---------------------------------------------------------- */

/* Margins of a panel's plot area within its cell; panels in one row share
 * top and bottom, panels in one column left and right, so that their axes
 * line up. */
typedef struct
{
  double top, bottom, left, right;
} Margins;

/* Everything decided about a panel before drawing it. */
typedef struct
{
  bool ok;               /* false: the cell is too small for a plot */
  AxisPlan xa, ya;
  Margins mg;
  Legend lg;
  ColourBar cb;
  Rect plot;
  SwLegendPosition where;
  double x_tick_h;       /* height of the x tick-label row */
  double y_label_w;      /* widest y tick label */
  bool legend_below;     /* an outside legend under the colour bar */
  char xtitle[256], ytitle[256];
} PanelPlan;

static void
panel_plan (Ctx *ctx, SwPanel *p, Rect cell, const Margins *least, PanelPlan *pl)
{
  double legend_out_w = 0.0;
  bool x_title_row;

  memset (pl, 0, sizeof *pl);
  pl->where = SW_LEGEND_NONE;
  p->layout.valid = false;
  panel_limits (p, &pl->xa, &pl->ya);
  legend_build (ctx, p, &pl->lg);

  /* Vertical margins.  The x tick row holds digits and, with powers of
   * ten, raised exponents; whether it will is found from a first choice
   * of x ticks on an estimated width (the final width comes later). */
  choose_ticks (ctx, &pl->xa, cell.w * 0.75, true);
  pl->x_tick_h = ctx->cap + ctx->descent
                 + (ticks_have_exponent (&pl->xa.ticks) ? ctx->fs * SUP_RISE : 0.0);
  axis_title (p->xaxis.label, p->xaxis.unit, pl->xtitle, sizeof pl->xtitle);
  pl->mg.top = ctx->pad + (p->title != NULL ? ctx->tfs * 1.25 + ctx->pad * 0.5 : ctx->cap * 0.6);
  /* A row for the x title, which also carries a shared power of ten. */
  x_title_row = pl->xtitle[0] || sw_ticks_shared_exponent (&pl->xa.ticks) != 0;
  pl->mg.bottom = ctx->tick + ctx->pad * 0.5 + pl->x_tick_h
                  + (x_title_row ? ctx->pad * 0.6 + ctx->ascent + ctx->descent : 0.0)
                  + ctx->pad;
  if (least != NULL)
    {
      pl->mg.top = fmax (pl->mg.top, least->top);
      pl->mg.bottom = fmax (pl->mg.bottom, least->bottom);
    }
  pl->plot.y = cell.y + pl->mg.top;
  pl->plot.h = cell.h - pl->mg.top - pl->mg.bottom;
  if (pl->plot.h < ctx->fs * 2)
    return;

  /* Y ticks from the height, then the left margin their labels need. */
  choose_ticks (ctx, &pl->ya, pl->plot.h, false);
  axis_title_scaled (p->yaxis.label, p->yaxis.unit, sw_ticks_shared_exponent (&pl->ya.ticks),
                     pl->ytitle, sizeof pl->ytitle);
  pl->y_label_w = max_label_width (ctx, &pl->ya.ticks);
  pl->mg.left = ctx->pad + (pl->ytitle[0] ? ctx->ascent + ctx->descent + ctx->pad * 0.6 : 0.0)
                + pl->y_label_w + ctx->pad * 0.5 + ctx->tick;
  if (least != NULL)
    pl->mg.left = fmax (pl->mg.left, least->left);
  colourbar_plan (ctx, p, pl->plot.h, 0.0, &pl->cb);

  /* Right margin and x ticks; the legend may move outside, which narrows
   * the plot, so the width is settled in at most two rounds. */
  for (int round = 0; round < 2; round++)
    {
      double right = ctx->pad + (pl->cb.present ? pl->cb.width : 0.0)
                     + (legend_out_w > 0.0 ? legend_out_w + ctx->pad : 0.0);

      if (pl->legend_below)
        right = ctx->pad + fmax (pl->cb.width, CBAR_GAP_EM * ctx->fs - ctx->pad + pl->lg.w);

      if (least != NULL)
        right = fmax (right, least->right);
      for (int pass = 0; pass < 2; pass++)
        {
          pl->plot.x = cell.x + pl->mg.left;
          pl->plot.w = cell.w - pl->mg.left - right;
          if (pl->plot.w < ctx->fs * 2)
            return;
          choose_ticks (ctx, &pl->xa, pl->plot.w, true);
          /* The last x label may stick out past the plot's right edge
           * (into the margin, never past the cell). */
          if (pass == 0 && pl->xa.ticks.n > 0)
            {
              char buf[64];
              const SwTicks *t = &pl->xa.ticks;
              double x_last, half, excess;

              sw_ticks_format (t, t->n - 1, buf, sizeof buf);
              half = rich_width (ctx, buf, ctx->fs) / 2;
              x_last = frac (t->values[t->n - 1], pl->xa.lo, pl->xa.hi, pl->xa.log) * pl->plot.w;
              excess = x_last + half - (pl->plot.w + right - ctx->pad * 0.5);
              if (excess > 0.0)
                {
                  right += excess;
                  continue;
                }
            }
          break;
        }
      pl->mg.right = right;
      p->layout = (SwPlotLayout) { true, pl->plot.x, pl->plot.y, pl->plot.w, pl->plot.h,
                                   pl->xa.lo, pl->xa.hi, pl->ya.lo, pl->ya.hi,
                                   pl->xa.log, pl->ya.log };
      if (pl->lg.n == 0 || round == 1)
        break;
      pl->where = p->legend;
      if (pl->where == SW_LEGEND_AUTO)
        pl->where = legend_choose (p, ctx, &pl->plot, &pl->lg);
      if (pl->where != SW_LEGEND_OUTSIDE)
        break;
      /* Beside a colour bar, the legend goes under it when the bar keeps
       * a useful height; otherwise it takes a column of its own. */
      if (pl->cb.present)
        {
          double reserve = pl->lg.h + ctx->fs * 0.8;
          double left = pl->plot.h - reserve
                        - (pl->cb.has_nan ? nan_swatch_height (ctx) + ctx->fs * 0.8 : 0.0);

          if (left >= 6.0 * ctx->fs)
            {
              colourbar_plan (ctx, p, pl->plot.h, reserve, &pl->cb);
              pl->legend_below = true;
              continue;
            }
        }
      legend_out_w = pl->lg.w;
    }
  axis_title_scaled (p->xaxis.label, p->xaxis.unit, sw_ticks_shared_exponent (&pl->xa.ticks),
                     pl->xtitle, sizeof pl->xtitle);
  pl->ok = true;
}

static void
panel_render (Ctx *ctx, SwPanel *p, Rect cell, const PanelPlan *pl)
{
  cairo_t *cr = ctx->cr;
  const Rect *plot = &pl->plot;

  /* Grid, data (clipped to the plot area), axes. */
  if (panel_grid (ctx, p))
    draw_grid_lines (ctx, plot, &pl->xa, &pl->ya);
  cairo_save (cr);
  cairo_rectangle (cr, plot->x, plot->y, plot->w, plot->h);
  cairo_clip (cr);
  if (p->map.present)
    draw_map (ctx, p, pl->cb.lo, pl->cb.hi);
  for (size_t k = 0; k < p->n_items; k++)
    if (p->items[k].kind == ITEM_BAND)
      draw_band (ctx, &p->layout, &p->items[k]);
  for (size_t k = 0; k < p->n_items; k++)
    {
      const SwPlotItem *it = &p->items[k];

      switch (it->kind)
        {
        case ITEM_LINE:
          draw_line (ctx, &p->layout, it);
          break;
        case ITEM_POINTS:
          draw_points (ctx, &p->layout, it);
          break;
        case ITEM_RASTER:
          draw_raster (ctx, &p->layout, it);
          break;
        case ITEM_BAND:
        case ITEM_CONTOUR:
        case ITEM_MARKER:
        default:
          break;
        }
    }
  /* Contours and crosshairs go over everything else. */
  for (size_t k = 0; k < p->n_items; k++)
    if (p->items[k].kind == ITEM_CONTOUR)
      draw_line (ctx, &p->layout, &p->items[k]);
  for (size_t k = 0; k < p->n_items; k++)
    if (p->items[k].kind == ITEM_MARKER)
      draw_crosshair (ctx, &p->layout, &p->items[k]);
  cairo_restore (cr);

  draw_axes (ctx, p, plot, &pl->xa, &pl->ya);

  /* Axis titles, placed from the plot outwards so that aligned panels
   * keep them next to their own tick labels. */
  set_colour (cr, ctx->th->foreground);
  set_font (ctx, ctx->fs, false);
  if (pl->xtitle[0])
    {
      char text[256];
      double tw, x;

      fit_text (ctx, pl->xtitle, cell.w - 2 * ctx->pad, text, sizeof text);
      tw = advance (ctx, text);
      x = plot->x + plot->w / 2 - tw / 2;
      x = fmax (cell.x + ctx->pad, fmin (x, cell.x + cell.w - ctx->pad - tw));
      cairo_move_to (cr, x, plot->y + plot->h + ctx->tick + ctx->pad * 0.5 + pl->x_tick_h
                            + ctx->pad * 0.6 + ctx->ascent);
      cairo_show_text (cr, text);
    }
  if (pl->ytitle[0])
    {
      char text[256];
      double tw;

      fit_text (ctx, pl->ytitle, plot->h + pl->mg.top, text, sizeof text);
      tw = advance (ctx, text);
      cairo_save (cr);
      cairo_translate (cr, plot->x - ctx->tick - ctx->pad * 0.5 - pl->y_label_w
                           - ctx->pad * 0.6 - ctx->descent,
                       plot->y + plot->h / 2);
      cairo_rotate (cr, -M_PI / 2);
      cairo_move_to (cr, -tw / 2, 0);
      cairo_show_text (cr, text);
      cairo_restore (cr);
    }
  if (p->title != NULL)
    {
      char text[256];
      double tw, cx;

      set_font (ctx, ctx->tfs, true);
      fit_text (ctx, p->title, cell.w - 2 * ctx->pad, text, sizeof text);
      tw = advance (ctx, text);
      /* Centred on the plot, but never past the cell's edges. */
      cx = plot->x + plot->w / 2 - tw / 2;
      cx = fmax (cell.x + ctx->pad, fmin (cx, cell.x + cell.w - ctx->pad - tw));
      cairo_move_to (cr, cx, plot->y - ctx->pad * 0.5 - ctx->tfs * 0.3);
      cairo_show_text (cr, text);
    }

  if (pl->cb.present)
    colourbar_draw (ctx, p, &pl->cb, plot);

  if (pl->lg.n > 0 && pl->where != SW_LEGEND_NONE)
    {
      if (pl->where == SW_LEGEND_OUTSIDE)
        {
          /* The legend's own padding is the gap to what is left of it. */
          double lx = plot->x + plot->w + (pl->cb.present ? pl->cb.width : 0.0);
          double ly = plot->y;

          if (pl->legend_below)
            {
              /* Under the colour bar, its samples in line with the bar. */
              lx = plot->x + plot->w + CBAR_GAP_EM * ctx->fs - ctx->pad;
              ly = plot->y + plot->h - pl->lg.h + ctx->pad * 0.6;
            }
          legend_draw (ctx, &pl->lg, lx, ly, false);
        }
      else
        {
          Rect box = legend_box (ctx, plot, &pl->lg,
                                 pl->where == SW_LEGEND_AUTO ? SW_LEGEND_UPPER_RIGHT : pl->where);

          legend_draw (ctx, &pl->lg, box.x, box.y, true);
        }
    }
}

/* --- the figure --------------------------------------------------------- */

void
sw_figure_draw (SwFigure *fig, cairo_t *cr, double width, double height)
{
  Ctx ctx;
  cairo_font_options_t *fo;
  cairo_font_extents_t fe;
  cairo_text_extents_t te;
  double top = 0.0;

  if (fig == NULL || cr == NULL || !(width > 0.0) || !(height > 0.0))
    return;
  for (int i = 0; i < fig->rows * fig->cols; i++)
    fig->panels[i].layout.valid = false;

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  if (fig->theme.background.a > 0.0)
    {
      set_colour (cr, fig->theme.background);
      cairo_paint (cr);
    }

  /* Unhinted metrics: the same layout on every surface. */
  fo = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (fo, CAIRO_HINT_STYLE_NONE);
  cairo_set_font_options (cr, fo);
  cairo_font_options_destroy (fo);

  memset (&ctx, 0, sizeof ctx);
  ctx.cr = cr;
  ctx.th = &fig->theme;
  ctx.s = fig->theme.scale > 0.0 ? fig->theme.scale : 1.0;
  ctx.fs = fig->theme.font_size * ctx.s;
  ctx.tfs = ctx.fs * (fig->theme.title_scale > 0.0 ? fig->theme.title_scale : 1.0);
  ctx.pad = PAD_EM * ctx.fs;
  ctx.tick = TICK_EM * ctx.fs;
  set_font (&ctx, ctx.fs, false);
  cairo_font_extents (cr, &fe);
  cairo_text_extents (cr, "0", &te);
  ctx.cap = te.height;
  ctx.ascent = fe.ascent;
  ctx.descent = fe.descent;

  if (fig->title != NULL)
    {
      char text[256];
      double tw, size = ctx.tfs * 1.1;

      set_font (&ctx, size, true);
      fit_text (&ctx, fig->title, width - 2 * ctx.pad, text, sizeof text);
      tw = advance (&ctx, text);
      set_colour (cr, fig->theme.foreground);
      cairo_move_to (cr, (width - tw) / 2, ctx.pad + size * 0.95);
      cairo_show_text (cr, text);
      top = ctx.pad + size * 1.3;
    }

  {
    int n = fig->rows * fig->cols;
    PanelPlan *plans = calloc ((size_t) n, sizeof *plans);
    Margins *row_m = calloc ((size_t) fig->rows, sizeof *row_m);
    Margins *col_m = calloc ((size_t) fig->cols, sizeof *col_m);
    Rect cell;

    cell.w = width / fig->cols;
    cell.h = (height - top) / fig->rows;
    if (plans != NULL && row_m != NULL && col_m != NULL)
      {
        /* First pass: each panel's own margins; then the largest of each
         * row and column, which every panel in it takes in the second. */
        if (n > 1)
          {
            for (int i = 0; i < n; i++)
              {
                int r = i / fig->cols, c = i % fig->cols;
                PanelPlan *pl = &plans[i];

                cell.x = c * cell.w;
                cell.y = top + r * cell.h;
                panel_plan (&ctx, &fig->panels[i], cell, NULL, pl);
                if (pl->ok)
                  {
                    row_m[r].top = fmax (row_m[r].top, pl->mg.top);
                    row_m[r].bottom = fmax (row_m[r].bottom, pl->mg.bottom);
                    col_m[c].left = fmax (col_m[c].left, pl->mg.left);
                    col_m[c].right = fmax (col_m[c].right, pl->mg.right);
                  }
                free (pl->lg.entries);
              }
          }
        for (int i = 0; i < n; i++)
          {
            int r = i / fig->cols, c = i % fig->cols;
            Margins least = { row_m[r].top, row_m[r].bottom, col_m[c].left, col_m[c].right };

            cell.x = c * cell.w;
            cell.y = top + r * cell.h;
            panel_plan (&ctx, &fig->panels[i], cell, &least, &plans[i]);
            if (plans[i].ok)
              {
                cairo_save (cr);
                panel_render (&ctx, &fig->panels[i], cell, &plans[i]);
                cairo_restore (cr);
              }
            else
              fig->panels[i].layout.valid = false;
            free (plans[i].lg.entries);
          }
      }
    free (plans);
    free (row_m);
    free (col_m);
  }
  cairo_restore (cr);
}
