/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dialogs of the network editor that add to the network: a population
 * of neurons (name, neuron model from the core's table, size, excitatory or
 * inhibitory) and a source or stimulus (a population of Poisson sources, or a
 * Poisson or current stimulus into a population of neurons).  They are
 * message dialogs over the window; "Add" goes through the window's
 * undoable edits (sw_window_add_population() ...) and stays disabled while
 * the name is not one the document would take.
 *
 * The rows carry widget names, so that tests can fill them in: "name-row"
 * (AdwEntryRow), "model-row", "kind-row", "target-row" (AdwComboRow),
 * "size-spin", "rate-spin" (GtkSpinButton), "inhibitory-switch".
 */
#pragma once

#include <adwaita.h>

#include "sw-window.h"

G_BEGIN_DECLS

/* A new dialog, transient for @window (present it). */
GtkWidget *sw_add_population_dialog_new (SwWindow *window);
/* @target: the population a stimulus should go into first, or NULL. */
GtkWidget *sw_add_source_dialog_new (SwWindow *window, const char *target);

G_END_DECLS
