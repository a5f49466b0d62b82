/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parameter metadata.  Every model parameter and state variable of the core
 * is described once, here in the core, by name, canonical unit, default,
 * allowed range and a one-line description.  The document loader validates
 * with it, the CLI lists it and the workbench builds its property panels and
 * sliders from it.
 */
#pragma once

#include <stdbool.h>

typedef enum
{
  SW_PARAM_NONE = 0,
  SW_PARAM_STRUCTURAL = 1 << 0,  /* changing it rebuilds the network */
  SW_PARAM_INTEGER = 1 << 1,     /* only whole numbers make sense */
} SwParamFlags;

typedef struct
{
  const char *name;         /* identifier in documents, e.g. "tau_m" */
  const char *unit;         /* canonical unit: "ms", "mV", "nS", "pF", "pA", "Hz", "" */
  double default_value;     /* in the canonical unit */
  double min, max;          /* allowed range, inclusive, canonical unit */
  const char *description;  /* one line, for tooltips and `--help` */
  unsigned flags;           /* SwParamFlags */
} SwParamInfo;

/* Index of @name in @table (length @n), or -1. */
int sw_param_find (const SwParamInfo *table, int n, const char *name);

/* True when @value lies in the allowed range of @info. */
bool sw_param_in_range (const SwParamInfo *info, double value);
