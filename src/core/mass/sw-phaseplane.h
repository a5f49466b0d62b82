/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Phase-plane analysis of autonomous systems x' = f(x): vector fields,
 * nullclines, fixed points with their eigenvalues and type, trajectories.
 * A system is any SwField (a function and its data); the plane is two of
 * its variables with the others held at given values, so a two-variable
 * node is analysed whole and a larger one (Jansen-Rit, the E-I mean field
 * with its adaptation) through a two-variable projection.
 *
 * Fields are provided for the neural-mass nodes (sw-mass-model.h, one node,
 * no coupling) and for the first-order AdEx mean field (sw-meanfield.h)
 * at a fixed adaptation current.
 *
 * Units: whatever the field uses; for the built-in fields derivatives are
 * per second, so eigenvalues are in 1/s.
 *
 * Thread safety: pure functions; fields must not be modified while used.
 */
#pragma once

#include <stdbool.h>

#include "sw-mass-model.h"
#include "sw-meanfield.h"
#include "sw-status.h"

#define SW_FIELD_MAX 8

typedef void (*SwFieldFunc) (void *data, const double *x, double *dxdt);

typedef struct
{
  SwFieldFunc f;
  void *data;
  int n;            /* 1 .. SW_FIELD_MAX */
} SwField;

/* A neural-mass node as a field: rhs at the input parameter's value and no
 * coupling.  Changing params[] (e.g. along a bifurcation diagram) changes
 * the field. */
typedef struct
{
  const SwMassType *type;
  double params[SW_MASS_MAX_PARAMS];
} SwMassField;

void sw_mass_field_init (SwMassField *mf, const SwMassType *type, const double *params, SwField *field);

/* The first-order AdEx mean field in (nu_E, nu_I) (Hz, derivatives in Hz/s)
 * with the adaptation W held at @w_pa (pA). */
typedef struct
{
  const SwMfConfig *cfg;
  double w_pa;
} SwMfPlaneField;

void sw_mf_plane_field_init (SwMfPlaneField *mf, const SwMfConfig *cfg, double w_pa, SwField *field);

/* ------------------------------------------------------------------------ */
/* Linear algebra                                                            */

/* Jacobian of @field at @x by central differences (step 1e-6 relative,
 * 1e-7 absolute for small components), n x n row-major. */
void sw_field_jacobian (const SwField *field, const double *x, double *jac);

/* Eigenvalues of a general real n x n matrix (n <= SW_FIELD_MAX), sorted
 * by decreasing real part (complex pairs: positive imaginary part first).
 * Shifted QR on the complex Hessenberg form.  Returns false when the
 * iteration did not converge (the values are then NAN). */
bool sw_eigenvalues (int n, const double *a, double *re, double *im);

/* Newton's method on f(x) = 0 from @guess with line search; success when
 * the step is below @tol relative to |x| + 1e-9 and |f| small.
 * SW_ERR_INVALID when it does not converge in 60 iterations or the
 * Jacobian is singular. */
SwStatus sw_field_newton (const SwField *field, const double *guess, double tol, double *x,
                          SwError *err);

/* Integrates @field from @x (advanced in place) with @n_steps RK4 steps of
 * @dt: a start for Newton near a stable state.  Returns false when the
 * state stops being finite. */
bool sw_field_settle (const SwField *field, double *x, double dt, int n_steps);

/* ------------------------------------------------------------------------ */
/* The plane                                                                 */

typedef struct
{
  SwField field;
  const double *base;   /* field.n values: the variables held fixed */
  int ix, iy;           /* the two variables of the plane */
} SwPlane;

typedef enum
{
  SW_FP_STABLE_NODE,
  SW_FP_UNSTABLE_NODE,
  SW_FP_STABLE_FOCUS,
  SW_FP_UNSTABLE_FOCUS,
  SW_FP_SADDLE,
  SW_FP_CENTRE,
  SW_FP_DEGENERATE,     /* a zero eigenvalue */
  SW_FP_N_TYPES
} SwFixedPointType;

/* "stable node", "unstable focus", "saddle" ... */
const char *sw_fixed_point_type_name (SwFixedPointType type);

typedef struct
{
  double x, y;
  double jac[2][2];
  double eig_re[2], eig_im[2];   /* decreasing real part */
  SwFixedPointType type;
} SwPlanePoint;

/* The type of a fixed point with 2 x 2 Jacobian @jac (fills eigenvalues and
 * type of @pt).  A trace within 1e-9 (|tr| + sqrt|det|) of 0 with complex
 * eigenvalues counts as a centre. */
void sw_plane_classify (const double jac[2][2], SwPlanePoint *pt);

/* f restricted to the plane at (x, y). */
void sw_plane_eval (const SwPlane *plane, double x, double y, double *fx, double *fy);

/* The field on an nx x ny grid of nodes spanning [x0, x1] x [y0, y1]
 * (node (i, j) at x0 + i (x1 - x0) / (nx - 1), ...): fx[j * nx + i], fy. */
void sw_plane_grid (const SwPlane *plane, double x0, double x1, int nx, double y0, double y1,
                    int ny, double *fx, double *fy);

/* Nullclines by marching squares on that grid: the x-nullcline (x' = 0)
 * and the y-nullcline (y' = 0) as polylines in data coordinates (free with
 * sw_mf_polylines_free).  nx, ny >= 2. */
SwStatus sw_plane_nullclines (const SwPlane *plane, double x0, double x1, int nx, double y0,
                              double y1, int ny, SwMfPolyline **x_null, int *n_x_null,
                              SwMfPolyline **y_null, int *n_y_null, SwError *err);

/* Fixed points inside [x0, x1] x [y0, y1]: Newton in the plane from an
 * n_starts x n_starts grid of starts; duplicates (closer than 1e-6 of the
 * box size) merged; sorted by x.  At most @max points are written. */
SwStatus sw_plane_fixed_points (const SwPlane *plane, double x0, double x1, double y0, double y1,
                                int n_starts, SwPlanePoint *out, int max, int *n_out, SwError *err);

/* A trajectory of the planar system from (x0, y0): RK4 with step @dt for
 * @n_steps steps; xs, ys receive n_steps + 1 points.  Stops early (and
 * returns the number of points written) when the state leaves the finite
 * numbers. */
int sw_plane_trajectory (const SwPlane *plane, double x0, double y0, double dt, int n_steps,
                         double *xs, double *ys);
