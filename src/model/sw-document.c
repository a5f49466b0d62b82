/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * .swk documents: reading JSON into the parsed form (structure, types,
 * names), evaluating that form into a SwNetSpec (expressions, units, ranges,
 * references), writing it back, and changing single values.
 *
 * Every error goes through fail(), which names the source, the place as a
 * path into the document (`populations[1].params.tau_m`), its line and
 * column when the source text is at hand, and the problem.
 */
#include "config.h"

#include "sw-document.h"

#include "sw-document-private.h"
#include "sw-expr.h"
#include "sw-json-private.h"
#include "sw-presets.h"
#include "sw-suggest.h"
#include "sw-units.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

G_DEFINE_QUARK (sw-document-error-quark, sw_document_error)

#define FORMAT_TAG "spikeworks"

/* Sizes beyond this are mistakes, not models: the core addresses neurons
 * with 32-bit indices. */
#define MAX_SIZE (1 << 30)
#define MAX_NAME (SW_NAME_MAX - 1)
#define MAX_DURATION_MS 1e10

static const char *const dist_names[SW_N_DISTS] = {
  [SW_DIST_CONSTANT] = "constant",
  [SW_DIST_UNIFORM] = "uniform",
  [SW_DIST_NORMAL] = "normal",
  [SW_DIST_NORMAL_CLIPPED] = "normal_clipped",
};

static const char *const rule_names[SW_N_CONNS + 1] = {
  [SW_CONN_ALL_TO_ALL] = "all_to_all",
  [SW_CONN_ONE_TO_ONE] = "one_to_one",
  [SW_CONN_FIXED_PROBABILITY] = "fixed_probability",
  [SW_CONN_FIXED_INDEGREE] = "fixed_indegree",
  [SW_CONN_FIXED_OUTDEGREE] = "fixed_outdegree",
  [SW_N_CONNS] = NULL,
};

static const char *const source_names[] = { "poisson", "spike_times", NULL };
static const char *const stim_type_names[] = { "poisson", "current", NULL };
static const char *const reserved_names[] = { "simulation", "variables", NULL };
static const char *const function_names[] = {
  "exp", "log", "log10", "sqrt", "abs", "min", "max", "pi", NULL
};

/* Values */

static void
value_clear (SwValue *v)
{
  g_clear_pointer (&v->text, g_free);
  memset (v, 0, sizeof *v);
}

static void
value_copy (SwValue *dst, const SwValue *src)
{
  *dst = *src;
  dst->text = g_strdup (src->text);
}

static gboolean
value_is_set (const SwValue *v)
{
  return v->kind != SW_VALUE_UNSET;
}

static void
dist_clear (SwDocDist *d)
{
  value_clear (&d->a);
  value_clear (&d->b);
  memset (d, 0, sizeof *d);
}

static void
wave_clear (SwDocWave *w)
{
  value_clear (&w->amplitude);
  value_clear (&w->t0);
  value_clear (&w->duration);
  value_clear (&w->tau1);
  value_clear (&w->tau2);
  value_clear (&w->freq);
}

static void
profile_clear (SwDocProfile *p)
{
  value_clear (&p->value);
  g_clear_pointer (&p->waves, g_array_unref);
  p->shorthand = FALSE;
}

static void
param_free (SwDocParam *p)
{
  g_free (p->name);
  value_clear (&p->value);
  g_free (p);
}

static void
init_free (SwDocInit *i)
{
  g_free (i->name);
  dist_clear (&i->dist);
  g_free (i);
}

static void
variable_free (SwDocVariable *v)
{
  g_free (v->name);
  value_clear (&v->value);
  g_free (v->unit);
  value_clear (&v->min);
  value_clear (&v->max);
  g_free (v->label);
  g_free (v->description);
  g_free (v);
}

static void
values_clear_array (GArray *array)
{
  if (array == NULL)
    return;
  for (guint i = 0; i < array->len; i++)
    value_clear (&g_array_index (array, SwValue, i));
  g_array_unref (array);
}

static void
pop_free (SwDocPop *p)
{
  g_free (p->name);
  g_free (p->description);
  g_free (p->model);
  value_clear (&p->n);
  g_clear_pointer (&p->params, g_ptr_array_unref);
  g_clear_pointer (&p->init, g_ptr_array_unref);
  profile_clear (&p->rate);
  values_clear_array (p->times_neuron);
  values_clear_array (p->times_t);
  g_free (p);
}

static void
proj_free (SwDocProj *p)
{
  g_free (p->name);
  g_free (p->auto_name);
  g_free (p->description);
  g_free (p->pre);
  g_free (p->post);
  g_free (p->receptor);
  value_clear (&p->p);
  value_clear (&p->k);
  dist_clear (&p->weight);
  dist_clear (&p->delay);
  g_free (p);
}

static void
stim_free (SwDocStim *s)
{
  g_free (s->name);
  g_free (s->auto_name);
  g_free (s->description);
  g_free (s->target);
  value_clear (&s->first);
  value_clear (&s->count);
  value_clear (&s->n_sources);
  value_clear (&s->weight);
  g_free (s->receptor);
  profile_clear (&s->profile);
  g_free (s);
}

static void
wave_array_clear_func (gpointer data)
{
  wave_clear (data);
}

static GArray *
wave_array_new (void)
{
  GArray *a = g_array_new (FALSE, TRUE, sizeof (SwDocWave));
  g_array_set_clear_func (a, wave_array_clear_func);
  return a;
}

static SwDocument *
document_new (const char *display_name)
{
  SwDocument *doc = g_new0 (SwDocument, 1);

  doc->display_name = g_strdup (display_name);
  doc->version = SW_DOCUMENT_FORMAT_VERSION;
  doc->variables = g_ptr_array_new_with_free_func ((GDestroyNotify) variable_free);
  doc->pops = g_ptr_array_new_with_free_func ((GDestroyNotify) pop_free);
  doc->projs = g_ptr_array_new_with_free_func ((GDestroyNotify) proj_free);
  doc->stims = g_ptr_array_new_with_free_func ((GDestroyNotify) stim_free);
  return doc;
}

void
sw_document_free (SwDocument *doc)
{
  if (doc == NULL)
    return;
  g_free (doc->display_name);
  g_free (doc->path);
  g_free (doc->source);
  g_free (doc->name);
  g_free (doc->description);
  g_free (doc->explanation);
  g_strfreev (doc->references);
  g_ptr_array_unref (doc->variables);
  value_clear (&doc->sim.dt);
  value_clear (&doc->sim.duration);
  value_clear (&doc->sim.warmup);
  value_clear (&doc->sim.seed);
  value_clear (&doc->sim.threads);
  value_clear (&doc->sim.max_rate);
  g_ptr_array_unref (doc->pops);
  g_ptr_array_unref (doc->projs);
  g_ptr_array_unref (doc->stims);
  g_clear_pointer (&doc->ui, json_node_unref);
  g_free (doc->var_values);
  g_free (doc->var_min);
  g_free (doc->var_max);
  g_free (doc);
}

/* Context, paths and errors */

typedef struct
{
  char *key;     /* NULL for an index */
  int index;
} PathItem;

typedef struct
{
  SwDocument *doc;
  GArray *path;            /* of PathItem */
  SwScope *scope;
  GHashTable *duplicates;  /* while reading: JsonObject -> first repeated name */
  const char *set_path;    /* while setting: the path of the changed field ... */
  const char *set_name;    /* ... and the name it was set by */
} Ctx;

static void
path_item_clear (gpointer data)
{
  PathItem *item = data;
  g_free (item->key);
}

static void
ctx_init (Ctx *c, SwDocument *doc)
{
  memset (c, 0, sizeof *c);
  c->doc = doc;
  c->path = g_array_new (FALSE, TRUE, sizeof (PathItem));
  g_array_set_clear_func (c->path, path_item_clear);
}

static void
ctx_clear (Ctx *c)
{
  g_clear_pointer (&c->path, g_array_unref);
  g_clear_pointer (&c->scope, sw_scope_free);
  g_clear_pointer (&c->duplicates, g_hash_table_unref);
}

static void
push_key (Ctx *c, const char *key)
{
  PathItem item = { g_strdup (key), -1 };
  g_array_append_val (c->path, item);
}

static void
push_index (Ctx *c, int index)
{
  PathItem item = { NULL, index };
  g_array_append_val (c->path, item);
}

static void
pop_path (Ctx *c)
{
  g_array_set_size (c->path, c->path->len - 1);
}

static guint
path_mark (Ctx *c)
{
  return c->path->len;
}

static void
path_reset (Ctx *c, guint mark)
{
  g_array_set_size (c->path, mark);
}

static gboolean
is_identifier (const char *s)
{
  if (s == NULL || !(g_ascii_isalpha (*s) || *s == '_'))
    return FALSE;
  for (s++; *s != '\0'; s++)
    if (!(g_ascii_isalnum (*s) || *s == '_'))
      return FALSE;
  return TRUE;
}

static char *
format_path (GArray *path)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < path->len; i++)
    {
      const PathItem *item = &g_array_index (path, PathItem, i);

      if (item->key == NULL)
        g_string_append_printf (s, "[%d]", item->index);
      else if (is_identifier (item->key))
        {
          if (i > 0)
            g_string_append_c (s, '.');
          g_string_append (s, item->key);
        }
      else
        {
          /* A field name that is no identifier, quoted as JSON would. */
          g_string_append (s, "[\"");
          for (const char *p = item->key; *p != '\0'; p++)
            {
              if (*p == '"' || *p == '\\')
                g_string_append_c (s, '\\');
              g_string_append_c (s, *p);
            }
          g_string_append (s, "\"]");
        }
    }
  return g_string_free (s, FALSE);
}

static gboolean
locate (Ctx *c, gboolean at_key, guint *line, guint *column)
{
  g_autofree SwJsonPathItem *items = NULL;

  /* The whole document is no place worth a line number. */
  if (c->doc->source == NULL || c->path->len == 0)
    return FALSE;
  items = g_new0 (SwJsonPathItem, c->path->len + 1);
  for (guint i = 0; i < c->path->len; i++)
    {
      const PathItem *item = &g_array_index (c->path, PathItem, i);
      items[i].key = item->key;
      items[i].index = item->index;
    }
  return sw_json_locate (c->doc->source, c->doc->source_len, items, c->path->len,
                         at_key && c->path->len > 0, line, column);
}

static void fail_full (Ctx *c, gboolean at_key, GError **error, int code,
                       const char *format, va_list args) G_GNUC_PRINTF (5, 0);

static void
fail_full (Ctx *c, gboolean at_key, GError **error, int code, const char *format,
           va_list args)
{
  g_autofree char *message = g_strdup_vprintf (format, args);
  g_autofree char *path = format_path (c->path);
  GString *s = g_string_new (c->doc->display_name);
  guint line, column;

  if (c->set_path != NULL && strcmp (path, c->set_path) == 0)
    {
      /* The value just set is the culprit: name it as it was set. */
      g_string_append_printf (s, ": %s: %s", c->set_name, message);
    }
  else
    {
      if (locate (c, at_key, &line, &column))
        g_string_append_printf (s, ":%u:%u", line, column);
      if (*path != '\0')
        g_string_append_printf (s, ": %s", path);
      g_string_append_printf (s, ": %s", message);
      if (c->set_name != NULL)
        g_string_append_printf (s, " (after setting %s)", c->set_name);
    }
  g_set_error_literal (error, SW_DOCUMENT_ERROR, code, s->str);
  g_string_free (s, TRUE);
}

static gboolean fail (Ctx *c, GError **error, int code, const char *format, ...) G_GNUC_PRINTF (4, 5);

/* Sets @error for the current path; returns FALSE for `return fail (...)`. */
static gboolean
fail (Ctx *c, GError **error, int code, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  fail_full (c, FALSE, error, code, format, args);
  va_end (args);
  return FALSE;
}

static gboolean fail_key (Ctx *c, GError **error, int code, const char *format, ...) G_GNUC_PRINTF (4, 5);

/* Like fail(), pointing at the field's name rather than its value. */
static gboolean
fail_key (Ctx *c, GError **error, int code, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  fail_full (c, TRUE, error, code, format, args);
  va_end (args);
  return FALSE;
}

/* Reading JSON: helpers */

static const char *
node_kind (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (node))
    return "an object";
  if (JSON_NODE_HOLDS_ARRAY (node))
    return "an array";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING: return "a string";
    case G_TYPE_BOOLEAN: return "true or false";
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE: return "a number";
    default: return "a value";
    }
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
node_is_number (JsonNode *node)
{
  GType t;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  t = json_node_get_value_type (node);
  return t == G_TYPE_INT64 || t == G_TYPE_DOUBLE;
}

static char *
join_names (const char *const *names, gssize n)
{
  GString *s = g_string_new (NULL);

  for (gssize i = 0; n < 0 ? names[i] != NULL : i < n; i++)
    {
      if (s->len > 0)
        g_string_append (s, ", ");
      g_string_append (s, names[i]);
    }
  return g_string_free (s, FALSE);
}

/* Checks that @object has only @allowed fields and no field twice. */
static gboolean
check_fields (Ctx *c, JsonObject *object, const char *const *allowed, const char *what,
              GError **error)
{
  const char *dup;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (c->duplicates != NULL
      && (dup = g_hash_table_lookup (c->duplicates, object)) != NULL)
    {
      push_key (c, dup);
      return fail_key (c, error, SW_DOCUMENT_ERROR_DUPLICATE,
                       "the field '%s' appears twice in %s", dup, what);
    }

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      if (!g_strv_contains (allowed, name))
        {
          g_autofree char *list = join_names (allowed, -1);
          GString *msg = g_string_new (NULL);
          gboolean ok;

          g_string_append_printf (msg, "unknown field '%s' in %s", name, what);
          if (!sw_suggest_append (msg, name, allowed, -1))
            g_string_append_printf (msg, " (expected one of: %s)", list);
          push_key (c, name);
          ok = fail_key (c, error, SW_DOCUMENT_ERROR_UNKNOWN_FIELD, "%s", msg->str);
          g_string_free (msg, TRUE);
          return ok;
        }
    }
  return TRUE;
}

static gboolean
expect_object (Ctx *c, JsonNode *node, const char *what, GError **error)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    return TRUE;
  return fail (c, error, SW_DOCUMENT_ERROR_TYPE, "expected %s (an object in braces), found %s",
               what, node_kind (node));
}

static gboolean
expect_array (Ctx *c, JsonNode *node, const char *what, GError **error)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    return TRUE;
  return fail (c, error, SW_DOCUMENT_ERROR_TYPE, "expected %s (an array in brackets), found %s",
               what, node_kind (node));
}

static gboolean
missing (Ctx *c, const char *field, const char *what, GError **error)
{
  return fail (c, error, SW_DOCUMENT_ERROR_MISSING_FIELD, "%s needs the field '%s'",
               what, field);
}

/* Reads a string member; *@out stays NULL when absent and not @required. */
static gboolean
read_string (Ctx *c, JsonObject *object, const char *field, gboolean required,
             const char *what, char **out, GError **error)
{
  JsonNode *node = json_object_get_member (object, field);

  if (node == NULL)
    return required ? missing (c, field, what, error) : TRUE;
  push_key (c, field);
  if (!node_is_string (node))
    return fail (c, error, SW_DOCUMENT_ERROR_TYPE, "expected a string in quotes, found %s",
                 node_kind (node));
  pop_path (c);
  g_free (*out);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
read_bool (Ctx *c, JsonObject *object, const char *field, int *out, GError **error)
{
  JsonNode *node = json_object_get_member (object, field);

  *out = -1;
  if (node == NULL)
    return TRUE;
  push_key (c, field);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fail (c, error, SW_DOCUMENT_ERROR_TYPE, "expected true or false, found %s",
                 node_kind (node));
  pop_path (c);
  *out = json_node_get_boolean (node) ? 1 : 0;
  return TRUE;
}

/* A numeric value at the current path: a JSON number or a string holding a
 * number with a unit or an expression (checked when evaluated). */
static gboolean
read_value_node (Ctx *c, JsonNode *node, SwValue *out, GError **error)
{
  value_clear (out);
  if (node_is_number (node))
    {
      out->kind = SW_VALUE_NUMBER;
      if (json_node_get_value_type (node) == G_TYPE_INT64)
        {
          out->is_integer = TRUE;
          out->integer = json_node_get_int (node);
          out->number = (double) out->integer;
        }
      else
        out->number = json_node_get_double (node);
      if (!isfinite (out->number))
        return fail (c, error, SW_DOCUMENT_ERROR_VALUE, "the number is too large");
      return TRUE;
    }
  if (node_is_string (node))
    {
      const char *text = json_node_get_string (node);
      g_autofree char *copy = g_strstrip (g_strdup (text));

      if (*copy == '\0')
        return fail (c, error, SW_DOCUMENT_ERROR_EXPRESSION,
                     "the value is an empty string; expected a number such as 30 or \"30 pA\"");
      /* Kept as written; checked when evaluated. */
      out->kind = SW_VALUE_TEXT;
      out->text = g_strdup (text);
      return TRUE;
    }
  return fail (c, error, SW_DOCUMENT_ERROR_TYPE,
               "expected a number, or a string with a unit or an expression "
               "(such as \"30 pA\" or \"2*nu_ext\"), found %s", node_kind (node));
}

static gboolean
read_value (Ctx *c, JsonObject *object, const char *field, gboolean required,
            const char *what, SwValue *out, GError **error)
{
  JsonNode *node = json_object_get_member (object, field);

  if (node == NULL)
    return required ? missing (c, field, what, error) : TRUE;
  push_key (c, field);
  if (!read_value_node (c, node, out, error))
    return FALSE;
  pop_path (c);
  return TRUE;
}

static int
name_index (const char *const *names, gssize n, const char *name)
{
  for (gssize i = 0; n < 0 ? names[i] != NULL : i < n; i++)
    if (names[i] != NULL && strcmp (names[i], name) == 0)
      return (int) i;
  return -1;
}

/* An unknown name among @names: "did you mean", or the list. */
static gboolean
fail_unknown_name (Ctx *c, GError **error, const char *what, const char *name,
                   const char *const *names, gssize n)
{
  GString *msg = g_string_new (NULL);
  gboolean r;

  g_string_append_printf (msg, "unknown %s '%s'", what, name);
  if (!sw_suggest_append (msg, name, names, n))
    {
      g_autofree char *list = join_names (names, n);
      g_string_append_printf (msg, " (expected one of: %s)", list);
    }
  r = fail (c, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, "%s", msg->str);
  g_string_free (msg, TRUE);
  return r;
}

/* A name of a population, projection or stimulus: it appears in --set
 * names and in the spec, so it is short and has no dots or spaces. */
static gboolean
check_name (Ctx *c, const char *name, GError **error)
{
  push_key (c, "name");
  if (*name == '\0')
    return fail (c, error, SW_DOCUMENT_ERROR_VALUE, "the name is empty");
  if (strlen (name) > MAX_NAME)
    return fail (c, error, SW_DOCUMENT_ERROR_VALUE, "the name is longer than %d bytes",
                 MAX_NAME);
  if (!(g_ascii_isalpha (*name) || *name == '_'))
    return fail (c, error, SW_DOCUMENT_ERROR_VALUE,
                 "the name '%s' must start with a letter or '_'", name);
  for (const char *p = name; *p != '\0'; p++)
    if (!(g_ascii_isalnum (*p) || *p == '_' || *p == '-'))
      return fail (c, error, SW_DOCUMENT_ERROR_VALUE,
                   "the name '%s' may contain only letters, digits, '_' and '-'", name);
  if (g_strv_contains (reserved_names, name))
    return fail (c, error, SW_DOCUMENT_ERROR_VALUE, "'%s' is reserved; choose another name",
                 name);
  pop_path (c);
  return TRUE;
}

/* Reading JSON: pieces */

static const char *const variable_fields[] = {
  "value", "unit", "min", "max", "label", "description", NULL
};

static gboolean
read_variables (Ctx *c, JsonNode *node, GError **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  JsonObject *object;
  const char *dup;

  if (!expect_object (c, node, "the variables, as {\"NAME\": {\"value\": ...}}", error))
    return FALSE;
  object = json_node_get_object (node);
  if (c->duplicates != NULL && (dup = g_hash_table_lookup (c->duplicates, object)) != NULL)
    {
      push_key (c, dup);
      return fail_key (c, error, SW_DOCUMENT_ERROR_DUPLICATE,
                       "the variable '%s' is defined twice", dup);
    }

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      SwDocVariable *var = g_new0 (SwDocVariable, 1);
      g_autofree char *what = g_strdup_printf ("the variable '%s'", name);

      var->name = g_strdup (name);
      g_ptr_array_add (c->doc->variables, var);
      push_key (c, name);

      if (!is_identifier (name))
        return fail_key (c, error, SW_DOCUMENT_ERROR_VALUE,
                         "'%s' cannot name a variable: use letters, digits and '_', "
                         "starting with a letter", name);
      if (g_strv_contains (function_names, name))
        return fail_key (c, error, SW_DOCUMENT_ERROR_VALUE,
                         "'%s' is the name of a function or constant in expressions; "
                         "choose another variable name", name);

      if (!JSON_NODE_HOLDS_OBJECT (member))
        {
          /* "g": 5 is short for "g": {"value": 5}. */
          var->shorthand = TRUE;
          if (!read_value_node (c, member, &var->value, error))
            return FALSE;
        }
      else
        {
          JsonObject *vo = json_node_get_object (member);

          if (!check_fields (c, vo, variable_fields, what, error)
              || !read_value (c, vo, "value", TRUE, what, &var->value, error)
              || !read_string (c, vo, "unit", FALSE, what, &var->unit, error)
              || !read_value (c, vo, "min", FALSE, what, &var->min, error)
              || !read_value (c, vo, "max", FALSE, what, &var->max, error)
              || !read_string (c, vo, "label", FALSE, what, &var->label, error)
              || !read_string (c, vo, "description", FALSE, what, &var->description, error))
            return FALSE;
          if (var->unit != NULL)
            {
              g_autoptr(GError) local = NULL;
              SwUnit u;

              if (!sw_unit_parse (var->unit, &u, &local))
                {
                  push_key (c, "unit");
                  return fail (c, error, SW_DOCUMENT_ERROR_UNIT, "%s", local->message);
                }
            }
        }
      pop_path (c);
    }
  return TRUE;
}

static const char *const simulation_fields[] = {
  "dt", "duration", "warmup", "seed", "threads", "max_rate", NULL
};

static gboolean
read_simulation (Ctx *c, JsonNode *node, GError **error)
{
  const char *what = "the simulation settings";
  SwDocSim *sim = &c->doc->sim;
  JsonObject *o;

  if (!expect_object (c, node, what, error))
    return FALSE;
  o = json_node_get_object (node);
  return check_fields (c, o, simulation_fields, what, error)
         && read_value (c, o, "dt", FALSE, what, &sim->dt, error)
         && read_value (c, o, "duration", FALSE, what, &sim->duration, error)
         && read_value (c, o, "warmup", FALSE, what, &sim->warmup, error)
         && read_value (c, o, "seed", FALSE, what, &sim->seed, error)
         && read_value (c, o, "threads", FALSE, what, &sim->threads, error)
         && read_value (c, o, "max_rate", FALSE, what, &sim->max_rate, error);
}

/* Distributions: a plain value, or {"dist": "uniform", "low", "high"},
 * {"dist": "normal" | "normal_clipped", "mean", "sd"}. */
static const char *const uniform_fields[] = { "dist", "low", "high", NULL };
static const char *const normal_fields[] = { "dist", "mean", "sd", NULL };
static const char *const constant_fields[] = { "dist", "value", NULL };

static gboolean
read_dist_node (Ctx *c, JsonNode *node, SwDocDist *out, GError **error)
{
  JsonObject *o;
  g_autofree char *dist = NULL;
  const char *what;
  int kind;

  dist_clear (out);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      out->kind = SW_DIST_CONSTANT;
      return read_value_node (c, node, &out->a, error);
    }

  o = json_node_get_object (node);
  out->is_dist = TRUE;
  if (!read_string (c, o, "dist", TRUE,
                    "a distribution ({\"dist\": \"normal\", \"mean\": ..., \"sd\": ...})",
                    &dist, error))
    return FALSE;
  kind = name_index (dist_names, SW_N_DISTS, dist);
  if (kind < 0)
    {
      push_key (c, "dist");
      return fail_unknown_name (c, error, "distribution", dist, dist_names, SW_N_DISTS);
    }
  out->kind = kind;
  switch (out->kind)
    {
    case SW_DIST_UNIFORM:
      what = "a uniform distribution";
      return check_fields (c, o, uniform_fields, what, error)
             && read_value (c, o, "low", TRUE, what, &out->a, error)
             && read_value (c, o, "high", TRUE, what, &out->b, error);
    case SW_DIST_NORMAL:
    case SW_DIST_NORMAL_CLIPPED:
      what = out->kind == SW_DIST_NORMAL ? "a normal distribution" : "a clipped normal distribution";
      return check_fields (c, o, normal_fields, what, error)
             && read_value (c, o, "mean", TRUE, what, &out->a, error)
             && read_value (c, o, "sd", TRUE, what, &out->b, error);
    case SW_DIST_CONSTANT:
    case SW_N_DISTS:
    default:
      what = "a constant";
      return check_fields (c, o, constant_fields, what, error)
             && read_value (c, o, "value", TRUE, what, &out->a, error);
    }
}

/* Waveform components.  The fields each shape uses: */
static const char *const wave_fields[SW_N_WAVES][8] = {
  [SW_WAVE_CONSTANT] = { "waveform", "amplitude", "t0", NULL },
  [SW_WAVE_PULSE] = { "waveform", "amplitude", "t0", "duration", NULL },
  [SW_WAVE_GAUSSIAN_RISE] = { "waveform", "amplitude", "t0", "tau1", NULL },
  [SW_WAVE_DOUBLE_GAUSSIAN] = { "waveform", "amplitude", "t0", "tau1", "tau2", NULL },
  [SW_WAVE_SINE] = { "waveform", "amplitude", "t0", "duration", "freq", NULL },
  [SW_WAVE_RAMP] = { "waveform", "amplitude", "t0", "duration", NULL },
};

/* ... and those it needs. */
static const char *const wave_required[SW_N_WAVES][5] = {
  [SW_WAVE_CONSTANT] = { "amplitude", NULL },
  [SW_WAVE_PULSE] = { "amplitude", "t0", "duration", NULL },
  [SW_WAVE_GAUSSIAN_RISE] = { "amplitude", "t0", "tau1", NULL },
  [SW_WAVE_DOUBLE_GAUSSIAN] = { "amplitude", "t0", "tau1", "tau2", NULL },
  [SW_WAVE_SINE] = { "amplitude", "freq", NULL },
  [SW_WAVE_RAMP] = { "amplitude", "duration", NULL },
};

static SwValue *
wave_field (SwDocWave *w, const char *field)
{
  if (strcmp (field, "amplitude") == 0) return &w->amplitude;
  if (strcmp (field, "t0") == 0) return &w->t0;
  if (strcmp (field, "duration") == 0) return &w->duration;
  if (strcmp (field, "tau1") == 0) return &w->tau1;
  if (strcmp (field, "tau2") == 0) return &w->tau2;
  if (strcmp (field, "freq") == 0) return &w->freq;
  return NULL;
}

static const char *const all_wave_fields[] = {
  "amplitude", "t0", "duration", "tau1", "tau2", "freq", NULL
};

static gboolean
read_wave (Ctx *c, JsonNode *node, SwDocWave *w, GError **error)
{
  g_autofree char *shape = NULL;
  g_autofree char *what = NULL;
  JsonObject *o;
  int kind;
  const char *waveform_names[SW_N_WAVES + 1];

  if (!expect_object (c, node, "a waveform component ({\"waveform\": \"pulse\", ...})", error))
    return FALSE;
  o = json_node_get_object (node);
  if (!read_string (c, o, "waveform", TRUE, "a waveform component", &shape, error))
    return FALSE;
  kind = sw_waveform_kind_from_name (shape);
  if (kind < 0 || kind >= SW_N_WAVES)
    {
      for (int k = 0; k < SW_N_WAVES; k++)
        waveform_names[k] = sw_waveform_kind_name (k);
      waveform_names[SW_N_WAVES] = NULL;
      push_key (c, "waveform");
      return fail_unknown_name (c, error, "waveform", shape, waveform_names, SW_N_WAVES);
    }
  w->kind = kind;
  what = g_strdup_printf ("a %s component", shape);

  /* A field of another shape gets a message that says so. */
  {
    JsonObjectIter iter;
    const char *name;
    JsonNode *member;

    json_object_iter_init_ordered (&iter, o);
    while (json_object_iter_next_ordered (&iter, &name, &member))
      if (g_strv_contains (all_wave_fields, name)
          && !g_strv_contains (wave_fields[kind], name))
        {
          g_autofree char *list = join_names (wave_fields[kind] + 1, -1);
          push_key (c, name);
          return fail_key (c, error, SW_DOCUMENT_ERROR_UNKNOWN_FIELD,
                           "a %s component has no '%s' (it takes %s)", shape, name, list);
        }
  }
  if (!check_fields (c, o, wave_fields[kind], what, error))
    return FALSE;
  for (int i = 0; wave_fields[kind][i] != NULL; i++)
    {
      const char *field = wave_fields[kind][i];
      SwValue *slot = wave_field (w, field);

      if (slot == NULL)
        continue;
      if (!read_value (c, o, field, g_strv_contains (wave_required[kind], field), what,
                       slot, error))
        return FALSE;
    }
  return TRUE;
}

/* A rate or current profile: an array of components, or one value for a
 * constant. */
static gboolean
read_profile (Ctx *c, JsonNode *node, SwDocProfile *out, GError **error)
{
  JsonArray *array;
  guint n;

  profile_clear (out);
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        return fail (c, error, SW_DOCUMENT_ERROR_TYPE,
                     "expected an array of waveform components ([{\"waveform\": ...}]) "
                     "or a single value, found an object");
      out->shorthand = TRUE;
      return read_value_node (c, node, &out->value, error);
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n == 0)
    return fail (c, error, SW_DOCUMENT_ERROR_RANGE,
                 "the list of waveform components is empty");
  if (n > SW_MAX_COMPONENTS)
    return fail (c, error, SW_DOCUMENT_ERROR_RANGE,
                 "%u waveform components; at most %d are allowed", n, SW_MAX_COMPONENTS);
  out->waves = wave_array_new ();
  g_array_set_size (out->waves, n);
  for (guint i = 0; i < n; i++)
    {
      push_index (c, (int) i);
      if (!read_wave (c, json_array_get_element (array, i),
                      &g_array_index (out->waves, SwDocWave, i), error))
        return FALSE;
      pop_path (c);
    }
  return TRUE;
}

static gboolean
read_profile_member (Ctx *c, JsonObject *o, const char *field, const char *what,
                     SwDocProfile *out, GError **error)
{
  JsonNode *node = json_object_get_member (o, field);

  if (node == NULL)
    return missing (c, field, what, error);
  push_key (c, field);
  if (!read_profile (c, node, out, error))
    return FALSE;
  pop_path (c);
  return TRUE;
}

static gboolean
read_params (Ctx *c, JsonNode *node, SwDocPop *pop, const SwNeuronType *type,
             GError **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  g_autofree const char **names = g_new0 (const char *, type->n_params + 1);
  g_autofree char *what = NULL;

  for (int i = 0; i < type->n_params; i++)
    names[i] = type->params[i].name;

  if (!expect_object (c, node, "the parameters, as {\"NAME\": value}", error))
    return FALSE;
  what = g_strdup_printf ("the parameters of %s", type->name);
  if (!check_fields (c, json_node_get_object (node), names, what, error))
    return FALSE;
  json_object_iter_init_ordered (&iter, json_node_get_object (node));
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      SwDocParam *p = g_new0 (SwDocParam, 1);
      p->name = g_strdup (name);
      g_ptr_array_add (pop->params, p);
      push_key (c, name);
      if (!read_value_node (c, member, &p->value, error))
        return FALSE;
      pop_path (c);
    }
  return TRUE;
}

static gboolean
read_init (Ctx *c, JsonNode *node, SwDocPop *pop, const SwNeuronType *type, GError **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;
  g_autofree const char **names = g_new0 (const char *, type->n_state + 1);

  for (int i = 0; i < type->n_state; i++)
    names[i] = type->state[i].name;

  if (!expect_object (c, node, "the initial state, as {\"VARIABLE\": value or distribution}",
                      error))
    return FALSE;
  if (!check_fields (c, json_node_get_object (node), names, "the initial state", error))
    return FALSE;
  json_object_iter_init_ordered (&iter, json_node_get_object (node));
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      SwDocInit *init = g_new0 (SwDocInit, 1);
      init->name = g_strdup (name);
      g_ptr_array_add (pop->init, init);
      push_key (c, name);
      if (!read_dist_node (c, member, &init->dist, error))
        return FALSE;
      pop_path (c);
    }
  return TRUE;
}

static gboolean
read_times (Ctx *c, JsonNode *node, SwDocPop *pop, GError **error)
{
  pop->times_neuron = g_array_new (FALSE, TRUE, sizeof (SwValue));
  pop->times_t = g_array_new (FALSE, TRUE, sizeof (SwValue));

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      static const char *const fields[] = { "neuron", "t", NULL };
      const char *what = "spike times in columns";
      JsonObject *o = json_node_get_object (node);
      JsonNode *col[2];
      guint len[2];

      pop->times_columns = TRUE;
      if (!check_fields (c, o, fields, what, error))
        return FALSE;
      for (int k = 0; k < 2; k++)
        {
          GArray *dst = k == 0 ? pop->times_neuron : pop->times_t;

          col[k] = json_object_get_member (o, fields[k]);
          if (col[k] == NULL)
            return missing (c, fields[k], what, error);
          push_key (c, fields[k]);
          if (!expect_array (c, col[k], k == 0 ? "the neuron indices" : "the spike times", error))
            return FALSE;
          len[k] = json_array_get_length (json_node_get_array (col[k]));
          g_array_set_size (dst, len[k]);
          for (guint i = 0; i < len[k]; i++)
            {
              push_index (c, (int) i);
              if (!read_value_node (c, json_array_get_element (json_node_get_array (col[k]), i),
                                    &g_array_index (dst, SwValue, i), error))
                return FALSE;
              pop_path (c);
            }
          pop_path (c);
        }
      if (len[0] != len[1])
        {
          push_key (c, "t");
          return fail (c, error, SW_DOCUMENT_ERROR_RANGE,
                       "%u spike times for %u neuron indices; the two lists must have "
                       "the same length", len[1], len[0]);
        }
      return TRUE;
    }

  if (!expect_array (c, node, "the spike times, as [[neuron, time], ...] or "
                     "{\"neuron\": [...], \"t\": [...]}", error))
    return FALSE;
  {
    JsonArray *array = json_node_get_array (node);
    guint n = json_array_get_length (array);

    g_array_set_size (pop->times_neuron, n);
    g_array_set_size (pop->times_t, n);
    for (guint i = 0; i < n; i++)
      {
        JsonNode *pair = json_array_get_element (array, i);
        JsonArray *pa;

        push_index (c, (int) i);
        if (!JSON_NODE_HOLDS_ARRAY (pair)
            || json_array_get_length (json_node_get_array (pair)) != 2)
          return fail (c, error, SW_DOCUMENT_ERROR_TYPE,
                       "expected a pair [neuron, time] such as [0, \"12.5 ms\"], found %s",
                       JSON_NODE_HOLDS_ARRAY (pair) ? "an array of another length"
                       : node_kind (pair));
        pa = json_node_get_array (pair);
        for (guint k = 0; k < 2; k++)
          {
            push_index (c, (int) k);
            if (!read_value_node (c, json_array_get_element (pa, k),
                                  &g_array_index (k == 0 ? pop->times_neuron : pop->times_t,
                                                  SwValue, i), error))
              return FALSE;
            pop_path (c);
          }
        pop_path (c);
      }
  }
  return TRUE;
}

static const char *const neuron_pop_fields[] = {
  "name", "description", "model", "n", "inhibitory", "params", "init", NULL
};
static const char *const poisson_pop_fields[] = {
  "name", "description", "source", "n", "inhibitory", "rate", NULL
};
static const char *const times_pop_fields[] = {
  "name", "description", "source", "n", "inhibitory", "times", NULL
};
static const char *const any_pop_fields[] = {
  "name", "description", "model", "source", "n", "inhibitory", "params", "init",
  "rate", "times", NULL
};

static gboolean
read_population (Ctx *c, JsonNode *node, SwDocPop *pop, GError **error)
{
  JsonObject *o;
  g_autofree char *source = NULL;
  const char *what = "a population";

  if (!expect_object (c, node, "a population ({\"name\": ..., \"model\": ..., \"n\": ...})", error))
    return FALSE;
  o = json_node_get_object (node);

  /* Misspelt fields first ("modle"): the kind of population may depend on
   * them. */
  if (!check_fields (c, o, any_pop_fields, what, error))
    return FALSE;
  if (!read_string (c, o, "name", TRUE, what, &pop->name, error)
      || !check_name (c, pop->name, error)
      || !read_string (c, o, "model", FALSE, what, &pop->model, error)
      || !read_string (c, o, "source", FALSE, what, &source, error))
    return FALSE;

  if (pop->model != NULL && source != NULL)
    {
      push_key (c, "source");
      return fail_key (c, error, SW_DOCUMENT_ERROR_UNKNOWN_FIELD,
                       "a population has either a \"model\" (neurons) or a \"source\" "
                       "(poisson, spike_times), not both");
    }
  if (pop->model == NULL && source == NULL)
    return fail (c, error, SW_DOCUMENT_ERROR_MISSING_FIELD,
                 "population '%s' needs a \"model\" (neurons such as \"adex_cond\") "
                 "or a \"source\" (\"poisson\" or \"spike_times\")", pop->name);

  if (pop->model != NULL)
    {
      const SwNeuronType *type = sw_neuron_type_lookup (pop->model);
      JsonNode *member;

      pop->kind = SW_POP_NEURONS;
      if (type == NULL)
        {
          const SwNeuronType *const *types = sw_neuron_type_list ();
          g_autoptr(GPtrArray) names = g_ptr_array_new ();

          for (int i = 0; types[i] != NULL; i++)
            g_ptr_array_add (names, (gpointer) types[i]->name);
          push_key (c, "model");
          return fail_unknown_name (c, error, "neuron model", pop->model,
                                    (const char *const *) names->pdata, names->len);
        }
      if (!check_fields (c, o, neuron_pop_fields, "a population of neurons", error))
        return FALSE;
      if ((member = json_object_get_member (o, "params")) != NULL)
        {
          push_key (c, "params");
          if (!read_params (c, member, pop, type, error))
            return FALSE;
          pop_path (c);
        }
      if ((member = json_object_get_member (o, "init")) != NULL)
        {
          push_key (c, "init");
          if (!read_init (c, member, pop, type, error))
            return FALSE;
          pop_path (c);
        }
    }
  else
    {
      int kind = name_index (source_names, -1, source);

      if (kind < 0)
        {
          push_key (c, "source");
          return fail_unknown_name (c, error, "source", source, source_names, -1);
        }
      if (kind == 0)
        {
          pop->kind = SW_POP_POISSON;
          if (!check_fields (c, o, poisson_pop_fields, "a Poisson source population", error)
              || !read_profile_member (c, o, "rate", "a Poisson source population",
                                       &pop->rate, error))
            return FALSE;
        }
      else
        {
          JsonNode *member;

          pop->kind = SW_POP_SPIKE_TIMES;
          if (!check_fields (c, o, times_pop_fields, "a spike-time source population", error))
            return FALSE;
          member = json_object_get_member (o, "times");
          if (member == NULL)
            return missing (c, "times", "a spike-time source population", error);
          push_key (c, "times");
          if (!read_times (c, member, pop, error))
            return FALSE;
          pop_path (c);
        }
    }

  return read_string (c, o, "description", FALSE, what, &pop->description, error)
         && read_value (c, o, "n", TRUE, what, &pop->n, error)
         && read_bool (c, o, "inhibitory", &pop->inhibitory, error);
}

static SwDocPop *
find_pop (SwDocument *doc, const char *name, int *index)
{
  for (guint i = 0; i < doc->pops->len; i++)
    {
      SwDocPop *p = doc->pops->pdata[i];
      if (strcmp (p->name, name) == 0)
        {
          if (index != NULL)
            *index = (int) i;
          return p;
        }
    }
  return NULL;
}

static gboolean
fail_unknown_pop (Ctx *c, const char *name, GError **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; i < c->doc->pops->len; i++)
    g_ptr_array_add (names, ((SwDocPop *) c->doc->pops->pdata[i])->name);
  return fail_unknown_name (c, error, "population", name,
                            (const char *const *) names->pdata, names->len);
}

/* The population @field of @o names, which must exist and, for a target,
 * consist of neurons. */
static gboolean
read_pop_ref (Ctx *c, JsonObject *o, const char *field, const char *what,
              gboolean target, char **out, GError **error)
{
  SwDocPop *pop;

  if (!read_string (c, o, field, TRUE, what, out, error))
    return FALSE;
  push_key (c, field);
  pop = find_pop (c->doc, *out, NULL);
  if (pop == NULL)
    return fail_unknown_pop (c, *out, error);
  if (target && pop->kind != SW_POP_NEURONS)
    return fail (c, error, SW_DOCUMENT_ERROR_VALUE,
                 "'%s' is a source population; %s ends on a population of neurons",
                 *out, what);
  pop_path (c);
  return TRUE;
}

static gboolean
check_receptor (Ctx *c, const char *receptor, const SwDocPop *post, GError **error)
{
  const SwNeuronType *type;

  if (receptor == NULL)
    return TRUE;
  type = sw_neuron_type_lookup (post->model);
  if (sw_neuron_type_receptor (type, receptor) >= 0)
    return TRUE;
  push_key (c, "receptor");
  return fail_unknown_name (c, error, "receptor", receptor,
                            (const char *const *) type->receptors, type->n_receptors);
}

static const char *const projection_fields[] = {
  "name", "description", "pre", "post", "receptor", "rule", "p", "k",
  "autapses", "multapses", "weight", "delay", NULL
};

static gboolean
read_projection (Ctx *c, JsonNode *node, SwDocProj *proj, GError **error)
{
  const char *what = "a projection";
  g_autofree char *rule = NULL;
  JsonObject *o;
  JsonNode *member;
  int r;

  if (!expect_object (c, node, "a projection ({\"pre\": ..., \"post\": ..., \"rule\": ...})",
                      error))
    return FALSE;
  o = json_node_get_object (node);
  if (!check_fields (c, o, projection_fields, what, error)
      || !read_string (c, o, "name", FALSE, what, &proj->name, error)
      || (proj->name != NULL && !check_name (c, proj->name, error))
      || !read_string (c, o, "description", FALSE, what, &proj->description, error)
      || !read_pop_ref (c, o, "pre", what, FALSE, &proj->pre, error)
      || !read_pop_ref (c, o, "post", what, TRUE, &proj->post, error)
      || !read_string (c, o, "receptor", FALSE, what, &proj->receptor, error)
      || !check_receptor (c, proj->receptor, find_pop (c->doc, proj->post, NULL), error)
      || !read_string (c, o, "rule", TRUE, what, &rule, error))
    return FALSE;

  proj->auto_name = proj->name != NULL ? g_strdup (proj->name)
                    : g_strdup_printf ("%s_%s", proj->pre, proj->post);

  r = name_index (rule_names, SW_N_CONNS, rule);
  if (r < 0)
    {
      push_key (c, "rule");
      return fail_unknown_name (c, error, "connection rule", rule, rule_names, SW_N_CONNS);
    }
  proj->rule = r;

  /* p and k belong to their rules; one given to another rule is a mistake
   * worth pointing out. */
  if (proj->rule == SW_CONN_FIXED_PROBABILITY)
    {
      if (!read_value (c, o, "p", TRUE, "a fixed_probability projection", &proj->p, error))
        return FALSE;
    }
  else if (json_object_has_member (o, "p"))
    {
      push_key (c, "p");
      return fail_key (c, error, SW_DOCUMENT_ERROR_UNKNOWN_FIELD,
                       "'p' belongs to the fixed_probability rule, not to %s", rule);
    }
  if (proj->rule == SW_CONN_FIXED_INDEGREE || proj->rule == SW_CONN_FIXED_OUTDEGREE)
    {
      g_autofree char *w = g_strdup_printf ("a %s projection", rule);
      if (!read_value (c, o, "k", TRUE, w, &proj->k, error))
        return FALSE;
    }
  else if (json_object_has_member (o, "k"))
    {
      push_key (c, "k");
      return fail_key (c, error, SW_DOCUMENT_ERROR_UNKNOWN_FIELD,
                       "'k' belongs to the fixed_indegree and fixed_outdegree rules, not to %s",
                       rule);
    }

  if (!read_bool (c, o, "autapses", &proj->autapses, error)
      || !read_bool (c, o, "multapses", &proj->multapses, error))
    return FALSE;
  if (proj->multapses >= 0 && proj->rule != SW_CONN_FIXED_INDEGREE
      && proj->rule != SW_CONN_FIXED_OUTDEGREE)
    {
      push_key (c, "multapses");
      return fail_key (c, error, SW_DOCUMENT_ERROR_UNKNOWN_FIELD,
                       "'multapses' applies to the fixed_indegree and fixed_outdegree "
                       "rules only, not to %s", rule);
    }

  member = json_object_get_member (o, "weight");
  if (member == NULL)
    return missing (c, "weight", what, error);
  push_key (c, "weight");
  if (!read_dist_node (c, member, &proj->weight, error))
    return FALSE;
  pop_path (c);

  member = json_object_get_member (o, "delay");
  if (member != NULL)
    {
      push_key (c, "delay");
      if (!read_dist_node (c, member, &proj->delay, error))
        return FALSE;
      pop_path (c);
    }
  return TRUE;
}

static const char *const poisson_stim_fields[] = {
  "name", "description", "type", "target", "first", "count", "n_sources",
  "weight", "receptor", "rate", NULL
};
static const char *const current_stim_fields[] = {
  "name", "description", "type", "target", "first", "count", "profile", NULL
};

static gboolean
read_stimulus (Ctx *c, JsonNode *node, SwDocStim *stim, GError **error)
{
  const char *what = "a stimulus";
  g_autofree char *type = NULL;
  JsonObject *o;
  int kind;

  if (!expect_object (c, node, "a stimulus ({\"type\": \"poisson\", \"target\": ...})", error))
    return FALSE;
  o = json_node_get_object (node);
  if (!read_string (c, o, "type", TRUE, what, &type, error))
    return FALSE;
  kind = name_index (stim_type_names, -1, type);
  if (kind < 0)
    {
      push_key (c, "type");
      return fail_unknown_name (c, error, "stimulus type", type, stim_type_names, -1);
    }
  stim->kind = kind == 0 ? SW_STIM_POISSON : SW_STIM_CURRENT;

  if (!check_fields (c, o, stim->kind == SW_STIM_POISSON ? poisson_stim_fields
                     : current_stim_fields,
                     stim->kind == SW_STIM_POISSON ? "a Poisson stimulus" : "a current stimulus",
                     error)
      || !read_string (c, o, "name", FALSE, what, &stim->name, error)
      || (stim->name != NULL && !check_name (c, stim->name, error))
      || !read_string (c, o, "description", FALSE, what, &stim->description, error)
      || !read_pop_ref (c, o, "target", what, TRUE, &stim->target, error)
      || !read_value (c, o, "first", FALSE, what, &stim->first, error)
      || !read_value (c, o, "count", FALSE, what, &stim->count, error))
    return FALSE;

  stim->auto_name = stim->name != NULL ? g_strdup (stim->name)
                    : g_strdup_printf ("%s_%s", type, stim->target);

  if (stim->kind == SW_STIM_POISSON)
    return read_value (c, o, "n_sources", FALSE, what, &stim->n_sources, error)
           && read_value (c, o, "weight", TRUE, "a Poisson stimulus", &stim->weight, error)
           && read_string (c, o, "receptor", FALSE, what, &stim->receptor, error)
           && check_receptor (c, stim->receptor, find_pop (c->doc, stim->target, NULL), error)
           && read_profile_member (c, o, "rate", "a Poisson stimulus", &stim->profile, error);
  return read_profile_member (c, o, "profile", "a current stimulus", &stim->profile, error);
}

/* Populations, projections and stimuli share one namespace (their names
 * prefix --set names). */
static gboolean
check_unique_names (Ctx *c, GError **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  struct
  {
    const char *list;
    GPtrArray *items;
  } groups[] = {
    { "populations", c->doc->pops },
    { "projections", c->doc->projs },
    { "stimuli", c->doc->stims },
  };

  for (gsize g = 0; g < G_N_ELEMENTS (groups); g++)
    for (guint i = 0; i < groups[g].items->len; i++)
      {
        gpointer item = groups[g].items->pdata[i];
        const char *name = g == 0 ? ((SwDocPop *) item)->name
                           : g == 1 ? ((SwDocProj *) item)->auto_name
                           : ((SwDocStim *) item)->auto_name;
        gboolean given = g == 0 || (g == 1 ? ((SwDocProj *) item)->name != NULL
                                    : ((SwDocStim *) item)->name != NULL);
        const char *other = g_hash_table_lookup (seen, name);

        if (other != NULL)
          {
            guint mark = path_mark (c);
            gboolean r;

            push_key (c, groups[g].list);
            push_index (c, (int) i);
            if (given)
              {
                push_key (c, "name");
                r = fail (c, error, SW_DOCUMENT_ERROR_DUPLICATE,
                          "the name '%s' is already used by %s", name, other);
              }
            else
              r = fail (c, error, SW_DOCUMENT_ERROR_DUPLICATE,
                        "this %s would be named '%s', which %s uses already; give it a "
                        "\"name\"", g == 1 ? "projection" : "stimulus", name, other);
            path_reset (c, mark);
            return r;
          }
        g_hash_table_insert (seen, (gpointer) name,
                             g_strdup_printf ("%s[%u]", groups[g].list, i));
      }
  return TRUE;
}

static const char *const document_fields[] = {
  "format", "version", "kind", "name", "description", "explanation", "references",
  "variables", "simulation", "populations", "projections", "stimuli", "ui", NULL
};

static gboolean
read_list (Ctx *c, JsonObject *root, const char *field, gboolean required, GPtrArray *dst,
           gpointer (*make) (void),
           gboolean (*read) (Ctx *, JsonNode *, gpointer, GError **),
           const char *what, GError **error)
{
  JsonNode *node = json_object_get_member (root, field);
  JsonArray *array;

  if (node == NULL)
    {
      if (required)
        return fail (c, error, SW_DOCUMENT_ERROR_MISSING_FIELD,
                     "the document needs \"%s\": [...], the list of %s", field, what);
      return TRUE;
    }
  push_key (c, field);
  if (!expect_array (c, node, what, error))
    return FALSE;
  array = json_node_get_array (node);
  if (required && json_array_get_length (array) == 0)
    return fail (c, error, SW_DOCUMENT_ERROR_RANGE,
                 "the list of %s is empty; a network needs at least one", what);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      gpointer item = make ();
      g_ptr_array_add (dst, item);
      push_index (c, (int) i);
      if (!read (c, json_array_get_element (array, i), item, error))
        return FALSE;
      pop_path (c);
    }
  pop_path (c);
  return TRUE;
}

static gpointer make_pop (void) { return g_new0 (SwDocPop, 1); }
static gpointer make_proj (void) { return g_new0 (SwDocProj, 1); }
static gpointer make_stim (void) { return g_new0 (SwDocStim, 1); }

static gboolean
read_pop_cb (Ctx *c, JsonNode *node, gpointer item, GError **error)
{
  SwDocPop *pop = item;
  pop->inhibitory = -1;
  pop->params = g_ptr_array_new_with_free_func ((GDestroyNotify) param_free);
  pop->init = g_ptr_array_new_with_free_func ((GDestroyNotify) init_free);
  return read_population (c, node, pop, error);
}

static gboolean
read_proj_cb (Ctx *c, JsonNode *node, gpointer item, GError **error)
{
  SwDocProj *proj = item;
  proj->autapses = proj->multapses = -1;
  return read_projection (c, node, proj, error);
}

static gboolean
read_stim_cb (Ctx *c, JsonNode *node, gpointer item, GError **error)
{
  return read_stimulus (c, node, item, error);
}

static gboolean
read_document (Ctx *c, JsonNode *root, GError **error)
{
  SwDocument *doc = c->doc;
  JsonObject *o;
  JsonNode *node;
  const char *what = "the document";

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return fail (c, error, SW_DOCUMENT_ERROR_FORMAT,
                 "not a Spikeworks document: expected a JSON object with "
                 "\"format\": \"spikeworks\" at the top level, found %s", node_kind (root));
  o = json_node_get_object (root);

  /* Say "not ours" before anything else about a JSON file of another
   * program. */
  node = json_object_get_member (o, "format");
  if (node == NULL)
    return fail (c, error, SW_DOCUMENT_ERROR_FORMAT,
                 "not a Spikeworks document: the field \"format\": \"spikeworks\" is missing");
  push_key (c, "format");
  if (!node_is_string (node) || strcmp (json_node_get_string (node), FORMAT_TAG) != 0)
    return fail (c, error, SW_DOCUMENT_ERROR_FORMAT,
                 "not a Spikeworks document: \"format\" must be \"spikeworks\"");
  pop_path (c);

  node = json_object_get_member (o, "version");
  if (node == NULL)
    return fail (c, error, SW_DOCUMENT_ERROR_MISSING_FIELD,
                 "the document needs \"version\": %d", SW_DOCUMENT_FORMAT_VERSION);
  push_key (c, "version");
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return fail (c, error, SW_DOCUMENT_ERROR_TYPE, "expected a whole number, found %s",
                 node_kind (node));
  if (json_node_get_int (node) > SW_DOCUMENT_FORMAT_VERSION)
    return fail (c, error, SW_DOCUMENT_ERROR_VERSION,
                 "the document has format version %" G_GINT64_FORMAT ", written by a newer "
                 "Spikeworks; this one reads version %d",
                 json_node_get_int (node), SW_DOCUMENT_FORMAT_VERSION);
  if (json_node_get_int (node) < 1)
    return fail (c, error, SW_DOCUMENT_ERROR_VERSION,
                 "format versions start at 1 (got %" G_GINT64_FORMAT ")",
                 json_node_get_int (node));
  doc->version = (int) json_node_get_int (node);
  pop_path (c);

  /* Cells and neural masses have loaders of their own (sw-kind.h). */
  node = json_object_get_member (o, "kind");
  if (node != NULL)
    {
      push_key (c, "kind");
      if (!node_is_string (node))
        return fail (c, error, SW_DOCUMENT_ERROR_TYPE, "expected a string, found %s",
                     node_kind (node));
      if (strcmp (json_node_get_string (node), "network") != 0)
        return fail (c, error, SW_DOCUMENT_ERROR_FORMAT,
                     "this document describes %s, not a network of point neurons; "
                     "expected \"network\" here",
                     strcmp (json_node_get_string (node), "cells") == 0
                       ? "multicompartment cells"
                       : strcmp (json_node_get_string (node), "mass") == 0
                           ? "neural masses" : "an unknown kind of model");
      pop_path (c);
    }

  if (!check_fields (c, o, document_fields, what, error)
      || !read_string (c, o, "name", FALSE, what, &doc->name, error)
      || !read_string (c, o, "description", FALSE, what, &doc->description, error)
      || !read_string (c, o, "explanation", FALSE, what, &doc->explanation, error))
    return FALSE;

  if ((node = json_object_get_member (o, "references")) != NULL)
    {
      JsonArray *array;
      GPtrArray *refs = g_ptr_array_new ();

      push_key (c, "references");
      if (!expect_array (c, node, "the references (strings)", error))
        {
          g_ptr_array_unref (refs);
          return FALSE;
        }
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *ref = json_array_get_element (array, i);
          if (!node_is_string (ref))
            {
              g_ptr_array_set_free_func (refs, g_free);
              g_ptr_array_unref (refs);
              push_index (c, (int) i);
              return fail (c, error, SW_DOCUMENT_ERROR_TYPE,
                           "expected a string in quotes, found %s", node_kind (ref));
            }
          g_ptr_array_add (refs, g_strdup (json_node_get_string (ref)));
        }
      g_ptr_array_add (refs, NULL);
      doc->references = (char **) g_ptr_array_free (refs, FALSE);
      pop_path (c);
    }

  if ((node = json_object_get_member (o, "variables")) != NULL)
    {
      push_key (c, "variables");
      if (!read_variables (c, node, error))
        return FALSE;
      pop_path (c);
    }
  if ((node = json_object_get_member (o, "simulation")) != NULL)
    {
      push_key (c, "simulation");
      if (!read_simulation (c, node, error))
        return FALSE;
      pop_path (c);
    }

  if (!read_list (c, o, "populations", TRUE, doc->pops, make_pop, read_pop_cb,
                  "populations", error))
    return FALSE;
  {
    /* Projections and stimuli refer to populations by name: check the
     * names first so that those references are unambiguous. */
    g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
    for (guint i = 0; i < doc->pops->len; i++)
      {
        SwDocPop *pop = doc->pops->pdata[i];
        if (!g_hash_table_add (names, pop->name))
          {
            int first = -1;
            find_pop (doc, pop->name, &first);
            push_key (c, "populations");
            push_index (c, (int) i);
            push_key (c, "name");
            return fail (c, error, SW_DOCUMENT_ERROR_DUPLICATE,
                         "the name '%s' is already used by populations[%d]", pop->name, first);
          }
      }
  }
  if (!read_list (c, o, "projections", FALSE, doc->projs, make_proj, read_proj_cb,
                  "projections", error)
      || !read_list (c, o, "stimuli", FALSE, doc->stims, make_stim, read_stim_cb,
                     "stimuli", error)
      || !check_unique_names (c, error))
    return FALSE;

  if ((node = json_object_get_member (o, "ui")) != NULL)
    {
      push_key (c, "ui");
      if (!expect_object (c, node, "the workbench settings", error))
        return FALSE;
      pop_path (c);
      doc->ui = json_node_copy (node);
    }
  return TRUE;
}

/* Evaluation */

static int
map_expr_code (int code)
{
  switch (code)
    {
    case SW_EXPR_ERROR_SYNTAX: return SW_DOCUMENT_ERROR_EXPRESSION;
    case SW_EXPR_ERROR_UNKNOWN_UNIT: return SW_DOCUMENT_ERROR_UNIT;
    case SW_EXPR_ERROR_UNDEFINED: return SW_DOCUMENT_ERROR_UNDEFINED_VARIABLE;
    case SW_EXPR_ERROR_CYCLE: return SW_DOCUMENT_ERROR_CYCLE;
    case SW_EXPR_ERROR_DIMENSION: return SW_DOCUMENT_ERROR_UNIT;
    case SW_EXPR_ERROR_DOMAIN:
    case SW_EXPR_ERROR_NOT_FINITE:
    default:
      return SW_DOCUMENT_ERROR_VALUE;
    }
}

static gboolean
fail_expr (Ctx *c, const char *text, const GError *local, GError **error)
{
  g_autofree char *quoted = g_strdup_printf ("'%s'", text);

  /* Messages about the whole value quote it already. */
  if (g_str_has_prefix (local->message, quoted))
    return fail (c, error, map_expr_code (local->code), "%s", local->message);
  return fail (c, error, map_expr_code (local->code), "%s: %s", quoted, local->message);
}

/* Evaluates @v in @unit at the current path. */
static gboolean
eval_value (Ctx *c, const SwValue *v, const char *unit, double *out, GError **error)
{
  g_autoptr(GError) local = NULL;

  switch (v->kind)
    {
    case SW_VALUE_NUMBER:
      *out = v->number;
      return TRUE;
    case SW_VALUE_TEXT:
      if (!sw_expr_eval_in_unit (v->text, c->scope, unit, out, &local))
        return fail_expr (c, v->text, local, error);
      return TRUE;
    case SW_VALUE_UNSET:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
eval_field (Ctx *c, const char *field, const SwValue *v, const char *unit, double *out,
            GError **error)
{
  if (!value_is_set (v))
    return TRUE;
  push_key (c, field);
  if (!eval_value (c, v, unit, out, error))
    return FALSE;
  pop_path (c);
  return TRUE;
}

static const char *
unit_suffix (const char *unit, char *buf, gsize size)
{
  g_snprintf (buf, size, "%s%s", *unit ? " " : "", unit);
  return buf;
}

static gboolean
check_range (Ctx *c, double v, double min, double max, const char *unit, GError **error)
{
  char u[64];

  if (v >= min && v <= max)
    return TRUE;
  unit_suffix (unit, u, sizeof u);
  if (isinf (max))
    return fail (c, error, SW_DOCUMENT_ERROR_RANGE,
                 "%g%s is too small: it must be at least %g%s", v, u, min, u);
  if (isinf (min))
    return fail (c, error, SW_DOCUMENT_ERROR_RANGE,
                 "%g%s is too large: it must be at most %g%s", v, u, max, u);
  return fail (c, error, SW_DOCUMENT_ERROR_RANGE,
               "%g%s is outside the allowed range %g to %g%s", v, u, min, max, u);
}

/* A whole number in [min, max] at the current path. */
static gboolean
eval_int (Ctx *c, const SwValue *v, gint64 min, gint64 max, gint64 *out, GError **error)
{
  double x;

  if (v->kind == SW_VALUE_NUMBER && v->is_integer)
    {
      if (v->integer < min || v->integer > max)
        return fail (c, error, SW_DOCUMENT_ERROR_RANGE,
                     "%" G_GINT64_FORMAT " is outside the allowed range %" G_GINT64_FORMAT
                     " to %" G_GINT64_FORMAT, v->integer, min, max);
      *out = v->integer;
      return TRUE;
    }
  if (!eval_value (c, v, "", &x, error))
    return FALSE;
  if (fabs (x - round (x)) > 1e-9 * MAX (1.0, fabs (x)))
    return fail (c, error, SW_DOCUMENT_ERROR_VALUE, "expected a whole number, got %g", x);
  if (round (x) < (double) min || round (x) > (double) max)
    return fail (c, error, SW_DOCUMENT_ERROR_RANGE,
                 "%g is outside the allowed range %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                 x, min, max);
  *out = (gint64) round (x);
  return TRUE;
}

static gboolean
eval_int_field (Ctx *c, const char *field, const SwValue *v, gint64 min, gint64 max,
                int *out, GError **error)
{
  gint64 x;

  if (!value_is_set (v))
    return TRUE;
  push_key (c, field);
  if (!eval_int (c, v, min, max, &x, error))
    return FALSE;
  pop_path (c);
  *out = (int) x;
  return TRUE;
}

static gboolean
eval_size (Ctx *c, const SwValue *v, int *out, GError **error)
{
  gint64 x;

  push_key (c, "n");
  if (v->kind == SW_VALUE_NUMBER && v->is_integer && v->integer < 1)
    return fail (c, error, SW_DOCUMENT_ERROR_RANGE,
                 "the size must be at least 1 (got %" G_GINT64_FORMAT ")", v->integer);
  if (!eval_int (c, v, 1, MAX_SIZE, &x, error))
    return FALSE;
  pop_path (c);
  *out = (int) x;
  return TRUE;
}

static gboolean
eval_variables (Ctx *c, double *values, double *mins, double *maxs, GError **error)
{
  SwDocument *doc = c->doc;

  c->scope = sw_scope_new ();
  for (guint i = 0; i < doc->variables->len; i++)
    {
      SwDocVariable *var = doc->variables->pdata[i];
      g_autoptr(GError) local = NULL;
      const char *unit = var->unit != NULL ? var->unit : "";

      if (!sw_scope_define (c->scope, var->name,
                            var->value.kind == SW_VALUE_TEXT ? var->value.text : NULL,
                            var->value.number, unit, &local))
        {
          push_key (c, "variables");
          push_key (c, var->name);
          if (!var->shorthand)
            push_key (c, "value");
          return fail_expr (c, var->value.text != NULL ? var->value.text : "", local, error);
        }
    }

  for (guint i = 0; i < doc->variables->len; i++)
    {
      SwDocVariable *var = doc->variables->pdata[i];
      g_autoptr(GError) local = NULL;
      const char *unit = var->unit != NULL ? var->unit : "";
      char u[64];
      guint mark = path_mark (c);

      push_key (c, "variables");
      push_key (c, var->name);
      if (!var->shorthand)
        push_key (c, "value");
      if (!sw_scope_lookup_in_unit (c->scope, var->name, &values[i], &local))
        return fail_expr (c, var->value.text != NULL ? var->value.text : "", local, error);
      if (!var->shorthand)
        pop_path (c);

      mins[i] = -INFINITY;
      maxs[i] = INFINITY;
      if (!eval_field (c, "min", &var->min, unit, &mins[i], error)
          || !eval_field (c, "max", &var->max, unit, &maxs[i], error))
        return FALSE;
      if (mins[i] > maxs[i])
        {
          push_key (c, "max");
          return fail (c, error, SW_DOCUMENT_ERROR_RANGE,
                       "max (%g) is below min (%g)", maxs[i], mins[i]);
        }
      if (!(values[i] >= mins[i] && values[i] <= maxs[i]))
        {
          unit_suffix (unit, u, sizeof u);
          if (!var->shorthand)
            push_key (c, "value");
          if (isinf (maxs[i]))
            return fail (c, error, SW_DOCUMENT_ERROR_RANGE,
                         "%g%s is below the variable's min, %g%s", values[i], u, mins[i], u);
          if (isinf (mins[i]))
            return fail (c, error, SW_DOCUMENT_ERROR_RANGE,
                         "%g%s is above the variable's max, %g%s", values[i], u, maxs[i], u);
          return fail (c, error, SW_DOCUMENT_ERROR_RANGE,
                       "%g%s is outside the variable's range, %g to %g%s",
                       values[i], u, mins[i], maxs[i], u);
        }
      path_reset (c, mark);
    }
  return TRUE;
}

typedef struct
{
  double dt_ms, duration_ms, warmup_ms, max_rate_hz;
  guint64 seed;
  int threads;
} SimValues;

static gboolean
eval_simulation (Ctx *c, SimValues *s, GError **error)
{
  const SwDocSim *sim = &c->doc->sim;
  gint64 seed = 1;

  s->dt_ms = 0.1;
  s->duration_ms = 1000.0;
  s->warmup_ms = 0.0;
  s->max_rate_hz = 0.0;
  s->threads = 0;
  s->seed = 1;

  push_key (c, "simulation");
  if (!eval_field (c, "dt", &sim->dt, "ms", &s->dt_ms, error))
    return FALSE;
  push_key (c, "dt");
  if (!(s->dt_ms > 0.0))
    return fail (c, error, SW_DOCUMENT_ERROR_RANGE, "the time step must be positive (got %g ms)",
                 s->dt_ms);
  if (!check_range (c, s->dt_ms, 0.0, 10.0, "ms", error))
    return FALSE;
  pop_path (c);

  if (!eval_field (c, "duration", &sim->duration, "ms", &s->duration_ms, error))
    return FALSE;
  push_key (c, "duration");
  if (!check_range (c, s->duration_ms, 0.0, MAX_DURATION_MS, "ms", error))
    return FALSE;
  pop_path (c);

  if (!eval_field (c, "warmup", &sim->warmup, "ms", &s->warmup_ms, error))
    return FALSE;
  push_key (c, "warmup");
  if (!check_range (c, s->warmup_ms, 0.0, INFINITY, "ms", error))
    return FALSE;
  if (s->warmup_ms > s->duration_ms)
    return fail (c, error, SW_DOCUMENT_ERROR_RANGE,
                 "the warm-up (%g ms) is longer than the whole duration (%g ms)",
                 s->warmup_ms, s->duration_ms);
  pop_path (c);

  if (value_is_set (&sim->seed))
    {
      push_key (c, "seed");
      if (!eval_int (c, &sim->seed, 0, G_MAXINT64, &seed, error))
        return FALSE;
      pop_path (c);
    }
  s->seed = (guint64) seed;

  if (!eval_int_field (c, "threads", &sim->threads, 0, 1024, &s->threads, error)
      || !eval_field (c, "max_rate", &sim->max_rate, "Hz", &s->max_rate_hz, error))
    return FALSE;
  push_key (c, "max_rate");
  if (!check_range (c, s->max_rate_hz, 0.0, INFINITY, "Hz", error))
    return FALSE;
  pop_path (c);
  pop_path (c);
  return TRUE;
}

static gboolean
eval_dist (Ctx *c, const SwDocDist *d, const char *unit, SwDist *out, GError **error)
{
  out->kind = d->kind;
  out->a = out->b = 0.0;
  if (!d->is_dist)
    return eval_value (c, &d->a, unit, &out->a, error);

  switch (d->kind)
    {
    case SW_DIST_UNIFORM:
      if (!eval_field (c, "low", &d->a, unit, &out->a, error)
          || !eval_field (c, "high", &d->b, unit, &out->b, error))
        return FALSE;
      if (out->a > out->b)
        {
          push_key (c, "high");
          return fail (c, error, SW_DOCUMENT_ERROR_RANGE,
                       "high (%g %s) is below low (%g %s)", out->b, unit, out->a, unit);
        }
      return TRUE;
    case SW_DIST_NORMAL:
    case SW_DIST_NORMAL_CLIPPED:
      if (!eval_field (c, "mean", &d->a, unit, &out->a, error)
          || !eval_field (c, "sd", &d->b, unit, &out->b, error))
        return FALSE;
      if (out->b < 0)
        {
          push_key (c, "sd");
          return fail (c, error, SW_DOCUMENT_ERROR_RANGE,
                       "the standard deviation must not be negative (got %g %s)", out->b, unit);
        }
      return TRUE;
    case SW_DIST_CONSTANT:
    case SW_N_DISTS:
    default:
      return eval_field (c, "value", &d->a, unit, &out->a, error);
    }
}

/* The profile at the current path into @waves; @amplitude_unit is "Hz" for
 * rates or the current unit of the target. */
static gboolean
eval_profile (Ctx *c, const SwDocProfile *p, const char *amplitude_unit, gboolean is_rate,
              SwWaveform *waves, int *n_waves, GError **error)
{
  if (p->shorthand)
    {
      memset (&waves[0], 0, sizeof waves[0]);
      waves[0].kind = SW_WAVE_CONSTANT;
      if (!eval_value (c, &p->value, amplitude_unit, &waves[0].amplitude, error))
        return FALSE;
      if (is_rate && !check_range (c, waves[0].amplitude, 0.0, INFINITY, "Hz", error))
        return FALSE;
      *n_waves = 1;
      return TRUE;
    }

  *n_waves = (int) p->waves->len;
  for (guint i = 0; i < p->waves->len; i++)
    {
      const SwDocWave *w = &g_array_index (p->waves, SwDocWave, i);
      SwWaveform *out = &waves[i];

      memset (out, 0, sizeof *out);
      out->kind = w->kind;
      push_index (c, (int) i);
      if (!eval_field (c, "amplitude", &w->amplitude, amplitude_unit, &out->amplitude, error)
          || !eval_field (c, "t0", &w->t0, "ms", &out->t0_ms, error)
          || !eval_field (c, "duration", &w->duration, "ms", &out->duration_ms, error)
          || !eval_field (c, "tau1", &w->tau1, "ms", &out->tau1_ms, error)
          || !eval_field (c, "tau2", &w->tau2, "ms", &out->tau2_ms, error)
          || !eval_field (c, "freq", &w->freq, "Hz", &out->freq_hz, error))
        return FALSE;

      if (is_rate && out->amplitude < 0)
        {
          push_key (c, "amplitude");
          return fail (c, error, SW_DOCUMENT_ERROR_RANGE,
                       "a rate cannot be negative (got %g Hz)", out->amplitude);
        }
      if (out->duration_ms < 0)
        {
          push_key (c, "duration");
          return fail (c, error, SW_DOCUMENT_ERROR_RANGE,
                       "the duration cannot be negative (got %g ms)", out->duration_ms);
        }
      if (value_is_set (&w->tau1) && !(out->tau1_ms > 0))
        {
          push_key (c, "tau1");
          return fail (c, error, SW_DOCUMENT_ERROR_RANGE,
                       "tau1 must be positive (got %g ms)", out->tau1_ms);
        }
      if (value_is_set (&w->tau2) && !(out->tau2_ms > 0))
        {
          push_key (c, "tau2");
          return fail (c, error, SW_DOCUMENT_ERROR_RANGE,
                       "tau2 must be positive (got %g ms)", out->tau2_ms);
        }
      if (out->freq_hz < 0)
        {
          push_key (c, "freq");
          return fail (c, error, SW_DOCUMENT_ERROR_RANGE,
                       "the frequency cannot be negative (got %g Hz)", out->freq_hz);
        }
      pop_path (c);
    }
  return TRUE;
}

static gboolean
eval_population (Ctx *c, const SwDocPop *dp, SwNetSpec *spec, GError **error)
{
  SwPopSpec *pop;
  int n = 0;

  if (!eval_size (c, &dp->n, &n, error))
    return FALSE;
  pop = sw_net_spec_add_pop (spec, dp->name, dp->kind, n);
  if (pop == NULL)
    return fail (c, error, SW_DOCUMENT_ERROR_INVALID, "out of memory");
  pop->inhibitory = dp->inhibitory > 0;

  if (dp->kind == SW_POP_NEURONS)
    {
      const SwNeuronType *type = sw_neuron_type_lookup (dp->model);

      g_assert (type != NULL);
      sw_pop_spec_set_type (pop, type);

      push_key (c, "params");
      for (guint i = 0; i < dp->params->len; i++)
        {
          const SwDocParam *p = dp->params->pdata[i];
          int k = sw_param_find (type->params, type->n_params, p->name);
          const SwParamInfo *info = &type->params[k];
          double v;

          g_assert (k >= 0);
          push_key (c, p->name);
          if (!eval_value (c, &p->value, info->unit, &v, error))
            return FALSE;
          if ((info->flags & SW_PARAM_INTEGER) && v != floor (v))
            return fail (c, error, SW_DOCUMENT_ERROR_VALUE,
                         "%s takes whole numbers only (got %g)", p->name, v);
          if (!sw_param_in_range (info, v))
            return check_range (c, v, info->min, info->max, info->unit, error);
          pop->params[k] = v;
          pop_path (c);
        }
      pop_path (c);

      push_key (c, "init");
      for (guint i = 0; i < dp->init->len; i++)
        {
          const SwDocInit *in = dp->init->pdata[i];
          int k = sw_param_find (type->state, type->n_state, in->name);
          const SwParamInfo *info = &type->state[k];

          g_assert (k >= 0);
          push_key (c, in->name);
          if (!eval_dist (c, &in->dist, info->unit, &pop->init[k], error))
            return FALSE;
          if (pop->init[k].kind == SW_DIST_CONSTANT
              && !sw_param_in_range (info, pop->init[k].a))
            return check_range (c, pop->init[k].a, info->min, info->max, info->unit, error);
          pop_path (c);
        }
      pop_path (c);
    }
  else if (dp->kind == SW_POP_POISSON)
    {
      push_key (c, "rate");
      if (!eval_profile (c, &dp->rate, "Hz", TRUE, pop->rate, &pop->n_rate, error))
        return FALSE;
      pop_path (c);
    }
  else
    {
      guint m = dp->times_neuron->len;

      push_key (c, "times");
      pop->n_times = (int) m;
      if (m > 0)
        {
          pop->times_index = malloc (sizeof *pop->times_index * m);
          pop->times_ms = malloc (sizeof *pop->times_ms * m);
          if (pop->times_index == NULL || pop->times_ms == NULL)
            return fail (c, error, SW_DOCUMENT_ERROR_INVALID, "out of memory");
        }
      for (guint i = 0; i < m; i++)
        {
          gint64 neuron;
          double t;

          /* Paths: times.neuron[i] in columns, times[i][0] in pairs. */
          if (dp->times_columns)
            {
              push_key (c, "neuron");
              push_index (c, (int) i);
            }
          else
            {
              push_index (c, (int) i);
              push_index (c, 0);
            }
          if (!eval_int (c, &g_array_index (dp->times_neuron, SwValue, i), 0, n - 1,
                         &neuron, error))
            return FALSE;
          pop_path (c);
          pop_path (c);
          if (dp->times_columns)
            {
              push_key (c, "t");
              push_index (c, (int) i);
            }
          else
            {
              push_index (c, (int) i);
              push_index (c, 1);
            }
          if (!eval_value (c, &g_array_index (dp->times_t, SwValue, i), "ms", &t, error))
            return FALSE;
          if (!check_range (c, t, 0.0, INFINITY, "ms", error))
            return FALSE;
          pop_path (c);
          pop_path (c);
          pop->times_index[i] = (int32_t) neuron;
          pop->times_ms[i] = t;
        }
      pop_path (c);
    }
  return TRUE;
}

/* The receptor of a projection or stimulus: the one named, or "inh" from
 * an inhibitory population and "exc" otherwise, or the only one. */
static gboolean
resolve_receptor (Ctx *c, const char *name, gboolean inhibitory, const SwNeuronType *type,
                  int *out, GError **error)
{
  const char *want;

  if (name != NULL)
    {
      *out = sw_neuron_type_receptor (type, name);
      g_assert (*out >= 0);
      return TRUE;
    }
  if (type->n_receptors == 1)
    {
      *out = 0;
      return TRUE;
    }
  want = inhibitory ? "inh" : "exc";
  *out = sw_neuron_type_receptor (type, want);
  if (*out < 0)
    {
      g_autofree char *list = join_names ((const char *const *) type->receptors,
                                          type->n_receptors);
      return fail (c, error, SW_DOCUMENT_ERROR_MISSING_FIELD,
                   "%s has no receptor '%s'; say which with \"receptor\" (one of: %s)",
                   type->name, want, list);
    }
  return TRUE;
}

static gboolean
eval_projection (Ctx *c, const SwDocProj *dp, SwNetSpec *spec, GError **error)
{
  int pre = sw_net_spec_find_pop (spec, dp->pre);
  int post = sw_net_spec_find_pop (spec, dp->post);
  const SwNeuronType *type = spec->pops[post].type;
  SwProjSpec *proj = sw_net_spec_add_proj (spec, dp->auto_name, pre, post);
  const char *unit;

  if (proj == NULL)
    return fail (c, error, SW_DOCUMENT_ERROR_INVALID, "out of memory");
  proj->rule = dp->rule;
  if (!resolve_receptor (c, dp->receptor, spec->pops[pre].inhibitory, type, &proj->receptor,
                         error))
    return FALSE;
  unit = type->receptor_units[proj->receptor];

  if (value_is_set (&dp->p))
    {
      push_key (c, "p");
      if (!eval_value (c, &dp->p, "", &proj->p, error)
          || !check_range (c, proj->p, 0.0, 1.0, "", error))
        return FALSE;
      pop_path (c);
    }
  if (value_is_set (&dp->k))
    {
      gint64 k;
      int limit = dp->rule == SW_CONN_FIXED_INDEGREE ? spec->pops[pre].n : spec->pops[post].n;

      push_key (c, "k");
      if (!eval_int (c, &dp->k, 0, MAX_SIZE, &k, error))
        return FALSE;
      proj->k = (int) k;
      proj->autapses = dp->autapses != 0;
      proj->multapses = dp->multapses > 0;
      if (!proj->multapses && pre == post && !proj->autapses)
        limit--;
      if (!proj->multapses && k > limit)
        return fail (c, error, SW_DOCUMENT_ERROR_RANGE,
                     "k = %" G_GINT64_FORMAT " is more than the %d distinct %s available "
                     "(allow repeats with \"multapses\": true)",
                     k, limit, dp->rule == SW_CONN_FIXED_INDEGREE ? "sources" : "targets");
      pop_path (c);
    }
  proj->autapses = dp->autapses != 0;      /* default true */
  proj->multapses = dp->multapses > 0;     /* default false */

  push_key (c, "weight");
  if (!eval_dist (c, &dp->weight, unit, &proj->weight, error))
    return FALSE;
  pop_path (c);

  if (dp->delay.is_dist || value_is_set (&dp->delay.a))
    {
      push_key (c, "delay");
      if (!eval_dist (c, &dp->delay, "ms", &proj->delay_ms, error))
        return FALSE;
      if (proj->delay_ms.a < 0)
        return fail (c, error, SW_DOCUMENT_ERROR_RANGE,
                     "a delay cannot be negative (got %g ms)", proj->delay_ms.a);
      pop_path (c);
    }
  else
    proj->delay_ms = (SwDist) { SW_DIST_CONSTANT, 0.0, 0.0 };
  return TRUE;
}

static gboolean
eval_stimulus (Ctx *c, const SwDocStim *ds, SwNetSpec *spec, GError **error)
{
  int target = sw_net_spec_find_pop (spec, ds->target);
  const SwPopSpec *t = &spec->pops[target];
  const SwNeuronType *type = t->type;
  SwStimSpec *stim = sw_net_spec_add_stim (spec, ds->auto_name, ds->kind, target);
  int n = t->n;

  if (stim == NULL)
    return fail (c, error, SW_DOCUMENT_ERROR_INVALID, "out of memory");

  if (!eval_int_field (c, "first", &ds->first, 0, n - 1, &stim->first, error))
    return FALSE;
  if (value_is_set (&ds->count))
    {
      gint64 count;

      push_key (c, "count");
      if (!eval_int (c, &ds->count, -1, n, &count, error))
        return FALSE;
      if (count >= 0 && stim->first + count > n)
        return fail (c, error, SW_DOCUMENT_ERROR_RANGE,
                     "neurons %d to %" G_GINT64_FORMAT " do not exist: %s has %d",
                     stim->first, stim->first + count - 1, t->name, n);
      stim->count = (int) count;
      pop_path (c);
    }

  if (ds->kind == SW_STIM_POISSON)
    {
      if (!eval_int_field (c, "n_sources", &ds->n_sources, 1, MAX_SIZE, &stim->n_sources,
                           error)
          || !resolve_receptor (c, ds->receptor, FALSE, type, &stim->receptor, error)
          || !eval_field (c, "weight", &ds->weight, type->receptor_units[stim->receptor],
                          &stim->weight, error))
        return FALSE;
      push_key (c, "rate");
      if (!eval_profile (c, &ds->profile, "Hz", TRUE, stim->profile, &stim->n_profile, error))
        return FALSE;
      pop_path (c);
    }
  else
    {
      push_key (c, "profile");
      if (!eval_profile (c, &ds->profile, type->current_unit, FALSE, stim->profile,
                         &stim->n_profile, error))
        return FALSE;
      pop_path (c);
    }
  return TRUE;
}

static gboolean
eval_list (Ctx *c, const char *field, GPtrArray *items,
           gboolean (*eval) (Ctx *, gconstpointer, SwNetSpec *, GError **),
           SwNetSpec *spec, GError **error)
{
  push_key (c, field);
  for (guint i = 0; i < items->len; i++)
    {
      push_index (c, (int) i);
      if (!eval (c, items->pdata[i], spec, error))
        return FALSE;
      pop_path (c);
    }
  pop_path (c);
  return TRUE;
}

static gboolean
eval_pop_cb (Ctx *c, gconstpointer item, SwNetSpec *spec, GError **error)
{
  return eval_population (c, item, spec, error);
}

static gboolean
eval_proj_cb (Ctx *c, gconstpointer item, SwNetSpec *spec, GError **error)
{
  return eval_projection (c, item, spec, error);
}

static gboolean
eval_stim_cb (Ctx *c, gconstpointer item, SwNetSpec *spec, GError **error)
{
  return eval_stimulus (c, item, spec, error);
}

/* Evaluates the whole document.  On success, stores the evaluated
 * variables and settings in the document and returns the spec. */
static SwNetSpec *
evaluate (Ctx *c, GError **error)
{
  SwDocument *doc = c->doc;
  guint nv = doc->variables->len;
  g_autofree double *values = g_new0 (double, nv + 1);
  g_autofree double *mins = g_new0 (double, nv + 1);
  g_autofree double *maxs = g_new0 (double, nv + 1);
  SimValues sim;
  SwNetSpec *spec;
  SwError err = { { 0 } };

  g_clear_pointer (&c->scope, sw_scope_free);
  if (!eval_variables (c, values, mins, maxs, error)
      || !eval_simulation (c, &sim, error))
    return NULL;

  spec = sw_net_spec_new ();
  if (spec == NULL)
    {
      fail (c, error, SW_DOCUMENT_ERROR_INVALID, "out of memory");
      return NULL;
    }
  spec->dt_ms = sim.dt_ms;
  spec->seed = sim.seed;
  spec->threads = sim.threads;
  spec->max_rate_hz = sim.max_rate_hz;

  if (!eval_list (c, "populations", doc->pops, eval_pop_cb, spec, error)
      || !eval_list (c, "projections", doc->projs, eval_proj_cb, spec, error)
      || !eval_list (c, "stimuli", doc->stims, eval_stim_cb, spec, error))
    {
      sw_net_spec_free (spec);
      return NULL;
    }

  /* The core's own checks: the models' constraints between parameters
   * (V_reset below V_th ...) and the connection rules' feasibility. */
  if (sw_net_spec_validate (spec, &err) != SW_OK)
    {
      fail (c, error, SW_DOCUMENT_ERROR_INVALID, "%s", err.text);
      sw_net_spec_free (spec);
      return NULL;
    }

  g_free (doc->var_values);
  g_free (doc->var_min);
  g_free (doc->var_max);
  doc->var_values = g_steal_pointer (&values);
  doc->var_min = g_steal_pointer (&mins);
  doc->var_max = g_steal_pointer (&maxs);
  doc->dt_ms = sim.dt_ms;
  doc->duration_ms = sim.duration_ms;
  doc->warmup_ms = sim.warmup_ms;
  doc->seed = sim.seed;
  doc->threads = sim.threads;
  doc->max_rate_hz = sim.max_rate_hz;
  return spec;
}

static gboolean
validate (Ctx *c, GError **error)
{
  SwNetSpec *spec = evaluate (c, error);

  if (spec == NULL)
    return FALSE;
  sw_net_spec_free (spec);
  return TRUE;
}

SwNetSpec *
sw_document_build_spec (SwDocument *doc, GError **error)
{
  Ctx c;
  SwNetSpec *spec;

  g_return_val_if_fail (doc != NULL, NULL);

  ctx_init (&c, doc);
  spec = evaluate (&c, error);
  ctx_clear (&c);
  return spec;
}

/* Loading */

/* json-glib keeps the last of two equal member names silently; the parser
 * reports every member as it reads it, so repeated names are caught here
 * and reported by check_fields() with their place. */
typedef struct
{
  GHashTable *names;
  char *duplicate;
} MemberSet;

static void
member_set_free (gpointer data)
{
  MemberSet *set = data;
  g_hash_table_unref (set->names);
  g_free (set->duplicate);
  g_free (set);
}

static void
object_member_cb (JsonParser *parser, JsonObject *object, const char *name, gpointer data)
{
  GHashTable *seen = data;   /* JsonObject -> MemberSet */
  MemberSet *set = g_hash_table_lookup (seen, object);

  if (set == NULL)
    {
      set = g_new0 (MemberSet, 1);
      set->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (seen, object, set);
    }
  if (g_hash_table_contains (set->names, name))
    {
      if (set->duplicate == NULL)
        set->duplicate = g_strdup (name);
    }
  else
    g_hash_table_insert (set->names, g_strdup (name), NULL);
}

static GHashTable *
collect_duplicates (GHashTable *seen)
{
  GHashTable *dups = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  GHashTableIter iter;
  gpointer object, value;

  g_hash_table_iter_init (&iter, seen);
  while (g_hash_table_iter_next (&iter, &object, &value))
    {
      MemberSet *set = value;
      if (set->duplicate != NULL)
        g_hash_table_insert (dups, object, g_strdup (set->duplicate));
    }
  return dups;
}

/* TRUE when @text ends inside a string or with an object or array still
 * open: a file cut short, whatever json-glib makes of it.  Sets the line
 * and column of the end. */
static gboolean
looks_truncated (const char *text, gsize len, guint *line, guint *column)
{
  const char *line_start = text;
  int depth = 0;
  char quote = 0;

  *line = 1;
  for (gsize i = 0; i < len; i++)
    {
      char ch = text[i];

      if (ch == '\n')
        {
          (*line)++;
          line_start = text + i + 1;
        }
      if (quote != 0)
        {
          if (ch == '\\')
            i++;
          else if (ch == quote)
            quote = 0;
        }
      else if (ch == '"' || ch == '\'')
        quote = ch;
      else if (ch == '{' || ch == '[')
        depth++;
      else if (ch == '}' || ch == ']')
        depth--;
    }
  *column = (guint) g_utf8_strlen (line_start, text + len - line_start) + 1;
  return quote != 0 || depth > 0;
}

/* Rewrites json-glib's "<data>:3:5: Parse error: ..." for @display. */
static void
set_syntax_error (GError **error, const char *display, const char *text, gsize len,
                  const GError *parse_error)
{
  const char *msg = parse_error->message;
  unsigned line = 0, column = 0;
  int used = 0;
  g_autofree char *detail = NULL;

  if (looks_truncated (text, len, &line, &column))
    detail = g_strdup_printf ("%s:%u:%u: not valid JSON: the text ends before its last "
                              "string, object or array is closed (is the file truncated?)",
                              display, line, column);
  else if (sscanf (msg, "<data>:%u:%u: %n", &line, &column, &used) == 2 && used > 0)
    {
      msg += used;
      if (g_str_has_prefix (msg, "Parse error: "))
        msg += strlen ("Parse error: ");
      detail = g_strdup_printf ("%s:%u:%u: not valid JSON: %s", display, line,
                                MAX (column, 1u), msg);
    }
  else
    detail = g_strdup_printf ("%s: not valid JSON: %s", display, msg);
  g_set_error_literal (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_SYNTAX, detail);
}

SwDocument *
sw_document_load_data (const char *data, gssize length, const char *display_name,
                       GError **error)
{
  g_autoptr(SwDocument) doc = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(GHashTable) seen = NULL;
  const char *display = display_name != NULL ? display_name : "<data>";
  const char *end = NULL;
  const char *text;
  gsize len;
  gboolean blank = TRUE;
  Ctx c;
  gboolean ok;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  len = length < 0 ? strlen (data) : (gsize) length;
  text = data != NULL ? data : "";
  if (len >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    {
      text += 3;
      len -= 3;
    }

  if (!g_utf8_validate_len (text, len, &end))
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_NOT_TEXT,
                   "%s: not a Spikeworks document: this is binary data, not text "
                   "(byte 0x%02x at offset %" G_GSIZE_FORMAT " is not UTF-8)",
                   display, (guchar) *end, (gsize) (end - text));
      return NULL;
    }
  for (gsize i = 0; i < len && blank; i++)
    blank = g_ascii_isspace (text[i]);
  if (blank)
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_EMPTY,
                   "%s: the document is empty; expected a JSON object such as "
                   "{\"format\": \"spikeworks\", \"version\": 1, \"populations\": [...]}",
                   display);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  seen = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, member_set_free);
  g_signal_connect (parser, "object-member", G_CALLBACK (object_member_cb), seen);
  if (!json_parser_load_from_data (parser, text, (gssize) len, &local))
    {
      set_syntax_error (error, display, text, len, local);
      return NULL;
    }

  doc = document_new (display);
  doc->source = g_strndup (text, len);
  doc->source_len = len;

  ctx_init (&c, doc);
  c.duplicates = collect_duplicates (seen);
  ok = read_document (&c, json_parser_get_root (parser), error);
  g_clear_pointer (&c.duplicates, g_hash_table_unref);
  if (ok)
    ok = validate (&c, error);
  ctx_clear (&c);
  if (!ok)
    return NULL;
  return g_steal_pointer (&doc);
}

SwDocument *
sw_document_load_file (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *display = NULL;
  g_autoptr(GError) local = NULL;
  gsize length = 0;
  SwDocument *doc;

  g_return_val_if_fail (path != NULL, NULL);

  display = g_filename_display_name (path);
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_READ,
                   "%s: is a folder, not a document", display);
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &length, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_NOT_FOUND,
                     "%s: no such file", display);
      else
        g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_READ,
                     "%s: cannot read the file: %s", display, local->message);
      return NULL;
    }

  doc = sw_document_load_data (contents, (gssize) length, display, error);
  if (doc != NULL)
    doc->path = g_strdup (path);
  return doc;
}

SwDocument *
sw_document_load_preset (const char *name, GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *display = NULL;
  gsize size;
  const char *data;

  g_return_val_if_fail (name != NULL, NULL);

  bytes = sw_presets_lookup (name, error);
  if (bytes == NULL)
    return NULL;
  display = g_strdup_printf ("preset:%s", name);
  data = g_bytes_get_data (bytes, &size);
  return sw_document_load_data (data, (gssize) size, display, error);
}

SwDocument *
sw_document_load (const char *location, GError **error)
{
  g_return_val_if_fail (location != NULL, NULL);

  if (g_str_has_prefix (location, "preset:"))
    return sw_document_load_preset (location + strlen ("preset:"), error);
  return sw_document_load_file (location, error);
}

/* Writing */

static JsonNode *
value_node (const SwValue *v)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  if (v->kind == SW_VALUE_TEXT)
    json_node_set_string (node, v->text);
  else if (v->is_integer)
    json_node_set_int (node, v->integer);
  else
    json_node_set_double (node, v->number);
  return node;
}

static void
set_value (JsonObject *o, const char *field, const SwValue *v)
{
  if (value_is_set (v))
    json_object_set_member (o, field, value_node (v));
}

static void
set_string (JsonObject *o, const char *field, const char *s)
{
  if (s != NULL)
    json_object_set_string_member (o, field, s);
}

static void
set_bool (JsonObject *o, const char *field, int b)
{
  if (b >= 0)
    json_object_set_boolean_member (o, field, b != 0);
}

static JsonNode *
dist_node (const SwDocDist *d)
{
  JsonObject *o;
  JsonNode *node;

  if (!d->is_dist)
    return value_node (&d->a);
  o = json_object_new ();
  json_object_set_string_member (o, "dist", dist_names[d->kind]);
  switch (d->kind)
    {
    case SW_DIST_UNIFORM:
      set_value (o, "low", &d->a);
      set_value (o, "high", &d->b);
      break;
    case SW_DIST_NORMAL:
    case SW_DIST_NORMAL_CLIPPED:
      set_value (o, "mean", &d->a);
      set_value (o, "sd", &d->b);
      break;
    case SW_DIST_CONSTANT:
    case SW_N_DISTS:
    default:
      set_value (o, "value", &d->a);
      break;
    }
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, o);
  return node;
}

static JsonNode *
profile_node (const SwDocProfile *p)
{
  JsonArray *array;
  JsonNode *node;

  if (p->shorthand)
    return value_node (&p->value);
  array = json_array_new ();
  for (guint i = 0; i < p->waves->len; i++)
    {
      const SwDocWave *w = &g_array_index (p->waves, SwDocWave, i);
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "waveform", sw_waveform_kind_name (w->kind));
      set_value (o, "amplitude", &w->amplitude);
      set_value (o, "t0", &w->t0);
      set_value (o, "duration", &w->duration);
      set_value (o, "tau1", &w->tau1);
      set_value (o, "tau2", &w->tau2);
      set_value (o, "freq", &w->freq);
      json_array_add_object_element (array, o);
    }
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  return node;
}

static JsonNode *
object_node (JsonObject *o)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, o);
  return node;
}

static JsonNode *
values_array_node (GArray *values)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < values->len; i++)
    json_array_add_element (array, value_node (&g_array_index (values, SwValue, i)));
  json_node_take_array (node, array);
  return node;
}

static JsonNode *
pop_node (const SwDocPop *p)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "name", p->name);
  set_string (o, "description", p->description);
  if (p->kind == SW_POP_NEURONS)
    json_object_set_string_member (o, "model", p->model);
  else
    json_object_set_string_member (o, "source",
                                   p->kind == SW_POP_POISSON ? "poisson" : "spike_times");
  set_value (o, "n", &p->n);
  set_bool (o, "inhibitory", p->inhibitory);

  if (p->kind == SW_POP_NEURONS)
    {
      if (p->params->len > 0)
        {
          JsonObject *params = json_object_new ();
          for (guint i = 0; i < p->params->len; i++)
            {
              const SwDocParam *param = p->params->pdata[i];
              set_value (params, param->name, &param->value);
            }
          json_object_set_object_member (o, "params", params);
        }
      if (p->init->len > 0)
        {
          JsonObject *init = json_object_new ();
          for (guint i = 0; i < p->init->len; i++)
            {
              const SwDocInit *in = p->init->pdata[i];
              json_object_set_member (init, in->name, dist_node (&in->dist));
            }
          json_object_set_object_member (o, "init", init);
        }
    }
  else if (p->kind == SW_POP_POISSON)
    json_object_set_member (o, "rate", profile_node (&p->rate));
  else if (p->times_columns)
    {
      JsonObject *times = json_object_new ();
      json_object_set_member (times, "neuron", values_array_node (p->times_neuron));
      json_object_set_member (times, "t", values_array_node (p->times_t));
      json_object_set_object_member (o, "times", times);
    }
  else
    {
      JsonArray *times = json_array_new ();
      for (guint i = 0; i < p->times_neuron->len; i++)
        {
          JsonArray *pair = json_array_new ();
          json_array_add_element (pair, value_node (&g_array_index (p->times_neuron, SwValue, i)));
          json_array_add_element (pair, value_node (&g_array_index (p->times_t, SwValue, i)));
          json_array_add_array_element (times, pair);
        }
      json_object_set_array_member (o, "times", times);
    }
  return object_node (o);
}

static JsonNode *
proj_node (const SwDocProj *p)
{
  JsonObject *o = json_object_new ();

  set_string (o, "name", p->name);
  set_string (o, "description", p->description);
  json_object_set_string_member (o, "pre", p->pre);
  json_object_set_string_member (o, "post", p->post);
  set_string (o, "receptor", p->receptor);
  json_object_set_string_member (o, "rule", rule_names[p->rule]);
  set_value (o, "p", &p->p);
  set_value (o, "k", &p->k);
  set_bool (o, "autapses", p->autapses);
  set_bool (o, "multapses", p->multapses);
  json_object_set_member (o, "weight", dist_node (&p->weight));
  if (p->delay.is_dist || value_is_set (&p->delay.a))
    json_object_set_member (o, "delay", dist_node (&p->delay));
  return object_node (o);
}

static JsonNode *
stim_node (const SwDocStim *s)
{
  JsonObject *o = json_object_new ();

  set_string (o, "name", s->name);
  set_string (o, "description", s->description);
  json_object_set_string_member (o, "type", s->kind == SW_STIM_POISSON ? "poisson" : "current");
  json_object_set_string_member (o, "target", s->target);
  set_value (o, "first", &s->first);
  set_value (o, "count", &s->count);
  if (s->kind == SW_STIM_POISSON)
    {
      set_value (o, "n_sources", &s->n_sources);
      set_value (o, "weight", &s->weight);
      set_string (o, "receptor", s->receptor);
      json_object_set_member (o, "rate", profile_node (&s->profile));
    }
  else
    json_object_set_member (o, "profile", profile_node (&s->profile));
  return object_node (o);
}

static JsonNode *
document_node (SwDocument *doc)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "format", FORMAT_TAG);
  json_object_set_int_member (o, "version", SW_DOCUMENT_FORMAT_VERSION);
  set_string (o, "name", doc->name);
  set_string (o, "description", doc->description);
  set_string (o, "explanation", doc->explanation);
  if (doc->references != NULL)
    {
      JsonArray *refs = json_array_new ();
      for (char **r = doc->references; *r != NULL; r++)
        json_array_add_string_element (refs, *r);
      json_object_set_array_member (o, "references", refs);
    }

  if (doc->variables->len > 0)
    {
      JsonObject *vars = json_object_new ();
      for (guint i = 0; i < doc->variables->len; i++)
        {
          const SwDocVariable *v = doc->variables->pdata[i];
          JsonObject *vo;

          if (v->shorthand)
            {
              json_object_set_member (vars, v->name, value_node (&v->value));
              continue;
            }
          vo = json_object_new ();
          set_value (vo, "value", &v->value);
          set_string (vo, "unit", v->unit);
          set_value (vo, "min", &v->min);
          set_value (vo, "max", &v->max);
          set_string (vo, "label", v->label);
          set_string (vo, "description", v->description);
          json_object_set_object_member (vars, v->name, vo);
        }
      json_object_set_object_member (o, "variables", vars);
    }

  {
    const SwDocSim *s = &doc->sim;
    JsonObject *so = json_object_new ();

    set_value (so, "dt", &s->dt);
    set_value (so, "duration", &s->duration);
    set_value (so, "warmup", &s->warmup);
    set_value (so, "seed", &s->seed);
    set_value (so, "threads", &s->threads);
    set_value (so, "max_rate", &s->max_rate);
    if (json_object_get_size (so) > 0)
      json_object_set_object_member (o, "simulation", so);
    else
      json_object_unref (so);
  }

  {
    JsonArray *pops = json_array_new ();
    for (guint i = 0; i < doc->pops->len; i++)
      json_array_add_element (pops, pop_node (doc->pops->pdata[i]));
    json_object_set_array_member (o, "populations", pops);
  }
  if (doc->projs->len > 0)
    {
      JsonArray *projs = json_array_new ();
      for (guint i = 0; i < doc->projs->len; i++)
        json_array_add_element (projs, proj_node (doc->projs->pdata[i]));
      json_object_set_array_member (o, "projections", projs);
    }
  if (doc->stims->len > 0)
    {
      JsonArray *stims = json_array_new ();
      for (guint i = 0; i < doc->stims->len; i++)
        json_array_add_element (stims, stim_node (doc->stims->pdata[i]));
      json_object_set_array_member (o, "stimuli", stims);
    }
  if (doc->ui != NULL)
    json_object_set_member (o, "ui", json_node_copy (doc->ui));

  return object_node (o);
}

char *
sw_document_to_json (SwDocument *doc)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (doc != NULL, NULL);

  root = document_node (doc);
  return sw_json_to_string (root);
}

gboolean
sw_document_save (SwDocument *doc, const char *path, GError **error)
{
  g_autofree char *text = NULL;
  g_autofree char *target = NULL;
  g_autofree char *display = NULL;
  g_autoptr(GError) local = NULL;
  struct stat st;
  int mode = 0666;

  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  display = g_filename_display_name (path);
  text = sw_document_to_json (doc);

  /* Replace what a link points to, not the link. */
  target = g_strdup (path);
  for (int hops = 0; hops < 16 && g_file_test (target, G_FILE_TEST_IS_SYMLINK); hops++)
    {
      g_autofree char *link = g_file_read_link (target, NULL);
      g_autofree char *dir = NULL;

      if (link == NULL)
        break;
      dir = g_path_get_dirname (target);
      g_free (target);
      target = g_path_is_absolute (link) ? g_steal_pointer (&link)
               : g_build_filename (dir, link, NULL);
    }

  if (g_stat (target, &st) == 0)
    {
      if (S_ISDIR (st.st_mode))
        {
          g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_WRITE,
                       "%s: cannot save: it is a folder", display);
          return FALSE;
        }
      mode = st.st_mode & 0777;
    }

  /* A temporary file in the same folder, flushed, then renamed over the
   * target: the old file stays whole until the new one is complete. */
  if (!g_file_set_contents_full (target, text, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 mode, &local))
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_WRITE,
                   "%s: cannot save: %s", display, local->message);
      return FALSE;
    }

  g_free (doc->path);
  doc->path = g_strdup (path);
  g_free (doc->display_name);
  doc->display_name = g_steal_pointer (&display);
  g_free (doc->source);
  doc->source_len = strlen (text);
  doc->source = g_steal_pointer (&text);
  return TRUE;
}

/* Accessors */

const char *
sw_document_get_display_name (SwDocument *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);
  return doc->display_name;
}

const char *
sw_document_get_path (SwDocument *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);
  return doc->path;
}

const char *
sw_document_get_name (SwDocument *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);
  return doc->name;
}

const char *
sw_document_get_description (SwDocument *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);
  return doc->description;
}

const char *
sw_document_get_explanation (SwDocument *doc)
{
  g_return_val_if_fail (doc != NULL, NULL);
  return doc->explanation;
}

guint
sw_document_get_n_variables (SwDocument *doc)
{
  g_return_val_if_fail (doc != NULL, 0);
  return doc->variables->len;
}

gboolean
sw_document_get_variable (SwDocument *doc, guint index, SwVariableInfo *info)
{
  const SwDocVariable *v;

  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  if (index >= doc->variables->len)
    return FALSE;
  v = doc->variables->pdata[index];
  info->name = v->name;
  info->value = doc->var_values[index];
  info->unit = v->unit != NULL ? v->unit : "";
  info->min = doc->var_min[index];
  info->max = doc->var_max[index];
  info->label = v->label;
  info->description = v->description;
  info->expression = v->value.kind == SW_VALUE_TEXT ? v->value.text : NULL;
  return TRUE;
}

int
sw_document_find_variable (SwDocument *doc, const char *name)
{
  g_return_val_if_fail (doc != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);

  for (guint i = 0; i < doc->variables->len; i++)
    if (strcmp (((SwDocVariable *) doc->variables->pdata[i])->name, name) == 0)
      return (int) i;
  return -1;
}

double
sw_document_get_dt_ms (SwDocument *doc)
{
  g_return_val_if_fail (doc != NULL, 0.0);
  return doc->dt_ms;
}

double
sw_document_get_duration_ms (SwDocument *doc)
{
  g_return_val_if_fail (doc != NULL, 0.0);
  return doc->duration_ms;
}

double
sw_document_get_warmup_ms (SwDocument *doc)
{
  g_return_val_if_fail (doc != NULL, 0.0);
  return doc->warmup_ms;
}

guint64
sw_document_get_seed (SwDocument *doc)
{
  g_return_val_if_fail (doc != NULL, 0);
  return doc->seed;
}

int
sw_document_get_threads (SwDocument *doc)
{
  g_return_val_if_fail (doc != NULL, 0);
  return doc->threads;
}

double
sw_document_get_max_rate_hz (SwDocument *doc)
{
  g_return_val_if_fail (doc != NULL, 0.0);
  return doc->max_rate_hz;
}

/* Setting single values */

typedef struct
{
  SwValue *slot;          /* the value to replace */
  char *path;             /* its path, as fail() formats it */
  GPtrArray *added_to;    /* a parameter entry appended here, to remove on failure */
} Target;

static void
target_clear (Target *t)
{
  g_clear_pointer (&t->path, g_free);
}

static gboolean
set_fail (SwDocument *doc, GError **error, int code, const char *name, const char *format,
          ...) G_GNUC_PRINTF (5, 6);

static gboolean
set_fail (SwDocument *doc, GError **error, int code, const char *name, const char *format, ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SW_DOCUMENT_ERROR, code, "%s: %s: %s", doc->display_name, name, msg);
  return FALSE;
}

static const char *const sim_set_fields[] = {
  "dt", "duration", "warmup", "seed", "threads", "max_rate", NULL
};
static const char *const proj_set_fields[] = { "weight", "delay", "p", "k", NULL };
static const char *const poisson_stim_set_fields[] = {
  "weight", "rate", "n_sources", "first", "count", NULL
};
static const char *const current_stim_set_fields[] = { "amplitude", "first", "count", NULL };

/* The value of a profile that one number sets: the shorthand or the
 * amplitude of the only component. */
static gboolean
profile_target (SwDocument *doc, SwDocProfile *p, const char *name, const char *base,
                Target *t, GError **error)
{
  if (p->shorthand)
    {
      t->slot = &p->value;
      t->path = g_strdup (base);
      return TRUE;
    }
  if (p->waves->len == 1)
    {
      t->slot = &g_array_index (p->waves, SwDocWave, 0).amplitude;
      t->path = g_strdup_printf ("%s[0].amplitude", base);
      return TRUE;
    }
  return set_fail (doc, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, name,
                   "the profile has %u components; change them in the document",
                   p->waves->len);
}

static gboolean
dist_target (SwDocument *doc, SwDocDist *d, const char *name, const char *base, Target *t,
             GError **error)
{
  if (!d->is_dist)
    {
      t->slot = &d->a;
      t->path = g_strdup (base);
      return TRUE;
    }
  switch (d->kind)
    {
    case SW_DIST_NORMAL:
    case SW_DIST_NORMAL_CLIPPED:
      /* The mean moves; the spread stays. */
      t->slot = &d->a;
      t->path = g_strdup_printf ("%s.mean", base);
      return TRUE;
    case SW_DIST_CONSTANT:
      t->slot = &d->a;
      t->path = g_strdup_printf ("%s.value", base);
      return TRUE;
    case SW_DIST_UNIFORM:
    case SW_N_DISTS:
    default:
      return set_fail (doc, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, name,
                       "a uniform distribution has no single value to set; change low "
                       "and high in the document");
    }
}

static gboolean
fail_unknown_field (SwDocument *doc, GError **error, const char *name, const char *owner,
                    const char *field, const char *const *fields, gssize n)
{
  GString *msg = g_string_new (NULL);
  gboolean r;

  g_string_append_printf (msg, "%s has nothing named '%s'", owner, field);
  if (!sw_suggest_append (msg, field, fields, n))
    {
      g_autofree char *list = join_names (fields, n);
      g_string_append_printf (msg, " (it has: %s)", list);
    }
  r = set_fail (doc, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, name, "%s", msg->str);
  g_string_free (msg, TRUE);
  return r;
}

/* One field of one component of a profile: @sub is what follows the
 * profile's name in "ITEM.rate[K].FIELD", that is "[K].FIELD".  A profile
 * written as one value has one component, a constant, whose amplitude is
 * that value. */
/* NAME.WORD[K].FIELD for every field of every component of @p. */
static void
list_wave_fields (GPtrArray *out, const char *name, const char *word, const SwDocProfile *p)
{
  if (p->shorthand)
    {
      g_ptr_array_add (out, g_strdup_printf ("%s.%s[0].amplitude", name, word));
      return;
    }
  for (guint k = 0; k < p->waves->len; k++)
    {
      SwWaveKind kind = g_array_index (p->waves, SwDocWave, k).kind;
      for (int i = 1; wave_fields[kind][i] != NULL; i++)
        g_ptr_array_add (out, g_strdup_printf ("%s.%s[%u].%s", name, word, k,
                                               wave_fields[kind][i]));
    }
}

static gboolean
wave_target (SwDocument *doc, SwDocProfile *p, const char *name, const char *base,
             const char *sub, Target *t, GError **error)
{
  const char *field;
  char *end = NULL;
  guint64 k;
  guint n = p->shorthand ? 1 : p->waves->len;
  SwDocWave *w;

  k = g_ascii_strtoull (sub + 1, &end, 10);
  if (sub[0] != '[' || end == sub + 1 || end[0] != ']' || end[1] != '.')
    return set_fail (doc, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, name,
                     "expected a component and a field, such as %s[0].amplitude", base);
  field = end + 2;
  if (k >= n)
    return set_fail (doc, error, SW_DOCUMENT_ERROR_RANGE, name,
                     "the profile has %u component%s; the first is [0]", n, n == 1 ? "" : "s");
  if (p->shorthand)
    {
      static const char *const fields[] = { "amplitude", NULL };
      if (strcmp (field, "amplitude") != 0)
        return fail_unknown_field (doc, error, name, "a constant profile", field, fields, -1);
      t->slot = &p->value;
      t->path = g_strdup (base);
      return TRUE;
    }
  w = &g_array_index (p->waves, SwDocWave, k);
  if (!g_strv_contains (wave_fields[w->kind] + 1, field))
    {
      g_autofree char *owner = g_strdup_printf ("a %s component",
                                                sw_waveform_kind_name (w->kind));
      return fail_unknown_field (doc, error, name, owner, field, wave_fields[w->kind] + 1, -1);
    }
  t->slot = wave_field (w, field);
  t->path = g_strdup_printf ("%s[%u].%s", base, (guint) k, field);
  return TRUE;
}

static gboolean
resolve_target (SwDocument *doc, const char *name, Target *t, GError **error)
{
  const char *dot = strchr (name, '.');
  g_autofree char *head = NULL;
  const char *field;
  int index;

  memset (t, 0, sizeof *t);

  if (dot == NULL)
    {
      SwDocVariable *var;
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      GString *msg;
      gboolean r;

      index = sw_document_find_variable (doc, name);
      if (index >= 0)
        {
          var = doc->variables->pdata[index];
          t->slot = &var->value;
          t->path = var->shorthand ? g_strdup_printf ("variables.%s", name)
                    : g_strdup_printf ("variables.%s.value", name);
          return TRUE;
        }
      for (guint i = 0; i < doc->variables->len; i++)
        g_ptr_array_add (names, ((SwDocVariable *) doc->variables->pdata[i])->name);
      msg = g_string_new (NULL);
      g_string_append_printf (msg, "the document has no variable '%s'", name);
      if (!sw_suggest_append (msg, name, (const char *const *) names->pdata, names->len))
        {
          if (names->len > 0)
            {
              g_autofree char *list = join_names ((const char *const *) names->pdata,
                                                  names->len);
              g_string_append_printf (msg, " (variables: %s)", list);
            }
          g_string_append (msg, "; parameters are set as POPULATION.PARAMETER, "
                                "such as E.tau_m");
        }
      r = set_fail (doc, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, name, "%s", msg->str);
      g_string_free (msg, TRUE);
      return r;
    }

  head = g_strndup (name, dot - name);
  field = dot + 1;

  if (strcmp (head, "simulation") == 0)
    {
      SwValue *slots[] = {
        &doc->sim.dt, &doc->sim.duration, &doc->sim.warmup,
        &doc->sim.seed, &doc->sim.threads, &doc->sim.max_rate,
      };
      index = name_index (sim_set_fields, -1, field);
      if (index < 0)
        return fail_unknown_field (doc, error, name, "the simulation", field, sim_set_fields, -1);
      t->slot = slots[index];
      t->path = g_strdup_printf ("simulation.%s", field);
      return TRUE;
    }

  for (guint i = 0; i < doc->pops->len; i++)
    {
      SwDocPop *pop = doc->pops->pdata[i];
      g_autofree char *owner = NULL;

      if (strcmp (pop->name, head) != 0)
        continue;
      owner = g_strdup_printf ("population %s", pop->name);
      if (strcmp (field, "n") == 0)
        {
          t->slot = &pop->n;
          t->path = g_strdup_printf ("populations[%u].n", i);
          return TRUE;
        }
      if (pop->kind == SW_POP_POISSON)
        {
          g_autofree char *base = g_strdup_printf ("populations[%u].rate", i);
          static const char *const fields[] = { "n", "rate", NULL };

          if (strcmp (field, "rate") == 0)
            return profile_target (doc, &pop->rate, name, base, t, error);
          if (g_str_has_prefix (field, "rate["))
            return wave_target (doc, &pop->rate, name, base, field + 4, t, error);
          return fail_unknown_field (doc, error, name, owner, field, fields, -1);
        }
      if (pop->kind == SW_POP_SPIKE_TIMES)
        {
          static const char *const fields[] = { "n", NULL };
          return fail_unknown_field (doc, error, name, owner, field, fields, -1);
        }
      {
        const SwNeuronType *type = sw_neuron_type_lookup (pop->model);
        g_autofree const char **names = g_new0 (const char *, type->n_params + 2);
        SwDocParam *param;

        if (sw_param_find (type->params, type->n_params, field) < 0)
          {
            for (int k = 0; k < type->n_params; k++)
              names[k] = type->params[k].name;
            names[type->n_params] = "n";
            g_free (owner);
            owner = g_strdup_printf ("population %s (%s)", pop->name, type->name);
            return fail_unknown_field (doc, error, name, owner, field, names, -1);
          }
        t->path = g_strdup_printf ("populations[%u].params.%s", i, field);
        for (guint k = 0; k < pop->params->len; k++)
          {
            param = pop->params->pdata[k];
            if (strcmp (param->name, field) == 0)
              {
                t->slot = &param->value;
                return TRUE;
              }
          }
        /* Not in the document yet: add it. */
        param = g_new0 (SwDocParam, 1);
        param->name = g_strdup (field);
        g_ptr_array_add (pop->params, param);
        t->slot = &param->value;
        t->added_to = pop->params;
        return TRUE;
      }
    }

  for (guint i = 0; i < doc->projs->len; i++)
    {
      SwDocProj *proj = doc->projs->pdata[i];
      g_autofree char *owner = NULL;
      g_autofree char *base = NULL;

      if (strcmp (proj->auto_name, head) != 0)
        continue;
      owner = g_strdup_printf ("projection %s", proj->auto_name);
      base = g_strdup_printf ("projections[%u].%s", i, field);
      if (strcmp (field, "weight") == 0)
        return dist_target (doc, &proj->weight, name, base, t, error);
      if (strcmp (field, "delay") == 0)
        return dist_target (doc, &proj->delay, name, base, t, error);
      if (strcmp (field, "p") == 0 && proj->rule == SW_CONN_FIXED_PROBABILITY)
        {
          t->slot = &proj->p;
          t->path = g_steal_pointer (&base);
          return TRUE;
        }
      if (strcmp (field, "k") == 0
          && (proj->rule == SW_CONN_FIXED_INDEGREE || proj->rule == SW_CONN_FIXED_OUTDEGREE))
        {
          t->slot = &proj->k;
          t->path = g_steal_pointer (&base);
          return TRUE;
        }
      if (strcmp (field, "p") == 0 || strcmp (field, "k") == 0)
        return set_fail (doc, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, name,
                         "projection %s uses the rule %s, which has no '%s'",
                         proj->auto_name, rule_names[proj->rule], field);
      return fail_unknown_field (doc, error, name, owner, field, proj_set_fields, -1);
    }

  for (guint i = 0; i < doc->stims->len; i++)
    {
      SwDocStim *stim = doc->stims->pdata[i];
      const char *const *fields = stim->kind == SW_STIM_POISSON ? poisson_stim_set_fields
                                  : current_stim_set_fields;
      g_autofree char *owner = NULL;
      g_autofree char *base = NULL;

      if (strcmp (stim->auto_name, head) != 0)
        continue;
      owner = g_strdup_printf ("stimulus %s", stim->auto_name);
      {
        const char *word = stim->kind == SW_STIM_POISSON ? "rate" : "profile";
        gsize len = strlen (word);

        if (strncmp (field, word, len) == 0 && field[len] == '[')
          {
            base = g_strdup_printf ("stimuli[%u].%s", i, word);
            return wave_target (doc, &stim->profile, name, base, field + len, t, error);
          }
      }
      if (!g_strv_contains (fields, field))
        return fail_unknown_field (doc, error, name, owner, field, fields, -1);
      if (strcmp (field, "rate") == 0 || strcmp (field, "amplitude") == 0)
        {
          base = g_strdup_printf ("stimuli[%u].%s", i,
                                  stim->kind == SW_STIM_POISSON ? "rate" : "profile");
          return profile_target (doc, &stim->profile, name, base, t, error);
        }
      t->path = g_strdup_printf ("stimuli[%u].%s", i, field);
      t->slot = strcmp (field, "weight") == 0 ? &stim->weight
                : strcmp (field, "n_sources") == 0 ? &stim->n_sources
                : strcmp (field, "first") == 0 ? &stim->first
                : &stim->count;
      return TRUE;
    }

  {
    g_autoptr(GPtrArray) names = g_ptr_array_new ();
    GString *msg = g_string_new (NULL);
    gboolean r;

    g_ptr_array_add (names, (gpointer) "simulation");
    for (guint i = 0; i < doc->pops->len; i++)
      g_ptr_array_add (names, ((SwDocPop *) doc->pops->pdata[i])->name);
    for (guint i = 0; i < doc->projs->len; i++)
      g_ptr_array_add (names, ((SwDocProj *) doc->projs->pdata[i])->auto_name);
    for (guint i = 0; i < doc->stims->len; i++)
      g_ptr_array_add (names, ((SwDocStim *) doc->stims->pdata[i])->auto_name);
    g_string_append_printf (msg, "no population, projection or stimulus is named '%s'", head);
    if (!sw_suggest_append (msg, head, (const char *const *) names->pdata, names->len))
      {
        g_autofree char *list = join_names ((const char *const *) names->pdata, names->len);
        g_string_append_printf (msg, " (names: %s)", list);
      }
    r = set_fail (doc, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, name, "%s", msg->str);
    g_string_free (msg, TRUE);
    return r;
  }
}

/* Applies @value (already parsed) to the target @name, or restores. */
static gboolean
set_value_checked (SwDocument *doc, const char *name, const SwValue *value, GError **error)
{
  Target t;
  SwValue old;
  Ctx c;
  gboolean ok;

  if (!resolve_target (doc, name, &t, error))
    return FALSE;

  old = *t.slot;
  value_copy (t.slot, value);

  ctx_init (&c, doc);
  c.set_path = t.path;
  c.set_name = name;
  ok = validate (&c, error);
  ctx_clear (&c);

  if (ok)
    value_clear (&old);
  else
    {
      /* Put everything back as it was. */
      value_clear (t.slot);
      *t.slot = old;
      if (t.added_to != NULL)
        g_ptr_array_remove_index (t.added_to, t.added_to->len - 1);
      /* The cached values were not touched by the failed evaluation. */
    }
  target_clear (&t);
  return ok;
}

gboolean
sw_document_set (SwDocument *doc, const char *name, const char *value, GError **error)
{
  g_autofree char *owned_name = NULL;
  g_autofree char *text = NULL;
  SwValue v = { 0 };
  char *end = NULL;
  double number;
  gboolean ok;

  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (value == NULL)
    {
      const char *eq = strchr (name, '=');

      if (eq == NULL)
        {
          g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_ASSIGNMENT,
                       "%s: '%s' is not an assignment; write NAME=VALUE, such as "
                       "nu_ext=5 or E.tau_w=300ms", doc->display_name, name);
          return FALSE;
        }
      owned_name = g_strstrip (g_strndup (name, eq - name));
      text = g_strstrip (g_strdup (eq + 1));
    }
  else
    {
      owned_name = g_strstrip (g_strdup (name));
      text = g_strstrip (g_strdup (value));
    }

  if (*owned_name == '\0')
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_ASSIGNMENT,
                   "%s: the assignment '%s' names nothing; write NAME=VALUE",
                   doc->display_name, name);
      return FALSE;
    }
  if (*text == '\0')
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_ASSIGNMENT,
                   "%s: %s: the value is empty; write %s=VALUE",
                   doc->display_name, owned_name, owned_name);
      return FALSE;
    }

  /* A plain number is stored as one; anything else as written. */
  number = g_ascii_strtod (text, &end);
  if (end != text && *end == '\0' && isfinite (number) && !g_ascii_isalpha (*text))
    {
      v.kind = SW_VALUE_NUMBER;
      v.number = number;
      if (number == floor (number) && fabs (number) < 9e15 && strpbrk (text, ".eE") == NULL)
        {
          v.is_integer = TRUE;
          v.integer = (gint64) number;
        }
    }
  else
    {
      g_autoptr(GError) local = NULL;
      g_autoptr(SwExpr) expr = sw_expr_parse (text, &local);

      if (expr == NULL)
        {
          g_set_error (error, SW_DOCUMENT_ERROR, map_expr_code (local->code),
                       "%s: %s: '%s': %s", doc->display_name, owned_name, text, local->message);
          return FALSE;
        }
      v.kind = SW_VALUE_TEXT;
      v.text = g_strdup (text);
    }

  ok = set_value_checked (doc, owned_name, &v, error);
  value_clear (&v);
  return ok;
}

gboolean
sw_document_set_variable (SwDocument *doc, const char *name, double value, GError **error)
{
  SwValue v = { SW_VALUE_NUMBER, value, FALSE, 0, NULL };

  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (strchr (name, '.') != NULL || sw_document_find_variable (doc, name) < 0)
    {
      Target t;
      /* Let resolve_target() word the error (with "did you mean"). */
      if (strchr (name, '.') == NULL)
        return resolve_target (doc, name, &t, error);
      return set_fail (doc, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, name,
                       "not a variable; use sw_document_set() for fields");
    }
  if (!isfinite (value))
    return set_fail (doc, error, SW_DOCUMENT_ERROR_VALUE, name, "the value is not finite");
  return set_value_checked (doc, name, &v, error);
}

char **
sw_document_list_settable (SwDocument *doc)
{
  GPtrArray *out = g_ptr_array_new ();

  g_return_val_if_fail (doc != NULL, NULL);

  for (guint i = 0; i < doc->variables->len; i++)
    g_ptr_array_add (out, g_strdup (((SwDocVariable *) doc->variables->pdata[i])->name));
  for (guint i = 0; i < doc->pops->len; i++)
    {
      SwDocPop *pop = doc->pops->pdata[i];

      g_ptr_array_add (out, g_strdup_printf ("%s.n", pop->name));
      if (pop->kind == SW_POP_NEURONS)
        {
          const SwNeuronType *type = sw_neuron_type_lookup (pop->model);
          for (int k = 0; k < type->n_params; k++)
            g_ptr_array_add (out, g_strdup_printf ("%s.%s", pop->name, type->params[k].name));
        }
      else if (pop->kind == SW_POP_POISSON)
        {
          if (pop->rate.shorthand || pop->rate.waves->len == 1)
            g_ptr_array_add (out, g_strdup_printf ("%s.rate", pop->name));
          list_wave_fields (out, pop->name, "rate", &pop->rate);
        }
    }
  for (guint i = 0; i < doc->projs->len; i++)
    {
      SwDocProj *proj = doc->projs->pdata[i];

      if (!proj->weight.is_dist || proj->weight.kind != SW_DIST_UNIFORM)
        g_ptr_array_add (out, g_strdup_printf ("%s.weight", proj->auto_name));
      if (!proj->delay.is_dist || proj->delay.kind != SW_DIST_UNIFORM)
        g_ptr_array_add (out, g_strdup_printf ("%s.delay", proj->auto_name));
      if (proj->rule == SW_CONN_FIXED_PROBABILITY)
        g_ptr_array_add (out, g_strdup_printf ("%s.p", proj->auto_name));
      if (proj->rule == SW_CONN_FIXED_INDEGREE || proj->rule == SW_CONN_FIXED_OUTDEGREE)
        g_ptr_array_add (out, g_strdup_printf ("%s.k", proj->auto_name));
    }
  for (guint i = 0; i < doc->stims->len; i++)
    {
      SwDocStim *stim = doc->stims->pdata[i];
      const char *const *fields = stim->kind == SW_STIM_POISSON ? poisson_stim_set_fields
                                  : current_stim_set_fields;
      gboolean single = stim->profile.shorthand || stim->profile.waves->len == 1;

      for (int k = 0; fields[k] != NULL; k++)
        {
          if (!single && (strcmp (fields[k], "rate") == 0 || strcmp (fields[k], "amplitude") == 0))
            continue;
          g_ptr_array_add (out, g_strdup_printf ("%s.%s", stim->auto_name, fields[k]));
        }
      list_wave_fields (out, stim->auto_name, stim->kind == SW_STIM_POISSON ? "rate" : "profile",
                        &stim->profile);
    }
  for (int k = 0; sim_set_fields[k] != NULL; k++)
    g_ptr_array_add (out, g_strdup_printf ("simulation.%s", sim_set_fields[k]));
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Structural changes                                                        */

/* Makes @doc the document that @root describes, when that is valid: the
 * text is loaded as a new document and its contents swapped into @doc, so
 * a refused change leaves @doc untouched and callers keep their pointer. */
static gboolean
replace_from_root (SwDocument *doc, JsonNode *root, GError **error)
{
  g_autofree char *text = json_to_string (root, TRUE);
  SwDocument *fresh = sw_document_load_data (text, -1, doc->display_name, error);
  SwDocument old;
  char *path;

  if (fresh == NULL)
    return FALSE;
  old = *doc;
  *doc = *fresh;
  /* The file it came from stays the same. */
  path = doc->path;
  doc->path = old.path;
  old.path = path;
  *fresh = old;
  sw_document_free (fresh);
  return TRUE;
}

static JsonNode *
document_root (SwDocument *doc)
{
  g_autofree char *json = sw_document_to_json (doc);

  /* The document's own text always parses. */
  return json_from_string (json, NULL);
}

static SwDocProj *
find_proj (SwDocument *doc, const char *name)
{
  for (guint i = 0; i < doc->projs->len; i++)
    {
      SwDocProj *p = doc->projs->pdata[i];
      if (g_str_equal (p->auto_name, name))
        return p;
    }
  return NULL;
}

static SwDocStim *
find_stim (SwDocument *doc, const char *name, int *index)
{
  for (guint i = 0; i < doc->stims->len; i++)
    {
      SwDocStim *s = doc->stims->pdata[i];
      if (g_str_equal (s->auto_name, name))
        {
          if (index != NULL)
            *index = (int) i;
          return s;
        }
    }
  return NULL;
}

char *
sw_document_add_projection (SwDocument *doc, const char *pre, const char *post,
                            GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *name = NULL;
  JsonObject *o, *proj;
  JsonArray *projs;

  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (pre != NULL && post != NULL, NULL);

  if (find_pop (doc, pre, NULL) == NULL || find_pop (doc, post, NULL) == NULL)
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_UNKNOWN_NAME,
                   "%s: there is no population '%s'", doc->display_name,
                   find_pop (doc, pre, NULL) == NULL ? pre : post);
      return NULL;
    }

  name = g_strconcat (pre, post, NULL);
  for (int i = 2; find_proj (doc, name) != NULL || find_pop (doc, name, NULL) != NULL; i++)
    {
      g_free (name);
      name = g_strdup_printf ("%s%s%d", pre, post, i);
    }

  root = document_root (doc);
  o = json_node_get_object (root);
  if (!json_object_has_member (o, "projections"))
    json_object_set_array_member (o, "projections", json_array_new ());
  projs = json_object_get_array_member (o, "projections");
  proj = json_object_new ();
  json_object_set_string_member (proj, "name", name);
  json_object_set_string_member (proj, "pre", pre);
  json_object_set_string_member (proj, "post", post);
  json_object_set_string_member (proj, "rule", "fixed_probability");
  json_object_set_double_member (proj, "p", 0.05);
  json_object_set_int_member (proj, "weight", 1);
  json_array_add_object_element (projs, proj);

  if (!replace_from_root (doc, root, error))
    return NULL;
  return g_steal_pointer (&name);
}

gboolean
sw_document_remove_projection (SwDocument *doc, const char *name, GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonArray *projs;
  guint index;

  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  for (index = 0; index < doc->projs->len; index++)
    if (g_str_equal (((SwDocProj *) doc->projs->pdata[index])->auto_name, name))
      break;
  if (index == doc->projs->len)
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_UNKNOWN_NAME,
                   "%s: there is no projection '%s'", doc->display_name, name);
      return FALSE;
    }

  /* The JSON array holds the projections in the document's order. */
  root = document_root (doc);
  projs = json_object_get_array_member (json_node_get_object (root), "projections");
  json_array_remove_element (projs, index);
  return replace_from_root (doc, root, error);
}

char *
sw_document_unique_name (SwDocument *doc, const char *base)
{
  char *name;

  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (base != NULL, NULL);

  name = g_strdup (base);
  for (int i = 2; find_pop (doc, name, NULL) != NULL || find_proj (doc, name) != NULL
                  || find_stim (doc, name, NULL) != NULL;
       i++)
    {
      g_free (name);
      name = g_strdup_printf ("%s%d", base, i);
    }
  return name;
}

/* Appends @item to the array @field of @root, creating the array. */
static void
append_member (JsonNode *root, const char *field, JsonObject *item)
{
  JsonObject *o = json_node_get_object (root);

  if (!json_object_has_member (o, field))
    json_object_set_array_member (o, field, json_array_new ());
  json_array_add_object_element (json_object_get_array_member (o, field), item);
}

static gboolean
fail_taken (SwDocument *doc, const char *name, GError **error)
{
  g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_DUPLICATE,
               "%s: the name '%s' is taken; populations, projections and stimuli need "
               "names of their own", doc->display_name, name);
  return FALSE;
}

gboolean
sw_document_add_population (SwDocument *doc, const char *name, const char *model, int n,
                            gboolean inhibitory, GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *pop;

  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (name != NULL && model != NULL, FALSE);

  if (find_pop (doc, name, NULL) != NULL || find_proj (doc, name) != NULL
      || find_stim (doc, name, NULL) != NULL)
    return fail_taken (doc, name, error);
  root = document_root (doc);
  pop = json_object_new ();
  json_object_set_string_member (pop, "name", name);
  json_object_set_string_member (pop, "model", model);
  json_object_set_int_member (pop, "n", n);
  if (inhibitory)
    json_object_set_boolean_member (pop, "inhibitory", TRUE);
  append_member (root, "populations", pop);
  return replace_from_root (doc, root, error);
}

gboolean
sw_document_add_poisson_source (SwDocument *doc, const char *name, int n, double rate_hz,
                                GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *pop;

  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (find_pop (doc, name, NULL) != NULL || find_proj (doc, name) != NULL
      || find_stim (doc, name, NULL) != NULL)
    return fail_taken (doc, name, error);
  if (!isfinite (rate_hz))
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_VALUE,
                   "%s: the rate of the new source population is not finite",
                   doc->display_name);
      return FALSE;
    }
  root = document_root (doc);
  pop = json_object_new ();
  json_object_set_string_member (pop, "name", name);
  json_object_set_string_member (pop, "source", "poisson");
  json_object_set_int_member (pop, "n", n);
  json_object_set_double_member (pop, "rate", rate_hz);
  append_member (root, "populations", pop);
  return replace_from_root (doc, root, error);
}

char **
sw_document_list_dependents (SwDocument *doc, const char *pop)
{
  GPtrArray *out = g_ptr_array_new ();

  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (pop != NULL, NULL);

  for (guint i = 0; i < doc->projs->len; i++)
    {
      const SwDocProj *p = doc->projs->pdata[i];
      if (g_str_equal (p->pre, pop) || g_str_equal (p->post, pop))
        g_ptr_array_add (out, g_strdup (p->auto_name));
    }
  for (guint i = 0; i < doc->stims->len; i++)
    {
      const SwDocStim *s = doc->stims->pdata[i];
      if (g_str_equal (s->target, pop))
        g_ptr_array_add (out, g_strdup (s->auto_name));
    }
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

gboolean
sw_document_remove_population (SwDocument *doc, const char *name, GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *o;
  JsonArray *array;
  int index;

  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (find_pop (doc, name, &index) == NULL)
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_UNKNOWN_NAME,
                   "%s: there is no population '%s'", doc->display_name, name);
      return FALSE;
    }
  if (doc->pops->len == 1)
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_RANGE,
                   "%s: population %s is the only one; a network needs at least one",
                   doc->display_name, name);
      return FALSE;
    }

  /* The JSON arrays hold the items in the document's order; remove from
   * the back so that the indices stay valid. */
  root = document_root (doc);
  o = json_node_get_object (root);
  json_array_remove_element (json_object_get_array_member (o, "populations"), (guint) index);
  if (json_object_has_member (o, "projections"))
    {
      array = json_object_get_array_member (o, "projections");
      for (guint i = doc->projs->len; i-- > 0;)
        {
          const SwDocProj *p = doc->projs->pdata[i];
          if (g_str_equal (p->pre, name) || g_str_equal (p->post, name))
            json_array_remove_element (array, i);
        }
    }
  if (json_object_has_member (o, "stimuli"))
    {
      array = json_object_get_array_member (o, "stimuli");
      for (guint i = doc->stims->len; i-- > 0;)
        if (g_str_equal (((const SwDocStim *) doc->stims->pdata[i])->target, name))
          json_array_remove_element (array, i);
      if (json_array_get_length (array) == 0)
        json_object_remove_member (o, "stimuli");
    }

  /* Its place in the editor goes too. */
  if (json_object_has_member (o, "ui") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "ui")))
    {
      JsonObject *ui = json_object_get_object_member (o, "ui");
      JsonNode *network = json_object_get_member (ui, "network");

      if (network != NULL && JSON_NODE_HOLDS_OBJECT (network))
        {
          JsonNode *positions = json_object_get_member (json_node_get_object (network),
                                                        "positions");
          if (positions != NULL && JSON_NODE_HOLDS_OBJECT (positions)
              && json_object_has_member (json_node_get_object (positions), name))
            json_object_remove_member (json_node_get_object (positions), name);
        }
    }
  return replace_from_root (doc, root, error);
}

char *
sw_document_add_stimulus (SwDocument *doc, const char *target, SwStimKind kind, GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *base = NULL;
  g_autofree char *name = NULL;
  const SwDocPop *pop;
  JsonObject *stim;

  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (target != NULL, NULL);
  g_return_val_if_fail (kind == SW_STIM_POISSON || kind == SW_STIM_CURRENT, NULL);

  if ((pop = find_pop (doc, target, NULL)) == NULL)
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_UNKNOWN_NAME,
                   "%s: there is no population '%s'", doc->display_name, target);
      return NULL;
    }
  if (pop->kind != SW_POP_NEURONS)
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_INVALID,
                   "%s: %s is a source population; stimuli go into populations of neurons",
                   doc->display_name, target);
      return NULL;
    }

  base = g_strdup_printf ("%s_%s", kind == SW_STIM_POISSON ? "poisson" : "current", target);
  name = sw_document_unique_name (doc, base);
  stim = json_object_new ();
  json_object_set_string_member (stim, "name", name);
  json_object_set_string_member (stim, "type", kind == SW_STIM_POISSON ? "poisson" : "current");
  json_object_set_string_member (stim, "target", target);
  if (kind == SW_STIM_POISSON)
    {
      json_object_set_int_member (stim, "n_sources", 100);
      json_object_set_int_member (stim, "weight", 1);
      json_object_set_int_member (stim, "rate", 5);
    }
  else
    {
      const SwNeuronType *type = sw_neuron_type_lookup (pop->model);
      gboolean pa = type != NULL && g_strcmp0 (type->current_unit, "pA") == 0;
      JsonArray *profile = json_array_new ();
      JsonObject *pulse = json_object_new ();

      json_object_set_string_member (pulse, "waveform", "pulse");
      json_object_set_int_member (pulse, "amplitude", pa ? 100 : 10);
      json_object_set_int_member (pulse, "t0", 100);
      json_object_set_int_member (pulse, "duration", 50);
      json_array_add_object_element (profile, pulse);
      json_object_set_array_member (stim, "profile", profile);
    }
  root = document_root (doc);
  append_member (root, "stimuli", stim);
  if (!replace_from_root (doc, root, error))
    return NULL;
  return g_steal_pointer (&name);
}

gboolean
sw_document_remove_stimulus (SwDocument *doc, const char *name, GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *o;
  JsonArray *stims;
  int index;

  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (find_stim (doc, name, &index) == NULL)
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_UNKNOWN_NAME,
                   "%s: there is no stimulus '%s'", doc->display_name, name);
      return FALSE;
    }
  root = document_root (doc);
  o = json_node_get_object (root);
  stims = json_object_get_array_member (o, "stimuli");
  json_array_remove_element (stims, (guint) index);
  /* An empty list is the same as none; leave none, as a document without
   * stimuli is written. */
  if (json_array_get_length (stims) == 0)
    json_object_remove_member (o, "stimuli");
  return replace_from_root (doc, root, error);
}

const char *const *
sw_document_waveform_fields (SwWaveKind kind)
{
  g_return_val_if_fail (kind >= 0 && kind < SW_N_WAVES, NULL);

  /* Without the leading "waveform". */
  return wave_fields[kind] + 1;
}

gboolean
sw_document_waveform_field_required (SwWaveKind kind, const char *field)
{
  g_return_val_if_fail (kind >= 0 && kind < SW_N_WAVES, FALSE);
  g_return_val_if_fail (field != NULL, FALSE);

  return g_strv_contains (wave_required[kind], field);
}

/* The JSON member that holds the profile of @item in @root ("rate" or
 * "profile" of a population or stimulus), or NULL with @error set. */
static JsonObject *
profile_owner (SwDocument *doc, JsonNode *root, const char *item, const char **member,
               GError **error)
{
  JsonObject *o = json_node_get_object (root);
  const SwDocPop *pop;
  const SwDocStim *stim;
  int index;

  if ((pop = find_pop (doc, item, &index)) != NULL)
    {
      if (pop->kind != SW_POP_POISSON)
        {
          g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_UNKNOWN_NAME,
                       "%s: population %s has no rate profile; only Poisson sources do",
                       doc->display_name, item);
          return NULL;
        }
      *member = "rate";
      return json_array_get_object_element (json_object_get_array_member (o, "populations"),
                                            (guint) index);
    }
  if ((stim = find_stim (doc, item, &index)) != NULL)
    {
      *member = stim->kind == SW_STIM_POISSON ? "rate" : "profile";
      return json_array_get_object_element (json_object_get_array_member (o, "stimuli"),
                                            (guint) index);
    }
  g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_UNKNOWN_NAME,
               "%s: there is no Poisson population or stimulus '%s'", doc->display_name, item);
  return NULL;
}

/* The profile of @owner as an array of components: a single value becomes
 * one constant component. */
static JsonArray *
profile_array (JsonObject *owner, const char *member)
{
  JsonNode *node = json_object_get_member (owner, member);
  JsonArray *array;
  JsonObject *constant;

  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_node_get_array (node);
  constant = json_object_new ();
  json_object_set_string_member (constant, "waveform", "constant");
  json_object_set_member (constant, "amplitude", json_node_copy (node));
  array = json_array_new ();
  json_array_add_object_element (array, constant);
  json_object_set_array_member (owner, member, array);
  return array;
}

gboolean
sw_document_set_waveform (SwDocument *doc, const char *item, guint index, SwWaveKind kind,
                          GError **error)
{
  /* Defaults of the fields a shape needs, in canonical units (ms, Hz). */
  static const struct { const char *field; int value; } defaults[] = {
    { "amplitude", 0 }, { "t0", 100 }, { "duration", 100 }, { "tau1", 20 }, { "tau2", 50 },
    { "freq", 5 },
  };
  g_autoptr(JsonNode) root = NULL;
  const char *member = NULL;
  JsonObject *owner, *old, *wave;
  JsonArray *array;

  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (item != NULL, FALSE);
  g_return_val_if_fail (kind >= 0 && kind < SW_N_WAVES, FALSE);

  root = document_root (doc);
  if ((owner = profile_owner (doc, root, item, &member, error)) == NULL)
    return FALSE;
  array = profile_array (owner, member);
  if (index > json_array_get_length (array))
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_RANGE,
                   "%s: %s has %u waveform components; there is no component %u",
                   doc->display_name, item, json_array_get_length (array), index + 1);
      return FALSE;
    }
  old = index < json_array_get_length (array) ? json_array_get_object_element (array, index)
                                              : NULL;
  wave = json_object_new ();
  json_object_set_string_member (wave, "waveform", sw_waveform_kind_name (kind));
  for (int i = 1; wave_fields[kind][i] != NULL; i++)
    {
      const char *field = wave_fields[kind][i];
      gboolean keep = old != NULL && json_object_has_member (old, field)
                      && (strcmp (field, "amplitude") == 0 || strcmp (field, "t0") == 0);

      if (keep)
        json_object_set_member (wave, field, json_node_copy (json_object_get_member (old, field)));
      else if (g_strv_contains (wave_required[kind], field))
        for (guint k = 0; k < G_N_ELEMENTS (defaults); k++)
          if (strcmp (defaults[k].field, field) == 0)
            json_object_set_int_member (wave, field, defaults[k].value);
    }
  if (old != NULL)
    {
      json_array_remove_element (array, index);
      /* JSON-GLib has no insertion: rebuild the array around the new one. */
      {
        JsonArray *rebuilt = json_array_new ();
        guint n = json_array_get_length (array);

        for (guint i = 0; i <= n; i++)
          {
            if (i == index)
              json_array_add_object_element (rebuilt, json_object_ref (wave));
            if (i < n)
              json_array_add_element (rebuilt, json_node_copy (json_array_get_element (array, i)));
          }
        json_object_unref (wave);
        json_object_set_array_member (owner, member, rebuilt);
      }
    }
  else
    json_array_add_object_element (array, wave);
  return replace_from_root (doc, root, error);
}

gboolean
sw_document_remove_waveform (SwDocument *doc, const char *item, guint index, GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  const char *member = NULL;
  JsonObject *owner;
  JsonArray *array;

  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (item != NULL, FALSE);

  root = document_root (doc);
  if ((owner = profile_owner (doc, root, item, &member, error)) == NULL)
    return FALSE;
  array = profile_array (owner, member);
  if (index >= json_array_get_length (array))
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_RANGE,
                   "%s: %s has %u waveform components; there is no component %u",
                   doc->display_name, item, json_array_get_length (array), index + 1);
      return FALSE;
    }
  if (json_array_get_length (array) == 1)
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_RANGE,
                   "%s: %s: a profile needs at least one component", doc->display_name, item);
      return FALSE;
    }
  json_array_remove_element (array, index);
  return replace_from_root (doc, root, error);
}

static JsonObject *
positions_object (SwDocument *doc, gboolean create)
{
  JsonObject *ui, *network;

  if (doc->ui == NULL || !JSON_NODE_HOLDS_OBJECT (doc->ui))
    {
      if (!create)
        return NULL;
      g_clear_pointer (&doc->ui, json_node_unref);
      doc->ui = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (doc->ui, json_object_new ());
    }
  else if (create && json_node_is_immutable (doc->ui))
    {
      /* Loaded documents hold sealed nodes (an immutable parser): edit a
       * deep copy of their own. */
      g_autofree char *text = json_to_string (doc->ui, FALSE);
      JsonNode *copy = json_from_string (text, NULL);

      json_node_unref (doc->ui);
      doc->ui = copy;
    }
  ui = json_node_get_object (doc->ui);
  network = json_object_has_member (ui, "network")
              && JSON_NODE_HOLDS_OBJECT (json_object_get_member (ui, "network"))
            ? json_object_get_object_member (ui, "network") : NULL;
  if (network == NULL)
    {
      if (!create)
        return NULL;
      network = json_object_new ();
      json_object_set_object_member (ui, "network", network);
    }
  if (!json_object_has_member (network, "positions")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (network, "positions")))
    {
      if (!create)
        return NULL;
      json_object_set_object_member (network, "positions", json_object_new ());
    }
  return json_object_get_object_member (network, "positions");
}

gboolean
sw_document_get_node_position (SwDocument *doc, const char *pop, double *x, double *y)
{
  JsonObject *positions;
  JsonNode *node;
  JsonArray *xy;

  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (pop != NULL, FALSE);

  positions = positions_object (doc, FALSE);
  if (positions == NULL || (node = json_object_get_member (positions, pop)) == NULL
      || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  xy = json_node_get_array (node);
  /* The "ui" object is the workbench's own and not validated: check. */
  if (json_array_get_length (xy) != 2
      || !node_is_number (json_array_get_element (xy, 0))
      || !node_is_number (json_array_get_element (xy, 1)))
    return FALSE;
  if (x != NULL)
    *x = json_array_get_double_element (xy, 0);
  if (y != NULL)
    *y = json_array_get_double_element (xy, 1);
  return TRUE;
}

void
sw_document_set_node_position (SwDocument *doc, const char *pop, double x, double y)
{
  JsonObject *positions;
  JsonArray *xy;

  g_return_if_fail (doc != NULL);
  g_return_if_fail (pop != NULL);
  g_return_if_fail (isfinite (x) && isfinite (y));

  positions = positions_object (doc, TRUE);
  xy = json_array_new ();
  json_array_add_double_element (xy, x);
  json_array_add_double_element (xy, y);
  json_object_set_array_member (positions, pop, xy);
}
