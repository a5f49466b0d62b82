/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints the diffusion-theory rate of Brunel's model A (sw-siegert.h) at
 * the (g, eta) points given on the command line, for bench/sweep.sh.
 *   brunel-theory G ETA [G ETA ...]
 */
#include <stdio.h>
#include <stdlib.h>

#include "sw-siegert.h"

int
main (int argc, char **argv)
{
  if (argc < 3 || argc % 2 == 0)
    {
      fprintf (stderr, "usage: %s G ETA [G ETA ...]\n", argv[0]);
      return 2;
    }
  for (int k = 1; k + 1 < argc; k += 2)
    {
      double g = atof (argv[k]), eta = atof (argv[k + 1]);
      /* nu_thr = theta / (J C_E tau) = 10 Hz. */
      double nu = sw_brunel_rate (g, eta * 10.0, 0.1, 1000, 0.25, 20.0, 20.0, 10.0, 2.0);
      printf ("%g %g %.2f\n", g, eta, nu);
    }
  return 0;
}
