/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Loading neural-mass documents.
 */
#include "config.h"

#include "sw-mass-doc.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "sw-document.h"
#include "sw-expr.h"
#include "sw-presets.h"
#include "sw-suggest.h"

typedef struct
{
  const char *location;
  const char *dir;
  SwScope *scope;
  GHashTable *sets;        /* name -> value text */
  GHashTable *used;        /* names of sets applied */
} Ctx;

static gboolean G_GNUC_PRINTF (4, 5)
fail (Ctx *c, GError **error, int code, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, SW_DOCUMENT_ERROR, code, "%s: %s", c->location, msg);
  return FALSE;
}

static gboolean
check_fields (Ctx *c, JsonObject *o, const char *where, const char *const *allowed, GError **error)
{
  g_autoptr (GList) members = json_object_get_members (o);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      if (g_strv_contains (allowed, name))
        continue;
      g_autoptr (GString) msg = g_string_new (NULL);
      g_string_printf (msg, "%s%sunknown field '%s'", where, where[0] ? ": " : "", name);
      if (!sw_suggest_append (msg, name, allowed, -1))
        {
          g_autofree char *list = g_strjoinv (", ", (char **) allowed);
          g_string_append_printf (msg, " (fields: %s)", list);
        }
      return fail (c, error, SW_DOCUMENT_ERROR_UNKNOWN_FIELD, "%s", msg->str);
    }
  return TRUE;
}

static JsonObject *
get_object (Ctx *c, JsonObject *o, const char *name, const char *where, GError **error,
            gboolean *ok)
{
  *ok = TRUE;
  if (!json_object_has_member (o, name))
    return NULL;
  JsonNode *n = json_object_get_member (o, name);
  if (!JSON_NODE_HOLDS_OBJECT (n))
    {
      *ok = fail (c, error, SW_DOCUMENT_ERROR_TYPE, "%s%s%s: expected an object", where,
                  where[0] ? "." : "", name);
      return NULL;
    }
  return json_node_get_object (n);
}

static gboolean
get_string (Ctx *c, JsonObject *o, const char *name, const char *where, const char **out,
            GError **error)
{
  if (!json_object_has_member (o, name))
    return TRUE;
  JsonNode *n = json_object_get_member (o, name);
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return fail (c, error, SW_DOCUMENT_ERROR_TYPE, "%s%s%s: expected a string", where,
                 where[0] ? "." : "", name);
  *out = json_node_get_string (n);
  return TRUE;
}

/* Evaluates @text or @node (a number in @unit, or an expression) into
 * @unit; @field names it in messages. */
static gboolean
eval_text (Ctx *c, const char *text, const char *unit, const char *field, double *out, GError **error)
{
  g_autoptr (GError) local = NULL;
  if (!sw_expr_eval_in_unit (text, c->scope, unit, out, &local))
    {
      int code = SW_DOCUMENT_ERROR_EXPRESSION;
      if (local->domain == SW_EXPR_ERROR)
        {
          if (local->code == SW_EXPR_ERROR_UNDEFINED)
            code = SW_DOCUMENT_ERROR_UNDEFINED_VARIABLE;
          else if (local->code == SW_EXPR_ERROR_DIMENSION || local->code == SW_EXPR_ERROR_UNKNOWN_UNIT)
            code = SW_DOCUMENT_ERROR_UNIT;
          else if (local->code == SW_EXPR_ERROR_CYCLE)
            code = SW_DOCUMENT_ERROR_CYCLE;
        }
      return fail (c, error, code, "%s: '%s': %s", field, text, local->message);
    }
  if (!isfinite (*out))
    return fail (c, error, SW_DOCUMENT_ERROR_VALUE, "%s: '%s' is not finite", field, text);
  return TRUE;
}

static gboolean
eval_node (Ctx *c, JsonNode *n, const char *unit, const char *field, double *out, GError **error)
{
  if (JSON_NODE_HOLDS_VALUE (n))
    {
      GType t = json_node_get_value_type (n);
      if (t == G_TYPE_INT64 || t == G_TYPE_DOUBLE)
        {
          *out = json_node_get_double (n);
          return TRUE;
        }
      if (t == G_TYPE_STRING)
        return eval_text (c, json_node_get_string (n), unit, field, out, error);
    }
  return fail (c, error, SW_DOCUMENT_ERROR_TYPE, "%s: expected a number or an expression with a unit%s%s%s",
               field, unit[0] ? " (" : "", unit, unit[0] ? ")" : "");
}

/* A field of @o with its set override: sets win over the document. */
static gboolean
eval_member (Ctx *c, JsonObject *o, const char *name, const char *set_name, const char *unit,
             const char *where, double *out, GError **error)
{
  g_autofree char *field = g_strdup_printf ("%s%s%s", where, where[0] ? "." : "", name);
  if (set_name != NULL && g_hash_table_contains (c->sets, set_name))
    {
      g_hash_table_add (c->used, g_strdup (set_name));
      return eval_text (c, g_hash_table_lookup (c->sets, set_name), unit, field, out, error);
    }
  if (o == NULL || !json_object_has_member (o, name))
    return TRUE;
  return eval_node (c, json_object_get_member (o, name), unit, field, out, error);
}

static const char *const top_fields[] = {
  "format", "version", "kind", "name", "description", "explanation", "references", "variables",
  "simulation", "node", "network", "perturbation", "ui", NULL
};
static const char *const var_fields[] = { "value", "unit", "min", "max", "label", "description", NULL };
static const char *const sim_fields[] = {
  "dt", "duration", "warmup", "seed", "method", "noise_hold", "sample_rate", "threads", NULL
};
static const char *const node_fields[] = { "model", "parameters", "initial", NULL };
static const char *const net_fields[] = {
  "connectivity", "nodes", "seed", "normalisation", "coupling", "speed", "delays", NULL
};
static const char *const conn_fields[] = { "weights", "lengths", "distances", "labels", "centroids", NULL };
static const char *const pert_fields[] = { "source", "amplitude", "duration", "warmup", "window", NULL };
static const char *const methods[] = { "auto", "rk4", "heun", "exact", "euler", NULL };
static const char *const norms[] = { "lambda_max", "max", "row_sum", "none", NULL };

static gboolean
load_variables (Ctx *c, JsonObject *root, GError **error)
{
  gboolean ok;
  JsonObject *vars = get_object (c, root, "variables", "", error, &ok);
  if (!ok)
    return FALSE;
  if (vars == NULL)
    return TRUE;
  g_autoptr (GList) members = json_object_get_members (vars);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *n = json_object_get_member (vars, name);
      const char *unit = "";
      JsonNode *value = n;
      g_autofree char *where = g_strdup_printf ("variables.%s", name);
      if (JSON_NODE_HOLDS_OBJECT (n))
        {
          JsonObject *vo = json_node_get_object (n);
          if (!check_fields (c, vo, where, var_fields, error) || !get_string (c, vo, "unit", where, &unit, error))
            return FALSE;
          if (!json_object_has_member (vo, "value"))
            return fail (c, error, SW_DOCUMENT_ERROR_MISSING_FIELD, "%s: the field 'value' is missing", where);
          value = json_object_get_member (vo, "value");
        }
      g_autoptr (GError) local = NULL;
      const char *set = g_hash_table_lookup (c->sets, name);
      gboolean defined;
      if (set != NULL)
        {
          g_hash_table_add (c->used, g_strdup (name));
          /* A bare number is read in the variable's unit. */
          char *end = NULL;
          double v = g_ascii_strtod (set, &end);
          if (end != set && *g_strchug (end) == '\0')
            defined = sw_scope_define (c->scope, name, NULL, v, unit, &local);
          else
            defined = sw_scope_define (c->scope, name, set, 0.0, unit, &local);
        }
      else if (JSON_NODE_HOLDS_VALUE (value)
               && (json_node_get_value_type (value) == G_TYPE_INT64
                   || json_node_get_value_type (value) == G_TYPE_DOUBLE))
        defined = sw_scope_define (c->scope, name, NULL, json_node_get_double (value), unit, &local);
      else if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        defined = sw_scope_define (c->scope, name, json_node_get_string (value), 0.0, unit, &local);
      else
        return fail (c, error, SW_DOCUMENT_ERROR_TYPE, "%s: expected a number, an expression or an object", where);
      if (!defined)
        return fail (c, error, SW_DOCUMENT_ERROR_EXPRESSION, "%s: %s", where, local->message);
    }
  return TRUE;
}

static char *
resolve (Ctx *c, const char *path)
{
  if (g_path_is_absolute (path) || c->dir == NULL)
    return g_strdup (path);
  return g_build_filename (c->dir, path, NULL);
}

static gboolean
load_node (Ctx *c, SwMassDoc *doc, JsonObject *root, GError **error)
{
  gboolean ok;
  JsonObject *node = get_object (c, root, "node", "", error, &ok);
  if (!ok)
    return FALSE;
  if (node == NULL)
    return fail (c, error, SW_DOCUMENT_ERROR_MISSING_FIELD, "the field 'node' (the node model) is missing");
  if (!check_fields (c, node, "node", node_fields, error))
    return FALSE;
  const char *model = NULL;
  if (!get_string (c, node, "model", "node", &model, error))
    return FALSE;
  const SwMassType *const *list = sw_mass_type_list ();
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  for (int k = 0; list[k] != NULL; k++)
    g_ptr_array_add (names, (gpointer) list[k]->name);
  g_ptr_array_add (names, NULL);
  g_autofree char *all = g_strjoinv (", ", (char **) names->pdata);
  if (model == NULL)
    return fail (c, error, SW_DOCUMENT_ERROR_MISSING_FIELD, "node.model is missing (models: %s)", all);
  doc->type = sw_mass_type_lookup (model);
  if (doc->type == NULL)
    {
      g_autoptr (GString) msg = g_string_new (NULL);
      g_string_printf (msg, "node.model: unknown node model '%s'", model);
      sw_suggest_append (msg, model, (const char *const *) names->pdata, -1);
      g_string_append_printf (msg, " (models: %s)", all);
      return fail (c, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, "%s", msg->str);
    }
  const SwMassType *t = doc->type;
  sw_mass_type_defaults (t, doc->params);
  for (int k = 0; k < t->n_state; k++)
    doc->initial[k] = t->state[k].default_value;

  JsonObject *params = get_object (c, node, "parameters", "node", error, &ok);
  if (!ok)
    return FALSE;
  g_autoptr (GPtrArray) pnames = g_ptr_array_new ();
  for (int k = 0; k < t->n_params; k++)
    g_ptr_array_add (pnames, (gpointer) t->params[k].name);
  g_ptr_array_add (pnames, NULL);
  if (params != NULL)
    {
      g_autoptr (GList) members = json_object_get_members (params);
      for (GList *l = members; l != NULL; l = l->next)
        if (sw_mass_type_param (t, l->data) < 0)
          {
            g_autoptr (GString) msg = g_string_new (NULL);
            g_string_printf (msg, "node.parameters: model %s has no parameter '%s'", t->name,
                             (const char *) l->data);
            if (!sw_suggest_append (msg, l->data, (const char *const *) pnames->pdata, -1))
              {
                g_autofree char *pl = g_strjoinv (", ", (char **) pnames->pdata);
                g_string_append_printf (msg, " (parameters: %s)", pl);
              }
            return fail (c, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, "%s", msg->str);
          }
    }
  for (int k = 0; k < t->n_params; k++)
    {
      const SwParamInfo *pi = &t->params[k];
      if (!eval_member (c, params, pi->name, pi->name, pi->unit, "node.parameters", &doc->params[k], error))
        return FALSE;
      if (!sw_param_in_range (pi, doc->params[k]))
        return fail (c, error, SW_DOCUMENT_ERROR_RANGE,
                     "node.parameters.%s: %g %s is outside the allowed range %g to %g", pi->name,
                     doc->params[k], pi->unit, pi->min, pi->max);
      if ((pi->flags & SW_PARAM_INTEGER) && doc->params[k] != floor (doc->params[k]))
        return fail (c, error, SW_DOCUMENT_ERROR_VALUE, "node.parameters.%s: expected a whole number, found %g",
                     pi->name, doc->params[k]);
    }
  JsonObject *init = get_object (c, node, "initial", "node", error, &ok);
  if (!ok)
    return FALSE;
  if (init != NULL)
    {
      g_autoptr (GList) members = json_object_get_members (init);
      for (GList *l = members; l != NULL; l = l->next)
        {
          int k = sw_mass_type_state (t, l->data);
          if (k < 0)
            return fail (c, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, "node.initial: model %s has no state variable '%s'",
                         t->name, (const char *) l->data);
          g_autofree char *field = g_strdup_printf ("node.initial.%s", (const char *) l->data);
          if (!eval_node (c, json_object_get_member (init, l->data), t->state[k].unit, field,
                          &doc->initial[k], error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
load_simulation (Ctx *c, SwMassDoc *doc, JsonObject *root, GError **error)
{
  gboolean ok;
  JsonObject *sim = get_object (c, root, "simulation", "", error, &ok);
  if (!ok || (sim != NULL && !check_fields (c, sim, "simulation", sim_fields, error)))
    return FALSE;
  double seed = 1.0, threads = 1.0;
  if (!eval_member (c, sim, "dt", "dt", "s", "simulation", &doc->dt_s, error)
      || !eval_member (c, sim, "duration", "duration", "s", "simulation", &doc->duration_s, error)
      || !eval_member (c, sim, "warmup", "warmup", "s", "simulation", &doc->warmup_s, error)
      || !eval_member (c, sim, "noise_hold", "noise_hold", "s", "simulation", &doc->hold_s, error)
      || !eval_member (c, sim, "sample_rate", "sample_rate", "Hz", "simulation", &doc->sample_rate_hz, error)
      || !eval_member (c, sim, "seed", "seed", "", "simulation", &seed, error)
      || !eval_member (c, sim, "threads", "threads", "", "simulation", &threads, error))
    return FALSE;
  if (!(doc->dt_s > 0.0) || doc->dt_s > 0.1)
    return fail (c, error, SW_DOCUMENT_ERROR_RANGE, "simulation.dt: expected a step between 0 and 100 ms, found %g s", doc->dt_s);
  if (!(doc->duration_s > 0.0) || doc->duration_s / doc->dt_s > 1e10)
    return fail (c, error, SW_DOCUMENT_ERROR_RANGE, "simulation.duration: expected a positive duration of at most 1e10 steps, found %g s",
                 doc->duration_s);
  if (doc->warmup_s < 0.0 || doc->warmup_s >= doc->duration_s)
    return fail (c, error, SW_DOCUMENT_ERROR_RANGE,
                 "simulation.warmup: expected 0 or more and less than the duration (%g s), found %g s",
                 doc->duration_s, doc->warmup_s);
  if (doc->hold_s < 0.0 || (doc->hold_s > 0.0 && doc->hold_s < doc->dt_s))
    return fail (c, error, SW_DOCUMENT_ERROR_RANGE, "simulation.noise_hold: expected at least the step (%g s), found %g s",
                 doc->dt_s, doc->hold_s);
  if (doc->sample_rate_hz < 0.0)
    return fail (c, error, SW_DOCUMENT_ERROR_RANGE, "simulation.sample_rate: expected a rate >= 0, found %g Hz",
                 doc->sample_rate_hz);
  if (seed < 0.0 || seed != floor (seed) || seed > 9007199254740992.0)
    return fail (c, error, SW_DOCUMENT_ERROR_VALUE, "simulation.seed: expected a whole number >= 0, found %g", seed);
  doc->seed = (guint64) seed;
  if (threads < 1.0 || threads > 256.0 || threads != floor (threads))
    return fail (c, error, SW_DOCUMENT_ERROR_RANGE, "simulation.threads: expected a whole number from 1 to 256, found %g", threads);
  doc->threads = (int) threads;
  const char *method = "auto";
  if (sim != NULL && !get_string (c, sim, "method", "simulation", &method, error))
    return FALSE;
  int m = -1;
  for (int k = 0; methods[k] != NULL; k++)
    if (strcmp (methods[k], method) == 0)
      m = k;
  if (m < 0)
    {
      g_autoptr (GString) msg = g_string_new (NULL);
      g_string_printf (msg, "simulation.method: unknown method '%s'", method);
      sw_suggest_append (msg, method, methods, -1);
      g_string_append (msg, " (methods: auto, rk4, heun, exact, euler)");
      return fail (c, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, "%s", msg->str);
    }
  doc->method = (SwMassMethod) m;
  return TRUE;
}

gboolean
sw_mass_doc_update_network (SwMassDoc *doc, GError **error)
{
  if (doc->net == NULL)
    return TRUE;
  int n = doc->net->n;
  SwError err;
  g_free (doc->weights);
  doc->weights = g_new (double, (size_t) n * n);
  if (sw_mass_normalise (doc->net->weights, n, doc->norm, doc->weights, &err) != SW_OK)
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_VALUE, "%s: network.normalisation: %s",
                   doc->location, err.text);
      return FALSE;
    }
  g_clear_pointer (&doc->delay_steps, g_free);
  if (doc->delays && doc->net->lengths_mm != NULL)
    {
      doc->delay_steps = g_new (int, (size_t) n * n);
      int ib = -1, jb = -1;
      if (sw_mass_delay_steps (doc->weights, doc->net->lengths_mm, n, doc->speed_m_s, doc->dt_s,
                               doc->delay_steps, &ib, &jb, &err) != SW_OK)
        {
          if (ib >= 0)
            {
              double len = doc->net->lengths_mm[(size_t) ib * n + jb];
              g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_RANGE,
                           "%s: network: the delay from %s to %s is %g s (%g mm at %g m/s); the history "
                           "holds at most %g s: raise network.speed or shorten the lengths (%s)",
                           doc->location, doc->net->labels[jb], doc->net->labels[ib],
                           len / doc->speed_m_s * 1e-3, len, doc->speed_m_s, SW_MASS_MAX_DELAY_S,
                           doc->net->source);
            }
          else
            g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_RANGE, "%s: network.speed: %s",
                         doc->location, err.text);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
load_network (Ctx *c, SwMassDoc *doc, JsonObject *root, GError **error)
{
  gboolean ok;
  JsonObject *net = get_object (c, root, "network", "", error, &ok);
  if (!ok)
    return FALSE;
  if (net == NULL)
    return TRUE;
  if (!check_fields (c, net, "network", net_fields, error))
    return FALSE;
  if (!json_object_has_member (net, "connectivity"))
    return fail (c, error, SW_DOCUMENT_ERROR_MISSING_FIELD,
                 "network.connectivity is missing (\"synthetic\" or an object naming CSV files)");
  JsonNode *conn = json_object_get_member (net, "connectivity");
  double nodes = 20.0, seed = 1.0;
  if (!eval_member (c, net, "nodes", NULL, "", "network", &nodes, error)
      || !eval_member (c, net, "seed", NULL, "", "network", &seed, error))
    return FALSE;
  g_autoptr (GError) local = NULL;
  if (JSON_NODE_HOLDS_VALUE (conn) && json_node_get_value_type (conn) == G_TYPE_STRING)
    {
      if (strcmp (json_node_get_string (conn), "synthetic") != 0)
        return fail (c, error, SW_DOCUMENT_ERROR_VALUE,
                     "network.connectivity: expected \"synthetic\" or an object naming CSV files, found '%s'",
                     json_node_get_string (conn));
      if (nodes != floor (nodes) || seed < 0.0 || seed != floor (seed))
        return fail (c, error, SW_DOCUMENT_ERROR_VALUE, "network.nodes and network.seed must be whole numbers");
      doc->net = sw_connectome_synthetic ((int) nodes, (guint64) seed, &local);
      if (doc->net == NULL)
        return fail (c, error, local->code, "network.nodes: %s", local->message);
    }
  else if (JSON_NODE_HOLDS_OBJECT (conn))
    {
      JsonObject *co = json_node_get_object (conn);
      if (!check_fields (c, co, "network.connectivity", conn_fields, error))
        return FALSE;
      const char *files[5] = { NULL };
      for (int k = 0; k < 5; k++)
        if (!get_string (c, co, conn_fields[k], "network.connectivity", &files[k], error))
          return FALSE;
      if (files[0] == NULL)
        return fail (c, error, SW_DOCUMENT_ERROR_MISSING_FIELD, "network.connectivity.weights is missing");
      char *p[5] = { NULL };
      for (int k = 0; k < 5; k++)
        p[k] = files[k] != NULL ? resolve (c, files[k]) : NULL;
      doc->net = sw_connectome_load (p[0], p[1], p[2], p[3], p[4], &local);
      for (int k = 0; k < 5; k++)
        g_free (p[k]);
      if (doc->net == NULL)
        {
          g_set_error (error, SW_DOCUMENT_ERROR, local->code, "%s: network.connectivity: %s", c->location,
                       local->message);
          return FALSE;
        }
    }
  else
    return fail (c, error, SW_DOCUMENT_ERROR_TYPE,
                 "network.connectivity: expected \"synthetic\" or an object naming CSV files");

  const char *norm = "lambda_max";
  if (!get_string (c, net, "normalisation", "network", &norm, error))
    return FALSE;
  int nk = sw_mass_norm_from_name (norm);
  if (nk < 0)
    {
      g_autoptr (GString) msg = g_string_new (NULL);
      g_string_printf (msg, "network.normalisation: unknown normalisation '%s'", norm);
      sw_suggest_append (msg, norm, norms, -1);
      g_string_append (msg, " (normalisations: lambda_max, max, row_sum, none)");
      return fail (c, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, "%s", msg->str);
    }
  doc->norm = (SwMassNorm) nk;
  doc->speed_m_s = 5.0;
  doc->delays = TRUE;
  if (!eval_member (c, net, "coupling", "G", "", "network", &doc->g, error)
      || !eval_member (c, net, "speed", "speed", "m/s", "network", &doc->speed_m_s, error))
    return FALSE;
  if (json_object_has_member (net, "delays"))
    {
      JsonNode *d = json_object_get_member (net, "delays");
      if (!JSON_NODE_HOLDS_VALUE (d) || json_node_get_value_type (d) != G_TYPE_BOOLEAN)
        return fail (c, error, SW_DOCUMENT_ERROR_TYPE, "network.delays: expected true or false");
      doc->delays = json_node_get_boolean (d);
    }
  if (!(doc->speed_m_s > 0.0) || doc->speed_m_s > 1000.0)
    return fail (c, error, SW_DOCUMENT_ERROR_RANGE, "network.speed: expected a speed above 0 and up to 1000 m/s, found %g m/s",
                 doc->speed_m_s);
  return sw_mass_doc_update_network (doc, error);
}

static gboolean
load_perturbation (Ctx *c, SwMassDoc *doc, JsonObject *root, GError **error)
{
  gboolean ok;
  JsonObject *pert = get_object (c, root, "perturbation", "", error, &ok);
  if (!ok || (pert != NULL && !check_fields (c, pert, "perturbation", pert_fields, error)))
    return FALSE;
  doc->pert_source = -1;
  doc->pert_amplitude = NAN;
  doc->pert_pulse_s = 0.01;
  doc->pert_warmup_s = 2.0;
  doc->pert_window_s = 0.5;
  const char *source = NULL;
  if (pert != NULL && !get_string (c, pert, "source", "perturbation", &source, error))
    return FALSE;
  const char *set_source = g_hash_table_lookup (c->sets, "source");
  if (set_source != NULL)
    {
      source = set_source;
      g_hash_table_add (c->used, g_strdup ("source"));
    }
  const SwParamInfo *input = &doc->type->params[doc->type->input_param];
  if (!eval_member (c, pert, "amplitude", "amplitude", input->unit, "perturbation", &doc->pert_amplitude, error)
      || !eval_member (c, pert, "duration", NULL, "s", "perturbation", &doc->pert_pulse_s, error)
      || !eval_member (c, pert, "warmup", NULL, "s", "perturbation", &doc->pert_warmup_s, error)
      || !eval_member (c, pert, "window", NULL, "s", "perturbation", &doc->pert_window_s, error))
    return FALSE;
  doc->has_perturbation = pert != NULL || set_source != NULL;
  if (!doc->has_perturbation)
    return TRUE;
  if (doc->net == NULL)
    return fail (c, error, SW_DOCUMENT_ERROR_MISSING_FIELD, "perturbation: needs a network (the field 'network')");
  if (!(doc->pert_pulse_s > 0.0) || !(doc->pert_window_s >= doc->pert_pulse_s) || !(doc->pert_warmup_s >= 0.0))
    return fail (c, error, SW_DOCUMENT_ERROR_RANGE,
                 "perturbation: expected a positive duration, a window at least as long, and a warm-up >= 0");
  if (source != NULL)
    {
      doc->pert_source = sw_connectome_find (doc->net, source);
      if (doc->pert_source < 0)
        {
          g_autoptr (GString) msg = g_string_new (NULL);
          g_string_printf (msg, "perturbation.source: no region '%s' in %s", source, doc->net->source);
          sw_suggest_append (msg, source, (const char *const *) doc->net->labels, -1);
          return fail (c, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, "%s", msg->str);
        }
    }
  return TRUE;
}

static gboolean
check_sets_used (Ctx *c, SwMassDoc *doc, GError **error)
{
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init (&it, c->sets);
  while (g_hash_table_iter_next (&it, &key, NULL))
    {
      if (g_hash_table_contains (c->used, key))
        continue;
      g_autoptr (GPtrArray) cands = g_ptr_array_new ();
      const GPtrArray *vars = sw_scope_get_names (c->scope);
      for (guint k = 0; k < vars->len; k++)
        g_ptr_array_add (cands, vars->pdata[k]);
      for (int k = 0; k < doc->type->n_params; k++)
        g_ptr_array_add (cands, (gpointer) doc->type->params[k].name);
      static const char *const extra[] = { "G", "speed", "dt", "duration", "warmup", "seed", "sample_rate",
                                           "noise_hold", "threads", "source", "amplitude" };
      for (guint k = 0; k < G_N_ELEMENTS (extra); k++)
        g_ptr_array_add (cands, (gpointer) extra[k]);
      g_ptr_array_add (cands, NULL);
      g_autoptr (GString) msg = g_string_new (NULL);
      g_string_printf (msg, "--set %s: no variable, node parameter or setting of that name", (const char *) key);
      sw_suggest_append (msg, key, (const char *const *) cands->pdata, -1);
      return fail (c, error, SW_DOCUMENT_ERROR_UNKNOWN_NAME, "%s", msg->str);
    }
  return TRUE;
}

void
sw_mass_doc_free (SwMassDoc *doc)
{
  if (doc == NULL)
    return;
  g_free (doc->location);
  g_free (doc->name);
  g_free (doc->description);
  g_free (doc->explanation);
  sw_connectome_free (doc->net);
  g_free (doc->weights);
  g_free (doc->delay_steps);
  g_free (doc->initial_nodes);
  g_free (doc);
}

SwMassDoc *
sw_mass_doc_load_data (const char *data, gssize length, const char *location, const char *dir,
                       char **sets, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  if (!json_parser_load_from_data (parser, data, length, &local))
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_SYNTAX, "%s: %s", location, local->message);
      return NULL;
    }
  JsonNode *root_node = json_parser_get_root (parser);
  if (root_node == NULL || !JSON_NODE_HOLDS_OBJECT (root_node))
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_FORMAT, "%s: expected a JSON object", location);
      return NULL;
    }
  JsonObject *root = json_node_get_object (root_node);
  g_autoptr (SwScope) scope = sw_scope_new ();
  g_autoptr (GHashTable) set_table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Ctx c = { location, dir, scope, set_table, used };
  for (int k = 0; sets != NULL && sets[k] != NULL; k++)
    {
      const char *eq = strchr (sets[k], '=');
      if (eq == NULL || eq == sets[k] || eq[1] == '\0')
        {
          g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_ASSIGNMENT,
                       "--set '%s': expected NAME=VALUE", sets[k]);
          return NULL;
        }
      g_hash_table_insert (set_table, g_strstrip (g_strndup (sets[k], eq - sets[k])), g_strstrip (g_strdup (eq + 1)));
    }
  if (!check_fields (&c, root, "", top_fields, error))
    return NULL;
  const char *kind = NULL;
  if (!get_string (&c, root, "kind", "", &kind, error))
    return NULL;
  if (kind == NULL || strcmp (kind, "mass") != 0)
    {
      fail (&c, error, SW_DOCUMENT_ERROR_FORMAT, "kind: expected \"mass\", found %s%s%s", kind ? "'" : "",
            kind ? kind : "none", kind ? "'" : "");
      return NULL;
    }
  g_autoptr (SwMassDoc) doc = g_new0 (SwMassDoc, 1);
  doc->location = g_strdup (location);
  doc->dt_s = 1e-4;
  doc->duration_s = 10.0;
  doc->warmup_s = 2.0;
  doc->sample_rate_hz = 0.0;
  const char *s = NULL;
  if (!get_string (&c, root, "name", "", &s, error))
    return NULL;
  doc->name = g_strdup (s != NULL ? s : "");
  s = NULL;
  if (!get_string (&c, root, "description", "", &s, error))
    return NULL;
  doc->description = g_strdup (s != NULL ? s : "");
  s = NULL;
  if (!get_string (&c, root, "explanation", "", &s, error))
    return NULL;
  doc->explanation = g_strdup (s != NULL ? s : "");

  if (!load_variables (&c, root, error) || !load_node (&c, doc, root, error)
      || !load_simulation (&c, doc, root, error) || !load_network (&c, doc, root, error)
      || !load_perturbation (&c, doc, root, error) || !check_sets_used (&c, doc, error))
    return NULL;
  int n = sw_mass_doc_n_nodes (doc), ns = doc->type->n_state;
  doc->initial_nodes = g_new (double, (size_t) n * ns);
  for (int i = 0; i < n; i++)
    memcpy (doc->initial_nodes + (size_t) i * ns, doc->initial, ns * sizeof (double));
  return g_steal_pointer (&doc);
}

SwMassDoc *
sw_mass_doc_load (const char *location, char **sets, GError **error)
{
  if (g_str_has_prefix (location, "preset:"))
    {
      g_autoptr (GBytes) bytes = sw_presets_lookup (location + 7, error);
      if (bytes == NULL)
        return NULL;
      gsize len;
      const char *data = g_bytes_get_data (bytes, &len);
      return sw_mass_doc_load_data (data, (gssize) len, location, NULL, sets, error);
    }
  g_autofree char *text = NULL;
  gsize len;
  g_autoptr (GError) local = NULL;
  if (!g_file_get_contents (location, &text, &len, &local))
    {
      g_set_error (error, SW_DOCUMENT_ERROR,
                   g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT) ? SW_DOCUMENT_ERROR_NOT_FOUND
                                                                             : SW_DOCUMENT_ERROR_READ,
                   "%s", local->message);
      return NULL;
    }
  g_autofree char *dir = g_path_get_dirname (location);
  return sw_mass_doc_load_data (text, (gssize) len, location, dir, sets, error);
}

int
sw_mass_doc_n_nodes (const SwMassDoc *doc)
{
  return doc->net != NULL ? doc->net->n : 1;
}

const char *
sw_mass_doc_node_name (const SwMassDoc *doc, int i)
{
  return doc->net != NULL ? doc->net->labels[i] : "node";
}

void
sw_mass_doc_config (const SwMassDoc *doc, SwMassConfig *cfg)
{
  memset (cfg, 0, sizeof *cfg);
  cfg->type = doc->type;
  cfg->n_nodes = sw_mass_doc_n_nodes (doc);
  cfg->params = doc->params;
  cfg->weights = doc->net != NULL ? doc->weights : NULL;
  cfg->delay_steps = doc->delay_steps;
  cfg->g = doc->g;
  cfg->dt_s = doc->dt_s;
  cfg->hold_s = doc->hold_s;
  cfg->seed = doc->seed;
  cfg->method = doc->method;
  cfg->threads = doc->threads;
  /* Every node starts from the document's initial state. */
  cfg->initial = doc->initial_nodes;
}
