/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of unit parsing, conversion to canonical units and dimension errors.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "sw-units.h"

static void
assert_value (const char *text, const char *unit, double expected)
{
  g_autoptr(GError) error = NULL;
  double v = NAN;

  if (!sw_units_parse_value (text, unit, &v, &error))
    g_error ("'%s' in '%s': %s", text, unit, error->message);
  if (fabs (v - expected) > 1e-12 * MAX (1.0, fabs (expected)))
    g_error ("'%s' in '%s' gave %.17g, expected %.17g", text, unit, v, expected);
}

static void
test_parse (void)
{
  /* Canonical units of the core's parameters, and the same values written
   * in other units. */
  assert_value ("30 pA", "pA", 30.0);
  assert_value ("0.03 nA", "pA", 30.0);
  assert_value ("0.2 mV", "mV", 0.2);
  assert_value ("200 uV", "mV", 0.2);
  assert_value ("2.5 Hz", "Hz", 2.5);
  assert_value ("0.0025 kHz", "Hz", 2.5);
  assert_value ("1.5 nS", "nS", 1.5);
  assert_value ("1500 pS", "nS", 1.5);
  assert_value ("2 s", "ms", 2000.0);
  assert_value ("100 ms", "ms", 100.0);
  assert_value ("100 ms", "s", 0.1);
  assert_value ("200 pF", "pF", 200.0);
  assert_value ("0.2 nF", "pF", 200.0);
  assert_value ("0.1 ms", "ms", 0.1);
  assert_value ("100 us", "ms", 0.1);
  assert_value ("100 \xc2\xb5s", "ms", 0.1);     /* micro sign */
  assert_value ("100 \xce\xbcs", "ms", 0.1);     /* Greek mu */
  assert_value ("1 min", "s", 60.0);
  assert_value ("30pA", "pA", 30.0);
  assert_value ("-65 mV", "mV", -65.0);
  assert_value ("1e-3 s", "ms", 1.0);
  assert_value ("2.5e+1 Hz", "Hz", 25.0);

  /* A plain number is taken in the canonical unit. */
  assert_value ("12.5", "ms", 12.5);
  assert_value ("12.5", "", 12.5);
  assert_value ("5 %", "", 0.05);

  /* Compound units. */
  assert_value ("10 uA/cm2", "uA/cm2", 10.0);
  assert_value ("10 uA/cm2", "A/m^2", 0.1);
  assert_value ("1 mS/cm^2", "S/m2", 10.0);
  assert_value ("35.4 ohm cm", "ohm m", 0.354);
  assert_value ("35.4 ohm*cm", "Ohm.m", 0.354);
  assert_value ("1 MOhm", "ohm", 1e6);
  assert_value ("1 M\xce\xa9", "kohm", 1e3);
  assert_value ("3 um", "m", 3e-6);
  assert_value ("2 mM", "mol/m^3", 2.0);
  assert_value ("1 mV/ms", "V/s", 1.0);
  assert_value ("1 m s-1", "m/s", 1.0);
  assert_value ("2 1/ms", "Hz", 2000.0);
  assert_value ("1 nS*mV", "pA", 1.0);           /* nS mV = pA */
  assert_value ("1 pA/pF", "mV/ms", 1.0);        /* pA/pF = mV/ms */
  assert_value ("36 degC", "K", 309.15);
  assert_value ("309.15 K", "degC", 36.0);
  assert_value ("6.3 \xc2\xb0" "C", "degC", 6.3);
}

/* Conversions between prefixed units are exact, not merely close. */
static void
test_exact (void)
{
  struct
  {
    const char *text, *unit;
    double expected;
  } cases[] = {
    { "1.5 nS", "nS", 1.5 }, { "15 nS", "nS", 15 }, { "0.1 mV", "mV", 0.1 },
    { "200 uV", "mV", 0.2 }, { "0.5 s", "ms", 500 }, { "0.1 ms", "ms", 0.1 },
    { "100 us", "ms", 0.1 }, { "0.03 nA", "pA", 30 }, { "1.62 mV", "mV", 1.62 },
    { "2.5 Hz", "Hz", 2.5 }, { "0.315 Hz", "Hz", 0.315 }, { "47.5 mV", "mV", 47.5 },
    { "5 %", "", 0.05 }, { "0.2 nF", "pF", 200 }, { "1 mS/cm2", "S/m2", 10 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      double v = 0;

      g_assert_true (sw_units_parse_value (cases[i].text, cases[i].unit, &v, &error));
      if (v != cases[i].expected)
        g_error ("'%s' in %s: %.17g, not exactly %.17g", cases[i].text, cases[i].unit,
                 v, cases[i].expected);
    }
}

static void
test_unit_dims (void)
{
  g_autoptr(GError) error = NULL;
  SwUnit u;
  g_autofree char *s = NULL;
  g_autofree char *d = NULL;

  g_assert_true (sw_unit_parse ("mV", &u, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (u.factor, ==, 1.0);
  g_assert_cmpint (u.exp10, ==, -3);
  s = sw_dim_to_string (&u.dim);
  g_assert_cmpstr (s, ==, "m^2 kg s^-3 A^-1");
  d = sw_dim_describe (&u.dim);
  g_assert_cmpstr (d, ==, "a voltage");

  g_assert_true (sw_unit_parse ("", &u, &error));
  g_assert_true (sw_dim_is_none (&u.dim));
  g_assert_cmpfloat (u.factor, ==, 1.0);
  g_assert_cmpint (u.exp10, ==, 0);

  g_assert_true (sw_unit_parse ("uA/cm2", &u, &error));
  g_clear_pointer (&d, g_free);
  d = sw_dim_describe (&u.dim);
  g_assert_cmpstr (d, ==, "a current density");
  g_assert_cmpint (u.exp10, ==, -6 + 4);

  g_assert_true (sw_unit_parse ("mS/cm^2", &u, &error));
  g_clear_pointer (&d, g_free);
  d = sw_dim_describe (&u.dim);
  g_assert_cmpstr (d, ==, "a conductance density");

  g_assert_true (sw_unit_parse ("ms", &u, &error));
  g_assert_cmpfloat (u.dim.e[SW_BASE_SECOND], ==, 1.0);
  g_assert_true (sw_unit_parse ("min", &u, &error));
  g_assert_cmpfloat (u.factor, ==, 60.0);
  g_assert_true (sw_unit_parse ("Pa", &u, &error));
  g_assert_cmpint (u.exp10, ==, 0);
  g_assert_true (sw_unit_parse ("mM", &u, &error));
  g_assert_cmpint (u.exp10, ==, 0);   /* 1e-3 mol / 1e-3 m^3 */
}

static void
test_dimension_errors (void)
{
  struct
  {
    const char *text, *unit, *message;
  } cases[] = {
    { "5 mV", "ms", "'5 mV' has the dimension of a voltage, expected a time (ms)" },
    { "2 Hz", "nS", "'2 Hz' has the dimension of a frequency, expected a conductance (nS)" },
    { "30 pA", "", "'30 pA' has the dimension of a current, expected a pure number" },
    { "3 um", "pF", "'3 um' has the dimension of a length, expected a capacitance (pF)" },
    { "1 mS/cm2", "nS", "'1 mS/cm2' has the dimension of a conductance density, expected a conductance (nS)" },
    { "1 kg", "mV", "'1 kg' has the dimension of a mass, expected a voltage (mV)" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      double v = 42.0;

      g_assert_false (sw_units_parse_value (cases[i].text, cases[i].unit, &v, &error));
      g_assert_error (error, SW_UNITS_ERROR, SW_UNITS_ERROR_DIMENSION);
      g_assert_cmpstr (error->message, ==, cases[i].message);
      g_assert_cmpfloat (v, ==, 42.0);
    }
}

static void
test_syntax_errors (void)
{
  struct
  {
    const char *text;
    int code;
    const char *fragment;
  } cases[] = {
    { "30 pAmp", SW_UNITS_ERROR_UNKNOWN_UNIT, "unknown unit 'pAmp'" },
    { "30 mv", SW_UNITS_ERROR_UNKNOWN_UNIT, "did you mean 'mV'?" },
    { "30 Hzz", SW_UNITS_ERROR_UNKNOWN_UNIT, "did you mean 'Hz'?" },
    { "pA", SW_UNITS_ERROR_SYNTAX, "not a number" },
    { "", SW_UNITS_ERROR_SYNTAX, "not a number" },
    { "1e999 s", SW_UNITS_ERROR_VALUE, "finite" },
    { "3 mV^", SW_UNITS_ERROR_SYNTAX, "exponent" },
    { "3 mV)", SW_UNITS_ERROR_SYNTAX, "unexpected ')'" },
    { "3 degC/s", SW_UNITS_ERROR_SYNTAX, "degC cannot be combined" },
    { "3 m^1.5", SW_UNITS_ERROR_SYNTAX, "whole numbers" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      SwQuantity q;

      if (sw_quantity_parse (cases[i].text, &q, &error))
        g_error ("'%s' was accepted", cases[i].text);
      g_assert_error (error, SW_UNITS_ERROR, cases[i].code);
      if (strstr (error->message, cases[i].fragment) == NULL)
        g_error ("'%s': message '%s' lacks '%s'", cases[i].text, error->message,
                 cases[i].fragment);
    }
}

static void
test_expression_scan (void)
{
  g_autoptr(GError) error = NULL;
  SwUnit u;

  /* Inside an expression, a spaced '/' divides and '*' multiplies. */
  g_assert_cmpuint (sw_unit_scan_in_expression ("mV / tau", &u, &error), ==, 2);
  g_assert_cmpuint (sw_unit_scan_in_expression ("mS/cm^2 + x", &u, &error), ==, 7);
  g_assert_cmpuint (sw_unit_scan_in_expression ("Hz*2", &u, &error), ==, 2);
  g_assert_cmpuint (sw_unit_scan_in_expression ("ohm cm)", &u, &error), ==, 6);
  g_assert_cmpuint (sw_unit_scan_in_expression ("ms min(a, b)", &u, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpuint (sw_unit_scan_in_expression ("eta", &u, &error), ==, 0);
  g_assert_error (error, SW_UNITS_ERROR, SW_UNITS_ERROR_UNKNOWN_UNIT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/model/units/parse", test_parse);
  g_test_add_func ("/model/units/exact", test_exact);
  g_test_add_func ("/model/units/dimensions", test_unit_dims);
  g_test_add_func ("/model/units/dimension-errors", test_dimension_errors);
  g_test_add_func ("/model/units/syntax-errors", test_syntax_errors);
  g_test_add_func ("/model/units/expression-scan", test_expression_scan);

  return g_test_run ();
}
