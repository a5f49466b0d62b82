/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rounds of draws, kernel-density sampler and parallel evaluation of the
 * BRC parameter search (see sw-brc-search.h).
 */
#include "sw-brc-search.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "sw-brc-wiring.h"
#include "sw-rng.h"
#include "sw-team.h"

/* Blocks of random words per candidate: one for the kernel choice and one
 * per dimension. */
#define BLOCKS_PER_DRAW 1024

void
sw_brc_search_config_default (SwBrcSearchConfig *cfg)
{
  *cfg = (SwBrcSearchConfig) {
    .n_rounds = 10,
    .n_per_round = 100,
    .seed = 1,
    .n_threads = 1,
    .quantile = 0.1,
    .floor_score = 1.0,
    .min_selected = 5,
    .min_bandwidth = 0.02,
  };
}

void
sw_brc_search_clear (SwBrcSearch *s)
{
  free (s->u);
  free (s->x);
  free (s->score);
  free (s->round_selected);
  free (s->round_best);
  memset (s, 0, sizeof *s);
  s->best = -1;
}

double
sw_brc_dim_from_unit (const SwBrcDim *dim, double u)
{
  if (dim->log_scale)
    {
      double a = log10 (dim->lo), b = log10 (dim->hi);
      return pow (10.0, a + u * (b - a));
    }
  return dim->lo + u * (dim->hi - dim->lo);
}

double
sw_brc_dim_to_unit (const SwBrcDim *dim, double x)
{
  if (dim->log_scale)
    {
      double a = log10 (dim->lo), b = log10 (dim->hi);
      return (log10 (x) - a) / (b - a);
    }
  return (x - dim->lo) / (dim->hi - dim->lo);
}

static int
cmp_double (const void *pa, const void *pb)
{
  double a = *(const double *) pa, b = *(const double *) pb;
  return (a > b) - (a < b);
}

double
sw_brc_quantile (const double *v, int n, double q, double *scratch)
{
  if (n <= 0)
    return NAN;
  for (int i = 0; i < n; i++)
    scratch[i] = isnan (v[i]) ? INFINITY : v[i];
  qsort (scratch, (size_t) n, sizeof (double), cmp_double);
  double pos = q * (n - 1);
  int lo = (int) floor (pos);
  if (lo >= n - 1)
    return scratch[n - 1];
  if (lo < 0)
    return scratch[0];
  double frac = pos - lo;
  if (frac == 0.0)
    return scratch[lo];
  /* Infinite neighbours: avoid inf - inf. */
  if (isinf (scratch[lo + 1]))
    return frac > 0.0 ? scratch[lo + 1] : scratch[lo];
  return scratch[lo] + frac * (scratch[lo + 1] - scratch[lo]);
}

/* ------------------------------------------------------------------------ */
/* Parallel loop                                                             */

typedef struct
{
  int n;
  atomic_int next;
  SwBrcItemFunc fn;
  void *data;
} Loop;

static void
loop_member (void *data, int thread, int n_threads)
{
  Loop *loop = data;
  (void) n_threads;
  for (;;)
    {
      int item = atomic_fetch_add (&loop->next, 1);
      if (item >= loop->n)
        break;
      loop->fn (loop->data, item, thread);
    }
}

int
sw_brc_parallel_for (int n, int n_threads, SwBrcItemFunc fn, void *data)
{
  if (n <= 0)
    return 0;
  if (n_threads < 1)
    n_threads = 1;
  if (n_threads > n)
    n_threads = n;
  Loop loop = { .n = n, .fn = fn, .data = data };
  atomic_init (&loop.next, 0);
  if (n_threads == 1)
    {
      loop_member (&loop, 0, 1);
      return 0;
    }
  SwTeam *team = sw_team_new (n_threads);
  if (team == NULL)
    return -1;
  sw_team_run (team, loop_member, &loop);
  sw_team_free (team);
  return 0;
}

/* ------------------------------------------------------------------------ */
/* Sampler                                                                   */

typedef struct
{
  int n;          /* kernels; 0: uniform in the cube */
  int *members;   /* draw indices */
  double *h;      /* bandwidth per dimension */
} Sampler;

static double
reflect_unit (double u)
{
  /* Fold the real line onto [0, 1]: ... 1 -> 1, 1.2 -> 0.8, -0.3 -> 0.3. */
  u = fmod (fabs (u), 2.0);
  return u > 1.0 ? 2.0 - u : u;
}

static void
sampler_draw (const Sampler *smp, const SwBrcSearch *s, uint64_t seed, int round, int cand,
              double *u)
{
  const int d = s->n_dims;
  const uint64_t base = (uint64_t) cand * BLOCKS_PER_DRAW;
  const uint32_t stream = SW_BRC_STREAM_SEARCH;

  if (smp->n == 0)
    {
      for (int j = 0; j < d; j++)
        {
          SwRand4 r = sw_philox (seed, stream, (uint32_t) round, base + 1 + (uint64_t) j);
          u[j] = sw_u01_53 (r.v[0], r.v[1]);
        }
      return;
    }
  SwRand4 r = sw_philox (seed, stream, (uint32_t) round, base);
  int k = (int) (sw_u01 (r.v[0]) * smp->n);
  if (k >= smp->n)
    k = smp->n - 1;
  const double *centre = s->u + (size_t) smp->members[k] * d;
  for (int j = 0; j < d; j++)
    {
      SwRand4 q = sw_philox (seed, stream, (uint32_t) round, base + 1 + (uint64_t) j);
      double z = sw_normal (sw_u01_53 (q.v[0], q.v[1]), sw_u01_53 (q.v[2], q.v[3]));
      u[j] = reflect_unit (centre[j] + smp->h[j] * z);
    }
}

/* Fits the kernel density to @members (n of them); returns 0 or -1 (no
 * memory). */
static int
sampler_fit (Sampler *smp, const SwBrcSearch *s, const int *members, int n, double min_bw)
{
  const int d = s->n_dims;
  int *m = malloc (sizeof (int) * (size_t) n);
  if (m == NULL)
    return -1;
  memcpy (m, members, sizeof (int) * (size_t) n);
  free (smp->members);
  smp->members = m;
  smp->n = n;

  const double factor = pow ((double) n, -1.0 / (d + 4));
  for (int j = 0; j < d; j++)
    {
      double mean = 0.0, var = 0.0;
      for (int i = 0; i < n; i++)
        mean += s->u[(size_t) m[i] * d + j];
      mean /= n;
      for (int i = 0; i < n; i++)
        {
          double e = s->u[(size_t) m[i] * d + j] - mean;
          var += e * e;
        }
      double sd = n > 1 ? sqrt (var / (n - 1)) : 0.0;
      double h = sd * factor;
      smp->h[j] = h > min_bw ? h : min_bw;
    }
  return 0;
}

/* ------------------------------------------------------------------------ */
/* Rounds                                                                    */

typedef struct
{
  const SwBrcSearchConfig *cfg;
  SwBrcEvalFunc eval;
  void *data;
  SwBrcSearch *s;
  int first;            /* first draw of the round */
  SwStatus *status;     /* per candidate */
  SwError *errors;      /* per candidate */
} RoundJob;

static void
eval_item (void *data, int item, int thread)
{
  RoundJob *job = data;
  int draw = job->first + item;
  double score = INFINITY;
  SwStatus st = job->eval (job->data, draw, job->s->x + (size_t) draw * job->s->n_dims, thread,
                           &score, &job->errors[item]);
  if (st == SW_OK && isnan (score))
    score = INFINITY;
  if (st == SW_ERR_BLOWUP)
    score = INFINITY;
  job->s->score[draw] = score;
  job->status[item] = st;
}

SwStatus
sw_brc_search_run (const SwBrcDim *dims, int n_dims, const SwBrcSearchConfig *cfg,
                   SwBrcEvalFunc eval, SwBrcRoundFunc on_round, void *data, SwBrcSearch *out,
                   SwError *err)
{
  memset (out, 0, sizeof *out);
  out->best = -1;
  if (n_dims < 1 || n_dims > BLOCKS_PER_DRAW - 1)
    return sw_error_set (err, SW_ERR_INVALID, "search needs 1 to %d dimensions, got %d",
                         BLOCKS_PER_DRAW - 1, n_dims);
  if (cfg->n_rounds < 1 || cfg->n_per_round < 1 || cfg->n_threads < 1)
    return sw_error_set (err, SW_ERR_INVALID,
                         "search needs at least 1 round, 1 candidate and 1 thread");
  if (!(cfg->quantile >= 0.0 && cfg->quantile <= 1.0) || cfg->min_selected < 1
      || !(cfg->min_bandwidth > 0.0))
    return sw_error_set (err, SW_ERR_INVALID, "bad search settings (quantile, minimum, bandwidth)");
  for (int j = 0; j < n_dims; j++)
    {
      const SwBrcDim *dim = &dims[j];
      if (!(dim->lo < dim->hi) || (dim->log_scale && !(dim->lo > 0.0)))
        return sw_error_set (err, SW_ERR_INVALID,
                             "search range of %s must have 0 %s lo < hi, got [%g, %g]",
                             dim->name ? dim->name : "?", dim->log_scale ? "<" : "<=",
                             dim->lo, dim->hi);
    }

  const int n_total = cfg->n_rounds * cfg->n_per_round;
  const int per = cfg->n_per_round;
  out->n_dims = n_dims;
  out->u = malloc (sizeof (double) * (size_t) n_total * n_dims);
  out->x = malloc (sizeof (double) * (size_t) n_total * n_dims);
  out->score = malloc (sizeof (double) * (size_t) n_total);
  out->round_selected = calloc ((size_t) cfg->n_rounds, sizeof (int));
  out->round_best = calloc ((size_t) cfg->n_rounds, sizeof (double));
  Sampler smp = { 0 };
  smp.h = calloc ((size_t) n_dims, sizeof (double));
  int *selected = malloc (sizeof (int) * (size_t) n_total);
  double *scratch = malloc (sizeof (double) * (size_t) n_total);
  SwStatus *status = malloc (sizeof (SwStatus) * (size_t) per);
  SwError *errors = calloc ((size_t) per, sizeof (SwError));
  SwStatus st = SW_OK;

  if (!out->u || !out->x || !out->score || !out->round_selected || !out->round_best || !smp.h
      || !selected || !scratch || !status || !errors)
    {
      st = sw_error_set (err, SW_ERR_NOMEM, "no memory for a search of %d draws", n_total);
      goto done;
    }

  for (int round = 0; round < cfg->n_rounds; round++)
    {
      const int first = round * per;
      out->round_selected[round] = smp.n;
      for (int c = 0; c < per; c++)
        {
          double *u = out->u + (size_t) (first + c) * n_dims;
          sampler_draw (&smp, out, cfg->seed, round, c, u);
          for (int j = 0; j < n_dims; j++)
            out->x[(size_t) (first + c) * n_dims + j] = sw_brc_dim_from_unit (&dims[j], u[j]);
        }

      RoundJob job = {
        .cfg = cfg, .eval = eval, .data = data, .s = out, .first = first,
        .status = status, .errors = errors,
      };
      if (sw_brc_parallel_for (per, cfg->n_threads, eval_item, &job) != 0)
        {
          st = sw_error_set (err, SW_ERR_NOMEM, "cannot start %d search threads", cfg->n_threads);
          goto done;
        }
      /* The first failure in candidate order, whatever thread met it. */
      for (int c = 0; c < per; c++)
        if (status[c] != SW_OK && status[c] != SW_ERR_BLOWUP)
          {
            if (err != NULL)
              *err = errors[c];
            st = status[c];
            goto done;
          }
      out->n_draws = first + per;
      out->n_rounds = round + 1;

      double rb = INFINITY;
      for (int c = 0; c < per; c++)
        {
          int dr = first + c;
          if (status[c] == SW_ERR_BLOWUP)
            out->n_failed++;
          if (out->score[dr] < rb)
            rb = out->score[dr];
          if (out->best < 0 || out->score[dr] < out->score[out->best])
            out->best = dr;
        }
      out->round_best[round] = rb;

      /* Refit the sampler for the next round. */
      double thr = sw_brc_quantile (out->score + first, per, cfg->quantile, scratch);
      if (!(thr > cfg->floor_score))
        thr = cfg->floor_score;
      int n_sel = 0;
      for (int dr = 0; dr < out->n_draws; dr++)
        if (out->score[dr] < thr)
          selected[n_sel++] = dr;
      if (n_sel >= cfg->min_selected
          && sampler_fit (&smp, out, selected, n_sel, cfg->min_bandwidth) != 0)
        {
          st = sw_error_set (err, SW_ERR_NOMEM, "no memory for the search sampler");
          goto done;
        }
      if (on_round != NULL)
        on_round (data, round, out);
    }

done:
  free (smp.members);
  free (smp.h);
  free (selected);
  free (scratch);
  free (status);
  free (errors);
  return st;
}
