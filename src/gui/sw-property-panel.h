/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwPropertyPanel: the values of the network editor's selection, as rows
 * built from the simulation core's parameter metadata: the parameter and
 * its unit as title, its description and allowed range as tooltip, and an
 * entry that takes a number, a number with a unit ("300 ms") or an
 * expression.  The panel changes nothing itself: "assign" (NAME, VALUE)
 * asks for `sw_document_set (doc, NAME, VALUE)` (NAME as "E.tau_w",
 * "EE.weight", "ext.rate[0].t0"), "remove" (kind, name) for removing the
 * selected item, "set-waveform" (item, index, SwWaveKind) for a new shape
 * of component @index of a rate or current profile (index = the number of
 * components: a new one) and "remove-waveform" (item, index); the window
 * answers with sw_property_panel_set_result().  The shape of component K
 * is the AdwComboRow with key "ITEM.rate[K]" (or "ITEM.profile[K]").
 */
#pragma once

#include <gtk/gtk.h>

#include "sw-document.h"
#include "sw-network-editor.h"

G_BEGIN_DECLS

#define SW_TYPE_PROPERTY_PANEL (sw_property_panel_get_type ())
G_DECLARE_FINAL_TYPE (SwPropertyPanel, sw_property_panel, SW, PROPERTY_PANEL, GtkBox)

GtkWidget *sw_property_panel_new (void);

/* Shows the item of @kind called @name of @doc (read now, not kept), or
 * nothing for SW_NETWORK_ITEM_NONE.  Showing the same item again after an
 * edit updates the values in place and keeps the focus. */
void sw_property_panel_show (SwPropertyPanel *self, SwDocument *doc, SwNetworkItemKind kind,
                             const char *name);

/* The outcome of the last "assign": NULL for success, else shown. */
void sw_property_panel_set_result (SwPropertyPanel *self, const GError *error);

/* The entry row of @key ("E.tau_w"), the combo row of a shape
 * ("ext.rate[0]"), or NULL. */
GtkWidget *sw_property_panel_get_row (SwPropertyPanel *self, const char *key);

/* Moves the keyboard focus to the first row. */
void sw_property_panel_focus_first (SwPropertyPanel *self);

G_END_DECLS
