/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * spikeworks-cli: the headless front end.  Each command is a function
 * `sw_cli_COMMAND (argc, argv)` returning the process exit code.
 */
#include "config.h"

#include "sw-cli.h"
#include "sw-cli-mpi.h"

#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sw-document.h"
#include "sw-mf-grid.h"
#include "sw-network.h"
#include "sw-presets.h"

G_DEFINE_QUARK (sw-cli-error-quark, sw_cli_error)

void
sw_cli_json_add_number (JsonBuilder *b, const char *name, double value)
{
  json_builder_set_member_name (b, name);
  if (isfinite (value))
    json_builder_add_double_value (b, value);
  else
    json_builder_add_null_value (b);
}

void
sw_cli_print_json (JsonBuilder *b)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  g_autofree char *text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
}

gboolean
sw_cli_usage_error (GError **error, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error_literal (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, msg);
  return FALSE;
}

gboolean
sw_cli_parse_axis (const char *text, const char *option, const char *example, int max_points, SwCliAxis *axis,
                   GError **error)
{
  g_auto (GStrv) f = g_strsplit (text, ":", -1);
  if (g_strv_length (f) != 4 || f[0][0] == '\0')
    return sw_cli_usage_error (error, "%s '%s': expected NAME:MIN:MAX:N (e.g. %s)", option, text, example);
  char *end;
  axis->min = g_ascii_strtod (f[1], &end);
  gboolean ok = *f[1] != '\0' && *end == '\0';
  axis->max = g_ascii_strtod (f[2], &end);
  ok = ok && *f[2] != '\0' && *end == '\0';
  gint64 n = g_ascii_strtoll (f[3], &end, 10);
  ok = ok && *f[3] != '\0' && *end == '\0';
  if (!ok || !isfinite (axis->min) || !isfinite (axis->max))
    return sw_cli_usage_error (error, "%s '%s': MIN and MAX must be numbers and N a whole number", option, text);
  if (axis->min > axis->max)
    return sw_cli_usage_error (error, "%s '%s': MIN (%g) is larger than MAX (%g)", option, text, axis->min, axis->max);
  if (n < 1 || n > max_points)
    return sw_cli_usage_error (error, "%s '%s': N must lie in 1..%d (got %" G_GINT64_FORMAT ")", option, text,
                               max_points, n);
  if (n > 1 && axis->min == axis->max)
    return sw_cli_usage_error (error, "%s '%s': MIN equals MAX; use N = 1 for a single value", option, text);
  axis->name = g_strdup (g_strstrip (f[0]));
  axis->n = (int) n;
  return TRUE;
}

double
sw_cli_axis_value (const SwCliAxis *axis, int k)
{
  return sw_mf_grid_axis_value (axis->min, axis->max, axis->n, k);
}

int
sw_cli_fail (const GError *error)
{
  g_printerr ("spikeworks-cli: %s\n", error->message);
  return SW_CLI_EXIT_INPUT;
}

int
sw_cli_usage (const char *message)
{
  g_printerr ("spikeworks-cli: %s\nTry 'spikeworks-cli --help'.\n", message);
  return SW_CLI_EXIT_INPUT;
}

gboolean
sw_cli_peek_kind (int argc, char **argv, SwDocKind *kind, GError **error)
{
  *kind = SW_DOC_KIND_NETWORK;
  for (int i = 1; i < argc; i++)
    if (argv[i][0] != '-')
      return sw_doc_kind_peek (argv[i], kind, error);
  return TRUE;
}

SwDocument *
sw_cli_load (const char *what, GError **error)
{
  if (g_str_has_prefix (what, "preset:"))
    return sw_document_load_preset (what + strlen ("preset:"), error);
  return sw_document_load_file (what, error);
}

SwDocument *
sw_cli_load_with_sets (const char *what, char **sets, GError **error)
{
  g_autoptr (SwDocument) doc = sw_cli_load (what, error);
  if (doc == NULL)
    return NULL;
  for (int i = 0; sets != NULL && sets[i] != NULL; i++)
    if (!sw_cli_apply_set (doc, sets[i], error))
      return NULL;
  return g_steal_pointer (&doc);
}

gboolean
sw_cli_apply_set (SwDocument *doc, const char *assignment, GError **error)
{
  const char *eq = strchr (assignment, '=');
  if (eq == NULL || eq == assignment)
    {
      g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE,
                   "--set '%s': expected NAME=VALUE (e.g. --set b=60pA)", assignment);
      return FALSE;
    }
  g_autofree char *name = g_strndup (assignment, eq - assignment);
  g_strstrip (name);
  return sw_document_set (doc, name, eq + 1, error);
}

static int
cmd_validate (int argc, char **argv)
{
  g_auto (GStrv) sets = NULL;
  GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Set a variable or parameter (repeatable)", "NAME=VALUE" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("DOC|preset:NAME — check a document");
  g_autoptr (GError) error = NULL;
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return sw_cli_fail (error);
  if (argc != 2)
    return sw_cli_usage ("validate needs exactly one document or preset:NAME");
  g_autoptr (SwDocument) doc = sw_cli_load_with_sets (argv[1], sets, &error);
  if (doc == NULL)
    return sw_cli_fail (error);
  SwNetSpec *spec = sw_document_build_spec (doc, &error);
  if (spec == NULL)
    return sw_cli_fail (error);
  SwError err;
  if (sw_net_spec_validate (spec, &err) != SW_OK)
    {
      g_printerr ("spikeworks-cli: %s: %s\n", argv[1], err.text);
      sw_net_spec_free (spec);
      return SW_CLI_EXIT_INPUT;
    }
  size_t bytes = sw_net_spec_estimate_bytes (spec);
  int neurons = 0;
  for (int p = 0; p < spec->n_pops; p++)
    neurons += spec->pops[p].kind == SW_POP_NEURONS ? spec->pops[p].n : 0;
  g_print ("%s: valid: %d populations (%d neurons), %d projections, %d stimuli, about %.1f MiB\n",
           argv[1], spec->n_pops, neurons, spec->n_projs, spec->n_stims, bytes / 1048576.0);
  sw_net_spec_free (spec);
  return SW_CLI_EXIT_OK;
}

static int
cmd_presets (int argc, char **argv)
{
  if (argc != 1)
    return sw_cli_usage ("presets takes no argument");
  g_autoptr (GPtrArray) presets = sw_presets_list ();
  for (guint i = 0; i < presets->len; i++)
    {
      const SwPresetInfo *info = g_ptr_array_index (presets, i);
      g_print ("%-26s %s\n", info->name, info->description);
    }
  return SW_CLI_EXIT_OK;
}

static void
print_table (const char *title, const SwParamInfo *table, int n)
{
  g_print ("  %s:\n", title);
  for (int k = 0; k < n; k++)
    g_print ("    %-9s %-4s %10g   [%g, %g]   %s\n", table[k].name, table[k].unit, table[k].default_value,
             table[k].min, table[k].max, table[k].description);
}

static int
cmd_models (int argc, char **argv)
{
  if (argc > 2)
    return sw_cli_usage ("models takes at most one model name");
  const SwNeuronType *const *types = sw_neuron_type_list ();
  gboolean found = FALSE;
  for (int i = 0; types[i] != NULL; i++)
    {
      const SwNeuronType *t = types[i];
      if (argc == 2 && strcmp (argv[1], t->name) != 0)
        continue;
      found = TRUE;
      g_print ("%s — %s\n  %s\n", t->name, t->label, t->description);
      print_table ("parameters (name, unit, default, range)", t->params, t->n_params);
      print_table ("state variables (name, unit, initial value, range)", t->state, t->n_state);
      g_print ("  receptors:");
      for (int r = 0; r < t->n_receptors; r++)
        g_print (" %s (weights in %s)", t->receptors[r], t->receptor_units[r]);
      g_print ("\n  injected current in %s\n\n", t->current_unit);
    }
  if (!found)
    {
      g_autofree char *msg = g_strdup_printf ("unknown model '%s'", argv[1]);
      return sw_cli_usage (msg);
    }
  return SW_CLI_EXIT_OK;
}

static const char usage_text[] =
  "Usage: spikeworks-cli COMMAND [OPTIONS]\n"
  "\n"
  "Commands:\n"
  "  run DOC|preset:NAME       run a network and print its summary as JSON\n"
  "  validate DOC|preset:NAME  check a document and estimate its memory\n"
  "  presets                   list the built-in presets\n"
  "  models [NAME]             list the neuron models and their parameters\n"
  "  mf DOC|preset:NAME        mean-field fixed points, their stability and class (UD/OD)\n"
  "  phase DOC|preset:NAME --x NAME:MIN:MAX:N --y NAME:MIN:MAX:N\n"
  "                            mean-field UD/OD map over two variables or parameters\n"
  "  respond DOC|preset:NAME --sweep NAME:MIN:MAX:N\n"
  "                            responsiveness to a brief stimulus: network trials and mean field\n"
  "  fit-tf DOC|preset:NAME    fit transfer functions (mf coefficients) from single-cell simulations\n"
  "\n"
  "Multicompartment cells (documents of \"kind\": \"cells\"; run and validate take them too):\n"
  "  brc DOC|preset:NAME       train and score the reservoir readout on the working-memory task\n"
  "  impedance DOC|preset:NAME --site SITE\n"
  "                            impedance |Z(f)| and phase from a ZAP current: resonance and Q\n"
  "\n"
  "Neural masses (documents of \"kind\": \"mass\"; run and validate take them too):\n"
  "  perturb DOC|preset:NAME --source REGION\n"
  "                            focal perturbation: responses per region and per hop\n"
  "                            (--sweep NAME:MIN:MAX:N [--sweep2 ...]: over one or two axes)\n"
  "  phaseplane DOC|preset:NAME --x VAR --y VAR\n"
  "                            nullclines, fixed points and their type, trajectories\n"
  "  bifurcation DOC|preset:NAME --param NAME:MIN:MAX:N\n"
  "                            fixed points, their stability and limit cycles along a parameter\n"
  "  fit-spectrum DOC|preset:NAME --target FILE.csv --params NAME[,NAME...]\n"
  "                            fit node parameters to a target power spectrum\n"
  "\n"
  "Interoperability and sweeps:\n"
  "  export-pynn DOC|preset:NAME  write a PyNN script of a point-neuron network to standard output\n"
  "  sweep DOC|preset:NAME --x NAME:MIN:MAX:N --y NAME:MIN:MAX:N --measure LIST\n"
  "                            simulated phase diagram: network measures over two variables\n"
  "  nwb FILE.nwb [--event NAME --psth FILE.csv]\n"
  "                            units, trials and events of an NWB file; a PSTH around an event\n"
  "\n"
  "'spikeworks-cli COMMAND --help' lists the options of a command.\n"
  "Exit codes: 0 success, 2 bad input, 3 simulation failure.\n";

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  /* Machine output (JSON, CSV) always uses a decimal point. */
  setlocale (LC_NUMERIC, "C");

  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      fputs (usage_text, argc < 2 ? stderr : stdout);
      return argc < 2 ? SW_CLI_EXIT_INPUT : SW_CLI_EXIT_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      g_print ("spikeworks-cli %s\n", PACKAGE_VERSION);
      return SW_CLI_EXIT_OK;
    }
  sw_cli_mpi_init (&argc, &argv);
  const char *cmd = argv[1];
  /* Each command parses argv[1..] with its own name in the messages. */
  g_autofree char *prog = g_strdup_printf ("spikeworks-cli %s", cmd);
  argv[1] = prog;
  int status;
  if (strcmp (cmd, "run") == 0 || strcmp (cmd, "validate") == 0)
    {
      g_autoptr (GError) error = NULL;
      SwDocKind kind;
      if (!sw_cli_peek_kind (argc - 1, argv + 1, &kind, &error))
        status = sw_cli_fail (error);
      else if (kind == SW_DOC_KIND_CELLS)
        status = sw_cli_cells_command (cmd, argc - 1, argv + 1);
      else if (kind == SW_DOC_KIND_MASS)
        status = sw_cli_mass_command (cmd, argc - 1, argv + 1);
      else if (strcmp (cmd, "run") == 0)
        status = sw_cli_run (argc - 1, argv + 1);
      else
        status = cmd_validate (argc - 1, argv + 1);
    }
  else if (strcmp (cmd, "brc") == 0 || strcmp (cmd, "impedance") == 0)
    status = sw_cli_cells_command (cmd, argc - 1, argv + 1);
  else if (strcmp (cmd, "perturb") == 0 || strcmp (cmd, "phaseplane") == 0
           || strcmp (cmd, "bifurcation") == 0 || strcmp (cmd, "fit-spectrum") == 0)
    status = sw_cli_mass_command (cmd, argc - 1, argv + 1);
  else if (strcmp (cmd, "export-pynn") == 0 || strcmp (cmd, "sweep") == 0)
    status = sw_cli_interop_command (cmd, argc - 1, argv + 1);
  else if (strcmp (cmd, "nwb") == 0)
    status = sw_cli_nwb (argc - 1, argv + 1);
  else if (strcmp (cmd, "presets") == 0)
    status = cmd_presets (argc - 1, argv + 1);
  else if (strcmp (cmd, "mf") == 0)
    status = sw_cli_mf (argc - 1, argv + 1);
  else if (strcmp (cmd, "phase") == 0)
    status = sw_cli_phase (argc - 1, argv + 1);
  else if (strcmp (cmd, "respond") == 0)
    status = sw_cli_respond (argc - 1, argv + 1);
  else if (strcmp (cmd, "fit-tf") == 0)
    status = sw_cli_fit_tf (argc - 1, argv + 1);
  else if (strcmp (cmd, "models") == 0)
    status = cmd_models (argc - 1, argv + 1);
  else
    {
      g_autofree char *msg = g_strdup_printf ("unknown command '%s'", cmd);
      status = sw_cli_usage (msg);
    }
  sw_cli_mpi_finalize ();
  return status;
}
