/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A network of point-neuron populations: its description (SwNetSpec, plain
 * data that the document layer fills) and the running network built from it
 * (SwNetwork, opaque).  The network advances in chunks of whole steps; between
 * chunks its owner may change non-structural parameters, add stimuli or
 * reset.  Results leave through the recorder (sw-recorder.h).
 *
 * Conventions (see docs/swk-format.md for the user-facing version):
 * - step n advances t = n dt to (n + 1) dt; a spike of step n is stamped n dt;
 * - a spike of step n with a delay of d steps (d >= 1; a delay of 0 counts as
 *   one step) arrives in step n + d and is applied by the target model in
 *   that step: conductance and current models add it before integrating, the
 *   delta model after the membrane decay and before the threshold test;
 * - every random number comes from a counter-based generator keyed by
 *   (seed, stream, index, step), so results for one seed do not depend on the
 *   number of threads or on the chunk length.
 *
 * Thread safety: a network is used by one thread at a time; stepping uses a
 * team of `threads` threads of its own (sw-team.h).
 */
#pragma once

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sw-neuron-type.h"
#include "sw-status.h"
#include "sw-waveform.h"

#define SW_NAME_MAX 64

typedef enum
{
  SW_DIST_CONSTANT,   /* a */
  SW_DIST_UNIFORM,    /* uniform in [a, b) */
  SW_DIST_NORMAL,     /* mean a, standard deviation b */
  SW_DIST_NORMAL_CLIPPED, /* normal(a, b), values of the other sign than a set to 0 */
  SW_N_DISTS
} SwDistKind;

typedef struct
{
  SwDistKind kind;
  double a, b;
} SwDist;

typedef enum
{
  SW_POP_NEURONS,      /* model neurons of a SwNeuronType */
  SW_POP_POISSON,      /* independent Poisson sources sharing a rate profile */
  SW_POP_SPIKE_TIMES,  /* sources that fire at given times */
} SwPopKind;

typedef struct
{
  char name[SW_NAME_MAX];
  SwPopKind kind;
  int n;
  bool inhibitory;                     /* for colours and default receptors */

  /* SW_POP_NEURONS */
  const SwNeuronType *type;
  double params[32];                   /* type->n_params values, canonical units */
  SwDist init[SW_MAX_STATE];           /* initial value of each state variable */

  /* SW_POP_POISSON: rate of each source (Hz), the sum of the components */
  SwWaveform rate[SW_MAX_COMPONENTS];
  int n_rate;

  /* SW_POP_SPIKE_TIMES: n_times pairs (neuron index, time in ms); the
   * arrays are owned by the spec (sw_net_spec_free frees them). */
  int32_t *times_index;
  double *times_ms;
  int n_times;
} SwPopSpec;

typedef enum
{
  SW_CONN_ALL_TO_ALL,
  SW_CONN_ONE_TO_ONE,
  SW_CONN_FIXED_PROBABILITY,  /* each ordered pair independently with p */
  SW_CONN_FIXED_INDEGREE,     /* each target gets exactly k sources */
  SW_CONN_FIXED_OUTDEGREE,    /* each source reaches exactly k targets */
  SW_N_CONNS
} SwConnRule;

typedef struct
{
  char name[SW_NAME_MAX];
  int pre, post;               /* population indices */
  int receptor;                /* receptor index of the post type */
  SwConnRule rule;
  double p;                    /* FIXED_PROBABILITY */
  int k;                       /* FIXED_INDEGREE / FIXED_OUTDEGREE */
  bool autapses;               /* allow i -> i when pre == post */
  bool multapses;              /* allow repeated pairs (FIXED_*DEGREE) */
  SwDist weight;               /* receptor unit (nS, pA, mV) */
  SwDist delay_ms;             /* rounded to steps, at least one step */
} SwProjSpec;

typedef enum
{
  SW_STIM_POISSON,   /* independent Poisson trains into every target neuron */
  SW_STIM_CURRENT,   /* an injected current following the waveform */
} SwStimKind;

typedef struct
{
  char name[SW_NAME_MAX];
  SwStimKind kind;
  int target;                  /* population index (neurons) */
  int first, count;            /* target neurons [first, first + count); count -1 = all */
  /* SW_STIM_POISSON: n_sources trains of the profile's rate per target,
   * drawn as one train of rate n_sources * rate; each event adds weight to
   * the receptor. */
  int n_sources;
  int receptor;
  double weight;
  SwWaveform profile[SW_MAX_COMPONENTS];  /* rate (Hz per source) or current */
  int n_profile;
} SwStimSpec;

typedef struct
{
  SwPopSpec *pops;
  int n_pops;
  SwProjSpec *projs;
  int n_projs;
  SwStimSpec *stims;
  int n_stims;

  double dt_ms;
  uint64_t seed;
  int threads;                  /* 0 = automatic (see sw_network_set_threads) */
  double max_rate_hz;           /* runaway threshold on a population's mean rate; 0 = default */
} SwNetSpec;

/* Spec helpers: allocation with defaults and release of the owned arrays. */
SwNetSpec *sw_net_spec_new (void);
void sw_net_spec_free (SwNetSpec *spec);
SwNetSpec *sw_net_spec_copy (const SwNetSpec *spec);
SwPopSpec *sw_net_spec_add_pop (SwNetSpec *spec, const char *name, SwPopKind kind, int n);
SwProjSpec *sw_net_spec_add_proj (SwNetSpec *spec, const char *name, int pre, int post);
SwStimSpec *sw_net_spec_add_stim (SwNetSpec *spec, const char *name, SwStimKind kind, int target);
/* Fills @pop's params and init with the type's defaults. */
void sw_pop_spec_set_type (SwPopSpec *pop, const SwNeuronType *type);
int sw_net_spec_find_pop (const SwNetSpec *spec, const char *name);

/* Checks everything the build would check (ranges, indices, the model's own
 * constraints), without allocating the network. */
SwStatus sw_net_spec_validate (const SwNetSpec *spec, SwError *err);

/* Memory the built network would take, in bytes (expected values for random
 * connectivity, recorder buffers excluded). */
size_t sw_net_spec_estimate_bytes (const SwNetSpec *spec);

/* 80 % of the machine's physical memory. */
size_t sw_default_memory_limit (void);

typedef struct SwNetwork SwNetwork;
typedef struct SwRecorder SwRecorder;

/* Builds the network.  Refuses with SW_ERR_MEMORY_LIMIT, naming the estimate
 * and the limit, when the estimate exceeds @memory_limit (0 = the default).
 * The spec is copied. */
SwStatus sw_network_new (const SwNetSpec *spec, size_t memory_limit,
                         SwNetwork **out, SwError *err);
void sw_network_free (SwNetwork *net);

const SwNetSpec *sw_network_spec (const SwNetwork *net);
uint64_t sw_network_step_index (const SwNetwork *net);
double sw_network_time_ms (const SwNetwork *net);
size_t sw_network_n_synapses (const SwNetwork *net, int proj);
/* Number of threads stepping the network (0: automatic, one per processor
 * but at most one per 5000 neurons). */
SwStatus sw_network_set_threads (SwNetwork *net, int threads);
int sw_network_threads (const SwNetwork *net);

/* The recorder owned by the network (never NULL). */
SwRecorder *sw_network_recorder (SwNetwork *net);

/* Advances @n_steps steps.  Stops early on a blow-up (SW_ERR_BLOWUP, with the
 * population and the time in @err) or when *@cancel becomes true between
 * steps (SW_ERR_CANCELLED); the network stays usable at the step reached.
 * @cancel may be set from any thread or a signal handler. */
SwStatus sw_network_run (SwNetwork *net, uint64_t n_steps,
                         const atomic_int *cancel, SwError *err);

/* Commands between chunks. */

/* Sets a parameter of a population of neurons (by name, canonical unit).
 * Transactional: the new value is validated with the model's derive(); a
 * rejected value leaves the network untouched.  SW_ERR_STRUCTURAL for
 * parameters flagged structural. */
SwStatus sw_network_set_param (SwNetwork *net, int pop, const char *name,
                               double value, SwError *err);

/* Sets a state variable of one neuron (@neuron >= 0) or of all (-1). */
SwStatus sw_network_set_state (SwNetwork *net, int pop, const char *name,
                               int neuron, double value, SwError *err);

/* Replaces the rate profile of a Poisson population, or the profile of a
 * stimulus (rate or current); times are absolute ms. */
SwStatus sw_network_set_pop_rate (SwNetwork *net, int pop, const SwWaveform *w,
                                  int n, SwError *err);
SwStatus sw_network_set_stim_profile (SwNetwork *net, int stim, const SwWaveform *w,
                                      int n, SwError *err);
/* Sets a stimulus' weight (Poisson) in the receptor's unit. */
SwStatus sw_network_set_stim_weight (SwNetwork *net, int stim, double weight, SwError *err);
/* Scales every synapse of a projection to a new homogeneous weight
 * (constant distribution), or by a factor for distributed weights. */
SwStatus sw_network_set_proj_weight (SwNetwork *net, int proj, double weight, SwError *err);

/* Brings the running network to @spec when the difference needs no rebuild
 * (parameters, homogeneous or rescaled weights, rates and stimulus profiles,
 * threads).  Otherwise returns SW_ERR_STRUCTURAL with the first structural
 * difference in @err and changes nothing; the caller then rebuilds. */
SwStatus sw_network_apply_spec (SwNetwork *net, const SwNetSpec *spec, SwError *err);

/* Adds a stimulus to the running network (structure is unchanged); returns
 * its index in @out_index. */
SwStatus sw_network_add_stim (SwNetwork *net, const SwStimSpec *stim, int *out_index,
                              SwError *err);

/* Back to t = 0 with the initial state drawn again (same seed: same run);
 * connectivity is kept.  Clears the recorder. */
void sw_network_reset (SwNetwork *net);

/* Read access to the state of a population (length n), or NULL. */
const double *sw_network_state (const SwNetwork *net, int pop, const char *name);

/* Total spikes emitted by a population since the last reset. */
uint64_t sw_network_spike_count (const SwNetwork *net, int pop);
