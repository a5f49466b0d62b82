/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SwBrcPanel (see sw-brc-panel.h).  The task and the parameter search run
 * in GTask threads, one at a time; the panel polls their progress a few
 * times a second and draws the result when it arrives.  Scores above the
 * drawn range (the +1000 of a readout that ignores the cue) are drawn as
 * clipped bars with their value written on.
 *
 * A search's best draw replaces the searched numbers (and the condition)
 * of the parameters that the next run of the task uses, until the
 * document's parameters come back: by the "Document Values" button or a
 * change of the document.
 */
#define G_LOG_DOMAIN "Spikeworks-Cells"

#include "config.h"

#include "sw-brc-panel.h"

#include <glib/gi18n.h>
#include <math.h>

#include "sw-figure-view.h"

/* Search sizes: a classroom's default; the study's 10 x 100 is in range. */
#define SEARCH_ROUNDS_DEFAULT 2
#define SEARCH_DRAWS_DEFAULT 8
#define SEARCH_ROUNDS_MAX 50
#define SEARCH_DRAWS_MAX 1000

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
  GtkDropDown *search_condition;
  GtkSpinButton *search_rounds;
  GtkSpinButton *search_draws;
  GtkWidget *search_button;
  GtkWidget *restore_button;
  GtkWidget *changes_expander;
  GtkLabel *changes;

  SwBrcParams params;        /* of the next run: the document's, or with a search's best */
  SwBrcParams doc_params;    /* as the document has them */
  gboolean has_params;
  gboolean applied;          /* params hold a search's best draw */
  gboolean was_busy;         /* a task or search ran at the last update */
  SwBrcTask *task;
  SwBrcSearchTask *search;
  GCancellable *cancellable;
  guint poll_id;
  SwBrcTaskResult *result;
  SwBrcSearchResult *search_result;
  int search_rounds_n, search_per_n;  /* of the search under way or last run */
  int search_done;                    /* progress last shown: draws scored, */
  double search_best;                 /* and the best score among them */
};

G_DEFINE_FINAL_TYPE (SwBrcPanel, sw_brc_panel, GTK_TYPE_WIDGET)

enum
{
  FINISHED,
  SEARCH_FINISHED,
  BUSY_CHANGED,
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

  /* Room above the plot for the title, the note and the value of a bar
   * clipped at the top. */
  double left = 56, right = 64, top = 68, bottom = 52;
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
          cairo_move_to (cr, cx - tw / 2.0, top + ph - bh - th - 2);
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
  gboolean running = self->task != NULL || self->search != NULL;

  gtk_widget_set_sensitive (self->run_button, !running && self->has_params);
  gtk_widget_set_sensitive (self->search_button, !running && self->has_params);
  gtk_widget_set_sensitive (self->restore_button, !running && self->applied);
  gtk_widget_set_sensitive (self->cancel_button, running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->duration), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->repeats), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_condition), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_rounds), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_draws), !running);
  if (running != self->was_busy)
    {
      self->was_busy = running;
      g_signal_emit (self, signals[BUSY_CHANGED], 0);
    }
}

static void
show_search_progress (SwBrcPanel *self)
{
  const int per = self->search_per_n, rounds = self->search_rounds_n;
  const int total = per * rounds;
  g_autofree char *text = NULL;
  char best[32];

  /* The round under way; the last one once every draw is scored. */
  int round = MIN (self->search_done / per + 1, rounds);
  int in_round = self->search_done - (round - 1) * per;
  if (isfinite (self->search_best))
    g_snprintf (best, sizeof best, "%.3g", self->search_best);
  else
    g_strlcpy (best, "–", sizeof best);
  /* Translators: progress of the parameter search, e.g. "Round 1 of 2 ·
   * draws scored: 3 of 8 · best so far: 2.41". */
  text = g_strdup_printf (_("Round %d of %d · draws scored: %d of %d · best so far: %s"), round,
                          rounds, in_round, per, best);
  /* The bar moves with every trial; the text counts whole draws. */
  double f = total > 0 ? (double) self->search_done / total : 0.0;
  if (self->search != NULL)
    f = MAX (f, sw_brc_search_task_get_fraction (self->search));
  gtk_progress_bar_set_fraction (self->progress, f);
  gtk_progress_bar_set_text (self->progress, text);
}

static void
poll_search (SwBrcPanel *self)
{
  int done;
  double best;

  sw_brc_search_task_get_progress (self->search, &done, &best);
  self->search_done = done;
  self->search_best = best;
  show_search_progress (self);
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
  if (self->search != NULL)
    poll_search (self);
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
  if (self->task != NULL || self->search != NULL || !self->has_params)
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

static const char *
unit_text (const char *name)
{
  const char *unit = sw_brc_param_unit (name);

  if (g_strcmp0 (unit, "uS") == 0)
    return "µS";
  if (g_strcmp0 (unit, "S/cm^2") == 0)
    return "S/cm²";
  return unit != NULL ? unit : "";
}

/* The searched numbers that the best draw changed, "name before → after
 * unit", in a wrapped line; no-break spaces keep each entry whole.  Returns
 * how many. */
static int
show_changes (SwBrcPanel *self, const SwBrcSearchResult *r)
{
  g_autoptr (GString) text = g_string_new (NULL);
  int n = 0;

  for (int j = 0; j < r->n_dims; j++)
    {
      const char *name = r->dims[j].name;
      double before = *sw_brc_param_slot (&self->doc_params, name);
      double after = r->best_x[j];
      if (before == after)
        continue;
      const char *unit = unit_text (name);
      g_autofree char *escaped = g_markup_escape_text (name, -1);
      g_string_append_printf (text, "%s<b>%s</b>\u00a0%.3g\u00a0→\u00a0%.3g%s%s",
                              n > 0 ? "    " : "", escaped, before, after,
                              *unit ? "\u00a0" : "", unit);
      n++;
    }
  if (r->condition != self->doc_params.condition)
    {
      /* Translators: the cue condition changed by a search, e.g. "cue
       * synapses: AMPA, soma → NMDA, dendrite". */
      g_string_append_printf (text, _("%scue synapses: %s → %s"), n > 0 ? "    " : "",
                              _(condition_titles[self->doc_params.condition]),
                              _(condition_titles[r->condition]));
      n++;
    }
  gtk_label_set_markup (self->changes, text->str);
  g_autofree char *title = g_strdup_printf (
    ngettext ("Applied by the search: %d parameter changed",
              "Applied by the search: %d parameters changed", n),
    n);
  gtk_expander_set_label (GTK_EXPANDER (self->changes_expander), title);
  gtk_widget_set_visible (self->changes_expander, TRUE);
  return n;
}

static void
search_done_cb (GObject *source, GAsyncResult *res, gpointer data)
{
  SwBrcPanel *self = data;
  g_autoptr (GError) error = NULL;
  SwBrcSearchResult *r = sw_brc_search_task_run_finish (res, &error);

  if (self->box != NULL && self->search != NULL)
    poll_search (self);
  g_clear_pointer (&self->search, sw_brc_search_task_unref);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  if (self->box == NULL)
    {
      g_free (r);
      g_object_unref (self);
      return;
    }
  if (r != NULL)
    {
      g_free (self->search_result);
      self->search_result = r;
      self->params = r->best;
      self->applied = TRUE;
      int n = show_changes (self, r);
      /* Translators: after a parameter search; %s is a cue condition such
       * as "NMDA, dendrite". */
      g_autofree char *text = g_strdup_printf (
        ngettext ("Search done in %.1f s after %d draw: the best for %s scores %.3g (chance "
                  "4.0). Its parameters (%d changed) are applied to the next run of the task.",
                  "Search done in %.1f s after %d draws: the best for %s scores %.3g (chance "
                  "4.0). Its parameters (%d changed) are applied to the next run of the task.",
                  r->n_draws),
        r->wall_s, r->n_draws, _(condition_titles[r->condition]), r->best_score, n);
      gtk_label_set_text (self->status, text);
      sw_figure_view_invalidate (SW_FIGURE_VIEW (self->decoded));
    }
  else
    {
      gtk_progress_bar_set_fraction (self->progress, 0.0);
      gtk_progress_bar_set_text (self->progress, NULL);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->status, _("Search cancelled; the parameters are as before."));
      else
        {
          g_autofree char *text = g_strdup_printf (_("The search failed: %s"), error->message);
          gtk_label_set_text (self->status, text);
        }
    }
  update_sensitivity (self);
  g_signal_emit (self, signals[SEARCH_FINISHED], 0, r != NULL);
  g_object_unref (self);
}

void
sw_brc_panel_search (SwBrcPanel *self)
{
  SwBrcParams p;

  g_return_if_fail (SW_IS_BRC_PANEL (self));
  if (self->task != NULL || self->search != NULL || !self->has_params)
    return;
  /* Candidates vary the document's values, with the trial length and
   * repeats chosen for the task. */
  p = self->doc_params;
  p.proto.t_stop_ms = gtk_spin_button_get_value (self->duration);
  p.n_repeats = gtk_spin_button_get_value_as_int (self->repeats);
  SwBrcCondition cond = gtk_drop_down_get_selected (self->search_condition);
  if (cond >= SW_BRC_N_CONDITIONS)
    cond = p.condition;
  p.condition = cond;
  SwError err = { { 0 } };
  if (sw_brc_params_check (&p, &err) != SW_OK)
    {
      g_autofree char *text = g_strdup_printf (_("The search cannot run: %s"), err.text);
      gtk_label_set_text (self->status, text);
      return;
    }
  self->search_rounds_n = gtk_spin_button_get_value_as_int (self->search_rounds);
  self->search_per_n = gtk_spin_button_get_value_as_int (self->search_draws);
  self->search_done = 0;
  self->search_best = INFINITY;
  self->search = sw_brc_search_task_new (&p, cond, self->search_rounds_n, self->search_per_n, 0);
  self->cancellable = g_cancellable_new ();
  /* Translators: %s is a cue condition such as "NMDA, dendrite". */
  g_autofree char *text = g_strdup_printf (
    _("Searching the parameter box for %s: every draw runs 4 cues × the repeats, draws in "
      "parallel on every processor…"),
    _(condition_titles[cond]));
  gtk_label_set_text (self->status, text);
  show_search_progress (self);
  self->poll_id = g_timeout_add (150, poll_cb, self);
  update_sensitivity (self);
  sw_brc_search_task_run_async (self->search, self->cancellable, search_done_cb,
                                g_object_ref (self));
}

void
sw_brc_panel_set_search (SwBrcPanel *self, SwBrcCondition condition, int rounds, int per_round)
{
  g_return_if_fail (SW_IS_BRC_PANEL (self));
  gtk_drop_down_set_selected (self->search_condition, condition);
  gtk_spin_button_set_value (self->search_rounds, rounds);
  gtk_spin_button_set_value (self->search_draws, per_round);
}

void
sw_brc_panel_restore_params (SwBrcPanel *self)
{
  g_return_if_fail (SW_IS_BRC_PANEL (self));
  if (!self->has_params || self->task != NULL || self->search != NULL)
    return;
  self->params = self->doc_params;
  self->applied = FALSE;
  gtk_widget_set_visible (self->changes_expander, FALSE);
  gtk_label_set_text (self->status, _("The next run uses the document's parameters."));
  sw_figure_view_invalidate (SW_FIGURE_VIEW (self->decoded));
  update_sensitivity (self);
}

const SwBrcSearchResult *
sw_brc_panel_get_search_result (SwBrcPanel *self)
{
  g_return_val_if_fail (SW_IS_BRC_PANEL (self), NULL);
  return self->search_result;
}

void
sw_brc_panel_get_search_progress (SwBrcPanel *self, int *n_done, int *n_total, double *best)
{
  g_return_if_fail (SW_IS_BRC_PANEL (self));
  if (n_done != NULL)
    *n_done = self->search_done;
  if (n_total != NULL)
    *n_total = self->search_rounds_n * self->search_per_n;
  if (best != NULL)
    *best = self->search_best;
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
  return self->task != NULL || self->search != NULL;
}

gboolean
sw_brc_panel_is_searching (SwBrcPanel *self)
{
  g_return_val_if_fail (SW_IS_BRC_PANEL (self), FALSE);
  return self->search != NULL;
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
  self->doc_params = *params;
  self->has_params = TRUE;
  /* The document's parameters replace a search's. */
  if (self->applied)
    gtk_label_set_text (self->status, _("The next run uses the document's parameters."));
  self->applied = FALSE;
  gtk_widget_set_visible (self->changes_expander, FALSE);
  /* Later changes of the document's variables keep what the user chose. */
  if (first)
    {
      sw_brc_panel_set_trial (self, params->proto.t_stop_ms, params->n_repeats);
      gtk_drop_down_set_selected (self->search_condition, params->condition);
    }
  sw_figure_view_invalidate (SW_FIGURE_VIEW (self->decoded));
  update_sensitivity (self);
}

const SwBrcParams *
sw_brc_panel_get_params (SwBrcPanel *self)
{
  g_return_val_if_fail (SW_IS_BRC_PANEL (self), NULL);
  return &self->params;
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

static void
search_clicked_cb (SwBrcPanel *self)
{
  sw_brc_panel_search (self);
}

static void
restore_clicked_cb (SwBrcPanel *self)
{
  sw_brc_panel_restore_params (self);
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
  g_free (self->search_result);
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
  signals[SEARCH_FINISHED] = g_signal_new ("search-finished", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                           G_TYPE_BOOLEAN);
  /* A task or search started or ended (sw_brc_panel_is_running()). */
  signals[BUSY_CHANGED] = g_signal_new ("busy-changed", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
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

  /* The parameter search: condition, rounds x draws, start, and the way
   * back to the document's values. */
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  const char *titles[SW_BRC_N_CONDITIONS + 1];
  for (int c = 0; c < SW_BRC_N_CONDITIONS; c++)
    titles[c] = _(condition_titles[c]);
  titles[SW_BRC_N_CONDITIONS] = NULL;
  self->search_condition = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (titles));
  /* Translators: followed by a cue condition, e.g. "Search parameters for
   * [NMDA, dendrite]". */
  labelled (row, _("_Search parameters for"), GTK_WIDGET (self->search_condition), NULL);
  self->search_rounds = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (1, SEARCH_ROUNDS_MAX, 1));
  gtk_spin_button_set_value (self->search_rounds, SEARCH_ROUNDS_DEFAULT);
  gtk_widget_set_margin_start (GTK_WIDGET (self->search_rounds), 0);
  sep = gtk_separator_new (GTK_ORIENTATION_VERTICAL);
  gtk_widget_set_margin_start (sep, 6);
  gtk_widget_set_margin_end (sep, 6);
  gtk_box_append (GTK_BOX (row), sep);
  labelled (row, _("R_ounds"), GTK_WIDGET (self->search_rounds), NULL);
  self->search_draws = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (1, SEARCH_DRAWS_MAX, 1));
  gtk_spin_button_set_value (self->search_draws, SEARCH_DRAWS_DEFAULT);
  /* Translators: "Rounds [2] × draws per round [8]". */
  labelled (row, _("× _draws per round"), GTK_WIDGET (self->search_draws), NULL);
  self->search_button = gtk_button_new_with_mnemonic (_("S_earch"));
  gtk_widget_set_tooltip_text (self->search_button,
                               _("Score draws from the search box with the trial length and "
                                 "repeats above; the best is applied to the next run"));
  gtk_widget_set_margin_start (self->search_button, 12);
  g_signal_connect_swapped (self->search_button, "clicked", G_CALLBACK (search_clicked_cb), self);
  gtk_box_append (GTK_BOX (row), self->search_button);
  self->restore_button = gtk_button_new_with_mnemonic (_("Document _Values"));
  gtk_widget_set_tooltip_text (self->restore_button,
                               _("Drop the searched parameters: the next run uses the "
                                 "document's values"));
  g_signal_connect_swapped (self->restore_button, "clicked", G_CALLBACK (restore_clicked_cb),
                            self);
  gtk_box_append (GTK_BOX (row), self->restore_button);
  gtk_box_append (GTK_BOX (self->box), row);

  self->status = GTK_LABEL (gtk_label_new (_("Not run yet. A full run of 1000-ms trials takes "
                                             "minutes; shorter trials and fewer repeats give a "
                                             "quick first look.")));
  gtk_label_set_wrap (self->status, TRUE);
  gtk_label_set_xalign (self->status, 0);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->status));

  self->changes = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->changes, TRUE);
  gtk_label_set_xalign (self->changes, 0);
  gtk_label_set_selectable (self->changes, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->changes), "caption");
  gtk_widget_set_margin_start (GTK_WIDGET (self->changes), 18);
  self->changes_expander = gtk_expander_new (NULL);
  gtk_expander_set_child (GTK_EXPANDER (self->changes_expander), GTK_WIDGET (self->changes));
  gtk_expander_set_expanded (GTK_EXPANDER (self->changes_expander), TRUE);
  gtk_widget_set_visible (self->changes_expander, FALSE);
  gtk_box_append (GTK_BOX (self->box), self->changes_expander);

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
