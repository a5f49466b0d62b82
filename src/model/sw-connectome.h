/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Structural connectivity for neural-mass networks: CSV loaders for an
 * N x N weight matrix (row i: the weights onto region i from every region
 * j), optional tract lengths or inter-regional distances (N x N, mm),
 * region labels (one comma-separated line) and centroids (N x 3, mm), and
 * the built-in synthetic network.
 *
 * CSV: numbers separated by commas (spaces and tabs around them are
 * ignored), one row per line, no header; blank lines and lines starting
 * with '#' are skipped.  Errors are SW_DOCUMENT_ERROR values whose message
 * starts with "FILE:LINE:COLUMN:" (columns are fields, counted from 1) and
 * says what was expected: a matrix that is not square, a value that is
 * not a number, NaN, infinite or negative, a non-zero diagonal, labels or
 * centroids that disagree with the size of the weights.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  int n;
  double *weights;       /* n x n, raw (not normalised), zero diagonal */
  double *lengths_mm;    /* n x n tract lengths or distances, or NULL */
  gboolean lengths_are_tracts;  /* TRUE: tract lengths; FALSE: distances between centroids */
  double *centroids_mm;  /* n x 3, or NULL */
  char **labels;         /* n names (NULL-terminated); "0", "1" ... when none were given */
  char *source;          /* "synthetic" or the weights file */
} SwConnectome;

/* Reads a matrix of non-negative finite numbers from @path.  @cols > 0
 * demands that many columns, @cols == 0 a square matrix; @rows > 0 that
 * many rows.  @what names the contents in messages ("weights"). */
gboolean sw_connectome_read_matrix (const char *path, const char *what, int rows, int cols,
                                    gboolean allow_negative, double **values, int *n_rows,
                                    int *n_cols, GError **error);

/* Reads one line of comma-separated names; @n > 0 demands that many (the
 * message then names @size_source, e.g. the weights file). */
gboolean sw_connectome_read_labels (const char *path, int n, const char *size_source,
                                    char ***labels, GError **error);

/* Loads the files (any of the optional ones may be NULL).  Lengths win over
 * distances; without either, distances come from the centroids when given. */
SwConnectome *sw_connectome_load (const char *weights, const char *lengths, const char *distances,
                                  const char *labels, const char *centroids, GError **error);

/* The synthetic small world of sw_mass_synthetic() with @n nodes, labels
 * "n0" .. and centroid distances. */
SwConnectome *sw_connectome_synthetic (int n, guint64 seed, GError **error);

void sw_connectome_free (SwConnectome *net);

/* Index of the region called @name, or of the whole number @name when it
 * is one in range; -1 otherwise. */
int sw_connectome_find (const SwConnectome *net, const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SwConnectome, sw_connectome_free)

G_END_DECLS
