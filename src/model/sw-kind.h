/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The kind of a .swk document, read before the document itself: a network
 * of point neurons (the default, "kind" absent or "network"), multicompartment
 * cells ("cells") or neural masses ("mass").  Each kind has its own loader;
 * the programs look at the kind first and hand the document to the right one.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SW_DOC_KIND_NETWORK,
  SW_DOC_KIND_CELLS,
  SW_DOC_KIND_MASS,
} SwDocKind;

/* "network", "cells", "mass". */
const char *sw_doc_kind_to_string (SwDocKind kind);

/* Reads the "kind" field of the JSON text @data (@length -1: NUL-terminated).
 * Text that is not a JSON object is reported as a network document, so that
 * the network loader gives its detailed message; an unknown kind is an
 * SW_DOCUMENT_ERROR that names @location and lists the kinds. */
gboolean sw_doc_kind_from_data (const char *data, gssize length, const char *location,
                                SwDocKind *kind, GError **error);

/* The same for a file or "preset:NAME"; a file that cannot be read counts
 * as a network document (the network loader then says what is wrong). */
gboolean sw_doc_kind_peek (const char *location, SwDocKind *kind, GError **error);

G_END_DECLS
