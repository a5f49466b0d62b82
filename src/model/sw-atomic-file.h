/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Files written atomically: the data goes to a new file beside the target
 * and is renamed over it only when complete, so that a failed or
 * interrupted write leaves the previous file (or none), never half a file.
 * For writers that need a file of their own (a FILE stream, cairo, HDF5);
 * text held in memory goes through g_file_set_contents() instead.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Creates a new empty file beside @path, named PATH.partial-PID-RANDOM (mode 0644 less the umask) and
 * returns its descriptor, with its name in @tmp (free with g_free()); -1
 * and a G_FILE_ERROR naming @path when the folder cannot be written. */
int sw_atomic_file_create (const char *path, char **tmp, GError **error);

/* When @ok, renames @tmp over @path (FALSE and a G_FILE_ERROR naming @path
 * if that fails); otherwise, and on failure, removes @tmp.  The caller has
 * closed the descriptor. */
gboolean sw_atomic_file_finish (const char *tmp, const char *path, gboolean ok, GError **error);

G_END_DECLS
