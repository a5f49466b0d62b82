/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The neural-mass window: it opens on the presets, a run records the time
 * series and finds the Jansen-Rit alpha peak, clicks in the network view
 * plot and perturb nodes, the phase plane finds the MPR fixed points and
 * follows a slider, bifurcation diagrams finish (FitzHugh-Nagumo's two
 * Hopf points) and can be cancelled, exports write valid files, and the
 * mean-field phase plane names the asynchronous state.
 *
 * With SW_MASS_SCREENSHOTS=DIR set, each test also writes pictures of the
 * window to DIR, to look at.
 */
#include "config.h"

#include <math.h>

#include "sw-mass-window.h"
#include "sw-mf-plane-window.h"
#include "sw-phase-view.h"

#include "test-gui-util.h"

static gboolean
not_running (gpointer data)
{
  return !sw_mass_window_get_running (data);
}

static gboolean
plane_ready (gpointer data)
{
  return !sw_mass_window_get_plane_busy (data) && sw_mass_window_get_n_fixed_points (data) > 0;
}

static gboolean
bif_finished (gpointer data)
{
  int s = sw_mass_window_get_bifurcation_state (data);
  return s != 0 && s != 1;
}

static gboolean
not_perturbing (gpointer data)
{
  return !sw_mass_window_get_perturbing (data);
}

static gboolean
laid_out (gpointer data)
{
  double x, y;
  return sw_mass_window_node_position (data, 0, &x, &y);
}

static void
screenshot (GtkWidget *window, const char *name)
{
  const char *dir = g_getenv ("SW_MASS_SCREENSHOTS");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int w = gtk_widget_get_width (window), h = gtk_widget_get_height (window);

  if (dir == NULL)
    return;
  spin (0.3);
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  path = g_strdup_printf ("%s/%s.png", dir, name);
  gdk_texture_save_to_png (texture, path);
}

static SwMassWindow *
open_window (const char *preset)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *location = g_strconcat ("preset:", preset, NULL);
  SwMassWindow *window = sw_mass_window_new (GTK_APPLICATION (test_app), location, &error);

  g_assert_no_error (error);
  g_assert_nonnull (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
close_window (SwMassWindow *window)
{
  gpointer weak = window;

  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_destroy (GTK_WINDOW (window));
  assert_finalized (weak);
}

/* A run records every sample, and the Jansen-Rit spectrum has its alpha
 * peak (10.75 Hz in the CLI's run of this preset). */
static void
test_run (void)
{
  SwMassWindow *window = open_window ("mass-jansen-rit");

  /* The window starts on the time series of a single node. */
  g_assert_cmpstr (sw_mass_window_get_view (window), ==, "series");
  g_assert_cmpuint (sw_mass_window_get_n_samples (window), ==, 0);
  sw_mass_window_run (window);
  g_assert_true (sw_mass_window_get_running (window));
  g_assert_true (wait_for (not_running, window, 60));
  /* 22 s at 256.41 Hz (every 39 steps of 0.1 ms). */
  g_assert_cmpuint (sw_mass_window_get_n_samples (window), ==, 220000 / 39);
  g_assert_cmpfloat (sw_mass_window_get_spectral_peak (window), >, 9.5);
  g_assert_cmpfloat (sw_mass_window_get_spectral_peak (window), <, 12.0);
  screenshot (GTK_WIDGET (window), "jr-series");
  sw_mass_window_set_view (window, "spectrum");
  screenshot (GTK_WIDGET (window), "jr-spectrum");

  /* Stop ends a run early. */
  sw_mass_window_run (window);
  sw_mass_window_stop (window);
  g_assert_true (wait_for (not_running, window, 10));
  g_assert_cmpuint (sw_mass_window_get_n_samples (window), <, 220000 / 39);
  close_window (window);
}

/* Clicks on nodes: plotting adds a node to the time series, perturbing
 * measures the response by hops. */
static void
test_network_click (void)
{
  SwMassWindow *window = open_window ("mass-ou-perturbation");
  const int *plotted;
  guint n;
  double x, y;
  int max_hop = 0;

  g_assert_cmpstr (sw_mass_window_get_view (window), ==, "network");
  g_assert_true (wait_for (laid_out, window, 10));
  sw_mass_window_run (window);
  g_assert_true (wait_for (not_running, window, 60));

  screenshot (GTK_WIDGET (window), "ou-activity");
  sw_mass_window_set_click_perturbs (window, FALSE);
  g_assert_true (sw_mass_window_node_position (window, 5, &x, &y));
  sw_mass_window_click (window, "network", x + 2, y - 1);
  plotted = sw_mass_window_get_plotted (window, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (plotted[1], ==, 5);
  /* A click between nodes does nothing. */
  sw_mass_window_click (window, "network", 1, 1);
  sw_mass_window_get_plotted (window, &n);
  g_assert_cmpuint (n, ==, 2);

  sw_mass_window_set_click_perturbs (window, TRUE);
  g_assert_true (sw_mass_window_node_position (window, 3, &x, &y));
  sw_mass_window_click (window, "network", x, y);
  g_assert_true (sw_mass_window_get_perturbing (window));
  g_assert_true (wait_for (not_perturbing, window, 60));
  g_assert_cmpint (sw_mass_window_get_perturbed_node (window, &max_hop), ==, 3);
  /* The synthetic 20-node small world: neighbours, and nodes further off. */
  g_assert_cmpint (max_hop, >=, 2);
  screenshot (GTK_WIDGET (window), "ou-network");
  sw_mass_window_set_view (window, "series");
  screenshot (GTK_WIDGET (window), "ou-series");
  close_window (window);
}

/* MPR at eta = -5: a stable node, a saddle and a stable focus (spec §6
 * item 7); at eta = -6 only the low state is left.  A click starts a
 * trajectory. */
static void
test_phase_plane (void)
{
  SwMassWindow *window = open_window ("mass-mpr-bistable");
  g_autoptr(GError) error = NULL;
  gboolean node = FALSE, saddle = FALSE, focus = FALSE;
  GtkWidget *area;
  double w, h;

  sw_mass_window_set_view (window, "plane");
  g_assert_true (wait_for (plane_ready, window, 30));
  g_assert_cmpint (sw_mass_window_get_n_fixed_points (window), ==, 3);
  for (int k = 0; k < 3; k++)
    {
      const char *t = sw_mass_window_get_fixed_point_type (window, k);
      node |= g_str_equal (t, "stable node");
      saddle |= g_str_equal (t, "saddle");
      focus |= g_str_equal (t, "stable focus");
    }
  g_assert_true (node && saddle && focus);

  /* A click in the middle of the plot starts a trajectory. */
  spin (0.2);
  area = sw_mass_window_get_area (window, "plane");
  w = gtk_widget_get_width (area);
  h = gtk_widget_get_height (area);
  g_assert_cmpfloat (w, >, 100);
  sw_mass_window_click (window, "plane", 0.4 * w, 0.5 * h);
  spin (0.05);
  g_assert_true (wait_for (plane_ready, window, 30));
  g_assert_cmpint (sw_mass_window_get_n_trajectories (window), ==, 1);
  screenshot (GTK_WIDGET (window), "mpr-plane");

  /* The slider moves the nullclines: below eta = -5.7435 only the low
   * state is left. */
  g_assert_true (sw_mass_window_set_variable (window, "eta", -6.0, &error));
  g_assert_no_error (error);
  spin (0.05);
  g_assert_true (wait_for (plane_ready, window, 30));
  g_assert_cmpint (sw_mass_window_get_n_fixed_points (window), ==, 1);
  g_assert_cmpstr (sw_mass_window_get_fixed_point_type (window, 0), ==, "stable node");
  close_window (window);
}

/* The Jansen-Rit projection shows its six variables through two. */
static void
test_phase_plane_projection (void)
{
  SwMassWindow *window = open_window ("mass-wilson-cowan");

  sw_mass_window_set_view (window, "plane");
  g_assert_true (wait_for (plane_ready, window, 30));
  /* The 1972 limit cycle surrounds one unstable fixed point. */
  g_assert_cmpint (sw_mass_window_get_n_fixed_points (window), ==, 1);
  g_assert_cmpstr (sw_mass_window_get_fixed_point_type (window, 0), ==, "unstable focus");
  screenshot (GTK_WIDGET (window), "wc-plane");
  close_window (window);

  window = open_window ("mass-jansen-rit");
  sw_mass_window_set_view (window, "plane");
  g_assert_true (wait_for (plane_ready, window, 30));
  g_assert_cmpint (sw_mass_window_get_n_fixed_points (window), >=, 1);
  screenshot (GTK_WIDGET (window), "jr-plane");
  close_window (window);
}

/* FitzHugh-Nagumo (classic set): Hopf points at I = 0.3313 and 1.4187
 * (spec §6 item 10), read back from the CSV export. */
static void
test_bifurcation (void)
{
  SwMassWindow *window = open_window ("mass-fitzhugh-nagumo");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp (NULL, NULL);
  g_autofree char *csv = g_build_filename (dir, "bif.csv", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  int n_hopf = 0;
  double hopf[2];
  int found = 0;

  sw_mass_window_set_view (window, "bifurcation");
  g_assert_true (sw_mass_window_compute_bifurcation (window, "I", 0.0, 2.0, 12));
  g_assert_cmpint (sw_mass_window_get_bifurcation_state (window), ==, 1);
  g_assert_true (wait_for (bif_finished, window, 120));
  g_assert_cmpint (sw_mass_window_get_bifurcation_state (window), ==, 2);
  g_assert_cmpint (sw_mass_window_get_bifurcation_points (window, &n_hopf), >, 10);
  g_assert_cmpint (n_hopf, ==, 2);
  screenshot (GTK_WIDGET (window), "fhn-bifurcation");
  g_assert_true (sw_mass_window_export (window, "bifurcation", csv, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (int k = 0; lines[k] != NULL; k++)
    if (g_str_has_prefix (lines[k], "hopf,") && found < 2)
      hopf[found++] = g_ascii_strtod (lines[k] + 5, NULL);
  g_assert_cmpint (found, ==, 2);
  if (hopf[0] > hopf[1])
    {
      double t = hopf[0];
      hopf[0] = hopf[1];
      hopf[1] = t;
    }
  g_assert_cmpfloat (fabs (hopf[0] - 0.3313), <, 0.01 * 2.0);
  g_assert_cmpfloat (fabs (hopf[1] - 1.4187), <, 0.01 * 2.0);
  g_unlink (csv);
  g_rmdir (dir);

  /* A long diagram is cancelled. */
  g_assert_true (sw_mass_window_compute_bifurcation (window, "I", 0.0, 2.0, 2000));
  spin (0.1);
  sw_mass_window_cancel_bifurcation (window);
  g_assert_true (wait_for (bif_finished, window, 20));
  g_assert_cmpint (sw_mass_window_get_bifurcation_state (window), ==, 3);
  /* An unknown parameter is refused. */
  g_assert_false (sw_mass_window_compute_bifurcation (window, "no_such", 0.0, 1.0, 4));
  close_window (window);
}

static void
assert_png (const char *path, int width, int height)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len;
  g_autoptr(GdkTexture) texture = NULL;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_cmpuint (len, >, 8);
  g_assert_cmpmem (data, 8, "\x89PNG\r\n\x1a\n", 8);
  texture = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, width);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, height);
}

/* Every view exports a PNG; the network and the phase plane SVG and CSV. */
static void
test_export (void)
{
  SwMassWindow *window = open_window ("mass-stuart-landau");
  g_autofree char *dir = g_dir_make_tmp (NULL, NULL);
  static const char *const views[] = { "network", "series", "spectrum", "plane" };
  g_autoptr(GError) error = NULL;

  /* Nothing to export before a run. */
  {
    g_autofree char *path = g_build_filename (dir, "empty.csv", NULL);
    g_assert_false (sw_mass_window_export (window, "series", path, &error));
    g_assert_error (error, SW_LIVE_ERROR, SW_LIVE_ERROR_EMPTY);
    g_clear_error (&error);
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }
  sw_mass_window_run (window);
  g_assert_true (wait_for (not_running, window, 60));
  sw_mass_window_set_view (window, "plane");
  g_assert_true (wait_for (plane_ready, window, 30));
  screenshot (GTK_WIDGET (window), "sl-plane");
  for (guint k = 0; k < G_N_ELEMENTS (views); k++)
    {
      g_autofree char *png = g_strdup_printf ("%s/%s.png", dir, views[k]);
      g_autofree char *csv = g_strdup_printf ("%s/%s.csv", dir, views[k]);
      g_autofree char *text = NULL;

      g_assert_true (sw_mass_window_export (window, views[k], png, &error));
      g_assert_no_error (error);
      if (g_str_equal (views[k], "network"))
        assert_png (png, 1000, 700);
      else
        assert_png (png, 1100, 640);
      g_assert_true (sw_mass_window_export (window, views[k], csv, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
      g_assert_cmpuint (strlen (text), >, 20);
      g_unlink (png);
      g_unlink (csv);
    }
  {
    g_autofree char *svg = g_build_filename (dir, "network.svg", NULL);
    g_autofree char *text = NULL;
    g_assert_true (sw_mass_window_export (window, "network", svg, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (svg, &text, NULL, NULL));
    g_assert_nonnull (strstr (text, "<svg"));
    g_unlink (svg);
  }
  {
    g_autofree char *bad = g_build_filename (dir, "plot.txt", NULL);
    g_assert_false (sw_mass_window_export (window, "series", bad, &error));
    g_assert_error (error, SW_LIVE_ERROR, SW_LIVE_ERROR_FORMAT);
    g_clear_error (&error);
  }
  g_rmdir (dir);
  close_window (window);
}

static gboolean
mf_ready (gpointer data)
{
  return !sw_mf_plane_window_get_busy (data);
}

/* The phase diagram's "Phase Plane…" opens the mean field's (nu_e, nu_i)
 * plane; the Destexhe AdEx network's asynchronous state is a stable focus,
 * UD, as `spikeworks-cli phaseplane preset:destexhe-adex` finds. */
static void
test_mean_field_plane (void)
{
  SwWindow *window = new_window_on ("destexhe-adex", FALSE);
  GtkWidget *view = find_descendant (GTK_WIDGET (window), SW_TYPE_PHASE_VIEW);
  GListModel *toplevels = gtk_window_get_toplevels ();
  SwMfPlaneWindow *plane = NULL;
  gpointer weak;

  g_assert_nonnull (view);
  g_assert_true (gtk_widget_activate_action (view, "phase.mean-field-plane", NULL));
  for (guint k = 0; k < g_list_model_get_n_items (toplevels); k++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, k);
      if (SW_IS_MF_PLANE_WINDOW (w))
        plane = SW_MF_PLANE_WINDOW (w);
    }
  g_assert_nonnull (plane);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (plane)) == GTK_WINDOW (window));
  g_assert_true (wait_for (mf_ready, plane, 30));
  g_assert_cmpstr (sw_mf_plane_window_get_class (plane), ==, "UD");
  g_assert_nonnull (strstr (sw_mf_plane_window_get_summary (plane), "stable focus"));
  {
    g_autofree char *dir = g_dir_make_tmp (NULL, NULL);
    g_autofree char *png = g_build_filename (dir, "plane.png", NULL);
    g_autoptr(GError) error = NULL;
    g_assert_true (sw_mf_plane_window_export (plane, png, &error));
    g_assert_no_error (error);
    assert_png (png, 1000, 620);
    g_unlink (png);
    g_rmdir (dir);
  }
  screenshot (GTK_WIDGET (plane), "mf-plane");
  weak = plane;
  g_object_add_weak_pointer (G_OBJECT (plane), &weak);
  gtk_window_destroy (GTK_WINDOW (plane));
  assert_finalized (weak);
  destroy_window (window);
}

int
main (int argc, char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/mass/run", test_run);
  g_test_add_func ("/gui/mass/network-click", test_network_click);
  g_test_add_func ("/gui/mass/phase-plane", test_phase_plane);
  g_test_add_func ("/gui/mass/phase-plane-projection", test_phase_plane_projection);
  g_test_add_func ("/gui/mass/bifurcation", test_bifurcation);
  g_test_add_func ("/gui/mass/export", test_export);
  g_test_add_func ("/gui/mass/mean-field-plane", test_mean_field_plane);

  return gui_test_run ();
}
