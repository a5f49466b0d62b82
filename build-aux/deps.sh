#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs the build dependencies of Spikeworks that are missing, with
# apt-get (Debian 12 and later).  Usage: build-aux/deps.sh [bench]
#   bench: also the peer simulators used by bench/ (Brian2, NEURON, hyperfine).
# The workbench needs GTK 4, libadwaita and libepoxy; its tests need a virtual
# X server (xvfb, xauth), the MIME database and SVG loader that GTK reads
# icons with, Mesa for GL, and the validators of the desktop file and the
# metainfo.
set -euo pipefail

packages=(gcc meson ninja-build pkg-config python3 libglib2.0-dev libjson-glib-dev libcairo2-dev)
packages+=(libgtk-4-dev libadwaita-1-dev libepoxy-dev gettext libxml2-utils
           desktop-file-utils appstream shared-mime-info librsvg2-common adwaita-icon-theme
           xvfb xauth libgl1-mesa-dri)
# Optional features and the peers the tests compare against: HDF5 (SONATA,
# NWB), Open MPI (sweeps over ranks), NEURON and PyNN (the exported scripts,
# the cable self-checks).
packages+=(libhdf5-dev libopenmpi-dev openmpi-bin neuron neuron-dev python3-neuron python3-pynn)
if [ "${1:-}" = bench ]; then
  packages+=(python3-brian python3-scipy python3-dev g++ hyperfine time)
fi

trap '"$(dirname "$0")"/pynn-mechanisms.sh || echo "warning: the PyNN export will not be checked against NEURON" >&2' EXIT
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "Installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
