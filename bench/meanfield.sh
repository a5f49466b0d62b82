#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Timings of the mean-field work of spikeworks-cli (issue: mean field):
#   1. a 200 x 200 phase map over (nu_ext, b) of the destexhe-adex preset
#      (goal: <= 0.5 s on 2 threads) — median of RUNS runs, both the map alone
#      (as the program reports it) and the whole command;
#   2. `respond` with 20 trials x 10 sweep points on the full network;
#   3. the transfer-function fit (30 x 30, 5 s per point, 2 seeds, both cells).
#
#   bench/meanfield.sh [BUILD_DIR] [RUNS]      (defaults: build, 5)
#
# Uses only /usr/bin/time and POSIX tools.
set -eu

BUILD=${1:-build}
RUNS=${2:-5}
CLI="$BUILD/src/cli/spikeworks-cli"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

median () { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"

i=0
while [ $i -lt "$RUNS" ]; do
  /usr/bin/time -f '%e' -o "$TMP/wall" "$CLI" phase preset:destexhe-adex \
    --x nu_ext:0.3:30:200 --y b:0:150:200 --threads 2 --csv "$TMP/map.csv" 2> "$TMP/err"
  sed -n 's/.*cells in \([0-9.]*\) s.*/\1/p' "$TMP/err" >> "$TMP/map_s"
  cat "$TMP/wall" >> "$TMP/phase_wall"
  i=$((i + 1))
done
echo "phase 200x200: map $(median < "$TMP/map_s") s, whole command $(median < "$TMP/phase_wall") s (median of $RUNS)"

/usr/bin/time -f '%e %M' -o "$TMP/resp" "$CLI" respond preset:destexhe-adex --set b=0 \
  --sweep nu_ext:0.5:25:10 --trials 20 --threads 2 --csv "$TMP/respond.csv" 2> /dev/null
set -- $(cat "$TMP/resp")
echo "respond 20 trials x 10 points (full 10k network): $1 s wall, peak $(($2 / 1024)) MiB"

/usr/bin/time -f '%e %M' -o "$TMP/fit" "$CLI" fit-tf preset:destexhe-adex --population both \
  --grid 30x30 --time 5s --seeds 2 --threads 2 --out "$TMP/fit.json" > /dev/null 2>&1
set -- $(cat "$TMP/fit")
echo "fit-tf 30x30, 5 s per point, 2 seeds, E and I: $1 s wall, peak $(($2 / 1024)) MiB"
