/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwFigureView (see sw-figure-view.h).  The figure is cached until it is
 * invalidated; the widget background shows through (theme background
 * alpha 0).
 */
#define G_LOG_DOMAIN "Spikeworks-Cells"

#include "config.h"

#include "sw-figure-view.h"

#include <adwaita.h>
#include <glib/gi18n.h>

struct _SwFigureView
{
  GtkWidget parent_instance;

  SwFigureViewBuild build;
  gpointer data;
  SwFigure *figure;
  gboolean dark;
};

G_DEFINE_FINAL_TYPE (SwFigureView, sw_figure_view, GTK_TYPE_WIDGET)

static void
screen_theme (SwFigureView *self, SwPlotTheme *theme)
{
  AdwStyleManager *sm = adw_style_manager_get_default ();

  self->dark = adw_style_manager_get_dark (sm);
  if (adw_style_manager_get_high_contrast (sm))
    sw_plot_theme_init (theme, SW_PLOT_THEME_HIGH_CONTRAST);
  else
    sw_plot_theme_init (theme, self->dark ? SW_PLOT_THEME_DARK : SW_PLOT_THEME_LIGHT);
  theme->background.a = 0.0;
}

static void
ensure_figure (SwFigureView *self)
{
  SwPlotTheme theme;

  if (self->figure != NULL)
    return;
  screen_theme (self, &theme);
  self->figure = self->build (self->data, &theme);
  if (self->figure != NULL)
    {
      char text[1024];
      sw_figure_describe (self->figure, text, sizeof text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
    }
}

static void
sw_figure_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  SwFigureView *self = SW_FIGURE_VIEW (widget);
  double w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);

  if (w < 2 || h < 2)
    return;
  ensure_figure (self);
  if (self->figure == NULL)
    return;
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  sw_figure_draw (self->figure, cr, w, h);
  cairo_destroy (cr);
}

void
sw_figure_view_invalidate (SwFigureView *self)
{
  g_return_if_fail (SW_IS_FIGURE_VIEW (self));
  g_clear_pointer (&self->figure, sw_figure_free);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
sw_figure_view_export (SwFigureView *self, const char *path, double width, double height,
                       GError **error)
{
  SwPlotTheme theme;
  SwPlotError perr;
  SwFigure *fig;
  SwPlotStatus st;

  g_return_val_if_fail (SW_IS_FIGURE_VIEW (self), FALSE);
  sw_plot_theme_init (&theme, SW_PLOT_THEME_LIGHT);
  fig = self->build (self->data, &theme);
  if (fig == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("%s: there is nothing to export yet"),
                   path);
      return FALSE;
    }
  st = sw_figure_save (fig, path, width, height, &perr);
  sw_figure_free (fig);
  if (st != SW_PLOT_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", path, perr.text);
      return FALSE;
    }
  return TRUE;
}

char *
sw_figure_view_describe (SwFigureView *self)
{
  char text[2048];

  g_return_val_if_fail (SW_IS_FIGURE_VIEW (self), NULL);
  ensure_figure (self);
  if (self->figure == NULL)
    return g_strdup ("");
  sw_figure_describe (self->figure, text, sizeof text);
  return g_strdup (text);
}

static void
style_changed_cb (SwFigureView *self)
{
  sw_figure_view_invalidate (self);
}

static void
sw_figure_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *min,
                        int *nat, int *min_baseline, int *nat_baseline)
{
  *min = orientation == GTK_ORIENTATION_HORIZONTAL ? 240 : 160;
  *nat = orientation == GTK_ORIENTATION_HORIZONTAL ? 560 : 260;
}

static void
sw_figure_view_finalize (GObject *object)
{
  SwFigureView *self = SW_FIGURE_VIEW (object);

  g_clear_pointer (&self->figure, sw_figure_free);
  G_OBJECT_CLASS (sw_figure_view_parent_class)->finalize (object);
}

static void
sw_figure_view_class_init (SwFigureViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = sw_figure_view_finalize;
  widget_class->snapshot = sw_figure_view_snapshot;
  widget_class->measure = sw_figure_view_measure;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_widget_class_set_css_name (widget_class, "figureview");
}

static void
sw_figure_view_init (SwFigureView *self)
{
  AdwStyleManager *sm = adw_style_manager_get_default ();

  g_signal_connect_object (sm, "notify::dark", G_CALLBACK (style_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (sm, "notify::high-contrast", G_CALLBACK (style_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
sw_figure_view_new (SwFigureViewBuild build, gpointer data)
{
  SwFigureView *self = g_object_new (SW_TYPE_FIGURE_VIEW, NULL);

  self->build = build;
  self->data = data;
  return GTK_WIDGET (self);
}
