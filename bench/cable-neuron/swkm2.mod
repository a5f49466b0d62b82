: SPDX-License-Identifier: GPL-3.0-or-later
: HNN M-type K (pS/um2).
: Written for the Spikeworks benchmark against NEURON (bench/cable.sh); the
: same equations as src/core/cable/sw-cable-mech.c.
NEURON { SUFFIX swkm2 NONSPECIFIC_CURRENT i RANGE gbar, erev }
PARAMETER { gbar = 0 erev = -77 celsius }
ASSIGNED { v i ninf ntau tadj }
STATE { n }
UNITSOFF
BREAKPOINT { SOLVE states METHOD cnexp  i = 1e-4*tadj*gbar*n*(v - erev) }
INITIAL { rates(v) n = ninf }
DERIVATIVE states { rates(v) n' = (ninf - n)/ntau }
FUNCTION xe(u) { if (fabs(u) < 1e-6) { xe = 1 - u/2 } else { xe = u/(exp(u) - 1) } }
PROCEDURE rates(v) { LOCAL a, b
  tadj = 2.3^((celsius - 23 - 30.7)/10)
  a = 0.009*xe(-(v + 30)/9)  b = 0.009*xe((v + 30)/9)
  ntau = 1/(tadj*(a + b))  ninf = a/(a + b)
}
UNITSON
