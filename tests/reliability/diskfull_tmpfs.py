#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""A full disk under load, against the real `qdeck serve`: its data directory on a small tmpfs,
filled up while producers enqueue. Enqueues are answered 503 UNAVAILABLE while nothing can be
written, the server stays up and answers reads, service comes back by itself when space returns,
and after a restart the store holds every task that was acknowledged.

    tests/reliability/diskfull_tmpfs.py build/bin/qdeck [--size-mb 48] [--producers 4]

Needs to mount a tmpfs (root, or a container that allows it). Where the mount is refused it
prints SKIPPED and exits 77, which CTest reports as skipped, never as passed.
"""
import argparse
import http.client
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid

SKIPPED = 77


class Server:
    def __init__(self, qdeck, data_dir):
        self.process = subprocess.Popen(
            [qdeck, "serve", "--listen", "127.0.0.1:0", "--data-dir", str(data_dir)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.log = []
        for line in self.process.stdout:
            self.log.append(line)
            match = re.search(r"\(port (\d+)\)", line)
            if match:
                self.port = int(match.group(1))
                break
        else:
            raise SystemExit("FAIL: qdeck serve did not start:\n" + "".join(self.log))
        # Keep reading its output so that it never blocks on a full pipe.
        threading.Thread(target=lambda: self.log.extend(self.process.stdout), daemon=True).start()
        self.token = pathlib.Path(data_dir, "admin-token").read_text().strip()

    def connection(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def call(self, connection, method, path, body=None):
        """(status, decoded JSON answer)."""
        connection.request(method, path, body=json.dumps(body) if body is not None else None,
                           headers={"Authorization": "Bearer " + self.token,
                                    "Content-Type": "application/json"})
        answer = connection.getresponse()
        data = answer.read()
        return answer.status, json.loads(data) if data else None

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=60)


class Producers:
    """Threads that enqueue until stopped and record what each answer said."""

    def __init__(self, server, queue_id, count):
        self.server = server
        self.path = f"/api/v1/worker-queues/{queue_id}/tasks"
        self.lock = threading.Lock()
        self.acked = set()
        self.unavailable = 0
        self.unavailable_messages = set()
        self.other = []
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(n,)) for n in range(count)]
        for thread in self.threads:
            thread.start()

    def run(self, n):
        connection = self.server.connection()
        payload = {"producer": n, "text": "x" * 2000}
        while not self.stopping.is_set():
            body = {"type": "fill", "payload": payload, "idempotency_key": uuid.uuid4().hex}
            try:
                status, answer = self.server.call(connection, "POST", self.path, body)
            except (OSError, http.client.HTTPException) as error:
                with self.lock:
                    self.other.append(f"no answer: {error!r}")
                connection.close()
                connection = self.server.connection()
                time.sleep(0.05)
                continue
            with self.lock:
                if status in (200, 201):
                    self.acked.add(answer["id"])
                elif status == 503 and answer["error"]["code"] == "UNAVAILABLE":
                    self.unavailable += 1
                    self.unavailable_messages.add(answer["error"]["message"])
                else:
                    self.other.append(f"{status} {answer}")
            if status == 503:
                time.sleep(0.01)  # a client backs off on UNAVAILABLE

    def counts(self):
        with self.lock:
            return len(self.acked), self.unavailable, len(self.other)

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)


def wait_for(what, condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    print(f"FAIL: {what} did not happen within {seconds} s")
    return False


def fill(path):
    """Writes until the file system is full; returns the bytes written."""
    written = 0
    chunk = b"\0" * (256 * 1024)
    with open(path, "wb", buffering=0) as filler:
        while True:
            try:
                written += filler.write(chunk)
            except OSError:
                return written


def stored_ids(server, queue_id):
    ids = set()
    connection = server.connection()
    cursor = None
    while True:
        path = f"/api/v1/worker-queues/{queue_id}/tasks?limit=1000"
        if cursor:
            path += "&cursor=" + cursor
        status, page = server.call(connection, "GET", path)
        if status != 200:
            raise SystemExit(f"FAIL: listing tasks answered {status} {page}")
        ids.update(item["id"] for item in page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            return ids


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("qdeck")
    parser.add_argument("--size-mb", type=int, default=48)
    parser.add_argument("--producers", type=int, default=4)
    args = parser.parse_args()
    qdeck = os.path.abspath(args.qdeck)

    with tempfile.TemporaryDirectory(prefix="qdeck-diskfull-") as top:
        mount_point = pathlib.Path(top, "small-disk")
        mount_point.mkdir()
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={args.size_mb}m,mode=0700",
                                  "tmpfs", str(mount_point)], capture_output=True, text=True)
        if mounted.returncode != 0:
            print(f"SKIPPED: mounting a tmpfs was refused here: {mounted.stderr.strip()}")
            return SKIPPED
        try:
            return run(qdeck, mount_point, args.producers)
        finally:
            subprocess.run(["umount", "-l", str(mount_point)], check=False)


def run(qdeck, mount_point, producer_count):
    data_dir = mount_point / "data"
    server = Server(qdeck, data_dir)
    ok = True
    try:
        status, queues = server.call(server.connection(), "GET", "/api/v1/worker-queues")
        queue_id = next(q["id"] for q in queues["items"] if q["name"] == "default")
        producers = Producers(server, queue_id, producer_count)
        ok &= wait_for("the first 500 enqueues", lambda: producers.counts()[0] >= 500, 60)

        filler = mount_point / "filler"
        filled = fill(filler)
        acked_when_full = producers.counts()[0]
        print(f"filled the disk with {filled // (1024 * 1024)} MiB after {acked_when_full} "
              "acknowledged enqueues")
        ok &= wait_for("20 UNAVAILABLE answers", lambda: producers.counts()[1] >= 20, 60)
        # The server stays up and answers reads while the disk is full.
        status, health = server.call(server.connection(), "GET", "/api/v1/health")
        if status != 200 or server.process.poll() is not None:
            print(f"FAIL: the server did not answer /health while the disk was full: {status}")
            ok = False
        # A read committed in the same batch as failing writes is refused with them (UNAVAILABLE
        # as well): only reported here.
        status, _ = server.call(server.connection(), "GET", f"/api/v1/worker-queues/{queue_id}")
        print(f"reading the queue while the disk was full answered {status}")
        if status not in (200, 503):
            print(f"FAIL: reading the queue while the disk was full answered {status}")
            ok = False

        filler.unlink()
        acked_at_free = producers.counts()[0]
        ok &= wait_for("enqueues succeeding again once space returned",
                       lambda: producers.counts()[0] >= acked_at_free + 200, 60)
        producers.stop()
        acked, unavailable, other = producers.counts()
        print(f"acknowledged {acked}, answered UNAVAILABLE {unavailable}, other answers {other}")
        for message in sorted(producers.unavailable_messages)[:3]:
            print(f"  UNAVAILABLE: {message}")
        if other:
            print("FAIL: answers other than success and UNAVAILABLE:", producers.other[:5])
            ok = False
        if not any("disk" in m for m in producers.unavailable_messages):
            print("FAIL: no UNAVAILABLE message says the disk is the trouble")
            ok = False
        if server.process.poll() is not None:
            print("FAIL: the server exited under the full disk:\n" + "".join(server.log[-20:]))
            ok = False
    finally:
        server.stop()

    # Every acknowledged task is stored.
    server = Server(qdeck, data_dir)
    try:
        stored = stored_ids(server, queue_id)
    finally:
        server.stop()
    lost = producers.acked - stored
    print(f"after a restart: {len(stored)} stored, {len(lost)} acknowledged but missing, "
          f"{len(stored - producers.acked)} stored without an acknowledgement")
    if lost:
        print("FAIL: acknowledged but not stored:", sorted(lost)[:5])
        ok = False
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
