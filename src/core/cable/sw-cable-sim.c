/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cable simulation: groups of cells of one definition stepped together
 * (structure of arrays, node-major and cell-minor, so that the Hines sweep
 * and the mechanism loops run over the cells of a group in the innermost,
 * contiguous loop), point processes (kinetic and double-exponential
 * synapses, clamps), the event queue, spike detection and probes.
 *
 * One step (NEURON order):
 *   1. events due at this step are delivered (double-exponential synapses
 *      jump; kinetic synapses note a release request);
 *   2. membrane and synaptic currents and their slopes are evaluated at V^n;
 *   3. the tree is solved for ΔV (backward Euler, or Crank-Nicolson: a
 *      half step, then extrapolation);
 *   4. spikes are detected on V^{n+1} and their events queued;
 *   5. gates, pools and synapses advance with V^{n+1};
 *   6. probes sample.
 * In BRC order step 5 comes before step 2, with V^n.
 *
 * Steps 2, 3 and the gates of step 5 concern one group each, so with
 * threads > 1 they run in parallel: every population is split into as many
 * groups as there are threads (each a slice of its cells).  Thread t steps
 * the t-th slices (their data stay in its core's caches), then helps with
 * any group nobody has taken yet, largest first; the events, spike
 * detection and probes stay on the calling thread.  A thread that is late
 * (descheduled on a busy machine) finds its groups taken and holds nobody
 * up.  Cells never share arithmetic, so the results are the same for any
 * number of threads.
 */
#include "sw-cable-private.h"
#include "sw-rng.h"
#include "sw-team.h"

#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STREAM_NOISE 0x70000u

typedef struct
{
  const SwCableMechType *type;
  int nrow;
  int *node;        /* [nrow] */
  double *p;        /* [n_params][nrow][nc] */
  double *s;        /* [n_states][nrow][nc] */
  size_t stride;    /* nrow * nc */
  const SwCableTable *tab;   /* rate table (owned by the simulation), or NULL */
  /* Runs of rows on consecutive nodes: run r covers rows run_row[r] ..
   * + run_len[r] - 1, which sit on nodes run_node[r] .. + run_len[r] - 1.
   * Within a run the block's arrays and the group's node arrays line up
   * entry for entry, so one call of a mechanism works on the node values
   * in place (no gathering into the block's order). */
  int nrun;
  int *run_row, *run_node, *run_len;
} GroupMech;

typedef struct
{
  int64_t step;
  int syn;
  double w;
} Event;

typedef struct
{
  Event *e;
  int n, cap;
} EventList;

/* Groups start on cache lines of their own: with threads, each writes its
 * flags every step. */
typedef struct
{
  _Alignas (64) SwCableCell *def;
  int nc, first, nn;
  double *cap;      /* [nn] nF */
  double *gax;      /* [nn] µS to the parent */
  double *gsum;     /* [nn] sum of the axial conductances at the node */
  double *area;     /* [nn] */
  /* [nn * nc] */
  double *v, *d, *b, *idens, *gdens, *ipt, *gpt, *ica, *cai;
  GroupMech *m;
  int nm;
  /* [nn * nc] the fine-table interval and fraction of v (one computation
   * for all the rate tables of the node), valid while pos_valid. */
  int *fine_i;
  double *fine_f;
  bool pos_valid, any_fine;
  double work;      /* its share of a step's arithmetic, for the order */
  int home;         /* the thread that takes it first */
  bool blown;
  EventList out;    /* events its spikes caused in the last step, in order */
  bool out_failed;  /* out of memory for them */       /* V became non-finite in the last step */
  bool *above;      /* [nc] detection node above 0 mV */
  int64_t *last_rel;/* [nc] step of the last kinetic release this cell caused */
} Group;

typedef struct
{
  SwCableSynParams p;
  int cell, group;
  size_t idx;
  double R, A, B, f;
  double r_inf, e_on, e_off, e_a, e_b;
  int pulse_steps, min_gap;
  int pulse_left;
  bool pending, released;
  int64_t last_release, end_step;
} Syn;

typedef struct
{
  int pre, syn;
  int delay_steps;
  double weight;
} Conn;

typedef struct
{
  int syn;
  double t, w;
} ListEvent;


/* The counters the threads share, each on a cache line of its own (no
 * false sharing with the data of the step). */
typedef struct
{
  _Alignas (64) atomic_ulong go;
  _Alignas (64) atomic_int groups_done;
  _Alignas (64) atomic_int n_sleeping;
} SyncLines;

typedef struct
{
  _Alignas (64) atomic_ulong v;   /* the last step (value of go) it was taken for */
} TakenLine;

typedef enum
{
  CLAMP_I,
  CLAMP_NOISE,
  CLAMP_ZAP,
  CLAMP_V,
} ClampKind;

typedef struct
{
  ClampKind kind;
  int cell, group, id;
  size_t idx;
  double delay, dur, amp, mean, sd, f0, f1, v, gs;
  double i_now;   /* nA into the cell at the last step */
} Clamp;

typedef struct
{
  SwCableProbeKind kind;
  int group;
  size_t idx;
  int mech, state;   /* STATE: group mechanism and state; row idx into its arrays */
  int index;
  double *data;
  size_t n, cap;
} Probe;

typedef struct
{
  double *t;
  size_t n, cap;
} SpikeList;

struct SwCableSim
{
  SwCableConfig cfg;
  Group *g;
  int ng;
  int n_cells;
  int *cell_group, *cell_local;
  SpikeList *spikes;

  Syn *syn;
  int n_syn, cap_syn;
  Conn *conn;
  int n_conn, cap_conn;
  int *conn_start, *conn_order;   /* CSR of conn by pre cell, built at init */
  ListEvent *lev;
  int n_lev, cap_lev;
  Event *heap;
  int n_heap, cap_heap;

  Clamp *clamp;
  int n_clamp, cap_clamp;
  Probe *probe;
  int n_probe, cap_probe;
  int record_every;

  SwCableTable **tabs;   /* rate tables shared by the groups */
  int n_tabs;

  /* Synapses and clamps by the group of their node (CSR, in index order),
   * for the per-group part of the step; rebuilt when their counts change. */
  int *gsyn_start, *gsyn, *gclamp_start, *gclamp;
  int lists_syn, lists_clamp, lists_ng, lists_probe;

  /* Worker threads 1 .. n_threads - 1 (thread 0 is the caller).  Each step
   * the caller resets @groups_done, bumps @go and takes groups (a group is
   * taken for step go when its @taken is raised to go), its own first, as
   * the workers do when they see @go change; the step's groups are done
   * when @groups_done reaches ng. */
  int n_threads;
  pthread_t *workers;
  void *worker_args;
  int n_workers;
  bool workers_tried;
  int *order;
  /* With workers, in NEURON order, the synapse work after the spike
   * detection of step n (events due at n, then the advance) is done by the
   * groups at the start of step n + 1, followed by the events due at n + 1:
   * syn_deferred says step syn_defer_step left it; ev_after and ev_next
   * hold the events. */
  bool syn_deferred;
  int64_t syn_defer_step;
  EventList ev_after, ev_next;
  bool syn_probes;   /* a probe reads a synapse */
  SyncLines *sync;
  TakenLine *taken;   /* [ng], from group_lists() */
  int next_home;
  atomic_bool quit;
  pthread_mutex_t lock;
  pthread_cond_t wake;

  int64_t step;
  bool initialised;
};

static void workers_stop (SwCableSim *sim);
static void workers_start (SwCableSim *sim);

/* ---------------- small helpers ---------------- */

static bool
grow (void **arr, int *cap, int need, size_t elem)
{
  if (need <= *cap)
    return true;
  int c = *cap ? *cap : 16;
  while (c < need)
    c *= 2;
  void *p = realloc (*arr, elem * c);
  if (p == NULL)
    return false;
  *arr = p;
  *cap = c;
  return true;
}

static void
heap_push (SwCableSim *sim, int64_t step, int syn, double w)
{
  if (!grow ((void **) &sim->heap, &sim->cap_heap, sim->n_heap + 1, sizeof (Event)))
    return;
  int i = sim->n_heap++;
  Event e = { step, syn, w };
  while (i > 0)
    {
      int p = (i - 1) / 2;
      if (sim->heap[p].step <= step)
        break;
      sim->heap[i] = sim->heap[p];
      i = p;
    }
  sim->heap[i] = e;
}

static Event
heap_pop (SwCableSim *sim)
{
  Event top = sim->heap[0];
  Event last = sim->heap[--sim->n_heap];
  int i = 0, n = sim->n_heap;
  for (;;)
    {
      int l = 2 * i + 1, r = l + 1, m = i;
      int64_t ms = last.step;
      if (l < n && sim->heap[l].step < ms)
        {
          m = l;
          ms = sim->heap[l].step;
        }
      if (r < n && sim->heap[r].step < ms)
        m = r;
      if (m == i)
        break;
      sim->heap[i] = sim->heap[m];
      i = m;
    }
  if (n > 0)
    sim->heap[i] = last;
  return top;
}

void
sw_cable_config_init (SwCableConfig *cfg)
{
  memset (cfg, 0, sizeof *cfg);
  cfg->dt_ms = 0.025;
  cfg->method = SW_CABLE_BACKWARD_EULER;
  cfg->order = SW_CABLE_ORDER_NEURON;
  cfg->celsius = 37.0;
  cfg->cat_tau = SW_CABLE_CAT_TAU_BRC;
  cfg->seed = 1;
  cfg->record_dt_ms = 0;
  cfg->threads = 1;
}

SwCableSim *
sw_cable_sim_new (const SwCableConfig *cfg)
{
  SwCableSim *sim = calloc (1, sizeof (SwCableSim));
  if (sim == NULL)
    return NULL;
  if (cfg)
    sim->cfg = *cfg;
  else
    sw_cable_config_init (&sim->cfg);
  if (!(sim->cfg.dt_ms > 0))
    sim->cfg.dt_ms = 0.025;
  double rdt = sim->cfg.record_dt_ms > 0 ? sim->cfg.record_dt_ms : sim->cfg.dt_ms;
  sim->record_every = (int) llround (rdt / sim->cfg.dt_ms);
  if (sim->record_every < 1)
    sim->record_every = 1;
  sim->n_threads = sim->cfg.threads < 1 ? 1 : sim->cfg.threads > 64 ? 64 : sim->cfg.threads;
  sim->sync = aligned_alloc (64, sizeof (SyncLines));
  if (sim->sync == NULL)
    {
      free (sim);
      return NULL;
    }
  atomic_init (&sim->sync->go, 0);
  atomic_init (&sim->sync->groups_done, 0);
  atomic_init (&sim->sync->n_sleeping, 0);
  atomic_init (&sim->quit, false);
  pthread_mutex_init (&sim->lock, NULL);
  pthread_cond_init (&sim->wake, NULL);
  return sim;
}

static void
group_free (Group *g)
{
  for (int k = 0; k < g->nm; k++)
    {
      free (g->m[k].node);
      free (g->m[k].p);
      free (g->m[k].s);
      free (g->m[k].run_row);
      free (g->m[k].run_node);
      free (g->m[k].run_len);
    }
  free (g->m);
  free (g->cap);
  free (g->gax);
  free (g->gsum);
  free (g->area);
  free (g->v);
  free (g->d);
  free (g->b);
  free (g->idens);
  free (g->gdens);
  free (g->ipt);
  free (g->gpt);
  free (g->ica);
  free (g->cai);
  free (g->above);
  free (g->last_rel);
  free (g->fine_i);
  free (g->fine_f);
  free (g->out.e);
  sw_cable_cell_free (g->def);
}

void
sw_cable_sim_free (SwCableSim *sim)
{
  if (sim == NULL)
    return;
  workers_stop (sim);
  pthread_mutex_destroy (&sim->lock);
  pthread_cond_destroy (&sim->wake);
  free (sim->gsyn_start);
  free (sim->gsyn);
  free (sim->gclamp_start);
  free (sim->gclamp);
  free (sim->order);
  free (sim->taken);
  free (sim->sync);
  free (sim->ev_after.e);
  free (sim->ev_next.e);
  for (int i = 0; i < sim->ng; i++)
    group_free (&sim->g[i]);
  free (sim->g);
  for (int i = 0; i < sim->n_cells; i++)
    free (sim->spikes[i].t);
  free (sim->spikes);
  free (sim->cell_group);
  free (sim->cell_local);
  free (sim->syn);
  free (sim->conn);
  free (sim->conn_start);
  free (sim->conn_order);
  free (sim->lev);
  free (sim->heap);
  free (sim->clamp);
  for (int i = 0; i < sim->n_probe; i++)
    free (sim->probe[i].data);
  free (sim->probe);
  for (int i = 0; i < sim->n_tabs; i++)
    sw_cable_table_free (sim->tabs[i]);
  free (sim->tabs);
  free (sim);
}

/* ---------------- cells ---------------- */

static int add_group (SwCableSim *sim, const SwCableCell *cell, int n, SwError *err);

int
sw_cable_sim_add_cells (SwCableSim *sim, const SwCableCell *cell, int n, SwError *err)
{
  if (n < 1 || n > 10000000)
    {
      sw_error_set (err, SW_ERR_INVALID, "number of cells: expected 1 to 1e7 (got %d)", n);
      return -1;
    }
  /* One group per thread, slices of nearly equal size; all but the last
   * of an even number of cells (the vector loops over the cells of a
   * group work in pairs). */
  int parts = n < 2 * sim->n_threads ? 1 : sim->n_threads;
  int first = -1, left = n;
  for (int t = 0; t < parts; t++)
    {
      int m = t == parts - 1 ? left : 2 * ((left / (parts - t) + 1) / 2);
      left -= m;
      int k = add_group (sim, cell, m, err);
      if (k < 0)
        return -1;
      Group *g = &sim->g[sim->ng - 1];
      if (parts > 1)
        g->home = t;
      else
        g->home = sim->next_home++ % sim->n_threads;
      if (t == 0)
        first = k;
    }
  return first;
}

static int
add_group (SwCableSim *sim, const SwCableCell *cell, int n, SwError *err)
{
  Group *ga = aligned_alloc (_Alignof (Group), sizeof (Group) * (sim->ng + 1));
  if (ga != NULL && sim->ng > 0)
    memcpy (ga, sim->g, sizeof (Group) * sim->ng);
  if (ga != NULL)
    free (sim->g);
  if (ga == NULL)
    goto nomem;
  sim->g = ga;
  Group *g = &sim->g[sim->ng];
  memset (g, 0, sizeof *g);
  g->def = sw_cable_cell_copy (cell);
  if (g->def == NULL)
    goto nomem;
  const SwCableCell *def = g->def;
  const SwCableMorph *m = def->morph;
  int nn = def->n_nodes;
  g->nc = n;
  g->nn = nn;
  g->first = sim->n_cells;
  size_t sz = (size_t) nn * n;
  g->cap = calloc (nn, sizeof (double));
  g->gax = calloc (nn, sizeof (double));
  g->gsum = calloc (nn, sizeof (double));
  g->area = calloc (nn, sizeof (double));
  double **arrs[] = { &g->v, &g->d, &g->b, &g->idens, &g->gdens, &g->ipt, &g->gpt,
                      &g->ica, &g->cai };
  for (size_t k = 0; k < sizeof arrs / sizeof arrs[0]; k++)
    if ((*arrs[k] = calloc (sz, sizeof (double))) == NULL)
      {
        sim->ng++;
        goto nomem_counted;
      }
  g->above = calloc (n, sizeof (bool));
  g->last_rel = calloc (n, sizeof (int64_t));
  g->fine_i = calloc (sz, sizeof (int));
  g->fine_f = calloc (sz, sizeof (double));
  if (!g->cap || !g->gax || !g->gsum || !g->area || !g->above || !g->last_rel || !g->fine_i
      || !g->fine_f)
    {
      sim->ng++;
      goto nomem_counted;
    }

  /* Passive structure: capacitance and the axial conductance from each
   * node to its parent (two half-segment resistances in series between
   * segments of a section; half a segment to a zero-area node or to the
   * centre of the parent segment a section hangs from). */
  for (int i = 0; i < nn; i++)
    {
      g->area[i] = def->area[i];
      int s = def->section[i];
      if (s >= 0)
        g->cap[i] = def->cm[s] * def->area[i] * 1e-5;
      if (i == 0)
        continue;
      int p = def->parent[i];
      int sc = s >= 0 ? s : def->section[p];
      const SwCableSection *sec = &m->sec[sc];
      double r = 0.5 * sec->diam_um, ell = sec->length_um / sec->nseg;
      double r_half = def->ra[sc] * (0.5 * ell) / (100.0 * M_PI * r * r);   /* MΩ */
      bool same = s >= 0 && def->section[p] == s;
      g->gax[i] = 1.0 / (same ? 2.0 * r_half : r_half);
    }
  for (int i = 1; i < nn; i++)
    {
      g->gsum[i] += g->gax[i];
      g->gsum[def->parent[i]] += g->gax[i];
    }

  /* Mechanisms: one block each, over the nodes that carry it. */
  if (def->n_mech > 0)
    {
      g->m = calloc (def->n_mech, sizeof (GroupMech));
      if (g->m == NULL)
        {
          sim->ng++;
          goto nomem_counted;
        }
      g->nm = def->n_mech;
      for (int k = 0; k < def->n_mech; k++)
        {
          const SwCableMechInst *mi = &def->mech[k];
          GroupMech *gm = &g->m[k];
          gm->type = mi->type;
          int nrow = 0;
          for (int i = 0; i < nn; i++)
            if (def->section[i] >= 0 && mi->in_section[def->section[i]])
              nrow++;
          gm->nrow = nrow;
          gm->node = malloc (sizeof (int) * (nrow ? nrow : 1));
          gm->stride = (size_t) nrow * n;
          int np = mi->type->n_params, nst = mi->type->n_states;
          gm->p = calloc ((size_t) (np ? np : 1) * (gm->stride ? gm->stride : 1), sizeof (double));
          gm->s = calloc ((size_t) (nst ? nst : 1) * (gm->stride ? gm->stride : 1), sizeof (double));
          gm->run_row = malloc (sizeof (int) * (nrow ? nrow : 1));
          gm->run_node = malloc (sizeof (int) * (nrow ? nrow : 1));
          gm->run_len = malloc (sizeof (int) * (nrow ? nrow : 1));
          if (!gm->node || !gm->p || !gm->s || !gm->run_row || !gm->run_node || !gm->run_len)
            {
              sim->ng++;
              goto nomem_counted;
            }
          int j = 0;
          for (int i = 0; i < nn; i++)
            if (def->section[i] >= 0 && mi->in_section[def->section[i]])
              {
                gm->node[j] = i;
                for (int q = 0; q < np; q++)
                  for (int c = 0; c < n; c++)
                    gm->p[q * gm->stride + (size_t) j * n + c] = mi->p[i * np + q];
                if (j > 0 && gm->node[j - 1] == i - 1)
                  gm->run_len[gm->nrun - 1]++;
                else
                  {
                    gm->run_row[gm->nrun] = j;
                    gm->run_node[gm->nrun] = i;
                    gm->run_len[gm->nrun] = 1;
                    gm->nrun++;
                  }
                j++;
              }
        }
    }
  sim->ng++;

  int *cg = realloc (sim->cell_group, sizeof (int) * (sim->n_cells + n));
  if (cg)
    sim->cell_group = cg;
  int *cl = realloc (sim->cell_local, sizeof (int) * (sim->n_cells + n));
  if (cl)
    sim->cell_local = cl;
  SpikeList *sl = realloc (sim->spikes, sizeof (SpikeList) * (sim->n_cells + n));
  if (sl)
    sim->spikes = sl;
  if (!cg || !cl || !sl)
    goto nomem_counted;
  for (int c = 0; c < n; c++)
    {
      sim->cell_group[sim->n_cells + c] = sim->ng - 1;
      sim->cell_local[sim->n_cells + c] = c;
      memset (&sim->spikes[sim->n_cells + c], 0, sizeof (SpikeList));
    }
  int first = sim->n_cells;
  sim->n_cells += n;
  sim->initialised = false;
  return first;

nomem:
  sw_error_set (err, SW_ERR_NOMEM, "out of memory adding %d cells", n);
  return -1;
nomem_counted:
  /* The half-built group stays in the list so that sim_free releases it,
   * but it holds no cells. */
  sim->g[sim->ng - 1].nc = 0;
  sw_error_set (err, SW_ERR_NOMEM, "out of memory adding %d cells", n);
  return -1;
}

int
sw_cable_sim_n_cells (const SwCableSim *sim)
{
  return sim->n_cells;
}

const SwCableCell *
sw_cable_sim_cell_def (const SwCableSim *sim, int cell)
{
  if (cell < 0 || cell >= sim->n_cells)
    return NULL;
  return sim->g[sim->cell_group[cell]].def;
}

static SwStatus
check_cell (const SwCableSim *sim, int cell, SwError *err)
{
  if (cell < 0 || cell >= sim->n_cells)
    return sw_error_set (err, SW_ERR_NOT_FOUND, "no cell %d (the simulation has %d)", cell,
                         sim->n_cells);
  return SW_OK;
}

static SwStatus
check_node (const SwCableSim *sim, int cell, int node, SwError *err)
{
  if (check_cell (sim, cell, err) != SW_OK)
    return SW_ERR_NOT_FOUND;
  const Group *g = &sim->g[sim->cell_group[cell]];
  if (node < 0 || node >= g->nn)
    return sw_error_set (err, SW_ERR_NOT_FOUND, "cell %d has no node %d (it has %d)", cell, node,
                         g->nn);
  return SW_OK;
}

static int
group_mech (const Group *g, const char *name)
{
  for (int k = 0; k < g->nm; k++)
    if (strcmp (g->m[k].type->name, name) == 0)
      return k;
  return -1;
}

static int
mech_row (const GroupMech *gm, int node)
{
  for (int j = 0; j < gm->nrow; j++)
    if (gm->node[j] == node)
      return j;
  return -1;
}

SwStatus
sw_cable_sim_set_param (SwCableSim *sim, int cell, int section, const char *mech,
                        const char *param, double value, SwError *err)
{
  if (check_cell (sim, cell, err) != SW_OK)
    return SW_ERR_NOT_FOUND;
  Group *g = &sim->g[sim->cell_group[cell]];
  int c = sim->cell_local[cell];
  int k = group_mech (g, mech);
  if (k < 0)
    return sw_error_set (err, SW_ERR_NOT_FOUND, "cell %d has no mechanism \"%s\"", cell, mech);
  GroupMech *gm = &g->m[k];
  int q = sw_param_find (gm->type->params, gm->type->n_params, param);
  if (q < 0)
    return sw_error_set (err, SW_ERR_NOT_FOUND, "mechanism \"%s\" has no parameter \"%s\"", mech,
                         param);
  const SwParamInfo *pi = &gm->type->params[q];
  if (!isfinite (value) || !sw_param_in_range (pi, value))
    return sw_error_set (err, SW_ERR_INVALID, "%s.%s = %g %s is outside its range [%g, %g] %s",
                         mech, param, value, pi->unit, pi->min, pi->max, pi->unit);
  /* A rate parameter may now differ between cells: evaluate directly
   * (the next init builds a table again where it can). */
  if (q == gm->type->ops->dep_param)
    gm->tab = NULL;
  bool any = false;
  for (int j = 0; j < gm->nrow; j++)
    if (section < 0 || g->def->section[gm->node[j]] == section)
      {
        gm->p[q * gm->stride + (size_t) j * g->nc + c] = value;
        any = true;
      }
  if (!any)
    return sw_error_set (err, SW_ERR_NOT_FOUND, "mechanism \"%s\" is not inserted in section %d",
                         mech, section);
  return SW_OK;
}

/* ---------------- synapses ---------------- */

bool
sw_cable_syn_preset (const char *name, SwCableSynParams *p)
{
  memset (p, 0, sizeof *p);
  p->t_max_mm = 1.0;
  p->pulse_ms = 1.0;
  p->dead_ms = 1.0;
  p->zero_below_e10 = true;
  p->mg_slope = 0.062;
  p->mg_k = 3.57;
  p->kind = SW_CABLE_SYN_KINETIC;
  if (strcmp (name, "ampa") == 0)
    {
      p->alpha = 1.1;
      p->beta = 0.19;
    }
  else if (strcmp (name, "nmda") == 0)
    {
      p->alpha = 0.072;
      p->beta = 0.0066;
      p->mg_mm = 1.0;
    }
  else if (strcmp (name, "gabaa") == 0)
    {
      p->alpha = 5.0;
      p->beta = 0.18;
      p->e_mv = -80.0;
    }
  else if (strcmp (name, "fast_nmda") == 0)
    {
      p->alpha = 1.1;
      p->beta = 0.19;
      p->mg_mm = 1.0;
    }
  else if (strcmp (name, "slow_ampa") == 0)
    {
      p->alpha = 0.072;
      p->beta = 0.0066;
    }
  else if (strcmp (name, "hnn_nmda") == 0)
    {
      /* HNN's kinetic NMDA: its file injects 2.1 g(V - E). */
      p->alpha = 4.0;
      p->beta = 0.01;
      p->mg_mm = 1.0;
      p->mg_slope = 0.072;
      p->current_scale = 2.1;
    }
  else
    {
      p->kind = SW_CABLE_SYN_EXP2;
      p->zero_below_e10 = false;
      if (strcmp (name, "exp2_ampa") == 0)
        {
          p->tau1_ms = 0.5;
          p->tau2_ms = 5.0;
        }
      else if (strcmp (name, "exp2_nmda") == 0)
        {
          p->tau1_ms = 1.0;
          p->tau2_ms = 20.0;
        }
      else if (strcmp (name, "exp2_gabaa") == 0)
        {
          p->tau1_ms = 0.5;
          p->tau2_ms = 5.0;
          p->e_mv = -80.0;
        }
      else if (strcmp (name, "exp2_gabab") == 0)
        {
          p->tau1_ms = 1.0;
          p->tau2_ms = 20.0;
          p->e_mv = -80.0;
        }
      else
        return false;
    }
  return true;
}

double
sw_cable_syn_mg_block (const SwCableSynParams *p, double v_mv)
{
  if (p->mg_mm <= 0)
    return 1.0;
  return 1.0 / (1.0 + exp (-p->mg_slope * v_mv) * p->mg_mm / p->mg_k);
}

static void
syn_derive (const SwCableSim *sim, Syn *s)
{
  double dt = sim->cfg.dt_ms;
  const SwCableSynParams *p = &s->p;
  if (p->kind == SW_CABLE_SYN_KINETIC)
    {
      double on = p->alpha * p->t_max_mm + p->beta;
      s->r_inf = p->alpha * p->t_max_mm / on;
      s->e_on = exp (-dt * on);
      s->e_off = exp (-dt * p->beta);
      s->pulse_steps = (int) llround (p->pulse_ms / dt);
      if (s->pulse_steps < 1)
        s->pulse_steps = 1;
      s->min_gap = (int) llround ((p->pulse_ms + p->dead_ms) / dt);
    }
  else
    {
      double t1 = p->tau1_ms, t2 = p->tau2_ms;
      if (t1 / t2 > 0.9999)
        t1 = 0.9999 * t2;
      double tp = t1 * t2 / (t2 - t1) * log (t2 / t1);
      s->f = 1.0 / (exp (-tp / t2) - exp (-tp / t1));
      s->e_a = exp (-dt / t1);
      s->e_b = exp (-dt / t2);
    }
}

int
sw_cable_sim_add_synapse (SwCableSim *sim, int cell, int node, const SwCableSynParams *p,
                          SwError *err)
{
  if (check_node (sim, cell, node, err) != SW_OK)
    return -1;
  if (p->kind == SW_CABLE_SYN_KINETIC)
    {
      if (!(p->alpha >= 0 && p->beta > 0 && p->g_max_us >= 0 && p->pulse_ms > 0 && p->dead_ms >= 0))
        {
          sw_error_set (err, SW_ERR_INVALID,
                        "kinetic synapse: expected alpha >= 0, beta > 0, g_max >= 0, pulse > 0");
          return -1;
        }
    }
  else if (!(p->tau1_ms > 0 && p->tau2_ms > p->tau1_ms))
    {
      sw_error_set (err, SW_ERR_INVALID,
                    "double-exponential synapse: expected 0 < tau1 < tau2 (got %g, %g ms)",
                    p->tau1_ms, p->tau2_ms);
      return -1;
    }
  if (p->mg_mm > 0 && !(p->mg_k > 0))
    {
      sw_error_set (err, SW_ERR_INVALID, "Mg block: expected a positive constant (got %g mM)", p->mg_k);
      return -1;
    }
  if (!grow ((void **) &sim->syn, &sim->cap_syn, sim->n_syn + 1, sizeof (Syn)))
    {
      sw_error_set (err, SW_ERR_NOMEM, "out of memory adding a synapse");
      return -1;
    }
  Syn *s = &sim->syn[sim->n_syn];
  memset (s, 0, sizeof *s);
  s->p = *p;
  s->cell = cell;
  s->group = sim->cell_group[cell];
  s->idx = (size_t) node * sim->g[s->group].nc + sim->cell_local[cell];
  syn_derive (sim, s);
  return sim->n_syn++;
}

int
sw_cable_sim_n_synapses (const SwCableSim *sim)
{
  return sim->n_syn;
}

void
sw_cable_sim_set_syn_gmax (SwCableSim *sim, int syn, double g_max_us)
{
  if (syn >= 0 && syn < sim->n_syn)
    sim->syn[syn].p.g_max_us = g_max_us;
}

SwStatus
sw_cable_sim_connect (SwCableSim *sim, int pre_cell, int syn, double delay_ms, double weight_us,
                      SwError *err)
{
  if (check_cell (sim, pre_cell, err) != SW_OK)
    return SW_ERR_NOT_FOUND;
  if (syn < 0 || syn >= sim->n_syn)
    return sw_error_set (err, SW_ERR_NOT_FOUND, "no synapse %d", syn);
  if (!(delay_ms >= 0 && delay_ms < 1e6))
    return sw_error_set (err, SW_ERR_INVALID, "delay: expected 0 to 1e6 ms (got %g)", delay_ms);
  if (!isfinite (weight_us))
    return sw_error_set (err, SW_ERR_INVALID, "weight: expected a finite number of µS");
  if (!grow ((void **) &sim->conn, &sim->cap_conn, sim->n_conn + 1, sizeof (Conn)))
    return sw_error_set (err, SW_ERR_NOMEM, "out of memory adding a connection");
  sim->conn[sim->n_conn++] = (Conn) { pre_cell, syn, (int) llround (delay_ms / sim->cfg.dt_ms),
                                      weight_us };
  sim->initialised = false;
  return SW_OK;
}

SwStatus
sw_cable_sim_add_events (SwCableSim *sim, int syn, const double *times_ms, int n, double weight_us,
                         SwError *err)
{
  if (syn < 0 || syn >= sim->n_syn)
    return sw_error_set (err, SW_ERR_NOT_FOUND, "no synapse %d", syn);
  if (!grow ((void **) &sim->lev, &sim->cap_lev, sim->n_lev + n, sizeof (ListEvent)))
    return sw_error_set (err, SW_ERR_NOMEM, "out of memory adding events");
  for (int i = 0; i < n; i++)
    {
      if (!(isfinite (times_ms[i]) && times_ms[i] >= 0))
        return sw_error_set (err, SW_ERR_INVALID, "event time %g ms: expected a time >= 0",
                             times_ms[i]);
      sim->lev[sim->n_lev++] = (ListEvent) { syn, times_ms[i], weight_us };
      if (sim->initialised)
        heap_push (sim, llround (times_ms[i] / sim->cfg.dt_ms), syn, weight_us);
    }
  return SW_OK;
}

/* ---------------- clamps ---------------- */

static int
add_clamp (SwCableSim *sim, ClampKind kind, int cell, int node, double delay, double dur,
           SwError *err)
{
  if (check_node (sim, cell, node, err) != SW_OK)
    return -1;
  if (!(delay >= 0 && isfinite (delay) && dur >= 0))
    {
      sw_error_set (err, SW_ERR_INVALID, "clamp: expected delay >= 0 and duration >= 0 ms");
      return -1;
    }
  if (!grow ((void **) &sim->clamp, &sim->cap_clamp, sim->n_clamp + 1, sizeof (Clamp)))
    {
      sw_error_set (err, SW_ERR_NOMEM, "out of memory adding a clamp");
      return -1;
    }
  Clamp *c = &sim->clamp[sim->n_clamp];
  memset (c, 0, sizeof *c);
  c->kind = kind;
  c->cell = cell;
  c->group = sim->cell_group[cell];
  c->idx = (size_t) node * sim->g[c->group].nc + sim->cell_local[cell];
  c->delay = delay;
  c->dur = dur;
  c->id = sim->n_clamp;
  return sim->n_clamp++;
}

int
sw_cable_sim_add_iclamp (SwCableSim *sim, int cell, int node, double delay_ms, double dur_ms,
                         double amp_na, SwError *err)
{
  if (!isfinite (amp_na))
    {
      sw_error_set (err, SW_ERR_INVALID, "current clamp: expected a finite amplitude in nA");
      return -1;
    }
  int k = add_clamp (sim, CLAMP_I, cell, node, delay_ms, dur_ms, err);
  if (k >= 0)
    sim->clamp[k].amp = amp_na;
  return k;
}

void
sw_cable_sim_set_iclamp (SwCableSim *sim, int clamp, double delay_ms, double dur_ms, double amp_na)
{
  if (clamp < 0 || clamp >= sim->n_clamp)
    return;
  sim->clamp[clamp].delay = delay_ms;
  sim->clamp[clamp].dur = dur_ms;
  sim->clamp[clamp].amp = amp_na;
}

int
sw_cable_sim_add_noise (SwCableSim *sim, int cell, int node, double delay_ms, double dur_ms,
                        double mean_na, double sd_na, SwError *err)
{
  if (!(isfinite (mean_na) && sd_na >= 0 && isfinite (sd_na)))
    {
      sw_error_set (err, SW_ERR_INVALID, "noise current: expected a finite mean and SD >= 0 nA");
      return -1;
    }
  int k = add_clamp (sim, CLAMP_NOISE, cell, node, delay_ms, dur_ms, err);
  if (k >= 0)
    {
      sim->clamp[k].mean = mean_na;
      sim->clamp[k].sd = sd_na;
    }
  return k;
}

int
sw_cable_sim_add_zap (SwCableSim *sim, int cell, int node, double delay_ms, double dur_ms,
                      double f0_hz, double f1_hz, double amp_na, SwError *err)
{
  if (!(f0_hz >= 0 && f1_hz >= 0 && isfinite (f0_hz) && isfinite (f1_hz) && isfinite (amp_na)))
    {
      sw_error_set (err, SW_ERR_INVALID, "ZAP current: expected frequencies >= 0 Hz");
      return -1;
    }
  int k = add_clamp (sim, CLAMP_ZAP, cell, node, delay_ms, dur_ms, err);
  if (k >= 0)
    {
      sim->clamp[k].f0 = f0_hz;
      sim->clamp[k].f1 = f1_hz;
      sim->clamp[k].amp = amp_na;
    }
  return k;
}

int
sw_cable_sim_add_vclamp (SwCableSim *sim, int cell, int node, double delay_ms, double dur_ms,
                         double v_mv, double rs_mohm, SwError *err)
{
  if (!(rs_mohm > 0 && isfinite (v_mv)))
    {
      sw_error_set (err, SW_ERR_INVALID, "voltage clamp: expected a series resistance > 0 MΩ");
      return -1;
    }
  int k = add_clamp (sim, CLAMP_V, cell, node, delay_ms, dur_ms, err);
  if (k >= 0)
    {
      sim->clamp[k].v = v_mv;
      sim->clamp[k].gs = 1.0 / rs_mohm;
    }
  return k;
}

/* ---------------- probes ---------------- */

int
sw_cable_sim_add_probe (SwCableSim *sim, SwCableProbeKind kind, int cell, int node,
                        const char *mech, const char *what, int index, SwError *err)
{
  Probe pr;
  memset (&pr, 0, sizeof pr);
  pr.kind = kind;
  pr.index = index;
  switch (kind)
    {
    case SW_CABLE_PROBE_V:
    case SW_CABLE_PROBE_STATE:
      if (check_node (sim, cell, node, err) != SW_OK)
        return -1;
      pr.group = sim->cell_group[cell];
      pr.idx = (size_t) node * sim->g[pr.group].nc + sim->cell_local[cell];
      if (kind == SW_CABLE_PROBE_STATE)
        {
          const Group *g = &sim->g[pr.group];
          pr.mech = mech ? group_mech (g, mech) : -1;
          if (pr.mech < 0)
            {
              sw_error_set (err, SW_ERR_NOT_FOUND, "probe: cell %d has no mechanism \"%s\"", cell,
                            mech ? mech : "(none)");
              return -1;
            }
          const GroupMech *gm = &g->m[pr.mech];
          pr.state = what ? sw_cable_mech_state_index (gm->type, what) : -1;
          if (pr.state < 0)
            {
              sw_error_set (err, SW_ERR_NOT_FOUND, "probe: mechanism \"%s\" has no state \"%s\"",
                            mech, what ? what : "(none)");
              return -1;
            }
          int j = mech_row (gm, node);
          if (j < 0)
            {
              sw_error_set (err, SW_ERR_NOT_FOUND, "probe: mechanism \"%s\" is absent at node %d",
                            mech, node);
              return -1;
            }
          pr.idx = (size_t) pr.state * gm->stride + (size_t) j * g->nc + sim->cell_local[cell];
        }
      break;
    case SW_CABLE_PROBE_SYN_G:
    case SW_CABLE_PROBE_SYN_R:
      if (index < 0 || index >= sim->n_syn)
        {
          sw_error_set (err, SW_ERR_NOT_FOUND, "probe: no synapse %d", index);
          return -1;
        }
      break;
    case SW_CABLE_PROBE_CLAMP_I:
      if (index < 0 || index >= sim->n_clamp)
        {
          sw_error_set (err, SW_ERR_NOT_FOUND, "probe: no clamp %d", index);
          return -1;
        }
      break;
    default:
      sw_error_set (err, SW_ERR_INVALID, "probe: unknown kind %d", (int) kind);
      return -1;
    }
  if (!grow ((void **) &sim->probe, &sim->cap_probe, sim->n_probe + 1, sizeof (Probe)))
    {
      sw_error_set (err, SW_ERR_NOMEM, "out of memory adding a probe");
      return -1;
    }
  sim->probe[sim->n_probe] = pr;
  return sim->n_probe++;
}

static double
probe_value (const SwCableSim *sim, const Probe *pr)
{
  switch (pr->kind)
    {
    case SW_CABLE_PROBE_V:
      return sim->g[pr->group].v[pr->idx];
    case SW_CABLE_PROBE_STATE:
      return sim->g[pr->group].m[pr->mech].s[pr->idx];
    case SW_CABLE_PROBE_SYN_G:
      {
        const Syn *s = &sim->syn[pr->index];
        if (s->p.kind == SW_CABLE_SYN_KINETIC)
          return s->p.g_max_us * s->R;
        return s->B - s->A;
      }
    case SW_CABLE_PROBE_SYN_R:
      return sim->syn[pr->index].R;
    case SW_CABLE_PROBE_CLAMP_I:
      return sim->clamp[pr->index].i_now;
    }
  return NAN;
}

static void
probes_sample (SwCableSim *sim)
{
  for (int i = 0; i < sim->n_probe; i++)
    {
      Probe *pr = &sim->probe[i];
      if (pr->n == pr->cap)
        {
          size_t cap = pr->cap ? 2 * pr->cap : 1024;
          double *d = realloc (pr->data, sizeof (double) * cap);
          if (d == NULL)
            continue;
          pr->data = d;
          pr->cap = cap;
        }
      pr->data[pr->n++] = probe_value (sim, pr);
    }
}

const double *
sw_cable_sim_probe_data (const SwCableSim *sim, int probe, size_t *n)
{
  if (probe < 0 || probe >= sim->n_probe)
    {
      *n = 0;
      return NULL;
    }
  *n = sim->probe[probe].n;
  return sim->probe[probe].data;
}

double
sw_cable_sim_probe_dt (const SwCableSim *sim)
{
  return sim->record_every * sim->cfg.dt_ms;
}

void
sw_cable_sim_set_seed (SwCableSim *sim, uint64_t seed)
{
  sim->cfg.seed = seed;
}

/* ---------------- init ---------------- */

static SwCableMechRow
make_row (const SwCableSim *sim, Group *g, GroupMech *gm, int j, int c0, int n)
{
  SwCableMechRow r;
  size_t base = (size_t) gm->node[j] * g->nc + c0;
  size_t pbase = (size_t) j * g->nc + c0;
  r.n = n;
  r.p = gm->p + pbase;
  r.ps = gm->stride;
  r.s = gm->s + pbase;
  r.ss = gm->stride;
  r.v = g->v + base;
  r.i = g->idens + base;
  r.g = g->gdens + base;
  r.ica = g->ica + base;
  r.cai = g->cai + base;
  r.dt = sim->cfg.dt_ms;
  r.celsius = sim->cfg.celsius;
  r.cat_tau = sim->cfg.cat_tau;
  r.tab = gm->tab;
  r.fine_i = NULL;
  r.fine_f = NULL;
  return r;
}

static void
init_states (SwCableSim *sim, Group *g, int c0, int n, bool steady, double value)
{
  for (int k = 0; k < g->nm; k++)
    {
      GroupMech *gm = &g->m[k];
      for (int j = 0; j < gm->nrow; j++)
        {
          SwCableMechRow r = make_row (sim, g, gm, j, c0, n);
          gm->type->ops->init (&r);
          if (!steady && !gm->type->ops->is_pool)
            for (int q = 0; q < gm->type->n_states; q++)
              for (int c = 0; c < n; c++)
                r.s[q * r.ss + c] = value;
        }
    }
}

/* The rate table of @gm, shared through the simulation's cache; NULL when
 * the mechanism has none or its rate parameter varies. */
static const SwCableTable *
find_table (SwCableSim *sim, const Group *g, const GroupMech *gm)
{
  const struct SwCableMechOps *ops = gm->type->ops;
  if (ops->gates == NULL || gm->stride == 0)
    return NULL;
  if (!ops->coarse && sim->cfg.exact_rates)
    return NULL;
  double dep = 0;
  if (ops->dep_param >= 0)
    {
      const double *p = gm->p + (size_t) ops->dep_param * gm->stride;
      dep = p[0];
      for (size_t i = 1; i < gm->stride; i++)
        if (p[i] != dep)
          return NULL;
    }
  /* hh and hh2: the table only stands for usetable = 1. */
  if (ops->coarse && dep != 1.0)
    return NULL;
  (void) g;
  for (int i = 0; i < sim->n_tabs; i++)
    if (sim->tabs[i]->type == gm->type && sim->tabs[i]->dep == dep)
      return sim->tabs[i];
  SwCableTable *t = sw_cable_table_new (gm->type, dep, sim->cfg.dt_ms, sim->cfg.celsius,
                                        sim->cfg.cat_tau);
  if (t == NULL)
    return NULL;
  SwCableTable **arr = realloc (sim->tabs, sizeof (SwCableTable *) * (sim->n_tabs + 1));
  if (arr == NULL)
    {
      sw_cable_table_free (t);
      return NULL;
    }
  sim->tabs = arr;
  sim->tabs[sim->n_tabs++] = t;
  return t;
}

SwStatus
sw_cable_sim_init (SwCableSim *sim, SwError *err)
{
  (void) err;
  sim->step = 0;
  for (int gi = 0; gi < sim->ng; gi++)
    {
      Group *g = &sim->g[gi];
      g->any_fine = false;
      g->pos_valid = false;
      for (int k = 0; k < g->nm; k++)
        {
          g->m[k].tab = find_table (sim, g, &g->m[k]);
          if (g->m[k].tab != NULL && !g->m[k].tab->coarse)
            g->any_fine = true;
        }
    }
  for (int gi = 0; gi < sim->ng; gi++)
    {
      Group *g = &sim->g[gi];
      const SwCableCell *def = g->def;
      for (int i = 0; i < g->nn; i++)
        {
          int s = def->section[i];
          if (s < 0)
            s = i == 0 ? 0 : def->section[def->parent[i]];
          for (int c = 0; c < g->nc; c++)
            {
              g->v[(size_t) i * g->nc + c] = def->v_init[s];
              g->cai[(size_t) i * g->nc + c] = 1e-4;
              g->ica[(size_t) i * g->nc + c] = 0;
            }
        }
      init_states (sim, g, 0, g->nc, def->gates_steady, def->gate_value);
      for (int c = 0; c < g->nc; c++)
        {
          g->above[c] = def->detect >= 0 && g->v[(size_t) def->detect * g->nc + c] > 0;
          g->last_rel[c] = INT64_MIN / 2;
        }
    }
  for (int i = 0; i < sim->n_cells; i++)
    sim->spikes[i].n = 0;
  for (int i = 0; i < sim->n_syn; i++)
    {
      Syn *s = &sim->syn[i];
      syn_derive (sim, s);
      s->R = s->A = s->B = 0;
      s->pulse_left = 0;
      s->pending = s->released = false;
      s->last_release = s->end_step = 0;
    }
  for (int i = 0; i < sim->n_clamp; i++)
    sim->clamp[i].i_now = 0;

  /* Connections by presynaptic cell. */
  free (sim->conn_start);
  free (sim->conn_order);
  sim->conn_start = calloc (sim->n_cells + 1, sizeof (int));
  sim->conn_order = malloc (sizeof (int) * (sim->n_conn ? sim->n_conn : 1));
  if (!sim->conn_start || !sim->conn_order)
    return sw_error_set (err, SW_ERR_NOMEM, "out of memory");
  for (int i = 0; i < sim->n_conn; i++)
    sim->conn_start[sim->conn[i].pre + 1]++;
  for (int i = 0; i < sim->n_cells; i++)
    sim->conn_start[i + 1] += sim->conn_start[i];
  int *fill = calloc (sim->n_cells + 1, sizeof (int));
  if (fill == NULL)
    return sw_error_set (err, SW_ERR_NOMEM, "out of memory");
  for (int i = 0; i < sim->n_conn; i++)
    {
      int pre = sim->conn[i].pre;
      sim->conn_order[sim->conn_start[pre] + fill[pre]++] = i;
    }
  free (fill);

  sim->n_heap = 0;
  for (int i = 0; i < sim->n_lev; i++)
    heap_push (sim, llround (sim->lev[i].t / sim->cfg.dt_ms), sim->lev[i].syn, sim->lev[i].w);

  for (int i = 0; i < sim->n_probe; i++)
    sim->probe[i].n = 0;
  probes_sample (sim);
  workers_start (sim);
  sim->initialised = true;
  return SW_OK;
}

void
sw_cable_sim_set_v (SwCableSim *sim, int cell, int node, double v_mv, bool gates_steady)
{
  if (cell < 0 || cell >= sim->n_cells)
    return;
  Group *g = &sim->g[sim->cell_group[cell]];
  int c = sim->cell_local[cell];
  for (int i = 0; i < g->nn; i++)
    if (node < 0 || i == node)
      g->v[(size_t) i * g->nc + c] = v_mv;
  g->pos_valid = false;
  if (gates_steady)
    init_states (sim, g, c, 1, true, 0);
  g->above[c] = g->def->detect >= 0 && g->v[(size_t) g->def->detect * g->nc + c] > 0;
  /* The first probe sample shows the new state. */
  if (sim->step == 0)
    for (int i = 0; i < sim->n_probe; i++)
      if (sim->probe[i].n == 1)
        sim->probe[i].data[0] = probe_value (sim, &sim->probe[i]);
}

void
sw_cable_sim_set_gates (SwCableSim *sim, int cell, double value)
{
  if (cell < 0 || cell >= sim->n_cells)
    return;
  Group *g = &sim->g[sim->cell_group[cell]];
  int c = sim->cell_local[cell];
  for (int k = 0; k < g->nm; k++)
    {
      GroupMech *gm = &g->m[k];
      if (gm->type->ops->is_pool)
        continue;
      for (int q = 0; q < gm->type->n_states; q++)
        for (int j = 0; j < gm->nrow; j++)
          gm->s[q * gm->stride + (size_t) j * g->nc + c] = value;
    }
}

/* ---------------- stepping ---------------- */

static void advance_synapses (SwCableSim *sim, int64_t step);

static inline void
apply_event (SwCableSim *sim, const Event *e)
{
  Syn *s = &sim->syn[e->syn];
  if (s->p.kind == SW_CABLE_SYN_KINETIC)
    s->pending = true;
  else
    {
      s->A += e->w * s->f;
      s->B += e->w * s->f;
    }
}

static void
deliver (SwCableSim *sim, int64_t step)
{
  while (sim->n_heap > 0 && sim->heap[0].step <= step)
    {
      Event e = heap_pop (sim);
      apply_event (sim, &e);
    }
}

/* Moves the events due at @step from the queue to @list (for the groups to
 * apply in parallel).  FALSE when out of memory. */
static bool
take_events (SwCableSim *sim, int64_t step, EventList *list)
{
  list->n = 0;
  while (sim->n_heap > 0 && sim->heap[0].step <= step)
    {
      if (!grow ((void **) &list->e, &list->cap, list->n + 1, sizeof (Event)))
        return false;
      list->e[list->n++] = heap_pop (sim);
    }
  return true;
}

/* Applies the events of @list on the synapses of group @gi, in order. */
static void
apply_events (SwCableSim *sim, const EventList *list, int gi)
{
  for (int k = 0; k < list->n; k++)
    if (sim->syn[list->e[k].syn].group == gi)
      apply_event (sim, &list->e[k]);
}

/* The synapse work of step @step that was left to the groups: the events
 * after the spike detection, then the synapses' advance.  Done here, on the
 * calling thread, before anything reads the synapses from outside a step. */
static void
flush_synapses (SwCableSim *sim)
{
  if (!sim->syn_deferred)
    return;
  for (int k = 0; k < sim->ev_after.n; k++)
    apply_event (sim, &sim->ev_after.e[k]);
  sim->ev_after.n = 0;
  advance_synapses (sim, sim->syn_defer_step);
  sim->syn_deferred = false;
}

/* Calls @fn on every run of @gm, the block's entries and the node values
 * of the run side by side (make_row() over run_len rows of all cells). */
static void
for_each_run (const SwCableSim *sim, Group *g, GroupMech *gm, void (*fn) (SwCableMechRow *))
{
  bool fine = g->pos_valid && gm->tab != NULL && !gm->tab->coarse;
  for (int k = 0; k < gm->nrun; k++)
    {
      SwCableMechRow r = make_row (sim, g, gm, gm->run_row[k], 0, g->nc);
      r.n = gm->run_len[k] * g->nc;
      if (fine)
        {
          size_t base = (size_t) gm->run_node[k] * g->nc;
          r.fine_i = g->fine_i + base;
          r.fine_f = g->fine_f + base;
        }
      fn (&r);
    }
}

/* The fine-table positions of the group's voltages, when a rate table
 * will read them and they are out of date. */
static void
update_positions (Group *g)
{
  if (g->pos_valid || !g->any_fine)
    return;
  size_t sz = (size_t) g->nn * g->nc;
  const double *restrict v = g->v;
  int *restrict fi = g->fine_i;
  double *restrict ff = g->fine_f;
  for (size_t i = 0; i < sz; i++)
    fi[i] = sw_cable_fine_pos (v[i], &ff[i]);
  g->pos_valid = true;
}

/* Gates and pools of one group. */
static void
advance_states (SwCableSim *sim, Group *g)
{
  update_positions (g);
  for (int k = 0; k < g->nm; k++)
    for_each_run (sim, g, &g->m[k], g->m[k].type->ops->advance);
}

/* One synapse's state from step @step to the next. */
static inline void
advance_one (Syn *s, int64_t step, double dt)
{
  if (s->p.kind == SW_CABLE_SYN_EXP2)
    {
      s->A *= s->e_a;
      s->B *= s->e_b;
      return;
    }
  if (s->pending)
    {
      s->pending = false;
      if (!s->released || step - s->last_release >= s->min_gap)
        {
          s->released = true;
          s->last_release = step;
          s->pulse_left = s->pulse_steps;
        }
    }
  if (s->pulse_left > 0)
    {
      s->R = s->r_inf + (s->R - s->r_inf) * s->e_on;
      if (--s->pulse_left == 0)
        s->end_step = step + 1;
    }
  else if (s->R != 0)
    {
      s->R *= s->e_off;
      /* The reference drops R to 0 once e^{-β(t - t_end)} < e^{-10}. */
      if (s->p.zero_below_e10 && s->p.beta * (double) (step + 1 - s->end_step) * dt > 10.0)
        s->R = 0;
    }
}

static void
advance_synapses (SwCableSim *sim, int64_t step)
{
  for (int i = 0; i < sim->n_syn; i++)
    advance_one (&sim->syn[i], step, sim->cfg.dt_ms);
}

static double
clamp_current (SwCableSim *sim, Clamp *c, double t_mid, double v)
{
  if (!(t_mid >= c->delay && t_mid < c->delay + c->dur))
    return 0;
  switch (c->kind)
    {
    case CLAMP_I:
      return c->amp;
    case CLAMP_NOISE:
      {
        SwRand4 r = sw_philox (sim->cfg.seed, STREAM_NOISE + (uint32_t) (c->id & 0xffff),
                               (uint32_t) c->cell, (uint64_t) sim->step);
        return c->mean + c->sd * sw_normal (sw_u01 (r.v[0]), sw_u01 (r.v[1]));
      }
    case CLAMP_ZAP:
      {
        double tau = (t_mid - c->delay) * 1e-3, dur = c->dur * 1e-3;
        double ph = 2.0 * M_PI * (c->f0 * tau + (c->f1 - c->f0) * tau * tau / (2.0 * dur));
        return c->amp * sin (ph);
      }
    case CLAMP_V:
      return c->gs * (c->v - v);
    }
  return 0;
}

/* Currents at V^n of group @gi into idens/gdens (densities) and ipt/gpt
 * (point, nA and µS, outward positive), and its right-hand side and
 * diagonal. */
static void
assemble (SwCableSim *sim, int gi, double dt_eff)
{
  double t_mid = (sim->step + 0.5) * sim->cfg.dt_ms;
  Group *g = &sim->g[gi];
  {
    size_t sz = (size_t) g->nn * g->nc;
    memset (g->idens, 0, sizeof (double) * sz);
    memset (g->gdens, 0, sizeof (double) * sz);
    memset (g->ipt, 0, sizeof (double) * sz);
    memset (g->gpt, 0, sizeof (double) * sz);
    memset (g->ica, 0, sizeof (double) * sz);
    update_positions (g);
    for (int k = 0; k < g->nm; k++)
      {
        GroupMech *gm = &g->m[k];
        if (gm->stride == 0 || gm->type->ops->is_pool)
          continue;
        /* Each mechanism adds its current and slope to the node sums
         * (zeroed above) in place. */
        for_each_run (sim, g, gm, gm->type->ops->current);
      }
  }
  for (int q = sim->gsyn_start[gi]; q < sim->gsyn_start[gi + 1]; q++)
    {
      Syn *s = &sim->syn[sim->gsyn[q]];
      double v = g->v[s->idx], gs;
      if (s->p.kind == SW_CABLE_SYN_KINETIC)
        gs = s->p.g_max_us * s->R;
      else
        gs = s->B - s->A;
      if (gs == 0)
        continue;
      if (s->p.current_scale > 0 && s->p.current_scale != 1)
        gs *= s->p.current_scale;
      if (s->p.mg_mm > 0)
        {
          double i0 = gs * sw_cable_syn_mg_block (&s->p, v) * (v - s->p.e_mv);
          double i1 = gs * sw_cable_syn_mg_block (&s->p, v + 0.001) * (v + 0.001 - s->p.e_mv);
          g->ipt[s->idx] += i0;
          g->gpt[s->idx] += (i1 - i0) / 0.001;
        }
      else
        {
          g->ipt[s->idx] += gs * (v - s->p.e_mv);
          g->gpt[s->idx] += gs;
        }
    }
  for (int q = sim->gclamp_start[gi]; q < sim->gclamp_start[gi + 1]; q++)
    {
      Clamp *c = &sim->clamp[sim->gclamp[q]];
      double v = g->v[c->idx];
      double inj = clamp_current (sim, c, t_mid, v);
      c->i_now = inj;
      g->ipt[c->idx] -= inj;
      if (c->kind == CLAMP_V && t_mid >= c->delay && t_mid < c->delay + c->dur)
        g->gpt[c->idx] += c->gs;
    }
  {
      int nc = g->nc, nn = g->nn;
      for (int i = 0; i < nn; i++)
        {
          double a = g->area[i] * 1e-2, cdt = g->cap[i] / dt_eff, gsum = g->gsum[i];
          double *restrict d = g->d + (size_t) i * nc, *restrict b = g->b + (size_t) i * nc;
          const double *restrict id = g->idens + (size_t) i * nc, *restrict gd = g->gdens + (size_t) i * nc;
          const double *restrict ip = g->ipt + (size_t) i * nc, *restrict gp = g->gpt + (size_t) i * nc;
#pragma omp simd
          for (int c = 0; c < nc; c++)
            {
              d[c] = cdt + gd[c] * a + gp[c] + gsum;
              b[c] = -(id[c] * a + ip[c]);
            }
        }
      for (int i = 1; i < nn; i++)
        {
          int p = g->def->parent[i];
          double ga = g->gax[i];
          double *restrict bi = g->b + (size_t) i * nc, *restrict bp = g->b + (size_t) p * nc;
          const double *restrict vi = g->v + (size_t) i * nc, *restrict vp = g->v + (size_t) p * nc;
#pragma omp simd
          for (int c = 0; c < nc; c++)
            {
              double flux = ga * (vp[c] - vi[c]);
              bi[c] += flux;
              bp[c] -= flux;
            }
        }
    }
}

/* Hines elimination over the tree, all cells of a group at once; b holds ΔV
 * on return. */
static void
solve (Group *g)
{
  int nc = g->nc, nn = g->nn;
  const int *parent = g->def->parent;
  /* The forward sweep leaves 1/d in d, so that the back-substitution
   * multiplies instead of dividing. */
  for (int i = nn - 1; i >= 1; i--)
    {
      int p = parent[i];
      double ga = g->gax[i];
      double *restrict di = g->d + (size_t) i * nc, *restrict bi = g->b + (size_t) i * nc;
      double *restrict dp = g->d + (size_t) p * nc, *restrict bp = g->b + (size_t) p * nc;
#pragma omp simd
      for (int c = 0; c < nc; c++)
        {
          double r = 1.0 / di[c];
          double f = ga * r;
          dp[c] -= f * ga;
          bp[c] += f * bi[c];
          di[c] = r;
        }
    }
  {
    double *restrict d0 = g->d, *restrict b0 = g->b;
#pragma omp simd
    for (int c = 0; c < nc; c++)
      b0[c] /= d0[c];
  }
  for (int i = 1; i < nn; i++)
    {
      int p = parent[i];
      double ga = g->gax[i];
      double *restrict di = g->d + (size_t) i * nc, *restrict bi = g->b + (size_t) i * nc;
      const double *restrict bp = g->b + (size_t) p * nc;
#pragma omp simd
      for (int c = 0; c < nc; c++)
        bi[c] = (bi[c] + ga * bp[c]) * di[c];
    }
}

static SwStatus
report_blowup (SwCableSim *sim, Group *g, SwError *err)
{
  int nc = g->nc;
  for (int i = 0; i < g->nn; i++)
    for (int c = 0; c < nc; c++)
      if (!isfinite (g->v[(size_t) i * nc + c]))
        {
          int s = g->def->section[i];
          if (s < 0)
            s = i == 0 ? 0 : g->def->section[g->def->parent[i]];
          return sw_error_set (err, SW_ERR_BLOWUP,
                               "numerical blow-up: cell %d, section \"%s\" (node %d) became "
                               "non-finite at t = %.3f ms",
                               g->first + c, g->def->morph->sec[s].name, i,
                               (double) (sim->step + 1) * sim->cfg.dt_ms);
        }
  return SW_OK;
}

static inline bool
out_push (EventList *list, int64_t step, int syn, double w)
{
  if (!grow ((void **) &list->e, &list->cap, list->n + 1, sizeof (Event)))
    return false;
  list->e[list->n++] = (Event) { step, syn, w };
  return true;
}

/* Spikes of group @g on V^{n+1}: its cells' spike lists, and the events
 * they cause in g->out (queued in group order afterwards, so that the queue
 * is the same whichever thread detected them).  FALSE when out of memory. */
static bool
detect_spikes (SwCableSim *sim, Group *g)
{
  int64_t n = sim->step;
  double t1 = (double) (n + 1) * sim->cfg.dt_ms;
  int kin_shift = sim->cfg.order == SW_CABLE_ORDER_BRC ? 1 : 0;
  g->out.n = 0;
  if (g->def->detect < 0)
    return true;
  const double *vd = g->v + (size_t) g->def->detect * g->nc;
  for (int c = 0; c < g->nc; c++)
    {
      int cell = g->first + c;
      bool up = vd[c] > 0;
      bool spike = up && !g->above[c];
      g->above[c] = up;
      if (!up)
        continue;
      if (spike)
        {
          SpikeList *sl = &sim->spikes[cell];
          if (sl->n == sl->cap)
            {
              size_t cap = sl->cap ? 2 * sl->cap : 32;
              double *p = realloc (sl->t, sizeof (double) * cap);
              if (p != NULL)
                {
                  sl->t = p;
                  sl->cap = cap;
                }
            }
          if (sl->n < sl->cap)
            sl->t[sl->n++] = t1;
        }
      int a = sim->conn_start[cell], b = sim->conn_start[cell + 1];
      if (a == b)
        continue;
      /* Kinetic release: level above 0 mV, at least 2 ms (pulse + dead
       * time at the defaults) after this cell's previous release. */
      bool release = n - g->last_rel[c] >= (int64_t) llround (2.0 / sim->cfg.dt_ms);
      if (release)
        g->last_rel[c] = n;
      for (int k = a; k < b; k++)
        {
          const Conn *cn = &sim->conn[sim->conn_order[k]];
          const Syn *s = &sim->syn[cn->syn];
          if (s->p.kind == SW_CABLE_SYN_KINETIC)
            {
              if (release && !out_push (&g->out, n + kin_shift + cn->delay_steps, cn->syn, 0))
                return false;
            }
          else if (spike && !out_push (&g->out, n + 1 + cn->delay_steps, cn->syn, cn->weight))
            return false;
        }
    }
  return true;
}

/* ---------------- the step ---------------- */

/* The part of a step that concerns group @gi alone: the synapse work the
 * previous step left to it (see syn_deferred), its currents, the solve,
 * V^{n+1}, its spikes and the events they cause (g->out), and its gates
 * (before the currents in BRC order). */
static void
group_step (SwCableSim *sim, int gi)
{
  Group *g = &sim->g[gi];
  bool brc = sim->cfg.order == SW_CABLE_ORDER_BRC;
  bool cn = sim->cfg.method == SW_CABLE_CRANK_NICOLSON;
  double dt = sim->cfg.dt_ms;
  if (sim->syn_deferred)
    {
      /* The rest of the previous step for this group's synapses, then the
       * events due now. */
      apply_events (sim, &sim->ev_after, gi);
      for (int q = sim->gsyn_start[gi]; q < sim->gsyn_start[gi + 1]; q++)
        advance_one (&sim->syn[sim->gsyn[q]], sim->syn_defer_step, dt);
      apply_events (sim, &sim->ev_next, gi);
    }
  if (brc)
    advance_states (sim, g);
  assemble (sim, gi, cn ? 0.5 * dt : dt);
  solve (g);
  size_t sz = (size_t) g->nn * g->nc;
  double *restrict v = g->v;
  const double *restrict b = g->b;
  double k = cn ? 2.0 : 1.0;
  bool bad = false;
#pragma omp simd reduction(|:bad)
  for (size_t i = 0; i < sz; i++)
    {
      v[i] += k * b[i];
      bad |= !isfinite (v[i]);
    }
  g->pos_valid = false;
  g->blown = bad;
  g->out.n = 0;
  if (bad)
    return;
  g->out_failed = !detect_spikes (sim, g);
  if (!brc)
    advance_states (sim, g);
}

/* Takes group @gi for step @gen unless it is taken (or a later step is
 * under way: then the caller is late). */
static inline bool
take_group (TakenLine *t, unsigned long gen)
{
  unsigned long old = atomic_load_explicit (&t->v, memory_order_relaxed);
  return old < gen
         && atomic_compare_exchange_strong_explicit (&t->v, &old, gen, memory_order_acq_rel,
                                                     memory_order_relaxed);
}

/* Thread @t's part of step @gen: its own groups, then any left. */
static void
claim_groups (SwCableSim *sim, int t, unsigned long gen)
{
  for (int pass = 0; pass < 2; pass++)
    for (int k = 0; k < sim->ng; k++)
      {
        int gi = sim->order[k];
        Group *g = &sim->g[gi];
        if ((pass == 0 && g->home != t) || !take_group (&sim->taken[gi], gen))
          continue;
        group_step (sim, gi);
        atomic_fetch_add_explicit (&sim->sync->groups_done, 1, memory_order_release);
      }
}

/* Spinning is cheap next to a step (tens of µs); after this many polls a
 * waiting worker yields, then sleeps until it is woken. */
#define SPIN_POLLS 20000

typedef struct
{
  SwCableSim *sim;
  int id;
  unsigned long seen;
} WorkerArg;

static void
worker_wait (SwCableSim *sim, unsigned long seen)
{
  for (int k = 0; atomic_load_explicit (&sim->sync->go, memory_order_acquire) == seen; k++)
    {
      if (k < SPIN_POLLS)
        {
          sw_cpu_relax ();
          continue;
        }
      if (k < SPIN_POLLS + 64)
        {
          sched_yield ();
          continue;
        }
      pthread_mutex_lock (&sim->lock);
      atomic_fetch_add (&sim->sync->n_sleeping, 1);
      while (atomic_load (&sim->sync->go) == seen)
        pthread_cond_wait (&sim->wake, &sim->lock);
      atomic_fetch_sub (&sim->sync->n_sleeping, 1);
      pthread_mutex_unlock (&sim->lock);
      return;
    }
}

static void *
worker_main (void *data)
{
  WorkerArg *w = data;
  SwCableSim *sim = w->sim;
  unsigned long seen = w->seen;
  for (;;)
    {
      worker_wait (sim, seen);
      seen = atomic_load_explicit (&sim->sync->go, memory_order_acquire);
      if (atomic_load (&sim->quit))
        break;
      claim_groups (sim, w->id, seen);
    }
  return NULL;
}

static void
wake_workers (SwCableSim *sim)
{
  if (atomic_load (&sim->sync->n_sleeping) > 0)
    {
      pthread_mutex_lock (&sim->lock);
      pthread_cond_broadcast (&sim->wake);
      pthread_mutex_unlock (&sim->lock);
    }
}

static void
workers_stop (SwCableSim *sim)
{
  if (sim->n_workers == 0)
    return;
  atomic_store (&sim->quit, true);
  atomic_fetch_add (&sim->sync->go, 1);
  pthread_mutex_lock (&sim->lock);
  pthread_cond_broadcast (&sim->wake);
  pthread_mutex_unlock (&sim->lock);
  for (int i = 0; i < sim->n_workers; i++)
    pthread_join (sim->workers[i], NULL);
  free (sim->workers);
  free (sim->worker_args);
  sim->workers = NULL;
  sim->worker_args = NULL;
  sim->n_workers = 0;
}

/* Starts threads 1 .. n_threads - 1 once; without them (a failed start)
 * the caller steps every group. */
static void
workers_start (SwCableSim *sim)
{
  if (sim->n_threads < 2 || sim->workers_tried)
    return;
  sim->workers_tried = true;
  int n = sim->n_threads - 1;
  sim->workers = calloc (n, sizeof (pthread_t));
  sim->worker_args = calloc (n, sizeof (WorkerArg));
  if (sim->workers == NULL || sim->worker_args == NULL)
    {
      free (sim->workers);
      free (sim->worker_args);
      sim->workers = NULL;
      sim->worker_args = NULL;
      return;
    }
  WorkerArg *args = sim->worker_args;
  for (int i = 0; i < n; i++)
    {
      args[i] = (WorkerArg) { sim, i + 1, atomic_load (&sim->sync->go) };
      if (pthread_create (&sim->workers[i], NULL, worker_main, &args[i]) != 0)
        break;
      sim->n_workers++;
    }
  if (sim->n_workers < n)
    workers_stop (sim);
}

/* The per-group part of a step on all threads, back when every group is
 * done. */
static void
step_groups (SwCableSim *sim)
{
  if (sim->n_workers == 0 || sim->order == NULL || sim->taken == NULL)
    {
      for (int gi = 0; gi < sim->ng; gi++)
        group_step (sim, gi);
      return;
    }
  atomic_store_explicit (&sim->sync->groups_done, 0, memory_order_relaxed);
  unsigned long gen = atomic_fetch_add (&sim->sync->go, 1) + 1;
  wake_workers (sim);
  claim_groups (sim, 0, gen);
  for (int k = 0; atomic_load_explicit (&sim->sync->groups_done, memory_order_acquire) < sim->ng; k++)
    if (k >= SPIN_POLLS)
      sched_yield ();
    else
      sw_cpu_relax ();
}

/* Synapses and clamps listed by group, in index order (the order in which
 * their currents add up at a node). */
static SwStatus
group_lists (SwCableSim *sim, SwError *err)
{
  if (sim->gsyn_start != NULL && sim->lists_syn == sim->n_syn && sim->lists_clamp == sim->n_clamp
      && sim->lists_ng == sim->ng && sim->lists_probe == sim->n_probe)
    return SW_OK;
  free (sim->gsyn_start);
  free (sim->gsyn);
  free (sim->gclamp_start);
  free (sim->gclamp);
  sim->gsyn_start = calloc (sim->ng + 1, sizeof (int));
  sim->gsyn = malloc (sizeof (int) * (sim->n_syn ? sim->n_syn : 1));
  sim->gclamp_start = calloc (sim->ng + 1, sizeof (int));
  sim->gclamp = malloc (sizeof (int) * (sim->n_clamp ? sim->n_clamp : 1));
  if (!sim->gsyn_start || !sim->gsyn || !sim->gclamp_start || !sim->gclamp)
    {
      sim->lists_ng = -1;
      return sw_error_set (err, SW_ERR_NOMEM, "out of memory");
    }
  for (int i = 0; i < sim->n_syn; i++)
    sim->gsyn_start[sim->syn[i].group + 1]++;
  for (int i = 0; i < sim->n_clamp; i++)
    sim->gclamp_start[sim->clamp[i].group + 1]++;
  for (int gi = 0; gi < sim->ng; gi++)
    {
      sim->gsyn_start[gi + 1] += sim->gsyn_start[gi];
      sim->gclamp_start[gi + 1] += sim->gclamp_start[gi];
    }
  int *fill = calloc (sim->ng + 1, sizeof (int));
  if (fill == NULL)
    {
      sim->lists_ng = -1;
      return sw_error_set (err, SW_ERR_NOMEM, "out of memory");
    }
  for (int i = 0; i < sim->n_syn; i++)
    {
      int gi = sim->syn[i].group;
      sim->gsyn[sim->gsyn_start[gi] + fill[gi]++] = i;
    }
  memset (fill, 0, sizeof (int) * (sim->ng + 1));
  for (int i = 0; i < sim->n_clamp; i++)
    {
      int gi = sim->clamp[i].group;
      sim->gclamp[sim->gclamp_start[gi] + fill[gi]++] = i;
    }
  free (fill);
  /* Largest groups first: the last to be taken are the small ones. */
  free (sim->order);
  free (sim->taken);
  sim->order = malloc (sizeof (int) * (sim->ng ? sim->ng : 1));
  sim->taken = aligned_alloc (64, sizeof (TakenLine) * (sim->ng ? sim->ng : 1));
  if (sim->taken != NULL)
    for (int gi = 0; gi < sim->ng; gi++)
      atomic_init (&sim->taken[gi].v, 0);
  if (sim->order == NULL || sim->taken == NULL)
    {
      sim->lists_ng = -1;
      return sw_error_set (err, SW_ERR_NOMEM, "out of memory");
    }
  for (int gi = 0; gi < sim->ng; gi++)
    {
      Group *g = &sim->g[gi];
      g->work = (double) g->nn * g->nc;
      for (int k = 0; k < g->nm; k++)
        g->work += 4.0 * (double) g->m[k].stride;
      g->work += 4.0 * (sim->gsyn_start[gi + 1] - sim->gsyn_start[gi]);
      int j = gi;
      while (j > 0 && sim->g[sim->order[j - 1]].work < g->work)
        {
          sim->order[j] = sim->order[j - 1];
          j--;
        }
      sim->order[j] = gi;
    }
  sim->syn_probes = false;
  for (int i = 0; i < sim->n_probe; i++)
    if (sim->probe[i].kind == SW_CABLE_PROBE_SYN_G || sim->probe[i].kind == SW_CABLE_PROBE_SYN_R)
      sim->syn_probes = true;
  sim->lists_syn = sim->n_syn;
  sim->lists_clamp = sim->n_clamp;
  sim->lists_ng = sim->ng;
  sim->lists_probe = sim->n_probe;
  return SW_OK;
}

static SwStatus
one_step (SwCableSim *sim, SwError *err)
{
  bool brc = sim->cfg.order == SW_CABLE_ORDER_BRC;
  SwStatus st = group_lists (sim, err);
  if (st != SW_OK)
    return st;

  /* With workers in NEURON order, the groups do the synapse work (see
   * syn_deferred); otherwise it is done here. */
  bool defer = sim->n_workers > 0 && !brc;
  if (!sim->syn_deferred)
    deliver (sim, sim->step);
  else if (!take_events (sim, sim->step, &sim->ev_next))
    {
      /* Out of memory for the list: all of it here, in the same order. */
      flush_synapses (sim);
      for (int k = 0; k < sim->ev_next.n; k++)
        apply_event (sim, &sim->ev_next.e[k]);
      deliver (sim, sim->step);
      defer = false;
    }
  if (brc)
    advance_synapses (sim, sim->step);
  step_groups (sim);
  sim->syn_deferred = false;
  for (int gi = 0; gi < sim->ng; gi++)
    if (sim->g[gi].blown)
      return report_blowup (sim, &sim->g[gi], err);
  /* The groups' events in group order: the queue is the same for any
   * number of threads. */
  for (int gi = 0; gi < sim->ng; gi++)
    {
      Group *g = &sim->g[gi];
      if (g->out_failed)
        return sw_error_set (err, SW_ERR_NOMEM, "out of memory queueing spike events");
      for (int k = 0; k < g->out.n; k++)
        heap_push (sim, g->out.e[k].step, g->out.e[k].syn, g->out.e[k].w);
    }
  if (!brc)
    {
      if (defer && take_events (sim, sim->step, &sim->ev_after))
        {
          sim->syn_deferred = true;
          sim->syn_defer_step = sim->step;
        }
      else
        {
          /* Out of memory for the list (the events that fit are the
           * first), or no workers. */
          if (defer)
            for (int k = 0; k < sim->ev_after.n; k++)
              apply_event (sim, &sim->ev_after.e[k]);
          sim->ev_after.n = 0;
          deliver (sim, sim->step);
          advance_synapses (sim, sim->step);
        }
    }
  sim->step++;
  if (sim->step % sim->record_every == 0)
    {
      if (sim->syn_probes)
        flush_synapses (sim);
      probes_sample (sim);
    }
  return SW_OK;
}

SwStatus
sw_cable_sim_step (SwCableSim *sim, int64_t n, SwError *err)
{
  if (!sim->initialised)
    {
      SwStatus st = sw_cable_sim_init (sim, err);
      if (st != SW_OK)
        return st;
    }
  SwStatus st = SW_OK;
  for (int64_t i = 0; i < n && st == SW_OK; i++)
    st = one_step (sim, err);
  flush_synapses (sim);
  return st;
}

SwStatus
sw_cable_sim_run (SwCableSim *sim, double t_stop_ms, SwError *err)
{
  int64_t target = (int64_t) llround (t_stop_ms / sim->cfg.dt_ms);
  if (!sim->initialised)
    {
      SwStatus st = sw_cable_sim_init (sim, err);
      if (st != SW_OK)
        return st;
    }
  return sw_cable_sim_step (sim, target - sim->step, err);
}

double
sw_cable_sim_time (const SwCableSim *sim)
{
  return (double) sim->step * sim->cfg.dt_ms;
}

int64_t
sw_cable_sim_steps (const SwCableSim *sim)
{
  return sim->step;
}

double
sw_cable_sim_get_v (const SwCableSim *sim, int cell, int node)
{
  if (cell < 0 || cell >= sim->n_cells)
    return NAN;
  const Group *g = &sim->g[sim->cell_group[cell]];
  if (node < 0 || node >= g->nn)
    return NAN;
  return g->v[(size_t) node * g->nc + sim->cell_local[cell]];
}

double
sw_cable_sim_get_state (const SwCableSim *sim, int cell, int node, const char *mech,
                        const char *what)
{
  if (cell < 0 || cell >= sim->n_cells)
    return NAN;
  const Group *g = &sim->g[sim->cell_group[cell]];
  int k = group_mech (g, mech);
  if (k < 0)
    return NAN;
  const GroupMech *gm = &g->m[k];
  int q = sw_cable_mech_state_index (gm->type, what);
  int j = mech_row (gm, node);
  if (q < 0 || j < 0)
    return NAN;
  return gm->s[q * gm->stride + (size_t) j * g->nc + sim->cell_local[cell]];
}

const double *
sw_cable_sim_spikes (const SwCableSim *sim, int cell, size_t *n)
{
  if (cell < 0 || cell >= sim->n_cells)
    {
      *n = 0;
      return NULL;
    }
  *n = sim->spikes[cell].n;
  return sim->spikes[cell].t;
}
