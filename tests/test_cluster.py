#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""Three `qdeck serve` nodes on one PostgreSQL of the test's own (docs/design/scale-out.md).

Tasks are produced through every node and leased and acknowledged through every node; a
follower and then the leader are killed with SIGKILL under load. Checked: every produced task
ran, no task whose ack was confirmed was leased again, the number running at once (from every
task's started_at and finished_at as the server recorded them) never exceeded the queue's
concurrency, max_workers refuses the slot beyond it whichever node is asked, and the node left
took over within seconds.

    test_cluster.py QDECK [TASKS]
"""

import http.client
import os
import pathlib
import pwd
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "reliability"))
from qdeckprocess import ApiError, Client, Server, free_port  # noqa: E402

CONCURRENCY = 4
MAX_WORKERS = 6
BATCH = 50


def pg_bin():
    root = pathlib.Path(os.environ.get("QUEUEDECK_PG_BINDIR", ""))
    if root.name:
        return root
    versions = sorted(pathlib.Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                      key=lambda p: int(p.parent.parent.name), reverse=True)
    if not versions:
        sys.exit("PostgreSQL's initdb was not found; install postgresql-15")
    return versions[0].parent


class Postgres:
    def __init__(self, directory, durable=False):
        """durable: fsync on, as in production and the peers harness (benchmarks); the tests
        run with it off."""
        self.dir = pathlib.Path(directory) / "pg"
        self.dir.mkdir()
        self.durable = durable
        self.port = free_port()
        self.process = None
        self.as_postgres = os.geteuid() == 0

    def _argv(self, argv):
        return (["setpriv", "--reuid=postgres", "--regid=postgres", "--clear-groups"] + argv
                if self.as_postgres else argv)

    def start(self):
        if self.as_postgres:
            user = pwd.getpwnam("postgres")
            os.chown(self.dir, user.pw_uid, user.pw_gid)
        bin_dir = pg_bin()
        data = self.dir / "data"
        subprocess.run(self._argv([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust",
                                   "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"]),
                       check=True, stdout=subprocess.DEVNULL)
        log = open(self.dir / "server.log", "w")
        self.process = subprocess.Popen(
            self._argv([str(bin_dir / "postgres"), "-D", str(data), "-p", str(self.port),
                        "-c", "listen_addresses=127.0.0.1", "-k", str(self.dir),
                        "-c", f"fsync={'on' if self.durable else 'off'}",
                        "-c", "max_connections=50"]),
            stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            ready = subprocess.run([str(bin_dir / "pg_isready"), "-h", "127.0.0.1", "-p",
                                    str(self.port)], stdout=subprocess.DEVNULL)
            if ready.returncode == 0:
                return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
            time.sleep(0.1)
        raise RuntimeError("PostgreSQL did not start")

    def stop(self):
        if self.process:
            self.process.send_signal(2)
            self.process.wait(30)


class Node(Server):
    """A cluster node: only the node that first led writes the admin token file. key_from: the
    data directory of a node whose cluster key this one is given (copied, as an operator does,
    before its first start); without it the node makes its own."""

    def __init__(self, qdeck, data_dir, extra_args=(), key_from=None):
        super().__init__(qdeck, data_dir, extra_args=extra_args)
        self.key_from = key_from

    def start(self, timeout=30):
        key = pathlib.Path(self.data_dir) / "cluster-key"
        if self.key_from is not None and not key.exists():
            shutil.copy2(pathlib.Path(self.key_from) / "cluster-key", key)
        try:
            super().start(timeout)
        except FileNotFoundError:
            pass


class Failover:
    """Calls that go to another node when one cannot be reached or knows no leader."""

    def __init__(self, ports, token, first):
        self.clients = [Client(port, token, timeout=30) for port in ports]
        self.index = first % len(ports)

    def call(self, method, path, body=None, timeout=None):
        deadline = time.monotonic() + 60
        while True:
            try:
                return self.clients[self.index].call(method, path, body, timeout)
            except (ConnectionError, OSError):
                pass
            except ApiError as error:
                if error.status != 503:
                    raise
            if time.monotonic() > deadline:
                raise RuntimeError(f"no node answered {method} {path} for a minute")
            self.index = (self.index + 1) % len(self.clients)
            time.sleep(0.05)


def add_node(qdeck, work, nodes, extra_args):
    """Starts the next node of a cluster (data in <work>/node<N>, N = len(nodes)), given the
    first node's cluster key; appends it to nodes and returns it."""
    data = pathlib.Path(work) / f"node{len(nodes)}"
    data.mkdir(exist_ok=True)
    node = Node(qdeck, data, extra_args=extra_args,
                key_from=nodes[0].data_dir if nodes else None)
    node.start()
    nodes.append(node)
    return node


def wait_for_one_leader(ports, token, timeout=10):
    """Until every node lists one alive leader and the others alive followers."""
    expected = ["follower"] * (len(ports) - 1) + ["leader"]
    for port in ports:
        deadline = time.monotonic() + timeout
        while True:
            _, listed = Client(port, token).call("GET", "/nodes")
            roles = sorted(n["role"] for n in listed["nodes"] if n["alive"])
            if roles == expected or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert roles == expected, listed


def stop_cluster(nodes, pg, work):
    """Ends the nodes (SIGTERM, SIGKILL after 15 s), then the database; removes the scratch."""
    for node in nodes:
        if node.process and node.process.poll() is None:
            node.process.terminate()
            try:
                node.process.wait(15)
            except subprocess.TimeoutExpired:
                node.kill()
    pg.stop()
    shutil.rmtree(work, ignore_errors=True)


def main():
    qdeck = sys.argv[1]
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    work = tempfile.mkdtemp(prefix="qdeck-cluster-")
    os.chmod(work, 0o755)  # PostgreSQL runs as postgres under it
    pg = Postgres(work)
    nodes = []
    try:
        url = pg.start()
        for _ in range(3):
            add_node(qdeck, work, nodes, ["--database", url])
        token = nodes[0].token
        assert token, "the first node led and wrote the cluster's admin token"
        ports = [node.port for node in nodes]

        wait_for_one_leader(ports, token)
        leader_index = 0

        # A follower's answer names it; the event stream passes through it event by event.
        follower = http.client.HTTPConnection("127.0.0.1", ports[1], timeout=10)
        follower.request("GET", "/api/v1/version")
        answer = follower.getresponse()
        answer.read()
        assert answer.status == 200 and answer.getheader("X-QueueDeck-Node", "").endswith(
            f":{ports[1]}"), answer.getheaders()
        assert answer.getheader("Via", "").startswith("1.1 "), answer.getheaders()
        follower.request("GET", "/api/v1/events?topics=stats",
                         headers={"Authorization": "Bearer " + token})
        stream = follower.getresponse()
        assert stream.status == 200, stream.status
        assert stream.getheader("Content-Type", "").startswith("text/event-stream")
        while stream.fp.readline().strip() != b"event: stats":
            pass
        follower.close()

        admin = Failover(ports, token, 1)
        _, queue = admin.call("POST", "/environments/default/worker-queues",
                              {"name": "cluster", "concurrency": CONCURRENCY,
                               "max_workers": MAX_WORKERS, "worker_timeout_s": 120,
                               # A lease whose answer died with the leader is given out again
                               # when it expires; longer than the takeover (~6 s), so that acks
                               # held up by the takeover find their leases alive.
                               "task_timeout_s": 15})
        qid = queue["id"]

        # max_workers: six slots over the nodes; the seventh is refused on every node.
        workers = []
        for index in range(MAX_WORKERS):
            _, registered = Client(ports[index % 3], token).call(
                "POST", "/workers/register", {"queue_id": qid, "hostname": f"h{index}",
                                              "pid": index + 1})
            workers.append(registered)
        for port in ports:
            try:
                Client(port, token).call("POST", "/workers/register",
                                         {"queue_id": qid, "hostname": "extra", "pid": 99})
                raise AssertionError(f"a seventh worker got a slot through port {port}")
            except ApiError as error:
                assert error.code == "RESOURCE_EXHAUSTED", error

        produced = {}  # n → task ids
        lock = threading.Lock()
        confirmed = {}  # task id → confirmed acks
        leased_after_confirm = []
        acked_count = [0]
        stop = threading.Event()
        errors = []

        def produce(first):
            client = Failover(ports, token, first)
            try:
                for start in range(first * BATCH, total, 3 * BATCH):
                    items = [{"type": "t", "payload": {"n": n}, "idempotency_key": f"n{n}"}
                             for n in range(start, min(start + BATCH, total))]
                    _, answer = client.call("POST", f"/worker-queues/{qid}/tasks:batch",
                                            {"tasks": items})
                    with lock:
                        for item, task_id in zip(items, answer["ids"]):
                            produced.setdefault(item["payload"]["n"], set()).add(task_id)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(f"producer: {error!r}")

        def consume(index):
            worker = workers[index]
            client = Failover(ports, worker["credential"], index)
            wid = worker["worker_id"]
            try:
                while not stop.is_set():
                    _, answer = client.call("POST", f"/workers/{wid}/lease",
                                            {"max": 2, "wait_ms": 500})
                    tasks = answer["tasks"]
                    with lock:
                        for task in tasks:
                            if task["id"] in confirmed:
                                leased_after_confirm.append(task["id"])
                    if not tasks:
                        continue
                    acks = [{"task_id": t["id"], "lease_id": t["lease_id"]} for t in tasks]
                    _, outcome = client.call("POST", f"/workers/{wid}/complete", {"acks": acks})
                    with lock:
                        for ack, item in zip(acks, outcome["results"]):
                            if item["ok"]:
                                confirmed[ack["task_id"]] = confirmed.get(ack["task_id"], 0) + 1
                        acked_count[0] += len(acks)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(f"worker {index}: {error!r}")

        started = time.monotonic()
        threads = [threading.Thread(target=produce, args=(i,)) for i in range(3)]
        threads += [threading.Thread(target=consume, args=(i,)) for i in range(MAX_WORKERS)]
        for thread in threads:
            thread.start()
        # A follower dies with a sixth of the work done: the producer and the workers that went
        # through it go on through another node; what it was passing on when it died was either
        # applied by the leader or not, and is asked again (idempotency keys, acks by lease).
        while acked_count[0] < total // 6 and not errors and time.monotonic() - started < 120:
            time.sleep(0.05)
        nodes[2].kill()
        follower_killed_at = acked_count[0]
        # The leader dies with a third of the work done; the one node left takes over.
        while acked_count[0] < total // 3 and not errors and time.monotonic() - started < 120:
            time.sleep(0.05)
        killed_at = time.monotonic()
        leader_killed_at = acked_count[0]
        nodes[leader_index].kill()
        survivor = Client(ports[1], token)
        takeover = None
        unavailable = []
        while time.monotonic() - killed_at < 30:
            try:
                _, listed = survivor.call("GET", "/nodes")
                if any(n["role"] == "leader" and n["alive"] and n["node_id"].endswith(
                        f":{ports[0]}") is False for n in listed["nodes"]):
                    takeover = time.monotonic() - killed_at
                    break
            except ApiError as error:
                unavailable.append(error)
            except (ConnectionError, OSError):
                pass
            time.sleep(0.1)
        assert takeover is not None, "no follower took over within 30 s"
        # Meanwhile a follower said why it could not answer.
        assert any(e.status == 503 and e.code == "UNAVAILABLE" and "leader" in e.message
                   for e in unavailable), unavailable

        for thread in threads[:3]:
            thread.join()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not errors:
            with lock:
                ids = set().union(*produced.values()) if produced else set()
                if ids and ids <= set(confirmed):
                    break
            time.sleep(0.1)
        stop.set()
        for thread in threads[3:]:
            thread.join()
        assert not errors, errors
        assert len(produced) == total, f"{total - len(produced)} tasks were never accepted"
        ids = set().union(*produced.values())
        missing = ids - set(confirmed)
        assert not missing, f"{len(missing)} accepted tasks never ran, e.g. {sorted(missing)[:3]}"
        assert not leased_after_confirm, f"confirmed acks re-run: {leased_after_confirm[:5]}"
        twice = [t for t, count in confirmed.items() if count > 1]
        assert not twice, f"tasks acknowledged twice: {twice[:5]}"

        # At most `concurrency` running at once, from the times the server recorded.
        events = []
        cursor = None
        client = Failover(ports[1:], token, 0)
        while True:
            path = f"/worker-queues/{qid}/tasks?state=succeeded&limit=500"
            if cursor:
                path += f"&cursor={cursor}"
            _, page = client.call("GET", path)
            for task in page["items"]:
                events.append((task["started_at"], 1))
                events.append((task["finished_at"], -1))
            cursor = page.get("next_cursor")
            if not cursor:
                break
        assert len(events) == 2 * len(ids), (len(events), len(ids))
        running = peak = 0
        for _, change in sorted(events, key=lambda e: (e[0], e[1])):
            running += change
            peak = max(peak, running)
        assert peak <= CONCURRENCY, f"{peak} tasks ran at once; concurrency is {CONCURRENCY}"
        print(f"{total} tasks through 3 nodes: every one ran, no confirmed ack ran again; at most "
              f"{peak} running at once (concurrency {CONCURRENCY}); a follower SIGKILLed after "
              f"{follower_killed_at} acks, the leader after {leader_killed_at}; the last node "
              f"took over {takeover:.1f} s after the leader's SIGKILL; "
              f"{time.monotonic() - started:.1f} s in all")
        return 0
    finally:
        stop_cluster(nodes, pg, work)


if __name__ == "__main__":
    sys.exit(main())
