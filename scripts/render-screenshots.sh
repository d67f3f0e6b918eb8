#!/usr/bin/env bash
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
# Renders the desktop app to docs/screenshots/ in a light and a dark palette: a server with six
# queues, simulated workers and producers run for a while (75 s by default) so that the charts
# move, then the Dashboard, Charts, Metrics, Workers, Nodes and Tasks tabs and the Configure dialog are
# grabbed at 1280×800 (at a display scaling of 1.5: 1920×1200). Offscreen: no display needed.
#   scripts/render-screenshots.sh [seconds] [language] [scaling]
#   e.g. scripts/render-screenshots.sh 75 de; scripts/render-screenshots.sh 75 en 1.5
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${QUEUEDECK_BUILD_DIR:-$root/build}
if [ ! -f "$build/build.ninja" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "$build" --target queuedeck-render
QT_QPA_PLATFORM=offscreen "$build/bin/queuedeck-render" --out "$root/docs/screenshots" \
    --seconds "${1:-75}" --lang "${2:-en}" --scale "${3:-1}"
