/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CSV loaders for connectivity and the synthetic network.
 */
#include "config.h"

#include "sw-connectome.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sw-document.h"
#include "sw-mass-network.h"

void
sw_connectome_free (SwConnectome *net)
{
  if (net == NULL)
    return;
  g_free (net->weights);
  g_free (net->lengths_mm);
  g_free (net->centroids_mm);
  g_strfreev (net->labels);
  g_free (net->source);
  g_free (net);
}

static gboolean
read_text (const char *path, char **text, GError **error)
{
  g_autoptr (GError) local = NULL;
  if (!g_file_get_contents (path, text, NULL, &local))
    {
      g_set_error (error, SW_DOCUMENT_ERROR,
                   g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT) ? SW_DOCUMENT_ERROR_NOT_FOUND
                                                                             : SW_DOCUMENT_ERROR_READ,
                   "%s: %s", path, local->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
sw_connectome_read_matrix (const char *path, const char *what, int rows, int cols,
                           gboolean allow_negative, double **values, int *n_rows, int *n_cols,
                           GError **error)
{
  *values = NULL;
  g_autofree char *text = NULL;
  if (!read_text (path, &text, error))
    return FALSE;
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GArray *vals = g_array_new (FALSE, FALSE, sizeof (double));
  int nr = 0, nc = -1;
  for (int l = 0; lines[l] != NULL; l++)
    {
      char *line = g_strstrip (lines[l]);
      if (line[0] == '\0' || line[0] == '#')
        continue;
      g_auto (GStrv) fields = g_strsplit (line, ",", -1);
      int count = (int) g_strv_length (fields);
      for (int f = 0; f < count; f++)
        {
          char *s = g_strstrip (fields[f]);
          char *end = NULL;
          double v = g_ascii_strtod (s, &end);
          const char *problem = NULL;
          if (s[0] == '\0' || end == s || *end != '\0')
            problem = "a number";
          else if (isnan (v))
            problem = "a number, not NaN";
          else if (!isfinite (v))
            problem = "a finite number";
          else if (v < 0.0 && !allow_negative)
            problem = "a non-negative number";
          if (problem != NULL)
            {
              g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_VALUE,
                           "%s:%d:%d: %s: expected %s, found '%s'", path, l + 1, f + 1, what, problem, s);
              g_array_free (vals, TRUE);
              return FALSE;
            }
          g_array_append_val (vals, v);
        }
      if (nc < 0)
        nc = count;
      else if (count != nc)
        {
          g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_RANGE,
                       "%s:%d: %s: expected %d columns like the first row, found %d", path, l + 1, what, nc,
                       count);
          g_array_free (vals, TRUE);
          return FALSE;
        }
      nr++;
    }
  if (nr == 0)
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_EMPTY, "%s: %s: no rows of numbers", path, what);
      g_array_free (vals, TRUE);
      return FALSE;
    }
  if ((cols == 0 && nr != nc) || (cols > 0 && nc != cols) || (rows > 0 && nr != rows))
    {
      int want_r = rows > 0 ? rows : (cols == 0 ? nc : nr);
      int want_c = cols > 0 ? cols : (cols == 0 && rows > 0 ? rows : nc);
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_RANGE,
                   "%s: %s: expected a %d x %d matrix%s, found %d rows of %d columns", path, what, want_r,
                   want_c, cols == 0 ? " (square)" : "", nr, nc);
      g_array_free (vals, TRUE);
      return FALSE;
    }
  *n_rows = nr;
  *n_cols = nc;
  *values = (double *) g_array_free (vals, FALSE);
  return TRUE;
}

gboolean
sw_connectome_read_labels (const char *path, int n, const char *size_source, char ***labels,
                           GError **error)
{
  *labels = NULL;
  g_autofree char *text = NULL;
  if (!read_text (path, &text, error))
    return FALSE;
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  int line_no = 0;
  const char *line = NULL;
  for (int l = 0; lines[l] != NULL; l++)
    {
      char *s = g_strstrip (lines[l]);
      if (s[0] == '\0' || s[0] == '#')
        continue;
      if (line != NULL)
        {
          g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_FORMAT,
                       "%s:%d: labels: expected one line of comma-separated names, found another line",
                       path, l + 1);
          return FALSE;
        }
      line = s;
      line_no = l + 1;
    }
  if (line == NULL)
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_EMPTY, "%s: labels: no names", path);
      return FALSE;
    }
  char **names = g_strsplit (line, ",", -1);
  int count = (int) g_strv_length (names);
  for (int k = 0; k < count; k++)
    {
      g_strstrip (names[k]);
      if (names[k][0] == '\0')
        {
          g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_VALUE,
                       "%s:%d:%d: labels: expected a name, found an empty field", path, line_no, k + 1);
          g_strfreev (names);
          return FALSE;
        }
      for (int q = 0; q < k; q++)
        if (strcmp (names[q], names[k]) == 0)
          {
            g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_DUPLICATE,
                         "%s:%d:%d: labels: '%s' is used twice (also field %d)", path, line_no, k + 1,
                         names[k], q + 1);
            g_strfreev (names);
            return FALSE;
          }
    }
  if (n > 0 && count != n)
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_RANGE,
                   "%s: labels: expected %d names (the size of %s), found %d", path, n, size_source, count);
      g_strfreev (names);
      return FALSE;
    }
  *labels = names;
  return TRUE;
}

static char **
number_labels (int n, const char *prefix)
{
  char **labels = g_new0 (char *, n + 1);
  for (int i = 0; i < n; i++)
    labels[i] = g_strdup_printf ("%s%d", prefix, i);
  return labels;
}

SwConnectome *
sw_connectome_load (const char *weights, const char *lengths, const char *distances,
                    const char *labels, const char *centroids, GError **error)
{
  g_autoptr (SwConnectome) net = g_new0 (SwConnectome, 1);
  int nr, nc;
  if (!sw_connectome_read_matrix (weights, "weights", 0, 0, FALSE, &net->weights, &nr, &nc, error))
    return NULL;
  int n = nr;
  net->n = n;
  net->source = g_strdup (weights);
  for (int i = 0; i < n; i++)
    if (net->weights[(size_t) i * n + i] != 0.0)
      {
        g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_VALUE,
                     "%s:%d:%d: weights: expected 0 on the diagonal (no self-connections), found %g",
                     weights, i + 1, i + 1, net->weights[(size_t) i * n + i]);
        return NULL;
      }
  const char *len_path = lengths != NULL ? lengths : distances;
  if (len_path != NULL)
    {
      if (!sw_connectome_read_matrix (len_path, lengths != NULL ? "lengths" : "distances", n, n, FALSE,
                                      &net->lengths_mm, &nr, &nc, error))
        return NULL;
      net->lengths_are_tracts = lengths != NULL;
    }
  if (centroids != NULL)
    {
      if (!sw_connectome_read_matrix (centroids, "centroids", n, 3, TRUE, &net->centroids_mm, &nr, &nc,
                                      error))
        return NULL;
      if (net->lengths_mm == NULL)
        {
          net->lengths_mm = g_new (double, (size_t) n * n);
          sw_mass_centroid_distances (net->centroids_mm, n, net->lengths_mm);
        }
    }
  if (labels != NULL)
    {
      if (!sw_connectome_read_labels (labels, n, weights, &net->labels, error))
        return NULL;
    }
  else
    net->labels = number_labels (n, "");
  return g_steal_pointer (&net);
}

SwConnectome *
sw_connectome_synthetic (int n, guint64 seed, GError **error)
{
  g_autoptr (SwConnectome) net = g_new0 (SwConnectome, 1);
  if (n < 4 || n > 4096)
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_RANGE,
                   "the synthetic network needs 4 to 4096 nodes, not %d", n);
      return NULL;
    }
  net->n = n;
  net->weights = g_new (double, (size_t) n * n);
  net->centroids_mm = g_new (double, (size_t) n * 3);
  SwError err;
  if (sw_mass_synthetic (n, seed, net->weights, net->centroids_mm, &err) != SW_OK)
    {
      g_set_error (error, SW_DOCUMENT_ERROR, SW_DOCUMENT_ERROR_INVALID, "%s", err.text);
      return NULL;
    }
  net->lengths_mm = g_new (double, (size_t) n * n);
  sw_mass_centroid_distances (net->centroids_mm, n, net->lengths_mm);
  net->labels = number_labels (n, "n");
  net->source = g_strdup ("synthetic");
  return g_steal_pointer (&net);
}

int
sw_connectome_find (const SwConnectome *net, const char *name)
{
  for (int i = 0; i < net->n; i++)
    if (strcmp (net->labels[i], name) == 0)
      return i;
  char *end = NULL;
  long v = strtol (name, &end, 10);
  if (end != name && *end == '\0' && v >= 0 && v < net->n)
    return (int) v;
  return -1;
}
