/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwNetworkEditor (see sw-network-editor.h).
 *
 * The items come from the document's evaluated description (one build,
 * some 50 µs), so what is drawn is what runs.  Positions are kept in the
 * document's "ui" object in units of the canvas (0..1 each way, a margin
 * around), so that they survive resizing; populations without a stored
 * position are laid out by kind: sources in a row at the top, neurons in a
 * row below.  The art is static and small (a handful of nodes), so it is
 * drawn with cairo on every snapshot.
 */
#define G_LOG_DOMAIN "Spikeworks-NetworkEditor"

#include "config.h"

#include "sw-network-editor.h"

#include <glib/gi18n.h>
#include <math.h>

/* Node radii in pixels: the area grows with the population's size. */
#define R_MIN 16.0
#define R_MAX 40.0
#define MARGIN 56.0
/* A click within this distance of a projection's line selects it. */
#define HIT_LINE 6.0
/* Ctrl+arrow moves a node this far (canvas units). */
#define KEY_STEP 0.02

typedef struct
{
  SwNetworkItemKind kind;
  char *name;
  /* populations */
  int n;
  gboolean inhibitory;
  gboolean source;
  double x, y;                /* canvas units */
  /* projections */
  int pre, post;
  double strength;            /* |weight| × connection probability */
  char *detail;               /* "1.5 nS × 0.05" */
  /* stimuli */
  int target;
} Item;

struct _SwNetworkEditor
{
  GtkWidget parent_instance;

  SwDocument *doc;            /* not owned */
  GPtrArray *items;           /* of Item: populations, projections, stimuli */
  guint n_pops, n_projs, n_stims;
  int selected;               /* index into items, or -1 */
  double max_n, max_strength;

  /* A drag in progress: of node @drag_item, or a connection from it. */
  int drag_item;
  gboolean drag_connect;
  gboolean drag_moved;
  double drag_x0, drag_y0;    /* the node's position when it began */
  double pointer_x, pointer_y;

  /* A connection made with the keyboard: from population @connect_from
   * (-1: none) to the highlighted @connect_to. */
  int connect_from, connect_to;

  /* The context menu, and where it was opened on the empty canvas (a new
   * population goes there). */
  GtkWidget *menu;
  gboolean have_menu_point;
  double menu_x, menu_y;      /* canvas units */
};

G_DEFINE_FINAL_TYPE (SwNetworkEditor, sw_network_editor, GTK_TYPE_WIDGET)

enum
{
  SELECTION_CHANGED,
  ACTIVATE_SELECTION,
  NODE_MOVED,
  CONNECT,
  REMOVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean connecting (SwNetworkEditor *self);
static void end_connect (SwNetworkEditor *self, gboolean create);

static void
item_free (gpointer data)
{
  Item *item = data;

  g_free (item->name);
  g_free (item->detail);
  g_free (item);
}

static Item *
item_at (SwNetworkEditor *self, int index)
{
  return index >= 0 && (guint) index < self->items->len ? self->items->pdata[index] : NULL;
}

/* ------------------------------------------------------------------------ */
/* Geometry                                                                  */

static void
to_pixels (SwNetworkEditor *self, double x, double y, double *px, double *py)
{
  double w = gtk_widget_get_width (GTK_WIDGET (self));
  double h = gtk_widget_get_height (GTK_WIDGET (self));

  *px = MARGIN + x * MAX (w - 2 * MARGIN, 1.0);
  *py = MARGIN + y * MAX (h - 2 * MARGIN, 1.0);
}

static void
to_units (SwNetworkEditor *self, double px, double py, double *x, double *y)
{
  double w = gtk_widget_get_width (GTK_WIDGET (self));
  double h = gtk_widget_get_height (GTK_WIDGET (self));

  *x = CLAMP ((px - MARGIN) / MAX (w - 2 * MARGIN, 1.0), 0.0, 1.0);
  *y = CLAMP ((py - MARGIN) / MAX (h - 2 * MARGIN, 1.0), 0.0, 1.0);
}

static double
node_radius (SwNetworkEditor *self, const Item *pop)
{
  /* Area proportional to size between the smallest and largest node. */
  double f = self->max_n > 0 ? sqrt ((double) pop->n / self->max_n) : 1.0;
  return R_MIN + (R_MAX - R_MIN) * CLAMP (f, 0.0, 1.0);
}

static void
node_center (SwNetworkEditor *self, const Item *pop, double *px, double *py)
{
  to_pixels (self, pop->x, pop->y, px, py);
}

/* The unit vector from the centre of the other populations to @pop: where
 * its self-projection loops. */
static void
loop_direction (SwNetworkEditor *self, const Item *pop, double *ux, double *uy)
{
  double px, py, sx = 0;
  guint n = 0;

  node_center (self, pop, &px, &py);
  for (guint i = 0; i < self->n_pops; i++)
    {
      const Item *other = self->items->pdata[i];
      double x, y;

      if (other == pop)
        continue;
      node_center (self, other, &x, &y);
      sx += x;
      n++;
    }
  if (n == 0)
    {
      *ux = 0;
      *uy = -1;
      return;
    }
  /* Sideways, to the left or the right: below a node sits its size,
   * above it what arrives from the sources. */
  sx = px - sx / n;
  *ux = sx < 0 ? -1 : 1;
  *uy = 0;
}

/* The control point of a projection's curve: straight for one of a pair,
 * bent to the side when the reverse projection exists too, and a loop
 * above the node for a projection onto itself.  Returns the end points and
 * the control point. */
static void
proj_geometry (SwNetworkEditor *self, const Item *proj, double *x0, double *y0, double *cx,
               double *cy, double *x1, double *y1)
{
  const Item *pre = item_at (self, proj->pre);
  const Item *post = item_at (self, proj->post);
  double ax, ay, bx, by, dx, dy, len, nx, ny, r0, r1, bend = 0.0;

  node_center (self, pre, &ax, &ay);
  node_center (self, post, &bx, &by);
  r0 = node_radius (self, pre);
  r1 = node_radius (self, post);
  if (proj->pre == proj->post)
    {
      double ux, uy, theta;

      /* A loop on the node's outer side, away from the others, so that it
       * crosses no other arrow. */
      loop_direction (self, pre, &ux, &uy);
      theta = atan2 (uy, ux);
      *x0 = ax + r0 * cos (theta - 0.55);
      *y0 = ay + r0 * sin (theta - 0.55);
      *x1 = ax + (r0 + 4) * cos (theta + 0.55);
      *y1 = ay + (r0 + 4) * sin (theta + 0.55);
      *cx = ax + ux * (r0 * 1.8 + 50);
      *cy = ay + uy * (r0 * 1.8 + 50);
      return;
    }
  dx = bx - ax;
  dy = by - ay;
  len = MAX (hypot (dx, dy), 1e-6);
  nx = -dy / len;
  ny = dx / len;
  for (guint i = 0; i < self->items->len; i++)
    {
      const Item *other = self->items->pdata[i];
      if (other->kind == SW_NETWORK_ITEM_PROJECTION && other->pre == proj->post
          && other->post == proj->pre)
        bend = 28.0;
    }
  /* Several projections between the same pair fan out. */
  for (guint i = 0, k = 0; i < self->items->len; i++)
    {
      const Item *other = self->items->pdata[i];
      if (other == proj)
        {
          bend += 22.0 * k;
          break;
        }
      if (other->kind == SW_NETWORK_ITEM_PROJECTION && other->pre == proj->pre
          && other->post == proj->post)
        k++;
    }
  *cx = (ax + bx) / 2 + nx * bend * 2;
  *cy = (ay + by) / 2 + ny * bend * 2;
  /* Leave and enter at the node's edge, towards the control point. */
  len = MAX (hypot (*cx - ax, *cy - ay), 1e-6);
  *x0 = ax + (*cx - ax) / len * r0;
  *y0 = ay + (*cy - ay) / len * r0;
  len = MAX (hypot (*cx - bx, *cy - by), 1e-6);
  *x1 = bx + (*cx - bx) / len * (r1 + 4);
  *y1 = by + (*cy - by) / len * (r1 + 4);
}

static void
bezier_point (double x0, double y0, double cx, double cy, double x1, double y1, double t,
              double *x, double *y)
{
  double u = 1 - t;
  *x = u * u * x0 + 2 * u * t * cx + t * t * x1;
  *y = u * u * y0 + 2 * u * t * cy + t * t * y1;
}

static void
stim_anchor (SwNetworkEditor *self, const Item *stim, double *sx, double *sy, double *tx,
             double *ty)
{
  const Item *target = item_at (self, stim->target);
  double x, y, r = node_radius (self, target);
  int k = 0;

  /* Stimuli of one target sit side by side below it. */
  for (guint i = 0; i < self->items->len && self->items->pdata[i] != stim; i++)
    if (((Item *) self->items->pdata[i])->kind == SW_NETWORK_ITEM_STIMULUS
        && ((Item *) self->items->pdata[i])->target == stim->target)
      k++;
  node_center (self, target, &x, &y);
  /* Down and to the left, the line reaching the node's left side, so
   * that it passes outside the size label under the node. */
  *sx = x - r - 40 - 30 * k;
  *sy = y + r + 30;
  *tx = x - r - 3;
  *ty = y + r * 0.3;
}

static int
hit_test (SwNetworkEditor *self, double px, double py, gboolean pops_only)
{
  int best = -1;
  double best_d = HIT_LINE;

  /* Nodes first: they are drawn on top. */
  for (guint i = 0; i < self->items->len; i++)
    {
      const Item *item = self->items->pdata[i];
      double x, y;

      if (item->kind != SW_NETWORK_ITEM_POPULATION)
        continue;
      node_center (self, item, &x, &y);
      if (hypot (px - x, py - y) <= node_radius (self, item) + 2)
        return (int) i;
    }
  if (pops_only)
    return -1;
  for (guint i = 0; i < self->items->len; i++)
    {
      const Item *item = self->items->pdata[i];

      if (item->kind == SW_NETWORK_ITEM_PROJECTION)
        {
          double x0, y0, cx, cy, x1, y1;
          proj_geometry (self, item, &x0, &y0, &cx, &cy, &x1, &y1);
          for (int s = 0; s <= 40; s++)
            {
              double x, y, d;
              bezier_point (x0, y0, cx, cy, x1, y1, s / 40.0, &x, &y);
              d = hypot (px - x, py - y);
              if (d < best_d)
                {
                  best_d = d;
                  best = (int) i;
                }
            }
        }
      else if (item->kind == SW_NETWORK_ITEM_STIMULUS)
        {
          double sx, sy, tx, ty;
          stim_anchor (self, item, &sx, &sy, &tx, &ty);
          if (hypot (px - sx, py - sy) <= 14)
            return (int) i;
        }
    }
  return best;
}

/* ------------------------------------------------------------------------ */
/* Reading the document                                                      */

static void
default_layout (SwNetworkEditor *self)
{
  guint n_sources = 0, n_neurons = 0, k_source = 0, k_neuron = 0;

  for (guint i = 0; i < self->n_pops; i++)
    {
      if (((Item *) self->items->pdata[i])->source)
        n_sources++;
      else
        n_neurons++;
    }
  for (guint i = 0; i < self->n_pops; i++)
    {
      Item *pop = self->items->pdata[i];

      if (sw_document_get_node_position (self->doc, pop->name, &pop->x, &pop->y))
        {
          pop->x = CLAMP (pop->x, 0.0, 1.0);
          pop->y = CLAMP (pop->y, 0.0, 1.0);
          continue;
        }
      /* Sources in a row at the top, neurons spread in a row below. */
      if (pop->source)
        {
          pop->x = (k_source + 0.5) / n_sources;
          pop->y = 0.1;
          k_source++;
        }
      else
        {
          /* Room at the sides for the loops of self-projections. */
          pop->x = n_neurons == 1 ? 0.5 : 0.22 + 0.56 * k_neuron / (n_neurons - 1);
          pop->y = n_sources > 0 ? 0.75 : 0.5;
          k_neuron++;
        }
    }
}

static char *
format_number (double v)
{
  return g_strdup_printf ("%g", v);
}

static void
update_accessible (SwNetworkEditor *self)
{
  g_autofree char *summary = NULL;
  g_autofree char *counts = NULL;
  const Item *sel = item_at (self, self->selected);
  const Item *from = item_at (self, self->connect_from);
  const Item *to = item_at (self, self->connect_to);

  if (from != NULL && to != NULL)
    {
      /* Translators: the network editor while a projection is being made
       * with the keyboard: "Connecting E to I. Arrow keys or Tab ...". */
      summary = g_strdup_printf (_("Connecting %s to %s. Arrow keys or Tab choose the target, "
                                   "Enter connects, Escape cancels."),
                                 from->name, to->name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, summary, -1);
      return;
    }

  /* Translators: the summary of the network editor for screen readers. */
  counts = g_strdup_printf (_("%u populations, %u projections, %u stimuli."), self->n_pops,
                            self->n_projs, self->n_stims);
  if (sel == NULL)
    summary = g_strdup (counts);
  else if (sel->kind == SW_NETWORK_ITEM_POPULATION)
    /* Translators: "Selected: population E, 8000 neurons, inhibitory". */
    summary = g_strdup_printf (_("%s Selected: population %s, %d neurons, %s."), counts,
                               sel->name, sel->n,
                               sel->source ? _("source")
                               : sel->inhibitory ? _("inhibitory") : _("excitatory"));
  else if (sel->kind == SW_NETWORK_ITEM_PROJECTION)
    /* Translators: "Selected: projection EE from E to E, 1.5 nS × 0.05". */
    summary = g_strdup_printf (_("%s Selected: projection %s from %s to %s, %s."), counts,
                               sel->name, item_at (self, sel->pre)->name,
                               item_at (self, sel->post)->name, sel->detail);
  else
    /* Translators: "Selected: stimulus drive of E". */
    summary = g_strdup_printf (_("%s Selected: stimulus %s of %s."), counts, sel->name,
                               item_at (self, sel->target)->name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  summary, -1);
}

static void
update_actions (SwNetworkEditor *self)
{
  const Item *sel = item_at (self, self->selected);
  gboolean pop = sel != NULL && sel->kind == SW_NETWORK_ITEM_POPULATION;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.connect", pop);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.delete", sel != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.properties", sel != NULL);
}

static void
set_selected (SwNetworkEditor *self, int index)
{
  if (item_at (self, index) == NULL)
    index = -1;
  if (self->selected == index)
    return;
  self->selected = index;
  update_actions (self);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

void
sw_network_editor_refresh (SwNetworkEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sel_name = NULL;
  SwNetworkItemKind sel_kind = SW_NETWORK_ITEM_NONE;
  SwNetSpec *spec = NULL;
  int old_selected = self->selected;
  const Item *sel;

  g_return_if_fail (SW_IS_NETWORK_EDITOR (self));

  if ((sel = item_at (self, self->selected)) != NULL)
    {
      sel_kind = sel->kind;
      sel_name = g_strdup (sel->name);
    }
  g_ptr_array_set_size (self->items, 0);
  self->n_pops = self->n_projs = self->n_stims = 0;
  self->max_n = self->max_strength = 0;
  self->selected = -1;
  self->drag_item = -1;
  self->connect_from = self->connect_to = -1;
  self->have_menu_point = FALSE;

  if (self->doc != NULL)
    spec = sw_document_build_spec (self->doc, &error);
  if (spec != NULL)
    {
      for (int i = 0; i < spec->n_pops; i++)
        {
          const SwPopSpec *p = &spec->pops[i];
          Item *item = g_new0 (Item, 1);

          item->kind = SW_NETWORK_ITEM_POPULATION;
          item->name = g_strdup (p->name);
          item->n = p->n;
          item->inhibitory = p->inhibitory;
          item->source = p->kind != SW_POP_NEURONS;
          self->max_n = MAX (self->max_n, p->n);
          g_ptr_array_add (self->items, item);
          self->n_pops++;
        }
      for (int i = 0; i < spec->n_projs; i++)
        {
          const SwProjSpec *p = &spec->projs[i];
          const SwPopSpec *post = &spec->pops[p->post];
          const char *unit = post->type != NULL && p->receptor >= 0
                               ? post->type->receptor_units[p->receptor] : "";
          Item *item = g_new0 (Item, 1);
          g_autofree char *w = format_number (p->weight.a);
          double prob;

          switch (p->rule)
            {
            case SW_CONN_FIXED_PROBABILITY:
              prob = p->p;
              item->detail = g_strdup_printf ("%s %s × p %g", w, unit, p->p);
              break;
            case SW_CONN_FIXED_INDEGREE:
              prob = spec->pops[p->pre].n > 0 ? (double) p->k / spec->pops[p->pre].n : 0;
              item->detail = g_strdup_printf ("%s %s × k %d", w, unit, p->k);
              break;
            case SW_CONN_FIXED_OUTDEGREE:
              prob = post->n > 0 ? (double) p->k / post->n : 0;
              item->detail = g_strdup_printf ("%s %s × k %d", w, unit, p->k);
              break;
            case SW_CONN_ONE_TO_ONE:
              prob = post->n > 0 ? 1.0 / post->n : 0;
              item->detail = g_strdup_printf ("%s %s, 1:1", w, unit);
              break;
            case SW_CONN_ALL_TO_ALL:
            case SW_N_CONNS:
            default:
              prob = 1.0;
              item->detail = g_strdup_printf ("%s %s, all", w, unit);
              break;
            }
          item->kind = SW_NETWORK_ITEM_PROJECTION;
          item->name = g_strdup (p->name);
          item->pre = p->pre;
          item->post = p->post;
          item->strength = fabs (p->weight.a) * prob;
          self->max_strength = MAX (self->max_strength, item->strength);
          g_ptr_array_add (self->items, item);
          self->n_projs++;
        }
      for (int i = 0; i < spec->n_stims; i++)
        {
          Item *item = g_new0 (Item, 1);

          item->kind = SW_NETWORK_ITEM_STIMULUS;
          item->name = g_strdup (spec->stims[i].name);
          item->target = spec->stims[i].target;
          g_ptr_array_add (self->items, item);
          self->n_stims++;
        }
      sw_net_spec_free (spec);
      default_layout (self);
    }

  if (sel_name != NULL)
    for (guint i = 0; i < self->items->len; i++)
      {
        const Item *item = self->items->pdata[i];
        if (item->kind == sel_kind && g_str_equal (item->name, sel_name))
          self->selected = (int) i;
      }
  update_actions (self);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (self->selected != old_selected || (self->selected < 0 && sel_name != NULL))
    g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

/* ------------------------------------------------------------------------ */
/* Drawing                                                                   */

typedef struct
{
  GdkRGBA fg, excitatory, inhibitory, accent, view_bg;
} Colours;

static void
lookup (GtkStyleContext *context, const char *name, GdkRGBA *out, const char *fallback)
{
  if (!gtk_style_context_lookup_color (context, name, out))
    gdk_rgba_parse (out, fallback);
}

static void
get_colours (SwNetworkEditor *self, Colours *c)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  gtk_style_context_get_color (context, &c->fg);
  /* As in the live views: accent for excitatory, error colour for
   * inhibitory. */
  lookup (context, "accent_color", &c->excitatory, "#1c71d8");
  lookup (context, "error_color", &c->inhibitory, "#c01c28");
  lookup (context, "accent_color", &c->accent, "#1c71d8");
  lookup (context, "window_bg_color", &c->view_bg, "#fafafa");
}

static void
set_source (cairo_t *cr, const GdkRGBA *c, double alpha)
{
  cairo_set_source_rgba (cr, c->red, c->green, c->blue, c->alpha * alpha);
}

static void
draw_text (SwNetworkEditor *self, cairo_t *cr, const char *text, double x, double y,
           gboolean bold, double xalign, const Colours *c, gboolean backdrop)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  PangoRectangle ink, logical;

  if (bold)
    {
      g_autofree char *escaped = g_markup_escape_text (text, -1);
      g_autofree char *markup = g_strconcat ("<b>", escaped, "</b>", NULL);
      pango_layout_set_markup (layout, markup, -1);
    }
  else
    pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_extents (layout, &ink, &logical);
  x -= logical.width * xalign;
  y -= logical.height / 2.0;
  if (backdrop)
    {
      /* Labels stay readable over lines. */
      set_source (cr, &c->view_bg, 0.85);
      cairo_rectangle (cr, x - 3, y, logical.width + 6, logical.height);
      cairo_fill (cr);
    }
  set_source (cr, &c->fg, 1.0);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
}

/* A label in Pango markup, centred vertically on @y, on a backdrop. */
static void
draw_markup (SwNetworkEditor *self, cairo_t *cr, const char *markup, double x, double y,
             double xalign, const Colours *c)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  PangoRectangle ink, logical;

  pango_layout_set_markup (layout, markup, -1);
  pango_layout_set_alignment (layout, xalign < 0.25 ? PANGO_ALIGN_LEFT
                                      : xalign > 0.75 ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_CENTER);
  pango_layout_get_pixel_extents (layout, &ink, &logical);
  x -= logical.width * xalign;
  y -= logical.height / 2.0;
  set_source (cr, &c->view_bg, 0.85);
  cairo_rectangle (cr, x - 3, y, logical.width + 6, logical.height);
  cairo_fill (cr);
  set_source (cr, &c->fg, 1.0);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
}

static void
node_path (cairo_t *cr, const Item *pop, double x, double y, double r)
{
  if (pop->source)
    {
      /* A diamond of the same area order. */
      cairo_move_to (cr, x, y - r * 1.15);
      cairo_line_to (cr, x + r * 1.15, y);
      cairo_line_to (cr, x, y + r * 1.15);
      cairo_line_to (cr, x - r * 1.15, y);
      cairo_close_path (cr);
    }
  else if (pop->inhibitory)
    cairo_rectangle (cr, x - r * 0.89, y - r * 0.89, r * 1.78, r * 1.78);
  else
    {
      cairo_new_sub_path (cr);
      cairo_arc (cr, x, y, r, 0, 2 * G_PI);
    }
}

static gboolean
pre_is_inhibitory (SwNetworkEditor *self, const Item *proj)
{
  const Item *pre = item_at (self, proj->pre);
  return pre != NULL && pre->inhibitory && !pre->source;
}

static void
draw_projection (SwNetworkEditor *self, cairo_t *cr, const Item *proj, gboolean selected,
                 const Colours *c)
{
  double x0, y0, cx, cy, x1, y1, mx, my, tx, ty, len, width;
  gboolean inhibitory = pre_is_inhibitory (self, proj);
  const GdkRGBA *colour = inhibitory ? &c->inhibitory : &c->excitatory;
  static const double dash[] = { 7.0, 4.0 };

  proj_geometry (self, proj, &x0, &y0, &cx, &cy, &x1, &y1);
  /* Width by weight × probability, relative to the strongest. */
  width = 1.5 + 6.5 * (self->max_strength > 0 ? sqrt (proj->strength / self->max_strength) : 0);

  if (selected)
    {
      set_source (cr, &c->accent, 0.35);
      cairo_set_line_width (cr, width + 8);
      cairo_move_to (cr, x0, y0);
      cairo_curve_to (cr, x0 + 2.0 / 3 * (cx - x0), y0 + 2.0 / 3 * (cy - y0),
                      x1 + 2.0 / 3 * (cx - x1), y1 + 2.0 / 3 * (cy - y1), x1, y1);
      cairo_stroke (cr);
    }

  set_source (cr, colour, 0.85);
  cairo_set_line_width (cr, width);
  /* Inhibitory projections are dashed: colour is never the only cue. */
  cairo_set_dash (cr, dash, inhibitory ? 2 : 0, 0);
  cairo_move_to (cr, x0, y0);
  cairo_curve_to (cr, x0 + 2.0 / 3 * (cx - x0), y0 + 2.0 / 3 * (cy - y0),
                  x1 + 2.0 / 3 * (cx - x1), y1 + 2.0 / 3 * (cy - y1), x1, y1);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  /* The head: an arrow for excitation, a bar for inhibition. */
  tx = x1 - cx;
  ty = y1 - cy;
  len = MAX (hypot (tx, ty), 1e-6);
  tx /= len;
  ty /= len;
  if (inhibitory)
    {
      double hw = 6 + width;
      cairo_set_line_width (cr, 3.5);
      cairo_move_to (cr, x1 - ty * hw, y1 + tx * hw);
      cairo_line_to (cr, x1 + ty * hw, y1 - tx * hw);
      cairo_stroke (cr);
    }
  else
    {
      double hl = 9 + width * 1.2, hw = 5 + width * 0.8;
      cairo_move_to (cr, x1 + tx * 4, y1 + ty * 4);
      cairo_line_to (cr, x1 - tx * hl - ty * hw, y1 - ty * hl + tx * hw);
      cairo_line_to (cr, x1 - tx * hl + ty * hw, y1 - ty * hl - tx * hw);
      cairo_close_path (cr);
      cairo_fill (cr);
    }

  /* The label on the curve, a little towards the target where arrows from
   * one source have drawn apart (a loop's at its tip). */
  bezier_point (x0, y0, cx, cy, x1, y1, proj->pre == proj->post ? 0.5 : 0.6, &mx, &my);
  {
    g_autofree char *name = g_markup_escape_text (proj->name, -1);
    g_autofree char *detail = g_markup_escape_text (proj->detail, -1);
    /* Two lines, the name in bold: narrow enough for the loops' sides. */
    g_autofree char *label = g_strdup_printf ("<b>%s</b>\n%s", name, detail);
    double xalign = 0.5;

    /* A loop's label sits by its tip. */
    if (proj->pre == proj->post)
      {
        double ux, uy;
        loop_direction (self, item_at (self, proj->pre), &ux, &uy);
        /* Above a sideways loop, outwards (the node's size is under the
         * node). */
        if (fabs (ux) > 0.3)
          {
            xalign = ux < 0 ? 1.0 : 0.0;
            mx -= ux * 25;
            my -= 34;
          }
        else
          my -= 24;
      }
    draw_markup (self, cr, label, mx, my, xalign, c);
  }
}

static void
draw_population (SwNetworkEditor *self, cairo_t *cr, const Item *pop, gboolean selected,
                 const Colours *c)
{
  double x, y, r = node_radius (self, pop);
  const GdkRGBA *colour = pop->source ? &c->fg : pop->inhibitory ? &c->inhibitory
                                                                 : &c->excitatory;
  static const double dash[] = { 5.0, 3.0 };
  g_autofree char *size = NULL;

  node_center (self, pop, &x, &y);
  if (selected)
    {
      set_source (cr, &c->accent, 0.35);
      node_path (cr, pop, x, y, r + 6);
      cairo_fill (cr);
    }
  node_path (cr, pop, x, y, r);
  set_source (cr, &c->view_bg, 1.0);
  cairo_fill_preserve (cr);
  set_source (cr, colour, pop->source ? 0.12 : 0.25);
  cairo_fill_preserve (cr);
  set_source (cr, colour, 1.0);
  cairo_set_line_width (cr, selected ? 3.5 : 2.0);
  cairo_set_dash (cr, dash, pop->source ? 2 : 0, 0);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  draw_text (self, cr, pop->name, x, y, TRUE, 0.5, c, FALSE);
  /* Translators: the size of a population under its node. */
  size = g_strdup_printf (ngettext ("%d neuron", "%d neurons", pop->n),
                          pop->n);
  if (pop->source)
    {
      g_free (size);
      /* Translators: the size of a source population under its node. */
      size = g_strdup_printf (ngettext ("%d source", "%d sources", pop->n),
                              pop->n);
    }
  draw_text (self, cr, size, x, y + r * (pop->source ? 1.15 : 1.0) + 11, FALSE, 0.5, c, TRUE);
}

static void
draw_stimulus (SwNetworkEditor *self, cairo_t *cr, const Item *stim, gboolean selected,
               const Colours *c)
{
  double sx, sy, tx, ty;

  stim_anchor (self, stim, &sx, &sy, &tx, &ty);
  set_source (cr, &c->fg, 0.8);
  cairo_set_line_width (cr, selected ? 3.0 : 1.5);
  cairo_move_to (cr, sx, sy);
  cairo_line_to (cr, tx, ty);
  cairo_stroke (cr);
  /* A triangle pointing at the target. */
  cairo_move_to (cr, sx - 11, sy + 9);
  cairo_line_to (cr, sx + 11, sy + 9);
  cairo_line_to (cr, sx, sy - 11);
  cairo_close_path (cr);
  set_source (cr, selected ? &c->accent : &c->fg, 1.0);
  cairo_fill (cr);
  draw_text (self, cr, stim->name, sx, sy + 22, selected, 0.5, c, TRUE);
}

static void
sw_network_editor_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  SwNetworkEditor *self = SW_NETWORK_EDITOR (widget);
  double w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  cairo_t *cr;
  Colours c;

  if (w <= 0 || h <= 0)
    return;
  get_colours (self, &c);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);

  if (self->items->len == 0)
    draw_text (self, cr, _("No network"), w / 2, h / 2, FALSE, 0.5, &c, FALSE);

  for (guint i = 0; i < self->items->len; i++)
    {
      const Item *item = self->items->pdata[i];
      if (item->kind == SW_NETWORK_ITEM_PROJECTION)
        draw_projection (self, cr, item, (int) i == self->selected, &c);
      else if (item->kind == SW_NETWORK_ITEM_STIMULUS)
        draw_stimulus (self, cr, item, (int) i == self->selected, &c);
    }
  for (guint i = 0; i < self->items->len; i++)
    {
      const Item *item = self->items->pdata[i];
      if (item->kind == SW_NETWORK_ITEM_POPULATION)
        draw_population (self, cr, item, (int) i == self->selected, &c);
    }

  /* A connection being made with the keyboard: the target ringed, a
   * dashed line to it. */
  if (item_at (self, self->connect_from) != NULL && item_at (self, self->connect_to) != NULL)
    {
      static const double dash[] = { 4.0, 4.0 };
      const Item *from = item_at (self, self->connect_from);
      const Item *to = item_at (self, self->connect_to);
      double x0, y0, x1, y1, r = node_radius (self, to);

      node_center (self, from, &x0, &y0);
      node_center (self, to, &x1, &y1);
      set_source (cr, &c.accent, 1.0);
      cairo_set_line_width (cr, 3.0);
      node_path (cr, to, x1, y1, r + 7);
      cairo_stroke (cr);
      cairo_set_line_width (cr, 2.0);
      cairo_set_dash (cr, dash, 2, 0);
      if (from == to)
        {
          /* Onto itself: a small circle beside the node. */
          cairo_new_sub_path (cr);
          cairo_arc (cr, x0 + r + 18, y0 - r * 0.5, 16, 0, 2 * G_PI);
        }
      else
        {
          double len = MAX (hypot (x1 - x0, y1 - y0), 1e-6);
          cairo_move_to (cr, x0, y0);
          cairo_line_to (cr, x1 - (x1 - x0) / len * (r + 7), y1 - (y1 - y0) / len * (r + 7));
        }
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }

  /* A connection being drawn. */
  if (self->drag_connect && item_at (self, self->drag_item) != NULL)
    {
      static const double dash[] = { 4.0, 4.0 };
      double x, y;

      node_center (self, item_at (self, self->drag_item), &x, &y);
      set_source (cr, &c.accent, 1.0);
      cairo_set_line_width (cr, 2.0);
      cairo_set_dash (cr, dash, 2, 0);
      cairo_move_to (cr, x, y);
      cairo_line_to (cr, self->pointer_x, self->pointer_y);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }

  /* Focus is visible: a ring around the canvas. */
  if (gtk_widget_has_focus (widget))
    {
      static const double dash[] = { 6.0, 4.0 };
      set_source (cr, &c.accent, 0.9);
      cairo_set_line_width (cr, 2.0);
      cairo_set_dash (cr, dash, 2, 0);
      cairo_rectangle (cr, 3, 3, w - 6, h - 6);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }

  /* How to use it, at the bottom. */
  {
    g_autofree char *hint = NULL;
    PangoLayout *layout;

    if (item_at (self, self->connect_from) != NULL && item_at (self, self->connect_to) != NULL)
      /* Translators: the hint at the bottom of the network editor while a
       * projection is being made with the keyboard. */
      hint = g_strdup_printf (_("Connecting %s to %s · Arrow keys or Tab choose the target · "
                                "Enter connects · Escape cancels"),
                              item_at (self, self->connect_from)->name,
                              item_at (self, self->connect_to)->name);
    else
      hint = g_strdup (_("Drag to move · Shift+drag or C to connect · Right-click for more · "
                         "Delete removes · Enter edits"));
    layout = gtk_widget_create_pango_layout (widget, hint);
    int lw, lh;

    pango_layout_set_width (layout, (int) (w - 24) * PANGO_SCALE);
    pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
    pango_layout_get_pixel_size (layout, &lw, &lh);
    set_source (cr, &c.fg, 0.6);
    cairo_move_to (cr, 12, h - lh - 10);
    pango_cairo_show_layout (cr, layout);
    g_object_unref (layout);
  }
  cairo_destroy (cr);
}

/* ------------------------------------------------------------------------ */
/* Input                                                                     */

static void
emit_moved (SwNetworkEditor *self, const Item *pop)
{
  g_signal_emit (self, signals[NODE_MOVED], 0, pop->name, pop->x, pop->y);
}

static void
drag_begin_cb (GtkGestureDrag *gesture, double x, double y, SwNetworkEditor *self)
{
  GdkModifierType mods =
    gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  int hit = hit_test (self, x, y, FALSE);
  const Item *item = item_at (self, hit);

  gtk_widget_grab_focus (GTK_WIDGET (self));
  /* A click on a population while a connection is being made picks the
   * target. */
  if (connecting (self))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      if (item != NULL && item->kind == SW_NETWORK_ITEM_POPULATION && !item->source)
        {
          self->connect_to = hit;
          end_connect (self, TRUE);
        }
      else
        end_connect (self, FALSE);
      return;
    }
  self->have_menu_point = FALSE;
  set_selected (self, hit);
  self->drag_item = -1;
  self->drag_moved = FALSE;
  if (item == NULL || item->kind != SW_NETWORK_ITEM_POPULATION)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  self->drag_item = hit;
  self->drag_connect = (mods & GDK_SHIFT_MASK) != 0;
  self->drag_x0 = item->x;
  self->drag_y0 = item->y;
  self->pointer_x = x;
  self->pointer_y = y;
}

static void
drag_update_cb (GtkGestureDrag *gesture, double dx, double dy, SwNetworkEditor *self)
{
  Item *item = item_at (self, self->drag_item);
  double sx, sy, px, py;

  if (item == NULL)
    return;
  gtk_gesture_drag_get_start_point (gesture, &sx, &sy);
  self->pointer_x = sx + dx;
  self->pointer_y = sy + dy;
  if (hypot (dx, dy) > 3)
    self->drag_moved = TRUE;
  if (!self->drag_connect && self->drag_moved)
    {
      to_pixels (self, self->drag_x0, self->drag_y0, &px, &py);
      to_units (self, px + dx, py + dy, &item->x, &item->y);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_end_cb (GtkGestureDrag *gesture, double dx, double dy, SwNetworkEditor *self)
{
  Item *item = item_at (self, self->drag_item);

  self->drag_item = -1;
  if (item == NULL || !self->drag_moved)
    {
      self->drag_connect = FALSE;
      return;
    }
  if (self->drag_connect)
    {
      const Item *target = item_at (self, hit_test (self, self->pointer_x, self->pointer_y, TRUE));

      self->drag_connect = FALSE;
      gtk_widget_queue_draw (GTK_WIDGET (self));
      if (target != NULL)
        g_signal_emit (self, signals[CONNECT], 0, item->name, target->name);
      return;
    }
  emit_moved (self, item);
}

static void
pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, SwNetworkEditor *self)
{
  if (n_press == 2 && item_at (self, self->selected) != NULL)
    g_signal_emit (self, signals[ACTIVATE_SELECTION], 0);
}

static gboolean
cancel_drag (GtkWidget *widget, GVariant *args, gpointer data)
{
  SwNetworkEditor *self = SW_NETWORK_EDITOR (widget);
  Item *item = item_at (self, self->drag_item);

  if (connecting (self))
    {
      end_connect (self, FALSE);
      return TRUE;
    }
  if (item == NULL)
    return FALSE;
  if (!self->drag_connect)
    {
      item->x = self->drag_x0;
      item->y = self->drag_y0;
    }
  self->drag_item = -1;
  self->drag_connect = FALSE;
  self->drag_moved = FALSE;
  gtk_widget_queue_draw (widget);
  return TRUE;
}

/* Keyboard connection */

static gboolean
connecting (SwNetworkEditor *self)
{
  return item_at (self, self->connect_from) != NULL;
}

/* The next population after @from in the direction of @step that can
 * receive a projection (neurons, not sources), or -1. */
static int
next_target (SwNetworkEditor *self, int from, int step)
{
  int n = (int) self->n_pops;

  for (int k = 1; k <= n; k++)
    {
      int i = (((from + step * k) % n) + n) % n;
      if (!((const Item *) self->items->pdata[i])->source)
        return i;
    }
  return -1;
}

static void
end_connect (SwNetworkEditor *self, gboolean create)
{
  const Item *from = item_at (self, self->connect_from);
  const Item *to = item_at (self, self->connect_to);
  g_autofree char *pre = from != NULL ? g_strdup (from->name) : NULL;
  g_autofree char *post = to != NULL ? g_strdup (to->name) : NULL;

  self->connect_from = self->connect_to = -1;
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  /* The window may rebuild the items at once: names, not items, go out. */
  if (create && pre != NULL && post != NULL)
    g_signal_emit (self, signals[CONNECT], 0, pre, post);
}

static void
begin_connect (SwNetworkEditor *self)
{
  const Item *sel = item_at (self, self->selected);
  int target;

  if (sel == NULL || sel->kind != SW_NETWORK_ITEM_POPULATION)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  /* The first candidate is the next population, else the node itself. */
  target = next_target (self, self->selected, 1);
  if (target < 0)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  self->connect_from = self->selected;
  self->connect_to = target;
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
step_target (SwNetworkEditor *self, int step)
{
  int target = next_target (self, self->connect_to, step);

  if (target >= 0)
    self->connect_to = target;
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
step_selection (GtkWidget *widget, GVariant *args, gpointer data)
{
  SwNetworkEditor *self = SW_NETWORK_EDITOR (widget);
  int step = g_variant_get_int32 (args);
  int n = (int) self->items->len;

  if (connecting (self))
    {
      step_target (self, step);
      return TRUE;
    }
  if (n == 0)
    return FALSE;
  if (self->selected < 0)
    set_selected (self, step > 0 ? 0 : n - 1);
  else
    set_selected (self, ((self->selected + step) % n + n) % n);
  return TRUE;
}

static gboolean
move_node (GtkWidget *widget, GVariant *args, gpointer data)
{
  SwNetworkEditor *self = SW_NETWORK_EDITOR (widget);
  Item *item = item_at (self, self->selected);
  int dx, dy;

  if (connecting (self) || item == NULL || item->kind != SW_NETWORK_ITEM_POPULATION)
    return FALSE;
  g_variant_get (args, "(ii)", &dx, &dy);
  item->x = CLAMP (item->x + dx * KEY_STEP, 0.0, 1.0);
  item->y = CLAMP (item->y + dy * KEY_STEP, 0.0, 1.0);
  gtk_widget_queue_draw (widget);
  emit_moved (self, item);
  return TRUE;
}

static gboolean
activate_selection (GtkWidget *widget, GVariant *args, gpointer data)
{
  SwNetworkEditor *self = SW_NETWORK_EDITOR (widget);

  if (connecting (self))
    {
      end_connect (self, TRUE);
      return TRUE;
    }
  if (item_at (self, self->selected) == NULL)
    return FALSE;
  g_signal_emit (self, signals[ACTIVATE_SELECTION], 0);
  return TRUE;
}

static gboolean
remove_selection (GtkWidget *widget, GVariant *args, gpointer data)
{
  SwNetworkEditor *self = SW_NETWORK_EDITOR (widget);
  const Item *item = item_at (self, self->selected);
  g_autofree char *name = NULL;

  /* Nothing goes while a connection is being chosen. */
  if (connecting (self))
    return TRUE;
  if (item == NULL)
    return FALSE;
  name = g_strdup (item->name);
  g_signal_emit (self, signals[REMOVE], 0, (int) item->kind, name);
  return TRUE;
}

static void
connect_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SwNetworkEditor *self = SW_NETWORK_EDITOR (widget);

  gtk_widget_grab_focus (widget);
  if (connecting (self))
    step_target (self, 1);
  else
    begin_connect (self);
}

static void
delete_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  remove_selection (widget, NULL, NULL);
}

static void
properties_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  activate_selection (widget, NULL, NULL);
}

/* Tab and Shift+Tab: into the canvas onto the first (last) item, then from
 * item to item, and out of the canvas after the last (first) one, so that
 * the panel beside it is reached next.  While a connection is being made
 * they choose its target. */
static gboolean
sw_network_editor_focus (GtkWidget *widget, GtkDirectionType direction)
{
  SwNetworkEditor *self = SW_NETWORK_EDITOR (widget);
  int n = (int) self->items->len;
  int step;

  if (direction != GTK_DIR_TAB_FORWARD && direction != GTK_DIR_TAB_BACKWARD)
    return GTK_WIDGET_CLASS (sw_network_editor_parent_class)->focus (widget, direction);
  step = direction == GTK_DIR_TAB_FORWARD ? 1 : -1;
  if (!gtk_widget_has_focus (widget))
    {
      gtk_widget_grab_focus (widget);
      if (self->selected < 0 && n > 0)
        set_selected (self, step > 0 ? 0 : n - 1);
      return TRUE;
    }
  if (connecting (self))
    {
      step_target (self, step);
      return TRUE;
    }
  if (n == 0 || (step > 0 && self->selected == n - 1) || (step < 0 && self->selected == 0))
    return FALSE;
  set_selected (self, self->selected < 0 ? (step > 0 ? 0 : n - 1) : self->selected + step);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* The context menu                                                          */

static void
popup_menu (SwNetworkEditor *self, double px, double py)
{
  const Item *item = item_at (self, self->selected);
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) add = g_menu_new ();
  g_autoptr(GMenu) edit = g_menu_new ();

  if (item == NULL)
    {
      /* A new population goes where the menu was opened. */
      self->have_menu_point = TRUE;
      to_units (self, px, py, &self->menu_x, &self->menu_y);
    }
  else
    self->have_menu_point = FALSE;

  if (item != NULL && item->kind == SW_NETWORK_ITEM_POPULATION)
    {
      g_menu_append (edit, _("_Connect…"), "editor.connect");
      if (!item->source)
        {
          g_autoptr(GMenuItem) stim = g_menu_item_new (_("Add _Stimulus…"), NULL);
          g_menu_item_set_action_and_target (stim, "win.add-source", "s", item->name);
          g_menu_append_item (edit, stim);
        }
    }
  if (item != NULL)
    {
      g_menu_append (edit, _("_Properties"), "editor.properties");
      g_menu_append (edit, _("_Delete"), "editor.delete");
      g_menu_append_section (menu, NULL, G_MENU_MODEL (edit));
    }
  g_menu_append (add, _("Add _Population…"), "win.add-population");
  {
    g_autoptr(GMenuItem) source = g_menu_item_new (_("Add _Source or Stimulus…"), NULL);
    g_menu_item_set_action_and_target (source, "win.add-source", "s", "");
    g_menu_append_item (add, source);
  }
  g_menu_append_section (menu, NULL, G_MENU_MODEL (add));

  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->menu), G_MENU_MODEL (menu));
  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu),
                               &(GdkRectangle) { (int) px, (int) py, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

static void
secondary_pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y,
                      SwNetworkEditor *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (connecting (self))
    end_connect (self, FALSE);
  set_selected (self, hit_test (self, x, y, FALSE));
  popup_menu (self, x, y);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

/* Menu and Shift+F10: the menu of the selection, at its node. */
static gboolean
menu_key (GtkWidget *widget, GVariant *args, gpointer data)
{
  SwNetworkEditor *self = SW_NETWORK_EDITOR (widget);
  const Item *item = item_at (self, self->selected);
  double x = gtk_widget_get_width (widget) / 2.0, y = gtk_widget_get_height (widget) / 2.0;

  if (item != NULL && item->kind == SW_NETWORK_ITEM_POPULATION)
    node_center (self, item, &x, &y);
  else if (item != NULL && item->kind == SW_NETWORK_ITEM_STIMULUS)
    {
      double tx, ty;
      stim_anchor (self, item, &x, &y, &tx, &ty);
    }
  popup_menu (self, x, y);
  return TRUE;
}

static void
focus_changed_cb (SwNetworkEditor *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ------------------------------------------------------------------------ */
/* The object                                                                */

static void
sw_network_editor_dispose (GObject *object)
{
  SwNetworkEditor *self = SW_NETWORK_EDITOR (object);

  self->doc = NULL;
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), SW_TYPE_NETWORK_EDITOR);
  G_OBJECT_CLASS (sw_network_editor_parent_class)->dispose (object);
}

static void
sw_network_editor_finalize (GObject *object)
{
  SwNetworkEditor *self = SW_NETWORK_EDITOR (object);

  g_ptr_array_unref (self->items);
  G_OBJECT_CLASS (sw_network_editor_parent_class)->finalize (object);
}

static void
sw_network_editor_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                           int *minimum, int *natural, int *minimum_baseline,
                           int *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 300 : 240;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 640 : 480;
}

static void
sw_network_editor_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  SwNetworkEditor *self = SW_NETWORK_EDITOR (widget);

  /* A popover child is placed by its parent. */
  if (self->menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->menu));
}

static void
add_arrow (GtkWidgetClass *widget_class, guint key, guint kp_key, GdkModifierType mods,
           GtkShortcutFunc func, const char *format, int a, int b)
{
  gtk_widget_class_add_binding (widget_class, key, mods, func, format, a, b);
  gtk_widget_class_add_binding (widget_class, kp_key, mods, func, format, a, b);
}

static void
sw_network_editor_class_init (SwNetworkEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sw_network_editor_dispose;
  object_class->finalize = sw_network_editor_finalize;
  widget_class->snapshot = sw_network_editor_snapshot;
  widget_class->measure = sw_network_editor_measure;
  widget_class->size_allocate = sw_network_editor_size_allocate;
  widget_class->focus = sw_network_editor_focus;

  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[ACTIVATE_SELECTION] =
    g_signal_new ("activate-selection", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[NODE_MOVED] =
    g_signal_new ("node-moved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
  signals[CONNECT] =
    g_signal_new ("connect", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[REMOVE] =
    g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/sw-network-editor.ui");
  gtk_widget_class_set_css_name (widget_class, "networkeditor");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);

  add_arrow (widget_class, GDK_KEY_Right, GDK_KEY_KP_Right, 0, step_selection, "i", 1, 0);
  add_arrow (widget_class, GDK_KEY_Down, GDK_KEY_KP_Down, 0, step_selection, "i", 1, 0);
  add_arrow (widget_class, GDK_KEY_Left, GDK_KEY_KP_Left, 0, step_selection, "i", -1, 0);
  add_arrow (widget_class, GDK_KEY_Up, GDK_KEY_KP_Up, 0, step_selection, "i", -1, 0);
  add_arrow (widget_class, GDK_KEY_Right, GDK_KEY_KP_Right, GDK_CONTROL_MASK, move_node, "(ii)",
             1, 0);
  add_arrow (widget_class, GDK_KEY_Left, GDK_KEY_KP_Left, GDK_CONTROL_MASK, move_node, "(ii)",
             -1, 0);
  add_arrow (widget_class, GDK_KEY_Down, GDK_KEY_KP_Down, GDK_CONTROL_MASK, move_node, "(ii)",
             0, 1);
  add_arrow (widget_class, GDK_KEY_Up, GDK_KEY_KP_Up, GDK_CONTROL_MASK, move_node, "(ii)",
             0, -1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Return, 0, activate_selection, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Enter, 0, activate_selection, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Delete, 0, remove_selection, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Delete, 0, remove_selection, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_BackSpace, 0, remove_selection, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, cancel_drag, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Menu, 0, menu_key, NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, menu_key, NULL);

  gtk_widget_class_install_action (widget_class, "editor.connect", NULL, connect_action);
  gtk_widget_class_install_action (widget_class, "editor.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "editor.properties", NULL, properties_action);
  /* C starts a connection from the selected population, as in other
   * graph editors; only while the canvas has the focus. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, 0, "editor.connect", NULL);
}

static void
sw_network_editor_init (SwNetworkEditor *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *secondary = gtk_gesture_click_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->items = g_ptr_array_new_with_free_func (item_free);
  self->selected = -1;
  self->drag_item = -1;
  self->connect_from = self->connect_to = -1;

  self->menu = gtk_popover_menu_new_from_model (NULL);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
  gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->menu, GTK_WIDGET (self));

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (secondary), GDK_BUTTON_SECONDARY);
  g_signal_connect (secondary, "pressed", G_CALLBACK (secondary_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (secondary));

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  g_signal_connect_swapped (focus, "enter", G_CALLBACK (focus_changed_cb), self);
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (focus_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);

  update_actions (self);
  update_accessible (self);
}

GtkWidget *
sw_network_editor_new (void)
{
  return g_object_new (SW_TYPE_NETWORK_EDITOR, NULL);
}

void
sw_network_editor_set_document (SwNetworkEditor *self, SwDocument *doc)
{
  g_return_if_fail (SW_IS_NETWORK_EDITOR (self));

  self->doc = doc;
  sw_network_editor_refresh (self);
}

guint
sw_network_editor_get_n_items (SwNetworkEditor *self, SwNetworkItemKind kind)
{
  g_return_val_if_fail (SW_IS_NETWORK_EDITOR (self), 0);

  switch (kind)
    {
    case SW_NETWORK_ITEM_POPULATION:
      return self->n_pops;
    case SW_NETWORK_ITEM_PROJECTION:
      return self->n_projs;
    case SW_NETWORK_ITEM_STIMULUS:
      return self->n_stims;
    case SW_NETWORK_ITEM_NONE:
    default:
      return 0;
    }
}

static int
find_item (SwNetworkEditor *self, SwNetworkItemKind kind, const char *name)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      const Item *item = self->items->pdata[i];
      if (item->kind == kind && g_str_equal (item->name, name))
        return (int) i;
    }
  return -1;
}

gboolean
sw_network_editor_has_item (SwNetworkEditor *self, SwNetworkItemKind kind, const char *name)
{
  g_return_val_if_fail (SW_IS_NETWORK_EDITOR (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return find_item (self, kind, name) >= 0;
}

SwNetworkItemKind
sw_network_editor_get_selection (SwNetworkEditor *self, const char **name)
{
  const Item *item;

  g_return_val_if_fail (SW_IS_NETWORK_EDITOR (self), SW_NETWORK_ITEM_NONE);

  item = item_at (self, self->selected);
  if (name != NULL)
    *name = item != NULL ? item->name : NULL;
  return item != NULL ? item->kind : SW_NETWORK_ITEM_NONE;
}

gboolean
sw_network_editor_select (SwNetworkEditor *self, SwNetworkItemKind kind, const char *name)
{
  int index;

  g_return_val_if_fail (SW_IS_NETWORK_EDITOR (self), FALSE);

  index = name != NULL ? find_item (self, kind, name) : -1;
  set_selected (self, index);
  return index >= 0 || name == NULL;
}

gboolean
sw_network_editor_get_node_position (SwNetworkEditor *self, const char *name, double *x,
                                     double *y)
{
  int index;

  g_return_val_if_fail (SW_IS_NETWORK_EDITOR (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  index = find_item (self, SW_NETWORK_ITEM_POPULATION, name);
  if (index < 0)
    return FALSE;
  if (x != NULL)
    *x = item_at (self, index)->x;
  if (y != NULL)
    *y = item_at (self, index)->y;
  return TRUE;
}

const char *
sw_network_editor_get_connect_target (SwNetworkEditor *self)
{
  g_return_val_if_fail (SW_IS_NETWORK_EDITOR (self), NULL);

  if (!connecting (self) || item_at (self, self->connect_to) == NULL)
    return NULL;
  return item_at (self, self->connect_to)->name;
}

void
sw_network_editor_suggest_position (SwNetworkEditor *self, gboolean source, double *x,
                                    double *y)
{
  double best = -1.0;

  g_return_if_fail (SW_IS_NETWORK_EDITOR (self));
  g_return_if_fail (x != NULL && y != NULL);

  if (self->have_menu_point)
    {
      *x = self->menu_x;
      *y = self->menu_y;
      return;
    }
  /* The free place farthest from the other nodes on a grid, preferring the
   * row of its kind (sources at the top, neurons below). */
  *x = 0.5;
  *y = source ? 0.1 : 0.75;
  for (int i = 0; i <= 8; i++)
    for (int j = 0; j <= 6; j++)
      {
        double cx = i / 8.0, cy = j / 6.0, d = 4.0;

        for (guint k = 0; k < self->n_pops; k++)
          {
            const Item *pop = self->items->pdata[k];
            d = MIN (d, hypot (pop->x - cx, pop->y - cy));
          }
        /* Distance counts most; being near the kind's row breaks ties. */
        d -= 0.25 * fabs (cy - (source ? 0.1 : 0.75));
        if (d > best)
          {
            best = d;
            *x = cx;
            *y = cy;
          }
      }
}
