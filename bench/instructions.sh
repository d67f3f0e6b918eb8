#!/bin/bash
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
#
# Instructions the server executes per operation, counted by callgrind: a figure that does not
# move with the machine's load. qdeck-apibench runs the workload twice against `qdeck serve` under
# callgrind, with 500 and with 1,500 operations; the difference of the two totals over 1,000 is
# the cost of one operation (start-up and set-up cancel out).
#
#   bench/instructions.sh [single|minimal|heartbeat|lease|complete] [BUILD_DIR]     (needs valgrind)
#
# QDECK_CALLGRIND_KEEP=DIR keeps the two profiles in DIR (callgrind_annotate --inclusive=yes
# DIR/callgrind.1500 shows where the instructions go).
set -euo pipefail
workload=${1:-single}
build=$(cd "${2:-build}" && pwd)
if [[ -n ${QDECK_CALLGRIND_KEEP:-} ]]; then
    mkdir -p "$QDECK_CALLGRIND_KEEP"
    work=$(cd "$QDECK_CALLGRIND_KEEP" && pwd)
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi
cat > "$work/qdeck" <<WRAP
#!/bin/sh
exec valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.\$QDECK_RUN" "$build/bin/qdeck" "\$@"
WRAP
chmod +x "$work/qdeck"
for n in 500 1500; do
    QDECK_RUN=$n "$build/bin/qdeck-apibench" --only "$workload" --ops "$n" --qdeck "$work/qdeck" \
        > /dev/null 2>&1
done
total() { awk '/^summary:/ {print $2}' "$work/callgrind.$1"; }
echo "$workload: $(( ($(total 1500) - $(total 500)) / 1000 )) server instructions per operation"
