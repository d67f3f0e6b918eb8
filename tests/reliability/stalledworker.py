#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""A worker process that holds one task until told to acknowledge it (for workerfreeze.py).

    QUEUEDECK_TOKEN=qdj_… stalledworker.py PORT QUEUE_ID

Registers, heartbeats and extends its lease every 0.3 s (so only freezing the process lets the
lease expire), leases one task and prints it as one JSON line, then waits for "ack" on stdin,
acknowledges with the lease it was given, and prints the server's answer as one JSON line:
{"ok": true, ...} or {"ok": false, "status": …, "code": …, "message": …}.
"""

import json
import os
import pathlib
import sys
import threading

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from qdeckprocess import ApiError, Client, register  # noqa: E402


def main():
    port, queue_id = int(sys.argv[1]), sys.argv[2]
    worker_id, client = register(port, os.environ["QUEUEDECK_TOKEN"], queue_id, concurrency=1)
    task = None
    while task is None:
        _, answer = client.call("POST", f"/workers/{worker_id}/lease", {"max": 1, "wait_ms": 5000})
        task = (answer["tasks"] or [None])[0]
    print(json.dumps({"worker_id": worker_id, "task": task}), flush=True)

    stop = threading.Event()

    def keep_alive():
        side = Client(port, client.token, timeout=10)
        while not stop.wait(0.3):
            try:
                side.call("POST", f"/workers/{worker_id}/heartbeat",
                          {"status": "ok", "running": [task["id"]]})
                side.call("POST", f"/tasks/{task['id']}/extend", {"lease_id": task["lease_id"]})
            except (ConnectionError, ApiError):
                pass  # after the freeze the lease is gone: the acknowledgement tells

    threading.Thread(target=keep_alive, daemon=True).start()
    for line in sys.stdin:
        if line.strip() == "ack":
            break
    stop.set()
    try:
        _, answer = client.call("POST", f"/tasks/{task['id']}/ack",
                                {"lease_id": task["lease_id"], "result": {"by": worker_id}})
        print(json.dumps({"ok": True, "answer": answer}), flush=True)
    except ApiError as error:
        print(json.dumps({"ok": False, "status": error.status, "code": error.code,
                          "message": error.message}), flush=True)


if __name__ == "__main__":
    main()
