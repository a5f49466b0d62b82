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

/* A rate table of one mechanism: x∞ and exp(-dt/τ) of its gates (states
 * 0 .. n_tab - 1) on a fine voltage grid, as the coefficients of the cubic
 * through the four nearest grid values on each interval; or, for hh/hh2
 * ("coarse"), x∞ and τ on NEURON's 1-mV grid over [-100, 100] mV, read
 * with linear interpolation. */
typedef struct
{
  const SwCableMechType *type;
  double dep;        /* the value of the rate parameter it was built for */
  bool coarse;
  double v0, inv_dv;
  int n, cols;       /* points; columns (2 per gate) */
  int stride;        /* doubles per point: cols (coarse) or 4 cols (fine) */
  double *d;         /* coarse: d[i * cols + 2k] = x∞, d[i * cols + 2k + 1] = τ;
                      * fine: d[i * stride + 8k .. + 7], the cubics of
                      * gate k's two columns on [v_i, v_i+1] in the
                      * fraction f, interleaved (sw_cable_table_cubic()) */
} SwCableTable;

/* Every fine table has the same grid: 0.1 mV from -200 mV, 3501 points. */
#define SW_CABLE_FINE_V0 (-200.0)
#define SW_CABLE_FINE_DV 0.1
#define SW_CABLE_FINE_N 3501

/* The interval of @v on the fine grid (clamped so that its cubic exists)
 * and the fraction along it. */
static inline int
sw_cable_fine_pos (double v, double *frac)
{
  double x = (v - SW_CABLE_FINE_V0) * (1.0 / SW_CABLE_FINE_DV);
  if (!(x > 1))
    x = 1;
  if (x > SW_CABLE_FINE_N - 2.000001)
    x = SW_CABLE_FINE_N - 2.000001;
  int i = (int) x;
  *frac = x - i;
  return i;
}

/* The interval of @v in the fine table @t and the fraction along it. */
static inline const double *
sw_cable_table_at (const SwCableTable *t, double v, double *frac)
{
  return t->d + (size_t) sw_cable_fine_pos (v, frac) * t->stride;
}

/* Column @col at the point of sw_cable_table_at(): the four-point Lagrange
 * cubic of the interval (or its chord, where the rate has a kink).  A gate's
 * two columns (x∞, then exp(-dt/τ)) are stored pairwise interleaved, power
 * by power: a[8k + 2j] and a[8k + 2j + 1] are the coefficients of f^j of
 * gate k's x∞ and decay, so that both can be evaluated side by side. */
static inline double
sw_cable_table_cubic (const double *a, int col, double f)
{
  const double *c = a + 8 * (col / 2) + col % 2;
  return c[0] + f * (c[2] + f * (c[4] + f * c[6]));
}

/* The row at or below @v on a coarse (1-mV, linear) table and the
 * fraction, clamped to the grid. */
static inline const double *
sw_cable_table_at_linear (const SwCableTable *t, double v, double *frac)
{
  double x = (v - t->v0) * t->inv_dv;
  if (!(x > 0))
    x = 0;
  if (x > t->n - 1.000001)
    x = t->n - 1.000001;
  int i = (int) x;
  *frac = x - i;
  return t->d + (size_t) i * t->cols;
}

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
  const SwCableTable *tab;   /* rate table, or NULL: evaluate directly */
  /* [n] sw_cable_fine_pos() of v, when the caller has it, or NULL. */
  const int *fine_i;
  const double *fine_f;
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
  /* Rate tables (optional): the gates that depend on V alone are states
   * 0 .. n_tab - 1; gates() gives their x∞ and τ at @v (τ 0 for an
   * instantaneous gate) for the value @dep of parameter dep_param (-1:
   * the rates depend on no parameter).  A table is used only where that
   * parameter has one value in the whole group. */
  int n_tab;
  int dep_param;
  void (*gates) (double v, double dep, double celsius, SwCableCatTau cat_tau, double *inf,
                 double *tau);
  bool coarse;         /* hh, hh2: NEURON's 1-mV table of x∞ and τ (usetable) */
  bool uses_cai;       /* reads or writes the calcium concentration */
};

/* Builds the table of @type for @dep, time step @dt (sw-cable-mech.c). */
SwCableTable *sw_cable_table_new (const SwCableMechType *type, double dep, double dt,
                                  double celsius, SwCableCatTau cat_tau);
void sw_cable_table_free (SwCableTable *t);

/* Numbering of a definition's morphology (sw-cable-morph.c). */
SwStatus sw_cable_cell_number (SwCableCell *cell, SwError *err);
/* Path distance (µm) from the root's x = 0 to the centre of @node. */
double sw_cable_cell_node_distance (const SwCableCell *cell, int node);
