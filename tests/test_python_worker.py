#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""examples/python/worker.py against a real `qdeck serve` over HTTPS with its self-signed
certificate: it pins the fingerprint the connect command carries, registers with the join token,
handles every task (results kept, a failing one retried and then dead), and on SIGTERM
deregisters and exits 0. With another fingerprint it refuses the server, naming both.

    test_python_worker.py QDECK_BINARY
"""

import json
import os
import pathlib
import re
import signal
import subprocess
import sys
import tempfile
import time

from qdeckserver import Server

ROOT = pathlib.Path(__file__).resolve().parent.parent


def expect(condition, what):
    """A check that holds under `python3 -O` too."""
    if not condition:
        raise SystemExit(f"FAIL: {what}")


def main():
    qdeck = sys.argv[1]
    with tempfile.TemporaryDirectory() as data:
        server = Server(qdeck, data, tls=True)
        url = server.url
        worker = None
        try:
            def call(method, path, body=None):
                return server.call(method, "/api/v1" + path, body)

            queue = call("POST", "/environments/default/worker-queues",
                         {"name": "py", "max_workers": 2, "max_attempts": 2,
                          "initial_backoff_ms": 100})
            connect = call("GET", f"/worker-queues/{queue['id']}/worker-command")
            command = connect["command"]
            token = re.match(r"QUEUEDECK_TOKEN=(\S+) ", command).group(1)
            pin = re.search(r"--server-fingerprint (\S+)", command).group(1)
            expect(pin == server.fingerprint == connect["server_fingerprint"],
                   f"the connect command carries the fingerprint qdeck serve printed: {command}")

            wrong = "sha256:" + ":".join(["AB"] * 32)
            refused = subprocess.run(
                [sys.executable, str(ROOT / "examples/python/worker.py"), "--server", url,
                 "--queue-id", queue["id"], "--server-fingerprint", wrong],
                env=dict(os.environ, QUEUEDECK_TOKEN=token), capture_output=True, text=True,
                timeout=30)
            expect(refused.returncode != 0, "a wrong fingerprint: the worker does not start")
            expect(pin in refused.stderr and wrong in refused.stderr,
                   f"the refusal names both fingerprints: {refused.stderr}")

            worker = subprocess.Popen(
                [sys.executable, str(ROOT / "examples/python/worker.py"), "--server", url,
                 "--queue-id", queue["id"]],
                env=dict(os.environ, QUEUEDECK_TOKEN=token, QUEUEDECK_SERVER_FINGERPRINT=pin),
                stdout=subprocess.PIPE, text=True)
            expect("registered as" in worker.stdout.readline(), "the worker registers")

            tasks = [{"type": "greet", "payload": {"n": i}} for i in range(20)]
            tasks.append({"type": "greet", "payload": {"fail": True}})
            ids = call("POST", f"/worker-queues/{queue['id']}/tasks:batch", {"tasks": tasks})["ids"]
            results = [call("GET", f"/tasks/{task_id}?wait_s=20") for task_id in ids]
            for i, task in enumerate(results[:20]):
                expect(task["state"] == "succeeded", task)
                expect(task["result"] == {"echo": {"n": i}, "type": "greet"}, task["result"])
            failed = results[20]
            expect(failed["state"] == "dead" and failed["attempts"] == 2, failed)
            expect(failed["error"] == "asked to fail", failed)

            worker.send_signal(signal.SIGTERM)
            expect(worker.wait(timeout=20) == 0, "SIGTERM: the worker exits 0")
            expect("deregistered" in worker.stdout.read(), "it deregisters on its way out")
            expect(call("GET", f"/worker-queues/{queue['id']}")["workers"]["online"] == 0,
                   "no worker online after it left")
            print("python worker: 20 tasks done, 1 dead after 2 attempts, deregistered")
            return 0
        finally:
            if worker and worker.poll() is None:
                worker.kill()
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
