: SPDX-License-Identifier: GPL-3.0-or-later
: HNN hh2: HH kinetics with temperature factor 3^((celsius-37)/10), 1-mV tables.
: Written for the Spikeworks benchmark against NEURON (bench/cable.sh); the
: same equations as src/core/cable/sw-cable-mech.c.
NEURON { SUFFIX swhh2 NONSPECIFIC_CURRENT i RANGE gnabar, gkbar, gl, el, ena, ek }
PARAMETER { gnabar = 0.12 gkbar = 0.036 gl = 0.0003 el = -54.3 ena = 50 ek = -77 celsius }
ASSIGNED { v i minf hinf ninf mtau htau ntau }
STATE { m h n }
UNITSOFF
BREAKPOINT { SOLVE states METHOD cnexp
  i = gnabar*m*m*m*h*(v - ena) + gkbar*n*n*n*n*(v - ek) + gl*(v - el) }
INITIAL { rates(v) m = minf h = hinf n = ninf }
DERIVATIVE states { rates(v) m' = (minf - m)/mtau h' = (hinf - h)/htau n' = (ninf - n)/ntau }
FUNCTION xe(u) { if (fabs(u) < 1e-6) { xe = 1 - u/2 } else { xe = u/(exp(u) - 1) } }
PROCEDURE rates(v) { LOCAL am, bm, ah, bh, an, bn, phi
  TABLE minf, mtau, hinf, htau, ninf, ntau DEPEND celsius FROM -100 TO 100 WITH 200
  phi = 3^((celsius - 37)/10)
  am = xe(-(v + 40)/10)  bm = 4*exp(-(v + 65)/18)
  ah = 0.07*exp(-(v + 65)/20)  bh = 1/(1 + exp(-(v + 35)/10))
  an = 0.1*xe(-(v + 55)/10)  bn = 0.125*exp(-(v + 65)/80)
  mtau = 1/(phi*(am + bm))  minf = am/(am + bm)
  htau = 1/(phi*(ah + bh))  hinf = ah/(ah + bh)
  ntau = 1/(phi*(an + bn))  ninf = an/(an + bn)
}
UNITSON
