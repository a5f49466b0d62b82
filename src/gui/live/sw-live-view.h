/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwLiveView: what the live hub (sw-live-hub.h) needs of a view, and what
 * the live views share: the error domain of their exports, a plot theme
 * taken from the widget's style, and the choice of export format by file
 * name.
 *
 * The hub calls the interface on the main thread, from its frame-clock tick:
 * clear() when the network was rebuilt or reset, spikes() and rates() with
 * the data drained this frame (in order, each record once), then frame()
 * once, where a view reads what it reads itself (traces), refreshes its
 * accessible summary and queues a redraw when something changed.
 */
#pragma once

#include <gtk/gtk.h>

#include "sw-figure.h"
#include "sw-recorder.h"

G_BEGIN_DECLS

typedef struct _SwLiveHub SwLiveHub;

#define SW_LIVE_ERROR (sw_live_error_quark ())

typedef enum
{
  SW_LIVE_ERROR_FORMAT,   /* the file name ends in no known extension */
  SW_LIVE_ERROR_EMPTY,    /* nothing to export yet */
  SW_LIVE_ERROR_WRITE,    /* the file could not be written */
} SwLiveError;

GQuark sw_live_error_quark (void);

#define SW_TYPE_LIVE_VIEW (sw_live_view_get_type ())
G_DECLARE_INTERFACE (SwLiveView, sw_live_view, SW, LIVE_VIEW, GtkWidget)

struct _SwLiveViewInterface
{
  GTypeInterface parent_iface;

  /* The hub that feeds the view, or NULL when it is removed (the view
   * keeps no reference). */
  void (*bind) (SwLiveView *view, SwLiveHub *hub);
  void (*clear) (SwLiveView *view);
  void (*spikes) (SwLiveView *view, const SwSpike *spikes, guint n);
  /* Completed bins first_bin .. first_bin + n_bins - 1 of hub's bin width:
   * counts[k * n_pops + p]. */
  void (*rates) (SwLiveView *view, gint64 first_bin, const guint32 *counts, guint n_bins,
                 int n_pops);
  void (*frame) (SwLiveView *view);
};

void sw_live_view_bind (SwLiveView *view, SwLiveHub *hub);
void sw_live_view_clear (SwLiveView *view);
void sw_live_view_spikes (SwLiveView *view, const SwSpike *spikes, guint n);
void sw_live_view_rates (SwLiveView *view, gint64 first_bin, const guint32 *counts, guint n_bins,
                         int n_pops);
void sw_live_view_frame (SwLiveView *view);

/* --- shared by the views ------------------------------------------------ */

typedef enum
{
  SW_LIVE_EXPORT_FIGURE,  /* .png, .svg, .pdf */
  SW_LIVE_EXPORT_CSV,     /* .csv */
} SwLiveExportKind;

/* The kind of export @path asks for, by extension (any case); FALSE with
 * SW_LIVE_ERROR_FORMAT when it is none of the known ones. */
gboolean sw_live_export_kind (const char *path, SwLiveExportKind *kind, GError **error);

/* Writes @fig to @path (PNG in pixels, SVG and PDF in points), with the
 * light theme at scale 1 whatever the screen shows. */
gboolean sw_live_export_figure (SwFigure *fig, const char *path, double width, double height,
                                GError **error);

/* Writes @text to @path atomically. */
gboolean sw_live_export_text (const char *path, const char *text, gsize length, GError **error);

/* Colours of a live plot from @widget's style: theme (dark or light, high
 * contrast, transparent background so the widget's own shows, text in the
 * style's colour, the widget's font, sizes times SW_PLOT_PRESENTATION_SCALE
 * when @presentation) and the colours of excitatory and inhibitory
 * populations (the accent and the error colour).  Either output may be NULL. */
void sw_live_style (GtkWidget *widget, gboolean presentation, SwPlotTheme *theme,
                    SwRgba *excitatory, SwRgba *inhibitory);

/* Makes sure the templates of the live views are registered; class_init
 * of every view calls it. */
void sw_live_ensure_resources (void);

/* Throttle for accessible summaries: TRUE at most every @interval_us for
 * the clock *@last_us (updated when TRUE). */
gboolean sw_live_due (gint64 *last_us, gint64 interval_us);

G_END_DECLS
