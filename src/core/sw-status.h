/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Status codes and error details of the simulation core.  Every fallible
 * core function returns an SwStatus; when the caller passes an SwError the
 * function also fills a sentence that names what went wrong (a population,
 * a parameter, a time).  One table maps each code to a short message.
 */
#pragma once

#include <stddef.h>

typedef enum
{
  SW_OK = 0,
  SW_ERR_INVALID,       /* a bad argument or parameter value */
  SW_ERR_NOT_FOUND,     /* an unknown name (population, parameter, variable) */
  SW_ERR_NOMEM,         /* an allocation failed */
  SW_ERR_MEMORY_LIMIT,  /* the network's estimated memory is above the limit */
  SW_ERR_BLOWUP,        /* the state became NaN/Inf or rates ran away */
  SW_ERR_STRUCTURAL,    /* the change needs the network to be rebuilt */
  SW_ERR_CANCELLED,     /* the caller asked the work to stop */
  SW_N_STATUS
} SwStatus;

typedef struct
{
  char text[512];
} SwError;

/* A short, constant description of @status ("numerical blow-up", ...). */
const char *sw_status_message (SwStatus status);

/* Fills @err (when non-NULL) with a printf-style message; returns @status so
 * that callers can write `return sw_error_set (err, SW_ERR_INVALID, ...)`. */
SwStatus sw_error_set (SwError *err, SwStatus status, const char *fmt, ...)
  __attribute__ ((format (printf, 3, 4)));
