/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The BRC working-memory network on the cable engine (see sw-brc-net.h).
 *
 * The wiring, the cue cells' preferred points and the cell definitions
 * depend on the parameters only, so they are made once per evaluation and
 * shared, read-only, by the trials; every trial builds its own simulation
 * (SwCableSim is single-threaded), which costs little next to its 40 000
 * steps.  Cells of a population are added in one call, so the engine steps
 * each population as one structure-of-arrays group.
 *
 * Choices where the spec leaves room:
 *  - The 25 rate cells of the I population (unused by the readout) are not
 *    simulated; they receive nothing and influence nothing.
 *  - Synapses on the single-section cells (I, relay, rate) sit at
 *    soma(0.125), like the E cell's soma site; the section is isopotential
 *    to a fraction of a microvolt (5 µm at Ra 5000 Ω·cm).
 *  - Every gate of the E, I and relay cells starts at 0.2, as the reference
 *    does; relay cells start at their definition's -70 mV, E and I nodes
 *    uniform in [-80, -40] mV.
 *  - Releases follow the engine's rule (presynaptic detection site above
 *    0 mV, at least pulse + dead time apart) with no conduction delay.
 */
#include "sw-brc-net.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sw-cable.h"
#include "sw-rng.h"

/* Streams of this file, next to those of sw-brc-wiring.h. */
#define STREAM_TRIAL_SEED 0xB2C600u

/* Simulated time between two looks at the cancellation flag: 40 steps of
 * the reference dt, a few milliseconds of wall time for the whole network,
 * so that a cancel is answered well within a trial. */
#define CANCEL_POLL_MS 1.0

typedef struct
{
  const SwBrcParams *p;
  SwBrcConns syn[SW_BRC_N_TYPES];
  SwBrcConns cue_e, cue_i;
  double *pref_a, *pref_b;
  SwCableCell *def_e, *def_i, *def_relay, *def_rate;
  int node_e_soma, node_e_dend, node_small;
  int n_features;
  int n_samples, first_sample;
} Net;

/* One look at the cancellation flag.  A relaxed atomic load is a plain
 * read of the int on every target, and lets the writer (another thread,
 * with an atomic store) and race detectors agree that it is shared. */
static inline int
cancelled (const volatile int *cancel)
{
  if (cancel == NULL)
    return 0;
#if defined(__GNUC__) || defined(__clang__)
  return __atomic_load_n (cancel, __ATOMIC_RELAXED) != 0;
#else
  return *cancel != 0;
#endif
}

static double
now_s (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

int
sw_brc_n_features (const SwBrcParams *params)
{
  return params->n_e;
}

static void
net_clear (Net *net)
{
  for (int t = 0; t < SW_BRC_N_TYPES; t++)
    sw_brc_conns_clear (&net->syn[t]);
  sw_brc_conns_clear (&net->cue_e);
  sw_brc_conns_clear (&net->cue_i);
  free (net->pref_a);
  free (net->pref_b);
  sw_cable_cell_free (net->def_e);
  sw_cable_cell_free (net->def_i);
  sw_cable_cell_free (net->def_relay);
  sw_cable_cell_free (net->def_rate);
  memset (net, 0, sizeof *net);
}

/* Sets the searched densities of one section (-1: all) of @cell. */
static SwStatus
set_densities (SwCableCell *cell, int section, const SwBrcDensities *d, const char *what,
               SwError *err)
{
  static const struct
  {
    const char *mech, *param;
    size_t offset;
  } map[] = {
    { "leak", "g", offsetof (SwBrcDensities, leak) },
    { "km", "gbar", offsetof (SwBrcDensities, km) },
    { "cal", "gbar", offsetof (SwBrcDensities, cal) },
    { "cat_brc", "gbar", offsetof (SwBrcDensities, cat) },
  };
  for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
    {
      double v = *(const double *) ((const char *) d + map[k].offset);
      SwError local;
      if (sw_cable_cell_set_param (cell, section, map[k].mech, map[k].param, v, &local) != SW_OK)
        return sw_error_set (err, SW_ERR_INVALID, "%s: %s", what, local.text);
    }
  return SW_OK;
}

static SwStatus
net_build (Net *net, const SwBrcParams *p, SwError *err)
{
  memset (net, 0, sizeof *net);
  net->p = p;
  SwStatus st = sw_brc_params_check (p, err);
  if (st != SW_OK)
    return st;

  for (int t = 0; t < SW_BRC_N_TYPES; t++)
    {
      st = sw_brc_wire_type (p->seed, t, p->n_e, p->n_i, p->syn[t].p, &net->syn[t], err);
      if (st != SW_OK)
        return st;
    }
  /* Cue -> E onto the even-indexed E cells only; cue -> I onto any. */
  st = sw_brc_wire_random (p->seed, 0, p->n_cue, (p->n_e + 1) / 2, 2, p->cue_e.p, &net->cue_e, err);
  if (st == SW_OK)
    st = sw_brc_wire_random (p->seed, 1, p->n_cue, p->n_i, 1, p->cue_i.p, &net->cue_i, err);
  if (st != SW_OK)
    return st;

  net->pref_a = malloc (sizeof (double) * (size_t) p->n_cue);
  net->pref_b = malloc (sizeof (double) * (size_t) p->n_cue);
  net->def_e = sw_cable_cell_new_brc_e (SW_CABLE_BRC_P0, 0);
  net->def_i = sw_cable_cell_new_brc_i ();
  net->def_relay = sw_cable_cell_new_brc_relay ();
  net->def_rate = sw_cable_cell_new_brc_rate ();
  if (!net->pref_a || !net->pref_b || !net->def_e || !net->def_i || !net->def_relay
      || !net->def_rate)
    return sw_error_set (err, SW_ERR_NOMEM, "no memory for the BRC network");
  sw_brc_cue_prefs (p->seed, &p->proto, p->n_cue, net->pref_a, net->pref_b);

  const SwCableMorph *m = sw_cable_cell_get_morph (net->def_e);
  int soma = sw_cable_morph_find (m, "soma");
  st = set_densities (net->def_e, soma, &p->e_soma, "E soma", err);
  for (int s = 0; st == SW_OK && s < sw_cable_morph_n_sections (m); s++)
    if (s != soma)
      st = set_densities (net->def_e, s, &p->e_dend, "E dendrites", err);
  if (st == SW_OK)
    st = set_densities (net->def_i, -1, &p->i_cell, "I cell", err);
  if (st != SW_OK)
    return st;

  net->node_e_soma = sw_cable_cell_site_parse (net->def_e, SW_CABLE_BRC_SOMA_SITE, NULL);
  net->node_e_dend = sw_cable_cell_site_parse (net->def_e, SW_CABLE_BRC_DEND_SITE, NULL);
  net->node_small = sw_cable_cell_site_parse (net->def_relay, SW_CABLE_BRC_SOMA_SITE, NULL);
  if (net->node_e_soma < 0 || net->node_e_dend < 0 || net->node_small < 0)
    return sw_error_set (err, SW_ERR_INVALID, "BRC cells lack their synaptic sites");

  net->n_features = sw_brc_n_features (p);
  net->n_samples = sw_brc_n_samples (&p->proto);
  net->first_sample = (int) llround (p->proto.readout_from_ms / p->proto.sample_ms);
  return SW_OK;
}

/* Global indices of the populations in a trial's simulation. */
typedef struct
{
  int e0, i0, cue0, noise0, rate0;
} Layout;

static SwStatus
add_syn (SwCableSim *sim, int pre, int post, int node, const char *receptor, double g_us,
         double e_mv, int override_e, SwError *err)
{
  SwCableSynParams sp;
  sw_cable_syn_preset (receptor, &sp);
  sp.g_max_us = g_us;
  if (override_e)
    sp.e_mv = e_mv;
  int syn = sw_cable_sim_add_synapse (sim, post, node, &sp, err);
  if (syn < 0)
    return SW_ERR_INVALID;
  return sw_cable_sim_connect (sim, pre, syn, 0.0, 0.0, err);
}

static const char *
receptor_name (SwBrcReceptor r)
{
  return r == SW_BRC_NMDA ? "nmda" : r == SW_BRC_GABAA ? "gabaa" : "ampa";
}

static SwStatus
trial_build (const Net *net, int cue, uint32_t trial, SwCableSim **out, Layout *lay, SwError *err)
{
  const SwBrcParams *p = net->p;
  SwCableConfig cfg;
  sw_cable_config_init (&cfg);
  cfg.dt_ms = p->proto.dt_ms;
  cfg.record_dt_ms = p->proto.sample_ms;
  cfg.threads = p->trial_threads > 1 ? p->trial_threads : 1;
  SwRand4 r = sw_philox (p->seed, STREAM_TRIAL_SEED, trial, 0);
  cfg.seed = ((uint64_t) r.v[0] << 32) | r.v[1];

  SwCableSim *sim = sw_cable_sim_new (&cfg);
  *out = sim;
  if (sim == NULL)
    return sw_error_set (err, SW_ERR_NOMEM, "no memory for a BRC trial");

  lay->e0 = sw_cable_sim_add_cells (sim, net->def_e, p->n_e, err);
  lay->i0 = sw_cable_sim_add_cells (sim, net->def_i, p->n_i, err);
  lay->cue0 = sw_cable_sim_add_cells (sim, net->def_relay, p->n_cue, err);
  lay->noise0 = sw_cable_sim_add_cells (sim, net->def_relay, p->n_e + p->n_i, err);
  lay->rate0 = sw_cable_sim_add_cells (sim, net->def_rate, p->n_e, err);
  if (lay->e0 < 0 || lay->i0 < 0 || lay->cue0 < 0 || lay->noise0 < 0 || lay->rate0 < 0)
    return SW_ERR_NOMEM;

  SwStatus st = SW_OK;
  /* Recurrent synapses. */
  for (int t = 0; t < SW_BRC_N_TYPES && st == SW_OK; t++)
    {
      const SwBrcSynTypeInfo *info = sw_brc_syn_type_info (t);
      if (!(p->syn[t].g_us > 0.0))
        continue;
      int pre_base = info->pathway == SW_BRC_PATH_EE || info->pathway == SW_BRC_PATH_EI ? lay->e0
                                                                                          : lay->i0;
      int post_is_e = info->pathway == SW_BRC_PATH_EE || info->pathway == SW_BRC_PATH_IE;
      int post_base = post_is_e ? lay->e0 : lay->i0;
      int node = !post_is_e ? net->node_small
                 : info->site == SW_BRC_SITE_DEND ? net->node_e_dend
                                                  : net->node_e_soma;
      const SwBrcConns *c = &net->syn[t];
      for (int k = 0; k < c->n && st == SW_OK; k++)
        st = add_syn (sim, pre_base + c->pre[k], post_base + c->post[k], node,
                      receptor_name (info->receptor), p->syn[t].g_us, 0, 0, err);
    }

  /* Cue synapses: receptor and site of the condition onto E, AMPA onto I. */
  const char *cue_rec = receptor_name (sw_brc_condition_receptor (p->condition));
  int cue_node = sw_brc_condition_site (p->condition) == SW_BRC_SITE_DEND ? net->node_e_dend
                                                                           : net->node_e_soma;
  if (p->cue_e.g_us > 0.0)
    for (int k = 0; k < net->cue_e.n && st == SW_OK; k++)
      st = add_syn (sim, lay->cue0 + net->cue_e.pre[k], lay->e0 + net->cue_e.post[k], cue_node,
                    cue_rec, p->cue_e.g_us, 0, 0, err);
  if (p->cue_i.g_us > 0.0)
    for (int k = 0; k < net->cue_i.n && st == SW_OK; k++)
      st = add_syn (sim, lay->cue0 + net->cue_i.pre[k], lay->i0 + net->cue_i.post[k],
                    net->node_small, "ampa", p->cue_i.g_us, 0, 0, err);

  /* Noise relays, one per E and I cell, and their currents. */
  const double sd = sw_brc_noise_sd (&p->proto);
  for (int k = 0; k < p->n_e + p->n_i && st == SW_OK; k++)
    {
      int post = k < p->n_e ? lay->e0 + k : lay->i0 + (k - p->n_e);
      int node = k < p->n_e ? net->node_e_soma : net->node_small;
      if (p->noise_g_us > 0.0)
        st = add_syn (sim, lay->noise0 + k, post, node, "ampa", p->noise_g_us, 0, 0, err);
      if (st == SW_OK && sd > 0.0
          && sw_cable_sim_add_noise (sim, lay->noise0 + k, net->node_small, 0.0, p->proto.t_stop_ms,
                                     0.0, sd, err)
               < 0)
        st = SW_ERR_INVALID;
    }

  /* Cue currents. */
  double c1, c2;
  sw_brc_cue_value (cue, &c1, &c2);
  for (int k = 0; k < p->n_cue && st == SW_OK; k++)
    {
      double amp = sw_brc_cue_current (&p->proto, net->pref_a[k], net->pref_b[k], c1, c2);
      if (sw_cable_sim_add_iclamp (sim, lay->cue0 + k, net->node_small, p->proto.cue_on_ms,
                                   p->proto.cue_off_ms - p->proto.cue_on_ms, amp, err)
          < 0)
        st = SW_ERR_INVALID;
    }

  /* Readout: the odd-indexed E cells drive their rate cells, and every
   * rate cell is a feature. */
  for (int i = 1; i < p->n_e && st == SW_OK; i += 2)
    st = add_syn (sim, lay->e0 + i, lay->rate0 + i, net->node_small, "ampa", p->readout_g_us,
                  p->readout_e_mv, 1, err);
  for (int i = 0; i < p->n_e && st == SW_OK; i++)
    if (sw_cable_sim_add_probe (sim, SW_CABLE_PROBE_V, lay->rate0 + i, net->node_small, NULL, NULL,
                                0, err)
        != i)
      st = SW_ERR_INVALID;
  if (st != SW_OK)
    return st;

  st = sw_cable_sim_init (sim, err);
  if (st != SW_OK)
    return st;

  /* Initial state: E and I nodes uniform, every gate 0.2. */
  double v[4096];
  for (int c = 0; c < p->n_e + p->n_i; c++)
    {
      int cell = c < p->n_e ? lay->e0 + c : lay->i0 + (c - p->n_e);
      const SwCableCell *def = c < p->n_e ? net->def_e : net->def_i;
      int nn = sw_cable_cell_n_nodes (def);
      if (nn > 4096)
        return sw_error_set (err, SW_ERR_INVALID, "BRC cell with more than 4096 nodes");
      sw_brc_initial_voltages (p->seed, &p->proto, trial, c, nn, v);
      for (int n = 0; n < nn; n++)
        sw_cable_sim_set_v (sim, cell, n, v[n], false);
    }
  for (int cell = lay->e0; cell < lay->rate0; cell++)
    sw_cable_sim_set_gates (sim, cell, 0.2);
  return SW_OK;
}

static int
count_spikes (const SwCableSim *sim, int cell, double t0, double t1)
{
  size_t n;
  const double *t = sw_cable_sim_spikes (sim, cell, &n);
  int c = 0;
  for (size_t k = 0; k < n; k++)
    if (t[k] >= t0 && t[k] < t1)
      c++;
  return c;
}

typedef struct
{
  double e_before, e_after, i_all;  /* spike counts */
  double wall_s;
} TrialInfo;

static SwStatus
trial_run (const Net *net, int cue, int repeat, const volatile int *cancel, SwBrcStats *stats,
           TrialInfo *info, SwError *err)
{
  const SwBrcParams *p = net->p;
  const uint32_t trial = (uint32_t) (cue * p->n_repeats + repeat);
  double t_start = now_s ();
  SwCableSim *sim = NULL;
  Layout lay = { 0 };
  if (cancelled (cancel))
    {
      info->wall_s = now_s () - t_start;
      return sw_error_set (err, SW_ERR_CANCELLED, "cancelled");
    }
  SwStatus st = trial_build (net, cue, trial, &sim, &lay, err);

  /* Whole steps, a poll's worth at a time: the same steps as one long run,
   * so the chunking leaves the result unchanged. */
  const int64_t n_steps = llround (p->proto.t_stop_ms / p->proto.dt_ms);
  int64_t chunk = llround (CANCEL_POLL_MS / p->proto.dt_ms);
  if (chunk < 1)
    chunk = 1;
  for (int64_t done = 0; st == SW_OK && done < n_steps; done += chunk)
    {
      if (cancelled (cancel))
        {
          st = sw_error_set (err, SW_ERR_CANCELLED, "cancelled");
          break;
        }
      SwError local;
      st = sw_cable_sim_step (sim, n_steps - done < chunk ? n_steps - done : chunk, &local);
      if (st != SW_OK)
        sw_error_set (err, st, "trial of cue %d, repeat %d: %s", cue, repeat, local.text);
    }

  if (st == SW_OK)
    {
      double y[2];
      sw_brc_cue_value (cue, &y[0], &y[1]);
      const double *data[SW_BRC_N_E * 4];
      double x[SW_BRC_N_E * 4];
      const int nf = net->n_features;
      if (nf > SW_BRC_N_E * 4)
        st = sw_error_set (err, SW_ERR_INVALID, "too many readout features (%d)", nf);
      size_t n = 0;
      for (int i = 0; st == SW_OK && i < nf; i++)
        {
          data[i] = sw_cable_sim_probe_data (sim, i, &n);
          if (n < (size_t) (net->first_sample + net->n_samples))
            st = sw_error_set (err, SW_ERR_INVALID,
                               "rate cell %d recorded %zu samples, expected %d", i, n,
                               net->first_sample + net->n_samples);
        }
      for (int k = 0; st == SW_OK && k < net->n_samples; k++)
        {
          for (int i = 0; i < nf; i++)
            x[i] = data[i][net->first_sample + k];
          sw_brc_stats_add (stats, x, y);
        }
      info->e_before = info->e_after = info->i_all = 0;
      for (int i = 0; st == SW_OK && i < p->n_e; i++)
        {
          info->e_before += count_spikes (sim, lay.e0 + i, 0.0, p->proto.cue_on_ms);
          info->e_after += count_spikes (sim, lay.e0 + i, p->proto.cue_on_ms, INFINITY);
        }
      for (int j = 0; st == SW_OK && j < p->n_i; j++)
        info->i_all += count_spikes (sim, lay.i0 + j, 0.0, INFINITY);
    }
  sw_cable_sim_free (sim);
  info->wall_s = now_s () - t_start;
  return st;
}

SwStatus
sw_brc_run_trial (const SwBrcParams *params, int cue, int repeat, const volatile int *cancel,
                  SwBrcStats *stats, SwBrcResult *info, SwError *err)
{
  Net net;
  memset (info, 0, sizeof *info);
  SwStatus st = net_build (&net, params, err);
  if (st == SW_OK && (cue < 0 || cue >= SW_BRC_N_CUES || repeat < 0 || repeat >= params->n_repeats))
    st = sw_error_set (err, SW_ERR_INVALID, "no trial of cue %d, repeat %d", cue, repeat);
  if (st == SW_OK && (stats->n_features != net.n_features || stats->n_outputs != 2))
    st = sw_error_set (err, SW_ERR_INVALID, "readout statistics of the wrong size");
  TrialInfo ti = { 0 };
  if (st == SW_OK)
    st = trial_run (&net, cue, repeat, cancel, stats, &ti, err);
  if (st == SW_OK)
    {
      const SwBrcProtocol *pr = &params->proto;
      info->n_trials = 1;
      info->sim_ms = pr->t_stop_ms;
      info->wall_s = info->trial_wall_s = ti.wall_s;
      info->e_rate_hz = pr->cue_on_ms > 0.0 ? ti.e_before / params->n_e / (pr->cue_on_ms * 1e-3) : NAN;
      info->e_rate_cue_hz = ti.e_after / params->n_e / ((pr->t_stop_ms - pr->cue_on_ms) * 1e-3);
      info->i_rate_hz = ti.i_all / params->n_i / (pr->t_stop_ms * 1e-3);
      for (int t = 0; t < SW_BRC_N_TYPES; t++)
        info->n_syn[t] = params->syn[t].g_us > 0.0 ? net.syn[t].n : 0;
      info->n_cue_e = params->cue_e.g_us > 0.0 ? net.cue_e.n : 0;
      info->n_cue_i = params->cue_i.g_us > 0.0 ? net.cue_i.n : 0;
    }
  net_clear (&net);
  return st;
}

/* ------------------------------------------------------------------------ */
/* All trials                                                                */

typedef struct
{
  const Net *net;
  const volatile int *cancel;
  int *trials_done;
  SwBrcStats *stats;
  TrialInfo *info;
  SwStatus *status;
  SwError *errors;
} EvalJob;

static void
eval_trial (void *data, int item, int thread)
{
  EvalJob *job = data;
  (void) thread;
  int reps = job->net->p->n_repeats;
  job->status[item] = trial_run (job->net, item / reps, item % reps, job->cancel,
                                 &job->stats[item], &job->info[item], &job->errors[item]);
  if (job->trials_done != NULL && job->status[item] == SW_OK)
    __atomic_add_fetch (job->trials_done, 1, __ATOMIC_RELAXED);
}

SwStatus
sw_brc_evaluate (const SwBrcParams *params, int n_threads, const volatile int *cancel,
                 SwBrcResult *out, SwError *err)
{
  return sw_brc_evaluate_counted (params, n_threads, cancel, NULL, out, err);
}

SwStatus
sw_brc_evaluate_counted (const SwBrcParams *params, int n_threads, const volatile int *cancel,
                         int *trials_done, SwBrcResult *out, SwError *err)
{
  memset (out, 0, sizeof *out);
  double t0 = now_s ();
  Net net;
  SwStatus st = net_build (&net, params, err);
  const int n_trials = SW_BRC_N_CUES * params->n_repeats;
  SwBrcStats *stats = calloc ((size_t) n_trials, sizeof (SwBrcStats));
  TrialInfo *info = calloc ((size_t) n_trials, sizeof (TrialInfo));
  SwStatus *status = calloc ((size_t) n_trials, sizeof (SwStatus));
  SwError *errors = calloc ((size_t) n_trials, sizeof (SwError));
  if (st == SW_OK && (!stats || !info || !status || !errors))
    st = sw_error_set (err, SW_ERR_NOMEM, "no memory for %d trials", n_trials);
  for (int k = 0; st == SW_OK && k < n_trials; k++)
    st = sw_brc_stats_init (&stats[k], net.n_features, 2, err);

  if (st == SW_OK)
    {
      EvalJob job = { &net, cancel, trials_done, stats, info, status, errors };
      /* Threads inside the trials take their share of the threads. */
      int per = params->trial_threads > 1 ? params->trial_threads : 1;
      int at_once = n_threads / per > 1 ? n_threads / per : 1;
      if (sw_brc_parallel_for (n_trials, at_once, eval_trial, &job) != 0)
        st = sw_error_set (err, SW_ERR_NOMEM, "cannot start %d threads", n_threads);
      /* The first failure in trial order, whatever thread met it. */
      for (int k = 0; st == SW_OK && k < n_trials; k++)
        if (status[k] != SW_OK)
          {
            st = status[k];
            if (err != NULL)
              *err = errors[k];
          }
    }
  if (st == SW_OK)
    st = sw_brc_score (stats, SW_BRC_N_CUES, params->n_repeats, &params->readout, &out->score, err);

  if (st == SW_OK)
    {
      const SwBrcProtocol *pr = &params->proto;
      double eb = 0, ea = 0, ia = 0, wall = 0;
      for (int k = 0; k < n_trials; k++)
        {
          eb += info[k].e_before;
          ea += info[k].e_after;
          ia += info[k].i_all;
          wall += info[k].wall_s;
        }
      out->n_trials = n_trials;
      out->sim_ms = pr->t_stop_ms;
      out->trial_wall_s = wall / n_trials;
      out->e_rate_hz = pr->cue_on_ms > 0.0 ? eb / n_trials / params->n_e / (pr->cue_on_ms * 1e-3) : NAN;
      out->e_rate_cue_hz = ea / n_trials / params->n_e / ((pr->t_stop_ms - pr->cue_on_ms) * 1e-3);
      out->i_rate_hz = ia / n_trials / params->n_i / (pr->t_stop_ms * 1e-3);
      for (int t = 0; t < SW_BRC_N_TYPES; t++)
        out->n_syn[t] = params->syn[t].g_us > 0.0 ? net.syn[t].n : 0;
      out->n_cue_e = params->cue_e.g_us > 0.0 ? net.cue_e.n : 0;
      out->n_cue_i = params->cue_i.g_us > 0.0 ? net.cue_i.n : 0;
    }
  out->wall_s = now_s () - t0;

  for (int k = 0; stats != NULL && k < n_trials; k++)
    sw_brc_stats_clear (&stats[k]);
  free (stats);
  free (info);
  free (status);
  free (errors);
  net_clear (&net);
  return st;
}
