/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Bounded recording buffers (see sw-recorder.h).  Spikes and trace samples
 * drop the newest records when full, so that what was kept is a complete
 * prefix; rate bins drop the oldest, so that a live view always has the
 * latest bins and the bins kept stay contiguous.
 */
#include "sw-recorder-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
  bool used;
  int pop, var, neuron, interval;
  SwTraceSample *buf;
  size_t cap, head, len;
} Trace;

struct SwRecorder
{
  const SwNetSpec *spec;
  int n_pops;
  int *first, *count;           /* recorded range per population */

  SwSpike *spikes;
  size_t cap, head, len;

  int bin_steps;
  int64_t cur_bin;
  uint32_t *cur;                /* counts of the bin in progress */
  uint32_t *bins;               /* ring of completed bins, [bin][pop] */
  size_t bin_cap, bin_head, bin_len;
  int64_t bin_first;            /* index of the oldest kept bin */

  Trace *traces;
  int n_traces;

  uint64_t dropped;
};

SwRecorder *
sw_recorder_new (const SwNetSpec *spec, double dt_ms)
{
  SwRecorder *rec = calloc (1, sizeof *rec);
  if (rec == NULL)
    return NULL;
  rec->spec = spec;
  rec->n_pops = spec->n_pops;
  rec->first = calloc (spec->n_pops, sizeof *rec->first);
  rec->count = calloc (spec->n_pops, sizeof *rec->count);
  rec->cur = calloc (spec->n_pops, sizeof *rec->cur);
  rec->bin_cap = 1 << 16;
  rec->bins = calloc (rec->bin_cap * spec->n_pops, sizeof *rec->bins);
  if (rec->first == NULL || rec->count == NULL || rec->cur == NULL || rec->bins == NULL
      || sw_recorder_set_spike_capacity (rec, 1 << 20) != SW_OK)
    {
      sw_recorder_free (rec);
      return NULL;
    }
  for (int p = 0; p < spec->n_pops; p++)
    rec->count[p] = -1;
  int bin = (int) lround (1.0 / dt_ms);
  rec->bin_steps = bin < 1 ? 1 : bin;
  return rec;
}

void
sw_recorder_free (SwRecorder *rec)
{
  if (rec == NULL)
    return;
  for (int k = 0; k < rec->n_traces; k++)
    free (rec->traces[k].buf);
  free (rec->traces);
  free (rec->first);
  free (rec->count);
  free (rec->cur);
  free (rec->bins);
  free (rec->spikes);
  free (rec);
}

void
sw_recorder_set_spike_range (SwRecorder *rec, int pop, int first, int count)
{
  if (pop < 0 || pop >= rec->n_pops)
    return;
  rec->first[pop] = first < 0 ? 0 : first;
  rec->count[pop] = count;
}

SwStatus
sw_recorder_set_spike_capacity (SwRecorder *rec, size_t capacity)
{
  if (capacity == 0)
    return SW_ERR_INVALID;
  SwSpike *buf = malloc (capacity * sizeof *buf);
  if (buf == NULL)
    return SW_ERR_NOMEM;
  free (rec->spikes);
  rec->spikes = buf;
  rec->cap = capacity;
  rec->head = rec->len = 0;
  return SW_OK;
}

void
sw_recorder_push_spikes (SwRecorder *rec, int pop, const int32_t *idx, int n, int64_t step)
{
  int lo = rec->first[pop], cnt = rec->count[pop];
  int hi = cnt < 0 ? INT32_MAX : lo + cnt;
  if (cnt == 0)
    return;
  for (int k = 0; k < n; k++)
    {
      if (idx[k] < lo || idx[k] >= hi)
        continue;
      if (rec->len == rec->cap)
        {
          rec->dropped++;
          continue;
        }
      size_t at = (rec->head + rec->len) % rec->cap;
      rec->spikes[at] = (SwSpike) { pop, idx[k], step };
      rec->len++;
    }
}

size_t
sw_recorder_drain_spikes (SwRecorder *rec, SwSpike *out, size_t max)
{
  size_t n = rec->len < max ? rec->len : max;
  for (size_t k = 0; k < n; k++)
    out[k] = rec->spikes[(rec->head + k) % rec->cap];
  rec->head = (rec->head + n) % rec->cap;
  rec->len -= n;
  return n;
}

size_t
sw_recorder_pending_spikes (const SwRecorder *rec)
{
  return rec->len;
}

SwStatus
sw_recorder_set_rate_bin (SwRecorder *rec, int bin_steps)
{
  if (bin_steps < 1)
    return SW_ERR_INVALID;
  rec->bin_steps = bin_steps;
  rec->bin_len = rec->bin_head = 0;
  rec->bin_first = 0;
  rec->cur_bin = 0;
  memset (rec->cur, 0, rec->n_pops * sizeof *rec->cur);
  return SW_OK;
}

int
sw_recorder_rate_bin (const SwRecorder *rec)
{
  return rec->bin_steps;
}

int
sw_recorder_n_pops (const SwRecorder *rec)
{
  return rec->n_pops;
}

void
sw_recorder_count (SwRecorder *rec, const uint32_t *counts, int64_t step)
{
  int64_t bin = step / rec->bin_steps;
  if (bin != rec->cur_bin)
    {
      /* A jump (after a reset) starts afresh. */
      rec->cur_bin = bin;
      memset (rec->cur, 0, rec->n_pops * sizeof *rec->cur);
    }
  for (int p = 0; p < rec->n_pops; p++)
    rec->cur[p] += counts[p];
  if ((step + 1) % rec->bin_steps != 0)
    return;

  if (rec->bin_len == 0)
    rec->bin_first = bin;
  else if (rec->bin_first + (int64_t) rec->bin_len != bin)
    {
      /* Not contiguous with what is kept: drop the old bins. */
      rec->dropped += rec->bin_len;
      rec->bin_len = 0;
      rec->bin_first = bin;
    }
  if (rec->bin_len == rec->bin_cap)
    {
      rec->bin_head = (rec->bin_head + 1) % rec->bin_cap;
      rec->bin_len--;
      rec->bin_first++;
      rec->dropped++;
    }
  size_t at = (rec->bin_head + rec->bin_len) % rec->bin_cap;
  memcpy (&rec->bins[at * rec->n_pops], rec->cur, rec->n_pops * sizeof *rec->cur);
  rec->bin_len++;
  rec->cur_bin = bin + 1;
  memset (rec->cur, 0, rec->n_pops * sizeof *rec->cur);
}

size_t
sw_recorder_drain_rates (SwRecorder *rec, int64_t *first_bin, uint32_t *counts, size_t max)
{
  size_t n = rec->bin_len < max ? rec->bin_len : max;
  if (first_bin != NULL)
    *first_bin = rec->bin_first;
  for (size_t k = 0; k < n; k++)
    memcpy (&counts[k * rec->n_pops], &rec->bins[((rec->bin_head + k) % rec->bin_cap) * rec->n_pops],
            rec->n_pops * sizeof *counts);
  rec->bin_head = (rec->bin_head + n) % rec->bin_cap;
  rec->bin_len -= n;
  rec->bin_first += (int64_t) n;
  return n;
}

SwStatus
sw_recorder_add_trace (SwRecorder *rec, int pop, const char *var, int neuron, int interval,
                       int *out_id, SwError *err)
{
  if (pop < 0 || pop >= rec->n_pops)
    return sw_error_set (err, SW_ERR_NOT_FOUND, "no population %d", pop);
  const SwPopSpec *p = &rec->spec->pops[pop];
  if (p->kind != SW_POP_NEURONS)
    return sw_error_set (err, SW_ERR_INVALID, "population %s has no state to trace", p->name);
  int v = sw_param_find (p->type->state, p->type->n_state, var);
  if (v < 0)
    return sw_error_set (err, SW_ERR_NOT_FOUND, "model %s has no state variable '%s'", p->type->name, var);
  if (neuron < 0 || neuron >= p->n)
    return sw_error_set (err, SW_ERR_INVALID, "population %s has no neuron %d (0..%d)", p->name, neuron, p->n - 1);
  if (interval < 1)
    return sw_error_set (err, SW_ERR_INVALID, "the sampling interval must be at least one step");

  int k = 0;
  while (k < rec->n_traces && rec->traces[k].used)
    k++;
  if (k == rec->n_traces)
    {
      Trace *t = realloc (rec->traces, (rec->n_traces + 1) * sizeof *t);
      if (t == NULL)
        return sw_error_set (err, SW_ERR_NOMEM, "out of memory for a trace");
      rec->traces = t;
      memset (&rec->traces[k], 0, sizeof (Trace));
      rec->n_traces++;
    }
  Trace *t = &rec->traces[k];
  t->cap = 1 << 18;
  t->buf = malloc (t->cap * sizeof *t->buf);
  if (t->buf == NULL)
    return sw_error_set (err, SW_ERR_NOMEM, "out of memory for a trace");
  t->used = true;
  t->pop = pop;
  t->var = v;
  t->neuron = neuron;
  t->interval = interval;
  t->head = t->len = 0;
  *out_id = k;
  return SW_OK;
}

void
sw_recorder_remove_trace (SwRecorder *rec, int id)
{
  if (id < 0 || id >= rec->n_traces || !rec->traces[id].used)
    return;
  free (rec->traces[id].buf);
  memset (&rec->traces[id], 0, sizeof (Trace));
}

size_t
sw_recorder_drain_trace (SwRecorder *rec, int id, SwTraceSample *out, size_t max)
{
  if (id < 0 || id >= rec->n_traces || !rec->traces[id].used)
    return 0;
  Trace *t = &rec->traces[id];
  size_t n = t->len < max ? t->len : max;
  for (size_t k = 0; k < n; k++)
    out[k] = t->buf[(t->head + k) % t->cap];
  t->head = (t->head + n) % t->cap;
  t->len -= n;
  return n;
}

int
sw_recorder_n_traces (const SwRecorder *rec)
{
  return rec->n_traces;
}

int
sw_recorder_trace_due (const SwRecorder *rec, int k, int64_t step, int *pop, int *var, int *neuron)
{
  const Trace *t = &rec->traces[k];
  if (!t->used || (step + 1) % t->interval != 0)
    return 0;
  *pop = t->pop;
  *var = t->var;
  *neuron = t->neuron;
  return 1;
}

void
sw_recorder_push_sample (SwRecorder *rec, int k, int64_t step, double value)
{
  Trace *t = &rec->traces[k];
  if (t->len == t->cap)
    {
      rec->dropped++;
      return;
    }
  t->buf[(t->head + t->len) % t->cap] = (SwTraceSample) { step, value };
  t->len++;
}

uint64_t
sw_recorder_dropped (const SwRecorder *rec)
{
  return rec->dropped;
}

void
sw_recorder_clear (SwRecorder *rec)
{
  rec->head = rec->len = 0;
  rec->bin_head = rec->bin_len = 0;
  rec->bin_first = 0;
  rec->cur_bin = 0;
  memset (rec->cur, 0, rec->n_pops * sizeof *rec->cur);
  for (int k = 0; k < rec->n_traces; k++)
    rec->traces[k].head = rec->traces[k].len = 0;
  rec->dropped = 0;
}
