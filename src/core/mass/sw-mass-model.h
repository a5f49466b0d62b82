/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Neural-mass node models as type tables (neural-masses spec §1, §2).  A
 * node model is a const table: parameter and state metadata (sw-param.h),
 * the right-hand side, the observable, what a node sends to its neighbours
 * and how the network's coupling enters, and the noise it takes.  Adding a
 * model means adding one table and listing it in sw-mass-models.c.
 *
 * Time: every model's right-hand side is a derivative per second (the
 * FitzHugh-Nagumo model, dimensionless by nature, carries a time scale T0
 * that maps one of its time units onto seconds).  Parameters are in the
 * canonical units their SwParamInfo names ("s", "1/s", "mV", "Hz" or "").
 *
 * Inputs: each model has one input entry point, a parameter (OU and
 * Stuart-Landau: u added to x'; Jansen-Rit: the pulse density p;
 * Montbrio-Pazo-Roxin and FitzHugh-Nagumo: the current I; Wilson-Cowan: the
 * drive P).  The simulator passes the total input u = that parameter + a
 * held random part + an extra input (a pulse) to rhs(), which uses u in place
 * of the parameter.
 *
 * Coupling: a node sends n_out outputs (sw_mass_type.output()); node i
 * receives c_k = G sum_j W_ij out_k,j (t - d_ij) (additive models) or
 * c_k = G sum_j W_ij (out_k,j (t - d_ij) - out_k,i (t)) (diffusive models),
 * and rhs() adds c at the model's coupling entry point.
 *
 * Thread safety: the tables are constant; every function is pure.
 */
#pragma once

#include <stdbool.h>

#include "sw-param.h"

#define SW_MASS_MAX_STATE 6
#define SW_MASS_MAX_PARAMS 24
#define SW_MASS_MAX_OUT 2

typedef enum
{
  SW_MASS_COUPLING_ADDITIVE,   /* c = G sum W_ij out_j (t - d_ij) */
  SW_MASS_COUPLING_DIFFUSIVE,  /* c = G sum W_ij (out_j (t - d_ij) - out_i (t)) */
} SwMassCoupling;

/* Random input held over intervals (the simulator's hold time, 1 ms by
 * default) and added to the input u. */
typedef enum
{
  SW_MASS_HELD_NONE,
  SW_MASS_HELD_UNIFORM,   /* U(-h, h), h = params[held_param] (half-width) */
  SW_MASS_HELD_NORMAL,    /* N(0, s^2), s = params[held_param] */
} SwMassHeld;

typedef struct SwMassType SwMassType;

struct SwMassType
{
  const char *name;               /* identifier in documents: "jansen_rit" */
  const char *label;              /* "Jansen–Rit cortical column" */
  const char *description;        /* a sentence for students */

  const SwParamInfo *params;
  int n_params;
  /* State variables; default_value is the default initial value, unit the
   * variable's unit. */
  const SwParamInfo *state;
  int n_state;

  const char *observable;         /* "x", "y1 - y2", "r" ... */
  const char *observable_unit;    /* "", "mV", "Hz" */

  int input_param;                /* index of the input entry point's parameter */

  SwMassCoupling coupling;
  int n_out;                      /* outputs sent to neighbours (1 or 2) */

  /* Additive white noise: sigma = params[noise_param] (per sqrt(s)) on the
   * state variables whose bit is set in noise_mask; -1 / 0 without. */
  int noise_param;
  unsigned noise_mask;

  SwMassHeld held;
  int held_param;                 /* -1 when held == NONE */

  /* Lower bounds applied after every step (MPR: r >= 0); NULL: none.
   * clip_min[k] = -INFINITY leaves variable k free. */
  const double *clip_min;

  /* dx/dt (per second) at state @x with total input @u and coupling @c
   * (n_out values). */
  void (*rhs) (const double *p, const double *x, double u, const double *c, double *dxdt);
  /* The observable (spec §4). */
  double (*observe) (const double *p, const double *x);
  /* The n_out values sent to neighbours. */
  void (*output) (const double *p, const double *x, double *out);

  /* Optional exact update over @dt_s for a node whose input u and coupling c
   * are constant over the step; @z holds standard normal deviates, one per
   * noisy variable (OU only).  NULL when the model has none. */
  void (*exact) (const double *p, const double *x, double u, const double *c, double dt_s,
                 const double *z, double *x_new);
};

extern const SwMassType sw_mass_ou_type;
extern const SwMassType sw_mass_stuart_landau_type;
extern const SwMassType sw_mass_jansen_rit_type;
extern const SwMassType sw_mass_mpr_type;
extern const SwMassType sw_mass_fitzhugh_nagumo_type;
extern const SwMassType sw_mass_wilson_cowan_type;

/* The model called @name, or NULL. */
const SwMassType *sw_mass_type_lookup (const char *name);

/* The NULL-terminated list of built-in node models. */
const SwMassType *const *sw_mass_type_list (void);

/* Fills @params (n_params values) with the defaults. */
void sw_mass_type_defaults (const SwMassType *type, double *params);

/* Index of parameter / state variable @name, or -1. */
int sw_mass_type_param (const SwMassType *type, const char *name);
int sw_mass_type_state (const SwMassType *type, const char *name);

/* The Jansen-Rit sigmoid S(v) = 2 e0 / (1 + exp (r (v0 - v))) (1/s). */
double sw_mass_jr_sigmoid (double v_mv, double e0, double v0, double r);
