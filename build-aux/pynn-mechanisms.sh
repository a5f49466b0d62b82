#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Compiles the NEURON mechanisms that pyNN.neuron needs (once), so that the
# scripts of `spikeworks-cli export-pynn` run with --simulator neuron and the
# interop tests can compare them with Spikeworks.  Does nothing when NEURON
# or PyNN is not installed, or when the mechanisms are already compiled.
# Uses sudo when not run as root, like build-aux/deps.sh.
set -euo pipefail

python=/usr/bin/python3
if ! command -v nrnivmodl >/dev/null || [ ! -x "$python" ]; then
  exit 0
fi
pynn_dir=$("$python" -c 'import os, pyNN; print(os.path.dirname(pyNN.__file__))' 2>/dev/null) || exit 0
nmodl="$pynn_dir/neuron/nmodl"
[ -d "$nmodl" ] || exit 0
arch=$(uname -m)
if [ -f "$nmodl/$arch/libnrnmech.so" ] || [ -f "$nmodl/$arch/.libs/libnrnmech.so" ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
# Debian's nrnivmodl looks for its makefile next to itself.
if [ ! -e /usr/bin/nrnmech_makefile ] && [ -e /usr/lib/nrn/nrnmech_makefile ]; then
  $sudo ln -sf /usr/lib/nrn/nrnmech_makefile /usr/bin/nrnmech_makefile
fi
echo "Compiling PyNN's NEURON mechanisms in $nmodl" >&2
# nrnivmodl ends with status 2 when an optional header is missing although
# the library is complete: the library itself decides success.
(cd "$nmodl" && $sudo nrnivmodl -loadflags "-L/usr/lib/nrn -Wl,-rpath,/usr/lib/nrn" >&2) || true
if [ -f "$nmodl/$arch/libnrnmech.so" ] || [ -f "$nmodl/$arch/.libs/libnrnmech.so" ]; then
  exit 0
fi
echo "warning: PyNN's NEURON mechanisms could not be compiled in $nmodl" >&2
exit 1
