/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwPhaseView (see sw-phase-view.h).
 *
 * The worker gets the document as text and builds every configuration
 * itself (sw_mf_grid_configs, shared with `spikeworks-cli phase`), so the
 * main thread only serialises.  The rows are classified a
 * chunk at a time (sw_mf_phase_map starts every row with a full search, so
 * chunks give the same map as one call) and the UD/OD boundary is the
 * ζ = 1 level of the whole map, NAN cells (none, unstable) cutting it, as
 * sw_mf_phase_map draws it.
 *
 * "Stale" maps: the map is labelled by the document's text with both axis
 * variables at their minimum; a change of anything else makes a new map
 * (after a short pause, so that dragging a slider does not restart it at
 * every step).
 */
#define G_LOG_DOMAIN "Spikeworks-Phase"

#include "config.h"

#include "sw-phase-view.h"

#include "sw-analysis.h"
#include "sw-figure.h"
#include "sw-live-hub.h"
#include "sw-mf-grid.h"
#include "sw-mf-plane-window.h"
#include "sw-live-view.h"
#include "sw-window.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <stdatomic.h>
#include <string.h>

#define DEFAULT_NX 81
#define DEFAULT_NY 61
#define RESTART_DELAY_MS 400
#define PROGRESS_INTERVAL_MS 100
#define MEASURE_INTERVAL_S 1
#define MEASURE_MS 2048.0
/* ζ is drawn up to this; beyond, the state is plainly overdamped. */
#define ZETA_TOP 2.0

/* The classes in the legend, and their colours: Okabe & Ito (UD blue, OD
 * orange, unstable reddish purple, none grey), as in the CLI's figure. */
static const SwRgba class_colours[SW_MF_N_CLASSES] = {
  [SW_MF_CLASS_NONE] = { 0.75, 0.75, 0.75, 1 },
  [SW_MF_CLASS_UD] = { 0.0, 0.447, 0.698, 1 },
  [SW_MF_CLASS_OD] = { 0.902, 0.624, 0.0, 1 },
  [SW_MF_CLASS_UNSTABLE] = { 0.8, 0.475, 0.655, 1 },
};

static const char *
class_name (SwMfClass cls)
{
  switch (cls)
    {
    case SW_MF_CLASS_NONE:
      return _("none (no asynchronous state)");
    case SW_MF_CLASS_UD:
      return _("UD (underdamped)");
    case SW_MF_CLASS_OD:
      return _("OD (overdamped)");
    case SW_MF_CLASS_UNSTABLE:
      return _("unstable");
    default:
      return "–";
    }
}

/* ------------------------------------------------------------------------ */
/* Maps and their computation                                                */

typedef struct
{
  char *x_name, *y_name;
  double x_min, x_max, y_min, y_max;
  int nx, ny;
  char *key;
  int *cls;
  double *zeta, *f_d_hz, *nu_e_hz, *nu_i_hz;
  SwMfPolyline *lines;
  int n_lines;
  double seconds;
} Map;

static void
map_free (Map *map)
{
  if (map == NULL)
    return;
  g_free (map->x_name);
  g_free (map->y_name);
  g_free (map->key);
  g_free (map->cls);
  g_free (map->zeta);
  g_free (map->f_d_hz);
  g_free (map->nu_e_hz);
  g_free (map->nu_i_hz);
  sw_mf_polylines_free (map->lines, map->n_lines);
  g_free (map);
}

/* What the worker needs and what it fills; the main thread reads `rows`
 * for the progress bar. */
typedef struct
{
  char *json, *display_name;
  Map *map;              /* axes and key set by the main thread */
  atomic_int rows;
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
  map_free (job->map);
  g_free (job);
}

gboolean
sw_phase_view_config_for_document (SwDocument *doc, SwMfConfig *cfg, GError **error)
{
  SwNetSpec *spec;
  SwError err;
  SwStatus st;

  g_return_val_if_fail (doc != NULL && cfg != NULL, FALSE);

  spec = sw_document_build_spec (doc, error);
  if (spec == NULL)
    return FALSE;
  memset (cfg, 0, sizeof *cfg);
  st = sw_mf_config_from_spec (spec, cfg, &err);
  sw_net_spec_free (spec);
  if (st == SW_OK)
    st = sw_mf_config_set_builtin_tf (cfg, SW_PHASE_VIEW_COEFFS, &err);
  if (st == SW_OK)
    st = sw_mf_config_validate (cfg, &err);
  if (st != SW_OK)
    {
      /* The reason comes from the simulation core, in English. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s", err.text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
config_of (SwDocument *doc, SwMfConfig *cfg, gpointer data, GError **error)
{
  return sw_phase_view_config_for_document (doc, cfg, error);
}

static SwMfConfig *
build_configs (SwDocument *doc, const Map *m, GCancellable *cancellable, GError **error)
{
  gboolean composed = TRUE;
  SwMfConfig *cfgs = sw_mf_grid_configs (doc, m->x_name, m->x_min, m->x_max, m->nx, m->y_name, m->y_min,
                                         m->y_max, m->ny, config_of, NULL, cancellable, &composed, error);
  if (cfgs != NULL && !composed)
    g_debug ("%s and %s act together on the mean field; every cell was evaluated", m->x_name, m->y_name);
  return cfgs;
}

static gboolean
compute_map (Job *job, GCancellable *cancellable, GError **error)
{
  Map *m = job->map;
  g_autoptr(SwDocument) doc = sw_document_load_data (job->json, -1, job->display_name, error);
  g_autofree SwMfConfig *cfgs = NULL;
  gsize cells = (gsize) m->nx * m->ny;
  gint64 start = g_get_monotonic_time ();
  /* Chunks of rows: progress and cancellation some twenty times a map. */
  int chunk = MAX (1, m->ny / 20);
  SwError err;

  if (doc == NULL || (cfgs = build_configs (doc, m, cancellable, error)) == NULL)
    return FALSE;
  m->cls = g_new (int, cells);
  m->zeta = g_new (double, cells);
  m->f_d_hz = g_new (double, cells);
  m->nu_e_hz = g_new (double, cells);
  m->nu_i_hz = g_new (double, cells);
  for (int j0 = 0; j0 < m->ny; j0 += chunk)
    {
      int rows = MIN (chunk, m->ny - j0);
      SwMfPhaseMap *part = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (sw_mf_phase_map (cfgs + (gsize) j0 * m->nx, m->nx, rows, 0, &part, &err) != SW_OK)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", err.text);
          return FALSE;
        }
      for (gsize c = 0, o = (gsize) j0 * m->nx; c < (gsize) rows * m->nx; c++, o++)
        {
          m->cls[o] = (int) part->cls[c];
          m->zeta[o] = part->zeta[c];
          m->f_d_hz[o] = part->f_d_hz[c];
          m->nu_e_hz[o] = part->nu_e_hz[c];
          m->nu_i_hz[o] = part->nu_i_hz[c];
        }
      sw_mf_phase_map_free (part);
      atomic_store (&job->rows, j0 + rows);
    }
  if (sw_mf_contour (m->zeta, m->nx, m->ny, 1.0, &m->lines, &m->n_lines, &err) != SW_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", err.text);
      return FALSE;
    }
  m->seconds = (g_get_monotonic_time () - start) * 1e-6;
  return TRUE;
}

static void
compute_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job *job = data;
  GError *error = NULL;

  (void) atomic_load_explicit (&job->handoff, memory_order_acquire);
  gboolean ok = compute_map (job, cancellable, &error);
  atomic_store_explicit (&job->handoff, 2, memory_order_release);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* ------------------------------------------------------------------------ */
/* The object                                                                */

struct _SwPhaseView
{
  GtkWidget parent_instance;

  /* Template children */
  GtkStack *stack;
  AdwStatusPage *status_page;
  GtkDropDown *x_dropdown;
  GtkDropDown *y_dropdown;
  GtkButton *compute_button;
  GtkButton *cancel_button;
  GtkProgressBar *progress_bar;
  GtkLabel *status_label;
  GtkDrawingArea *area;
  GtkLabel *mf_class_label;
  GtkLabel *mf_detail_label;
  GtkLabel *map_class_label;
  GtkLabel *net_peak_label;
  GtkLabel *net_prominence_label;
  GtkLabel *net_rate_label;

  SwWindow *window;          /* not owned */
  gboolean presentation;

  GPtrArray *names;          /* variables offered on the axes (with ranges) */
  GtkStringList *labels;     /* their labels, the dropdowns' model */
  char *x_name, *y_name;
  int nx, ny;
  gboolean updating;         /* the dropdowns are being set from code */

  gboolean has_mf;
  SwMfPoint current;         /* the class at the current point */
  gboolean has_current;
  double cur_x, cur_y;

  GTask *task;               /* the computation under way, or NULL */
  GCancellable *cancellable;
  Map *map;                  /* the map shown, or NULL */
  char *wanted_key;          /* the key the shown or computed map should have */
  gboolean stale;            /* the map shown is not that of the document */
  guint restart_source;
  guint progress_source;
  guint measure_source;

  SwFigure *fig;
  gboolean fig_wide;
};

G_DEFINE_FINAL_TYPE (SwPhaseView, sw_phase_view, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_BUSY,
  PROP_PRESENTATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void start_computing (SwPhaseView *self);
static void invalidate (SwPhaseView *self, guint delay_ms);

static SwDocument *
document (SwPhaseView *self)
{
  return self->window != NULL ? sw_window_get_document (self->window) : NULL;
}

static gboolean
variable_info (SwDocument *doc, const char *name, SwVariableInfo *info)
{
  int k = name != NULL && doc != NULL ? sw_document_find_variable (doc, name) : -1;

  return k >= 0 && sw_document_get_variable (doc, (guint) k, info);
}

/* The axis of a variable: its min..max. */
static void
variable_range (const SwVariableInfo *info, double *lo, double *hi)
{
  *lo = info->min;
  *hi = info->max;
}

/* The key of a map of @doc over the present axes: the document with both
 * variables at their minimum. */
static char *
map_key (SwPhaseView *self, SwDocument *doc)
{
  g_autofree char *json = sw_document_to_json (doc);
  g_autoptr(SwDocument) copy = sw_document_load_data (json, -1, "key", NULL);
  SwVariableInfo xi, yi;

  if (copy == NULL || !variable_info (doc, self->x_name, &xi) || !variable_info (doc, self->y_name, &yi))
    return NULL;
  if (!sw_document_set_variable (copy, self->x_name, xi.min, NULL)
      || !sw_document_set_variable (copy, self->y_name, yi.min, NULL))
    return NULL;
  g_free (json);
  json = sw_document_to_json (copy);
  return g_strdup_printf ("%s\n%s\n%d\n%d\n%s", self->x_name, self->y_name, self->nx, self->ny,
                          json);
}

static void
set_busy_ui (SwPhaseView *self)
{
  gboolean busy = self->task != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), busy);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->compute_button), !busy);
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

static char *
marker_label (SwPhaseView *self)
{
  if (!self->has_current)
    return NULL;
  if (isfinite (self->current.zeta))
    /* Translators: the crosshair's label on the phase diagram: the class
     * (UD, OD) and the damping ratio ζ. */
    return g_strdup_printf (_("here: %s, ζ = %.2f"), sw_mf_class_name (self->current.cls),
                            self->current.zeta);
  /* Translators: the crosshair's label: the class at the current values. */
  return g_strdup_printf (_("here: %s"), sw_mf_class_name (self->current.cls));
}

static void
build_figure (SwPhaseView *self, SwFigure *fig, gboolean wide)
{
  SwPanel *left = sw_figure_panel (fig, 0, 0);
  SwPanel *right = wide ? sw_figure_panel (fig, 0, 1) : sw_figure_panel (fig, 1, 0);
  SwPanel *panels[2] = { left, right };
  const char *names[SW_MF_N_CLASSES];
  Map *m = self->map;
  SwDocument *doc = document (self);
  const char *xl, *xu, *yl, *yu;

  for (int c = 0; c < SW_MF_N_CLASSES; c++)
    names[c] = class_name (c);
  sw_panel_clear (left);
  sw_panel_clear (right);
  if (m == NULL || doc == NULL)
    return;

  double hx = m->nx > 1 ? (m->x_max - m->x_min) / (m->nx - 1) : 1.0;
  double hy = m->ny > 1 ? (m->y_max - m->y_min) / (m->ny - 1) : 1.0;
  double x0 = m->x_min - hx / 2, x1 = m->x_max + hx / 2;
  double y0 = m->y_min - hy / 2, y1 = m->y_max + hy / 2;
  gsize cells = (gsize) m->nx * m->ny;
  g_autofree double *zeta = g_new (double, cells);
  g_autofree char *label = marker_label (self);
  SwStyle boundary = { .colour = { 0, 0, 0, 1 }, .width = 1.5, .dash = SW_DASH_DASHED };

  axis_title (doc, m->x_name, &xl, &xu);
  axis_title (doc, m->y_name, &yl, &yu);
  for (gsize c = 0; c < cells; c++)
    zeta[c] = isfinite (m->zeta[c]) ? fmin (m->zeta[c], ZETA_TOP) : NAN;

  for (int k = 0; k < 2; k++)
    {
      sw_panel_set_x_label (panels[k], xl, xu);
      sw_panel_set_y_label (panels[k], yl, yu);
      sw_panel_set_x_limits (panels[k], x0, x1);
      sw_panel_set_y_limits (panels[k], y0, y1);
    }
  sw_panel_set_title (left, _("Class of the fixed point"));
  sw_panel_set_title (right, _("Damping ratio ζ of the E–I mode"));
  sw_panel_set_legend (left, SW_LEGEND_OUTSIDE);
  sw_panel_set_legend (right, SW_LEGEND_OUTSIDE);
  sw_panel_set_colour_limits (right, 0.0, ZETA_TOP);
  sw_panel_add_categories (left, m->cls, m->nx, m->ny, x0, x1, y0, y1, names, class_colours,
                           SW_MF_N_CLASSES, NULL);
  sw_panel_add_heatmap (right, zeta, m->nx, m->ny, x0, x1, y0, y1, SW_COLORMAP_VIRIDIS,
                        /* Translators: the colour bar of the ζ map. */
                        _("ζ (UD < 1 ≤ OD)"), NULL, NULL);
  for (int l = 0; l < m->n_lines; l++)
    {
      const SwMfPolyline *pl = &m->lines[l];
      g_autofree double *px = g_new (double, MAX (pl->n, 1));
      g_autofree double *py = g_new (double, MAX (pl->n, 1));

      for (int v = 0; v < pl->n; v++)
        {
          px[v] = m->x_min + pl->x[v] * hx;
          py[v] = m->y_min + pl->y[v] * hy;
        }
      for (int k = 0; k < 2; k++)
        sw_panel_add_contour (panels[k], px, py, pl->n, l == 0 && k == 0 ? _("UD/OD boundary") : NULL,
                              &boundary, NULL);
    }
  if (self->has_current && g_strcmp0 (m->x_name, self->x_name) == 0
      && g_strcmp0 (m->y_name, self->y_name) == 0)
    for (int k = 0; k < 2; k++)
      sw_panel_add_marker (panels[k], self->cur_x, self->cur_y, k == 0 ? label : NULL, NULL);
}

static gboolean
is_wide (int width, int height)
{
  return width > 1.5 * height;
}

static void
draw_cb (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  SwPhaseView *self = data;
  SwPlotTheme theme;
  gboolean wide = is_wide (width, height);

  if (self->fig == NULL || wide != self->fig_wide)
    {
      g_clear_pointer (&self->fig, sw_figure_free);
      self->fig = wide ? sw_figure_new (1, 2) : sw_figure_new (2, 1);
      self->fig_wide = wide;
    }
  sw_live_style (GTK_WIDGET (area), self->presentation, &theme, NULL, NULL);
  sw_figure_set_theme (self->fig, &theme);
  build_figure (self, self->fig, wide);
  sw_figure_draw (self->fig, cr, width, height);
}

static void
pressed_cb (GtkGestureClick *gesture, int n_press, double px, double py, SwPhaseView *self)
{
  g_autoptr(GError) error = NULL;
  double x, y;

  if (self->fig == NULL || self->map == NULL
      || !sw_figure_locate (self->fig, px, py, NULL, NULL, &x, &y))
    return;
  if (!sw_phase_view_pick (self, x, y, &error))
    gtk_label_set_label (self->status_label, error->message);
}

/* --- the current point and the network ------------------------------------ */

static void
update_summary (SwPhaseView *self)
{
  g_autofree char *text = NULL;
  Map *m = self->map;

  if (m == NULL)
    text = g_strdup (_("Mean-field phase diagram: not computed yet."));
  else
    /* Translators: the accessible description of the phase diagram. */
    text = g_strdup_printf (_("Mean-field phase diagram over %s and %s; at the current values: %s."),
                            m->x_name, m->y_name,
                            self->has_current ? class_name (self->current.cls) : "–");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->area), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text, -1);
}

static void
update_current (SwPhaseView *self)
{
  SwDocument *doc = document (self);
  SwVariableInfo xi, yi;
  SwMfConfig cfg;
  SwError err;
  SwMfClass map_cls;
  g_autofree char *detail = NULL;

  self->has_current = FALSE;
  if (doc != NULL && variable_info (doc, self->x_name, &xi) && variable_info (doc, self->y_name, &yi))
    {
      self->cur_x = xi.value;
      self->cur_y = yi.value;
      if (sw_phase_view_config_for_document (doc, &cfg, NULL)
          && sw_mf_classify (&cfg, &self->current, &err) == SW_OK)
        self->has_current = TRUE;
    }

  gtk_label_set_label (self->mf_class_label, self->has_current ? class_name (self->current.cls) : "–");
  if (self->has_current && isfinite (self->current.nu_e_hz))
    {
      if (isfinite (self->current.zeta) && self->current.f_d_hz > 0)
        /* Translators: the mean field at the current values: damping
         * ratio, damped frequency and the rates of the fixed point. */
        detail = g_strdup_printf (_("ζ = %.2f, f = %.1f Hz\nν_E = %.2f Hz, ν_I = %.2f Hz"),
                                  self->current.zeta, self->current.f_d_hz, self->current.nu_e_hz,
                                  self->current.nu_i_hz);
      else if (isfinite (self->current.zeta))
        detail = g_strdup_printf (_("ζ = %.2f\nν_E = %.2f Hz, ν_I = %.2f Hz"), self->current.zeta,
                                  self->current.nu_e_hz, self->current.nu_i_hz);
      else
        detail = g_strdup_printf (_("ν_E = %.2f Hz, ν_I = %.2f Hz"), self->current.nu_e_hz,
                                  self->current.nu_i_hz);
    }
  gtk_label_set_label (self->mf_detail_label, detail != NULL ? detail : "");
  map_cls = sw_phase_view_get_map_class (self);
  gtk_label_set_label (self->map_class_label, map_cls < SW_MF_N_CLASSES ? class_name (map_cls) : "–");
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

void
sw_phase_view_update_measured (SwPhaseView *self)
{
  SwLiveHub *hub;
  const SwNetSpec *spec;
  int pop = -1;

  g_return_if_fail (SW_IS_PHASE_VIEW (self));

  hub = self->window != NULL ? sw_window_get_hub (self->window) : NULL;
  spec = hub != NULL ? sw_live_hub_get_spec (hub) : NULL;
  for (int p = 0; spec != NULL && p < spec->n_pops && p < sw_live_hub_get_n_pops (hub); p++)
    if (spec->pops[p].kind == SW_POP_NEURONS && !spec->pops[p].inhibitory)
      {
        pop = p;
        break;
      }
  if (pop < 0)
    {
      gtk_label_set_label (self->net_peak_label, "–");
      gtk_label_set_label (self->net_prominence_label, "–");
      gtk_label_set_label (self->net_rate_label, _("Run the network to compare"));
      return;
    }

  double bin_ms = sw_live_hub_get_bin_ms (hub);
  guint want = (guint) ceil (MEASURE_MS / bin_ms);
  g_autofree guint32 *counts = g_new (guint32, want);
  g_autofree double *rate = g_new (double, want);
  gint64 first;
  guint n = sw_live_hub_copy_bins (hub, pop, want, counts, &first);
  double scale = 1.0 / (spec->pops[pop].n * bin_ms * 1e-3), sum = 0.0;
  double peak = NAN, prominence = NAN;
  g_autofree char *peak_text = NULL, *prom_text = NULL, *rate_text = NULL;

  for (guint k = 0; k < n; k++)
    {
      rate[k] = counts[k] * scale;
      sum += rate[k];
    }
  if (n * bin_ms >= 500.0)
    sw_spectrum_peak (rate, n, bin_ms, &peak, &prominence);
  peak_text = isfinite (peak) ? g_strdup_printf (_("%.1f Hz"), peak) : g_strdup ("–");
  prom_text = isfinite (prominence) ? g_strdup_printf ("%.1f", prominence) : g_strdup ("–");
  if (n == 0)
    rate_text = g_strdup (_("Run the network to compare"));
  else
    /* Translators: the mean rate of population %s over the last %.1f s. */
    rate_text = g_strdup_printf (_("%s: %.2f Hz over the last %.1f s"), spec->pops[pop].name,
                                 sum / n, n * bin_ms * 1e-3);
  gtk_label_set_label (self->net_peak_label, peak_text);
  gtk_label_set_label (self->net_prominence_label, prom_text);
  gtk_label_set_label (self->net_rate_label, rate_text);
}

static gboolean
measure_cb (gpointer data)
{
  sw_phase_view_update_measured (data);
  return G_SOURCE_CONTINUE;
}

/* --- the computation ------------------------------------------------------ */

static gboolean
progress_cb (gpointer data)
{
  SwPhaseView *self = data;
  Job *job = self->task != NULL ? g_task_get_task_data (self->task) : NULL;

  if (job != NULL)
    gtk_progress_bar_set_fraction (self->progress_bar,
                                   (double) atomic_load (&job->rows) / MAX (job->map->ny, 1));
  return G_SOURCE_CONTINUE;
}

static void
compute_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  SwPhaseView *self = SW_PHASE_VIEW (source);
  GTask *task = G_TASK (result);
  Job *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  (void) atomic_load_explicit (&job->handoff, memory_order_acquire);
  /* A view disposed meanwhile (its window closed) only lets go. */
  if (self->stack == NULL)
    return;
  if (self->task == task)
    {
      g_clear_object (&self->task);
      g_clear_object (&self->cancellable);
      g_clear_handle_id (&self->progress_source, g_source_remove);
      set_busy_ui (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
  if (!g_task_propagate_boolean (task, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_label (self->status_label, error->message);
      else if (self->task == NULL)
        gtk_label_set_label (self->status_label, _("Cancelled"));
      return;
    }
  map_free (self->map);
  self->map = g_steal_pointer (&job->map);
  {
    /* Translators: cells of the map and the seconds it took. */
    g_autofree char *text = g_strdup_printf (_("%d × %d cells in %.1f s"), self->map->nx,
                                             self->map->ny, self->map->seconds);
    gtk_label_set_label (self->status_label, text);
  }
  update_current (self);
}

static void
start_computing (SwPhaseView *self)
{
  SwDocument *doc = document (self);
  SwVariableInfo xi, yi;
  Job *job;

  g_clear_handle_id (&self->restart_source, g_source_remove);
  sw_phase_view_cancel (self);
  self->stale = FALSE;
  if (doc == NULL || !self->has_mf || !variable_info (doc, self->x_name, &xi)
      || !variable_info (doc, self->y_name, &yi))
    return;

  job = g_new0 (Job, 1);
  job->json = sw_document_to_json (doc);
  job->display_name = g_strdup (sw_document_get_display_name (doc));
  job->map = g_new0 (Map, 1);
  job->map->x_name = g_strdup (self->x_name);
  job->map->y_name = g_strdup (self->y_name);
  variable_range (&xi, &job->map->x_min, &job->map->x_max);
  variable_range (&yi, &job->map->y_min, &job->map->y_max);
  job->map->nx = self->nx;
  job->map->ny = self->ny;
  job->map->key = map_key (self, doc);
  g_free (self->wanted_key);
  self->wanted_key = g_strdup (job->map->key);

  self->cancellable = g_cancellable_new ();
  self->task = g_task_new (self, self->cancellable, compute_done_cb, NULL);
  g_task_set_source_tag (self->task, start_computing);
  g_task_set_task_data (self->task, job, (GDestroyNotify) job_free);
  g_task_set_return_on_cancel (self->task, FALSE);
  atomic_store_explicit (&job->handoff, 1, memory_order_release);
  g_task_run_in_thread (self->task, compute_thread);

  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_label_set_label (self->status_label, _("Computing the mean-field map…"));
  self->progress_source = g_timeout_add (PROGRESS_INTERVAL_MS, progress_cb, self);
  set_busy_ui (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static gboolean
restart_cb (gpointer data)
{
  SwPhaseView *self = data;

  self->restart_source = 0;
  start_computing (self);
  return G_SOURCE_REMOVE;
}

/* The map no longer shows the document: a new one after @delay_ms when
 * the view is on screen, else when it comes on screen (a map costs a few
 * seconds of every processor, for nothing while nobody looks). */
static void
invalidate (SwPhaseView *self, guint delay_ms)
{
  self->stale = TRUE;
  g_clear_handle_id (&self->restart_source, g_source_remove);
  if (self->has_mf && gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->restart_source = g_timeout_add (delay_ms, restart_cb, self);
}

/* --- following the document ----------------------------------------------- */

static void
refill_variables (SwPhaseView *self, SwDocument *doc)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  gboolean same;
  guint n = doc != NULL ? sw_document_get_n_variables (doc) : 0;

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
    return;

  self->updating = TRUE;
  g_ptr_array_set_size (self->names, 0);
  {
    g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
    g_auto(GStrv) strv = NULL;
    for (guint k = 0; k < names->len; k++)
      {
        SwVariableInfo info;
        g_ptr_array_add (self->names, g_strdup (names->pdata[k]));
        variable_info (doc, names->pdata[k], &info);
        g_strv_builder_add (labels, info.label != NULL ? info.label : info.name);
      }
    strv = g_strv_builder_end (labels);
    gtk_string_list_splice (self->labels, 0, g_list_model_get_n_items (G_LIST_MODEL (self->labels)),
                            (const char *const *) strv);
  }

  /* Default axes: ν_ext × b (the spec's default map), else the first two. */
  g_clear_pointer (&self->x_name, g_free);
  g_clear_pointer (&self->y_name, g_free);
  if (self->names->len >= 2)
    {
      guint xi = 0, yi = 1;
      for (guint k = 0; k < self->names->len; k++)
        {
          if (g_str_equal (self->names->pdata[k], "nu_ext"))
            xi = k;
          else if (g_str_equal (self->names->pdata[k], "b"))
            yi = k;
        }
      if (xi == yi)
        yi = xi == 0 ? 1 : 0;
      self->x_name = g_strdup (self->names->pdata[xi]);
      self->y_name = g_strdup (self->names->pdata[yi]);
      gtk_drop_down_set_selected (self->x_dropdown, xi);
      gtk_drop_down_set_selected (self->y_dropdown, yi);
    }
  self->updating = FALSE;
}

static void
document_changed_cb (SwPhaseView *self)
{
  SwDocument *doc = document (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  SwMfConfig cfg;

  refill_variables (self, doc);
  self->has_mf = doc != NULL && sw_phase_view_config_for_document (doc, &cfg, &error);
  if (doc == NULL)
    return;
  if (!self->has_mf)
    {
      g_autofree char *text =
        /* Translators: %s says why (from the simulation, in English). */
        g_strdup_printf (_("This network has no mean field: the phase diagram needs an E–I "
                           "network of AdEx cells driven by Poisson sources.\n\n%s"),
                         error->message);
      sw_phase_view_cancel (self);
      g_clear_pointer (&self->map, map_free);
      adw_status_page_set_description (self->status_page, text);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  if (self->x_name == NULL)
    {
      adw_status_page_set_description (self->status_page,
                                       _("The phase diagram needs two variables with a "
                                         "minimum and a maximum."));
      gtk_stack_set_visible_child_name (self->stack, "empty");
      self->has_mf = FALSE;
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "map");
  update_current (self);

  /* A new map when something else than the axes changed. */
  key = map_key (self, doc);
  if (g_strcmp0 (key, self->wanted_key) != 0)
    {
      g_free (self->wanted_key);
      self->wanted_key = g_steal_pointer (&key);
      invalidate (self, RESTART_DELAY_MS);
    }
}

static void
axis_selected_cb (SwPhaseView *self)
{
  guint xi = gtk_drop_down_get_selected (self->x_dropdown);
  guint yi = gtk_drop_down_get_selected (self->y_dropdown);

  if (self->updating || xi >= self->names->len || yi >= self->names->len)
    return;
  sw_phase_view_set_axes (self, self->names->pdata[xi], self->names->pdata[yi]);
}

static void
compute_clicked_cb (SwPhaseView *self)
{
  sw_phase_view_compute (self);
}

static void
cancel_clicked_cb (SwPhaseView *self)
{
  sw_phase_view_cancel (self);
}

/* --- export ---------------------------------------------------------------- */

static void
export_response_cb (GtkNativeDialog *chooser, int response, SwPhaseView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (path == NULL)
        gtk_label_set_label (self->status_label, _("Only files on this computer can be written"));
      else if (!sw_phase_view_export (self, path, &error))
        gtk_label_set_label (self->status_label, error->message);
      else
        {
          g_autofree char *base = g_filename_display_basename (path);
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
  SwPhaseView *self = SW_PHASE_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  const char *ext = g_variant_get_string (parameter, NULL);
  g_autofree char *name = g_strconcat ("phase-diagram.", ext, NULL);
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Export the Phase Diagram"),
                                 GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                 GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
export_csv (SwPhaseView *self, const char *path, GError **error)
{
  Map *m = self->map;
  g_autoptr(GString) s = g_string_new (NULL);
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (s, "%s,%s,class,zeta,f_d_hz,nu_e_hz,nu_i_hz\n", m->x_name, m->y_name);
  for (int j = 0; j < m->ny; j++)
    for (int i = 0; i < m->nx; i++)
      {
        gsize c = (gsize) j * m->nx + i;
        const double v[4] = { m->zeta[c], m->f_d_hz[c], m->nu_e_hz[c], m->nu_i_hz[c] };

        g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.10g",
                                             sw_mf_grid_axis_value (m->x_min, m->x_max, m->nx, i)));
        g_string_append_c (s, ',');
        g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.10g",
                                             sw_mf_grid_axis_value (m->y_min, m->y_max, m->ny, j)));
        g_string_append_printf (s, ",%s", sw_mf_class_name (m->cls[c]));
        for (int k = 0; k < 4; k++)
          {
            g_string_append_c (s, ',');
            if (isfinite (v[k]))
              g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.6g", v[k]));
          }
        g_string_append_c (s, '\n');
      }
  return sw_live_export_text (path, s->str, s->len, error);
}

gboolean
sw_phase_view_export (SwPhaseView *self, const char *path, GError **error)
{
  SwLiveExportKind kind;
  SwFigure *fig;
  gboolean ok;

  g_return_val_if_fail (SW_IS_PHASE_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!sw_live_export_kind (path, &kind, error))
    return FALSE;
  if (self->map == NULL)
    {
      g_set_error (error, SW_LIVE_ERROR, SW_LIVE_ERROR_EMPTY,
                   _("There is no phase diagram to export yet"));
      return FALSE;
    }
  if (kind == SW_LIVE_EXPORT_CSV)
    return export_csv (self, path, error);

  fig = sw_figure_new (1, 2);
  build_figure (self, fig, TRUE);
  {
    g_autofree char *title =
      /* Translators: the title of an exported phase diagram; %s is the model. */
      g_strdup_printf (_("Mean-field asynchronous state — %s"),
                       sw_document_get_display_name (document (self)));
    sw_figure_set_title (fig, title);
  }
  ok = sw_live_export_figure (fig, path, 1400, 560, error);
  sw_figure_free (fig);
  return ok;
}

/* The (nu_e, nu_i) phase plane of the mean field at the current values,
 * in a window of its own. */
static void
mean_field_plane_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SwPhaseView *self = SW_PHASE_VIEW (widget);
  SwDocument *doc = document (self);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GError) error = NULL;
  SwMfConfig cfg;

  if (doc == NULL || !sw_phase_view_config_for_document (doc, &cfg, &error))
    {
      gtk_label_set_label (self->status_label, error != NULL ? error->message : "");
      return;
    }
  gtk_window_present (GTK_WINDOW (sw_mf_plane_window_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, &cfg,
                                                          sw_document_get_display_name (doc))));
}

/* --- GObject --------------------------------------------------------------- */

static void
sw_phase_view_map (GtkWidget *widget)
{
  SwPhaseView *self = SW_PHASE_VIEW (widget);

  GTK_WIDGET_CLASS (sw_phase_view_parent_class)->map (widget);
  if (self->stale && self->has_mf && self->task == NULL && self->restart_source == 0)
    self->restart_source = g_timeout_add (RESTART_DELAY_MS, restart_cb, self);
  sw_phase_view_update_measured (self);
  if (self->measure_source == 0)
    self->measure_source = g_timeout_add_seconds (MEASURE_INTERVAL_S, measure_cb, self);
}

static void
sw_phase_view_unmap (GtkWidget *widget)
{
  SwPhaseView *self = SW_PHASE_VIEW (widget);

  g_clear_handle_id (&self->measure_source, g_source_remove);
  GTK_WIDGET_CLASS (sw_phase_view_parent_class)->unmap (widget);
}

static void
sw_phase_view_dispose (GObject *object)
{
  SwPhaseView *self = SW_PHASE_VIEW (object);

  sw_phase_view_cancel (self);
  g_clear_handle_id (&self->restart_source, g_source_remove);
  g_clear_handle_id (&self->measure_source, g_source_remove);
  self->window = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), SW_TYPE_PHASE_VIEW);

  G_OBJECT_CLASS (sw_phase_view_parent_class)->dispose (object);
}

static void
sw_phase_view_finalize (GObject *object)
{
  SwPhaseView *self = SW_PHASE_VIEW (object);

  map_free (self->map);
  g_clear_pointer (&self->fig, sw_figure_free);
  g_ptr_array_unref (self->names);
  g_clear_object (&self->labels);
  g_free (self->x_name);
  g_free (self->y_name);
  g_free (self->wanted_key);

  G_OBJECT_CLASS (sw_phase_view_parent_class)->finalize (object);
}

static void
sw_phase_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  SwPhaseView *self = SW_PHASE_VIEW (object);

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
sw_phase_view_set_property (GObject *object, guint prop_id, const GValue *value,
                            GParamSpec *pspec)
{
  SwPhaseView *self = SW_PHASE_VIEW (object);

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
sw_phase_view_class_init (SwPhaseViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sw_phase_view_dispose;
  object_class->finalize = sw_phase_view_finalize;
  object_class->get_property = sw_phase_view_get_property;
  object_class->set_property = sw_phase_view_set_property;
  widget_class->map = sw_phase_view_map;
  widget_class->unmap = sw_phase_view_unmap;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PRESENTATION] =
    g_param_spec_boolean ("presentation", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/sw-phase-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SwPhaseView, stack);
  gtk_widget_class_bind_template_child (widget_class, SwPhaseView, status_page);
  gtk_widget_class_bind_template_child (widget_class, SwPhaseView, x_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SwPhaseView, y_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SwPhaseView, compute_button);
  gtk_widget_class_bind_template_child (widget_class, SwPhaseView, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, SwPhaseView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SwPhaseView, status_label);
  gtk_widget_class_bind_template_child (widget_class, SwPhaseView, area);
  gtk_widget_class_bind_template_child (widget_class, SwPhaseView, mf_class_label);
  gtk_widget_class_bind_template_child (widget_class, SwPhaseView, mf_detail_label);
  gtk_widget_class_bind_template_child (widget_class, SwPhaseView, map_class_label);
  gtk_widget_class_bind_template_child (widget_class, SwPhaseView, net_peak_label);
  gtk_widget_class_bind_template_child (widget_class, SwPhaseView, net_prominence_label);
  gtk_widget_class_bind_template_child (widget_class, SwPhaseView, net_rate_label);
  gtk_widget_class_bind_template_callback (widget_class, axis_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, compute_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_install_action (widget_class, "phase.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "phase.mean-field-plane", NULL, mean_field_plane_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "swphaseview");
}

static void
sw_phase_view_init (SwPhaseView *self)
{
  GtkGesture *click;

  self->names = g_ptr_array_new_with_free_func (g_free);
  self->labels = gtk_string_list_new (NULL);
  self->nx = DEFAULT_NX;
  self->ny = DEFAULT_NY;
  gtk_widget_init_template (GTK_WIDGET (self));

  self->updating = TRUE;
  gtk_drop_down_set_model (self->x_dropdown, G_LIST_MODEL (self->labels));
  gtk_drop_down_set_model (self->y_dropdown, G_LIST_MODEL (self->labels));
  self->updating = FALSE;
  gtk_drawing_area_set_draw_func (self->area, draw_cb, self, NULL);
  click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->area), GTK_EVENT_CONTROLLER (click));
  set_busy_ui (self);
  update_summary (self);
}

/* --- API ------------------------------------------------------------------- */

GtkWidget *
sw_phase_view_new (void)
{
  return g_object_new (SW_TYPE_PHASE_VIEW, NULL);
}

void
sw_phase_view_set_window (SwPhaseView *self, SwWindow *window)
{
  g_return_if_fail (SW_IS_PHASE_VIEW (self));
  g_return_if_fail (window == NULL || SW_IS_WINDOW (window));

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

void
sw_phase_view_set_axes (SwPhaseView *self, const char *x_name, const char *y_name)
{
  g_return_if_fail (SW_IS_PHASE_VIEW (self));
  g_return_if_fail (x_name != NULL && y_name != NULL);

  if (g_strcmp0 (self->x_name, x_name) == 0 && g_strcmp0 (self->y_name, y_name) == 0)
    return;
  g_free (self->x_name);
  g_free (self->y_name);
  self->x_name = g_strdup (x_name);
  self->y_name = g_strdup (y_name);
  self->updating = TRUE;
  for (guint k = 0; k < self->names->len; k++)
    {
      if (g_str_equal (self->names->pdata[k], x_name))
        gtk_drop_down_set_selected (self->x_dropdown, k);
      if (g_str_equal (self->names->pdata[k], y_name))
        gtk_drop_down_set_selected (self->y_dropdown, k);
    }
  self->updating = FALSE;
  if (g_str_equal (x_name, y_name))
    {
      sw_phase_view_cancel (self);
      gtk_label_set_label (self->status_label, _("Choose two different variables"));
      return;
    }
  update_current (self);
  invalidate (self, 0);
}

const char *
sw_phase_view_get_x_name (SwPhaseView *self)
{
  g_return_val_if_fail (SW_IS_PHASE_VIEW (self), NULL);
  return self->x_name;
}

const char *
sw_phase_view_get_y_name (SwPhaseView *self)
{
  g_return_val_if_fail (SW_IS_PHASE_VIEW (self), NULL);
  return self->y_name;
}

void
sw_phase_view_set_resolution (SwPhaseView *self, int nx, int ny)
{
  g_return_if_fail (SW_IS_PHASE_VIEW (self));

  nx = CLAMP (nx, 2, 200);
  ny = CLAMP (ny, 2, 200);
  if (nx == self->nx && ny == self->ny)
    return;
  self->nx = nx;
  self->ny = ny;
  invalidate (self, 0);
}

void
sw_phase_view_compute (SwPhaseView *self)
{
  g_return_if_fail (SW_IS_PHASE_VIEW (self));
  start_computing (self);
}

void
sw_phase_view_cancel (SwPhaseView *self)
{
  g_return_if_fail (SW_IS_PHASE_VIEW (self));

  if (self->task == NULL)
    return;
  /* The worker stops at its next chunk of rows; its result is dropped. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->task);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->progress_source, g_source_remove);
  g_clear_pointer (&self->wanted_key, g_free);
  gtk_label_set_label (self->status_label, _("Cancelled"));
  set_busy_ui (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

gboolean
sw_phase_view_get_busy (SwPhaseView *self)
{
  g_return_val_if_fail (SW_IS_PHASE_VIEW (self), FALSE);
  return self->task != NULL;
}

gboolean
sw_phase_view_has_map (SwPhaseView *self)
{
  g_return_val_if_fail (SW_IS_PHASE_VIEW (self), FALSE);
  return self->map != NULL;
}

gboolean
sw_phase_view_has_mean_field (SwPhaseView *self)
{
  g_return_val_if_fail (SW_IS_PHASE_VIEW (self), FALSE);
  return self->has_mf;
}

SwMfClass
sw_phase_view_get_map_class (SwPhaseView *self)
{
  Map *m;
  int i, j;

  g_return_val_if_fail (SW_IS_PHASE_VIEW (self), SW_MF_N_CLASSES);

  m = self->map;
  if (m == NULL || !self->has_current || g_strcmp0 (m->x_name, self->x_name) != 0
      || g_strcmp0 (m->y_name, self->y_name) != 0)
    return SW_MF_N_CLASSES;
  i = m->nx > 1 ? (int) lround ((self->cur_x - m->x_min) / (m->x_max - m->x_min) * (m->nx - 1)) : 0;
  j = m->ny > 1 ? (int) lround ((self->cur_y - m->y_min) / (m->y_max - m->y_min) * (m->ny - 1)) : 0;
  i = CLAMP (i, 0, m->nx - 1);
  j = CLAMP (j, 0, m->ny - 1);
  return (SwMfClass) m->cls[(gsize) j * m->nx + i];
}

SwMfClass
sw_phase_view_get_current_class (SwPhaseView *self)
{
  g_return_val_if_fail (SW_IS_PHASE_VIEW (self), SW_MF_N_CLASSES);
  return self->has_current ? self->current.cls : SW_MF_N_CLASSES;
}

/* A value of a click: rounded to a thousandth of the axis, so that the
 * slider shows a tidy number. */
static double
tidy (double v, double lo, double hi)
{
  double step = pow (10.0, floor (log10 ((hi - lo) / 1000.0)));

  v = CLAMP (v, lo, hi);
  return step > 0 && isfinite (step) ? CLAMP (round (v / step) * step, lo, hi) : v;
}

gboolean
sw_phase_view_pick (SwPhaseView *self, double x, double y, GError **error)
{
  SwDocument *doc;
  SwVariableInfo xi, yi;
  const char *names[2];
  double values[2];

  g_return_val_if_fail (SW_IS_PHASE_VIEW (self), FALSE);

  doc = document (self);
  if (doc == NULL || !variable_info (doc, self->x_name, &xi) || !variable_info (doc, self->y_name, &yi))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("There is no map to pick from"));
      return FALSE;
    }
  names[0] = self->x_name;
  names[1] = self->y_name;
  values[0] = tidy (x, xi.min, xi.max);
  values[1] = tidy (y, yi.min, yi.max);
  /* Translators: the undo label of a click on the phase diagram. */
  return sw_window_set_variables (self->window, _("Phase diagram"), names, values, 2, error);
}
