#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Full-size transfer-function fits of the FS-RS cells (async-states spec §3)
# and their check against the published sets and the network.
#
#   bench/fit-tf.sh [BUILD_DIR] [TIME] [OUT_DIR]   (defaults: build, 5s, $TMPDIR/spikeworks-fit-tf)
#
# 1. `fit-tf preset:destexhe-adex` on the spec's grid (30 x 30 over 0.1-30
#    Hz, TIME per point after 0.5 s, 2 seeds) twice: with the preset's
#    b = 30 pA (the RS cell's adaptation enters through the measured W) and
#    with b = 0; wall times are those of the whole command.
# 2. The fitted and published sets at the input of spec §7 item 4
#    (nu_e 9.8 Hz, nu_i 21.5 Hz, W = 0).
# 3. `mf --coeffs` fixed points with each set against the network means of
#    spec §7 item 7 (b = 0, 10, 30 pA; nu_ext = 0.5-25 Hz) and the mean
#    |Delta nu_E| over the table (target of §3.6: < 2 Hz).
set -eu

BUILD=${1:-build}
TIME=${2:-5s}
OUT=${3:-${TMPDIR:-/tmp}/spikeworks-fit-tf}
CLI="$BUILD/src/cli/spikeworks-cli"
mkdir -p "$OUT"

for b in 30 0; do
  f="$OUT/fit-tf-b$b-$TIME.json"
  start=$(date +%s.%N)
  "$CLI" fit-tf preset:destexhe-adex --set b=$b --population both --grid 30x30 --time "$TIME" \
    --seeds 2 --out "$f" > /dev/null
  end=$(date +%s.%N)
  echo "fit b=$b: $(echo "$end - $start" | bc) s wall -> $f"
done

python3 - "$CLI" "$OUT" "$TIME" <<'EOF'
import json, subprocess, sys

cli, out, time = sys.argv[1:4]
fits = {b: f"{out}/fit-tf-b{b}-{time}.json" for b in (30, 0)}

print("\n## Fits (30 x 30, %s per point, 2 seeds)\n" % time)
print("| fit | cell | mean abs err (Hz) | max | noise | kept | F(9.8, 21.5) | dV19 | S25 |")
print("|---|---|---|---|---|---|---|---|---|")
for b, path in fits.items():
    d = json.load(open(path))
    for p in ("E", "I"):
        e = d[p]["error"]; r = d[p]["reference_input"]
        print("| b=%d | %s | %.3f | %.2f | %.3f | %d | %.3f | %.3f | %.3f |" % (
            b, "RS" if p == "E" else "FS", e["mean_abs_hz"], e["max_abs_hz"], e["noise_hz"],
            d[p]["points"]["kept"], r["rate_hz"], r["dV19_rate_hz"], r["S25_rate_hz"]))
    print("|  | wall %.1f s (%d threads) | | | | | | | |" % (d["wall_s"], d["threads"]))

for b, path in fits.items():
    d = json.load(open(path))
    for p in ("E", "I"):
        print("\nP (V), fit b=%d %s: %s" % (b, p, ", ".join("%.6g" % x for x in d[p]["P"])))

net = {  # spec §7 item 7: (b, nu_ext) -> (nu_E, nu_I)
    (0, 0.5): (5.92, 14.48), (0, 2.5): (7.53, 21.86), (0, 5): (8.76, 29.07), (0, 10): (10.27, 41.06),
    (0, 25): (12.71, 70.76),
    (10, 0.5): (3.35, 8.72), (10, 2.5): (4.94, 16.55), (10, 5): (6.02, 23.76), (10, 10): (7.33, 35.66),
    (10, 25): (9.21, 64.98),
    (30, 0.5): (1.51, 4.25), (30, 2.5): (3.18, 12.78), (30, 5): (4.04, 19.79), (30, 10): (4.94, 31.23),
    (30, 25): (6.24, 59.98),
}

def mf(coeffs, b, nu):
    r = subprocess.run([cli, "mf", "preset:destexhe-adex", "--coeffs", coeffs, "--set", "b=%g" % b,
                        "--set", "nu_ext=%g" % nu], capture_output=True, text=True, check=True)
    d = json.loads(r.stdout)
    a = d["asynchronous_state"]
    if a is None:
        return d["class"], float("nan"), float("nan")
    fp = d["fixed_points"][a]
    return d["class"], fp["nu_e_hz"], fp["nu_i_hz"]

sets = [("fit b=30", fits[30]), ("fit b=0", fits[0]), ("S25", "S25"), ("dV19", "dV19")]
print("\n## MF fixed points vs network (spec §7 item 7), nu_E / nu_I in Hz\n")
print("| b | nu_ext | network | " + " | ".join(s for s, _ in sets) + " |")
print("|---|---|---|" + "---|" * len(sets))
dev = {s: [] for s, _ in sets}
for (b, nu), (ne, ni) in net.items():
    row = []
    for s, c in sets:
        cls, e, i = mf(c, b, nu)
        row.append("%s %.2f / %.2f" % (cls, e, i))
        if e == e:
            dev[s].append((abs(e - ne), abs(i - ni)))
    print("| %d | %g | %.2f / %.2f | %s |" % (b, nu, ne, ni, " | ".join(row)))
print("\nmean |Delta nu_E| / |Delta nu_I| over the table (points with an asynchronous state):")
for s, _ in sets:
    d = dev[s]
    if d:
        print("  %-9s %.2f / %.2f Hz (%d points)" % (s, sum(x for x, _ in d) / len(d),
                                                   sum(y for _, y in d) / len(d), len(d)))
EOF
