/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Physical units for documents.  A unit is a factor to SI and a dimension,
 * the exponents of the SI base units (s, m, kg, A, K, mol).  Values are
 * carried in SI internally and converted to a field's canonical unit (the
 * core's SwParamInfo.unit: "ms", "mV", "nS", ...) at the end, so "0.5 s",
 * "500 ms" and "500" (a plain number, read in the canonical unit) all give
 * the same 500 ms.
 *
 * Spellings understood: s, m, g, A, K, mol, Hz, V, S, ohm (Ohm, Ω), F, C, J,
 * W, N, Pa, L (l), M (mol/L), with the prefixes T G M k d c m u µ n p f a;
 * and min, h, degC (°C) and % without prefixes.  Compounds join terms with
 * '/', '*', '.', '·' or a space; an exponent follows with '^', '**' or
 * directly ("uA/cm2", "mS/cm^2", "ohm cm", "m s-1", "1/ms").
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Index of each SI base unit in SwDim.e. */
typedef enum
{
  SW_BASE_SECOND,
  SW_BASE_METRE,
  SW_BASE_KILOGRAM,
  SW_BASE_AMPERE,
  SW_BASE_KELVIN,
  SW_BASE_MOLE,
  SW_N_BASE_UNITS
} SwBaseUnit;

/* Exponents of the base units.  Doubles so that sqrt() of an area is a
 * length and sqrt() of a rate stays representable; compared with a small
 * tolerance. */
typedef struct
{
  double e[SW_N_BASE_UNITS];
} SwDim;

/* value_SI = value * factor * 10^exp10 + offset.  The power of ten is kept
 * apart so that conversions between prefixed units are exact: "1.5 nS" in
 * nS is 1.5, not 1.5000000000000002.  The offset is non-zero only for
 * degC. */
typedef struct
{
  double factor;
  int exp10;
  double offset;
  SwDim dim;
} SwUnit;

/* A value in SI, value * 10^exp10, with its dimension. */
typedef struct
{
  double value;
  int exp10;
  SwDim dim;
} SwQuantity;

#define SW_UNITS_ERROR (sw_units_error_quark ())

typedef enum
{
  SW_UNITS_ERROR_SYNTAX,        /* not a number, a misplaced operator */
  SW_UNITS_ERROR_UNKNOWN_UNIT,  /* a spelling that is no unit */
  SW_UNITS_ERROR_DIMENSION,     /* the dimension is not the expected one */
  SW_UNITS_ERROR_VALUE,         /* not a finite number */
} SwUnitsError;

GQuark sw_units_error_quark (void);

/* Parses a unit on its own ("mV", "uA/cm2", "" for a pure number). */
gboolean sw_unit_parse (const char *text, SwUnit *unit, GError **error);

/* Scans the unit that follows a number inside an expression, starting at
 * @text (which begins with the unit's first letter).  Inside an expression
 * '*' is multiplication, so only '/', '.' and '·' written without spaces and
 * plain spaces join terms ("2 mS/cm^2", "3 ohm cm").  Returns the number of
 * bytes used, or 0 with @error set when the first word is no unit. */
gsize sw_unit_scan_in_expression (const char *text, SwUnit *unit, GError **error);

/* Length in bytes of the unit word that starts at @text (letters, µ, Ω, °,
 * or a lone '%'); 0 when no unit can start there. */
gsize sw_unit_word_length (const char *text);

/* Parses a number with an optional unit ("30 pA", "2.5", "1e-3 s"). */
gboolean sw_quantity_parse (const char *text, SwQuantity *quantity, GError **error);

/* Converts @quantity to @unit.  A dimensionless quantity is taken as a value
 * in @unit (a plain number is read in the canonical unit); any other must
 * have the dimension of @unit.  @given (may be NULL) is what the user wrote,
 * for the message: "'5 mV' has the dimension of a voltage, expected a time
 * (ms)". */
gboolean sw_quantity_to_unit (const SwQuantity *quantity, const char *unit,
                              const char *given, double *value, GError **error);

/* Parses "30 pA" and returns it in @unit; see sw_quantity_to_unit(). */
gboolean sw_units_parse_value (const char *text, const char *unit, double *value,
                               GError **error);

/* @value * 10^@exp10, with one correctly rounded operation when the power
 * of ten is exact (|exp10| <= 22). */
double sw_times_pow10 (double value, int exp10);

/* The quantity as one SI number. */
double sw_quantity_get_si (const SwQuantity *quantity);

/* @value in @unit as a quantity, and back. */
SwQuantity sw_unit_quantity (const SwUnit *unit, double value);
double sw_quantity_in_unit (const SwQuantity *quantity, const SwUnit *unit);

double sw_unit_to_si (const SwUnit *unit, double value);
double sw_unit_from_si (const SwUnit *unit, double si);

gboolean sw_dim_equal (const SwDim *a, const SwDim *b);
gboolean sw_dim_is_none (const SwDim *dim);
/* a + b, and k * a. */
SwDim sw_dim_add (const SwDim *a, const SwDim *b);
SwDim sw_dim_scale (const SwDim *a, double k);

/* "a voltage", "a pure number", or "the dimension m^2 kg s^-3 A^-1". */
char *sw_dim_describe (const SwDim *dim);
/* "m^2 kg s^-3 A^-1", "1" for a pure number. */
char *sw_dim_to_string (const SwDim *dim);

/* Common unit spellings, NULL-terminated, for "did you mean". */
const char *const *sw_unit_common_symbols (void);

G_END_DECLS
