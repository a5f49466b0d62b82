/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwRecordedView (see sw-recorded-view.h).
 *
 * The file is read on the main thread: NWB files of spike times hold some
 * megabytes at most, read in a fraction of a second.  The list of trials
 * and events shows at most LIST_MAX entries of each series, then how many
 * more there are.
 */
#define G_LOG_DOMAIN "Spikeworks-Recorded"

#include "config.h"

#include "sw-recorded-view.h"

#include "sw-figure.h"
#include "sw-live-view.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#define LIST_MAX 200

struct _SwRecordedView
{
  GtkWidget parent_instance;

  GtkStack *stack;
  AdwStatusPage *status_page;
  GtkLabel *file_label;
  GtkDropDown *event_dropdown;
  GtkSpinButton *bin_spin, *before_spin, *after_spin;
  GtkListBox *list;
  GtkDrawingArea *area;
  GtkLabel *status_label;

  gboolean presentation;
  SwNwbFile *nwb;
  char *path;
  GtkStringList *event_names;
  gboolean updating;
  guint n_rows;

  guint *psth;
  guint n_bins;
  double t0_s, bin_s;
  guint psth_events;

  SwFigure *fig;
};

G_DEFINE_FINAL_TYPE (SwRecordedView, sw_recorded_view, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_PRESENTATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const SwNwbEvents *
chosen_events (SwRecordedView *self)
{
  guint k = gtk_drop_down_get_selected (self->event_dropdown);

  return self->nwb != NULL && k < (guint) self->nwb->n_events ? &self->nwb->events[k] : NULL;
}

static void
compute_psth (SwRecordedView *self)
{
  const SwNwbEvents *ev = chosen_events (self);
  const SwNwbFile *f = self->nwb;
  double before = gtk_spin_button_get_value (self->before_spin);
  double after = gtk_spin_button_get_value (self->after_spin);

  g_clear_pointer (&self->psth, g_free);
  self->n_bins = 0;
  self->psth_events = 0;
  if (f == NULL || ev == NULL)
    return;
  self->bin_s = gtk_spin_button_get_value (self->bin_spin) * 1e-3;
  self->t0_s = -before;
  self->n_bins = (guint) MAX (1.0, ceil ((before + after) / self->bin_s - 1e-9));
  self->psth = g_new0 (guint, self->n_bins);
  self->psth_events = (guint) ev->n;
  for (gsize e = 0; e < ev->n; e++)
    for (int u = 0; u < f->n_units; u++)
      for (gsize k = f->offsets[u]; k < f->offsets[u + 1]; k++)
        {
          double rel = f->spike_times_s[k] - ev->times_s[e] - self->t0_s;
          double b = floor (rel / self->bin_s);
          if (rel >= 0 && b < self->n_bins)
            self->psth[(guint) b]++;
        }
}

static void
update_summary (SwRecordedView *self)
{
  g_autofree char *text = NULL;
  guint64 total = 0;

  for (guint b = 0; b < self->n_bins; b++)
    total += self->psth[b];
  if (self->nwb == NULL)
    text = g_strdup (_("No recorded spikes."));
  else
    /* Translators: the accessible description of the recorded data. */
    text = g_strdup_printf (_("%d units; the PSTH counts %llu spikes around %u events."),
                            self->nwb->n_units, (unsigned long long) total, self->psth_events);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->area), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text, -1);
}

static void
refresh (SwRecordedView *self)
{
  if (self->updating)
    return;
  compute_psth (self);
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

/* --- drawing -------------------------------------------------------------- */

static void
build_figure (SwRecordedView *self, SwFigure *fig)
{
  SwPanel *raster = sw_figure_panel (fig, 0, 0);
  SwPanel *hist = sw_figure_panel (fig, 1, 0);
  const SwNwbFile *f = self->nwb;
  const SwNwbEvents *ev = chosen_events (self);

  sw_panel_clear (raster);
  sw_panel_clear (hist);
  if (f == NULL)
    return;

  gsize n = f->offsets[f->n_units];
  g_autofree int *ids = g_new (int, MAX (n, 1));
  for (int u = 0; u < f->n_units; u++)
    for (gsize k = f->offsets[u]; k < f->offsets[u + 1]; k++)
      ids[k] = u;
  /* The whole recording: from 0 to the last spike, trial or event, so
   * that marks at the ends are not cut by the frame. */
  double end = 0;
  for (gsize k = 0; k < n; k++)
    end = MAX (end, f->spike_times_s[k]);
  for (int t = 0; t < f->n_trials; t++)
    end = MAX (end, f->trial_stop_s[t]);
  for (int e = 0; e < f->n_events; e++)
    for (gsize k = 0; k < f->events[e].n; k++)
      end = MAX (end, f->events[e].times_s[k]);
  end = end > 0 ? end * 1.02 : 1.0;
  sw_panel_set_title (raster, _("Recorded units"));
  sw_panel_set_x_label (raster, _("Time in the recording"), "s");
  sw_panel_set_y_label (raster, _("Unit"), NULL);
  sw_panel_set_x_limits (raster, 0, end);
  sw_panel_set_y_limits (raster, -0.5, MAX (f->n_units, 1) - 0.5);
  /* The events the histogram is aligned to, as thin dashed lines (one
   * path, broken between events). */
  if (ev != NULL && ev->n > 0)
    {
      g_autofree double *lx = g_new (double, 3 * ev->n);
      g_autofree double *ly = g_new (double, 3 * ev->n);
      SwStyle mark = { .colour = { 0.5, 0.5, 0.5, 1 }, .dash = SW_DASH_DASHED, .width = 0.8 };

      for (gsize k = 0; k < ev->n; k++)
        {
          lx[3 * k] = lx[3 * k + 1] = ev->times_s[k];
          lx[3 * k + 2] = NAN;
          ly[3 * k] = -0.5;
          ly[3 * k + 1] = MAX (f->n_units, 1) - 0.5;
          ly[3 * k + 2] = NAN;
        }
      sw_panel_add_line (raster, lx, ly, 3 * ev->n, ev->name, &mark, NULL);
      sw_panel_set_legend (raster, SW_LEGEND_OUTSIDE);
    }
  if (n > 0)
    sw_panel_add_raster (raster, f->spike_times_s, ids, n, _("spikes"), NULL, NULL);

  sw_panel_set_x_label (hist, _("Time from the event"), "s");
  sw_panel_set_y_label (hist, _("Rate per unit"), "Hz");
  if (self->psth == NULL || ev == NULL)
    {
      sw_panel_set_title (hist, _("PSTH: the file has no events"));
      sw_panel_set_x_limits (hist, -gtk_spin_button_get_value (self->before_spin),
                             gtk_spin_button_get_value (self->after_spin));
      sw_panel_set_y_limits (hist, 0, 1);
      return;
    }
  {
    g_autofree double *xs = g_new (double, 2 * self->n_bins);
    g_autofree double *ys = g_new (double, 2 * self->n_bins);
    double scale = 1.0 / (MAX (self->psth_events, 1) * MAX (f->n_units, 1) * self->bin_s);
    double top = 0;
    g_autofree char *title = NULL;
    SwStyle zero = { .colour = { 0.5, 0.5, 0.5, 1 }, .dash = SW_DASH_DASHED };
    double zx[2] = { 0, 0 }, zy[2] = { 0, 0 };

    for (guint b = 0; b < self->n_bins; b++)
      {
        double r = self->psth[b] * scale;
        xs[2 * b] = self->t0_s + b * self->bin_s;
        xs[2 * b + 1] = self->t0_s + (b + 1) * self->bin_s;
        ys[2 * b] = ys[2 * b + 1] = r;
        top = MAX (top, r);
      }
    /* Translators: the PSTH's title: the events and how many. */
    title = g_strdup_printf (_("PSTH aligned to %s (%u events)"), ev->name, self->psth_events);
    sw_panel_set_title (hist, title);
    sw_panel_set_x_limits (hist, xs[0], xs[2 * self->n_bins - 1]);
    sw_panel_set_y_limits (hist, 0, top > 0 ? top * 1.1 : 1.0);
    sw_panel_add_line (hist, xs, ys, 2 * self->n_bins, NULL, NULL, NULL);
    zy[1] = top > 0 ? top * 1.1 : 1.0;
    sw_panel_add_line (hist, zx, zy, 2, NULL, &zero, NULL);
  }
}

static void
draw_cb (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  SwRecordedView *self = data;
  SwPlotTheme theme;

  /* A new figure each time: what one file sets (limits, legend) must not
   * stay for the next. */
  g_clear_pointer (&self->fig, sw_figure_free);
  self->fig = sw_figure_new (2, 1);
  sw_live_style (GTK_WIDGET (area), self->presentation, &theme, NULL, NULL);
  sw_figure_set_theme (self->fig, &theme);
  build_figure (self, self->fig);
  sw_figure_draw (self->fig, cr, width, height);
}

/* --- the list of trials and events ------------------------------------------ */

static void
add_row (SwRecordedView *self, const char *text, gboolean heading)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, heading ? 6 : 12);
  gtk_widget_set_margin_top (label, heading ? 6 : 0);
  gtk_widget_add_css_class (label, heading ? "heading" : "numeric");
  gtk_list_box_append (self->list, label);
  self->n_rows++;
}

static void
add_more_row (SwRecordedView *self, gsize more)
{
  if (more > 0)
    {
      /* Translators: the list shows the first entries of a long series. */
      g_autofree char *text = g_strdup_printf (_("… and %zu more"), more);
      add_row (self, text, FALSE);
    }
}

static void
fill_list (SwRecordedView *self)
{
  const SwNwbFile *f = self->nwb;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  self->n_rows = 0;
  if (f == NULL)
    return;
  {
    /* Translators: the heading of the list of trials, with their number. */
    g_autofree char *text = g_strdup_printf (_("Trials (%d)"), f->n_trials);
    add_row (self, text, TRUE);
  }
  for (int t = 0; t < f->n_trials && t < LIST_MAX; t++)
    {
      /* Translators: one trial: its number, start and stop in seconds. */
      g_autofree char *text = g_strdup_printf (_("%d: %.3f – %.3f s"), t + 1, f->trial_start_s[t],
                                               f->trial_stop_s[t]);
      add_row (self, text, FALSE);
    }
  add_more_row (self, f->n_trials > LIST_MAX ? (gsize) (f->n_trials - LIST_MAX) : 0);
  for (int e = 0; e < f->n_events; e++)
    {
      const SwNwbEvents *ev = &f->events[e];
      /* Translators: the heading of an event series: name and count. */
      g_autofree char *text = g_strdup_printf (_("%s (%zu)"), ev->name, ev->n);
      add_row (self, text, TRUE);
      for (gsize k = 0; k < ev->n && k < LIST_MAX; k++)
        {
          g_autofree char *t = g_strdup_printf (_("%.3f s"), ev->times_s[k]);
          add_row (self, t, FALSE);
        }
      add_more_row (self, ev->n > LIST_MAX ? ev->n - LIST_MAX : 0);
    }
}

/* --- exports ---------------------------------------------------------------- */

static void
export_response_cb (GtkNativeDialog *chooser, int response, SwRecordedView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (path == NULL)
        gtk_label_set_label (self->status_label, _("Only files on this computer can be written"));
      else if (!sw_recorded_view_export (self, path, &error))
        gtk_label_set_label (self->status_label, error->message);
      else
        {
          g_autofree char *base = g_path_get_basename (path);
          g_autofree char *text = g_strdup_printf (_("Exported “%s”"), base);
          gtk_label_set_label (self->status_label, text);
        }
    }
  g_object_unref (chooser);
}

static void
export_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SwRecordedView *self = SW_RECORDED_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *name = g_strconcat ("psth.", g_variant_get_string (parameter, NULL), NULL);
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Export the Recorded Spikes"),
                                 GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                 GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

gboolean
sw_recorded_view_export (SwRecordedView *self, const char *path, GError **error)
{
  SwLiveExportKind kind;

  g_return_val_if_fail (SW_IS_RECORDED_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!sw_live_export_kind (path, &kind, error))
    return FALSE;
  if (self->nwb == NULL)
    {
      g_set_error (error, SW_LIVE_ERROR, SW_LIVE_ERROR_EMPTY, _("No recorded spikes are shown"));
      return FALSE;
    }
  if (kind == SW_LIVE_EXPORT_CSV)
    {
      g_autoptr(GString) s = g_string_new ("bin_start_s,bin_end_s,count,rate_hz\n");
      char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE], r[G_ASCII_DTOSTR_BUF_SIZE];
      double scale = 1.0 / (MAX (self->psth_events, 1) * MAX (self->nwb->n_units, 1) * self->bin_s);

      if (self->psth == NULL)
        {
          g_set_error (error, SW_LIVE_ERROR, SW_LIVE_ERROR_EMPTY, _("The file has no events to align to"));
          return FALSE;
        }
      for (guint k = 0; k < self->n_bins; k++)
        g_string_append_printf (s, "%s,%s,%u,%s\n",
                                g_ascii_formatd (a, sizeof a, "%.9g", self->t0_s + k * self->bin_s),
                                g_ascii_formatd (b, sizeof b, "%.9g", self->t0_s + (k + 1) * self->bin_s),
                                self->psth[k], g_ascii_formatd (r, sizeof r, "%.9g", self->psth[k] * scale));
      return sw_live_export_text (path, s->str, s->len, error);
    }
  {
    SwFigure *fig = sw_figure_new (2, 1);
    g_autofree char *base = g_path_get_basename (self->path);
    gboolean ok;

    build_figure (self, fig);
    sw_figure_set_title (fig, base);
    ok = sw_live_export_figure (fig, path, 900, 700, error);
    sw_figure_free (fig);
    return ok;
  }
}

/* --- GObject ---------------------------------------------------------------- */

static void
sw_recorded_view_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SW_TYPE_RECORDED_VIEW);

  G_OBJECT_CLASS (sw_recorded_view_parent_class)->dispose (object);
}

static void
sw_recorded_view_finalize (GObject *object)
{
  SwRecordedView *self = SW_RECORDED_VIEW (object);

  g_clear_pointer (&self->nwb, sw_nwb_free);
  g_free (self->path);
  g_free (self->psth);
  g_clear_object (&self->event_names);
  g_clear_pointer (&self->fig, sw_figure_free);

  G_OBJECT_CLASS (sw_recorded_view_parent_class)->finalize (object);
}

static void
sw_recorded_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SwRecordedView *self = SW_RECORDED_VIEW (object);

  switch (prop_id)
    {
    case PROP_PRESENTATION:
      g_value_set_boolean (value, self->presentation);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sw_recorded_view_set_property (GObject *object, guint prop_id, const GValue *value,
                               GParamSpec *pspec)
{
  SwRecordedView *self = SW_RECORDED_VIEW (object);

  switch (prop_id)
    {
    case PROP_PRESENTATION:
      if (self->presentation != g_value_get_boolean (value))
        {
          self->presentation = g_value_get_boolean (value);
          gtk_widget_queue_draw (GTK_WIDGET (self->area));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sw_recorded_view_class_init (SwRecordedViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sw_recorded_view_dispose;
  object_class->finalize = sw_recorded_view_finalize;
  object_class->get_property = sw_recorded_view_get_property;
  object_class->set_property = sw_recorded_view_set_property;

  properties[PROP_PRESENTATION] =
    g_param_spec_boolean ("presentation", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/sw-recorded-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SwRecordedView, stack);
  gtk_widget_class_bind_template_child (widget_class, SwRecordedView, status_page);
  gtk_widget_class_bind_template_child (widget_class, SwRecordedView, file_label);
  gtk_widget_class_bind_template_child (widget_class, SwRecordedView, event_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SwRecordedView, bin_spin);
  gtk_widget_class_bind_template_child (widget_class, SwRecordedView, before_spin);
  gtk_widget_class_bind_template_child (widget_class, SwRecordedView, after_spin);
  gtk_widget_class_bind_template_child (widget_class, SwRecordedView, list);
  gtk_widget_class_bind_template_child (widget_class, SwRecordedView, area);
  gtk_widget_class_bind_template_child (widget_class, SwRecordedView, status_label);
  gtk_widget_class_install_action (widget_class, "recorded.export", "s", export_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "swrecordedview");
}

static void
sw_recorded_view_init (SwRecordedView *self)
{
  self->event_names = gtk_string_list_new (NULL);
  gtk_widget_init_template (GTK_WIDGET (self));

  adw_status_page_set_description (self->status_page,
                                   sw_hdf5_available ()
                                     ? _("Import the units of an NWB file with File → Import → Recorded Spikes (NWB)")
                                     : _("This build of Spikeworks lacks HDF5 support: NWB files cannot be read"));
  gtk_drop_down_set_model (self->event_dropdown, G_LIST_MODEL (self->event_names));
  g_signal_connect_swapped (self->event_dropdown, "notify::selected", G_CALLBACK (refresh), self);
  g_signal_connect_swapped (self->bin_spin, "value-changed", G_CALLBACK (refresh), self);
  g_signal_connect_swapped (self->before_spin, "value-changed", G_CALLBACK (refresh), self);
  g_signal_connect_swapped (self->after_spin, "value-changed", G_CALLBACK (refresh), self);
  gtk_drawing_area_set_draw_func (self->area, draw_cb, self, NULL);
  gtk_stack_set_visible_child_name (self->stack, "empty");
  update_summary (self);
}

/* --- API ------------------------------------------------------------------- */

GtkWidget *
sw_recorded_view_new (void)
{
  return g_object_new (SW_TYPE_RECORDED_VIEW, NULL);
}

gboolean
sw_recorded_view_load (SwRecordedView *self, const char *path, GError **error)
{
  SwNwbFile *nwb;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *base = NULL;
  g_autofree char *status = NULL;
  guint pick = 0;

  g_return_val_if_fail (SW_IS_RECORDED_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  nwb = sw_nwb_read (path, error);
  if (nwb == NULL)
    return FALSE;
  g_clear_pointer (&self->nwb, sw_nwb_free);
  self->nwb = nwb;
  g_free (self->path);
  self->path = g_strdup (path);

  for (int e = 0; e < nwb->n_events; e++)
    {
      g_ptr_array_add (names, nwb->events[e].name);
      /* Trials are what one aligns to first, when there are any. */
      if (g_str_equal (nwb->events[e].name, "intervals/trials"))
        pick = (guint) e;
    }
  g_ptr_array_add (names, NULL);
  self->updating = TRUE;
  gtk_string_list_splice (self->event_names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->event_names)),
                          (const char *const *) names->pdata);
  gtk_drop_down_set_selected (self->event_dropdown, pick);
  self->updating = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->event_dropdown), nwb->n_events > 0);

  base = g_path_get_basename (path);
  gtk_label_set_label (self->file_label, base);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->file_label), path);
  status = g_strdup_printf (ngettext ("%d unit, %zu spikes", "%d units, %zu spikes", nwb->n_units),
                            nwb->n_units, nwb->offsets[nwb->n_units]);
  gtk_label_set_label (self->status_label, status);
  fill_list (self);
  gtk_stack_set_visible_child_name (self->stack, "data");
  refresh (self);
  return TRUE;
}

const SwNwbFile *
sw_recorded_view_get_file (SwRecordedView *self)
{
  g_return_val_if_fail (SW_IS_RECORDED_VIEW (self), NULL);
  return self->nwb;
}

gboolean
sw_recorded_view_set_event (SwRecordedView *self, const char *name)
{
  g_return_val_if_fail (SW_IS_RECORDED_VIEW (self), FALSE);

  for (int e = 0; self->nwb != NULL && e < self->nwb->n_events; e++)
    if (g_str_equal (self->nwb->events[e].name, name))
      {
        gtk_drop_down_set_selected (self->event_dropdown, (guint) e);
        refresh (self);
        return TRUE;
      }
  return FALSE;
}

void
sw_recorded_view_set_bin_ms (SwRecordedView *self, double bin_ms)
{
  g_return_if_fail (SW_IS_RECORDED_VIEW (self));
  gtk_spin_button_set_value (self->bin_spin, bin_ms);
  refresh (self);
}

void
sw_recorded_view_set_span (SwRecordedView *self, double before_s, double after_s)
{
  g_return_if_fail (SW_IS_RECORDED_VIEW (self));
  gtk_spin_button_set_value (self->before_spin, before_s);
  gtk_spin_button_set_value (self->after_spin, after_s);
  refresh (self);
}

const guint *
sw_recorded_view_get_psth (SwRecordedView *self, guint *n_bins, double *t0_s, double *bin_s)
{
  g_return_val_if_fail (SW_IS_RECORDED_VIEW (self), NULL);

  *n_bins = self->n_bins;
  *t0_s = self->t0_s;
  *bin_s = self->bin_s;
  return self->psth;
}

guint
sw_recorded_view_get_n_list_rows (SwRecordedView *self)
{
  g_return_val_if_fail (SW_IS_RECORDED_VIEW (self), 0);
  return self->n_rows;
}
