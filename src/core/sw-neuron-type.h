/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Neuron model type tables.  A point-neuron model is a const table: its
 * metadata (parameters, state variables, receptor channels) and three
 * functions (derive constants from parameters, initialise nothing else,
 * update a range of neurons by one step).  Adding a model means adding one
 * table and listing it in sw-neuron-type.c; no caller changes.
 *
 * Four kinds of data are kept apart: parameters (user-set, per population),
 * state (per neuron, structure of arrays), input buffers (per receptor, one
 * ring slot per step, owned by the network) and derived constants
 * (recomputed by derive() whenever a parameter changes).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "sw-param.h"
#include "sw-status.h"

#define SW_MAX_STATE 8
#define SW_MAX_RECEPTORS 4

/* What one call of update() sees: a contiguous range [begin, end) of one
 * population, at one step.  The input slots hold the sum of the weights that
 * arrive in this step, per receptor, indexed by neuron; update() reads them
 * and must not clear them (the network does).  Spiking neurons are appended
 * to spikes[] in increasing index order. */
typedef struct
{
  const double *params;           /* the type's parameters, canonical units */
  const void *derived;            /* constants from derive() */
  double *const *state;           /* state[k][i]: variable k of neuron i */
  int32_t *refractory;            /* remaining frozen steps, per neuron */
  const double *const *input;     /* input[r][i], receptor r */
  const double *current;          /* injected current per neuron, or NULL */
  int begin, end;
  double dt_ms;
  int32_t *spikes;                /* out: indices of neurons that spiked */
  int n_spikes;                   /* out: how many were appended */
  int first_bad;                  /* out: first neuron with a non-finite state, or -1 */
} SwNeuronUpdate;

typedef struct SwNeuronType SwNeuronType;

struct SwNeuronType
{
  const char *name;               /* identifier in documents: "adex_cond" */
  const char *label;              /* human name: "AdEx, conductance synapses" */
  const char *description;        /* a sentence for students */

  const SwParamInfo *params;
  int n_params;

  /* State variables; default_value is the default initial value. */
  const SwParamInfo *state;
  int n_state;
  int v_index;                    /* which state variable is the membrane potential */

  /* Receptor channels that projections target ("exc", "inh", or "v" for a
   * delta synapse on the membrane), with the unit of their weights. */
  const char *const *receptors;
  const char *const *receptor_units;
  int n_receptors;

  const char *current_unit;       /* unit of injected current: "pA" or "mV" */

  size_t derived_size;
  /* Validates @params (beyond the per-parameter ranges, e.g. v_reset < v_th)
   * and fills @derived for time step @dt_ms. */
  SwStatus (*derive) (const double *params, double dt_ms, void *derived, SwError *err);
  void (*update) (SwNeuronUpdate *u);
};

/* The built-in models. */
extern const SwNeuronType sw_lif_delta_type;
extern const SwNeuronType sw_lif_cond_type;
extern const SwNeuronType sw_lif_curr_type;
extern const SwNeuronType sw_adex_cond_type;

/* Looks a model up by name; NULL when unknown. */
const SwNeuronType *sw_neuron_type_lookup (const char *name);

/* The NULL-terminated list of built-in models. */
const SwNeuronType *const *sw_neuron_type_list (void);

/* Index of a receptor by name, or -1. */
int sw_neuron_type_receptor (const SwNeuronType *type, const char *name);
