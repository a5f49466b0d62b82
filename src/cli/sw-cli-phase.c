/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `spikeworks-cli phase`: the mean-field UD/OD map over two document
 * variables or parameters.
 * The configuration of every cell comes from sw_mf_grid_configs
 * (sw-mf-grid.h).
 */
#include "config.h"

#include "sw-cli.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "sw-cli-mpi.h"
#include "sw-meanfield.h"
#include "sw-mf-grid.h"

#define MAX_AXIS_POINTS 2000

typedef struct
{
  const char *coeffs;
  double t_ms;
} ConfigArgs;

static gboolean
config_of (SwDocument *doc, SwMfConfig *cfg, gpointer data, GError **error)
{
  const ConfigArgs *a = data;
  return sw_cli_mf_config (doc, a->coeffs, a->t_ms, cfg, error);
}

static SwMfConfig *
build_configs (SwDocument *doc, const SwCliAxis *x, const SwCliAxis *y, const char *coeffs, double t_ms, GError **error)
{
  ConfigArgs args = { coeffs, t_ms };
  gboolean composed = TRUE;
  SwMfConfig *cfgs = sw_mf_grid_configs (doc, x->name, x->min, x->max, x->n, y->name, y->min, y->max, y->n,
                                         config_of, &args, NULL, &composed, error);
  if (cfgs != NULL && !composed)
    g_printerr ("spikeworks-cli: %s and %s act together on the mean field; every cell was evaluated\n",
                x->name, y->name);
  return cfgs;
}

static gboolean
write_csv (const char *path, const SwCliAxis *x, const SwCliAxis *y, const SwMfPhaseMap *map, GError **error)
{
  g_autoptr (GString) s = g_string_new (NULL);
  g_string_append_printf (s, "%s,%s,class,zeta,f_d,nu_E,nu_I\n", x->name, y->name);
  for (int j = 0; j < y->n; j++)
    for (int i = 0; i < x->n; i++)
      {
        gsize c = (gsize) j * x->n + i;
        g_string_append_printf (s, "%.10g,%.10g,%s", sw_cli_axis_value (x, i), sw_cli_axis_value (y, j),
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

/* Under MPI: the rows of the map are dealt out round-robin over the ranks
 * (every row starts with a full search, so a row does not depend on the
 * others), each rank classifies its rows in one call, and rank 0 gathers
 * them and draws the boundary over the whole map.  The cells are the same
 * numbers as one sw_mf_phase_map() over the whole grid. */
enum { N_FIELDS = 5 };

static GBytes *
pack_row (const SwMfPhaseMap *part, int row, int nx)
{
  GByteArray *a = g_byte_array_new ();
  for (int i = 0; i < nx; i++)
    {
      gsize c = (gsize) row * nx + i;
      gint32 cls = part->cls[c], ins = part->instability[c];
      const double v[N_FIELDS] = { part->zeta[c], part->f_d_hz[c], part->nu_e_hz[c], part->nu_i_hz[c], part->w_pa[c] };
      g_byte_array_append (a, (const guint8 *) &cls, sizeof cls);
      g_byte_array_append (a, (const guint8 *) &ins, sizeof ins);
      g_byte_array_append (a, (const guint8 *) v, sizeof v);
    }
  return g_byte_array_free_to_bytes (a);
}

static SwStatus
phase_map_ranks (const SwMfConfig *cfgs, int nx, int ny, int threads, SwMfPhaseMap **out, SwError *err)
{
  const int size = sw_cli_mpi_size ();
  *out = NULL;
  gint64 t0 = g_get_monotonic_time ();
  int mine = 0;
  for (int j = 0; j < ny; j++)
    mine += sw_cli_mpi_owns (j);
  GBytes **rows = g_new0 (GBytes *, ny);
  SwStatus st = SW_OK;
  int counts[2] = { 0, 0 };
  if (mine > 0)
    {
      SwMfConfig *my_cfgs = g_new (SwMfConfig, (gsize) mine * nx);
      for (int j = 0, r = 0; j < ny; j++)
        if (sw_cli_mpi_owns (j))
          memcpy (my_cfgs + (gsize) r++ * nx, cfgs + (gsize) j * nx, sizeof (SwMfConfig) * nx);
      SwMfPhaseMap *part = NULL;
      st = sw_mf_phase_map (my_cfgs, nx, mine, threads, &part, err);
      g_free (my_cfgs);
      if (st == SW_OK)
        {
          for (int j = 0, r = 0; j < ny; j++)
            if (sw_cli_mpi_owns (j))
              rows[j] = pack_row (part, r++, nx);
          counts[0] = part->n_newton;
          counts[1] = part->n_full_search;
        }
      sw_mf_phase_map_free (part);
    }
  /* Every rank makes the same collective calls: agree, then gather. */
  g_autoptr (GError) error = NULL;
  GBytes **tallies = g_new0 (GBytes *, size);
  tallies[sw_cli_mpi_rank ()] = g_bytes_new (counts, sizeof counts);
  if (sw_cli_mpi_agree (st == SW_OK ? 0 : 1) != 0)
    {
      if (st == SW_OK)
        st = sw_error_set (err, SW_ERR_INVALID, "another rank failed");
    }
  else
    {
      /* The rows, then the counts of cells found by continuation and by
       * full search (for the message). */
      gboolean ok = sw_cli_mpi_gather (rows, ny, &error) && sw_cli_mpi_gather (tallies, size, &error);
      if (sw_cli_mpi_agree (ok ? 0 : 1) != 0)
        st = sw_error_set (err, SW_ERR_INVALID, "%s", error ? error->message : "another rank failed");
    }

  SwMfPhaseMap *m = NULL;
  if (st == SW_OK && sw_cli_mpi_rank () == 0)
    {
      const gsize n = (gsize) nx * ny;
      m = calloc (1, sizeof *m);
      m->nx = nx;
      m->ny = ny;
      m->cls = malloc (sizeof *m->cls * n);
      m->instability = malloc (sizeof *m->instability * n);
      m->zeta = malloc (sizeof (double) * n);
      m->f_d_hz = malloc (sizeof (double) * n);
      m->nu_e_hz = malloc (sizeof (double) * n);
      m->nu_i_hz = malloc (sizeof (double) * n);
      m->w_pa = malloc (sizeof (double) * n);
      const gsize cell_bytes = 2 * sizeof (gint32) + N_FIELDS * sizeof (double);
      for (int j = 0; j < ny && st == SW_OK; j++)
        {
          gsize len = 0;
          const guint8 *d = rows[j] ? g_bytes_get_data (rows[j], &len) : NULL;
          if (d == NULL || len != cell_bytes * nx)
            {
              st = sw_error_set (err, SW_ERR_INVALID, "row %d of the map did not arrive whole", j);
              break;
            }
          for (int i = 0; i < nx; i++, d += cell_bytes)
            {
              gsize c = (gsize) j * nx + i;
              gint32 cls, ins;
              double v[N_FIELDS];
              memcpy (&cls, d, sizeof cls);
              memcpy (&ins, d + sizeof cls, sizeof ins);
              memcpy (v, d + 2 * sizeof (gint32), sizeof v);
              m->cls[c] = (SwMfClass) cls;
              m->instability[c] = (SwMfInstability) ins;
              m->zeta[c] = v[0];
              m->f_d_hz[c] = v[1];
              m->nu_e_hz[c] = v[2];
              m->nu_i_hz[c] = v[3];
              m->w_pa[c] = v[4];
            }
        }
      for (int r = 0; r < size && st == SW_OK; r++)
        {
          gsize len = 0;
          const int *c = tallies[r] ? g_bytes_get_data (tallies[r], &len) : NULL;
          if (c != NULL && len == sizeof counts)
            {
              m->n_newton += c[0];
              m->n_full_search += c[1];
            }
        }
      if (st == SW_OK)
        st = sw_mf_contour (m->zeta, nx, ny, 1.0, &m->boundary, &m->n_boundary, err);
      m->seconds = (g_get_monotonic_time () - t0) * 1e-6;
      if (st != SW_OK)
        g_clear_pointer (&m, sw_mf_phase_map_free);
    }
  for (int j = 0; j < ny; j++)
    g_clear_pointer (&rows[j], g_bytes_unref);
  for (int r = 0; r < size; r++)
    g_clear_pointer (&tallies[r], g_bytes_unref);
  g_free (rows);
  g_free (tallies);
  *out = m;
  return st;
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
  SwCliAxis x = { 0 }, y = { 0 };
  if (!sw_cli_parse_axis (x_s, "--x", "b:0:150:50", MAX_AXIS_POINTS, &x, &error)
      || !sw_cli_parse_axis (y_s, "--y", "b:0:150:50", MAX_AXIS_POINTS, &y, &error))
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
  SwStatus st = sw_cli_mpi_size () > 1 ? phase_map_ranks (cfgs, x.n, y.n, threads, &map, &err)
                                       : sw_mf_phase_map (cfgs, x.n, y.n, threads, &map, &err);
  if (st != SW_OK)
    {
      g_printerr ("spikeworks-cli: %s: %s\n", argv[1], err.text);
      status = SW_CLI_EXIT_SIMULATION;
      goto out;
    }
  /* Only rank 0 holds the map and writes the outputs. */
  if (map == NULL)
    goto out;
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
