/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The message table of the plotting library's status codes, and the helper
 * that fills an SwPlotError.
 */
#include "sw-plot-private.h"

#include <stdarg.h>
#include <stdio.h>

static const char *const messages[SW_PLOT_N_STATUS] = {
  [SW_PLOT_OK] = "success",
  [SW_PLOT_ERR_INVALID] = "invalid argument",
  [SW_PLOT_ERR_NOMEM] = "out of memory",
  [SW_PLOT_ERR_FORMAT] = "unknown file format",
  [SW_PLOT_ERR_IO] = "input/output error",
  [SW_PLOT_ERR_CAIRO] = "drawing failed",
};

const char *
sw_plot_status_message (SwPlotStatus status)
{
  if ((int) status < 0 || status >= SW_PLOT_N_STATUS)
    return "unknown status";
  return messages[status];
}

SwPlotStatus
sw_plot_error_set (SwPlotError *err, SwPlotStatus status, const char *fmt, ...)
{
  if (err != NULL)
    {
      va_list ap;

      err->status = status;
      va_start (ap, fmt);
      vsnprintf (err->text, sizeof err->text, fmt, ap);
      va_end (ap);
    }
  return status;
}
