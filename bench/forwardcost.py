#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""What a follower spends to forward one call (docs/design/scale-out.md).

Starts a PostgreSQL of its own and two `qdeck serve` nodes on it (as tests/test_cluster.py
does), then sends N single enqueues, one after another over one keep-alive connection, through
the follower, and N through the leader. Prints the CPU time (user + system, from
/proc/<pid>/stat) each node spent per call, the wall time per call, and how many TCP connections
the follower opened to the leader (its sockets to the leader's port, counted by the kernel's
connection table before and after).

    forwardcost.py QDECK [N] [--tls]
    forwardcost.py QDECK [N] --throughput ADAPTER

--tls: the nodes share one self-signed certificate (made by `qdeck serve --self-signed-tls`)
and the calls and the forwarding go over HTTPS.

--throughput: what a second node gives, with the harness's adapter (qdeck-bench-adapter): two
producers each enqueue N tasks one by one at the same time, then two consumers (8 held each)
drain 4 N; once with both clients on the leader, once with one client on each node. Prints the
rates and the CPU of each node and of the database (its processes' /proc times) per task.
"""

import http.client
import os
import ssl
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent / "tests"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "reliability"))
from qdeckprocess import Client, Server  # noqa: E402
from test_cluster import Postgres, add_node  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def connections_to(pid, port):
    """Sockets of the process connected to 127.0.0.1:port, and their local ports."""
    inodes = set()
    for fd in pathlib.Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    local_ports = set()
    for line in pathlib.Path(f"/proc/{pid}/net/tcp").read_text().splitlines()[1:]:
        parts = line.split()
        remote, inode = parts[2], parts[9]
        if inode in inodes and int(remote.split(":")[1], 16) == port:
            local_ports.add(int(parts[1].split(":")[1], 16))
    return local_ports


def mint(qdeck, directory):
    directory.mkdir()
    server = Server(qdeck, directory, extra_args=["--self-signed-tls"])
    server.start()
    server.kill()
    return str(directory / "tls" / "server.crt"), str(directory / "tls" / "server.key")


def connect(port, token, tls):
    client = Client(port, token)
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the bench's own client; nodes pin each other
        client.connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=30,
                                                        context=context)
    return client


def run(client, qid, count, node_pids, follower_pid=None, leader_port=None):
    seen_ports = set()
    before = {pid: cpu_seconds(pid) for pid in node_pids}
    started = time.monotonic()
    for n in range(count):
        client.call("POST", f"/worker-queues/{qid}/tasks", {"type": "f", "payload": {"n": n}})
        if follower_pid is not None and n % 10 == 0:
            seen_ports |= connections_to(follower_pid, leader_port)
    wall = time.monotonic() - started
    spent = {pid: cpu_seconds(pid) - before[pid] for pid in node_pids}
    if follower_pid is not None:
        seen_ports |= connections_to(follower_pid, leader_port)
    return wall, spent, seen_ports


def postgres_cpu_seconds(postmaster):
    """The postmaster's CPU and that of its children (the backends, the WAL writer, ...)."""
    total = 0.0
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat.parent.name) == postmaster or int(fields[1]) == postmaster:
            total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


def throughput(adapter, leader, follower, count, work, postmaster):
    """Producers and consumers on [leader, leader], then on [leader, follower]."""
    def env(node, queue):
        return dict(os.environ, BENCH_HTTP_URL=f"http://127.0.0.1:{node.port}",
                    BENCH_DATA_DIR=str(leader.data_dir), BENCH_QUEUE=queue,
                    BENCH_REC_DIR=work)

    def measured(label, action):
        pids = [leader.pid, follower.pid]
        before = {pid: cpu_seconds(pid) for pid in pids}
        pg_before = postgres_cpu_seconds(postmaster)
        started = time.monotonic()
        tasks = action()
        wall = time.monotonic() - started
        spent = {pid: cpu_seconds(pid) - before[pid] for pid in pids}
        pg = postgres_cpu_seconds(postmaster) - pg_before
        per = 1e6 / tasks
        print(f"  {label}: {tasks / wall:,.0f} tasks/s; CPU per task: leader "
              f"{spent[leader.pid] * per:.0f} µs, follower {spent[follower.pid] * per:.0f} µs, "
              f"database {pg * per:.0f} µs")

    for name, nodes in (("one node (both clients on the leader)", [leader, leader]),
                        ("two nodes (a client on each)", [leader, follower])):
        queue = "through-" + str(nodes[1].port)
        subprocess.run([adapter, "setup"], env=env(leader, queue), check=True,
                       stdout=subprocess.DEVNULL)
        print(name)

        def produce():
            producers = [subprocess.Popen([adapter, "enqueue", str(count), "1"],
                                          env=env(node, queue), stdout=subprocess.DEVNULL)
                         for node in nodes]
            for producer in producers:
                producer.wait()
            return 2 * count
        measured(f"enqueue one by one, 2 producers x {count}", produce)
        subprocess.run([adapter, "enqueue", str(2 * count), "100"], env=env(leader, queue),
                       check=True, stdout=subprocess.DEVNULL)

        def drain():
            consumers = [subprocess.Popen([adapter, "consume", "8"], env=env(node, queue),
                                          stdout=subprocess.DEVNULL) for node in nodes]
            while True:
                out = subprocess.run([adapter, "pending"], env=env(leader, queue), check=True,
                                     capture_output=True, text=True).stdout
                if '"pending":0' in out.replace(" ", ""):
                    break
                time.sleep(0.05)
            for consumer in consumers:
                consumer.terminate()
                consumer.wait()
            return 4 * count
        measured(f"drain of {4 * count}, 2 consumers holding 8 each", drain)


def main():
    qdeck = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else 500
    tls = "--tls" in sys.argv
    work = tempfile.mkdtemp(prefix="qdeck-forwardcost-")
    os.chmod(work, 0o755)  # PostgreSQL runs as postgres under it
    # fsync on for the throughput, as in the peers harness: a commit costs what it costs there.
    pg = Postgres(work, durable="--throughput" in sys.argv)
    nodes = []
    try:
        url = pg.start()
        extra = ["--database", url]
        if tls:
            cert, key = mint(qdeck, pathlib.Path(work) / "mint")
            extra += ["--tls-cert", cert, "--tls-key", key]
        for index in range(2):
            add_node(qdeck, work, nodes, extra)
            if index == 0:
                time.sleep(1)  # the first node leads
        leader, follower = nodes
        token = leader.token
        # The follower knows its leader once it has read the lease.
        deadline = time.monotonic() + 15
        while True:
            try:
                _, listed = connect(follower.port, token, tls).call("GET", "/nodes")
                if any(n["role"] == "leader" for n in listed["nodes"]):
                    break
            except Exception:  # noqa: BLE001 - not yet
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the follower found no leader")
            time.sleep(0.2)
        _, queue = connect(leader.port, token, tls).call(
            "POST", "/environments/default/worker-queues", {"name": "forward"})
        qid = queue["id"]
        if "--throughput" in sys.argv:
            adapter = sys.argv[sys.argv.index("--throughput") + 1]
            print(f"load {os.getloadavg()[0]:.1f}")
            throughput(adapter, leader, follower, count, work, pg.process.pid)
            return 0
        pids = [leader.pid, follower.pid]
        # Warm both paths up.
        run(connect(follower.port, token, tls), qid, 20, pids)
        run(connect(leader.port, token, tls), qid, 20, pids)
        load = os.getloadavg()[0]
        wall_l, spent_l, _ = run(connect(leader.port, token, tls), qid, count, pids)
        wall_f, spent_f, ports = run(connect(follower.port, token, tls), qid, count, pids,
                                     follower.pid, leader.port)
        per = 1e6 / count
        print(f"{count} sequential enqueues{' over HTTPS' if tls else ''}, load {load:.1f}")
        print(f"through the follower: {wall_f * per / 1000:.2f} ms each; follower CPU "
              f"{spent_f[follower.pid] * per:.0f} µs/call, leader CPU "
              f"{spent_f[leader.pid] * per:.0f} µs/call; the follower used {len(ports)} "
              f"connection(s) to the leader")
        print(f"through the leader:   {wall_l * per / 1000:.2f} ms each; leader CPU "
              f"{spent_l[leader.pid] * per:.0f} µs/call; follower CPU "
              f"{spent_l[follower.pid] * per:.0f} µs/call (idle)")
        return 0
    finally:
        for node in nodes:
            node.stop()
        pg.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
