/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Neural-mass documents: .swk files of "kind": "mass" (see the section
 * "Neural-mass documents" of docs/swk-format.md).  A document holds one
 * node model with its parameters, or a network of such nodes on a
 * connectivity (CSV files relative to the document, or the built-in
 * synthetic network) with global coupling, normalisation, conduction speed,
 * the simulation settings and an optional focal perturbation.
 *
 * Numeric fields are numbers in the field's canonical unit or expressions
 * with units ("10 ms", "2*p0") evaluated with the document's variables
 * (sw-expr.h).  Errors are SW_DOCUMENT_ERROR values whose message names the
 * document (or the CSV file, with line and column) and the field.
 */
#pragma once

#include <glib.h>

#include "sw-connectome.h"
#include "sw-mass-model.h"
#include "sw-mass-network.h"
#include "sw-mass-sim.h"

G_BEGIN_DECLS

typedef struct
{
  char *location;          /* the file, or "preset:NAME" */
  char *name, *description, *explanation;

  const SwMassType *type;
  double params[SW_MASS_MAX_PARAMS];
  double initial[SW_MASS_MAX_STATE];
  double *initial_nodes;   /* n x n_state: initial[] for every node */

  /* Simulation. */
  double dt_s, duration_s, warmup_s, hold_s;
  double sample_rate_hz;   /* rate of recorded series and spectra (0: native) */
  guint64 seed;
  SwMassMethod method;
  int threads;

  /* Network (net == NULL: a single node). */
  SwConnectome *net;
  SwMassNorm norm;
  double g;                /* global coupling */
  double speed_m_s;
  gboolean delays;         /* delays from lengths and speed */
  double *weights;         /* normalised, n x n */
  int *delay_steps;        /* n x n, or NULL without delays */

  /* Perturbation. */
  gboolean has_perturbation;
  int pert_source;         /* node index, -1 when none */
  double pert_amplitude;   /* NAN: the protocol's default */
  double pert_pulse_s, pert_warmup_s, pert_window_s;
} SwMassDoc;

/* Loads @location (a file or "preset:NAME") applying @sets (NULL-terminated
 * "NAME=VALUE" strings, may be NULL): NAME is a variable, a node parameter,
 * or one of G, speed, dt, duration, warmup, seed, sample_rate, source,
 * amplitude; VALUE an expression (in the unit of what it sets when it is a
 * bare number). */
SwMassDoc *sw_mass_doc_load (const char *location, char **sets, GError **error);

/* The same from JSON text; relative paths are resolved against @dir (NULL:
 * the current directory). */
SwMassDoc *sw_mass_doc_load_data (const char *data, gssize length, const char *location,
                                  const char *dir, char **sets, GError **error);

void sw_mass_doc_free (SwMassDoc *doc);

/* Number of nodes (1 for a single node). */
int sw_mass_doc_n_nodes (const SwMassDoc *doc);

/* The name of node @i ("node" for a single node). */
const char *sw_mass_doc_node_name (const SwMassDoc *doc, int i);

/* Fills a simulation configuration that points into @doc. */
void sw_mass_doc_config (const SwMassDoc *doc, SwMassConfig *cfg);

/* Rebuilds weights and delays after G, speed or dt changed (the CLI's
 * options); FALSE with an error naming the pair of regions when a delay
 * is too long. */
gboolean sw_mass_doc_update_network (SwMassDoc *doc, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SwMassDoc, sw_mass_doc_free)

G_END_DECLS
