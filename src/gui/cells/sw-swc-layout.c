/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SWC layouts (see sw-swc-layout.h).  The file was checked by the document
 * layer when the cell was built; here a line that does not parse or a
 * mismatch only means that the cell is drawn by the planar layout instead.
 */
#define G_LOG_DOMAIN "Spikeworks-Cells"

#include "config.h"

#include "sw-swc-layout.h"

#include <math.h>
#include <stdlib.h>

typedef struct
{
  int type;
  double x, y, z, r;
  int parent;   /* index, -1 for the root */
  int n_children;
} Sample;

static double
dist (const Sample *a, const Sample *b)
{
  return sqrt ((a->x - b->x) * (a->x - b->x) + (a->y - b->y) * (a->y - b->y)
               + (a->z - b->z) * (a->z - b->z));
}

static gboolean
mismatch (GError **error, const char *path, const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s", path, what);
  return FALSE;
}

static void
add_point (GArray *line, const Sample *s, double pos)
{
  SwSwcPoint p = { s->x, s->y, pos };
  g_array_append_val (line, p);
}

GPtrArray *
sw_swc_layout_load (const char *path, const SwCableMorph *morph, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr (GArray) samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  g_autoptr (GArray) parent_ids = g_array_new (FALSE, FALSE, sizeof (long));
  g_autoptr (GHashTable) index = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (int i = 0; lines[i] != NULL; i++)
    {
      char *l = g_strstrip (lines[i]);
      if (*l == '\0' || *l == '#')
        continue;
      double v[7];
      char *p = l, *end;
      for (int k = 0; k < 7; k++)
        {
          v[k] = g_ascii_strtod (p, &end);
          if (end == p)
            {
              mismatch (error, path, "a line is not seven numbers");
              return NULL;
            }
          p = end;
        }
      Sample s = { (int) v[1], v[2], v[3], v[4], v[5], -1, 0 };
      gint64 id = (gint64) v[0];
      long pid = (long) v[6];
      g_array_append_val (samples, s);
      g_array_append_val (parent_ids, pid);
      g_array_append_val (ids, id);
    }
  const guint n = samples->len;
  if (n == 0)
    {
      mismatch (error, path, "no samples");
      return NULL;
    }
  for (guint i = 0; i < n; i++)
    g_hash_table_insert (index, &g_array_index (ids, gint64, i), GUINT_TO_POINTER (i + 1));
  int root = -1;
  for (guint i = 0; i < n; i++)
    {
      long pid = g_array_index (parent_ids, long, i);
      Sample *s = &g_array_index (samples, Sample, i);
      if (pid < 0)
        {
          root = (int) i;
          continue;
        }
      gint64 key = pid;
      guint at = GPOINTER_TO_UINT (g_hash_table_lookup (index, &key));
      if (at == 0)
        {
          mismatch (error, path, "an orphan sample");
          return NULL;
        }
      s->parent = (int) at - 1;
      g_array_index (samples, Sample, s->parent).n_children++;
    }
  if (root < 0)
    {
      mismatch (error, path, "no root");
      return NULL;
    }

  /* Children in file order, as the document layer lists them. */
  g_autofree int *child_start = g_new0 (int, n + 1);
  g_autofree int *children = g_new (int, n);
  g_autofree int *fill = g_new0 (int, n);
  for (guint i = 0; i < n; i++)
    child_start[i + 1] = g_array_index (samples, Sample, i).n_children;
  for (guint i = 0; i < n; i++)
    child_start[i + 1] += child_start[i];
  for (guint i = 0; i < n; i++)
    {
      int par = g_array_index (samples, Sample, i).parent;
      if (par >= 0)
        children[child_start[par] + fill[par]++] = (int) i;
    }

  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autofree guint8 *in_soma = g_new0 (guint8, n);
  g_autoptr (GArray) soma = g_array_new (FALSE, FALSE, sizeof (int));
  const Sample *rs = &g_array_index (samples, Sample, root);
  g_array_append_val (soma, root);
  if (rs->type == 1)
    for (int j = root;;)
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
  double soma_len = 0;
  for (guint k = 1; k < soma->len; k++)
    soma_len += dist (&g_array_index (samples, Sample, g_array_index (soma, int, k - 1)),
                      &g_array_index (samples, Sample, g_array_index (soma, int, k)));
  GArray *line = g_array_new (FALSE, FALSE, sizeof (SwSwcPoint));
  if (soma->len == 1 || soma_len <= 0)
    {
      /* A one-sample soma: a cylinder 2r long, drawn upright. */
      SwSwcPoint a = { rs->x, rs->y - rs->r, 0 }, b = { rs->x, rs->y + rs->r, 1 };
      g_array_append_val (line, a);
      g_array_append_val (line, b);
    }
  else
    {
      double acc = 0;
      for (guint k = 0; k < soma->len; k++)
        {
          int si = g_array_index (soma, int, k);
          if (k > 0)
            acc += dist (&g_array_index (samples, Sample, g_array_index (soma, int, k - 1)),
                         &g_array_index (samples, Sample, si));
          add_point (line, &g_array_index (samples, Sample, si), acc / soma_len);
        }
    }
  g_ptr_array_add (out, line);
  for (guint k = 0; k < soma->len; k++)
    in_soma[g_array_index (soma, int, k)] = 1;

  g_autoptr (GArray) queue = g_array_new (FALSE, FALSE, sizeof (int));
  for (guint k = 0; k < soma->len; k++)
    {
      int j = g_array_index (soma, int, k);
      for (int c = child_start[j]; c < child_start[j + 1]; c++)
        if (!in_soma[children[c]])
          g_array_append_val (queue, children[c]);
    }
  for (guint q = 0; q < queue->len; q++)
    {
      int start = g_array_index (queue, int, q);
      const Sample *first = &g_array_index (samples, Sample, start);
      const Sample *attach = &g_array_index (samples, Sample, first->parent);
      double len = 0;
      int j = start;
      const Sample *prev = attach;
      for (;;)
        {
          const Sample *s = &g_array_index (samples, Sample, j);
          len += dist (prev, s);
          if (s->n_children != 1)
            break;
          prev = s;
          j = children[child_start[j]];
        }
      double used = len > 0 ? len : 1e-3;
      line = g_array_new (FALSE, FALSE, sizeof (SwSwcPoint));
      /* The drawn start is the attachment sample, also on the soma. */
      add_point (line, attach, 0.0);
      double acc = 0;
      j = start;
      prev = attach;
      for (;;)
        {
          const Sample *s = &g_array_index (samples, Sample, j);
          acc += dist (prev, s);
          add_point (line, s, len > 0 ? acc / len : 1.0);
          if (s->n_children != 1)
            break;
          prev = s;
          j = children[child_start[j]];
        }
      for (int c = child_start[j]; c < child_start[j + 1]; c++)
        g_array_append_val (queue, children[c]);

      /* The section built from the same samples must have this length. */
      int sec = (int) out->len;
      double l_morph;
      if (sec >= sw_cable_morph_n_sections (morph))
        {
          g_array_unref (line);
          g_ptr_array_unref (out);
          mismatch (error, path, "more sections than the cell has");
          return NULL;
        }
      sw_cable_morph_section_info (morph, sec, NULL, NULL, &l_morph, NULL, NULL);
      if (fabs (l_morph - used) > 1e-6 * MAX (1.0, used))
        {
          g_array_unref (line);
          g_ptr_array_unref (out);
          mismatch (error, path, "section lengths differ from the cell's");
          return NULL;
        }
      g_ptr_array_add (out, line);
    }
  if ((int) out->len != sw_cable_morph_n_sections (morph))
    {
      g_ptr_array_unref (out);
      mismatch (error, path, "fewer sections than the cell has");
      return NULL;
    }
  return out;
}
