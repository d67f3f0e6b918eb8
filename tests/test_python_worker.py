#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""examples/python/worker.py against a real `qdeck serve`: it registers with the join token,
handles every task (results kept, a failing one retried and then dead), and on SIGTERM
deregisters and exits 0.

    test_python_worker.py QDECK_BINARY
"""

import json
import os
import pathlib
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    qdeck = sys.argv[1]
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as data:
        server = subprocess.Popen([qdeck, "serve", "--listen", f"127.0.0.1:{port}",
                                   "--data-dir", data],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        worker = None
        try:
            for line in server.stdout:
                if "serving on" in line:
                    break
            admin = pathlib.Path(data, "admin-token").read_text().strip()

            def call(method, path, body=None):
                request = urllib.request.Request(
                    url + "/api/v1" + path, method=method,
                    data=None if body is None else json.dumps(body).encode(),
                    headers={"Authorization": "Bearer " + admin})
                with urllib.request.urlopen(request, timeout=30) as answer:
                    return json.loads(answer.read())

            queue = call("POST", "/environments/default/worker-queues",
                         {"name": "py", "max_workers": 2, "max_attempts": 2,
                          "initial_backoff_ms": 100})
            command = call("GET", f"/worker-queues/{queue['id']}/worker-command")["command"]
            token = re.match(r"QUEUEDECK_TOKEN=(\S+) ", command).group(1)
            worker = subprocess.Popen(
                [sys.executable, str(ROOT / "examples/python/worker.py"), "--server", url,
                 "--queue-id", queue["id"]],
                env=dict(os.environ, QUEUEDECK_TOKEN=token), stdout=subprocess.PIPE, text=True)
            assert "registered as" in worker.stdout.readline()

            tasks = [{"type": "greet", "payload": {"n": i}} for i in range(20)]
            tasks.append({"type": "greet", "payload": {"fail": True}})
            ids = call("POST", f"/worker-queues/{queue['id']}/tasks:batch", {"tasks": tasks})["ids"]
            results = [call("GET", f"/tasks/{task_id}?wait_s=20") for task_id in ids]
            for i, task in enumerate(results[:20]):
                assert task["state"] == "succeeded", task
                assert task["result"] == {"echo": {"n": i}, "type": "greet"}, task["result"]
            failed = results[20]
            assert failed["state"] == "dead" and failed["attempts"] == 2, failed
            assert failed["error"] == "asked to fail", failed

            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=20) == 0
            assert "deregistered" in worker.stdout.read()
            assert call("GET", f"/worker-queues/{queue['id']}")["workers"]["online"] == 0
            print("python worker: 20 tasks done, 1 dead after 2 attempts, deregistered")
            return 0
        finally:
            if worker and worker.poll() is None:
                worker.kill()
            server.terminate()
            server.wait(timeout=15)


if __name__ == "__main__":
    sys.exit(main())
