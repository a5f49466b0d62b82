/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SONATA and NWB spike files through libhdf5 (see sw-hdf5.h).
 */
#include "config.h"

#include "sw-hdf5.h"

#include "sw-atomic-file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#ifdef HAVE_HDF5
#include <hdf5.h>
#endif

G_DEFINE_QUARK (sw-hdf5-error-quark, sw_hdf5_error)

#define SONATA_MAGIC 0x0A7A
/* How deep events are looked for below /acquisition and /processing. */
#define MAX_DEPTH 8

static const char *const sorting_names[] = { "none", "by_id", "by_time" };

const char *
sw_sonata_sorting_name (SwSonataSorting s)
{
  return (int) s >= 0 && (gsize) s < G_N_ELEMENTS (sorting_names) ? sorting_names[s] : "none";
}

void
sw_sonata_free (SwSonataPopulation *pops, int n_pops)
{
  for (int p = 0; pops != NULL && p < n_pops; p++)
    {
      g_free (pops[p].name);
      g_free (pops[p].node_ids);
      g_free (pops[p].timestamps_ms);
    }
  g_free (pops);
}

void
sw_nwb_free (SwNwbFile *nwb)
{
  if (nwb == NULL)
    return;
  g_free (nwb->unit_ids);
  g_free (nwb->offsets);
  g_free (nwb->spike_times_s);
  g_free (nwb->trial_start_s);
  g_free (nwb->trial_stop_s);
  for (int k = 0; k < nwb->n_events; k++)
    {
      g_free (nwb->events[k].name);
      g_free (nwb->events[k].times_s);
    }
  g_free (nwb->events);
  g_free (nwb);
}

const SwNwbEvents *
sw_nwb_find_events (const SwNwbFile *nwb, const char *name)
{
  for (int k = 0; k < nwb->n_events; k++)
    if (strcmp (nwb->events[k].name, name) == 0)
      return &nwb->events[k];
  return NULL;
}

#ifndef HAVE_HDF5

static gboolean
unavailable (const char *path, GError **error)
{
  g_set_error (error, SW_HDF5_ERROR, SW_HDF5_ERROR_UNAVAILABLE,
               "%s: HDF5 files (SONATA, NWB) are unavailable: this build has no HDF5 (meson option hdf5)", path);
  return FALSE;
}

gboolean
sw_hdf5_available (void)
{
  return FALSE;
}

gboolean
sw_sonata_write (const char *path, const SwSonataPopulation *pops, int n_pops, GError **error)
{
  return unavailable (path, error);
}

SwSonataPopulation *
sw_sonata_read (const char *path, int *n_pops, GError **error)
{
  *n_pops = 0;
  unavailable (path, error);
  return NULL;
}

SwNwbFile *
sw_nwb_read (const char *path, GError **error)
{
  unavailable (path, error);
  return NULL;
}

#else

gboolean
sw_hdf5_available (void)
{
  return TRUE;
}

static void
quiet (void)
{
  /* Errors become GErrors; HDF5's own stack dumps stay off. */
  H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
}

static void
close_id (hid_t *id, herr_t (*close) (hid_t))
{
  if (*id >= 0)
    close (*id);
  *id = -1;
}

/* ------------------------------------------------------------------------ */
/* Writing                                                                   */

static gboolean
write_attr_u32 (hid_t loc, const char *name, const guint32 *v, hsize_t n)
{
  hid_t sp = n == 1 ? H5Screate (H5S_SCALAR) : H5Screate_simple (1, &n, NULL);
  hid_t a = H5Acreate2 (loc, name, H5T_STD_U32LE, sp, H5P_DEFAULT, H5P_DEFAULT);
  gboolean ok = a >= 0 && H5Awrite (a, H5T_NATIVE_UINT32, v) >= 0;
  close_id (&a, H5Aclose);
  close_id (&sp, H5Sclose);
  return ok;
}

static gboolean
write_attr_string (hid_t loc, const char *name, const char *value)
{
  hid_t st = H5Tcopy (H5T_C_S1);
  H5Tset_size (st, H5T_VARIABLE);
  H5Tset_cset (st, H5T_CSET_UTF8);
  hid_t sp = H5Screate (H5S_SCALAR);
  hid_t a = H5Acreate2 (loc, name, st, sp, H5P_DEFAULT, H5P_DEFAULT);
  gboolean ok = a >= 0 && H5Awrite (a, st, &value) >= 0;
  close_id (&a, H5Aclose);
  close_id (&sp, H5Sclose);
  close_id (&st, H5Tclose);
  return ok;
}

static hid_t
sorting_type (void)
{
  hid_t et = H5Tenum_create (H5T_NATIVE_UINT8);
  for (guint8 v = 0; v < G_N_ELEMENTS (sorting_names); v++)
    H5Tenum_insert (et, sorting_names[v], &v);
  return et;
}

static gboolean
write_dataset (hid_t loc, const char *name, hid_t file_type, hid_t mem_type, const void *data, hsize_t n,
               hid_t *out)
{
  hid_t sp = H5Screate_simple (1, &n, NULL);
  hid_t d = H5Dcreate2 (loc, name, file_type, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  gboolean ok = d >= 0 && (n == 0 || H5Dwrite (d, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0);
  close_id (&sp, H5Sclose);
  if (ok && out != NULL)
    *out = d;
  else
    close_id (&d, H5Dclose);
  return ok;
}

static gboolean
write_population (hid_t spikes, const SwSonataPopulation *p)
{
  hid_t g = H5Gcreate2 (spikes, p->name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (g < 0)
    return FALSE;
  hid_t et = sorting_type (), sp = H5Screate (H5S_SCALAR);
  hid_t a = H5Acreate2 (g, "sorting", et, sp, H5P_DEFAULT, H5P_DEFAULT);
  guint8 v = (guint8) p->sorting;
  gboolean ok = a >= 0 && H5Awrite (a, et, &v) >= 0;
  close_id (&a, H5Aclose);
  close_id (&sp, H5Sclose);
  close_id (&et, H5Tclose);
  hid_t ts = -1;
  ok = ok && write_dataset (g, "timestamps", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, p->timestamps_ms, p->n, &ts);
  ok = ok && write_attr_string (ts, "units", "ms");
  close_id (&ts, H5Dclose);
  ok = ok && write_dataset (g, "node_ids", H5T_STD_U64LE, H5T_NATIVE_UINT64, p->node_ids, p->n, NULL);
  close_id (&g, H5Gclose);
  return ok;
}

gboolean
sw_sonata_write (const char *path, const SwSonataPopulation *pops, int n_pops, GError **error)
{
  quiet ();
  for (int p = 0; p < n_pops; p++)
    if (pops[p].name == NULL || pops[p].name[0] == '\0' || strchr (pops[p].name, '/') != NULL
        || strcmp (pops[p].name, ".") == 0)
      {
        g_set_error (error, SW_HDF5_ERROR, SW_HDF5_ERROR_WRITE, "%s: '%s' cannot name a population in /spikes",
                     path, pops[p].name ? pops[p].name : "");
        return FALSE;
      }
  g_autofree char *tmp = NULL;
  g_autoptr (GError) local = NULL;
  int fd = sw_atomic_file_create (path, &tmp, &local);
  if (fd < 0)
    {
      g_set_error_literal (error, SW_HDF5_ERROR, SW_HDF5_ERROR_WRITE, local->message);
      return FALSE;
    }
  close (fd);
  hid_t f = H5Fcreate (tmp, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  gboolean ok = f >= 0;
  hid_t spikes = ok ? H5Gcreate2 (f, "spikes", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT) : -1;
  ok = ok && spikes >= 0;
  const guint32 magic = SONATA_MAGIC, version[2] = { 0, 1 };
  ok = ok && write_attr_u32 (spikes, "magic", &magic, 1) && write_attr_u32 (spikes, "version", version, 2);
  for (int p = 0; ok && p < n_pops; p++)
    ok = write_population (spikes, &pops[p]);
  close_id (&spikes, H5Gclose);
  if (f >= 0)
    {
      ok = H5Fflush (f, H5F_SCOPE_GLOBAL) >= 0 && ok;
      ok = H5Fclose (f) >= 0 && ok;
    }
  if (!sw_atomic_file_finish (tmp, path, ok, &local))
    {
      if (ok)
        g_set_error_literal (error, SW_HDF5_ERROR, SW_HDF5_ERROR_WRITE, local->message);
      else
        g_set_error (error, SW_HDF5_ERROR, SW_HDF5_ERROR_WRITE, "%s: writing the SONATA spike file failed",
                     path);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Reading                                                                   */

static hid_t
open_file (const char *path, GError **error)
{
  quiet ();
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, SW_HDF5_ERROR, SW_HDF5_ERROR_OPEN, "%s: no such file", path);
      return -1;
    }
  if (H5Fis_hdf5 (path) <= 0)
    {
      g_set_error (error, SW_HDF5_ERROR, SW_HDF5_ERROR_OPEN, "%s: not an HDF5 file (or not readable)", path);
      return -1;
    }
  hid_t f = H5Fopen (path, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0)
    g_set_error (error, SW_HDF5_ERROR, SW_HDF5_ERROR_OPEN, "%s: cannot open the HDF5 file", path);
  return f;
}

static gboolean
exists (hid_t loc, const char *name)
{
  /* H5Lexists checks one link at a time: walk the path. */
  g_auto (GStrv) parts = g_strsplit (name, "/", -1);
  g_autoptr (GString) sofar = g_string_new (name[0] == '/' ? "/" : "");
  for (int k = 0; parts[k] != NULL; k++)
    {
      if (parts[k][0] == '\0')
        continue;
      g_string_append (sofar, parts[k]);
      if (H5Lexists (loc, sofar->str, H5P_DEFAULT) <= 0)
        return FALSE;
      g_string_append_c (sofar, '/');
    }
  return TRUE;
}

/* Reads the 1-D numeric dataset @loc/@name into *@out (@mem_type, @elem
 * bytes each). */
static gboolean
read_1d (hid_t loc, const char *name, hid_t mem_type, gsize elem, void **out, gsize *n, const char *file,
         const char *where, GError **error)
{
  *out = NULL;
  *n = 0;
  if (!exists (loc, name))
    {
      g_set_error (error, SW_HDF5_ERROR, SW_HDF5_ERROR_FORMAT, "%s: %s/%s: missing", file, where, name);
      return FALSE;
    }
  hid_t d = H5Dopen2 (loc, name, H5P_DEFAULT);
  if (d < 0)
    {
      g_set_error (error, SW_HDF5_ERROR, SW_HDF5_ERROR_FORMAT, "%s: %s/%s: not a dataset", file, where, name);
      return FALSE;
    }
  hid_t sp = H5Dget_space (d), t = H5Dget_type (d);
  H5T_class_t cls = H5Tget_class (t);
  int rank = H5Sget_simple_extent_ndims (sp);
  hsize_t dims[1] = { 0 };
  gboolean ok = rank == 1 && (cls == H5T_INTEGER || cls == H5T_FLOAT);
  if (!ok)
    g_set_error (error, SW_HDF5_ERROR, SW_HDF5_ERROR_FORMAT, "%s: %s/%s: expected a 1-D array of numbers", file,
                 where, name);
  else
    {
      H5Sget_simple_extent_dims (sp, dims, NULL);
      *n = dims[0];
      *out = g_malloc (MAX (*n, 1) * elem);
      if (*n > 0 && H5Dread (d, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, *out) < 0)
        {
          g_set_error (error, SW_HDF5_ERROR, SW_HDF5_ERROR_FORMAT, "%s: %s/%s: cannot read the values", file, where,
                       name);
          g_clear_pointer (out, g_free);
          *n = 0;
          ok = FALSE;
        }
    }
  close_id (&t, H5Tclose);
  close_id (&sp, H5Sclose);
  close_id (&d, H5Dclose);
  return ok;
}

static gboolean
read_doubles (hid_t loc, const char *name, double **out, gsize *n, const char *file, const char *where,
              GError **error)
{
  return read_1d (loc, name, H5T_NATIVE_DOUBLE, sizeof (double), (void **) out, n, file, where, error);
}

/* The sorting attribute: an enum or a string; NONE when absent or
 * unknown. */
static SwSonataSorting
read_sorting (hid_t g)
{
  if (H5Aexists (g, "sorting") <= 0)
    return SW_SONATA_SORT_NONE;
  hid_t a = H5Aopen (g, "sorting", H5P_DEFAULT);
  hid_t t = H5Aget_type (a);
  char name[32] = "";
  H5T_class_t cls = H5Tget_class (t);
  if (cls == H5T_ENUM)
    {
      hid_t native = H5Tget_native_type (t, H5T_DIR_ASCEND);
      guint64 raw = 0;
      if (H5Tget_size (native) <= sizeof raw && H5Aread (a, native, &raw) >= 0)
        {
          if (H5Tenum_nameof (native, &raw, name, sizeof name) < 0)
            name[0] = '\0';
        }
      close_id (&native, H5Tclose);
    }
  else if (cls == H5T_STRING && H5Tis_variable_str (t) > 0)
    {
      hid_t st = H5Tcopy (H5T_C_S1);
      H5Tset_size (st, H5T_VARIABLE);
      H5Tset_cset (st, H5Tget_cset (t));
      char *s = NULL;
      if (H5Aread (a, st, &s) >= 0 && s != NULL)
        {
          g_strlcpy (name, s, sizeof name);
          H5free_memory (s);
        }
      close_id (&st, H5Tclose);
    }
  else if (cls == H5T_STRING && H5Tget_size (t) < sizeof name)
    {
      if (H5Aread (a, t, name) < 0)
        name[0] = '\0';
      name[sizeof name - 1] = '\0';
    }
  close_id (&t, H5Tclose);
  close_id (&a, H5Aclose);
  g_strstrip (name);
  for (gsize k = 0; k < G_N_ELEMENTS (sorting_names); k++)
    if (strcmp (name, sorting_names[k]) == 0)
      return (SwSonataSorting) k;
  return SW_SONATA_SORT_NONE;
}

static herr_t
collect_name (hid_t loc, const char *name, const H5L_info_t *info, void *data)
{
  g_ptr_array_add (data, g_strdup (name));
  return 0;
}

/* The names of the links of group @g, in name order. */
static GPtrArray *
child_names (hid_t g)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  hsize_t idx = 0;
  H5Literate (g, H5_INDEX_NAME, H5_ITER_INC, &idx, collect_name, names);
  return names;
}

static H5I_type_t
object_type (hid_t loc, const char *name)
{
  hid_t o = H5Oopen (loc, name, H5P_DEFAULT);
  if (o < 0)
    return H5I_BADID;
  H5I_type_t t = H5Iget_type (o);
  H5Oclose (o);
  return t;
}

SwSonataPopulation *
sw_sonata_read (const char *path, int *n_pops, GError **error)
{
  *n_pops = 0;
  hid_t f = open_file (path, error);
  if (f < 0)
    return NULL;
  SwSonataPopulation *pops = NULL;
  int np = 0;
  if (!exists (f, "/spikes") || object_type (f, "/spikes") != H5I_GROUP)
    {
      g_set_error (error, SW_HDF5_ERROR, SW_HDF5_ERROR_FORMAT, "%s: /spikes: missing (not a SONATA spike file)", path);
      H5Fclose (f);
      return NULL;
    }
  hid_t spikes = H5Gopen2 (f, "/spikes", H5P_DEFAULT);
  GPtrArray *names = child_names (spikes);
  pops = g_new0 (SwSonataPopulation, MAX (names->len, 1));
  gboolean ok = TRUE;
  for (guint k = 0; k < names->len && ok; k++)
    {
      const char *name = g_ptr_array_index (names, k);
      if (object_type (spikes, name) != H5I_GROUP)
        continue;
      g_autofree char *where = g_strdup_printf ("/spikes/%s", name);
      hid_t g = H5Gopen2 (spikes, name, H5P_DEFAULT);
      SwSonataPopulation *p = &pops[np];
      gsize nt = 0, ni = 0;
      p->name = g_strdup (name);
      p->sorting = read_sorting (g);
      ok = read_doubles (g, "timestamps", &p->timestamps_ms, &nt, path, where, error)
           && read_1d (g, "node_ids", H5T_NATIVE_UINT64, sizeof (guint64), (void **) &p->node_ids, &ni, path, where,
                       error);
      if (ok && nt != ni)
        {
          g_set_error (error, SW_HDF5_ERROR, SW_HDF5_ERROR_FORMAT,
                       "%s: %s: %" G_GSIZE_FORMAT " timestamps but %" G_GSIZE_FORMAT " node_ids", path, where, nt, ni);
          ok = FALSE;
        }
      p->n = nt;
      np++;
      H5Gclose (g);
    }
  g_ptr_array_unref (names);
  H5Gclose (spikes);
  H5Fclose (f);
  if (!ok)
    {
      sw_sonata_free (pops, np);
      return NULL;
    }
  *n_pops = np;
  return pops;
}

/* ------------------------------------------------------------------------ */
/* NWB                                                                       */

static void
add_events (GArray *events, const char *name, double *times, gsize n)
{
  SwNwbEvents ev = { g_strdup (name), n, times };
  g_array_append_val (events, ev);
}

/* TimeSeries with timestamps at any depth below @g (path @where). */
static void
find_timestamps (hid_t g, const char *where, int depth, GArray *events)
{
  if (depth > MAX_DEPTH)
    return;
  GPtrArray *names = child_names (g);
  for (guint k = 0; k < names->len; k++)
    {
      const char *name = g_ptr_array_index (names, k);
      if (object_type (g, name) != H5I_GROUP)
        continue;
      g_autofree char *path = g_strdup_printf ("%s/%s", where, name);
      hid_t c = H5Gopen2 (g, name, H5P_DEFAULT);
      if (c < 0)
        continue;
      if (H5Lexists (c, "timestamps", H5P_DEFAULT) > 0 && object_type (c, "timestamps") == H5I_DATASET)
        {
          double *t = NULL;
          gsize n = 0;
          g_autoptr (GError) ignored = NULL;
          /* A TimeSeries whose timestamps are not a 1-D array of numbers is
           * not an event list; leave it out. */
          if (read_doubles (c, "timestamps", &t, &n, "", path, &ignored))
            add_events (events, path, t, n);
        }
      find_timestamps (c, path, depth + 1, events);
      H5Gclose (c);
    }
  g_ptr_array_unref (names);
}

SwNwbFile *
sw_nwb_read (const char *path, GError **error)
{
  hid_t f = open_file (path, error);
  if (f < 0)
    return NULL;
  SwNwbFile *nwb = g_new0 (SwNwbFile, 1);
  gboolean ok = TRUE;
  hid_t units = -1;
  if (!exists (f, "/units") || object_type (f, "/units") != H5I_GROUP)
    {
      g_set_error (error, SW_HDF5_ERROR, SW_HDF5_ERROR_FORMAT, "%s: /units: missing (an NWB file without units)",
                   path);
      ok = FALSE;
    }
  else if (!exists (f, "/units/spike_times"))
    {
      g_set_error (error, SW_HDF5_ERROR, SW_HDF5_ERROR_FORMAT, "%s: /units/spike_times: missing (units without spikes)",
                   path);
      ok = FALSE;
    }
  gsize n_spikes = 0;
  if (ok)
    {
      units = H5Gopen2 (f, "/units", H5P_DEFAULT);
      ok = read_doubles (units, "spike_times", &nwb->spike_times_s, &n_spikes, path, "/units", error);
    }
  gsize n_ids = 0, n_index = 0;
  guint64 *index = NULL;
  if (ok && exists (units, "id"))
    ok = read_1d (units, "id", H5T_NATIVE_INT64, sizeof (gint64), (void **) &nwb->unit_ids, &n_ids, path, "/units",
                  error);
  if (ok && exists (units, "spike_times_index"))
    {
      ok = read_1d (units, "spike_times_index", H5T_NATIVE_UINT64, sizeof (guint64), (void **) &index, &n_index, path,
                    "/units", error);
      if (ok && nwb->unit_ids != NULL && n_ids != n_index)
        {
          g_set_error (error, SW_HDF5_ERROR, SW_HDF5_ERROR_FORMAT,
                       "%s: /units: %" G_GSIZE_FORMAT " ids but %" G_GSIZE_FORMAT " entries in spike_times_index", path,
                       n_ids, n_index);
          ok = FALSE;
        }
      for (gsize u = 0; ok && u < n_index; u++)
        if (index[u] > n_spikes || (u > 0 && index[u] < index[u - 1]))
          {
            g_set_error (error, SW_HDF5_ERROR, SW_HDF5_ERROR_FORMAT,
                         "%s: /units/spike_times_index[%" G_GSIZE_FORMAT "] = %" G_GUINT64_FORMAT
                         ": expected non-decreasing end offsets up to the %" G_GSIZE_FORMAT " spike times",
                         path, u, index[u], n_spikes);
            ok = FALSE;
          }
      if (ok && n_index > 0 && index[n_index - 1] != n_spikes)
        {
          g_set_error (error, SW_HDF5_ERROR, SW_HDF5_ERROR_FORMAT,
                       "%s: /units/spike_times_index ends at %" G_GUINT64_FORMAT " but there are %" G_GSIZE_FORMAT
                       " spike times",
                       path, index[n_index - 1], n_spikes);
          ok = FALSE;
        }
    }
  else if (ok)
    {
      /* No index: one unit owns every spike. */
      if (n_ids > 1)
        {
          g_set_error (error, SW_HDF5_ERROR, SW_HDF5_ERROR_FORMAT,
                       "%s: /units/spike_times_index: missing, and %" G_GSIZE_FORMAT " units share the spike times",
                       path, n_ids);
          ok = FALSE;
        }
      n_index = 1;
      index = g_new (guint64, 1);
      index[0] = n_spikes;
    }
  if (ok)
    {
      nwb->n_units = (int) n_index;
      nwb->offsets = g_new (gsize, n_index + 1);
      nwb->offsets[0] = 0;
      for (gsize u = 0; u < n_index; u++)
        nwb->offsets[u + 1] = index[u];
      if (nwb->unit_ids == NULL)
        {
          nwb->unit_ids = g_new (gint64, MAX (n_index, 1));
          for (gsize u = 0; u < n_index; u++)
            nwb->unit_ids[u] = (gint64) u;
        }
    }
  g_free (index);
  close_id (&units, H5Gclose);

  /* Trials. */
  if (ok && exists (f, "/intervals/trials"))
    {
      hid_t tr = H5Gopen2 (f, "/intervals/trials", H5P_DEFAULT);
      gsize ns = 0, ne = 0;
      ok = read_doubles (tr, "start_time", &nwb->trial_start_s, &ns, path, "/intervals/trials", error)
           && read_doubles (tr, "stop_time", &nwb->trial_stop_s, &ne, path, "/intervals/trials", error);
      if (ok && ns != ne)
        {
          g_set_error (error, SW_HDF5_ERROR, SW_HDF5_ERROR_FORMAT,
                       "%s: /intervals/trials: %" G_GSIZE_FORMAT " start times but %" G_GSIZE_FORMAT " stop times",
                       path, ns, ne);
          ok = FALSE;
        }
      nwb->n_trials = (int) ns;
      H5Gclose (tr);
    }

  /* Events. */
  GArray *events = g_array_new (FALSE, FALSE, sizeof (SwNwbEvents));
  if (ok && exists (f, "/intervals"))
    {
      hid_t iv = H5Gopen2 (f, "/intervals", H5P_DEFAULT);
      GPtrArray *names = child_names (iv);
      for (guint k = 0; k < names->len; k++)
        {
          const char *name = g_ptr_array_index (names, k);
          if (object_type (iv, name) != H5I_GROUP)
            continue;
          hid_t t = H5Gopen2 (iv, name, H5P_DEFAULT);
          double *st = NULL;
          gsize n = 0;
          g_autoptr (GError) ignored = NULL;
          g_autofree char *ev = g_strdup_printf ("intervals/%s", name);
          if (H5Lexists (t, "start_time", H5P_DEFAULT) > 0
              && read_doubles (t, "start_time", &st, &n, path, ev, &ignored))
            add_events (events, ev, st, n);
          H5Gclose (t);
        }
      g_ptr_array_unref (names);
      H5Gclose (iv);
    }
  static const char *const roots[] = { "acquisition", "processing" };
  for (gsize r = 0; ok && r < G_N_ELEMENTS (roots); r++)
    if (H5Lexists (f, roots[r], H5P_DEFAULT) > 0 && object_type (f, roots[r]) == H5I_GROUP)
      {
        hid_t g = H5Gopen2 (f, roots[r], H5P_DEFAULT);
        find_timestamps (g, roots[r], 0, events);
        H5Gclose (g);
      }
  nwb->n_events = (int) events->len;
  nwb->events = (SwNwbEvents *) g_array_free (events, FALSE);
  H5Fclose (f);
  if (!ok)
    {
      sw_nwb_free (nwb);
      return NULL;
    }
  return nwb;
}

#endif
