/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwTraceView: membrane traces of chosen neurons (see sw-trace-view.h).
 *
 * Each trace keeps the samples of the longest window in a ring indexed by
 * step (samples arrive every step; a gap left by a full ring becomes NaN and
 * breaks the line).  Before drawing, the samples of the window are reduced
 * to the minimum and maximum of each pixel column: the zig-zag through them
 * looks exactly like the full trace at a fraction of the points.
 */
#define G_LOG_DOMAIN "Spikeworks-Live"

#include "config.h"

#include "sw-trace-view.h"

#include "sw-live-hub.h"
#include "sw-live-view.h"

#include <glib/gi18n.h>
#include <math.h>

#define MAX_WINDOW_S 10.0
#define SUMMARY_INTERVAL_US 500000
#define REDRAW_INTERVAL_US 30000
#define READ_BATCH 8192

typedef struct
{
  int pop, neuron;
  int id;                /* the runner's trace, or -1 while not attached */
  gboolean automatic;    /* chosen by the view, not the user */
  double *values;        /* ring of cap samples, slot = step % cap */
  gint64 cap;
  gint64 len;
  gint64 last_step;      /* -1 before the first sample */
} Trace;

struct _SwTraceView
{
  GtkWidget parent_instance;

  SwLiveHub *hub;        /* not owned */
  double window_s;
  gboolean presentation;

  GArray *traces;        /* Trace */
  gboolean user_choice;  /* the user picked neurons */
  SwTraceSample *buf;

  SwFigure *fig;
  int fig_rows;
  gboolean dirty;

  char *summary;
  gint64 last_summary_us;
  gint64 last_draw_us;
};

static void sw_trace_view_live_view_init (SwLiveViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SwTraceView, sw_trace_view, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (SW_TYPE_LIVE_VIEW,
                                                      sw_trace_view_live_view_init))

enum
{
  PROP_0,
  PROP_WINDOW,
  PROP_PRESENTATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static SwRunner *
runner_of (SwTraceView *self)
{
  return self->hub != NULL ? sw_live_hub_get_runner (self->hub) : NULL;
}

static void
detach (SwTraceView *self, Trace *t)
{
  SwRunner *runner = runner_of (self);
  if (t->id >= 0 && runner != NULL)
    sw_runner_remove_trace (runner, t->id);
  t->id = -1;
}

static void
trace_clear_samples (Trace *t)
{
  t->len = 0;
  t->last_step = -1;
}

static void
remove_index (SwTraceView *self, guint i)
{
  Trace *t = &g_array_index (self->traces, Trace, i);
  detach (self, t);
  g_free (t->values);
  g_array_remove_index (self->traces, i);
}

static gboolean
valid_neuron (const SwNetSpec *spec, int pop, int neuron)
{
  return spec != NULL && pop >= 0 && pop < spec->n_pops && spec->pops[pop].kind == SW_POP_NEURONS
         && neuron >= 0 && neuron < spec->pops[pop].n;
}

static void
add_trace (SwTraceView *self, int pop, int neuron, gboolean automatic)
{
  Trace t = { pop, neuron, -1, automatic, NULL, 0, 0, -1 };
  g_array_append_val (self->traces, t);
}

/* Makes the traces follow the network: drops neurons that no longer
 * exist, picks the automatic ones, attaches what is not attached. */
static void
sync_traces (SwTraceView *self)
{
  const SwNetSpec *spec = self->hub != NULL ? sw_live_hub_get_spec (self->hub) : NULL;
  SwRunner *runner = runner_of (self);

  if (spec == NULL)
    return;
  for (guint i = self->traces->len; i-- > 0;)
    {
      Trace *t = &g_array_index (self->traces, Trace, i);
      if (!valid_neuron (spec, t->pop, t->neuron))
        remove_index (self, i);
    }
  if (!self->user_choice && self->traces->len == 0)
    for (int p = 0; p < spec->n_pops && self->traces->len < 2; p++)
      if (spec->pops[p].kind == SW_POP_NEURONS)
        add_trace (self, p, 0, TRUE);

  double dt = sw_live_hub_get_dt_ms (self->hub);
  gint64 cap = (gint64) ceil (MAX_WINDOW_S * 1e3 / dt) + 1;
  for (guint i = 0; i < self->traces->len; i++)
    {
      Trace *t = &g_array_index (self->traces, Trace, i);
      if (t->cap != cap)
        {
          g_free (t->values);
          t->values = g_new (double, cap);
          t->cap = cap;
          trace_clear_samples (t);
        }
      if (t->id < 0)
        {
          t->id = sw_runner_add_trace (runner, t->pop, NULL, t->neuron);
          self->dirty = TRUE;
        }
    }
}

static void
push_sample (Trace *t, gint64 step, double value)
{
  if (t->last_step >= 0 && step <= t->last_step)
    return;
  /* Steps the ring dropped: NaN, which breaks the line. */
  if (t->last_step >= 0)
    for (gint64 s = MAX (t->last_step + 1, step - t->cap + 1); s < step; s++)
      t->values[s % t->cap] = NAN;
  t->values[step % t->cap] = value;
  t->len = t->last_step < 0 ? 1 : MIN (t->cap, t->len + (step - t->last_step));
  t->last_step = step;
}

static gboolean
read_traces (SwTraceView *self)
{
  SwRunner *runner = runner_of (self);
  gboolean any = FALSE;

  for (guint i = 0; i < self->traces->len; i++)
    {
      Trace *t = &g_array_index (self->traces, Trace, i);
      guint n;
      if (t->id < 0)
        continue;
      while ((n = sw_runner_read_trace (runner, t->id, self->buf, READ_BATCH)) > 0)
        {
          for (guint k = 0; k < n; k++)
            push_sample (t, self->buf[k].step, self->buf[k].value);
          any = TRUE;
        }
    }
  return any;
}

static char *
trace_title (const SwNetSpec *spec, const Trace *t)
{
  /* Translators: a population name and a neuron number, "E neuron 12". */
  return g_strdup_printf (_("%s neuron %d"), spec->pops[t->pop].name, t->neuron);
}

/* The panel of trace @t over [t0, t1] ms, reduced to @columns columns. */
static void
fill_panel (SwTraceView *self, SwPanel *panel, const Trace *t, const SwPopSpec *ps, double t0,
            double t1, int columns, const SwStyle *style)
{
  double dt = sw_live_hub_get_dt_ms (self->hub);
  gint64 first = t->last_step - t->len + 1;
  gint64 s0 = MAX (first, (gint64) ceil (t0 / dt));
  g_autofree double *lo = g_new (double, columns);
  g_autofree double *hi = g_new (double, columns);
  g_autofree double *xs = g_new (double, 2 * columns);
  g_autofree double *ys = g_new (double, 2 * columns);
  double vmin = INFINITY, vmax = -INFINITY;
  gboolean *gap = g_new0 (gboolean, columns);

  for (int c = 0; c < columns; c++)
    lo[c] = INFINITY, hi[c] = -INFINITY;
  for (gint64 s = s0; t->last_step >= 0 && s <= t->last_step; s++)
    {
      double v = t->values[s % t->cap];
      int c = (int) floor ((s * dt - t0) / (t1 - t0) * columns);
      c = CLAMP (c, 0, columns - 1);
      if (!isfinite (v))
        {
          gap[c] = TRUE;
          continue;
        }
      lo[c] = MIN (lo[c], v);
      hi[c] = MAX (hi[c], v);
    }

  size_t m = 0;
  for (int c = 0; c < columns; c++)
    {
      double x = (t0 + (c + 0.5) * (t1 - t0) / columns) * 1e-3;
      if (gap[c] || lo[c] > hi[c])
        {
          /* A NaN breaks the line across an empty column. */
          if (m > 0 && isfinite (ys[m - 1]))
            xs[m] = x, ys[m] = NAN, m++;
          if (lo[c] > hi[c])
            continue;
        }
      /* Alternate the order so that neighbouring columns join at the
       * nearer end. */
      xs[m] = x, ys[m] = c % 2 ? hi[c] : lo[c], m++;
      xs[m] = x, ys[m] = c % 2 ? lo[c] : hi[c], m++;
      vmin = MIN (vmin, lo[c]);
      vmax = MAX (vmax, hi[c]);
    }
  g_free (gap);

  sw_panel_clear (panel);
  sw_panel_set_legend (panel, SW_LEGEND_NONE);
  sw_panel_set_x_limits (panel, t0 * 1e-3, t1 * 1e-3);
  sw_panel_add_line (panel, xs, ys, m, NULL, style, NULL);
  /* Whole 5 mV steps around the data, so the axis does not twitch with
   * every sample. */
  if (vmin <= vmax)
    sw_panel_set_y_limits (panel, floor ((vmin - 1.0) / 5.0) * 5.0, ceil ((vmax + 1.0) / 5.0) * 5.0);
  else
    sw_panel_set_y_limits (panel, -80.0, -40.0);
  const SwParamInfo *var = &ps->type->state[ps->type->v_index];
  sw_panel_set_y_label (panel, var->name, var->unit);
}

static void
build_figure (SwTraceView *self, SwFigure **fig, int *rows, int columns, const SwRgba *e,
              const SwRgba *i)
{
  const SwNetSpec *spec = self->hub != NULL ? sw_live_hub_get_spec (self->hub) : NULL;
  int want = MAX (1, (int) self->traces->len);

  /* The caller sets the theme after this. */
  if (*fig == NULL || *rows != want)
    {
      g_clear_pointer (fig, sw_figure_free);
      *fig = sw_figure_new (want, 1);
      *rows = want;
    }

  double t1 = self->hub != NULL ? sw_live_hub_get_time_ms (self->hub) : 0.0;
  double win = self->window_s * 1e3;
  t1 = MAX (t1, win);
  double t0 = t1 - win;

  if (spec == NULL || self->traces->len == 0)
    {
      SwPanel *p = sw_figure_panel (*fig, 0, 0);
      sw_panel_clear (p);
      sw_panel_set_title (p, _("Membrane potential"));
      sw_panel_set_x_limits (p, t0 * 1e-3, t1 * 1e-3);
      sw_panel_set_y_limits (p, -80.0, -40.0);
      sw_panel_set_x_label (p, _("Time"), "s");
      sw_panel_set_y_label (p, "v", "mV");
      return;
    }

  for (guint k = 0; k < self->traces->len; k++)
    {
      const Trace *t = &g_array_index (self->traces, Trace, k);
      SwPanel *p = sw_figure_panel (*fig, (int) k, 0);
      g_autofree char *title = trace_title (spec, t);
      SwStyle style = { 0 };
      style.colour = spec->pops[t->pop].inhibitory ? *i : *e;
      style.dash = SW_DASH_SOLID;
      fill_panel (self, p, t, &spec->pops[t->pop], t0, t1, columns, &style);
      sw_panel_set_title (p, title);
      /* Only the bottom panel names the shared time axis. */
      if (k + 1 == self->traces->len)
        sw_panel_set_x_label (p, _("Time"), "s");
      else
        sw_panel_set_x_label (p, NULL, NULL);
    }
}

static void
update_summary (SwTraceView *self)
{
  const SwNetSpec *spec = self->hub != NULL ? sw_live_hub_get_spec (self->hub) : NULL;
  GString *s = g_string_new (NULL);

  for (guint k = 0; spec != NULL && k < self->traces->len; k++)
    {
      const Trace *t = &g_array_index (self->traces, Trace, k);
      g_autofree char *title = trace_title (spec, t);
      const SwParamInfo *var = &spec->pops[t->pop].type->state[spec->pops[t->pop].type->v_index];
      if (s->len > 0)
        g_string_append (s, "; ");
      if (t->last_step >= 0 && t->len > 0)
        g_string_append_printf (s, "%s: %.1f %s", title, t->values[t->last_step % t->cap], var->unit);
      else
        /* Translators: a neuron ("E neuron 3") whose trace has no data yet. */
        g_string_append_printf (s, _("%s: no data yet"), title);
    }
  if (s->len == 0)
    g_string_append (s, _("No neuron is traced."));
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
trace_view_bind (SwLiveView *view, SwLiveHub *hub)
{
  SwTraceView *self = SW_TRACE_VIEW (view);

  for (guint i = 0; i < self->traces->len; i++)
    {
      Trace *t = &g_array_index (self->traces, Trace, i);
      detach (self, t);
      trace_clear_samples (t);
    }
  self->hub = hub;
  if (hub != NULL)
    sync_traces (self);
  self->dirty = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
trace_view_clear (SwLiveView *view)
{
  SwTraceView *self = SW_TRACE_VIEW (view);

  /* The runner keeps its traces across a rebuild, in new rings. */
  for (guint i = 0; i < self->traces->len; i++)
    trace_clear_samples (&g_array_index (self->traces, Trace, i));
  sync_traces (self);
  self->dirty = TRUE;
  /* Say so at the next frame, not in half a second. */
  self->last_summary_us = 0;
}

static void
trace_view_frame (SwLiveView *view)
{
  SwTraceView *self = SW_TRACE_VIEW (view);

  if (self->hub == NULL)
    return;
  sync_traces (self);
  if (read_traces (self))
    self->dirty = TRUE;
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
sw_trace_view_live_view_init (SwLiveViewInterface *iface)
{
  iface->bind = trace_view_bind;
  iface->clear = trace_view_clear;
  iface->frame = trace_view_frame;
}

/* --- GtkWidget ------------------------------------------------------------ */

static void
sw_trace_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  SwTraceView *self = SW_TRACE_VIEW (widget);
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  SwPlotTheme theme;
  SwRgba e, i;

  if (w <= 0 || h <= 0)
    return;
  sw_live_style (widget, self->presentation, &theme, &e, &i);
  /* One column per pixel of the plot area, about the width less the
   * vertical axis. */
  build_figure (self, &self->fig, &self->fig_rows, MAX (32, w - 70), &e, &i);
  sw_figure_set_theme (self->fig, &theme);

  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  sw_figure_draw (self->fig, cr, w, h);
  cairo_destroy (cr);
}

static void
sw_trace_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
                       int *natural, int *minimum_baseline, int *natural_baseline)
{
  gboolean big = SW_TRACE_VIEW (widget)->presentation;
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = big ? 360 : 240;
      *natural = big ? 640 : 480;
    }
  else
    {
      *minimum = big ? 240 : 160;
      *natural = big ? 420 : 300;
    }
}

static void
sw_trace_view_css_changed (GtkWidget *widget, GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (sw_trace_view_parent_class)->css_changed (widget, change);
  gtk_widget_queue_draw (widget);
}

static void
sw_trace_view_dispose (GObject *object)
{
  SwTraceView *self = SW_TRACE_VIEW (object);

  if (self->hub != NULL)
    sw_live_hub_remove_view (self->hub, GTK_WIDGET (self));
  gtk_widget_dispose_template (GTK_WIDGET (self), SW_TYPE_TRACE_VIEW);

  G_OBJECT_CLASS (sw_trace_view_parent_class)->dispose (object);
}

static void
sw_trace_view_finalize (GObject *object)
{
  SwTraceView *self = SW_TRACE_VIEW (object);

  for (guint i = 0; i < self->traces->len; i++)
    g_free (g_array_index (self->traces, Trace, i).values);
  g_array_unref (self->traces);
  g_free (self->buf);
  g_clear_pointer (&self->fig, sw_figure_free);
  g_free (self->summary);

  G_OBJECT_CLASS (sw_trace_view_parent_class)->finalize (object);
}

static void
sw_trace_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SwTraceView *self = SW_TRACE_VIEW (object);

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
sw_trace_view_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  SwTraceView *self = SW_TRACE_VIEW (object);

  switch (prop_id)
    {
    case PROP_WINDOW:
      sw_trace_view_set_window (self, g_value_get_double (value));
      break;
    case PROP_PRESENTATION:
      sw_trace_view_set_presentation (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sw_trace_view_class_init (SwTraceViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sw_trace_view_dispose;
  object_class->finalize = sw_trace_view_finalize;
  object_class->get_property = sw_trace_view_get_property;
  object_class->set_property = sw_trace_view_set_property;
  widget_class->snapshot = sw_trace_view_snapshot;
  widget_class->measure = sw_trace_view_measure;
  widget_class->css_changed = sw_trace_view_css_changed;

  properties[PROP_WINDOW] =
    g_param_spec_double ("window", NULL, NULL, 0.1, MAX_WINDOW_S, 1.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PRESENTATION] =
    g_param_spec_boolean ("presentation", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  sw_live_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/spikeworks/Spikeworks/live/sw-trace-view.ui");
  gtk_widget_class_set_css_name (widget_class, "swtraceview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sw_trace_view_init (SwTraceView *self)
{
  self->window_s = 1.0;
  self->traces = g_array_new (FALSE, FALSE, sizeof (Trace));
  self->buf = g_new (SwTraceSample, READ_BATCH);
  self->fig = sw_figure_new (1, 1);
  self->fig_rows = 1;
  gtk_widget_init_template (GTK_WIDGET (self));
  update_summary (self);
}

GtkWidget *
sw_trace_view_new (void)
{
  return g_object_new (SW_TYPE_TRACE_VIEW, NULL);
}

gboolean
sw_trace_view_add_neuron (SwTraceView *self, int pop, int neuron)
{
  g_return_val_if_fail (SW_IS_TRACE_VIEW (self), FALSE);
  g_return_val_if_fail (pop >= 0 && neuron >= 0, FALSE);

  if (!self->user_choice)
    {
      self->user_choice = TRUE;
      for (guint i = self->traces->len; i-- > 0;)
        if (g_array_index (self->traces, Trace, i).automatic)
          remove_index (self, i);
    }
  for (guint i = 0; i < self->traces->len; i++)
    {
      Trace *t = &g_array_index (self->traces, Trace, i);
      if (t->pop == pop && t->neuron == neuron)
        return FALSE;
    }
  if (self->traces->len >= SW_TRACE_VIEW_MAX_TRACES)
    remove_index (self, 0);
  add_trace (self, pop, neuron, FALSE);
  if (self->hub != NULL)
    sync_traces (self);
  self->dirty = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

void
sw_trace_view_remove_neuron (SwTraceView *self, int pop, int neuron)
{
  g_return_if_fail (SW_IS_TRACE_VIEW (self));

  for (guint i = 0; i < self->traces->len; i++)
    {
      Trace *t = &g_array_index (self->traces, Trace, i);
      if (t->pop == pop && t->neuron == neuron)
        {
          remove_index (self, i);
          gtk_widget_queue_draw (GTK_WIDGET (self));
          return;
        }
    }
}

void
sw_trace_view_clear_neurons (SwTraceView *self)
{
  g_return_if_fail (SW_IS_TRACE_VIEW (self));

  while (self->traces->len > 0)
    remove_index (self, self->traces->len - 1);
  self->user_choice = FALSE;
  if (self->hub != NULL)
    sync_traces (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
sw_trace_view_get_n_traces (SwTraceView *self)
{
  g_return_val_if_fail (SW_IS_TRACE_VIEW (self), 0);
  return self->traces->len;
}

void
sw_trace_view_set_window (SwTraceView *self, double seconds)
{
  g_return_if_fail (SW_IS_TRACE_VIEW (self));

  seconds = CLAMP (seconds, 0.1, MAX_WINDOW_S);
  if (self->window_s == seconds)
    return;
  self->window_s = seconds;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW]);
}

double
sw_trace_view_get_window (SwTraceView *self)
{
  g_return_val_if_fail (SW_IS_TRACE_VIEW (self), 1.0);
  return self->window_s;
}

void
sw_trace_view_set_presentation (SwTraceView *self, gboolean presentation)
{
  g_return_if_fail (SW_IS_TRACE_VIEW (self));

  presentation = !!presentation;
  if (self->presentation == presentation)
    return;
  self->presentation = presentation;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESENTATION]);
}

gboolean
sw_trace_view_get_presentation (SwTraceView *self)
{
  g_return_val_if_fail (SW_IS_TRACE_VIEW (self), FALSE);
  return self->presentation;
}

const char *
sw_trace_view_get_summary (SwTraceView *self)
{
  g_return_val_if_fail (SW_IS_TRACE_VIEW (self), NULL);
  return self->summary;
}

static gboolean
export_csv (SwTraceView *self, const char *path, GError **error)
{
  const SwNetSpec *spec = self->hub != NULL ? sw_live_hub_get_spec (self->hub) : NULL;
  g_autoptr (GString) csv = g_string_new ("time_ms");
  gint64 s0 = G_MAXINT64, s1 = -1;

  for (guint k = 0; spec != NULL && k < self->traces->len; k++)
    {
      const Trace *t = &g_array_index (self->traces, Trace, k);
      const SwParamInfo *var = &spec->pops[t->pop].type->state[spec->pops[t->pop].type->v_index];
      g_string_append_printf (csv, ",%s_%d_%s_%s", spec->pops[t->pop].name, t->neuron, var->name,
                              var->unit);
      if (t->last_step >= 0 && t->len > 0)
        {
          s0 = MIN (s0, t->last_step - t->len + 1);
          s1 = MAX (s1, t->last_step);
        }
    }
  if (s1 < 0)
    {
      g_set_error (error, SW_LIVE_ERROR, SW_LIVE_ERROR_EMPTY,
                   _("There are no traces to export yet: run the network first"));
      return FALSE;
    }
  double dt = sw_live_hub_get_dt_ms (self->hub);
  s0 = MAX (s0, s1 - (gint64) ceil (self->window_s * 1e3 / dt) + 1);
  g_string_append_c (csv, '\n');
  for (gint64 s = s0; s <= s1; s++)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append (csv, g_ascii_formatd (buf, sizeof buf, "%.4f", s * dt));
      for (guint k = 0; k < self->traces->len; k++)
        {
          const Trace *t = &g_array_index (self->traces, Trace, k);
          g_string_append_c (csv, ',');
          if (t->last_step >= 0 && s <= t->last_step && s > t->last_step - t->len
              && isfinite (t->values[s % t->cap]))
            g_string_append (csv, g_ascii_formatd (buf, sizeof buf, "%.6g", t->values[s % t->cap]));
        }
      g_string_append_c (csv, '\n');
    }
  return sw_live_export_text (path, csv->str, csv->len, error);
}

gboolean
sw_trace_view_export (SwTraceView *self, const char *path, GError **error)
{
  SwLiveExportKind kind;

  g_return_val_if_fail (SW_IS_TRACE_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!sw_live_export_kind (path, &kind, error))
    return FALSE;
  if (kind == SW_LIVE_EXPORT_CSV)
    return export_csv (self, path, error);

  int w = gtk_widget_get_width (GTK_WIDGET (self)), h = gtk_widget_get_height (GTK_WIDGET (self));
  w = w > 100 ? w : 640;
  h = h > 100 ? h : 480;
  SwFigure *fig = NULL;
  int rows = 0;
  SwPlotTheme theme;
  sw_plot_theme_init (&theme, SW_PLOT_THEME_LIGHT);
  /* Vector formats get more columns than the screen: they zoom. */
  build_figure (self, &fig, &rows, MAX (w, 1000), &theme.series[0], &theme.series[1]);
  gboolean ok = sw_live_export_figure (fig, path, w, h, error);
  sw_figure_free (fig);
  return ok;
}
