#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""The queue rules hold over the whole cluster, whichever node is asked.

Three `qdeck serve` nodes on one PostgreSQL of the test's own (as test_cluster.py starts them);
every check spreads its calls over the three nodes and judges from what the server recorded:

- rate_limit: tasks started in any window, from every task's recorded start, stay within the
  bucket (capacity max(1, rate) plus rate × window) over the workers of all nodes;
- round-robin: tasks enqueued key after key start with the keys taking turns;
- max_per_key: the most tasks of one key running at once, from every task's start and finish,
  is exactly max_per_key (reached, never passed);
- max_depth: an enqueue beyond it is refused RESOURCE_EXHAUSTED through every node;
- idempotency: one key enqueued through each node gives one task;
- cancel: a task leased through one node and cancelled through another is cancelled, and the
  worker's heartbeat through the third is told to stop it;
- max_workers: the slot beyond it is refused RESOURCE_EXHAUSTED on every node.

    test_cluster_rules.py QDECK [--without RULE]...

`--without RULE` leaves that rule unset (or the call that exercises it unmade); its check must
then fail, and the script says so — a way to see that each check can fail.
"""

import argparse
import datetime
import pathlib
import subprocess
import sys
import tempfile
import threading
import os
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "reliability"))
from qdeckprocess import ApiError, Client, join_token  # noqa: E402
from test_cluster import (Failover, Postgres, add_node, pg_bin, stop_cluster,  # noqa: E402
                          wait_for_one_leader)

RULES = ["rate_limit", "round_robin", "max_per_key", "max_depth", "idempotency", "cancel",
         "max_workers", "wake_up"]


def at_ms(text):
    return int(datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)


class Cluster:
    def __init__(self, ports, token):
        self.ports = ports
        self.token = token
        self.admin = Failover(ports, token, 0)
        self.serial = 0
        self.queue_ids = []
        self.url = None

    def node(self, index):
        return Client(self.ports[index % len(self.ports)], self.token)

    def queue(self, name, **settings):
        body = {"name": name, "max_workers": 20, "worker_timeout_s": 120, "task_timeout_s": 60}
        body.update({k: v for k, v in settings.items() if v is not None})
        _, queue = self.node(self.serial).call("POST", "/environments/default/worker-queues", body)
        self.serial += 1
        self.queue_ids.append(queue["id"])
        return queue["id"]

    def register(self, qid, index):
        _, answer = self.node(index).call("POST", "/workers/register",
                                          {"queue_id": qid, "hostname": f"w{index}",
                                           "pid": 1000 + index})
        return answer["worker_id"], Client(self.ports[index % len(self.ports)],
                                           answer["credential"])

    def enqueue(self, qid, items):
        """Batches of 50, through the nodes in turn."""
        for start in range(0, len(items), 50):
            self.node(start // 50).call("POST", f"/worker-queues/{qid}/tasks:batch",
                                        {"tasks": items[start:start + 50]})

    def tasks(self, qid, state):
        out, cursor = [], None
        while True:
            path = f"/worker-queues/{qid}/tasks?state={state}&limit=500"
            if cursor:
                path += f"&cursor={cursor}"
            _, page = self.admin.call("GET", path)
            out += page["items"]
            cursor = page.get("next_cursor")
            if not cursor:
                return out


def drain(cluster, qid, total, workers, batch, timeout=60):
    """`workers` workers (spread over the nodes) lease up to `batch` at a time and ack them all
    at once, until `total` tasks succeeded; returns the succeeded tasks."""
    done = [0]
    lock = threading.Lock()
    errors = []
    stop = threading.Event()

    def work(index):
        wid, client = cluster.register(qid, index)
        try:
            while not stop.is_set():
                _, answer = client.call("POST", f"/workers/{wid}/lease",
                                        {"max": batch, "wait_ms": 300})
                if not answer["tasks"]:
                    continue
                acks = [{"task_id": t["id"], "lease_id": t["lease_id"]} for t in answer["tasks"]]
                _, outcome = client.call("POST", f"/workers/{wid}/complete", {"acks": acks})
                with lock:
                    done[0] += sum(1 for item in outcome["results"] if item["ok"])
                    if done[0] >= total:
                        stop.set()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(f"worker {index}: {error!r}")
            stop.set()
        finally:
            client.call("DELETE", f"/workers/{wid}")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    stop.wait(timeout)
    stop.set()
    for thread in threads:
        thread.join()
    if errors:
        raise AssertionError(errors)
    succeeded = cluster.tasks(qid, "succeeded")
    if len(succeeded) != total:
        raise AssertionError(f"{len(succeeded)} of {total} tasks ran within {timeout} s")
    return succeeded


def check_rate_and_round_robin(cluster, without):
    """rate_limit 25/s over 6 workers on 3 nodes; 150 tasks of 5 keys, enqueued key by key."""
    rate, keys, per_key = 25.0, 5, 30
    qid = cluster.queue("rated", rate_limit=None if "rate_limit" in without else rate)
    items = [{"type": "r", "payload": {"k": k, "i": i}, "concurrency_key": f"k{k}"}
             for k in range(keys) for i in range(per_key)]
    if "round_robin" in without:
        for item in items:  # no keys: one FIFO lane, in enqueue order
            del item["concurrency_key"]
    cluster.enqueue(qid, items)
    began = time.monotonic()
    succeeded = drain(cluster, qid, len(items), workers=6, batch=4)
    elapsed = time.monotonic() - began
    starts = sorted((at_ms(t["started_at"]), t["payload"]["k"]) for t in succeeded)

    results = {}
    # Token bucket: capacity max(1, rate), full at the start; any window [a, b] holds at most
    # capacity + rate × (b − a) starts; one more for the clock's millisecond rounding.
    capacity = max(1.0, rate)
    worst = None
    for i in range(len(starts)):
        for j in range(i, len(starts)):
            allowed = capacity + rate * (starts[j][0] - starts[i][0]) / 1000.0 + 1
            excess = (j - i + 1) - allowed
            if worst is None or excess > worst[0]:
                worst = (excess, j - i + 1, starts[j][0] - starts[i][0])
    if worst[0] > 0:
        results["rate_limit"] = (False, f"{worst[1]} tasks started within {worst[2]} ms; "
                                        f"rate_limit {rate:g}/s allows {worst[1] - worst[0]:.1f}")
    else:
        results["rate_limit"] = (True, f"{len(starts)} starts in {elapsed:.1f} s, no window "
                                       f"above the {rate:g}/s bucket (closest {worst[0]:.1f})")

    # Round-robin: the first keys × 6 starts hold every key at least 4 times (FIFO would give
    # the first key 30 of them).
    first = [k for _, k in starts[:keys * 6]]
    counts = [first.count(k) for k in range(keys)]
    if min(counts) >= 4:
        results["round_robin"] = (True, f"first {len(first)} starts per key: {counts}")
    else:
        results["round_robin"] = (False, f"keys did not take turns: first {len(first)} "
                                         f"starts per key {counts}")
    return results


def check_max_per_key(cluster, without):
    """max_per_key 2; 4 keys × 40 tasks; 6 workers on 3 nodes leasing 3 at a time."""
    limit, keys, per_key = 2, 4, 40
    qid = cluster.queue("per-key", max_per_key=None if "max_per_key" in without else limit)
    items = [{"type": "p", "payload": {"k": k, "i": i}, "concurrency_key": f"k{k}"}
             for k in range(keys) for i in range(per_key)]
    cluster.enqueue(qid, items)
    succeeded = drain(cluster, qid, len(items), workers=6, batch=3)
    peaks = {}
    for key in range(keys):
        events = []
        for task in succeeded:
            if task["concurrency_key"] == f"k{key}":
                events.append((at_ms(task["started_at"]), 1))
                events.append((at_ms(task["finished_at"]), -1))
        running = peak = 0
        for _, change in sorted(events):  # a finish before a start at the same millisecond
            running += change
            peak = max(peak, running)
        peaks[f"k{key}"] = peak
    top = max(peaks.values())
    if top == limit:
        return {"max_per_key": (True, f"most running at once per key {peaks}")}
    return {"max_per_key": (False, f"most running at once per key {peaks}; "
                                   f"max_per_key is {limit}")}


def check_max_depth(cluster, without):
    depth = 20
    qid = cluster.queue("deep", max_depth=None if "max_depth" in without else depth)
    for n in range(depth):
        cluster.node(n).call("POST", f"/worker-queues/{qid}/tasks", {"type": "d", "payload": {}})
    refused = []
    for index in range(3):
        try:
            cluster.node(index).call("POST", f"/worker-queues/{qid}/tasks",
                                     {"type": "d", "payload": {}})
            refused.append(f"node {index}: accepted")
        except ApiError as error:
            refused.append(f"node {index}: {error.code}")
    ok = all(r.endswith("RESOURCE_EXHAUSTED") for r in refused)
    return {"max_depth": (ok, f"enqueue {depth + 1} with max_depth {depth}: {refused}")}


def check_idempotency(cluster, without):
    qid = cluster.queue("idem")
    answers = []
    for index in range(3):
        body = {"type": "i", "payload": {"from": index}}
        if "idempotency" not in without:
            body["idempotency_key"] = "once"
        status, task = cluster.node(index).call("POST", f"/worker-queues/{qid}/tasks", body)
        answers.append((status, task["id"]))
    ids = {task_id for _, task_id in answers}
    queued = len(cluster.tasks(qid, "queued"))
    ok = len(ids) == 1 and queued == 1 and [s for s, _ in answers] == [201, 200, 200]
    return {"idempotency": (ok, f"statuses {[s for s, _ in answers]}, {len(ids)} ids, "
                                f"{queued} queued")}


def check_cancel(cluster, without):
    qid = cluster.queue("cancel")
    cluster.node(0).call("POST", f"/worker-queues/{qid}/tasks", {"type": "c", "payload": {}})
    wid, through_two = cluster.register(qid, 2)
    _, leased = through_two.call("POST", f"/workers/{wid}/lease", {"max": 1, "wait_ms": 5000})
    task = leased["tasks"][0]
    if "cancel" not in without:
        cluster.node(1).call("POST", f"/tasks/{task['id']}/cancel")
    heartbeat_client = Client(cluster.ports[0], through_two.token)
    _, beat = heartbeat_client.call("POST", f"/workers/{wid}/heartbeat",
                                    {"status": "active", "running": [task["id"]]})
    _, seen = cluster.node(2).call("GET", f"/tasks/{task['id']}")
    ok = task["id"] in beat.get("cancel", []) and seen["state"] == "cancelled"
    through_two.call("DELETE", f"/workers/{wid}")
    return {"cancel": (ok, f"leased through node 2, heartbeat through node 0 told to cancel "
                           f"{beat.get('cancel', [])}, state {seen['state']}")}


def check_max_workers(cluster, without):
    slots = 3
    qid = cluster.queue("slots", max_workers=0 if "max_workers" in without else slots)
    for index in range(slots):
        cluster.register(qid, index)
    outcome = []
    for index in range(3):
        try:
            cluster.register(qid, index)
            outcome.append(f"node {index}: registered")
        except ApiError as error:
            outcome.append(f"node {index}: {error.code}")
    ok = all(o.endswith("RESOURCE_EXHAUSTED") for o in outcome)
    return {"max_workers": (ok, f"worker {slots + 1} with max_workers {slots}: {outcome}")}


def check_wake_up(cluster, without):
    """A worker in a long poll through one follower gets a task enqueued through the other
    follower at once: a follower's long poll waits on the leader, where the enqueue wakes it.
    The enqueue is sent once the leader logged the poll as parked (the nodes log
    queuedeck.api at debug level for this)."""
    _, listed = cluster.node(0).call("GET", "/nodes")
    followers = [index for index, port in enumerate(cluster.ports)
                 if any(n["role"] == "follower" and n["address"].endswith(f":{port}")
                        for n in listed["nodes"])]
    parked_on, enqueued_on = followers[0], followers[1]
    qid = cluster.queue("wake")
    wid, client = cluster.register(qid, parked_on)
    polling = threading.Event()
    answer = {}

    def park():
        polling.set()
        started = time.monotonic()
        _, answer["body"] = client.call("POST", f"/workers/{wid}/lease",
                                        {"max": 1, "wait_ms": 5000})
        answer["at"], answer["waited"] = time.monotonic(), time.monotonic() - started

    thread = threading.Thread(target=park)
    thread.start()
    polling.wait(10)
    deadline = time.monotonic() + 10
    mark = f'parked a lease of worker "{wid}"'
    while time.monotonic() < deadline and not any(
            mark in log.read_text(errors="replace") for log in cluster.logs if log.exists()):
        time.sleep(0.02)
    sent = time.monotonic()
    if "wake_up" not in without:
        cluster.node(enqueued_on).call("POST", f"/worker-queues/{qid}/tasks",
                                       {"type": "wake", "payload": {}})
    thread.join()
    client.call("DELETE", f"/workers/{wid}")
    got = answer.get("body", {}).get("tasks", [])
    latency = answer.get("at", sent) - sent
    ok = len(got) == 1 and latency < 1.0
    return {"wake_up": (ok, f"long poll through node {parked_on}, enqueue through node "
                            f"{enqueued_on}: {len(got)} task(s) {latency * 1000:.0f} ms after the "
                            f"enqueue was sent (the poll waited {answer.get('waited', 0):.2f} s)")}


def check_sealed_tokens(cluster, pg, qdeck, work):
    """Join tokens are in the database only encrypted with the cluster key; a node given another
    key refuses to start, saying how to fix it."""
    tokens = {qid: join_token(cluster.node(0), qid) for qid in cluster.queue_ids}
    rows = subprocess.run([str(pg_bin() / "psql"), "-X", "-A", "-t", "-h", "127.0.0.1", "-p",
                           str(pg.port), "-U", "postgres", "-c",
                           "SELECT id || ' ' || join_token FROM queues"],
                          check=True, capture_output=True, text=True).stdout.split()
    stored = dict(zip(rows[::2], rows[1::2]))
    assert set(stored) >= set(tokens), (sorted(stored), sorted(tokens))
    plain = [qid for qid, token in tokens.items() if token in stored[qid]]
    assert not plain, f"join tokens stored in plain text: {plain}"
    assert all(value.startswith("qdk1:") for value in stored.values()), stored
    data = pathlib.Path(work) / "stranger"
    other_key = "c3RyYW5nZXJzdHJhbmdlcnN0cmFuZ2Vyc3RyYW5nZXI="  # 32 bytes, not the cluster's
    stranger = subprocess.run(
        [qdeck, "serve", "--listen", "127.0.0.1:0", "--data-dir", str(data), "--database",
         cluster.url], env=dict(os.environ, QUEUEDECK_CLUSTER_KEY=other_key),
        capture_output=True, text=True, timeout=60)
    said = stranger.stdout + stranger.stderr
    assert stranger.returncode != 0 and "cluster key" in said and "cluster-key" in said, said
    return (f"{len(tokens)} join tokens, none in plain text in the database; a node with "
            f"another key exited {stranger.returncode}: {said.strip().splitlines()[-1][:100]}…")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("qdeck")
    parser.add_argument("--without", action="append", default=[], choices=RULES,
                        help="leave this rule unset; its check must then fail")
    args = parser.parse_args()
    without = set(args.without)

    work = tempfile.mkdtemp(prefix="qdeck-cluster-rules-")
    os.chmod(work, 0o755)  # PostgreSQL runs as postgres under it
    pg = Postgres(work)
    nodes = []
    started = time.monotonic()
    # The leader logs each parked long poll (check_wake_up waits for it).
    os.environ["QT_LOGGING_RULES"] = "queuedeck.api.debug=true"
    try:
        url = pg.start()
        for _ in range(3):
            add_node(args.qdeck, work, nodes, ["--database", url])
        token = nodes[0].token
        assert token, "the first node led and wrote the cluster's admin token"
        ports = [node.port for node in nodes]
        wait_for_one_leader(ports, token)  # one leader, two followers, seen from each node

        cluster = Cluster(ports, token)
        cluster.url = url
        cluster.logs = [node.log for node in nodes]
        results = {}
        for check in (check_rate_and_round_robin, check_max_per_key, check_max_depth,
                      check_idempotency, check_cancel, check_max_workers, check_wake_up):
            results.update(check(cluster, without))

        print("join tokens:", check_sealed_tokens(cluster, pg, args.qdeck, work))
        failed = []
        for rule in RULES:
            ok, detail = results[rule]
            state = "ok" if ok else "FAILED"
            note = " (rule left unset)" if rule in without else ""
            print(f"{rule}: {state}{note}: {detail}")
            if not ok:
                failed.append(rule)
        print(f"{len(RULES) - len(failed)} of {len(RULES)} checks held over 3 nodes in "
              f"{time.monotonic() - started:.1f} s")
        if without:
            unexpected = sorted(without - set(failed))
            if unexpected:
                print(f"checks that held with their rule unset: {unexpected}")
                return 1
            return 1  # a run without a rule is a demonstration, never a pass
        return 1 if failed else 0
    finally:
        stop_cluster(nodes, pg, work)


if __name__ == "__main__":
    sys.exit(main())
