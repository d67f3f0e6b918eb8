#!/usr/bin/env bash
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
#
# Builds the headless `qdeck` the worker image ships, the same way wherever it runs: in the build
# stage of packaging/worker.Dockerfile, and in CI on the checkout (where there is no Docker).
#
#   packaging/build-worker.sh PREFIX [BUILD_DIR]
#
# Installs the packages of scripts/packages/headless.txt that are missing (apt, as root or through
# sudo), configures the headless build (-DQUEUEDECK_BUILD_GUI=OFF: QtCore, QtNetwork and QtSql
# only; no tests, no benchmarks) in BUILD_DIR (default: build-worker/ in the checkout), builds
# `qdeck` and installs it stripped as PREFIX/usr/local/bin/qdeck. QUEUEDECK_BUILD_TYPE picks the
# CMake build type (default RelWithDebInfo, which shares the compiler cache with scripts/dev.sh).
set -euo pipefail

if (($# < 1 || $# > 2)); then
    echo "usage: packaging/build-worker.sh PREFIX [BUILD_DIR]" >&2
    exit 2
fi
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
prefix=$1
build=${2:-$root/build-worker}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}

mapfile -t packages < <(sed -e 's/#.*//' "$root/scripts/packages/headless.txt" | tr -s ' \t' '\n' |
    sed '/^$/d')
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
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="${QUEUEDECK_BUILD_TYPE:-RelWithDebInfo}" \
    -DQUEUEDECK_BUILD_GUI=OFF -DQUEUEDECK_BUILD_TESTS=OFF -DQUEUEDECK_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" --parallel "$(nproc)" --target qdeck
install -D --strip -m 0755 "$build/bin/qdeck" "$prefix/usr/local/bin/qdeck"
echo "installed $prefix/usr/local/bin/qdeck"
