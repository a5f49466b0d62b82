/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwMassWindow (see sw-mass-window.h).
 *
 * Threads: a run is a RunJob that one GTask thread fills row by row (the
 * observable of every node, block-averaged to the document's sample rate)
 * and publishes under a mutex; rows below the published count never change
 * again, so the main thread reads them without the lock.  A tick callback
 * on the frame clock picks up new rows and redraws the view shown.
 * Perturbations, phase planes and bifurcation diagrams are GTasks with
 * their own copies of what they need; a result that arrives after a newer
 * request is dropped (phase planes carry a generation number).
 *
 * Variables: the document is loaded again with the sliders' values as
 * "NAME=VALUE" settings (sw_mass_doc_load), the way `--set` works in the
 * command-line tool, so the window and the tool agree on every number.
 */
#define G_LOG_DOMAIN "Spikeworks-Mass"

#include "config.h"

#include "sw-mass-window.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdatomic.h>
#include <string.h>

#include "sw-document.h"
#include "sw-figure.h"
#include "sw-kind-windows.h"
#include "sw-live-view.h"
#include "sw-mass-compute.h"
#include "sw-mass-doc.h"
#include "sw-mass-perturb.h"
#include "sw-mass-spectrum.h"
#include "sw-presets.h"
#include "sw-variable-row.h"

#define MASS_RESOURCE_PATH "/io/github/spikeworks/Spikeworks/mass"
/* The time-series view shows this much of the recording. */
#define SERIES_WINDOW_S 4.0
#define SPECTRUM_INTERVAL_US (500 * 1000)
#define MAX_PLOTTED 6
#define BIF_SIMS 40

/* ------------------------------------------------------------------------ */
/* Runs                                                                      */

typedef struct
{
  gatomicrefcount ref;
  SwMassDoc *doc;
  int n, every;
  double fs;                 /* rate of the rows (Hz) */
  long total_rows, warm_rows;
  double *rows;              /* total_rows x n */
  GMutex lock;
  long n_rows;               /* published rows, under lock */
  atomic_int cancel;
} RunJob;

static RunJob *
run_job_new (SwMassDoc *doc, GError **error)
{
  RunJob *job;
  int n = sw_mass_doc_n_nodes (doc);
  int every = 1;
  double dt = doc->dt_s;
  long total;

  if (doc->sample_rate_hz > 0.0)
    every = MAX (1, (int) floor (1.0 / (doc->sample_rate_hz * dt) + 1e-9));
  total = lround (doc->duration_s / dt) / every;
  if (total < 4)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The simulation is too short to record anything"));
      sw_mass_doc_free (doc);
      return NULL;
    }
  if ((double) total * n * sizeof (double) > 1e9)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   _("The recording would not fit in memory; lower the sample rate or the duration"));
      sw_mass_doc_free (doc);
      return NULL;
    }
  job = g_new0 (RunJob, 1);
  g_atomic_ref_count_init (&job->ref);
  job->doc = doc;
  job->n = n;
  job->every = every;
  job->fs = 1.0 / (every * dt);
  job->total_rows = total;
  job->warm_rows = MIN (lround (doc->warmup_s / dt) / every, total - 2);
  job->rows = g_new (double, (gsize) total * n);
  g_mutex_init (&job->lock);
  atomic_init (&job->cancel, 0);
  return job;
}

static RunJob *
run_job_ref (RunJob *job)
{
  g_atomic_ref_count_inc (&job->ref);
  return job;
}

static void
run_job_unref (RunJob *job)
{
  if (job == NULL || !g_atomic_ref_count_dec (&job->ref))
    return;
  sw_mass_doc_free (job->doc);
  g_free (job->rows);
  g_mutex_clear (&job->lock);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RunJob, run_job_unref)

static long
run_job_published (RunJob *job)
{
  long n;

  g_mutex_lock (&job->lock);
  n = job->n_rows;
  g_mutex_unlock (&job->lock);
  return n;
}

static void
run_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  RunJob *job = data;
  SwMassConfig cfg;
  SwMassSim *sim;
  SwError err;
  SwStatus st;
  /* Chunks of about 20 ms of model time: many publications per second of
   * wall time, each cheap. */
  long chunk = MAX (1, lround (job->fs * 0.02));
  long done = 0;

  sw_mass_doc_config (job->doc, &cfg);
  if ((st = sw_mass_sim_new (&cfg, &sim, &err)) != SW_OK)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s", err.text);
      return;
    }
  while (done < job->total_rows && !atomic_load (&job->cancel))
    {
      long k = MIN (chunk, job->total_rows - done);

      st = sw_mass_sim_run (sim, k * job->every, job->every, job->rows + (gsize) done * job->n, &err);
      if (st != SW_OK)
        break;
      done += k;
      g_mutex_lock (&job->lock);
      job->n_rows = done;
      g_mutex_unlock (&job->lock);
    }
  sw_mass_sim_free (sim);
  if (st != SW_OK)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", err.text);
  else
    g_task_return_boolean (task, TRUE);
}

/* ------------------------------------------------------------------------ */
/* Perturbations                                                             */

typedef struct
{
  SwMassDoc *doc;
  int source;
  SwMassPerturbResult res;
  gboolean have_res;
} PertJob;

static void
pert_job_free (PertJob *job)
{
  if (job->have_res)
    sw_mass_perturb_result_clear (&job->res);
  sw_mass_doc_free (job->doc);
  g_free (job);
}

static void
pert_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  PertJob *job = data;
  SwMassDoc *doc = job->doc;
  SwMassConfig cfg;
  SwMassPerturbProtocol prot = {
    .source = job->source,
    .amplitude = doc->pert_amplitude,
    .pulse_s = doc->pert_pulse_s,
    .warmup_s = doc->pert_warmup_s,
    .window_s = doc->pert_window_s,
  };
  SwError err;

  sw_mass_doc_config (doc, &cfg);
  if (sw_mass_perturb (&cfg, &prot, &job->res, &err) != SW_OK)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", err.text);
      return;
    }
  job->have_res = TRUE;
  g_task_return_boolean (task, TRUE);
}

/* ------------------------------------------------------------------------ */
/* The window                                                                */

typedef struct
{
  char *name, *unit, *label, *description;
  double value, min, max;
  GtkWidget *row;
} Variable;

static void
variable_clear (Variable *v)
{
  g_free (v->name);
  g_free (v->unit);
  g_free (v->label);
  g_free (v->description);
}

typedef enum
{
  BIF_IDLE,
  BIF_RUNNING,
  BIF_DONE,
  BIF_CANCELLED,
  BIF_FAILED,
} BifState;

struct _SwMassWindow
{
  AdwApplicationWindow parent_instance;

  /* Template children. */
  GtkWidget *run_button, *stop_button;
  AdwViewStack *stack;
  AdwViewSwitcherTitle *switcher_title;
  GtkLabel *model_label, *explanation_label, *status_label, *hop_label;
  GtkListBox *variables_list;
  GtkToggleButton *perturb_toggle, *plot_toggle, *activity_toggle, *response_toggle;
  GtkSpinner *perturb_spinner;
  GtkDrawingArea *network_area, *series_area, *spectrum_area, *plane_area, *bif_area;
  GtkStack *plane_stack;
  GtkDropDown *x_dropdown, *y_dropdown, *param_dropdown;
  GtkLabel *plane_label, *bif_label, *unit_label;
  GtkSpinButton *lo_spin, *hi_spin;
  GtkButton *bif_button, *bif_cancel_button;
  GtkProgressBar *bif_progress;

  gboolean disposed;

  char *location;
  JsonNode *json;             /* the document as read */
  SwMassDoc *doc;
  GArray *variables;          /* Variable */

  /* Network layout (unit square) and the last drawing's node centres. */
  double *lx, *ly;
  double *px, *py, pr;
  gboolean drawn;
  GArray *plotted;            /* int */
  int focus_node;             /* the node the keyboard acts on */

  /* The run shown (running or finished). */
  RunJob *run;
  GTask *run_task;
  guint tick_id;
  long seen_rows;
  double act_lo, act_hi;      /* range of the observable after the warm-up */
  gint64 last_spectrum_us;
  double *psd_freq, *psd;     /* nf, and nf x plotted */
  size_t psd_nf;
  guint psd_n;                /* nodes in psd */
  double psd_peak;

  /* Perturbation. */
  GTask *pert_task;
  PertJob *pert;              /* the last result */

  /* Phase plane. */
  SwMassPlane *plane;         /* the last result */
  GCancellable *plane_cancel;
  guint plane_gen;
  gboolean plane_busy, plane_pending;
  gboolean box_valid;
  int box_ix, box_iy;          /* the axes the box belongs to */
  double box[4];
  GArray *starts;             /* double pairs */
  char *plane_error;

  /* Bifurcation. */
  SwMassBif *bif_job;         /* the diagram being computed (its task's data) */
  SwMassBif *bif;             /* the last finished diagram */
  GCancellable *bif_cancel;
  BifState bif_state;
  guint bif_progress_id;
};

G_DEFINE_FINAL_TYPE (SwMassWindow, sw_mass_window, ADW_TYPE_APPLICATION_WINDOW)

static void update_actions (SwMassWindow *self);

static void
remove_tick (SwMassWindow *self)
{
  if (self->tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
  self->tick_id = 0;
}
static void start_plane (SwMassWindow *self);

static void
set_status (SwMassWindow *self, const char *text)
{
  gtk_label_set_label (self->status_label, text);
}

static GtkWidget *
visible_area (SwMassWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (name, "series") == 0)
    return GTK_WIDGET (self->series_area);
  if (g_strcmp0 (name, "spectrum") == 0)
    return GTK_WIDGET (self->spectrum_area);
  if (g_strcmp0 (name, "plane") == 0)
    return GTK_WIDGET (self->plane_area);
  if (g_strcmp0 (name, "bifurcation") == 0)
    return GTK_WIDGET (self->bif_area);
  return GTK_WIDGET (self->network_area);
}

static const char *
unit_or_null (const char *unit)
{
  return unit != NULL && unit[0] != '\0' ? unit : NULL;
}

/* --- variables ------------------------------------------------------------ */

static gboolean
read_variables (SwMassWindow *self, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  const char *data;
  gsize len;
  JsonObject *root, *vars;

  if (g_str_has_prefix (self->location, "preset:"))
    {
      if ((bytes = sw_presets_lookup (self->location + 7, error)) == NULL)
        return FALSE;
      data = g_bytes_get_data (bytes, &len);
    }
  else
    {
      if (!g_file_get_contents (self->location, &text, &len, error))
        return FALSE;
      data = text;
    }
  if (!json_parser_load_from_data (parser, data, (gssize) len, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_FORMAT, _("%s: the document is not a JSON object"),
                   self->location);
      return FALSE;
    }
  self->json = json_node_copy (json_parser_get_root (parser));
  root = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (root, "variables")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "variables")))
    return TRUE;
  vars = json_object_get_object_member (root, "variables");
  g_autoptr(GList) members = json_object_get_members (vars);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (vars, l->data);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonNode *value = o != NULL ? json_object_get_member (o, "value") : node;
      Variable v = { 0 };

      /* Variables written as expressions follow the others: no slider. */
      if (value == NULL || !JSON_NODE_HOLDS_VALUE (value)
          || (json_node_get_value_type (value) != G_TYPE_INT64
              && json_node_get_value_type (value) != G_TYPE_DOUBLE))
        continue;
      v.name = g_strdup (l->data);
      v.value = json_node_get_double (value);
      v.unit = g_strdup (o != NULL && json_object_has_member (o, "unit")
                           ? json_object_get_string_member_with_default (o, "unit", "")
                           : "");
      v.label = o != NULL ? g_strdup (json_object_get_string_member_with_default (o, "label", NULL))
                          : NULL;
      v.description = o != NULL ? g_strdup (json_object_get_string_member_with_default (o, "description", NULL))
                                : NULL;
      v.min = o != NULL && json_object_has_member (o, "min")
                ? json_object_get_double_member (o, "min")
                : v.value - fabs (v.value) - 1.0;
      v.max = o != NULL && json_object_has_member (o, "max")
                ? json_object_get_double_member (o, "max")
                : v.value + fabs (v.value) + 1.0;
      g_array_append_val (self->variables, v);
    }
  return TRUE;
}

/* The document with the sliders' values written into its "variables".
 * (Settings of the NAME=VALUE kind would not do: a variable may share its
 * name with a node parameter, which such a setting changes as well.) */
static SwMassDoc *
load_doc (SwMassWindow *self, GError **error)
{
  JsonObject *root = json_node_get_object (self->json);
  JsonObject *vars = json_object_has_member (root, "variables") ? json_object_get_object_member (root, "variables")
                                                                 : NULL;
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;
  g_autofree char *dir = NULL;

  for (guint k = 0; vars != NULL && k < self->variables->len; k++)
    {
      Variable *v = &g_array_index (self->variables, Variable, k);
      JsonNode *node = json_object_get_member (vars, v->name);

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        json_object_set_double_member (json_node_get_object (node), "value", v->value);
      else
        json_object_set_double_member (vars, v->name, v->value);
    }
  json_generator_set_root (gen, self->json);
  text = json_generator_to_data (gen, NULL);
  if (!g_str_has_prefix (self->location, "preset:"))
    dir = g_path_get_dirname (self->location);
  return sw_mass_doc_load_data (text, -1, self->location, dir, NULL, error);
}

/* Positions in the unit square: the centroids' x and y when the network
 * has them, else a circle. */
static void
layout_nodes (SwMassWindow *self)
{
  int n = sw_mass_doc_n_nodes (self->doc);
  const double *c = self->doc->net != NULL ? self->doc->net->centroids_mm : NULL;

  g_free (self->lx);
  g_free (self->ly);
  g_free (self->px);
  g_free (self->py);
  self->lx = g_new (double, n);
  self->ly = g_new (double, n);
  self->px = g_new0 (double, n);
  self->py = g_new0 (double, n);
  self->drawn = FALSE;
  if (n == 1)
    {
      self->lx[0] = self->ly[0] = 0.5;
      return;
    }
  if (c != NULL)
    {
      double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY, span;

      for (int i = 0; i < n; i++)
        {
          x0 = MIN (x0, c[3 * i]);
          x1 = MAX (x1, c[3 * i]);
          y0 = MIN (y0, c[3 * i + 1]);
          y1 = MAX (y1, c[3 * i + 1]);
        }
      span = MAX (MAX (x1 - x0, y1 - y0), 1e-9);
      /* Same scale on both axes, centred; y up as in anatomy. */
      for (int i = 0; i < n; i++)
        {
          self->lx[i] = 0.5 + (c[3 * i] - 0.5 * (x0 + x1)) / span;
          self->ly[i] = 0.5 - (c[3 * i + 1] - 0.5 * (y0 + y1)) / span;
        }
      return;
    }
  for (int i = 0; i < n; i++)
    {
      self->lx[i] = 0.5 + 0.5 * cos (2 * G_PI * i / n - G_PI / 2);
      self->ly[i] = 0.5 + 0.5 * sin (2 * G_PI * i / n - G_PI / 2);
    }
}

static void
fill_plane_axes (SwMassWindow *self)
{
  const SwMassType *t = self->doc->type;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  int ix = 0, iy = t->n_state > 1 ? 1 : 0;

  for (int k = 0; k < t->n_state; k++)
    gtk_string_list_append (names, t->state[k].name);
  /* The first pair of variables whose plane is not flat: in a larger node
   * (Jansen-Rit) a variable may not depend on the other of a pair at all
   * (y0' = y3), which would make that variable's nullcline the whole
   * plane. */
  if (t->n_state > 2)
    {
      SwMassField mf;
      SwField field;
      double jac[SW_FIELD_MAX * SW_FIELD_MAX];
      int n = t->n_state;
      gboolean found = FALSE;

      sw_mass_field_init (&mf, t, self->doc->params, &field);
      sw_field_jacobian (&field, self->doc->initial, jac);
      for (int i = 0; i < n && !found; i++)
        for (int j = i + 1; j < n && !found; j++)
          if ((jac[i * n + i] != 0 || jac[i * n + j] != 0) && (jac[j * n + i] != 0 || jac[j * n + j] != 0))
            {
              ix = i;
              iy = j;
              found = TRUE;
            }
    }
  g_signal_handlers_block_matched (self->x_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  g_signal_handlers_block_matched (self->y_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_drop_down_set_model (self->x_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_model (self->y_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->x_dropdown, (guint) ix);
  gtk_drop_down_set_selected (self->y_dropdown, (guint) iy);
  g_signal_handlers_unblock_matched (self->x_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  g_signal_handlers_unblock_matched (self->y_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_stack_set_visible_child_name (self->plane_stack, t->n_state >= 2 ? "plane" : "none");
}

/* The default range of the diagram: the present value plus and minus its
 * size (at least 1), inside the parameter's allowed range. */
static void
set_bif_range (SwMassWindow *self, int ip)
{
  const SwParamInfo *pi = &self->doc->type->params[ip];
  double v = self->doc->params[ip], w = MAX (fabs (v), 1.0);
  double lo = MAX (v - w, pi->min), hi = MIN (v + w, pi->max);

  gtk_spin_button_set_value (self->lo_spin, lo);
  gtk_spin_button_set_value (self->hi_spin, hi);
  gtk_label_set_label (self->unit_label, pi->unit);
}

static void
fill_bif_params (SwMassWindow *self)
{
  const SwMassType *t = self->doc->type;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  for (int k = 0; k < t->n_params; k++)
    gtk_string_list_append (names, t->params[k].name);
  g_signal_handlers_block_matched (self->param_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_drop_down_set_model (self->param_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->param_dropdown, (guint) t->input_param);
  g_signal_handlers_unblock_matched (self->param_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  set_bif_range (self, t->input_param);
}

/* --- runs ------------------------------------------------------------------ */

static gboolean
is_plotted (SwMassWindow *self, int node)
{
  for (guint k = 0; k < self->plotted->len; k++)
    if (g_array_index (self->plotted, int, k) == node)
      return TRUE;
  return FALSE;
}

/* Welch spectra of the plotted nodes over the rows after the warm-up. */
static void
update_spectrum (SwMassWindow *self)
{
  RunJob *job = self->run;
  long first, m;
  g_autofree double *x = NULL;

  g_clear_pointer (&self->psd_freq, g_free);
  g_clear_pointer (&self->psd, g_free);
  self->psd_nf = 0;
  self->psd_n = 0;
  self->psd_peak = NAN;
  if (job == NULL)
    return;
  first = job->warm_rows;
  m = self->seen_rows - first;
  /* Half a second at least, for a few frequency bins below 45 Hz. */
  if (m < (long) (0.5 * job->fs) || m < 8)
    return;
  self->psd_nf = sw_mass_psd_size ((size_t) m, job->fs, 2.0);
  self->psd_n = self->plotted->len;
  self->psd_freq = g_new0 (double, self->psd_nf + 1);
  self->psd = g_new0 (double, (self->psd_nf + 1) * MAX (self->psd_n, 1));
  x = g_new (double, m);
  for (guint p = 0; p < self->psd_n; p++)
    {
      int i = g_array_index (self->plotted, int, p);
      double mean = 0, var = 0;

      for (long k = 0; k < m; k++)
        {
          x[k] = job->rows[(gsize) (first + k) * job->n + i];
          mean += x[k] / m;
        }
      for (long k = 0; k < m; k++)
        var += (x[k] - mean) * (x[k] - mean) / m;
      size_t got = sw_mass_psd (x, (size_t) m, job->fs, 2.0, self->psd_freq, self->psd + p * self->psd_nf);
      /* A constant signal has no peak. */
      if (p == 0 && var > 1e-18 * (1.0 + mean * mean))
        self->psd_peak = sw_mass_psd_peak (self->psd_freq, self->psd, got, 1.0, MIN (45.0, job->fs / 2));
    }
  self->last_spectrum_us = g_get_monotonic_time ();
}

static void
take_rows (SwMassWindow *self)
{
  RunJob *job = self->run;
  long n = run_job_published (job);

  for (long k = MAX (self->seen_rows, job->warm_rows); k < n; k++)
    for (int i = 0; i < job->n; i++)
      {
        double v = job->rows[(gsize) k * job->n + i];
        self->act_lo = MIN (self->act_lo, v);
        self->act_hi = MAX (self->act_hi, v);
      }
  self->seen_rows = n;
}

static void
update_run_status (SwMassWindow *self)
{
  RunJob *job = self->run;
  g_autofree char *text = NULL;

  if (job == NULL)
    return;
  double t = self->seen_rows / job->fs;
  if (isfinite (self->psd_peak))
    /* Translators: status of a run: model time so far, total, and the spectral peak. */
    text = g_strdup_printf (_("%.2f s of %.2f s simulated · spectral peak %.2f Hz"), t, job->doc->duration_s,
                            self->psd_peak);
  else
    /* Translators: status of a run: model time so far and total. */
    text = g_strdup_printf (_("%.2f s of %.2f s simulated"), t, job->doc->duration_s);
  set_status (self, text);
}

static gboolean
tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  SwMassWindow *self = data;
  long before = self->seen_rows;

  if (self->run == NULL)
    return G_SOURCE_CONTINUE;
  take_rows (self);
  if (self->seen_rows != before)
    {
      if (g_get_monotonic_time () - self->last_spectrum_us > SPECTRUM_INTERVAL_US)
        update_spectrum (self);
      update_run_status (self);
      gtk_widget_queue_draw (visible_area (self));
    }
  return G_SOURCE_CONTINUE;
}

static void
run_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  SwMassWindow *self = SW_MASS_WINDOW (source);
  g_autoptr(GError) error = NULL;
  GTask *task = G_TASK (result);

  if (self->run_task != task)
    return;
  g_clear_object (&self->run_task);
  if (self->disposed)
    return;
  remove_tick (self);
  take_rows (self);
  update_spectrum (self);
  if (!g_task_propagate_boolean (task, &error))
    {
      /* Translators: %s is the simulation core's reason. */
      g_autofree char *text = g_strdup_printf (_("The simulation failed: %s"), error->message);
      set_status (self, text);
    }
  else
    update_run_status (self);
  gtk_widget_queue_draw (visible_area (self));
  {
    g_autofree char *desc =
      /* Translators: accessible summary of the time series; %ld is a count. */
      g_strdup_printf (_("%ld samples per node recorded"), self->seen_rows);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->series_area), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    desc, -1);
  }
  update_actions (self);
}

void
sw_mass_window_stop (SwMassWindow *self)
{
  g_return_if_fail (SW_IS_MASS_WINDOW (self));
  if (self->run != NULL && self->run_task != NULL)
    atomic_store (&self->run->cancel, 1);
}

void
sw_mass_window_run (SwMassWindow *self)
{
  g_autoptr(GError) error = NULL;
  SwMassDoc *doc;
  RunJob *job;

  g_return_if_fail (SW_IS_MASS_WINDOW (self));
  if (self->run_task != NULL)
    {
      /* A new run replaces the one in progress. */
      atomic_store (&self->run->cancel, 1);
      g_clear_object (&self->run_task);
    }
  if ((doc = load_doc (self, &error)) == NULL || (job = run_job_new (doc, &error)) == NULL)
    {
      set_status (self, error->message);
      return;
    }
  g_clear_pointer (&self->run, run_job_unref);
  self->run = job;
  self->seen_rows = 0;
  self->act_lo = INFINITY;
  self->act_hi = -INFINITY;
  self->last_spectrum_us = 0;
  update_spectrum (self);
  self->run_task = g_task_new (self, NULL, run_done_cb, NULL);
  g_task_set_task_data (self->run_task, run_job_ref (job), (GDestroyNotify) run_job_unref);
  g_task_run_in_thread (self->run_task, run_thread);
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, self, NULL);
  update_actions (self);
}

gboolean
sw_mass_window_get_running (SwMassWindow *self)
{
  g_return_val_if_fail (SW_IS_MASS_WINDOW (self), FALSE);
  return self->run_task != NULL;
}

gsize
sw_mass_window_get_n_samples (SwMassWindow *self)
{
  g_return_val_if_fail (SW_IS_MASS_WINDOW (self), 0);
  return self->run != NULL ? (gsize) self->seen_rows : 0;
}

double
sw_mass_window_get_spectral_peak (SwMassWindow *self)
{
  g_return_val_if_fail (SW_IS_MASS_WINDOW (self), NAN);
  return self->psd_peak;
}

static void
update_actions (SwMassWindow *self)
{
  gboolean running = self->run_task != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", running);
  gtk_widget_set_tooltip_text (self->run_button, running ? _("Run again from the start")
                                                         : _("Run the simulation"));
}

/* --- variables changing ---------------------------------------------------- */

static gboolean
apply_variables (SwMassWindow *self, GError **error)
{
  SwMassDoc *doc = load_doc (self, error);

  if (doc == NULL)
    return FALSE;
  sw_mass_doc_free (self->doc);
  self->doc = doc;
  /* What depends on the parameters follows: the run starts again, the
   * phase plane is recomputed (on its worker, keeping its box). */
  if (self->run_task != NULL)
    sw_mass_window_run (self);
  if (self->doc->type->n_state >= 2)
    start_plane (self);
  return TRUE;
}

static Variable *
find_variable (SwMassWindow *self, const char *name)
{
  for (guint k = 0; k < self->variables->len; k++)
    {
      Variable *v = &g_array_index (self->variables, Variable, k);
      if (g_str_equal (v->name, name))
        return v;
    }
  return NULL;
}

gboolean
sw_mass_window_set_variable (SwMassWindow *self, const char *name, double value, GError **error)
{
  Variable *v;
  double old;

  g_return_val_if_fail (SW_IS_MASS_WINDOW (self), FALSE);
  if ((v = find_variable (self, name)) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("The model has no variable “%s”"), name);
      return FALSE;
    }
  old = v->value;
  v->value = value;
  if (!apply_variables (self, error))
    {
      v->value = old;
      return FALSE;
    }
  return TRUE;
}

static void
row_value_changed_cb (SwVariableRow *row, double value, SwMassWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!sw_mass_window_set_variable (self, sw_variable_row_get_name (row), value, &error))
    sw_variable_row_set_error (row, error->message);
  else
    sw_variable_row_set_error (row, NULL);
}

static void
row_text_entered_cb (SwVariableRow *row, const char *text, SwMassWindow *self)
{
  char *end = NULL;
  double value = g_ascii_strtod (text, &end);

  if (end == text || *g_strchug (end) != '\0')
    {
      sw_variable_row_set_error (row, _("Type a number in the variable’s unit"));
      return;
    }
  row_value_changed_cb (row, value, self);
}

static void
build_variable_rows (SwMassWindow *self)
{
  for (guint k = 0; k < self->variables->len; k++)
    {
      Variable *v = &g_array_index (self->variables, Variable, k);
      SwVariableInfo info = {
        .name = v->name, .value = v->value, .unit = v->unit, .min = v->min, .max = v->max,
        .label = v->label, .description = v->description,
      };

      v->row = sw_variable_row_new (&info);
      g_signal_connect_object (v->row, "value-changed", G_CALLBACK (row_value_changed_cb), self, 0);
      g_signal_connect_object (v->row, "text-entered", G_CALLBACK (row_text_entered_cb), self, 0);
      gtk_list_box_append (self->variables_list, v->row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->variables_list), self->variables->len > 0);
}

/* --- the network view --------------------------------------------------------- */

typedef struct
{
  SwRgba fg, bg, accent, dim;
  double font;
} Look;

static void
look_for (SwMassWindow *self, GtkWidget *widget, Look *look)
{
  SwPlotTheme theme;

  if (widget != NULL)
    sw_live_style (widget, FALSE, &theme, &look->accent, NULL);
  else
    {
      sw_plot_theme_init (&theme, SW_PLOT_THEME_LIGHT);
      look->accent = theme.series[0];
    }
  look->fg = theme.foreground;
  look->bg = theme.background;
  look->dim = theme.foreground;
  look->dim.a = 0.35;
  look->font = theme.font_size * theme.scale;
}

static void
source_rgba (cairo_t *cr, SwRgba c)
{
  cairo_set_source_rgba (cr, c.r, c.g, c.b, c.a);
}

/* The value that colours node @i, and the colour bar's label; NAN: no
 * colour. */
static double
node_value (SwMassWindow *self, gboolean response, int i)
{
  if (response)
    {
      if (self->pert == NULL || i >= self->pert->res.n_nodes)
        return NAN;
      double z = self->pert->res.nodes[i].z;
      return z > 0 && isfinite (z) ? log10 (z) : (z > 0 ? 6.0 : NAN);
    }
  if (self->run == NULL || self->seen_rows == 0 || i >= self->run->n)
    return NAN;
  return self->run->rows[(gsize) (self->seen_rows - 1) * self->run->n + i];
}

static gboolean
showing_response (SwMassWindow *self)
{
  return gtk_toggle_button_get_active (self->response_toggle) && self->pert != NULL;
}

static void
text_at (cairo_t *cr, double x, double y, const char *text, double align_x, double align_y)
{
  cairo_text_extents_t ext;

  cairo_text_extents (cr, text, &ext);
  cairo_move_to (cr, x - align_x * ext.width - ext.x_bearing, y - align_y * ext.height - ext.y_bearing);
  cairo_show_text (cr, text);
  /* No current point left behind for the next path to join. */
  cairo_new_path (cr);
}

static void
draw_network (SwMassWindow *self, cairo_t *cr, double width, double height, const Look *look,
              gboolean record)
{
  int n = sw_mass_doc_n_nodes (self->doc);
  gboolean response = showing_response (self);
  gboolean want_response = gtk_toggle_button_get_active (self->response_toggle);
  double lo = 0, hi = 1;
  gboolean have_colours = FALSE;
  double bar_w = 16, right = 150, top = 2.6 * look->font, bottom = 1.5 * look->font;
  double area_w = MAX (width - right - 2 * look->font, 10), area_h = MAX (height - top - bottom, 10);
  double side = MIN (area_w, area_h), ox = look->font + (area_w - side) / 2, oy = top + (area_h - side) / 2;
  double r = CLAMP (side / (sqrt (n) * 5.0), 5.0, 18.0);
  char buf[64];

  cairo_save (cr);
  if (look->bg.a > 0)
    {
      source_rgba (cr, look->bg);
      cairo_paint (cr);
    }
  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, look->font);

  /* Colour range. */
  if (response)
    {
      hi = 0;
      for (int i = 0; i < n; i++)
        hi = MAX (hi, node_value (self, TRUE, i));
      hi = MAX (hi, 1.0);
      have_colours = TRUE;
    }
  else if (!want_response && self->run != NULL && isfinite (self->act_lo) && self->act_hi >= self->act_lo)
    {
      lo = self->act_lo;
      hi = self->act_hi > self->act_lo ? self->act_hi : self->act_lo + 1.0;
      have_colours = TRUE;
    }

  /* Node centres, inset by the radius so that nodes stay inside. */
  side -= 2 * r;
  for (int i = 0; i < n; i++)
    {
      double x = ox + r + self->lx[i] * side, y = oy + r + self->ly[i] * side;
      if (record)
        {
          self->px[i] = x;
          self->py[i] = y;
        }
    }
  if (record)
    {
      self->pr = r;
      self->drawn = TRUE;
    }

  /* Edges: width and opacity by weight. */
  if (self->doc->weights != NULL)
    {
      double wmax = 0;
      for (int q = 0; q < n * n; q++)
        wmax = MAX (wmax, self->doc->weights[q]);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      for (int i = 0; i < n && wmax > 0; i++)
        for (int j = i + 1; j < n; j++)
          {
            double w = MAX (self->doc->weights[i * n + j], self->doc->weights[j * n + i]) / wmax;
            if (w <= 0)
              continue;
            cairo_set_source_rgba (cr, look->fg.r, look->fg.g, look->fg.b, 0.15 + 0.45 * w);
            cairo_set_line_width (cr, 0.5 + 2.5 * w);
            cairo_move_to (cr, ox + r + self->lx[i] * side, oy + r + self->ly[i] * side);
            cairo_line_to (cr, ox + r + self->lx[j] * side, oy + r + self->ly[j] * side);
            cairo_stroke (cr);
          }
    }

  /* Nodes: fill by value; a thick ring marks the pulse's source and a
   * square the plotted nodes, so neither relies on colour. */
  for (int i = 0; i < n; i++)
    {
      double x = ox + r + self->lx[i] * side, y = oy + r + self->ly[i] * side;
      double v = node_value (self, response, i);
      SwRgba c = have_colours && isfinite (v) ? sw_colormap_eval (SW_COLORMAP_VIRIDIS, (v - lo) / (hi - lo))
                                              : sw_colormap_nan_colour ();

      cairo_arc (cr, x, y, r, 0, 2 * G_PI);
      source_rgba (cr, c);
      cairo_fill_preserve (cr);
      source_rgba (cr, look->fg);
      cairo_set_line_width (cr, 1.0);
      cairo_stroke (cr);
      if (self->pert != NULL && self->pert->source == i)
        {
          cairo_arc (cr, x, y, r + 4, 0, 2 * G_PI);
          cairo_set_line_width (cr, 3.0);
          cairo_stroke (cr);
        }
      if (record && i == self->focus_node && gtk_widget_has_focus (GTK_WIDGET (self->network_area)))
        {
          /* Keyboard focus: a dashed ring. */
          static const double dash[] = { 3.0, 3.0 };
          cairo_save (cr);
          cairo_set_dash (cr, dash, 2, 0);
          cairo_arc (cr, x, y, r + 8, 0, 2 * G_PI);
          source_rgba (cr, look->fg);
          cairo_set_line_width (cr, 1.5);
          cairo_stroke (cr);
          cairo_restore (cr);
        }
      if (is_plotted (self, i))
        {
          cairo_rectangle (cr, x - r - 3, y - r - 3, 2 * r + 6, 2 * r + 6);
          cairo_set_line_width (cr, 1.5);
          source_rgba (cr, look->accent);
          cairo_stroke (cr);
        }
      if (n <= 40)
        {
          source_rgba (cr, look->fg);
          text_at (cr, x + r + 5, y - r, sw_mass_doc_node_name (self->doc, i), 0.0, 0.5);
        }
    }

  /* Legend of the marks, top left. */
  {
    double x = look->font, y = 1.2 * look->font;
    source_rgba (cr, look->fg);
    cairo_set_line_width (cr, 1.5);
    cairo_rectangle (cr, x, y - 0.45 * look->font, 0.9 * look->font, 0.9 * look->font);
    source_rgba (cr, look->accent);
    cairo_stroke (cr);
    source_rgba (cr, look->fg);
    text_at (cr, x + 1.4 * look->font, y, _("plotted"), 0.0, 0.5);
    x += 1.4 * look->font + 7 * look->font;
    cairo_set_line_width (cr, 3.0);
    cairo_arc (cr, x + 0.45 * look->font, y, 0.45 * look->font, 0, 2 * G_PI);
    cairo_stroke (cr);
    text_at (cr, x + 1.4 * look->font, y, _("pulse source"), 0.0, 0.5);
  }

  /* Colour bar, right. */
  {
    double bx = width - right + look->font, by = top, bh = MAX (area_h - look->font, 20);
    const SwMassType *t = self->doc->type;
    g_autofree char *label = NULL;

    if (have_colours)
      {
        for (int k = 0; k < 64; k++)
          {
            SwRgba c = sw_colormap_eval (SW_COLORMAP_VIRIDIS, (k + 0.5) / 64);
            source_rgba (cr, c);
            cairo_rectangle (cr, bx, by + bh * (1 - (k + 1) / 64.0), bar_w, bh / 64.0 + 0.5);
            cairo_fill (cr);
          }
        source_rgba (cr, look->fg);
        cairo_set_line_width (cr, 1.0);
        cairo_rectangle (cr, bx, by, bar_w, bh);
        cairo_stroke (cr);
        for (int k = 0; k <= 2; k++)
          {
            double v = lo + (hi - lo) * k / 2.0, y = by + bh * (1 - k / 2.0);
            g_snprintf (buf, sizeof buf, "%.3g", v);
            cairo_move_to (cr, bx + bar_w, y);
            cairo_line_to (cr, bx + bar_w + 4, y);
            cairo_stroke (cr);
            text_at (cr, bx + bar_w + 6, y, buf, 0.0, 0.5);
          }
        if (response)
          label = g_strdup (_("log₁₀ z (peak response / baseline SD)"));
        else if (t->observable_unit[0] != '\0')
          label = g_strdup_printf ("%s (%s)", t->observable, t->observable_unit);
        else
          label = g_strdup (t->observable);
        {
          /* The label, turned, right of the widest tick label. */
          double tw = 0;
          cairo_text_extents_t ext;
          for (int k = 0; k <= 2; k++)
            {
              g_snprintf (buf, sizeof buf, "%.3g", lo + (hi - lo) * k / 2.0);
              cairo_text_extents (cr, buf, &ext);
              tw = MAX (tw, ext.x_advance);
            }
          cairo_save (cr);
          cairo_translate (cr, bx + bar_w + 8 + tw + 0.4 * look->font, by + bh / 2);
          cairo_rotate (cr, G_PI / 2);
          text_at (cr, 0, 0, label, 0.5, 1.0);
        }
        cairo_restore (cr);
      }
    else
      {
        source_rgba (cr, look->fg);
        text_at (cr, look->font, height - 0.8 * look->font,
                 want_response ? _("Click a node to perturb it.") : _("Run the simulation to colour the nodes by their activity."),
                 0.0, 0.5);
      }
  }
  cairo_restore (cr);
}

static void
network_draw_cb (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  SwMassWindow *self = data;
  Look look;

  if (self->doc == NULL)
    return;
  look_for (self, GTK_WIDGET (area), &look);
  draw_network (self, cr, width, height, &look, TRUE);
}

static void
show_hops (SwMassWindow *self)
{
  const SwMassPerturbResult *res = &self->pert->res;
  g_autoptr(GString) s = g_string_new (NULL);

  g_string_append_printf (s, _("Pulse into %s (amplitude %.4g %s, %.0f ms)."),
                          sw_mass_doc_node_name (self->doc, self->pert->source), res->amplitude,
                          self->doc->type->params[self->doc->type->input_param].unit,
                          /* The protocol's default pulse is 10 ms. */
                          (self->pert->doc->pert_pulse_s > 0 ? self->pert->doc->pert_pulse_s : 0.01) * 1e3);
  for (int h = 0; h < MIN (res->max_hop, 6); h++)
    {
      const SwMassHopSummary *c = &res->by_hop[h];
      g_autofree char *hops = g_strdup_printf (ngettext ("%d hop", "%d hops", c->hop), c->hop);
      g_autofree char *nodes = g_strdup_printf (ngettext ("%d node", "%d nodes", c->n), c->n);
      g_string_append_c (s, '\n');
      /* Translators: one row of the hop-class summary after a pulse: "2 hops: 4 nodes, ...". */
      g_string_append_printf (s, _("%s: %s, %.0f %% reached, median z %.3g, median latency %.1f ms"), hops, nodes,
                              100 * c->frac_reached, c->median_z, c->median_latency_s * 1e3);
    }
  if (res->max_hop >= 2)
    {
      g_string_append_c (s, '\n');
      g_string_append_printf (s, _("2 or more hops: %.0f %% reached · R21 (median peak at 2 hops / at 1 hop) = %.3g"),
                              100 * res->two_plus.frac_reached, res->r21);
    }
  gtk_label_set_label (self->hop_label, s->str);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->network_area), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  s->str, -1);
}

static void
pert_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  SwMassWindow *self = SW_MASS_WINDOW (source);
  g_autoptr(GError) error = NULL;
  GTask *task = G_TASK (result);
  PertJob *job = g_task_get_task_data (task);

  if (self->pert_task != task)
    return;
  g_clear_object (&self->pert_task);
  if (self->disposed)
    return;
  gtk_spinner_stop (self->perturb_spinner);
  if (!g_task_propagate_boolean (task, &error))
    {
      set_status (self, error->message);
      return;
    }
  /* Keep the result: the task's data is freed with the task. */
  g_clear_pointer (&self->pert, pert_job_free);
  self->pert = g_new0 (PertJob, 1);
  *self->pert = *job;
  job->have_res = FALSE;
  job->doc = NULL;
  show_hops (self);
  gtk_toggle_button_set_active (self->response_toggle, TRUE);
  gtk_widget_queue_draw (GTK_WIDGET (self->network_area));
  set_status (self, _("Perturbation measured; the colours show each node’s response."));
}

static void
pert_task_data_free (gpointer data)
{
  pert_job_free (data);
}

static void
perturb_node (SwMassWindow *self, int node)
{
  g_autoptr(GError) error = NULL;
  PertJob *job;
  SwMassDoc *doc;

  if (self->doc->net == NULL)
    {
      set_status (self, _("A single node cannot be perturbed; the pulse spreads through a network."));
      return;
    }
  if (self->pert_task != NULL)
    {
      set_status (self, _("A perturbation is being measured; wait until it is done."));
      return;
    }
  if ((doc = load_doc (self, &error)) == NULL)
    {
      set_status (self, error->message);
      return;
    }
  job = g_new0 (PertJob, 1);
  job->doc = doc;
  job->source = node;
  self->pert_task = g_task_new (self, NULL, pert_done_cb, NULL);
  g_task_set_task_data (self->pert_task, job, pert_task_data_free);
  g_task_run_in_thread (self->pert_task, pert_thread);
  gtk_spinner_start (self->perturb_spinner);
  {
    /* Translators: %s is a node's name. */
    g_autofree char *text = g_strdup_printf (_("Measuring the response to a pulse into %s…"),
                                             sw_mass_doc_node_name (self->doc, node));
    set_status (self, text);
  }
}

static void
toggle_plotted (SwMassWindow *self, int node)
{
  for (guint k = 0; k < self->plotted->len; k++)
    if (g_array_index (self->plotted, int, k) == node)
      {
        /* One node always stays. */
        if (self->plotted->len > 1)
          g_array_remove_index (self->plotted, k);
        goto done;
      }
  if (self->plotted->len >= MAX_PLOTTED)
    g_array_remove_index (self->plotted, 0);
  g_array_append_val (self->plotted, node);
done:
  if (self->run != NULL)
    update_spectrum (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->network_area));
}

/* The network canvas from the keyboard: arrows move between nodes, Enter
 * or Space does what a click does. */
static gboolean
network_key_cb (GtkEventControllerKey *key, guint keyval, guint keycode, GdkModifierType state,
                SwMassWindow *self)
{
  int n = sw_mass_doc_n_nodes (self->doc);

  switch (keyval)
    {
    case GDK_KEY_Right:
    case GDK_KEY_Down:
      self->focus_node = (self->focus_node + 1) % n;
      break;
    case GDK_KEY_Left:
    case GDK_KEY_Up:
      self->focus_node = (self->focus_node + n - 1) % n;
      break;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_space:
      if (gtk_toggle_button_get_active (self->perturb_toggle))
        perturb_node (self, self->focus_node);
      else
        toggle_plotted (self, self->focus_node);
      break;
    default:
      return FALSE;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self->network_area));
  return TRUE;
}

static int
node_at (SwMassWindow *self, double x, double y)
{
  int n = sw_mass_doc_n_nodes (self->doc), best = -1;
  double bd = INFINITY;

  if (!self->drawn)
    return -1;
  for (int i = 0; i < n; i++)
    {
      double d = hypot (x - self->px[i], y - self->py[i]);
      if (d < bd)
        {
          bd = d;
          best = i;
        }
    }
  return bd <= self->pr + 4 ? best : -1;
}

static void
network_click (SwMassWindow *self, double x, double y)
{
  int node = node_at (self, x, y);

  if (node < 0)
    return;
  self->focus_node = node;
  if (gtk_toggle_button_get_active (self->perturb_toggle))
    perturb_node (self, node);
  else
    toggle_plotted (self, node);
}

/* --- time series and spectrum ---------------------------------------------- */

static SwStyle
node_style (guint k)
{
  SwStyle st = { 0 };

  /* Dashes as well as colours tell the nodes apart. */
  st.dash = (SwDash) (SW_DASH_SOLID + k % 4);
  return st;
}

static void
build_series (SwMassWindow *self, SwFigure *fig, gboolean all)
{
  SwPanel *p = sw_figure_panel (fig, 0, 0);
  RunJob *job = self->run;
  const SwMassType *t = self->doc->type;

  sw_panel_clear (p);
  sw_panel_set_title (p, _("Time series"));
  sw_panel_set_x_label (p, _("Time"), "s");
  sw_panel_set_y_label (p, t->observable, unit_or_null (t->observable_unit));
  if (job == NULL || self->seen_rows < 2)
    {
      sw_panel_set_x_limits (p, 0, SERIES_WINDOW_S);
      return;
    }
  long last = self->seen_rows;
  long first = all ? 0 : MAX (0, last - lround (SERIES_WINDOW_S * job->fs));
  long m = last - first;
  g_autofree double *tx = g_new (double, m);
  g_autofree double *y = g_new (double, m);
  double t_end = (first + m) / job->fs;

  for (long k = 0; k < m; k++)
    tx[k] = (first + k + 1) / job->fs;
  sw_panel_set_x_limits (p, first / job->fs, MAX (t_end, first / job->fs + SERIES_WINDOW_S));
  for (guint q = 0; q < self->plotted->len; q++)
    {
      int i = g_array_index (self->plotted, int, q);
      SwStyle st = node_style (q);

      for (long k = 0; k < m; k++)
        y[k] = job->rows[(gsize) (first + k) * job->n + i];
      sw_panel_add_line (p, tx, y, m, sw_mass_doc_node_name (self->doc, i), &st, NULL);
    }
  sw_panel_set_legend (p, self->plotted->len > 1 ? SW_LEGEND_OUTSIDE : SW_LEGEND_NONE);
}

static void
build_spectrum (SwMassWindow *self, SwFigure *fig)
{
  SwPanel *p = sw_figure_panel (fig, 0, 0);
  const SwMassType *t = self->doc->type;
  g_autofree char *unit = g_strdup_printf ("%s%s/Hz", t->observable_unit, t->observable_unit[0] ? "²" : "1");
  g_autofree char *title = NULL;

  sw_panel_clear (p);
  sw_panel_set_title (p, _("Power spectral density (Welch, 2 s Hann windows)"));
  sw_panel_set_x_label (p, _("Frequency"), "Hz");
  /* Translators: y axis of the spectrum; PSD = power spectral density. */
  sw_panel_set_y_label (p, _("PSD"), unit);
  sw_panel_set_y_log (p, TRUE);
  sw_panel_set_x_limits (p, 1.0, 45.0);
  if (self->psd_nf == 0)
    return;
  size_t lo = 0, hi = 0;
  while (lo < self->psd_nf && self->psd_freq[lo] < 1.0)
    lo++;
  hi = lo;
  while (hi < self->psd_nf && self->psd_freq[hi] <= 45.0)
    hi++;
  for (guint q = 0; q < self->psd_n; q++)
    {
      int i = g_array_index (self->plotted, int, q);
      SwStyle st = node_style (q);
      sw_panel_add_line (p, self->psd_freq + lo, self->psd + q * self->psd_nf + lo, hi - lo,
                         sw_mass_doc_node_name (self->doc, i), &st, NULL);
    }
  if (isfinite (self->psd_peak))
    {
      double pv = 0;
      g_autofree char *label = g_strdup_printf (_("peak %.2f Hz"), self->psd_peak);
      for (size_t k = lo; k < hi; k++)
        if (fabs (self->psd_freq[k] - self->psd_peak) <= self->psd_freq[1] - self->psd_freq[0] && self->psd[k] > pv)
          pv = self->psd[k];
      if (pv > 0)
        sw_panel_add_marker (p, self->psd_peak, pv, label, NULL);
    }
  sw_panel_set_legend (p, self->psd_n > 1 ? SW_LEGEND_OUTSIDE : SW_LEGEND_NONE);
}

static void
figure_draw (GtkWidget *widget, SwFigure *fig, cairo_t *cr, int width, int height)
{
  SwPlotTheme theme;

  sw_live_style (widget, FALSE, &theme, NULL, NULL);
  sw_figure_set_theme (fig, &theme);
  sw_figure_draw (fig, cr, width, height);
}

static void
series_draw_cb (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  SwMassWindow *self = data;
  SwFigure *fig = g_object_get_data (G_OBJECT (area), "figure");

  build_series (self, fig, FALSE);
  figure_draw (GTK_WIDGET (area), fig, cr, width, height);
}

static void
spectrum_draw_cb (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  SwMassWindow *self = data;
  SwFigure *fig = g_object_get_data (G_OBJECT (area), "figure");

  build_spectrum (self, fig);
  figure_draw (GTK_WIDGET (area), fig, cr, width, height);
}

/* --- phase plane ----------------------------------------------------------- */

static SwStyle
point_style (SwFixedPointType type)
{
  SwStyle ps = { .colour = { 0, 0, 0, 1 }, .marker_size = 1.8 };

  /* Shape tells the type apart without colour (as in the command-line
   * figures): nodes circles, foci diamonds, saddles crosses, centres and
   * degenerate points squares; filled when stable, open when not. */
  switch (type)
    {
    case SW_FP_STABLE_NODE:
      ps.marker = SW_MARKER_CIRCLE;
      break;
    case SW_FP_STABLE_FOCUS:
      ps.marker = SW_MARKER_DIAMOND;
      break;
    case SW_FP_UNSTABLE_NODE:
      ps.marker = SW_MARKER_CIRCLE;
      ps.open_marker = TRUE;
      break;
    case SW_FP_UNSTABLE_FOCUS:
      ps.marker = SW_MARKER_DIAMOND;
      ps.open_marker = TRUE;
      break;
    case SW_FP_SADDLE:
      ps.marker = SW_MARKER_CROSS;
      break;
    default:
      ps.marker = SW_MARKER_SQUARE;
      ps.open_marker = TRUE;
      break;
    }
  return ps;
}

static const char *
fixed_point_name (SwFixedPointType type)
{
  switch (type)
    {
    case SW_FP_STABLE_NODE:
      return _("stable node");
    case SW_FP_UNSTABLE_NODE:
      return _("unstable node");
    case SW_FP_STABLE_FOCUS:
      return _("stable focus");
    case SW_FP_UNSTABLE_FOCUS:
      return _("unstable focus");
    case SW_FP_SADDLE:
      return _("saddle");
    case SW_FP_CENTRE:
      return _("centre");
    default:
      return _("degenerate fixed point");
    }
}

/* Short arrows of the flow's direction on the grid, one line broken by
 * NaN; the length is a fraction of a cell, so they show direction, not
 * speed. */
static void
add_arrows (SwPanel *p, const SwMassPlane *pl, const SwRgba *fg)
{
  int na = SW_MASS_PLANE_ARROWS;
  double cx = (pl->x1 - pl->x0) / (na - 1), cy = (pl->y1 - pl->y0) / (na - 1);
  g_autofree double *xs = g_new (double, na * na * 8);
  g_autofree double *ys = g_new (double, na * na * 8);
  size_t m = 0;
  SwStyle st = { .colour = *fg, .width = 0.6 };

  st.colour.a = 0.45;
  for (int j = 0; j < na; j++)
    for (int i = 0; i < na; i++)
      {
        double fx = pl->fx[j * na + i] / cx, fy = pl->fy[j * na + i] / cy;
        double len = hypot (fx, fy);
        double x = pl->x0 + i * cx, y = pl->y0 + j * cy;
        if (!(len > 0) || !isfinite (len))
          continue;
        /* In cell units: 0.7 of a cell along the flow. */
        double ux = fx / len, uy = fy / len;
        double x1 = x + 0.35 * ux * cx, y1 = y + 0.35 * uy * cy;
        double x0 = x - 0.35 * ux * cx, y0 = y - 0.35 * uy * cy;
        xs[m] = x0, ys[m++] = y0;
        xs[m] = x1, ys[m++] = y1;
        xs[m] = NAN, ys[m++] = NAN;
        /* Arrow head: two strokes back from the tip at +-30 degrees. */
        for (int s = -1; s <= 1; s += 2)
          {
            double a = s * G_PI / 6;
            double hx = -(ux * cos (a) - uy * sin (a)), hy = -(ux * sin (a) + uy * cos (a));
            xs[m] = x1, ys[m++] = y1;
            xs[m] = x1 + 0.2 * hx * cx, ys[m++] = y1 + 0.2 * hy * cy;
          }
        /* Separate the two strokes and the next arrow. */
        xs[m] = NAN, ys[m++] = NAN;
      }
  sw_panel_add_line (p, xs, ys, m, _("direction of flow"), &st, NULL);
}

static void
build_plane (SwMassWindow *self, SwFigure *fig, const SwRgba *fg)
{
  SwPanel *p = sw_figure_panel (fig, 0, 0);
  const SwMassType *t = self->doc->type;
  const SwMassPlane *pl = self->plane;

  sw_panel_clear (p);
  sw_panel_set_legend (p, SW_LEGEND_OUTSIDE);
  if (pl == NULL)
    {
      sw_panel_set_title (p, _("Phase plane (computing…)"));
      return;
    }
  {
    g_autofree char *title = t->n_state > 2
      /* Translators: %s is a model; the other variables are held fixed. */
      ? g_strdup_printf (_("%s: phase plane, other variables held at the fixed point"), t->label)
      /* Translators: %s is a model. */
      : g_strdup_printf (_("%s: phase plane"), t->label);
    sw_panel_set_title (p, title);
  }
  sw_panel_set_x_label (p, t->state[pl->ix].name, unit_or_null (t->state[pl->ix].unit));
  sw_panel_set_y_label (p, t->state[pl->iy].name, unit_or_null (t->state[pl->iy].unit));
  sw_panel_set_x_limits (p, pl->x0, pl->x1);
  sw_panel_set_y_limits (p, pl->y0, pl->y1);
  add_arrows (p, pl, fg);
  {
    SwStyle ts = { .colour = *fg, .width = 1.0, .dash = SW_DASH_SOLID };
    ts.colour.a = 0.8;
    for (guint k = 0; k < pl->curves->len; k++)
      {
        const SwMassCurve *c = &g_array_index (pl->curves, SwMassCurve, k);
        sw_panel_add_line (p, c->x, c->y, c->n, k == 0 ? _("trajectory (click to start one)") : NULL, &ts, NULL);
      }
    /* Where each trajectory starts. */
    SwStyle ss = { .colour = *fg, .marker = SW_MARKER_CIRCLE, .open_marker = TRUE, .marker_size = 0.8 };
    for (guint k = 0; k < pl->curves->len; k++)
      {
        const SwMassCurve *c = &g_array_index (pl->curves, SwMassCurve, k);
        if (c->n > 0)
          sw_panel_add_points (p, c->x, c->y, 1, k == 0 ? _("start of a trajectory") : NULL, &ss, NULL);
      }
  }
  {
    const char *xn = t->state[pl->ix].name, *yn = t->state[pl->iy].name;
    /* Translators: %s are a variable's name: "v-nullcline (dv/dt = 0)". */
    g_autofree char *lx = g_strdup_printf (_("%s-nullcline (d%s/dt = 0)"), xn, xn);
    g_autofree char *ly = g_strdup_printf (_("%s-nullcline (d%s/dt = 0)"), yn, yn);
    SwStyle sx = { .colour = { 0.0, 0.45, 0.70, 1.0 }, .width = 2.2, .dash = SW_DASH_SOLID };
    SwStyle sy = { .colour = { 0.84, 0.37, 0.0, 1.0 }, .width = 2.2, .dash = SW_DASH_DASHED };
    for (int l = 0; l < pl->n_x_null; l++)
      sw_panel_add_line (p, pl->x_null[l].x, pl->x_null[l].y, pl->x_null[l].n, l == 0 ? lx : NULL, &sx, NULL);
    for (int l = 0; l < pl->n_y_null; l++)
      sw_panel_add_line (p, pl->y_null[l].x, pl->y_null[l].y, pl->y_null[l].n, l == 0 ? ly : NULL, &sy, NULL);
  }
  {
    gboolean seen[SW_FP_N_TYPES] = { FALSE };
    for (int k = 0; k < pl->n_points; k++)
      {
        SwStyle ps = point_style (pl->points[k].type);
        ps.colour = *fg;
        const char *label = seen[pl->points[k].type] ? NULL : fixed_point_name (pl->points[k].type);
        seen[pl->points[k].type] = TRUE;
        sw_panel_add_points (p, &pl->points[k].x, &pl->points[k].y, 1, label, &ps, NULL);
      }
  }
}

static void
plane_draw_cb (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  SwMassWindow *self = data;
  SwFigure *fig = g_object_get_data (G_OBJECT (area), "figure");
  SwPlotTheme theme;

  sw_live_style (GTK_WIDGET (area), FALSE, &theme, NULL, NULL);
  build_plane (self, fig, &theme.foreground);
  sw_figure_set_theme (fig, &theme);
  sw_figure_draw (fig, cr, width, height);
}

static void
describe_plane (SwMassWindow *self)
{
  g_autoptr(GString) s = g_string_new (NULL);
  const SwMassPlane *pl = self->plane;

  if (pl->n_points == 0)
    g_string_append (s, _("No fixed point in view."));
  for (int k = 0; k < pl->n_points; k++)
    {
      const SwPlanePoint *q = &pl->points[k];
      if (k > 0)
        g_string_append (s, " · ");
      /* Rounding noise of a point at the origin reads as 0. */
      double qx = fabs (q->x) < 1e-9 * (pl->x1 - pl->x0) ? 0.0 : q->x;
      double qy = fabs (q->y) < 1e-9 * (pl->y1 - pl->y0) ? 0.0 : q->y;
      g_string_append_printf (s, "(%.3g, %.3g) %s", qx, qy, fixed_point_name (q->type));
      /* A focus whose rotation is negligible against its decay (a double
       * real eigenvalue met numerically) does not ring. */
      if (fabs (q->eig_im[0]) > 1e-3 * fabs (q->eig_re[0])
          && (q->type == SW_FP_STABLE_FOCUS || q->type == SW_FP_UNSTABLE_FOCUS))
        /* Translators: the frequency of a focus's damped or growing oscillation. */
        g_string_append_printf (s, _(", rings at %.3g Hz"), fabs (q->eig_im[0]) / (2 * G_PI));
    }
  gtk_label_set_label (self->plane_label, s->str);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->plane_label), s->str);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->plane_area), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  s->str, -1);
}

static void
plane_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  SwMassWindow *self = SW_MASS_WINDOW (source);
  GTask *task = G_TASK (result);
  g_autoptr(GError) error = NULL;
  guint gen = GPOINTER_TO_UINT (data);

  if (self->disposed || gen != self->plane_gen)
    return;
  self->plane_busy = FALSE;
  if (!g_task_propagate_boolean (task, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_label (self->plane_label, error->message);
    }
  else
    {
      SwMassPlane *pl = g_task_get_task_data (task);
      g_clear_pointer (&self->plane, sw_mass_plane_free);
      /* Steal the job from the task. */
      self->plane = g_memdup2 (pl, sizeof *pl);
      memset (pl, 0, sizeof *pl);
      /* The field points into the struct itself. */
      self->plane->field.data = &self->plane->mf;
      self->box_valid = TRUE;
      self->box_ix = self->plane->ix;
      self->box_iy = self->plane->iy;
      self->box[0] = self->plane->x0;
      self->box[1] = self->plane->x1;
      self->box[2] = self->plane->y0;
      self->box[3] = self->plane->y1;
      describe_plane (self);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self->plane_area));
  if (self->plane_pending)
    {
      self->plane_pending = FALSE;
      start_plane (self);
    }
}

static void
plane_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;

  if (sw_mass_plane_compute (data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
start_plane (SwMassWindow *self)
{
  const SwMassType *t = self->doc->type;
  guint ix = gtk_drop_down_get_selected (self->x_dropdown), iy = gtk_drop_down_get_selected (self->y_dropdown);
  SwMassPlane *pl;
  GTask *task;

  if (t->n_state < 2 || ix >= (guint) t->n_state || iy >= (guint) t->n_state)
    return;
  if (ix == iy)
    {
      gtk_label_set_label (self->plane_label, _("Choose two different variables."));
      return;
    }
  /* One computation at a time: while one runs, the latest request waits
   * and the running one is cancelled, so that slider motion coalesces. */
  if (self->plane_busy)
    {
      self->plane_pending = TRUE;
      g_cancellable_cancel (self->plane_cancel);
      return;
    }
  pl = sw_mass_plane_new (t, self->doc->params, self->doc->initial, self->doc->dt_s, self->doc->duration_s,
                          (int) ix, (int) iy);
  if (self->box_valid && self->box_ix == (int) ix && self->box_iy == (int) iy)
    {
      pl->have_box = TRUE;
      pl->x0 = self->box[0];
      pl->x1 = self->box[1];
      pl->y0 = self->box[2];
      pl->y1 = self->box[3];
    }
  g_array_append_vals (pl->starts, self->starts->data, self->starts->len);
  g_clear_object (&self->plane_cancel);
  self->plane_cancel = g_cancellable_new ();
  self->plane_busy = TRUE;
  task = g_task_new (self, self->plane_cancel, plane_done_cb, GUINT_TO_POINTER (++self->plane_gen));
  g_task_set_task_data (task, pl, (GDestroyNotify) sw_mass_plane_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, plane_thread);
  g_object_unref (task);
}

static void
plane_axis_cb (SwMassWindow *self)
{
  self->box_valid = FALSE;
  g_array_set_size (self->starts, 0);
  start_plane (self);
}

static void
clear_trajectories_cb (SwMassWindow *self)
{
  g_array_set_size (self->starts, 0);
  start_plane (self);
}

static void
plane_click (SwMassWindow *self, double px, double py)
{
  SwFigure *fig = g_object_get_data (G_OBJECT (self->plane_area), "figure");
  double x, y;

  if (self->plane == NULL || !sw_figure_locate (fig, px, py, NULL, NULL, &x, &y))
    return;
  g_array_append_val (self->starts, x);
  g_array_append_val (self->starts, y);
  start_plane (self);
}

/* --- bifurcation ----------------------------------------------------------- */

static void
build_bif (SwMassWindow *self, SwFigure *fig, const SwRgba *fg)
{
  SwPanel *p = sw_figure_panel (fig, 0, 0);
  const SwMassBif *bif = self->bif;
  const SwMassType *t = self->doc->type;

  sw_panel_clear (p);
  sw_panel_set_legend (p, SW_LEGEND_OUTSIDE);
  if (bif == NULL || self->bif_state != BIF_DONE)
    {
      sw_panel_set_title (p, self->bif_state == BIF_RUNNING ? _("Bifurcation diagram (computing…)")
                                                            : _("Bifurcation diagram: choose a parameter and press Compute"));
      return;
    }
  const SwParamInfo *pi = &t->params[bif->ip];
  const SwBranch *br = &bif->branch;
  int nb = br->n_points;
  {
    /* Translators: %s are the model and the parameter. */
    g_autofree char *title = g_strdup_printf (_("%s: bifurcation diagram over %s"), t->label, pi->name);
    sw_panel_set_title (p, title);
  }
  sw_panel_set_x_label (p, pi->name, unit_or_null (pi->unit));
  sw_panel_set_y_label (p, t->observable, unit_or_null (t->observable_unit));
  sw_panel_set_x_limits (p, bif->lo, bif->hi);
  g_autofree double *bp = g_new (double, nb + 1);
  g_autofree double *ys = g_new (double, nb + 1);
  g_autofree double *yu = g_new (double, nb + 1);
  for (int k = 0; k < nb; k++)
    {
      gboolean s = br->points[k].stable;
      gboolean sp = k > 0 && br->points[k - 1].stable, sn = k + 1 < nb && br->points[k + 1].stable;
      gboolean up = k > 0 && !br->points[k - 1].stable, un = k + 1 < nb && !br->points[k + 1].stable;
      bp[k] = br->points[k].p;
      /* Each part reaches its neighbour's first point, so the lines join. */
      ys[k] = s || sp || sn ? bif->observable[k] : NAN;
      yu[k] = !s || up || un ? bif->observable[k] : NAN;
      if (s && !sp && !sn)
        ys[k] = bif->observable[k];
    }
  /* No segment joins two branches. */
  for (guint q = 1; q + 1 < bif->starts->len; q++)
    {
      int k = g_array_index (bif->starts, int, q) - 1;
      if (k >= 0)
        ys[k] = yu[k] = NAN;
    }
  SwStyle ss = { .colour = *fg, .width = 2.0, .dash = SW_DASH_SOLID };
  SwStyle us = { .colour = *fg, .width = 1.5, .dash = SW_DASH_DASHED };
  sw_panel_add_line (p, bp, ys, nb, _("stable fixed point"), &ss, NULL);
  sw_panel_add_line (p, bp, yu, nb, _("unstable fixed point"), &us, NULL);
  g_autofree double *cx = g_new (double, 2 * bif->n_sims);
  g_autofree double *cy = g_new (double, 2 * bif->n_sims);
  int nc = 0;
  for (int k = 0; k < bif->n_sims; k++)
    if (bif->cycles[k].cycle)
      {
        cx[nc] = bif->pv[k];
        cy[nc++] = bif->cycles[k].min;
        cx[nc] = bif->pv[k];
        cy[nc++] = bif->cycles[k].max;
      }
  SwStyle cs = { .colour = { 0.0, 0.45, 0.70, 1.0 }, .marker = SW_MARKER_CIRCLE, .open_marker = TRUE,
                 .marker_size = 0.8 };
  sw_panel_add_points (p, cx, cy, nc, _("limit cycle min / max (simulated)"), &cs, NULL);
  for (int k = 0; k < br->n_special; k++)
    {
      const SwBifPoint *s = &br->special[k];
      double o = sw_mass_bif_observe (bif, s->p, s->x);
      g_autofree char *label = s->kind == SW_BIF_HOPF ? g_strdup_printf (_("Hopf %.4g"), s->p)
                                                      : g_strdup_printf (_("fold %.4g"), s->p);
      sw_panel_add_marker (p, s->p, o, label, NULL);
    }
}

static void
bif_draw_cb (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  SwMassWindow *self = data;
  SwFigure *fig = g_object_get_data (G_OBJECT (area), "figure");
  SwPlotTheme theme;

  sw_live_style (GTK_WIDGET (area), FALSE, &theme, NULL, NULL);
  build_bif (self, fig, &theme.foreground);
  sw_figure_set_theme (fig, &theme);
  sw_figure_draw (fig, cr, width, height);
}

static void
set_bif_state (SwMassWindow *self, BifState state)
{
  self->bif_state = state;
  gtk_widget_set_sensitive (GTK_WIDGET (self->bif_cancel_button), state == BIF_RUNNING);
  gtk_widget_set_sensitive (GTK_WIDGET (self->bif_button), state != BIF_RUNNING);
  gtk_widget_set_sensitive (GTK_WIDGET (self->param_dropdown), state != BIF_RUNNING);
  if (state != BIF_RUNNING)
    g_clear_handle_id (&self->bif_progress_id, g_source_remove);
  gtk_widget_queue_draw (GTK_WIDGET (self->bif_area));
}

static gboolean
bif_progress_cb (gpointer data)
{
  SwMassWindow *self = data;

  if (self->bif_job != NULL)
    gtk_progress_bar_set_fraction (self->bif_progress,
                                   (double) atomic_load (&self->bif_job->done) / self->bif_job->n_sims);
  return G_SOURCE_CONTINUE;
}

static void
bif_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  SwMassWindow *self = SW_MASS_WINDOW (source);
  GTask *task = G_TASK (result);
  g_autoptr(GError) error = NULL;

  SwMassBif *job = g_task_get_task_data (task);

  /* Every job is freed here, unless it becomes the diagram shown. */
  if (self->disposed || job != self->bif_job)
    {
      sw_mass_bif_free (job);
      return;
    }
  self->bif_job = NULL;
  if (!g_task_propagate_boolean (task, &error))
    {
      gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      sw_mass_bif_free (job);
      gtk_label_set_label (self->bif_label, cancelled ? _("Cancelled.") : error->message);
      set_bif_state (self, cancelled ? BIF_CANCELLED : BIF_FAILED);
      return;
    }
  sw_mass_bif_free (self->bif);
  self->bif = job;
  {
    int hopf = 0, fold = 0;
    for (int k = 0; k < self->bif->branch.n_special; k++)
      {
        if (self->bif->branch.special[k].kind == SW_BIF_HOPF)
          hopf++;
        else
          fold++;
      }
    g_autofree char *text = self->bif->branch_error != NULL
      ? g_strdup_printf (_("No fixed-point branch: %s"), self->bif->branch_error)
      /* Translators: the result of a bifurcation diagram. */
      : g_strdup_printf (_("%d Hopf and %d fold points found."), hopf, fold);
    gtk_label_set_label (self->bif_label, text);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->bif_area), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                    -1);
  }
  gtk_progress_bar_set_fraction (self->bif_progress, 1.0);
  set_bif_state (self, BIF_DONE);
}

static void
bif_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;

  if (sw_mass_bif_compute (data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

gboolean
sw_mass_window_compute_bifurcation (SwMassWindow *self, const char *name, double lo, double hi, int n_sims)
{
  const SwMassType *t;
  int ip;
  GTask *task;

  g_return_val_if_fail (SW_IS_MASS_WINDOW (self), FALSE);
  t = self->doc->type;
  if ((ip = sw_mass_type_param (t, name)) < 0)
    return FALSE;
  if (!(hi > lo) || lo < t->params[ip].min || hi > t->params[ip].max)
    {
      g_autofree char *text =
        /* Translators: the allowed range of a parameter, with its unit. */
        g_strdup_printf (_("The range must go upwards and stay within %g to %g %s"), t->params[ip].min,
                         t->params[ip].max, t->params[ip].unit);
      gtk_label_set_label (self->bif_label, text);
      return TRUE;
    }
  /* The controls show what is computed. */
  g_signal_handlers_block_matched (self->param_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_drop_down_set_selected (self->param_dropdown, (guint) ip);
  g_signal_handlers_unblock_matched (self->param_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_spin_button_set_value (self->lo_spin, lo);
  gtk_spin_button_set_value (self->hi_spin, hi);
  gtk_label_set_label (self->unit_label, t->params[ip].unit);
  if (self->bif_cancel != NULL)
    g_cancellable_cancel (self->bif_cancel);
  g_clear_object (&self->bif_cancel);
  self->bif_cancel = g_cancellable_new ();
  /* The job goes to the worker; bif_done_cb frees it or keeps it. */
  self->bif_job = sw_mass_bif_new (t, self->doc->params, self->doc->initial, self->doc->dt_s, self->doc->seed,
                                   ip, lo, hi, n_sims);
  task = g_task_new (self, self->bif_cancel, bif_done_cb, NULL);
  g_task_set_task_data (task, self->bif_job, NULL);
  g_task_run_in_thread (task, bif_thread);
  g_object_unref (task);
  gtk_progress_bar_set_fraction (self->bif_progress, 0.0);
  gtk_label_set_label (self->bif_label, _("Following fixed points and simulating…"));
  set_bif_state (self, BIF_RUNNING);
  self->bif_progress_id = g_timeout_add (100, bif_progress_cb, self);
  return TRUE;
}

void
sw_mass_window_cancel_bifurcation (SwMassWindow *self)
{
  g_return_if_fail (SW_IS_MASS_WINDOW (self));
  if (self->bif_state == BIF_RUNNING && self->bif_cancel != NULL)
    g_cancellable_cancel (self->bif_cancel);
}

static void
bif_compute_cb (SwMassWindow *self)
{
  guint ip = gtk_drop_down_get_selected (self->param_dropdown);

  if (ip >= (guint) self->doc->type->n_params)
    return;
  sw_mass_window_compute_bifurcation (self, self->doc->type->params[ip].name,
                                      gtk_spin_button_get_value (self->lo_spin),
                                      gtk_spin_button_get_value (self->hi_spin), BIF_SIMS);
}

static void
bif_cancel_cb (SwMassWindow *self)
{
  sw_mass_window_cancel_bifurcation (self);
}

static void
bif_param_cb (SwMassWindow *self)
{
  guint ip = gtk_drop_down_get_selected (self->param_dropdown);

  if (ip < (guint) self->doc->type->n_params)
    set_bif_range (self, (int) ip);
}

int
sw_mass_window_get_bifurcation_state (SwMassWindow *self)
{
  g_return_val_if_fail (SW_IS_MASS_WINDOW (self), 0);
  return self->bif_state;
}

int
sw_mass_window_get_bifurcation_points (SwMassWindow *self, int *n_hopf)
{
  int hopf = 0;

  g_return_val_if_fail (SW_IS_MASS_WINDOW (self), 0);
  if (self->bif == NULL || self->bif_state != BIF_DONE)
    {
      if (n_hopf != NULL)
        *n_hopf = 0;
      return 0;
    }
  for (int k = 0; k < self->bif->branch.n_special; k++)
    hopf += self->bif->branch.special[k].kind == SW_BIF_HOPF;
  if (n_hopf != NULL)
    *n_hopf = hopf;
  return self->bif->branch.n_points;
}

/* --- export ---------------------------------------------------------------- */

static char *
fmt (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (v))
    return g_strdup ("");
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.9g", v));
}

static void
append_num (GString *s, double v)
{
  g_autofree char *t = fmt (v);

  g_string_append_c (s, ',');
  g_string_append (s, t);
}

static gboolean
network_csv (SwMassWindow *self, GString *s)
{
  int n = sw_mass_doc_n_nodes (self->doc);

  g_string_append (s, "node,name,x,y,activity");
  if (self->pert != NULL)
    g_string_append (s, ",hop,peak,latency_ms,area,baseline_sd,z,reached");
  g_string_append_c (s, '\n');
  for (int i = 0; i < n; i++)
    {
      g_string_append_printf (s, "%d,%s", i, sw_mass_doc_node_name (self->doc, i));
      append_num (s, self->lx[i]);
      append_num (s, 1.0 - self->ly[i]);
      append_num (s, node_value (self, FALSE, i));
      if (self->pert != NULL)
        {
          const SwMassNodeResponse *r = &self->pert->res.nodes[i];
          g_string_append_printf (s, ",%d", r->hop);
          append_num (s, r->peak);
          append_num (s, r->latency_s * 1e3);
          append_num (s, r->area);
          append_num (s, r->sd);
          append_num (s, r->z);
          g_string_append_printf (s, ",%d", r->reached ? 1 : 0);
        }
      g_string_append_c (s, '\n');
    }
  return TRUE;
}

static gboolean
view_csv (SwMassWindow *self, const char *view, GString *s, GError **error)
{
  if (g_str_equal (view, "network"))
    return network_csv (self, s);
  if (g_str_equal (view, "series"))
    {
      RunJob *job = self->run;
      if (job == NULL || self->seen_rows == 0)
        goto empty;
      g_string_append (s, "time_s");
      for (int i = 0; i < job->n; i++)
        g_string_append_printf (s, ",%s", sw_mass_doc_node_name (self->doc, i));
      g_string_append_c (s, '\n');
      for (long k = 0; k < self->seen_rows; k++)
        {
          g_autofree char *t = fmt ((k + 1) / job->fs);
          g_string_append (s, t);
          for (int i = 0; i < job->n; i++)
            append_num (s, job->rows[(gsize) k * job->n + i]);
          g_string_append_c (s, '\n');
        }
      return TRUE;
    }
  if (g_str_equal (view, "spectrum"))
    {
      if (self->psd_nf == 0)
        goto empty;
      g_string_append (s, "frequency_hz");
      for (guint q = 0; q < self->psd_n; q++)
        g_string_append_printf (s, ",%s", sw_mass_doc_node_name (self->doc, g_array_index (self->plotted, int, q)));
      g_string_append_c (s, '\n');
      for (size_t k = 0; k < self->psd_nf; k++)
        {
          g_autofree char *f = fmt (self->psd_freq[k]);
          g_string_append (s, f);
          for (guint q = 0; q < self->psd_n; q++)
            append_num (s, self->psd[q * self->psd_nf + k]);
          g_string_append_c (s, '\n');
        }
      return TRUE;
    }
  if (g_str_equal (view, "plane"))
    {
      const SwMassPlane *pl = self->plane;
      const SwMassType *t = self->doc->type;
      if (pl == NULL)
        goto empty;
      g_string_append (s, "curve,piece,x,y,type\n");
      for (int l = 0; l < pl->n_x_null; l++)
        for (int k = 0; k < pl->x_null[l].n; k++)
          {
            g_string_append_printf (s, "%s_nullcline,%d", t->state[pl->ix].name, l);
            append_num (s, pl->x_null[l].x[k]);
            append_num (s, pl->x_null[l].y[k]);
            g_string_append (s, ",\n");
          }
      for (int l = 0; l < pl->n_y_null; l++)
        for (int k = 0; k < pl->y_null[l].n; k++)
          {
            g_string_append_printf (s, "%s_nullcline,%d", t->state[pl->iy].name, l);
            append_num (s, pl->y_null[l].x[k]);
            append_num (s, pl->y_null[l].y[k]);
            g_string_append (s, ",\n");
          }
      for (guint c = 0; c < pl->curves->len; c++)
        {
          const SwMassCurve *cv = &g_array_index (pl->curves, SwMassCurve, c);
          for (int k = 0; k < cv->n; k++)
            {
              g_string_append_printf (s, "trajectory,%u", c);
              append_num (s, cv->x[k]);
              append_num (s, cv->y[k]);
              g_string_append (s, ",\n");
            }
        }
      for (int k = 0; k < pl->n_points; k++)
        {
          g_string_append_printf (s, "fixed_point,%d", k);
          append_num (s, pl->points[k].x);
          append_num (s, pl->points[k].y);
          g_string_append_printf (s, ",%s\n", sw_fixed_point_type_name (pl->points[k].type));
        }
      return TRUE;
    }
  if (g_str_equal (view, "bifurcation"))
    {
      const SwMassBif *bif = self->bif;
      if (bif == NULL || self->bif_state != BIF_DONE)
        goto empty;
      g_string_append (s, "kind,parameter,observable_min,observable_max,stable_or_frequency_hz\n");
      for (int k = 0; k < bif->branch.n_points; k++)
        {
          g_string_append (s, "fixed_point");
          append_num (s, bif->branch.points[k].p);
          append_num (s, bif->observable[k]);
          append_num (s, bif->observable[k]);
          g_string_append_printf (s, ",%d\n", bif->branch.points[k].stable ? 1 : 0);
        }
      for (int k = 0; k < bif->n_sims; k++)
        {
          g_string_append (s, "simulation");
          append_num (s, bif->pv[k]);
          append_num (s, bif->cycles[k].min);
          append_num (s, bif->cycles[k].max);
          append_num (s, bif->cycles[k].cycle ? bif->cycles[k].freq_hz : 0.0);
          g_string_append_c (s, '\n');
        }
      for (int k = 0; k < bif->branch.n_special; k++)
        {
          const SwBifPoint *b = &bif->branch.special[k];
          double o = sw_mass_bif_observe (bif, b->p, b->x);
          g_string_append (s, b->kind == SW_BIF_HOPF ? "hopf" : "fold");
          append_num (s, b->p);
          append_num (s, o);
          append_num (s, o);
          append_num (s, b->freq);
          g_string_append_c (s, '\n');
        }
      return TRUE;
    }
empty:
  g_set_error (error, SW_LIVE_ERROR, SW_LIVE_ERROR_EMPTY, _("This view has nothing to export yet"));
  return FALSE;
}

/* The network view is drawn with cairo directly: write it to the format
 * of @path through a temporary file renamed into place. */
static gboolean
export_network (SwMassWindow *self, const char *path, GError **error)
{
  const double w = 1000, h = 700;
  g_autofree char *tmp = g_strdup_printf ("%s.part", path);
  SwPlotFormat format;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  Look look;

  sw_plot_format_from_path (path, &format);
  look_for (self, NULL, &look);
  look.bg = (SwRgba) { 1, 1, 1, 1 };
  if (format == SW_PLOT_FORMAT_SVG)
    surface = cairo_svg_surface_create (tmp, w, h);
  else if (format == SW_PLOT_FORMAT_PDF)
    surface = cairo_pdf_surface_create (tmp, w, h);
  else
    surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) w, (int) h);
  cr = cairo_create (surface);
  draw_network (self, cr, w, h, &look, FALSE);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS && format == SW_PLOT_FORMAT_PNG)
    status = cairo_surface_write_to_png (surface, tmp);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS || g_rename (tmp, path) != 0)
    {
      g_autofree char *name = g_filename_display_name (path);
      g_unlink (tmp);
      g_set_error (error, SW_LIVE_ERROR, SW_LIVE_ERROR_WRITE,
                   /* Translators: %s is a file name, then the reason. */
                   _("Could not write “%s”: %s"), name,
                   status != CAIRO_STATUS_SUCCESS ? cairo_status_to_string (status) : g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

gboolean
sw_mass_window_export (SwMassWindow *self, const char *view, const char *path, GError **error)
{
  SwLiveExportKind kind;
  SwFigure *fig;
  SwRgba black = { 0, 0, 0, 1 };
  gboolean ok;

  g_return_val_if_fail (SW_IS_MASS_WINDOW (self), FALSE);
  g_return_val_if_fail (view != NULL && path != NULL, FALSE);

  if (!sw_live_export_kind (path, &kind, error))
    return FALSE;
  if (kind == SW_LIVE_EXPORT_CSV)
    {
      g_autoptr(GString) s = g_string_new (NULL);
      return view_csv (self, view, s, error) && sw_live_export_text (path, s->str, s->len, error);
    }
  if (g_str_equal (view, "network"))
    return export_network (self, path, error);
  fig = sw_figure_new (1, 1);
  if (g_str_equal (view, "series"))
    build_series (self, fig, TRUE);
  else if (g_str_equal (view, "spectrum"))
    build_spectrum (self, fig);
  else if (g_str_equal (view, "plane"))
    build_plane (self, fig, &black);
  else
    build_bif (self, fig, &black);
  {
    g_autofree char *title = g_strdup (self->doc->name[0] ? self->doc->name : self->doc->type->label);
    sw_figure_set_title (fig, title);
  }
  ok = sw_live_export_figure (fig, path, 1100, 640, error);
  sw_figure_free (fig);
  return ok;
}

static void
export_response_cb (GtkNativeDialog *chooser, int response, SwMassWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;
      const char *view = g_object_get_data (G_OBJECT (chooser), "view");

      if (path == NULL)
        set_status (self, _("Only files on this computer can be written"));
      else if (!sw_mass_window_export (self, view, path, &error))
        set_status (self, error->message);
      else
        {
          g_autofree char *base = g_filename_display_basename (path);
          /* Translators: %s is a file name. */
          g_autofree char *text = g_strdup_printf (_("Exported “%s”"), base);
          set_status (self, text);
        }
    }
  g_object_unref (chooser);
}

static void
export_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SwMassWindow *self = SW_MASS_WINDOW (widget);
  const char *ext = g_variant_get_string (parameter, NULL);
  const char *view = sw_mass_window_get_view (self);
  g_autofree char *name = g_strdup_printf ("%s.%s", view, ext);
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Export the View"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                 _("_Export"), _("_Cancel"));

  g_object_set_data_full (G_OBJECT (chooser), "view", g_strdup (view), g_free);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* --- views and clicks ------------------------------------------------------ */

void
sw_mass_window_set_view (SwMassWindow *self, const char *name)
{
  g_return_if_fail (SW_IS_MASS_WINDOW (self));
  adw_view_stack_set_visible_child_name (self->stack, name);
}

const char *
sw_mass_window_get_view (SwMassWindow *self)
{
  g_return_val_if_fail (SW_IS_MASS_WINDOW (self), NULL);
  return adw_view_stack_get_visible_child_name (self->stack);
}

static void
visible_view_cb (SwMassWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->stack);

  if (self->doc != NULL && g_strcmp0 (name, "plane") == 0 && self->plane == NULL && !self->plane_busy)
    start_plane (self);
}

static void
colour_mode_cb (SwMassWindow *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self->network_area));
}

void
sw_mass_window_click (SwMassWindow *self, const char *view, double x, double y)
{
  g_return_if_fail (SW_IS_MASS_WINDOW (self));
  if (g_str_equal (view, "network"))
    network_click (self, x, y);
  else if (g_str_equal (view, "plane"))
    plane_click (self, x, y);
}

static void
pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, SwMassWindow *self)
{
  GtkWidget *area = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));

  sw_mass_window_click (self, area == GTK_WIDGET (self->network_area) ? "network" : "plane", x, y);
}

gboolean
sw_mass_window_node_position (SwMassWindow *self, int node, double *x, double *y)
{
  g_return_val_if_fail (SW_IS_MASS_WINDOW (self), FALSE);
  if (!self->drawn || node < 0 || node >= sw_mass_doc_n_nodes (self->doc))
    return FALSE;
  *x = self->px[node];
  *y = self->py[node];
  return TRUE;
}

GtkWidget *
sw_mass_window_get_area (SwMassWindow *self, const char *view)
{
  g_return_val_if_fail (SW_IS_MASS_WINDOW (self), NULL);
  if (g_str_equal (view, "series"))
    return GTK_WIDGET (self->series_area);
  if (g_str_equal (view, "spectrum"))
    return GTK_WIDGET (self->spectrum_area);
  if (g_str_equal (view, "plane"))
    return GTK_WIDGET (self->plane_area);
  if (g_str_equal (view, "bifurcation"))
    return GTK_WIDGET (self->bif_area);
  return GTK_WIDGET (self->network_area);
}

void
sw_mass_window_set_click_perturbs (SwMassWindow *self, gboolean perturb)
{
  g_return_if_fail (SW_IS_MASS_WINDOW (self));
  gtk_toggle_button_set_active (perturb ? self->perturb_toggle : self->plot_toggle, TRUE);
}

const int *
sw_mass_window_get_plotted (SwMassWindow *self, guint *n)
{
  g_return_val_if_fail (SW_IS_MASS_WINDOW (self), NULL);
  *n = self->plotted->len;
  return (const int *) self->plotted->data;
}

gboolean
sw_mass_window_get_perturbing (SwMassWindow *self)
{
  g_return_val_if_fail (SW_IS_MASS_WINDOW (self), FALSE);
  return self->pert_task != NULL;
}

int
sw_mass_window_get_perturbed_node (SwMassWindow *self, int *max_hop)
{
  g_return_val_if_fail (SW_IS_MASS_WINDOW (self), -1);
  if (max_hop != NULL)
    *max_hop = self->pert != NULL ? self->pert->res.max_hop : 0;
  return self->pert != NULL ? self->pert->source : -1;
}

gboolean
sw_mass_window_get_plane_busy (SwMassWindow *self)
{
  g_return_val_if_fail (SW_IS_MASS_WINDOW (self), FALSE);
  return self->plane_busy || self->plane_pending;
}

int
sw_mass_window_get_n_fixed_points (SwMassWindow *self)
{
  g_return_val_if_fail (SW_IS_MASS_WINDOW (self), 0);
  return self->plane != NULL ? self->plane->n_points : 0;
}

const char *
sw_mass_window_get_fixed_point_type (SwMassWindow *self, int k)
{
  g_return_val_if_fail (SW_IS_MASS_WINDOW (self), NULL);
  if (self->plane == NULL || k < 0 || k >= self->plane->n_points)
    return NULL;
  return sw_fixed_point_type_name (self->plane->points[k].type);
}

int
sw_mass_window_get_n_trajectories (SwMassWindow *self)
{
  g_return_val_if_fail (SW_IS_MASS_WINDOW (self), 0);
  return self->plane != NULL ? (int) self->plane->curves->len : 0;
}

/* --- actions and GObject --------------------------------------------------- */

static void
run_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  sw_mass_window_run (SW_MASS_WINDOW (widget));
}

static void
stop_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  sw_mass_window_stop (SW_MASS_WINDOW (widget));
}

static void
show_view_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  sw_mass_window_set_view (SW_MASS_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* A destroyed window cancels its work at once, so that the tasks, which
 * hold it, end and let it go. */
static void
cancel_all (SwMassWindow *self)
{
  if (self->run != NULL)
    atomic_store (&self->run->cancel, 1);
  if (self->plane_cancel != NULL)
    g_cancellable_cancel (self->plane_cancel);
  if (self->bif_cancel != NULL)
    g_cancellable_cancel (self->bif_cancel);
}

static void
sw_mass_window_unrealize (GtkWidget *widget)
{
  cancel_all (SW_MASS_WINDOW (widget));
  GTK_WIDGET_CLASS (sw_mass_window_parent_class)->unrealize (widget);
}

static void
sw_mass_window_dispose (GObject *object)
{
  SwMassWindow *self = SW_MASS_WINDOW (object);

  self->disposed = TRUE;
  cancel_all (self);
  remove_tick (self);
  g_clear_handle_id (&self->bif_progress_id, g_source_remove);
  /* The tasks finish on their own; their results are no longer wanted. */
  g_clear_object (&self->run_task);
  g_clear_object (&self->pert_task);
  gtk_widget_dispose_template (GTK_WIDGET (self), SW_TYPE_MASS_WINDOW);
  G_OBJECT_CLASS (sw_mass_window_parent_class)->dispose (object);
}

static void
sw_mass_window_finalize (GObject *object)
{
  SwMassWindow *self = SW_MASS_WINDOW (object);

  g_clear_object (&self->run_task);
  g_clear_object (&self->pert_task);
  g_clear_pointer (&self->run, run_job_unref);
  g_clear_pointer (&self->pert, pert_job_free);
  g_clear_pointer (&self->plane, sw_mass_plane_free);
  g_clear_pointer (&self->bif, sw_mass_bif_free);
  g_clear_object (&self->plane_cancel);
  g_clear_object (&self->bif_cancel);
  g_clear_pointer (&self->doc, sw_mass_doc_free);
  for (guint k = 0; k < self->variables->len; k++)
    variable_clear (&g_array_index (self->variables, Variable, k));
  g_array_unref (self->variables);
  g_array_unref (self->plotted);
  g_array_unref (self->starts);
  g_free (self->lx);
  g_free (self->ly);
  g_free (self->px);
  g_free (self->py);
  g_free (self->psd_freq);
  g_free (self->psd);
  g_free (self->location);
  g_clear_pointer (&self->json, json_node_unref);
  g_free (self->plane_error);
  G_OBJECT_CLASS (sw_mass_window_parent_class)->finalize (object);
}

static void
sw_mass_window_class_init (SwMassWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sw_mass_window_dispose;
  object_class->finalize = sw_mass_window_finalize;
  widget_class->unrealize = sw_mass_window_unrealize;

  gtk_widget_class_set_template_from_resource (widget_class, MASS_RESOURCE_PATH "/sw-mass-window.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, SwMassWindow, name)
  CHILD (run_button);
  CHILD (stop_button);
  CHILD (stack);
  CHILD (switcher_title);
  CHILD (model_label);
  CHILD (explanation_label);
  CHILD (status_label);
  CHILD (hop_label);
  CHILD (variables_list);
  CHILD (perturb_toggle);
  CHILD (plot_toggle);
  CHILD (activity_toggle);
  CHILD (response_toggle);
  CHILD (perturb_spinner);
  CHILD (network_area);
  CHILD (series_area);
  CHILD (spectrum_area);
  CHILD (plane_area);
  CHILD (bif_area);
  CHILD (plane_stack);
  CHILD (x_dropdown);
  CHILD (y_dropdown);
  CHILD (param_dropdown);
  CHILD (plane_label);
  CHILD (bif_label);
  CHILD (unit_label);
  CHILD (lo_spin);
  CHILD (hi_spin);
  CHILD (bif_button);
  CHILD (bif_cancel_button);
  CHILD (bif_progress);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, visible_view_cb);
  gtk_widget_class_bind_template_callback (widget_class, colour_mode_cb);
  gtk_widget_class_bind_template_callback (widget_class, plane_axis_cb);
  gtk_widget_class_bind_template_callback (widget_class, clear_trajectories_cb);
  gtk_widget_class_bind_template_callback (widget_class, bif_param_cb);
  gtk_widget_class_bind_template_callback (widget_class, bif_compute_cb);
  gtk_widget_class_bind_template_callback (widget_class, bif_cancel_cb);

  gtk_widget_class_install_action (widget_class, "win.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "win.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "win.show-view", "s", show_view_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_period, GDK_CONTROL_MASK, "win.stop", NULL);
  {
    static const char *const views[] = { "network", "series", "spectrum", "plane", "bifurcation" };
    for (guint k = 0; k < G_N_ELEMENTS (views); k++)
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + k, GDK_ALT_MASK, "win.show-view", "s",
                                           views[k]);
  }
}

static void
add_figure_area (GtkDrawingArea *area, GtkDrawingAreaDrawFunc draw, SwMassWindow *self)
{
  g_object_set_data_full (G_OBJECT (area), "figure", sw_figure_new (1, 1), (GDestroyNotify) sw_figure_free);
  gtk_drawing_area_set_draw_func (area, draw, self, NULL);
}

static void
add_click (SwMassWindow *self, GtkDrawingArea *area)
{
  GtkGesture *click = gtk_gesture_click_new ();

  g_signal_connect_object (click, "pressed", G_CALLBACK (pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (area), GTK_EVENT_CONTROLLER (click));
}

static void
sw_mass_window_init (SwMassWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->variables = g_array_new (FALSE, TRUE, sizeof (Variable));
  self->plotted = g_array_new (FALSE, FALSE, sizeof (int));
  self->starts = g_array_new (FALSE, FALSE, sizeof (double));
  self->psd_peak = NAN;
  self->act_lo = INFINITY;
  self->act_hi = -INFINITY;
  gtk_drawing_area_set_draw_func (self->network_area, network_draw_cb, self, NULL);
  add_figure_area (self->series_area, series_draw_cb, self);
  add_figure_area (self->spectrum_area, spectrum_draw_cb, self);
  add_figure_area (self->plane_area, plane_draw_cb, self);
  add_figure_area (self->bif_area, bif_draw_cb, self);
  add_click (self, self->network_area);
  {
    GtkEventController *key = gtk_event_controller_key_new ();
    g_signal_connect_object (key, "key-pressed", G_CALLBACK (network_key_cb), self, 0);
    gtk_widget_add_controller (GTK_WIDGET (self->network_area), key);
    gtk_widget_set_focusable (GTK_WIDGET (self->network_area), TRUE);
    g_signal_connect_swapped (self->network_area, "notify::has-focus", G_CALLBACK (gtk_widget_queue_draw),
                              self->network_area);
  }
  add_click (self, self->plane_area);
  update_actions (self);
}

SwMassWindow *
sw_mass_window_new (GtkApplication *app, const char *location, GError **error)
{
  g_autoptr(SwMassDoc) doc = NULL;
  SwMassWindow *self;
  int first = 0;

  g_return_val_if_fail (location != NULL, NULL);
  if ((doc = sw_mass_doc_load (location, NULL, error)) == NULL)
    return NULL;
  self = g_object_new (SW_TYPE_MASS_WINDOW, "application", app, NULL);
  self->location = g_strdup (location);
  if (!read_variables (self, error) || (self->doc = load_doc (self, error)) == NULL)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return NULL;
    }
  gtk_window_set_title (GTK_WINDOW (self), self->doc->name[0] ? self->doc->name : self->doc->type->label);
  adw_view_switcher_title_set_title (self->switcher_title, gtk_window_get_title (GTK_WINDOW (self)));
  {
    g_autofree char *heading = g_strdup_printf ("%s\n%s", self->doc->name[0] ? self->doc->name : location,
                                                self->doc->type->label);
    gtk_label_set_label (self->model_label, heading);
  }
  gtk_label_set_label (self->explanation_label, self->doc->explanation[0] ? self->doc->explanation
                                                                          : self->doc->description);
  build_variable_rows (self);
  layout_nodes (self);
  if (self->doc->has_perturbation && self->doc->pert_source >= 0)
    first = self->doc->pert_source;
  g_array_append_val (self->plotted, first);
  fill_plane_axes (self);
  fill_bif_params (self);
  /* A single node has no network to show: the window starts on the
   * series, without the network view (its export still works). */
  if (self->doc->net == NULL)
    {
      GtkWidget *page = adw_view_stack_get_child_by_name (self->stack, "network");
      adw_view_stack_set_visible_child_name (self->stack, "series");
      adw_view_stack_page_set_visible (adw_view_stack_get_page (self->stack, page), FALSE);
    }
  return self;
}

gboolean
sw_mass_window_present (GtkApplication *app, const char *location, GError **error)
{
  SwMassWindow *self = sw_mass_window_new (app, location, error);

  if (self == NULL)
    return FALSE;
  gtk_window_present (GTK_WINDOW (self));
  sw_mass_window_run (self);
  return TRUE;
}
