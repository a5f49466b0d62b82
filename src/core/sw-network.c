/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The running network: construction of the connectivity, the stepping loop
 * and the commands applied between chunks.
 *
 * One step, for every member t of a team of T threads (sw-team.h):
 *   1. for each population of neurons, on t's slice of neurons: add this
 *      step's Poisson stimuli to the input slot, compute injected currents,
 *      update the neurons (spikes go to t's part of the spike buffer), clear
 *      the consumed input slot; thread 0 also draws the source populations;
 *   2. barrier; thread 0 records the spikes and checks for blow-ups;
 *   3. for each projection, on t's slice of TARGET neurons: walk the spikes
 *      of the step in increasing order and add each synapse's weight into the
 *      ring slot of its arrival step; barrier.
 * Every target neuron thus receives its inputs in the same order whatever T
 * is, and every random number is keyed by (seed, stream, index, step): the
 * results are bit-identical for any thread count and chunk length.
 */
#include "config.h"

#include "sw-network.h"
#include "sw-recorder-private.h"
#include "sw-rng.h"
#include "sw-team.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_THREADS 64
#define RATE_CHECK_MS 100.0

int sw_dist_max_delay_steps (const SwDist *d, double dt);

typedef struct
{
  /* Neurons */
  double *state[SW_MAX_STATE];
  int32_t *refr;
  unsigned char derived[256];
  double *ring;                 /* [slot][receptor][neuron] */
  int ring_len;
  double *current;              /* injected current, or NULL */
  bool has_current;

  /* Spikes of the current step: segment t holds seg_cnt[t] indices
   * starting at spikes + seg_off[t]. */
  int32_t *spikes;
  int seg_off[MAX_THREADS];
  int seg_cnt[MAX_THREADS];
  int n_segs;
  int bad[MAX_THREADS];

  /* Spike-time sources: sorted by step. */
  int64_t *src_step;
  int32_t *src_index;
  int src_n, src_cursor;

  uint64_t spike_total;
  uint64_t window_count;
} Pop;

typedef struct
{
  int64_t *row;                 /* n_pre + 1 offsets */
  int32_t *col;                 /* target index, increasing within a row */
  float *weight;                /* per synapse, or NULL: w0 */
  uint16_t *delay;              /* per synapse in steps, or NULL: d0 */
  double w0;
  int d0;
  size_t n_syn;
} Proj;

struct SwNetwork
{
  SwNetSpec *spec;
  Pop *pops;
  Proj *projs;
  SwRecorder *rec;
  SwTeam *team;
  int threads;
  uint64_t step;
  int check_steps;
  double max_rate_hz;
  uint32_t *counts;             /* spikes per population in the current step */
};

/* ------------------------------------------------------------------------ */
/* Random draws                                                              */

static double
draw (const SwDist *d, uint64_t seed, uint32_t stream, uint32_t index, uint64_t counter)
{
  if (d->kind == SW_DIST_CONSTANT)
    return d->a;
  SwRand4 r = sw_philox (seed, stream, index, counter);
  double u1 = sw_u01_53 (r.v[0], r.v[1]), u2 = sw_u01_53 (r.v[2], r.v[3]);
  switch (d->kind)
    {
    case SW_DIST_UNIFORM:
      return d->a + (d->b - d->a) * u1;
    case SW_DIST_NORMAL:
      return d->a + d->b * sw_normal (u1, u2);
    case SW_DIST_NORMAL_CLIPPED:
      {
        double x = d->a + d->b * sw_normal (u1, u2);
        return (x * d->a < 0.0) ? 0.0 : x;
      }
    case SW_DIST_CONSTANT:
    case SW_N_DISTS:
    default:
      return d->a;
    }
}

static int
thread_begin (int n, int t, int nt)
{
  return (int) ((int64_t) n * t / nt);
}

/* ------------------------------------------------------------------------ */
/* Connectivity                                                              */

/* A loop over [0, n) split into contiguous slices over the team. */
typedef void (*RangeFunc) (void *data, int begin, int end, int thread);

typedef struct
{
  RangeFunc fn;
  void *data;
  int n;
} ForJob;

static void
for_job (void *data, int t, int nt)
{
  ForJob *job = data;
  int begin, end;
  sw_team_slice (job->n, t, nt, &begin, &end);
  if (begin < end)
    job->fn (job->data, begin, end, t);
}

static void
team_for (SwTeam *team, int n, RangeFunc fn, void *data)
{
  ForJob job = { fn, data, n };
  sw_team_run (team, for_job, &job);
}

/* A source of uniforms for one (stream, index): four per Philox block. */
typedef struct
{
  uint64_t seed;
  uint32_t stream, index;
  uint64_t counter;
  SwRand4 r;
  int word;
} Uniforms;

static void
uniforms_init (Uniforms *u, uint64_t seed, uint32_t stream, uint32_t index)
{
  u->seed = seed;
  u->stream = stream;
  u->index = index;
  u->counter = 0;
  u->word = 4;
}

static double
uniforms_next (Uniforms *u)
{
  if (u->word == 4)
    {
      u->r = sw_philox (u->seed, u->stream, u->index, u->counter++);
      u->word = 0;
    }
  return sw_u01 (u->r.v[u->word++]);
}

/* Draws the targets of row @i of a fixed-probability projection by geometric
 * skipping; writes them to @out when non-NULL; returns the count. */
static int64_t
row_fixed_probability (const SwProjSpec *pr, int n_post, bool skip_self, uint64_t seed, uint32_t stream,
                       int i, int32_t *out)
{
  int64_t n = 0;
  if (pr->p <= 0.0)
    return 0;
  if (pr->p >= 1.0)
    {
      for (int j = 0; j < n_post; j++)
        if (!(skip_self && j == i))
          {
            if (out)
              out[n] = j;
            n++;
          }
      return n;
    }
  Uniforms u;
  uniforms_init (&u, seed, stream, (uint32_t) i);
  const double inv_log_q = 1.0 / log1p (-pr->p);
  double j = -1.0;
  for (;;)
    {
      j += 1.0 + floor (log (uniforms_next (&u)) * inv_log_q);
      if (j >= n_post)
        break;
      int jj = (int) j;
      if (skip_self && jj == i)
        continue;
      if (out)
        out[n] = jj;
      n++;
    }
  return n;
}

static int
cmp_int32 (const void *a, const void *b)
{
  int32_t x = *(const int32_t *) a, y = *(const int32_t *) b;
  return (x > y) - (x < y);
}

/* Draws k distinct (or, with multapses, independent) indices from [0, n)
 * without @exclude (-1: none) into @out, in increasing order if @sorted.  @mark is a scratch
 * array of n stamps, @stamp a value not yet in it. */
static void
choose_k (int n, int k, bool multapses, int exclude, Uniforms *u, int32_t *out, uint32_t *mark,
          uint32_t stamp, bool sorted)
{
  int avail = n - (exclude >= 0 ? 1 : 0);
  if (multapses)
    {
      for (int m = 0; m < k; m++)
        {
          int x;
          do
            x = (int) (uniforms_next (u) * n);
          while (x == exclude || x >= n);
          out[m] = x;
        }
    }
  else if (k > avail / 2)
    {
      /* Selection sampling: one pass, already in increasing order. */
      int need = k, left = avail, m = 0;
      for (int x = 0; x < n && need > 0; x++)
        {
          if (x == exclude)
            continue;
          if (uniforms_next (u) * left < need)
            {
              out[m++] = x;
              need--;
            }
          left--;
        }
      return;
    }
  else
    {
      for (int m = 0; m < k; m++)
        {
          int x;
          do
            x = (int) (uniforms_next (u) * n);
          while (x == exclude || x >= n || mark[x] == stamp);
          mark[x] = stamp;
          out[m] = x;
        }
    }
  if (!sorted)
    return;
  /* Insertion sort is fine for short rows; qsort for long ones. */
  if (k > 64)
    qsort (out, k, sizeof *out, cmp_int32);
  else
    for (int a = 1; a < k; a++)
      {
        int32_t x = out[a];
        int b = a - 1;
        while (b >= 0 && out[b] > x)
          {
            out[b + 1] = out[b];
            b--;
          }
        out[b + 1] = x;
      }
}

/* What the slices of a projection's construction share. */
typedef struct
{
  const SwNetSpec *spec;
  const SwProjSpec *pr;
  Proj *P;
  int j;
  int n_pre, n_post;
  bool skip_self;
  uint32_t stream;
  SwProjSpec q;           /* the rule as drawn (all_to_all as p = 1) */
  int32_t *src;           /* fixed in-degree: sources per target */
  uint32_t **marks;       /* per member: scratch stamps */
} Build;

static void
count_rows (void *data, int begin, int end, int t)
{
  Build *b = data;
  for (int i = begin; i < end; i++)
    b->P->row[i + 1] = row_fixed_probability (&b->q, b->n_post, b->skip_self, b->spec->seed, b->stream, i, NULL);
}

static void
fill_rows (void *data, int begin, int end, int t)
{
  Build *b = data;
  for (int i = begin; i < end; i++)
    row_fixed_probability (&b->q, b->n_post, b->skip_self, b->spec->seed, b->stream, i, b->P->col + b->P->row[i]);
}

static void
draw_outdegree (void *data, int begin, int end, int t)
{
  Build *b = data;
  for (int i = begin; i < end; i++)
    {
      Uniforms u;
      uniforms_init (&u, b->spec->seed, b->stream, (uint32_t) i);
      choose_k (b->n_post, b->pr->k, b->pr->multapses, b->skip_self ? i : -1, &u, b->P->col + b->P->row[i],
                b->marks[t], (uint32_t) i + 1, true);
    }
}

static void
draw_indegree (void *data, int begin, int end, int t)
{
  Build *b = data;
  const int k = b->pr->k;
  for (int jj = begin; jj < end; jj++)
    {
      Uniforms u;
      uniforms_init (&u, b->spec->seed, b->stream, (uint32_t) jj);
      /* The transposition orders the rows: no sort needed here. */
      choose_k (b->n_pre, k, b->pr->multapses, b->skip_self ? jj : -1, &u, b->src + (size_t) jj * k,
                b->marks[t], (uint32_t) jj + 1, false);
    }
}

static void
draw_weights (void *data, int begin, int end, int t)
{
  Build *b = data;
  const Proj *P = b->P;
  for (int i = begin; i < end; i++)
    for (int64_t s = P->row[i]; s < P->row[i + 1]; s++)
      P->weight[s] = (float) draw (&b->pr->weight, b->spec->seed, SW_STREAM_WEIGHT + (uint32_t) b->j, (uint32_t) i,
                                   (uint64_t) (s - P->row[i]));
}

static void
draw_delays (void *data, int begin, int end, int t)
{
  Build *b = data;
  const Proj *P = b->P;
  const double dt = b->spec->dt_ms;
  const int dmax = sw_dist_max_delay_steps (&b->pr->delay_ms, dt);
  for (int i = begin; i < end; i++)
    for (int64_t s = P->row[i]; s < P->row[i + 1]; s++)
      {
        double d = draw (&b->pr->delay_ms, b->spec->seed, SW_STREAM_DELAY + (uint32_t) b->j, (uint32_t) i,
                         (uint64_t) (s - P->row[i]));
        long steps = lround (d / dt);
        P->delay[s] = (uint16_t) (steps < 1 ? 1 : steps > dmax ? dmax : steps);
      }
}

/* Scratch stamp arrays of @n entries, one per team member. */
static bool
alloc_marks (Build *b, int members, int n)
{
  b->marks = calloc ((size_t) members, sizeof *b->marks);
  if (b->marks == NULL)
    return false;
  for (int t = 0; t < members; t++)
    if ((b->marks[t] = calloc ((size_t) n, sizeof **b->marks)) == NULL)
      return false;
  return true;
}

static void
free_marks (Build *b, int members)
{
  for (int t = 0; b->marks != NULL && t < members; t++)
    free (b->marks[t]);
  free (b->marks);
  b->marks = NULL;
}

static SwStatus
build_projection (SwNetwork *net, int j, SwError *err)
{
  const SwNetSpec *spec = net->spec;
  const SwProjSpec *pr = &spec->projs[j];
  Proj *P = &net->projs[j];
  const int members = sw_team_size (net->team);
  Build b = {
    .spec = spec,
    .pr = pr,
    .P = P,
    .j = j,
    .n_pre = spec->pops[pr->pre].n,
    .n_post = spec->pops[pr->post].n,
    .skip_self = pr->pre == pr->post && !pr->autapses,
    .stream = SW_STREAM_CONNECT + (uint32_t) j,
    .q = *pr,
  };
  const int n_pre = b.n_pre, n_post = b.n_post;

  P->row = calloc ((size_t) n_pre + 1, sizeof *P->row);
  if (P->row == NULL)
    return sw_error_set (err, SW_ERR_NOMEM, "out of memory for projection %s", pr->name);

  switch (pr->rule)
    {
    case SW_CONN_FIXED_PROBABILITY:
    case SW_CONN_ALL_TO_ALL:
      if (pr->rule == SW_CONN_ALL_TO_ALL)
        b.q.p = 1.0;
      /* Two passes with the same numbers: count, then fill. */
      team_for (net->team, n_pre, count_rows, &b);
      for (int i = 0; i < n_pre; i++)
        P->row[i + 1] += P->row[i];
      P->n_syn = (size_t) P->row[n_pre];
      P->col = malloc ((P->n_syn ? P->n_syn : 1) * sizeof *P->col);
      if (P->col == NULL)
        return sw_error_set (err, SW_ERR_NOMEM, "out of memory for the %zu synapses of %s", P->n_syn, pr->name);
      team_for (net->team, n_pre, fill_rows, &b);
      break;

    case SW_CONN_ONE_TO_ONE:
      P->n_syn = b.skip_self ? 0 : (size_t) n_pre;
      P->col = malloc ((P->n_syn ? P->n_syn : 1) * sizeof *P->col);
      if (P->col == NULL)
        return sw_error_set (err, SW_ERR_NOMEM, "out of memory for projection %s", pr->name);
      for (int i = 0; i < n_pre; i++)
        {
          P->row[i + 1] = P->row[i] + (b.skip_self ? 0 : 1);
          if (!b.skip_self)
            P->col[i] = i;
        }
      break;

    case SW_CONN_FIXED_OUTDEGREE:
      P->n_syn = (size_t) n_pre * pr->k;
      P->col = malloc ((P->n_syn ? P->n_syn : 1) * sizeof *P->col);
      if (P->col == NULL || !alloc_marks (&b, members, n_post))
        {
          free_marks (&b, members);
          return sw_error_set (err, SW_ERR_NOMEM, "out of memory for the %zu synapses of %s", P->n_syn, pr->name);
        }
      for (int i = 0; i < n_pre; i++)
        P->row[i + 1] = P->row[i] + pr->k;
      team_for (net->team, n_pre, draw_outdegree, &b);
      free_marks (&b, members);
      break;

    case SW_CONN_FIXED_INDEGREE:
      {
        /* Draw the sources of every target, then transpose into rows. */
        const int k = pr->k;
        size_t total = (size_t) n_post * k;
        b.src = malloc ((total ? total : 1) * sizeof *b.src);
        if (b.src == NULL || !alloc_marks (&b, members, n_pre))
          {
            free (b.src);
            free_marks (&b, members);
            return sw_error_set (err, SW_ERR_NOMEM, "out of memory for the %zu synapses of %s", total, pr->name);
          }
        team_for (net->team, n_post, draw_indegree, &b);
        free_marks (&b, members);
        for (size_t m = 0; m < total; m++)
          P->row[b.src[m] + 1]++;
        for (int i = 0; i < n_pre; i++)
          P->row[i + 1] += P->row[i];
        P->n_syn = total;
        P->col = malloc ((total ? total : 1) * sizeof *P->col);
        int64_t *fill = malloc (((size_t) n_pre + 1) * sizeof *fill);
        if (P->col == NULL || fill == NULL)
          {
            free (b.src);
            free (fill);
            return sw_error_set (err, SW_ERR_NOMEM, "out of memory for the %zu synapses of %s", total, pr->name);
          }
        memcpy (fill, P->row, ((size_t) n_pre + 1) * sizeof *fill);
        /* Walking the targets in order leaves every row sorted. */
        for (int jj = 0; jj < n_post; jj++)
          for (int m = 0; m < k; m++)
            P->col[fill[b.src[(size_t) jj * k + m]]++] = jj;
        free (fill);
        free (b.src);
        break;
      }
    case SW_N_CONNS:
    default:
      return sw_error_set (err, SW_ERR_INVALID, "projection %s: unknown rule", pr->name);
    }

  /* Weights and delays: per synapse only when distributed, keyed by the
   * presynaptic neuron and the position in its row. */
  P->w0 = pr->weight.a;
  P->d0 = sw_dist_max_delay_steps (&(SwDist) { SW_DIST_CONSTANT, pr->delay_ms.a, 0 }, spec->dt_ms);
  if (pr->weight.kind != SW_DIST_CONSTANT && P->n_syn > 0)
    {
      P->weight = malloc (P->n_syn * sizeof *P->weight);
      if (P->weight == NULL)
        return sw_error_set (err, SW_ERR_NOMEM, "out of memory for the weights of %s", pr->name);
      team_for (net->team, n_pre, draw_weights, &b);
    }
  if (pr->delay_ms.kind != SW_DIST_CONSTANT && P->n_syn > 0)
    {
      P->delay = malloc (P->n_syn * sizeof *P->delay);
      if (P->delay == NULL)
        return sw_error_set (err, SW_ERR_NOMEM, "out of memory for the delays of %s", pr->name);
      team_for (net->team, n_pre, draw_delays, &b);
    }
  return SW_OK;
}

/* ------------------------------------------------------------------------ */
/* Construction                                                              */

static void
init_state (SwNetwork *net, int p)
{
  const SwPopSpec *ps = &net->spec->pops[p];
  Pop *P = &net->pops[p];
  if (ps->kind != SW_POP_NEURONS)
    {
      P->src_cursor = 0;
      return;
    }
  for (int k = 0; k < ps->type->n_state; k++)
    for (int i = 0; i < ps->n; i++)
      P->state[k][i] = draw (&ps->init[k], net->spec->seed, SW_STREAM_INIT + (uint32_t) (p * SW_MAX_STATE + k),
                             (uint32_t) i, 0);
  memset (P->refr, 0, (size_t) ps->n * sizeof *P->refr);
  memset (P->ring, 0, (size_t) P->ring_len * ps->type->n_receptors * ps->n * sizeof *P->ring);
}

static SwStatus
build_pop (SwNetwork *net, int p, SwError *err)
{
  const SwNetSpec *spec = net->spec;
  const SwPopSpec *ps = &spec->pops[p];
  Pop *P = &net->pops[p];

  P->spikes = malloc ((size_t) ps->n * sizeof *P->spikes);
  if (P->spikes == NULL)
    return sw_error_set (err, SW_ERR_NOMEM, "out of memory for population %s", ps->name);

  if (ps->kind == SW_POP_SPIKE_TIMES)
    {
      P->src_n = ps->n_times;
      P->src_step = malloc ((size_t) (ps->n_times ? ps->n_times : 1) * sizeof *P->src_step);
      P->src_index = malloc ((size_t) (ps->n_times ? ps->n_times : 1) * sizeof *P->src_index);
      if (P->src_step == NULL || P->src_index == NULL)
        return sw_error_set (err, SW_ERR_NOMEM, "out of memory for population %s", ps->name);
      for (int k = 0; k < ps->n_times; k++)
        {
          P->src_step[k] = llround (ps->times_ms[k] / spec->dt_ms);
          P->src_index[k] = ps->times_index[k];
        }
      /* Sort by (step, index); insertion sort on nearly sorted input. */
      for (int a = 1; a < P->src_n; a++)
        {
          int64_t s = P->src_step[a];
          int32_t x = P->src_index[a];
          int b = a - 1;
          while (b >= 0 && (P->src_step[b] > s || (P->src_step[b] == s && P->src_index[b] > x)))
            {
              P->src_step[b + 1] = P->src_step[b];
              P->src_index[b + 1] = P->src_index[b];
              b--;
            }
          P->src_step[b + 1] = s;
          P->src_index[b + 1] = x;
        }
      return SW_OK;
    }
  if (ps->kind != SW_POP_NEURONS)
    return SW_OK;

  SwError inner;
  if (ps->type->derive (ps->params, spec->dt_ms, P->derived, &inner) != SW_OK)
    return sw_error_set (err, SW_ERR_INVALID, "population %s: %s", ps->name, inner.text);
  for (int k = 0; k < ps->type->n_state; k++)
    {
      P->state[k] = malloc ((size_t) ps->n * sizeof *P->state[k]);
      if (P->state[k] == NULL)
        return sw_error_set (err, SW_ERR_NOMEM, "out of memory for population %s", ps->name);
    }
  P->refr = malloc ((size_t) ps->n * sizeof *P->refr);
  P->current = malloc ((size_t) ps->n * sizeof *P->current);
  int slots = 2;
  for (int j = 0; j < spec->n_projs; j++)
    if (spec->projs[j].post == p)
      {
        const Proj *pj = &net->projs[j];
        int d = pj->d0;
        if (pj->delay != NULL)
          for (size_t s = 0; s < pj->n_syn; s++)
            if (pj->delay[s] > d)
              d = pj->delay[s];
        if (d + 1 > slots)
          slots = d + 1;
      }
  P->ring_len = slots;
  P->ring = calloc ((size_t) slots * ps->type->n_receptors * ps->n, sizeof *P->ring);
  if (P->refr == NULL || P->current == NULL || P->ring == NULL)
    return sw_error_set (err, SW_ERR_NOMEM, "out of memory for population %s", ps->name);
  for (int s = 0; s < spec->n_stims; s++)
    if (spec->stims[s].kind == SW_STIM_CURRENT && spec->stims[s].target == p)
      P->has_current = true;
  return SW_OK;
}

SwStatus
sw_network_new (const SwNetSpec *spec, size_t memory_limit, SwNetwork **out, SwError *err)
{
  *out = NULL;
  SwStatus s = sw_net_spec_validate (spec, err);
  if (s != SW_OK)
    return s;

  size_t limit = memory_limit ? memory_limit : sw_default_memory_limit ();
  size_t need = sw_net_spec_estimate_bytes (spec);
  if (need > limit)
    return sw_error_set (err, SW_ERR_MEMORY_LIMIT,
                         "the network needs about %.1f MiB, above the memory limit of %.1f MiB",
                         need / 1048576.0, limit / 1048576.0);

  SwNetwork *net = calloc (1, sizeof *net);
  if (net == NULL)
    return sw_error_set (err, SW_ERR_NOMEM, "out of memory");
  net->spec = sw_net_spec_copy (spec);
  net->pops = calloc (spec->n_pops, sizeof *net->pops);
  net->projs = calloc (spec->n_projs ? spec->n_projs : 1, sizeof *net->projs);
  net->counts = calloc (spec->n_pops, sizeof *net->counts);
  if (net->spec == NULL || net->pops == NULL || net->projs == NULL || net->counts == NULL)
    {
      sw_network_free (net);
      return sw_error_set (err, SW_ERR_NOMEM, "out of memory");
    }
  if (sw_network_set_threads (net, spec->threads) != SW_OK)
    {
      sw_network_free (net);
      return sw_error_set (err, SW_ERR_NOMEM, "cannot start the simulation threads");
    }
  net->max_rate_hz = spec->max_rate_hz > 0 ? spec->max_rate_hz : 1000.0;
  net->check_steps = (int) lround (RATE_CHECK_MS / spec->dt_ms);
  if (net->check_steps < 1)
    net->check_steps = 1;

  for (int j = 0; j < spec->n_projs && s == SW_OK; j++)
    s = build_projection (net, j, err);
  for (int p = 0; p < spec->n_pops && s == SW_OK; p++)
    s = build_pop (net, p, err);
  if (s == SW_OK)
    {
      net->rec = sw_recorder_new (net->spec, spec->dt_ms);
      if (net->rec == NULL)
        s = sw_error_set (err, SW_ERR_NOMEM, "out of memory for the recorder");
    }
  if (s != SW_OK)
    {
      sw_network_free (net);
      return s;
    }
  for (int p = 0; p < spec->n_pops; p++)
    init_state (net, p);
  *out = net;
  return SW_OK;
}

void
sw_network_free (SwNetwork *net)
{
  if (net == NULL)
    return;
  for (int p = 0; net->pops != NULL && p < net->spec->n_pops; p++)
    {
      Pop *P = &net->pops[p];
      for (int k = 0; k < SW_MAX_STATE; k++)
        free (P->state[k]);
      free (P->refr);
      free (P->ring);
      free (P->current);
      free (P->spikes);
      free (P->src_step);
      free (P->src_index);
    }
  for (int j = 0; net->projs != NULL && j < net->spec->n_projs; j++)
    {
      free (net->projs[j].row);
      free (net->projs[j].col);
      free (net->projs[j].weight);
      free (net->projs[j].delay);
    }
  free (net->pops);
  free (net->projs);
  free (net->counts);
  sw_recorder_free (net->rec);
  sw_team_free (net->team);
  sw_net_spec_free (net->spec);
  free (net);
}

/* ------------------------------------------------------------------------ */
/* Accessors                                                                 */

const SwNetSpec *
sw_network_spec (const SwNetwork *net)
{
  return net->spec;
}

uint64_t
sw_network_step_index (const SwNetwork *net)
{
  return net->step;
}

double
sw_network_time_ms (const SwNetwork *net)
{
  return (double) net->step * net->spec->dt_ms;
}

size_t
sw_network_n_synapses (const SwNetwork *net, int proj)
{
  if (proj < 0 || proj >= net->spec->n_projs)
    return 0;
  return net->projs[proj].n_syn;
}

SwStatus
sw_network_set_threads (SwNetwork *net, int threads)
{
  int nt = threads;
  if (nt <= 0)
    {
      /* Automatic: a thread per processor, but no more than one per 5000
       * neurons, since the threads meet twice per step and a small network
       * spends more on meeting than it gains. */
      int64_t neurons = 0;
      for (int p = 0; p < net->spec->n_pops; p++)
        if (net->spec->pops[p].kind == SW_POP_NEURONS)
          neurons += net->spec->pops[p].n;
      int64_t useful = (neurons + 4999) / 5000;
      nt = (int) sysconf (_SC_NPROCESSORS_ONLN);
      if (useful < nt)
        nt = (int) useful;
    }
  if (nt < 1)
    nt = 1;
  if (nt > MAX_THREADS)
    nt = MAX_THREADS;
  if (net->team != NULL && sw_team_size (net->team) == nt)
    return SW_OK;
  SwTeam *team = sw_team_new (nt);
  if (team == NULL)
    return SW_ERR_NOMEM;
  sw_team_free (net->team);
  net->team = team;
  net->threads = sw_team_size (team);
  return SW_OK;
}

int
sw_network_threads (const SwNetwork *net)
{
  return net->threads;
}

SwRecorder *
sw_network_recorder (SwNetwork *net)
{
  return net->rec;
}

const double *
sw_network_state (const SwNetwork *net, int pop, const char *name)
{
  if (pop < 0 || pop >= net->spec->n_pops || net->spec->pops[pop].kind != SW_POP_NEURONS)
    return NULL;
  const SwNeuronType *type = net->spec->pops[pop].type;
  int k = sw_param_find (type->state, type->n_state, name);
  return k < 0 ? NULL : net->pops[pop].state[k];
}

uint64_t
sw_network_spike_count (const SwNetwork *net, int pop)
{
  if (pop < 0 || pop >= net->spec->n_pops)
    return 0;
  return net->pops[pop].spike_total;
}

/* ------------------------------------------------------------------------ */
/* Stepping                                                                  */

/* Spikes of a Poisson source population in one step: the count is binomial
 * (N sources, p = rate dt), drawn by inversion, and the sources that fire are
 * a uniform random subset of that size.  At high p each source is drawn on
 * its own instead. */
static void
draw_sources (SwNetwork *net, int p, uint64_t step)
{
  const SwPopSpec *ps = &net->spec->pops[p];
  Pop *P = &net->pops[p];
  const double t = (double) step * net->spec->dt_ms;
  const uint32_t stream = SW_STREAM_SOURCE + (uint32_t) p;
  const uint64_t seed = net->spec->seed;
  double prob = sw_waveform_sum (ps->rate, ps->n_rate, t) * net->spec->dt_ms * 1e-3;
  int n = 0;

  P->n_segs = 1;
  P->seg_off[0] = 0;
  if (prob > 1.0)
    prob = 1.0;
  if (prob <= 0.0)
    {
      P->seg_cnt[0] = 0;
      return;
    }
  const int N = ps->n;
  if (N * prob <= 32.0 && prob < 0.05)
    {
      SwRand4 r = sw_philox (seed, stream, 0xFFFFFFFFu, step);
      double u = sw_u01_53 (r.v[0], r.v[1]);
      double q = 1.0 - prob, pk = exp ((double) N * log1p (-prob)), f = pk;
      int k = 0;
      while (u > f && k < N)
        {
          pk *= (double) (N - k) / (k + 1) * prob / q;
          k++;
          f += pk;
        }
      /* k distinct sources, uniformly: rejection against those drawn. */
      Uniforms uu;
      uniforms_init (&uu, seed, stream ^ 0x8000u, (uint32_t) (step & 0xFFFFFFFFu));
      uu.counter = (step >> 32) << 20;
      for (int m = 0; m < k; m++)
        {
          int x, dup;
          do
            {
              x = (int) (uniforms_next (&uu) * N);
              if (x >= N)
                x = N - 1;
              dup = 0;
              for (int a = 0; a < n; a++)
                if (P->spikes[a] == x)
                  {
                    dup = 1;
                    break;
                  }
            }
          while (dup);
          /* Keep the list sorted. */
          int b = n - 1;
          while (b >= 0 && P->spikes[b] > x)
            {
              P->spikes[b + 1] = P->spikes[b];
              b--;
            }
          P->spikes[b + 1] = x;
          n++;
        }
    }
  else
    {
      for (int i = 0; i < N; i += 4)
        {
          SwRand4 r = sw_philox (seed, stream, (uint32_t) (i / 4), step);
          for (int w = 0; w < 4 && i + w < N; w++)
            if (sw_u01 (r.v[w]) < prob)
              P->spikes[n++] = i + w;
        }
    }
  P->seg_cnt[0] = n;
}

static void
draw_spike_times (SwNetwork *net, int p, uint64_t step)
{
  Pop *P = &net->pops[p];
  int n = 0;
  P->n_segs = 1;
  P->seg_off[0] = 0;
  while (P->src_cursor < P->src_n && P->src_step[P->src_cursor] < (int64_t) step)
    P->src_cursor++;
  while (P->src_cursor < P->src_n && P->src_step[P->src_cursor] == (int64_t) step)
    {
      int32_t x = P->src_index[P->src_cursor++];
      if (n == 0 || P->spikes[n - 1] != x)
        P->spikes[n++] = x;
    }
  P->seg_cnt[0] = n;
}

/* Per-target Poisson counts of mean @lambda for neurons [lo, hi).  One
 * Philox block serves four neighbouring neurons (block i / 4, word i % 4);
 * blocks are drawn many at a time (vectorised).  The count is found by
 * inversion against the cumulative distribution, tabulated once, as
 * k = #{j : u > F(j)}: a pass per j over the whole chunk, without branches,
 * until no uniform of the chunk exceeds F(j). */
#define POISSON_TABLE 64
#define CHUNK_BLOCKS 256

static void
poisson_small_slice (uint64_t seed, uint32_t stream, uint64_t step, double lambda, double weight, int lo, int hi,
                     double *in)
{
  double cdf[POISSON_TABLE];
  double p = exp (-lambda), f = p;
  int kmax = 0;
  cdf[0] = f;
  while (kmax + 1 < POISSON_TABLE && f < 1.0 - 1e-16)
    {
      kmax++;
      p *= lambda / kmax;
      f += p;
      cdf[kmax] = f;
    }
  uint32_t w[4][CHUNK_BLOCKS];
  double u[4 * CHUNK_BLOCKS];
  double cnt[4 * CHUNK_BLOCKS];
  for (int b0 = lo >> 2; b0 <= (hi - 1) >> 2; b0 += CHUNK_BLOCKS)
    {
      int nb = ((hi - 1) >> 2) - b0 + 1;
      if (nb > CHUNK_BLOCKS)
        nb = CHUNK_BLOCKS;
      sw_philox_fill (seed, stream, (uint32_t) b0, nb, step, w[0], w[1], w[2], w[3]);
      const int first = b0 * 4 > lo ? b0 * 4 : lo;
      const int last = (b0 + nb) * 4 < hi ? (b0 + nb) * 4 : hi;
      const int n = last - first;
      double umax = 0.0;
      for (int m = 0; m < n; m++)
        {
          int i = first + m;
          u[m] = sw_u01 (w[i & 3][(i >> 2) - b0]);
          cnt[m] = 0.0;
          umax = u[m] > umax ? u[m] : umax;
        }
      for (int k = 0; k < kmax && umax > cdf[k]; k++)
        {
          const double c = cdf[k];
          for (int m = 0; m < n; m++)
            cnt[m] += u[m] > c ? 1.0 : 0.0;
        }
      for (int m = 0; m < n; m++)
        in[first + m] += cnt[m] * weight;
    }
}

/* Phase 1 for one population of neurons on the slice of thread t. */
static void
update_slice (SwNetwork *net, int p, uint64_t step, int t, int nt)
{
  const SwNetSpec *spec = net->spec;
  const SwPopSpec *ps = &spec->pops[p];
  Pop *P = &net->pops[p];
  const int n = ps->n, nr = ps->type->n_receptors;
  const int begin = thread_begin (n, t, nt), end = thread_begin (n, t + 1, nt);
  const double t_ms = (double) step * spec->dt_ms;
  double *slot = P->ring + (size_t) (step % (uint64_t) P->ring_len) * nr * n;
  const double *input[SW_MAX_RECEPTORS];

  for (int r = 0; r < nr; r++)
    input[r] = slot + (size_t) r * n;

  if (P->has_current)
    for (int i = begin; i < end; i++)
      P->current[i] = 0.0;

  for (int s = 0; s < spec->n_stims; s++)
    {
      const SwStimSpec *st = &spec->stims[s];
      if (st->target != p)
        continue;
      int lo = st->first, hi = st->count < 0 ? n : st->first + st->count;
      if (lo < begin)
        lo = begin;
      if (hi > end)
        hi = end;
      if (lo >= hi)
        continue;
      double value = sw_waveform_sum (st->profile, st->n_profile, t_ms);
      if (st->kind == SW_STIM_CURRENT)
        {
          for (int i = lo; i < hi; i++)
            P->current[i] += value;
          continue;
        }
      double lambda = st->n_sources * value * spec->dt_ms * 1e-3;
      if (!(lambda > 0.0))
        continue;
      double *in = slot + (size_t) st->receptor * n;
      const uint32_t stream = SW_STREAM_STIM + (uint32_t) s;
      if (lambda <= 16.0)
        poisson_small_slice (spec->seed, stream, step, lambda, st->weight, lo, hi, in);
      else
        for (int i = lo; i < hi; i++)
          {
            uint32_t c = sw_poisson (spec->seed, stream | 0x8000u, (uint32_t) i, step, lambda);
            if (c)
              in[i] += c * st->weight;
          }
    }

  SwNeuronUpdate u = {
    .params = ps->params,
    .derived = P->derived,
    .state = P->state,
    .refractory = P->refr,
    .input = input,
    .current = P->has_current ? P->current : NULL,
    .begin = begin,
    .end = end,
    .dt_ms = spec->dt_ms,
    .spikes = P->spikes + begin,
  };
  ps->type->update (&u);
  /* update() appends from spikes[0] of its own buffer; the slice owns
   * [begin, end) of the population's buffer. */
  P->seg_off[t] = begin;
  P->seg_cnt[t] = u.n_spikes;
  P->bad[t] = u.first_bad;

  for (int r = 0; r < nr; r++)
    memset (slot + (size_t) r * n + begin, 0, (size_t) (end - begin) * sizeof *slot);
}

/* First position in col[s, e) holding a value >= x. */
static inline int64_t
lower_bound (const int32_t *col, int64_t s, int64_t e, int x)
{
  while (s < e)
    {
      int64_t mid = (s + e) >> 1;
      if (col[mid] < x)
        s = mid + 1;
      else
        e = mid;
    }
  return s;
}

/* Phase 3 for one projection on the target slice of thread t. */
static void
deliver_slice (SwNetwork *net, int j, uint64_t step, int t, int nt)
{
  const SwProjSpec *pr = &net->spec->projs[j];
  const Proj *P = &net->projs[j];
  const Pop *pre = &net->pops[pr->pre];
  Pop *post = &net->pops[pr->post];
  const int n_post = net->spec->pops[pr->post].n;
  const int nr = net->spec->pops[pr->post].type->n_receptors;
  const int lo = thread_begin (n_post, t, nt), hi = thread_begin (n_post, t + 1, nt);
  const int L = post->ring_len;
  const size_t slot_size = (size_t) nr * n_post;
  double *base = post->ring + (size_t) pr->receptor * n_post;

  if (lo >= hi)
    return;
  for (int sgm = 0; sgm < pre->n_segs; sgm++)
    {
      const int32_t *spk = pre->spikes + pre->seg_off[sgm];
      for (int a = 0; a < pre->seg_cnt[sgm]; a++)
        {
          int i = spk[a];
          int64_t s = P->row[i], e = P->row[i + 1];
          if (nt > 1)
            {
              /* The synapses of this slice: targets in [lo, hi). */
              s = lower_bound (P->col, s, e, lo);
              e = lower_bound (P->col, s, e, hi);
            }
          if (P->weight == NULL && P->delay == NULL)
            {
              double *dst = base + (size_t) ((step + (uint64_t) P->d0) % (uint64_t) L) * slot_size;
              const double w = P->w0;
              for (int64_t q = s; q < e; q++)
                dst[P->col[q]] += w;
            }
          else
            for (int64_t q = s; q < e; q++)
              {
                int c = P->col[q];
                int d = P->delay ? P->delay[q] : P->d0;
                double w = P->weight ? P->weight[q] : P->w0;
                base[(size_t) ((step + (uint64_t) d) % (uint64_t) L) * slot_size + c] += w;
              }
        }
    }
}

/* What the members of the team share during one sw_network_run(). */
typedef struct
{
  SwNetwork *net;
  uint64_t first, last;
  const atomic_int *cancel;
  /* Written by member 0 before a barrier, read by all after it. */
  int stop;                 /* 1 blow-up, 2 cancelled */
  int bad_pop, bad_neuron;
  double bad_rate;
  uint64_t bad_step;
} RunJob;

/* Member 0's part between the two barriers of a step: record, count and
 * check, while the others deliver (the spike buffers are only read until
 * the next barrier). */
static void
bookkeeping (RunJob *job, uint64_t step)
{
  SwNetwork *net = job->net;
  const SwNetSpec *spec = net->spec;
  for (int p = 0; p < spec->n_pops; p++)
    {
      Pop *P = &net->pops[p];
      const bool neurons = spec->pops[p].kind == SW_POP_NEURONS;
      uint32_t c = 0;
      for (int sg = 0; sg < P->n_segs; sg++)
        {
          sw_recorder_push_spikes (net->rec, p, P->spikes + P->seg_off[sg], P->seg_cnt[sg], (int64_t) step);
          c += (uint32_t) P->seg_cnt[sg];
          if (neurons && P->bad[sg] >= 0 && job->stop == 0)
            {
              job->bad_pop = p;
              job->bad_neuron = P->bad[sg];
              job->bad_step = step;
              job->stop = 1;
            }
        }
      net->counts[p] = c;
      P->spike_total += c;
      P->window_count += c;
      if ((step + 1) % (uint64_t) net->check_steps == 0)
        {
          double rate = P->window_count / (spec->pops[p].n * net->check_steps * spec->dt_ms * 1e-3);
          if (neurons && rate > net->max_rate_hz && job->stop == 0)
            {
              job->bad_pop = p;
              job->bad_rate = rate;
              job->bad_step = step;
              job->stop = 1;
            }
          P->window_count = 0;
        }
    }
  sw_recorder_count (net->rec, net->counts, (int64_t) step);
  for (int k = 0; k < sw_recorder_n_traces (net->rec); k++)
    {
      int tp, tv, tn;
      if (sw_recorder_trace_due (net->rec, k, (int64_t) step, &tp, &tv, &tn))
        sw_recorder_push_sample (net->rec, k, (int64_t) step, net->pops[tp].state[tv][tn]);
    }
  if (job->stop == 0 && job->cancel != NULL && atomic_load (job->cancel))
    {
      job->stop = 2;
      job->bad_step = step;
    }
}

static void
run_member (void *data, int t, int nt)
{
  RunJob *job = data;
  SwNetwork *net = job->net;
  const SwNetSpec *spec = net->spec;
  const int np = spec->n_pops, nj = spec->n_projs;

  for (uint64_t step = job->first; step < job->last; step++)
    {
      for (int p = 0; p < np; p++)
        {
          SwPopKind kind = spec->pops[p].kind;
          if (kind == SW_POP_NEURONS)
            update_slice (net, p, step, t, nt);
          else if (t == 0)
            {
              if (kind == SW_POP_POISSON)
                draw_sources (net, p, step);
              else
                draw_spike_times (net, p, step);
            }
        }
      sw_team_barrier (net->team, t);
      if (t == 0)
        bookkeeping (job, step);
      for (int j = 0; j < nj; j++)
        deliver_slice (net, j, step, t, nt);
      sw_team_barrier (net->team, t);
      if (job->stop)
        break;
    }
}

SwStatus
sw_network_run (SwNetwork *net, uint64_t n_steps, const atomic_int *cancel, SwError *err)
{
  const SwNetSpec *spec = net->spec;
  RunJob job = {
    .net = net,
    .first = net->step,
    .last = net->step + n_steps,
    .cancel = cancel,
    .bad_pop = -1,
    .bad_neuron = -1,
  };

  if (n_steps == 0)
    return SW_OK;
  for (int p = 0; p < spec->n_pops; p++)
    if (spec->pops[p].kind == SW_POP_NEURONS)
      net->pops[p].n_segs = sw_team_size (net->team);
  sw_team_run (net->team, run_member, &job);

  /* A stop completes the step in which it was flagged. */
  if (job.stop)
    net->step = job.bad_step + 1;
  else
    net->step = job.last;
  if (job.stop == 2)
    return sw_error_set (err, SW_ERR_CANCELLED, "stopped at t = %.1f ms", sw_network_time_ms (net));
  if (job.stop == 1)
    {
      const SwPopSpec *ps = &spec->pops[job.bad_pop];
      double t_ms = (double) job.bad_step * spec->dt_ms;
      if (job.bad_neuron >= 0)
        return sw_error_set (err, SW_ERR_BLOWUP,
                             "population %s: the state of neuron %d became NaN or infinite at t = %.1f ms",
                             ps->name, job.bad_neuron, t_ms);
      return sw_error_set (err, SW_ERR_BLOWUP,
                           "population %s: the rate ran away to %.0f Hz (limit %.0f Hz) by t = %.1f ms",
                           ps->name, job.bad_rate, net->max_rate_hz, t_ms);
    }
  return SW_OK;
}

/* ------------------------------------------------------------------------ */
/* Commands between chunks                                                   */

static SwStatus
check_pop (const SwNetwork *net, int pop, bool neurons, SwError *err)
{
  if (pop < 0 || pop >= net->spec->n_pops)
    return sw_error_set (err, SW_ERR_NOT_FOUND, "there is no population %d", pop);
  if (neurons && net->spec->pops[pop].kind != SW_POP_NEURONS)
    return sw_error_set (err, SW_ERR_INVALID, "population %s is a source, not neurons",
                         net->spec->pops[pop].name);
  return SW_OK;
}

SwStatus
sw_network_set_param (SwNetwork *net, int pop, const char *name, double value, SwError *err)
{
  SwStatus s = check_pop (net, pop, true, err);
  if (s != SW_OK)
    return s;
  SwPopSpec *ps = &net->spec->pops[pop];
  const SwNeuronType *type = ps->type;
  int k = sw_param_find (type->params, type->n_params, name);
  if (k < 0)
    return sw_error_set (err, SW_ERR_NOT_FOUND, "model %s has no parameter '%s'", type->name, name);
  const SwParamInfo *info = &type->params[k];
  if (info->flags & SW_PARAM_STRUCTURAL)
    return sw_error_set (err, SW_ERR_STRUCTURAL, "%s.%s changes the structure: rebuild the network",
                         ps->name, name);
  if (!sw_param_in_range (info, value))
    return sw_error_set (err, SW_ERR_INVALID, "%s.%s = %g %s is outside its range [%g, %g] %s", ps->name,
                         name, value, info->unit, info->min, info->max, info->unit);

  /* Transactional: derive on a copy, commit only if it is accepted. */
  double params[32];
  unsigned char derived[256];
  SwError inner;
  memcpy (params, ps->params, sizeof params);
  params[k] = value;
  if (type->derive (params, net->spec->dt_ms, derived, &inner) != SW_OK)
    return sw_error_set (err, SW_ERR_INVALID, "%s.%s = %g %s rejected: %s", ps->name, name, value,
                         info->unit, inner.text);
  memcpy (ps->params, params, sizeof params);
  memcpy (net->pops[pop].derived, derived, sizeof derived);
  return SW_OK;
}

SwStatus
sw_network_set_state (SwNetwork *net, int pop, const char *name, int neuron, double value, SwError *err)
{
  SwStatus s = check_pop (net, pop, true, err);
  if (s != SW_OK)
    return s;
  const SwPopSpec *ps = &net->spec->pops[pop];
  int k = sw_param_find (ps->type->state, ps->type->n_state, name);
  if (k < 0)
    return sw_error_set (err, SW_ERR_NOT_FOUND, "model %s has no state variable '%s'", ps->type->name, name);
  if (!isfinite (value))
    return sw_error_set (err, SW_ERR_INVALID, "%s.%s: the value is not finite", ps->name, name);
  if (neuron >= ps->n)
    return sw_error_set (err, SW_ERR_INVALID, "population %s has no neuron %d", ps->name, neuron);
  if (neuron >= 0)
    net->pops[pop].state[k][neuron] = value;
  else
    for (int i = 0; i < ps->n; i++)
      net->pops[pop].state[k][i] = value;
  return SW_OK;
}

static SwStatus
check_profile (const SwWaveform *w, int n, bool rate, SwError *err)
{
  if (n < 0 || n > SW_MAX_COMPONENTS)
    return sw_error_set (err, SW_ERR_INVALID, "at most %d components", SW_MAX_COMPONENTS);
  for (int k = 0; k < n; k++)
    if (!isfinite (w[k].amplitude) || (rate && w[k].amplitude < 0))
      return sw_error_set (err, SW_ERR_INVALID, rate ? "rates must be finite and >= 0 Hz"
                                                     : "amplitudes must be finite");
  return SW_OK;
}

SwStatus
sw_network_set_pop_rate (SwNetwork *net, int pop, const SwWaveform *w, int n, SwError *err)
{
  SwStatus s = check_pop (net, pop, false, err);
  if (s == SW_OK && net->spec->pops[pop].kind != SW_POP_POISSON)
    s = sw_error_set (err, SW_ERR_INVALID, "population %s is not a Poisson source", net->spec->pops[pop].name);
  if (s == SW_OK)
    s = check_profile (w, n, true, err);
  if (s != SW_OK)
    return s;
  memcpy (net->spec->pops[pop].rate, w, n * sizeof *w);
  net->spec->pops[pop].n_rate = n;
  return SW_OK;
}

SwStatus
sw_network_set_stim_profile (SwNetwork *net, int stim, const SwWaveform *w, int n, SwError *err)
{
  if (stim < 0 || stim >= net->spec->n_stims)
    return sw_error_set (err, SW_ERR_NOT_FOUND, "there is no stimulus %d", stim);
  SwStimSpec *st = &net->spec->stims[stim];
  SwStatus s = check_profile (w, n, st->kind == SW_STIM_POISSON, err);
  if (s != SW_OK)
    return s;
  memcpy (st->profile, w, n * sizeof *w);
  st->n_profile = n;
  return SW_OK;
}

SwStatus
sw_network_set_stim_weight (SwNetwork *net, int stim, double weight, SwError *err)
{
  if (stim < 0 || stim >= net->spec->n_stims)
    return sw_error_set (err, SW_ERR_NOT_FOUND, "there is no stimulus %d", stim);
  if (!isfinite (weight))
    return sw_error_set (err, SW_ERR_INVALID, "stimulus %s: the weight is not finite", net->spec->stims[stim].name);
  net->spec->stims[stim].weight = weight;
  return SW_OK;
}

SwStatus
sw_network_set_proj_weight (SwNetwork *net, int proj, double weight, SwError *err)
{
  if (proj < 0 || proj >= net->spec->n_projs)
    return sw_error_set (err, SW_ERR_NOT_FOUND, "there is no projection %d", proj);
  if (!isfinite (weight))
    return sw_error_set (err, SW_ERR_INVALID, "projection %s: the weight is not finite",
                         net->spec->projs[proj].name);
  SwProjSpec *pr = &net->spec->projs[proj];
  Proj *P = &net->projs[proj];
  if (P->weight != NULL)
    {
      /* Distributed weights: scale by the ratio of the means. */
      if (pr->weight.a == 0.0)
        return sw_error_set (err, SW_ERR_STRUCTURAL, "projection %s: distributed weights with mean 0 "
                             "cannot be rescaled: rebuild the network", pr->name);
      double f = weight / pr->weight.a;
      for (size_t q = 0; q < P->n_syn; q++)
        P->weight[q] = (float) (P->weight[q] * f);
      pr->weight.b *= f;
    }
  pr->weight.a = weight;
  P->w0 = weight;
  return SW_OK;
}

SwStatus
sw_network_add_stim (SwNetwork *net, const SwStimSpec *stim, int *out_index, SwError *err)
{
  SwNetSpec *spec = net->spec;
  /* Validate on a copy of the spec with the stimulus added. */
  SwNetSpec *trial = sw_net_spec_copy (spec);
  if (trial == NULL)
    return sw_error_set (err, SW_ERR_NOMEM, "out of memory");
  SwStimSpec *added = sw_net_spec_add_stim (trial, stim->name, stim->kind, stim->target);
  if (added == NULL)
    {
      sw_net_spec_free (trial);
      return sw_error_set (err, SW_ERR_NOMEM, "out of memory");
    }
  *added = *stim;
  SwStatus s = sw_net_spec_validate (trial, err);
  if (s != SW_OK)
    {
      sw_net_spec_free (trial);
      return s;
    }
  /* Commit: swap the stimulus arrays. */
  SwStimSpec *old = spec->stims;
  spec->stims = trial->stims;
  spec->n_stims = trial->n_stims;
  trial->stims = old;
  trial->n_stims = 0;
  sw_net_spec_free (trial);
  if (stim->kind == SW_STIM_CURRENT)
    net->pops[stim->target].has_current = true;
  if (out_index != NULL)
    *out_index = spec->n_stims - 1;
  return SW_OK;
}

void
sw_network_reset (SwNetwork *net)
{
  net->step = 0;
  for (int p = 0; p < net->spec->n_pops; p++)
    {
      net->pops[p].spike_total = 0;
      net->pops[p].window_count = 0;
      init_state (net, p);
    }
  sw_recorder_clear (net->rec);
}

static bool
dist_equal (const SwDist *a, const SwDist *b)
{
  return a->kind == b->kind && a->a == b->a && a->b == b->b;
}

/* The first difference between @old and @new that only a rebuild can
 * apply, described in @why; false when there is none. */
static bool
structural_difference (const SwNetSpec *old, const SwNetSpec *new, char *why, size_t len)
{
  if (old->n_pops != new->n_pops || old->n_projs != new->n_projs || old->n_stims != new->n_stims)
    return snprintf (why, len, "populations, projections or stimuli were added or removed"), true;
  if (old->dt_ms != new->dt_ms)
    return snprintf (why, len, "the time step changed"), true;
  if (old->seed != new->seed)
    return snprintf (why, len, "the seed changed"), true;
  for (int p = 0; p < old->n_pops; p++)
    {
      const SwPopSpec *a = &old->pops[p], *b = &new->pops[p];
      if (strcmp (a->name, b->name) != 0 || a->kind != b->kind || a->type != b->type)
        return snprintf (why, len, "population %s changed its kind or model", a->name), true;
      if (a->n != b->n)
        return snprintf (why, len, "population %s changed its size", a->name), true;
      for (int k = 0; a->type != NULL && k < a->type->n_state; k++)
        if (!dist_equal (&a->init[k], &b->init[k]))
          return snprintf (why, len, "population %s changed its initial state", a->name), true;
      if (a->n_times != b->n_times
          || (a->n_times > 0 && (memcmp (a->times_ms, b->times_ms, a->n_times * sizeof *a->times_ms) != 0
                                 || memcmp (a->times_index, b->times_index, a->n_times * sizeof *a->times_index) != 0)))
        return snprintf (why, len, "population %s changed its spike times", a->name), true;
    }
  for (int j = 0; j < old->n_projs; j++)
    {
      const SwProjSpec *a = &old->projs[j], *b = &new->projs[j];
      if (a->pre != b->pre || a->post != b->post || a->receptor != b->receptor || a->rule != b->rule
          || a->p != b->p || a->k != b->k || a->autapses != b->autapses || a->multapses != b->multapses)
        return snprintf (why, len, "projection %s changed its connectivity", a->name), true;
      if (!dist_equal (&a->delay_ms, &b->delay_ms))
        return snprintf (why, len, "projection %s changed its delays", a->name), true;
      bool scaled = a->weight.kind == b->weight.kind
                    && (a->weight.kind == SW_DIST_CONSTANT
                        || (a->weight.a != 0.0 && b->weight.b == a->weight.b * (b->weight.a / a->weight.a)));
      if (!scaled)
        return snprintf (why, len, "projection %s changed its weight distribution", a->name), true;
    }
  for (int s = 0; s < old->n_stims; s++)
    {
      const SwStimSpec *a = &old->stims[s], *b = &new->stims[s];
      if (a->kind != b->kind || a->target != b->target || a->first != b->first || a->count != b->count
          || a->n_sources != b->n_sources || a->receptor != b->receptor)
        return snprintf (why, len, "stimulus %s changed its targets", a->name), true;
    }
  return false;
}

SwStatus
sw_network_apply_spec (SwNetwork *net, const SwNetSpec *spec, SwError *err)
{
  SwStatus s = sw_net_spec_validate (spec, err);
  if (s != SW_OK)
    return s;
  char why[256];
  if (structural_difference (net->spec, spec, why, sizeof why))
    return sw_error_set (err, SW_ERR_STRUCTURAL, "%s: the network must be rebuilt", why);

  /* Everything below is accepted by the validation above: derive the new
   * constants of every population first, then commit. */
  unsigned char (*derived)[256] = calloc (spec->n_pops, sizeof *derived);
  if (derived == NULL)
    return sw_error_set (err, SW_ERR_NOMEM, "out of memory");
  for (int p = 0; p < spec->n_pops; p++)
    {
      const SwPopSpec *ps = &spec->pops[p];
      SwError inner;
      if (ps->kind == SW_POP_NEURONS && ps->type->derive (ps->params, spec->dt_ms, derived[p], &inner) != SW_OK)
        {
          free (derived);
          return sw_error_set (err, SW_ERR_INVALID, "population %s: %s", ps->name, inner.text);
        }
    }
  for (int p = 0; p < spec->n_pops; p++)
    {
      SwPopSpec *dst = &net->spec->pops[p];
      const SwPopSpec *src = &spec->pops[p];
      if (src->kind == SW_POP_NEURONS)
        {
          memcpy (dst->params, src->params, sizeof dst->params);
          memcpy (net->pops[p].derived, derived[p], sizeof derived[p]);
        }
      memcpy (dst->rate, src->rate, sizeof dst->rate);
      dst->n_rate = src->n_rate;
      dst->inhibitory = src->inhibitory;
    }
  free (derived);
  for (int j = 0; j < spec->n_projs; j++)
    if (spec->projs[j].weight.a != net->spec->projs[j].weight.a)
      sw_network_set_proj_weight (net, j, spec->projs[j].weight.a, NULL);
  for (int i = 0; i < spec->n_stims; i++)
    {
      SwStimSpec *dst = &net->spec->stims[i];
      dst->weight = spec->stims[i].weight;
      memcpy (dst->profile, spec->stims[i].profile, sizeof dst->profile);
      dst->n_profile = spec->stims[i].n_profile;
      if (dst->kind == SW_STIM_CURRENT)
        net->pops[dst->target].has_current = true;
    }
  net->spec->max_rate_hz = spec->max_rate_hz;
  net->max_rate_hz = spec->max_rate_hz > 0 ? spec->max_rate_hz : 1000.0;
  if (spec->threads != net->spec->threads)
    {
      net->spec->threads = spec->threads;
      sw_network_set_threads (net, spec->threads);
    }
  return SW_OK;
}
