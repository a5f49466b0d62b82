/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Spike files through HDF5: SONATA written and read back (through the
 * model layer and through `spikeworks-cli run --spikes FILE.h5`), NWB
 * files built here with libhdf5 in the shape NWB 2.x gives them and read
 * back (units, spike times, trials, events, a PSTH), and the error paths.
 * Without HDF5 in the build, the commands must say so (exit 2).
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "../sw-test-cli.h"

#include "sw-hdf5.h"

#ifdef HAVE_HDF5
#include <hdf5.h>
#endif

static char *tmpdir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

#define SMALL_BRUNEL                                                                                      \
  "--set", "EE.k=100", "--set", "EI.k=100", "--set", "IE.k=25", "--set", "II.k=25", "--set", "E.n=400",   \
    "--set", "I.n=100", "--duration", "0.2s", "--warmup", "0.05s", "--seed", "3"

#ifdef HAVE_HDF5

/* Files in the temporary folder whose name starts with @prefix. */
static int
count_files (const char *prefix)
{
  g_autoptr (GDir) dir = g_dir_open (tmpdir, 0, NULL);
  int n = 0;
  for (const char *name; dir != NULL && (name = g_dir_read_name (dir)) != NULL;)
    n += g_str_has_prefix (name, prefix);
  return n;
}

/* ------------------------------------------------------------------------ */
/* SONATA                                                                    */

static void
test_sonata_roundtrip (void)
{
  g_autofree char *path = tmp_path ("round.h5");
  /* Times that are not exact in decimal: they must come back bit for
   * bit. */
  double te[5] = { 0.1, 0.1 * 3, 1.0 / 3.0, 12.3456789012345, 1e9 + 0.5 };
  guint64 ie[5] = { 4, 0, 7, G_GUINT64_CONSTANT (18446744073709551615), 2 };
  double ti[2] = { 5.5, 2.25 };
  guint64 ii[2] = { 1, 0 };
  SwSonataPopulation pops[3] = {
    { "E", SW_SONATA_SORT_BY_TIME, 5, ie, te },
    { "I", SW_SONATA_SORT_BY_ID, 2, ii, ti },
    { "empty", SW_SONATA_SORT_NONE, 0, NULL, NULL },
  };
  g_autoptr (GError) error = NULL;
  g_assert_true (sw_sonata_write (path, pops, 3, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_files ("round.h5"), ==, 1);   /* no temporary file left */

  int n = 0;
  SwSonataPopulation *back = sw_sonata_read (path, &n, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 3);
  /* Populations come back in name order: E, I, empty. */
  for (int p = 0; p < 3; p++)
    {
      g_assert_cmpstr (back[p].name, ==, pops[p].name);
      g_assert_cmpint (back[p].sorting, ==, pops[p].sorting);
      g_assert_cmpuint (back[p].n, ==, pops[p].n);
      for (gsize k = 0; k < pops[p].n; k++)
        {
          g_assert_true (memcmp (&back[p].timestamps_ms[k], &pops[p].timestamps_ms[k], sizeof (double)) == 0);
          g_assert_true (back[p].node_ids[k] == pops[p].node_ids[k]);
        }
    }
  sw_sonata_free (back, n);

  /* The layout itself: the units attribute and the magic number. */
  hid_t f = H5Fopen (path, H5F_ACC_RDONLY, H5P_DEFAULT);
  g_assert_cmpint (f, >=, 0);
  hid_t d = H5Dopen2 (f, "/spikes/E/timestamps", H5P_DEFAULT);
  hid_t a = H5Aopen (d, "units", H5P_DEFAULT);
  hid_t st = H5Tcopy (H5T_C_S1);
  H5Tset_size (st, H5T_VARIABLE);
  H5Tset_cset (st, H5T_CSET_UTF8);
  char *units = NULL;
  g_assert_cmpint (H5Aread (a, st, &units), >=, 0);
  g_assert_cmpstr (units, ==, "ms");
  H5free_memory (units);
  H5Tclose (st);
  H5Aclose (a);
  H5Dclose (d);
  hid_t g = H5Gopen2 (f, "/spikes", H5P_DEFAULT);
  a = H5Aopen (g, "magic", H5P_DEFAULT);
  guint32 magic = 0;
  H5Aread (a, H5T_NATIVE_UINT32, &magic);
  g_assert_cmpuint (magic, ==, 0x0A7A);
  H5Aclose (a);
  H5Gclose (g);
  H5Fclose (f);

  /* A population name that cannot be a group is refused and leaves
   * nothing. */
  SwSonataPopulation bad = { "a/b", SW_SONATA_SORT_NONE, 0, NULL, NULL };
  g_autofree char *bad_path = tmp_path ("bad-pop.h5");
  g_assert_false (sw_sonata_write (bad_path, &bad, 1, &error));
  g_assert_error (error, SW_HDF5_ERROR, SW_HDF5_ERROR_WRITE);
  g_assert_cmpint (count_files ("bad-pop.h5"), ==, 0);
}

/* Spikes of `run --spikes FILE.h5` against those of `--spikes FILE.csv`
 * for the same seed. */
static void
test_sonata_run (void)
{
  g_autofree char *h5 = tmp_path ("run.h5"), *csv = tmp_path ("run.csv");
  SwTestResult r = sw_test_run_cli ("run", "preset:brunel-a", SMALL_BRUNEL, "--spikes", h5, NULL);
  g_assert_cmpint (r.status, ==, 0);
  sw_test_result_clear (&r);
  r = sw_test_run_cli ("run", "preset:brunel-a", SMALL_BRUNEL, "--spikes", csv, NULL);
  g_assert_cmpint (r.status, ==, 0);
  sw_test_result_clear (&r);

  g_autoptr (GError) error = NULL;
  int n = 0;
  SwSonataPopulation *pops = sw_sonata_read (h5, &n, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 2);
  g_assert_cmpstr (pops[0].name, ==, "E");
  g_assert_cmpstr (pops[1].name, ==, "I");
  char *text = NULL;
  g_file_get_contents (csv, &text, NULL, &error);
  g_assert_no_error (error);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_free (text);
  gsize k[2] = { 0, 0 };
  for (int l = 1; lines[l] != NULL && lines[l][0] != '\0'; l++)
    {
      g_auto (GStrv) f = g_strsplit (lines[l], ",", -1);
      int p = strcmp (f[0], "E") == 0 ? 0 : 1;
      g_assert_cmpuint (k[p], <, pops[p].n);
      g_assert_cmpuint (pops[p].node_ids[k[p]], ==, g_ascii_strtoull (f[1], NULL, 10));
      /* The CSV has 4 decimals; the SONATA time is the exact step time. */
      double t = pops[p].timestamps_ms[k[p]];
      g_assert_cmpfloat (fabs (t - g_ascii_strtod (f[2], NULL)), <, 5.1e-5);
      g_assert_cmpfloat (fabs (t / 0.1 - round (t / 0.1)), <, 1e-6);
      k[p]++;
    }
  for (int p = 0; p < 2; p++)
    {
      g_assert_cmpuint (k[p], ==, pops[p].n);
      g_assert_cmpuint (pops[p].n, >, 100);
      g_assert_cmpint (pops[p].sorting, ==, SW_SONATA_SORT_BY_TIME);
      for (gsize j = 1; j < pops[p].n; j++)
        g_assert_cmpfloat (pops[p].timestamps_ms[j], >=, pops[p].timestamps_ms[j - 1]);
    }
  sw_sonata_free (pops, n);

  /* Nowhere to write: exit 2, nothing left behind. */
  r = sw_test_run_cli ("run", "preset:brunel-a", SMALL_BRUNEL, "--spikes", "/nonexistent-folder/run.h5", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "/nonexistent-folder/run.h5"));
  sw_test_result_clear (&r);
}

static void
test_sonata_read_errors (void)
{
  g_autoptr (GError) error = NULL;
  int n = -1;
  g_autofree char *missing = tmp_path ("missing.h5");
  g_assert_null (sw_sonata_read (missing, &n, &error));
  g_assert_error (error, SW_HDF5_ERROR, SW_HDF5_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);
  /* An HDF5 file without /spikes. */
  g_autofree char *other = tmp_path ("other.h5");
  hid_t f = H5Fcreate (other, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  H5Fclose (f);
  g_assert_null (sw_sonata_read (other, &n, &error));
  g_assert_error (error, SW_HDF5_ERROR, SW_HDF5_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "/spikes"));
  g_clear_error (&error);

  /* Other writers store the sorting as a string: it is read too; a
   * population with node_ids missing is refused, naming the path. */
  g_autofree char *str = tmp_path ("string-sorting.h5");
  f = H5Fcreate (str, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  hid_t lcpl = H5Pcreate (H5P_LINK_CREATE);
  H5Pset_create_intermediate_group (lcpl, 1);
  hid_t g = H5Gcreate2 (f, "/spikes/pop", lcpl, H5P_DEFAULT, H5P_DEFAULT);
  hid_t st = H5Tcopy (H5T_C_S1);
  H5Tset_size (st, H5T_VARIABLE);
  hid_t sp = H5Screate (H5S_SCALAR);
  hid_t a = H5Acreate2 (g, "sorting", st, sp, H5P_DEFAULT, H5P_DEFAULT);
  const char *by_id = "by_id";
  H5Awrite (a, st, &by_id);
  H5Aclose (a);
  H5Sclose (sp);
  H5Tclose (st);
  hsize_t two = 2;
  const double t[2] = { 1.0, 2.0 };
  sp = H5Screate_simple (1, &two, NULL);
  hid_t d = H5Dcreate2 (g, "timestamps", H5T_IEEE_F64LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Dwrite (d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, t);
  H5Dclose (d);
  H5Sclose (sp);
  H5Gclose (g);
  H5Pclose (lcpl);
  H5Fclose (f);
  g_assert_null (sw_sonata_read (str, &n, &error));
  g_assert_error (error, SW_HDF5_ERROR, SW_HDF5_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "/spikes/pop/node_ids"));
  g_clear_error (&error);
  f = H5Fopen (str, H5F_ACC_RDWR, H5P_DEFAULT);
  const guint64 ids[2] = { 1, 0 };
  sp = H5Screate_simple (1, &two, NULL);
  d = H5Dcreate2 (f, "/spikes/pop/node_ids", H5T_STD_U64LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Dwrite (d, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, ids);
  H5Dclose (d);
  H5Sclose (sp);
  H5Fclose (f);
  SwSonataPopulation *pops = sw_sonata_read (str, &n, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 1);
  g_assert_cmpint (pops[0].sorting, ==, SW_SONATA_SORT_BY_ID);
  g_assert_cmpuint (pops[0].n, ==, 2);
  g_assert_cmpuint (pops[0].node_ids[0], ==, 1);
  sw_sonata_free (pops, n);
}

/* ------------------------------------------------------------------------ */
/* NWB                                                                       */

static void
put (hid_t f, const char *path, hid_t type, const void *data, hsize_t n)
{
  hid_t lcpl = H5Pcreate (H5P_LINK_CREATE);
  H5Pset_create_intermediate_group (lcpl, 1);
  hid_t sp = H5Screate_simple (1, &n, NULL);
  hid_t file_type = type == H5T_NATIVE_DOUBLE ? H5T_IEEE_F64LE : type == H5T_NATIVE_INT64 ? H5T_STD_I64LE
                                                                                          : H5T_STD_U64LE;
  hid_t d = H5Dcreate2 (f, path, file_type, sp, lcpl, H5P_DEFAULT, H5P_DEFAULT);
  g_assert_cmpint (d, >=, 0);
  if (n > 0)
    g_assert_cmpint (H5Dwrite (d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), >=, 0);
  H5Dclose (d);
  H5Sclose (sp);
  H5Pclose (lcpl);
}

/* Three units (ids 3, 5, 9) with 2, 0 and 3 spikes. */
static const gint64 unit_ids[3] = { 3, 5, 9 };
static const double spike_times[5] = { 0.5, 1.25, 0.75, 1.0 / 3.0, 2.0625 };
static const guint64 spike_index[3] = { 2, 2, 5 };
static const double trial_start[3] = { 0.0, 1.0, 2.0 }, trial_stop[3] = { 0.9, 1.9, 2.9 };
static const double stim[4] = { 0.45, 0.7, 1.2, 2.0 };
static const double licks[2] = { 0.1, 3.5 };

static char *
make_nwb (const char *name, gboolean with_units, gboolean bad_index)
{
  char *path = tmp_path (name);
  hid_t f = H5Fcreate (path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  g_assert_cmpint (f, >=, 0);
  if (with_units)
    {
      put (f, "/units/id", H5T_NATIVE_INT64, unit_ids, 3);
      put (f, "/units/spike_times", H5T_NATIVE_DOUBLE, spike_times, 5);
      guint64 idx[3] = { 2, 2, bad_index ? 4 : 5 };
      put (f, "/units/spike_times_index", H5T_NATIVE_UINT64, idx, 3);
    }
  put (f, "/intervals/trials/start_time", H5T_NATIVE_DOUBLE, trial_start, 3);
  put (f, "/intervals/trials/stop_time", H5T_NATIVE_DOUBLE, trial_stop, 3);
  put (f, "/acquisition/stim/timestamps", H5T_NATIVE_DOUBLE, stim, 4);
  put (f, "/acquisition/stim/data", H5T_NATIVE_DOUBLE, stim, 4);
  /* A sampled series (no timestamps) is not an event list. */
  put (f, "/acquisition/lfp/data", H5T_NATIVE_DOUBLE, stim, 4);
  put (f, "/processing/behavior/licks/timestamps", H5T_NATIVE_DOUBLE, licks, 2);
  H5Fclose (f);
  return path;
}

static void
test_nwb_read (void)
{
  g_autofree char *path = make_nwb ("good.nwb", TRUE, FALSE);
  g_autoptr (GError) error = NULL;
  SwNwbFile *nwb = sw_nwb_read (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (nwb->n_units, ==, 3);
  for (int u = 0; u < 3; u++)
    {
      g_assert_cmpint (nwb->unit_ids[u], ==, unit_ids[u]);
      g_assert_cmpuint (nwb->offsets[u + 1], ==, spike_index[u]);
    }
  g_assert_cmpuint (nwb->offsets[0], ==, 0);
  for (int k = 0; k < 5; k++)
    g_assert_true (memcmp (&nwb->spike_times_s[k], &spike_times[k], sizeof (double)) == 0);
  g_assert_cmpint (nwb->n_trials, ==, 3);
  for (int k = 0; k < 3; k++)
    {
      g_assert_cmpfloat (nwb->trial_start_s[k], ==, trial_start[k]);
      g_assert_cmpfloat (nwb->trial_stop_s[k], ==, trial_stop[k]);
    }
  g_assert_cmpint (nwb->n_events, ==, 3);
  const SwNwbEvents *ev = sw_nwb_find_events (nwb, "acquisition/stim");
  g_assert_nonnull (ev);
  g_assert_cmpuint (ev->n, ==, 4);
  for (int k = 0; k < 4; k++)
    g_assert_cmpfloat (ev->times_s[k], ==, stim[k]);
  ev = sw_nwb_find_events (nwb, "processing/behavior/licks");
  g_assert_nonnull (ev);
  g_assert_cmpuint (ev->n, ==, 2);
  g_assert_cmpfloat (ev->times_s[1], ==, 3.5);
  ev = sw_nwb_find_events (nwb, "intervals/trials");
  g_assert_nonnull (ev);
  g_assert_cmpuint (ev->n, ==, 3);
  g_assert_null (sw_nwb_find_events (nwb, "acquisition/lfp"));
  sw_nwb_free (nwb);
}

static void
test_nwb_cli (void)
{
  g_autofree char *path = make_nwb ("cli.nwb", TRUE, FALSE), *psth = tmp_path ("psth.csv");
  SwTestResult r = sw_test_run_cli ("nwb", path, "--event", "acquisition/stim", "--psth", psth, "--bin", "50ms",
                                    "--before", "200ms", "--after", "400ms", NULL);
  if (r.status != 0)
    g_printerr ("%s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  json_parser_load_from_data (parser, r.out, -1, &error);
  g_assert_no_error (error);
  JsonObject *o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (o, "units"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "spikes"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (o, "trials"), ==, 3);
  JsonArray *events = json_object_get_array_member (o, "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 3);
  JsonObject *p = json_object_get_object_member (o, "psth");
  g_assert_cmpint (json_object_get_int_member (p, "n_events"), ==, 4);
  sw_test_result_clear (&r);

  /* The PSTH against a direct count: spikes of all units in [e - 200 ms,
   * e + 400 ms) in 50 ms bins. */
  guint64 expect[12] = { 0 };
  for (int e = 0; e < 4; e++)
    for (int k = 0; k < 5; k++)
      {
        double rel = spike_times[k] * 1000.0 - (stim[e] * 1000.0 - 200.0);
        if (rel >= 0 && rel < 600.0)
          expect[(int) floor (rel / 50.0)]++;
      }
  char *text = NULL;
  g_file_get_contents (psth, &text, NULL, &error);
  g_assert_no_error (error);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_free (text);
  g_assert_cmpstr (lines[0], ==, "t_ms,count,rate_hz");
  guint64 total = 0;
  for (int j = 0; j < 12; j++)
    {
      g_auto (GStrv) f = g_strsplit (lines[j + 1], ",", -1);
      g_assert_cmpfloat (g_ascii_strtod (f[0], NULL), ==, -200.0 + 50.0 * j);
      g_assert_cmpuint (g_ascii_strtoull (f[1], NULL, 10), ==, expect[j]);
      /* Rate per unit and event: count / (4 events x 3 units x 0.05 s). */
      g_assert_cmpfloat (fabs (g_ascii_strtod (f[2], NULL) - expect[j] / (4 * 3 * 0.05)), <, 1e-9);
      total += expect[j];
    }
  g_assert_cmpuint (total, >, 3);
  g_assert_cmpstr (lines[13], ==, "");
}

static void
test_nwb_errors (void)
{
  g_autofree char *missing = tmp_path ("missing.nwb");
  SwTestResult r = sw_test_run_cli ("nwb", missing, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, missing));
  g_assert_nonnull (strstr (r.err, "no such file"));
  sw_test_result_clear (&r);

  g_autofree char *text = tmp_path ("text.nwb");
  g_file_set_contents (text, "{\"not\": \"hdf5\"}\n", -1, NULL);
  r = sw_test_run_cli ("nwb", text, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "not an HDF5 file"));
  sw_test_result_clear (&r);

  g_autofree char *no_units = make_nwb ("no-units.nwb", FALSE, FALSE);
  r = sw_test_run_cli ("nwb", no_units, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, no_units));
  g_assert_nonnull (strstr (r.err, "/units"));
  sw_test_result_clear (&r);

  g_autofree char *bad = make_nwb ("bad-index.nwb", TRUE, TRUE);
  r = sw_test_run_cli ("nwb", bad, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "/units/spike_times_index"));
  sw_test_result_clear (&r);

  g_autofree char *good = make_nwb ("good2.nwb", TRUE, FALSE);
  r = sw_test_run_cli ("nwb", good, "--event", "acquisition/stimm", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "did you mean 'acquisition/stim'"));
  sw_test_result_clear (&r);

  /* The PSTH file is not written when the command fails. */
  g_autofree char *psth = tmp_path ("never.csv");
  r = sw_test_run_cli ("nwb", no_units, "--event", "acquisition/stim", "--psth", psth, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_false (g_file_test (psth, G_FILE_TEST_EXISTS));
  sw_test_result_clear (&r);
}

#else

static void
test_unavailable (void)
{
  g_assert_false (sw_hdf5_available ());
  g_autofree char *h5 = tmp_path ("run.h5");
  SwTestResult r = sw_test_run_cli ("run", "preset:brunel-a", SMALL_BRUNEL, "--spikes", h5, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "no HDF5"));
  g_assert_false (g_file_test (h5, G_FILE_TEST_EXISTS));
  sw_test_result_clear (&r);
  r = sw_test_run_cli ("nwb", h5, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "unavailable"));
  sw_test_result_clear (&r);
}

#endif

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_autoptr (GError) error = NULL;
  tmpdir = g_dir_make_tmp (NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_getenv ("SPIKEWORKS_CLI"));
#ifdef HAVE_HDF5
  g_test_add_func ("/interop/sonata/roundtrip", test_sonata_roundtrip);
  g_test_add_func ("/interop/sonata/run", test_sonata_run);
  g_test_add_func ("/interop/sonata/read-errors", test_sonata_read_errors);
  g_test_add_func ("/interop/nwb/read", test_nwb_read);
  g_test_add_func ("/interop/nwb/cli", test_nwb_cli);
  g_test_add_func ("/interop/nwb/errors", test_nwb_errors);
#else
  g_test_add_func ("/interop/hdf5/unavailable", test_unavailable);
#endif
  int status = g_test_run ();
  sw_test_remove_dir (tmpdir);
  g_free (tmpdir);
  return status;
}
