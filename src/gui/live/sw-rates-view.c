/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwRatesView: population rates and their spectrum (see sw-rates-view.h).
 *
 * The view keeps no copy of the rates: the hub holds the last 10 s of bins
 * and the view asks for the window it shows when it draws.  The spectrum is
 * recomputed at most four times a second (it changes slowly, and Welch over
 * 2 s of bins costs more than a frame should).  Drawing goes through the
 * plotting library, so the widget and an export show the same figure.
 */
#define G_LOG_DOMAIN "Spikeworks-Live"

#include "config.h"

#include "sw-rates-view.h"

#include "sw-analysis.h"
#include "sw-live-hub.h"
#include "sw-live-view.h"

#include <glib/gi18n.h>
#include <math.h>

#define SMOOTH_MS 5.0
#define SPECTRUM_MS 2048.0
#define SPECTRUM_SEG 256
#define SPECTRUM_INTERVAL_US 250000
#define SUMMARY_INTERVAL_US 500000
#define REDRAW_INTERVAL_US 30000
#define MAX_FREQ_HZ 200.0

typedef struct
{
  int pop;
  double *psd;
} Spectrum;

struct _SwRatesView
{
  GtkWidget parent_instance;

  SwLiveHub *hub;            /* not owned */
  double window_s;
  gboolean presentation;

  SwFigure *fig;
  gboolean fig_wide;         /* panels side by side rather than stacked */
  gboolean dirty;

  double *freq;
  size_t n_freq;
  GArray *spectra;           /* Spectrum */
  gint64 last_spectrum_us;

  char *summary;
  gint64 last_summary_us;
  gint64 last_draw_us;
};

static void sw_rates_view_live_view_init (SwLiveViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SwRatesView, sw_rates_view, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (SW_TYPE_LIVE_VIEW,
                                                      sw_rates_view_live_view_init))

enum
{
  PROP_0,
  PROP_WINDOW,
  PROP_PRESENTATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
clear_spectra (SwRatesView *self)
{
  for (guint i = 0; i < self->spectra->len; i++)
    g_free (g_array_index (self->spectra, Spectrum, i).psd);
  g_array_set_size (self->spectra, 0);
  g_clear_pointer (&self->freq, g_free);
  self->n_freq = 0;
}

/* Spike counts of @pop over the last @ms as a rate in Hz per bin of the
 * hub; returns the number of bins (0 without data). */
static guint
pop_rate (SwRatesView *self, int pop, double ms, double **out, gint64 *first_bin)
{
  const SwNetSpec *spec = sw_live_hub_get_spec (self->hub);
  double bin_ms = sw_live_hub_get_bin_ms (self->hub);
  guint want = (guint) ceil (ms / bin_ms);
  g_autofree guint32 *counts = g_new (guint32, want);
  guint n = sw_live_hub_copy_bins (self->hub, pop, want, counts, first_bin);
  double *rate = g_new (double, MAX (n, 1));
  double scale = 1.0 / (spec->pops[pop].n * bin_ms * 1e-3);

  for (guint k = 0; k < n; k++)
    rate[k] = counts[k] * scale;
  *out = rate;
  return n;
}

static void
update_spectra (SwRatesView *self)
{
  const SwNetSpec *spec = self->hub != NULL ? sw_live_hub_get_spec (self->hub) : NULL;

  clear_spectra (self);
  if (spec == NULL)
    return;
  double fs = 1000.0 / sw_live_hub_get_bin_ms (self->hub);
  for (int p = 0; p < spec->n_pops && p < sw_live_hub_get_n_pops (self->hub); p++)
    {
      if (spec->pops[p].kind != SW_POP_NEURONS)
        continue;
      g_autofree double *rate = NULL;
      gint64 first;
      guint n = pop_rate (self, p, SPECTRUM_MS, &rate, &first);
      if (n < SPECTRUM_SEG)
        continue;
      size_t nf = sw_welch (rate, n, fs, SPECTRUM_SEG, NULL, NULL);
      if (self->freq == NULL)
        {
          self->freq = g_new (double, nf);
          self->n_freq = nf;
        }
      Spectrum s = { p, g_new (double, nf) };
      sw_welch (rate, n, fs, SPECTRUM_SEG, self->freq, s.psd);
      g_array_append_val (self->spectra, s);
    }
}

static void
pop_style (const SwPopSpec *pop, const SwRgba *e, const SwRgba *i, SwStyle *style)
{
  *style = (SwStyle) { 0 };
  style->colour = pop->inhibitory ? *i : *e;
  /* Not by colour alone: inhibitory populations are dashed. */
  style->dash = pop->inhibitory ? SW_DASH_DASHED : SW_DASH_SOLID;
}

/* Rates and spectrum side by side in a wide view, stacked otherwise: each
 * panel keeps a useful height either way. */
static gboolean
is_wide (int width, int height)
{
  return width > 1.6 * height;
}

/* Fills @fig (2 x 1, or 1 x 2 when @wide) with what the view shows. */
static void
build_figure (SwRatesView *self, SwFigure *fig, gboolean wide, const SwRgba *e, const SwRgba *i)
{
  SwPanel *top = sw_figure_panel (fig, 0, 0);
  SwPanel *bottom = wide ? sw_figure_panel (fig, 0, 1) : sw_figure_panel (fig, 1, 0);
  const SwNetSpec *spec = self->hub != NULL ? sw_live_hub_get_spec (self->hub) : NULL;

  sw_panel_clear (top);
  sw_panel_clear (bottom);
  sw_panel_set_title (top, _("Population rates"));
  sw_panel_set_x_label (top, _("Time"), "s");
  sw_panel_set_y_label (top, _("Rate"), "Hz");
  sw_panel_set_title (bottom, _("Power spectrum"));
  sw_panel_set_x_label (bottom, _("Frequency"), "Hz");
  sw_panel_set_y_label (bottom, _("Power"), "Hz²/Hz");
  sw_panel_set_y_log (bottom, TRUE);
  /* Legends at a fixed place: an automatic one would jump in and out of
   * the plot as the data move, and stacked panels' axes would stop lining
   * up.  Side by side, one legend (at the right) serves both. */
  sw_panel_set_legend (top, wide ? SW_LEGEND_NONE : SW_LEGEND_OUTSIDE);
  sw_panel_set_legend (bottom, SW_LEGEND_OUTSIDE);
  sw_panel_set_x_limits (bottom, 0.0, MAX_FREQ_HZ);

  double now_s = self->hub != NULL ? sw_live_hub_get_time_ms (self->hub) * 1e-3 : 0.0;
  double t0 = MAX (0.0, now_s - self->window_s);
  sw_panel_set_x_limits (top, t0, MAX (t0 + self->window_s, now_s));
  sw_panel_set_y_limits (top, 0.0, NAN);
  if (spec == NULL)
    {
      sw_panel_set_y_limits (top, 0.0, 10.0);
      sw_panel_set_y_limits (bottom, 1e-3, 1.0);
      return;
    }

  double bin_ms = sw_live_hub_get_bin_ms (self->hub);
  int per = MAX (1, (int) lround (SMOOTH_MS / bin_ms));
  gboolean any = FALSE;

  for (int p = 0; p < spec->n_pops && p < sw_live_hub_get_n_pops (self->hub); p++)
    {
      const SwPopSpec *ps = &spec->pops[p];
      if (ps->kind != SW_POP_NEURONS)
        continue;
      g_autofree double *rate = NULL;
      gint64 first;
      guint n = pop_rate (self, p, self->window_s * 1e3 + SMOOTH_MS, &rate, &first);
      /* Sum whole groups of bins aligned to absolute bin numbers, so the
       * curve does not shimmer as it scrolls. */
      g_autofree double *xs = g_new (double, n / per + 2);
      g_autofree double *ys = g_new (double, n / per + 2);
      guint m = 0;
      gint64 k = 0;
      while (k < n && (first + k) % per != 0)
        k++;
      for (; k + per <= n; k += per)
        {
          double sum = 0.0;
          for (int j = 0; j < per; j++)
            sum += rate[k + j];
          xs[m] = (first + k + per * 0.5) * bin_ms * 1e-3;
          ys[m] = sum / per;
          m++;
        }
      SwStyle style;
      pop_style (ps, e, i, &style);
      sw_panel_add_line (top, xs, ys, m, ps->name, &style, NULL);
      any = any || m > 0;
    }
  if (!any)
    sw_panel_set_y_limits (top, 0.0, 10.0);

  for (guint s = 0; s < self->spectra->len; s++)
    {
      Spectrum *sp = &g_array_index (self->spectra, Spectrum, s);
      if (sp->pop >= spec->n_pops)
        continue;
      SwStyle style;
      pop_style (&spec->pops[sp->pop], e, i, &style);
      /* Skip f = 0 (the mean is removed) and what lies past the axis. */
      size_t n = 0;
      while (n < self->n_freq && self->freq[n] <= MAX_FREQ_HZ)
        n++;
      if (n > 1)
        sw_panel_add_line (bottom, self->freq + 1, sp->psd + 1, n - 1, spec->pops[sp->pop].name,
                           &style, NULL);
    }
  if (self->spectra->len == 0)
    sw_panel_set_y_limits (bottom, 1e-3, 1.0);
  else
    sw_panel_set_y_limits (bottom, NAN, NAN);
}

static void
update_summary (SwRatesView *self)
{
  const SwNetSpec *spec = self->hub != NULL ? sw_live_hub_get_spec (self->hub) : NULL;
  GString *s = g_string_new (NULL);
  guint64 total = 0;

  if (spec == NULL)
    g_string_append (s, _("No network is running."));
  else
    {
      for (int p = 0; p < spec->n_pops && p < sw_live_hub_get_n_pops (self->hub); p++)
        {
          if (spec->pops[p].kind != SW_POP_NEURONS)
            continue;
          if (s->len > 0)
            g_string_append (s, ", ");
          /* Translators: a population name and its mean rate. */
          g_string_append_printf (s, _("%s: %.1f Hz"), spec->pops[p].name,
                                  sw_live_hub_get_rate_hz (self->hub, p, 1000.0));
          total += sw_live_hub_get_spike_count (self->hub, p);
        }
      g_string_append_printf (s, " %s; ", _("over the last second"));
      g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, "%" G_GUINT64_FORMAT " spike in all",
                                              "%" G_GUINT64_FORMAT " spikes in all", total),
                              total);
      g_string_append (s, ".");
    }
  if (g_strcmp0 (s->str, self->summary) != 0)
    {
      g_free (self->summary);
      self->summary = g_string_free (s, FALSE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      self->summary, -1);
    }
  else
    g_string_free (s, TRUE);
}

/* --- SwLiveView ----------------------------------------------------------- */

static void
rates_view_bind (SwLiveView *view, SwLiveHub *hub)
{
  SwRatesView *self = SW_RATES_VIEW (view);
  self->hub = hub;
  clear_spectra (self);
  self->dirty = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
rates_view_clear (SwLiveView *view)
{
  SwRatesView *self = SW_RATES_VIEW (view);
  clear_spectra (self);
  self->last_spectrum_us = 0;
  self->dirty = TRUE;
  /* Say so at the next frame, not in half a second. */
  self->last_summary_us = 0;
}

static void
rates_view_rates (SwLiveView *view, gint64 first_bin, const guint32 *counts, guint n_bins,
                  int n_pops)
{
  SW_RATES_VIEW (view)->dirty = TRUE;
}

static void
rates_view_frame (SwLiveView *view)
{
  SwRatesView *self = SW_RATES_VIEW (view);

  if (self->dirty && sw_live_due (&self->last_spectrum_us, SPECTRUM_INTERVAL_US))
    update_spectra (self);
  if (sw_live_due (&self->last_summary_us, SUMMARY_INTERVAL_US))
    update_summary (self);
  /* Line plots redraw at most 30 times a second: smooth enough, and it
   * leaves time to the raster, which scrolls at the full frame rate. */
  if (self->dirty && sw_live_due (&self->last_draw_us, REDRAW_INTERVAL_US))
    {
      self->dirty = FALSE;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
sw_rates_view_live_view_init (SwLiveViewInterface *iface)
{
  iface->bind = rates_view_bind;
  iface->clear = rates_view_clear;
  iface->rates = rates_view_rates;
  iface->frame = rates_view_frame;
}

/* --- GtkWidget ------------------------------------------------------------ */

static void
sw_rates_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  SwRatesView *self = SW_RATES_VIEW (widget);
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  SwPlotTheme theme;
  SwRgba e, i;

  if (w <= 0 || h <= 0)
    return;
  sw_live_style (widget, self->presentation, &theme, &e, &i);
  gboolean wide = is_wide (w, h);
  if (wide != self->fig_wide)
    {
      sw_figure_free (self->fig);
      self->fig = wide ? sw_figure_new (1, 2) : sw_figure_new (2, 1);
      self->fig_wide = wide;
    }
  sw_figure_set_theme (self->fig, &theme);
  build_figure (self, self->fig, wide, &e, &i);

  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  sw_figure_draw (self->fig, cr, w, h);
  cairo_destroy (cr);
}

static void
sw_rates_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
                       int *natural, int *minimum_baseline, int *natural_baseline)
{
  gboolean big = SW_RATES_VIEW (widget)->presentation;
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = big ? 360 : 240;
      *natural = big ? 640 : 480;
    }
  else
    {
      *minimum = big ? 320 : 220;
      *natural = big ? 520 : 360;
    }
}

static void
sw_rates_view_css_changed (GtkWidget *widget, GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (sw_rates_view_parent_class)->css_changed (widget, change);
  gtk_widget_queue_draw (widget);
}

static void
sw_rates_view_dispose (GObject *object)
{
  SwRatesView *self = SW_RATES_VIEW (object);

  if (self->hub != NULL)
    sw_live_hub_remove_view (self->hub, GTK_WIDGET (self));
  gtk_widget_dispose_template (GTK_WIDGET (self), SW_TYPE_RATES_VIEW);

  G_OBJECT_CLASS (sw_rates_view_parent_class)->dispose (object);
}

static void
sw_rates_view_finalize (GObject *object)
{
  SwRatesView *self = SW_RATES_VIEW (object);

  clear_spectra (self);
  g_array_unref (self->spectra);
  g_clear_pointer (&self->fig, sw_figure_free);
  g_free (self->summary);

  G_OBJECT_CLASS (sw_rates_view_parent_class)->finalize (object);
}

static void
sw_rates_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SwRatesView *self = SW_RATES_VIEW (object);

  switch (prop_id)
    {
    case PROP_WINDOW:
      g_value_set_double (value, self->window_s);
      break;
    case PROP_PRESENTATION:
      g_value_set_boolean (value, self->presentation);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sw_rates_view_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SwRatesView *self = SW_RATES_VIEW (object);

  switch (prop_id)
    {
    case PROP_WINDOW:
      sw_rates_view_set_window (self, g_value_get_double (value));
      break;
    case PROP_PRESENTATION:
      sw_rates_view_set_presentation (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sw_rates_view_class_init (SwRatesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sw_rates_view_dispose;
  object_class->finalize = sw_rates_view_finalize;
  object_class->get_property = sw_rates_view_get_property;
  object_class->set_property = sw_rates_view_set_property;
  widget_class->snapshot = sw_rates_view_snapshot;
  widget_class->measure = sw_rates_view_measure;
  widget_class->css_changed = sw_rates_view_css_changed;

  properties[PROP_WINDOW] =
    g_param_spec_double ("window", NULL, NULL, 0.2, 10.0, 2.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PRESENTATION] =
    g_param_spec_boolean ("presentation", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  sw_live_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/spikeworks/Spikeworks/live/sw-rates-view.ui");
  gtk_widget_class_set_css_name (widget_class, "swratesview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sw_rates_view_init (SwRatesView *self)
{
  self->window_s = 2.0;
  self->fig = sw_figure_new (2, 1);
  self->spectra = g_array_new (FALSE, FALSE, sizeof (Spectrum));
  gtk_widget_init_template (GTK_WIDGET (self));
  update_summary (self);
}

GtkWidget *
sw_rates_view_new (void)
{
  return g_object_new (SW_TYPE_RATES_VIEW, NULL);
}

void
sw_rates_view_set_window (SwRatesView *self, double seconds)
{
  g_return_if_fail (SW_IS_RATES_VIEW (self));

  seconds = CLAMP (seconds, 0.2, 10.0);
  if (self->window_s == seconds)
    return;
  self->window_s = seconds;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW]);
}

double
sw_rates_view_get_window (SwRatesView *self)
{
  g_return_val_if_fail (SW_IS_RATES_VIEW (self), 2.0);
  return self->window_s;
}

void
sw_rates_view_set_presentation (SwRatesView *self, gboolean presentation)
{
  g_return_if_fail (SW_IS_RATES_VIEW (self));

  presentation = !!presentation;
  if (self->presentation == presentation)
    return;
  self->presentation = presentation;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESENTATION]);
}

gboolean
sw_rates_view_get_presentation (SwRatesView *self)
{
  g_return_val_if_fail (SW_IS_RATES_VIEW (self), FALSE);
  return self->presentation;
}

const char *
sw_rates_view_get_summary (SwRatesView *self)
{
  g_return_val_if_fail (SW_IS_RATES_VIEW (self), NULL);
  return self->summary;
}

static gboolean
export_csv (SwRatesView *self, const char *path, GError **error)
{
  const SwNetSpec *spec = self->hub != NULL ? sw_live_hub_get_spec (self->hub) : NULL;
  g_autoptr (GString) csv = g_string_new ("time_ms");
  g_autoptr (GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);
  GArray *pops = g_array_new (FALSE, FALSE, sizeof (int));
  guint n = 0;
  gint64 first = 0;

  if (spec != NULL)
    for (int p = 0; p < spec->n_pops && p < sw_live_hub_get_n_pops (self->hub); p++)
      {
        if (spec->pops[p].kind != SW_POP_NEURONS)
          continue;
        double *rate = NULL;
        n = pop_rate (self, p, self->window_s * 1e3, &rate, &first);
        g_ptr_array_add (columns, rate);
        g_array_append_val (pops, p);
        g_string_append_printf (csv, ",%s_hz", spec->pops[p].name);
      }
  if (n == 0)
    {
      g_array_unref (pops);
      g_set_error (error, SW_LIVE_ERROR, SW_LIVE_ERROR_EMPTY,
                   _("There are no rates to export yet: run the network first"));
      return FALSE;
    }
  g_string_append_c (csv, '\n');
  double bin_ms = sw_live_hub_get_bin_ms (self->hub);
  for (guint k = 0; k < n; k++)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      /* The start of each bin, in the C locale whatever the user's. */
      g_string_append (csv, g_ascii_formatd (buf, sizeof buf, "%.3f", (first + k) * bin_ms));
      for (guint c = 0; c < columns->len; c++)
        {
          g_string_append_c (csv, ',');
          g_string_append (csv, g_ascii_formatd (buf, sizeof buf, "%.6g",
                                                 ((double *) columns->pdata[c])[k]));
        }
      g_string_append_c (csv, '\n');
    }
  g_array_unref (pops);
  return sw_live_export_text (path, csv->str, csv->len, error);
}

gboolean
sw_rates_view_export (SwRatesView *self, const char *path, GError **error)
{
  SwLiveExportKind kind;

  g_return_val_if_fail (SW_IS_RATES_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!sw_live_export_kind (path, &kind, error))
    return FALSE;
  if (kind == SW_LIVE_EXPORT_CSV)
    return export_csv (self, path, error);

  int w = gtk_widget_get_width (GTK_WIDGET (self)), h = gtk_widget_get_height (GTK_WIDGET (self));
  w = w > 100 ? w : 640;
  h = h > 100 ? h : 480;
  gboolean wide = is_wide (w, h);
  SwFigure *fig = wide ? sw_figure_new (1, 2) : sw_figure_new (2, 1);
  SwPlotTheme theme;
  sw_plot_theme_init (&theme, SW_PLOT_THEME_LIGHT);
  SwRgba e = theme.series[0], i = theme.series[1];
  if (self->spectra->len == 0)
    update_spectra (self);
  build_figure (self, fig, wide, &e, &i);
  gboolean ok = sw_live_export_figure (fig, path, w, h, error);
  sw_figure_free (fig);
  return ok;
}
