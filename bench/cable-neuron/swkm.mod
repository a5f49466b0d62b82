: SPDX-License-Identifier: GPL-3.0-or-later
: Reduced-set slow K (Km).
: Written for the Spikeworks benchmark against NEURON (bench/cable.sh); the
: same equations as src/core/cable/sw-cable-mech.c.
NEURON { SUFFIX swkm NONSPECIFIC_CURRENT i RANGE gbar, erev }
PARAMETER { gbar = 4e-6 erev = -90 }
ASSIGNED { v i pinf ptau }
STATE { p }
UNITSOFF
BREAKPOINT { SOLVE states METHOD cnexp  i = gbar*p*(v - erev) }
INITIAL { rates(v) p = pinf }
DERIVATIVE states { rates(v) p' = (pinf - p)/ptau }
FUNCTION cx(u) { if (u > 20) { cx = exp(20) } else { cx = exp(u) } }
PROCEDURE rates(v) {
  pinf = 1/(1 + cx(-(v + 35)/10))
  ptau = 4000/(3.3*cx((v + 35)/20) + cx(-(v + 35)/20))
}
UNITSON
