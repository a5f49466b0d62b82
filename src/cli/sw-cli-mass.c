/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Neural masses: the commands of spikeworks-cli.
 *
 *   run DOC          simulate, print per-node and network statistics (JSON)
 *   validate DOC     check a document
 *   perturb DOC      focal perturbation, responses per region and per hop
 *   phaseplane DOC   nullclines, fixed points and trajectories of two
 *                    variables of a node (or of the mean field of a network
 *                    document, in nu_e and nu_i)
 *   bifurcation DOC  fixed-point branches, Hopf and fold points and limit
 *                    cycles along one parameter
 *   fit-spectrum DOC node parameters fitted to a target power spectrum
 */
#include "config.h"

#include "sw-cli.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sw-bifurcation.h"
#include "sw-figure.h"
#include "sw-mass-doc.h"
#include "sw-mass-perturb.h"
#include "sw-mass-spectrum.h"
#include "sw-phaseplane.h"
#include "sw-suggest.h"

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

static gboolean
save_text (const char *path, GString *s, GError **error)
{
  /* g_file_set_contents writes a temporary file and renames it. */
  return g_file_set_contents (path, s->str, (gssize) s->len, error);
}

static int
fail_core (const char *what, const SwError *err, SwStatus st)
{
  g_printerr ("spikeworks-cli: %s: %s\n", what, err->text);
  return st == SW_ERR_INVALID ? SW_CLI_EXIT_INPUT : SW_CLI_EXIT_SIMULATION;
}

static const char *
param_unit (const SwParamInfo *p)
{
  return p->unit[0] ? p->unit : NULL;
}

/* "MIN:MAX" into two numbers. */
static gboolean
parse_range (const char *text, const char *option, double *lo, double *hi, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (text, ":", -1);
  char *e1 = NULL, *e2 = NULL;
  if (g_strv_length (parts) != 2
      || (*lo = g_ascii_strtod (parts[0], &e1), e1 == parts[0] || *e1 != '\0')
      || (*hi = g_ascii_strtod (parts[1], &e2), e2 == parts[1] || *e2 != '\0') || !(*hi > *lo)
      || !isfinite (*lo) || !isfinite (*hi))
    {
      g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "%s: expected MIN:MAX with MIN < MAX, found '%s'",
                   option, text);
      return FALSE;
    }
  return TRUE;
}

/* Refuses documents of another kind with a sentence naming the command. */
static gboolean
require_mass (const char *cmd, const char *what, GError **error)
{
  SwDocKind kind;
  if (!sw_doc_kind_peek (what, &kind, error))
    return FALSE;
  if (kind != SW_DOC_KIND_MASS)
    {
      g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE,
                   "%s: %s takes neural-mass documents (\"kind\": \"mass\"); this one is a %s document", what, cmd,
                   sw_doc_kind_to_string (kind));
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* run and validate                                                          */

static int
cmd_validate (int argc, char **argv)
{
  g_auto (GStrv) sets = NULL;
  GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Set a variable or parameter (repeatable)", "NAME=VALUE" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("DOC|preset:NAME — check a neural-mass document");
  g_autoptr (GError) error = NULL;
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return sw_cli_fail (error);
  if (argc != 2)
    return sw_cli_usage ("validate needs exactly one document or preset:NAME");
  g_autoptr (SwMassDoc) doc = sw_mass_doc_load (argv[1], sets, &error);
  if (doc == NULL)
    return sw_cli_fail (error);
  SwMassConfig cfg;
  sw_mass_doc_config (doc, &cfg);
  SwMassSim *sim;
  SwError err;
  SwStatus st = sw_mass_sim_new (&cfg, &sim, &err);
  if (st != SW_OK)
    return fail_core (argv[1], &err, st);
  int n = sw_mass_doc_n_nodes (doc);
  int max_delay = 0;
  if (doc->delay_steps != NULL)
    for (size_t q = 0; q < (size_t) n * n; q++)
      max_delay = MAX (max_delay, doc->delay_steps[q]);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "valid");
  json_builder_add_boolean_value (b, TRUE);
  add_string (b, "kind", "mass");
  add_string (b, "model", doc->type->name);
  add_string (b, "method", sw_mass_method_name (sw_mass_sim_method (sim)));
  json_builder_set_member_name (b, "nodes");
  json_builder_add_int_value (b, n);
  if (doc->net != NULL)
    {
      add_string (b, "connectivity", doc->net->source);
      add_string (b, "normalisation", sw_mass_norm_name (doc->norm));
      sw_cli_json_add_number (b, "coupling", doc->g);
      sw_cli_json_add_number (b, "max_delay_ms", max_delay * doc->dt_s * 1e3);
    }
  sw_cli_json_add_number (b, "dt_ms", doc->dt_s * 1e3);
  sw_cli_json_add_number (b, "duration_s", doc->duration_s);
  json_builder_end_object (b);
  sw_cli_print_json (b);
  sw_mass_sim_free (sim);
  return SW_CLI_EXIT_OK;
}

static gboolean
run_figure (const char *path, const SwMassDoc *doc, const double *series, size_t m, int n,
            double fs, const double *freq, const double *mean_psd, size_t nf, double peak,
            GError **error)
{
  SwFigure *fig = sw_figure_new (2, 1);
  SwPanel *ts = sw_figure_panel (fig, 0, 0);
  SwPanel *sp = sw_figure_panel (fig, 1, 0);
  g_autofree char *title = g_strdup (doc->name[0] ? doc->name : doc->type->label);
  sw_figure_set_title (fig, title);
  sw_panel_set_title (ts, "Time series after the warm-up");
  sw_panel_set_x_label (ts, "Time", "s");
  sw_panel_set_y_label (ts, doc->type->observable, doc->type->observable_unit[0] ? doc->type->observable_unit : NULL);
  size_t show = MIN (m, (size_t) llround (2.0 * fs));
  g_autofree double *t = g_new (double, show + 1);
  g_autofree double *y = g_new (double, show + 1);
  int shown = MIN (n, 3);
  for (int i = 0; i < shown; i++)
    {
      for (size_t k = 0; k < show; k++)
        {
          t[k] = doc->warmup_s + (k + 0.5) / fs;
          y[k] = series[k * n + i];
        }
      SwStyle st = { 0 };
      st.dash = (SwDash) (SW_DASH_SOLID + i);
      sw_panel_add_line (ts, t, y, show, sw_mass_doc_node_name (doc, i), &st, NULL);
    }
  sw_panel_set_title (sp, n > 1 ? "Power spectral density (mean over nodes)" : "Power spectral density");
  sw_panel_set_x_label (sp, "Frequency", "Hz");
  g_autofree char *unit = g_strdup_printf ("%s%s/Hz", doc->type->observable_unit,
                                           doc->type->observable_unit[0] ? "²" : "1");
  sw_panel_set_y_label (sp, "PSD", unit);
  sw_panel_set_y_log (sp, TRUE);
  sw_panel_set_x_limits (sp, 0.0, MIN (45.0, fs / 2));
  size_t shown_f = 0;
  while (shown_f < nf && freq[shown_f] <= 45.0)
    shown_f++;
  sw_panel_add_line (sp, freq, mean_psd, shown_f, "Welch, 2 s Hann", NULL, NULL);
  if (isfinite (peak))
    {
      double pv = 0;
      for (size_t k = 0; k < nf; k++)
        if (fabs (freq[k] - peak) <= (freq[1] - freq[0]) && mean_psd[k] > pv)
          pv = mean_psd[k];
      g_autofree char *label = g_strdup_printf ("peak %.2f Hz", peak);
      sw_panel_add_marker (sp, peak, pv, label, NULL);
    }
  gboolean ok = sw_cli_save_figure (fig, path, 800, 700, error);
  sw_figure_free (fig);
  return ok;
}

static int
cmd_run (int argc, char **argv)
{
  g_auto (GStrv) sets = NULL;
  g_autofree char *duration_s = NULL, *csv = NULL, *spectrum = NULL, *figure = NULL;
  int threads = 0;
  GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Set a variable or parameter (repeatable)", "NAME=VALUE" },
    { "duration", 0, 0, G_OPTION_ARG_STRING, &duration_s, "Biological time to simulate", "TIME" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, "Threads stepping the network (default: the document's)", "N" },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv, "Write the observable of every node after the warm-up", "FILE" },
    { "spectrum", 0, 0, G_OPTION_ARG_FILENAME, &spectrum, "Write the power spectra (CSV)", "FILE" },
    { "figure", 0, 0, G_OPTION_ARG_FILENAME, &figure, "Draw time series and spectrum (.png, .svg, .pdf)", "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("DOC|preset:NAME — simulate neural masses");
  g_autoptr (GError) error = NULL;
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return sw_cli_fail (error);
  if (argc != 2)
    return sw_cli_usage ("run needs exactly one document or preset:NAME");
  g_autoptr (SwMassDoc) doc = sw_mass_doc_load (argv[1], sets, &error);
  if (doc == NULL)
    return sw_cli_fail (error);
  if (duration_s != NULL)
    {
      double ms;
      if (!sw_cli_parse_time (duration_s, "--duration", &ms, &error))
        return sw_cli_fail (error);
      if (!(ms / 1e3 > doc->warmup_s))
        return sw_cli_usage ("--duration must be longer than the document's warm-up");
      doc->duration_s = ms / 1e3;
    }
  if (threads < 0 || threads > 256)
    return sw_cli_usage ("--threads must lie in 1..256");
  if (threads > 0)
    doc->threads = threads;
  if (figure != NULL)
    {
      SwPlotFormat f;
      if (!sw_plot_format_from_path (figure, &f))
        return sw_cli_usage ("--figure needs a .png, .svg or .pdf file name");
    }

  int n = sw_mass_doc_n_nodes (doc);
  double dt = doc->dt_s;
  int every = 1;
  if (doc->sample_rate_hz > 0.0)
    every = MAX (1, (int) floor (1.0 / (doc->sample_rate_hz * dt) + 1e-9));
  double fs = 1.0 / (every * dt);
  long n_warm = lround (doc->warmup_s / dt);
  long n_rec = (lround (doc->duration_s / dt) - n_warm) / every * every;
  size_t m = (size_t) (n_rec / every);
  if (m < 4)
    return sw_cli_usage ("the recording after the warm-up is too short");
  if ((double) m * n > 2e9 / 8)
    return sw_cli_usage ("the recording is too large for memory; lower simulation.sample_rate or the duration");

  SwMassConfig cfg;
  sw_mass_doc_config (doc, &cfg);
  SwMassSim *sim;
  SwError err;
  SwStatus st = sw_mass_sim_new (&cfg, &sim, &err);
  if (st != SW_OK)
    return fail_core (argv[1], &err, st);
  g_autofree double *series = g_new (double, m * n);
  gint64 t0 = g_get_monotonic_time ();
  st = sw_mass_sim_run (sim, n_warm, 1, NULL, &err);
  if (st == SW_OK)
    st = sw_mass_sim_run (sim, n_rec, every, series, &err);
  double seconds = (g_get_monotonic_time () - t0) * 1e-6;
  SwMassMethod method = sw_mass_sim_method (sim);
  sw_mass_sim_free (sim);
  if (st != SW_OK)
    return fail_core (argv[1], &err, st);

  /* Statistics and spectra per node. */
  size_t nf = sw_mass_psd_size (m, fs, 2.0);
  g_autofree double *freq = g_new0 (double, nf + 1);
  g_autofree double *psd = g_new0 (double, (nf + 1) * n);
  g_autofree double *mean_psd = g_new0 (double, nf + 1);
  g_autofree double *x = g_new (double, m);
  g_autofree double *p1 = g_new (double, nf + 1);
  g_autofree double *means = g_new (double, n);
  g_autofree double *sds = g_new (double, n);
  g_autofree double *peaks = g_new (double, n);
  for (int i = 0; i < n; i++)
    {
      double s = 0, s2 = 0;
      for (size_t k = 0; k < m; k++)
        {
          x[k] = series[k * n + i];
          s += x[k];
        }
      means[i] = s / m;
      for (size_t k = 0; k < m; k++)
        s2 += (x[k] - means[i]) * (x[k] - means[i]);
      sds[i] = sqrt (s2 / (m - 1));
      size_t got = sw_mass_psd (x, m, fs, 2.0, freq, p1);
      for (size_t k = 0; k < got; k++)
        {
          psd[k * n + i] = p1[k];
          mean_psd[k] += p1[k] / n;
        }
      /* A constant signal has no spectral peak. */
      peaks[i] = sds[i] > 1e-9 * (1.0 + fabs (means[i])) ? sw_mass_psd_peak (freq, p1, got, 1.0, MIN (45.0, fs / 2)) : NAN;
    }
  double gmean = 0, gsd = 0;
  for (int i = 0; i < n; i++)
    {
      gmean += means[i] / n;
      gsd += sds[i] / n;
    }
  double net_peak = gsd > 1e-9 * (1.0 + fabs (gmean)) ? sw_mass_psd_peak (freq, mean_psd, nf, 1.0, MIN (45.0, fs / 2))
                                                       : NAN;

  if (csv != NULL)
    {
      g_autoptr (GString) s = g_string_new ("time_s");
      for (int i = 0; i < n; i++)
        g_string_append_printf (s, ",%s", sw_mass_doc_node_name (doc, i));
      g_string_append_c (s, '\n');
      for (size_t k = 0; k < m; k++)
        {
          g_string_append_printf (s, "%.9g", doc->warmup_s + (k + 1) * every * dt);
          for (int i = 0; i < n; i++)
            g_string_append_printf (s, ",%.9g", series[k * n + i]);
          g_string_append_c (s, '\n');
        }
      if (!save_text (csv, s, &error))
        return sw_cli_fail (error);
    }
  if (spectrum != NULL)
    {
      g_autoptr (GString) s = g_string_new ("frequency_hz");
      for (int i = 0; i < n; i++)
        g_string_append_printf (s, ",%s", sw_mass_doc_node_name (doc, i));
      if (n > 1)
        g_string_append (s, ",mean");
      g_string_append_c (s, '\n');
      for (size_t k = 0; k < nf; k++)
        {
          g_string_append_printf (s, "%.9g", freq[k]);
          for (int i = 0; i < n; i++)
            g_string_append_printf (s, ",%.9g", psd[k * n + i]);
          if (n > 1)
            g_string_append_printf (s, ",%.9g", mean_psd[k]);
          g_string_append_c (s, '\n');
        }
      if (!save_text (spectrum, s, &error))
        return sw_cli_fail (error);
    }
  if (figure != NULL && !run_figure (figure, doc, series, m, n, fs, freq, mean_psd, nf, net_peak, &error))
    return sw_cli_fail (error);

  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  add_string (b, "document", doc->location);
  add_string (b, "model", doc->type->name);
  add_string (b, "observable", doc->type->observable);
  add_string (b, "unit", doc->type->observable_unit);
  add_string (b, "method", sw_mass_method_name (method));
  json_builder_set_member_name (b, "nodes");
  json_builder_add_int_value (b, n);
  sw_cli_json_add_number (b, "dt_ms", dt * 1e3);
  sw_cli_json_add_number (b, "duration_s", doc->duration_s);
  sw_cli_json_add_number (b, "warmup_s", doc->warmup_s);
  sw_cli_json_add_number (b, "sample_rate_hz", fs);
  sw_cli_json_add_number (b, "wall_seconds", seconds);
  json_builder_set_member_name (b, n > 1 ? "network" : "node");
  json_builder_begin_object (b);
  sw_cli_json_add_number (b, "mean", gmean);
  sw_cli_json_add_number (b, "sd", gsd);
  sw_cli_json_add_number (b, "peak_hz", net_peak);
  json_builder_end_object (b);
  if (n > 1)
    {
      json_builder_set_member_name (b, "per_node");
      json_builder_begin_array (b);
      for (int i = 0; i < n; i++)
        {
          json_builder_begin_object (b);
          add_string (b, "name", sw_mass_doc_node_name (doc, i));
          sw_cli_json_add_number (b, "mean", means[i]);
          sw_cli_json_add_number (b, "sd", sds[i]);
          sw_cli_json_add_number (b, "peak_hz", peaks[i]);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  sw_cli_print_json (b);
  return SW_CLI_EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* perturb                                                                   */

static void
add_summary (JsonBuilder *b, const SwMassHopSummary *s)
{
  json_builder_begin_object (b);
  if (s->hop > 0)
    {
      json_builder_set_member_name (b, "hop");
      json_builder_add_int_value (b, s->hop);
    }
  else
    add_string (b, "hop", ">=2");
  json_builder_set_member_name (b, "regions");
  json_builder_add_int_value (b, s->n);
  sw_cli_json_add_number (b, "fraction_reached", s->frac_reached);
  sw_cli_json_add_number (b, "median_z", s->median_z);
  sw_cli_json_add_number (b, "median_latency_ms", s->median_latency_s * 1e3);
  sw_cli_json_add_number (b, "median_peak", s->median_peak);
  json_builder_end_object (b);
}

static gboolean
perturb_figure (const char *path, const SwMassDoc *doc, const SwMassPerturbResult *res, GError **error)
{
  SwFigure *fig = sw_figure_new (1, 2);
  SwPanel *p = sw_figure_panel (fig, 0, 0);
  g_autofree char *title = g_strdup_printf ("Response to a pulse into %s", doc->net->labels[doc->pert_source]);
  sw_panel_set_title (p, title);
  sw_panel_set_x_label (p, "Time after the pulse onset", "ms");
  g_autofree char *ylabel = g_strdup_printf ("|D(t)| of %s", doc->type->observable);
  sw_panel_set_y_label (p, ylabel, doc->type->observable_unit[0] ? doc->type->observable_unit : NULL);
  sw_panel_set_y_log (p, TRUE);
  int nt = res->n_t, n = res->n_nodes;
  g_autofree double *t = g_new (double, nt);
  g_autofree double *y = g_new (double, nt);
  for (int k = 0; k < nt; k++)
    t[k] = (k + 1) * res->dt_s * 1e3;
  /* The median |D| of each hop class. */
  g_autofree double *col = g_new (double, n);
  double top = 0.0;
  for (int h = 0; h <= MIN (res->max_hop, 3); h++)
    {
      for (int k = 0; k < nt; k++)
        {
          int c = 0;
          for (int i = 0; i < n; i++)
            if (res->nodes[i].hop == h)
              col[c++] = fabs (res->response[(size_t) k * n + i]);
          for (int a = 1; a < c; a++)
            for (int q = a; q > 0 && col[q - 1] > col[q]; q--)
              {
                double tmp = col[q];
                col[q] = col[q - 1];
                col[q - 1] = tmp;
              }
          y[k] = c == 0 ? NAN : (c % 2 ? col[c / 2] : 0.5 * (col[c / 2 - 1] + col[c / 2]));
        }
      SwStyle st = { 0 };
      st.dash = (SwDash) (SW_DASH_SOLID + h);
      g_autofree char *label = h == 0 ? g_strdup ("source") : g_strdup_printf ("%d hop%s (median)", h, h > 1 ? "s" : "");
      sw_panel_add_line (p, t, y, nt, label, &st, NULL);
      for (int k = 0; k < nt; k++)
        if (isfinite (y[k]) && y[k] > top)
          top = y[k];
    }
  /* Four decades below the largest response: the first steps after a
   * delay are vanishingly small and would stretch the axis. */
  if (top > 0.0)
    sw_panel_set_y_limits (p, top * 1e-4, top * 2.0);

  /* z of every region against its hop distance, spread within a class. */
  SwPanel *zp = sw_figure_panel (fig, 0, 1);
  sw_panel_set_title (zp, "Peak response per region");
  sw_panel_set_x_label (zp, "Hops from the source", NULL);
  sw_panel_set_y_label (zp, "z = peak / baseline SD", NULL);
  sw_panel_set_y_log (zp, TRUE);
  g_autofree double *hx = g_new (double, n);
  g_autofree double *hz = g_new (double, n);
  g_autofree double *tx = g_new (double, n);
  g_autofree double *tz = g_new (double, n);
  int nr = 0, nu = 0;
  for (int h = 1; h <= res->max_hop; h++)
    {
      int count = 0, index = 0;
      for (int i = 0; i < n; i++)
        count += res->nodes[i].hop == h;
      for (int i = 0; i < n; i++)
        if (res->nodes[i].hop == h)
          {
            double x = h + (count > 1 ? 0.6 * index / (count - 1) - 0.3 : 0.0);
            index++;
            if (!isfinite (res->nodes[i].z) || res->nodes[i].z <= 0.0)
              continue;
            if (res->nodes[i].reached)
              {
                hx[nr] = x;
                hz[nr++] = res->nodes[i].z;
              }
            else
              {
                tx[nu] = x;
                tz[nu++] = res->nodes[i].z;
              }
          }
    }
  SwStyle rs = { .marker = SW_MARKER_CIRCLE };
  SwStyle us = { .marker = SW_MARKER_CIRCLE, .open_marker = TRUE };
  sw_panel_add_points (zp, hx, hz, nr, "reached (z > 3)", &rs, NULL);
  sw_panel_add_points (zp, tx, tz, nu, "not reached", &us, NULL);
  double zx[2] = { 0.5, res->max_hop + 0.5 }, zy[2] = { 3.0, 3.0 };
  SwStyle ts = { .colour = { 0.4, 0.4, 0.4, 1.0 }, .dash = SW_DASH_DASHED };
  sw_panel_add_line (zp, zx, zy, 2, "z = 3", &ts, NULL);
  sw_panel_set_x_limits (zp, 0.5, res->max_hop + 0.5);
  gboolean ok = sw_cli_save_figure (fig, path, 1200, 480, error);
  sw_figure_free (fig);
  return ok;
}

/* ------------------------------------------------------------------------ */
/* perturb --sweep                                                           */

typedef struct
{
  double x, y;
  gboolean blowup;
  double frac1, frac2, z1, z2, r21;
} SweepPoint;

/* The unit of a swept name for the axis label: a node parameter's own unit
 * when the value went to that parameter unchanged (@doc was loaded at the
 * axis value @x); a document variable of the same name takes precedence and
 * has a unit of its own, which the document does not keep, so such axes
 * (and G) go without one. */
static const char *
sweep_unit (const SwMassDoc *doc, const char *name, double x)
{
  for (int k = 0; k < doc->type->n_params; k++)
    if (strcmp (doc->type->params[k].name, name) == 0)
      return fabs (doc->params[k] - x) <= 1e-12 * (1.0 + fabs (x)) ? param_unit (&doc->type->params[k]) : NULL;
  return NULL;
}

static double
cell_edge (const SwCliAxis *a, gboolean upper)
{
  double d = a->n > 1 ? (a->max - a->min) / (a->n - 1) : 0.5 * (1.0 + fabs (a->min));
  return upper ? a->max + 0.5 * d : a->min - 0.5 * d;
}

static gboolean
sweep_figure (const char *path, const SwMassDoc *doc, const SwCliAxis *ax, const SwCliAxis *ay,
              const SweepPoint *pts, GError **error)
{
  const char *ux = sweep_unit (doc, ax->name, pts[0].x);
  g_autofree char *title = g_strdup_printf ("Pulse into %s", doc->net->labels[doc->pert_source]);
  SwFigure *fig;
  if (ay == NULL)
    {
      int n = ax->n;
      g_autofree double *x = g_new (double, n);
      g_autofree double *f1 = g_new (double, n);
      g_autofree double *f2 = g_new (double, n);
      g_autofree double *r = g_new (double, n);
      for (int i = 0; i < n; i++)
        {
          x[i] = pts[i].x;
          f1[i] = pts[i].frac1;
          f2[i] = pts[i].frac2;
          r[i] = pts[i].r21;
        }
      fig = sw_figure_new (1, 2);
      SwPanel *p = sw_figure_panel (fig, 0, 0);
      sw_panel_set_title (p, title);
      sw_panel_set_x_label (p, ax->name, ux);
      sw_panel_set_y_label (p, "Fraction of regions reached (z > 3)", NULL);
      SwStyle s1 = { .marker = SW_MARKER_CIRCLE };
      SwStyle s2 = { .marker = SW_MARKER_CIRCLE, .dash = SW_DASH_DASHED };
      sw_panel_add_line (p, x, f1, n, "1 hop", &s1, NULL);
      sw_panel_add_line (p, x, f2, n, ">= 2 hops", &s2, NULL);
      sw_panel_set_y_limits (p, 0.0, 1.05);
      SwPanel *q = sw_figure_panel (fig, 0, 1);
      sw_panel_set_title (q, "Two-hop over one-hop peak (R21)");
      sw_panel_set_x_label (q, ax->name, ux);
      sw_panel_set_y_label (q, "R21 = median peak (2 hops) / median peak (1 hop)", NULL);
      sw_panel_add_line (q, x, r, n, "R21", &s1, NULL);
    }
  else
    {
      const char *uy = sweep_unit (doc, ay->name, pts[0].y);
      int nx = ax->n, ny = ay->n;
      g_autofree double *v = g_new (double, (size_t) nx * ny);
      const char *labels[3] = { "Fraction reached, 1 hop", "Fraction reached, >= 2 hops", "R21" };
      fig = sw_figure_new (1, 3);
      for (int c = 0; c < 3; c++)
        {
          for (int k = 0; k < nx * ny; k++)
            v[k] = c == 0 ? pts[k].frac1 : c == 1 ? pts[k].frac2 : pts[k].r21;
          SwPanel *p = sw_figure_panel (fig, 0, c);
          g_autofree char *t = g_strdup_printf ("%s: %s", title, labels[c]);
          sw_panel_set_title (p, c == 0 ? t : labels[c]);
          sw_panel_set_x_label (p, ax->name, ux);
          sw_panel_set_y_label (p, ay->name, uy);
          sw_panel_add_heatmap (p, v, nx, ny, cell_edge (ax, FALSE), cell_edge (ax, TRUE), cell_edge (ay, FALSE),
                                cell_edge (ay, TRUE), SW_COLORMAP_VIRIDIS, labels[c], NULL, NULL);
          if (c < 2)
            sw_panel_set_colour_limits (p, 0.0, 1.0);
        }
    }
  gboolean ok = sw_cli_save_figure (fig, path, ay == NULL ? 1200 : 1500, 480, error);
  sw_figure_free (fig);
  return ok;
}

/* One point of a sweep: the document re-loaded with the point's values
 * added to the sets, then the protocol.  Returns FALSE with @error for
 * input errors (an unknown name, a value out of range); a simulation that
 * fails (a blow-up) marks the point instead. */
static gboolean
sweep_point (const char *what, GPtrArray *base, const SwCliAxis *ax, const SwCliAxis *ay, SweepPoint *pt,
             SwMassDoc **first, GError **error)
{
  g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  char num[G_ASCII_DTOSTR_BUF_SIZE];
  for (guint k = 0; k < base->len; k++)
    g_ptr_array_add (all, g_strdup (base->pdata[k]));
  g_ptr_array_add (all, g_strdup_printf ("%s=%s", ax->name, g_ascii_dtostr (num, sizeof num, pt->x)));
  if (ay != NULL)
    g_ptr_array_add (all, g_strdup_printf ("%s=%s", ay->name, g_ascii_dtostr (num, sizeof num, pt->y)));
  g_ptr_array_add (all, NULL);
  SwMassDoc *doc = sw_mass_doc_load (what, (char **) all->pdata, error);
  if (doc == NULL)
    return FALSE;
  if (doc->net == NULL || doc->pert_source < 0)
    {
      g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "%s: perturb needs a network document and a source "
                   "region (--source REGION or perturbation.source)", what);
      sw_mass_doc_free (doc);
      return FALSE;
    }
  SwMassConfig cfg;
  sw_mass_doc_config (doc, &cfg);
  SwMassPerturbProtocol prot = {
    .source = doc->pert_source, .amplitude = doc->pert_amplitude, .pulse_s = doc->pert_pulse_s,
    .warmup_s = doc->pert_warmup_s, .window_s = doc->pert_window_s,
  };
  SwMassPerturbResult res;
  SwError err;
  SwStatus st = sw_mass_perturb (&cfg, &prot, &res, &err);
  if (st == SW_ERR_INVALID)
    {
      g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "%s: %s", what, err.text);
      sw_mass_doc_free (doc);
      return FALSE;
    }
  if (st != SW_OK)
    {
      pt->blowup = TRUE;
      pt->frac1 = pt->frac2 = pt->z1 = pt->z2 = pt->r21 = NAN;
      if (ay != NULL)
        g_printerr ("spikeworks-cli: %s at %s = %g, %s = %g: %s\n", what, ax->name, pt->x, ay->name, pt->y, err.text);
      else
        g_printerr ("spikeworks-cli: %s at %s = %g: %s\n", what, ax->name, pt->x, err.text);
    }
  else
    {
      const SwMassHopSummary *h1 = res.max_hop >= 1 ? &res.by_hop[0] : NULL;
      pt->frac1 = h1 != NULL ? h1->frac_reached : NAN;
      pt->z1 = h1 != NULL ? h1->median_z : NAN;
      pt->frac2 = res.two_plus.n > 0 ? res.two_plus.frac_reached : NAN;
      pt->z2 = res.two_plus.n > 0 ? res.two_plus.median_z : NAN;
      pt->r21 = res.r21;
      sw_mass_perturb_result_clear (&res);
    }
  if (*first == NULL)
    *first = doc;
  else
    sw_mass_doc_free (doc);
  return TRUE;
}

static int
perturb_sweep (const char *what, GPtrArray *base, const char *sweep, const char *sweep2, const char *csv,
               const char *figure)
{
  g_autoptr (GError) error = NULL;
  SwCliAxis ax = { 0 }, ay = { 0 };
  if (!sw_cli_parse_axis (sweep, "--sweep", "G:0:90:10", 64, &ax, &error))
    return sw_cli_fail (error);
  if (sweep2 != NULL && !sw_cli_parse_axis (sweep2, "--sweep2", "tau:5:20:4", 64, &ay, &error))
    {
      g_free (ax.name);
      return sw_cli_fail (error);
    }
  const SwCliAxis *pay = sweep2 != NULL ? &ay : NULL;
  int ny = pay != NULL ? ay.n : 1, np = ax.n * ny;
  g_autofree SweepPoint *pts = g_new0 (SweepPoint, np);
  SwMassDoc *doc = NULL;
  int status = SW_CLI_EXIT_OK;
  for (int j = 0; j < ny && status == SW_CLI_EXIT_OK; j++)
    for (int i = 0; i < ax.n; i++)
      {
        SweepPoint *pt = &pts[j * ax.n + i];
        pt->x = sw_cli_axis_value (&ax, i);
        pt->y = pay != NULL ? sw_cli_axis_value (&ay, j) : NAN;
        if (!sweep_point (what, base, &ax, pay, pt, &doc, &error))
          {
            status = sw_cli_fail (error);
            break;
          }
      }
  if (status == SW_CLI_EXIT_OK && csv != NULL)
    {
      g_autoptr (GString) s = g_string_new (ax.name);
      if (pay != NULL)
        g_string_append_printf (s, ",%s", ay.name);
      g_string_append (s, ",blowup,fraction_1hop,fraction_2plus,median_z_1hop,median_z_2plus,R21\n");
      for (int k = 0; k < np; k++)
        {
          g_string_append_printf (s, "%.9g", pts[k].x);
          if (pay != NULL)
            g_string_append_printf (s, ",%.9g", pts[k].y);
          g_string_append_printf (s, ",%d,%.6g,%.6g,%.6g,%.6g,%.6g\n", pts[k].blowup ? 1 : 0, pts[k].frac1,
                                  pts[k].frac2, pts[k].z1, pts[k].z2, pts[k].r21);
        }
      if (!save_text (csv, s, &error))
        status = sw_cli_fail (error);
    }
  if (status == SW_CLI_EXIT_OK && figure != NULL && !sweep_figure (figure, doc, &ax, pay, pts, &error))
    status = sw_cli_fail (error);
  if (status == SW_CLI_EXIT_OK)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      add_string (b, "document", doc->location);
      add_string (b, "model", doc->type->name);
      add_string (b, "source", doc->net->labels[doc->pert_source]);
      add_string (b, "sweep", ax.name);
      if (pay != NULL)
        add_string (b, "sweep2", ay.name);
      json_builder_set_member_name (b, "points");
      json_builder_begin_array (b);
      for (int k = 0; k < np; k++)
        {
          json_builder_begin_object (b);
          sw_cli_json_add_number (b, ax.name, pts[k].x);
          if (pay != NULL)
            sw_cli_json_add_number (b, ay.name, pts[k].y);
          json_builder_set_member_name (b, "blowup");
          json_builder_add_boolean_value (b, pts[k].blowup);
          sw_cli_json_add_number (b, "fraction_1hop", pts[k].frac1);
          sw_cli_json_add_number (b, "fraction_2plus", pts[k].frac2);
          sw_cli_json_add_number (b, "median_z_1hop", pts[k].z1);
          sw_cli_json_add_number (b, "median_z_2plus", pts[k].z2);
          sw_cli_json_add_number (b, "R21", pts[k].r21);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      sw_cli_print_json (b);
    }
  if (doc != NULL)
    sw_mass_doc_free (doc);
  g_free (ax.name);
  g_free (ay.name);
  return status;
}

static int
cmd_perturb (int argc, char **argv)
{
  g_auto (GStrv) sets = NULL;
  g_autofree char *source = NULL, *csv = NULL, *amplitude = NULL, *figure = NULL, *sweep = NULL, *sweep2 = NULL;
  GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Set a variable or parameter (repeatable)", "NAME=VALUE" },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source, "Region receiving the pulse (label or index)", "REGION" },
    { "amplitude", 0, 0, G_OPTION_ARG_STRING, &amplitude, "Pulse amplitude, in the unit of the input parameter", "VALUE" },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv, "Write the response of every region", "FILE" },
    { "figure", 0, 0, G_OPTION_ARG_FILENAME, &figure, "Draw the responses by hop class (.png, .svg, .pdf)", "FILE" },
    { "sweep", 0, 0, G_OPTION_ARG_STRING, &sweep, "Repeat the protocol over values of a variable, parameter or G", "NAME:MIN:MAX:N" },
    { "sweep2", 0, 0, G_OPTION_ARG_STRING, &sweep2, "A second swept name (a grid with --sweep)", "NAME:MIN:MAX:N" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("DOC|preset:NAME — focal perturbation and its spread by hops");
  g_autoptr (GError) error = NULL;
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return sw_cli_fail (error);
  if (argc != 2)
    return sw_cli_usage ("perturb needs exactly one document or preset:NAME");
  if (!require_mass ("perturb", argv[1], &error))
    return sw_cli_fail (error);
  g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  for (int k = 0; sets != NULL && sets[k] != NULL; k++)
    g_ptr_array_add (all, g_strdup (sets[k]));
  if (source != NULL)
    g_ptr_array_add (all, g_strdup_printf ("source=%s", source));
  if (amplitude != NULL)
    g_ptr_array_add (all, g_strdup_printf ("amplitude=%s", amplitude));
  if (sweep2 != NULL && sweep == NULL)
    return sw_cli_usage ("--sweep2 needs --sweep");
  if (sweep != NULL)
    {
      if (figure != NULL)
        {
          SwPlotFormat f;
          if (!sw_plot_format_from_path (figure, &f))
            return sw_cli_usage ("--figure needs a .png, .svg or .pdf file name");
        }
      return perturb_sweep (argv[1], all, sweep, sweep2, csv, figure);
    }
  g_ptr_array_add (all, NULL);
  g_autoptr (SwMassDoc) doc = sw_mass_doc_load (argv[1], (char **) all->pdata, &error);
  if (doc == NULL)
    return sw_cli_fail (error);
  if (doc->net == NULL)
    return sw_cli_usage ("perturb needs a network document (the field \"network\")");
  if (doc->pert_source < 0)
    return sw_cli_usage ("perturb needs --source REGION (or perturbation.source in the document)");
  SwMassConfig cfg;
  sw_mass_doc_config (doc, &cfg);
  SwMassPerturbProtocol prot = {
    .source = doc->pert_source, .amplitude = doc->pert_amplitude, .pulse_s = doc->pert_pulse_s,
    .warmup_s = doc->pert_warmup_s, .window_s = doc->pert_window_s,
  };
  SwMassPerturbResult res;
  SwError err;
  SwStatus st = sw_mass_perturb (&cfg, &prot, &res, &err);
  if (st != SW_OK)
    return fail_core (argv[1], &err, st);
  int n = res.n_nodes;
  if (csv != NULL)
    {
      g_autoptr (GString) s = g_string_new ("region,hop,peak,latency_ms,area,baseline_sd,z,reached\n");
      for (int i = 0; i < n; i++)
        {
          const SwMassNodeResponse *r = &res.nodes[i];
          g_string_append_printf (s, "%s,%d,%.9g,%.6g,%.9g,%.9g,%.6g,%d\n", doc->net->labels[i], r->hop, r->peak,
                                  r->latency_s * 1e3, r->area, r->sd, r->z, r->reached ? 1 : 0);
        }
      if (!save_text (csv, s, &error))
        {
          sw_mass_perturb_result_clear (&res);
          return sw_cli_fail (error);
        }
    }
  if (figure != NULL && !perturb_figure (figure, doc, &res, &error))
    {
      sw_mass_perturb_result_clear (&res);
      return sw_cli_fail (error);
    }
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  add_string (b, "document", doc->location);
  add_string (b, "model", doc->type->name);
  add_string (b, "source", doc->net->labels[doc->pert_source]);
  add_string (b, "input", doc->type->params[doc->type->input_param].name);
  sw_cli_json_add_number (b, "amplitude", res.amplitude);
  sw_cli_json_add_number (b, "pulse_ms", prot.pulse_s * 1e3);
  sw_cli_json_add_number (b, "coupling", doc->g);
  json_builder_set_member_name (b, "by_hop");
  json_builder_begin_array (b);
  for (int h = 0; h < res.max_hop; h++)
    add_summary (b, &res.by_hop[h]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "two_or_more_hops");
  add_summary (b, &res.two_plus);
  sw_cli_json_add_number (b, "R21", res.r21);
  json_builder_end_object (b);
  sw_cli_print_json (b);
  sw_mass_perturb_result_clear (&res);
  return SW_CLI_EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* phaseplane                                                                */

typedef struct
{
  SwPlane plane;
  double base[SW_FIELD_MAX];
  const char *x_name, *y_name, *x_unit, *y_unit;
  double x0, x1, y0, y1;
  double traj_dt;            /* trajectory step (s) */
  int traj_steps;
} Plane;

static gboolean
plane_outputs (const Plane *pl, const char *figure, const char *csv, const char *title,
               SwPlanePoint *pts, int n_pts, JsonBuilder *b, GError **error)
{
  SwMfPolyline *xl = NULL, *yl = NULL;
  int nxl = 0, nyl = 0;
  SwError err;
  if (sw_plane_nullclines (&pl->plane, pl->x0, pl->x1, 241, pl->y0, pl->y1, 241, &xl, &nxl, &yl, &nyl, &err)
      != SW_OK)
    {
      g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "%s", err.text);
      return FALSE;
    }
  json_builder_set_member_name (b, "nullcline_pieces");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, pl->x_name);
  json_builder_add_int_value (b, nxl);
  json_builder_set_member_name (b, pl->y_name);
  json_builder_add_int_value (b, nyl);
  json_builder_end_object (b);
  gboolean ok = TRUE;
  if (csv != NULL)
    {
      g_autoptr (GString) s = g_string_new ("curve,piece,x,y\n");
      for (int l = 0; l < nxl; l++)
        for (int k = 0; k < xl[l].n; k++)
          g_string_append_printf (s, "%s_nullcline,%d,%.9g,%.9g\n", pl->x_name, l, xl[l].x[k], xl[l].y[k]);
      for (int l = 0; l < nyl; l++)
        for (int k = 0; k < yl[l].n; k++)
          g_string_append_printf (s, "%s_nullcline,%d,%.9g,%.9g\n", pl->y_name, l, yl[l].x[k], yl[l].y[k]);
      for (int k = 0; k < n_pts; k++)
        g_string_append_printf (s, "fixed_point,%d,%.9g,%.9g\n", k, pts[k].x, pts[k].y);
      ok = save_text (csv, s, error);
    }
  if (ok && figure != NULL)
    {
      SwFigure *fig = sw_figure_new (1, 1);
      SwPanel *p = sw_figure_panel (fig, 0, 0);
      sw_panel_set_title (p, title);
      sw_panel_set_x_label (p, pl->x_name, pl->x_unit);
      sw_panel_set_y_label (p, pl->y_name, pl->y_unit);
      sw_panel_set_x_limits (p, pl->x0, pl->x1);
      sw_panel_set_y_limits (p, pl->y0, pl->y1);
      sw_panel_set_legend (p, SW_LEGEND_OUTSIDE);
      /* Trajectories from a 3 x 3 grid of starts, thin and grey. */
      SwStyle ts = { .colour = { 0.55, 0.55, 0.55, 1.0 }, .width = 0.6, .dash = SW_DASH_SOLID };
      g_autofree double *tx = g_new (double, pl->traj_steps + 1);
      g_autofree double *ty = g_new (double, pl->traj_steps + 1);
      for (int j = 0; j < 3; j++)
        for (int i = 0; i < 3; i++)
          {
            double sx = pl->x0 + (pl->x1 - pl->x0) * (i + 0.5) / 3, sy = pl->y0 + (pl->y1 - pl->y0) * (j + 0.5) / 3;
            int m = sw_plane_trajectory (&pl->plane, sx, sy, pl->traj_dt, pl->traj_steps, tx, ty);
            sw_panel_add_line (p, tx, ty, m, i == 0 && j == 0 ? "trajectories" : NULL, &ts, NULL);
          }
      g_autofree char *lx = g_strdup_printf ("%s-nullcline (d%s/dt = 0)", pl->x_name, pl->x_name);
      g_autofree char *ly = g_strdup_printf ("%s-nullcline (d%s/dt = 0)", pl->y_name, pl->y_name);
      SwStyle sx_style = { .colour = { 0.0, 0.45, 0.70, 1.0 }, .width = 2.0, .dash = SW_DASH_SOLID };
      SwStyle sy_style = { .colour = { 0.84, 0.37, 0.0, 1.0 }, .width = 2.0, .dash = SW_DASH_DASHED };
      for (int l = 0; l < nxl; l++)
        sw_panel_add_line (p, xl[l].x, xl[l].y, xl[l].n, l == 0 ? lx : NULL, &sx_style, NULL);
      for (int l = 0; l < nyl; l++)
        sw_panel_add_line (p, yl[l].x, yl[l].y, yl[l].n, l == 0 ? ly : NULL, &sy_style, NULL);
      gboolean seen[SW_FP_N_TYPES] = { FALSE };
      for (int k = 0; k < n_pts; k++)
        {
          SwStyle ps = { .colour = { 0, 0, 0, 1 }, .marker_size = 1.6 };
          /* Shape tells the type apart without colour: nodes circles,
           * foci diamonds, saddles crosses, centres squares; filled when
           * stable, open when not. */
          switch (pts[k].type)
            {
            case SW_FP_STABLE_NODE:
              ps.marker = SW_MARKER_CIRCLE;
              break;
            case SW_FP_STABLE_FOCUS:
              ps.marker = SW_MARKER_DIAMOND;
              break;
            case SW_FP_UNSTABLE_NODE:
              ps.marker = SW_MARKER_CIRCLE;
              ps.open_marker = TRUE;
              break;
            case SW_FP_UNSTABLE_FOCUS:
              ps.marker = SW_MARKER_DIAMOND;
              ps.open_marker = TRUE;
              break;
            case SW_FP_SADDLE:
              ps.marker = SW_MARKER_CROSS;
              break;
            default:
              ps.marker = SW_MARKER_SQUARE;
              ps.open_marker = TRUE;
              break;
            }
          const char *label = seen[pts[k].type] ? NULL : sw_fixed_point_type_name (pts[k].type);
          seen[pts[k].type] = TRUE;
          sw_panel_add_points (p, &pts[k].x, &pts[k].y, 1, label, &ps, NULL);
        }
      ok = sw_cli_save_figure (fig, figure, 860, 560, error);
      sw_figure_free (fig);
    }
  sw_mf_polylines_free (xl, nxl);
  sw_mf_polylines_free (yl, nyl);
  return ok;
}

static void
add_plane_points (JsonBuilder *b, const Plane *pl, const SwPlanePoint *pts, int n)
{
  json_builder_set_member_name (b, "fixed_points");
  json_builder_begin_array (b);
  for (int k = 0; k < n; k++)
    {
      json_builder_begin_object (b);
      sw_cli_json_add_number (b, pl->x_name, pts[k].x);
      sw_cli_json_add_number (b, pl->y_name, pts[k].y);
      add_string (b, "type", sw_fixed_point_type_name (pts[k].type));
      json_builder_set_member_name (b, "eigenvalues");
      json_builder_begin_array (b);
      for (int e = 0; e < 2; e++)
        {
          json_builder_begin_object (b);
          sw_cli_json_add_number (b, "re", pts[k].eig_re[e]);
          sw_cli_json_add_number (b, "im", pts[k].eig_im[e]);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      if (pts[k].eig_im[0] != 0.0)
        sw_cli_json_add_number (b, "damped_frequency_hz", fabs (pts[k].eig_im[0]) / (2 * M_PI));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static int
phaseplane_meanfield (const char *what, char **sets, const char *x_name, const char *y_name,
                      const char *xlim, const char *ylim, const char *coeffs, const char *figure,
                      const char *csv)
{
  g_autoptr (GError) error = NULL;
  const char *xn = x_name != NULL ? x_name : "nu_e", *yn = y_name != NULL ? y_name : "nu_i";
  if (!((strcmp (xn, "nu_e") == 0 && strcmp (yn, "nu_i") == 0)
        || (strcmp (xn, "nu_i") == 0 && strcmp (yn, "nu_e") == 0)))
    return sw_cli_usage ("the phase plane of a network document is the mean field's: --x nu_e --y nu_i");
  g_autoptr (SwDocument) doc = sw_cli_load_with_sets (what, sets, &error);
  if (doc == NULL)
    return sw_cli_fail (error);
  SwMfConfig cfg;
  if (!sw_cli_mf_config (doc, coeffs, 0, &cfg, &error))
    return sw_cli_fail (error);
  SwMfFixedPoints fps;
  SwError err;
  if (sw_mf_fixed_points (&cfg, &fps, &err) != SW_OK)
    return fail_core (what, &err, SW_ERR_BLOWUP);
  if (fps.report_index < 0)
    {
      g_printerr ("spikeworks-cli: %s: the mean field has no non-quiescent fixed point to project on\n", what);
      return SW_CLI_EXIT_SIMULATION;
    }
  const SwMfFixedPoint *ref = &fps.roots[fps.report_index];
  SwMfPlaneField mf;
  Plane pl = { 0 };
  sw_mf_plane_field_init (&mf, &cfg, ref->w_pa, &pl.plane.field);
  gboolean swap = strcmp (xn, "nu_i") == 0;
  pl.plane.base = pl.base;
  pl.plane.ix = swap ? 1 : 0;
  pl.plane.iy = swap ? 0 : 1;
  pl.x_name = xn;
  pl.y_name = yn;
  pl.x_unit = pl.y_unit = "Hz";
  double rx = swap ? ref->nu_i_hz : ref->nu_e_hz, ry = swap ? ref->nu_e_hz : ref->nu_i_hz;
  pl.x0 = 0.0;
  pl.x1 = MAX (3.0 * rx, 5.0);
  pl.y0 = 0.0;
  pl.y1 = MAX (3.0 * ry, 5.0);
  if ((xlim && !parse_range (xlim, "--xlim", &pl.x0, &pl.x1, &error))
      || (ylim && !parse_range (ylim, "--ylim", &pl.y0, &pl.y1, &error)))
    return sw_cli_fail (error);
  pl.traj_dt = 1e-4;
  pl.traj_steps = 3000;
  SwPlanePoint pts[32];
  int n_pts = 0;
  if (sw_plane_fixed_points (&pl.plane, pl.x0, pl.x1, pl.y0, pl.y1, 16, pts, 32, &n_pts, &err) != SW_OK)
    return fail_core (what, &err, SW_ERR_INVALID);
  /* The class of the projected point nearest the asynchronous state. */
  int near = -1;
  double best = INFINITY;
  for (int k = 0; k < n_pts; k++)
    {
      double d = hypot (pts[k].x - rx, pts[k].y - ry);
      if (d < best)
        {
          best = d;
          near = k;
        }
    }
  const char *plane_class = "none";
  if (near >= 0)
    {
      SwFixedPointType t = pts[near].type;
      plane_class = t == SW_FP_STABLE_FOCUS ? "UD" : t == SW_FP_STABLE_NODE ? "OD" : "unstable";
    }
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  add_string (b, "document", what);
  add_string (b, "system", "mean field (first order), adaptation W held at its fixed-point value");
  add_string (b, "x", xn);
  add_string (b, "y", yn);
  sw_cli_json_add_number (b, "w_pa", ref->w_pa);
  add_plane_points (b, &pl, pts, n_pts);
  add_string (b, "plane_class", plane_class);
  add_string (b, "mf_class", sw_mf_class_name (fps.cls));
  g_autofree char *title = g_strdup_printf ("Mean-field phase plane (W = %.1f pA)", ref->w_pa);
  if (!plane_outputs (&pl, figure, csv, title, pts, n_pts, b, &error))
    return sw_cli_fail (error);
  json_builder_end_object (b);
  sw_cli_print_json (b);
  return SW_CLI_EXIT_OK;
}

static int
cmd_phaseplane (int argc, char **argv)
{
  g_auto (GStrv) sets = NULL;
  g_autofree char *x_name = NULL, *y_name = NULL, *xlim = NULL, *ylim = NULL, *figure = NULL, *csv = NULL,
                  *coeffs = NULL;
  GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Set a variable or parameter (repeatable)", "NAME=VALUE" },
    { "x", 0, 0, G_OPTION_ARG_STRING, &x_name, "State variable on the x axis", "VAR" },
    { "y", 0, 0, G_OPTION_ARG_STRING, &y_name, "State variable on the y axis", "VAR" },
    { "xlim", 0, 0, G_OPTION_ARG_STRING, &xlim, "Range of x (default: around the dynamics)", "MIN:MAX" },
    { "ylim", 0, 0, G_OPTION_ARG_STRING, &ylim, "Range of y", "MIN:MAX" },
    { "coeffs", 0, 0, G_OPTION_ARG_STRING, &coeffs, "Network documents: transfer-function coefficients", "NAME|FILE" },
    { "figure", 0, 0, G_OPTION_ARG_FILENAME, &figure, "Draw nullclines, fixed points, trajectories", "FILE" },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv, "Write nullclines and fixed points", "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("DOC|preset:NAME — phase plane of two variables");
  g_autoptr (GError) error = NULL;
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return sw_cli_fail (error);
  if (argc != 2)
    return sw_cli_usage ("phaseplane needs exactly one document or preset:NAME");
  if (figure != NULL)
    {
      SwPlotFormat f;
      if (!sw_plot_format_from_path (figure, &f))
        return sw_cli_usage ("--figure needs a .png, .svg or .pdf file name");
    }
  SwDocKind kind;
  if (!sw_doc_kind_peek (argv[1], &kind, &error))
    return sw_cli_fail (error);
  if (kind == SW_DOC_KIND_NETWORK)
    return phaseplane_meanfield (argv[1], sets, x_name, y_name, xlim, ylim, coeffs, figure, csv);
  if (kind != SW_DOC_KIND_MASS)
    return sw_cli_usage ("phaseplane takes neural-mass documents and point-neuron networks (their mean field)");

  g_autoptr (SwMassDoc) doc = sw_mass_doc_load (argv[1], sets, &error);
  if (doc == NULL)
    return sw_cli_fail (error);
  const SwMassType *t = doc->type;
  g_autoptr (GString) names = g_string_new (NULL);
  for (int k = 0; k < t->n_state; k++)
    g_string_append_printf (names, "%s%s", k ? ", " : "", t->state[k].name);
  const char *xn = x_name != NULL ? x_name : t->state[0].name;
  const char *yn = y_name != NULL ? y_name : (t->n_state > 1 ? t->state[1].name : NULL);
  int ix = sw_mass_type_state (t, xn), iy = yn != NULL ? sw_mass_type_state (t, yn) : -1;
  if (ix < 0 || iy < 0 || ix == iy)
    {
      g_autofree char *msg = g_strdup_printf ("--x and --y must name two different state variables of %s (%s)",
                                              t->name, names->str);
      return sw_cli_usage (msg);
    }
  SwMassField mf;
  Plane pl = { 0 };
  sw_mass_field_init (&mf, t, doc->params, &pl.plane.field);
  /* The variables outside the plane sit at the state the node settles to
   * from its initial state (a fixed point when Newton finds one). */
  double settled[SW_FIELD_MAX];
  memcpy (settled, doc->initial, t->n_state * sizeof (double));
  long steps = lround (MIN (doc->duration_s, 20.0) / doc->dt_s);
  g_autofree double *tx = g_new (double, steps + 1);
  g_autofree double *ty = g_new (double, steps + 1);
  /* Trajectory of the full system for the default ranges. */
  SwMassConfig cfg;
  sw_mass_doc_config (doc, &cfg);
  cfg.n_nodes = 1;
  cfg.weights = NULL;
  cfg.delay_steps = NULL;
  cfg.threads = 1;
  cfg.initial = doc->initial;
  SwMassSim *sim;
  SwError err;
  SwStatus st = sw_mass_sim_new (&cfg, &sim, &err);
  if (st != SW_OK)
    return fail_core (argv[1], &err, st);
  double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
  long chunk = MAX (1, steps / 2000);
  for (long s = 0; s < steps; s += chunk)
    {
      st = sw_mass_sim_run (sim, chunk, 1, NULL, &err);
      if (st != SW_OK)
        break;
      const double *x = sw_mass_sim_state (sim);
      if (s >= steps / 2)
        {
          xmin = MIN (xmin, x[ix]);
          xmax = MAX (xmax, x[ix]);
          ymin = MIN (ymin, x[iy]);
          ymax = MAX (ymax, x[iy]);
        }
    }
  if (st == SW_OK)
    memcpy (settled, sw_mass_sim_state (sim), t->n_state * sizeof (double));
  sw_mass_sim_free (sim);
  if (st != SW_OK)
    return fail_core (argv[1], &err, st);
  double fp[SW_FIELD_MAX];
  gboolean base_fixed = sw_field_newton (&pl.plane.field, settled, 1e-12, fp, NULL) == SW_OK;
  memcpy (pl.base, base_fixed ? fp : settled, t->n_state * sizeof (double));
  pl.plane.base = pl.base;
  pl.plane.ix = ix;
  pl.plane.iy = iy;
  pl.x_name = xn;
  pl.y_name = yn;
  pl.x_unit = t->state[ix].unit[0] ? t->state[ix].unit : NULL;
  pl.y_unit = t->state[iy].unit[0] ? t->state[iy].unit : NULL;
  /* Default box: the late dynamics with the initial state, widened. */
  xmin = MIN (xmin, doc->initial[ix]);
  xmax = MAX (xmax, doc->initial[ix]);
  ymin = MIN (ymin, doc->initial[iy]);
  ymax = MAX (ymax, doc->initial[iy]);
  double wx = MAX (xmax - xmin, 0.5 * (fabs (xmax) + 1.0)), wy = MAX (ymax - ymin, 0.5 * (fabs (ymax) + 1.0));
  pl.x0 = xmin - 0.4 * wx;
  pl.x1 = xmax + 0.4 * wx;
  pl.y0 = ymin - 0.4 * wy;
  pl.y1 = ymax + 0.4 * wy;
  if (t->clip_min != NULL)
    {
      pl.x0 = MAX (pl.x0, t->clip_min[ix]);
      pl.y0 = MAX (pl.y0, t->clip_min[iy]);
    }
  if ((xlim && !parse_range (xlim, "--xlim", &pl.x0, &pl.x1, &error))
      || (ylim && !parse_range (ylim, "--ylim", &pl.y0, &pl.y1, &error)))
    return sw_cli_fail (error);
  pl.traj_dt = doc->dt_s;
  pl.traj_steps = (int) MIN (steps, 200000);
  SwPlanePoint pts[32];
  int n_pts = 0;
  if (sw_plane_fixed_points (&pl.plane, pl.x0, pl.x1, pl.y0, pl.y1, 16, pts, 32, &n_pts, &err) != SW_OK)
    return fail_core (argv[1], &err, SW_ERR_INVALID);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  add_string (b, "document", doc->location);
  add_string (b, "model", t->name);
  add_string (b, "system", doc->net != NULL ? "one node of the network, without coupling or noise"
                                            : "the node without noise");
  add_string (b, "x", xn);
  add_string (b, "y", yn);
  add_string (b, "eigenvalue_unit", "1/s");
  json_builder_set_member_name (b, "range");
  json_builder_begin_object (b);
  sw_cli_json_add_number (b, "x_min", pl.x0);
  sw_cli_json_add_number (b, "x_max", pl.x1);
  sw_cli_json_add_number (b, "y_min", pl.y0);
  sw_cli_json_add_number (b, "y_max", pl.y1);
  json_builder_end_object (b);
  if (t->n_state > 2)
    {
      json_builder_set_member_name (b, "held");
      json_builder_begin_object (b);
      for (int k = 0; k < t->n_state; k++)
        if (k != ix && k != iy)
          sw_cli_json_add_number (b, t->state[k].name, pl.base[k]);
      json_builder_end_object (b);
      add_string (b, "held_at", base_fixed ? "fixed point" : "end of a run from the initial state");
    }
  add_plane_points (b, &pl, pts, n_pts);
  g_autofree char *title = g_strdup_printf ("%s: phase plane", t->label);
  if (!plane_outputs (&pl, figure, csv, title, pts, n_pts, b, &error))
    return sw_cli_fail (error);
  json_builder_end_object (b);
  sw_cli_print_json (b);
  return SW_CLI_EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* bifurcation                                                               */

static int
cmd_bifurcation (int argc, char **argv)
{
  g_auto (GStrv) sets = NULL;
  g_autofree char *param = NULL, *figure = NULL, *csv = NULL;
  GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Set a variable or parameter (repeatable)", "NAME=VALUE" },
    { "param", 0, 0, G_OPTION_ARG_STRING, &param, "Parameter, range and number of simulated points", "NAME:MIN:MAX:N" },
    { "figure", 0, 0, G_OPTION_ARG_FILENAME, &figure, "Draw the diagram (.png, .svg, .pdf)", "FILE" },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv, "Write branch points and cycle extents", "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("DOC|preset:NAME — one-parameter bifurcation diagram");
  g_autoptr (GError) error = NULL;
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return sw_cli_fail (error);
  if (argc != 2)
    return sw_cli_usage ("bifurcation needs exactly one document or preset:NAME");
  if (param == NULL)
    return sw_cli_usage ("bifurcation needs --param NAME:MIN:MAX:N");
  if (!require_mass ("bifurcation", argv[1], &error))
    return sw_cli_fail (error);
  g_auto (GStrv) parts = g_strsplit (param, ":", -1);
  double lo, hi;
  char *end = NULL;
  long npts = 0;
  if (g_strv_length (parts) != 4)
    return sw_cli_usage ("--param: expected NAME:MIN:MAX:N");
  g_autofree char *range = g_strdup_printf ("%s:%s", parts[1], parts[2]);
  if (!parse_range (range, "--param", &lo, &hi, &error))
    return sw_cli_fail (error);
  npts = strtol (parts[3], &end, 10);
  if (end == parts[3] || *end != '\0' || npts < 2 || npts > 100000)
    return sw_cli_usage ("--param: N must be a whole number from 2 to 100000");
  if (figure != NULL)
    {
      SwPlotFormat f;
      if (!sw_plot_format_from_path (figure, &f))
        return sw_cli_usage ("--figure needs a .png, .svg or .pdf file name");
    }
  g_autoptr (SwMassDoc) doc = sw_mass_doc_load (argv[1], sets, &error);
  if (doc == NULL)
    return sw_cli_fail (error);
  const SwMassType *t = doc->type;
  int ip = sw_mass_type_param (t, parts[0]);
  if (ip < 0)
    {
      g_autoptr (GString) msg = g_string_new (NULL);
      g_string_printf (msg, "--param: model %s has no parameter '%s'", t->name, parts[0]);
      g_autoptr (GPtrArray) pn = g_ptr_array_new ();
      for (int k = 0; k < t->n_params; k++)
        g_ptr_array_add (pn, (gpointer) t->params[k].name);
      g_ptr_array_add (pn, NULL);
      sw_suggest_append (msg, parts[0], (const char *const *) pn->pdata, -1);
      return sw_cli_usage (msg->str);
    }
  const SwParamInfo *pi = &t->params[ip];
  if (lo < pi->min || hi > pi->max)
    {
      g_autofree char *msg = g_strdup_printf ("--param: %s must stay within %g to %g %s", pi->name, pi->min, pi->max, pi->unit);
      return sw_cli_usage (msg);
    }
  double params[SW_MASS_MAX_PARAMS];
  memcpy (params, doc->params, sizeof params);
  /* Random inputs and noise are off for the diagram: it is about the
   * deterministic node. */
  if (t->held_param >= 0)
    params[t->held_param] = 0.0;
  if (t->noise_param >= 0)
    params[t->noise_param] = 0.0;
  gint64 t0 = g_get_monotonic_time ();

  /* Fixed points: settle at MIN and at MAX, refine, and continue over the
   * range from each; a branch whose start lies on one already followed is
   * dropped.  (Branches that do not reach either end of the range stay
   * unseen.) */
  SwMassField mf;
  SwField field;
  sw_mass_field_init (&mf, t, params, &field);
  SwBranch br = { 0 };
  g_autoptr (GArray) starts = g_array_new (FALSE, FALSE, sizeof (int));
  SwError err;
  err.text[0] = '\0';
  gboolean have_branch = FALSE;
  const double ends[2] = { lo, hi };
  for (int e = 0; e < 2; e++)
    {
      double x0[SW_FIELD_MAX];
      memcpy (x0, doc->initial, t->n_state * sizeof (double));
      mf.params[ip] = ends[e];
      sw_field_settle (&field, x0, doc->dt_s, (int) MIN (lround (5.0 / doc->dt_s), 2000000));
      SwBranch one;
      SwError e1;
      if (sw_continue_fixed_points (&field, &mf.params[ip], lo, hi, ends[e], x0, MIN (2.0 / npts, 0.01),
                                    (int) MIN (200 * npts, 200000), &one, &e1) != SW_OK)
        {
          memcpy (&err, &e1, sizeof err);
          continue;
        }
      gboolean known = FALSE;
      for (int k = 0; k < br.n_points && one.n_points > 0; k++)
        {
          const SwBranchPoint *a = &br.points[k];
          int q = e == 0 ? 0 : one.n_points - 1;
          /* The start is the point nearest the end of the range. */
          for (int c = 0; c < one.n_points; c++)
            if (fabs (one.points[c].p - ends[e]) < fabs (one.points[q].p - ends[e]))
              q = c;
          double d = fabs (a->p - one.points[q].p) / (hi - lo);
          for (int v = 0; v < t->n_state; v++)
            d = MAX (d, fabs (a->x[v] - one.points[q].x[v]) / (1.0 + fabs (a->x[v])));
          if (d < 0.02)
            known = TRUE;
        }
      if (known)
        {
          sw_branch_free (&one);
          continue;
        }
      int base = br.n_points;
      g_array_append_val (starts, base);
      br.points = g_renew (SwBranchPoint, br.points, br.n_points + one.n_points);
      memcpy (br.points + br.n_points, one.points, one.n_points * sizeof (SwBranchPoint));
      br.n_points += one.n_points;
      br.special = g_renew (SwBifPoint, br.special, br.n_special + one.n_special + 1);
      for (int k = 0; k < one.n_special; k++)
        {
          br.special[br.n_special] = one.special[k];
          br.special[br.n_special++].after += base;
        }
      have_branch = TRUE;
      sw_branch_free (&one);
    }
  int end_marker = br.n_points;
  g_array_append_val (starts, end_marker);
  /* Cycles by simulation at N values. */
  g_autofree SwCycleStats *cyc = g_new0 (SwCycleStats, npts);
  g_autofree double *pv = g_new (double, npts);
  double transient = MAX (doc->warmup_s, 1.0), record = MIN (MAX (doc->duration_s - doc->warmup_s, 1.0), 5.0);
  for (long k = 0; k < npts; k++)
    {
      pv[k] = lo + (hi - lo) * k / (npts - 1);
      params[ip] = pv[k];
      SwStatus st = sw_mass_cycle_stats (t, params, doc->initial, doc->dt_s, transient, record, doc->seed, &cyc[k], &err);
      if (st != SW_OK)
        {
          g_free (br.points);
  g_free (br.special);
          return fail_core (argv[1], &err, st);
        }
    }
  double seconds = (g_get_monotonic_time () - t0) * 1e-6;

  int nb = br.n_points;
  g_autofree double *bp = g_new (double, nb + 1);
  g_autofree double *bo = g_new (double, nb + 1);
  for (int k = 0; k < nb; k++)
    {
      mf.params[ip] = br.points[k].p;
      bp[k] = br.points[k].p;
      bo[k] = t->observe (mf.params, br.points[k].x);
    }

  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  add_string (b, "document", doc->location);
  add_string (b, "model", t->name);
  add_string (b, "parameter", pi->name);
  add_string (b, "unit", pi->unit);
  add_string (b, "observable", t->observable);
  sw_cli_json_add_number (b, "wall_seconds", seconds);
  if (!have_branch)
    add_string (b, "branch_error", err.text);
  json_builder_set_member_name (b, "branch");
  json_builder_begin_array (b);
  /* Runs of equal stability, to keep the output short. */
  for (int k = 0; k < nb;)
    {
      int e = k, next_start = nb;
      for (guint q = 0; q < starts->len; q++)
        if (g_array_index (starts, int, q) > k)
          {
            next_start = g_array_index (starts, int, q);
            break;
          }
      while (e + 1 < next_start && br.points[e + 1].stable == br.points[k].stable)
        e++;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "branch");
      int which = 0;
      for (guint q = 0; q + 1 < starts->len; q++)
        if (k >= g_array_index (starts, int, q))
          which = (int) q;
      json_builder_add_int_value (b, which);
      add_string (b, "stability", br.points[k].stable ? "stable" : "unstable");
      sw_cli_json_add_number (b, "from", bp[k]);
      sw_cli_json_add_number (b, "to", bp[e]);
      sw_cli_json_add_number (b, "observable_from", bo[k]);
      sw_cli_json_add_number (b, "observable_to", bo[e]);
      json_builder_set_member_name (b, "points");
      json_builder_add_int_value (b, e - k + 1);
      json_builder_end_object (b);
      k = e + 1;
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "hopf");
  json_builder_begin_array (b);
  for (int k = 0; k < br.n_special; k++)
    if (br.special[k].kind == SW_BIF_HOPF)
      {
        json_builder_begin_object (b);
        sw_cli_json_add_number (b, pi->name, br.special[k].p);
        sw_cli_json_add_number (b, "frequency_hz", br.special[k].freq);
        mf.params[ip] = br.special[k].p;
        sw_cli_json_add_number (b, "observable", t->observe (mf.params, br.special[k].x));
        json_builder_end_object (b);
      }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "folds");
  json_builder_begin_array (b);
  for (int k = 0; k < br.n_special; k++)
    if (br.special[k].kind == SW_BIF_FOLD)
      {
        json_builder_begin_object (b);
        sw_cli_json_add_number (b, pi->name, br.special[k].p);
        mf.params[ip] = br.special[k].p;
        sw_cli_json_add_number (b, "observable", t->observe (mf.params, br.special[k].x));
        json_builder_end_object (b);
      }
  json_builder_end_array (b);
  int unsettled = 0;
  for (long k = 0; k < npts; k++)
    unsettled += !cyc[k].settled;
  json_builder_set_member_name (b, "unsettled_points");
  json_builder_add_int_value (b, unsettled);
  json_builder_set_member_name (b, "cycles");
  json_builder_begin_array (b);
  for (long k = 0; k < npts; k++)
    if (cyc[k].cycle)
      {
        json_builder_begin_object (b);
        sw_cli_json_add_number (b, pi->name, pv[k]);
        sw_cli_json_add_number (b, "min", cyc[k].min);
        sw_cli_json_add_number (b, "max", cyc[k].max);
        sw_cli_json_add_number (b, "frequency_hz", cyc[k].freq_hz);
        json_builder_end_object (b);
      }
  json_builder_end_array (b);
  json_builder_end_object (b);

  if (csv != NULL)
    {
      g_autoptr (GString) s = g_string_new ("kind,parameter,observable_min,observable_max,stable_or_frequency_hz\n");
      for (int k = 0; k < nb; k++)
        g_string_append_printf (s, "fixed_point,%.9g,%.9g,%.9g,%d\n", bp[k], bo[k], bo[k], br.points[k].stable ? 1 : 0);
      for (long k = 0; k < npts; k++)
        g_string_append_printf (s, "simulation,%.9g,%.9g,%.9g,%.9g\n", pv[k], cyc[k].min, cyc[k].max,
                                cyc[k].cycle ? cyc[k].freq_hz : 0.0);
      for (int k = 0; k < br.n_special; k++)
        {
          mf.params[ip] = br.special[k].p;
          double o = t->observe (mf.params, br.special[k].x);
          g_string_append_printf (s, "%s,%.9g,%.9g,%.9g,%.9g\n", br.special[k].kind == SW_BIF_HOPF ? "hopf" : "fold",
                                  br.special[k].p, o, o, br.special[k].freq);
        }
      if (!save_text (csv, s, &error))
        {
          g_free (br.points);
  g_free (br.special);
          return sw_cli_fail (error);
        }
    }
  if (figure != NULL)
    {
      SwFigure *fig = sw_figure_new (1, 1);
      SwPanel *p = sw_figure_panel (fig, 0, 0);
      g_autofree char *title = g_strdup_printf ("%s: bifurcation diagram over %s", t->label, pi->name);
      sw_panel_set_title (p, title);
      sw_panel_set_x_label (p, pi->name, param_unit (pi));
      sw_panel_set_y_label (p, t->observable, t->observable_unit[0] ? t->observable_unit : NULL);
      sw_panel_set_x_limits (p, lo, hi);
      sw_panel_set_legend (p, SW_LEGEND_OUTSIDE);
      /* Stable and unstable parts as separate lines (NAN breaks them). */
      g_autofree double *ys = g_new (double, nb + 1);
      g_autofree double *yu = g_new (double, nb + 1);
      for (int k = 0; k < nb; k++)
        {
          gboolean s_here = br.points[k].stable, s_next = k + 1 < nb && br.points[k + 1].stable;
          gboolean s_prev = k > 0 && br.points[k - 1].stable;
          ys[k] = s_here || s_prev || s_next ? bo[k] : NAN;
          yu[k] = !s_here || (k > 0 && !br.points[k - 1].stable) || (k + 1 < nb && !br.points[k + 1].stable) ? bo[k] : NAN;
          if (s_here && !(k > 0 && !br.points[k - 1].stable) && !(k + 1 < nb && !br.points[k + 1].stable))
            yu[k] = NAN;
        }
      /* Separate branches: the last point of each is left out of its lines
       * so that no segment joins two branches. */
      for (guint q = 1; q + 1 < starts->len; q++)
        {
          int k = g_array_index (starts, int, q) - 1;
          if (k >= 0)
            ys[k] = yu[k] = NAN;
        }
      SwStyle ss = { .colour = { 0, 0, 0, 1 }, .width = 2.0, .dash = SW_DASH_SOLID };
      SwStyle us = { .colour = { 0, 0, 0, 1 }, .width = 1.5, .dash = SW_DASH_DASHED };
      sw_panel_add_line (p, bp, ys, nb, "stable fixed point", &ss, NULL);
      sw_panel_add_line (p, bp, yu, nb, "unstable fixed point", &us, NULL);
      g_autofree double *cx = g_new (double, 2 * npts);
      g_autofree double *cy = g_new (double, 2 * npts);
      int nc = 0;
      for (long k = 0; k < npts; k++)
        if (cyc[k].cycle)
          {
            cx[nc] = pv[k];
            cy[nc++] = cyc[k].min;
            cx[nc] = pv[k];
            cy[nc++] = cyc[k].max;
          }
      SwStyle cs = { .colour = { 0.0, 0.45, 0.70, 1.0 }, .marker = SW_MARKER_CIRCLE, .open_marker = TRUE,
                     .marker_size = 0.6 };
      sw_panel_add_points (p, cx, cy, nc, "limit cycle min / max (simulated)", &cs, NULL);
      for (int k = 0; k < br.n_special; k++)
        {
          mf.params[ip] = br.special[k].p;
          double o = t->observe (mf.params, br.special[k].x);
          g_autofree char *label = br.special[k].kind == SW_BIF_HOPF
                                     ? g_strdup_printf ("Hopf %.4g", br.special[k].p)
                                     : g_strdup_printf ("fold %.4g", br.special[k].p);
          sw_panel_add_marker (p, br.special[k].p, o, label, NULL);
        }
      gboolean ok = sw_cli_save_figure (fig, figure, 900, 560, &error);
      sw_figure_free (fig);
      if (!ok)
        {
          g_free (br.points);
  g_free (br.special);
          return sw_cli_fail (error);
        }
    }
  g_free (br.points);
  g_free (br.special);
  sw_cli_print_json (b);
  return SW_CLI_EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* fit-spectrum                                                              */

/* A target spectrum: two numeric columns (frequency in Hz, power), an
 * optional header line, frequencies rising, powers positive. */
static gboolean
read_target (const char *path, GArray *freq, GArray *psd, GError **error)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, error))
    return FALSE;
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  gboolean first = TRUE;
  for (int l = 0; lines[l] != NULL; l++)
    {
      char *line = g_strstrip (lines[l]);
      if (line[0] == '\0' || line[0] == '#')
        continue;
      g_auto (GStrv) f = g_strsplit (line, ",", -1);
      char *e1 = NULL, *e2 = NULL;
      double x = 0, y = 0;
      gboolean numeric = g_strv_length (f) == 2 && (x = g_ascii_strtod (g_strstrip (f[0]), &e1), e1 != f[0] && *e1 == '\0')
                         && (y = g_ascii_strtod (g_strstrip (f[1]), &e2), e2 != f[1] && *e2 == '\0');
      if (!numeric && first && g_strv_length (f) == 2)
        {
          first = FALSE;
          continue; /* the header */
        }
      first = FALSE;
      if (!numeric || !isfinite (x) || !isfinite (y))
        {
          g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE,
                       "%s:%d: expected two numbers per line (frequency in Hz, power), found '%s'", path, l + 1, line);
          return FALSE;
        }
      if (!(y > 0.0))
        {
          g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE,
                       "%s:%d: expected a positive power (its logarithm is fitted), found %g", path, l + 1, y);
          return FALSE;
        }
      if (x < 0.0 || (freq->len > 0 && !(x > g_array_index (freq, double, freq->len - 1))))
        {
          g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE,
                       "%s:%d: expected frequencies >= 0 Hz in rising order, found %g", path, l + 1, x);
          return FALSE;
        }
      g_array_append_val (freq, x);
      g_array_append_val (psd, y);
    }
  if (freq->len < 2)
    {
      g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "%s: expected at least two rows of frequency, power", path);
      return FALSE;
    }
  return TRUE;
}

static double
interp_target (const double *xs, const double *ys, size_t n, double x)
{
  if (x <= xs[0])
    return ys[0];
  if (x >= xs[n - 1])
    return ys[n - 1];
  size_t a = 0;
  while (xs[a + 1] < x)
    a++;
  return ys[a] + (x - xs[a]) / (xs[a + 1] - xs[a]) * (ys[a + 1] - ys[a]);
}

/* The loss sw_mass_fit_spectrum() minimises, for the spectrum @freq, @psd:
 * weighted mean squared difference of log10 P over 1-45 Hz. */
static double
spectrum_loss (const double *freq, const double *psd, size_t nf, const GArray *tf, const GArray *tp,
               const SwMassFitOptions *opt)
{
  double sum = 0.0, wsum = 0.0;
  for (size_t k = 0; k < nf; k++)
    {
      if (freq[k] < 1.0 || freq[k] > 45.0 || !(psd[k] > 0.0))
        continue;
      double t = interp_target ((const double *) tf->data, (const double *) tp->data, tf->len, freq[k]);
      double w = freq[k] >= opt->band_lo_hz && freq[k] <= opt->band_hi_hz ? opt->peak_weight : 1.0;
      double d = log10 (psd[k]) - log10 (t);
      sum += w * d * d;
      wsum += w;
    }
  return wsum > 0.0 ? sum / wsum : INFINITY;
}

static gboolean
fit_figure (const char *path, const SwMassDoc *doc, const GArray *tf, const GArray *tp, const double *f0,
            const double *p0, size_t n0, const double *f1, const double *p1, size_t n1, GError **error)
{
  SwFigure *fig = sw_figure_new (1, 1);
  SwPanel *p = sw_figure_panel (fig, 0, 0);
  g_autofree char *title = g_strdup_printf ("%s: spectrum fitted to the target", doc->type->label);
  sw_panel_set_title (p, title);
  sw_panel_set_x_label (p, "Frequency", "Hz");
  g_autofree char *yl = g_strdup_printf ("Power density of %s", doc->type->observable);
  g_autofree char *yu = doc->type->observable_unit[0] ? g_strdup_printf ("%s²/Hz", doc->type->observable_unit)
                                                      : g_strdup ("1/Hz");
  sw_panel_set_y_label (p, yl, yu);
  sw_panel_set_y_log (p, TRUE);
  SwStyle ts = { .colour = { 0, 0, 0, 1 } };
  SwStyle ss = { .dash = SW_DASH_DOTTED };
  SwStyle fs = { .dash = SW_DASH_SOLID };
  sw_panel_add_line (p, (const double *) tf->data, (const double *) tp->data, tf->len, "target", &ts, NULL);
  sw_panel_add_line (p, f0, p0, n0, "start", &ss, NULL);
  sw_panel_add_line (p, f1, p1, n1, "fitted", &fs, NULL);
  sw_panel_set_x_limits (p, 0.0, 45.0);
  gboolean ok = sw_cli_save_figure (fig, path, 900, 560, error);
  sw_figure_free (fig);
  return ok;
}

static int
cmd_fit_spectrum (int argc, char **argv)
{
  g_auto (GStrv) sets = NULL, bounds = NULL;
  g_autofree char *target = NULL, *names = NULL, *csv = NULL, *figure = NULL;
  int max_evals = 40;
  GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Set a variable or parameter (repeatable)", "NAME=VALUE" },
    { "target", 0, 0, G_OPTION_ARG_FILENAME, &target, "Target spectrum: CSV of frequency (Hz), power", "FILE" },
    { "params", 0, 0, G_OPTION_ARG_STRING, &names, "Node parameters to fit, comma-separated", "NAME,NAME" },
    { "bounds", 0, 0, G_OPTION_ARG_STRING_ARRAY, &bounds, "Narrow a parameter's range (repeatable; default: its "
      "allowed range)", "NAME=LO:HI" },
    { "max-evals", 0, 0, G_OPTION_ARG_INT, &max_evals, "Spectra computed at most (default 40)", "N" },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv, "Write target, start and fitted spectra", "FILE" },
    { "figure", 0, 0, G_OPTION_ARG_FILENAME, &figure, "Draw the spectra (.png, .svg, .pdf)", "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("DOC|preset:NAME — fit node parameters to a target spectrum");
  g_autoptr (GError) error = NULL;
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return sw_cli_fail (error);
  if (argc != 2)
    return sw_cli_usage ("fit-spectrum needs exactly one document or preset:NAME");
  if (target == NULL || names == NULL)
    return sw_cli_usage ("fit-spectrum needs --target FILE.csv and --params NAME[,NAME...]");
  if (max_evals < 2 || max_evals > 10000)
    return sw_cli_usage ("--max-evals must lie in 2..10000");
  if (figure != NULL)
    {
      SwPlotFormat f;
      if (!sw_plot_format_from_path (figure, &f))
        return sw_cli_usage ("--figure needs a .png, .svg or .pdf file name");
    }
  if (!require_mass ("fit-spectrum", argv[1], &error))
    return sw_cli_fail (error);
  g_autoptr (SwMassDoc) doc = sw_mass_doc_load (argv[1], sets, &error);
  if (doc == NULL)
    return sw_cli_fail (error);
  if (doc->net != NULL)
    return sw_cli_usage ("fit-spectrum fits a single node; this document describes a network");
  const SwMassType *type = doc->type;

  g_auto (GStrv) list = g_strsplit (names, ",", -1);
  int n_fit = (int) g_strv_length (list);
  if (n_fit < 1 || n_fit > 8)
    return sw_cli_usage ("--params takes 1 to 8 names");
  int index[8];
  double lo[8], hi[8];
  for (int k = 0; k < n_fit; k++)
    {
      g_strstrip (list[k]);
      index[k] = sw_mass_type_param (type, list[k]);
      if (index[k] < 0)
        {
          g_autoptr (GString) s = g_string_new (NULL);
          for (int q = 0; q < type->n_params; q++)
            g_string_append_printf (s, "%s%s", q ? ", " : "", type->params[q].name);
          g_printerr ("spikeworks-cli: --params: '%s' is not a parameter of %s (expected one of %s)\n", list[k],
                      type->name, s->str);
          return SW_CLI_EXIT_INPUT;
        }
      for (int q = 0; q < k; q++)
        if (index[q] == index[k])
          return sw_cli_usage ("--params names a parameter twice");
      lo[k] = type->params[index[k]].min;
      hi[k] = type->params[index[k]].max;
    }
  for (int b = 0; bounds != NULL && bounds[b] != NULL; b++)
    {
      const char *eq = strchr (bounds[b], '=');
      g_autofree char *name = eq != NULL ? g_strndup (bounds[b], eq - bounds[b]) : NULL;
      int k = 0;
      while (name != NULL && k < n_fit && strcmp (type->params[index[k]].name, g_strstrip (name)) != 0)
        k++;
      if (name == NULL || k == n_fit)
        {
          g_printerr ("spikeworks-cli: --bounds '%s': expected NAME=LO:HI with NAME one of --params\n", bounds[b]);
          return SW_CLI_EXIT_INPUT;
        }
      double a, z;
      if (!parse_range (eq + 1, "--bounds", &a, &z, &error))
        return sw_cli_fail (error);
      const SwParamInfo *pi = &type->params[index[k]];
      if (a < pi->min || z > pi->max)
        {
          g_printerr ("spikeworks-cli: --bounds '%s': expected a range within %g..%g %s\n", bounds[b], pi->min,
                      pi->max, pi->unit);
          return SW_CLI_EXIT_INPUT;
        }
      lo[k] = a;
      hi[k] = z;
    }
  for (int k = 0; k < n_fit; k++)
    if (!(hi[k] > lo[k]) || !isfinite (lo[k]) || !isfinite (hi[k]))
      {
        g_printerr ("spikeworks-cli: --params: %s has no finite range to search; give --bounds %s=LO:HI\n",
                    type->params[index[k]].name, type->params[index[k]].name);
        return SW_CLI_EXIT_INPUT;
      }

  g_autoptr (GArray) tf = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) tp = g_array_new (FALSE, FALSE, sizeof (double));
  if (!read_target (target, tf, tp, &error))
    return sw_cli_fail (error);

  double fs_hz = doc->sample_rate_hz > 0.0 ? doc->sample_rate_hz : 256.0;
  /* The peak band: 2 Hz either side of the target's peak. */
  double tpeak = sw_mass_psd_peak ((const double *) tf->data, (const double *) tp->data, tf->len, 1.0, 45.0);
  SwMassFitOptions opt = { .dt_s = doc->dt_s, .duration_s = doc->duration_s, .warmup_s = doc->warmup_s,
                           .fs_hz = fs_hz, .seed = doc->seed, .band_lo_hz = isfinite (tpeak) ? tpeak - 2.0 : 0.0,
                           .band_hi_hz = isfinite (tpeak) ? tpeak + 2.0 : 0.0, .peak_weight = 4.0,
                           .max_evals = max_evals };
  double start[SW_MASS_MAX_PARAMS], params[SW_MASS_MAX_PARAMS];
  memcpy (start, doc->params, sizeof start);
  memcpy (params, doc->params, sizeof params);
  SwError err;
  double *f0 = NULL, *p0 = NULL, *f1 = NULL, *p1 = NULL, fs_used;
  size_t n0 = 0, n1 = 0;
  SwStatus st = sw_mass_node_spectrum (type, start, opt.dt_s, opt.duration_s, opt.warmup_s, opt.fs_hz, opt.seed,
                                       &f0, &p0, &n0, &fs_used, &err);
  if (st != SW_OK)
    return fail_core (argv[1], &err, st);
  double loss0 = spectrum_loss (f0, p0, n0, tf, tp, &opt);
  double loss1;
  int evals = 0;
  gint64 t0 = g_get_monotonic_time ();
  st = sw_mass_fit_spectrum (type, params, index, lo, hi, n_fit, (const double *) tf->data, (const double *) tp->data,
                             tf->len, &opt, &loss1, &evals, &err);
  double seconds = (g_get_monotonic_time () - t0) * 1e-6;
  if (st == SW_OK)
    st = sw_mass_node_spectrum (type, params, opt.dt_s, opt.duration_s, opt.warmup_s, opt.fs_hz, opt.seed, &f1, &p1,
                                &n1, &fs_used, &err);
  int status = SW_CLI_EXIT_OK;
  if (st != SW_OK)
    status = fail_core (argv[1], &err, st);
  if (status == SW_CLI_EXIT_OK && csv != NULL)
    {
      /* Start and fit share the model's frequencies; the target is
       * interpolated onto them. */
      g_autoptr (GString) s = g_string_new ("frequency_hz,target,start,fitted\n");
      for (size_t k = 0; k < MIN (n0, n1); k++)
        g_string_append_printf (s, "%.9g,%.9g,%.9g,%.9g\n", f1[k],
                                interp_target ((const double *) tf->data, (const double *) tp->data, tf->len, f1[k]),
                                p0[k], p1[k]);
      if (!save_text (csv, s, &error))
        status = sw_cli_fail (error);
    }
  if (status == SW_CLI_EXIT_OK && figure != NULL
      && !fit_figure (figure, doc, tf, tp, f0, p0, n0, f1, p1, n1, &error))
    status = sw_cli_fail (error);
  if (status == SW_CLI_EXIT_OK)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
      add_string (b, "document", doc->location);
      add_string (b, "model", type->name);
      add_string (b, "target", target);
      sw_cli_json_add_number (b, "target_peak_hz", tpeak);
      json_builder_set_member_name (b, "parameters");
      json_builder_begin_array (b);
      for (int k = 0; k < n_fit; k++)
        {
          const SwParamInfo *pi = &type->params[index[k]];
          json_builder_begin_object (b);
          add_string (b, "name", pi->name);
          add_string (b, "unit", pi->unit);
          sw_cli_json_add_number (b, "start", start[index[k]]);
          sw_cli_json_add_number (b, "fitted", params[index[k]]);
          sw_cli_json_add_number (b, "lo", lo[k]);
          sw_cli_json_add_number (b, "hi", hi[k]);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      sw_cli_json_add_number (b, "loss_before", loss0);
      sw_cli_json_add_number (b, "loss_after", loss1);
      json_builder_set_member_name (b, "spectra");
      json_builder_add_int_value (b, evals);
      sw_cli_json_add_number (b, "fitted_peak_hz", sw_mass_psd_peak (f1, p1, n1, 1.0, 45.0));
      sw_cli_json_add_number (b, "wall_seconds", seconds);
      json_builder_end_object (b);
      sw_cli_print_json (b);
    }
  free (f0);
  free (p0);
  free (f1);
  free (p1);
  return status;
}

int
sw_cli_mass_command (const char *cmd, int argc, char **argv)
{
  if (strcmp (cmd, "run") == 0)
    return cmd_run (argc, argv);
  if (strcmp (cmd, "validate") == 0)
    return cmd_validate (argc, argv);
  if (strcmp (cmd, "perturb") == 0)
    return cmd_perturb (argc, argv);
  if (strcmp (cmd, "phaseplane") == 0)
    return cmd_phaseplane (argc, argv);
  if (strcmp (cmd, "bifurcation") == 0)
    return cmd_bifurcation (argc, argv);
  if (strcmp (cmd, "fit-spectrum") == 0)
    return cmd_fit_spectrum (argc, argv);
  g_printerr ("%s: unknown neural-mass command\n", argv[0]);
  return SW_CLI_EXIT_INPUT;
}
