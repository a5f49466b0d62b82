#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Single multicompartment cells, Spikeworks against NEURON 8.2 on the same
# machine: the classic HH compartment (preset:hh-squid, 10 µA/cm²), the
# reduced BRC excitatory cell (preset:brc-cell, 0.1 nA step 100-300 ms) and
# the HNN layer-5 cell (preset:hnn-l5, 0.5 nA step 50-250 ms), each 1 s of
# simulated time at dt 0.025 ms with backward Euler.
#
#   bench/cable.sh [BUILD_DIR] [RUNS]   (defaults: build, 5)
#
# NEURON runs bench/cable_neuron.py with the mechanisms of
# bench/cable-neuron/*.mod (the same equations as the Spikeworks ones),
# compiled here with nrnivmodl; the HH compartment uses NEURON's own hh.
# Times are the simulation phase only: `cpu_s` and `wall_s` of
# `spikeworks-cli run` (sw_cable_sim_run; the probes of the presets,
# sampled every 0.1 ms, included) and continuerun() in NEURON (spike
# recording only), as process CPU time and wall-clock time.  CPU time is
# the fairer measure on a shared machine, where wall time includes waits
# for the processor.  Each side
# runs RUNS times, alternating; the table gives medians and the spike
# counts and first spike times of both, which must agree.
set -eu

BUILD=${1:-build}
RUNS=${2:-5}
CLI="$BUILD/src/cli/spikeworks-cli"
HERE=$(cd "$(dirname "$0")" && pwd)
WORK="${TMPDIR:-/tmp}/spikeworks-cable-bench-$$"
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT

# Debian's NEURON needs these two work-arounds for nrnivmodl; the library
# is built even though linking `special` fails.
cp "$HERE"/cable-neuron/*.mod "$WORK"/
if [ ! -e /usr/bin/nrnmech_makefile ]; then
  echo "note: /usr/bin/nrnmech_makefile is missing; nrnivmodl may fail (see shared peers README)" >&2
fi
(cd "$WORK" && nrnivmodl -loadflags "-L/usr/lib/nrn -Wl,-rpath,/usr/lib/nrn" . > build.log 2>&1 || true)
if [ ! -f "$WORK/x86_64/libnrnmech.so" ]; then
  echo "nrnivmodl failed; see $WORK/build.log" >&2
  exit 1
fi

: > "$WORK/sw.txt"
: > "$WORK/nrn.txt"
for cell in hh brc l5; do
  case $cell in
    hh) preset="preset:hh-squid --set I=10" ;;
    brc) preset="preset:brc-cell --set I=0.1" ;;
    l5) preset="preset:hnn-l5 --set I=0.5" ;;
  esac
  i=0
  while [ $i -lt "$RUNS" ]; do
    # shellcheck disable=SC2086
    "$CLI" run $preset --duration 1s > "$WORK/out.json"
    python3 - "$cell" "$WORK/out.json" >> "$WORK/sw.txt" <<'PY'
import json, sys
d = json.load(open(sys.argv[2]))
t = d["populations"][0]["spike_times_ms"][0]
print(sys.argv[1], d["wall_s"], d["cpu_s"], len(t), " ".join("%.3f" % x for x in t[:5]))
PY
    /usr/bin/python3 "$HERE/cable_neuron.py" "$WORK" "$cell" 1 2>/dev/null | grep "^$cell " >> "$WORK/nrn.txt"
    i=$((i + 1))
  done
done

python3 - "$WORK/sw.txt" "$WORK/nrn.txt" "$RUNS" <<'PY'
import statistics, sys
def read(path):
    d = {}
    for line in open(path):
        f = line.split()
        d.setdefault(f[0], []).append((float(f[1]), float(f[2]), int(f[3]), " ".join(f[4:])))
    return d
sw, nrn = read(sys.argv[1]), read(sys.argv[2])
names = {"hh": "HH compartment (1 compartment)", "brc": "BRC E cell (16 compartments)", "l5": "HNN L5 cell (55 compartments)"}
print("| cell | Spikeworks CPU s / bio s | NEURON CPU s / bio s | speed-up (CPU) | wall SW / NEURON | spikes SW / NEURON | first spikes SW | first spikes NEURON |")
print("|---|---|---|---|---|---|---|---|")
for c in ("hh", "brc", "l5"):
    a = statistics.median(x[1] for x in sw[c])
    b = statistics.median(x[1] for x in nrn[c])
    aw = statistics.median(x[0] for x in sw[c])
    bw = statistics.median(x[0] for x in nrn[c])
    print("| %s | %.4f | %.4f | %.1f× | %.4f / %.4f | %d / %d | %s | %s |" % (names[c], a, b, b / a, aw, bw,
          sw[c][0][2], nrn[c][0][2], sw[c][0][3], nrn[c][0][3]))
print("\nruns per side: %s (medians)" % sys.argv[3])
PY
