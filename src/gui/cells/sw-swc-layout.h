/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where the sections of an SWC morphology lie in the plane: each section
 * as a polyline of (x, y) points with their positions along the section
 * (0 at its start, 1 at its end), for drawing a cell as it was traced.
 * The file is cut into sections as the document layer does (sw-swc.h:
 * the soma chain first, then breadth first from it, unbranched runs between
 * branch points); the result is checked against the morphology that was
 * built (section count and lengths), so that a cell is drawn at its x/y
 * only when every compartment can be placed.
 */
#pragma once

#include <gio/gio.h>

#include "sw-cable.h"

G_BEGIN_DECLS

typedef struct
{
  double x, y;   /* µm */
  double s;      /* position along the section, 0 .. 1 */
} SwSwcPoint;

/* A GPtrArray of GArray (SwSwcPoint), one per section of @morph, or NULL
 * (@error) when the file cannot be read or does not match @morph. */
GPtrArray *sw_swc_layout_load (const char *path, const SwCableMorph *morph, GError **error);

G_END_DECLS
