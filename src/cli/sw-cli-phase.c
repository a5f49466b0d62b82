/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `spikeworks-cli phase`: the mean-field UD/OD map over two document
 * variables or parameters.
 *
 * Every cell needs the mean-field configuration of the document at (x, y).
 * Evaluating the whole document per cell costs tens of microseconds, more
 * than the map itself, so the configurations are composed: each number of
 * the configuration that changes along x (at y0) is taken from the x sweep,
 * each that changes along y (at x0) from the y sweep.  This is exact when no
 * number depends on both axes; it is checked on the corners and a sample of
 * cells, and the command falls back to evaluating every cell otherwise.
 */
#include "config.h"

#include "sw-cli.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "sw-meanfield.h"

#define MAX_AXIS_POINTS 2000

typedef struct
{
  char *name;
  double min, max;
  int n;
} Axis;

static gboolean
parse_axis (const char *text, const char *option, Axis *axis, GError **error)
{
  g_auto (GStrv) f = g_strsplit (text, ":", -1);
  if (g_strv_length (f) != 4 || f[0][0] == '\0')
    {
      g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "%s '%s': expected NAME:MIN:MAX:N (e.g. b:0:150:50)",
                   option, text);
      return FALSE;
    }
  char *end;
  axis->min = g_ascii_strtod (f[1], &end);
  gboolean ok = *f[1] != '\0' && *end == '\0';
  axis->max = g_ascii_strtod (f[2], &end);
  ok = ok && *f[2] != '\0' && *end == '\0';
  gint64 n = g_ascii_strtoll (f[3], &end, 10);
  ok = ok && *f[3] != '\0' && *end == '\0';
  if (!ok || !isfinite (axis->min) || !isfinite (axis->max))
    {
      g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "%s '%s': MIN and MAX must be numbers and N a whole number",
                   option, text);
      return FALSE;
    }
  if (axis->min > axis->max)
    {
      g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "%s '%s': MIN (%g) is larger than MAX (%g)", option, text,
                   axis->min, axis->max);
      return FALSE;
    }
  if (n < 1 || n > MAX_AXIS_POINTS)
    {
      g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "%s '%s': N must lie in 1..%d (got %" G_GINT64_FORMAT ")",
                   option, text, MAX_AXIS_POINTS, n);
      return FALSE;
    }
  if (n > 1 && axis->min == axis->max)
    {
      g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "%s '%s': MIN equals MAX; use N = 1 for a single value",
                   option, text);
      return FALSE;
    }
  axis->name = g_strdup (f[0]);
  axis->n = (int) n;
  return TRUE;
}

double
sw_cli_axis_value (double min, double max, int n, int k)
{
  return n == 1 ? min : min + (max - min) * k / (n - 1);
}

static double
axis_value (const Axis *a, int k)
{
  return sw_cli_axis_value (a->min, a->max, a->n, k);
}

static gboolean
set_number (SwDocument *doc, const char *name, double value, GError **error)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_dtostr (text, sizeof text, value);
  return sw_document_set (doc, name, text, error);
}

static gboolean
config_at (SwDocument *doc, const Axis *x, double xv, const Axis *y, double yv, const char *coeffs, double t_ms,
           SwMfConfig *cfg, GError **error)
{
  if (!set_number (doc, x->name, xv, error) || !set_number (doc, y->name, yv, error))
    return FALSE;
  return sw_cli_mf_config (doc, coeffs, t_ms, cfg, error);
}

/* Word by word: what differs from the base along x, else along y.  FALSE
 * when a word differs along both (not separable). */
static gboolean
compose (const SwMfConfig *base, const SwMfConfig *cx, const SwMfConfig *cy, SwMfConfig *out)
{
  const size_t words = sizeof (SwMfConfig) / sizeof (guint64);
  const guint64 *b = (const guint64 *) base, *wx = (const guint64 *) cx, *wy = (const guint64 *) cy;
  guint64 *o = (guint64 *) out;
  memcpy (out, base, sizeof *out);
  for (size_t k = 0; k < words; k++)
    {
      gboolean dx = wx[k] != b[k], dy = wy[k] != b[k];
      if (dx && dy)
        return FALSE;
      o[k] = dx ? wx[k] : dy ? wy[k] : b[k];
    }
  return TRUE;
}

static SwMfConfig *
build_configs (SwDocument *doc, const Axis *x, const Axis *y, const char *coeffs, double t_ms, GError **error)
{
  const int nx = x->n, ny = y->n;
  g_autofree SwMfConfig *cx = g_new0 (SwMfConfig, nx);
  g_autofree SwMfConfig *cy = g_new0 (SwMfConfig, ny);
  SwMfConfig *cfgs = g_new0 (SwMfConfig, (gsize) nx * ny);
  SwMfConfig base;

  if (!config_at (doc, x, axis_value (x, 0), y, axis_value (y, 0), coeffs, t_ms, &base, error))
    goto fail;
  for (int i = 0; i < nx; i++)
    if (!config_at (doc, x, axis_value (x, i), y, axis_value (y, 0), coeffs, t_ms, &cx[i], error))
      goto fail;
  for (int j = 0; j < ny; j++)
    if (!config_at (doc, x, axis_value (x, 0), y, axis_value (y, j), coeffs, t_ms, &cy[j], error))
      goto fail;

  gboolean separable = TRUE;
  for (int j = 0; j < ny && separable; j++)
    for (int i = 0; i < nx && separable; i++)
      separable = compose (&base, &cx[i], &cy[j], &cfgs[(gsize) j * nx + i]);

  /* Check the composition where a dependence on both axes would show. */
  if (separable)
    {
      GRand *rand = g_rand_new_with_seed (1);
      for (int k = 0; k < 24 && separable; k++)
        {
          int i = k < 4 ? (k & 1) * (nx - 1) : g_rand_int_range (rand, 0, nx);
          int j = k < 4 ? (k >> 1) * (ny - 1) : g_rand_int_range (rand, 0, ny);
          SwMfConfig full;
          if (!config_at (doc, x, axis_value (x, i), y, axis_value (y, j), coeffs, t_ms, &full, error))
            {
              g_rand_free (rand);
              goto fail;
            }
          separable = memcmp (&full, &cfgs[(gsize) j * nx + i], sizeof full) == 0;
        }
      g_rand_free (rand);
    }
  if (!separable)
    {
      g_printerr ("spikeworks-cli: %s and %s act together on the mean field; evaluating every cell\n", x->name,
                  y->name);
      for (int j = 0; j < ny; j++)
        for (int i = 0; i < nx; i++)
          if (!config_at (doc, x, axis_value (x, i), y, axis_value (y, j), coeffs, t_ms, &cfgs[(gsize) j * nx + i],
                          error))
            goto fail;
    }
  return cfgs;

fail:
  g_free (cfgs);
  return NULL;
}

static gboolean
write_csv (const char *path, const Axis *x, const Axis *y, const SwMfPhaseMap *map, GError **error)
{
  g_autoptr (GString) s = g_string_new (NULL);
  g_string_append_printf (s, "%s,%s,class,zeta,f_d,nu_E,nu_I\n", x->name, y->name);
  for (int j = 0; j < y->n; j++)
    for (int i = 0; i < x->n; i++)
      {
        gsize c = (gsize) j * x->n + i;
        g_string_append_printf (s, "%.10g,%.10g,%s", axis_value (x, i), axis_value (y, j),
                                sw_mf_class_name (map->cls[c]));
        const double v[4] = { map->zeta[c], map->f_d_hz[c], map->nu_e_hz[c], map->nu_i_hz[c] };
        for (int k = 0; k < 4; k++)
          {
            g_string_append_c (s, ',');
            if (isfinite (v[k]))
              g_string_append_printf (s, "%.6g", v[k]);
          }
        g_string_append_c (s, '\n');
      }
  if (path == NULL || g_strcmp0 (path, "-") == 0)
    {
      fputs (s->str, stdout);
      return TRUE;
    }
  return g_file_set_contents_full (path, s->str, (gssize) s->len,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0644, error);
}

int
sw_cli_phase (int argc, char **argv)
{
  g_auto (GStrv) sets = NULL;
  g_autofree char *coeffs = NULL, *x_s = NULL, *y_s = NULL, *csv = NULL, *figure = NULL, *t_s = NULL;
  int threads = 0;
  GOptionEntry entries[] = {
    { "x", 0, 0, G_OPTION_ARG_STRING, &x_s, "Horizontal axis", "NAME:MIN:MAX:N" },
    { "y", 0, 0, G_OPTION_ARG_STRING, &y_s, "Vertical axis", "NAME:MIN:MAX:N" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Set a variable or parameter (repeatable)", "NAME=VALUE" },
    { "coeffs", 0, 0, G_OPTION_ARG_STRING, &coeffs, "Transfer-function coefficients: dV19 (default), S25 or a JSON file", "NAME|FILE" },
    { "T", 0, 0, G_OPTION_ARG_STRING, &t_s, "Time constant T of the rate equations (default 20 ms)", "TIME" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, "Threads (0: all processors)", "N" },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv, "Write the map as CSV (- for standard output, the default)", "FILE" },
    { "figure", 0, 0, G_OPTION_ARG_FILENAME, &figure, "Draw the map (PNG, SVG or PDF by extension)", "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("DOC|preset:NAME — mean-field UD/OD phase map");
  g_autoptr (GError) error = NULL;
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return sw_cli_fail (error);
  if (argc != 2)
    return sw_cli_usage ("phase needs exactly one document or preset:NAME");
  if (x_s == NULL || y_s == NULL)
    return sw_cli_usage ("phase needs --x NAME:MIN:MAX:N and --y NAME:MIN:MAX:N");
  if (threads < 0 || threads > 1024)
    return sw_cli_usage ("--threads must lie in 0..1024");
  Axis x = { 0 }, y = { 0 };
  if (!parse_axis (x_s, "--x", &x, &error) || !parse_axis (y_s, "--y", &y, &error))
    {
      g_free (x.name);
      return sw_cli_fail (error);
    }
  double t_ms = 0;
  int status = SW_CLI_EXIT_OK;
  SwMfConfig *cfgs = NULL;
  SwMfPhaseMap *map = NULL;
  g_autoptr (SwDocument) doc = sw_cli_load_with_sets (argv[1], sets, &error);
  if (doc == NULL || (t_s != NULL && !sw_cli_parse_time (t_s, "--T", &t_ms, &error)))
    {
      status = sw_cli_fail (error);
      goto out;
    }
  if (g_strcmp0 (x.name, y.name) == 0)
    {
      status = sw_cli_usage ("--x and --y name the same quantity");
      goto out;
    }
  cfgs = build_configs (doc, &x, &y, coeffs, t_ms, &error);
  if (cfgs == NULL)
    {
      status = sw_cli_fail (error);
      goto out;
    }
  SwError err;
  if (sw_mf_phase_map (cfgs, x.n, y.n, threads, &map, &err) != SW_OK)
    {
      g_printerr ("spikeworks-cli: %s: %s\n", argv[1], err.text);
      status = SW_CLI_EXIT_SIMULATION;
      goto out;
    }
  if ((csv != NULL || figure == NULL) && !write_csv (csv, &x, &y, map, &error))
    {
      status = sw_cli_fail (error);
      goto out;
    }
  if (figure != NULL && !sw_cli_phase_figure (figure, doc, x.name, x.min, x.max, x.n, y.name, y.min, y.max, y.n, map,
                                              &error))
    {
      status = sw_cli_fail (error);
      goto out;
    }
  g_printerr ("phase map: %d × %d cells in %.3f s (%d by continuation, %d by full search)\n", x.n, y.n, map->seconds,
              map->n_newton, map->n_full_search);

out:
  sw_mf_phase_map_free (map);
  g_free (cfgs);
  g_free (x.name);
  g_free (y.name);
  return status;
}
