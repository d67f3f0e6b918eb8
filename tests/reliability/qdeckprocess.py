# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""What the reliability scripts share: a `qdeck serve` process that can be killed and started
again on the same port and data directory, and a small HTTP client over the public API only
(http.client, keep-alive, reconnecting)."""

import http.client
import json
import os
import pathlib
import re
import signal
import socket
import subprocess
import threading
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ApiError(Exception):
    """An answer with an error status: .status, .code, .message, .details."""

    def __init__(self, status, body):
        error = body.get("error", {}) if isinstance(body, dict) else {}
        self.status = status
        self.code = error.get("code", "")
        self.message = error.get("message", str(body))
        self.details = error.get("details", {})
        super().__init__(f"{status} {self.code}: {self.message}")


class Client:
    """One keep-alive connection with one bearer token. A connection failure raises OSError
    (http.client's errors included) and the next call opens a new connection."""

    def __init__(self, port, token, timeout=30):
        self.port = port
        self.token = token
        self.timeout = timeout
        self.connection = None

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def call(self, method, path, body=None, timeout=None):
        """JSON in, JSON out; (status, decoded body) for 2xx, ApiError otherwise."""
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port,
                                                         timeout=timeout or self.timeout)
        elif timeout is not None:
            self.connection.timeout = timeout
            if self.connection.sock is not None:
                self.connection.sock.settimeout(timeout)
        headers = {"Authorization": "Bearer " + self.token}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            self.connection.request(method, "/api/v1" + path, body=data, headers=headers)
            answer = self.connection.getresponse()
            raw = answer.read()
        except (OSError, http.client.HTTPException) as error:
            self.close()
            raise ConnectionError(str(error)) from error
        if answer.getheader("Connection", "").lower() == "close":
            self.close()
        try:
            decoded = json.loads(raw) if raw else {}
        except ValueError:
            decoded = raw.decode(errors="replace")
        if answer.status >= 400:
            raise ApiError(answer.status, decoded)
        return answer.status, decoded


class Server:
    """`qdeck serve` on a fixed loopback port and data directory; start() waits until it serves,
    kill() sends SIGKILL and reaps it. What it printed until it served is in .startup; all its
    output goes to <data-dir>/../serve-<data-dir name>-<n>.log (read on, so that the server
    never blocks on a full pipe). The one place the Python tests start a server."""

    def __init__(self, qdeck, data_dir, port=None, extra_args=()):
        self.qdeck = qdeck
        self.data_dir = pathlib.Path(data_dir)
        self.port = port or free_port()
        self.extra_args = list(extra_args)
        self.process = None
        self.starts = 0
        self.token = None
        self.startup = ""
        self.drainer = None

    @property
    def log(self):
        """The file the current (or last) start writes its output to."""
        return self.data_dir.parent / f"serve-{self.data_dir.name}-{self.starts}.log"

    def start(self, timeout=30):
        self.starts += 1
        log = self.log
        deadline = time.monotonic() + timeout
        while True:
            argv = [self.qdeck, "serve", "--listen", f"127.0.0.1:{self.port}",
                    "--data-dir", str(self.data_dir)] + self.extra_args
            self.process = subprocess.Popen(argv, stdout=subprocess.PIPE,
                                            stderr=subprocess.STDOUT, text=True)
            seen = []
            for line in self.process.stdout:
                seen.append(line)
                if "serving on" in line:
                    break
            else:
                self.process.wait()
                text = "".join(seen)
                # The port of the killed server may still be held for a moment: try again.
                if time.monotonic() < deadline and ("in use" in text or "bind" in text.lower()):
                    time.sleep(0.05)
                    continue
                raise RuntimeError(f"qdeck serve did not start:\n{text}")
            break
        self.startup = "".join(seen)
        # Keep draining the output so that the server never blocks on a full pipe.
        self.drainer = threading.Thread(target=self._drain, args=(self.process, log, seen),
                                        daemon=True)
        self.drainer.start()
        self.token = (self.data_dir / "admin-token").read_text().strip()

    @staticmethod
    def _drain(process, log, seen):
        # Line-buffered: a test may read the log while the server runs.
        with open(log, "w", buffering=1) as out:
            out.writelines(seen)
            for line in process.stdout:
                out.write(line)

    @property
    def pid(self):
        return self.process.pid

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.drainer is not None:
            self.drainer.join(timeout=10)  # its log file complete once the output has ended

    def admin(self, timeout=30):
        return Client(self.port, self.token, timeout)


def join_token(admin, queue_id):
    """The queue's join token, as the connect command carries it."""
    _, answer = admin.call("GET", f"/worker-queues/{queue_id}/worker-command")
    match = re.search(r"QUEUEDECK_TOKEN=(\S+)", answer["command"])
    if not match:
        raise RuntimeError(f"no join token in the connect command: {answer['command']}")
    return match.group(1)


def register(port, token, queue_id, worker_id=None, concurrency=8):
    """Registers a worker with a join token; returns (worker_id, Client with its credential)."""
    client = Client(port, token)
    body = {"queue_id": queue_id, "hostname": socket.gethostname(), "pid": os.getpid(),
            "version": "reliability", "concurrency": concurrency}
    if worker_id:
        body["worker_id"] = worker_id
    _, answer = client.call("POST", "/workers/register", body)
    client.close()
    return answer["worker_id"], Client(port, answer["credential"])


def wait_until(predicate, timeout, what, interval=0.05):
    """Polls predicate() until it returns a true value (returned); raises after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)
