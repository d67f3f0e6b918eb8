#!/usr/bin/env bash
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
#
# The fuzz targets of tests/fuzz, built in a directory of their own with AddressSanitizer and
# UBSan (-DQUEUEDECK_FUZZ=ON); with AFL++ installed (Debian's afl++) they carry GCC's edge
# coverage and AFL++'s runtime, so afl-fuzz can drive them:
#   scripts/fuzz.sh replay            build, then replay every seed corpus (CTest)
#   scripts/fuzz.sh run [SECONDS]     build, replay, then fuzz each target with afl-fuzz for
#                                     SECONDS (default 60); fails when afl-fuzz found a crash or
#                                     a hang, and prints how to replay it
# QUEUEDECK_FUZZ_BUILD_DIR picks the build directory (default: build-fuzz/ in the checkout);
# the findings of a run are under <build>/afl/<target>/default/{crashes,hangs}.
set -euo pipefail

mode=${1:-}
seconds=${2:-60}
case "$mode" in
replay | run) ;;
*)
    echo "usage: scripts/fuzz.sh replay | run [SECONDS]" >&2
    exit 2
    ;;
esac

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${QUEUEDECK_FUZZ_BUILD_DIR:-$root/build-fuzz}
targets=(httprequestfuzzer querystringfuzzer codecfuzzer faktorycommandfuzzer jsonscanfuzzer)

if [ "$mode" = run ] && ! command -v afl-fuzz >/dev/null; then
    echo "afl-fuzz is not installed (Debian package afl++)" >&2
    exit 1
fi

started=$(date +%s)
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DQUEUEDECK_FUZZ=ON \
    >/dev/null
cmake --build "$build" --parallel "$(nproc)"
echo "fuzz build: $(($(date +%s) - started)) s"
# Quiet unless a corpus fails, so that the test suite's summary stays the last one CI prints.
if ! ctest --test-dir "$build" --output-on-failure -Q --output-log "$build/replay.log"; then
    cat "$build/replay.log"
    echo "a seed corpus failed; replay one input: $build/tests/fuzz/<target> FILE" >&2
    exit 1
fi
echo "seed corpora replayed with ASan and UBSan: ${targets[*]}"

if [ "$mode" = replay ]; then
    exit 0
fi

export AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_NO_AFFINITY=1 AFL_SKIP_CRASHES=1
export ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0
export QT_QPA_PLATFORM=offscreen
failed=0
for target in "${targets[@]}"; do
    out="$build/afl/$target"
    rm -rf "$out"
    mkdir -p "$out"
    afl-fuzz -i "$root/tests/fuzz/corpus/$target" -o "$out" -V "$seconds" -t 2000 \
        -- "$build/tests/fuzz/$target" >"$out.log" 2>&1 || true
    stats="$out/default/fuzzer_stats"
    if [ ! -f "$stats" ]; then
        echo "$target: afl-fuzz did not run; its output:" >&2
        tail -30 "$out.log" >&2
        failed=1
        continue
    fi
    value() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
    crashes=$(find "$out/default/crashes" -type f -name 'id:*' | wc -l)
    hangs=$(find "$out/default/hangs" -type f -name 'id:*' | wc -l)
    echo "$target: $(value execs_done) executions in $(value run_time) s" \
        "($(value execs_per_sec)/s), $(value corpus_count) inputs in the queue," \
        "edges found $(value edges_found), crashes $crashes, hangs $hangs"
    # A hang on a busy machine may be a slow run: it counts when it still takes 10 s alone.
    slow=0
    for input in "$out"/default/hangs/id:*; do
        [ -e "$input" ] || continue
        if ! timeout 10 "$build/tests/fuzz/$target" "$input" >/dev/null 2>&1; then
            slow=$((slow + 1))
        fi
    done
    if [ "$crashes" -gt 0 ] || [ "$slow" -gt 0 ]; then
        failed=1
        echo "  replay: $build/tests/fuzz/$target $out/default/crashes $out/default/hangs" >&2
    fi
done
exit "$failed"
