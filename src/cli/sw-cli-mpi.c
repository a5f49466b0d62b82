/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MPI ranks for the sweeping commands (see sw-cli-mpi.h).
 */
#include "config.h"

#include "sw-cli-mpi.h"

#include <stdio.h>
#include <stdlib.h>

#include "sw-cli.h"

#ifdef HAVE_MPI
#include <mpi.h>
#endif

static int mpi_rank = 0, mpi_size = 1;
static gboolean mpi_started = FALSE;

/* Whether an MPI launcher started this process: the variables that Open
 * MPI, MPICH (Hydra, PMI) and PMIx-based launchers set for each rank. */
static gboolean
under_launcher (void)
{
  static const char *const vars[] = { "OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "PMI_RANK" };
  for (gsize k = 0; k < G_N_ELEMENTS (vars); k++)
    if (g_getenv (vars[k]) != NULL)
      return TRUE;
  return FALSE;
}

#ifdef HAVE_MPI
static int printerr_rank;

/* Messages of the other ranks say which rank they come from. */
static void
rank_printerr (const char *text)
{
  fprintf (stderr, "[rank %d] %s", printerr_rank, text);
  fflush (stderr);
}
#endif

void
sw_cli_mpi_init (int *argc, char ***argv)
{
  if (!under_launcher ())
    return;
#ifdef HAVE_MPI
  int provided = 0;
  /* The commands step networks on threads of their own, but only the main
   * thread calls MPI. */
  if (MPI_Init_thread (argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
    {
      g_printerr ("spikeworks-cli: MPI could not be started; running as one process\n");
      return;
    }
  mpi_started = TRUE;
  MPI_Comm_rank (MPI_COMM_WORLD, &mpi_rank);
  MPI_Comm_size (MPI_COMM_WORLD, &mpi_size);
  if (mpi_rank > 0)
    {
      printerr_rank = mpi_rank;
      g_set_printerr_handler (rank_printerr);
    }
#else
  const char *size = g_getenv ("OMPI_COMM_WORLD_SIZE");
  if (size == NULL)
    size = g_getenv ("PMI_SIZE");
  if (size != NULL && atoi (size) > 1)
    g_printerr ("spikeworks-cli: started by an MPI launcher, but this build has no MPI (meson option mpi): "
                "every process runs the whole command\n");
#endif
}

void
sw_cli_mpi_finalize (void)
{
#ifdef HAVE_MPI
  if (mpi_started)
    MPI_Finalize ();
#endif
  mpi_started = FALSE;
  mpi_rank = 0;
  mpi_size = 1;
}

int
sw_cli_mpi_rank (void)
{
  return mpi_rank;
}

int
sw_cli_mpi_size (void)
{
  return mpi_size;
}

gboolean
sw_cli_mpi_owns (int point)
{
  return point % mpi_size == mpi_rank;
}

int
sw_cli_mpi_agree (int status)
{
#ifdef HAVE_MPI
  if (mpi_started && mpi_size > 1)
    {
      int worst = status;
      MPI_Allreduce (&status, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
      return worst;
    }
#endif
  return status;
}

gboolean
sw_cli_mpi_gather (GBytes **blobs, int n_points, GError **error)
{
#ifdef HAVE_MPI
  if (!mpi_started || mpi_size == 1)
    return TRUE;
  enum { TAG_SIZES = 71, TAG_DATA = 72 };
  if (mpi_rank > 0)
    {
      /* One message of sizes, one of the concatenated blobs, in the order
       * of the points. */
      GArray *sizes = g_array_new (FALSE, FALSE, sizeof (guint64));
      GByteArray *data = g_byte_array_new ();
      for (int k = mpi_rank; k < n_points; k += mpi_size)
        {
          gsize len = 0;
          const guint8 *p = blobs[k] ? g_bytes_get_data (blobs[k], &len) : NULL;
          guint64 l = len;
          g_array_append_val (sizes, l);
          if (len > 0)
            g_byte_array_append (data, p, (guint) len);
        }
      int rc = MPI_Send (sizes->data, (int) sizes->len, MPI_UINT64_T, 0, TAG_SIZES, MPI_COMM_WORLD);
      if (rc == MPI_SUCCESS)
        rc = MPI_Send (data->data, (int) data->len, MPI_BYTE, 0, TAG_DATA, MPI_COMM_WORLD);
      g_array_unref (sizes);
      g_byte_array_unref (data);
      if (rc != MPI_SUCCESS)
        {
          g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE, "rank %d: sending the results failed (MPI error %d)",
                       mpi_rank, rc);
          return FALSE;
        }
      return TRUE;
    }
  for (int r = 1; r < mpi_size; r++)
    {
      int mine = r < n_points ? (n_points - r + mpi_size - 1) / mpi_size : 0;
      guint64 *sizes = g_new0 (guint64, MAX (mine, 1));
      MPI_Status st;
      int rc = MPI_Recv (sizes, mine, MPI_UINT64_T, r, TAG_SIZES, MPI_COMM_WORLD, &st);
      int count = 0;
      if (rc == MPI_SUCCESS)
        rc = MPI_Probe (r, TAG_DATA, MPI_COMM_WORLD, &st);
      if (rc == MPI_SUCCESS)
        rc = MPI_Get_count (&st, MPI_BYTE, &count);
      guint8 *data = g_malloc (MAX (count, 1));
      if (rc == MPI_SUCCESS)
        rc = MPI_Recv (data, count, MPI_BYTE, r, TAG_DATA, MPI_COMM_WORLD, &st);
      guint64 total = 0;
      for (int j = 0; j < mine; j++)
        total += sizes[j];
      if (rc != MPI_SUCCESS || total != (guint64) count)
        {
          g_set_error (error, SW_CLI_ERROR, SW_CLI_ERROR_USAGE,
                       "receiving the results of rank %d failed (MPI error %d, %d bytes)", r, rc, count);
          g_free (sizes);
          g_free (data);
          return FALSE;
        }
      gsize off = 0;
      for (int j = 0, k = r; k < n_points; j++, k += mpi_size)
        {
          if (blobs[k] != NULL)
            g_bytes_unref (blobs[k]);
          blobs[k] = g_bytes_new (data + off, sizes[j]);
          off += sizes[j];
        }
      g_free (sizes);
      g_free (data);
    }
#endif
  return TRUE;
}
