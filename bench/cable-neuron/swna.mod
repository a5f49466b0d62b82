: SPDX-License-Identifier: GPL-3.0-or-later
: Reduced-set Na (Traub-Miles around vt), exponent arguments clipped at 20.
: Written for the Spikeworks benchmark against NEURON (bench/cable.sh); the
: same equations as src/core/cable/sw-cable-mech.c.
NEURON { SUFFIX swna NONSPECIFIC_CURRENT i RANGE gbar, erev, vt }
PARAMETER { gbar = 0.05 erev = 50 vt = -60 }
ASSIGNED { v i minf hinf mtau htau }
STATE { m h }
UNITSOFF
BREAKPOINT { SOLVE states METHOD cnexp  i = gbar*m*m*m*h*(v - erev) }
INITIAL { rates(v) m = minf h = hinf }
DERIVATIVE states { rates(v) m' = (minf - m)/mtau h' = (hinf - h)/htau }
FUNCTION cx(u) { if (u > 20) { cx = exp(20) } else { cx = exp(u) } }
FUNCTION xe(u) { if (fabs(u) < 1e-6) { xe = 1 - u/2 } else { xe = u/(cx(u) - 1) } }
PROCEDURE rates(v) { LOCAL am, bm, ah, bh, u
  u = v - vt
  am = 1.28*xe(-(u - 13)/4)  bm = 1.4*xe((u - 40)/5)
  ah = 0.128*cx(-(u - 17)/18)  bh = 4/(1 + cx(-(u - 40)/5))
  mtau = 1/(am + bm)  minf = am*mtau  htau = 1/(ah + bh)  hinf = ah*htau
}
UNITSON
