/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwSweepView (see sw-sweep-view.h).
 *
 * The worker gets the document as text and loads its own copy, so that the
 * window's document is never touched off the main thread.  Points are run
 * in the order of `spikeworks-cli sweep` (x fastest) with the same point
 * indices, so a point gives the numbers the command line gives for the same
 * document, settings and seed.
 */
#define G_LOG_DOMAIN "Spikeworks-Sweep"

#include "config.h"

#include "sw-sweep-view.h"

#include "sw-figure.h"
#include "sw-live-view.h"
#include "sw-mf-grid.h"
#include "sw-window.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <stdatomic.h>
#include <string.h>

#define PROGRESS_INTERVAL_MS 150
#define MAX_N 100

/* The measures offered, in the order of the dropdown. */
static const SwSweepMeasure offered[] = { SW_SWEEP_RATE, SW_SWEEP_CV, SW_SWEEP_CHI, SW_SWEEP_PEAK };

static const char *
measure_label (SwSweepMeasure m)
{
  switch (m)
    {
    case SW_SWEEP_RATE:
      return _("Mean rate");
    case SW_SWEEP_CV:
      return _("CV of the intervals");
    case SW_SWEEP_CHI:
      /* Translators: the synchrony measure χ of a population. */
      return _("Synchrony χ");
    case SW_SWEEP_PEAK:
      return _("Spectrum peak");
    default:
      return sw_sweep_measure_info (m)->label;
    }
}

/* ------------------------------------------------------------------------ */
/* Grids and their computation                                               */

typedef struct
{
  char *x_name, *y_name;
  double x_min, x_max, y_min, y_max;
  int nx, ny;
  int n_pops;
  char **pops;
  /* [point * n_pops * SW_SWEEP_N_MEASURES + pop * SW_SWEEP_N_MEASURES + m] */
  double *values;
  int *blowups;
  atomic_int *done;          /* per point: 1 once its values are written */
} Grid;

static void
grid_free (Grid *g)
{
  if (g == NULL)
    return;
  g_free (g->x_name);
  g_free (g->y_name);
  g_strfreev (g->pops);
  g_free (g->values);
  g_free (g->blowups);
  g_free (g->done);
  g_free (g);
}

static double
axis_value (double lo, double hi, int n, int i)
{
  return n > 1 ? lo + (hi - lo) * i / (n - 1) : lo;
}

/* Reference counted: the worker and the view both hold the grid's job, so
 * that Cancel can keep the points finished while the worker lets go. */
typedef struct
{
  gatomicrefcount ref;
  char *json, *display_name;
  Grid *grid;
  SwSweepSettings settings;
  atomic_int cancel;
  atomic_int n_done;
  /* Release/acquire around the hand-off through GTask (whose futexes
   * ThreadSanitizer cannot see): 1 = set up, 2 = finished. */
  atomic_int handoff;
  double seconds;
} Job;

static Job *
job_ref (Job *job)
{
  g_atomic_ref_count_inc (&job->ref);
  return job;
}

static void
job_unref (Job *job)
{
  if (job == NULL || !g_atomic_ref_count_dec (&job->ref))
    return;
  g_free (job->json);
  g_free (job->display_name);
  grid_free (job->grid);
  g_free (job);
}

static gboolean
run_grid (Job *job, GCancellable *cancellable, GError **error)
{
  Grid *g = job->grid;
  g_autoptr(SwDocument) doc = sw_document_load_data (job->json, -1, job->display_name, error);
  int n_points = g->nx * g->ny, stride = g->n_pops * SW_SWEEP_N_MEASURES;
  gint64 start = g_get_monotonic_time ();

  if (doc == NULL)
    return FALSE;
  for (int p = 0; p < n_points; p++)
    {
      SwSweepPoint pt;
      double x = axis_value (g->x_min, g->x_max, g->nx, p % g->nx);
      double y = axis_value (g->y_min, g->y_max, g->ny, p / g->nx);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!sw_sweep_run_point (doc, g->x_name, x, g->y_name, y, p, &job->settings, &pt, error))
        return FALSE;
      for (int k = 0; k < stride; k++)
        g->values[(gsize) p * stride + k] = k < pt.n_pops * SW_SWEEP_N_MEASURES ? pt.values[k] : NAN;
      g->blowups[p] = pt.blowups;
      sw_sweep_point_clear (&pt);
      atomic_store_explicit (&g->done[p], 1, memory_order_release);
      atomic_fetch_add (&job->n_done, 1);
    }
  job->seconds = (g_get_monotonic_time () - start) * 1e-6;
  return TRUE;
}

static void
sweep_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job *job = data;
  GError *error = NULL;

  (void) atomic_load_explicit (&job->handoff, memory_order_acquire);
  gboolean ok = run_grid (job, cancellable, &error);
  atomic_store_explicit (&job->handoff, 2, memory_order_release);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* ------------------------------------------------------------------------ */
/* The object                                                                */

struct _SwSweepView
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkDropDown *axis_dropdown[2];
  GtkSpinButton *lo_spin[2], *hi_spin[2], *n_spin[2];
  GtkDropDown *measure_dropdown, *pop_dropdown;
  GtkSpinButton *duration_spin, *warmup_spin, *trials_spin;
  GtkWidget *start_button, *cancel_button;
  GtkProgressBar *progress_bar;
  GtkLabel *status_label;
  GtkDrawingArea *area;

  SwWindow *window;          /* not owned */
  gboolean presentation;
  GPtrArray *names;          /* variables offered on the axes */
  GtkStringList *labels;     /* their labels */
  GtkStringList *pop_names;
  gboolean updating;
  /* The document whose run settings the spin buttons took (compared,
   * never dereferenced): another document brings its own. */
  gconstpointer settings_of;

  GTask *task;
  GCancellable *cancellable;
  Job *job;                  /* the grid shown (finished or under way), or NULL */
  /* Points shown: copied from job->grid->done with acquire ordering. */
  guint8 *shown;
  int n_shown;
  guint progress_source;

  SwFigure *fig;
};

G_DEFINE_FINAL_TYPE (SwSweepView, sw_sweep_view, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_BUSY,
  PROP_PRESENTATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static SwDocument *
document (SwSweepView *self)
{
  return self->window != NULL ? sw_window_get_document (self->window) : NULL;
}

static gboolean
variable_info (SwDocument *doc, const char *name, SwVariableInfo *info)
{
  int k = name != NULL && doc != NULL ? sw_document_find_variable (doc, name) : -1;

  return k >= 0 && sw_document_get_variable (doc, (guint) k, info);
}

static const char *
axis_name (SwSweepView *self, int v)
{
  guint k = gtk_drop_down_get_selected (self->axis_dropdown[v]);

  return k < self->names->len ? self->names->pdata[k] : NULL;
}

static void
set_busy_ui (SwSweepView *self)
{
  gboolean busy = self->task != NULL;

  gtk_widget_set_visible (self->cancel_button, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), busy);
  gtk_widget_set_sensitive (self->start_button, !busy);
}

/* Takes the points the worker finished since the last call. */
static gboolean
collect (SwSweepView *self)
{
  Grid *g = self->job != NULL ? self->job->grid : NULL;
  gboolean more = FALSE;

  if (g == NULL)
    return FALSE;
  for (int p = 0; p < g->nx * g->ny; p++)
    if (!self->shown[p] && atomic_load_explicit (&g->done[p], memory_order_acquire))
      {
        self->shown[p] = 1;
        self->n_shown++;
        more = TRUE;
      }
  return more;
}

/* --- drawing -------------------------------------------------------------- */

static void
axis_title (SwDocument *doc, const char *name, const char **label, const char **unit)
{
  SwVariableInfo info;

  *label = name;
  *unit = NULL;
  if (variable_info (doc, name, &info))
    {
      *label = info.label != NULL ? info.label : info.name;
      *unit = info.unit != NULL && info.unit[0] != '\0' ? info.unit : NULL;
    }
}

static SwSweepMeasure
chosen_measure (SwSweepView *self)
{
  guint k = gtk_drop_down_get_selected (self->measure_dropdown);

  return k < G_N_ELEMENTS (offered) ? offered[k] : SW_SWEEP_RATE;
}

static int
chosen_pop (SwSweepView *self)
{
  guint k = gtk_drop_down_get_selected (self->pop_dropdown);

  return k == GTK_INVALID_LIST_POSITION ? 0 : (int) k;
}

static void
build_figure (SwSweepView *self, SwFigure *fig)
{
  SwPanel *panel = sw_figure_panel (fig, 0, 0);
  SwDocument *doc = document (self);
  Grid *g = self->job != NULL ? self->job->grid : NULL;
  SwSweepMeasure m = chosen_measure (self);
  int pop = chosen_pop (self);
  const char *xl, *xu, *yl, *yu;

  sw_panel_clear (panel);
  if (doc == NULL)
    return;
  if (g == NULL)
    {
      /* Before the first sweep: the axes of the grid chosen, and where
       * the sliders are. */
      const char *xn = axis_name (self, 0), *yn = axis_name (self, 1);
      SwVariableInfo xi, yi;

      if (xn == NULL || yn == NULL || !variable_info (doc, xn, &xi) || !variable_info (doc, yn, &yi))
        return;
      axis_title (doc, xn, &xl, &xu);
      axis_title (doc, yn, &yl, &yu);
      sw_panel_set_x_label (panel, xl, xu);
      sw_panel_set_y_label (panel, yl, yu);
      sw_panel_set_x_limits (panel, gtk_spin_button_get_value (self->lo_spin[0]),
                             MAX (gtk_spin_button_get_value (self->hi_spin[0]),
                                  gtk_spin_button_get_value (self->lo_spin[0]) + 1e-9));
      sw_panel_set_y_limits (panel, gtk_spin_button_get_value (self->lo_spin[1]),
                             MAX (gtk_spin_button_get_value (self->hi_spin[1]),
                                  gtk_spin_button_get_value (self->lo_spin[1]) + 1e-9));
      sw_panel_set_title (panel, _("Not computed yet"));
      sw_panel_add_marker (panel, xi.value, yi.value, _("current values"), NULL);
      return;
    }
  if (pop >= g->n_pops)
    return;

  double hx = g->nx > 1 ? (g->x_max - g->x_min) / (g->nx - 1) : 1.0;
  double hy = g->ny > 1 ? (g->y_max - g->y_min) / (g->ny - 1) : 1.0;
  double x0 = g->x_min - hx / 2, x1 = g->x_max + hx / 2;
  double y0 = g->y_min - hy / 2, y1 = g->y_max + hy / 2;
  gsize n = (gsize) g->nx * g->ny;
  g_autofree double *v = g_new (double, n);
  g_autofree char *title = NULL;
  SwVariableInfo xi, yi;

  for (gsize p = 0; p < n; p++)
    v[p] = self->shown[p] ? sw_sweep_view_get_value (self, (int) (p % g->nx), (int) (p / g->nx), m, pop)
                          : NAN;
  axis_title (doc, g->x_name, &xl, &xu);
  axis_title (doc, g->y_name, &yl, &yu);
  sw_panel_set_x_label (panel, xl, xu);
  sw_panel_set_y_label (panel, yl, yu);
  sw_panel_set_x_limits (panel, x0, x1);
  sw_panel_set_y_limits (panel, y0, y1);
  /* Translators: the title of the simulated map: measure and population. */
  title = g_strdup_printf (_("%s of %s"), measure_label (m), g->pops[pop]);
  sw_panel_set_title (panel, title);
  sw_panel_add_heatmap (panel, v, g->nx, g->ny, x0, x1, y0, y1, SW_COLORMAP_VIRIDIS, measure_label (m),
                        sw_sweep_measure_info (m)->unit, NULL);
  if (variable_info (doc, g->x_name, &xi) && variable_info (doc, g->y_name, &yi))
    sw_panel_add_marker (panel, xi.value, yi.value, _("current values"), NULL);
}

static void
draw_cb (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  SwSweepView *self = data;
  SwPlotTheme theme;

  if (self->fig == NULL)
    self->fig = sw_figure_new (1, 1);
  sw_live_style (GTK_WIDGET (area), self->presentation, &theme, NULL, NULL);
  sw_figure_set_theme (self->fig, &theme);
  build_figure (self, self->fig);
  sw_figure_draw (self->fig, cr, width, height);
}

static void
update_summary (SwSweepView *self)
{
  g_autofree char *text = NULL;
  Grid *g = self->job != NULL ? self->job->grid : NULL;

  if (g == NULL)
    text = g_strdup (_("Simulated phase diagram: not computed yet."));
  else
    /* Translators: the accessible description of the simulated map. */
    text = g_strdup_printf (_("Simulated phase diagram over %s and %s: %d of %d points."), g->x_name,
                            g->y_name, self->n_shown, g->nx * g->ny);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->area), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text, -1);
}

static void
show_progress (SwSweepView *self)
{
  Grid *g = self->job != NULL ? self->job->grid : NULL;
  g_autofree char *text = NULL;

  if (g == NULL)
    return;
  gtk_progress_bar_set_fraction (self->progress_bar, (double) self->n_shown / (g->nx * g->ny));
  /* Translators: points of the simulated map finished so far. */
  text = g_strdup_printf (_("%d of %d points"), self->n_shown, g->nx * g->ny);
  gtk_label_set_label (self->status_label, text);
}

static gboolean
progress_cb (gpointer data)
{
  SwSweepView *self = data;

  if (collect (self))
    {
      show_progress (self);
      update_summary (self);
      gtk_widget_queue_draw (GTK_WIDGET (self->area));
    }
  return G_SOURCE_CONTINUE;
}

/* --- the computation ------------------------------------------------------ */

static void
stop_task (SwSweepView *self)
{
  g_clear_object (&self->task);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->progress_source, g_source_remove);
  set_busy_ui (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
sweep_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  SwSweepView *self = SW_SWEEP_VIEW (source);
  GTask *task = G_TASK (result);
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  (void) atomic_load_explicit (&job->handoff, memory_order_acquire);
  if (self->box == NULL)
    return;
  if (self->task != task)
    return;
  stop_task (self);
  collect (self);
  show_progress (self);
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
  if (!g_task_propagate_boolean (task, &error))
    {
      gtk_label_set_label (self->status_label, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                                                 ? _("Cancelled") : error->message);
      return;
    }
  {
    int blowups = 0;
    for (int p = 0; p < job->grid->nx * job->grid->ny; p++)
      blowups += job->grid->blowups[p];
    /* Translators: points of the map, the seconds they took and the trials
     * whose network blew up. */
    g_autofree char *text = g_strdup_printf (_("%d points in %.1f s (%d trials blew up)"),
                                             job->grid->nx * job->grid->ny, job->seconds, blowups);
    gtk_label_set_label (self->status_label, text);
  }
}

static void
refill_pops (SwSweepView *self, char **pops)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->pop_names));
  guint keep = gtk_drop_down_get_selected (self->pop_dropdown);
  gboolean same = n == g_strv_length (pops);

  for (guint k = 0; same && k < n; k++)
    same = g_str_equal (gtk_string_list_get_string (self->pop_names, k), pops[k]);
  if (same)
    return;
  gtk_string_list_splice (self->pop_names, 0, n, (const char *const *) pops);
  if (keep != GTK_INVALID_LIST_POSITION && keep < g_strv_length (pops))
    gtk_drop_down_set_selected (self->pop_dropdown, keep);
}

void
sw_sweep_view_start (SwSweepView *self)
{
  SwDocument *doc;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) pops = NULL;
  const char *x_name, *y_name;
  Job *job;
  Grid *g;

  g_return_if_fail (SW_IS_SWEEP_VIEW (self));

  sw_sweep_view_cancel (self);
  doc = document (self);
  x_name = axis_name (self, 0);
  y_name = axis_name (self, 1);
  if (doc == NULL || x_name == NULL || y_name == NULL)
    {
      gtk_label_set_label (self->status_label, _("The model has no variables with ranges to sweep"));
      return;
    }
  if (g_str_equal (x_name, y_name))
    {
      gtk_label_set_label (self->status_label, _("Choose two different variables"));
      return;
    }
  pops = sw_sweep_population_names (doc, &error);
  if (pops == NULL || pops[0] == NULL)
    {
      gtk_label_set_label (self->status_label,
                           error != NULL ? error->message : _("The network has no populations of neurons"));
      return;
    }
  refill_pops (self, pops);

  job = g_new0 (Job, 1);
  g_atomic_ref_count_init (&job->ref);
  job->json = sw_document_to_json (doc);
  job->display_name = g_strdup (sw_document_get_display_name (doc));
  job->grid = g = g_new0 (Grid, 1);
  g->x_name = g_strdup (x_name);
  g->y_name = g_strdup (y_name);
  g->x_min = gtk_spin_button_get_value (self->lo_spin[0]);
  g->x_max = gtk_spin_button_get_value (self->hi_spin[0]);
  g->y_min = gtk_spin_button_get_value (self->lo_spin[1]);
  g->y_max = gtk_spin_button_get_value (self->hi_spin[1]);
  g->nx = gtk_spin_button_get_value_as_int (self->n_spin[0]);
  g->ny = gtk_spin_button_get_value_as_int (self->n_spin[1]);
  if (g->x_max == g->x_min && g->nx > 1)
    g->nx = 1;
  if (g->y_max == g->y_min && g->ny > 1)
    g->ny = 1;
  g->n_pops = (int) g_strv_length (pops);
  g->pops = g_steal_pointer (&pops);
  g->values = g_new (double, (gsize) g->nx * g->ny * g->n_pops * SW_SWEEP_N_MEASURES);
  g->blowups = g_new0 (int, (gsize) g->nx * g->ny);
  g->done = g_new0 (atomic_int, (gsize) g->nx * g->ny);
  job->settings = (SwSweepSettings) {
    .duration_ms = gtk_spin_button_get_value (self->duration_spin),
    .warmup_ms = gtk_spin_button_get_value (self->warmup_spin),
    .dt_ms = sw_document_get_dt_ms (doc),
    .threads = -1,
    .trials = gtk_spin_button_get_value_as_int (self->trials_spin),
    .seed = sw_document_get_seed (doc),
    .cancel = &job->cancel,
  };
  if (g->x_min > g->x_max || g->y_min > g->y_max)
    {
      job_unref (job);
      gtk_label_set_label (self->status_label, _("The first value of an axis must not exceed the last"));
      return;
    }
  if (job->settings.warmup_ms >= job->settings.duration_ms)
    {
      job_unref (job);
      gtk_label_set_label (self->status_label, _("The warm-up must be shorter than the duration"));
      return;
    }

  job_unref (self->job);
  self->job = job;
  g_free (self->shown);
  self->shown = g_new0 (guint8, (gsize) g->nx * g->ny);
  self->n_shown = 0;

  self->cancellable = g_cancellable_new ();
  self->task = g_task_new (self, self->cancellable, sweep_done_cb, NULL);
  g_task_set_source_tag (self->task, sw_sweep_view_start);
  g_task_set_task_data (self->task, job_ref (job), (GDestroyNotify) job_unref);
  g_task_set_return_on_cancel (self->task, FALSE);
  atomic_store_explicit (&job->handoff, 1, memory_order_release);
  g_task_run_in_thread (self->task, sweep_thread);

  show_progress (self);
  self->progress_source = g_timeout_add (PROGRESS_INTERVAL_MS, progress_cb, self);
  set_busy_ui (self);
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
sw_sweep_view_cancel (SwSweepView *self)
{
  g_return_if_fail (SW_IS_SWEEP_VIEW (self));

  if (self->task == NULL)
    return;
  /* The network under way stops within a chunk of steps; the points
   * finished stay on the map. */
  atomic_store (&self->job->cancel, 1);
  g_cancellable_cancel (self->cancellable);
  stop_task (self);
  collect (self);
  show_progress (self);
  gtk_label_set_label (self->status_label, _("Cancelled"));
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

/* --- controls --------------------------------------------------------------- */

/* The range of axis @v becomes that of its variable. */
static void
reset_axis (SwSweepView *self, int v)
{
  SwVariableInfo info;

  if (!variable_info (document (self), axis_name (self, v), &info))
    return;
  for (int k = 0; k < 2; k++)
    {
      GtkSpinButton *sb = k == 0 ? self->lo_spin[v] : self->hi_spin[v];
      gtk_spin_button_set_range (sb, info.min, info.max);
      gtk_spin_button_set_increments (sb, (info.max - info.min) / 100, (info.max - info.min) / 10);
      gtk_spin_button_set_value (sb, k == 0 ? info.min : info.max);
    }
}

static void
axis_selected_cb (GtkDropDown *dropdown, GParamSpec *pspec, SwSweepView *self)
{
  if (!self->updating)
    reset_axis (self, dropdown == self->axis_dropdown[1] ? 1 : 0);
}

static void
view_changed_cb (SwSweepView *self)
{
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

static void
refill_variables (SwSweepView *self)
{
  SwDocument *doc = document (self);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  guint n = doc != NULL ? sw_document_get_n_variables (doc) : 0;
  gboolean same;

  for (guint k = 0; k < n; k++)
    {
      SwVariableInfo info;
      if (sw_document_get_variable (doc, k, &info) && isfinite (info.min) && isfinite (info.max)
          && info.max > info.min)
        {
          g_ptr_array_add (names, g_strdup (info.name));
          g_ptr_array_add (labels, (gpointer) (info.label != NULL ? info.label : info.name));
        }
    }
  same = names->len == self->names->len;
  for (guint k = 0; same && k < names->len; k++)
    same = g_str_equal (names->pdata[k], self->names->pdata[k]);
  if (same)
    return;
  g_ptr_array_add (labels, NULL);
  self->updating = TRUE;
  g_ptr_array_set_size (self->names, 0);
  for (guint k = 0; k < names->len; k++)
    g_ptr_array_add (self->names, g_strdup (names->pdata[k]));
  gtk_string_list_splice (self->labels, 0, g_list_model_get_n_items (G_LIST_MODEL (self->labels)),
                          (const char *const *) labels->pdata);
  gtk_drop_down_set_selected (self->axis_dropdown[0], 0);
  gtk_drop_down_set_selected (self->axis_dropdown[1], names->len > 1 ? 1 : 0);
  self->updating = FALSE;
  reset_axis (self, 0);
  reset_axis (self, 1);
}

static void
document_changed_cb (SwSweepView *self)
{
  SwDocument *doc = document (self);

  refill_variables (self);
  if (doc != NULL && self->task == NULL)
    {
      g_auto(GStrv) pops = sw_sweep_population_names (doc, NULL);
      if (pops != NULL)
        refill_pops (self, pops);
    }
  /* The duration and warm-up of a new document; a change of a slider
   * keeps what was typed. */
  if (doc != NULL && doc != self->settings_of)
    {
      self->settings_of = doc;
      gtk_spin_button_set_value (self->duration_spin, sw_document_get_duration_ms (doc));
      gtk_spin_button_set_value (self->warmup_spin, sw_document_get_warmup_ms (doc));
    }
  /* The crosshair follows the sliders. */
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

/* --- exports ---------------------------------------------------------------- */

static void
export_response_cb (GtkNativeDialog *chooser, int response, SwSweepView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (path == NULL)
        gtk_label_set_label (self->status_label, _("Only files on this computer can be written"));
      else if (!sw_sweep_view_export (self, path, &error))
        gtk_label_set_label (self->status_label, error->message);
      else
        {
          g_autofree char *base = g_path_get_basename (path);
          /* Translators: %s is a file name. */
          g_autofree char *text = g_strdup_printf (_("Exported “%s”"), base);
          gtk_label_set_label (self->status_label, text);
        }
    }
  g_object_unref (chooser);
}

static void
export_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SwSweepView *self = SW_SWEEP_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *name = g_strconcat ("sweep.", g_variant_get_string (parameter, NULL), NULL);
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Export the Simulated Phase Diagram"),
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
    g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.10g", v));
}

static gboolean
export_csv (SwSweepView *self, const char *path, GError **error)
{
  Grid *g = self->job->grid;
  g_autoptr(GString) s = g_string_new (NULL);
  int stride = g->n_pops * SW_SWEEP_N_MEASURES;

  g_string_append_printf (s, "%s,%s", g->x_name, g->y_name);
  for (int pop = 0; pop < g->n_pops; pop++)
    for (int m = 0; m < SW_SWEEP_N_MEASURES; m++)
      g_string_append_printf (s, ",%s_%s", sw_sweep_measure_info (m)->column, g->pops[pop]);
  g_string_append (s, ",blowups\n");
  for (int p = 0; p < g->nx * g->ny; p++)
    {
      if (!self->shown[p])
        continue;
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.10g",
                                             axis_value (g->x_min, g->x_max, g->nx, p % g->nx)));
      }
      append_number (s, axis_value (g->y_min, g->y_max, g->ny, p / g->nx));
      for (int k = 0; k < stride; k++)
        append_number (s, g->values[(gsize) p * stride + k]);
      g_string_append_printf (s, ",%d\n", g->blowups[p]);
    }
  return sw_live_export_text (path, s->str, s->len, error);
}

gboolean
sw_sweep_view_export (SwSweepView *self, const char *path, GError **error)
{
  SwLiveExportKind kind;
  SwFigure *fig;
  gboolean ok;

  g_return_val_if_fail (SW_IS_SWEEP_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!sw_live_export_kind (path, &kind, error))
    return FALSE;
  collect (self);
  if (self->job == NULL || self->n_shown == 0)
    {
      g_set_error (error, SW_LIVE_ERROR, SW_LIVE_ERROR_EMPTY,
                   _("There is no simulated phase diagram to export yet"));
      return FALSE;
    }
  if (kind == SW_LIVE_EXPORT_CSV)
    return export_csv (self, path, error);
  fig = sw_figure_new (1, 1);
  build_figure (self, fig);
  {
    /* Translators: the title of an exported map; %s is the model. */
    g_autofree char *title = g_strdup_printf (_("Simulated phase diagram — %s"),
                                              sw_document_get_display_name (document (self)));
    sw_figure_set_title (fig, title);
  }
  ok = sw_live_export_figure (fig, path, 900, 640, error);
  sw_figure_free (fig);
  return ok;
}

/* --- GObject ---------------------------------------------------------------- */

static void
sw_sweep_view_dispose (GObject *object)
{
  SwSweepView *self = SW_SWEEP_VIEW (object);

  if (self->task != NULL)
    {
      atomic_store (&self->job->cancel, 1);
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->task);
      g_clear_object (&self->cancellable);
    }
  g_clear_handle_id (&self->progress_source, g_source_remove);
  if (self->window != NULL)
    g_signal_handlers_disconnect_by_data (self->window, self);
  self->window = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), SW_TYPE_SWEEP_VIEW);

  G_OBJECT_CLASS (sw_sweep_view_parent_class)->dispose (object);
}

static void
sw_sweep_view_finalize (GObject *object)
{
  SwSweepView *self = SW_SWEEP_VIEW (object);

  job_unref (self->job);
  g_free (self->shown);
  g_clear_pointer (&self->fig, sw_figure_free);
  g_ptr_array_unref (self->names);
  g_clear_object (&self->labels);
  g_clear_object (&self->pop_names);

  G_OBJECT_CLASS (sw_sweep_view_parent_class)->finalize (object);
}

static void
sw_sweep_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SwSweepView *self = SW_SWEEP_VIEW (object);

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
sw_sweep_view_set_property (GObject *object, guint prop_id, const GValue *value,
                            GParamSpec *pspec)
{
  SwSweepView *self = SW_SWEEP_VIEW (object);

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
sw_sweep_view_class_init (SwSweepViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sw_sweep_view_dispose;
  object_class->finalize = sw_sweep_view_finalize;
  object_class->get_property = sw_sweep_view_get_property;
  object_class->set_property = sw_sweep_view_set_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PRESENTATION] =
    g_param_spec_boolean ("presentation", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/sw-sweep-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SwSweepView, box);
  gtk_widget_class_bind_template_child_full (widget_class, "x_dropdown", FALSE, G_STRUCT_OFFSET (SwSweepView, axis_dropdown[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "y_dropdown", FALSE, G_STRUCT_OFFSET (SwSweepView, axis_dropdown[1]));
  gtk_widget_class_bind_template_child_full (widget_class, "x_lo", FALSE, G_STRUCT_OFFSET (SwSweepView, lo_spin[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "y_lo", FALSE, G_STRUCT_OFFSET (SwSweepView, lo_spin[1]));
  gtk_widget_class_bind_template_child_full (widget_class, "x_hi", FALSE, G_STRUCT_OFFSET (SwSweepView, hi_spin[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "y_hi", FALSE, G_STRUCT_OFFSET (SwSweepView, hi_spin[1]));
  gtk_widget_class_bind_template_child_full (widget_class, "x_n", FALSE, G_STRUCT_OFFSET (SwSweepView, n_spin[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "y_n", FALSE, G_STRUCT_OFFSET (SwSweepView, n_spin[1]));
  gtk_widget_class_bind_template_child (widget_class, SwSweepView, measure_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SwSweepView, pop_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SwSweepView, duration_spin);
  gtk_widget_class_bind_template_child (widget_class, SwSweepView, warmup_spin);
  gtk_widget_class_bind_template_child (widget_class, SwSweepView, trials_spin);
  gtk_widget_class_bind_template_child (widget_class, SwSweepView, start_button);
  gtk_widget_class_bind_template_child (widget_class, SwSweepView, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, SwSweepView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SwSweepView, status_label);
  gtk_widget_class_bind_template_child (widget_class, SwSweepView, area);
  gtk_widget_class_install_action (widget_class, "sweep.export", "s", export_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "swsweepview");
}

static void
sw_sweep_view_init (SwSweepView *self)
{
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->labels = gtk_string_list_new (NULL);
  self->pop_names = gtk_string_list_new (NULL);
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_drop_down_set_model (self->pop_dropdown, G_LIST_MODEL (self->pop_names));
  for (int v = 0; v < 2; v++)
    {
      gtk_drop_down_set_model (self->axis_dropdown[v], G_LIST_MODEL (self->labels));
      g_signal_connect (self->axis_dropdown[v], "notify::selected", G_CALLBACK (axis_selected_cb), self);
      g_signal_connect_swapped (self->lo_spin[v], "value-changed", G_CALLBACK (view_changed_cb), self);
      g_signal_connect_swapped (self->hi_spin[v], "value-changed", G_CALLBACK (view_changed_cb), self);
    }
  g_signal_connect_swapped (self->measure_dropdown, "notify::selected", G_CALLBACK (view_changed_cb), self);
  g_signal_connect_swapped (self->pop_dropdown, "notify::selected", G_CALLBACK (view_changed_cb), self);
  g_signal_connect_swapped (self->start_button, "clicked", G_CALLBACK (sw_sweep_view_start), self);
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (sw_sweep_view_cancel), self);
  gtk_drawing_area_set_draw_func (self->area, draw_cb, self, NULL);

  gtk_label_set_label (self->status_label,
                       _("Every point runs the network for the duration given: choose a small grid first"));
  set_busy_ui (self);
  update_summary (self);
}

/* --- API ------------------------------------------------------------------- */

GtkWidget *
sw_sweep_view_new (void)
{
  return g_object_new (SW_TYPE_SWEEP_VIEW, NULL);
}

void
sw_sweep_view_set_window (SwSweepView *self, SwWindow *window)
{
  g_return_if_fail (SW_IS_SWEEP_VIEW (self));

  if (self->window != NULL)
    g_signal_handlers_disconnect_by_data (self->window, self);
  self->window = window;
  if (window != NULL)
    {
      g_signal_connect_object (window, "document-changed", G_CALLBACK (document_changed_cb), self,
                               G_CONNECT_SWAPPED);
      document_changed_cb (self);
    }
}

gboolean
sw_sweep_view_set_axis (SwSweepView *self, gboolean vertical, const char *name, double lo, double hi,
                        int n, GError **error)
{
  int v = vertical ? 1 : 0;

  g_return_val_if_fail (SW_IS_SWEEP_VIEW (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint k = 0; k < self->names->len; k++)
    if (g_str_equal (self->names->pdata[k], name))
      {
        gtk_drop_down_set_selected (self->axis_dropdown[v], k);
        gtk_spin_button_set_value (self->lo_spin[v], lo);
        gtk_spin_button_set_value (self->hi_spin[v], hi);
        gtk_spin_button_set_value (self->n_spin[v], CLAMP (n, 1, MAX_N));
        return TRUE;
      }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               /* Translators: %s is a variable name. */
               _("The model has no variable “%s” with a range"), name);
  return FALSE;
}

void
sw_sweep_view_set_run (SwSweepView *self, double duration_ms, double warmup_ms, int trials)
{
  g_return_if_fail (SW_IS_SWEEP_VIEW (self));

  gtk_spin_button_set_value (self->duration_spin, duration_ms);
  gtk_spin_button_set_value (self->warmup_spin, warmup_ms);
  gtk_spin_button_set_value (self->trials_spin, trials);
}

void
sw_sweep_view_set_measure (SwSweepView *self, SwSweepMeasure measure, int pop)
{
  g_return_if_fail (SW_IS_SWEEP_VIEW (self));

  for (guint k = 0; k < G_N_ELEMENTS (offered); k++)
    if (offered[k] == measure)
      gtk_drop_down_set_selected (self->measure_dropdown, k);
  gtk_drop_down_set_selected (self->pop_dropdown, (guint) MAX (pop, 0));
}

gboolean
sw_sweep_view_get_busy (SwSweepView *self)
{
  g_return_val_if_fail (SW_IS_SWEEP_VIEW (self), FALSE);
  return self->task != NULL;
}

int
sw_sweep_view_get_n_points (SwSweepView *self)
{
  g_return_val_if_fail (SW_IS_SWEEP_VIEW (self), 0);
  return self->job != NULL ? self->job->grid->nx * self->job->grid->ny : 0;
}

int
sw_sweep_view_get_n_done (SwSweepView *self)
{
  g_return_val_if_fail (SW_IS_SWEEP_VIEW (self), 0);
  collect (self);
  return self->n_shown;
}

double
sw_sweep_view_get_value (SwSweepView *self, int i, int j, SwSweepMeasure measure, int pop)
{
  Grid *g;
  int p;

  g_return_val_if_fail (SW_IS_SWEEP_VIEW (self), NAN);

  g = self->job != NULL ? self->job->grid : NULL;
  if (g == NULL || i < 0 || i >= g->nx || j < 0 || j >= g->ny || pop < 0 || pop >= g->n_pops
      || measure < 0 || measure >= SW_SWEEP_N_MEASURES)
    return NAN;
  p = j * g->nx + i;
  if (!self->shown[p])
    return NAN;
  return g->values[((gsize) p * g->n_pops + pop) * SW_SWEEP_N_MEASURES + measure];
}
