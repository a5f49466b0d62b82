: SPDX-License-Identifier: GPL-3.0-or-later
: HNN high-voltage Ca (pS/um2), Nernst reversal from cai.
: Written for the Spikeworks benchmark against NEURON (bench/cable.sh); the
: same equations as src/core/cable/sw-cable-mech.c.
NEURON { SUFFIX swca USEION ca READ cai WRITE ica RANGE gbar, cao0 }
PARAMETER { gbar = 0 cao0 = 2 celsius }
ASSIGNED { v ica cai minf hinf mtau htau tadj }
STATE { m h }
UNITSOFF
BREAKPOINT { LOCAL e
  SOLVE states METHOD cnexp
  e = 1000*8.314462618*(celsius + 273.15)/(2*96485.33212)*log(cao0/cai)
  ica = 1e-4*tadj*gbar*m*m*h*(v - e) }
INITIAL { rates(v) m = minf h = hinf }
DERIVATIVE states { rates(v) m' = (minf - m)/mtau h' = (hinf - h)/htau }
FUNCTION xe(u) { if (fabs(u) < 1e-6) { xe = 1 - u/2 } else { xe = u/(exp(u) - 1) } }
PROCEDURE rates(v) { LOCAL am, bm, ah, bh
  tadj = 2.3^((celsius - 23 - 30.7)/10)
  am = 0.209*xe((-27 - v)/3.8)  bm = 0.94*exp((-75 - v)/17)
  ah = 4.57e-4*exp((-13 - v)/50)  bh = 0.0065/(1 + exp((-15 - v)/28))
  mtau = 1/(tadj*(am + bm))  minf = am/(am + bm)  htau = 1/(tadj*(ah + bh))  hinf = ah/(ah + bh)
}
UNITSON
