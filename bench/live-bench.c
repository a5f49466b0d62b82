/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * live-bench: the workbench's live path under load.  Runs a preset (the
 * 10 000-neuron destexhe-adex by default) in a window with the three live
 * views for a given wall-clock time and reports
 *
 *   - the real-time factor (simulated / wall time, flat out unless --speed),
 *   - the frame rate and the worst frame time of the window (from the frame
 *     clock's paints while the network runs),
 *   - the slider-to-effect latency: a GtkScale bound to the variable "b" is
 *     moved every two seconds; the time until the runner reports the new
 *     value applied, and until the next frame is painted after that.
 *
 * bench/live.sh runs it under Xvfb.  Output: a human summary on stderr and
 * one JSON line on stdout.
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "sw-document.h"
#include "sw-live-hub.h"
#include "sw-raster-view.h"
#include "sw-rates-view.h"
#include "sw-runner.h"
#include "sw-trace-view.h"

static char *opt_preset = NULL;
static double opt_seconds = 30.0;
static double opt_speed = 0.0;
static gboolean opt_no_gl = FALSE;
static int opt_threads = 0;

static const GOptionEntry entries[] = {
  { "preset", 0, 0, G_OPTION_ARG_STRING, &opt_preset, "Preset (default destexhe-adex)", "NAME" },
  { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &opt_seconds, "Wall-clock seconds to run (default 30)", "S" },
  { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &opt_speed, "Real-time factor (default 0: flat out)", "X" },
  { "no-gl", 0, 0, G_OPTION_ARG_NONE, &opt_no_gl, "Draw the raster with cairo", NULL },
  { "threads", 0, 0, G_OPTION_ARG_INT, &opt_threads, "Simulation threads (0: automatic)", "N" },
  { NULL }
};

typedef struct
{
  GtkWidget *window;
  GtkWidget *scale;
  GtkWidget *raster;
  SwRunner *runner;
  SwLiveHub *hub;
  SwDocument *doc;
  int b_index;            /* of parameter b in population 0 */

  gboolean measuring;
  gint64 start_us;
  double start_sim_ms;
  gint64 last_paint_us;
  guint64 frames;
  gint64 worst_frame_us;
  GArray *frame_us;       /* gint64: every frame interval */

  /* Where the main thread's time went in the slow frames (> 50 ms): on a
   * CPU, waiting for one (runnable), or neither (blocked: sleeping in
   * poll, on a lock or in the GL driver), from the kernel's per-thread
   * schedstat (ns). */
  gboolean have_schedstat;
  guint64 last_cpu_ns, last_wait_ns;
  guint64 slow_frames;
  double slow_cpu_ms, slow_wait_ms, slow_blocked_ms;
  double worst_cpu_ms, worst_wait_ms, worst_blocked_ms;

  /* The slider experiment. */
  gint64 moved_us;        /* 0: nothing pending */
  double want_b;
  gint64 applied_us;
  GArray *apply_ms, *screen_ms;
  int moves;
} Bench;

/* The calling thread's time on a CPU and waiting for one (Linux), in ns. */
static gboolean
read_schedstat (guint64 *cpu_ns, guint64 *wait_ns)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/thread-self/schedstat", &text, NULL, NULL))
    return FALSE;
  return sscanf (text, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, cpu_ns, wait_ns) == 2;
}

static void
after_paint_cb (GdkFrameClock *clock, Bench *b)
{
  gint64 now = g_get_monotonic_time ();
  guint64 cpu_ns = 0, wait_ns = 0;
  gboolean stat = read_schedstat (&cpu_ns, &wait_ns);

  if (b->measuring && b->last_paint_us != 0)
    {
      gint64 gap = now - b->last_paint_us;
      b->frames++;
      if (stat && b->have_schedstat && gap > 50000)
        {
          double cpu = (cpu_ns - b->last_cpu_ns) * 1e-6, wait = (wait_ns - b->last_wait_ns) * 1e-6;
          double blocked = MAX (gap * 1e-3 - cpu - wait, 0.0);

          b->slow_frames++;
          b->slow_cpu_ms += cpu;
          b->slow_wait_ms += wait;
          b->slow_blocked_ms += blocked;
          if (gap > b->worst_frame_us)
            {
              b->worst_cpu_ms = cpu;
              b->worst_wait_ms = wait;
              b->worst_blocked_ms = blocked;
            }
        }
      b->worst_frame_us = MAX (b->worst_frame_us, gap);
      g_array_append_val (b->frame_us, gap);
    }
  b->last_paint_us = now;
  b->have_schedstat = stat;
  b->last_cpu_ns = cpu_ns;
  b->last_wait_ns = wait_ns;

  if (b->applied_us != 0)
    {
      double ms = (now - b->moved_us) * 1e-3;
      g_array_append_val (b->screen_ms, ms);
      b->applied_us = 0;
      b->moved_us = 0;
    }
}

static void
map_cb (GtkWidget *window, Bench *b)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), b);
}

/* The slider moved: the document takes the value, the runner gets the new
 * description, as the workbench does. */
static void
value_changed_cb (GtkRange *range, Bench *b)
{
  g_autoptr (GError) error = NULL;
  double value = gtk_range_get_value (range);
  if (!sw_document_set_variable (b->doc, "b", value, &error))
    {
      g_printerr ("%s\n", error->message);
      return;
    }
  SwNetSpec *spec = sw_document_build_spec (b->doc, &error);
  if (spec == NULL)
    {
      g_printerr ("%s\n", error->message);
      return;
    }
  b->want_b = spec->pops[0].params[b->b_index];
  sw_runner_set_spec (b->runner, spec);
  sw_net_spec_free (spec);
}

static void
updated_cb (SwLiveHub *hub, Bench *b)
{
  const SwNetSpec *spec = sw_runner_get_spec (b->runner);
  if (b->moved_us != 0 && b->applied_us == 0 && spec != NULL
      && spec->pops[0].params[b->b_index] == b->want_b)
    {
      b->applied_us = g_get_monotonic_time ();
      double ms = (b->applied_us - b->moved_us) * 1e-3;
      g_array_append_val (b->apply_ms, ms);
      gtk_widget_queue_draw (b->window);
    }
}

static void
runner_notify_cb (SwRunner *runner, GParamSpec *pspec, Bench *b)
{
  /* The spec may arrive between hub updates: check on every status. */
  updated_cb (b->hub, b);
}

static gboolean
move_slider_cb (gpointer data)
{
  Bench *b = data;
  if (!b->measuring)
    return G_SOURCE_CONTINUE;
  if (b->moved_us != 0)
    return G_SOURCE_CONTINUE;   /* the last move has not shown yet */
  b->moves++;
  b->moved_us = g_get_monotonic_time ();
  gtk_range_set_value (GTK_RANGE (b->scale), b->moves % 2 ? 60.0 : 30.0);
  return G_SOURCE_CONTINUE;
}

static gboolean
start_cb (gpointer data)
{
  Bench *b = data;
  b->measuring = TRUE;
  b->start_us = g_get_monotonic_time ();
  b->start_sim_ms = sw_runner_get_time_ms (b->runner);
  b->frames = 0;
  b->worst_frame_us = 0;
  b->slow_frames = 0;
  b->slow_cpu_ms = b->slow_wait_ms = b->slow_blocked_ms = 0.0;
  b->worst_cpu_ms = b->worst_wait_ms = b->worst_blocked_ms = 0.0;
  g_array_set_size (b->frame_us, 0);
  sw_live_hub_take_worst_frame_us (b->hub);
  return G_SOURCE_REMOVE;
}

static int
cmp_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static void
summarise (GArray *ms, double *mean, double *worst)
{
  *mean = 0.0;
  *worst = 0.0;
  for (guint i = 0; i < ms->len; i++)
    {
      double v = g_array_index (ms, double, i);
      *mean += v / ms->len;
      *worst = MAX (*worst, v);
    }
}

static gboolean
stop_cb (gpointer data)
{
  Bench *b = data;
  gint64 now = g_get_monotonic_time ();
  double wall_s = (now - b->start_us) * 1e-6;
  double sim_s = (sw_runner_get_time_ms (b->runner) - b->start_sim_ms) * 1e-3;
  double apply_mean, apply_worst, screen_mean, screen_worst;

  b->measuring = FALSE;
  g_array_sort (b->frame_us, cmp_gint64);
  double p99 = b->frame_us->len ? g_array_index (b->frame_us, gint64, (guint) (b->frame_us->len * 0.99)) * 1e-3 : NAN;
  double median = b->frame_us->len ? g_array_index (b->frame_us, gint64, b->frame_us->len / 2) * 1e-3 : NAN;
  summarise (b->apply_ms, &apply_mean, &apply_worst);
  summarise (b->screen_ms, &screen_mean, &screen_worst);

  g_printerr ("live-bench: %s, %.1f s wall, %.1f s simulated\n"
              "  real-time factor   %.2f\n"
              "  frames             %" G_GUINT64_FORMAT " (%.1f fps), median %.1f ms, p99 %.1f ms, worst %.1f ms\n"
              "  hub worst tick gap %.1f ms\n"
              "  raster             %s, every %d-th neuron\n"
              "  slider -> applied  mean %.1f ms, worst %.1f ms (%u moves)\n"
              "  slider -> on screen mean %.1f ms, worst %.1f ms\n"
              "  frames over 50 ms  %" G_GUINT64_FORMAT ": main thread on a CPU %.0f ms, waiting "
              "for one %.0f ms, blocked %.0f ms in all\n"
              "  worst frame        on a CPU %.1f ms, waiting for one %.1f ms, blocked %.1f ms\n",
              opt_preset ? opt_preset : "destexhe-adex", wall_s, sim_s, sim_s / wall_s, b->frames,
              b->frames / wall_s, median, p99, b->worst_frame_us * 1e-3,
              sw_live_hub_take_worst_frame_us (b->hub) * 1e-3,
              sw_raster_view_get_uses_gl (SW_RASTER_VIEW (b->raster)) ? "GL" : "cairo",
              sw_raster_view_get_stride (SW_RASTER_VIEW (b->raster)), apply_mean, apply_worst,
              b->apply_ms->len, screen_mean, screen_worst, b->slow_frames, b->slow_cpu_ms,
              b->slow_wait_ms, b->slow_blocked_ms, b->worst_cpu_ms, b->worst_wait_ms,
              b->worst_blocked_ms);
  g_print ("{\"preset\":\"%s\",\"wall_s\":%.3f,\"sim_s\":%.3f,\"real_time_factor\":%.3f,"
           "\"frames\":%" G_GUINT64_FORMAT ",\"fps\":%.2f,\"frame_median_ms\":%.2f,\"frame_p99_ms\":%.2f,"
           "\"frame_worst_ms\":%.2f,\"raster_gl\":%s,\"slider_apply_mean_ms\":%.2f,"
           "\"slider_apply_worst_ms\":%.2f,\"slider_screen_mean_ms\":%.2f,\"slider_screen_worst_ms\":%.2f,"
           "\"slow_frames\":%" G_GUINT64_FORMAT ",\"slow_cpu_ms\":%.1f,\"slow_runqueue_ms\":%.1f,"
           "\"slow_blocked_ms\":%.1f,\"worst_cpu_ms\":%.1f,\"worst_runqueue_ms\":%.1f,"
           "\"worst_blocked_ms\":%.1f}\n",
           opt_preset ? opt_preset : "destexhe-adex", wall_s, sim_s, sim_s / wall_s, b->frames,
           b->frames / wall_s, median, p99, b->worst_frame_us * 1e-3,
           sw_raster_view_get_uses_gl (SW_RASTER_VIEW (b->raster)) ? "true" : "false", apply_mean,
           apply_worst, screen_mean, screen_worst, b->slow_frames, b->slow_cpu_ms, b->slow_wait_ms,
           b->slow_blocked_ms, b->worst_cpu_ms, b->worst_wait_ms, b->worst_blocked_ms);
  g_signal_handlers_disconnect_by_data (b->hub, b);
  g_signal_handlers_disconnect_by_data (b->runner, b);
  gtk_window_destroy (GTK_WINDOW (b->window));
  return G_SOURCE_REMOVE;
}

static GtkWidget *
framed (GtkWidget *child)
{
  GtkWidget *frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (frame), child);
  return frame;
}

static void
activate_cb (GtkApplication *app, Bench *b)
{
  g_autoptr (GError) error = NULL;

  b->doc = sw_document_load_preset (opt_preset ? opt_preset : "destexhe-adex", &error);
  if (b->doc == NULL || sw_document_find_variable (b->doc, "b") < 0)
    {
      g_printerr ("%s\n", error ? error->message : "the preset has no variable b");
      return;
    }
  SwNetSpec *spec = sw_document_build_spec (b->doc, &error);
  g_assert_no_error (error);
  const SwNeuronType *type = spec->pops[0].type;
  b->b_index = sw_param_find (type->params, type->n_params, "b");

  b->runner = sw_runner_new ();
  b->hub = sw_live_hub_new (b->runner);
  sw_runner_set_threads (b->runner, opt_threads);
  sw_runner_set_speed (b->runner, opt_speed);
  sw_runner_set_spec (b->runner, spec);
  sw_net_spec_free (spec);
  sw_runner_run (b->runner);

  b->raster = sw_raster_view_new ();
  GtkWidget *rates = sw_rates_view_new ();
  GtkWidget *traces = sw_trace_view_new ();
  sw_raster_view_set_use_gl (SW_RASTER_VIEW (b->raster), !opt_no_gl);
  sw_live_hub_add_view (b->hub, b->raster);
  sw_live_hub_add_view (b->hub, rates);
  sw_live_hub_add_view (b->hub, traces);
  g_signal_connect (b->hub, "updated", G_CALLBACK (updated_cb), b);
  g_signal_connect (b->runner, "notify::time-ms", G_CALLBACK (runner_notify_cb), b);

  b->scale = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0, 150, 1);
  gtk_range_set_value (GTK_RANGE (b->scale), 30);
  g_signal_connect (b->scale, "value-changed", G_CALLBACK (value_changed_cb), b);

  GtkWidget *grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 6);
  gtk_grid_attach (GTK_GRID (grid), framed (b->raster), 0, 0, 2, 1);
  gtk_grid_attach (GTK_GRID (grid), framed (rates), 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), framed (traces), 1, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), b->scale, 0, 2, 2, 1);

  b->window = adw_application_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (b->window), 1200, 860);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (b->window), grid);
  g_signal_connect (b->window, "map", G_CALLBACK (map_cb), b);
  gtk_window_present (GTK_WINDOW (b->window));

  /* Measure after the build and the first second. */
  g_timeout_add (1500, start_cb, b);
  g_timeout_add (2000, move_slider_cb, b);
  g_timeout_add ((guint) ((1.5 + opt_seconds) * 1000), stop_cb, b);
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new ("— the live views under load");
  g_autoptr (GError) error = NULL;
  Bench b = { 0 };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  b.frame_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  b.apply_ms = g_array_new (FALSE, FALSE, sizeof (double));
  b.screen_ms = g_array_new (FALSE, FALSE, sizeof (double));

  g_autoptr (AdwApplication) app = adw_application_new ("io.github.spikeworks.LiveBench",
                                                         G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), &b);
  int status = g_application_run (G_APPLICATION (app), 0, NULL);
  g_clear_object (&b.hub);
  g_clear_object (&b.runner);
  g_clear_pointer (&b.doc, sw_document_free);
  g_array_unref (b.frame_us);
  g_array_unref (b.apply_ms);
  g_array_unref (b.screen_ms);
  return status;
}
