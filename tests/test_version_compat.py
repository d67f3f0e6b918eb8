#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""Worker agents older or newer than the server can handle are refused at registration with a
message that says which side to upgrade; `qdeck --version` and GET /version agree.

    test_version_compat.py QDECK_BINARY
"""

import http.server
import json
import subprocess
import threading
import sys
import tempfile
import urllib.error
import urllib.request

from qdeckserver import Server

failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def register(server, queue_id, version):
    """(status, answer) of POST /workers/register with this version."""
    request = urllib.request.Request(
        server.url + "/api/v1/workers/register", method="POST",
        data=json.dumps({"queue_id": queue_id, "hostname": "h", "pid": 1,
                         "version": version, "concurrency": 1}).encode(),
        headers={"Authorization": "Bearer " + server.token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


REFUSAL = {"error": {"code": "FAILED_PRECONDITION",
                     "message": "this worker's qdeck 0.1.0 is older than the server (0.9.0) "
                                "accepts (0.9.0 to 0.9.x); upgrade qdeck on the worker's machine",
                     "details": {"reason": "version", "upgrade": "agent"}}}


class RefusingServer(http.server.BaseHTTPRequestHandler):
    """A server of a later release that refuses this agent's version."""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = json.dumps(REFUSAL).encode()
        self.send_response(409)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def agent_gives_up(qdeck):
    """The worker agent, refused for its version, prints the server's message and exits non-zero
    at once (it does not retry)."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RefusingServer)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        agent = subprocess.run(
            [qdeck, "worker", "start", "--queue-id", "q_aaaaaaaaaa", "--server",
             f"http://127.0.0.1:{httpd.server_address[1]}", "--", "true"],
            capture_output=True, text=True, timeout=60,
            env={"QUEUEDECK_TOKEN": "qdj_" + "0" * 32, "PATH": "/usr/bin:/bin"})
    finally:
        httpd.shutdown()
    output = agent.stdout + agent.stderr
    check(agent.returncode != 0, f"the refused agent exits non-zero: {agent.returncode}")
    check("upgrade qdeck on the worker's machine" in output,
          f"the refused agent prints the server's message: {output!r}")


def main():
    qdeck = sys.argv[1]
    with tempfile.TemporaryDirectory() as data:
        server = Server(qdeck, data)
        try:
            served = server.call("GET", "/api/v1/version")
            printed = subprocess.run([qdeck, "--version"], capture_output=True, text=True,
                                     check=True).stdout.split()
            check(printed == ["qdeck", served["version"]],
                  f"qdeck --version says {printed}, the server {served['version']}")
            major, minor, _ = (int(p) for p in served["version"].split("."))
            check(served["oldest_agent_version"] and
                  served["newest_agent_version"] == f"{major}.{minor}.x",
                  f"/version names the agents it accepts: {served}")
            queue_id = next(q["id"] for q in server.call("GET", "/api/v1/worker-queues")["items"])

            status, answer = register(server, queue_id, served["version"])
            check(status == 201, f"the same version registers: {status} {answer}")
            status, answer = register(server, queue_id, f"{major}.{minor}.99")
            check(status == 201, f"a later patch registers: {status} {answer}")
            status, answer = register(server, queue_id, "example-python")
            check(status == 201, f"a client that is no qdeck agent registers: {status} {answer}")

            status, answer = register(server, queue_id, "0.0.1")
            error = answer.get("error", {})
            check(status == 409 and error.get("code") == "FAILED_PRECONDITION",
                  f"an agent older than the oldest accepted is refused: {status} {answer}")
            check("upgrade qdeck on the worker" in error.get("message", ""),
                  f"the message says to upgrade the worker's qdeck: {error.get('message')}")
            check(error.get("details", {}).get("upgrade") == "agent", f"details: {error}")

            status, answer = register(server, queue_id, f"{major}.{minor + 1}.0")
            error = answer.get("error", {})
            check(status == 409 and error.get("code") == "FAILED_PRECONDITION",
                  f"an agent newer than the server is refused: {status} {answer}")
            check("upgrade the server" in error.get("message", ""),
                  f"the message says to upgrade the server: {error.get('message')}")
            check(error.get("details", {}).get("upgrade") == "server", f"details: {error}")
            print("refusal messages:", error.get("message"))
        finally:
            server.stop()
    agent_gives_up(qdeck)
    if failures:
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
