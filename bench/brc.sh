#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Speed of the BRC working-memory network (dendrites-brc spec §7): 100
# cells of interest (50 E, 25 I, 25 cue relays) plus 75 noise relays and 50
# rate cells, 1000 ms trials at dt 0.025 ms.
#
#   bench/brc.sh [BUILD_DIR] [REPEATS]   (defaults: build, 2 -> 8 trials)
#
# `spikeworks-cli brc preset:brc-network` runs 4 cues x REPEATS trials
# under /usr/bin/time, three ways:
#   - 1 thread;
#   - 2 threads, trials in parallel (one trial per thread);
#   - 2 threads inside each trial (--trial-threads 2: the cells of every
#     population split between the threads), trials one after another.
# Per way the script prints:
#   - trial s:   mean wall time of one trial (from the command's JSON),
#   - RT/trial:  simulated time / wall time of one trial (the speed of one
#                network),
#   - RT total:  simulated time of all trials / wall time of the command
#                (the throughput a search sees),
#   - CPU s/sim s: user CPU time per simulated second.
# The load average before each run is printed too: on a shared machine the
# wall times depend on it, and threads inside a trial wait for each other
# every step, so they need idle cores.
set -eu

BUILD=${1:-build}
REPEATS=${2:-2}
CLI="${CLI:-$BUILD/src/cli/spikeworks-cli}"
OUT=${TMPDIR:-/tmp}/spikeworks-brc-bench
mkdir -p "$OUT"

echo "| threads | in each trial | trials | load avg | wall s | trial s | RT/trial | RT total | CPU s / sim s |"
echo "|---|---|---|---|---|---|---|---|---|"
for way in "1 1" "2 1" "2 2"; do
  set -- $way
  t=$1 tt=$2
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f '%e %U' -o "$OUT/time-$t-$tt.txt" \
    "$CLI" brc preset:brc-network --condition nmda-dend --repeats "$REPEATS" --threads "$t" \
    --trial-threads "$tt" > "$OUT/brc-$t-$tt.json"
  python3 - "$OUT/brc-$t-$tt.json" "$OUT/time-$t-$tt.txt" "$t" "$tt" "$load" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
wall, user = (float(x) for x in open(sys.argv[2]).read().split()[-2:])
c = doc["conditions"][0]
sim_s = doc["duration_ms"] / 1000.0
n = c["trials"]
print(f"| {sys.argv[3]} | {sys.argv[4]} | {n} | {sys.argv[5]} | {wall:.1f} | {c['trial_wall_s']:.2f} | "
      f"{sim_s / c['trial_wall_s']:.3f} | {n * sim_s / wall:.3f} | {user / (n * sim_s):.2f} |")
PY
done
