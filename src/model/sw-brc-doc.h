/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The "brc" section of a cells document: the BRC network's parameters
 * (sw-brc-params.h), its trial protocol and the size of a search.
 */
#pragma once

#include <glib.h>

#include "sw-brc-net.h"
#include "sw-cells-doc.h"

G_BEGIN_DECLS

/* Reads the "brc" section of @doc into @p, which holds the defaults
 * (sw_brc_params_default()) and keeps what the section leaves out; the
 * section's search size goes to @rounds and @candidates (either may be
 * NULL; unchanged when the section has none).  A missing section, an
 * unknown field or parameter, a value of the wrong unit or out of range is
 * an SW_DOCUMENT_ERROR naming the document and the field. */
gboolean sw_brc_doc_read (SwCellsDoc *doc, SwBrcParams *p, int *rounds, int *candidates,
                          GError **error);

G_END_DECLS
