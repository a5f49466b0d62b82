/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The interoperability side of the window (suite "gui"): the Sweep view
 * runs a small simulated phase diagram in the background, its points equal
 * sw_sweep_run_point's for the same settings, and Cancel stops it; an NWB
 * file written here with libhdf5 is imported into the Recorded view with
 * its units, trials and events listed and the PSTH counted right; the
 * spikes the raster keeps are exported as a SONATA file that sw-hdf5 reads
 * back.  Every view is finalized with its window.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "sw-hdf5.h"
#include "sw-raster-view.h"
#include "sw-recorded-view.h"
#include "sw-sweep-view.h"

#include "test-gui-util.h"

#ifdef HAVE_HDF5
#include <hdf5.h>
#endif

/* Brunel's model A at 500 neurons with 100 and 25 inputs, as the sweep
 * tests of the command line scale it: a point runs in well under a second. */
static SwWindow *
small_brunel (void)
{
  static const char *const sets[][2] = {
    { "EE.k", "100" }, { "EI.k", "100" }, { "IE.k", "25" }, { "II.k", "25" }, { "E.n", "400" }, { "I.n", "100" },
  };
  SwWindow *window = new_window_on ("brunel-a", FALSE);

  for (guint k = 0; k < G_N_ELEMENTS (sets); k++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = sw_window_set_value (window, sets[k][0], sets[k][1], &error);
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  return window;
}

static void
destroy_with_views (SwWindow *window)
{
  gpointer sweep = sw_window_get_sweep_view (window);
  gpointer recorded = sw_window_get_recorded_view (window);

  g_object_add_weak_pointer (G_OBJECT (sweep), &sweep);
  g_object_add_weak_pointer (G_OBJECT (recorded), &recorded);
  destroy_window (window);
  assert_finalized (sweep);
  assert_finalized (recorded);
}

/* With SW_TEST_SHOTS set to a folder, the window as drawn now goes to
 * FOLDER/@name.png, for looking at the views. */
static void
maybe_shot (gpointer window, const char *name)
{
  const char *dir = g_getenv ("SW_TEST_SHOTS");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  int w, h;

  if (dir == NULL)
    return;
  spin (0.5);
  w = gtk_widget_get_width (GTK_WIDGET (window));
  h = gtk_widget_get_height (GTK_WIDGET (window));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  /* A window not drawn yet (hidden, or of size 0) has nothing to save. */
  if (node == NULL || w <= 0 || h <= 0)
    return;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  file = g_strdup_printf ("%s/%s.png", dir, name);
  gdk_texture_save_to_png (texture, file);
}

static gboolean
sweep_idle (gpointer data)
{
  return !sw_sweep_view_get_busy (data);
}

static gboolean
one_point_done (gpointer data)
{
  return sw_sweep_view_get_n_done (data) >= 1;
}

static void
test_sweep_grid (void)
{
  g_autoptr(GError) error = NULL;
  SwWindow *window = small_brunel ();
  SwSweepView *view = SW_SWEEP_VIEW (sw_window_get_sweep_view (window));
  g_autofree char *dir = g_dir_make_tmp (NULL, &error);
  g_autofree char *csv = g_build_filename (dir, "sweep.csv", NULL);
  g_autofree char *png = g_build_filename (dir, "sweep.png", NULL);
  g_autofree char *text = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "sweep"));
  g_assert_true (sw_sweep_view_set_axis (view, FALSE, "eta", 1.5, 2.5, 2, &error));
  g_assert_true (sw_sweep_view_set_axis (view, TRUE, "g", 4.5, 5.5, 2, &error));
  g_assert_no_error (error);
  g_assert_false (sw_sweep_view_set_axis (view, TRUE, "nonesuch", 0, 1, 2, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  sw_sweep_view_set_run (view, 300.0, 100.0, 1);
  g_assert_false (sw_sweep_view_export (view, csv, &error));
  g_assert_error (error, SW_LIVE_ERROR, SW_LIVE_ERROR_EMPTY);
  g_clear_error (&error);

  sw_sweep_view_start (view);
  g_assert_true (sw_sweep_view_get_busy (view));
  g_assert_cmpint (sw_sweep_view_get_n_points (view), ==, 4);
  g_assert_true (wait_for (sweep_idle, view, 120.0));
  g_assert_cmpint (sw_sweep_view_get_n_done (view), ==, 4);

  /* Every point has a rate; the last one equals a run of the same point
   * (index 3: eta 2.5, g 5.5) outside the view. */
  for (int j = 0; j < 2; j++)
    for (int i = 0; i < 2; i++)
      {
        double r = sw_sweep_view_get_value (view, i, j, SW_SWEEP_RATE, 0);
        g_assert_true (isfinite (r));
        g_assert_cmpfloat (r, >, 0.0);
      }
  {
    SwDocument *doc = sw_window_get_document (window);
    g_autofree char *json = sw_document_to_json (doc);
    g_autoptr(SwDocument) copy = sw_document_load_data (json, -1, "copy", &error);
    SwSweepSettings s = { .duration_ms = 300.0, .warmup_ms = 100.0, .dt_ms = sw_document_get_dt_ms (doc),
                          .threads = -1, .trials = 1, .seed = sw_document_get_seed (doc) };
    SwSweepPoint pt;

    g_assert_nonnull (copy);
    g_assert_true (sw_sweep_run_point (copy, "eta", 2.5, "g", 5.5, 3, &s, &pt, &error));
    g_assert_no_error (error);
    for (int pop = 0; pop < pt.n_pops; pop++)
      for (int m = 0; m < SW_SWEEP_N_MEASURES; m++)
        {
          double want = pt.values[pop * SW_SWEEP_N_MEASURES + m];
          double got = sw_sweep_view_get_value (view, 1, 1, m, pop);
          g_assert_true ((isnan (want) && isnan (got)) || want == got);
        }
    sw_sweep_point_clear (&pt);
  }

  /* Exports: the CSV has a header and the four points. */
  g_assert_true (sw_sweep_view_export (view, csv, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  {
    g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 6);   /* header, 4 rows, "" */
    g_assert_true (g_str_has_prefix (lines[0], "eta,g,rate_E,"));
    g_assert_true (g_str_has_prefix (lines[4], "2.5,5.5,"));
  }
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  maybe_shot (window, "sweep");
  g_assert_true (sw_sweep_view_export (view, png, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));

  g_unlink (csv);
  g_unlink (png);
  g_rmdir (dir);
  destroy_with_views (window);
}

static void
test_sweep_cancel (void)
{
  g_autoptr(GError) error = NULL;
  SwWindow *window = small_brunel ();
  SwSweepView *view = SW_SWEEP_VIEW (sw_window_get_sweep_view (window));
  int done;
  gint64 t0;

  g_assert_true (sw_sweep_view_set_axis (view, FALSE, "eta", 1.0, 3.0, 10, &error));
  g_assert_true (sw_sweep_view_set_axis (view, TRUE, "g", 4.0, 6.0, 10, &error));
  sw_sweep_view_set_run (view, 2000.0, 100.0, 1);
  sw_sweep_view_start (view);
  g_assert_true (wait_for (one_point_done, view, 120.0));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "sweep"));
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  maybe_shot (window, "sweep-busy");
  t0 = g_get_monotonic_time ();
  sw_sweep_view_cancel (view);
  g_assert_false (sw_sweep_view_get_busy (view));
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 100000);
  done = sw_sweep_view_get_n_done (view);
  g_assert_cmpint (done, >=, 1);
  g_assert_cmpint (done, <, 100);
  /* The worker stops: at most the point under way may still land, and
   * its values are not taken after Cancel. */
  spin (1.5);
  g_assert_cmpint (sw_sweep_view_get_n_done (view), <=, done + 1);
  g_assert_true (isfinite (sw_sweep_view_get_value (view, 0, 0, SW_SWEEP_RATE, 0)));
  destroy_with_views (window);
}

#ifdef HAVE_HDF5

static void
put (hid_t f, const char *path, hid_t type, const void *data, hsize_t n)
{
  hid_t lcpl = H5Pcreate (H5P_LINK_CREATE);
  hid_t sp = H5Screate_simple (1, &n, NULL);
  hid_t file_type = type == H5T_NATIVE_DOUBLE ? H5T_IEEE_F64LE
                    : type == H5T_NATIVE_INT64 ? H5T_STD_I64LE : H5T_STD_U64LE;
  hid_t d;

  H5Pset_create_intermediate_group (lcpl, 1);
  d = H5Dcreate2 (f, path, file_type, sp, lcpl, H5P_DEFAULT, H5P_DEFAULT);
  g_assert_cmpint (d, >=, 0);
  g_assert_cmpint (H5Dwrite (d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), >=, 0);
  H5Dclose (d);
  H5Sclose (sp);
  H5Pclose (lcpl);
}

static void
test_nwb_import (void)
{
  /* Three units (ids 3, 5, 9) with 2, 0 and 3 spikes. */
  static const gint64 ids[3] = { 3, 5, 9 };
  static const double times[5] = { 0.5, 1.25, 0.75, 1.0 / 3.0, 2.0625 };
  static const guint64 index[3] = { 2, 2, 5 };
  static const double start[3] = { 0.0, 1.0, 2.0 }, stop[3] = { 0.9, 1.9, 2.9 };
  static const double stim[4] = { 0.45, 0.7, 1.2, 2.0 };
  /* Counted by hand: spike minus event plus 0.5 s, in 250 ms bins up to
   * 1.5 s (see the list of times above). */
  static const guint want[6] = { 2, 2, 4, 1, 1, 2 };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp (NULL, &error);
  g_autofree char *path = g_build_filename (dir, "rec.nwb", NULL);
  g_autofree char *csv = g_build_filename (dir, "psth.csv", NULL);
  g_autofree char *text = NULL;
  SwWindow *window = new_window_on ("brunel-a", FALSE);
  SwRecordedView *view = SW_RECORDED_VIEW (sw_window_get_recorded_view (window));
  const SwNwbFile *f;
  const guint *psth;
  guint n_bins, rows = 0;
  double t0, bin;
  hid_t h;

  g_assert_no_error (error);
  h = H5Fcreate (path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  g_assert_cmpint (h, >=, 0);
  put (h, "/units/id", H5T_NATIVE_INT64, ids, 3);
  put (h, "/units/spike_times", H5T_NATIVE_DOUBLE, times, 5);
  put (h, "/units/spike_times_index", H5T_NATIVE_UINT64, index, 3);
  put (h, "/intervals/trials/start_time", H5T_NATIVE_DOUBLE, start, 3);
  put (h, "/intervals/trials/stop_time", H5T_NATIVE_DOUBLE, stop, 3);
  put (h, "/acquisition/stim/timestamps", H5T_NATIVE_DOUBLE, stim, 4);
  H5Fclose (h);

  g_assert_true (sw_window_import_nwb (window, path, &error));
  g_assert_no_error (error);
  f = sw_recorded_view_get_file (view);
  g_assert_nonnull (f);
  g_assert_cmpint (f->n_units, ==, 3);
  g_assert_cmpint (f->n_trials, ==, 3);
  /* The list: a heading and a line per trial, a heading and a line per
   * event of every series. */
  rows = 1 + f->n_trials;
  for (int e = 0; e < f->n_events; e++)
    rows += 1 + (guint) f->events[e].n;
  g_assert_cmpuint (sw_recorded_view_get_n_list_rows (view), ==, rows);
  g_assert_cmpuint (rows, ==, 1 + 3 + (1 + 4) + (1 + 3));

  /* Aligned to the trials first; then to the stimulus. */
  psth = sw_recorded_view_get_psth (view, &n_bins, &t0, &bin);
  g_assert_nonnull (psth);
  g_assert_true (sw_recorded_view_set_event (view, "acquisition/stim"));
  g_assert_false (sw_recorded_view_set_event (view, "acquisition/none"));
  sw_recorded_view_set_bin_ms (view, 250.0);
  sw_recorded_view_set_span (view, 0.5, 1.0);
  psth = sw_recorded_view_get_psth (view, &n_bins, &t0, &bin);
  g_assert_cmpuint (n_bins, ==, 6);
  g_assert_cmpfloat_with_epsilon (t0, -0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (bin, 0.25, 1e-12);
  for (guint b = 0; b < 6; b++)
    g_assert_cmpuint (psth[b], ==, want[b]);

  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  maybe_shot (window, "recorded");
  g_assert_true (sw_recorded_view_export (view, csv, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  /* Bin 2: 4 spikes over 4 events, 3 units and 0.25 s: 1.333 Hz. */
  g_assert_nonnull (strstr (text, "\n0,0.25,4,1.33333333"));

  /* Units alone: no events, no histogram, nothing to put in the table. */
  {
    g_autofree char *bare = g_build_filename (dir, "bare.nwb", NULL);
    h = H5Fcreate (bare, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    put (h, "/units/id", H5T_NATIVE_INT64, ids, 3);
    put (h, "/units/spike_times", H5T_NATIVE_DOUBLE, times, 5);
    put (h, "/units/spike_times_index", H5T_NATIVE_UINT64, index, 3);
    H5Fclose (h);
    g_assert_true (sw_window_import_nwb (window, bare, &error));
    g_assert_no_error (error);
    g_assert_cmpint (sw_recorded_view_get_file (view)->n_events, ==, 0);
    g_assert_null (sw_recorded_view_get_psth (view, &n_bins, &t0, &bin));
    g_assert_cmpuint (sw_recorded_view_get_n_list_rows (view), ==, 1);
    g_assert_false (sw_recorded_view_export (view, csv, &error));
    g_assert_error (error, SW_LIVE_ERROR, SW_LIVE_ERROR_EMPTY);
    g_clear_error (&error);
    maybe_shot (window, "recorded-bare");
    g_unlink (bare);
  }

  /* A file that is not NWB is refused with the file's name. */
  g_assert_false (sw_window_import_nwb (window, csv, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "psth.csv"));

  g_unlink (csv);
  g_unlink (path);
  g_rmdir (dir);
  destroy_with_views (window);
}

static gboolean
some_spikes (gpointer data)
{
  SwLiveHub *hub = sw_window_get_hub (data);

  return hub != NULL && sw_live_hub_get_time_ms (hub) >= 300.0 && sw_live_hub_get_spike_count (hub, 0) > 0;
}

static void
test_sonata_export (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp (NULL, &error);
  g_autofree char *path = g_build_filename (dir, "spikes.h5", NULL);
  SwWindow *window = small_brunel ();
  SwSonataPopulation *pops;
  g_autoptr(GArray) kept = NULL;
  SwLiveHub *hub;
  GtkWidget *raster;
  double k0, k1;
  int n_pops = 0;
  gsize total = 0;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  g_assert_true (wait_for (some_spikes, window, 60.0));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.pause", NULL));
  spin (0.3);
  hub = sw_window_get_hub (window);
  sw_live_hub_drain (hub);

  g_assert_true (sw_window_export_sonata (window, path, &error));
  g_assert_no_error (error);
  /* The menu item first says what is kept. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-sonata", NULL));
  spin (0.2);
  {
    GList *dialogs = find_dialogs (GTK_WINDOW (window));
    g_assert_cmpuint (g_list_length (dialogs), ==, 1);
    g_assert_nonnull (strstr (adw_message_dialog_get_body (dialogs->data), "last 10 s"));
    maybe_shot (dialogs->data, "sonata-dialog");
    g_list_free (dialogs);
  }
  respond_to_dialogs (GTK_WINDOW (window), "cancel");
  pops = sw_sonata_read (path, &n_pops, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n_pops, ==, 2);
  g_assert_cmpstr (pops[0].name, ==, "E");
  g_assert_cmpstr (pops[1].name, ==, "I");
  for (int p = 0; p < n_pops; p++)
    {
      g_assert_cmpint (pops[p].sorting, ==, SW_SONATA_SORT_BY_TIME);
      for (gsize k = 0; k < pops[p].n; k++)
        {
          g_assert_cmpuint (pops[p].node_ids[k], <, p == 0 ? 400 : 100);
          if (k > 0)
            g_assert_cmpfloat (pops[p].timestamps_ms[k], >=, pops[p].timestamps_ms[k - 1]);
        }
      total += pops[p].n;
      /* Less than ten seconds ran: every spike is kept.  The hub counts
       * completed 1 ms bins, the raster every spike received: a step or
       * two more. */
      g_assert_cmpuint (pops[p].n, >=, sw_live_hub_get_spike_count (hub, p));
      g_assert_cmpuint (pops[p].n, <=, sw_live_hub_get_spike_count (hub, p) + 500);
    }
  raster = find_descendant (GTK_WIDGET (window), SW_TYPE_RASTER_VIEW);
  kept = sw_raster_view_copy_kept (SW_RASTER_VIEW (raster), &k0, &k1);
  g_assert_cmpuint (total, ==, kept->len);
  g_assert_cmpfloat (k1, <, 10000.0);
  g_assert_cmpuint (total, >, 0);
  sw_sonata_free (pops, n_pops);

  g_unlink (path);
  g_rmdir (dir);
  destroy_with_views (window);
}

#endif

static void
test_no_run_no_export (void)
{
  g_autoptr(GError) error = NULL;
  SwWindow *window = new_window_on ("brunel-a", FALSE);

  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "recorded"));
  maybe_shot (window, "recorded-empty");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "sweep"));
  maybe_shot (window, "sweep-empty");
  if (sw_hdf5_available ())
    {
      g_assert_false (sw_window_export_sonata (window, "/nonexistent/x.h5", &error));
      g_assert_error (error, SW_LIVE_ERROR, SW_LIVE_ERROR_EMPTY);
    }
  else
    {
      g_assert_false (sw_window_import_nwb (window, "/nonexistent/x.nwb", &error));
      g_assert_error (error, SW_HDF5_ERROR, SW_HDF5_ERROR_UNAVAILABLE);
    }
  destroy_with_views (window);
}

int
main (int argc, char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/interop/sweep-grid", test_sweep_grid);
  g_test_add_func ("/gui/interop/sweep-cancel", test_sweep_cancel);
  g_test_add_func ("/gui/interop/no-run-no-export", test_no_run_no_export);
#ifdef HAVE_HDF5
  g_test_add_func ("/gui/interop/nwb-import", test_nwb_import);
  g_test_add_func ("/gui/interop/sonata-export", test_sonata_export);
#endif

  return gui_test_run ();
}
