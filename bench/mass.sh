#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Timings of the neural-mass work of spikeworks-cli:
#   1. a 68-node Jansen-Rit network with conduction delays (5 m/s), dt 0.1 ms,
#      10 s of biological time, p ~ U(120, 320) held 1 ms, on 1 and 2 threads
#      (goal: <= 1 s on 2 threads).  The network is the 68-region connectome
#      of CONNECTOME_DIR (weights, labels, centroid distances) when present,
#      else the synthetic small world with 68 nodes;
#   2. a 200-point bifurcation diagram of the Jansen-Rit node over p
#      (fixed-point continuation plus 200 simulations of 1 s + 1 s).
# Each timing is the median of RUNS runs: the wall time the program reports
# for the simulation itself, and the CPU time (user + system) and wall time
# of the whole command from /usr/bin/time.  The figures of both runs are
# written to OUT_DIR.
#
#   bench/mass.sh [BUILD_DIR] [RUNS] [OUT_DIR]     (defaults: build, 5, bench/results)
set -eu

BUILD=${1:-build}
RUNS=${2:-5}
OUT=${3:-bench/results}
CLI="$BUILD/src/cli/spikeworks-cli"
# The 68-region connectome beside the source tree (reference data, never
# copied into the project).
CONNECTOME_DIR=${CONNECTOME_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/shared/data/connectome-dk68}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"

median () { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"

if [ -f "$CONNECTOME_DIR/weights.csv" ]; then
  CONN="{ \"weights\": \"$CONNECTOME_DIR/weights.csv\", \"labels\": \"$CONNECTOME_DIR/labels.csv\", \"centroids\": \"$CONNECTOME_DIR/centroids_mm.csv\" }"
  WHICH="connectome-dk68"
else
  CONN='"synthetic", "nodes": 68'
  WHICH="synthetic small world (68 nodes)"
fi
cat > "$TMP/jr68.swk" <<DOC
{
  "format": "spikeworks", "version": 1, "kind": "mass",
  "name": "Jansen–Rit network, 68 regions",
  "simulation": { "dt": "0.1 ms", "duration": "10 s", "warmup": "0.5 s", "seed": 1, "method": "rk4",
                  "noise_hold": "1 ms", "sample_rate": "256 Hz" },
  "node": { "model": "jansen_rit", "parameters": { "p": "220 Hz", "p_spread": "100 Hz" } },
  "network": { "connectivity": $CONN, "coupling": 10, "speed": "5 m/s" }
}
DOC
echo "network: $WHICH"

for threads in 1 2; do
  rm -f "$TMP/sim" "$TMP/cpu" "$TMP/wall"
  i=0
  while [ $i -lt "$RUNS" ]; do
    /usr/bin/time -f '%e %U %S' -o "$TMP/time" "$CLI" run "$TMP/jr68.swk" --threads $threads > "$TMP/out.json"
    sed -n 's/.*"wall_seconds" : \([0-9.e-]*\).*/\1/p' "$TMP/out.json" >> "$TMP/sim"
    awk '{ print $1 }' "$TMP/time" >> "$TMP/wall"
    awk '{ print $2 + $3 }' "$TMP/time" >> "$TMP/cpu"
    i=$((i + 1))
  done
  echo "JR 68 nodes, 10 s, dt 0.1 ms, $threads thread(s): simulation $(median < "$TMP/sim") s wall;" \
       "whole command $(median < "$TMP/wall") s wall, $(median < "$TMP/cpu") s CPU (median of $RUNS)"
done
"$CLI" run "$TMP/jr68.swk" --threads 2 --figure "$OUT/mass-jr68.png" > "$OUT/mass-jr68.json"
grep -A3 '"network"' "$OUT/mass-jr68.json" | tr -d '\n' | sed 's/  */ /g'; echo

rm -f "$TMP/sim" "$TMP/cpu" "$TMP/wall"
i=0
while [ $i -lt "$RUNS" ]; do
  /usr/bin/time -f '%e %U %S' -o "$TMP/time" "$CLI" bifurcation preset:mass-jansen-rit --set duration=2s --set warmup=1s \
    --param p:0:400:200 > "$TMP/bif.json"
  sed -n 's/.*"wall_seconds" : \([0-9.e-]*\).*/\1/p' "$TMP/bif.json" >> "$TMP/sim"
  awk '{ print $1 }' "$TMP/time" >> "$TMP/wall"
  awk '{ print $2 + $3 }' "$TMP/time" >> "$TMP/cpu"
  i=$((i + 1))
done
echo "JR bifurcation over p, 200 points: computation $(median < "$TMP/sim") s wall;" \
     "whole command $(median < "$TMP/wall") s wall, $(median < "$TMP/cpu") s CPU (median of $RUNS)"
"$CLI" bifurcation preset:mass-jansen-rit --set duration=2s --set warmup=1s --param p:0:400:200 \
  --figure "$OUT/mass-jr-bifurcation.png" > "$OUT/mass-jr-bifurcation.json"
sed -n '/"hopf"/,/\]/p' "$OUT/mass-jr-bifurcation.json" | tr -d '\n' | sed 's/  */ /g'; echo
