/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The focal perturbation protocol (neural-masses spec §3): a pulse into one
 * node's input, paired runs with and without it on the same noise, the
 * response D_i(t) = x_i^pert - x_i^base of every node, its peak, latency and
 * area, z-scores against the baseline variability, and a summary by hop
 * distance from the source (1 hop vs >= 2 hops, and R21).
 *
 * Thread safety: the function runs two simulations of its own.
 */
#pragma once

#include <stdbool.h>

#include "sw-mass-sim.h"

typedef struct
{
  int source;            /* node index */
  double amplitude;      /* added to the input parameter; NAN: the default (see below) */
  double pulse_s;        /* pulse length (0: 10 ms) */
  double warmup_s;       /* discarded before the pulse (the pulse starts at t0 = warmup_s; 0: 2 s) */
  double window_s;       /* analysis window after t0 (0: 500 ms) */
  double z_reached;      /* threshold on z (0: 3) */
} SwMassPerturbProtocol;

typedef struct
{
  int hop;               /* -1: unreachable */
  double peak;           /* max |D_i| over the window (observable units) */
  double latency_s;      /* time of the peak after t0 */
  double area;           /* integral of |D_i| over the window (units x s) */
  double sd;             /* SD of node i's baseline observable over the window */
  double z;              /* peak / sd (INFINITY when sd = 0 and peak > 0) */
  bool reached;          /* z > threshold */
} SwMassNodeResponse;

typedef struct
{
  int hop;               /* the class: 1, 2, 3 ... (or -2 for ">= 2") */
  int n;
  double frac_reached;
  double median_z, median_latency_s, median_peak;
} SwMassHopSummary;

typedef struct
{
  int n_nodes;
  SwMassNodeResponse *nodes;
  double amplitude;          /* the amplitude used */
  double dt_s;               /* sample interval of the responses (the step) */
  int n_t;                   /* samples in the window */
  double *response;          /* n_t x n_nodes, D_i(t0 + (k + 1) dt) */
  int max_hop;
  SwMassHopSummary *by_hop;  /* hops 1 .. max_hop (index hop - 1) */
  SwMassHopSummary two_plus; /* hops >= 2 */
  double r21;                /* median peak (h = 2) / median peak (h = 1); NAN without both */
} SwMassPerturbResult;

/* Runs the protocol on the network @cfg (weights needed, any model).
 * Default amplitude: ten standard deviations of the input's random part
 * (held inputs: the SD of the held distribution); for models whose noise
 * enters the derivative (or without noise) 10 SD of the source's baseline
 * observable divided by the pulse length, i.e. a pulse that moves the
 * source by about ten of its standard deviations (an inference of ours),
 * or 1 / pulse length when the source does not fluctuate.  Errors as
 * sw_mass_sim_new() and sw_mass_sim_run(), SW_ERR_INVALID for a bad
 * protocol.  Free the result with sw_mass_perturb_result_clear(). */
SwStatus sw_mass_perturb (const SwMassConfig *cfg, const SwMassPerturbProtocol *protocol,
                          SwMassPerturbResult *out, SwError *err);
void sw_mass_perturb_result_clear (SwMassPerturbResult *res);
