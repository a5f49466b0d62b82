: SPDX-License-Identifier: GPL-3.0-or-later
: HNN T-type current, reversal 125 mV, m starts at 0.
: Written for the Spikeworks benchmark against NEURON (bench/cable.sh); the
: same equations as src/core/cable/sw-cable-mech.c.
NEURON { SUFFIX swcat2 NONSPECIFIC_CURRENT i RANGE gbar, erev }
PARAMETER { gbar = 0 erev = 125 }
ASSIGNED { v i minf hinf mtau htau }
STATE { m h }
UNITSOFF
BREAKPOINT { SOLVE states METHOD cnexp  i = gbar*m*m*h*(v - erev) }
INITIAL { rates(v) m = 0 h = hinf }
DERIVATIVE states { rates(v) m' = (minf - m)/mtau h' = (hinf - h)/htau }
PROCEDURE rates(v) {
  minf = 1/(1 + exp((-v - 56)/6.2))
  mtau = 0.204 + 0.333/(exp((v + 15.8)/18.2) + exp((-v - 131)/16.7))
  hinf = 1/(1 + exp((v + 80)/4))
  if (v < -81) { htau = 0.333*exp((v + 466)/66.6) } else { htau = 9.32 + 0.333*exp((-v - 21)/10.5) }
}
UNITSON
