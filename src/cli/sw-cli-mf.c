/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The mean-field commands of spikeworks-cli: `mf` (fixed points and their
 * class) and `phase` (a UD/OD map over two document variables or
 * parameters).  The mean field is derived from the document's network (its E
 * and I populations, their projections and the external Poisson drive; see
 * sw_mf_config_from_spec) with a transfer-function coefficient set.
 */
#include "config.h"

#include "sw-cli.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "sw-meanfield.h"
#include "sw-units.h"

#define DEFAULT_COEFFS "dV19"

/* ------------------------------------------------------------------------ */
/* Coefficient sets: a built-in name or a JSON file                          */

/* {"E": {"P": [P0 .. P9 or P10, volts], "flags": ["legacy_tauV", ...]},
 *  "I": {...}} — the file `fit-tf` writes. */
static gboolean
read_coeff_entry (JsonObject *root, const char *pop, const char *path, SwTfCoeffs *out, GError **error)
{
  if (!json_object_has_member (root, pop) || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, pop)))
    {
      g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "%s: expected an object \"%s\" with the coefficients of %s",
                   path, pop, pop);
      return FALSE;
    }
  JsonObject *o = json_object_get_object_member (root, pop);
  JsonNode *pn = json_object_get_member (o, "P");
  if (pn == NULL || !JSON_NODE_HOLDS_ARRAY (pn))
    {
      g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "%s: %s.P: expected an array of 10 or 11 numbers (volts)",
                   path, pop);
      return FALSE;
    }
  JsonArray *a = json_node_get_array (pn);
  guint n = json_array_get_length (a);
  if (n != 10 && n != 11)
    {
      g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "%s: %s.P: expected 10 or 11 coefficients, found %u", path,
                   pop, n);
      return FALSE;
    }
  double p[SW_TF_MAX_COEFFS];
  for (guint k = 0; k < n; k++)
    {
      JsonNode *e = json_array_get_element (a, k);
      if (!JSON_NODE_HOLDS_VALUE (e) || (json_node_get_value_type (e) != G_TYPE_DOUBLE
                                         && json_node_get_value_type (e) != G_TYPE_INT64))
        {
          g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "%s: %s.P[%u]: expected a number", path, pop, k);
          return FALSE;
        }
      p[k] = json_node_get_double (e);
    }
  unsigned flags = 0;
  if (json_object_has_member (o, "flags"))
    {
      JsonNode *fn = json_object_get_member (o, "flags");
      if (!JSON_NODE_HOLDS_ARRAY (fn))
        {
          g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "%s: %s.flags: expected an array of names", path, pop);
          return FALSE;
        }
      JsonArray *fa = json_node_get_array (fn);
      for (guint k = 0; k < json_array_get_length (fa); k++)
        {
          const char *f = json_array_get_string_element (fa, k);
          if (g_strcmp0 (f, "legacy_tauV") == 0)
            flags |= SW_TF_LEGACY_TAU_V;
          else if (g_strcmp0 (f, "legacy_sigmaV") == 0)
            flags |= SW_TF_LEGACY_SIGMA_V;
          else
            {
              g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE,
                           "%s: %s.flags[%u]: unknown flag '%s' (known: legacy_tauV, legacy_sigmaV)", path, pop, k,
                           f ? f : "?");
              return FALSE;
            }
        }
    }
  SwError err;
  g_autofree char *name = g_strdup_printf ("%s %s", path, pop);
  if (sw_tf_coeffs_set (out, name, p, (int) n, flags, &err) != SW_OK)
    {
      g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "%s: %s: %s", path, pop, err.text);
      return FALSE;
    }
  return TRUE;
}

gboolean
sw_cli_apply_coeffs (SwMfConfig *cfg, const char *coeffs, GError **error)
{
  SwError err;
  if (coeffs == NULL)
    coeffs = DEFAULT_COEFFS;
  if (!g_file_test (coeffs, G_FILE_TEST_EXISTS) && strchr (coeffs, '/') == NULL && !g_str_has_suffix (coeffs, ".json"))
    {
      if (sw_mf_config_set_builtin_tf (cfg, coeffs, &err) != SW_OK)
        {
          g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "--coeffs %s: %s", coeffs, err.text);
          return FALSE;
        }
      return TRUE;
    }
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) inner = NULL;
  if (!json_parser_load_from_file (parser, coeffs, &inner))
    {
      g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "--coeffs %s: %s", coeffs, inner->message);
      return FALSE;
    }
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE,
                   "%s: expected a JSON object {\"E\": {\"P\": [...]}, \"I\": {\"P\": [...]}}", coeffs);
      return FALSE;
    }
  JsonObject *o = json_node_get_object (root);
  return read_coeff_entry (o, "E", coeffs, &cfg->e.tf, error)
         && read_coeff_entry (o, "I", coeffs, &cfg->i.tf, error);
}

/* The mean-field configuration of a document. */
gboolean
sw_cli_mf_config (SwDocument *doc, const char *coeffs, double t_ms, SwMfConfig *cfg, GError **error)
{
  SwNetSpec *spec = sw_document_build_spec (doc, error);
  if (spec == NULL)
    return FALSE;
  SwError err;
  memset (cfg, 0, sizeof *cfg);
  SwStatus st = sw_mf_config_from_spec (spec, cfg, &err);
  sw_net_spec_free (spec);
  if (st != SW_OK)
    {
      g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "%s: no mean field for this network: %s",
                   sw_document_get_display_name (doc), err.text);
      return FALSE;
    }
  if (!sw_cli_apply_coeffs (cfg, coeffs, error))
    return FALSE;
  if (t_ms > 0)
    cfg->t_ms = t_ms;
  if (sw_mf_config_validate (cfg, &err) != SW_OK)
    {
      g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "%s: %s", sw_document_get_display_name (doc), err.text);
      return FALSE;
    }
  return TRUE;
}

static void
add_fixed_point (JsonBuilder *b, const SwMfFixedPoint *fp)
{
  const SwMfStability *s = &fp->stab;
  json_builder_begin_object (b);
  sw_cli_json_add_number (b, "nu_e_hz", fp->nu_e_hz);
  sw_cli_json_add_number (b, "nu_i_hz", fp->nu_i_hz);
  sw_cli_json_add_number (b, "w_pa", fp->w_pa);
  json_builder_set_member_name (b, "quiescent");
  json_builder_add_boolean_value (b, fp->quiescent);
  json_builder_set_member_name (b, "stable");
  json_builder_add_boolean_value (b, s->stable);
  json_builder_set_member_name (b, "class");
  json_builder_add_string_value (b, sw_mf_class_name (s->cls));
  if (s->instability != SW_MF_INSTABILITY_NONE)
    {
      json_builder_set_member_name (b, "instability");
      json_builder_add_string_value (b, sw_mf_instability_name (s->instability));
    }
  sw_cli_json_add_number (b, "zeta", s->zeta);
  sw_cli_json_add_number (b, "f_d_hz", s->f_d_hz);
  json_builder_set_member_name (b, "eigenvalues");
  json_builder_begin_array (b);
  for (int k = 0; k < 3; k++)
    {
      json_builder_begin_object (b);
      sw_cli_json_add_number (b, "re", s->eig_re[k]);
      sw_cli_json_add_number (b, "im", s->eig_im[k]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "pairs");
  json_builder_begin_array (b);
  for (int k = 0; k < s->n_pairs; k++)
    {
      json_builder_begin_object (b);
      sw_cli_json_add_number (b, "zeta", s->pairs[k].zeta);
      sw_cli_json_add_number (b, "f_d_hz", s->pairs[k].f_d_hz);
      sw_cli_json_add_number (b, "decay_ms", s->pairs[k].decay_ms);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, s->pairs[k].fast ? "fast" : "slow");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "fast_block_underdamped");
  json_builder_add_boolean_value (b, s->fast_block_ud);
  json_builder_end_object (b);
}

int
sw_cli_mf (int argc, char **argv)
{
  g_auto (GStrv) sets = NULL;
  g_autofree char *coeffs = NULL, *t_s = NULL;
  GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Set a variable or parameter (repeatable)", "NAME=VALUE" },
    { "coeffs", 0, 0, G_OPTION_ARG_STRING, &coeffs, "Transfer-function coefficients: dV19 (default), S25 or a JSON file", "NAME|FILE" },
    { "T", 0, 0, G_OPTION_ARG_STRING, &t_s, "Time constant T of the rate equations (default 20 ms)", "TIME" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("DOC|preset:NAME — mean-field fixed points and their class");
  g_autoptr (GError) error = NULL;
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return sw_cli_fail (error);
  if (argc != 2)
    return sw_cli_usage ("mf needs exactly one document or preset:NAME");
  double t_ms = 0;
  if (t_s != NULL && !sw_cli_parse_time (t_s, "--T", &t_ms, &error))
    return sw_cli_fail (error);
  if (t_s != NULL && !(t_ms > 0))
    return sw_cli_usage ("--T must be a positive time");
  g_autoptr (SwDocument) doc = sw_cli_load_with_sets (argv[1], sets, &error);
  if (doc == NULL)
    return sw_cli_fail (error);
  SwMfConfig cfg;
  if (!sw_cli_mf_config (doc, coeffs, t_ms, &cfg, &error))
    return sw_cli_fail (error);

  SwMfFixedPoints fps;
  SwError err;
  if (sw_mf_fixed_points (&cfg, &fps, &err) != SW_OK)
    {
      g_printerr ("spikeworks-cli: %s: %s\n", argv[1], err.text);
      return SW_CLI_EXIT_SIMULATION;
    }
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "coefficients");
  json_builder_add_string_value (b, coeffs ? coeffs : DEFAULT_COEFFS);
  sw_cli_json_add_number (b, "T_ms", cfg.t_ms);
  sw_cli_json_add_number (b, "nu_ext_hz", cfg.nu_ext_hz);
  sw_cli_json_add_number (b, "b_pa", cfg.b_pa);
  json_builder_set_member_name (b, "class");
  json_builder_add_string_value (b, sw_mf_class_name (fps.cls));
  if (fps.instability != SW_MF_INSTABILITY_NONE)
    {
      json_builder_set_member_name (b, "instability");
      json_builder_add_string_value (b, sw_mf_instability_name (fps.instability));
    }
  json_builder_set_member_name (b, "asynchronous_state");
  if (fps.async_index >= 0)
    json_builder_add_int_value (b, fps.async_index);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "fixed_points");
  json_builder_begin_array (b);
  for (int k = 0; k < fps.n_roots; k++)
    add_fixed_point (b, &fps.roots[k]);
  json_builder_end_array (b);
  json_builder_end_object (b);

  sw_cli_print_json (b);
  return SW_CLI_EXIT_OK;
}
