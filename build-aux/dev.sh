#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The two commands of the README.
#   build-aux/dev.sh run    install what is missing, build, run the workbench
#                           (or, without a display, the headless demo)
#   build-aux/dev.sh test   install what is missing, build, run every test
#                           (the GUI tests under Xvfb when there is no display)
# Extra arguments after `run` go to the workbench (files to open) or to
# spikeworks-cli run.
set -euo pipefail
cd "$(dirname "$0")/.."

what="${1:-run}"
shift || true
build-aux/deps.sh
if [ ! -f build/build.ninja ]; then
  meson setup build
fi
# A build folder set up while the mpi option defaulted to disabled keeps
# that value: bring it to auto, so that MPI is on wherever Open MPI is.
if meson introspect build --buildoptions 2>/dev/null | python3 -c 'import json, sys
sys.exit(0 if any(o["name"] == "mpi" and o["value"] == "disabled" for o in json.load(sys.stdin)) else 1)'; then
  meson configure build -Dmpi=auto
fi
ninja -C build

case "$what" in
  run)
    # With a display, the workbench, from the build tree (its settings
    # schema is compiled there).  Headless, the demo runs the FS-RS network
    # of the destexhe-adex preset and prints its summary.
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x build/src/gui/spikeworks ]; then
      export GSETTINGS_SCHEMA_DIR="$PWD/build/data${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}"
      exec build/src/gui/spikeworks "$@"
    fi
    echo "Running preset:destexhe-adex for 3 s of simulated time (b = 0, nu_ext = 2.5 Hz)..." >&2
    exec build/src/cli/spikeworks-cli run preset:destexhe-adex --set b=0 --duration 3s --warmup 1s "$@"
    ;;
  test)
    status=0
    # Tests that need a display find one: the GUI tests of tests/gui start
    # their own Xvfb, and without a display the whole run gets one too.
    runner=()
    if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && command -v xvfb-run >/dev/null; then
      runner=(xvfb-run --auto-servernum --server-args="-screen 0 1280x1024x24 -nolisten tcp")
    fi
    "${runner[@]}" meson test -C build --print-errorlogs || status=$?
    python3 build-aux/test-summary.py build/meson-logs/testlog.json || status=$?
    exit $status
    ;;
  *)
    echo "usage: $0 run|test" >&2
    exit 2
    ;;
esac
