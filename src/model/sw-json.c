/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pretty-printing of JSON trees and locating values in JSON text.
 */
#include "config.h"

#include "sw-json-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Writing */

/* Lines are kept under this many columns when an array or object is put on
 * one line. */
#define LINE_WIDTH 78

void
sw_json_append_double (GString *out, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      /* Validation never lets one through; write something JSON can read. */
      g_string_append (out, "null");
      return;
    }
  if (value == floor (value) && fabs (value) < 1e15)
    {
      g_string_append_printf (out, "%.0f", value);
      return;
    }
  for (int precision = 1; precision <= 17; precision++)
    {
      char fmt[8];
      g_snprintf (fmt, sizeof fmt, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, fmt, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (out, buf);
}

static void
append_string (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) s; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_scalar (GString *out, JsonNode *node)
{
  if (JSON_NODE_HOLDS_NULL (node))
    {
      g_string_append (out, "null");
      return;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      break;
    case G_TYPE_DOUBLE:
      sw_json_append_double (out, json_node_get_double (node));
      break;
    case G_TYPE_BOOLEAN:
      g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      break;
    case G_TYPE_STRING:
      append_string (out, json_node_get_string (node));
      break;
    default:
      g_string_append (out, "null");
      break;
    }
}

/* Nesting depth: 0 for a scalar, 1 for an array of scalars ... */
static int
node_depth (JsonNode *node)
{
  int depth = 0;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      /* json-glib 1.6 needs both out arguments of the ordered iterator. */
      json_object_iter_init_ordered (&iter, json_node_get_object (node));
      while (json_object_iter_next_ordered (&iter, &name, &member))
        depth = MAX (depth, node_depth (member));
      return depth + 1;
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        depth = MAX (depth, node_depth (json_array_get_element (array, i)));
      return depth + 1;
    }
  return 0;
}

static void
append_compact (GString *out, JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;
      gboolean first = TRUE;

      g_string_append_c (out, '{');
      json_object_iter_init_ordered (&iter, json_node_get_object (node));
      while (json_object_iter_next_ordered (&iter, &name, &member))
        {
          if (!first)
            g_string_append (out, ", ");
          first = FALSE;
          append_string (out, name);
          g_string_append (out, ": ");
          append_compact (out, member);
        }
      g_string_append_c (out, '}');
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      g_string_append_c (out, '[');
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          append_compact (out, json_array_get_element (array, i));
        }
      g_string_append_c (out, ']');
    }
  else
    append_scalar (out, node);
}

static void
indent (GString *out, int level)
{
  for (int i = 0; i < level; i++)
    g_string_append (out, "  ");
}

/* @column: where the value starts on its line. */
static void
append_pretty (GString *out, JsonNode *node, int level, gsize column)
{
  gsize start = out->len;

  if (!JSON_NODE_HOLDS_OBJECT (node) && !JSON_NODE_HOLDS_ARRAY (node))
    {
      append_scalar (out, node);
      return;
    }

  /* Small containers (a waveform component, a distribution, a pair of a
   * neuron and a time) read best on one line. */
  if (level > 0 && node_depth (node) <= 2)
    {
      append_compact (out, node);
      if (column + (out->len - start) <= LINE_WIDTH)
        return;
      g_string_truncate (out, start);
    }

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;
      gboolean first = TRUE;

      if (json_object_get_size (object) == 0)
        {
          g_string_append (out, "{}");
          return;
        }
      g_string_append (out, "{\n");
      json_object_iter_init_ordered (&iter, object);
      while (json_object_iter_next_ordered (&iter, &name, &member))
        {
          gsize line_start;

          if (!first)
            g_string_append (out, ",\n");
          first = FALSE;
          line_start = out->len;
          indent (out, level + 1);
          append_string (out, name);
          g_string_append (out, ": ");
          append_pretty (out, member, level + 1,
                         g_utf8_strlen (out->str + line_start, out->len - line_start));
        }
      g_string_append_c (out, '\n');
      indent (out, level);
      g_string_append_c (out, '}');
    }
  else
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);

      if (n == 0)
        {
          g_string_append (out, "[]");
          return;
        }
      g_string_append (out, "[\n");
      for (guint i = 0; i < n; i++)
        {
          if (i > 0)
            g_string_append (out, ",\n");
          indent (out, level + 1);
          append_pretty (out, json_array_get_element (array, i), level + 1,
                         2 * (level + 1));
        }
      g_string_append_c (out, '\n');
      indent (out, level);
      g_string_append_c (out, ']');
    }
}

char *
sw_json_to_string (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (node != NULL, NULL);

  append_pretty (out, node, 0, 0);
  g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}

/* Locating */

typedef struct
{
  const char *p;
  const char *end;
  guint line;
  const char *line_start;
} Cursor;

static void
skip_space (Cursor *c)
{
  while (c->p < c->end)
    {
      if (*c->p == '\n')
        {
          c->line++;
          c->line_start = c->p + 1;
        }
      else if (*c->p != ' ' && *c->p != '\t' && *c->p != '\r')
        break;
      c->p++;
    }
}

/* Reads a string at the cursor (opening quote included); stores its decoded
 * value in @value when not NULL. */
static gboolean
read_string (Cursor *c, char **value)
{
  char quote = *c->p;
  GString *s = value != NULL ? g_string_new (NULL) : NULL;

  /* json-glib reads single-quoted strings too. */
  if (quote != '"' && quote != '\'')
    return FALSE;
  c->p++;
  while (c->p < c->end && *c->p != quote)
    {
      if (*c->p == '\\' && c->p + 1 < c->end)
        {
          c->p++;
          if (s != NULL)
            {
              switch (*c->p)
                {
                case 'n': g_string_append_c (s, '\n'); break;
                case 't': g_string_append_c (s, '\t'); break;
                case 'r': g_string_append_c (s, '\r'); break;
                case 'b': g_string_append_c (s, '\b'); break;
                case 'f': g_string_append_c (s, '\f'); break;
                case 'u':
                  if (c->end - c->p > 4)
                    {
                      char hex[5] = { c->p[1], c->p[2], c->p[3], c->p[4], 0 };
                      g_string_append_unichar (s, (gunichar) strtoul (hex, NULL, 16));
                      c->p += 4;
                    }
                  break;
                default: g_string_append_c (s, *c->p); break;
                }
            }
        }
      else if (s != NULL)
        g_string_append_c (s, *c->p);
      if (*c->p == '\n')
        {
          c->line++;
          c->line_start = c->p + 1;
        }
      c->p++;
    }
  if (c->p >= c->end)
    {
      if (s != NULL)
        g_string_free (s, TRUE);
      return FALSE;
    }
  c->p++;
  if (value != NULL)
    *value = g_string_free (s, FALSE);
  return TRUE;
}

static gboolean
skip_value (Cursor *c)
{
  int depth = 0;

  skip_space (c);
  do
    {
      if (c->p >= c->end)
        return FALSE;
      switch (*c->p)
        {
        case '{':
        case '[':
          depth++;
          c->p++;
          break;
        case '}':
        case ']':
          depth--;
          c->p++;
          break;
        case '"':
        case '\'':
          if (!read_string (c, NULL))
            return FALSE;
          break;
        case ',':
        case ':':
          if (depth == 0)
            return TRUE;
          c->p++;
          break;
        default:
          if (depth == 0)
            {
              /* A number or a literal. */
              while (c->p < c->end && !strchr (",}] \t\r\n", *c->p))
                c->p++;
              return TRUE;
            }
          if (*c->p == '\n')
            {
              c->line++;
              c->line_start = c->p + 1;
            }
          c->p++;
          break;
        }
      if (depth > 0)
        skip_space (c);
    }
  while (depth > 0);
  return TRUE;
}

static void
report (const Cursor *c, guint *line, guint *column)
{
  *line = c->line;
  *column = (guint) g_utf8_strlen (c->line_start, c->p - c->line_start) + 1;
}

gboolean
sw_json_locate (const char *text, gsize length, const SwJsonPathItem *path,
                guint n_items, gboolean want_key, guint *line, guint *column)
{
  Cursor c = { text, text + length, 1, text };

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (line != NULL && column != NULL, FALSE);

  /* A byte-order mark is no column. */
  if (length >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    c.p += 3, c.line_start += 3;

  for (guint k = 0; k < n_items; k++)
    {
      const SwJsonPathItem *item = &path[k];
      gboolean found = FALSE;

      skip_space (&c);
      if (c.p >= c.end)
        return FALSE;

      if (item->key != NULL)
        {
          if (*c.p != '{')
            return FALSE;
          c.p++;
          for (;;)
            {
              g_autofree char *name = NULL;
              Cursor key_pos;

              skip_space (&c);
              if (c.p >= c.end || *c.p == '}')
                return FALSE;
              key_pos = c;
              if (!read_string (&c, &name))
                return FALSE;
              skip_space (&c);
              if (c.p >= c.end || *c.p != ':')
                return FALSE;
              c.p++;
              if (strcmp (name, item->key) == 0)
                {
                  if (want_key && k + 1 == n_items)
                    {
                      report (&key_pos, line, column);
                      return TRUE;
                    }
                  found = TRUE;
                  break;
                }
              if (!skip_value (&c))
                return FALSE;
              skip_space (&c);
              if (c.p < c.end && *c.p == ',')
                c.p++;
            }
        }
      else
        {
          if (*c.p != '[')
            return FALSE;
          c.p++;
          for (int i = 0;; i++)
            {
              skip_space (&c);
              if (c.p >= c.end || *c.p == ']')
                return FALSE;
              if (i == item->index)
                {
                  found = TRUE;
                  break;
                }
              if (!skip_value (&c))
                return FALSE;
              skip_space (&c);
              if (c.p < c.end && *c.p == ',')
                c.p++;
            }
        }
      if (!found)
        return FALSE;
    }

  skip_space (&c);
  if (c.p > c.end)
    return FALSE;
  report (&c, line, column);
  return TRUE;
}
