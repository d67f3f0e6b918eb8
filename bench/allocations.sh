#!/bin/bash
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
#
# Heap allocations the server makes per operation, counted by valgrind's DHAT: like the
# instruction count, a figure that does not move with the machine's load. qdeck-apibench runs the
# workload twice against `qdeck serve` under DHAT, with 500 and with 1,500 operations; the
# difference of the two totals over 1,000 is the cost of one operation.
#
#   bench/allocations.sh [single|minimal|heartbeat|lease|complete] [BUILD_DIR]     (needs valgrind)
set -euo pipefail
workload=${1:-single}
build=$(cd "${2:-build}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/qdeck" <<WRAP
#!/bin/sh
exec valgrind --tool=dhat --dhat-out-file=/dev/null --log-file="$work/dhat.\$QDECK_RUN" \
    "$build/bin/qdeck" "\$@"
WRAP
chmod +x "$work/qdeck"
for n in 500 1500; do
    QDECK_RUN=$n "$build/bin/qdeck-apibench" --only "$workload" --ops "$n" --qdeck "$work/qdeck" \
        > /dev/null 2>&1
done
# "==PID== Total:     123,456 bytes in 7,890 blocks"
field() { awk -v f="$2" '/Total:/ {gsub(",", ""); print $f}' "$work/dhat.$1"; }
blocks=$(( ($(field 1500 6) - $(field 500 6)) / 1000 ))
bytes=$(( ($(field 1500 3) - $(field 500 3)) / 1000 ))
echo "$workload: $blocks server allocations ($bytes bytes) per operation"
