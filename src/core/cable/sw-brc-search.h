/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sequential parameter search of the BRC task (dendrites-brc spec §7.4,
 * §7.6): rounds of candidates, the first drawn uniformly from the box (in
 * log scale where a dimension asks for it), every later one from a density
 * fitted to the good draws so far.
 *
 * The density is a Gaussian kernel density estimate in the unit cube of the
 * box: one kernel on every selected draw, with the bandwidth of dimension d
 * h_d = max(h_min, sd_d * n^(-1/(D+4))) (Scott's rule on the selected
 * draws' standard deviation, floored so that identical draws still
 * explore).  A sample picks a selected draw uniformly, adds Gaussian noise
 * and reflects at the cube's faces.
 *
 * Selection, after each round: every draw so far whose score is below
 * max(the quantile (10th percentile) of the latest round's scores, a floor
 * (1.0)); with fewer than a minimum (5) the previous sampler is kept.
 * Percentiles interpolate linearly between order statistics.
 *
 * Candidates of a round are evaluated in parallel by a team of threads
 * (sw-team.h) that take them in turn.  Draws come from the counter-based
 * generator keyed by (seed, round, candidate) and scores are stored by
 * candidate, so the search is identical for any thread count, provided the
 * evaluation itself is deterministic per candidate.
 */
#pragma once

#include <stdint.h>

#include "sw-status.h"

typedef struct
{
  const char *name;
  double lo, hi;    /* physical bounds, lo < hi (both > 0 in log scale) */
  int log_scale;    /* uniform in log10 between the bounds */
} SwBrcDim;

typedef struct
{
  int n_rounds;          /* >= 1 */
  int n_per_round;       /* >= 1 */
  uint64_t seed;
  int n_threads;         /* >= 1 */
  double quantile;       /* 0.1 */
  double floor_score;    /* 1.0 */
  int min_selected;      /* 5 */
  double min_bandwidth;  /* 0.02, in unit-cube coordinates */
} SwBrcSearchConfig;

void sw_brc_search_config_default (SwBrcSearchConfig *cfg);

/* The outcome of a search, owned by the caller: sw_brc_search_clear(). */
typedef struct
{
  int n_dims;
  int n_draws;          /* evaluated so far */
  double *u;            /* n_draws x n_dims, unit cube */
  double *x;            /* n_draws x n_dims, physical */
  double *score;        /* n_draws; +inf for a candidate that blew up */
  int best;             /* draw with the lowest score; -1 when none */
  int n_failed;         /* candidates that blew up */
  int n_rounds;         /* rounds done */
  int *round_selected;  /* per round: draws the sampler was fitted to (0: uniform) */
  double *round_best;   /* per round: lowest score of the round */
} SwBrcSearch;

void sw_brc_search_clear (SwBrcSearch *s);

/* Evaluates one candidate: physical parameters @x (n_dims) of draw @draw
 * (0, 1, ... over the whole search), on team member @thread.  Returns SW_OK
 * with @score, SW_ERR_BLOWUP for a candidate whose simulation blew up (it
 * scores +inf and the search goes on), or another status to stop the
 * search.  Called from several threads at once. */
typedef SwStatus (*SwBrcEvalFunc) (void *data, int draw, const double *x, int thread,
                                   double *score, SwError *err);

/* Called on the calling thread after each round (may be NULL). */
typedef void (*SwBrcRoundFunc) (void *data, int round, const SwBrcSearch *search);

SwStatus sw_brc_search_run (const SwBrcDim *dims, int n_dims, const SwBrcSearchConfig *cfg,
                            SwBrcEvalFunc eval, SwBrcRoundFunc on_round, void *data,
                            SwBrcSearch *out, SwError *err);

/* Maps unit-cube coordinates to physical values and back. */
double sw_brc_dim_from_unit (const SwBrcDim *dim, double u);
double sw_brc_dim_to_unit (const SwBrcDim *dim, double x);

/* The @q-quantile (0..1) of @n values, linear between order statistics;
 * NaN counts as +inf.  @scratch holds n doubles. */
double sw_brc_quantile (const double *v, int n, double q, double *scratch);

/* Runs @fn (@data, item, thread) for items 0 .. @n - 1 on @n_threads
 * threads taking items in turn; returns 0, or -1 when the threads cannot be
 * started (then nothing ran). */
typedef void (*SwBrcItemFunc) (void *data, int item, int thread);
int sw_brc_parallel_for (int n, int n_threads, SwBrcItemFunc fn, void *data);
