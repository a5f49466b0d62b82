/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Arithmetic expressions with units, for numeric fields of documents:
 * "2*nu_ext", "nu_ext * 2 Hz", "-g*0.1 mV", "max(1 ms, tau/10)".
 *
 * Grammar (lowest precedence first):
 *   expr    := term (('+' | '-') term)*
 *   term    := unary (('*' | '/') unary)*
 *   unary   := ('-' | '+') unary | power
 *   power   := primary (('^' | '**') unary)?        right-associative
 *   primary := NUMBER [UNIT] | NAME | NAME '(' expr (',' expr)* ')' | '(' expr ')'
 * so -2^2 is -4 and 2^-1 is 0.5.  Functions: exp, log (natural), log10,
 * sqrt, abs, min, max; the constant pi.  A unit follows a number directly
 * ("0.1 mV", "2 mS/cm^2"); to divide by a variable, leave spaces around the
 * '/' ("10 mV / tau").
 *
 * Values are evaluated in SI with their dimension; adding a voltage to a time
 * is an error, as is log() of anything but a positive pure number.
 */
#pragma once

#include <glib.h>

#include "sw-units.h"

G_BEGIN_DECLS

#define SW_EXPR_ERROR (sw_expr_error_quark ())

typedef enum
{
  SW_EXPR_ERROR_SYNTAX,        /* message names the column */
  SW_EXPR_ERROR_UNKNOWN_UNIT,
  SW_EXPR_ERROR_UNDEFINED,     /* an unknown variable or function; "did you mean" */
  SW_EXPR_ERROR_CYCLE,         /* variables that refer to each other in a circle */
  SW_EXPR_ERROR_DIMENSION,     /* adding a voltage to a time, exp() of a time ... */
  SW_EXPR_ERROR_DOMAIN,        /* log of a negative number, division by zero */
  SW_EXPR_ERROR_NOT_FINITE,    /* overflow */
} SwExprError;

GQuark sw_expr_error_quark (void);

typedef struct _SwExpr SwExpr;
typedef struct _SwScope SwScope;

/* Parses @text; syntax errors name the column (counted in characters from
 * 1). */
SwExpr *sw_expr_parse (const char *text, GError **error);
void sw_expr_free (SwExpr *expr);
const char *sw_expr_get_text (const SwExpr *expr);

/* The names of the variables that @expr uses, in order of appearance, each
 * once.  The array and its strings belong to @expr. */
const GPtrArray *sw_expr_get_variables (const SwExpr *expr);

/* Evaluates @expr.  @scope may be NULL when the expression uses no
 * variables. */
gboolean sw_expr_eval (const SwExpr *expr, SwScope *scope, SwQuantity *result,
                       GError **error);

/* Parses and evaluates @text and converts the result to @unit: a
 * dimensionless result is read in @unit, any other must have the dimension
 * of @unit. */
gboolean sw_expr_eval_in_unit (const char *text, SwScope *scope, const char *unit,
                               double *value, GError **error);

/* Variables.  A variable is a number in its unit or an expression that may
 * use other variables; it is evaluated on first use and cached.  A circle of
 * variables referring to each other is an SW_EXPR_ERROR_CYCLE naming it. */
SwScope *sw_scope_new (void);
void sw_scope_free (SwScope *scope);

/* Defines @name as @text (an expression) or, when @text is NULL, as @number
 * in @unit ("" or NULL for a pure number).  Fails on a bad unit or a syntax
 * error in @text. */
gboolean sw_scope_define (SwScope *scope, const char *name, const char *text,
                          double number, const char *unit, GError **error);

gboolean sw_scope_contains (SwScope *scope, const char *name);

/* The names defined, in order of definition (owned by @scope). */
const GPtrArray *sw_scope_get_names (SwScope *scope);

/* Evaluates variable @name (SI, with its dimension). */
gboolean sw_scope_lookup (SwScope *scope, const char *name, SwQuantity *value,
                          GError **error);

/* Evaluates variable @name in its own unit. */
gboolean sw_scope_lookup_in_unit (SwScope *scope, const char *name, double *value,
                                  GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SwExpr, sw_expr_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SwScope, sw_scope_free)

G_END_DECLS
