/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of field expressions: precedence, functions, units and dimensions,
 * variables (with cycles) and every kind of error.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sw-expr.h"

static void
assert_eval (SwScope *scope, const char *text, const char *unit, double expected)
{
  g_autoptr(GError) error = NULL;
  double v = NAN;

  if (!sw_expr_eval_in_unit (text, scope, unit, &v, &error))
    g_error ("'%s': %s", text, error->message);
  if (fabs (v - expected) > 1e-12 * MAX (1.0, fabs (expected)))
    g_error ("'%s' gave %.17g, expected %.17g", text, v, expected);
}

static void
assert_fails (SwScope *scope, const char *text, const char *unit, int code,
              const char *fragment)
{
  g_autoptr(GError) error = NULL;
  double v = 42.0;

  if (sw_expr_eval_in_unit (text, scope, unit, &v, &error))
    g_error ("'%s' was accepted (gave %g)", text, v);
  g_assert_error (error, SW_EXPR_ERROR, code);
  if (strstr (error->message, fragment) == NULL)
    g_error ("'%s': message '%s' lacks '%s'", text, error->message, fragment);
  g_assert_cmpfloat (v, ==, 42.0);
}

static void
test_precedence (void)
{
  assert_eval (NULL, "1 + 2 * 3", "", 7.0);
  assert_eval (NULL, "(1 + 2) * 3", "", 9.0);
  assert_eval (NULL, "2 ^ 3 ^ 2", "", 512.0);        /* right-associative */
  assert_eval (NULL, "-2 ^ 2", "", -4.0);            /* unary minus binds looser */
  assert_eval (NULL, "2 ^ -1", "", 0.5);
  assert_eval (NULL, "2 ** 3", "", 8.0);
  assert_eval (NULL, "8 / 4 / 2", "", 1.0);          /* left-associative */
  assert_eval (NULL, "10 - 4 - 3", "", 3.0);
  assert_eval (NULL, "--3", "", 3.0);
  assert_eval (NULL, "+3 - -3", "", 6.0);
  assert_eval (NULL, "2 \xe2\x88\x92 5", "", -3.0); /* minus sign */
  assert_eval (NULL, "2 \xc3\x97 5", "", 10.0);     /* multiplication sign */
  assert_eval (NULL, ".5 + 1.", "", 1.5);
  assert_eval (NULL, "1.5e3", "", 1500.0);
}

static void
test_functions (void)
{
  assert_eval (NULL, "exp(0)", "", 1.0);
  assert_eval (NULL, "log(exp(2))", "", 2.0);
  assert_eval (NULL, "log10(1000)", "", 3.0);
  assert_eval (NULL, "sqrt(16)", "", 4.0);
  assert_eval (NULL, "abs(-3 mV)", "mV", 3.0);
  assert_eval (NULL, "min(3, 1, 2)", "", 1.0);
  assert_eval (NULL, "max(1 ms, 0.5 s)", "ms", 500.0);
  assert_eval (NULL, "sqrt(4 um^2)", "um", 2.0);
  assert_eval (NULL, "2*pi", "", 2.0 * G_PI);
  assert_eval (NULL, "exp(-(1 ms)/(2 ms))", "", exp (-0.5));
}

static void
test_units (void)
{
  assert_eval (NULL, "30 pA", "pA", 30.0);
  assert_eval (NULL, "0.03 nA", "pA", 30.0);
  assert_eval (NULL, "2 s", "ms", 2000.0);
  assert_eval (NULL, "1 nS * 10 mV", "pA", 10.0);
  assert_eval (NULL, "10 mV / 2 ms", "mV/ms", 5.0);
  assert_eval (NULL, "10 mV/ms * 2 ms", "mV", 20.0);
  assert_eval (NULL, "2 mS/cm^2 * 100 um^2", "nS", 2.0);
  assert_eval (NULL, "1 / (20 ms)", "Hz", 50.0);
  assert_eval (NULL, "5", "ms", 5.0);                /* pure number: canonical unit */
  assert_eval (NULL, "2 * 5", "ms", 10.0);
  assert_eval (NULL, "1 s / 1 ms", "", 1000.0);      /* ratio of times is a number */
  assert_eval (NULL, "50 %", "", 0.5);
  assert_eval (NULL, "(2 ms)^2 / (1 ms)", "ms", 4.0);
}

/* Sums and products of prefixed values stay exact where decimal
 * arithmetic would be. */
static void
test_exact (void)
{
  struct
  {
    const char *text, *unit;
    double expected;
  } cases[] = {
    { "1 ms + 500 us", "ms", 1.5 }, { "-5*0.1 mV", "mV", -0.5 },
    { "(2 ms)^2 / 4 ms", "ms", 1 }, { "1.5 nS", "nS", 1.5 }, { "sqrt(4 ms^2)", "ms", 2 },
    { "10 Hz * 2", "Hz", 20 }, { "1 nS * 10 mV", "pA", 10 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      double v = 0;

      g_assert_true (sw_expr_eval_in_unit (cases[i].text, NULL, cases[i].unit, &v, &error));
      if (v != cases[i].expected)
        g_error ("'%s': %.17g, not exactly %.17g", cases[i].text, v, cases[i].expected);
    }
}

static SwScope *
make_scope (void)
{
  g_autoptr(GError) error = NULL;
  SwScope *scope = sw_scope_new ();

  g_assert_true (sw_scope_define (scope, "nu_ext", NULL, 2.5, "Hz", &error));
  g_assert_true (sw_scope_define (scope, "g", NULL, 5.0, "", &error));
  g_assert_true (sw_scope_define (scope, "eta", NULL, 2.0, NULL, &error));
  g_assert_true (sw_scope_define (scope, "tau", NULL, 20.0, "ms", &error));
  g_assert_true (sw_scope_define (scope, "J", "0.1 mV", 0.0, "mV", &error));
  g_assert_true (sw_scope_define (scope, "gJ", "g*J", 0.0, "mV", &error));
  /* Pure numbers in a variable's expression are in the variable's unit. */
  g_assert_true (sw_scope_define (scope, "nu_thr", "10", 0.0, "Hz", &error));
  g_assert_true (sw_scope_define (scope, "nu_x", "eta*nu_thr", 0.0, "Hz", &error));
  g_assert_no_error (error);
  return scope;
}

static void
test_variables (void)
{
  g_autoptr(SwScope) scope = make_scope ();
  g_autoptr(GError) error = NULL;
  SwQuantity q;
  double v;

  assert_eval (scope, "2*nu_ext", "Hz", 5.0);
  assert_eval (scope, "nu_ext * 2 Hz", "Hz^2", 5.0);
  assert_eval (scope, "nu_ext * 2", "Hz", 5.0);
  assert_eval (scope, "-g*0.1 mV", "mV", -0.5);
  assert_eval (scope, "-gJ", "mV", -0.5);
  assert_eval (scope, "eta*10 Hz", "Hz", 20.0);
  assert_eval (scope, "nu_x", "Hz", 20.0);
  assert_eval (scope, "10 mV / tau", "mV/ms", 0.5);
  assert_eval (scope, "tau", "s", 0.02);

  g_assert_true (sw_scope_lookup (scope, "tau", &q, &error));
  g_assert_cmpfloat_with_epsilon (sw_quantity_get_si (&q), 0.02, 1e-15);
  g_assert_true (sw_scope_lookup_in_unit (scope, "nu_x", &v, &error));
  g_assert_cmpfloat_with_epsilon (v, 20.0, 1e-12);
  g_assert_no_error (error);

  /* Redefining a variable drops the cached values that use it. */
  g_assert_true (sw_scope_define (scope, "eta", NULL, 3.0, "", &error));
  assert_eval (scope, "nu_x", "Hz", 30.0);

  {
    g_autoptr(SwExpr) expr = sw_expr_parse ("g*J + g - nu_ext*0", &error);
    const GPtrArray *vars = sw_expr_get_variables (expr);
    g_assert_nonnull (expr);
    g_assert_cmpuint (vars->len, ==, 3);
    g_assert_cmpstr (vars->pdata[0], ==, "g");
    g_assert_cmpstr (vars->pdata[1], ==, "J");
    g_assert_cmpstr (vars->pdata[2], ==, "nu_ext");
    g_assert_cmpstr (sw_expr_get_text (expr), ==, "g*J + g - nu_ext*0");
  }
}

static void
test_syntax_errors (void)
{
  assert_fails (NULL, "2 * (3 + 4", "", SW_EXPR_ERROR_SYNTAX, "expected ')' at column 11");
  assert_fails (NULL, "2 +", "", SW_EXPR_ERROR_SYNTAX, "at column 4");
  assert_fails (NULL, "2 + * 3", "", SW_EXPR_ERROR_SYNTAX, "column 5, found '*'");
  assert_fails (NULL, "(1))", "", SW_EXPR_ERROR_SYNTAX, "column 4");
  assert_fails (NULL, "", "", SW_EXPR_ERROR_SYNTAX, "empty");
  assert_fails (NULL, "   ", "", SW_EXPR_ERROR_SYNTAX, "empty");
  assert_fails (NULL, "3 4", "", SW_EXPR_ERROR_SYNTAX, "column 3");
  assert_fails (NULL, "max(1)", "", SW_EXPR_ERROR_SYNTAX, "at least 2 arguments");
  assert_fails (NULL, "exp(1, 2)", "", SW_EXPR_ERROR_SYNTAX, "takes 1 argument");
  assert_fails (NULL, "2 mv", "mV", SW_EXPR_ERROR_UNKNOWN_UNIT, "did you mean 'mV'?");
  assert_fails (NULL, "2 eta", "", SW_EXPR_ERROR_UNKNOWN_UNIT, "write '2*eta'");
  assert_fails (NULL, "sqr(2)", "", SW_EXPR_ERROR_UNDEFINED, "did you mean 'sqrt'?");
  /* Columns count characters, not bytes. */
  assert_fails (NULL, "\xc2\xb5 + (", "", SW_EXPR_ERROR_SYNTAX, "column 1");
  assert_fails (NULL, "2 \xe2\x88\x92 (", "", SW_EXPR_ERROR_SYNTAX, "column 6");
}

static void
test_undefined (void)
{
  g_autoptr(SwScope) scope = make_scope ();

  assert_fails (scope, "2*nu_xt", "Hz", SW_EXPR_ERROR_UNDEFINED,
                "undefined variable 'nu_xt' at column 3; did you mean 'nu_ext'?");
  assert_fails (scope, "eat * 10 Hz", "Hz", SW_EXPR_ERROR_UNDEFINED, "did you mean 'eta'?");
  assert_fails (scope, "zzzzzz", "", SW_EXPR_ERROR_UNDEFINED, "undefined variable 'zzzzzz'");
  assert_fails (NULL, "x + 1", "", SW_EXPR_ERROR_UNDEFINED, "undefined variable 'x' at column 1");

  {
    g_autoptr(GError) error = NULL;
    SwQuantity q;
    g_assert_false (sw_scope_lookup (scope, "zzzzzz", &q, &error));
    g_assert_error (error, SW_EXPR_ERROR, SW_EXPR_ERROR_UNDEFINED);
    /* No suggestion when nothing is close. */
    g_assert_null (strstr (error->message, "did you mean"));
  }
}

static void
test_cycles (void)
{
  g_autoptr(SwScope) scope = sw_scope_new ();
  g_autoptr(GError) error = NULL;
  SwQuantity q;

  g_assert_true (sw_scope_define (scope, "a", "b + 1", 0, "", &error));
  g_assert_true (sw_scope_define (scope, "b", "2*c", 0, "", &error));
  g_assert_true (sw_scope_define (scope, "c", "a - 1", 0, "", &error));
  g_assert_true (sw_scope_define (scope, "self", "self * 2", 0, "", &error));
  g_assert_true (sw_scope_define (scope, "ok", "3", 0, "", &error));
  g_assert_true (sw_scope_define (scope, "uses_ok", "ok + ok", 0, "", &error));
  g_assert_true (sw_scope_define (scope, "bad", "ok + undefined_thing", 0, "", &error));
  g_assert_true (sw_scope_define (scope, "uses_bad", "bad * 2", 0, "", &error));
  g_assert_no_error (error);

  g_assert_false (sw_scope_lookup (scope, "a", &q, &error));
  g_assert_error (error, SW_EXPR_ERROR, SW_EXPR_ERROR_CYCLE);
  g_assert_nonnull (strstr (error->message, "a → b → c → a"));
  g_clear_error (&error);

  g_assert_false (sw_scope_lookup (scope, "c", &q, &error));
  g_assert_error (error, SW_EXPR_ERROR, SW_EXPR_ERROR_CYCLE);
  g_assert_nonnull (strstr (error->message, "c → a → b → c"));
  g_clear_error (&error);

  g_assert_false (sw_scope_lookup (scope, "self", &q, &error));
  g_assert_error (error, SW_EXPR_ERROR, SW_EXPR_ERROR_CYCLE);
  g_assert_nonnull (strstr (error->message, "self → self"));
  g_clear_error (&error);

  /* A variable used twice is no circle. */
  g_assert_true (sw_scope_lookup (scope, "uses_ok", &q, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (sw_quantity_get_si (&q), ==, 6.0);

  /* An error inside another variable names that variable. */
  g_assert_false (sw_scope_lookup (scope, "uses_bad", &q, &error));
  g_assert_error (error, SW_EXPR_ERROR, SW_EXPR_ERROR_UNDEFINED);
  g_assert_true (g_str_has_prefix (error->message,
                                   "in variable 'bad' = 'ok + undefined_thing': undefined variable 'undefined_thing'"));
  g_clear_error (&error);

  /* Nothing was left half-evaluated: asking again fails the same way. */
  g_assert_false (sw_scope_lookup (scope, "a", &q, &error));
  g_assert_error (error, SW_EXPR_ERROR, SW_EXPR_ERROR_CYCLE);
}

static void
test_dimension_errors (void)
{
  g_autoptr(SwScope) scope = make_scope ();

  assert_fails (NULL, "5 mV", "ms", SW_EXPR_ERROR_DIMENSION,
                "'5 mV' has the dimension of a voltage, expected a time (ms)");
  assert_fails (scope, "nu_ext + 2", "Hz", SW_EXPR_ERROR_DIMENSION,
                "cannot add a frequency and a pure number ('+' at column 8)");
  assert_fails (NULL, "1 mV - 1 ms", "mV", SW_EXPR_ERROR_DIMENSION, "cannot subtract a voltage and a time");
  assert_fails (NULL, "exp(2 ms)", "", SW_EXPR_ERROR_DIMENSION, "exp() at column 1 needs a pure number, not a time");
  assert_fails (NULL, "2 ^ (1 ms)", "", SW_EXPR_ERROR_DIMENSION, "exponent");
  assert_fails (NULL, "max(1 ms, 1 mV)", "", SW_EXPR_ERROR_DIMENSION, "compares a time with a voltage");
  assert_fails (scope, "nu_ext * 2 Hz", "Hz", SW_EXPR_ERROR_DIMENSION,
                "has the dimension of a squared frequency, expected a frequency (Hz)");
  /* A variable's value must have the dimension of its unit. */
  {
    g_autoptr(GError) error = NULL;
    SwQuantity q;
    g_assert_true (sw_scope_define (scope, "wrong", "3 mV", 0, "ms", &error));
    g_assert_false (sw_scope_lookup (scope, "wrong", &q, &error));
    g_assert_error (error, SW_EXPR_ERROR, SW_EXPR_ERROR_DIMENSION);
    g_assert_nonnull (strstr (error->message, "'3 mV' has the dimension of a voltage, expected a time (ms)"));
  }
}

static void
test_domain_errors (void)
{
  assert_fails (NULL, "log(-2)", "", SW_EXPR_ERROR_DOMAIN, "log() at column 1 needs a positive number, got -2");
  assert_fails (NULL, "log(0)", "", SW_EXPR_ERROR_DOMAIN, "positive");
  assert_fails (NULL, "1 + sqrt(-1)", "", SW_EXPR_ERROR_DOMAIN, "sqrt() at column 5");
  assert_fails (NULL, "1 / (2 - 2)", "", SW_EXPR_ERROR_DOMAIN, "division by zero ('/' at column 3)");
  assert_fails (NULL, "(-8) ^ 0.5", "", SW_EXPR_ERROR_DOMAIN, "fractional power");
  assert_fails (NULL, "0 ^ -1", "", SW_EXPR_ERROR_DOMAIN, "zero to a negative power");
  assert_fails (NULL, "exp(1000)", "", SW_EXPR_ERROR_NOT_FINITE, "too large");
  assert_fails (NULL, "10 ^ 400", "", SW_EXPR_ERROR_NOT_FINITE, "'^' at column 4");
  assert_fails (NULL, "1e308 * 10", "", SW_EXPR_ERROR_NOT_FINITE, "'*'");
  assert_fails (NULL, "1e999", "", SW_EXPR_ERROR_NOT_FINITE, "too large");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/model/expr/precedence", test_precedence);
  g_test_add_func ("/model/expr/functions", test_functions);
  g_test_add_func ("/model/expr/units", test_units);
  g_test_add_func ("/model/expr/exact", test_exact);
  g_test_add_func ("/model/expr/variables", test_variables);
  g_test_add_func ("/model/expr/syntax-errors", test_syntax_errors);
  g_test_add_func ("/model/expr/undefined", test_undefined);
  g_test_add_func ("/model/expr/cycles", test_cycles);
  g_test_add_func ("/model/expr/dimension-errors", test_dimension_errors);
  g_test_add_func ("/model/expr/domain-errors", test_domain_errors);

  return g_test_run ();
}
