/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Status codes and error details of the plotting library.  Every fallible
 * function returns an SwPlotStatus (an int; SW_PLOT_OK is 0) and, when the
 * caller passes an SwPlotError, also fills a sentence saying what went wrong
 * ("cannot write “/x/y.png”: Permission denied").  The library is plain C on
 * cairo; callers above it (the workbench) turn these into GErrors.
 */
#pragma once

typedef enum
{
  SW_PLOT_OK = 0,
  SW_PLOT_ERR_INVALID,  /* a bad argument: NULL data with n > 0, an empty grid */
  SW_PLOT_ERR_NOMEM,    /* an allocation failed */
  SW_PLOT_ERR_FORMAT,   /* the file name ends in no known extension */
  SW_PLOT_ERR_IO,       /* the file could not be created or written */
  SW_PLOT_ERR_CAIRO,    /* cairo refused to draw (out of memory, bad size) */
  SW_PLOT_N_STATUS
} SwPlotStatus;

typedef struct
{
  SwPlotStatus status;
  char text[512];
} SwPlotError;

/* A short, constant description of @status ("input/output error", ...). */
const char *sw_plot_status_message (SwPlotStatus status);
