/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Mean-field configurations over a grid (see sw-mf-grid.h).
 */
#include "sw-mf-grid.h"

#include <string.h>

double
sw_mf_grid_axis_value (double min, double max, int n, int k)
{
  return n == 1 ? min : min + (max - min) * k / (n - 1);
}

typedef struct
{
  SwDocument *doc;
  const char *x_name, *y_name;
  SwMfConfigFunc config_of;
  gpointer data;
} Eval;

static gboolean
config_at (const Eval *e, double xv, double yv, SwMfConfig *cfg, GError **error)
{
  char xs[G_ASCII_DTOSTR_BUF_SIZE], ys[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_dtostr (xs, sizeof xs, xv);
  g_ascii_dtostr (ys, sizeof ys, yv);
  if (!sw_document_set (e->doc, e->x_name, xs, error) || !sw_document_set (e->doc, e->y_name, ys, error))
    return FALSE;
  memset (cfg, 0, sizeof *cfg);
  return e->config_of (e->doc, cfg, e->data, error);
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

SwMfConfig *
sw_mf_grid_configs (SwDocument *doc, const char *x_name, double x_min, double x_max, int nx, const char *y_name,
                    double y_min, double y_max, int ny, SwMfConfigFunc config_of, gpointer data,
                    GCancellable *cancellable, gboolean *composed, GError **error)
{
  g_return_val_if_fail (doc != NULL && nx >= 1 && ny >= 1 && config_of != NULL, NULL);

  const Eval e = { doc, x_name, y_name, config_of, data };
  g_autofree SwMfConfig *cx = g_new0 (SwMfConfig, nx);
  g_autofree SwMfConfig *cy = g_new0 (SwMfConfig, ny);
  g_autofree SwMfConfig *cfgs = g_new0 (SwMfConfig, (gsize) nx * ny);
  g_autoptr (GRand) rand = g_rand_new_with_seed (1);
  gboolean separable = TRUE;
  SwMfConfig base;

#define X(i) sw_mf_grid_axis_value (x_min, x_max, nx, (i))
#define Y(j) sw_mf_grid_axis_value (y_min, y_max, ny, (j))
  if (!config_at (&e, X (0), Y (0), &base, error))
    return NULL;
  for (int i = 0; i < nx; i++)
    if (!config_at (&e, X (i), Y (0), &cx[i], error))
      return NULL;
  for (int j = 0; j < ny; j++)
    if (!config_at (&e, X (0), Y (j), &cy[j], error))
      return NULL;
  for (int j = 0; j < ny && separable; j++)
    for (int i = 0; i < nx && separable; i++)
      separable = compose (&base, &cx[i], &cy[j], &cfgs[(gsize) j * nx + i]);

  /* Check the composition where a dependence on both axes would show. */
  for (int k = 0; k < 24 && separable; k++)
    {
      int i = k < 4 ? (k & 1) * (nx - 1) : g_rand_int_range (rand, 0, nx);
      int j = k < 4 ? (k >> 1) * (ny - 1) : g_rand_int_range (rand, 0, ny);
      SwMfConfig full;
      if (!config_at (&e, X (i), Y (j), &full, error))
        return NULL;
      separable = memcmp (&full, &cfgs[(gsize) j * nx + i], sizeof full) == 0;
    }
  if (!separable)
    for (int j = 0; j < ny; j++)
      {
        if (g_cancellable_set_error_if_cancelled (cancellable, error))
          return NULL;
        for (int i = 0; i < nx; i++)
          if (!config_at (&e, X (i), Y (j), &cfgs[(gsize) j * nx + i], error))
            return NULL;
      }
#undef X
#undef Y
  if (composed != NULL)
    *composed = separable;
  return g_steal_pointer (&cfgs);
}
