/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Simulated phase diagrams: a network document evaluated over a grid of two
 * variables or parameters, each grid point run for a number of trials and
 * measured per population of neurons (mean rate, CV of the ISIs, synchrony
 * chi, the peak of the population-rate spectrum and its prominence, the
 * Fano factor; sw-analysis.h has the definitions).
 *
 * The seed of every trial is derived from the sweep's seed, the index of the
 * point on the grid and the trial (sw_sweep_trial_seed), so that a point
 * gives the same numbers whichever process or thread computes it and in
 * whatever order the points are visited.
 *
 * A trial whose network blows up (NaN, a runaway rate above the document's
 * max_rate) is counted, not fatal: its measures are left out of the trial
 * average, and a point where every trial blew up has NAN measures.
 */
#pragma once

#include <stdatomic.h>

#include <glib.h>

#include "sw-document.h"

G_BEGIN_DECLS

typedef enum
{
  SW_SWEEP_RATE,         /* mean rate (Hz) */
  SW_SWEEP_CV,           /* mean CV of the interspike intervals */
  SW_SWEEP_CHI,          /* SD / mean of the population rate in 1 ms bins */
  SW_SWEEP_PEAK,         /* peak of the Welch spectrum of that rate (Hz) */
  SW_SWEEP_PROMINENCE,   /* peak / median power over 2-200 Hz */
  SW_SWEEP_FANO,         /* Fano factor of spike counts in 100 ms windows */
  SW_SWEEP_N_MEASURES
} SwSweepMeasure;

typedef struct
{
  const char *name;      /* for --measure: "peak" */
  const char *column;    /* CSV column prefix: "peak_hz" (then "_E") */
  const char *label;     /* for figures: "Spectrum peak" */
  const char *unit;      /* "Hz", or NULL */
} SwSweepMeasureInfo;

const SwSweepMeasureInfo *sw_sweep_measure_info (SwSweepMeasure m);
/* The measure called @name, or -1. */
int sw_sweep_measure_find (const char *name);

/* The seed of trial @trial at grid point @point: a mix of the three by
 * SplitMix64, never equal for different (point, trial) of one sweep in
 * practice. */
guint64 sw_sweep_trial_seed (guint64 seed, int point, int trial);

typedef struct
{
  double duration_ms;      /* simulated time per trial */
  double warmup_ms;        /* excluded from the measures */
  double dt_ms;            /* time step */
  int threads;             /* threads per network (-1: the document's) */
  int trials;              /* >= 1 */
  guint64 seed;            /* sweep seed */
  size_t memory_limit;     /* per network, as sw_network_new (0: default) */
  const atomic_int *cancel;   /* may be NULL */
} SwSweepSettings;

/* The results of one point: per population of neurons (in the order of
 * the document), SW_SWEEP_N_MEASURES trial averages. */
typedef struct
{
  int n_pops;              /* populations of neurons */
  double *values;          /* [pop * SW_SWEEP_N_MEASURES + measure] */
  int blowups;             /* trials that blew up */
} SwSweepPoint;

/* Names of the populations of neurons of the document's network (free
 * with g_strfreev). */
char **sw_sweep_population_names (SwDocument *doc, GError **error);

/* Sets @x_name to @x and @y_name to @y (sw_document_set: variables or
 * parameter paths), builds the network and runs settings->trials trials of
 * it; trial k runs with sw_sweep_trial_seed (settings->seed, @point, k).
 * Fills @out (values allocated with g_new; free with
 * sw_sweep_point_clear).  Errors: those of sw_document_set and of building
 * the network (SW_DOCUMENT_ERROR, G_IO_ERROR_CANCELLED when *cancel became
 * non-zero, G_IO_ERROR_FAILED for a failure of the simulation other than a
 * blow-up).  The document is left at the point's values. */
gboolean sw_sweep_run_point (SwDocument *doc, const char *x_name, double x, const char *y_name, double y,
                             int point, const SwSweepSettings *settings, SwSweepPoint *out, GError **error);
void sw_sweep_point_clear (SwSweepPoint *p);

/* Measures one network run from t = 0 to @duration_ms, the measures over
 * [@warmup_ms, @duration_ms): @values gets SW_SWEEP_N_MEASURES numbers per
 * population of neurons.  Returns the status of the run (SW_ERR_BLOWUP
 * for a blow-up, with @values all NAN). */
SwStatus sw_sweep_measure_network (const SwNetSpec *spec, double duration_ms, double warmup_ms, size_t memory_limit,
                                   const atomic_int *cancel, double *values, SwError *err);

G_END_DECLS
