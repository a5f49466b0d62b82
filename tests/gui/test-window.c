/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The workbench window as a user drives it (suite "gui", under Xvfb): it
 * opens on the default preset and runs it; one second of simulated time
 * brings spikes of both populations; the adaptation slider changes the
 * running network and lowers the excitatory rate; undo restores an edit;
 * save then open gives the same model; a malformed file shows the loader's
 * message and keeps the document; Stop returns within 100 ms; drafts come
 * back after a crash; closing with changes asks first.  Every test checks
 * that the window, its runner and its views are finalized.
 */
#include "config.h"

#include <math.h>

#include "sw-drafts.h"
#include "sw-history.h"
#include "sw-kind.h"
#include "sw-preset-gallery.h"
#include "sw-runner-private.h"
#include "sw-variable-row.h"
#include "sw-live-hub.h"
#include "sw-raster-view.h"
#include "sw-rates-view.h"
#include "sw-trace-view.h"

#include "test-gui-util.h"

/* --- helpers ------------------------------------------------------------ */

typedef struct
{
  SwWindow *window;
  double value;
} Wait;

static gboolean
runner_running (gpointer data)
{
  SwRunner *runner = sw_window_get_runner (data);
  return runner != NULL && sw_runner_get_state (runner) == SW_RUNNER_RUNNING;
}

static gboolean
runner_time_reached (gpointer data)
{
  Wait *w = data;
  return sw_runner_get_time_ms (sw_window_get_runner (w->window)) >= w->value;
}

static void
run_until (SwWindow *window, double t_ms, double timeout_s)
{
  Wait w = { window, t_ms };

  if (!wait_for (runner_time_reached, &w, timeout_s))
    g_error ("the simulation did not reach %.0f ms in %.0f s (it is at %.1f ms)", t_ms, timeout_s,
             sw_runner_get_time_ms (sw_window_get_runner (window)));
}

static double
variable_value (SwDocument *doc, const char *name)
{
  SwVariableInfo info;
  int i = sw_document_find_variable (doc, name);

  g_assert_cmpint (i, >=, 0);
  g_assert_true (sw_document_get_variable (doc, (guint) i, &info));
  return info.value;
}

static double
spec_param (const SwNetSpec *spec, const char *pop, const char *name)
{
  int p = sw_net_spec_find_pop (spec, pop);
  const SwPopSpec *ps;

  g_assert_cmpint (p, >=, 0);
  ps = &spec->pops[p];
  return ps->params[sw_param_find (ps->type->params, ps->type->n_params, name)];
}

/* Mean rate (Hz per neuron) of population @pop over the last @window_ms
 * of what the window's views received, as the hub measures it. */
static double
measured_rate (SwWindow *window, int pop, double window_ms)
{
  SwLiveHub *hub = sw_window_get_hub (window);

  sw_live_hub_drain (hub);
  return sw_live_hub_get_rate_hz (hub, pop, window_ms);
}

/* Spikes of population @pop the views received. */
static guint64
spike_count (SwWindow *window, int pop)
{
  SwLiveHub *hub = sw_window_get_hub (window);

  sw_live_hub_drain (hub);
  return sw_live_hub_get_spike_count (hub, pop);
}

/* --- tests -------------------------------------------------------------- */

/* Activating the application opens one window on the default preset and
 * runs it. */
static void
test_default_preset (void)
{
  GtkWindow *active;
  SwWindow *window;

  g_application_activate (G_APPLICATION (test_app));
  active = gtk_application_get_active_window (GTK_APPLICATION (test_app));
  g_assert_true (SW_IS_WINDOW (active));
  window = SW_WINDOW (active);

  g_assert_cmpstr (sw_document_get_display_name (sw_window_get_document (window)), ==,
                   "preset:" SW_DEFAULT_PRESET);
  g_assert_null (sw_window_get_path (window));
  g_assert_false (sw_window_get_modified (window));
  g_assert_nonnull (sw_variables_panel_get_scale (sw_window_get_variables_panel (window), "b"));
  g_assert_nonnull (sw_variables_panel_get_scale (sw_window_get_variables_panel (window), "nu_ext"));

  /* It runs at once (the "auto-run" setting is on by default). */
  g_assert_true (wait_for (runner_running, window, 10.0));
  destroy_window (window);
}

/* One second of simulated time brings spikes of both populations. */
static void
test_raster_fills (void)
{
  SwWindow *window = new_window_on (SW_DEFAULT_PRESET, TRUE);
  guint64 e, i;

  run_until (window, 1000.0, 120.0);
  e = spike_count (window, 0);
  i = spike_count (window, 1);
  g_test_message ("spikes after 1 s: E %" G_GUINT64_FORMAT ", I %" G_GUINT64_FORMAT, e, i);
  g_assert_cmpuint (e, >, 100);
  g_assert_cmpuint (i, >, 100);
  destroy_window (window);
}

typedef struct
{
  SwRunner *runner;
  double b;
} SpecWait;

static gboolean
runner_has_b (gpointer data)
{
  SpecWait *w = data;
  const SwNetSpec *spec = sw_runner_get_spec (w->runner);
  return spec != NULL && spec_param (spec, "E", "b") == w->b;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* Moving the slider of b from 0 to 120 pA while the network runs reaches
 * the runner within 100 ms and lowers the excitatory rate it measures. */
static void
test_adaptation_slider (void)
{
  SwWindow *window = new_window_on (SW_DEFAULT_PRESET, FALSE);
  SwVariablesPanel *panel = sw_window_get_variables_panel (window);
  GtkRange *scale = GTK_RANGE (sw_variables_panel_get_scale (panel, "b"));
  SwRunner *runner = sw_window_get_runner (window);
  SpecWait sw = { runner, 0.0 };
  double rate_b0, rate_b120;
  double latency_ms[3];
  gint64 t0;

  /* b = 0 through the slider, before the run. */
  gtk_range_set_value (scale, 0.0);
  g_assert_cmpfloat (variable_value (sw_window_get_document (window), "b"), ==, 0.0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
  run_until (window, 1500.0, 120.0);
  rate_b0 = measured_rate (window, 0, 500.0);

  /* Drag to 120 pA in steps, as a hand would, back, and again: each time
   * the last value must reach the running network within 100 ms.  The
   * median of the three, so that one slow moment of a loaded machine does
   * not decide. */
  for (int trial = 0; trial < 3; trial++)
    {
      double target = trial == 1 ? 0.0 : 120.0;

      t0 = g_get_monotonic_time ();
      for (int k = 1; k <= 12; k++)
        gtk_range_set_value (scale, trial == 1 ? 120.0 - 10.0 * k : 10.0 * k);
      sw.b = target;
      g_assert_true (wait_for (runner_has_b, &sw, 2.0));
      latency_ms[trial] = (g_get_monotonic_time () - t0) / 1000.0;
      g_test_message ("b = %.0f pA reached the runner after %.1f ms", target, latency_ms[trial]);
      g_assert_cmpfloat (variable_value (sw_window_get_document (window), "b"), ==, target);
      spin (0.05);
    }
  qsort (latency_ms, 3, sizeof (double), compare_doubles);
#ifdef __SANITIZE_THREAD__
  /* ThreadSanitizer slows every memory access 5-15 times: the 100 ms
   * latency is a property of the real build, measured there; here the
   * test checks that the edit arrives at all. */
  g_test_message ("ThreadSanitizer build: median latency %.1f ms, not compared with 100 ms", latency_ms[1]);
#else
  g_assert_cmpfloat (latency_ms[1], <, 100.0);
#endif

  /* Adaptation builds up over tau_w = 500 ms; measure after 1.5 s. */
  run_until (window, 3000.0, 180.0);
  rate_b120 = measured_rate (window, 0, 500.0);
  g_test_message ("E rate: b = 0: %.2f Hz, b = 120 pA: %.2f Hz", rate_b0, rate_b120);
  g_assert_cmpfloat (rate_b0, >, 0.5);
  g_assert_cmpfloat (rate_b120, <, 0.7 * rate_b0);

  /* The drags, less than a second apart, are one step of the history:
   * undo goes back to 0 pA (before them), a second undo to the preset's
   * 30 pA, and the slider follows. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
  g_assert_cmpfloat (variable_value (sw_window_get_document (window), "b"), ==, 0.0);
  g_assert_cmpfloat (gtk_range_get_value (scale), ==, 0.0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
  g_assert_cmpfloat (variable_value (sw_window_get_document (window), "b"), ==, 30.0);
  g_assert_cmpfloat (gtk_range_get_value (scale), ==, 30.0);
  g_assert_false (sw_window_get_modified (window));
  destroy_window (window);
}

/* Undo restores an edited parameter, redo applies it again; loading a
 * document clears the history. */
static void
test_undo (void)
{
  SwWindow *window = new_window_on (SW_DEFAULT_PRESET, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *original = sw_document_to_json (sw_window_get_document (window));
  g_autofree char *edited = NULL;
  g_autofree char *now = NULL;
  SwNetSpec *spec;

  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL)
                  && sw_window_get_modified (window));

  g_assert_true (sw_window_set_value (window, "E.tau_w", "300 ms", &error));
  g_assert_no_error (error);
  g_assert_true (sw_window_get_modified (window));
  spec = sw_document_build_spec (sw_window_get_document (window), &error);
  g_assert_cmpfloat (spec_param (spec, "E", "tau_w"), ==, 300.0);
  sw_net_spec_free (spec);
  edited = sw_document_to_json (sw_window_get_document (window));

  /* A refused edit changes nothing and is not recorded. */
  g_assert_false (sw_window_set_value (window, "E.tau_w", "-3 mV", &error));
  g_assert_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_UNIT);
  g_clear_error (&error);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
  now = sw_document_to_json (sw_window_get_document (window));
  g_assert_cmpstr (now, ==, original);
  g_assert_false (sw_window_get_modified (window));
  spec = sw_document_build_spec (sw_window_get_document (window), &error);
  g_assert_cmpfloat (spec_param (spec, "E", "tau_w"), ==, 500.0);
  sw_net_spec_free (spec);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.redo", NULL);
  g_free (now);
  now = sw_document_to_json (sw_window_get_document (window));
  g_assert_cmpstr (now, ==, edited);
  g_assert_true (sw_window_get_modified (window));

  /* The panel's entry goes the same way ("assign"). */
  g_signal_emit_by_name (sw_window_get_variables_panel (window), "assign", "nu_ext", "5 Hz");
  g_assert_cmpfloat (variable_value (sw_window_get_document (window), "nu_ext"), ==, 5.0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
  g_assert_cmpfloat (variable_value (sw_window_get_document (window), "nu_ext"), ==, 2.5);

  /* A new document starts a new history. */
  g_assert_true (sw_window_open_preset (window, "cuba", NULL, &error));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
  g_assert_cmpstr (sw_document_get_display_name (sw_window_get_document (window)), ==,
                   "preset:cuba");
  g_assert_false (sw_window_get_modified (window));
  destroy_window (window);
}

/* Save, then open the file in another window: the same model. */
static void
test_save_open (void)
{
  SwWindow *window = new_window_on ("brunel-a", FALSE);
  SwWindow *other;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp (NULL, &error);
  g_autofree char *path = g_build_filename (dir, "state.swk", NULL);
  g_autofree char *saved = NULL;
  g_autofree char *opened = NULL;
  SwNetSpec *a, *b;
  g_auto(GStrv) recent = NULL;
  g_autoptr(GSettings) settings = g_settings_new ("io.github.spikeworks.Spikeworks");

  g_assert_true (sw_window_set_value (window, "g", "6", &error));
  g_assert_true (sw_window_set_value (window, "eta", "4", &error));
  g_assert_true (sw_window_get_modified (window));
  g_assert_true (sw_window_save_to (window, path, &error));
  g_assert_no_error (error);
  g_assert_false (sw_window_get_modified (window));
  g_assert_cmpstr (sw_window_get_path (window), ==, path);
  saved = sw_document_to_json (sw_window_get_document (window));

  other = new_window_on (SW_DEFAULT_PRESET, FALSE);
  g_assert_true (sw_window_open_path (other, path, &error));
  g_assert_no_error (error);
  opened = sw_document_to_json (sw_window_get_document (other));
  g_assert_cmpstr (opened, ==, saved);
  g_assert_false (sw_window_get_modified (other));

  a = sw_document_build_spec (sw_window_get_document (window), &error);
  b = sw_document_build_spec (sw_window_get_document (other), &error);
  g_assert_cmpint (a->n_pops, ==, b->n_pops);
  g_assert_cmpint (a->n_projs, ==, b->n_projs);
  for (int p = 0; p < a->n_projs; p++)
    {
      g_assert_cmpstr (a->projs[p].name, ==, b->projs[p].name);
      g_assert_cmpfloat (a->projs[p].weight.a, ==, b->projs[p].weight.a);
    }
  g_assert_cmpfloat (variable_value (sw_window_get_document (other), "g"), ==, 6.0);
  sw_net_spec_free (a);
  sw_net_spec_free (b);

  /* The file is the newest recent one. */
  recent = g_settings_get_strv (settings, "recent-files");
  g_assert_cmpstr (recent[0], ==, path);

  destroy_window (window);
  destroy_window (other);
  g_unlink (path);
  g_rmdir (dir);
}

/* A malformed file shows the loader's message (file, place, expectation)
 * and leaves the document as it was. */
static void
test_bad_file (void)
{
  SwWindow *window = new_window_on (SW_DEFAULT_PRESET, FALSE);
  SwDocument *before = sw_window_get_document (window);
  g_autofree char *json_before = sw_document_to_json (before);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp (NULL, &error);
  g_autofree char *path = g_build_filename (dir, "broken.swk", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *json_after = NULL;
  GList *dialogs;
  const char *body;

  g_assert_true (g_file_set_contents (path, "{\n  \"format\": \"spikeworks\",\n  \"version\": 1,\n  \"populations\": [\n", -1, &error));
  sw_window_open_file (window, file);
  spin (0.05);

  dialogs = find_dialogs (GTK_WINDOW (window));
  g_assert_cmpuint (g_list_length (dialogs), ==, 1);
  body = adw_message_dialog_get_body (dialogs->data);
  g_test_message ("error shown: %s", body);
  g_assert_nonnull (strstr (body, "broken.swk"));
  g_assert_nonnull (strstr (body, ":5"));      /* line 5, where the text ends */
  g_list_free (dialogs);

  g_assert_true (sw_window_get_document (window) == before);
  json_after = sw_document_to_json (sw_window_get_document (window));
  g_assert_cmpstr (json_after, ==, json_before);
  g_assert_null (sw_window_get_path (window));

  destroy_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

static gboolean
runner_stopped (gpointer data)
{
  return sw_runner_get_state (data) == SW_RUNNER_STOPPED;
}

/* Stop returns within 100 ms: the runner says it stopped by then. */
static void
test_stop (void)
{
  SwWindow *window = new_window_on (SW_DEFAULT_PRESET, TRUE);
  SwRunner *runner = sw_window_get_runner (window);
  gint64 t0, dt;

  g_assert_true (wait_for (runner_running, window, 10.0));
  run_until (window, 100.0, 60.0);
  for (int i = 0; i < 3; i++)
    {
      t0 = g_get_monotonic_time ();
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL));
      g_assert_true (wait_for (runner_stopped, runner, 1.0));
      dt = g_get_monotonic_time () - t0;
      g_test_message ("stopped after %.1f ms", dt / 1000.0);
      g_assert_cmpint (dt, <, 100 * 1000);
      gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL);
      g_assert_true (wait_for (runner_running, window, 5.0));
      spin (0.1);
    }
  destroy_window (window);
}

/* An edit writes a draft; a window restores it as after a crash; closing
 * after the user's choice removes it. */
static void
test_draft (void)
{
  SwWindow *window = new_window_on (SW_DEFAULT_PRESET, FALSE);
  SwWindow *restored;
  gpointer weak;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  g_autofree char *edited = NULL;
  g_autofree char *back = NULL;

  g_assert_true (sw_window_set_value (window, "E.tau_w", "250 ms", &error));
  sw_window_save_draft (window);
  edited = sw_document_to_json (sw_window_get_document (window));

  drafts = sw_drafts_list ();
  g_assert_cmpuint (drafts->len, ==, 1);
  g_assert_cmpstr (((SwDraft *) drafts->pdata[0])->origin, ==, "preset:" SW_DEFAULT_PRESET);

  /* The draft outlives a window that never closed properly. */
  restored = new_window_on ("cuba", FALSE);
  g_assert_true (sw_window_restore_draft (restored, drafts->pdata[0], &error));
  g_assert_no_error (error);
  back = sw_document_to_json (sw_window_get_document (restored));
  g_assert_cmpstr (back, ==, edited);
  g_assert_true (sw_window_get_modified (restored));
  g_assert_null (sw_window_get_path (restored));

  /* Undoing back to the preset removes the first window's draft. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
  g_assert_false (sw_window_get_modified (window));
  destroy_window (window);

  /* Closing with "Discard" removes the restored one. */
  weak = restored;
  g_object_add_weak_pointer (G_OBJECT (restored), &weak);
  gtk_window_close (GTK_WINDOW (restored));
  spin (0.05);
  respond_to_dialogs (GTK_WINDOW (restored), "discard");
  assert_finalized (weak);
  g_clear_pointer (&drafts, g_ptr_array_unref);
  drafts = sw_drafts_list ();
  g_assert_cmpuint (drafts->len, ==, 0);
}

/* At start, the application offers back the drafts a crash left. */
static void
test_draft_at_start (void)
{
  g_autoptr(SwDocument) doc = sw_document_load_preset ("coba", NULL);
  g_autofree char *json = NULL;
  g_autofree char *id = sw_draft_new_id ();
  g_autoptr(GError) error = NULL;
  GtkWindow *active;
  gpointer weak;
  g_autoptr(GPtrArray) drafts = NULL;

  g_assert_true (sw_document_set (doc, "simulation.seed", "7", &error));
  json = sw_document_to_json (doc);
  g_assert_true (sw_draft_write (id, "preset:coba", json, &error));
  g_assert_no_error (error);

  g_application_activate (G_APPLICATION (test_app));
  active = gtk_application_get_active_window (GTK_APPLICATION (test_app));
  g_assert_true (SW_IS_WINDOW (active));
  g_assert_cmpuint (sw_document_get_seed (sw_window_get_document (SW_WINDOW (active))), ==, 7);
  g_assert_true (sw_window_get_modified (SW_WINDOW (active)));

  weak = active;
  g_object_add_weak_pointer (G_OBJECT (active), &weak);
  gtk_window_close (active);
  spin (0.05);
  respond_to_dialogs (active, "discard");
  assert_finalized (weak);
  drafts = sw_drafts_list ();
  g_assert_cmpuint (drafts->len, ==, 0);
}

/* Closing with unsaved changes asks; Cancel keeps the window. */
static void
test_close_asks (void)
{
  SwWindow *window = new_window_on (SW_DEFAULT_PRESET, FALSE);
  g_autoptr(GError) error = NULL;
  gpointer weak = window;
  GList *dialogs;

  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  g_assert_true (sw_window_set_variable (window, "nu_ext", 4.0, &error));
  gtk_window_close (GTK_WINDOW (window));
  spin (0.05);
  g_assert_nonnull (weak);
  dialogs = find_dialogs (GTK_WINDOW (window));
  g_assert_cmpuint (g_list_length (dialogs), ==, 1);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialogs->data), ==, "Save Changes?");
  g_list_free (dialogs);

  respond_to_dialogs (GTK_WINDOW (window), "cancel");
  g_assert_nonnull (weak);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));

  gtk_window_close (GTK_WINDOW (window));
  spin (0.05);
  respond_to_dialogs (GTK_WINDOW (window), "discard");
  assert_finalized (weak);
}

/* The gallery's entries open their presets with their settings: the four
 * Brunel states are four (g, eta) pairs. */
static void
test_gallery (void)
{
  static const struct
  {
    const char *tag;
    double g, eta;
  } brunel[] = {
    { "AI", 5.0, 2.0 }, { "SR", 3.0, 2.0 }, { "SI fast", 6.0, 4.0 }, { "SI slow", 4.5, 0.9 },
  };
  SwWindow *window = new_window_on (SW_DEFAULT_PRESET, FALSE);
  guint n;
  const SwGalleryEntry *entries = sw_preset_gallery_get_entries (&n);
  guint found = 0;

  /* Seven network entries, then those of other kinds. */
  g_assert_cmpuint (n, >=, 7);
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *gallery = NULL;
      GtkWidget *list;
      gpointer weak;
      GListModel *toplevels = gtk_window_get_toplevels ();

      g_assert_nonnull (entries[i].explanation);
      g_assert_cmpuint (strlen (entries[i].explanation), >, 40);

      /* New opens the gallery; choosing entry i opens it in the window
       * (the window has no changes) and closes the gallery. */
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.new", NULL));
      for (guint k = 0; k < g_list_model_get_n_items (toplevels); k++)
        {
          g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, k);
          if (SW_IS_PRESET_GALLERY (w))
            gallery = GTK_WIDGET (w);
        }
      g_assert_nonnull (gallery);
      g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (gallery)) == GTK_WINDOW (window));
      weak = gallery;
      g_object_add_weak_pointer (G_OBJECT (gallery), &weak);
      list = find_descendant (gallery, GTK_TYPE_LIST_BOX);
      g_assert_nonnull (list);
      gtk_widget_activate (GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), (int) i)));
      assert_finalized (weak);

      {
        g_autofree char *location = g_strconcat ("preset:", entries[i].preset, NULL);
        SwDocKind kind;
        gboolean other = FALSE;

        g_assert_true (sw_doc_kind_peek (location, &kind, NULL));
        if (kind != SW_DOC_KIND_NETWORK)
          {
            /* Opened in a window of its own, which is closed again. */
            for (guint k = 0; k < g_list_model_get_n_items (toplevels); k++)
              {
                g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, k);
                if (w != GTK_WINDOW (window) && gtk_window_get_application (w) != NULL && !SW_IS_WINDOW (w))
                  {
                    other = TRUE;
                    gtk_window_destroy (w);
                    break;
                  }
              }
            g_assert_true (other);
            continue;
          }
      }

      g_assert_cmpstr (sw_document_get_display_name (sw_window_get_document (window)) + strlen ("preset:"),
                       ==, entries[i].preset);
      for (guint k = 0; k < G_N_ELEMENTS (brunel); k++)
        if (g_str_equal (entries[i].tag, brunel[k].tag))
          {
            SwDocument *doc = sw_window_get_document (window);
            g_assert_cmpstr (entries[i].preset, ==, "brunel-a");
            g_assert_cmpfloat (variable_value (doc, "g"), ==, brunel[k].g);
            g_assert_cmpfloat (variable_value (doc, "eta"), ==, brunel[k].eta);
            g_assert_false (sw_window_get_modified (window));
            found++;
          }
    }
  g_assert_cmpuint (found, ==, G_N_ELEMENTS (brunel));
  destroy_window (window);
}

/* Presentation mode: a property, a CSS class and full screen; the action
 * toggles it. */
static void
test_presentation (void)
{
  SwWindow *window = new_window_on (SW_DEFAULT_PRESET, FALSE);

  g_assert_false (sw_window_get_presentation (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.presentation", NULL);
  g_assert_true (sw_window_get_presentation (window));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window), "presentation"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.presentation", NULL);
  g_assert_false (sw_window_get_presentation (window));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window), "presentation"));
  destroy_window (window);
}

/* The settings reach the running window: threads and speed to the
 * runner, the point size to the raster. */
static void
test_settings (void)
{
  SwWindow *window = new_window_on ("cuba", FALSE);
  GSettings *settings = sw_application_get_settings (test_app);
  SwRunner *runner = sw_window_get_runner (window);
  GtkWidget *raster = find_descendant (GTK_WIDGET (window), SW_TYPE_RASTER_VIEW);
  GtkWidget *speed = find_descendant (GTK_WIDGET (window), GTK_TYPE_DROP_DOWN);
  double size;

  g_settings_set_int (settings, "threads", 2);
  g_assert_cmpint (sw_runner_get_threads (runner), ==, 2);
  g_settings_reset (settings, "threads");

  g_assert_nonnull (raster);
  g_settings_set_double (settings, "raster-point-size", 5.0);
  g_object_get (raster, "point-size", &size, NULL);
  g_assert_cmpfloat (size, ==, 5.0);
  g_settings_reset (settings, "raster-point-size");

  /* The speed menu: "Real Time" is a factor of 1, and it is remembered. */
  g_assert_cmpfloat (sw_runner_get_speed (runner), ==, 0.0);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (speed), 4);
  g_assert_cmpfloat (sw_runner_get_speed (runner), ==, 1.0);
  g_assert_cmpfloat (g_settings_get_double (settings, "speed"), ==, 1.0);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (speed), 0);
  g_assert_cmpfloat (sw_runner_get_speed (runner), ==, 0.0);
  destroy_window (window);
}

/* A click on a neuron of the raster adds its membrane potential to the
 * traces; the views follow presentation mode. */
static void
test_views (void)
{
  SwWindow *window = new_window_on ("cuba", FALSE);
  GtkWidget *raster = find_descendant (GTK_WIDGET (window), SW_TYPE_RASTER_VIEW);
  GtkWidget *traces = find_descendant (GTK_WIDGET (window), SW_TYPE_TRACE_VIEW);
  GtkWidget *rates = find_descendant (GTK_WIDGET (window), SW_TYPE_RATES_VIEW);
  guint before;

  g_assert_nonnull (raster);
  g_assert_nonnull (traces);
  g_assert_nonnull (rates);
  before = sw_trace_view_get_n_traces (SW_TRACE_VIEW (traces));
  g_signal_emit_by_name (raster, "neuron-activated", 1, 17);
  g_assert_cmpuint (sw_trace_view_get_n_traces (SW_TRACE_VIEW (traces)), ==, before + 1);

  sw_window_set_presentation (window, TRUE);
  g_assert_true (sw_raster_view_get_presentation (SW_RASTER_VIEW (raster)));
  g_assert_true (sw_rates_view_get_presentation (SW_RATES_VIEW (rates)));
  g_assert_true (sw_trace_view_get_presentation (SW_TRACE_VIEW (traces)));
  sw_window_set_presentation (window, FALSE);
  g_assert_false (sw_raster_view_get_presentation (SW_RASTER_VIEW (raster)));
  destroy_window (window);
}

/* The baseline shortcuts are set, and the buttons have accessible names. */
static void
test_shortcuts (void)
{
  static const struct
  {
    const char *action, *accel;
  } expected[] = {
    { "win.new", "<Control>n" },           { "win.open", "<Control>o" },
    { "win.save", "<Control>s" },          { "win.save-as", "<Shift><Control>s" },
    { "win.undo", "<Control>z" },          { "win.redo", "<Shift><Control>z" },
    { "win.fullscreen", "F11" },           { "win.show-help-overlay", "<Control>question" },
    { "app.quit", "<Control>q" },
  };
  SwWindow *window = new_window_on (SW_DEFAULT_PRESET, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_auto(GStrv) accels =
        gtk_application_get_accels_for_action (GTK_APPLICATION (test_app), expected[i].action);
      g_assert_nonnull (accels[0]);
      g_assert_cmpstr (accels[0], ==, expected[i].accel);
    }

  /* Space runs and pauses (a binding of the window). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run-pause", NULL));
  g_assert_true (wait_for (runner_running, window, 10.0));
  destroy_window (window);
}

int
main (int argc, char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/window/default-preset", test_default_preset);
  g_test_add_func ("/gui/window/raster-fills", test_raster_fills);
  g_test_add_func ("/gui/window/adaptation-slider", test_adaptation_slider);
  g_test_add_func ("/gui/window/undo", test_undo);
  g_test_add_func ("/gui/window/save-open", test_save_open);
  g_test_add_func ("/gui/window/bad-file", test_bad_file);
  g_test_add_func ("/gui/window/stop", test_stop);
  g_test_add_func ("/gui/window/draft", test_draft);
  g_test_add_func ("/gui/window/draft-at-start", test_draft_at_start);
  g_test_add_func ("/gui/window/close-asks", test_close_asks);
  g_test_add_func ("/gui/window/gallery", test_gallery);
  g_test_add_func ("/gui/window/presentation", test_presentation);
  g_test_add_func ("/gui/window/settings", test_settings);
  g_test_add_func ("/gui/window/views", test_views);
  g_test_add_func ("/gui/window/shortcuts", test_shortcuts);

  return gui_test_run ();
}
