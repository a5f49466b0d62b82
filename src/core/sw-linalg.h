/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Dense linear algebra for the small matrices of the mean-field analysis
 * (sw-meanfield.c): a linear solve, the eigenvalues of a 3x3 matrix and the
 * matrix exponential.  Matrices are row-major arrays of doubles; n is small
 * (at most SW_LINALG_MAX_N), so everything works on the stack.  Pure
 * functions, safe from any thread.
 */
#pragma once

#define SW_LINALG_MAX_N 12

/* Solves A x = b for an n x n @a by Gaussian elimination with partial
 * pivoting.  @a is overwritten, @b receives x.  Returns 0, or -1 when a
 * pivot vanishes (singular to working precision) or n is out of range. */
int sw_linalg_solve (int n, double *a, double *b);

/* Eigenvalues of a real 3x3 matrix (row-major @a): the roots of its
 * characteristic polynomial, one real root by safeguarded Newton, the other
 * two from the deflated quadratic, all three polished by Newton on the
 * cubic.  Sorted by decreasing real part; a complex pair is stored next to
 * each other with the positive imaginary part first. */
void sw_linalg_eig3 (const double *a, double re[3], double im[3]);

/* exp(@a) for an n x n matrix, by scaling and squaring of a Taylor series
 * (relative accuracy near machine precision for the well-scaled matrices of
 * the mean field).  @out may not alias @a. */
void sw_linalg_expm (int n, const double *a, double *out);
