/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parsing of units and dimension bookkeeping.  A unit string is a product of
 * terms, each a symbol with an optional SI prefix and an optional integer
 * exponent; '/' divides by the next term only, as in "mS/cm^2".
 */
#include "config.h"

#include "sw-units.h"

#include "sw-suggest.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (sw-units-error-quark, sw_units_error)

/* Exponents in the order of SwBaseUnit: s, m, kg, A, K, mol. */
typedef struct
{
  const char *symbol;
  double factor;
  int exp10;
  double offset;
  signed char dim[SW_N_BASE_UNITS];
  gboolean prefixable;
} UnitDef;

static const UnitDef unit_defs[] = {
  { "s", 1.0, 0, 0.0, { 1, 0, 0, 0, 0, 0 }, TRUE },
  { "m", 1.0, 0, 0.0, { 0, 1, 0, 0, 0, 0 }, TRUE },
  { "g", 1.0, -3, 0.0, { 0, 0, 1, 0, 0, 0 }, TRUE },
  { "A", 1.0, 0, 0.0, { 0, 0, 0, 1, 0, 0 }, TRUE },
  { "K", 1.0, 0, 0.0, { 0, 0, 0, 0, 1, 0 }, TRUE },
  { "mol", 1.0, 0, 0.0, { 0, 0, 0, 0, 0, 1 }, TRUE },
  { "Hz", 1.0, 0, 0.0, { -1, 0, 0, 0, 0, 0 }, TRUE },
  { "V", 1.0, 0, 0.0, { -3, 2, 1, -1, 0, 0 }, TRUE },
  { "S", 1.0, 0, 0.0, { 3, -2, -1, 2, 0, 0 }, TRUE },
  { "ohm", 1.0, 0, 0.0, { -3, 2, 1, -2, 0, 0 }, TRUE },
  { "Ohm", 1.0, 0, 0.0, { -3, 2, 1, -2, 0, 0 }, TRUE },
  { "\xce\xa9", 1.0, 0, 0.0, { -3, 2, 1, -2, 0, 0 }, TRUE },      /* Ω, Greek capital omega */
  { "\xe2\x84\xa6", 1.0, 0, 0.0, { -3, 2, 1, -2, 0, 0 }, TRUE },  /* Ω, ohm sign */
  { "F", 1.0, 0, 0.0, { 4, -2, -1, 2, 0, 0 }, TRUE },
  { "C", 1.0, 0, 0.0, { 1, 0, 0, 1, 0, 0 }, TRUE },
  { "J", 1.0, 0, 0.0, { -2, 2, 1, 0, 0, 0 }, TRUE },
  { "W", 1.0, 0, 0.0, { -3, 2, 1, 0, 0, 0 }, TRUE },
  { "N", 1.0, 0, 0.0, { -2, 1, 1, 0, 0, 0 }, TRUE },
  { "Pa", 1.0, 0, 0.0, { -2, -1, 1, 0, 0, 0 }, TRUE },
  { "L", 1.0, -3, 0.0, { 0, 3, 0, 0, 0, 0 }, TRUE },
  { "l", 1.0, -3, 0.0, { 0, 3, 0, 0, 0, 0 }, TRUE },
  { "M", 1.0, 3, 0.0, { 0, -3, 0, 0, 0, 1 }, TRUE },               /* mol/L */
  { "min", 60.0, 0, 0.0, { 1, 0, 0, 0, 0, 0 }, FALSE },
  { "h", 3600.0, 0, 0.0, { 1, 0, 0, 0, 0, 0 }, FALSE },
  { "degC", 1.0, 0, 273.15, { 0, 0, 0, 0, 1, 0 }, FALSE },
  { "\xc2\xb0" "C", 1.0, 0, 273.15, { 0, 0, 0, 0, 1, 0 }, FALSE }, /* °C */
  { "%", 1.0, -2, 0.0, { 0, 0, 0, 0, 0, 0 }, FALSE },
};

typedef struct
{
  const char *symbol;
  int exp10;
} Prefix;

/* Hecto and deca are left out: "h" is the hour, and nobody writes "dam". */
static const Prefix prefixes[] = {
  { "T", 12 }, { "G", 9 }, { "M", 6 }, { "k", 3 },
  { "d", -1 }, { "c", -2 }, { "m", -3 },
  { "u", -6 }, { "\xc2\xb5", -6 }, { "\xce\xbc", -6 },
  { "n", -9 }, { "p", -12 }, { "f", -15 }, { "a", -18 },
};

static const char *const common_symbols[] = {
  "s", "ms", "us", "min", "h", "Hz", "kHz",
  "V", "mV", "uV", "A", "mA", "uA", "nA", "pA",
  "S", "mS", "uS", "nS", "pS", "F", "uF", "nF", "pF",
  "ohm", "kohm", "Mohm", "Gohm", "m", "cm", "mm", "um", "nm",
  "mol", "mmol", "M", "mM", "uM", "L", "mL", "g", "kg", "K", "degC", "%",
  "C", "J", "W", "N", "Pa",
  NULL
};

const char *const *
sw_unit_common_symbols (void)
{
  return common_symbols;
}

/* Dimensions */

#define DIM_EPSILON 1e-9

gboolean
sw_dim_equal (const SwDim *a, const SwDim *b)
{
  for (int i = 0; i < SW_N_BASE_UNITS; i++)
    if (fabs (a->e[i] - b->e[i]) > DIM_EPSILON)
      return FALSE;
  return TRUE;
}

gboolean
sw_dim_is_none (const SwDim *dim)
{
  static const SwDim none;
  return sw_dim_equal (dim, &none);
}

SwDim
sw_dim_add (const SwDim *a, const SwDim *b)
{
  SwDim r;
  for (int i = 0; i < SW_N_BASE_UNITS; i++)
    r.e[i] = a->e[i] + b->e[i];
  return r;
}

SwDim
sw_dim_scale (const SwDim *a, double k)
{
  SwDim r;
  for (int i = 0; i < SW_N_BASE_UNITS; i++)
    r.e[i] = a->e[i] * k;
  return r;
}

typedef struct
{
  signed char dim[SW_N_BASE_UNITS];
  const char *name;
} DimName;

static const DimName dim_names[] = {
  { { 0, 0, 0, 0, 0, 0 }, "a pure number" },
  { { 1, 0, 0, 0, 0, 0 }, "a time" },
  { { -1, 0, 0, 0, 0, 0 }, "a frequency" },
  { { 0, 1, 0, 0, 0, 0 }, "a length" },
  { { 0, 2, 0, 0, 0, 0 }, "an area" },
  { { 0, 3, 0, 0, 0, 0 }, "a volume" },
  { { 0, 0, 1, 0, 0, 0 }, "a mass" },
  { { 0, 0, 0, 1, 0, 0 }, "a current" },
  { { 0, 0, 0, 0, 1, 0 }, "a temperature" },
  { { 0, 0, 0, 0, 0, 1 }, "an amount of substance" },
  { { -3, 2, 1, -1, 0, 0 }, "a voltage" },
  { { 3, -2, -1, 2, 0, 0 }, "a conductance" },
  { { -3, 2, 1, -2, 0, 0 }, "a resistance" },
  { { 4, -2, -1, 2, 0, 0 }, "a capacitance" },
  { { 1, 0, 0, 1, 0, 0 }, "a charge" },
  { { -2, 2, 1, 0, 0, 0 }, "an energy" },
  { { -3, 2, 1, 0, 0, 0 }, "a power" },
  { { -2, 1, 1, 0, 0, 0 }, "a force" },
  { { -2, -1, 1, 0, 0, 0 }, "a pressure" },
  { { -1, 1, 0, 0, 0, 0 }, "a speed" },
  { { 0, -2, 0, 1, 0, 0 }, "a current density" },
  { { 3, -4, -1, 2, 0, 0 }, "a conductance density" },
  { { 4, -4, -1, 2, 0, 0 }, "a specific capacitance" },
  { { -3, 3, 1, -2, 0, 0 }, "a resistivity" },
  { { 0, -3, 0, 0, 0, 1 }, "a concentration" },
  { { -4, 2, 1, -1, 0, 0 }, "a rate of change of voltage" },
  { { 2, 0, 0, 0, 0, 0 }, "a squared time" },
  { { -2, 0, 0, 0, 0, 0 }, "a squared frequency" },
};

/* Printed in the customary SI order m, kg, s, A, K, mol. */
static const struct
{
  SwBaseUnit base;
  const char *symbol;
} base_order[SW_N_BASE_UNITS] = {
  { SW_BASE_METRE, "m" },
  { SW_BASE_KILOGRAM, "kg" },
  { SW_BASE_SECOND, "s" },
  { SW_BASE_AMPERE, "A" },
  { SW_BASE_KELVIN, "K" },
  { SW_BASE_MOLE, "mol" },
};

char *
sw_dim_to_string (const SwDim *dim)
{
  GString *s = g_string_new (NULL);

  for (int k = 0; k < SW_N_BASE_UNITS; k++)
    {
      double e = dim->e[base_order[k].base];

      if (fabs (e) <= DIM_EPSILON)
        continue;
      if (s->len > 0)
        g_string_append_c (s, ' ');
      g_string_append (s, base_order[k].symbol);
      if (fabs (e - 1.0) > DIM_EPSILON)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          if (fabs (e - round (e)) <= DIM_EPSILON)
            g_string_append_printf (s, "^%d", (int) round (e));
          else
            g_string_append_printf (s, "^%s", g_ascii_formatd (buf, sizeof buf, "%g", e));
        }
    }
  if (s->len == 0)
    g_string_append_c (s, '1');
  return g_string_free (s, FALSE);
}

char *
sw_dim_describe (const SwDim *dim)
{
  g_autofree char *str = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (dim_names); i++)
    {
      SwDim d;
      for (int k = 0; k < SW_N_BASE_UNITS; k++)
        d.e[k] = dim_names[i].dim[k];
      if (sw_dim_equal (&d, dim))
        return g_strdup (dim_names[i].name);
    }
  str = sw_dim_to_string (dim);
  return g_strdup_printf ("the dimension %s", str);
}

/* Unit arithmetic */

/* 10^0 ... 10^22 are exact doubles. */
static const double exact_pow10[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

double
sw_times_pow10 (double value, int exp10)
{
  if (exp10 == 0)
    return value;
  if (exp10 > 0 && exp10 < (int) G_N_ELEMENTS (exact_pow10))
    return value * exact_pow10[exp10];
  if (exp10 < 0 && -exp10 < (int) G_N_ELEMENTS (exact_pow10))
    return value / exact_pow10[-exp10];
  return value * pow (10.0, exp10);
}

double
sw_quantity_get_si (const SwQuantity *quantity)
{
  return sw_times_pow10 (quantity->value, quantity->exp10);
}

SwQuantity
sw_unit_quantity (const SwUnit *unit, double value)
{
  SwQuantity q;

  q.dim = unit->dim;
  if (unit->offset != 0.0)
    {
      q.value = sw_unit_to_si (unit, value);
      q.exp10 = 0;
    }
  else
    {
      q.value = value * unit->factor;
      q.exp10 = unit->exp10;
    }
  return q;
}

double
sw_quantity_in_unit (const SwQuantity *quantity, const SwUnit *unit)
{
  if (unit->offset != 0.0)
    return sw_unit_from_si (unit, sw_quantity_get_si (quantity));
  return sw_times_pow10 (quantity->value, quantity->exp10 - unit->exp10) / unit->factor;
}

double
sw_unit_to_si (const SwUnit *unit, double value)
{
  return sw_times_pow10 (value * unit->factor, unit->exp10) + unit->offset;
}

double
sw_unit_from_si (const SwUnit *unit, double si)
{
  return sw_times_pow10 (si - unit->offset, -unit->exp10) / unit->factor;
}

static void
unit_set_none (SwUnit *unit)
{
  memset (unit, 0, sizeof *unit);
  unit->factor = 1.0;
}

/* Length in bytes of the unit word at @p: ASCII letters and the few
 * non-ASCII characters of unit symbols (µ, μ, Ω, Ω, °), or a lone '%'. */
gsize
sw_unit_word_length (const char *p)
{
  static const char *const extra[] = {
    "\xc2\xb5", "\xce\xbc", "\xce\xa9", "\xe2\x84\xa6", "\xc2\xb0", NULL
  };
  const char *start = p;

  if (*p == '%')
    return 1;

  for (;;)
    {
      gboolean matched = FALSE;

      if (g_ascii_isalpha (*p))
        {
          p++;
          continue;
        }
      for (int i = 0; extra[i] != NULL; i++)
        {
          gsize n = strlen (extra[i]);
          if (strncmp (p, extra[i], n) == 0)
            {
              p += n;
              matched = TRUE;
              break;
            }
        }
      if (!matched)
        break;
    }
  return (gsize) (p - start);
}

static gboolean
is_word_start (const char *p)
{
  return sw_unit_word_length (p) > 0;
}

static const UnitDef *
find_def (const char *word, gsize len, gboolean need_prefixable)
{
  for (gsize i = 0; i < G_N_ELEMENTS (unit_defs); i++)
    {
      const UnitDef *d = &unit_defs[i];
      if (strlen (d->symbol) == len && strncmp (d->symbol, word, len) == 0
          && (!need_prefixable || d->prefixable))
        return d;
    }
  return NULL;
}

/* Looks up a unit word, with or without a prefix.  An exact symbol wins
 * over a prefix reading ("min" is the minute, "Pa" the pascal). */
static gboolean
lookup_word (const char *word, gsize len, int *exp10, const UnitDef **def)
{
  const UnitDef *d = find_def (word, len, FALSE);

  if (d != NULL)
    {
      *exp10 = d->exp10;
      *def = d;
      return TRUE;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      gsize plen = strlen (prefixes[i].symbol);

      if (len > plen && strncmp (word, prefixes[i].symbol, plen) == 0)
        {
          d = find_def (word + plen, len - plen, TRUE);
          if (d != NULL)
            {
              *exp10 = prefixes[i].exp10 + d->exp10;
              *def = d;
              return TRUE;
            }
        }
    }
  return FALSE;
}

static void
set_unknown_unit_error (GError **error, const char *word, gsize len)
{
  g_autofree char *w = g_strndup (word, len);
  GString *msg = g_string_new (NULL);

  g_string_append_printf (msg, "unknown unit '%s'", w);
  if (!sw_suggest_append (msg, w, common_symbols, -1))
    g_string_append (msg, " (units look like ms, mV, nS, pF, pA, Hz, uA/cm2)");
  g_set_error_literal (error, SW_UNITS_ERROR, SW_UNITS_ERROR_UNKNOWN_UNIT, msg->str);
  g_string_free (msg, TRUE);
}

/* Reads an integer exponent at *@pp: "^2", "^-1", "**2", or digits written
 * straight after the symbol ("cm2"; with a sign, "s-1", only when
 * @allow_bare_sign).  Leaves *@pp alone and returns 1 when there is none. */
static gboolean
scan_exponent (const char **pp, gboolean allow_bare_sign, int *exponent, GError **error)
{
  const char *p = *pp;
  gboolean marked = FALSE;
  int sign = 1;
  long value = 0;
  const char *digits;

  if (*p == '^')
    {
      p++;
      marked = TRUE;
    }
  else if (p[0] == '*' && p[1] == '*')
    {
      p += 2;
      marked = TRUE;
    }

  if ((*p == '-' || *p == '+') && (marked || (allow_bare_sign && g_ascii_isdigit (p[1]))))
    {
      sign = *p == '-' ? -1 : 1;
      p++;
    }

  digits = p;
  while (g_ascii_isdigit (*p) && p - digits < 3)
    value = value * 10 + (*p++ - '0');

  if (p == digits)
    {
      if (marked)
        {
          g_set_error (error, SW_UNITS_ERROR, SW_UNITS_ERROR_SYNTAX,
                       "expected a whole-number exponent after '%.*s'",
                       (int) (digits - *pp), *pp);
          return FALSE;
        }
      *exponent = 1;
      return TRUE;
    }
  if (g_ascii_isdigit (*p) || *p == '.')
    {
      g_set_error (error, SW_UNITS_ERROR, SW_UNITS_ERROR_SYNTAX,
                   "unit exponents must be small whole numbers");
      return FALSE;
    }

  *exponent = sign * (int) value;
  *pp = p;
  return TRUE;
}

/* Multiplies @unit by one term (symbol and exponent) read at *@pp. */
static gboolean
scan_term (const char **pp, gboolean in_expression, int sign, SwUnit *unit,
           int *n_terms, gboolean *has_offset, GError **error)
{
  const char *p = *pp;
  gsize len = sw_unit_word_length (p);
  const UnitDef *def = NULL;
  int exp10 = 0;
  int exponent = 1;

  if (len == 0)
    {
      g_set_error (error, SW_UNITS_ERROR, SW_UNITS_ERROR_SYNTAX,
                   "expected a unit at '%s'", p);
      return FALSE;
    }
  if (!lookup_word (p, len, &exp10, &def))
    {
      set_unknown_unit_error (error, p, len);
      return FALSE;
    }
  p += len;
  if (!scan_exponent (&p, !in_expression, &exponent, error))
    return FALSE;

  exponent *= sign;
  unit->factor *= pow (def->factor, exponent);
  unit->exp10 += exp10 * exponent;
  for (int k = 0; k < SW_N_BASE_UNITS; k++)
    unit->dim.e[k] += def->dim[k] * exponent;
  if (def->offset != 0.0)
    {
      if (exponent != 1)
        {
          g_set_error (error, SW_UNITS_ERROR, SW_UNITS_ERROR_SYNTAX,
                       "%s is a temperature scale and takes no exponent", def->symbol);
          return FALSE;
        }
      unit->offset = def->offset;
      *has_offset = TRUE;
    }
  (*n_terms)++;
  *pp = p;
  return TRUE;
}

static gboolean
check_offset (int n_terms, gboolean has_offset, GError **error)
{
  /* An offset scale has a meaning only on its own: "37 degC", not
   * "degC/s" (use K for differences and rates of temperature). */
  if (has_offset && n_terms > 1)
    {
      g_set_error_literal (error, SW_UNITS_ERROR, SW_UNITS_ERROR_SYNTAX,
                           "degC cannot be combined with other units; use K");
      return FALSE;
    }
  return TRUE;
}

static const char *
skip_spaces (const char *p)
{
  while (g_ascii_isspace (*p))
    p++;
  return p;
}

/* A multiplication sign between unit terms: '*', '.' or '·'.  Returns its
 * length in bytes, 0 if none. */
static gsize
product_sign (const char *p, gboolean in_expression)
{
  if (*p == '.')
    return 1;
  if (p[0] == '\xc2' && p[1] == '\xb7')
    return 2;
  if (!in_expression && *p == '*' && p[1] != '*')
    return 1;
  return 0;
}

gboolean
sw_unit_parse (const char *text, SwUnit *unit, GError **error)
{
  const char *p;
  int n_terms = 0;
  gboolean has_offset = FALSE;
  SwUnit u;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (unit != NULL, FALSE);

  unit_set_none (&u);
  p = skip_spaces (text);

  if (*p == '\0')
    {
      *unit = u;
      return TRUE;
    }

  /* "1/ms": a reciprocal. */
  if (p[0] == '1' && !g_ascii_isdigit (p[1]) && p[1] != '.')
    {
      p = skip_spaces (p + 1);
      if (*p == '\0')
        {
          *unit = u;
          return TRUE;
        }
      if (*p != '/')
        {
          g_set_error (error, SW_UNITS_ERROR, SW_UNITS_ERROR_SYNTAX,
                       "'%s' is not a unit: expected '/' after '1'", text);
          return FALSE;
        }
    }
  else if (!scan_term (&p, FALSE, 1, &u, &n_terms, &has_offset, error))
    return FALSE;

  for (;;)
    {
      const char *q = skip_spaces (p);
      gsize sign_len;
      int sign = 1;

      if (*q == '\0')
        break;
      if (*q == '/')
        {
          sign = -1;
          q = skip_spaces (q + 1);
        }
      else if ((sign_len = product_sign (q, FALSE)) > 0)
        q = skip_spaces (q + sign_len);
      else if (q == p)
        {
          g_set_error (error, SW_UNITS_ERROR, SW_UNITS_ERROR_SYNTAX,
                       "'%s' is not a unit: unexpected '%s'", text, q);
          return FALSE;
        }
      /* else: terms separated by spaces multiply ("ohm cm"). */

      p = q;
      if (!scan_term (&p, FALSE, sign, &u, &n_terms, &has_offset, error))
        return FALSE;
    }

  if (!check_offset (n_terms, has_offset, error))
    return FALSE;

  *unit = u;
  return TRUE;
}

gsize
sw_unit_scan_in_expression (const char *text, SwUnit *unit, GError **error)
{
  const char *p = text;
  int n_terms = 0;
  gboolean has_offset = FALSE;
  SwUnit u;

  g_return_val_if_fail (text != NULL, 0);

  unit_set_none (&u);
  if (!scan_term (&p, TRUE, 1, &u, &n_terms, &has_offset, error))
    return 0;

  for (;;)
    {
      const char *q = p;
      int sign = 1;
      gsize sign_len;
      gsize len;
      int exp10;
      const UnitDef *def;

      /* "/" and "." bind units only when written tight: "mS/cm^2" is one
       * unit, "2 mV / tau" divides by a variable. */
      if (*q == '/' && is_word_start (q + 1))
        {
          sign = -1;
          q++;
        }
      else if ((sign_len = product_sign (q, TRUE)) > 0 && is_word_start (q + sign_len))
        q += sign_len;
      else if (g_ascii_isspace (*q))
        {
          /* A following word continues the unit only when it is a unit
           * itself and not a function call ("3 ohm cm", but not
           * "2 ms min(a, b)", which is an error elsewhere anyway). */
          const char *r = skip_spaces (q);
          const char *after;

          len = sw_unit_word_length (r);
          if (len == 0 || !lookup_word (r, len, &exp10, &def))
            break;
          after = skip_spaces (r + len);
          if (*after == '(')
            break;
          q = r;
        }
      else
        break;

      len = sw_unit_word_length (q);
      if (len == 0 || !lookup_word (q, len, &exp10, &def))
        {
          if (sign < 0 || q != p)
            {
              /* "mV/foo": a tight '/' promised a unit. */
              set_unknown_unit_error (error, q, len);
              return 0;
            }
          break;
        }
      p = q;
      if (!scan_term (&p, TRUE, sign, &u, &n_terms, &has_offset, error))
        return 0;
    }

  if (!check_offset (n_terms, has_offset, error))
    return 0;

  *unit = u;
  return (gsize) (p - text);
}

gboolean
sw_quantity_parse (const char *text, SwQuantity *quantity, GError **error)
{
  const char *p;
  char *end = NULL;
  double value;
  SwUnit unit;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (quantity != NULL, FALSE);

  p = skip_spaces (text);
  value = g_ascii_strtod (p, &end);
  if (end == p || g_ascii_isalpha (*p))
    {
      g_set_error (error, SW_UNITS_ERROR, SW_UNITS_ERROR_SYNTAX,
                   "'%s' is not a number with a unit (such as '30 pA')", text);
      return FALSE;
    }
  if (!isfinite (value))
    {
      g_set_error (error, SW_UNITS_ERROR, SW_UNITS_ERROR_VALUE,
                   "'%s' is not a finite number", text);
      return FALSE;
    }
  if (!sw_unit_parse (end, &unit, error))
    return FALSE;

  *quantity = sw_unit_quantity (&unit, value);
  return TRUE;
}

gboolean
sw_quantity_to_unit (const SwQuantity *quantity, const char *unit, const char *given,
                     double *value, GError **error)
{
  SwUnit u;
  double v;

  g_return_val_if_fail (quantity != NULL, FALSE);
  g_return_val_if_fail (unit != NULL, FALSE);

  if (!sw_unit_parse (unit, &u, error))
    return FALSE;

  if (sw_dim_is_none (&quantity->dim))
    v = sw_quantity_get_si (quantity);
  else if (sw_dim_equal (&quantity->dim, &u.dim))
    v = sw_quantity_in_unit (quantity, &u);
  else
    {
      g_autofree char *has = sw_dim_describe (&quantity->dim);
      g_autofree char *want = sw_dim_describe (&u.dim);

      if (given != NULL)
        g_set_error (error, SW_UNITS_ERROR, SW_UNITS_ERROR_DIMENSION,
                     "'%s' has the dimension of %s, expected %s%s%s%s",
                     given, has, want, *unit ? " (" : "", unit, *unit ? ")" : "");
      else
        g_set_error (error, SW_UNITS_ERROR, SW_UNITS_ERROR_DIMENSION,
                     "the value has the dimension of %s, expected %s%s%s%s",
                     has, want, *unit ? " (" : "", unit, *unit ? ")" : "");
      return FALSE;
    }

  if (!isfinite (v))
    {
      g_set_error_literal (error, SW_UNITS_ERROR, SW_UNITS_ERROR_VALUE,
                           "the value is not a finite number");
      return FALSE;
    }
  if (value != NULL)
    *value = v;
  return TRUE;
}

gboolean
sw_units_parse_value (const char *text, const char *unit, double *value, GError **error)
{
  SwQuantity q;

  if (!sw_quantity_parse (text, &q, error))
    return FALSE;
  return sw_quantity_to_unit (&q, unit, text, value, error);
}
