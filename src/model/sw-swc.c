/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SWC morphology import: parsing, validation with messages that name file,
 * line and sample, and the cut into unbranched sections.
 */
#include "config.h"

#include "sw-swc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

G_DEFINE_QUARK (sw-swc-error-quark, sw_swc_error)

typedef struct
{
  long id;
  int type;
  double x, y, z, r;
  long parent_id;
  int parent;      /* index of the parent sample, -1 for the root */
  guint line;
  int n_children;
  int section;     /* section the sample ends (or lies in) */
  double sec_x;    /* position of the sample along its section, 0..1 */
} Sample;

static const char *
type_name (int type)
{
  switch (type)
    {
    case 2:
      return "axon";
    case 3:
      return "dend";
    case 4:
      return "apic";
    default:
      return "sec";
    }
}

static double
dist (const Sample *a, const Sample *b)
{
  return sqrt ((a->x - b->x) * (a->x - b->x) + (a->y - b->y) * (a->y - b->y)
               + (a->z - b->z) * (a->z - b->z));
}

/* A section being assembled: its samples in order from the parent side. */
typedef struct
{
  GArray *idx;       /* sample indices; idx[0] is the attachment sample */
  int parent_sec;
  double parent_x;
  int type;
} Build;

SwCableMorph *
sw_swc_parse (const char *text, gsize length, const char *display, GError **error)
{
  g_autoptr (GArray) samples = g_array_new (FALSE, TRUE, sizeof (Sample));
  g_autoptr (GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree gint64 *keys = NULL;
  const char *p = text, *end = text + length;
  guint line = 0;

  while (p < end)
    {
      const char *eol = memchr (p, '\n', end - p);
      if (eol == NULL)
        eol = end;
      line++;
      g_autofree char *ln = g_strndup (p, eol - p);
      p = eol + 1;
      char *hash = strchr (ln, '#');
      if (hash)
        *hash = '\0';
      g_strstrip (ln);
      if (*ln == '\0')
        continue;
      g_auto (GStrv) f = g_strsplit_set (ln, " \t\r,", -1);
      double v[7];
      int k = 0;
      gboolean bad = FALSE;
      for (int i = 0; f[i]; i++)
        {
          if (*f[i] == '\0')
            continue;
          char *e;
          double d = g_ascii_strtod (f[i], &e);
          if (*e != '\0' || !isfinite (d) || k >= 7)
            {
              bad = TRUE;
              break;
            }
          v[k++] = d;
        }
      if (bad || k != 7 || v[0] != floor (v[0]) || v[6] != floor (v[6]) || v[1] != floor (v[1]))
        {
          g_set_error (error, SW_SWC_ERROR, SW_SWC_ERROR_SYNTAX,
                       "%s:%u: expected seven numbers \"id type x y z radius parent\" "
                       "(whole numbers for id, type and parent), got \"%s\"", display, line, ln);
          return NULL;
        }
      Sample s = { 0 };
      s.id = (long) v[0];
      s.type = (int) v[1];
      s.x = v[2];
      s.y = v[3];
      s.z = v[4];
      s.r = v[5];
      s.parent_id = (long) v[6];
      s.line = line;
      s.parent = -1;
      if (!(s.r > 0))
        {
          g_set_error (error, SW_SWC_ERROR, SW_SWC_ERROR_RADIUS,
                       "%s:%u: sample %ld: radius %g µm; expected a radius > 0", display, line,
                       s.id, s.r);
          return NULL;
        }
      g_array_append_val (samples, s);
    }
  guint n = samples->len;
  if (n == 0)
    {
      g_set_error (error, SW_SWC_ERROR, SW_SWC_ERROR_ROOTS,
                   "%s: no samples; expected lines \"id type x y z radius parent\"", display);
      return NULL;
    }
  keys = g_new (gint64, n);
  for (guint i = 0; i < n; i++)
    {
      Sample *s = &g_array_index (samples, Sample, i);
      keys[i] = s->id;
      if (g_hash_table_contains (by_id, &keys[i]))
        {
          const Sample *o = &g_array_index (samples, Sample,
                                            GPOINTER_TO_UINT (g_hash_table_lookup (by_id, &keys[i])) - 1);
          g_set_error (error, SW_SWC_ERROR, SW_SWC_ERROR_DUPLICATE,
                       "%s:%u: sample %ld: the id is used already on line %u", display, s->line,
                       s->id, o->line);
          return NULL;
        }
      g_hash_table_insert (by_id, &keys[i], GUINT_TO_POINTER (i + 1));
    }
  int root = -1;
  for (guint i = 0; i < n; i++)
    {
      Sample *s = &g_array_index (samples, Sample, i);
      if (s->parent_id == -1)
        {
          if (root >= 0)
            {
              const Sample *r = &g_array_index (samples, Sample, root);
              g_set_error (error, SW_SWC_ERROR, SW_SWC_ERROR_ROOTS,
                           "%s:%u: sample %ld: a second root (parent -1; the first is sample %ld "
                           "on line %u); expected one connected tree", display, s->line, s->id,
                           r->id, r->line);
              return NULL;
            }
          root = (int) i;
          continue;
        }
      gint64 pid = s->parent_id;
      gpointer hit = g_hash_table_lookup (by_id, &pid);
      if (hit == NULL)
        {
          g_set_error (error, SW_SWC_ERROR, SW_SWC_ERROR_ORPHAN,
                       "%s:%u: sample %ld: parent %ld is not a sample of the file (an orphan "
                       "sample); expected the id of another sample or -1", display, s->line,
                       s->id, s->parent_id);
          return NULL;
        }
      s->parent = (int) GPOINTER_TO_UINT (hit) - 1;
    }
  /* Cycles: every sample must reach the root by following parents.  A walk
   * longer than n steps is a circle. */
  {
    g_autofree guint8 *state = g_new0 (guint8, n);   /* 0 new, 1 on path, 2 reaches root */
    g_autofree int *path = g_new (int, n + 1);
    for (guint i = 0; i < n; i++)
      {
        int len = 0, j = (int) i;
        while (j >= 0 && state[j] == 0)
          {
            state[j] = 1;
            path[len++] = j;
            j = g_array_index (samples, Sample, j).parent;
          }
        if (j >= 0 && state[j] == 1)
          {
            const Sample *s = &g_array_index (samples, Sample, j);
            g_set_error (error, SW_SWC_ERROR, SW_SWC_ERROR_CYCLE,
                         "%s:%u: sample %ld: its parents lead back to it (a cycle); expected a "
                         "tree", display, s->line, s->id);
            return NULL;
          }
        for (int k = 0; k < len; k++)
          state[path[k]] = 2;
      }
  }
  if (root < 0)
    {
      g_set_error (error, SW_SWC_ERROR, SW_SWC_ERROR_ROOTS,
                   "%s: no root sample (parent -1); expected one", display);
      return NULL;
    }

  /* Children lists. */
  g_autofree int *child_start = g_new0 (int, n + 1);
  g_autofree int *children = g_new (int, n);
  for (guint i = 0; i < n; i++)
    {
      Sample *s = &g_array_index (samples, Sample, i);
      if (s->parent >= 0)
        {
          g_array_index (samples, Sample, s->parent).n_children++;
          child_start[s->parent + 1]++;
        }
    }
  for (guint i = 0; i < n; i++)
    child_start[i + 1] += child_start[i];
  {
    g_autofree int *fill = g_new0 (int, n);
    for (guint i = 0; i < n; i++)
      {
        int par = g_array_index (samples, Sample, i).parent;
        if (par >= 0)
          children[child_start[par] + fill[par]++] = (int) i;
      }
  }

  /* Sections in parent-before-child order (breadth first from the root). */
  SwCableMorph *morph = sw_cable_morph_new ();
  GArray *queue = g_array_new (FALSE, FALSE, sizeof (int));   /* start samples */
  GArray *qsec = g_array_new (FALSE, FALSE, sizeof (int));    /* their parent sections */
  int counters[8] = { 0 };
  g_autofree guint8 *in_soma = NULL;

  /* The soma: the root and the soma samples connected to it in a chain
   * (when the root is a soma sample). */
  Sample *rs = &g_array_index (samples, Sample, root);
  GArray *soma = g_array_new (FALSE, FALSE, sizeof (int));
  g_array_append_val (soma, root);
  if (rs->type == 1)
    {
      int j = root;
      for (;;)
        {
          int next = -1;
          for (int k = child_start[j]; k < child_start[j + 1]; k++)
            if (g_array_index (samples, Sample, children[k]).type == 1)
              {
                next = children[k];
                break;
              }
          if (next < 0)
            break;
          g_array_append_val (soma, next);
          j = next;
        }
    }
  double soma_len = 0, soma_area = 0;
  for (guint k = 1; k < soma->len; k++)
    {
      const Sample *a = &g_array_index (samples, Sample, g_array_index (soma, int, k - 1));
      const Sample *b = &g_array_index (samples, Sample, g_array_index (soma, int, k));
      double l = dist (a, b);
      soma_len += l;
      soma_area += l * (a->r + b->r);   /* length × mean diameter */
    }
  double soma_l, soma_d;
  if (soma->len == 1 || soma_len <= 0)
    {
      soma_l = soma_d = 2.0 * rs->r;
    }
  else
    {
      soma_l = soma_len;
      soma_d = soma_area / soma_len;
    }
  if (sw_cable_morph_add_section (morph, rs->type == 1 ? "soma" : type_name (rs->type), -1, 0,
                                  soma_l, soma_d, 1, NULL) < 0)
    goto fail_internal;
  {
    double acc = 0;
    for (guint k = 0; k < soma->len; k++)
      {
        int si = g_array_index (soma, int, k);
        Sample *s = &g_array_index (samples, Sample, si);
        if (k > 0)
          acc += dist (&g_array_index (samples, Sample, g_array_index (soma, int, k - 1)), s);
        s->section = 0;
        s->sec_x = soma->len == 1 ? 0.5 : (soma_len > 0 ? acc / soma_len : 0.5);
        s->type = 1;
      }
  }
  /* Mark soma membership to skip those children. */
  in_soma = g_new0 (guint8, n);
  for (guint k = 0; k < soma->len; k++)
    in_soma[g_array_index (soma, int, k)] = 1;
  for (guint k = 0; k < soma->len; k++)
    {
      int j = g_array_index (soma, int, k);
      for (int c = child_start[j]; c < child_start[j + 1]; c++)
        if (!in_soma[children[c]])
          {
            g_array_append_val (queue, children[c]);
            int zero = 0;
            g_array_append_val (qsec, zero);
          }
    }
  g_array_unref (soma);

  for (guint q = 0; q < queue->len; q++)
    {
      int start = g_array_index (queue, int, q);
      int psec = g_array_index (qsec, int, q);
      const Sample *first = &g_array_index (samples, Sample, start);
      const Sample *attach = &g_array_index (samples, Sample, first->parent);
      double len = 0, area = 0;
      int j = start;
      const Sample *prev = attach;
      for (;;)
        {
          const Sample *s = &g_array_index (samples, Sample, j);
          double l = dist (prev, s);
          /* From a soma sample the piece takes the dendrite's own radius
           * at both ends: the soma's radius is not the dendrite's. */
          double r0 = prev == attach && attach->type == 1 && s->type != 1 ? s->r : prev->r;
          len += l;
          area += l * (r0 + s->r);
          if (s->n_children != 1)
            break;
          prev = s;
          j = children[child_start[j]];
        }
      int t = first->type >= 0 && first->type < 8 ? first->type : 0;
      char name[64];
      g_snprintf (name, sizeof name, "%s[%d]", type_name (first->type), counters[t]++);
      double diam = len > 0 ? area / len : 2.0 * first->r;
      if (len <= 0)
        len = 1e-3;   /* coincident samples: a vanishing section */
      /* On the soma at the attachment sample's position; elsewhere at the
       * parent section's end (sections break at branch points). */
      double px = psec == 0 ? attach->sec_x : 1.0;
      int sec = sw_cable_morph_add_section (morph, name, psec, px, len, diam, 1, NULL);
      if (sec < 0)
        goto fail_internal;
      /* Positions along the new section, and its children. */
      double acc = 0;
      j = start;
      prev = attach;
      for (;;)
        {
          Sample *s = &g_array_index (samples, Sample, j);
          acc += dist (prev, s);
          s->section = sec;
          s->sec_x = acc / len;
          if (s->n_children != 1)
            break;
          prev = s;
          j = children[child_start[j]];
        }
      for (int c = child_start[j]; c < child_start[j + 1]; c++)
        {
          g_array_append_val (queue, children[c]);
          g_array_append_val (qsec, sec);
        }
    }
  g_array_unref (queue);
  g_array_unref (qsec);
  return morph;

fail_internal:
  g_array_unref (queue);
  g_array_unref (qsec);
  sw_cable_morph_free (morph);
  g_set_error (error, SW_SWC_ERROR, SW_SWC_ERROR_SYNTAX, "%s: the morphology could not be built",
               display);
  return NULL;
}

SwCableMorph *
sw_swc_load (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *display = g_filename_display_name (path);
  gsize len = 0;
  g_autoptr (GError) local = NULL;
  if (!g_file_get_contents (path, &contents, &len, &local))
    {
      g_set_error (error, SW_SWC_ERROR, SW_SWC_ERROR_READ, "%s: cannot read the SWC file: %s",
                   display, local->message);
      return NULL;
    }
  return sw_swc_parse (contents, len, display, error);
}
