: SPDX-License-Identifier: GPL-3.0-or-later
: HNN h-like current (ar), reversal -35 mV, m starts at 0.25.
: Written for the Spikeworks benchmark against NEURON (bench/cable.sh); the
: same equations as src/core/cable/sw-cable-mech.c.
NEURON { SUFFIX swar NONSPECIFIC_CURRENT i RANGE gbar, erev }
PARAMETER { gbar = 0 erev = -35 }
ASSIGNED { v i minf mtau }
STATE { m }
UNITSOFF
BREAKPOINT { SOLVE states METHOD cnexp  i = gbar*m*(v - erev) }
INITIAL { rates(v) m = 0.25 }
DERIVATIVE states { rates(v) m' = (minf - m)/mtau }
PROCEDURE rates(v) {
  minf = 1/(1 + exp((v + 75)/5.5))
  mtau = 1/(exp(-14.6 - 0.086*v) + exp(-1.87 + 0.07*v))
}
UNITSON
