/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwMfPlaneWindow (see sw-mf-plane-window.h).  The computation follows
 * `spikeworks-cli phaseplane` for network documents: the fixed points of
 * the full mean field give the adaptation W at which the plane is cut and
 * the asynchronous state; the plane spans 0 to three times its rates (at
 * least 5 Hz); the fixed point of the plane nearest the asynchronous state
 * is classified.
 */
#define G_LOG_DOMAIN "Spikeworks-Mass"

#include "config.h"

#include "sw-mf-plane-window.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "sw-figure.h"
#include "sw-live-view.h"
#include "sw-phaseplane.h"

#define MASS_RESOURCE_PATH "/io/github/spikeworks/Spikeworks/mass"
#define ARROWS 17
#define GRID 241
#define TRAJ_STEPS 3000
#define TRAJ_DT_S 1e-4

typedef struct
{
  SwMfConfig cfg;
  SwMfPlaneField mf;
  SwField field;
  double base[SW_FIELD_MAX];
  double w_pa, ref_x, ref_y;
  double x0, x1, y0, y1;
  SwMfPolyline *x_null, *y_null;
  int n_x_null, n_y_null;
  double fx[ARROWS * ARROWS], fy[ARROWS * ARROWS];
  SwPlanePoint points[32];
  int n_points, near;
  double tx[9][TRAJ_STEPS + 1], ty[9][TRAJ_STEPS + 1];
  int tn[9];
} Plane;

static void
plane_free (Plane *pl)
{
  sw_mf_polylines_free (pl->x_null, pl->n_x_null);
  sw_mf_polylines_free (pl->y_null, pl->n_y_null);
  g_free (pl);
}

static void
plane_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Plane *pl = data;
  SwMfFixedPoints fps;
  SwError err;
  SwPlane p = { .base = pl->base, .ix = 0, .iy = 1 };

  if (sw_mf_fixed_points (&pl->cfg, &fps, &err) != SW_OK)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", err.text);
      return;
    }
  if (fps.report_index < 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("The mean field has no active fixed point to cut the plane at."));
      return;
    }
  const SwMfFixedPoint *ref = &fps.roots[fps.report_index];
  pl->w_pa = ref->w_pa;
  pl->ref_x = ref->nu_e_hz;
  pl->ref_y = ref->nu_i_hz;
  sw_mf_plane_field_init (&pl->mf, &pl->cfg, ref->w_pa, &pl->field);
  p.field = pl->field;
  pl->x0 = 0.0;
  pl->x1 = MAX (3.0 * pl->ref_x, 5.0);
  pl->y0 = 0.0;
  pl->y1 = MAX (3.0 * pl->ref_y, 5.0);
  if (sw_plane_nullclines (&p, pl->x0, pl->x1, GRID, pl->y0, pl->y1, GRID, &pl->x_null, &pl->n_x_null,
                           &pl->y_null, &pl->n_y_null, &err) != SW_OK
      || sw_plane_fixed_points (&p, pl->x0, pl->x1, pl->y0, pl->y1, 16, pl->points, 32, &pl->n_points, &err)
           != SW_OK)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", err.text);
      return;
    }
  sw_plane_grid (&p, pl->x0, pl->x1, ARROWS, pl->y0, pl->y1, ARROWS, pl->fx, pl->fy);
  pl->near = -1;
  double best = INFINITY;
  for (int k = 0; k < pl->n_points; k++)
    {
      double d = hypot (pl->points[k].x - pl->ref_x, pl->points[k].y - pl->ref_y);
      if (d < best)
        {
          best = d;
          pl->near = k;
        }
    }
  for (int j = 0; j < 3; j++)
    for (int i = 0; i < 3; i++)
      {
        double sx = pl->x0 + (pl->x1 - pl->x0) * (i + 0.5) / 3, sy = pl->y0 + (pl->y1 - pl->y0) * (j + 0.5) / 3;
        pl->tn[j * 3 + i] = sw_plane_trajectory (&p, sx, sy, TRAJ_DT_S, TRAJ_STEPS, pl->tx[j * 3 + i],
                                                 pl->ty[j * 3 + i]);
      }
  g_task_return_boolean (task, TRUE);
}

struct _SwMfPlaneWindow
{
  AdwWindow parent_instance;

  GtkDrawingArea *area;
  GtkLabel *summary_label;
  GtkSpinner *spinner;

  char *name;
  Plane *plane;          /* the result */
  GTask *task;
  gboolean disposed;
  SwFigure *fig;
  const char *cls;
};

G_DEFINE_FINAL_TYPE (SwMfPlaneWindow, sw_mf_plane_window, ADW_TYPE_WINDOW)

static const char *
type_name (SwFixedPointType type)
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

static void
build (SwMfPlaneWindow *self, SwFigure *fig, SwRgba fg)
{
  SwPanel *p = sw_figure_panel (fig, 0, 0);
  const Plane *pl = self->plane;

  sw_panel_clear (p);
  sw_panel_set_legend (p, SW_LEGEND_OUTSIDE);
  sw_panel_set_x_label (p, _("Excitatory rate ν_e"), "Hz");
  sw_panel_set_y_label (p, _("Inhibitory rate ν_i"), "Hz");
  if (pl == NULL)
    {
      sw_panel_set_title (p, _("Mean-field phase plane (computing…)"));
      return;
    }
  {
    /* Translators: %.1f is the adaptation current in pA. */
    g_autofree char *title = g_strdup_printf (_("Mean-field phase plane at adaptation W = %.1f pA"), pl->w_pa);
    sw_panel_set_title (p, title);
  }
  sw_panel_set_x_limits (p, pl->x0, pl->x1);
  sw_panel_set_y_limits (p, pl->y0, pl->y1);

  /* Direction of flow: short arrows of a fixed length. */
  {
    double cx = (pl->x1 - pl->x0) / (ARROWS - 1), cy = (pl->y1 - pl->y0) / (ARROWS - 1);
    g_autofree double *xs = g_new (double, ARROWS * ARROWS * 8);
    g_autofree double *ys = g_new (double, ARROWS * ARROWS * 8);
    size_t m = 0;
    SwStyle st = { .colour = fg, .width = 0.6 };
    st.colour.a = 0.45;
    for (int j = 0; j < ARROWS; j++)
      for (int i = 0; i < ARROWS; i++)
        {
          double fx = pl->fx[j * ARROWS + i] / cx, fy = pl->fy[j * ARROWS + i] / cy, len = hypot (fx, fy);
          double x = pl->x0 + i * cx, y = pl->y0 + j * cy;
          if (!(len > 0) || !isfinite (len))
            continue;
          double ux = fx / len, uy = fy / len;
          double xe = x + 0.35 * ux * cx, ye = y + 0.35 * uy * cy;
          xs[m] = x - 0.35 * ux * cx, ys[m++] = y - 0.35 * uy * cy;
          xs[m] = xe, ys[m++] = ye;
          xs[m] = NAN, ys[m++] = NAN;
          for (int s = -1; s <= 1; s += 2)
            {
              double a = s * G_PI / 6;
              xs[m] = xe, ys[m++] = ye;
              xs[m] = xe - 0.2 * (ux * cos (a) - uy * sin (a)) * cx;
              ys[m++] = ye - 0.2 * (ux * sin (a) + uy * cos (a)) * cy;
            }
          xs[m] = NAN, ys[m++] = NAN;
        }
    sw_panel_add_line (p, xs, ys, m, _("direction of flow"), &st, NULL);
  }
  {
    SwStyle ts = { .colour = fg, .width = 0.8 };
    ts.colour.a = 0.6;
    for (int k = 0; k < 9; k++)
      sw_panel_add_line (p, pl->tx[k], pl->ty[k], pl->tn[k], k == 0 ? _("trajectories") : NULL, &ts, NULL);
  }
  {
    SwStyle sx = { .colour = { 0.0, 0.45, 0.70, 1.0 }, .width = 2.2, .dash = SW_DASH_SOLID };
    SwStyle sy = { .colour = { 0.84, 0.37, 0.0, 1.0 }, .width = 2.2, .dash = SW_DASH_DASHED };
    for (int l = 0; l < pl->n_x_null; l++)
      sw_panel_add_line (p, pl->x_null[l].x, pl->x_null[l].y, pl->x_null[l].n,
                         l == 0 ? _("ν_e-nullcline (dν_e/dt = 0)") : NULL, &sx, NULL);
    for (int l = 0; l < pl->n_y_null; l++)
      sw_panel_add_line (p, pl->y_null[l].x, pl->y_null[l].y, pl->y_null[l].n,
                         l == 0 ? _("ν_i-nullcline (dν_i/dt = 0)") : NULL, &sy, NULL);
  }
  {
    gboolean seen[SW_FP_N_TYPES] = { FALSE };
    for (int k = 0; k < pl->n_points; k++)
      {
        SwStyle ps = { .colour = fg, .marker_size = 1.8 };
        SwFixedPointType t = pl->points[k].type;
        ps.marker = t == SW_FP_STABLE_NODE || t == SW_FP_UNSTABLE_NODE     ? SW_MARKER_CIRCLE
                    : t == SW_FP_STABLE_FOCUS || t == SW_FP_UNSTABLE_FOCUS ? SW_MARKER_DIAMOND
                    : t == SW_FP_SADDLE                                    ? SW_MARKER_CROSS
                                                                           : SW_MARKER_SQUARE;
        ps.open_marker = !(t == SW_FP_STABLE_NODE || t == SW_FP_STABLE_FOCUS || t == SW_FP_SADDLE);
        sw_panel_add_points (p, &pl->points[k].x, &pl->points[k].y, 1, seen[t] ? NULL : type_name (t), &ps, NULL);
        seen[t] = TRUE;
      }
  }
}

static void
draw_cb (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  SwMfPlaneWindow *self = data;
  SwPlotTheme theme;

  sw_live_style (GTK_WIDGET (area), FALSE, &theme, NULL, NULL);
  build (self, self->fig, theme.foreground);
  sw_figure_set_theme (self->fig, &theme);
  sw_figure_draw (self->fig, cr, width, height);
}

static void
done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  SwMfPlaneWindow *self = SW_MF_PLANE_WINDOW (source);
  GTask *task = G_TASK (result);
  g_autoptr(GError) error = NULL;

  Plane *pl_done = g_task_get_task_data (task);

  /* The plane is the window's from here on, or freed when unwanted. */
  g_clear_object (&self->task);
  if (self->disposed)
    {
      plane_free (pl_done);
      return;
    }
  gtk_spinner_stop (self->spinner);
  if (!g_task_propagate_boolean (task, &error))
    {
      plane_free (pl_done);
      gtk_label_set_label (self->summary_label, error->message);
      self->cls = "none";
      return;
    }
  self->plane = pl_done;
  g_autoptr(GString) s = g_string_new (NULL);
  const Plane *pl = self->plane;
  if (pl->near < 0)
    {
      self->cls = "none";
      g_string_append (s, _("No fixed point lies in the plane shown."));
    }
  else
    {
      const SwPlanePoint *q = &pl->points[pl->near];
      self->cls = q->type == SW_FP_STABLE_FOCUS ? "UD" : q->type == SW_FP_STABLE_NODE ? "OD" : "unstable";
      /* Translators: the fixed point's rates and its type. */
      g_string_append_printf (s, _("Fixed point at ν_e = %.2f Hz, ν_i = %.2f Hz: %s."), q->x, q->y,
                              type_name (q->type));
      g_string_append_c (s, ' ');
      if (q->type == SW_FP_STABLE_FOCUS)
        g_string_append_printf (s, _("The asynchronous state is underdamped (UD): after a disturbance the rates "
                                     "spiral back to it, ringing at %.1f Hz."),
                                fabs (q->eig_im[0]) / (2 * G_PI));
      else if (q->type == SW_FP_STABLE_NODE)
        g_string_append (s, _("The asynchronous state is overdamped (OD): after a disturbance the rates "
                              "return to it without ringing."));
      else
        g_string_append (s, _("The state is unstable: activity moves away from it."));
    }
  gtk_label_set_label (self->summary_label, s->str);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->area), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, s->str, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

gboolean
sw_mf_plane_window_export (SwMfPlaneWindow *self, const char *path, GError **error)
{
  SwLiveExportKind kind;
  const Plane *pl;

  g_return_val_if_fail (SW_IS_MF_PLANE_WINDOW (self), FALSE);
  if (!sw_live_export_kind (path, &kind, error))
    return FALSE;
  if ((pl = self->plane) == NULL)
    {
      g_set_error (error, SW_LIVE_ERROR, SW_LIVE_ERROR_EMPTY, _("This view has nothing to export yet"));
      return FALSE;
    }
  if (kind == SW_LIVE_EXPORT_CSV)
    {
      g_autoptr(GString) s = g_string_new ("curve,piece,nu_e_hz,nu_i_hz,type\n");
      char b1[G_ASCII_DTOSTR_BUF_SIZE], b2[G_ASCII_DTOSTR_BUF_SIZE];
      for (int l = 0; l < pl->n_x_null; l++)
        for (int k = 0; k < pl->x_null[l].n; k++)
          g_string_append_printf (s, "nu_e_nullcline,%d,%s,%s,\n", l, g_ascii_formatd (b1, sizeof b1, "%.9g", pl->x_null[l].x[k]),
                                  g_ascii_formatd (b2, sizeof b2, "%.9g", pl->x_null[l].y[k]));
      for (int l = 0; l < pl->n_y_null; l++)
        for (int k = 0; k < pl->y_null[l].n; k++)
          g_string_append_printf (s, "nu_i_nullcline,%d,%s,%s,\n", l, g_ascii_formatd (b1, sizeof b1, "%.9g", pl->y_null[l].x[k]),
                                  g_ascii_formatd (b2, sizeof b2, "%.9g", pl->y_null[l].y[k]));
      for (int k = 0; k < pl->n_points; k++)
        g_string_append_printf (s, "fixed_point,%d,%s,%s,%s\n", k, g_ascii_formatd (b1, sizeof b1, "%.9g", pl->points[k].x),
                                g_ascii_formatd (b2, sizeof b2, "%.9g", pl->points[k].y),
                                sw_fixed_point_type_name (pl->points[k].type));
      return sw_live_export_text (path, s->str, s->len, error);
    }
  SwFigure *fig = sw_figure_new (1, 1);
  build (self, fig, (SwRgba) { 0, 0, 0, 1 });
  sw_figure_set_title (fig, self->name);
  gboolean ok = sw_live_export_figure (fig, path, 1000, 620, error);
  sw_figure_free (fig);
  return ok;
}

static void
export_response_cb (GtkNativeDialog *chooser, int response, SwMfPlaneWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (path == NULL)
        gtk_label_set_label (self->summary_label, _("Only files on this computer can be written"));
      else if (!sw_mf_plane_window_export (self, path, &error))
        gtk_label_set_label (self->summary_label, error->message);
    }
  g_object_unref (chooser);
}

static void
export_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  SwMfPlaneWindow *self = SW_MF_PLANE_WINDOW (widget);
  g_autofree char *name = g_strconcat ("mean-field-plane.", g_variant_get_string (parameter, NULL), NULL);
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Export the Phase Plane"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                 _("_Export"), _("_Cancel"));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

gboolean
sw_mf_plane_window_get_busy (SwMfPlaneWindow *self)
{
  g_return_val_if_fail (SW_IS_MF_PLANE_WINDOW (self), FALSE);
  return self->cls == NULL;
}

const char *
sw_mf_plane_window_get_class (SwMfPlaneWindow *self)
{
  g_return_val_if_fail (SW_IS_MF_PLANE_WINDOW (self), NULL);
  return self->cls;
}

const char *
sw_mf_plane_window_get_summary (SwMfPlaneWindow *self)
{
  g_return_val_if_fail (SW_IS_MF_PLANE_WINDOW (self), NULL);
  return gtk_label_get_label (self->summary_label);
}

static void
sw_mf_plane_window_dispose (GObject *object)
{
  SwMfPlaneWindow *self = SW_MF_PLANE_WINDOW (object);

  self->disposed = TRUE;
  g_clear_object (&self->task);
  gtk_widget_dispose_template (GTK_WIDGET (self), SW_TYPE_MF_PLANE_WINDOW);
  G_OBJECT_CLASS (sw_mf_plane_window_parent_class)->dispose (object);
}

static void
sw_mf_plane_window_finalize (GObject *object)
{
  SwMfPlaneWindow *self = SW_MF_PLANE_WINDOW (object);

  g_clear_pointer (&self->fig, sw_figure_free);
  g_clear_pointer (&self->plane, plane_free);
  g_free (self->name);
  G_OBJECT_CLASS (sw_mf_plane_window_parent_class)->finalize (object);
}

static void
sw_mf_plane_window_class_init (SwMfPlaneWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sw_mf_plane_window_dispose;
  object_class->finalize = sw_mf_plane_window_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, MASS_RESOURCE_PATH "/sw-mf-plane-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SwMfPlaneWindow, area);
  gtk_widget_class_bind_template_child (widget_class, SwMfPlaneWindow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SwMfPlaneWindow, spinner);
  gtk_widget_class_install_action (widget_class, "plane.export", "s", export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sw_mf_plane_window_init (SwMfPlaneWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->fig = sw_figure_new (1, 1);
  gtk_drawing_area_set_draw_func (self->area, draw_cb, self, NULL);
}

SwMfPlaneWindow *
sw_mf_plane_window_new (GtkWindow *parent, const SwMfConfig *cfg, const char *name)
{
  SwMfPlaneWindow *self = g_object_new (SW_TYPE_MF_PLANE_WINDOW, "transient-for", parent, NULL);
  Plane *pl = g_new0 (Plane, 1);

  self->name = g_strdup (name);
  {
    /* Translators: %s is the model's name. */
    g_autofree char *title = g_strdup_printf (_("Mean-Field Phase Plane — %s"), name);
    gtk_window_set_title (GTK_WINDOW (self), title);
  }
  pl->cfg = *cfg;
  self->task = g_task_new (self, NULL, done_cb, NULL);
  /* done_cb takes the plane back, whatever happened. */
  g_task_set_task_data (self->task, pl, NULL);
  g_task_run_in_thread (self->task, plane_thread);
  /* The task holds the window until it returns; the window does not hold
   * the task beyond that. */
  gtk_spinner_start (self->spinner);
  gtk_label_set_label (self->summary_label, _("Computing the fixed point…"));
  return self;
}
