/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Multicompartment cells: the commands of spikeworks-cli for documents of
 * "kind": "cells" — run (a JSON summary, optional CSV traces), validate, and
 * impedance (|Z(f)|, phase, resonance and Q from a ZAP current).  "brc" is
 * handed to sw_cli_brc().
 */
#include "config.h"

#include "sw-cli.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <glib/gstdio.h>

#include "sw-brc-doc.h"
#include "sw-cable.h"
#include "sw-cells-doc.h"
#include "sw-figure.h"

#define MAX_LISTED_CELLS 100

static SwCellsDoc *
load_with_sets (const char *what, char **sets, GError **error)
{
  g_autoptr (SwCellsDoc) doc = sw_cells_doc_load (what, error);
  if (doc == NULL)
    return NULL;
  for (int i = 0; sets != NULL && sets[i] != NULL; i++)
    if (!sw_cells_doc_set (doc, sets[i], error))
      return NULL;
  return g_steal_pointer (&doc);
}

/* Writes the probes as CSV (time in ms, then one column per probe),
 * atomically. */
static gboolean
write_traces (const char *path, SwCellsBuild *b, GError **error)
{
  GString *s = g_string_new ("t_ms");
  size_t n = SIZE_MAX;
  for (guint k = 0; k < b->probes->len; k++)
    {
      const SwCellsProbe *p = b->probes->pdata[k];
      g_string_append_printf (s, ",%s", p->label);
      size_t m;
      sw_cable_sim_probe_data (b->sim, p->probe, &m);
      n = MIN (n, m);
    }
  g_string_append_c (s, '\n');
  if (b->probes->len == 0)
    n = 0;
  double dts = sw_cable_sim_probe_dt (b->sim);
  for (size_t i = 0; i < n; i++)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.6g", i * dts));
      for (guint k = 0; k < b->probes->len; k++)
        {
          const SwCellsProbe *p = b->probes->pdata[k];
          size_t m;
          const double *d = sw_cable_sim_probe_data (b->sim, p->probe, &m);
          g_string_append_c (s, ',');
          g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.8g", d[i]));
        }
      g_string_append_c (s, '\n');
    }
  gboolean ok = g_file_set_contents (path, s->str, (gssize) s->len, error);
  g_string_free (s, TRUE);
  if (!ok)
    g_prefix_error (error, "--traces: ");
  return ok;
}

static int
cmd_run (int argc, char **argv, gboolean validate_only)
{
  g_auto (GStrv) sets = NULL;
  g_autofree char *dt_s = NULL, *dur_s = NULL, *traces = NULL;
  gboolean exact = FALSE;
  GOptionEntry run_entries[] = {
    { "exact-rates", 0, 0, G_OPTION_ARG_NONE, &exact, "Evaluate every channel rate directly (no rate tables)", NULL },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Set a variable (repeatable)", "NAME=VALUE" },
    { "dt", 0, 0, G_OPTION_ARG_STRING, &dt_s, "Time step (default: the document's, else 0.025 ms)", "TIME" },
    { "duration", 0, 0, G_OPTION_ARG_STRING, &dur_s, "Simulated time (default: the document's)", "TIME" },
    { "traces", 0, 0, G_OPTION_ARG_FILENAME, &traces, "Write the probes as CSV", "FILE.csv" },
    { NULL },
  };
  GOptionEntry validate_entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Set a variable (repeatable)", "NAME=VALUE" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new (
    validate_only ? "DOC|preset:NAME — check a cells document" : "DOC|preset:NAME — run a cells document");
  g_option_context_set_description (ctx,
                                    "Documents of \"kind\": \"cells\" (docs/swk-format.md).  The summary is JSON on\n"
                                    "standard output.  Exit codes: 0 success, 2 bad input, 3 simulation failure.");
  g_option_context_add_main_entries (ctx, validate_only ? validate_entries : run_entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return sw_cli_fail (error);
  if (argc != 2)
    return sw_cli_usage (validate_only ? "validate needs exactly one document or preset:NAME"
                                       : "run needs exactly one document or preset:NAME");
  double dt = 0, dur = 0;
  if ((dt_s && !sw_cli_parse_time (dt_s, "--dt", &dt, &error))
      || (dur_s && !sw_cli_parse_time (dur_s, "--duration", &dur, &error)))
    return sw_cli_fail (error);
  if (dt_s && !(dt > 0 && dt <= 10))
    return sw_cli_usage ("--dt must lie in (0, 10] ms");
  if (dur_s && !(dur > 0))
    return sw_cli_usage ("--duration must be positive");
  g_autoptr (SwCellsDoc) doc = load_with_sets (argv[1], sets, &error);
  if (doc == NULL)
    return sw_cli_fail (error);
  sw_cells_doc_override (doc, dt, dur);
  if (exact)
    sw_cells_doc_force_exact_rates (doc);
  /* A document that holds only a BRC network is checked as one; it runs
   * with the brc command. */
  if (sw_cells_doc_get_section (doc, "cells") == NULL && sw_cells_doc_get_section (doc, "brc") != NULL)
    {
      SwBrcParams params;
      sw_brc_params_default (&params);
      if (!sw_brc_doc_read (doc, &params, NULL, NULL, &error))
        return sw_cli_fail (error);
      if (!validate_only)
        {
          g_set_error (&error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE,
                       "%s: a BRC network (a \"brc\" section, no \"cells\"): run it with "
                       "'spikeworks-cli brc %s'", argv[1], argv[1]);
          return sw_cli_fail (error);
        }
      g_autoptr (JsonBuilder) vb = json_builder_new ();
      json_builder_begin_object (vb);
      json_builder_set_member_name (vb, "document");
      json_builder_add_string_value (vb, sw_cells_doc_get_display_name (doc));
      json_builder_set_member_name (vb, "kind");
      json_builder_add_string_value (vb, "cells");
      json_builder_set_member_name (vb, "valid");
      json_builder_add_boolean_value (vb, TRUE);
      json_builder_set_member_name (vb, "brc");
      json_builder_add_string_value (vb, sw_brc_condition_name (params.condition));
      json_builder_set_member_name (vb, "e_cells");
      json_builder_add_int_value (vb, params.n_e);
      json_builder_set_member_name (vb, "i_cells");
      json_builder_add_int_value (vb, params.n_i);
      json_builder_end_object (vb);
      sw_cli_print_json (vb);
      return SW_CLI_EXIT_OK;
    }
  g_autoptr (SwCellsBuild) b = sw_cells_doc_build (doc, &error);
  if (b == NULL)
    return sw_cli_fail (error);

  g_autoptr (JsonBuilder) jb = json_builder_new ();
  json_builder_begin_object (jb);
  json_builder_set_member_name (jb, "document");
  json_builder_add_string_value (jb, sw_cells_doc_get_display_name (doc));
  json_builder_set_member_name (jb, "kind");
  json_builder_add_string_value (jb, "cells");
  if (validate_only)
    {
      int nodes = 0;
      for (int c = 0; c < sw_cable_sim_n_cells (b->sim); c++)
        nodes += sw_cable_cell_n_nodes (sw_cable_sim_cell_def (b->sim, c));
      json_builder_set_member_name (jb, "valid");
      json_builder_add_boolean_value (jb, TRUE);
      json_builder_set_member_name (jb, "cells");
      json_builder_add_int_value (jb, sw_cable_sim_n_cells (b->sim));
      json_builder_set_member_name (jb, "compartments");
      json_builder_add_int_value (jb, nodes);
      json_builder_set_member_name (jb, "synapses");
      json_builder_add_int_value (jb, sw_cable_sim_n_synapses (b->sim));
      json_builder_set_member_name (jb, "probes");
      json_builder_add_int_value (jb, b->probes->len);
      json_builder_end_object (jb);
      sw_cli_print_json (jb);
      return SW_CLI_EXIT_OK;
    }

  SwError err = { { 0 } };
  gint64 t0 = g_get_monotonic_time ();
  clock_t c0 = clock ();
  SwStatus st = sw_cable_sim_run (b->sim, b->duration_ms, &err);
  double cpu = (double) (clock () - c0) / CLOCKS_PER_SEC;
  double wall = (g_get_monotonic_time () - t0) * 1e-6;
  if (st != SW_OK)
    {
      g_printerr ("spikeworks-cli: %s: %s\n", sw_cells_doc_get_display_name (doc), err.text);
      return st == SW_ERR_BLOWUP ? SW_CLI_EXIT_SIMULATION : SW_CLI_EXIT_INPUT;
    }
  sw_cli_json_add_number (jb, "dt_ms", b->cfg.dt_ms);
  sw_cli_json_add_number (jb, "duration_ms", b->duration_ms);
  sw_cli_json_add_number (jb, "wall_s", wall);
  sw_cli_json_add_number (jb, "cpu_s", cpu);
  json_builder_set_member_name (jb, "populations");
  json_builder_begin_array (jb);
  for (guint i = 0; i < b->pops->len; i++)
    {
      const SwCellsPop *p = b->pops->pdata[i];
      size_t total = 0;
      for (int c = 0; c < p->n; c++)
        {
          size_t n;
          sw_cable_sim_spikes (b->sim, p->first + c, &n);
          total += n;
        }
      json_builder_begin_object (jb);
      json_builder_set_member_name (jb, "name");
      json_builder_add_string_value (jb, p->name);
      json_builder_set_member_name (jb, "cell");
      json_builder_add_string_value (jb, p->cell);
      json_builder_set_member_name (jb, "n");
      json_builder_add_int_value (jb, p->n);
      json_builder_set_member_name (jb, "spikes");
      json_builder_add_int_value (jb, (gint64) total);
      sw_cli_json_add_number (jb, "rate_hz", total / (p->n * b->duration_ms * 1e-3));
      if (p->n <= MAX_LISTED_CELLS)
        {
          json_builder_set_member_name (jb, "spike_times_ms");
          json_builder_begin_array (jb);
          for (int c = 0; c < p->n; c++)
            {
              size_t n;
              const double *t = sw_cable_sim_spikes (b->sim, p->first + c, &n);
              json_builder_begin_array (jb);
              for (size_t k = 0; k < n; k++)
                json_builder_add_double_value (jb, round (t[k] * 1e6) / 1e6);
              json_builder_end_array (jb);
            }
          json_builder_end_array (jb);
        }
      json_builder_end_object (jb);
    }
  json_builder_end_array (jb);
  if (traces != NULL)
    {
      if (!write_traces (traces, b, &error))
        return sw_cli_fail (error);
      json_builder_set_member_name (jb, "traces");
      json_builder_add_string_value (jb, traces);
    }
  json_builder_end_object (jb);
  sw_cli_print_json (jb);
  return SW_CLI_EXIT_OK;
}

static gboolean
parse_freq (const char *text, const char *option, double *hz, GError **error)
{
  char *end;
  double v = g_ascii_strtod (text, &end);
  while (*end == ' ')
    end++;
  if (end == text || (*end != '\0' && strcmp (end, "Hz") != 0) || !isfinite (v) || v < 0)
    return sw_cli_usage_error (error, "%s '%s': expected a frequency >= 0 in Hz, e.g. 0.5 or \"20 Hz\"", option, text);
  *hz = v;
  return TRUE;
}

static int
cmd_impedance (int argc, char **argv)
{
  g_auto (GStrv) sets = NULL;
  g_autofree char *site = NULL, *pop_name = NULL, *f0_s = NULL, *f1_s = NULL, *dur_s = NULL;
  g_autofree char *settle_s = NULL, *amp_s = NULL, *csv = NULL, *figure = NULL;
  GOptionEntry entries[] = {
    { "site", 0, 0, G_OPTION_ARG_STRING, &site, "Where to inject and record (required)", "SECTION(x)" },
    { "population", 0, 0, G_OPTION_ARG_STRING, &pop_name, "Whose cell (default: the first population)", "NAME" },
    { "f0", 0, 0, G_OPTION_ARG_STRING, &f0_s, "Lowest frequency of the chirp (default 0.5 Hz)", "HZ" },
    { "f1", 0, 0, G_OPTION_ARG_STRING, &f1_s, "Highest frequency (default 50 Hz)", "HZ" },
    { "chirp", 0, 0, G_OPTION_ARG_STRING, &dur_s, "Duration of the chirp (default 20 s)", "TIME" },
    { "settle", 0, 0, G_OPTION_ARG_STRING, &settle_s, "Time at rest before it (default 2 s)", "TIME" },
    { "amplitude", 0, 0, G_OPTION_ARG_STRING, &amp_s, "Chirp amplitude (default 0.005 nA)", "CURRENT" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Set a variable (repeatable)", "NAME=VALUE" },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv, "Write f, |Z| and phase as CSV", "FILE" },
    { "figure", 0, 0, G_OPTION_ARG_FILENAME, &figure, "Draw |Z(f)| and phase (PNG, SVG or PDF)", "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("DOC|preset:NAME — impedance from a ZAP current");
  g_option_context_set_description (
    ctx, "The cell of a population is simulated alone: at rest, then with a linear chirp current at --site.\n"
         "|Z(f)| = |FFT(V)/FFT(I)| (MΩ) and its phase over the chirp band; the resonance f_R is the frequency\n"
         "of the largest |Z| and Q = |Z(f_R)| / |Z| at the lowest frequency.\n"
         "Exit codes: 0 success, 2 bad input, 3 simulation failure.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return sw_cli_fail (error);
  if (argc != 2)
    return sw_cli_usage ("impedance needs exactly one document or preset:NAME");
  if (site == NULL)
    return sw_cli_usage ("impedance needs --site SECTION(x), e.g. --site \"soma(0.5)\"");
  double f0 = 0.5, f1 = 50, dur = 20000, settle = 2000, amp = 0.005;
  if ((f0_s && !parse_freq (f0_s, "--f0", &f0, &error)) || (f1_s && !parse_freq (f1_s, "--f1", &f1, &error))
      || (dur_s && !sw_cli_parse_time (dur_s, "--chirp", &dur, &error))
      || (settle_s && !sw_cli_parse_time (settle_s, "--settle", &settle, &error)))
    return sw_cli_fail (error);
  if (amp_s)
    {
      g_autoptr (GError) inner = NULL;
      if (!sw_units_parse_value (amp_s, "nA", &amp, &inner))
        {
          g_set_error (&error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "--amplitude: %s", inner->message);
          return sw_cli_fail (error);
        }
    }
  if (!(f1 > f0))
    return sw_cli_usage ("--f1 must be above --f0");
  if (!(dur > 0 && settle >= 0 && amp != 0))
    return sw_cli_usage ("--chirp must be positive, --settle >= 0 and --amplitude non-zero");
  g_autoptr (SwCellsDoc) doc = load_with_sets (argv[1], sets, &error);
  if (doc == NULL)
    return sw_cli_fail (error);
  g_autoptr (SwCellsBuild) b = sw_cells_doc_build (doc, &error);
  if (b == NULL)
    return sw_cli_fail (error);
  const SwCellsPop *pop = pop_name ? sw_cells_build_find_pop (b, pop_name) : b->pops->pdata[0];
  if (pop == NULL)
    {
      g_autofree char *msg = g_strdup_printf ("--population %s: the document has no such population", pop_name);
      return sw_cli_usage (msg);
    }
  const SwCableCell *cell = sw_cable_sim_cell_def (b->sim, pop->first);
  SwError err = { { 0 } };
  int node = sw_cable_cell_site_parse (cell, site, &err);
  if (node < 0)
    {
      g_printerr ("spikeworks-cli: --site: %s (cell '%s' of population '%s')\n", err.text, pop->cell, pop->name);
      return SW_CLI_EXIT_INPUT;
    }
  SwCableImpedance z;
  SwStatus st = sw_cable_impedance (cell, node, &b->cfg, f0, f1, dur, settle, amp, &z, &err);
  if (st != SW_OK)
    {
      g_printerr ("spikeworks-cli: %s: %s\n", sw_cells_doc_get_display_name (doc), err.text);
      return st == SW_ERR_BLOWUP ? SW_CLI_EXIT_SIMULATION : SW_CLI_EXIT_INPUT;
    }
  if (csv != NULL)
    {
      GString *s = g_string_new ("f_hz,z_mohm,phase_rad\n");
      for (size_t k = 0; k < z.n; k++)
        {
          char a[G_ASCII_DTOSTR_BUF_SIZE], c[G_ASCII_DTOSTR_BUF_SIZE], d[G_ASCII_DTOSTR_BUF_SIZE];
          g_string_append_printf (s, "%s,%s,%s\n", g_ascii_formatd (a, sizeof a, "%.6g", z.freq_hz[k]),
                                  g_ascii_formatd (c, sizeof c, "%.6g", z.mag_mohm[k]),
                                  g_ascii_formatd (d, sizeof d, "%.6g", z.phase_rad[k]));
        }
      gboolean ok = g_file_set_contents (csv, s->str, (gssize) s->len, &error);
      g_string_free (s, TRUE);
      if (!ok)
        {
          sw_cable_impedance_clear (&z);
          g_prefix_error (&error, "--csv: ");
          return sw_cli_fail (error);
        }
    }
  if (figure != NULL)
    {
      SwFigure *fig = sw_figure_new (2, 1);
      SwPanel *p = sw_figure_panel (fig, 0, 0);
      g_autofree char *title = g_strdup_printf ("Impedance at %s (f_R %.2f Hz, Q %.2f)", site, z.f_res_hz, z.q);
      sw_panel_set_title (p, title);
      sw_panel_set_x_label (p, "Frequency", "Hz");
      sw_panel_set_y_label (p, "|Z|", "MΩ");
      sw_panel_add_line (p, z.freq_hz, z.mag_mohm, z.n, NULL, NULL, NULL);
      SwPanel *q = sw_figure_panel (fig, 1, 0);
      sw_panel_set_x_label (q, "Frequency", "Hz");
      sw_panel_set_y_label (q, "Phase", "rad");
      sw_panel_add_line (q, z.freq_hz, z.phase_rad, z.n, NULL, NULL, NULL);
      gboolean ok = sw_cli_save_figure (fig, figure, 640, 560, &error);
      sw_figure_free (fig);
      if (!ok)
        {
          sw_cable_impedance_clear (&z);
          g_prefix_error (&error, "--figure: ");
          return sw_cli_fail (error);
        }
    }
  g_autoptr (JsonBuilder) jb = json_builder_new ();
  json_builder_begin_object (jb);
  json_builder_set_member_name (jb, "document");
  json_builder_add_string_value (jb, sw_cells_doc_get_display_name (doc));
  json_builder_set_member_name (jb, "population");
  json_builder_add_string_value (jb, pop->name);
  json_builder_set_member_name (jb, "site");
  json_builder_add_string_value (jb, site);
  sw_cli_json_add_number (jb, "f_res_hz", z.f_res_hz);
  sw_cli_json_add_number (jb, "z_res_mohm", z.z_res_mohm);
  sw_cli_json_add_number (jb, "z_low_mohm", z.n ? z.z_res_mohm / z.q : NAN);
  sw_cli_json_add_number (jb, "f_low_hz", z.n ? z.freq_hz[0] : NAN);
  sw_cli_json_add_number (jb, "q", z.q);
  json_builder_set_member_name (jb, "bins");
  json_builder_add_int_value (jb, (gint64) z.n);
  json_builder_end_object (jb);
  sw_cli_print_json (jb);
  sw_cable_impedance_clear (&z);
  return SW_CLI_EXIT_OK;
}

int
sw_cli_cells_command (const char *cmd, int argc, char **argv)
{
  if (strcmp (cmd, "run") == 0)
    return cmd_run (argc, argv, FALSE);
  if (strcmp (cmd, "validate") == 0)
    return cmd_run (argc, argv, TRUE);
  if (strcmp (cmd, "impedance") == 0)
    return cmd_impedance (argc, argv);
  if (strcmp (cmd, "brc") == 0)
    return sw_cli_brc (argc, argv);
  g_printerr ("%s: unknown command\n", argv[0]);
  return SW_CLI_EXIT_INPUT;
}
