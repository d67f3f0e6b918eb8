#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""Faktory clients on a cluster: every node listens with --faktory-listen; the leader serves the
protocol with its engine, a follower passes each connection through to the leader.

Three `qdeck serve` nodes on one PostgreSQL of the test's own (as test_cluster.py starts them).
Checked: a job pushed through one follower is fetched and acknowledged through the other and is
`succeeded` over HTTP; a wrong password is refused through a follower (the leader checks it);
the leader's SIGKILL closes a connection held through a follower; after the takeover a
follower's Faktory port serves again with the same password, pushing a job that the new leader
hands out.

With --tls the nodes serve Faktory over TLS (--faktory-tls) with one self-signed certificate,
node 0's copied to the others as an operator does; the client trusts that certificate alone, so
its handshake through a follower is the leader's.

    test_cluster_faktory.py QDECK [--tls]
"""

import hashlib
import json
import os
import pathlib
import shutil
import socket
import ssl
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "reliability"))
from qdeckprocess import free_port  # noqa: E402
from test_cluster import (Failover, Postgres, add_node, stop_cluster,  # noqa: E402
                          wait_for_one_leader)

QUEUE = "fkcluster"


class FaktoryError(Exception):
    """An -ERR answer."""


class Faktory:
    """One Faktory connection (FWP v2) over plain TCP: HI/HELLO with the password, then one
    command and its answer at a time. A closed connection raises ConnectionError."""

    tls = None  # an ssl.SSLContext: every connection speaks TLS (tcp+tls://)

    def __init__(self, port, password, wid=None, timeout=10):
        self.socket = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        if Faktory.tls is not None:
            self.socket = Faktory.tls.wrap_socket(self.socket, server_hostname="127.0.0.1")
        self.reader = self.socket.makefile("rb")
        greeting = self.read()
        if not greeting.startswith("HI "):
            raise FaktoryError(f"no HI greeting: {greeting!r}")
        hi = json.loads(greeting[3:])
        hello = {"v": 2}
        if "s" in hi:
            digest = hashlib.sha256((password + hi["s"]).encode()).digest()
            for _ in range(hi["i"] - 1):
                digest = hashlib.sha256(digest).digest()
            hello["pwdhash"] = digest.hex()
        if wid:
            hello.update({"wid": wid, "hostname": socket.gethostname(), "pid": os.getpid(),
                          "labels": []})
        self.command("HELLO " + json.dumps(hello))

    def close(self):
        self.reader.close()
        self.socket.close()

    def read(self):
        line = self.reader.readline()
        if not line:
            raise ConnectionError("the server closed the connection")
        line = line.rstrip(b"\r\n").decode()
        if line.startswith("+"):
            return line[1:]
        if line.startswith("-"):
            raise FaktoryError(line[1:])
        if line.startswith("$"):
            size = int(line[1:])
            if size < 0:
                return None
            return self.reader.read(size + 2)[:size].decode()
        raise FaktoryError(f"unexpected answer {line!r}")

    def command(self, line):
        self.socket.sendall(line.encode() + b"\r\n")
        return self.read()

    def push(self, jid):
        job = {"jid": jid, "jobtype": "Add", "args": [1, 2], "queue": QUEUE}
        return self.command("PUSH " + json.dumps(job))

    def fetch_and_ack(self, jid, timeout=20):
        """FETCHes until the job comes (each FETCH waits ~2 s), ACKs it; the job's hash."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            answer = self.command("FETCH " + QUEUE)
            if answer is None:
                continue
            job = json.loads(answer)
            assert job["jid"] == jid, job
            assert self.command("ACK " + json.dumps({"jid": jid})) == "OK"
            return job
        raise TimeoutError(f"job {jid} was not fetched in {timeout} s")


def retried(what, action, timeout=20):
    """action() until it answers without a connection error or -ERR; (answer, seconds)."""
    started = time.monotonic()
    while True:
        try:
            return action(), time.monotonic() - started
        except (OSError, FaktoryError) as error:
            if time.monotonic() - started > timeout:
                raise RuntimeError(f"{what}: still failing after {timeout} s: {error!r}")
            time.sleep(0.1)


def succeeded_jids(admin):
    """The jids (idempotency keys) of the succeeded tasks of QUEUE, read over HTTP."""
    _, queues = admin.call("GET", "/environments/default/worker-queues")
    qid = next(q["id"] for q in queues["items"] if q["name"] == QUEUE)
    _, page = admin.call("GET", f"/worker-queues/{qid}/tasks?state=succeeded&limit=100")
    return {task["idempotency_key"] for task in page["items"]}


def push_then_fetch(push_port, fetch_port, password, jid, wid):
    """Pushes a job through one node's Faktory port and fetches and ACKs it through another."""
    producer = Faktory(push_port, password)
    try:
        assert producer.push(jid) == "OK"
    finally:
        producer.close()
    worker = Faktory(fetch_port, password, wid=wid)
    try:
        return worker.fetch_and_ack(jid)
    finally:
        worker.close()


def main():
    qdeck = sys.argv[1]
    tls = "--tls" in sys.argv[2:]
    work = tempfile.mkdtemp(prefix="qdeck-cluster-faktory-")
    os.chmod(work, 0o755)  # PostgreSQL runs as postgres under it
    pg = Postgres(work)
    nodes = []
    started = time.monotonic()
    try:
        url = pg.start()
        faktory_ports = []
        for index in range(3):
            faktory_ports.append(free_port())
            if tls and nodes:  # every node serves the first one's certificate
                shutil.copytree(nodes[0].data_dir / "tls",
                                pathlib.Path(work) / f"node{index}" / "tls")
            add_node(qdeck, work, nodes,
                     ["--database", url, "--faktory-listen", f"127.0.0.1:{faktory_ports[-1]}"] +
                     (["--faktory-tls"] if tls else []))
        if tls:
            Faktory.tls = ssl.create_default_context(
                cafile=str(nodes[0].data_dir / "tls" / "server.crt"))
        token = nodes[0].token
        assert token, "the first node led and wrote the cluster's admin token"
        ports = [node.port for node in nodes]
        wait_for_one_leader(ports, token)
        password = (nodes[0].data_dir / "faktory-password").read_text().strip()
        assert password.startswith("qdf_"), "the leader wrote the cluster's Faktory password"

        # Pushed through follower 1, fetched and acknowledged through follower 2.
        push_then_fetch(faktory_ports[1], faktory_ports[2], password, "before-kill", "w1")
        admin = Failover(ports, token, 1)
        assert "before-kill" in succeeded_jids(admin), "the job is done, seen over HTTP"

        # The leader checks the password of a client that came through a follower.
        try:
            Faktory(faktory_ports[1], "qdf_wrong")
            raise AssertionError("a wrong password was taken through a follower")
        except FaktoryError as error:
            assert "Invalid password" in str(error), error

        # A connection held through a follower is closed when the leader dies.
        held = Faktory(faktory_ports[2], password, timeout=15)
        assert held.command("INFO") is not None
        killed_at = time.monotonic()
        nodes[0].kill()
        try:
            answer = held.read()
            raise AssertionError(f"the held connection answered {answer!r}")
        except ConnectionError:
            closed_after = time.monotonic() - killed_at
        except socket.timeout:
            raise AssertionError("the follower kept the client's connection after the leader "
                                 "died") from None
        held.close()

        # A follower takes the lease; the other one's Faktory port serves again.
        def new_leader():
            _, listed = admin.call("GET", "/nodes")
            leaders = [n["node_id"] for n in listed["nodes"]
                       if n["role"] == "leader" and n["alive"]]
            if not leaders or leaders[0].endswith(f":{ports[0]}"):
                raise FaktoryError("no new leader yet")
            return next(i for i in (1, 2) if leaders[0].endswith(f":{ports[i]}"))

        leader, _ = retried("a new leader", new_leader, timeout=30)
        takeover = time.monotonic() - killed_at
        follower = 3 - leader
        _, served_after = retried(
            "push and fetch after the takeover",
            lambda: push_then_fetch(faktory_ports[follower], faktory_ports[leader], password,
                                    "after-kill", "w2"))
        assert {"before-kill", "after-kill"} <= succeeded_jids(admin)
        new_password = (nodes[leader].data_dir / "faktory-password").read_text().strip()
        assert new_password == password, "one Faktory password for the cluster"
        print(f"Faktory{' over TLS' if tls else ''} through followers: pushed via node 1, fetched and acked via node 2; the "
              f"held connection closed {closed_after:.2f} s after the leader's SIGKILL; node "
              f"{leader} led {takeover:.1f} s after it and node {follower}'s Faktory port served "
              f"{served_after:.1f} s later; {time.monotonic() - started:.1f} s in all")
        return 0
    finally:
        stop_cluster(nodes, pg, work)


if __name__ == "__main__":
    sys.exit(main())
