/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwMorphView: the cells of a cells document drawn flat.  Each section is
 * a straight piece as long as the section and as thick as its diameter
 * (within limits that keep thin dendrites visible and the soma in
 * proportion); a child continues its parent, siblings fan out, and what
 * hangs from the start of the root points the other way.  Each compartment
 * is coloured by its membrane voltage, with a colour bar in mV.  Clicking
 * a compartment emits "node-activated", a click beside every compartment
 * "background-activated"; placed clamps and synapses and the traced
 * compartments are drawn as markers, the selected one on a square.
 */
#pragma once

#include <gtk/gtk.h>

#include "sw-cable.h"

G_BEGIN_DECLS

typedef enum
{
  SW_MORPH_MARK_TRACE = 0,   /* a traced compartment (a ring in the trace's colour) */
  SW_MORPH_MARK_CLAMP,       /* a current clamp (a square) */
  SW_MORPH_MARK_EXCITATORY,  /* an excitatory synapse (a triangle) */
  SW_MORPH_MARK_INHIBITORY,  /* an inhibitory synapse (a bar) */
} SwMorphMarkKind;

typedef struct
{
  int cell;                 /* index among the shown cells */
  int node;
  SwMorphMarkKind kind;
  double r, g, b;           /* colour of trace rings */
} SwMorphMark;

#define SW_TYPE_MORPH_VIEW (sw_morph_view_get_type ())
G_DECLARE_FINAL_TYPE (SwMorphView, sw_morph_view, SW, MORPH_VIEW, GtkWidget)

GtkWidget *sw_morph_view_new (void);

/* Shows @n cells (copied) with their @labels, side by side; every voltage
 * starts unknown (grey). */
void sw_morph_view_set_cells (SwMorphView *self, const SwCableCell *const *cells,
                              const char *const *labels, int n);
/* Draws shown cell @cell at the points of its sections instead of the
 * planar layout: @lines as from sw_swc_layout_load() (one polyline per
 * section of its morphology; not kept). */
void sw_morph_view_set_cell_layout (SwMorphView *self, int cell, GPtrArray *lines);
int sw_morph_view_get_n_cells (SwMorphView *self);
/* Width over height of the drawing when every shown cell gets an equal
 * slot side by side and none is cut: what the view's own aspect should be
 * for the cells to fill it (1 without cells). */
double sw_morph_view_get_aspect (SwMorphView *self);
/* Where shown cell @cell was fitted at the last draw: its bounding box as
 * drawn (@extent: left, top, right, bottom in widget coordinates) and the
 * free area it was fitted into (@area, the same way); FALSE before the
 * first draw.  The cell keeps its aspect ratio and fills @area in width or
 * in height. */
gboolean sw_morph_view_get_extent (SwMorphView *self, int cell, double extent[4], double area[4]);
/* The definition of shown cell @cell (owned by the view). */
const SwCableCell *sw_morph_view_get_cell (SwMorphView *self, int cell);

/* Voltages (mV) of every node of every shown cell, cell after cell, in the
 * node order of the definitions; NULL: unknown.  @time_ms is shown. */
void sw_morph_view_set_voltages (SwMorphView *self, const float *v_mv, double time_ms);
/* The voltage shown at (@cell, @node), NaN when unknown. */
double sw_morph_view_get_voltage (SwMorphView *self, int cell, int node);

/* The voltages at the ends of the colour scale (default -90 and 40 mV). */
void sw_morph_view_set_range (SwMorphView *self, double lo_mv, double hi_mv);
void sw_morph_view_get_range (SwMorphView *self, double *lo_mv, double *hi_mv);

void sw_morph_view_set_marks (SwMorphView *self, const SwMorphMark *marks, int n);
/* Draws a square around (@cell, @node), the selected clamp or synapse; -1:
 * none.  New cells clear it. */
void sw_morph_view_set_selected (SwMorphView *self, int cell, int node);
gboolean sw_morph_view_get_selected (SwMorphView *self, int *cell, int *node);

/* The node under widget point (@x, @y), within a few pixels; FALSE when
 * none. */
gboolean sw_morph_view_node_at (SwMorphView *self, double x, double y, int *cell, int *node);
/* Where (@cell, @node) is drawn, in widget coordinates. */
gboolean sw_morph_view_node_position (SwMorphView *self, int cell, int node, double *x,
                                      double *y);
/* What a click at (@x, @y) does: emits "node-activated" (int cell, int
 * node) when a compartment is there, "background-activated" when none
 * is (then FALSE). */
gboolean sw_morph_view_activate_at (SwMorphView *self, double x, double y);

/* The keyboard: Tab reaches the view, the arrow keys move a focus from
 * compartment to compartment (@delta steps in drawing order; from none to
 * the first or last), Enter does what a click on it does. */
void sw_morph_view_move_focus (SwMorphView *self, int delta);
gboolean sw_morph_view_activate_focus (SwMorphView *self);
gboolean sw_morph_view_get_focus_node (SwMorphView *self, int *cell, int *node);

/* Draws the view as it is into @cr (@width x @height) with a light or dark
 * palette, for exports. */
void sw_morph_view_draw (SwMorphView *self, cairo_t *cr, double width, double height,
                         gboolean dark);
/* Writes the view to @path: PNG, SVG or PDF by the extension. */
gboolean sw_morph_view_export (SwMorphView *self, const char *path, double width,
                               double height, GError **error);

G_END_DECLS
