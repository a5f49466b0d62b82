/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Morphologies and cell definitions: sections, their numbering into
 * compartments (parent before child, zero-area nodes at the root's start and
 * at section ends that carry children), sites, passive properties and the
 * mechanisms inserted per section.
 */
#include "sw-cable-private.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------- morphology ---------------- */

SwCableMorph *
sw_cable_morph_new (void)
{
  return calloc (1, sizeof (SwCableMorph));
}

void
sw_cable_morph_free (SwCableMorph *morph)
{
  if (morph == NULL)
    return;
  free (morph->sec);
  free (morph);
}

SwCableMorph *
sw_cable_morph_copy (const SwCableMorph *morph)
{
  SwCableMorph *m = sw_cable_morph_new ();
  if (m == NULL)
    return NULL;
  if (morph->n_sec > 0)
    {
      m->sec = malloc (sizeof (SwCableSection) * morph->n_sec);
      if (m->sec == NULL)
        {
          free (m);
          return NULL;
        }
      memcpy (m->sec, morph->sec, sizeof (SwCableSection) * morph->n_sec);
    }
  m->n_sec = m->cap_sec = morph->n_sec;
  return m;
}

int
sw_cable_morph_add_section (SwCableMorph *morph, const char *name, int parent, double parent_x,
                            double length_um, double diam_um, int nseg, SwError *err)
{
  if (name == NULL || name[0] == '\0' || strlen (name) >= SW_CABLE_NAME_MAX)
    {
      sw_error_set (err, SW_ERR_INVALID, "section name: expected 1 to %d characters",
                    SW_CABLE_NAME_MAX - 1);
      return -1;
    }
  for (const char *c = name; *c; c++)
    if (!(isalnum ((unsigned char) *c) || *c == '_' || *c == '.' || *c == '[' || *c == ']'))
      {
        sw_error_set (err, SW_ERR_INVALID,
                      "section \"%s\": names may hold letters, digits, '_', '.', '[' and ']'", name);
        return -1;
      }
  if (sw_cable_morph_find (morph, name) >= 0)
    {
      sw_error_set (err, SW_ERR_INVALID, "section \"%s\" defined twice", name);
      return -1;
    }
  if (!(isfinite (length_um) && length_um > 0) || !(isfinite (diam_um) && diam_um > 0))
    {
      sw_error_set (err, SW_ERR_INVALID,
                    "section \"%s\": length and diameter must be positive (got L %g µm, d %g µm)",
                    name, length_um, diam_um);
      return -1;
    }
  if (nseg < 1 || nseg > 100000)
    {
      sw_error_set (err, SW_ERR_INVALID, "section \"%s\": nseg must be 1 to 100000 (got %d)",
                    name, nseg);
      return -1;
    }
  if (morph->n_sec == 0 && parent != -1)
    {
      sw_error_set (err, SW_ERR_INVALID, "section \"%s\": the first section is the root (parent -1)",
                    name);
      return -1;
    }
  if (morph->n_sec > 0 && (parent < 0 || parent >= morph->n_sec))
    {
      sw_error_set (err, SW_ERR_INVALID, "section \"%s\": parent %d is not an earlier section",
                    name, parent);
      return -1;
    }
  if (parent >= 0 && !(parent_x >= 0 && parent_x <= 1))
    {
      sw_error_set (err, SW_ERR_INVALID, "section \"%s\": attachment x must be in [0, 1] (got %g)",
                    name, parent_x);
      return -1;
    }
  if (parent > 0 && parent_x == 0)
    {
      sw_error_set (err, SW_ERR_INVALID,
                    "section \"%s\": only the root section accepts children at x = 0", name);
      return -1;
    }
  if (morph->n_sec == morph->cap_sec)
    {
      int cap = morph->cap_sec ? 2 * morph->cap_sec : 8;
      SwCableSection *s = realloc (morph->sec, sizeof (SwCableSection) * cap);
      if (s == NULL)
        {
          sw_error_set (err, SW_ERR_NOMEM, "out of memory adding section \"%s\"", name);
          return -1;
        }
      morph->sec = s;
      morph->cap_sec = cap;
    }
  SwCableSection *s = &morph->sec[morph->n_sec];
  memset (s, 0, sizeof *s);
  snprintf (s->name, sizeof s->name, "%s", name);
  s->parent = parent;
  s->parent_x = parent < 0 ? 0 : parent_x;
  s->length_um = length_um;
  s->diam_um = diam_um;
  s->nseg = nseg;
  return morph->n_sec++;
}

int
sw_cable_morph_n_sections (const SwCableMorph *morph)
{
  return morph->n_sec;
}

int
sw_cable_morph_find (const SwCableMorph *morph, const char *name)
{
  for (int i = 0; i < morph->n_sec; i++)
    if (strcmp (morph->sec[i].name, name) == 0)
      return i;
  return -1;
}

const char *
sw_cable_morph_section_name (const SwCableMorph *morph, int section)
{
  if (section < 0 || section >= morph->n_sec)
    return NULL;
  return morph->sec[section].name;
}

void
sw_cable_morph_section_info (const SwCableMorph *morph, int section, int *parent,
                             double *parent_x, double *length_um, double *diam_um, int *nseg)
{
  const SwCableSection *s = &morph->sec[section];
  if (parent)
    *parent = s->parent;
  if (parent_x)
    *parent_x = s->parent_x;
  if (length_um)
    *length_um = s->length_um;
  if (diam_um)
    *diam_um = s->diam_um;
  if (nseg)
    *nseg = s->nseg;
}

SwStatus
sw_cable_morph_set_nseg (SwCableMorph *morph, int section, int nseg, SwError *err)
{
  if (section < 0 || section >= morph->n_sec)
    return sw_error_set (err, SW_ERR_NOT_FOUND, "no section %d", section);
  if (nseg < 1 || nseg > 100000)
    return sw_error_set (err, SW_ERR_INVALID, "section \"%s\": nseg must be 1 to 100000 (got %d)",
                         morph->sec[section].name, nseg);
  morph->sec[section].nseg = nseg;
  return SW_OK;
}

void
sw_cable_morph_apply_d_lambda (SwCableMorph *morph, double d_lambda, double freq_hz,
                               double ra_ohm_cm, double cm_uf_cm2)
{
  for (int i = 0; i < morph->n_sec; i++)
    {
      SwCableSection *s = &morph->sec[i];
      /* AC length constant in µm: sqrt(d / (4 π f Ra cm)) with d in cm, Ra
       * Ω·cm, cm F/cm²; 1e5 gathers the unit factors (NEURON's lambda_f). */
      double lambda = 1e5 * sqrt (s->diam_um / (4.0 * M_PI * freq_hz * ra_ohm_cm * cm_uf_cm2));
      int n = (int) ((s->length_um / (d_lambda * lambda) + 0.9) / 2.0) * 2 + 1;
      s->nseg = n < 1 ? 1 : n;
    }
}

/* ---------------- cell definitions ---------------- */

static void
cell_free_numbering (SwCableCell *cell)
{
  free (cell->parent);
  free (cell->section);
  free (cell->x);
  free (cell->area);
  free (cell->seg0);
  free (cell->end_node);
  free (cell->attach);
  cell->parent = cell->section = cell->seg0 = cell->end_node = cell->attach = NULL;
  cell->x = cell->area = NULL;
}

SwStatus
sw_cable_cell_number (SwCableCell *cell, SwError *err)
{
  const SwCableMorph *m = cell->morph;
  int ns = m->n_sec;
  cell_free_numbering (cell);
  if (ns == 0)
    return sw_error_set (err, SW_ERR_INVALID, "the morphology has no sections");

  bool *has_end_child = calloc (ns, sizeof (bool));
  int n = 1;
  for (int s = 0; s < ns; s++)
    {
      n += m->sec[s].nseg;
      if (m->sec[s].parent >= 0 && m->sec[s].parent_x == 1.0)
        has_end_child[m->sec[s].parent] = true;
    }
  for (int s = 0; s < ns; s++)
    n += has_end_child[s];

  cell->n_nodes = n;
  cell->parent = malloc (sizeof (int) * n);
  cell->section = malloc (sizeof (int) * n);
  cell->x = malloc (sizeof (double) * n);
  cell->area = malloc (sizeof (double) * n);
  cell->seg0 = malloc (sizeof (int) * ns);
  cell->end_node = malloc (sizeof (int) * ns);
  cell->attach = malloc (sizeof (int) * ns);
  if (!cell->parent || !cell->section || !cell->x || !cell->area || !cell->seg0
      || !cell->end_node || !cell->attach)
    {
      free (has_end_child);
      cell_free_numbering (cell);
      return sw_error_set (err, SW_ERR_NOMEM, "out of memory numbering the cell");
    }

  /* Node 0 is the root's x = 0 end.  Sections come in index order (each
   * parent before its children); a section's segments follow its
   * attachment node, and its end node (when children hang there) follows
   * its last segment, so every parent index is smaller than its child's. */
  cell->parent[0] = -1;
  cell->section[0] = -1;
  cell->x[0] = 0;
  cell->area[0] = 0;
  int k = 1;
  for (int s = 0; s < ns; s++)
    {
      const SwCableSection *sec = &m->sec[s];
      int at;
      if (sec->parent < 0)
        at = 0;
      else if (sec->parent_x == 1.0)
        at = cell->end_node[sec->parent];
      else if (sec->parent_x == 0.0)
        at = 0;
      else
        {
          const SwCableSection *ps = &m->sec[sec->parent];
          int j = (int) floor (sec->parent_x * ps->nseg);
          if (j >= ps->nseg)
            j = ps->nseg - 1;
          at = cell->seg0[sec->parent] + j;
        }
      cell->attach[s] = at;
      cell->seg0[s] = k;
      double ell = sec->length_um / sec->nseg;
      for (int j = 0; j < sec->nseg; j++, k++)
        {
          cell->parent[k] = j == 0 ? at : k - 1;
          cell->section[k] = s;
          cell->x[k] = (j + 0.5) / sec->nseg;
          cell->area[k] = M_PI * sec->diam_um * ell;
        }
      if (has_end_child[s])
        {
          cell->end_node[s] = k;
          cell->parent[k] = k - 1;
          cell->section[k] = -1;
          cell->x[k] = 1.0;
          cell->area[k] = 0;
          k++;
        }
      else
        cell->end_node[s] = -1;
    }
  free (has_end_child);
  return SW_OK;
}

SwCableCell *
sw_cable_cell_new (const SwCableMorph *morph)
{
  SwCableCell *cell = calloc (1, sizeof (SwCableCell));
  if (cell == NULL)
    return NULL;
  cell->morph = sw_cable_morph_copy (morph);
  int ns = morph->n_sec;
  cell->ra = malloc (sizeof (double) * (ns ? ns : 1));
  cell->cm = malloc (sizeof (double) * (ns ? ns : 1));
  cell->v_init = malloc (sizeof (double) * (ns ? ns : 1));
  if (cell->morph == NULL || !cell->ra || !cell->cm || !cell->v_init
      || sw_cable_cell_number (cell, NULL) != SW_OK)
    {
      sw_cable_cell_free (cell);
      return NULL;
    }
  for (int s = 0; s < ns; s++)
    {
      cell->ra[s] = 100.0;
      cell->cm[s] = 1.0;
      cell->v_init[s] = -65.0;
    }
  cell->gates_steady = true;
  cell->gate_value = 0.2;
  cell->detect = sw_cable_cell_site (cell, 0, 0.5);
  return cell;
}

void
sw_cable_cell_free (SwCableCell *cell)
{
  if (cell == NULL)
    return;
  for (int i = 0; i < cell->n_mech; i++)
    {
      free (cell->mech[i].in_section);
      free (cell->mech[i].p);
    }
  free (cell->mech);
  free (cell->ra);
  free (cell->cm);
  free (cell->v_init);
  cell_free_numbering (cell);
  sw_cable_morph_free (cell->morph);
  free (cell);
}

static void *
dup_mem (const void *src, size_t size)
{
  void *p = malloc (size ? size : 1);
  if (p != NULL && size > 0)
    memcpy (p, src, size);
  return p;
}

SwCableCell *
sw_cable_cell_copy (const SwCableCell *cell)
{
  SwCableCell *c = sw_cable_cell_new (cell->morph);
  if (c == NULL)
    return NULL;
  int ns = cell->morph->n_sec;
  memcpy (c->ra, cell->ra, sizeof (double) * ns);
  memcpy (c->cm, cell->cm, sizeof (double) * ns);
  memcpy (c->v_init, cell->v_init, sizeof (double) * ns);
  c->gates_steady = cell->gates_steady;
  c->gate_value = cell->gate_value;
  c->detect = cell->detect;
  if (cell->n_mech > 0)
    {
      c->mech = calloc (cell->n_mech, sizeof (SwCableMechInst));
      if (c->mech == NULL)
        {
          sw_cable_cell_free (c);
          return NULL;
        }
      c->n_mech = cell->n_mech;
      for (int i = 0; i < cell->n_mech; i++)
        {
          const SwCableMechInst *mi = &cell->mech[i];
          c->mech[i].type = mi->type;
          c->mech[i].in_section = dup_mem (mi->in_section, sizeof (bool) * ns);
          c->mech[i].p = dup_mem (mi->p, sizeof (double) * cell->n_nodes * mi->type->n_params);
          if (!c->mech[i].in_section || !c->mech[i].p)
            {
              sw_cable_cell_free (c);
              return NULL;
            }
        }
    }
  return c;
}

const SwCableMorph *
sw_cable_cell_get_morph (const SwCableCell *cell)
{
  return cell->morph;
}

static SwStatus
check_section (const SwCableCell *cell, int section, SwError *err)
{
  if (section < -1 || section >= cell->morph->n_sec)
    return sw_error_set (err, SW_ERR_NOT_FOUND, "no section %d in the cell", section);
  return SW_OK;
}

SwStatus
sw_cable_cell_set_ra (SwCableCell *cell, int section, double ra_ohm_cm, SwError *err)
{
  if (check_section (cell, section, err) != SW_OK)
    return SW_ERR_NOT_FOUND;
  if (!(isfinite (ra_ohm_cm) && ra_ohm_cm > 0 && ra_ohm_cm <= 1e7))
    return sw_error_set (err, SW_ERR_INVALID, "Ra: expected 0 < Ra <= 1e7 Ω·cm (got %g)", ra_ohm_cm);
  for (int s = 0; s < cell->morph->n_sec; s++)
    if (section < 0 || s == section)
      cell->ra[s] = ra_ohm_cm;
  return SW_OK;
}

SwStatus
sw_cable_cell_set_cm (SwCableCell *cell, int section, double cm_uf_cm2, SwError *err)
{
  if (check_section (cell, section, err) != SW_OK)
    return SW_ERR_NOT_FOUND;
  if (!(isfinite (cm_uf_cm2) && cm_uf_cm2 > 0 && cm_uf_cm2 <= 100))
    return sw_error_set (err, SW_ERR_INVALID, "cm: expected 0 < cm <= 100 µF/cm² (got %g)", cm_uf_cm2);
  for (int s = 0; s < cell->morph->n_sec; s++)
    if (section < 0 || s == section)
      cell->cm[s] = cm_uf_cm2;
  return SW_OK;
}

SwStatus
sw_cable_cell_set_v_init (SwCableCell *cell, int section, double v_mv, SwError *err)
{
  if (check_section (cell, section, err) != SW_OK)
    return SW_ERR_NOT_FOUND;
  if (!(isfinite (v_mv) && v_mv >= -200 && v_mv <= 200))
    return sw_error_set (err, SW_ERR_INVALID, "initial V: expected -200 to 200 mV (got %g)", v_mv);
  for (int s = 0; s < cell->morph->n_sec; s++)
    if (section < 0 || s == section)
      cell->v_init[s] = v_mv;
  return SW_OK;
}

static SwCableMechInst *
find_inst (const SwCableCell *cell, const char *name)
{
  for (int i = 0; i < cell->n_mech; i++)
    if (strcmp (cell->mech[i].type->name, name) == 0)
      return &cell->mech[i];
  return NULL;
}

SwStatus
sw_cable_cell_insert (SwCableCell *cell, int section, const char *mech_name, SwError *err)
{
  if (check_section (cell, section, err) != SW_OK)
    return SW_ERR_NOT_FOUND;
  const SwCableMechType *type = sw_cable_mech_find (mech_name);
  if (type == NULL)
    return sw_error_set (err, SW_ERR_NOT_FOUND, "unknown mechanism \"%s\"", mech_name);
  SwCableMechInst *mi = find_inst (cell, mech_name);
  int ns = cell->morph->n_sec;
  if (mi == NULL)
    {
      SwCableMechInst *arr = realloc (cell->mech, sizeof (SwCableMechInst) * (cell->n_mech + 1));
      if (arr == NULL)
        return sw_error_set (err, SW_ERR_NOMEM, "out of memory");
      cell->mech = arr;
      /* Keep the mechanisms sorted by their evaluation rank, so that Ca
       * sources run before the Ca pool and the pool before its users. */
      int pos = cell->n_mech;
      while (pos > 0 && cell->mech[pos - 1].type->order > type->order)
        pos--;
      memmove (&cell->mech[pos + 1], &cell->mech[pos],
               sizeof (SwCableMechInst) * (cell->n_mech - pos));
      mi = &cell->mech[pos];
      cell->n_mech++;
      mi->type = type;
      mi->in_section = calloc (ns, sizeof (bool));
      mi->p = malloc (sizeof (double) * cell->n_nodes * (type->n_params ? type->n_params : 1));
      if (!mi->in_section || !mi->p)
        return sw_error_set (err, SW_ERR_NOMEM, "out of memory");
      for (int i = 0; i < cell->n_nodes; i++)
        for (int k = 0; k < type->n_params; k++)
          mi->p[i * type->n_params + k] = type->params[k].default_value;
    }
  for (int s = 0; s < ns; s++)
    if (section < 0 || s == section)
      mi->in_section[s] = true;
  return SW_OK;
}

bool
sw_cable_cell_has_mech (const SwCableCell *cell, int section, const char *mech)
{
  const SwCableMechInst *mi = find_inst (cell, mech);
  return mi != NULL && section >= 0 && section < cell->morph->n_sec && mi->in_section[section];
}

static SwStatus
set_param_common (SwCableCell *cell, int section, const char *mech, const char *param,
                  SwCableMechInst **mi_out, int *k_out, SwError *err)
{
  if (check_section (cell, section, err) != SW_OK)
    return SW_ERR_NOT_FOUND;
  SwCableMechInst *mi = find_inst (cell, mech);
  if (mi == NULL || (section >= 0 && !mi->in_section[section]))
    return sw_error_set (err, SW_ERR_NOT_FOUND, "mechanism \"%s\" is not inserted in %s%s", mech,
                         section >= 0 ? "section " : "the cell",
                         section >= 0 ? cell->morph->sec[section].name : "");
  int k = sw_param_find (mi->type->params, mi->type->n_params, param);
  if (k < 0)
    return sw_error_set (err, SW_ERR_NOT_FOUND, "mechanism \"%s\" has no parameter \"%s\"", mech,
                         param);
  *mi_out = mi;
  *k_out = k;
  return SW_OK;
}

static SwStatus
check_range (const SwCableMechType *type, int k, double value, SwError *err)
{
  const SwParamInfo *pi = &type->params[k];
  if (!isfinite (value) || !sw_param_in_range (pi, value))
    return sw_error_set (err, SW_ERR_INVALID, "%s.%s = %g %s is outside its range [%g, %g] %s",
                         type->name, pi->name, value, pi->unit, pi->min, pi->max, pi->unit);
  return SW_OK;
}

SwStatus
sw_cable_cell_set_param (SwCableCell *cell, int section, const char *mech, const char *param,
                         double value, SwError *err)
{
  SwCableMechInst *mi;
  int k;
  SwStatus st = set_param_common (cell, section, mech, param, &mi, &k, err);
  if (st != SW_OK)
    return st;
  if ((st = check_range (mi->type, k, value, err)) != SW_OK)
    return st;
  int np = mi->type->n_params;
  for (int i = 0; i < cell->n_nodes; i++)
    {
      int s = cell->section[i];
      if (s >= 0 && mi->in_section[s] && (section < 0 || s == section))
        mi->p[i * np + k] = value;
    }
  return SW_OK;
}

static double
section_start_distance (const SwCableMorph *m, int s)
{
  double d = 0;
  while (m->sec[s].parent >= 0)
    {
      int p = m->sec[s].parent;
      d += m->sec[s].parent_x * m->sec[p].length_um;
      s = p;
    }
  return d;
}

double
sw_cable_cell_node_distance (const SwCableCell *cell, int node)
{
  const SwCableMorph *m = cell->morph;
  int s = cell->section[node];
  if (s < 0)
    {
      /* A zero-area node: the root's start or a section's end. */
      if (node == 0)
        return 0;
      s = cell->section[cell->parent[node]];
      return section_start_distance (m, s) + m->sec[s].length_um;
    }
  return section_start_distance (m, s) + cell->x[node] * m->sec[s].length_um;
}

SwStatus
sw_cable_cell_set_param_by_distance (SwCableCell *cell, int section, const char *mech,
                                     const char *param, double (*fn) (void *user, double distance_um),
                                     void *user, SwError *err)
{
  SwCableMechInst *mi;
  int k;
  SwStatus st = set_param_common (cell, section, mech, param, &mi, &k, err);
  if (st != SW_OK)
    return st;
  int np = mi->type->n_params;
  for (int i = 0; i < cell->n_nodes; i++)
    {
      int s = cell->section[i];
      if (s >= 0 && mi->in_section[s] && (section < 0 || s == section))
        {
          double v = fn (user, sw_cable_cell_node_distance (cell, i));
          if ((st = check_range (mi->type, k, v, err)) != SW_OK)
            return st;
          mi->p[i * np + k] = v;
        }
    }
  return SW_OK;
}

double
sw_cable_cell_get_param (const SwCableCell *cell, int node, const char *mech, const char *param)
{
  const SwCableMechInst *mi = find_inst (cell, mech);
  if (mi == NULL || node < 0 || node >= cell->n_nodes)
    return NAN;
  int s = cell->section[node];
  if (s < 0 || !mi->in_section[s])
    return NAN;
  int k = sw_param_find (mi->type->params, mi->type->n_params, param);
  if (k < 0)
    return NAN;
  return mi->p[node * mi->type->n_params + k];
}

void
sw_cable_cell_set_gate_init (SwCableCell *cell, bool steady_state, double value)
{
  cell->gates_steady = steady_state;
  cell->gate_value = value;
}

void
sw_cable_cell_set_detect (SwCableCell *cell, int node)
{
  if (node >= -1 && node < cell->n_nodes)
    cell->detect = node;
}

int
sw_cable_cell_get_detect (const SwCableCell *cell)
{
  return cell->detect;
}

int
sw_cable_cell_site (const SwCableCell *cell, int section, double x)
{
  const SwCableMorph *m = cell->morph;
  if (section < 0 || section >= m->n_sec || !(x >= 0 && x <= 1))
    return -1;
  const SwCableSection *s = &m->sec[section];
  if (x == 0)
    return cell->attach[section];
  if (x == 1 && cell->end_node[section] >= 0)
    return cell->end_node[section];
  int j = (int) floor (x * s->nseg);
  if (j >= s->nseg)
    j = s->nseg - 1;
  return cell->seg0[section] + j;
}

int
sw_cable_cell_site_parse (const SwCableCell *cell, const char *site, SwError *err)
{
  char name[SW_CABLE_NAME_MAX];
  const char *open = strchr (site, '(');
  size_t len = open ? (size_t) (open - site) : strlen (site);
  while (len > 0 && isspace ((unsigned char) site[len - 1]))
    len--;
  if (len == 0 || len >= sizeof name)
    {
      sw_error_set (err, SW_ERR_INVALID, "site \"%s\": expected SECTION(x), e.g. \"soma(0.5)\"", site);
      return -1;
    }
  memcpy (name, site, len);
  name[len] = '\0';
  double x = 0.5;
  if (open != NULL)
    {
      char *end;
      x = strtod (open + 1, &end);
      while (isspace ((unsigned char) *end))
        end++;
      if (end == open + 1 || *end != ')' || end[1] != '\0')
        {
          sw_error_set (err, SW_ERR_INVALID, "site \"%s\": expected SECTION(x) with x a number in [0, 1]",
                        site);
          return -1;
        }
      if (!(x >= 0 && x <= 1))
        {
          sw_error_set (err, SW_ERR_INVALID, "site \"%s\": x must be in [0, 1]", site);
          return -1;
        }
    }
  int s = sw_cable_morph_find (cell->morph, name);
  if (s < 0)
    {
      char list[256] = "";
      size_t used = 0;
      for (int i = 0; i < cell->morph->n_sec && used < 180; i++)
        used += (size_t) snprintf (list + used, sizeof list - used, "%s%s", i ? ", " : "",
                                   cell->morph->sec[i].name);
      sw_error_set (err, SW_ERR_NOT_FOUND, "site \"%s\": the cell has no section \"%s\" (it has %s)",
                    site, name, list);
      return -1;
    }
  return sw_cable_cell_site (cell, s, x);
}

int
sw_cable_cell_n_nodes (const SwCableCell *cell)
{
  return cell->n_nodes;
}

double
sw_cable_cell_node_area (const SwCableCell *cell, int node)
{
  return cell->area[node];
}

int
sw_cable_cell_node_section (const SwCableCell *cell, int node)
{
  return cell->section[node];
}

double
sw_cable_cell_node_x (const SwCableCell *cell, int node)
{
  return cell->x[node];
}

int
sw_cable_cell_node_parent (const SwCableCell *cell, int node)
{
  return cell->parent[node];
}

double
sw_cable_cell_area (const SwCableCell *cell, int section)
{
  double a = 0;
  for (int i = 0; i < cell->n_nodes; i++)
    if (cell->section[i] >= 0 && (section < 0 || cell->section[i] == section))
      a += cell->area[i];
  return a;
}
