/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwMorphView (see sw-morph-view.h).  The layout is computed once per cell
 * in micrometres (y up); each cell then gets an equal slot of the widget
 * and its own scale, with a scale bar, because a 5-µm interneuron next to
 * a 2-mm pyramidal cell would otherwise be a dot.  Within its slot a cell
 * is fitted whole, at one scale for x and y, into what the time and the
 * key of the marks above, the scale bar and the label below and the colour
 * bar on the right leave free.
 */
#define G_LOG_DOMAIN "Spikeworks-Cells"

#include "config.h"

#include "sw-morph-view.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>
#include <math.h>

#include "sw-colormap.h"
#include "sw-swc-layout.h"

/* The default colour scale of the membrane voltage (mV). */
#define V_LO -90.0
#define V_HI 40.0
/* Drawn thickness limits (px): thin dendrites stay visible and clickable. */
#define MIN_WIDTH_PX 5.0
#define MAX_WIDTH_PX 70.0
#define COLOUR_BAR_SPACE 78.0
#define PICK_SLOP_PX 5.0
/* Margins of the fit (px): the time and the key of the marks take rows of
 * KEY_ROW_PX above the cells, the scale bar and the label BOTTOM_PX below,
 * and each slot keeps SIDE_PX free on either side. */
#define KEY_TOP_PX 8.0
#define KEY_ROW_PX 20.0
#define BOTTOM_PX 52.0
#define SIDE_PX 12.0
#define KEY_X0 110.0

typedef struct
{
  int node;
  double ax, ay, bx, by;  /* µm, y up */
  double d_um;
} Seg;

typedef struct
{
  SwCableCell *cell;
  char *label;
  GArray *segs;           /* Seg */
  int *seg_of_node;       /* node -> index in segs, -1 for junctions */
  int n_nodes;
  int v_offset;           /* first index in the voltage array */
  double x0, x1, y0, y1;  /* bounding box, µm */
  /* Placement of the last draw: widget = origin + scale * (x, -y). */
  double ox, oy, scale;
} Shown;

struct _SwMorphView
{
  GtkWidget parent_instance;

  GPtrArray *shown;       /* Shown */
  float *v;               /* every node of every shown cell; NaN unknown */
  int n_v;
  double time_ms;
  double v_lo, v_hi;      /* colour scale, mV */
  gint64 described_us;    /* when the accessible description was last set */
  int focus_cell, focus_node;  /* the keyboard's compartment; -1: none */
  int sel_cell, sel_node;      /* the selected clamp or synapse; -1: none */
  GArray *marks;          /* SwMorphMark */
  double last_w, last_h;
  int key_rows;           /* rows the time and the key of the marks took at the last draw */
};

G_DEFINE_FINAL_TYPE (SwMorphView, sw_morph_view, GTK_TYPE_WIDGET)

enum
{
  NODE_ACTIVATED,
  BACKGROUND_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
shown_free (gpointer data)
{
  Shown *s = data;

  sw_cable_cell_free (s->cell);
  g_free (s->label);
  g_array_unref (s->segs);
  g_free (s->seg_of_node);
  g_free (s);
}

/* ------------------------------------------------------------------ */
/* Layout                                                              */

/* Total length of section @sec and everything attached below it (µm). */
static double
subtree_length (const SwCableMorph *morph, int sec)
{
  double length, total;
  int n = sw_cable_morph_n_sections (morph);

  sw_cable_morph_section_info (morph, sec, NULL, NULL, &length, NULL, NULL);
  total = length;
  for (int c = sec + 1; c < n; c++)
    {
      int parent;
      sw_cable_morph_section_info (morph, c, &parent, NULL, NULL, NULL, NULL);
      if (parent == sec)
        total += subtree_length (morph, c);
    }
  return total;
}

static void
place_section (Shown *s, const SwCableMorph *morph, int sec, double px, double py, double angle,
               int depth)
{
  int n_sec = sw_cable_morph_n_sections (morph);
  double length, diam;
  int nseg;
  double dx = cos (angle), dy = sin (angle);

  sw_cable_morph_section_info (morph, sec, NULL, NULL, &length, &diam, &nseg);

  /* The compartments: the nodes of this section in order of x. */
  for (int node = 0; node < s->n_nodes; node++)
    {
      if (sw_cable_cell_node_section (s->cell, node) != sec
          || sw_cable_cell_node_area (s->cell, node) <= 0.0)
        continue;
      double x = sw_cable_cell_node_x (s->cell, node);
      double h = 0.5 / MAX (nseg, 1);
      double xa = CLAMP (x - h, 0.0, 1.0), xb = CLAMP (x + h, 0.0, 1.0);
      Seg seg = { node, px + dx * xa * length, py + dy * xa * length,
                  px + dx * xb * length, py + dy * xb * length, diam };
      s->seg_of_node[node] = (int) s->segs->len;
      g_array_append_val (s->segs, seg);
    }

  /* The children.  At the end: a child whose subtree is clearly the
   * largest continues straight (the apical trunk), the others leave at
   * alternating angles; children of similar size fan out evenly.  In the
   * middle: alternating sides.  At the start of the root: backwards, fanned
   * the same way. */
  for (int where = 0; where < 2; where++)
    {
      int kids[64], n_kids = 0;
      for (int c = sec + 1; c < n_sec && n_kids < 64; c++)
        {
          int parent;
          double x_att;
          sw_cable_morph_section_info (morph, c, &parent, &x_att, NULL, NULL, NULL);
          if (parent == sec && (where == 0 ? x_att >= 1.0 : x_att <= 0.0))
            kids[n_kids++] = c;
        }
      if (n_kids == 0)
        continue;
      double base = where == 0 ? angle : angle + G_PI;
      double ex = where == 0 ? px + dx * length : px, ey = where == 0 ? py + dy * length : py;
      int main_kid = -1;
      double best = -1, second = -1;
      for (int i = 0; i < n_kids; i++)
        {
          double l = subtree_length (morph, kids[i]);
          if (l > best)
            second = best, best = l, main_kid = i;
          else if (l > second)
            second = l;
        }
      if (n_kids == 1 || best > 1.5 * second)
        {
          int side = 0;
          for (int i = 0; i < n_kids; i++)
            {
              double a = base;
              if (i != main_kid)
                {
                  a = base + ((side % 2) ? -1.0 : 1.0) * (0.7 + 0.3 * (side / 2));
                  side++;
                }
              place_section (s, morph, kids[i], ex, ey, a, depth + 1);
            }
        }
      else
        {
          double fan = MIN (0.6, 1.6 / (n_kids - 1));
          for (int i = 0; i < n_kids; i++)
            place_section (s, morph, kids[i], ex, ey, base + (i - (n_kids - 1) / 2.0) * fan,
                           depth + 1);
        }
    }
  int n_mid = 0;
  for (int c = sec + 1; c < n_sec; c++)
    {
      int parent;
      double x_att;
      sw_cable_morph_section_info (morph, c, &parent, &x_att, NULL, NULL, NULL);
      if (parent != sec || x_att >= 1.0 || x_att <= 0.0)
        continue;
      double a = angle + ((n_mid % 2) ? -1.0 : 1.0) * 1.0;
      place_section (s, morph, c, px + dx * x_att * length, py + dy * x_att * length, a,
                     depth + 1);
      n_mid++;
    }
}

static void
compute_bounds (Shown *s)
{
  s->x0 = s->y0 = INFINITY;
  s->x1 = s->y1 = -INFINITY;
  for (guint i = 0; i < s->segs->len; i++)
    {
      const Seg *g = &g_array_index (s->segs, Seg, i);
      double r = g->d_um / 2;
      s->x0 = MIN (s->x0, MIN (g->ax, g->bx) - r);
      s->x1 = MAX (s->x1, MAX (g->ax, g->bx) + r);
      s->y0 = MIN (s->y0, MIN (g->ay, g->by) - r);
      s->y1 = MAX (s->y1, MAX (g->ay, g->by) + r);
    }
  if (s->segs->len == 0)
    s->x0 = s->y0 = -1, s->x1 = s->y1 = 1;
}

static Shown *
shown_new (const SwCableCell *cell, const char *label)
{
  Shown *s = g_new0 (Shown, 1);
  const SwCableMorph *morph;

  s->cell = sw_cable_cell_copy (cell);
  s->label = g_strdup (label ? label : "");
  s->segs = g_array_new (FALSE, FALSE, sizeof (Seg));
  s->n_nodes = sw_cable_cell_n_nodes (s->cell);
  s->seg_of_node = g_new (int, MAX (s->n_nodes, 1));
  for (int i = 0; i < s->n_nodes; i++)
    s->seg_of_node[i] = -1;
  morph = sw_cable_cell_get_morph (s->cell);
  if (sw_cable_morph_n_sections (morph) > 0)
    place_section (s, morph, 0, 0.0, 0.0, G_PI / 2, 0);

  compute_bounds (s);
  return s;
}

/* ------------------------------------------------------------------ */
/* Drawing                                                             */

typedef struct
{
  double fg[3];
  double bg[3];
} Palette;

/* The area cell @i is fitted into (widget coordinates). */
static void
cell_area (SwMorphView *self, guint i, double width, double height, double *x, double *y,
           double *w, double *h)
{
  guint n = self->shown->len;
  double area_w = MAX (width - COLOUR_BAR_SPACE, 40.0);
  double slot = area_w / MAX (n, 1u);
  double top = KEY_TOP_PX + KEY_ROW_PX * MAX (self->key_rows, 1) + 6;

  *x = slot * i + SIDE_PX;
  *w = MAX (slot - 2 * SIDE_PX, 10.0);
  *y = top;
  *h = MAX (height - top - BOTTOM_PX, 20.0);
}

static void
layout_cells (SwMorphView *self, double width, double height)
{
  for (guint i = 0; i < self->shown->len; i++)
    {
      Shown *s = g_ptr_array_index (self->shown, i);
      double w_um = s->x1 - s->x0, h_um = s->y1 - s->y0;
      double ax, ay, aw, ah;
      cell_area (self, i, width, height, &ax, &ay, &aw, &ah);
      double scale = MIN (aw / MAX (w_um, 1e-3), ah / MAX (h_um, 1e-3));

      s->scale = scale;
      s->ox = ax + aw / 2 - scale * (s->x0 + s->x1) / 2;
      s->oy = ay + ah / 2 + scale * (s->y0 + s->y1) / 2;
    }
}

/* Lays out the time and the key of the marks in rows from the top left,
 * within @width less the colour bar: calls @draw for each key entry at its
 * place (when not NULL) and returns the number of rows. */
static int
layout_key (SwMorphView *self, PangoLayout *layout, double width, const gboolean has_kind[4],
            void (*draw) (gpointer data, int kind, double x, double y), gpointer data)
{
  static const char *const key[] = { N_("traced"), N_("current clamp"), N_("excitatory synapse"),
                                     N_("inhibitory synapse") };
  double right = MAX (width - COLOUR_BAR_SPACE, KEY_X0 + 40);
  double kx = KEY_X0, ky = KEY_TOP_PX;
  int rows = 1;

  for (int k = 0; k < 4; k++)
    {
      int tw, th;
      if (!has_kind[k])
        continue;
      pango_layout_set_text (layout, _(key[k]), -1);
      pango_layout_get_pixel_size (layout, &tw, &th);
      if (kx > KEY_X0 && kx + 22 + tw > right)
        {
          kx = KEY_X0;
          ky += KEY_ROW_PX;
          rows++;
        }
      if (draw != NULL)
        draw (data, k, kx, ky);
      kx += 22 + tw + 18;
    }
  return rows;
}

static void
to_widget (const Shown *s, double x, double y, double *wx, double *wy)
{
  *wx = s->ox + s->scale * x;
  *wy = s->oy - s->scale * y;
}

static double
seg_width_px (const Shown *s, const Seg *g)
{
  return CLAMP (g->d_um * s->scale, MIN_WIDTH_PX, MAX_WIDTH_PX);
}

static void
set_voltage_colour (cairo_t *cr, double v, double lo, double hi)
{
  if (!isfinite (v))
    {
      cairo_set_source_rgb (cr, 0.62, 0.62, 0.62);
      return;
    }
  SwRgba c = sw_colormap_eval (SW_COLORMAP_VIRIDIS, (v - lo) / (hi - lo));
  cairo_set_source_rgb (cr, c.r, c.g, c.b);
}

/* A "nice" length for a scale bar of at most @max_um. */
static double
nice_length (double max_um)
{
  double p = pow (10, floor (log10 (MAX (max_um, 1e-6))));
  if (5 * p <= max_um)
    return 5 * p;
  if (2 * p <= max_um)
    return 2 * p;
  return p;
}

static void
draw_text (cairo_t *cr, PangoLayout *layout, const char *text, double x, double y, double xalign)
{
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x - xalign * w, y);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_mark (cairo_t *cr, const Palette *pal, const SwMorphMark *m, double x, double y, double w)
{
  double r = MAX (7.0, w / 2 + 4);

  cairo_new_path (cr);
  switch (m->kind)
    {
    case SW_MORPH_MARK_TRACE:
      cairo_arc (cr, x, y, r, 0, 2 * G_PI);
      cairo_set_line_width (cr, 3.0);
      cairo_set_source_rgb (cr, m->r, m->g, m->b);
      cairo_stroke (cr);
      return;
    case SW_MORPH_MARK_CLAMP:
      /* An electrode: a line from the upper right to a square. */
      cairo_move_to (cr, x + 4, y - 4);
      cairo_line_to (cr, x + 18, y - 18);
      cairo_set_line_width (cr, 2.0);
      cairo_set_source_rgb (cr, pal->fg[0], pal->fg[1], pal->fg[2]);
      cairo_stroke (cr);
      cairo_rectangle (cr, x - 5, y - 5, 10, 10);
      cairo_set_source_rgb (cr, 0.90, 0.62, 0.0);   /* Okabe-Ito orange */
      break;
    case SW_MORPH_MARK_EXCITATORY:
      cairo_move_to (cr, x, y - 7);
      cairo_line_to (cr, x + 7, y + 5);
      cairo_line_to (cr, x - 7, y + 5);
      cairo_close_path (cr);
      cairo_set_source_rgb (cr, 0.84, 0.37, 0.0);   /* vermillion */
      break;
    case SW_MORPH_MARK_INHIBITORY:
      cairo_arc (cr, x, y, 6, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, 0.0, 0.45, 0.70);   /* blue */
      break;
    }
  cairo_fill_preserve (cr);
  cairo_set_line_width (cr, 1.5);
  cairo_set_source_rgb (cr, pal->fg[0], pal->fg[1], pal->fg[2]);
  cairo_stroke (cr);
}

typedef struct
{
  cairo_t *cr;
  const Palette *pal;
  PangoLayout *layout;
} KeyDraw;

static void
draw_key_entry (gpointer data, int kind, double x, double y)
{
  static const char *const key[] = { N_("traced"), N_("current clamp"), N_("excitatory synapse"),
                                     N_("inhibitory synapse") };
  KeyDraw *kd = data;
  const Palette *pal = kd->pal;
  SwMorphMark mk = { 0, 0, kind, pal->fg[0], pal->fg[1], pal->fg[2] };

  draw_mark (kd->cr, pal, &mk, x + 8, y + 8, 4);
  cairo_set_source_rgb (kd->cr, pal->fg[0], pal->fg[1], pal->fg[2]);
  pango_layout_set_text (kd->layout, _(key[kind]), -1);
  cairo_move_to (kd->cr, x + 22, y);
  pango_cairo_show_layout (kd->cr, kd->layout);
}

static void
draw_all (SwMorphView *self, cairo_t *cr, double width, double height, const Palette *pal,
          gboolean fill_background)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("Sans 10");
  char buf[128];

  pango_font_description_set_absolute_size (font, 12 * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  if (fill_background)
    {
      cairo_set_source_rgb (cr, pal->bg[0], pal->bg[1], pal->bg[2]);
      cairo_paint (cr);
    }
  /* The key names the marks that are drawn (a junction has no place). */
  gboolean has_kind[4] = { FALSE };
  for (guint m = 0; self->marks != NULL && m < self->marks->len; m++)
    {
      const SwMorphMark *mk = &g_array_index (self->marks, SwMorphMark, m);
      if (mk->cell >= 0 && mk->cell < (int) self->shown->len)
        {
          Shown *s = g_ptr_array_index (self->shown, mk->cell);
          if (mk->node >= 0 && mk->node < s->n_nodes && s->seg_of_node[mk->node] >= 0)
            has_kind[mk->kind] = TRUE;
        }
    }
  self->key_rows = layout_key (self, layout, width, has_kind, NULL, NULL);
  layout_cells (self, width, height);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  for (guint i = 0; i < self->shown->len; i++)
    {
      Shown *s = g_ptr_array_index (self->shown, i);

      /* Thick pieces first, so that thin ones on top stay visible. */
      for (int pass = 0; pass < 2; pass++)
        for (guint k = 0; k < s->segs->len; k++)
          {
            const Seg *g = &g_array_index (s->segs, Seg, k);
            double w = seg_width_px (s, g);
            double ax, ay, bx, by;
            if ((pass == 0) != (w > 12))
              continue;
            to_widget (s, g->ax, g->ay, &ax, &ay);
            to_widget (s, g->bx, g->by, &bx, &by);
            cairo_move_to (cr, ax, ay);
            cairo_line_to (cr, bx, by);
            cairo_set_line_width (cr, w);
            set_voltage_colour (cr, self->v ? self->v[s->v_offset + g->node] : NAN, self->v_lo,
                                self->v_hi);
            cairo_stroke (cr);
          }

      /* The label and a scale bar under the cell. */
      double cx = s->ox + s->scale * (s->x0 + s->x1) / 2;
      double base = s->oy - s->scale * s->y0 + 8;
      double bar_um = nice_length (60.0 / MAX (s->scale, 1e-9));
      double bar_px = bar_um * s->scale;
      cairo_set_source_rgb (cr, pal->fg[0], pal->fg[1], pal->fg[2]);
      cairo_set_line_width (cr, 2.0);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
      cairo_move_to (cr, cx - bar_px / 2, base + 6);
      cairo_line_to (cr, cx + bar_px / 2, base + 6);
      cairo_stroke (cr);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      /* Translators: a scale bar of a cell drawing, e.g. "100 µm". */
      g_snprintf (buf, sizeof buf, _("%g µm"), bar_um);
      draw_text (cr, layout, buf, cx, base + 10, 0.5);
      draw_text (cr, layout, s->label, cx, base + 28, 0.5);
    }

  /* The selected clamp or synapse: a square under its mark, solid where
   * the keyboard's is dashed, and not round like the trace rings. */
  double hx, hy;
  if (self->sel_cell >= 0
      && sw_morph_view_node_position (self, self->sel_cell, self->sel_node, &hx, &hy))
    {
      cairo_new_path (cr);
      cairo_rectangle (cr, hx - 15, hy - 15, 30, 30);
      cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 0.35);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, pal->fg[0], pal->fg[1], pal->fg[2]);
      cairo_set_line_width (cr, 2.5);
      cairo_stroke (cr);
    }

  /* Marks. */
  for (guint m = 0; self->marks != NULL && m < self->marks->len; m++)
    {
      const SwMorphMark *mk = &g_array_index (self->marks, SwMorphMark, m);
      double x, y;
      if (!sw_morph_view_node_position (self, mk->cell, mk->node, &x, &y))
        continue;
      Shown *s = g_ptr_array_index (self->shown, mk->cell);
      const Seg *g = &g_array_index (s->segs, Seg, s->seg_of_node[mk->node]);
      draw_mark (cr, pal, mk, x, y, seg_width_px (s, g));
    }

  /* The keyboard's compartment: a dashed square around it. */
  double fx, fy;
  if (self->focus_cell >= 0 && gtk_widget_has_focus (GTK_WIDGET (self))
      && sw_morph_view_node_position (self, self->focus_cell, self->focus_node, &fx, &fy))
    {
      cairo_save (cr);
      cairo_set_source_rgb (cr, pal->fg[0], pal->fg[1], pal->fg[2]);
      cairo_set_line_width (cr, 1.5);
      cairo_set_dash (cr, (double[]) { 3, 3 }, 2, 0);
      cairo_rectangle (cr, fx - 12, fy - 12, 24, 24);
      cairo_stroke (cr);
      cairo_restore (cr);
    }

  /* The time, top left, and the key of the marks beside it. */
  cairo_set_source_rgb (cr, pal->fg[0], pal->fg[1], pal->fg[2]);
  if (self->v != NULL)
    {
      /* Translators: the time of the voltages shown, in milliseconds. */
      g_snprintf (buf, sizeof buf, _("t = %.1f ms"), self->time_ms);
      draw_text (cr, layout, buf, 10, 8, 0.0);
    }
  KeyDraw kd = { cr, pal, layout };
  layout_key (self, layout, width, has_kind, draw_key_entry, &kd);

  /* The colour bar. */
  double bx = width - COLOUR_BAR_SPACE + 14, bw = 14;
  double by0 = 40, by1 = MAX (height - 70, by0 + 40);
  for (int k = 0; k < 64; k++)
    {
      double t0 = (double) k / 64, t1 = (double) (k + 1) / 64;
      SwRgba c = sw_colormap_eval (SW_COLORMAP_VIRIDIS, (t0 + t1) / 2);
      cairo_set_source_rgb (cr, c.r, c.g, c.b);
      cairo_rectangle (cr, bx, by1 - t1 * (by1 - by0), bw, (t1 - t0) * (by1 - by0) + 0.5);
      cairo_fill (cr);
    }
  cairo_set_source_rgb (cr, pal->fg[0], pal->fg[1], pal->fg[2]);
  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, bx + 0.5, by0 + 0.5, bw - 1, by1 - by0 - 1);
  cairo_stroke (cr);
  double tick = nice_length ((self->v_hi - self->v_lo) / 3.0);
  for (double v = ceil (self->v_lo / tick - 1e-9) * tick; v <= self->v_hi + 1e-9; v += tick)
    {
      double y = by1 - (v - self->v_lo) / (self->v_hi - self->v_lo) * (by1 - by0);
      cairo_move_to (cr, bx + bw, y);
      cairo_line_to (cr, bx + bw + 4, y);
      cairo_stroke (cr);
      g_snprintf (buf, sizeof buf, "%g", fabs (v) < 1e-9 ? 0.0 : v);
      pango_layout_set_text (layout, buf, -1);
      int tw, th;
      pango_layout_get_pixel_size (layout, &tw, &th);
      cairo_move_to (cr, bx + bw + 7, y - th / 2.0);
      pango_cairo_show_layout (cr, layout);
    }
  /* Translators: the unit under the colour bar of the membrane voltage. */
  draw_text (cr, layout, _("V (mV)"), bx + bw / 2 + 6, by1 + 8, 0.5);

  pango_font_description_free (font);
  g_object_unref (layout);
}

static void
widget_palette (SwMorphView *self, Palette *pal)
{
  GdkRGBA fg;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  pal->fg[0] = fg.red, pal->fg[1] = fg.green, pal->fg[2] = fg.blue;
  pal->bg[0] = pal->bg[1] = pal->bg[2] = 1.0;
}

static void
sw_morph_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  SwMorphView *self = SW_MORPH_VIEW (widget);
  double w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  Palette pal;
  cairo_t *cr;

  if (w < 2 || h < 2)
    return;
  self->last_w = w, self->last_h = h;
  widget_palette (self, &pal);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  draw_all (self, cr, w, h, &pal, FALSE);
  cairo_destroy (cr);
}

/* ------------------------------------------------------------------ */
/* Picking                                                             */

static double
dist_to_segment (double px, double py, double ax, double ay, double bx, double by)
{
  double dx = bx - ax, dy = by - ay;
  double l2 = dx * dx + dy * dy;
  double t = l2 > 0 ? CLAMP (((px - ax) * dx + (py - ay) * dy) / l2, 0.0, 1.0) : 0.0;
  double qx = ax + t * dx - px, qy = ay + t * dy - py;
  return sqrt (qx * qx + qy * qy);
}

gboolean
sw_morph_view_node_at (SwMorphView *self, double x, double y, int *cell, int *node)
{
  double best = INFINITY;
  int bc = -1, bn = -1;

  g_return_val_if_fail (SW_IS_MORPH_VIEW (self), FALSE);
  for (guint i = 0; i < self->shown->len; i++)
    {
      Shown *s = g_ptr_array_index (self->shown, i);
      for (guint k = 0; k < s->segs->len; k++)
        {
          const Seg *g = &g_array_index (s->segs, Seg, k);
          double ax, ay, bx, by;
          to_widget (s, g->ax, g->ay, &ax, &ay);
          to_widget (s, g->bx, g->by, &bx, &by);
          /* Distance to the drawn edge, so that a click inside a thick soma
           * counts as on it; ties go to the nearer centre line. */
          double d = dist_to_segment (x, y, ax, ay, bx, by);
          double edge = d - seg_width_px (s, g) / 2;
          double score = MAX (edge, 0.0) * 1000 + d;
          if (edge <= PICK_SLOP_PX && score < best)
            best = score, bc = (int) i, bn = g->node;
        }
    }
  if (bc < 0)
    return FALSE;
  if (cell)
    *cell = bc;
  if (node)
    *node = bn;
  return TRUE;
}

gboolean
sw_morph_view_node_position (SwMorphView *self, int cell, int node, double *x, double *y)
{
  g_return_val_if_fail (SW_IS_MORPH_VIEW (self), FALSE);
  if (cell < 0 || cell >= (int) self->shown->len)
    return FALSE;
  Shown *s = g_ptr_array_index (self->shown, cell);
  if (node < 0 || node >= s->n_nodes || s->seg_of_node[node] < 0)
    return FALSE;
  if (s->scale <= 0)
    {
      /* Not drawn yet: lay out at the allocated size. */
      layout_cells (self, MAX (gtk_widget_get_width (GTK_WIDGET (self)), 400),
                    MAX (gtk_widget_get_height (GTK_WIDGET (self)), 300));
    }
  const Seg *g = &g_array_index (s->segs, Seg, s->seg_of_node[node]);
  to_widget (s, (g->ax + g->bx) / 2, (g->ay + g->by) / 2, x, y);
  return TRUE;
}

gboolean
sw_morph_view_activate_at (SwMorphView *self, double x, double y)
{
  int cell, node;

  if (!sw_morph_view_node_at (self, x, y, &cell, &node))
    {
      g_signal_emit (self, signals[BACKGROUND_ACTIVATED], 0);
      return FALSE;
    }
  g_signal_emit (self, signals[NODE_ACTIVATED], 0, cell, node);
  return TRUE;
}

static void
pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, SwMorphView *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (sw_morph_view_activate_at (self, x, y))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

void
sw_morph_view_move_focus (SwMorphView *self, int delta)
{
  /* The compartments in drawing order, cell after cell. */
  int total = 0, current = -1;

  g_return_if_fail (SW_IS_MORPH_VIEW (self));
  for (guint i = 0; i < self->shown->len; i++)
    {
      Shown *s = g_ptr_array_index (self->shown, i);
      for (int node = 0; node < s->n_nodes; node++)
        if (s->seg_of_node[node] >= 0)
          {
            if ((int) i == self->focus_cell && node == self->focus_node)
              current = total;
            total++;
          }
    }
  if (total == 0)
    return;
  int want = current < 0 ? (delta >= 0 ? 0 : total - 1) : ((current + delta) % total + total) % total;
  int k = 0;
  for (guint i = 0; i < self->shown->len; i++)
    {
      Shown *s = g_ptr_array_index (self->shown, i);
      for (int node = 0; node < s->n_nodes; node++)
        if (s->seg_of_node[node] >= 0 && k++ == want)
          {
            self->focus_cell = (int) i;
            self->focus_node = node;
            gtk_widget_queue_draw (GTK_WIDGET (self));
            return;
          }
    }
}

gboolean
sw_morph_view_activate_focus (SwMorphView *self)
{
  g_return_val_if_fail (SW_IS_MORPH_VIEW (self), FALSE);
  if (self->focus_cell < 0)
    return FALSE;
  g_signal_emit (self, signals[NODE_ACTIVATED], 0, self->focus_cell, self->focus_node);
  return TRUE;
}

gboolean
sw_morph_view_get_focus_node (SwMorphView *self, int *cell, int *node)
{
  g_return_val_if_fail (SW_IS_MORPH_VIEW (self), FALSE);
  *cell = self->focus_cell;
  *node = self->focus_node;
  return self->focus_cell >= 0;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller, guint keyval, guint keycode,
                GdkModifierType state, SwMorphView *self)
{
  switch (keyval)
    {
    case GDK_KEY_Right:
    case GDK_KEY_Up:
      sw_morph_view_move_focus (self, 1);
      return TRUE;
    case GDK_KEY_Left:
    case GDK_KEY_Down:
      sw_morph_view_move_focus (self, -1);
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
      return sw_morph_view_activate_focus (self);
    default:
      return FALSE;
    }
}

static void
focus_changed_cb (SwMorphView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
query_tooltip_cb (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip,
                  SwMorphView *self)
{
  int cell, node;

  if (keyboard || !sw_morph_view_node_at (self, x, y, &cell, &node))
    return FALSE;
  Shown *s = g_ptr_array_index (self->shown, cell);
  const SwCableMorph *morph = sw_cable_cell_get_morph (s->cell);
  int sec = sw_cable_cell_node_section (s->cell, node);
  double v = sw_morph_view_get_voltage (self, cell, node);
  g_autofree char *text = NULL;
  if (isfinite (v))
    text = g_strdup_printf ("%s %s(%.3g): %.1f mV", s->label,
                            sw_cable_morph_section_name (morph, sec),
                            sw_cable_cell_node_x (s->cell, node), v);
  else
    text = g_strdup_printf ("%s %s(%.3g)", s->label, sw_cable_morph_section_name (morph, sec),
                            sw_cable_cell_node_x (s->cell, node));
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* API                                                                 */

void
sw_morph_view_set_cells (SwMorphView *self, const SwCableCell *const *cells,
                         const char *const *labels, int n)
{
  g_return_if_fail (SW_IS_MORPH_VIEW (self));
  g_ptr_array_set_size (self->shown, 0);
  self->n_v = 0;
  for (int i = 0; i < n; i++)
    {
      Shown *s = shown_new (cells[i], labels ? labels[i] : NULL);
      s->v_offset = self->n_v;
      self->n_v += s->n_nodes;
      g_ptr_array_add (self->shown, s);
    }
  g_clear_pointer (&self->v, g_free);
  if (self->marks)
    g_array_set_size (self->marks, 0);
  self->focus_cell = self->focus_node = -1;
  self->sel_cell = self->sel_node = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The point at @pos along @line (positions increasing). */
static void
interpolate (GArray *line, double pos, double *x, double *y)
{
  const SwSwcPoint *p = (const SwSwcPoint *) line->data;

  for (guint i = 1; i < line->len; i++)
    if (pos <= p[i].s || i + 1 == line->len)
      {
        double span = p[i].s - p[i - 1].s;
        double f = span > 0 ? CLAMP ((pos - p[i - 1].s) / span, 0.0, 1.0) : 1.0;
        *x = p[i - 1].x + f * (p[i].x - p[i - 1].x);
        *y = p[i - 1].y + f * (p[i].y - p[i - 1].y);
        return;
      }
  *x = p[0].x, *y = p[0].y;
}

void
sw_morph_view_set_cell_layout (SwMorphView *self, int cell, GPtrArray *lines)
{
  g_return_if_fail (SW_IS_MORPH_VIEW (self));
  g_return_if_fail (cell >= 0 && cell < (int) self->shown->len);
  Shown *s = g_ptr_array_index (self->shown, cell);
  const SwCableMorph *morph = sw_cable_cell_get_morph (s->cell);
  g_return_if_fail ((int) lines->len == sw_cable_morph_n_sections (morph));

  g_array_set_size (s->segs, 0);
  for (int node = 0; node < s->n_nodes; node++)
    {
      s->seg_of_node[node] = -1;
      int sec = sw_cable_cell_node_section (s->cell, node);
      if (sec < 0 || sw_cable_cell_node_area (s->cell, node) <= 0.0)
        continue;
      GArray *line = g_ptr_array_index (lines, sec);
      if (line->len < 2)
        continue;
      double diam;
      int nseg;
      sw_cable_morph_section_info (morph, sec, NULL, NULL, NULL, &diam, &nseg);
      double x = sw_cable_cell_node_x (s->cell, node), h = 0.5 / MAX (nseg, 1);
      double xa = CLAMP (x - h, 0.0, 1.0), xb = CLAMP (x + h, 0.0, 1.0);
      double px, py, qx, qy;
      interpolate (line, xa, &px, &py);
      /* Through the traced points inside the compartment, to its end. */
      for (guint i = 0; i <= line->len; i++)
        {
          const SwSwcPoint *p = i < line->len ? &g_array_index (line, SwSwcPoint, i) : NULL;
          if (p != NULL && !(p->s > xa && p->s < xb))
            continue;
          if (p != NULL)
            qx = p->x, qy = p->y;
          else
            interpolate (line, xb, &qx, &qy);
          Seg seg = { node, px, py, qx, qy, diam };
          if (s->seg_of_node[node] < 0 && (p == NULL || p->s >= x))
            s->seg_of_node[node] = (int) s->segs->len;
          g_array_append_val (s->segs, seg);
          px = qx, py = qy;
        }
    }
  compute_bounds (s);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
sw_morph_view_get_aspect (SwMorphView *self)
{
  double widest = 0;

  g_return_val_if_fail (SW_IS_MORPH_VIEW (self), 1.0);
  if (self->shown->len == 0)
    return 1.0;
  for (guint i = 0; i < self->shown->len; i++)
    {
      Shown *s = g_ptr_array_index (self->shown, i);
      widest = MAX (widest, (s->x1 - s->x0) / MAX (s->y1 - s->y0, 1e-3));
    }
  return widest * self->shown->len;
}

gboolean
sw_morph_view_get_extent (SwMorphView *self, int cell, double extent[4], double area[4])
{
  g_return_val_if_fail (SW_IS_MORPH_VIEW (self), FALSE);
  if (cell < 0 || cell >= (int) self->shown->len || self->last_w <= 0)
    return FALSE;
  Shown *s = g_ptr_array_index (self->shown, cell);
  layout_cells (self, self->last_w, self->last_h);
  to_widget (s, s->x0, s->y1, &extent[0], &extent[1]);
  to_widget (s, s->x1, s->y0, &extent[2], &extent[3]);
  cell_area (self, (guint) cell, self->last_w, self->last_h, &area[0], &area[1], &area[2],
             &area[3]);
  area[2] += area[0];
  area[3] += area[1];
  return TRUE;
}

int
sw_morph_view_get_n_cells (SwMorphView *self)
{
  g_return_val_if_fail (SW_IS_MORPH_VIEW (self), 0);
  return (int) self->shown->len;
}

const SwCableCell *
sw_morph_view_get_cell (SwMorphView *self, int cell)
{
  g_return_val_if_fail (SW_IS_MORPH_VIEW (self), NULL);
  g_return_val_if_fail (cell >= 0 && cell < (int) self->shown->len, NULL);
  return ((Shown *) g_ptr_array_index (self->shown, cell))->cell;
}

void
sw_morph_view_set_voltages (SwMorphView *self, const float *v_mv, double time_ms)
{
  g_return_if_fail (SW_IS_MORPH_VIEW (self));
  if (v_mv == NULL)
    g_clear_pointer (&self->v, g_free);
  else
    {
      if (self->v == NULL)
        self->v = g_new (float, MAX (self->n_v, 1));
      memcpy (self->v, v_mv, sizeof (float) * self->n_v);
    }
  self->time_ms = time_ms;
  gtk_widget_queue_draw (GTK_WIDGET (self));

  /* A short summary for assistive technologies, a few times a second at
   * most: the time and the range of the voltages shown. */
  gint64 now = g_get_monotonic_time ();
  if (self->v != NULL && now - self->described_us > 300000)
    {
      double lo = INFINITY, hi = -INFINITY;
      for (int i = 0; i < self->n_v; i++)
        if (isfinite (self->v[i]))
          lo = MIN (lo, self->v[i]), hi = MAX (hi, self->v[i]);
      if (hi >= lo)
        {
          /* Translators: the summary of the cell drawing for screen readers. */
          g_autofree char *text = g_strdup_printf (_("At %.1f ms the compartments lie between "
                                                     "%.1f and %.1f mV"), time_ms, lo, hi);
          gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                          GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
          self->described_us = now;
        }
    }
}

double
sw_morph_view_get_voltage (SwMorphView *self, int cell, int node)
{
  g_return_val_if_fail (SW_IS_MORPH_VIEW (self), NAN);
  if (self->v == NULL || cell < 0 || cell >= (int) self->shown->len)
    return NAN;
  Shown *s = g_ptr_array_index (self->shown, cell);
  if (node < 0 || node >= s->n_nodes)
    return NAN;
  return self->v[s->v_offset + node];
}

void
sw_morph_view_set_range (SwMorphView *self, double lo_mv, double hi_mv)
{
  g_return_if_fail (SW_IS_MORPH_VIEW (self));
  g_return_if_fail (hi_mv > lo_mv);
  if (self->v_lo == lo_mv && self->v_hi == hi_mv)
    return;
  self->v_lo = lo_mv;
  self->v_hi = hi_mv;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
sw_morph_view_get_range (SwMorphView *self, double *lo_mv, double *hi_mv)
{
  g_return_if_fail (SW_IS_MORPH_VIEW (self));
  *lo_mv = self->v_lo;
  *hi_mv = self->v_hi;
}

void
sw_morph_view_set_selected (SwMorphView *self, int cell, int node)
{
  g_return_if_fail (SW_IS_MORPH_VIEW (self));
  if (cell < 0 || node < 0)
    cell = node = -1;
  if (cell == self->sel_cell && node == self->sel_node)
    return;
  self->sel_cell = cell;
  self->sel_node = node;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
sw_morph_view_get_selected (SwMorphView *self, int *cell, int *node)
{
  g_return_val_if_fail (SW_IS_MORPH_VIEW (self), FALSE);
  *cell = self->sel_cell;
  *node = self->sel_node;
  return self->sel_cell >= 0;
}

void
sw_morph_view_set_marks (SwMorphView *self, const SwMorphMark *marks, int n)
{
  g_return_if_fail (SW_IS_MORPH_VIEW (self));
  g_array_set_size (self->marks, 0);
  if (n > 0)
    g_array_append_vals (self->marks, marks, (guint) n);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
sw_morph_view_draw (SwMorphView *self, cairo_t *cr, double width, double height, gboolean dark)
{
  Palette pal = { { 0.1, 0.1, 0.1 }, { 1, 1, 1 } };

  int rows = self->key_rows;

  if (dark)
    pal = (Palette) { { 0.92, 0.92, 0.92 }, { 0.14, 0.14, 0.14 } };
  draw_all (self, cr, width, height, &pal, TRUE);
  /* Picking follows the widget, not the export. */
  self->key_rows = rows;
  if (self->last_w > 0)
    layout_cells (self, self->last_w, self->last_h);
}

static cairo_status_t
write_bytes (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

gboolean
sw_morph_view_export (SwMorphView *self, const char *path, double width, double height,
                      GError **error)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_status_t st;
  gboolean png = FALSE;

  g_return_val_if_fail (SW_IS_MORPH_VIEW (self), FALSE);
  if (g_str_has_suffix (lower, ".png"))
    {
      png = TRUE;
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) width, (int) height);
    }
  else if (g_str_has_suffix (lower, ".svg"))
    surface = cairo_svg_surface_create_for_stream (write_bytes, bytes, width, height);
  else if (g_str_has_suffix (lower, ".pdf"))
    surface = cairo_pdf_surface_create_for_stream (write_bytes, bytes, width, height);
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%s: the file name must end in .png, .svg or .pdf"), path);
      return FALSE;
    }
  cairo_t *cr = cairo_create (surface);
  sw_morph_view_draw (self, cr, width, height, FALSE);
  cairo_destroy (cr);
  if (png)
    st = cairo_surface_write_to_png_stream (surface, write_bytes, bytes);
  else
    {
      cairo_surface_finish (surface);
      st = cairo_surface_status (surface);
    }
  cairo_surface_destroy (surface);
  if (st != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", path,
                   cairo_status_to_string (st));
      return FALSE;
    }
  return g_file_set_contents (path, (const char *) bytes->data, (gssize) bytes->len, error);
}

static void
sw_morph_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *min,
                       int *nat, int *min_baseline, int *nat_baseline)
{
  *min = orientation == GTK_ORIENTATION_HORIZONTAL ? 260 : 220;
  *nat = orientation == GTK_ORIENTATION_HORIZONTAL ? 640 : 420;
}

static void
sw_morph_view_finalize (GObject *object)
{
  SwMorphView *self = SW_MORPH_VIEW (object);

  g_ptr_array_unref (self->shown);
  g_array_unref (self->marks);
  g_free (self->v);
  G_OBJECT_CLASS (sw_morph_view_parent_class)->finalize (object);
}

static void
sw_morph_view_class_init (SwMorphViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = sw_morph_view_finalize;
  widget_class->snapshot = sw_morph_view_snapshot;
  widget_class->measure = sw_morph_view_measure;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_widget_class_set_css_name (widget_class, "morphview");

  signals[NODE_ACTIVATED] =
    g_signal_new ("node-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);
  signals[BACKGROUND_ACTIVATED] =
    g_signal_new ("background-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sw_morph_view_init (SwMorphView *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->shown = g_ptr_array_new_with_free_func (shown_free);
  self->marks = g_array_new (FALSE, FALSE, sizeof (SwMorphMark));
  self->v_lo = V_LO;
  self->v_hi = V_HI;
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), self);
  GtkEventController *keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  GtkEventController *focus = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (focus, "enter", G_CALLBACK (focus_changed_cb), self);
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (focus_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);
  self->focus_cell = self->focus_node = -1;
  self->sel_cell = self->sel_node = -1;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Cell morphology coloured by membrane voltage"), -1);
}

GtkWidget *
sw_morph_view_new (void)
{
  return g_object_new (SW_TYPE_MORPH_VIEW, NULL);
}
