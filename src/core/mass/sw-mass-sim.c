/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Stepping of neural-mass networks: RK4, stochastic Heun, exact and Euler
 * updates with delayed coupling through per-node output rings.
 *
 * The delayed part of node i's coupling at a stage time t_n + c dt is
 * (1 - c) S0_i + c S1_i with S0_i = sum_j W_ij out_j (t_n - d_ij) and S1_i =
 * sum_j W_ij out_j (t_{n+1} - d_ij) over the connections with d_ij >= 1:
 * linear in c, so one pass over the connections per step suffices, and S1
 * of one step is S0 of the next.  Connections with d_ij = 0 are summed at
 * every stage from the other nodes' stage outputs.
 */
#include "config.h"

#include "sw-mass-sim.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sw-rng.h"
#include "sw-team.h"

/* Philox streams of the mass simulator. */
enum
{
  STREAM_NOISE = 0x70000,   /* white noise: (node, step) */
  STREAM_HELD = 0x71000,    /* held inputs: (node, interval) */
};

struct SwMassSim
{
  const SwMassType *type;
  int n, ns, no, np;
  double *params;              /* n x np */
  SwMassMethod method;
  double dt, hold;
  uint64_t seed;
  double g;

  double *x;                   /* n x ns */
  double *k1, *k2, *k3, *k4, *y;  /* n x ns work arrays */
  double *ostage;              /* n x no: outputs of the current stage state */

  /* Connections by target: delayed ones (d >= 1) and instantaneous ones. */
  int *d_ptr, *d_src, *d_lag;
  long *d_off;                 /* lag * n - source, for one-output models */
  double *d_w;
  int *i_ptr, *i_src;
  double *i_w;
  bool has_instant;
  int block;                   /* steps between synchronisations of a team:
                                * the shortest delay (1 with instantaneous
                                * connections) */
  double *rowsum;              /* sum_j W_ij, for diffusive coupling */

  /* Output history: ring of hist_len steps of n x no. */
  double *hist;
  int hist_len;
  double *s0, *s1;             /* n x no */

  double *extra;               /* n */
  double *held;                /* n: current held value */
  long *held_index;            /* n: interval it belongs to */

  long step;

  SwTeam *team;
  /* Run arguments, for the team members. */
  long run_steps;
  int run_every;
  double *run_obs;
  double *acc;                 /* n */
  atomic_int bad_node;         /* -1, or the first node found non-finite */
  atomic_long bad_step;
  long run_done;               /* steps completed by the last run */
};

const char *
sw_mass_method_name (SwMassMethod method)
{
  switch (method)
    {
    case SW_MASS_METHOD_AUTO: return "auto";
    case SW_MASS_METHOD_RK4: return "rk4";
    case SW_MASS_METHOD_HEUN: return "heun";
    case SW_MASS_METHOD_EXACT: return "exact";
    case SW_MASS_METHOD_EULER: return "euler";
    default: return "unknown";
    }
}

SwMassMethod
sw_mass_sim_method (const SwMassSim *sim)
{
  return sim->method;
}

void
sw_mass_sim_free (SwMassSim *sim)
{
  if (sim == NULL)
    return;
  if (sim->team != NULL)
    sw_team_free (sim->team);
  free (sim->params);
  free (sim->x);
  free (sim->k1);
  free (sim->k2);
  free (sim->k3);
  free (sim->k4);
  free (sim->y);
  free (sim->ostage);
  free (sim->d_ptr);
  free (sim->d_src);
  free (sim->d_lag);
  free (sim->d_off);
  free (sim->d_w);
  free (sim->i_ptr);
  free (sim->i_src);
  free (sim->i_w);
  free (sim->rowsum);
  free (sim->hist);
  free (sim->s0);
  free (sim->s1);
  free (sim->extra);
  free (sim->held);
  free (sim->held_index);
  free (sim->acc);
  free (sim);
}

static bool
has_white_noise (const SwMassType *type, const double *params, int n)
{
  if (type->noise_param < 0)
    return false;
  for (int i = 0; i < n; i++)
    if (params[i * type->n_params + type->noise_param] != 0.0)
      return true;
  return false;
}

static inline double *
hist_slot (const SwMassSim *sim, long step)
{
  long m = step % sim->hist_len;
  if (m < 0)
    m += sim->hist_len;
  return sim->hist + (size_t) m * sim->n * sim->no;
}

SwStatus
sw_mass_sim_new (const SwMassConfig *cfg, SwMassSim **out, SwError *err)
{
  *out = NULL;
  const SwMassType *type = cfg->type;
  if (type == NULL)
    return sw_error_set (err, SW_ERR_INVALID, "no node model given");
  int n = cfg->n_nodes;
  if (n < 1)
    return sw_error_set (err, SW_ERR_INVALID, "a network needs at least one node (got %d)", n);
  if (!(cfg->dt_s > 0.0) || !isfinite (cfg->dt_s))
    return sw_error_set (err, SW_ERR_INVALID, "the time step must be positive (got %g s)", cfg->dt_s);
  if (cfg->params == NULL && cfg->node_params == NULL)
    return sw_error_set (err, SW_ERR_INVALID, "no parameters given");
  if (!isfinite (cfg->g))
    return sw_error_set (err, SW_ERR_INVALID, "the global coupling G must be finite");
  double hold = cfg->hold_s > 0.0 ? cfg->hold_s : fmax (1e-3, cfg->dt_s);
  if (!isfinite (hold) || hold < cfg->dt_s * 0.999999)
    return sw_error_set (err, SW_ERR_INVALID,
                         "the hold interval of random inputs (%g s) is shorter than the time step (%g s)",
                         hold, cfg->dt_s);

  int np = type->n_params, ns = type->n_state, no = type->n_out;
  SwMassSim *sim = calloc (1, sizeof *sim);
  if (sim == NULL)
    return sw_error_set (err, SW_ERR_NOMEM, "out of memory");
  sim->type = type;
  sim->n = n;
  sim->ns = ns;
  sim->no = no;
  sim->np = np;
  sim->dt = cfg->dt_s;
  sim->hold = hold;
  sim->seed = cfg->seed;
  sim->g = cfg->g;
  atomic_init (&sim->bad_node, -1);
  atomic_init (&sim->bad_step, 0);

  sim->params = malloc ((size_t) n * np * sizeof (double));
  if (sim->params == NULL)
    goto nomem;
  for (int i = 0; i < n; i++)
    memcpy (sim->params + (size_t) i * np,
            cfg->node_params != NULL ? cfg->node_params + (size_t) i * np : cfg->params,
            np * sizeof (double));
  for (int i = 0; i < n; i++)
    for (int k = 0; k < np; k++)
      {
        double v = sim->params[(size_t) i * np + k];
        if (!isfinite (v) || !sw_param_in_range (&type->params[k], v))
          {
            char where[32] = "";
            if (n > 1)
              snprintf (where, sizeof where, " node %d", i);
            sw_error_set (err, SW_ERR_INVALID, "parameter %s of %s%s is %g, outside its range %g to %g %s",
                          type->params[k].name, type->name, where, v, type->params[k].min,
                          type->params[k].max, type->params[k].unit);
            sw_mass_sim_free (sim);
            return SW_ERR_INVALID;
          }
      }

  bool noise = has_white_noise (type, sim->params, n);
  SwMassMethod method = cfg->method;
  if (method == SW_MASS_METHOD_AUTO)
    method = noise ? SW_MASS_METHOD_HEUN : SW_MASS_METHOD_RK4;
  if (method == SW_MASS_METHOD_RK4 && noise)
    {
      sw_mass_sim_free (sim);
      return sw_error_set (err, SW_ERR_INVALID,
                           "RK4 is for deterministic runs; with white noise (%s > 0) use heun",
                           type->params[type->noise_param].name);
    }
  if (method == SW_MASS_METHOD_EXACT && type->exact == NULL)
    {
      sw_mass_sim_free (sim);
      return sw_error_set (err, SW_ERR_INVALID, "model %s has no exact update; use rk4 or heun",
                           type->name);
    }
  if (method <= SW_MASS_METHOD_AUTO || method >= SW_MASS_N_METHODS)
    {
      sw_mass_sim_free (sim);
      return sw_error_set (err, SW_ERR_INVALID, "unknown integration method %d", (int) method);
    }
  sim->method = method;

  /* Connections. */
  int max_lag = 0;
  int n_delayed = 0, n_instant = 0;
  if (cfg->weights != NULL)
    {
      for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
          {
            double w = cfg->weights[(size_t) i * n + j];
            if (!isfinite (w) || w < 0.0)
              {
                sw_mass_sim_free (sim);
                return sw_error_set (err, SW_ERR_INVALID,
                                     "weight from node %d onto node %d is %g; weights must be finite and >= 0",
                                     j, i, w);
              }
            if (i == j && w != 0.0)
              {
                sw_mass_sim_free (sim);
                return sw_error_set (err, SW_ERR_INVALID,
                                     "weight of node %d onto itself is %g; the diagonal must be 0", i, w);
              }
            if (w == 0.0)
              continue;
            int d = cfg->delay_steps != NULL ? cfg->delay_steps[(size_t) i * n + j] : 0;
            if (d < 0 || d * cfg->dt_s > SW_MASS_MAX_DELAY_S * (1.0 + 1e-9))
              {
                sw_mass_sim_free (sim);
                return sw_error_set (err, SW_ERR_INVALID,
                                     "delay from node %d onto node %d is %d steps (%g s); it must lie in 0 to %g s",
                                     j, i, d, d * cfg->dt_s, SW_MASS_MAX_DELAY_S);
              }
            if (d > 0)
              n_delayed++;
            else
              n_instant++;
            if (d > max_lag)
              max_lag = d;
          }
    }
  sim->d_ptr = calloc ((size_t) n + 1, sizeof (int));
  sim->i_ptr = calloc ((size_t) n + 1, sizeof (int));
  sim->d_src = malloc ((size_t) (n_delayed + 1) * sizeof (int));
  sim->d_lag = malloc ((size_t) (n_delayed + 1) * sizeof (int));
  sim->d_w = malloc ((size_t) (n_delayed + 1) * sizeof (double));
  sim->d_off = malloc ((size_t) (n_delayed + 1) * sizeof (long));
  sim->i_src = malloc ((size_t) (n_instant + 1) * sizeof (int));
  sim->i_w = malloc ((size_t) (n_instant + 1) * sizeof (double));
  sim->rowsum = calloc ((size_t) n, sizeof (double));
  if (!sim->d_ptr || !sim->i_ptr || !sim->d_src || !sim->d_lag || !sim->d_w || !sim->d_off || !sim->i_src
      || !sim->i_w || !sim->rowsum)
    goto nomem;
  if (cfg->weights != NULL)
    {
      int kd = 0, ki = 0;
      for (int i = 0; i < n; i++)
        {
          for (int j = 0; j < n; j++)
            {
              double w = cfg->weights[(size_t) i * n + j];
              if (w == 0.0)
                continue;
              sim->rowsum[i] += w;
              int d = cfg->delay_steps != NULL ? cfg->delay_steps[(size_t) i * n + j] : 0;
              if (d > 0)
                {
                  sim->d_src[kd] = j;
                  sim->d_lag[kd] = d;
                  sim->d_w[kd] = w;
                  sim->d_off[kd] = (long) d * n - j;
                  kd++;
                }
              else
                {
                  sim->i_src[ki] = j;
                  sim->i_w[ki] = w;
                  ki++;
                }
            }
          sim->d_ptr[i + 1] = kd;
          sim->i_ptr[i + 1] = ki;
        }
    }
  sim->has_instant = n_instant > 0;

  size_t nx = (size_t) n * ns;
  sim->x = malloc (nx * sizeof (double));
  sim->k1 = malloc (nx * sizeof (double));
  sim->k2 = malloc (nx * sizeof (double));
  sim->k3 = malloc (nx * sizeof (double));
  sim->k4 = malloc (nx * sizeof (double));
  sim->y = malloc (nx * sizeof (double));
  sim->ostage = calloc ((size_t) n * no, sizeof (double));
  /* A member may run ahead of the others by up to the shortest delay:
   * what it needs from them is then at least that old.  The ring holds the
   * longest delay plus that lead, so writes never meet pending reads. */
  int min_lag = max_lag;
  for (int e = 0; e < n_delayed; e++)
    if (sim->d_lag[e] < min_lag)
      min_lag = sim->d_lag[e];
  sim->block = n_instant > 0 || n_delayed == 0 ? 1 : (min_lag > 64 ? 64 : min_lag);
  sim->hist_len = max_lag + sim->block + 2;
  sim->hist = malloc ((size_t) sim->hist_len * n * no * sizeof (double));
  sim->s0 = calloc ((size_t) n * no, sizeof (double));
  sim->s1 = calloc ((size_t) n * no, sizeof (double));
  sim->extra = calloc ((size_t) n, sizeof (double));
  sim->held = calloc ((size_t) n, sizeof (double));
  sim->held_index = malloc ((size_t) n * sizeof (long));
  sim->acc = calloc ((size_t) n, sizeof (double));
  if (!sim->x || !sim->k1 || !sim->k2 || !sim->k3 || !sim->k4 || !sim->y || !sim->ostage
      || !sim->hist || !sim->s0 || !sim->s1 || !sim->extra || !sim->held || !sim->held_index
      || !sim->acc)
    goto nomem;
  for (int i = 0; i < n; i++)
    {
      sim->held_index[i] = -1;
      for (int k = 0; k < ns; k++)
        {
          double v = cfg->initial != NULL ? cfg->initial[(size_t) i * ns + k]
                                          : type->state[k].default_value;
          if (!isfinite (v))
            {
              sw_mass_sim_free (sim);
              return sw_error_set (err, SW_ERR_INVALID, "initial %s of node %d is not finite",
                                   type->state[k].name, i);
            }
          sim->x[(size_t) i * ns + k] = v;
        }
    }
  /* The history before t = 0 is the initial state. */
  for (int i = 0; i < n; i++)
    type->output (sim->params + (size_t) i * np, sim->x + (size_t) i * ns,
                  sim->hist + (size_t) i * no);
  for (int m = 1; m < sim->hist_len; m++)
    memcpy (sim->hist + (size_t) m * n * no, sim->hist, (size_t) n * no * sizeof (double));
  /* S0 at step 0. */
  for (int i = 0; i < n; i++)
    for (int e = sim->d_ptr[i]; e < sim->d_ptr[i + 1]; e++)
      for (int k = 0; k < no; k++)
        sim->s0[(size_t) i * no + k] += sim->d_w[e] * sim->hist[(size_t) sim->d_src[e] * no + k];

  if (cfg->threads > 1 && n > 1)
    {
      int t = cfg->threads < n ? cfg->threads : n;
      sim->team = sw_team_new (t);
      if (sim->team == NULL)
        {
          sw_mass_sim_free (sim);
          return sw_error_set (err, SW_ERR_NOMEM, "cannot start %d threads", t);
        }
    }
  *out = sim;
  return SW_OK;

nomem:
  sw_mass_sim_free (sim);
  return sw_error_set (err, SW_ERR_NOMEM, "out of memory for a network of %d nodes", n);
}

void
sw_mass_sim_set_extra_input (SwMassSim *sim, int node, double value)
{
  if (node >= 0 && node < sim->n)
    sim->extra[node] = value;
}

const double *
sw_mass_sim_state (const SwMassSim *sim)
{
  return sim->x;
}

double
sw_mass_sim_time_s (const SwMassSim *sim)
{
  return sim->step * sim->dt;
}

long
sw_mass_sim_steps (const SwMassSim *sim)
{
  return sim->step;
}

int
sw_mass_sim_n_nodes (const SwMassSim *sim)
{
  return sim->n;
}

/* ------------------------------------------------------------------------ */
/* One step of a range of nodes                                              */

typedef struct
{
  SwMassSim *sim;
  SwTeam *team;       /* NULL: single thread */
  int thread;
  int begin, end;
  long step;          /* the step being computed */
} Range;

static inline void
sync (const Range *r)
{
  if (r->team != NULL)
    sw_team_barrier (r->team, r->thread);
}

/* Members exchange stage outputs only through instantaneous connections;
 * without them a member touches other nodes' data only through the history,
 * which is synchronised once per step. */
static inline void
sync_instant (const Range *r)
{
  if (r->sim->has_instant)
    sync (r);
}

/* Outputs of the stage state @y for the range, when instantaneous
 * connections need them (then followed by a barrier). */
static void
stage_outputs (const Range *r, const double *y)
{
  SwMassSim *sim = r->sim;
  if (!sim->has_instant)
    return;
  for (int i = r->begin; i < r->end; i++)
    sim->type->output (sim->params + (size_t) i * sim->np, y + (size_t) i * sim->ns,
                       sim->ostage + (size_t) i * sim->no);
  sync (r);
}

/* The derivative of node i at stage state @y and stage fraction @c. */
static inline void
node_deriv (SwMassSim *sim, int i, const double *y, double c, double u, double *dxdt)
{
  const SwMassType *type = sim->type;
  int no = sim->no;
  const double *p = sim->params + (size_t) i * sim->np;
  const double *yi = y + (size_t) i * sim->ns;
  double coup[SW_MASS_MAX_OUT] = { 0.0, 0.0 };
  if (sim->g != 0.0)
    {
      double s[SW_MASS_MAX_OUT];
      for (int k = 0; k < no; k++)
        s[k] = (1.0 - c) * sim->s0[(size_t) i * no + k] + c * sim->s1[(size_t) i * no + k];
      for (int e = sim->i_ptr[i]; e < sim->i_ptr[i + 1]; e++)
        for (int k = 0; k < no; k++)
          s[k] += sim->i_w[e] * sim->ostage[(size_t) sim->i_src[e] * no + k];
      if (type->coupling == SW_MASS_COUPLING_DIFFUSIVE)
        {
          double own[SW_MASS_MAX_OUT];
          type->output (p, yi, own);
          for (int k = 0; k < no; k++)
            s[k] -= sim->rowsum[i] * own[k];
        }
      for (int k = 0; k < no; k++)
        coup[k] = sim->g * s[k];
    }
  type->rhs (p, yi, u, coup, dxdt);
}

/* The input of node i during the current step: the input parameter, the
 * held random part of the current hold interval, the extra input. */
static inline double
node_input (SwMassSim *sim, int i, long step)
{
  const SwMassType *type = sim->type;
  const double *p = sim->params + (size_t) i * sim->np;
  double u = p[type->input_param] + sim->extra[i];
  if (type->held != SW_MASS_HELD_NONE)
    {
      double amp = p[type->held_param];
      if (amp != 0.0)
        {
          /* The interval containing the start of the step (a relative
           * tolerance keeps t = m * hold in interval m). */
          long m = (long) floor (step * sim->dt / sim->hold + 1e-9);
          if (m != sim->held_index[i])
            {
              SwRand4 r = sw_philox (sim->seed, STREAM_HELD, (uint32_t) i, (uint64_t) m);
              if (type->held == SW_MASS_HELD_UNIFORM)
                sim->held[i] = amp * (2.0 * sw_u01_53 (r.v[0], r.v[1]) - 1.0);
              else
                sim->held[i] = amp * sw_normal (sw_u01 (r.v[0]), sw_u01 (r.v[1]));
              sim->held_index[i] = m;
            }
          u += sim->held[i];
        }
    }
  return u;
}

/* Standard normal deviates of node i at the current step, one per noisy
 * variable in state order; returns the noise amplitude sigma sqrt(dt). */
static inline double
node_noise (SwMassSim *sim, int i, long step, double *z)
{
  const SwMassType *type = sim->type;
  if (type->noise_param < 0)
    return 0.0;
  double sigma = sim->params[(size_t) i * sim->np + type->noise_param];
  if (sigma == 0.0)
    return 0.0;
  SwRand4 r = sw_philox (sim->seed, STREAM_NOISE, (uint32_t) i, (uint64_t) step);
  z[0] = sw_normal (sw_u01 (r.v[0]), sw_u01 (r.v[1]));
  z[1] = sw_normal (sw_u01 (r.v[2]), sw_u01 (r.v[3]));
  return sigma * sqrt (sim->dt);
}

static inline void
add_noise (const SwMassType *type, double amp, const double *z, double *xi)
{
  if (amp == 0.0)
    return;
  int q = 0;
  for (int k = 0; k < type->n_state; k++)
    if (type->noise_mask & (1u << k))
      xi[k] += amp * z[q++];
}

/* Delayed sums S1 for the range: the outputs one step ahead. */
static void
delayed_sums (const Range *r)
{
  SwMassSim *sim = r->sim;
  int no = sim->no;
  int base = (int) ((r->step + 1) % sim->hist_len);
  long wrap = (long) sim->hist_len * sim->n;
  long base_off = (long) base * sim->n;
  for (int i = r->begin; i < r->end; i++)
    {
      if (no == 1)
        {
          /* One output: a scalar sum the compiler keeps in a register.
           * hist is [slot][node]; d_off = lag * n - source, so the entry is
           * base * n - d_off, wrapped once. */
          double acc = 0.0;
          for (int e = sim->d_ptr[i]; e < sim->d_ptr[i + 1]; e++)
            {
              long q = base_off - sim->d_off[e];
              if (q < 0)
                q += wrap;
              acc += sim->d_w[e] * sim->hist[q];
            }
          sim->s1[i] = acc;
          continue;
        }
      double s[SW_MASS_MAX_OUT] = { 0.0, 0.0 };
      for (int e = sim->d_ptr[i]; e < sim->d_ptr[i + 1]; e++)
        {
          /* 0 < lag < hist_len: one conditional addition wraps the ring. */
          int slot = base - sim->d_lag[e];
          if (slot < 0)
            slot += sim->hist_len;
          const double *h = sim->hist + ((size_t) slot * sim->n + sim->d_src[e]) * no;
          for (int k = 0; k < no; k++)
            s[k] += sim->d_w[e] * h[k];
        }
      for (int k = 0; k < no; k++)
        sim->s1[(size_t) i * no + k] = s[k];
    }
}

static void
step_range (const Range *r, double *u_buf)
{
  SwMassSim *sim = r->sim;
  const SwMassType *type = sim->type;
  int ns = sim->ns;
  double dt = sim->dt;
  double *x = sim->x, *y = sim->y;

  delayed_sums (r);
  for (int i = r->begin; i < r->end; i++)
    u_buf[i - r->begin] = node_input (sim, i, r->step);

  switch (sim->method)
    {
    case SW_MASS_METHOD_RK4:
      {
        stage_outputs (r, x);
        for (int i = r->begin; i < r->end; i++)
          node_deriv (sim, i, x, 0.0, u_buf[i - r->begin], sim->k1 + (size_t) i * ns);
        sync_instant (r);
        for (size_t q = (size_t) r->begin * ns; q < (size_t) r->end * ns; q++)
          y[q] = x[q] + 0.5 * dt * sim->k1[q];
        stage_outputs (r, y);
        for (int i = r->begin; i < r->end; i++)
          node_deriv (sim, i, y, 0.5, u_buf[i - r->begin], sim->k2 + (size_t) i * ns);
        sync_instant (r);
        for (size_t q = (size_t) r->begin * ns; q < (size_t) r->end * ns; q++)
          y[q] = x[q] + 0.5 * dt * sim->k2[q];
        stage_outputs (r, y);
        for (int i = r->begin; i < r->end; i++)
          node_deriv (sim, i, y, 0.5, u_buf[i - r->begin], sim->k3 + (size_t) i * ns);
        sync_instant (r);
        for (size_t q = (size_t) r->begin * ns; q < (size_t) r->end * ns; q++)
          y[q] = x[q] + dt * sim->k3[q];
        stage_outputs (r, y);
        for (int i = r->begin; i < r->end; i++)
          node_deriv (sim, i, y, 1.0, u_buf[i - r->begin], sim->k4 + (size_t) i * ns);
        sync_instant (r);
        for (size_t q = (size_t) r->begin * ns; q < (size_t) r->end * ns; q++)
          x[q] += dt / 6.0 * (sim->k1[q] + 2.0 * sim->k2[q] + 2.0 * sim->k3[q] + sim->k4[q]);
        break;
      }
    case SW_MASS_METHOD_HEUN:
      {
        /* The same noise increment enters predictor and corrector. */
        stage_outputs (r, x);
        for (int i = r->begin; i < r->end; i++)
          {
            double z[2];
            double amp = node_noise (sim, i, r->step, z);
            double *k1 = sim->k1 + (size_t) i * ns, *yi = y + (size_t) i * ns;
            const double *xi = x + (size_t) i * ns;
            node_deriv (sim, i, x, 0.0, u_buf[i - r->begin], k1);
            for (int k = 0; k < ns; k++)
              yi[k] = xi[k] + dt * k1[k];
            add_noise (type, amp, z, yi);
            /* The noise term of the corrector is kept in k3. */
            double *k3 = sim->k3 + (size_t) i * ns;
            for (int k = 0; k < ns; k++)
              k3[k] = 0.0;
            add_noise (type, amp, z, k3);
          }
        sync_instant (r);
        stage_outputs (r, y);
        for (int i = r->begin; i < r->end; i++)
          node_deriv (sim, i, y, 1.0, u_buf[i - r->begin], sim->k2 + (size_t) i * ns);
        sync_instant (r);
        for (size_t q = (size_t) r->begin * ns; q < (size_t) r->end * ns; q++)
          x[q] += 0.5 * dt * (sim->k1[q] + sim->k2[q]) + sim->k3[q];
        break;
      }
    case SW_MASS_METHOD_EULER:
      {
        stage_outputs (r, x);
        for (int i = r->begin; i < r->end; i++)
          {
            double z[2];
            double amp = node_noise (sim, i, r->step, z);
            node_deriv (sim, i, x, 0.0, u_buf[i - r->begin], sim->k1 + (size_t) i * ns);
            double *k3 = sim->k3 + (size_t) i * ns;
            for (int k = 0; k < ns; k++)
              k3[k] = 0.0;
            add_noise (type, amp, z, k3);
          }
        sync_instant (r);
        for (size_t q = (size_t) r->begin * ns; q < (size_t) r->end * ns; q++)
          x[q] += dt * sim->k1[q] + sim->k3[q];
        break;
      }
    case SW_MASS_METHOD_EXACT:
    default:
      {
        /* Coupling held at its value at the start of the step. */
        stage_outputs (r, x);
        for (int i = r->begin; i < r->end; i++)
          {
            double z[2] = { 0.0, 0.0 };
            double amp = node_noise (sim, i, r->step, z);
            (void) amp;
            double d[SW_MASS_MAX_STATE];
            /* node_deriv gives rhs = -x/tau + u + c; recover u + c. */
            const double *p = sim->params + (size_t) i * sim->np;
            double *xi = x + (size_t) i * ns;
            node_deriv (sim, i, x, 0.0, u_buf[i - r->begin], d);
            double c[SW_MASS_MAX_OUT] = { 0.0, 0.0 };
            double base[SW_MASS_MAX_STATE];
            type->rhs (p, xi, u_buf[i - r->begin], c, base);
            c[0] = d[0] - base[0];
            double *out = sim->k1 + (size_t) i * ns;
            type->exact (p, xi, u_buf[i - r->begin], c, dt, z, out);
          }
        sync_instant (r);
        memcpy (x + (size_t) r->begin * ns, sim->k1 + (size_t) r->begin * ns,
                (size_t) (r->end - r->begin) * ns * sizeof (double));
        break;
      }
    }

  /* Clip, check, store outputs one step ahead. */
  double *slot = hist_slot (sim, r->step + 1);
  for (int i = r->begin; i < r->end; i++)
    {
      double *xi = x + (size_t) i * ns;
      if (type->clip_min != NULL)
        for (int k = 0; k < ns; k++)
          if (xi[k] < type->clip_min[k])
            xi[k] = type->clip_min[k];
      bool ok = true;
      for (int k = 0; k < ns; k++)
        ok &= isfinite (xi[k]) != 0;
      if (!ok)
        {
          int expected = -1;
          if (atomic_compare_exchange_strong (&sim->bad_node, &expected, i))
            atomic_store (&sim->bad_step, r->step + 1);
        }
      type->output (sim->params + (size_t) i * sim->np, xi, slot + (size_t) i * sim->no);
    }
  memcpy (sim->s0 + (size_t) r->begin * sim->no, sim->s1 + (size_t) r->begin * sim->no,
          (size_t) (r->end - r->begin) * sim->no * sizeof (double));
}

/* Runs the range for the requested steps, recording block means. */
static void
run_range (Range *r)
{
  SwMassSim *sim = r->sim;
  const SwMassType *type = sim->type;
  double *u_buf = malloc ((size_t) (r->end - r->begin + 1) * sizeof (double));
  if (u_buf == NULL)
    {
      int expected = -1;
      atomic_compare_exchange_strong (&sim->bad_node, &expected, -2);
    }
  long start = sim->step;
  long done = 0;
  for (long s = 0; s < sim->run_steps; s++)
    {
      r->step = start + s;
      if (u_buf != NULL && atomic_load (&sim->bad_node) == -1)
        step_range (r, u_buf);
      done = s + 1;
      if (sim->run_obs != NULL)
        {
          for (int i = r->begin; i < r->end; i++)
            sim->acc[i] += type->observe (sim->params + (size_t) i * sim->np,
                                          sim->x + (size_t) i * sim->ns);
          if ((s + 1) % sim->run_every == 0)
            {
              size_t row = (size_t) (s / sim->run_every);
              for (int i = r->begin; i < r->end; i++)
                {
                  sim->run_obs[row * sim->n + i] = sim->acc[i] / sim->run_every;
                  sim->acc[i] = 0.0;
                }
            }
        }
      /* Members meet every `block` steps (and at the end): each has then
       * stored the outputs that the others will read next. */
      if ((s + 1) % sim->block == 0 || s + 1 == sim->run_steps)
        {
          sync (r);
          if (atomic_load (&sim->bad_node) != -1)
            break;
        }
    }
  if (r->thread == 0)
    sim->run_done = done;
  free (u_buf);
}

static void
team_fn (void *data, int thread, int n_threads)
{
  SwMassSim *sim = data;
  Range r = { .sim = sim, .team = sim->team, .thread = thread };
  sw_team_slice (sim->n, thread, n_threads, &r.begin, &r.end);
  run_range (&r);
}

SwStatus
sw_mass_sim_run (SwMassSim *sim, long n_steps, int every, double *obs, SwError *err)
{
  if (n_steps < 0 || every < 1 || (obs != NULL && n_steps % every != 0))
    return sw_error_set (err, SW_ERR_INVALID,
                         "a run of %ld steps cannot be recorded in blocks of %d", n_steps, every);
  sim->run_steps = n_steps;
  sim->run_every = every;
  sim->run_obs = obs;
  for (int i = 0; i < sim->n; i++)
    sim->acc[i] = 0.0;
  if (sim->team != NULL)
    sw_team_run (sim->team, team_fn, sim);
  else
    {
      Range r = { .sim = sim, .team = NULL, .thread = 0, .begin = 0, .end = sim->n };
      run_range (&r);
    }
  sim->step += sim->run_done;
  int bad = atomic_load (&sim->bad_node);
  if (bad == -2)
    return sw_error_set (err, SW_ERR_NOMEM, "out of memory");
  if (bad >= 0)
    return sw_error_set (err, SW_ERR_BLOWUP,
                         "the state of node %d stopped being finite at t = %g s (try a smaller time step)",
                         bad, atomic_load (&sim->bad_step) * sim->dt);
  return SW_OK;
}
