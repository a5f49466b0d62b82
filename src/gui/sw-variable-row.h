/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwVariableRow: one document variable in the variables panel: its label,
 * a slider over its range, an entry for exact values (numbers, numbers with
 * a unit, expressions) and its unit and description.
 */
#pragma once

#include <gtk/gtk.h>

#include "sw-document.h"

G_BEGIN_DECLS

#define SW_TYPE_VARIABLE_ROW (sw_variable_row_get_type ())
G_DECLARE_FINAL_TYPE (SwVariableRow, sw_variable_row, SW, VARIABLE_ROW, GtkListBoxRow)

GtkWidget *sw_variable_row_new (const SwVariableInfo *info);

const char *sw_variable_row_get_name (SwVariableRow *self);

/* Shows the value of @info (the same variable) without emitting signals. */
void sw_variable_row_update (SwVariableRow *self, const SwVariableInfo *info);

/* Shows @message under the row (NULL hides it). */
void sw_variable_row_set_error (SwVariableRow *self, const char *message);

/* The slider, for keyboard focus and the tests. */
GtkWidget *sw_variable_row_get_scale (SwVariableRow *self);

/* Signals:
 *   "value-changed" (double value): the user moved the slider;
 *   "text-entered" (const char *text): the user typed a value and pressed
 *     Enter (a number in the variable's unit, a number with a unit or an
 *     expression). */

G_END_DECLS
