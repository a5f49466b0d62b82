/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Mean-field configurations over a grid (sw-mf-grid.h): the composition of
 * the x and y sweeps equals evaluating every cell when the axes act on
 * different numbers, and a dependence on both axes is detected and handled
 * by evaluating every cell.
 */
#include <string.h>

#include <glib.h>

#include "sw-document.h"
#include "sw-mf-grid.h"

static gboolean
config_of (SwDocument *doc, SwMfConfig *cfg, gpointer data, GError **error)
{
  SwNetSpec *spec = sw_document_build_spec (doc, error);
  if (spec == NULL)
    return FALSE;
  SwError err;
  SwStatus st = sw_mf_config_from_spec (spec, cfg, &err);
  sw_net_spec_free (spec);
  if (st == SW_OK)
    st = sw_mf_config_set_builtin_tf (cfg, "dV19", &err);
  if (st != SW_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", err.text);
      return FALSE;
    }
  return TRUE;
}

/* Every cell of @cfgs against a full evaluation of the document there. */
static void
assert_cells (SwDocument *doc, const SwMfConfig *cfgs, const char *xn, double x0, double x1, int nx,
              const char *yn, double y0, double y1, int ny)
{
  for (int j = 0; j < ny; j++)
    for (int i = 0; i < nx; i++)
      {
        char xs[G_ASCII_DTOSTR_BUF_SIZE], ys[G_ASCII_DTOSTR_BUF_SIZE];
        g_ascii_dtostr (xs, sizeof xs, sw_mf_grid_axis_value (x0, x1, nx, i));
        g_ascii_dtostr (ys, sizeof ys, sw_mf_grid_axis_value (y0, y1, ny, j));
        g_autoptr (GError) error = NULL;
        g_assert_true (sw_document_set (doc, xn, xs, &error));
        g_assert_true (sw_document_set (doc, yn, ys, &error));
        SwMfConfig full;
        memset (&full, 0, sizeof full);
        g_assert_true (config_of (doc, &full, NULL, &error));
        g_assert_no_error (error);
        const SwMfConfig *c = &cfgs[j * nx + i];
        g_assert_cmpfloat (c->nu_ext_hz, ==, full.nu_ext_hz);
        g_assert_cmpfloat (c->b_pa, ==, full.b_pa);
        g_assert_cmpfloat (c->e.cell.e_l_mv, ==, full.e.cell.e_l_mv);
        g_assert_cmpmem (c, sizeof *c, &full, sizeof full);
      }
}

static void
test_separable (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SwDocument) doc = sw_document_load_preset ("destexhe-adex", &error);
  g_assert_no_error (error);
  gboolean composed = FALSE;
  g_autofree SwMfConfig *cfgs = sw_mf_grid_configs (doc, "nu_ext", 0.5, 20, 7, "b", 0, 120, 5, config_of, NULL,
                                                    NULL, &composed, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cfgs);
  g_assert_true (composed);
  assert_cells (doc, cfgs, "nu_ext", 0.5, 20, 7, "b", 0, 120, 5);
  /* The axes really reach the configuration. */
  g_assert_cmpfloat (cfgs[0].nu_ext_hz, ==, 0.5);
  g_assert_cmpfloat (cfgs[6].nu_ext_hz, ==, 20);
  g_assert_cmpfloat (cfgs[4 * 7].b_pa, ==, 120);
}

static void
test_not_separable (void)
{
  /* E's adaptation made to depend on both variables. */
  g_autoptr (GError) error = NULL;
  g_autoptr (SwDocument) doc = sw_document_load_preset ("destexhe-adex", &error);
  g_assert_no_error (error);
  g_assert_true (sw_document_set (doc, "E.b", "b*nu_ext/(2.5 Hz)", &error));
  g_assert_no_error (error);
  gboolean composed = TRUE;
  g_autofree SwMfConfig *cfgs = sw_mf_grid_configs (doc, "nu_ext", 0.5, 20, 4, "b", 10, 120, 3, config_of, NULL,
                                                    NULL, &composed, &error);
  g_assert_no_error (error);
  g_assert_false (composed);
  assert_cells (doc, cfgs, "nu_ext", 0.5, 20, 4, "b", 10, 120, 3);
}

static void
test_errors (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SwDocument) doc = sw_document_load_preset ("destexhe-adex", &error);
  g_autoptr (GCancellable) cancel = g_cancellable_new ();
  SwMfConfig *cfgs = sw_mf_grid_configs (doc, "nu_xt", 0, 1, 2, "b", 0, 1, 2, config_of, NULL, NULL, NULL, &error);
  g_assert_null (cfgs);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "nu_ext"));
  g_clear_error (&error);
  /* A network without a mean field: the function's error comes through. */
  g_autoptr (SwDocument) brunel = sw_document_load_preset ("brunel-a", &error);
  cfgs = sw_mf_grid_configs (brunel, "g", 4, 6, 2, "eta", 1, 2, 2, config_of, NULL, NULL, NULL, &error);
  g_assert_null (cfgs);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/model/mf-grid/separable", test_separable);
  g_test_add_func ("/model/mf-grid/not-separable", test_not_separable);
  g_test_add_func ("/model/mf-grid/errors", test_errors);
  return g_test_run ();
}
