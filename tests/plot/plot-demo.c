/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writes one figure of each kind the plotting library draws into the folder
 * given on the command line, so that a person can look at them: line plots
 * with markers and s.e.m. bands, log axes, a heat map with NaN cells, a
 * contour and a crosshair, a categorical phase diagram with its boundary,
 * a two-population raster over population rates, the same line plot in the
 * dark, high-contrast and presentation themes, an empty panel, and SVG and
 * PDF copies.  The data are made up from formulas and a fixed-seed
 * generator.  Built, not installed.
 *
 * Usage: plot-demo FOLDER
 */
#include "sw-plot.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PI 3.14159265358979323846

/* splitmix64, so that every run draws the same data. */
static uint64_t rng_state = 0x5eed;

static double
uniform (void)
{
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  return (double) (z >> 11) / 9007199254740992.0;
}

static double
normal (void)
{
  double u = uniform (), v = uniform ();

  return sqrt (-2.0 * log (u + 1e-300)) * cos (2.0 * PI * v);
}

static int failures;

static void
save (SwFigure *fig, const char *dir, const char *name, double w, double h)
{
  char path[4096];
  SwPlotError err;

  snprintf (path, sizeof path, "%s/%s", dir, name);
  if (sw_figure_save (fig, path, w, h, &err) != SW_PLOT_OK)
    {
      fprintf (stderr, "plot-demo: %s\n", err.text);
      failures++;
      return;
    }
  printf ("%s\n", path);
}

/* f–I curves of three neuron models, mean ± s.e.m. over trials, plus
 * the measured points of one of them. */
static void
fill_fi (SwPanel *p)
{
  enum { N = 31 };
  double I[N], mean[N], sem[N];
  const char *names[] = { "LIF", "AdEx (b = 0)", "AdEx (b = 60 pA)" };
  const double gain[] = { 95.0, 80.0, 55.0 };

  for (int m = 0; m < 3; m++)
    {
      for (int i = 0; i < N; i++)
        {
          double x = i * 0.02;
          double drive = x - 0.12 - 0.03 * m;

          I[i] = x;
          mean[i] = drive > 0 ? gain[m] * sqrt (drive) * (1.0 - 0.3 * drive) : 0.0;
          sem[i] = 1.5 + 0.06 * mean[i];
        }
      sw_panel_add_mean_sem (p, I, mean, sem, N, names[m], NULL, NULL);
    }
  {
    double xs[8], ys[8];

    for (int i = 0; i < 8; i++)
      {
        xs[i] = 0.15 + i * 0.06;
        ys[i] = 95.0 * sqrt (xs[i] - 0.12) * (1.0 - 0.3 * (xs[i] - 0.12)) + 4.0 * normal ();
      }
    sw_panel_add_points (p, xs, ys, 8, "LIF, measured", NULL, NULL);
  }
  sw_panel_set_title (p, "f–I curves");
  sw_panel_set_x_label (p, "Input current", "nA");
  sw_panel_set_y_label (p, "Firing rate", "Hz");
}

static void
demo_lines (const char *dir)
{
  SwFigure *fig = sw_figure_new (1, 1);
  SwPlotTheme theme;

  fill_fi (sw_figure_panel (fig, 0, 0));
  save (fig, dir, "lines.png", 640, 440);
  save (fig, dir, "lines.svg", 480, 330);
  save (fig, dir, "lines.pdf", 480, 330);

  sw_plot_theme_init (&theme, SW_PLOT_THEME_DARK);
  sw_figure_set_theme (fig, &theme);
  save (fig, dir, "lines-dark.png", 640, 440);

  sw_plot_theme_init (&theme, SW_PLOT_THEME_HIGH_CONTRAST);
  sw_figure_set_theme (fig, &theme);
  save (fig, dir, "lines-high-contrast.png", 640, 440);

  sw_plot_theme_init (&theme, SW_PLOT_THEME_LIGHT);
  theme.scale = SW_PLOT_PRESENTATION_SCALE;
  sw_figure_set_theme (fig, &theme);
  save (fig, dir, "lines-presentation.png", 1024, 700);
  sw_figure_free (fig);
}

/* Styled lines: explicit colours, dashes and markers, a gap (NaN), and a
 * legend that has to leave the plot because data fill every corner. */
static void
demo_styles (const char *dir)
{
  enum { N = 200 };
  SwFigure *fig = sw_figure_new (1, 1);
  SwPanel *p = sw_figure_panel (fig, 0, 0);
  double t[N], v[N], w[N], u[N];
  SwStyle dashed = { .dash = SW_DASH_DASHED };
  SwStyle dotted = { .dash = SW_DASH_DOTTED, .colour = sw_palette_okabe_ito (0) };
  SwStyle marked = { .marker = SW_MARKER_SQUARE, .open_marker = true };

  for (int i = 0; i < N; i++)
    {
      t[i] = i * 0.5;
      v[i] = -65.0 + 10.0 * sin (t[i] / 8.0) + 2.0 * normal ();
      w[i] = -60.0 + 12.0 * cos (t[i] / 11.0);
      u[i] = -70.0 + 0.1 * t[i];
    }
  /* A stretch of missing samples in v. */
  for (int i = 90; i < 100; i++)
    v[i] = NAN;
  sw_panel_add_line (p, t, v, N, "V (soma)", NULL, NULL);
  sw_panel_add_line (p, t, w, N, "V (dendrite)", &dashed, NULL);
  sw_panel_add_line (p, t, u, N, "Threshold drift", &dotted, NULL);
  {
    double xs[10], ys[10];

    for (int i = 0; i < 10; i++)
      {
        xs[i] = 5.0 + i * 10.0;
        ys[i] = -52.0 - 0.5 * i;
      }
    sw_panel_add_line (p, xs, ys, 10, "Spike threshold", &marked, NULL);
  }
  sw_panel_add_marker (p, 45.0, -52.0 - 2.0, "first spike, 45 ms", NULL);
  sw_panel_set_title (p, "Membrane potential");
  sw_panel_set_x_label (p, "Time", "ms");
  sw_panel_set_y_label (p, "Potential", "mV");
  save (fig, dir, "styles.png", 640, 420);
  sw_figure_free (fig);
}

static void
demo_log (const char *dir)
{
  enum { N = 120 };
  SwFigure *fig = sw_figure_new (1, 2);
  SwPanel *a = sw_figure_panel (fig, 0, 0);
  SwPanel *b = sw_figure_panel (fig, 0, 1);
  double f[N], psd[N], psd2[N];

  for (int i = 0; i < N; i++)
    {
      f[i] = pow (10.0, -0.5 + 3.0 * i / (N - 1.0));
      psd[i] = 1e3 / (1.0 + pow (f[i] / 20.0, 2)) * exp (0.15 * normal ());
      psd2[i] = 2e2 / (1.0 + f[i] / 5.0) + 30.0 * exp (-pow ((f[i] - 40) / 6.0, 2));
    }
  sw_panel_add_line (a, f, psd, N, "asynchronous", NULL, NULL);
  sw_panel_add_line (a, f, psd2, N, "gamma rhythm", NULL, NULL);
  sw_panel_set_x_log (a, true);
  sw_panel_set_y_log (a, true);
  sw_panel_set_title (a, "Rate spectrum");
  sw_panel_set_x_label (a, "Frequency", "Hz");
  sw_panel_set_y_label (a, "Power", "Hz²/Hz");

  /* A short log range (2 .. 40): 1-2-5 ticks instead of decades. */
  {
    double x[20], y[20];

    for (int i = 0; i < 20; i++)
      {
        x[i] = 2.0 + 2.0 * i;
        y[i] = 0.003 * pow (x[i], 1.5);
      }
    sw_panel_add_points (b, x, y, 20, "CV²·10⁻³", NULL, NULL);
    sw_panel_set_x_log (b, true);
    sw_panel_set_x_label (b, "Group size", NULL);
    sw_panel_set_y_label (b, "Synchrony χ", NULL);
    sw_panel_set_title (b, "Short log range");
  }
  save (fig, dir, "log.png", 900, 400);
  sw_figure_free (fig);
}

static void
demo_heatmap (const char *dir)
{
  enum { NX = 40, NY = 30 };
  SwFigure *fig = sw_figure_new (1, 1);
  SwPanel *p = sw_figure_panel (fig, 0, 0);
  static double v[NX * NY];

  for (int j = 0; j < NY; j++)
    for (int i = 0; i < NX; i++)
      {
        double g = 1.0 + 7.0 * (i + 0.5) / NX;        /* 1 .. 8 */
        double nu = 5.0 + 25.0 * (j + 0.5) / NY;      /* 5 .. 30 Hz */
        double r = nu * 1.6 * exp (-0.35 * g) + 2.0 * exp (-pow (g - 4.0, 2)) * nu / 10;

        v[j * NX + i] = r;
      }
  /* A block of failed runs. */
  for (int j = 24; j < 28; j++)
    for (int i = 4; i < 9; i++)
      v[j * NX + i] = NAN;
  sw_panel_add_heatmap (p, v, NX, NY, 1.0, 8.0, 5.0, 30.0, SW_COLORMAP_VIRIDIS,
                        "Excitatory rate", "Hz", NULL);
  sw_panel_add_contour_level (p, v, NX, NY, 1.0, 8.0, 5.0, 30.0, 10.0,
                              "rate = 10 Hz", NULL, NULL);
  sw_panel_add_marker (p, 5.0, 20.0, "g = 5, ν = 20 Hz", NULL);
  sw_panel_set_title (p, "Rate over the (g, ν) plane");
  sw_panel_set_x_label (p, "Relative inhibition g", NULL);
  sw_panel_set_y_label (p, "External rate ν", "Hz");
  save (fig, dir, "heatmap.png", 640, 480);
  save (fig, dir, "heatmap.pdf", 480, 360);
  sw_figure_free (fig);
}

static void
demo_categories (const char *dir)
{
  enum { NX = 60, NY = 45 };
  SwFigure *fig = sw_figure_new (1, 1);
  SwPanel *p = sw_figure_panel (fig, 0, 0);
  static int classes[NX * NY];
  static double boundary_field[NX * NY];
  const char *names[] = { "UD (up–down)", "OD (oscillatory)", "Unstable", "None" };
  const SwRgba colours[] = {
    sw_palette_okabe_ito (5), sw_palette_okabe_ito (1), sw_palette_okabe_ito (7),
    sw_rgba_from_hex (0xE8E8E8),
  };

  for (int j = 0; j < NY; j++)
    for (int i = 0; i < NX; i++)
      {
        double b = 0.0 + 100.0 * (i + 0.5) / NX;     /* adaptation b, pA */
        double nu = 0.0 + 8.0 * (j + 0.5) / NY;      /* drive, Hz */
        int c;

        if (nu < 1.0 + 0.01 * b)
          c = 3;
        else if (nu > 6.5 - 0.02 * b)
          c = 2;
        else if (b > 30.0 + 4.0 * nu)
          c = 0;
        else
          c = 1;
        classes[j * NX + i] = c;
        boundary_field[j * NX + i] = b - (30.0 + 4.0 * nu);
      }
  /* A few cells that were never simulated: drawn in the neutral grey. */
  for (int i = 20; i < 24; i++)
    classes[10 * NX + i] = -1;
  sw_panel_add_categories (p, classes, NX, NY, 0.0, 100.0, 0.0, 8.0, names,
                           colours, 4, NULL);
  sw_panel_add_contour_level (p, boundary_field, NX, NY, 0.0, 100.0, 0.0, 8.0,
                              0.0, "UD/OD boundary", &(SwStyle) { .dash = SW_DASH_DASHED },
                              NULL);
  sw_panel_add_marker (p, 60.0, 3.0, "preset destexhe-adex", NULL);
  sw_panel_set_title (p, "Phase diagram");
  sw_panel_set_x_label (p, "Adaptation b", "pA");
  sw_panel_set_y_label (p, "Drive ν", "Hz");
  save (fig, dir, "categories.png", 680, 460);
  sw_figure_free (fig);
}

static void
demo_raster (const char *dir)
{
  enum { NE = 80, NI = 20, T_MS = 1000 };
  SwFigure *fig = sw_figure_new (2, 1);
  SwPanel *r = sw_figure_panel (fig, 0, 0);
  SwPanel *rate = sw_figure_panel (fig, 1, 0);
  double *te = malloc (200000 * sizeof *te), *ti = malloc (200000 * sizeof *ti);
  int *ie = malloc (200000 * sizeof *ie), *ii = malloc (200000 * sizeof *ii);
  size_t ne = 0, ni = 0;
  double bins_t[100], re[100] = { 0 }, ri[100] = { 0 };

  /* Poisson-like spikes modulated by a slow up–down rhythm. */
  for (int ms = 0; ms < T_MS; ms++)
    {
      double up = sin (2 * PI * ms / 400.0) > -0.2 ? 1.0 : 0.1;

      for (int n = 0; n < NE; n++)
        if (uniform () < 0.008 * up)
          {
            te[ne] = ms + uniform ();
            ie[ne++] = n;
            re[ms / 10] += 1.0 / (NE * 0.01);
          }
      for (int n = 0; n < NI; n++)
        if (uniform () < 0.025 * up)
          {
            ti[ni] = ms + uniform ();
            ii[ni++] = NE + n;
            ri[ms / 10] += 1.0 / (NI * 0.01);
          }
    }
  for (int k = 0; k < 100; k++)
    bins_t[k] = k * 10.0 + 5.0;
  sw_panel_add_raster (r, te, ie, ne, "E (RS)", NULL, NULL);
  sw_panel_add_raster (r, ti, ii, ni, "I (FS)", NULL, NULL);
  sw_panel_set_x_limits (r, 0, T_MS);
  sw_panel_set_title (r, "Spike raster");
  sw_panel_set_x_label (r, "Time", "ms");
  sw_panel_set_y_label (r, "Neuron", NULL);

  sw_panel_add_line (rate, bins_t, re, 100, "E", NULL, NULL);
  sw_panel_add_line (rate, bins_t, ri, 100, "I", NULL, NULL);
  sw_panel_set_x_limits (rate, 0, T_MS);
  sw_panel_set_title (rate, "Population rates");
  sw_panel_set_x_label (rate, "Time", "ms");
  sw_panel_set_y_label (rate, "Rate", "Hz");
  sw_figure_set_title (fig, "Two-population network, 1 s");
  save (fig, dir, "raster.png", 720, 620);
  save (fig, dir, "raster.svg", 540, 460);
  {
    char text[1024];

    sw_figure_describe (fig, text, sizeof text);
    printf ("describe: %s\n", text);
  }
  sw_figure_free (fig);
  free (te);
  free (ti);
  free (ie);
  free (ii);
}

/* What a reader sees of an empty panel, and of data that is nothing but
 * NaN: axes, labels, no crash. */
static void
demo_empty (const char *dir)
{
  SwFigure *fig = sw_figure_new (1, 2);
  SwPanel *a = sw_figure_panel (fig, 0, 0);
  SwPanel *b = sw_figure_panel (fig, 0, 1);
  double nan4[4] = { NAN, NAN, NAN, NAN };

  sw_panel_set_title (a, "No data yet");
  sw_panel_set_x_label (a, "Time", "s");
  sw_panel_set_y_label (a, "Rate", "Hz");
  sw_panel_add_heatmap (b, nan4, 2, 2, 0, 1, 0, 1, SW_COLORMAP_MAGMA, "Rate", "Hz", NULL);
  sw_panel_set_title (b, "All cells NaN");
  save (fig, dir, "empty.png", 640, 300);
  sw_figure_free (fig);
}

/* Big numbers, small numbers and negative ranges on the axes. */
static void
demo_numbers (const char *dir)
{
  SwFigure *fig = sw_figure_new (2, 2);
  double x[50], y[50];

  for (int i = 0; i < 50; i++)
    {
      x[i] = i * 4000.0;
      y[i] = 1e-5 * sin (i / 5.0);
    }
  sw_panel_add_line (sw_figure_panel (fig, 0, 0), x, y, 50, NULL, NULL, NULL);
  sw_panel_set_title (sw_figure_panel (fig, 0, 0), "Large x, tiny y");
  sw_panel_set_x_label (sw_figure_panel (fig, 0, 0), "Synapses", NULL);
  sw_panel_set_y_label (sw_figure_panel (fig, 0, 0), "Current", "A");
  for (int i = 0; i < 50; i++)
    {
      x[i] = -80.0 + i * 0.8;
      y[i] = 1.0 / (1.0 + exp (-(x[i] + 55.0) / 4.0));
    }
  sw_panel_add_line (sw_figure_panel (fig, 0, 1), x, y, 50, NULL, NULL, NULL);
  sw_panel_set_title (sw_figure_panel (fig, 0, 1), "Negative x");
  sw_panel_set_x_label (sw_figure_panel (fig, 0, 1), "Membrane potential", "mV");
  sw_panel_set_y_label (sw_figure_panel (fig, 0, 1), "Open probability", NULL);
  for (int i = 0; i < 50; i++)
    {
      x[i] = pow (10.0, -6.0 + 12.0 * i / 49.0);
      y[i] = 1.0 / (1.0 + x[i]);
    }
  sw_panel_add_line (sw_figure_panel (fig, 1, 0), x, y, 50, NULL, NULL, NULL);
  sw_panel_set_x_log (sw_figure_panel (fig, 1, 0), true);
  sw_panel_set_title (sw_figure_panel (fig, 1, 0), "Twelve decades");
  sw_panel_set_x_label (sw_figure_panel (fig, 1, 0), "Concentration", "M");
  sw_panel_set_y_label (sw_figure_panel (fig, 1, 0), "Fraction", NULL);
  for (int i = 0; i < 50; i++)
    {
      x[i] = i;
      y[i] = 1e6 + 3e5 * sin (i / 7.0);
    }
  sw_panel_add_points (sw_figure_panel (fig, 1, 1), x, y, 50, NULL, NULL, NULL);
  sw_panel_set_title (sw_figure_panel (fig, 1, 1), "Millions on y");
  sw_panel_set_x_label (sw_figure_panel (fig, 1, 1), "Trial", NULL);
  sw_panel_set_y_label (sw_figure_panel (fig, 1, 1), "Spikes", NULL);
  save (fig, dir, "numbers.png", 800, 600);
  sw_figure_free (fig);
}

int
main (int argc, char **argv)
{
  if (argc != 2)
    {
      fprintf (stderr, "usage: %s FOLDER\n", argv[0]);
      return 2;
    }
  demo_lines (argv[1]);
  demo_styles (argv[1]);
  demo_log (argv[1]);
  demo_heatmap (argv[1]);
  demo_categories (argv[1]);
  demo_raster (argv[1]);
  demo_empty (argv[1]);
  demo_numbers (argv[1]);
  return failures == 0 ? 0 : 1;
}
