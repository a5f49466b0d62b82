/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A recursive-descent parser for field expressions, a tree evaluator that
 * tracks dimensions, and the variable scope with lazy evaluation and cycle
 * detection.
 */
#include "config.h"

#include "sw-expr.h"

#include "sw-suggest.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (sw-expr-error-quark, sw_expr_error)

typedef enum
{
  NODE_NUMBER,
  NODE_VARIABLE,
  NODE_NEGATE,
  NODE_ADD,
  NODE_SUBTRACT,
  NODE_MULTIPLY,
  NODE_DIVIDE,
  NODE_POWER,
  NODE_CALL,
} NodeKind;

typedef enum
{
  FUNC_EXP,
  FUNC_LOG,
  FUNC_LOG10,
  FUNC_SQRT,
  FUNC_ABS,
  FUNC_MIN,
  FUNC_MAX,
} FuncId;

typedef struct
{
  const char *name;
  FuncId id;
  int min_args, max_args;   /* max_args -1: any number */
} Func;

static const Func funcs[] = {
  { "exp", FUNC_EXP, 1, 1 },
  { "log", FUNC_LOG, 1, 1 },
  { "log10", FUNC_LOG10, 1, 1 },
  { "sqrt", FUNC_SQRT, 1, 1 },
  { "abs", FUNC_ABS, 1, 1 },
  { "min", FUNC_MIN, 2, -1 },
  { "max", FUNC_MAX, 2, -1 },
};

static const char *const func_names[] = {
  "exp", "log", "log10", "sqrt", "abs", "min", "max", NULL
};

typedef struct _Node Node;

struct _Node
{
  NodeKind kind;
  int column;           /* of the token, from 1, for messages */
  SwQuantity number;    /* NODE_NUMBER */
  char *name;           /* NODE_VARIABLE */
  const Func *func;     /* NODE_CALL */
  Node **args;          /* operands: 1 (negate), 2 (binary), n (call) */
  int n_args;
};

struct _SwExpr
{
  char *text;
  Node *root;
  GPtrArray *variables;
};

static void
node_free (Node *node)
{
  if (node == NULL)
    return;
  for (int i = 0; i < node->n_args; i++)
    node_free (node->args[i]);
  g_free (node->args);
  g_free (node->name);
  g_free (node);
}

static Node *
node_new (NodeKind kind, int column)
{
  Node *node = g_new0 (Node, 1);
  node->kind = kind;
  node->column = column;
  return node;
}

static Node *
node_new_binary (NodeKind kind, int column, Node *a, Node *b)
{
  Node *node = node_new (kind, column);
  node->args = g_new (Node *, 2);
  node->args[0] = a;
  node->args[1] = b;
  node->n_args = 2;
  return node;
}

/* Parser */

typedef struct
{
  const char *text;
  const char *p;
  GPtrArray *variables;
  GError **error;
} Parser;

static int
column_of (const Parser *ps, const char *at)
{
  return (int) g_utf8_pointer_to_offset (ps->text, at) + 1;
}

static void
skip_spaces (Parser *ps)
{
  while (g_ascii_isspace (*ps->p))
    ps->p++;
}

/* The token at @at for messages: a word, a number or one character. */
static char *
token_text (const char *at)
{
  const char *end = at;

  if (*at == '\0')
    return g_strdup ("the end");
  if (g_ascii_isalnum (*at) || *at == '_' || *at == '.')
    {
      while (g_ascii_isalnum (*end) || *end == '_' || *end == '.')
        end++;
    }
  else
    end = g_utf8_next_char (at);
  return g_strdup_printf ("'%.*s'", (int) (end - at), at);
}

static void
syntax_error (Parser *ps, const char *at, const char *expected)
{
  g_autofree char *tok = token_text (at);

  if (ps->error == NULL || *ps->error != NULL)
    return;
  g_set_error (ps->error, SW_EXPR_ERROR, SW_EXPR_ERROR_SYNTAX,
               "expected %s at column %d, found %s",
               expected, column_of (ps, at), tok);
}

/* Operators may be written with their typographic forms too, as they come
 * in copies from papers: − (minus sign), × and · (times). */
static gsize
match_op (const char *p, char op)
{
  switch (op)
    {
    case '-':
      if (*p == '-')
        return 1;
      if (strncmp (p, "\xe2\x88\x92", 3) == 0)
        return 3;
      return 0;
    case '*':
      if (p[0] == '*' && p[1] != '*')
        return 1;
      if (strncmp (p, "\xc3\x97", 2) == 0 || strncmp (p, "\xc2\xb7", 2) == 0)
        return 2;
      return 0;
    case '^':
      if (*p == '^')
        return 1;
      if (p[0] == '*' && p[1] == '*')
        return 2;
      return 0;
    default:
      return *p == op ? 1 : 0;
    }
}

static Node *parse_expr (Parser *ps);
static Node *parse_unary (Parser *ps);

static gboolean
is_ident_start (char c)
{
  return g_ascii_isalpha (c) || c == '_';
}

static gboolean
is_ident_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

static Node *
parse_number (Parser *ps)
{
  const char *start = ps->p;
  const char *q = ps->p;
  g_autofree char *digits = NULL;
  double value;
  Node *node;
  SwUnit unit = { 1.0, 0, 0.0, { { 0 } } };

  while (g_ascii_isdigit (*q))
    q++;
  if (*q == '.')
    {
      q++;
      while (g_ascii_isdigit (*q))
        q++;
    }
  if ((*q == 'e' || *q == 'E')
      && (g_ascii_isdigit (q[1]) || ((q[1] == '-' || q[1] == '+') && g_ascii_isdigit (q[2]))))
    {
      q += 2;
      while (g_ascii_isdigit (*q))
        q++;
    }
  if (q == start || (q == start + 1 && *start == '.'))
    {
      syntax_error (ps, start, "a number");
      return NULL;
    }

  digits = g_strndup (start, q - start);
  value = g_ascii_strtod (digits, NULL);
  if (!isfinite (value))
    {
      g_set_error (ps->error, SW_EXPR_ERROR, SW_EXPR_ERROR_NOT_FINITE,
                   "the number at column %d is too large", column_of (ps, start));
      return NULL;
    }
  ps->p = q;

  /* An optional unit, after optional spaces. */
  {
    const char *r = q;
    g_autoptr(GError) local = NULL;
    gsize used;

    while (g_ascii_isspace (*r))
      r++;
    if (sw_unit_word_length (r) > 0)
      {
        used = sw_unit_scan_in_expression (r, &unit, &local);
        if (used == 0)
          {
            GString *msg = g_string_new (NULL);
            gsize len = 0;

            while (is_ident_char (r[len]))
              len++;
            g_string_append_printf (msg, "%s after %s (column %d)",
                                    local->message, digits, column_of (ps, r));
            /* "2 eta" is probably a forgotten '*', not a unit. */
            if (len > 0 && strstr (local->message, "did you mean") == NULL)
              g_string_append_printf (msg, "; to multiply by a variable write '%s*%.*s'",
                                      digits, (int) len, r);
            g_set_error_literal (ps->error, SW_EXPR_ERROR,
                                 local->code == SW_UNITS_ERROR_UNKNOWN_UNIT
                                 ? SW_EXPR_ERROR_UNKNOWN_UNIT : SW_EXPR_ERROR_SYNTAX,
                                 msg->str);
            g_string_free (msg, TRUE);
            return NULL;
          }
        ps->p = r + used;
      }
  }

  node = node_new (NODE_NUMBER, column_of (ps, start));
  node->number = sw_unit_quantity (&unit, value);
  return node;
}

static const Func *
find_func (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (funcs); i++)
    if (strcmp (funcs[i].name, name) == 0)
      return &funcs[i];
  return NULL;
}

static Node *
parse_call (Parser *ps, const char *name, const char *start)
{
  const Func *func = find_func (name);
  GPtrArray *args;
  Node *node;

  if (func == NULL)
    {
      GString *msg = g_string_new (NULL);
      g_string_append_printf (msg, "unknown function '%s' at column %d", name,
                              column_of (ps, start));
      if (!sw_suggest_append (msg, name, func_names, -1))
        g_string_append (msg, " (functions: exp, log, log10, sqrt, abs, min, max)");
      g_set_error_literal (ps->error, SW_EXPR_ERROR, SW_EXPR_ERROR_UNDEFINED, msg->str);
      g_string_free (msg, TRUE);
      return NULL;
    }

  ps->p++;   /* '(' */
  args = g_ptr_array_new ();
  for (;;)
    {
      Node *arg = parse_expr (ps);
      if (arg == NULL)
        {
          g_ptr_array_set_free_func (args, (GDestroyNotify) node_free);
          g_ptr_array_unref (args);
          return NULL;
        }
      g_ptr_array_add (args, arg);
      skip_spaces (ps);
      if (*ps->p == ',')
        {
          ps->p++;
          continue;
        }
      if (*ps->p == ')')
        {
          ps->p++;
          break;
        }
      syntax_error (ps, ps->p, "',' or ')'");
      g_ptr_array_set_free_func (args, (GDestroyNotify) node_free);
      g_ptr_array_unref (args);
      return NULL;
    }

  node = node_new (NODE_CALL, column_of (ps, start));
  node->func = func;
  node->n_args = (int) args->len;
  node->args = (Node **) g_ptr_array_free (args, FALSE);

  if (node->n_args < func->min_args
      || (func->max_args >= 0 && node->n_args > func->max_args))
    {
      if (func->max_args < 0)
        g_set_error (ps->error, SW_EXPR_ERROR, SW_EXPR_ERROR_SYNTAX,
                     "%s() at column %d takes at least %d arguments, not %d",
                     func->name, node->column, func->min_args, node->n_args);
      else
        g_set_error (ps->error, SW_EXPR_ERROR, SW_EXPR_ERROR_SYNTAX,
                     "%s() at column %d takes %d argument%s, not %d",
                     func->name, node->column, func->min_args,
                     func->min_args == 1 ? "" : "s", node->n_args);
      node_free (node);
      return NULL;
    }
  return node;
}

static Node *
parse_primary (Parser *ps)
{
  const char *start;

  skip_spaces (ps);
  start = ps->p;

  if (g_ascii_isdigit (*start) || (*start == '.' && g_ascii_isdigit (start[1])))
    return parse_number (ps);

  if (is_ident_start (*start))
    {
      const char *q = start;
      g_autofree char *name = NULL;
      Node *node;

      while (is_ident_char (*q))
        q++;
      name = g_strndup (start, q - start);
      ps->p = q;
      skip_spaces (ps);
      if (*ps->p == '(')
        return parse_call (ps, name, start);

      node = node_new (NODE_VARIABLE, column_of (ps, start));
      node->name = g_steal_pointer (&name);
      if (!g_ptr_array_find_with_equal_func (ps->variables, node->name, g_str_equal, NULL))
        g_ptr_array_add (ps->variables, g_strdup (node->name));
      return node;
    }

  if (*start == '(')
    {
      Node *inner;

      ps->p++;
      inner = parse_expr (ps);
      if (inner == NULL)
        return NULL;
      skip_spaces (ps);
      if (*ps->p != ')')
        {
          syntax_error (ps, ps->p, "')'");
          node_free (inner);
          return NULL;
        }
      ps->p++;
      return inner;
    }

  syntax_error (ps, start, "a number, a variable or '('");
  return NULL;
}

static Node *
parse_power (Parser *ps)
{
  Node *base = parse_primary (ps);
  gsize n;

  if (base == NULL)
    return NULL;
  skip_spaces (ps);
  if ((n = match_op (ps->p, '^')) > 0)
    {
      int column = column_of (ps, ps->p);
      Node *exponent;

      ps->p += n;
      exponent = parse_unary (ps);
      if (exponent == NULL)
        {
          node_free (base);
          return NULL;
        }
      return node_new_binary (NODE_POWER, column, base, exponent);
    }
  return base;
}

static Node *
parse_unary (Parser *ps)
{
  gsize n;

  skip_spaces (ps);
  if ((n = match_op (ps->p, '-')) > 0)
    {
      int column = column_of (ps, ps->p);
      Node *operand, *node;

      ps->p += n;
      operand = parse_unary (ps);
      if (operand == NULL)
        return NULL;
      node = node_new (NODE_NEGATE, column);
      node->args = g_new (Node *, 1);
      node->args[0] = operand;
      node->n_args = 1;
      return node;
    }
  if (*ps->p == '+')
    {
      ps->p++;
      return parse_unary (ps);
    }
  return parse_power (ps);
}

static Node *
parse_term (Parser *ps)
{
  Node *left = parse_unary (ps);

  while (left != NULL)
    {
      NodeKind kind;
      gsize n;
      int column;
      Node *right;

      skip_spaces (ps);
      if ((n = match_op (ps->p, '*')) > 0)
        kind = NODE_MULTIPLY;
      else if ((n = match_op (ps->p, '/')) > 0)
        kind = NODE_DIVIDE;
      else
        break;
      column = column_of (ps, ps->p);
      ps->p += n;
      right = parse_unary (ps);
      if (right == NULL)
        {
          node_free (left);
          return NULL;
        }
      left = node_new_binary (kind, column, left, right);
    }
  return left;
}

static Node *
parse_expr (Parser *ps)
{
  Node *left = parse_term (ps);

  while (left != NULL)
    {
      NodeKind kind;
      gsize n;
      int column;
      Node *right;

      skip_spaces (ps);
      if ((n = match_op (ps->p, '+')) > 0)
        kind = NODE_ADD;
      else if ((n = match_op (ps->p, '-')) > 0)
        kind = NODE_SUBTRACT;
      else
        break;
      column = column_of (ps, ps->p);
      ps->p += n;
      right = parse_term (ps);
      if (right == NULL)
        {
          node_free (left);
          return NULL;
        }
      left = node_new_binary (kind, column, left, right);
    }
  return left;
}

SwExpr *
sw_expr_parse (const char *text, GError **error)
{
  g_autoptr(GError) local = NULL;
  Parser ps = { 0 };
  Node *root;
  SwExpr *expr;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, SW_EXPR_ERROR, SW_EXPR_ERROR_SYNTAX,
                           "the expression is not valid UTF-8 text");
      return NULL;
    }

  ps.text = text;
  ps.p = text;
  ps.variables = g_ptr_array_new_with_free_func (g_free);
  ps.error = &local;

  skip_spaces (&ps);
  if (*ps.p == '\0')
    {
      g_set_error_literal (error, SW_EXPR_ERROR, SW_EXPR_ERROR_SYNTAX,
                           "the expression is empty");
      g_ptr_array_unref (ps.variables);
      return NULL;
    }

  root = parse_expr (&ps);
  if (root != NULL)
    {
      skip_spaces (&ps);
      if (*ps.p != '\0')
        {
          syntax_error (&ps, ps.p, *ps.p == ')' ? "an operator (unbalanced ')')" : "an operator");
          node_free (root);
          root = NULL;
        }
    }
  if (root == NULL)
    {
      g_ptr_array_unref (ps.variables);
      if (local == NULL)
        g_set_error_literal (&local, SW_EXPR_ERROR, SW_EXPR_ERROR_SYNTAX, "syntax error");
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }

  expr = g_new0 (SwExpr, 1);
  expr->text = g_strdup (text);
  expr->root = root;
  expr->variables = ps.variables;
  return expr;
}

void
sw_expr_free (SwExpr *expr)
{
  if (expr == NULL)
    return;
  node_free (expr->root);
  g_ptr_array_unref (expr->variables);
  g_free (expr->text);
  g_free (expr);
}

const char *
sw_expr_get_text (const SwExpr *expr)
{
  g_return_val_if_fail (expr != NULL, NULL);
  return expr->text;
}

const GPtrArray *
sw_expr_get_variables (const SwExpr *expr)
{
  g_return_val_if_fail (expr != NULL, NULL);
  return expr->variables;
}

/* Evaluation */

static const char *
op_symbol (NodeKind kind)
{
  switch (kind)
    {
    case NODE_ADD: return "+";
    case NODE_SUBTRACT: return "-";
    case NODE_MULTIPLY: return "*";
    case NODE_DIVIDE: return "/";
    case NODE_POWER: return "^";
    case NODE_NEGATE: return "-";
    case NODE_NUMBER:
    case NODE_VARIABLE:
    case NODE_CALL:
    default:
      return "?";
    }
}

/* Quantities keep a power of ten apart (see sw-units.h); these keep it
 * exact where they can. */
static double
si (const SwQuantity *q)
{
  return sw_quantity_get_si (q);
}

static SwQuantity
plain (const SwQuantity *q)
{
  SwQuantity r = *q;
  r.value = si (q);
  r.exp10 = 0;
  return r;
}

/* Brings @a and @b to the same power of ten, the smaller one, so that
 * "1 ms + 500 us" is 1500e-6 s exactly. */
static void
align (SwQuantity *a, SwQuantity *b)
{
  int lo = MIN (a->exp10, b->exp10);

  if (a->exp10 == b->exp10)
    return;
  if (ABS (a->exp10 - b->exp10) > 22)
    {
      *a = plain (a);
      *b = plain (b);
      return;
    }
  a->value = sw_times_pow10 (a->value, a->exp10 - lo);
  b->value = sw_times_pow10 (b->value, b->exp10 - lo);
  a->exp10 = b->exp10 = lo;
}

static gboolean
check_finite (const Node *node, double value, GError **error)
{
  if (isfinite (value))
    return TRUE;
  if (node->kind == NODE_CALL)
    g_set_error (error, SW_EXPR_ERROR, SW_EXPR_ERROR_NOT_FINITE,
                 "%s() at column %d gives a result too large to represent",
                 node->func->name, node->column);
  else
    g_set_error (error, SW_EXPR_ERROR, SW_EXPR_ERROR_NOT_FINITE,
                 "'%s' at column %d gives a result too large to represent",
                 op_symbol (node->kind), node->column);
  return FALSE;
}

static gboolean
need_pure_number (const Node *node, const SwQuantity *arg, GError **error)
{
  g_autofree char *what = NULL;

  if (sw_dim_is_none (&arg->dim))
    return TRUE;
  what = sw_dim_describe (&arg->dim);
  g_set_error (error, SW_EXPR_ERROR, SW_EXPR_ERROR_DIMENSION,
               "%s() at column %d needs a pure number, not %s",
               node->func->name, node->column, what);
  return FALSE;
}

static gboolean eval_node (const Node *node, SwScope *scope, SwQuantity *out, GError **error);

static gboolean
eval_call (const Node *node, SwScope *scope, SwQuantity *out, GError **error)
{
  g_autofree SwQuantity *args = g_new (SwQuantity, node->n_args);
  double x;

  for (int i = 0; i < node->n_args; i++)
    if (!eval_node (node->args[i], scope, &args[i], error))
      return FALSE;

  x = si (&args[0]);
  out->exp10 = 0;
  switch (node->func->id)
    {
    case FUNC_EXP:
      if (!need_pure_number (node, &args[0], error))
        return FALSE;
      out->value = exp (x);
      out->dim = args[0].dim;
      break;

    case FUNC_LOG:
    case FUNC_LOG10:
      if (!need_pure_number (node, &args[0], error))
        return FALSE;
      if (!(x > 0.0))
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];
          g_set_error (error, SW_EXPR_ERROR, SW_EXPR_ERROR_DOMAIN,
                       "%s() at column %d needs a positive number, got %s",
                       node->func->name, node->column,
                       g_ascii_formatd (buf, sizeof buf, "%g", x));
          return FALSE;
        }
      out->value = node->func->id == FUNC_LOG ? log (x) : log10 (x);
      out->dim = args[0].dim;
      break;

    case FUNC_SQRT:
      if (x < 0.0)
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];
          g_set_error (error, SW_EXPR_ERROR, SW_EXPR_ERROR_DOMAIN,
                       "sqrt() at column %d of a negative number (%s)",
                       node->column, g_ascii_formatd (buf, sizeof buf, "%g", x));
          return FALSE;
        }
      if (args[0].exp10 % 2 == 0)
        {
          out->value = sqrt (args[0].value);
          out->exp10 = args[0].exp10 / 2;
        }
      else
        out->value = sqrt (x);
      out->dim = sw_dim_scale (&args[0].dim, 0.5);
      break;

    case FUNC_ABS:
      *out = args[0];
      out->value = fabs (args[0].value);
      break;

    case FUNC_MIN:
    case FUNC_MAX:
      *out = args[0];
      for (int i = 1; i < node->n_args; i++)
        {
          if (!sw_dim_equal (&args[i].dim, &args[0].dim))
            {
              g_autofree char *a = sw_dim_describe (&args[0].dim);
              g_autofree char *b = sw_dim_describe (&args[i].dim);
              g_set_error (error, SW_EXPR_ERROR, SW_EXPR_ERROR_DIMENSION,
                           "%s() at column %d compares %s with %s",
                           node->func->name, node->column, a, b);
              return FALSE;
            }
          if (node->func->id == FUNC_MIN ? si (&args[i]) < si (out) : si (&args[i]) > si (out))
            *out = args[i];
        }
      break;

    default:
      g_assert_not_reached ();
    }

  return check_finite (node, out->value, error);
}

static gboolean
eval_power (const Node *node, const SwQuantity *base, const SwQuantity *exponent,
            SwQuantity *out, GError **error)
{
  double e = si (exponent);

  if (!sw_dim_is_none (&exponent->dim))
    {
      g_autofree char *what = sw_dim_describe (&exponent->dim);
      g_set_error (error, SW_EXPR_ERROR, SW_EXPR_ERROR_DIMENSION,
                   "the exponent of '^' at column %d must be a pure number, not %s",
                   node->column, what);
      return FALSE;
    }
  if (base->value < 0.0 && e != floor (e))
    {
      g_set_error (error, SW_EXPR_ERROR, SW_EXPR_ERROR_DOMAIN,
                   "'^' at column %d raises a negative number to a fractional power",
                   node->column);
      return FALSE;
    }
  if (base->value == 0.0 && e < 0.0)
    {
      g_set_error (error, SW_EXPR_ERROR, SW_EXPR_ERROR_DOMAIN,
                   "'^' at column %d raises zero to a negative power", node->column);
      return FALSE;
    }
  if (e == floor (e) && fabs (e) <= 64)
    {
      /* Whole powers keep the power of ten: (2 ms)^2 is 4e-6 s^2. */
      out->value = pow (base->value, e);
      out->exp10 = base->exp10 * (int) e;
    }
  else
    {
      out->value = pow (si (base), e);
      out->exp10 = 0;
    }
  out->dim = sw_dim_scale (&base->dim, e);
  return check_finite (node, out->value, error);
}

static gboolean
eval_node (const Node *node, SwScope *scope, SwQuantity *out, GError **error)
{
  SwQuantity a, b;

  switch (node->kind)
    {
    case NODE_NUMBER:
      *out = node->number;
      return TRUE;

    case NODE_VARIABLE:
      if (scope == NULL || !sw_scope_contains (scope, node->name))
        {
          GString *msg = g_string_new (NULL);

          /* pi is a constant unless a document defines a variable "pi". */
          if (strcmp (node->name, "pi") == 0)
            {
              g_string_free (msg, TRUE);
              memset (out, 0, sizeof *out);
              out->value = G_PI;
              return TRUE;
            }
          g_string_append_printf (msg, "undefined variable '%s' at column %d",
                                  node->name, node->column);
          if (scope != NULL)
            {
              const GPtrArray *names = sw_scope_get_names (scope);
              sw_suggest_append (msg, node->name, (const char *const *) names->pdata,
                                 names->len);
            }
          g_set_error_literal (error, SW_EXPR_ERROR, SW_EXPR_ERROR_UNDEFINED, msg->str);
          g_string_free (msg, TRUE);
          return FALSE;
        }
      return sw_scope_lookup (scope, node->name, out, error);

    case NODE_NEGATE:
      if (!eval_node (node->args[0], scope, &a, error))
        return FALSE;
      *out = a;
      out->value = -a.value;
      return TRUE;

    case NODE_ADD:
    case NODE_SUBTRACT:
    case NODE_MULTIPLY:
    case NODE_DIVIDE:
    case NODE_POWER:
      if (!eval_node (node->args[0], scope, &a, error)
          || !eval_node (node->args[1], scope, &b, error))
        return FALSE;
      break;

    case NODE_CALL:
      return eval_call (node, scope, out, error);

    default:
      g_assert_not_reached ();
    }

  switch (node->kind)
    {
    case NODE_ADD:
    case NODE_SUBTRACT:
      if (!sw_dim_equal (&a.dim, &b.dim))
        {
          g_autofree char *da = sw_dim_describe (&a.dim);
          g_autofree char *db = sw_dim_describe (&b.dim);
          g_set_error (error, SW_EXPR_ERROR, SW_EXPR_ERROR_DIMENSION,
                       "cannot %s %s and %s ('%s' at column %d)",
                       node->kind == NODE_ADD ? "add" : "subtract",
                       da, db, op_symbol (node->kind), node->column);
          return FALSE;
        }
      align (&a, &b);
      out->value = node->kind == NODE_ADD ? a.value + b.value : a.value - b.value;
      out->exp10 = a.exp10;
      out->dim = a.dim;
      break;

    case NODE_MULTIPLY:
      out->value = a.value * b.value;
      out->exp10 = a.exp10 + b.exp10;
      out->dim = sw_dim_add (&a.dim, &b.dim);
      break;

    case NODE_DIVIDE:
      if (b.value == 0.0)
        {
          g_set_error (error, SW_EXPR_ERROR, SW_EXPR_ERROR_DOMAIN,
                       "division by zero ('/' at column %d)", node->column);
          return FALSE;
        }
      {
        SwDim inv = sw_dim_scale (&b.dim, -1.0);
        out->value = a.value / b.value;
        out->exp10 = a.exp10 - b.exp10;
        out->dim = sw_dim_add (&a.dim, &inv);
      }
      break;

    case NODE_POWER:
      return eval_power (node, &a, &b, out, error);

    case NODE_NUMBER:
    case NODE_VARIABLE:
    case NODE_NEGATE:
    case NODE_CALL:
    default:
      g_assert_not_reached ();
    }

  return check_finite (node, out->value, error);
}

gboolean
sw_expr_eval (const SwExpr *expr, SwScope *scope, SwQuantity *result, GError **error)
{
  SwQuantity q;

  g_return_val_if_fail (expr != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  if (!eval_node (expr->root, scope, &q, error))
    return FALSE;
  *result = q;
  return TRUE;
}

static gboolean
convert_to_unit (const SwQuantity *q, const char *text, const char *unit,
                 double *value, GError **error)
{
  g_autoptr(GError) local = NULL;

  if (sw_quantity_to_unit (q, unit, text, value, &local))
    return TRUE;
  g_set_error_literal (error, SW_EXPR_ERROR,
                       local->code == SW_UNITS_ERROR_DIMENSION ? SW_EXPR_ERROR_DIMENSION
                       : local->code == SW_UNITS_ERROR_UNKNOWN_UNIT ? SW_EXPR_ERROR_UNKNOWN_UNIT
                       : local->code == SW_UNITS_ERROR_VALUE ? SW_EXPR_ERROR_NOT_FINITE
                       : SW_EXPR_ERROR_SYNTAX,
                       local->message);
  return FALSE;
}

gboolean
sw_expr_eval_in_unit (const char *text, SwScope *scope, const char *unit,
                      double *value, GError **error)
{
  g_autoptr(SwExpr) expr = NULL;
  SwQuantity q;

  g_return_val_if_fail (text != NULL, FALSE);

  expr = sw_expr_parse (text, error);
  if (expr == NULL || !sw_expr_eval (expr, scope, &q, error))
    return FALSE;
  return convert_to_unit (&q, text, unit != NULL ? unit : "", value, error);
}

/* Scope */

typedef enum
{
  VAR_UNVISITED,
  VAR_EVALUATING,
  VAR_DONE,
} VarState;

typedef struct
{
  char *name;
  char *text;           /* NULL: a number in unit */
  SwExpr *expr;
  double number;
  char *unit_text;
  SwUnit unit;
  VarState state;
  SwQuantity value;
} Var;

struct _SwScope
{
  GHashTable *vars;     /* name -> Var */
  GPtrArray *names;     /* in order of definition */
  GPtrArray *stack;     /* names being evaluated, for cycle messages */
};

static void
var_free (Var *var)
{
  g_free (var->name);
  g_free (var->text);
  sw_expr_free (var->expr);
  g_free (var->unit_text);
  g_free (var);
}

SwScope *
sw_scope_new (void)
{
  SwScope *scope = g_new0 (SwScope, 1);
  scope->vars = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) var_free);
  scope->names = g_ptr_array_new ();
  scope->stack = g_ptr_array_new ();
  return scope;
}

void
sw_scope_free (SwScope *scope)
{
  if (scope == NULL)
    return;
  g_ptr_array_unref (scope->stack);
  g_ptr_array_unref (scope->names);
  g_hash_table_unref (scope->vars);
  g_free (scope);
}

gboolean
sw_scope_define (SwScope *scope, const char *name, const char *text, double number,
                 const char *unit, GError **error)
{
  g_autoptr(GError) local = NULL;
  Var *var;
  SwUnit u;

  g_return_val_if_fail (scope != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!sw_unit_parse (unit != NULL ? unit : "", &u, &local))
    {
      g_set_error (error, SW_EXPR_ERROR,
                   local->code == SW_UNITS_ERROR_UNKNOWN_UNIT
                   ? SW_EXPR_ERROR_UNKNOWN_UNIT : SW_EXPR_ERROR_SYNTAX,
                   "%s", local->message);
      return FALSE;
    }

  var = g_new0 (Var, 1);
  var->name = g_strdup (name);
  var->unit_text = g_strdup (unit != NULL ? unit : "");
  var->unit = u;
  var->number = number;
  if (text != NULL)
    {
      var->text = g_strdup (text);
      var->expr = sw_expr_parse (text, error);
      if (var->expr == NULL)
        {
          var_free (var);
          return FALSE;
        }
    }

  if (!g_hash_table_contains (scope->vars, name))
    g_ptr_array_add (scope->names, var->name);
  else
    {
      /* Redefinition: keep the position, point at the new name. */
      for (guint i = 0; i < scope->names->len; i++)
        if (strcmp (scope->names->pdata[i], name) == 0)
          scope->names->pdata[i] = var->name;
    }
  g_hash_table_replace (scope->vars, var->name, var);

  /* Every cached value may depend on the one just defined. */
  {
    GHashTableIter iter;
    gpointer value;
    g_hash_table_iter_init (&iter, scope->vars);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      ((Var *) value)->state = VAR_UNVISITED;
  }
  return TRUE;
}

gboolean
sw_scope_contains (SwScope *scope, const char *name)
{
  g_return_val_if_fail (scope != NULL, FALSE);
  return g_hash_table_contains (scope->vars, name);
}

const GPtrArray *
sw_scope_get_names (SwScope *scope)
{
  g_return_val_if_fail (scope != NULL, NULL);
  return scope->names;
}

static void
set_cycle_error (SwScope *scope, const char *name, GError **error)
{
  GString *msg = g_string_new ("variables refer to each other in a circle: ");
  guint start = 0;

  for (guint i = 0; i < scope->stack->len; i++)
    if (strcmp (scope->stack->pdata[i], name) == 0)
      {
        start = i;
        break;
      }
  for (guint i = start; i < scope->stack->len; i++)
    g_string_append_printf (msg, "%s → ", (const char *) scope->stack->pdata[i]);
  g_string_append (msg, name);
  g_set_error_literal (error, SW_EXPR_ERROR, SW_EXPR_ERROR_CYCLE, msg->str);
  g_string_free (msg, TRUE);
}

gboolean
sw_scope_lookup (SwScope *scope, const char *name, SwQuantity *value, GError **error)
{
  g_autoptr(GError) local = NULL;
  Var *var;
  SwQuantity q;
  gboolean nested;

  g_return_val_if_fail (scope != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  var = g_hash_table_lookup (scope->vars, name);
  if (var == NULL)
    {
      GString *msg = g_string_new (NULL);
      g_string_append_printf (msg, "undefined variable '%s'", name);
      sw_suggest_append (msg, name, (const char *const *) scope->names->pdata,
                         scope->names->len);
      g_set_error_literal (error, SW_EXPR_ERROR, SW_EXPR_ERROR_UNDEFINED, msg->str);
      g_string_free (msg, TRUE);
      return FALSE;
    }

  switch (var->state)
    {
    case VAR_DONE:
      *value = var->value;
      return TRUE;
    case VAR_EVALUATING:
      set_cycle_error (scope, name, error);
      return FALSE;
    case VAR_UNVISITED:
    default:
      break;
    }

  if (var->text == NULL)
    {
      q = sw_unit_quantity (&var->unit, var->number);
      if (!isfinite (q.value))
        {
          g_set_error (error, SW_EXPR_ERROR, SW_EXPR_ERROR_NOT_FINITE,
                       "variable '%s' is not a finite number", name);
          return FALSE;
        }
    }
  else
    {
      nested = scope->stack->len > 0;
      var->state = VAR_EVALUATING;
      g_ptr_array_add (scope->stack, var->name);
      if (sw_expr_eval (var->expr, scope, &q, &local))
        {
          /* A pure number is read in the variable's unit. */
          if (sw_dim_is_none (&q.dim))
            q = sw_unit_quantity (&var->unit, si (&q));
          else if (!sw_dim_equal (&q.dim, &var->unit.dim))
            {
              g_autofree char *has = sw_dim_describe (&q.dim);
              g_autofree char *want = sw_dim_describe (&var->unit.dim);
              g_set_error (&local, SW_EXPR_ERROR, SW_EXPR_ERROR_DIMENSION,
                           "'%s' has the dimension of %s, expected %s%s%s%s",
                           var->text, has, want,
                           *var->unit_text ? " (" : "", var->unit_text,
                           *var->unit_text ? ")" : "");
            }
        }
      g_ptr_array_remove_index (scope->stack, scope->stack->len - 1);
      var->state = VAR_UNVISITED;
      if (local != NULL)
        {
          /* Say which variable failed when it is not the one asked for;
           * a circle names its members already. */
          if (nested && local->code != SW_EXPR_ERROR_CYCLE
              && !g_str_has_prefix (local->message, "in variable '"))
            g_prefix_error (&local, "in variable '%s' = '%s': ", name, var->text);
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }

  var->value = q;
  var->state = VAR_DONE;
  *value = q;
  return TRUE;
}

gboolean
sw_scope_lookup_in_unit (SwScope *scope, const char *name, double *value, GError **error)
{
  SwQuantity q;
  Var *var;

  if (!sw_scope_lookup (scope, name, &q, error))
    return FALSE;
  var = g_hash_table_lookup (scope->vars, name);
  if (value != NULL)
    *value = sw_quantity_in_unit (&q, &var->unit);
  return TRUE;
}
