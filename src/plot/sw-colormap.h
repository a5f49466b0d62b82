/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Colours of the plotting library: an RGBA value type, perceptually uniform
 * sequential colour maps for heat maps (viridis, magma, and a grey ramp that
 * is linear in lightness), a colour-blind-safe categorical palette for
 * series and classes (Okabe & Ito), and the CIE lightness used to check
 * that a map reads the same in grey.  Pure functions, thread-safe.
 */
#pragma once

#include <stddef.h>

/* Channels in [0, 1], sRGB, not premultiplied. */
typedef struct
{
  double r, g, b, a;
} SwRgba;

typedef enum
{
  SW_COLORMAP_VIRIDIS = 0,  /* dark blue -> green -> yellow (the default) */
  SW_COLORMAP_MAGMA,        /* black -> purple -> orange -> pale yellow */
  SW_COLORMAP_GREYS,        /* dark grey -> white, linear in CIE L* */
  SW_N_COLORMAPS
} SwColormap;

/* Colour of @map at @t in [0, 1] (clamped); opaque.  NaN gives the neutral
 * grey returned by sw_colormap_nan_colour(), which no map contains.  An
 * unknown @map falls back to viridis. */
SwRgba sw_colormap_eval (SwColormap map, double t);

/* The neutral grey drawn for NaN (missing) cells. */
SwRgba sw_colormap_nan_colour (void);

/* Name of @map ("viridis", ...), or NULL when unknown. */
const char *sw_colormap_name (SwColormap map);

/* Okabe & Ito's eight colours, which stay distinct under the common colour
 * vision deficiencies.  Index 0 is black; @i wraps around modulo 8. */
SwRgba sw_palette_okabe_ito (size_t i);

/* CIE 1976 lightness L* (0 black .. 100 white) of an sRGB colour (D65). */
double sw_rgba_lightness (SwRgba c);

/* Builds an opaque colour from 0xRRGGBB. */
SwRgba sw_rgba_from_hex (unsigned int rgb);
