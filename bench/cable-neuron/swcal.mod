: SPDX-License-Identifier: GPL-3.0-or-later
: Reduced-set high-threshold Ca (CaL).
: Written for the Spikeworks benchmark against NEURON (bench/cable.sh); the
: same equations as src/core/cable/sw-cable-mech.c.
NEURON { SUFFIX swcal NONSPECIFIC_CURRENT i RANGE gbar, erev }
PARAMETER { gbar = 1e-4 erev = 120 }
ASSIGNED { v i qinf rinf qtau rtau }
STATE { q r }
UNITSOFF
BREAKPOINT { SOLVE states METHOD cnexp  i = gbar*q*q*r*(v - erev) }
INITIAL { rates(v) q = qinf r = rinf }
DERIVATIVE states { rates(v) q' = (qinf - q)/qtau r' = (rinf - r)/rtau }
FUNCTION cx(u) { if (u > 20) { cx = exp(20) } else { cx = exp(u) } }
FUNCTION xe(u) { if (fabs(u) < 1e-6) { xe = 1 - u/2 } else { xe = u/(cx(u) - 1) } }
PROCEDURE rates(v) { LOCAL aq, bq, ar, br
  aq = 0.209*xe((-v - 27)/3.8)  bq = 0.94*cx((-v - 75)/17)
  ar = 4.57e-4*cx((-v - 13)/50)  br = 0.0065/(1 + cx((-v - 15)/28))
  qtau = 1/(aq + bq)  qinf = aq*qtau  rtau = 1/(ar + br)  rinf = ar*rtau
}
UNITSON
