/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * live-demo: a window with the three live views (raster, rates, traces) on
 * a running preset, for looking at them and for screenshots under Xvfb.
 * Not part of the application: the workbench's window does this for real.
 *
 *   live-demo [--preset NAME] [--speed X] [--quit-after S] [--no-gl]
 *             [--dark] [--presentation] [--export DIR]
 *
 * Clicking a neuron in the raster adds its trace.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sw-document.h"
#include "sw-live-hub.h"
#include "sw-raster-view.h"
#include "sw-rates-view.h"
#include "sw-runner.h"
#include "sw-trace-view.h"

static char *opt_preset = NULL;
static double opt_speed = 1.0;
static double opt_quit_after = 0.0;
static gboolean opt_no_gl = FALSE;
static gboolean opt_dark = FALSE;
static gboolean opt_presentation = FALSE;
static char *opt_export = NULL;

static const GOptionEntry entries[] = {
  { "preset", 0, 0, G_OPTION_ARG_STRING, &opt_preset, "Preset to run", "NAME" },
  { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &opt_speed, "Real-time factor (0: flat out)", "X" },
  { "quit-after", 0, 0, G_OPTION_ARG_DOUBLE, &opt_quit_after, "Quit after this many seconds", "S" },
  { "no-gl", 0, 0, G_OPTION_ARG_NONE, &opt_no_gl, "Draw the raster with cairo", NULL },
  { "dark", 0, 0, G_OPTION_ARG_NONE, &opt_dark, "Dark style", NULL },
  { "presentation", 0, 0, G_OPTION_ARG_NONE, &opt_presentation, "Presentation mode", NULL },
  { "export", 0, 0, G_OPTION_ARG_FILENAME, &opt_export, "Export every view into DIR before quitting", "DIR" },
  { NULL }
};

typedef struct
{
  GtkWidget *window;
  SwRunner *runner;
  SwLiveHub *hub;
  GtkWidget *raster, *rates, *traces;
  GtkWidget *status;
} Demo;

static void
neuron_activated_cb (SwRasterView *raster, int pop, int neuron, Demo *demo)
{
  sw_trace_view_add_neuron (SW_TRACE_VIEW (demo->traces), pop, neuron);
}

static void
updated_cb (SwLiveHub *hub, Demo *demo)
{
  char text[128];
  g_snprintf (text, sizeof text, "t = %.2f s   %.2f× real time", sw_runner_get_time_ms (demo->runner) * 1e-3,
              sw_runner_get_real_time_factor (demo->runner));
  gtk_label_set_text (GTK_LABEL (demo->status), text);
}

static void
failed_cb (SwRunner *runner, const char *message, Demo *demo)
{
  g_printerr ("failed: %s\n", message);
}

static void
export_all (Demo *demo)
{
  static const char *const exts[] = { "png", "svg", "pdf", "csv" };
  g_mkdir_with_parents (opt_export, 0755);
  for (guint k = 0; k < G_N_ELEMENTS (exts); k++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *a = g_strdup_printf ("%s/raster.%s", opt_export, exts[k]);
      g_autofree char *b = g_strdup_printf ("%s/rates.%s", opt_export, exts[k]);
      g_autofree char *c = g_strdup_printf ("%s/traces.%s", opt_export, exts[k]);
      if (!sw_raster_view_export (SW_RASTER_VIEW (demo->raster), a, &error)
          || !sw_rates_view_export (SW_RATES_VIEW (demo->rates), b, &error)
          || !sw_trace_view_export (SW_TRACE_VIEW (demo->traces), c, &error))
        g_printerr ("export: %s\n", error->message);
    }
}

static gboolean
quit_cb (gpointer data)
{
  Demo *demo = data;
  g_print ("raster: %s\nrates: %s\ntraces: %s\nraster uses GL: %s, stride %d\n",
           sw_raster_view_get_summary (SW_RASTER_VIEW (demo->raster)),
           sw_rates_view_get_summary (SW_RATES_VIEW (demo->rates)),
           sw_trace_view_get_summary (SW_TRACE_VIEW (demo->traces)),
           sw_raster_view_get_uses_gl (SW_RASTER_VIEW (demo->raster)) ? "yes" : "no",
           sw_raster_view_get_stride (SW_RASTER_VIEW (demo->raster)));
  if (opt_export != NULL)
    export_all (demo);
  g_signal_handlers_disconnect_by_data (demo->hub, demo);
  gtk_window_destroy (GTK_WINDOW (demo->window));
  return G_SOURCE_REMOVE;
}

static GtkWidget *
framed (GtkWidget *child)
{
  GtkWidget *frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (frame), child);
  gtk_widget_add_css_class (frame, "view");
  return frame;
}

static void
activate_cb (GtkApplication *app, Demo *demo)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SwDocument) doc = sw_document_load_preset (opt_preset ? opt_preset : "destexhe-adex", &error);
  if (doc == NULL)
    {
      g_printerr ("%s\n", error->message);
      return;
    }
  SwNetSpec *spec = sw_document_build_spec (doc, &error);
  if (spec == NULL)
    {
      g_printerr ("%s\n", error->message);
      return;
    }
  if (opt_dark)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);

  demo->runner = sw_runner_new ();
  demo->hub = sw_live_hub_new (demo->runner);
  g_signal_connect (demo->runner, "failed", G_CALLBACK (failed_cb), demo);
  sw_runner_set_speed (demo->runner, opt_speed);
  sw_runner_set_spec (demo->runner, spec);
  sw_net_spec_free (spec);
  sw_runner_run (demo->runner);

  demo->raster = sw_raster_view_new ();
  demo->rates = sw_rates_view_new ();
  demo->traces = sw_trace_view_new ();
  sw_raster_view_set_use_gl (SW_RASTER_VIEW (demo->raster), !opt_no_gl);
  g_object_set (demo->raster, "presentation", opt_presentation, NULL);
  g_object_set (demo->rates, "presentation", opt_presentation, NULL);
  g_object_set (demo->traces, "presentation", opt_presentation, NULL);
  sw_live_hub_add_view (demo->hub, demo->raster);
  sw_live_hub_add_view (demo->hub, demo->rates);
  sw_live_hub_add_view (demo->hub, demo->traces);
  g_signal_connect (demo->raster, "neuron-activated", G_CALLBACK (neuron_activated_cb), demo);
  g_signal_connect (demo->hub, "updated", G_CALLBACK (updated_cb), demo);

  GtkWidget *grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 6);
  gtk_widget_set_margin_start (grid, 6);
  gtk_widget_set_margin_end (grid, 6);
  gtk_widget_set_margin_top (grid, 6);
  gtk_widget_set_margin_bottom (grid, 6);
  gtk_grid_attach (GTK_GRID (grid), framed (demo->raster), 0, 0, 2, 1);
  gtk_grid_attach (GTK_GRID (grid), framed (demo->rates), 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), framed (demo->traces), 1, 1, 1, 1);
  demo->status = gtk_label_new ("");
  gtk_widget_add_css_class (demo->status, "numeric");
  gtk_widget_set_halign (demo->status, GTK_ALIGN_START);
  gtk_grid_attach (GTK_GRID (grid), demo->status, 0, 2, 2, 1);

  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), grid);

  demo->window = adw_application_window_new (app);
  gtk_window_set_title (GTK_WINDOW (demo->window), "Spikeworks live views");
  gtk_window_set_default_size (GTK_WINDOW (demo->window), 1200, 860);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (demo->window), box);
  gtk_window_present (GTK_WINDOW (demo->window));

  if (opt_quit_after > 0)
    g_timeout_add ((guint) (opt_quit_after * 1000), quit_cb, demo);
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) context = g_option_context_new ("— the live views on a running preset");
  g_autoptr (GError) error = NULL;
  Demo demo = { 0 };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  g_autoptr (AdwApplication) app = adw_application_new ("io.github.spikeworks.LiveDemo",
                                                         G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), &demo);
  int status = g_application_run (G_APPLICATION (app), 0, NULL);
  g_clear_object (&demo.hub);
  g_clear_object (&demo.runner);
  return status;
}
