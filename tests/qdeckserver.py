# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""A real `qdeck serve` for the Python tests: on a free loopback port, with its admin token."""

import json
import pathlib
import re
import socket
import ssl
import subprocess
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """Started at once; `call` speaks to it with the admin token; `stop` ends it."""

    def __init__(self, qdeck, data_dir, public_url=None, tls=False):
        """tls: HTTPS with the server's self-signed certificate (its fingerprint kept)."""
        self.port = free_port()
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        argv = [qdeck, "serve", "--listen", f"127.0.0.1:{self.port}", "--data-dir", str(data_dir)]
        if public_url:
            argv += ["--public-url", public_url.format(port=self.port)]
        if tls:
            argv += ["--self-signed-tls"]
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True)
        self.fingerprint = None
        for line in self.process.stdout:
            found = re.search(r"fingerprint: (sha256:\S+)", line)
            if found:
                self.fingerprint = found.group(1)
            if "serving on" in line:
                break
        else:
            raise SystemExit("qdeck serve did not start")
        self.token = pathlib.Path(data_dir, "admin-token").read_text().strip()
        # The test trusts its own server's certificate as a CA (127.0.0.1 is among its names).
        self.context = (ssl.create_default_context(cafile=str(pathlib.Path(data_dir, "tls/server.crt")))
                        if tls else None)

    def call(self, method, path, body=None):
        """path under the server; a JSON answer decoded, any other as text."""
        request = urllib.request.Request(
            self.url + path, method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": "Bearer " + self.token,
                     "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30, context=self.context) as answer:
            data = answer.read()
            kind = answer.headers.get("Content-Type", "")
            return json.loads(data) if kind.startswith("application/json") else data.decode()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=15)
