/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwNetworkEditor: the network of a document drawn as a graph.  Populations
 * are nodes whose area grows with their size; excitatory populations are
 * circles, inhibitory ones squares (and differ in colour), Poisson and
 * spike-time sources dashed diamonds.  Projections are arrows whose width
 * grows with weight × probability, labelled with their name; inhibitory
 * ones are dashed and end in a bar.  Stimuli are small triangles that point
 * at their target.
 *
 * The editor only shows the document and says what the user asks for; the
 * window makes the edits (through the document and its undo history):
 * "node-moved" after a node was dragged or moved with Ctrl+arrows,
 * "connect" after a Shift+drag from one population to another, "remove"
 * on Delete, "activate-selection" on Enter or a double click (the window
 * opens the property panel), "selection-changed" whenever the selection
 * changes.
 *
 * Keyboard: Tab reaches the canvas and moves from item to item (leaving
 * after the last), arrows move the selection from item to item,
 * Ctrl+arrows move the selected population, Enter opens its properties,
 * Delete removes it, Escape stops a drag.  C starts a connection from the
 * selected population: arrows or Tab choose the target (highlighted), Enter
 * emits "connect", Escape cancels.  A right click, Menu or Shift+F10 opens
 * the context menu (connect, add a stimulus, properties, delete; add a
 * population or a source, which are the window's actions win.add-population
 * and win.add-source).
 */
#pragma once

#include <gtk/gtk.h>

#include "sw-document.h"

G_BEGIN_DECLS

typedef enum
{
  SW_NETWORK_ITEM_NONE,
  SW_NETWORK_ITEM_POPULATION,
  SW_NETWORK_ITEM_PROJECTION,
  SW_NETWORK_ITEM_STIMULUS,
} SwNetworkItemKind;

#define SW_TYPE_NETWORK_EDITOR (sw_network_editor_get_type ())
G_DECLARE_FINAL_TYPE (SwNetworkEditor, sw_network_editor, SW, NETWORK_EDITOR, GtkWidget)

GtkWidget *sw_network_editor_new (void);

/* The document shown (not owned: the caller keeps it alive while set, and
 * sets NULL or another before freeing it). */
void sw_network_editor_set_document (SwNetworkEditor *self, SwDocument *doc);
/* Reads the document again after it changed; the selection is kept by
 * name while the item exists. */
void sw_network_editor_refresh (SwNetworkEditor *self);

/* The number of populations, projections and stimuli shown. */
guint sw_network_editor_get_n_items (SwNetworkEditor *self, SwNetworkItemKind kind);
/* Whether an item of @kind called @name is shown. */
gboolean sw_network_editor_has_item (SwNetworkEditor *self, SwNetworkItemKind kind,
                                     const char *name);

/* The selection: its kind, and its name (NULL for none). */
SwNetworkItemKind sw_network_editor_get_selection (SwNetworkEditor *self, const char **name);
/* Selects the item of @kind called @name; FALSE when there is none. */
gboolean sw_network_editor_select (SwNetworkEditor *self, SwNetworkItemKind kind,
                                   const char *name);

/* Where population @name is drawn, in the editor's units (0..1 across the
 * canvas); FALSE when there is no such population. */
gboolean sw_network_editor_get_node_position (SwNetworkEditor *self, const char *name,
                                              double *x, double *y);

/* The population a connection being made with the keyboard would reach,
 * or NULL when none is being made. */
const char *sw_network_editor_get_connect_target (SwNetworkEditor *self);

/* Where a new population should be drawn (canvas units): where the context
 * menu was opened on the empty canvas, else a free place in the row of its
 * kind. */
void sw_network_editor_suggest_position (SwNetworkEditor *self, gboolean source, double *x,
                                         double *y);

G_END_DECLS
