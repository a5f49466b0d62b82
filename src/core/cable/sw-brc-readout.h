/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The working-memory readout of the BRC network (dendrites-brc spec §7.6):
 * ridge regression with an intercept from the rate-cell voltages to the cue
 * (c1, c2), cross-validated by repeat, the score and the null test.
 *
 * A trial enters only through its sufficient statistics (SwBrcStats: sums
 * of x, x x^T, y, x y^T and y^2 over its samples), so a trial's features
 * never have to be kept: the fit of a fold sums the statistics of its
 * training trials, and the test error, the squared error summed over the
 * test trials' samples, follows from their statistics exactly (a quadratic
 * form in the weights).
 *
 * Fit: with X~ and Y~ centred over the training samples,
 *   W = (X~^T X~ + lambda I)^-1 X~^T Y~,  b = mean(y) - mean(x)^T W,
 * each output independently (they share the matrix), solved by Cholesky.
 * No feature scaling: lambda is in the features' units squared (mV^2).
 *
 * Score: the mean over folds of the test MSE (averaged over the samples and
 * the outputs).  Predicting 0 everywhere scores 4.0 on cues of +-2.  Null
 * test: for each cue and output, the time-mean prediction on the held-out
 * trial of that cue, averaged over the folds; when the mean of their absolute
 * values is below 0.2 the readout ignores the cue and 1000 is added.
 *
 * Pure functions; safe from any thread on distinct data.
 */
#pragma once

#include "sw-status.h"

typedef struct
{
  int n_features;   /* p */
  int n_outputs;    /* q */
  double n;         /* number of samples */
  double *sx;       /* p */
  double *sxx;      /* p x p, row-major, full */
  double *sy;       /* q */
  double *sxy;      /* p x q, row-major */
  double *syy;      /* q: sum of y_o^2 */
} SwBrcStats;

SwStatus sw_brc_stats_init (SwBrcStats *s, int n_features, int n_outputs, SwError *err);
void sw_brc_stats_clear (SwBrcStats *s);
void sw_brc_stats_reset (SwBrcStats *s);

/* Adds one sample: features @x (p) and targets @y (q). */
void sw_brc_stats_add (SwBrcStats *s, const double *x, const double *y);

/* @dst += @src (same sizes). */
void sw_brc_stats_merge (SwBrcStats *dst, const SwBrcStats *src);

/* Ridge fit: @w (p x q, row-major) and @b (q).  SW_ERR_INVALID for
 * lambda <= 0 or fewer than 2 samples; SW_ERR_BLOWUP when the statistics are
 * not finite. */
SwStatus sw_brc_ridge_fit (const SwBrcStats *train, double lambda, double *w, double *b,
                           SwError *err);

/* Summed squared error of the model (@w, @b) over the samples of @test,
 * per output into @sse (q). */
void sw_brc_ridge_sse (const SwBrcStats *test, const double *w, const double *b, double *sse);

/* The time-mean prediction of output @o over the samples of @test. */
double sw_brc_ridge_mean_prediction (const SwBrcStats *test, const double *w, const double *b,
                                     int o);

enum { SW_BRC_MAX_FOLDS = 16 };

typedef struct
{
  double score;        /* mse + null_penalty when null */
  double mse;          /* mean over folds of the test MSE */
  int n_folds;
  double fold_mse[SW_BRC_MAX_FOLDS];
  int is_null;
  double null_mean_abs;           /* mean |time-mean prediction| */
  double mean_pred[4][2];         /* per cue and output (first 4 cues, 2 outputs) */
} SwBrcScore;

typedef struct
{
  double lambda;        /* 2.0 */
  double null_level;    /* 0.2 */
  double null_penalty;  /* 1000 */
} SwBrcReadoutConfig;

void sw_brc_readout_config_default (SwBrcReadoutConfig *cfg);

/* Cross-validated score of @n_cues x @n_repeats trials, @trials[cue *
 * n_repeats + repeat]: fold k trains on every repeat but k and tests on
 * repeat k (one trial per cue).  2 <= n_repeats <= SW_BRC_MAX_FOLDS,
 * 1 <= n_cues; the null test uses the first 4 cues and 2 outputs at most. */
SwStatus sw_brc_score (const SwBrcStats *trials, int n_cues, int n_repeats,
                       const SwBrcReadoutConfig *cfg, SwBrcScore *out, SwError *err);
