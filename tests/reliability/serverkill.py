#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""SIGKILL of `qdeck serve` under mixed load, many times over, through the public HTTP API only.

    python3 tests/reliability/serverkill.py build/bin/qdeck --cycles 20      (CTest runs this)
    python3 tests/reliability/serverkill.py build/bin/qdeck --cycles 300 --producers 4 --workers 2

Producers enqueue with idempotency keys and, when the server dies under them, send the same key
again until an answer comes; workers lease, extend some leases, heartbeat, and acknowledge in
batches, repeating an acknowledgement whose answer was lost. Each cycle waits until the restarted
server has confirmed new work, lets it run a random while, and kills it with SIGKILL.

Afterwards, with the workers still attached, every task the server accepted must succeed (none
lost), no task whose acknowledgement the server confirmed may ever be leased again (none re-run),
and the queue must hold nothing queued, scheduled, running or dead. Exit status 0 only then.
"""

import argparse
import collections
import json
import pathlib
import random
import sys
import tempfile
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from qdeckprocess import (ApiError, Client, Server, join_token, register,  # noqa: E402
                          wait_until)

RETRY_PAUSE_S = 0.02  # between attempts while the server is down


class Ledger:
    """What the clients were told, shared by their threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.accepted = {}  # task id -> idempotency key
        self.keys_resent = 0  # enqueues sent again after a failure
        self.deduplicated = 0  # ... answered 200 with the task of the first send
        self.confirmed_acks = set()
        self.leases = collections.Counter()  # task id -> leases received
        self.reruns = []  # (task id, lease) leased after its ack was confirmed
        self.problems = []  # answers that must not happen
        self.extends = 0
        self.heartbeats = 0
        self.operations = 0  # confirmed enqueues and acks

    def problem(self, text):
        with self.lock:
            self.problems.append(text)


def producer(index, port, token, queue_id, ledger, stop):
    client = Client(port, token, timeout=10)
    serial = 0
    while not stop.is_set():
        serial += 1
        key = f"p{index}-{serial}"
        body = {"type": "chaos", "payload": {"key": key, "n": serial}, "idempotency_key": key}
        sends = 0
        while True:
            sends += 1
            try:
                status, task = client.call("POST", f"/worker-queues/{queue_id}/tasks", body)
            except ConnectionError:
                time.sleep(RETRY_PAUSE_S)
                continue
            except ApiError as error:
                if error.status == 503:
                    time.sleep(RETRY_PAUSE_S)
                    continue
                ledger.problem(f"enqueue {key}: {error}")
                return
            with ledger.lock:
                ledger.accepted[task["id"]] = key
                ledger.operations += 1
                if sends > 1:
                    ledger.keys_resent += 1
                    if status == 200:
                        ledger.deduplicated += 1
            break
    client.close()


class Worker:
    """Leases up to 8, extends every fourth lease, acknowledges the lot in one call; a heartbeat
    thread beside it. Registers again (same worker_id) when the server no longer knows it."""

    def __init__(self, port, join, queue_id, ledger, stop, rng):
        self.port, self.join, self.queue_id = port, join, queue_id
        self.ledger, self.stop, self.rng = ledger, stop, rng
        self.worker_id = None
        self.client = None
        self.held = {}  # task id -> lease id, leased and not yet answered
        self.held_lock = threading.Lock()
        self.reregister = threading.Event()

    def connect(self):
        while True:
            try:
                self.worker_id, self.client = register(self.port, self.join, self.queue_id,
                                                       self.worker_id)
                self.heartbeat_client = Client(self.port, self.client.token, timeout=10)
                self.reregister.clear()
                return
            except ConnectionError:
                time.sleep(RETRY_PAUSE_S)
            except ApiError as error:
                if error.status == 503:
                    time.sleep(RETRY_PAUSE_S)
                    continue
                raise

    def stale(self, error):
        """The server does not know this worker (lost, or its credential is gone)."""
        return error.status in (401, 404) and (
            error.status == 401 or error.details.get("reason") == "worker_lost"
            or "worker" in error.message)

    def heartbeat_loop(self):
        pause = 0.5
        while not self.stop.wait(pause):
            pause = 0.5
            with self.held_lock:
                running = list(self.held)
            try:
                _, answer = self.heartbeat_client.call(
                    "POST", f"/workers/{self.worker_id}/heartbeat",
                    {"status": "ok", "running": running})
                with self.ledger.lock:
                    self.ledger.heartbeats += 1
            except ConnectionError:
                pause = RETRY_PAUSE_S  # a new connection at once: the server was restarted
                continue
            except ApiError as error:
                if self.stale(error):
                    self.reregister.set()

    def run(self):
        self.connect()
        beat = threading.Thread(target=self.heartbeat_loop, daemon=True)
        beat.start()
        while not self.stop.is_set():
            if self.reregister.is_set():
                self.connect()
            try:
                _, answer = self.client.call("POST", f"/workers/{self.worker_id}/lease",
                                             {"max": 8, "wait_ms": 300}, timeout=10)
            except ConnectionError:
                time.sleep(RETRY_PAUSE_S)
                continue
            except ApiError as error:
                if self.stale(error):
                    self.reregister.set()
                elif error.status != 503:
                    self.ledger.problem(f"lease: {error}")
                time.sleep(RETRY_PAUSE_S)
                continue
            tasks = answer["tasks"]
            with self.ledger.lock:
                for task in tasks:
                    self.ledger.leases[task["id"]] += 1
                    if task["id"] in self.ledger.confirmed_acks:
                        self.ledger.reruns.append((task["id"], task["lease_id"]))
            with self.held_lock:
                for task in tasks:
                    self.held[task["id"]] = task["lease_id"]
            for task in tasks[::4]:
                self.extend(task)
            self.acknowledge(tasks)
        beat.join()

    def extend(self, task):
        try:
            self.client.call("POST", f"/tasks/{task['id']}/extend",
                             {"lease_id": task["lease_id"]})
            with self.ledger.lock:
                self.ledger.extends += 1
        except ConnectionError:
            pass  # the acknowledgement below tries until it is answered
        except ApiError as error:
            if error.status != 409 and error.status != 503 and not self.stale(error):
                self.ledger.problem(f"extend {task['id']}: {error}")

    def acknowledge(self, tasks):
        if not tasks:
            return
        acks = [{"task_id": t["id"], "lease_id": t["lease_id"], "result": {"ok": True}}
                for t in tasks]
        while True:
            try:
                _, answer = self.client.call("POST", f"/workers/{self.worker_id}/complete",
                                             {"acks": acks, "fails": []})
                break
            except ConnectionError:
                time.sleep(RETRY_PAUSE_S)  # the same acknowledgement again, once it is back
            except ApiError as error:
                if error.status == 503:
                    time.sleep(RETRY_PAUSE_S)
                    continue
                if self.stale(error):
                    self.connect()  # the leases went back to the queue with the lost worker
                else:
                    self.ledger.problem(f"complete: {error}")
                answer = {"results": []}
                break
        with self.ledger.lock:
            for item in answer["results"]:
                if item.get("ok"):
                    self.ledger.confirmed_acks.add(item["task_id"])
                    self.ledger.operations += 1
                elif item["error"]["code"] not in ("FAILED_PRECONDITION", "NOT_FOUND"):
                    self.ledger.problems.append(f"ack {item['task_id']}: {item['error']}")
        with self.held_lock:
            for task in tasks:
                self.held.pop(task["id"], None)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("qdeck", help="path of the qdeck program")
    parser.add_argument("--cycles", type=int, default=20, help="server kills (default 20)")
    parser.add_argument("--producers", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--min-operations", type=int, default=100,
                        help="confirmed enqueues and acks a restarted server must serve before "
                             "it is killed again (default 100)")
    parser.add_argument("--max-run-s", type=float, default=0.6,
                        help="after that, the server lives up to this much longer (random)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--summary", help="also write the figures to this JSON file")
    parser.add_argument("--sabotage", choices=["delete-one"],
                        help="break the rule on purpose (delete one accepted task through the "
                             "admin API) to show that the check fails")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    started_at = time.monotonic()

    with tempfile.TemporaryDirectory(prefix="qdeck-serverkill-") as temporary:
        data = pathlib.Path(temporary, "data")
        data.mkdir()
        server = Server(args.qdeck, data)
        server.start()
        admin = server.admin()
        _, queue = admin.call("POST", "/environments/default/worker-queues", {
            "name": "chaos", "task_timeout_s": 2, "worker_timeout_s": 10,
            "max_attempts": 1000, "initial_backoff_ms": 50, "max_backoff_ms": 200})
        queue_id = queue["id"]
        _, producer_token = admin.call("POST", "/producer-tokens",
                                       {"name": "chaos", "queue_ids": [queue_id]})
        join = join_token(admin, queue_id)

        ledger = Ledger()
        stop_producers = threading.Event()
        stop_workers = threading.Event()
        threads = []
        for i in range(args.producers):
            threads.append(threading.Thread(
                target=producer, daemon=True,
                args=(i, server.port, producer_token["token"], queue_id, ledger, stop_producers)))
        workers = [Worker(server.port, join, queue_id, ledger, stop_workers,
                          random.Random(rng.random())) for _ in range(args.workers)]
        worker_threads = [threading.Thread(target=w.run, daemon=True) for w in workers]
        for thread in threads + worker_threads:
            thread.start()

        kills = 0
        try:
            for cycle in range(args.cycles):
                with ledger.lock:
                    before = ledger.operations
                wait_until(lambda: ledger.operations >= before + args.min_operations, 60,
                           f"cycle {cycle}: {args.min_operations} confirmed operations")
                time.sleep(rng.uniform(0, args.max_run_s))  # a random moment to kill
                server.kill()
                kills += 1
                time.sleep(rng.uniform(0, 0.1))  # clients meet a closed port for a while
                server.start()
                if ledger.problems:
                    break
        finally:
            stop_producers.set()
        for thread in threads:
            thread.join(timeout=60)
        admin = server.admin()
        if args.sabotage == "delete-one":
            with ledger.lock:
                victim = next(iter(ledger.accepted))
            admin.call("DELETE", f"/tasks/{victim}")

        # The workers stay until the queue holds nothing unfinished.
        def drained():
            _, q = admin.call("GET", f"/worker-queues/{queue_id}")
            return q["counts"]["unfinished"] == 0 and q

        failures = []
        try:
            final = wait_until(drained, 120, "the queue to drain", interval=0.2)
        except TimeoutError as error:
            failures.append(str(error))
            _, final = admin.call("GET", f"/worker-queues/{queue_id}")
        stop_workers.set()
        for thread in worker_threads:
            thread.join(timeout=30)

        # Every accepted task, asked for one by one.
        lost, not_succeeded, attempts = [], [], collections.Counter()
        for task_id in list(ledger.accepted):
            try:
                _, task = admin.call("GET", f"/tasks/{task_id}")
            except ApiError as error:
                lost.append(f"{task_id}: {error}")
                continue
            attempts[task["attempts"]] += 1
            if task["state"] != "succeeded":
                not_succeeded.append(f"{task_id} is {task['state']}")
        server.stop()

        counts = final["counts"]
        summary = {
            "seed": seed, "kills": kills, "producers": args.producers, "workers": args.workers,
            "accepted": len(ledger.accepted), "enqueues_resent": ledger.keys_resent,
            "resent_deduplicated": ledger.deduplicated,
            "acks_confirmed": len(ledger.confirmed_acks),
            "leases": sum(ledger.leases.values()),
            "tasks_leased_more_than_once": sum(1 for n in ledger.leases.values() if n > 1),
            "extends": ledger.extends, "heartbeats": ledger.heartbeats,
            "lost": len(lost), "not_succeeded": len(not_succeeded),
            "confirmed_acks_rerun": len(ledger.reruns),
            "queued": counts["queued"], "scheduled": counts["scheduled"],
            "running": counts["running"], "dead": counts["dead"],
            "attempts_histogram": dict(sorted(attempts.items())),
            "seconds": round(time.monotonic() - started_at, 1),
        }
        print(json.dumps(summary, indent=1))
        if args.summary:
            pathlib.Path(args.summary).write_text(json.dumps(summary, indent=1) + "\n")

        if kills < args.cycles:
            failures.append(f"only {kills} of {args.cycles} kill cycles ran")
        failures += [f"lost: {line}" for line in lost[:20]]
        failures += [f"not succeeded: {line}" for line in not_succeeded[:20]]
        failures += [f"re-run after a confirmed ack: {t} (lease {l})" for t, l in ledger.reruns[:20]]
        failures += ledger.problems[:20]
        for name in ("queued", "scheduled", "running", "dead"):
            if counts[name]:
                failures.append(f"{counts[name]} tasks {name} at the end")
        if failures:
            print("FAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
            return 1
        print(f"{kills} kills survived: {len(ledger.accepted)} accepted tasks, 0 lost, "
              f"{len(ledger.confirmed_acks)} confirmed acks, 0 re-run (seed {seed})")
        return 0


if __name__ == "__main__":
    sys.exit(main())
