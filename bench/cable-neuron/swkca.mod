: SPDX-License-Identifier: GPL-3.0-or-later
: HNN Ca-activated K (pS/um2).
: Written for the Spikeworks benchmark against NEURON (bench/cable.sh); the
: same equations as src/core/cable/sw-cable-mech.c.
NEURON { SUFFIX swkca USEION ca READ cai NONSPECIFIC_CURRENT i RANGE gbar, erev }
PARAMETER { gbar = 0 erev = -77 celsius }
ASSIGNED { v i cai ninf ntau tadj }
STATE { n }
UNITSOFF
BREAKPOINT { SOLVE states METHOD cnexp  i = 1e-4*tadj*gbar*n*(v - erev) }
INITIAL { rates(cai) n = ninf }
DERIVATIVE states { rates(cai) n' = (ninf - n)/ntau }
PROCEDURE rates(c) { LOCAL a
  tadj = 2.3^((celsius - 23 - 30.7)/10)
  a = 0.01*c  ntau = 1/(tadj*(a + 0.02))  ninf = a/(a + 0.02)
}
UNITSON
