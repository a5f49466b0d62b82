/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Iso-lines of a grid by marching squares, joined into polylines.  Values
 * sit at cell centres; every crossing lies on a grid edge between two
 * centres, and an edge is shared by at most two squares, so segments that
 * meet on an edge are chained through it.  Joined polylines keep dash
 * patterns continuous and let round joins smooth the corners.  The saddle
 * cases (two opposite corners above the level) are resolved by the mean of
 * the four corners, the usual choice.
 */
#include "sw-plot-private.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct
{
  size_t a, b;  /* the two edges the segment joins */
} Segment;

typedef struct
{
  const double *v;
  size_t nx, ny;
  size_t n_horizontal;      /* edges (i, j)-(i + 1, j) come first */
  double x0, dx, y0, dy;
  double level;
} Field;

static size_t
h_edge (const Field *f, size_t i, size_t j)
{
  return j * (f->nx - 1) + i;
}

static size_t
v_edge (const Field *f, size_t i, size_t j)
{
  return f->n_horizontal + j * f->nx + i;
}

/* Where the level crosses edge @e. */
static void
edge_point (const Field *f, size_t e, double *x, double *y)
{
  size_t i, j, i2, j2;
  double va, vb, t;

  if (e < f->n_horizontal)
    {
      j = e / (f->nx - 1);
      i = e % (f->nx - 1);
      i2 = i + 1;
      j2 = j;
    }
  else
    {
      e -= f->n_horizontal;
      j = e / f->nx;
      i = e % f->nx;
      i2 = i;
      j2 = j + 1;
    }
  va = f->v[j * f->nx + i];
  vb = f->v[j2 * f->nx + i2];
  t = vb != va ? (f->level - va) / (vb - va) : 0.5;
  t = t < 0.0 ? 0.0 : t > 1.0 ? 1.0 : t;
  *x = f->x0 + (i + 0.5 + t * (double) (i2 - i)) * f->dx;
  *y = f->y0 + (j + 0.5 + t * (double) (j2 - j)) * f->dy;
}

typedef struct
{
  double *x, *y;
  size_t n, cap;
} Points;

static bool
points_push (Points *p, double x, double y)
{
  if (p->n == p->cap)
    {
      size_t cap = p->cap ? 2 * p->cap : 256;
      double *nx = realloc (p->x, cap * sizeof *nx);

      if (nx == NULL)
        return false;
      p->x = nx;
      nx = realloc (p->y, cap * sizeof *nx);
      if (nx == NULL)
        return false;
      p->y = nx;
      p->cap = cap;
    }
  p->x[p->n] = x;
  p->y[p->n] = y;
  p->n++;
  return true;
}

/* The segment through edge @e other than @not, unused; SIZE_MAX if none. */
static size_t
next_segment (const size_t *edge_seg, const bool *used, size_t e, size_t not)
{
  for (int k = 0; k < 2; k++)
    {
      size_t s = edge_seg[2 * e + k];

      if (s != SIZE_MAX && s != not && !used[s])
        return s;
    }
  return SIZE_MAX;
}

bool
sw_plot_contour_trace (const double *values, size_t nx, size_t ny, double x0,
                       double x1, double y0, double y1, double level,
                       double **xs, double **ys, size_t *n)
{
  Field f = { values, nx, ny, 0, x0, (x1 - x0) / (double) nx, y0,
              (y1 - y0) / (double) ny, level };
  Segment *seg = NULL;
  size_t n_seg = 0, cap_seg = 0, n_edges;
  size_t *edge_seg = NULL, *chain = NULL;
  bool *used = NULL;
  Points out = { NULL, NULL, 0, 0 };
  bool ok = false;

  *xs = NULL;
  *ys = NULL;
  *n = 0;
  if (nx < 2 || ny < 2)
    return true;
  f.n_horizontal = (nx - 1) * ny;
  n_edges = f.n_horizontal + nx * (ny - 1);

  for (size_t j = 0; j + 1 < ny; j++)
    for (size_t i = 0; i + 1 < nx; i++)
      {
        double a = values[j * nx + i];            /* bottom left */
        double b = values[j * nx + i + 1];        /* bottom right */
        double c = values[(j + 1) * nx + i + 1];  /* top right */
        double d = values[(j + 1) * nx + i];      /* top left */
        size_t eb = h_edge (&f, i, j), et = h_edge (&f, i, j + 1);
        size_t el = v_edge (&f, i, j), er = v_edge (&f, i + 1, j);
        size_t pairs[4];
        int np = 0;
        int code;

        if (!isfinite (a) || !isfinite (b) || !isfinite (c) || !isfinite (d))
          continue;
        code = (a >= level) | (b >= level) << 1 | (c >= level) << 2 | (d >= level) << 3;
        switch (code)
          {
          case 1: case 14: pairs[0] = el; pairs[1] = eb; np = 2; break;
          case 2: case 13: pairs[0] = eb; pairs[1] = er; np = 2; break;
          case 3: case 12: pairs[0] = el; pairs[1] = er; np = 2; break;
          case 4: case 11: pairs[0] = er; pairs[1] = et; np = 2; break;
          case 6: case 9: pairs[0] = eb; pairs[1] = et; np = 2; break;
          case 7: case 8: pairs[0] = el; pairs[1] = et; np = 2; break;
          case 5:
          case 10:
            {
              /* Saddle: is the centre on the side of a and c? */
              bool centre_up = (a + b + c + d) / 4.0 >= level;
              bool ac_up = code == 5;

              if (centre_up == ac_up)
                {
                  /* a and c joined through the centre: cut off b and d. */
                  pairs[0] = eb; pairs[1] = er; pairs[2] = et; pairs[3] = el;
                }
              else
                {
                  /* cut off a and c. */
                  pairs[0] = el; pairs[1] = eb; pairs[2] = er; pairs[3] = et;
                }
              np = 4;
            }
            break;
          default:
            break;
          }
        for (int k = 0; k < np; k += 2)
          {
            if (n_seg == cap_seg)
              {
                size_t cap = cap_seg ? 2 * cap_seg : 256;
                Segment *ns = realloc (seg, cap * sizeof *ns);

                if (ns == NULL)
                  goto out;
                seg = ns;
                cap_seg = cap;
              }
            seg[n_seg].a = pairs[k];
            seg[n_seg].b = pairs[k + 1];
            n_seg++;
          }
      }
  if (n_seg == 0)
    {
      ok = true;
      goto out;
    }

  edge_seg = malloc (2 * n_edges * sizeof *edge_seg);
  used = calloc (n_seg, sizeof *used);
  chain = malloc ((n_seg + 1) * sizeof *chain);
  if (edge_seg == NULL || used == NULL || chain == NULL)
    goto out;
  for (size_t e = 0; e < 2 * n_edges; e++)
    edge_seg[e] = SIZE_MAX;
  for (size_t s = 0; s < n_seg; s++)
    {
      size_t ends[2] = { seg[s].a, seg[s].b };

      for (int k = 0; k < 2; k++)
        {
          size_t *slot = &edge_seg[2 * ends[k]];
          if (slot[0] == SIZE_MAX)
            slot[0] = s;
          else
            slot[1] = s;
        }
    }

  for (size_t s0 = 0; s0 < n_seg; s0++)
    {
      size_t len = 0, back = 0, e, s;

      if (used[s0])
        continue;
      used[s0] = true;
      /* Backwards from end a: edges collected in reverse order. */
      e = seg[s0].a;
      s = s0;
      while ((s = next_segment (edge_seg, used, e, s)) != SIZE_MAX)
        {
          used[s] = true;
          e = seg[s].a == e ? seg[s].b : seg[s].a;
          chain[len++] = e;
        }
      back = len;
      for (size_t k = 0; k < back / 2; k++)
        {
          size_t tmp = chain[k];
          chain[k] = chain[back - 1 - k];
          chain[back - 1 - k] = tmp;
        }
      chain[len++] = seg[s0].a;
      chain[len++] = seg[s0].b;
      e = seg[s0].b;
      s = s0;
      while ((s = next_segment (edge_seg, used, e, s)) != SIZE_MAX)
        {
          used[s] = true;
          e = seg[s].a == e ? seg[s].b : seg[s].a;
          chain[len++] = e;
        }
      for (size_t k = 0; k < len; k++)
        {
          double x, y;

          edge_point (&f, chain[k], &x, &y);
          if (!points_push (&out, x, y))
            goto out;
        }
      if (!points_push (&out, NAN, NAN))
        goto out;
    }
  ok = true;

out:
  free (seg);
  free (edge_seg);
  free (used);
  free (chain);
  if (!ok)
    {
      free (out.x);
      free (out.y);
      return false;
    }
  *xs = out.x;
  *ys = out.y;
  *n = out.n;
  return true;
}
