/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parameters of the BRC working-memory network (dendrites-brc spec §7):
 * the conductance and keep probability of every synapse type, the cue
 * synapses of the experiment's condition (AMPA or NMDA, soma or dendrite
 * site), the channel densities of the E soma, the E dendrites and the I
 * cells, the trial protocol and the readout settings.
 *
 * Every number has a name ("ee_ampa_soma.g", "cue_e.p", "e_dend.cat", ...)
 * by which documents, the command line and the parameter search address it;
 * the search box of §7.4 is a list of such names with their ranges.
 * Units: conductances µS, densities S/cm², probabilities 0..1.
 */
#pragma once

#include <stdint.h>

#include "sw-brc-readout.h"
#include "sw-brc-search.h"
#include "sw-brc-stim.h"
#include "sw-brc-wiring.h"
#include "sw-status.h"

/* The receptor and site of the cue -> E synapses: the four experiments. */
typedef enum
{
  SW_BRC_COND_AMPA_SOMA,
  SW_BRC_COND_AMPA_DEND,
  SW_BRC_COND_NMDA_SOMA,
  SW_BRC_COND_NMDA_DEND,
  SW_BRC_N_CONDITIONS
} SwBrcCondition;

/* "ampa-soma", "ampa-dend", "nmda-soma", "nmda-dend". */
const char *sw_brc_condition_name (SwBrcCondition cond);
/* -1 when @name is none of them. */
int sw_brc_condition_from_name (const char *name);
SwBrcReceptor sw_brc_condition_receptor (SwBrcCondition cond);
SwBrcSite sw_brc_condition_site (SwBrcCondition cond);

typedef struct
{
  double g_us;   /* peak conductance of each synapse, µS */
  double p;      /* keep (or connection) probability */
} SwBrcSyn;

/* Densities of the searched channels, S/cm² (Na and K stay at their
 * defaults). */
typedef struct
{
  double leak, km, cal, cat;
} SwBrcDensities;

typedef struct
{
  SwBrcCondition condition;
  int all_intrinsic;        /* E -> E NMDA and E -> I NMDA on as well */
  SwBrcSyn syn[SW_BRC_N_TYPES];
  SwBrcSyn cue_e;           /* receptor and site from the condition */
  SwBrcSyn cue_i;           /* AMPA, 1e-3 µS, p 0.1 */
  double noise_g_us;        /* AMPA at the soma site, 1e-2 µS */
  double readout_g_us;      /* E soma -> rate cell, AMPA kinetics, 1e-4 µS */
  double readout_e_mv;      /* reversal of the readout synapse, +10 mV */
  SwBrcDensities e_soma, e_dend, i_cell;
  uint64_t seed;            /* wiring, cue preferences, noise, initial state */
  int n_repeats;            /* 5 */
  int n_e, n_i, n_cue;      /* 50, 25, 25 */
  SwBrcProtocol proto;
  /* Threads inside each trial (1); an evaluation on n threads runs
   * n / trial_threads trials at a time.  No effect on the results. */
  int trial_threads;
  SwBrcReadoutConfig readout;
} SwBrcParams;

/* The reference network with a starting point inside the search box:
 * P0 densities on the E cell, the I cell's training start (Km 1e-5,
 * CaL 1e-3, CaT 1e-3), every searched synapse type at g 0.1 µS and p 0.3,
 * the "all intrinsic" types off (p 0), the cue -> E synapses at 0.1 µS and
 * p 0.1. */
void sw_brc_params_default (SwBrcParams *params);

/* The address of the number called @name, NULL when there is none. */
double *sw_brc_param_slot (SwBrcParams *params, const char *name);

/* The unit of the number called @name, as the document layer spells it:
 * "uS", "S/cm^2", "mV" or "" (a probability); NULL when there is none. */
const char *sw_brc_param_unit (const char *name);

/* The name of addressable number @index (0, 1, ...); NULL past the last. */
const char *sw_brc_param_name (int index);

/* Checks ranges: probabilities in [0, 1], conductances and densities
 * >= 0 and finite, sizes, repeats 2..16, protocol and readout.  The message
 * names the parameter. */
SwStatus sw_brc_params_check (const SwBrcParams *params, SwError *err);

/* The search box of §7.4 for @params' variant: g and p of the searched
 * synapse types (10^[-2, 1] µS, p in [0, 0.6]), of the cue -> E synapses
 * (10^[-3, 1] µS, p in [0, 1]) and the densities (10^[-9, -2] S/cm²).
 * Returns the number of dimensions (at most SW_BRC_MAX_DIMS). */
enum { SW_BRC_MAX_DIMS = 40 };
int sw_brc_search_box (const SwBrcParams *params, SwBrcDim *dims);
