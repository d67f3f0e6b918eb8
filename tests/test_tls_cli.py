#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""`qdeck serve --self-signed-tls` with the real `qdeck` clients: the admin commands and the
worker agent pin the fingerprint the server printed and the connect command carries (flag or
environment), refuse another one naming both, and a viewer token reads but changes nothing.

    test_tls_cli.py QDECK_BINARY
"""

import os
import pathlib
import re
import subprocess
import sys
import tempfile

from qdeckserver import Server

failures = []
WRONG = "sha256:" + ":".join(["0F"] * 32)


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def main():
    qdeck = sys.argv[1]
    with tempfile.TemporaryDirectory() as scratch:
        scratch = pathlib.Path(scratch)
        server = Server(qdeck, scratch / "data", tls=True)
        worker = None
        try:
            check(server.url.startswith("https://") and server.fingerprint,
                  "qdeck serve --self-signed-tls serves HTTPS and prints its fingerprint")
            key = scratch / "data" / "tls" / "server.key"
            check(key.stat().st_mode & 0o077 == 0, "the key is readable by its owner only")
            base = dict(os.environ, QUEUEDECK_SERVER=server.url, QUEUEDECK_TOKEN=server.token)
            base.pop("QUEUEDECK_SERVER_FINGERPRINT", None)
            base.pop("QUEUEDECK_CA_FILE", None)

            def run(*args, env=None, timeout=60):
                return subprocess.run([qdeck, *args], env=env or base, text=True,
                                      capture_output=True, timeout=timeout)

            pinned = run("queue", "list", "--server-fingerprint", server.fingerprint)
            check(pinned.returncode == 0, f"pinned by flag: {pinned.stderr}")
            by_env = run("queue", "list",
                         env=dict(base, QUEUEDECK_SERVER_FINGERPRINT=server.fingerprint))
            check(by_env.returncode == 0, f"pinned by QUEUEDECK_SERVER_FINGERPRINT: {by_env.stderr}")
            by_ca = run("queue", "list", "--ca-file", str(scratch / "data/tls/server.crt"))
            check(by_ca.returncode == 0, f"trusted by --ca-file: {by_ca.stderr}")
            unpinned = run("queue", "list")
            check(unpinned.returncode != 0, "a self-signed server is not trusted without a pin")
            wrong = run("queue", "list", "--server-fingerprint", WRONG)
            check(wrong.returncode != 0 and server.fingerprint in wrong.stderr and
                  WRONG in wrong.stderr, f"a wrong pin is refused naming both: {wrong.stderr}")
            bad = run("queue", "list", "--server-fingerprint", "sha256:AB")
            check(bad.returncode != 0 and "32 hex pairs" in bad.stderr,
                  f"a malformed pin says what one looks like: {bad.stderr}")

            env = dict(base, QUEUEDECK_SERVER_FINGERPRINT=server.fingerprint)
            queue = server.call("POST", "/api/v1/environments/default/worker-queues",
                                {"name": "tls"})
            command = server.call("GET", f"/api/v1/worker-queues/{queue['id']}/worker-command")
            check(f"--server-fingerprint {server.fingerprint}" in command["command"],
                  f"the connect command pins: {command['command']}")
            token = re.match(r"QUEUEDECK_TOKEN=(\S+) ", command["command"]).group(1)
            start = ["worker", "start", "--queue-id", queue["id"], "--server", server.url]

            refused = run(*start, "--server-fingerprint", WRONG, "--", "true",
                          env=dict(base, QUEUEDECK_TOKEN=token), timeout=60)
            check(refused.returncode == 77, f"a worker with a wrong pin exits 77: {refused.returncode}")
            check(server.fingerprint in refused.stderr and WRONG in refused.stderr,
                  f"the worker names both fingerprints: {refused.stderr}")

            worker = subprocess.Popen(
                [qdeck, *start, "--server-fingerprint", server.fingerprint, "--", "cat"],
                env=dict(base, QUEUEDECK_TOKEN=token), stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE, text=True)
            done = run("enqueue", "--queue", queue["id"], "--type", "t", "--payload",
                       '{"n": 1}', "--wait", env=env)
            check(done.returncode == 0 and "succeeded" in done.stdout,
                  f"a pinned worker runs a task: {done.stdout} {done.stderr}")

            viewer = server.call("POST", "/api/v1/viewer-tokens", {"name": "wall"})
            check(viewer["token"].startswith("qdv_"), "a viewer token is qdv_")
            as_viewer = dict(env, QUEUEDECK_TOKEN=viewer["token"])
            listed = run("queue", "list", env=as_viewer)
            check(listed.returncode == 0 and "tls" in listed.stdout, "a viewer lists queues")
            paused = run("queue", "pause", queue["id"], env=as_viewer)
            check(paused.returncode != 0 and "viewer" in paused.stderr,
                  f"a viewer cannot pause, and is told why: {paused.stderr}")
            shown = server.call("GET", "/api/v1/viewer-tokens")
            check([t["name"] for t in shown["items"]] == ["wall"] and
                  "token" not in shown["items"][0], "viewer tokens are listed without the token")

            made = run("token", "create", "kiosk", "--viewer", env=env)
            check(made.returncode == 0 and made.stdout.startswith("qdv_"),
                  f"qdeck token create --viewer: {made.stdout} {made.stderr}")
            names = run("token", "list", "--viewer", env=env)
            check("kiosk" in names.stdout and "qdv_" not in names.stdout,
                  f"qdeck token list --viewer shows names only: {names.stdout}")
            gone = run("token", "revoke", "kiosk", "--viewer", env=env)
            check(gone.returncode == 0, f"qdeck token revoke --viewer: {gone.stderr}")
            after = run("queue", "list", env=dict(env, QUEUEDECK_TOKEN=made.stdout.strip()))
            check(after.returncode != 0, "a revoked viewer token is refused")

            both = run("serve", "--listen", "127.0.0.1:0", "--insecure-http", "--self-signed-tls")
            check(both.returncode == 2 and "exclude" in both.stderr,
                  f"contradicting TLS flags are refused: {both.stderr}")
        finally:
            if worker:
                worker.terminate()
                worker.wait(timeout=30)
            server.stop()
    if failures:
        return 1
    print("TLS: pinned admin commands and worker, wrong pins refused, viewer reads only")
    return 0


if __name__ == "__main__":
    sys.exit(main())
