/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SWC morphology import.  An SWC file lists samples "id type x y z radius
 * parent" (µm), one per line, '#' starting a comment.  The tree is cut into
 * unbranched sections at branch points: the soma samples (type 1) form the
 * root section "soma", every other run of samples between branch points
 * becomes one section named by its type ("axon[k]", "dend[k]", "apic[k]",
 * "sec[k]").  A section is a cylinder of the summed path length whose
 * diameter keeps the lateral area of the frusta it replaces (the
 * length-weighted mean diameter).  A one-sample soma is a cylinder of
 * length and diameter 2r.
 *
 * The file is checked before anything is built: a line that is not seven
 * numbers, a duplicate id, a parent that no sample has (an orphan), a
 * cycle, more than one root, a zero or negative radius.  Each error names
 * the file, the line and the sample id.
 */
#pragma once

#include <glib.h>

#include "sw-cable.h"

G_BEGIN_DECLS

#define SW_SWC_ERROR (sw_swc_error_quark ())

typedef enum
{
  SW_SWC_ERROR_READ,      /* the file cannot be read */
  SW_SWC_ERROR_SYNTAX,    /* a line is not "id type x y z radius parent" */
  SW_SWC_ERROR_DUPLICATE, /* two samples with one id */
  SW_SWC_ERROR_ORPHAN,    /* a parent id that no sample has */
  SW_SWC_ERROR_CYCLE,     /* parents that lead in a circle */
  SW_SWC_ERROR_ROOTS,     /* no root or more than one */
  SW_SWC_ERROR_RADIUS,    /* zero or negative radius */
} SwSwcError;

GQuark sw_swc_error_quark (void);

/* Parses SWC text; @display names the file in messages.  Every section gets
 * nseg 1 (apply the d_lambda rule afterwards). */
SwCableMorph *sw_swc_parse (const char *text, gsize length, const char *display, GError **error);

/* Reads and parses the file at @path. */
SwCableMorph *sw_swc_load (const char *path, GError **error);

G_END_DECLS
