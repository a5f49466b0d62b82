: SPDX-License-Identifier: GPL-3.0-or-later
: Reduced-set delayed-rectifier K.
: Written for the Spikeworks benchmark against NEURON (bench/cable.sh); the
: same equations as src/core/cable/sw-cable-mech.c.
NEURON { SUFFIX swk NONSPECIFIC_CURRENT i RANGE gbar, erev, vt }
PARAMETER { gbar = 0.005 erev = -90 vt = -60 }
ASSIGNED { v i ninf ntau }
STATE { n }
UNITSOFF
BREAKPOINT { SOLVE states METHOD cnexp  i = gbar*n*n*n*n*(v - erev) }
INITIAL { rates(v) n = ninf }
DERIVATIVE states { rates(v) n' = (ninf - n)/ntau }
FUNCTION cx(u) { if (u > 20) { cx = exp(20) } else { cx = exp(u) } }
FUNCTION xe(u) { if (fabs(u) < 1e-6) { xe = 1 - u/2 } else { xe = u/(cx(u) - 1) } }
PROCEDURE rates(v) { LOCAL an, bn, u
  u = v - vt
  an = 0.16*xe(-(u - 15)/5)  bn = 0.5*cx(-(u - 10)/40)
  ntau = 1/(an + bn)  ninf = an*ntau
}
UNITSON
