/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The computations behind the neural-mass window that run on worker
 * threads: the phase plane of one node (range, nullclines, vector field,
 * fixed points and the trajectories the user started) and the
 * one-parameter bifurcation diagram (fixed-point branches with Hopf and
 * fold points, limit-cycle extents by simulation), as `spikeworks-cli
 * phaseplane` and `bifurcation` compute them.
 *
 * Each job is a plain struct: the main thread fills the inputs, one worker
 * runs the compute function, and the main thread reads the outputs once
 * the GTask returned.  Nothing here touches widgets.
 */
#pragma once

#include <gio/gio.h>
#include <stdatomic.h>

#include "sw-bifurcation.h"
#include "sw-phaseplane.h"

G_BEGIN_DECLS

#define SW_MASS_PLANE_MAX_POINTS 32
/* Nodes per side of the vector-field grid and of the nullcline grid. */
#define SW_MASS_PLANE_ARROWS 17
#define SW_MASS_PLANE_GRID 121

typedef struct
{
  int n;
  double *x, *y;
} SwMassCurve;

typedef struct
{
  /* Inputs. */
  const SwMassType *type;
  double params[SW_MASS_MAX_PARAMS];
  double initial[SW_MASS_MAX_STATE];
  double dt_s, duration_s;
  int ix, iy;
  gboolean have_box;        /* keep x0 .. y1 as given (else found from a run) */
  double x0, x1, y0, y1;
  GArray *starts;           /* double pairs (x, y): trajectories to draw */

  /* The node as a field (set up by sw_mass_plane_new()). */
  SwMassField mf;
  SwField field;

  /* Outputs. */
  double base[SW_FIELD_MAX];
  gboolean base_fixed;      /* the held variables sit at a fixed point */
  SwMfPolyline *x_null, *y_null;
  int n_x_null, n_y_null;
  double *fx, *fy;          /* SW_MASS_PLANE_ARROWS^2 values of the field */
  SwPlanePoint points[SW_MASS_PLANE_MAX_POINTS];
  int n_points;
  GArray *curves;           /* SwMassCurve, one per start */
} SwMassPlane;

/* A job on @type with @params (noise and random inputs are switched off
 * for the analysis) and @initial. */
SwMassPlane *sw_mass_plane_new (const SwMassType *type, const double *params, const double *initial,
                                double dt_s, double duration_s, int ix, int iy);
void sw_mass_plane_free (SwMassPlane *plane);

/* Fills the outputs; FALSE with G_IO_ERROR_CANCELLED or the core's reason. */
gboolean sw_mass_plane_compute (SwMassPlane *plane, GCancellable *cancellable, GError **error);

/* The field of @plane's node, for evaluations on the main thread. */
void sw_mass_plane_eval (const SwMassPlane *plane, double x, double y, double *fx, double *fy);

typedef struct
{
  /* Inputs. */
  const SwMassType *type;
  double params[SW_MASS_MAX_PARAMS];
  double initial[SW_MASS_MAX_STATE];
  double dt_s;
  guint64 seed;
  int ip;                   /* the parameter varied */
  double lo, hi;
  int n_sims;               /* parameter values simulated for cycles (>= 2) */
  double transient_s, record_s;

  /* Progress, read by the main thread: simulations done. */
  atomic_int done;

  /* Outputs. */
  SwBranch branch;          /* all branches, one after the other */
  GArray *starts;           /* int: index of the first point of each branch, then n_points */
  double *observable;       /* observable of each branch point */
  double *pv;               /* simulated parameter values */
  SwCycleStats *cycles;
  char *branch_error;       /* why no branch was found, or NULL */
} SwMassBif;

SwMassBif *sw_mass_bif_new (const SwMassType *type, const double *params, const double *initial,
                            double dt_s, guint64 seed, int ip, double lo, double hi, int n_sims);
void sw_mass_bif_free (SwMassBif *bif);

/* Fills the outputs; FALSE with G_IO_ERROR_CANCELLED (checked between
 * simulations) or the core's reason. */
gboolean sw_mass_bif_compute (SwMassBif *bif, GCancellable *cancellable, GError **error);

/* The observable of @bif's node in state @x at parameter value @p. */
double sw_mass_bif_observe (const SwMassBif *bif, double p, const double *x);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SwMassPlane, sw_mass_plane_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SwMassBif, sw_mass_bif_free)

G_END_DECLS
