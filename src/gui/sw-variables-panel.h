/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwVariablesPanel: the sidebar of a window: the document's name and
 * description, a slider and entry for each of its variables, an entry for
 * any other value ("E.tau_w = 300 ms") and the model's explanation.
 *
 * The panel shows a document but never changes it: edits leave as signals
 * that the window applies (and records for undo); the window then calls
 * sw_variables_panel_refresh() and, for typed values,
 * sw_variables_panel_set_result().
 */
#pragma once

#include <gtk/gtk.h>

#include "sw-document.h"

G_BEGIN_DECLS

#define SW_TYPE_VARIABLES_PANEL (sw_variables_panel_get_type ())
G_DECLARE_FINAL_TYPE (SwVariablesPanel, sw_variables_panel, SW, VARIABLES_PANEL, GtkWidget)

GtkWidget *sw_variables_panel_new (void);

/* Shows @doc (not owned: it must outlive the panel or be replaced first;
 * NULL empties the panel).  The rows are kept when @doc has the same
 * variables as the document shown before, so that undo does not take the
 * keyboard focus away. */
void sw_variables_panel_set_document (SwVariablesPanel *self, SwDocument *doc);

/* Shows the values of the document again after a change. */
void sw_variables_panel_refresh (SwVariablesPanel *self);

/* The outcome of the last "assign" (NULL: applied, the entry empties;
 * else the message shows under the entry that asked). */
void sw_variables_panel_set_result (SwVariablesPanel *self, const GError *error);

/* The slider of variable @name, or NULL. */
GtkWidget *sw_variables_panel_get_scale (SwVariablesPanel *self, const char *name);

/* Signals:
 *   "variable-changed" (const char *name, double value): a slider moved
 *     (continuously while it is dragged);
 *   "assign" (const char *name, const char *value): a value was typed,
 *     either into a variable's entry or as NAME = VALUE. */

G_END_DECLS
