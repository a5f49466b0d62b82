/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tests of the live hub and views (src/gui/live): the hub drains the rings
 * and fans the data out (every spike once, counts that match), the three
 * views show a running network in a window, summaries for assistive
 * technology, neuron picking, exports in every format, the cairo fallback of
 * the raster draws marks, rebuilds clear the views, and everything is
 * finalized.  Needs a display (Xvfb in CI).
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "sw-document.h"
#include "sw-live-hub.h"
#include "sw-live-view.h"
#include "sw-raster-view.h"
#include "sw-rates-view.h"
#include "sw-runner.h"
#include "sw-trace-view.h"

#define POP_E 0
#define POP_I 1

/* --- a view that counts what it is given ---------------------------------- */

#define TEST_TYPE_COUNT_VIEW (test_count_view_get_type ())
G_DECLARE_FINAL_TYPE (TestCountView, test_count_view, TEST, COUNT_VIEW, GtkWidget)

struct _TestCountView
{
  GtkWidget parent_instance;
  SwLiveHub *hub;
  guint64 spikes[8];
  guint64 binned[8];
  gint64 next_bin;
  gboolean out_of_order;
  int clears;
  int frames;
};

static void test_count_view_iface_init (SwLiveViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestCountView, test_count_view, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (SW_TYPE_LIVE_VIEW, test_count_view_iface_init))

static void
count_bind (SwLiveView *view, SwLiveHub *hub)
{
  TEST_COUNT_VIEW (view)->hub = hub;
}

static void
count_clear (SwLiveView *view)
{
  TestCountView *self = TEST_COUNT_VIEW (view);
  memset (self->spikes, 0, sizeof self->spikes);
  memset (self->binned, 0, sizeof self->binned);
  self->next_bin = 0;
  self->clears++;
}

static void
count_spikes (SwLiveView *view, const SwSpike *spikes, guint n)
{
  TestCountView *self = TEST_COUNT_VIEW (view);
  for (guint k = 0; k < n; k++)
    self->spikes[spikes[k].pop]++;
}

static void
count_rates (SwLiveView *view, gint64 first_bin, const guint32 *counts, guint n_bins, int n_pops)
{
  TestCountView *self = TEST_COUNT_VIEW (view);
  if (first_bin != self->next_bin)
    self->out_of_order = TRUE;
  for (guint k = 0; k < n_bins; k++)
    for (int p = 0; p < n_pops && p < 8; p++)
      self->binned[p] += counts[k * n_pops + p];
  self->next_bin = first_bin + n_bins;
}

static void
count_frame (SwLiveView *view)
{
  TEST_COUNT_VIEW (view)->frames++;
}

static void
test_count_view_iface_init (SwLiveViewInterface *iface)
{
  iface->bind = count_bind;
  iface->clear = count_clear;
  iface->spikes = count_spikes;
  iface->rates = count_rates;
  iface->frame = count_frame;
}

static void
test_count_view_class_init (TestCountViewClass *klass)
{
}

static void
test_count_view_init (TestCountView *self)
{
}

/* --- helpers ---------------------------------------------------------------- */

static SwDocument *
small_document (void)
{
  g_autoptr (GError) error = NULL;
  SwDocument *doc = sw_document_load_preset ("destexhe-adex", &error);
  static const char *const sets[] = {
    "E.n=800", "I.n=200", "ext.n=800", "EE.p=0.5", "EI.p=0.5", "IE.p=0.5",
    "II.p=0.5", "extE.p=0.5", "extI.p=0.5", "simulation.threads=1",
  };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (sets); i++)
    {
      sw_document_set (doc, sets[i], NULL, &error);
      g_assert_no_error (error);
    }
  return doc;
}

static SwNetSpec *
build_spec (SwDocument *doc)
{
  g_autoptr (GError) error = NULL;
  SwNetSpec *spec = sw_document_build_spec (doc, &error);
  g_assert_no_error (error);
  return spec;
}

/* Iterates the main loop until the runner's time reaches @ms. */
static void
run_until (SwRunner *runner, double ms)
{
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (sw_runner_get_time_ms (runner) < ms)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}

static void
iterate_for (double seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}

static void
wait_state (SwRunner *runner, SwRunnerState state)
{
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (sw_runner_get_state (runner) != state)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}

static void
assert_finalize (gpointer object)
{
  gpointer weak = object;
  g_object_add_weak_pointer (G_OBJECT (object), &weak);
  g_object_unref (object);
  g_assert_null (weak);
}

/* --- tests ------------------------------------------------------------------ */

static void
test_hub_counts (void)
{
  g_autoptr (SwDocument) doc = small_document ();
  SwNetSpec *spec = build_spec (doc);
  SwRunner *runner = sw_runner_new ();
  SwLiveHub *hub = sw_live_hub_new (runner);
  GtkWidget *view = g_object_ref_sink (g_object_new (TEST_TYPE_COUNT_VIEW, NULL));
  TestCountView *cv = TEST_COUNT_VIEW (view);

  /* Not on screen: the hub's timeout drains, and sw_live_hub_drain(). */
  sw_live_hub_add_view (hub, view);
  g_assert_true (cv->hub == hub);
  g_assert_true (isnan (sw_live_hub_get_rate_hz (hub, POP_E, 1000)));  /* no network yet */
  sw_runner_set_spec (runner, spec);
  sw_runner_run (runner);
  run_until (runner, 1500.0);
  sw_runner_pause (runner);
  wait_state (runner, SW_RUNNER_PAUSED);
  sw_live_hub_drain (hub);

  g_assert_cmpint (cv->clears, ==, 1);   /* the first build */
  g_assert_false (cv->out_of_order);
  g_assert_cmpint (cv->frames, >, 0);
  g_assert_cmpfloat (sw_live_hub_get_time_ms (hub), >=, 1490.0);
  g_assert_cmpfloat (sw_live_hub_get_bin_ms (hub), ==, 1.0);
  for (int p = 0; p < 2; p++)
    {
      /* Every spike once: the views' count, the bins' count and the hub's
       * total agree (spikes after the last complete bin aside). */
      guint64 total = sw_live_hub_get_spike_count (hub, p);
      g_assert_cmpuint (total, ==, cv->binned[p]);
      g_assert_cmpuint (cv->spikes[p], >=, total);
      g_assert_cmpuint (cv->spikes[p], <=, total + 50);
      g_assert_cmpuint (total, >, 500);
    }
  double rate_e = sw_live_hub_get_rate_hz (hub, POP_E, 1000.0);
  double rate_i = sw_live_hub_get_rate_hz (hub, POP_I, 1000.0);
  g_test_message ("hub: E %.2f Hz, I %.2f Hz over the last second", rate_e, rate_i);
  g_assert_cmpfloat (rate_e, >, 0.5);
  g_assert_cmpfloat (rate_e, <, 10.0);
  g_assert_cmpfloat (rate_i, >, rate_e);
  g_assert_true (isnan (sw_live_hub_get_rate_hz (hub, 7, 1000.0)));
  /* A short window is the mean over its bins. */
  guint32 bins[100];
  gint64 first;
  g_assert_cmpuint (sw_live_hub_copy_bins (hub, POP_E, 100, bins, &first), ==, 100);
  guint64 sum = 0;
  for (int k = 0; k < 100; k++)
    sum += bins[k];
  g_assert_cmpfloat (fabs (sw_live_hub_get_rate_hz (hub, POP_E, 100.0) - sum / 800.0 / 0.1), <, 1e-9);

  /* A reset starts over: views cleared, statistics from zero. */
  sw_runner_reset (runner);
  while (cv->clears < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (sw_live_hub_get_spike_count (hub, POP_E), ==, 0);
  g_assert_cmpfloat (sw_live_hub_get_time_ms (hub), ==, 0.0);

  sw_live_hub_remove_view (hub, view);
  g_assert_null (cv->hub);
  assert_finalize (view);
  assert_finalize (hub);
  assert_finalize (runner);
  sw_net_spec_free (spec);
}

typedef struct
{
  GtkWidget *window;
  SwRunner *runner;
  SwLiveHub *hub;
  GtkWidget *raster, *rates, *traces;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  gboolean use_gl = GPOINTER_TO_INT (data);
  g_autoptr (SwDocument) doc = small_document ();
  SwNetSpec *spec = build_spec (doc);

  f->runner = sw_runner_new ();
  f->hub = sw_live_hub_new (f->runner);
  f->raster = sw_raster_view_new ();
  f->rates = sw_rates_view_new ();
  f->traces = sw_trace_view_new ();
  sw_raster_view_set_use_gl (SW_RASTER_VIEW (f->raster), use_gl);
  sw_live_hub_add_view (f->hub, f->raster);
  sw_live_hub_add_view (f->hub, f->rates);
  sw_live_hub_add_view (f->hub, f->traces);

  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), f->raster);
  gtk_box_append (GTK_BOX (box), f->rates);
  gtk_box_append (GTK_BOX (box), f->traces);
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 640, 900);
  gtk_window_set_child (GTK_WINDOW (f->window), box);
  gtk_window_present (GTK_WINDOW (f->window));

  sw_runner_set_spec (f->runner, spec);
  sw_net_spec_free (spec);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  gpointer raster = f->raster, rates = f->rates, traces = f->traces;
  g_object_add_weak_pointer (raster, &raster);
  g_object_add_weak_pointer (rates, &rates);
  g_object_add_weak_pointer (traces, &traces);
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (raster);
  g_assert_null (rates);
  g_assert_null (traces);
  assert_finalize (f->hub);
  assert_finalize (f->runner);
}

static void
pick_cb (SwRasterView *raster, int pop, int neuron, int *out)
{
  out[0] = pop;
  out[1] = neuron;
}

static void
test_window (Fixture *f, gconstpointer data)
{
  sw_runner_run (f->runner);
  run_until (f->runner, 1200.0);
  /* Summaries refresh twice a second. */
  iterate_for (0.7);

  /* The summaries name the populations and their rates. */
  const char *summary = sw_raster_view_get_summary (SW_RASTER_VIEW (f->raster));
  g_test_message ("raster: %s", summary);
  g_assert_nonnull (strstr (summary, "E: "));
  g_assert_nonnull (strstr (summary, " Hz"));
  g_assert_nonnull (strstr (summary, "spikes in all"));
  /* What assistive technology gets: a picture with a label and the
   * summary as its description. */
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (f->raster), GTK_ACCESSIBLE_ROLE_IMG);
  g_autofree char *check = gtk_test_accessible_check_property (GTK_ACCESSIBLE (f->raster),
                                                               GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                               summary);
  g_assert_null (check);
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (f->raster),
                                                   GTK_ACCESSIBLE_PROPERTY_LABEL));
  summary = sw_rates_view_get_summary (SW_RATES_VIEW (f->rates));
  g_test_message ("rates: %s", summary);
  g_assert_nonnull (strstr (summary, "I: "));
  summary = sw_trace_view_get_summary (SW_TRACE_VIEW (f->traces));
  g_test_message ("traces: %s", summary);
  g_assert_nonnull (strstr (summary, "E neuron 0: "));
  g_assert_nonnull (strstr (summary, " mV"));
  g_test_message ("raster draws with %s, every %d-th neuron",
                  sw_raster_view_get_uses_gl (SW_RASTER_VIEW (f->raster)) ? "GL" : "cairo",
                  sw_raster_view_get_stride (SW_RASTER_VIEW (f->raster)));
  if (!GPOINTER_TO_INT (data))
    g_assert_false (sw_raster_view_get_uses_gl (SW_RASTER_VIEW (f->raster)));

  /* 1000 neurons in about 250 rows: a spread sample. */
  int stride = sw_raster_view_get_stride (SW_RASTER_VIEW (f->raster));
  g_assert_cmpint (stride, >=, 1);
  int h = gtk_widget_get_height (f->raster);
  g_assert_cmpint (1000 / stride, <=, h);

  /* Picking: the top of the plot is I, the bottom E; the neuron is one of
   * the sample. */
  int w = gtk_widget_get_width (f->raster);
  int pop = -1, neuron = -1;
  g_assert_true (sw_raster_view_neuron_at (SW_RASTER_VIEW (f->raster), w * 0.6, h * 0.15, &pop, &neuron));
  g_assert_cmpint (pop, ==, POP_I);
  g_assert_cmpint (neuron % stride, ==, 0);
  g_assert_true (sw_raster_view_neuron_at (SW_RASTER_VIEW (f->raster), w * 0.6, h * 0.6, &pop, &neuron));
  g_assert_cmpint (pop, ==, POP_E);
  g_assert_cmpint (neuron, <, 800);
  g_assert_false (sw_raster_view_neuron_at (SW_RASTER_VIEW (f->raster), 1, 1, &pop, &neuron));

  /* A pick becomes a trace (as the window wires it). */
  int picked[2] = { -1, -1 };
  g_signal_connect (f->raster, "neuron-activated", G_CALLBACK (pick_cb), picked);
  g_signal_emit_by_name (f->raster, "neuron-activated", POP_E, 40);
  g_assert_cmpint (picked[1], ==, 40);
  g_assert_cmpuint (sw_trace_view_get_n_traces (SW_TRACE_VIEW (f->traces)), ==, 2);
  g_assert_true (sw_trace_view_add_neuron (SW_TRACE_VIEW (f->traces), POP_E, 40));
  g_assert_false (sw_trace_view_add_neuron (SW_TRACE_VIEW (f->traces), POP_E, 40));
  /* The user's choice replaces the automatic one. */
  g_assert_cmpuint (sw_trace_view_get_n_traces (SW_TRACE_VIEW (f->traces)), ==, 1);
  for (int k = 1; k <= 5; k++)
    sw_trace_view_add_neuron (SW_TRACE_VIEW (f->traces), POP_I, k);
  g_assert_cmpuint (sw_trace_view_get_n_traces (SW_TRACE_VIEW (f->traces)), ==, SW_TRACE_VIEW_MAX_TRACES);
  double t = sw_runner_get_time_ms (f->runner);
  run_until (f->runner, t + 300.0);
  iterate_for (0.6);
  summary = sw_trace_view_get_summary (SW_TRACE_VIEW (f->traces));
  g_test_message ("traces: %s", summary);
  g_assert_nonnull (strstr (summary, "I neuron 5: "));
  g_assert_null (strstr (summary, "no data"));

  /* Presentation mode asks for more room. */
  int min_before, min_after;
  gtk_widget_measure (f->rates, GTK_ORIENTATION_VERTICAL, -1, &min_before, NULL, NULL, NULL);
  g_object_set (f->rates, "presentation", TRUE, NULL);
  g_object_set (f->raster, "presentation", TRUE, NULL);
  g_object_set (f->traces, "presentation", TRUE, NULL);
  gtk_widget_measure (f->rates, GTK_ORIENTATION_VERTICAL, -1, &min_after, NULL, NULL, NULL);
  g_assert_cmpint (min_after, >, min_before);
  iterate_for (0.2);

  /* A structural change clears the views and they follow the new network. */
  g_autoptr (SwDocument) doc = small_document ();
  g_autoptr (GError) error = NULL;
  sw_document_set (doc, "I.n", "100", &error);
  g_assert_no_error (error);
  SwNetSpec *spec = build_spec (doc);
  sw_runner_set_spec (f->runner, spec);
  sw_net_spec_free (spec);
  while (sw_runner_get_spec (f->runner)->pops[POP_I].n != 100)
    g_main_context_iteration (NULL, TRUE);
  run_until (f->runner, 500.0);
  iterate_for (0.3);
  /* Neurons I 1 .. 5 still exist: the traces stay. */
  g_assert_cmpuint (sw_trace_view_get_n_traces (SW_TRACE_VIEW (f->traces)), ==, SW_TRACE_VIEW_MAX_TRACES);
  g_assert_true (sw_raster_view_neuron_at (SW_RASTER_VIEW (f->raster), w * 0.6, h * 0.12, &pop, &neuron));
  g_assert_cmpint (pop, ==, POP_I);
  g_assert_cmpint (neuron, <, 100);
}

static gboolean
has_signature (const char *path, const char *magic, gsize len)
{
  g_autofree char *contents = NULL;
  gsize size;
  if (!g_file_get_contents (path, &contents, &size, NULL))
    return FALSE;
  return size > len + 100 && memcmp (contents, magic, len) == 0;
}

static void
test_export (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp (NULL, &error);
  g_assert_no_error (error);
  g_autofree char *csv = g_build_filename (dir, "raster.csv", NULL);

  /* Nothing yet. */
  g_assert_false (sw_raster_view_export (SW_RASTER_VIEW (f->raster), csv, &error));
  g_assert_error (error, SW_LIVE_ERROR, SW_LIVE_ERROR_EMPTY);
  g_clear_error (&error);

  sw_runner_run (f->runner);
  run_until (f->runner, 1000.0);
  sw_runner_pause (f->runner);
  iterate_for (0.3);

  static const struct
  {
    const char *ext, *magic;
  } formats[] = {
    { "png", "\x89PNG" }, { "svg", "<?xml" }, { "pdf", "%PDF" }, { "CSV", NULL },
  };
  static const char *const names[] = { "raster", "rates", "traces" };
  static const char *const headers[] = { "time_ms,population,neuron\n", "time_ms,E_hz,I_hz\n",
                                         "time_ms,E_0_v_mV,I_0_v_mV\n" };
  for (guint v = 0; v < 3; v++)
    for (guint k = 0; k < G_N_ELEMENTS (formats); k++)
      {
        g_autofree char *name = g_strdup_printf ("%s.%s", names[v], formats[k].ext);
        g_autofree char *path = g_build_filename (dir, name, NULL);
        gboolean ok = v == 0   ? sw_raster_view_export (SW_RASTER_VIEW (f->raster), path, &error)
                      : v == 1 ? sw_rates_view_export (SW_RATES_VIEW (f->rates), path, &error)
                               : sw_trace_view_export (SW_TRACE_VIEW (f->traces), path, &error);
        g_assert_no_error (error);
        g_assert_true (ok);
        if (formats[k].magic != NULL)
          g_assert_true (has_signature (path, formats[k].magic, strlen (formats[k].magic)));
        else
          {
            g_autofree char *contents = NULL;
            g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
            g_assert_true (g_str_has_prefix (contents, headers[v]));
            /* Numbers in the C locale, one row per record. */
            g_auto (GStrv) lines = g_strsplit (contents, "\n", -1);
            g_assert_cmpuint (g_strv_length (lines), >, 100);
            g_assert_null (strchr (lines[1], ';'));
          }
        g_remove (path);
      }

  /* A name without a known extension. */
  g_autofree char *bad = g_build_filename (dir, "raster.jpeg", NULL);
  g_assert_false (sw_rates_view_export (SW_RATES_VIEW (f->rates), bad, &error));
  g_assert_error (error, SW_LIVE_ERROR, SW_LIVE_ERROR_FORMAT);
  g_clear_error (&error);
  /* A folder that does not exist. */
  g_autofree char *missing = g_build_filename (dir, "no", "such", "raster.png", NULL);
  g_assert_false (sw_raster_view_export (SW_RASTER_VIEW (f->raster), missing, &error));
  g_assert_error (error, SW_LIVE_ERROR, SW_LIVE_ERROR_WRITE);
  g_test_message ("%s", error->message);
  g_rmdir (dir);
}

/* Renders @widget with the cairo renderer and counts the pixels close to
 * @c inside its top half and bottom half. */
static void
count_colour (GtkWidget *window, GtkWidget *widget, const GdkRGBA *c, guint *top, guint *bottom)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  g_autoptr (GskRenderNode) node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  g_autoptr (GskRenderer) renderer = gsk_cairo_renderer_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (gsk_renderer_realize (renderer, gtk_native_get_surface (GTK_NATIVE (window)), &error));
  g_autoptr (GdkTexture) texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  gsk_renderer_unrealize (renderer);

  gsize stride = 4 * (gsize) w;
  g_autofree guchar *px = g_malloc (stride * h);
  gdk_texture_download (texture, px, stride);
  *top = *bottom = 0;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        /* Cairo's ARGB32 in memory: B G R A. */
        const guchar *p = px + y * stride + 4 * x;
        if (fabs (p[2] / 255.0 - c->red) < 0.08 && fabs (p[1] / 255.0 - c->green) < 0.08
            && fabs (p[0] / 255.0 - c->blue) < 0.08 && p[3] > 200)
          (y < h / 2 ? (*top)++ : (*bottom)++);
      }
}

static void
test_raster_cairo (Fixture *f, gconstpointer data)
{
  GtkStyleContext *style = gtk_widget_get_style_context (f->raster);
  GdkRGBA e, i;
  guint top, bottom;

  g_assert_false (sw_raster_view_get_uses_gl (SW_RASTER_VIEW (f->raster)));
  g_assert_true (gtk_style_context_lookup_color (style, "accent_color", &e));
  g_assert_true (gtk_style_context_lookup_color (style, "error_color", &i));

  /* Empty before the run. */
  iterate_for (0.2);
  count_colour (f->window, f->raster, &e, &top, &bottom);
  g_assert_cmpuint (top + bottom, <, 50);  /* only the legend's marker */

  sw_runner_run (f->runner);
  run_until (f->runner, 800.0);
  sw_runner_pause (f->runner);
  iterate_for (0.3);

  /* Excitatory marks fill the bottom 80 %, inhibitory ones the top. */
  count_colour (f->window, f->raster, &e, &top, &bottom);
  g_test_message ("E-coloured pixels: %u top, %u bottom", top, bottom);
  g_assert_cmpuint (bottom, >, 300);
  count_colour (f->window, f->raster, &i, &top, &bottom);
  g_test_message ("I-coloured pixels: %u top, %u bottom", top, bottom);
  g_assert_cmpuint (top, >, 100);
  g_assert_cmpuint (top, >, 5 * bottom);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/gui-live/hub/counts", test_hub_counts);
  g_test_add ("/gui-live/views/window", Fixture, GINT_TO_POINTER (TRUE), fixture_setup, test_window,
              fixture_teardown);
  g_test_add ("/gui-live/views/window-cairo", Fixture, GINT_TO_POINTER (FALSE), fixture_setup,
              test_window, fixture_teardown);
  g_test_add ("/gui-live/views/export", Fixture, GINT_TO_POINTER (TRUE), fixture_setup, test_export,
              fixture_teardown);
  g_test_add ("/gui-live/views/raster-cairo", Fixture, GINT_TO_POINTER (FALSE), fixture_setup,
              test_raster_cairo, fixture_teardown);
  return g_test_run ();
}
