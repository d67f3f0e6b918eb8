#!/usr/bin/env bash
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
#
# Installs what QueueDeck needs on Debian 12 (only what is missing), builds it, then:
#   scripts/dev.sh run    starts the QueueDeck desktop app with its embedded server on its
#                         default SQLite database (qdeck serve when there is no display)
#   scripts/dev.sh test   runs the whole test suite with CTest
# Works as root or through sudo, with or without a terminal. QUEUEDECK_BUILD_DIR picks the
# build directory (default: build/ in the checkout); QUEUEDECK_BUILD_GUI=OFF builds and tests the
# headless configuration (qdeck, the client and the server, no desktop app). The packages come
# from scripts/packages/*.txt; each stage prints how long it took.
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

# Compiler cache hits across build directories of the same depth (build/, build-headless/).
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}

gui=${QUEUEDECK_BUILD_GUI:-ON}
lists=("$root/scripts/packages/headless.txt")
if [ "$gui" = ON ]; then
    lists+=("$root/scripts/packages/gui.txt")
fi
if [ "$mode" = test ]; then
    lists+=("$root/scripts/packages/test.txt")
fi
# One package a line, `#` starts a comment.
mapfile -t packages < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "${lists[@]}" | tr -s ' \t' '\n' | sed '/^$/d')

# Prints how long each stage took: "stage NAME COMMAND…".
stage() {
    local name=$1 start=$SECONDS
    shift
    "$@"
    echo "[dev.sh] $name: $((SECONDS - start)) s" >&2
}

install_missing() {
    local missing=() package provided
    # What installed packages provide counts as installed: a Node.js from another archive that
    # carries npm itself conflicts with Debian's npm package.
    provided=$(dpkg-query -W -f='${db:Status-Abbrev}|${Provides}\n' 2>/dev/null |
        awk -F'|' '$1 ~ /^ii/ { print $2 }' | tr ',' '\n' | sed 's/(.*//; s/ //g' | sort -u)
    for package in "${packages[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" &&
            ! grep -qx -- "$package" <<<"$provided"; then
            missing+=("$package")
        fi
    done
    if ((${#missing[@]} > 0)); then
        echo "Installing: ${missing[*]}"
        local sudo=()
        if [ "$(id -u)" -ne 0 ]; then
            sudo=(sudo)
        fi
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
}

stage packages install_missing
# The tests are built for `test` only: `run` installs no test package.
tests=OFF
if [ "$mode" = test ]; then
    tests=ON
fi
stage configure cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DQUEUEDECK_BUILD_GUI="$gui" -DQUEUEDECK_BUILD_TESTS="$tests" >/dev/null
stage build cmake --build "$build" --parallel "$(nproc)"

if [ "$mode" = test ]; then
    # package_lists_complete among them: the lists above give a fresh machine all the build used.
    stage test ctest --test-dir "$build" --output-on-failure --parallel "$(nproc)" --timeout 900
    exit 0
fi
# The desktop app with its embedded server; without a display, the same server headless.
if [ "$gui" = ON ] && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    exec "$build/bin/queuedeck" "${@:2}"
fi
echo "No display: starting the server without its window (qdeck serve)."
exec "$build/bin/qdeck" serve "${@:2}"
