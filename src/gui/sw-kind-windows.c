/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sw-kind-windows.h"

#include "sw-kind.h"

gboolean
sw_kind_windows_open (GtkApplication *app, const char *location, gboolean *handled,
                      GError **error)
{
  SwDocKind kind;

  *handled = FALSE;
  if (!sw_doc_kind_peek (location, &kind, error))
    {
      *handled = TRUE;
      return FALSE;
    }
  switch (kind)
    {
    case SW_DOC_KIND_CELLS:
      *handled = TRUE;
      return sw_cells_window_present (app, location, error);
    case SW_DOC_KIND_MASS:
      *handled = TRUE;
      return sw_mass_window_present (app, location, error);
    case SW_DOC_KIND_NETWORK:
    default:
      return TRUE;
    }
}
