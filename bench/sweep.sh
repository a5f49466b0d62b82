#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The simulated phase diagram of Brunel's model A over (g, eta), and the
# speed-up of spreading its points over 2 MPI ranks:
#   1. the map: NX x NY points, DURATION each (first WARMUP excluded), on
#      2 ranks of one thread each, drawn to bench/results/brunel-sweep.png;
#   2. a smaller grid (RX x RY) on 1 rank and on 2 ranks, one thread per
#      rank: wall times, their ratio, and whether the two CSV files are the
#      same bytes;
#   3. the theory's rates (sw-siegert.h) at the four states of spec §6 and
#      single runs of the network there.
#
#   bench/sweep.sh [BUILD_DIR]       (default: build)
# Environment: NX NY (20 20), DURATION (0.5s), WARMUP (0.1s), RX RY (8 8).
set -eu

BUILD=${1:-build}
CLI="$BUILD/src/cli/spikeworks-cli"
NX=${NX:-20}
NY=${NY:-20}
DURATION=${DURATION:-0.5s}
WARMUP=${WARMUP:-0.1s}
RX=${RX:-8}
RY=${RY:-8}
OUT=bench/results
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
MPIRUN="mpirun --oversubscribe"
[ "$(id -u)" -eq 0 ] && MPIRUN="$MPIRUN --allow-run-as-root"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
AXES="--x g:2:8:$NX --y eta:0.6:4:$NY"
MARKS="--mark 3:2:SR --mark 6:4:SI-fast --mark 5:2:AI --mark 4.5:0.9:SI-slow"

# 1. The map.
/usr/bin/time -f '%e' -o "$TMP/map_wall" $MPIRUN -n 2 "$CLI" sweep preset:brunel-a $AXES \
  --duration "$DURATION" --warmup "$WARMUP" --threads 1 --measure rate,cv,chi,peak $MARKS \
  --csv "$OUT/brunel-sweep.csv" --figure "$OUT/brunel-sweep.png"
echo "map ${NX}x${NY}, $DURATION per point, 2 ranks: $(cat "$TMP/map_wall") s"

# 2. 1 rank against 2 ranks.
SMALL="--x g:2:8:$RX --y eta:0.6:4:$RY --duration $DURATION --warmup $WARMUP --threads 1"
/usr/bin/time -f '%e' -o "$TMP/w1" "$CLI" sweep preset:brunel-a $SMALL --csv "$TMP/one.csv" 2> /dev/null
/usr/bin/time -f '%e' -o "$TMP/w2" $MPIRUN -n 2 "$CLI" sweep preset:brunel-a $SMALL --csv "$TMP/two.csv" 2> /dev/null
same=no
cmp -s "$TMP/one.csv" "$TMP/two.csv" && same=yes
echo "grid ${RX}x${RY}: 1 rank $(cat "$TMP/w1") s, 2 ranks $(cat "$TMP/w2") s," \
  "ratio $(awk -v a="$(cat "$TMP/w1")" -v b="$(cat "$TMP/w2")" 'BEGIN { printf "%.2f", a / b }'), same CSV: $same"

# 3. Theory against single runs at the four states (same duration and warm-up).
cc -O2 -I src/core -o "$TMP/theory" bench/brunel-theory.c src/core/sw-siegert.c -lm
echo "state g eta: theory_hz | simulated rate_E cv_E chi spectrum_peak_hz"
for s in "SR 3 2" "SI-fast 6 4" "AI 5 2" "SI-slow 4.5 0.9"; do
  set -- $s
  th=$("$TMP/theory" "$2" "$3" | cut -d' ' -f3)
  sim=$("$CLI" run preset:brunel-a --set g="$2" --set eta="$3" --duration "$DURATION" --warmup "$WARMUP" \
        | python3 -c 'import json, sys; d = json.load(sys.stdin); e = d["populations"]["E"]
f = lambda v, p: "n/a" if v is None else "%.*f" % (p, v)
print(f(e["rate_hz"], 2), f(e["cv_isi"], 3), f(d["chi"], 3), f(d["spectrum_peak_hz"], 1))')
  echo "$1 $2 $3: $th | $sim"
done
