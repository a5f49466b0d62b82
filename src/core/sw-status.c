/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The table of status messages and the helpers of sw-param.h.
 */
#include "sw-status.h"
#include "sw-param.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const messages[SW_N_STATUS] = {
  [SW_OK] = "success",
  [SW_ERR_INVALID] = "invalid value",
  [SW_ERR_NOT_FOUND] = "unknown name",
  [SW_ERR_NOMEM] = "out of memory",
  [SW_ERR_MEMORY_LIMIT] = "network too large for the memory limit",
  [SW_ERR_BLOWUP] = "numerical blow-up",
  [SW_ERR_STRUCTURAL] = "change needs a rebuild of the network",
  [SW_ERR_CANCELLED] = "cancelled",
};

const char *
sw_status_message (SwStatus status)
{
  if ((int) status < 0 || status >= SW_N_STATUS)
    return "unknown status";
  return messages[status];
}

SwStatus
sw_error_set (SwError *err, SwStatus status, const char *fmt, ...)
{
  if (err != NULL)
    {
      va_list ap;
      va_start (ap, fmt);
      vsnprintf (err->text, sizeof err->text, fmt, ap);
      va_end (ap);
    }
  return status;
}

int
sw_param_find (const SwParamInfo *table, int n, const char *name)
{
  for (int i = 0; i < n; i++)
    if (strcmp (table[i].name, name) == 0)
      return i;
  return -1;
}

bool
sw_param_in_range (const SwParamInfo *info, double value)
{
  if (!isfinite (value))
    return false;
  return value >= info->min && value <= info->max;
}
