: SPDX-License-Identifier: GPL-3.0-or-later
: Reduced-set low-threshold Ca (CaT), instantaneous activation s.
: Written for the Spikeworks benchmark against NEURON (bench/cable.sh); the
: same equations as src/core/cable/sw-cable-mech.c.
NEURON { SUFFIX swcat NONSPECIFIC_CURRENT i RANGE gbar, erev, vx }
PARAMETER { gbar = 4e-5 erev = 120 vx = 2 }
ASSIGNED { v i uinf utau sinf }
STATE { u }
UNITSOFF
BREAKPOINT { SOLVE states METHOD cnexp  sinf = 1/(1 + cx(-(v + vx + 57)/6.2))  i = gbar*sinf*sinf*u*(v - erev) }
INITIAL { rates(v) u = uinf }
DERIVATIVE states { rates(v) u' = (uinf - u)/utau }
FUNCTION cx(x) { if (x > 20) { cx = exp(20) } else { cx = exp(x) } }
PROCEDURE rates(v) { LOCAL w
  w = v + vx
  uinf = 1/(1 + cx((w + 81)/4))
  utau = (242.2 + cx((w + 113.2)/5))/(3.7*(1 + cx((w + 84)/3.2)))
}
UNITSON
