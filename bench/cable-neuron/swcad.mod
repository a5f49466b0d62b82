: SPDX-License-Identifier: GPL-3.0-or-later
: HNN submembrane Ca pool.
: Written for the Spikeworks benchmark against NEURON (bench/cable.sh); the
: same equations as src/core/cable/sw-cable-mech.c.
NEURON { SUFFIX swcad USEION ca READ ica WRITE cai RANGE taur, cainf0, depth }
PARAMETER { taur = 20 cainf0 = 1e-4 depth = 0.1 }
ASSIGNED { ica drive }
STATE { cai }
UNITSOFF
BREAKPOINT { SOLVE states METHOD cnexp }
INITIAL { cai = cainf0 }
PROCEDURE setdrive () {
  drive = -1e4/(2*96485.309*depth)*ica
  if (drive < 0) { drive = 0 }
}
DERIVATIVE states {
  setdrive()
  cai' = drive + (cainf0 - cai)/taur
}
UNITSON
