/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SwLiveView interface and the helpers the live views share (see
 * sw-live-view.h): export by file name, plot themes from the style.
 */
#define G_LOG_DOMAIN "Spikeworks-Live"

#include "config.h"

#include "sw-live-view.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

G_DEFINE_QUARK (sw-live-error-quark, sw_live_error)

/* From the compiled ui/live.gresource.xml.  Asking for it links the
 * resource (and its registering constructor) out of a static library. */
GResource *sw_live_get_resource (void);

void
sw_live_ensure_resources (void)
{
  (void) sw_live_get_resource ();
}

G_DEFINE_INTERFACE (SwLiveView, sw_live_view, GTK_TYPE_WIDGET)

static void
sw_live_view_default_init (SwLiveViewInterface *iface)
{
}

void
sw_live_view_bind (SwLiveView *view, SwLiveHub *hub)
{
  SwLiveViewInterface *iface = SW_LIVE_VIEW_GET_IFACE (view);
  if (iface->bind != NULL)
    iface->bind (view, hub);
}

void
sw_live_view_clear (SwLiveView *view)
{
  SwLiveViewInterface *iface = SW_LIVE_VIEW_GET_IFACE (view);
  if (iface->clear != NULL)
    iface->clear (view);
}

void
sw_live_view_spikes (SwLiveView *view, const SwSpike *spikes, guint n)
{
  SwLiveViewInterface *iface = SW_LIVE_VIEW_GET_IFACE (view);
  if (iface->spikes != NULL && n > 0)
    iface->spikes (view, spikes, n);
}

void
sw_live_view_rates (SwLiveView *view, gint64 first_bin, const guint32 *counts, guint n_bins,
                    int n_pops)
{
  SwLiveViewInterface *iface = SW_LIVE_VIEW_GET_IFACE (view);
  if (iface->rates != NULL && n_bins > 0)
    iface->rates (view, first_bin, counts, n_bins, n_pops);
}

void
sw_live_view_frame (SwLiveView *view)
{
  SwLiveViewInterface *iface = SW_LIVE_VIEW_GET_IFACE (view);
  if (iface->frame != NULL)
    iface->frame (view);
}

/* ------------------------------------------------------------------------ */

gboolean
sw_live_export_kind (const char *path, SwLiveExportKind *kind, GError **error)
{
  SwPlotFormat format;

  g_return_val_if_fail (path != NULL, FALSE);
  if (sw_plot_format_from_path (path, &format))
    {
      *kind = SW_LIVE_EXPORT_FIGURE;
      return TRUE;
    }
  if (g_str_has_suffix (path, ".csv") || g_str_has_suffix (path, ".CSV")
      || (strlen (path) > 4 && g_ascii_strcasecmp (path + strlen (path) - 4, ".csv") == 0))
    {
      *kind = SW_LIVE_EXPORT_CSV;
      return TRUE;
    }
  g_autofree char *name = g_filename_display_basename (path);
  g_set_error (error, SW_LIVE_ERROR, SW_LIVE_ERROR_FORMAT,
               /* Translators: the file extensions are not translated. */
               _("Cannot export “%s”: the name must end in .png, .svg, .pdf or .csv"), name);
  return FALSE;
}

gboolean
sw_live_export_figure (SwFigure *fig, const char *path, double width, double height,
                       GError **error)
{
  SwPlotTheme theme;
  SwPlotError err;

  sw_plot_theme_init (&theme, SW_PLOT_THEME_LIGHT);
  sw_figure_set_theme (fig, &theme);
  if (sw_figure_save (fig, path, width, height, &err) != SW_PLOT_OK)
    {
      g_set_error (error, SW_LIVE_ERROR,
                   err.status == SW_PLOT_ERR_FORMAT ? SW_LIVE_ERROR_FORMAT : SW_LIVE_ERROR_WRITE,
                   "%s", err.text);
      return FALSE;
    }
  return TRUE;
}

gboolean
sw_live_export_text (const char *path, const char *text, gsize length, GError **error)
{
  g_autoptr (GError) local = NULL;

  if (!g_file_set_contents_full (path, text, (gssize) length, G_FILE_SET_CONTENTS_CONSISTENT,
                                 0666, &local))
    {
      g_set_error (error, SW_LIVE_ERROR, SW_LIVE_ERROR_WRITE, "%s", local->message);
      return FALSE;
    }
  return TRUE;
}

static SwRgba
rgba_from_gdk (const GdkRGBA *c)
{
  return (SwRgba) { c->red, c->green, c->blue, c->alpha };
}

static gboolean
lookup (GtkStyleContext *context, const char *name, SwRgba *out)
{
  GdkRGBA c;
  if (!gtk_style_context_lookup_color (context, name, &c))
    return FALSE;
  *out = rgba_from_gdk (&c);
  return TRUE;
}

void
sw_live_style (GtkWidget *widget, gboolean presentation, SwPlotTheme *theme, SwRgba *excitatory,
               SwRgba *inhibitory)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  gboolean dark = adw_style_manager_get_dark (manager);
  gboolean high_contrast = adw_style_manager_get_high_contrast (manager);
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  SwPlotTheme t;
  GdkRGBA fg;

  sw_plot_theme_init (&t, high_contrast && !dark ? SW_PLOT_THEME_HIGH_CONTRAST
                          : dark ? SW_PLOT_THEME_DARK : SW_PLOT_THEME_LIGHT);
  t.background = (SwRgba) { 0, 0, 0, 0 };
  gtk_style_context_get_color (context, &fg);
  t.foreground = rgba_from_gdk (&fg);
  t.grid_colour = (SwRgba) { fg.red, fg.green, fg.blue, high_contrast ? 0.35 : 0.12 };
  lookup (context, "view_bg_color", &t.legend_background);
  t.legend_background.a = 0.85;

  /* The populations: accent for E, error colour for I; the theme's cycle
   * keeps its order so that other series follow on. */
  SwRgba e = t.series[0], i = t.series[1];
  lookup (context, "accent_color", &e);
  lookup (context, "error_color", &i);
  t.series[0] = e;
  t.series[1] = i;

  /* The widget's font, so that plots follow the large-text setting. */
  PangoContext *pango = gtk_widget_get_pango_context (widget);
  const PangoFontDescription *desc = pango_context_get_font_description (pango);
  if (desc != NULL && pango_font_description_get_size (desc) > 0)
    {
      double size = pango_font_description_get_size (desc) / (double) PANGO_SCALE;
      if (!pango_font_description_get_size_is_absolute (desc))
        size *= 96.0 / 72.0;
      t.font_size = size * 0.85;
    }
  if (presentation)
    t.scale = SW_PLOT_PRESENTATION_SCALE;

  if (theme != NULL)
    *theme = t;
  if (excitatory != NULL)
    *excitatory = e;
  if (inhibitory != NULL)
    *inhibitory = i;
}

gboolean
sw_live_due (gint64 *last_us, gint64 interval_us)
{
  gint64 now = g_get_monotonic_time ();
  if (*last_us != 0 && now - *last_us < interval_us)
    return FALSE;
  *last_us = now;
  return TRUE;
}
