/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Colour maps and palettes.  Viridis and magma are evaluated from the
 * published degree-6 polynomial fits of matplotlib's tables (Matt Zucker,
 * CC0, "WlfXRN"), nudged by a linear term so that both ends are exactly
 * matplotlib's first and last entries.  The fits stay within about 0.01 of
 * the tables everywhere and keep their lightness strictly increasing, which
 * tests/plot/test-colormap.c checks.
 */
#include "sw-colormap.h"

#include <math.h>

typedef struct
{
  double c[7][3];      /* c0..c6 for r, g, b: c0 + t (c1 + t (c2 + ...)) */
  double first[3];     /* matplotlib's entry 0 */
  double last[3];      /* matplotlib's entry 255 */
} Poly;

static const Poly viridis = {
  {
    { 0.2777273272234177, 0.005407344544966578, 0.3340998053353061 },
    { 0.1050930431085774, 1.404613529898575, 1.384590162594685 },
    { -0.3308618287255563, 0.214847559468213, 0.09509516302823659 },
    { -4.634230498983486, -5.799100973351585, -19.33244095627987 },
    { 6.228269936347081, 14.17993336680509, 56.69055260068105 },
    { 4.776384997670288, -13.74514537774601, -65.35303263337234 },
    { -5.435455855934631, 4.645852612178535, 26.3124352495832 },
  },
  { 0.267004, 0.004874, 0.329415 },
  { 0.993248, 0.906157, 0.143936 },
};

static const Poly magma = {
  {
    { -0.002136485053939582, -0.000749655052795221, -0.005386127855323933 },
    { 0.2516605407371642, 0.6775232436837668, 2.494026599312351 },
    { 8.353717279216625, -3.577719514958484, 0.3144679030132573 },
    { -27.66873308576866, 14.26473078096533, -13.64921318813922 },
    { 52.17613981234068, -27.94360607168351, 12.94416944238394 },
    { -50.76852536473588, 29.04658282127291, 4.23415299384598 },
    { 18.65570506591883, -11.48977351997711, -5.601961508734096 },
  },
  { 0.001462, 0.000466, 0.013866 },
  { 0.987053, 0.991438, 0.749504 },
};

/* The grey ramp runs from L* = 20 to L* = 98 so that its dark end still
 * differs from black text and its light end from a white background. */
#define GREY_L_MIN 20.0
#define GREY_L_MAX 98.0

static double
clamp01 (double v)
{
  return v < 0.0 ? 0.0 : v > 1.0 ? 1.0 : v;
}

static double
poly_channel (const Poly *p, int ch, double t)
{
  double v = p->c[6][ch];

  for (int k = 5; k >= 0; k--)
    v = p->c[k][ch] + t * v;
  return v;
}

static SwRgba
poly_eval (const Poly *p, double t)
{
  double out[3];

  for (int ch = 0; ch < 3; ch++)
    {
      double at0 = poly_channel (p, ch, 0.0);
      double at1 = poly_channel (p, ch, 1.0);
      double v = poly_channel (p, ch, t);

      /* The endpoint correction: zero error at t = 0 and t = 1. */
      v += (1.0 - t) * (p->first[ch] - at0) + t * (p->last[ch] - at1);
      out[ch] = clamp01 (v);
    }
  return (SwRgba) { out[0], out[1], out[2], 1.0 };
}

/* Inverse of the sRGB transfer function's linearisation. */
static double
srgb_encode (double lin)
{
  if (lin <= 0.0031308)
    return 12.92 * lin;
  return 1.055 * pow (lin, 1.0 / 2.4) - 0.055;
}

static double
srgb_decode (double v)
{
  if (v <= 0.04045)
    return v / 12.92;
  return pow ((v + 0.055) / 1.055, 2.4);
}

/* A neutral grey of lightness @l (CIE L*). */
static SwRgba
grey_of_lightness (double l)
{
  double fy = (l + 16.0) / 116.0;
  double y = l > 8.0 ? fy * fy * fy : l / 903.2962962962963;
  double v = srgb_encode (y);

  return (SwRgba) { v, v, v, 1.0 };
}

SwRgba
sw_colormap_eval (SwColormap map, double t)
{
  if (isnan (t))
    return sw_colormap_nan_colour ();
  t = clamp01 (t);
  switch (map)
    {
    case SW_COLORMAP_MAGMA:
      return poly_eval (&magma, t);
    case SW_COLORMAP_GREYS:
      return grey_of_lightness (GREY_L_MIN + t * (GREY_L_MAX - GREY_L_MIN));
    case SW_COLORMAP_VIRIDIS:
    case SW_N_COLORMAPS:
    default:
      return poly_eval (&viridis, t);
    }
}

SwRgba
sw_colormap_nan_colour (void)
{
  /* Mid grey (L* about 62): lighter than viridis' dark end, darker than its
   * yellow end, and without hue, so a missing cell never reads as data. */
  return sw_rgba_from_hex (0x999999);
}

const char *
sw_colormap_name (SwColormap map)
{
  switch (map)
    {
    case SW_COLORMAP_VIRIDIS:
      return "viridis";
    case SW_COLORMAP_MAGMA:
      return "magma";
    case SW_COLORMAP_GREYS:
      return "greys";
    case SW_N_COLORMAPS:
    default:
      return NULL;
    }
}

SwRgba
sw_palette_okabe_ito (size_t i)
{
  static const unsigned int hex[8] = {
    0x000000,  /* black */
    0xE69F00,  /* orange */
    0x56B4E9,  /* sky blue */
    0x009E73,  /* bluish green */
    0xF0E442,  /* yellow */
    0x0072B2,  /* blue */
    0xD55E00,  /* vermillion */
    0xCC79A7,  /* reddish purple */
  };

  return sw_rgba_from_hex (hex[i % 8]);
}

double
sw_rgba_lightness (SwRgba c)
{
  /* Relative luminance Y (Rec. 709 primaries, D65), then L*. */
  double y = 0.2126 * srgb_decode (clamp01 (c.r))
           + 0.7152 * srgb_decode (clamp01 (c.g))
           + 0.0722 * srgb_decode (clamp01 (c.b));

  if (y > 216.0 / 24389.0)
    return 116.0 * cbrt (y) - 16.0;
  return 903.2962962962963 * y;
}

SwRgba
sw_rgba_from_hex (unsigned int rgb)
{
  return (SwRgba) {
    ((rgb >> 16) & 0xff) / 255.0,
    ((rgb >> 8) & 0xff) / 255.0,
    (rgb & 0xff) / 255.0,
    1.0,
  };
}
