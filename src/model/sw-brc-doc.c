/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The "brc" section of cells documents (docs/swk-format.md): the BRC
 * working-memory network's parameters, protocol and search size, read for
 * the brc command and for the workbench's task alike.
 */
#include "config.h"

#include "sw-brc-doc.h"

#include <math.h>
#include <string.h>

#include "sw-document.h"
#include "sw-expr.h"

/* A numeric member: a JSON number (in @unit) or an expression string. */
static gboolean
read_number (JsonObject *obj, const char *member, const char *path, SwScope *scope,
             const char *unit, double *value, GError **error)
{
  JsonNode *node = json_object_get_member (obj, member);
  if (node == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType t = json_node_get_value_type (node);
      if (t == G_TYPE_INT64 || t == G_TYPE_DOUBLE)
        {
          *value = json_node_get_double (node);
          return TRUE;
        }
      if (t == G_TYPE_STRING)
        {
          g_autoptr (GError) local = NULL;
          if (!sw_expr_eval_in_unit (json_node_get_string (node), scope, unit, value, &local))
            {
              g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_VALUE, "brc.%s%s%s: %s", path,
                           *path ? "." : "", member, local->message);
              return FALSE;
            }
          return TRUE;
        }
    }
  g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_VALUE,
               "brc.%s%s%s: expected a number or an expression%s%s", path, *path ? "." : "",
               member, *unit ? " in " : "", unit);
  return FALSE;
}

static gboolean
check_members (JsonObject *obj, const char *path, const char *const *allowed, GError **error)
{
  g_autoptr (GList) members = json_object_get_members (obj);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *m = l->data;
      gboolean ok = FALSE;
      for (int i = 0; allowed[i] != NULL && !ok; i++)
        ok = strcmp (allowed[i], m) == 0;
      if (!ok)
        {
          g_autofree char *list = g_strjoinv (", ", (char **) allowed);
          g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_VALUE,
                       "brc%s%s: unknown field '%s'; expected one of %s", *path ? "." : "", path,
                       m, list);
          return FALSE;
        }
    }
  return TRUE;
}

static JsonObject *
get_object (JsonObject *obj, const char *member, const char *path, GError **error)
{
  JsonNode *node = json_object_get_member (obj, member);
  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_VALUE, "brc%s%s.%s: expected an object",
                   *path ? "." : "", path, member);
      return NULL;
    }
  return json_node_get_object (node);
}

/* "synapses": {"ee_ampa_soma": {"g": ..., "p": ...}, ..., "noise": {"g": ...}}
 * and "densities": {"e_soma": {"leak": ..., "km": ...}, ...}: every leaf
 * is the parameter GROUP.KEY of sw-brc-params.h. */
static gboolean
read_groups (JsonObject *sec, const char *member, SwScope *scope, SwBrcParams *p, GError **error)
{
  if (!json_object_has_member (sec, member))
    return TRUE;
  JsonObject *groups = get_object (sec, member, "", error);
  if (groups == NULL)
    return FALSE;
  g_autoptr (GList) names = json_object_get_members (groups);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *group = l->data;
      g_autofree char *path = g_strdup_printf ("%s.%s", member, group);
      JsonObject *leafs = get_object (groups, group, member, error);
      if (leafs == NULL)
        return FALSE;
      g_autoptr (GList) keys = json_object_get_members (leafs);
      for (GList *k = keys; k != NULL; k = k->next)
        {
          g_autofree char *name = g_strdup_printf ("%s.%s", group, (const char *) k->data);
          double *slot = sw_brc_param_slot (p, name);
          if (slot == NULL)
            {
              g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_VALUE,
                           "brc.%s.%s: unknown parameter '%s'", path, (const char *) k->data, name);
              return FALSE;
            }
          if (!read_number (leafs, k->data, path, scope, sw_brc_param_unit (name), slot, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
read_condition (JsonObject *sec, SwScope *scope, SwBrcParams *p, GError **error)
{
  JsonNode *node = json_object_get_member (sec, "condition");
  if (node == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      int c = sw_brc_condition_from_name (json_node_get_string (node));
      if (c >= 0)
        {
          p->condition = c;
          return TRUE;
        }
    }
  /* Otherwise a number or an expression (a variable) giving the index:
   * 0 ampa-soma, 1 ampa-dend, 2 nmda-soma, 3 nmda-dend. */
  double v = -1;
  if (!read_number (sec, "condition", "", scope, "", &v, error))
    return FALSE;
  if (!(v >= 0 && v <= SW_BRC_N_CONDITIONS - 1 && v == floor (v)))
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_VALUE,
                   "brc.condition: expected ampa-soma, ampa-dend, nmda-soma, nmda-dend or an "
                   "index 0..3, got %g",
                   v);
      return FALSE;
    }
  p->condition = (SwBrcCondition) v;
  return TRUE;
}


static gboolean
params_from_section (JsonObject *sec, SwScope *scope, SwBrcParams *p, int *rounds, int *candidates,
                     GError **error)
{
  static const char *const top[] = {
    "condition", "all_intrinsic", "seed", "repeats", "dt", "duration", "ridge_lambda",
    "synapses", "densities", "search", NULL,
  };
  if (!check_members (sec, "", top, error))
    return FALSE;
  if (!read_condition (sec, scope, p, error))
    return FALSE;

  double intrinsic = p->all_intrinsic, seed = (double) p->seed, repeats = p->n_repeats;
  if (!read_number (sec, "all_intrinsic", "", scope, "", &intrinsic, error)
      || !read_number (sec, "seed", "", scope, "", &seed, error)
      || !read_number (sec, "repeats", "", scope, "", &repeats, error)
      || !read_number (sec, "dt", "", scope, "ms", &p->proto.dt_ms, error)
      || !read_number (sec, "duration", "", scope, "ms", &p->proto.t_stop_ms, error)
      || !read_number (sec, "ridge_lambda", "", scope, "", &p->readout.lambda, error))
    return FALSE;
  JsonNode *ai = json_object_get_member (sec, "all_intrinsic");
  if (ai != NULL && JSON_NODE_HOLDS_VALUE (ai) && json_node_get_value_type (ai) == G_TYPE_BOOLEAN)
    intrinsic = json_node_get_boolean (ai);
  if (!(seed >= 0 && seed <= 9007199254740992.0 && seed == floor (seed)))
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_VALUE,
                   "brc.seed: expected a whole number >= 0, got %g", seed);
      return FALSE;
    }
  if (!(repeats >= 2 && repeats <= SW_BRC_MAX_FOLDS && repeats == floor (repeats)))
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_VALUE,
                   "brc.repeats: expected a whole number 2..%d, got %g", SW_BRC_MAX_FOLDS, repeats);
      return FALSE;
    }
  p->all_intrinsic = intrinsic != 0;
  p->seed = (uint64_t) seed;
  p->n_repeats = (int) repeats;

  if (!read_groups (sec, "synapses", scope, p, error)
      || !read_groups (sec, "densities", scope, p, error))
    return FALSE;

  if (json_object_has_member (sec, "search"))
    {
      JsonObject *s = get_object (sec, "search", "", error);
      static const char *const allowed[] = { "rounds", "candidates", NULL };
      if (s == NULL || !check_members (s, "search", allowed, error))
        return FALSE;
      double r = *rounds, c = *candidates;
      if (!read_number (s, "rounds", "search", scope, "", &r, error)
          || !read_number (s, "candidates", "search", scope, "", &c, error))
        return FALSE;
      if (!(r >= 1 && r <= 1000 && c >= 1 && c <= 100000 && r == floor (r) && c == floor (c)))
        {
          g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_VALUE,
                       "brc.search: rounds must be 1..1000 and candidates 1..100000, got %g and %g",
                       r, c);
          return FALSE;
        }
      *rounds = (int) r;
      *candidates = (int) c;
    }
  return TRUE;
}

gboolean
sw_brc_doc_read (SwCellsDoc *doc, SwBrcParams *p, int *rounds, int *candidates, GError **error)
{
  int r = 1, c = 1;
  JsonNode *sec = sw_cells_doc_get_section (doc, "brc");

  if (sec == NULL || !JSON_NODE_HOLDS_OBJECT (sec))
    {
      g_set_error (error, SW_DOCUMENT_ERROR,
                   sec == NULL ? SW_DOCUMENT_ERROR_MISSING_FIELD : SW_DOCUMENT_ERROR_TYPE,
                   "%s: %s (see preset:brc-network)", sw_cells_doc_get_display_name (doc),
                   sec == NULL ? "no \"brc\" section" : "\"brc\" must be an object");
      return FALSE;
    }
  if (rounds != NULL)
    r = *rounds;
  if (candidates != NULL)
    c = *candidates;
  if (!params_from_section (json_node_get_object (sec), sw_cells_doc_get_scope (doc), p, &r, &c,
                            error))
    {
      g_prefix_error (error, "%s: ", sw_cells_doc_get_display_name (doc));
      return FALSE;
    }
  if (rounds != NULL)
    *rounds = r;
  if (candidates != NULL)
    *candidates = c;
  return TRUE;
}
