/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Memory Task panel of the cells window: a tiny parameter search (1
 * round of 2 draws, short trials) reports its progress to the end and
 * applies its best draw to the next run of the task, whose score for the
 * searched condition is then the search's best score; Cancel ends a run and
 * a search of 1000-ms trials within 0.5 s, in the middle of a trial.
 *
 * With SW_BRC_SCREENSHOTS=DIR the tests also save pictures of the window
 * there, to look at.
 */
#include "config.h"

#include <math.h>

#include "sw-cells-window.h"
#include "sw-kind-windows.h"
#include "test-gui-util.h"

static SwCellsWindow *
open_brc_network (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (sw_cells_window_present (GTK_APPLICATION (test_app), "preset:brc-network",
                                          &error));
  g_assert_no_error (error);
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (test_app));
  /* The newest window comes first. */
  g_assert_true (SW_IS_CELLS_WINDOW (windows->data));
  spin (0.5);
  return windows->data;
}

static void
destroy_brc (SwCellsWindow *window)
{
  gpointer w = window, panel = sw_cells_window_get_brc_panel (window);

  g_object_add_weak_pointer (G_OBJECT (window), &w);
  g_object_add_weak_pointer (G_OBJECT (panel), &panel);
  gtk_window_destroy (GTK_WINDOW (window));
  assert_finalized (w);
  assert_finalized (panel);
}

static void
screenshot (SwCellsWindow *window, const char *name)
{
  const char *dir = g_getenv ("SW_BRC_SCREENSHOTS");
  GtkWidget *w = GTK_WIDGET (window);

  if (dir == NULL)
    return;
  spin (0.3);
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
panel_idle (gpointer data)
{
  return !sw_brc_panel_is_running (data);
}

static GtkProgressBar *
panel_progress (SwBrcPanel *panel)
{
  GtkWidget *bar = find_descendant (GTK_WIDGET (panel), GTK_TYPE_PROGRESS_BAR);
  g_assert_nonnull (bar);
  return GTK_PROGRESS_BAR (bar);
}

/* The document's parameters, as the window gives them to the panel. */
static void
doc_params (SwBrcParams *p)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SwCellsDoc) doc = sw_cells_doc_load ("preset:brc-network", &error);
  g_assert_no_error (error);
  g_assert_true (sw_brc_task_read_params (doc, p, &error));
}

static void
test_search (void)
{
  SwCellsWindow *window = open_brc_network ();
  SwBrcPanel *panel = sw_cells_window_get_brc_panel (window);
  SwBrcParams doc;
  doc_params (&doc);
  /* Before a search the next run is the document's. */
  g_assert_null (sw_brc_panel_get_search_result (panel));
  g_assert_cmpfloat (sw_brc_panel_get_params (panel)->cue_e.g_us, ==, doc.cue_e.g_us);

  /* 280-ms trials, 2 repeats; one round of 2 draws for NMDA on the
   * dendrite, a condition other than the document's. */
  const SwBrcCondition cond = SW_BRC_COND_NMDA_DEND;
  g_assert_cmpint (doc.condition, !=, cond);
  sw_brc_panel_set_trial (panel, 280, 2);
  sw_brc_panel_set_search (panel, cond, 1, 2);
  sw_brc_panel_search (panel);
  g_assert_true (sw_brc_panel_is_running (panel));
  g_assert_true (sw_brc_panel_is_searching (panel));
  /* A run cannot start meanwhile. */
  sw_brc_panel_run (panel);
  g_assert_null (sw_brc_panel_get_result (panel));
  spin (1.0);
  screenshot (window, "brc-search-running.png");
  g_assert_true (wait_for (panel_idle, panel, 400));

  /* The progress reached the end: both draws scored, the bar full. */
  int done = -1, total = -1;
  double best = NAN;
  sw_brc_panel_get_search_progress (panel, &done, &total, &best);
  g_assert_cmpint (total, ==, 2);
  g_assert_cmpint (done, ==, 2);
  GtkProgressBar *bar = panel_progress (panel);
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (bar), ==, 1.0);
  g_assert_nonnull (strstr (gtk_progress_bar_get_text (bar), "2 of 2"));

  const SwBrcSearchResult *r = sw_brc_panel_get_search_result (panel);
  g_assert_nonnull (r);
  g_assert_cmpint (r->n_draws, ==, 2);
  g_assert_cmpint (r->condition, ==, cond);
  g_assert_true (isfinite (r->best_score));
  g_assert_cmpfloat (r->best_score, >=, 0.0);
  /* The best so far that the panel showed is the search's best. */
  g_assert_cmpfloat (best, ==, r->best_score);
  g_assert_cmpint (r->n_dims, >, 0);

  /* The best draw is applied to the next run: every searched number and
   * the condition. */
  const SwBrcParams *next = sw_brc_panel_get_params (panel);
  SwBrcParams copy = *next;
  int changed = 0;
  for (int j = 0; j < r->n_dims; j++)
    {
      g_assert_cmpfloat (*sw_brc_param_slot (&copy, r->dims[j].name), ==, r->best_x[j]);
      if (*sw_brc_param_slot (&doc, r->dims[j].name) != r->best_x[j])
        changed++;
    }
  g_assert_cmpint (changed, >, 0);
  g_assert_cmpint (next->condition, ==, cond);
  screenshot (window, "brc-search-done.png");

  /* The next run scores the searched condition as the search did: the
   * same parameters and protocol give the same trials. */
  sw_brc_panel_run (panel);
  g_assert_true (sw_brc_panel_is_running (panel));
  g_assert_true (wait_for (panel_idle, panel, 600));
  const SwBrcTaskResult *t = sw_brc_panel_get_result (panel);
  g_assert_nonnull (t);
  g_test_message ("search best %.6g, next run's %s score %.6g", r->best_score,
                  sw_brc_condition_name (cond), t->score[cond].score);
  g_assert_cmpfloat (fabs (t->score[cond].score - r->best_score), <=,
                     1e-9 * fabs (r->best_score));
  /* Its time course is the searched condition's. */
  g_assert_cmpint (t->time_condition, ==, cond);
  screenshot (window, "brc-search-applied-run.png");

  /* Back to the document's values. */
  sw_brc_panel_restore_params (panel);
  copy = *sw_brc_panel_get_params (panel);
  for (int j = 0; j < r->n_dims; j++)
    g_assert_cmpfloat (*sw_brc_param_slot (&copy, r->dims[j].name), ==,
                       *sw_brc_param_slot (&doc, r->dims[j].name));
  g_assert_cmpint (copy.condition, ==, doc.condition);
  destroy_brc (window);
}

static gboolean
bar_moved (gpointer data)
{
  return gtk_progress_bar_get_fraction (panel_progress (data)) > 0.0;
}

/* The button of the window's Stop action (its sensitivity is the
 * action's state). */
static GtkWidget *
find_action_button (GtkWidget *w, const char *action)
{
  if (GTK_IS_ACTIONABLE (w) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (w)), action) == 0)
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *b = find_action_button (c, action);
      if (b != NULL)
        return b;
    }
  return NULL;
}

/* Cancels what runs after @wait_s (with the panel's Cancel, or with the
 * window's Stop action when @window is given) and returns the seconds until
 * the panel is idle again. */
static double
cancel_latency (SwBrcPanel *panel, SwCellsWindow *window, double wait_s, double *progress)
{
  spin (wait_s);
  /* Still busy: the work would have gone on. */
  g_assert_true (sw_brc_panel_is_running (panel));
  *progress = gtk_progress_bar_get_fraction (panel_progress (panel));
  gint64 t0 = g_get_monotonic_time ();
  GtkWidget *stop = window != NULL ? find_action_button (GTK_WIDGET (window), "win.stop") : NULL;
  if (window != NULL)
    {
      /* Busy: the window's Stop is on (Run off), and it cancels the
       * panel's work. */
      g_assert_nonnull (stop);
      g_assert_true (gtk_widget_get_sensitive (stop));
      g_assert_false (gtk_widget_get_sensitive (find_action_button (GTK_WIDGET (window), "win.run")));
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL));
    }
  else
    sw_brc_panel_cancel (panel);
  g_assert_true (wait_for (panel_idle, panel, 60));
  double s = (g_get_monotonic_time () - t0) * 1e-6;
  /* Idle again: Stop is off, Run on. */
  if (stop != NULL)
    {
      g_assert_false (gtk_widget_get_sensitive (stop));
      g_assert_true (gtk_widget_get_sensitive (find_action_button (GTK_WIDGET (window), "win.run")));
    }
  return s;
}

static void
test_cancel_latency (void)
{
  SwCellsWindow *window = open_brc_network ();
  SwBrcPanel *panel = sw_cells_window_get_brc_panel (window);
  SwBrcParams doc;
  doc_params (&doc);

  /* 1000-ms trials take seconds each; the first ones are under way after
   * 1.5 s. */
  sw_brc_panel_set_trial (panel, 1000, 2);
  sw_brc_panel_run (panel);
  double progress;
  double run_s = cancel_latency (panel, NULL, 1.5, &progress);
  g_test_message ("task: Cancel to idle %.4f s (progress at cancel %.2f)", run_s, progress);
  g_assert_cmpfloat (run_s, <, 0.5);
  g_assert_null (sw_brc_panel_get_result (panel));

  /* A search of 2 draws of 8 such trials each, stopped with the window's
   * Stop (Escape). */
  sw_brc_panel_set_search (panel, SW_BRC_COND_AMPA_SOMA, 1, 2);
  sw_brc_panel_search (panel);
  /* The bar moves with the first trials, long before a draw is scored. */
  g_assert_true (wait_for (bar_moved, panel, 60));
  int scored = -1;
  sw_brc_panel_get_search_progress (panel, &scored, NULL, NULL);
  g_test_message ("search: bar at %.3f with %d draws scored",
                  gtk_progress_bar_get_fraction (panel_progress (panel)), scored);
  g_assert_cmpint (scored, ==, 0);
  double search_s = cancel_latency (panel, window, 0.0, &progress);
  g_test_message ("search: Cancel to idle %.4f s", search_s);
  g_assert_cmpfloat (search_s, <, 0.5);
  int done = -1;
  sw_brc_panel_get_search_progress (panel, &done, NULL, NULL);
  g_assert_cmpint (done, ==, 0);
  g_assert_null (sw_brc_panel_get_search_result (panel));
  /* A cancelled search changes nothing. */
  g_assert_cmpfloat (sw_brc_panel_get_params (panel)->cue_e.g_us, ==, doc.cue_e.g_us);
  g_assert_cmpint (sw_brc_panel_get_params (panel)->condition, ==, doc.condition);
  screenshot (window, "brc-search-cancelled.png");
  destroy_brc (window);
}

int
main (int argc, char *argv[])
{
  gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/brc-panel/search", test_search);
  g_test_add_func ("/gui/brc-panel/cancel-latency", test_cancel_latency);

  return gui_test_run ();
}
