#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The live workbench under load (issue 4): the 10 000-neuron destexhe-adex
# preset runs in a window with the raster, rates and trace views for 30 s;
# live-bench reports the real-time factor, the frame rate, the worst frame
# and the slider-to-effect latency (a human summary on stderr, JSON on
# stdout).  Without a display it starts its own Xvfb.
#
#   bench/live.sh [BUILD_DIR] [live-bench options: --seconds S --no-gl ...]
#
# Xvfb renders GL in software (llvmpipe); GSK_RENDERER=cairo in the
# environment measures GTK's cairo renderer instead.
set -eu

build=${1:-build}
[ $# -gt 0 ] && shift
bench="$build/src/gui/live/live-bench"
if [ ! -x "$bench" ]; then
  echo "live.sh: $bench not found; build with -Dgui=enabled first" >&2
  exit 2
fi

export GSETTINGS_BACKEND=memory GTK_A11Y=none NO_AT_BRIDGE=1 ADW_DISABLE_PORTAL=1

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  exec xvfb-run --auto-servernum --server-args="-screen 0 1280x1024x24 -nolisten tcp" \
    "$bench" --seconds 30 "$@"
fi
exec "$bench" --seconds 30 "$@"
