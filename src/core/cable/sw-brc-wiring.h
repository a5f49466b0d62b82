/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Wiring of the biophysical reservoir (BRC) working-memory network
 * (dendrites-brc spec §7.2, §7.3): the ring lattice of the recurrent
 * pathways, the random cue connections and the one-to-one noise inputs.
 *
 * The lattice: excitatory cell i sits at ring position i, inhibitory cell j
 * at position 2j, and two positions are linked when they are 1 or 2 steps
 * apart.  A directed candidate synapse exists for every linked pair of the
 * pathway's populations; each synapse type keeps each of its candidates
 * independently with its own probability.
 *
 * Every random choice is a pure function of (seed, stream, index) through
 * the counter-based generator of sw-rng.h, so a network is the same whatever
 * thread builds it.  The functions keep no state and are safe from any
 * thread.
 */
#pragma once

#include <stdint.h>

#include "sw-status.h"

/* Population sizes of the reference network (§7.1). */
enum
{
  SW_BRC_N_E = 50,
  SW_BRC_N_I = 25,
  SW_BRC_N_CUE = 25,
};

/* Random streams of the BRC network, apart from those of sw-rng.h. */
enum
{
  SW_BRC_STREAM_KEEP = 0xB2C000,    /* + synapse type: keep draws */
  SW_BRC_STREAM_RANDOM = 0xB2C100,  /* + random-input id: cue connections */
  SW_BRC_STREAM_CUE_PREF = 0xB2C200,
  SW_BRC_STREAM_INIT_V = 0xB2C400,
  SW_BRC_STREAM_SEARCH = 0xB2C500,
};

typedef enum
{
  SW_BRC_PATH_EE,
  SW_BRC_PATH_EI,
  SW_BRC_PATH_IE,
  SW_BRC_PATH_II,
  SW_BRC_N_PATHS
} SwBrcPathway;

typedef enum
{
  SW_BRC_AMPA,
  SW_BRC_NMDA,
  SW_BRC_GABAA,
} SwBrcReceptor;

typedef enum
{
  SW_BRC_SITE_SOMA,
  SW_BRC_SITE_DEND,
} SwBrcSite;

/* The recurrent synapse types, each with one conductance and one keep
 * probability (§7.2). */
typedef enum
{
  SW_BRC_EE_AMPA_SOMA,
  SW_BRC_EE_NMDA_SOMA,
  SW_BRC_EE_AMPA_DEND,
  SW_BRC_EE_NMDA_DEND,
  SW_BRC_EI_AMPA,
  SW_BRC_EI_NMDA,        /* on only in the "all intrinsic" variant */
  SW_BRC_IE_GABAA_SOMA,
  SW_BRC_IE_GABAA_DEND,
  SW_BRC_II_GABAA,
  SW_BRC_N_TYPES
} SwBrcSynType;

typedef struct
{
  const char *name;        /* "ee_ampa_soma", ... (document and CLI names) */
  SwBrcPathway pathway;
  SwBrcReceptor receptor;
  SwBrcSite site;          /* on the postsynaptic cell; I cells have one */
} SwBrcSynTypeInfo;

const SwBrcSynTypeInfo *sw_brc_syn_type_info (SwBrcSynType type);

/* A list of directed connections by cell index within the presynaptic and
 * the postsynaptic population.  Owned by the caller: sw_brc_conns_clear(). */
typedef struct
{
  int n;
  int *pre;
  int *post;
} SwBrcConns;

void sw_brc_conns_clear (SwBrcConns *conns);

/* Whether ring positions @a and @b are linked (1 or 2 steps apart on the
 * ring of 600 positions). */
int sw_brc_ring_linked (int a, int b);

/* The candidate synapses of @path for @n_e excitatory and @n_i inhibitory
 * cells, in the order pre-major, post-minor.  Returns their number; @pre and
 * @post (may be NULL to count only) receive at most @cap pairs. */
int sw_brc_candidates (SwBrcPathway path, int n_e, int n_i, int *pre, int *post, int cap);

/* The synapses of @type that survive: each candidate kept independently
 * with probability @p (0..1).  Draws are keyed by (@seed, type, candidate
 * index), so a type's synapses do not depend on the other types'. */
SwStatus sw_brc_wire_type (uint64_t seed, SwBrcSynType type, int n_e, int n_i, double p,
                           SwBrcConns *out, SwError *err);

/* Random convergent input (§7.3): N ~ Binomial(@n_pre * @n_post, @p)
 * synapses, each with a presynaptic cell uniform in 0..@n_pre-1 and a
 * postsynaptic cell @post_stride * k with k uniform in 0..@n_post-1, drawn
 * with replacement (a pair may repeat).  @input_id keeps the inputs' streams
 * apart (0: cue -> E, 1: cue -> I). */
SwStatus sw_brc_wire_random (uint64_t seed, int input_id, int n_pre, int n_post, int post_stride,
                             double p, SwBrcConns *out, SwError *err);
