#!/bin/bash
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
# Where one-by-one enqueue on PostgreSQL stands beside pgbench, taken apart (docs/performance.md):
#
#   bench/pgfloor.sh postgresql://USER@HOST:PORT/DB [QDECK_FLOOR]
#
# on a database a `qdeck serve` is leading (its lease is read from cluster_leases). Prints, each
# the median of ROUNDS (default 3) runs of 6 s:
#   onerow   pgbench -c 1 committing one-row inserts (the target's yardstick, simple protocol);
#   fenced   pgbench -c 1 committing QueueDeck's own enqueue transaction: BEGIN, the 18-column
#            INSERT into tasks, the leader's fence, COMMIT, in one pipeline (prepared);
#   unfenced the same without the fence;
#   relay    qdeck-floor: one-row inserts through a relaying process that costs nothing but
#            its sockets, against the same inserts sent directly.
# fenced/onerow × relay bounds from above what any server that writes QueueDeck's transaction can
# reach on this machine. Rows are written into tasks under a queue id no queue has (-1) and
# deleted afterwards.
set -euo pipefail
URL=${1:?usage: bench/pgfloor.sh postgresql://USER@HOST:PORT/DB [QDECK_FLOOR]}
FLOOR=${2:-$(dirname "$0")/../build/bin/qdeck-floor}
ROUNDS=${ROUNDS:-3}
PGBENCH=$(ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | tail -1)
[ -x "$PGBENCH" ] || { echo "pgfloor.sh: pgbench not found (package postgresql-15)" >&2; exit 1; }
[ -x "$FLOOR" ] || { echo "pgfloor.sh: $FLOOR not found: build qdeck-floor first" >&2; exit 1; }
psql() { command psql "$URL" -qAt -v ON_ERROR_STOP=1 "$@"; }
lease=$(psql -c "SELECT holder || ' ' || token FROM cluster_leases WHERE name = 'leader'")
[ -n "$lease" ] || { echo "pgfloor.sh: no leader's lease in $URL: start qdeck serve on it" >&2; exit 1; }
read -r holder token <<<"$lease"
work=$(mktemp -d); trap 'rm -rf "$work"; psql -c "DROP TABLE IF EXISTS pgfloor_onerow; DELETE FROM tasks WHERE queue = -1"' EXIT
psql -c "CREATE TABLE IF NOT EXISTS pgfloor_onerow(id bigserial PRIMARY KEY, payload bytea)"
payload="'\\x7b2269223a31323334352c2274223a313733333037383430303030303030307d'"
echo "INSERT INTO pgfloor_onerow(payload) VALUES ($payload);" > "$work/onerow.sql"
insert="INSERT INTO tasks(seq, queue, state, type, payload, priority, enqueued_at, run_at, \
max_attempts, timeout_s, expire_at, deadline, idempotency_key, concurrency_key, required_labels, \
target_worker, parent_id, run_id) VALUES (:seq, -1, 1, 'bench', $payload, 0, 1796148912837, \
1796148912837, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);"
for fence in fenced unfenced; do
    {
        echo "\\set seq random(1000000000000000, 9000000000000000)"
        echo "\\startpipeline"; echo "BEGIN;"; echo "$insert"
        [ $fence = fenced ] && echo "SELECT queuedeck_confirm_lease('leader', '$holder', $token);"
        echo "COMMIT;"; echo "\\endpipeline"
    } > "$work/$fence.sql"
done
tps() { "$PGBENCH" "$URL" -n -c 1 -T 6 "$@" 2>&1 | sed -n 's/^tps = \([0-9]*\).*/\1/p'; }
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
for r in $(seq "$ROUNDS"); do
    echo "$(tps -f "$work/onerow.sql") $(tps -M prepared -f "$work/fenced.sql") \
$(tps -M prepared -f "$work/unfenced.sql") $("$FLOOR" "$URL" 5000 1 | sed -n 's/^median relayed\/direct: //p')"
done > "$work/runs"
cat "$work/runs" | awk '{printf "round %d: onerow %s tps, fenced %s, unfenced %s, relay %s\n", NR, $1, $2, $3, $4}'
onerow=$(awk '{print $1}' "$work/runs" | median)
fenced=$(awk '{print $2}' "$work/runs" | median)
unfenced=$(awk '{print $3}' "$work/runs" | median)
relay=$(awk '{print $4}' "$work/runs" | median)
awk -v o="$onerow" -v f="$fenced" -v u="$unfenced" -v r="$relay" 'BEGIN {
    printf "medians: onerow %d tps; fenced %d (%.2f×); unfenced %d (%.2f×); relay %.2f×\n", o, f, f/o, u, u/o, r
    printf "bound for a server writing the fenced transaction: %.2f× pgbench (unfenced: %.2f×)\n", f/o*r, u/o*r }'
