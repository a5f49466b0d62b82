/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sw-kind-windows.h"
#include "sw-document.h"


gboolean
sw_mass_window_present (GtkApplication *app, const char *location, GError **error)
{
  g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_FORMAT,
               "%s: this version of the workbench cannot show this kind of model", location);
  return FALSE;
}
