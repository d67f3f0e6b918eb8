#!/usr/bin/env bash
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
#
# Installs what QueueDeck needs on Debian 12 (only what is missing), builds it, then:
#   scripts/dev.sh run    starts the QueueDeck desktop app with its embedded server on its
#                         default SQLite database (qdeck serve when there is no display)
#   scripts/dev.sh test   runs the whole test suite with CTest
# Works as root or through sudo, with or without a terminal. QUEUEDECK_BUILD_DIR picks the
# build directory (default: build/ in the checkout).
set -euo pipefail

mode=${1:-}
case "$mode" in
run | test) ;;
*)
    echo "usage: scripts/dev.sh run|test" >&2
    exit 2
    ;;
esac

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${QUEUEDECK_BUILD_DIR:-$root/build}

packages=(
    build-essential cmake ninja-build ccache
    qt6-base-dev libqt6opengl6-dev libqt6sql6-sqlite libsqlite3-dev libhttp-parser-dev openssl
    qt6-charts-dev qt6-tools-dev qt6-l10n-tools qtkeychain-qt6-dev
)
if [ "$mode" = test ]; then
    # Answers checked against the OpenAPI document; install scripts parsed and verified.
    packages+=(python3 python3-jsonschema python3-yaml systemd)
    # The Faktory listener's tests drive it with the Node client faktory-worker.
    packages+=(nodejs)
    if ! command -v npm >/dev/null; then
        packages+=(npm)
    fi
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if ((${#missing[@]} > 0)); then
    echo "Installing: ${missing[*]}"
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        sudo=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --parallel "$(nproc)"

if [ "$mode" = test ]; then
    exec ctest --test-dir "$build" --output-on-failure --parallel "$(nproc)" --timeout 900
fi
# The desktop app with its embedded server; without a display, the same server headless.
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    exec "$build/bin/queuedeck" "${@:2}"
fi
echo "No display: starting the server without its window (qdeck serve)."
exec "$build/bin/qdeck" serve "${@:2}"
