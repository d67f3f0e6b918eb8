#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""Soak: `qdeck serve` under steady mixed load plus 1,000 reconnecting long-polls, its resident
memory and open file descriptors sampled each second.

    python3 tests/reliability/soak.py build/bin/qdeck --minutes 10 --out soak-results

Load, all through the public API: producers enqueue at a steady rate (--rate, default 200/s)
into a work queue whose workers lease, extend every tenth lease, heartbeat and acknowledge;
500 idle workers of an empty queue each long-poll for work on a new connection every time
(1 in 10 polls abandoned half-way by closing the socket) and heartbeat every 5 s; 500 clients
wait on an unfinished task (GET /tasks/{id}?wait_s=) on a new connection every time; the
dashboard is read once a second. Finished tasks are kept 60 s (retention_s), so the store
reaches a steady size within the first two minutes.

Writes <out>/soak.csv (one row per second) and <out>/summary.json, and prints the summary.
Passes when RSS and open descriptors at the end (mean of the last 10 samples) are within 10%
of those at 2 minutes (mean of the 10 samples before 120 s). It raises its open-file limit to
the hard limit (the server inherits it) and needs ~2,100 descriptors.
"""

import argparse
import asyncio
import csv
import json
import os
import pathlib
import random
import resource
import sys
import tempfile
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from qdeckprocess import ApiError, Client, Server, join_token, register  # noqa: E402



class HttpError(Exception):
    def __init__(self, status, body):
        super().__init__(f"{status}: {body[:200]}")
        self.status = status


class Connection:
    """One HTTP/1.1 connection on asyncio streams (keep-alive unless closed)."""

    def __init__(self, port):
        self.port = port
        self.reader = self.writer = None

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    def close(self):
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    async def call(self, method, path, token, body=None):
        if self.writer is None:
            await self.open()
        data = b"" if body is None else json.dumps(body).encode()
        head = (f"{method} /api/v1{path} HTTP/1.1\r\nHost: soak\r\n"
                f"Authorization: Bearer {token}\r\nContent-Length: {len(data)}\r\n"
                + ("Content-Type: application/json\r\n" if body is not None else "") + "\r\n")
        self.writer.write(head.encode() + data)
        try:
            status_line = await self.reader.readline()
            if not status_line:
                raise ConnectionError("closed")
            status = int(status_line.split()[1])
            length = 0
            while True:
                line = await self.reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode().partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            payload = await self.reader.readexactly(length) if length else b""
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as error:
            self.close()
            raise ConnectionError(str(error)) from error
        if status >= 400:
            raise HttpError(status, payload.decode(errors="replace"))
        return json.loads(payload) if payload else {}


class Soak:
    def __init__(self, server, args):
        self.server = server
        self.port = server.port
        self.args = args
        self.stop = False
        self.counts = dict(enqueued=0, acked=0, extends=0, heartbeats=0, polls=0,
                           polls_abandoned=0, waits=0, dashboards=0, errors=0)
        self.last_error = ""

    def error(self, what, error):
        self.counts["errors"] += 1
        self.last_error = f"{what}: {error}"

    async def setup(self):
        admin = Connection(self.port)
        token = self.server.token
        self.admin_token = token
        work = await admin.call("POST", "/environments/default/worker-queues", token, {
            "name": "soak-work", "max_workers": 0, "task_timeout_s": 30, "retention_s": 60})
        idle = await admin.call("POST", "/environments/default/worker-queues", token, {
            "name": "soak-idle", "max_workers": 0})
        held = await admin.call("POST", "/environments/default/worker-queues", token, {
            "name": "soak-held", "max_workers": 0})
        self.work_queue, self.idle_queue = work["id"], idle["id"]
        await admin.call("POST", f"/worker-queues/{held['id']}/pause", token)
        producer = await admin.call("POST", "/producer-tokens", token,
                                    {"name": "soak", "queue_ids": [work["id"], held["id"]]})
        self.producer_token = producer["token"]
        # Tasks that never finish (their queue is paused): what the waiters wait on.
        self.held_tasks = []
        for i in range(50):
            task = await admin.call("POST", f"/worker-queues/{held['id']}/tasks", token,
                                    {"type": "held", "payload": {"i": i}})
            self.held_tasks.append(task["id"])
        admin.close()
        admin_client = self.server.admin()
        self.work_join = join_token(admin_client, self.work_queue)
        self.idle_join = join_token(admin_client, self.idle_queue)
        admin_client.close()

    async def register(self, connection, join, queue_id, name):
        answer = await connection.call("POST", "/workers/register", join, {
            "queue_id": queue_id, "worker_id": name, "hostname": "soak", "pid": os.getpid(),
            "version": "soak", "concurrency": 8})
        return answer["worker_id"], answer["credential"]

    # The steady load runs in threads on blocking keep-alive connections, beside the event loop
    # of the long-polls, so that a slow turn of that loop does not slow the load down.
    def producer(self, index, rate):
        client = Client(self.port, self.producer_token, timeout=30)
        interval = 1.0 / rate
        next_at = time.monotonic()
        serial = 0
        while not self.stop:
            serial += 1
            try:
                client.call("POST", f"/worker-queues/{self.work_queue}/tasks",
                            {"type": "soak", "payload": {"p": index, "n": serial},
                             "idempotency_key": f"p{index}-{serial}"})
                self.counts["enqueued"] += 1
            except (ConnectionError, ApiError) as error:
                self.error("enqueue", error)
            next_at += interval
            time.sleep(max(0.0, next_at - time.monotonic()))
        client.close()

    def worker(self, index):
        worker_id, client = register(self.port, self.work_join, self.work_queue,
                                     f"soak-work-{index}")
        beat = Client(self.port, client.token, timeout=30)
        last_beat = 0.0
        leased = 0
        while not self.stop:
            try:
                if time.monotonic() - last_beat > 5:
                    beat.call("POST", f"/workers/{worker_id}/heartbeat",
                              {"status": "ok", "running": []})
                    self.counts["heartbeats"] += 1
                    last_beat = time.monotonic()
                _, answer = client.call("POST", f"/workers/{worker_id}/lease",
                                        {"max": 8, "wait_ms": 1000})
                tasks = answer["tasks"]
                for task in tasks:
                    leased += 1
                    if leased % 10 == 0:
                        client.call("POST", f"/tasks/{task['id']}/extend",
                                    {"lease_id": task["lease_id"]})
                        self.counts["extends"] += 1
                if tasks:
                    client.call("POST", f"/workers/{worker_id}/complete", {
                        "acks": [{"task_id": t["id"], "lease_id": t["lease_id"]} for t in tasks],
                        "fails": []})
                    self.counts["acked"] += len(tasks)
            except (ConnectionError, ApiError) as error:
                self.error("work", error)
                time.sleep(0.1)
        client.close()

    async def heartbeats(self, workers):
        connection = Connection(self.port)
        while not self.stop:
            started = time.monotonic()
            for worker_id, credential in workers:
                try:
                    await connection.call("POST", f"/workers/{worker_id}/heartbeat", credential,
                                          {"status": "ok", "running": []})
                    self.counts["heartbeats"] += 1
                except (ConnectionError, HttpError) as error:
                    self.error("heartbeat", error)
            await asyncio.sleep(max(0.0, 5 - (time.monotonic() - started)))

    async def long_poller(self, worker_id, credential, rng):
        while not self.stop:
            connection = Connection(self.port)
            wait_ms = rng.randint(5000, 20000)
            try:
                call = connection.call("POST", f"/workers/{worker_id}/lease", credential,
                                       {"max": 1, "wait_ms": wait_ms})
                if rng.random() < 0.1:
                    try:
                        await asyncio.wait_for(call, timeout=wait_ms / 2000)
                    except asyncio.TimeoutError:
                        self.counts["polls_abandoned"] += 1
                else:
                    await call
                    self.counts["polls"] += 1
            except (ConnectionError, HttpError, OSError) as error:
                self.error("long-poll", error)
                await asyncio.sleep(1)
            finally:
                connection.close()

    async def waiter(self, rng):
        while not self.stop:
            connection = Connection(self.port)
            task_id = rng.choice(self.held_tasks)
            try:
                await connection.call("GET", f"/tasks/{task_id}?wait_s={rng.randint(5, 20)}",
                                      self.producer_token)
                self.counts["waits"] += 1
            except (ConnectionError, HttpError, OSError) as error:
                self.error("wait", error)
                await asyncio.sleep(1)
            finally:
                connection.close()

    async def dashboard(self):
        connection = Connection(self.port)
        while not self.stop:
            try:
                await connection.call("GET", "/dashboard", self.admin_token)
                self.counts["dashboards"] += 1
            except (ConnectionError, HttpError) as error:
                self.error("dashboard", error)
            await asyncio.sleep(1)
        connection.close()

    def sample(self):
        pid = self.server.pid
        rss_kb = threads = 0
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    rss_kb = int(line.split()[1])
                elif line.startswith("Threads:"):
                    threads = int(line.split()[1])
        fds = len(os.listdir(f"/proc/{pid}/fd"))
        return rss_kb, fds, threads

    async def run(self, seconds, out):
        await self.setup()
        rng = random.Random(self.args.seed)
        load = [threading.Thread(target=self.producer, args=(i, self.args.rate / 2), daemon=True)
                for i in range(2)]
        load += [threading.Thread(target=self.worker, args=(i,), daemon=True) for i in range(2)]
        for thread in load:
            thread.start()
        jobs = [asyncio.create_task(self.dashboard())]
        registration = Connection(self.port)
        idle = []
        for i in range(self.args.lease_polls):
            idle.append(await self.register(registration, self.idle_join, self.idle_queue,
                                            f"soak-idle-{i}"))
        registration.close()
        for part in range(5):  # heartbeats of the idle workers on five connections
            if idle[part::5]:
                jobs.append(asyncio.create_task(self.heartbeats(idle[part::5])))
        jobs += [asyncio.create_task(self.long_poller(w, c, random.Random(rng.random())))
                 for w, c in idle]
        jobs += [asyncio.create_task(self.waiter(random.Random(rng.random())))
                 for _ in range(self.args.task_waits)]

        rows = []
        started = time.monotonic()
        with open(out / "soak.csv", "w", newline="") as file:
            writer = csv.writer(file)
            header = ["second", "rss_kb", "fds", "threads"] + list(self.counts)
            writer.writerow(header)
            second = 0
            while second < seconds:
                second += 1
                await asyncio.sleep(max(0.0, started + second - time.monotonic()))
                if self.server.process.poll() is not None:
                    raise SystemExit(f"the server died at {second} s")
                row = [second, *self.sample(), *self.counts.values()]
                writer.writerow(row)
                file.flush()
                rows.append(row)
                if second % 60 == 0:
                    print(f"{second:4d} s  rss {row[1] / 1024:.1f} MiB  fds {row[2]}  "
                          f"enqueued {self.counts['enqueued']}  acked {self.counts['acked']}  "
                          f"polls {self.counts['polls']}  waits {self.counts['waits']}  "
                          f"errors {self.counts['errors']} {self.last_error}", flush=True)
        self.stop = True
        for job in jobs:
            job.cancel()
        await asyncio.gather(*jobs, return_exceptions=True)
        for thread in load:
            thread.join(timeout=30)
        return rows


def mean(values):
    return sum(values) / len(values)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("qdeck")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--rate", type=float, default=200, help="enqueues per second")
    parser.add_argument("--out", default="soak-results")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--lease-polls", type=int, default=500,
                        help="idle workers long-polling for work (default 500)")
    parser.add_argument("--task-waits", type=int, default=500,
                        help="clients waiting on an unfinished task (default 500)")
    parser.add_argument("--baseline-s", type=int, default=120,
                        help="the end is compared with this moment (default 120 s)")
    args = parser.parse_args()
    seconds = int(args.minutes * 60)
    if seconds < args.baseline_s + 10:
        sys.exit(f"run longer than {args.baseline_s + 10} s: the end is compared with "
                 f"the figures at {args.baseline_s} s")

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = 4096
    if hard != resource.RLIM_INFINITY and hard < needed:
        sys.exit(f"the open-file limit's hard value is {hard}; {needed} are needed "
                 f"(raise it, e.g. ulimit -Hn {needed}, as root)")
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="qdeck-soak-") as temporary:
        data = pathlib.Path(temporary, "data")
        data.mkdir()
        server = Server(args.qdeck, data)
        server.start()
        try:
            soak = Soak(server, args)
            rows = asyncio.run(soak.run(seconds, out))
        finally:
            server.stop()

    at_two = [r for r in rows if args.baseline_s - 10 < r[0] <= args.baseline_s]
    at_end = rows[-10:]
    summary = {
        "seconds": seconds, "rate": args.rate,
        "lease_polls": args.lease_polls, "task_waits": args.task_waits,
        "rss_mib_at_2_min": round(mean([r[1] for r in at_two]) / 1024, 1),
        "rss_mib_at_end": round(mean([r[1] for r in at_end]) / 1024, 1),
        "rss_mib_max": round(max(r[1] for r in rows) / 1024, 1),
        "fds_at_2_min": round(mean([r[2] for r in at_two]), 1),
        "fds_at_end": round(mean([r[2] for r in at_end]), 1),
        "fds_max": max(r[2] for r in rows),
        "threads_at_end": at_end[-1][3],
        **soak.counts, "last_error": soak.last_error,
    }
    summary["rss_change_percent"] = round(
        100 * (summary["rss_mib_at_end"] / summary["rss_mib_at_2_min"] - 1), 1)
    summary["fds_change_percent"] = round(
        100 * (summary["fds_at_end"] / summary["fds_at_2_min"] - 1), 1)
    (out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    print(json.dumps(summary, indent=1))
    failures = [f"{name} changed {summary[name + '_change_percent']}% (more than 10%)"
                for name in ("rss", "fds") if abs(summary[name + "_change_percent"]) > 10]
    if failures:
        print("FAILED: " + "; ".join(failures), file=sys.stderr)
        return 1
    print("soak passed: RSS and open descriptors at the end within 10% of those at 2 minutes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
