/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwBrcPanel (see sw-brc-panel.h).  The task runs in a GTask thread; the
 * panel polls its progress a few times a second and draws the result when
 * it arrives.  Scores above the drawn range (the +1000 of a readout that
 * ignores the cue) are drawn as clipped bars with their value written on.
 */
#define G_LOG_DOMAIN "Spikeworks-Cells"

#include "config.h"

#include "sw-brc-panel.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sw-figure-view.h"

#define CHANCE 4.0

struct _SwBrcPanel
{
  GtkWidget parent_instance;

  GtkWidget *box;
  GtkSpinButton *duration;
  GtkSpinButton *repeats;
  GtkWidget *run_button;
  GtkWidget *cancel_button;
  GtkProgressBar *progress;
  GtkLabel *status;
  GtkWidget *decoded;
  GtkWidget *bars;

  SwBrcParams params;
  gboolean has_params;
  SwBrcTask *task;
  GCancellable *cancellable;
  guint poll_id;
  SwBrcTaskResult *result;
};

G_DEFINE_FINAL_TYPE (SwBrcPanel, sw_brc_panel, GTK_TYPE_WIDGET)

enum
{
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *const condition_titles[SW_BRC_N_CONDITIONS] = {
  /* Translators: the cue synapses of one experiment: AMPA receptors at the soma. */
  N_("AMPA, soma"),
  N_("AMPA, dendrite"),
  N_("NMDA, soma"),
  N_("NMDA, dendrite"),
};

/* ------------------------------------------------------------------ */
/* Figures                                                             */

static SwFigure *
build_decoded (gpointer data, const SwPlotTheme *theme)
{
  SwBrcPanel *self = data;
  const SwBrcTaskResult *r = self->result;
  SwFigure *fig = sw_figure_new (1, 2);
  const char *outs[2] = { "c₁", "c₂" };

  sw_figure_set_theme (fig, theme);
  for (int o = 0; o < 2; o++)
    {
      SwPanel *p = sw_figure_panel (fig, 0, o);
      g_autofree char *title = g_strdup_printf (_("Decoded %s (held-out trials)"), outs[o]);
      sw_panel_set_title (p, title);
      sw_panel_set_x_label (p, _("Time"), "ms");
      sw_panel_set_y_label (p, outs[o], NULL);
      sw_panel_set_legend (p, o == 1 ? SW_LEGEND_OUTSIDE : SW_LEGEND_NONE);
      if (r == NULL)
        {
          sw_panel_set_y_limits (p, -3.5, 3.5);
          sw_panel_set_x_limits (p, self->params.proto.readout_from_ms,
                                 self->params.proto.t_stop_ms);
          continue;
        }
      /* At least the targets with a margin; more when the readout strays. */
      double lo = -3.0, hi = 3.0;
      for (int cue = 0; cue < SW_BRC_N_CUES; cue++)
        for (int b = 0; b < r->n_bins; b++)
          if (isfinite (r->pred[cue][b][o]))
            {
              lo = MIN (lo, r->pred[cue][b][o] - 0.3);
              hi = MAX (hi, r->pred[cue][b][o] + 0.3);
            }
      sw_panel_set_y_limits (p, lo, hi);
      for (int cue = 0; cue < SW_BRC_N_CUES; cue++)
        {
          double c[2], xs[SW_BRC_TASK_MAX_BINS], ys[SW_BRC_TASK_MAX_BINS];
          sw_brc_cue_value (cue, &c[0], &c[1]);
          /* Okabe-Ito orange, sky blue, green and vermillion: no yellow,
           * which is faint on white. */
          static const int colours[SW_BRC_N_CUES] = { 1, 2, 3, 6 };
          SwStyle line = { sw_palette_okabe_ito (colours[cue]), 1.6, SW_DASH_SOLID, SW_MARKER_CIRCLE, 1, FALSE };
          for (int b = 0; b < r->n_bins; b++)
            {
              xs[b] = (r->bin_start_ms[b] + r->bin_start_ms[b + 1]) / 2;
              ys[b] = r->pred[cue][b][o];
            }
          /* Translators: the legend entry of one cue, e.g. "cue (−2, +2)". */
          g_autofree char *label = g_strdup_printf (_("cue (%+g, %+g)"), c[0], c[1]);
          sw_panel_add_line (p, xs, ys, (size_t) r->n_bins, label, &line, NULL);
        }
      /* The two targets, in the text colour: each cue's is the sign of
       * its coordinate in the legend. */
      SwStyle target = { theme->foreground, 1.0, SW_DASH_DASHED, SW_MARKER_NONE, 0, FALSE };
      target.colour.a = 0.6;
      for (int k = 0; k < 2; k++)
        {
          double tx[2] = { r->bin_start_ms[0], r->bin_start_ms[r->n_bins] };
          double ty[2] = { k ? 2.0 : -2.0, k ? 2.0 : -2.0 };
          sw_panel_add_line (p, tx, ty, 2, k ? NULL : _("targets ±2"), &target, NULL);
        }
    }
  return fig;
}

static void
draw_bars (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  SwBrcPanel *self = data;
  const SwBrcTaskResult *r = self->result;
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), NULL);
  GdkRGBA fg;
  char buf[64];
  int tw, th;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  double left = 56, right = 64, top = 52, bottom = 52;
  double pw = width - left - right, ph = height - top - bottom;
  if (pw < 40 || ph < 40)
    goto out;
  double ymax = 6.0;
  for (int c = 0; r && c < SW_BRC_N_CONDITIONS; c++)
    if (r->score[c].score < 50)
      ymax = MAX (ymax, r->score[c].score * 1.15);

  gdk_cairo_set_source_rgba (cr, &fg);
  pango_layout_set_text (layout, _("Score per cue condition (lower is better)"), -1);
  pango_layout_get_pixel_size (layout, &tw, &th);
  cairo_move_to (cr, left + (pw - tw) / 2, 6);
  pango_cairo_show_layout (cr, layout);
  if (r != NULL)
    {
      pango_layout_set_text (layout, _("darker bar: the condition of the time course"), -1);
      pango_layout_get_pixel_size (layout, &tw, &th);
      cairo_save (cr);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.6);
      cairo_move_to (cr, left + (pw - tw) / 2, 26);
      pango_cairo_show_layout (cr, layout);
      cairo_restore (cr);
    }

  /* Axis and ticks. */
  cairo_set_line_width (cr, 1.0);
  cairo_move_to (cr, left + 0.5, top);
  cairo_line_to (cr, left + 0.5, top + ph + 0.5);
  cairo_line_to (cr, left + pw, top + ph + 0.5);
  cairo_stroke (cr);
  double step = ymax > 12 ? 5 : ymax > 6 ? 2 : 1;
  for (double y = 0; y <= ymax + 1e-9; y += step)
    {
      double py = top + ph - y / ymax * ph;
      cairo_move_to (cr, left - 4, py + 0.5);
      cairo_line_to (cr, left, py + 0.5);
      cairo_stroke (cr);
      g_snprintf (buf, sizeof buf, "%g", y);
      pango_layout_set_text (layout, buf, -1);
      pango_layout_get_pixel_size (layout, &tw, &th);
      cairo_move_to (cr, left - 7 - tw, py - th / 2.0);
      pango_cairo_show_layout (cr, layout);
    }
  cairo_save (cr);
  pango_layout_set_text (layout, _("Test MSE"), -1);
  pango_layout_get_pixel_size (layout, &tw, &th);
  cairo_move_to (cr, 4, top + ph / 2 + tw / 2.0);
  cairo_rotate (cr, -G_PI / 2);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);

  double slot = pw / SW_BRC_N_CONDITIONS;
  for (int c = 0; c < SW_BRC_N_CONDITIONS; c++)
    {
      double cx = left + slot * (c + 0.5), bw = slot * 0.56;
      if (r != NULL && isfinite (r->score[c].score))
        {
          double s = r->score[c].score;
          double bh = MIN (s, ymax) / ymax * ph;
          SwRgba col = sw_palette_okabe_ito (c == (int) r->time_condition ? 5 : 2);
          cairo_set_source_rgb (cr, col.r, col.g, col.b);
          cairo_rectangle (cr, cx - bw / 2, top + ph - bh, bw, bh);
          cairo_fill (cr);
          gdk_cairo_set_source_rgba (cr, &fg);
          if (r->score[c].is_null)
            /* Translators: a readout that ignores the cue; the score includes +1000. */
            g_snprintf (buf, sizeof buf, _("%.3g (null)"), s);
          else
            g_snprintf (buf, sizeof buf, "%.2f", s);
          pango_layout_set_text (layout, buf, -1);
          pango_layout_get_pixel_size (layout, &tw, &th);
          cairo_move_to (cr, cx - tw / 2.0, MAX (top + ph - bh - th - 2, top - th + 2));
          pango_cairo_show_layout (cr, layout);
        }
      gdk_cairo_set_source_rgba (cr, &fg);
      pango_layout_set_width (layout, (int) (slot - 4) * PANGO_SCALE);
      pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
      pango_layout_set_text (layout, _(condition_titles[c]), -1);
      pango_layout_get_pixel_size (layout, &tw, &th);
      cairo_move_to (cr, cx - (slot - 4) / 2, top + ph + 6);
      pango_cairo_show_layout (cr, layout);
      pango_layout_set_width (layout, -1);
      pango_layout_set_alignment (layout, PANGO_ALIGN_LEFT);
    }

  /* Chance. */
  double py = top + ph - CHANCE / ymax * ph;
  cairo_set_dash (cr, (double[]) { 6, 4 }, 2, 0);
  cairo_set_line_width (cr, 1.5);
  cairo_move_to (cr, left, py);
  cairo_line_to (cr, left + pw, py);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  /* Translators: the score of a readout that always answers 0. */
  pango_layout_set_text (layout, _("chance 4.0"), -1);
  pango_layout_set_width (layout, (int) (right - 6) * PANGO_SCALE);
  pango_layout_get_pixel_size (layout, &tw, &th);
  cairo_move_to (cr, left + pw + 6, py - th / 2.0);
  pango_cairo_show_layout (cr, layout);

out:
  g_object_unref (layout);
}

/* ------------------------------------------------------------------ */
/* Running                                                             */

static void
update_sensitivity (SwBrcPanel *self)
{
  gboolean running = self->task != NULL;

  gtk_widget_set_sensitive (self->run_button, !running && self->has_params);
  gtk_widget_set_sensitive (self->cancel_button, running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->duration), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->repeats), !running);
}

static gboolean
poll_cb (gpointer data)
{
  SwBrcPanel *self = data;

  if (self->task != NULL)
    {
      double f = sw_brc_task_get_progress (self->task);
      char buf[32];
      gtk_progress_bar_set_fraction (self->progress, f);
      g_snprintf (buf, sizeof buf, "%.0f %%", 100 * f);
      gtk_progress_bar_set_text (self->progress, buf);
    }
  return G_SOURCE_CONTINUE;
}

static void
run_done_cb (GObject *source, GAsyncResult *res, gpointer data)
{
  SwBrcPanel *self = data;
  g_autoptr (GError) error = NULL;
  SwBrcTaskResult *r = sw_brc_task_run_finish (res, &error);

  g_clear_pointer (&self->task, sw_brc_task_unref);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->box == NULL)
    {
      /* The panel went away while the task ran. */
      g_free (r);
      g_object_unref (self);
      return;
    }
  if (r != NULL)
    {
      g_free (self->result);
      self->result = r;
      gtk_progress_bar_set_fraction (self->progress, 1.0);
      gtk_progress_bar_set_text (self->progress, "100 %");
      /* Translators: after the task: which condition's time course is
       * shown and how long the run took. */
      g_autofree char *text = g_strdup_printf (
        _("Done in %.1f s. The time course shows the %s condition, decoded by the readout "
          "trained on the other repeats."),
        r->wall_s, _(condition_titles[r->time_condition]));
      gtk_label_set_text (self->status, text);
      sw_figure_view_invalidate (SW_FIGURE_VIEW (self->decoded));
      gtk_widget_queue_draw (self->bars);
    }
  else
    {
      gtk_progress_bar_set_fraction (self->progress, 0.0);
      gtk_progress_bar_set_text (self->progress, NULL);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->status, _("Cancelled."));
      else
        {
          g_autofree char *text = g_strdup_printf (_("The task failed: %s"), error->message);
          gtk_label_set_text (self->status, text);
        }
    }
  update_sensitivity (self);
  g_signal_emit (self, signals[FINISHED], 0, r != NULL);
  g_object_unref (self);
}

void
sw_brc_panel_run (SwBrcPanel *self)
{
  SwBrcParams p;

  g_return_if_fail (SW_IS_BRC_PANEL (self));
  if (self->task != NULL || !self->has_params)
    return;
  p = self->params;
  p.proto.t_stop_ms = gtk_spin_button_get_value (self->duration);
  p.n_repeats = gtk_spin_button_get_value_as_int (self->repeats);
  SwError err = { { 0 } };
  if (sw_brc_params_check (&p, &err) != SW_OK)
    {
      g_autofree char *text = g_strdup_printf (_("The task cannot run: %s"), err.text);
      gtk_label_set_text (self->status, text);
      return;
    }
  int bins = CLAMP ((int) ((p.proto.t_stop_ms - p.proto.readout_from_ms) / 50), 2, 12);
  self->task = sw_brc_task_new (&p, p.condition, bins, 0);
  self->cancellable = g_cancellable_new ();
  gtk_label_set_text (self->status,
                      _("Running 4 conditions × 4 cues × the repeats, on every processor…"));
  gtk_progress_bar_set_fraction (self->progress, 0.0);
  self->poll_id = g_timeout_add (150, poll_cb, self);
  update_sensitivity (self);
  sw_brc_task_run_async (self->task, self->cancellable, run_done_cb, g_object_ref (self));
}

void
sw_brc_panel_cancel (SwBrcPanel *self)
{
  g_return_if_fail (SW_IS_BRC_PANEL (self));
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

gboolean
sw_brc_panel_is_running (SwBrcPanel *self)
{
  g_return_val_if_fail (SW_IS_BRC_PANEL (self), FALSE);
  return self->task != NULL;
}

const SwBrcTaskResult *
sw_brc_panel_get_result (SwBrcPanel *self)
{
  g_return_val_if_fail (SW_IS_BRC_PANEL (self), NULL);
  return self->result;
}

void
sw_brc_panel_set_params (SwBrcPanel *self, const SwBrcParams *params)
{
  gboolean first = !self->has_params;

  g_return_if_fail (SW_IS_BRC_PANEL (self));
  self->params = *params;
  self->has_params = TRUE;
  /* Later changes of the document's variables keep what the user chose. */
  if (first)
    sw_brc_panel_set_trial (self, params->proto.t_stop_ms, params->n_repeats);
  sw_figure_view_invalidate (SW_FIGURE_VIEW (self->decoded));
  update_sensitivity (self);
}

void
sw_brc_panel_set_trial (SwBrcPanel *self, double duration_ms, int repeats)
{
  g_return_if_fail (SW_IS_BRC_PANEL (self));
  gtk_spin_button_set_value (self->duration, duration_ms);
  gtk_spin_button_set_value (self->repeats, repeats);
}

/* ------------------------------------------------------------------ */

static void
run_clicked_cb (SwBrcPanel *self)
{
  sw_brc_panel_run (self);
}

static void
cancel_clicked_cb (SwBrcPanel *self)
{
  sw_brc_panel_cancel (self);
}

static GtkWidget *
labelled (GtkWidget *box, const char *text, GtkWidget *widget, const char *unit)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), widget);
  if (unit != NULL)
    {
      GtkWidget *u = gtk_label_new (unit);
      gtk_widget_add_css_class (u, "dim-label");
      gtk_box_append (GTK_BOX (box), u);
    }
  return widget;
}

static void
sw_brc_panel_dispose (GObject *object)
{
  SwBrcPanel *self = SW_BRC_PANEL (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (sw_brc_panel_parent_class)->dispose (object);
}

static void
sw_brc_panel_finalize (GObject *object)
{
  SwBrcPanel *self = SW_BRC_PANEL (object);

  g_free (self->result);
  G_OBJECT_CLASS (sw_brc_panel_parent_class)->finalize (object);
}

static void
sw_brc_panel_class_init (SwBrcPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sw_brc_panel_dispose;
  object_class->finalize = sw_brc_panel_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
sw_brc_panel_init (SwBrcPanel *self)
{
  GtkWidget *intro, *row, *plots;

  sw_brc_params_default (&self->params);
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_start (self->box, 18);
  gtk_widget_set_margin_end (self->box, 18);
  gtk_widget_set_margin_top (self->box, 12);
  gtk_widget_set_margin_bottom (self->box, 12);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  intro = gtk_label_new (_("The network hears one of four cues (c₁, c₂) = (±2, ±2) for 25 ms. "
                           "A linear readout of the rate cells must report the cue until the "
                           "end of the trial. Each cue condition is scored by cross-validation "
                           "over the repeats: 0 is perfect memory, 4 is chance."));
  gtk_label_set_wrap (GTK_LABEL (intro), TRUE);
  gtk_label_set_xalign (GTK_LABEL (intro), 0);
  gtk_widget_add_css_class (intro, "dim-label");
  gtk_box_append (GTK_BOX (self->box), intro);

  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->duration = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (280, 5000, 10));
  labelled (row, _("_Trial length"), GTK_WIDGET (self->duration), "ms");
  self->repeats = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (2, SW_BRC_MAX_FOLDS, 1));
  gtk_widget_set_margin_start (GTK_WIDGET (self->repeats), 0);
  GtkWidget *sep = gtk_separator_new (GTK_ORIENTATION_VERTICAL);
  gtk_widget_set_margin_start (sep, 6);
  gtk_widget_set_margin_end (sep, 6);
  gtk_box_append (GTK_BOX (row), sep);
  labelled (row, _("_Repeats per cue"), GTK_WIDGET (self->repeats), NULL);
  self->run_button = gtk_button_new_with_mnemonic (_("R_un Task"));
  gtk_widget_add_css_class (self->run_button, "suggested-action");
  gtk_widget_set_margin_start (self->run_button, 12);
  g_signal_connect_swapped (self->run_button, "clicked", G_CALLBACK (run_clicked_cb), self);
  gtk_box_append (GTK_BOX (row), self->run_button);
  self->cancel_button = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (cancel_clicked_cb), self);
  gtk_box_append (GTK_BOX (row), self->cancel_button);
  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_progress_bar_set_show_text (self->progress, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->progress), TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->progress), GTK_ALIGN_CENTER);
  gtk_widget_set_margin_start (GTK_WIDGET (self->progress), 12);
  gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->progress));
  gtk_box_append (GTK_BOX (self->box), row);

  self->status = GTK_LABEL (gtk_label_new (_("Not run yet. A full run of 1000-ms trials takes "
                                             "minutes; shorter trials and fewer repeats give a "
                                             "quick first look.")));
  gtk_label_set_wrap (self->status, TRUE);
  gtk_label_set_xalign (self->status, 0);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->status));

  plots = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  self->decoded = sw_figure_view_new (build_decoded, self);
  gtk_widget_set_hexpand (self->decoded, TRUE);
  gtk_widget_set_vexpand (self->decoded, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->decoded), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Decoded cue over time"), -1);
  gtk_box_append (GTK_BOX (plots), self->decoded);
  self->bars = gtk_drawing_area_new ();
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (self->bars), 380);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self->bars), 300);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->bars), draw_bars, self, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->bars), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Scores of the four cue conditions"), -1);
  gtk_box_append (GTK_BOX (plots), self->bars);
  gtk_box_append (GTK_BOX (self->box), plots);
  update_sensitivity (self);
}

GtkWidget *
sw_brc_panel_new (void)
{
  return g_object_new (SW_TYPE_BRC_PANEL, NULL);
}
