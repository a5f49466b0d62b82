/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Internals of the cable engine shared by its source files: the morphology
 * and cell-definition structs and the function table of a mechanism.
 */
#pragma once

#include "sw-cable.h"

#define SW_CABLE_NAME_MAX 64

typedef struct
{
  char name[SW_CABLE_NAME_MAX];
  int parent;
  double parent_x;
  double length_um, diam_um;
  int nseg;
} SwCableSection;

struct SwCableMorph
{
  SwCableSection *sec;
  int n_sec, cap_sec;
};

/* One mechanism inserted in a cell definition: where, and its parameters
 * per node (node-major: p[node * n_params + k]; unused at nodes without the
 * mechanism). */
typedef struct
{
  const SwCableMechType *type;
  bool *in_section;   /* [n_sec] */
  double *p;          /* [n_nodes * n_params] */
} SwCableMechInst;

struct SwCableCell
{
  SwCableMorph *morph;
  double *ra, *cm, *v_init;   /* per section */
  SwCableMechInst *mech;
  int n_mech;
  bool gates_steady;
  double gate_value;
  int detect;

  /* Numbering (derived from the morphology). */
  int n_nodes;
  int *parent;       /* [n_nodes], -1 for node 0 */
  int *section;      /* [n_nodes], -1 at zero-area nodes */
  double *x;         /* [n_nodes] position in the section (0 or 1 at ends) */
  double *area;      /* [n_nodes] µm² */
  int *seg0;         /* [n_sec] node of the first segment */
  int *end_node;     /* [n_sec] zero-area node at x = 1, or -1 */
  int *attach;       /* [n_sec] node the section hangs from */
};

/* A row of one mechanism at one node of a group: @n cells side by side.
 * Parameter k of cell c is p[k * ps + c], state k is s[k * ss + c]. */
typedef struct
{
  int n;
  const double *p;
  size_t ps;
  double *s;
  size_t ss;
  const double *v;     /* [n] */
  double *i;           /* [n] accumulated current density, mA/cm² */
  double *g;           /* [n] accumulated slope, S/cm² */
  double *ica;         /* [n] calcium current density (written by Ca sources) */
  double *cai;         /* [n] calcium concentration, mM */
  double dt;
  double celsius;
  SwCableCatTau cat_tau;
} SwCableMechRow;

struct SwCableMechOps
{
  /* States at steady state for the row's v (cai given). */
  void (*init) (SwCableMechRow *r);
  /* Adds the current density and its slope at v. */
  void (*current) (SwCableMechRow *r);
  /* Advances the states over dt with v. */
  void (*advance) (SwCableMechRow *r);
  /* Steady state and τ of state @k at @v (τ NaN when instantaneous). */
  bool (*steady) (int k, double v, double celsius, double cai, SwCableCatTau cat_tau,
                  double *x_inf, double *tau);
  bool writes_ica;
  bool is_pool;        /* states are concentrations, not gates */
};

/* Numbering of a definition's morphology (sw-cable-morph.c). */
SwStatus sw_cable_cell_number (SwCableCell *cell, SwError *err);
/* Path distance (µm) from the root's x = 0 to the centre of @node. */
double sw_cable_cell_node_distance (const SwCableCell *cell, int node);
