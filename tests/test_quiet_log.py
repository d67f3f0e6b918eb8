# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""`qdeck serve` logs events, not requests: 300 parked long-polls and 300 enqueues leave no line
per request in its output. A line per request costs a write on the engine's thread for each one,
and where nobody reads the output (a pipe left unread) the server stops answering once the
pipe's 64 KiB are full; that happened with a debug line per parked lease."""

import pathlib
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "reliability"))
from qdeckprocess import Client, Server  # noqa: E402

ROUNDS = 300


def main():
    qdeck = sys.argv[1]
    with tempfile.TemporaryDirectory(prefix="qdeck-quiet-") as root:
        server = Server(qdeck, pathlib.Path(root, "data"))
        server.start()
        try:
            admin = Client(server.port, server.token)
            _, queue = admin.call("POST", "/environments/default/worker-queues",
                                  {"name": "quiet", "max_workers": 2})
            _, worker = admin.call("POST", "/workers/register",
                                   {"queue_id": queue["id"], "hostname": "test", "pid": 1,
                                    "version": "test", "concurrency": 1})
            agent = Client(server.port, worker["credential"])
            for i in range(ROUNDS):
                # Nothing waiting: each lease parks for 5 ms, then answers empty.
                _, answer = agent.call("POST", f"/workers/{worker['worker_id']}/lease",
                                       {"max": 1, "wait_ms": 5})
                assert answer["tasks"] == [], answer
                admin.call("POST", f"/worker-queues/{queue['id']}/tasks",
                           {"type": "t", "payload": {"i": i}})
                _, answer = agent.call("POST", f"/workers/{worker['worker_id']}/lease",
                                       {"max": 1, "wait_ms": 5})
                task = answer["tasks"][0]
                agent.call("POST", f"/tasks/{task['id']}/ack", {"lease_id": task["lease_id"]})
        finally:
            server.stop()
        log = "".join(p.read_text() for p in pathlib.Path(root).glob("serve-*.log"))
        lines = log.splitlines()
        per_request = [line for line in lines if "parked" in line or "lease" in line]
        if per_request or len(lines) > 20:
            print(f"FAIL: {len(lines)} lines after {ROUNDS} rounds, e.g.:", *lines[-5:], sep="\n  ")
            return 1
        print(f"ok: {len(lines)} lines in the server's output after {ROUNDS} rounds of "
              "parked leases, enqueues and acks")
        return 0


if __name__ == "__main__":
    sys.exit(main())
