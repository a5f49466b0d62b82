/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `spikeworks-cli sweep` as a user runs it, and the sweeping commands
 * (sweep, phase, respond) spread over MPI ranks: the output files must be
 * the same bytes as those of one process.
 *
 * The network is Brunel's model A shrunk to 500 neurons (in-degrees 100
 * and 25; the external drive unchanged), so that a point takes ~0.1 s.
 */
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <sys/wait.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "../sw-test-cli.h"

static char *tmpdir;

#define SMALL_BRUNEL                                                                                      \
  "--set", "EE.k=100", "--set", "EI.k=100", "--set", "IE.k=25", "--set", "II.k=25", "--set", "E.n=400",   \
    "--set", "I.n=100", "--duration", "0.3s", "--warmup", "0.1s"

#define SMALL_ADEX                                                                                          \
  "--set", "E.n=800", "--set", "I.n=200", "--set", "ext.n=800", "--set", "EE.p=0.25", "--set", "EI.p=0.25", \
    "--set", "IE.p=0.25", "--set", "II.p=0.25", "--set", "extE.p=0.25", "--set", "extI.p=0.25", "--set", "b=0"

/* Runs @argv (NULL-terminated) with Open MPI allowed to run as root.
 * Under mpirun (@mpi), LeakSanitizer (in sanitizer builds) leaves out what
 * Open MPI itself keeps (tests/interop/mpi-lsan.supp). */
static SwTestResult
spawn (const char *const *argv, gboolean mpi)
{
  g_auto (GStrv) env = g_get_environ ();
  env = g_environ_setenv (env, "OMPI_ALLOW_RUN_AS_ROOT", "1", TRUE);
  env = g_environ_setenv (env, "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", TRUE);
  const char *supp = g_getenv ("MPI_LSAN_SUPPRESSIONS");
  if (mpi && supp != NULL)
    {
      const char *old = g_environ_getenv (env, "LSAN_OPTIONS");
      g_autofree char *opts = g_strdup_printf ("%s%ssuppressions=%s:fast_unwind_on_malloc=0", old ? old : "",
                                               old && old[0] ? ":" : "", supp);
      env = g_environ_setenv (env, "LSAN_OPTIONS", opts, TRUE);
    }
  return sw_test_spawn (NULL, argv, (const char *const *) env);
}

/* Runs the program with arguments given as NULL-terminated varargs;
 * @ranks 0: directly, else under mpirun -n @ranks. */
static SwTestResult
run_cli (int ranks, const char *first, ...)
{
  GPtrArray *argv = g_ptr_array_new ();
  g_autofree char *n = g_strdup_printf ("%d", ranks);
  if (ranks > 0)
    {
      g_ptr_array_add (argv, (char *) g_getenv ("MPIRUN"));
      g_ptr_array_add (argv, "--oversubscribe");
      g_ptr_array_add (argv, "-n");
      g_ptr_array_add (argv, n);
    }
  g_ptr_array_add (argv, (char *) g_getenv ("SPIKEWORKS_CLI"));
  va_list ap;
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  SwTestResult r = spawn ((const char *const *) argv->pdata, ranks > 0);
  g_ptr_array_free (argv, TRUE);
  return r;
}

static char *
read_text (const char *path)
{
  char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

/* ------------------------------------------------------------------------ */

static void
test_sweep_csv (void)
{
  g_autofree char *csv = tmp_path ("sweep.csv"), *png = tmp_path ("sweep.png");
  SwTestResult r = run_cli (0, "sweep", "preset:brunel-a", SMALL_BRUNEL, "--x", "eta:1:3:3", "--y", "g:5:6:2",
                            "--measure", "rate,cv,chi,peak", "--seed", "7", "--csv", csv, "--figure", png, NULL);
  if (r.status != 0)
    g_printerr ("%s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  sw_test_result_clear (&r);
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  g_autofree char *text = read_text (csv);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  /* A header, 6 points, and the empty string after the last newline. */
  g_assert_cmpuint (g_strv_length (lines), ==, 8);
  g_assert_cmpstr (lines[7], ==, "");
  g_assert_cmpstr (lines[0], ==,
                   "eta,g,rate_E,rate_I,cv_E,cv_I,chi_E,chi_I,peak_hz_E,peak_hz_I,trials,blowups");
  double rate[2][3];
  for (int row = 0; row < 6; row++)
    {
      g_auto (GStrv) f = g_strsplit (lines[row + 1], ",", -1);
      g_assert_cmpuint (g_strv_length (f), ==, 12);
      const double eta = 1.0 + row % 3, g = 5.0 + row / 3;
      g_assert_cmpfloat (g_ascii_strtod (f[0], NULL), ==, eta);
      g_assert_cmpfloat (g_ascii_strtod (f[1], NULL), ==, g);
      rate[row / 3][row % 3] = g_ascii_strtod (f[2], NULL);
      g_assert_cmpfloat (rate[row / 3][row % 3], >, 0.0);
      double cv = g_ascii_strtod (f[4], NULL), chi = g_ascii_strtod (f[6], NULL);
      g_assert_true (cv >= 0.0 && cv < 2.0);
      g_assert_true (chi > 0.0 && isfinite (chi));
      g_assert_cmpstr (f[10], ==, "1");
      g_assert_cmpstr (f[11], ==, "0");
    }
  /* The rate grows with the drive at both inhibitions, and stronger
   * inhibition lowers it. */
  for (int j = 0; j < 2; j++)
    {
      g_assert_cmpfloat (rate[j][1], >, rate[j][0]);
      g_assert_cmpfloat (rate[j][2], >, rate[j][1]);
    }
  for (int i = 0; i < 3; i++)
    g_assert_cmpfloat (rate[1][i], <, rate[0][i]);
}

static void
test_sweep_errors (void)
{
  g_autofree char *csv = tmp_path ("bad.csv");
  SwTestResult r = run_cli (0, "sweep", "preset:brunel-a", SMALL_BRUNEL, "--x", "etta:1:3:2", "--y", "g:5:6:2", "--csv",
                            csv, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "etta"));
  g_assert_nonnull (strstr (r.err, "did you mean 'eta'"));
  g_assert_false (g_file_test (csv, G_FILE_TEST_EXISTS));
  sw_test_result_clear (&r);

  static const char *const bad[][2] = {
    { "g:5:6", "NAME:MIN:MAX:N" },
    { "g:6:5:2", "larger than MAX" },
    { "g:5:6:0", "N must lie" },
    { "g:x:6:2", "must be numbers" },
  };
  for (gsize k = 0; k < G_N_ELEMENTS (bad); k++)
    {
      r = run_cli (0, "sweep", "preset:brunel-a", "--x", "eta:1:3:2", "--y", bad[k][0], NULL);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_nonnull (strstr (r.err, bad[k][1]));
      sw_test_result_clear (&r);
    }
  r = run_cli (0, "sweep", "preset:brunel-a", "--x", "eta:1:3:2", "--y", "g:5:6:2", "--measure", "rates", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "unknown measure 'rates'"));
  sw_test_result_clear (&r);
  /* A value outside the variable's range (g in [0, 8]) is refused before
   * anything runs. */
  r = run_cli (0, "sweep", "preset:brunel-a", "--x", "eta:1:3:2", "--y", "g:5:9:2", "--csv", csv, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_false (g_file_test (csv, G_FILE_TEST_EXISTS));
  sw_test_result_clear (&r);
}

static char *
sweep_text (const char *name, const char *seed, const char *threads, const char *trials)
{
  g_autofree char *csv = tmp_path (name);
  SwTestResult r = run_cli (0, "sweep", "preset:brunel-a", SMALL_BRUNEL, "--x", "eta:1.5:2.5:2", "--y", "g:4.5:5.5:2",
                            "--seed", seed, "--threads", threads, "--trials", trials, "--measure",
                            "rate,cv,chi,peak,fano", "--csv", csv, NULL);
  g_assert_cmpint (r.status, ==, 0);
  sw_test_result_clear (&r);
  return read_text (csv);
}

static void
test_sweep_determinism (void)
{
  g_autofree char *a = sweep_text ("det-a.csv", "11", "1", "2");
  g_autofree char *b = sweep_text ("det-b.csv", "11", "1", "2");
  g_autofree char *c = sweep_text ("det-c.csv", "11", "2", "2");
  g_autofree char *d = sweep_text ("det-d.csv", "12", "1", "2");
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, ==, c);
  /* Another seed gives other numbers (the comparisons above can fail). */
  g_assert_cmpstr (a, !=, d);
  g_assert_nonnull (strstr (a, ",2,0\n"));
}

/* ------------------------------------------------------------------------ */
/* MPI                                                                       */

static gboolean
mpi_ready (void)
{
  const char *mpirun = g_getenv ("MPIRUN");
  if (g_strcmp0 (g_getenv ("SPIKEWORKS_MPI"), "1") != 0)
    {
      g_test_skip ("built without MPI (meson option mpi)");
      return FALSE;
    }
  if (mpirun == NULL || mpirun[0] == '\0')
    {
      g_test_skip ("mpirun not found");
      return FALSE;
    }
  return TRUE;
}

/* Runs one command directly, under mpirun -n 1 and -n 2, writing @ext
 * files, and compares the three byte for byte. */
static void
compare_ranks (const char *cmd, const char *const *args, const char *ext)
{
  char *texts[3];
  for (int k = 0; k < 3; k++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%d%s", cmd, k, ext);
      g_autofree char *path = tmp_path (name);
      GPtrArray *argv = g_ptr_array_new ();
      if (k > 0)
        {
          g_ptr_array_add (argv, (char *) g_getenv ("MPIRUN"));
          g_ptr_array_add (argv, "--oversubscribe");
          g_ptr_array_add (argv, "-n");
          g_ptr_array_add (argv, k == 1 ? "1" : "2");
        }
      g_ptr_array_add (argv, (char *) g_getenv ("SPIKEWORKS_CLI"));
      g_ptr_array_add (argv, (char *) cmd);
      for (int a = 0; args[a] != NULL; a++)
        g_ptr_array_add (argv, (char *) args[a]);
      g_ptr_array_add (argv, (char *) (strcmp (ext, ".csv") == 0 ? "--csv" : "--figure"));
      g_ptr_array_add (argv, path);
      g_ptr_array_add (argv, NULL);
      SwTestResult r = spawn ((const char *const *) argv->pdata, k > 0);
      g_ptr_array_free (argv, TRUE);
      if (r.status != 0)
        g_printerr ("%s %s (%d): %s\n", cmd, ext, k, r.err);
      g_assert_cmpint (r.status, ==, 0);
      if (k == 2)
        /* Two ranks really ran: the line of the second rank's point. */
        g_assert_true (strcmp (cmd, "respond") != 0 || strstr (r.err, "[rank 1]") != NULL);
      sw_test_result_clear (&r);
      texts[k] = read_text (path);
      g_assert_cmpuint (strlen (texts[k]), >, 100);
    }
  g_assert_cmpstr (texts[0], ==, texts[1]);
  g_assert_cmpstr (texts[0], ==, texts[2]);
  for (int k = 0; k < 3; k++)
    g_free (texts[k]);
}

static void
test_mpi_sweep (void)
{
  if (!mpi_ready ())
    return;
  const char *const args[] = { "preset:brunel-a", SMALL_BRUNEL, "--x", "eta:1:3:3", "--y", "g:4.5:5.5:2", "--trials",
                               "2", "--threads", "1", "--measure", "rate,cv,chi,peak,prominence,fano", NULL };
  compare_ranks ("sweep", args, ".csv");
  compare_ranks ("sweep", args, ".svg");
}

static void
test_mpi_phase (void)
{
  if (!mpi_ready ())
    return;
  const char *const args[] = { "preset:destexhe-adex", "--x", "nu_ext:0.5:20:17", "--y", "b:0:150:9", NULL };
  compare_ranks ("phase", args, ".csv");
  compare_ranks ("phase", args, ".svg");
}

static void
test_mpi_respond (void)
{
  if (!mpi_ready ())
    return;
  const char *const args[] = { "preset:destexhe-adex", SMALL_ADEX, "--sweep", "nu_ext:2.5:10:3", "--trials", "2",
                               "--warmup", "0.6s", "--threads", "1", NULL };
  compare_ranks ("respond", args, ".csv");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_autoptr (GError) error = NULL;
  tmpdir = g_dir_make_tmp (NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_getenv ("SPIKEWORKS_CLI"));

  g_test_add_func ("/interop/sweep/csv", test_sweep_csv);
  g_test_add_func ("/interop/sweep/errors", test_sweep_errors);
  g_test_add_func ("/interop/sweep/determinism", test_sweep_determinism);
  g_test_add_func ("/interop/mpi/sweep", test_mpi_sweep);
  g_test_add_func ("/interop/mpi/phase", test_mpi_phase);
  g_test_add_func ("/interop/mpi/respond", test_mpi_respond);
  int status = g_test_run ();

  sw_test_remove_dir (tmpdir);
  g_free (tmpdir);
  return status;
}
