#!/bin/bash
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
#
# The server's system calls by kind during one qdeck-apibench workload: strace -c -f attached to
# `qdeck serve` once it is up. (qdeck-apibench --syscalls gives the total per operation, from perf.)
#
#   bench/syscalls.sh [single|minimal|heartbeat|drain|batch] [BUILD_DIR]     (needs strace)
set -euo pipefail
workload=${1:-single}
build=$(cd "${2:-build}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/qdeck" <<WRAP
#!/bin/bash
"$build/bin/qdeck" "\$@" & server=\$!
sleep 0.3
strace -c -f -p \$server -o "$work/strace.txt" & tracer=\$!
trap 'kill -INT \$tracer; wait \$tracer; kill \$server; wait \$server; exit 0' TERM
wait \$server
WRAP
chmod +x "$work/qdeck"
"$build/bin/qdeck-apibench" --quick --only "$workload" --qdeck "$work/qdeck" | grep '^| [a-z]' \
    | grep -v '^| condition' | cut -d'|' -f3,4
sleep 1
cat "$work/strace.txt"
