/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parsed form of a document, field by field as written.  Numeric fields
 * keep what the user wrote (a number in the canonical unit, or the text of
 * an expression) so that saving gives the document back; evaluation into a
 * SwNetSpec happens in one pass (sw-document.c) whenever the document
 * changes.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sw-document.h"

G_BEGIN_DECLS

typedef enum
{
  SW_VALUE_UNSET,
  SW_VALUE_NUMBER,   /* a plain JSON number, in the field's canonical unit */
  SW_VALUE_TEXT,     /* a string: a number with a unit or an expression */
} SwValueKind;

typedef struct
{
  SwValueKind kind;
  double number;
  gboolean is_integer;   /* written as a JSON integer, exactly @integer */
  gint64 integer;
  char *text;
} SwValue;

/* A value or a distribution {"dist": ..., ...}. */
typedef struct
{
  gboolean is_dist;      /* FALSE: a constant given as a plain value (in a) */
  SwDistKind kind;
  SwValue a, b;          /* uniform: low, high; normal: mean, sd */
} SwDocDist;

typedef struct
{
  SwWaveKind kind;
  SwValue amplitude, t0, duration, tau1, tau2, freq;
} SwDocWave;

/* A rate or current profile: components, or one value standing for a
 * constant ("rate": "eta*10 Hz"). */
typedef struct
{
  gboolean shorthand;
  SwValue value;         /* shorthand */
  GArray *waves;         /* of SwDocWave */
} SwDocProfile;

typedef struct
{
  char *name;
  SwValue value;
} SwDocParam;

typedef struct
{
  char *name;
  SwDocDist dist;
} SwDocInit;

typedef struct
{
  char *name;
  SwValue value;         /* in unit */
  char *unit;            /* NULL when absent */
  SwValue min, max;
  char *label;
  char *description;
  gboolean shorthand;    /* written as "NAME": VALUE */
} SwDocVariable;

typedef struct
{
  char *name;
  char *description;
  SwPopKind kind;
  char *model;           /* SW_POP_NEURONS */
  SwValue n;
  int inhibitory;        /* -1: not given */
  GPtrArray *params;     /* of SwDocParam */
  GPtrArray *init;       /* of SwDocInit */
  SwDocProfile rate;     /* SW_POP_POISSON */
  GArray *times_neuron;  /* SW_POP_SPIKE_TIMES: of SwValue */
  GArray *times_t;       /* of SwValue */
  gboolean times_columns;/* written as {"neuron": [...], "t": [...]} */
} SwDocPop;

typedef struct
{
  char *name;            /* NULL: not given */
  char *auto_name;       /* the name used: @name, or "PRE_POST" */
  char *description;
  char *pre, *post;
  char *receptor;        /* NULL: by the pre population */
  SwConnRule rule;
  SwValue p, k;
  int autapses;          /* -1: not given */
  int multapses;         /* -1: not given */
  SwDocDist weight;
  SwDocDist delay;
} SwDocProj;

typedef struct
{
  char *name;            /* NULL: not given */
  char *auto_name;       /* the name used: @name, or "TYPE_TARGET" */
  char *description;
  SwStimKind kind;
  char *target;
  SwValue first, count, n_sources, weight;
  char *receptor;
  SwDocProfile profile;  /* "rate" (Poisson) or "profile" (current) */
} SwDocStim;

typedef struct
{
  SwValue dt, duration, warmup, seed, threads, max_rate;
} SwDocSim;

struct _SwDocument
{
  char *display_name;
  char *path;
  char *source;          /* the text last loaded or saved, for line:column */
  gsize source_len;

  int version;
  char *name;
  char *description;
  char *explanation;
  char **references;
  GPtrArray *variables;  /* of SwDocVariable */
  SwDocSim sim;
  GPtrArray *pops;       /* of SwDocPop */
  GPtrArray *projs;      /* of SwDocProj */
  GPtrArray *stims;      /* of SwDocStim */
  JsonNode *ui;

  /* Results of the last successful evaluation. */
  double *var_values;    /* in each variable's unit */
  double *var_min, *var_max;
  double dt_ms, duration_ms, warmup_ms, max_rate_hz;
  guint64 seed;
  int threads;
};

G_END_DECLS
