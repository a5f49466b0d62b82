#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The two commands of the README.
#   build-aux/dev.sh run    install what is missing, build, run the demo
#   build-aux/dev.sh test   install what is missing, build, run every test
# Extra arguments after `run` go to spikeworks-cli run.
set -euo pipefail
cd "$(dirname "$0")/.."

what="${1:-run}"
shift || true
build-aux/deps.sh
if [ ! -f build/build.ninja ]; then
  meson setup build
fi
ninja -C build

case "$what" in
  run)
    # The workbench comes with the GUI build; headless, the demo runs the
    # FS-RS network of the destexhe-adex preset and prints its summary.
    echo "Running preset:destexhe-adex for 3 s of simulated time (b = 0, nu_ext = 2.5 Hz)..." >&2
    exec build/src/cli/spikeworks-cli run preset:destexhe-adex --set b=0 --duration 3s --warmup 1s "$@"
    ;;
  test)
    status=0
    meson test -C build --print-errorlogs || status=$?
    python3 build-aux/test-summary.py build/meson-logs/testlog.json || status=$?
    exit $status
    ;;
  *)
    echo "usage: $0 run|test" >&2
    exit 2
    ;;
esac
