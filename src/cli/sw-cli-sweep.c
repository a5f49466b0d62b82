/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `spikeworks-cli sweep`: a simulated phase diagram.  The network of a
 * document runs at every point of a grid over two variables or parameters
 * (sw-sweep.h); the chosen measures of every population of neurons,
 * averaged over trials, go to a CSV file (one row per point) and to heat
 * maps, one per measure.
 *
 * Every point of the grid is checked before any simulation starts.  Under
 * MPI the points are dealt out round-robin over the ranks (sw-cli-mpi.h)
 * and rank 0 writes the outputs; the seed of a trial depends only on
 * --seed, the point and the trial, so the files are the same bytes for
 * any number of ranks or threads.  Outputs appear complete or not at all:
 * the CSV and the figure are written under temporary names and renamed.
 */
#include "config.h"

#include "sw-cli.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "sw-cli-mpi.h"
#include "sw-figure.h"
#include "sw-mf-grid.h"
#include "sw-sweep.h"

#define DEFAULT_MEASURES "rate,cv,chi,peak"
#define MAX_AXIS_POINTS 1000
#define MAX_MARKS 16

static atomic_int cancel_requested;

static void
on_sigint (int sig)
{
  (void) sig;
  atomic_store (&cancel_requested, 1);
}

static gboolean
parse_number (const char *text, double *value)
{
  char *end;
  *value = g_ascii_strtod (text, &end);
  return *text != '\0' && *end == '\0' && isfinite (*value);
}

static gboolean
parse_measures (const char *text, GArray *out, GError **error)
{
  g_auto (GStrv) names = g_strsplit (text, ",", -1);
  for (int k = 0; names[k] != NULL; k++)
    {
      g_strstrip (names[k]);
      if (names[k][0] == '\0')
        continue;
      int m = sw_sweep_measure_find (names[k]);
      if (m < 0)
        {
          g_autoptr (GString) known = g_string_new (NULL);
          for (int j = 0; j < SW_SWEEP_N_MEASURES; j++)
            g_string_append_printf (known, "%s%s", j ? ", " : "", sw_sweep_measure_info (j)->name);
          return sw_cli_usage_error (error, "--measure: unknown measure '%s' (known: %s)", names[k], known->str);
        }
      gboolean dup = FALSE;
      for (guint j = 0; j < out->len; j++)
        dup = dup || g_array_index (out, int, j) == m;
      if (!dup)
        g_array_append_val (out, m);
    }
  if (out->len == 0)
    return sw_cli_usage_error (error, "--measure: name at least one measure");
  return TRUE;
}

typedef struct
{
  double x, y;
  char *label;
} Mark;

static gboolean
parse_mark (const char *text, Mark *mark, GError **error)
{
  g_auto (GStrv) f = g_strsplit (text, ":", 3);
  if (g_strv_length (f) < 2 || !parse_number (f[0], &mark->x) || !parse_number (f[1], &mark->y))
    return sw_cli_usage_error (error, "--mark '%s': expected X:Y[:LABEL] (e.g. 5:2:AI)", text);
  mark->label = f[2] != NULL && f[2][0] != '\0' ? g_strdup (f[2]) : NULL;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Outputs                                                                   */

/* The measures of point k: blowups, then the values. */
typedef struct
{
  int blowups;
  double *values;     /* [pop * SW_SWEEP_N_MEASURES + measure] */
} Result;

static void
append_number (GString *s, double v)
{
  g_string_append_c (s, ',');
  if (isfinite (v))
    g_string_append_printf (s, "%.10g", v);
}

static char *
csv_text (const SwCliAxis *x, const SwCliAxis *y, char **pops, const GArray *sel, const Result *res, int trials)
{
  const int np = (int) g_strv_length (pops);
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, "%s,%s", x->name, y->name);
  for (guint m = 0; m < sel->len; m++)
    for (int p = 0; p < np; p++)
      g_string_append_printf (s, ",%s_%s", sw_sweep_measure_info (g_array_index (sel, int, m))->column, pops[p]);
  g_string_append (s, ",trials,blowups\n");
  for (int j = 0; j < y->n; j++)
    for (int i = 0; i < x->n; i++)
      {
        const Result *r = &res[j * x->n + i];
        g_string_append_printf (s, "%.10g,%.10g", sw_cli_axis_value (x, i), sw_cli_axis_value (y, j));
        for (guint m = 0; m < sel->len; m++)
          for (int p = 0; p < np; p++)
            append_number (s, r->values[p * SW_SWEEP_N_MEASURES + g_array_index (sel, int, m)]);
        g_string_append_printf (s, ",%d,%d\n", trials, r->blowups);
      }
  return g_string_free (s, FALSE);
}

static gboolean
sweep_figure (const char *path, SwDocument *doc, const SwCliAxis *x, const SwCliAxis *y, const char *pop,
              int pop_index, const GArray *sel, const Result *res, int trials, double duration_ms, const Mark *marks,
              int n_marks, GError **error)
{
  const int n = (int) sel->len, cols = n == 1 ? 1 : n <= 4 ? 2 : 3, rows = (n + cols - 1) / cols;
  double hx = x->n > 1 ? (x->max - x->min) / (x->n - 1) : 1.0, hy = y->n > 1 ? (y->max - y->min) / (y->n - 1) : 1.0;
  double x0 = x->min - hx / 2, x1 = x->max + hx / 2, y0 = y->min - hy / 2, y1 = y->max + hy / 2;
  g_autofree char *xl = NULL, *xu = NULL, *yl = NULL, *yu = NULL;
  sw_cli_axis_title (doc, x->name, &xl, &xu);
  sw_cli_axis_title (doc, y->name, &yl, &yu);

  SwFigure *fig = sw_figure_new (rows, cols);
  g_autofree char *title = g_strdup_printf ("Simulated phase diagram — %s, population %s (%d × %d points, %g s, "
                                            "%d trial%s each)",
                                            sw_document_get_display_name (doc), pop, x->n, y->n, duration_ms / 1000.0,
                                            trials, trials == 1 ? "" : "s");
  sw_figure_set_title (fig, title);
  const gsize cells = (gsize) x->n * y->n;
  g_autofree double *field = g_new (double, cells);
  SwPlotError perr = { 0 };
  gboolean ok = TRUE;
  for (int k = 0; k < n && ok; k++)
    {
      int m = g_array_index (sel, int, k);
      const SwSweepMeasureInfo *info = sw_sweep_measure_info (m);
      double hi = -INFINITY;
      for (gsize c = 0; c < cells; c++)
        {
          field[c] = res[c].values[pop_index * SW_SWEEP_N_MEASURES + m];
          if (isfinite (field[c]))
            hi = fmax (hi, field[c]);
        }
      /* Rates and synchrony spanning more than 30x read better on a log
       * scale: the slow states sit at a few Hz, the regular ones at
       * hundreds.  Values below a floor (silent points: 0 Hz) are drawn at
       * the floor, the larger of the smallest positive value and 1/1000 of
       * the largest. */
      double lo_pos = INFINITY;
      for (gsize c = 0; c < cells; c++)
        if (isfinite (field[c]) && field[c] > 0)
          lo_pos = fmin (lo_pos, field[c]);
      const double floor_v = fmax (lo_pos, hi * 1e-3);
      gboolean log_scale = (m == SW_SWEEP_RATE || m == SW_SWEEP_CHI) && isfinite (lo_pos) && hi / floor_v > 30.0;
      gboolean clamped = FALSE;
      if (log_scale)
        for (gsize c = 0; c < cells; c++)
          if (isfinite (field[c]))
            {
              clamped = clamped || field[c] < floor_v;
              field[c] = log10 (fmax (field[c], floor_v));
            }
      SwPanel *panel = sw_figure_panel (fig, k / cols, k % cols);
      g_autofree char *ptitle = g_strdup_printf ("%s of %s", info->label, pop);
      sw_panel_set_title (panel, ptitle);
      sw_panel_set_x_label (panel, xl, xu);
      sw_panel_set_y_label (panel, yl, yu);
      sw_panel_set_x_limits (panel, x0, x1);
      sw_panel_set_y_limits (panel, y0, y1);
      g_autofree char *bar = !log_scale ? g_strdup (info->label)
                             : clamped  ? g_strdup_printf ("log₁₀ %s (below %.2g%s%s drawn at it)", info->label,
                                                           floor_v, info->unit ? " " : "", info->unit ? info->unit : "")
                                        : g_strdup_printf ("log₁₀ %s", info->label);
      ok = sw_panel_add_heatmap (panel, field, x->n, y->n, x0, x1, y0, y1,
                                 m == SW_SWEEP_RATE ? SW_COLORMAP_MAGMA : SW_COLORMAP_VIRIDIS, bar, info->unit, &perr)
           == SW_PLOT_OK;
      for (int q = 0; q < n_marks && ok; q++)
        ok = sw_panel_add_marker (panel, marks[q].x, marks[q].y, marks[q].label, &perr) == SW_PLOT_OK;
    }
  gboolean saved = FALSE;
  if (ok)
    saved = sw_cli_save_figure (fig, path, 620.0 * cols, 480.0 * rows + 40, error);
  else
    g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "%s: %s", path, perr.text);
  sw_figure_free (fig);
  return saved;
}

/* ------------------------------------------------------------------------ */
/* The command                                                               */

static GBytes *
pack (const SwSweepPoint *p, int nv)
{
  GByteArray *a = g_byte_array_new ();
  gint32 b = p->blowups;
  g_byte_array_append (a, (const guint8 *) &b, sizeof b);
  g_byte_array_append (a, (const guint8 *) p->values, (guint) (nv * sizeof (double)));
  return g_byte_array_free_to_bytes (a);
}

static gboolean
unpack (GBytes *bytes, int nv, Result *r)
{
  gsize len = 0;
  const guint8 *d = bytes ? g_bytes_get_data (bytes, &len) : NULL;
  if (d == NULL || len != sizeof (gint32) + nv * sizeof (double))
    return FALSE;
  gint32 b;
  memcpy (&b, d, sizeof b);
  r->blowups = b;
  r->values = g_new (double, MAX (nv, 1));
  memcpy (r->values, d + sizeof b, nv * sizeof (double));
  return TRUE;
}

int
sw_cli_sweep (int argc, char **argv)
{
  g_auto (GStrv) sets = NULL;
  g_auto (GStrv) mark_s = NULL;
  g_autofree char *x_s = NULL, *y_s = NULL, *measure_s = NULL, *duration_s = NULL, *warmup_s = NULL;
  g_autofree char *dt_s = NULL, *csv = NULL, *figure = NULL, *figure_pop = NULL;
  gint64 seed = -1;
  int trials = 1, threads = -1;
  GOptionEntry entries[] = {
    { "x", 0, 0, G_OPTION_ARG_STRING, &x_s, "Horizontal axis: a variable or parameter", "NAME:MIN:MAX:N" },
    { "y", 0, 0, G_OPTION_ARG_STRING, &y_s, "Vertical axis", "NAME:MIN:MAX:N" },
    { "measure", 0, 0, G_OPTION_ARG_STRING, &measure_s,
      "Measures (default " DEFAULT_MEASURES "; also prominence, fano)", "NAME,..." },
    { "duration", 0, 0, G_OPTION_ARG_STRING, &duration_s, "Simulated time per trial (default: the document's)", "TIME" },
    { "warmup", 0, 0, G_OPTION_ARG_STRING, &warmup_s, "Time excluded from the measures (default: the document's)", "TIME" },
    { "dt", 0, 0, G_OPTION_ARG_STRING, &dt_s, "Time step (default: the document's)", "TIME" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the sweep (default: the document's)", "N" },
    { "trials", 0, 0, G_OPTION_ARG_INT, &trials, "Trials per point, averaged (default 1)", "N" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, "Threads per network (0: automatic; default: the document's)", "N" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Set a variable or parameter (repeatable)", "NAME=VALUE" },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv, "Write the results as CSV (- for standard output, the default)", "FILE" },
    { "figure", 0, 0, G_OPTION_ARG_FILENAME, &figure, "Draw heat maps (PNG, SVG or PDF by extension)", "FILE" },
    { "figure-pop", 0, 0, G_OPTION_ARG_STRING, &figure_pop, "Population drawn (default: the first)", "NAME" },
    { "mark", 0, 0, G_OPTION_ARG_STRING_ARRAY, &mark_s, "Mark a point on the maps (repeatable)", "X:Y[:LABEL]" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("DOC|preset:NAME — simulated phase diagram");
  g_option_context_set_description (
    ctx, "Runs the network at every point of the grid and measures every population of neurons over\n"
         "[warmup, duration). Measures (CSV columns NAME_POP): rate (Hz), cv (CV of the ISIs), chi (SD/mean of\n"
         "the population rate in 1 ms bins), peak_hz (peak of its Welch spectrum), prominence (peak/median\n"
         "power over 2-200 Hz), fano (Fano factor of counts in 100 ms). Trial k of point p (p = j nx + i)\n"
         "runs with a seed mixed from --seed, p and k. A trial that blows up is left out of the average\n"
         "and counted in the column blowups. Under mpirun the points are spread over the ranks.\n"
         "Exit codes: 0 success, 2 bad input, 3 simulation failure, 130 interrupted (no file written).");
  g_autoptr (GError) error = NULL;
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return sw_cli_fail (error);
  if (argc != 2)
    return sw_cli_usage ("sweep needs exactly one document or preset:NAME");
  if (x_s == NULL || y_s == NULL)
    return sw_cli_usage ("sweep needs --x NAME:MIN:MAX:N and --y NAME:MIN:MAX:N");
  if (trials < 1 || trials > 10000)
    return sw_cli_usage ("--trials must lie in 1..10000");
  if (threads < -1 || threads > 1024)
    return sw_cli_usage ("--threads must lie in 0..1024");
  if (figure != NULL)
    {
      SwPlotFormat format;
      if (!sw_plot_format_from_path (figure, &format))
        {
          g_printerr ("spikeworks-cli: %s: the figure must end in .png, .svg or .pdf\n", figure);
          return SW_CLI_EXIT_INPUT;
        }
    }
  g_autoptr (GArray) sel = g_array_new (FALSE, FALSE, sizeof (int));
  if (!parse_measures (measure_s ? measure_s : DEFAULT_MEASURES, sel, &error))
    return sw_cli_fail (error);
  int n_marks = mark_s ? (int) g_strv_length (mark_s) : 0;
  if (n_marks > MAX_MARKS)
    return sw_cli_usage ("--mark: at most 16 marks");
  Mark marks[MAX_MARKS] = { 0 };
  SwCliAxis x = { 0 }, y = { 0 };
  int status = SW_CLI_EXIT_OK, n_points = 0, nv = 0;
  g_auto (GStrv) pops = NULL;
  g_autoptr (SwDocument) doc = NULL;
  GBytes **blobs = NULL;
  Result *res = NULL;
  for (int k = 0; k < n_marks; k++)
    if (!parse_mark (mark_s[k], &marks[k], &error))
      {
        status = sw_cli_fail (error);
        goto out;
      }
  if (!sw_cli_parse_axis (x_s, "--x", "g:3:8:20", MAX_AXIS_POINTS, &x, &error)
      || !sw_cli_parse_axis (y_s, "--y", "g:3:8:20", MAX_AXIS_POINTS, &y, &error))
    {
      status = sw_cli_fail (error);
      goto out;
    }
  if (strcmp (x.name, y.name) == 0)
    {
      status = sw_cli_usage ("--x and --y name the same quantity");
      goto out;
    }
  doc = sw_cli_load_with_sets (argv[1], sets, &error);
  if (doc == NULL)
    {
      status = sw_cli_fail (error);
      goto out;
    }

  SwSweepSettings s = {
    .duration_ms = sw_document_get_duration_ms (doc),
    .warmup_ms = sw_document_get_warmup_ms (doc),
    .dt_ms = sw_document_get_dt_ms (doc),
    .threads = threads,
    .trials = trials,
    .seed = seed >= 0 ? (guint64) seed : sw_document_get_seed (doc),
    .cancel = &cancel_requested,
  };
  if ((duration_s && !sw_cli_parse_time (duration_s, "--duration", &s.duration_ms, &error))
      || (warmup_s && !sw_cli_parse_time (warmup_s, "--warmup", &s.warmup_ms, &error))
      || (dt_s && !sw_cli_parse_time (dt_s, "--dt", &s.dt_ms, &error)))
    {
      status = sw_cli_fail (error);
      goto out;
    }
  if (!(s.dt_ms > 0.0 && s.dt_ms <= 10.0))
    {
      status = sw_cli_usage ("--dt must lie in (0, 10] ms");
      goto out;
    }
  if (!(s.duration_ms > 0.0 && s.duration_ms <= 1e9))
    {
      status = sw_cli_usage ("--duration must be positive");
      goto out;
    }
  if (!(s.warmup_ms >= 0.0 && s.warmup_ms < s.duration_ms))
    {
      status = sw_cli_usage ("--warmup must lie in [0, duration)");
      goto out;
    }
  pops = sw_sweep_population_names (doc, &error);
  if (pops == NULL)
    {
      status = sw_cli_fail (error);
      goto out;
    }
  const int np = (int) g_strv_length (pops);
  if (np == 0)
    {
      g_printerr ("spikeworks-cli: %s: the network has no population of neurons to measure\n", argv[1]);
      status = SW_CLI_EXIT_INPUT;
      goto out;
    }
  int figure_index = 0;
  if (figure_pop != NULL)
    {
      figure_index = -1;
      for (int p = 0; p < np; p++)
        if (strcmp (pops[p], figure_pop) == 0)
          figure_index = p;
      if (figure_index < 0)
        {
          g_autofree char *known = g_strjoinv (", ", pops);
          g_printerr ("spikeworks-cli: --figure-pop '%s': no population of neurons of that name (%s)\n", figure_pop,
                      known);
          status = SW_CLI_EXIT_INPUT;
          goto out;
        }
    }

  /* Check every point before running anything: names (with suggestions),
   * ranges, and what the core checks. */
  n_points = x.n * y.n;
  nv = np * SW_SWEEP_N_MEASURES;
  for (int p = 0; p < n_points; p++)
    {
      char xs[G_ASCII_DTOSTR_BUF_SIZE], ys[G_ASCII_DTOSTR_BUF_SIZE];
      g_ascii_dtostr (xs, sizeof xs, sw_cli_axis_value (&x, p % x.n));
      g_ascii_dtostr (ys, sizeof ys, sw_cli_axis_value (&y, p / x.n));
      if (!sw_document_set (doc, x.name, xs, &error) || !sw_document_set (doc, y.name, ys, &error))
        {
          g_prefix_error (&error, "%s: ", p % x.n == 0 && p / x.n == 0 ? "sweep" : "a point of the sweep");
          status = sw_cli_fail (error);
          goto out;
        }
      SwNetSpec *spec = sw_document_build_spec (doc, &error);
      if (spec == NULL)
        {
          status = sw_cli_fail (error);
          goto out;
        }
      spec->dt_ms = s.dt_ms;
      SwError err;
      SwStatus st = sw_net_spec_validate (spec, &err);
      sw_net_spec_free (spec);
      if (st != SW_OK)
        {
          g_printerr ("spikeworks-cli: %s: at %s = %s, %s = %s: %s\n", argv[1], x.name, xs, y.name, ys, err.text);
          status = SW_CLI_EXIT_INPUT;
          goto out;
        }
    }

  /* Run this rank's points. */
  const int rank = sw_cli_mpi_rank (), size = sw_cli_mpi_size ();
  const gboolean tty = rank == 0 && isatty (fileno (stderr));
  int mine = 0, done = 0;
  for (int p = 0; p < n_points; p++)
    mine += sw_cli_mpi_owns (p);
  blobs = g_new0 (GBytes *, n_points);
  struct sigaction sa = { 0 }, old_sa;
  sa.sa_handler = on_sigint;
  sigaction (SIGINT, &sa, &old_sa);
  gint64 start = g_get_monotonic_time (), last = 0;
  for (int p = 0; p < n_points && status == SW_CLI_EXIT_OK; p++)
    {
      if (!sw_cli_mpi_owns (p))
        continue;
      double xv = sw_cli_axis_value (&x, p % x.n), yv = sw_cli_axis_value (&y, p / x.n);
      SwSweepPoint pt;
      if (!sw_sweep_run_point (doc, x.name, xv, y.name, yv, p, &s, &pt, &error))
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_printerr ("%sspikeworks-cli: interrupted at %s = %g, %s = %g; no output written\n",
                          tty ? "\r\033[K" : "", x.name, xv, y.name, yv);
              status = 130;
            }
          else
            {
              g_printerr ("%sspikeworks-cli: %s: at %s = %g, %s = %g: %s\n", tty ? "\r\033[K" : "", argv[1], x.name,
                          xv, y.name, yv, error->message);
              status = error->domain == G_IO_ERROR ? SW_CLI_EXIT_SIMULATION : SW_CLI_EXIT_INPUT;
            }
          break;
        }
      blobs[p] = pack (&pt, nv);
      sw_sweep_point_clear (&pt);
      done++;
      gint64 now = g_get_monotonic_time ();
      if (tty && (now - last > G_USEC_PER_SEC / 4 || done == mine))
        {
          double elapsed = (now - start) * 1e-6;
          fprintf (stderr, "\r\033[Ksweep: point %d/%d%s (%s = %g, %s = %g), %.0f s elapsed, about %.0f s left", done,
                   mine, size > 1 ? " of rank 0" : "", x.name, xv, y.name, yv, elapsed,
                   elapsed * (mine - done) / done);
          fflush (stderr);
          last = now;
        }
    }
  sigaction (SIGINT, &old_sa, NULL);
  if (tty)
    fputs ("\r\033[K", stderr);
  status = sw_cli_mpi_agree (status);
  if (status != SW_CLI_EXIT_OK)
    goto out;
  if (!sw_cli_mpi_gather (blobs, n_points, &error))
    status = SW_CLI_EXIT_SIMULATION;
  status = sw_cli_mpi_agree (status);
  if (status != SW_CLI_EXIT_OK)
    {
      if (error != NULL)
        g_printerr ("spikeworks-cli: %s\n", error->message);
      goto out;
    }
  if (rank != 0)
    goto out;

  /* Rank 0: the outputs. */
  res = g_new0 (Result, n_points);
  for (int p = 0; p < n_points; p++)
    if (!unpack (blobs[p], nv, &res[p]))
      {
        g_printerr ("spikeworks-cli: the results of point %d are incomplete\n", p);
        status = SW_CLI_EXIT_SIMULATION;
        goto out;
      }
  int blowups = 0;
  for (int p = 0; p < n_points; p++)
    blowups += res[p].blowups;
  if (csv != NULL || figure == NULL)
    {
      g_autofree char *text = csv_text (&x, &y, pops, sel, res, trials);
      if (csv == NULL || g_strcmp0 (csv, "-") == 0)
        fputs (text, stdout);
      else if (!g_file_set_contents_full (csv, text, -1, G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                          0644, &error))
        {
          status = sw_cli_fail (error);
          goto out;
        }
    }
  if (figure != NULL
      && !sweep_figure (figure, doc, &x, &y, pops[figure_index], figure_index, sel, res, trials, s.duration_ms, marks,
                        n_marks, &error))
    {
      status = sw_cli_fail (error);
      goto out;
    }
  g_printerr ("sweep: %d × %d points, %d trial%s each, in %.1f s on %d rank%s%s\n", x.n, y.n, trials,
              trials == 1 ? "" : "s", (g_get_monotonic_time () - start) * 1e-6, size, size == 1 ? "" : "s",
              blowups > 0 ? "; some trials blew up (column blowups)" : "");

out:
  for (int p = 0; blobs != NULL && p < n_points; p++)
    if (blobs[p] != NULL)
      g_bytes_unref (blobs[p]);
  g_free (blobs);
  for (int p = 0; res != NULL && p < n_points; p++)
    g_free (res[p].values);
  g_free (res);
  for (int k = 0; k < n_marks; k++)
    g_free (marks[k].label);
  g_free (x.name);
  g_free (y.name);
  return status;
}
