/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Phase planes and bifurcation diagrams for the neural-mass window (see
 * sw-mass-compute.h).  The numerical choices follow the command-line
 * tool's, so that the window and `spikeworks-cli phaseplane|bifurcation`
 * show the same curves: the plane's box comes from the late part of a run
 * from the initial state, widened by 40 %; branches are continued from
 * both ends of the range and a branch already followed is not repeated.
 */
#define G_LOG_DOMAIN "Spikeworks-Mass"

#include "config.h"

#include "sw-mass-compute.h"

#include <math.h>
#include <string.h>

#include "sw-mass-sim.h"

/* Analyses are about the deterministic node. */
static void
quiet_params (const SwMassType *type, const double *params, double *out)
{
  memcpy (out, params, type->n_params * sizeof (double));
  if (type->held_param >= 0)
    out[type->held_param] = 0.0;
  if (type->noise_param >= 0)
    out[type->noise_param] = 0.0;
}

/* ------------------------------------------------------------------------ */
/* Phase plane                                                               */

SwMassPlane *
sw_mass_plane_new (const SwMassType *type, const double *params, const double *initial,
                   double dt_s, double duration_s, int ix, int iy)
{
  SwMassPlane *plane = g_new0 (SwMassPlane, 1);

  g_return_val_if_fail (ix >= 0 && iy >= 0 && ix < type->n_state && iy < type->n_state, plane);
  plane->type = type;
  quiet_params (type, params, plane->params);
  memcpy (plane->initial, initial, type->n_state * sizeof (double));
  plane->dt_s = dt_s;
  plane->duration_s = duration_s;
  plane->ix = ix;
  plane->iy = iy;
  plane->starts = g_array_new (FALSE, FALSE, sizeof (double));
  plane->curves = g_array_new (FALSE, TRUE, sizeof (SwMassCurve));
  sw_mass_field_init (&plane->mf, type, plane->params, &plane->field);
  return plane;
}

void
sw_mass_plane_free (SwMassPlane *plane)
{
  if (plane == NULL)
    return;
  sw_mf_polylines_free (plane->x_null, plane->n_x_null);
  sw_mf_polylines_free (plane->y_null, plane->n_y_null);
  g_free (plane->fx);
  g_free (plane->fy);
  for (guint k = 0; plane->curves != NULL && k < plane->curves->len; k++)
    {
      SwMassCurve *c = &g_array_index (plane->curves, SwMassCurve, k);
      g_free (c->x);
      g_free (c->y);
    }
  g_clear_pointer (&plane->curves, g_array_unref);
  g_clear_pointer (&plane->starts, g_array_unref);
  g_free (plane);
}

static void
plane_of (const SwMassPlane *plane, SwPlane *out)
{
  out->field = plane->field;
  out->base = plane->base;
  out->ix = plane->ix;
  out->iy = plane->iy;
}

void
sw_mass_plane_eval (const SwMassPlane *plane, double x, double y, double *fx, double *fy)
{
  SwPlane p;

  plane_of (plane, &p);
  sw_plane_eval (&p, x, y, fx, fy);
}

static gboolean
core_error (GError **error, const SwError *err)
{
  /* The reason comes from the simulation core, in English. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", err->text);
  return FALSE;
}

gboolean
sw_mass_plane_compute (SwMassPlane *plane, GCancellable *cancellable, GError **error)
{
  const SwMassType *t = plane->type;
  int ix = plane->ix, iy = plane->iy;
  double settled[SW_FIELD_MAX];
  double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
  /* With the box known (a slider moved), the run only has to place the
   * variables outside the plane: none for a two-variable node, and a
   * shorter run for a larger one, which Newton then refines. */
  double run_s = plane->have_box ? (t->n_state > 2 ? MIN (plane->duration_s, 2.0) : 0.0)
                                 : MIN (plane->duration_s, 20.0);
  long steps = lround (run_s / plane->dt_s);
  SwMassConfig cfg = { 0 };
  SwMassSim *sim;
  SwError err;
  SwStatus st;
  SwPlane p;

  /* The variables outside the plane sit where a run from the initial
   * state settles (a fixed point when Newton finds one there); the run's
   * late part also gives the default box. */
  memcpy (settled, plane->initial, t->n_state * sizeof (double));
  cfg.type = t;
  cfg.n_nodes = 1;
  cfg.params = plane->params;
  cfg.dt_s = plane->dt_s;
  cfg.method = SW_MASS_METHOD_AUTO;
  cfg.initial = plane->initial;
  cfg.threads = 1;
  if ((st = sw_mass_sim_new (&cfg, &sim, &err)) != SW_OK)
    return core_error (error, &err);
  long chunk = MAX (1, steps / 2000);
  for (long s = 0; s < steps; s += chunk)
    {
      if ((st = sw_mass_sim_run (sim, chunk, 1, NULL, &err)) != SW_OK)
        break;
      const double *x = sw_mass_sim_state (sim);
      if (s >= steps / 2)
        {
          xmin = MIN (xmin, x[ix]);
          xmax = MAX (xmax, x[ix]);
          ymin = MIN (ymin, x[iy]);
          ymax = MAX (ymax, x[iy]);
        }
      if (s % (chunk * 200) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          sw_mass_sim_free (sim);
          return FALSE;
        }
    }
  if (st == SW_OK)
    memcpy (settled, sw_mass_sim_state (sim), t->n_state * sizeof (double));
  sw_mass_sim_free (sim);
  if (st != SW_OK)
    return core_error (error, &err);

  double fp[SW_FIELD_MAX];
  plane->base_fixed = sw_field_newton (&plane->field, settled, 1e-12, fp, NULL) == SW_OK;
  memcpy (plane->base, plane->base_fixed ? fp : settled, t->n_state * sizeof (double));
  plane_of (plane, &p);

  if (!plane->have_box)
    {
      xmin = MIN (xmin, plane->initial[ix]);
      xmax = MAX (xmax, plane->initial[ix]);
      ymin = MIN (ymin, plane->initial[iy]);
      ymax = MAX (ymax, plane->initial[iy]);
      double wx = MAX (xmax - xmin, 0.5 * (fabs (xmax) + 1.0));
      double wy = MAX (ymax - ymin, 0.5 * (fabs (ymax) + 1.0));
      plane->x0 = xmin - 0.4 * wx;
      plane->x1 = xmax + 0.4 * wx;
      plane->y0 = ymin - 0.4 * wy;
      plane->y1 = ymax + 0.4 * wy;
      if (t->clip_min != NULL)
        {
          plane->x0 = MAX (plane->x0, t->clip_min[ix]);
          plane->y0 = MAX (plane->y0, t->clip_min[iy]);
        }
      /* A run finds one attractor; the other fixed points (the second
       * state of a bistable node, the saddle between) may lie outside its
       * range.  Those within 32 times the box widen it. */
      {
        double cx = 0.5 * (plane->x0 + plane->x1), cy = 0.5 * (plane->y0 + plane->y1);
        double hx = 16 * (plane->x1 - plane->x0), hy = 16 * (plane->y1 - plane->y0);
        double bx0 = cx - hx, by0 = cy - hy;
        SwPlanePoint far[SW_MASS_PLANE_MAX_POINTS];
        int n_far = 0;
        gboolean wider = FALSE;

        if (t->clip_min != NULL)
          {
            bx0 = MAX (bx0, t->clip_min[ix]);
            by0 = MAX (by0, t->clip_min[iy]);
          }
        if (sw_plane_fixed_points (&p, bx0, cx + hx, by0, cy + hy, 32, far, SW_MASS_PLANE_MAX_POINTS, &n_far, NULL)
            == SW_OK)
          for (int k = 0; k < n_far; k++)
            if (far[k].x < plane->x0 || far[k].x > plane->x1 || far[k].y < plane->y0 || far[k].y > plane->y1)
              {
                xmin = MIN (plane->x0, far[k].x);
                xmax = MAX (plane->x1, far[k].x);
                ymin = MIN (plane->y0, far[k].y);
                ymax = MAX (plane->y1, far[k].y);
                plane->x0 = xmin;
                plane->x1 = xmax;
                plane->y0 = ymin;
                plane->y1 = ymax;
                wider = TRUE;
              }
        if (wider)
          {
            double px = 0.1 * (plane->x1 - plane->x0), py = 0.1 * (plane->y1 - plane->y0);
            plane->x0 -= px;
            plane->x1 += px;
            plane->y0 -= py;
            plane->y1 += py;
            if (t->clip_min != NULL)
              {
                plane->x0 = MAX (plane->x0, t->clip_min[ix]);
                plane->y0 = MAX (plane->y0, t->clip_min[iy]);
              }
          }
      }
      plane->have_box = TRUE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (sw_plane_nullclines (&p, plane->x0, plane->x1, SW_MASS_PLANE_GRID, plane->y0, plane->y1,
                           SW_MASS_PLANE_GRID, &plane->x_null, &plane->n_x_null, &plane->y_null,
                           &plane->n_y_null, &err) != SW_OK)
    return core_error (error, &err);
  plane->fx = g_new (double, SW_MASS_PLANE_ARROWS * SW_MASS_PLANE_ARROWS);
  plane->fy = g_new (double, SW_MASS_PLANE_ARROWS * SW_MASS_PLANE_ARROWS);
  sw_plane_grid (&p, plane->x0, plane->x1, SW_MASS_PLANE_ARROWS, plane->y0, plane->y1,
                 SW_MASS_PLANE_ARROWS, plane->fx, plane->fy);
  if (sw_plane_fixed_points (&p, plane->x0, plane->x1, plane->y0, plane->y1, 24, plane->points,
                             SW_MASS_PLANE_MAX_POINTS, &plane->n_points, &err) != SW_OK)
    return core_error (error, &err);

  /* Trajectories: two seconds of the node's time, or its run's length. */
  int n_steps = (int) MIN (lround (MIN (plane->duration_s, 2.0) / plane->dt_s), 20000);
  double traj_dt = MIN (plane->duration_s, 2.0) / MAX (n_steps, 1);
  for (guint k = 0; k + 1 < plane->starts->len; k += 2)
    {
      SwMassCurve c;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      c.x = g_new (double, n_steps + 1);
      c.y = g_new (double, n_steps + 1);
      c.n = sw_plane_trajectory (&p, g_array_index (plane->starts, double, k),
                                 g_array_index (plane->starts, double, k + 1), traj_dt, n_steps, c.x,
                                 c.y);
      g_array_append_val (plane->curves, c);
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Bifurcation diagram                                                       */

SwMassBif *
sw_mass_bif_new (const SwMassType *type, const double *params, const double *initial, double dt_s,
                 guint64 seed, int ip, double lo, double hi, int n_sims)
{
  SwMassBif *bif = g_new0 (SwMassBif, 1);

  bif->type = type;
  quiet_params (type, params, bif->params);
  memcpy (bif->initial, initial, type->n_state * sizeof (double));
  bif->dt_s = dt_s;
  bif->seed = seed;
  bif->ip = ip;
  bif->lo = lo;
  bif->hi = hi;
  bif->n_sims = MAX (n_sims, 2);
  bif->transient_s = 1.0;
  bif->record_s = 2.0;
  bif->starts = g_array_new (FALSE, FALSE, sizeof (int));
  atomic_init (&bif->done, 0);
  return bif;
}

void
sw_mass_bif_free (SwMassBif *bif)
{
  if (bif == NULL)
    return;
  g_free (bif->branch.points);
  g_free (bif->branch.special);
  g_clear_pointer (&bif->starts, g_array_unref);
  g_free (bif->observable);
  g_free (bif->pv);
  g_free (bif->cycles);
  g_free (bif->branch_error);
  g_free (bif);
}

double
sw_mass_bif_observe (const SwMassBif *bif, double p, const double *x)
{
  double params[SW_MASS_MAX_PARAMS];

  memcpy (params, bif->params, sizeof params);
  params[bif->ip] = p;
  return bif->type->observe (params, x);
}

/* Appends @one to the branches unless its start lies on one already
 * followed (within 2 % of the range and of the state). */
static void
add_branch (SwMassBif *bif, SwBranch *one, double end)
{
  SwBranch *br = &bif->branch;
  const SwMassType *t = bif->type;
  int q = 0;

  for (int c = 0; c < one->n_points; c++)
    if (fabs (one->points[c].p - end) < fabs (one->points[q].p - end))
      q = c;
  for (int k = 0; k < br->n_points && one->n_points > 0; k++)
    {
      const SwBranchPoint *a = &br->points[k];
      double d = fabs (a->p - one->points[q].p) / (bif->hi - bif->lo);

      for (int v = 0; v < t->n_state; v++)
        d = MAX (d, fabs (a->x[v] - one->points[q].x[v]) / (1.0 + fabs (a->x[v])));
      if (d < 0.02)
        return;
    }
  int base = br->n_points;
  g_array_append_val (bif->starts, base);
  br->points = g_renew (SwBranchPoint, br->points, br->n_points + one->n_points);
  memcpy (br->points + br->n_points, one->points, one->n_points * sizeof (SwBranchPoint));
  br->n_points += one->n_points;
  br->special = g_renew (SwBifPoint, br->special, br->n_special + one->n_special + 1);
  for (int k = 0; k < one->n_special; k++)
    {
      br->special[br->n_special] = one->special[k];
      br->special[br->n_special++].after += base;
    }
}

gboolean
sw_mass_bif_compute (SwMassBif *bif, GCancellable *cancellable, GError **error)
{
  const SwMassType *t = bif->type;
  const double ends[2] = { bif->lo, bif->hi };
  double params[SW_MASS_MAX_PARAMS];
  SwMassField mf;
  SwField field;
  SwError err;

  g_return_val_if_fail (bif->ip >= 0 && bif->ip < t->n_params && bif->hi > bif->lo, FALSE);

  /* Fixed points: settle at each end of the range, refine, and continue
   * over the range. */
  sw_mass_field_init (&mf, t, bif->params, &field);
  for (int e = 0; e < 2; e++)
    {
      double x0[SW_FIELD_MAX];
      SwBranch one;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      memcpy (x0, bif->initial, t->n_state * sizeof (double));
      mf.params[bif->ip] = ends[e];
      sw_field_settle (&field, x0, bif->dt_s, (int) MIN (lround (5.0 / bif->dt_s), 2000000));
      if (sw_continue_fixed_points (&field, &mf.params[bif->ip], bif->lo, bif->hi, ends[e], x0,
                                    MIN (2.0 / bif->n_sims, 0.01), MIN (200 * bif->n_sims, 200000), &one,
                                    &err)
          != SW_OK)
        {
          g_free (bif->branch_error);
          bif->branch_error = g_strdup (err.text);
          continue;
        }
      add_branch (bif, &one, ends[e]);
      sw_branch_free (&one);
    }
  if (bif->branch.n_points > 0)
    g_clear_pointer (&bif->branch_error, g_free);
  g_array_append_val (bif->starts, bif->branch.n_points);
  bif->observable = g_new (double, bif->branch.n_points + 1);
  for (int k = 0; k < bif->branch.n_points; k++)
    bif->observable[k] = sw_mass_bif_observe (bif, bif->branch.points[k].p, bif->branch.points[k].x);

  /* Cycles by simulation. */
  memcpy (params, bif->params, sizeof params);
  bif->pv = g_new (double, bif->n_sims);
  bif->cycles = g_new0 (SwCycleStats, bif->n_sims);
  for (int k = 0; k < bif->n_sims; k++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      bif->pv[k] = bif->lo + (bif->hi - bif->lo) * k / (bif->n_sims - 1);
      params[bif->ip] = bif->pv[k];
      if (sw_mass_cycle_stats (t, params, bif->initial, bif->dt_s, bif->transient_s, bif->record_s,
                               bif->seed, &bif->cycles[k], &err)
          != SW_OK)
        return core_error (error, &err);
      atomic_fetch_add (&bif->done, 1);
    }
  return TRUE;
}
