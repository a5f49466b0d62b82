/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Neural-mass networks and documents: self-check 13 of the neural-masses
 * spec on the shared 68-region connectome (skipped when the data folder is
 * absent), the CSV loaders' errors, and the presets.
 *
 * The connectome is read from SPIKEWORKS_CONNECTOME_DIR, by default
 * ../shared/data/connectome-dk68 beside the source tree (the test's
 * environment names it); it is never copied into the project.
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "sw-connectome.h"
#include "sw-document.h"
#include "sw-mass-doc.h"
#include "sw-mass-network.h"
#include "sw-mass-perturb.h"
#include "sw-mass-sim.h"

static const char *
connectome_dir (void)
{
  const char *dir = g_getenv ("SPIKEWORKS_CONNECTOME_DIR");
  return dir != NULL ? dir : "../shared/data/connectome-dk68";
}

static SwConnectome *
load_dk68 (void)
{
  const char *dir = connectome_dir ();
  g_autofree char *w = g_build_filename (dir, "weights.csv", NULL);
  g_autofree char *l = g_build_filename (dir, "labels.csv", NULL);
  g_autofree char *c = g_build_filename (dir, "centroids_mm.csv", NULL);
  if (!g_file_test (w, G_FILE_TEST_EXISTS))
    return NULL;
  g_autoptr (GError) error = NULL;
  SwConnectome *net = sw_connectome_load (w, NULL, NULL, l, c, &error);
  g_assert_no_error (error);
  return net;
}

static double
median (double *v, int n)
{
  for (int a = 1; a < n; a++)
    for (int b = a; b > 0 && v[b - 1] > v[b]; b--)
      {
        double t = v[b];
        v[b] = v[b - 1];
        v[b - 1] = t;
      }
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* 13: OU network on the 68-region connectome, linear theory. */
static void
test_connectome_ou (void)
{
  g_autoptr (SwConnectome) net = load_dk68 ();
  if (net == NULL)
    {
      g_test_skip ("the shared connectome-dk68 folder is absent");
      return;
    }
  int n = net->n;
  g_assert_cmpint (n, ==, 68);
  g_autofree double *wn = g_new (double, n * n);
  SwError err;
  g_assert_cmpint (sw_mass_normalise (net->weights, n, SW_MASS_NORM_LAMBDA_MAX, wn, &err), ==, SW_OK);
  int src = sw_connectome_find (net, "L_precentral");
  g_assert_cmpint (src, >=, 0);
  int hops[68];
  g_assert_cmpint (sw_mass_hops (wn, n, src, hops), ==, 3);
  int count[4] = { 0 };
  for (int i = 0; i < n; i++)
    count[hops[i]]++;
  g_assert_cmpint (count[1], ==, 23);
  g_assert_cmpint (count[2], ==, 41);
  g_assert_cmpint (count[3], ==, 3);

  const SwMassType *t = &sw_mass_ou_type;
  double p[SW_MASS_MAX_PARAMS];
  sw_mass_type_defaults (t, p);
  double tau = 0.01;
  p[sw_mass_type_param (t, "tau")] = tau;
  p[sw_mass_type_param (t, "sigma")] = 0.0;

  /* Slowest decay rate (1 - G tau) / tau, from a kick to the source. */
  const double gtaus[] = { 0.5, 0.9, 0.99 };
  for (int g = 0; g < 2; g++)
    {
      g_autofree double *init = g_new0 (double, n);
      init[src] = 1.0;
      SwMassConfig cfg = { .type = t, .n_nodes = n, .params = p, .weights = wn, .g = gtaus[g] / tau,
                           .dt_s = 1e-4, .method = SW_MASS_METHOD_RK4, .initial = init };
      SwMassSim *sim;
      g_assert_cmpint (sw_mass_sim_new (&cfg, &sim, &err), ==, SW_OK);
      double norms[2];
      for (int k = 0; k < 2; k++)
        {
          g_assert_cmpint (sw_mass_sim_run (sim, 5000, 1, NULL, &err), ==, SW_OK);
          const double *x = sw_mass_sim_state (sim);
          double s = 0;
          for (int i = 0; i < n; i++)
            s += x[i] * x[i];
          norms[k] = sqrt (s);
        }
      sw_mass_sim_free (sim);
      double rate = log (norms[0] / norms[1]) / 0.5;
      double expect = (1.0 - gtaus[g]) / tau;
      g_test_message ("G tau = %g: slowest decay %.5g /s (theory %.5g)", gtaus[g], rate, expect);
      g_assert_cmpfloat (fabs (rate - expect) / expect, <, 1e-3);
    }

  /* Small-t response ~ t^h: slope on log-log axes per hop class. */
  {
    g_autofree double *init = g_new0 (double, n);
    init[src] = 1.0;
    SwMassConfig cfg = { .type = t, .n_nodes = n, .params = p, .weights = wn, .g = 0.5 / tau,
                         .dt_s = 1e-8, .method = SW_MASS_METHOD_RK4, .initial = init };
    SwMassSim *sim;
    g_assert_cmpint (sw_mass_sim_new (&cfg, &sim, &err), ==, SW_OK);
    g_autofree double *x1 = g_new (double, n);
    g_assert_cmpint (sw_mass_sim_run (sim, 100, 1, NULL, &err), ==, SW_OK);   /* 1 us */
    memcpy (x1, sw_mass_sim_state (sim), n * sizeof (double));
    g_assert_cmpint (sw_mass_sim_run (sim, 900, 1, NULL, &err), ==, SW_OK);   /* 10 us */
    const double *x2 = sw_mass_sim_state (sim);
    for (int h = 1; h <= 3; h++)
      {
        double slopes[68];
        int m = 0;
        for (int i = 0; i < n; i++)
          if (hops[i] == h)
            slopes[m++] = log10 (x2[i] / x1[i]);
        double s = median (slopes, m);
        g_test_message ("%d-hop response: log-log slope %.4f", h, s);
        g_assert_cmpfloat (fabs (s - h), <, 0.02);
      }
    sw_mass_sim_free (sim);
  }

  /* R21 with the 10 ms pulse of the protocol, latencies of the impulse
   * response (a pulse of one step). */
  const double r21_ref[] = { 0.11, 0.33, 0.49 };
  const double lat1[] = { 12.0, 16.5, 18.5 }, lat2[] = { 26.0, 44.0, 80.5 };
  for (int g = 0; g < 3; g++)
    {
      SwMassConfig cfg = { .type = t, .n_nodes = n, .params = p, .weights = wn, .g = gtaus[g] / tau,
                           .dt_s = 1e-4, .method = SW_MASS_METHOD_RK4 };
      SwMassPerturbProtocol prot = { .source = src, .amplitude = 100.0, .pulse_s = 0.01,
                                     .warmup_s = 0.1, .window_s = 0.5 };
      SwMassPerturbResult res;
      g_assert_cmpint (sw_mass_perturb (&cfg, &prot, &res, &err), ==, SW_OK);
      g_test_message ("G tau = %g: R21 %.3f (reference %.2f)", gtaus[g], res.r21, r21_ref[g]);
      g_assert_cmpfloat (fabs (res.r21 - r21_ref[g]), <=, 0.01);
      g_assert_cmpint (res.by_hop[0].n, ==, 23);
      g_assert_cmpfloat (res.by_hop[0].frac_reached, ==, 1.0);
      sw_mass_perturb_result_clear (&res);

      prot.pulse_s = 1e-4;
      prot.amplitude = 1e4;
      g_assert_cmpint (sw_mass_perturb (&cfg, &prot, &res, &err), ==, SW_OK);
      double l1 = res.by_hop[0].median_latency_s * 1e3, l2 = res.by_hop[1].median_latency_s * 1e3;
      g_test_message ("G tau = %g: median latency 1 hop %.1f ms (reference %.1f), 2 hops %.1f ms (%.1f)",
                      gtaus[g], l1, lat1[g], l2, lat2[g]);
      g_assert_cmpfloat (fabs (l1 - lat1[g]), <=, 0.5 + 0.02 * lat1[g]);
      g_assert_cmpfloat (fabs (l2 - lat2[g]), <=, 0.5 + 0.02 * lat2[g]);
      sw_mass_perturb_result_clear (&res);
    }
}

/* The loaders name file, line, column and what was expected. */
static void
expect_matrix_error (const char *text, const char *what, int cols, const char *needle)
{
  g_autofree char *dir = g_dir_make_tmp (NULL, NULL);
  g_autofree char *path = g_build_filename (dir, "m.csv", NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  double *v = NULL;
  int r, c;
  g_autoptr (GError) error = NULL;
  g_assert_false (sw_connectome_read_matrix (path, what, 0, cols, FALSE, &v, &r, &c, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, needle));
  g_remove (path);
  g_rmdir (dir);
}

static void
test_loader_errors (void)
{
  expect_matrix_error ("0,1,2\n1,0,2\n", "weights", 0, "square");
  expect_matrix_error ("0,1\n1,0,3\n", "weights", 0, ":2: weights: expected 2 columns");
  expect_matrix_error ("0,nan\n1,0\n", "weights", 0, ":1:2: weights: expected a number, not NaN");
  expect_matrix_error ("0,1\n-1,0\n", "weights", 0, ":2:1: weights: expected a non-negative number");
  expect_matrix_error ("0,1\nx,0\n", "weights", 0, ":2:1: weights: expected a number, found 'x'");

  g_autofree char *dir = g_dir_make_tmp (NULL, NULL);
  g_autofree char *w = g_build_filename (dir, "w.csv", NULL);
  g_autofree char *l = g_build_filename (dir, "l.csv", NULL);
  g_assert_true (g_file_set_contents (w, "0,1,1\n1,0,1\n1,1,0\n", -1, NULL));
  g_assert_true (g_file_set_contents (l, "a,b\n", -1, NULL));
  g_autoptr (GError) error = NULL;
  SwConnectome *net = sw_connectome_load (w, NULL, NULL, l, NULL, &error);
  g_assert_null (net);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "expected 3 names"));
  g_assert_nonnull (strstr (error->message, l));
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (w, "1,1\n1,0\n", -1, NULL));
  net = sw_connectome_load (w, NULL, NULL, NULL, NULL, &error);
  g_assert_null (net);
  g_assert_nonnull (strstr (error->message, ":1:1: weights: expected 0 on the diagonal"));
  g_remove (w);
  g_remove (l);
  g_rmdir (dir);
}

/* Every mass preset loads, and a few of their claims hold. */
static void
test_presets (void)
{
  const char *names[] = { "mass-jansen-rit", "mass-stuart-landau", "mass-mpr-bistable", "mass-fitzhugh-nagumo",
                          "mass-wilson-cowan", "mass-ou-perturbation" };
  for (guint k = 0; k < G_N_ELEMENTS (names); k++)
    {
      g_autofree char *loc = g_strdup_printf ("preset:%s", names[k]);
      g_autoptr (GError) error = NULL;
      g_autoptr (SwMassDoc) doc = sw_mass_doc_load (loc, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (strlen (doc->description), >, 20);
      g_assert_cmpuint (strlen (doc->explanation), >, 200);
      SwMassConfig cfg;
      sw_mass_doc_config (doc, &cfg);
      SwMassSim *sim;
      SwError err;
      g_assert_cmpint (sw_mass_sim_new (&cfg, &sim, &err), ==, SW_OK);
      sw_mass_sim_free (sim);
    }
  /* --set: variables, parameters, unknown names. */
  g_autoptr (GError) error = NULL;
  char *sets[] = { "p_mean=250", "C=130", NULL };
  g_autoptr (SwMassDoc) doc = sw_mass_doc_load ("preset:mass-jansen-rit", sets, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (doc->params[sw_mass_type_param (doc->type, "p")], ==, 250.0);
  g_assert_cmpfloat (doc->params[sw_mass_type_param (doc->type, "C")], ==, 130.0);
  char *bad[] = { "p_maen=250", NULL };
  SwMassDoc *none = sw_mass_doc_load ("preset:mass-jansen-rit", bad, &error);
  g_assert_null (none);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "did you mean 'p_mean'"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mass/check13-connectome-ou", test_connectome_ou);
  g_test_add_func ("/mass/loader-errors", test_loader_errors);
  g_test_add_func ("/mass/presets", test_presets);
  return g_test_run ();
}
