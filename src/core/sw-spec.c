/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Network descriptions: allocation, copying, validation and the memory
 * estimate that lets a front end refuse a network before building it.
 */
#include "sw-network.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

SwNetSpec *
sw_net_spec_new (void)
{
  SwNetSpec *spec = calloc (1, sizeof *spec);
  if (spec == NULL)
    return NULL;
  spec->dt_ms = 0.1;
  spec->seed = 1;
  spec->threads = 0;
  spec->max_rate_hz = 0;
  return spec;
}

void
sw_net_spec_free (SwNetSpec *spec)
{
  if (spec == NULL)
    return;
  for (int i = 0; i < spec->n_pops; i++)
    {
      free (spec->pops[i].times_index);
      free (spec->pops[i].times_ms);
    }
  free (spec->pops);
  free (spec->projs);
  free (spec->stims);
  free (spec);
}

static void *
dup_array (const void *src, size_t size)
{
  if (src == NULL || size == 0)
    return NULL;
  void *dst = malloc (size);
  if (dst != NULL)
    memcpy (dst, src, size);
  return dst;
}

/* Copies n elements into a block with room for the next power of two, the
 * capacity that grow() below assumes. */
static void *
dup_growable (const void *src, int n, size_t size)
{
  if (src == NULL || n == 0)
    return NULL;
  size_t cap = 1;
  while (cap < (size_t) n)
    cap *= 2;
  void *dst = malloc (cap * size);
  if (dst != NULL)
    memcpy (dst, src, (size_t) n * size);
  return dst;
}

SwNetSpec *
sw_net_spec_copy (const SwNetSpec *spec)
{
  SwNetSpec *c = malloc (sizeof *c);
  if (c == NULL)
    return NULL;
  *c = *spec;
  c->pops = dup_growable (spec->pops, spec->n_pops, sizeof *spec->pops);
  c->projs = dup_growable (spec->projs, spec->n_projs, sizeof *spec->projs);
  c->stims = dup_growable (spec->stims, spec->n_stims, sizeof *spec->stims);
  for (int i = 0; i < c->n_pops; i++)
    {
      SwPopSpec *p = &c->pops[i];
      p->times_index = dup_array (p->times_index, sizeof *p->times_index * p->n_times);
      p->times_ms = dup_array (p->times_ms, sizeof *p->times_ms * p->n_times);
    }
  return c;
}

static void *
grow (void *array, int n, size_t size)
{
  /* Makes room for element n: the capacity is the next power of two. */
  if (n == 0 || (n & (n - 1)) == 0)
    {
      size_t cap = n == 0 ? 1 : (size_t) n * 2;
      array = realloc (array, cap * size);
    }
  return array;
}

SwPopSpec *
sw_net_spec_add_pop (SwNetSpec *spec, const char *name, SwPopKind kind, int n)
{
  SwPopSpec *pops = grow (spec->pops, spec->n_pops, sizeof *pops);
  if (pops == NULL)
    return NULL;
  spec->pops = pops;
  SwPopSpec *p = &pops[spec->n_pops++];
  memset (p, 0, sizeof *p);
  snprintf (p->name, sizeof p->name, "%s", name);
  p->kind = kind;
  p->n = n;
  return p;
}

SwProjSpec *
sw_net_spec_add_proj (SwNetSpec *spec, const char *name, int pre, int post)
{
  SwProjSpec *projs = grow (spec->projs, spec->n_projs, sizeof *projs);
  if (projs == NULL)
    return NULL;
  spec->projs = projs;
  SwProjSpec *p = &projs[spec->n_projs++];
  memset (p, 0, sizeof *p);
  snprintf (p->name, sizeof p->name, "%s", name);
  p->pre = pre;
  p->post = post;
  p->rule = SW_CONN_FIXED_PROBABILITY;
  p->autapses = true;
  p->multapses = false;
  p->weight.kind = SW_DIST_CONSTANT;
  p->delay_ms.kind = SW_DIST_CONSTANT;
  return p;
}

SwStimSpec *
sw_net_spec_add_stim (SwNetSpec *spec, const char *name, SwStimKind kind, int target)
{
  SwStimSpec *stims = grow (spec->stims, spec->n_stims, sizeof *stims);
  if (stims == NULL)
    return NULL;
  spec->stims = stims;
  SwStimSpec *s = &stims[spec->n_stims++];
  memset (s, 0, sizeof *s);
  snprintf (s->name, sizeof s->name, "%s", name);
  s->kind = kind;
  s->target = target;
  s->first = 0;
  s->count = -1;
  s->n_sources = 1;
  return s;
}

void
sw_pop_spec_set_type (SwPopSpec *pop, const SwNeuronType *type)
{
  pop->kind = SW_POP_NEURONS;
  pop->type = type;
  for (int i = 0; i < type->n_params; i++)
    pop->params[i] = type->params[i].default_value;
  for (int k = 0; k < type->n_state; k++)
    pop->init[k] = (SwDist) { SW_DIST_CONSTANT, type->state[k].default_value, 0 };
}

int
sw_net_spec_find_pop (const SwNetSpec *spec, const char *name)
{
  for (int i = 0; i < spec->n_pops; i++)
    if (strcmp (spec->pops[i].name, name) == 0)
      return i;
  return -1;
}

/* Largest delay, in steps, that a distribution can produce. */
int
sw_dist_max_delay_steps (const SwDist *d, double dt);

int
sw_dist_max_delay_steps (const SwDist *d, double dt)
{
  double hi;
  switch (d->kind)
    {
    case SW_DIST_UNIFORM:
      hi = fmax (d->a, d->b);
      break;
    case SW_DIST_NORMAL:
    case SW_DIST_NORMAL_CLIPPED:
      hi = d->a + 6.0 * fabs (d->b);
      break;
    case SW_DIST_CONSTANT:
    case SW_N_DISTS:
    default:
      hi = d->a;
      break;
    }
  long steps = lround (hi / dt);
  return steps < 1 ? 1 : (int) steps;
}

static SwStatus
check_dist (const SwDist *d, const char *what, const char *owner, bool nonneg, SwError *err)
{
  if ((int) d->kind < 0 || d->kind >= SW_N_DISTS)
    return sw_error_set (err, SW_ERR_INVALID, "%s: unknown distribution of the %s", owner, what);
  if (!isfinite (d->a) || !isfinite (d->b))
    return sw_error_set (err, SW_ERR_INVALID, "%s: the %s is not a finite number", owner, what);
  if (d->kind == SW_DIST_UNIFORM && !(d->a <= d->b))
    return sw_error_set (err, SW_ERR_INVALID, "%s: uniform %s needs low <= high (got %g, %g)",
                         owner, what, d->a, d->b);
  if ((d->kind == SW_DIST_NORMAL || d->kind == SW_DIST_NORMAL_CLIPPED) && d->b < 0)
    return sw_error_set (err, SW_ERR_INVALID, "%s: the %s's standard deviation is negative", owner, what);
  if (nonneg && d->a < 0)
    return sw_error_set (err, SW_ERR_INVALID, "%s: the %s must not be negative (got %g)", owner, what, d->a);
  return SW_OK;
}

SwStatus
sw_net_spec_validate (const SwNetSpec *spec, SwError *err)
{
  if (!(spec->dt_ms > 0.0 && spec->dt_ms <= 10.0))
    return sw_error_set (err, SW_ERR_INVALID, "the time step must lie in (0, 10] ms (got %g)", spec->dt_ms);
  if (spec->n_pops == 0)
    return sw_error_set (err, SW_ERR_INVALID, "the network has no population");
  if (spec->threads < 0 || spec->threads > 1024)
    return sw_error_set (err, SW_ERR_INVALID, "threads must lie in 0..1024 (got %d)", spec->threads);

  for (int i = 0; i < spec->n_pops; i++)
    {
      const SwPopSpec *p = &spec->pops[i];
      if (p->name[0] == '\0')
        return sw_error_set (err, SW_ERR_INVALID, "population %d has no name", i);
      for (int j = 0; j < i; j++)
        if (strcmp (spec->pops[j].name, p->name) == 0)
          return sw_error_set (err, SW_ERR_INVALID, "two populations are named '%s'", p->name);
      if (p->n < 1 || p->n > (1 << 30))
        return sw_error_set (err, SW_ERR_INVALID, "population %s: size must lie in 1..%d (got %d)",
                             p->name, 1 << 30, p->n);
      if (p->kind == SW_POP_NEURONS)
        {
          if (p->type == NULL)
            return sw_error_set (err, SW_ERR_INVALID, "population %s has no neuron model", p->name);
          for (int k = 0; k < p->type->n_params; k++)
            if (!sw_param_in_range (&p->type->params[k], p->params[k]))
              return sw_error_set (err, SW_ERR_INVALID,
                                   "population %s: %s = %g %s is outside its range [%g, %g] %s",
                                   p->name, p->type->params[k].name, p->params[k], p->type->params[k].unit,
                                   p->type->params[k].min, p->type->params[k].max, p->type->params[k].unit);
          for (int k = 0; k < p->type->n_state; k++)
            {
              SwStatus s = check_dist (&p->init[k], p->type->state[k].name, p->name, false, err);
              if (s != SW_OK)
                return s;
            }
          unsigned char derived[256];
          if (p->type->derived_size > sizeof derived)
            return sw_error_set (err, SW_ERR_INVALID, "model %s: derived block too large", p->type->name);
          SwError inner;
          if (p->type->derive (p->params, spec->dt_ms, derived, &inner) != SW_OK)
            return sw_error_set (err, SW_ERR_INVALID, "population %s: %s", p->name, inner.text);
        }
      else if (p->kind == SW_POP_POISSON)
        {
          if (p->n_rate < 0 || p->n_rate > SW_MAX_COMPONENTS)
            return sw_error_set (err, SW_ERR_INVALID, "population %s: bad number of rate components", p->name);
          for (int k = 0; k < p->n_rate; k++)
            if (!isfinite (p->rate[k].amplitude) || p->rate[k].amplitude < 0)
              return sw_error_set (err, SW_ERR_INVALID, "population %s: rates must be finite and >= 0 Hz",
                                   p->name);
        }
      else if (p->kind == SW_POP_SPIKE_TIMES)
        {
          for (int k = 0; k < p->n_times; k++)
            {
              if (p->times_index[k] < 0 || p->times_index[k] >= p->n)
                return sw_error_set (err, SW_ERR_INVALID, "population %s: spike %d names neuron %d of %d",
                                     p->name, k, p->times_index[k], p->n);
              if (!(p->times_ms[k] >= 0) || !isfinite (p->times_ms[k]))
                return sw_error_set (err, SW_ERR_INVALID, "population %s: spike %d has a bad time (%g ms)",
                                     p->name, k, p->times_ms[k]);
            }
        }
      else
        return sw_error_set (err, SW_ERR_INVALID, "population %s: unknown kind", p->name);
    }

  for (int i = 0; i < spec->n_projs; i++)
    {
      const SwProjSpec *pr = &spec->projs[i];
      if (pr->pre < 0 || pr->pre >= spec->n_pops || pr->post < 0 || pr->post >= spec->n_pops)
        return sw_error_set (err, SW_ERR_INVALID, "projection %s: unknown population", pr->name);
      const SwPopSpec *pre = &spec->pops[pr->pre], *post = &spec->pops[pr->post];
      if (post->kind != SW_POP_NEURONS)
        return sw_error_set (err, SW_ERR_INVALID, "projection %s: the target %s is a source, not neurons",
                             pr->name, post->name);
      if (pr->receptor < 0 || pr->receptor >= post->type->n_receptors)
        return sw_error_set (err, SW_ERR_INVALID, "projection %s: %s has no receptor %d",
                             pr->name, post->name, pr->receptor);
      bool self = pr->pre == pr->post && !pr->autapses;
      switch (pr->rule)
        {
        case SW_CONN_FIXED_PROBABILITY:
          if (!(pr->p >= 0.0 && pr->p <= 1.0))
            return sw_error_set (err, SW_ERR_INVALID, "projection %s: p must lie in [0, 1] (got %g)",
                                 pr->name, pr->p);
          break;
        case SW_CONN_FIXED_INDEGREE:
          if (pr->k < 0 || (!pr->multapses && pr->k > pre->n - (self ? 1 : 0)))
            return sw_error_set (err, SW_ERR_INVALID,
                                 "projection %s: in-degree %d impossible with %d distinct sources",
                                 pr->name, pr->k, pre->n - (self ? 1 : 0));
          if (pr->multapses && pr->k > 0 && pre->n - (self ? 1 : 0) < 1)
            return sw_error_set (err, SW_ERR_INVALID, "projection %s: no source to draw from", pr->name);
          break;
        case SW_CONN_FIXED_OUTDEGREE:
          if (pr->k < 0 || (!pr->multapses && pr->k > post->n - (self ? 1 : 0)))
            return sw_error_set (err, SW_ERR_INVALID,
                                 "projection %s: out-degree %d impossible with %d distinct targets",
                                 pr->name, pr->k, post->n - (self ? 1 : 0));
          if (pr->multapses && pr->k > 0 && post->n - (self ? 1 : 0) < 1)
            return sw_error_set (err, SW_ERR_INVALID, "projection %s: no target to draw from", pr->name);
          break;
        case SW_CONN_ONE_TO_ONE:
          if (pre->n != post->n)
            return sw_error_set (err, SW_ERR_INVALID,
                                 "projection %s: one_to_one needs equal sizes (%d and %d)",
                                 pr->name, pre->n, post->n);
          break;
        case SW_CONN_ALL_TO_ALL:
          break;
        case SW_N_CONNS:
        default:
          return sw_error_set (err, SW_ERR_INVALID, "projection %s: unknown rule", pr->name);
        }
      SwStatus s = check_dist (&pr->weight, "weight", pr->name, false, err);
      if (s == SW_OK)
        s = check_dist (&pr->delay_ms, "delay", pr->name, true, err);
      if (s != SW_OK)
        return s;
      if (sw_dist_max_delay_steps (&pr->delay_ms, spec->dt_ms) > 65535)
        return sw_error_set (err, SW_ERR_INVALID, "projection %s: delay too long for the time step",
                             pr->name);
    }

  for (int i = 0; i < spec->n_stims; i++)
    {
      const SwStimSpec *st = &spec->stims[i];
      if (st->target < 0 || st->target >= spec->n_pops || spec->pops[st->target].kind != SW_POP_NEURONS)
        return sw_error_set (err, SW_ERR_INVALID, "stimulus %s: the target must be a population of neurons",
                             st->name);
      const SwPopSpec *t = &spec->pops[st->target];
      int count = st->count < 0 ? t->n - st->first : st->count;
      if (st->first < 0 || count < 0 || st->first + count > t->n)
        return sw_error_set (err, SW_ERR_INVALID, "stimulus %s: neurons [%d, %d) outside %s (0..%d)",
                             st->name, st->first, st->first + count, t->name, t->n);
      if (st->n_profile < 0 || st->n_profile > SW_MAX_COMPONENTS)
        return sw_error_set (err, SW_ERR_INVALID, "stimulus %s: bad number of components", st->name);
      if (st->kind == SW_STIM_POISSON)
        {
          if (st->receptor < 0 || st->receptor >= t->type->n_receptors)
            return sw_error_set (err, SW_ERR_INVALID, "stimulus %s: %s has no receptor %d",
                                 st->name, t->name, st->receptor);
          if (st->n_sources < 1)
            return sw_error_set (err, SW_ERR_INVALID, "stimulus %s: n_sources must be >= 1 (got %d)",
                                 st->name, st->n_sources);
          if (!isfinite (st->weight))
            return sw_error_set (err, SW_ERR_INVALID, "stimulus %s: the weight is not finite", st->name);
          for (int k = 0; k < st->n_profile; k++)
            if (!isfinite (st->profile[k].amplitude) || st->profile[k].amplitude < 0)
              return sw_error_set (err, SW_ERR_INVALID, "stimulus %s: rates must be finite and >= 0 Hz",
                                   st->name);
        }
      else if (st->kind != SW_STIM_CURRENT)
        return sw_error_set (err, SW_ERR_INVALID, "stimulus %s: unknown kind", st->name);
    }
  return SW_OK;
}

static double
expected_synapses (const SwNetSpec *spec, const SwProjSpec *pr)
{
  double npre = spec->pops[pr->pre].n, npost = spec->pops[pr->post].n;
  double diag = (pr->pre == pr->post && !pr->autapses) ? npre : 0.0;
  switch (pr->rule)
    {
    case SW_CONN_ALL_TO_ALL:
      return npre * npost - diag;
    case SW_CONN_ONE_TO_ONE:
      return diag > 0 ? 0 : npre;
    case SW_CONN_FIXED_PROBABILITY:
      return pr->p * (npre * npost - diag);
    case SW_CONN_FIXED_INDEGREE:
      return npost * pr->k;
    case SW_CONN_FIXED_OUTDEGREE:
      return npre * pr->k;
    case SW_N_CONNS:
    default:
      return 0;
    }
}

size_t
sw_net_spec_estimate_bytes (const SwNetSpec *spec)
{
  double bytes = 4096;
  double temp_max = 0;

  for (int i = 0; i < spec->n_pops; i++)
    {
      const SwPopSpec *p = &spec->pops[i];
      if (p->kind != SW_POP_NEURONS)
        {
          bytes += (double) p->n * 4 + (double) p->n_times * 12;
          continue;
        }
      int slots = 2;
      for (int j = 0; j < spec->n_projs; j++)
        if (spec->projs[j].post == i)
          {
            int d = sw_dist_max_delay_steps (&spec->projs[j].delay_ms, spec->dt_ms) + 1;
            if (d > slots)
              slots = d;
          }
      double per_neuron = p->type->n_state * 8.0 + 4 /* refractory */ + 4 /* spike buffer */
                          + 8.0 /* current */ + (double) slots * p->type->n_receptors * 8.0;
      bytes += per_neuron * p->n;
    }
  for (int j = 0; j < spec->n_projs; j++)
    {
      const SwProjSpec *pr = &spec->projs[j];
      double nsyn = expected_synapses (spec, pr);
      double per_syn = 4.0 + (pr->weight.kind != SW_DIST_CONSTANT ? 4.0 : 0.0)
                       + (pr->delay_ms.kind != SW_DIST_CONSTANT ? 2.0 : 0.0);
      bytes += nsyn * per_syn + 8.0 * (spec->pops[pr->pre].n + 1);
      /* Rules drawn per target are transposed through a temporary copy. */
      if (pr->rule == SW_CONN_FIXED_INDEGREE && nsyn * 4.0 > temp_max)
        temp_max = nsyn * 4.0;
    }
  bytes += temp_max;
  return bytes > (double) SIZE_MAX ? SIZE_MAX : (size_t) bytes;
}

size_t
sw_default_memory_limit (void)
{
  long pages = sysconf (_SC_PHYS_PAGES), page = sysconf (_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0)
    return (size_t) 4 << 30;
  return (size_t) ((double) pages * (double) page * 0.8);
}
