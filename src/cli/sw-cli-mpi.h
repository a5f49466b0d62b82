/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MPI for the commands that evaluate many independent points (sweep,
 * phase, respond): the points are dealt out round-robin over the ranks,
 * each rank computes its own, and rank 0 gathers the results and writes the
 * outputs, the same bytes as one process would.
 *
 * MPI is started only when the build has it (meson option mpi) and the
 * program was started by an MPI launcher (mpirun, mpiexec, srun); otherwise
 * every function here is the single-rank version: rank 0 of 1, every point
 * owned, gathers that do nothing.  Only the main thread calls MPI.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Before the command runs, and after it (main.c). */
void sw_cli_mpi_init (int *argc, char ***argv);
void sw_cli_mpi_finalize (void);

int sw_cli_mpi_rank (void);
int sw_cli_mpi_size (void);

/* Whether this rank computes point @point (round-robin: point % size ==
 * rank). */
gboolean sw_cli_mpi_owns (int point);

/* The worst (largest) of the ranks' exit statuses, known to every rank;
 * collective.  A rank that failed makes every rank stop before a gather. */
int sw_cli_mpi_agree (int status);

/* Gathers per-point results on rank 0; collective.  @blobs has @n_points
 * entries: on entry each rank holds the blobs of the points it owns (the
 * others are NULL or ignored); on return rank 0 holds every point's blob,
 * received in the ranks' own bytes.  FALSE with @error when a transfer
 * failed. */
gboolean sw_cli_mpi_gather (GBytes **blobs, int n_points, GError **error);

G_END_DECLS
