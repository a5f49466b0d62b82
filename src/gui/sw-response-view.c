/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwResponseView (see sw-response-view.h).
 *
 * The worker gets the document as text, sets the swept variable value by
 * value, builds the network description and the mean-field configuration
 * (when the network has one) and runs both, as `spikeworks-cli respond`
 * does.  The trials of one value run in parallel on all processors
 * (sw_resp_run_network's own threads); progress comes back as an atomic
 * count of finished trials that a timer on the main thread reads.
 */
#define G_LOG_DOMAIN "Spikeworks-Response"

#include "config.h"

#include "sw-response-view.h"

#include "sw-document.h"
#include "sw-figure.h"
#include "sw-live-view.h"
#include "sw-meanfield.h"
#include "sw-respond.h"
#include "sw-window.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <stdatomic.h>
#include <string.h>

#define DEFAULT_POINTS 4
#define DEFAULT_TRIALS 3
#define PROGRESS_INTERVAL_MS 100

/* One value of the sweep. */
typedef struct
{
  double x;
  gboolean has_mf;
  SwRespNetResult *net;
  SwRespMfResult *mf;
} Point;

typedef struct
{
  char *name;
  int n;
  Point *pts;
  int n_trials;
  char *mf_missing;     /* why there is no mean field, or NULL */
} Result;

static void
result_free (Result *r)
{
  if (r == NULL)
    return;
  for (int k = 0; k < r->n; k++)
    {
      sw_resp_net_result_free (r->pts[k].net);
      sw_resp_mf_result_free (r->pts[k].mf);
    }
  g_free (r->pts);
  g_free (r->name);
  g_free (r->mf_missing);
  g_free (r);
}

typedef struct
{
  char *json, *display_name;
  double min, max;
  Result *result;
  atomic_int cancel;
  atomic_int done;       /* trials finished, all values together */
  int point;             /* the value under way (worker only) */
  /* Release/acquire pairs around the hand-offs through GTask, whose own
   * locks (GLib's futexes) ThreadSanitizer cannot see: 1 = set up by the
   * main thread, 2 = finished by the worker. */
  atomic_int handoff;
} Job;

static void
job_free (Job *job)
{
  g_free (job->json);
  g_free (job->display_name);
  result_free (job->result);
  g_free (job);
}

static void
trial_done_cb (void *data, int done, int total)
{
  Job *job = data;

  atomic_store (&job->done, job->point * total + done);
}

static gboolean
compute_curve (Job *job, GError **error)
{
  Result *r = job->result;
  g_autoptr(SwDocument) doc = sw_document_load_data (job->json, -1, job->display_name, error);
  SwRespProtocol p;
  SwError err;

  if (doc == NULL)
    return FALSE;
  sw_resp_protocol_default (&p);
  p.n_trials = r->n_trials;

  for (int k = 0; k < r->n; k++)
    {
      Point *pt = &r->pts[k];
      SwNetSpec *spec;
      SwMfConfig cfg;
      SwStatus st;

      if (atomic_load (&job->cancel))
        break;
      job->point = k;
      pt->x = r->n == 1 ? job->min : job->min + (job->max - job->min) * k / (r->n - 1);
      if (!sw_document_set_variable (doc, r->name, pt->x, error)
          || (spec = sw_document_build_spec (doc, error)) == NULL)
        return FALSE;
      memset (&cfg, 0, sizeof cfg);
      st = sw_mf_config_from_spec (spec, &cfg, &err);
      if (st == SW_OK)
        st = sw_mf_config_set_builtin_tf (&cfg, SW_RESPONSE_VIEW_COEFFS, &err);
      if (st == SW_OK)
        st = sw_mf_config_validate (&cfg, &err);
      if (st == SW_OK && r->mf_missing == NULL)
        {
          pt->has_mf = TRUE;
          if (sw_resp_run_mf (&cfg, &p, &pt->mf, &err) != SW_OK)
            {
              sw_net_spec_free (spec);
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", err.text);
              return FALSE;
            }
        }
      else if (r->mf_missing == NULL)
        r->mf_missing = g_strdup (err.text);

      st = sw_resp_run_network (spec, &p, 0, 0, &job->cancel, trial_done_cb, job, &pt->net, &err);
      sw_net_spec_free (spec);
      if (st == SW_ERR_CANCELLED)
        break;
      if (st != SW_OK)
        {
          /* Translators: the swept variable, its value and the reason
           * (from the simulation, in English). */
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("%s = %g: %s"), r->name, pt->x, err.text);
          return FALSE;
        }
    }
  if (atomic_load (&job->cancel))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
      return FALSE;
    }
  return TRUE;
}

static void
compute_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job *job = data;
  GError *error = NULL;

  (void) atomic_load_explicit (&job->handoff, memory_order_acquire);
  gboolean ok = compute_curve (job, &error);
  atomic_store_explicit (&job->handoff, 2, memory_order_release);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* ------------------------------------------------------------------------ */

struct _SwResponseView
{
  GtkWidget parent_instance;

  /* Template children */
  GtkWidget *content;
  GtkDropDown *variable_dropdown;
  GtkDropDown *measure_dropdown;
  GtkSpinButton *points_spin;
  GtkSpinButton *trials_spin;
  GtkButton *compute_button;
  GtkButton *cancel_button;
  GtkProgressBar *progress_bar;
  GtkLabel *status_label;
  GtkDrawingArea *area;

  SwWindow *window;          /* not owned */
  gboolean presentation;

  GPtrArray *names;
  GtkStringList *labels;
  char *name;
  gboolean updating;

  GTask *task;
  Job *job;                  /* the task's data while it runs */
  guint progress_source;
  gint64 started_us;
  Result *result;
  SwFigure *fig;
};

G_DEFINE_FINAL_TYPE (SwResponseView, sw_response_view, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_BUSY,
  PROP_PRESENTATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static SwDocument *
document (SwResponseView *self)
{
  return self->window != NULL ? sw_window_get_document (self->window) : NULL;
}

static gboolean
variable_info (SwDocument *doc, const char *name, SwVariableInfo *info)
{
  int k = name != NULL && doc != NULL ? sw_document_find_variable (doc, name) : -1;

  return k >= 0 && sw_document_get_variable (doc, (guint) k, info);
}

static void
set_busy_ui (SwResponseView *self)
{
  gboolean busy = self->task != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), busy);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->compute_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), busy);
}

/* --- drawing -------------------------------------------------------------- */

static int
selected_measure (SwResponseView *self)
{
  guint k = gtk_drop_down_get_selected (self->measure_dropdown);

  return k < (guint) sw_resp_n_measures () ? (int) k : 0;
}

static void
build_figure (SwResponseView *self, SwFigure *fig, const SwPlotTheme *theme)
{
  SwPanel *panel = sw_figure_panel (fig, 0, 0);
  Result *r = self->result;
  int m = selected_measure (self);
  const SwRespMeasure *d = sw_resp_measure (m);
  SwDocument *doc = document (self);
  SwVariableInfo info;
  const char *xl, *xu = NULL;

  sw_panel_clear (panel);
  sw_panel_set_y_label (panel, d->label, d->unit[0] != '\0' ? d->unit : NULL);
  sw_panel_set_legend (panel, SW_LEGEND_OUTSIDE);
  if (r == NULL)
    {
      sw_panel_set_x_limits (panel, 0.0, 1.0);
      sw_panel_set_y_limits (panel, 0.0, 1.0);
      return;
    }
  sw_panel_set_x_limits (panel, NAN, NAN);
  sw_panel_set_y_limits (panel, NAN, NAN);

  xl = r->name;
  if (variable_info (doc, r->name, &info))
    {
      xl = info.label != NULL ? info.label : info.name;
      xu = info.unit != NULL && info.unit[0] != '\0' ? info.unit : NULL;
    }
  sw_panel_set_x_label (panel, xl, xu);
  {
    SwRespProtocol p;
    sw_resp_protocol_default (&p);
    /* Translators: the title of the responsiveness plot: the stimulus's
     * extra rate per source (Hz) and duration (ms). */
    g_autofree char *title = g_strdup_printf (_("Response to a pulse of %g Hz for %g ms onto E"),
                                              p.amplitude_hz, p.duration_ms);
    sw_panel_set_title (panel, title);
  }

  g_autofree double *xs = g_new (double, r->n);
  g_autofree double *mean = g_new (double, r->n);
  g_autofree double *sem = g_new (double, r->n);
  g_autofree double *mf = g_new (double, r->n);
  gboolean any_mf = FALSE;

  for (int k = 0; k < r->n; k++)
    {
      const Point *pt = &r->pts[k];
      xs[k] = pt->x;
      mean[k] = pt->net != NULL ? pt->net->value[m] : NAN;
      sem[k] = pt->net != NULL && isfinite (pt->net->sem[m]) ? pt->net->sem[m] : 0.0;
      mf[k] = pt->mf != NULL && pt->mf->outcome == SW_RESP_MF_RETURNS ? pt->mf->value[m] : NAN;
      any_mf = any_mf || isfinite (mf[k]);
    }

  g_autofree char *net_label =
    /* Translators: legend of the network's curve; %d is the number of trials. */
    g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "network, mean ± s.e.m. (%d trial)",
                                  "network, mean ± s.e.m. (%d trials)", r->n_trials),
                     r->n_trials);
  SwStyle net = { .colour = theme->series[0], .marker = SW_MARKER_CIRCLE, .width = 1.3 };
  SwStyle mfs = { .colour = theme->series[1], .dash = SW_DASH_DASHED, .marker = SW_MARKER_SQUARE,
                  .open_marker = true, .width = 1.3 };
  sw_panel_add_mean_sem (panel, xs, mean, sem, r->n, net_label, &net, NULL);
  if (any_mf)
    {
      g_autofree char *mf_label =
        /* Translators: legend of the mean field's curve; %s names its coefficients. */
        g_strdup_printf (_("mean field (%s)"), SW_RESPONSE_VIEW_COEFFS);
      sw_panel_add_line (panel, xs, mf, r->n, mf_label, &mfs, NULL);
    }

  /* The current value of the variable, on the network's curve. */
  if (variable_info (doc, r->name, &info) && r->n > 1 && info.value >= xs[0]
      && info.value <= xs[r->n - 1])
    {
      int k = 0;
      while (k < r->n - 2 && xs[k + 1] < info.value)
        k++;
      double t = (info.value - xs[k]) / (xs[k + 1] - xs[k]);
      double y = mean[k] + t * (mean[k + 1] - mean[k]);
      if (isfinite (y))
        {
          /* Translators: the label of the marker at the variable's current value. */
          g_autofree char *label = g_strdup_printf (_("now: %g"), info.value);
          sw_panel_add_marker (panel, info.value, y, label, NULL);
        }
    }
}

static void
draw_cb (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  SwResponseView *self = data;
  SwPlotTheme theme;

  if (self->fig == NULL)
    self->fig = sw_figure_new (1, 1);
  sw_live_style (GTK_WIDGET (area), self->presentation, &theme, NULL, NULL);
  sw_figure_set_theme (self->fig, &theme);
  build_figure (self, self->fig, &theme);
  sw_figure_draw (self->fig, cr, width, height);
}

static void
update_summary (SwResponseView *self)
{
  g_autofree char *text = NULL;

  if (self->result == NULL)
    text = g_strdup (_("Responsiveness curve: not computed yet."));
  else
    /* Translators: accessible description: the measure and the variable. */
    text = g_strdup_printf (_("Responsiveness curve: %s against %s, network and mean field."),
                            sw_resp_measure (selected_measure (self))->label, self->result->name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->area), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text, -1);
}

/* --- computation ------------------------------------------------------------ */

static gboolean
progress_cb (gpointer data)
{
  SwResponseView *self = data;

  if (self->job != NULL)
    {
      int total = self->job->result->n * self->job->result->n_trials;
      int done = atomic_load (&self->job->done);
      double elapsed = (g_get_monotonic_time () - self->started_us) * 1e-6;

      gtk_progress_bar_set_fraction (self->progress_bar, (double) done / MAX (total, 1));
      if (!atomic_load (&self->job->cancel))
        {
          g_autofree char *text = NULL;
          if (done > 0)
            /* Translators: progress of the sweep: trials done, all trials, seconds left. */
            text = g_strdup_printf (_("Trial %d of %d, about %.0f s left"), done, total,
                                    elapsed / done * (total - done));
          else
            text = g_strdup_printf (_("Trial %d of %d"), done, total);
          gtk_label_set_label (self->status_label, text);
        }
    }
  return G_SOURCE_CONTINUE;
}

static void
compute_done_cb (GObject *source, GAsyncResult *res, gpointer data)
{
  SwResponseView *self = SW_RESPONSE_VIEW (source);
  GTask *task = G_TASK (res);
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  (void) atomic_load_explicit (&job->handoff, memory_order_acquire);
  gboolean ok = g_task_propagate_boolean (task, &error);

  if (self->task != task)
    return;
  g_clear_object (&self->task);
  self->job = NULL;
  g_clear_handle_id (&self->progress_source, g_source_remove);
  /* A view disposed meanwhile (its window closed) only lets go. */
  if (self->area == NULL)
    return;
  set_busy_ui (self);
  if (!ok)
    gtk_label_set_label (self->status_label, error->message);
  else
    {
      result_free (self->result);
      self->result = g_steal_pointer (&job->result);
      if (self->result->mf_missing != NULL)
        {
          /* Translators: %s says why (from the simulation, in English). */
          g_autofree char *text = g_strdup_printf (_("No mean field for this network: %s"),
                                                   self->result->mf_missing);
          gtk_label_set_label (self->status_label, text);
        }
      else
        {
          /* Translators: how long the sweep took. */
          g_autofree char *text = g_strdup_printf (_("Done in %.0f s"),
                                                   (g_get_monotonic_time () - self->started_us) * 1e-6);
          gtk_label_set_label (self->status_label, text);
        }
      update_summary (self);
      gtk_widget_queue_draw (GTK_WIDGET (self->area));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
sw_response_view_compute (SwResponseView *self)
{
  SwDocument *doc;
  SwVariableInfo info;
  Job *job;
  GTask *task;

  g_return_if_fail (SW_IS_RESPONSE_VIEW (self));

  doc = document (self);
  if (doc == NULL || !variable_info (doc, self->name, &info))
    {
      gtk_label_set_label (self->status_label, _("Choose a variable with a range to sweep"));
      return;
    }
  if (self->task != NULL)
    {
      /* The old worker stops on its own; its result is dropped. */
      atomic_store (&self->job->cancel, 1);
      g_clear_object (&self->task);
      self->job = NULL;
    }

  job = g_new0 (Job, 1);
  job->json = sw_document_to_json (doc);
  job->display_name = g_strdup (sw_document_get_display_name (doc));
  job->min = info.min;
  job->max = info.max;
  job->result = g_new0 (Result, 1);
  job->result->name = g_strdup (self->name);
  job->result->n = gtk_spin_button_get_value_as_int (self->points_spin);
  job->result->n_trials = gtk_spin_button_get_value_as_int (self->trials_spin);
  job->result->pts = g_new0 (Point, job->result->n);

  task = g_task_new (self, NULL, compute_done_cb, NULL);
  g_task_set_source_tag (task, sw_response_view_compute);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  self->task = g_object_ref (task);
  self->job = job;
  self->started_us = g_get_monotonic_time ();
  atomic_store_explicit (&job->handoff, 1, memory_order_release);
  g_task_run_in_thread (task, compute_thread);
  g_object_unref (task);

  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_label_set_label (self->status_label, _("Starting…"));
  g_clear_handle_id (&self->progress_source, g_source_remove);
  self->progress_source = g_timeout_add (PROGRESS_INTERVAL_MS, progress_cb, self);
  set_busy_ui (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
sw_response_view_cancel (SwResponseView *self)
{
  g_return_if_fail (SW_IS_RESPONSE_VIEW (self));

  if (self->job == NULL)
    return;
  /* The trials check the flag between steps; the task finishes soon
   * after, and "busy" goes off then. */
  atomic_store (&self->job->cancel, 1);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), FALSE);
  gtk_label_set_label (self->status_label, _("Stopping…"));
}

/* --- following the document ----------------------------------------------- */

static void
refill_variables (SwResponseView *self)
{
  SwDocument *doc = document (self);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  guint n = doc != NULL ? sw_document_get_n_variables (doc) : 0;
  gboolean same;

  for (guint k = 0; k < n; k++)
    {
      SwVariableInfo info;
      if (sw_document_get_variable (doc, k, &info) && isfinite (info.min) && isfinite (info.max)
          && info.max > info.min)
        g_ptr_array_add (names, g_strdup (info.name));
    }
  same = names->len == self->names->len;
  for (guint k = 0; same && k < names->len; k++)
    same = g_str_equal (names->pdata[k], self->names->pdata[k]);
  if (same)
    {
      gtk_widget_queue_draw (GTK_WIDGET (self->area));
      return;
    }

  self->updating = TRUE;
  g_ptr_array_set_size (self->names, 0);
  {
    g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
    g_auto(GStrv) strv = NULL;
    guint chosen = 0;
    for (guint k = 0; k < names->len; k++)
      {
        SwVariableInfo info;
        g_ptr_array_add (self->names, g_strdup (names->pdata[k]));
        variable_info (doc, names->pdata[k], &info);
        g_strv_builder_add (labels, info.label != NULL ? info.label : info.name);
        if (g_str_equal (info.name, "nu_ext"))
          chosen = k;
      }
    strv = g_strv_builder_end (labels);
    gtk_string_list_splice (self->labels, 0, g_list_model_get_n_items (G_LIST_MODEL (self->labels)),
                            (const char *const *) strv);
    g_free (self->name);
    self->name = names->len > 0 ? g_strdup (names->pdata[chosen]) : NULL;
    gtk_drop_down_set_selected (self->variable_dropdown, chosen);
  }
  self->updating = FALSE;
  /* Another model: the old curve is about something else. */
  g_clear_pointer (&self->result, result_free);
  gtk_widget_set_sensitive (GTK_WIDGET (self->compute_button), self->name != NULL && self->task == NULL);
  gtk_label_set_label (self->status_label,
                       self->name != NULL ? _("Press Compute to run the sweep (it takes a while)")
                                          : _("This model has no variable with a range to sweep"));
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

static void
variable_selected_cb (SwResponseView *self)
{
  guint k = gtk_drop_down_get_selected (self->variable_dropdown);

  if (self->updating || k >= self->names->len)
    return;
  g_free (self->name);
  self->name = g_strdup (self->names->pdata[k]);
}

static void
measure_selected_cb (SwResponseView *self)
{
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

static void
compute_clicked_cb (SwResponseView *self)
{
  sw_response_view_compute (self);
}

static void
cancel_clicked_cb (SwResponseView *self)
{
  sw_response_view_cancel (self);
}

/* --- export ---------------------------------------------------------------- */

static void
export_response_cb (GtkNativeDialog *chooser, int response, SwResponseView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (path == NULL)
        gtk_label_set_label (self->status_label, _("Only files on this computer can be written"));
      else if (!sw_response_view_export (self, path, &error))
        gtk_label_set_label (self->status_label, error->message);
      else
        {
          g_autofree char *base = g_filename_display_basename (path);
          g_autofree char *text = g_strdup_printf (_("Exported “%s”"), base);
          gtk_label_set_label (self->status_label, text);
        }
    }
  g_object_unref (chooser);
}

static void
export_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SwResponseView *self = SW_RESPONSE_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *name = g_strconcat ("responsiveness.", g_variant_get_string (parameter, NULL), NULL);
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Export the Responsiveness Curve"),
                                 GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                 GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
append_number (GString *s, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (s, ',');
  if (isfinite (v))
    g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.6g", v));
}

static gboolean
export_csv (SwResponseView *self, const char *path, GError **error)
{
  Result *r = self->result;
  g_autoptr(GString) s = g_string_new (r->name);
  int nm = sw_resp_n_measures ();
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (s, ",trials");
  for (int m = 0; m < nm; m++)
    g_string_append_printf (s, ",net_%s,net_%s_sem", sw_resp_measure (m)->name,
                            sw_resp_measure (m)->name);
  for (int m = 0; m < nm; m++)
    g_string_append_printf (s, ",mf_%s", sw_resp_measure (m)->name);
  g_string_append (s, ",mf_class,mf_outcome\n");
  for (int k = 0; k < r->n; k++)
    {
      const Point *pt = &r->pts[k];
      g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.10g", pt->x));
      g_string_append_printf (s, ",%d", r->n_trials);
      for (int m = 0; m < nm; m++)
        {
          append_number (s, pt->net != NULL ? pt->net->value[m] : NAN);
          append_number (s, pt->net != NULL ? pt->net->sem[m] : NAN);
        }
      for (int m = 0; m < nm; m++)
        append_number (s, pt->mf != NULL ? pt->mf->value[m] : NAN);
      g_string_append_printf (s, ",%s,%s\n", pt->mf != NULL ? sw_mf_class_name (pt->mf->cls) : "",
                              pt->mf != NULL ? sw_resp_mf_outcome_name (pt->mf->outcome) : "");
    }
  return sw_live_export_text (path, s->str, s->len, error);
}

gboolean
sw_response_view_export (SwResponseView *self, const char *path, GError **error)
{
  SwLiveExportKind kind;
  SwPlotTheme theme;
  SwFigure *fig;
  gboolean ok;

  g_return_val_if_fail (SW_IS_RESPONSE_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!sw_live_export_kind (path, &kind, error))
    return FALSE;
  if (self->result == NULL)
    {
      g_set_error (error, SW_LIVE_ERROR, SW_LIVE_ERROR_EMPTY,
                   _("There is no responsiveness curve to export yet: compute it first"));
      return FALSE;
    }
  if (kind == SW_LIVE_EXPORT_CSV)
    return export_csv (self, path, error);

  fig = sw_figure_new (1, 1);
  sw_plot_theme_init (&theme, SW_PLOT_THEME_LIGHT);
  build_figure (self, fig, &theme);
  {
    /* Translators: the title of an exported responsiveness curve; %s is the model. */
    g_autofree char *title = g_strdup_printf (_("Responsiveness — %s"),
                                              sw_document_get_display_name (document (self)));
    sw_figure_set_title (fig, title);
  }
  ok = sw_live_export_figure (fig, path, 900, 560, error);
  sw_figure_free (fig);
  return ok;
}

/* --- GObject --------------------------------------------------------------- */

static void
sw_response_view_dispose (GObject *object)
{
  SwResponseView *self = SW_RESPONSE_VIEW (object);

  if (self->job != NULL)
    atomic_store (&self->job->cancel, 1);
  g_clear_handle_id (&self->progress_source, g_source_remove);
  self->window = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), SW_TYPE_RESPONSE_VIEW);

  G_OBJECT_CLASS (sw_response_view_parent_class)->dispose (object);
}

static void
sw_response_view_finalize (GObject *object)
{
  SwResponseView *self = SW_RESPONSE_VIEW (object);

  g_clear_object (&self->task);
  result_free (self->result);
  g_clear_pointer (&self->fig, sw_figure_free);
  g_ptr_array_unref (self->names);
  g_clear_object (&self->labels);
  g_free (self->name);

  G_OBJECT_CLASS (sw_response_view_parent_class)->finalize (object);
}

static void
sw_response_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SwResponseView *self = SW_RESPONSE_VIEW (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->task != NULL);
      break;
    case PROP_PRESENTATION:
      g_value_set_boolean (value, self->presentation);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sw_response_view_set_property (GObject *object, guint prop_id, const GValue *value,
                               GParamSpec *pspec)
{
  SwResponseView *self = SW_RESPONSE_VIEW (object);

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
sw_response_view_class_init (SwResponseViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sw_response_view_dispose;
  object_class->finalize = sw_response_view_finalize;
  object_class->get_property = sw_response_view_get_property;
  object_class->set_property = sw_response_view_set_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PRESENTATION] =
    g_param_spec_boolean ("presentation", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/sw-response-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SwResponseView, content);
  gtk_widget_class_bind_template_child (widget_class, SwResponseView, variable_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SwResponseView, measure_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SwResponseView, points_spin);
  gtk_widget_class_bind_template_child (widget_class, SwResponseView, trials_spin);
  gtk_widget_class_bind_template_child (widget_class, SwResponseView, compute_button);
  gtk_widget_class_bind_template_child (widget_class, SwResponseView, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, SwResponseView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SwResponseView, status_label);
  gtk_widget_class_bind_template_child (widget_class, SwResponseView, area);
  gtk_widget_class_bind_template_callback (widget_class, variable_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, measure_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, compute_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_install_action (widget_class, "response.export", "s", export_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "swresponseview");
}

static void
sw_response_view_init (SwResponseView *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) measures = NULL;
  g_autoptr(GtkStringList) measure_list = NULL;

  self->names = g_ptr_array_new_with_free_func (g_free);
  self->labels = gtk_string_list_new (NULL);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->updating = TRUE;
  gtk_drop_down_set_model (self->variable_dropdown, G_LIST_MODEL (self->labels));
  /* The measures' labels come from the core's table (in English, with
   * their symbols). */
  for (int m = 0; m < sw_resp_n_measures (); m++)
    g_strv_builder_add (builder, sw_resp_measure (m)->label);
  measures = g_strv_builder_end (builder);
  measure_list = gtk_string_list_new ((const char *const *) measures);
  gtk_drop_down_set_model (self->measure_dropdown, G_LIST_MODEL (measure_list));
  self->updating = FALSE;
  gtk_spin_button_set_value (self->points_spin, DEFAULT_POINTS);
  gtk_spin_button_set_value (self->trials_spin, DEFAULT_TRIALS);
  gtk_drawing_area_set_draw_func (self->area, draw_cb, self, NULL);
  set_busy_ui (self);
  update_summary (self);
}

/* --- API ------------------------------------------------------------------- */

GtkWidget *
sw_response_view_new (void)
{
  return g_object_new (SW_TYPE_RESPONSE_VIEW, NULL);
}

void
sw_response_view_set_window (SwResponseView *self, SwWindow *window)
{
  g_return_if_fail (SW_IS_RESPONSE_VIEW (self));
  g_return_if_fail (window == NULL || SW_IS_WINDOW (window));

  if (self->window != NULL)
    g_signal_handlers_disconnect_by_data (self->window, self);
  self->window = window;
  if (window != NULL)
    {
      g_signal_connect_object (window, "document-changed", G_CALLBACK (refill_variables), self,
                               G_CONNECT_SWAPPED);
      refill_variables (self);
    }
}

void
sw_response_view_set_variable (SwResponseView *self, const char *name)
{
  g_return_if_fail (SW_IS_RESPONSE_VIEW (self));

  for (guint k = 0; k < self->names->len; k++)
    if (g_strcmp0 (self->names->pdata[k], name) == 0)
      gtk_drop_down_set_selected (self->variable_dropdown, k);
}

const char *
sw_response_view_get_variable (SwResponseView *self)
{
  g_return_val_if_fail (SW_IS_RESPONSE_VIEW (self), NULL);
  return self->name;
}

void
sw_response_view_set_points (SwResponseView *self, int n)
{
  g_return_if_fail (SW_IS_RESPONSE_VIEW (self));
  gtk_spin_button_set_value (self->points_spin, n);
}

void
sw_response_view_set_trials (SwResponseView *self, int n)
{
  g_return_if_fail (SW_IS_RESPONSE_VIEW (self));
  gtk_spin_button_set_value (self->trials_spin, n);
}

gboolean
sw_response_view_get_busy (SwResponseView *self)
{
  g_return_val_if_fail (SW_IS_RESPONSE_VIEW (self), FALSE);
  return self->task != NULL;
}

gboolean
sw_response_view_has_result (SwResponseView *self)
{
  g_return_val_if_fail (SW_IS_RESPONSE_VIEW (self), FALSE);
  return self->result != NULL;
}
