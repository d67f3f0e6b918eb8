#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""A follower forwards the caller's token only to a leader that shows the nodes' certificate.

Two self-signed certificates are made by `qdeck serve --self-signed-tls` on SQLite; then three
nodes on one PostgreSQL of the test's own: the leader and one follower with the first
certificate, a second follower with the other one. The first follower forwards (200, with its
Via header); the second refuses to send the request to a peer it does not trust (503 saying the
TLS handshake failed).
"""

import json
import os
import pathlib
import ssl
import sys
import tempfile
import time
import http.client

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "reliability"))
from qdeckprocess import Server  # noqa: E402
from test_cluster import Postgres, add_node  # noqa: E402


def get(port, path, token=None):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the test's own client; what is checked is node to node
    connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=15, context=context)
    headers = {"Authorization": "Bearer " + token} if token else {}
    connection.request("GET", path, headers=headers)
    answer = connection.getresponse()
    body = answer.read()
    connection.close()
    return answer.status, dict(answer.getheaders()), body


def mint(qdeck, directory):
    server = Server(qdeck, directory, extra_args=["--self-signed-tls"])
    server.start()
    server.kill()
    tls = directory / "tls"
    return str(tls / "server.crt"), str(tls / "server.key")


def main():
    qdeck = sys.argv[1]
    work = pathlib.Path(tempfile.mkdtemp(prefix="qdeck-cluster-tls-"))
    os.chmod(work, 0o755)  # PostgreSQL runs as postgres under it
    pg = Postgres(work)
    nodes = []
    try:
        shared = mint(qdeck, work / "mint-shared")
        other = mint(qdeck, work / "mint-other")
        url = pg.start()
        for index, (cert, key) in enumerate([shared, shared, other]):
            node = add_node(qdeck, work, nodes,
                            ["--database", url, "--tls-cert", cert, "--tls-key", key])
            if index == 0:
                # The first node leads before the others start: wait until it says so.
                deadline = time.monotonic() + 20
                while True:
                    status, _, body = get(node.port, "/api/v1/nodes", node.token)
                    if status == 200 and any(n["role"] == "leader" and n["alive"]
                                             for n in json.loads(body)["nodes"]):
                        break
                    assert time.monotonic() < deadline, (status, body)
                    time.sleep(0.1)
        token = nodes[0].token
        assert token, "the first node led and wrote the cluster's admin token"

        # The follower with the shared certificate forwards once it knows the leader.
        deadline = time.monotonic() + 20
        while True:
            status, headers, body = get(nodes[1].port, "/api/v1/nodes", token)
            roles = (sorted(n["role"] for n in json.loads(body)["nodes"] if n["alive"])
                     if status == 200 else [])
            if roles == ["follower", "follower", "leader"] or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert status == 200, (status, body)
        assert headers.get("Via", "").startswith("1.1 "), headers
        assert roles == ["follower", "follower", "leader"], roles

        # The follower with another certificate never sends the token on.
        status, headers, body = get(nodes[2].port, "/api/v1/nodes", token)
        assert status == 503, (status, body)
        message = json.loads(body)["error"]["message"]
        assert "cannot be reached" in message and "SSL" in message, message
        print("a follower forwards to the leader with the shared certificate and refuses "
              "one with another certificate:", message)
    finally:
        for node in nodes:
            node.kill()
        pg.stop()


if __name__ == "__main__":
    main()
