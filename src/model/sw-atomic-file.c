/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sw-atomic-file.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

int
sw_atomic_file_create (const char *path, char **tmp, GError **error)
{
  /* A name no other writer uses: the process and a random number, and
   * O_EXCL in case one does. */
  for (int attempt = 0; attempt < 100; attempt++)
    {
      char *name = g_strdup_printf ("%s.partial-%ld-%08x", path, (long) getpid (), g_random_int ());
      int fd = g_open (name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
      if (fd >= 0)
        {
          *tmp = name;
          return fd;
        }
      int e = errno;
      g_free (name);
      if (e != EEXIST)
        {
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "%s: cannot write: %s", path,
                       g_strerror (e));
          return -1;
        }
    }
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST, "%s: cannot write: no free temporary name beside it",
               path);
  return -1;
}

gboolean
sw_atomic_file_finish (const char *tmp, const char *path, gboolean ok, GError **error)
{
  if (ok && g_rename (tmp, path) == 0)
    return TRUE;
  if (ok)
    {
      int e = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "%s: cannot write: %s", path,
                   g_strerror (e));
    }
  g_unlink (tmp);
  return FALSE;
}
