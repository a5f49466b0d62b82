/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Running spikeworks-cli (or any program) from a test: the exit status and
 * everything it wrote.  The program is the one named by $SPIKEWORKS_CLI,
 * which meson sets for each test that needs it.
 */
#pragma once

#include <stdarg.h>
#include <sys/wait.h>

#include <glib.h>
#include <glib/gstdio.h>

typedef struct
{
  int status;   /* the exit status; a program killed by a signal fails the test */
  char *out;
  char *err;
} SwTestResult;

static inline void
sw_test_result_clear (SwTestResult *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

/* Runs @argv (NULL-terminated) in @cwd (NULL: here) with @envp (NULL: this
 * process's environment) and waits for it. */
static inline SwTestResult
sw_test_spawn (const char *cwd, const char *const *argv, const char *const *envp)
{
  SwTestResult r = { 0 };
  g_autoptr (GError) error = NULL;
  int wait = 0;
  gboolean ok = g_spawn_sync (cwd, (char **) argv, (char **) envp, G_SPAWN_DEFAULT, NULL, NULL, &r.out, &r.err,
                              &wait, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_true (WIFEXITED (wait));
  r.status = WEXITSTATUS (wait);
  return r;
}

/* The path of spikeworks-cli, from $SPIKEWORKS_CLI. */
static inline const char *
sw_test_cli_path (void)
{
  const char *cli = g_getenv ("SPIKEWORKS_CLI");
  g_assert_nonnull (cli);
  return cli;
}

/* Runs spikeworks-cli in @cwd (NULL: here) with the arguments @args
 * (NULL-terminated). */
static inline SwTestResult
sw_test_run_cli_in (const char *cwd, const char *const *args)
{
  GPtrArray *argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (char *) sw_test_cli_path ());
  for (int i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  SwTestResult r = sw_test_spawn (cwd, (const char *const *) argv->pdata, NULL);
  g_ptr_array_free (argv, TRUE);
  return r;
}

/* Runs spikeworks-cli with the arguments from @first to a NULL. */
static inline SwTestResult sw_test_run_cli (const char *first, ...) G_GNUC_NULL_TERMINATED;

static inline SwTestResult
sw_test_run_cli (const char *first, ...)
{
  GPtrArray *args = g_ptr_array_new ();
  va_list ap;
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  SwTestResult r = sw_test_run_cli_in (NULL, (const char *const *) args->pdata);
  g_ptr_array_free (args, TRUE);
  return r;
}

/* Removes the files in @dir, then @dir itself (a test's temporary folder;
 * it holds no folders). */
static inline void
sw_test_remove_dir (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  for (const char *name; d != NULL && (name = g_dir_read_name (d)) != NULL;)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  if (d != NULL)
    g_dir_close (d);
  g_rmdir (dir);
}
