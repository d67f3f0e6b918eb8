# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""A real `qdeck serve` for the Python tests: on a free loopback port, with its admin token.

The process is started, drained and stopped by tests/reliability/qdeckprocess.py (the one place
the tests start a server); this adds HTTPS with the server's own certificate, a public URL and
calls through urllib."""

import json
import pathlib
import re
import ssl
import sys
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "reliability"))
from qdeckprocess import Server as ServeProcess, free_port  # noqa: E402


class Server:
    """Started at once; `call` speaks to it with the admin token; `stop` ends it."""

    def __init__(self, qdeck, data_dir, public_url=None, tls=False):
        """tls: HTTPS with the server's self-signed certificate (its fingerprint kept)."""
        self.port = free_port()
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        extra_args = []
        if public_url:
            extra_args += ["--public-url", public_url.format(port=self.port)]
        if tls:
            extra_args += ["--self-signed-tls"]
        self.serve = ServeProcess(qdeck, data_dir, port=self.port, extra_args=extra_args)
        self.serve.start()
        self.process = self.serve.process
        found = re.search(r"fingerprint: (sha256:\S+)", self.serve.startup)
        self.fingerprint = found.group(1) if found else None
        self.token = self.serve.token
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
        self.serve.stop()
