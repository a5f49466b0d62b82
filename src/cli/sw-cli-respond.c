/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `spikeworks-cli respond`: the responsiveness curve of a network over one
 * swept variable (async-states spec §5).  At each value of the sweep the
 * spiking network runs --trials trials of the stimulus protocol in parallel
 * (sw-respond.h) and the mean field integrates the same stimulus; the
 * command writes one CSV row per value with every measure of both sides and
 * the mean-field class, and draws each chosen measure against the swept
 * variable.
 *
 * Every value of the sweep is checked (document, stimulus, mean field)
 * before any simulation starts, so that bad input fails at once.  Output
 * files appear complete or not at all: the CSV is replaced atomically and
 * the figure is written under a temporary name and renamed; Ctrl-C stops
 * the trials between steps and leaves no file behind.
 */
#include "config.h"

#include "sw-cli.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sw-cli-mpi.h"
#include "sw-document.h"
#include "sw-figure.h"
#include "sw-meanfield.h"
#include "sw-mf-grid.h"
#include "sw-respond.h"
#include "sw-units.h"

#define DEFAULT_COEFFS "S25"
#define DEFAULT_MEASURES "peak,area,snr,ringing"
#define MAX_SWEEP_POINTS 500
/* Sweep values drawn in the time-course panel, at most. */
#define MAX_TRACES 4

static atomic_int cancel_requested;

static void
on_sigint (int sig)
{
  (void) sig;
  atomic_store (&cancel_requested, 1);
}

typedef struct
{
  double x;
  SwNetSpec *spec;
  gboolean has_mf;
  SwMfConfig cfg;
  SwRespNetResult *net;
  SwRespMfResult *mf;
} Point;

static gboolean
set_number (SwDocument *doc, const char *name, double value, GError **error)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_dtostr (text, sizeof text, value);
  if (!sw_document_set (doc, name, text, error))
    {
      g_prefix_error (error, "--sweep: ");
      return FALSE;
    }
  return TRUE;
}

/* The measures named in @text (comma-separated), as indices. */
static gboolean
parse_measures (const char *text, GArray *out, GError **error)
{
  g_auto (GStrv) names = g_strsplit (text, ",", -1);
  for (int k = 0; names[k] != NULL; k++)
    {
      g_strstrip (names[k]);
      if (names[k][0] == '\0')
        continue;
      int m = sw_resp_measure_find (names[k]);
      if (m < 0)
        {
          g_autoptr (GString) known = g_string_new (NULL);
          for (int j = 0; j < sw_resp_n_measures (); j++)
            g_string_append_printf (known, "%s%s", j ? ", " : "", sw_resp_measure (j)->name);
          return sw_cli_usage_error (error, "--measure: unknown measure '%s' (known: %s)", names[k], known->str);
        }
      gboolean dup = FALSE;
      for (guint j = 0; j < out->len; j++)
        dup = dup || g_array_index (out, int, j) == m;
      if (!dup)
        g_array_append_val (out, m);
    }
  if (out->len == 0)
    return sw_cli_usage_error (error, "--measure: name at least one measure");
  return TRUE;
}

static gboolean
parse_rate (const char *text, const char *option, double *hz, GError **error)
{
  g_autoptr (GError) inner = NULL;
  if (!sw_units_parse_value (text, "Hz", hz, &inner))
    return sw_cli_usage_error (error, "%s: %s", option, inner->message);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Progress                                                                  */

typedef struct
{
  const SwCliAxis *sweep;
  int point;
  double x;
  gint64 start, last;
} Progress;

static void
on_progress (void *data, int done, int total)
{
  Progress *pr = data;
  gint64 now = g_get_monotonic_time ();
  if (done < total && now - pr->last < G_USEC_PER_SEC / 4)
    return;
  pr->last = now;
  /* Points before this one took about as long as this one will. */
  double elapsed = (now - pr->start) * 1e-6;
  double frac = (pr->point + (double) done / total) / pr->sweep->n;
  double eta = frac > 0 ? elapsed * (1 - frac) / frac : 0;
  fprintf (stderr, "\r\033[K%s = %g (%d/%d): trial %d/%d, %.0f s elapsed, about %.0f s left", pr->sweep->name,
           pr->x, pr->point + 1, pr->sweep->n, done, total, elapsed, eta);
  fflush (stderr);
}

/* ------------------------------------------------------------------------ */
/* CSV                                                                       */

static void
append_number (GString *s, double v)
{
  g_string_append_c (s, ',');
  if (isfinite (v))
    g_string_append_printf (s, "%.6g", v);
}

static char *
csv_text (const SwCliAxis *sw, const Point *pts, int n_points)
{
  const int nm = sw_resp_n_measures ();
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, "%s,trials,net_baseline,net_spont_sd,mf_class,mf_outcome,mf_nu_E,mf_spont_sd", sw->name);
  for (int m = 0; m < nm; m++)
    {
      const char *n = sw_resp_measure (m)->name;
      g_string_append_printf (s, ",net_%s,net_%s_sem,mf_%s,mf_lin_%s", n, n, n, n);
    }
  g_string_append (s, ",mf_H0,mf_H_peak,mf_H_peak_freq,mf_H_at_freq\n");
  for (int k = 0; k < n_points; k++)
    {
      const Point *pt = &pts[k];
      const SwRespMfResult *mf = pt->mf;
      g_string_append_printf (s, "%.10g,%d", pt->x, pt->net->n_trials);
      append_number (s, pt->net->baseline_hz);
      append_number (s, pt->net->spont_sd_hz);
      g_string_append_printf (s, ",%s,%s", mf ? sw_mf_class_name (mf->cls) : "",
                              mf ? sw_resp_mf_outcome_name (mf->outcome) : "");
      append_number (s, mf ? mf->nu_e_hz : NAN);
      append_number (s, mf ? mf->spont_sd_hz : NAN);
      for (int m = 0; m < nm; m++)
        {
          append_number (s, pt->net->value[m]);
          append_number (s, pt->net->sem[m]);
          append_number (s, mf ? mf->value[m] : NAN);
          append_number (s, mf ? mf->value_lin[m] : NAN);
        }
      append_number (s, mf ? mf->h0 : NAN);
      append_number (s, mf ? mf->h_peak : NAN);
      append_number (s, mf ? mf->h_peak_freq_hz : NAN);
      append_number (s, mf ? mf->h_at_freq : NAN);
      g_string_append_c (s, '\n');
    }
  return g_string_free (s, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Figure                                                                    */

static const SwRgba colour_net = { 0.0, 0.62, 0.451, 1 };        /* bluish green */
static const SwRgba colour_mf = { 0.2, 0.2, 0.2, 1 };
static const SwRgba colour_lin = { 0.55, 0.55, 0.55, 1 };
static const SwRgba colour_runaway = { 0.835, 0.369, 0.0, 1 };   /* vermillion */
static const SwRgba colour_class[SW_MF_N_CLASSES] = {
  [SW_MF_CLASS_NONE] = { 0.5, 0.5, 0.5, 1 },
  [SW_MF_CLASS_UD] = { 0.0, 0.447, 0.698, 1 },
  [SW_MF_CLASS_OD] = { 0.902, 0.624, 0.0, 1 },
  [SW_MF_CLASS_UNSTABLE] = { 0.8, 0.475, 0.655, 1 },
};
static const SwMarker marker_class[SW_MF_N_CLASSES] = {
  [SW_MF_CLASS_NONE] = SW_MARKER_DIAMOND,
  [SW_MF_CLASS_UD] = SW_MARKER_CIRCLE,
  [SW_MF_CLASS_OD] = SW_MARKER_SQUARE,
  [SW_MF_CLASS_UNSTABLE] = SW_MARKER_TRIANGLE,
};
static const char *const label_class[SW_MF_N_CLASSES] = {
  [SW_MF_CLASS_NONE] = "MF class: none (no asynchronous state)",
  [SW_MF_CLASS_UD] = "MF class: UD (underdamped)",
  [SW_MF_CLASS_OD] = "MF class: OD (overdamped)",
  [SW_MF_CLASS_UNSTABLE] = "MF class: unstable",
};

/* One panel: a measure against the swept variable. */
static gboolean
measure_panel (SwPanel *panel, int m, const Point *pts, int n, const char *xl, const char *xu, gboolean legend,
               const char *coeffs, SwPlotError *perr)
{
  const SwRespMeasure *d = sw_resp_measure (m);
  g_autofree double *xs = g_new (double, n), *mean = g_new (double, n), *sem = g_new (double, n);
  g_autofree double *mfv = g_new (double, n), *lin = g_new (double, n);
  double top = -INFINITY, bottom = INFINITY;
  gboolean any_mf = FALSE;
  for (int k = 0; k < n; k++)
    {
      xs[k] = pts[k].x;
      mean[k] = pts[k].net->value[m];
      sem[k] = isfinite (pts[k].net->sem[m]) ? pts[k].net->sem[m] : 0.0;
      const SwRespMfResult *mf = pts[k].mf;
      gboolean returns = mf != NULL && mf->outcome == SW_RESP_MF_RETURNS;
      mfv[k] = returns ? mf->value[m] : NAN;
      lin[k] = mf != NULL ? mf->value_lin[m] : NAN;
      any_mf = any_mf || isfinite (mfv[k]) || isfinite (lin[k]);
      const double vals[4] = { mean[k] + sem[k], mean[k] - sem[k], mfv[k], lin[k] };
      for (int j = 0; j < 4; j++)
        if (isfinite (vals[j]))
          {
            top = fmax (top, vals[j]);
            bottom = fmin (bottom, vals[j]);
          }
    }
  sw_panel_set_y_label (panel, d->label, d->unit[0] ? d->unit : NULL);
  sw_panel_set_x_label (panel, xl, xu);
  sw_panel_set_legend (panel, legend ? SW_LEGEND_AUTO : SW_LEGEND_NONE);
  if (n == 1)
    sw_panel_set_x_limits (panel, xs[0] - 0.5 * fmax (1.0, fabs (xs[0])), xs[0] + 0.5 * fmax (1.0, fabs (xs[0])));

  g_autofree char *net_label = g_strdup_printf ("network, mean ± s.e.m. (%d trials)", pts[0].net->n_trials);
  g_autofree char *mf_label = g_strdup_printf ("mean field (%s)", coeffs);
  SwStyle net = { .colour = colour_net, .marker = SW_MARKER_CIRCLE, .width = 1.3 };
  SwStyle mfs = { .colour = colour_mf, .dash = SW_DASH_DASHED, .width = 1.2 };
  SwStyle lins = { .colour = colour_lin, .dash = SW_DASH_DOTTED, .width = 1.2 };
  if (sw_panel_add_mean_sem (panel, xs, mean, sem, n, legend ? net_label : NULL, &net, perr) != SW_PLOT_OK)
    return FALSE;
  if (n == 1)
    {
      /* A band needs two points: an error bar instead. */
      const double bx[2] = { xs[0], xs[0] }, by[2] = { mean[0] - sem[0], mean[0] + sem[0] };
      SwStyle bar = { .colour = colour_net, .width = 1.5 };
      if (sw_panel_add_line (panel, bx, by, 2, NULL, &bar, perr) != SW_PLOT_OK)
        return FALSE;
    }
  if (!any_mf)
    return TRUE;
  if (sw_panel_add_line (panel, xs, mfv, n, legend ? mf_label : NULL, &mfs, perr) != SW_PLOT_OK)
    return FALSE;
  if (n > 1 && sw_panel_add_line (panel, xs, lin, n, legend ? "mean field, linear response" : NULL, &lins, perr)
                 != SW_PLOT_OK)
    return FALSE;
  SwStyle linp = { .colour = colour_lin, .marker = SW_MARKER_DIAMOND, .open_marker = true, .marker_size = 1.3 };
  if (n == 1 && sw_panel_add_points (panel, xs, lin, n, legend ? "mean field, linear response" : NULL, &linp, perr)
                  != SW_PLOT_OK)
    return FALSE;

  /* The class of each point on the mean-field curve.  A runaway is off the
   * scale: it is marked just above the data; a point without a response
   * (no asynchronous state, or quenched) just below. */
  g_autofree double *cx = g_new (double, n), *cy = g_new (double, n);
  for (int c = 0; c < SW_MF_N_CLASSES; c++)
    {
      int cn = 0;
      for (int k = 0; k < n; k++)
        if (pts[k].mf != NULL && (int) pts[k].mf->cls == c && isfinite (mfv[k]))
          {
            cx[cn] = xs[k];
            cy[cn++] = mfv[k];
          }
      SwStyle st = { .colour = colour_class[c], .marker = marker_class[c], .marker_size = 1.4 };
      if (cn > 0 && sw_panel_add_points (panel, cx, cy, cn, legend ? label_class[c] : NULL, &st, perr) != SW_PLOT_OK)
        return FALSE;
    }
  double span = isfinite (top) && isfinite (bottom) && top > bottom ? top - bottom : fmax (1e-3, fabs (top));
  for (int pass = 0; pass < 2; pass++)
    {
      int rn = 0;
      for (int k = 0; k < n; k++)
        if (pts[k].mf != NULL && (pass == 0 ? pts[k].mf->outcome == SW_RESP_MF_RUNAWAY
                                            : pts[k].mf->outcome == SW_RESP_MF_NO_STATE
                                                || pts[k].mf->outcome == SW_RESP_MF_QUENCHED))
          {
            cx[rn] = xs[k];
            cy[rn++] = pass == 0 ? (isfinite (top) ? top + 0.08 * span : 1.0)
                                 : (isfinite (bottom) ? bottom - 0.08 * span : 0.0);
          }
      SwStyle rs = { .colour = pass == 0 ? colour_runaway : colour_class[SW_MF_CLASS_NONE],
                     .marker = pass == 0 ? SW_MARKER_CROSS : SW_MARKER_PLUS, .marker_size = 1.8, .width = 1.5 };
      const char *label = pass == 0 ? "MF runaway to the high branch (off scale)"
                                    : "MF without a response (no asynchronous state or quenched)";
      if (rn > 0 && sw_panel_add_points (panel, cx, cy, rn, legend ? label : NULL, &rs, perr) != SW_PLOT_OK)
        return FALSE;
    }
  return TRUE;
}

/* The time courses r(t) of a few sweep values. */
static gboolean
trace_panel (SwPanel *panel, const SwCliAxis *sw, const Point *pts, int n, const char *xu, const SwRespProtocol *p,
             SwPlotError *perr)
{
  static const SwRgba palette[MAX_TRACES] = {
    { 0.0, 0.447, 0.698, 1 }, { 0.835, 0.369, 0.0, 1 }, { 0.0, 0.62, 0.451, 1 }, { 0.8, 0.475, 0.655, 1 },
  };
  sw_panel_set_title (panel, "r(t): network mean ± s.e.m. (solid), mean field (dashed)");
  sw_panel_set_x_label (panel, "Time after stimulus onset", "ms");
  sw_panel_set_y_label (panel, "E rate − baseline", "Hz");
  sw_panel_set_legend (panel, SW_LEGEND_AUTO);
  double from = fmax (-100.0, p->baseline_from_ms);
  sw_panel_set_x_limits (panel, from, p->after_ms);
  int shown = n < MAX_TRACES ? n : MAX_TRACES;
  for (int j = 0; j < shown; j++)
    {
      int k = shown == 1 ? 0 : (int) lround ((double) j * (n - 1) / (shown - 1));
      const SwRespNetResult *r = pts[k].net;
      int b0 = (int) lround ((from - r->t0_ms) / r->bin_ms), nb = r->n_bins - b0;
      g_autofree double *t = g_new (double, nb);
      for (int b = 0; b < nb; b++)
        t[b] = r->t0_ms + (b0 + b + 0.5) * r->bin_ms;
      g_autofree char *label = g_strdup_printf ("%s = %g%s%s", sw->name, pts[k].x, xu ? " " : "", xu ? xu : "");
      SwStyle st = { .colour = palette[j], .marker = SW_MARKER_NONE };
      if (sw_panel_add_mean_sem (panel, t, r->r_hz + b0, r->r_sem_hz + b0, nb, label, &st, perr) != SW_PLOT_OK)
        return FALSE;
      const SwRespMfResult *mf = pts[k].mf;
      if (mf != NULL && mf->outcome == SW_RESP_MF_RETURNS)
        {
          SwStyle ms = { .colour = palette[j], .dash = SW_DASH_DASHED, .width = 1.4 };
          if (sw_panel_add_line (panel, t, mf->r_hz + b0, nb, NULL, &ms, perr) != SW_PLOT_OK)
            return FALSE;
        }
    }
  return TRUE;
}

/* The mean-field transfer spectrum |H(f)| at the same sweep values. */
static gboolean
spectrum_panel (SwPanel *panel, const SwCliAxis *sw, const Point *pts, int n, const char *xu, const SwRespProtocol *p,
                SwPlotError *perr)
{
  static const SwRgba palette[MAX_TRACES] = {
    { 0.0, 0.447, 0.698, 1 }, { 0.835, 0.369, 0.0, 1 }, { 0.0, 0.62, 0.451, 1 }, { 0.8, 0.475, 0.655, 1 },
  };
  enum { NF = 401 };
  sw_panel_set_title (panel, "Mean-field transfer spectrum (linear response of ν_E to ΔA)");
  sw_panel_set_x_label (panel, "Stimulus frequency", "Hz");
  sw_panel_set_y_label (panel, "|H(i2πf)|", "Hz/Hz");
  sw_panel_set_legend (panel, SW_LEGEND_AUTO);
  double f[NF], g[NF];
  int shown = n < MAX_TRACES ? n : MAX_TRACES;
  for (int j = 0; j < shown; j++)
    {
      int k = shown == 1 ? 0 : (int) lround ((double) j * (n - 1) / (shown - 1));
      const SwRespMfResult *mf = pts[k].mf;
      if (mf == NULL || mf->outcome == SW_RESP_MF_NO_STATE)
        continue;
      const double x[3] = { mf->nu_e_hz, mf->nu_i_hz, mf->w_pa };
      double jac[3][3], b[3];
      sw_mf_jacobian (&pts[k].cfg, x, jac);
      sw_mf_input_vector (&pts[k].cfg, x, p->onto == SW_RESP_ONTO_EI, b);
      for (int q = 0; q < NF; q++)
        {
          f[q] = 0.25 * q;
          g[q] = sw_mf_transfer (jac, b, f[q], NULL, NULL);
        }
      g_autofree char *label = g_strdup_printf ("%s = %g%s%s (%s)", sw->name, pts[k].x, xu ? " " : "", xu ? xu : "",
                                                sw_mf_class_name (mf->cls));
      SwStyle st = { .colour = palette[j], .width = 1.4 };
      if (sw_panel_add_line (panel, f, g, NF, label, &st, perr) != SW_PLOT_OK)
        return FALSE;
    }
  return TRUE;
}

static gboolean
respond_figure (const char *path, SwDocument *doc, const SwCliAxis *sw, const Point *pts, const GArray *sel,
                const SwRespProtocol *p, const char *coeffs, GError **error)
{
  g_autofree char *xl = NULL, *xu = NULL;
  sw_cli_axis_title (doc, sw->name, &xl, &xu);
  /* The measures, the time courses and, when it fills what would be an
   * empty panel of the grid, the transfer spectrum. */
  gboolean spectrum = (sel->len + 1) % 2 == 1 && sel->len > 0;
  int n_panels = (int) sel->len + 1 + spectrum;
  int cols = 2, rows = (n_panels + cols - 1) / cols;
  SwFigure *fig = sw_figure_new (rows, cols);
  const char *shape = p->waveform == SW_WAVE_PULSE ? "pulse" : p->waveform == SW_WAVE_SINE ? "sine" : "double Gaussian";
  g_autofree char *what = p->waveform == SW_WAVE_DOUBLE_GAUSSIAN
                            ? g_strdup_printf ("τ1 %g ms, τ2 %g ms", p->tau1_ms, p->tau2_ms)
                          : p->waveform == SW_WAVE_SINE ? g_strdup_printf ("%g Hz, %g ms", p->freq_hz, p->duration_ms)
                                                        : g_strdup_printf ("%g ms", p->duration_ms);
  g_autofree char *title = g_strdup_printf ("Responsiveness — %s: ΔA = %g Hz %s (%s) onto %s",
                                            sw_document_get_display_name (doc), p->amplitude_hz, shape, what,
                                            p->onto == SW_RESP_ONTO_EI ? "E and I" : "E");
  sw_figure_set_title (fig, title);
  SwPlotError perr = { 0 };
  gboolean ok = TRUE;
  for (guint j = 0; j < sel->len && ok; j++)
    ok = measure_panel (sw_figure_panel (fig, j / cols, j % cols), g_array_index (sel, int, j), pts, sw->n, xl, xu,
                        j == 0, coeffs, &perr);
  if (ok)
    ok = trace_panel (sw_figure_panel (fig, sel->len / cols, sel->len % cols), sw, pts, sw->n, xu, p, &perr);
  if (ok && spectrum)
    ok = spectrum_panel (sw_figure_panel (fig, (sel->len + 1) / cols, (sel->len + 1) % cols), sw, pts, sw->n, xu,
                         p, &perr);
  gboolean saved = FALSE;
  if (ok)
    saved = sw_cli_save_figure (fig, path, 640.0 * cols, 460.0 * rows + 40, error);
  else
    g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "%s: %s", path, perr.text);
  sw_figure_free (fig);
  return saved;
}

/* ------------------------------------------------------------------------ */
/* The command                                                               */

/* ------------------------------------------------------------------------ */
/* Results between MPI ranks                                                 */

/* A point's results as bytes: the structures as they are (their pointers
 * are rebuilt on the other side; the ranks run the same program on the same
 * kind of machine), then their arrays. */
static void
append_doubles (GByteArray *a, const double *v, gsize n)
{
  guint8 present = v != NULL;
  g_byte_array_append (a, &present, 1);
  if (v != NULL && n > 0)
    g_byte_array_append (a, (const guint8 *) v, (guint) (n * sizeof (double)));
}

static GBytes *
pack_point (const Point *pt)
{
  GByteArray *a = g_byte_array_new ();
  const SwRespNetResult *r = pt->net;
  g_byte_array_append (a, (const guint8 *) r, sizeof *r);
  append_doubles (a, r->r_hz, r->n_bins);
  append_doubles (a, r->r_sem_hz, r->n_bins);
  append_doubles (a, r->trial_r_hz, (gsize) r->n_trials * r->n_bins);
  append_doubles (a, r->trial_baseline_hz, r->n_trials);
  guint8 has_mf = pt->mf != NULL;
  g_byte_array_append (a, &has_mf, 1);
  if (has_mf)
    {
      const SwRespMfResult *m = pt->mf;
      g_byte_array_append (a, (const guint8 *) m, sizeof *m);
      append_doubles (a, m->r_hz, m->n_bins);
      append_doubles (a, m->r_lin_hz, m->n_bins);
    }
  return g_byte_array_free_to_bytes (a);
}

typedef struct
{
  const guint8 *p, *end;
} Reader;

static gboolean
read_bytes (Reader *rd, void *out, gsize n)
{
  if ((gsize) (rd->end - rd->p) < n)
    return FALSE;
  memcpy (out, rd->p, n);
  rd->p += n;
  return TRUE;
}

static gboolean
read_doubles (Reader *rd, double **out, gsize n)
{
  guint8 present;
  *out = NULL;
  if (!read_bytes (rd, &present, 1))
    return FALSE;
  if (!present)
    return TRUE;
  *out = malloc (MAX (n, 1) * sizeof (double));
  return *out != NULL && read_bytes (rd, *out, n * sizeof (double));
}

static gboolean
unpack_point (GBytes *bytes, Point *pt)
{
  gsize len = 0;
  const guint8 *d = bytes ? g_bytes_get_data (bytes, &len) : NULL;
  if (d == NULL)
    return FALSE;
  Reader rd = { d, d + len };
  SwRespNetResult *r = calloc (1, sizeof *r);
  pt->net = r;
  if (r == NULL || !read_bytes (&rd, r, sizeof *r))
    return FALSE;
  r->r_hz = r->r_sem_hz = r->trial_r_hz = r->trial_baseline_hz = NULL;
  r->trial_rows = NULL;
  if (r->n_bins < 0 || r->n_trials < 0 || !read_doubles (&rd, &r->r_hz, r->n_bins)
      || !read_doubles (&rd, &r->r_sem_hz, r->n_bins)
      || !read_doubles (&rd, &r->trial_r_hz, (gsize) r->n_trials * r->n_bins)
      || !read_doubles (&rd, &r->trial_baseline_hz, r->n_trials))
    return FALSE;
  if (r->trial_r_hz != NULL)
    {
      r->trial_rows = malloc (MAX (r->n_trials, 1) * sizeof (double *));
      if (r->trial_rows == NULL)
        return FALSE;
      for (int k = 0; k < r->n_trials; k++)
        r->trial_rows[k] = r->trial_r_hz + (gsize) k * r->n_bins;
    }
  guint8 has_mf;
  if (!read_bytes (&rd, &has_mf, 1))
    return FALSE;
  if (has_mf)
    {
      SwRespMfResult *m = calloc (1, sizeof *m);
      pt->mf = m;
      if (m == NULL || !read_bytes (&rd, m, sizeof *m))
        return FALSE;
      m->r_hz = m->r_lin_hz = NULL;
      if (m->n_bins < 0 || !read_doubles (&rd, &m->r_hz, m->n_bins) || !read_doubles (&rd, &m->r_lin_hz, m->n_bins))
        return FALSE;
    }
  return rd.p == rd.end;
}

/* Brings every point's results to rank 0; collective. */
static int
gather_points (Point *pts, int n)
{
  GBytes **blobs = g_new0 (GBytes *, n);
  for (int k = 0; k < n; k++)
    if (sw_cli_mpi_owns (k))
      blobs[k] = pack_point (&pts[k]);
  g_autoptr (GError) error = NULL;
  int status = SW_CLI_EXIT_OK;
  if (!sw_cli_mpi_gather (blobs, n, &error))
    {
      g_printerr ("spikeworks-cli: %s\n", error->message);
      status = SW_CLI_EXIT_SIMULATION;
    }
  for (int k = 0; k < n && status == SW_CLI_EXIT_OK && sw_cli_mpi_rank () == 0; k++)
    if (!sw_cli_mpi_owns (k) && !unpack_point (blobs[k], &pts[k]))
      {
        g_printerr ("spikeworks-cli: the results of point %d did not arrive whole\n", k);
        status = SW_CLI_EXIT_SIMULATION;
      }
  for (int k = 0; k < n; k++)
    g_clear_pointer (&blobs[k], g_bytes_unref);
  g_free (blobs);
  return sw_cli_mpi_agree (status);
}

static void
points_free (Point *pts, int n)
{
  for (int k = 0; pts != NULL && k < n; k++)
    {
      sw_net_spec_free (pts[k].spec);
      sw_resp_net_result_free (pts[k].net);
      sw_resp_mf_result_free (pts[k].mf);
    }
  g_free (pts);
}

int
sw_cli_respond (int argc, char **argv)
{
  g_auto (GStrv) sets = NULL;
  g_autofree char *sweep_s = NULL, *amp_s = NULL, *wave_s = NULL, *dur_s = NULL, *onto_s = NULL;
  g_autofree char *measure_s = NULL, *coeffs = NULL, *csv = NULL, *figure = NULL, *tau1_s = NULL, *tau2_s = NULL;
  g_autofree char *freq_s = NULL, *warmup_s = NULL;
  int trials = 20, threads = 0;
  gint64 seed = -1;
  GOptionEntry entries[] = {
    { "sweep", 0, 0, G_OPTION_ARG_STRING, &sweep_s, "The swept variable or parameter", "NAME:MIN:MAX:N" },
    { "trials", 0, 0, G_OPTION_ARG_INT, &trials, "Trials per value (default 20; trial k uses seed + k)", "N" },
    { "amplitude", 0, 0, G_OPTION_ARG_STRING, &amp_s, "Extra rate ΔA per external source (default 2 Hz)", "RATE" },
    { "waveform", 0, 0, G_OPTION_ARG_STRING, &wave_s, "pulse (default), double_gaussian or sine", "SHAPE" },
    { "duration-stim", 0, 0, G_OPTION_ARG_STRING, &dur_s, "Duration of the pulse or sine (default 50 ms)", "TIME" },
    { "tau1", 0, 0, G_OPTION_ARG_STRING, &tau1_s, "Rise of the double Gaussian (default 30 ms)", "TIME" },
    { "tau2", 0, 0, G_OPTION_ARG_STRING, &tau2_s, "Decay of the double Gaussian (default 150 ms)", "TIME" },
    { "freq", 0, 0, G_OPTION_ARG_STRING, &freq_s, "Frequency of the sine (default 10 Hz)", "RATE" },
    { "onto", 0, 0, G_OPTION_ARG_STRING, &onto_s, "Stimulate E (default) or E and I", "E|EI" },
    { "warmup", 0, 0, G_OPTION_ARG_STRING, &warmup_s, "Discarded start of each trial (default 1 s)", "TIME" },
    { "measure", 0, 0, G_OPTION_ARG_STRING, &measure_s,
      "Measures to draw (default " DEFAULT_MEASURES "; the CSV has all)", "NAME,..." },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Set a variable or parameter (repeatable)", "NAME=VALUE" },
    { "coeffs", 0, 0, G_OPTION_ARG_STRING, &coeffs,
      "Transfer-function coefficients: S25 (default, as spec §5), dV19 or a JSON file", "NAME|FILE" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Random seed of trial 0 (default: the document's)", "N" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, "Threads (0: all processors)", "N" },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv, "Write the curve as CSV (- for standard output, the default)", "FILE" },
    { "figure", 0, 0, G_OPTION_ARG_FILENAME, &figure, "Draw the curve (PNG, SVG or PDF by extension)", "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("DOC|preset:NAME — responsiveness to a brief stimulus");
  g_option_context_set_description (
    ctx, "At each value of the sweep, the spiking network runs the trials of the stimulus protocol (async-states\n"
         "spec §5) and the mean field integrates the same stimulus.  Measures (CSV columns net_NAME, net_NAME_sem,\n"
         "mf_NAME, mf_lin_NAME):\n"
         "  peak (Hz), latency (ms), area (Hz·s), gain (s), snr, ringing, reliability (network only).\n"
         "Other columns: trials, net_baseline and net_spont_sd (Hz), mf_class (UD, OD, unstable, none), mf_outcome\n"
         "(returns, runaway, quenched, none), mf_nu_E and mf_spont_sd (Hz), the transfer spectrum mf_H0,\n"
         "mf_H_peak (Hz per Hz), mf_H_peak_freq (Hz) and mf_H_at_freq (sine only).\n"
         "Exit codes: 0 success, 2 bad input, 3 simulation failure, 130 interrupted (no file written).");
  g_autoptr (GError) error = NULL;
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    return sw_cli_fail (error);
  if (argc != 2)
    return sw_cli_usage ("respond needs exactly one document or preset:NAME");
  if (sweep_s == NULL)
    return sw_cli_usage ("respond needs --sweep NAME:MIN:MAX:N (e.g. --sweep nu_ext:0.5:25:6)");
  if (trials < 1 || trials > 100000)
    return sw_cli_usage ("--trials must lie in 1..100000");
  if (threads < 0 || threads > 1024)
    return sw_cli_usage ("--threads must lie in 0..1024");

  SwRespProtocol p;
  sw_resp_protocol_default (&p);
  p.n_trials = trials;
  if ((amp_s && !parse_rate (amp_s, "--amplitude", &p.amplitude_hz, &error))
      || (freq_s && !parse_rate (freq_s, "--freq", &p.freq_hz, &error))
      || (dur_s && !sw_cli_parse_time (dur_s, "--duration-stim", &p.duration_ms, &error))
      || (tau1_s && !sw_cli_parse_time (tau1_s, "--tau1", &p.tau1_ms, &error))
      || (tau2_s && !sw_cli_parse_time (tau2_s, "--tau2", &p.tau2_ms, &error))
      || (warmup_s && !sw_cli_parse_time (warmup_s, "--warmup", &p.warmup_ms, &error)))
    return sw_cli_fail (error);
  if (!(p.amplitude_hz >= 0))
    return sw_cli_usage ("--amplitude must be a rate >= 0 Hz");
  if (wave_s != NULL)
    {
      int w = sw_waveform_kind_from_name (wave_s);
      if (w != SW_WAVE_PULSE && w != SW_WAVE_DOUBLE_GAUSSIAN && w != SW_WAVE_SINE)
        {
          g_autofree char *msg = g_strdup_printf ("--waveform '%s': expected pulse, double_gaussian or sine", wave_s);
          return sw_cli_usage (msg);
        }
      p.waveform = (SwWaveKind) w;
    }
  if (onto_s != NULL)
    {
      if (g_ascii_strcasecmp (onto_s, "E") == 0)
        p.onto = SW_RESP_ONTO_E;
      else if (g_ascii_strcasecmp (onto_s, "EI") == 0 || g_ascii_strcasecmp (onto_s, "E+I") == 0)
        p.onto = SW_RESP_ONTO_EI;
      else
        {
          g_autofree char *msg = g_strdup_printf ("--onto '%s': expected E or EI", onto_s);
          return sw_cli_usage (msg);
        }
    }
  SwError err;
  if (sw_resp_protocol_validate (&p, &err) != SW_OK)
    {
      g_printerr ("spikeworks-cli: %s\n", err.text);
      return SW_CLI_EXIT_INPUT;
    }
  g_autoptr (GArray) sel = g_array_new (FALSE, FALSE, sizeof (int));
  if (!parse_measures (measure_s ? measure_s : DEFAULT_MEASURES, sel, &error))
    return sw_cli_fail (error);
  if (figure != NULL)
    {
      SwPlotFormat format;
      if (!sw_plot_format_from_path (figure, &format))
        {
          g_printerr ("spikeworks-cli: %s: the figure must end in .png, .svg or .pdf\n", figure);
          return SW_CLI_EXIT_INPUT;
        }
    }

  SwCliAxis sw = { 0 };
  if (!sw_cli_parse_axis (sweep_s, "--sweep", "nu_ext:0.5:25:6", MAX_SWEEP_POINTS, &sw, &error))
    return sw_cli_fail (error);
  int status = SW_CLI_EXIT_OK;
  Point *pts = g_new0 (Point, sw.n);
  g_autofree char *mf_missing = NULL;
  g_autoptr (SwDocument) doc = sw_cli_load_with_sets (argv[1], sets, &error);
  if (doc == NULL)
    {
      status = sw_cli_fail (error);
      goto out;
    }
  const char *coeff_name = coeffs ? coeffs : DEFAULT_COEFFS;

  /* Check every value before running anything. */
  for (int k = 0; k < sw.n; k++)
    {
      Point *pt = &pts[k];
      pt->x = sw_mf_grid_axis_value (sw.min, sw.max, sw.n, k);
      if (!set_number (doc, sw.name, pt->x, &error) || (pt->spec = sw_document_build_spec (doc, &error)) == NULL)
        {
          status = sw_cli_fail (error);
          goto out;
        }
      if (seed >= 0)
        pt->spec->seed = (uint64_t) seed;
      SwNetSpec *probe = sw_net_spec_copy (pt->spec);
      SwStatus st = probe ? sw_resp_add_stimulus (probe, &p, NULL, &err) : SW_ERR_NOMEM;
      if (st == SW_OK)
        st = sw_net_spec_validate (probe, &err);
      sw_net_spec_free (probe);
      if (st != SW_OK)
        {
          g_printerr ("spikeworks-cli: %s: %s\n", argv[1], st == SW_ERR_NOMEM ? "out of memory" : err.text);
          status = st == SW_ERR_NOMEM ? SW_CLI_EXIT_SIMULATION : SW_CLI_EXIT_INPUT;
          goto out;
        }
      memset (&pt->cfg, 0, sizeof pt->cfg);
      if (mf_missing == NULL && sw_mf_config_from_spec (pt->spec, &pt->cfg, &err) == SW_OK)
        {
          if (!sw_cli_apply_coeffs (&pt->cfg, coeff_name, &error))
            {
              status = sw_cli_fail (error);
              goto out;
            }
          if (sw_mf_config_validate (&pt->cfg, &err) != SW_OK)
            {
              g_printerr ("spikeworks-cli: %s: %s\n", argv[1], err.text);
              status = SW_CLI_EXIT_INPUT;
              goto out;
            }
          pt->has_mf = TRUE;
        }
      else if (mf_missing == NULL)
        mf_missing = g_strdup (err.text);
    }
  if (mf_missing != NULL)
    {
      g_printerr ("spikeworks-cli: %s: no mean field for this network (%s); the mean-field columns stay empty\n",
                  argv[1], mf_missing);
      for (int k = 0; k < sw.n; k++)
        pts[k].has_mf = FALSE;
    }

  /* Run. */
  const gboolean tty = sw_cli_mpi_rank () == 0 && isatty (fileno (stderr));
  struct sigaction sa = { 0 }, old_sa;
  sa.sa_handler = on_sigint;
  sigaction (SIGINT, &sa, &old_sa);
  Progress pr = { .sweep = &sw, .start = g_get_monotonic_time () };
  for (int k = 0; k < sw.n && status == SW_CLI_EXIT_OK; k++)
    {
      Point *pt = &pts[k];
      /* Under MPI each rank runs its share of the values. */
      if (!sw_cli_mpi_owns (k))
        continue;
      if (pt->has_mf && sw_resp_run_mf (&pt->cfg, &p, &pt->mf, &err) != SW_OK)
        {
          g_printerr ("%sspikeworks-cli: %s: %s = %g: mean field: %s\n", tty ? "\r\033[K" : "", argv[1], sw.name,
                      pt->x, err.text);
          status = SW_CLI_EXIT_SIMULATION;
          break;
        }
      pr.point = k;
      pr.x = pt->x;
      pr.last = 0;
      SwStatus st = sw_resp_run_network (pt->spec, &p, threads, 0, &cancel_requested, tty ? on_progress : NULL, &pr,
                                         &pt->net, &err);
      if (st == SW_ERR_CANCELLED || atomic_load (&cancel_requested))
        {
          g_printerr ("%sspikeworks-cli: interrupted at %s = %g; no output written\n", tty ? "\r\033[K" : "\n",
                      sw.name, pt->x);
          status = 130;
          break;
        }
      if (st != SW_OK)
        {
          g_printerr ("%sspikeworks-cli: %s: %s = %g: %s: %s\n", tty ? "\r\033[K" : "", argv[1], sw.name, pt->x,
                      sw_status_message (st), err.text);
          status = st == SW_ERR_MEMORY_LIMIT || st == SW_ERR_INVALID ? SW_CLI_EXIT_INPUT : SW_CLI_EXIT_SIMULATION;
          break;
        }
      const int pk = sw_resp_measure_find ("peak"), ar = sw_resp_measure_find ("area");
      const SwRespMfResult *mf = pt->mf;
      g_autofree char *mf_text = mf == NULL ? g_strdup ("")
                                 : mf->outcome == SW_RESP_MF_RETURNS
                                   ? g_strdup_printf ("; mean field %.2f Hz, %.3f Hz·s (%s)", mf->value[pk],
                                                      mf->value[ar], sw_mf_class_name (mf->cls))
                                   : g_strdup_printf ("; mean field: %s (%s)", sw_resp_mf_outcome_name (mf->outcome),
                                                      sw_mf_class_name (mf->cls));
      g_printerr ("%s%s = %g: network R_peak %.2f ± %.2f Hz, R_area %.3f ± %.3f Hz·s (baseline %.2f Hz, %d trials, "
                  "%.1f s)%s\n",
                  tty ? "\r\033[K" : "", sw.name, pt->x, pt->net->value[pk], pt->net->sem[pk], pt->net->value[ar],
                  pt->net->sem[ar], pt->net->baseline_hz, pt->net->n_trials, pt->net->seconds, mf_text);
    }
  sigaction (SIGINT, &old_sa, NULL);
  status = sw_cli_mpi_agree (status);
  if (status == SW_CLI_EXIT_OK && sw_cli_mpi_size () > 1)
    status = gather_points (pts, sw.n);
  if (status != SW_CLI_EXIT_OK || sw_cli_mpi_rank () != 0)
    goto out;

  /* Outputs: complete files or none. */
  if (csv != NULL || figure == NULL)
    {
      g_autofree char *text = csv_text (&sw, pts, sw.n);
      if (csv == NULL || g_strcmp0 (csv, "-") == 0)
        fputs (text, stdout);
      else if (!g_file_set_contents_full (csv, text, -1, G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                          0644, &error))
        {
          status = sw_cli_fail (error);
          goto out;
        }
    }
  if (figure != NULL && !respond_figure (figure, doc, &sw, pts, sel, &p, coeff_name, &error))
    {
      status = sw_cli_fail (error);
      goto out;
    }

out:
  points_free (pts, sw.n);
  g_free (sw.name);
  return status;
}
