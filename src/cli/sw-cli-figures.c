/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Figures written by spikeworks-cli, drawn with the shared plotting library
 * (src/plot), the same that the workbench's views use.
 */
#include "config.h"

#include "sw-cli.h"

#include "sw-atomic-file.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sw-figure.h"
#include "sw-meanfield.h"

void
sw_cli_axis_title (SwDocument *doc, const char *name, char **label, char **unit)
{
  int k = sw_document_find_variable (doc, name);
  SwVariableInfo info;
  if (k >= 0 && sw_document_get_variable (doc, (guint) k, &info))
    {
      *label = g_strdup (info.label ? info.label : info.name);
      *unit = g_strdup (info.unit && info.unit[0] ? info.unit : NULL);
      return;
    }
  *label = g_strdup (name);
  *unit = NULL;
}

static cairo_status_t
write_stream (void *closure, const unsigned char *data, unsigned int length)
{
  return fwrite (data, 1, length, closure) == length ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

gboolean
sw_cli_save_figure (SwFigure *fig, const char *path, double width, double height, GError **error)
{
  SwPlotFormat format;
  if (!sw_plot_format_from_path (path, &format))
    return sw_cli_usage_error (error, "%s: the figure must end in .png, .svg or .pdf", path);
  g_autofree char *tmp = NULL;
  int fd = sw_atomic_file_create (path, &tmp, error);
  if (fd < 0)
    return FALSE;
  FILE *fp = fdopen (fd, "wb");
  SwPlotError perr = { 0 };
  gboolean ok = fp != NULL && sw_figure_write (fig, format, write_stream, fp, width, height, &perr) == SW_PLOT_OK;
  int e = errno;
  if (fp == NULL)
    close (fd);
  else if (fclose (fp) != 0)
    {
      e = errno;
      ok = FALSE;
    }
  if (!ok)
    {
      if (perr.text[0] != '\0')
        g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "%s: %s", path, perr.text);
      else
        g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "%s: cannot write: %s", path,
                     g_strerror (e));
    }
  return sw_atomic_file_finish (tmp, path, ok, ok ? error : NULL) && ok;
}

static gboolean
plot_failed (const SwPlotError *perr, const char *path, GError **error)
{
  g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "%s: %s", path, perr->text);
  return FALSE;
}

gboolean
sw_cli_phase_figure (const char *path, SwDocument *doc, const char *x_name, double x_min, double x_max, int nx,
                     const char *y_name, double y_min, double y_max, int ny, const SwMfPhaseMap *map,
                     GError **error)
{
  static const char *const names[SW_MF_N_CLASSES] = {
    [SW_MF_CLASS_NONE] = "none (no asynchronous state)",
    [SW_MF_CLASS_UD] = "UD (underdamped)",
    [SW_MF_CLASS_OD] = "OD (overdamped)",
    [SW_MF_CLASS_UNSTABLE] = "unstable",
  };
  /* Okabe & Ito colours: UD blue, OD orange, unstable reddish purple, none
   * grey; distinguishable in the common colour-vision deficiencies. */
  static const SwRgba colours[SW_MF_N_CLASSES] = {
    [SW_MF_CLASS_NONE] = { 0.75, 0.75, 0.75, 1 },
    [SW_MF_CLASS_UD] = { 0.0, 0.447, 0.698, 1 },
    [SW_MF_CLASS_OD] = { 0.902, 0.624, 0.0, 1 },
    [SW_MF_CLASS_UNSTABLE] = { 0.8, 0.475, 0.655, 1 },
  };
  SwPlotFormat format;
  if (!sw_plot_format_from_path (path, &format))
    {
      g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "%s: the figure must end in .png, .svg or .pdf", path);
      return FALSE;
    }

  /* Cell edges: values sit at the cell centres. */
  double hx = nx > 1 ? (x_max - x_min) / (nx - 1) : 1.0, hy = ny > 1 ? (y_max - y_min) / (ny - 1) : 1.0;
  double x0 = x_min - hx / 2, x1 = x_max + hx / 2, y0 = y_min - hy / 2, y1 = y_max + hy / 2;
  g_autofree char *xl = NULL, *xu = NULL, *yl = NULL, *yu = NULL;
  sw_cli_axis_title (doc, x_name, &xl, &xu);
  sw_cli_axis_title (doc, y_name, &yl, &yu);

  gsize cells = (gsize) nx * ny;
  g_autofree int *cls = g_new (int, cells);
  g_autofree double *zeta = g_new (double, cells);
  for (gsize c = 0; c < cells; c++)
    {
      cls[c] = (int) map->cls[c];
      /* The map shows zeta up to 2; beyond, the state is plainly OD. */
      zeta[c] = isfinite (map->zeta[c]) ? fmin (map->zeta[c], 2.0) : NAN;
    }

  SwFigure *fig = sw_figure_new (1, 2);
  g_autofree char *title = g_strdup_printf ("Mean-field asynchronous state — %s", sw_document_get_display_name (doc));
  sw_figure_set_title (fig, title);
  SwPlotError perr = { 0 };
  SwPanel *left = sw_figure_panel (fig, 0, 0), *right = sw_figure_panel (fig, 0, 1);
  SwPanel *panels[2] = { left, right };
  for (int k = 0; k < 2; k++)
    {
      sw_panel_set_x_label (panels[k], xl, xu);
      sw_panel_set_y_label (panels[k], yl, yu);
      sw_panel_set_x_limits (panels[k], x0, x1);
      sw_panel_set_y_limits (panels[k], y0, y1);
    }
  sw_panel_set_title (left, "Class of the fixed point");
  sw_panel_set_title (right, "Damping ratio ζ of the E–I mode");
  sw_panel_set_legend (left, SW_LEGEND_OUTSIDE);
  sw_panel_set_colour_limits (right, 0.0, 2.0);
  gboolean ok = sw_panel_add_categories (left, cls, nx, ny, x0, x1, y0, y1, names, colours, SW_MF_N_CLASSES, &perr)
                  == SW_PLOT_OK
                && sw_panel_add_heatmap (right, zeta, nx, ny, x0, x1, y0, y1, SW_COLORMAP_VIRIDIS, "ζ (UD < 1 ≤ OD)",
                                         NULL, &perr) == SW_PLOT_OK;
  /* The UD/OD boundary (ζ = 1), mapped from cell indices onto the axes. */
  SwStyle boundary = { .colour = { 0, 0, 0, 1 }, .width = 1.5, .dash = SW_DASH_DASHED };
  for (int l = 0; ok && l < map->n_boundary; l++)
    {
      const SwMfPolyline *pl = &map->boundary[l];
      g_autofree double *px = g_new (double, pl->n), *py = g_new (double, pl->n);
      for (int v = 0; v < pl->n; v++)
        {
          px[v] = x_min + pl->x[v] * hx;
          py[v] = y_min + pl->y[v] * hy;
        }
      for (int k = 0; k < 2 && ok; k++)
        ok = sw_panel_add_contour (panels[k], px, py, pl->n, l == 0 ? "UD/OD boundary" : NULL, &boundary, &perr)
             == SW_PLOT_OK;
    }
  if (!ok)
    {
      sw_figure_free (fig);
      return plot_failed (&perr, path, error);
    }
  ok = sw_cli_save_figure (fig, path, 1400, 560, error);
  sw_figure_free (fig);
  return ok;
}
