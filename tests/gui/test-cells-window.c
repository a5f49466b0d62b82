/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window of cells documents: it opens on a preset and runs it, a run
 * colours the compartments while it proceeds, clicks add traces and place
 * clamps and synapses, which are edits of the document (saved, undone and
 * redone, run again) and, selected, edit their entries, the cells fill the view, the BRC task runs (reduced)
 * and scores the four cue conditions, and the exports write valid files.
 *
 * With SW_CELLS_SCREENSHOTS=DIR the tests also save pictures of the window
 * there, to look at.
 */
#include "config.h"

#include <math.h>

#include "sw-cells-window.h"
#include "sw-kind-windows.h"
#include "sw-variable-row.h"
#include "test-gui-util.h"

static SwCellsWindow *
open_cells (const char *location)
{
  g_autoptr (GError) error = NULL;
  GList *before = gtk_application_get_windows (GTK_APPLICATION (test_app));
  guint n_before = g_list_length (before);

  g_assert_true (sw_cells_window_present (GTK_APPLICATION (test_app), location, &error));
  g_assert_no_error (error);
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (test_app));
  g_assert_cmpuint (g_list_length (windows), ==, n_before + 1);
  /* The newest window comes first. */
  g_assert_true (SW_IS_CELLS_WINDOW (windows->data));
  spin (0.5);
  return windows->data;
}

static void
destroy_cells (SwCellsWindow *window)
{
  gpointer w = window, view = sw_cells_window_get_morph_view (window);
  gpointer panel = sw_cells_window_get_brc_panel (window);

  g_object_add_weak_pointer (G_OBJECT (window), &w);
  g_object_add_weak_pointer (G_OBJECT (view), &view);
  g_object_add_weak_pointer (G_OBJECT (panel), &panel);
  gtk_window_destroy (GTK_WINDOW (window));
  assert_finalized (w);
  assert_finalized (view);
  assert_finalized (panel);
}

static void
screenshot (SwCellsWindow *window, const char *name)
{
  const char *dir = g_getenv ("SW_CELLS_SCREENSHOTS");
  GtkWidget *w = GTK_WIDGET (window);

  if (dir == NULL)
    return;
  spin (0.2);
  int width = gtk_widget_get_width (w), height = gtk_widget_get_height (w);
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (w);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  GskRenderNode *node = gtk_snapshot_free_to_node (snapshot);
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (w));
  GdkTexture *texture = gsk_renderer_render_texture (renderer, node,
                                                     &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_autofree char *path = g_build_filename (dir, name, NULL);
  gdk_texture_save_to_png (texture, path);
  g_object_unref (texture);
  gsk_render_node_unref (node);
}

static gboolean
run_ended (gpointer data)
{
  return !sw_cells_window_is_running (data);
}

static int
site_node (SwCellsWindow *window, const char *site)
{
  SwError err = { { 0 } };
  const SwCableCell *cell = sw_morph_view_get_cell (sw_cells_window_get_morph_view (window), 0);
  int node = sw_cable_cell_site_parse (cell, site, &err);

  g_assert_cmpint (node, >=, 0);
  return node;
}

static void
click_node (SwCellsWindow *window, int node)
{
  SwMorphView *view = sw_cells_window_get_morph_view (window);
  double x, y;
  int cell = -1, found = -1;

  g_assert_true (sw_morph_view_node_position (view, 0, node, &x, &y));
  /* The point is on that compartment and nowhere else. */
  g_assert_true (sw_morph_view_node_at (view, x, y, &cell, &found));
  g_assert_cmpint (cell, ==, 0);
  g_assert_cmpint (found, ==, node);
  g_assert_true (sw_morph_view_activate_at (view, x, y));
}

static void
trace_range (SwCellsWindow *window, int node, double *lo, double *hi, int *n_out)
{
  double *t, *v;
  int n;

  g_assert_true (sw_cells_window_get_trace (window, 0, node, &t, &v, &n));
  *lo = INFINITY, *hi = -INFINITY;
  for (int k = 0; k < n; k++)
    {
      g_assert_true (isfinite (v[k]));
      *lo = MIN (*lo, v[k]);
      *hi = MAX (*hi, v[k]);
    }
  g_assert_cmpfloat (t[n - 1], >, t[0]);
  *n_out = n;
  g_free (t);
  g_free (v);
}

/* Shown cell 0 was fitted whole into its area, at one scale, filling it
 * in width or in height. */
static void
assert_fits (SwMorphView *view, double *drawn_w, double *drawn_h)
{
  double ext[4], area[4];

  g_assert_true (sw_morph_view_get_extent (view, 0, ext, area));
  g_assert_cmpfloat (ext[0], >=, area[0] - 0.5);
  g_assert_cmpfloat (ext[1], >=, area[1] - 0.5);
  g_assert_cmpfloat (ext[2], <=, area[2] + 0.5);
  g_assert_cmpfloat (ext[3], <=, area[3] + 0.5);
  g_assert_cmpfloat (MAX ((ext[2] - ext[0]) / (area[2] - area[0]),
                          (ext[3] - ext[1]) / (area[3] - area[1])), >, 0.99);
  *drawn_w = ext[2] - ext[0];
  *drawn_h = ext[3] - ext[1];
}

static void
test_run_traces_clamp (void)
{
  SwCellsWindow *window = open_cells ("preset:brc-cell");
  SwMorphView *view = sw_cells_window_get_morph_view (window);
  int soma = site_node (window, "soma(0.125)"), dend = site_node (window, "dend3(0.875)");
  double lo, hi, lo2, hi2;
  int n;

  g_assert_cmpint (sw_morph_view_get_n_cells (view), ==, 1);
  /* The window runs the cells when it opens: they are coloured. */
  g_assert_true (wait_for (run_ended, window, 60));
  g_assert_cmpint (sw_cells_window_get_n_samples (window), >, 100);
  g_assert_true (isfinite (sw_morph_view_get_voltage (view, 0, soma)));

  /* The document's voltage probes (soma and dend3) are traced from the
   * start; a click in the trace mode removes a trace, a second adds it. */
  g_assert_cmpint (sw_cells_window_get_n_traces (window), ==, 2);
  click_node (window, dend);
  g_assert_cmpint (sw_cells_window_get_n_traces (window), ==, 1);
  click_node (window, soma);
  g_assert_cmpint (sw_cells_window_get_n_traces (window), ==, 0);
  click_node (window, soma);
  click_node (window, dend);
  g_assert_cmpint (sw_cells_window_get_n_traces (window), ==, 2);

  /* The keyboard does the same: the first compartment, Enter, Enter. */
  int fc, fn;
  g_assert_false (sw_morph_view_get_focus_node (view, &fc, &fn));
  sw_morph_view_move_focus (view, 1);
  g_assert_true (sw_morph_view_get_focus_node (view, &fc, &fn));
  g_assert_cmpint (fc, ==, 0);
  sw_morph_view_move_focus (view, -1);
  sw_morph_view_move_focus (view, 1);
  g_assert_true (sw_morph_view_get_focus_node (view, &fc, &fn) && fc == 0);
  /* It adds the trace of that compartment, or removes it if it was one of
   * the two; a second Enter undoes the first. */
  g_assert_true (sw_morph_view_activate_focus (view));
  g_assert_cmpint (sw_cells_window_get_n_traces (window), ==, fn == soma || fn == dend ? 1 : 3);
  g_assert_true (sw_morph_view_activate_focus (view));
  g_assert_cmpint (sw_cells_window_get_n_traces (window), ==, 2);

  /* The run: the drawing changes colour while it proceeds (several
   * distinct soma voltages seen on the frame clock, not only the end). */
  sw_cells_window_set_min_run_seconds (window, 1.5);
  sw_cells_window_run (window);
  g_assert_true (sw_cells_window_is_running (window));
  GHashTable *seen = g_hash_table_new (g_double_hash, g_double_equal);
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  static double values[4096];
  int n_values = 0;
  while (sw_cells_window_is_running (window) && g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      double v = sw_morph_view_get_voltage (view, 0, soma);
      if (isfinite (v) && n_values < 4096 && !g_hash_table_contains (seen, &v))
        {
          values[n_values] = v;
          g_hash_table_add (seen, &values[n_values++]);
        }
      g_usleep (2000);
    }
  g_hash_table_unref (seen);
  g_assert_false (sw_cells_window_is_running (window));
  g_assert_cmpint (n_values, >=, 5);
  screenshot (window, "cells-brc-cell.png");

  /* The step of 0.1 nA makes the soma spike: overshoot above 0 mV. */
  trace_range (window, soma, &lo, &hi, &n);
  g_assert_cmpint (n, >, 1000);
  g_assert_cmpfloat (hi, >, 0.0);
  g_assert_cmpfloat (lo, <, -60.0);
  /* The drawing shows the last sample. */
  double *t, *v;
  g_assert_true (sw_cells_window_get_trace (window, 0, soma, &t, &v, &n));
  g_assert_cmpfloat (fabs (sw_morph_view_get_voltage (view, 0, soma) - v[n - 1]), <, 1e-3);
  g_free (t);
  g_free (v);

  /* The document's step is drawn as a clamp at the soma; a click there in
   * the clamp mode selects it, Remove removes it, and the soma stays below
   * threshold. */
  g_assert_cmpint (sw_cells_window_get_n_placed (window), ==, 1);
  sw_cells_window_set_click_mode (window, SW_CELLS_CLICK_CLAMP);
  click_node (window, soma);
  g_assert_cmpint (sw_cells_window_get_n_placed (window), ==, 1);
  g_assert_true (sw_cells_window_get_selected (window, NULL, NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.remove-placement", NULL));
  g_assert_cmpint (sw_cells_window_get_n_placed (window), ==, 0);
  sw_cells_window_set_min_run_seconds (window, 0.0);
  sw_cells_window_run (window);
  g_assert_true (wait_for (run_ended, window, 60));
  trace_range (window, soma, &lo2, &hi2, &n);
  g_assert_cmpfloat (hi2, <, -40.0);

  /* A clamp of -1 nA at the soma for the whole run hyperpolarises it. */
  sw_cells_window_set_clamp (window, -1.0, 0.0, 1000.0);
  click_node (window, soma);
  g_assert_cmpint (sw_cells_window_get_n_placed (window), ==, 1);
  g_assert_cmpint (sw_cells_window_get_n_traces (window), ==, 2);
  sw_cells_window_run (window);
  g_assert_true (wait_for (run_ended, window, 60));
  trace_range (window, soma, &lo2, &hi2, &n);
  g_assert_cmpfloat (hi2, <, -40.0);
  g_assert_cmpfloat (lo2, <, lo - 20.0);

  /* A synapse instead: one AMPA event on the distal dendrite depolarises
   * it above rest. */
  click_node (window, soma);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.remove-placement", NULL));
  g_assert_cmpint (sw_cells_window_get_n_placed (window), ==, 0);
  sw_cells_window_set_click_mode (window, SW_CELLS_CLICK_SYNAPSE);
  sw_cells_window_set_synapse (window, 3, 0.005, 50.0);
  click_node (window, dend);
  g_assert_cmpint (sw_cells_window_get_n_placed (window), ==, 1);
  screenshot (window, "cells-brc-cell-placed.png");
  destroy_cells (window);
}

/* The passive cable through the window: the steady state of a current at
 * one end against the cable equation, V(x) = V(0) cosh((L - x)/λ) /
 * cosh(L/λ) with λ = 500 µm, L = 1 mm and 660 MΩ input resistance (the
 * preset's explanation): 6.60 mV at the near end, 1.76 mV at the far end
 * for 0.01 nA.  The colour scale follows the few millivolts. */
static void
test_passive_cable (void)
{
  SwCellsWindow *window = open_cells ("preset:passive-cable");
  SwMorphView *view = sw_cells_window_get_morph_view (window);
  int near = site_node (window, "cable(0.005)"), far = site_node (window, "cable(0.995)");
  double *t, *v, lo, hi;
  int n;

  /* The probes at 250, 500 and 1000 µm are traced (not the one at the
   * zero-area end node, which is not drawn); a click adds the near end. */
  g_assert_cmpint (sw_cells_window_get_n_traces (window), ==, 3);
  click_node (window, near);
  g_assert_cmpint (sw_cells_window_get_n_traces (window), ==, 4);
  sw_cells_window_set_min_run_seconds (window, 0.0);
  sw_cells_window_run (window);
  g_assert_true (wait_for (run_ended, window, 60));
  g_assert_true (sw_cells_window_get_trace (window, 0, near, &t, &v, &n));
  g_assert_cmpfloat (t[n - 1], ==, 300.0);
  g_assert_cmpfloat (fabs (v[n - 1] - 6.60 * cosh (1.99) / cosh (2.0)), <, 0.05);
  g_free (t);
  g_free (v);
  g_assert_true (sw_cells_window_get_trace (window, 0, far, &t, &v, &n));
  g_assert_cmpfloat (fabs (v[n - 1] - 6.60 * cosh (0.01) / cosh (2.0)), <, 0.05);
  g_free (t);
  g_free (v);
  sw_morph_view_get_range (view, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 0.0);
  g_assert_cmpfloat (hi, ==, 10.0);
  screenshot (window, "cells-passive-cable.png");
  destroy_cells (window);
}

/* A cell from an SWC file is drawn where it was traced: the dendrite that
 * goes right in the file goes right on screen, the apical one up, and the
 * two branches of the dendrite part up and down. */
static void
test_swc (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp (NULL, &error);
  g_autofree char *swc = g_build_filename (dir, "cell.swc", NULL);
  g_autofree char *doc = g_build_filename (dir, "cell.swk", NULL);
  const char *swc_text = "# soma, a dendrite to the right that forks, an apical dendrite up\n"
                         "1 1 0 0 0 10 -1\n2 3 10 0 0 1 1\n3 3 50 0 0 1 2\n"
                         "4 3 80 30 0 0.8 3\n5 3 80 -30 0 0.8 3\n"
                         "6 4 0 10 0 2 1\n7 4 0 100 0 1.5 6\n";
  const char *doc_text =
    "{\"format\": \"spikeworks\", \"version\": 1, \"kind\": \"cells\",\n"
    " \"simulation\": {\"duration\": \"20 ms\"},\n"
    " \"cells\": {\"N\": {\"swc\": \"cell.swc\", \"mechanisms\": [{\"name\": \"pas\",\n"
    "   \"params\": {\"g\": \"1e-4 S/cm^2\", \"e\": \"-65 mV\"}}]}},\n"
    " \"populations\": [{\"name\": \"n\", \"cell\": \"N\", \"n\": 1}]}\n";
  double sx, sy, dx, dy, ax, ay, ux, uy, lx, ly;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (swc, swc_text, -1, NULL));
  g_assert_true (g_file_set_contents (doc, doc_text, -1, NULL));
  SwCellsWindow *window = open_cells (doc);
  SwMorphView *view = sw_cells_window_get_morph_view (window);
  g_assert_true (sw_morph_view_node_position (view, 0, site_node (window, "soma(0.5)"), &sx, &sy));
  g_assert_true (sw_morph_view_node_position (view, 0, site_node (window, "dend[0](0.5)"), &dx, &dy));
  g_assert_true (sw_morph_view_node_position (view, 0, site_node (window, "apic[0](0.5)"), &ax, &ay));
  g_assert_true (sw_morph_view_node_position (view, 0, site_node (window, "dend[1](0.9)"), &ux, &uy));
  g_assert_true (sw_morph_view_node_position (view, 0, site_node (window, "dend[2](0.9)"), &lx, &ly));
  g_assert_cmpfloat (dx, >, sx + 10);
  g_assert_cmpfloat (fabs (dy - sy), <, 2);
  g_assert_cmpfloat (ay, <, sy - 10);
  g_assert_cmpfloat (fabs (ax - sx), <, 2);
  g_assert_cmpfloat (uy, <, sy - 10);
  g_assert_cmpfloat (ly, >, sy + 10);
  g_assert_cmpfloat (fabs (ux - lx), <, 2);
  /* Fitted as the built-in cells are. */
  double dw, dh;
  assert_fits (view, &dw, &dh);
  /* Without probes the soma is traced, so that the first run shows a trace. */
  g_assert_cmpint (sw_cells_window_get_n_traces (window), ==, 1);
  screenshot (window, "cells-swc.png");

  /* Saved in another folder, the document still finds its SWC file. */
  g_autofree char *sub = g_build_filename (dir, "elsewhere", NULL);
  g_autofree char *moved = g_build_filename (sub, "moved.swk", NULL);
  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  g_assert_true (sw_cells_window_save_to (window, moved, &error));
  g_assert_no_error (error);
  g_autoptr (SwCellsDoc) again = sw_cells_doc_load_file (moved, &error);
  g_assert_no_error (error);
  g_autoptr (SwCellsBuild) build = sw_cells_doc_build (again, &error);
  g_assert_no_error (error);
  g_assert_nonnull (build);
  destroy_cells (window);
  g_unlink (moved);
  g_rmdir (sub);
  g_unlink (swc);
  g_unlink (doc);
  g_rmdir (dir);
}

/* A cells document that does not build opens no window and says why. */
static void
test_bad_document (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp (NULL, &error);
  g_autofree char *path = g_build_filename (dir, "bad.swk", NULL);
  const char *text =
    "{\"format\": \"spikeworks\", \"version\": 1, \"kind\": \"cells\",\n"
    " \"cells\": {\"E\": {\"builtin\": \"no_such_cell\"}},\n"
    " \"populations\": [{\"name\": \"p\", \"cell\": \"E\", \"n\": 1}]}\n";
  guint n_windows = g_list_length (gtk_application_get_windows (GTK_APPLICATION (test_app)));

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  g_assert_false (sw_cells_window_present (GTK_APPLICATION (test_app), path, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "no_such_cell"));
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (test_app))), ==,
                    n_windows);
  g_unlink (path);
  g_rmdir (dir);
}

static gboolean
file_starts_with (const char *path, const char *magic, gsize len)
{
  g_autofree char *data = NULL;
  gsize size;

  return g_file_get_contents (path, &data, &size, NULL) && size > len
         && memcmp (data, magic, len) == 0;
}

static void
test_export (void)
{
  SwCellsWindow *window = open_cells ("preset:hnn-l5");
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp (NULL, &error);
  g_autofree char *png = g_build_filename (dir, "morph.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "morph.svg", NULL);
  g_autofree char *pdf = g_build_filename (dir, "traces.pdf", NULL);
  g_autofree char *tpng = g_build_filename (dir, "traces.png", NULL);
  g_autofree char *csv = g_build_filename (dir, "traces.csv", NULL);
  g_autofree char *bad = g_build_filename (dir, "morph.bmp", NULL);

  g_assert_no_error (error);
  sw_cells_window_set_min_run_seconds (window, 0.0);
  /* The probes of soma and tuft are traced; CSV needs a trace. */
  g_assert_cmpint (sw_cells_window_get_n_traces (window), ==, 2);
  click_node (window, site_node (window, "soma(0.5)"));
  click_node (window, site_node (window, "apical_tuft(0.5)"));
  g_assert_cmpint (sw_cells_window_get_n_traces (window), ==, 0);
  g_assert_false (sw_cells_window_export_csv (window, csv, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  click_node (window, site_node (window, "soma(0.5)"));
  click_node (window, site_node (window, "apical_tuft(0.5)"));
  sw_cells_window_run (window);
  g_assert_true (wait_for (run_ended, window, 120));
  screenshot (window, "cells-hnn-l5.png");

  g_assert_true (sw_cells_window_export_morphology (window, png, &error));
  g_assert_no_error (error);
  g_autoptr (GdkTexture) tex = gdk_texture_new_from_filename (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (tex), >=, 800);
  g_assert_cmpint (gdk_texture_get_height (tex), >=, 560);
  g_assert_true (sw_cells_window_export_morphology (window, svg, &error));
  g_assert_true (file_starts_with (svg, "<?xml", 5));
  g_assert_true (sw_cells_window_export_traces (window, pdf, &error));
  g_assert_true (file_starts_with (pdf, "%PDF", 4));
  g_assert_true (sw_cells_window_export_traces (window, tpng, &error));
  g_assert_true (file_starts_with (tpng, "\x89PNG", 4));
  g_assert_no_error (error);
  g_assert_false (sw_cells_window_export_morphology (window, bad, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_true (sw_cells_window_export_csv (window, csv, &error));
  g_assert_no_error (error);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "t_ms,cell soma(0.5)_mV,cell apical_tuft(0.5)_mV"));
  g_assert_cmpint (g_strv_length (lines), >, 1000);
  g_auto (GStrv) row = g_strsplit (lines[1], ",", -1);
  g_assert_cmpint (g_strv_length (row), ==, 3);

  const char *files[] = { png, svg, pdf, tpng, csv };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    g_unlink (files[i]);
  g_rmdir (dir);
  destroy_cells (window);
}

static gboolean
brc_done (gpointer data)
{
  return !sw_brc_panel_is_running (data);
}

static void
test_brc (void)
{
  SwCellsWindow *window = open_cells ("preset:brc-network");
  SwBrcPanel *panel = sw_cells_window_get_brc_panel (window);

  /* The document has no cells of its own to draw: the task shows. */
  g_assert_false (sw_brc_panel_is_running (panel));
  g_assert_null (sw_brc_panel_get_result (panel));

  /* Cancel stops a run. */
  sw_brc_panel_set_trial (panel, 280, 2);
  sw_brc_panel_run (panel);
  g_assert_true (sw_brc_panel_is_running (panel));
  spin (0.3);
  sw_brc_panel_cancel (panel);
  g_assert_true (wait_for (brc_done, panel, 120));
  g_assert_null (sw_brc_panel_get_result (panel));

  /* A reduced run: 280-ms trials, 2 repeats, 4 conditions. */
  sw_brc_panel_run (panel);
  g_assert_true (wait_for (brc_done, panel, 500));
  const SwBrcTaskResult *r = sw_brc_panel_get_result (panel);
  g_assert_nonnull (r);
  for (int c = 0; c < SW_BRC_N_CONDITIONS; c++)
    {
      g_assert_true (isfinite (r->score[c].score));
      g_assert_cmpfloat (r->score[c].score, >=, 0.0);
      g_assert_cmpint (r->score[c].n_folds, ==, 2);
    }
  g_assert_cmpint (r->n_bins, >=, 1);
  for (int cue = 0; cue < SW_BRC_N_CUES; cue++)
    for (int b = 0; b < r->n_bins; b++)
      g_assert_true (isfinite (r->pred[cue][b][0]) && isfinite (r->pred[cue][b][1]));
  screenshot (window, "cells-brc-network.png");

  /* The panel's score of one condition is the core's evaluation of the
   * same parameters (sw_brc_evaluate, as the command line scores). */
  g_autoptr (GError) error = NULL;
  g_autoptr (SwCellsDoc) doc = sw_cells_doc_load ("preset:brc-network", &error);
  SwBrcParams p;
  SwBrcResult ref;
  SwError err = { { 0 } };
  g_assert_no_error (error);
  g_assert_true (sw_brc_task_read_params (doc, &p, &error));
  p.proto.t_stop_ms = 280;
  p.n_repeats = 2;
  p.condition = SW_BRC_COND_NMDA_DEND;
  g_assert_cmpint (sw_brc_evaluate (&p, (int) g_get_num_processors (), NULL, &ref, &err), ==,
                   SW_OK);
  g_assert_cmpfloat (fabs (ref.score.score - r->score[SW_BRC_COND_NMDA_DEND].score), <=,
                     1e-9 * fabs (ref.score.score));
  destroy_cells (window);
}

/* The document's text, parsed (the caller unrefs). */
static JsonNode *
document_tree (SwCellsWindow *window)
{
  g_autofree char *json = sw_cells_doc_to_json (sw_cells_window_get_document (window));
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* The number of entries of @section in the document (0 when absent). */
static guint
n_entries (SwCellsWindow *window, const char *section)
{
  g_autoptr (JsonNode) root = document_tree (window);
  JsonObject *o = json_node_get_object (root);

  if (!json_object_has_member (o, section))
    return 0;
  return json_array_get_length (json_object_get_array_member (o, section));
}

/* Entry @i of @section as a string member @name ("" when not a string). */
static char *
entry_string (SwCellsWindow *window, const char *section, guint i, const char *name)
{
  g_autoptr (JsonNode) root = document_tree (window);
  JsonArray *a = json_object_get_array_member (json_node_get_object (root), section);
  JsonObject *e = json_array_get_object_element (a, i);
  JsonNode *m = json_object_get_member (e, name);

  if (m == NULL || json_node_get_value_type (m) != G_TYPE_STRING)
    return g_strdup ("");
  return g_strdup (json_node_get_string (m));
}

static void
activate (SwCellsWindow *window, const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, NULL));
}

/* Placed clamps and synapses are entries of the document: a click adds
 * one, undo removes it, redo brings it back, the document saves and reads
 * back with the model layer, and the saved document run without the
 * window gives the window's traces. */
static void
test_placement_document (void)
{
  SwCellsWindow *window = open_cells ("preset:brc-cell");
  int dend = site_node (window, "dend3(0.875)");
  g_autoptr (GError) error = NULL;

  g_assert_true (wait_for (run_ended, window, 60));
  g_assert_false (sw_cells_window_get_modified (window));
  g_assert_cmpuint (n_entries (window, "stimuli"), ==, 1);
  g_assert_cmpuint (n_entries (window, "synapses"), ==, 0);
  g_assert_cmpint (sw_cells_window_get_n_placed (window), ==, 1);

  /* A clamp on the distal dendrite: one more "stimuli" entry, at a site
   * that names that compartment. */
  sw_cells_window_set_click_mode (window, SW_CELLS_CLICK_CLAMP);
  sw_cells_window_set_clamp (window, -0.02, 10.0, 120.0);
  click_node (window, dend);
  g_assert_cmpint (sw_cells_window_get_n_placed (window), ==, 2);
  g_assert_cmpuint (n_entries (window, "stimuli"), ==, 2);
  g_assert_true (sw_cells_window_get_modified (window));
  g_assert_true (g_str_has_prefix (gtk_window_get_title (GTK_WINDOW (window)), "• "));
  {
    g_autofree char *type = entry_string (window, "stimuli", 1, "type");
    g_autofree char *pop = entry_string (window, "stimuli", 1, "population");
    g_autofree char *site = entry_string (window, "stimuli", 1, "site");
    g_autofree char *amp = entry_string (window, "stimuli", 1, "amplitude");
    g_autofree char *delay = entry_string (window, "stimuli", 1, "delay");
    g_autofree char *dur = entry_string (window, "stimuli", 1, "duration");
    const SwCableCell *cell = sw_morph_view_get_cell (sw_cells_window_get_morph_view (window), 0);
    g_assert_cmpstr (type, ==, "iclamp");
    g_assert_cmpstr (pop, ==, "cell");
    g_assert_cmpint (sw_cable_cell_site_parse (cell, site, NULL), ==, dend);
    g_assert_cmpstr (amp, ==, "-0.02 nA");
    g_assert_cmpstr (delay, ==, "10 ms");
    g_assert_cmpstr (dur, ==, "120 ms");
  }
  /* An edit reruns the cells by itself. */
  g_assert_true (wait_for ((gboolean (*) (gpointer)) sw_cells_window_is_running, window, 5));
  g_assert_true (wait_for (run_ended, window, 60));

  /* Undo removes it, redo restores it, each one step (Ctrl+Z and
   * Ctrl+Shift+Z, the application's keys for these actions). */
  g_auto (GStrv) undo_keys = gtk_application_get_accels_for_action (GTK_APPLICATION (test_app),
                                                                    "win.undo");
  g_auto (GStrv) redo_keys = gtk_application_get_accels_for_action (GTK_APPLICATION (test_app),
                                                                    "win.redo");
  g_assert_true (g_strv_contains ((const char *const *) undo_keys, "<Control>z"));
  g_assert_true (g_strv_contains ((const char *const *) redo_keys, "<Shift><Control>z"));
  activate (window, "win.undo");
  g_assert_cmpuint (n_entries (window, "stimuli"), ==, 1);
  g_assert_cmpint (sw_cells_window_get_n_placed (window), ==, 1);
  g_assert_false (sw_cells_window_get_modified (window));
  activate (window, "win.redo");
  g_assert_cmpuint (n_entries (window, "stimuli"), ==, 2);
  g_assert_cmpint (sw_cells_window_get_n_placed (window), ==, 2);

  /* A synapse: a "synapses" entry with its receptor, weight and event. */
  sw_cells_window_set_click_mode (window, SW_CELLS_CLICK_SYNAPSE);
  sw_cells_window_set_synapse (window, 3, 0.004, 60.0);
  click_node (window, dend);
  g_assert_cmpuint (n_entries (window, "synapses"), ==, 1);
  g_assert_cmpint (sw_cells_window_get_n_placed (window), ==, 3);
  {
    g_autofree char *rec = entry_string (window, "synapses", 0, "receptor");
    g_autofree char *w = entry_string (window, "synapses", 0, "weight");
    g_assert_cmpstr (rec, ==, "exp2_ampa");
    g_assert_cmpstr (w, ==, "0.004 uS");
  }
  /* A click on it selects it, Remove removes it; undo brings it back. */
  click_node (window, dend);
  g_assert_cmpuint (n_entries (window, "synapses"), ==, 1);
  activate (window, "win.remove-placement");
  g_assert_cmpuint (n_entries (window, "synapses"), ==, 0);
  activate (window, "win.undo");
  g_assert_cmpuint (n_entries (window, "synapses"), ==, 1);

  /* Clear removes every clamp and synapse drawn, as one step. */
  activate (window, "win.clear-placed");
  g_assert_cmpint (sw_cells_window_get_n_placed (window), ==, 0);
  g_assert_cmpuint (n_entries (window, "stimuli") + n_entries (window, "synapses"), ==, 0);
  activate (window, "win.undo");
  g_assert_cmpint (sw_cells_window_get_n_placed (window), ==, 3);

  /* The run of the window. */
  sw_cells_window_set_min_run_seconds (window, 0.0);
  sw_cells_window_run (window);
  g_assert_true (wait_for (run_ended, window, 60));
  double *t, *v;
  int n;
  g_assert_true (sw_cells_window_get_trace (window, 0, dend, &t, &v, &n));
  g_assert_cmpint (n, >, 1000);
  screenshot (window, "cells-placed-document.png");

  /* Saved, it reads back with the model layer with the placements. */
  g_autofree char *dir = g_dir_make_tmp (NULL, &error);
  g_assert_no_error (error);
  g_autofree char *path = g_build_filename (dir, "placed.swk", NULL);
  g_assert_true (sw_cells_window_save_to (window, path, &error));
  g_assert_no_error (error);
  g_assert_false (sw_cells_window_get_modified (window));
  g_assert_false (g_str_has_prefix (gtk_window_get_title (GTK_WINDOW (window)), "• "));
  g_autoptr (SwCellsDoc) doc = sw_cells_doc_load_file (path, &error);
  g_assert_no_error (error);
  g_autofree char *saved = sw_cells_doc_to_json (doc);
  g_autofree char *shown = sw_cells_doc_to_json (sw_cells_window_get_document (window));
  g_assert_cmpstr (saved, ==, shown);
  g_autoptr (SwCellsBuild) build = sw_cells_doc_build (doc, &error);
  g_assert_no_error (error);

  /* Run without the window, sampled where the window sampled: the same
   * voltages (the window keeps them as floats). */
  SwError err = { { 0 } };
  double dt = build->cfg.dt_ms, worst = 0;
  g_assert_cmpint (sw_cable_sim_init (build->sim, &err), ==, SW_OK);
  for (int k = 0; k < n; k++)
    {
      if (k > 0)
        g_assert_cmpint (sw_cable_sim_step (build->sim, llround ((t[k] - t[k - 1]) / dt), &err),
                         ==, SW_OK);
      worst = MAX (worst, fabs (sw_cable_sim_get_v (build->sim, 0, dend) - v[k]));
    }
  g_assert_cmpfloat (worst, <, 1e-3);
  g_free (t);
  g_free (v);

  /* An undo after saving is a change again: closing asks first, and
   * "Discard" closes. */
  activate (window, "win.undo");
  g_assert_true (sw_cells_window_get_modified (window));
  gpointer w = window;
  g_object_add_weak_pointer (G_OBJECT (window), &w);
  gtk_window_close (GTK_WINDOW (window));
  spin (0.2);
  g_assert_nonnull (w);
  GList *dialogs = find_dialogs (GTK_WINDOW (window));
  g_assert_cmpuint (g_list_length (dialogs), ==, 1);
  adw_message_dialog_response (dialogs->data, "discard");
  g_list_free (dialogs);
  assert_finalized (w);
  g_unlink (path);
  g_rmdir (dir);
}

/* A field of the document's entry @i of @section, as JSON text. */
static char *
entry_json (SwCellsWindow *window, const char *section, guint i, const char *name)
{
  g_autoptr (JsonNode) root = document_tree (window);
  JsonArray *a = json_object_get_array_member (json_node_get_object (root), section);
  JsonNode *m = json_object_get_member (json_array_get_object_element (a, i), name);

  return m != NULL ? json_to_string (m, FALSE) : g_strdup ("");
}

static gpointer
child (SwCellsWindow *window, const char *name)
{
  GObject *w = gtk_widget_get_template_child (GTK_WIDGET (window), SW_TYPE_CELLS_WINDOW, name);

  g_assert_nonnull (w);
  return w;
}

static void
assert_entry (SwCellsWindow *window, const char *section, guint i, const char *name,
              const char *want)
{
  g_autofree char *got = entry_string (window, section, i, name);

  g_assert_cmpstr (got, ==, want);
}

/* What @keyval (no modifiers) does through the window's own shortcuts;
 * FALSE when none takes it. */
static gboolean
press_key (SwCellsWindow *window, guint keyval)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) c = g_list_model_get_item (controllers, i);
      if (!GTK_IS_SHORTCUT_CONTROLLER (c))
        continue;
      for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (c)); k++)
        {
          g_autoptr (GtkShortcut) sc = g_list_model_get_item (G_LIST_MODEL (c), k);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (sc);
          if (GTK_IS_KEYVAL_TRIGGER (trigger)
              && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval
              && gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (sc), 0,
                                                 GTK_WIDGET (window),
                                                 gtk_shortcut_get_arguments (sc));
        }
    }
  return FALSE;
}

/* A click on a placement selects it: the sidebar's group shows it and
 * edits it (each change one undoable step, a held spin button one step
 * in all, a rerun after it), Remove and Delete remove it, Escape or a
 * click beside the cells leaves it, and a click on an empty compartment
 * still places a new one with the settings of the next placement. */
static void
test_placement_edit (void)
{
  SwCellsWindow *window = open_cells ("preset:brc-cell");
  SwMorphView *view = sw_cells_window_get_morph_view (window);
  int soma = site_node (window, "soma(0.125)"), dend = site_node (window, "dend3(0.875)");
  int empty = site_node (window, "dend3(0.375)");
  GtkSpinButton *amp = child (window, "clamp_amp"), *delay = child (window, "clamp_delay");
  GtkSpinButton *weight = child (window, "synapse_weight"), *onset = child (window, "synapse_onset");
  GtkWidget *clamp_remove = child (window, "clamp_remove");
  GtkWidget *synapse_remove = child (window, "synapse_remove");
  SwCellsClickMode kind;
  guint index;
  int sc, sn;

  sw_cells_window_set_min_run_seconds (window, 0.0);
  g_assert_true (wait_for (run_ended, window, 60));
  sw_cells_window_set_click_mode (window, SW_CELLS_CLICK_CLAMP);
  sw_cells_window_set_clamp (window, -0.02, 10.0, 120.0);

  /* The document's step: its amplitude follows the variable I (0.1 nA),
   * shown but not editable here; its delay is a number and edits. */
  click_node (window, soma);
  g_assert_true (sw_cells_window_get_selected (window, &kind, &index));
  g_assert_cmpint (kind, ==, SW_CELLS_CLICK_CLAMP);
  g_assert_cmpuint (index, ==, 0);
  g_assert_true (sw_morph_view_get_selected (view, &sc, &sn));
  g_assert_cmpint (sn, ==, soma);
  g_assert_cmpuint (n_entries (window, "stimuli"), ==, 1);
  g_assert_true (gtk_widget_get_visible (clamp_remove));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (amp)));
  g_assert_nonnull (gtk_widget_get_tooltip_text (GTK_WIDGET (amp)));
  g_assert_cmpfloat (fabs (gtk_spin_button_get_value (amp) - 0.1), <, 1e-9);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (delay)));
  g_assert_cmpfloat (fabs (gtk_spin_button_get_value (delay) - 100.0), <, 1e-9);
  g_assert_false (sw_cells_window_get_modified (window));
  screenshot (window, "cells-placement-follows.png");
  /* The window's settings leave the amplitude to its variable. */
  sw_cells_window_set_clamp (window, 0.7, 100.0, 200.0);
  assert_entry (window, "stimuli", 0, "amplitude", "I");
  g_assert_cmpfloat (fabs (gtk_spin_button_get_value (amp) - 0.1), <, 1e-9);
  g_assert_false (sw_cells_window_get_modified (window));
  gtk_spin_button_set_value (delay, 150.0);
  assert_entry (window, "stimuli", 0, "delay", "150 ms");
  assert_entry (window, "stimuli", 0, "amplitude", "I");
  g_assert_true (sw_cells_window_get_modified (window));
  activate (window, "win.undo");
  assert_entry (window, "stimuli", 0, "delay", "100 ms");
  g_assert_false (sw_cells_window_get_modified (window));
  /* The selection stays, and shows the entry as it is again. */
  g_assert_true (sw_cells_window_get_selected (window, NULL, NULL));
  g_assert_cmpfloat (fabs (gtk_spin_button_get_value (delay) - 100.0), <, 1e-9);
  /* A click beside the cells leaves it: the group shows the settings of
   * the next placement again. */
  g_assert_false (sw_morph_view_activate_at (view, 2, 2));
  g_assert_false (sw_cells_window_get_selected (window, NULL, NULL));
  g_assert_false (sw_morph_view_get_selected (view, &sc, &sn));
  g_assert_false (gtk_widget_get_visible (clamp_remove));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (amp)));
  g_assert_cmpfloat (fabs (gtk_spin_button_get_value (amp) + 0.02), <, 1e-9);
  g_assert_cmpfloat (fabs (gtk_spin_button_get_value (delay) - 10.0), <, 1e-9);

  /* A clamp of its own on the dendrite, not selected once placed. */
  click_node (window, dend);
  g_assert_cmpuint (n_entries (window, "stimuli"), ==, 2);
  g_assert_false (sw_cells_window_get_selected (window, NULL, NULL));
  g_assert_true (wait_for ((gboolean (*) (gpointer)) sw_cells_window_is_running, window, 5));
  g_assert_true (wait_for (run_ended, window, 60));
  double lo0, hi0, lo1, hi1;
  int n;
  trace_range (window, dend, &lo0, &hi0, &n);

  /* Selected, the window's settings edit it: the amplitude moved in
   * three steps as a held spin button moves it is one edit, which undo
   * takes back whole; the other fields stay. */
  click_node (window, dend);
  g_assert_true (sw_cells_window_get_selected (window, &kind, &index));
  g_assert_cmpuint (index, ==, 1);
  sw_cells_window_set_clamp (window, -0.1, 10.0, 120.0);
  gtk_spin_button_spin (amp, GTK_SPIN_STEP_BACKWARD, 0.0);
  gtk_spin_button_spin (amp, GTK_SPIN_STEP_BACKWARD, 0.0);
  assert_entry (window, "stimuli", 1, "amplitude", "-0.2 nA");
  assert_entry (window, "stimuli", 1, "delay", "10 ms");
  assert_entry (window, "stimuli", 1, "duration", "120 ms");
  g_assert_cmpuint (n_entries (window, "stimuli"), ==, 2);
  /* The edit reruns the cells: the stronger hyperpolarising current
   * takes the dendrite lower. */
  g_assert_true (wait_for ((gboolean (*) (gpointer)) sw_cells_window_is_running, window, 5));
  g_assert_true (wait_for (run_ended, window, 60));
  trace_range (window, dend, &lo1, &hi1, &n);
  g_assert_cmpfloat (lo1, <, lo0 - 1.0);
  activate (window, "win.undo");
  assert_entry (window, "stimuli", 1, "amplitude", "-0.02 nA");
  g_assert_cmpfloat (fabs (gtk_spin_button_get_value (amp) + 0.02), <, 1e-9);
  g_assert_true (wait_for ((gboolean (*) (gpointer)) sw_cells_window_is_running, window, 5));
  g_assert_true (wait_for (run_ended, window, 60));
  trace_range (window, dend, &lo1, &hi1, &n);
  g_assert_cmpfloat (fabs (lo1 - lo0), <, 1e-3);
  activate (window, "win.redo");
  assert_entry (window, "stimuli", 1, "amplitude", "-0.2 nA");
  /* Another field is a step of its own. */
  gtk_spin_button_set_value (delay, 30.0);
  assert_entry (window, "stimuli", 1, "delay", "30 ms");
  activate (window, "win.undo");
  assert_entry (window, "stimuli", 1, "delay", "10 ms");
  assert_entry (window, "stimuli", 1, "amplitude", "-0.2 nA");

  /* Selected, then a click on an empty compartment: a new clamp there,
   * with the settings of the next placement, not those of the selected. */
  click_node (window, empty);
  g_assert_cmpuint (n_entries (window, "stimuli"), ==, 3);
  assert_entry (window, "stimuli", 2, "amplitude", "-0.02 nA");
  g_assert_false (sw_cells_window_get_selected (window, NULL, NULL));

  /* Remove (the group's button) removes the selected clamp, one step. */
  click_node (window, empty);
  g_assert_true (sw_cells_window_get_selected (window, NULL, &index));
  g_assert_cmpuint (index, ==, 2);
  g_signal_emit_by_name (clamp_remove, "clicked");
  g_assert_cmpuint (n_entries (window, "stimuli"), ==, 2);
  g_assert_false (sw_cells_window_get_selected (window, NULL, NULL));
  g_assert_false (gtk_widget_get_visible (clamp_remove));
  activate (window, "win.undo");
  g_assert_cmpuint (n_entries (window, "stimuli"), ==, 3);

  /* A synapse: the receptor, weight and onset edit its entry; a kinetic
   * receptor takes the weight as "g_max". */
  sw_cells_window_set_click_mode (window, SW_CELLS_CLICK_SYNAPSE);
  sw_cells_window_set_synapse (window, 3, 0.004, 60.0);
  click_node (window, dend);
  g_assert_cmpuint (n_entries (window, "synapses"), ==, 1);
  click_node (window, dend);
  g_assert_true (sw_cells_window_get_selected (window, &kind, &index));
  g_assert_cmpint (kind, ==, SW_CELLS_CLICK_SYNAPSE);
  g_assert_true (gtk_widget_get_visible (synapse_remove));
  g_assert_cmpfloat (fabs (gtk_spin_button_get_value (weight) - 0.004), <, 1e-9);
  sw_cells_window_set_synapse (window, 0, 0.004, 60.0);
  assert_entry (window, "synapses", 0, "receptor", "ampa");
  assert_entry (window, "synapses", 0, "g_max", "0.004 uS");
  assert_entry (window, "synapses", 0, "weight", "");
  gtk_spin_button_set_value (weight, 0.006);
  gtk_spin_button_set_value (onset, 75.0);
  assert_entry (window, "synapses", 0, "g_max", "0.006 uS");
  {
    g_autofree char *events = entry_json (window, "synapses", 0, "events");
    g_assert_cmpstr (events, ==, "[\"75 ms\"]");
  }
  activate (window, "win.undo");
  activate (window, "win.undo");
  activate (window, "win.undo");
  assert_entry (window, "synapses", 0, "receptor", "exp2_ampa");
  assert_entry (window, "synapses", 0, "weight", "0.004 uS");
  g_assert_true (sw_cells_window_get_selected (window, NULL, NULL));
  g_assert_cmpuint (gtk_drop_down_get_selected (child (window, "synapse_type")), ==, 3);

  /* The Delete key removes it; Escape leaves a selection; so does a new
   * mode. */
  g_assert_true (press_key (window, GDK_KEY_Delete));
  g_assert_cmpuint (n_entries (window, "synapses"), ==, 0);
  g_assert_false (sw_cells_window_get_selected (window, NULL, NULL));
  g_assert_false (gtk_widget_get_visible (synapse_remove));
  sw_cells_window_set_click_mode (window, SW_CELLS_CLICK_CLAMP);
  click_node (window, dend);
  g_assert_true (sw_cells_window_get_selected (window, NULL, NULL));
  g_assert_true (press_key (window, GDK_KEY_Escape));
  g_assert_false (sw_cells_window_get_selected (window, NULL, NULL));
  g_assert_cmpuint (n_entries (window, "stimuli"), ==, 3);
  click_node (window, dend);
  g_assert_true (sw_cells_window_get_selected (window, NULL, NULL));
  screenshot (window, "cells-placement-selected.png");
  sw_cells_window_set_click_mode (window, SW_CELLS_CLICK_TRACE);
  g_assert_false (sw_cells_window_get_selected (window, NULL, NULL));
  sw_cells_window_deselect (window);
  g_assert_true (wait_for (run_ended, window, 60));

  /* Discard the changes on closing. */
  gpointer w = window;
  g_object_add_weak_pointer (G_OBJECT (window), &w);
  gtk_window_close (GTK_WINDOW (window));
  spin (0.2);
  GList *dialogs = find_dialogs (GTK_WINDOW (window));
  g_assert_cmpuint (g_list_length (dialogs), ==, 1);
  adw_message_dialog_response (dialogs->data, "discard");
  g_list_free (dialogs);
  assert_finalized (w);
}

/* The window runs the document when it opens, with its voltage probes
 * traced: the HNN cell's step makes the soma spike. */
static void
test_auto_run (void)
{
  SwCellsWindow *window = open_cells ("preset:hnn-l5");
  int soma = site_node (window, "soma(0.5)");
  double lo, hi;
  int n;

  g_assert_true (sw_cells_window_is_running (window) || sw_cells_window_get_n_samples (window) > 0);
  g_assert_true (wait_for (run_ended, window, 120));
  g_assert_cmpint (sw_cells_window_get_n_traces (window), ==, 2);
  trace_range (window, soma, &lo, &hi, &n);
  g_assert_cmpint (n, >, 1000);
  g_assert_cmpfloat (hi, >, 0.0);
  g_assert_cmpfloat (lo, <, -60.0);
  screenshot (window, "cells-hnn-l5-auto-run.png");

  /* A variable moved is an edit: kept in the document, run again by
   * itself, undone in one step. */
  SwCellsDoc *doc = sw_cells_window_get_document (window);
  GtkWidget *row = find_descendant (GTK_WIDGET (window), SW_TYPE_VARIABLE_ROW);
  double I;
  g_assert_nonnull (row);
  g_assert_cmpstr (sw_variable_row_get_name (SW_VARIABLE_ROW (row)), ==, "I");
  g_signal_emit_by_name (row, "value-changed", 1.0);
  g_signal_emit_by_name (row, "value-changed", 1.5);
  g_assert_true (sw_scope_lookup_in_unit (sw_cells_doc_get_scope (doc), "I", &I, NULL));
  g_assert_cmpfloat (I, ==, 1.5);
  g_assert_true (sw_cells_window_get_modified (window));
  g_assert_true (wait_for ((gboolean (*) (gpointer)) sw_cells_window_is_running, window, 5));
  activate (window, "win.undo");
  g_assert_true (sw_scope_lookup_in_unit (sw_cells_doc_get_scope (doc), "I", &I, NULL));
  g_assert_cmpfloat (I, ==, 0.5);
  g_assert_false (sw_cells_window_get_modified (window));
  g_assert_true (wait_for (run_ended, window, 120));
  destroy_cells (window);
}

/* The HNN layer-5 cell, tall and narrow, fills the height it is given and
 * goes beside the traces, so that it is drawn large. */
static void
test_fit (void)
{
  SwCellsWindow *window = open_cells ("preset:hnn-l5");
  SwMorphView *view = sw_cells_window_get_morph_view (window);
  double dw, dh, view_h, win_h;

  spin (0.3);
  assert_fits (view, &dw, &dh);
  view_h = gtk_widget_get_height (GTK_WIDGET (view));
  win_h = gtk_widget_get_height (GTK_WIDGET (window));
  g_test_message ("drawn %.0f x %.0f px; view %d x %.0f px, window height %.0f px", dw, dh,
                  gtk_widget_get_width (GTK_WIDGET (view)), view_h, win_h);
  /* The cell is taller than wide: it spans the view's height but for the
   * labels, and the view most of the window's. */
  g_assert_cmpfloat (dh, >, 0.8 * view_h);
  g_assert_cmpfloat (view_h, >, 0.75 * win_h);
  screenshot (window, "cells-hnn-l5-fit.png");
  destroy_cells (window);
}

/* The model's edits: every compartment of the HNN cell (junctions too) has
 * a site that names it; a variable set is kept in the text; a replaced
 * content keeps the file; entries come and go. */
static void
test_model_edits (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SwCellsDoc) doc = sw_cells_doc_load ("preset:hnn-l5", &error);
  g_assert_no_error (error);
  SwCableCell *cell = sw_cells_doc_build_cell (doc, "L5", &error);
  g_assert_no_error (error);
  for (int node = 0; node < sw_cable_cell_n_nodes (cell); node++)
    {
      g_autofree char *site = sw_cells_site_for_node (cell, node);
      g_assert_nonnull (site);
      g_assert_cmpint (sw_cable_cell_site_parse (cell, site, NULL), ==, node);
    }
  g_assert_null (sw_cells_site_for_node (cell, sw_cable_cell_n_nodes (cell)));
  sw_cable_cell_free (cell);

  g_autofree char *before = sw_cells_doc_to_json (doc);
  g_assert_true (sw_cells_doc_set (doc, "I=1.25", &error));
  g_autofree char *after = sw_cells_doc_to_json (doc);
  g_assert_nonnull (strstr (after, "1.25"));
  g_assert_false (sw_cells_doc_set (doc, "I=99", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  double I;
  g_assert_true (sw_scope_lookup_in_unit (sw_cells_doc_get_scope (doc), "I", &I, NULL));
  g_assert_cmpfloat (I, ==, 1.25);

  JsonNode *entry = json_from_string ("{\"type\": \"iclamp\", \"population\": \"cell\", "
                                      "\"site\": \"apical_tuft(0.5)\", \"amplitude\": \"0.1 nA\"}",
                                      &error);
  g_assert_no_error (error);
  g_assert_cmpint (sw_cells_doc_append_entry (doc, "stimuli", entry), ==, 1);
  g_assert_true (sw_cells_doc_remove_entry (doc, "stimuli", 0));
  g_assert_false (sw_cells_doc_remove_entry (doc, "stimuli", 1));
  g_assert_cmpint (sw_cells_doc_append_entry (doc, "name", json_node_new (JSON_NODE_NULL)), ==, -1);

  /* Back to the text from before; the content follows, the name stays. */
  g_assert_true (sw_cells_doc_replace_data (doc, before, -1, &error));
  g_assert_no_error (error);
  g_autofree char *again = sw_cells_doc_to_json (doc);
  g_assert_cmpstr (again, ==, before);
  g_assert_cmpstr (sw_cells_doc_get_display_name (doc), ==, "preset:hnn-l5");
  g_assert_true (sw_scope_lookup_in_unit (sw_cells_doc_get_scope (doc), "I", &I, NULL));
  g_assert_cmpfloat (I, ==, 0.5);
  /* Text that does not load leaves the document as it was. */
  g_assert_false (sw_cells_doc_replace_data (doc, "{\"kind\": \"network\"}", -1, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_autofree char *still = sw_cells_doc_to_json (doc);
  g_assert_cmpstr (still, ==, before);
}

int
main (int argc, char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/cells/run-traces-clamp", test_run_traces_clamp);
  g_test_add_func ("/gui/cells/passive-cable", test_passive_cable);
  g_test_add_func ("/gui/cells/placement-document", test_placement_document);
  g_test_add_func ("/gui/cells/placement-edit", test_placement_edit);
  g_test_add_func ("/gui/cells/fit", test_fit);
  g_test_add_func ("/gui/cells/auto-run", test_auto_run);
  g_test_add_func ("/gui/cells/model-edits", test_model_edits);
  g_test_add_func ("/gui/cells/bad-document", test_bad_document);
  g_test_add_func ("/gui/cells/swc", test_swc);
  g_test_add_func ("/gui/cells/export", test_export);
  g_test_add_func ("/gui/cells/brc", test_brc);

  return gui_test_run ();
}
