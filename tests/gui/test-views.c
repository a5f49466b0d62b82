/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The phase-diagram and responsiveness views of the window (suite "gui"):
 * the mean-field map is computed in the background and agrees with
 * sw_mf_classify at the crosshair; a click on the map moves the sliders as
 * one edit that undo takes back; a network without a mean field says so;
 * the responsiveness sweep stops within 500 ms of Cancel; exports write
 * files of the right kind; and every view is finalized with its window.
 */
#include "config.h"

#include <math.h>

#include "sw-meanfield.h"
#include "sw-phase-view.h"
#include "sw-response-view.h"

#include "test-gui-util.h"

static double
variable (SwWindow *window, const char *name)
{
  SwDocument *doc = sw_window_get_document (window);
  SwVariableInfo info;

  g_assert_true (sw_document_get_variable (doc, (guint) sw_document_find_variable (doc, name),
                                           &info));
  return info.value;
}

static gboolean
phase_done (gpointer data)
{
  return !sw_phase_view_get_busy (data) && sw_phase_view_has_map (data);
}

static gboolean
response_idle (gpointer data)
{
  return !sw_response_view_get_busy (data);
}

/* The class sw_mf_classify gives for the window's document now. */
static SwMfClass
classify_now (SwWindow *window)
{
  g_autoptr(GError) error = NULL;
  SwMfConfig cfg;
  SwMfPoint point;
  SwError err;

  g_assert_true (sw_phase_view_config_for_document (sw_window_get_document (window), &cfg, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sw_mf_classify (&cfg, &point, &err), ==, SW_OK);
  return point.cls;
}

/* Destroys @window and checks that its views go too. */
static void
destroy_with_views (SwWindow *window)
{
  gpointer phase = sw_window_get_phase_view (window);
  gpointer response = sw_window_get_response_view (window);

  g_object_add_weak_pointer (G_OBJECT (phase), &phase);
  g_object_add_weak_pointer (G_OBJECT (response), &response);
  destroy_window (window);
  assert_finalized (phase);
  assert_finalized (response);
}

/* The longest the main loop went without running a 10 ms timer. */
typedef struct
{
  gint64 last_us, worst_us;
} Gaps;

static gboolean
gap_cb (gpointer data)
{
  Gaps *g = data;
  gint64 now = g_get_monotonic_time ();

  if (g->last_us > 0)
    g->worst_us = MAX (g->worst_us, now - g->last_us);
  g->last_us = now;
  return G_SOURCE_CONTINUE;
}

static void
test_phase_map (void)
{
  SwWindow *window = new_window_on ("destexhe-adex", FALSE);
  SwPhaseView *phase = SW_PHASE_VIEW (sw_window_get_phase_view (window));
  Gaps gaps = { 0 };
  guint gap_source;

  g_assert_true (sw_phase_view_has_mean_field (phase));
  g_assert_cmpstr (sw_phase_view_get_x_name (phase), ==, "nu_ext");
  g_assert_cmpstr (sw_phase_view_get_y_name (phase), ==, "b");
  /* nu_ext 0..30 in 13 steps of 2.5 Hz, b 0..150 in 6 of 30 pA: the
   * current values (2.5 Hz, 30 pA) are cells of the map. */
  sw_phase_view_set_resolution (phase, 13, 6);
  gap_source = g_timeout_add (10, gap_cb, &gaps);
  sw_phase_view_compute (phase);
  g_assert_true (sw_phase_view_get_busy (phase));
  g_assert_true (wait_for (phase_done, phase, 60.0));
  g_source_remove (gap_source);
  /* The main loop kept running while the map was computed. */
  g_assert_cmpint (gaps.worst_us, <, 250000);

  g_assert_cmpint (sw_phase_view_get_current_class (phase), ==, classify_now (window));
  g_assert_cmpint (sw_phase_view_get_map_class (phase), ==, classify_now (window));
  /* The spec's layout table (dV19): UD at 2.5 Hz, 30 pA. */
  g_assert_cmpint (sw_phase_view_get_map_class (phase), ==, SW_MF_CLASS_UD);

  destroy_with_views (window);
}

static void
test_phase_pick (void)
{
  g_autoptr(GError) error = NULL;
  SwWindow *window = new_window_on ("destexhe-adex", FALSE);
  SwPhaseView *phase = SW_PHASE_VIEW (sw_window_get_phase_view (window));

  sw_phase_view_set_resolution (phase, 13, 6);
  sw_phase_view_compute (phase);
  g_assert_true (wait_for (phase_done, phase, 60.0));

  /* A click at (10 Hz, 60 pA) moves both sliders there ... */
  g_assert_true (sw_phase_view_pick (phase, 10.0, 60.0, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (variable (window, "nu_ext"), 10.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (variable (window, "b"), 60.0, 1e-9);
  g_assert_true (sw_window_get_modified (window));
  /* ... and the crosshair follows: the class there, from the map and
   * from the mean field itself (OD in the spec's table). */
  g_assert_cmpint (sw_phase_view_get_current_class (phase), ==, classify_now (window));
  g_assert_cmpint (sw_phase_view_get_map_class (phase), ==, classify_now (window));
  g_assert_cmpint (sw_phase_view_get_current_class (phase), ==, SW_MF_CLASS_OD);
  g_assert_true (gtk_widget_is_visible (sw_variables_panel_get_scale (
    sw_window_get_variables_panel (window), "b")));
  g_assert_cmpfloat_with_epsilon (
    gtk_range_get_value (GTK_RANGE (sw_variables_panel_get_scale (
      sw_window_get_variables_panel (window), "b"))), 60.0, 1e-9);

  /* One undo takes both back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  g_assert_cmpfloat_with_epsilon (variable (window, "nu_ext"), 2.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (variable (window, "b"), 30.0, 1e-9);
  g_assert_false (sw_window_get_modified (window));
  g_assert_cmpint (sw_phase_view_get_current_class (phase), ==, SW_MF_CLASS_UD);

  /* Outside the ranges a click is clamped to them. */
  g_assert_true (sw_phase_view_pick (phase, -5.0, 1000.0, &error));
  g_assert_cmpfloat_with_epsilon (variable (window, "nu_ext"), 0.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (variable (window, "b"), 150.0, 1e-9);

  destroy_with_views (window);
}

static void
test_phase_no_mean_field (void)
{
  SwWindow *window = new_window_on ("brunel-a", FALSE);
  SwPhaseView *phase = SW_PHASE_VIEW (sw_window_get_phase_view (window));
  GtkStack *stack = GTK_STACK (find_descendant (GTK_WIDGET (phase), GTK_TYPE_STACK));

  g_assert_false (sw_phase_view_has_mean_field (phase));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  sw_phase_view_compute (phase);
  g_assert_false (sw_phase_view_get_busy (phase));
  g_assert_false (sw_phase_view_has_map (phase));

  /* Another document with a mean field brings the map back. */
  g_assert_true (sw_window_open_preset (window, "destexhe-adex", NULL, NULL));
  g_assert_true (sw_phase_view_has_mean_field (phase));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "map");

  destroy_with_views (window);
}

static void
assert_signature (const char *path, const char *signature)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &data, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (length, >=, strlen (signature));
  if (g_str_equal (signature, "<svg"))
    g_assert_nonnull (strstr (data, "<svg"));
  else
    g_assert_cmpmem (data, strlen (signature), signature, strlen (signature));
}

static void
test_phase_export (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp (NULL, NULL);
  g_autofree char *png = g_build_filename (dir, "map.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "map.svg", NULL);
  g_autofree char *pdf = g_build_filename (dir, "map.pdf", NULL);
  g_autofree char *csv = g_build_filename (dir, "map.csv", NULL);
  g_autofree char *bad = g_build_filename (dir, "map.txt", NULL);
  SwWindow *window = new_window_on ("destexhe-adex", FALSE);
  SwPhaseView *phase = SW_PHASE_VIEW (sw_window_get_phase_view (window));

  /* Nothing to export before the map. */
  g_assert_false (sw_phase_view_export (phase, png, &error));
  g_assert_error (error, SW_LIVE_ERROR, SW_LIVE_ERROR_EMPTY);
  g_clear_error (&error);

  sw_phase_view_set_resolution (phase, 13, 6);
  sw_phase_view_compute (phase);
  g_assert_true (wait_for (phase_done, phase, 60.0));
  g_assert_true (sw_phase_view_export (phase, png, &error));
  g_assert_true (sw_phase_view_export (phase, svg, &error));
  g_assert_true (sw_phase_view_export (phase, pdf, &error));
  g_assert_true (sw_phase_view_export (phase, csv, &error));
  g_assert_no_error (error);
  assert_signature (png, "\x89PNG\r\n\x1a\n");
  assert_signature (svg, "<svg");
  assert_signature (pdf, "%PDF-");
  assert_signature (csv, "nu_ext,b,class,zeta,");
  {
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
    lines = g_strsplit (text, "\n", -1);
    /* A header, 13 x 6 cells and the empty string after the last newline. */
    g_assert_cmpuint (g_strv_length (lines), ==, 1 + 13 * 6 + 1);
  }
  g_assert_false (sw_phase_view_export (phase, bad, &error));
  g_assert_error (error, SW_LIVE_ERROR, SW_LIVE_ERROR_FORMAT);

  g_unlink (png);
  g_unlink (svg);
  g_unlink (pdf);
  g_unlink (csv);
  g_rmdir (dir);
  destroy_with_views (window);
}

/* A small destexhe-adex (1000 cells; the same in-degrees per source would
 * need the same p) so that a sweep finishes in seconds. */
static SwWindow *
small_network (void)
{
  g_autoptr(GError) error = NULL;
  SwWindow *window = new_window_on ("destexhe-adex", FALSE);

  g_assert_true (sw_window_set_value (window, "E.n", "800", &error));
  g_assert_true (sw_window_set_value (window, "I.n", "200", &error));
  g_assert_true (sw_window_set_value (window, "ext.n", "800", &error));
  g_assert_no_error (error);
  return window;
}

static void
test_response_cancel (void)
{
  SwWindow *window = new_window_on ("destexhe-adex", FALSE);
  SwResponseView *view = SW_RESPONSE_VIEW (sw_window_get_response_view (window));
  gint64 start;

  g_assert_cmpstr (sw_response_view_get_variable (view), ==, "nu_ext");
  /* A sweep of b at ν_ext = 2.5 Hz: every trial is an active network
   * (at ν_ext = 0 the first would be silent and over at once). */
  sw_response_view_set_variable (view, "b");
  g_assert_cmpstr (sw_response_view_get_variable (view), ==, "b");
  sw_response_view_set_points (view, 3);
  sw_response_view_set_trials (view, 2);
  sw_response_view_compute (view);
  g_assert_true (sw_response_view_get_busy (view));
  /* Well into the first trials of the full network (10 000 cells): past
   * building them (up to a second for two at once, which the flag does
   * not interrupt), in the steps, where it is checked. */
  spin (3.0);
  g_assert_true (sw_response_view_get_busy (view));

  start = g_get_monotonic_time ();
  sw_response_view_cancel (view);
  g_assert_true (wait_for (response_idle, view, 5.0));
  g_test_message ("the sweep stopped %.0f ms after Cancel",
                  (g_get_monotonic_time () - start) * 1e-3);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 500000);
  g_assert_false (sw_response_view_has_result (view));

  destroy_with_views (window);
}

static void
test_response_export (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp (NULL, NULL);
  const char *const names[] = { "curve.png", "curve.svg", "curve.pdf", "curve.csv" };
  const char *const signatures[] = { "\x89PNG\r\n\x1a\n", "<svg", "%PDF-", "nu_ext,trials," };
  SwWindow *window = small_network ();
  SwResponseView *view = SW_RESPONSE_VIEW (sw_window_get_response_view (window));
  g_autofree char *first = g_build_filename (dir, names[0], NULL);

  g_assert_false (sw_response_view_export (view, first, &error));
  g_assert_error (error, SW_LIVE_ERROR, SW_LIVE_ERROR_EMPTY);
  g_clear_error (&error);

  sw_response_view_set_points (view, 2);
  sw_response_view_set_trials (view, 2);
  sw_response_view_compute (view);
  g_assert_true (wait_for (response_idle, view, 120.0));
  g_assert_true (sw_response_view_has_result (view));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_assert_true (sw_response_view_export (view, path, &error));
      g_assert_no_error (error);
      assert_signature (path, signatures[i]);
      g_unlink (path);
    }
  g_rmdir (dir);
  destroy_with_views (window);
}

int
main (int argc, char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/views/phase-map", test_phase_map);
  g_test_add_func ("/gui/views/phase-pick", test_phase_pick);
  g_test_add_func ("/gui/views/phase-no-mean-field", test_phase_no_mean_field);
  g_test_add_func ("/gui/views/phase-export", test_phase_export);
  g_test_add_func ("/gui/views/response-cancel", test_response_cancel);
  g_test_add_func ("/gui/views/response-export", test_response_export);

  return gui_test_run ();
}
