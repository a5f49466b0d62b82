/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Simulation of neural-mass nodes, alone or coupled on a network with
 * conduction delays (neural-masses spec §0, §2).
 *
 * Integrators: classical Runge-Kutta (RK4) for deterministic runs, the
 * stochastic Heun scheme for runs with additive white noise (Ito and
 * Stratonovich agree for additive noise), the exact update where a model
 * has one (OU), and forward Euler(-Maruyama), which is kept for comparisons
 * only: it biases oscillators (spec §6 item 2).  Held random inputs (the
 * Jansen-Rit pulse density, the MPR current) are constant over each hold
 * interval and therefore fine with RK4.
 *
 * Randomness: node i's white noise at step n is a pure function of
 * (seed, i, n), its held input in hold interval m of (seed, i, m)
 * (Philox, sw-rng.h).  So two runs that differ only by an extra input (a
 * pulse) see exactly the same noise, and results do not depend on the
 * number of threads or on how the run is cut into chunks.
 *
 * Delays: a connection from j onto i carries node j's outputs of d_ij whole
 * steps earlier.  Every node keeps a ring of its past outputs; before t = 0
 * the history is the initial state.  Inside a step the delayed outputs are
 * interpolated linearly between the stored steps (stage times of RK4 and
 * Heun), and connections with d_ij = 0 read the other nodes' stage values,
 * so a network whose delays are all zero is integrated as the plain system
 * of ordinary differential equations.
 *
 * Threads: a simulation owns an optional team (sw-team.h); the stepping is
 * split over node ranges and gives bit-identical results for any number of
 * threads.  A simulation is used by one thread at a time.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "sw-mass-model.h"
#include "sw-status.h"

typedef enum
{
  SW_MASS_METHOD_AUTO,    /* Heun when some additive noise is on, else RK4 */
  SW_MASS_METHOD_RK4,
  SW_MASS_METHOD_HEUN,
  SW_MASS_METHOD_EXACT,   /* models with an exact update only (OU) */
  SW_MASS_METHOD_EULER,   /* comparisons only */
  SW_MASS_N_METHODS
} SwMassMethod;

/* The longest delay the history holds (s); a longer one is refused. */
#define SW_MASS_MAX_DELAY_S 1.0

typedef struct
{
  const SwMassType *type;
  int n_nodes;                 /* >= 1 */
  const double *params;        /* type->n_params values, shared by all nodes */
  const double *node_params;   /* NULL, or n_nodes x n_params (row per node) overriding params */
  const double *weights;       /* NULL (no coupling) or n_nodes^2, W[i * n + j] from j onto i;
                                * the diagonal must be 0 and entries >= 0 and finite */
  const int *delay_steps;      /* NULL (no delays) or n_nodes^2 whole steps, >= 0 */
  double g;                    /* global coupling G */
  double dt_s;                 /* time step (s), > 0 */
  double hold_s;               /* hold interval of held random inputs (s), >= dt_s;
                                * 0: 1 ms, or dt_s when that is longer */
  uint64_t seed;
  SwMassMethod method;
  const double *initial;       /* NULL (the defaults) or n_nodes x n_state */
  int threads;                 /* 1 (or 0): the caller's thread only */
} SwMassConfig;

typedef struct SwMassSim SwMassSim;

/* Checks @cfg and builds a simulation at t = 0.  SW_ERR_INVALID with a
 * sentence naming the problem: a parameter out of its range (and which
 * node), a non-zero diagonal or a negative or non-finite weight, a delay
 * longer than SW_MASS_MAX_DELAY_S, RK4 or the exact update asked for with
 * white noise on, the exact update for a model without one. */
SwStatus sw_mass_sim_new (const SwMassConfig *cfg, SwMassSim **out, SwError *err);
void sw_mass_sim_free (SwMassSim *sim);

/* The method in use (AUTO resolved). */
SwMassMethod sw_mass_sim_method (const SwMassSim *sim);
const char *sw_mass_method_name (SwMassMethod method);   /* "rk4", "heun" ... */

/* Extra input (in the unit of the input parameter) added to node @node's
 * input from the next step on; a pulse is set, run, and reset to 0. */
void sw_mass_sim_set_extra_input (SwMassSim *sim, int node, double value);

/* Advances @n_steps steps.  When @obs is not NULL, every @every steps
 * (>= 1; @n_steps must be a multiple of it) the mean observable of each
 * node over those steps is stored: obs[row * n_nodes + i], n_steps / every
 * rows (block averaging decimates a signal to dt * every).  SW_ERR_BLOWUP
 * when a state stops being finite (the message names the node and the
 * time); the state is then undefined. */
SwStatus sw_mass_sim_run (SwMassSim *sim, long n_steps, int every, double *obs, SwError *err);

/* Current state, n_nodes x n_state (owned by @sim), and time. */
const double *sw_mass_sim_state (const SwMassSim *sim);
double sw_mass_sim_time_s (const SwMassSim *sim);
long sw_mass_sim_steps (const SwMassSim *sim);
int sw_mass_sim_n_nodes (const SwMassSim *sim);
